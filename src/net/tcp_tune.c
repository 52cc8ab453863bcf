/* tcp_tune.c — how big the windows and buffers are and when the receiver
 * answers: the window we announce (scaled, never shrinking), receive and
 * send buffers that grow with the connection (autotuning, as Linux's
 * tcp_rcv_space_adjust and tcp_sndbuf_expand), and delayed ACKs (RFC 9293
 * 3.8.6.3, RFC 1122 4.2.3.2). */
#include "core/i18n.h"
#include "net/tcp_private.h"

/* Linux's dynamic right-sizing leaves room for 16 more segments than
 * twice a round trip's data. */
#define DRS_SLACK_SEGS 16
/* Linux's first estimate of a round trip's data: an initial window. */
#define DRS_FIRST_SEGS 10

void ns_tcp_rcvbuf_init(NsTcpConn *c, guint32 seg) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  guint32 cap = cfg->rcvbuf;
  if (cfg->wscale && cap > seg)
    cap -= cap % seg; /* tcp_select_initial_window */
  ns_ring_set_cap(&c->rcvbuf, cap);
  c->rcv_space = MIN(cap, DRS_FIRST_SEGS * seg);
}

guint16 ns_tcp_window_field(NsTcpConn *c, gboolean syn, guint32 *edge) {
  guint32 space = ns_tcp_rcv_window(c);
  if (syn) {
    guint32 w = MIN(space, 65535u);
    *edge = c->rcv_nxt + w;
    return (guint16)w;
  }
  guint s = c->rcv_wscale;
  guint32 units = MIN(space >> s, 65535u);
  guint32 right = c->rcv_nxt + (units << s);
  if (ns_tcp_seq_lt(right, c->rcv_adv)) {
    /* Rounding down would move the edge left: round up instead, and
     * make the buffer hold what that promises. */
    guint32 need = c->rcv_adv - c->rcv_nxt;
    units = MIN((need + (1u << s) - 1) >> s, 65535u);
    right = c->rcv_nxt + (units << s);
    if ((units << s) > space)
      ns_ring_set_cap(&c->rcvbuf,
                      ns_ring_cap(&c->rcvbuf) + (units << s) - space);
  }
  *edge = right;
  return (guint16)units;
}

static void log_buffer(NsTcpConn *c, NsTime now, const char *which,
                       const char *why, gsize bytes) {
  NsTcp *tcp = c->tcp;
  if (!ns_tcp_log_on(tcp))
    return;
  char name[NS_TCP_NAME_LEN];
  ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/buffer", 0,
                ns_tcp_explain(tcp) ? why : NULL, "%s %s buffer %zu bytes",
                ns_tcp_conn_name(c, name), which, bytes);
}

void ns_tcp_rcv_autotune(NsTcpConn *c, NsTime now) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  gsize cap = ns_ring_cap(&c->rcvbuf);
  /* Without scaling the field says 64 KiB at most: no use growing. */
  if (!c->ws_ok || cfg->rcvbuf_max <= cap)
    return;
  if (c->rcv_space_at == 0) {
    c->rcv_space_at = now;
    c->rcv_space_seq = c->irs + 1;
  }
  if (now - c->rcv_space_at < MAX(c->srtt, NS_MSEC))
    return;
  guint64 copied = c->rcv_nxt - c->rcv_space_seq;
  c->rcv_space_seq = c->rcv_nxt;
  c->rcv_space_at = now;
  if (copied <= c->rcv_space)
    return;
  /* Twice this round trip's data and some, more while it grows fast
   * (the sender is in slow start): tcp_rcv_space_adjust. */
  guint64 win = 2 * copied + (guint64)DRS_SLACK_SEGS * c->snd_mss;
  win += 2 * win * (copied - c->rcv_space) / MAX(c->rcv_space, 1u);
  c->rcv_space = (guint32)copied;
  win = MIN(win, cfg->rcvbuf_max);
  if (win <= cap)
    return;
  ns_ring_set_cap(&c->rcvbuf, win);
  log_buffer(c, now, "receive",
             N_("autotuning: one round trip brought more "
                "than ever, so the window may grow to twice that (bounded by "
                "tcp-rmem-max)"),
             win);
}

void ns_tcp_snd_autotune(NsTcpConn *c) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  gsize cap = ns_ring_cap(&c->sndbuf);
  if (cfg->sndbuf_max <= cap)
    return;
  /* Room for a window in flight and the next one queued. */
  guint64 want = MIN(2 * (guint64)c->cwnd, cfg->sndbuf_max);
  if (want > cap)
    ns_ring_set_cap(&c->sndbuf, want);
}

void ns_tcp_ack_sent(NsTcpConn *c) {
  if (ns_timer_armed(&c->delack_timer))
    ns_timerq_cancel(c->tcp->ctx->timers, &c->delack_timer);
}

void ns_tcp_ack_received(NsTcpConn *c, gboolean now_please, NsTime now) {
  if (c->ack_sent == c->rcv_nxt)
    return;
  NsTime delay = c->tcp->cfg.delayed_ack;
  /* Linux's __tcp_ack_snd_check: more than one full segment not yet
   * acknowledged is the second one (RFC 9293: at least every second
   * full-sized segment). */
  if (delay == 0 || now_please || c->rcv_nxt - c->ack_sent > c->snd_mss) {
    ns_tcp_send_ack(c, now);
    return;
  }
  if (!ns_timer_armed(&c->delack_timer))
    ns_timerq_arm(c->tcp->ctx->timers, &c->delack_timer,
                  ns_time_add(now, delay));
}

void ns_tcp_delack_fired(NsTimer *t, NsTime now, gpointer data) {
  NsTcpConn *c = data;
  NsTcp *tcp = c->tcp;
  (void)t;
  if (!ns_tcp_synchronized(c->state) || c->ack_sent == c->rcv_nxt)
    return;
  ns_tcp_enter(tcp);
  if (ns_tcp_log_on(tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(
        tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/ack", 0,
        ns_tcp_explain(tcp)
            ? N_("delayed ACK: one segment came and nothing went back "
                 "to carry its ACK within tcp-delayed-ack, so a bare "
                 "ACK goes now (a second segment would have been "
                 "acknowledged at once)")
            : NULL,
        "%s delayed ACK of %u bytes", ns_tcp_conn_name(c, name),
        c->rcv_nxt - c->ack_sent);
  }
  ns_tcp_send_ack(c, now);
  ns_tcp_leave(tcp);
}

/* tcp_timer.c — a connection's clocks: the retransmission timer (RFC
 * 6298), which doubles as the zero-window persist timer (RFC 9293
 * 3.8.6.1), and TIME-WAIT. */
#include "core/i18n.h"
#include "net/tcp_private.h"

void ns_tcp_stop_rtx(NsTcpConn *c) {
  ns_timerq_cancel(c->tcp->ctx->timers, &c->rtx_timer);
  c->persist = FALSE;
}

void ns_tcp_arm_rtx(NsTcpConn *c, NsTime now) {
  c->persist = FALSE;
  ns_timerq_arm(c->tcp->ctx->timers, &c->rtx_timer, ns_time_add(now, c->rto));
}

void ns_tcp_persist_if_shut(NsTcpConn *c, NsTime now) {
  /* Data waits and the peer's window is shut with nothing in flight: only
   * a probe will learn when it opens again (RFC 9293 3.8.6.1). */
  if (!ns_tcp_synchronized(c->state) || c->snd_wnd != 0 ||
      c->snd_una != c->snd_max ||
      !ns_tcp_seq_lt(c->snd_nxt, ns_tcp_data_end(c)) ||
      ns_timer_armed(&c->rtx_timer))
    return;
  c->persist = TRUE;
  c->persist_shift = 0;
  ns_timerq_arm(c->tcp->ctx->timers, &c->rtx_timer, ns_time_add(now, c->rto));
  if (ns_tcp_log_on(c->tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(c->tcp->ctx->log, now, ns_ipnode_name(c->tcp->node),
                  "tcp/window", 0,
                  ns_tcp_explain(c->tcp)
                      ? N_("the receiver's buffer is full: we wait, and probe "
                           "in case its window update gets lost")
                      : NULL,
                  "%s peer window 0, %u bytes waiting",
                  ns_tcp_conn_name(c, name), ns_tcp_data_end(c) - c->snd_nxt);
  }
}

/* Probes back off like retransmissions (RFC 9293 3.8.6.1), on their own
 * count: the RTO itself stays what the RTT says, for when the window
 * opens. */
static void persist_fired(NsTcpConn *c, NsTime now) {
  c->persist = FALSE;
  if (c->snd_wnd != 0 || !ns_tcp_synchronized(c->state)) {
    ns_tcp_output(c, now);
    return;
  }
  ns_tcp_send_probe(c, now);
  c->persist = TRUE;
  c->persist_shift = MIN(c->persist_shift + 1, 16u);
  NsTime wait = MIN(c->rto << c->persist_shift, c->tcp->cfg.rto_max);
  ns_timerq_arm(c->tcp->ctx->timers, &c->rtx_timer, ns_time_add(now, wait));
}

/* The retransmission timer ran out: back off, or give up after too many
 * tries; else go back to the oldest unacknowledged byte. */
static void retransmit_fired(NsTcpConn *c, NsTime now) {
  NsTcp *tcp = c->tcp;
  const NsTcpConfig *cfg = &tcp->cfg;
  c->rto = MIN(c->rto * 2, cfg->rto_max);
  guint limit = c->state == NS_TCP_SYN_SENT || c->state == NS_TCP_SYN_RECEIVED
                    ? cfg->syn_retries
                    : cfg->max_retries;
  if (++c->backoffs > limit) {
    char why[NS_WHY_MAX];
    ns_why_printf(why, sizeof why,
                  N_("no acknowledgement after %u retransmissions: giving up"),
                  limit);
    if (c->state != NS_TCP_SYN_SENT)
      ns_tcp_send_rst(c, now, why);
    ns_tcp_drop(c, NS_TCP_CLOSE_TIMEOUT, FALSE, now, why);
    return;
  }
  c->timeouts++;
  ns_tcp_cc_timeout(c);
  c->snd_nxt = c->snd_una; /* go back N */
  if (ns_tcp_sack_timeout(c))
    ns_tcp_log_retransmit(
        c, now,
        N_("the retransmission timer ran out before an ACK "
           "came: RTO doubled, congestion window back to one "
           "segment; the holes are sent again from the oldest "
           "unacknowledged byte, what the receiver SACKed is "
           "skipped"));
  else
    ns_tcp_log_retransmit(
        c, now,
        N_("the retransmission timer ran out before an ACK "
           "came: resend from the oldest unacknowledged byte, "
           "RTO doubled, congestion window back to one "
           "segment"));
  ns_timerq_cancel(tcp->ctx->timers, &c->rtx_timer);
  ns_tcp_output(c, now);
}

void ns_tcp_rtx_fired(NsTimer *t, NsTime now, gpointer data) {
  NsTcpConn *c = data;
  (void)t;
  ns_tcp_enter(c->tcp);
  if (c->persist)
    persist_fired(c, now);
  else
    retransmit_fired(c, now);
  ns_tcp_leave(c->tcp);
}

void ns_tcp_time_wait_fired(NsTimer *t, NsTime now, gpointer data) {
  NsTcpConn *c = data;
  (void)t;
  ns_tcp_enter(c->tcp);
  ns_tcp_drop(c, NS_TCP_CLOSE_NORMAL, FALSE, now,
              N_("TIME-WAIT is over: no old segment of this connection can "
                 "still be in the network"));
  ns_tcp_leave(c->tcp);
}

void ns_tcp_restart_time_wait(NsTcpConn *c, NsTime now) {
  ns_timerq_arm(c->tcp->ctx->timers, &c->tw_timer,
                ns_time_add(now, c->tcp->cfg.time_wait));
}

void ns_tcp_enter_time_wait(NsTcpConn *c, NsTime now, const char *why) {
  ns_tcp_stop_rtx(c);
  ns_tcp_set_state(c, NS_TCP_TIME_WAIT, now, why);
  ns_tcp_restart_time_wait(c, now);
  /* The application hears of it once the segment that brought us here is
   * processed (ns_tcp_input), after any last data and end-of-file. */
}

/* tcp_output.c — building and sending segments: what the state, the data
 * and the windows allow, retransmission from the send buffer, the
 * sender's side of an acknowledgement, window updates and probes.  When
 * to send again is tcp_timer.c's; how much the network takes, tcp_cc.c's. */
#include <string.h>

#include "core/i18n.h"
#include "net/tcp_private.h"

#define TTL 64

guint32 ns_tcp_rcv_window(const NsTcpConn *c) {
  return (guint32)ns_ring_space(&c->rcvbuf);
}

/* A segment as it is written into its frame: the header of hlen bytes
 * (options included) and len data bytes from off in ring (none when ring
 * is NULL), checksummed for src -> dst once they sit there. */
typedef struct {
  NsTcpHdr *h;
  gsize hlen;
  const NsRing *ring;
  gsize off, len;
  NsIp4 src, dst;
} SegmentFill;

static SegmentFill segment_fill(NsTcpHdr *h, const NsRing *ring, gsize off,
                                gsize len, NsIp4 src, NsIp4 dst) {
  return (SegmentFill){h, ns_tcp_header_len(h), ring, off, len, src, dst};
}

static void fill_segment(guint8 *dst, gsize len, gpointer data) {
  SegmentFill *sf = data;
  g_assert(sf->hlen + sf->len == len);
  if (sf->len > 0)
    ns_ring_peek(sf->ring, sf->off, dst + sf->hlen, sf->len);
  ns_tcp_emit(dst, sf->h, sf->len, sf->src, sf->dst);
}

/* A segment to IP, from the address the connection is bound to: TCP
 * chose its source when the connection was made.  Don't Fragment is set
 * (path MTU discovery, as Linux does), and the identification is what
 * Linux gives a datagram with DF: the connection's own counter (from an
 * unpredictable start), or 0 when no connection sends it (a reset for a
 * port without one, a listener's SYN+ACK).  The segment is written
 * straight into the frame (ns_ipnode_send_fill): no copy in between. */
static void send_datagram(NsTcp *tcp, guint16 ip_id, SegmentFill *sf,
                          NsTime now) {
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_TCP, TTL);
  o.src_select = NS_IP_SRC_GIVEN;
  o.src = sf->src;
  o.df = TRUE;
  o.id_given = TRUE;
  o.id = ip_id;
  o.csum_ok = TRUE; /* ns_tcp_emit computes it */
  tcp->counters.segs_out++;
  ns_ipnode_send_fill(tcp->node, sf->dst, &o, sf->hlen + sf->len, fill_segment,
                      sf, now, NULL);
}

/* Builds and sends one segment: seq, flags, and len data bytes taken from
 * the send buffer at seq (seq must then lie in it).  Every segment but the
 * first SYN carries ACK with rcv_nxt and our window. */
static void send_segment(NsTcpConn *c, guint32 seq, guint8 flags, guint32 len,
                         NsTime now) {
  NsTcp *tcp = c->tcp;
  NsTcpHdr h = {0};
  h.sport = c->key.lport;
  h.dport = c->key.rport;
  h.seq = seq;
  h.flags = flags;
  guint32 edge;
  h.window = ns_tcp_window_field(c, (flags & NS_TCP_SYN) != 0, &edge);
  if (flags & NS_TCP_ACK) {
    h.ack = c->rcv_nxt;
    c->rcv_adv = edge;
    c->ack_sent = c->rcv_nxt;
    ns_tcp_ack_sent(c);
  }
  ns_tcp_fill_options(c, &h, now);
  /* SACK-permitted: offered in our SYN, answered in our SYN+ACK. */
  if (flags & NS_TCP_SYN)
    h.sack_ok = c->state == NS_TCP_SYN_SENT ? tcp->cfg.sack : c->sack_ok;
  ns_tcp_sack_fill(c, &h);
  gboolean listener_syn_ack =
      c->state == NS_TCP_SYN_RECEIVED && c->listener != NULL;
  guint16 ip_id = listener_syn_ack ? 0 : c->ip_id++;
  SegmentFill sf = segment_fill(&h, &c->sndbuf, seq - c->buf_seq, len,
                                c->key.local, c->key.remote);
  send_datagram(tcp, ip_id, &sf, now);
}

/* A bare ACK carries snd.max, not snd.nxt: after a timeout snd.nxt went
 * back to the oldest unacknowledged byte, but the peer may hold everything
 * up to snd.max, and would find a lower sequence number old.  Not beyond
 * the right edge of the peer's window either (snd.una + snd.wnd): a peer
 * whose window shut would find it out of the window and drop the ACK
 * unread (Linux's tcp_acceptable_seq does the same). */
void ns_tcp_send_ack(NsTcpConn *c, NsTime now) {
  guint32 edge = c->snd_una + c->snd_wnd;
  guint32 seq = ns_tcp_seq_lt(edge, c->snd_max) ? edge : c->snd_max;
  send_segment(c, seq, NS_TCP_ACK, 0, now);
}

/* The two rate limits of ACKs to what we do not accept (tcp_private.h). */
typedef enum { LIMIT_INVALID, LIMIT_CHALLENGE } AckLimit;
static const struct {
  const char *what, *why;
} ack_limits[] = {
    [LIMIT_INVALID] = {"ACKs to unacceptable segments are limited to one per "
                       "500 ms per connection",
                       "RFC 5961 7, Linux's tcp_invalid_ratelimit: two ends "
                       "that disagree about the connection would otherwise "
                       "answer each other's ACKs forever"},
    [LIMIT_CHALLENGE] = {"challenge ACKs are limited to 1000 per second on "
                         "this node",
                         "RFC 5961 7, Linux's tcp_challenge_ack_limit: "
                         "resets or SYNs in the window arrive faster than "
                         "any peer's own would"},
};

/* Counted always, logged once per connection (never per segment). */
static void ack_suppressed(NsTcpConn *c, AckLimit which, NsTime now) {
  NsTcp *tcp = c->tcp;
  tcp->counters.acks_ratelimited++;
  if (c->ratelimit_logged || !ns_tcp_log_on(tcp))
    return;
  c->ratelimit_logged = TRUE;
  char name[NS_TCP_NAME_LEN];
  ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/ratelimit",
                0, ns_tcp_explain(tcp) ? ack_limits[which].why : NULL,
                "%s ACK not sent: %s (further ones only counted, "
                "tcp.acks_ratelimited)",
                ns_tcp_conn_name(c, name), ack_limits[which].what);
}

void ns_tcp_send_oow_ack(NsTcpConn *c, const NsTcpSeg *s, NsTime now) {
  gboolean loop_prone = s->syn || (!s->had_data && !s->fin);
  if (loop_prone && c->oow_acked &&
      now - c->oow_ack_at < NS_TCP_INVALID_RATELIMIT) {
    ack_suppressed(c, LIMIT_INVALID, now);
    return;
  }
  if (loop_prone) {
    c->oow_acked = TRUE;
    c->oow_ack_at = now;
  }
  ns_tcp_send_ack(c, now);
}

void ns_tcp_send_challenge_ack(NsTcpConn *c, NsTime now) {
  NsTcp *tcp = c->tcp;
  guint64 second = now / NS_SEC;
  if (second != tcp->challenge_second) {
    tcp->challenge_second = second;
    tcp->challenge_count = 0;
  }
  if (tcp->challenge_count >= NS_TCP_CHALLENGE_ACK_LIMIT) {
    ack_suppressed(c, LIMIT_CHALLENGE, now);
    return;
  }
  tcp->challenge_count++;
  ns_tcp_send_ack(c, now);
}

void ns_tcp_send_rst(NsTcpConn *c, NsTime now, const char *why) {
  NsTcp *tcp = c->tcp;
  tcp->counters.rst_out++;
  if (ns_tcp_log_on(tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/rst", 0,
                  ns_tcp_explain(tcp) ? why : NULL, "%s reset, seq %u",
                  ns_tcp_conn_name(c, name), c->snd_nxt);
  }
  send_segment(c, c->snd_nxt, NS_TCP_RST | NS_TCP_ACK, 0, now);
}

void ns_tcp_reply_rst(NsTcp *tcp, const NsIpv4Hdr *ip, const NsTcpHdr *in,
                      guint32 seg_len, NsTime now, const char *why) {
  if (in->flags & NS_TCP_RST)
    return; /* never answer a reset */
  NsTcpHdr h = {0};
  h.sport = in->dport;
  h.dport = in->sport;
  if (in->flags & NS_TCP_ACK) {
    h.seq = in->ack;
    h.flags = NS_TCP_RST;
  } else {
    h.seq = 0;
    h.ack = in->seq + seg_len;
    h.flags = NS_TCP_RST | NS_TCP_ACK;
  }
  tcp->counters.rst_out++;
  if (ns_tcp_log_on(tcp)) {
    char s[NS_IP4_STRLEN];
    ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/rst", 0,
                  ns_tcp_explain(tcp) ? why : NULL,
                  "reset to %s:%u, port %u has no connection",
                  ns_ip4_format(ip->src, s), in->sport, in->dport);
  }
  SegmentFill sf = segment_fill(&h, NULL, 0, 0, ip->dst, ip->src);
  send_datagram(tcp, 0, &sf, now);
}

/* The data a segment may carry: less when SACK blocks ride on it (at
 * least one byte, whatever MSS a peer announced). */
static guint32 data_mss(const NsTcpConn *c) {
  guint32 opt = ns_tcp_sack_opt_len(c);
  return c->snd_mss > opt ? c->snd_mss - opt : 1;
}

/* Sends one segment starting at seq if there is anything the state and
 * the windows allow, ending at limit at most (and at the peer's right
 * edge); returns the sequence space it took, 0 when there was nothing to
 * send.  hole: a hole of SACK recovery, sent whatever its size, snd_nxt
 * left where it is. */
static guint32 send_at(NsTcpConn *c, guint32 seq, guint32 limit, gboolean hole,
                       NsTime now) {
  gboolean retransmit = ns_tcp_seq_lt(seq, c->snd_max);
  guint32 mss = 0;
  guint8 flags = 0;
  guint32 len = 0;

  if (seq == c->iss && c->state == NS_TCP_SYN_SENT) {
    flags = NS_TCP_SYN;
  } else if (seq == c->iss && c->state == NS_TCP_SYN_RECEIVED) {
    flags = NS_TCP_SYN | NS_TCP_ACK;
  } else if (ns_tcp_synchronized(c->state) && c->state != NS_TCP_TIME_WAIT) {
    guint32 end = ns_tcp_data_end(c);
    guint32 avail = ns_tcp_seq_lt(seq, end) ? end - seq : 0;
    guint32 edge = c->snd_una + c->snd_wnd;
    if (ns_tcp_seq_lt(edge, limit))
      limit = edge;
    guint32 usable = ns_tcp_seq_lt(seq, limit) ? limit - seq : 0;
    guint32 room = MIN(avail, usable);
    mss = room > 0 ? data_mss(c) : 0;
    len = MIN(room, mss);
    /* Sender-side silly window avoidance (RFC 9293 3.8.6.2.1): a segment
     * shorter than the MSS goes out only when it carries all the data we
     * have, or half the largest window the peer ever offered; otherwise
     * wait for the window to open further, but only while the
     * retransmission timer runs (an ACK or the timer will bring us back).
     * With nothing in flight no ACK will come: send what fits (the RFC's
     * override timeout, at once). */
    gboolean ack_due = ns_timer_armed(&c->rtx_timer) && !c->persist;
    if (!hole && len > 0 && len < mss && len < avail &&
        len < c->max_snd_wnd / 2 && ack_due)
      len = 0;
    flags = NS_TCP_ACK;
    if (len > 0 && seq + len == end)
      flags |= NS_TCP_PSH;
    /* The FIN rides on the last data segment or goes alone once all data
     * went out; it needs no window (RFC 9293 does not count it against
     * the peer's buffer). */
    if (c->fin_queued && seq + len == end &&
        (c->state == NS_TCP_FIN_WAIT_1 || c->state == NS_TCP_CLOSING ||
         c->state == NS_TCP_LAST_ACK))
      flags |= NS_TCP_FIN;
    if (len == 0 && !(flags & NS_TCP_FIN))
      return 0;
  } else {
    return 0;
  }

  if (retransmit) {
    c->retransmits++;
    c->tcp->counters.retransmits++;
  } else if (!c->rtt_timing &&
             (len > 0 || (flags & (NS_TCP_SYN | NS_TCP_FIN)))) {
    /* Time this segment (Karn: never a retransmitted one). */
    c->rtt_timing = TRUE;
    c->rtt_seq = seq;
    c->rtt_start = now;
  }
  send_segment(c, seq, flags, len, now);
  guint32 used =
      len + ((flags & NS_TCP_SYN) ? 1 : 0) + ((flags & NS_TCP_FIN) ? 1 : 0);
  if (!hole)
    c->snd_nxt = seq + used;
  if (ns_tcp_seq_gt(seq + used, c->snd_max))
    c->snd_max = seq + used;
  if (!ns_timer_armed(&c->rtx_timer) || c->persist)
    ns_tcp_arm_rtx(c, now);
  return used;
}

/* From snd_nxt, as far as the peer's window and our congestion window
 * allow (both from snd_una). */
static gboolean send_next(NsTcpConn *c, NsTime now) {
  guint32 wnd = MIN(c->snd_wnd, c->cwnd);
  return send_at(c, c->snd_nxt, c->snd_una + wnd, FALSE, now) > 0;
}

guint32 ns_tcp_send_hole(NsTcpConn *c, guint32 seq, guint32 end, gboolean first,
                         NsTime now) {
  guint32 used = send_at(c, seq, end, TRUE, now);
  if (used == 0)
    return 0;
  c->sack_retransmits++;
  c->tcp->counters.sack_retransmits++;
  guint32 data_end = ns_tcp_data_end(c);
  guint32 last = ns_tcp_seq_lt(data_end, seq + used) ? data_end : seq + used;
  c->sack_bytes_resent += ns_tcp_seq_lt(seq, last) ? last - seq : 0;
  if (c->rtt_timing && ns_tcp_seq_ge(c->rtt_seq, seq) &&
      ns_tcp_seq_lt(c->rtt_seq, seq + used))
    c->rtt_timing = FALSE; /* Karn: its ACK would time either copy */
  ns_tcp_sack_log_hole(c, seq, seq + used, first, now);
  if (ns_tcp_seq_gt(seq + used, c->rtx_next))
    c->rtx_next = seq + used;
  return used;
}

/* SACK recovery (RFC 6675 5 (C)): while cwnd - pipe leaves a segment,
 * what NextSeg chooses. */
static gboolean sack_output(NsTcpConn *c, NsTime now) {
  guint32 pipe = ns_tcp_sack_pipe(c);
  guint32 pipe0 = pipe;
  guint32 fin = c->fin_queued ? 1 : 0;
  gboolean new_ok = ns_tcp_seq_lt(c->snd_max, ns_tcp_data_end(c) + fin);
  /* Bounded: each round sends (a hole moves rtx_next, new data snd_max)
   * or stops. */
  while (pipe < c->cwnd && c->cwnd - pipe >= c->snd_mss) {
    guint32 seq, end, used;
    NsTcpNext next = ns_tcp_sack_next_seg(c, new_ok, &seq, &end);
    if (next == NS_TCP_NEXT_NONE)
      break;
    if (next == NS_TCP_NEXT_NEW) {
      used = send_at(c, c->snd_max, c->snd_una + c->snd_wnd, FALSE, now);
      new_ok = used > 0;
      pipe += used;
      continue;
    }
    used = ns_tcp_send_hole(c, seq, end, FALSE, now);
    if (used == 0)
      break;
    pipe += used;
  }
  return pipe != pipe0; /* whether it sent */
}

void ns_tcp_output(NsTcpConn *c, NsTime now) {
  /* Bounded: each round sends at least one byte of sequence space and the
   * send buffer is finite. */
  gboolean sent = FALSE;
  if (c->sack_ok && c->in_recovery)
    sent = sack_output(c, now);
  else
    while (send_next(c, now))
      sent = TRUE;
  if (ns_tcp_synchronized(c->state))
    ns_tcp_cc_validate(c, sent);
  ns_tcp_persist_if_shut(c, now);
}

void ns_tcp_retransmit_first(NsTcpConn *c, NsTime now) {
  guint32 saved = c->snd_nxt;
  guint32 saved_cwnd = c->cwnd;
  c->snd_nxt = c->snd_una;
  /* One segment whatever the congestion window; the peer's window still
   * bounds it, and a shut one lets a single byte through (a probe that
   * carries data, RFC 9293 3.8.6.1). */
  c->cwnd = MAX(c->cwnd, c->snd_mss);
  guint32 wnd = c->snd_wnd;
  if (c->snd_wnd == 0)
    c->snd_wnd = 1;
  send_next(c, now);
  c->snd_wnd = wnd;
  c->cwnd = saved_cwnd;
  if (ns_tcp_seq_gt(saved, c->snd_nxt))
    c->snd_nxt = saved;
}

void ns_tcp_ack_advanced(NsTcpConn *c, guint32 ack, NsTime now) {
  guint32 acked = ack - c->snd_una;
  ns_tcp_cc_rtt(c, ack, now);

  /* Sequence space acknowledged: maybe the SYN, data, maybe the FIN. */
  guint32 data_acked = 0;
  if (ns_tcp_seq_gt(ack, c->buf_seq)) {
    guint32 end = ns_tcp_data_end(c);
    guint32 upto = ns_tcp_seq_lt(ack, end) ? ack : end;
    data_acked = upto - c->buf_seq;
    ns_ring_pop(&c->sndbuf, NULL, data_acked);
    c->buf_seq = upto;
    c->bytes_sent += data_acked;
  }
  c->snd_una = ack;
  ns_tcp_sack_trim(c, now);
  if (ns_tcp_seq_lt(c->snd_nxt, c->snd_una))
    c->snd_nxt = c->snd_una;
  ns_tcp_cc_acked(c, ack, acked, now);
  ns_tcp_snd_autotune(c);

  if (c->snd_una == c->snd_max)
    ns_tcp_stop_rtx(c);
  else if (!c->in_recovery)
    ns_tcp_arm_rtx(c, now);

  if (c->want_writable && ns_ring_space(&c->sndbuf) > 0 && data_acked > 0) {
    c->want_writable = FALSE;
    if (!c->released && c->cb.writable != NULL)
      c->cb.writable(c, now, c->cb.data);
  }
}

void ns_tcp_log_retransmit(NsTcpConn *c, NsTime now, const char *why) {
  NsTcp *tcp = c->tcp;
  if (!ns_tcp_log_on(tcp))
    return;
  /* The congestion window is in `show tcp` (the line stays short). */
  char name[NS_TCP_NAME_LEN];
  ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/retransmit",
                0, ns_tcp_explain(tcp) ? why : NULL,
                "%s seq %u again (rto %" G_GUINT64_FORMAT " ms)",
                ns_tcp_conn_name(c, name), c->snd_una, c->rto / NS_MSEC);
}

void ns_tcp_send_probe(NsTcpConn *c, NsTime now) {
  /* seq snd_una - 1 is old: the receiver answers with an ACK carrying its
   * current window, and takes nothing (as Linux probes). */
  c->zero_window_probes++;
  if (ns_tcp_log_on(c->tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(
        c->tcp->ctx->log, now, ns_ipnode_name(c->tcp->node), "tcp/window", 0,
        ns_tcp_explain(c->tcp)
            ? N_("zero-window probe: an old sequence number makes the "
                 "receiver answer with its current window")
            : NULL,
        "%s probe", ns_tcp_conn_name(c, name));
  }
  send_segment(c, c->snd_una - 1, NS_TCP_ACK, 0, now);
}

void ns_tcp_window_opened(NsTcpConn *c, NsTime now) {
  /* Receiver-side silly window avoidance (RFC 9293 3.8.6.2.2): announce
   * only a worthwhile increase, or any increase from a shut window. */
  guint s = c->rcv_wscale;
  guint32 units = MIN(ns_tcp_rcv_window(c) >> s, 65535u);
  guint32 right = c->rcv_nxt + (units << s);
  guint32 grown = right - c->rcv_adv;
  gboolean was_shut = c->rcv_adv == c->rcv_nxt;
  guint32 enough = MIN((guint32)ns_ring_cap(&c->rcvbuf) / 2, c->tcp->cfg.mss);
  if (ns_tcp_seq_le(right, c->rcv_adv))
    return;
  if (c->in_input) {
    c->window_update_due = TRUE;
    return;
  }
  /* With delayed ACKs, reading must not defeat the delay: as Linux's
   * tcp_cleanup_rbuf, only a window that at least doubled is news. */
  if (c->tcp->cfg.delayed_ack > 0)
    enough = MAX(enough, c->rcv_adv - c->rcv_nxt);
  if (was_shut || grown >= enough)
    ns_tcp_send_ack(c, now);
}

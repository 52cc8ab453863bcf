/* tcp_cc.c — how fast a connection may send: the round-trip estimate
 * behind the retransmission timeout (RFC 6298) and the congestion window
 * (RFC 5681: slow start, congestion avoidance, fast retransmit and fast
 * recovery, with NewReno's partial ACKs, RFC 6582; with SACK, RFC 6675's
 * recovery, whose choices are tcp_sack.c's). */
#include "core/i18n.h"
#include "net/tcp_private.h"

/* Initial congestion window (RFC 5681 3.1 with RFC 3390's formula).  The
 * ACK of our SYN acknowledges no data: the handshake ends with this cwnd,
 * not one grown by it. */
guint32 ns_tcp_initial_window(const NsTcpConn *c) {
  guint iw = c->tcp->cfg.init_cwnd;
  if (iw > 0)
    return iw * c->snd_mss; /* RFC 6928 */
  return MIN(4u * c->snd_mss, MAX(2u * c->snd_mss, 4380u));
}

/* RFC 6298 2.2-2.4 with G = 0 (the clock is exact). */
static void rtt_sample(NsTcpConn *c, NsTime r) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  if (c->srtt == 0) {
    c->srtt = r;
    c->rttvar = r / 2;
  } else {
    NsTime diff = c->srtt > r ? c->srtt - r : r - c->srtt;
    c->rttvar = (3 * c->rttvar + diff) / 4;
    c->srtt = (7 * c->srtt + r) / 8;
  }
  NsTime rto = c->srtt + 4 * c->rttvar;
  c->rto = CLAMP(rto, cfg->rto_min, cfg->rto_max);
}

void ns_tcp_cc_rtt(NsTcpConn *c, guint32 ack, NsTime now) {
  NsTime r;
  if (ns_tcp_ts_rtt(c, now, &r)) {
    /* Timestamps time every ACK, retransmissions included (RFC 7323
     * 4.1: the echo says which transmission came back). */
    c->rtt_timing = FALSE;
    rtt_sample(c, r);
  } else if (c->rtt_timing && ns_tcp_seq_gt(ack, c->rtt_seq)) {
    c->rtt_timing = FALSE;
    rtt_sample(c, now - c->rtt_start);
  }
  c->backoffs = 0;
}

/* Whether the window is in use enough to grow (RFC 7661's concern, by
 * Linux's rule, tcp_is_cwnd_limited): the last round filled it, or, in
 * slow start, it is still below twice the most sent in flight.  A sender
 * held back by the peer's window or by its application (a bulk transfer
 * into a 64 KiB receive window) keeps a cwnd it can use, not one grown
 * by every ACK to megabytes, and the send buffer (twice cwnd) with it. */
static gboolean cwnd_in_use(const NsTcpConn *c) {
  if (c->cwnd_limited)
    return TRUE;
  return c->cwnd < c->ssthresh && c->cwnd / 2 < c->max_flight;
}

void ns_tcp_cc_validate(NsTcpConn *c, gboolean sent) {
  guint32 flight = c->snd_max - c->snd_una;
  gboolean limited = flight >= c->cwnd || c->cwnd - flight < c->snd_mss;
  if (!sent && !limited)
    return;
  /* A new window of tracking once the last one's data is acknowledged;
   * within one, a full cwnd or a larger flight is news. */
  if (ns_tcp_seq_ge(c->snd_una, c->cwnd_usage_seq) || limited ||
      (!c->cwnd_limited && flight > c->max_flight)) {
    c->cwnd_limited = limited;
    c->max_flight = flight;
    c->cwnd_usage_seq = c->snd_max;
  }
}

/* Slow start below ssthresh, congestion avoidance above; only while the
 * window is in use. */
static void open_window(NsTcpConn *c, guint32 acked) {
  guint32 mss = c->snd_mss;
  if (!cwnd_in_use(c))
    return;
  if (c->cwnd < c->ssthresh)
    c->cwnd += MIN(acked, mss); /* slow start */
  else
    c->cwnd += MAX(1u, mss * mss / c->cwnd); /* congestion avoidance */
}

/* SACK recovery (RFC 6675): pipe paces the sending, so a partial ACK
 * changes no window but restarts the timer; after a timeout, slow start
 * goes on.  It ends when snd_una reaches recover, cwnd at ssthresh (or
 * what slow start made it). */
static void sack_acked(NsTcpConn *c, guint32 ack, guint32 acked, NsTime now) {
  if (c->sack_rto)
    open_window(c, acked);
  ns_tcp_arm_rtx(c, now);
  if (ns_tcp_seq_ge(ack, c->recover)) {
    c->in_recovery = FALSE;
    c->sack_rto = FALSE;
    c->dupacks = 0;
  }
}

void ns_tcp_cc_acked(NsTcpConn *c, guint32 ack, guint32 acked, NsTime now) {
  guint32 mss = c->snd_mss;
  if (c->in_recovery && c->sack_ok) {
    sack_acked(c, ack, acked, now);
  } else if (c->in_recovery) {
    if (ns_tcp_seq_ge(ack, c->recover)) {
      c->in_recovery = FALSE; /* full ACK: deflate (RFC 6582 3.2 step 3) */
      c->cwnd = MIN(c->ssthresh, MAX(c->snd_max - c->snd_una, mss) + mss);
      c->dupacks = 0;
    } else {
      /* Partial ACK: the next hole is lost too; resend it at once. */
      ns_tcp_retransmit_first(c, now);
      c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
      c->cwnd += mss;
      ns_tcp_arm_rtx(c, now);
    }
  } else {
    c->dupacks = 0;
    open_window(c, acked);
  }
}

/* Three duplicate ACKs: the segment at snd_una is taken as lost. */
static void fast_retransmit(NsTcpConn *c, NsTime now) {
  guint32 flight = c->snd_max - c->snd_una;
  c->ssthresh = MAX(flight / 2, 2u * c->snd_mss);
  c->recover = c->snd_max;
  c->in_recovery = TRUE;
  c->fast_retransmits++;
  c->rtt_timing = FALSE;
  ns_tcp_log_retransmit(
      c, now,
      N_("three duplicate ACKs: the receiver keeps asking for this "
         "byte, so the segment is lost while later ones arrived "
         "(fast retransmit, half the window)"));
  ns_tcp_retransmit_first(c, now);
  c->cwnd = c->ssthresh + 3 * c->snd_mss;
  ns_tcp_arm_rtx(c, now);
}

void ns_tcp_cc_dupack(NsTcpConn *c, NsTime now) {
  c->dupacks++;
  c->dup_acks++;
  if (c->dupacks == 3 && !c->in_recovery)
    fast_retransmit(c, now);
  else if (c->in_recovery && c->dupacks > 3)
    c->cwnd += c->snd_mss; /* each dup ACK: one more segment left */
}

void ns_tcp_cc_timeout(NsTcpConn *c) {
  guint32 flight = c->snd_max - c->snd_una;
  c->ssthresh = MAX(flight / 2, 2u * c->snd_mss);
  c->cwnd = c->snd_mss; /* loss window (RFC 5681 3.1) */
  c->in_recovery = FALSE;
  c->dupacks = 0;
  c->rtt_timing = FALSE;
}

/* tcp_opts.c — the TCP options of RFC 7323 as Linux uses them: what our
 * segments carry, what the SYNs agree to, scaled windows, timestamps
 * (TS.Recent, RTT samples) and PAWS.  The MSS option is here too; SACK's
 * options are the SACK code's. */
#include "core/i18n.h"
#include "net/tcp_private.h"

/* RFC 7323 5.5: a TS.Recent older than this (24 days idle) is no longer
 * valid, the timestamp clock may have wrapped since. */
#define PAWS_IDLE (24 * 24 * 3600 * NS_SEC)
/* The option bytes timestamps take in every segment, padded: 12. */
#define TS_ALIGNED 12

/* Our shift: the smallest that lets a 16-bit field say the largest
 * receive buffer we may grow to (Linux: 7 for 6 MiB). */
static guint8 wscale_for(guint32 bufmax) {
  guint8 s = 0;
  while (s < NS_TCP_MAX_WSCALE && ((guint64)65535 << s) < bufmax)
    s++;
  return s;
}

void ns_tcp_opts_init(NsTcpConn *c) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  c->rcv_wscale = cfg->wscale ? wscale_for(cfg->rcvbuf_max) : 0;
  /* Linux draws a random offset per connection (secure_tcp_ts_off); ours
   * comes from the seed. */
  c->ts_offset = ns_ctx_hash(c->tcp->ctx, "tcp ts", c->iss);
}

guint32 ns_tcp_ts_now(const NsTcpConn *c, NsTime now) {
  return (guint32)(now / NS_MSEC) + c->ts_offset;
}

void ns_tcp_fill_options(NsTcpConn *c, NsTcpHdr *h, NsTime now) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  gboolean syn = (h->flags & NS_TCP_SYN) != 0;
  /* Our own SYN offers what we have; a SYN+ACK answers what was
   * offered (RFC 7323 2.2, 3.2). */
  gboolean opening = c->state == NS_TCP_SYN_SENT;
  if (syn) {
    h->mss = (guint16)cfg->mss;
    if (opening ? cfg->wscale : c->ws_ok) {
      h->has_ws = TRUE;
      h->ws = c->rcv_wscale;
    }
  }
  if (syn && opening ? cfg->timestamps : c->ts_ok) {
    h->has_ts = TRUE;
    h->tsval = ns_tcp_ts_now(c, now);
    h->tsecr = (h->flags & NS_TCP_ACK) ? c->ts_recent : 0;
  }
}

void ns_tcp_opts_learn_syn(NsTcpConn *c, const NsTcpHdr *h, NsTime now) {
  const NsTcpConfig *cfg = &c->tcp->cfg;
  c->ws_ok = cfg->wscale && h->has_ws;
  c->snd_wscale = c->ws_ok ? h->ws : 0;
  if (!c->ws_ok)
    c->rcv_wscale = 0;
  c->ts_ok = cfg->timestamps && h->has_ts;
  if (c->ts_ok) {
    c->ts_recent = h->tsval;
    c->ts_recent_at = now;
    /* Room for the option in every segment: Linux's 1448. */
    c->snd_mss = (guint16)(c->snd_mss - TS_ALIGNED);
  }
}

guint32 ns_tcp_opts_own_seg(const NsTcpConn *c) {
  return c->tcp->cfg.mss - (c->ts_ok ? TS_ALIGNED : 0);
}

guint32 ns_tcp_peer_window(const NsTcpConn *c, const NsTcpHdr *h) {
  if (h->flags & NS_TCP_SYN)
    return h->window; /* never scaled (RFC 7323 2.2) */
  return (guint32)h->window << c->snd_wscale;
}

gboolean ns_tcp_paws_reject(NsTcpConn *c, const NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (!c->ts_ok || !h->has_ts || (h->flags & NS_TCP_RST) ||
      !ns_tcp_seq_lt(h->tsval, c->ts_recent))
    return FALSE;
  if (now - c->ts_recent_at > PAWS_IDLE) {
    /* Idle for 24 days: TS.Recent says nothing any more (5.5). */
    c->ts_recent = h->tsval;
    c->ts_recent_at = now;
    return FALSE;
  }
  ns_tcp_send_oow_ack(c, s, now);
  char name[NS_TCP_NAME_LEN];
  if (ns_tcp_log_on(c->tcp))
    ns_tcp_log_drop(c->tcp, now,
                    N_("PAWS (RFC 7323 5): its timestamp is older than the "
                       "newest we took from this peer, so it is an old "
                       "duplicate from an earlier pass of the sequence space; "
                       "answered with an ACK"),
                    "%s seq %u len %u: TSval %u older than TS.Recent %u",
                    ns_tcp_conn_name(c, name), h->seq, s->dlen, h->tsval,
                    c->ts_recent);
  return TRUE;
}

void ns_tcp_ts_update_recent(NsTcpConn *c, const NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  /* RFC 7323 4.3: only a segment that does not start beyond what we
   * acknowledged last, so that a delayed ACK echoes the oldest segment it
   * covers and the peer's RTT includes the delay. */
  if (c->ts_ok && h->has_ts && ns_tcp_seq_ge(h->tsval, c->ts_recent) &&
      ns_tcp_seq_le(h->seq, c->ack_sent)) {
    c->ts_recent = h->tsval;
    c->ts_recent_at = now;
  }
}

gboolean ns_tcp_ts_rtt(const NsTcpConn *c, NsTime now, NsTime *rtt) {
  if (!c->ts_ok || !c->seg_has_ts || c->seg_tsecr == 0)
    return FALSE;
  gint32 ms = (gint32)(ns_tcp_ts_now(c, now) - c->seg_tsecr);
  if (ms < 0)
    return FALSE;
  /* Under a millisecond the clock did not tick: 1 ms, as Linux counts it
   * (tcp_ack_update_rtt), never 0, which would read as "no sample yet"
   * and start the estimate over at each ACK. */
  *rtt = (NsTime)MAX(ms, 1) * NS_MSEC;
  return TRUE;
}

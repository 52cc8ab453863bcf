/* tcp_input.c — segment arrival (RFC 9293 3.10.7), by state: LISTEN,
 * SYN-SENT, then the checks of the synchronized states in the RFC's order
 * (sequence, RST, SYN, ACK, data and FIN), the application told last.
 * The receive window and the out-of-order queue are tcp_reass.c's. */
#include <string.h>

#include "core/i18n.h"
#include "net/tcp_private.h"

void ns_tcp_log_drop(NsTcp *tcp, NsTime now, const char *why, const char *fmt,
                     ...) {
  if (!ns_tcp_log_on(tcp))
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *s = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  ns_log_event(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/drop", 0,
               ns_tcp_explain(tcp) ? why : NULL, s);
}

/* The numbers a SYN tells us, and what its options agree to. */
static void learn_peer_syn(NsTcpConn *c, const NsTcpHdr *h, NsTime now) {
  guint32 ours = c->tcp->cfg.mss;
  c->irs = h->seq;
  c->rcv_nxt = h->seq + 1;
  c->snd_mss = (guint16)(h->mss != 0 ? MIN(h->mss, ours) : MIN(536u, ours));
  ns_tcp_opts_learn_syn(c, h, now);
  /* The window our own SYN offered counts from here (as Linux's
   * rcv_wup): no later announcement moves its edge left. */
  c->rcv_adv = c->rcv_nxt;
  if (c->state == NS_TCP_SYN_SENT)
    c->rcv_adv += MIN(ns_tcp_rcv_window(c), 65535u);
  c->snd_wnd = h->window;
  c->max_snd_wnd = h->window;
  c->snd_wl1 = h->seq;
  c->snd_wl2 = h->ack;
  c->cwnd = ns_tcp_initial_window(c);
  /* RFC 5681 3.1: as high as the largest window the peer can offer. */
  c->ssthresh = 65535u << c->snd_wscale;
  c->sack_ok = c->tcp->cfg.sack && h->sack_ok; /* both offered it */
}

/* Our SYN is acknowledged (ack): the connection is established, and a
 * close that came meanwhile turns it into FIN-WAIT-1 at once.  The ACK of
 * a SYN acknowledges no data: the handshake ends with the initial window,
 * not one grown by it. */
static void handshake_done(NsTcpConn *c, guint32 ack, NsTime now,
                           const char *why, const char *why_closing) {
  ns_tcp_ack_advanced(c, ack, now);
  c->cwnd = ns_tcp_initial_window(c);
  ns_tcp_set_state(c, NS_TCP_ESTABLISHED, now, why);
  if (c->fin_queued)
    ns_tcp_set_state(c, NS_TCP_FIN_WAIT_1, now, why_closing);
}

/* ---- LISTEN -------------------------------------------------------------- */

static void listen_input(NsTcp *tcp, NsTcpListener *l, const NsIpv4Hdr *ip,
                         const NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (h->flags & NS_TCP_RST)
    return;
  if (h->flags & NS_TCP_ACK) {
    ns_tcp_reply_rst(tcp, ip, h, s->dlen, now,
                     N_("an ACK for a port that only listens: no connection "
                        "it could belong to"));
    return;
  }
  if (!(h->flags & NS_TCP_SYN))
    return;
  if (h->flags & NS_TCP_FIN) {
    ns_tcp_log_drop(tcp, now,
                    N_("a SYN that also carries FIN opens nothing (a port "
                       "scanner's probe): dropped without an answer, as "
                       "Linux does"),
                    "SYN+FIN to port %u dropped", l->port);
    return;
  }
  if (l->half_open >= tcp->cfg.backlog) {
    tcp->counters.backlog_drops++;
    ns_tcp_log_drop(
        tcp, now,
        N_("the listener's backlog of half-open connections is full: the "
           "SYN is ignored, the client will retry"),
        "SYN to port %u dropped, backlog %u full", l->port, tcp->cfg.backlog);
    return;
  }
  NsTcpKey key = {ip->dst, ip->src, h->dport, h->sport};
  NsTcpConn *c = ns_tcp_conn_new(tcp, &key);
  c->state = NS_TCP_LISTEN; /* born of the listener (RFC 9293 figure 5) */
  c->listener = l;
  l->half_open++;
  learn_peer_syn(c, h, now);
  /* Our first window in whole segments of our own MSS, less the timestamp
   * option when agreed, whatever MSS the peer offered (Linux's
   * tcp_openreq_init_rwin: advmss, not the peer's). */
  ns_tcp_rcvbuf_init(c, ns_tcp_opts_own_seg(c));
  ns_tcp_set_state(c, NS_TCP_SYN_RECEIVED, now,
                   N_("a SYN for a listening port: answer SYN+ACK with our own "
                      "initial sequence number, acknowledging theirs + 1"));
  ns_tcp_output(c, now);
}

/* ---- SYN-SENT ------------------------------------------------------------ */

static void syn_sent_input(NsTcpConn *c, const NsIpv4Hdr *ip, const NsTcpSeg *s,
                           NsTime now) {
  NsTcp *tcp = c->tcp;
  const NsTcpHdr *h = &s->h;
  gboolean ack = (h->flags & NS_TCP_ACK) != 0;
  if (ack &&
      (ns_tcp_seq_le(h->ack, c->iss) || ns_tcp_seq_gt(h->ack, c->snd_max))) {
    ns_tcp_reply_rst(tcp, ip, h, s->dlen, now,
                     N_("it acknowledges something we never sent"));
    return;
  }
  if (h->flags & NS_TCP_RST) {
    if (ack) {
      tcp->counters.rst_in++;
      ns_tcp_drop(c, NS_TCP_CLOSE_REFUSED, FALSE, now,
                  N_("the peer answered our SYN with RST: nobody listens on "
                     "that port (connection refused)"));
    }
    return;
  }
  if (!(h->flags & NS_TCP_SYN))
    return;
  learn_peer_syn(c, h, now);
  if (ack) {
    handshake_done(
        c, h->ack, now,
        N_("SYN+ACK received: our SYN is acknowledged and we "
           "acknowledge theirs: the three-way handshake is complete"),
        N_("the application closed while connecting: FIN after the "
           "queued data"));
    /* The handshake's last ACK rides on the first data when there is
     * some; alone otherwise. */
    ns_tcp_output(c, now);
    if (c->ack_sent != c->rcv_nxt)
      ns_tcp_send_ack(c, now);
    if (!c->released && c->cb.established != NULL)
      c->cb.established(c, now, c->cb.data);
  } else {
    /* Simultaneous open (RFC 9293 figure 7): answer with SYN+ACK. */
    c->snd_nxt = c->iss;
    ns_tcp_set_state(c, NS_TCP_SYN_RECEIVED, now,
                     N_("a SYN without ACK while we were opening too: "
                        "simultaneous open, we answer SYN+ACK"));
    ns_tcp_output(c, now);
  }
}

/* ---- synchronized states ------------------------------------------------- */

/* The peer's FIN, in order: rcv_nxt takes it, the state moves on. */
static void fin_input(NsTcpConn *c, NsTime now) {
  c->rcv_nxt++;
  c->fin_received = TRUE;
  switch (c->state) {
  case NS_TCP_SYN_RECEIVED:
  case NS_TCP_ESTABLISHED:
    ns_tcp_set_state(c, NS_TCP_CLOSE_WAIT, now,
                     N_("the peer sent FIN: it will send no more; we may still "
                        "send, the application reads end-of-file"));
    break;
  case NS_TCP_FIN_WAIT_1:
    if (ns_tcp_fin_acked(c))
      ns_tcp_enter_time_wait(c, now,
                             N_("the peer's FIN also acknowledged ours: both "
                                "sides closed"));
    else
      ns_tcp_set_state(c, NS_TCP_CLOSING, now,
                       N_("the peer's FIN crossed ours (simultaneous close): "
                          "waiting for the ACK of our FIN"));
    break;
  case NS_TCP_FIN_WAIT_2:
    ns_tcp_enter_time_wait(
        c, now,
        N_("the peer's FIN after ours was acknowledged: both "
           "sides closed, TIME-WAIT absorbs stray segments"));
    break;
  default:
    break;
  }
}

/* In SYN-RECEIVED, an ACK that does not acknowledge our SYN is answered
 * with RST <SEQ=SEG.ACK> (RFC 9293 3.10.7.4), before the sequence check,
 * as Linux's tcp_check_req does: a peer that still holds an older
 * incarnation of the connection (it never saw the reset that ended ours)
 * sends ACKs out of our window; answering them with ACKs would start an
 * ACK war, the reset ends its incarnation (its seq is the peer's rcv.nxt:
 * exact, RFC 5961 3.2).  TRUE when the segment went no further. */
static gboolean syn_received_bad_ack(NsTcpConn *c, const NsIpv4Hdr *ip,
                                     const NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (c->state != NS_TCP_SYN_RECEIVED || !(h->flags & NS_TCP_ACK) ||
      (h->flags & NS_TCP_RST) ||
      (ns_tcp_seq_lt(c->snd_una, h->ack) && ns_tcp_seq_le(h->ack, c->snd_max)))
    return FALSE;
  ns_tcp_reply_rst(c->tcp, ip, h, s->dlen, now,
                   N_("in SYN-RECEIVED, an ACK for something we never sent"));
  return TRUE;
}

/* In SYN-RECEIVED: the ACK of our SYN (syn_received_bad_ack refused any
 * other) completes a passive (or simultaneous) open. */
static gboolean syn_received_ack(NsTcpConn *c, const NsTcpSeg *s, NsTime now,
                                 gboolean *accepted) {
  const NsTcpHdr *h = &s->h;
  c->snd_wnd = ns_tcp_peer_window(c, h);
  c->snd_wl1 = h->seq;
  c->snd_wl2 = h->ack;
  handshake_done(
      c, h->ack, now,
      N_("the peer acknowledged our SYN: the three-way handshake is "
         "complete"),
      N_("the application closed during the handshake: FIN after the "
         "queued data"));
  *accepted = TRUE;
  return TRUE;
}

/* Window update (RFC 9293 3.10.7.4: only from a newer segment), and from
 * any segment that acknowledges new data, as Linux does: a retransmitted
 * segment of the peer's carries an old seq but its current ack and window,
 * and taking the ack without the window would put the right edge at the
 * new snd.una + the old window, beyond what the peer offered. */
static void window_update(NsTcpConn *c, const NsTcpHdr *h, NsTime now) {
  NsTcp *tcp = c->tcp;
  if (!(ns_tcp_seq_lt(c->snd_wl1, h->seq) ||
        (c->snd_wl1 == h->seq && ns_tcp_seq_le(c->snd_wl2, h->ack)) ||
        ns_tcp_seq_gt(h->ack, c->snd_una)))
    return;
  guint32 wnd = ns_tcp_peer_window(c, h);
  gboolean reopened = c->snd_wnd == 0 && wnd > 0;
  c->snd_wnd = wnd;
  c->max_snd_wnd = MAX(c->max_snd_wnd, c->snd_wnd);
  c->snd_wl1 = h->seq;
  c->snd_wl2 = h->ack;
  if (reopened && ns_tcp_log_on(tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(
        tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/window", 0,
        ns_tcp_explain(tcp)
            ? N_("the receiver read from its buffer and announced "
                 "room again: sending resumes")
            : NULL,
        "%s peer window reopened to %u", ns_tcp_conn_name(c, name), wnd);
  }
}

/* What an ACK of our FIN does in the closing states.  FALSE when the
 * connection is now closed. */
static gboolean fin_ack_moves_state(NsTcpConn *c, NsTime now) {
  if (!ns_tcp_fin_acked(c))
    return TRUE;
  switch (c->state) {
  case NS_TCP_FIN_WAIT_1:
    ns_tcp_set_state(c, NS_TCP_FIN_WAIT_2, now,
                     N_("our FIN was acknowledged: waiting for the peer to "
                        "close its side"));
    break;
  case NS_TCP_CLOSING:
    ns_tcp_enter_time_wait(c, now,
                           N_("our FIN was acknowledged after we got theirs: "
                              "both sides closed"));
    break;
  case NS_TCP_LAST_ACK:
    ns_tcp_drop(c, NS_TCP_CLOSE_NORMAL, FALSE, now,
                N_("our FIN was acknowledged: the connection is closed"));
    return FALSE;
  default:
    break;
  }
  return TRUE;
}

/* ACK processing for every synchronized state (RFC 9293 3.10.7.4, fifth
 * check).  FALSE when the segment must go no further. */
static gboolean ack_input(NsTcpConn *c, const NsTcpSeg *s, NsTime now,
                          gboolean *accepted) {
  const NsTcpHdr *h = &s->h;
  if (c->state == NS_TCP_SYN_RECEIVED)
    return syn_received_ack(c, s, now, accepted);
  if (ns_tcp_seq_gt(h->ack, c->snd_max)) {
    ns_tcp_send_oow_ack(c, s, now);
    ns_tcp_log_drop(c->tcp, now,
                    N_("it acknowledges bytes we have not sent yet"),
                    "ack %u beyond snd.max %u", h->ack, c->snd_max);
    return FALSE;
  }
  gboolean dup = h->ack == c->snd_una && !s->had_data && !s->syn && !s->fin &&
                 ns_tcp_peer_window(c, h) == c->snd_wnd &&
                 c->snd_una != c->snd_max;
  /* The window first: advancing snd.una may send (recovery, the writable
   * callback), and the right edge it may send up to is this segment's
   * ack + window, not the new snd.una + the old window. */
  window_update(c, h, now);
  if (c->sack_ok) {
    ns_tcp_sack_ack(c, h, dup, now);
    if (c->state == NS_TCP_CLOSED)
      return FALSE; /* the writable callback aborted */
  } else if (dup) {
    ns_tcp_cc_dupack(c, now);
  } else if (ns_tcp_seq_gt(h->ack, c->snd_una)) {
    ns_tcp_ack_advanced(c, h->ack, now);
    if (c->state == NS_TCP_CLOSED)
      return FALSE; /* the writable callback aborted */
  }
  return fin_ack_moves_state(c, now);
}

/* An old duplicate (all of it before rcv.nxt): our ACK for it was lost,
 * so ACK again and drop its data, but take its ACK field, as BSD does.
 * RFC 9293 drops the whole segment; then two senders that both went back
 * to their oldest byte after a timeout would each ignore the
 * acknowledgements riding on the other's retransmissions, and stall. */
static void old_duplicate(NsTcpConn *c, NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (s->dlen > 0 || s->fin)
    ns_tcp_send_ack(c, now); /* never an ACK for a bare old ACK */
  if (s->fin && c->state == NS_TCP_TIME_WAIT)
    ns_tcp_restart_time_wait(c, now);
  if (s->dlen > 0 || s->fin)
    ns_tcp_log_drop(c->tcp, now,
                    N_("a duplicate of data already received: answered with an "
                       "ACK saying what we expect; its acknowledgement still "
                       "counts"),
                    "seq %u len %u already received (rcv.nxt %u)", h->seq,
                    s->dlen, c->rcv_nxt);
  s->dlen = 0;
  s->fin = FALSE;
}

/* RFC 9293 3.10.7.4 first check, with its two allowances.  FALSE when the
 * segment goes no further; *refused when it brought data to a shut window
 * (acknowledged unread once its ACK was taken). */
static gboolean check_sequence(NsTcpConn *c, NsTcpSeg *s, guint32 wnd,
                               NsTime now, gboolean *refused) {
  const NsTcpHdr *h = &s->h;
  if (ns_tcp_acceptable(c, s, wnd))
    return TRUE;
  if (wnd == 0 && h->seq == c->rcv_nxt && !s->syn) {
    /* Zero window: take the ACK and window, not the data (RFC 9293
     * 3.10.7.4 "special allowance").  The data itself stays unacceptable
     * and gets an ACK: that answers a probe carrying a new byte. */
    *refused = s->dlen > 0 || s->fin;
    s->dlen = 0;
    s->fin = FALSE;
    return TRUE;
  }
  if (!(h->flags & (NS_TCP_RST | NS_TCP_SYN)) &&
      ns_tcp_seq_le(h->seq + s->dlen + (s->fin ? 1 : 0), c->rcv_nxt)) {
    old_duplicate(c, s, now);
    return TRUE;
  }
  if (!(h->flags & NS_TCP_RST)) {
    ns_tcp_send_oow_ack(c, s, now);
    if (s->dlen > 0 || s->fin)
      ns_tcp_log_drop(c->tcp, now,
                      N_("beyond our receive window: answered with an ACK "
                         "saying what we expect and how much room we have"),
                      "seq %u len %u outside window %u..%u", h->seq, s->dlen,
                      c->rcv_nxt, c->rcv_nxt + wnd);
  }
  return FALSE;
}

/* A reset in the window (RFC 9293 3.10.7.4 second check, RFC 5961 3.2,
 * RFC 1337).  FALSE when the segment carries no RST. */
static gboolean rst_input(NsTcpConn *c, const NsTcpSeg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (!(h->flags & NS_TCP_RST))
    return FALSE;
  if (c->state == NS_TCP_TIME_WAIT) {
    /* RFC 1337: a reset must not cut TIME-WAIT short ("TIME-WAIT
     * assassination"), or an old duplicate could reach a new incarnation
     * of the connection. */
    ns_tcp_log_drop(c->tcp, now,
                    N_("TIME-WAIT ignores resets (RFC 1337): it must run its "
                       "full course"),
                    "RST in TIME-WAIT ignored");
    return TRUE;
  }
  if (h->seq != c->rcv_nxt) {
    /* RFC 5961 3.2: in the window but not exact: a challenge ACK. */
    ns_tcp_send_challenge_ack(c, now);
    return TRUE;
  }
  c->tcp->counters.rst_in++;
  if (c->state == NS_TCP_SYN_RECEIVED && c->listener != NULL)
    ns_tcp_drop(c, NS_TCP_CLOSE_RESET, TRUE, now,
                N_("reset during a passive open: forget it, keep listening"));
  else if (c->state == NS_TCP_SYN_RECEIVED)
    ns_tcp_drop(c, NS_TCP_CLOSE_REFUSED, FALSE, now,
                N_("reset during our simultaneous open: the connection was "
                   "refused"));
  else if (c->state == NS_TCP_CLOSING || c->state == NS_TCP_LAST_ACK)
    ns_tcp_drop(c, NS_TCP_CLOSE_NORMAL, FALSE, now,
                N_("reset while closing: the connection is gone"));
  else
    ns_tcp_drop(c, NS_TCP_CLOSE_RESET, FALSE, now,
                N_("the peer reset the connection (RST): data in flight is "
                   "lost, the application is told"));
  return TRUE;
}

/* Data and FIN, in the states that take them.  *readable when the
 * application has something new to read (data or end-of-file).  FALSE
 * when the connection was aborted: data for an application that let go. */
static gboolean data_input(NsTcpConn *c, const NsTcpSeg *s, NsTime now,
                           gboolean *readable) {
  gboolean may_receive = c->state == NS_TCP_ESTABLISHED ||
                         c->state == NS_TCP_FIN_WAIT_1 ||
                         c->state == NS_TCP_FIN_WAIT_2;
  *readable = FALSE;
  if (s->dlen > 0 && may_receive && c->released) {
    ns_tcp_send_rst(c, now,
                    N_("data for an application that already closed: nobody "
                       "will read it"));
    ns_tcp_drop(c, NS_TCP_CLOSE_ABORTED, TRUE, now,
                N_("data arrived after the application let go"));
    return FALSE;
  }
  if ((s->dlen > 0 || s->fin) && may_receive) {
    gboolean fin;
    gboolean new_data = ns_tcp_take_data(c, s, now, &fin);
    if (fin)
      fin_input(c, now);
    *readable = new_data || fin;
  } else if (s->fin && c->state == NS_TCP_TIME_WAIT) {
    ns_tcp_send_ack(c, now);
  }
  return TRUE;
}

/* The application hears last, once the connection is consistent: a
 * passive open is accepted, an active one established, data readable. */
static void tell_application(NsTcpConn *c, gboolean accepted, gboolean readable,
                             NsTime now) {
  NsTcp *tcp = c->tcp;
  if (accepted && c->listener != NULL) {
    NsTcpListener *l = c->listener;
    l->half_open--;
    c->listener = NULL;
    tcp->counters.passive_opens++;
    if (ns_tcp_log_on(tcp)) {
      char r[NS_ENDPOINT_STRLEN];
      ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/accept",
                    0, NULL, "listening port %u accepted %s", l->port,
                    ns_endpoint_format(c->key.remote, c->key.rport, r));
    }
    if (l->accept != NULL)
      l->accept(l, c, now, l->data);
    else
      ns_tcp_release(c);
  } else if (accepted && !c->released && c->cb.established != NULL) {
    c->cb.established(c, now, c->cb.data);
  }
  if (readable && !c->released && c->state != NS_TCP_CLOSED &&
      c->cb.readable != NULL)
    c->cb.readable(c, now, c->cb.data);
}

static void synced_input(NsTcpConn *c, const NsIpv4Hdr *ip, NsTcpSeg *s,
                         NsTime now) {
  const NsTcpHdr *h = &s->h;
  guint32 wnd = ns_tcp_rcv_window(c);
  /* A repeated SYN while our SYN+ACK is out: it was lost, resend it. */
  if (c->state == NS_TCP_SYN_RECEIVED && s->syn && !(h->flags & NS_TCP_ACK) &&
      h->seq == c->irs) {
    ns_tcp_retransmit_first(c, now);
    return;
  }
  if (syn_received_bad_ack(c, ip, s, now))
    return;
  gboolean refused = FALSE; /* data at a shut window: ACK it unread */
  if (ns_tcp_paws_reject(c, s, now) ||
      !check_sequence(c, s, wnd, now, &refused))
    return;
  ns_tcp_ts_update_recent(c, s, now);
  if (rst_input(c, s, now))
    return;
  ns_tcp_trim(c, s, wnd);
  if (s->syn) {
    /* RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK. */
    ns_tcp_send_challenge_ack(c, now);
    return;
  }
  gboolean accepted = FALSE, readable = FALSE;
  if (!(h->flags & NS_TCP_ACK) || !ack_input(c, s, now, &accepted))
    return;
  if (refused)
    ns_tcp_send_ack(c, now);
  /* A segment that fills a gap or brings a FIN is acknowledged at once
   * even with delayed ACKs (the sender is waiting on it). */
  gboolean urgent_ack = s->fin || !g_queue_is_empty(&c->ooo);
  if (!data_input(c, s, now, &readable))
    return;
  ns_tcp_output(c, now);
  c->in_input = TRUE;
  tell_application(c, accepted, readable, now);
  c->in_input = FALSE;
  if (c->window_update_due && c->state != NS_TCP_CLOSED) {
    c->window_update_due = FALSE;
    ns_tcp_window_opened(c, now); /* nothing if the answer announced it */
  }
  /* New data or a FIN is acknowledged now, unless what the application
   * sent in answer (an echo, a reply, its own FIN) already carried the
   * ACK: the same instant, one segment fewer. */
  if (c->state != NS_TCP_CLOSED && ns_tcp_synchronized(c->state))
    ns_tcp_ack_received(c, urgent_ack, now);
  if (c->state == NS_TCP_TIME_WAIT)
    ns_tcp_report_closed(c, NS_TCP_CLOSE_NORMAL, now);
}

/* ---- the protocol handler ------------------------------------------------ */

gboolean ns_tcp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                      const guint8 *payload, gsize len, NsTime now,
                      gpointer data, guint8 *code) {
  NsTcp *tcp = data;
  (void)iface;
  (void)code;
  NsTcpSeg s;
  const char *err = NULL;
  if (!ns_tcp_parse(payload, len, &s.h, &err)) {
    tcp->counters.malformed++;
    ns_tcp_log_drop(tcp, now, NULL, "malformed TCP: %s",
                    err != NULL ? err : "?");
    return TRUE;
  }
  if (!ns_ipnode_rx_csum_ok(node) &&
      !ns_tcp_checksum_ok(payload, len, ip->src, ip->dst)) {
    tcp->counters.bad_checksum++;
    ns_tcp_log_drop(
        tcp, now,
        N_("the checksum over pseudo-header, header and data does not "
           "match: the segment was damaged, the sender will retransmit"),
        "bad TCP checksum from port %u", s.h.sport);
    return TRUE;
  }
  if (!ns_ipnode_is_own_unicast(node, ip->dst)) {
    ns_tcp_log_drop(tcp, now,
                    N_("TCP is unicast only: a broadcast or multicast "
                       "segment is ignored"),
                    "TCP to a broadcast or multicast address");
    return TRUE;
  }
  tcp->counters.segs_in++;
  s.data = payload + s.h.hlen;
  s.dlen = (guint32)(len - s.h.hlen);
  s.seq = s.h.seq;
  s.syn = (s.h.flags & NS_TCP_SYN) != 0;
  s.fin = (s.h.flags & NS_TCP_FIN) != 0;
  s.had_data = s.dlen > 0;

  ns_tcp_enter(tcp);
  NsTcpKey key = {ip->dst, ip->src, s.h.dport, s.h.sport};
  NsTcpConn *c = ns_tcp_lookup(tcp, &key);
  if (c == NULL) {
    NsTcpListener *l = ns_tcp_find_listener(tcp, s.h.dport);
    if (l != NULL) {
      listen_input(tcp, l, ip, &s, now);
    } else {
      tcp->counters.no_listener++;
      guint32 seg_len = s.dlen + (s.syn ? 1 : 0) + (s.fin ? 1 : 0);
      char why[NS_WHY_MAX];
      ns_why_printf(
          why, sizeof why,
          N_("nothing listens on port %u: TCP answers with RST (not ICMP)"),
          s.h.dport);
      ns_tcp_reply_rst(tcp, ip, &s.h, seg_len, now, why);
    }
  } else {
    c->seg_has_ts = s.h.has_ts;
    c->seg_tsecr = s.h.tsecr;
    if (c->state == NS_TCP_SYN_SENT)
      syn_sent_input(c, ip, &s, now);
    else
      synced_input(c, ip, &s, now);
    c->seg_has_ts = FALSE; /* c may be dead, not yet freed */
  }
  ns_tcp_leave(tcp);
  return TRUE;
}

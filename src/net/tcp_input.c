/* tcp_input.c — segment arrival (RFC 9293 3.10.7), by state. */
#include <string.h>

#include "net/tcp_private.h"

/* Segment under processing: the header and the part of its data still to
 * consider after trimming. */
typedef struct {
  NsTcpHdr h;
  const guint8 *data;
  guint32 dlen;
  guint32 seq; /* of data[0] (after trimming) */
  gboolean syn, fin;
  gboolean had_data; /* before trimming: a duplicate ACK carries none */
} Seg;

static void log_drop(NsTcp *tcp, NsTime now, const char *why, const char *fmt,
                     ...) G_GNUC_PRINTF(4, 5);

static void log_drop(NsTcp *tcp, NsTime now, const char *why, const char *fmt,
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

/* Initial congestion window (RFC 5681 3.1 with RFC 3390's formula).  The
 * ACK of our SYN acknowledges no data: the handshake ends with this cwnd,
 * not one grown by it. */
static guint32 initial_window(const NsTcpConn *c) {
  return MIN(4u * c->snd_mss, MAX(2u * c->snd_mss, 4380u));
}

/* The numbers a SYN tells us. */
static void learn_peer_syn(NsTcpConn *c, const NsTcpHdr *h) {
  guint32 ours = c->tcp->cfg.mss;
  c->irs = h->seq;
  c->rcv_nxt = h->seq + 1;
  c->rcv_adv = c->rcv_nxt;
  c->snd_mss = (guint16)(h->mss != 0 ? MIN(h->mss, ours) : MIN(536u, ours));
  c->snd_wnd = h->window;
  c->max_snd_wnd = h->window;
  c->snd_wl1 = h->seq;
  c->snd_wl2 = h->ack;
  c->cwnd = initial_window(c);
  c->ssthresh = 65535;
}

/* ---- LISTEN -------------------------------------------------------------- */

static void listen_input(NsTcp *tcp, NsTcpListener *l, const NsIpv4Hdr *ip,
                         const Seg *s, NsTime now) {
  const NsTcpHdr *h = &s->h;
  if (h->flags & NS_TCP_RST)
    return;
  if (h->flags & NS_TCP_ACK) {
    ns_tcp_reply_rst(tcp, ip, h, s->dlen, now,
                     "an ACK for a port that only listens: no connection "
                     "it could belong to");
    return;
  }
  if (!(h->flags & NS_TCP_SYN))
    return;
  if (l->half_open >= tcp->cfg.backlog) {
    tcp->counters.backlog_drops++;
    log_drop(tcp, now,
             "the listener's backlog of half-open connections is full: the "
             "SYN is ignored, the client will retry",
             "SYN to port %u dropped, backlog %u full", l->port,
             tcp->cfg.backlog);
    return;
  }
  NsTcpKey key = {ip->dst, ip->src, h->dport, h->sport};
  NsTcpConn *c = ns_tcp_conn_new(tcp, &key);
  c->listener = l;
  l->half_open++;
  learn_peer_syn(c, h);
  ns_tcp_set_state(c, NS_TCP_SYN_RECEIVED, now,
                   "a SYN for a listening port: answer SYN+ACK with our own "
                   "initial sequence number, acknowledging theirs + 1");
  ns_tcp_output(c, now);
}

/* ---- SYN-SENT ------------------------------------------------------------ */

static void syn_sent_input(NsTcpConn *c, const NsIpv4Hdr *ip, const Seg *s,
                           NsTime now) {
  NsTcp *tcp = c->tcp;
  const NsTcpHdr *h = &s->h;
  gboolean ack = (h->flags & NS_TCP_ACK) != 0;
  if (ack &&
      (ns_tcp_seq_le(h->ack, c->iss) || ns_tcp_seq_gt(h->ack, c->snd_max))) {
    ns_tcp_reply_rst(tcp, ip, h, s->dlen, now,
                     "it acknowledges something we never sent");
    return;
  }
  if (h->flags & NS_TCP_RST) {
    if (ack) {
      tcp->counters.rst_in++;
      ns_tcp_drop(c, NS_TCP_CLOSE_REFUSED, FALSE, now,
                  "the peer answered our SYN with RST: nobody listens on "
                  "that port (connection refused)");
    }
    return;
  }
  if (!(h->flags & NS_TCP_SYN))
    return;
  learn_peer_syn(c, h);
  if (ack) {
    ns_tcp_ack_advanced(c, h->ack, now);
    c->cwnd = initial_window(c);
    ns_tcp_set_state(c, NS_TCP_ESTABLISHED, now,
                     "SYN+ACK received: our SYN is acknowledged and we "
                     "acknowledge theirs: the three-way handshake is complete");
    if (c->fin_queued)
      ns_tcp_set_state(c, NS_TCP_FIN_WAIT_1, now,
                       "the application closed while connecting: FIN after "
                       "the queued data");
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
                     "a SYN without ACK while we were opening too: "
                     "simultaneous open, we answer SYN+ACK");
    ns_tcp_output(c, now);
  }
}

/* ---- synchronized states ------------------------------------------------- */

static gboolean in_window(guint32 x, guint32 lo, guint32 wnd) {
  return ns_tcp_seq_ge(x, lo) && ns_tcp_seq_lt(x, lo + wnd);
}

/* RFC 9293 3.10.7.4 first check: is the segment acceptable? */
static gboolean acceptable(const NsTcpConn *c, const Seg *s, guint32 wnd) {
  guint32 seq = s->h.seq;
  guint32 len = s->dlen + (s->syn ? 1 : 0) + (s->fin ? 1 : 0);
  if (len == 0)
    return wnd == 0 ? seq == c->rcv_nxt : in_window(seq, c->rcv_nxt, wnd);
  if (wnd == 0)
    return FALSE;
  return in_window(seq, c->rcv_nxt, wnd) ||
         in_window(seq + len - 1, c->rcv_nxt, wnd);
}

/* Cuts what lies before rcv_nxt or beyond the window. */
static void trim(const NsTcpConn *c, Seg *s, guint32 wnd) {
  if (ns_tcp_seq_lt(s->seq, c->rcv_nxt)) {
    guint32 skip = c->rcv_nxt - s->seq;
    if (s->syn) {
      s->syn = FALSE;
      skip--;
      s->seq++;
    }
    if (skip >= s->dlen) {
      if (skip > s->dlen)
        s->fin = FALSE;
      skip = s->dlen;
    }
    s->data += skip;
    s->dlen -= skip;
    s->seq += skip;
  }
  guint32 right = c->rcv_nxt + wnd;
  if (ns_tcp_seq_gt(s->seq + s->dlen, right)) {
    s->dlen = ns_tcp_seq_gt(right, s->seq) ? right - s->seq : 0;
    s->fin = FALSE;
  }
}

static void ooo_insert(NsTcpConn *c, const Seg *s, NsTime now) {
  NsTcp *tcp = c->tcp;
  c->ooo_segments++;
  if (c->ooo_bytes + s->dlen > tcp->cfg.rcvbuf)
    return; /* bounded by the window anyway; never hold more */
  GList *pos = c->ooo.tail;
  for (; pos != NULL; pos = pos->prev) {
    NsTcpOoo *o = pos->data;
    if (o->seq == s->seq && o->len >= s->dlen)
      return; /* already have it */
    if (ns_tcp_seq_lt(o->seq, s->seq))
      break;
  }
  NsTcpOoo *o = g_malloc(sizeof *o + s->dlen);
  o->seq = s->seq;
  o->len = s->dlen;
  o->fin = s->fin;
  memcpy(o->data, s->data, s->dlen);
  c->ooo_bytes += s->dlen;
  if (pos == NULL)
    g_queue_push_head(&c->ooo, o);
  else
    g_queue_insert_after(&c->ooo, pos, o);
  if (ns_tcp_log_on(tcp)) {
    char name[NS_TCP_NAME_LEN];
    log_drop(tcp, now,
             "a gap before it: kept until the missing bytes arrive; our "
             "duplicate ACK keeps asking for the first missing byte",
             "%s out of order: seq %u len %u, expected %u (kept)",
             ns_tcp_conn_name(c, name), s->seq, s->dlen, c->rcv_nxt);
  }
}

/* Moves kept segments that the advancing rcv_nxt reached into the receive
 * buffer.  TRUE when a kept FIN was reached. */
static gboolean ooo_merge(NsTcpConn *c) {
  NsTcpOoo *o;
  while ((o = g_queue_peek_head(&c->ooo)) != NULL &&
         ns_tcp_seq_le(o->seq, c->rcv_nxt)) {
    g_queue_pop_head(&c->ooo);
    c->ooo_bytes -= o->len;
    guint32 end = o->seq + o->len;
    gboolean fin = FALSE;
    if (ns_tcp_seq_gt(end, c->rcv_nxt)) {
      guint32 off = c->rcv_nxt - o->seq;
      gsize n = ns_ring_push(&c->rcvbuf, o->data + off, o->len - off);
      c->rcv_nxt += (guint32)n;
      c->bytes_received += n;
      fin = o->fin && n == o->len - off;
    } else if (end == c->rcv_nxt) {
      fin = o->fin;
    }
    g_free(o);
    if (fin)
      return TRUE;
  }
  return FALSE;
}

/* The peer's FIN, in order: rcv_nxt takes it, the state moves on. */
static void fin_input(NsTcpConn *c, NsTime now) {
  c->rcv_nxt++;
  c->fin_received = TRUE;
  switch (c->state) {
  case NS_TCP_SYN_RECEIVED:
  case NS_TCP_ESTABLISHED:
    ns_tcp_set_state(c, NS_TCP_CLOSE_WAIT, now,
                     "the peer sent FIN: it will send no more; we may still "
                     "send, the application reads end-of-file");
    break;
  case NS_TCP_FIN_WAIT_1:
    if (ns_tcp_fin_acked(c))
      ns_tcp_enter_time_wait(c, now,
                             "the peer's FIN also acknowledged ours: both "
                             "sides closed");
    else
      ns_tcp_set_state(c, NS_TCP_CLOSING, now,
                       "the peer's FIN crossed ours (simultaneous close): "
                       "waiting for the ACK of our FIN");
    break;
  case NS_TCP_FIN_WAIT_2:
    ns_tcp_enter_time_wait(c, now,
                           "the peer's FIN after ours was acknowledged: both "
                           "sides closed, TIME-WAIT absorbs stray segments");
    break;
  default:
    break;
  }
}

/* ACK processing for every synchronized state (RFC 9293 3.10.7.4, fifth
 * check).  FALSE when the segment must go no further. */
static gboolean ack_input(NsTcpConn *c, const NsIpv4Hdr *ip, const Seg *s,
                          NsTime now, gboolean *accepted) {
  NsTcp *tcp = c->tcp;
  const NsTcpHdr *h = &s->h;
  if (c->state == NS_TCP_SYN_RECEIVED) {
    if (!(ns_tcp_seq_lt(c->snd_una, h->ack) &&
          ns_tcp_seq_le(h->ack, c->snd_max))) {
      ns_tcp_reply_rst(tcp, ip, h, s->dlen, now,
                       "in SYN-RECEIVED, an ACK for something we never sent");
      return FALSE;
    }
    c->snd_wnd = h->window;
    c->snd_wl1 = h->seq;
    c->snd_wl2 = h->ack;
    ns_tcp_ack_advanced(c, h->ack, now);
    c->cwnd = initial_window(c);
    ns_tcp_set_state(c, NS_TCP_ESTABLISHED, now,
                     "the peer acknowledged our SYN: the three-way handshake "
                     "is complete");
    *accepted = TRUE;
    if (c->fin_queued)
      ns_tcp_set_state(c, NS_TCP_FIN_WAIT_1, now,
                       "the application closed during the handshake: FIN "
                       "after the queued data");
    return TRUE;
  }

  if (ns_tcp_seq_gt(h->ack, c->snd_max)) {
    ns_tcp_send_ack(c, now);
    log_drop(tcp, now, "it acknowledges bytes we have not sent yet",
             "ack %u beyond snd.max %u", h->ack, c->snd_max);
    return FALSE;
  }
  gboolean dup = h->ack == c->snd_una && !s->had_data && !s->syn && !s->fin &&
                 h->window == c->snd_wnd && c->snd_una != c->snd_max;
  if (dup) {
    c->dupacks++;
    c->dup_acks++;
    if (c->dupacks == 3 && !c->in_recovery)
      ns_tcp_fast_retransmit(c, now);
    else if (c->in_recovery && c->dupacks > 3)
      c->cwnd += c->snd_mss; /* each dup ACK: one more segment left */
  } else if (ns_tcp_seq_gt(h->ack, c->snd_una)) {
    ns_tcp_ack_advanced(c, h->ack, now);
    if (c->state == NS_TCP_CLOSED)
      return FALSE; /* the writable callback aborted */
  }
  /* Window update (RFC 9293 3.10.7.4: only from a newer segment). */
  if (ns_tcp_seq_lt(c->snd_wl1, h->seq) ||
      (c->snd_wl1 == h->seq && ns_tcp_seq_le(c->snd_wl2, h->ack))) {
    gboolean reopened = c->snd_wnd == 0 && h->window > 0;
    c->snd_wnd = h->window;
    c->max_snd_wnd = MAX(c->max_snd_wnd, c->snd_wnd);
    c->snd_wl1 = h->seq;
    c->snd_wl2 = h->ack;
    if (reopened && ns_tcp_log_on(tcp)) {
      char name[NS_TCP_NAME_LEN];
      ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/window",
                    0,
                    ns_tcp_explain(tcp)
                        ? "the receiver read from its buffer and announced "
                          "room again: sending resumes"
                        : NULL,
                    "%s peer window reopened to %u", ns_tcp_conn_name(c, name),
                    h->window);
    }
  }

  switch (c->state) {
  case NS_TCP_FIN_WAIT_1:
    if (ns_tcp_fin_acked(c))
      ns_tcp_set_state(c, NS_TCP_FIN_WAIT_2, now,
                       "our FIN was acknowledged: waiting for the peer to "
                       "close its side");
    break;
  case NS_TCP_CLOSING:
    if (ns_tcp_fin_acked(c))
      ns_tcp_enter_time_wait(c, now,
                             "our FIN was acknowledged after we got theirs: "
                             "both sides closed");
    break;
  case NS_TCP_LAST_ACK:
    if (ns_tcp_fin_acked(c)) {
      ns_tcp_drop(c, NS_TCP_CLOSE_NORMAL, FALSE, now,
                  "our FIN was acknowledged: the connection is closed");
      return FALSE;
    }
    break;
  default:
    break;
  }
  return TRUE;
}

static void synced_input(NsTcpConn *c, const NsIpv4Hdr *ip, Seg *s,
                         NsTime now) {
  NsTcp *tcp = c->tcp;
  const NsTcpHdr *h = &s->h;
  guint32 wnd = ns_tcp_rcv_window(c);

  /* A repeated SYN while our SYN+ACK is out: it was lost, resend it. */
  if (c->state == NS_TCP_SYN_RECEIVED && s->syn && !(h->flags & NS_TCP_ACK) &&
      h->seq == c->irs) {
    ns_tcp_retransmit_first(c, now);
    return;
  }

  gboolean refused = FALSE; /* data at a shut window: ACK it unread */
  if (!acceptable(c, s, wnd)) {
    if (wnd == 0 && h->seq == c->rcv_nxt && !s->syn) {
      /* Zero window: take the ACK and window, not the data (RFC 9293
       * 3.10.7.4 "special allowance").  The data itself stays
       * unacceptable and gets an ACK: that answers a probe carrying a new
       * byte. */
      refused = s->dlen > 0 || s->fin;
      s->dlen = 0;
      s->fin = FALSE;
    } else if (!(h->flags & (NS_TCP_RST | NS_TCP_SYN)) &&
               ns_tcp_seq_le(h->seq + s->dlen + (s->fin ? 1 : 0), c->rcv_nxt)) {
      /* An old duplicate (all of it before rcv.nxt): our ACK for it was
       * lost, so ACK again and drop its data, but take its ACK field, as
       * BSD does.  RFC 9293 drops the whole segment; then two senders
       * that both went back to their oldest byte after a timeout would
       * each ignore the acknowledgements riding on the other's
       * retransmissions, and stall. */
      if (s->dlen > 0 || s->fin)
        ns_tcp_send_ack(c, now); /* never an ACK for a bare old ACK */
      if (s->fin && c->state == NS_TCP_TIME_WAIT)
        ns_tcp_restart_time_wait(c, now);
      if (s->dlen > 0 || s->fin)
        log_drop(tcp, now,
                 "a duplicate of data already received: answered with an "
                 "ACK saying what we expect; its acknowledgement still "
                 "counts",
                 "seq %u len %u already received (rcv.nxt %u)", h->seq, s->dlen,
                 c->rcv_nxt);
      s->dlen = 0;
      s->fin = FALSE;
    } else {
      if (!(h->flags & NS_TCP_RST)) {
        ns_tcp_send_ack(c, now);
        if (s->dlen > 0 || s->fin)
          log_drop(tcp, now,
                   "beyond our receive window: answered with an ACK saying "
                   "what we expect and how much room we have",
                   "seq %u len %u outside window %u..%u", h->seq, s->dlen,
                   c->rcv_nxt, c->rcv_nxt + wnd);
      }
      return;
    }
  }
  if ((h->flags & NS_TCP_RST) && c->state == NS_TCP_TIME_WAIT) {
    /* RFC 1337: a reset must not cut TIME-WAIT short ("TIME-WAIT
     * assassination"), or an old duplicate could reach a new incarnation
     * of the connection. */
    log_drop(tcp, now,
             "TIME-WAIT ignores resets (RFC 1337): it must run its full "
             "course",
             "RST in TIME-WAIT ignored");
    return;
  }
  if (h->flags & NS_TCP_RST) {
    if (h->seq != c->rcv_nxt) {
      /* RFC 5961 3.2: in the window but not exact: a challenge ACK. */
      ns_tcp_send_ack(c, now);
      return;
    }
    tcp->counters.rst_in++;
    if (c->state == NS_TCP_SYN_RECEIVED && c->listener != NULL)
      ns_tcp_drop(c, NS_TCP_CLOSE_RESET, TRUE, now,
                  "reset during a passive open: forget it, keep listening");
    else if (c->state == NS_TCP_SYN_RECEIVED)
      ns_tcp_drop(c, NS_TCP_CLOSE_REFUSED, FALSE, now,
                  "reset during our simultaneous open: the connection was "
                  "refused");
    else if (c->state == NS_TCP_CLOSING || c->state == NS_TCP_LAST_ACK)
      ns_tcp_drop(c, NS_TCP_CLOSE_NORMAL, FALSE, now,
                  "reset while closing: the connection is gone");
    else
      ns_tcp_drop(c, NS_TCP_CLOSE_RESET, FALSE, now,
                  "the peer reset the connection (RST): data in flight is "
                  "lost, the application is told");
    return;
  }
  trim(c, s, wnd);
  if (s->syn) {
    /* RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK. */
    ns_tcp_send_ack(c, now);
    return;
  }
  if (!(h->flags & NS_TCP_ACK))
    return;
  gboolean accepted = FALSE;
  if (!ack_input(c, ip, s, now, &accepted))
    return;
  if (refused)
    ns_tcp_send_ack(c, now);

  gboolean new_data = FALSE, fin = FALSE;
  gboolean may_receive = c->state == NS_TCP_ESTABLISHED ||
                         c->state == NS_TCP_FIN_WAIT_1 ||
                         c->state == NS_TCP_FIN_WAIT_2;
  if (s->dlen > 0 && may_receive && c->released) {
    ns_tcp_send_rst(c, now,
                    "data for an application that already closed: nobody "
                    "will read it");
    ns_tcp_drop(c, NS_TCP_CLOSE_ABORTED, TRUE, now,
                "data arrived after the application let go");
    return;
  }
  if ((s->dlen > 0 || s->fin) && may_receive) {
    if (s->seq == c->rcv_nxt) {
      gsize n = ns_ring_push(&c->rcvbuf, s->data, s->dlen);
      c->rcv_nxt += (guint32)n;
      c->bytes_received += n;
      new_data = n > 0;
      fin = s->fin && n == s->dlen;
      if (!g_queue_is_empty(&c->ooo)) {
        gboolean had = c->ooo_bytes > 0;
        if (ooo_merge(c))
          fin = TRUE;
        new_data = new_data || had;
      }
    } else {
      ooo_insert(c, s, now);
      ns_tcp_send_ack(c, now); /* a duplicate ACK, at once */
    }
    if (fin)
      fin_input(c, now);
  } else if (s->fin && c->state == NS_TCP_TIME_WAIT) {
    ns_tcp_send_ack(c, now);
  }

  ns_tcp_output(c, now);

  /* The application hears last, once the connection is consistent. */
  if (accepted && c->listener != NULL) {
    NsTcpListener *l = c->listener;
    l->half_open--;
    c->listener = NULL;
    tcp->counters.passive_opens++;
    if (ns_tcp_log_on(tcp)) {
      char name[NS_TCP_NAME_LEN];
      ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/accept",
                    0, NULL, "%s accepted on port %u",
                    ns_tcp_conn_name(c, name), l->port);
    }
    if (l->accept != NULL)
      l->accept(l, c, now, l->data);
    else
      ns_tcp_release(c);
  } else if (accepted && !c->released && c->cb.established != NULL) {
    c->cb.established(c, now, c->cb.data);
  }
  if ((new_data || fin) && !c->released && c->state != NS_TCP_CLOSED &&
      c->cb.readable != NULL)
    c->cb.readable(c, now, c->cb.data);
  /* New data or a FIN is acknowledged now, unless what the application
   * sent in answer (an echo, a reply, its own FIN) already carried the
   * ACK: the same instant, one segment fewer. */
  if (c->state != NS_TCP_CLOSED && c->ack_sent != c->rcv_nxt &&
      ns_tcp_synchronized(c->state))
    ns_tcp_send_ack(c, now);
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
  Seg s;
  const char *err = NULL;
  if (!ns_tcp_parse(payload, len, &s.h, &err)) {
    tcp->counters.malformed++;
    log_drop(tcp, now, NULL, "malformed TCP: %s", err != NULL ? err : "?");
    return TRUE;
  }
  if (!ns_tcp_checksum_ok(payload, len, ip->src, ip->dst)) {
    tcp->counters.bad_checksum++;
    log_drop(tcp, now,
             "the checksum over pseudo-header, header and data does not "
             "match: the segment was damaged, the sender will retransmit",
             "bad TCP checksum from port %u", s.h.sport);
    return TRUE;
  }
  if (!ns_ipnode_is_own_unicast(node, ip->dst)) {
    log_drop(tcp, now,
             "TCP is unicast only: a broadcast or multicast "
             "segment is ignored",
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
      char why[96];
      g_snprintf(why, sizeof why,
                 "nothing listens on port %u: TCP answers with RST (not ICMP)",
                 s.h.dport);
      ns_tcp_reply_rst(tcp, ip, &s.h, seg_len, now, why);
    }
  } else if (c->state == NS_TCP_SYN_SENT) {
    syn_sent_input(c, ip, &s, now);
  } else {
    synced_input(c, ip, &s, now);
  }
  ns_tcp_leave(tcp);
  return TRUE;
}

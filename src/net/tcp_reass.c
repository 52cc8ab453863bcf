/* tcp_reass.c — the receive side of a synchronized connection: which
 * segments the window accepts, trimming them to it, and the out-of-order
 * queue that keeps segments beyond a gap until the gap fills (RFC 9293
 * 3.10.7.4, as BSD's tcp_reass). */
#include <string.h>

#include "core/i18n.h"
#include "net/tcp_private.h"

static gboolean in_window(guint32 x, guint32 lo, guint32 wnd) {
  return ns_tcp_seq_ge(x, lo) && ns_tcp_seq_lt(x, lo + wnd);
}

/* RFC 9293 3.10.7.4 first check: is the segment acceptable? */
gboolean ns_tcp_acceptable(const NsTcpConn *c, const NsTcpSeg *s, guint32 wnd) {
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
void ns_tcp_trim(const NsTcpConn *c, NsTcpSeg *s, guint32 wnd) {
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

static void ooo_insert(NsTcpConn *c, const NsTcpSeg *s, NsTime now) {
  NsTcp *tcp = c->tcp;
  c->ooo_segments++;
  if (c->ooo_bytes + s->dlen > ns_ring_cap(&c->rcvbuf))
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
    ns_tcp_log_drop(
        tcp, now,
        N_("a gap before it: kept until the missing bytes arrive; our "
           "duplicate ACK keeps asking for the first missing byte"),
        "%s out of order: kept %u+%u", ns_tcp_conn_name(c, name), s->seq,
        s->dlen);
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

gboolean ns_tcp_take_data(NsTcpConn *c, const NsTcpSeg *s, NsTime now,
                          gboolean *fin) {
  if (s->seq != c->rcv_nxt) {
    ooo_insert(c, s, now);
    ns_tcp_sack_note(c, s->seq); /* its block goes first in the ACK */
    ns_tcp_send_ack(c, now);     /* a duplicate ACK, at once */
    *fin = FALSE;
    return FALSE;
  }
  gsize n = ns_ring_push(&c->rcvbuf, s->data, s->dlen);
  c->rcv_nxt += (guint32)n;
  c->bytes_received += n;
  gboolean new_data = n > 0;
  if (new_data)
    ns_tcp_rcv_autotune(c, now);
  *fin = s->fin && n == s->dlen;
  if (!g_queue_is_empty(&c->ooo)) {
    gboolean had = c->ooo_bytes > 0;
    if (ooo_merge(c))
      *fin = TRUE;
    new_data = new_data || had;
  }
  return new_data;
}

/* tcp_sack.c — selective acknowledgements (RFC 2018) and the loss
 * recovery they allow (RFC 6675): the blocks a receiver reports, the
 * sender's scoreboard, IsLost, SetPipe, NextSeg, the start of recovery and
 * its log.  The essay is in tcp_private.h; sending is tcp_output.c's,
 * the congestion window tcp_cc.c's. */
#include <string.h>

#include "core/i18n.h"
#include "net/tcp_private.h"

/* ---- the scoreboard ------------------------------------------------------ */

void ns_tcp_sack_board_clear(NsTcpSackBoard *b) { b->n = 0; }

guint32 ns_tcp_sack_board_bytes(const NsTcpSackBoard *b, guint32 from,
                                guint32 to) {
  guint32 sum = 0;
  for (guint i = 0; i < b->n; i++) {
    guint32 l = b->r[i].left, r = b->r[i].right;
    if (ns_tcp_seq_lt(l, from))
      l = from;
    if (ns_tcp_seq_gt(r, to))
      r = to;
    if (ns_tcp_seq_lt(l, r))
      sum += r - l;
  }
  return sum;
}

/* Replaces ranges [i, j) by one. */
static void board_replace(NsTcpSackBoard *b, guint i, guint j,
                          NsTcpSackBlock blk) {
  memmove(&b->r[i + 1], &b->r[j], (b->n - j) * sizeof b->r[0]);
  b->r[i] = blk;
  b->n = b->n - (j - i) + 1;
}

guint32 ns_tcp_sack_board_add(NsTcpSackBoard *b, guint32 left, guint32 right,
                              guint32 una, guint32 max) {
  if (!ns_tcp_seq_lt(una, left) || !ns_tcp_seq_lt(left, right) ||
      ns_tcp_seq_gt(right, max))
    return 0; /* not a block a receiver could send: ignored */
  guint32 fresh = (right - left) - ns_tcp_sack_board_bytes(b, left, right);
  /* [i, j): the ranges it overlaps or touches. */
  guint i = 0;
  while (i < b->n && ns_tcp_seq_lt(b->r[i].right, left))
    i++;
  guint j = i;
  while (j < b->n && ns_tcp_seq_le(b->r[j].left, right))
    j++;
  NsTcpSackBlock blk = {left, right};
  if (j > i) {
    if (ns_tcp_seq_lt(b->r[i].left, blk.left))
      blk.left = b->r[i].left;
    if (ns_tcp_seq_gt(b->r[j - 1].right, blk.right))
      blk.right = b->r[j - 1].right;
  } else if (b->n == NS_TCP_SACK_RANGES) {
    /* Full: the highest range is the one to forget (its bytes will be
     * sent again, never wrongly taken as arrived). */
    if (i == b->n)
      return 0;
    b->n--;
  }
  board_replace(b, i, j, blk);
  return fresh;
}

gboolean ns_tcp_sack_board_trim(NsTcpSackBoard *b, guint32 una) {
  guint k = 0;
  while (k < b->n && ns_tcp_seq_le(b->r[k].right, una))
    k++;
  memmove(&b->r[0], &b->r[k], (b->n - k) * sizeof b->r[0]);
  b->n -= k;
  if (b->n > 0 && ns_tcp_seq_le(b->r[0].left, una)) {
    b->n = 0; /* the receiver would have acknowledged it: it reneged */
    return TRUE;
  }
  return FALSE;
}

gboolean ns_tcp_sack_board_hole(const NsTcpSackBoard *b, guint32 from,
                                guint32 below, guint32 *seq, guint32 *end) {
  guint32 s = from;
  for (guint i = 0; i < b->n && ns_tcp_seq_lt(s, below); i++) {
    if (ns_tcp_seq_le(b->r[i].right, s))
      continue;
    if (ns_tcp_seq_gt(b->r[i].left, s)) {
      *seq = s;
      *end = ns_tcp_seq_lt(b->r[i].left, below) ? b->r[i].left : below;
      return TRUE;
    }
    s = b->r[i].right; /* s was SACKed: skip the range */
  }
  if (!ns_tcp_seq_lt(s, below))
    return FALSE;
  *seq = s;
  *end = below;
  return TRUE;
}

/* IsLost(s) holds for the unSACKed bytes below the left edge of range k
 * when ranges k.. count DupThresh or hold more than (DupThresh - 1) MSS;
 * both only grow as k goes down. */
static gboolean lost_below(guint count, guint32 bytes, guint32 mss) {
  return count >= NS_TCP_DUPTHRESH || bytes > (NS_TCP_DUPTHRESH - 1) * mss;
}

gboolean ns_tcp_sack_is_lost(const NsTcpSackBoard *b, guint32 seq,
                             guint32 mss) {
  if (b->n == 0)
    return FALSE;
  guint count = 0;
  for (guint i = 0; i < b->n; i++)
    count += ns_tcp_seq_gt(b->r[i].right, seq + 1);
  return lost_below(
      count, ns_tcp_sack_board_bytes(b, seq + 1, b->r[b->n - 1].right), mss);
}

guint32 ns_tcp_sack_lost_edge(const NsTcpSackBoard *b, guint32 una,
                              guint32 floor, guint32 mss) {
  guint32 edge = una;
  guint32 bytes = 0;
  for (guint k = b->n; k-- > 0;) {
    bytes += b->r[k].right - b->r[k].left;
    if (lost_below(b->n - k, bytes, mss)) {
      edge = b->r[k].left;
      break;
    }
  }
  return ns_tcp_seq_gt(floor, edge) ? floor : edge;
}

/* ---- the connection's recovery ------------------------------------------- */

static guint32 seq_max(guint32 a, guint32 b) {
  return ns_tcp_seq_gt(a, b) ? a : b;
}
static guint32 seq_min(guint32 a, guint32 b) {
  return ns_tcp_seq_lt(a, b) ? a : b;
}

static guint32 lost_edge(const NsTcpConn *c) {
  guint32 floor =
      c->in_recovery ? seq_max(c->lost_floor, c->snd_una) : c->snd_una;
  return seq_min(
      ns_tcp_sack_lost_edge(&c->board, c->snd_una, floor, c->snd_mss),
      c->snd_max);
}

guint32 ns_tcp_sack_pipe(const NsTcpConn *c) {
  const NsTcpSackBoard *b = &c->board;
  guint32 edge = lost_edge(c);
  /* Sent, not SACKed, not lost: in flight. */
  guint32 pipe =
      (c->snd_max - edge) - ns_tcp_sack_board_bytes(b, edge, c->snd_max);
  /* Resent in this recovery and not SACKed since: in flight again. */
  guint32 rtx = seq_min(seq_max(c->rtx_next, c->snd_una), c->snd_max);
  if (c->in_recovery)
    pipe += (rtx - c->snd_una) - ns_tcp_sack_board_bytes(b, c->snd_una, rtx);
  return pipe;
}

NsTcpNext ns_tcp_sack_next_seg(const NsTcpConn *c, gboolean new_ok,
                               guint32 *seq, guint32 *end) {
  const NsTcpSackBoard *b = &c->board;
  guint32 from = seq_max(c->rtx_next, c->snd_una);
  guint32 top = b->n > 0 ? b->r[b->n - 1].right : c->snd_una;
  guint32 edge = lost_edge(c);
  /* (1) the first hole not yet resent that is lost; (2) new data; (3)
   * the first hole not yet resent below the highest SACKed byte. */
  if (ns_tcp_sack_board_hole(b, from, seq_max(top, edge), seq, end) &&
      ns_tcp_seq_lt(*seq, edge))
    return NS_TCP_NEXT_LOST;
  if (new_ok)
    return NS_TCP_NEXT_NEW;
  if (ns_tcp_sack_board_hole(b, from, top, seq, end))
    return NS_TCP_NEXT_HOLE;
  return NS_TCP_NEXT_NONE;
}

void ns_tcp_sack_trim(NsTcpConn *c, NsTime now) {
  NsTcp *tcp = c->tcp;
  if (!c->sack_ok || !ns_tcp_sack_board_trim(&c->board, c->snd_una))
    return;
  c->sack_reneged++;
  if (ns_tcp_log_on(tcp)) {
    char name[NS_TCP_NAME_LEN];
    ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/sack", 0,
                  ns_tcp_explain(tcp)
                      ? N_("the receiver acknowledged up to bytes it had "
                           "reported (SACKed) but not beyond them: it dropped "
                           "them (reneged); what it SACKed is forgotten and "
                           "will be sent again")
                      : NULL,
                  "%s peer reneged at %u: scoreboard cleared",
                  ns_tcp_conn_name(c, name), c->snd_una);
  }
}

/* RFC 6675 5 steps (1)-(5): the segment at snd_una is lost. */
static void enter_recovery(NsTcpConn *c, NsTime now) {
  guint32 flight = c->snd_max - c->snd_una;
  c->ssthresh = MAX(flight / 2, 2u * c->snd_mss);
  c->cwnd = c->ssthresh;
  c->recover = c->snd_max;
  c->in_recovery = TRUE;
  c->sack_rto = FALSE;
  c->rtx_next = c->snd_una;
  c->lost_floor = c->snd_una + 1;
  c->fast_retransmits++;
  c->rtt_timing = FALSE;
  guint32 seq, end;
  if (ns_tcp_sack_board_hole(&c->board, c->snd_una, c->snd_max, &seq, &end))
    ns_tcp_send_hole(c, seq, end, TRUE, now);
  ns_tcp_arm_rtx(c, now);
}

void ns_tcp_sack_ack(NsTcpConn *c, const NsTcpHdr *h, gboolean dup,
                     NsTime now) {
  guint32 una = seq_max(h->ack, c->snd_una);
  guint32 fresh = 0;
  for (guint i = 0; i < h->nsack; i++)
    fresh += ns_tcp_sack_board_add(&c->board, h->sack[i].left, h->sack[i].right,
                                   una, c->snd_max);
  if (ns_tcp_seq_gt(h->ack, c->snd_una)) {
    ns_tcp_ack_advanced(c, h->ack, now);
    if (c->state == NS_TCP_CLOSED)
      return; /* the writable callback aborted */
    c->dupacks = 0;
  }
  /* A duplicate ACK SACKs new bytes (RFC 6675 2); one without blocks
   * counts as RFC 5681 says (a peer whose blocks did not fit). */
  if (fresh > 0 || (dup && h->nsack == 0)) {
    c->dupacks++;
    c->dup_acks++;
  }
  if (!c->in_recovery && c->snd_una != c->snd_max &&
      (c->dupacks >= NS_TCP_DUPTHRESH ||
       ns_tcp_sack_is_lost(&c->board, c->snd_una, c->snd_mss)))
    enter_recovery(c, now);
}

gboolean ns_tcp_sack_timeout(NsTcpConn *c) {
  if (!c->sack_ok || !ns_tcp_synchronized(c->state))
    return FALSE; /* a SYN+ACK goes again as without SACK */
  c->in_recovery = TRUE;
  c->sack_rto = TRUE;
  c->recover = c->snd_max;
  c->rtx_next = c->snd_una;
  c->lost_floor = c->snd_max;
  c->snd_nxt = c->snd_max; /* holes are chosen by NextSeg, not go-back-N */
  return TRUE;
}

/* ---- the log ------------------------------------------------------------- */

void ns_tcp_sack_describe(const NsTcpConn *c, guint32 seq, char *buf,
                          gsize size) {
  GString *s = g_string_sized_new(64);
  guint shown = 0, more = 0;
  for (guint i = 0; i < c->board.n; i++) {
    if (!ns_tcp_seq_gt(c->board.r[i].left, seq))
      continue;
    if (shown == 3) {
      more++;
      continue;
    }
    g_string_append_printf(s, "%s%u-%u", shown > 0 ? ", " : "",
                           c->board.r[i].left, c->board.r[i].right);
    shown++;
  }
  if (more > 0)
    g_string_append_printf(s, " and %u more", more);
  if (shown == 0)
    g_string_assign(s, "none");
  g_strlcpy(buf, s->str, size);
  g_string_free(s, TRUE);
}

void ns_tcp_sack_log_hole(NsTcpConn *c, guint32 seq, guint32 end,
                          gboolean first, NsTime now) {
  /* By the moment of the recovery: its first segment, later holes, or
   * after a timeout.  The SACK blocks are on the why: line, the congestion
   * window in `show tcp` (the event line stays short). */
  static const char *const why[] = {
      N_("the receiver's SACK blocks (%s) show later bytes arrived while it "
         "still asks for %u: that segment is lost; SACK recovery starts (half "
         "the window) and only the hole %u-%u is sent again"),
      N_("the receiver's SACK blocks (%s) say the bytes around it arrived: "
         "only the hole %u-%u is sent again, never what was SACKed"),
      N_("after the timeout, sending again from the oldest unacknowledged "
         "byte, skipping what the receiver SACKed (%s): only the hole %u-%u"),
  };
  NsTcp *tcp = c->tcp;
  if (!ns_tcp_log_on(tcp))
    return;
  char name[NS_TCP_NAME_LEN], blocks[96];
  ns_tcp_sack_describe(c, seq, blocks, sizeof blocks);
  g_autofree char *text =
      first ? ns_why_strdup_printf(why[0], blocks, seq, seq, end)
            : ns_why_strdup_printf(why[c->sack_rto ? 2 : 1], blocks, seq, end);
  ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/retransmit",
                0, ns_tcp_explain(tcp) ? text : NULL, "%s SACK hole %u-%u",
                ns_tcp_conn_name(c, name), seq, end);
}

/* ---- the receiver's blocks ----------------------------------------------- */

void ns_tcp_sack_note(NsTcpConn *c, guint32 seq) {
  guint n = c->n_sack_recent;
  guint k = 0;
  while (k < n && c->sack_recent[k] != seq)
    k++;
  if (k == n && n < NS_TCP_SACK_RECENT)
    n++;
  if (k == NS_TCP_SACK_RECENT)
    k--; /* the oldest goes */
  memmove(&c->sack_recent[1], &c->sack_recent[0], k * sizeof(guint32));
  c->sack_recent[0] = seq;
  c->n_sack_recent = n;
}

/* How recent the range [l, r) is: the index of its newest arrival, or
 * after all of those, by position. */
static guint range_rank(const NsTcpConn *c, guint32 l, guint32 r, guint pos) {
  for (guint k = 0; k < c->n_sack_recent; k++)
    if (ns_tcp_seq_ge(c->sack_recent[k], l) &&
        ns_tcp_seq_lt(c->sack_recent[k], r))
      return k;
  return NS_TCP_SACK_RECENT + pos;
}

/* Keeps the room best-ranked ranges in out (by rank); returns how many. */
static guint keep_best(NsTcpSackBlock *out, guint *rank, guint n, guint room,
                       NsTcpSackBlock blk, guint rk) {
  guint i = n < room ? n : room;
  if (i == room && (room == 0 || rank[room - 1] <= rk))
    return n;
  for (; i > 0 && rank[i - 1] > rk; i--) {
    if (i < room) {
      out[i] = out[i - 1];
      rank[i] = rank[i - 1];
    }
  }
  out[i] = blk;
  rank[i] = rk;
  return n < room ? n + 1 : n;
}

/* The out-of-order queue's ranges, merged; the room most recent ones go
 * into out.  Returns the number of ranges (all of them). */
static guint ooo_ranges(const NsTcpConn *c, NsTcpSackBlock *out, guint room,
                        guint *kept) {
  guint rank[NS_TCP_MAX_SACK], n = 0, count = 0;
  gboolean open = FALSE;
  NsTcpSackBlock cur = {0, 0};
  for (GList *l = c->ooo.head;; l = l->next) {
    const NsTcpOoo *o = l != NULL ? l->data : NULL;
    if (o != NULL && o->len == 0)
      continue;
    if (o != NULL && open && ns_tcp_seq_le(o->seq, cur.right)) {
      if (ns_tcp_seq_gt(o->seq + o->len, cur.right))
        cur.right = o->seq + o->len;
      continue;
    }
    if (open) {
      n = keep_best(out, rank, n, room, cur,
                    range_rank(c, cur.left, cur.right, count));
      count++;
    }
    if (o == NULL)
      break;
    cur = (NsTcpSackBlock){o->seq, o->seq + o->len};
    open = TRUE;
  }
  *kept = n;
  return count;
}

void ns_tcp_sack_fill(const NsTcpConn *c, NsTcpHdr *h) {
  if (!c->sack_ok || c->ooo.length == 0 || !(h->flags & NS_TCP_ACK) ||
      (h->flags & (NS_TCP_SYN | NS_TCP_RST)))
    return;
  guint room = MIN(ns_tcp_sack_room(h), NS_TCP_MAX_SACK), kept;
  ooo_ranges(c, h->sack, room, &kept);
  h->nsack = (guint8)kept;
}

guint32 ns_tcp_sack_opt_len(const NsTcpConn *c) {
  if (!c->sack_ok || c->ooo.length == 0)
    return 0;
  NsTcpSackBlock none[1];
  guint kept;
  guint n = MIN(ooo_ranges(c, none, 0, &kept), NS_TCP_MAX_SACK);
  return n > 0 ? 4 + 8 * n : 0;
}

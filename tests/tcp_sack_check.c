/* tcp_sack_check.c — SACK's invariants at the end nodes (see .h). */
#include "tcp_sack_check.h"

#include "net/ipnode_hook.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

/* One direction of a connection: data from src to dst. */
typedef struct {
  NsIp4 src, dst;
  guint16 sport, dport;
} DirKey;

typedef struct {
  gboolean sent;    /* src sent data or a SYN */
  guint32 sent_max; /* highest sequence number src sent + 1 */
  gboolean acked;   /* an ACK from dst reached src */
  guint32 ack;      /* the highest one */
  GArray *sacked;   /* NsTcpSackBlock, sorted, merged: reached src */
} DirState;

struct TcpSackCheck {
  GHashTable *dirs; /* DirKey* -> DirState*, both owned */
  TcpCheckLog log;
  guint64 blocks, resent;
};

static guint dir_hash(gconstpointer p) {
  const DirKey *k = p;
  return k->src.v ^ (k->dst.v * 31u) ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean dir_equal(gconstpointer a, gconstpointer b) {
  const DirKey *x = a, *y = b;
  return ns_ip4_equal(x->src, y->src) && ns_ip4_equal(x->dst, y->dst) &&
         x->sport == y->sport && x->dport == y->dport;
}

static void dir_free(gpointer p) {
  DirState *st = p;
  g_array_free(st->sacked, TRUE);
  g_free(st);
}

TcpSackCheck *tcp_sack_check_new(void) {
  TcpSackCheck *chk = g_new0(TcpSackCheck, 1);
  chk->dirs = g_hash_table_new_full(dir_hash, dir_equal, g_free, dir_free);
  tcp_check_log_init(&chk->log);
  return chk;
}

void tcp_sack_check_free(TcpSackCheck *chk) {
  g_hash_table_destroy(chk->dirs);
  tcp_check_log_clear(&chk->log);
  g_free(chk);
}

static DirState *dir_state(TcpSackCheck *chk, const DirKey *k) {
  DirState *st = g_hash_table_lookup(chk->dirs, k);
  if (st == NULL) {
    st = g_new0(DirState, 1);
    st->sacked = g_array_new(FALSE, FALSE, sizeof(NsTcpSackBlock));
    g_hash_table_insert(chk->dirs, g_memdup2(k, sizeof *k), st);
  }
  return st;
}

/* [l, r) joins the sorted, merged ranges. */
static void ranges_add(GArray *a, guint32 l, guint32 r) {
  guint i = 0;
  while (i < a->len &&
         ns_tcp_seq_lt(g_array_index(a, NsTcpSackBlock, i).right, l))
    i++;
  while (i < a->len &&
         ns_tcp_seq_le(g_array_index(a, NsTcpSackBlock, i).left, r)) {
    NsTcpSackBlock *b = &g_array_index(a, NsTcpSackBlock, i);
    l = ns_tcp_seq_lt(b->left, l) ? b->left : l;
    r = ns_tcp_seq_gt(b->right, r) ? b->right : r;
    g_array_remove_index(a, i);
  }
  NsTcpSackBlock nb = {l, r};
  g_array_insert_val(a, i, nb);
}

static void ranges_forget_below(GArray *a, guint32 ack) {
  while (a->len > 0 &&
         ns_tcp_seq_le(g_array_index(a, NsTcpSackBlock, 0).right, ack))
    g_array_remove_index(a, 0);
}

/* h arrived at its destination: what its sender (of data the other way)
 * now knows. */
static void on_arrival(TcpSackCheck *chk, const NsIpv4Hdr *ip,
                       const NsTcpHdr *h) {
  if (!(h->flags & NS_TCP_ACK) || (h->flags & NS_TCP_RST))
    return;
  DirKey k = {ip->dst, ip->src, h->dport, h->sport};
  DirState *st = dir_state(chk, &k);
  if (!st->acked || ns_tcp_seq_gt(h->ack, st->ack))
    st->ack = h->ack;
  st->acked = TRUE;
  for (guint i = 0; i < h->nsack; i++) {
    chk->blocks++;
    if (ns_tcp_seq_lt(h->sack[i].left, h->sack[i].right) &&
        ns_tcp_seq_gt(h->sack[i].left, st->ack))
      ranges_add(st->sacked, h->sack[i].left, h->sack[i].right);
  }
  ranges_forget_below(st->sacked, st->ack);
}

/* Blocks h carries about the data coming the other way. */
static void judge_blocks(TcpSackCheck *chk, const NsIpv4Hdr *ip,
                         const NsTcpHdr *h, NsTime now) {
  DirKey k = {ip->dst, ip->src, h->dport, h->sport};
  DirState *peer = dir_state(chk, &k);
  for (guint i = 0; i < h->nsack; i++) {
    guint32 l = h->sack[i].left, r = h->sack[i].right;
    if (!ns_tcp_seq_gt(l, h->ack) || !ns_tcp_seq_lt(l, r) || !peer->sent ||
        ns_tcp_seq_gt(r, peer->sent_max))
      tcp_check_log_add(
          &chk->log, now,
          "bad-block: port %u sent SACK %u-%u with ack %u (the peer "
          "sent up to %u)",
          h->sport, l, r, h->ack, peer->sent_max);
  }
}

/* Data h carries: none of it may be a byte its receiver SACKed. */
static void judge_data(TcpSackCheck *chk, const NsIpv4Hdr *ip,
                       const NsTcpHdr *h, guint32 dlen, NsTime now) {
  DirKey k = {ip->src, ip->dst, h->sport, h->dport};
  DirState *st = dir_state(chk, &k);
  guint32 seq = h->seq + ((h->flags & NS_TCP_SYN) ? 1 : 0);
  guint32 end = seq + dlen;
  if (dlen > 0 && st->sent && ns_tcp_seq_lt(seq, st->sent_max))
    chk->resent += ns_tcp_seq_lt(end, st->sent_max) ? dlen : st->sent_max - seq;
  for (guint i = 0; dlen > 0 && i < st->sacked->len; i++) {
    NsTcpSackBlock *b = &g_array_index(st->sacked, NsTcpSackBlock, i);
    if (ns_tcp_seq_lt(seq, b->right) && ns_tcp_seq_lt(b->left, end))
      tcp_check_log_add(
          &chk->log, now,
          "resent-sacked: port %u sent %u-%u again, but %u-%u had "
          "been SACKed to it",
          h->sport, seq, end, b->left, b->right);
  }
  guint32 top = end + ((h->flags & NS_TCP_FIN) ? 1 : 0);
  if (dlen > 0 || (h->flags & (NS_TCP_SYN | NS_TCP_FIN))) {
    if (!st->sent || ns_tcp_seq_gt(top, st->sent_max))
      st->sent_max = top;
    st->sent = TRUE;
  }
}

static NsIpVerdict on_packet(NsIpNode *node, NsIpHookPoint point,
                             NsIpPacket *pkt, NsTime now, gpointer data) {
  TcpSackCheck *chk = data;
  (void)node;
  NsTcpHdr h;
  const char *err = NULL;
  const NsIpv4Hdr *ip = &pkt->ip;
  if (ip->proto != NS_IPPROTO_TCP || ns_ipv4_is_fragment(ip))
    return NS_IP_ACCEPT;
  const guint8 *seg =
      pkt->frame->data + NS_ETH_HLEN + ns_ipv4_payload_offset(ip);
  gsize slen = ns_ipv4_payload_len(ip);
  if (!ns_tcp_parse(seg, slen, &h, &err))
    return NS_IP_ACCEPT;
  if (point == NS_IP_HOOK_LOCAL_IN) {
    on_arrival(chk, ip, &h);
  } else {
    judge_blocks(chk, ip, &h, now);
    judge_data(chk, ip, &h, (guint32)(slen - h.hlen), now);
  }
  return NS_IP_ACCEPT;
}

void tcp_sack_check_watch(TcpSackCheck *chk, NsIpNode *node) {
  ns_ipnode_add_hook(node, NS_IP_HOOK_LOCAL_IN, G_MAXINT, on_packet, chk);
  ns_ipnode_add_hook(node, NS_IP_HOOK_LOCAL_OUT, G_MININT, on_packet, chk);
}

guint tcp_sack_check_violations(const TcpSackCheck *chk) { return chk->log.n; }

const char *tcp_sack_check_report(const TcpSackCheck *chk) {
  return chk->log.text->str;
}

guint64 tcp_sack_check_blocks(const TcpSackCheck *chk) { return chk->blocks; }

guint64 tcp_sack_check_resent(const TcpSackCheck *chk) { return chk->resent; }

/* tcp_window_check.c — the TCP window invariant on link taps (see .h). */
#include "tcp_window_check.h"

#include "net/tcp.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

/* One direction of one connection on one link: who sends, to whom. */
typedef struct {
  const NsLink *link;
  NsIp4 src, dst;
  guint16 sport, dport;
} DirKey;

typedef struct {
  gboolean announced;  /* an edge was seen */
  guint32 edge;        /* ack + window of the latest ACK from src */
  gboolean syn_seen;   /* src's SYN crossed this link */
  gboolean offered_ws; /* and it carried a window scale option */
  guint8 ws;           /* its shift */
} DirState;

struct TcpWindowCheck {
  GHashTable *dirs; /* DirKey* -> DirState*, both owned */
  TcpCheckLog log;
  guint64 segments;
};

static guint dir_hash(gconstpointer p) {
  const DirKey *k = p;
  return g_direct_hash(k->link) ^ k->src.v ^ (k->dst.v * 31u) ^
         ((guint)k->sport << 16 | k->dport);
}

static gboolean dir_equal(gconstpointer a, gconstpointer b) {
  const DirKey *x = a, *y = b;
  return x->link == y->link && ns_ip4_equal(x->src, y->src) &&
         ns_ip4_equal(x->dst, y->dst) && x->sport == y->sport &&
         x->dport == y->dport;
}

void tcp_check_log_init(TcpCheckLog *log) {
  log->text = g_string_new(NULL);
  log->n = 0;
}

void tcp_check_log_clear(TcpCheckLog *log) { g_string_free(log->text, TRUE); }

void tcp_check_log_add(TcpCheckLog *log, NsTime now, const char *fmt, ...) {
  log->n++;
  if (log->n > 5)
    return; /* enough to see what went wrong */
  va_list ap;
  va_start(ap, fmt);
  g_string_append_printf(log->text, "t=%" G_GUINT64_FORMAT " ns: ", now);
  g_string_append_vprintf(log->text, fmt, ap);
  g_string_append_c(log->text, '\n');
  va_end(ap);
}

TcpWindowCheck *tcp_window_check_new(void) {
  TcpWindowCheck *chk = g_new0(TcpWindowCheck, 1);
  chk->dirs = g_hash_table_new_full(dir_hash, dir_equal, g_free, g_free);
  tcp_check_log_init(&chk->log);
  return chk;
}

void tcp_window_check_free(TcpWindowCheck *chk) {
  g_hash_table_destroy(chk->dirs);
  tcp_check_log_clear(&chk->log);
  g_free(chk);
}

static DirState *dir_state(TcpWindowCheck *chk, const DirKey *k) {
  DirState *st = g_hash_table_lookup(chk->dirs, k);
  if (st == NULL) {
    st = g_new0(DirState, 1);
    g_hash_table_insert(chk->dirs, g_memdup2(k, sizeof *k), st);
  }
  return st;
}

/* The window src announces in bytes: a SYN's field as it is, any other
 * shifted by src's own shift once both SYNs offered scaling (RFC 7323
 * 2.3).  Learning the shifts from the SYNs is what a capture tool does. */
static guint32 window_bytes(DirState *mine, const DirState *peer,
                            const NsTcpHdr *h) {
  if (h->flags & NS_TCP_SYN) {
    mine->syn_seen = TRUE;
    mine->offered_ws = h->has_ws;
    mine->ws = h->ws;
    return h->window;
  }
  gboolean agreed = mine->offered_ws && peer->offered_ws;
  return (guint32)h->window << (agreed ? mine->ws : 0);
}

/* The segment's ACK announces a right edge for its sender's receive
 * window: it must not be left of the last one. */
static void judge_edge(TcpWindowCheck *chk, DirState *mine,
                       const DirState *peer, const NsTcpHdr *h, NsTime now) {
  guint32 wnd = window_bytes(mine, peer, h);
  if (!(h->flags & NS_TCP_ACK) || (h->flags & NS_TCP_RST))
    return;
  guint32 edge = h->ack + wnd;
  if (mine->announced && ns_tcp_seq_lt(edge, mine->edge))
    tcp_check_log_add(&chk->log, now,
                      "port %u shrank its window: right edge %u after %u",
                      h->sport, edge, mine->edge);
  if (!mine->announced || ns_tcp_seq_gt(edge, mine->edge))
    mine->edge = edge;
  mine->announced = TRUE;
}

/* The segment's data must end at or before the peer's last edge. */
static void judge_data(TcpWindowCheck *chk, const DirState *peer,
                       const NsTcpHdr *h, guint32 dlen, NsTime now) {
  if (dlen == 0 || !peer->announced || (h->flags & NS_TCP_SYN))
    return;
  chk->segments++;
  guint32 end = h->seq + dlen;
  gboolean probe = dlen == 1 && h->seq == peer->edge;
  if (ns_tcp_seq_gt(end, peer->edge) && !probe)
    tcp_check_log_add(
        &chk->log, now,
        "port %u sent seq %u-%u (%u bytes), %u beyond the right edge %u",
        h->sport, h->seq, end, dlen, end - peer->edge, peer->edge);
}

static void on_frame(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)side;
  TcpWindowCheck *chk = data;
  NsIpv4Hdr ip;
  NsTcpHdr h;
  const char *err = NULL;
  if (!ns_eth_view(frame->data, frame->len) ||
      ns_eth_type(frame->data) != NS_ETHERTYPE_IPV4)
    return;
  const guint8 *p = ns_eth_payload(frame->data);
  gsize len = frame->len - NS_ETH_HLEN;
  if (!ns_ipv4_parse_header(p, len, &ip, &err) || ip.proto != NS_IPPROTO_TCP ||
      ns_ipv4_is_fragment(&ip))
    return;
  const guint8 *seg = p + ns_ipv4_payload_offset(&ip);
  gsize slen = ns_ipv4_payload_len(&ip);
  if (!ns_tcp_parse(seg, slen, &h, &err))
    return;
  DirKey mine = {link, ip.src, ip.dst, h.sport, h.dport};
  DirKey theirs = {link, ip.dst, ip.src, h.dport, h.sport};
  DirState *peer = dir_state(chk, &theirs);
  judge_data(chk, peer, &h, (guint32)(slen - h.hlen), now);
  judge_edge(chk, dir_state(chk, &mine), peer, &h, now);
}

void tcp_window_check_tap(TcpWindowCheck *chk, NsLink *link) {
  ns_link_add_tap(link, on_frame, chk);
}

guint tcp_window_check_violations(const TcpWindowCheck *chk) {
  return chk->log.n;
}

const char *tcp_window_check_report(const TcpWindowCheck *chk) {
  return chk->log.text->str;
}

guint64 tcp_window_check_segments(const TcpWindowCheck *chk) {
  return chk->segments;
}

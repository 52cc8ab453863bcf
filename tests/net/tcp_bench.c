/* tcp_bench.c — one TCP against a scripted peer (tcp_bench.h). */
#include "tcp_bench.h"

#include <string.h>

/* ---- the application ----------------------------------------------------- */

void app_read(TcpBench *b) {
  guint8 buf[4096];
  gsize n;
  while ((n = ns_tcp_recv(b->c, buf, sizeof buf, now_of(b->n))) > 0)
    g_byte_array_append(b->got, buf, (guint)n);
}

static void on_established(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  (void)now;
  ((TcpBench *)data)->established++;
}

static void on_readable(NsTcpConn *c, NsTime now, gpointer data) {
  TcpBench *b = data;
  (void)c;
  (void)now;
  b->readable++;
  if (!b->no_read)
    app_read(b);
}

static void on_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now,
                      gpointer data) {
  TcpBench *b = data;
  (void)c;
  b->closed++;
  b->why = why;
  b->closed_at = now;
}

static const NsTcpCallbacks app_callbacks = {on_established, on_readable, NULL,
                                             on_closed, NULL};

static void on_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                      gpointer data) {
  TcpBench *b = data;
  (void)l;
  (void)now;
  b->accepts++;
  b->c = c;
  NsTcpCallbacks cb = app_callbacks;
  cb.data = b;
  ns_tcp_set_callbacks(c, &cb);
}

/* ---- the bench ----------------------------------------------------------- */

/* P asks for h1's MAC first: h1 learns P's, so that every segment it sends
 * takes exactly the link's 1 ms. */
void bench_init(TcpBench *b, const NsTcpConfig *cfg) {
  memset(b, 0, sizeof *b);
  b->hb = host_bench(TRUE, TRUE);
  b->n = b->hb.net;
  inject(b->n, b->hb.i0, mk_arp_who_has(b->n, b->hb.p, H1));
  g_ptr_array_set_size(b->hb.p->got, 0);
  g_array_set_size(b->hb.p->times, 0);
  b->tcp = ns_tcp_new(b->hb.h, cfg != NULL ? cfg : &ns_tcp_minimal_config);
  b->got = g_byte_array_new();
  b->hport = LISTEN_PORT;
  b->pport = PEER_PORT;
}

void bench_clear(TcpBench *b) {
  ns_tcp_free(b->tcp);
  net_free(b->n);
  g_byte_array_free(b->got, TRUE);
}

void listen_on(TcpBench *b, guint16 port) {
  GError *err = NULL;
  b->l = ns_tcp_listen(b->tcp, port, on_accept, b, &err);
  ck_assert_ptr_nonnull(b->l);
}

NsTcpInfo info_of(NsTcpConn *c) {
  NsTcpInfo i;
  ns_tcp_info(c, &i);
  return i;
}

/* ---- P's side ------------------------------------------------------------ */

NsFrame *craft_hdr(TcpBench *b, NsTcpHdr *h, const guint8 *data, gsize len) {
  guint8 seg[NS_TCP_MAX_HLEN + 1500];
  g_assert(len <= 1500);
  if (len > 0)
    memcpy(seg + ns_tcp_header_len(h), data, len);
  gsize total = ns_tcp_emit(seg, h, len, PEER, H1);
  return mk_ipv4(b->n, b->hb.i0->nic.mac, b->hb.p->nic.mac, PEER, H1, 64,
                 NS_IPPROTO_TCP, seg, total);
}

NsFrame *craft(TcpBench *b, guint16 sport, guint16 dport, guint8 flags,
               guint32 seq, guint32 ack, guint16 window, guint16 mss,
               const guint8 *data, gsize len) {
  NsTcpHdr h = {.sport = sport,
                .dport = dport,
                .seq = seq,
                .ack = ack,
                .flags = flags,
                .window = window,
                .mss = mss};
  return craft_hdr(b, &h, data, len);
}

void deliver(TcpBench *b, NsFrame *f) {
  b->hb.i0->nic.recv(&b->hb.i0->nic, f, now_of(b->n));
  run_for(b->n, STEP);
}

void from_p(TcpBench *b, guint8 flags, guint32 seq, guint32 ack, guint16 window,
            const guint8 *data, gsize len) {
  deliver(b,
          craft(b, b->pport, b->hport, flags, seq, ack, window, 0, data, len));
}

const guint8 *letters(guint off) {
  static guint8 buf[8192];
  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = (guint8)('a' + (i + off) % 26);
  return buf;
}

/* ---- h1's side ----------------------------------------------------------- */

gboolean seg_at(TcpBench *b, guint i, TcpSeg *s) {
  Probe *p = b->hb.p;
  for (guint k = 0; k < p->got->len; k++) {
    const NsFrame *f = g_ptr_array_index(p->got, k);
    NsIpv4Hdr ip;
    if (ns_eth_type(f->data) != NS_ETHERTYPE_IPV4 || !frame_ipv4(f, &ip) ||
        ip.proto != NS_IPPROTO_TCP || i-- > 0)
      continue;
    const guint8 *seg = f->data + NS_ETH_HLEN + ip.hlen;
    gsize len = ip.total_len - ip.hlen;
    ck_assert(ns_tcp_parse(seg, len, &s->h, NULL));
    ck_assert(ns_tcp_checksum_ok(seg, len, ip.src, ip.dst));
    ck_assert_uint_eq(ip.src.v, H1.v);
    ck_assert_uint_eq(ip.dst.v, PEER.v);
    s->data = seg + s->h.hlen;
    s->len = (guint32)(len - s->h.hlen);
    s->at = g_array_index(p->times, NsTime, k);
    s->frame = f;
    return TRUE;
  }
  return FALSE;
}

guint n_segs(TcpBench *b) {
  TcpSeg s;
  guint n = 0;
  while (seg_at(b, n, &s))
    n++;
  return n;
}

TcpSeg expect_seg(TcpBench *b, guint8 flags, guint32 seq, guint32 ack,
                  int line) {
  TcpSeg s;
  ck_assert_msg(seg_at(b, b->seen, &s), "line %d: no segment #%u", line,
                b->seen);
  char want[NS_TCP_FLAGS_STRLEN], got[NS_TCP_FLAGS_STRLEN];
  ck_assert_msg(s.h.flags == flags, "line %d: segment #%u flags %s, not %s",
                line, b->seen, ns_tcp_flags_format(s.h.flags, got),
                ns_tcp_flags_format(flags, want));
  ck_assert_msg(s.h.seq == seq, "line %d: segment #%u seq %u, not %u", line,
                b->seen, s.h.seq, seq);
  ck_assert_msg(!(flags & NS_TCP_ACK) || s.h.ack == ack,
                "line %d: segment #%u ack %u, not %u", line, b->seen, s.h.ack,
                ack);
  ck_assert_uint_eq(s.h.sport, b->hport);
  ck_assert_uint_eq(s.h.dport, b->pport);
  b->seen++;
  return s;
}

/* ---- opening ------------------------------------------------------------- */

TcpSeg syn_to_listener(TcpBench *b, guint32 isn, guint16 wnd) {
  if (b->l == NULL)
    listen_on(b, LISTEN_PORT);
  deliver(b, craft(b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, isn, 0, wnd, 1460,
                   NULL, 0));
  guint n = ns_tcp_n_conns(b->tcp);
  ck_assert_uint_gt(n, 0);
  b->iss = info_of(ns_tcp_conn(b->tcp, n - 1)).iss;
  TcpSeg s = EXPECT(b, SA, b->iss, isn + 1);
  ck_assert_uint_eq(s.h.mss, 1460);
  return s;
}

void passive_open(TcpBench *b, guint16 wnd) {
  syn_to_listener(b, P_ISN, wnd);
  from_p(b, A, P_ISN + 1, b->iss + 1, wnd, NULL, 0);
  ck_assert_uint_eq(b->accepts, 1);
  ck_assert_int_eq(ns_tcp_state(b->c), NS_TCP_ESTABLISHED);
  EXPECT_NONE(b);
}

void connect_to_p(TcpBench *b) {
  NsTcpCallbacks cb = app_callbacks;
  cb.data = b;
  b->hport = CONNECT_PORT;
  b->pport = 80;
  b->c =
      ns_tcp_connect(b->tcp, PEER, 80, CONNECT_PORT, &cb, now_of(b->n), NULL);
  ck_assert_ptr_nonnull(b->c);
  b->iss = info_of(b->c).iss;
  run_for(b->n, STEP);
  EXPECT(b, NS_TCP_SYN, b->iss, 0);
}

void active_open(TcpBench *b, guint16 mss, guint16 wnd) {
  connect_to_p(b);
  deliver(b,
          craft(b, 80, CONNECT_PORT, SA, P_ISN, b->iss + 1, wnd, mss, NULL, 0));
  EXPECT(b, A, b->iss + 1, P_ISN + 1);
  ck_assert_int_eq(ns_tcp_state(b->c), NS_TCP_ESTABLISHED);
}

/* test_csum_trust.c — checksums netsim computed, carried with the frame
 * (NsFrame.csum_ok, core/frame.h), and everything that must still be
 * verified in full.
 *
 *   a 10.0.1.2 --- eth0 [r] eth1 --- b 10.0.2.2
 *
 * A frame the stack built keeps its mark across the router (the TTL
 * decrement updates the header checksum incrementally, RFC 1624, and the
 * bytes on the wire stay right).  The mark is trusted, which is why only
 * the stack sets it: a frame that is marked but wrong gets through, and
 * each test below that must drop damage would pass it without the guard
 * it names:
 *  - a corrupting link (link.c clears the mark on the frame it damaged):
 *    UDP with every frame corrupted, TCP with 1 % corrupted;
 *  - a raw frame handed to an interface (bridges, vxlan, the fuzzer, a
 *    test), which starts unmarked (ns_frame_new);
 *  - a hook that rewrites a byte (the stack clears the mark before any
 *    hook runs).
 * The incremental TTL update itself is compared with a full recompute in
 * tests/wire/test_ipv4.c (every checksum value, random headers). */
#include <string.h>

#include "net/ipnode_hook.h"
#include "net/link.h"
#include "sim/network.h"
#include "testutil.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/udp.h"

#define PORT 9000
#define DGRAM 1000

static const char topology[] = "[router r]\n"
                               "eth0 = 10.0.1.1/24\n"
                               "eth1 = 10.0.2.1/24\n"
                               "[host a]\n"
                               "eth0 = 10.0.1.2/24 @ r:eth0\n"
                               "gateway = 10.0.1.1\n"
                               "[host b]\n"
                               "eth0 = 10.0.2.2/24 @ r:eth1\n"
                               "gateway = 10.0.2.1\n";

typedef struct {
  NsNet *net;
  NsNetNode *a, *r, *b;
  NsLink *a_link, *b_link; /* a-r and r-b */
  NsUdpSocket *rx, *tx;    /* b's receiving socket, a's sending one */
} Trio;

static void trio_init(Trio *t) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(topology, -1, "trust.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  t->net = ns_net_new(topo, 1);
  t->a = ns_net_find(t->net, "a");
  t->r = ns_net_find(t->net, "r");
  t->b = ns_net_find(t->net, "b");
  t->a_link = ns_net_find_link(t->net, "a", "r")->link;
  t->b_link = ns_net_find_link(t->net, "r", "b")->link;
  t->rx = ns_udp_open(ns_net_node_udp(t->b), (NsIp4){0}, PORT, NULL, NULL);
  t->tx = ns_udp_open(ns_net_node_udp(t->a), (NsIp4){0}, 0, NULL, NULL);
  ck_assert_ptr_nonnull(t->rx);
  ck_assert_ptr_nonnull(t->tx);
}

static void trio_clear(Trio *t) { ns_net_free(t->net); }

static void run_ms(Trio *t, guint ms) {
  ns_net_run_until(t->net, ns_net_now(t->net) + ms * NS_MSEC);
}

/* Datagram i's data: DGRAM bytes that differ from every other's. */
static void pattern(guint i, guint8 *buf) {
  for (guint k = 0; k < DGRAM; k++)
    buf[k] = (guint8)(i * 7 + k * 13);
}

static void send_udp(Trio *t, guint i) {
  guint8 buf[DGRAM];
  pattern(i, buf);
  ck_assert(ns_udp_sendto(t->tx, NS_IP4(10, 0, 2, 2), PORT, buf, DGRAM,
                          ns_net_now(t->net), NULL));
}

/* Reads b's queue: how many datagrams came, asserting each is intact. */
static guint drain_intact(Trio *t, guint n_sent) {
  guint got = 0;
  GBytes *d;
  while ((d = ns_udp_recvfrom(t->rx, NULL, NULL)) != NULL) {
    gsize len;
    const guint8 *p = g_bytes_get_data(d, &len);
    guint8 want[DGRAM];
    gboolean match = FALSE;
    for (guint i = 0; i < n_sent && !match; i++) {
      pattern(i, want);
      match = len == DGRAM && memcmp(p, want, DGRAM) == 0;
    }
    ck_assert_msg(match, "a damaged datagram reached the socket");
    g_bytes_unref(d);
    got++;
  }
  return got;
}

/* ARP both ways and one datagram, on clean links. */
static void warm_up(Trio *t) {
  send_udp(t, 0);
  run_ms(t, 100);
  ck_assert_uint_eq(drain_intact(t, 1), 1);
}

/* ---- the mark across the router ------------------------------------------ */

/* The side of link that nic sends from. */
static guint side_of(NsLink *link, const NsNic *nic) {
  return ns_link_nic(link, 0) == nic ? 0 : 1;
}

typedef struct {
  const NsNic *from; /* r's eth1 */
  guint frames, marked, wire_ok;
} Seen;

static void on_b_link(NsLink *link, guint side, const NsFrame *f, NsTime now,
                      gpointer data) {
  (void)now;
  Seen *s = data;
  if (ns_link_nic(link, side) != s->from ||
      ns_eth_type(f->data) != NS_ETHERTYPE_IPV4)
    return; /* r -> b only */
  const guint8 *ip = f->data + NS_ETH_HLEN;
  NsIpv4Hdr h;
  s->frames++;
  s->marked += f->csum_ok ? 1 : 0;
  /* What the wire carries is right whatever the mark says. */
  if (ns_ipv4_parse(ip, f->len - NS_ETH_HLEN, &h, NULL) && h.ttl == 63 &&
      ns_udp_checksum_ok(ip + h.hlen, h.total_len - h.hlen, h.src, h.dst))
    s->wire_ok++;
}

START_TEST(test_mark_survives_forwarding) {
  Trio t;
  trio_init(&t);
  warm_up(&t);
  Seen s = {&ns_ipnode_iface(t.r->ip, 1)->nic, 0, 0, 0};
  ns_link_add_tap(t.b_link, on_b_link, &s);
  for (guint i = 0; i < 10; i++)
    send_udp(&t, i);
  run_ms(&t, 10);
  ck_assert_uint_eq(drain_intact(&t, 10), 10);
  ck_assert_uint_eq(s.frames, 10);
  ck_assert_uint_eq(s.marked, 10);
  ck_assert_uint_eq(s.wire_ok, 10);
  ck_assert_uint_eq(ns_udp_counters(ns_net_node_udp(t.b))->bad_checksum, 0);
  trio_clear(&t);
}
END_TEST

/* ---- a corrupting link -----------------------------------------------------
 */

/* Every frame from a has one bit flipped somewhere.  Each datagram ends
 * in exactly one place: intact at the socket (the bit was in a MAC
 * address, or in a UDP checksum that became 0, "none"), or dropped by
 * someone who checked. */
START_TEST(test_corrupted_datagrams_are_verified) {
  Trio t;
  trio_init(&t);
  warm_up(&t);
  NsLinkParams p = *ns_link_params(t.a_link);
  p.corrupt = 1.0;
  ns_link_set_params(t.a_link, &p);
  const guint n = 200;
  for (guint i = 0; i < n; i++) {
    send_udp(&t, i);
    run_ms(&t, 1);
  }
  run_ms(&t, 100);
  guint got = drain_intact(&t, n);
  const NsUdpCounters *u = ns_udp_counters(ns_net_node_udp(t.b));
  const NsIpCounters ir = ns_ipnode_counters(t.r->ip);
  const NsIpCounters ib = ns_ipnode_counters(t.b->ip);
  guint a_side = side_of(t.a_link, &ns_ipnode_iface(t.a->ip, 0)->nic);
  ck_assert_uint_eq(ns_link_stats(t.a_link, a_side).corrupted, n);
  /* The UDP part is 96 % of the frame. */
  ck_assert_uint_ge(u->bad_checksum, n / 2);
  ck_assert_uint_eq(got + u->bad_checksum + u->malformed + ir.malformed +
                        ir.not_for_us + ir.no_forward_bcast +
                        ir.unknown_ethertype + ib.malformed,
                    n);
  trio_clear(&t);
}
END_TEST

typedef struct {
  NsTcpConn *c;
  gsize total, sent, got;
  gboolean intact, eof;
} Stream;

static guint8 stream_byte(gsize i) { return (guint8)(i * 31 + i / 251); }

static void stream_fill(Stream *s, NsTime now) {
  guint8 buf[8192];
  while (s->sent < s->total) {
    gsize n = MIN(sizeof buf, s->total - s->sent);
    for (gsize k = 0; k < n; k++)
      buf[k] = stream_byte(s->sent + k);
    gsize took = ns_tcp_send(s->c, buf, n, now);
    s->sent += took;
    if (took < n)
      return;
  }
}

static void on_writable(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  stream_fill(data, now);
}

static void on_readable(NsTcpConn *c, NsTime now, gpointer data) {
  Stream *s = data;
  guint8 buf[8192];
  gsize n;
  while ((n = ns_tcp_recv(c, buf, sizeof buf, now)) > 0)
    for (gsize k = 0; k < n; k++, s->got++)
      if (buf[k] != stream_byte(s->got))
        s->intact = FALSE;
}

static void on_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                      gpointer data) {
  (void)l;
  (void)now;
  NsTcpCallbacks cb = {NULL, on_readable, NULL, NULL, data};
  ns_tcp_set_callbacks(c, &cb);
}

START_TEST(test_corrupted_stream_arrives_intact) {
  Trio t;
  trio_init(&t);
  NsLinkParams p = *ns_link_params(t.a_link);
  p.corrupt = 0.01;
  ns_link_set_params(t.a_link, &p);
  Stream s = {.total = 1 << 20, .intact = TRUE};
  ck_assert_ptr_nonnull(
      ns_tcp_listen(ns_net_node_tcp(t.b), 5001, on_accept, &s, NULL));
  NsTcpCallbacks cb = {NULL, NULL, on_writable, NULL, &s};
  s.c = ns_tcp_connect(ns_net_node_tcp(t.a), NS_IP4(10, 0, 2, 2), 5001, 0, &cb,
                       ns_net_now(t.net), NULL);
  ck_assert_ptr_nonnull(s.c);
  stream_fill(&s, ns_net_now(t.net));
  /* Bounded: 60 s of virtual time. */
  for (guint i = 0; i < 600 && s.got < s.total; i++)
    run_ms(&t, 100);
  ck_assert_uint_eq(s.got, s.total);
  ck_assert(s.intact);
  guint a_side = side_of(t.a_link, &ns_ipnode_iface(t.a->ip, 0)->nic);
  ck_assert_uint_gt(ns_link_stats(t.a_link, a_side).corrupted, 0);
  ck_assert_uint_gt(ns_tcp_counters(ns_net_node_tcp(t.b))->bad_checksum, 0);
  trio_clear(&t);
}
END_TEST

/* ---- raw frames ---------------------------------------------------------- */

/* A datagram a -> b:PORT as a raw Ethernet frame (IPv4 header checksum
 * right, UDP checksum right unless damage), as a bridge or a test hands
 * one to an interface. */
static NsFrame *raw_datagram(Trio *t, gboolean damage) {
  guint8 bytes[NS_ETH_HLEN + NS_IPV4_HLEN + NS_UDP_HLEN + DGRAM] = {0};
  NsIpIface *a0 = ns_ipnode_iface(t->a->ip, 0);
  NsEthHdr eth = {ns_mac_zero, a0->nic.mac, NS_ETHERTYPE_IPV4};
  ns_eth_emit(bytes, &eth);
  guint8 *ip = bytes + NS_ETH_HLEN, *udp = ip + NS_IPV4_HLEN;
  pattern(3, udp + NS_UDP_HLEN);
  NsUdpHdr uh = {4000, PORT, 0, 0};
  ns_udp_emit(udp, &uh, DGRAM, a0->addr.addr, NS_IP4(10, 0, 2, 2));
  if (damage)
    udp[NS_UDP_HLEN + 10] ^= 0x04;
  NsIpv4Hdr h = {.total_len = NS_IPV4_HLEN + NS_UDP_HLEN + DGRAM,
                 .ttl = 64,
                 .proto = NS_IPPROTO_UDP,
                 .src = a0->addr.addr,
                 .dst = NS_IP4(10, 0, 2, 2)};
  ns_ipv4_emit(ip, &h);
  return ns_frame_new_from(bytes, sizeof bytes, 777);
}

/* a's gateway's MAC: r's eth0. */
static NsMac gateway_mac(Trio *t) {
  return ns_ipnode_iface(t->r->ip, 0)->nic.mac;
}

START_TEST(test_raw_frames_are_verified) {
  Trio t;
  trio_init(&t);
  warm_up(&t);
  NsIpIface *a0 = ns_ipnode_iface(t.a->ip, 0);
  const NsUdpCounters *u = ns_udp_counters(ns_net_node_udp(t.b));
  /* Unmarked, damaged: dropped and counted. */
  ns_ipnode_transmit(a0, raw_datagram(&t, TRUE), gateway_mac(&t),
                     ns_net_now(t.net));
  run_ms(&t, 10);
  ck_assert_uint_eq(u->bad_checksum, 1);
  ck_assert_uint_eq(drain_intact(&t, 1), 0);
  /* Unmarked, right: delivered. */
  ns_ipnode_transmit(a0, raw_datagram(&t, FALSE), gateway_mac(&t),
                     ns_net_now(t.net));
  run_ms(&t, 10);
  ck_assert_uint_eq(u->bad_checksum, 1);
  ck_assert_uint_eq(drain_intact(&t, 4), 1);
  /* What the mark means: marked and damaged gets through unsummed.  This
   * is why nothing but the stack may set it. */
  NsFrame *f = raw_datagram(&t, TRUE);
  f->csum_ok = TRUE;
  ns_ipnode_transmit(a0, f, gateway_mac(&t), ns_net_now(t.net));
  run_ms(&t, 10);
  ck_assert_uint_eq(u->bad_checksum, 1);
  ck_assert_uint_eq(ns_udp_pending(t.rx), 1);
  g_bytes_unref(ns_udp_recvfrom(t.rx, NULL, NULL));
  trio_clear(&t);
}
END_TEST

/* ---- hooks -----------------------------------------------------------------
 */

/* Flips a data byte of every UDP datagram leaving, checksums untouched. */
static NsIpVerdict damage_hook(NsIpNode *node, NsIpHookPoint point,
                               NsIpPacket *pkt, NsTime now, gpointer data) {
  (void)node;
  (void)point;
  (void)now;
  guint *n = data;
  if (pkt->ip.proto != NS_IPPROTO_UDP)
    return NS_IP_ACCEPT;
  pkt->frame = ns_frame_make_writable(pkt->frame);
  pkt->frame->data[NS_ETH_HLEN + pkt->ip.hlen + NS_UDP_HLEN + 5] ^= 0x10;
  (*n)++;
  return NS_IP_ACCEPT;
}

START_TEST(test_hook_damage_is_verified) {
  Trio t;
  trio_init(&t);
  warm_up(&t);
  guint damaged = 0;
  ns_ipnode_add_hook(t.a->ip, NS_IP_HOOK_POST_ROUTING, NS_IP_PRI_FILTER,
                     damage_hook, &damaged);
  for (guint i = 0; i < 5; i++)
    send_udp(&t, i);
  run_ms(&t, 10);
  ck_assert_uint_eq(damaged, 5);
  ck_assert_uint_eq(ns_udp_counters(ns_net_node_udp(t.b))->bad_checksum, 5);
  ck_assert_uint_eq(drain_intact(&t, 5), 0);
  trio_clear(&t);
}
END_TEST

Suite *test_csum_trust_suite(void) {
  Suite *s = suite_create("csum_trust");
  TCase *tc = test_tcase("csum_trust");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_mark_survives_forwarding);
  tcase_add_test(tc, test_corrupted_datagrams_are_verified);
  tcase_add_test(tc, test_corrupted_stream_arrives_intact);
  tcase_add_test(tc, test_raw_frames_are_verified);
  tcase_add_test(tc, test_hook_damage_is_verified);
  suite_add_tcase(s, tc);
  return s;
}

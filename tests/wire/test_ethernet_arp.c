/* test_ethernet_arp.c — the Ethernet header and ARP codecs: known
 * frames, round trips, every truncation, and bad fields. */
#include <string.h>

#include "testutil.h"
#include "wire_harness.h"

START_TEST(test_eth_parse_emit) {
  guint8 *f = exact(arp_request_frame, sizeof arp_request_frame);
  NsEthHdr h;
  const char *err = NULL;
  ck_assert(ns_eth_view(f, sizeof arp_request_frame));
  ck_assert(ns_eth_parse(f, sizeof arp_request_frame, &h, &err));
  ck_assert(ns_mac_is_broadcast(h.dst));
  const NsMac src = {{0x02, 0, 0, 0, 0, 0x01}};
  ck_assert(ns_mac_equal(h.src, src));
  ck_assert_uint_eq(h.type, NS_ETHERTYPE_ARP);
  ck_assert(ns_mac_equal(ns_eth_src(f), src));
  ck_assert_uint_eq(ns_eth_type(f), 0x0806);

  guint8 out[NS_ETH_HLEN];
  memset(out, 0xaa, sizeof out);
  ns_eth_emit(out, &h);
  ck_assert_mem_eq(out, arp_request_frame, NS_ETH_HLEN);

  /* Setters touch only their six bytes. */
  const NsMac m = {{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
  ns_eth_set_dst(out, m);
  ck_assert(ns_mac_equal(ns_eth_dst(out), m));
  ck_assert(ns_mac_equal(ns_eth_src(out), src));
  ns_eth_set_src(out, ns_mac_broadcast);
  ck_assert(ns_mac_is_broadcast(ns_eth_src(out)));
  ck_assert(ns_mac_equal(ns_eth_dst(out), m));
  ck_assert_uint_eq(ns_eth_type(out), NS_ETHERTYPE_ARP);
  ck_assert_ptr_eq(ns_eth_payload(f), f + 14);
  g_free(f);
}
END_TEST

START_TEST(test_eth_truncated) {
  for (gsize len = 0; len < NS_ETH_HLEN; len++) {
    guint8 *f = exact(echo_frame, len);
    NsEthHdr h;
    const char *err = NULL;
    ck_assert(!ns_eth_view(f, len));
    ck_assert(!ns_eth_parse(f, len, &h, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert(!ns_eth_parse(f, len, &h, NULL));
    g_free(f);
  }
  guint8 *f = exact(echo_frame, NS_ETH_HLEN);
  NsEthHdr h;
  ck_assert(ns_eth_parse(f, NS_ETH_HLEN, &h, NULL));
  ck_assert_uint_eq(h.type, NS_ETHERTYPE_IPV4);
  g_free(f);
  ck_assert(!ns_eth_view(NULL, 100));
}
END_TEST

START_TEST(test_eth_padded_len) {
  ck_assert_uint_eq(ns_eth_padded_len(0), 60);
  ck_assert_uint_eq(ns_eth_padded_len(14 + 28), 60);
  ck_assert_uint_eq(ns_eth_padded_len(59), 60);
  ck_assert_uint_eq(ns_eth_padded_len(60), 60);
  ck_assert_uint_eq(ns_eth_padded_len(61), 61);
  ck_assert_uint_eq(ns_eth_padded_len(NS_ETH_MAX_FRAME), 1514);
  ck_assert_uint_eq(NS_ETH_MTU, 1500);
}
END_TEST

/* ---- ARP ---------------------------------------------------------------- */

/* The logs' "src > dst": tcpdump's order, lowercase, from MACs or from a
 * header (whose first six bytes are the destination). */
START_TEST(test_eth_format_addrs) {
  char out[NS_ETH_ADDRS_STRLEN];
  NsMac src = ns_mac_local(3);
  ck_assert_str_eq(ns_eth_format_addrs(src, ns_mac_broadcast, out),
                   "02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff");
  ck_assert_uint_eq(strlen(out) + 1, NS_ETH_ADDRS_STRLEN);
  guint8 hdr[NS_ETH_HLEN] = {0x01, 0x00, 0x5e, 0x7f, 0xAB, 0xcd, 0x02,
                             0,    0,    0,    0,    0x10, 0x08, 0x00};
  ck_assert_str_eq(ns_eth_format_header_addrs(hdr, out),
                   "02:00:00:00:00:10 > 01:00:5e:7f:ab:cd");
}
END_TEST

START_TEST(test_arp_request) {
  const guint8 *p = arp_request_frame + NS_ETH_HLEN;
  gsize len = sizeof arp_request_frame - NS_ETH_HLEN; /* with padding */
  guint8 *b = exact(p, len);
  NsArp a;
  const char *err = NULL;
  ck_assert_msg(ns_arp_parse(b, len, &a, &err), "%s", err);
  ck_assert_uint_eq(a.op, NS_ARP_OP_REQUEST);
  const NsMac sha = {{0x02, 0, 0, 0, 0, 0x01}};
  ck_assert(ns_mac_equal(a.sha, sha));
  ck_assert(ns_ip4_equal(a.spa, NS_IP4(192, 168, 1, 10)));
  ck_assert(ns_mac_is_zero(a.tha));
  ck_assert(ns_ip4_equal(a.tpa, NS_IP4(192, 168, 1, 1)));

  guint8 out[NS_ARP_LEN];
  memset(out, 0x55, sizeof out);
  ns_arp_emit(out, &a);
  ck_assert_mem_eq(out, p, NS_ARP_LEN);
  g_free(b);
}
END_TEST

START_TEST(test_arp_reply_round_trip) {
  guint8 *b = exact(arp_reply, sizeof arp_reply);
  NsArp a;
  ck_assert(ns_arp_parse(b, sizeof arp_reply, &a, NULL));
  ck_assert_uint_eq(a.op, NS_ARP_OP_REPLY);
  ck_assert(ns_ip4_equal(a.spa, NS_IP4(192, 168, 1, 1)));
  ck_assert_uint_eq(a.sha.b[5], 0x03);
  ck_assert_uint_eq(a.tha.b[5], 0x01);
  guint8 out[NS_ARP_LEN];
  ns_arp_emit(out, &a);
  ck_assert_mem_eq(out, arp_reply, NS_ARP_LEN);
  g_free(b);

  /* emit -> parse over random contents. */
  GRand *r = g_rand_new_with_seed(826);
  for (int i = 0; i < 1000; i++) {
    NsArp in = {.op = g_rand_boolean(r) ? NS_ARP_OP_REQUEST : NS_ARP_OP_REPLY,
                .spa = {g_rand_int(r)},
                .tpa = {g_rand_int(r)}};
    for (int k = 0; k < 6; k++) {
      in.sha.b[k] = (guint8)g_rand_int(r);
      in.tha.b[k] = (guint8)g_rand_int(r);
    }
    NsArp back;
    ns_arp_emit(out, &in);
    ck_assert(ns_arp_parse(out, NS_ARP_LEN, &back, NULL));
    ck_assert_uint_eq(back.op, in.op);
    ck_assert(ns_mac_equal(back.sha, in.sha));
    ck_assert(ns_mac_equal(back.tha, in.tha));
    ck_assert(ns_ip4_equal(back.spa, in.spa));
    ck_assert(ns_ip4_equal(back.tpa, in.tpa));
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_arp_truncated) {
  for (gsize len = 0; len < NS_ARP_LEN; len++) {
    guint8 *b = exact(arp_reply, len);
    NsArp a;
    const char *err = NULL;
    ck_assert_msg(!ns_arp_parse(b, len, &a, &err), "len %zu accepted", len);
    ck_assert_str_eq(err, "truncated");
    g_free(b);
  }
}
END_TEST

START_TEST(test_arp_bad_fields) {
  static const struct {
    gsize off;
    guint8 value;
  } bad[] = {
      {1, 6},    /* htype 6 (IEEE 802) */
      {0, 1},    /* htype 0x0101 */
      {2, 0x86}, /* ptype 0x8600 */
      {3, 0xdd}, /* ptype 0x08dd */
      {4, 8},    /* hlen */
      {5, 16},   /* plen */
      {7, 0},    /* op 0 */
      {7, 3},    /* op 3 (RARP request) */
      {6, 1},    /* op 0x0102 */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    guint8 *b = exact(arp_reply, sizeof arp_reply);
    b[bad[i].off] = bad[i].value;
    NsArp a;
    const char *err = NULL;
    ck_assert_msg(!ns_arp_parse(b, sizeof arp_reply, &a, &err),
                  "case %zu accepted", i);
    ck_assert_ptr_nonnull(err);
    g_free(b);
  }
}
END_TEST

Suite *test_ethernet_arp_suite(void) {
  Suite *s = suite_create("ethernet_arp");
  TCase *tc = tcase_create("ethernet");
  tcase_add_test(tc, test_eth_parse_emit);
  tcase_add_test(tc, test_eth_truncated);
  tcase_add_test(tc, test_eth_padded_len);
  tcase_add_test(tc, test_eth_format_addrs);
  suite_add_tcase(s, tc);

  tc = tcase_create("arp");
  tcase_add_test(tc, test_arp_request);
  tcase_add_test(tc, test_arp_reply_round_trip);
  tcase_add_test(tc, test_arp_truncated);
  tcase_add_test(tc, test_arp_bad_fields);
  suite_add_tcase(s, tc);
  return s;
}

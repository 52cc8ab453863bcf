/* test_igmp.c — the IGMP codec: known answers for the checksum, parse and
 * emit round trips, truncation and corruption, v3 queries read as v2,
 * IPv4's Router Alert option, and how the decoders show an IGMP frame. */
#include <string.h>

#include "testutil.h"
#include "wire/igmp.h"
#include "wire/layers.h"
#include "wire_harness.h"

/* A v2 report for 239.1.1.1: 0x1600 + 0xef01 + 0x0101 = 0x10602, folded
 * 0x0603, complemented 0xf9fc. */
static const guint8 report[NS_IGMP_LEN] = {0x16, 0x00, 0xf9, 0xfc,
                                           0xef, 0x01, 0x01, 0x01};
/* A general query, max resp 10 s: 0x1164 -> 0xee9b. */
static const guint8 query[NS_IGMP_LEN] = {0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0};
/* A leave for 239.1.1.1: 0x1700 + 0xef01 + 0x0101 -> 0xf8fc. */
static const guint8 leave[NS_IGMP_LEN] = {0x17, 0x00, 0xf8, 0xfc,
                                          0xef, 0x01, 0x01, 0x01};

START_TEST(test_igmp_known_answers) {
  static const struct {
    const guint8 *bytes;
    NsIgmp m;
  } cases[] = {
      {report, {NS_IGMP_V2_REPORT, 0, 0xf9fc, NS_IP4(239, 1, 1, 1), 8}},
      {query, {NS_IGMP_QUERY, 100, 0xee9b, {0}, 8}},
      {leave, {NS_IGMP_LEAVE, 0, 0xf8fc, NS_IP4(239, 1, 1, 1), 8}},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint8 *b = exact(cases[i].bytes, NS_IGMP_LEN);
    NsIgmp m;
    const char *err = NULL;
    ck_assert_msg(ns_igmp_parse(b, NS_IGMP_LEN, &m, &err), "%s", err);
    ck_assert_uint_eq(m.type, cases[i].m.type);
    ck_assert_uint_eq(m.max_resp, cases[i].m.max_resp);
    ck_assert_uint_eq(m.csum, cases[i].m.csum);
    ck_assert_uint_eq(m.group.v, cases[i].m.group.v);
    ck_assert_uint_eq(m.len, 8);
    /* Emit gives the same bytes back (the checksum recomputed). */
    guint8 out[NS_IGMP_LEN];
    memset(out, 0x55, sizeof out);
    ck_assert_uint_eq(ns_igmp_emit(out, &m), NS_IGMP_LEN);
    ck_assert_mem_eq(out, cases[i].bytes, NS_IGMP_LEN);
    g_free(b);
  }
  NsIgmp q;
  ck_assert(ns_igmp_parse(query, 8, &q, NULL));
  ck_assert(ns_igmp_is_general(&q));
  ck_assert_uint_eq(ns_igmp_max_resp(&q), 10 * NS_SEC);
  ck_assert(ns_igmp_is_report(NS_IGMP_V1_REPORT));
  ck_assert(ns_igmp_is_report(NS_IGMP_V2_REPORT));
  ck_assert(!ns_igmp_is_report(NS_IGMP_LEAVE));
  ck_assert_str_eq(ns_igmp_type_name(NS_IGMP_LEAVE), "leave group");
  ck_assert_ptr_null(ns_igmp_type_name(0x42));
}
END_TEST

START_TEST(test_igmp_truncated_and_corrupt) {
  for (gsize len = 0; len < NS_IGMP_LEN; len++) {
    guint8 *b = exact(report, len);
    NsIgmp m;
    const char *err = NULL;
    ck_assert(!ns_igmp_parse(b, len, &m, &err));
    ck_assert_str_eq(err, "truncated message");
    ck_assert(!ns_igmp_parse_header(b, len, &m, NULL));
    g_free(b);
  }
  ck_assert(!ns_igmp_parse(NULL, 8, &(NsIgmp){0}, NULL));
  for (int bit = 0; bit < NS_IGMP_LEN * 8; bit++) {
    guint8 *b = exact(report, NS_IGMP_LEN);
    b[bit / 8] ^= (guint8)(1u << (bit % 8));
    NsIgmp m;
    const char *err = NULL;
    ck_assert_msg(!ns_igmp_parse(b, NS_IGMP_LEN, &m, &err),
                  "bit %d flip accepted", bit);
    ck_assert_str_eq(err, "bad checksum");
    /* The header alone still reads: decoders show the wrong checksum. */
    ck_assert(ns_igmp_parse_header(b, NS_IGMP_LEN, &m, NULL));
    g_free(b);
  }
}
END_TEST

START_TEST(test_igmp_v3_query_and_v1) {
  /* An IGMPv3 general query (12 bytes: + S/QRV, QQIC, 0 sources), max
   * resp code 0x8c: exp 0, mant 12 -> (12 | 16) << 3 = 224 tenths. */
  guint8 v3[12] = {0x11, 0x8c, 0, 0, 0, 0, 0, 0, 0x02, 0x7d, 0, 0};
  ns_store16(v3 + 2, ns_csum(v3, sizeof v3));
  NsIgmp m;
  ck_assert(ns_igmp_parse(v3, sizeof v3, &m, NULL));
  ck_assert_uint_eq(m.type, NS_IGMP_QUERY);
  ck_assert_uint_eq(m.len, 12);
  ck_assert(ns_igmp_is_general(&m));
  ck_assert_uint_eq(ns_igmp_max_resp(&m), 22400 * NS_MSEC);
  /* The same code in an 8-byte (v2) query is just tenths. */
  m.len = 8;
  ck_assert_uint_eq(ns_igmp_max_resp(&m), 14000 * NS_MSEC);
  /* A v1 query says 0: 10 s (RFC 2236 4). */
  m.max_resp = 0;
  ck_assert_uint_eq(ns_igmp_max_resp(&m), 10 * NS_SEC);
}
END_TEST

/* A report as Linux sends it: TOS 0xc0, DF, TTL 1, the Router Alert
 * option, to the group's MAC. */
static gsize linux_report(guint8 *f) {
  memset(f, 0, 60);
  NsEthHdr eth = {{{0x01, 0x00, 0x5e, 0x01, 0x01, 0x01}},
                  ns_mac_local(4),
                  NS_ETHERTYPE_IPV4};
  ns_eth_emit(f, &eth);
  NsIpv4Hdr ip = {.tos = 0xc0,
                  .total_len = 24 + 8,
                  .id = 0,
                  .frag = NS_IPV4_DF,
                  .ttl = 1,
                  .proto = NS_IPPROTO_IGMP,
                  .src = NS_IP4(192, 168, 1, 11),
                  .dst = NS_IP4(239, 1, 1, 1)};
  ns_ipv4_emit_options(f + NS_ETH_HLEN, &ip, ns_ipv4_opt_router_alert,
                       NS_IPV4_OPT_RA_LEN);
  memcpy(f + NS_ETH_HLEN + 24, report, sizeof report);
  return 60;
}

START_TEST(test_ipv4_router_alert) {
  guint8 f[60];
  linux_report(f);
  const guint8 *p = f + NS_ETH_HLEN;
  ck_assert_uint_eq(p[0], 0x46); /* IHL 6: 24 bytes */
  ck_assert_mem_eq(p + 20, "\x94\x04\x00\x00", 4);
  NsIpv4Hdr ip;
  const char *err = NULL;
  ck_assert_msg(ns_ipv4_parse(p, 46, &ip, &err), "%s", err);
  ck_assert_uint_eq(ip.hlen, 24);
  ck_assert_uint_eq(ip.tos, 0xc0);
  ck_assert(ns_ipv4_has_router_alert(p));
  /* No options, a NOP before it, a bad length: */
  ck_assert(!ns_ipv4_has_router_alert(ECHO_IP));
  guint8 b[28];
  NsIpv4Hdr h = {.total_len = 28, .ttl = 1, .proto = NS_IPPROTO_IGMP};
  ns_ipv4_emit_options(b, &h, (const guint8[]){1, 1, 1, 0x94}, 4);
  ck_assert(!ns_ipv4_has_router_alert(b)); /* length cut off */
  ns_ipv4_emit_options(b, &h, (const guint8[]){1, 0x94, 2, 0}, 4);
  ck_assert(ns_ipv4_has_router_alert(b));
  ns_ipv4_emit_options(b, &h, (const guint8[]){0, 0x94, 4, 0}, 4);
  ck_assert(!ns_ipv4_has_router_alert(b)); /* after the end of the list */
  /* Plain emit is emit_options with none. */
  ns_ipv4_emit(b, &h);
  ck_assert_uint_eq(h.hlen, 20);
  ck_assert_uint_eq(b[0], 0x45);
}
END_TEST

START_TEST(test_igmp_decoders) {
  guint8 f[60];
  gsize len = linux_report(f);
  char line[256];
  ns_frame_describe(f, len, line, sizeof line);
  ck_assert_str_eq(line, "IPv4 192.168.1.11 > 239.1.1.1 ttl 1: IGMP v2 "
                         "report 239.1.1.1");
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_describe(f, len, out);
  ck_assert_ptr_nonnull(strstr(out->str, "  Header length: 24 bytes (6)\n"));
  ck_assert_ptr_nonnull(strstr(out->str, "  Options: 4 bytes\n"
                                         "    Router Alert (0x94), 4 bytes\n"));
  ck_assert_ptr_nonnull(strstr(out->str, "Internet Group Management Protocol\n"
                                         "  Type: v2 membership report (0x16)\n"
                                         "  Max resp time: 0\n"
                                         "  Checksum: 0xf9fc (correct)\n"
                                         "  Group address: 239.1.1.1\n"));
  /* A query and a leave on one line; a broken checksum is said. */
  memcpy(f + NS_ETH_HLEN + 24, query, 8);
  ns_frame_describe(f, len, line, sizeof line);
  ck_assert_ptr_nonnull(strstr(line, "IGMP query, general, max resp 10 s"));
  memcpy(f + NS_ETH_HLEN + 24, leave, 8);
  f[NS_ETH_HLEN + 24 + 7] ^= 1;
  ns_frame_describe(f, len, line, sizeof line);
  ck_assert_ptr_nonnull(strstr(line, "IGMP leave 239.1.1.0, bad checksum"));
  g_string_truncate(out, 0);
  ns_layers_describe(f, len, out);
  ck_assert_ptr_nonnull(strstr(out->str, "(wrong, should be"));
  /* Truncated: the IP total length says 4 bytes of IGMP. */
  ns_store16(f + NS_ETH_HLEN + 2, 24 + 4);
  ns_store16(f + NS_ETH_HLEN + 10, 0);
  ns_store16(f + NS_ETH_HLEN + 10, ns_csum(f + NS_ETH_HLEN, 24));
  ns_frame_describe(f, len, line, sizeof line);
  ck_assert_ptr_nonnull(strstr(line, "malformed IGMP: truncated message"));
}
END_TEST

Suite *test_igmp_suite(void) {
  Suite *s = suite_create("igmp");
  TCase *tc = test_tcase("igmp");
  tcase_add_test(tc, test_igmp_known_answers);
  tcase_add_test(tc, test_igmp_truncated_and_corrupt);
  tcase_add_test(tc, test_igmp_v3_query_and_v1);
  tcase_add_test(tc, test_ipv4_router_alert);
  tcase_add_test(tc, test_igmp_decoders);
  suite_add_tcase(s, tc);
  return s;
}

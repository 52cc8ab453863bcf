/* test_addr.c — core/addr: MAC, IPv4, prefix and time values, the error
 * domain. */
#include <string.h>

#include "core/addr.h"
#include "testutil.h"

START_TEST(mac_parse_format) {
  NsMac m;
  char buf[NS_MAC_STRLEN];
  ck_assert(ns_mac_parse("02:00:00:AB:cd:0f", &m, NULL));
  ck_assert_str_eq(ns_mac_format(m, buf), "02:00:00:ab:cd:0f");
  ck_assert(ns_mac_parse("ff-ff-ff-ff-ff-ff", &m, NULL));
  ck_assert(ns_mac_is_broadcast(m));
  ck_assert(ns_mac_is_multicast(m));
  ck_assert(ns_mac_parse("01:00:5e:00:00:01", &m, NULL));
  ck_assert(ns_mac_is_multicast(m) && !ns_mac_is_broadcast(m));
  ck_assert_str_eq(ns_mac_format(ns_mac_local(0x010203), buf),
                   "02:00:00:01:02:03");
  ck_assert(!ns_mac_is_multicast(ns_mac_local(7)));
}
END_TEST

START_TEST(mac_reject) {
  static const char *bad[] = {"",
                              "02:00:00:00:00",
                              "02:00:00:00:00:00:00",
                              "02:00:00:00:00:0g",
                              "2:00:00:00:00:00",
                              "02:00-00:00:00:00",
                              "02:00:00:00:00:001",
                              "0200.0000.0001",
                              "02:00:00:00:00:00 "};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    NsMac m;
    GError *e = NULL;
    ck_assert_msg(!ns_mac_parse(bad[i], &m, &e), "accepted '%s'", bad[i]);
    ck_assert(e != NULL && strstr(e->message, "not a MAC address") != NULL);
    g_error_free(e);
  }
}
END_TEST

START_TEST(ip4_parse_format) {
  NsIp4 ip;
  char buf[NS_IP4_STRLEN];
  ck_assert(ns_ip4_parse("192.168.1.10", &ip, NULL));
  ck_assert_uint_eq(ip.v, 0xC0A8010A);
  ck_assert_str_eq(ns_ip4_format(ip, buf), "192.168.1.10");
  ck_assert(ns_ip4_parse("0.0.0.0", &ip, NULL) && ip.v == 0);
  ck_assert(ns_ip4_parse("255.255.255.255", &ip, NULL));
  ck_assert(ns_ip4_is_limited_broadcast(ip));
  char ep[NS_ENDPOINT_STRLEN]; /* the widest endpoint fits */
  ck_assert_str_eq(ns_endpoint_format(ip, 65535, ep), "255.255.255.255:65535");
  ck_assert(ns_ip4_parse("239.1.1.1", &ip, NULL) && ns_ip4_is_multicast(ip));
  ck_assert(ns_ip4_parse("223.255.255.255", &ip, NULL) &&
            !ns_ip4_is_multicast(ip));
  guint8 wire[4];
  ns_ip4_store(wire, NS_IP4(10, 1, 2, 3));
  ck_assert(wire[0] == 10 && wire[1] == 1 && wire[2] == 2 && wire[3] == 3);
  ck_assert_uint_eq(ns_ip4_load(wire).v, NS_IP4(10, 1, 2, 3).v);
}
END_TEST

/* The hand-written formatters at their widths' edges, against printf. */
START_TEST(format_edges_match_printf) {
  const guint32 ips[] = {0, 0xffffffffu, 0x0a006409u, 0x01020304u, 0x64c80a00u};
  for (guint i = 0; i < G_N_ELEMENTS(ips); i++) {
    NsIp4 ip = {ips[i]};
    char buf[NS_IP4_STRLEN], pbuf[NS_PREFIX_STRLEN], want[32];
    g_snprintf(want, sizeof want, "%u.%u.%u.%u", ip.v >> 24, (ip.v >> 16) & 255,
               (ip.v >> 8) & 255, ip.v & 255);
    ck_assert_str_eq(ns_ip4_format(ip, buf), want);
    for (guint len = 0; len <= 32; len += 8) {
      char wantp[40];
      g_snprintf(wantp, sizeof wantp, "%s/%u", want, len);
      ck_assert_str_eq(ns_prefix_format((NsPrefix){ip, (guint8)len}, pbuf),
                       wantp);
    }
  }
  NsMac m = {{0xff, 0x00, 0x0a, 0xa0, 0x5f, 0xf5}};
  char mbuf[NS_MAC_STRLEN];
  ck_assert_str_eq(ns_mac_format(m, mbuf), "ff:00:0a:a0:5f:f5");
}
END_TEST

START_TEST(ip4_reject) {
  static const char *bad[] = {
      "",         "1.2.3",   "1.2.3.4.5", "256.0.0.1",  "1.2.3.-4",  "01.2.3.4",
      "1.2.3.4 ", "a.b.c.d", "1..2.3",    "1.2.3.4/24", "1000.1.1.1"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    NsIp4 ip;
    GError *e = NULL;
    ck_assert_msg(!ns_ip4_parse(bad[i], &ip, &e), "accepted '%s'", bad[i]);
    ck_assert(strstr(e->message, "not an IPv4 address") != NULL);
    g_error_free(e);
  }
}
END_TEST

/* Every length's mask, bit by bit, and what the masks give: a prefix
 * contains exactly the addresses that agree on its top len bits, and its
 * broadcast sets the others; lengths above 32 count as 32. */
START_TEST(prefix_every_length) {
  for (guint len = 0; len <= 40; len++) {
    guint32 want = 0;
    for (guint bit = 0; bit < MIN(len, 32u); bit++)
      want |= 0x80000000u >> bit;
    ck_assert_uint_eq(ns_prefix_mask(len).v, want);
    NsPrefix p = {NS_IP4(172, 16, 77, 5), (guint8)len};
    ck_assert_uint_eq(ns_prefix_broadcast(p).v, p.addr.v | ~want);
    ck_assert_uint_eq(ns_prefix_network(p).v, p.addr.v & want);
    for (guint flip = 0; flip < 32; flip++) {
      NsIp4 other = {p.addr.v ^ (0x80000000u >> flip)};
      ck_assert(ns_prefix_contains(p, other) == (flip >= MIN(len, 32u)));
    }
  }
}
END_TEST

START_TEST(prefix_ops) {
  NsPrefix p;
  char buf[NS_PREFIX_STRLEN], ip[NS_IP4_STRLEN];
  ck_assert(ns_prefix_parse("192.168.1.10/24", FALSE, &p, NULL));
  ck_assert_uint_eq(p.len, 24);
  ck_assert_str_eq(ns_prefix_format(p, buf), "192.168.1.10/24");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_mask(24), ip), "255.255.255.0");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_network(p), ip), "192.168.1.0");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_broadcast(p), ip), "192.168.1.255");
  ck_assert(ns_prefix_contains(p, NS_IP4(192, 168, 1, 200)));
  ck_assert(!ns_prefix_contains(p, NS_IP4(192, 168, 2, 10)));
  ck_assert_uint_eq(ns_prefix_mask(0).v, 0);
  ck_assert_uint_eq(ns_prefix_mask(32).v, 0xFFFFFFFF);
  ck_assert_uint_eq(ns_prefix_mask(1).v, 0x80000000);
  ck_assert(ns_prefix_parse("0.0.0.0/0", FALSE, &p, NULL));
  ck_assert(ns_prefix_contains(p, NS_IP4(8, 8, 8, 8)));
  ck_assert(ns_prefix_parse("10.0.0.1", TRUE, &p, NULL) && p.len == 32);
  ck_assert(!ns_prefix_parse("10.0.0.1", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/33", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/024", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/2x", FALSE, &p, NULL));
  ck_assert(ns_prefix_parse("10.1.2.3/8", FALSE, &p, NULL));
  ck_assert_str_eq(ns_prefix_format(ns_prefix_canonical(p), buf), "10.0.0.0/8");
}
END_TEST

START_TEST(time_parse_format) {
  NsTime t;
  char buf[NS_TIME_STRLEN];
  ck_assert(ns_time_parse("10ms", 0, &t, NULL) && t == 10 * NS_MSEC);
  ck_assert(ns_time_parse("1.5s", 0, &t, NULL) && t == 1500 * NS_MSEC);
  ck_assert(ns_time_parse("250us", 0, &t, NULL) && t == 250 * NS_USEC);
  ck_assert(ns_time_parse("7ns", 0, &t, NULL) && t == 7);
  ck_assert(ns_time_parse("0.001ms", 0, &t, NULL) && t == 1000);
  ck_assert(ns_time_parse("3", NS_SEC, &t, NULL) && t == 3 * NS_SEC);
  ck_assert(!ns_time_parse("3", 0, &t, NULL));
  ck_assert(!ns_time_parse("ms", 0, &t, NULL));
  ck_assert(!ns_time_parse("1.5 s", 0, &t, NULL));
  ck_assert(!ns_time_parse("-1s", 0, &t, NULL));
  /* Hours: the bounds the docs give ("up to 1h") can be written so. */
  ck_assert(ns_time_parse("1h", 0, &t, NULL) && t == 3600 * NS_SEC);
  ck_assert(ns_time_parse("0.5h", 0, &t, NULL) && t == 1800 * NS_SEC);
  ck_assert(!ns_time_parse("5124096h", 0, &t, NULL)); /* > 2^64 ns */
  ck_assert(!ns_time_parse("1d", 0, &t, NULL));
  ck_assert(!ns_time_parse("99999999999999999999s", 0, &t, NULL));
  ck_assert(ns_time_parse("0", 0, &t, NULL) && t == 0);
  ck_assert(ns_time_parse("2m", 0, &t, NULL) && t == 120 * NS_SEC);
  ck_assert(ns_time_parse("0.5m", 0, &t, NULL) && t == 30 * NS_SEC);
  ck_assert(ns_time_parse("0.999999999m", 0, &t, NULL) && t == 59999999940ULL);
  ck_assert(ns_time_parse("1.0000000001s", 0, &t, NULL) && t == NS_SEC);
  /* Overflow at every unit is an error, never a wrapped small value. */
  ck_assert(!ns_time_parse("307445735m", 0, &t, NULL));
  ck_assert(!ns_time_parse("18446744074s", 0, &t, NULL));
  ck_assert(!ns_time_parse("18446744073709551615ns", 0, &t, NULL));
  ck_assert(ns_time_parse("18446744073709551614ns", 0, &t, NULL) &&
            t == 18446744073709551614ULL);
  ck_assert(!ns_time_parse("18446744073.8s", 0, &t, NULL));
  ck_assert(!ns_time_parse(".", 0, &t, NULL));
  ck_assert(!ns_time_parse("1.s.", 0, &t, NULL));
  ck_assert(ns_time_parse("1.s", 0, &t, NULL) && t == NS_SEC);
  ck_assert_str_eq(ns_time_format(1500 * NS_MSEC, buf), "1500ms");
  ck_assert_str_eq(ns_time_format(2 * NS_SEC, buf), "2s");
  ck_assert_str_eq(ns_time_format(10 * NS_USEC, buf), "10us");
  ck_assert_str_eq(ns_time_format(0, buf), "0");
  ck_assert_uint_eq(ns_time_add(5, 7), 12);
  ck_assert_uint_eq(ns_time_add(NS_TIME_NEVER - 1, 5), NS_TIME_NEVER);
  ck_assert_uint_eq(ns_time_add(NS_TIME_NEVER, NS_TIME_NEVER), NS_TIME_NEVER);
}
END_TEST

START_TEST(loopback_and_error_domain) {
  ck_assert(ns_ip4_is_loopback(NS_IP4(127, 0, 0, 1)));
  ck_assert(ns_ip4_is_loopback(NS_IP4(127, 255, 255, 255)));
  ck_assert(!ns_ip4_is_loopback(NS_IP4(126, 255, 255, 255)));
  ck_assert(!ns_ip4_is_loopback(NS_IP4(128, 0, 0, 1)));
  ck_assert(!ns_ip4_is_loopback(NS_IP4(0, 0, 0, 0)));
  /* The domain name is exactly this: a formatter once spaced it out. */
  ck_assert_str_eq(g_quark_to_string(NS_ERROR), "ns-error-quark");
  ck_assert_str_eq(NS_ERROR_DOMAIN, "ns-error-quark");
}
END_TEST

Suite *test_addr_suite(void) {
  Suite *s = suite_create("addr");
  TCase *tc = test_tcase("addr");
  tcase_add_test(tc, mac_parse_format);
  tcase_add_test(tc, mac_reject);
  tcase_add_test(tc, ip4_parse_format);
  tcase_add_test(tc, ip4_reject);
  tcase_add_test(tc, prefix_every_length);
  tcase_add_test(tc, format_edges_match_printf);
  tcase_add_test(tc, prefix_ops);
  tcase_add_test(tc, time_parse_format);
  tcase_add_test(tc, loopback_and_error_domain);
  suite_add_tcase(s, tc);
  return s;
}

/* test_udp.c — the UDP codec: known-good bytes worked out by hand, byte
 * round trips, the two forms of a zero checksum, structural rejects, and a
 * bounded seeded fuzz of parse and checksum. */
#include <string.h>

#include "testutil.h"
#include "wire/udp.h"
#include "wire_harness.h"

#define SRC NS_IP4(192, 168, 1, 10)
#define DST NS_IP4(192, 168, 2, 10)

/* 192.168.1.10:12345 -> 192.168.2.10:9000, data "hello".  The sum by hand:
 * pseudo-header c0a8 + 010a + c0a8 + 020a + 0011 + 000d, header 3039 +
 * 2328 + 000d + 0000, data 6865 + 6c6c + 6f00 (odd byte padded) = 0x31bc1,
 * folded 0x1bc4, complemented 0xe43b. */
static const guint8 hello[13] = {0x30, 0x39, 0x23, 0x28, 0x00, 0x0d, 0xe4,
                                 0x3b, 'h',  'e',  'l',  'l',  'o'};

/* 10.0.0.1:1000 -> 10.0.0.2:2000, data e0 1f: the data word was chosen so
 * that everything else sums to 0xffff: 0a00 + 0001 + 0a00 + 0002 + 0011 +
 * 000a + 03e8 + 07d0 + 000a + e01f = 0xffff, a computed checksum of 0,
 * which goes on the wire as 0xffff. */
static const guint8 zero_sum[10] = {0x03, 0xe8, 0x07, 0xd0, 0x00,
                                    0x0a, 0xff, 0xff, 0xe0, 0x1f};

START_TEST(test_udp_known_bytes) {
  guint8 *b = exact(hello, sizeof hello);
  NsUdpHdr h;
  const char *err = NULL;
  ck_assert_msg(ns_udp_parse(b, sizeof hello, &h, &err), "%s", err);
  ck_assert_uint_eq(h.sport, 12345);
  ck_assert_uint_eq(h.dport, 9000);
  ck_assert_uint_eq(h.len, 13);
  ck_assert_uint_eq(h.csum, 0xe43b);
  ck_assert(ns_udp_checksum_ok(b, h.len, SRC, DST));
  /* The pseudo-header counts: another address, another sum (swapping
   * source and destination would not show: addition commutes). */
  ck_assert(!ns_udp_checksum_ok(b, h.len, SRC, NS_IP4(192, 168, 2, 11)));
  ck_assert(!ns_udp_checksum_ok(b, h.len, NS_IP4(192, 168, 1, 11), DST));
  ck_assert(ns_udp_checksum_ok(b, h.len, DST, SRC));

  /* Emit from the parsed header and the data in place: the same bytes. */
  guint8 out[sizeof hello];
  memset(out, 0x55, NS_UDP_HLEN);
  memcpy(out + NS_UDP_HLEN, "hello", 5);
  NsUdpHdr e = {12345, 9000, 0, 0};
  ns_udp_emit(out, &e, 5, SRC, DST);
  ck_assert_mem_eq(out, hello, sizeof hello);
  ck_assert_uint_eq(e.len, 13);
  ck_assert_uint_eq(e.csum, 0xe43b);
  g_free(b);
}
END_TEST

START_TEST(test_udp_zero_checksum) {
  /* A computed 0 is sent as 0xffff, and verifies. */
  guint8 out[sizeof zero_sum];
  out[8] = 0xe0;
  out[9] = 0x1f;
  NsUdpHdr e = {1000, 2000, 0, 0};
  NsIp4 s = NS_IP4(10, 0, 0, 1), d = NS_IP4(10, 0, 0, 2);
  ns_udp_emit(out, &e, 2, s, d);
  ck_assert_uint_eq(e.csum, 0xffff);
  ck_assert_mem_eq(out, zero_sum, sizeof zero_sum);
  ck_assert(ns_udp_checksum_ok(out, sizeof out, s, d));

  /* A received 0 means "not computed": accepted whatever the data. */
  guint8 *b = exact(hello, sizeof hello);
  b[6] = b[7] = 0;
  b[9] ^= 0xff;
  ck_assert(ns_udp_checksum_ok(b, sizeof hello, SRC, DST));
  NsUdpHdr h;
  ck_assert(ns_udp_parse(b, sizeof hello, &h, NULL));
  ck_assert_uint_eq(h.csum, 0);
  g_free(b);
}
END_TEST

START_TEST(test_udp_bad_length_and_truncated) {
  NsUdpHdr h;
  const char *err = NULL;
  ck_assert(!ns_udp_parse(NULL, 8, &h, &err));
  ck_assert_str_eq(err, "truncated header");
  for (gsize len = 0; len < NS_UDP_HLEN; len++) {
    guint8 *b = exact(hello, len);
    err = NULL;
    ck_assert(!ns_udp_parse(b, len, &h, &err));
    ck_assert_str_eq(err, "truncated header");
    g_free(b);
  }
  /* The datagram cut short of its length field. */
  for (gsize len = NS_UDP_HLEN; len < sizeof hello; len++) {
    guint8 *b = exact(hello, len);
    err = NULL;
    ck_assert(!ns_udp_parse(b, len, &h, &err));
    ck_assert_str_eq(err, "bad length");
    g_free(b);
  }
  /* A length field below the header size. */
  guint8 *b = exact(hello, sizeof hello);
  for (guint16 l = 0; l < NS_UDP_HLEN; l++) {
    ns_store16(b + 4, l);
    err = NULL;
    ck_assert(!ns_udp_parse(b, sizeof hello, &h, &err));
    ck_assert_str_eq(err, "bad length");
  }
  /* Shorter than the IP payload is fine: the rest (padding) is ignored. */
  ns_store16(b + 4, 8);
  ck_assert(ns_udp_parse(b, sizeof hello, &h, NULL));
  ck_assert_uint_eq(h.len, 8);
  g_free(b);
  /* Ethernet padding after the datagram does not disturb the checksum,
   * which covers exactly the length field's bytes. */
  guint8 padded[32] = {0};
  memcpy(padded, hello, sizeof hello);
  padded[20] = 0x99;
  guint8 *p = exact(padded, sizeof padded);
  ck_assert(ns_udp_parse(p, sizeof padded, &h, NULL));
  ck_assert_uint_eq(h.len, 13);
  ck_assert(ns_udp_checksum_ok(p, h.len, SRC, DST));
  g_free(p);
}
END_TEST

START_TEST(test_udp_wrong_checksum) {
  /* Every single-bit flip is caught (none can turn the checksum field
   * into 0 here: 0xe43b has more than one bit set). */
  for (guint bit = 0; bit < sizeof hello * 8; bit++) {
    guint8 *b = exact(hello, sizeof hello);
    b[bit / 8] ^= (guint8)(1u << (bit % 8));
    ck_assert_msg(!ns_udp_checksum_ok(b, sizeof hello, SRC, DST),
                  "bit %u flip accepted", bit);
    g_free(b);
  }
  /* Two bytes swapped inside a word change its value: caught (swapping
   * whole words would not be, the checksum's known blind spot). */
  guint8 *b = exact(hello, sizeof hello);
  b[8] = 'e';
  b[9] = 'h';
  ck_assert(!ns_udp_checksum_ok(b, sizeof hello, SRC, DST));
  g_free(b);
}
END_TEST

START_TEST(test_udp_round_trip_fuzz) {
  GRand *r = g_rand_new_with_seed(20260);
  guint8 buf[NS_UDP_HLEN + 64];
  for (guint round = 0; round < 2000; round++) {
    /* A random valid datagram: emit, parse back, same fields and bytes. */
    gsize data_len = (gsize)g_rand_int_range(r, 0, 65);
    for (gsize i = 0; i < data_len; i++)
      buf[NS_UDP_HLEN + i] = (guint8)g_rand_int(r);
    NsIp4 s = {g_rand_int(r)}, d = {g_rand_int(r)};
    NsUdpHdr h = {(guint16)g_rand_int(r), (guint16)g_rand_int(r), 0, 0};
    ns_udp_emit(buf, &h, data_len, s, d);
    ck_assert_uint_ne(h.csum, 0);
    guint8 *b = exact(buf, NS_UDP_HLEN + data_len);
    NsUdpHdr back;
    ck_assert(ns_udp_parse(b, NS_UDP_HLEN + data_len, &back, NULL));
    ck_assert_uint_eq(back.sport, h.sport);
    ck_assert_uint_eq(back.dport, h.dport);
    ck_assert_uint_eq(back.len, NS_UDP_HLEN + data_len);
    ck_assert_uint_eq(back.csum, h.csum);
    ck_assert(ns_udp_checksum_ok(b, back.len, s, d));
    guint8 again[sizeof buf];
    memcpy(again + NS_UDP_HLEN, b + NS_UDP_HLEN, data_len);
    ns_udp_emit(again, &back, data_len, s, d);
    ck_assert_mem_eq(again, b, back.len);
    /* One flipped bit is caught, unless it turned the checksum into the
     * "none" value 0. */
    guint bit = (guint)g_rand_int_range(r, 0, (gint32)(back.len * 8));
    b[bit / 8] ^= (guint8)(1u << (bit % 8));
    if (ns_load16(b + 6) != 0)
      ck_assert(!ns_udp_checksum_ok(b, back.len, s, d));
    g_free(b);

    /* Random bytes: parse never reads past len, and what it accepts is
     * consistent with it. */
    gsize len = (gsize)g_rand_int_range(r, 0, (gint32)sizeof buf + 1);
    for (gsize i = 0; i < len; i++)
      buf[i] = (guint8)g_rand_int(r);
    if (len >= 6 && g_rand_boolean(r))
      ns_store16(buf + 4, (guint16)g_rand_int_range(r, 0, (gint32)len + 4));
    b = exact(buf, len);
    const char *err = NULL;
    if (ns_udp_parse(b, len, &back, &err)) {
      ck_assert_uint_ge(back.len, NS_UDP_HLEN);
      ck_assert_uint_le(back.len, len);
      (void)ns_udp_checksum_ok(b, back.len, s, d);
    } else {
      ck_assert_ptr_nonnull(err);
    }
    g_free(b);
  }
  g_rand_free(r);
}
END_TEST

Suite *test_udp_suite(void) {
  Suite *s = suite_create("udp");
  TCase *tc = test_tcase("udp");
  tcase_add_test(tc, test_udp_known_bytes);
  tcase_add_test(tc, test_udp_zero_checksum);
  tcase_add_test(tc, test_udp_bad_length_and_truncated);
  tcase_add_test(tc, test_udp_wrong_checksum);
  tcase_add_test(tc, test_udp_round_trip_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

/* test_checksum.c — the Internet checksum (RFC 1071) and the big-endian
 * loads and stores every codec reads and writes with. */
#include <string.h>

#include "testutil.h"
#include "wire_harness.h"

/* A deliberately naive reference: fold after every word. */
static guint16 reference_csum(const guint8 *p, gsize len) {
  guint32 s = 0;
  for (gsize i = 0; i < len; i += 2) {
    s += (guint32)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
    s = (s & 0xffff) + (s >> 16);
  }
  return (guint16)~s;
}

START_TEST(test_csum_rfc1071_example) {
  /* RFC 1071 section 3: 0001 + f203 + f4f5 + f6f7 = 0x2ddf0,
   * folded 0xddf2, checksum 0x220d. */
  const guint8 d[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  ck_assert_uint_eq(ns_csum_partial(d, 8, 0), 0xddf2);
  ck_assert_uint_eq(ns_csum(d, 8), 0x220d);

  guint8 with[10];
  memcpy(with, d, 8);
  ns_store16(with + 8, ns_csum(d, 8));
  ck_assert_uint_eq(with[8], 0x22);
  ck_assert_uint_eq(with[9], 0x0d);
  ck_assert_uint_eq(ns_csum(with, 10), 0);
}
END_TEST

START_TEST(test_csum_known_headers) {
  ck_assert_uint_eq(ns_csum(textbook_ip, 20), 0);
  ck_assert_uint_eq(ns_csum(ECHO_IP, 20), 0);
  ck_assert_uint_eq(ns_csum(ECHO_ICMP, ECHO_ICMP_LEN), 0);

  guint8 h[20];
  memcpy(h, textbook_ip, 20);
  ns_store16(h + 10, 0);
  ck_assert_uint_eq(ns_csum(h, 20), 0xb861);
}
END_TEST

START_TEST(test_csum_odd_and_empty) {
  const guint8 one = 0x01;
  ck_assert_uint_eq(ns_csum_partial(&one, 1, 0), 0x0100);
  /* abcd + ef00 = 0x19acd -> 0x9ace. */
  const guint8 three[3] = {0xab, 0xcd, 0xef};
  ck_assert_uint_eq(ns_csum_partial(three, 3, 0), 0x9ace);
  ck_assert_uint_eq(ns_csum(three, 3), (guint16)~0x9ace);
  ck_assert_uint_eq(ns_csum(NULL, 0), 0xffff);
  ck_assert_uint_eq(ns_csum_finish(0), 0xffff);
  /* Carries above 16 bits in a caller's sum are folded, not dropped. */
  ck_assert_uint_eq(ns_csum_finish(0x0001fffe), 0x0000);
  ck_assert_uint_eq(ns_csum_partial(NULL, 0, 0xffffffffu), 0xffff);
}
END_TEST

START_TEST(test_csum_against_reference) {
  GRand *r = g_rand_new_with_seed(1071);
  for (int iter = 0; iter < 300; iter++) {
    gsize len = g_rand_int_range(r, 0, 3000);
    if (iter == 0)
      len = 200001; /* 0xffff words: a 32-bit accumulator would wrap */
    guint8 *d = g_malloc(len + 1);
    for (gsize i = 0; i < len; i++)
      d[i] = iter == 0 ? 0xff : (guint8)g_rand_int(r);
    ck_assert_uint_eq(ns_csum(d, len), reference_csum(d, len));

    /* Chained even pieces give the one-shot answer. */
    gsize cut =
        len ? (gsize)g_rand_int_range(r, 0, (gint32)len + 1) & ~(gsize)1 : 0;
    guint32 s = ns_csum_partial(d, cut, 0);
    s = ns_csum_partial(d + cut, len - cut, s);
    ck_assert_uint_eq(ns_csum_finish(s), ns_csum(d, len));

    /* A stored checksum verifies to zero (even lengths: the field must sit
     * on a word boundary). */
    if (len >= 2 && len % 2 == 0) {
      ns_store16(d, 0);
      ns_store16(d, ns_csum(d, len));
      ck_assert_uint_eq(ns_csum(d, len), 0);
    }
    g_free(d);
  }
  g_rand_free(r);
}
END_TEST

/* Folded 16-bit sum of p as big-endian words, added to a caller's sum. */
static guint32 reference_partial(const guint8 *p, gsize len, guint32 sum) {
  guint64 s = sum;
  for (gsize i = 0; i < len; i += 2)
    s += (guint32)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
  while (s >> 16)
    s = (s & 0xffff) + (s >> 16);
  return (guint32)s;
}

START_TEST(test_csum_any_alignment_and_sum) {
  /* The sum is taken 8 bytes at a time in host order: every start
   * alignment, every length up to a few words past the unrolled loop, and
   * the caller's sums at the edges (both zeros of one's complement, carries
   * above 16 bits) give the word-by-word answer. */
  static const guint32 sums[] = {0,       1,       0xfffe,      0xffff,
                                 0x10000, 0x1fffe, 0xffffffffu, 0x8000};
  GRand *r = g_rand_new_with_seed(2026);
  guint8 buf[160];
  for (int fill = 0; fill < 3; fill++) {
    for (gsize i = 0; i < sizeof buf; i++)
      buf[i] = fill == 0 ? 0 : fill == 1 ? 0xff : (guint8)g_rand_int(r);
    for (gsize off = 0; off < 8; off++)
      for (gsize len = 0; len + off <= 150; len++)
        for (gsize k = 0; k < G_N_ELEMENTS(sums); k++)
          ck_assert_uint_eq(ns_csum_partial(buf + off, len, sums[k]),
                            reference_partial(buf + off, len, sums[k]));
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_csum_carry_edges_in_long_runs) {
  /* Long runs (the 64-byte rounds of the x86-64 sum) of words at the
   * edges of a carry: 0, 1, all ones but the last bit, all ones, in
   * random mixes and as the caller's running sum. */
  static const guint64 words[] = {0, 1, G_MAXUINT64 - 1, G_MAXUINT64};
  GRand *r = g_rand_new_with_seed(64);
  guint8 buf[8 * 96];
  for (int iter = 0; iter < 400; iter++) {
    for (gsize i = 0; i < sizeof buf; i += 8) {
      guint64 w = words[g_rand_int_range(r, 0, G_N_ELEMENTS(words))];
      memcpy(buf + i, &w, 8);
    }
    gsize len = (gsize)g_rand_int_range(r, 0, sizeof buf + 1);
    guint32 sum = iter % 2 ? 0xffff : 0;
    ck_assert_uint_eq(ns_csum_partial(buf, len, sum),
                      reference_partial(buf, len, sum));
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_csum_adjust_equals_recompute) {
  /* A UDP segment with its pseudo-header: rewriting an address (in the
   * pseudo-header) or a port (in the segment) and adjusting the checksum
   * gives what summing everything again gives. */
  GRand *r = g_rand_new_with_seed(1624);
  for (int i = 0; i < 20000; i++) {
    guint8 seg[40];
    gsize len = 8 + (gsize)g_rand_int_range(r, 0, 33);
    for (gsize k = 0; k < len; k++)
      seg[k] = (guint8)g_rand_int(r);
    guint32 src = g_rand_int(r), dst = g_rand_int(r);
    guint8 pseudo[12] = {0};
    ns_store32(pseudo, src);
    ns_store32(pseudo + 4, dst);
    pseudo[9] = 17;
    ns_store16(pseudo + 10, (guint16)len);
    ns_store16(seg + 6, 0);
    guint16 csum = ns_csum_finish(
        ns_csum_partial(seg, len, ns_csum_partial(pseudo, 12, 0)));
    /* New source address and new source port. */
    guint32 new_src = g_rand_int(r);
    guint16 old_port = ns_load16(seg), new_port = (guint16)g_rand_int(r);
    ns_store32(pseudo, new_src);
    ns_store16(seg, new_port);
    guint16 full = ns_csum_finish(
        ns_csum_partial(seg, len, ns_csum_partial(pseudo, 12, 0)));
    guint16 adj = ns_csum_adjust16(ns_csum_adjust32(csum, src, new_src),
                                   old_port, new_port);
    /* One's complement has two zeros: a full sum never gives 0xffff
     * unless every word is zero, and RFC 1624 eqn. 3 agrees with it. */
    ck_assert_uint_eq(adj, full);
  }
  g_rand_free(r);
  ck_assert_uint_eq(ns_csum_adjust16(0x1234, 0xabcd, 0xabcd), 0x1234);
  ck_assert_uint_eq(ns_csum_adjust32(0x1234, 7, 7), 0x1234);
}
END_TEST

START_TEST(test_load_store_big_endian) {
  guint8 b[4] = {0};
  ns_store16(b, 0x1234);
  ck_assert_uint_eq(b[0], 0x12);
  ck_assert_uint_eq(b[1], 0x34);
  ck_assert_uint_eq(ns_load16(b), 0x1234);
  ns_store32(b, 0xc0a8010a);
  ck_assert_uint_eq(b[0], 0xc0);
  ck_assert_uint_eq(b[3], 0x0a);
  ck_assert_uint_eq(ns_load32(b), 0xc0a8010a);
  ns_store32(b, 0xffffffffu);
  ck_assert_uint_eq(ns_load32(b), 0xffffffffu);
  ck_assert_uint_eq(ns_load16(b + 2), 0xffff);
}
END_TEST

Suite *test_checksum_suite(void) {
  Suite *s = suite_create("checksum");
  TCase *tc = tcase_create("checksum");
  tcase_add_test(tc, test_csum_rfc1071_example);
  tcase_add_test(tc, test_csum_known_headers);
  tcase_add_test(tc, test_csum_odd_and_empty);
  tcase_add_test(tc, test_csum_against_reference);
  tcase_add_test(tc, test_csum_carry_edges_in_long_runs);
  tcase_add_test(tc, test_csum_any_alignment_and_sum);
  tcase_add_test(tc, test_csum_adjust_equals_recompute);
  tcase_add_test(tc, test_load_store_big_endian);
  suite_add_tcase(s, tc);
  return s;
}

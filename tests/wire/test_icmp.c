/* test_icmp.c — the ICMP codec: echo parse and emit (in place and
 * overlapping), truncation and corruption, how much of a datagram an
 * error quotes, and reading the quote back. */
#include <string.h>

#include "testutil.h"
#include "wire_harness.h"

START_TEST(test_icmp_echo) {
  guint8 *b = exact(ECHO_ICMP, ECHO_ICMP_LEN);
  NsIcmp m;
  const char *err = NULL;
  ck_assert_msg(ns_icmp_parse(b, ECHO_ICMP_LEN, &m, &err), "%s", err);
  ck_assert_uint_eq(m.type, NS_ICMP_ECHO_REQUEST);
  ck_assert_uint_eq(m.code, 0);
  ck_assert_uint_eq(m.csum, 0x3337);
  ck_assert_uint_eq(m.id, 1);
  ck_assert_uint_eq(m.seq, 1);
  ck_assert_ptr_eq(m.data, b + 8);
  ck_assert_uint_eq(m.data_len, 4);
  ck_assert_mem_eq(m.data, "abcd", 4);
  ck_assert(!ns_icmp_is_error(m.type));

  /* Emit into a fresh buffer. */
  guint8 out[ECHO_ICMP_LEN];
  memset(out, 0x77, sizeof out);
  ck_assert_uint_eq(ns_icmp_emit(out, &m), ECHO_ICMP_LEN);
  ck_assert_mem_eq(out, ECHO_ICMP, ECHO_ICMP_LEN);

  /* Emit in place, as a host turning a request into a reply does. */
  m.type = NS_ICMP_ECHO_REPLY;
  ck_assert_uint_eq(ns_icmp_emit(b, &m), ECHO_ICMP_LEN);
  ck_assert_uint_eq(b[0], 0);
  /* Type 8 -> 0 lowers the sum by 0x0800: checksum 0x3337 + 0x0800. */
  ck_assert_uint_eq(ns_load16(b + 2), 0x3b37);
  ck_assert_mem_eq(b + 4, ECHO_ICMP + 4, 8);
  ck_assert(ns_icmp_parse(b, ECHO_ICMP_LEN, &m, NULL));
  g_free(b);
}
END_TEST

START_TEST(test_icmp_emit_overlapping) {
  /* Data that starts inside the header area must survive the move. */
  guint8 buf[32];
  for (int i = 0; i < 32; i++)
    buf[i] = (guint8)i;
  NsIcmp m = {.type = NS_ICMP_ECHO_REQUEST,
              .id = 0xbeef,
              .seq = 7,
              .data = buf + 3,
              .data_len = 20};
  ck_assert_uint_eq(ns_icmp_emit(buf, &m), 28);
  for (int i = 0; i < 20; i++)
    ck_assert_uint_eq(buf[8 + i], 3 + i);
  NsIcmp back;
  ck_assert(ns_icmp_parse(buf, 28, &back, NULL));
  ck_assert_uint_eq(back.id, 0xbeef);
  ck_assert_uint_eq(back.seq, 7);

  /* And data after the header area (shift left). */
  for (int i = 0; i < 32; i++)
    buf[i] = (guint8)i;
  m.data = buf + 10;
  m.data_len = 21; /* odd length too */
  ck_assert_uint_eq(ns_icmp_emit(buf, &m), 29);
  for (int i = 0; i < 21; i++)
    ck_assert_uint_eq(buf[8 + i], 10 + i);
  ck_assert(ns_icmp_parse(buf, 29, &back, NULL));
  ck_assert_uint_eq(back.data_len, 21);

  /* No data at all. */
  NsIcmp empty = {.type = NS_ICMP_ECHO_REPLY, .id = 1, .seq = 2};
  ck_assert_uint_eq(ns_icmp_emit(buf, &empty), 8);
  ck_assert(ns_icmp_parse(buf, 8, &back, NULL));
  ck_assert_uint_eq(back.data_len, 0);
}
END_TEST

START_TEST(test_icmp_truncated_and_corrupt) {
  for (gsize len = 0; len < NS_ICMP_HLEN; len++) {
    guint8 *b = exact(ECHO_ICMP, len);
    NsIcmp m;
    const char *err = NULL;
    ck_assert(!ns_icmp_parse(b, len, &m, &err));
    ck_assert_str_eq(err, "truncated header");
    g_free(b);
  }
  /* Any length other than the true one fails the checksum here (the data
   * is not zeros), and so does every single-bit flip. */
  for (gsize len = NS_ICMP_HLEN; len < ECHO_ICMP_LEN; len++) {
    guint8 *b = exact(ECHO_ICMP, len);
    NsIcmp m;
    ck_assert(!ns_icmp_parse(b, len, &m, NULL));
    g_free(b);
  }
  for (int bit = 0; bit < ECHO_ICMP_LEN * 8; bit++) {
    guint8 *b = exact(ECHO_ICMP, ECHO_ICMP_LEN);
    b[bit / 8] ^= (guint8)(1u << (bit % 8));
    NsIcmp m;
    const char *err = NULL;
    ck_assert_msg(!ns_icmp_parse(b, ECHO_ICMP_LEN, &m, &err),
                  "bit %d flip accepted", bit);
    ck_assert_str_eq(err, "bad checksum");
    g_free(b);
  }
}
END_TEST

START_TEST(test_icmp_quote_len) {
  /* Small datagrams are quoted whole (RFC 1812, as Linux). */
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, ECHO_IP_LEN), 32);
  /* Frame padding is not quoted: total length says 32. */
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 46), 32);
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 10), 10);
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 0), 0);
  ck_assert_uint_eq(ns_icmp_quote_len(NULL, 40), 0);

  guint8 b[64] = {0};
  memcpy(b, ECHO_IP, 20);
  b[0] = 0x46; /* 24-byte header */
  ns_store16(b + 2, 64);
  ck_assert_uint_eq(ns_icmp_quote_len(b, 64), 64);
  ns_store16(b + 2, 28);
  ck_assert_uint_eq(ns_icmp_quote_len(b, 64), 28);
  /* A full-size datagram: as much as keeps the error within 576 bytes. */
  guint8 big[1500] = {0};
  memcpy(big, ECHO_IP, 20);
  ns_store16(big + 2, 1500);
  ck_assert_uint_eq(ns_icmp_quote_len(big, sizeof big), 548);
}
END_TEST

START_TEST(test_icmp_time_exceeded_round_trip) {
  guint8 pkt[128];
  gsize len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED,
                          ECHO_IP, ECHO_IP_LEN);
  ck_assert_uint_eq(len, 20 + 8 + ECHO_IP_LEN); /* quoted whole */

  guint8 *b = exact(pkt, len);
  NsIpv4Hdr ip;
  ck_assert(ns_ipv4_parse(b, len, &ip, NULL));
  NsIcmp m;
  const char *err = NULL;
  ck_assert_msg(ns_icmp_parse(b + ip.hlen, ns_ipv4_payload_len(&ip), &m, &err),
                "%s", err);
  ck_assert_uint_eq(m.type, NS_ICMP_TIME_EXCEEDED);
  ck_assert_uint_eq(m.id, 0);
  ck_assert_uint_eq(m.seq, 0);
  ck_assert(ns_icmp_is_error(m.type));

  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  ck_assert(ns_icmp_quoted(&m, &orig, &op, &olen));
  ck_assert(ns_ip4_equal(orig.src, NS_IP4(192, 168, 1, 10)));
  ck_assert(ns_ip4_equal(orig.dst, NS_IP4(192, 168, 2, 10)));
  ck_assert_uint_eq(orig.proto, NS_IPPROTO_ICMP);
  ck_assert_uint_eq(orig.total_len, 32);
  ck_assert_uint_eq(olen, 32 - 20);
  ck_assert_mem_eq(op, ECHO_ICMP, 32 - 20);

  guint16 id = 0, seq = 0;
  ck_assert(ns_icmp_quoted_echo(&m, &orig, &id, &seq));
  ck_assert_uint_eq(id, 1);
  ck_assert_uint_eq(seq, 1);

  /* parse -> emit of the error gives the same bytes. */
  guint8 again[64];
  ck_assert_uint_eq(ns_icmp_emit(again, &m), len - 20);
  ck_assert_mem_eq(again, b + 20, len - 20);
  g_free(b);
}
END_TEST

START_TEST(test_icmp_quoted_rejects) {
  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  guint16 id, seq;
  guint8 q[28];
  memcpy(q, ECHO_IP, 28);

  /* An echo carries no quote. */
  NsIcmp m = {.type = NS_ICMP_ECHO_REPLY, .data = q, .data_len = 28};
  ck_assert(!ns_icmp_quoted(&m, &orig, &op, &olen));
  ck_assert(!ns_icmp_quoted_echo(&m, &orig, &id, &seq));

  /* Quotes shorter than an IP header, at every length. */
  m.type = NS_ICMP_DEST_UNREACH;
  for (gsize n = 0; n < 20; n++) {
    guint8 *t = exact(q, n);
    m.data = n ? t : NULL;
    m.data_len = n;
    ck_assert(!ns_icmp_quoted(&m, &orig, &op, &olen));
    g_free(t);
  }
  /* From 20 bytes the header is there; the payload is what follows. */
  for (gsize n = 20; n <= 28; n++) {
    guint8 *t = exact(q, n);
    m.data = t;
    m.data_len = n;
    ck_assert(ns_icmp_quoted(&m, &orig, &op, &olen));
    ck_assert_uint_eq(olen, n - 20);
    ck_assert_ptr_eq(op, t + 20);
    ck_assert(ns_icmp_quoted_echo(&m, &orig, &id, &seq) == (n == 28));
    g_free(t);
  }
  /* A quoted header with a bad checksum is tolerated. */
  q[10] ^= 0xff;
  m.data = q;
  m.data_len = 28;
  ck_assert(ns_icmp_quoted_echo(&m, &orig, &id, &seq));
  /* Not IPv4, or options running past the quote: rejected. */
  q[0] = 0x65;
  ck_assert(!ns_icmp_quoted(&m, &orig, &op, &olen));
  q[0] = 0x48; /* 32-byte header, only 28 quoted */
  ck_assert(!ns_icmp_quoted(&m, &orig, &op, &olen));
  /* A quoted UDP datagram is no echo. */
  q[0] = 0x45;
  q[9] = NS_IPPROTO_UDP;
  ck_assert(ns_icmp_quoted(&m, &orig, &op, &olen));
  ck_assert(!ns_icmp_quoted_echo(&m, &orig, &id, &seq));
  /* Quoted total length shorter than the quote caps the payload. */
  q[9] = NS_IPPROTO_ICMP;
  ns_store16(q + 2, 24);
  ck_assert(ns_icmp_quoted(&m, &orig, &op, &olen));
  ck_assert_uint_eq(olen, 4);
  ck_assert(!ns_icmp_quoted_echo(&m, &orig, &id, &seq));
}
END_TEST

Suite *test_icmp_suite(void) {
  Suite *s = suite_create("icmp");
  TCase *tc = tcase_create("icmp");
  tcase_add_test(tc, test_icmp_echo);
  tcase_add_test(tc, test_icmp_emit_overlapping);
  tcase_add_test(tc, test_icmp_truncated_and_corrupt);
  tcase_add_test(tc, test_icmp_quote_len);
  tcase_add_test(tc, test_icmp_time_exceeded_round_trip);
  tcase_add_test(tc, test_icmp_quoted_rejects);
  suite_add_tcase(s, tc);
  return s;
}

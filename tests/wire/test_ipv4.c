/* test_ipv4.c — the IPv4 header codec: known headers, padding,
 * truncation, single-bit corruption, bad fields, options, random round
 * trips, the incremental TTL decrement and address rewrites (against a
 * full recompute) and the pseudo-header sum. */
#include <string.h>

#include "testutil.h"
#include "wire_harness.h"

static void assert_hdr_eq(const NsIpv4Hdr *a, const NsIpv4Hdr *b) {
  ck_assert_uint_eq(a->hlen, b->hlen);
  ck_assert_uint_eq(a->tos, b->tos);
  ck_assert_uint_eq(a->total_len, b->total_len);
  ck_assert_uint_eq(a->id, b->id);
  ck_assert_uint_eq(a->frag, b->frag);
  ck_assert_uint_eq(a->ttl, b->ttl);
  ck_assert_uint_eq(a->proto, b->proto);
  ck_assert_uint_eq(a->csum, b->csum);
  ck_assert_uint_eq(a->src.v, b->src.v);
  ck_assert_uint_eq(a->dst.v, b->dst.v);
}

START_TEST(test_ipv4_textbook) {
  guint8 pkt[0x73] = {0};
  memcpy(pkt, textbook_ip, 20);
  guint8 *b = exact(pkt, sizeof pkt);
  NsIpv4Hdr h;
  const char *err = NULL;
  ck_assert_msg(ns_ipv4_parse(b, sizeof pkt, &h, &err), "%s", err);
  ck_assert_uint_eq(h.hlen, 20);
  ck_assert_uint_eq(h.total_len, 115);
  ck_assert_uint_eq(h.frag, NS_IPV4_DF);
  ck_assert_uint_eq(h.ttl, 64);
  ck_assert_uint_eq(h.proto, NS_IPPROTO_UDP);
  ck_assert_uint_eq(h.csum, 0xb861);
  ck_assert(ns_ip4_equal(h.src, NS_IP4(192, 168, 0, 1)));
  ck_assert(ns_ip4_equal(h.dst, NS_IP4(192, 168, 0, 199)));
  ck_assert_uint_eq(ns_ipv4_payload_offset(&h), 20);
  ck_assert_uint_eq(ns_ipv4_payload_len(&h), 95);
  ck_assert(!ns_ipv4_is_fragment(&h));
  ck_assert_uint_eq(ns_ipv4_ttl(b), 64);
  ck_assert_uint_eq(ns_ipv4_proto(b), 17);
  ck_assert_uint_eq(ns_ipv4_hlen(b), 20);
  ck_assert_uint_eq(ns_ipv4_total_len(b), 115);
  ck_assert_uint_eq(ns_ipv4_src(b).v, 0xc0a80001);
  ck_assert_uint_eq(ns_ipv4_dst(b).v, 0xc0a800c7);

  /* parse -> emit gives the same bytes, and the checksum lands in h. */
  guint8 out[20];
  memset(out, 0xee, sizeof out);
  NsIpv4Hdr copy = h;
  copy.csum = 0;
  copy.hlen = 0;
  ns_ipv4_emit(out, &copy);
  ck_assert_mem_eq(out, textbook_ip, 20);
  assert_hdr_eq(&copy, &h);
  g_free(b);
}
END_TEST

START_TEST(test_ipv4_echo_and_padding) {
  /* The packet is 32 bytes; the frame pads it to 46: both accepted. */
  for (gsize len = ECHO_IP_LEN; len <= sizeof echo_frame - NS_ETH_HLEN; len++) {
    guint8 *b = exact(ECHO_IP, len);
    NsIpv4Hdr h;
    ck_assert(ns_ipv4_parse(b, len, &h, NULL));
    ck_assert_uint_eq(h.total_len, ECHO_IP_LEN);
    ck_assert_uint_eq(ns_ipv4_payload_len(&h), ECHO_ICMP_LEN);
    ck_assert_uint_eq(h.csum, 0xb677);
    g_free(b);
  }
}
END_TEST

START_TEST(test_ipv4_truncated) {
  for (gsize len = 0; len < ECHO_IP_LEN; len++) {
    guint8 *b = exact(ECHO_IP, len);
    NsIpv4Hdr h;
    const char *err = NULL;
    ck_assert_msg(!ns_ipv4_parse(b, len, &h, &err), "len %zu accepted", len);
    ck_assert_ptr_nonnull(err);
    if (len < 20)
      ck_assert_str_eq(err, "truncated header");
    else
      ck_assert_str_eq(err, "total length exceeds packet");
    g_free(b);
  }
  ck_assert(!ns_ipv4_parse(NULL, 0, NULL, NULL));
}
END_TEST

START_TEST(test_ipv4_bit_flips_rejected) {
  /* The one's-complement sum catches every single-bit error in the header;
   * some flips trip an earlier check first, which is just as good. */
  for (int bit = 0; bit < 20 * 8; bit++) {
    guint8 *b = exact(ECHO_IP, ECHO_IP_LEN);
    b[bit / 8] ^= (guint8)(1u << (bit % 8));
    NsIpv4Hdr h;
    const char *err = NULL;
    ck_assert_msg(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err),
                  "bit %d flip accepted", bit);
    g_free(b);
  }
  /* Flips in the checksum field itself fail on the checksum. */
  guint8 *b = exact(ECHO_IP, ECHO_IP_LEN);
  b[11] ^= 1;
  const char *err = NULL;
  NsIpv4Hdr h;
  ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err));
  ck_assert_str_eq(err, "bad header checksum");
  /* ...but the lenient quote parser does not look at it. */
  ck_assert(ns_ipv4_parse_header(b, ECHO_IP_LEN, &h, NULL));
  ck_assert_uint_eq(h.csum, 0xb676);
  g_free(b);
}
END_TEST

START_TEST(test_ipv4_bad_fields) {
  guint8 b[40];
  NsIpv4Hdr h;
  const char *err;

  memcpy(b, ECHO_IP, ECHO_IP_LEN);
  b[0] = 0x65; /* version 6 */
  fix_ip_csum(b, 20);
  err = NULL;
  ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err));
  ck_assert_str_eq(err, "version is not 4");

  for (guint8 ihl = 0; ihl < 5; ihl++) {
    memcpy(b, ECHO_IP, ECHO_IP_LEN);
    b[0] = 0x40 | ihl;
    fix_ip_csum(b, 20);
    err = NULL;
    ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err));
    ck_assert_str_eq(err, "header length below 20");
  }

  /* IHL 15 = 60 bytes of header in a 32-byte packet. */
  memcpy(b, ECHO_IP, ECHO_IP_LEN);
  b[0] = 0x4f;
  err = NULL;
  ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err));
  ck_assert_str_eq(err, "options truncated");

  /* total_len 19 < hlen. */
  memcpy(b, ECHO_IP, ECHO_IP_LEN);
  ns_store16(b + 2, 19);
  fix_ip_csum(b, 20);
  err = NULL;
  ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, &err));
  ck_assert_str_eq(err, "total length shorter than header");

  /* total_len == hlen: an empty payload is legal. */
  memcpy(b, ECHO_IP, ECHO_IP_LEN);
  ns_store16(b + 2, 20);
  fix_ip_csum(b, 20);
  ck_assert(ns_ipv4_parse(b, ECHO_IP_LEN, &h, NULL));
  ck_assert_uint_eq(ns_ipv4_payload_len(&h), 0);

  /* A fragment parses; the flags are reported. */
  memcpy(b, ECHO_IP, ECHO_IP_LEN);
  ns_store16(b + 6, NS_IPV4_MF | 185);
  fix_ip_csum(b, 20);
  ck_assert(ns_ipv4_parse(b, ECHO_IP_LEN, &h, NULL));
  ck_assert_uint_eq(h.frag, 0x20b9);
  ck_assert(ns_ipv4_is_fragment(&h));
}
END_TEST

START_TEST(test_ipv4_options_skipped) {
  /* 24-byte header: NOP NOP NOP EOL, then the 12-byte ICMP message. */
  guint8 pkt[36];
  memcpy(pkt, ECHO_IP, 20);
  pkt[0] = 0x46;
  ns_store16(pkt + 2, 36);
  pkt[20] = 1;
  pkt[21] = 1;
  pkt[22] = 1;
  pkt[23] = 0;
  memcpy(pkt + 24, ECHO_ICMP, ECHO_ICMP_LEN);
  fix_ip_csum(pkt, 24);
  ck_assert_uint_eq(ns_csum(pkt, 24), 0);

  guint8 *b = exact(pkt, sizeof pkt);
  NsIpv4Hdr h;
  const char *err = NULL;
  ck_assert_msg(ns_ipv4_parse(b, sizeof pkt, &h, &err), "%s", err);
  ck_assert_uint_eq(h.hlen, 24);
  ck_assert_uint_eq(ns_ipv4_payload_offset(&h), 24);
  ck_assert_uint_eq(ns_ipv4_payload_len(&h), 12);
  ck_assert_mem_eq(b + ns_ipv4_payload_offset(&h), ECHO_ICMP, 12);
  /* Corrupting an option byte breaks the header checksum. */
  b[22] = 7;
  ck_assert(!ns_ipv4_parse(b, sizeof pkt, &h, &err));
  ck_assert_str_eq(err, "bad header checksum");
  g_free(b);

  /* Options of a broken shape (the checksum right): a length of 0 or 1,
   * one running past the header, a length byte past it.  A well-formed
   * one (Router Alert) and bytes after End of List pass. */
  static const guint8 bad[][4] = {{7, 0, 0, 0},
                                  {7, 1, 0, 0},
                                  {1, 7, 5, 0},
                                  {1, 1, 1, 148},
                                  {68, 255, 0, 0}};
  static const guint8 good[][4] = {{148, 4, 0, 0}, {0, 99, 99, 99}};
  for (gsize k = 0; k < G_N_ELEMENTS(bad) + G_N_ELEMENTS(good); k++) {
    gboolean is_bad = k < G_N_ELEMENTS(bad);
    memcpy(pkt + 20, is_bad ? bad[k] : good[k - G_N_ELEMENTS(bad)], 4);
    fix_ip_csum(pkt, 24);
    err = NULL;
    ck_assert_msg(ns_ipv4_parse(pkt, sizeof pkt, &h, &err) == !is_bad,
                  "options %zu", k);
    if (is_bad)
      ck_assert_str_eq(err, "malformed options");
  }
  memcpy(pkt + 20, (const guint8[]){1, 1, 1, 0}, 4);
  fix_ip_csum(pkt, 24);

  /* Truncated options. */
  for (gsize len = 20; len < 24; len++) {
    guint8 *t = exact(pkt, len);
    err = NULL;
    ck_assert(!ns_ipv4_parse(t, len, &h, &err));
    ck_assert_str_eq(err, "options truncated");
    g_free(t);
  }
}
END_TEST

START_TEST(test_ipv4_emit_parse_random) {
  GRand *r = g_rand_new_with_seed(791);
  guint8 b[20];
  for (int i = 0; i < 5000; i++) {
    NsIpv4Hdr in = {.hlen = (guint8)g_rand_int(r),
                    .tos = (guint8)g_rand_int(r),
                    .total_len = (guint16)g_rand_int_range(r, 20, 65536),
                    .id = (guint16)g_rand_int(r),
                    .frag = (guint16)g_rand_int(r),
                    .ttl = (guint8)g_rand_int(r),
                    .proto = (guint8)g_rand_int(r),
                    .csum = 0x1234,
                    .src = {g_rand_int(r)},
                    .dst = {g_rand_int(r)}};
    ns_ipv4_emit(b, &in);
    ck_assert_uint_eq(in.hlen, 20);
    ck_assert_uint_eq(ns_load16(b + 10), in.csum);
    ck_assert_uint_eq(ns_csum(b, 20), 0);
    NsIpv4Hdr back;
    /* Only the header exists here, so use the lenient parser for length and
     * check the checksum by hand. */
    ck_assert(ns_ipv4_parse_header(b, 20, &back, NULL));
    assert_hdr_eq(&back, &in);
    if (in.total_len == 20)
      ck_assert(ns_ipv4_parse(b, 20, &back, NULL));
  }
  g_rand_free(r);
}
END_TEST

/* Decrements b's TTL the slow way: edit, zero, recompute. */
static void full_recompute_decrement(guint8 *b, gsize hlen) {
  b[NS_IPV4_OFF_TTL]--;
  fix_ip_csum(b, hlen);
}

static void check_decrement(const guint8 *hdr, gsize hlen) {
  guint8 fast[60], slow[60];
  memcpy(fast, hdr, hlen);
  memcpy(slow, hdr, hlen);
  ns_ipv4_decrement_ttl(fast);
  full_recompute_decrement(slow, hlen);
  if (memcmp(fast, slow, hlen) != 0)
    ck_abort_msg("ttl %u csum %04x: incremental %04x, full %04x", hdr[8],
                 ns_load16(hdr + 10), ns_load16(fast + 10),
                 ns_load16(slow + 10));
}

START_TEST(test_ipv4_decrement_ttl_reference) {
  /* The echo header: TTL 64 -> 63, word 4001 -> 3f01, so the checksum goes
   * up by 0x100: b677 -> b777. */
  guint8 b[20];
  memcpy(b, ECHO_IP, 20);
  ns_ipv4_decrement_ttl(b);
  ck_assert_uint_eq(ns_ipv4_ttl(b), 63);
  ck_assert_uint_eq(ns_load16(b + 10), 0xb777);
  ck_assert_uint_eq(ns_csum(b, 20), 0);
  ck_assert_mem_eq(b, ECHO_IP, 8);
  ck_assert_mem_eq(b + 12, ECHO_IP + 12, 8);
}
END_TEST

START_TEST(test_ipv4_decrement_ttl_every_checksum) {
  /* With everything else fixed, sweeping the id over all 65536 values runs
   * the checksum through every value, 0x0000 and 0xffff edges included. */
  static const guint8 ttls[] = {1, 2, 64, 128, 255};
  guint8 b[20];
  for (gsize t = 0; t < G_N_ELEMENTS(ttls); t++) {
    for (guint32 id = 0; id < 65536; id++) {
      NsIpv4Hdr h = {.total_len = 20,
                     .id = (guint16)id,
                     .ttl = ttls[t],
                     .proto = NS_IPPROTO_ICMP,
                     .src = NS_IP4(10, 0, 0, 1),
                     .dst = NS_IP4(10, 0, 0, 2)};
      ns_ipv4_emit(b, &h);
      check_decrement(b, 20);
    }
  }
}
END_TEST

START_TEST(test_ipv4_decrement_ttl_random) {
  GRand *r = g_rand_new_with_seed(1624);
  guint8 b[60];
  for (int i = 0; i < 200000; i++) {
    gsize hlen = 20 + 4 * (gsize)g_rand_int_range(r, 0, 11);
    for (gsize k = 0; k < hlen; k++)
      b[k] = (guint8)g_rand_int(r);
    b[0] = (guint8)(0x40 | (hlen / 4));
    b[8] = (guint8)g_rand_int_range(r, 1, 256);
    fix_ip_csum(b, hlen);
    check_decrement(b, hlen);
    /* And down to zero, one hop at a time, from a few. */
    if (i < 50) {
      while (ns_ipv4_ttl(b) > 0) {
        check_decrement(b, hlen);
        ns_ipv4_decrement_ttl(b);
        ck_assert_uint_eq(ns_csum(b, hlen), 0);
      }
    }
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_ipv4_set_addresses_random) {
  /* NAT's rewrite: the incremental checksum equals a full recompute, for
   * random headers (options included) and random addresses. */
  GRand *r = g_rand_new_with_seed(3022);
  guint8 b[60], slow[60];
  for (int i = 0; i < 100000; i++) {
    gsize hlen = 20 + 4 * (gsize)g_rand_int_range(r, 0, 11);
    for (gsize k = 0; k < hlen; k++)
      b[k] = (guint8)g_rand_int(r);
    b[0] = (guint8)(0x40 | (hlen / 4));
    fix_ip_csum(b, hlen);
    NsIp4 ip = {g_rand_int(r)};
    gboolean dst = g_rand_boolean(r);
    memcpy(slow, b, hlen);
    ns_ip4_store(slow + (dst ? NS_IPV4_OFF_DST : NS_IPV4_OFF_SRC), ip);
    fix_ip_csum(slow, hlen);
    if (dst)
      ns_ipv4_set_dst(b, ip);
    else
      ns_ipv4_set_src(b, ip);
    ck_assert_mem_eq(b, slow, hlen);
  }
  g_rand_free(r);
  /* By hand: the echo header from 192.168.1.10 to 192.168.2.10. */
  memcpy(b, ECHO_IP, 20);
  ns_ipv4_set_src(b, NS_IP4(203, 0, 113, 7));
  ck_assert_uint_eq(ns_ipv4_src(b).v, NS_IP4(203, 0, 113, 7).v);
  ck_assert_uint_eq(ns_csum(b, 20), 0);
  ns_ipv4_set_dst(b, NS_IP4(10, 0, 0, 1));
  ck_assert_uint_eq(ns_ipv4_dst(b).v, NS_IP4(10, 0, 0, 1).v);
  ck_assert_uint_eq(ns_csum(b, 20), 0);
}
END_TEST

START_TEST(test_ipv4_pseudo_header) {
  /* UDP 192.168.1.10:1234 -> 192.168.2.10:53, "hi!?", by hand:
   * pseudo c0a8 + 010a + c0a8 + 020a + 0011 + 000c = 0x18481;
   * udp 04d2 + 0035 + 000c + 0000 + 6869 + 213f = 0x8ebb;
   * 0x18481 + 0x8ebb = 0x2133c, fold 0x133e, complement 0xecc1. */
  guint8 udp[12] = {0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c,
                    0x00, 0x00, 'h',  'i',  '!',  '?'};
  guint32 s =
      ns_ipv4_pseudo_partial(NS_IP4(192, 168, 1, 10), NS_IP4(192, 168, 2, 10),
                             NS_IPPROTO_UDP, sizeof udp);
  ck_assert_uint_eq(s, 0x8482);
  s = ns_csum_partial(udp, sizeof udp, s);
  ck_assert_uint_eq(ns_csum_finish(s), 0xecc1);
}
END_TEST

START_TEST(test_ipv4_pseudo_header_random) {
  /* Summed as numbers, the pseudo-header gives what summing its 12 bytes
   * gives, the all-zero and all-ones edges included. */
  GRand *r = g_rand_new_with_seed(793);
  for (int i = 0; i < 100000; i++) {
    NsIp4 src = {g_rand_int(r)}, dst = {g_rand_int(r)};
    guint8 proto = (guint8)g_rand_int(r);
    guint16 len = (guint16)g_rand_int(r);
    if (i < 4) {
      src.v = dst.v = i % 2 ? 0xffffffffu : 0;
      proto = i % 2 ? 0xff : 0;
      len = i < 2 ? 0 : 0xffff;
    }
    guint8 pseudo[12] = {0};
    ns_ip4_store(pseudo, src);
    ns_ip4_store(pseudo + 4, dst);
    pseudo[9] = proto;
    ns_store16(pseudo + 10, len);
    ck_assert_uint_eq(ns_ipv4_pseudo_partial(src, dst, proto, len),
                      ns_csum_partial(pseudo, sizeof pseudo, 0));
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_ipv4_parse_trusted) {
  /* The same checks as ns_ipv4_parse but the checksum. */
  guint8 *b = exact(ECHO_IP, ECHO_IP_LEN);
  NsIpv4Hdr h, full;
  ck_assert(ns_ipv4_parse(b, ECHO_IP_LEN, &full, NULL));
  ck_assert(ns_ipv4_parse_trusted(b, ECHO_IP_LEN, &h, NULL));
  ck_assert_mem_eq(&h, &full, sizeof h);
  b[11] ^= 1;
  ck_assert(!ns_ipv4_parse(b, ECHO_IP_LEN, &h, NULL));
  ck_assert(ns_ipv4_parse_trusted(b, ECHO_IP_LEN, &h, NULL));
  const char *err = NULL;
  ck_assert(!ns_ipv4_parse_trusted(b, ECHO_IP_LEN - 1, &h, &err));
  ck_assert_str_eq(err, "total length exceeds packet");
  b[0] = 0x44;
  ck_assert(!ns_ipv4_parse_trusted(b, ECHO_IP_LEN, &h, &err));
  ck_assert_str_eq(err, "header length below 20");
  g_free(b);
}
END_TEST

Suite *test_ipv4_suite(void) {
  Suite *s = suite_create("ipv4");
  TCase *tc = tcase_create("ipv4");
  tcase_set_timeout(tc, 60); /* exhaustive TTL sweeps under sanitizers */
  tcase_add_test(tc, test_ipv4_textbook);
  tcase_add_test(tc, test_ipv4_echo_and_padding);
  tcase_add_test(tc, test_ipv4_truncated);
  tcase_add_test(tc, test_ipv4_bit_flips_rejected);
  tcase_add_test(tc, test_ipv4_bad_fields);
  tcase_add_test(tc, test_ipv4_options_skipped);
  tcase_add_test(tc, test_ipv4_emit_parse_random);
  tcase_add_test(tc, test_ipv4_decrement_ttl_reference);
  tcase_add_test(tc, test_ipv4_decrement_ttl_every_checksum);
  tcase_add_test(tc, test_ipv4_decrement_ttl_random);
  tcase_add_test(tc, test_ipv4_set_addresses_random);
  tcase_add_test(tc, test_ipv4_pseudo_header);
  tcase_add_test(tc, test_ipv4_pseudo_header_random);
  tcase_add_test(tc, test_ipv4_parse_trusted);
  suite_add_tcase(s, tc);
  return s;
}

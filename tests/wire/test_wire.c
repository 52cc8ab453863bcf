/* test_wire.c — unit tests for the wire codecs.
 *
 * Each codec is checked against hand-written packet bytes whose checksums
 * are worked out by hand in the comments (known answers, not values the
 * code under test produced), then for byte-exact parse -> emit round trips,
 * rejection of every truncation, and single-bit corruption.  Buffers handed
 * to parsers are heap copies of exactly the stated length, so an overread
 * by even one byte is caught by AddressSanitizer.
 */
#include <check.h>
#include <string.h>

#include "wire/arp.h"
#include "wire/checksum.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/pretty.h"

/* An exact-size heap copy (so ASan sees any overread); free with g_free. */
static guint8 *exact(const guint8 *src, gsize len) {
  guint8 *p = g_malloc(len ? len : 1);
  if (len)
    memcpy(p, src, len);
  return p;
}

/* ---- Reference packets -------------------------------------------------- */

/* ARP request in a minimum Ethernet frame: 02:00:00:00:00:01 (192.168.1.10)
 * asks who has 192.168.1.1; 18 bytes of padding to reach 60. */
static const guint8 arp_request_frame[60] = {
    /* Ethernet: dst broadcast, src, type ARP */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06,
    /* htype 1, ptype 0x0800, hlen 6, plen 4, op 1 */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    /* sha, spa 192.168.1.10 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x0a,
    /* tha zero, tpa 192.168.1.1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x01,
    /* padding (18 bytes) */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* The reply: 192.168.1.1 is at 02:00:00:00:00:03, to the asker. */
static const guint8 arp_reply[28] = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00,
                                     0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03,
                                     0xc0, 0xa8, 0x01, 0x01, 0x02, 0x00, 0x00,
                                     0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x0a};

/* ICMP echo request 192.168.1.10 -> 192.168.2.10, TTL 64, DF, id 1 seq 1,
 * data "abcd", in a frame padded to 60 bytes.
 *
 * IP header checksum by hand (words, checksum field as 0):
 *   4500 + 0020 + 0001 + 4000 + 4001 + c0a8 + 010a + c0a8 + 020a = 0x24986
 *   fold: 0x4986 + 0x2 = 0x4988, complement: 0xb677.
 * ICMP checksum: 0800 + 0000 + 0001 + 0001 + 6162 + 6364 = 0xccc8,
 *   complement: 0x3337. */
static const guint8 echo_frame[60] = {
    /* Ethernet */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4 */
    0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x40, 0x00, 0x40, 0x01, 0xb6, 0x77,
    0xc0, 0xa8, 0x01, 0x0a, 0xc0, 0xa8, 0x02, 0x0a,
    /* ICMP */
    0x08, 0x00, 0x33, 0x37, 0x00, 0x01, 0x00, 0x01, 'a', 'b', 'c', 'd',
    /* padding (14 bytes) */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
#define ECHO_IP (echo_frame + NS_ETH_HLEN)
#define ECHO_IP_LEN 32
#define ECHO_ICMP (ECHO_IP + NS_IPV4_HLEN)
#define ECHO_ICMP_LEN 12

/* The usual textbook header (UDP, 192.168.0.1 -> 192.168.0.199):
 *   4500 + 0073 + 0000 + 4000 + 4011 + c0a8 + 0001 + c0a8 + 00c7 = 0x2479c
 *   fold: 0x479c + 0x2 = 0x479e, complement: 0xb861. */
static const guint8 textbook_ip[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                       0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                                       0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

/* ---- checksum ----------------------------------------------------------- */

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

/* ---- Ethernet ----------------------------------------------------------- */

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

/* ---- IPv4 --------------------------------------------------------------- */

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

/* Rewrites the checksum of the header at b after a test edit. */
static void fix_ip_csum(guint8 *b, gsize hlen) {
  ns_store16(b + NS_IPV4_OFF_CSUM, 0);
  ns_store16(b + NS_IPV4_OFF_CSUM, ns_csum(b, hlen));
}

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

/* ---- ICMP --------------------------------------------------------------- */

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
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, ECHO_IP_LEN), 28);
  /* Frame padding is not quoted: total length says 32. */
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 46), 28);
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 10), 10);
  ck_assert_uint_eq(ns_icmp_quote_len(ECHO_IP, 0), 0);
  ck_assert_uint_eq(ns_icmp_quote_len(NULL, 40), 0);

  guint8 b[64] = {0};
  memcpy(b, ECHO_IP, 20);
  b[0] = 0x46; /* 24-byte header */
  ns_store16(b + 2, 64);
  ck_assert_uint_eq(ns_icmp_quote_len(b, 64), 32);
  /* A datagram with only 4 payload bytes is quoted whole. */
  ns_store16(b + 2, 28);
  ck_assert_uint_eq(ns_icmp_quote_len(b, 64), 28);
}
END_TEST

/* Builds, in out, the IPv4 packet a router 192.168.2.1 sends back for the
 * echo request: ICMP type/code quoting the request.  Returns its length. */
static gsize build_error(guint8 *out, guint8 type, guint8 code,
                         const guint8 *orig, gsize orig_len) {
  NsIcmp e = {.type = type,
              .code = code,
              .data = orig,
              .data_len = ns_icmp_quote_len(orig, orig_len)};
  gsize icmp_len = ns_icmp_emit(out + NS_IPV4_HLEN, &e);
  NsIpv4Hdr ip = {.total_len = (guint16)(NS_IPV4_HLEN + icmp_len),
                  .ttl = 64,
                  .proto = NS_IPPROTO_ICMP,
                  .src = NS_IP4(192, 168, 2, 1),
                  .dst = NS_IP4(192, 168, 1, 10)};
  ns_ipv4_emit(out, &ip);
  return ip.total_len;
}

START_TEST(test_icmp_time_exceeded_round_trip) {
  guint8 pkt[128];
  gsize len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED,
                          ECHO_IP, ECHO_IP_LEN);
  ck_assert_uint_eq(len, 20 + 8 + 28);

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
  ck_assert_uint_eq(olen, 8);
  ck_assert_mem_eq(op, ECHO_ICMP, 8);

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

/* ---- pretty ------------------------------------------------------------- */

static void assert_describes(const guint8 *frame, gsize len,
                             const char *expected) {
  guint8 *f = exact(frame, len);
  char out[NS_FRAME_DESCRIBE_LEN];
  gsize n = ns_frame_describe(f, len, out, sizeof out);
  ck_assert_str_eq(out, expected);
  ck_assert_uint_eq(n, strlen(expected));
  g_free(f);
}

/* Wraps an IPv4 packet in an Ethernet frame, padded to the minimum. */
static gsize frame_ip(guint8 *frame, const guint8 *ip, gsize ip_len) {
  memset(frame, 0, NS_ETH_MIN_FRAME);
  memcpy(frame, echo_frame, NS_ETH_HLEN);
  memcpy(frame + NS_ETH_HLEN, ip, ip_len);
  return ns_eth_padded_len(NS_ETH_HLEN + ip_len);
}

START_TEST(test_pretty_arp) {
  assert_describes(arp_request_frame, sizeof arp_request_frame,
                   "ARP who-has 192.168.1.1 tell 192.168.1.10");
  guint8 f[60] = {0};
  memcpy(f, arp_request_frame, 14);
  memcpy(f + 14, arp_reply, 28);
  assert_describes(f, 60, "ARP reply 192.168.1.1 is-at 02:00:00:00:00:03");
  f[14 + 7] = 9;
  assert_describes(f, 60,
                   "malformed ARP: operation is neither request nor reply");
  assert_describes(f, 30, "malformed ARP: truncated");
}
END_TEST

START_TEST(test_pretty_icmp) {
  assert_describes(echo_frame, sizeof echo_frame,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP echo request id 1 seq 1");

  /* The request sent to 192.168.3.10 dies at the router. */
  guint8 req[ECHO_IP_LEN];
  memcpy(req, ECHO_IP, ECHO_IP_LEN);
  ns_ip4_store(req + 16, NS_IP4(192, 168, 3, 10));
  req[8] = 1;
  fix_ip_csum(req, 20);
  guint8 pkt[128], frame[160];
  gsize len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED, req,
                          ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP time "
                   "exceeded (TTL) for 192.168.1.10 > 192.168.3.10");

  len = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP destination "
                   "unreachable (host) for 192.168.1.10 > 192.168.3.10");
  len = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP destination "
                   "unreachable (net) for 192.168.1.10 > 192.168.3.10");

  /* Echo reply, built by the codec. */
  guint8 rep[ECHO_IP_LEN];
  memcpy(rep, ECHO_IP, ECHO_IP_LEN);
  NsIcmp m;
  ck_assert(ns_icmp_parse(rep + 20, ECHO_ICMP_LEN, &m, NULL));
  m.type = NS_ICMP_ECHO_REPLY;
  m.seq = 42;
  ns_icmp_emit(rep + 20, &m);
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP echo reply id 1 seq 42");
  /* A type without a decoder: its numbers and the message length. */
  NsIcmp other = {.type = 13, .data = (const guint8 *)"wxyz", .data_len = 4};
  ck_assert_uint_eq(ns_icmp_emit(rep + 20, &other), ECHO_ICMP_LEN);
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP type 13 code 0 len 12");
  /* Time exceeded in reassembly. */
  len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_FRAG_TIME_EXCEEDED, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP time "
                   "exceeded (reassembly) for 192.168.1.10 > 192.168.3.10");
  /* Bad ICMP checksum. */
  ns_icmp_emit(rep + 20, &m);
  rep[30] ^= 1;
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed ICMP: bad checksum");
}
END_TEST

START_TEST(test_pretty_udp_tcp_other) {
  guint8 ip[60] = {0}, frame[80];
  NsIpv4Hdr h = {.total_len = 32,
                 .ttl = 64,
                 .proto = NS_IPPROTO_UDP,
                 .src = NS_IP4(192, 168, 1, 10),
                 .dst = NS_IP4(192, 168, 2, 10)};
  ns_ipv4_emit(ip, &h);
  const guint8 udp[12] = {0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c,
                          0xec, 0xc1, 'h',  'i',  '!',  '?'};
  memcpy(ip + 20, udp, sizeof udp);
  assert_describes(frame, frame_ip(frame, ip, 32),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "UDP 1234 > 53 len 4");
  ns_store16(ip + 24, 13); /* UDP length past the datagram */
  assert_describes(frame, frame_ip(frame, ip, 32),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed UDP: bad length 13");

  /* TCP SYN 1234 -> 80, then SYN-ACK with 4 data bytes. */
  h.proto = NS_IPPROTO_TCP;
  h.total_len = 40;
  ns_ipv4_emit(ip, &h);
  memset(ip + 20, 0, 20);
  ns_store16(ip + 20, 1234);
  ns_store16(ip + 22, 80);
  ip[32] = 0x50;
  ip[33] = 0x02;
  assert_describes(frame, frame_ip(frame, ip, 40),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 1234 > 80 [S]");
  h.total_len = 44;
  ns_ipv4_emit(ip, &h);
  ip[33] = 0x12;
  assert_describes(frame, frame_ip(frame, ip, 44),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 1234 > 80 [S.] len 4");
  ip[33] = 0x19;
  assert_describes(frame, frame_ip(frame, ip, 44),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 1234 > 80 [FP.] len 4");
  ip[32] = 0xf0; /* data offset 60 > 24 */
  assert_describes(frame, frame_ip(frame, ip, 44),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed TCP: bad data offset 60");

  /* Another protocol: its number and the IP payload length. */
  h.proto = 47;
  h.total_len = 60;
  ns_ipv4_emit(ip, &h);
  assert_describes(frame, frame_ip(frame, ip, 60),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: proto 47 len 40");
  /* A non-first fragment is not decoded further. */
  h.proto = NS_IPPROTO_UDP;
  h.frag = 185; /* offset 1480 */
  ns_ipv4_emit(ip, &h);
  assert_describes(frame, frame_ip(frame, ip, 60),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "fragment proto 17 offset 1480 len 40");
}
END_TEST

START_TEST(test_pretty_malformed) {
  guint8 f[60];
  memcpy(f, echo_frame, 60);
  f[14 + 10] ^= 0x40;
  assert_describes(f, 60, "malformed IPv4: bad header checksum");
  assert_describes(echo_frame, 40,
                   "malformed IPv4: total length exceeds packet");
  assert_describes(echo_frame, 20, "malformed IPv4: truncated header");

  memcpy(f, echo_frame, 60);
  f[12] = 0x86;
  f[13] = 0xdd;
  assert_describes(f, 60, "ethertype 0x86dd, 60 bytes");
  assert_describes(f, 14, "ethertype 0x86dd, 14 bytes");
  assert_describes(f, 10, "runt frame (10 bytes)");
  assert_describes(f, 0, "runt frame (0 bytes)");
}
END_TEST

START_TEST(test_pretty_truncates_output) {
  char full[NS_FRAME_DESCRIBE_LEN];
  gsize n = ns_frame_describe(echo_frame, 60, full, sizeof full);
  ck_assert_uint_gt(n, 20);

  char small[10];
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, small, sizeof small), 9);
  ck_assert_uint_eq(strlen(small), 9);
  ck_assert(strncmp(small, full, 9) == 0);

  char one[1] = {'x'};
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, one, 1), 0);
  ck_assert_int_eq(one[0], '\0');

  char untouched[4] = "abc";
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, untouched, 0), 0);
  ck_assert_str_eq(untouched, "abc");

  /* The widest line there is fits in NS_FRAME_DESCRIBE_LEN. */
  guint8 q[28];
  memcpy(q, ECHO_IP, 28);
  ns_ip4_store(q + 12, NS_IP4(255, 255, 255, 255));
  ns_ip4_store(q + 16, NS_IP4(255, 255, 255, 254));
  NsIcmp e = {.type = NS_ICMP_DEST_UNREACH,
              .code = NS_ICMP_FRAG_NEEDED,
              .data = q,
              .data_len = 28};
  guint8 ip[60];
  gsize icmp_len = ns_icmp_emit(ip + 20, &e);
  NsIpv4Hdr h = {.total_len = (guint16)(20 + icmp_len),
                 .frag = NS_IPV4_MF,
                 .ttl = 255,
                 .proto = NS_IPPROTO_ICMP,
                 .src = NS_IP4(255, 255, 255, 253),
                 .dst = NS_IP4(255, 255, 255, 252)};
  ns_ipv4_emit(ip, &h);
  guint8 frame[80];
  gsize flen = frame_ip(frame, ip, h.total_len);
  n = ns_frame_describe(frame, flen, full, sizeof full);
  ck_assert_uint_lt(n, sizeof full - 1);
  ck_assert_str_eq(full, "IPv4 255.255.255.253 > 255.255.255.252 ttl 255: "
                         "ICMP destination unreachable (fragmentation needed) "
                         "for 255.255.255.255 > 255.255.255.254 "
                         "(first fragment)");
}
END_TEST

static void describe_checked(const guint8 *src, gsize len) {
  guint8 *f = exact(src, len);
  char out[NS_FRAME_DESCRIBE_LEN];
  memset(out, 'z', sizeof out);
  gsize n = ns_frame_describe(f, len, out, sizeof out);
  ck_assert_uint_lt(n, sizeof out);
  ck_assert_uint_eq(strlen(out), n);
  ck_assert_uint_gt(n, 0);
  g_free(f);
}

START_TEST(test_pretty_fuzz) {
  GRand *r = g_rand_new_with_seed(20240101);
  guint8 buf[256];

  /* Pure noise. */
  for (int i = 0; i < 10000; i++) {
    gsize len = (gsize)g_rand_int_range(r, 0, sizeof buf + 1);
    for (gsize k = 0; k < len; k++)
      buf[k] = (guint8)g_rand_int(r);
    describe_checked(buf, len);
  }

  /* Noise behind a valid Ethernet + IPv4 header, so the upper-layer paths
   * run: random proto (mostly ICMP/UDP/TCP), lengths and payload. */
  static const guint8 protos[] = {NS_IPPROTO_ICMP, NS_IPPROTO_UDP,
                                  NS_IPPROTO_TCP, 47};
  for (int i = 0; i < 10000; i++) {
    gsize len = (gsize)g_rand_int_range(r, 14, sizeof buf + 1);
    for (gsize k = 0; k < len; k++)
      buf[k] = (guint8)g_rand_int(r);
    ns_store16(buf + 12,
               g_rand_boolean(r) ? NS_ETHERTYPE_IPV4 : NS_ETHERTYPE_ARP);
    if (len >= 34) {
      guint8 *ip = buf + 14;
      gsize hlen = 20 + 4 * (gsize)g_rand_int_range(r, 0, 3);
      ip[0] = (guint8)(0x40 | hlen / 4);
      ip[9] = protos[g_rand_int_range(r, 0, G_N_ELEMENTS(protos))];
      ns_store16(ip + 6,
                 g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r) : 0);
      ns_store16(ip + 2, (guint16)g_rand_int_range(r, 0, (gint32)len));
      if (hlen <= len - 14)
        fix_ip_csum(ip, hlen);
      /* Often make the ICMP checksum right too, so quotes get parsed. */
      gsize total = ns_load16(ip + 2);
      if (ip[9] == NS_IPPROTO_ICMP && total >= hlen + 8 && total <= len - 14 &&
          g_rand_boolean(r)) {
        guint8 *icmp = ip + hlen;
        icmp[0] =
            g_rand_boolean(r) ? NS_ICMP_TIME_EXCEEDED : NS_ICMP_DEST_UNREACH;
        if (total >= hlen + 8 + 20 && g_rand_boolean(r))
          icmp[8] = 0x45;
        ns_store16(icmp + 2, 0);
        ns_store16(icmp + 2, ns_csum(icmp, total - hlen));
      }
    }
    describe_checked(buf, len);
  }

  /* Single-byte mutations of the reference frames. */
  for (int i = 0; i < 10000; i++) {
    const guint8 *base = (i & 1) ? echo_frame : arp_request_frame;
    memcpy(buf, base, 60);
    buf[g_rand_int_range(r, 0, 60)] = (guint8)g_rand_int(r);
    describe_checked(buf, (gsize)g_rand_int_range(r, 0, 61));
  }
  g_rand_free(r);
}
END_TEST

/* ---- suite -------------------------------------------------------------- */

Suite *test_wire_suite(void); /* called by the unit-test runner */

Suite *test_wire_suite(void) {
  Suite *s = suite_create("wire");

  TCase *tc = tcase_create("checksum");
  tcase_add_test(tc, test_csum_rfc1071_example);
  tcase_add_test(tc, test_csum_known_headers);
  tcase_add_test(tc, test_csum_odd_and_empty);
  tcase_add_test(tc, test_csum_against_reference);
  tcase_add_test(tc, test_load_store_big_endian);
  suite_add_tcase(s, tc);

  tc = tcase_create("ethernet");
  tcase_add_test(tc, test_eth_parse_emit);
  tcase_add_test(tc, test_eth_truncated);
  tcase_add_test(tc, test_eth_padded_len);
  suite_add_tcase(s, tc);

  tc = tcase_create("arp");
  tcase_add_test(tc, test_arp_request);
  tcase_add_test(tc, test_arp_reply_round_trip);
  tcase_add_test(tc, test_arp_truncated);
  tcase_add_test(tc, test_arp_bad_fields);
  suite_add_tcase(s, tc);

  tc = tcase_create("ipv4");
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
  tcase_add_test(tc, test_ipv4_pseudo_header);
  suite_add_tcase(s, tc);

  tc = tcase_create("icmp");
  tcase_add_test(tc, test_icmp_echo);
  tcase_add_test(tc, test_icmp_emit_overlapping);
  tcase_add_test(tc, test_icmp_truncated_and_corrupt);
  tcase_add_test(tc, test_icmp_quote_len);
  tcase_add_test(tc, test_icmp_time_exceeded_round_trip);
  tcase_add_test(tc, test_icmp_quoted_rejects);
  suite_add_tcase(s, tc);

  tc = tcase_create("pretty");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_pretty_arp);
  tcase_add_test(tc, test_pretty_icmp);
  tcase_add_test(tc, test_pretty_udp_tcp_other);
  tcase_add_test(tc, test_pretty_malformed);
  tcase_add_test(tc, test_pretty_truncates_output);
  tcase_add_test(tc, test_pretty_fuzz);
  suite_add_tcase(s, tc);

  return s;
}

/* test_tcp.c — the TCP header codec: two known segments (checksums worked
 * out by hand), emit/parse round trips, options (MSS, NOP, EOL, unknown
 * kinds, bad lengths), bad data offsets, truncation, the checksum against
 * single-byte corruption, flag letters, sequence comparisons across the
 * wrap, and a fuzz loop run on exact-size buffers so that ASan sees any
 * overread. */
#include <string.h>

#include "testutil.h"
#include "wire/tcp.h"
#include "wire_harness.h"

#define CLIENT NS_IP4(192, 168, 1, 10)
#define SERVER NS_IP4(192, 168, 2, 10)

/* SYN 192.168.1.10:49152 -> 192.168.2.10:7, seq 123456, window 65535,
 * MSS 1460 (data offset 6).  Checksum by hand:
 *   pseudo c0a8 + 010a + c0a8 + 020a + 0006 + 0018 = 0x18482
 *   header c000 + 0007 + 0001 + e240 + 0000 + 0000 + 6002 + ffff + 0000
 *          + 0000 + 0204 + 05b4 = 0x30a01
 *   0x18482 + 0x30a01 = 0x48e83, fold 0x8e87, complement 0x7178. */
static const guint8 syn_segment[24] = {
    0xc0, 0x00, 0x00, 0x07, 0x00, 0x01, 0xe2, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x02, 0xff, 0xff, 0x71, 0x78, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4};

/* The echo server answers 192.168.2.10:7 -> 192.168.1.10:49152 with
 * [P.] seq 0xfffffffe ack 123457 window 8192 and "hello" (odd length, so
 * the last byte is padded).  Checksum by hand:
 *   pseudo c0a8 + 020a + c0a8 + 010a + 0006 + 0019 = 0x18483
 *   header 0007 + c000 + ffff + fffe + 0001 + e241 + 5018 + 2000 + 0000
 *          + 0000 = 0x4125e
 *   data   6865 + 6c6c + 6f00 = 0x143d1
 *   sum 0x6dab2, fold 0xdab8, complement 0x2547. */
static const guint8 data_segment[25] = {
    0x00, 0x07, 0xc0, 0x00, 0xff, 0xff, 0xff, 0xfe, 0x00,
    0x01, 0xe2, 0x41, 0x50, 0x18, 0x20, 0x00, 0x25, 0x47,
    0x00, 0x00, 'h',  'e',  'l',  'l',  'o'};

static void assert_hdr_eq(const NsTcpHdr *a, const NsTcpHdr *b) {
  ck_assert_uint_eq(a->sport, b->sport);
  ck_assert_uint_eq(a->dport, b->dport);
  ck_assert_uint_eq(a->seq, b->seq);
  ck_assert_uint_eq(a->ack, b->ack);
  ck_assert_uint_eq(a->hlen, b->hlen);
  ck_assert_uint_eq(a->flags, b->flags);
  ck_assert_uint_eq(a->window, b->window);
  ck_assert_uint_eq(a->csum, b->csum);
  ck_assert_uint_eq(a->urgent, b->urgent);
  ck_assert_uint_eq(a->mss, b->mss);
  ck_assert_int_eq(a->has_ws, b->has_ws);
  if (a->has_ws)
    ck_assert_uint_eq(a->ws, b->ws);
  ck_assert_int_eq(a->sack_ok, b->sack_ok);
  ck_assert_int_eq(a->has_ts, b->has_ts);
  if (a->has_ts) {
    ck_assert_uint_eq(a->tsval, b->tsval);
    ck_assert_uint_eq(a->tsecr, b->tsecr);
  }
  ck_assert_uint_eq(a->nsack, b->nsack);
  for (guint i = 0; i < a->nsack; i++) {
    ck_assert_uint_eq(a->sack[i].left, b->sack[i].left);
    ck_assert_uint_eq(a->sack[i].right, b->sack[i].right);
  }
}

/* Parses an exact-size copy of len bytes at src. */
static gboolean parse_exact(const guint8 *src, gsize len, NsTcpHdr *h,
                            const char **err) {
  guint8 *b = exact(src, len);
  gboolean ok = ns_tcp_parse(b, len, h, err);
  g_free(b);
  return ok;
}

/* A 20-byte header with data offset hlen/4 followed by the option bytes
 * opt (hlen - 20 of them), in buf.  Returns hlen. */
static gsize with_options(guint8 *buf, const guint8 *opt, gsize hlen) {
  memcpy(buf, data_segment, NS_TCP_HLEN);
  buf[12] = (guint8)((hlen / 4) << 4);
  memcpy(buf + NS_TCP_HLEN, opt, hlen - NS_TCP_HLEN);
  return hlen;
}

START_TEST(test_tcp_known_syn) {
  NsTcpHdr h;
  const char *err = NULL;
  ck_assert_msg(parse_exact(syn_segment, sizeof syn_segment, &h, &err), "%s",
                err);
  NsTcpHdr want = {.sport = 49152,
                   .dport = 7,
                   .seq = 123456,
                   .ack = 0,
                   .hlen = 24,
                   .flags = NS_TCP_SYN,
                   .window = 65535,
                   .csum = 0x7178,
                   .urgent = 0,
                   .mss = 1460};
  assert_hdr_eq(&h, &want);

  guint8 *b = exact(syn_segment, sizeof syn_segment);
  ck_assert(ns_tcp_checksum_ok(b, sizeof syn_segment, CLIENT, SERVER));
  /* The pseudo-header makes the checksum depend on the addresses (though
   * not on their order: the sum commutes). */
  ck_assert(ns_tcp_checksum_ok(b, sizeof syn_segment, SERVER, CLIENT));
  ck_assert(!ns_tcp_checksum_ok(b, sizeof syn_segment, CLIENT,
                                NS_IP4(192, 168, 2, 11)));
  g_free(b);

  /* emit from the struct gives the same bytes, whatever was there. */
  NsTcpHdr in = want;
  in.hlen = 0;
  in.csum = 0;
  ck_assert_uint_eq(ns_tcp_header_len(&in), 24);
  guint8 out[24];
  memset(out, 0xee, sizeof out);
  ck_assert_uint_eq(ns_tcp_emit(out, &in, 0, CLIENT, SERVER), 24);
  ck_assert_mem_eq(out, syn_segment, sizeof syn_segment);
  assert_hdr_eq(&in, &want);
}
END_TEST

START_TEST(test_tcp_known_data) {
  NsTcpHdr h;
  const char *err = NULL;
  ck_assert_msg(parse_exact(data_segment, sizeof data_segment, &h, &err), "%s",
                err);
  NsTcpHdr want = {.sport = 7,
                   .dport = 49152,
                   .seq = 0xfffffffe,
                   .ack = 123457,
                   .hlen = 20,
                   .flags = NS_TCP_PSH | NS_TCP_ACK,
                   .window = 8192,
                   .csum = 0x2547,
                   .urgent = 0,
                   .mss = 0};
  assert_hdr_eq(&h, &want);
  ck_assert(
      ns_tcp_checksum_ok(data_segment, sizeof data_segment, SERVER, CLIENT));

  /* The data goes in first, then emit writes the header in front of it. */
  NsTcpHdr in = want;
  in.csum = 0;
  ck_assert_uint_eq(ns_tcp_header_len(&in), 20);
  guint8 out[25];
  memset(out, 0xee, sizeof out);
  memcpy(out + 20, "hello", 5);
  ck_assert_uint_eq(ns_tcp_emit(out, &in, 5, SERVER, CLIENT), 25);
  ck_assert_mem_eq(out, data_segment, sizeof data_segment);
  ck_assert_uint_eq(in.csum, 0x2547);
}
END_TEST

START_TEST(test_tcp_round_trip_random) {
  GRand *r = g_rand_new_with_seed(9293);
  guint8 buf[NS_TCP_MAX_HLEN + 64];
  for (int i = 0; i < 5000; i++) {
    NsTcpHdr in = {.sport = (guint16)g_rand_int(r),
                   .dport = (guint16)g_rand_int(r),
                   .seq = g_rand_int(r),
                   .ack = g_rand_int(r),
                   .hlen = (guint8)g_rand_int(r),
                   .flags = (guint8)g_rand_int(r),
                   .window = (guint16)g_rand_int(r),
                   .csum = 0x1234,
                   .urgent = (guint16)g_rand_int(r),
                   .mss = g_rand_boolean(r) ? (guint16)g_rand_int(r) : 0,
                   .has_ws = g_rand_boolean(r),
                   .ws = (guint8)g_rand_int_range(r, 0, NS_TCP_MAX_WSCALE + 1),
                   .sack_ok = g_rand_boolean(r),
                   .has_ts = g_rand_boolean(r),
                   .tsval = g_rand_int(r),
                   .tsecr = g_rand_int(r)};
    if (!in.has_ws)
      in.ws = 0;
    if (!in.has_ts)
      in.tsval = in.tsecr = 0;
    /* As many SACK blocks as fit, or fewer. */
    in.nsack =
        (guint8)g_rand_int_range(r, 0, (gint32)ns_tcp_sack_room(&in) + 1);
    for (guint k = 0; k < in.nsack; k++)
      in.sack[k] = (NsTcpSackBlock){g_rand_int(r), g_rand_int(r)};
    NsIp4 src = {g_rand_int(r)}, dst = {g_rand_int(r)};
    gsize hlen = ns_tcp_header_len(&in);
    gsize data_len = (gsize)g_rand_int_range(r, 0, 65);
    guint8 data[64];
    for (gsize k = 0; k < data_len; k++)
      data[k] = (guint8)g_rand_int(r);
    memset(buf, 0xee, sizeof buf);
    memcpy(buf + hlen, data, data_len);

    gsize seg_len = ns_tcp_emit(buf, &in, data_len, src, dst);
    ck_assert_uint_eq(seg_len, hlen + data_len);
    ck_assert_uint_eq(in.hlen, hlen);
    ck_assert_uint_eq(ns_load16(buf + 16), in.csum);
    ck_assert_mem_eq(buf + hlen, data, data_len);

    guint8 *b = exact(buf, seg_len);
    NsTcpHdr back;
    const char *err = NULL;
    ck_assert_msg(ns_tcp_parse(b, seg_len, &back, &err), "%s", err);
    assert_hdr_eq(&back, &in);
    ck_assert(ns_tcp_checksum_ok(b, seg_len, src, dst));
    g_free(b);
  }
  g_rand_free(r);
}
END_TEST

START_TEST(test_tcp_options) {
  guint8 buf[NS_TCP_MAX_HLEN + 8];
  NsTcpHdr h;
  const char *err;

  /* NOP padding around the MSS. */
  static const guint8 nop_mss[] = {1, 1, 2, 4, 0x05, 0xb4, 1, 1};
  gsize len = with_options(buf, nop_mss, 28);
  err = NULL;
  ck_assert_msg(parse_exact(buf, len, &h, &err), "%s", err);
  ck_assert_uint_eq(h.hlen, 28);
  ck_assert_uint_eq(h.mss, 1460);

  /* Window scale 7 (3 bytes) and timestamps (10 bytes) before the MSS
   * 512: all three are found. */
  static const guint8 unknown[] = {
      3, 3, 7, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, NS_TCP_OPT_MSS, 4, 0x02, 0x00};
  guint8 opt[20] = {0};
  memcpy(opt, unknown, sizeof unknown);
  len = with_options(buf, opt, 40);
  err = NULL;
  ck_assert_msg(parse_exact(buf, len, &h, &err), "%s", err);
  ck_assert_uint_eq(h.hlen, 40);
  ck_assert_uint_eq(h.mss, 512);
  ck_assert(h.has_ws);
  ck_assert_uint_eq(h.ws, 7);
  ck_assert(h.has_ts);
  ck_assert_uint_eq(h.tsval, 0x01020304);
  ck_assert_uint_eq(h.tsecr, 0x05060708);

  /* An unknown kind (30, length 6) is skipped by its length. */
  static const guint8 skipped[] = {30, 6, 9, 9, 9, 9, 2, 4, 0x02, 0x18};
  guint8 opt12[12] = {0};
  memcpy(opt12, skipped, sizeof skipped);
  len = with_options(buf, opt12, 32);
  err = NULL;
  ck_assert_msg(parse_exact(buf, len, &h, &err), "%s", err);
  ck_assert_uint_eq(h.mss, 536);

  /* No options at all, or only an unknown one: mss 0. */
  ck_assert(parse_exact(data_segment, 20, &h, NULL));
  ck_assert_uint_eq(h.mss, 0);
  static const guint8 sack_ok[] = {4, 2, 1, 1};
  len = with_options(buf, sack_ok, 24);
  ck_assert(parse_exact(buf, len, &h, NULL));
  ck_assert_uint_eq(h.mss, 0);

  /* EOL ends the list: what follows it is padding, not options. */
  static const guint8 eol[] = {0, 2, 0, 0xff, 0xff, 0xff, 0xff, 0xff};
  len = with_options(buf, eol, 28);
  err = NULL;
  ck_assert_msg(parse_exact(buf, len, &h, &err), "%s", err);
  ck_assert_uint_eq(h.mss, 0);
  static const guint8 mss_eol[] = {2, 4, 0x05, 0xb4, 0, 2, 4, 0};
  len = with_options(buf, mss_eol, 28);
  ck_assert(parse_exact(buf, len, &h, NULL));
  ck_assert_uint_eq(h.mss, 1460);

  /* Lengths that cannot be right. */
  static const guint8 bad[][4] = {
      {2, 3, 0x05, 0xb4},               /* MSS must be 4 long */
      {2, 5, 0x05, 0xb4}, {8, 1, 0, 0}, /* below 2: no room for itself */
      {8, 0, 0, 0},                     /* would loop forever */
      {1, 8, 6, 0},                     /* runs past the header */
      {1, 1, 1, 8},                     /* no room for the length byte */
      {3, 4, 7, 0},                     /* window scale is 3 long */
      {4, 3, 0, 0},                     /* SACK-permitted is 2 long */
      {5, 2, 0, 0},                     /* SACK without a block */
      {8, 4, 0, 0},                     /* timestamps are 10 long */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    len = with_options(buf, bad[i], 24);
    err = NULL;
    ck_assert_msg(!parse_exact(buf, len, &h, &err), "option %zu accepted", i);
    ck_assert_str_eq(err, "bad option length");
    /* Data after the header must not let an option borrow its bytes. */
    memset(buf + len, 0, 8);
    err = NULL;
    ck_assert_msg(!parse_exact(buf, len + 8, &h, &err),
                  "option %zu accepted with data behind", i);
    ck_assert_str_eq(err, "bad option length");
  }
}
END_TEST

/* Linux's SYN (tcpdump: options [mss 1460,sackOK,TS val 1 ecr 0,nop,
 * wscale 7]) and a data segment with a timestamp and two SACK blocks, byte
 * for byte as a Linux capture shows them. */
START_TEST(test_tcp_linux_layout) {
  static const guint8 syn_opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                    0, 1, 0,    0,    0, 0, 1, 3,  3, 7};
  guint8 buf[NS_TCP_MAX_HLEN];
  NsTcpHdr h = {.sport = 1,
                .dport = 2,
                .flags = NS_TCP_SYN,
                .mss = 1460,
                .sack_ok = TRUE,
                .has_ts = TRUE,
                .tsval = 1,
                .has_ws = TRUE,
                .ws = 7};
  ck_assert_uint_eq(ns_tcp_header_len(&h), 40);
  ck_assert_uint_eq(ns_tcp_emit(buf, &h, 0, CLIENT, SERVER), 40);
  ck_assert_mem_eq(buf + NS_TCP_HLEN, syn_opts, sizeof syn_opts);

  static const guint8 sack_opts[] = {
      1, 1, 8,    10, 0, 0, 0,    9,
      0, 0, 0,    8,  1, 1, 5,    18, /* TS, SACK head */
      0, 0, 0x10, 0,  0, 0, 0x20, 0,
      0, 0, 0x30, 0,  0, 0, 0x40, 0};
  NsTcpHdr d = {.flags = NS_TCP_ACK,
                .has_ts = TRUE,
                .tsval = 9,
                .tsecr = 8,
                .nsack = 2,
                .sack = {{0x1000, 0x2000}, {0x3000, 0x4000}}};
  ck_assert_uint_eq(ns_tcp_sack_room(&d), 3);
  ck_assert_uint_eq(ns_tcp_emit(buf, &d, 0, CLIENT, SERVER),
                    NS_TCP_HLEN + sizeof sack_opts);
  ck_assert_mem_eq(buf + NS_TCP_HLEN, sack_opts, sizeof sack_opts);
  NsTcpHdr back;
  ck_assert(parse_exact(buf, NS_TCP_HLEN + sizeof sack_opts, &back, NULL));
  assert_hdr_eq(&back, &d);

  /* Without a timestamp, four blocks fit; a fifth is cut. */
  NsTcpHdr f = {.flags = NS_TCP_ACK, .nsack = NS_TCP_MAX_SACK};
  ck_assert_uint_eq(ns_tcp_sack_room(&f), 4);
  ck_assert_uint_eq(ns_tcp_header_len(&f), 56);
  d.nsack = 4;
  ck_assert_uint_eq(ns_tcp_header_len(&d), NS_TCP_HLEN + 12 + 4 + 24);

  /* A window scale above 14 is taken as 14. */
  static const guint8 ws15[] = {1, 3, 3, 15};
  gsize len = with_options(buf, ws15, 24);
  ck_assert(parse_exact(buf, len, &back, NULL));
  ck_assert_uint_eq(back.ws, 14);
  ck_assert_uint_eq(back.ws_raw, 15);
}
END_TEST

START_TEST(test_tcp_bad_data_offset) {
  guint8 buf[NS_TCP_MAX_HLEN];
  memcpy(buf, data_segment, sizeof data_segment);
  NsTcpHdr h;
  const char *err;
  for (guint8 words = 0; words < 5; words++) {
    buf[12] = (guint8)(words << 4);
    err = NULL;
    ck_assert(!parse_exact(buf, sizeof data_segment, &h, &err));
    ck_assert_str_eq(err, "bad data offset");
  }
  /* 24 bytes of header in a 20-byte segment; 60 in 25. */
  buf[12] = 0x60;
  err = NULL;
  ck_assert(!parse_exact(buf, 20, &h, &err));
  ck_assert_str_eq(err, "bad data offset");
  buf[12] = 0xf0;
  err = NULL;
  ck_assert(!parse_exact(buf, sizeof data_segment, &h, &err));
  ck_assert_str_eq(err, "bad data offset");
  /* A header of exactly the segment's length is fine, and so is the
   * largest one (NOPs all the way). */
  memset(buf + 20, NS_TCP_OPT_NOP, 40);
  ck_assert(parse_exact(buf, NS_TCP_MAX_HLEN, &h, NULL));
  ck_assert_uint_eq(h.hlen, NS_TCP_MAX_HLEN);
  /* The reserved bits next to the offset do not change it. */
  buf[12] = 0x5f;
  ck_assert(parse_exact(buf, NS_TCP_MAX_HLEN, &h, NULL));
  ck_assert_uint_eq(h.hlen, 20);
}
END_TEST

START_TEST(test_tcp_truncated) {
  for (gsize len = 0; len < NS_TCP_HLEN; len++) {
    NsTcpHdr h;
    const char *err = NULL;
    ck_assert_msg(!parse_exact(data_segment, len, &h, &err), "len %zu", len);
    ck_assert_str_eq(err, "truncated header");
  }
  /* The MSS option is cut off. */
  for (gsize len = NS_TCP_HLEN; len < sizeof syn_segment; len++) {
    NsTcpHdr h;
    const char *err = NULL;
    ck_assert(!parse_exact(syn_segment, len, &h, &err));
    ck_assert_str_eq(err, "bad data offset");
  }
  const char *err = NULL;
  ck_assert(!ns_tcp_parse(NULL, 0, NULL, &err));
  ck_assert_str_eq(err, "truncated header");
  ck_assert(!ns_tcp_parse(NULL, 20, NULL, NULL));
}
END_TEST

START_TEST(test_tcp_checksum) {
  /* Any one byte changed, header or data, breaks it. */
  for (gsize i = 0; i < sizeof data_segment; i++) {
    for (int bit = 0; bit < 8; bit++) {
      guint8 *b = exact(data_segment, sizeof data_segment);
      b[i] ^= (guint8)(1u << bit);
      ck_assert_msg(!ns_tcp_checksum_ok(b, sizeof data_segment, SERVER, CLIENT),
                    "byte %zu bit %d", i, bit);
      /* A parse does not look at the checksum. */
      if (i != 12)
        ck_assert(ns_tcp_parse(b, sizeof data_segment, &(NsTcpHdr){0}, NULL));
      g_free(b);
    }
  }
  /* Part of the segment is not the segment (the pseudo-header says the
   * length too). */
  ck_assert(!ns_tcp_checksum_ok(data_segment, 24, SERVER, CLIENT));
  /* More than an IPv4 datagram holds cannot be checked. */
  ck_assert(!ns_tcp_checksum_ok(data_segment, 65536, SERVER, CLIENT));
  ck_assert(!ns_tcp_checksum_ok(NULL, 0, SERVER, CLIENT));

  /* Every checksum value comes out right, 0x0000 and 0xffff included:
   * sweep the window through all 65536 values. */
  guint8 b[24];
  NsTcpHdr h = {.sport = 1, .dport = 2, .flags = NS_TCP_ACK, .mss = 536};
  for (guint32 w = 0; w < 65536; w++) {
    h.window = (guint16)w;
    ns_tcp_emit(b, &h, 0, CLIENT, SERVER);
    ck_assert(ns_tcp_checksum_ok(b, sizeof b, CLIENT, SERVER));
  }
}
END_TEST

START_TEST(test_tcp_flags_format) {
  static const struct {
    guint8 flags;
    const char *text;
  } cases[] = {
      {0, "none"},
      {NS_TCP_SYN, "S"},
      {NS_TCP_SYN | NS_TCP_ACK, "S."},
      {NS_TCP_ACK, "."},
      {NS_TCP_PSH | NS_TCP_ACK, "P."},
      {NS_TCP_FIN | NS_TCP_ACK, "F."},
      {NS_TCP_FIN | NS_TCP_PSH | NS_TCP_ACK, "FP."},
      {NS_TCP_RST, "R"},
      {NS_TCP_RST | NS_TCP_ACK, "R."},
      {NS_TCP_URG | NS_TCP_ACK, "U."},
      {NS_TCP_ECE | NS_TCP_CWR, "EW"},
      {0xff, "FSRPUEW."},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char buf[NS_TCP_FLAGS_STRLEN];
    memset(buf, 'z', sizeof buf);
    ck_assert_ptr_eq(ns_tcp_flags_format(cases[i].flags, buf), buf);
    ck_assert_str_eq(buf, cases[i].text);
  }
}
END_TEST

START_TEST(test_tcp_seq_compare) {
  static const struct {
    guint32 a, b;
  } less[] = {
      {0, 1},
      {100, 200},
      {0xfffffff0u, 0x10},        /* across the wrap */
      {0xffffffffu, 0},           /* the last number before the wrap */
      {0x7fffffffu, 0xfffffffeu}, /* just under half the space apart */
      {0x80000000u, 0xffffffffu},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(less); i++) {
    guint32 a = less[i].a, b = less[i].b;
    ck_assert_msg(ns_tcp_seq_lt(a, b), "%u < %u", a, b);
    ck_assert(ns_tcp_seq_le(a, b));
    ck_assert(!ns_tcp_seq_gt(a, b));
    ck_assert(!ns_tcp_seq_ge(a, b));
    ck_assert(ns_tcp_seq_gt(b, a));
    ck_assert(ns_tcp_seq_ge(b, a));
    ck_assert(!ns_tcp_seq_lt(b, a));
    ck_assert(!ns_tcp_seq_le(b, a));
  }
  static const guint32 same[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu};
  for (gsize i = 0; i < G_N_ELEMENTS(same); i++) {
    guint32 a = same[i];
    ck_assert(!ns_tcp_seq_lt(a, a));
    ck_assert(ns_tcp_seq_le(a, a));
    ck_assert(!ns_tcp_seq_gt(a, a));
    ck_assert(ns_tcp_seq_ge(a, a));
  }
  /* A window sliding over the wrap: seq + n stays after seq. */
  guint32 seq = 0xffffff00u;
  for (guint32 n = 1; n < 0x400; n++)
    ck_assert(ns_tcp_seq_lt(seq, seq + n));
}
END_TEST

START_TEST(test_tcp_fuzz) {
  GRand *r = g_rand_new_with_seed(793);
  guint8 buf[NS_TCP_MAX_HLEN + 40];
  /* Option kinds worth drawing often: the ones we know and a few others. */
  static const guint8 kinds[] = {0, 1, 2, 3, 4, 8, 0xfe};
  int accepted = 0;
  for (int i = 0; i < 20000; i++) {
    gsize len = (gsize)g_rand_int_range(r, 0, sizeof buf + 1);
    for (gsize k = 0; k < len; k++)
      buf[k] = (guint8)g_rand_int(r);
    /* Mostly a plausible data offset and an option area of likely kinds
     * and small lengths, so the option walk runs to its edges. */
    if (len > 12 && g_rand_int_range(r, 0, 4) != 0)
      buf[12] = (guint8)(g_rand_int_range(r, 5, 16) << 4);
    for (gsize k = NS_TCP_HLEN; k < len; k++) {
      if (g_rand_boolean(r))
        buf[k] = g_rand_boolean(r)
                     ? kinds[g_rand_int_range(r, 0, G_N_ELEMENTS(kinds))]
                     : (guint8)g_rand_int_range(r, 0, 12);
    }

    guint8 *b = exact(buf, len);
    NsTcpHdr h;
    const char *err = NULL;
    if (ns_tcp_parse(b, len, &h, &err)) {
      accepted++;
      ck_assert_uint_ge(h.hlen, NS_TCP_HLEN);
      ck_assert_uint_le(h.hlen, len);
      ck_assert_uint_eq(h.hlen % 4, 0);
      /* Whatever parsed can be written back and reads the same. */
      guint8 out[NS_TCP_MAX_HLEN];
      NsTcpHdr again = h;
      ns_tcp_emit(out, &again, 0, CLIENT, SERVER);
      NsTcpHdr back;
      ck_assert(ns_tcp_parse(out, again.hlen, &back, NULL));
      assert_hdr_eq(&back, &again);
    } else {
      ck_assert_ptr_nonnull(err);
    }
    (void)ns_tcp_checksum_ok(b, len, CLIENT, SERVER);
    g_free(b);
  }
  /* The loop is only worth its time if both outcomes are common. */
  ck_assert_int_gt(accepted, 2000);
  ck_assert_int_lt(accepted, 18000);
  g_rand_free(r);
}
END_TEST

Suite *test_tcp_suite(void) {
  Suite *s = suite_create("tcp");
  TCase *tc = test_tcase("codec");
  tcase_add_test(tc, test_tcp_known_syn);
  tcase_add_test(tc, test_tcp_known_data);
  tcase_add_test(tc, test_tcp_round_trip_random);
  tcase_add_test(tc, test_tcp_options);
  tcase_add_test(tc, test_tcp_linux_layout);
  tcase_add_test(tc, test_tcp_bad_data_offset);
  tcase_add_test(tc, test_tcp_truncated);
  tcase_add_test(tc, test_tcp_checksum);
  suite_add_tcase(s, tc);
  tc = test_tcase("helpers");
  tcase_add_test(tc, test_tcp_flags_format);
  tcase_add_test(tc, test_tcp_seq_compare);
  suite_add_tcase(s, tc);
  tc = test_tcase("fuzz");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_tcp_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

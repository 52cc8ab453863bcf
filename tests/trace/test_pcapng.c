/* test_pcapng.c — the pcapng writer (src/trace/pcapng.c) and the --pcap
 * file names (src/trace/capture.c).
 *
 * The writer's bytes are parsed back here by a reader written from the
 * pcapng specification, block by block: type, total length at both ends,
 * 32-bit padding, the SHB's magic and version, each IDB's options, each
 * EPB's interface, nanosecond timestamp and data. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "trace/capture.h"
#include "trace/pcapng.h"

typedef struct {
  const guint8 *p; /* the whole file */
  gsize len;
  gsize off; /* next block */
} Reader;

static guint32 u32_at(const guint8 *p) {
  guint32 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static guint16 u16_at(const guint8 *p) {
  guint16 v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* The next block's body (after type and length) and its size; checks the
 * framing every block shares. */
static const guint8 *next_block(Reader *r, guint32 want_type, gsize *body) {
  ck_assert_uint_ge(r->len - r->off, 12);
  const guint8 *b = r->p + r->off;
  ck_assert_uint_eq(u32_at(b), want_type);
  guint32 total = u32_at(b + 4);
  ck_assert_uint_eq(total % 4, 0);
  ck_assert_uint_le(total, r->len - r->off);
  ck_assert_uint_eq(u32_at(b + total - 4), total);
  r->off += total;
  *body = total - 12;
  return b + 8;
}

/* Finds option code in an option list; its value and length, or NULL.
 * Checks the list is well formed and ends with opt_endofopt. */
static const guint8 *find_option(const guint8 *opts, gsize len, guint16 code,
                                 guint16 *vlen) {
  const guint8 *found = NULL;
  gsize off = 0;
  for (;;) {
    ck_assert_uint_le(off + 4, len);
    guint16 c = u16_at(opts + off), l = u16_at(opts + off + 2);
    if (c == NS_PCAPNG_OPT_END) {
      ck_assert_uint_eq(l, 0);
      ck_assert_uint_eq(off + 4, len);
      return found;
    }
    ck_assert_uint_le(off + 4 + l, len);
    if (c == code) {
      found = opts + off + 4;
      *vlen = l;
    }
    off += 4 + ((l + 3u) & ~3u);
  }
}

static void check_idb(Reader *r, const char *name) {
  gsize len;
  const guint8 *b = next_block(r, NS_PCAPNG_IDB, &len);
  ck_assert_uint_eq(u16_at(b), NS_PCAPNG_LINKTYPE_ETHERNET);
  ck_assert_uint_eq(u32_at(b + 4), 65535);
  guint16 vlen = 0;
  const guint8 *v = find_option(b + 8, len - 8, NS_PCAPNG_OPT_IF_NAME, &vlen);
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(vlen, strlen(name));
  ck_assert(memcmp(v, name, vlen) == 0);
  v = find_option(b + 8, len - 8, NS_PCAPNG_OPT_IF_TSRESOL, &vlen);
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(vlen, 1);
  ck_assert_uint_eq(v[0], 9);
}

static void check_epb(Reader *r, guint32 ifid, NsTime ts, const guint8 *data,
                      gsize dlen) {
  gsize len;
  const guint8 *b = next_block(r, NS_PCAPNG_EPB, &len);
  ck_assert_uint_eq(u32_at(b), ifid);
  ck_assert_uint_eq(((guint64)u32_at(b + 4) << 32) | u32_at(b + 8), ts);
  ck_assert_uint_eq(u32_at(b + 12), dlen);
  ck_assert_uint_eq(u32_at(b + 16), dlen);
  ck_assert_uint_eq(len, 20 + ((dlen + 3) & ~(gsize)3));
  ck_assert(memcmp(b + 20, data, dlen) == 0);
  for (gsize i = 20 + dlen; i < len; i++)
    ck_assert_uint_eq(b[i], 0);
}

START_TEST(pcapng_blocks_parse_back) {
  char *buf = NULL;
  size_t size = 0;
  FILE *fp = open_memstream(&buf, &size);
  NsPcapng *w = ns_pcapng_new(fp);
  ck_assert_uint_eq(ns_pcapng_add_interface(w, "h1:eth0--sw1:port1"), 0);
  ck_assert_uint_eq(ns_pcapng_add_interface(w, "r1:eth0--sw1:port12"), 1);
  guint8 frame[61];
  for (guint i = 0; i < sizeof frame; i++)
    frame[i] = (guint8)(i + 1);
  NsTime late = 5000 * NS_SEC + 123; /* over 2^32 ns: the high word is used */
  ns_pcapng_write(w, 1, 7, frame, 60);
  ns_pcapng_write(w, 0, late, frame, sizeof frame);
  ck_assert(ns_pcapng_finish(w, NULL));
  fclose(fp);

  Reader r = {(const guint8 *)buf, size, 0};
  gsize len;
  const guint8 *shb = next_block(&r, NS_PCAPNG_SHB, &len);
  ck_assert_uint_eq(u32_at(shb), NS_PCAPNG_MAGIC);
  ck_assert_uint_eq(u16_at(shb + 4), 1);
  ck_assert_uint_eq(u16_at(shb + 6), 0);
  ck_assert_uint_eq(u32_at(shb + 8), 0xFFFFFFFFu);
  ck_assert_uint_eq(u32_at(shb + 12), 0xFFFFFFFFu);
  guint16 vlen;
  ck_assert_ptr_nonnull(
      find_option(shb + 16, len - 16, NS_PCAPNG_OPT_SHB_USERAPPL, &vlen));
  check_idb(&r, "h1:eth0--sw1:port1");
  check_idb(&r, "r1:eth0--sw1:port12");
  check_epb(&r, 1, 7, frame, 60);
  check_epb(&r, 0, late, frame, sizeof frame);
  ck_assert_uint_eq(r.off, size);
  free(buf);
}
END_TEST

START_TEST(pcapng_write_error_is_reported) {
  FILE *fp = fopen("/dev/full", "w");
  if (fp == NULL)
    return; /* no /dev/full here: nothing to check */
  setvbuf(fp, NULL, _IONBF, 0);
  NsPcapng *w = ns_pcapng_new(fp);
  g_autoptr(GError) error = NULL;
  ck_assert(!ns_pcapng_finish(w, &error));
  ck_assert_ptr_nonnull(error);
  fclose(fp);
}
END_TEST

START_TEST(pcap_file_names) {
  g_autofree char *a = ns_capture_pcap_name("h1:eth0", "sw1:port1");
  ck_assert_str_eq(a, "h1-eth0--sw1-port1.pcap");
  g_autofree char *b = ns_capture_pcap_name("a/b:e th0", "x");
  ck_assert_str_eq(b, "a_b-e_th0--x.pcap");
}
END_TEST

Suite *test_pcapng_suite(void) {
  Suite *s = suite_create("trace_pcapng");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, pcapng_blocks_parse_back);
  tcase_add_test(tc, pcapng_write_error_is_reported);
  tcase_add_test(tc, pcap_file_names);
  suite_add_tcase(s, tc);
  return s;
}

/* test_vxlan.c — the VXLAN codec (RFC 7348): known bytes written by hand,
 * what a receiver refuses (every truncation, the I flag, another VNI, an
 * inner frame too short or too long), reserved bits ignored, and a bounded
 * seeded fuzz of decap on random bytes. */
#include <string.h>

#include "testutil.h"
#include "wire/ethernet.h"
#include "wire/vxlan.h"
#include "wire_harness.h"

/* VNI 42 (0x00002a), then a 14-byte frame: broadcast from
 * 02:00:00:00:00:01, ethertype ARP. */
static const guint8 vni42[22] = {
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x00, /* VXLAN header */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,             /* destination */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,             /* source */
    0x08, 0x06};                                    /* ARP */

START_TEST(test_vxlan_known_bytes) {
  guint8 *b = exact(vni42, sizeof vni42);
  NsVxlanHdr h;
  const char *err = NULL;
  ck_assert_msg(ns_vxlan_parse(b, sizeof vni42, &h, &err), "%s", err);
  ck_assert_uint_eq(h.flags, NS_VXLAN_FLAG_I);
  ck_assert_uint_eq(h.vni, 42);
  guint8 out[NS_VXLAN_HLEN];
  memset(out, 0xee, sizeof out);
  ns_vxlan_emit(out, 42);
  ck_assert_mem_eq(out, vni42, NS_VXLAN_HLEN);
  /* The largest VNI fills all 24 bits and leaves the last byte zero. */
  ns_vxlan_emit(out, NS_VXLAN_VNI_MAX);
  static const guint8 max[NS_VXLAN_HLEN] = {0x08, 0, 0, 0, 0xff, 0xff, 0xff, 0};
  ck_assert_mem_eq(out, max, sizeof max);
  const guint8 *frame = NULL;
  gsize flen = 0;
  ck_assert(ns_vxlan_decap(b, sizeof vni42, 42, 1518, &frame, &flen, &err));
  ck_assert_ptr_eq(frame, b + NS_VXLAN_HLEN);
  ck_assert_uint_eq(flen, NS_ETH_HLEN);
  g_free(b);
}
END_TEST

/* Reserved bits and the other flag bits are ignored on receipt (RFC 7348
 * section 5): the I flag alone decides. */
START_TEST(test_vxlan_reserved_ignored) {
  guint8 buf[sizeof vni42];
  memcpy(buf, vni42, sizeof buf);
  buf[0] = 0xff;
  buf[1] = buf[2] = buf[3] = 0xab;
  buf[7] = 0xcd;
  NsVxlanHdr h;
  ck_assert(ns_vxlan_parse(buf, sizeof buf, &h, NULL));
  ck_assert_uint_eq(h.vni, 42);
  ck_assert_uint_eq(h.flags, 0xff);
  buf[0] = (guint8)~NS_VXLAN_FLAG_I;
  const char *err = NULL;
  ck_assert(!ns_vxlan_parse(buf, sizeof buf, &h, &err));
  ck_assert_str_eq(err, "I flag not set");
}
END_TEST

static const char *decap_why(const guint8 *bytes, gsize len, guint32 vni,
                             gsize max) {
  guint8 *b = exact(bytes, len);
  const guint8 *frame = NULL;
  gsize flen = 0;
  const char *err = NULL;
  gboolean ok = ns_vxlan_decap(b, len, vni, max, &frame, &flen, &err);
  g_free(b);
  return ok ? "ok" : err;
}

START_TEST(test_vxlan_decap_refuses) {
  for (gsize len = 0; len < NS_VXLAN_HLEN; len++)
    ck_assert_str_eq(decap_why(vni42, len, 42, 1518), "truncated header");
  for (gsize len = NS_VXLAN_HLEN; len < sizeof vni42; len++)
    ck_assert_str_eq(decap_why(vni42, len, 42, 1518), "inner frame too short");
  ck_assert_str_eq(decap_why(vni42, sizeof vni42, 42, 1518), "ok");
  ck_assert_str_eq(decap_why(vni42, sizeof vni42, 43, 1518), "wrong VNI");
  ck_assert_str_eq(decap_why(vni42, sizeof vni42, 42, 13),
                   "inner frame too long");
  ck_assert_str_eq(decap_why(vni42, sizeof vni42, 42, 14), "ok");
  guint8 noi[sizeof vni42];
  memcpy(noi, vni42, sizeof noi);
  noi[0] = 0;
  ck_assert_str_eq(decap_why(noi, sizeof noi, 42, 1518), "I flag not set");
  /* NULL is refused as a truncation, never read. */
  const char *err = NULL;
  NsVxlanHdr h;
  ck_assert(!ns_vxlan_parse(NULL, 0, &h, &err));
  ck_assert_str_eq(err, "truncated header");
}
END_TEST

/* Random datagrams: decap never reads past len, and what it accepts is
 * consistent with the bytes; an emitted header round-trips. */
START_TEST(test_vxlan_fuzz) {
  GRand *r = g_rand_new_with_seed(7348);
  guint8 buf[NS_VXLAN_HLEN + 64];
  for (guint round = 0; round < 3000; round++) {
    guint32 vni = (guint32)g_rand_int_range(r, 0, NS_VXLAN_VNI_MAX + 1);
    ns_vxlan_emit(buf, vni);
    NsVxlanHdr h;
    ck_assert(ns_vxlan_parse(buf, NS_VXLAN_HLEN, &h, NULL));
    ck_assert_uint_eq(h.vni, vni);

    gsize len = (gsize)g_rand_int_range(r, 0, (gint32)sizeof buf + 1);
    for (gsize i = 0; i < len; i++)
      buf[i] = (guint8)g_rand_int(r);
    if (len >= NS_VXLAN_HLEN && g_rand_boolean(r))
      ns_vxlan_emit(buf, 42);
    guint8 *b = exact(buf, len);
    const guint8 *frame = NULL;
    gsize flen = 0;
    if (ns_vxlan_decap(b, len, 42, 40, &frame, &flen, NULL)) {
      ck_assert(b[0] & NS_VXLAN_FLAG_I);
      ck_assert_uint_eq(ns_load32(b + 4) >> 8, 42);
      ck_assert_uint_eq(flen, len - NS_VXLAN_HLEN);
      ck_assert(flen >= NS_ETH_HLEN && flen <= 40);
    }
    g_free(b);
  }
  g_rand_free(r);
}
END_TEST

Suite *test_vxlan_suite(void) {
  Suite *s = suite_create("vxlan");
  TCase *tc = test_tcase("vxlan");
  tcase_add_test(tc, test_vxlan_known_bytes);
  tcase_add_test(tc, test_vxlan_reserved_ignored);
  tcase_add_test(tc, test_vxlan_decap_refuses);
  tcase_add_test(tc, test_vxlan_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

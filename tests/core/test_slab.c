/* test_slab.c — core/slab.h: blocks zeroed, given back and reused, resized
 * with their bytes kept, malloc's when there is no slab or when big. */
#include <check.h>
#include <string.h>

#include "core/slab.h"
#include "testutil.h"

static gboolean all_are(const guint8 *p, gsize n, guint8 byte) {
  for (gsize i = 0; i < n; i++)
    if (p[i] != byte)
      return FALSE;
  return TRUE;
}

static gboolean all_zero(const guint8 *p, gsize n) { return all_are(p, n, 0); }

/* Slab or not (NULL), under AddressSanitizer or not: what every caller
 * may count on. */
static void check_contract(NsSlab *s) {
  guint8 *a = ns_slab_alloc0(s, 20);
  ck_assert(all_zero(a, 20));
  memset(a, 0xab, 20);
  /* Given back dirty, a block comes out zeroed again. */
  ns_slab_release(s, a, 20);
  guint8 *b = ns_slab_alloc0(s, 20);
  ck_assert(all_zero(b, 20));
  /* Growing keeps the bytes and zeroes the new ones. */
  memset(b, 0x5a, 20);
  b = ns_slab_resize(s, b, 20, 100);
  for (guint i = 0; i < 20; i++)
    ck_assert_uint_eq(b[i], 0x5a);
  ck_assert(all_zero(b + 20, 80));
  /* Shrinking keeps the first bytes; growing back finds zeroes. */
  b = ns_slab_resize(s, b, 100, 3);
  ck_assert_uint_eq(b[0], 0x5a);
  ck_assert_uint_eq(b[2], 0x5a);
  b = ns_slab_resize(s, b, 3, 7);
  ck_assert_uint_eq(b[2], 0x5a);
  ck_assert(all_zero(b + 3, 4));
  /* Across the big-block line and back. */
  b = ns_slab_resize(s, b, 7, NS_SLAB_MAX + 100);
  ck_assert_uint_eq(b[1], 0x5a);
  ck_assert(all_zero(b + 3, NS_SLAB_MAX + 97));
  b = ns_slab_resize(s, b, NS_SLAB_MAX + 100, 5);
  ck_assert_uint_eq(b[2], 0x5a);
  ns_slab_release(s, b, 5);
  /* From nothing, and giving back nothing. */
  guint8 *c = ns_slab_resize(s, NULL, 0, 16);
  ck_assert(all_zero(c, 16));
  ns_slab_release(s, c, 16);
  ns_slab_release(s, NULL, 16);
}

START_TEST(test_contract_without_slab) { check_contract(NULL); }
END_TEST

START_TEST(test_contract_with_slab) {
  NsSlab *s = ns_slab_new();
  check_contract(s);
  ns_slab_free(s);
}
END_TEST

/* Many blocks of mixed sizes live at once: none overlaps another, each
 * keeps what was written in it, and the bytes given out are counted. */
START_TEST(test_blocks_do_not_overlap) {
  NsSlab *s = ns_slab_new();
  enum { N = 5000 };
  guint8 **p = g_new(guint8 *, N);
  gsize *size = g_new(gsize, N);
  for (guint i = 0; i < N; i++) {
    size[i] = 1 + (i * 37) % (NS_SLAB_MAX + 64); /* some big ones too */
    p[i] = ns_slab_alloc0(s, size[i]);
    memset(p[i], (int)(i & 0xff), size[i]);
  }
  /* Every other block back, then as many again: free lists reused. */
  for (guint i = 0; i < N; i += 2)
    ns_slab_release(s, p[i], size[i]);
  gsize chunks = ns_slab_chunk_bytes(s);
  for (guint i = 0; i < N; i += 2) {
    p[i] = ns_slab_alloc0(s, size[i]);
    ck_assert(all_zero(p[i], size[i]));
    memset(p[i], (int)(i & 0xff), size[i]);
  }
  /* The same sizes again fit in the blocks given back. */
  ck_assert_uint_eq(ns_slab_chunk_bytes(s), chunks);
  for (guint i = 0; i < N; i++)
    ck_assert_msg(all_are(p[i], size[i], i & 0xff), "block %u overwritten", i);
#if !defined(__SANITIZE_ADDRESS__)
  gsize small = 0;
  for (guint i = 0; i < N; i++)
    if (size[i] <= NS_SLAB_MAX)
      small += (size[i] + 7) / 8 * 8;
  ck_assert_uint_eq(ns_slab_used_bytes(s), small);
  ck_assert_uint_ge(ns_slab_chunk_bytes(s), small);
#endif
  for (guint i = 0; i < N; i++)
    ns_slab_release(s, p[i], size[i]);
  ck_assert_uint_eq(ns_slab_used_bytes(s), 0);
  g_free(p);
  g_free(size);
  ns_slab_free(s);
}
END_TEST

Suite *test_slab_suite(void) {
  Suite *s = suite_create("slab");
  TCase *tc = tcase_create("blocks");
  tcase_add_test(tc, test_contract_without_slab);
  tcase_add_test(tc, test_contract_with_slab);
  tcase_add_test(tc, test_blocks_do_not_overlap);
  suite_add_tcase(s, tc);
  return s;
}

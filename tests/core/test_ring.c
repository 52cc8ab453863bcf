/* test_ring.c — core/ring: the byte queue under TCP's buffers. */
#include <string.h>

#include "core/ring.h"
#include "testutil.h"

START_TEST(ring_push_takes_only_what_fits) {
  NsRing r;
  ns_ring_init(&r, 8);
  ck_assert_uint_eq(ns_ring_push(&r, (const guint8 *)"abcdef", 6), 6);
  ck_assert_uint_eq(ns_ring_push(&r, (const guint8 *)"ghijk", 5), 2);
  ck_assert_uint_eq(ns_ring_len(&r), 8);
  ck_assert_uint_eq(ns_ring_space(&r), 0);
  guint8 out[8];
  ck_assert_uint_eq(ns_ring_pop(&r, out, sizeof out), 8);
  ck_assert_mem_eq(out, "abcdefgh", 8);
  ck_assert_uint_eq(ns_ring_pop(&r, out, 1), 0);
  ns_ring_clear(&r);
  ck_assert_ptr_null(r.buf);
}
END_TEST

START_TEST(ring_wraps_around) {
  NsRing r;
  ns_ring_init(&r, 5);
  guint8 out[5];
  ns_ring_push(&r, (const guint8 *)"abc", 3);
  ck_assert_uint_eq(ns_ring_pop(&r, NULL, 2), 2); /* dropped unread */
  /* "c" at index 2; "defg" wraps past the end of the storage. */
  ck_assert_uint_eq(ns_ring_push(&r, (const guint8 *)"defg", 4), 4);
  ns_ring_peek(&r, 1, out, 4);
  ck_assert_mem_eq(out, "defg", 4);
  ns_ring_peek(&r, 0, out, 5);
  ck_assert_mem_eq(out, "cdefg", 5);
  ck_assert_uint_eq(ns_ring_len(&r), 5); /* peek consumes nothing */
  ck_assert_uint_eq(ns_ring_pop(&r, out, 3), 3);
  ck_assert_mem_eq(out, "cde", 3);
  ck_assert_uint_eq(ns_ring_pop(&r, out, 9), 2);
  ck_assert_mem_eq(out, "fg", 2);
  ck_assert_uint_eq(r.head, 0); /* empty: back to the start */
  ns_ring_clear(&r);
}
END_TEST

/* Storage comes with the bytes, not with the bound; a raised bound lets
 * more in, the bytes stay in order across the move to a larger block. */
START_TEST(ring_allocates_on_demand) {
  NsRing r;
  ns_ring_init(&r, 1 << 20);
  ck_assert_ptr_null(r.buf);
  ck_assert_uint_eq(ns_ring_space(&r), 1 << 20);
  guint8 in[10000], out[10000];
  for (guint i = 0; i < sizeof in; i++)
    in[i] = (guint8)(i * 7);
  ck_assert_uint_eq(ns_ring_push(&r, in, 3000), 3000);
  ck_assert_uint_eq(r.alloc, 4096);
  ck_assert_uint_eq(ns_ring_pop(&r, out, 2000), 2000); /* head moves on */
  ck_assert_uint_eq(ns_ring_push(&r, in + 3000, 7000), 7000);
  ck_assert_uint_eq(r.alloc, 8192); /* 8000 bytes held */
  ns_ring_peek(&r, 0, out, 8000);
  ck_assert_mem_eq(out, in + 2000, 8000);
  ns_ring_clear(&r);
  /* A bound raised bit by bit does not regrow the block at each step. */
  ns_ring_init(&r, 8192);
  ck_assert_uint_eq(ns_ring_push(&r, in, 8192), 8192);
  ck_assert_uint_eq(ns_ring_push(&r, in, 1), 0);
  ns_ring_set_cap(&r, 8192 + 100);
  ck_assert_uint_eq(ns_ring_push(&r, in, 1000), 100);
  gsize alloc = r.alloc;
  ck_assert_uint_ge(alloc, 8192 + 8192 / 4);
  ns_ring_set_cap(&r, 8192 + 200);
  ck_assert_uint_eq(ns_ring_push(&r, in, 1000), 100);
  ck_assert_uint_eq(r.alloc, alloc);
  ck_assert_uint_eq(ns_ring_len(&r), 8392);
  ns_ring_clear(&r);
}
END_TEST

Suite *test_ring_suite(void) {
  Suite *s = suite_create("ring");
  TCase *tc = test_tcase("ring");
  tcase_add_test(tc, ring_push_takes_only_what_fits);
  tcase_add_test(tc, ring_wraps_around);
  tcase_add_test(tc, ring_allocates_on_demand);
  suite_add_tcase(s, tc);
  return s;
}

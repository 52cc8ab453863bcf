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

/* Growing a ring whose bytes wrap past the end of its block keeps them
 * in order, whether the wrapped start moves after the old end or (when
 * the block grows by less than that start, near the bound) the head's run
 * moves to the new end. */
START_TEST(ring_grows_when_wrapped) {
  static const struct {
    gsize popped, pushed; /* before the grow, in a 4096-byte block */
    gsize cap, more;      /* the bound, and what goes in after */
  } cases[] = {{4000, 4000, 1 << 20, 9000}, {100, 4090, 1 << 20, 9000},
               {2048, 4096, 1 << 20, 9000}, {1000, 4096, 4500, 404},
               {3000, 4000, 4200, 200},     {4095, 4096, 4097, 1}};
  guint8 in[20000], out[20000];
  for (guint i = 0; i < sizeof in; i++)
    in[i] = (guint8)(i * 7 + i / 256);
  for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
    NsRing r;
    ns_ring_init(&r, cases[k].cap);
    gsize first = cases[k].popped + 1;
    ck_assert_uint_eq(ns_ring_push(&r, in, first), first);
    ck_assert_uint_eq(ns_ring_pop(&r, NULL, cases[k].popped), cases[k].popped);
    /* One byte left at head = popped; fill the block so it wraps. */
    gsize fill = cases[k].pushed - 1;
    ck_assert_uint_eq(ns_ring_push(&r, in + first, fill), fill);
    ck_assert_uint_eq(r.alloc, 4096);
    /* Now past the block: it grows with the bytes wrapped. */
    gsize more = cases[k].more;
    ck_assert_uint_eq(ns_ring_push(&r, in + first + fill, more), more);
    ck_assert_uint_gt(r.alloc, 4096);
    gsize len = ns_ring_len(&r);
    ck_assert_uint_eq(len, cases[k].pushed + more);
    ns_ring_peek(&r, 0, out, len);
    ck_assert_mem_eq(out, in + cases[k].popped, len);
    ck_assert_uint_eq(ns_ring_pop(&r, out, len), len);
    ck_assert_mem_eq(out, in + cases[k].popped, len);
    ns_ring_clear(&r);
  }
}
END_TEST

Suite *test_ring_suite(void) {
  Suite *s = suite_create("ring");
  TCase *tc = test_tcase("ring");
  tcase_add_test(tc, ring_push_takes_only_what_fits);
  tcase_add_test(tc, ring_wraps_around);
  tcase_add_test(tc, ring_allocates_on_demand);
  tcase_add_test(tc, ring_grows_when_wrapped);
  suite_add_tcase(s, tc);
  return s;
}

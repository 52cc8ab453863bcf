/* test_frame.c — core/frame: references, copy on write, lengths. */
#include <string.h>

#include "core/frame.h"
#include "testutil.h"

START_TEST(frame_refcount) {
  NsFrame *f = ns_frame_new(42, 7);
  ck_assert_uint_eq(f->len, 42);
  ck_assert_uint_eq(f->id, 7);
  ck_assert_uint_eq(f->data[41], 0);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup + 1);
  NsFrame *g = ns_frame_ref(f);
  ck_assert_ptr_eq(f, g);
  ns_frame_unref(g);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup + 1);
  ns_frame_unref(f);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}
END_TEST

START_TEST(frame_writable_copies_only_when_shared) {
  guint8 bytes[60];
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)i;
  NsFrame *f = ns_frame_new_from(bytes, sizeof bytes, 3);
  guint64 copies = ns_frame_copy_count();
  NsFrame *w = ns_frame_make_writable(f);
  ck_assert_ptr_eq(w, f); /* sole owner: no copy */
  ck_assert_uint_eq(ns_frame_copy_count(), copies);
  NsFrame *other = ns_frame_ref(w);
  NsFrame *w2 = ns_frame_make_writable(w);
  ck_assert_ptr_ne(w2, other); /* shared: private copy */
  ck_assert_uint_eq(ns_frame_copy_count(), copies + 1);
  ck_assert_uint_eq(other->refs, 1);
  ck_assert_uint_eq(w2->id, 3);
  ck_assert_mem_eq(w2->data, bytes, sizeof bytes);
  w2->data[0] = 0xAA;
  ck_assert_uint_eq(other->data[0], 0); /* the other holder is untouched */
  ns_frame_unref(w2);
  ns_frame_unref(other);
}
END_TEST

START_TEST(frame_autoptr_and_len) {
  g_autoptr(NsFrame) f = ns_frame_new(20, 1);
  ns_frame_set_len(f, 60);
  ck_assert_uint_eq(f->len, 60);
  ck_assert_uint_eq(f->data[59], 0);
}
END_TEST

START_TEST(frame_holds_a_tagged_full_size_frame) {
  /* 1500-byte MTU + 14-byte header + a 4-byte 802.1Q tag. */
  ck_assert_uint_eq(NS_FRAME_MAX, 1518);
  NsFrame *f = ns_frame_new(NS_FRAME_MAX, 9);
  ck_assert_uint_eq(f->len, 1518);
  ck_assert_uint_eq(f->data[1517], 0);
  ns_frame_unref(f);
}
END_TEST

START_TEST(frame_unfilled_then_zeroed_again) {
  /* A buffer written all over, freed, then taken again (the pool hands it
   * back in plain builds): unfilled, it is a frame like any other; a
   * plain ns_frame_new is zero-filled whatever the buffer held. */
  NsFrame *f = ns_frame_new_unfilled(100, 5);
  ck_assert_uint_eq(f->len, 100);
  ck_assert_uint_eq(f->id, 5);
  ck_assert_uint_eq(f->refs, 1);
  ck_assert(!f->csum_ok);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup + 1);
  memset(f->data, 0xff, f->len);
  f->csum_ok = TRUE;
  ns_frame_unref(f);
  NsFrame *g = ns_frame_new(100, 6);
  ck_assert(!g->csum_ok);
  for (guint i = 0; i < g->len; i++)
    ck_assert_uint_eq(g->data[i], 0);
  ns_frame_unref(g);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}
END_TEST

Suite *test_frame_suite(void) {
  Suite *s = suite_create("frame");
  TCase *tc = test_tcase("frame");
  tcase_add_test(tc, frame_refcount);
  tcase_add_test(tc, frame_writable_copies_only_when_shared);
  tcase_add_test(tc, frame_autoptr_and_len);
  tcase_add_test(tc, frame_holds_a_tagged_full_size_frame);
  tcase_add_test(tc, frame_unfilled_then_zeroed_again);
  suite_add_tcase(s, tc);
  return s;
}

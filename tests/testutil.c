/* testutil.c — shared helpers for the check suites. */
#include "testutil.h"

gint64 test_frames_at_setup;

void test_frames_setup(void) { test_frames_at_setup = ns_frame_live_count(); }

void test_frames_teardown(void) {
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}

TCase *test_tcase(const char *name) {
  TCase *tc = tcase_create(name);
  tcase_add_checked_fixture(tc, test_frames_setup, test_frames_teardown);
  return tc;
}

/* testutil.c — shared helpers for the check suites. */
#include "testutil.h"

gint64 test_frames_at_setup;

void test_frames_setup(void) { test_frames_at_setup = ns_frame_live_count(); }

void test_frames_teardown(void) {
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}

/* check's 4 s default only guards against a hang; a loaded machine (two
 * sanitizer builds side by side on two cores) can take longer for the big
 * randomised cases, and no test may fail on timing.  A TCase that needs
 * more still sets its own. */
#define TEST_TCASE_TIMEOUT_S 30

TCase *test_tcase(const char *name) {
  TCase *tc = tcase_create(name);
  tcase_set_timeout(tc, TEST_TCASE_TIMEOUT_S);
  tcase_add_checked_fixture(tc, test_frames_setup, test_frames_teardown);
  return tc;
}

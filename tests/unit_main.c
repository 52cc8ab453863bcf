/* unit_main.c — the one runner for every check suite.
 *
 * The suites come from tests/suites.h, which make writes from the test
 * sources (every `Suite *test_NAME_suite(void) {` definition), so adding
 * a suite never edits this file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static Suite *(*const suites[])(void) = {
#define NS_SUITE(fn) fn,
#include "suites.h"
#undef NS_SUITE
};

int main(void) {
  SRunner *sr = srunner_create(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(suites); i++)
    srunner_add_suite(sr, suites[i]());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  int run = srunner_ntests_run(sr);
  srunner_free(sr);
  /* The closing line CI and people read. */
  printf("unit: %d passed, %d failed\n", run - failed, failed);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

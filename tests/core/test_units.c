/* test_units.c — core/units: bit rates and loss probabilities. */
#include <string.h>

#include "core/units.h"
#include "testutil.h"

START_TEST(rate_and_loss) {
  guint64 r;
  double l;
  char buf[NS_RATE_STRLEN];
  ck_assert(ns_rate_parse("100Mbit", &r, NULL) && r == 100000000);
  ck_assert(ns_rate_parse("1.5Mbit/s", &r, NULL) && r == 1500000);
  ck_assert(ns_rate_parse("10kbps", &r, NULL) && r == 10000);
  ck_assert(ns_rate_parse("1GBIT", &r, NULL) && r == 1000000000);
  ck_assert(ns_rate_parse("1500bit", &r, NULL) && r == 1500);
  ck_assert(ns_rate_parse("0", &r, NULL) && r == 0);
  ck_assert(ns_rate_parse("unlimited", &r, NULL) && r == 0);
  ck_assert(ns_rate_parse("1000Gbit", &r, NULL) && r == NS_RATE_MAX);
  static const char *bad_rates[] = {
      "",          "10",      "10Mb",
      "Mbit",      "-1Mbit",  "1001Gbit",
      "0.0001bit", "10 Mbit", "99999999999999999999Gbit"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad_rates); i++) {
    GError *e = NULL;
    ck_assert_msg(!ns_rate_parse(bad_rates[i], &r, &e), "took '%s'",
                  bad_rates[i]);
    ck_assert(strstr(e->message, "is not a rate") != NULL);
    g_error_free(e);
  }
  ck_assert_str_eq(ns_rate_format(0, buf), "unlimited");
  ck_assert_str_eq(ns_rate_format(100000000, buf), "100Mbit/s");
  ck_assert_str_eq(ns_rate_format(1500000000, buf), "1.5Gbit/s");
  ck_assert_str_eq(ns_rate_format(1250, buf), "1.25kbit/s");
  ck_assert_str_eq(ns_rate_format(999, buf), "999bit/s");
  /* What is printed parses back to the same rate. */
  guint64 back;
  ck_assert(ns_rate_parse(ns_rate_format(1500000, buf), &back, NULL) &&
            back == 1500000);
  ck_assert(ns_loss_parse("0.25", &l, NULL) && l == 0.25);
  ck_assert(ns_loss_parse("10%", &l, NULL) && l > 0.0999 && l < 0.1001);
  ck_assert(ns_loss_parse("1", &l, NULL) && l == 1.0);
  ck_assert(ns_loss_parse("0", &l, NULL) && l == 0.0);
  ck_assert(!ns_loss_parse("1.5", &l, NULL));
  ck_assert(!ns_loss_parse("101%", &l, NULL));
  ck_assert(!ns_loss_parse("-0.1", &l, NULL));
  ck_assert(!ns_loss_parse("0.1x", &l, NULL));
  ck_assert(!ns_loss_parse("%", &l, NULL));
}
END_TEST

Suite *test_units_suite(void) {
  Suite *s = suite_create("units");
  TCase *tc = test_tcase("units");
  tcase_add_test(tc, rate_and_loss);
  suite_add_tcase(s, tc);
  return s;
}

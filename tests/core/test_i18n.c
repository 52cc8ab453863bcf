/* test_i18n.c — core/i18n: reasons in two languages through the log. */
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "testutil.h"

/* The unit tests run without a catalogue: every message is its msgid, and
 * a reason is the English text alone, byte for byte. */
START_TEST(why_untranslated_is_plain) {
  char buf[NS_WHY_MAX];
  ns_why_printf(buf, sizeof buf, N_("%s & %s = %s"), "10.0.0.1", "255.0.0.0",
                "10.0.0.0");
  ck_assert_str_eq(buf, "10.0.0.1 & 255.0.0.0 = 10.0.0.0");
  g_autofree char *dup = ns_why_strdup_printf(N_("port %u"), 3u);
  ck_assert_str_eq(dup, "port 3");
  NsWhy w;
  ns_why_init(&w);
  ns_why_add(&w, N_("%s matches %s"), "a", "b");
  ns_why_add(&w, N_(", %s"), "c");
  g_autofree char *built = ns_why_finish(&w);
  ck_assert_str_eq(built, "a matches b, c");
  ck_assert_ptr_null(strchr(built, NS_WHY_SEP));
}
END_TEST

/* A packed reason splits at the separator; a plain one is both halves. */
START_TEST(why_split) {
  g_autoptr(GString) scratch = g_string_new(NULL);
  const char *en = NULL;
  const char *packed = "the link is down\x1f链路已断开";
  const char *local = ns_why_split(packed, scratch, &en);
  ck_assert_str_eq(en, "the link is down");
  ck_assert_str_eq(local, "链路已断开");
  const char *plain = "no route";
  ck_assert_ptr_eq(ns_why_split(plain, scratch, &en), plain);
  ck_assert_ptr_eq(en, plain);
}
END_TEST

static void keep_sink(const NsLogEvent *ev, gpointer data) {
  GPtrArray *seen = data;
  g_ptr_array_add(seen, g_strdup_printf("%s|%s", ev->why ? ev->why : "-",
                                        ev->why_local ? ev->why_local : "-"));
}

/* Sinks get the English reason as why and the translation as why_local;
 * a plain reason is both; no reason, neither. */
START_TEST(log_hands_both_languages) {
  NsLog *log = ns_log_new();
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  ns_log_add_explained_sink(log, keep_sink, seen, NULL);
  ns_log_event(log, 1, "h1", "link/drop", 1, "the link is down\x1f链路已断开",
               "dropped");
  ns_log_event(log, 2, "h1", "link/drop", 2, "no route", "dropped");
  ns_log_event(log, 3, "h1", "link/drop", 3, NULL, "dropped");
  ck_assert_uint_eq(seen->len, 3);
  ck_assert_str_eq(g_ptr_array_index(seen, 0), "the link is down|链路已断开");
  ck_assert_str_eq(g_ptr_array_index(seen, 1), "no route|no route");
  ck_assert_str_eq(g_ptr_array_index(seen, 2), "-|-");
  ns_log_free(log);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

Suite *test_i18n_suite(void) {
  Suite *s = suite_create("i18n");
  TCase *tc = test_tcase("i18n");
  tcase_add_test(tc, why_untranslated_is_plain);
  tcase_add_test(tc, why_split);
  tcase_add_test(tc, log_hands_both_languages);
  suite_add_tcase(s, tc);
  return s;
}

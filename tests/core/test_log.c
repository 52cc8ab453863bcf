/* test_log.c — core/log: sinks, explanations, long summaries. */
#include <string.h>

#include "core/log.h"
#include "testutil.h"

static void count_sink(const NsLogEvent *ev, gpointer data) {
  GPtrArray *seen = data;
  g_ptr_array_add(seen, g_strdup_printf("%s|%s|%s", ev->event, ev->summary,
                                        ev->why ? ev->why : "-"));
}

START_TEST(log_sinks_and_explain) {
  NsLog *log = ns_log_new();
  ck_assert(!ns_log_on(log));
  ck_assert(!ns_log_explain(log));
  ns_log_set_explain(log, TRUE);
  ck_assert(!ns_log_explain(log)); /* nobody listens: nothing to explain */
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  ns_log_add_sink(log, count_sink, seen, NULL);
  ck_assert(ns_log_on(log));
  ck_assert(ns_log_explain(log));
  ns_log_printf(log, 5, "sw1", "switch/learn", 3, "because", "mac %d", 42);
  ns_log_set_explain(log, FALSE);
  ns_log_event(log, 6, "sw1", "switch/flood", 3, "hidden", "to ports 2,3");
  ck_assert_uint_eq(seen->len, 2);
  ck_assert_str_eq(g_ptr_array_index(seen, 0), "switch/learn|mac 42|because");
  ck_assert_str_eq(g_ptr_array_index(seen, 1), "switch/flood|to ports 2,3|-");
  ck_assert_uint_eq(ns_log_count(log), 2);
  ns_log_free(log);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

static void keep_summary(const NsLogEvent *ev, gpointer data) {
  g_string_assign(data, ev->summary);
}

START_TEST(log_printf_does_not_truncate) {
  NsLog *log = ns_log_new();
  GString *got = g_string_new(NULL);
  ns_log_add_sink(log, keep_summary, got, NULL);
  /* Around the 512-byte stack buffer and far beyond it. */
  static const gsize sizes[] = {10, 510, 511, 512, 513, 4000};
  for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
    char *long_text = g_strnfill(sizes[i], 'x');
    ns_log_printf(log, 1, "h1", "test/long", 0, NULL, "<%s>%d", long_text, 7);
    ck_assert_uint_eq(got->len, sizes[i] + 3);
    ck_assert(got->str[0] == '<' && got->str[sizes[i] + 1] == '>');
    ck_assert(got->str[sizes[i] + 2] == '7');
    g_free(long_text);
  }
  ns_log_free(log);
  g_string_free(got, TRUE);
}
END_TEST

Suite *test_log_suite(void) {
  Suite *s = suite_create("log");
  TCase *tc = test_tcase("log");
  tcase_add_test(tc, log_sinks_and_explain);
  tcase_add_test(tc, log_printf_does_not_truncate);
  suite_add_tcase(s, tc);
  return s;
}

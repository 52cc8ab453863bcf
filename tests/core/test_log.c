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

static void count_destroy(gpointer data) { (*(guint *)data)++; }
static void ignore_event(const NsLogEvent *ev, gpointer data) {
  (void)ev;
  (*(guint *)data) += 100;
}

/* Closing lets every sink go at once (its destroy runs once, not again at
 * the free) and nothing is logged after. */
START_TEST(log_close_lets_the_sinks_go) {
  NsLog *log = ns_log_new();
  guint a = 0, b = 0;
  ns_log_add_sink(log, ignore_event, &a, count_destroy);
  ns_log_add_explained_sink(log, ignore_event, &b, count_destroy);
  ck_assert(ns_log_explain(log));
  ns_log_event(log, 1, "h1", "ip/send", 1, NULL, "before");
  ck_assert_uint_eq(a, 100);
  ns_log_close(log);
  ck_assert_uint_eq(a, 101);
  ck_assert_uint_eq(b, 101);
  ck_assert(!ns_log_on(log));
  ck_assert(!ns_log_explain(log));
  ns_log_event(log, 2, "h1", "ip/send", 2, NULL, "after");
  ns_log_free(log);
  ck_assert_uint_eq(a, 101);
  ck_assert_uint_eq(b, 101);
}
END_TEST

/* An explain-only event reaches the sinks that get reasons: the explained
 * sink always, the plain one only with explain on. */
START_TEST(log_explain_only_events) {
  NsLog *log = ns_log_new();
  GPtrArray *plain = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *explained = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
  ns_log_add_sink(log, count_sink, plain, NULL);
  /* the --html replay: every reason, but the explain-only events only
   * with -e; `expect log`: those too */
  ns_log_add_explained_sink(log, count_sink, explained, NULL);
  ns_log_add_sink_flags(log, count_sink, all, NULL,
                        NS_SINK_EXPLAINED | NS_SINK_EXPLAIN_ONLY);
  ck_assert(ns_log_explain(log));
  ns_log_explain_printf(log, 1, "h1", "arp/hit", 2, "cached", "hit %d", 1);
  ns_log_printf(log, 2, "h1", "arp/miss", 3, "why", "miss");
  ck_assert_uint_eq(plain->len, 1);
  ck_assert_str_eq(g_ptr_array_index(plain, 0), "arp/miss|miss|-");
  ck_assert_uint_eq(explained->len, 1);
  ck_assert_str_eq(g_ptr_array_index(explained, 0), "arp/miss|miss|why");
  ck_assert_uint_eq(all->len, 2);
  ck_assert_str_eq(g_ptr_array_index(all, 0), "arp/hit|hit 1|cached");
  ns_log_set_explain(log, TRUE);
  ns_log_explain_printf(log, 3, "h1", "arp/hit", 4, "cached", "hit %d", 2);
  ck_assert_uint_eq(plain->len, 2);
  ck_assert_str_eq(g_ptr_array_index(plain, 1), "arp/hit|hit 2|cached");
  ck_assert_uint_eq(explained->len, 2);
  ck_assert_uint_eq(all->len, 3);
  ck_assert_uint_eq(ns_log_count(log), 3);
  ns_log_free(log);
  g_ptr_array_free(plain, TRUE);
  g_ptr_array_free(explained, TRUE);
  g_ptr_array_free(all, TRUE);
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
  tcase_add_test(tc, log_explain_only_events);
  tcase_add_test(tc, log_close_lets_the_sinks_go);
  suite_add_tcase(s, tc);
  return s;
}

/* test_logfilter.c — core/logfilter: --only, --node and --brief as one
 * filter in the event stream; its errors; the event names against
 * README's table of events. */
#include <string.h>

#include "core/logfilter.h"
#include "testutil.h"

static gboolean passes(const NsLogFilter *f, const char *node,
                       const char *event) {
  NsLogEvent ev = {.node = node, .event = event, .summary = "x"};
  return ns_log_filter_pass(f, &ev);
}

START_TEST(filter_only_families_and_prefixes) {
  g_autoptr(NsLogFilter) f = ns_log_filter_new();
  ck_assert(ns_log_filter_is_empty(f));
  ck_assert(passes(f, "h1", "tcp/state"));
  ck_assert(ns_log_filter_add_only(f, "arp, switch/igmp", NULL));
  ck_assert(!ns_log_filter_is_empty(f));
  ck_assert(passes(f, "h1", "arp/request"));
  ck_assert(passes(f, "r1", "arp/release"));
  ck_assert(passes(f, "sw1", "switch/igmp-join"));
  ck_assert(!passes(f, "sw1", "switch/flood"));
  ck_assert(!passes(f, "h1", "ip/send"));
  /* a family is a whole word: "ar" is none */
  g_autoptr(GError) error = NULL;
  ck_assert(!ns_log_filter_add_only(f, "ar", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "'ar' is no event family"));
  ck_assert_ptr_nonnull(strstr(error->message, "did you mean 'arp'?"));
}
END_TEST

START_TEST(filter_errors_name_the_word) {
  g_autoptr(NsLogFilter) f = ns_log_filter_new();
  GError *error = NULL;
  ck_assert(!ns_log_filter_add_only(f, "arp,swtich", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "did you mean 'switch'?"));
  ck_assert_ptr_nonnull(strstr(error->message, "families: switch, link, arp"));
  g_clear_error(&error);
  /* nothing of a failed list was added */
  ck_assert(ns_log_filter_is_empty(f));
  ck_assert(!ns_log_filter_add_only(f, "arp/relase", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "did you mean 'arp/release'?"));
  g_clear_error(&error);
  ck_assert(!ns_log_filter_add_only(f, "arp,,ip", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "empty"));
  g_clear_error(&error);
  const char *const names[] = {"h1", "h2", "sw1", NULL};
  ck_assert(!ns_log_filter_add_nodes(f, "h1,hh2", names, &error));
  ck_assert_str_eq(error->message,
                   "'hh2' is not a node (did you mean 'h2'?); nodes: h1, h2, "
                   "sw1");
  g_clear_error(&error);
  ck_assert(ns_log_filter_is_empty(f));
}
END_TEST

START_TEST(filter_nodes_and_brief) {
  g_autoptr(NsLogFilter) f = ns_log_filter_new();
  const char *const names[] = {"h1", "h2", "sw1", NULL};
  ck_assert(ns_log_filter_add_nodes(f, "h1", names, NULL));
  ck_assert(ns_log_filter_add_nodes(f, "sw1,h2", names, NULL));
  ck_assert(passes(f, "h1", "arp/release"));
  ck_assert(passes(f, "sw1", "switch/flood"));
  ck_assert(!passes(f, "h3", "ip/send"));
  ck_assert(!passes(f, "sim", "clock/behind"));
  ns_log_filter_set_brief(f, TRUE);
  ck_assert(!passes(f, "h1", "arp/release"));
  ck_assert(!passes(f, "h1", "arp/hit"));
  ck_assert(passes(f, "h1", "arp/request"));
  /* an event the table does not know is never bookkeeping */
  ck_assert(passes(f, "h1", "new/event"));
}
END_TEST

static void collect(const NsLogEvent *ev, gpointer data) {
  g_ptr_array_add(data, g_strdup(ev->event));
}

/* One filter for every display sink; the unfiltered sink (the memory
 * behind `expect log`) sees everything. */
START_TEST(filter_in_the_stream) {
  NsLog *log = ns_log_new();
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) replay = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) memory = g_ptr_array_new_with_free_func(g_free);
  ns_log_add_sink(log, collect, shown, NULL);
  ns_log_add_explained_sink(log, collect, replay, NULL);
  ns_log_add_sink_flags(log, collect, memory, NULL,
                        NS_SINK_EXPLAINED | NS_SINK_UNFILTERED);
  NsLogFilter *f = ns_log_filter_new();
  ck_assert(ns_log_filter_add_only(f, "arp", NULL));
  ns_log_set_filter(log, f);
  ns_log_event(log, 1, "h1", "ip/send", 1, NULL, "s");
  ns_log_event(log, 2, "h1", "arp/miss", 1, NULL, "s");
  ck_assert_uint_eq(shown->len, 1);
  ck_assert_str_eq(g_ptr_array_index(shown, 0), "arp/miss");
  ck_assert_uint_eq(replay->len, 1);
  ck_assert_uint_eq(memory->len, 2);
  ck_assert_uint_eq(ns_log_count(log), 2);
  /* an empty filter is none */
  ns_log_set_filter(log, ns_log_filter_new());
  ns_log_event(log, 3, "h1", "ip/send", 1, NULL, "s");
  ck_assert_uint_eq(shown->len, 2);
  ns_log_free(log);
}
END_TEST

/* README's table of events names exactly the events of ns_log_events. */
START_TEST(filter_events_match_readme) {
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(TOPO_DIR "/../README.md", &text, NULL, NULL));
  const char *start = strstr(text, "| module | events |");
  ck_assert_ptr_nonnull(start);
  const char *end = strstr(start, "\n\n");
  g_autofree char *table = g_strndup(start, end - start);
  g_autoptr(GHashTable) readme =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRegex) re = g_regex_new("`([a-z]+/[a-z-]+)`", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  g_regex_match(re, table, 0, &m);
  for (; g_match_info_matches(m); g_match_info_next(m, NULL))
    g_hash_table_add(readme, g_match_info_fetch(m, 1));
  guint n = 0;
  for (const NsLogEventInfo *e = ns_log_events; e->name != NULL; e++, n++)
    ck_assert_msg(g_hash_table_contains(readme, e->name),
                  "README's table of events lacks %s", e->name);
  ck_assert_uint_eq(g_hash_table_size(readme), n);
}
END_TEST

Suite *test_logfilter_suite(void) {
  Suite *s = suite_create("logfilter");
  TCase *tc = test_tcase("logfilter");
  tcase_add_test(tc, filter_only_families_and_prefixes);
  tcase_add_test(tc, filter_errors_name_the_word);
  tcase_add_test(tc, filter_nodes_and_brief);
  tcase_add_test(tc, filter_in_the_stream);
  tcase_add_test(tc, filter_events_match_readme);
  suite_add_tcase(s, tc);
  return s;
}

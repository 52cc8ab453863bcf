/* test_replay.c — the C side of --html (cli/replay.h): escaping for HTML
 * and for JSON inside a script, the drawing's layout, reports as JSON
 * without the columns that change with time, and a whole page written
 * from a run on the built-in network. */
#include <glib/gstdio.h>
#include <string.h>

#include "cli/replay_private.h"
#include "cli/scenario_fixture.h"
#include "testutil.h"

static char *json_of(const char *text) {
  GString *s = g_string_new(NULL);
  ns_replay_json(s, text);
  return g_string_free(s, FALSE);
}

static char *html_of(const char *text) {
  GString *s = g_string_new(NULL);
  ns_replay_html(s, text);
  return g_string_free(s, FALSE);
}

START_TEST(test_json_is_safe_in_a_script) {
  g_autofree char *a = json_of("</script><!-- a&b");
  ck_assert_str_eq(a, "\"\\u003c/script\\u003e\\u003c!-- a\\u0026b\"");
  g_autofree char *b = json_of("q\"b\\n\nt\t\x01\x7f");
  ck_assert_str_eq(b, "\"q\\\"b\\\\n\\nt\\t\\u0001\\u007f\"");
  g_autofree char *c = json_of("a\u2028b\u2029c\u00e9");
  ck_assert_str_eq(c, "\"a\\u2028b\\u2029c\u00e9\"");
  g_autofree char *d = json_of("x\xff");
  ck_assert_str_eq(d, "\"x\ufffd\"");
  g_autofree char *e = json_of(NULL);
  ck_assert_str_eq(e, "\"\"");
}
END_TEST

START_TEST(test_html_escapes_text_and_attributes) {
  g_autofree char *a = html_of("<b title=\"x\">&'</b>");
  ck_assert_str_eq(a, "&lt;b title=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;");
  g_autofree char *b = html_of("h1 \xfe");
  ck_assert_str_eq(b, "h1 \ufffd");
}
END_TEST

START_TEST(test_strings_are_numbered_in_order) {
  NsReplayStrings s;
  ns_replay_strings_init(&s);
  ck_assert_uint_eq(ns_replay_intern(&s, NULL), 0);
  ck_assert_uint_eq(ns_replay_intern(&s, "b"), 1);
  ck_assert_uint_eq(ns_replay_intern(&s, "a"), 2);
  ck_assert_uint_eq(ns_replay_intern(&s, "b"), 1);
  ck_assert_uint_eq(s.strs->len, 3);
  ck_assert_str_eq(s.strs->pdata[2], "a");
  ns_replay_strings_clear(&s);
}
END_TEST

/* A router (0), two switches (1, 2) and three hosts: 3 on switch 2, 4 and
 * 5 on switch 1, listed before their switches' order. */
START_TEST(test_layout_tiers_and_order) {
  const guint tier[] = {0, 1, 1, 2, 2, 2};
  const guint ends[] = {0, 1, 0, 2, 3, 2, 4, 1, 5, 1};
  double x[6], y[6], x2[6], y2[6], w, h, w2, h2;
  ns_replay_layout(tier, 6, ends, 5, x, y, &w, &h);
  ck_assert(y[0] < y[1] && y[1] == y[2] && y[2] < y[3]);
  ck_assert(y[3] == y[4] && y[4] == y[5]);
  ck_assert(x[1] < x[2]);                /* file order in a row */
  ck_assert(x[4] < x[5] && x[5] < x[3]); /* hosts under their switch */
  ck_assert(x[0] > x[1] && x[0] < x[2]); /* a row is centred */
  for (guint i = 0; i < 6; i++)
    ck_assert(x[i] > 0 && x[i] < w && y[i] > 0 && y[i] < h);
  ns_replay_layout(tier, 6, ends, 5, x2, y2, &w2, &h2);
  ck_assert(memcmp(x, x2, sizeof x) == 0 && memcmp(y, y2, sizeof y) == 0);
  ck_assert(w == w2 && h == h2);
}
END_TEST

static const NsColumn cols[] = {
    {"MAC", NS_ALIGN_LEFT}, {"AGE", NS_ALIGN_RIGHT}, {"PORT", NS_ALIGN_RIGHT}};

/* A MAC table section whose AGE column says age. */
static char *mac_report_json(const char *age) {
  g_autoptr(NsReport) r = ns_report_new();
  NsReport *s = ns_report_add_section(r, "MAC table of <sw>");
  ns_report_add_note(s, "one");
  NsTable *t = ns_table_new(cols, G_N_ELEMENTS(cols));
  ns_table_cell(t, "02:00:00:00:00:01");
  ns_table_cell(t, "%s", age);
  ns_table_cell(t, "2");
  ns_report_add_table(s, t);
  GString *out = g_string_new(NULL);
  ns_replay_report_json(out, r);
  return g_string_free(out, FALSE);
}

START_TEST(test_report_json_leaves_out_time) {
  g_autofree char *a = mac_report_json("1.5s");
  g_autofree char *b = mac_report_json("20s");
  ck_assert_str_eq(a, b);
  ck_assert_str_eq(a,
                   "[{\"t\":\"\",\"n\":[]},"
                   "{\"t\":\"MAC table of \\u003csw\\u003e\",\"n\":[\"one\"],"
                   "\"c\":[\"MAC\",\"PORT\"],"
                   "\"r\":[[\"02:00:00:00:00:01\",\"2\"]]}]");
}
END_TEST

/* The page of a ping h1 -> h3 on the built-in network. */
static char *replay_page(const char *path) {
  Fx *fx = fx_new();
  g_autoptr(GError) error = NULL;
  NsReplay *r = ns_replay_new(fx->net, path, &error);
  ck_assert_ptr_nonnull(r);
  fx_exec(fx, "h1 ping h3 count 1");
  fx_exec(fx, "wait");
  ck_assert(ns_replay_finish(r, &error));
  fx_free(fx);
  char *text = NULL;
  ck_assert(g_file_get_contents(path, &text, NULL, NULL));
  return text;
}

static guint count_of(const char *text, const char *what) {
  guint n = 0;
  for (const char *p = strstr(text, what); p != NULL; p = strstr(p + 1, what))
    n++;
  return n;
}

START_TEST(test_page_of_a_run) {
  g_autofree char *dir = g_dir_make_tmp("replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "r.html", NULL);
  g_autofree char *a = replay_page(path);
  g_autofree char *b = replay_page(path);
  ck_assert_str_eq(a, b); /* same run, same bytes */
  ck_assert(g_str_has_prefix(a, "<!DOCTYPE html>"));
  ck_assert(g_str_has_suffix(a, "</html>\n"));
  ck_assert_uint_eq(count_of(a, "<g class=\"node "), 7);
  ck_assert_uint_eq(count_of(a, "<g class=\"link\""), 6);
  ck_assert_uint_eq(count_of(a, "</script>"), 3);
  ck_assert_ptr_null(strstr(a, "@@")); /* every marker filled in */
  ck_assert_ptr_nonnull(strstr(a, "<html lang=\"en\">"));
  ck_assert_ptr_nonnull(strstr(a, "\"why: {1}\":\"why: {1}\""));
  ck_assert_ptr_nonnull(strstr(a, "\"route/forward\""));
  ck_assert_ptr_nonnull(strstr(a, "\"  Time to live: 63\""));
  ck_assert_ptr_nonnull(strstr(a, "\"more\":0,"));
  /* h1's cache with r1 in it: kept once it changed */
  ck_assert_ptr_nonnull(
      strstr(a, "[\"192.168.1.1\",\"r1\",\"02:00:00:00:00:01\",\"reachable\""));
  g_unlink(path);
  g_rmdir(dir);
}
END_TEST

static gboolean is_label(const char *text) {
  for (guint i = 0; ns_replay_labels[i] != NULL; i++)
    if (strcmp(ns_replay_labels[i], text) == 0)
      return TRUE;
  return FALSE;
}

/* Every text of the template that a person reads goes through the
 * catalogue: each @@L:text@@ and each tr("text") of its script is listed
 * in ns_replay_labels (else xgettext never sees it), and each label is
 * used. */
START_TEST(test_labels_are_all_listed) {
  g_autofree char *page = NULL;
  g_autofree char *path =
      g_build_filename(TOPO_DIR, "..", "src", "cli", "replay_page.html", NULL);
  ck_assert(g_file_get_contents(path, &page, NULL, NULL));
  static const struct {
    const char *open, *close;
  } uses[] = {{"@@L:", "@@"}, {"tr(\"", "\""}};
  guint found = 0;
  g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint u = 0; u < G_N_ELEMENTS(uses); u++) {
    for (const char *p = strstr(page, uses[u].open); p != NULL;
         p = strstr(p, uses[u].open)) {
      p += strlen(uses[u].open);
      const char *end = strstr(p, uses[u].close);
      ck_assert_ptr_nonnull(end);
      g_autofree char *text = g_strndup(p, (gsize)(end - p));
      ck_assert_msg(is_label(text), "\"%s\" is not in ns_replay_labels", text);
      for (guint i = 0; ns_replay_labels[i] != NULL; i++)
        if (strcmp(ns_replay_labels[i], text) == 0)
          g_hash_table_add(used, (gpointer)ns_replay_labels[i]);
      found++;
    }
  }
  ck_assert_uint_ge(found, 25);
  for (guint i = 0; ns_replay_labels[i] != NULL; i++)
    ck_assert_msg(g_hash_table_contains(used, ns_replay_labels[i]),
                  "label \"%s\" is not used by the page", ns_replay_labels[i]);
}
END_TEST

/* Past the bound, events are counted, not kept, and the run goes on. */
START_TEST(test_bound) {
  g_autofree char *dir = g_dir_make_tmp("replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "r.html", NULL);
  Fx *fx = fx_new();
  g_autoptr(GError) error = NULL;
  NsReplay *r = ns_replay_new_bounded(fx->net, path, 10, &error);
  ck_assert_ptr_nonnull(r);
  fx_exec(fx, "h1 ping h3 count 2");
  fx_exec(fx, "wait");
  fx_exec(fx, "expect h1 ping replies 2");
  ck_assert_uint_eq(ns_scenario_passed(fx->sc), 1);
  ck_assert_uint_eq(r->events->len, 10);
  guint64 more = r->more;
  ck_assert_uint_gt(more, 10);
  ck_assert(ns_replay_finish(r, &error));
  fx_free(fx);
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(path, &text, NULL, NULL));
  g_autofree char *want =
      g_strdup_printf("\"max\":10,\"more\":%" G_GUINT64_FORMAT ",", more);
  ck_assert_ptr_nonnull(strstr(text, want));
  g_unlink(path);
  g_rmdir(dir);
}
END_TEST

START_TEST(test_unwritable_path) {
  Fx *fx = fx_new();
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(ns_replay_new(fx->net, "/nonexistent/dir/r.html", &error));
  ck_assert(g_str_has_prefix(error->message,
                             "cannot write '/nonexistent/dir/r.html': "));
  ck_assert(ns_replay_finish(NULL, NULL));
  fx_free(fx);
}
END_TEST

Suite *test_replay_suite(void) {
  Suite *s = suite_create("replay");
  TCase *tc = test_tcase("replay");
  tcase_add_test(tc, test_json_is_safe_in_a_script);
  tcase_add_test(tc, test_html_escapes_text_and_attributes);
  tcase_add_test(tc, test_strings_are_numbered_in_order);
  tcase_add_test(tc, test_layout_tiers_and_order);
  tcase_add_test(tc, test_report_json_leaves_out_time);
  tcase_add_test(tc, test_page_of_a_run);
  tcase_add_test(tc, test_labels_are_all_listed);
  tcase_add_test(tc, test_bound);
  tcase_add_test(tc, test_unwritable_path);
  suite_add_tcase(s, tc);
  return s;
}

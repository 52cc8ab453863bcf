/* test_app.c — the application hooks (app.h): output only to someone who
 * listens, done passed on, all-NULL hooks harmless. */
#include "apps/app.h"
#include "testutil.h"

typedef struct {
  GPtrArray *lines;
  gboolean listening;
  guint done;
} Sink;

static void sink_out(const char *line, gpointer data) {
  g_ptr_array_add(((Sink *)data)->lines, g_strdup(line));
}

static gboolean sink_listening(gpointer data) {
  return ((Sink *)data)->listening;
}

static void sink_done(gpointer data) { ((Sink *)data)->done++; }

START_TEST(test_say_and_done) {
  Sink k = {g_ptr_array_new_with_free_func(g_free), TRUE, 0};
  NsAppHooks h = {sink_out, sink_done, &k, sink_listening, NULL};
  ck_assert(ns_app_wants_output(&h));
  ns_app_say(&h, "%u packets %s", 3u, "transmitted");
  ck_assert_uint_eq(k.lines->len, 1);
  ck_assert_str_eq(g_ptr_array_index(k.lines, 0), "3 packets transmitted");
  k.listening = FALSE;
  ck_assert(!ns_app_wants_output(&h));
  ns_app_say(&h, "dropped");
  ck_assert_uint_eq(k.lines->len, 1);
  /* Without wants_output, out always listens. */
  h.wants_output = NULL;
  ck_assert(ns_app_wants_output(&h));
  ns_app_say(&h, "kept");
  ck_assert_uint_eq(k.lines->len, 2);
  ns_app_done(&h);
  ck_assert_uint_eq(k.done, 1);
  /* Nobody listening at all. */
  NsAppHooks none = {0};
  ck_assert(!ns_app_wants_output(&none));
  ns_app_say(&none, "nowhere");
  ns_app_done(&none);
  g_ptr_array_unref(k.lines);
}
END_TEST

Suite *test_app_suite(void) {
  Suite *s = suite_create("app");
  TCase *tc = test_tcase("hooks");
  tcase_add_test(tc, test_say_and_done);
  suite_add_tcase(s, tc);
  return s;
}

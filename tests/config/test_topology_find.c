/* test_topology_find.c — a topology argument as a path or a name: paths
 * pass through, names are found with or without ".conf", a file in the
 * current directory wins, an unknown name lists what the folder holds, and
 * NETSIM_TOPOLOGY_DIR overrides the installed folder. */
#include <glib/gstdio.h>
#include <string.h>

#include "config/topology_find.h"
#include "testutil.h"

#ifndef TOPO_DIR
#define TOPO_DIR "topologies"
#endif

/* A scratch folder holding the given (empty) files; free with
 * scratch_free. */
static char *scratch_new(const char *const *files) {
  char *dir = g_dir_make_tmp("netsim-find-XXXXXX", NULL);
  ck_assert(dir != NULL);
  for (; *files != NULL; files++) {
    g_autofree char *path = g_build_filename(dir, *files, NULL);
    ck_assert(g_file_set_contents(path, "", 0, NULL));
  }
  return dir;
}

static void scratch_free(char *dir) {
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *entry;
  while (d != NULL && (entry = g_dir_read_name(d)) != NULL) {
    g_autofree char *path = g_build_filename(dir, entry, NULL);
    g_unlink(path);
  }
  g_rmdir(dir);
  g_free(dir);
}

/* locate must fail with an NS_ERROR whose message holds want. */
static void locate_fails(const char *arg, const char *dir, const char *want) {
  GError *e = NULL;
  char *path = ns_topology_locate(arg, dir, &e);
  ck_assert_msg(path == NULL, "found %s", path);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_msg(strstr(e->message, want) != NULL, "'%s' lacks '%s'", e->message,
                want);
  g_error_free(e);
}

static void locate_is(const char *arg, const char *dir, const char *want) {
  GError *e = NULL;
  g_autofree char *path = ns_topology_locate(arg, dir, &e);
  ck_assert_msg(path != NULL, "%s: %s", arg, e ? e->message : "?");
  ck_assert_str_eq(path, want);
}

START_TEST(test_paths_pass_through) {
  /* With a slash it is a path, found or not: the loader names it. */
  locate_is("./two_lans", TOPO_DIR, "./two_lans");
  locate_is("/nonexistent/net.conf", TOPO_DIR, "/nonexistent/net.conf");
}
END_TEST

START_TEST(test_names_with_and_without_suffix) {
  g_autofree char *want = g_build_filename(TOPO_DIR, "two_lans.conf", NULL);
  locate_is("two_lans", TOPO_DIR, want);
  locate_is("two_lans.conf", TOPO_DIR, want);
}
END_TEST

START_TEST(test_name_as_given_first) {
  const char *files[] = {"lab", "lab.conf", "x.conf.conf", NULL};
  char *dir = scratch_new(files);
  g_autofree char *lab = g_build_filename(dir, "lab", NULL);
  locate_is("lab", dir, lab);
  /* ".conf" is added only to a name that lacks it. */
  locate_fails("x.conf", dir, "x.conf: no such file");
  scratch_free(dir);
}
END_TEST

START_TEST(test_file_in_current_directory_wins) {
  const char *files[] = {"two_lans.conf", NULL};
  char *dir = scratch_new(files);
  g_autofree char *cwd = g_get_current_dir();
  g_autofree char *topo_dir = g_canonicalize_filename(TOPO_DIR, NULL);
  ck_assert_int_eq(g_chdir(dir), 0);
  GError *e = NULL;
  g_autofree char *path = ns_topology_locate("two_lans.conf", topo_dir, &e);
  g_autofree char *by_name = ns_topology_locate("two_lans", topo_dir, &e);
  ck_assert_int_eq(g_chdir(cwd), 0);
  scratch_free(dir);
  ck_assert_str_eq(path, "two_lans.conf");
  /* "two_lans" itself is not there: the installed one. */
  ck_assert(by_name != NULL && g_str_has_prefix(by_name, topo_dir));
}
END_TEST

START_TEST(test_unknown_name_lists_names) {
  g_auto(GStrv) names = ns_topology_names(TOPO_DIR);
  ck_assert(g_strv_contains((const char *const *)names, "two_lans"));
  g_autofree char *list = g_strjoinv(", ", names);
  g_autofree char *want = g_strdup_printf("(available: %s)", list);
  locate_fails("two_lan", TOPO_DIR, want);
  locate_fails("two_lan", TOPO_DIR, "two_lan: no such file");
  locate_fails("two_lan", TOPO_DIR, TOPO_DIR);
  locate_fails("two_lan", "/nonexistent", "no topologies in /nonexistent");
}
END_TEST

START_TEST(test_names_sorted_conf_only) {
  const char *files[] = {"b.conf", "a.conf",  "README",
                         ".conf",  "c.conf~", NULL};
  char *dir = scratch_new(files);
  g_auto(GStrv) names = ns_topology_names(dir);
  scratch_free(dir);
  ck_assert_uint_eq(g_strv_length(names), 2);
  ck_assert_str_eq(names[0], "a");
  ck_assert_str_eq(names[1], "b");
  g_auto(GStrv) none = ns_topology_names("/nonexistent");
  ck_assert_ptr_null(none[0]);
}
END_TEST

START_TEST(test_environment_overrides_dir) {
  g_autofree char *saved = g_strdup(g_getenv("NETSIM_TOPOLOGY_DIR"));
  g_unsetenv("NETSIM_TOPOLOGY_DIR");
  ck_assert_str_eq(ns_topology_dir("/installed"), "/installed");
  g_setenv("NETSIM_TOPOLOGY_DIR", "", TRUE);
  ck_assert_str_eq(ns_topology_dir("/installed"), "/installed");
  g_setenv("NETSIM_TOPOLOGY_DIR", TOPO_DIR, TRUE);
  ck_assert_str_eq(ns_topology_dir("/installed"), TOPO_DIR);
  GError *e = NULL;
  g_autoptr(NsTopology) t = ns_topology_load_named("one_lan", "/installed", &e);
  if (saved != NULL)
    g_setenv("NETSIM_TOPOLOGY_DIR", saved, TRUE);
  else
    g_unsetenv("NETSIM_TOPOLOGY_DIR");
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  ck_assert(g_str_has_suffix(t->source, "one_lan.conf"));
}
END_TEST

Suite *test_topology_find_suite(void) {
  Suite *s = suite_create("topology_find");
  TCase *tc = test_tcase("find");
  tcase_add_test(tc, test_paths_pass_through);
  tcase_add_test(tc, test_names_with_and_without_suffix);
  tcase_add_test(tc, test_name_as_given_first);
  tcase_add_test(tc, test_file_in_current_directory_wins);
  tcase_add_test(tc, test_unknown_name_lists_names);
  tcase_add_test(tc, test_names_sorted_conf_only);
  tcase_add_test(tc, test_environment_overrides_dir);
  suite_add_tcase(s, tc);
  return s;
}

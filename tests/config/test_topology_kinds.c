/* test_topology_kinds.c — the table of section kinds: one complete row
 * per NsNodeKind, every key documented in its row and in README.md, and
 * "did you mean" offering each key of each kind. */
#include <string.h>

#include "config/topology_private.h"
#include "testutil.h"

#ifndef TOPO_DIR
#define TOPO_DIR "topologies"
#endif

START_TEST(test_one_row_per_kind) {
  gboolean rank_used[NS_NODE_N_KINDS] = {FALSE};
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
    ck_assert_ptr_nonnull(kind);
    ck_assert_int_eq(kind->kind, k);
    ck_assert_str_eq(ns_node_kind_name((NsNodeKind)k), kind->name);
    ck_assert_ptr_eq(ns_topo_kind_named(kind->name), kind);
    ck_assert(kind->plural != NULL && kind->example != NULL);
    ck_assert(ns_topo_is_name(kind->example));
    ck_assert_ptr_nonnull(kind->describe);
    ck_assert_uint_lt(kind->count_rank, NS_NODE_N_KINDS);
    ck_assert_msg(!rank_used[kind->count_rank], "%s: rank taken", kind->name);
    rank_used[kind->count_rank] = TRUE;
  }
  ck_assert_ptr_null(ns_topo_kind_named("hots"));
}
END_TEST

START_TEST(test_every_key_row_complete) {
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
    guint rows = 0;
    for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
      for (const TopoKey *row = *tab; row->name != NULL; row++, rows++) {
        ck_assert_msg(row->value != NULL && *row->value != '\0', "%s %s",
                      kind->name, row->name);
        ck_assert_msg(row->doc != NULL && *row->doc != '\0', "%s %s",
                      kind->name, row->name);
        /* A late row is loaded by the table; a pattern row has an example
         * for messages; a number row has a range. */
        ck_assert(!row->late || row->load != NULL);
        ck_assert((row->matches == NULL) == (row->example == NULL));
        if (row->load == ns_topo_load_uint || row->load == ns_topo_load_time)
          ck_assert_msg(row->max > 0 && row->field > 0, "%s %s", kind->name,
                        row->name);
      }
    ck_assert_uint_gt(rows, 0);
  }
}
END_TEST

/* README.md's "### `[KIND NAME]`" section, up to the next heading. */
static char *readme_section(const char *readme, const char *kind) {
  g_autofree char *head = g_strdup_printf("### `[%s NAME]`", kind);
  const char *s = strstr(readme, head);
  ck_assert_msg(s != NULL, "README.md has no section %s", head);
  const char *e = strstr(s + strlen(head), "\n#");
  return e ? g_strndup(s, (gsize)(e - s)) : g_strdup(s);
}

START_TEST(test_readme_documents_every_key) {
  g_autofree char *path = g_build_filename(TOPO_DIR, "..", "README.md", NULL);
  g_autofree char *readme = NULL;
  ck_assert(g_file_get_contents(path, &readme, NULL, NULL));
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
    g_autofree char *sec = readme_section(readme, kind->name);
    for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
      for (const TopoKey *row = *tab; row->name != NULL; row++) {
        g_autofree char *quoted = g_strdup_printf("`%s", row->name);
        ck_assert_msg(strstr(sec, quoted) != NULL,
                      "README.md [%s NAME] does not list %s", kind->name,
                      row->name);
      }
  }
}
END_TEST

/* Each key of each kind, misspelt by one extra letter, gets a "did you
 * mean" naming it. */
START_TEST(test_did_you_mean_every_key) {
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
    for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
      for (const TopoKey *row = *tab; row->name != NULL; row++) {
        if (row->matches != NULL)
          continue;
        g_autofree char *text = g_strdup_printf(
            "[switch sw0]\n[%s x]\n%sq = 1\n", kind->name, row->name);
        g_autofree char *want = g_strdup_printf(
            "[%s x] %sq: unknown key (did you mean '%s'? expected ", kind->name,
            row->name, row->name);
        GError *e = NULL;
        NsTopology *t = ns_topology_load_data(text, -1, "k.conf", &e);
        ck_assert_msg(t == NULL, "%s loaded", text);
        ck_assert_msg(strstr(e->message, want) != NULL, "'%s' lacks '%s'",
                      e->message, want);
        g_error_free(e);
      }
  }
}
END_TEST

Suite *test_topology_kinds_suite(void) {
  Suite *s = suite_create("topology_kinds");
  TCase *tc = test_tcase("table");
  tcase_add_test(tc, test_one_row_per_kind);
  tcase_add_test(tc, test_every_key_row_complete);
  tcase_add_test(tc, test_readme_documents_every_key);
  tcase_add_test(tc, test_did_you_mean_every_key);
  suite_add_tcase(s, tc);
  return s;
}

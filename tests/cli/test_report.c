/* test_report.c — reports as data (report.h, table.h) and their one text
 * renderer: alignment, trimming, empty tables, nesting. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/report.h"
#include "testutil.h"

/* The text of r (freed by the caller). */
static char *text_of(const NsReport *r) {
  GString *s = g_string_new(NULL);
  ns_report_render_text(r, s);
  return g_string_free(s, FALSE);
}

static const NsColumn two_columns[] = {{"NAME", NS_ALIGN_LEFT},
                                       {"N", NS_ALIGN_RIGHT}};

START_TEST(test_table_as_data) {
  g_autoptr(NsTable) t = ns_table_new(two_columns, 2);
  ns_table_add_column(t, "NOTE", NS_ALIGN_LEFT);
  ck_assert_uint_eq(ns_table_n_columns(t), 3);
  ck_assert_uint_eq(ns_table_n_rows(t), 0);
  ns_table_cell(t, "h%d", 1);
  ns_table_u64(t, G_GUINT64_CONSTANT(18446744073709551615));
  ck_assert_uint_eq(ns_table_n_rows(t), 0); /* the row is not complete */
  ns_table_cell(t, "x");
  ck_assert_uint_eq(ns_table_n_rows(t), 1);
  ck_assert_str_eq(ns_table_get(t, 0, 0), "h1");
  ck_assert_str_eq(ns_table_get(t, 0, 1), "18446744073709551615");
  ck_assert_str_eq(ns_table_column(t, 1)->name, "N");
  ck_assert_int_eq(ns_table_column(t, 1)->align, NS_ALIGN_RIGHT);
  ck_assert_int_eq(ns_table_column(t, 2)->align, NS_ALIGN_LEFT);
  /* names are interned: a column can be copied by value */
  ck_assert_ptr_eq(ns_table_column(t, 2)->name, g_intern_string("NOTE"));
}
END_TEST

START_TEST(test_alignment) {
  g_autoptr(NsReport) r = ns_report_new();
  NsTable *t = ns_table_new(two_columns, 2);
  ns_table_cell(t, "a");
  ns_table_cell(t, "1");
  ns_table_cell(t, "longer");
  ns_table_cell(t, "12345");
  ns_report_add_table(r, t);
  g_autofree char *text = text_of(r);
  /* left column padded on the right, right column on the left, two
   * blanks between columns */
  ck_assert_str_eq(text, "NAME        N\n"
                         "a           1\n"
                         "longer  12345\n");
}
END_TEST

START_TEST(test_trailing_blanks_trimmed) {
  g_autoptr(NsReport) r = ns_report_new();
  static const NsColumn cols[] = {
      {"A", NS_ALIGN_RIGHT}, {"B", NS_ALIGN_LEFT}, {"C", NS_ALIGN_LEFT}};
  NsTable *t = ns_table_new(cols, 3);
  ns_table_cell(t, "all");
  ns_table_cell(t, "wide cell");
  ns_table_cell(t, "%s", "");
  ns_table_cell(t, "1");
  ns_table_cell(t, "%s", "");
  ns_table_cell(t, "%s", "");
  ns_report_add_table(r, t);
  g_autofree char *text = text_of(r);
  ck_assert_str_eq(text, "  A  B          C\n"
                         "all  wide cell\n"
                         "  1\n");
}
END_TEST

START_TEST(test_empty_table) {
  g_autoptr(NsReport) r = ns_report_new();
  ns_report_add_table(r, ns_table_new(two_columns, 2));
  /* no rows: the header alone, widths from the header */
  g_autofree char *text = text_of(r);
  ck_assert_str_eq(text, "NAME  N\n");
  /* no columns: nothing at all */
  g_autoptr(NsReport) none = ns_report_new();
  ns_report_add_table(none, ns_table_new(NULL, 0));
  g_autofree char *empty = text_of(none);
  ck_assert_str_eq(empty, "");
  ck_assert_uint_eq(ns_report_n_items(none), 1);
}
END_TEST

START_TEST(test_sections_notes_gaps) {
  g_autoptr(NsReport) r = ns_report_new();
  ns_report_add_note(r, "At %ds", 1);
  ns_report_add_gap(r);
  NsReport *top = ns_report_add_section(r, "Top %s:", "one");
  NsReport *sub = ns_report_add_section(top, "sub");
  NsTable *t = ns_table_new(two_columns, 2);
  ns_table_cell(t, "x");
  ns_table_cell(t, "7");
  ns_report_add_table(sub, t);
  ns_report_add_note(sub, "(note)");
  ns_report_add_note(top, "after");
  g_autofree char *text = text_of(r);
  ck_assert_str_eq(text, "At 1s\n"
                         "\n"
                         "Top one:\n"
                         "  sub\n"
                         "    NAME  N\n"
                         "    x     7\n"
                         "    (note)\n"
                         "  after\n");
  /* the tree as data */
  ck_assert_uint_eq(ns_report_n_items(r), 3);
  ck_assert_ptr_null(r->title);
  ck_assert_int_eq(ns_report_item(r, 0)->kind, NS_REPORT_NOTE);
  ck_assert_str_eq(ns_report_item(r, 0)->note, "At 1s");
  ck_assert_int_eq(ns_report_item(r, 1)->kind, NS_REPORT_GAP);
  ck_assert_int_eq(ns_report_item(r, 2)->kind, NS_REPORT_SECTION);
  ck_assert_str_eq(ns_report_item(r, 2)->section->title, "Top one:");
  ck_assert_ptr_eq(ns_report_table(r, 0), t);
  ck_assert_ptr_null(ns_report_table(r, 1));
}
END_TEST

START_TEST(test_nth_table) {
  g_autoptr(NsReport) r = ns_report_new();
  NsTable *a = ns_table_new(two_columns, 2);
  NsTable *b = ns_table_new(two_columns, 2);
  NsTable *c = ns_table_new(two_columns, 2);
  ns_report_add_table(ns_report_add_section(r, "s1"), a);
  NsReport *s2 = ns_report_add_section(r, "s2");
  ns_report_add_table(ns_report_add_section(s2, "s2.1"), b);
  ns_report_add_table(s2, c);
  ck_assert_ptr_eq(ns_report_table(r, 0), a);
  ck_assert_ptr_eq(ns_report_table(r, 1), b);
  ck_assert_ptr_eq(ns_report_table(r, 2), c);
  ck_assert_ptr_null(ns_report_table(r, 3));
}
END_TEST

START_TEST(test_print) {
  g_autoptr(NsReport) r = ns_report_new();
  ns_report_add_section(r, "title");
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  ns_report_print(r, out);
  fclose(out);
  ck_assert_str_eq(buf, "title\n");
  free(buf);
}
END_TEST

Suite *test_report_suite(void) {
  Suite *s = suite_create("report");
  TCase *tc = test_tcase("report");
  tcase_add_test(tc, test_table_as_data);
  tcase_add_test(tc, test_alignment);
  tcase_add_test(tc, test_trailing_blanks_trimmed);
  tcase_add_test(tc, test_empty_table);
  tcase_add_test(tc, test_sections_notes_gaps);
  tcase_add_test(tc, test_nth_table);
  tcase_add_test(tc, test_print);
  suite_add_tcase(s, tc);
  return s;
}

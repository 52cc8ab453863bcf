/* test_text.c — core/text: bytes shown to a person. */
#include "core/text.h"
#include "testutil.h"

START_TEST(text_escapes_and_cuts) {
  static const guint8 data[] = {'h',  'i',  '\n', '\r', '\t',
                                '\\', 0x00, 0x7f, 0xff, 'z'};
  char *s = ns_text_excerpt(data, sizeof data, 100);
  ck_assert_str_eq(s, "hi\\n\\r\\t\\\\\\x00\\x7f\\xffz");
  g_free(s);
  s = ns_text_excerpt(data, sizeof data, 2);
  ck_assert_str_eq(s, "hi...");
  g_free(s);
  s = ns_text_excerpt(data, 2, 2); /* exactly max: no ellipsis */
  ck_assert_str_eq(s, "hi");
  g_free(s);
  GString *g = g_string_new("> ");
  ns_text_excerpt_append(g, (const guint8 *)"", 0, 10);
  ck_assert_str_eq(g->str, "> ");
  g_string_free(g, TRUE);
}
END_TEST

Suite *test_text_suite(void) {
  Suite *s = suite_create("text");
  TCase *tc = test_tcase("text");
  tcase_add_test(tc, text_escapes_and_cuts);
  suite_add_tcase(s, tc);
  return s;
}

/* test_text.c — core/text: bytes shown to a person. */
#include <string.h>

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

/* Messages: control bytes escaped, long runs cut (at a UTF-8 boundary),
 * short words and UTF-8 text kept. */
START_TEST(text_for_message) {
  char *s = ns_text_for_message("unknown 'h\x1b[1m' here\tand");
  ck_assert_str_eq(s, "unknown 'h\\x1b[1m' here\\tand");
  g_free(s);
  GString *big = g_string_new("node '");
  for (int i = 0; i < 1000; i++)
    g_string_append(big, "\xe4\xbd\xa0"); /* 你, 3 bytes */
  g_string_append(big, "' (nodes: h1, h2)");
  s = ns_text_for_message(big->str);
  ck_assert_msg(g_utf8_validate(s, -1, NULL), "%s", s);
  ck_assert_msg(strlen(s) <= 6 + NS_TEXT_MESSAGE_WORD + 4 + 17, "%s", s);
  ck_assert_msg(g_str_has_suffix(s, "...' (nodes: h1, h2)"), "%s", s);
  ck_assert(g_str_has_prefix(s, "node '\xe4\xbd\xa0"));
  g_free(s);
  g_string_free(big, TRUE);
  s = ns_text_for_message("你好 (ok)");
  ck_assert_str_eq(s, "你好 (ok)");
  g_free(s);
}
END_TEST

Suite *test_text_suite(void) {
  Suite *s = suite_create("text");
  TCase *tc = test_tcase("text");
  tcase_add_test(tc, text_escapes_and_cuts);
  tcase_add_test(tc, text_for_message);
  suite_add_tcase(s, tc);
  return s;
}

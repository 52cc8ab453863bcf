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

static char *show(const char *data, gsize len, gsize max) {
  GString *g = g_string_new(NULL);
  ns_text_show_append(g, (const guint8 *)data, len, max);
  return g_string_free(g, FALSE);
}

/* Showing text whole: UTF-8 that prints stays, the rest is escaped as
 * excerpts escape it, and a cut never splits a character. */
START_TEST(text_show_utf8) {
  static const struct {
    const char *in;
    gsize len, max;
    const char *want;
  } cases[] = {
      {"\xe4\xbd\xa0\xe5\xa5\xbd", 6, 100, "你好"},
      {"caf\xc3\xa9 ok\tx", 10, 100, "café ok\tx"},
      {"a\nb\r\\", 5, 100, "a\\nb\\r\\\\"},
      {"\xe4\xbd", 2, 100, "\\xe4\\xbd"},          /* cut sequence */
      {"\xff\xfe", 2, 100, "\\xff\\xfe"},          /* never UTF-8 */
      {"\xc2\x85", 2, 100, "\\xc2\\x85"},          /* C1 control */
      {"\xed\xa0\x80", 3, 100, "\\xed\\xa0\\x80"}, /* a surrogate */
      {"\x00\x7f", 2, 100, "\\x00\\x7f"},
      {"\xe4\xbd\xa0\xe5\xa5\xbd", 6, 4, "你..."}, /* not mid-character */
      {"\xe4\xbd\xa0\xe5\xa5\xbd", 6, 6, "你好"},
      {"abc", 3, 0, "..."},
      {"", 0, 0, ""},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = show(cases[i].in, cases[i].len, cases[i].max);
    ck_assert_msg(strcmp(got, cases[i].want) == 0, "case %u: got '%s'", i, got);
    ck_assert(g_utf8_validate(got, -1, NULL));
  }
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
  tcase_add_test(tc, text_show_utf8);
  suite_add_tcase(s, tc);
  return s;
}

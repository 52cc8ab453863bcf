/* test_writers.c — the text and JSON lines event writers (src/trace/).
 *
 * The formatters are checked on hand-made events; the sinks are checked
 * end to end through an NsLog writing into a memory stream, since that is
 * how a run uses them. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "testutil.h"
#include "trace/jsonlog.h"
#include "trace/textlog.h"

static const NsLogEvent flood = {
    .time = 1 * NS_SEC + 2345 * NS_USEC + 999, /* ns below 1 µs are cut */
    .node = "sw1",
    .event = "switch/flood",
    .frame = 3,
    .summary = "to ports 2,3",
    .why = NULL,
};

START_TEST(text_line_columns) {
  g_autoptr(GString) out = g_string_new(NULL);
  ns_textlog_format(&flood, out);
  ck_assert_str_eq(out->str, "   1.002345  sw1      switch/flood       #3"
                             "    to ports 2,3\n");
}
END_TEST

START_TEST(text_no_frame_and_why) {
  NsLogEvent ev = flood;
  ev.frame = 0;
  ev.why = "dst unknown: flood";
  g_autoptr(GString) out = g_string_new(NULL);
  ns_textlog_format(&ev, out);
  ck_assert_str_eq(out->str, "   1.002345  sw1      switch/flood       -"
                             "     to ports 2,3\n"
                             "              why: dst unknown: flood\n");
}
END_TEST

START_TEST(text_long_time) {
  NsLogEvent ev = flood;
  ev.time = 12345 * NS_SEC + 7 * NS_USEC;
  g_autoptr(GString) out = g_string_new(NULL);
  ns_textlog_format(&ev, out);
  ck_assert(g_str_has_prefix(out->str, "12345.000007  sw1 "));
}
END_TEST

START_TEST(json_keys_in_order) {
  NsLogEvent ev = flood;
  ev.why = "because";
  g_autoptr(GString) out = g_string_new(NULL);
  ns_jsonlog_format(&ev, out);
  ck_assert_str_eq(out->str,
                   "{\"t\":1002345999,\"time\":\"1.002345\",\"node\":\"sw1\","
                   "\"event\":\"switch/flood\",\"frame\":3,\"summary\":"
                   "\"to ports 2,3\",\"why\":\"because\"}\n");
}
END_TEST

START_TEST(json_escapes_and_null_frame) {
  NsLogEvent ev = flood;
  ev.frame = 0;
  ev.summary = "say \"hi\"\\\n\t\x01 \xe4\xbd\xa0";
  g_autoptr(GString) out = g_string_new(NULL);
  ns_jsonlog_format(&ev, out);
  ck_assert(strstr(out->str, "\"frame\":null") != NULL);
  ck_assert(strstr(out->str, "\"summary\":\"say \\\"hi\\\"\\\\\\n\\t\\u0001 "
                             "\xe4\xbd\xa0\"}") != NULL);
  ck_assert(strstr(out->str, "\"why\"") == NULL);
}
END_TEST

/* Through the log: the sink sees the reason only with --explain, and every
 * event becomes exactly one line (two with a reason). */
static char *run_log(gboolean explain, gboolean json) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(fp);
  NsLog *log = ns_log_new();
  if (json)
    ns_jsonlog_attach(log, fp, FALSE);
  else
    ns_textlog_attach(log, fp, FALSE);
  ns_log_set_explain(log, explain);
  ck_assert(ns_log_on(log));
  ns_log_event(log, 0, "h1", "arp/request", 1, "who has it?",
               "who has 192.168.1.1");
  ns_log_printf(log, NS_MSEC, "r1", "ip/forward", 2, NULL, "ttl %d", 63);
  ns_log_free(log); /* flushes */
  fclose(fp);
  return buf;
}

START_TEST(sink_text_explain) {
  g_autofree char *plain = run_log(FALSE, FALSE);
  g_autofree char *why = run_log(TRUE, FALSE);
  ck_assert(strstr(plain, "why:") == NULL);
  ck_assert(strstr(why, "why: who has it?") != NULL);
  ck_assert(strstr(plain, "r1       ip/forward         #2    ttl 63\n") !=
            NULL);
  g_auto(GStrv) lines = g_strsplit(why, "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 4); /* 3 lines + "" */
}
END_TEST

START_TEST(sink_json_one_object_a_line) {
  g_autofree char *out = run_log(TRUE, TRUE);
  g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 3);
  ck_assert(g_str_has_prefix(lines[0], "{\"t\":0,"));
  ck_assert(g_str_has_suffix(lines[0], "\"why\":\"who has it?\"}"));
  ck_assert(g_str_has_prefix(lines[1], "{\"t\":1000000,\"time\":\"0.001000\""));
  ck_assert(strstr(lines[1], "\"why\"") == NULL);
  ck_assert_str_eq(lines[2], "");
}
END_TEST

Suite *test_writers_suite(void) {
  Suite *s = suite_create("trace_writers");
  TCase *tc = test_tcase("format");
  tcase_add_test(tc, text_line_columns);
  tcase_add_test(tc, text_no_frame_and_why);
  tcase_add_test(tc, text_long_time);
  tcase_add_test(tc, json_keys_in_order);
  tcase_add_test(tc, json_escapes_and_null_frame);
  suite_add_tcase(s, tc);
  tc = test_tcase("sinks");
  tcase_add_test(tc, sink_text_explain);
  tcase_add_test(tc, sink_json_one_object_a_line);
  suite_add_tcase(s, tc);
  return s;
}

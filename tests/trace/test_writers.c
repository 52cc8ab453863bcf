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
  ck_assert_str_eq(out->str, "   1.002345  sw1   switch/flood    #3"
                             "    to ports 2,3\n");
}
END_TEST

START_TEST(text_no_frame_and_why) {
  NsLogEvent ev = flood;
  ev.frame = 0;
  ev.why = "dst unknown: flood";
  g_autoptr(GString) out = g_string_new(NULL);
  ns_textlog_format(&ev, out);
  ck_assert_str_eq(out->str, "   1.002345  sw1   switch/flood    -"
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

/* An ARP request from 02:00:00:00:00:03 for 192.168.1.1, padded to 60. */
static const guint8 arp_request[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0xc0, 0xa8, 0x01, 0x0a, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x01};

static NsLogEvent frame_event(void) {
  NsLogEvent ev = flood;
  ev.event = "link/frame";
  ev.summary = "h1:eth0 -> sw1:port2, 60 bytes";
  ev.bytes = arp_request;
  ev.len = sizeof arp_request;
  return ev;
}

/* The line, then every decoded line and the hex dump, indented by 14. */
START_TEST(text_frame_layers_and_hex) {
  NsLogEvent ev = frame_event();
  g_autoptr(GString) out = g_string_new(NULL);
  ns_textlog_format(&ev, out);
  g_auto(GStrv) lines = g_strsplit(out->str, "\n", -1);
  ck_assert(g_str_has_suffix(lines[0], "#3    h1:eth0 -> sw1:port2, 60 bytes"));
  ck_assert_str_eq(lines[1], "              Ethernet II, 60 bytes");
  ck_assert_str_eq(lines[2], "                Destination: ff:ff:ff:ff:ff:ff "
                             "(broadcast)");
  ck_assert_str_eq(lines[5], "              ARP request");
  ck_assert_str_eq(lines[14], "                Target IP address: 192.168.1.1");
  ck_assert_str_eq(lines[15], "              Padding: 18 bytes");
  ck_assert_str_eq(lines[16], "              0000  ff ff ff ff ff ff 02 00  00 "
                              "00 00 03 08 06 00 01  ................");
  ck_assert(g_str_has_prefix(lines[19], "              0030  00 00"));
  ck_assert_str_eq(lines[20], "");
  ck_assert_ptr_null(lines[21]);
}
END_TEST

/* Headings become layers, "  Name: value" lines their fields; a nested
 * field is a field too; a line without ": " is all name. */
START_TEST(json_layers_from_text) {
  g_autoptr(GString) out = g_string_new(NULL);
  ns_jsonlog_append_layers(out, "Ethernet II, 60 bytes\n"
                                "  Destination: ff:ff:ff:ff:ff:ff (broadcast)\n"
                                "  Type: ARP (0x0806)\n"
                                "Padding: 18 bytes\n"
                                "TCP \"x\"\n"
                                "  Options: 4 bytes\n"
                                "    Maximum segment size: 1460\n"
                                "  Flags:\n"
                                "  odd line\n");
  ck_assert_str_eq(
      out->str,
      "[{\"layer\":\"Ethernet II, 60 bytes\",\"fields\":["
      "{\"name\":\"Destination\",\"value\":\"ff:ff:ff:ff:ff:ff (broadcast)\"},"
      "{\"name\":\"Type\",\"value\":\"ARP (0x0806)\"}]},"
      "{\"layer\":\"Padding: 18 bytes\",\"fields\":[]},"
      "{\"layer\":\"TCP \\\"x\\\"\",\"fields\":["
      "{\"name\":\"Options\",\"value\":\"4 bytes\"},"
      "{\"name\":\"Maximum segment size\",\"value\":\"1460\"},"
      "{\"name\":\"Flags\",\"value\":\"\"},"
      "{\"name\":\"odd line\",\"value\":\"\"}]}]");
}
END_TEST

START_TEST(json_layers_edge_texts) {
  g_autoptr(GString) out = g_string_new(NULL);
  ns_jsonlog_append_layers(out, "");
  ck_assert_str_eq(out->str, "[]");
  g_string_truncate(out, 0);
  ns_jsonlog_append_layers(out, "  Orphan: 1\n\nLast");
  ck_assert_str_eq(out->str, "[{\"layer\":\"\",\"fields\":[{\"name\":"
                             "\"Orphan\",\"value\":\"1\"}]},{\"layer\":"
                             "\"Last\",\"fields\":[]}]");
}
END_TEST

/* A frame event: the usual keys, then "layers" and "hex", every byte. */
START_TEST(json_frame_event) {
  NsLogEvent ev = frame_event();
  g_autoptr(GString) out = g_string_new(NULL);
  ns_jsonlog_format(&ev, out);
  ck_assert(g_str_has_prefix(out->str, "{\"t\":1002345999,"));
  ck_assert(strstr(out->str,
                   "\"summary\":\"h1:eth0 -> sw1:port2, 60 bytes\","
                   "\"layers\":[{\"layer\":\"Ethernet II, 60 "
                   "bytes\",\"fields\":[{\"name\":\"Destination\","
                   "\"value\":\"ff:ff:ff:ff:ff:ff (broadcast)\"}") != NULL);
  ck_assert(strstr(out->str,
                   "{\"layer\":\"ARP request\",\"fields\":[{\"name\""
                   ":\"Hardware type\",\"value\":\"Ethernet (1)\"}") != NULL);
  ck_assert(strstr(out->str, "{\"name\":\"Target IP address\",\"value\":"
                             "\"192.168.1.1\"}]},{\"layer\":\"Padding: 18 "
                             "bytes\",\"fields\":[]}],\"hex\":\"ffffffffffff"
                             "020000000003080600010800060400010200") != NULL);
  ck_assert(g_str_has_suffix(out->str, "c0a80101"
                                       "000000000000000000000000000000"
                                       "000000\"}\n"));
  /* One line: the only newline ends it. */
  ck_assert_ptr_eq(strchr(out->str, '\n'), out->str + out->len - 1);
}
END_TEST

/* Through the log: ns_log_event_bytes hands the bytes to the sinks; the
 * other events carry none. */
static void bytes_sink(const NsLogEvent *ev, gpointer data) {
  GString *seen = data;
  g_string_append_printf(seen, "%s:%" G_GSIZE_FORMAT ":%s|", ev->event, ev->len,
                         ev->bytes != NULL ? "bytes" : "none");
}

START_TEST(log_event_bytes_reach_sinks) {
  g_autoptr(GString) seen = g_string_new(NULL);
  NsLog *log = ns_log_new();
  ns_log_add_sink(log, bytes_sink, seen, NULL);
  ns_log_event_bytes(log, 0, "h1", "link/frame", 2, NULL, "x", arp_request,
                     sizeof arp_request);
  ns_log_event(log, 0, "h1", "arp/request", 2, NULL, "y");
  ns_log_event_bytes(log, 0, "h1", "link/frame", 2, NULL, "z", NULL, 9);
  ns_log_free(log);
  ck_assert_str_eq(seen->str,
                   "link/frame:60:bytes|arp/request:0:none|link/frame:0:none|");
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
  ck_assert(strstr(plain, "r1    ip/forward      #2    ttl 63\n") != NULL);
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
  tcase_add_test(tc, text_frame_layers_and_hex);
  tcase_add_test(tc, json_layers_from_text);
  tcase_add_test(tc, json_layers_edge_texts);
  tcase_add_test(tc, json_frame_event);
  tcase_add_test(tc, log_event_bytes_reach_sinks);
  suite_add_tcase(s, tc);
  tc = test_tcase("sinks");
  tcase_add_test(tc, sink_text_explain);
  tcase_add_test(tc, sink_json_one_object_a_line);
  suite_add_tcase(s, tc);
  return s;
}

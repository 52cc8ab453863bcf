/* test_http_get.c — apps/http_get: the request `http get` sends and how
 * it reads the answer, byte for byte, without a network. */
#include <string.h>

#include "apps/http_get.h"
#include "testutil.h"

static NsHttpParse parse(const char *s, gboolean eof, NsHttpResponse *r) {
  return ns_http_response_parse((const guint8 *)s, strlen(s), eof, r);
}

START_TEST(test_request) {
  g_autofree char *req = ns_http_get_request("h3:8000", "/index.html");
  ck_assert_str_eq(req, "GET /index.html HTTP/1.1\r\n"
                        "Host: h3:8000\r\n"
                        "Accept: */*\r\n"
                        "Connection: close\r\n"
                        "\r\n");
}
END_TEST

/* The body's end: Content-Length, else the close; every prefix of a
 * complete answer wants more. */
START_TEST(test_content_length) {
  const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                     "Server: x\r\n\r\nhello";
  NsHttpResponse r;
  gsize n = strlen(resp);
  for (gsize i = 0; i < n; i++) {
    ck_assert_int_eq(ns_http_response_parse((const guint8 *)resp, i, FALSE, &r),
                     NS_HTTP_MORE);
  }
  ck_assert_int_eq(parse(resp, FALSE, &r), NS_HTTP_COMPLETE);
  ck_assert_uint_eq(r.status, 200);
  ck_assert_uint_eq(r.status_len, 15);
  ck_assert_uint_eq(r.head_len, n - 5);
  ck_assert_uint_eq(r.body_len, 5);
  ck_assert_int_eq(r.content_length, 5);
  /* Bytes after the body are not the body's. */
  g_autofree char *more = g_strconcat(resp, "extra", NULL);
  ck_assert_int_eq(parse(more, FALSE, &r), NS_HTTP_COMPLETE);
  ck_assert_uint_eq(r.body_len, 5);
  /* Cut short by the close. */
  ck_assert_int_eq(
      ns_http_response_parse((const guint8 *)resp, n - 2, TRUE, &r),
      NS_HTTP_BAD);
  ck_assert(strstr(r.error, "before the end of the body") != NULL);
}
END_TEST

START_TEST(test_until_close_and_no_body) {
  NsHttpResponse r;
  const char *resp = "HTTP/1.0 200 OK\nContent-Type: text/plain\n\nline 1\n";
  ck_assert_int_eq(parse(resp, FALSE, &r), NS_HTTP_MORE);
  ck_assert_int_eq(parse(resp, TRUE, &r), NS_HTTP_COMPLETE);
  ck_assert_uint_eq(r.body_len, 7);
  ck_assert_int_eq(r.content_length, -1);
  ck_assert_int_eq(parse("HTTP/1.1 204 No Content\r\n\r\n", FALSE, &r),
                   NS_HTTP_COMPLETE);
  ck_assert_uint_eq(r.status, 204);
  ck_assert_uint_eq(r.body_len, 0);
  ck_assert_int_eq(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n"
                         "\r\n",
                         FALSE, &r),
                   NS_HTTP_COMPLETE);
  const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n";
  ck_assert_int_eq(parse(chunked, FALSE, &r), NS_HTTP_MORE);
  ck_assert(r.chunked);
  g_autofree char *last = g_strconcat(chunked, "0\r\n\r\n", NULL);
  ck_assert_int_eq(parse(last, FALSE, &r), NS_HTTP_COMPLETE);
  ck_assert_uint_eq(r.body_len, 15);
}
END_TEST

/* A chunked body: whole only at the empty line after the last chunk and
 * its trailer (every shorter prefix wants more, even one whose data holds
 * "0\r\n\r\n"); decoded without sizes, extensions or trailer. */
START_TEST(test_chunked) {
  const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const char *body = "5;name=x\r\nhe0\r\n\r\n"
                     "A\r\n0123456789\r\n"
                     "0\r\nTrailer: t\r\n\r\n";
  g_autofree char *resp = g_strconcat(head, body, NULL);
  gsize n = strlen(resp);
  NsHttpResponse r;
  for (gsize i = 0; i < n; i++)
    ck_assert_int_eq(ns_http_response_parse((const guint8 *)resp, i, FALSE, &r),
                     NS_HTTP_MORE);
  ck_assert_int_eq(parse(resp, FALSE, &r), NS_HTTP_COMPLETE);
  ck_assert(r.chunked);
  ck_assert_uint_eq(r.body_len, strlen(body));
  g_autoptr(GByteArray) out = g_byte_array_new();
  ns_http_body_decode((const guint8 *)resp + r.head_len, r.body_len, TRUE, out);
  ck_assert_uint_eq(out->len, 15);
  ck_assert(memcmp(out->data, "he0\r\n0123456789", 15) == 0);
  /* LF alone ends the lines too; and the closed-early and broken cases */
  g_autofree char *lf = g_strconcat(head, "3\nabc\n0\n\n", NULL);
  ck_assert_int_eq(parse(lf, FALSE, &r), NS_HTTP_COMPLETE);
  static const struct {
    const char *body;
    const char *why;
  } bad[] = {
      {"5\r\nhel", "middle of a chunked body"},
      {"zz\r\nhello\r\n0\r\n\r\n", "not a hexadecimal number"},
      {"3\r\nhello\r\n0\r\n\r\n", "does not end where its size says"},
      {"fffffffffffffffff\r\n", "larger than 1 GiB"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *b = g_strconcat(head, bad[i].body, NULL);
    ck_assert_int_eq(parse(b, TRUE, &r), NS_HTTP_BAD);
    ck_assert_msg(strstr(r.error, bad[i].why) != NULL, "case %u: %s", i,
                  r.error);
  }
}
END_TEST

START_TEST(test_bad) {
  static const struct {
    const char *in;
    gboolean eof;
    const char *why;
  } cases[] = {
      {"GET / HTTP/1.1\r\n", FALSE, "not an HTTP response"},
      {"HTTX", FALSE, "not an HTTP response"},
      {"", TRUE, "without answering"},
      {"HTTP/1.1 200 OK\r\nServer", TRUE, "middle of the response head"},
      {"HTTP/1.1 2x0 OK\r\n\r\n", FALSE, "status line does not parse"},
      {"HTTP/1.1 200\r\nContent-Length: 12a\r\n\r\n", FALSE, "not a number"},
      {"HTTP/2 200\r\n\r\n", FALSE, "status line does not parse"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    NsHttpResponse r;
    ck_assert_int_eq(parse(cases[i].in, cases[i].eof, &r), NS_HTTP_BAD);
    ck_assert_msg(strstr(r.error, cases[i].why) != NULL, "case %u: %s", i,
                  r.error);
  }
  NsHttpResponse r;
  ck_assert_int_eq(parse("HTT", FALSE, &r), NS_HTTP_MORE);
  ck_assert_int_eq(parse("", FALSE, &r), NS_HTTP_MORE);
  /* "HTTP/1.1 200" without a reason phrase is a status line. */
  ck_assert_int_eq(
      parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", FALSE, &r),
      NS_HTTP_COMPLETE);
  /* A head that never ends stops being read at the bound. */
  GString *big = g_string_new("HTTP/1.1 200 OK\r\n");
  while (big->len <= NS_HTTP_RESPONSE_HEAD_MAX)
    g_string_append(big, "X-Pad: 0123456789012345678901234567890123456789\r\n");
  ck_assert_int_eq(parse(big->str, FALSE, &r), NS_HTTP_BAD);
  g_string_free(big, TRUE);
}
END_TEST

/* What a person reads: head lines without CR, the body's lines whole (no
 * 60-character cut), UTF-8 as text, other bytes escaped. */
START_TEST(test_lines) {
  GString *body = g_string_new("\xe4\xbd\xa0\xe5\xa5\xbd\r\n");
  for (int i = 0; i < 30; i++)
    g_string_append(body, "0123456789");
  g_string_append(body, "\n\x01tail");
  g_autofree char *resp = g_strdup_printf(
      "HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
      body->len, body->str);
  NsHttpResponse r;
  ck_assert_int_eq(parse(resp, FALSE, &r), NS_HTTP_COMPLETE);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  ns_http_response_lines((const guint8 *)resp, &r, lines);
  ck_assert_uint_eq(lines->len, 6);
  ck_assert_str_eq(g_ptr_array_index(lines, 0), "HTTP/1.1 200 OK");
  ck_assert(g_str_has_prefix(g_ptr_array_index(lines, 1), "Content-Length: "));
  ck_assert_str_eq(g_ptr_array_index(lines, 2), "");
  ck_assert_str_eq(g_ptr_array_index(lines, 3), "你好");
  ck_assert_uint_eq(strlen(g_ptr_array_index(lines, 4)), 300);
  ck_assert_str_eq(g_ptr_array_index(lines, 5), "\\x01tail");
  g_string_free(body, TRUE);
}
END_TEST

Suite *test_http_get_suite(void) {
  Suite *s = suite_create("http_get");
  TCase *tc = test_tcase("core");
  tcase_add_test(tc, test_request);
  tcase_add_test(tc, test_content_length);
  tcase_add_test(tc, test_until_close_and_no_body);
  tcase_add_test(tc, test_chunked);
  tcase_add_test(tc, test_bad);
  tcase_add_test(tc, test_lines);
  suite_add_tcase(s, tc);
  return s;
}

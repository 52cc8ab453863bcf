/* test_services.c — services: spec parsing (every error), formatting, the
 * HTTP answers byte for byte, and (over a small network) each service
 * against a client. */
#include <string.h>

#include "net/services_private.h"
#include "testutil.h"

/* ---- specs --------------------------------------------------------------- */

static NsServiceSpec parse_ok(const char *item) {
  NsServiceSpec s;
  GError *e = NULL;
  ck_assert_msg(ns_service_spec_parse(item, &s, &e), "'%s': %s", item,
                e ? e->message : "?");
  ck_assert(e == NULL);
  return s;
}

static void parse_fails(const char *item, const char *want) {
  NsServiceSpec s = {.kind = NS_SVC_HTTP, .port = 4242};
  GError *e = NULL;
  ck_assert_msg(!ns_service_spec_parse(item, &s, &e), "'%s' parsed", item);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_msg(strstr(e->message, want) != NULL, "'%s':\n got  %s\n want %s",
                item, e->message, want);
  ck_assert_msg(strstr(e->message, "expected") != NULL, "%s", e->message);
  /* *out untouched on failure */
  ck_assert_int_eq(s.kind, NS_SVC_HTTP);
  ck_assert_uint_eq(s.port, 4242);
  g_error_free(e);
}

START_TEST(test_parse_kinds) {
  static const struct {
    const char *item;
    NsServiceKind kind;
    guint port;
    const char *text;
    const char *group;
  } cases[] = {
      {"tcp-echo 7", NS_SVC_TCP_ECHO, 7, NULL, NULL},
      {"tcp-echo:7", NS_SVC_TCP_ECHO, 7, NULL, NULL},
      {"  udp-echo\t7  ", NS_SVC_UDP_ECHO, 7, NULL, NULL},
      {"udp-echo: 7", NS_SVC_UDP_ECHO, 7, NULL, NULL},
      {"tcp-reply 8080 i am server", NS_SVC_TCP_REPLY, 8080, "i am server",
       NULL},
      {"tcp-reply:8080   i  am: server ", NS_SVC_TCP_REPLY, 8080,
       "i  am: server", NULL},
      {"http 80", NS_SVC_HTTP, 80, NULL, NULL},
      {"http:65535", NS_SVC_HTTP, 65535, NULL, NULL},
      {"http 1", NS_SVC_HTTP, 1, NULL, NULL},
      {"udp-listen 9000", NS_SVC_UDP_LISTEN, 9000, NULL, NULL},
      {"udp-listen:9000 group 239.1.1.1", NS_SVC_UDP_LISTEN, 9000, NULL,
       "239.1.1.1"},
      {"udp-listen 9000 group 224.0.0.251", NS_SVC_UDP_LISTEN, 9000, NULL,
       "224.0.0.251"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    NsServiceSpec s = parse_ok(cases[i].item);
    ck_assert_int_eq(s.kind, cases[i].kind);
    ck_assert_uint_eq(s.port, cases[i].port);
    if (cases[i].text)
      ck_assert_str_eq(s.text, cases[i].text);
    else
      ck_assert(s.text == NULL);
    char g[NS_IP4_STRLEN];
    ck_assert_str_eq(ns_ip4_format(s.group, g),
                     cases[i].group ? cases[i].group : "0.0.0.0");
    ns_service_spec_clear(&s);
    ck_assert(s.text == NULL);
  }
}
END_TEST

START_TEST(test_parse_errors) {
  static const struct {
    const char *item, *want;
  } cases[] = {
      {"", "empty service (expected tcp-echo PORT, udp-echo PORT, tcp-reply "
           "PORT TEXT, http PORT or udp-listen PORT [group G])"},
      {"   ", "empty service"},
      {"tcp-echoo 7",
       "'tcp-echoo 7' is not a service (expected tcp-echo PORT, udp-echo "
       "PORT, tcp-reply PORT TEXT, http PORT or udp-listen PORT [group G])"},
      {"HTTP 80", "'HTTP 80' is not a service"},
      {":80", "':80' is not a service"},
      {"tcp-echo", "'tcp-echo' needs a port (expected tcp-echo PORT, such as "
                   "tcp-echo 7)"},
      {"http:", "'http:' needs a port (expected http PORT, such as http 80)"},
      {"tcp-echo 0", "'tcp-echo 0': '0' is not a port (expected a whole "
                     "number from 1 to 65535)"},
      {"tcp-echo 65536", "'65536' is not a port"},
      {"udp-echo 70000", "'70000' is not a port"},
      {"http abc", "'abc' is not a port"},
      {"http -1", "'-1' is not a port"},
      {"http 8o", "'8o' is not a port"},
      {"http:80:81", "'80:81' is not a port"},
      {"http 99999999999999999999", "is not a port"},
      {"tcp-echo 7 extra", "'tcp-echo 7 extra': unexpected 'extra' (expected "
                           "tcp-echo PORT)"},
      {"http 80 x y", "unexpected 'x' (expected http PORT)"},
      {"udp-echo 7 group 239.1.1.1", "unexpected 'group' (expected udp-echo "
                                     "PORT)"},
      {"tcp-reply 8080", "'tcp-reply 8080' has no text (expected tcp-reply "
                         "PORT TEXT, such as tcp-reply 8080 i am server)"},
      {"tcp-reply:8080  ", "has no text"},
      {"tcp-reply x hello", "'x' is not a port"},
      {"udp-listen 9000 grp 239.1.1.1",
       "unexpected 'grp' (expected udp-listen PORT [group G])"},
      {"udp-listen 9000 group",
       "group needs an address (expected udp-listen PORT group G"},
      {"udp-listen 9000 group 239.1.1.1 more",
       "unexpected 'more' (expected udp-listen PORT [group G])"},
      {"udp-listen 9000 group 239.1.1", "group: '239.1.1' is not an IPv4"},
      {"udp-listen 9000 group 10.0.0.1",
       "'udp-listen 9000 group 10.0.0.1': 10.0.0.1 is not a multicast group "
       "(expected an address in 224.0.0.0/4, such as 239.1.1.1)"},
      {"udp-listen 9000 group 240.0.0.1", "240.0.0.1 is not a multicast"},
      {"udp-listen 9000 group 255.255.255.255", "is not a multicast group"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    parse_fails(cases[i].item, cases[i].want);
}
END_TEST

START_TEST(test_format_round_trip) {
  static const char *const items[] = {
      "tcp-echo 7",
      "udp-echo 7",
      "tcp-reply 8080 i am server",
      "tcp-reply 1 x",
      "http 80",
      "http 65535",
      "udp-listen 9000",
      "udp-listen 9000 group 239.1.1.1",
  };
  for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
    NsServiceSpec s = parse_ok(items[i]);
    g_autofree char *f = ns_service_spec_format(&s);
    ck_assert_str_eq(f, items[i]);
    NsServiceSpec c;
    ns_service_spec_copy(&c, &s);
    ns_service_spec_clear(&s); /* the copy owns its own text */
    g_autofree char *f2 = ns_service_spec_format(&c);
    ck_assert_str_eq(f2, items[i]);
    NsServiceSpec again = parse_ok(f2);
    ck_assert_int_eq(again.kind, c.kind);
    ck_assert_uint_eq(again.port, c.port);
    ck_assert(ns_ip4_equal(again.group, c.group));
    ns_service_spec_clear(&again);
    ns_service_spec_clear(&c);
  }
  /* NAME:PORT and extra blanks come back in the canonical form. */
  NsServiceSpec s = parse_ok("  http:8080 ");
  g_autofree char *f = ns_service_spec_format(&s);
  ck_assert_str_eq(f, "http 8080");
  ck_assert_str_eq(ns_service_kind_name(NS_SVC_UDP_LISTEN), "udp-listen");
  ck_assert(ns_service_kind_is_tcp(NS_SVC_HTTP));
  ck_assert(ns_service_kind_is_tcp(NS_SVC_TCP_REPLY));
  ck_assert(!ns_service_kind_is_tcp(NS_SVC_UDP_ECHO));
  ck_assert(!ns_service_kind_is_tcp(NS_SVC_UDP_LISTEN));
}
END_TEST

/* ---- HTTP answers, without a network ------------------------------------- */

static const NsHttpSite site = {"h3", {0xC0A8020Au}, 80}; /* 192.168.2.10 */

typedef struct {
  GByteArray *out;
  NsHttpAnswer a;
  gboolean done;
} Answer;

static Answer answer(const char *req) {
  Answer r = {g_byte_array_new(), {0}, FALSE};
  r.done = ns_http_answer((const guint8 *)req, strlen(req), &site, r.out, &r.a);
  return r;
}

static char *out_str(const Answer *r) {
  return g_strndup((const char *)r->out->data, r->out->len);
}

/* The header block and the body of a response; checks Content-Length. */
static void split_response(const char *resp, char **head, char **body,
                           gsize *content_length) {
  const char *sep = strstr(resp, "\r\n\r\n");
  ck_assert_msg(sep != NULL, "no end of head: %s", resp);
  *head = g_strndup(resp, (gsize)(sep - resp) + 2);
  *body = g_strdup(sep + 4);
  const char *cl = strstr(*head, "\r\nContent-Length: ");
  ck_assert_msg(cl != NULL, "%s", *head);
  *content_length = (gsize)g_ascii_strtoull(cl + 18, NULL, 10);
}

START_TEST(test_http_get) {
  Answer r = answer("GET / HTTP/1.1\r\nHost: h3\r\n\r\n");
  ck_assert(r.done);
  ck_assert_uint_eq(r.a.status, 200);
  ck_assert(!r.a.close);
  ck_assert_str_eq(r.a.method, "GET");
  ck_assert_str_eq(r.a.path, "/");
  ck_assert_uint_eq(r.a.request_len, 28);
  ck_assert_uint_eq(r.a.response_len, r.out->len);
  g_autofree char *s = out_str(&r);
  g_autofree char *head = NULL, *body = NULL;
  gsize cl = 0;
  split_response(s, &head, &body, &cl);
  ck_assert(g_str_has_prefix(head, "HTTP/1.1 200 OK\r\n"));
  ck_assert(strstr(head, "\r\nServer: netsim\r\n") != NULL);
  ck_assert(strstr(head, "\r\nContent-Type: text/html; charset=utf-8\r\n"));
  ck_assert(strstr(head, "Date:") == NULL);
  ck_assert(strstr(head, "Connection:") == NULL);
  ck_assert_uint_eq(cl, strlen(body));
  ck_assert(strstr(body, "h3") != NULL);
  ck_assert(strstr(body, "192.168.2.10") != NULL);
  ck_assert(strstr(body, "port 80") != NULL);
  g_byte_array_unref(r.out);

  /* /index.html, an absolute target, a query, bare LF line ends */
  const char *same[] = {
      "GET /index.html HTTP/1.1\r\n\r\n", "GET http://h3/ HTTP/1.1\r\n\r\n",
      "GET http://h3 HTTP/1.1\r\n\r\n",   "GET /?x=1 HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\nHost: h3\n\n",     "\r\n\r\nGET / HTTP/1.1\r\n\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS(same); i++) {
    Answer q = answer(same[i]);
    ck_assert_msg(q.done && q.a.status == 200, "%s", same[i]);
    ck_assert_uint_eq(q.a.request_len, strlen(same[i]));
    g_autofree char *qs = out_str(&q);
    g_autofree char *h2 = NULL, *b2 = NULL;
    split_response(qs, &h2, &b2, &cl);
    ck_assert_str_eq(b2, body);
    g_byte_array_unref(q.out);
  }
}
END_TEST

START_TEST(test_http_head_404_501) {
  Answer g = answer("GET / HTTP/1.1\r\n\r\n");
  Answer h = answer("HEAD / HTTP/1.1\r\n\r\n");
  ck_assert(h.done);
  ck_assert_uint_eq(h.a.status, 200);
  g_autofree char *gs = out_str(&g), *hs = out_str(&h);
  /* HEAD: the same head (Content-Length of the page), no body */
  ck_assert(g_str_has_suffix(hs, "\r\n\r\n"));
  ck_assert(g_str_has_prefix(gs, hs));
  ck_assert_uint_gt(strlen(gs), strlen(hs));
  g_byte_array_unref(g.out);
  g_byte_array_unref(h.out);

  Answer n = answer("GET /nope.html HTTP/1.1\r\n\r\n");
  ck_assert_uint_eq(n.a.status, 404);
  ck_assert(!n.a.close);
  g_autofree char *ns = out_str(&n);
  g_autofree char *head = NULL, *body = NULL;
  gsize cl = 0;
  split_response(ns, &head, &body, &cl);
  ck_assert(g_str_has_prefix(head, "HTTP/1.1 404 Not Found\r\n"));
  ck_assert_uint_eq(cl, strlen(body));
  ck_assert(strstr(body, "/nope.html") != NULL);
  g_byte_array_unref(n.out);

  /* The path is escaped in the page. */
  Answer x = answer("GET /<b>&x HTTP/1.1\r\n\r\n");
  ck_assert_uint_eq(x.a.status, 404);
  g_autofree char *xs = out_str(&x);
  ck_assert(strstr(xs, "/&lt;b&gt;&amp;x") != NULL);
  ck_assert(strstr(xs, "<b>") == NULL);
  g_byte_array_unref(x.out);

  const char *unimpl[] = {
      "POST / HTTP/1.1\r\n\r\n", "DELETE /x HTTP/1.1\r\n\r\n",
      "get / HTTP/1.1\r\n\r\n", "OPTIONS * HTTP/1.1\r\n\r\n"};
  for (guint i = 0; i < G_N_ELEMENTS(unimpl); i++) {
    Answer u = answer(unimpl[i]);
    ck_assert_uint_eq(u.a.status, 501);
    ck_assert(!u.a.close);
    g_autofree char *us = out_str(&u);
    ck_assert(g_str_has_prefix(us, "HTTP/1.1 501 Not Implemented\r\n"));
    g_byte_array_unref(u.out);
  }
  /* A body we will not read: answered, then the connection closes. */
  Answer p = answer("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
  ck_assert_uint_eq(p.a.status, 501);
  ck_assert(p.a.close);
  g_byte_array_unref(p.out);
}
END_TEST

START_TEST(test_http_connection) {
  static const struct {
    const char *req;
    gboolean close;
    const char *conn_header; /* expected Connection: line, or NULL */
  } cases[] = {
      {"GET / HTTP/1.1\r\n\r\n", FALSE, NULL},
      {"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", TRUE,
       "Connection: close"},
      {"GET / HTTP/1.1\r\nconnection:   Keep-Alive, CLOSE \r\n\r\n", TRUE,
       "Connection: close"},
      {"GET / HTTP/1.0\r\n\r\n", TRUE, "Connection: close"},
      {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", FALSE,
       "Connection: keep-alive"},
      {"HEAD / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", TRUE,
       "Connection: close"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    Answer r = answer(cases[i].req);
    ck_assert_uint_eq(r.a.status, 200);
    ck_assert_msg(r.a.close == cases[i].close, "%s", cases[i].req);
    g_autofree char *s = out_str(&r);
    if (cases[i].conn_header)
      ck_assert_msg(strstr(s, cases[i].conn_header) != NULL, "%s", s);
    else
      ck_assert(strstr(s, "Connection:") == NULL);
    g_byte_array_unref(r.out);
  }
}
END_TEST

START_TEST(test_http_bad) {
  const char *bad[] = {
      "GET /\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1 \r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET / http/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
      "GET / HTTP/1.1\r\nName : v\r\n\r\n",
      "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
      "G(T / HTTP/1.1\r\n\r\n",
      "GET nopath HTTP/1.1\r\n\r\n",
      "GET /\x01 HTTP/1.1\r\n\r\n",
      "\x16\x03\x01\x02\x05\x01\x07\n\n", /* TLS on the HTTP port */
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    Answer r = answer(bad[i]);
    ck_assert_msg(r.done, "%u", i);
    ck_assert_msg(r.a.status == 400, "%u: %u", i, r.a.status);
    ck_assert(r.a.close);
    ck_assert_uint_eq(r.a.request_len, strlen(bad[i]));
    g_autofree char *s = out_str(&r);
    ck_assert(g_str_has_prefix(s, "HTTP/1.1 400 Bad Request\r\n"));
    ck_assert(strstr(s, "\r\nConnection: close\r\n") != NULL);
    g_byte_array_unref(r.out);
  }
  /* A head over 8 KiB, complete or not. */
  GString *big = g_string_new("GET / HTTP/1.1\r\nX-Pad: ");
  while (big->len <= NS_HTTP_HEAD_MAX)
    g_string_append_c(big, 'a');
  Answer r = answer(big->str);
  ck_assert(r.done);
  ck_assert_uint_eq(r.a.status, 400);
  ck_assert(r.a.close);
  ck_assert_uint_eq(r.a.request_len, big->len);
  g_byte_array_unref(r.out);
  g_string_append(big, "\r\n\r\n");
  r = answer(big->str);
  ck_assert_uint_eq(r.a.status, 400);
  g_byte_array_unref(r.out);
  g_string_free(big, TRUE);
}
END_TEST

START_TEST(test_http_incremental) {
  /* Incomplete heads wait for more bytes; nothing is written. */
  const char *full = "GET / HTTP/1.1\r\nHost: h3\r\n\r\n";
  for (gsize n = 0; n < strlen(full); n++) {
    GByteArray *out = g_byte_array_new();
    NsHttpAnswer a;
    ck_assert_msg(!ns_http_answer((const guint8 *)full, n, &site, out, &a),
                  "answered after %zu bytes", n);
    ck_assert_uint_eq(out->len, 0);
    g_byte_array_unref(out);
  }
  /* Two pipelined requests: the first answer takes only the first. */
  const char *two = "GET / HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
  Answer r = answer(two);
  ck_assert_uint_eq(r.a.status, 200);
  ck_assert_uint_eq(r.a.request_len, 18);
  NsHttpAnswer b;
  ck_assert(ns_http_answer((const guint8 *)two + 18, strlen(two) - 18, &site,
                           r.out, &b));
  ck_assert_uint_eq(b.status, 404);
  ck_assert_str_eq(b.path, "/x");
  g_byte_array_unref(r.out);
}
END_TEST

/* Random bytes and mutated requests: always either "need more" or one
 * answer that takes at least one byte (the sanitizer build checks reads). */
START_TEST(test_http_fuzz) {
  GRand *rng = g_rand_new_with_seed(7);
  const char *base = "GET /index.html HTTP/1.1\r\nHost: h3\r\nConnection: "
                     "keep-alive\r\n\r\n";
  for (guint iter = 0; iter < 3000; iter++) {
    GByteArray *in = g_byte_array_new();
    if (iter % 2 == 0) {
      g_byte_array_append(in, (const guint8 *)base, (guint)strlen(base));
      for (guint k = 0; k < 3; k++)
        in->data[g_rand_int_range(rng, 0, (gint32)in->len)] =
            (guint8)g_rand_int_range(rng, 0, 256);
    } else {
      guint len = (guint)g_rand_int_range(rng, 0, 64);
      for (guint k = 0; k < len; k++) {
        guint8 c = (guint8)g_rand_int_range(rng, 0, 256);
        if (g_rand_boolean(rng))
          c = (guint8) " \r\n:/GETH"[g_rand_int_range(rng, 0, 9)];
        g_byte_array_append(in, &c, 1);
      }
    }
    GByteArray *out = g_byte_array_new();
    NsHttpAnswer a;
    if (ns_http_answer(in->data, in->len, &site, out, &a)) {
      ck_assert_uint_gt(a.request_len, 0);
      ck_assert_uint_le(a.request_len, in->len);
      ck_assert_uint_gt(out->len, 0);
    } else {
      ck_assert_uint_eq(out->len, 0);
    }
    g_byte_array_unref(out);
    g_byte_array_unref(in);
  }
  g_rand_free(rng);
}
END_TEST

Suite *test_services_suite(void) {
  Suite *s = suite_create("services");
  TCase *tc = test_tcase("spec");
  tcase_add_test(tc, test_parse_kinds);
  tcase_add_test(tc, test_parse_errors);
  tcase_add_test(tc, test_format_round_trip);
  suite_add_tcase(s, tc);

  tc = test_tcase("http-answers");
  tcase_add_test(tc, test_http_get);
  tcase_add_test(tc, test_http_head_404_501);
  tcase_add_test(tc, test_http_connection);
  tcase_add_test(tc, test_http_bad);
  tcase_add_test(tc, test_http_incremental);
  tcase_add_test(tc, test_http_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

/* test_services.c — services: spec parsing (every error), formatting, the
 * HTTP answers byte for byte, and (over a small network) each service
 * against a client. */
#include <string.h>

#include "apps/services_private.h"
#include "net/ipnode_harness.h"
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
  NsServiceSpec s = {.kind = &ns_service_http, .port = 4242};
  GError *e = NULL;
  ck_assert_msg(!ns_service_spec_parse(item, &s, &e), "'%s' parsed", item);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_msg(strstr(e->message, want) != NULL, "'%s':\n got  %s\n want %s",
                item, e->message, want);
  ck_assert_msg(strstr(e->message, "expected") != NULL, "%s", e->message);
  /* *out untouched on failure */
  ck_assert(s.kind == &ns_service_http);
  ck_assert_uint_eq(s.port, 4242);
  ck_assert(s.arg == NULL);
  g_error_free(e);
}

START_TEST(test_parse_kinds) {
  static const struct {
    const char *item;
    const NsServiceKind *kind;
    guint port;
    const char *arg; /* canonical: tcp-reply's text, udp-listen's group */
  } cases[] = {
      {"tcp-echo 7", &ns_service_tcp_echo, 7, NULL},
      {"tcp-echo:7", &ns_service_tcp_echo, 7, NULL},
      {"  udp-echo\t7  ", &ns_service_udp_echo, 7, NULL},
      {"udp-echo: 7", &ns_service_udp_echo, 7, NULL},
      {"tcp-reply 8080 i am server", &ns_service_tcp_reply, 8080,
       "i am server"},
      {"tcp-reply:8080   i  am: server ", &ns_service_tcp_reply, 8080,
       "i  am: server"},
      {"tcp-reply 8080 once i am server", &ns_service_tcp_reply, 8080,
       "once i am server"},
      {"tcp-reply 8080 once \t i am", &ns_service_tcp_reply, 8080, "once i am"},
      {"tcp-reply 8080 onceupon", &ns_service_tcp_reply, 8080, "onceupon"},
      {"http 80", &ns_service_http, 80, NULL},
      {"http:65535", &ns_service_http, 65535, NULL},
      {"http 1", &ns_service_http, 1, NULL},
      {"udp-listen 9000", &ns_service_udp_listen, 9000, NULL},
      {"udp-listen:9000 group 239.1.1.1", &ns_service_udp_listen, 9000,
       "group 239.1.1.1"},
      {"udp-listen 9000   group\t224.0.0.251", &ns_service_udp_listen, 9000,
       "group 224.0.0.251"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    NsServiceSpec s = parse_ok(cases[i].item);
    ck_assert_msg(s.kind == cases[i].kind, "%s: %s", cases[i].item,
                  s.kind->name);
    ck_assert_uint_eq(s.port, cases[i].port);
    if (cases[i].arg)
      ck_assert_str_eq(s.arg, cases[i].arg);
    else
      ck_assert(s.arg == NULL);
    ns_service_spec_clear(&s);
    ck_assert(s.arg == NULL);
  }
}
END_TEST

START_TEST(test_parse_errors) {
  static const struct {
    const char *item, *want;
  } cases[] = {
      {"", "empty service (expected tcp-echo PORT, udp-echo PORT, tcp-reply "
           "PORT [once] TEXT, http PORT or udp-listen PORT [group G])"},
      {"   ", "empty service"},
      {"tcp-echoo 7",
       "'tcp-echoo 7' is not a service (expected tcp-echo PORT, udp-echo "
       "PORT, tcp-reply PORT [once] TEXT, http PORT or udp-listen PORT "
       "[group G])"},
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
                         "PORT [once] TEXT, such as tcp-reply 8080 i am "
                         "server)"},
      {"tcp-reply 8080 once", "'tcp-reply 8080 once' has no text"},
      {"tcp-reply 8080 once  ", "has no text"},
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
      "tcp-reply 8080 once i am server",
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
    ck_assert(again.kind == c.kind);
    ck_assert_uint_eq(again.port, c.port);
    ck_assert_str_eq(again.arg ? again.arg : "", c.arg ? c.arg : "");
    ns_service_spec_clear(&again);
    ns_service_spec_clear(&c);
  }
  /* NAME:PORT and extra blanks come back in the canonical form. */
  NsServiceSpec s = parse_ok("  http:8080 ");
  g_autofree char *f = ns_service_spec_format(&s);
  ck_assert_str_eq(f, "http 8080");
  ck_assert_str_eq(ns_service_kind_name(&ns_service_udp_listen), "udp-listen");
  ck_assert(ns_service_kind_is_tcp(&ns_service_http));
  ck_assert(ns_service_kind_is_tcp(&ns_service_tcp_reply));
  ck_assert(!ns_service_kind_is_tcp(&ns_service_udp_echo));
  ck_assert(!ns_service_kind_is_tcp(&ns_service_udp_listen));
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

/* ---- a small network ------------------------------------------------------
 *
 * h1 10.0.0.1 (the client) -- quick direct link -- h2 10.0.0.2 (the
 * server), each with TCP and UDP; h2 runs the services given. */

#define SERVER NS_IP4(10, 0, 0, 2)

typedef struct {
  PairBench pb;
  Net *net;
  NsTcp *t1, *t2;
  NsUdp *u1, *u2;
  NsServices *svcs;
} Bench;

static Bench bench_new(const char *const *specs) {
  Bench b;
  b.pb = pair_bench(&quick_link);
  b.net = b.pb.net;
  /* Fixed 64 KiB buffers (minimal): the backpressure tests fill them. */
  b.t1 = ns_tcp_new(b.pb.h1, &ns_tcp_minimal_config);
  b.t2 = ns_tcp_new(b.pb.h2, &ns_tcp_minimal_config);
  b.u1 = add_udp(b.net, b.pb.h1);
  b.u2 = add_udp(b.net, b.pb.h2);
  b.svcs = ns_services_new(b.pb.h2, b.u2, b.t2);
  for (guint i = 0; specs[i] != NULL; i++) {
    NsServiceSpec spec = parse_ok(specs[i]);
    GError *e = NULL;
    ck_assert_msg(ns_services_start(b.svcs, &spec, now_of(b.net), &e), "%s: %s",
                  specs[i], e ? e->message : "?");
    ns_service_spec_clear(&spec);
  }
  return b;
}

static void bench_free(Bench *b) {
  ns_services_free(b->svcs);
  ns_tcp_free(b->t1);
  ns_tcp_free(b->t2);
  net_free(b->net);
}

/* A TCP client on h1 that keeps what it receives. */
typedef struct {
  NsTcpConn *conn;
  GByteArray *got;     /* bytes received, in order */
  GByteArray *pending; /* bytes still to hand to TCP */
  gboolean reading;    /* FALSE: leave data in the receive buffer */
  gboolean closed;
  NsTcpCloseReason why;
} Client;

static void client_read(Client *c, NsTime now) {
  guint8 buf[2048];
  gsize n;
  while (c->reading && (n = ns_tcp_recv(c->conn, buf, sizeof buf, now)) > 0)
    g_byte_array_append(c->got, buf, (guint)n);
}

static void client_push(Client *c, NsTime now) {
  while (c->pending->len > 0) {
    gsize n = ns_tcp_send(c->conn, c->pending->data, c->pending->len, now);
    if (n == 0)
      return;
    g_byte_array_remove_range(c->pending, 0, (guint)n);
  }
}

static void on_client_readable(NsTcpConn *tc, NsTime now, gpointer data) {
  (void)tc;
  client_read(data, now);
}

static void on_client_writable(NsTcpConn *tc, NsTime now, gpointer data) {
  (void)tc;
  client_push(data, now);
}

static void on_client_closed(NsTcpConn *tc, NsTcpCloseReason why, NsTime now,
                             gpointer data) {
  (void)tc;
  (void)now;
  Client *c = data;
  c->closed = TRUE;
  c->why = why;
}

static Client *client_new(Bench *b, guint16 port) {
  Client *c = g_new0(Client, 1);
  c->got = g_byte_array_new();
  c->pending = g_byte_array_new();
  c->reading = TRUE;
  NsTcpCallbacks cb = {.readable = on_client_readable,
                       .writable = on_client_writable,
                       .closed = on_client_closed,
                       .data = c};
  GError *e = NULL;
  c->conn = ns_tcp_connect(b->t1, SERVER, port, 0, &cb, now_of(b->net), &e);
  ck_assert_msg(c->conn != NULL, "%s", e ? e->message : "?");
  run_for(b->net, 50 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(c->conn), NS_TCP_ESTABLISHED);
  return c;
}

static void client_send(Bench *b, Client *c, const void *p, gsize len) {
  g_byte_array_append(c->pending, p, (guint)len);
  client_push(c, now_of(b->net));
}

static void client_send_str(Bench *b, Client *c, const char *s) {
  client_send(b, c, s, strlen(s));
}

static char *client_text(Client *c) {
  return g_strndup((const char *)c->got->data, c->got->len);
}

static void client_free(Client *c) {
  ns_tcp_release(c->conn);
  g_byte_array_unref(c->got);
  g_byte_array_unref(c->pending);
  g_free(c);
}

static guint count_str(const char *hay, const char *needle) {
  guint n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* ---- TCP services ---------------------------------------------------------
 */

START_TEST(test_tcp_echo) {
  const char *const specs[] = {"tcp-echo 7", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 7);
  client_send_str(&b, c, "hello, echo\n");
  run_for(b.net, 50 * NS_MSEC);
  g_autofree char *t = client_text(c);
  ck_assert_str_eq(t, "hello, echo\n");
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->connections, 1);
  ck_assert_uint_eq(st->active, 1);
  ck_assert_uint_eq(st->bytes_in, 12);
  ck_assert_uint_eq(st->bytes_out, 12);

  /* The client closes: the server closes too, once all is echoed. */
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_int_eq(c->why, NS_TCP_CLOSE_NORMAL);
  ck_assert_uint_eq(st->active, 0);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/start"), 1);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/accept"), 1);
  ck_assert_uint_ge(ev_count(b.net, "h2", "service/receive"), 1);
  ck_assert_uint_ge(ev_count(b.net, "h2", "service/reply"), 1);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/close"), 1);
  client_free(c);
  bench_free(&b);
}
END_TEST

/* More than every buffer on the path holds: while the client does not
 * read, the server stops reading too (it holds at most one chunk it could
 * not send); once the client reads, every byte comes back in order. */
START_TEST(test_tcp_echo_backpressure) {
  const char *const specs[] = {"tcp-echo 7", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 7);
  const gsize total = 400 * 1024;
  GByteArray *data = g_byte_array_sized_new((guint)total);
  for (gsize i = 0; i < total; i++) {
    guint8 x = (guint8)(i * 7 + i / 251);
    g_byte_array_append(data, &x, 1);
  }
  c->reading = FALSE;
  client_send(&b, c, data->data, data->len);
  run_for(b.net, 2 * NS_SEC);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_lt(st->bytes_in, total);
  ck_assert_uint_gt(st->bytes_in, 0);
  ck_assert_uint_le(st->bytes_in - st->bytes_out, 4096);
  ck_assert_uint_gt(c->pending->len, 0); /* the client is held back too */
  guint64 stalled = st->bytes_in;
  run_for(b.net, 2 * NS_SEC);
  ck_assert_uint_eq(st->bytes_in, stalled);

  c->reading = TRUE;
  client_read(c, now_of(b.net));
  run_for(b.net, 5 * NS_SEC);
  ck_assert_uint_eq(c->pending->len, 0);
  ck_assert_uint_eq(c->got->len, total);
  ck_assert(memcmp(c->got->data, data->data, total) == 0);
  ck_assert_uint_eq(st->bytes_in, total);
  ck_assert_uint_eq(st->bytes_out, total);
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, NS_SEC);
  ck_assert(c->closed);
  ck_assert_uint_eq(st->active, 0);
  g_byte_array_unref(data);
  client_free(c);
  bench_free(&b);
}
END_TEST

START_TEST(test_tcp_reply) {
  const char *const specs[] = {"tcp-reply 8080 i am server", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 8080);
  client_send_str(&b, c, "hello\n");
  run_for(b.net, 50 * NS_MSEC);
  g_autofree char *t1 = client_text(c);
  ck_assert_str_eq(t1, "i am server\n");
  client_send_str(&b, c, "again");
  run_for(b.net, 50 * NS_MSEC);
  g_autofree char *t2 = client_text(c);
  ck_assert_str_eq(t2, "i am server\ni am server\n");
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->bytes_in, 11);
  ck_assert_uint_eq(st->bytes_out, 24);
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_int_eq(c->why, NS_TCP_CLOSE_NORMAL);
  client_free(c);
  bench_free(&b);
}
END_TEST

/* once: the course's server.py.  The first data is answered with the text
 * alone, then the server closes; the client reads the end of file.  The
 * server's log names what the client said. */
START_TEST(test_tcp_reply_once) {
  const char *const specs[] = {"tcp-reply 8080 once i am server", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 8080);
  client_send_str(&b, c, "hello\n");
  run_for(b.net, 50 * NS_MSEC);
  g_autofree char *t = client_text(c);
  ck_assert_str_eq(t, "i am server");
  ck_assert(ns_tcp_eof(c->conn));
  const Ev *rx = ev_last(b.net, "h2", "service/receive");
  ck_assert_msg(strstr(rx->summary, "tcp-reply 8080: 6 bytes from "
                                    "10.0.0.1:") != NULL,
                "%s", rx->summary);
  ck_assert_msg(g_str_has_suffix(rx->summary, ": 'hello\\n'"), "%s",
                rx->summary);
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_int_eq(c->why, NS_TCP_CLOSE_NORMAL);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->bytes_out, 11);
  ck_assert_uint_eq(st->active, 0);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/reply"), 1);
  client_free(c);
  bench_free(&b);
}
END_TEST

/* ---- HTTP over TCP ------------------------------------------------------- */

typedef struct {
  guint status;
  char *head; /* status line and fields, up to the blank line */
  char *body;
} Resp;

static void resp_clear(gpointer p) {
  Resp *r = p;
  g_free(r->head);
  g_free(r->body);
}

/* Splits what the client got into responses; head_only[i] says response i
 * answers a HEAD (no body whatever Content-Length says).  Checks every
 * Content-Length is exact: the bytes end where the last body ends. */
static GArray *responses(Client *c, const gboolean *head_only) {
  GArray *a = g_array_new(FALSE, TRUE, sizeof(Resp));
  g_array_set_clear_func(a, resp_clear);
  g_autofree char *all = client_text(c);
  const char *p = all;
  while (*p != '\0') {
    const char *sep = strstr(p, "\r\n\r\n");
    ck_assert_msg(sep != NULL, "no end of head in: %s", p);
    Resp r = {0};
    r.head = g_strndup(p, (gsize)(sep - p) + 2);
    ck_assert_msg(g_str_has_prefix(r.head, "HTTP/1.1 "), "%s", r.head);
    r.status = (guint)g_ascii_strtoull(r.head + 9, NULL, 10);
    const char *cl = strstr(r.head, "\r\nContent-Length: ");
    ck_assert(cl != NULL);
    gsize len = (gsize)g_ascii_strtoull(cl + 18, NULL, 10);
    p = sep + 4;
    if (head_only != NULL && head_only[a->len])
      len = 0;
    ck_assert_msg(strlen(p) >= len, "body shorter than Content-Length");
    r.body = g_strndup(p, len);
    p += len;
    g_array_append_val(a, r);
  }
  return a;
}

static const Resp *resp_at(GArray *a, guint i) {
  ck_assert_uint_lt(i, a->len);
  return &g_array_index(a, Resp, i);
}

START_TEST(test_http_get_head_errors) {
  const char *const specs[] = {"http 80", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 80);
  const char *reqs[] = {
      "GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n",
      "HEAD /index.html HTTP/1.1\r\n\r\n",
      "GET /missing HTTP/1.1\r\n\r\n",
      "PUT / HTTP/1.1\r\n\r\n",
  };
  /* One at a time: each answer arrives before the next request. */
  for (guint i = 0; i < G_N_ELEMENTS(reqs); i++) {
    client_send_str(&b, c, reqs[i]);
    run_for(b.net, 50 * NS_MSEC);
  }
  const gboolean head_only[] = {FALSE, TRUE, FALSE, FALSE};
  g_autoptr(GArray) rs = responses(c, head_only);
  ck_assert_uint_eq(rs->len, 4);
  const Resp *ok = resp_at(rs, 0);
  ck_assert_uint_eq(ok->status, 200);
  ck_assert(strstr(ok->head, "Content-Type: text/html; charset=utf-8\r\n"));
  ck_assert(strstr(ok->head, "Server: netsim\r\n"));
  ck_assert(strstr(ok->head, "Date:") == NULL);
  ck_assert(strstr(ok->body, "h2") != NULL);
  ck_assert(strstr(ok->body, "10.0.0.2") != NULL);
  ck_assert(strstr(ok->body, "port 80") != NULL);
  const Resp *head = resp_at(rs, 1);
  ck_assert_uint_eq(head->status, 200);
  ck_assert_str_eq(head->head, ok->head); /* same Content-Length too */
  ck_assert_str_eq(head->body, "");
  ck_assert_uint_eq(resp_at(rs, 2)->status, 404);
  ck_assert(strstr(resp_at(rs, 2)->body, "/missing") != NULL);
  ck_assert_uint_eq(resp_at(rs, 3)->status, 501);
  ck_assert(!c->closed); /* keep-alive throughout */
  ck_assert_int_eq(ns_tcp_state(c->conn), NS_TCP_ESTABLISHED);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->connections, 1);
  ck_assert_uint_eq(st->requests, 4);
  ck_assert_uint_eq(st->not_found, 1);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/reply"), 4);

  /* A request line that does not parse: 400, then the server closes. */
  client_send_str(&b, c, "HELLO\r\n\r\n");
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(ns_tcp_eof(c->conn));
  g_autofree char *all = client_text(c);
  ck_assert(strstr(all, "HTTP/1.1 400 Bad Request\r\n") != NULL);
  ck_assert(g_str_has_suffix(all, "</html>\n"));
  ck_assert_uint_eq(st->requests, 5);
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_uint_eq(st->active, 0);
  client_free(c);
  bench_free(&b);
}
END_TEST

START_TEST(test_http_keepalive_close_pipeline) {
  const char *const specs[] = {"http 80", NULL};
  Bench b = bench_new(specs);

  /* Pipelined in one segment, the last asking to close: three answers in
   * order, then the server's FIN. */
  Client *c = client_new(&b, 80);
  client_send_str(&b, c,
                  "GET / HTTP/1.1\r\n\r\n"
                  "GET /nothing HTTP/1.1\r\n\r\n"
                  "GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n");
  run_for(b.net, 100 * NS_MSEC);
  g_autoptr(GArray) rs = responses(c, NULL);
  ck_assert_uint_eq(rs->len, 3);
  ck_assert_uint_eq(resp_at(rs, 0)->status, 200);
  ck_assert_uint_eq(resp_at(rs, 1)->status, 404);
  ck_assert_uint_eq(resp_at(rs, 2)->status, 200);
  ck_assert(strstr(resp_at(rs, 0)->head, "Connection:") == NULL);
  ck_assert(strstr(resp_at(rs, 2)->head, "Connection: close\r\n"));
  ck_assert(ns_tcp_eof(c->conn));
  ns_tcp_close(c->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_int_eq(c->why, NS_TCP_CLOSE_NORMAL);

  /* A request split across segments, then a second on the same
   * connection; HTTP/1.0 without keep-alive closes. */
  Client *d = client_new(&b, 80);
  client_send_str(&b, d, "GET / HT");
  run_for(b.net, 50 * NS_MSEC);
  ck_assert_uint_eq(d->got->len, 0);
  client_send_str(&b, d, "TP/1.1\r\nHost: h2\r");
  run_for(b.net, 50 * NS_MSEC);
  ck_assert_uint_eq(d->got->len, 0);
  client_send_str(&b, d, "\n\r\n");
  run_for(b.net, 50 * NS_MSEC);
  client_send_str(&b, d, "GET / HTTP/1.0\r\n\r\n");
  run_for(b.net, 100 * NS_MSEC);
  g_autoptr(GArray) ds = responses(d, NULL);
  ck_assert_uint_eq(ds->len, 2);
  ck_assert_str_eq(resp_at(ds, 0)->body, resp_at(ds, 1)->body);
  ck_assert(strstr(resp_at(ds, 1)->head, "Connection: close\r\n"));
  ck_assert(ns_tcp_eof(d->conn));
  ns_tcp_close(d->conn, now_of(b.net));
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(d->closed);

  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->connections, 2);
  ck_assert_uint_eq(st->active, 0);
  ck_assert_uint_eq(st->requests, 5);
  ck_assert_uint_eq(st->not_found, 1);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/close"), 2);
  client_free(c);
  client_free(d);
  bench_free(&b);
}
END_TEST

/* Many pipelined requests while the client reads nothing: answers wait in
 * TCP's buffers, the server stops taking requests, nothing is lost. */
START_TEST(test_http_pipeline_backpressure) {
  const char *const specs[] = {"http 80", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 80);
  c->reading = FALSE;
  GString *reqs = g_string_new(NULL);
  const guint n = 1000;
  for (guint i = 0; i < n; i++)
    g_string_append(reqs, "GET / HTTP/1.1\r\n\r\n");
  client_send(&b, c, reqs->str, reqs->len);
  run_for(b.net, NS_SEC);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_lt(st->requests, n);
  c->reading = TRUE;
  client_read(c, now_of(b.net));
  run_for(b.net, 3 * NS_SEC);
  ck_assert_uint_eq(st->requests, n);
  g_autoptr(GArray) rs = responses(c, NULL);
  ck_assert_uint_eq(rs->len, n);
  g_autofree char *all = client_text(c);
  ck_assert_uint_eq(count_str(all, "HTTP/1.1 200 OK\r\n"), n);
  g_string_free(reqs, TRUE);
  client_free(c);
  bench_free(&b);
}
END_TEST

/* Freeing the services aborts open connections: the client sees a
 * reset. */
START_TEST(test_services_free_aborts) {
  const char *const specs[] = {"tcp-echo 7", "http 80", NULL};
  Bench b = bench_new(specs);
  Client *c = client_new(&b, 7);
  ck_assert_uint_eq(ns_services_stats(b.svcs, 0)->active, 1);
  ns_services_free(b.svcs);
  b.svcs = ns_services_new(b.pb.h2, b.u2, b.t2);
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(c->closed);
  ck_assert_int_eq(c->why, NS_TCP_CLOSE_RESET);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/close"), 0);
  ck_assert_uint_eq(ns_tcp_n_listeners(b.t2), 0);
  client_free(c);
  bench_free(&b);
}
END_TEST

START_TEST(test_start_and_find) {
  const char *const specs[] = {"tcp-echo 7", "udp-echo 7", "http 80", NULL};
  Bench b = bench_new(specs);
  ck_assert_uint_eq(ns_services_n(b.svcs), 3);
  ck_assert_int_eq(ns_services_find(b.svcs, TRUE, 7), 0);
  ck_assert_int_eq(ns_services_find(b.svcs, FALSE, 7), 1);
  ck_assert_int_eq(ns_services_find(b.svcs, TRUE, 80), 2);
  ck_assert_int_eq(ns_services_find(b.svcs, FALSE, 80), -1);
  ck_assert(ns_services_spec(b.svcs, 2)->kind == &ns_service_http);
  NsServiceSpec dup = parse_ok("tcp-reply 80 hi");
  GError *e = NULL;
  ck_assert(!ns_services_start(b.svcs, &dup, now_of(b.net), &e));
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_str_eq(e->message, "TCP port 80 is taken by http");
  g_clear_error(&e);
  ns_service_spec_clear(&dup);
  ck_assert_uint_eq(ns_services_n(b.svcs), 3);
  /* A port TCP already listens on for someone else. */
  NsTcpListener *l = ns_tcp_listen(b.t2, 9, NULL, NULL, NULL);
  ck_assert(l != NULL);
  NsServiceSpec nine = parse_ok("tcp-echo 9");
  ck_assert(!ns_services_start(b.svcs, &nine, now_of(b.net), &e));
  ck_assert(e != NULL);
  g_clear_error(&e);
  ns_service_spec_clear(&nine);
  ck_assert_uint_eq(ns_services_n(b.svcs), 3);
  ns_tcp_unlisten(l, now_of(b.net));
  bench_free(&b);
}
END_TEST

/* ---- UDP services ---------------------------------------------------------
 */

static NsUdpSocket *udp_client(Bench *b, guint16 port) {
  GError *e = NULL;
  NsUdpSocket *s = ns_udp_open(b->u1, (NsIp4){0}, port, NULL, &e);
  ck_assert_msg(s != NULL, "%s", e ? e->message : "?");
  return s;
}

static void udp_send_str(Bench *b, NsUdpSocket *s, NsIp4 dst, guint16 port,
                         const char *text) {
  ck_assert(ns_udp_sendto(s, dst, port, (const guint8 *)text, strlen(text),
                          now_of(b->net), NULL));
}

/* The next datagram the socket holds, as text (g_free), or NULL. */
static char *udp_next(NsUdpSocket *s, NsIp4 *from, guint16 *port) {
  GBytes *d = ns_udp_recvfrom(s, from, port);
  if (d == NULL)
    return NULL;
  gsize len;
  const char *p = g_bytes_get_data(d, &len);
  char *t = g_strndup(p, len);
  g_bytes_unref(d);
  return t;
}

START_TEST(test_udp_echo) {
  const char *const specs[] = {"udp-echo 7", NULL};
  Bench b = bench_new(specs);
  NsUdpSocket *s = udp_client(&b, 0);
  udp_send_str(&b, s, SERVER, 7, "one");
  udp_send_str(&b, s, SERVER, 7, "two, a little longer");
  run_for(b.net, 100 * NS_MSEC);
  NsIp4 from;
  guint16 port;
  g_autofree char *a = udp_next(s, &from, &port);
  g_autofree char *c = udp_next(s, NULL, NULL);
  ck_assert_str_eq(a, "one");
  ck_assert_str_eq(c, "two, a little longer");
  ck_assert(ns_ip4_equal(from, SERVER));
  ck_assert_uint_eq(port, 7);
  ck_assert(udp_next(s, NULL, NULL) == NULL);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->datagrams, 2);
  ck_assert_uint_eq(st->bytes_in, 23);
  ck_assert_uint_eq(st->bytes_out, 23);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/receive"), 2);
  ck_assert_uint_eq(ev_count(b.net, "h2", "service/reply"), 2);

  /* From an echo port: counted, not answered (no echo loop). */
  NsUdpSocket *seven = udp_client(&b, 7);
  udp_send_str(&b, seven, SERVER, 7, "loop?");
  run_for(b.net, 100 * NS_MSEC);
  ck_assert(udp_next(seven, NULL, NULL) == NULL);
  ck_assert_uint_eq(st->datagrams, 3);
  ck_assert_uint_eq(st->bytes_out, 23);
  gint i = ev_find(b.net, 0, "h2", "service/reply");
  i = ev_find(b.net, (guint)i + 1, "h2", "service/reply");
  i = ev_find(b.net, (guint)i + 1, "h2", "service/reply");
  ck_assert_int_ge(i, 0);
  ck_assert(strstr(ev_at(b.net, i)->summary, "not echoed") != NULL);
  ns_udp_close(s);
  ns_udp_close(seven);
  bench_free(&b);
}
END_TEST

START_TEST(test_udp_listen) {
  const NsIp4 group = NS_IP4(239, 1, 1, 1);
  const char *const specs[] = {"udp-listen 9000 group 239.1.1.1",
                               "udp-listen 9001", NULL};
  Bench b = bench_new(specs);
  ck_assert(ns_ipnode_is_member(b.pb.h2, group));
  NsUdpSocket *s = udp_client(&b, 0);
  udp_send_str(&b, s, SERVER, 9000, "hello");
  run_for(b.net, 100 * NS_MSEC); /* after ARP: then the order is kept */
  udp_send_str(&b, s, group, 9000, "to the group");
  const guint8 bin[] = {'a', 0, 0xff, '\n', 'b'};
  ck_assert(
      ns_udp_sendto(s, SERVER, 9000, bin, sizeof bin, now_of(b.net), NULL));
  GString *big = g_string_new(NULL);
  for (guint i = 0; i < 100; i++)
    g_string_append_c(big, (char)('a' + i % 26));
  udp_send_str(&b, s, SERVER, 9001, big->str);
  run_for(b.net, 100 * NS_MSEC);
  const NsServiceStats *st = ns_services_stats(b.svcs, 0);
  ck_assert_uint_eq(st->datagrams, 3);
  ck_assert_uint_eq(st->bytes_in, 5 + 12 + 5);
  ck_assert_uint_eq(st->bytes_out, 0);
  ck_assert_uint_eq(ns_services_stats(b.svcs, 1)->datagrams, 1);
  ck_assert(udp_next(s, NULL, NULL) == NULL); /* nothing answers */
  /* The log shows a printable excerpt of each datagram (core/text.h). */
  guint seen = 0;
  for (gint i = ev_find(b.net, 0, "h2", "service/receive"); i >= 0;
       i = ev_find(b.net, (guint)i + 1, "h2", "service/receive")) {
    const char *sum = ev_at(b.net, i)->summary;
    if (seen == 0)
      ck_assert_msg(strstr(sum, "udp-listen 9000: 5 bytes from 10.0.0.1:") &&
                        g_str_has_suffix(sum, ": 'hello'"),
                    "%s", sum);
    if (seen == 1)
      ck_assert_msg(g_str_has_suffix(sum, ": 'to the group'"), "%s", sum);
    if (seen == 2)
      ck_assert_msg(g_str_has_suffix(sum, ": 'a\\x00\\xff\\nb'"), "%s", sum);
    if (seen == 3)
      ck_assert_msg(g_str_has_suffix(sum, ": 'abcdefghijklmnopqrstuvwxyzabcdef"
                                          "...'"),
                    "%s", sum);
    seen++;
  }
  ck_assert_uint_eq(seen, 4);
  g_string_free(big, TRUE);
  ns_udp_close(s);
  /* Stopping the services leaves the group. */
  ns_services_free(b.svcs);
  b.svcs = ns_services_new(b.pb.h2, b.u2, b.t2);
  ck_assert(!ns_ipnode_is_member(b.pb.h2, group));
  bench_free(&b);
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

  tc = test_tcase("tcp");
  tcase_add_test(tc, test_tcp_echo);
  tcase_add_test(tc, test_tcp_echo_backpressure);
  tcase_add_test(tc, test_tcp_reply);
  tcase_add_test(tc, test_tcp_reply_once);
  tcase_add_test(tc, test_http_get_head_errors);
  tcase_add_test(tc, test_http_keepalive_close_pipeline);
  tcase_add_test(tc, test_http_pipeline_backpressure);
  tcase_add_test(tc, test_services_free_aborts);
  tcase_add_test(tc, test_start_and_find);
  suite_add_tcase(s, tc);

  tc = test_tcase("udp");
  tcase_add_test(tc, test_udp_echo);
  tcase_add_test(tc, test_udp_listen);
  suite_add_tcase(s, tc);
  return s;
}

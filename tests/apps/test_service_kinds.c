/* test_service_kinds.c — the registry of service kinds (service_kinds.c):
 * every row is complete and its name unique, the parse errors list every
 * row, and every row's example parses, formats back to itself, starts on
 * a node and serves a client. */
#include <string.h>

#include "apps/services_private.h"
#include "net/ipnode_harness.h"

#define SERVER NS_IP4(10, 0, 0, 2)

START_TEST(test_rows_complete) {
  guint n = ns_service_kinds_n();
  ck_assert_uint_ge(n, 5);
  for (guint i = 0; i < n; i++) {
    const NsServiceKind *k = ns_service_kind_nth(i);
    ck_assert(k != NULL && k->ops != NULL);
    ck_assert_msg(k->name != NULL && k->name[0] != '\0', "row %u", i);
    ck_assert_msg(strpbrk(k->name, " \t:;") == NULL, "%s", k->name);
    ck_assert_msg(k->transport == NS_IPPROTO_TCP ||
                      k->transport == NS_IPPROTO_UDP,
                  "%s: transport %u", k->name, k->transport);
    ck_assert(ns_service_kind_is_tcp(k) == (k->transport == NS_IPPROTO_TCP));
    ck_assert_str_eq(ns_service_kind_name(k), k->name);
    /* usage: NAME PORT, then what the argument looks like */
    g_autofree char *head = g_strconcat(k->name, " PORT", NULL);
    ck_assert_msg(g_str_has_prefix(k->usage, head), "%s", k->usage);
    ck_assert_msg(k->description != NULL && strlen(k->description) > 10 &&
                      strchr(k->description, '\n') == NULL,
                  "%s: description", k->name);
    ck_assert_uint_gt(k->example_port, 0);
    ck_assert_msg(g_str_has_prefix(k->example, k->name) &&
                      k->example[strlen(k->name)] == ' ',
                  "%s: example %s", k->name, k->example);
    /* A kind without a parser takes no argument; one with a parser has
     * an argument in its usage. */
    ck_assert_msg((k->ops->parse_arg != NULL) == (k->usage[strlen(head)] != 0),
                  "%s", k->usage);
    ck_assert(ns_service_kind_lookup(k->name) == k);
    for (guint j = 0; j < i; j++)
      ck_assert_msg(strcmp(ns_service_kind_nth(j)->name, k->name) != 0,
                    "%s listed twice", k->name);
  }
  ck_assert(ns_service_kind_lookup("tcp-echoo") == NULL);
  ck_assert(ns_service_kind_lookup("TCP-ECHO") == NULL);
  ck_assert(ns_service_kind_lookup("") == NULL);
}
END_TEST

/* "expected A, B, ... or Z" names every row, in registry order. */
START_TEST(test_errors_list_every_row) {
  NsServiceSpec s;
  GError *e = NULL;
  ck_assert(!ns_service_spec_parse("no-such-service 7", &s, &e));
  const char *at = e->message;
  for (guint i = 0; i < ns_service_kinds_n(); i++) {
    const char *usage = ns_service_kind_nth(i)->usage;
    const char *hit = strstr(at, usage);
    ck_assert_msg(hit != NULL, "'%s' not after '%s' in %s", usage, at,
                  e->message);
    at = hit + strlen(usage);
  }
  ck_assert_str_eq(at, ")");
  g_clear_error(&e);
  /* Each row's own "needs a port" names its usage and example port. */
  for (guint i = 0; i < ns_service_kinds_n(); i++) {
    const NsServiceKind *k = ns_service_kind_nth(i);
    ck_assert(!ns_service_spec_parse(k->name, &s, &e));
    g_autofree char *want =
        g_strdup_printf("'%s' needs a port (expected %s, such as %s %u)",
                        k->name, k->usage, k->name, k->example_port);
    ck_assert_str_eq(e->message, want);
    g_clear_error(&e);
  }
}
END_TEST

/* The example parses into its row and formats back unchanged. */
static NsServiceSpec parse_example(const NsServiceKind *k) {
  NsServiceSpec s;
  GError *e = NULL;
  ck_assert_msg(ns_service_spec_parse(k->example, &s, &e), "%s: %s", k->example,
                e ? e->message : "?");
  ck_assert(s.kind == k);
  g_autofree char *f = ns_service_spec_format(&s);
  ck_assert_str_eq(f, k->example);
  return s;
}

/* A client on h1 reaches the service on h2 and is counted. */
static void reach(Net *net, NsTcp *t1, NsUdp *u1, const NsServiceSpec *spec,
                  const NsServiceStats *st) {
  static const guint8 hello[] = "hello\n";
  if (ns_service_kind_is_tcp(spec->kind)) {
    NsTcpConn *c =
        ns_tcp_connect(t1, SERVER, spec->port, 0, NULL, now_of(net), NULL);
    ck_assert(c != NULL);
    run_for(net, 50 * NS_MSEC);
    ck_assert_uint_eq(ns_tcp_send(c, hello, 6, now_of(net)), 6);
    run_for(net, 100 * NS_MSEC);
    ck_assert_uint_eq(st->connections, 1);
    ns_tcp_abort(c, now_of(net));
    ns_tcp_release(c);
  } else {
    NsUdpSocket *s = ns_udp_open(u1, (NsIp4){0}, 0, NULL, NULL);
    ck_assert(s != NULL);
    ck_assert(
        ns_udp_sendto(s, SERVER, spec->port, hello, 6, now_of(net), NULL));
    run_for(net, 100 * NS_MSEC);
    ck_assert_uint_eq(st->datagrams, 1);
    ns_udp_close(s);
  }
  ck_assert_uint_eq(st->bytes_in, 6);
}

START_TEST(test_every_row_starts_and_serves) {
  PairBench pb = pair_bench(&quick_link);
  NsTcp *t1 = ns_tcp_new(pb.h1, NULL), *t2 = ns_tcp_new(pb.h2, NULL);
  NsUdp *u1 = add_udp(pb.net, pb.h1), *u2 = add_udp(pb.net, pb.h2);
  for (guint i = 0; i < ns_service_kinds_n(); i++) {
    const NsServiceKind *k = ns_service_kind_nth(i);
    NsServiceSpec spec = parse_example(k);
    NsServices *svcs = ns_services_new(pb.h2, u2, t2);
    GError *e = NULL;
    guint starts = ev_count(pb.net, "h2", "service/start");
    ck_assert_msg(ns_services_start(svcs, &spec, now_of(pb.net), &e), "%s: %s",
                  k->example, e ? e->message : "?");
    ck_assert_uint_eq(ev_count(pb.net, "h2", "service/start"), starts + 1);
    gint ev = ev_find(pb.net, 0, "h2", "service/start");
    for (guint j = 0; j < starts; j++)
      ev = ev_find(pb.net, (guint)ev + 1, "h2", "service/start");
    ck_assert_str_eq(ev_at(pb.net, ev)->summary, k->example);
    ck_assert_int_eq(
        ns_services_find(svcs, ns_service_kind_is_tcp(k), spec.port), 0);
    ck_assert(ns_services_spec(svcs, 0)->kind == k);
    reach(pb.net, t1, u1, &spec, ns_services_stats(svcs, 0));
    ns_services_free(svcs);
    ns_service_spec_clear(&spec);
    run_for(pb.net, 100 * NS_MSEC);
  }
  ns_tcp_free(t1);
  ns_tcp_free(t2);
  net_free(pb.net);
}
END_TEST

/* README.md's table of services has one row per kind, headed by the
 * kind's usage, and no other row: the two cannot drift apart. */
START_TEST(test_readme_lists_every_row) {
  g_autofree char *path = g_build_filename(TOPO_DIR, "..", "README.md", NULL);
  g_autofree char *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
  const char *table = strstr(text, "| service | what it does |");
  ck_assert_msg(table != NULL, "README.md has no table of services");
  guint rows = 0;
  g_auto(GStrv) lines = g_strsplit(table, "\n", -1);
  for (guint i = 2; lines[i] != NULL && lines[i][0] == '|'; i++) {
    const char *usage = lines[i] + 3; /* after "| `" */
    const char *end = strchr(usage, '`');
    ck_assert_msg(g_str_has_prefix(lines[i], "| `") && end != NULL,
                  "README.md: '%s' is not a service row", lines[i]);
    g_autofree char *u = g_strndup(usage, (gsize)(end - usage));
    gboolean known = FALSE;
    for (guint k = 0; k < ns_service_kinds_n(); k++)
      known |= strcmp(ns_service_kind_nth(k)->usage, u) == 0;
    ck_assert_msg(known, "README.md lists '%s', which no row has", u);
    rows++;
  }
  for (guint k = 0; k < ns_service_kinds_n(); k++) {
    g_autofree char *cell =
        g_strdup_printf("| `%s` |", ns_service_kind_nth(k)->usage);
    ck_assert_msg(strstr(table, cell) != NULL, "README.md lacks %s", cell);
  }
  ck_assert_uint_eq(rows, ns_service_kinds_n());
}
END_TEST

Suite *test_service_kinds_suite(void) {
  Suite *s = suite_create("service_kinds");
  TCase *tc = test_tcase("registry");
  tcase_add_test(tc, test_rows_complete);
  tcase_add_test(tc, test_errors_list_every_row);
  tcase_add_test(tc, test_every_row_starts_and_serves);
  tcase_add_test(tc, test_readme_lists_every_row);
  suite_add_tcase(s, tc);
  return s;
}

/* test_show_bridges.c — what users type and see about bridges: `show
 * bridges`, the bridge.* counters of `expect NODE counter` and `show
 * stats`, parsed and rendered on a small LAN with a bridge node whose
 * sockets are not running (no NsBridges), one bridge's section made from
 * values as bridge.h's accessors give them, and once with a real bridge
 * on 127.0.0.1 (a port the system picks) relaying one echo.  The
 * outside programs are the integration tests' business. */
#include <string.h>

#include <gio/gio.h>

#include "cli/scenario_fixture.h"
#include "cli/show_private.h"

/* h1 and the bridge web on one switch. */
static const char lan_with_bridge[] = "[switch sw1]\n"
                                      "[host h1]\n"
                                      "ip = 10.0.0.10/24\n"
                                      "link = sw1\n"
                                      "[bridge web]\n"
                                      "ip = 10.0.0.200/24\n"
                                      "link = sw1\n"
                                      "listen = tcp:127.0.0.1:0 -> h1:7\n";

/* The text of r (g_free it). */
static char *text_of(const NsReport *r) {
  GString *s = g_string_new(NULL);
  ns_report_render_text(r, s);
  return g_string_free(s, FALSE);
}

/* The error message of a console line that must not parse (g_free it). */
static char *error_of(Fx *fx, const char *line) {
  GError *err = NULL;
  gboolean quit = FALSE;
  ck_assert_msg(!ns_scenario_exec(fx->sc, line, 0, &quit, &err), "'%s' parsed",
                line);
  char *msg = g_strdup(err->message);
  g_error_free(err);
  return msg;
}

/* ---- parsing --------------------------------------------------------------
 */

START_TEST(test_parse_good_lines) {
  static const char *const lines[] = {
      "show bridges",
      "show bridges web",
      "show stats web",
      "expect web counter bridge.accepted 0",
      "expect web counter bridge.bytes_in >= 1",
      "expect web counter bridge.udp_dropped != 3",
      /* a bridge is a host: its own counters still work */
      "expect web counter ip_rx 0",
      "expect web counter udp.rx 0",
      "expect web counter tcp.active_opens 0",
      "expect web counter eth0.rx_frames 0",
      "expect web ping replies 0",
  };
  Fx *fx = fx_new_from(lan_with_bridge);
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    fx_exec(fx, lines[i]);
  /* every row of NS_BRIDGE_COUNTERS */
  for (guint f = 0; f < ns_bridge_counter_n_fields; f++) {
    g_autofree char *line = g_strdup_printf("expect web counter bridge.%s 0",
                                            ns_bridge_counter_fields[f].name);
    fx_exec(fx, line);
  }
  fx_free(fx);
}
END_TEST

static const struct {
  const char *line, *message;
} bad_lines[] = {
    {"show bridges h1",
     "'show bridges' needs a bridge name, but 'h1' is a host"},
    {"show bridges sw1",
     "'show bridges' needs a bridge name, but 'sw1' is a switch"},
    {"show bridges nosuch", "'show bridges' needs a bridge name, got "
                            "'nosuch', which is not a node (nodes: sw1, h1, "
                            "web)"},
    {"show bridges web now", "unexpected 'now' after 'web'"},
    {"expect h1 counter bridge.accepted 1",
     "h1 has no counter 'bridge.accepted' (only a bridge has bridge.NAME, "
     "and h1 is a host)"},
    {"expect web counter bridge.accepted lots",
     "'expect web counter' needs a whole number, optionally after one of = != "
     "< "
     "<= > >=, got 'lots'"},
};

START_TEST(test_parse_bad_lines) {
  Fx *fx = fx_new_from(lan_with_bridge);
  g_autofree char *msg = error_of(fx, bad_lines[_i].line);
  ck_assert_str_eq(msg, bad_lines[_i].message);
  fx_free(fx);
}
END_TEST

/* Whether msg lists prefix+name for every bridge counter. */
static gboolean lists_bridge_counters(const char *msg) {
  for (guint f = 0; f < ns_bridge_counter_n_fields; f++) {
    g_autofree char *name =
        g_strdup_printf("bridge.%s", ns_bridge_counter_fields[f].name);
    if (strstr(msg, name) == NULL)
      return FALSE;
  }
  return TRUE;
}

START_TEST(test_unknown_counter_lists_them) {
  Fx *fx = fx_new_from(lan_with_bridge);
  g_autofree char *typo = error_of(fx, "expect web counter bridge.acepted 1");
  ck_assert(g_str_has_prefix(typo, "web has no counter 'bridge.acepted' "
                                   "(expected one of bridge.accepted, "
                                   "bridge.connected, bridge.refused,"));
  ck_assert_msg(lists_bridge_counters(typo), "%s", typo);
  /* Without the prefix: a bridge's list names its own counters too... */
  g_autofree char *bare = error_of(fx, "expect web counter accepted 1");
  ck_assert_msg(lists_bridge_counters(bare), "%s", bare);
  ck_assert_ptr_nonnull(strstr(bare, "udp.NAME, tcp.NAME, bridge.accepted"));
  /* ... and a host's does not. */
  g_autofree char *host = error_of(fx, "expect h1 counter accepted 1");
  ck_assert_ptr_null(strstr(host, "bridge."));
  ck_assert(g_str_has_suffix(host, "udp.NAME, tcp.NAME)"));
  fx_free(fx);
}
END_TEST

/* ---- with no bridges running ----------------------------------------------
 */

START_TEST(test_show_without_bridges) {
  /* A network without a bridge says how to add one. */
  Fx *plain = fx_new();
  g_autoptr(NsReport) none = ns_show_bridges(&plain->src, NULL);
  g_autofree char *none_text = text_of(none);
  ck_assert_str_eq(none_text, "no bridges in this network (a [bridge NAME] "
                              "section of the topology file adds one)\n");
  fx_exec(plain, "show bridges");
  ck_assert_str_eq(fx_output(plain), none_text);
  fx_free(plain);

  /* A bridge node whose sockets this run did not open. */
  Fx *fx = fx_new_from(lan_with_bridge);
  static const char want[] = "web (10.0.0.200):\n"
                             "  not running (this run opened no real "
                             "sockets)\n";
  g_autoptr(NsReport) all = ns_show_bridges(&fx->src, NULL);
  g_autofree char *all_text = text_of(all);
  ck_assert_str_eq(all_text, want);
  g_autoptr(NsReport) one =
      ns_show_bridges(&fx->src, ns_net_find(fx->net, "web"));
  g_autofree char *one_text = text_of(one);
  ck_assert_str_eq(one_text, want);
  fx_free(fx);
}
END_TEST

START_TEST(test_counters_without_bridges) {
  Fx *fx = fx_new_from(lan_with_bridge);
  /* Not running is not zero: both fail, saying why. */
  fx_exec(fx, "expect web counter bridge.accepted 0");
  fx_exec(fx, "expect web counter bridge.refused != 0");
  fx_exec(fx, "expect web counter ip_rx 0");
  ck_assert_str_eq(fx_output(fx),
                   "not ok 1 - expect web counter bridge.accepted 0 (got not "
                   "running (this run opened no real sockets))\n"
                   "not ok 2 - expect web counter bridge.refused != 0 (got "
                   "not running (this run opened no real sockets))\n"
                   "ok 3 - expect web counter ip_rx 0\n");
  ck_assert_uint_eq(ns_scenario_failed(fx->sc), 2);
  ck_assert_uint_eq(ns_scenario_passed(fx->sc), 1);
  fx_free(fx);
}
END_TEST

START_TEST(test_show_stats_of_a_bridge) {
  Fx *fx = fx_new_from(lan_with_bridge);
  g_autoptr(NsReport) web =
      ns_show_stats(&fx->src, ns_net_find(fx->net, "web"));
  g_autofree char *text = text_of(web);
  ck_assert_msg(g_str_has_prefix(text, "web (bridge):\n"), "%s", text);
  /* a host's counters, then the bridge's (not running here) */
  ck_assert_ptr_nonnull(strstr(text, "\n  tcp.backlog_drops "));
  ck_assert_ptr_nonnull(strstr(text, "\n\n  bridge.* counters: not running "
                                     "(this run opened no real sockets)\n\n"));
  g_autoptr(NsReport) h1 = ns_show_stats(&fx->src, ns_net_find(fx->net, "h1"));
  g_autofree char *h1_text = text_of(h1);
  ck_assert_ptr_null(strstr(h1_text, "bridge."));
  /* `show received` of a bridge says where its relayed bytes are seen;
   * of a host, nothing about bridges. */
  g_autoptr(NsReport) got =
      ns_show_received(&fx->src, ns_net_find(fx->net, "web"));
  g_autofree char *got_text = text_of(got);
  ck_assert_msg(strstr(got_text, "web is a bridge: what it relays is counted "
                                 "in `show stats web`") != NULL,
                "%s", got_text);
  g_autoptr(NsReport) h1_got =
      ns_show_received(&fx->src, ns_net_find(fx->net, "h1"));
  g_autofree char *h1_got_text = text_of(h1_got);
  ck_assert_ptr_null(strstr(h1_got_text, "bridge"));
  fx_free(fx);
}
END_TEST

/* ---- one bridge's section, from its values --------------------------------
 */

START_TEST(test_bridge_section) {
  Fx *fx = fx_new_from(lan_with_bridge);
  NsIp4 lo, h1, web;
  ck_assert(ns_ip4_parse("127.0.0.1", &lo, NULL));
  ck_assert(ns_ip4_parse("10.0.0.10", &h1, NULL));
  ck_assert(ns_ip4_parse("10.0.0.200", &web, NULL));
  NsBridgeRule rules[] = {
      {.dir = NS_BRIDGE_LISTEN,
       .proto = NS_BRIDGE_TCP,
       .outside_addr = lo,
       .outside_port = 0,
       .sim_addr = h1,
       .sim_port = 80,
       .sim_name = (char *)"h1"},
      {.dir = NS_BRIDGE_LISTEN,
       .proto = NS_BRIDGE_UDP,
       .outside_addr = lo,
       .outside_port = 5353,
       .sim_addr = h1,
       .sim_port = 7},
      {.dir = NS_BRIDGE_CONNECT,
       .proto = NS_BRIDGE_TCP,
       .outside_addr = lo,
       .outside_port = 9000,
       .sim_port = 9000},
  };
  NsBridgeRuleInfo infos[] = {
      {&rules[0], 41877}, {&rules[1], 5353}, {&rules[2], 0}};
  NsBridgeConnInfo conns[] = {
      {.proto = NS_BRIDGE_TCP,
       .dir = NS_BRIDGE_LISTEN,
       .outside = "127.0.0.1:51234",
       .sim_local = web,
       .sim_local_port = 49152,
       .sim_remote = h1,
       .sim_remote_port = 80,
       .state = "open",
       .bytes_in = 18,
       .bytes_out = 11,
       .since = 1500 * NS_MSEC},
      {.proto = NS_BRIDGE_UDP,
       .dir = NS_BRIDGE_LISTEN,
       .outside = "127.0.0.1:40000",
       .sim_local = web,
       .sim_local_port = 49153,
       .sim_remote = h1,
       .sim_remote_port = 7,
       .state = "idle",
       .bytes_in = 5,
       .bytes_out = 5,
       .since = NS_SEC,
       .idle_until = 61 * NS_SEC},
  };
  NsBridgeCounters counters = {
      .accepted = 2, .active = 1, .bytes_in = 18, .udp_mappings = 1};
  NsShowBridgeData d = {.node = ns_net_find(fx->net, "web"),
                        .counters = &counters,
                        .rules = infos,
                        .n_rules = G_N_ELEMENTS(infos),
                        .conns = conns,
                        .n_conns = G_N_ELEMENTS(conns)};
  g_autoptr(NsReport) r = ns_report_new();
  ns_show_bridge_section(r, &d, 3 * NS_SEC);
  g_autofree char *text = text_of(r);
  ck_assert_str_eq(
      text, "web (10.0.0.200):\n"
            "  listen tcp 127.0.0.1:41877 -> 10.0.0.10:80 (h1)\n"
            "  listen udp 127.0.0.1:5353 -> 10.0.0.10:7\n"
            "  connect tcp *:9000 -> 127.0.0.1:9000\n"
            "  counters: accepted 2, active 1, bytes_in 18, udp_mappings 1\n"
            "  PROTO  RULE    OUTSIDE          SIM LOCAL         SIM PEER      "
            "STATE  BYTES IN  BYTES OUT   AGE  EXPIRES IN\n"
            "  tcp    listen  127.0.0.1:51234  10.0.0.200:49152  10.0.0.10:80  "
            "open         18         11  1.5s           -\n"
            "  udp    listen  127.0.0.1:40000  10.0.0.200:49153  10.0.0.10:7   "
            "idle          5          5    2s         58s\n");

  /* Nothing moved, nothing open; a UDP mapping past its time shows 0. */
  NsBridgeCounters zero = {0};
  d.counters = &zero;
  d.n_rules = 0;
  d.n_conns = 0;
  g_autoptr(NsReport) quiet = ns_report_new();
  ns_show_bridge_section(quiet, &d, 3 * NS_SEC);
  g_autofree char *quiet_text = text_of(quiet);
  ck_assert_str_eq(quiet_text, "web (10.0.0.200):\n"
                               "  counters: all 0\n"
                               "  nothing open\n");
  d.conns = &conns[1];
  d.n_conns = 1;
  g_autoptr(NsReport) late = ns_report_new();
  ns_show_bridge_section(late, &d, 70 * NS_SEC);
  ck_assert_str_eq(ns_table_get(ns_report_table(late, 0), 0, 9), "0");
  ck_assert_str_eq(ns_table_get(ns_report_table(late, 0), 0, 8), "69s");
  fx_free(fx);
}
END_TEST

/* ---- a real bridge --------------------------------------------------------
 */

/* The bridge web with its sockets open on a real-time clock, and a
 * scenario that knows it. */
typedef struct {
  Fx *fx;
  GMainContext *context;
  NsClock *clock;
  NsBridges *bridges;
} Live;

/* Whatever runs longer than this hangs: no timing is asserted. */
#define LIVE_LIMIT_US (20 * G_USEC_PER_SEC)

/* web listens on 127.0.0.1, any free port, for h1's tcp-echo. */
static Live live_new(void) {
  static const char lan[] = "[switch sw1]\n"
                            "[host h1]\nip = 10.0.0.10/24\nlink = sw1\n"
                            "services = tcp-echo:7\n"
                            "[bridge web]\nip = 10.0.0.200/24\nlink = sw1\n"
                            "listen = tcp:127.0.0.1:0 -> h1:7\n"
                            "max-connections = 16\n";
  Live l = {.fx = fx_new_from(lan)};
  l.context = g_main_context_new();
  l.clock = ns_clock_new(l.fx->net, NS_CLOCK_REALTIME, l.context);
  GError *e = NULL;
  l.bridges = ns_bridges_new(l.fx->net, l.clock, l.fx->topo, &e);
  ck_assert_msg(l.bridges != NULL, "%s", e ? e->message : "?");
  ns_scenario_set_bridges(l.fx->sc, l.bridges);
  l.fx->src.bridges = l.bridges;
  return l;
}

static void live_free(Live l) {
  ns_bridges_free(l.bridges);
  ns_clock_free(l.clock);
  g_main_context_unref(l.context);
  fx_free(l.fx);
}

/* Sends text and runs the clock until it came back whole. */
static void live_echo(Live *l, GSocket *s, const char *text) {
  gsize len = strlen(text);
  GError *e = NULL;
  ck_assert_int_eq(g_socket_send(s, text, len, NULL, &e), (gssize)len);
  g_autoptr(GString) got = g_string_new(NULL);
  gint64 until = g_get_monotonic_time() + LIVE_LIMIT_US;
  while (got->len < len) {
    char buf[64];
    gssize n = g_socket_receive(s, buf, sizeof buf, NULL, &e);
    if (n > 0)
      g_string_append_len(got, buf, n);
    ck_assert_msg(n > 0 ||
                      g_error_matches(e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK),
                  "the relay ended: %s", e ? e->message : "EOF");
    g_clear_error(&e);
    ck_assert_msg(g_get_monotonic_time() < until, "no echo in time");
    if (!g_main_context_iteration(l->context, FALSE))
      g_usleep(200);
  }
  ck_assert_str_eq(got->str, text);
}

START_TEST(test_live_bridge) {
  Live l = live_new();
  NsBridge *b = ns_bridges_find(l.bridges, "web");
  NsBridgeRuleInfo info;
  ns_bridge_rule_info(b, 0, &info);
  ck_assert_uint_ne(info.bound_port, 0);
  g_autofree char *rule_line = g_strdup_printf(
      "  listen tcp 127.0.0.1:%u -> 10.0.0.10:7 (h1)\n", info.bound_port);
  g_autofree char *idle = g_strdup_printf("web (10.0.0.200):\n%s"
                                          "  counters: all 0\n"
                                          "  nothing open\n",
                                          rule_line);
  fx_exec(l.fx, "show bridges");
  ck_assert_str_eq(fx_output(l.fx), idle);

  GSocket *s = test_loopback_client(G_SOCKET_TYPE_STREAM, info.bound_port);
  live_echo(&l, s, "hello");
  g_autoptr(GSocketAddress) mine = g_socket_get_local_address(s, NULL);
  g_autofree char *outside = g_strdup_printf(
      "127.0.0.1:%u",
      g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(mine)));
  g_autoptr(NsReport) r =
      ns_show_bridges(&l.fx->src, ns_net_find(l.fx->net, "web"));
  g_autofree char *text = text_of(r);
  ck_assert_msg(strstr(text, rule_line) != NULL, "%s", text);
  ck_assert_msg(strstr(text, "  counters: accepted 1, active 1, bytes_in 5, "
                             "bytes_out 5\n") != NULL,
                "%s", text);
  const NsTable *t = ns_report_table(r, 0);
  ck_assert_uint_eq(ns_table_n_rows(t), 1);
  static const guint cols[] = {0, 1, 2, 4, 5, 6, 7, 9};
  const char *want[] = {"tcp",  "listen", outside, "10.0.0.10:7",
                        "open", "5",      "5",     "-"};
  for (guint i = 0; i < G_N_ELEMENTS(cols); i++)
    ck_assert_str_eq(ns_table_get(t, 0, cols[i]), want[i]);
  ck_assert(g_str_has_prefix(ns_table_get(t, 0, 3), "10.0.0.200:"));

  /* The counters, through expect and show stats. */
  fx_exec(l.fx, "expect web counter bridge.accepted 1");
  fx_exec(l.fx, "expect web counter bridge.bytes_in 5");
  fx_exec(l.fx, "expect web counter bridge.refused 0");
  ck_assert_uint_eq(ns_scenario_passed(l.fx->sc), 3);
  ck_assert_uint_eq(ns_scenario_failed(l.fx->sc), 0);
  g_autoptr(NsReport) stats =
      ns_show_stats(&l.fx->src, ns_net_find(l.fx->net, "web"));
  const NsTable *bridge_ctrs = ns_report_table(stats, 2); /* after udp/tcp */
  ck_assert_str_eq(ns_table_get(bridge_ctrs, 0, 0), "bridge.accepted");
  ck_assert_str_eq(ns_table_get(bridge_ctrs, 0, 1), "1");
  ck_assert_uint_eq(ns_table_n_rows(bridge_ctrs), ns_bridge_counter_n_fields);
  g_object_unref(s);
  live_free(l);
}
END_TEST

Suite *test_show_bridges_suite(void) {
  Suite *s = suite_create("show_bridges");
  TCase *tc = test_tcase("parse");
  tcase_add_test(tc, test_parse_good_lines);
  tcase_add_loop_test(tc, test_parse_bad_lines, 0, G_N_ELEMENTS(bad_lines));
  tcase_add_test(tc, test_unknown_counter_lists_them);
  suite_add_tcase(s, tc);
  tc = test_tcase("render");
  tcase_add_test(tc, test_show_without_bridges);
  tcase_add_test(tc, test_counters_without_bridges);
  tcase_add_test(tc, test_show_stats_of_a_bridge);
  tcase_add_test(tc, test_bridge_section);
  suite_add_tcase(s, tc);
  tc = test_tcase("live");
  tcase_add_test(tc, test_live_bridge);
  suite_add_tcase(s, tc);
  return s;
}

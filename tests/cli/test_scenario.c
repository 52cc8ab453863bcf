/* test_scenario.c — the command language: tokenizer, syntax errors with
 * file:line, and scripts run on the built-in two-LAN network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "cli/scenario_fixture.h"
#include "cli/scenario_private.h"
#include "cli/show.h"
#include "testutil.h"

/* Loads and runs script; fails the test on a syntax error. */
static void fx_run(Fx *fx, const char *script) {
  GError *err = NULL;
  gboolean ok = ns_scenario_load(fx->sc, script, "t.scn", &err);
  ck_assert_msg(ok, "%s", err ? err->message : "?");
  ns_scenario_run(fx->sc);
}

/* check limits the length of a failure message: the output goes to
 * stderr instead. */
static void assert_has(Fx *fx, const char *want) {
  const char *out = fx_output(fx);
  if (strstr(out, want) == NULL)
    fprintf(stderr, "---- output ----\n%s----\n", out);
  ck_assert_msg(strstr(out, want) != NULL, "missing '%s' in the output", want);
}

static void assert_lacks(Fx *fx, const char *unwanted) {
  const char *out = fx_output(fx);
  if (strstr(out, unwanted) != NULL)
    fprintf(stderr, "---- output ----\n%s----\n", out);
  ck_assert_msg(strstr(out, unwanted) == NULL, "unexpected '%s' in the output",
                unwanted);
}

static void assert_counts(Fx *fx, guint passed, guint failed) {
  gboolean ok = ns_scenario_passed(fx->sc) == passed &&
                ns_scenario_failed(fx->sc) == failed;
  if (!ok)
    fprintf(stderr, "---- output ----\n%s----\n", fx_output(fx));
  ck_assert_msg(ok, "want %u passed %u failed, got %u/%u", passed, failed,
                ns_scenario_passed(fx->sc), ns_scenario_failed(fx->sc));
}

/* The switch port the link between a and sw uses. */
static guint port_of(Fx *fx, const char *a, const char *sw) {
  NsNetLink *l = ns_net_find_link(fx->net, a, sw);
  ck_assert_ptr_nonnull(l);
  return ns_net_link_port(fx->net, l, ns_net_find(fx->net, sw));
}

/* ---- tokenizer ----------------------------------------------------------- */

START_TEST(test_tokenize) {
  gsize code = 0;
  GError *err = NULL;
  const char *line = "  print \"a \\\"q\\\" \\\\ b\" x\"y z\"w  # c \"d";
  char **w = ns_sc_tokenize(line, &code, NULL, &err);
  ck_assert_ptr_nonnull(w);
  ck_assert_uint_eq(g_strv_length(w), 3);
  ck_assert_str_eq(w[0], "print");
  ck_assert_str_eq(w[1], "a \"q\" \\ b");
  ck_assert_str_eq(w[2], "xy zw");
  ck_assert_uint_eq(line[code], '#');
  g_strfreev(w);

  /* Which words were quoted: "400" is text, 400 a count. */
  GByteArray *q = g_byte_array_new();
  w = ns_sc_tokenize("expect h1 tcp received \"400\" 400 x\"4\"", NULL, q,
                     &err);
  ck_assert_uint_eq(g_strv_length(w), 7);
  ck_assert_uint_eq(q->len, 7);
  static const guint8 want_quoted[] = {0, 0, 0, 0, 1, 0, 1};
  ck_assert_mem_eq(q->data, want_quoted, sizeof want_quoted);
  ck_assert_str_eq(w[4], "400");
  g_strfreev(w);
  g_byte_array_unref(q);

  w = ns_sc_tokenize("print \"\" \"#\"", NULL, NULL, &err);
  ck_assert_uint_eq(g_strv_length(w), 3);
  ck_assert_str_eq(w[1], "");
  ck_assert_str_eq(w[2], "#");
  g_strfreev(w);

  w = ns_sc_tokenize("   # only a comment", &code, NULL, &err);
  ck_assert_ptr_nonnull(w);
  ck_assert_uint_eq(g_strv_length(w), 0);
  ck_assert_uint_eq(code, 3);
  g_strfreev(w);

  ck_assert_ptr_null(ns_sc_tokenize("print \"open", NULL, NULL, &err));
  ck_assert(strstr(err->message, "unterminated") != NULL);
  g_clear_error(&err);
  ck_assert_ptr_null(ns_sc_tokenize("print \"a\\qb\"", NULL, NULL, &err));
  ck_assert(strstr(err->message, "unknown escape '\\q'") != NULL);
  g_clear_error(&err);
  /* \n \r \t \" \\ in quotes are the bytes they name. */
  w = ns_sc_tokenize("send \"a\\r\\n\\tb\\\"\\\\\"", NULL, NULL, &err);
  ck_assert_ptr_nonnull(w);
  ck_assert_str_eq(w[1], "a\r\n\tb\"\\");
  g_strfreev(w);
}
END_TEST

/* ---- syntax errors ------------------------------------------------------- */

static const struct {
  const char *line;
  const char *fragment;
} bad_lines[] = {
    {"h1 ping h3 count three", "'count' needs a number, got 'three'"},
    {"h9 ping h3", "unknown command or node 'h9'"},
    {"h1 ping", "'ping' needs a destination"},
    {"h1 ping h7", "'h7' is neither an IPv4 address nor a node name"},
    {"h1 ping 192.168.1.300", "'192.168.1.300'"},
    {"h1 ping h3 interval 5", "'interval' needs a time with a unit"},
    {"h1 ping h3 ttl 300", "'ttl' needs a number from 1 to 255, got '300'"},
    {"h1 ping h3 flood", "unknown ping option 'flood'"},
    {"h1 traceroute h3 max-hops x", "'max-hops' needs a number, got 'x'"},
    {"h1 dance", "'h1' needs a command: ping, traceroute, arp flush, udp, "
                 "join, leave, tcp or http get, got 'dance'"},
    {"sw1 ping h1", "sw1 is a switch"},
    {"h1 pnig h3", "got 'pnig' (did you mean 'ping'?)"},
    {"pnig h3", "unknown command or node 'pnig' (did you mean 'NODE ping'? "},
    {"wiat 1s", "unknown command or node 'wiat' (did you mean 'wait'? "},
    {"hh1 ping h3", "unknown command or node 'hh1' (did you mean 'h1'? "},
    {"h1 ping hh3", "a node name (did you mean 'h3'?)"},
    {"show arp h11", "which is not a node (did you mean 'h1'? nodes: "},
    {"wait forever", "'wait' needs a time with a unit"},
    {"wait 2", "got '2'"},
    {"wait 1s 2s", "unexpected '2s' after '1s'"},
    {"wait 5124096h", "'wait': '5124096h' is too long a time (at most about "
                      "584 years)"},
    {"show arp sw1", "'show arp' needs a host or router name, but 'sw1' is a "
                     "switch"},
    {"show mac h1", "'show mac' needs a switch name, but 'h1' is a host"},
    {"show mac", "'show mac' needs a switch name, got nothing"},
    {"show tables",
     "'show' needs one of arp, mac, route, links, stats, "
     "nodes, sockets, tcp, bridges, frame, groups, received, mask, got "
     "'tables'"},
    {"show mask", "'show mask' needs ADDR/LEN or ADDR MASK"},
    {"show mask 10.0.0.1/33", "'10.0.0.1/33' is not an IPv4 prefix"},
    {"show mask 10.0.0.1 255.0.255.0",
     "255.0.255.0 is not a mask (its ones must come first"},
    {"show mask 10.0.0.1 255.255.0.0 x", "unexpected 'x'"},
    {"link h1 h3 down", "there is no link between h1 and h3"},
    {"link h1 sw1 sideways", "'link h1 sw1' needs up, down or set"},
    {"link h1 sw1 set loss 2", "'loss': '2' is not a loss probability"},
    {"h1 ping h3 count 1 count 2", "'count' is given twice"},
    {"link h1 sw1 set loss 0.1 delay 1ms loss 0.2", "'loss' is given twice"},
    {"link h1 sw1 set rate 10", "'rate': '10' is not a rate"},
    {"link h1 sw1 set", "needs at least one of loss"},
    {"link h1 sw1 set queue 0", "'queue' needs a number from 1"},
    {"link h1 sw1 set jitter 5", "'jitter': '5' is not a time"},
    {"link h1 sw1 set duplicate 2", "'duplicate': '2' is not a probability"},
    {"link h1 sw1 set corrupt", "'corrupt': a value is missing"},
    {"link h1 sw1 set reorder 1% reorder 2%", "'reorder' is given twice"},
    {"link h1 sw1 set loss gemodel:1%:x",
     "'loss': 'gemodel:1%:x' is not a Gilbert-Elliott model (expected "
     "gemodel:P[:R[:1-H[:1-K]]]"},
    {"link h1 sw1 set mtu 1400",
     "unknown link setting 'mtu' (expected delay, jitter, rate, loss, "
     "duplicate, corrupt, reorder or queue)"},
    {"expect link h1 sw1 mangled 0", "'expect link' needs sent, delivered, "
                                     "drops"},
    {"arp flush", "'arp flush' needs a host or router name, got nothing"},
    {"expect", "'expect' needs something to check"},
    {"expect h1 ping replies lots",
     "needs a whole number, optionally after one "
     "of = != < <= > >=, got 'lots'"},
    {"expect h1 ping replies >=", "got nothing"},
    {"expect h1 ping loss 1.5x", "got '1.5x'"},
    /* whole decimal numbers only, within range */
    {"expect h1 ping replies 0x1", "needs a whole number, optionally after "
                                   "one of = != < <= > >=, got '0x1'"},
    {"expect h1 ping replies = 1.0", "got '1.0'"},
    {"expect h1 counter ip_rx = 1e0", "got '1e0'"},
    {"expect h1 ping replies +1", "got '+1'"},
    {"expect h1 ping replies 18446744073709551616",
     "got '18446744073709551616'"},
    {"expect h1 ping loss 101%", "needs a whole percentage up to 100%, such "
                                 "as 25%, optionally after one of = != < <= "
                                 "> >=, got '101%'"},
    {"expect h1 ping loss 50.5%", "got '50.5%'"},
    {"expect h1 ping echoes 3", "needs replies or loss"},
    {"expect sw1 ping replies 3", "needs a host or router, but sw1 is a "
                                  "switch"},
    {"expect h1 mac h2 port 1", "needs a switch, but h1 is a host"},
    {"expect sw1 mac h1 port 9", "'port' needs a number from 1 to 3"},
    {"expect sw1 mac r1:eth9 absent", "r1 has no interface 'eth9'"},
    {"expect sw1 mac zz:zz absent", "MAC address (such as"},
    {"expect h1 arp has sw1", "sw1 is a switch and has no IP address"},
    {"expect h1 arp has 192.168.1.1 mac 02:00", "'mac' needs a MAC address"},
    {"expect h1 counter bogus 1", "h1 has no counter 'bogus'"},
    {"expect sw1 counter port.7.rx_frames 1", "sw1 has no port 'port.7'"},
    {"expect h1 route h3 via eth7", "'via' needs an interface of h1, got "
                                    "'eth7'"},
    {"expect h1 route h3 through eth0", "needs 'via IFACE' or 'none'"},
    {"expect h1 traceroute hop 0 r1", "'hop' needs a number from 1 to 255"},
    {"expect h1 traceroute arrived", "needs reached, hops N or hop K"},
    {"expect link h1 sw1 drops.gremlins 0", "'expect link' needs sent, "
                                            "delivered, drops"},
    {"expect link h1 sw1 dir h3 sent 1", "'dir' must name one end of the "
                                         "link: h1 or sw1"},
    {"expect log contains \"unterminated", "unterminated string"},
    {"expect log contains two words", "takes one text"},
    {"expect log has \"x\"", "'expect log' needs contains or lacks"},
    {"print \"bad \\q escape\"", "unknown escape '\\q'"},
    {"quit now", "unexpected 'now' after 'quit'"},
    {"h1 udp send h3 hello", "'udp send' needs DEST:PORT such as h3:7"},
    {"h1 udp send h3:70000 hi", "'70000' is not a port (expected 1-65535)"},
    {"h1 udp send h9:7 hi", "'udp send': 'h9' is neither"},
    {"h1 udp send h3:7", "'udp send' needs what to send"},
    {"h1 udp send h3:7 size 1473", "'size' needs a number from 0 to 1472"},
    {"h1 udp shout h3:7 x", "'h1 udp' needs send DEST:PORT TEXT or listen"},
    {"h1 udp listen 0", "'udp listen' needs a number from 1 to 65535"},
    {"h1 join 10.0.0.1", "needs a multicast group (224.0.0.0 to"},
    {"h1 leave", "needs a multicast group"},
    {"h1 tcp connect h3", "'tcp connect' needs DEST:PORT"},
    {"h1 tcp connect h3:80 now", "unexpected 'now' after 'h3:80'"},
    {"h1 tcp send", "'tcp send' needs what to send"},
    {"h1 tcp open h3:80", "'h1 tcp' needs connect DEST:PORT, send TEXT"},
    {"sw1 tcp connect h3:80", "sw1 is a switch"},
    {"expect h1 tcp state OPEN", "needs a TCP state such as ESTABLISHED"},
    {"expect h1 tcp received lots of", "unexpected 'of' after 'lots'"},
    {"expect h1 tcp sent 3", "needs state STATE, received"},
    {"expect h1 udp received", "needs a whole number"},
    {"expect h1 group 10.1.1.1 joined", "needs a multicast group"},
    {"expect h1 group 239.1.1.1 maybe", "needs joined or left"},
    {"expect h3 service 81 requests 1", "h3 has no service on port 81"},
    {"expect h3 service 80/udp requests 1", "h3 has no UDP service on port 80"},
    {"expect h3 service 80 hits 1", "needs connections, active, datagrams"},
    /* h3 has tcp-echo 7 and udp-echo 7: a field both count needs the kind;
     * a field the kind does not count is no silent 0. */
    {"expect h3 service 7 bytes_in 8",
     "h3 has a TCP and a UDP service on port 7: say 7/tcp or 7/udp"},
    {"expect h3 service 7/tcp datagrams 0",
     "a TCP service counts no datagrams"},
    {"expect h3 service 80 datagrams 0", "a TCP service counts no datagrams"},
    {"expect h3 service 7/udp connections 0",
     "a UDP service counts no connections"},
    {"expect h1 counter udp.bogus 1", "expected one of udp.rx"},
    {"expect h1 counter tcp.bogus 1", "expected one of tcp.active_opens"},
};

START_TEST(test_syntax_errors) {
  const char *line = bad_lines[_i].line;
  Fx *fx = fx_new();
  /* The bad line is line 4 (after a blank and a comment line); nothing of
   * the script may run. */
  char *script =
      g_strdup_printf("print should not run\n\n# comment\n%s\nprint x\n", line);
  GError *err = NULL;
  ck_assert(!ns_scenario_load(fx->sc, script, "tests/x.scn", &err));
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(g_str_has_prefix(err->message, "tests/x.scn:4: "),
                "'%s': message '%s' does not start with the location", line,
                err->message);
  ck_assert_msg(strstr(err->message, bad_lines[_i].fragment) != NULL,
                "'%s': message '%s' lacks '%s'", line, err->message,
                bad_lines[_i].fragment);
  ns_scenario_run(fx->sc); /* nothing was loaded */
  ck_assert_uint_eq(strlen(fx_output(fx)), 0);
  g_error_free(err);
  g_free(script);
  fx_free(fx);
}
END_TEST

START_TEST(test_console_exec) {
  Fx *fx = fx_new();
  gboolean quit = TRUE;
  GError *err = NULL;
  ck_assert(!ns_scenario_exec(fx->sc, "h1 pong h3", 7, &quit, &err));
  ck_assert_str_eq(err->message, "line 7: 'h1' needs a command: ping, "
                                 "traceroute, arp flush, udp, join, leave, "
                                 "tcp or http get, got 'pong' (did you mean "
                                 "'ping'?)");
  g_clear_error(&err);
  ck_assert(ns_scenario_exec(fx->sc, "   # nothing", 8, &quit, &err));
  ck_assert(!quit);
  ck_assert(
      ns_scenario_exec(fx->sc, "print hello   \"big  world\"", 9, &quit, &err));
  assert_has(fx, "hello big  world\n");
  ck_assert(ns_scenario_exec(fx->sc, "help", 10, &quit, &err));
  assert_has(fx, "NODE traceroute DEST");
  ck_assert(ns_scenario_exec(fx->sc, "help link", 11, &quit, &err));
  assert_has(fx, "link A B set");
  ck_assert(ns_scenario_exec(fx->sc, "wait 2s", 12, &quit, &err));
  ck_assert_uint_eq(ns_net_now(fx->net), 2 * NS_SEC);
  ck_assert(!quit);
  ck_assert(ns_scenario_exec(fx->sc, "exit", 13, &quit, &err));
  ck_assert(quit);
  fx_free(fx);
}
END_TEST

START_TEST(test_quit_stops_script) {
  Fx *fx = fx_new();
  fx_run(fx, "print before\nquit\nprint after\n");
  assert_has(fx, "before\n");
  assert_lacks(fx, "after");
  fx_free(fx);
}
END_TEST

/* ---- execution ----------------------------------------------------------- */

START_TEST(test_ping_across_router) {
  Fx *fx = fx_new();
  fx_run(fx, "h1 ping h3 count 3 interval 200ms\n"
             "wait\n"
             "expect h1 ping replies 3      # all answered\n"
             "expect h1 ping replies >= 2\n"
             "expect h1 ping replies != 3\n"
             "expect h1 ping loss 0%\n"
             "expect h1 ping loss > 10%\n"
             "expect h2 ping replies 0\n");
  assert_has(fx, "192.168.2.10");
  assert_has(fx, "ok 1 - expect h1 ping replies 3\n");
  assert_has(fx, "ok 2 - expect h1 ping replies >= 2\n");
  assert_has(fx, "not ok 3 - expect h1 ping replies != 3 (got 3)\n");
  assert_has(fx, "ok 4 - expect h1 ping loss 0%\n");
  assert_has(fx, "not ok 5 - expect h1 ping loss > 10% (got 0%");
  assert_has(fx, "not ok 6 - expect h2 ping replies 0 (got no ping was "
                 "started on h2)\n");
  assert_counts(fx, 3, 3);
  ns_scenario_finish(fx->sc);
  assert_has(fx, "3 passed, 3 failed\n");
  fx_free(fx);
}
END_TEST

START_TEST(test_arp_expectations) {
  Fx *fx = fx_new();
  char mac[NS_MAC_STRLEN];
  NsNetNode *r1 = ns_net_find(fx->net, "r1");
  ns_mac_format(ns_ipnode_find_iface(r1->ip, "eth0")->nic.mac, mac);
  char *script =
      g_strdup_printf("expect h1 arp lacks 192.168.1.1\n"
                      "h1 ping h3 count 1\n"
                      "wait\n"
                      "expect h1 arp has 192.168.1.1\n"
                      "expect h1 arp has r1\n"
                      "expect h1 arp has r1 mac %s\n"
                      "expect h1 arp has r1:eth0 mac 02:ff:ff:ff:ff:ff\n"
                      "expect h1 arp lacks h3\n"
                      "expect h1 arp has h3\n"
                      "expect r1 arp has h3\n"
                      "expect r1 arp has h1\n"
                      "expect h3 arp has r1\n"
                      "h1 arp flush\n"
                      "expect h1 arp lacks r1\n"
                      "arp flush r1\n"
                      "expect r1 arp lacks h3\n",
                      mac);
  fx_run(fx, script);
  assert_has(fx, "ok 1 - expect h1 arp lacks 192.168.1.1\n");
  assert_has(fx, "not ok 5 - expect h1 arp has r1:eth0 mac 02:ff:ff:ff:ff:ff "
                 "(got 192.168.1.1 at ");
  assert_has(fx, "not ok 7 - expect h1 arp has h3 (got no entry)\n");
  assert_has(fx, "h1: ARP cache flushed\n");
  assert_counts(fx, 10, 2);
  g_free(script);
  fx_free(fx);
}
END_TEST

START_TEST(test_mac_expectations) {
  Fx *fx = fx_new();
  char *script =
      g_strdup_printf("expect sw1 mac h1 absent\n"
                      "h1 ping h3 count 1\n"
                      "wait\n"
                      "expect sw1 mac h1 port %u\n"
                      "expect sw1 mac r1 port %u\n"
                      "expect sw1 mac r1:eth0 port %u\n"
                      "expect sw2 mac h3 port %u\n"
                      "expect sw1 mac h3 absent\n"
                      "expect sw1 mac h2 absent\n"
                      "expect sw2 mac h1 absent\n"
                      "expect sw1 mac h1 port %u\n",
                      port_of(fx, "h1", "sw1"), port_of(fx, "r1", "sw1"),
                      port_of(fx, "r1", "sw1"), port_of(fx, "h3", "sw2"),
                      port_of(fx, "h2", "sw1"));
  fx_run(fx, script);
  char want[128];
  g_snprintf(want, sizeof want, "(got port %u)\n", port_of(fx, "h1", "sw1"));
  assert_has(fx, want);
  assert_counts(fx, 8, 1);
  g_free(script);
  fx_free(fx);
}
END_TEST

START_TEST(test_route_and_traceroute) {
  Fx *fx = fx_new();
  fx_run(fx, "expect h1 route h3 via eth0 gateway 192.168.1.1\n"
             "expect h1 route h2 via eth0\n"
             "expect h1 route 10.0.0.1 via eth0 gateway r1\n"
             "expect r1 route h3 via eth1\n"
             "expect r1 route h4:eth0 via eth0\n"
             "expect r1 route 10.0.0.1 none\n"
             "expect h1 route h2 none\n"
             "h1 traceroute h3\n"
             "wait\n"
             "expect h1 traceroute reached\n"
             "expect h1 traceroute hops 2\n"
             "expect h1 traceroute hop 1 r1\n"
             "expect h1 traceroute hop 1 192.168.1.1\n"
             "expect h1 traceroute hop 2 h3\n"
             "expect h1 traceroute hop 3 h3\n"
             "expect h4 traceroute reached\n");
  assert_has(fx, "not ok 5 - expect r1 route h4:eth0 via eth0 (got via eth1 "
                 "(direct))\n");
  assert_has(fx, "not ok 7 - expect h1 route h2 none (got via eth0 "
                 "(direct))\n");
  assert_has(fx, "not ok 13 - expect h1 traceroute hop 3 h3 (got only 2 "
                 "hops)\n");
  assert_has(fx, "(got no traceroute was started on h4)\n");
  assert_counts(fx, 10, 4);
  fx_free(fx);
}
END_TEST

START_TEST(test_counters) {
  Fx *fx = fx_new();
  char *script =
      g_strdup_printf("h1 ping h3 count 3\n"
                      "wait\n"
                      "expect r1 counter forwarded 6\n"
                      "expect h3 counter echo_replied 3\n"
                      "expect h1 counter ip_rx >= 3\n"
                      "expect h1 counter eth0.tx_frames >= 4\n"
                      "expect sw1 counter flooded >= 1\n"
                      "expect sw1 counter port.%u.rx_frames >= 4\n"
                      "expect sw1 counter port%u.tx_frames >= 4\n"
                      "expect r1 counter ttl_exceeded > 0\n",
                      port_of(fx, "h1", "sw1"), port_of(fx, "h1", "sw1"));
  fx_run(fx, script);
  assert_has(fx, "not ok 8 - expect r1 counter ttl_exceeded > 0 (got 0)\n");
  assert_counts(fx, 7, 1);
  g_free(script);
  fx_free(fx);
}
END_TEST

START_TEST(test_link_down_and_up) {
  Fx *fx = fx_new();
  char *script = g_strdup_printf("h1 ping h3 count 1\n"
                                 "wait\n"
                                 "expect sw1 mac h1 port %u\n"
                                 "expect link h1 sw1 drops 0\n"
                                 "link h1 sw1 down\n"
                                 "expect sw1 mac h1 absent\n"
                                 "h1 ping h3 count 2 interval 500ms\n"
                                 "wait\n"
                                 "expect h1 ping replies 0\n"
                                 "expect h1 ping loss 100%%\n"
                                 "expect link h1 sw1 drops.link-down >= 1\n"
                                 "expect link sw1 h1 dir h1 drops >= 1\n"
                                 "expect link h1 sw1 dir sw1 drops 0\n"
                                 "expect log contains \"link/down\"\n"
                                 "link h1 sw1 up\n"
                                 "h1 ping h3 count 2\n"
                                 "wait\n"
                                 "expect h1 ping replies 2\n"
                                 "expect link h1 sw1 delivered >= 8\n",
                                 port_of(fx, "h1", "sw1"));
  fx_run(fx, script);
  assert_has(fx, "link h1:eth0 <-> sw1:");
  assert_has(fx, " is down\n");
  assert_counts(fx, 11, 0);
  g_free(script);
  fx_free(fx);
}
END_TEST

START_TEST(test_link_set) {
  Fx *fx = fx_new();
  fx_run(fx, "link h1 sw1 set loss 100% delay 5ms rate 10Mbit queue 8\n"
             "h1 ping h3 count 2\n"
             "wait\n"
             "expect h1 ping replies 0\n"
             "expect link h1 sw1 drops.loss >= 1\n"
             "expect link h1 sw1 delivered 0\n"
             "link sw1 h1 set loss 0 rate 0\n");
  NsNetLink *l = ns_net_find_link(fx->net, "h1", "sw1");
  const NsLinkParams *p = ns_link_params(l->link);
  ck_assert_uint_eq(p->delay, 5 * NS_MSEC);
  ck_assert_uint_eq(p->rate_bps, 0);
  ck_assert_uint_eq(p->queue_limit, 8);
  ck_assert(p->loss == 0.0);
  assert_has(fx, "loss 100%, queue 8\n");
  assert_counts(fx, 3, 0);
  fx_free(fx);
}
END_TEST

START_TEST(test_log_expectations) {
  Fx *fx = fx_new();
  fx_run(fx, "expect log lacks \"arp/request\"\n"
             "h1 ping h2 count 1\n"
             "wait\n"
             "expect log contains \"arp/request\"\n"
             "expect log contains \"switch/learn\"\n"
             "expect log lacks \"no such \\\"event\\\"\"\n"
             "expect log contains \"route/forward\"\n"
             "expect log lacks \"switch/flood\"\n");
  assert_has(fx, "not ok 5 - expect log contains \"route/forward\" (got not "
                 "in the log)\n");
  assert_has(fx, "not ok 6 - expect log lacks \"switch/flood\" (got found: ");
  assert_counts(fx, 4, 2);
  fx_free(fx);
}
END_TEST

START_TEST(test_log_kept_only_when_asked) {
  /* No `expect log`: nobody listens, so the devices format nothing. */
  Fx *fx = fx_new();
  fx_run(fx, "h1 ping h3 count 1\nwait\nexpect h1 ping replies 1\n");
  ck_assert(!ns_log_on(ns_net_log(fx->net)));
  fx_free(fx);
  /* With one, the reasons are kept even without --explain. */
  fx = fx_new();
  fx_run(fx, "h1 ping h3 count 1\nwait\n"
             "expect log contains \"via gateway 192.168.1.1\"\n");
  ck_assert(ns_log_on(ns_net_log(fx->net)));
  assert_counts(fx, 1, 0);
  fx_free(fx);
}
END_TEST

START_TEST(test_script_end_finishes_pings) {
  Fx *fx = fx_new();
  fx_run(fx, "h1 ping h3 count 3\n");
  assert_has(fx, "3 packets transmitted, 3 received");
  ck_assert(!ns_net_busy(fx->net));
  fx_free(fx);
}
END_TEST

START_TEST(test_wait_time) {
  Fx *fx = fx_new();
  fx_run(fx, "wait 1500ms\nh1 ping h3 count 10\nwait 2s\n"
             "expect h1 ping replies >= 2\nexpect h1 ping replies < 10\n"
             "wait\nexpect h1 ping replies 10\n");
  /* the last request leaves at 1.5s + 9 intervals */
  ck_assert_uint_ge(ns_net_now(fx->net), 10500 * NS_MSEC);
  ck_assert_uint_lt(ns_net_now(fx->net), 12 * NS_SEC);
  assert_counts(fx, 3, 0);
  fx_free(fx);
}
END_TEST

/* A wait past the end of virtual time (2^64 ns, about 584 years) is an
 * error that waits nothing, where it used to do nothing silently; under a
 * run limit the limit stops it first, as any wait. */
START_TEST(test_wait_past_the_end) {
  Fx *fx = fx_new();
  fx_run(fx, "wait 4000000h\nwait 4000000h\nh1 ping h3 count 2\nwait\n"
             "expect h1 ping replies 2\n");
  assert_has(fx, "error: wait 14400000000s at 14400000000s would pass the "
                 "end of virtual time (about 584 years): nothing waited\n");
  ck_assert_uint_lt(ns_net_now(fx->net),
                    14401 * G_GUINT64_CONSTANT(1000000) * NS_SEC);
  assert_counts(fx, 1, 0);
  fx_free(fx);
  fx = fx_new();
  ns_scenario_set_limit(fx->sc, 3 * NS_SEC);
  fx_run(fx, "wait 4000000h\nwait 4000000h\n");
  assert_lacks(fx, "error");
  ck_assert_uint_eq(ns_net_now(fx->net), 3 * NS_SEC);
  fx_free(fx);
}
END_TEST

START_TEST(test_time_limit) {
  Fx *fx = fx_new();
  ns_scenario_set_limit(fx->sc, 3 * NS_SEC);
  fx_run(fx, "wait 1s\nprint one\nh1 ping h3 count 10\nwait\n"
             "expect h1 ping replies 10\nprint done\n");
  ck_assert_uint_eq(ns_net_now(fx->net), 3 * NS_SEC);
  assert_has(fx, "one\n");
  assert_has(fx, "# time limit 3s reached: 2 commands not run\n");
  assert_lacks(fx, "done");
  assert_counts(fx, 0, 0);
  fx_free(fx);
}
END_TEST

START_TEST(test_show_tables) {
  Fx *fx = fx_new();
  fx_run(fx, "h1 ping h3 count 1\nwait\n"
             "show arp h1\nshow mac sw1\nshow route r1\nshow links\n"
             "show stats sw1\nshow stats h1\nshow nodes\nshow stats\n"
             "show mask 192.168.1.77/26\nshow mask 10.1.2.3 255.255.255.252\n");
  /* show arp: the gateway's entry */
  assert_has(fx, "ARP cache of h1 (host)");
  assert_has(fx, "192.168.1.1  r1    02:");
  assert_has(fx, "reachable  expires in");
  /* show mac: owners are named */
  assert_has(fx, "MAC table of sw1: 2 entries");
  assert_has(fx, "h1:eth0 (192.168.1.10)");
  /* show route */
  assert_has(fx, "Routing table of r1 (router)");
  assert_has(fx, "192.168.2.0/24  255.255.255.0  direct   eth1       "
                 "connected");
  /* show links */
  assert_has(fx, "h1:eth0");
  assert_has(fx, "100Mbit");
  assert_has(fx, "DELIVERED");
  /* show stats */
  assert_has(fx, "sw1 (switch): 3 ports");
  assert_has(fx, "flooded");
  assert_has(fx, "ip_rx");
  assert_has(fx, "echo requests answered");
  /* show nodes */
  assert_has(fx, "Nodes (7):");
  assert_has(fx, "192.168.2.11/24");
  assert_has(fx, "events fired");
  /* show mask, both forms */
  assert_has(fx, "The mask AND of 192.168.1.77/26 (255.255.255.192):");
  assert_has(fx, "  mask       255.255.255.192  "
                 "11111111.11111111.11111111.11000000  /26: 26 ones");
  assert_has(fx, "The mask AND of 10.1.2.3/30 (255.255.255.252):");
  assert_has(fx, "4 addresses in 10.1.2.0/30: 2 hosts, 10.1.2.1 to 10.1.2.2");
  fx_free(fx);
}
END_TEST

/* A datagram to a closed port: the user who sent it is told, as `nc -u`
 * says "Connection refused", and the client counts it; an open port's
 * answer is not an error. */
START_TEST(test_udp_refused_is_reported) {
  Fx *fx = fx_new();
  fx_run(fx, "h1 udp send h3:9 anyone?\nwait\nh1 udp send h3:7 echo\nwait\n");
  NsClient *cl = ns_net_find(fx->net, "h1")->client;
  ck_assert_ptr_nonnull(cl);
  guint16 port = 0;
  const char *out = fx_output(fx);
  const char *line = strstr(out, "udp 192.168.1.10:");
  ck_assert_ptr_nonnull(line);
  ck_assert_int_eq(sscanf(line, "udp 192.168.1.10:%hu", &port), 1);
  g_autofree char *want =
      g_strdup_printf("udp 192.168.1.10:%u -> 192.168.2.10:9: connection "
                      "refused (ICMP port unreachable from 192.168.2.10)\n",
                      port);
  assert_has(fx, want);
  ck_assert_uint_eq(ns_client_stats(cl)->udp_errors, 1);
  ck_assert_uint_eq(ns_client_stats(cl)->udp_received, 1);
  fx_free(fx);
}
END_TEST

/* leave drops the user's own membership only (per socket, as a real
 * stack); when a service keeps the node in the group, the answer says so
 * instead of a bare "left". */
START_TEST(test_leave_says_still_member) {
  Fx *fx = fx_new_from("[switch sw1]\n"
                       "[host a]\nip = 10.0.0.1/24\nlink = sw1\n"
                       "[host b]\nip = 10.0.0.2/24\nlink = sw1\n"
                       "services = udp-listen 5000 group 239.1.1.1\n");
  fx_run(fx, "a join 239.1.1.1\n"
             "a leave 239.1.1.1\n"
             "b leave 239.1.1.1\n"
             "expect a group 239.1.1.1 left\n"
             "expect b group 239.1.1.1 joined\n");
  assert_has(fx, "a: left 239.1.1.1\n");
  /* b's membership is its service's: b's own socket has none to drop. */
  assert_has(fx, "b: error: b has not joined 239.1.1.1: nothing to leave (the "
                 "node is a member: a service");
  assert_counts(fx, 2, 0);
  fx_free(fx);
}
END_TEST

START_TEST(test_formatting) {
  char buf[NS_TIME_STRLEN];
  ck_assert_str_eq(ns_show_duration(0, buf), "0");
  ck_assert_str_eq(ns_show_duration(58200 * NS_MSEC, buf), "58.2s");
  ck_assert_str_eq(ns_show_duration(300 * NS_SEC, buf), "300s");
  ck_assert_str_eq(ns_show_duration(250 * NS_MSEC, buf), "250ms");
  ck_assert_str_eq(ns_show_duration(10 * NS_USEC, buf), "10us");
  ck_assert_str_eq(ns_show_duration(7, buf), "7ns");
}
END_TEST

Suite *test_scenario_suite(void) {
  Suite *s = suite_create("scenario");
  TCase *tc = test_tcase("parse");
  tcase_add_test(tc, test_tokenize);
  tcase_add_loop_test(tc, test_syntax_errors, 0, G_N_ELEMENTS(bad_lines));
  tcase_add_test(tc, test_console_exec);
  tcase_add_test(tc, test_quit_stops_script);
  tcase_add_test(tc, test_formatting);
  suite_add_tcase(s, tc);
  tc = test_tcase("run");
  tcase_add_test(tc, test_ping_across_router);
  tcase_add_test(tc, test_arp_expectations);
  tcase_add_test(tc, test_mac_expectations);
  tcase_add_test(tc, test_route_and_traceroute);
  tcase_add_test(tc, test_counters);
  tcase_add_test(tc, test_link_down_and_up);
  tcase_add_test(tc, test_link_set);
  tcase_add_test(tc, test_log_expectations);
  tcase_add_test(tc, test_wait_time);
  tcase_add_test(tc, test_wait_past_the_end);
  tcase_add_test(tc, test_log_kept_only_when_asked);
  tcase_add_test(tc, test_script_end_finishes_pings);
  tcase_add_test(tc, test_time_limit);
  tcase_add_test(tc, test_show_tables);
  tcase_add_test(tc, test_leave_says_still_member);
  tcase_add_test(tc, test_udp_refused_is_reported);
  suite_add_tcase(s, tc);
  return s;
}

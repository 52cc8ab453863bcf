/* test_show.c — each `show` command's report as data, on the built-in
 * two-LAN network after some traffic; `show stats` and `expect NODE
 * counter` reaching every counter of the registries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "cli/scenario_fixture.h"
#include "cli/show.h"
#include "net/tcp_private.h" /* cfg.sack, until a topology key sets it */
#include "testutil.h"

/* The built-in network after a ping, a UDP datagram and a TCP exchange
 * from h1 to h3. */
static Fx *fx_traffic(void) {
  Fx *fx = fx_new();
  static const char *const traffic[] = {
      "h1 ping h3 count 1", "h1 udp send h3:7 hi", "h1 tcp connect h3:7",
      "h1 tcp send hello", "wait"};
  for (guint i = 0; i < G_N_ELEMENTS(traffic); i++)
    fx_exec(fx, traffic[i]);
  return fx;
}

static NsNetNode *node(Fx *fx, const char *name) {
  NsNetNode *n = ns_net_find(fx->net, name);
  ck_assert_ptr_nonnull(n);
  return n;
}

/* The cell in column col of the row whose column key_col holds key
 * (which must exist). */
static const char *cell_of(const NsTable *t, guint key_col, const char *key,
                           guint col) {
  for (guint r = 0; r < ns_table_n_rows(t); r++)
    if (strcmp(ns_table_get(t, r, key_col), key) == 0)
      return ns_table_get(t, r, col);
  ck_abort_msg("no row with %s", key);
  return NULL;
}

/* The text of r (freed by the caller). */
static char *text_of(const NsReport *r) {
  GString *s = g_string_new(NULL);
  ns_report_render_text(r, s);
  return g_string_free(s, FALSE);
}

/* ---- each command's report ----------------------------------------------- */

START_TEST(test_show_arp) {
  Fx *fx = fx_traffic();
  g_autoptr(NsReport) r = ns_show_arp(&fx->src, node(fx, "h1"));
  const NsReportItem *top = ns_report_item(r, 0);
  ck_assert_int_eq(top->kind, NS_REPORT_SECTION);
  ck_assert_str_eq(top->section->title,
                   "ARP cache of h1 (host), entries live 60s");
  const NsReportItem *iface = ns_report_item(top->section, 0);
  ck_assert_str_eq(iface->section->title,
                   "eth0  192.168.1.10/24  02:00:00:00:00:03");
  const NsTable *t = ns_report_table(r, 0);
  ck_assert_uint_eq(ns_table_n_rows(t), 1);
  ck_assert_str_eq(ns_table_column(t, 0)->name, "IP");
  ck_assert_int_eq(ns_table_column(t, 5)->align, NS_ALIGN_RIGHT);
  ck_assert_str_eq(ns_table_get(t, 0, 0), "192.168.1.1");
  ck_assert_str_eq(ns_table_get(t, 0, 1), "r1");
  ck_assert_str_eq(ns_table_get(t, 0, 2), "02:00:00:00:00:01");
  ck_assert_str_eq(ns_table_get(t, 0, 3), "reachable");
  ck_assert_str_eq(ns_table_get(t, 0, 5), "-");
  fx_free(fx);
}
END_TEST

START_TEST(test_show_mac_and_route) {
  Fx *fx = fx_traffic();
  g_autoptr(NsReport) mac = ns_show_mac(&fx->src, node(fx, "sw1"));
  const NsTable *t = ns_report_table(mac, 0);
  ck_assert_uint_eq(ns_table_n_rows(t), 2);
  const char *owner = "h1:eth0 (192.168.1.10)";
  ck_assert_str_eq(cell_of(t, 3, owner, 0), "2");
  ck_assert_str_eq(cell_of(t, 3, owner, 1), "h1:eth0");

  g_autoptr(NsReport) route = ns_show_route(&fx->src, node(fx, "r1"));
  ck_assert_str_eq(ns_report_item(route, 0)->section->title,
                   "Routing table of r1 (router), most specific first:");
  t = ns_report_table(route, 0);
  ck_assert_str_eq(ns_table_column(t, 1)->name, "MASK");
  ck_assert_str_eq(cell_of(t, 0, "192.168.2.0/24", 1), "255.255.255.0");
  ck_assert_str_eq(cell_of(t, 0, "192.168.2.0/24", 2), "direct");
  ck_assert_str_eq(cell_of(t, 0, "192.168.2.0/24", 3), "eth1");
  ck_assert_str_eq(cell_of(t, 0, "192.168.2.0/24", 4), "connected");
  fx_free(fx);
}
END_TEST

START_TEST(test_show_links_and_nodes) {
  Fx *fx = fx_traffic();
  g_autoptr(NsReport) links = ns_show_links(&fx->src, NULL);
  const NsTable *params = ns_report_table(links, 0);
  const NsTable *traffic = ns_report_table(links, 1);
  ck_assert_uint_eq(ns_table_n_rows(params), ns_net_n_links(fx->net));
  ck_assert_uint_eq(ns_table_n_rows(traffic), 2 * ns_net_n_links(fx->net));
  ck_assert_str_eq(ns_table_get(params, 0, 1), "r1:eth0");
  ck_assert_str_eq(ns_table_get(params, 0, 5), "100Mbit/s");
  ck_assert_str_eq(ns_table_column(traffic, 4)->name, "DELIVERED");
  ck_assert_str_eq(ns_report_item(links, 1)->section->title,
                   "Traffic per direction (drops by reason):");

  g_autoptr(NsReport) nodes = ns_show_nodes(&fx->src, NULL);
  const NsTable *t = ns_report_table(nodes, 0);
  ck_assert_str_eq(ns_report_item(nodes, 0)->section->title, "Nodes (7):");
  /* a row per interface or port: 2 switches x 3, r1 x 2, 4 hosts */
  ck_assert_uint_eq(ns_table_n_rows(t), 12);
  ck_assert_str_eq(ns_table_get(t, 1, 0), ""); /* sw1's second port */
  ck_assert_str_eq(cell_of(t, 0, "h4", 3), "192.168.2.11/24");
  ck_assert_str_eq(cell_of(t, 0, "h4", 5), "sw2:port3");
  fx_free(fx);
}
END_TEST

START_TEST(test_show_sockets_and_tcp) {
  Fx *fx = fx_traffic();
  g_autoptr(NsReport) h3 = ns_show_sockets(&fx->src, node(fx, "h3"));
  const NsTable *t = ns_report_table(h3, 0);
  ck_assert_str_eq(cell_of(t, 7, "tcp-echo", 3), "LISTEN");
  ck_assert_str_eq(cell_of(t, 7, "udp-echo", 0), "udp");

  g_autoptr(NsReport) h2 = ns_show_sockets(&fx->src, node(fx, "h2"));
  NsReport *s = ns_report_item(h2, 0)->section;
  ck_assert_str_eq(s->title, "h2:");
  ck_assert_str_eq(ns_report_item(s, 0)->note, "no sockets");
  ck_assert_str_eq(ns_report_item(s, 1)->note, "multicast groups: 224.0.0.1");
  ck_assert_ptr_null(ns_report_table(h2, 0));

  g_autoptr(NsReport) all = ns_show_sockets(&fx->src, NULL);
  g_autofree char *text = text_of(all);
  ck_assert_ptr_nonnull(strstr(text, "r1:\n  no sockets\n\nh1:\n"));

  g_autoptr(NsReport) tcp = ns_show_tcp(&fx->src, NULL);
  t = ns_report_table(tcp, 0);
  ck_assert_str_eq(cell_of(t, 0, "h1", 2), "192.168.2.10:7");
  ck_assert_str_eq(cell_of(t, 0, "h1", 3), "ESTABLISHED");
  g_autoptr(NsReport) none = ns_show_tcp(&fx->src, node(fx, "h2"));
  ck_assert_int_eq(ns_report_item(none, 0)->kind, NS_REPORT_NOTE);
  ck_assert_str_eq(ns_report_item(none, 0)->note, "no TCP connections");
  fx_free(fx);
}
END_TEST

/* show received: every byte kept, UTF-8 as text, the rest escaped, a
 * line of output per line of data, from the user's connection and from a
 * service's latest client. */
START_TEST(test_show_received) {
  Fx *fx = fx_new();
  g_autoptr(NsReport) none = ns_show_received(&fx->src, node(fx, "h1"));
  g_autofree char *empty = text_of(none);
  ck_assert_ptr_nonnull(strstr(empty, "What h1 received:\n  nothing"));
  fx_exec(fx, "h1 tcp connect h3:7");
  GString *line = g_string_new("h1 tcp send \"\xe4\xbd\xa0\xe5\xa5\xbd\\r\\n");
  for (int i = 0; i < 20; i++)
    g_string_append(line, "0123456789");
  g_string_append(line, "\\n\\tend\"");
  fx_exec(fx, line->str);
  g_string_free(line, TRUE);
  fx_exec(fx, "wait");
  g_autoptr(NsReport) h1 = ns_show_received(&fx->src, node(fx, "h1"));
  g_autofree char *t1 = text_of(h1);
  ck_assert_msg(strstr(t1, ": 213 bytes\n    你好\\r\n    0123456789") != NULL,
                "%s", t1);
  ck_assert_ptr_nonnull(strstr(t1, "0123456789\n    \tend\n"));
  ck_assert_ptr_nonnull(strstr(t1, "(ESTABLISHED)"));
  /* The echo service's side: what the client said. */
  g_autoptr(NsReport) h3 = ns_show_received(&fx->src, node(fx, "h3"));
  g_autofree char *t3 = text_of(h3);
  ck_assert_msg(strstr(t3, "service tcp-echo 7: 213 bytes from "
                           "192.168.1.10:") != NULL,
                "%s", t3);
  ck_assert_ptr_nonnull(strstr(t3, "    你好\\r\n"));
  ck_assert_ptr_nonnull(strstr(t3, "(kept: "));
  fx_free(fx);
}
END_TEST

/* With SACK in use, show tcp has a column of the holes resent; without,
 * none (above). */
START_TEST(test_show_tcp_sack) {
  Fx *fx = fx_new();
  for (guint i = 0; i < ns_net_n_nodes(fx->net); i++) {
    NsNetNode *n = ns_net_node(fx->net, i);
    if (n->ip != NULL)
      ns_net_node_tcp(n)->cfg.sack = TRUE;
  }
  fx_exec(fx, "h1 tcp connect h3:7");
  fx_exec(fx, "wait");
  g_autoptr(NsReport) tcp = ns_show_tcp(&fx->src, NULL);
  const NsTable *t = ns_report_table(tcp, 0);
  ck_assert_uint_eq(ns_table_n_columns(t), 15);
  ck_assert_str_eq(ns_table_column(t, 14)->name, "SACK.RTX");
  ck_assert_str_eq(cell_of(t, 0, "h1", 14), "0");
  g_autoptr(NsReport) plain = ns_show_tcp(&fx->src, node(fx, "h2"));
  ck_assert_int_eq(ns_report_item(plain, 0)->kind, NS_REPORT_NOTE);
  fx_free(fx);
}
END_TEST

/* ---- show stats and expect: every counter -------------------------------- */

/* Every field of fields[0..n) has a row prefix+name in t (COUNTER, VALUE,
 * MEANING) with its value in counters and its meaning. */
static void assert_counter_rows(const NsTable *t, const char *prefix,
                                const NsCounterField *fields, guint n,
                                const void *counters) {
  for (guint f = 0; f < n; f++) {
    g_autofree char *name = g_strconcat(prefix, fields[f].name, NULL);
    g_autofree char *value = g_strdup_printf(
        "%" G_GUINT64_FORMAT, ns_counter_get(counters, &fields[f]));
    ck_assert_str_eq(cell_of(t, 0, name, 1), value);
    ck_assert_str_eq(cell_of(t, 0, name, 2), fields[f].about);
  }
}

START_TEST(test_show_stats_lists_every_counter) {
  Fx *fx = fx_traffic();
  NsNetNode *h3 = node(fx, "h3");
  g_autoptr(NsReport) r = ns_show_stats(&fx->src, h3);
  ck_assert_str_eq(ns_report_item(r, 0)->section->title, "h3 (host):");
  const NsTable *ip = ns_report_table(r, 0);
  const NsTable *transport = ns_report_table(r, 1);
  const NsTable *nic = ns_report_table(r, 2);
  ck_assert_uint_eq(ns_table_n_rows(ip), ns_ip_counter_n_fields);
  NsIpCounters ipc = ns_ipnode_counters(h3->ip);
  assert_counter_rows(ip, "", ns_ip_counter_fields, ns_ip_counter_n_fields,
                      &ipc);
  ck_assert_uint_eq(ns_table_n_rows(transport),
                    ns_udp_counter_n_fields + ns_tcp_counter_n_fields);
  assert_counter_rows(transport, "udp.", ns_udp_counter_fields,
                      ns_udp_counter_n_fields, ns_udp_counters(h3->udp));
  assert_counter_rows(transport, "tcp.", ns_tcp_counter_fields,
                      ns_tcp_counter_n_fields, ns_tcp_counters(h3->tcp));
  ck_assert_str_eq(ns_table_get(transport, 0, 0), "udp.rx");
  ck_assert_str_eq(ns_table_get(transport, 0, 1), "1");
  /* a column per NIC counter */
  ck_assert_uint_eq(ns_table_n_columns(nic), 2 + ns_nic_counter_n_fields);
  ck_assert_str_eq(ns_table_column(nic, 2)->name, "rx_frames");

  /* every node, in the text too */
  g_autoptr(NsReport) all = ns_show_stats(&fx->src, NULL);
  ck_assert_int_eq(ns_report_item(all, 0)->kind, NS_REPORT_NOTE);
  g_autofree char *text = text_of(all);
  ck_assert_ptr_nonnull(strstr(text, "\n  udp.no_port "));
  ck_assert_ptr_nonnull(strstr(text, "\n  tcp.backlog_drops "));
  ck_assert_ptr_nonnull(strstr(text, "\nsw2 (switch): 3 ports"));
  fx_free(fx);
}
END_TEST

/* Runs, for every field, "expect NODE counter PREFIXNAME V" with V the
 * field's value in counters (all must pass), then once with a wrong value
 * (must fail). */
static void expect_every_counter(Fx *fx, const char *node_name,
                                 const char *prefix,
                                 const NsCounterField *fields, guint n,
                                 const void *counters) {
  guint passed = ns_scenario_passed(fx->sc);
  guint failed = ns_scenario_failed(fx->sc);
  for (guint f = 0; f < n; f++) {
    g_autofree char *line = g_strdup_printf(
        "expect %s counter %s%s %" G_GUINT64_FORMAT, node_name, prefix,
        fields[f].name, ns_counter_get(counters, &fields[f]));
    fx_exec(fx, line);
  }
  ck_assert_uint_eq(ns_scenario_passed(fx->sc), passed + n);
  g_autofree char *wrong = g_strdup_printf(
      "expect %s counter %s%s %" G_GUINT64_FORMAT, node_name, prefix,
      fields[0].name, ns_counter_get(counters, &fields[0]) + 1);
  fx_exec(fx, wrong);
  ck_assert_uint_eq(ns_scenario_failed(fx->sc), failed + 1);
}

START_TEST(test_expect_every_counter) {
  Fx *fx = fx_traffic();
  NsNetNode *h3 = node(fx, "h3");
  NsNetNode *sw1 = node(fx, "sw1");
  expect_every_counter(fx, "h3", "udp.", ns_udp_counter_fields,
                       ns_udp_counter_n_fields, ns_udp_counters(h3->udp));
  expect_every_counter(fx, "h3", "tcp.", ns_tcp_counter_fields,
                       ns_tcp_counter_n_fields, ns_tcp_counters(h3->tcp));
  NsIpCounters ipc = ns_ipnode_counters(h3->ip);
  expect_every_counter(fx, "h3", "", ns_ip_counter_fields,
                       ns_ip_counter_n_fields, &ipc);
  expect_every_counter(fx, "h3", "eth0.", ns_nic_counter_fields,
                       ns_nic_counter_n_fields,
                       &ns_ipnode_iface(h3->ip, 0)->nic.counters);
  NsSwitchPortCounters portc = ns_switch_port_counters(sw1->sw, 2);
  expect_every_counter(fx, "sw1", "port.2.", ns_port_counter_fields,
                       ns_port_counter_n_fields, &portc);
  /* the traffic made some of them non-zero */
  ck_assert_uint_eq(ns_udp_counters(h3->udp)->rx, 1);
  ck_assert_uint_gt(ns_tcp_counters(h3->tcp)->segs_in, 0);
  fx_free(fx);
}
END_TEST

/* show mask: the AND bit by bit, the host part, the broadcast and the
 * host count; a /31 and a /32 set no address apart. */
START_TEST(test_show_mask) {
  NsShowSource src = {0};
  src.mask = (NsPrefix){NS_IP4(192, 168, 1, 77), 26};
  g_autoptr(NsReport) r = ns_show_mask(&src, NULL);
  ck_assert_str_eq(ns_report_item(r, 0)->section->title,
                   "The mask AND of 192.168.1.77/26 (255.255.255.192):");
  const NsTable *t = ns_report_table(r, 0);
  ck_assert_uint_eq(ns_table_n_rows(t), 5);
  ck_assert_str_eq(cell_of(t, 0, "address", 2),
                   "11000000.10101000.00000001.01001101");
  ck_assert_str_eq(cell_of(t, 0, "mask", 1), "255.255.255.192");
  ck_assert_str_eq(cell_of(t, 0, "mask", 2),
                   "11111111.11111111.11111111.11000000");
  ck_assert_str_eq(cell_of(t, 0, "network", 1), "192.168.1.64");
  ck_assert_str_eq(cell_of(t, 0, "network", 2),
                   "11000000.10101000.00000001.01000000");
  ck_assert_str_eq(cell_of(t, 0, "host part", 1), "0.0.0.13");
  ck_assert_str_eq(cell_of(t, 0, "broadcast", 1), "192.168.1.127");
  g_autofree char *text = text_of(r);
  ck_assert_ptr_nonnull(
      strstr(text, "64 addresses in 192.168.1.64/26: 62 hosts, 192.168.1.65 to "
                   "192.168.1.126"));
  struct {
    guint8 len;
    const char *count;
  } edges[] = {
      {31, "2 addresses in 10.0.0.0/31, all hosts"},
      {32, "1 address in 10.0.0.1/32, all hosts"},
      {0, "4294967296 addresses in 0.0.0.0/0: 4294967294 hosts"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(edges); i++) {
    src.mask = (NsPrefix){NS_IP4(10, 0, 0, 1), edges[i].len};
    g_autoptr(NsReport) e = ns_show_mask(&src, NULL);
    g_autofree char *et = text_of(e);
    ck_assert_msg(strstr(et, edges[i].count) != NULL, "%s", et);
  }
}
END_TEST

Suite *test_show_suite(void) {
  Suite *s = suite_create("show");
  TCase *tc = test_tcase("show");
  tcase_add_test(tc, test_show_arp);
  tcase_add_test(tc, test_show_mac_and_route);
  tcase_add_test(tc, test_show_links_and_nodes);
  tcase_add_test(tc, test_show_sockets_and_tcp);
  tcase_add_test(tc, test_show_received);
  tcase_add_test(tc, test_show_tcp_sack);
  tcase_add_test(tc, test_show_stats_lists_every_counter);
  tcase_add_test(tc, test_expect_every_counter);
  tcase_add_test(tc, test_show_mask);
  suite_add_tcase(s, tc);
  return s;
}

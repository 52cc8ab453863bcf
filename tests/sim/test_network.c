/* test_network.c — building a network: one build row per node kind, each
 * node with exactly its kind's devices, MACs assigned in file order around
 * the ones the file gives. */
#include "sim/network_private.h"
#include "testutil.h"

START_TEST(test_one_build_row_per_kind) {
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const NetKind *row = ns_net_kind((NsNodeKind)k);
    ck_assert_ptr_nonnull(row);
    ck_assert_int_eq(row->kind, k);
    ck_assert_ptr_nonnull(row->build);
    ck_assert_ptr_nonnull(row->attach);
  }
}
END_TEST

static const char net_text[] =
    "[switch sw1]\n"
    "[router r1]\neth0 = 10.0.0.1/24 @ sw1\neth1 = 10.0.1.1/24\n"
    "[host h1]\nip = 10.0.0.10/24\nlink = sw1\nmac = 02:00:00:00:00:02\n"
    "[host h2]\neth0 = 10.0.0.11/24 @ sw1\neth1 = 10.0.1.2/24 @ r1:eth1\n";

static void assert_mac(NsNetNode *n, guint i, const char *want) {
  char m[NS_MAC_STRLEN];
  ns_mac_format(ns_ipnode_iface(n->ip, i)->nic.mac, m);
  ck_assert_str_eq(m, want);
}

/* net_text built (its topology freed, as netsim frees it). */
static NsNet *net_of_text(void) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(net_text, -1, "n.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  return ns_net_new(topo, 1);
}

START_TEST(test_devices_and_macs) {
  NsNet *net = net_of_text();
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    gboolean sw = n->kind == NS_NODE_SWITCH;
    ck_assert((n->sw != NULL) == sw);
    ck_assert((n->ip != NULL) == !sw);
    /* UDP and TCP: none on a switch; on an IP node (no TCP keys, no
     * services here), none until first use, then made. */
    ck_assert(n->udp == NULL && n->tcp == NULL);
    ck_assert(sw || (ns_net_node_udp(n) != NULL && ns_net_node_tcp(n) != NULL));
  }
  /* File order, skipping h1's given :02. */
  assert_mac(ns_net_find(net, "r1"), 0, "02:00:00:00:00:01");
  assert_mac(ns_net_find(net, "r1"), 1, "02:00:00:00:00:03");
  assert_mac(ns_net_find(net, "h1"), 0, "02:00:00:00:00:02");
  assert_mac(ns_net_find(net, "h2"), 0, "02:00:00:00:00:04");
  assert_mac(ns_net_find(net, "h2"), 1, "02:00:00:00:00:05");
  ck_assert_uint_eq(ns_net_n_links(net), 4);
  ck_assert_str_eq(ns_net_link(net, 0)->a_label, "r1:eth0");
  ck_assert_str_eq(ns_net_link(net, 0)->b_label, "sw1:port1");
  ns_net_free(net);
}
END_TEST

/* Who owns an address or a MAC (show arp, show mac, the replay): every
 * interface of every IP node, a switch none, an unknown one nobody. */
START_TEST(test_owners_of_addresses_and_macs) {
  NsNet *net = net_of_text();
  ck_assert_str_eq(ns_net_name_of(net, NS_IP4(10, 0, 0, 1)), "r1");
  ck_assert_str_eq(ns_net_name_of(net, NS_IP4(10, 0, 1, 1)), "r1");
  ck_assert_str_eq(ns_net_name_of(net, NS_IP4(10, 0, 0, 10)), "h1");
  ck_assert_str_eq(ns_net_name_of(net, NS_IP4(10, 0, 1, 2)), "h2");
  ck_assert_ptr_null(ns_net_name_of(net, NS_IP4(10, 0, 0, 99)));
  ck_assert_ptr_null(ns_net_name_of(net, NS_IP4(0, 0, 0, 0)));
  static const struct {
    guint8 last;
    const char *node;
    guint iface;
  } owners[] = {
      {1, "r1", 0}, {3, "r1", 1}, {2, "h1", 0}, {4, "h2", 0}, {5, "h2", 1}};
  for (guint i = 0; i < G_N_ELEMENTS(owners); i++) {
    NsMac mac = {{0x02, 0, 0, 0, 0, owners[i].last}};
    guint iface = 99;
    NsNetNode *n = ns_net_node_of_mac(net, mac, &iface);
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(n->name, owners[i].node);
    ck_assert_uint_eq(iface, owners[i].iface);
  }
  guint iface = 99;
  ck_assert_ptr_null(
      ns_net_node_of_mac(net, (NsMac){{0x02, 0, 0, 0, 0, 6}}, &iface));
  ck_assert_ptr_null(
      ns_net_node_of_mac(net, (NsMac){{0x02, 0, 0, 0, 1, 1}}, &iface));
  ck_assert_uint_eq(iface, 99);
  ns_net_free(net);
}
END_TEST

/* The sender's socket hears of its datagram's fate. */
static void note_error(NsUdpSocket *sock, const NsUdpError *err, NsTime now,
                       gpointer data) {
  (void)sock, (void)now;
  *(NsUdpError *)data = *err;
}

START_TEST(test_udp_made_by_first_datagram) {
  NsNet *net = net_of_text();
  NsNetNode *h1 = ns_net_find(net, "h1");
  NsNetNode *h2 = ns_net_find(net, "h2");
  ck_assert(h2->udp == NULL && h2->tcp == NULL);

  /* h1 sends to a port nobody listens on at h2 (10.0.0.11). */
  NsUdpError err = {0};
  NsUdpCallbacks cb = {.error = note_error, .data = &err};
  GError *e = NULL;
  NsUdpSocket *s =
      ns_udp_open(ns_net_node_udp(h1), NS_IP4(0, 0, 0, 0), 4000, &cb, &e);
  ck_assert_msg(s != NULL, "%s", e ? e->message : "?");
  const guint8 hello[] = "hello";
  ck_assert(ns_udp_sendto(s, NS_IP4(10, 0, 0, 11), 5000, hello, sizeof hello,
                          ns_net_now(net), NULL));
  ck_assert(h2->udp == NULL); /* not before it arrives */
  ns_net_run_until(net, ns_net_now(net) + NS_SEC);

  /* h2's UDP was made for it and refused it: port, not protocol,
   * unreachable.  TCP was not wanted, so not made. */
  ck_assert_ptr_nonnull(h2->udp);
  ck_assert_ptr_null(h2->tcp);
  ck_assert_uint_eq(ns_udp_counters(h2->udp)->no_port, 1);
  ck_assert_uint_eq(ns_udp_socket_counters(s)->icmp_errors, 1);
  ck_assert_uint_eq(err.code, NS_ICMP_PORT_UNREACH);
  ck_assert_uint_eq(err.from.v, NS_IP4(10, 0, 0, 11).v);
  ck_assert_uint_eq(err.dport, 5000);
  ck_assert(ns_net_node_udp(h2) == h2->udp); /* made once */
  ns_net_free(net);
}
END_TEST

Suite *test_network_suite(void) {
  Suite *s = suite_create("network");
  TCase *tc = test_tcase("build");
  tcase_add_test(tc, test_one_build_row_per_kind);
  tcase_add_test(tc, test_devices_and_macs);
  tcase_add_test(tc, test_owners_of_addresses_and_macs);
  tcase_add_test(tc, test_udp_made_by_first_datagram);
  suite_add_tcase(s, tc);
  return s;
}

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

START_TEST(test_devices_and_macs) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(net_text, -1, "n.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  NsNet *net = ns_net_new(topo, 1);
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

Suite *test_network_suite(void) {
  Suite *s = suite_create("network");
  TCase *tc = test_tcase("build");
  tcase_add_test(tc, test_one_build_row_per_kind);
  tcase_add_test(tc, test_devices_and_macs);
  suite_add_tcase(s, tc);
  return s;
}

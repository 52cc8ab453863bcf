/* test_tcp_window.c — the TCP window invariant (tests/tcp_window_check.h)
 * over whole networks: the course's two-LAN network, h1 sending to h3's
 * TCP echo service through a lossy link, over a sweep of seeds and loss
 * rates.  Echo makes both directions carry data and both windows close
 * and reopen (h3 can echo only as fast as h1 reads and acknowledges), the
 * case where a sender once overran the window it had been given.  Each
 * run also goes with SACK on every node, watched by tcp_sack_check.h as
 * well. */
#include "net/tcp_private.h" /* cfg.sack, until a topology key sets it */
#include "sim/network.h"
#include "tcp_sack_check.h"
#include "tcp_window_check.h"
#include "testutil.h"

static const char two_lans[] =
    "[switch sw1]\n[switch sw2]\n"
    "[router r1]\neth0 = 192.168.1.1/24 @ sw1\neth1 = 192.168.2.1/24 @ sw2\n"
    "[host h1]\nip = 192.168.1.10/24\ngateway = 192.168.1.1\nlink = sw1\n"
    "[host h3]\nip = 192.168.2.10/24\ngateway = 192.168.2.1\nlink = sw2\n"
    "services = tcp-echo 7\n";

typedef struct {
  guint64 seed;
  gdouble loss;
  gsize size;
  const char *lossy; /* the host whose link to its switch loses frames */
  gboolean sack;     /* every node offers SACK */
} Run;

/* With r->sack: SACK on every node's TCP, and its checker on them. */
static TcpSackCheck *sack_on(const Run *r, NsNet *net) {
  if (!r->sack)
    return NULL;
  TcpSackCheck *chk = tcp_sack_check_new();
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    if (n->ip == NULL)
      continue;
    ns_net_node_tcp(n)->cfg.sack = TRUE;
    tcp_sack_check_watch(chk, n->ip);
  }
  return chk;
}

/* The SACK checker's verdict, added to why; the checker is freed. */
static guint sack_verdict(const Run *r, TcpSackCheck *chk, GString *why) {
  if (chk == NULL)
    return 0;
  ck_assert_uint_gt(tcp_sack_check_blocks(chk), 0);
  guint v = tcp_sack_check_violations(chk);
  if (v > 0 && why->len < 2000)
    g_string_append_printf(why,
                           "SACK, seed %" G_GUINT64_FORMAT " loss %.2f:\n%s",
                           r->seed, r->loss, tcp_sack_check_report(chk));
  tcp_sack_check_free(chk);
  return v;
}

/* h1 connects to h3:7, the link of r->lossy (h3 when NULL) to its switch
 * turns lossy, h1 sends r->size bytes and closes; returns the checker's
 * verdict (violations). */
static guint run_echo(const Run *r, GString *why) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(two_lans, -1, "two_lans.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  NsNet *net = ns_net_new(topo, r->seed);
  TcpWindowCheck *chk = tcp_window_check_new();
  for (guint i = 0; i < ns_net_n_links(net); i++)
    tcp_window_check_tap(chk, ns_net_link(net, i)->link);
  TcpSackCheck *sack = sack_on(r, net);
  NsClient *cl = ns_net_client(net, ns_net_find(net, "h1"));
  NsIp4 h3 = NS_IP4(192, 168, 2, 10);
  ck_assert(ns_client_tcp_connect(cl, h3, 7, ns_net_now(net), NULL));
  ns_net_run_idle(net, ns_net_now(net) + 10 * NS_SEC);
  gboolean h1 = r->lossy != NULL && g_str_equal(r->lossy, "h1");
  NsNetLink *l = h1 ? ns_net_find_link(net, "h1", "sw1")
                    : ns_net_find_link(net, "h3", "sw2");
  NsLinkParams p = *ns_link_params(l->link);
  p.loss = r->loss;
  ns_link_set_params(l->link, &p);
  guint8 *data = g_malloc(r->size);
  for (gsize i = 0; i < r->size; i++)
    data[i] = (guint8)(i * 13 + (i >> 8));
  ck_assert(ns_client_tcp_send(cl, data, r->size, ns_net_now(net), NULL));
  ns_net_run_idle(net, ns_net_now(net) + 600 * NS_SEC);
  ns_client_tcp_close(cl, ns_net_now(net), NULL);
  ns_net_run_idle(net, ns_net_now(net) + 600 * NS_SEC);
  ck_assert_uint_gt(tcp_window_check_segments(chk), r->size / 1460);
  guint v = tcp_window_check_violations(chk);
  if (v > 0 && why->len < 2000) /* check's message has a size limit */
    g_string_append_printf(why, "seed %" G_GUINT64_FORMAT " loss %.2f:\n%s",
                           r->seed, r->loss, tcp_window_check_report(chk));
  ns_net_free(net);
  tcp_window_check_free(chk);
  v += sack_verdict(r, sack, why);
  g_free(data);
  return v;
}

/* The run that showed the bug: seed 7, 2 % loss, 300,000 bytes. */
START_TEST(test_reported_run) {
  Run r = {7, 0.02, 300000, NULL, _i == 1};
  g_autoptr(GString) why = g_string_new(NULL);
  guint v = run_echo(&r, why);
  ck_assert_msg(v == 0, "%u window (or SACK) violations\n%s", v, why->str);
}
END_TEST

/* tests/scenarios/tcp_bulk_lossy.scn's run: 1 MiB, 10 % on h1's link. */
START_TEST(test_bulk_lossy_scenario) {
  Run r = {7, 0.10, 1048576, "h1", _i == 1};
  g_autoptr(GString) why = g_string_new(NULL);
  guint v = run_echo(&r, why);
  ck_assert_msg(v == 0, "%u window (or SACK) violations\n%s", v, why->str);
}
END_TEST

/* 50 seeds at each of 1, 5, 10 and 20 % loss, on h3's link or h1's;
 * without SACK (_i 0), then with it. */
START_TEST(test_sweep) {
  static const gdouble losses[] = {0.01, 0.05, 0.10, 0.20};
  g_autoptr(GString) why = g_string_new(NULL);
  guint bad = 0;
  for (guint li = 0; li < G_N_ELEMENTS(losses); li++)
    for (guint64 seed = 1; seed <= 50; seed++) {
      Run r = {seed, losses[li], 200000, li % 2 ? "h1" : NULL, _i == 1};
      bad += run_echo(&r, why) > 0;
    }
  ck_assert_msg(bad == 0, "%u of 200 runs broke the window (or SACK)\n%s", bad,
                why->str);
}
END_TEST

Suite *test_tcp_window_suite(void) {
  Suite *s = suite_create("tcp_window");
  TCase *tc = test_tcase("tcp_window");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, test_reported_run, 0, 2);
  tcase_add_loop_test(tc, test_bulk_lossy_scenario, 0, 2);
  tcase_add_loop_test(tc, test_sweep, 0, 2);
  suite_add_tcase(s, tc);
  return s;
}

/* test_topology.c — topology files: every shipped topology loads with the
 * expected contents, the built-in network is two_lans.conf byte for byte
 * (the build embeds it), each bad file
 * in tests/topologies/bad fails with its specific message, and mutated
 * text never crashes the loader. */
#include <string.h>

#include "config/topology.h"
#include "net/fdb.h"
#include "testutil.h"

#ifndef TOPO_DIR
#define TOPO_DIR "topologies"
#endif
#ifndef BAD_TOPO_DIR
#define BAD_TOPO_DIR "tests/topologies/bad"
#endif

/* ---- helpers ------------------------------------------------------------- */

static NsTopology *load_ok(const char *name) {
  g_autofree char *path = g_build_filename(TOPO_DIR, name, NULL);
  GError *e = NULL;
  NsTopology *t = ns_topology_load_file(path, &e);
  ck_assert_msg(t != NULL, "%s: %s", path, e ? e->message : "?");
  return t;
}

static NsTopology *load_text_ok(const char *text) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "test.conf", &e);
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  return t;
}

/* Loading text must fail with a message containing want. */
static void load_text_fails(const char *text, const char *want) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "test.conf", &e);
  ck_assert_msg(t == NULL, "loaded, expected an error containing '%s'", want);
  ck_assert(e != NULL);
  ck_assert(e->domain == NS_ERROR);
  ck_assert_msg(strstr(e->message, want) != NULL, "'%s' lacks '%s'", e->message,
                want);
  g_error_free(e);
}

static const NsTopoNode *node(const NsTopology *t, const char *name) {
  gint i = ns_topology_find(t, name);
  ck_assert_msg(i >= 0, "no node %s", name);
  return g_ptr_array_index(t->nodes, i);
}

static const NsTopoIface *iface(const NsTopoNode *n, guint i) {
  ck_assert_uint_lt(i, n->n_ifaces);
  return &n->ifaces[i];
}

static void assert_iface(const NsTopoNode *n, guint i, const char *name,
                         const char *addr) {
  char buf[NS_PREFIX_STRLEN];
  ck_assert_str_eq(iface(n, i)->name, name);
  ck_assert_str_eq(ns_prefix_format(iface(n, i)->addr, buf), addr);
}

static char *end_str(const NsTopology *t, NsTopoEnd e) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, e.node);
  if (n->kind == NS_NODE_SWITCH)
    return g_strdup(n->name);
  return g_strdup_printf("%s:%s", n->name, iface(n, e.iface)->name);
}

/* The link declared a -- b (in this orientation); fails if absent. */
static const NsTopoLink *link_between(const NsTopology *t, const char *a,
                                      const char *b) {
  for (guint i = 0; i < t->links->len; i++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, i);
    g_autofree char *ea = end_str(t, l->a);
    g_autofree char *eb = end_str(t, l->b);
    if (strcmp(ea, a) == 0 && strcmp(eb, b) == 0)
      return l;
  }
  ck_abort_msg("no link %s -- %s", a, b);
  return NULL;
}

static void assert_default_params(const NsTopoLink *l) {
  ck_assert_uint_eq(l->params->delay, ns_link_default_params.delay);
  ck_assert_uint_eq(l->params->rate_bps, ns_link_default_params.rate_bps);
  ck_assert(l->params->loss == ns_link_default_params.loss);
  ck_assert_uint_eq(l->params->queue_limit, ns_link_default_params.queue_limit);
}

static NsIp4 ip(const char *s) {
  NsIp4 a;
  ck_assert(ns_ip4_parse(s, &a, NULL));
  return a;
}

/* Every line of want appears in the summary s. */
static void assert_summary_has(const char *s, const char *const *want,
                               gsize n) {
  for (gsize i = 0; i < n; i++)
    ck_assert_msg(strstr(s, want[i]) != NULL, "summary lacks '%s':\n%s",
                  want[i], s);
}

/* ---- shipped topologies -------------------------------------------------- */

START_TEST(test_two_lans) {
  g_autoptr(NsTopology) t = load_ok("two_lans.conf");
  ck_assert_uint_eq(t->nodes->len, 7);
  ck_assert_uint_eq(t->links->len, 6);
  const char *names[] = {"sw1", "sw2", "r1", "h1", "h2", "h3", "h4"};
  NsNodeKind kinds[] = {NS_NODE_SWITCH, NS_NODE_SWITCH, NS_NODE_ROUTER,
                        NS_NODE_HOST,   NS_NODE_HOST,   NS_NODE_HOST,
                        NS_NODE_HOST};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    ck_assert_str_eq(n->name, names[i]);
    ck_assert_int_eq(n->kind, kinds[i]);
    ck_assert_int_eq(ns_topology_find(t, names[i]), (gint)i);
  }
  ck_assert_int_eq(ns_topology_find(t, "h9"), -1);

  const NsTopoNode *sw1 = node(t, "sw1");
  ck_assert_uint_eq(sw1->fdb_size, NS_FDB_DEFAULT_CAPACITY);
  ck_assert_uint_eq(sw1->aging, NS_FDB_DEFAULT_AGING);
  ck_assert_uint_eq(sw1->n_ifaces, 0);

  const NsTopoNode *r1 = node(t, "r1");
  ck_assert_uint_eq(r1->n_ifaces, 2);
  assert_iface(r1, 0, "eth0", "192.168.1.1/24");
  assert_iface(r1, 1, "eth1", "192.168.2.1/24");
  ck_assert(!iface(r1, 0)->has_mac);
  ck_assert_uint_eq(ns_topo_n_routes(r1), 0);
  ck_assert(memcmp(&r1->arp, &ns_arp_default_config, sizeof r1->arp) == 0);

  const char *addrs[] = {"192.168.1.10/24", "192.168.1.11/24",
                         "192.168.2.10/24", "192.168.2.11/24"};
  const char *gws[] = {"192.168.1.1", "192.168.1.1", "192.168.2.1",
                       "192.168.2.1"};
  const char *sws[] = {"sw1", "sw1", "sw2", "sw2"};
  for (guint i = 0; i < 4; i++) {
    char hn[4], ep[16];
    g_snprintf(hn, sizeof hn, "h%u", i + 1);
    const NsTopoNode *h = node(t, hn);
    ck_assert_uint_eq(h->n_ifaces, 1);
    assert_iface(h, 0, "eth0", addrs[i]);
    ck_assert(ns_ip4_equal(h->gateway, ip(gws[i])));
    ck_assert_uint_eq(ns_topo_n_routes(h), 0);
    g_snprintf(ep, sizeof ep, "%s:eth0", hn);
    assert_default_params(link_between(t, ep, sws[i]));
    ck_assert_uint_eq(ns_topo_n_services(h), i == 2 ? 4 : 0);
    ck_assert_uint_eq(h->tcp_time_wait, 0);
  }
  /* h3 is the server. */
  const NsTopoNode *h3 = node(t, "h3");
  const char *svcs[] = {"tcp-echo 7", "udp-echo 7",
                        "tcp-reply 8080 i am server", "http 80"};
  for (guint i = 0; i < G_N_ELEMENTS(svcs); i++) {
    g_autofree char *f =
        ns_service_spec_format(&g_array_index(h3->services, NsServiceSpec, i));
    ck_assert_str_eq(f, svcs[i]);
  }
  ck_assert_uint_eq(ns_topo_n_services(r1), 0);
  assert_default_params(link_between(t, "r1:eth0", "sw1"));
  assert_default_params(link_between(t, "r1:eth1", "sw2"));
  /* Declaration order: r1's interfaces first. */
  const NsTopoLink *l0 = &g_array_index(t->links, NsTopoLink, 0);
  ck_assert_int_eq(l0->a.node, ns_topology_find(t, "r1"));
  ck_assert_uint_eq(l0->a.iface, 0);
  ck_assert_int_eq(l0->b.node, ns_topology_find(t, "sw1"));
}
END_TEST

START_TEST(test_one_lan) {
  g_autoptr(NsTopology) t = load_ok("one_lan.conf");
  ck_assert_uint_eq(t->nodes->len, 5);
  ck_assert_uint_eq(t->links->len, 4);
  for (guint i = 0; i < t->nodes->len; i++)
    ck_assert_int_ne(((NsTopoNode *)g_ptr_array_index(t->nodes, i))->kind,
                     NS_NODE_ROUTER);
  ck_assert_int_eq(node(t, "sw1")->kind, NS_NODE_SWITCH);
  assert_iface(node(t, "h1"), 0, "eth0", "10.0.0.10/24");
  assert_iface(node(t, "h4"), 0, "eth0", "10.0.0.13/24");
  ck_assert(ns_ip4_is_zero(node(t, "h1")->gateway));
  const NsTopoIface *h3 = iface(node(t, "h3"), 0);
  ck_assert(h3->has_mac);
  NsMac want = {{0x02, 0, 0, 0, 0x0c, 0x0c}};
  ck_assert(ns_mac_equal(h3->mac, want));
  assert_default_params(link_between(t, "h1:eth0", "sw1"));
  const NsTopoLink *l4 = link_between(t, "h4:eth0", "sw1");
  ck_assert_uint_eq(l4->params->delay, 2 * NS_MSEC);
  ck_assert_uint_eq(l4->params->rate_bps, ns_link_default_params.rate_bps);
}
END_TEST

START_TEST(test_switch_chain) {
  g_autoptr(NsTopology) t = load_ok("switch_chain.conf");
  ck_assert_uint_eq(t->nodes->len, 7);
  ck_assert_uint_eq(t->links->len, 6);
  const NsTopoLink *l12 = link_between(t, "sw1", "sw2");
  ck_assert_uint_eq(l12->params->delay, NS_MSEC);
  ck_assert_uint_eq(l12->params->rate_bps, 10000000);
  ck_assert_uint_eq(l12->params->queue_limit,
                    ns_link_default_params.queue_limit);
  assert_default_params(link_between(t, "sw2", "sw3"));
  ck_assert_uint_eq(node(t, "sw2")->fdb_size, 3);
  ck_assert_uint_eq(node(t, "sw3")->aging, 30 * NS_SEC);
  ck_assert_uint_eq(node(t, "sw1")->aging, NS_FDB_DEFAULT_AGING);
  link_between(t, "h1:eth0", "sw1");
  link_between(t, "h2:eth0", "sw1");
  link_between(t, "h3:eth0", "sw2");
  link_between(t, "h4:eth0", "sw3");
}
END_TEST

START_TEST(test_three_routers) {
  g_autoptr(NsTopology) t = load_ok("three_routers.conf");
  ck_assert_uint_eq(t->nodes->len, 7);
  /* r2-r3 is declared from both ends and appears once. */
  ck_assert_uint_eq(t->links->len, 6);
  const NsTopoNode *r1 = node(t, "r1"), *r2 = node(t, "r2"),
                   *r3 = node(t, "r3");
  ck_assert_int_eq(r2->kind, NS_NODE_ROUTER);
  assert_iface(r1, 1, "eth1", "10.0.12.1/30");
  assert_iface(r2, 0, "eth0", "10.0.12.2/30");
  assert_iface(r2, 1, "eth1", "10.0.23.1/30");
  assert_iface(r3, 0, "eth0", "10.0.23.2/30");
  assert_iface(r3, 1, "eth1", "192.168.4.1/24");
  assert_default_params(link_between(t, "r1:eth1", "r2:eth0"));
  const NsTopoLink *l23 = link_between(t, "r2:eth1", "r3:eth0");
  ck_assert_uint_eq(l23->params->delay, 5 * NS_MSEC);
  link_between(t, "r3:eth1", "sw2");
  link_between(t, "h2:eth0", "sw2");

  ck_assert_uint_eq(ns_topo_n_routes(r1), 2);
  const NsTopoRoute *rt = &g_array_index(r1->routes, NsTopoRoute, 0);
  char buf[NS_PREFIX_STRLEN];
  ck_assert_str_eq(ns_prefix_format(rt->prefix, buf), "192.168.4.0/24");
  ck_assert(ns_ip4_equal(rt->via, ip("10.0.12.2")));
  ck_assert_uint_eq(rt->metric, 1);
  ck_assert_uint_eq(ns_topo_n_routes(r2), 2);
  ck_assert_uint_eq(ns_topo_n_routes(r3), 1);
  rt = &g_array_index(r3->routes, NsTopoRoute, 0);
  ck_assert_uint_eq(rt->prefix.len, 0);
  ck_assert(ns_ip4_equal(rt->via, ip("10.0.23.1")));
  ck_assert(ns_ip4_equal(node(t, "h2")->gateway, ip("192.168.4.1")));
}
END_TEST

START_TEST(test_builtin_is_two_lans) {
  g_autofree char *path = g_build_filename(TOPO_DIR, "two_lans.conf", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  ck_assert(g_file_get_contents(path, &text, &len, NULL));
  ck_assert_uint_eq(len, strlen(ns_topology_builtin));
  ck_assert_msg(memcmp(text, ns_topology_builtin, len) == 0,
                "ns_topology_builtin differs from %s", path);

  GError *e = NULL;
  g_autoptr(NsTopology) t =
      ns_topology_load_data(ns_topology_builtin, -1, "<built-in>", &e);
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  ck_assert_str_eq(t->source, "<built-in>");
  ck_assert_uint_eq(t->nodes->len, 7);
  ck_assert_uint_eq(t->links->len, 6);
}
END_TEST

START_TEST(test_summary) {
  g_autoptr(NsTopology) t = load_ok("two_lans.conf");
  g_autofree char *s = ns_topology_summary(t);
  const char *want[] = {
      "two_lans.conf: 7 nodes (2 switches, 1 router, 4 hosts), 6 links\n",
      "  switch sw1  3 ports, MAC table 1024 entries, aging 300s\n",
      "  router r1   eth0 192.168.1.1/24 -> sw1\n"
      "              eth1 192.168.2.1/24 -> sw2\n",
      "  host   h1   eth0 192.168.1.10/24 gw 192.168.1.1 -> sw1\n",
      "  link r1:eth0 -- sw1  delay 10us, rate 100Mbit/s, queue 64\n",
      "  link h4:eth0 -- sw2  delay 10us, rate 100Mbit/s, queue 64\n",
  };
  assert_summary_has(s, want, G_N_ELEMENTS(want));

  g_autoptr(NsTopology) u = load_text_ok(
      "[switch sw1]\n"
      "[router r1]\n"
      "eth0 = 10.0.0.1/24 @ sw1 loss=1% rate=1.5Mbit mac=02:00:00:00:00:aa\n"
      "eth1 = 10.0.1.1/24\n"
      "route = 172.16.0.0/12 via 10.0.0.2 metric 5\n"
      "arp-timeout = 5s\n");
  g_autofree char *v = ns_topology_summary(u);
  const char *want2[] = {
      "test.conf: 2 nodes (1 switch, 1 router), 1 link\n",
      "  router r1   eth0 10.0.0.1/24 mac 02:00:00:00:00:aa -> sw1\n",
      "eth1 10.0.1.1/24 (not connected)\n",
      "route 172.16.0.0/12 via 10.0.0.2 metric 5\n",
      "arp timeout 5s, retry every 1s, 3 requests, cache 256 entries\n",
      "  link r1:eth0 -- sw1  delay 10us, rate 1.5Mbit/s, loss 1%, queue 64\n",
  };
  assert_summary_has(v, want2, G_N_ELEMENTS(want2));
}
END_TEST

/* The TCP keys: profile, delayed ACKs, buffer bounds; --check shows
 * what is not the default. */
START_TEST(test_tcp_keys) {
  g_autoptr(NsTopology) t = load_text_ok("[switch s]\n"
                                         "[router r]\n"
                                         "eth0 = 10.0.0.1/24 @ s\n"
                                         "tcp-profile = Minimal\n"
                                         "[host h]\n"
                                         "ip = 10.0.0.2/24\n"
                                         "link = s\n"
                                         "tcp-delayed-ack = 40ms\n"
                                         "tcp-rmem-max = 1000000\n"
                                         "tcp-wmem-max = 2000000\n");
  const NsTopoNode *r = node(t, "r"), *h = node(t, "h");
  ck_assert_int_eq(r->tcp_profile, NS_TCP_PROFILE_MINIMAL);
  ck_assert_int_eq(h->tcp_profile, NS_TCP_PROFILE_LINUX);
  ck_assert_uint_eq(h->tcp_delayed_ack, 40 * NS_MSEC);
  ck_assert_uint_eq(h->tcp_rmem_max, 1000000);
  ck_assert_uint_eq(h->tcp_wmem_max, 2000000);
  ck_assert_uint_eq(r->tcp_rmem_max, 0);
  g_autofree char *sum = ns_topology_summary(t);
  const char *want[] = {
      "tcp profile minimal\n",
      "tcp delayed-ack 40ms rmem-max 1000000 wmem-max 2000000\n",
  };
  assert_summary_has(sum, want, G_N_ELEMENTS(want));
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "tcp-rmem-max = 1000\n",
                  "[host h] tcp-rmem-max: ");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "tcp-delayed-ack = 1s\n",
                  "[host h] tcp-delayed-ack: ");
}
END_TEST

/* services and tcp-time-wait, on hosts and routers. */
START_TEST(test_services_key) {
  g_autoptr(NsTopology) t = load_text_ok(
      "[switch s]\n"
      "[router r]\n"
      "eth0 = 10.0.0.1/24 @ s\n"
      "services = udp-listen:9000 group 239.1.1.1;\n"
      "tcp-time-wait = 250ms\n"
      "[host h]\n"
      "ip = 10.0.0.2/24\n"
      "link = s\n"
      "services = ; tcp-echo 7;udp-echo 7 ; tcp-reply:8080 a, b ;; http 80\n");
  const NsTopoNode *r = node(t, "r"), *h = node(t, "h");
  ck_assert_uint_eq(ns_topo_n_services(r), 1);
  ck_assert_uint_eq(r->tcp_time_wait, 250 * NS_MSEC);
  ck_assert_uint_eq(ns_topo_n_services(h), 4);
  ck_assert_uint_eq(h->tcp_time_wait, 0);
  const NsServiceSpec *reply = &g_array_index(h->services, NsServiceSpec, 2);
  ck_assert_str_eq(reply->kind->name, "tcp-reply");
  ck_assert_str_eq(reply->arg, "a, b");
  g_autofree char *sum = ns_topology_summary(t);
  const char *want[] = {
      "services udp-listen 9000 group 239.1.1.1\n",
      "tcp time-wait 250ms\n",
      "services tcp-echo 7; udp-echo 7; tcp-reply 8080 a, b; http 80\n",
  };
  assert_summary_has(sum, want, G_N_ELEMENTS(want));

  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "services = udp-echo 7; udp-listen 7\n",
                  "test.conf: [host h] services: 'udp-listen 7': UDP port 7 "
                  "is already taken by 'udp-echo 7' (expected one service per "
                  "UDP port on h)");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "services = http 80 extra\n",
                  "[host h] services: 'http 80 extra': unexpected 'extra'");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "tcp-time-wait = 0\n",
                  "[host h] tcp-time-wait: ");
  load_text_fails("[switch s]\nservices = http 80\n",
                  "[switch s] services: unknown key");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n"
                  "service = http 80\n",
                  "[host h] service: unknown key (did you mean 'services'?");
}
END_TEST

/* ---- features, inline ------------------------------------------------------
 */

START_TEST(test_link_params) {
  g_autoptr(NsTopology) t = load_text_ok(
      "[switch s1]\n"
      "link = s2 delay=0 rate=unlimited queue=1; s3 rate=10kbit/s loss=0.25\n"
      "[switch s2]\n"
      "[switch s3]\n"
      "link = s4 rate=1Gbit delay=1.5ms loss=100%\n"
      "[switch s4]\n"
      "link = s5 rate=1500bit loss=0 queue=100000\n"
      "[switch s5]\n");
  ck_assert_uint_eq(t->links->len, 4);
  const NsTopoLink *l = link_between(t, "s1", "s2");
  ck_assert_uint_eq(l->params->delay, 0);
  ck_assert_uint_eq(l->params->rate_bps, 0);
  ck_assert_uint_eq(l->params->queue_limit, 1);
  l = link_between(t, "s1", "s3");
  ck_assert_uint_eq(l->params->rate_bps, 10000);
  ck_assert(l->params->loss == 0.25);
  ck_assert_uint_eq(l->params->delay, ns_link_default_params.delay);
  l = link_between(t, "s3", "s4");
  ck_assert_uint_eq(l->params->rate_bps, 1000000000);
  ck_assert_uint_eq(l->params->delay, 1500 * NS_USEC);
  ck_assert(l->params->loss == 1.0);
  l = link_between(t, "s4", "s5");
  ck_assert_uint_eq(l->params->rate_bps, 1500);
  ck_assert_uint_eq(l->params->queue_limit, 100000);
}
END_TEST

/* The netem keys: values, the summary, the errors. */
START_TEST(test_link_impairments) {
  g_autoptr(NsTopology) t =
      load_text_ok("[switch s1]\n"
                   "link = s2 delay=10ms jitter=2ms duplicate=1% corrupt=0.5% "
                   "reorder=25% loss=gemodel:1.5%:30%; s3 loss=gemodel:2%\n"
                   "[switch s2]\n"
                   "link = s1 jitter=2ms loss=gemodel:1.5%:30%:100%:0%\n"
                   "[switch s3]\n");
  const NsTopoLink *l = link_between(t, "s1", "s2");
  ck_assert_uint_eq(l->params->delay, 10 * NS_MSEC);
  ck_assert_uint_eq(l->params->jitter, 2 * NS_MSEC);
  ck_assert(l->params->duplicate == 0.01);
  ck_assert(l->params->corrupt == 0.005);
  ck_assert(l->params->reorder == 0.25);
  ck_assert_int_eq(l->params->loss_model, NS_LOSS_GEMODEL);
  ck_assert(l->params->ge.p == 0.015 && l->params->ge.r == 0.3);
  ck_assert(l->params->ge.bad_loss == 1 && l->params->ge.good_loss == 0);
  /* The defaults: r 100 %, 1-h 100 %, 1-k 0 %. */
  l = link_between(t, "s1", "s3");
  ck_assert(l->params->ge.p == 0.02 && l->params->ge.r == 1);
  ck_assert(l->params->ge.bad_loss == 1 && l->params->ge.good_loss == 0);
  g_autofree char *v = ns_topology_summary(t);
  const char *want[] = {
      "  link s1 -- s2  delay 10ms, rate 100Mbit/s, loss "
      "gemodel:1.5%:30%:100%:0%, queue 64, jitter 2ms, duplicate 1%, "
      "corrupt 0.5%, reorder 25%\n",
      "  link s1 -- s3  delay 10us, rate 100Mbit/s, loss "
      "gemodel:2%:100%:100%:0%, queue 64\n",
  };
  assert_summary_has(v, want, G_N_ELEMENTS(want));
}
END_TEST

START_TEST(test_link_impairment_errors) {
  static const struct {
    const char *params, *want;
  } cases[] = {
      {"jitter=5", "[host h] link: jitter: '5' is not a time"},
      {"jitter=61m", "[host h] link: jitter: '61m' is out of range (expected 0 "
                     "to 1h)"},
      {"duplicate=150%", "[host h] link: duplicate: '150%' is not a "
                         "probability (expected 0 to 1"},
      {"corrupt=x", "[host h] link: corrupt: 'x' is not a probability"},
      {"reorder=-1", "[host h] link: reorder: '-1' is not a probability"},
      {"reorder=1% reorder=2%", "[host h] link: reorder= given twice"},
      {"loss=gemodel", "[host h] link: loss: 'gemodel' is not a "
                       "Gilbert-Elliott model (expected "
                       "gemodel:P[:R[:1-H[:1-K]]]"},
      {"loss=gemodel:1%:2%:3%:4%:5%", "is not a Gilbert-Elliott model"},
      {"loss=gemodel:1%:200%", "is not a Gilbert-Elliott model"},
      {"loss=bursty", "[host h] link: loss: 'bursty' is not a loss "
                      "probability"},
      {"mtu=1400", "unknown link parameter 'mtu' (expected delay=TIME, "
                   "jitter=TIME, rate=RATE, loss=P, duplicate=P, corrupt=P, "
                   "reorder=P or queue=N)"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text =
        g_strdup_printf("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s %s\n",
                        cases[i].params);
    load_text_fails(text, cases[i].want);
  }
  load_text_fails("[switch a]\nlink = b loss=gemodel:1%:30%\n[switch b]\n"
                  "link = a loss=1%\n",
                  "[switch b] link: loss=1% differs from "
                  "loss=gemodel:1%:30%:100%:0% given in [switch a] link");
  load_text_fails("[switch a]\nlink = b jitter=1ms\n[switch b]\n"
                  "link = a jitter=2ms\n",
                  "jitter=2ms differs from jitter=1ms");
}
END_TEST

START_TEST(test_both_ends_merge) {
  /* Each end gives different parameters: both apply to the one link. */
  g_autoptr(NsTopology) t =
      load_text_ok("[router r1]\n"
                   "eth1 = 10.0.12.1/30 @ r2:eth0 delay=1ms\n"
                   "[router r2]\n"
                   "eth0 = 10.0.12.2/30 @ r1:eth1 rate=10Mbit delay=1ms\n"
                   "[switch a]\nlink = b\n[switch b]\nlink = a queue=7\n");
  ck_assert_uint_eq(t->links->len, 2);
  const NsTopoLink *l = link_between(t, "r1:eth1", "r2:eth0");
  ck_assert_uint_eq(l->params->delay, NS_MSEC);
  ck_assert_uint_eq(l->params->rate_bps, 10000000);
  ck_assert_uint_eq(link_between(t, "a", "b")->params->queue_limit, 7);
}
END_TEST

START_TEST(test_multihomed_and_direct) {
  g_autoptr(NsTopology) t = load_text_ok(
      "[switch sw1]\n"
      "[router r1]\n"
      "ge0 = 10.1.0.1/24\n"
      "[host web]\n"
      "eth0 = 192.168.1.5/24 @ sw1 mac=02-00-00-00-00-5A\n"
      "eth1 = 10.1.0.5/24 @ r1:ge0 delay=3ms\n"
      "eth2 = 172.16.0.5/16\n"
      "route = default via 192.168.1.1 metric 10; 10.9.0.0/16 via "
      "10.1.0.1;\n"
      "arp-timeout = 30s\narp-retry = 250ms\narp-retries = 5\n"
      "arp-cache-size = 16\n"
      "[host b]\nip = 192.168.1.6/24\nlink = sw1\nmac = 02:00:00:00:00:5b\n");
  const NsTopoNode *web = node(t, "web");
  ck_assert_uint_eq(web->n_ifaces, 3);
  assert_iface(web, 1, "eth1", "10.1.0.5/24");
  ck_assert(iface(web, 0)->has_mac);
  ck_assert_uint_eq(iface(web, 0)->mac.b[5], 0x5a);
  ck_assert(!iface(web, 2)->has_mac);
  ck_assert(ns_ip4_is_zero(web->gateway));
  ck_assert_uint_eq(ns_topo_n_routes(web), 2);
  const NsTopoRoute *r = &g_array_index(web->routes, NsTopoRoute, 0);
  ck_assert_uint_eq(r->prefix.len, 0);
  ck_assert_uint_eq(r->metric, 10);
  ck_assert_uint_eq(web->arp.reachable_time, 30 * NS_SEC);
  ck_assert_uint_eq(web->arp.retry_interval, 250 * NS_MSEC);
  ck_assert_uint_eq(web->arp.retries, 5);
  ck_assert_uint_eq(web->arp.capacity, 16);
  ck_assert_uint_eq(t->links->len, 3);
  ck_assert_uint_eq(link_between(t, "web:eth1", "r1:ge0")->params->delay,
                    3 * NS_MSEC);
  link_between(t, "b:eth0", "sw1");
  g_autofree char *s = ns_topology_summary(t);
  ck_assert_msg(strstr(s, "eth2 172.16.0.5/16 (not connected)") != NULL, "%s",
                s);
  ck_assert_msg(strstr(s, "ge0 10.1.0.1/24 -> web:eth1") != NULL, "%s", s);
}
END_TEST

START_TEST(test_inline_errors) {
  load_text_fails("", "test.conf: no nodes: expected at least one");
  load_text_fails("# nothing\n\n", "no nodes");
  load_text_fails("key = value\n", "test.conf:1: ");
  load_text_fails("[switch s]\naging = \\x\n", "test.conf: [switch s] aging: ");
  load_text_fails("[switch s]\naging = \xff\n",
                  "test.conf:2: bytes that are not UTF-8");
  /* What GKeyFile refuses without naming a line, named here; raw control
   * bytes escaped; NUL refused with its line; long words cut. */
  load_text_fails("[host h1]\nip = 10.0.0.1/24\ni[ = 1\n",
                  "test.conf:3: 'i[ = 1': not a key name");
  load_text_fails("[host h\001x]\n", "test.conf:1: '[host h\\x01x]': not a "
                                     "section name");
  load_text_fails("[host h1\n", "test.conf:1: '[host h1': a section line ends");
  load_text_fails("[host h1]\n= 3\n", "test.conf:2: '= 3': no key before");
  load_text_fails("[host h1]\nip = 10.0.0.1/24\n#\njunk\n",
                  "test.conf:4: 'junk': not a 'key = value' line");
  static const char with_nul[] = "[host h1]\nip = 10.0.0.1/24\0 junk\n";
  GError *e = NULL;
  ck_assert_ptr_null(
      ns_topology_load_data(with_nul, sizeof with_nul - 1, "nul.conf", &e));
  ck_assert_str_eq(e->message, "nul.conf:2: NUL byte (expected UTF-8 text; is "
                               "the file UTF-16?)");
  g_clear_error(&e);
  /* A 100,000-byte name is shown cut, not whole. */
  GString *big =
      g_string_new("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = ");
  for (int i = 0; i < 100000; i++)
    g_string_append_c(big, 'n');
  ck_assert_ptr_null(ns_topology_load_data(big->str, -1, "big.conf", &e));
  ck_assert_msg(strlen(e->message) < 400, "%zu bytes", strlen(e->message));
  ck_assert_msg(strstr(e->message, "nnn...") != NULL, "%s", e->message);
  g_clear_error(&e);
  g_string_free(big, TRUE);
  load_text_fails("[router r]\neth0 = 10.0.0.1/24 @\n",
                  "[router r] eth0: '@' without a peer");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s delay=5\n",
                  "[host h] link: delay: '5' is not a time");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s "
                  "delay=1ms delay=2ms\n",
                  "[host h] link: delay= given twice");
  load_text_fails("[switch s]\n[host h]\neth0 = 10.0.0.1/24 @ s\nlink = s\n",
                  "[host h] link: only used with ip");
  load_text_fails("[router r]\neth0 = 10.0.0.1/24\nroute = 10.0.0.0/8 via "
                  "10.0.0.1\n",
                  "[router r] route: via 10.0.0.1 is r's own address");
  load_text_fails("[router r]\neth0 = 10.0.0.1/24\nroute = 10.2.0.0/16 via "
                  "10.0.0.2 metric 1; 10.2.0.0/16 via 10.0.0.3\n",
                  "[router r] route: 10.2.0.0/16 metric 1 given twice");
  load_text_fails("[router r]\neth0 = 127.0.0.1/8\n",
                  "[router r] eth0: 127.0.0.1 cannot be an interface address");
  load_text_fails("[router r]\neth0 = 10.0.0.1/24\nverylonginterface0 = "
                  "10.1.0.1/24\n",
                  "[router r] verylonginterface0: interface name too long");
  load_text_fails("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s "
                  "rate=2000Gbit\n",
                  "rate: '2000Gbit' is not a rate");
  load_text_fails("[router r]\neth0 = 10.0.0.1/24\nlink = x\n",
                  "[router r] link: unknown key (expected route");
}
END_TEST

START_TEST(test_forgiving_syntax) {
  /* What a teacher writes in a text editor: a BOM, CRLF line ends, a
   * comment after a value, '@' with or without spaces, tabs. */
  NsTopology *t = load_text_ok("\xEF\xBB\xBF# made in Notepad\r\n"
                               "[switch sw1]\r\n"
                               "[switch sw2]\r\n"
                               "[router r1]\r\n"
                               "eth0 = 10.0.1.1/24@sw1   # LAN A\r\n"
                               "eth1 =\t10.0.2.1/24 @sw2\trate=10Mbit\r\n"
                               "[host h1]\r\n"
                               "ip = 10.0.1.10/24 # the first host\r\n"
                               "gateway = 10.0.1.1\r\n"
                               "link = sw1 delay=1ms # uplink\r\n");
  ck_assert_uint_eq(t->nodes->len, 4);
  ck_assert_uint_eq(t->links->len, 3);
  const NsTopoNode *r1 = g_ptr_array_index(t->nodes, 2);
  ck_assert_uint_eq(r1->n_ifaces, 2);
  ck_assert_uint_eq(g_array_index(t->links, NsTopoLink, 1).params->rate_bps,
                    10000000);
  ck_assert_uint_eq(g_array_index(t->links, NsTopoLink, 2).params->delay,
                    NS_MSEC);
  ns_topology_free(t);
  /* '#' glued to a value is not a comment: an error, not a silent cut. */
  load_text_fails("[switch sw1]\n[host h1]\nip = 10.0.1.10/24#x\nlink = sw1\n",
                  "[host h1] ip: '10.0.1.10/24#x' is not an IPv4 prefix");
  /* A length past 32 on an interface gets the interface's range, on a
   * host's ip and on a router's interface alike. */
  load_text_fails("[switch s]\n[host h1]\nip = 10.0.1.10/33\nlink = s\n",
                  "[host h1] ip: /33 is not allowed for an interface "
                  "(expected a length of 1-30, such as 10.0.1.10/24)");
  load_text_fails("[switch s]\n[router r]\neth0 = 10.0.1.1/099 @ s\n",
                  "[router r] eth0: /99 is not allowed for an interface");
  load_text_fails("[switch s]\n[router r]\neth0 = 10.0.1/40 @ s\n",
                  "[router r] eth0: '10.0.1/40' is not an IPv4 prefix");
}
END_TEST

/* A router with many interfaces, and many switches in a line: sections
 * and nodes big enough to be indexed (a long section's keys, a node's
 * interface names and subnets, the pairs of linked switches) load as the
 * walks did, and catch the same mistakes. */
static GString *big_router(guint n, gboolean crossed) {
  GString *s = g_string_new("[router r1]\n");
  for (guint k = 0; k < n; k++)
    g_string_append_printf(s, "eth%u = 10.%u.%u.1/24\n", k, k / 256, k % 256);
  for (guint k = 0; k < n; k++)
    g_string_append_printf(s,
                           "[host h%u]\nip = 10.%u.%u.2/24\nlink = r1:eth%u\n",
                           k, k / 256, k % 256, crossed ? n - 1 - k : k);
  return s;
}

START_TEST(test_indexed_big_nodes) {
  g_autoptr(GString) ok = big_router(100, FALSE);
  NsTopology *t = load_text_ok(ok->str);
  const NsTopoNode *r1 = node(t, "r1");
  ck_assert_uint_eq(r1->n_ifaces, 100);
  ck_assert_uint_eq(t->links->len, 100);
  for (guint i = 0; i < t->links->len; i++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, i);
    const NsTopoEnd *r = l->a.node == 0 ? &l->a : &l->b;
    const NsTopoEnd *h = l->a.node == 0 ? &l->b : &l->a;
    ck_assert_uint_eq(r->node, 0);
    ck_assert_uint_eq(h->node, r->iface + 1); /* h<k> on eth<k> */
  }
  g_autofree char *summary = ns_topology_summary(t);
  ck_assert_ptr_nonnull(strstr(summary, "eth42 10.0.42.1/24 -> h42:eth0"));
  ns_topology_free(t);

  /* Each host on another host's subnet: the subnet check at link time. */
  g_autoptr(GString) crossed = big_router(100, TRUE);
  load_text_fails(crossed->str, "are not in the same subnet");
  /* An interface name the router lacks. */
  g_autoptr(GString) missing = big_router(100, FALSE);
  g_string_replace(missing, "link = r1:eth57\n", "link = r1:eth100\n", 1);
  load_text_fails(missing->str, "router r1 has no interface 'eth100'");
  /* The 60th interface inside the 7th's subnet, and one around it. */
  g_autoptr(GString) inside = big_router(100, FALSE);
  g_string_replace(inside, "eth60 = 10.0.60.1/24", "eth60 = 10.0.7.9/25", 1);
  load_text_fails(inside->str, "[router r1] eth60: 10.0.7.9/25 overlaps eth7 "
                               "10.0.7.1/24 (expected each interface");
  g_autoptr(GString) around = big_router(100, FALSE);
  g_string_replace(around, "eth60 = 10.0.60.1/24", "eth60 = 10.0.60.1/16", 1);
  load_text_fails(around->str, "[router r1] eth60: 10.0.60.1/16 overlaps eth");
  /* A key given twice in a long section. */
  g_autoptr(GString) twice = big_router(100, FALSE);
  g_string_replace(twice, "eth99 = 10.0.99.1/24\n",
                   "eth99 = 10.0.99.1/24\neth3 = 10.1.3.1/24\n", 1);
  load_text_fails(twice->str, "[router r1] eth3: given twice");

  /* Switches in a line, each link given from both ends (merged), then a
   * link given twice from one end and a loop closed. */
  GString *line = g_string_new(NULL);
  for (guint k = 0; k < 200; k++) {
    g_string_append_printf(line, "[switch s%u]\nlink = ", k);
    if (k + 1 < 200)
      g_string_append_printf(line, "s%u%s", k + 1, k > 0 ? "; " : "");
    if (k > 0)
      g_string_append_printf(line, "s%u", k - 1);
    g_string_append_c(line, '\n');
  }
  g_string_append(line, "[host a]\nip = 10.0.0.1/8\nlink = s0\n");
  t = load_text_ok(line->str);
  ck_assert_uint_eq(t->links->len, 199 + 1);
  ns_topology_free(t);
  g_autoptr(GString) dup = g_string_new(line->str);
  g_string_replace(dup, "[switch s150]\nlink = s151; s149\n",
                   "[switch s150]\nlink = s151; s149; s151\n", 1);
  load_text_fails(dup->str, "[switch s150] link: s151 is listed twice");
  g_string_replace(line, "[switch s150]\nlink = s151; s149\n",
                   "[switch s150]\nlink = s151; s149; s3\n", 1);
  load_text_fails(line->str, "linking s150 to s3 would close a loop");
  g_string_free(line, TRUE);
}
END_TEST

/* Two vxlan segments of one file that carry frames between them are a
 * cable between their switches: the same switch, or switches already
 * joined, make a loop, refused as between switches.  One LAN cut in two
 * (topologies/vxlan.conf) is no loop; another VNI joins nothing. */
/* head, then segments va on switch sa (vni 7) and vb on sb (vni vni_b),
 * each sending to the other's local address. */
static char *vx_pair(const char *head, const char *sa, const char *sb,
                     guint vni_b) {
  return g_strdup_printf(
      "%s[vxlan va]\nlink = %s\nvni = 7\nlocal = 127.0.0.1:47891\n"
      "remote = 127.0.0.1:47892\n"
      "[vxlan vb]\nlink = %s\nvni = %u\nlocal = 127.0.0.1:47892\n"
      "remote = 127.0.0.1:47891\n",
      head, sa, sb, vni_b);
}

START_TEST(test_vxlan_loops) {
  g_autofree char *same = vx_pair(
      "[switch s]\n[host h1]\nip = 10.0.0.1/24\nlink = s\n", "s", "s", 7);
  load_text_fails(same, "[vxlan va] remote: joins [vxlan vb] (vni 7), "
                        "which plugs into the same switch s: a broadcast "
                        "would circle forever");
  static const char two[] = "[switch s1]\nlink = s2\n[switch s2]\n";
  g_autofree char *joined = vx_pair(two, "s1", "s2", 7);
  load_text_fails(joined, "[vxlan va] remote: joins [vxlan vb] (vni 7), whose "
                          "switch s2 is already connected to s1");
  g_autofree char *other_vni = vx_pair(two, "s1", "s2", 8);
  ns_topology_free(load_text_ok(other_vni));
  g_autofree char *cut = vx_pair("[switch s1]\n[switch s2]\n", "s1", "s2", 7);
  ns_topology_free(load_text_ok(cut));
}
END_TEST

START_TEST(test_missing_file) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_file(BAD_TOPO_DIR "/no-such-file.conf", &e);
  ck_assert(t == NULL);
  ck_assert(g_error_matches(e, NS_ERROR, NS_ERROR_IO));
  ck_assert_msg(strstr(e->message, "no-such-file.conf: cannot read") != NULL,
                "%s", e->message);
  g_error_free(e);
}
END_TEST

/* ---- bad topologies ------------------------------------------------------ */

static const struct {
  const char *file;
  const char *want; /* a fragment of the message */
} bad_cases[] = {
    {"01-unknown-kind.conf",
     "[hots h1] unknown section kind 'hots' (expected host, switch, router, "
     "bridge or vxlan)"},
    {"02-bad-name.conf",
     "[host 1h] '1h' is not a valid name (expected a letter"},
    {"03-duplicate-name.conf",
     "[host x1] the name 'x1' is already used by [switch x1]"},
    {"04-unknown-key.conf",
     "[host h1] gatway: unknown key (did you mean 'gateway'? expected ip,"},
    {"05-missing-ip.conf",
     "[host h1] missing key 'ip' (expected ip = ADDR/LEN"},
    {"06-bad-ip.conf",
     "[host h1] ip: '192.168.1.300/24' is not an IPv4 prefix (expected"},
    {"07-missing-link.conf", "[host h1] missing key 'link' (expected link ="},
    {"08-no-such-peer.conf", "[host h1] link: no node named 'sw9'"},
    {"09-wrong-peer-kind.conf",
     "[switch sw1] link: 'h1' is a host (expected another switch"},
    {"10-duplicate-ip.conf",
     "[host h2] ip: 192.168.1.10 is already the address of h1 eth0"},
    {"11-gateway-off-link.conf",
     "[host h1] gateway: 192.168.2.1 is not on-link (expected an address "
     "inside one of h1's subnets: 192.168.1.0/24)"},
    {"12-duplicate-mac.conf",
     "[host h2] mac: 02:00:00:00:aa:01 is already the MAC of h1 eth0"},
    {"13-router-no-ifaces.conf",
     "[router r1] has no interfaces (expected at least one"},
    {"14-overlapping-subnets.conf",
     "[router r1] eth1: 192.168.1.129/25 overlaps eth0 192.168.1.1/24"},
    {"15-route-via-off-link.conf",
     "[router r1] route: via 10.9.9.9 is not on-link (expected an address "
     "inside one of r1's subnets"},
    {"16-prefix-len-32.conf",
     "[host h1] ip: /32 is not allowed for an interface (expected a length "
     "of 1-30"},
    {"17-empty.conf",
     "17-empty.conf: no nodes: expected at least one [host], [switch], "
     "[router], [bridge] or [vxlan] section"},
    {"18-syntax-error.conf",
     "18-syntax-error.conf:4: 'this is not a key': not a 'key = value' line"},
    {"19-unknown-param.conf",
     "[host h1] link: unknown link parameter 'mtu' (expected delay="},
    {"20-bad-rate.conf",
     "[host h1] link: rate: '100M' is not a rate (expected"},
    {"21-bad-loss.conf",
     "[host h1] link: loss: '2' is not a loss probability (expected 0 to 1"},
    {"22-self-link.conf", "[switch sw1] link: links sw1 to itself"},
    {"23-iface-used-twice.conf",
     "[host h1] link: r1:eth0 is already connected to sw1 (by [router r1] "
     "eth0"},
    {"24-param-conflict.conf",
     "[router r2] eth0: delay=2ms differs from delay=1ms given in [router r1] "
     "eth1"},
    {"25-mixed-ip-and-iface.conf",
     "[host h1] eth1: interface keys cannot be mixed with ip"},
    {"26-switch-loop.conf",
     "[switch sw3] link: linking sw3 to sw1 would close a loop"},
    {"27-duplicate-section.conf",
     "[host h1] section appears twice (lines 4 and 8"},
    {"28-bad-mac.conf",
     "[host h1] mac: '02:00:00:00:01' is not a MAC address (expected six"},
    {"29-multicast-mac.conf",
     "[host h1] mac: 01:00:5e:00:00:01 is a group (multicast) MAC (expected a "
     "unicast MAC"},
    {"30-bad-time.conf",
     "[switch sw1] aging: '300' is not a time (expected a number with a unit"},
    {"31-fdb-size-range.conf",
     "[switch sw1] fdb-size: '0' is not a whole number from 1 to 1000000"},
    {"32-no-such-iface.conf",
     "[host h1] link: router r1 has no interface 'eth7' (it has eth0)"},
    {"33-peer-needs-iface.conf",
     "[host h1] link: 'r1' is a router: name its interface (expected "
     "r1:IFACE"},
    {"34-route-syntax.conf",
     "[router r1] route: '10.0.0.0/8 192.168.1.2' is not a route (expected "
     "PREFIX via ADDR [metric N]"},
    {"35-direct-subnet-mismatch.conf",
     "[router r1] eth1: 10.0.12.1/30 and r2:eth0 10.0.13.2/30 are not in the "
     "same subnet"},
    {"36-duplicate-key.conf", "[host h1] gateway: given twice"},
    {"37-no-name.conf", "[switch] has no name (expected [switch NAME]"},
    {"38-network-address.conf",
     "[host h1] ip: 192.168.1.0 is the network address of 192.168.1.0/24 "
     "(expected a host address from 192.168.1.1 to 192.168.1.254)"},
    {"39-params-without-peer.conf",
     "[router r1] eth0: link parameters need a peer"},
    {"40-localized-key.conf", "[host h1] ip[de]: unknown key"},
    {"41-gateway-own-address.conf",
     "[host h1] gateway: 192.168.1.10 is h1's own address"},
    {"42-queue-range.conf",
     "[host h1] link: queue: '0' is not a queue limit (expected 1 to 100000"},
    {"43-switch-iface-peer.conf",
     "[host h1] link: 'sw1:eth0': a switch has no named interfaces"},
    {"44-route-host-bits.conf",
     "[router r1] route: 192.168.4.1/24 has host bits set (expected the "
     "network address 192.168.4.0/24)"},
    {"45-parallel-switch-links.conf", "[switch sw1] link: sw2 is listed twice"},
    {"46-default-route-and-gateway.conf",
     "[host h1] route: a default route 0.0.0.0/0 and gateway = 192.168.1.1 "
     "both given"},
    {"47-broadcast-address.conf",
     "[router r1] eth0: 192.168.1.255 is the broadcast address of "
     "192.168.1.0/24"},
    {"48-interface-taken.conf",
     "[router r3] eth0: r2:eth0 is already connected to r1:eth1"},
    {"49-unknown-service.conf",
     "[host h3] services: 'tcp-echoo 7' is not a service (expected tcp-echo "
     "PORT, udp-echo PORT, tcp-reply PORT [once] TEXT, http PORT or "
     "udp-listen PORT [group G])"},
    {"50-service-port-zero.conf",
     "[host h1] services: 'http 0': '0' is not a port (expected a whole "
     "number from 1 to 65535)"},
    {"51-service-port-range.conf",
     "[host h1] services: 'udp-echo:70000': '70000' is not a port (expected "
     "a whole number from 1 to 65535)"},
    {"52-service-port-word.conf",
     "[host h1] services: 'http abc': 'abc' is not a port (expected a whole "
     "number from 1 to 65535)"},
    {"53-service-missing-port.conf",
     "[host h1] services: 'http' needs a port (expected http PORT, such as "
     "http 80)"},
    {"54-tcp-reply-no-text.conf",
     "[host h1] services: 'tcp-reply 8080' has no text (expected tcp-reply "
     "PORT [once] TEXT, such as tcp-reply 8080 i am server)"},
    {"55-udp-listen-unicast-group.conf",
     "[host h1] services: 'udp-listen 9000 group 192.168.1.255': "
     "192.168.1.255 is not a multicast group (expected an address in "
     "224.0.0.0/4, such as 239.1.1.1)"},
    {"56-service-duplicate-port.conf",
     "[host h1] services: 'tcp-reply 80 hello': TCP port 80 is already taken "
     "by 'http 80' (expected one service per TCP port on h1)"},
    {"57-bad-tcp-time-wait.conf",
     "[router r1] tcp-time-wait: '90m' is out of range (expected more than 0, "
     "at most 3600s)"},
    {"58-bad-tcp-profile.conf",
     "[host h1] tcp-profile: 'bsd' is not a TCP profile (expected linux or "
     "minimal: "},
};

START_TEST(test_bad_file) {
  g_autofree char *path =
      g_build_filename(BAD_TOPO_DIR, bad_cases[_i].file, NULL);
  ck_assert_msg(g_file_test(path, G_FILE_TEST_IS_REGULAR), "%s missing", path);
  GError *e = NULL;
  NsTopology *t = ns_topology_load_file(path, &e);
  ck_assert_msg(t == NULL, "%s loaded", path);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_msg(g_str_has_prefix(e->message, path),
                "'%s' does not start "
                "with the file name",
                e->message);
  ck_assert_msg(strstr(e->message, bad_cases[_i].want) != NULL,
                "%s:\n  got:  %s\n  want: %s", bad_cases[_i].file, e->message,
                bad_cases[_i].want);
  g_error_free(e);
}
END_TEST

/* Every file in the bad directory has an expectation above. */
START_TEST(test_bad_files_listed) {
  g_autoptr(GDir) dir = g_dir_open(BAD_TOPO_DIR, 0, NULL);
  ck_assert(dir != NULL);
  guint n = 0;
  const char *name;
  while ((name = g_dir_read_name(dir)) != NULL) {
    if (!g_str_has_suffix(name, ".conf"))
      continue;
    gboolean found = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++)
      found = found || strcmp(bad_cases[i].file, name) == 0;
    ck_assert_msg(found, "%s has no expected message in test_topology.c", name);
    n++;
  }
  ck_assert_uint_eq(n, G_N_ELEMENTS(bad_cases));
  ck_assert_uint_ge(n, 20);
}
END_TEST

/* ---- mutations
 * --------------------------------------------------------------- */

/* The texts mutated: the built-in network (two_lans.conf), and one with a
 * bridge's rules. */
static const char *const fuzz_bases[] = {"two_lans.conf", "bridge.conf"};

/* Random edits of each base: each either loads or fails with one
 * NS_ERROR, never crashes or leaks (the sanitizer build checks). */
START_TEST(test_fuzz_mutations) {
  static const char alphabet[] = "[]=;@:/.# \n\t0123456789abcehilnorstwx%-_\\";
  GRand *rng = g_rand_new_with_seed(20240601);
  g_autofree char *path = g_build_filename(TOPO_DIR, fuzz_bases[_i], NULL);
  g_autofree char *base = NULL;
  gsize base_len = 0;
  ck_assert(g_file_get_contents(path, &base, &base_len, NULL));
  guint loaded = 0, failed = 0;
  for (guint iter = 0; iter < 2000; iter++) {
    GString *b = g_string_new_len(base, (gssize)base_len);
    guint edits = (guint)g_rand_int_range(rng, 1, 6);
    for (guint k = 0; k < edits && b->len > 1; k++) {
      gsize pos = (gsize)g_rand_int_range(rng, 0, (gint32)b->len);
      gsize span = (gsize)g_rand_int_range(rng, 1, 12);
      span = MIN(span, b->len - pos);
      switch (g_rand_int_range(rng, 0, 4)) {
      case 0: /* delete */
        g_string_erase(b, (gssize)pos, (gssize)span);
        break;
      case 1: { /* duplicate */
        char tmp[12];
        memcpy(tmp, b->str + pos, span);
        g_string_insert_len(b, (gssize)pos, tmp, (gssize)span);
        break;
      }
      case 2: /* replace with a syntax-ish byte */
        b->str[pos] =
            alphabet[g_rand_int_range(rng, 0, (gint32)sizeof alphabet - 1)];
        break;
      default: /* replace with any byte */
        b->str[pos] = (char)g_rand_int_range(rng, 0, 256);
        break;
      }
    }
    GError *e = NULL;
    NsTopology *t =
        ns_topology_load_data(b->str, (gssize)b->len, "fuzz.conf", &e);
    if (t != NULL) {
      ck_assert(e == NULL);
      g_free(ns_topology_summary(t));
      ns_topology_free(t);
      loaded++;
    } else {
      ck_assert(e != NULL && e->domain == NS_ERROR);
      ck_assert(g_str_has_prefix(e->message, "fuzz.conf"));
      g_error_free(e);
      failed++;
    }
    g_string_free(b, TRUE);
  }
  g_rand_free(rng);
  /* Both outcomes happen: the mutations are neither all fatal nor all
   * harmless (comment edits load, syntax edits fail). */
  ck_assert_uint_gt(loaded, 0);
  ck_assert_uint_gt(failed, 0);
}
END_TEST

Suite *test_topology_suite(void) {
  Suite *s = suite_create("topology");
  TCase *tc = test_tcase("shipped");
  tcase_add_test(tc, test_two_lans);
  tcase_add_test(tc, test_one_lan);
  tcase_add_test(tc, test_switch_chain);
  tcase_add_test(tc, test_three_routers);
  tcase_add_test(tc, test_builtin_is_two_lans);
  tcase_add_test(tc, test_summary);
  suite_add_tcase(s, tc);

  tc = test_tcase("features");
  tcase_add_test(tc, test_link_params);
  tcase_add_test(tc, test_link_impairments);
  tcase_add_test(tc, test_link_impairment_errors);
  tcase_add_test(tc, test_both_ends_merge);
  tcase_add_test(tc, test_multihomed_and_direct);
  tcase_add_test(tc, test_inline_errors);
  tcase_add_test(tc, test_indexed_big_nodes);
  tcase_add_test(tc, test_vxlan_loops);
  tcase_add_test(tc, test_missing_file);
  tcase_add_test(tc, test_forgiving_syntax);
  tcase_add_test(tc, test_services_key);
  tcase_add_test(tc, test_tcp_keys);
  suite_add_tcase(s, tc);

  tc = test_tcase("bad");
  tcase_add_loop_test(tc, test_bad_file, 0, G_N_ELEMENTS(bad_cases));
  tcase_add_test(tc, test_bad_files_listed);
  suite_add_tcase(s, tc);

  tc = test_tcase("fuzz");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_fuzz_mutations, 0, G_N_ELEMENTS(fuzz_bases));
  suite_add_tcase(s, tc);
  return s;
}

/* test_ipnode_route.c — the routing decision of the IP stack: interfaces
 * and connected routes, on-link versus gateway on a host (and why, in the
 * log), no route (net unreachable), longest-prefix match on a router. */
#include <string.h>

#include "ipnode_harness.h"
#include "net/ipnode_private.h"

START_TEST(test_iface_lookup_api) {
  Net *n = net_new(FALSE);
  NsIpNode *r = add_node(n, "r1", TRUE);
  ck_assert_uint_eq(ns_ipnode_primary_addr(r).v, 0);
  NsIpIface *a =
      ns_ipnode_add_iface(r, "eth0", PFX(10, 0, 1, 1, 24), ns_mac_local(1));
  NsIpIface *b =
      ns_ipnode_add_iface(r, "eth1", PFX(10, 0, 2, 1, 16), ns_mac_local(2));
  ck_assert(ns_ipnode_is_router(r));
  ck_assert_str_eq(ns_ipnode_name(r), "r1");
  ck_assert_uint_eq(ns_ipnode_n_ifaces(r), 2);
  ck_assert_ptr_eq(ns_ipnode_iface(r, 1), b);
  ck_assert_ptr_eq(ns_ipnode_find_iface(r, "eth0"), a);
  ck_assert_ptr_null(ns_ipnode_find_iface(r, "eth9"));
  ck_assert_ptr_eq(ns_ipnode_iface_by_addr(r, NS_IP4(10, 0, 2, 1)), b);
  ck_assert_ptr_null(ns_ipnode_iface_by_addr(r, NS_IP4(10, 0, 2, 2)));
  ck_assert_uint_eq(ns_ipnode_primary_addr(r).v, NS_IP4(10, 0, 1, 1).v);
  /* Connected routes, canonical. */
  NsRouteTable *rt = ns_ipnode_routes(r);
  ck_assert_uint_eq(ns_route_count(rt), 2);
  const NsRoute *rr = ns_route_lookup(rt, NS_IP4(10, 0, 200, 3));
  ck_assert_ptr_nonnull(rr);
  ck_assert_uint_eq(rr->prefix.addr.v, NS_IP4(10, 0, 0, 0).v);
  ck_assert_uint_eq(rr->prefix.len, 16);
  ck_assert_uint_eq(rr->iface, 1);
  ck_assert_int_eq(rr->kind, NS_ROUTE_CONNECTED);
  guint16 id1 = ns_ipnode_next_ident(r), id2 = ns_ipnode_next_ident(r);
  ck_assert_uint_ne(id1, id2);
  net_free(n);
}
END_TEST

START_TEST(test_source_for_and_send_from) {
  /* r1: eth0 10.0.1.1/24, eth1 10.0.2.1/24, a route to 10.9.0.0/16 via
   * 10.0.2.254. */
  Net *n = net_new(FALSE);
  NsIpNode *r = add_node(n, "r1", TRUE);
  ck_assert_uint_eq(ns_ipnode_source_for(r, NS_IP4(10, 0, 1, 5)).v, 0);
  NsIpIface *a =
      ns_ipnode_add_iface(r, "eth0", PFX(10, 0, 1, 1, 24), ns_mac_local(1));
  NsIpIface *b =
      ns_ipnode_add_iface(r, "eth1", PFX(10, 0, 2, 1, 24), ns_mac_local(2));
  ck_assert(
      ns_ipnode_add_route(r, PFX(10, 9, 0, 0, 16), NS_IP4(10, 0, 2, 254), 0));
  Probe *pb = add_probe(n, &b->nic, "B", ns_mac_local(0x0b),
                        NS_IP4(10, 0, 2, 254), TRUE);
  struct {
    NsIp4 dst, src;
  } cases[] = {
      {NS_IP4(10, 0, 1, 5), NS_IP4(10, 0, 1, 1)},        /* on eth0's link */
      {NS_IP4(10, 0, 2, 5), NS_IP4(10, 0, 2, 1)},        /* on eth1's link */
      {NS_IP4(10, 9, 3, 4), NS_IP4(10, 0, 2, 1)},        /* via a gateway */
      {NS_IP4(10, 0, 2, 1), NS_IP4(10, 0, 2, 1)},        /* our own: itself */
      {NS_IP4(127, 0, 0, 7), NS_IP4(127, 0, 0, 7)},      /* loopback */
      {NS_IP4(255, 255, 255, 255), NS_IP4(10, 0, 1, 1)}, /* first iface */
      {NS_IP4(239, 1, 1, 1), NS_IP4(10, 0, 1, 1)},       /* first iface */
      {NS_IP4(10, 0, 2, 255), NS_IP4(10, 0, 2, 1)},      /* directed bcast */
      {NS_IP4(192, 168, 1, 1), NS_IP4(0, 0, 0, 0)},      /* no route */
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    ck_assert_msg(ns_ipnode_source_for(r, cases[i].dst).v == cases[i].src.v,
                  "case %u", i);
  (void)a;

  /* A given source goes out as is; "from the route" picks as source_for
   * does. */
  guint8 data[4] = {1, 2, 3, 4};
  guint64 id = 0;
  NsIpSendOptions given = NS_IP_SEND_OPTIONS(253, 64);
  given.src_select = NS_IP_SRC_GIVEN;
  given.src = NS_IP4(10, 0, 1, 1);
  NsIpSendOptions routed = NS_IP_SEND_OPTIONS(253, 64);
  ck_assert(ns_ipnode_send_with(r, NS_IP4(10, 9, 3, 4), &given, data,
                                sizeof data, now_of(n), &id));
  ck_assert_uint_ne(id, 0);
  ck_assert(ns_ipnode_send_with(r, NS_IP4(10, 9, 3, 4), &routed, data,
                                sizeof data, now_of(n), NULL));
  run_for(n, 100 * NS_MSEC);
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(probe_nth_type(pb, NS_ETHERTYPE_IPV4, 0), &ip));
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ip.proto, 253);
  ck_assert(frame_ipv4(probe_nth_type(pb, NS_ETHERTYPE_IPV4, 1), &ip));
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 2, 1).v);
  ck_assert(!ns_ipnode_send_with(r, NS_IP4(192, 168, 1, 1), &given, data,
                                 sizeof data, now_of(n), NULL));
  net_free(n);
}
END_TEST

START_TEST(test_host_on_link_vs_gateway_explained) {
  HostBench hb = host_bench_at(TRUE, FALSE, PFX(192, 168, 1, 10, 24),
                               NS_IP4(192, 168, 1, 1));
  Net *n = hb.net;
  ck_assert(
      ns_ipnode_add_route(hb.h, PFX(0, 0, 0, 0, 0), NS_IP4(192, 168, 1, 1), 0));
  /* A gateway off-link is refused. */
  ck_assert(!ns_ipnode_add_route(hb.h, PFX(10, 9, 0, 0, 16),
                                 NS_IP4(172, 16, 0, 1), 0));

  ns_ipnode_send(hb.h, NS_IP4(192, 168, 1, 20), 253, 64, NULL, 0, now_of(n),
                 NULL);
  run_for(n, 10 * NS_MSEC);
  ns_ipnode_send(hb.h, NS_IP4(192, 168, 2, 10), 253, 64, NULL, 0, now_of(n),
                 NULL);
  run_for(n, 10 * NS_MSEC);

  gint s1 = ev_find(n, 0, "h1", "ip/send");
  gint s2 = ev_find(n, (guint)s1 + 1, "h1", "ip/send");
  ck_assert_int_ge(s1, 0);
  ck_assert_int_ge(s2, 0);
  ck_assert_str_eq(ev_at(n, s1)->why,
                   "192.168.1.20 & 255.255.255.0 = 192.168.1.0, my network "
                   "192.168.1.0/24: deliver directly");
  const char *why2 = ev_at(n, s2)->why;
  ck_assert_ptr_nonnull(
      strstr(why2, "192.168.2.10 & 255.255.255.0 = 192.168.2.0"));
  ck_assert_ptr_nonnull(strstr(why2, "not my 192.168.1.0/24"));
  ck_assert_ptr_nonnull(strstr(why2, "via gateway 192.168.1.1"));

  /* And the ARP requests follow the decision: the destination itself,
   * then the gateway. */
  ck_assert_uint_eq(probe_n(hb.p), 2);
  NsArp a;
  NsFrame *f = probe_frame(hb.p, 0);
  ck_assert(frame_arp(f, &a));
  ck_assert_uint_eq(a.tpa.v, NS_IP4(192, 168, 1, 20).v);
  f = probe_frame(hb.p, 1);
  ck_assert(frame_arp(f, &a));
  ck_assert_uint_eq(a.tpa.v, NS_IP4(192, 168, 1, 1).v);
  net_free(n);
}
END_TEST

START_TEST(test_host_via_gateway_uses_gateway_mac) {
  /* The datagram to another subnet carries the gateway's MAC and the
   * final destination's IP. */
  HostBench hb = host_bench_at(FALSE, TRUE, PFX(192, 168, 1, 10, 24),
                               NS_IP4(192, 168, 1, 1));
  Net *n = hb.net;
  Probe *gw = hb.p;
  ck_assert(ns_ipnode_add_route(hb.h, PFX(0, 0, 0, 0, 0), gw->ip, 0));
  ck_assert(ns_ipnode_send(hb.h, NS_IP4(8, 8, 8, 8), 253, 64, NULL, 0,
                           now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  NsFrame *f = probe_nth_type(gw, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), gw->nic.mac));
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.dst.v, NS_IP4(8, 8, 8, 8).v);
  ck_assert_uint_eq(ip.src.v, hb.i0->addr.addr.v);
  ck_assert_uint_eq(ip.ttl, 64);
  net_free(n);
}
END_TEST

/* With no route the node's own listeners hear an ICMP net unreachable, as
 * a real stack's sender gets ENETUNREACH; traceroute (which, unlike ping,
 * does not ask the route first) shows it as !N from the host itself. */
START_TEST(test_host_no_route_net_unreachable) {
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  NsTrace *t = start_trace(n, hb.h, NS_IP4(192, 168, 7, 7), NULL,
                           &ns_trace_default_options);
  run_for(n, 5 * NS_SEC);
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(out_count(n, " 1  h1 (10.0.0.1)  0.000 ms !N"), 1);
  ck_assert_uint_eq(n->done, 1);
  ck_assert_uint_eq(probe_n(hb.p), 0); /* nothing went on the wire */
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).no_route, 3); /* 3 probes */
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_tx, 0);
  gint r = ev_find(n, 0, "h1", "route/no-route");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, r)->why, "& 255.255.255.0 = 192.168.7.0"));
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "no gateway"));
  /* ns_ipnode_send itself says it could not send. */
  ck_assert(!ns_ipnode_send(hb.h, NS_IP4(1, 2, 3, 4), 253, 64, NULL, 0,
                            now_of(n), NULL));
  net_free(n);
}
END_TEST

/* A multicast or the limited broadcast takes no route: the reason says
 * so, even for a host whose default route (its gateway) would match, and
 * never "no gateway is set" nor a mask AND. */
START_TEST(test_cast_explained_without_route) {
  HostBench hb = host_bench_at(FALSE, TRUE, PFX(192, 168, 1, 10, 24),
                               NS_IP4(192, 168, 1, 1));
  ck_assert(
      ns_ipnode_add_route(hb.h, PFX(0, 0, 0, 0, 0), NS_IP4(192, 168, 1, 1), 0));
  const NsRoute *dflt =
      ns_route_lookup(ns_ipnode_routes(hb.h), NS_IP4(239, 1, 1, 1));
  struct {
    NsIp4 dst;
    const NsRoute *route;
    const char *want;
  } cases[] = {
      {NS_IP4(239, 1, 1, 1), NULL,
       "239.1.1.1 is a multicast group: it goes to the group's MAC (01:00:5e "
       "and its low 23 bits) on this LAN, with no ARP and no gateway"},
      {NS_IP4(239, 1, 1, 1), dflt, "239.1.1.1 is a multicast group: "},
      {NS_IP4(255, 255, 255, 255), NULL,
       "255.255.255.255 is the limited broadcast: it goes to the broadcast "
       "MAC ff:ff:ff:ff:ff:ff on this LAN, with no ARP and no gateway"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char why[256];
    ns_ipnode_explain_route(hb.h, cases[i].dst, cases[i].route, why,
                            sizeof why);
    ck_assert_msg(g_str_has_prefix(why, cases[i].want), "%u: %s", i, why);
    ck_assert_ptr_null(strstr(why, "no gateway is set"));
    ck_assert_ptr_null(strstr(why, " & "));
  }
  net_free(hb.net);
}
END_TEST

START_TEST(test_router_explains_longest_prefix) {
  RouterBench rb = router_bench(TRUE);
  Net *n = rb.net;
  ck_assert(ns_ipnode_add_route(rb.r, PFX(0, 0, 0, 0, 0), rb.a->ip, 0));
  ck_assert(ns_ipnode_add_route(rb.r, PFX(172, 16, 0, 0, 16), rb.b->ip, 0));
  ck_assert(ns_ipnode_add_route(rb.r, PFX(172, 16, 5, 0, 24), rb.a->ip, 0));
  inject(n, rb.e1,
         mk_echo(n, rb.e1->nic.mac, rb.b->nic.mac, rb.b->ip,
                 NS_IP4(172, 16, 5, 9), 64, 1, 1));
  gint f = ev_find(n, 0, "r1", "route/forward");
  ck_assert_int_ge(f, 0);
  const char *why = ev_at(n, f)->why;
  ck_assert_ptr_nonnull(strstr(
      why, "172.16.5.9 matches 172.16.5.0/24 (static via 10.0.1.10, eth0)"));
  ck_assert_ptr_nonnull(
      strstr(why, "longest prefix beats 172.16.0.0/16, 0.0.0.0/0"));
  /* Out of eth0 to A, the next hop. */
  NsFrame *out = probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(out);
  ck_assert(ns_mac_equal(ns_eth_dst(out->data), rb.a->nic.mac));
  net_free(n);
}
END_TEST

Suite *test_ipnode_route_suite(void) {
  Suite *s = suite_create("ipnode_route");
  TCase *tc = test_tcase("routing");
  tcase_add_test(tc, test_iface_lookup_api);
  tcase_add_test(tc, test_source_for_and_send_from);
  tcase_add_test(tc, test_host_on_link_vs_gateway_explained);
  tcase_add_test(tc, test_host_via_gateway_uses_gateway_mac);
  tcase_add_test(tc, test_host_no_route_net_unreachable);
  tcase_add_test(tc, test_cast_explained_without_route);
  tcase_add_test(tc, test_router_explains_longest_prefix);
  suite_add_tcase(s, tc);
  return s;
}

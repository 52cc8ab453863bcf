/* test_ipnode_addr.c — interface addresses set and cleared at run time
 * (routes and ARP entries follow) and sending with a stated source and a
 * stated next-hop MAC, as DHCP will. */
#include <string.h>

#include "ipnode_harness.h"

/* "10.0.0.0/24 c0 | 0.0.0.0/0 d0 via 10.0.0.254": kind letter and
 * interface index of every route, in table order. */
static char *routes_of(NsIpNode *node) {
  GString *s = g_string_new(NULL);
  NsRouteTable *t = ns_ipnode_routes(node);
  for (guint i = 0; i < ns_route_count(t); i++) {
    const NsRoute *r = ns_route_nth(t, i);
    char p[NS_PREFIX_STRLEN], gw[NS_IP4_STRLEN];
    g_string_append_printf(s, "%s%s %c%u", i ? " | " : "",
                           ns_prefix_format(r->prefix, p),
                           ns_route_kind_name(r->kind)[0], r->iface);
    if (!ns_ip4_is_zero(r->gateway))
      g_string_append_printf(s, " via %s", ns_ip4_format(r->gateway, gw));
  }
  return g_string_free(s, FALSE);
}

#define ASSERT_ROUTES(node, want) ASSERT_STR_TAKEN(routes_of(node), want)

/* h1 eth0 10.0.0.1/24 to probe P, eth1 172.16.0.1/16 (unattached), a
 * default route via 10.0.0.254 and a route to 10.9.0.0/16 via 172.16.0.9;
 * an ARP entry for P and one still resolving 10.0.0.50 (a datagram
 * waiting). */
static HostBench addr_bench(NsIpIface **eth1) {
  HostBench hb = host_bench(FALSE, TRUE);
  *eth1 = ns_ipnode_add_iface(hb.h, "eth1", PFX(172, 16, 0, 1, 16),
                              ns_mac_local(0x21));
  ck_assert(
      ns_ipnode_add_route(hb.h, PFX(0, 0, 0, 0, 0), NS_IP4(10, 0, 0, 254), 0));
  ck_assert(ns_ipnode_add_route(hb.h, PFX(10, 9, 0, 0, 16),
                                NS_IP4(172, 16, 0, 9), 0));
  ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(hb.net), NULL);
  run_for(hb.net, 10 * NS_MSEC);
  ns_ipnode_send(hb.h, NS_IP4(10, 0, 0, 50), 253, 64, NULL, 0, now_of(hb.net),
                 NULL);
  run_for(hb.net, 10 * NS_MSEC); /* its first request reaches P */
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), 2);
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 2);
  ASSERT_ROUTES(hb.h, "10.0.0.0/24 c0 | 172.16.0.0/16 c1 | 10.9.0.0/16 s1 "
                      "via 172.16.0.9 | 0.0.0.0/0 d0 via 10.0.0.254");
  return hb;
}

/* An interface's broadcasts, for every prefix length: 255.255.255.255
 * always, and the subnet's directed broadcast below /31 (ipnode.c
 * computes it with a shift of its own when the address is set), also
 * after the address changes. */
START_TEST(test_broadcast_for_every_length) {
  HostBench hb = host_bench(FALSE, TRUE);
  for (guint len = 0; len <= 32; len++) {
    char name[16];
    g_snprintf(name, sizeof name, "e%u", len);
    NsPrefix addr = {NS_IP4(10, 200, 3, 9), (guint8)len};
    NsIpIface *iface =
        ns_ipnode_add_iface(hb.h, name, addr, ns_mac_local(100 + len));
    NsIp4 directed = ns_prefix_broadcast(addr);
    ck_assert(ns_ipnode_is_broadcast_for(iface, NS_IP4(255, 255, 255, 255)));
    ck_assert(ns_ipnode_is_broadcast_for(iface, directed) == (len < 31));
    ck_assert(!ns_ipnode_is_broadcast_for(iface, addr.addr));
    ck_assert(!ns_ipnode_is_broadcast_for(iface, (NsIp4){directed.v - 1}));
  }
  /* A new address, a new broadcast: 10.0.0.1/24 becomes 10.0.0.1/28. */
  ck_assert(ns_ipnode_is_broadcast_for(hb.i0, NS_IP4(10, 0, 0, 255)));
  ck_assert(ns_ipnode_set_iface_addr(hb.h, hb.i0, PFX(10, 0, 0, 1, 28),
                                     now_of(hb.net), NULL));
  ck_assert(!ns_ipnode_is_broadcast_for(hb.i0, NS_IP4(10, 0, 0, 255)));
  ck_assert(ns_ipnode_is_broadcast_for(hb.i0, NS_IP4(10, 0, 0, 15)));
  ns_ipnode_clear_iface_addr(hb.h, hb.i0, now_of(hb.net));
  ck_assert(!ns_ipnode_is_broadcast_for(hb.i0, NS_IP4(10, 0, 0, 15)));
  net_free(hb.net);
}
END_TEST

START_TEST(test_same_subnet_keeps_routes_and_neighbours) {
  NsIpIface *eth1;
  HostBench hb = addr_bench(&eth1);
  GError *err = NULL;
  ck_assert(ns_ipnode_set_iface_addr(hb.h, hb.i0, PFX(10, 0, 0, 7, 24),
                                     now_of(hb.net), &err));
  ck_assert_uint_eq(hb.i0->addr.addr.v, NS_IP4(10, 0, 0, 7).v);
  ASSERT_ROUTES(hb.h, "10.0.0.0/24 c0 | 172.16.0.0/16 c1 | 10.9.0.0/16 s1 "
                      "via 172.16.0.9 | 0.0.0.0/0 d0 via 10.0.0.254");
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 2);
  ck_assert_ptr_eq(ns_ipnode_iface_by_addr(hb.h, NS_IP4(10, 0, 0, 7)), hb.i0);
  ck_assert_ptr_null(ns_ipnode_iface_by_addr(hb.h, NS_IP4(10, 0, 0, 1)));
  ck_assert_str_eq(ev_last(hb.net, NULL, "ip/address")->summary,
                   "eth0 10.0.0.1/24 -> 10.0.0.7/24: 0 route(s), 0 ARP "
                   "entries removed");
  /* The new address answers ARP, the old one no longer does. */
  guint before = probe_count_type(hb.p, NS_ETHERTYPE_ARP);
  inject(hb.net, hb.i0, mk_arp_who_has(hb.net, hb.p, NS_IP4(10, 0, 0, 1)));
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), before);
  inject(hb.net, hb.i0, mk_arp_who_has(hb.net, hb.p, NS_IP4(10, 0, 0, 7)));
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), before + 1);
  /* Setting what it has is no change. */
  guint events = ev_count(hb.net, NULL, "ip/address");
  ck_assert(ns_ipnode_set_iface_addr(hb.h, hb.i0, PFX(10, 0, 0, 7, 24),
                                     now_of(hb.net), NULL));
  ck_assert_uint_eq(ev_count(hb.net, NULL, "ip/address"), events);
  net_free(hb.net);
}
END_TEST

START_TEST(test_new_subnet_moves_routes_and_forgets_neighbours) {
  NsIpIface *eth1;
  HostBench hb = addr_bench(&eth1);
  guint64 failed = ns_ipnode_counters(hb.h).arp_failed;
  ck_assert(ns_ipnode_set_iface_addr(hb.h, hb.i0, PFX(192, 168, 5, 1, 24),
                                     now_of(hb.net), NULL));
  /* The connected route moved; the default route's gateway is off-link
   * now; eth1's routes are untouched. */
  ASSERT_ROUTES(hb.h, "192.168.5.0/24 c0 | 172.16.0.0/16 c1 | 10.9.0.0/16 s1 "
                      "via 172.16.0.9");
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_failed,
                    failed + 1); /* the waiting datagram */
  ck_assert_str_eq(ev_last(hb.net, NULL, "ip/address")->summary,
                   "eth0 10.0.0.1/24 -> 192.168.5.1/24: 2 route(s), 2 ARP "
                   "entries removed");
  /* Nothing is left for 10.0.0.x: no route, no ARP request. */
  guint arp = probe_count_type(hb.p, NS_ETHERTYPE_ARP);
  ck_assert(
      !ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(hb.net), NULL));
  run_for(hb.net, 5 * NS_SEC); /* and the old resolution never retries */
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), arp);
  /* A static route via the new subnet can be added. */
  ck_assert(ns_ipnode_add_route(hb.h, PFX(0, 0, 0, 0, 0),
                                NS_IP4(192, 168, 5, 254), 0));
  net_free(hb.net);
}
END_TEST

START_TEST(test_clear_and_set_again) {
  NsIpIface *eth1;
  HostBench hb = addr_bench(&eth1);
  ns_ipnode_clear_iface_addr(hb.h, hb.i0, now_of(hb.net));
  ck_assert(!ns_ipnode_iface_has_addr(hb.i0));
  ck_assert_uint_eq(hb.i0->addr.len, 0);
  ASSERT_ROUTES(hb.h, "172.16.0.0/16 c1 | 10.9.0.0/16 s1 via 172.16.0.9");
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  ck_assert_str_eq(ev_last(hb.net, NULL, "ip/address")->summary,
                   "eth0 10.0.0.1/24 -> none: 2 route(s), 2 ARP entries "
                   "removed");
  /* 0.0.0.0 is nobody's address: an ARP request for it is not answered,
   * and the interface does not claim it. */
  ck_assert_ptr_null(ns_ipnode_iface_by_addr(hb.h, NS_IP4(0, 0, 0, 0)));
  guint arp = probe_count_type(hb.p, NS_ETHERTYPE_ARP);
  inject(hb.net, hb.i0, mk_arp_who_has(hb.net, hb.p, NS_IP4(0, 0, 0, 0)));
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), arp);
  /* Broadcasts still come in (a DHCP offer would). */
  guint64 delivered = ns_ipnode_counters(hb.h).delivered;
  inject(hb.net, hb.i0,
         mk_echo(hb.net, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(255, 255, 255, 255), 64, 1, 1));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).delivered, delivered + 1);
  /* Clearing twice changes nothing; setting again brings the route. */
  ns_ipnode_clear_iface_addr(hb.h, hb.i0, now_of(hb.net));
  ck_assert(ns_ipnode_set_iface_addr(hb.h, hb.i0, PFX(10, 0, 0, 1, 24),
                                     now_of(hb.net), NULL));
  ASSERT_ROUTES(hb.h, "10.0.0.0/24 c0 | 172.16.0.0/16 c1 | 10.9.0.0/16 s1 "
                      "via 172.16.0.9");
  ck_assert(
      ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(hb.net), NULL));
  run_for(hb.net, NS_SEC);
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 1);
  net_free(hb.net);
}
END_TEST

START_TEST(test_refused_addresses) {
  NsIpIface *eth1;
  HostBench hb = addr_bench(&eth1);
  const NsPrefix bad[] = {
      PFX(224, 0, 0, 5, 24), PFX(255, 255, 255, 255, 32),
      PFX(127, 0, 0, 1, 8),  PFX(172, 16, 0, 1, 24), /* eth1's */
      PFX(10, 0, 0, 1, 33),
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    GError *err = NULL;
    ck_assert(
        !ns_ipnode_set_iface_addr(hb.h, hb.i0, bad[i], now_of(hb.net), &err));
    ck_assert(err != NULL && g_str_has_prefix(err->message, "h1 eth0: "));
    g_error_free(err);
    ck_assert_uint_eq(hb.i0->addr.addr.v, NS_IP4(10, 0, 0, 1).v);
  }
  ck_assert_uint_eq(ev_count(hb.net, NULL, "ip/address"), 0);
  net_free(hb.net);
}
END_TEST

/* ---- a stated source and next hop ---------------------------------------- */

START_TEST(test_given_source_and_mac_without_address) {
  /* A DHCP client's discover: from 0.0.0.0 on an interface with no
   * address, to 255.255.255.255 at the broadcast MAC. */
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  ns_ipnode_clear_iface_addr(hb.h, hb.i0, now_of(n));
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_UDP, 64);
  o.src_select = NS_IP_SRC_GIVEN;
  o.src = NS_IP4(0, 0, 0, 0);
  o.via = NS_IP_VIA_MAC;
  o.iface = hb.i0;
  o.mac = ns_mac_broadcast;
  guint8 data[12] = {0, 68, 0, 67, 0, 12, 0, 0, 'd', 'i', 's', 'c'};
  ck_assert(ns_ipnode_send_with(hb.h, NS_IP4(255, 255, 255, 255), &o, data,
                                sizeof data, now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  NsFrame *f = probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert(ns_mac_is_broadcast(ns_eth_dst(f->data)));
  ck_assert(ns_mac_equal(ns_eth_src(f->data), hb.i0->nic.mac));
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.src.v, 0);
  ck_assert_uint_eq(ip.dst.v, 0xFFFFFFFFu);
  ck_assert_uint_eq(ip.proto, NS_IPPROTO_UDP);
  ck_assert_mem_eq(f->data + NS_ETH_HLEN + NS_IPV4_HLEN, data, sizeof data);
  ck_assert(
      strstr(ev_last(n, NULL, "ip/send")->why, "no route lookup, no ARP"));
  net_free(n);
}
END_TEST

START_TEST(test_given_mac_skips_arp_and_route) {
  /* A DHCP server's offer: to the address it is offering (nobody has it
   * yet, no ARP could find it), at the client's MAC. */
  HostBench hb = host_bench(FALSE, FALSE);
  Net *n = hb.net;
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_UDP, 64);
  o.via = NS_IP_VIA_MAC;
  o.iface = hb.i0;
  o.mac = hb.p->nic.mac;
  NsIp4 offered = NS_IP4(10, 0, 0, 42);
  guint64 id = 0;
  ck_assert(ns_ipnode_send_with(hb.h, offered, &o, NULL, 0, now_of(n), &id));
  /* Off-link too: no route is needed. */
  ck_assert(ns_ipnode_send_with(hb.h, NS_IP4(198, 51, 100, 1), &o, NULL, 0,
                                now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), 0);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 2);
  NsFrame *f = probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 0);
  ck_assert_uint_eq(f->id, id);
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), hb.p->nic.mac));
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.src.v, hb.i0->addr.addr.v); /* from the interface */
  ck_assert_uint_eq(ip.dst.v, offered.v);
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  /* Even our own address goes out to the wire, not to the loopback. */
  ck_assert(ns_ipnode_send_with(hb.h, hb.i0->addr.addr, &o, NULL, 0, now_of(n),
                                NULL));
  run_for(n, 10 * NS_MSEC);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 3);
  net_free(n);
}
END_TEST

START_TEST(test_transmit_raw_frame) {
  /* A bridge's frame: any EtherType, our MAC put on as the source. */
  HostBench hb = host_bench(FALSE, FALSE);
  NsFrame *f = ns_ctx_frame_new(&hb.net->ctx, 100);
  NsEthHdr eth = {ns_mac_zero, ns_mac_zero, 0x88cc};
  ns_eth_emit(f->data, &eth);
  f->data[50] = 0x5a;
  ns_ipnode_transmit(hb.i0, f, hb.p->nic.mac, now_of(hb.net));
  run_for(hb.net, 10 * NS_MSEC);
  ck_assert_uint_eq(probe_n(hb.p), 1);
  NsFrame *g = probe_frame(hb.p, 0);
  ck_assert_uint_eq(g->len, 100);
  ck_assert_uint_eq(ns_eth_type(g->data), 0x88cc);
  ck_assert(ns_mac_equal(ns_eth_dst(g->data), hb.p->nic.mac));
  ck_assert(ns_mac_equal(ns_eth_src(g->data), hb.i0->nic.mac));
  ck_assert_uint_eq(g->data[50], 0x5a);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_tx, 0);
  net_free(hb.net);
}
END_TEST

Suite *test_ipnode_addr_suite(void) {
  Suite *s = suite_create("ipnode_addr");
  TCase *tc = test_tcase("address");
  tcase_add_test(tc, test_same_subnet_keeps_routes_and_neighbours);
  tcase_add_test(tc, test_new_subnet_moves_routes_and_forgets_neighbours);
  tcase_add_test(tc, test_clear_and_set_again);
  tcase_add_test(tc, test_refused_addresses);
  tcase_add_test(tc, test_broadcast_for_every_length);
  suite_add_tcase(s, tc);
  tc = test_tcase("send");
  tcase_add_test(tc, test_given_source_and_mac_without_address);
  tcase_add_test(tc, test_given_mac_skips_arp_and_route);
  tcase_add_test(tc, test_transmit_raw_frame);
  suite_add_tcase(s, tc);
  return s;
}

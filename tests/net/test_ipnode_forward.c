/* test_ipnode_forward.c — a router forwarding (TTL, checksum and MAC
 * rewrite, copy only when shared), its ICMP errors (time exceeded, net
 * unreachable, never about errors) and the broadcasts it must not pass on;
 * multicast group membership on hosts and routers. */
#include <string.h>

#include "ipnode_harness.h"

START_TEST(test_router_forwards_ttl_checksum_macs) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  NsFrame *in = echo_from_a(&rb, rb.b->ip, 17);
  guint8 orig[NS_FRAME_MAX];
  gsize orig_len = in->len;
  memcpy(orig, in->data, in->len);
  inject(n, rb.e0, in);

  NsFrame *f = probe_nth_type(rb.b, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(f->len, orig_len);
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), rb.b->nic.mac));
  ck_assert(ns_mac_equal(ns_eth_src(f->data), rb.e1->nic.mac));
  NsIpv4Hdr ip, oip;
  const char *err = NULL;
  ck_assert_msg(
      ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &ip, &err),
      "%s", err);
  ck_assert(
      ns_ipv4_parse(orig + NS_ETH_HLEN, orig_len - NS_ETH_HLEN, &oip, NULL));
  ck_assert_uint_eq(ip.ttl, 16);
  ck_assert_uint_ne(ip.csum, oip.csum);
  ck_assert_uint_eq(ip.src.v, rb.a->ip.v);
  ck_assert_uint_eq(ip.dst.v, rb.b->ip.v);
  ck_assert_uint_eq(ip.id, oip.id);
  /* Everything but TTL and checksum unchanged. */
  ck_assert_mem_eq(f->data + NS_ETH_HLEN, orig + NS_ETH_HLEN, 8);
  ck_assert_mem_eq(f->data + NS_ETH_HLEN + 9, orig + NS_ETH_HLEN + 9, 1);
  ck_assert_mem_eq(f->data + NS_ETH_HLEN + 12, orig + NS_ETH_HLEN + 12,
                   orig_len - NS_ETH_HLEN - 12);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ip_rx, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).delivered, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).arp_requests, 1);
  /* The reply path works too, now that both sides are known. */
  inject(
      n, rb.e1,
      mk_echo(n, rb.e1->nic.mac, rb.b->nic.mac, rb.b->ip, rb.a->ip, 255, 9, 9));
  f = probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.ttl, 254);
  ck_assert(ns_mac_equal(ns_eth_src(f->data), rb.e0->nic.mac));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 2);
  net_free(n);
}
END_TEST

START_TEST(test_router_copies_only_shared_frames) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  /* Warm B's ARP entry so later frames go straight out. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 1);

  guint64 copies = ns_frame_copy_count();
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ck_assert_uint_eq(ns_frame_copy_count(), copies); /* sole owner: in place */
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 2);

  NsFrame *shared = echo_from_a(&rb, rb.b->ip, 64);
  ns_frame_ref(shared); /* somebody else (a flood, a tap) still holds it */
  inject(n, rb.e0, shared);
  ck_assert_uint_eq(ns_frame_copy_count(), copies + 1);
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 3);
  /* Our view of the frame was not touched. */
  ck_assert_uint_eq(shared->refs, 1);
  ck_assert_uint_eq(shared->data[NS_ETH_HLEN + NS_IPV4_OFF_TTL], 64);
  ck_assert(ns_mac_equal(ns_eth_dst(shared->data), rb.e0->nic.mac));
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(shared, &ip));
  NsFrame *out = probe_nth_type(rb.b, NS_ETHERTYPE_IPV4, 2);
  ck_assert_ptr_ne(out, shared);
  ck_assert_uint_eq(out->data[NS_ETH_HLEN + NS_IPV4_OFF_TTL], 63);
  ns_frame_unref(shared);
  net_free(n);
}
END_TEST

START_TEST(test_router_ttl1_time_exceeded) {
  RouterBench rb = router_bench(TRUE);
  Net *n = rb.net;
  NsFrame *in = echo_from_a(&rb, rb.b->ip, 1);
  guint8 orig[64];
  gsize orig_len = ns_ipv4_total_len(in->data + NS_ETH_HLEN);
  ck_assert_uint_le(orig_len, sizeof orig);
  memcpy(orig, in->data + NS_ETH_HLEN, orig_len);
  inject(n, rb.e0, in);

  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 0);
  ck_assert_uint_eq(probe_n(rb.b), 0); /* not even an ARP */
  NsIpv4Hdr ip;
  NsIcmp icmp;
  ck_assert_uint_eq(probe_count_type(rb.a, NS_ETHERTYPE_IPV4), 1);
  NsFrame *f = probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0);
  parse_icmp_frame(f, &ip, &icmp);
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), rb.a->nic.mac));
  ck_assert(ns_mac_equal(ns_eth_src(f->data), rb.e0->nic.mac));
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ip.dst.v, rb.a->ip.v);
  ck_assert_uint_eq(icmp.type, NS_ICMP_TIME_EXCEEDED);
  ck_assert_uint_eq(icmp.code, NS_ICMP_TTL_EXCEEDED);
  /* As Linux's icmp_send(): precedence "internetwork control", no DF. */
  ck_assert_uint_eq(ip.tos, 0xC0);
  ck_assert_uint_eq(ip.frag, 0);
  /* It quotes the original datagram (as received, TTL 1), whole: it is
   * short of the 548 bytes an error may quote (RFC 1812). */
  ck_assert_uint_eq(icmp.data_len, orig_len);
  ck_assert_mem_eq(icmp.data, orig, orig_len);
  NsIpv4Hdr q;
  const guint8 *qp;
  gsize qlen;
  ck_assert(ns_icmp_quoted(&icmp, &q, &qp, &qlen));
  ck_assert_uint_eq(q.ttl, 1);
  ck_assert_uint_eq(q.src.v, rb.a->ip.v);
  ck_assert_uint_eq(q.dst.v, rb.b->ip.v);
  ck_assert_uint_eq(qlen, orig_len - 20);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).icmp_tx, 1);
  ck_assert_uint_eq(ev_count(n, "r1", "route/ttl-exceeded"), 1);

  /* TTL 0 on arrival is dropped the same way; TTL 2 goes through as 1. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 0));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 2);
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 2));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 1);
  f = probe_nth_type(rb.b, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(f->data[NS_ETH_HLEN + NS_IPV4_OFF_TTL], 1);
  net_free(n);
}
END_TEST

START_TEST(test_router_ttl1_to_itself_is_delivered) {
  /* TTL only matters for forwarding: a ping to the router with TTL 1 is
   * answered. */
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(10, 0, 2, 1), 1));
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_ECHO_REPLY);
  ck_assert_uint_eq(icmp.id, 0x77);
  ck_assert_uint_eq(icmp.seq, 1);
  ck_assert_uint_eq(icmp.data_len, 16);
  ck_assert_uint_eq(icmp.data[0], 0xa0);
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 2, 1).v);
  ck_assert_uint_eq(ip.dst.v, rb.a->ip.v);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).echo_replied, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 0);
  net_free(n);
}
END_TEST

START_TEST(test_router_no_route_net_unreachable) {
  RouterBench rb = router_bench(TRUE);
  Net *n = rb.net;
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(192, 168, 9, 9), 64));
  NsIpv4Hdr ip;
  NsIcmp icmp;
  ck_assert_uint_eq(probe_count_type(rb.a, NS_ETHERTYPE_IPV4), 1);
  parse_icmp_frame(probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(icmp.code, NS_ICMP_NET_UNREACH);
  ck_assert_uint_eq(ip.dst.v, rb.a->ip.v);
  NsIpv4Hdr q;
  guint16 id, seq;
  ck_assert(ns_icmp_quoted_echo(&icmp, &q, &id, &seq));
  ck_assert_uint_eq(q.dst.v, NS_IP4(192, 168, 9, 9).v);
  ck_assert_uint_eq(id, 0x77);
  ck_assert_uint_eq(seq, 1);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_route, 1);
  gint r = ev_find(n, 0, "r1", "route/no-route");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "no default route"));
  net_free(n);
}
END_TEST

START_TEST(test_router_never_errors_about_errors) {
  /* RFC 1122 3.2.2: no ICMP error about an ICMP error, a broadcast, or a
   * datagram from 0.0.0.0 (which is dropped as a martian first). */
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  guint8 err[NS_ICMP_HLEN + 28];
  NsFrame *quoted = echo_from_a(&rb, rb.b->ip, 1);
  NsIcmp m = {NS_ICMP_TIME_EXCEEDED,      0, 0, 0, 0,
              quoted->data + NS_ETH_HLEN, 28};
  gsize len = ns_icmp_emit(err, &m);
  ns_frame_unref(quoted);
  /* An ICMP error with TTL 1, and one with no route. */
  inject(n, rb.e0,
         mk_ipv4(n, rb.e0->nic.mac, rb.a->nic.mac, rb.a->ip, rb.b->ip, 1,
                 NS_IPPROTO_ICMP, err, len));
  inject(n, rb.e0,
         mk_ipv4(n, rb.e0->nic.mac, rb.a->nic.mac, rb.a->ip,
                 NS_IP4(192, 168, 9, 9), 64, NS_IPPROTO_ICMP, err, len));
  /* An echo from 0.0.0.0 without a route: a martian source, dropped
   * before routing. */
  inject(n, rb.e0,
         mk_echo(n, rb.e0->nic.mac, rb.a->nic.mac, NS_IP4(0, 0, 0, 0),
                 NS_IP4(192, 168, 9, 9), 64, 1, 1));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_route, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).martian, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).icmp_tx, 0);
  ck_assert_uint_eq(probe_n(rb.a), 0);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  net_free(n);
}
END_TEST

START_TEST(test_router_answers_ping_on_any_address) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(10, 0, 1, 1), 64));
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(10, 0, 2, 1), 64));
  ck_assert_uint_eq(probe_count_type(rb.a, NS_ETHERTYPE_IPV4), 2);
  ck_assert_uint_eq(probe_n(rb.b), 0); /* nothing leaked to the other side */
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).echo_replied, 2);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).delivered, 2);
  net_free(n);
}
END_TEST

START_TEST(test_router_never_forwards_broadcast) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  /* Directed broadcast of the far subnet, sent to the router's MAC. */
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(10, 0, 2, 255), 64));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 1);
  /* A multicast group, on its group MAC (RFC 1112). */
  NsFrame *mc = mk_echo(n, rb.e0->nic.mac, rb.a->nic.mac, rb.a->ip,
                        NS_IP4(224, 0, 0, 5), 64, 1, 1);
  NsMac group = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x05}};
  ns_eth_set_dst(mc->data, group);
  inject(n, rb.e0, mc);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 2);
  /* Limited and directed broadcast of the ingress subnet: for the router
   * itself, never passed on. */
  NsFrame *lb = mk_echo(n, ns_mac_broadcast, rb.a->nic.mac, rb.a->ip,
                        NS_IP4(255, 255, 255, 255), 64, 1, 1);
  inject(n, rb.e0, lb);
  inject(n, rb.e0,
         mk_echo(n, ns_mac_broadcast, rb.a->nic.mac, rb.a->ip,
                 NS_IP4(10, 0, 1, 255), 64, 1, 2));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_route, 0);
  ck_assert_uint_eq(ev_count(n, "r1", "route/no-broadcast"), 2);
  net_free(n);
}
END_TEST

START_TEST(test_router_drops_link_broadcast_unicast_ip) {
  /* RFC 1812 5.3.4: a router must not forward a datagram that arrived as a
   * link-layer broadcast (unless to a multicast group): a router ends the
   * broadcast domain, whatever the IP destination says. */
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  inject(n, rb.e0,
         mk_echo(n, ns_mac_broadcast, rb.a->nic.mac, rb.a->ip, rb.b->ip, 64, 1,
                 1));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 1);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  ck_assert_uint_eq(probe_n(rb.a), 0); /* and no ICMP error about it */
  net_free(n);
}
END_TEST

START_TEST(test_broadcast_ping_answered_on_lan_only) {
  /* h1, h2, h3 and r1's eth0 share sw1; r1's eth1 leads to probe B. */
  Net *n = net_new(FALSE);
  NsSwitch *sw = add_switch(n, "sw1");
  NsIpNode *h[3];
  NsIpIface *hi[3];
  for (guint i = 0; i < 3; i++) {
    char name[8];
    g_snprintf(name, sizeof name, "h%u", i + 1);
    h[i] = add_node(n, name, FALSE);
    hi[i] = ns_ipnode_add_iface(h[i], "eth0", PFX(10, 0, 1, 10 + i, 24),
                                ns_mac_local(i + 1));
    connect_nics(n, &hi[i]->nic, ns_switch_add_port(sw), &quick_link);
    ns_ipnode_set_answer_broadcast_ping(h[i], TRUE);
  }
  NsIpNode *r = add_node(n, "r1", TRUE);
  ns_ipnode_set_answer_broadcast_ping(r, TRUE);
  NsIpIface *r0 =
      ns_ipnode_add_iface(r, "eth0", PFX(10, 0, 1, 1, 24), ns_mac_local(0x11));
  NsIpIface *r1 =
      ns_ipnode_add_iface(r, "eth1", PFX(10, 0, 2, 1, 24), ns_mac_local(0x12));
  connect_nics(n, &r0->nic, ns_switch_add_port(sw), &quick_link);
  Probe *b = add_probe(n, &r1->nic, "B", ns_mac_local(0x0b),
                       NS_IP4(10, 0, 2, 20), TRUE);

  /* Two requests, so the duplicates of the first are still heard. */
  NsPing *p1 = start_ping(n, h[0], NS_IP4(255, 255, 255, 255), 2, NS_SEC);
  run_for(n, 3 * NS_SEC);
  /* seq 1 was answered by h2, h3 and r1 (each from its own address):
   * one reply and two duplicates. */
  ck_assert_uint_eq(out_count(n, "icmp_seq=1 ttl=64 time="), 3);
  ck_assert_uint_eq(out_count(n, "(DUP!)"), 2);
  ck_assert_uint_eq(out_count(n, "64 bytes from 10.0.1.1: icmp_seq=1"), 1);
  ck_assert_uint_eq(out_count(n, "2 packets transmitted, 2 received, "
                                 "+2 duplicates, 0% packet loss"),
                    1);
  NsPing *p2 = start_ping(n, h[0], NS_IP4(10, 0, 1, 255), 1, NS_SEC);
  run_for(n, 3 * NS_SEC);

  for (guint k = 0; k < 2; k++) {
    const NsPingStats *st = ns_ping_stats(k == 0 ? p1 : p2);
    ck_assert(st->done);
    ck_assert_uint_eq(st->transmitted, 2 - k);
    ck_assert_uint_eq(st->received, 2 - k); /* duplicates are not counted */
  }
  ck_assert_uint_eq(ns_ipnode_counters(h[1]).echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h[2]).echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h[0]).echo_replied, 0);
  ck_assert_uint_eq(ns_ipnode_counters(r).forwarded, 0);
  ck_assert_uint_eq(probe_n(b), 0);
  net_free(n);
}
END_TEST

static NsFrame *mk_group_echo(Net *n, const Probe *p, NsIp4 group,
                              guint16 seq) {
  /* The group MAC of RFC 1112: 01:00:5e and the low 23 bits. */
  NsMac mac = {{0x01, 0x00, 0x5e, (guint8)((group.v >> 16) & 0x7f),
                (guint8)(group.v >> 8), (guint8)group.v}};
  return mk_echo(n, mac, p->nic.mac, p->ip, group, 1, 0x42, seq);
}

START_TEST(test_membership_counted_in_join_order) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpNode *r = add_node(n, "r1", TRUE);
  NsIp4 all = NS_IP4(224, 0, 0, 1), g1 = NS_IP4(239, 1, 1, 1),
        g2 = NS_IP4(239, 2, 2, 2);
  /* A host is in the all-hosts group from the start; a router is not. */
  ck_assert(ns_ipnode_is_member(h, all));
  ck_assert_uint_eq(ns_ipnode_n_groups(h), 1);
  ck_assert_uint_eq(ns_ipnode_group(h, 0).v, all.v);
  ck_assert(!ns_ipnode_is_member(r, all));
  ck_assert_uint_eq(ns_ipnode_n_groups(r), 0);

  ns_ipnode_join(h, g2);
  ns_ipnode_join(h, g1);
  ns_ipnode_join(h, g2);
  ck_assert_uint_eq(ns_ipnode_n_groups(h), 3);
  ck_assert_uint_eq(ns_ipnode_group(h, 1).v, g2.v);
  ck_assert_uint_eq(ns_ipnode_group(h, 2).v, g1.v);
  /* Two joins of g2: one leave keeps it. */
  ns_ipnode_leave(h, g2);
  ck_assert(ns_ipnode_is_member(h, g2));
  ns_ipnode_leave(h, g2);
  ck_assert(!ns_ipnode_is_member(h, g2));
  ck_assert_uint_eq(ns_ipnode_n_groups(h), 2);
  ck_assert_uint_eq(ns_ipnode_group(h, 1).v, g1.v);
  ns_ipnode_join(r, g1);
  ck_assert(ns_ipnode_is_member(r, g1));
  net_free(n);
}
END_TEST

/* By default, as Linux (icmp_echo_ignore_broadcasts = 1): an echo
 * request to a group, the limited or the subnet broadcast is delivered but
 * not answered; a unicast one is. */
START_TEST(test_broadcast_ping_ignored_by_default) {
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  inject(n, hb.i0, mk_group_echo(n, hb.p, NS_IP4(224, 0, 0, 1), 1));
  inject(n, hb.i0,
         mk_echo(n, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(255, 255, 255, 255), 64, 1, 2));
  inject(n, hb.i0,
         mk_echo(n, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(10, 0, 0, 255), 64, 1, 3));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_ignored, 3);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_replied, 0);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 0);
  gint e = ev_find(n, 0, "h1", "icmp/ignore");
  ck_assert_int_ge(e, 0);
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, e)->why, "icmp_echo_ignore_broadcasts"));
  inject(n, hb.i0,
         mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip, hb.i0->addr.addr,
                 64, 1, 4));
  run_for(n, 10 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_replied, 1);
  net_free(n);
}
END_TEST

START_TEST(test_host_takes_only_joined_groups) {
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  NsIp4 g = NS_IP4(239, 1, 1, 1);
  /* Not joined: the NIC takes the group MAC, IP drops the datagram. */
  inject(n, hb.i0, mk_group_echo(n, hb.p, g, 1));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_member, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_for_us, 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).delivered, 0);
  gint e = ev_find(n, 0, "h1", "ip/drop");
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->why,
                               "not a member of group 239.1.1.1: the NIC "
                               "passes the frame up, IP drops it"));
  /* Joined: delivered (the echo is answered, to the unicast sender, by a
   * node that answers pings to groups). */
  ns_ipnode_set_answer_broadcast_ping(hb.h, TRUE);
  ns_ipnode_join(hb.h, g);
  inject(n, hb.i0, mk_group_echo(n, hb.p, g, 2));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).delivered, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_replied, 1);
  /* All hosts, without asking. */
  inject(n, hb.i0, mk_group_echo(n, hb.p, NS_IP4(224, 0, 0, 1), 3));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).delivered, 2);
  /* Left: dropped again. */
  ns_ipnode_leave(hb.h, g);
  inject(n, hb.i0, mk_group_echo(n, hb.p, g, 4));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_member, 2);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).delivered, 2);
  net_free(n);
}
END_TEST

START_TEST(test_router_member_delivers_never_forwards) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  NsIp4 g = NS_IP4(239, 1, 1, 1);
  inject(n, rb.e0, mk_group_echo(n, rb.a, g, 1));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).not_member, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).delivered, 0);
  ns_ipnode_join(rb.r, g);
  inject(n, rb.e0, mk_group_echo(n, rb.a, g, 2));
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).delivered, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 1);
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 0);
  net_free(n);
}
END_TEST

Suite *test_ipnode_forward_suite(void) {
  Suite *s = suite_create("ipnode_forward");
  TCase *tc = test_tcase("forwarding");
  tcase_add_test(tc, test_router_forwards_ttl_checksum_macs);
  tcase_add_test(tc, test_router_copies_only_shared_frames);
  tcase_add_test(tc, test_router_ttl1_time_exceeded);
  tcase_add_test(tc, test_router_ttl1_to_itself_is_delivered);
  tcase_add_test(tc, test_router_no_route_net_unreachable);
  tcase_add_test(tc, test_router_never_errors_about_errors);
  tcase_add_test(tc, test_router_answers_ping_on_any_address);
  suite_add_tcase(s, tc);

  tc = test_tcase("broadcast");
  tcase_add_test(tc, test_router_never_forwards_broadcast);
  tcase_add_test(tc, test_router_drops_link_broadcast_unicast_ip);
  tcase_add_test(tc, test_broadcast_ping_answered_on_lan_only);
  tcase_add_test(tc, test_membership_counted_in_join_order);
  tcase_add_test(tc, test_broadcast_ping_ignored_by_default);
  tcase_add_test(tc, test_host_takes_only_joined_groups);
  tcase_add_test(tc, test_router_member_delivers_never_forwards);
  suite_add_tcase(s, tc);
  return s;
}

/* test_ping.c — the ping and traceroute applications (src/apps/ping.c)
 * over real IP nodes: replies, statistics and exact round-trip times,
 * timeouts, freeing while running, TTLs across routers, and traceroute's
 * hops, stars and !H. */
#include <string.h>

#include "net/ipnode_harness.h"

START_TEST(test_ping_two_hosts_on_switch) {
  Net *n = net_new(FALSE);
  NsSwitch *sw = add_switch(n, "sw1");
  NsIpNode *h1 = add_node(n, "h1", FALSE), *h2 = add_node(n, "h2", FALSE);
  NsIpIface *a = ns_ipnode_add_iface(h1, "eth0", PFX(192, 168, 1, 10, 24),
                                     ns_mac_local(1));
  NsIpIface *b = ns_ipnode_add_iface(h2, "eth0", PFX(192, 168, 1, 20, 24),
                                     ns_mac_local(2));
  connect_nics(n, &a->nic, ns_switch_add_port(sw), &ns_link_default_params);
  connect_nics(n, &b->nic, ns_switch_add_port(sw), &ns_link_default_params);

  NsPing *ping = start_ping(n, h1, b->addr.addr, 3, NS_SEC);
  run_for(n, 10 * NS_SEC);

  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 3);
  ck_assert_uint_eq(st->received, 3);
  ck_assert_uint_eq(st->errors, 0);
  ck_assert_uint_eq(n->done, 1);
  ck_assert_uint_eq(out_count(n, "64 bytes from 192.168.1.20: icmp_seq="), 3);
  ck_assert_uint_eq(
      out_count(n, "3 packets transmitted, 3 received, 0% packet loss"), 1);
  ck_assert_str_eq(out_line(n, 0),
                   "PING 192.168.1.20 (192.168.1.20) 56(84) bytes of data.");

  /* The story: ARP request from h1, reply from h2, then the echo. */
  gint rq = ev_find(n, 0, "h1", "arp/request");
  gint rp = ev_find(n, 0, "h2", "arp/reply");
  gint echo = ev_find(n, 0, "h2", "icmp/echo");
  ck_assert_int_ge(rq, 0);
  ck_assert_int_gt(rp, rq);
  ck_assert_int_gt(echo, rp);
  ck_assert_uint_eq(ev_count(n, "h2", "icmp/echo"), 3);
  ck_assert_uint_eq(ns_ipnode_counters(h1).arp_requests, 1);
  /* h2 learned h1 from the request and needed no ARP of its own. */
  ck_assert_uint_eq(ns_ipnode_counters(h2).arp_requests, 0);
  ck_assert_uint_eq(ns_ipnode_counters(h2).echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h1).icmp_rx, 3);

  const NsArpEntry *e = ns_arp_cache_find(a->arp, b->addr.addr, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert_int_eq(e->state, NS_ARP_REACHABLE);
  ck_assert(ns_mac_equal(e->mac, b->nic.mac));
  e = ns_arp_cache_find(b->arp, a->addr.addr, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert(ns_mac_equal(e->mac, a->nic.mac));
  net_free(n);
}
END_TEST

START_TEST(test_ping_stats_exact) {
  /* A direct link, 5 ms each way, no serialization.  Seq 1 waits for ARP
   * (request + reply = 10 ms) then the echo round trip (10 ms). */
  NsLinkParams lp = {
      .delay = 5 * NS_MSEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};
  PairBench pb = pair_bench(&lp);
  Net *n = pb.net;
  NsPing *ping = start_ping(n, pb.h1, pb.b->addr.addr, 3, NS_SEC);
  run_for(n, 10 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 3);
  ck_assert_uint_eq(st->received, 3);
  ck_assert_uint_eq(st->rtt_min, 10 * NS_MSEC);
  ck_assert_uint_eq(st->rtt_max, 20 * NS_MSEC);
  ck_assert_uint_eq(st->rtt_sum, 40 * NS_MSEC);
  ck_assert_str_eq(out_line(n, 1),
                   "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=20.000 ms");
  ck_assert_str_eq(out_line(n, 2),
                   "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=10.000 ms");
  ck_assert_str_eq(out_line(n, 3),
                   "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=10.000 ms");
  /* iputils prints an empty line before the statistics */
  ck_assert_str_eq(out_line(n, 4), "");
  ck_assert_str_eq(out_line(n, 5), "--- 10.0.0.2 ping statistics ---");
  ck_assert_str_eq(
      out_line(n, 6),
      "3 packets transmitted, 3 received, 0% packet loss, time 2000ms");
  /* mdev as iputils: sqrt(mean(rtt^2) - mean^2) in whole microseconds,
   * sqrt(200000000 - 13333^2) = 4714.99. */
  ck_assert_str_eq(out_line(n, 7),
                   "rtt min/avg/max/mdev = 10.000/13.333/20.000/4.714 ms");
  ck_assert_uint_eq(n->out->len, 8);
  /* Done when the last reply came: 2 s + 10 ms. */
  gint d = ev_find(n, 0, "h1", "ping/done");
  ck_assert_uint_eq(ev_at(n, d)->time, 2 * NS_SEC + 10 * NS_MSEC);
  net_free(n);
}
END_TEST

/* Data shorter than a struct timeval (16 bytes) carries no send time: as
 * iputils, the replies show no time= and the summary no rtt line; 16
 * bytes are timed again. */
START_TEST(test_ping_small_size_untimed) {
  NsLinkParams lp = {
      .delay = 5 * NS_MSEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};
  PairBench pb = pair_bench(&lp);
  Net *n = pb.net;
  NsPingOptions o = ns_ping_default_options;
  o.count = 2;
  o.size = 8;
  start_ping_with(n, pb.h1, pb.b->addr.addr, &o);
  run_for(n, 10 * NS_SEC);
  ck_assert_str_eq(out_line(n, 1), "16 bytes from 10.0.0.2: icmp_seq=1 ttl=64");
  ck_assert_str_eq(out_line(n, 2), "16 bytes from 10.0.0.2: icmp_seq=2 ttl=64");
  ck_assert_str_eq(out_line(n, 3), "");
  ck_assert_str_eq(out_line(n, 4), "--- 10.0.0.2 ping statistics ---");
  ck_assert_str_eq(
      out_line(n, 5),
      "2 packets transmitted, 2 received, 0% packet loss, time 1000ms");
  ck_assert_uint_eq(n->out->len, 6);
  o.count = 1;
  o.size = 16;
  start_ping_with(n, pb.h1, pb.b->addr.addr, &o);
  run_for(n, 10 * NS_SEC);
  ck_assert_str_eq(out_line(n, 7),
                   "24 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=10.000 ms");
  ck_assert_str_eq(out_line(n, 11),
                   "rtt min/avg/max/mdev = 10.000/10.000/10.000/0.000 ms");
  net_free(n);
}
END_TEST

START_TEST(test_ping_rtt_with_serialization) {
  /* 10 Mbit/s: a 98-byte echo frame takes 78.4 us to serialize, so a
   * warm round trip is 2 * (5 ms + 78.4 us). */
  NsLinkParams lp = {
      .delay = 5 * NS_MSEC, .rate_bps = 10000000, .loss = 0, .queue_limit = 64};
  PairBench pb = pair_bench(&lp);
  Net *n = pb.net;
  NsPing *ping = start_ping(n, pb.h1, pb.b->addr.addr, 2, NS_SEC);
  run_for(n, 10 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert_uint_eq(st->received, 2);
  ck_assert_uint_eq(st->rtt_min, 2 * (5 * NS_MSEC + 78400));
  /* Cold: ARP request and reply (60 bytes: 48 us each) first. */
  ck_assert_uint_eq(st->rtt_max,
                    2 * (5 * NS_MSEC + 48000) + 2 * (5 * NS_MSEC + 78400));
  net_free(n);
}
END_TEST

START_TEST(test_ping_timeout_counts_lost) {
  /* A neighbour that answers ARP but never echo. */
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  NsPing *ping = start_ping(n, hb.h, hb.p->ip, 2, NS_SEC);
  run_for(n, 10 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 2);
  ck_assert_uint_eq(st->received, 0);
  ck_assert_uint_eq(st->errors, 0);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 2);
  /* Linux's ping prints nothing for a lost request ("Request timeout"
   * lines are BSD's); the log has ping/timeout. */
  ck_assert_uint_eq(out_count(n, "Request timeout"), 0);
  ck_assert_uint_eq(ev_count(n, "h1", "ping/timeout"), 2);
  ck_assert_uint_eq(
      out_count(n, "2 packets transmitted, 0 received, 100% packet loss"), 1);
  ck_assert_uint_eq(out_count(n, "rtt"), 0);
  ck_assert_uint_eq(ev_at(n, ev_find(n, 0, "h1", "ping/done"))->time,
                    2 * NS_SEC);
  net_free(n);
}
END_TEST

/* Two of three requests lost: the loss as iputils prints it (%g). */
START_TEST(test_ping_partial_loss) {
  NsLinkParams lp = {
      .delay = 5 * NS_MSEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};
  PairBench pb = pair_bench(&lp);
  Net *n = pb.net;
  start_ping(n, pb.h1, pb.b->addr.addr, 3, NS_SEC);
  run_for(n, 500 * NS_MSEC);
  ns_link_set_up(g_ptr_array_index(n->links, 0), FALSE, now_of(n));
  run_for(n, 20 * NS_SEC);
  ck_assert_uint_eq(
      out_count(n, "3 packets transmitted, 1 received, 66.6667% packet loss, "
                   "time 2000ms"),
      1);
  ck_assert_uint_eq(out_count(n, "rtt min/avg/max/mdev = 20.000/20.000/"
                                 "20.000/0.000 ms"),
                    1);
  net_free(n);
}
END_TEST

/* No route: iputils fails on connect() before sending or printing. */
START_TEST(test_ping_no_route) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  NsPing *ping = start_ping(n, hb.h, NS_IP4(172, 16, 0, 1), 2, NS_SEC);
  run_for(n, 5 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done && st->no_route);
  ck_assert_uint_eq(st->transmitted, 0);
  ck_assert_uint_eq(n->out->len, 1);
  ck_assert_str_eq(out_line(n, 0), "ping: connect: Network is unreachable");
  ck_assert_uint_eq(probe_n(hb.p), 0);
  ck_assert_int_ge(ev_find(n, 0, "h1", "ping/done"), 0);
  net_free(n);
}
END_TEST

START_TEST(test_ping_free_while_running) {
  /* Freeing a running ping detaches it: later replies hit no listener. */
  Chain ch = chain_new();
  Net *n = ch.net;
  NsPing *p =
      ns_ping_start(ch.h1, NS_IP4(10, 0, 2, 20), NULL, NULL, now_of(n), NULL);
  run_for(n, 1 * NS_MSEC);
  ck_assert(!ns_ping_stats(p)->done);
  ns_ping_free(p);
  run_for(n, 10 * NS_SEC);
  ck_assert_uint_eq(ns_ipnode_counters(ch.h2).echo_replied, 1);
  ck_assert_uint_eq(ns_ipnode_counters(ch.h1).icmp_rx, 1);
  net_free(n);
}
END_TEST

START_TEST(test_traceroute_two_routers) {
  Chain ch = chain_new();
  Net *n = ch.net;
  NsTrace *t = start_trace(n, ch.h1, NS_IP4(10, 0, 2, 20), "h2", NULL);
  run_for(n, 30 * NS_SEC);
  ck_assert(ns_trace_done(t));
  ck_assert(ns_trace_reached(t));
  ck_assert_uint_eq(ns_trace_n_hops(t), 3);
  ck_assert_uint_eq(ns_trace_hop(t, 1).v, NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ns_trace_hop(t, 2).v, NS_IP4(10, 0, 12, 2).v);
  ck_assert_uint_eq(ns_trace_hop(t, 3).v, NS_IP4(10, 0, 2, 20).v);
  ck_assert_uint_eq(ns_trace_hop(t, 4).v, 0);
  ck_assert_uint_eq(n->done, 1);
  ck_assert_uint_eq(n->out->len, 4);
  ck_assert_str_eq(
      out_line(n, 0),
      "traceroute to h2 (10.0.2.20), 30 hops max, 60 byte packets");
  /* As Linux's traceroute: the name (here the node's), then the address. */
  ck_assert(g_str_has_prefix(out_line(n, 1), " 1  r1 (10.0.1.1)  "));
  ck_assert(g_str_has_prefix(out_line(n, 2), " 2  r2 (10.0.12.2)  "));
  ck_assert(g_str_has_prefix(out_line(n, 3), " 3  h2 (10.0.2.20)  "));
  /* Three probes per hop, each timed. */
  for (guint i = 1; i <= 3; i++) {
    const char *l = out_line(n, i);
    guint ms = 0;
    for (const char *s = l; (s = strstr(s, " ms")) != NULL; s++)
      ms++;
    ck_assert_uint_eq(ms, 3);
  }
  ck_assert_ptr_null(strstr(out_line(n, 1), "*"));
  ck_assert_uint_eq(ns_ipnode_counters(ch.r1).ttl_exceeded, 3);
  ck_assert_uint_eq(ns_ipnode_counters(ch.r2).ttl_exceeded, 3);
  ck_assert_uint_eq(ns_ipnode_counters(ch.h2).echo_replied, 3);
  net_free(n);
}
END_TEST

START_TEST(test_traceroute_stars_until_max_hops) {
  /* The r1-r2 link is down: hop 1 answers, then nothing; traceroute
   * prints stars and stops at max_hops. */
  Chain ch = chain_new();
  Net *n = ch.net;
  ns_link_set_up(g_ptr_array_index(n->links, 1), FALSE, now_of(n));
  NsTraceOptions o = {3, 2, 500 * NS_MSEC, FALSE};
  NsTrace *t = start_trace(n, ch.h1, NS_IP4(10, 0, 2, 20), NULL, &o);
  run_for(n, 60 * NS_SEC);
  ck_assert(ns_trace_done(t));
  ck_assert(!ns_trace_reached(t));
  ck_assert_uint_eq(ns_trace_n_hops(t), 3);
  ck_assert_uint_eq(ns_trace_hop(t, 1).v, NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ns_trace_hop(t, 2).v, 0);
  ck_assert_uint_eq(ns_trace_hop(t, 3).v, 0);
  ck_assert_str_eq(
      out_line(n, 0),
      "traceroute to 10.0.2.20 (10.0.2.20), 3 hops max, 60 byte packets");
  ck_assert_str_eq(out_line(n, 2), " 2  * *");
  ck_assert_str_eq(out_line(n, 3), " 3  * *");
  ck_assert_uint_eq(n->out->len, 4);
  ck_assert_uint_eq(n->done, 1);
  /* Two probes per hop, 500 ms each for the silent ones. */
  gint d = ev_find(n, 0, "h1", "trace/done");
  ck_assert_int_ge(d, 0);
  ck_assert_uint_ge(ev_at(n, d)->time, 2 * NS_SEC);
  net_free(n);
}
END_TEST

START_TEST(test_traceroute_host_unreachable_stops) {
  /* 10.0.2.99 does not exist: r2 gives up on ARP and answers "host
   * unreachable".  traceroute marks the hop !H and stops there, but the
   * destination was not reached. */
  Chain ch = chain_new();
  Net *n = ch.net;
  NsTraceOptions o = {10, 2, 5 * NS_SEC, TRUE}; /* -n */
  NsTrace *t = start_trace(n, ch.h1, NS_IP4(10, 0, 2, 99), NULL, &o);
  run_for(n, 60 * NS_SEC);
  ck_assert(ns_trace_done(t));
  ck_assert_uint_eq(ns_trace_n_hops(t), 3);
  ck_assert_uint_eq(ns_trace_hop(t, 3).v, NS_IP4(10, 0, 12, 2).v);
  ck_assert(g_str_has_prefix(out_line(n, 3), " 3  10.0.12.2  "));
  ck_assert_ptr_nonnull(strstr(out_line(n, 3), " !H"));
  ck_assert(!ns_trace_reached(t));
  ck_assert_uint_eq(n->done, 1);
  net_free(n);
}
END_TEST

START_TEST(test_ping_across_routers_ttl) {
  Chain ch = chain_new();
  Net *n = ch.net;
  NsPing *p = start_ping(n, ch.h1, NS_IP4(10, 0, 2, 20), 2, NS_SEC);
  run_for(n, 5 * NS_SEC);
  ck_assert_uint_eq(ns_ping_stats(p)->received, 2);
  /* The reply crossed two routers: 64 - 2. */
  ck_assert_uint_eq(out_count(n, "ttl=62"), 2);
  /* Warm round trip: 3 links each way at 1 ms. */
  ck_assert_uint_eq(ns_ping_stats(p)->rtt_min, 6 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(ch.r1).forwarded, 4);
  ck_assert_uint_eq(ns_ipnode_counters(ch.r2).forwarded, 4);

  /* With TTL 1 the first router answers "time exceeded". */
  NsPingOptions o = ns_ping_default_options;
  o.count = 1;
  o.ttl = 1;
  NsPing *p2 = start_ping_with(n, ch.h1, NS_IP4(10, 0, 2, 20), &o);
  run_for(n, 5 * NS_SEC);
  ck_assert_uint_eq(ns_ping_stats(p2)->errors, 1);
  ck_assert_uint_eq(
      out_count(n, "From 10.0.1.1 icmp_seq=1 Time to live exceeded"), 1);
  net_free(n);
}
END_TEST

/* As Linux sends them: echo requests with Don't Fragment; to a unicast
 * address with the node's identification, to a broadcast (the subnet's or
 * 255.255.255.255) or a group with identification 0, because iputils
 * sets IP_PMTUDISC_DO there ("broadcast ping does not fragment"). */
START_TEST(test_ping_df_and_identification) {
  Net *n = net_new(FALSE);
  NsIpNode *h1 = add_node(n, "h1", FALSE);
  NsIpIface *a = ns_ipnode_add_iface(h1, "eth0", PFX(192, 168, 1, 10, 24),
                                     ns_mac_local(1));
  Probe *pr = add_probe(n, &a->nic, "p", ns_mac_local(2),
                        NS_IP4(192, 168, 1, 20), TRUE);
  /* A default route, which a group needs as in Linux. */
  ck_assert(
      ns_ipnode_add_route(h1, PFX(0, 0, 0, 0, 0), NS_IP4(192, 168, 1, 20), 0));
  const NsIp4 dsts[] = {NS_IP4(192, 168, 1, 20), NS_IP4(192, 168, 1, 255),
                        NS_IP4(255, 255, 255, 255), NS_IP4(239, 1, 1, 1)};
  for (guint i = 0; i < G_N_ELEMENTS(dsts); i++) {
    start_ping(n, h1, dsts[i], 1, NS_SEC);
    run_for(n, 2 * NS_SEC);
  }
  ck_assert_uint_eq(probe_count_type(pr, NS_ETHERTYPE_IPV4),
                    G_N_ELEMENTS(dsts));
  for (guint i = 0; i < G_N_ELEMENTS(dsts); i++) {
    NsIpv4Hdr ip;
    NsIcmp icmp;
    parse_icmp_frame(probe_nth_type(pr, NS_ETHERTYPE_IPV4, i), &ip, &icmp);
    ck_assert_uint_eq(icmp.type, NS_ICMP_ECHO_REQUEST);
    ck_assert_uint_eq(ip.dst.v, dsts[i].v);
    ck_assert_uint_eq(ip.frag, NS_IPV4_DF);
    ck_assert_uint_eq(ip.tos, 0);
    if (i == 0)
      ck_assert_uint_ne(ip.id, 0);
    else
      ck_assert_uint_eq(ip.id, 0);
  }
  net_free(n);
}
END_TEST

Suite *test_ping_suite(void) {
  Suite *s = suite_create("ping");
  TCase *tc = test_tcase("ping");
  tcase_add_test(tc, test_ping_two_hosts_on_switch);
  tcase_add_test(tc, test_ping_stats_exact);
  tcase_add_test(tc, test_ping_small_size_untimed);
  tcase_add_test(tc, test_ping_rtt_with_serialization);
  tcase_add_test(tc, test_ping_timeout_counts_lost);
  tcase_add_test(tc, test_ping_partial_loss);
  tcase_add_test(tc, test_ping_no_route);
  tcase_add_test(tc, test_ping_free_while_running);
  tcase_add_test(tc, test_ping_df_and_identification);
  suite_add_tcase(s, tc);

  tc = test_tcase("traceroute");
  tcase_add_test(tc, test_traceroute_two_routers);
  tcase_add_test(tc, test_traceroute_stars_until_max_hops);
  tcase_add_test(tc, test_traceroute_host_unreachable_stops);
  tcase_add_test(tc, test_ping_across_routers_ttl);
  suite_add_tcase(s, tc);
  return s;
}

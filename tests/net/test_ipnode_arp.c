/* test_ipnode_arp.c — ARP in the IP stack (src/net/ipnode_arp.c): answering
 * requests for our address, learning and refreshing senders, queueing
 * datagrams until the reply, retries, failure (host unreachable, locally or
 * as an ICMP error from a router), queue overflow and flushing. */
#include <string.h>

#include "ipnode_harness.h"

START_TEST(test_arp_request_answered) {
  HostBench hb = host_bench(TRUE, FALSE);
  Net *n = hb.net;

  inject(n, hb.i0, mk_arp_who_has(n, hb.p, NS_IP4(10, 0, 0, 1)));

  ck_assert_uint_eq(probe_n(hb.p), 1);
  NsFrame *f = probe_frame(hb.p, 0);
  ck_assert_uint_eq(f->len, 60);
  /* Ethernet: to the asker, from us, ARP. */
  static const guint8 expect[42] = {
      0x02, 0,    0,    0,    0,    0x99, 0x02, 0, 0,    0,    0, 0x01,
      0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6,    4, 0x00, 0x02, /* Ethernet/IPv4,
                                                                  reply */
      0x02, 0,    0,    0,    0,    0x01, 10,   0, 0,    1,  /* sha, spa: us */
      0x02, 0,    0,    0,    0,    0x99, 10,   0, 0,    99, /* tha, tpa: asker
                                                              */
  };
  ck_assert_mem_eq(f->data, expect, sizeof expect);
  for (guint i = sizeof expect; i < f->len; i++)
    ck_assert_uint_eq(f->data[i], 0); /* padding */
  ck_assert_uint_eq(g_array_index(hb.p->times, NsTime, 0), 1 * NS_MSEC);

  /* The asker was learned (RFC 826: a request for us creates the entry). */
  const NsArpEntry *e = ns_arp_cache_find(hb.i0->arp, hb.p->ip, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert_int_eq(e->state, NS_ARP_REACHABLE);
  ck_assert(ns_mac_equal(e->mac, hb.p->nic.mac));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_replies, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_requests, 0);
  gint r = ev_find(n, 0, "h1", "arp/reply");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "is my address"));
  ck_assert_int_ge(ev_find(n, 0, "h1", "arp/learn"), 0);
  net_free(n);
}
END_TEST

START_TEST(test_arp_request_other_ignored) {
  HostBench hb = host_bench(FALSE, FALSE);
  Net *n = hb.net;

  inject(n, hb.i0, mk_arp_who_has(n, hb.p, NS_IP4(10, 0, 0, 2)));
  ck_assert_uint_eq(probe_n(hb.p), 0);
  ck_assert_ptr_null(ns_arp_cache_find(hb.i0->arp, hb.p->ip, now_of(n)));
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_replies, 0);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/ignore"), 1);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/learn"), 0);

  /* An unsolicited reply addressed to someone else creates nothing either. */
  inject(n, hb.i0,
         mk_arp(n, NS_ARP_OP_REPLY, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                ns_mac_local(7), NS_IP4(10, 0, 0, 7)));
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  ck_assert_uint_eq(probe_n(hb.p), 0);
  net_free(n);
}
END_TEST

START_TEST(test_arp_request_other_refreshes_known) {
  /* The merge half of RFC 826: a known sender's entry is updated even by
   * a request that is not for us. */
  HostBench hb = host_bench(FALSE, FALSE);
  Net *n = hb.net;
  inject(n, hb.i0, mk_arp_who_has(n, hb.p, NS_IP4(10, 0, 0, 1)));
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 1);

  NsMac moved = ns_mac_local(0x98);
  inject(n, hb.i0,
         mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, moved, hb.p->ip,
                ns_mac_zero, NS_IP4(10, 0, 0, 3)));
  const NsArpEntry *e = ns_arp_cache_find(hb.i0->arp, hb.p->ip, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert(ns_mac_equal(e->mac, moved));
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 1);
  ck_assert_uint_eq(probe_n(hb.p), 1); /* only the first was answered */
  net_free(n);
}
END_TEST

START_TEST(test_arp_reply_releases_queued) {
  /* A datagram waits in the ARP queue and leaves, with the learned MAC,
   * when the reply comes. */
  HostBench hb = host_bench(FALSE, FALSE);
  Net *n = hb.net;
  guint8 data[4] = {1, 2, 3, 4};
  ck_assert(ns_ipnode_send(hb.h, hb.p->ip, 253, 64, data, sizeof data,
                           now_of(n), NULL));
  ck_assert(ns_ipnode_send(hb.h, hb.p->ip, 253, 64, data, sizeof data,
                           now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  ck_assert_uint_eq(probe_n(hb.p), 1); /* one request for two datagrams */
  NsArp a;
  NsFrame *rq = probe_frame(hb.p, 0);
  ck_assert(ns_mac_is_broadcast(ns_eth_dst(rq->data)));
  ck_assert(frame_arp(rq, &a));
  ck_assert_uint_eq(a.op, NS_ARP_OP_REQUEST);
  ck_assert_uint_eq(a.tpa.v, hb.p->ip.v);
  ck_assert_uint_eq(a.spa.v, NS_IP4(10, 0, 0, 1).v);
  ck_assert(ns_mac_equal(a.sha, hb.i0->nic.mac));
  ck_assert(ns_mac_is_zero(a.tha));

  inject(n, hb.i0,
         mk_arp(n, NS_ARP_OP_REPLY, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip,
                hb.i0->nic.mac, NS_IP4(10, 0, 0, 1)));
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 2);
  guint16 first_id = (guint16)ns_ctx_hash(&n->ctx, ns_ipnode_name(hb.h), 0);
  for (guint k = 0; k < 2; k++) {
    NsFrame *f = probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, k);
    ck_assert(ns_mac_equal(ns_eth_dst(f->data), hb.p->nic.mac));
    ck_assert(ns_mac_equal(ns_eth_src(f->data), hb.i0->nic.mac));
    NsIpv4Hdr ip;
    ck_assert(frame_ipv4(f, &ip));
    ck_assert_uint_eq(ip.proto, 253);
    ck_assert_uint_eq(ip.id, (guint16)(first_id + k)); /* in order */
    ck_assert_mem_eq(f->data + NS_ETH_HLEN + NS_IPV4_HLEN, data, sizeof data);
  }
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_requests, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_tx, 2);
  net_free(n);
}
END_TEST

START_TEST(test_arp_silent_gives_host_unreachable) {
  NsArpConfig cfg = ns_arp_default_config;
  cfg.retries = 4;
  cfg.retry_interval = 200 * NS_MSEC;
  HostBench hb = host_bench_with(TRUE, FALSE, &cfg);
  Net *n = hb.net;

  NsPing *ping = start_ping(n, hb.h, NS_IP4(10, 0, 0, 77), 1, 5 * NS_SEC);
  run_for(n, 10 * NS_SEC);

  /* Exactly `retries` requests, retry_interval apart. */
  ck_assert_uint_eq(probe_n(hb.p), 4);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_ARP), 4);
  for (guint i = 0; i < 4; i++)
    ck_assert_uint_eq(g_array_index(hb.p->times, NsTime, i),
                      i * 200 * NS_MSEC + 1 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_requests, 4);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_failed, 1);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/request"), 4);
  gint f = ev_find(n, 0, "h1", "arp/fail");
  ck_assert_int_ge(f, 0);
  ck_assert_uint_eq(ev_at(n, f)->time, 800 * NS_MSEC);
  ck_assert_ptr_null(
      ns_arp_cache_find(hb.i0->arp, NS_IP4(10, 0, 0, 77), now_of(n)));

  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 1);
  ck_assert_uint_eq(st->received, 0);
  ck_assert_uint_eq(st->errors, 1);
  ck_assert_uint_eq(out_count(n, "icmp_seq=1 Destination Host Unreachable"), 1);
  ck_assert_uint_eq(out_count(n, "Request timeout"), 0);
  ck_assert_uint_eq(out_count(n,
                              "1 packets transmitted, 0 received, +1 errors, "
                              "100% packet loss"),
                    1);
  ck_assert_uint_eq(n->done, 1);
  net_free(n);
}
END_TEST

START_TEST(test_arp_fail_on_router_sends_host_unreachable) {
  /* A router that cannot resolve the next hop answers the remote source
   * with ICMP host unreachable (after its default 3 requests). */
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  rb.b->answer_arp = FALSE;
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  run_for(n, 5 * NS_SEC);
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_ARP),
                    NS_ARP_DEFAULT_RETRIES);
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).arp_failed, 1);
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ip.dst.v, rb.a->ip.v);
  ck_assert_uint_eq(icmp.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(icmp.code, NS_ICMP_HOST_UNREACH);
  guint16 id, seq;
  NsIpv4Hdr orig;
  ck_assert(ns_icmp_quoted_echo(&icmp, &orig, &id, &seq));
  ck_assert_uint_eq(id, 0x77);
  ck_assert_uint_eq(orig.dst.v, rb.b->ip.v);
  net_free(n);
}
END_TEST

START_TEST(test_arp_pending_queue_overflow) {
  /* More datagrams than NS_ARP_PENDING_MAX for an unresolved next hop:
   * the oldest are dropped and counted, the rest leave in order. */
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  for (guint i = 0; i < NS_ARP_PENDING_MAX + 2; i++)
    ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(n), NULL);
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).arp_failed, 2);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4),
                    NS_ARP_PENDING_MAX);
  NsIpv4Hdr ip;
  NsFrame *f = probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 0);
  ck_assert(frame_ipv4(f, &ip));
  /* The node's identifications start where the seed and its name say:
   * the first two were dropped. */
  guint16 first = (guint16)ns_ctx_hash(&n->ctx, ns_ipnode_name(hb.h), 0);
  ck_assert_uint_eq(ip.id, (guint16)(first + 2));
  net_free(n);
}
END_TEST

START_TEST(test_arp_flush_drops_pending) {
  HostBench hb = host_bench(FALSE, FALSE);
  Net *n = hb.net;
  gint64 live = ns_frame_live_count();
  ns_ipnode_send(hb.h, NS_IP4(10, 0, 0, 50), 253, 64, NULL, 0, now_of(n), NULL);
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 1);
  ns_ipnode_arp_flush(hb.h);
  ck_assert_uint_eq(ns_arp_cache_len(hb.i0->arp), 0);
  run_for(n, 10 * NS_SEC);
  /* Only the first request went out; no retries after the flush. */
  ck_assert_uint_eq(probe_n(hb.p), 1);
  ck_assert_uint_eq(ns_frame_live_count(), live + 1); /* the probe's copy */
  net_free(n);
}
END_TEST

Suite *test_ipnode_arp_suite(void) {
  Suite *s = suite_create("ipnode_arp");
  TCase *tc = test_tcase("arp");
  tcase_add_test(tc, test_arp_request_answered);
  tcase_add_test(tc, test_arp_request_other_ignored);
  tcase_add_test(tc, test_arp_request_other_refreshes_known);
  tcase_add_test(tc, test_arp_reply_releases_queued);
  tcase_add_test(tc, test_arp_silent_gives_host_unreachable);
  tcase_add_test(tc, test_arp_fail_on_router_sends_host_unreachable);
  tcase_add_test(tc, test_arp_pending_queue_overflow);
  tcase_add_test(tc, test_arp_flush_drops_pending);
  suite_add_tcase(s, tc);
  return s;
}

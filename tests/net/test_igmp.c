/* test_igmp.c — IGMPv2 on hosts, routers and snooping switches
 * (net/igmp.h): the reports a join sends and what they look like on the
 * wire, leaves, answers to queries and their suppression, the querier's
 * queries, table and election, and the switch that sends a group only
 * where it was reported. */
#include <string.h>

#include "ipnode_harness.h"
#include "net/igmp.h"
#include "net/snoop.h"
#include "wire/igmp.h"

#define GROUP NS_IP4(239, 1, 1, 1)
#define GROUP_MAC ((NsMac){{0x01, 0x00, 0x5e, 0x01, 0x01, 0x01}})

/* The i-th IGMP message the probe got (fully checked: IP checksum, TTL 1,
 * TOS 0xc0, DF and identification 0, Router Alert, the group's MAC, IGMP
 * checksum), or FALSE. */
static gboolean probe_igmp(Probe *p, guint i, NsIpv4Hdr *ip, NsIgmp *m) {
  for (guint k = 0; k < probe_n(p); k++) {
    NsFrame *f = probe_frame(p, k);
    if (!frame_ipv4(f, ip) || ip->proto != NS_IPPROTO_IGMP || i-- > 0)
      continue;
    const guint8 *pkt = f->data + NS_ETH_HLEN;
    ck_assert_uint_eq(ip->ttl, 1);
    ck_assert_uint_eq(ip->tos, 0xc0);
    ck_assert_uint_eq(ip->hlen, 24);
    ck_assert(ip->frag & NS_IPV4_DF);
    ck_assert_uint_eq(ip->id, 0); /* Linux: DF and no connected socket */
    ck_assert(ns_ipv4_has_router_alert(pkt));
    NsMac want = {{0x01, 0x00, 0x5e, (guint8)((ip->dst.v >> 16) & 0x7f),
                   (guint8)(ip->dst.v >> 8), (guint8)ip->dst.v}};
    ck_assert(ns_mac_equal(ns_eth_dst(f->data), want));
    ck_assert(ns_igmp_parse(pkt + ip->hlen, ns_ipv4_payload_len(ip), m, NULL));
    return TRUE;
  }
  return FALSE;
}

static guint probe_igmp_count(Probe *p) {
  NsIpv4Hdr ip;
  NsIgmp m;
  guint n = 0;
  while (probe_igmp(p, n, &ip, &m))
    n++;
  return n;
}

/* An IGMP message from the probe's address to dst (ttl 1, no options, as
 * an older stack sends it). */
static NsFrame *mk_igmp(Net *n, const Probe *p, guint8 type, guint8 max_resp,
                        NsIp4 group, NsIp4 dst) {
  guint8 buf[NS_IGMP_LEN];
  NsIgmp m = {.type = type, .max_resp = max_resp, .group = group};
  ns_igmp_emit(buf, &m);
  NsMac mac = {{0x01, 0x00, 0x5e, (guint8)((dst.v >> 16) & 0x7f),
                (guint8)(dst.v >> 8), (guint8)dst.v}};
  return mk_ipv4(n, mac, p->nic.mac, p->ip, dst, 1, NS_IPPROTO_IGMP, buf,
                 sizeof buf);
}

/* Hands frame (taken) to iface at the current instant, running nothing. */
static void deliver(Net *n, NsIpIface *iface, NsFrame *frame) {
  iface->nic.recv(&iface->nic, frame, now_of(n));
}

/* ---- hosts --------------------------------------------------------------- */

START_TEST(test_join_sends_two_reports) {
  HostBench hb = host_bench(TRUE, FALSE);
  run_for(hb.net, NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), 0); /* 224.0.0.1: never */
  ns_ipnode_join(hb.h, GROUP);
  run_for(hb.net, 11 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), 2);
  NsIpv4Hdr ip;
  NsIgmp m;
  for (guint i = 0; i < 2; i++) {
    ck_assert(probe_igmp(hb.p, i, &ip, &m));
    ck_assert_uint_eq(m.type, NS_IGMP_V2_REPORT);
    ck_assert_uint_eq(m.group.v, GROUP.v);
    ck_assert_uint_eq(ip.dst.v, GROUP.v);
    ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 0, 1).v);
  }
  /* The first at the join (plus the 1 ms link), the second within 10 s. */
  NsTime t0 = g_array_index(hb.p->times, NsTime, 0);
  NsTime t1 = g_array_index(hb.p->times, NsTime, 1);
  ck_assert_uint_eq(t0, NS_SEC + NS_MSEC);
  ck_assert_uint_lt(t1, t0 + NS_IGMP_UNSOLICITED_INTERVAL);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_reports_tx, 2);
  ck_assert_uint_eq(ev_count(hb.net, "h1", "igmp/report"), 2);
  /* A second join of the same group sends nothing. */
  ns_ipnode_join(hb.h, GROUP);
  run_for(hb.net, 11 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), 2);
  net_free(hb.net);
}
END_TEST

START_TEST(test_leave_goes_to_all_routers) {
  HostBench hb = host_bench(FALSE, FALSE);
  ns_ipnode_join(hb.h, GROUP);
  ns_ipnode_join(hb.h, GROUP);
  run_for(hb.net, 11 * NS_SEC);
  ns_ipnode_leave(hb.h, GROUP); /* one join still holds it */
  run_for(hb.net, NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), 2);
  ns_ipnode_leave(hb.h, GROUP);
  run_for(hb.net, NS_SEC);
  NsIpv4Hdr ip;
  NsIgmp m;
  ck_assert(probe_igmp(hb.p, 2, &ip, &m));
  ck_assert_uint_eq(m.type, NS_IGMP_LEAVE);
  ck_assert_uint_eq(m.group.v, GROUP.v);
  ck_assert_uint_eq(ip.dst.v, NS_IGMP_ALL_ROUTERS.v);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_leaves_tx, 1);
  /* Join and leave in one instant: the leave is not lost either. */
  ns_ipnode_join(hb.h, GROUP);
  ns_ipnode_leave(hb.h, GROUP);
  run_for(hb.net, NS_SEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_leaves_tx, 2);
  net_free(hb.net);
}
END_TEST

START_TEST(test_query_answered_within_max_resp) {
  HostBench hb = host_bench(TRUE, FALSE);
  ns_ipnode_join(hb.h, GROUP);
  ns_ipnode_join(hb.h, NS_IP4(239, 2, 2, 2));
  run_for(hb.net, 11 * NS_SEC);
  guint before = probe_igmp_count(hb.p);
  /* A group-specific query for a group h1 is not in: nothing. */
  inject(hb.net, hb.i0,
         mk_igmp(hb.net, hb.p, NS_IGMP_QUERY, 10, NS_IP4(239, 9, 9, 9),
                 NS_IP4(239, 9, 9, 9)));
  run_for(hb.net, 2 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), before);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_queries_rx, 1);
  /* A general query, max resp 2 s: both groups within 2 s. */
  NsTime asked = now_of(hb.net);
  inject(
      hb.net, hb.i0,
      mk_igmp(hb.net, hb.p, NS_IGMP_QUERY, 20, (NsIp4){0}, NS_IGMP_ALL_HOSTS));
  run_for(hb.net, 3 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), before + 2);
  for (guint i = before; i < before + 2; i++) {
    NsTime t = g_array_index(hb.p->times, NsTime, i);
    ck_assert_uint_ge(t, asked);
    ck_assert_uint_lt(t, asked + 2 * NS_SEC + NS_MSEC);
  }
  ck_assert_uint_eq(ev_count(hb.net, "h1", "igmp/receive"), 2);
  net_free(hb.net);
}
END_TEST

START_TEST(test_report_heard_suppresses_ours) {
  HostBench hb = host_bench(TRUE, FALSE);
  ns_ipnode_join(hb.h, GROUP);
  run_for(hb.net, 11 * NS_SEC);
  guint before = probe_igmp_count(hb.p);
  /* The query and, in the same instant, another member's report. */
  deliver(
      hb.net, hb.i0,
      mk_igmp(hb.net, hb.p, NS_IGMP_QUERY, 100, (NsIp4){0}, NS_IGMP_ALL_HOSTS));
  guint joins;
  NsTime at;
  ns_ipnode_group_state(hb.h, 1, &joins, &at);
  ck_assert_uint_eq(joins, 1);
  ck_assert_uint_ne(at, NS_TIME_NEVER);
  deliver(hb.net, hb.i0,
          mk_igmp(hb.net, hb.p, NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  ns_ipnode_group_state(hb.h, 1, &joins, &at);
  ck_assert_uint_eq(at, NS_TIME_NEVER);
  run_for(hb.net, 11 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(hb.p), before);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_suppressed, 1);
  ck_assert_uint_eq(ev_count(hb.net, "h1", "igmp/suppress"), 1);
  /* A report for a group h1 is not in is ignored: not a not_member. */
  inject(hb.net, hb.i0,
         mk_igmp(hb.net, hb.p, NS_IGMP_V2_REPORT, 0, NS_IP4(239, 7, 7, 7),
                 NS_IP4(239, 7, 7, 7)));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_member, 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_reports_rx, 2);
  net_free(hb.net);
}
END_TEST

START_TEST(test_malformed_igmp_counted) {
  HostBench hb = host_bench(FALSE, FALSE);
  guint8 bad[NS_IGMP_LEN] = {NS_IGMP_QUERY, 100, 0, 0, 0, 0, 0, 0};
  inject(hb.net, hb.i0,
         mk_ipv4(hb.net, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IGMP_ALL_HOSTS, 1, NS_IPPROTO_IGMP, bad, sizeof bad));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).malformed, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).igmp_queries_rx, 0);
  ck_assert_uint_eq(ev_count(hb.net, "h1", "igmp/drop"), 1);
  net_free(hb.net);
}
END_TEST

/* ---- routers ------------------------------------------------------------- */

START_TEST(test_querier_queries_each_interface) {
  RouterBench rb = router_bench(TRUE);
  run_for(rb.net, NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), 0); /* off by default */
  ns_ipnode_set_igmp_querier(rb.r, TRUE);
  ck_assert(ns_ipnode_is_igmp_querier(rb.r));
  run_for(rb.net, NS_SEC);
  NsIpv4Hdr ip;
  NsIgmp m;
  ck_assert(probe_igmp(rb.a, 0, &ip, &m));
  ck_assert_uint_eq(m.type, NS_IGMP_QUERY);
  ck_assert(ns_igmp_is_general(&m));
  ck_assert_uint_eq(m.max_resp, 100);
  ck_assert_uint_eq(ip.dst.v, NS_IGMP_ALL_HOSTS.v);
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 1, 1).v);
  ck_assert(probe_igmp(rb.b, 0, &ip, &m));
  ck_assert_uint_eq(ip.src.v, NS_IP4(10, 0, 2, 1).v);
  /* Start-up: the second a quarter interval later, then every 125 s. */
  run_for(rb.net, 31 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), 2);
  run_for(rb.net, 125 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), 3);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).igmp_queries_tx, 6);
  ck_assert_uint_eq(ns_ipnode_igmp_querier_on(rb.r, 0).v,
                    NS_IP4(10, 0, 1, 1).v);
  net_free(rb.net);
}
END_TEST

START_TEST(test_querier_table_and_leave) {
  RouterBench rb = router_bench(TRUE);
  ns_ipnode_set_igmp_querier(rb.r, TRUE);
  run_for(rb.net, NS_SEC);
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, rb.a, NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  g_autoptr(GArray) t = ns_ipnode_igmp_memberships(rb.r, now_of(rb.net));
  ck_assert_uint_eq(t->len, 1);
  const NsIgmpMembership *e = &g_array_index(t, NsIgmpMembership, 0);
  ck_assert_uint_eq(e->group.v, GROUP.v);
  ck_assert_uint_eq(e->iface, 0);
  ck_assert_uint_eq(e->last_reporter.v, rb.a->ip.v);
  ck_assert_uint_eq(e->expires - e->since, NS_IGMP_MEMBERSHIP_INTERVAL);
  ck_assert_uint_eq(ev_count(rb.net, "r1", "igmp/member"), 1);
  /* Not counted as a multicast it did not forward. */
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).no_forward_bcast, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).igmp_reports_rx, 1);
  /* A leave: two group-specific queries 1 s apart, gone 2 s later. */
  guint before = probe_igmp_count(rb.a);
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, rb.a, NS_IGMP_LEAVE, 0, GROUP, NS_IGMP_ALL_ROUTERS));
  run_for(rb.net, 2 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), before + 2);
  NsIpv4Hdr ip;
  NsIgmp m;
  ck_assert(probe_igmp(rb.a, before, &ip, &m));
  ck_assert_uint_eq(m.type, NS_IGMP_QUERY);
  ck_assert_uint_eq(m.group.v, GROUP.v);
  ck_assert_uint_eq(m.max_resp, 10);
  ck_assert_uint_eq(ip.dst.v, GROUP.v);
  g_autoptr(GArray) gone = ns_ipnode_igmp_memberships(rb.r, now_of(rb.net));
  ck_assert_uint_eq(gone->len, 0);
  ck_assert_uint_eq(ev_count(rb.net, "r1", "igmp/expire"), 1);
  net_free(rb.net);
}
END_TEST

START_TEST(test_report_keeps_group_after_leave) {
  RouterBench rb = router_bench(FALSE);
  ns_ipnode_set_igmp_querier(rb.r, TRUE);
  run_for(rb.net, NS_SEC);
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, rb.a, NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, rb.a, NS_IGMP_LEAVE, 0, GROUP, NS_IGMP_ALL_ROUTERS));
  /* Another member answers the group-specific query. */
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, rb.a, NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  run_for(rb.net, 5 * NS_SEC);
  g_autoptr(GArray) t = ns_ipnode_igmp_memberships(rb.r, now_of(rb.net));
  ck_assert_uint_eq(t->len, 1);
  /* And the group lasts 260 s from the last report, not a moment more. */
  run_for(rb.net, NS_IGMP_MEMBERSHIP_INTERVAL - 5 * NS_SEC - 100 * NS_MSEC);
  g_autoptr(GArray) late = ns_ipnode_igmp_memberships(rb.r, now_of(rb.net));
  ck_assert_uint_eq(late->len, 0);
  net_free(rb.net);
}
END_TEST

START_TEST(test_querier_election) {
  RouterBench rb = router_bench(TRUE);
  ns_ipnode_set_igmp_querier(rb.r, TRUE);
  run_for(rb.net, NS_SEC);
  /* A query from a lower address on eth0: r1 stops querying there. */
  Probe lower = *rb.a;
  lower.ip = NS_IP4(10, 0, 0, 5);
  inject(rb.net, rb.e0,
         mk_igmp(rb.net, &lower, NS_IGMP_QUERY, 100, (NsIp4){0},
                 NS_IGMP_ALL_HOSTS));
  ck_assert_uint_eq(ns_ipnode_igmp_querier_on(rb.r, 0).v, lower.ip.v);
  ck_assert_uint_eq(ev_count(rb.net, "r1", "igmp/querier"), 1);
  guint a0 = probe_igmp_count(rb.a), b0 = probe_igmp_count(rb.b);
  run_for(rb.net, 200 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), a0);
  ck_assert_uint_gt(probe_igmp_count(rb.b), b0);
  /* A higher address changes nothing. */
  inject(
      rb.net, rb.e1,
      mk_igmp(rb.net, rb.b, NS_IGMP_QUERY, 100, (NsIp4){0}, NS_IGMP_ALL_HOSTS));
  ck_assert_uint_eq(ns_ipnode_igmp_querier_on(rb.r, 1).v,
                    NS_IP4(10, 0, 2, 1).v);
  /* Silent for 255 s: r1 queries on eth0 again. */
  run_for(rb.net, 60 * NS_SEC);
  ck_assert_uint_eq(probe_igmp_count(rb.a), a0 + 1);
  ck_assert_uint_eq(ns_ipnode_igmp_querier_on(rb.r, 0).v,
                    NS_IP4(10, 0, 1, 1).v);
  ck_assert_uint_eq(ev_count(rb.net, "r1", "igmp/querier"), 2);
  net_free(rb.net);
}
END_TEST

/* ---- switches ------------------------------------------------------------ */

/* sw1 with probes P1..P4 on ports 1..4 (10.0.0.1..4), snooping on. */
typedef struct {
  Net *net;
  NsSwitch *sw;
  Probe *p[5]; /* p[1]..p[4] */
} SnoopLan;

static SnoopLan snoop_lan(gboolean explain) {
  SnoopLan l = {.net = net_new(explain)};
  l.sw = add_switch(l.net, "sw1");
  ns_switch_set_igmp_snooping(l.sw, TRUE);
  for (guint i = 1; i <= 4; i++) {
    char name[8];
    g_snprintf(name, sizeof name, "P%u", i);
    l.p[i] = add_probe(l.net, ns_switch_add_port(l.sw), name, ns_mac_local(i),
                       NS_IP4(10, 0, 0, i), FALSE);
  }
  return l;
}

static void send_from(SnoopLan *l, guint i, NsFrame *f) {
  ns_nic_send(&l->p[i]->nic, f, now_of(l->net));
  run_for(l->net, 100 * NS_MSEC);
}

/* A UDP-less datagram (protocol 253, experiments) from probe i to dst. */
static void data_from(SnoopLan *l, guint i, NsIp4 dst) {
  NsMac mac = {{0x01, 0x00, 0x5e, (guint8)((dst.v >> 16) & 0x7f),
                (guint8)(dst.v >> 8), (guint8)dst.v}};
  send_from(l, i,
            mk_ipv4(l->net, mac, l->p[i]->nic.mac, l->p[i]->ip, dst, 1, 253,
                    (const guint8 *)"data", 4));
}

/* How many frames each probe got since the counts in before[]. */
static void got_since(SnoopLan *l, const guint before[5], guint want1,
                      guint want2, guint want3, guint want4) {
  guint want[5] = {0, want1, want2, want3, want4};
  for (guint i = 1; i <= 4; i++)
    ck_assert_msg(probe_n(l->p[i]) - before[i] == want[i],
                  "P%u got %u frames, expected %u", i,
                  probe_n(l->p[i]) - before[i], want[i]);
}

static void counts(SnoopLan *l, guint out[5]) {
  for (guint i = 1; i <= 4; i++)
    out[i] = probe_n(l->p[i]);
}

START_TEST(test_snooping_members_only) {
  SnoopLan l = snoop_lan(TRUE);
  guint c[5];
  /* Unknown group: flooded. */
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 1, 1);
  ck_assert_int_ge(ev_find(l.net, 0, "sw1", "switch/flood"), 0);
  /* P2 reports (no router port yet: the report floods). */
  counts(&l, c);
  send_from(&l, 2, mk_igmp(l.net, l.p[2], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  got_since(&l, c, 1, 0, 1, 1);
  ck_assert_uint_eq(ev_count(l.net, "sw1", "switch/igmp-join"), 1);
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 0, 0);
  ck_assert_str_eq(ev_last(l.net, "sw1", "switch/forward")->summary,
                   "02:00:00:00:00:01 > 01:00:5e:01:01:01 to port 2");
  ck_assert_ptr_nonnull(strstr(ev_last(l.net, "sw1", "switch/forward")->why,
                               "member ports of 239.1.1.1"));
  /* A query from P4: a router port, which then gets the group and the
   * reports; queries flood. */
  counts(&l, c);
  send_from(&l, 4,
            mk_igmp(l.net, l.p[4], NS_IGMP_QUERY, 100, (NsIp4){0},
                    NS_IGMP_ALL_HOSTS));
  got_since(&l, c, 1, 1, 1, 0);
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 0, 1);
  counts(&l, c);
  send_from(&l, 3, mk_igmp(l.net, l.p[3], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  got_since(&l, c, 0, 0, 0, 1); /* to the router port only */
  /* 224.0.0.x floods whatever the table says. */
  counts(&l, c);
  data_from(&l, 1, NS_IP4(224, 0, 0, 251));
  got_since(&l, c, 0, 1, 1, 1);
  const NsSwitchPortCounters pc = ns_switch_port_counters(l.sw, 1);
  ck_assert_uint_eq(pc.snooped, 2);
  ck_assert_uint_eq(pc.flooded, 2);
  ck_assert_uint_eq(ns_switch_port_counters(l.sw, 2).igmp_reports, 1);
  ck_assert_uint_eq(ns_switch_port_counters(l.sw, 4).igmp_queries, 1);
  net_free(l.net);
}
END_TEST

START_TEST(test_snooping_leave_and_timeout) {
  SnoopLan l = snoop_lan(FALSE);
  guint c[5];
  send_from(&l, 2, mk_igmp(l.net, l.p[2], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  send_from(&l, 3, mk_igmp(l.net, l.p[3], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  send_from(
      &l, 3,
      mk_igmp(l.net, l.p[3], NS_IGMP_LEAVE, 0, GROUP, NS_IGMP_ALL_ROUTERS));
  ck_assert_uint_eq(ns_switch_port_counters(l.sw, 3).igmp_leaves, 1);
  /* Within the 2 s a leave leaves, port 3 still gets the group... */
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 1, 0);
  /* ...then no more. */
  run_for(l.net, 2 * NS_SEC);
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 0, 0);
  /* 260 s without a report: port 2 goes too, and the group floods. */
  run_for(l.net, NS_IGMP_MEMBERSHIP_INTERVAL);
  g_autoptr(GArray) e = ns_snoop_entries(ns_switch_snoop(l.sw), now_of(l.net));
  ck_assert_uint_eq(e->len, 0);
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 1, 1);
  /* A port that loses its link forgets its groups. */
  send_from(&l, 2, mk_igmp(l.net, l.p[2], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  NsNic *port2 = ns_switch_port(l.sw, 2);
  port2->carrier(port2, FALSE, now_of(l.net));
  g_autoptr(GArray) none =
      ns_snoop_entries(ns_switch_snoop(l.sw), now_of(l.net));
  ck_assert_uint_eq(none->len, 0);
  net_free(l.net);
}
END_TEST

START_TEST(test_snooping_off_floods) {
  SnoopLan l = snoop_lan(FALSE);
  ns_switch_set_igmp_snooping(l.sw, FALSE);
  ck_assert_ptr_null(ns_switch_snoop(l.sw));
  guint c[5];
  send_from(&l, 2, mk_igmp(l.net, l.p[2], NS_IGMP_V2_REPORT, 0, GROUP, GROUP));
  counts(&l, c);
  data_from(&l, 1, GROUP);
  got_since(&l, c, 0, 1, 1, 1);
  ck_assert_uint_eq(ns_switch_port_counters(l.sw, 2).igmp_reports, 0);
  net_free(l.net);
}
END_TEST

START_TEST(test_snoop_table) {
  NsSnoop *s = ns_snoop_new();
  NsTime t = 100 * NS_SEC;
  ck_assert_int_eq(ns_snoop_report(s, GROUP, 2, 10 * NS_SEC, t),
                   NS_SNOOP_NEW_GROUP);
  ck_assert_int_eq(ns_snoop_report(s, GROUP, 3, 10 * NS_SEC, t),
                   NS_SNOOP_NEW_PORT);
  ck_assert_int_eq(ns_snoop_report(s, GROUP, 3, 10 * NS_SEC, t + NS_SEC),
                   NS_SNOOP_REFRESHED);
  ck_assert(ns_snoop_router(s, 1, 5 * NS_SEC, t));
  ck_assert(!ns_snoop_router(s, 1, 5 * NS_SEC, t));
  ck_assert(ns_snoop_is_router(s, 1, t));
  ck_assert(!ns_snoop_leave(s, GROUP, 4, NS_SEC, t));
  ck_assert(ns_snoop_leave(s, GROUP, 2, NS_SEC, t));
  /* Exact boundaries: valid while now < expires. */
  ck_assert(ns_snoop_is_member(s, GROUP, 2, t + NS_SEC - 1));
  ck_assert(!ns_snoop_is_member(s, GROUP, 2, t + NS_SEC));
  ck_assert_uint_eq(ns_snoop_next_expiry(s), t + NS_SEC);
  NsSnoopEntry e;
  ck_assert(!ns_snoop_expire_one(s, t + NS_SEC - 1, &e));
  ck_assert(ns_snoop_expire_one(s, t + NS_SEC, &e));
  ck_assert_uint_eq(e.port, 2);
  ck_assert(e.left);
  ck_assert(!ns_snoop_expire_one(s, t + NS_SEC, &e));
  ck_assert(ns_snoop_expire_one(s, t + 5 * NS_SEC, &e)); /* router port */
  ck_assert(ns_ip4_is_zero(e.group));
  ck_assert(ns_snoop_known(s, GROUP, t + 10 * NS_SEC));
  ck_assert(!ns_snoop_known(s, GROUP, t + 11 * NS_SEC));
  /* Bounded. */
  for (guint i = 0; i < NS_SNOOP_CAPACITY; i++)
    ns_snoop_report(s, NS_IP4(239, 2, i >> 8, i & 0xff), 1, NS_SEC, t);
  ck_assert_int_eq(ns_snoop_report(s, NS_IP4(239, 3, 0, 0), 1, NS_SEC, t),
                   NS_SNOOP_FULL);
  ck_assert_uint_eq(ns_snoop_flush_port(s, 1), NS_SNOOP_CAPACITY - 1);
  g_autoptr(GArray) left = ns_snoop_entries(s, t);
  ck_assert_uint_eq(left->len, 1);
  ck_assert_uint_eq(g_array_index(left, NsSnoopEntry, 0).port, 3);
  ns_snoop_free(s);
}
END_TEST

Suite *test_igmp_net_suite(void) {
  Suite *s = suite_create("igmp_net");
  TCase *host = test_tcase("host");
  tcase_add_test(host, test_join_sends_two_reports);
  tcase_add_test(host, test_leave_goes_to_all_routers);
  tcase_add_test(host, test_query_answered_within_max_resp);
  tcase_add_test(host, test_report_heard_suppresses_ours);
  tcase_add_test(host, test_malformed_igmp_counted);
  suite_add_tcase(s, host);
  TCase *router = test_tcase("router");
  tcase_add_test(router, test_querier_queries_each_interface);
  tcase_add_test(router, test_querier_table_and_leave);
  tcase_add_test(router, test_report_keeps_group_after_leave);
  tcase_add_test(router, test_querier_election);
  suite_add_tcase(s, router);
  TCase *sw = test_tcase("switch");
  tcase_add_test(sw, test_snooping_members_only);
  tcase_add_test(sw, test_snooping_leave_and_timeout);
  tcase_add_test(sw, test_snooping_off_floods);
  tcase_add_test(sw, test_snoop_table);
  suite_add_tcase(s, sw);
  return s;
}

/* test_ipnode_robust.c — what the IP stack does with input it should not
 * act on: malformed frames (counted and dropped), frames for other nodes,
 * unknown protocols and closed ports (ICMP errors), and random garbage
 * (never a crash, and the node still works afterwards). */
#include <string.h>

#include "ipnode_harness.h"

/* Hands f to i0 and checks that it was counted as malformed: one more. */
static void expect_malformed(Net *n, NsIpIface *i0, NsFrame *f, guint *expect) {
  inject(n, i0, f);
  ck_assert_uint_eq(ns_ipnode_counters(i0->nic.owner).malformed, ++*expect);
}

/* Frames that are not Ethernet, and IPv4 and ICMP that do not parse. */
static void inject_malformed_ip(Net *n, NsIpIface *i0, Probe *p,
                                guint *expect) {
  NsMac me = i0->nic.mac;
  /* A runt: shorter than an Ethernet header.  An empty frame. */
  guint8 runt[10] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0};
  expect_malformed(n, i0, ns_frame_new_from(runt, sizeof runt, 900), expect);
  expect_malformed(n, i0, ns_frame_new(0, 901), expect);
  /* IPv4 with a bad header checksum. */
  NsFrame *f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
  f->data[NS_ETH_HLEN + NS_IPV4_OFF_CSUM] ^= 0x40;
  expect_malformed(n, i0, f, expect);
  /* IPv4 whose total length exceeds the frame. */
  f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 9, 5), 64, 1, 1);
  ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_TOTAL_LEN, 1000);
  ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_CSUM, 0);
  ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_CSUM,
             ns_csum(f->data + NS_ETH_HLEN, NS_IPV4_HLEN));
  expect_malformed(n, i0, f, expect);
  /* Version 6 in an IPv4 EtherType; IHL 4. */
  f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
  f->data[NS_ETH_HLEN] = 0x65;
  expect_malformed(n, i0, f, expect);
  f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
  f->data[NS_ETH_HLEN] = 0x44;
  expect_malformed(n, i0, f, expect);
  /* Just an Ethernet header saying IPv4. */
  f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
  ns_frame_set_len(f, NS_ETH_HLEN + 3);
  expect_malformed(n, i0, f, expect);
  /* An ICMP echo for us with a bad ICMP checksum: not answered. */
  f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
  f->data[NS_ETH_HLEN + NS_IPV4_HLEN + 8] ^= 0xff;
  expect_malformed(n, i0, f, expect);
  /* An ICMP message shorter than its header. */
  guint8 tiny[4] = {8, 0, 0xf7, 0xff};
  expect_malformed(n, i0,
                   mk_ipv4(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64,
                           NS_IPPROTO_ICMP, tiny, sizeof tiny),
                   expect);
}

static void inject_malformed_arp(Net *n, NsIpIface *i0, Probe *p,
                                 guint *expect) {
  /* Truncated ARP (the header says ARP, 10 bytes follow). */
  NsFrame *f = mk_arp_who_has(n, p, NS_IP4(10, 0, 0, 1));
  ns_frame_set_len(f, NS_ETH_HLEN + 10);
  expect_malformed(n, i0, f, expect);
  /* ARP with a bad opcode and with a wrong hardware type. */
  f = mk_arp(n, 7, ns_mac_broadcast, p->nic.mac, p->ip, ns_mac_zero,
             NS_IP4(10, 0, 0, 1));
  expect_malformed(n, i0, f, expect);
  f = mk_arp_who_has(n, p, NS_IP4(10, 0, 0, 1));
  f->data[NS_ETH_HLEN + 1] = 6; /* htype 6 (IEEE 802) */
  expect_malformed(n, i0, f, expect);
}

START_TEST(test_malformed_frames_counted) {
  for (int router = 0; router <= 1; router++) {
    Net *n = net_new(TRUE);
    NsIpNode *node = add_node(n, "n1", router);
    NsIpIface *i0 = ns_ipnode_add_iface(node, "eth0", PFX(10, 0, 0, 1, 24),
                                        ns_mac_local(1));
    ns_ipnode_add_iface(node, "eth1", PFX(10, 0, 9, 1, 24), ns_mac_local(2));
    Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                         NS_IP4(10, 0, 0, 99), TRUE);
    guint expect = 0;
    inject_malformed_ip(n, i0, p, &expect);
    inject_malformed_arp(n, i0, p, &expect);
    ck_assert_uint_eq(expect, 12);

    ck_assert_uint_eq(probe_n(p), 0); /* nothing answered any of it */
    ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 0);
    ck_assert_uint_eq(ns_ipnode_counters(node).echo_replied, 0);
    ck_assert_uint_eq(ns_ipnode_counters(node).forwarded, 0);
    ck_assert_uint_ge(ev_count(n, "n1", "ip/drop"), 5);
    ck_assert_uint_ge(ev_count(n, "n1", "arp/drop"), 3);

    /* Still healthy: a good echo is answered. */
    inject(n, i0,
           mk_echo(n, i0->nic.mac, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64,
                   1, 1));
    ck_assert_uint_eq(ns_ipnode_counters(node).echo_replied, 1);
    ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), 1);
    ck_assert_uint_eq(ns_ipnode_counters(node).malformed, expect);
    net_free(n);
  }
}
END_TEST

START_TEST(test_unknown_ethertype_counted_apart) {
  /* IPv6, an 802.1Q tag and a type nobody names: well-formed Ethernet
   * the stack does not speak, counted as such and never as malformed. */
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  static const struct {
    guint16 type;
    const char *summary;
  } cases[] = {
      {NS_ETHERTYPE_IPV6, "ethertype 0x86dd (IPv6) not handled"},
      {NS_ETHERTYPE_VLAN, "ethertype 0x8100 (802.1Q) not handled"},
      {0x1234, "ethertype 0x1234 not handled"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    NsFrame *f = ns_ctx_frame_new(&n->ctx, 60);
    NsEthHdr eth = {hb.i0->nic.mac, hb.p->nic.mac, cases[i].type};
    ns_eth_emit(f->data, &eth);
    inject(n, hb.i0, f);
    ck_assert_uint_eq(ns_ipnode_counters(hb.h).unknown_ethertype, i + 1);
    ck_assert_str_eq(ev_last(n, NULL, "eth/unknown-type")->summary,
                     cases[i].summary);
  }
  /* Broadcast too: the NIC takes it, IP does not know the type. */
  NsFrame *f = ns_ctx_frame_new(&n->ctx, 60);
  NsEthHdr eth = {ns_mac_broadcast, hb.p->nic.mac, NS_ETHERTYPE_IPV6};
  ns_eth_emit(f->data, &eth);
  inject(n, hb.i0, f);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).unknown_ethertype, 4);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).malformed, 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_rx, 0);
  ck_assert_uint_eq(probe_n(hb.p), 0);
  ck_assert_uint_eq(ev_count(n, "h1", "eth/unknown-type"), 4);
  net_free(n);
}
END_TEST

START_TEST(test_frames_for_others_ignored) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  /* Another MAC: the NIC drops it. */
  inject(n, hb.i0,
         mk_echo(n, ns_mac_local(5), hb.p->nic.mac, hb.p->ip,
                 NS_IP4(10, 0, 0, 1), 64, 1, 1));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_for_us, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_rx, 0);
  /* Our MAC, another IP: a host does not forward. */
  inject(n, hb.i0,
         mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(10, 0, 0, 5), 64, 1, 1));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).not_for_us, 2);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_rx, 1);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).forwarded, 0);
  ck_assert_uint_eq(probe_n(hb.p), 0);
  net_free(n);
}
END_TEST

START_TEST(test_martians_dropped_silently) {
  /* 127.x and 0.0.0.0 never belong on a wire: dropped, not answered. */
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  inject(n, hb.i0,
         mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, NS_IP4(127, 0, 0, 1),
                 NS_IP4(10, 0, 0, 1), 64, 1, 1));
  inject(n, hb.i0,
         mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(127, 0, 0, 1), 64, 1, 2));
  inject(n, hb.i0,
         mk_echo(n, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(0, 0, 0, 0), 64, 1, 3));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).martian, 3);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_replied, 0);
  ck_assert_uint_eq(probe_n(hb.p), 0);
  net_free(n);
}
END_TEST

/* The probe's ordinary echo to h1, sent after what was dropped, is the
 * first one answered. */
static void ordinary_echo_answered(HostBench *hb, guint16 seq) {
  ck_assert_uint_eq(ns_ipnode_counters(hb->h).echo_replied, 0);
  inject(hb->net, hb->i0,
         mk_echo(hb->net, hb->i0->nic.mac, hb->p->nic.mac, hb->p->ip,
                 hb->i0->addr.addr, 64, 1, seq));
  run_for(hb->net, NS_SEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb->h).echo_replied, 1);
}

/* Sources no sender has (RFC 1812 5.3.7): a group, everyone's broadcast,
 * the subnet's, 0.0.0.0 to a unicast, the interface's own address.  Each
 * is dropped, never answered (an answer to a broadcast source would go to
 * every host); 0.0.0.0 to 255.255.255.255 (a host without an address
 * asking) is no martian. */
START_TEST(test_martian_sources_dropped) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  const NsIp4 bad[] = {NS_IP4(224, 0, 0, 1),       NS_IP4(239, 1, 2, 3),
                       NS_IP4(255, 255, 255, 255), NS_IP4(10, 0, 0, 255),
                       NS_IP4(0, 0, 0, 0),         NS_IP4(10, 0, 0, 1)};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    inject(n, hb.i0,
           mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, bad[i],
                   NS_IP4(10, 0, 0, 1), 64, 1, (guint16)i));
    ck_assert_uint_eq(ns_ipnode_counters(hb.h).martian, i + 1);
  }
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).echo_replied, 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).icmp_rx, 0);
  inject(n, hb.i0,
         mk_echo(n, ns_mac_broadcast, hb.p->nic.mac, NS_IP4(0, 0, 0, 0),
                 NS_IP4(255, 255, 255, 255), 64, 1, 9));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).martian, G_N_ELEMENTS(bad));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).icmp_rx, 1);
  /* A neighbour's ordinary address still gets its answer. */
  ordinary_echo_answered(&hb, 10);
  net_free(n);
}
END_TEST

/* A fragment addressed to the node (first, middle or last piece) is
 * counted and dropped: no reassembly, and a later piece's bytes are never
 * read as an ICMP header.  The same echo whole is answered. */
START_TEST(test_fragments_for_us_dropped) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  const guint16 frags[] = {NS_IPV4_MF, NS_IPV4_MF | 4, 4,
                           NS_IPV4_DF | NS_IPV4_MF};
  for (guint i = 0; i < G_N_ELEMENTS(frags); i++) {
    NsFrame *f = mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip,
                         NS_IP4(10, 0, 0, 1), 64, 1, (guint16)i);
    guint8 *ip = f->data + NS_ETH_HLEN;
    ns_store16(ip + 6, frags[i]);
    ns_store16(ip + NS_IPV4_OFF_CSUM, 0);
    ns_store16(ip + NS_IPV4_OFF_CSUM, ns_csum(ip, NS_IPV4_HLEN));
    inject(n, hb.i0, f);
    ck_assert_uint_eq(ns_ipnode_counters(hb.h).fragments, i + 1);
  }
  run_for(n, NS_SEC);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).icmp_rx, 0);
  ordinary_echo_answered(&hb, 9);
  net_free(n);
}
END_TEST

START_TEST(test_loopback_addresses_stay_inside) {
  /* The node's own 127.0.0.1 and 0.0.0.0 answer from inside: no frame. */
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  NsPing *p1 = start_ping(n, hb.h, NS_IP4(127, 0, 0, 1), 2, NS_SEC);
  NsPing *p2 = start_ping(n, hb.h, NS_IP4(0, 0, 0, 0), 1, NS_SEC);
  run_for(n, 5 * NS_SEC);
  ck_assert_uint_eq(ns_ping_stats(p1)->received, 2);
  ck_assert_uint_eq(ns_ping_stats(p2)->received, 1);
  ck_assert_uint_eq(probe_n(hb.p), 0);
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).martian, 0);
  net_free(n);
}
END_TEST

static gboolean udp_refuse(NsIpNode *node, NsIpIface *iface,
                           const NsIpv4Hdr *ip, const guint8 *payload,
                           gsize len, NsTime now, gpointer data, guint8 *code) {
  (void)node, (void)iface, (void)ip, (void)payload, (void)now;
  guint *calls = data;
  (*calls)++;
  ck_assert_uint_eq(len, 12);
  *code = NS_ICMP_PORT_UNREACH;
  return FALSE;
}

START_TEST(test_protocol_and_port_unreachable) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  guint8 udp[12] = {0x30, 0x39, 0x00, 0x35, 0x00, 0x0c,
                    0,    0,    'h',  'e',  'y',  '!'};
  inject(n, hb.i0,
         mk_ipv4(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip, hb.i0->addr.addr,
                 64, NS_IPPROTO_UDP, udp, sizeof udp));
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(icmp.code, NS_ICMP_PROTO_UNREACH);

  guint calls = 0;
  ns_ipnode_set_proto_handler(hb.h, NS_IPPROTO_UDP, udp_refuse, &calls);
  inject(n, hb.i0,
         mk_ipv4(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip, hb.i0->addr.addr,
                 64, NS_IPPROTO_UDP, udp, sizeof udp));
  ck_assert_uint_eq(calls, 1);
  parse_icmp_frame(probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 1), &ip, &icmp);
  ck_assert_uint_eq(icmp.code, NS_ICMP_PORT_UNREACH);
  NsIpv4Hdr q;
  const guint8 *qp;
  gsize qlen;
  ck_assert(ns_icmp_quoted(&icmp, &q, &qp, &qlen));
  ck_assert_uint_eq(q.proto, NS_IPPROTO_UDP);
  ck_assert_uint_eq(qlen, sizeof udp); /* the whole datagram is quoted */
  ck_assert_mem_eq(qp, udp, sizeof udp);

  /* Sent to the subnet broadcast: silently refused (RFC 1122 3.2.2). */
  inject(n, hb.i0,
         mk_ipv4(n, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(10, 0, 0, 255), 64, NS_IPPROTO_UDP, udp, sizeof udp));
  ck_assert_uint_eq(calls, 2);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 2);
  net_free(n);
}
END_TEST

/* A random frame, biased towards ones that get past the first checks. */
static NsFrame *random_frame(Net *n, GRand *rng, NsMac me, NsIp4 *addrs,
                             guint naddrs) {
  /* Untagged sizes (up to 1514): the seeded stream, and so the mix of
   * garbage the assertions below count on, stays as it was. */
  gsize len = g_rand_int_range(rng, 0, 8) == 0
                  ? (gsize)g_rand_int_range(rng, 0, NS_ETH_MAX_FRAME + 1)
                  : (gsize)g_rand_int_range(rng, 0, 130);
  NsFrame *f = ns_ctx_frame_new(&n->ctx, len);
  for (gsize i = 0; i < len; i++)
    f->data[i] = (guint8)g_rand_int(rng);
  if (len < NS_ETH_HLEN)
    return f;
  switch (g_rand_int_range(rng, 0, 4)) {
  case 0:
    ns_eth_set_dst(f->data, me);
    break;
  case 1:
    ns_eth_set_dst(f->data, ns_mac_broadcast);
    break;
  default:
    break;
  }
  guint kind = g_rand_int_range(rng, 0, 5);
  if (kind == 0 || kind == 1) {
    ns_store16(f->data + 12, NS_ETHERTYPE_IPV4);
    guint8 *ip = f->data + NS_ETH_HLEN;
    gsize room = len - NS_ETH_HLEN;
    if (kind == 1 && room >= NS_IPV4_HLEN) {
      ip[0] = 0x45;
      ns_store16(ip + 2,
                 g_rand_boolean(rng)
                     ? (guint16)MIN(room, 1500)
                     : (guint16)g_rand_int_range(rng, NS_IPV4_HLEN, room + 1));
      /* Whole datagrams (flags 0 or DF) two times in three: a fragment
       * for the node is dropped before any protocol sees it. */
      guint16 frags[] = {0, NS_IPV4_DF, (guint16)g_rand_int(rng)};
      ns_store16(ip + 6, frags[g_rand_int_range(rng, 0, 3)]);
      ip[8] = (guint8)g_rand_int_range(rng, 0, 4);
      guint8 protos[] = {NS_IPPROTO_ICMP, NS_IPPROTO_ICMP, NS_IPPROTO_UDP,
                         NS_IPPROTO_TCP, 99};
      ip[9] = protos[g_rand_int_range(rng, 0, G_N_ELEMENTS(protos))];
      ns_ip4_store(ip + 12, addrs[g_rand_int_range(rng, 0, naddrs)]);
      ns_ip4_store(ip + 16, addrs[g_rand_int_range(rng, 0, naddrs)]);
      ns_store16(ip + 10, 0);
      ns_store16(ip + 10, ns_csum(ip, NS_IPV4_HLEN));
      gsize total = ns_load16(ip + 2);
      if (ip[9] == NS_IPPROTO_ICMP && total >= NS_IPV4_HLEN + 8 &&
          g_rand_int_range(rng, 0, 4) != 0) {
        guint8 *icmp = ip + NS_IPV4_HLEN;
        guint8 types[] = {NS_ICMP_ECHO_REQUEST, NS_ICMP_ECHO_REPLY,
                          NS_ICMP_DEST_UNREACH, NS_ICMP_TIME_EXCEEDED,
                          (guint8)g_rand_int(rng)};
        icmp[0] = types[g_rand_int_range(rng, 0, G_N_ELEMENTS(types))];
        ns_store16(icmp + 2, 0);
        ns_store16(icmp + 2, ns_csum(icmp, total - NS_IPV4_HLEN));
      }
    }
  } else if (kind == 2) {
    ns_store16(f->data + 12, NS_ETHERTYPE_ARP);
    if (len >= NS_ETH_HLEN + NS_ARP_LEN && g_rand_boolean(rng)) {
      NsArp a = {(guint16)g_rand_int_range(rng, 1, 3),
                 ns_mac_local(g_rand_int_range(rng, 0, 4)),
                 addrs[g_rand_int_range(rng, 0, naddrs)], ns_mac_zero,
                 addrs[g_rand_int_range(rng, 0, naddrs)]};
      ns_arp_emit(f->data + NS_ETH_HLEN, &a);
    }
  }
  return f;
}

START_TEST(test_random_garbage_never_crashes) {
  for (int router = 0; router <= 1; router++) {
    Net *n = net_new(TRUE); /* with logging, so descriptions run too */
    NsIpNode *node = add_node(n, router ? "r1" : "h1", router);
    NsIpIface *i0 = ns_ipnode_add_iface(node, "eth0", PFX(10, 0, 0, 1, 24),
                                        ns_mac_local(1));
    NsIpIface *i1 = ns_ipnode_add_iface(node, "eth1", PFX(10, 0, 1, 1, 24),
                                        ns_mac_local(2));
    ck_assert(ns_ipnode_add_route(node, PFX(0, 0, 0, 0, 0),
                                  NS_IP4(10, 0, 1, 254), 0));
    Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                         NS_IP4(10, 0, 0, 99), TRUE);
    Probe *q = add_probe(n, &i1->nic, "Q", ns_mac_local(0x98),
                         NS_IP4(10, 0, 1, 254), TRUE);
    NsIp4 addrs[] = {NS_IP4(10, 0, 0, 1),        NS_IP4(10, 0, 1, 1),
                     NS_IP4(10, 0, 0, 99),       NS_IP4(10, 0, 0, 7),
                     NS_IP4(10, 0, 0, 255),      NS_IP4(10, 0, 1, 255),
                     NS_IP4(255, 255, 255, 255), NS_IP4(0, 0, 0, 0),
                     NS_IP4(224, 0, 0, 1),       NS_IP4(8, 8, 8, 8),
                     NS_IP4(10, 0, 1, 254),      NS_IP4(10, 0, 1, 9)};
    GRand *rng = g_rand_new_with_seed(20240611 + router);
    for (guint i = 0; i < 2000; i++) {
      NsFrame *f =
          random_frame(n, rng, i0->nic.mac, addrs, G_N_ELEMENTS(addrs));
      i0->nic.recv(&i0->nic, f, now_of(n));
      run_for(n, g_rand_int_range(rng, 0, 50) * NS_MSEC);
    }
    g_rand_free(rng);
    run_for(n, 30 * NS_SEC); /* let every ARP retry and give up */
    ck_assert_uint_gt(ns_ipnode_counters(node).malformed, 100);
    ck_assert_uint_gt(ns_ipnode_counters(node).ip_rx, 100);
    ck_assert_uint_gt(ns_ipnode_counters(node).not_for_us, 100);
    if (router)
      ck_assert_uint_gt(ns_ipnode_counters(node).forwarded +
                            ns_ipnode_counters(node).no_forward_bcast +
                            ns_ipnode_counters(node).ttl_exceeded,
                        0);
    ck_assert_uint_gt(ns_ipnode_counters(node).echo_replied, 0);
    ck_assert_uint_gt(ns_ipnode_counters(node).icmp_tx,
                      ns_ipnode_counters(node).echo_replied); /* errors too */
    ck_assert_uint_gt(probe_n(p) + probe_n(q), 0);
    /* The node still works. */
    guint before = probe_count_type(p, NS_ETHERTYPE_IPV4);
    inject(n, i0,
           mk_echo(n, i0->nic.mac, p->nic.mac, p->ip, i0->addr.addr, 64, 0x4242,
                   1));
    ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), before + 1);
    NsIpv4Hdr ip;
    NsIcmp icmp;
    parse_icmp_frame(probe_nth_type(p, NS_ETHERTYPE_IPV4, before), &ip, &icmp);
    ck_assert_uint_eq(icmp.type, NS_ICMP_ECHO_REPLY);
    ck_assert_uint_eq(icmp.id, 0x4242);
    /* Every frame the node sent parses. */
    for (guint k = 0; k < 2; k++) {
      Probe *pr = k == 0 ? p : q;
      for (guint j = 0; j < probe_n(pr); j++) {
        NsFrame *f = probe_frame(pr, j);
        ck_assert_uint_ge(f->len, NS_ETH_MIN_FRAME);
        if (ns_eth_type(f->data) == NS_ETHERTYPE_IPV4) {
          ck_assert(frame_ipv4(f, &ip));
        } else {
          NsArp a;
          ck_assert_uint_eq(ns_eth_type(f->data), NS_ETHERTYPE_ARP);
          ck_assert(frame_arp(f, &a));
        }
      }
    }
    net_free(n);
  }
}
END_TEST

Suite *test_ipnode_robust_suite(void) {
  Suite *s = suite_create("ipnode_robust");
  TCase *tc = test_tcase("robustness");
  tcase_add_test(tc, test_malformed_frames_counted);
  tcase_add_test(tc, test_unknown_ethertype_counted_apart);
  tcase_add_test(tc, test_frames_for_others_ignored);
  tcase_add_test(tc, test_martians_dropped_silently);
  tcase_add_test(tc, test_martian_sources_dropped);
  tcase_add_test(tc, test_fragments_for_us_dropped);
  tcase_add_test(tc, test_loopback_addresses_stay_inside);
  tcase_add_test(tc, test_protocol_and_port_unreachable);
  tcase_add_test(tc, test_random_garbage_never_crashes);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  return s;
}

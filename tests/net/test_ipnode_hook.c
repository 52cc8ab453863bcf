/* test_ipnode_hook.c — the IP hook points: which datagrams pass which
 * point, accept/drop/steal, priority order, changes made while hooks run,
 * and address rewriting as a NAT does it. */
#include <string.h>

#include "ipnode_harness.h"
#include "net/ipnode_hook.h"

/* A hook that records "point:name" and answers a fixed verdict. */
typedef struct {
  const char *name;
  GPtrArray *seen;     /* shared record, "point:name" strings */
  NsIpVerdict verdict; /* what to answer */
  GPtrArray *stolen;   /* STOLEN frames kept here (refs owned) */
  NsIpPacket last;     /* the packet as the hook saw it last */
} Rec;

static NsIpVerdict rec_hook(NsIpNode *node, NsIpHookPoint point,
                            NsIpPacket *pkt, NsTime now, gpointer data) {
  (void)node;
  (void)now;
  Rec *r = data;
  g_ptr_array_add(
      r->seen, g_strdup_printf("%s:%s", ns_ip_hook_point_name(point), r->name));
  r->last = *pkt;
  if (r->verdict == NS_IP_STOLEN)
    g_ptr_array_add(r->stolen, pkt->frame);
  return r->verdict;
}

static Rec *rec_new(GPtrArray *seen, const char *name, NsIpVerdict v) {
  Rec *r = g_new0(Rec, 1);
  r->name = name;
  r->seen = seen;
  r->verdict = v;
  r->stolen = g_ptr_array_new_with_free_func((GDestroyNotify)ns_frame_unref);
  return r;
}

static void rec_free(Rec *r) {
  g_ptr_array_free(r->stolen, TRUE);
  g_free(r);
}

/* Hooks rec at every point of node. */
static void hook_all(NsIpNode *node, Rec *r, gint priority) {
  for (guint p = 0; p < NS_IP_HOOK_N_POINTS; p++)
    ns_ipnode_add_hook(node, p, priority, rec_hook, r);
}

/* The record as one string, then emptied. */
static char *take(GPtrArray *seen) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < seen->len; i++)
    g_string_append_printf(s, "%s%s", i ? " " : "",
                           (char *)g_ptr_array_index(seen, i));
  g_ptr_array_set_size(seen, 0);
  return g_string_free(s, FALSE);
}

#define ASSERT_SEEN(seen, want) ASSERT_STR_TAKEN(take(seen), want)

START_TEST(test_points_forward_vs_local) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  Rec *r = rec_new(seen, "r", NS_IP_ACCEPT);
  hook_all(rb.r, r, 0);
  for (guint p = 0; p < NS_IP_HOOK_N_POINTS; p++)
    ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, p), 1);

  /* A to B through the router: forwarded. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ASSERT_SEEN(seen, "pre-routing:r forward:r post-routing:r");
  ck_assert_ptr_eq(r->last.in, rb.e0);
  ck_assert_ptr_eq(r->last.out, rb.e1);
  ck_assert_uint_eq(r->last.nexthop.v, rb.b->ip.v);
  ck_assert_uint_eq(r->last.ip.ttl, 63); /* POST_ROUTING: decremented */
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 1);

  /* A pings the router: in, and the answer out. */
  inject(n, rb.e0, echo_from_a(&rb, rb.e0->addr.addr, 64));
  ASSERT_SEEN(seen, "pre-routing:r local-in:r local-out:r post-routing:r");
  ck_assert_ptr_null(r->last.in); /* the answer is local */
  ck_assert_ptr_eq(r->last.out, rb.e0);
  ck_assert_uint_eq(r->last.ip.src.v, rb.e0->addr.addr.v);
  ck_assert_uint_eq(r->last.ip.dst.v, rb.a->ip.v);

  /* The router's own datagram to itself: out and back in. */
  guint8 data[8] = {0};
  ck_assert(ns_ipnode_send(rb.r, rb.e1->addr.addr, 253, 64, data, sizeof data,
                           now_of(n), NULL));
  run_for(n, NS_MSEC);
  ASSERT_SEEN(seen, "local-out:r post-routing:r pre-routing:r local-in:r");

  /* Refused before FORWARD: TTL 1 (its ICMP error is local out). */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 1));
  ASSERT_SEEN(seen, "pre-routing:r local-out:r post-routing:r");
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).ttl_exceeded, 1);

  net_free(n);
  rec_free(r);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

START_TEST(test_priority_order) {
  RouterBench rb = router_bench(FALSE);
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  Rec *late = rec_new(seen, "late", NS_IP_ACCEPT);
  Rec *first = rec_new(seen, "first", NS_IP_ACCEPT);
  Rec *mid1 = rec_new(seen, "mid1", NS_IP_ACCEPT);
  Rec *mid2 = rec_new(seen, "mid2", NS_IP_ACCEPT);
  NsIpHookPoint fw = NS_IP_HOOK_FORWARD;
  ns_ipnode_add_hook(rb.r, fw, NS_IP_PRI_NAT_SRC, rec_hook, late);
  ns_ipnode_add_hook(rb.r, fw, NS_IP_PRI_FILTER, rec_hook, mid1);
  ns_ipnode_add_hook(rb.r, fw, NS_IP_PRI_NAT_DST, rec_hook, first);
  ns_ipnode_add_hook(rb.r, fw, NS_IP_PRI_FILTER, rec_hook, mid2);
  inject(rb.net, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ASSERT_SEEN(seen, "forward:first forward:mid1 forward:mid2 forward:late");
  net_free(rb.net);
  rec_free(late);
  rec_free(first);
  rec_free(mid1);
  rec_free(mid2);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

START_TEST(test_drop_and_steal) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  Rec *drop = rec_new(seen, "drop", NS_IP_DROP);
  Rec *after = rec_new(seen, "after", NS_IP_ACCEPT);
  NsIpHook *hd =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_FORWARD, 0, rec_hook, drop);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_FORWARD, 1, rec_hook, after);
  /* DROP: the chain stops, nothing forwarded, no ICMP error, no leak. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ASSERT_SEEN(seen, "forward:drop");
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).icmp_tx, 0);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  ck_assert_uint_eq(probe_count_type(rb.a, NS_ETHERTYPE_IPV4), 0);
  ns_ipnode_remove_hook(rb.r, hd);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_FORWARD), 1);

  /* STOLEN at LOCAL_IN: the hook holds the frame, the echo goes
   * unanswered; the stack neither frees nor counts it as answered. */
  Rec *steal = rec_new(seen, "steal", NS_IP_STOLEN);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_LOCAL_IN, 0, rec_hook, steal);
  NsFrame *in = echo_from_a(&rb, rb.e0->addr.addr, 64);
  guint64 id = in->id;
  inject(n, rb.e0, in);
  ASSERT_SEEN(seen, "local-in:steal");
  ck_assert_uint_eq(steal->stolen->len, 1);
  NsFrame *kept = g_ptr_array_index(steal->stolen, 0);
  ck_assert_uint_eq(kept->id, id);
  ck_assert_uint_eq(kept->refs, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).echo_replied, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).delivered, 0);

  /* With the dropper gone, forwarding works and the later hook runs. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ASSERT_SEEN(seen, "forward:after");
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 1);
  net_free(n);
  rec_free(drop);
  rec_free(after);
  rec_free(steal);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

START_TEST(test_local_out_drop_fails_the_send) {
  HostBench hb = host_bench(FALSE, TRUE);
  Net *n = hb.net;
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  Rec *drop = rec_new(seen, "fw", NS_IP_DROP);
  NsIpHook *h =
      ns_ipnode_add_hook(hb.h, NS_IP_HOOK_LOCAL_OUT, 0, rec_hook, drop);
  ck_assert(!ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(n), NULL));
  ck_assert_uint_eq(ns_ipnode_counters(hb.h).ip_tx, 1); /* counted before */
  run_for(n, NS_SEC);
  ck_assert_uint_eq(probe_n(hb.p), 0); /* not even an ARP request */
  ns_ipnode_remove_hook(hb.h, h);
  ck_assert(ns_ipnode_send(hb.h, hb.p->ip, 253, 64, NULL, 0, now_of(n), NULL));
  run_for(n, NS_SEC);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 1);
  ASSERT_SEEN(seen, "local-out:fw");
  net_free(n);
  rec_free(drop);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

/* ---- changing hooks while they run --------------------------------------- */

typedef struct {
  GPtrArray *seen;
  NsIpHook *self;  /* removes itself on its first call */
  Rec *extra;      /* added on the first call */
  NsIpHook *added; /* its handle */
} Changer;

static NsIpVerdict changer_hook(NsIpNode *node, NsIpHookPoint point,
                                NsIpPacket *pkt, NsTime now, gpointer data) {
  (void)pkt;
  (void)now;
  Changer *c = data;
  g_ptr_array_add(c->seen,
                  g_strdup_printf("%s:changer", ns_ip_hook_point_name(point)));
  ns_ipnode_remove_hook(node, c->self);
  c->added = ns_ipnode_add_hook(node, point, -1000, rec_hook, c->extra);
  return NS_IP_ACCEPT;
}

START_TEST(test_hooks_change_while_running) {
  RouterBench rb = router_bench(FALSE);
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  Rec *other = rec_new(seen, "other", NS_IP_ACCEPT);
  Changer ch = {seen, NULL, rec_new(seen, "extra", NS_IP_ACCEPT), NULL};
  ch.self =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_PRE_ROUTING, 0, changer_hook, &ch);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_PRE_ROUTING, 5, rec_hook, other);
  inject(rb.net, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  /* The change waits for the next datagram: extra (priority -1000) was not
   * called for this one, the changer's removal did not skip "other". */
  ASSERT_SEEN(seen, "pre-routing:changer pre-routing:other");
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_PRE_ROUTING), 2);
  inject(rb.net, rb.e0, echo_from_a(&rb, rb.b->ip, 64));
  ASSERT_SEEN(seen, "pre-routing:extra pre-routing:other");
  ck_assert_uint_eq(probe_count_type(rb.b, NS_ETHERTYPE_IPV4), 2);
  net_free(rb.net); /* frees the hooks still there */
  rec_free(other);
  rec_free(ch.extra);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

/* ---- NAT: rewriting addresses -------------------------------------------- */

typedef struct {
  gboolean dst;   /* rewrite the destination (else the source) */
  NsIp4 from, to; /* translate this address into that */
  guint calls;
} Nat;

/* A NAT for ICMP: the IPv4 checksum is fixed by the wire helper; ICMP's
 * does not cover addresses. */
static NsIpVerdict nat_hook(NsIpNode *node, NsIpHookPoint point,
                            NsIpPacket *pkt, NsTime now, gpointer data) {
  (void)node, (void)point, (void)now;
  Nat *nat = data;
  if ((nat->dst ? pkt->ip.dst : pkt->ip.src).v != nat->from.v)
    return NS_IP_ACCEPT;
  nat->calls++;
  pkt->frame = ns_frame_make_writable(pkt->frame);
  guint8 *ip = pkt->frame->data + NS_ETH_HLEN;
  if (nat->dst)
    ns_ipv4_set_dst(ip, nat->to);
  else
    ns_ipv4_set_src(ip, nat->to);
  return NS_IP_ACCEPT;
}

START_TEST(test_nat_rewrites_and_routing_follows) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  /* A's address leaves as the router's outside address; datagrams to
   * 10.0.1.77 (inside, nobody) are sent to B instead: the routing decision
   * after PRE_ROUTING follows the rewritten destination. */
  Nat out = {FALSE, rb.a->ip, rb.e1->addr.addr, 0};
  Nat fwd = {TRUE, NS_IP4(10, 0, 1, 77), rb.b->ip, 0};
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_POST_ROUTING, NS_IP_PRI_NAT_SRC, nat_hook,
                     &out);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_PRE_ROUTING, NS_IP_PRI_NAT_DST, nat_hook,
                     &fwd);
  NsFrame *shared = echo_from_a(&rb, NS_IP4(10, 0, 1, 77), 64);
  ns_frame_ref(shared); /* a tap still holds it: the hooks must copy */
  inject(n, rb.e0, shared);
  ck_assert_uint_eq(fwd.calls, 1);
  ck_assert_uint_eq(out.calls, 1);
  NsFrame *f = probe_nth_type(rb.b, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(f, &ip, &icmp); /* checksums valid */
  ck_assert_uint_eq(ip.src.v, rb.e1->addr.addr.v);
  ck_assert_uint_eq(ip.dst.v, rb.b->ip.v);
  ck_assert_uint_eq(ip.ttl, 63);
  ck_assert_uint_eq(icmp.type, NS_ICMP_ECHO_REQUEST);
  ck_assert_uint_eq(ns_ipv4_dst(shared->data + NS_ETH_HLEN).v,
                    NS_IP4(10, 0, 1, 77).v); /* the holder's copy is intact */
  ck_assert_uint_eq(ns_ipnode_counters(rb.r).forwarded, 1);
  ns_frame_unref(shared);

  /* LOCAL_OUT: the router's own datagram to 10.0.1.77 is rerouted to B. */
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_LOCAL_OUT, NS_IP_PRI_NAT_DST, nat_hook,
                     &fwd);
  ck_assert(ns_ipnode_send(rb.r, NS_IP4(10, 0, 1, 77), 253, 64, NULL, 0,
                           now_of(n), NULL));
  run_for(n, 100 * NS_MSEC);
  f = probe_nth_type(rb.b, NS_ETHERTYPE_IPV4, 1);
  ck_assert_ptr_nonnull(f);
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.dst.v, rb.b->ip.v);
  ck_assert_uint_eq(ip.src.v, rb.e0->addr.addr.v); /* the source stays */
  ck_assert_uint_eq(probe_count_type(rb.a, NS_ETHERTYPE_IPV4), 0);
  net_free(n);
}
END_TEST

Suite *test_ipnode_hook_suite(void) {
  Suite *s = suite_create("ipnode_hook");
  TCase *tc = test_tcase("hooks");
  tcase_add_test(tc, test_points_forward_vs_local);
  tcase_add_test(tc, test_priority_order);
  tcase_add_test(tc, test_drop_and_steal);
  tcase_add_test(tc, test_local_out_drop_fails_the_send);
  tcase_add_test(tc, test_hooks_change_while_running);
  tcase_add_test(tc, test_nat_rewrites_and_routing_follows);
  suite_add_tcase(s, tc);
  return s;
}

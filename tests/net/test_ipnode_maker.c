/* test_ipnode_maker.c — protocols made on first use (the proto maker) and
 * the per-point bit mask that lets a datagram skip hook points with no
 * hook.
 *
 * The maker is asked only about a protocol with no handler; if it
 * installs one, that handler gets the very datagram that asked; if not,
 * the protocol is unknown (ICMP protocol unreachable for unicast).
 *
 * The hook mask is checked by behaviour: a hook runs while it is there
 * and not after, and a point whose hooks are gone costs nothing.  "Costs
 * nothing" is visible through the checksum mark (NsFrame.csum_ok): the
 * hook loop clears it before any hook runs, so a protocol handler sees
 * ns_ipnode_rx_csum_ok() TRUE only if no hook loop ran for its datagram.
 */
#include <string.h>

#include "ipnode_harness.h"
#include "net/ipnode_hook.h"

/* Protocol numbers set aside for experiments (RFC 3692). */
#define EXP1 253
#define EXP2 254

/* ---- a protocol handler and a maker that record what they saw ------------ */

typedef struct {
  guint calls;
  NsIpIface *iface; /* of the last call */
  NsIpv4Hdr ip;     /* of the last call */
  GByteArray *last; /* payload of the last call */
  gboolean csum_ok; /* ns_ipnode_rx_csum_ok() during the last call */
  gboolean refuse;  /* answer FALSE with port unreachable */
} Handler;

static gboolean handler_fn(NsIpNode *node, NsIpIface *iface,
                           const NsIpv4Hdr *ip, const guint8 *payload,
                           gsize len, NsTime now, gpointer data, guint8 *code) {
  (void)now;
  Handler *h = data;
  h->calls++;
  h->iface = iface;
  h->ip = *ip;
  h->csum_ok = ns_ipnode_rx_csum_ok(node);
  g_byte_array_set_size(h->last, 0);
  g_byte_array_append(h->last, payload, (guint)len);
  if (!h->refuse)
    return TRUE;
  *code = NS_ICMP_PORT_UNREACH;
  return FALSE;
}

static void handler_init(Handler *h) {
  memset(h, 0, sizeof *h);
  h->last = g_byte_array_new();
}

static void handler_clear(Handler *h) { g_byte_array_unref(h->last); }

/* Payload of the handler's last call equals want (a string, no NUL). */
static void assert_got(const Handler *h, const char *want) {
  ck_assert_uint_eq(h->last->len, strlen(want));
  ck_assert_mem_eq(h->last->data, want, strlen(want));
}

typedef struct {
  guint calls;
  guint8 last_proto;  /* what it was asked about last */
  guint8 installs;    /* the protocol it installs handler for; 0: none */
  Handler *handler;   /* the handler it installs */
  NsIpNode *expected; /* the node it must be called for */
} Maker;

static void maker_fn(NsIpNode *node, guint8 proto, gpointer data) {
  Maker *m = data;
  ck_assert_ptr_eq(node, m->expected);
  m->calls++;
  m->last_proto = proto;
  if (m->installs != 0)
    ns_ipnode_set_proto_handler(node, m->installs, handler_fn, m->handler);
}

/* A host whose maker m installs a handler h for proto installs (0:
 * none; h may then be NULL). */
static HostBench maker_bench(Handler *h, Maker *m, guint8 installs) {
  HostBench hb = host_bench(FALSE, TRUE);
  if (h != NULL)
    handler_init(h);
  *m = (Maker){.installs = installs, .handler = h, .expected = hb.h};
  ns_ipnode_set_proto_maker(hb.h, maker_fn, m);
  return hb;
}

/* A unicast datagram of proto from the probe to the host, payload text. */
static NsFrame *dgram_to_host(HostBench *hb, guint8 proto, const char *text) {
  return mk_ipv4(hb->net, hb->i0->nic.mac, hb->p->nic.mac, hb->p->ip,
                 hb->i0->addr.addr, 64, proto, (const guint8 *)text,
                 strlen(text));
}

/* Sends the host a datagram of proto carrying text; then the maker has
 * been called maker_calls times in all, and h (unless NULL) handler_calls. */
static void send_counted(HostBench *hb, guint8 proto, const char *text,
                         const Maker *m, guint maker_calls, const Handler *h,
                         guint handler_calls) {
  inject(hb->net, hb->i0, dgram_to_host(hb, proto, text));
  ck_assert_uint_eq(m->calls, maker_calls);
  if (h != NULL)
    ck_assert_uint_eq(h->calls, handler_calls);
}

/* The probe's i-th IPv4 frame is ICMP destination unreachable with code,
 * quoting a datagram of proto. */
static void assert_unreach(Probe *p, guint i, guint8 code, guint8 proto) {
  NsFrame *f = probe_nth_type(p, NS_ETHERTYPE_IPV4, i);
  ck_assert_msg(f != NULL, "no IPv4 frame #%u at the probe", i);
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(f, &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(icmp.code, code);
  ck_assert_uint_eq(ip.dst.v, p->ip.v);
  NsIpv4Hdr q;
  const guint8 *qp;
  gsize qlen;
  ck_assert(ns_icmp_quoted(&icmp, &q, &qp, &qlen));
  ck_assert_uint_eq(q.proto, proto);
}

/* ---- the maker ----------------------------------------------------------- */

START_TEST(test_maker_installs_handler_which_gets_the_datagram) {
  Handler h;
  Maker m;
  HostBench hb = maker_bench(&h, &m, EXP1);
  Net *n = hb.net;

  send_counted(&hb, EXP1, "first datagram", &m, 1, NULL, 0);
  ck_assert_uint_eq(m.last_proto, EXP1);
  /* The handler made just now was given the datagram that asked. */
  ck_assert_uint_eq(h.calls, 1);
  assert_got(&h, "first datagram");
  ck_assert_ptr_eq(h.iface, hb.i0);
  ck_assert_uint_eq(h.ip.proto, EXP1);
  ck_assert_uint_eq(h.ip.src.v, hb.p->ip.v);
  ck_assert_uint_eq(h.ip.dst.v, hb.i0->addr.addr.v);
  /* Taken: no ICMP error, nothing logged as unsupported. */
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 0);
  ck_assert_uint_eq(ev_count(n, "h1", "ip/drop"), 0);

  /* The next one goes straight to the handler. */
  send_counted(&hb, EXP1, "2nd", &m, 1, &h, 2);
  assert_got(&h, "2nd");
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 0);
  net_free(n);
  handler_clear(&h);
}
END_TEST

START_TEST(test_made_handler_refusing_answers_its_code) {
  Handler h;
  Maker m;
  HostBench hb = maker_bench(&h, &m, EXP1);
  h.refuse = TRUE;
  send_counted(&hb, EXP1, "closed", &m, 1, &h, 1);
  /* The handler's code, not "protocol unreachable": it was handled. */
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 1);
  assert_unreach(hb.p, 0, NS_ICMP_PORT_UNREACH, EXP1);
  net_free(hb.net);
  handler_clear(&h);
}
END_TEST

START_TEST(test_maker_making_nothing_leaves_protocol_unknown) {
  Maker m;
  HostBench hb = maker_bench(NULL, &m, 0);
  Net *n = hb.net;

  send_counted(&hb, EXP1, "anyone?", &m, 1, NULL, 0);
  ck_assert_uint_eq(m.last_proto, EXP1);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 1);
  assert_unreach(hb.p, 0, NS_ICMP_PROTO_UNREACH, EXP1);
  ck_assert_str_eq(ev_last(n, "h1", "ip/drop")->summary,
                   "protocol 253 unsupported");

  /* Still no handler: asked again next time, same answer. */
  send_counted(&hb, EXP2, "and now?", &m, 2, NULL, 0);
  ck_assert_uint_eq(m.last_proto, EXP2);
  assert_unreach(hb.p, 1, NS_ICMP_PROTO_UNREACH, EXP2);

  /* To the subnet broadcast: asked, but no ICMP error (RFC 1122). */
  inject(n, hb.i0,
         mk_ipv4(n, ns_mac_broadcast, hb.p->nic.mac, hb.p->ip,
                 NS_IP4(10, 0, 0, 255), 64, EXP1, (const guint8 *)"b", 1));
  ck_assert_uint_eq(m.calls, 3);
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 2);
  ck_assert_uint_eq(ev_count(n, "h1", "ip/drop"), 3);
  net_free(n);
}
END_TEST

START_TEST(test_maker_installing_another_protocol) {
  /* Asked about EXP1, the maker installs a handler for EXP2 only: the
   * EXP1 datagram is unknown, and EXP2 then needs no maker. */
  Handler h;
  Maker m;
  HostBench hb = maker_bench(&h, &m, EXP2);
  Net *n = hb.net;
  send_counted(&hb, EXP1, "one", &m, 1, &h, 0);
  assert_unreach(hb.p, 0, NS_ICMP_PROTO_UNREACH, EXP1);

  send_counted(&hb, EXP2, "two", &m, 1, &h, 1);
  assert_got(&h, "two");
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 1);
  net_free(n);
  handler_clear(&h);
}
END_TEST

START_TEST(test_maker_removed) {
  Handler h;
  Maker m;
  HostBench hb = maker_bench(&h, &m, EXP1);
  Net *n = hb.net;
  ns_ipnode_set_proto_maker(hb.h, NULL, NULL);
  send_counted(&hb, EXP1, "gone", &m, 0, &h, 0);
  assert_unreach(hb.p, 0, NS_ICMP_PROTO_UNREACH, EXP1);

  /* Set again, it works again; removed after making, the handler stays. */
  ns_ipnode_set_proto_maker(hb.h, maker_fn, &m);
  send_counted(&hb, EXP1, "back", &m, 1, &h, 1);
  ns_ipnode_set_proto_maker(hb.h, NULL, NULL);
  send_counted(&hb, EXP1, "stays", &m, 1, &h, 2);
  assert_got(&h, "stays");
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 1);
  net_free(n);
  handler_clear(&h);
}
END_TEST

START_TEST(test_explicit_handler_wins_over_maker) {
  Handler own, made;
  Maker m;
  HostBench hb = maker_bench(&made, &m, EXP2);
  Net *n = hb.net;
  handler_init(&own);
  ns_ipnode_set_proto_handler(hb.h, EXP1, handler_fn, &own);

  send_counted(&hb, EXP1, "mine", &m, 0, &own, 1);
  assert_got(&own, "mine");

  /* ICMP is the stack's own: the maker is never asked about it. */
  inject(n, hb.i0,
         mk_echo(n, hb.i0->nic.mac, hb.p->nic.mac, hb.p->ip, hb.i0->addr.addr,
                 64, 9, 1));
  ck_assert_uint_eq(m.calls, 0);
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(probe_nth_type(hb.p, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_ECHO_REPLY);

  /* The maker still serves the other protocols. */
  send_counted(&hb, EXP2, "made", &m, 1, NULL, 0);
  ck_assert_uint_eq(m.last_proto, EXP2);
  ck_assert_uint_eq(made.calls, 1);
  ck_assert_uint_eq(own.calls, 1);

  /* The explicit handler removed, EXP1 has none: the maker is asked. */
  ns_ipnode_set_proto_handler(hb.h, EXP1, NULL, NULL);
  send_counted(&hb, EXP1, "orphan", &m, 2, NULL, 0);
  ck_assert_uint_eq(m.last_proto, EXP1);
  ck_assert_uint_eq(own.calls, 1);
  assert_unreach(hb.p, 1, NS_ICMP_PROTO_UNREACH, EXP1);
  net_free(n);
  handler_clear(&own);
  handler_clear(&made);
}
END_TEST

/* ---- the hook mask ------------------------------------------------------- */

/* Counts its calls per point; answers ACCEPT. */
typedef struct {
  guint calls[NS_IP_HOOK_N_POINTS];
  NsIpHook *self; /* with remove_self: removes this on its first call */
  gboolean remove_self;
} Counter;

static NsIpVerdict count_hook(NsIpNode *node, NsIpHookPoint point,
                              NsIpPacket *pkt, NsTime now, gpointer data) {
  (void)pkt, (void)now;
  Counter *c = data;
  c->calls[point]++;
  if (c->remove_self && c->self != NULL) {
    ns_ipnode_remove_hook(node, c->self);
    c->self = NULL;
  }
  return NS_IP_ACCEPT;
}

static guint total_hooks(const NsIpNode *node) {
  guint t = 0;
  for (guint p = 0; p < NS_IP_HOOK_N_POINTS; p++)
    t += ns_ipnode_n_hooks(node, p);
  return t;
}

/* An echo request from A to dst turns up at probe `at` as its k-th IPv4
 * frame, an ICMP message of type: the request forwarded (TTL 63), or
 * r1's reply. */
static void assert_echo_at(RouterBench *rb, NsIp4 dst, Probe *at, guint8 type,
                           guint k) {
  inject(rb->net, rb->e0, echo_from_a(rb, dst, 64));
  NsFrame *f = probe_nth_type(at, NS_ETHERTYPE_IPV4, k);
  ck_assert_msg(f != NULL, "echo #%u: nothing came", k);
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(f, &ip, &icmp);
  ck_assert_uint_eq(icmp.type, type);
  if (type == NS_ICMP_ECHO_REQUEST)
    ck_assert_uint_eq(ip.ttl, 63);
  ck_assert_uint_eq(probe_count_type(at, NS_ETHERTYPE_IPV4), k + 1);
}

/* A's echo to B went through r1 (the k-th IPv4 frame at B). */
static void assert_forwarded(RouterBench *rb, guint k) {
  assert_echo_at(rb, rb->b->ip, rb->b, NS_ICMP_ECHO_REQUEST, k);
}

/* A pings r1 and gets its answer (the k-th IPv4 frame at A). */
static void assert_answered(RouterBench *rb, guint k) {
  assert_echo_at(rb, rb->e0->addr.addr, rb->a, NS_ICMP_ECHO_REPLY, k);
}

START_TEST(test_never_hooked_node_forwards_and_delivers) {
  RouterBench rb = router_bench(FALSE);
  for (guint p = 0; p < NS_IP_HOOK_N_POINTS; p++)
    ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, p), 0);
  assert_forwarded(&rb, 0);
  assert_answered(&rb, 0);
  assert_forwarded(&rb, 1);
  ck_assert_uint_eq(total_hooks(rb.r), 0);
  net_free(rb.net);
}
END_TEST

START_TEST(test_hook_runs_until_removed) {
  RouterBench rb = router_bench(FALSE);
  Counter c = {0};
  NsIpHook *fw =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_FORWARD, 0, count_hook, &c);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_FORWARD), 1);
  assert_forwarded(&rb, 0);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 1);
  /* Only its own point: a local datagram passes other points. */
  assert_answered(&rb, 0);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 1);

  ns_ipnode_remove_hook(rb.r, fw);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_FORWARD), 0);
  ck_assert_uint_eq(total_hooks(rb.r), 0);
  assert_forwarded(&rb, 1);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 1);

  /* Added again after the point went empty: it runs again. */
  fw = ns_ipnode_add_hook(rb.r, NS_IP_HOOK_FORWARD, 0, count_hook, &c);
  assert_forwarded(&rb, 2);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 2);
  ns_ipnode_remove_hook(rb.r, fw);
  assert_forwarded(&rb, 3);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 2);
  net_free(rb.net);
}
END_TEST

START_TEST(test_removing_one_point_keeps_the_others) {
  RouterBench rb = router_bench(FALSE);
  Counter c = {0};
  NsIpHook *pre =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_PRE_ROUTING, 0, count_hook, &c);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_LOCAL_IN, 0, count_hook, &c);
  assert_answered(&rb, 0);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_PRE_ROUTING], 1);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_LOCAL_IN], 1);

  ns_ipnode_remove_hook(rb.r, pre);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_PRE_ROUTING), 0);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_LOCAL_IN), 1);
  assert_answered(&rb, 1);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_PRE_ROUTING], 1);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_LOCAL_IN], 2);

  /* Two hooks at one point: removing one keeps the point hooked. */
  Counter d = {0};
  NsIpHook *post1 =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_POST_ROUTING, 0, count_hook, &c);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_POST_ROUTING, 1, count_hook, &d);
  assert_forwarded(&rb, 0);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_POST_ROUTING], 1);
  ck_assert_uint_eq(d.calls[NS_IP_HOOK_POST_ROUTING], 1);
  ns_ipnode_remove_hook(rb.r, post1);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_POST_ROUTING), 1);
  assert_forwarded(&rb, 1);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_POST_ROUTING], 1);
  ck_assert_uint_eq(d.calls[NS_IP_HOOK_POST_ROUTING], 2);
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_PRE_ROUTING], 1);
  net_free(rb.net);
}
END_TEST

START_TEST(test_hook_removing_itself_while_running) {
  RouterBench rb = router_bench(FALSE);
  Counter once = {.remove_self = TRUE};
  Counter stay = {0};
  once.self =
      ns_ipnode_add_hook(rb.r, NS_IP_HOOK_FORWARD, 0, count_hook, &once);
  ns_ipnode_add_hook(rb.r, NS_IP_HOOK_POST_ROUTING, 0, count_hook, &stay);
  assert_forwarded(&rb, 0);
  ck_assert_uint_eq(once.calls[NS_IP_HOOK_FORWARD], 1);
  ck_assert_uint_eq(ns_ipnode_n_hooks(rb.r, NS_IP_HOOK_FORWARD), 0);
  assert_forwarded(&rb, 1);
  ck_assert_uint_eq(once.calls[NS_IP_HOOK_FORWARD], 1);
  ck_assert_uint_eq(stay.calls[NS_IP_HOOK_POST_ROUTING], 2);
  net_free(rb.net);
}
END_TEST

/* h1 sends an EXP1 datagram to h2, whose handler notes whether the
 * datagram's checksum mark survived to it. */
static gboolean mark_survives(PairBench *pb, Handler *h) {
  guint before = h->calls;
  /* Marked as a sender whose checksums are right would mark it. */
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(EXP1, 64);
  o.csum_ok = TRUE;
  ck_assert(ns_ipnode_send_with(pb->h1, pb->b->addr.addr, &o,
                                (const guint8 *)"x", 1, now_of(pb->net), NULL));
  run_for(pb->net, 100 * NS_MSEC);
  ck_assert_uint_eq(h->calls, before + 1);
  return h->csum_ok;
}

START_TEST(test_empty_point_costs_nothing) {
  PairBench pb = pair_bench(&quick_link);
  Handler h;
  handler_init(&h);
  ns_ipnode_set_proto_handler(pb.h2, EXP1, handler_fn, &h);
  /* Never hooked: the mark the sender's stack set arrives intact. */
  ck_assert(mark_survives(&pb, &h));

  /* A hook on the way in runs its loop, which clears the mark. */
  Counter c = {0};
  NsIpHook *in =
      ns_ipnode_add_hook(pb.h2, NS_IP_HOOK_LOCAL_IN, 0, count_hook, &c);
  ck_assert(!mark_survives(&pb, &h));
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_LOCAL_IN], 1);

  /* Removed: no loop runs at that point any more. */
  ns_ipnode_remove_hook(pb.h2, in);
  ck_assert(mark_survives(&pb, &h));
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_LOCAL_IN], 1);

  /* A hook at a point this datagram does not pass (a host forwards
   * nothing) costs the points it does pass nothing either. */
  ns_ipnode_add_hook(pb.h2, NS_IP_HOOK_FORWARD, 0, count_hook, &c);
  ns_ipnode_add_hook(pb.h2, NS_IP_HOOK_LOCAL_OUT, 0, count_hook, &c);
  ck_assert(mark_survives(&pb, &h));
  ck_assert_uint_eq(c.calls[NS_IP_HOOK_FORWARD], 0);
  net_free(pb.net);
  handler_clear(&h);
}
END_TEST

Suite *test_ipnode_maker_suite(void) {
  Suite *s = suite_create("ipnode_maker");
  TCase *tc = test_tcase("maker");
  tcase_add_test(tc, test_maker_installs_handler_which_gets_the_datagram);
  tcase_add_test(tc, test_made_handler_refusing_answers_its_code);
  tcase_add_test(tc, test_maker_making_nothing_leaves_protocol_unknown);
  tcase_add_test(tc, test_maker_installing_another_protocol);
  tcase_add_test(tc, test_maker_removed);
  tcase_add_test(tc, test_explicit_handler_wins_over_maker);
  suite_add_tcase(s, tc);
  tc = test_tcase("hook_mask");
  tcase_add_test(tc, test_never_hooked_node_forwards_and_delivers);
  tcase_add_test(tc, test_hook_runs_until_removed);
  tcase_add_test(tc, test_removing_one_point_keeps_the_others);
  tcase_add_test(tc, test_hook_removing_itself_while_running);
  tcase_add_test(tc, test_empty_point_costs_nothing);
  suite_add_tcase(s, tc);
  return s;
}

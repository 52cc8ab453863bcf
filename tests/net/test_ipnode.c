/* test_ipnode.c — the IP stack shared by hosts and routers (ARP answers
 * and learning, the on-link/gateway decision, forwarding, ICMP errors,
 * broadcasts, malformed and random input) and the ping/traceroute apps.
 *
 * Networks are built by hand: nodes, switches and links on one NsCtx, time
 * driven by an NsSched.  A "probe" is a bare NIC at the far end of a link
 * that records every frame it receives (and, if asked, answers ARP for its
 * own address), so one node can be tested in isolation with frames crafted
 * by the wire codecs and injected straight into its NIC's recv. */
#include <string.h>

#include "net/ping.h"
#include "net/switch.h"
#include "sim/sched.h"
#include "testutil.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

#define PFX(a, b, c, d, l) ((NsPrefix){NS_IP4(a, b, c, d), (l)})

/* ---- the test network ---------------------------------------------------- */

typedef struct {
  char *node, *event, *summary, *why;
  NsTime time;
} Ev;

typedef struct Net Net;

typedef struct {
  NsNic nic; /* embedded, must stay first */
  Net *net;
  GPtrArray *got; /* frames received, a reference each */
  GArray *times;  /* of NsTime, arrival of got[i] */
  NsIp4 ip;       /* the address it answers ARP for */
  gboolean answer_arp;
} Probe;

struct Net {
  NsCtx ctx;
  NsSched sched;
  GArray *events;      /* of Ev */
  GPtrArray *nodes;    /* NsIpNode*, freed by net_free */
  GPtrArray *links;    /* NsLink* */
  GPtrArray *switches; /* NsSwitch* */
  GPtrArray *probes;   /* Probe* */
  GPtrArray *pings;    /* NsPing* */
  GPtrArray *traces;   /* NsTrace* */
  GPtrArray *out;      /* application output lines (char*) */
  guint done;          /* application done hooks called */
};

/* Delay 1 ms, infinitely fast, so times are easy to predict. */
static const NsLinkParams quick = {1 * NS_MSEC, 0, 0, 64};

static void ev_clear(gpointer p) {
  Ev *e = p;
  g_free(e->node);
  g_free(e->event);
  g_free(e->summary);
  g_free(e->why);
}

static void record_event(const NsLogEvent *ev, gpointer data) {
  Ev e = {g_strdup(ev->node), g_strdup(ev->event), g_strdup(ev->summary),
          g_strdup(ev->why), ev->time};
  g_array_append_val((GArray *)data, e);
}

static Net *net_new(gboolean explain) {
  Net *n = g_new0(Net, 1);
  n->ctx.timers = ns_timerq_new();
  n->ctx.log = ns_log_new();
  n->ctx.rng = g_rand_new_with_seed(1);
  ns_sched_init(&n->sched, n->ctx.timers);
  n->events = g_array_new(FALSE, TRUE, sizeof(Ev));
  g_array_set_clear_func(n->events, ev_clear);
  ns_log_add_sink(n->ctx.log, record_event, n->events, NULL);
  ns_log_set_explain(n->ctx.log, explain);
  n->nodes = g_ptr_array_new();
  n->links = g_ptr_array_new();
  n->switches = g_ptr_array_new();
  n->probes = g_ptr_array_new();
  n->pings = g_ptr_array_new();
  n->traces = g_ptr_array_new();
  n->out = g_ptr_array_new_with_free_func(g_free);
  return n;
}

static void net_free(Net *n) {
  for (guint i = 0; i < n->pings->len; i++)
    ns_ping_free(g_ptr_array_index(n->pings, i));
  for (guint i = 0; i < n->traces->len; i++)
    ns_trace_free(g_ptr_array_index(n->traces, i));
  for (guint i = 0; i < n->links->len; i++)
    ns_link_free(g_ptr_array_index(n->links, i));
  for (guint i = 0; i < n->nodes->len; i++)
    ns_ipnode_free(g_ptr_array_index(n->nodes, i));
  for (guint i = 0; i < n->switches->len; i++)
    ns_switch_free(g_ptr_array_index(n->switches, i));
  for (guint i = 0; i < n->probes->len; i++) {
    Probe *p = g_ptr_array_index(n->probes, i);
    ns_nic_clear(&p->nic);
    g_ptr_array_free(p->got, TRUE);
    g_array_free(p->times, TRUE);
    g_free(p);
  }
  g_ptr_array_free(n->nodes, TRUE);
  g_ptr_array_free(n->links, TRUE);
  g_ptr_array_free(n->switches, TRUE);
  g_ptr_array_free(n->probes, TRUE);
  g_ptr_array_free(n->pings, TRUE);
  g_ptr_array_free(n->traces, TRUE);
  g_ptr_array_free(n->out, TRUE);
  ns_log_free(n->ctx.log);
  g_array_free(n->events, TRUE);
  g_rand_free(n->ctx.rng);
  ns_timerq_free(n->ctx.timers);
  g_free(n);
}

static NsTime now_of(Net *n) { return n->sched.now; }
static void run_until(Net *n, NsTime t) { ns_sched_run_until(&n->sched, t); }
/* Runs for dt more nanoseconds of virtual time. */
static void run_for(Net *n, NsTime dt) { run_until(n, n->sched.now + dt); }

static NsIpNode *add_node(Net *n, const char *name, gboolean router) {
  NsIpNode *node = ns_ipnode_new(&n->ctx, name, router, NULL);
  g_ptr_array_add(n->nodes, node);
  return node;
}

static NsLink *connect_nics(Net *n, NsNic *a, NsNic *b, const NsLinkParams *p) {
  NsLink *l = ns_link_new(&n->ctx, a, b, p);
  ck_assert_ptr_nonnull(l);
  g_ptr_array_add(n->links, l);
  return l;
}

static NsSwitch *add_switch(Net *n, const char *name) {
  NsSwitch *sw = ns_switch_new(&n->ctx, name, 0, 0);
  g_ptr_array_add(n->switches, sw);
  return sw;
}

static void send_arp_reply_from(Probe *p, NsMac to_mac, NsIp4 to_ip,
                                NsTime now);

static void probe_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Probe *p = (Probe *)nic;
  g_ptr_array_add(p->got, frame);
  g_array_append_val(p->times, now);
  NsArp a;
  if (p->answer_arp && frame->len >= NS_ETH_HLEN + NS_ARP_LEN &&
      ns_eth_type(frame->data) == NS_ETHERTYPE_ARP &&
      ns_arp_parse(frame->data + NS_ETH_HLEN, frame->len - NS_ETH_HLEN, &a,
                   NULL) &&
      a.op == NS_ARP_OP_REQUEST && a.tpa.v == p->ip.v)
    send_arp_reply_from(p, a.sha, a.spa, now);
}

/* A probe NIC attached by a quick link to nic. */
static Probe *add_probe(Net *n, NsNic *nic, const char *name, NsMac mac,
                        NsIp4 ip, gboolean answer_arp) {
  Probe *p = g_new0(Probe, 1);
  ns_nic_init(&p->nic, name, name, p, 0, probe_recv);
  p->nic.mac = mac;
  p->net = n;
  p->got = g_ptr_array_new_with_free_func((GDestroyNotify)ns_frame_unref);
  p->times = g_array_new(FALSE, FALSE, sizeof(NsTime));
  p->ip = ip;
  p->answer_arp = answer_arp;
  g_ptr_array_add(n->probes, p);
  if (nic != NULL)
    connect_nics(n, nic, &p->nic, &quick);
  return p;
}

/* ---- crafting frames ----------------------------------------------------- */

static NsFrame *mk_arp(Net *n, guint16 op, NsMac eth_dst, NsMac sha, NsIp4 spa,
                       NsMac tha, NsIp4 tpa) {
  NsFrame *f = ns_ctx_frame_new(&n->ctx, NS_ETH_MIN_FRAME);
  NsEthHdr eth = {eth_dst, sha, NS_ETHERTYPE_ARP};
  ns_eth_emit(f->data, &eth);
  NsArp a = {op, sha, spa, tha, tpa};
  ns_arp_emit(f->data + NS_ETH_HLEN, &a);
  return f;
}

static void send_arp_reply_from(Probe *p, NsMac to_mac, NsIp4 to_ip,
                                NsTime now) {
  NsFrame *f =
      mk_arp(p->net, NS_ARP_OP_REPLY, to_mac, p->nic.mac, p->ip, to_mac, to_ip);
  ns_nic_send(&p->nic, f, now);
}

static NsFrame *mk_ipv4(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src,
                        NsIp4 dst, guint8 ttl, guint8 proto,
                        const guint8 *payload, gsize len) {
  gsize total = NS_IPV4_HLEN + len;
  NsFrame *f =
      ns_ctx_frame_new(&n->ctx, ns_eth_padded_len(NS_ETH_HLEN + total));
  NsEthHdr eth = {eth_dst, eth_src, NS_ETHERTYPE_IPV4};
  ns_eth_emit(f->data, &eth);
  NsIpv4Hdr ip = {0};
  ip.total_len = (guint16)total;
  ip.id = 0x1234;
  ip.ttl = ttl;
  ip.proto = proto;
  ip.src = src;
  ip.dst = dst;
  ns_ipv4_emit(f->data + NS_ETH_HLEN, &ip);
  if (len > 0)
    memcpy(f->data + NS_ETH_HLEN + NS_IPV4_HLEN, payload, len);
  return f;
}

static NsFrame *mk_echo(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src,
                        NsIp4 dst, guint8 ttl, guint16 id, guint16 seq) {
  guint8 data[16], buf[NS_ICMP_HLEN + 16];
  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8)(0xa0 + i);
  NsIcmp m = {NS_ICMP_ECHO_REQUEST, 0, 0, id, seq, data, sizeof data};
  gsize len = ns_icmp_emit(buf, &m);
  return mk_ipv4(n, eth_dst, eth_src, src, dst, ttl, NS_IPPROTO_ICMP, buf, len);
}

/* Hands frame (taken) to iface as if it had just arrived, then lets the
 * network run for 100 ms. */
static void inject(Net *n, NsIpIface *iface, NsFrame *frame) {
  iface->nic.recv(&iface->nic, frame, now_of(n));
  run_for(n, 100 * NS_MSEC);
}

/* ---- looking at results -------------------------------------------------- */

static guint probe_n(Probe *p) { return p->got->len; }
static NsFrame *probe_frame(Probe *p, guint i) {
  ck_assert_uint_lt(i, p->got->len);
  return g_ptr_array_index(p->got, i);
}

/* The i-th (0-based) frame of the probe with EtherType type, or NULL. */
static NsFrame *probe_nth_type(Probe *p, guint16 type, guint i) {
  for (guint k = 0; k < p->got->len; k++) {
    NsFrame *f = g_ptr_array_index(p->got, k);
    if (f->len >= NS_ETH_HLEN && ns_eth_type(f->data) == type && i-- == 0)
      return f;
  }
  return NULL;
}

static guint probe_count_type(Probe *p, guint16 type) {
  guint c = 0;
  while (probe_nth_type(p, type, c) != NULL)
    c++;
  return c;
}

/* Parses an IPv4 frame fully (checksum included) and its ICMP message. */
static void parse_icmp_frame(const NsFrame *f, NsIpv4Hdr *ip, NsIcmp *icmp) {
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(ns_eth_type(f->data), NS_ETHERTYPE_IPV4);
  const char *err = NULL;
  ck_assert_msg(
      ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, ip, &err),
      "bad IPv4: %s", err);
  ck_assert_uint_eq(ip->proto, NS_IPPROTO_ICMP);
  ck_assert_msg(ns_icmp_parse(f->data + NS_ETH_HLEN + ip->hlen,
                              ip->total_len - ip->hlen, icmp, &err),
                "bad ICMP: %s", err);
}

static guint ev_count(Net *n, const char *node, const char *event) {
  guint c = 0;
  for (guint i = 0; i < n->events->len; i++) {
    Ev *e = &g_array_index(n->events, Ev, i);
    if ((node == NULL || strcmp(e->node, node) == 0) &&
        strcmp(e->event, event) == 0)
      c++;
  }
  return c;
}

/* Index of the first matching event at or after from, or -1. */
static gint ev_find(Net *n, guint from, const char *node, const char *event) {
  for (guint i = from; i < n->events->len; i++) {
    Ev *e = &g_array_index(n->events, Ev, i);
    if ((node == NULL || strcmp(e->node, node) == 0) &&
        strcmp(e->event, event) == 0)
      return (gint)i;
  }
  return -1;
}

static const Ev *ev_at(Net *n, gint i) {
  ck_assert_int_ge(i, 0);
  ck_assert_uint_lt((guint)i, n->events->len);
  return &g_array_index(n->events, Ev, i);
}

/* ---- applications -------------------------------------------------------- */

static void app_out(const char *line, gpointer data) {
  Net *n = data;
  g_ptr_array_add(n->out, g_strdup(line));
}

static void app_done(gpointer data) { ((Net *)data)->done++; }

static NsPing *start_ping(Net *n, NsIpNode *node, NsIp4 dst, guint count,
                          NsTime timeout) {
  NsPingOptions o = ns_ping_default_options;
  o.count = count;
  o.timeout = timeout;
  NsAppHooks hooks = {.out = app_out, .done = app_done, .data = n};
  NsPing *p = ns_ping_start(node, dst, NULL, &o, now_of(n), &hooks);
  ck_assert_ptr_nonnull(p);
  g_ptr_array_add(n->pings, p);
  return p;
}

/* Lines of output containing s. */
static guint out_count(Net *n, const char *s) {
  guint c = 0;
  for (guint i = 0; i < n->out->len; i++)
    if (strstr(g_ptr_array_index(n->out, i), s) != NULL)
      c++;
  return c;
}

static const char *out_line(Net *n, guint i) {
  ck_assert_uint_lt(i, n->out->len);
  return g_ptr_array_index(n->out, i);
}

/* ---- a router between two probes ----------------------------------------- */

/* r1: eth0 10.0.1.1/24 (02:..:11) to probe A 10.0.1.10 (02:..:0a);
 *     eth1 10.0.2.1/24 (02:..:12) to probe B 10.0.2.20 (02:..:0b).
 * Both probes answer ARP. */
typedef struct {
  Net *net;
  NsIpNode *r;
  NsIpIface *e0, *e1;
  Probe *a, *b;
} RouterBench;

static RouterBench router_bench(gboolean explain) {
  RouterBench rb;
  rb.net = net_new(explain);
  rb.r = add_node(rb.net, "r1", TRUE);
  rb.e0 = ns_ipnode_add_iface(rb.r, "eth0", PFX(10, 0, 1, 1, 24),
                              ns_mac_local(0x11));
  rb.e1 = ns_ipnode_add_iface(rb.r, "eth1", PFX(10, 0, 2, 1, 24),
                              ns_mac_local(0x12));
  rb.a = add_probe(rb.net, &rb.e0->nic, "A", ns_mac_local(0x0a),
                   NS_IP4(10, 0, 1, 10), TRUE);
  rb.b = add_probe(rb.net, &rb.e1->nic, "B", ns_mac_local(0x0b),
                   NS_IP4(10, 0, 2, 20), TRUE);
  return rb;
}

/* An echo request from A (through r1) to dst with ttl. */
static NsFrame *echo_from_a(RouterBench *rb, NsIp4 dst, guint8 ttl) {
  return mk_echo(rb->net, rb->e0->nic.mac, rb->a->nic.mac, rb->a->ip, dst, ttl,
                 0x77, 1);
}

/* ==== ARP ================================================================= */

START_TEST(test_arp_request_answered) {
  Net *n = net_new(TRUE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);

  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
                ns_mac_zero, NS_IP4(10, 0, 0, 1)));

  ck_assert_uint_eq(probe_n(p), 1);
  NsFrame *f = probe_frame(p, 0);
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
  ck_assert_uint_eq(g_array_index(p->times, NsTime, 0), 1 * NS_MSEC);

  /* The asker was learned (RFC 826: a request for us creates the entry). */
  const NsArpEntry *e = ns_arp_cache_find(i0->arp, p->ip, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert_int_eq(e->state, NS_ARP_REACHABLE);
  ck_assert(ns_mac_equal(e->mac, p->nic.mac));
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_replies, 1);
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_requests, 0);
  gint r = ev_find(n, 0, "h1", "arp/reply");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "is my address"));
  ck_assert_int_ge(ev_find(n, 0, "h1", "arp/learn"), 0);
  net_free(n);
}
END_TEST

START_TEST(test_arp_request_other_ignored) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);

  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
                ns_mac_zero, NS_IP4(10, 0, 0, 2)));
  ck_assert_uint_eq(probe_n(p), 0);
  ck_assert_ptr_null(ns_arp_cache_find(i0->arp, p->ip, now_of(n)));
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 0);
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_replies, 0);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/ignore"), 1);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/learn"), 0);

  /* An unsolicited reply addressed to someone else creates nothing either. */
  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REPLY, ns_mac_broadcast, p->nic.mac, p->ip,
                ns_mac_local(7), NS_IP4(10, 0, 0, 7)));
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 0);
  ck_assert_uint_eq(probe_n(p), 0);
  net_free(n);
}
END_TEST

START_TEST(test_arp_request_other_refreshes_known) {
  /* The merge half of RFC 826: a known sender's entry is updated even by
   * a request that is not for us. */
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);
  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
                ns_mac_zero, NS_IP4(10, 0, 0, 1)));
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 1);

  NsMac moved = ns_mac_local(0x98);
  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, moved, p->ip,
                ns_mac_zero, NS_IP4(10, 0, 0, 3)));
  const NsArpEntry *e = ns_arp_cache_find(i0->arp, p->ip, now_of(n));
  ck_assert_ptr_nonnull(e);
  ck_assert(ns_mac_equal(e->mac, moved));
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 1);
  ck_assert_uint_eq(probe_n(p), 1); /* only the first was answered */
  net_free(n);
}
END_TEST

START_TEST(test_arp_reply_releases_queued) {
  /* A datagram waits in the ARP queue and leaves, with the learned MAC,
   * when the reply comes. */
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);
  guint8 data[4] = {1, 2, 3, 4};
  ck_assert(
      ns_ipnode_send(h, p->ip, 253, 64, data, sizeof data, now_of(n), NULL));
  ck_assert(
      ns_ipnode_send(h, p->ip, 253, 64, data, sizeof data, now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  ck_assert_uint_eq(probe_n(p), 1); /* one request for two datagrams */
  NsArp a;
  NsFrame *rq = probe_frame(p, 0);
  ck_assert(ns_mac_is_broadcast(ns_eth_dst(rq->data)));
  ck_assert(
      ns_arp_parse(rq->data + NS_ETH_HLEN, rq->len - NS_ETH_HLEN, &a, NULL));
  ck_assert_uint_eq(a.op, NS_ARP_OP_REQUEST);
  ck_assert_uint_eq(a.tpa.v, p->ip.v);
  ck_assert_uint_eq(a.spa.v, NS_IP4(10, 0, 0, 1).v);
  ck_assert(ns_mac_equal(a.sha, i0->nic.mac));
  ck_assert(ns_mac_is_zero(a.tha));

  inject(n, i0,
         mk_arp(n, NS_ARP_OP_REPLY, i0->nic.mac, p->nic.mac, p->ip, i0->nic.mac,
                NS_IP4(10, 0, 0, 1)));
  ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), 2);
  for (guint k = 0; k < 2; k++) {
    NsFrame *f = probe_nth_type(p, NS_ETHERTYPE_IPV4, k);
    ck_assert(ns_mac_equal(ns_eth_dst(f->data), p->nic.mac));
    ck_assert(ns_mac_equal(ns_eth_src(f->data), i0->nic.mac));
    NsIpv4Hdr ip;
    ck_assert(
        ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &ip, NULL));
    ck_assert_uint_eq(ip.proto, 253);
    ck_assert_uint_eq(ip.id, k + 1); /* in order */
    ck_assert_mem_eq(f->data + NS_ETH_HLEN + NS_IPV4_HLEN, data, sizeof data);
  }
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_requests, 1);
  ck_assert_uint_eq(ns_ipnode_counters(h)->ip_tx, 2);
  net_free(n);
}
END_TEST

START_TEST(test_arp_silent_gives_host_unreachable) {
  Net *n = net_new(TRUE);
  NsArpConfig cfg = ns_arp_default_config;
  cfg.retries = 4;
  cfg.retry_interval = 200 * NS_MSEC;
  NsIpNode *h = ns_ipnode_new(&n->ctx, "h1", FALSE, &cfg);
  g_ptr_array_add(n->nodes, h);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);

  NsPing *ping = start_ping(n, h, NS_IP4(10, 0, 0, 77), 1, 5 * NS_SEC);
  run_for(n, 10 * NS_SEC);

  /* Exactly `retries` requests, retry_interval apart. */
  ck_assert_uint_eq(probe_n(p), 4);
  ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_ARP), 4);
  for (guint i = 0; i < 4; i++)
    ck_assert_uint_eq(g_array_index(p->times, NsTime, i),
                      i * 200 * NS_MSEC + 1 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_requests, 4);
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_failed, 1);
  ck_assert_uint_eq(ev_count(n, "h1", "arp/request"), 4);
  gint f = ev_find(n, 0, "h1", "arp/fail");
  ck_assert_int_ge(f, 0);
  ck_assert_uint_eq(ev_at(n, f)->time, 800 * NS_MSEC);
  ck_assert_ptr_null(
      ns_arp_cache_find(i0->arp, NS_IP4(10, 0, 0, 77), now_of(n)));

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
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->arp_failed, 1);
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
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), TRUE);
  for (guint i = 0; i < NS_ARP_PENDING_MAX + 2; i++)
    ns_ipnode_send(h, p->ip, 253, 64, NULL, 0, now_of(n), NULL);
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(h)->arp_failed, 2);
  ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), NS_ARP_PENDING_MAX);
  NsIpv4Hdr ip;
  NsFrame *f = probe_nth_type(p, NS_ETHERTYPE_IPV4, 0);
  ck_assert(
      ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &ip, NULL));
  ck_assert_uint_eq(ip.id, 3); /* ids 1 and 2 were dropped */
  net_free(n);
}
END_TEST

/* ==== ping on one LAN ===================================================== */

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
  ck_assert_uint_eq(ns_ipnode_counters(h1)->arp_requests, 1);
  /* h2 learned h1 from the request and needed no ARP of its own. */
  ck_assert_uint_eq(ns_ipnode_counters(h2)->arp_requests, 0);
  ck_assert_uint_eq(ns_ipnode_counters(h2)->echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h1)->icmp_rx, 3);

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
  Net *n = net_new(FALSE);
  NsIpNode *h1 = add_node(n, "h1", FALSE), *h2 = add_node(n, "h2", FALSE);
  NsIpIface *a =
      ns_ipnode_add_iface(h1, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  NsIpIface *b =
      ns_ipnode_add_iface(h2, "eth0", PFX(10, 0, 0, 2, 24), ns_mac_local(2));
  NsLinkParams lp = {5 * NS_MSEC, 0, 0, 64};
  connect_nics(n, &a->nic, &b->nic, &lp);
  NsPing *ping = start_ping(n, h1, b->addr.addr, 3, NS_SEC);
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
  ck_assert_str_eq(out_line(n, 4), "--- 10.0.0.2 ping statistics ---");
  ck_assert_str_eq(
      out_line(n, 5),
      "3 packets transmitted, 3 received, 0% packet loss, time 2000ms");
  ck_assert_str_eq(out_line(n, 6), "rtt min/avg/max = 10.000/13.333/20.000 ms");
  ck_assert_uint_eq(n->out->len, 7);
  /* Done when the last reply came: 2 s + 10 ms. */
  gint d = ev_find(n, 0, "h1", "ping/done");
  ck_assert_uint_eq(ev_at(n, d)->time, 2 * NS_SEC + 10 * NS_MSEC);
  net_free(n);
}
END_TEST

START_TEST(test_ping_rtt_with_serialization) {
  /* 10 Mbit/s: a 98-byte echo frame takes 78.4 us to serialize, so a
   * warm round trip is 2 * (5 ms + 78.4 us). */
  Net *n = net_new(FALSE);
  NsIpNode *h1 = add_node(n, "h1", FALSE), *h2 = add_node(n, "h2", FALSE);
  NsIpIface *a =
      ns_ipnode_add_iface(h1, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  NsIpIface *b =
      ns_ipnode_add_iface(h2, "eth0", PFX(10, 0, 0, 2, 24), ns_mac_local(2));
  NsLinkParams lp = {5 * NS_MSEC, 10000000, 0, 64};
  connect_nics(n, &a->nic, &b->nic, &lp);
  NsPing *ping = start_ping(n, h1, b->addr.addr, 2, NS_SEC);
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
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), TRUE);
  NsPing *ping = start_ping(n, h, p->ip, 2, NS_SEC);
  run_for(n, 10 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 2);
  ck_assert_uint_eq(st->received, 0);
  ck_assert_uint_eq(st->errors, 0);
  ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), 2);
  ck_assert_uint_eq(out_count(n, "Request timeout for icmp_seq=1"), 1);
  ck_assert_uint_eq(out_count(n, "Request timeout for icmp_seq=2"), 1);
  ck_assert_uint_eq(
      out_count(n, "2 packets transmitted, 0 received, 100% packet loss"), 1);
  ck_assert_uint_eq(out_count(n, "rtt"), 0);
  ck_assert_uint_eq(ev_at(n, ev_find(n, 0, "h1", "ping/done"))->time,
                    2 * NS_SEC);
  net_free(n);
}
END_TEST

/* ==== the routing decision ================================================ */

START_TEST(test_host_on_link_vs_gateway_explained) {
  Net *n = net_new(TRUE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(192, 168, 1, 10, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(192, 168, 1, 1), FALSE);
  ck_assert(
      ns_ipnode_add_route(h, PFX(0, 0, 0, 0, 0), NS_IP4(192, 168, 1, 1), 0));
  /* A gateway off-link is refused. */
  ck_assert(
      !ns_ipnode_add_route(h, PFX(10, 9, 0, 0, 16), NS_IP4(172, 16, 0, 1), 0));

  ns_ipnode_send(h, NS_IP4(192, 168, 1, 20), 253, 64, NULL, 0, now_of(n), NULL);
  run_for(n, 10 * NS_MSEC);
  ns_ipnode_send(h, NS_IP4(192, 168, 2, 10), 253, 64, NULL, 0, now_of(n), NULL);
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
  ck_assert_uint_eq(probe_n(p), 2);
  NsArp a;
  NsFrame *f = probe_frame(p, 0);
  ck_assert(
      ns_arp_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &a, NULL));
  ck_assert_uint_eq(a.tpa.v, NS_IP4(192, 168, 1, 20).v);
  f = probe_frame(p, 1);
  ck_assert(
      ns_arp_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &a, NULL));
  ck_assert_uint_eq(a.tpa.v, NS_IP4(192, 168, 1, 1).v);
  net_free(n);
}
END_TEST

START_TEST(test_host_via_gateway_uses_gateway_mac) {
  /* The datagram to another subnet carries the gateway's MAC and the
   * final destination's IP. */
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(192, 168, 1, 10, 24), ns_mac_local(1));
  Probe *gw = add_probe(n, &i0->nic, "GW", ns_mac_local(0x99),
                        NS_IP4(192, 168, 1, 1), TRUE);
  ck_assert(ns_ipnode_add_route(h, PFX(0, 0, 0, 0, 0), gw->ip, 0));
  ck_assert(
      ns_ipnode_send(h, NS_IP4(8, 8, 8, 8), 253, 64, NULL, 0, now_of(n), NULL));
  run_for(n, 10 * NS_MSEC);
  NsFrame *f = probe_nth_type(gw, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), gw->nic.mac));
  NsIpv4Hdr ip;
  ck_assert(
      ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &ip, NULL));
  ck_assert_uint_eq(ip.dst.v, NS_IP4(8, 8, 8, 8).v);
  ck_assert_uint_eq(ip.src.v, i0->addr.addr.v);
  ck_assert_uint_eq(ip.ttl, 64);
  net_free(n);
}
END_TEST

START_TEST(test_host_no_route_net_unreachable) {
  Net *n = net_new(TRUE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), TRUE);
  NsPing *ping = start_ping(n, h, NS_IP4(192, 168, 7, 7), 1, NS_SEC);
  run_for(n, 5 * NS_SEC);
  const NsPingStats *st = ns_ping_stats(ping);
  ck_assert(st->done);
  ck_assert_uint_eq(st->transmitted, 1);
  ck_assert_uint_eq(st->errors, 1);
  ck_assert_uint_eq(st->received, 0);
  ck_assert_uint_eq(out_count(n, "icmp_seq=1 Destination Net Unreachable"), 1);
  ck_assert_uint_eq(n->done, 1);
  ck_assert_uint_eq(probe_n(p), 0); /* nothing went on the wire */
  ck_assert_uint_eq(ns_ipnode_counters(h)->no_route, 1);
  ck_assert_uint_eq(ns_ipnode_counters(h)->ip_tx, 0);
  gint r = ev_find(n, 0, "h1", "route/no-route");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, r)->why, "& 255.255.255.0 = 192.168.7.0"));
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "no gateway"));
  /* ns_ipnode_send itself says it could not send. */
  ck_assert(!ns_ipnode_send(h, NS_IP4(1, 2, 3, 4), 253, 64, NULL, 0, now_of(n),
                            NULL));
  net_free(n);
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

/* ==== forwarding ========================================================== */

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
  const NsIpCounters *c = ns_ipnode_counters(rb.r);
  ck_assert_uint_eq(c->forwarded, 1);
  ck_assert_uint_eq(c->ip_rx, 1);
  ck_assert_uint_eq(c->delivered, 0);
  ck_assert_uint_eq(c->arp_requests, 1);
  /* The reply path works too, now that both sides are known. */
  inject(
      n, rb.e1,
      mk_echo(n, rb.e1->nic.mac, rb.b->nic.mac, rb.b->ip, rb.a->ip, 255, 9, 9));
  f = probe_nth_type(rb.a, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  ck_assert(
      ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &ip, NULL));
  ck_assert_uint_eq(ip.ttl, 254);
  ck_assert(ns_mac_equal(ns_eth_src(f->data), rb.e0->nic.mac));
  ck_assert_uint_eq(c->forwarded, 2);
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
  ck_assert(ns_ipv4_parse(shared->data + NS_ETH_HLEN, shared->len - NS_ETH_HLEN,
                          &ip, NULL));
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
  memcpy(orig, in->data + NS_ETH_HLEN, 28);
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
  /* It quotes the original header (as received, TTL 1) and 8 bytes. */
  ck_assert_uint_eq(icmp.data_len, 28);
  ck_assert_mem_eq(icmp.data, orig, 28);
  NsIpv4Hdr q;
  const guint8 *qp;
  gsize qlen;
  ck_assert(ns_icmp_quoted(&icmp, &q, &qp, &qlen));
  ck_assert_uint_eq(q.ttl, 1);
  ck_assert_uint_eq(q.src.v, rb.a->ip.v);
  ck_assert_uint_eq(q.dst.v, rb.b->ip.v);
  ck_assert_uint_eq(qlen, 8);
  const NsIpCounters *c = ns_ipnode_counters(rb.r);
  ck_assert_uint_eq(c->ttl_exceeded, 1);
  ck_assert_uint_eq(c->forwarded, 0);
  ck_assert_uint_eq(c->icmp_tx, 1);
  ck_assert_uint_eq(ev_count(n, "r1", "route/ttl-exceeded"), 1);

  /* TTL 0 on arrival is dropped the same way; TTL 2 goes through as 1. */
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 0));
  ck_assert_uint_eq(c->ttl_exceeded, 2);
  inject(n, rb.e0, echo_from_a(&rb, rb.b->ip, 2));
  ck_assert_uint_eq(c->forwarded, 1);
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
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->echo_replied, 1);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->ttl_exceeded, 0);
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
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->no_route, 1);
  gint r = ev_find(n, 0, "r1", "route/no-route");
  ck_assert_int_ge(r, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(n, r)->why, "no default route"));
  net_free(n);
}
END_TEST

START_TEST(test_router_never_errors_about_errors) {
  /* RFC 1122 3.2.2: no ICMP error about an ICMP error, a broadcast, or a
   * datagram from 0.0.0.0. */
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
  /* An echo from 0.0.0.0 without a route. */
  inject(n, rb.e0,
         mk_echo(n, rb.e0->nic.mac, rb.a->nic.mac, NS_IP4(0, 0, 0, 0),
                 NS_IP4(192, 168, 9, 9), 64, 1, 1));
  const NsIpCounters *c = ns_ipnode_counters(rb.r);
  ck_assert_uint_eq(c->ttl_exceeded, 1);
  ck_assert_uint_eq(c->no_route, 2);
  ck_assert_uint_eq(c->icmp_tx, 0);
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
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->echo_replied, 2);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->forwarded, 0);
  ck_assert_uint_eq(ns_ipnode_counters(rb.r)->delivered, 2);
  net_free(n);
}
END_TEST

/* ==== broadcasts ========================================================== */

START_TEST(test_router_never_forwards_broadcast) {
  RouterBench rb = router_bench(FALSE);
  Net *n = rb.net;
  const NsIpCounters *c = ns_ipnode_counters(rb.r);
  /* Directed broadcast of the far subnet, sent to the router's MAC. */
  inject(n, rb.e0, echo_from_a(&rb, NS_IP4(10, 0, 2, 255), 64));
  ck_assert_uint_eq(c->no_forward_bcast, 1);
  /* A multicast group, on its group MAC (RFC 1112). */
  NsFrame *mc = mk_echo(n, rb.e0->nic.mac, rb.a->nic.mac, rb.a->ip,
                        NS_IP4(224, 0, 0, 5), 64, 1, 1);
  NsMac group = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x05}};
  ns_eth_set_dst(mc->data, group);
  inject(n, rb.e0, mc);
  ck_assert_uint_eq(c->no_forward_bcast, 2);
  /* Limited and directed broadcast of the ingress subnet: for the router
   * itself, never passed on. */
  NsFrame *lb = mk_echo(n, ns_mac_broadcast, rb.a->nic.mac, rb.a->ip,
                        NS_IP4(255, 255, 255, 255), 64, 1, 1);
  inject(n, rb.e0, lb);
  inject(n, rb.e0,
         mk_echo(n, ns_mac_broadcast, rb.a->nic.mac, rb.a->ip,
                 NS_IP4(10, 0, 1, 255), 64, 1, 2));
  ck_assert_uint_eq(c->forwarded, 0);
  ck_assert_uint_eq(probe_n(rb.b), 0);
  ck_assert_uint_eq(c->ttl_exceeded, 0);
  ck_assert_uint_eq(c->no_route, 0);
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
  const NsIpCounters *c = ns_ipnode_counters(rb.r);
  ck_assert_uint_eq(c->forwarded, 0);
  ck_assert_uint_eq(c->no_forward_bcast, 1);
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
    connect_nics(n, &hi[i]->nic, ns_switch_add_port(sw), &quick);
  }
  NsIpNode *r = add_node(n, "r1", TRUE);
  NsIpIface *r0 =
      ns_ipnode_add_iface(r, "eth0", PFX(10, 0, 1, 1, 24), ns_mac_local(0x11));
  NsIpIface *r1 =
      ns_ipnode_add_iface(r, "eth1", PFX(10, 0, 2, 1, 24), ns_mac_local(0x12));
  connect_nics(n, &r0->nic, ns_switch_add_port(sw), &quick);
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
  NsPing *p2 = start_ping(n, h[0], NS_IP4(10, 0, 1, 255), 1, NS_SEC);
  run_for(n, 3 * NS_SEC);

  for (guint k = 0; k < 2; k++) {
    const NsPingStats *st = ns_ping_stats(k == 0 ? p1 : p2);
    ck_assert(st->done);
    ck_assert_uint_eq(st->transmitted, 2 - k);
    ck_assert_uint_eq(st->received, 2 - k); /* duplicates are not counted */
  }
  ck_assert_uint_eq(ns_ipnode_counters(h[1])->echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h[2])->echo_replied, 3);
  ck_assert_uint_eq(ns_ipnode_counters(h[0])->echo_replied, 0);
  ck_assert_uint_eq(ns_ipnode_counters(r)->forwarded, 0);
  ck_assert_uint_eq(probe_n(b), 0);
  net_free(n);
}
END_TEST

/* ==== malformed and random input ========================================== */

START_TEST(test_malformed_frames_counted) {
  for (int router = 0; router <= 1; router++) {
    Net *n = net_new(TRUE);
    NsIpNode *node = add_node(n, "n1", router);
    NsIpIface *i0 = ns_ipnode_add_iface(node, "eth0", PFX(10, 0, 0, 1, 24),
                                        ns_mac_local(1));
    ns_ipnode_add_iface(node, "eth1", PFX(10, 0, 9, 1, 24), ns_mac_local(2));
    Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                         NS_IP4(10, 0, 0, 99), TRUE);
    const NsIpCounters *c = ns_ipnode_counters(node);
    NsMac me = i0->nic.mac;
    guint expect = 0;

    /* A runt: shorter than an Ethernet header. */
    guint8 runt[10] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0};
    inject(n, i0, ns_frame_new_from(runt, sizeof runt, 900));
    ck_assert_uint_eq(c->malformed, ++expect);
    /* An empty frame. */
    inject(n, i0, ns_frame_new(0, 901));
    ck_assert_uint_eq(c->malformed, ++expect);

    /* IPv4 with a bad header checksum. */
    NsFrame *f =
        mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
    f->data[NS_ETH_HLEN + NS_IPV4_OFF_CSUM] ^= 0x40;
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* IPv4 whose total length exceeds the frame. */
    f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 9, 5), 64, 1, 1);
    ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_TOTAL_LEN, 1000);
    ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_CSUM, 0);
    ns_store16(f->data + NS_ETH_HLEN + NS_IPV4_OFF_CSUM,
               ns_csum(f->data + NS_ETH_HLEN, NS_IPV4_HLEN));
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* Version 6 in an IPv4 EtherType; IHL 4. */
    f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
    f->data[NS_ETH_HLEN] = 0x65;
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
    f->data[NS_ETH_HLEN] = 0x44;
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* Just an Ethernet header saying IPv4. */
    f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
    ns_frame_set_len(f, NS_ETH_HLEN + 3);
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* An ICMP echo for us with a bad ICMP checksum: not answered. */
    f = mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1);
    f->data[NS_ETH_HLEN + NS_IPV4_HLEN + 8] ^= 0xff;
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* An ICMP message shorter than its header. */
    guint8 tiny[4] = {8, 0, 0xf7, 0xff};
    inject(n, i0,
           mk_ipv4(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64,
                   NS_IPPROTO_ICMP, tiny, sizeof tiny));
    ck_assert_uint_eq(c->malformed, ++expect);

    /* Truncated ARP (the header says ARP, 10 bytes follow). */
    f = mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
               ns_mac_zero, NS_IP4(10, 0, 0, 1));
    ns_frame_set_len(f, NS_ETH_HLEN + 10);
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* ARP with a bad opcode and with a wrong hardware type. */
    f = mk_arp(n, 7, ns_mac_broadcast, p->nic.mac, p->ip, ns_mac_zero,
               NS_IP4(10, 0, 0, 1));
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    f = mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
               ns_mac_zero, NS_IP4(10, 0, 0, 1));
    f->data[NS_ETH_HLEN + 1] = 6; /* htype 6 (IEEE 802) */
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);
    /* Unknown EtherType; garbage bytes. */
    f = ns_ctx_frame_new(&n->ctx, 60);
    NsEthHdr eth = {me, p->nic.mac, 0x86dd};
    ns_eth_emit(f->data, &eth);
    inject(n, i0, f);
    ck_assert_uint_eq(c->malformed, ++expect);

    ck_assert_uint_eq(probe_n(p), 0); /* nothing answered any of it */
    ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 0);
    ck_assert_uint_eq(c->echo_replied, 0);
    ck_assert_uint_eq(c->forwarded, 0);
    ck_assert_uint_ge(ev_count(n, "n1", "ip/drop"), 5);
    ck_assert_uint_ge(ev_count(n, "n1", "arp/drop"), 3);

    /* Still healthy: a good echo is answered. */
    inject(n, i0,
           mk_echo(n, me, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64, 1, 1));
    ck_assert_uint_eq(c->echo_replied, 1);
    ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), 1);
    ck_assert_uint_eq(c->malformed, expect);
    net_free(n);
  }
}
END_TEST

START_TEST(test_frames_for_others_ignored) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), TRUE);
  const NsIpCounters *c = ns_ipnode_counters(h);
  /* Another MAC: the NIC drops it. */
  inject(n, i0,
         mk_echo(n, ns_mac_local(5), p->nic.mac, p->ip, NS_IP4(10, 0, 0, 1), 64,
                 1, 1));
  ck_assert_uint_eq(c->not_for_us, 1);
  ck_assert_uint_eq(c->ip_rx, 0);
  /* Our MAC, another IP: a host does not forward. */
  inject(n, i0,
         mk_echo(n, i0->nic.mac, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 5), 64, 1,
                 1));
  ck_assert_uint_eq(c->not_for_us, 2);
  ck_assert_uint_eq(c->ip_rx, 1);
  ck_assert_uint_eq(c->forwarded, 0);
  ck_assert_uint_eq(probe_n(p), 0);
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
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), TRUE);
  guint8 udp[12] = {0x30, 0x39, 0x00, 0x35, 0x00, 0x0c,
                    0,    0,    'h',  'e',  'y',  '!'};
  inject(n, i0,
         mk_ipv4(n, i0->nic.mac, p->nic.mac, p->ip, i0->addr.addr, 64,
                 NS_IPPROTO_UDP, udp, sizeof udp));
  NsIpv4Hdr ip;
  NsIcmp icmp;
  parse_icmp_frame(probe_nth_type(p, NS_ETHERTYPE_IPV4, 0), &ip, &icmp);
  ck_assert_uint_eq(icmp.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(icmp.code, NS_ICMP_PROTO_UNREACH);

  guint calls = 0;
  ns_ipnode_set_proto_handler(h, NS_IPPROTO_UDP, udp_refuse, &calls);
  inject(n, i0,
         mk_ipv4(n, i0->nic.mac, p->nic.mac, p->ip, i0->addr.addr, 64,
                 NS_IPPROTO_UDP, udp, sizeof udp));
  ck_assert_uint_eq(calls, 1);
  parse_icmp_frame(probe_nth_type(p, NS_ETHERTYPE_IPV4, 1), &ip, &icmp);
  ck_assert_uint_eq(icmp.code, NS_ICMP_PORT_UNREACH);
  NsIpv4Hdr q;
  const guint8 *qp;
  gsize qlen;
  ck_assert(ns_icmp_quoted(&icmp, &q, &qp, &qlen));
  ck_assert_uint_eq(q.proto, NS_IPPROTO_UDP);
  ck_assert_uint_eq(qlen, 8);
  ck_assert_mem_eq(qp, udp, 8);

  /* Sent to the subnet broadcast: silently refused (RFC 1122 3.2.2). */
  inject(n, i0,
         mk_ipv4(n, ns_mac_broadcast, p->nic.mac, p->ip, NS_IP4(10, 0, 0, 255),
                 64, NS_IPPROTO_UDP, udp, sizeof udp));
  ck_assert_uint_eq(calls, 2);
  ck_assert_uint_eq(probe_count_type(p, NS_ETHERTYPE_IPV4), 2);
  net_free(n);
}
END_TEST

/* A random frame, biased towards ones that get past the first checks. */
static NsFrame *random_frame(Net *n, GRand *rng, NsMac me, NsIp4 *addrs,
                             guint naddrs) {
  gsize len = g_rand_int_range(rng, 0, 8) == 0
                  ? (gsize)g_rand_int_range(rng, 0, NS_FRAME_MAX + 1)
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
      ns_store16(ip + 6, g_rand_boolean(rng) ? 0 : (guint16)g_rand_int(rng));
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
    const NsIpCounters *c = ns_ipnode_counters(node);
    ck_assert_uint_gt(c->malformed, 100);
    ck_assert_uint_gt(c->ip_rx, 100);
    ck_assert_uint_gt(c->not_for_us, 100);
    if (router)
      ck_assert_uint_gt(c->forwarded + c->no_forward_bcast + c->ttl_exceeded,
                        0);
    ck_assert_uint_gt(c->echo_replied, 0);
    ck_assert_uint_gt(c->icmp_tx, c->echo_replied); /* errors too */
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
          ck_assert(ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN,
                                  &ip, NULL));
        } else {
          NsArp a;
          ck_assert_uint_eq(ns_eth_type(f->data), NS_ETHERTYPE_ARP);
          ck_assert(ns_arp_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN,
                                 &a, NULL));
        }
      }
    }
    net_free(n);
  }
}
END_TEST

/* ==== traceroute across two routers ======================================= */

/* h1 10.0.1.10 -- r1 (10.0.1.1 | 10.0.12.1) -- r2 (10.0.12.2 | 10.0.2.1) --
 * h2 10.0.2.20, direct links of 1 ms. */
typedef struct {
  Net *net;
  NsIpNode *h1, *r1, *r2, *h2;
} Chain;

static Chain chain_new(void) {
  Chain ch;
  Net *n = ch.net = net_new(FALSE);
  ch.h1 = add_node(n, "h1", FALSE);
  ch.r1 = add_node(n, "r1", TRUE);
  ch.r2 = add_node(n, "r2", TRUE);
  ch.h2 = add_node(n, "h2", FALSE);
  NsIpIface *h1e = ns_ipnode_add_iface(ch.h1, "eth0", PFX(10, 0, 1, 10, 24),
                                       ns_mac_local(1));
  NsIpIface *r1a =
      ns_ipnode_add_iface(ch.r1, "eth0", PFX(10, 0, 1, 1, 24), ns_mac_local(2));
  NsIpIface *r1b = ns_ipnode_add_iface(ch.r1, "eth1", PFX(10, 0, 12, 1, 24),
                                       ns_mac_local(3));
  NsIpIface *r2a = ns_ipnode_add_iface(ch.r2, "eth0", PFX(10, 0, 12, 2, 24),
                                       ns_mac_local(4));
  NsIpIface *r2b =
      ns_ipnode_add_iface(ch.r2, "eth1", PFX(10, 0, 2, 1, 24), ns_mac_local(5));
  NsIpIface *h2e = ns_ipnode_add_iface(ch.h2, "eth0", PFX(10, 0, 2, 20, 24),
                                       ns_mac_local(6));
  connect_nics(n, &h1e->nic, &r1a->nic, &quick);
  connect_nics(n, &r1b->nic, &r2a->nic, &quick);
  connect_nics(n, &r2b->nic, &h2e->nic, &quick);
  ck_assert(
      ns_ipnode_add_route(ch.h1, PFX(0, 0, 0, 0, 0), NS_IP4(10, 0, 1, 1), 0));
  ck_assert(
      ns_ipnode_add_route(ch.h2, PFX(0, 0, 0, 0, 0), NS_IP4(10, 0, 2, 1), 0));
  ck_assert(ns_ipnode_add_route(ch.r1, PFX(10, 0, 2, 0, 24),
                                NS_IP4(10, 0, 12, 2), 0));
  ck_assert(ns_ipnode_add_route(ch.r2, PFX(10, 0, 1, 0, 24),
                                NS_IP4(10, 0, 12, 1), 0));
  return ch;
}

START_TEST(test_traceroute_two_routers) {
  Chain ch = chain_new();
  Net *n = ch.net;
  NsAppHooks hooks = {.out = app_out, .done = app_done, .data = n};
  NsTrace *t = ns_trace_start(ch.h1, NS_IP4(10, 0, 2, 20), "h2", NULL,
                              now_of(n), &hooks);
  g_ptr_array_add(n->traces, t);
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
  ck_assert(g_str_has_prefix(out_line(n, 1), " 1  10.0.1.1  "));
  ck_assert(g_str_has_prefix(out_line(n, 2), " 2  10.0.12.2  "));
  ck_assert(g_str_has_prefix(out_line(n, 3), " 3  10.0.2.20  "));
  /* Three probes per hop, each timed. */
  for (guint i = 1; i <= 3; i++) {
    const char *l = out_line(n, i);
    guint ms = 0;
    for (const char *s = l; (s = strstr(s, " ms")) != NULL; s++)
      ms++;
    ck_assert_uint_eq(ms, 3);
  }
  ck_assert_ptr_null(strstr(out_line(n, 1), "*"));
  ck_assert_uint_eq(ns_ipnode_counters(ch.r1)->ttl_exceeded, 3);
  ck_assert_uint_eq(ns_ipnode_counters(ch.r2)->ttl_exceeded, 3);
  ck_assert_uint_eq(ns_ipnode_counters(ch.h2)->echo_replied, 3);
  net_free(n);
}
END_TEST

START_TEST(test_traceroute_stars_until_max_hops) {
  /* The r1-r2 link is down: hop 1 answers, then nothing; traceroute
   * prints stars and stops at max_hops. */
  Chain ch = chain_new();
  Net *n = ch.net;
  ns_link_set_up(g_ptr_array_index(n->links, 1), FALSE, now_of(n));
  NsTraceOptions o = {3, 2, 500 * NS_MSEC};
  NsAppHooks hooks = {.out = app_out, .done = app_done, .data = n};
  NsTrace *t =
      ns_trace_start(ch.h1, NS_IP4(10, 0, 2, 20), NULL, &o, now_of(n), &hooks);
  g_ptr_array_add(n->traces, t);
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
  NsTraceOptions o = {10, 2, 5 * NS_SEC};
  NsAppHooks hooks = {.out = app_out, .done = app_done, .data = n};
  NsTrace *t =
      ns_trace_start(ch.h1, NS_IP4(10, 0, 2, 99), NULL, &o, now_of(n), &hooks);
  g_ptr_array_add(n->traces, t);
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
  ck_assert_uint_eq(ns_ipnode_counters(ch.r1)->forwarded, 4);
  ck_assert_uint_eq(ns_ipnode_counters(ch.r2)->forwarded, 4);

  /* With TTL 1 the first router answers "time exceeded". */
  NsPingOptions o = ns_ping_default_options;
  o.count = 1;
  o.ttl = 1;
  NsAppHooks hooks = {.out = app_out, .done = app_done, .data = n};
  NsPing *p2 =
      ns_ping_start(ch.h1, NS_IP4(10, 0, 2, 20), NULL, &o, now_of(n), &hooks);
  g_ptr_array_add(n->pings, p2);
  run_for(n, 5 * NS_SEC);
  ck_assert_uint_eq(ns_ping_stats(p2)->errors, 1);
  ck_assert_uint_eq(
      out_count(n, "From 10.0.1.1 icmp_seq=1 Time to live exceeded"), 1);
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
  ck_assert_uint_eq(ns_ipnode_counters(ch.h2)->echo_replied, 1);
  ck_assert_uint_eq(ns_ipnode_counters(ch.h1)->icmp_rx, 1);
  net_free(n);
}
END_TEST

/* ==== misc API ============================================================ */

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

START_TEST(test_arp_flush_drops_pending) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  NsIpIface *i0 =
      ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  Probe *p = add_probe(n, &i0->nic, "P", ns_mac_local(0x99),
                       NS_IP4(10, 0, 0, 99), FALSE);
  gint64 live = ns_frame_live_count();
  ns_ipnode_send(h, NS_IP4(10, 0, 0, 50), 253, 64, NULL, 0, now_of(n), NULL);
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 1);
  ns_ipnode_arp_flush(h);
  ck_assert_uint_eq(ns_arp_cache_len(i0->arp), 0);
  run_for(n, 10 * NS_SEC);
  /* Only the first request went out; no retries after the flush. */
  ck_assert_uint_eq(probe_n(p), 1);
  ck_assert_uint_eq(ns_frame_live_count(), live + 1); /* the probe's copy */
  net_free(n);
}
END_TEST

Suite *test_ipnode_suite(void); /* called by the runner */

Suite *test_ipnode_suite(void) {
  Suite *s = suite_create("ipnode");
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

  tc = test_tcase("ping");
  tcase_add_test(tc, test_ping_two_hosts_on_switch);
  tcase_add_test(tc, test_ping_stats_exact);
  tcase_add_test(tc, test_ping_rtt_with_serialization);
  tcase_add_test(tc, test_ping_timeout_counts_lost);
  tcase_add_test(tc, test_ping_free_while_running);
  suite_add_tcase(s, tc);

  tc = test_tcase("routing");
  tcase_add_test(tc, test_iface_lookup_api);
  tcase_add_test(tc, test_host_on_link_vs_gateway_explained);
  tcase_add_test(tc, test_host_via_gateway_uses_gateway_mac);
  tcase_add_test(tc, test_host_no_route_net_unreachable);
  tcase_add_test(tc, test_router_explains_longest_prefix);
  suite_add_tcase(s, tc);

  tc = test_tcase("forwarding");
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
  suite_add_tcase(s, tc);

  tc = test_tcase("robustness");
  tcase_add_test(tc, test_malformed_frames_counted);
  tcase_add_test(tc, test_frames_for_others_ignored);
  tcase_add_test(tc, test_protocol_and_port_unreachable);
  tcase_add_test(tc, test_random_garbage_never_crashes);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);

  tc = test_tcase("traceroute");
  tcase_add_test(tc, test_traceroute_two_routers);
  tcase_add_test(tc, test_traceroute_stars_until_max_hops);
  tcase_add_test(tc, test_traceroute_host_unreachable_stops);
  tcase_add_test(tc, test_ping_across_routers_ttl);
  suite_add_tcase(s, tc);
  return s;
}

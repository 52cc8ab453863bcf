/* ipnode_harness.c — the test network of ipnode_harness.h. */
#include "ipnode_harness.h"

#include <string.h>

const NsLinkParams quick_link = {
    .delay = 1 * NS_MSEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};

/* ---- the test network ---------------------------------------------------- */

static void ev_clear(gpointer p) {
  Ev *e = p;
  g_free(e->node);
  g_free(e->event);
  g_free(e->summary);
  g_free(e->why);
}

static void record_event(const NsLogEvent *ev, gpointer data) {
  Ev e = {g_strdup(ev->node),
          g_strdup(ev->event),
          g_strdup(ev->summary),
          g_strdup(ev->why),
          ev->time,
          ev->frame};
  g_array_append_val((GArray *)data, e);
}

Net *net_new(gboolean explain) {
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
  n->udps = g_ptr_array_new();
  n->out = g_ptr_array_new_with_free_func(g_free);
  return n;
}

void net_free(Net *n) {
  for (guint i = 0; i < n->pings->len; i++)
    ns_ping_free(g_ptr_array_index(n->pings, i));
  for (guint i = 0; i < n->traces->len; i++)
    ns_trace_free(g_ptr_array_index(n->traces, i));
  for (guint i = 0; i < n->udps->len; i++)
    ns_udp_free(g_ptr_array_index(n->udps, i));
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
  g_ptr_array_free(n->udps, TRUE);
  g_ptr_array_free(n->out, TRUE);
  ns_log_free(n->ctx.log);
  g_array_free(n->events, TRUE);
  g_rand_free(n->ctx.rng);
  ns_timerq_free(n->ctx.timers);
  g_free(n);
}

NsTime now_of(Net *n) { return n->sched.now; }

void run_for(Net *n, NsTime dt) {
  ns_sched_run_until(&n->sched, n->sched.now + dt);
}

NsIpNode *add_node(Net *n, const char *name, gboolean router) {
  NsIpNode *node = ns_ipnode_new(&n->ctx, name, router, NULL);
  g_ptr_array_add(n->nodes, node);
  return node;
}

NsUdp *add_udp(Net *n, NsIpNode *node) {
  NsUdp *udp = ns_udp_new(node);
  g_ptr_array_add(n->udps, udp);
  return udp;
}

NsLink *connect_nics(Net *n, NsNic *a, NsNic *b, const NsLinkParams *p) {
  NsLink *l = ns_link_new(&n->ctx, a, b, p);
  ck_assert_ptr_nonnull(l);
  g_ptr_array_add(n->links, l);
  return l;
}

NsSwitch *add_switch(Net *n, const char *name) {
  NsSwitch *sw = ns_switch_new(&n->ctx, name, 0, 0);
  g_ptr_array_add(n->switches, sw);
  return sw;
}

static void send_arp_reply_from(Probe *p, NsMac to_mac, NsIp4 to_ip,
                                NsTime now) {
  NsFrame *f =
      mk_arp(p->net, NS_ARP_OP_REPLY, to_mac, p->nic.mac, p->ip, to_mac, to_ip);
  ns_nic_send(&p->nic, f, now);
}

static void probe_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Probe *p = (Probe *)nic;
  g_ptr_array_add(p->got, frame);
  g_array_append_val(p->times, now);
  NsArp a;
  if (p->answer_arp && frame->len >= NS_ETH_HLEN + NS_ARP_LEN &&
      ns_eth_type(frame->data) == NS_ETHERTYPE_ARP && frame_arp(frame, &a) &&
      a.op == NS_ARP_OP_REQUEST && a.tpa.v == p->ip.v)
    send_arp_reply_from(p, a.sha, a.spa, now);
}

Probe *add_probe(Net *n, NsNic *nic, const char *name, NsMac mac, NsIp4 ip,
                 gboolean answer_arp) {
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
    connect_nics(n, nic, &p->nic, &quick_link);
  return p;
}

/* ---- crafting frames ----------------------------------------------------- */

NsFrame *mk_arp(Net *n, guint16 op, NsMac eth_dst, NsMac sha, NsIp4 spa,
                NsMac tha, NsIp4 tpa) {
  NsFrame *f = ns_ctx_frame_new(&n->ctx, NS_ETH_MIN_FRAME);
  NsEthHdr eth = {eth_dst, sha, NS_ETHERTYPE_ARP};
  ns_eth_emit(f->data, &eth);
  NsArp a = {op, sha, spa, tha, tpa};
  ns_arp_emit(f->data + NS_ETH_HLEN, &a);
  return f;
}

NsFrame *mk_arp_who_has(Net *n, const Probe *p, NsIp4 tpa) {
  return mk_arp(n, NS_ARP_OP_REQUEST, ns_mac_broadcast, p->nic.mac, p->ip,
                ns_mac_zero, tpa);
}

NsFrame *mk_ipv4(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src, NsIp4 dst,
                 guint8 ttl, guint8 proto, const guint8 *payload, gsize len) {
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

NsFrame *mk_echo(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src, NsIp4 dst,
                 guint8 ttl, guint16 id, guint16 seq) {
  guint8 data[16], buf[NS_ICMP_HLEN + 16];
  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8)(0xa0 + i);
  NsIcmp m = {NS_ICMP_ECHO_REQUEST, 0, 0, id, seq, data, sizeof data};
  gsize len = ns_icmp_emit(buf, &m);
  return mk_ipv4(n, eth_dst, eth_src, src, dst, ttl, NS_IPPROTO_ICMP, buf, len);
}

void inject(Net *n, NsIpIface *iface, NsFrame *frame) {
  iface->nic.recv(&iface->nic, frame, now_of(n));
  run_for(n, 100 * NS_MSEC);
}

/* ---- looking at results -------------------------------------------------- */

guint probe_n(Probe *p) { return p->got->len; }

NsFrame *probe_frame(Probe *p, guint i) {
  ck_assert_uint_lt(i, p->got->len);
  return g_ptr_array_index(p->got, i);
}

NsFrame *probe_nth_type(Probe *p, guint16 type, guint i) {
  for (guint k = 0; k < p->got->len; k++) {
    NsFrame *f = g_ptr_array_index(p->got, k);
    if (f->len >= NS_ETH_HLEN && ns_eth_type(f->data) == type && i-- == 0)
      return f;
  }
  return NULL;
}

guint probe_count_type(Probe *p, guint16 type) {
  guint c = 0;
  while (probe_nth_type(p, type, c) != NULL)
    c++;
  return c;
}

gboolean frame_ipv4(const NsFrame *f, NsIpv4Hdr *ip) {
  return ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, ip, NULL);
}

gboolean frame_arp(const NsFrame *f, NsArp *a) {
  return ns_arp_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, a, NULL);
}

void parse_icmp_frame(const NsFrame *f, NsIpv4Hdr *ip, NsIcmp *icmp) {
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

static gboolean ev_matches(const Ev *e, const char *node, const char *event) {
  return (node == NULL || strcmp(e->node, node) == 0) &&
         strcmp(e->event, event) == 0;
}

guint ev_count(Net *n, const char *node, const char *event) {
  guint c = 0;
  for (guint i = 0; i < n->events->len; i++)
    if (ev_matches(&g_array_index(n->events, Ev, i), node, event))
      c++;
  return c;
}

gint ev_find(Net *n, guint from, const char *node, const char *event) {
  for (guint i = from; i < n->events->len; i++)
    if (ev_matches(&g_array_index(n->events, Ev, i), node, event))
      return (gint)i;
  return -1;
}

const Ev *ev_at(Net *n, gint i) {
  ck_assert_int_ge(i, 0);
  ck_assert_uint_lt((guint)i, n->events->len);
  return &g_array_index(n->events, Ev, i);
}

const Ev *ev_last(Net *n, const char *node, const char *event) {
  for (guint i = n->events->len; i-- > 0;)
    if (ev_matches(&g_array_index(n->events, Ev, i), node, event))
      return &g_array_index(n->events, Ev, i);
  ck_abort_msg("no %s event", event);
  return NULL;
}

/* ---- applications -------------------------------------------------------- */

static void app_out(const char *line, gpointer data) {
  Net *n = data;
  g_ptr_array_add(n->out, g_strdup(line));
}

static void app_done(gpointer data) { ((Net *)data)->done++; }

/* The node owning ip, as a resolver would name it (traceroute). */
static const char *app_name_of(NsIp4 ip, gpointer data) {
  Net *n = data;
  for (guint i = 0; i < n->nodes->len; i++) {
    NsIpNode *node = g_ptr_array_index(n->nodes, i);
    if (ns_ipnode_iface_by_addr(node, ip) != NULL)
      return ns_ipnode_name(node);
  }
  return NULL;
}

static NsAppHooks app_hooks(Net *n) {
  return (NsAppHooks){
      .out = app_out, .done = app_done, .data = n, .name_of = app_name_of};
}

NsPing *start_ping(Net *n, NsIpNode *node, NsIp4 dst, guint count,
                   NsTime timeout) {
  NsPingOptions o = ns_ping_default_options;
  o.count = count;
  o.timeout = timeout;
  return start_ping_with(n, node, dst, &o);
}

NsPing *start_ping_with(Net *n, NsIpNode *node, NsIp4 dst,
                        const NsPingOptions *o) {
  NsAppHooks hooks = app_hooks(n);
  NsPing *p = ns_ping_start(node, dst, NULL, o, now_of(n), &hooks);
  ck_assert_ptr_nonnull(p);
  g_ptr_array_add(n->pings, p);
  return p;
}

NsTrace *start_trace(Net *n, NsIpNode *node, NsIp4 dst, const char *dst_name,
                     const NsTraceOptions *o) {
  NsAppHooks hooks = app_hooks(n);
  NsTrace *t = ns_trace_start(node, dst, dst_name, o, now_of(n), &hooks);
  g_ptr_array_add(n->traces, t);
  return t;
}

guint out_count(Net *n, const char *s) {
  guint c = 0;
  for (guint i = 0; i < n->out->len; i++)
    if (strstr(g_ptr_array_index(n->out, i), s) != NULL)
      c++;
  return c;
}

const char *out_line(Net *n, guint i) {
  ck_assert_uint_lt(i, n->out->len);
  return g_ptr_array_index(n->out, i);
}

/* ---- benches ------------------------------------------------------------- */

static HostBench host_bench_make(gboolean explain, gboolean answer_arp,
                                 const NsArpConfig *arp, NsPrefix addr,
                                 NsIp4 probe_ip) {
  HostBench hb;
  hb.net = net_new(explain);
  hb.h = ns_ipnode_new(&hb.net->ctx, "h1", FALSE, arp);
  g_ptr_array_add(hb.net->nodes, hb.h);
  hb.i0 = ns_ipnode_add_iface(hb.h, "eth0", addr, ns_mac_local(1));
  hb.p = add_probe(hb.net, &hb.i0->nic, "P", ns_mac_local(0x99), probe_ip,
                   answer_arp);
  return hb;
}

HostBench host_bench(gboolean explain, gboolean answer_arp) {
  return host_bench_with(explain, answer_arp, NULL);
}

HostBench host_bench_with(gboolean explain, gboolean answer_arp,
                          const NsArpConfig *arp) {
  return host_bench_make(explain, answer_arp, arp, PFX(10, 0, 0, 1, 24),
                         NS_IP4(10, 0, 0, 99));
}

HostBench host_bench_at(gboolean explain, gboolean answer_arp, NsPrefix addr,
                        NsIp4 probe_ip) {
  return host_bench_make(explain, answer_arp, NULL, addr, probe_ip);
}

PairBench pair_bench(const NsLinkParams *lp) {
  PairBench pb;
  pb.net = net_new(FALSE);
  pb.h1 = add_node(pb.net, "h1", FALSE);
  pb.h2 = add_node(pb.net, "h2", FALSE);
  pb.a =
      ns_ipnode_add_iface(pb.h1, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  pb.b =
      ns_ipnode_add_iface(pb.h2, "eth0", PFX(10, 0, 0, 2, 24), ns_mac_local(2));
  connect_nics(pb.net, &pb.a->nic, &pb.b->nic, lp);
  return pb;
}

RouterBench router_bench(gboolean explain) {
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

NsFrame *echo_from_a(RouterBench *rb, NsIp4 dst, guint8 ttl) {
  return mk_echo(rb->net, rb->e0->nic.mac, rb->a->nic.mac, rb->a->ip, dst, ttl,
                 0x77, 1);
}

Chain chain_new(void) {
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
  connect_nics(n, &h1e->nic, &r1a->nic, &quick_link);
  connect_nics(n, &r1b->nic, &r2a->nic, &quick_link);
  connect_nics(n, &r2b->nic, &h2e->nic, &quick_link);
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

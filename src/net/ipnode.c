/* ipnode.c — the IPv4 stack shared by hosts and routers. */
#include "net/ipnode.h"

#include <string.h>

#include "net/ipnode_private.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/pretty.h"

static void loopback_fired(NsTimer *t, NsTime now, gpointer data);
static void iface_recv(NsNic *nic, NsFrame *frame, NsTime now);
static void ip_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                     gboolean from_wire, NsTime now);

/* 127.0.0.0/8 and 0.0.0.0 ("this host"): meaningful only inside a node. */
static gboolean is_host_local(NsIp4 ip) {
  return ns_ip4_is_loopback(ip) || ns_ip4_is_zero(ip);
}

NsIpNode *ns_ipnode_new(NsCtx *ctx, const char *name, gboolean forwarding,
                        const NsArpConfig *arp) {
  g_return_val_if_fail(ctx != NULL && name != NULL, NULL);
  NsIpNode *node = g_new0(NsIpNode, 1);
  node->ctx = ctx;
  node->name = g_strdup(name);
  node->forwarding = forwarding;
  node->arp_cfg = arp != NULL ? *arp : ns_arp_default_config;
  node->ifaces = g_ptr_array_new();
  node->released = g_ptr_array_sized_new(NS_ARP_PENDING_MAX);
  node->routes = ns_route_table_new();
  ns_timer_init(&node->arp_timer, ns_ipn_arp_timer_fired, node);
  g_queue_init(&node->loopback);
  ns_timer_init(&node->loopback_timer, loopback_fired, node);
  node->next_ip_id = 1;
  node->groups = g_array_new(FALSE, FALSE, sizeof(NsIpGroup));
  if (!forwarding)
    ns_ipnode_join(node, NS_IP4(224, 0, 0, 1)); /* all hosts, RFC 1112 */
  return node;
}

void ns_ipnode_free(NsIpNode *node) {
  if (node == NULL)
    return;
  ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
  ns_timerq_cancel(node->ctx->timers, &node->loopback_timer);
  g_queue_clear_full(&node->loopback, (GDestroyNotify)ns_frame_unref);
  for (guint i = 0; i < node->ifaces->len; i++) {
    NsIpIface *iface = g_ptr_array_index(node->ifaces, i);
    ns_nic_clear(&iface->nic);
    ns_arp_cache_free(iface->arp);
    g_free(iface);
  }
  g_ptr_array_free(node->ifaces, TRUE);
  g_ptr_array_free(node->released, TRUE);
  ns_route_table_free(node->routes);
  if (node->listeners != NULL)
    g_array_free(node->listeners, TRUE);
  if (node->protos != NULL)
    g_array_free(node->protos, TRUE);
  g_array_free(node->groups, TRUE);
  g_free(node->name);
  g_free(node);
}

const char *ns_ipnode_name(const NsIpNode *node) { return node->name; }
gboolean ns_ipnode_is_router(const NsIpNode *node) { return node->forwarding; }
NsCtx *ns_ipnode_ctx(NsIpNode *node) { return node->ctx; }
const NsIpCounters *ns_ipnode_counters(const NsIpNode *node) {
  return &node->counters;
}
NsRouteTable *ns_ipnode_routes(NsIpNode *node) { return node->routes; }
guint64 ns_ipnode_rx_frame(const NsIpNode *node) { return node->rx_frame; }
guint16 ns_ipnode_next_ident(NsIpNode *node) { return ++node->next_ident; }
guint ns_ipnode_n_ifaces(const NsIpNode *node) { return node->ifaces->len; }

NsIpIface *ns_ipnode_iface(NsIpNode *node, guint i) {
  g_return_val_if_fail(i < node->ifaces->len, NULL);
  return g_ptr_array_index(node->ifaces, i);
}

NsIpIface *ns_ipnode_add_iface(NsIpNode *node, const char *name, NsPrefix addr,
                               NsMac mac) {
  NsIpIface *iface = g_new0(NsIpIface, 1);
  guint index = node->ifaces->len;
  ns_nic_init(&iface->nic, name, node->name, node, index, iface_recv);
  iface->nic.mac = mac;
  iface->addr = addr;
  iface->arp = ns_arp_cache_new(&node->arp_cfg);
  g_ptr_array_add(node->ifaces, iface);
  ns_route_add(node->routes, ns_prefix_canonical(addr), (NsIp4){0}, index, 0,
               NS_ROUTE_CONNECTED);
  return iface;
}

NsIpIface *ns_ipnode_find_iface(NsIpNode *node, const char *name) {
  for (guint i = 0; i < node->ifaces->len; i++) {
    NsIpIface *iface = g_ptr_array_index(node->ifaces, i);
    if (g_strcmp0(iface->nic.name, name) == 0)
      return iface;
  }
  return NULL;
}

NsIpIface *ns_ipnode_iface_by_addr(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->ifaces->len; i++) {
    NsIpIface *iface = g_ptr_array_index(node->ifaces, i);
    if (iface->addr.addr.v == ip.v)
      return iface;
  }
  return NULL;
}

gboolean ns_ipnode_is_own_unicast(NsIpNode *node, NsIp4 ip) {
  return ns_ipnode_iface_by_addr(node, ip) != NULL || ns_ip4_is_loopback(ip);
}

NsIp4 ns_ipnode_primary_addr(const NsIpNode *node) {
  if (node->ifaces->len == 0)
    return (NsIp4){0};
  return ((NsIpIface *)g_ptr_array_index(node->ifaces, 0))->addr.addr;
}

/* The interface whose subnet contains ip, or NULL. */
static NsIpIface *iface_on_link(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->ifaces->len; i++) {
    NsIpIface *iface = g_ptr_array_index(node->ifaces, i);
    if (ns_prefix_contains(iface->addr, ip))
      return iface;
  }
  return NULL;
}

gboolean ns_ipnode_add_route(NsIpNode *node, NsPrefix prefix, NsIp4 via,
                             guint metric) {
  NsIpIface *iface = iface_on_link(node, via);
  if (iface == NULL)
    return FALSE;
  return ns_route_add(node->routes, ns_prefix_canonical(prefix), via,
                      iface->nic.index, metric,
                      prefix.len == 0 ? NS_ROUTE_DEFAULT : NS_ROUTE_STATIC);
}

/* ---- listeners and protocol handlers ------------------------------------ */

void ns_ipnode_set_proto_handler(NsIpNode *node, guint8 proto,
                                 NsIpProtoHandler fn, gpointer data) {
  if (node->protos == NULL)
    node->protos = g_array_new(FALSE, FALSE, sizeof(NsIpProto));
  for (guint i = 0; i < node->protos->len; i++) {
    NsIpProto *p = &g_array_index(node->protos, NsIpProto, i);
    if (p->proto == proto) {
      p->fn = fn;
      p->data = data;
      return;
    }
  }
  NsIpProto p = {proto, fn, data};
  g_array_append_val(node->protos, p);
}

/* ---- multicast groups ---------------------------------------------------- */

static NsIpGroup *find_group(const NsIpNode *node, NsIp4 group, guint *index) {
  for (guint i = 0; i < node->groups->len; i++) {
    NsIpGroup *g = &g_array_index(node->groups, NsIpGroup, i);
    if (g->group.v == group.v) {
      if (index != NULL)
        *index = i;
      return g;
    }
  }
  return NULL;
}

void ns_ipnode_join(NsIpNode *node, NsIp4 group) {
  g_return_if_fail(ns_ip4_is_multicast(group));
  NsIpGroup *g = find_group(node, group, NULL);
  if (g != NULL) {
    g->joins++;
    return;
  }
  NsIpGroup fresh = {group, 1};
  g_array_append_val(node->groups, fresh);
}

void ns_ipnode_leave(NsIpNode *node, NsIp4 group) {
  guint i;
  NsIpGroup *g = find_group(node, group, &i);
  g_return_if_fail(g != NULL); /* more leaves than joins */
  if (--g->joins == 0)
    g_array_remove_index(node->groups, i); /* keeps join order */
}

gboolean ns_ipnode_is_member(const NsIpNode *node, NsIp4 group) {
  return find_group(node, group, NULL) != NULL;
}

guint ns_ipnode_n_groups(const NsIpNode *node) { return node->groups->len; }

NsIp4 ns_ipnode_group(const NsIpNode *node, guint i) {
  g_return_val_if_fail(i < node->groups->len, (NsIp4){0});
  return g_array_index(node->groups, NsIpGroup, i).group;
}

/* ---- sending ------------------------------------------------------------- */

void ns_ipn_log_frame(NsIpNode *node, NsTime now, const char *event,
                      const NsFrame *frame, const char *why,
                      const char *prefix) {
  char desc[256];
  ns_frame_describe(frame->data, frame->len, desc, sizeof desc);
  ns_log_printf(node->ctx->log, now, node->name, event, frame->id, why, "%s%s",
                prefix != NULL ? prefix : "", desc);
}

/* Counts and logs a datagram that no route matches (its sender is told
 * by the caller: locally or with an ICMP message). */
static void count_no_route(NsIpNode *node, const NsFrame *frame, NsIp4 dst,
                           NsTime now) {
  node->counters.no_route++;
  if (!ns_ipn_log_on(node))
    return;
  char why[256] = "", d[NS_IP4_STRLEN];
  if (ns_log_explain(node->ctx->log))
    ns_ipnode_explain_route(node, dst, NULL, why, sizeof why);
  ns_log_printf(node->ctx->log, now, node->name, "route/no-route", frame->id,
                why, "no route to %s: net unreachable", ns_ip4_format(dst, d));
}

/* Where a datagram to dst leaves: by iface (NULL: no route) to nexthop,
 * chosen by route (NULL for our own addresses, broadcast and multicast);
 * self is set when dst is one of our own (loopback). */
typedef struct {
  NsIpIface *iface;
  NsIpIface *self;
  const NsRoute *route;
  NsIp4 nexthop;
} OutPath;

static OutPath out_path(NsIpNode *node, NsIp4 dst) {
  OutPath p = {NULL, NULL, NULL, dst};
  p.self = ns_ipnode_iface_by_addr(node, dst);
  if (p.self == NULL && is_host_local(dst) && node->ifaces->len > 0)
    p.self = g_ptr_array_index(node->ifaces, 0); /* 127.x, 0.0.0.0: loopback */
  if (p.self != NULL) {
    p.iface = p.self;
  } else if (ns_ip4_is_limited_broadcast(dst) || ns_ip4_is_multicast(dst)) {
    if (node->ifaces->len > 0)
      p.iface = g_ptr_array_index(node->ifaces, 0);
  } else {
    p.route = ns_route_lookup(node->routes, dst);
    if (p.route != NULL) {
      p.iface = g_ptr_array_index(node->ifaces, p.route->iface);
      if (!ns_ip4_is_zero(p.route->gateway))
        p.nexthop = p.route->gateway;
    }
  }
  return p;
}

/* The source a datagram to dst by path p carries (0.0.0.0: no route). */
static NsIp4 source_by(const OutPath *p, NsIp4 dst) {
  if (p->iface == NULL)
    return (NsIp4){0};
  if (ns_ip4_is_loopback(dst))
    return dst; /* as on lo: 127.0.0.1 talks to itself */
  return p->iface->addr.addr;
}

NsIp4 ns_ipnode_source_for(NsIpNode *node, NsIp4 dst) {
  OutPath p = out_path(node, dst);
  return source_by(&p, dst);
}

gboolean ns_ipnode_send_from(NsIpNode *node, NsIp4 src, NsIp4 dst, guint8 proto,
                             guint8 ttl, const guint8 *payload, gsize len,
                             NsTime now, guint64 *frame_id) {
  g_return_val_if_fail(len <= NS_ETH_MTU - NS_IPV4_HLEN, FALSE);
  OutPath path = out_path(node, dst);
  NsIpIface *iface = path.iface;

  gsize total = NS_IPV4_HLEN + len;
  NsFrame *f =
      ns_ctx_frame_new(node->ctx, ns_eth_padded_len(NS_ETH_HLEN + total));
  NsIpv4Hdr ip = {0};
  ip.tos = 0;
  ip.total_len = (guint16)total;
  ip.id = node->next_ip_id++;
  ip.frag = 0;
  ip.ttl = ttl;
  ip.proto = proto;
  if (!ns_ip4_is_zero(src))
    ip.src = src;
  else if (iface != NULL)
    ip.src = source_by(&path, dst);
  else /* not going anywhere: for the error our own listeners get */
    ip.src = ns_ipnode_primary_addr(node);
  ip.dst = dst;
  ns_ipv4_emit(f->data + NS_ETH_HLEN, &ip);
  /* The Ethernet type now (for the log line); the MACs once ARP answers. */
  NsEthHdr eth = {ns_mac_zero, iface != NULL ? iface->nic.mac : ns_mac_zero,
                  NS_ETHERTYPE_IPV4};
  ns_eth_emit(f->data, &eth);
  if (len > 0)
    memcpy(f->data + NS_ETH_HLEN + NS_IPV4_HLEN, payload, len);
  if (frame_id != NULL)
    *frame_id = f->id;

  if (iface == NULL) {
    count_no_route(node, f, dst, now);
    ns_ipn_local_icmp_error(node, f->data + NS_ETH_HLEN, total,
                            NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH, now);
    ns_frame_unref(f);
    return FALSE;
  }
  node->counters.ip_tx++;
  if (proto == NS_IPPROTO_ICMP)
    node->counters.icmp_tx++;
  if (path.self != NULL) {
    /* To one of our own addresses: the datagram never touches a wire.  It
     * is delivered from a timer due now, not from inside this call, as a
     * real stack's loopback queue does (the sender finishes first). */
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "ip/loopback", f,
                       "the destination is one of my own addresses: delivered "
                       "inside the node, no frame goes out",
                       NULL);
    g_queue_push_tail(&node->loopback, f);
    if (!ns_timer_armed(&node->loopback_timer))
      ns_timerq_arm(node->ctx->timers, &node->loopback_timer, now);
    return TRUE;
  }
  if (ns_ipn_log_on(node)) {
    char why[256] = "";
    if (ns_log_explain(node->ctx->log))
      ns_ipnode_explain_route(node, dst, path.route, why, sizeof why);
    ns_ipn_log_frame(node, now, "ip/send", f, why, NULL);
  }
  ns_ipn_output(node, iface, path.nexthop, f, now);
  return TRUE;
}

gboolean ns_ipnode_send(NsIpNode *node, NsIp4 dst, guint8 proto, guint8 ttl,
                        const guint8 *payload, gsize len, NsTime now,
                        guint64 *frame_id) {
  return ns_ipnode_send_from(node, (NsIp4){0}, dst, proto, ttl, payload, len,
                             now, frame_id);
}

/* ---- receiving ----------------------------------------------------------- */

static void deliver_local(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                          const NsIpv4Hdr *ip, NsTime now) {
  const guint8 *pkt = frame->data + NS_ETH_HLEN;
  const guint8 *payload = pkt + ip->hlen;
  gsize plen = ip->total_len - ip->hlen;
  /* RFC 1122 3.2.2: no ICMP error about what came as a link-layer
   * broadcast, whatever its IP destination. */
  gboolean may_complain = !ns_mac_is_multicast(ns_eth_dst(frame->data));
  node->counters.delivered++;
  if (ip->proto == NS_IPPROTO_ICMP) {
    NsIcmp icmp;
    const char *err = NULL;
    if (!ns_icmp_parse(payload, plen, &icmp, &err)) {
      node->counters.malformed++;
      if (ns_ipn_log_on(node))
        ns_log_printf(node->ctx->log, now, node->name, "icmp/drop", frame->id,
                      NULL, "malformed ICMP: %s", err != NULL ? err : "?");
      return;
    }
    node->counters.icmp_rx++;
    if (icmp.type == NS_ICMP_ECHO_REQUEST) {
      ns_ipn_answer_echo(node, iface, ip, &icmp, frame->id, now);
      return;
    }
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "icmp/receive", frame, NULL, NULL);
    ns_ipn_dispatch_icmp(node, ip, &icmp, now);
    return;
  }
  if (node->protos != NULL) {
    for (guint i = 0; i < node->protos->len; i++) {
      NsIpProto *p = &g_array_index(node->protos, NsIpProto, i);
      if (p->proto != ip->proto || p->fn == NULL)
        continue;
      guint8 code = NS_ICMP_PORT_UNREACH;
      node->rx_frame = frame->id;
      gboolean taken =
          p->fn(node, iface, ip, payload, plen, now, p->data, &code);
      node->rx_frame = 0;
      if (!taken && may_complain)
        ns_ipn_icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH, code,
                          now);
      return;
    }
  }
  if (ns_ipn_log_on(node))
    ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id,
                  "no handler for this protocol number",
                  "protocol %u unsupported", ip->proto);
  if (may_complain)
    ns_ipn_icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH,
                      NS_ICMP_PROTO_UNREACH, now);
}

/* The directed broadcast address of one of our subnets? */
static gboolean is_subnet_broadcast(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->ifaces->len; i++)
    if (ns_ipnode_is_broadcast_for(g_ptr_array_index(node->ifaces, i), ip))
      return TRUE;
  return FALSE;
}

static void forward(NsIpNode *node, NsIpIface *in, NsFrame *frame,
                    const NsIpv4Hdr *ip, NsTime now) {
  const guint8 *pkt = frame->data + NS_ETH_HLEN;
  char buf[NS_IP4_STRLEN];
  /* RFC 1812 5.3.4: what arrived as a link-layer broadcast is not
   * forwarded, whatever its IP destination (and gets no ICMP error). */
  gboolean link_bcast = ns_mac_is_multicast(ns_eth_dst(frame->data));
  if (link_bcast || ns_ip4_is_multicast(ip->dst) ||
      is_subnet_broadcast(node, ip->dst)) {
    node->counters.no_forward_bcast++;
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "route/no-broadcast", frame,
                       "a router ends the broadcast domain: broadcasts and "
                       "multicasts are never forwarded",
                       "not forwarding ");
    ns_frame_unref(frame);
    return;
  }
  if (ip->ttl <= 1) {
    node->counters.ttl_exceeded++;
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "route/ttl-exceeded",
                    frame->id,
                    "TTL would reach 0 here: the datagram dies and its source "
                    "gets an ICMP time exceeded",
                    "ttl %u from %s: time exceeded", ip->ttl,
                    ns_ip4_format(ip->src, buf));
    ns_ipn_icmp_error(node, in, pkt, ip, NS_ICMP_TIME_EXCEEDED,
                      NS_ICMP_TTL_EXCEEDED, now);
    ns_frame_unref(frame);
    return;
  }
  const NsRoute *route = ns_route_lookup(node->routes, ip->dst);
  if (route == NULL) {
    count_no_route(node, frame, ip->dst, now);
    ns_ipn_icmp_error(node, in, pkt, ip, NS_ICMP_DEST_UNREACH,
                      NS_ICMP_NET_UNREACH, now);
    ns_frame_unref(frame);
    return;
  }
  NsIpIface *out = g_ptr_array_index(node->ifaces, route->iface);
  NsIp4 nexthop = ns_ip4_is_zero(route->gateway) ? ip->dst : route->gateway;
  frame = ns_frame_make_writable(frame);
  ns_ipv4_decrement_ttl(frame->data + NS_ETH_HLEN);
  /* Re-encapsulate just the datagram: no trailer from the incoming frame,
   * zero padding up to the Ethernet minimum. */
  gsize end = NS_ETH_HLEN + ip->total_len;
  if (frame->len > end)
    memset(frame->data + end, 0, frame->len - end);
  ns_frame_set_len(frame, ns_eth_padded_len(end));
  node->counters.forwarded++;
  if (ns_ipn_log_on(node)) {
    char why[256] = "", src[NS_IP4_STRLEN], nh[NS_IP4_STRLEN];
    if (ns_log_explain(node->ctx->log))
      ns_ipnode_explain_route(node, ip->dst, route, why, sizeof why);
    ns_log_printf(node->ctx->log, now, node->name, "route/forward", frame->id,
                  why, "%s > %s: out %s to %s, ttl %u->%u",
                  ns_ip4_format(ip->src, src), ns_ip4_format(ip->dst, buf),
                  out->nic.name, ns_ip4_format(nexthop, nh), ip->ttl,
                  ip->ttl - 1);
  }
  ns_ipn_output(node, out, nexthop, frame, now);
}

static gboolean is_local(NsIpNode *node, NsIpIface *in, NsIp4 dst,
                         gboolean from_wire) {
  if (ns_ip4_is_limited_broadcast(dst) || ns_ipnode_is_broadcast_for(in, dst))
    return TRUE;
  if (!from_wire && is_host_local(dst))
    return TRUE;
  if (ns_ip4_is_multicast(dst))
    return ns_ipnode_is_member(node, dst);
  return ns_ipnode_iface_by_addr(node, dst) != NULL;
}

/* A host got multicast for a group it has not joined.  A real NIC filters
 * on the group MAC, but 32 groups share each MAC and switches flood
 * multicast anyway, so IP makes the final decision. */
static void drop_not_member(NsIpNode *node, NsFrame *frame, NsIp4 group,
                            NsTime now) {
  node->counters.not_member++;
  if (!ns_ipn_log_on(node))
    return;
  char why[128] = "", g[NS_IP4_STRLEN];
  if (ns_log_explain(node->ctx->log))
    g_snprintf(why, sizeof why,
               "not a member of group %s: the NIC passes the frame up, IP "
               "drops it",
               ns_ip4_format(group, g));
  ns_ipn_log_frame(node, now, "ip/drop", frame, why, "not a member: ");
}

/* from_wire: the datagram came in on an interface (not the loopback). */
static void ip_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                     gboolean from_wire, NsTime now) {
  NsIpv4Hdr ip;
  const char *err = NULL;
  if (!ns_ipv4_parse(frame->data + NS_ETH_HLEN, frame->len - NS_ETH_HLEN, &ip,
                     &err)) {
    node->counters.malformed++;
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id, NULL,
                    "malformed IPv4: %s", err != NULL ? err : "?");
    ns_frame_unref(frame);
    return;
  }
  node->counters.ip_rx++;
  if (from_wire && (is_host_local(ip.dst) || ns_ip4_is_loopback(ip.src))) {
    /* RFC 1122 3.2.1.3 / RFC 1812 5.3.7: such addresses never appear on a
     * wire; whatever carries them is dropped in silence. */
    node->counters.martian++;
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "ip/drop", frame,
                       "127.0.0.0/8 and 0.0.0.0 belong inside a host: a "
                       "datagram carrying them on a wire is dropped",
                       "martian: ");
    ns_frame_unref(frame);
    return;
  }
  if (is_local(node, iface, ip.dst, from_wire)) {
    deliver_local(node, iface, frame, &ip, now);
    ns_frame_unref(frame);
  } else if (node->forwarding) {
    forward(node, iface, frame, &ip, now);
  } else if (ns_ip4_is_multicast(ip.dst)) {
    drop_not_member(node, frame, ip.dst, now);
    ns_frame_unref(frame);
  } else {
    node->counters.not_for_us++;
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "ip/drop", frame,
                       "a host does not forward datagrams addressed to others",
                       "not for me: ");
    ns_frame_unref(frame);
  }
}

/* IPv6, an 802.1Q tag, LLDP...: well-formed Ethernet this stack does not
 * speak.  Counted apart from malformed frames, and named in the log. */
static void count_unknown_ethertype(NsIpNode *node, const NsFrame *frame,
                                    NsTime now) {
  node->counters.unknown_ethertype++;
  if (!ns_ipn_log_on(node))
    return;
  guint16 type = ns_eth_type(frame->data);
  const char *name = ns_ethertype_name(type);
  ns_log_printf(node->ctx->log, now, node->name, "eth/unknown-type", frame->id,
                "this node speaks only IPv4 and ARP: any other EtherType is "
                "dropped",
                "ethertype 0x%04x%s%s%s not handled", type,
                name != NULL ? " (" : "", name != NULL ? name : "",
                name != NULL ? ")" : "");
}

static void iface_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  NsIpIface *iface = (NsIpIface *)nic;
  NsIpNode *node = nic->owner;
  if (!ns_eth_view(frame->data, frame->len)) {
    node->counters.malformed++;
    ns_frame_unref(frame);
    return;
  }
  NsMac dst = ns_eth_dst(frame->data);
  if (!ns_mac_equal(dst, nic->mac) && !ns_mac_is_multicast(dst)) {
    node->counters.not_for_us++;
    if (ns_ipn_log_on(node)) {
      char m[NS_MAC_STRLEN];
      ns_log_printf(node->ctx->log, now, node->name, "eth/ignore", frame->id,
                    "the switch flooded it: the NIC drops frames addressed "
                    "to another MAC",
                    "frame for %s is not for me", ns_mac_format(dst, m));
    }
    ns_frame_unref(frame);
    return;
  }
  switch (ns_eth_type(frame->data)) {
  case NS_ETHERTYPE_ARP:
    ns_ipn_arp_input(node, iface, frame, now);
    ns_frame_unref(frame);
    break;
  case NS_ETHERTYPE_IPV4:
    ip_input(node, iface, frame, TRUE, now);
    break;
  default:
    count_unknown_ethertype(node, frame, now);
    ns_frame_unref(frame);
  }
}

/* ---- ARP timers ---------------------------------------------------------- */

/* ---- loopback ------------------------------------------------------------ */

static void loopback_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  (void)t;
  /* Only what was queued before this moment: a reply queued while
   * delivering (ping to self) goes in the next round, at the same time. */
  guint n = g_queue_get_length(&node->loopback);
  for (guint i = 0; i < n; i++) {
    NsFrame *f = g_queue_pop_head(&node->loopback);
    NsIp4 dst = ns_ip4_load(f->data + NS_ETH_HLEN + NS_IPV4_OFF_DST);
    NsIpIface *iface = ns_ipnode_iface_by_addr(node, dst);
    if (iface == NULL && is_host_local(dst) && node->ifaces->len > 0)
      iface = g_ptr_array_index(node->ifaces, 0);
    if (iface == NULL) /* the address went away meanwhile */
      ns_frame_unref(f);
    else
      ip_input(node, iface, f, FALSE, now);
  }
  if (!g_queue_is_empty(&node->loopback))
    ns_timerq_arm(node->ctx->timers, &node->loopback_timer, now);
}

/* ipnode_output.c — datagrams a node originates: the route and the source
 * address, the datagram itself, LOCAL_OUT and POST_ROUTING, then the
 * loopback queue or the wire (see ipnode_private.h for how the stack is
 * split). */
#include <string.h>

#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/ethernet.h"
#include "wire/pretty.h"

void ns_ipn_log_frame(NsIpNode *node, NsTime now, const char *event,
                      const NsFrame *frame, const char *why,
                      const char *prefix) {
  char desc[256];
  ns_frame_brief(frame->data, frame->len, desc, sizeof desc);
  ns_log_printf(node->ctx->log, now, node->name, event, frame->id, why, "%s%s",
                prefix != NULL ? prefix : "", desc);
}

void ns_ipn_count_no_route(NsIpNode *node, const NsFrame *frame, NsIp4 dst,
                           NsTime now) {
  NS_IPN_COUNT(node, no_route);
  if (!ns_ipn_log_on(node))
    return;
  char why[NS_WHY_MAX] = "", d[NS_IP4_STRLEN];
  if (ns_log_explain(node->ctx->log))
    ns_ipnode_explain_route(node, dst, NULL, why, sizeof why);
  ns_log_printf(node->ctx->log, now, node->name, "route/no-route", frame->id,
                why, "no route to %s: net unreachable", ns_ip4_format(dst, d));
}

NsIpIface *ns_ipn_self_iface(NsIpNode *node, NsIp4 dst) {
  NsIpIface *self = ns_ipn_iface_by_addr(node, dst);
  if (self == NULL && ns_ipn_is_host_local(dst) && node->n_ifaces > 0)
    self = node->ifaces[0]; /* 127.x, 0.0.0.0 */
  return self;
}

/* Where a datagram leaves: by iface (NULL: no route) to nexthop, chosen by
 * route (NULL for our own addresses, broadcast, multicast and a given
 * MAC); self is set when dst is one of our own (loopback); mac when the
 * sender named the Ethernet destination (no ARP). */
typedef struct {
  NsIpIface *iface;
  NsIpIface *self;
  const NsRoute *route;
  NsIp4 nexthop;
  const NsMac *mac;
} OutPath;

static OutPath out_path(NsIpNode *node, NsIp4 dst) {
  OutPath p = {NULL, NULL, NULL, dst, NULL};
  p.self = ns_ipn_self_iface(node, dst);
  if (p.self != NULL) {
    p.iface = p.self;
  } else if (ns_ip4_is_limited_broadcast(dst) || ns_ip4_is_multicast(dst)) {
    if (node->n_ifaces > 0)
      p.iface = node->ifaces[0];
  } else {
    p.route = ns_route_lookup(node->routes, dst);
    if (p.route != NULL) {
      p.iface = node->ifaces[p.route->iface];
      if (!ns_ip4_is_zero(p.route->gateway))
        p.nexthop = p.route->gateway;
    }
  }
  return p;
}

static OutPath path_for(NsIpNode *node, NsIp4 dst, const NsIpSendOptions *o) {
  if (o->via == NS_IP_VIA_MAC)
    return (OutPath){o->iface, NULL, NULL, dst, &o->mac};
  return out_path(node, dst);
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

static NsIp4 choose_source(NsIpNode *node, const OutPath *path, NsIp4 dst,
                           const NsIpSendOptions *o) {
  if (o->src_select == NS_IP_SRC_GIVEN)
    return o->src;
  if (path->iface != NULL)
    return source_by(path, dst);
  /* Not going anywhere: for the error our own listeners get. */
  return ns_ipnode_primary_addr(node);
}

/* A new frame: Ethernet header with our MAC and the IPv4 type (the
 * destination MAC comes once ARP answers), the header, the payload that
 * fill writes, zero padding up to the Ethernet minimum.  Every byte is
 * written here or by fill, so the frame starts unfilled. */
static NsFrame *build_datagram(NsIpNode *node, const OutPath *path, NsIp4 dst,
                               const NsIpSendOptions *o, gsize len,
                               NsIpFill fill, gpointer data) {
  gsize opts_len = o->router_alert ? NS_IPV4_OPT_RA_LEN : 0;
  gsize total = NS_IPV4_HLEN + opts_len + len;
  gsize frame_len = ns_eth_padded_len(NS_ETH_HLEN + total);
  NsFrame *f = ns_ctx_frame_new_unfilled(node->ctx, frame_len);
  NsIpv4Hdr ip = {0};
  ip.tos = o->tos;
  ip.total_len = (guint16)total;
  ip.id = o->id_given ? o->id : node->next_ip_id++;
  ip.frag = o->df ? NS_IPV4_DF : 0;
  ip.ttl = o->ttl;
  ip.proto = o->proto;
  ip.src = choose_source(node, path, dst, o);
  ip.dst = dst;
  ns_ipv4_emit_options(f->data + NS_ETH_HLEN, &ip,
                       opts_len > 0 ? ns_ipv4_opt_router_alert : NULL,
                       opts_len);
  NsEthHdr eth = {ns_mac_zero,
                  path->iface != NULL ? path->iface->nic.mac : ns_mac_zero,
                  NS_ETHERTYPE_IPV4};
  ns_eth_emit(f->data, &eth);
  if (len > 0)
    fill(f->data + NS_ETH_HLEN + ip.hlen, len, data);
  if (frame_len > NS_ETH_HLEN + total)
    memset(f->data + NS_ETH_HLEN + total, 0, frame_len - NS_ETH_HLEN - total);
  f->csum_ok = o->csum_ok; /* the IPv4 header's is ours in any case */
  return f;
}

/* No route: counted, and our own listeners get net unreachable, as a real
 * stack returns ENETUNREACH.  Takes f. */
static void refuse_no_route(NsIpNode *node, NsFrame *f, NsIp4 dst, NsTime now) {
  const guint8 *pkt = f->data + NS_ETH_HLEN;
  ns_ipn_count_no_route(node, f, dst, now);
  ns_ipn_local_icmp_error(node, pkt, ns_ipv4_total_len(pkt),
                          NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH, now);
  ns_frame_unref(f);
}

/* To one of our own addresses: the datagram never touches a wire.  It is
 * delivered from a timer due now, not from inside this call, as a real
 * stack's loopback queue does (the sender finishes first).  Takes f. */
static void queue_loopback(NsIpNode *node, NsFrame *f, NsTime now) {
  NsIpRare *r = ns_ipn_rare(node);
  g_queue_push_tail(&r->loopback, f);
  if (!ns_timer_armed(&r->loopback_timer))
    ns_timerq_arm(node->ctx->timers, &r->loopback_timer, now);
}

/* A limited broadcast or a multicast leaves by the first interface with no
 * route lookup (out_path), so the routing explanation does not apply. */
static void explain_lan_only(const OutPath *path, NsIp4 dst, char *why,
                             gsize size) {
  char d[NS_IP4_STRLEN];
  gboolean group = ns_ip4_is_multicast(dst);
  ns_why_printf(why, size,
                group ? N_("%s is a multicast group: out of %s to the group's "
                           "MAC (01:00:5e and its low 23 bits), no route "
                           "lookup, no ARP, never via a gateway")
                      : N_("%s is the limited broadcast: out of %s to "
                           "ff:ff:ff:ff:ff:ff, no route lookup, no ARP, never "
                           "via a gateway"),
                ns_ip4_format(dst, d), path->iface->nic.name);
}

static void explain_send(NsIpNode *node, const OutPath *path, NsIp4 dst,
                         char *why, gsize size) {
  if (path->mac == NULL && path->route == NULL && path->iface != NULL) {
    explain_lan_only(path, dst, why, size);
    return;
  }
  if (path->mac == NULL && path->iface != NULL &&
      !ns_ip4_is_limited_broadcast(dst) &&
      ns_ipnode_is_broadcast_for(path->iface, dst)) {
    /* The subnet's own broadcast: the route finds the interface, but
     * there is no neighbour to ARP for. */
    char d[NS_IP4_STRLEN], net[NS_PREFIX_STRLEN];
    ns_why_printf(why, size,
                  N_("%s is the broadcast address of my network %s (its host "
                     "bits all ones): out of %s to ff:ff:ff:ff:ff:ff, no ARP"),
                  ns_ip4_format(dst, d),
                  ns_prefix_format(ns_prefix_canonical(path->iface->addr), net),
                  path->iface->nic.name);
    return;
  }
  if (path->mac == NULL) {
    ns_ipnode_explain_route(node, dst, path->route, why, size);
    return;
  }
  char m[NS_MAC_STRLEN];
  ns_why_printf(
      why, size,
      N_("the sender named the interface and the MAC: out of %s straight "
         "to %s, no route lookup, no ARP"),
      path->iface->nic.name, ns_mac_format(*path->mac, m));
}

static void log_send(NsIpNode *node, const NsFrame *f, const OutPath *path,
                     NsIp4 dst, NsTime now) {
  if (path->self != NULL) {
    ns_ipn_log_frame(node, now, "ip/loopback", f,
                     N_("the destination is one of my own addresses: delivered "
                        "inside the node, no frame goes out"),
                     NULL);
    return;
  }
  char why[NS_WHY_MAX] = "";
  if (ns_log_explain(node->ctx->log))
    explain_send(node, path, dst, why, sizeof why);
  ns_ipn_log_frame(node, now, "ip/send", f, why, NULL);
}

/* LOCAL_OUT, then the route again if a hook changed the destination (not
 * for a datagram sent to a given MAC).  A new destination with no route
 * ends the datagram as DROP does. */
static NsIpVerdict local_out(NsIpNode *node, NsIpPacket *pkt, OutPath *path,
                             NsTime now) {
  NsIp4 dst = pkt->ip.dst;
  NsIpVerdict v = ns_ipn_hooks(node, NS_IP_HOOK_LOCAL_OUT, pkt, now);
  if (v != NS_IP_ACCEPT || pkt->ip.dst.v == dst.v || path->mac != NULL)
    return v;
  *path = out_path(node, pkt->ip.dst);
  if (path->iface == NULL) {
    refuse_no_route(node, pkt->frame, pkt->ip.dst, now);
    pkt->frame = NULL;
    return NS_IP_DROP;
  }
  pkt->out = path->iface;
  pkt->nexthop = path->nexthop;
  return NS_IP_ACCEPT;
}

/* After LOCAL_OUT: the log line, POST_ROUTING, the loopback queue or the
 * wire.  Returns the verdict of the hooks. */
static NsIpVerdict post_routing(NsIpNode *node, NsIpPacket *pkt,
                                const OutPath *path, NsTime now) {
  if (ns_ipn_log_on(node))
    log_send(node, pkt->frame, path, pkt->ip.dst, now);
  NsIpVerdict v = ns_ipn_hooks(node, NS_IP_HOOK_POST_ROUTING, pkt, now);
  if (v != NS_IP_ACCEPT)
    return v;
  if (path->self != NULL)
    queue_loopback(node, pkt->frame, now);
  else if (path->mac != NULL)
    ns_ipnode_transmit(path->iface, pkt->frame, *path->mac, now);
  else
    ns_ipn_output(node, path->iface, path->nexthop, pkt->frame, now);
  return NS_IP_ACCEPT;
}

gboolean ns_ipnode_send_fill(NsIpNode *node, NsIp4 dst,
                             const NsIpSendOptions *o, gsize len, NsIpFill fill,
                             gpointer data, NsTime now, guint64 *frame_id) {
  g_return_val_if_fail(node != NULL && o != NULL, FALSE);
  g_return_val_if_fail(len + (o->router_alert ? NS_IPV4_OPT_RA_LEN : 0) <=
                           NS_ETH_MTU - NS_IPV4_HLEN,
                       FALSE);
  g_return_val_if_fail(o->via != NS_IP_VIA_MAC || o->iface != NULL, FALSE);
  g_return_val_if_fail(len == 0 || fill != NULL, FALSE);
  OutPath path = path_for(node, dst, o);
  NsFrame *f = build_datagram(node, &path, dst, o, len, fill, data);
  if (frame_id != NULL)
    *frame_id = f->id;
  if (path.iface == NULL) {
    refuse_no_route(node, f, dst, now);
    return FALSE;
  }
  node->hot.ip_tx++;
  if (o->proto == NS_IPPROTO_ICMP)
    node->hot.icmp_tx++;
  NsIpPacket pkt = {f, {.dst = dst}, NULL, path.iface, path.nexthop};
  NsIpVerdict v = local_out(node, &pkt, &path, now);
  if (v == NS_IP_ACCEPT)
    v = post_routing(node, &pkt, &path, now);
  return v != NS_IP_DROP; /* a hook that took the datagram sends it */
}

/* The payload of ns_ipnode_send_with, copied. */
static void copy_payload(guint8 *dst, gsize len, gpointer data) {
  memcpy(dst, data, len);
}

gboolean ns_ipnode_send_with(NsIpNode *node, NsIp4 dst,
                             const NsIpSendOptions *o, const guint8 *payload,
                             gsize len, NsTime now, guint64 *frame_id) {
  return ns_ipnode_send_fill(node, dst, o, len, copy_payload, (gpointer)payload,
                             now, frame_id);
}

gboolean ns_ipnode_send(NsIpNode *node, NsIp4 dst, guint8 proto, guint8 ttl,
                        const guint8 *payload, gsize len, NsTime now,
                        guint64 *frame_id) {
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(proto, ttl);
  return ns_ipnode_send_with(node, dst, &o, payload, len, now, frame_id);
}

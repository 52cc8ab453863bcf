/* ipnode.c — the IPv4 stack shared by hosts and routers. */
#include "net/ipnode.h"

#include <string.h>

#include "net/ipnode_private.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/pretty.h"

typedef struct {
  NsIcmpListener fn; /* NULL once removed during a dispatch */
  gpointer data;
} Listener;

typedef struct {
  guint8 proto;
  NsIpProtoHandler fn;
  gpointer data;
} ProtoHandler;

struct NsIpNode {
  NsCtx *ctx;            /* borrowed */
  char *name;            /* owned */
  gboolean forwarding;   /* TRUE for routers */
  NsArpConfig arp_cfg;   /* copied into each interface's cache */
  GPtrArray *ifaces;     /* of NsIpIface*, owned */
  NsRouteTable *routes;  /* owned */
  NsTimer arp_timer;     /* due at the earliest ARP cache deadline */
  guint16 next_ip_id;    /* IPv4 identification counter */
  guint16 next_ident;    /* application identifiers (ICMP echo id) */
  GArray *listeners;     /* of Listener */
  guint dispatching;     /* > 0 while listeners run */
  GArray *protos;        /* of ProtoHandler */
  GPtrArray *released;   /* scratch: frames an ARP answer releases */
  GQueue loopback;       /* datagrams to our own addresses, oldest first */
  NsTimer loopback_timer; /* due while loopback is not empty */
  NsIpCounters counters;
};

static void arp_timer_fired(NsTimer *t, NsTime now, gpointer data);
static void loopback_fired(NsTimer *t, NsTime now, gpointer data);
static void iface_recv(NsNic *nic, NsFrame *frame, NsTime now);
static void ip_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                     NsTime now);

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
  ns_timer_init(&node->arp_timer, arp_timer_fired, node);
  g_queue_init(&node->loopback);
  ns_timer_init(&node->loopback_timer, loopback_fired, node);
  node->next_ip_id = 1;
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
guint16 ns_ipnode_next_ident(NsIpNode *node) { return ++node->next_ident; }
guint ns_ipnode_n_ifaces(const NsIpNode *node) { return node->ifaces->len; }

NsIpIface *ns_ipnode_iface(NsIpNode *node, guint i) {
  g_return_val_if_fail(i < node->ifaces->len, NULL);
  return g_ptr_array_index(node->ifaces, i);
}

NsIpIface *ns_ipnode_add_iface(NsIpNode *node, const char *name,
                               NsPrefix addr, NsMac mac) {
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

void ns_ipnode_add_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                 gpointer data) {
  if (node->listeners == NULL)
    node->listeners = g_array_new(FALSE, FALSE, sizeof(Listener));
  Listener l = {fn, data};
  g_array_append_val(node->listeners, l);
}

static void compact_listeners(NsIpNode *node) {
  for (guint i = node->listeners->len; i-- > 0;)
    if (g_array_index(node->listeners, Listener, i).fn == NULL)
      g_array_remove_index(node->listeners, i);
}

void ns_ipnode_remove_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                    gpointer data) {
  if (node->listeners == NULL)
    return;
  for (guint i = 0; i < node->listeners->len; i++) {
    Listener *l = &g_array_index(node->listeners, Listener, i);
    if (l->fn == fn && l->data == data) {
      l->fn = NULL;
      break;
    }
  }
  if (node->dispatching == 0)
    compact_listeners(node);
}

void ns_ipnode_set_proto_handler(NsIpNode *node, guint8 proto,
                                 NsIpProtoHandler fn, gpointer data) {
  if (node->protos == NULL)
    node->protos = g_array_new(FALSE, FALSE, sizeof(ProtoHandler));
  for (guint i = 0; i < node->protos->len; i++) {
    ProtoHandler *p = &g_array_index(node->protos, ProtoHandler, i);
    if (p->proto == proto) {
      p->fn = fn;
      p->data = data;
      return;
    }
  }
  ProtoHandler p = {proto, fn, data};
  g_array_append_val(node->protos, p);
}

static void dispatch_icmp(NsIpNode *node, const NsIpv4Hdr *ip,
                          const NsIcmp *icmp, NsTime now) {
  if (node->listeners == NULL)
    return;
  node->dispatching++;
  /* Listeners added during dispatch are not called for this message. */
  guint n = node->listeners->len;
  for (guint i = 0; i < n; i++) {
    Listener l = g_array_index(node->listeners, Listener, i);
    if (l.fn != NULL)
      l.fn(node, ip, icmp, now, l.data);
  }
  if (--node->dispatching == 0)
    compact_listeners(node);
}

/* ---- sending ------------------------------------------------------------- */

static inline gboolean log_on(NsIpNode *node) { return ns_log_on(node->ctx->log); }

static void log_frame(NsIpNode *node, NsTime now, const char *event,
                      const NsFrame *frame, const char *why,
                      const char *prefix) {
  char desc[256];
  ns_frame_describe(frame->data, frame->len, desc, sizeof desc);
  ns_log_printf(node->ctx->log, now, node->name, event, frame->id, why,
                "%s%s", prefix != NULL ? prefix : "", desc);
}

static void send_arp(NsIpNode *node, NsIpIface *iface, guint16 op,
                     NsMac eth_dst, NsMac tha, NsIp4 tpa, NsTime now,
                     const char *why) {
  NsFrame *f = ns_ctx_frame_new(node->ctx, NS_ETH_MIN_FRAME);
  NsEthHdr eth = {eth_dst, iface->nic.mac, NS_ETHERTYPE_ARP};
  ns_eth_emit(f->data, &eth);
  NsArp a = {op, iface->nic.mac, iface->addr.addr, tha, tpa};
  ns_arp_emit(f->data + NS_ETH_HLEN, &a);
  if (op == NS_ARP_OP_REQUEST)
    node->counters.arp_requests++;
  else
    node->counters.arp_replies++;
  if (log_on(node))
    log_frame(node, now,
              op == NS_ARP_OP_REQUEST ? "arp/request" : "arp/reply", f, why,
              op == NS_ARP_OP_REQUEST ? "broadcast " : "");
  ns_nic_send(&iface->nic, f, now);
}

static void arp_rearm(NsIpNode *node, NsTime now) {
  NsTime next = NS_TIME_NEVER;
  for (guint i = 0; i < node->ifaces->len; i++) {
    NsIpIface *iface = g_ptr_array_index(node->ifaces, i);
    NsTime d = ns_arp_cache_next_deadline(iface->arp);
    if (d < next)
      next = d;
  }
  if (next == NS_TIME_NEVER)
    ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
  else if (!ns_timer_armed(&node->arp_timer) || node->arp_timer.when != MAX(next, now))
    ns_timerq_arm(node->ctx->timers, &node->arp_timer, MAX(next, now));
}

/* After a change to one interface's cache: that cache's earliest deadline
 * can only pull the node's timer earlier, so there is no need to scan every
 * interface (a timer that fires early finds nothing due and re-arms with
 * the full scan). */
static void arp_rearm_for(NsIpNode *node, NsIpIface *iface, NsTime now) {
  NsTime d = ns_arp_cache_next_deadline(iface->arp);
  if (d == NS_TIME_NEVER)
    return;
  d = MAX(d, now);
  if (!ns_timer_armed(&node->arp_timer) || d < node->arp_timer.when)
    ns_timerq_arm(node->ctx->timers, &node->arp_timer, d);
}

void ns_ipnode_arp_changed(NsIpNode *node, NsTime now) { arp_rearm(node, now); }

void ns_ipnode_arp_flush(NsIpNode *node) {
  for (guint i = 0; i < node->ifaces->len; i++)
    ns_arp_cache_flush(((NsIpIface *)g_ptr_array_index(node->ifaces, i))->arp);
  ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
}

/* Puts our MAC and dst on an IPv4 frame and sends it.  Takes frame. */
static void transmit(NsIpIface *iface, NsFrame *frame, NsMac dst, NsTime now) {
  NsEthHdr eth = {dst, iface->nic.mac, NS_ETHERTYPE_IPV4};
  ns_eth_emit(frame->data, &eth);
  ns_nic_send(&iface->nic, frame, now);
}

static NsMac multicast_mac(NsIp4 group) {
  /* RFC 1112 §6.4: 01:00:5e followed by the group's low 23 bits. */
  NsMac m = {{0x01, 0x00, 0x5e, (guint8)((group.v >> 16) & 0x7f),
              (guint8)(group.v >> 8), (guint8)group.v}};
  return m;
}

static gboolean is_broadcast_for(const NsIpIface *iface, NsIp4 ip) {
  return ns_ip4_is_limited_broadcast(ip) ||
         (iface->addr.len < 31 && ip.v == ns_prefix_broadcast(iface->addr).v);
}

/* Hands an IPv4 frame (header at offset 14) to next hop nexthop on iface,
 * resolving its MAC.  Takes frame. */
static void output(NsIpNode *node, NsIpIface *iface, NsIp4 nexthop,
                   NsFrame *frame, NsTime now) {
  if (is_broadcast_for(iface, nexthop)) {
    transmit(iface, frame, ns_mac_broadcast, now);
    return;
  }
  if (ns_ip4_is_multicast(nexthop)) {
    transmit(iface, frame, multicast_mac(nexthop), now);
    return;
  }
  NsMac mac;
  NsFrame *dropped = NULL;
  gboolean aged = FALSE;
  char ip[NS_IP4_STRLEN];
  NsArpResult r = ns_arp_cache_resolve(iface->arp, nexthop, now, frame, &mac,
                                       &dropped, &aged);
  switch (r) {
  case NS_ARP_HIT:
    if (ns_log_explain(node->ctx->log)) {
      char m[NS_MAC_STRLEN];
      ns_log_printf(node->ctx->log, now, node->name, "arp/hit", frame->id,
                    "the cache already knows the next hop's MAC",
                    "%s is-at %s (cached)", ns_ip4_format(nexthop, ip),
                    ns_mac_format(mac, m));
    }
    transmit(iface, frame, mac, now);
    break;
  case NS_ARP_MISS:
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/miss", frame->id,
                    aged ? "the cache entry had aged out: ask again"
                         : "the next hop's MAC is not in the ARP cache: "
                           "broadcast a request and queue the datagram",
                    "%s unknown%s: datagram queued", ns_ip4_format(nexthop, ip),
                    aged ? " (aged out)" : "");
    send_arp(node, iface, NS_ARP_OP_REQUEST, ns_mac_broadcast, ns_mac_zero,
             nexthop, now, "who has this address? every host on the LAN hears it");
    arp_rearm_for(node, iface, now);
    break;
  case NS_ARP_PENDING:
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/pending", frame->id,
                    "a request is already out: wait for its answer",
                    "%s still resolving: datagram queued",
                    ns_ip4_format(nexthop, ip));
    break;
  case NS_ARP_FULL:
    node->counters.arp_failed++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id,
                    NULL, "ARP cache full, cannot resolve %s",
                    ns_ip4_format(nexthop, ip));
    ns_frame_unref(frame);
    break;
  }
  if (dropped != NULL) {
    node->counters.arp_failed++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", dropped->id,
                    NULL, "ARP pending queue for %s full: oldest dropped",
                    ns_ip4_format(nexthop, ip));
    ns_frame_unref(dropped);
  }
}

/* Delivers a locally generated ICMP error (about a datagram we sent) to
 * our own listeners, as a real stack reports it to the socket. */
static void local_icmp_error(NsIpNode *node, const guint8 *orig, gsize len,
                             guint8 type, guint8 code, NsTime now) {
  guint8 buf[NS_ICMP_HLEN + 60 + 8];
  NsIcmp m = {type, code, 0, 0, 0, orig, ns_icmp_quote_len(orig, len)};
  gsize n = ns_icmp_emit(buf, &m);
  NsIcmp parsed;
  if (!ns_icmp_parse(buf, n, &parsed, NULL))
    return;
  NsIpv4Hdr ip = {0};
  ip.hlen = NS_IPV4_HLEN;
  ip.total_len = (guint16)(NS_IPV4_HLEN + n);
  ip.ttl = 64;
  ip.proto = NS_IPPROTO_ICMP;
  ip.src = ns_ip4_load(orig + 12);
  ip.dst = ip.src;
  dispatch_icmp(node, &ip, &parsed, now);
}

/* ns_ipnode_send() with a chosen source address (0.0.0.0: the outgoing
 * interface's). */
static gboolean send_from(NsIpNode *node, NsIp4 src, NsIp4 dst, guint8 proto,
                          guint8 ttl, const guint8 *payload, gsize len,
                          NsTime now, guint64 *frame_id) {
  g_return_val_if_fail(len <= NS_FRAME_MAX - NS_ETH_HLEN - NS_IPV4_HLEN, FALSE);
  NsIpIface *iface = NULL;
  NsIp4 nexthop = dst;
  const NsRoute *route = NULL;
  NsIpIface *self = ns_ipnode_iface_by_addr(node, dst);
  if (self != NULL) {
    iface = self;
  } else if (ns_ip4_is_limited_broadcast(dst) || ns_ip4_is_multicast(dst)) {
    if (node->ifaces->len > 0)
      iface = g_ptr_array_index(node->ifaces, 0);
  } else {
    route = ns_route_lookup(node->routes, dst);
    if (route != NULL) {
      iface = g_ptr_array_index(node->ifaces, route->iface);
      if (!ns_ip4_is_zero(route->gateway))
        nexthop = route->gateway;
    }
  }

  gsize total = NS_IPV4_HLEN + len;
  NsFrame *f = ns_ctx_frame_new(node->ctx, ns_eth_padded_len(NS_ETH_HLEN + total));
  NsIpv4Hdr ip = {0};
  ip.tos = 0;
  ip.total_len = (guint16)total;
  ip.id = node->next_ip_id++;
  ip.frag = 0;
  ip.ttl = ttl;
  ip.proto = proto;
  if (!ns_ip4_is_zero(src))
    ip.src = src;
  else
    ip.src = iface != NULL ? iface->addr.addr : ns_ipnode_primary_addr(node);
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
    node->counters.no_route++;
    if (log_on(node)) {
      char why[256] = "";
      if (ns_log_explain(node->ctx->log))
        ns_ipnode_explain_route(node, dst, NULL, why, sizeof why);
      log_frame(node, now, "route/no-route", f, why, "no route for ");
    }
    local_icmp_error(node, f->data + NS_ETH_HLEN, total, NS_ICMP_DEST_UNREACH,
                     NS_ICMP_NET_UNREACH, now);
    ns_frame_unref(f);
    return FALSE;
  }
  node->counters.ip_tx++;
  if (proto == NS_IPPROTO_ICMP)
    node->counters.icmp_tx++;
  if (self != NULL) {
    /* To one of our own addresses: the datagram never touches a wire.  It
     * is delivered from a timer due now, not from inside this call, as a
     * real stack's loopback queue does (the sender finishes first). */
    if (log_on(node))
      log_frame(node, now, "ip/loopback", f,
                "the destination is one of my own addresses: delivered "
                "inside the node, no frame goes out",
                NULL);
    g_queue_push_tail(&node->loopback, f);
    if (!ns_timer_armed(&node->loopback_timer))
      ns_timerq_arm(node->ctx->timers, &node->loopback_timer, now);
    return TRUE;
  }
  if (log_on(node)) {
    char why[256] = "";
    if (ns_log_explain(node->ctx->log))
      ns_ipnode_explain_route(node, dst, route, why, sizeof why);
    log_frame(node, now, "ip/send", f, why, NULL);
  }
  output(node, iface, nexthop, f, now);
  return TRUE;
}

gboolean ns_ipnode_send(NsIpNode *node, NsIp4 dst, guint8 proto, guint8 ttl,
                        const guint8 *payload, gsize len, NsTime now,
                        guint64 *frame_id) {
  return send_from(node, (NsIp4){0}, dst, proto, ttl, payload, len, now,
                   frame_id);
}

/* Sends an ICMP error about the datagram at orig (len bytes, header
 * already parsed into oh) back to its source, following RFC 1122 §3.2.2:
 * never about an ICMP error, a broadcast/multicast, a non-first fragment or
 * an invalid source. */
static void icmp_error(NsIpNode *node, NsIpIface *in, const guint8 *orig,
                       const NsIpv4Hdr *oh, guint8 type, guint8 code,
                       NsTime now) {
  if ((oh->frag & 0x1fff) != 0 || ns_ip4_is_zero(oh->src) ||
      ns_ip4_is_limited_broadcast(oh->src) || ns_ip4_is_multicast(oh->src) ||
      ns_ip4_is_multicast(oh->dst) || is_broadcast_for(in, oh->dst))
    return;
  if (oh->proto == NS_IPPROTO_ICMP && oh->total_len > oh->hlen) {
    guint8 t = orig[oh->hlen];
    if (t != NS_ICMP_ECHO_REQUEST && t != NS_ICMP_ECHO_REPLY && t != 13 &&
        t != 14 && t != 15 && t != 16 && t != 17 && t != 18)
      return;
  }
  if (ns_ipnode_iface_by_addr(node, oh->src) != NULL) {
    local_icmp_error(node, orig, oh->total_len, type, code, now);
    return;
  }
  guint8 buf[NS_ICMP_HLEN + 60 + 8];
  NsIcmp m = {type, code, 0, 0, 0, orig, ns_icmp_quote_len(orig, oh->total_len)};
  gsize n = ns_icmp_emit(buf, &m);
  ns_ipnode_send(node, oh->src, NS_IPPROTO_ICMP, 64, buf, n, now, NULL);
}

/* ---- receiving ----------------------------------------------------------- */

static void arp_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                      NsTime now) {
  NsArp a;
  const char *err = NULL;
  if (!ns_arp_parse(frame->data + NS_ETH_HLEN, frame->len - NS_ETH_HLEN, &a,
                    &err)) {
    node->counters.malformed++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/drop", frame->id,
                    NULL, "malformed ARP: %s", err != NULL ? err : "?");
    return;
  }
  gboolean for_us = a.tpa.v == iface->addr.addr.v;
  gboolean logging = log_on(node);
  char sip[NS_IP4_STRLEN] = "", tip[NS_IP4_STRLEN] = "",
       smac[NS_MAC_STRLEN] = "";
  if (logging) {
    ns_ip4_format(a.spa, sip);
    ns_ip4_format(a.tpa, tip);
    ns_mac_format(a.sha, smac);
  }

  GPtrArray *rel = node->released;
  g_ptr_array_set_size(rel, 0);
  if (!ns_ip4_is_zero(a.spa) && !ns_mac_is_multicast(a.sha)) {
    if (ns_arp_cache_update(iface->arp, a.spa, a.sha, now, for_us, rel) &&
        logging)
      ns_log_printf(node->ctx->log, now, node->name, "arp/learn", frame->id,
                    for_us ? (a.op == NS_ARP_OP_REPLY
                                  ? "the answer to our request"
                                  : "a request for us also tells us who "
                                    "asked (RFC 826): remember the sender")
                           : "we already had this address: refresh it",
                    "%s is-at %s", sip, smac);
  }

  if (a.op == NS_ARP_OP_REQUEST) {
    if (for_us) {
      char why[128] = "";
      if (ns_log_explain(node->ctx->log))
        g_snprintf(why, sizeof why, "%s is my address on %s: answer %s directly",
                   tip, iface->nic.name, sip);
      send_arp(node, iface, NS_ARP_OP_REPLY, a.sha, a.sha, a.spa, now, why);
    } else if (logging) {
      ns_log_printf(node->ctx->log, now, node->name, "arp/ignore", frame->id,
                    "only the owner of the address answers",
                    "who-has %s tell %s: not my address", tip, sip);
    }
  }

  for (guint i = 0; i < rel->len; i++) {
    NsFrame *f = g_ptr_array_index(rel, i);
    if (logging)
      ns_log_printf(node->ctx->log, now, node->name, "arp/release", f->id,
                    "the answer came: send what was waiting for it",
                    "sending queued datagram to %s at %s", sip, smac);
    transmit(iface, f, a.sha, now);
  }
  g_ptr_array_set_size(rel, 0);
  arp_rearm_for(node, iface, now);
}

static void answer_echo(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                        const NsIcmp *icmp, guint64 frame_id, NsTime now) {
  if (ns_ip4_is_zero(ip->src) || ns_ip4_is_multicast(ip->src) ||
      ns_ip4_is_limited_broadcast(ip->src))
    return;
  guint8 buf[NS_FRAME_MAX];
  gsize max = sizeof buf - NS_ETH_HLEN - NS_IPV4_HLEN - NS_ICMP_HLEN;
  NsIcmp reply = {NS_ICMP_ECHO_REPLY, 0, 0, icmp->id, icmp->seq, icmp->data,
                  MIN(icmp->data_len, max)};
  gsize n = ns_icmp_emit(buf, &reply);
  node->counters.echo_replied++;
  if (log_on(node)) {
    char src[NS_IP4_STRLEN];
    ns_log_printf(node->ctx->log, now, node->name, "icmp/echo", frame_id,
                  "an echo request addressed to me is answered with an echo "
                  "reply carrying the same id, seq and data",
                  "echo request from %s id %u seq %u: replying",
                  ns_ip4_format(ip->src, src), icmp->id, icmp->seq);
  }
  (void)iface;
  /* RFC 1122 3.2.2.6: the reply comes from the address that was pinged
   * (a router pinged on its far interface answers from that one); for a
   * broadcast request, from the outgoing interface. */
  NsIp4 src = ns_ipnode_iface_by_addr(node, ip->dst) != NULL ? ip->dst
                                                             : (NsIp4){0};
  send_from(node, src, ip->src, NS_IPPROTO_ICMP, 64, buf, n, now, NULL);
}

static void deliver_local(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                          const NsIpv4Hdr *ip, NsTime now) {
  const guint8 *pkt = frame->data + NS_ETH_HLEN;
  const guint8 *payload = pkt + ip->hlen;
  gsize plen = ip->total_len - ip->hlen;
  node->counters.delivered++;
  if (ip->proto == NS_IPPROTO_ICMP) {
    NsIcmp icmp;
    const char *err = NULL;
    if (!ns_icmp_parse(payload, plen, &icmp, &err)) {
      node->counters.malformed++;
      if (log_on(node))
        ns_log_printf(node->ctx->log, now, node->name, "icmp/drop", frame->id,
                      NULL, "malformed ICMP: %s", err != NULL ? err : "?");
      return;
    }
    node->counters.icmp_rx++;
    if (icmp.type == NS_ICMP_ECHO_REQUEST) {
      answer_echo(node, iface, ip, &icmp, frame->id, now);
      return;
    }
    if (log_on(node))
      log_frame(node, now, "icmp/receive", frame, NULL, NULL);
    dispatch_icmp(node, ip, &icmp, now);
    return;
  }
  if (node->protos != NULL) {
    for (guint i = 0; i < node->protos->len; i++) {
      ProtoHandler *p = &g_array_index(node->protos, ProtoHandler, i);
      if (p->proto != ip->proto)
        continue;
      guint8 code = NS_ICMP_PORT_UNREACH;
      if (!p->fn(node, iface, ip, payload, plen, now, p->data, &code))
        icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH, code, now);
      return;
    }
  }
  if (log_on(node))
    ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id,
                  "no handler for this protocol number", "protocol %u unsupported",
                  ip->proto);
  icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH, NS_ICMP_PROTO_UNREACH,
             now);
}

/* The directed broadcast address of one of our subnets? */
static gboolean is_subnet_broadcast(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->ifaces->len; i++)
    if (is_broadcast_for(g_ptr_array_index(node->ifaces, i), ip))
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
    if (log_on(node))
      log_frame(node, now, "route/no-broadcast", frame,
                "a router ends the broadcast domain: broadcasts and "
                "multicasts are never forwarded",
                "not forwarding ");
    ns_frame_unref(frame);
    return;
  }
  if (ip->ttl <= 1) {
    node->counters.ttl_exceeded++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "route/ttl-exceeded",
                    frame->id,
                    "TTL would reach 0 here: the datagram dies and its source "
                    "gets an ICMP time exceeded",
                    "ttl %u from %s: time exceeded", ip->ttl,
                    ns_ip4_format(ip->src, buf));
    icmp_error(node, in, pkt, ip, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED,
               now);
    ns_frame_unref(frame);
    return;
  }
  const NsRoute *route = ns_route_lookup(node->routes, ip->dst);
  if (route == NULL) {
    node->counters.no_route++;
    if (log_on(node)) {
      char why[256] = "";
      if (ns_log_explain(node->ctx->log))
        ns_ipnode_explain_route(node, ip->dst, NULL, why, sizeof why);
      ns_log_printf(node->ctx->log, now, node->name, "route/no-route",
                    frame->id, why, "no route to %s: net unreachable",
                    ns_ip4_format(ip->dst, buf));
    }
    icmp_error(node, in, pkt, ip, NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH,
               now);
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
  if (log_on(node)) {
    char why[256] = "", src[NS_IP4_STRLEN], nh[NS_IP4_STRLEN];
    if (ns_log_explain(node->ctx->log))
      ns_ipnode_explain_route(node, ip->dst, route, why, sizeof why);
    ns_log_printf(node->ctx->log, now, node->name, "route/forward", frame->id,
                  why, "%s > %s: out %s to %s, ttl %u->%u",
                  ns_ip4_format(ip->src, src), ns_ip4_format(ip->dst, buf),
                  out->nic.name, ns_ip4_format(nexthop, nh), ip->ttl,
                  ip->ttl - 1);
  }
  output(node, out, nexthop, frame, now);
}

static gboolean is_local(NsIpNode *node, NsIpIface *in, NsIp4 dst) {
  if (ns_ip4_is_limited_broadcast(dst) || is_broadcast_for(in, dst))
    return TRUE;
  return ns_ipnode_iface_by_addr(node, dst) != NULL;
}

static void ip_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                     NsTime now) {
  NsIpv4Hdr ip;
  const char *err = NULL;
  if (!ns_ipv4_parse(frame->data + NS_ETH_HLEN, frame->len - NS_ETH_HLEN, &ip,
                     &err)) {
    node->counters.malformed++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id,
                    NULL, "malformed IPv4: %s", err != NULL ? err : "?");
    ns_frame_unref(frame);
    return;
  }
  node->counters.ip_rx++;
  if (is_local(node, iface, ip.dst)) {
    deliver_local(node, iface, frame, &ip, now);
    ns_frame_unref(frame);
  } else if (node->forwarding) {
    forward(node, iface, frame, &ip, now);
  } else {
    node->counters.not_for_us++;
    if (log_on(node))
      log_frame(node, now, "ip/drop", frame,
                "a host does not forward datagrams addressed to others",
                "not for me: ");
    ns_frame_unref(frame);
  }
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
    if (log_on(node)) {
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
    arp_input(node, iface, frame, now);
    ns_frame_unref(frame);
    break;
  case NS_ETHERTYPE_IPV4:
    ip_input(node, iface, frame, now);
    break;
  default:
    node->counters.malformed++;
    if (log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "eth/drop", frame->id,
                    NULL, "unknown ethertype 0x%04x", ns_eth_type(frame->data));
    ns_frame_unref(frame);
  }
}

/* ---- ARP timers ---------------------------------------------------------- */

typedef struct {
  NsIpNode *node;
  NsIpIface *iface;
  NsTime now;
} TickCtx;

static void arp_retry_cb(NsIp4 ip, guint attempt, gpointer data) {
  TickCtx *tc = data;
  char why[96] = "";
  if (ns_log_explain(tc->node->ctx->log))
    g_snprintf(why, sizeof why, "no answer yet: request %u of %u", attempt,
               tc->node->arp_cfg.retries);
  send_arp(tc->node, tc->iface, NS_ARP_OP_REQUEST, ns_mac_broadcast,
           ns_mac_zero, ip, tc->now, why);
}

static void arp_fail_cb(NsIp4 ip, NsFrame **frames, guint n, gpointer data) {
  TickCtx *tc = data;
  NsIpNode *node = tc->node;
  char buf[NS_IP4_STRLEN];
  if (log_on(node))
    ns_log_printf(node->ctx->log, tc->now, node->name, "arp/fail", 0,
                  "nobody answered: the address is unreachable",
                  "%s did not answer %u requests: %u queued datagram(s) "
                  "dropped, host unreachable",
                  ns_ip4_format(ip, buf), node->arp_cfg.retries, n);
  for (guint i = 0; i < n; i++) {
    NsFrame *f = frames[i];
    node->counters.arp_failed++;
    NsIpv4Hdr oh;
    if (ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &oh, NULL))
      icmp_error(node, tc->iface, f->data + NS_ETH_HLEN, &oh,
                 NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH, tc->now);
    ns_frame_unref(f);
  }
}

static void arp_expire_cb(NsIp4 ip, NsMac mac, gpointer data) {
  TickCtx *tc = data;
  if (log_on(tc->node)) {
    char b[NS_IP4_STRLEN], m[NS_MAC_STRLEN];
    ns_log_printf(tc->node->ctx->log, tc->now, tc->node->name, "arp/expire",
                  0, "entries age out so that a moved or replaced host is "
                     "learned again",
                  "%s at %s aged out", ns_ip4_format(ip, b),
                  ns_mac_format(mac, m));
  }
}

static void arp_timer_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  (void)t;
  for (guint i = 0; i < node->ifaces->len; i++) {
    TickCtx tc = {node, g_ptr_array_index(node->ifaces, i), now};
    ns_arp_cache_tick(tc.iface->arp, now, arp_retry_cb, arp_fail_cb,
                      arp_expire_cb, &tc);
  }
  arp_rearm(node, now);
}

/* ---- loopback ------------------------------------------------------------ */

static void loopback_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  (void)t;
  /* Only what was queued before this moment: a reply queued while
   * delivering (ping to self) goes in the next round, at the same time. */
  guint n = g_queue_get_length(&node->loopback);
  for (guint i = 0; i < n; i++) {
    NsFrame *f = g_queue_pop_head(&node->loopback);
    NsIpIface *iface =
        ns_ipnode_iface_by_addr(node, ns_ip4_load(f->data + NS_ETH_HLEN + 16));
    if (iface == NULL) /* the address went away meanwhile */
      ns_frame_unref(f);
    else
      ip_input(node, iface, f, now);
  }
  if (!g_queue_is_empty(&node->loopback))
    ns_timerq_arm(node->ctx->timers, &node->loopback_timer, now);
}

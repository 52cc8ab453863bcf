/* ipnode_input.c — what reaches a node: frames from its interfaces, the
 * IPv4 receive path (PRE_ROUTING, then local delivery through LOCAL_IN or
 * forwarding through FORWARD and POST_ROUTING) and the loopback queue (see
 * ipnode_private.h for how the stack is split). */
#include <string.h>

#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/ethernet.h"
#include "wire/pretty.h"

/* icmp/receive's why: for an error, the datagram it quotes (the line has
 * only the error's kind); when it came in from a wire (wire_in not NULL),
 * the interface and Ethernet header of its last hop. */
static void explain_receive(const NsIpIface *wire_in, const NsFrame *frame,
                            const NsIcmp *icmp, char *why, gsize size) {
  NsWhy w;
  ns_why_init(&w);
  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  gboolean quoted = ns_icmp_quoted(icmp, &orig, &op, &olen);
  if (quoted) {
    char s[NS_IP4_STRLEN], d[NS_IP4_STRLEN];
    ns_why_add(&w, N_("an error about the datagram %s > %s"),
               ns_ip4_format(orig.src, s), ns_ip4_format(orig.dst, d));
  }
  if (wire_in != NULL) {
    char addrs[NS_ETH_ADDRS_STRLEN];
    ns_why_add(&w,
               quoted ? N_("; the last hop: it came in on %s with MACs %s")
                      : N_("the last hop: it came in on %s with MACs %s"),
               wire_in->nic.name,
               ns_eth_format_header_addrs(frame->data, addrs));
  }
  g_autofree char *text = ns_why_finish(&w);
  g_strlcpy(why, text, size);
}

static G_GNUC_NO_INLINE void log_receive(NsIpNode *node,
                                         const NsIpIface *wire_in,
                                         const NsFrame *frame,
                                         const NsIcmp *icmp, NsTime now) {
  char why[NS_WHY_MAX] = "";
  if (ns_log_explain(node->ctx->log))
    explain_receive(wire_in, frame, icmp, why, sizeof why);
  ns_ipn_log_frame(node, now, "icmp/receive", frame, why, NULL);
}

/* An echo request to a broadcast or multicast address, and the node does
 * not answer those (ns_ipnode_set_answer_broadcast_ping): counted, logged,
 * TRUE. */
static gboolean ignores_echo(NsIpNode *node, const NsIpIface *iface,
                             const NsIpv4Hdr *ip, const NsFrame *frame,
                             NsTime now) {
  gboolean group = ns_ip4_is_limited_broadcast(ip->dst) ||
                   ns_ip4_is_multicast(ip->dst) ||
                   ns_ipnode_is_broadcast_for(iface, ip->dst);
  if (!group || node->answer_broadcast_ping)
    return FALSE;
  NS_IPN_COUNT(node, echo_ignored);
  if (ns_ipn_log_on(node)) {
    char dst[NS_IP4_STRLEN];
    ns_log_printf(node->ctx->log, now, node->name, "icmp/ignore", frame->id,
                  N_("Linux ignores echo requests sent to a broadcast or "
                     "multicast address (icmp_echo_ignore_broadcasts = 1), so "
                     "one ping cannot make a whole LAN answer; "
                     "answer-broadcast-ping = true answers them"),
                  "echo request to %s: not answered",
                  ns_ip4_format(ip->dst, dst));
  }
  return TRUE;
}

/* from_wire: iface is where it came in (not the loopback queue). */
/* The handler of proto, or NULL. */
static const NsIpProto *proto_of(const NsIpNode *node, guint8 proto) {
  for (guint i = 0; node->protos != NULL && i < node->protos->len; i++) {
    const NsIpProto *p = &g_array_index(node->protos, NsIpProto, i);
    if (p->proto == proto && p->fn != NULL)
      return p;
  }
  return NULL;
}

/* A piece of a larger datagram, for us: this stack does not reassemble,
 * so it is counted and dropped (never handed up as if whole: a later
 * piece's bytes would be read as a UDP or ICMP header). */
static G_GNUC_NO_INLINE void drop_fragment(NsIpNode *node, const NsFrame *frame,
                                           NsTime now) {
  NS_IPN_COUNT(node, fragments);
  if (ns_ipn_log_on(node))
    ns_ipn_log_frame(node, now, "ip/drop", frame,
                     N_("a fragment of a larger datagram: netsim does not "
                        "put fragments back together, so it is dropped"),
                     "fragment: ");
}

static void deliver_local(NsIpNode *node, NsIpIface *iface, gboolean from_wire,
                          NsFrame *frame, const NsIpv4Hdr *ip, NsTime now) {
  const guint8 *pkt = frame->data + NS_ETH_HLEN;
  const guint8 *payload = pkt + ip->hlen;
  gsize plen = ip->total_len - ip->hlen;
  /* RFC 1122 3.2.2: no ICMP error about what came as a link-layer
   * broadcast, whatever its IP destination. */
  gboolean may_complain = !ns_mac_is_multicast(ns_eth_dst(frame->data));
  if (G_UNLIKELY(ns_ipv4_is_fragment(ip))) {
    drop_fragment(node, frame, now);
    return;
  }
  node->hot.delivered++;
  if (ip->proto == NS_IPPROTO_IGMP) {
    ns_ipn_igmp_input(node, iface, ip, frame, now);
    return;
  }
  if (ip->proto == NS_IPPROTO_ICMP) {
    NsIcmp icmp;
    const char *err = NULL;
    gboolean ok = frame->csum_ok
                      ? ns_icmp_parse_header(payload, plen, &icmp, &err)
                      : ns_icmp_parse(payload, plen, &icmp, &err);
    if (!ok) {
      NS_IPN_COUNT(node, malformed);
      if (ns_ipn_log_on(node))
        ns_log_printf(node->ctx->log, now, node->name, "icmp/drop", frame->id,
                      NULL, "malformed ICMP: %s", err != NULL ? err : "?");
      return;
    }
    node->hot.icmp_rx++;
    if (icmp.type == NS_ICMP_ECHO_REQUEST) {
      if (ignores_echo(node, iface, ip, frame, now))
        return;
      ns_ipn_answer_echo(node, iface, ip, &icmp, frame->id, now);
      return;
    }
    if (ns_ipn_log_on(node))
      log_receive(node, from_wire ? iface : NULL, frame, &icmp, now);
    ns_ipn_dispatch_icmp(node, ip, &icmp, now);
    return;
  }
  const NsIpProto *p = proto_of(node, ip->proto);
  if (p == NULL && node->proto_maker != NULL) {
    node->proto_maker(node, ip->proto, node->proto_maker_data);
    p = proto_of(node, ip->proto);
  }
  if (p != NULL) {
    guint8 code = NS_ICMP_PORT_UNREACH;
    node->rx_frame = frame->id;
    node->rx_csum_ok = frame->csum_ok;
    gboolean taken = p->fn(node, iface, ip, payload, plen, now, p->data, &code);
    node->rx_frame = 0;
    node->rx_csum_ok = FALSE;
    if (!taken && may_complain)
      ns_ipn_icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH, code, now);
    return;
  }
  if (ns_ipn_log_on(node))
    ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id,
                  N_("no handler for this protocol number"),
                  "protocol %u unsupported", ip->proto);
  if (may_complain)
    ns_ipn_icmp_error(node, iface, pkt, ip, NS_ICMP_DEST_UNREACH,
                      NS_ICMP_PROTO_UNREACH, now);
}

gboolean ns_ipnode_is_subnet_broadcast(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->n_ifaces; i++)
    if (ns_ipnode_is_broadcast_for(node->ifaces[i], ip))
      return TRUE;
  return FALSE;
}

/* Broadcasts and expiring TTLs, which a router does not forward (the
 * latter with an ICMP error).  TRUE when refused; frame is borrowed. */
static gboolean refuse_to_forward(NsIpNode *node, NsIpIface *in,
                                  const NsFrame *frame, const NsIpv4Hdr *ip,
                                  NsTime now) {
  /* RFC 1812 5.3.4: what arrived as a link-layer broadcast is not
   * forwarded, whatever its IP destination (and gets no ICMP error). */
  gboolean link_bcast = ns_mac_is_multicast(ns_eth_dst(frame->data));
  if (link_bcast || ns_ip4_is_multicast(ip->dst) ||
      ns_ipnode_is_subnet_broadcast(node, ip->dst)) {
    NS_IPN_COUNT(node, no_forward_bcast);
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(node, now, "route/no-broadcast", frame,
                       N_("a router ends the broadcast domain: broadcasts and "
                          "multicasts are never forwarded"),
                       NULL);
    return TRUE;
  }
  if (ip->ttl > 1)
    return FALSE;
  NS_IPN_COUNT(node, ttl_exceeded);
  if (ns_ipn_log_on(node)) {
    char src[NS_IP4_STRLEN];
    ns_log_printf(
        node->ctx->log, now, node->name, "route/ttl-exceeded", frame->id,
        N_("TTL would reach 0 here: the datagram dies and its source "
           "gets an ICMP time exceeded"),
        "ttl %u from %s: time exceeded", ip->ttl, ns_ip4_format(ip->src, src));
  }
  ns_ipn_icmp_error(node, in, frame->data + NS_ETH_HLEN, ip,
                    NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED, now);
  return TRUE;
}

/* The line shows the IP addresses, which stay, the way out and the TTL;
 * the why (the frame still carries the Ethernet header it arrived with:
 * the new one is written when the next hop's MAC is known) adds the MACs
 * of the hop just made. */
static G_GNUC_NO_INLINE void log_forward(NsIpNode *node, const NsFrame *frame,
                                         const NsIpv4Hdr *ip,
                                         const NsIpPacket *pkt, NsTime now) {
  char why[NS_WHY_MAX] = "", src[NS_IP4_STRLEN], dst[NS_IP4_STRLEN];
  if (ns_log_explain(node->ctx->log))
    ns_ipnode_explain_forward(node, ip->dst,
                              ns_route_lookup(node->routes, ip->dst), pkt->in,
                              frame->data, why, sizeof why);
  ns_log_printf(node->ctx->log, now, node->name, "route/forward", frame->id,
                why, "%s > %s out %s, ttl %u->%u", ns_ip4_format(ip->src, src),
                ns_ip4_format(ip->dst, dst), pkt->out->nic.name, ip->ttl,
                ip->ttl - 1);
}

/* The forwarded datagram as it leaves: TTL decremented, re-encapsulated
 * alone (no trailer from the incoming frame, zero padding up to the
 * Ethernet minimum), counted and logged.  Takes frame, returns it (or its
 * private copy). */
static NsFrame *rewrite_forwarded(NsIpNode *node, const NsIpPacket *pkt,
                                  NsTime now) {
  const NsIpv4Hdr *ip = &pkt->ip; /* as it came: the log shows the TTL so */
  NsFrame *frame = ns_frame_make_writable(pkt->frame);
  ns_ipv4_decrement_ttl(frame->data + NS_ETH_HLEN);
  gsize end = NS_ETH_HLEN + ip->total_len;
  if (frame->len > end)
    memset(frame->data + end, 0, frame->len - end);
  ns_frame_set_len(frame, ns_eth_padded_len(end));
  node->hot.forwarded++;
  if (ns_ipn_log_on(node))
    log_forward(node, frame, ip, pkt, now);
  return frame;
}

/* A router's datagram for somebody else (pkt->frame taken): the route
 * fills pkt->out and pkt->nexthop. */
static void forward(NsIpNode *node, NsIpPacket *pkt, NsTime now) {
  const NsIpv4Hdr *ip = &pkt->ip;
  if (refuse_to_forward(node, pkt->in, pkt->frame, ip, now)) {
    ns_frame_unref(pkt->frame);
    return;
  }
  const NsRoute *route = ns_route_lookup(node->routes, ip->dst);
  if (route == NULL) {
    ns_ipn_count_no_route(node, pkt->frame, ip->dst, now);
    ns_ipn_icmp_error(node, pkt->in, pkt->frame->data + NS_ETH_HLEN, ip,
                      NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH, now);
    ns_frame_unref(pkt->frame);
    return;
  }
  pkt->out = node->ifaces[route->iface];
  pkt->nexthop = ns_ip4_is_zero(route->gateway) ? ip->dst : route->gateway;
  if (ns_ipn_hooks(node, NS_IP_HOOK_FORWARD, pkt, now) != NS_IP_ACCEPT)
    return;
  pkt->frame = rewrite_forwarded(node, pkt, now);
  if (ns_ipn_hooks(node, NS_IP_HOOK_POST_ROUTING, pkt, now) != NS_IP_ACCEPT)
    return;
  ns_ipn_output(node, pkt->out, pkt->nexthop, pkt->frame, now);
}

/* IGMP to a group is for the IGMP code of every node (ipnode.h). */
static gboolean is_local(NsIpNode *node, NsIpIface *in, const NsIpv4Hdr *ip,
                         gboolean from_wire) {
  NsIp4 dst = ip->dst;
  if (ns_ip4_is_limited_broadcast(dst) || ns_ipnode_is_broadcast_for(in, dst))
    return TRUE;
  if (!from_wire && ns_ipn_is_host_local(dst))
    return TRUE;
  if (ns_ip4_is_multicast(dst))
    return ip->proto == NS_IPPROTO_IGMP || ns_ipnode_is_member(node, dst);
  return ns_ipn_iface_by_addr(node, dst) != NULL;
}

/* A host got multicast for a group it has not joined.  A real NIC filters
 * on the group MAC, but 32 groups share each MAC and switches flood
 * multicast anyway, so IP makes the final decision. */
static void drop_not_member(NsIpNode *node, NsFrame *frame, NsIp4 group,
                            NsTime now) {
  NS_IPN_COUNT(node, not_member);
  if (!ns_ipn_log_on(node))
    return;
  char why[NS_WHY_MAX] = "", g[NS_IP4_STRLEN];
  if (ns_log_explain(node->ctx->log))
    ns_why_printf(
        why, sizeof why,
        N_("not a member of group %s: the NIC passes the frame up, IP "
           "drops it"),
        ns_ip4_format(group, g));
  ns_ipn_log_frame(node, now, "ip/drop", frame, why, "not a member: ");
}

/* After PRE_ROUTING: for us (LOCAL_IN, then delivery), to forward, or
 * to drop.  Takes pkt->frame. */
static void route_input(NsIpNode *node, NsIpPacket *pkt, gboolean from_wire,
                        NsTime now) {
  NsIp4 dst = pkt->ip.dst;
  if (is_local(node, pkt->in, &pkt->ip, from_wire)) {
    if (ns_ipn_hooks(node, NS_IP_HOOK_LOCAL_IN, pkt, now) != NS_IP_ACCEPT)
      return;
    deliver_local(node, pkt->in, from_wire, pkt->frame, &pkt->ip, now);
    ns_frame_unref(pkt->frame);
  } else if (node->forwarding) {
    forward(node, pkt, now);
  } else if (ns_ip4_is_multicast(dst)) {
    drop_not_member(node, pkt->frame, dst, now);
    ns_frame_unref(pkt->frame);
  } else {
    node->hot.not_for_us++;
    if (ns_ipn_log_on(node))
      ns_ipn_log_frame(
          node, now, "ip/drop", pkt->frame,
          N_("a host does not forward datagrams addressed to others"),
          "not for me: ");
    ns_frame_unref(pkt->frame);
  }
}

/* Why a source address may not come in on in from a wire (RFC 1812
 * 5.3.7, RFC 1122 3.2.1.3, as Linux's martian sources): a group, a
 * broadcast of in's subnet or everyone's, 0.0.0.0 but to 255.255.255.255
 * (a host that has no address yet asks so), or in's own address.  NULL:
 * none of these. */
static const char *martian_source(const NsIpIface *in, const NsIpv4Hdr *ip) {
  NsIp4 src = ip->src;
  if (ns_ip4_is_multicast(src))
    return N_("a group address names receivers, never a sender: a datagram "
              "from one is dropped");
  if (ns_ipnode_is_broadcast_for(in, src))
    return N_("a broadcast address names every host, never a sender: a "
              "datagram from one is dropped (answering it would answer "
              "everyone)");
  if (ns_ip4_is_zero(src) && !ns_ip4_is_limited_broadcast(ip->dst))
    return N_("0.0.0.0 as a source is only for a host asking everyone "
              "(255.255.255.255) for an address: otherwise it is dropped");
  if (src.v == in->addr.addr.v && !ns_ip4_is_zero(src))
    return N_("the source is this interface's own address: another "
              "station uses it, or the datagram looped back; it is dropped");
  return NULL;
}

/* One test for the common case that nothing is wrong: an address that
 * may be a martian (then martian_source() says), in a few compares. */
static inline gboolean may_be_martian(const NsIpIface *in,
                                      const NsIpv4Hdr *ip) {
  guint32 s = ip->src.v, d = ip->dst.v;
  /* s - 1 wraps 0.0.0.0 to the top: one compare takes it with 224.0.0.0
   * and above (groups, class E, 255.255.255.255).  Then 127/8 either
   * way, 0.0.0.0 as the destination, in's own address and broadcast. */
  return s - 1u >= 0xDFFFFFFFu || (s >> 24) == 127 || d == 0 ||
         (d >> 24) == 127 || s == in->addr.addr.v || s == in->bcast.v;
}

/* Drops what may_be_martian() flagged, unless it is fine after all (0.0.0.0
 * to 255.255.255.255, a group or everyone as the destination): TRUE then.
 * Out of line: the receive path keeps its registers. */
static G_GNUC_NO_INLINE gboolean drop_martian(NsIpNode *node,
                                              const NsIpIface *in,
                                              const NsFrame *frame,
                                              const NsIpv4Hdr *ip, NsTime now) {
  const char *why;
  if (ns_ipn_is_host_local(ip->dst) || ns_ip4_is_loopback(ip->src))
    /* RFC 1122 3.2.1.3 / RFC 1812 5.3.7: such addresses never appear on
     * a wire; whatever carries them is dropped in silence. */
    why = N_("127.0.0.0/8 and 0.0.0.0 belong inside a host: a datagram "
             "carrying them on a wire is dropped");
  else if ((why = martian_source(in, ip)) == NULL)
    return TRUE;
  NS_IPN_COUNT(node, martian);
  if (ns_ipn_log_on(node))
    ns_ipn_log_frame(node, now, "ip/drop", frame, why, "martian: ");
  return FALSE;
}

/* A valid header (into *ip) with no martian address, or FALSE (counted,
 * logged). */
static gboolean accept_header(NsIpNode *node, NsIpIface *in,
                              const NsFrame *frame, gboolean from_wire,
                              NsIpv4Hdr *ip, NsTime now) {
  const char *err = NULL;
  const guint8 *pkt = frame->data + NS_ETH_HLEN;
  gsize len = frame->len - NS_ETH_HLEN;
  gboolean ok = frame->csum_ok ? ns_ipv4_parse_trusted(pkt, len, ip, &err)
                               : ns_ipv4_parse(pkt, len, ip, &err);
  if (!ok) {
    NS_IPN_COUNT(node, malformed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id, NULL,
                    "malformed IPv4: %s", err != NULL ? err : "?");
    return FALSE;
  }
  node->hot.ip_rx++;
  if (G_LIKELY(!from_wire || !may_be_martian(in, ip)))
    return TRUE;
  return drop_martian(node, in, frame, ip, now);
}

/* from_wire: the datagram came in on an interface (not the loopback).
 * One NsIpPacket carries it down the whole receive path.  Takes frame. */
static void ip_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                     gboolean from_wire, NsTime now) {
  NsIpPacket pkt;
  if (!accept_header(node, iface, frame, from_wire, &pkt.ip, now)) {
    ns_frame_unref(frame);
    return;
  }
  pkt.frame = frame;
  pkt.in = iface;
  pkt.out = NULL;
  pkt.nexthop = (NsIp4){0};
  if (ns_ipn_hooks(node, NS_IP_HOOK_PRE_ROUTING, &pkt, now) != NS_IP_ACCEPT)
    return;
  route_input(node, &pkt, from_wire, now);
}

/* IPv6, an 802.1Q tag, LLDP...: well-formed Ethernet this stack does not
 * speak.  Counted apart from malformed frames, and named in the log. */
static void count_unknown_ethertype(NsIpNode *node, const NsFrame *frame,
                                    NsTime now) {
  NS_IPN_COUNT(node, unknown_ethertype);
  if (!ns_ipn_log_on(node))
    return;
  guint16 type = ns_eth_type(frame->data);
  const char *name = ns_ethertype_name(type);
  ns_log_printf(node->ctx->log, now, node->name, "eth/unknown-type", frame->id,
                N_("this node speaks only IPv4 and ARP: any other EtherType is "
                   "dropped"),
                "ethertype 0x%04x%s%s%s not handled", type,
                name != NULL ? " (" : "", name != NULL ? name : "",
                name != NULL ? ")" : "");
}

/* A frame for another MAC (a switch flooded it): counted, logged, dropped.
 * Takes frame.  Out of line, so that the receive path keeps no buffer. */
static G_GNUC_NO_INLINE void drop_not_for_me(NsIpNode *node, NsFrame *frame,
                                             NsMac dst, NsTime now) {
  node->hot.not_for_us++;
  if (ns_ipn_log_on(node)) {
    char m[NS_MAC_STRLEN];
    ns_log_printf(node->ctx->log, now, node->name, "eth/ignore", frame->id,
                  N_("the switch flooded it: the NIC drops frames addressed "
                     "to another MAC"),
                  "frame for %s is not for me", ns_mac_format(dst, m));
  }
  ns_frame_unref(frame);
}

void ns_ipn_iface_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  NsIpIface *iface = (NsIpIface *)nic;
  NsIpNode *node = nic->owner;
  if (!ns_eth_view(frame->data, frame->len)) {
    NS_IPN_COUNT(node, malformed);
    ns_frame_unref(frame);
    return;
  }
  NsMac dst = ns_eth_dst(frame->data);
  if (!ns_mac_equal(dst, nic->mac) && !ns_mac_is_multicast(dst)) {
    drop_not_for_me(node, frame, dst, now);
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

void ns_ipn_loopback_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  NsIpRare *r = node->rare; /* armed only once made */
  (void)t;
  /* Only what was queued before this moment: a reply queued while
   * delivering (ping to self) goes in the next round, at the same time. */
  guint n = g_queue_get_length(&r->loopback);
  for (guint i = 0; i < n; i++) {
    NsFrame *f = g_queue_pop_head(&r->loopback);
    NsIp4 dst = ns_ip4_load(f->data + NS_ETH_HLEN + NS_IPV4_OFF_DST);
    NsIpIface *iface = ns_ipn_self_iface(node, dst);
    if (iface == NULL) /* the address went away meanwhile */
      ns_frame_unref(f);
    else
      ip_input(node, iface, f, FALSE, now);
  }
  if (!g_queue_is_empty(&r->loopback))
    ns_timerq_arm(node->ctx->timers, &r->loopback_timer, now);
}

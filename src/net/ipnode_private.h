/* ipnode_private.h — the IP stack's insides, shared by its three files:
 *   ipnode.c       node and interfaces, routes, sending, the receive path
 *                  (forwarding, local delivery), loopback;
 *   ipnode_arp.c   next-hop resolution: ARP requests and answers, the
 *                  pending queues, the per-node ARP timer, Ethernet output;
 *   ipnode_icmp.c  ICMP: listeners, echo answers, error messages.
 * Nothing outside src/net/ipnode*.c includes this.
 */
#pragma once

#include "net/ipnode.h"

G_BEGIN_DECLS

typedef struct {
  NsIcmpListener fn; /* NULL once removed during a dispatch */
  gpointer data;
} NsIpListener;

typedef struct {
  guint8 proto;
  NsIpProtoHandler fn; /* NULL once removed */
  gpointer data;
} NsIpProto;

typedef struct {
  NsIp4 group; /* a multicast address */
  guint joins; /* outstanding joins, > 0 */
} NsIpGroup;

struct NsIpNode {
  NsCtx *ctx;             /* borrowed */
  char *name;             /* owned */
  gboolean forwarding;    /* TRUE for routers */
  NsArpConfig arp_cfg;    /* copied into each interface's cache */
  GPtrArray *ifaces;      /* of NsIpIface*, owned */
  NsRouteTable *routes;   /* owned */
  NsTimer arp_timer;      /* due at the earliest ARP cache deadline */
  guint16 next_ip_id;     /* IPv4 identification counter */
  guint16 next_ident;     /* application identifiers (ICMP echo id) */
  GArray *listeners;      /* of NsIpListener */
  guint dispatching;      /* > 0 while listeners run */
  GArray *protos;         /* of NsIpProto */
  guint64 rx_frame;       /* the datagram a protocol handler is given, or 0 */
  GArray *groups;         /* of NsIpGroup, in join order */
  GPtrArray *released;    /* scratch: frames an ARP answer releases */
  GQueue loopback;        /* datagrams to our own addresses, oldest first */
  NsTimer loopback_timer; /* due while loopback is not empty */
  NsIpCounters counters;
};

static inline gboolean ns_ipn_log_on(NsIpNode *node) {
  return ns_log_on(node->ctx->log);
}

/* Logs event about frame, its summary the frame's one-line description
 * after prefix (may be NULL). */
void ns_ipn_log_frame(NsIpNode *node, NsTime now, const char *event,
                      const NsFrame *frame, const char *why,
                      const char *prefix);

/* ---- ipnode_arp.c ---- */

/* Puts our MAC and dst on an IPv4 frame and sends it.  Takes frame. */
void ns_ipn_transmit(NsIpIface *iface, NsFrame *frame, NsMac dst, NsTime now);
/* Hands an IPv4 frame (header at offset 14) to nexthop on iface, resolving
 * its MAC (broadcast and multicast need none).  Takes frame. */
void ns_ipn_output(NsIpNode *node, NsIpIface *iface, NsIp4 nexthop,
                   NsFrame *frame, NsTime now);
/* An ARP frame arrived on iface (borrowed). */
void ns_ipn_arp_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                      NsTime now);
/* Pulls the node's ARP timer earlier if iface's cache needs it. */
void ns_ipn_arp_rearm_for(NsIpNode *node, NsIpIface *iface, NsTime now);
/* The node's ARP timer: retries, failures, expiry on every interface. */
void ns_ipn_arp_timer_fired(NsTimer *t, NsTime now, gpointer data);

/* ---- ipnode_icmp.c ---- */

/* Calls every ICMP listener with a message for this node. */
void ns_ipn_dispatch_icmp(NsIpNode *node, const NsIpv4Hdr *ip,
                          const NsIcmp *icmp, NsTime now);
/* Reports an error about a datagram we sent to our own listeners. */
void ns_ipn_local_icmp_error(NsIpNode *node, const guint8 *orig, gsize len,
                             guint8 type, guint8 code, NsTime now);
/* Sends an ICMP error about the datagram orig (header parsed in oh) to its
 * source, unless RFC 1122 forbids it; local sources get it directly. */
void ns_ipn_icmp_error(NsIpNode *node, NsIpIface *in, const guint8 *orig,
                       const NsIpv4Hdr *oh, guint8 type, guint8 code,
                       NsTime now);
/* Answers an echo request delivered to us. */
void ns_ipn_answer_echo(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                        const NsIcmp *icmp, guint64 frame_id, NsTime now);

/* ---- ipnode_explain.c ---- */

/* Writes the teaching explanation of how node reaches dst with route (NULL
 * when no route matched) into buf: for a host, the subnet-mask AND; for a
 * router, the longest-prefix match and the prefixes it beat. */
void ns_ipnode_explain_route(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                             char *buf, gsize size);

G_END_DECLS

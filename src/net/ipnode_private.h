/* ipnode_private.h — the IP stack's insides, shared by its files:
 *   ipnode.c         node and interfaces, their addresses (set and cleared
 *                    at run time), routes, protocol handlers, groups;
 *   ipnode_input.c   frames arriving: the receive path (PRE_ROUTING,
 *                    local delivery, forwarding), the loopback queue;
 *   ipnode_output.c  datagrams the node originates: route, source,
 *                    LOCAL_OUT, POST_ROUTING;
 *   ipnode_hook.c    the hook lists and the one loop that runs them;
 *   ipnode_arp.c     next-hop resolution: ARP requests and answers, the
 *                    pending queues, the per-node ARP timer, Ethernet output;
 *   ipnode_icmp.c    ICMP: listeners, echo answers, error messages;
 *   ipnode_igmp.c    IGMP: what a host reports, the node's IGMP timer, the
 *                    IGMP receive path;
 *   ipnode_querier.c IGMP on routers: queries, membership tables;
 *   ipnode_explain.c the "why" of a routing decision.
 * Nothing outside src/net/ipnode*.c includes this.
 */
#pragma once

#include "net/igmp.h"
#include "net/ipnode.h"
#include "net/ipnode_hook.h"
#include "wire/igmp.h"

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

/* A joined group and its IGMP report (net/igmp.h): a Delaying Member
 * while report_at is not NS_TIME_NEVER, an Idle Member otherwise. */
typedef struct {
  NsIp4 group;        /* a multicast address */
  guint joins;        /* outstanding joins, > 0 */
  NsTime report_at;   /* the next report (0: at once), or NS_TIME_NEVER */
  guint unsolicited;  /* unsolicited reports still to follow that one */
  guint iface;        /* index of the interface the report leaves by */
  gboolean answering; /* the pending report answers a query */
} NsIpGroup;

/* A leave waiting for the IGMP timer (due at once). */
typedef struct {
  NsIp4 group;
  guint iface; /* index of the interface it leaves by */
} NsIgmpLeave;

/* A router's group on one interface (net/igmp.h). */
typedef struct {
  NsIgmpMembership m;
  NsTime query_at;  /* next group-specific query, or NS_TIME_NEVER */
  guint queries;    /* group-specific queries still to send */
  gboolean leaving; /* a leave was heard, no report since */
} NsIgmpRouterGroup;

/* A router's IGMP state on one interface. */
typedef struct {
  NsTime next_query;  /* next general query; NS_TIME_NEVER while another
                         router is the querier */
  guint startup;      /* start-up queries still to send after the next */
  NsIp4 other;        /* a lower address heard querying, or 0.0.0.0 */
  NsTime other_until; /* when we take over if it stays silent */
  GArray *groups;     /* of NsIgmpRouterGroup */
} NsIgmpQuerier;

struct NsIpHook {
  NsIpHookFunc fn; /* NULL once removed while hooks were running */
  gpointer data;
  gint priority;
  NsIpHookPoint point;
};

/* Hooks per point, in running order (priority, then order added).  While
 * hooks run, the lists do not change: a hook added then waits in `added`,
 * one removed loses its fn; both are settled when the last run ends. */
typedef struct {
  GPtrArray *list[NS_IP_HOOK_N_POINTS]; /* of NsIpHook*, owned; NULL: none
                                           yet */
  guint count[NS_IP_HOOK_N_POINTS];     /* hooks added, not removed */
  GPtrArray *added;                     /* of NsIpHook*, waiting; or NULL */
  guint running;                        /* hook runs in progress */
  gboolean removed;                     /* a fn was cleared: sweep */
} NsIpHooks;

G_STATIC_ASSERT(NS_IP_HOOK_N_POINTS <= 8); /* NsIpNode.hooked */

/* What few nodes ever use, made the first time one of them is needed:
 * on a network of 100,000 hosts that only ping, these were a third of
 * every host's node. */
typedef struct {
  GQueue loopback;        /* datagrams to our own addresses, oldest first */
  NsTimer loopback_timer; /* due while loopback is not empty */
  NsIpHooks hooks;
  NsTimer igmp_timer;    /* due at the earliest IGMP deadline */
  guint64 igmp_draws;    /* random delays drawn so far */
  GArray *igmp_leaves;   /* of NsIgmpLeave, sent when igmp_timer fires */
  NsIpCounters counters; /* those not in NsIpNode.hot; the hot ones 0 */
} NsIpRare;

/* The counters a ping, an ARP exchange or forwarding moves: in the node
 * itself.  The others (drops, IGMP, malformed input) are in NsIpRare.
 * ns_ipnode_counters() puts them together. */
/* clang-format off */
#define NS_IP_HOT_COUNTERS(X)                                                  \
  X(ip_rx) X(ip_tx) X(delivered) X(forwarded) X(not_for_us)                    \
  X(arp_requests) X(arp_replies) X(icmp_tx) X(icmp_rx) X(echo_replied)
/* clang-format on */
#define NS_IP_HOT_MEMBER(f) guint64 f;
typedef struct {
  NS_IP_HOT_COUNTERS(NS_IP_HOT_MEMBER)
} NsIpHotCounters;

struct NsIpNode {
  NsCtx *ctx;                     /* borrowed */
  char *name;                     /* owned */
  gboolean forwarding;            /* TRUE for routers */
  gboolean answer_broadcast_ping; /* echo to a broadcast or group answered */
  const NsArpConfig *arp_cfg;     /* ns_arp_default_config or owned; each
                                     interface's cache borrows it */
  NsIpIface **ifaces;             /* n_ifaces, owned */
  guint n_ifaces;
  NsRouteTable *routes;    /* owned */
  NsTimer arp_timer;       /* due at the earliest ARP cache deadline */
  guint16 next_ip_id;      /* IPv4 identification counter */
  guint16 next_ident;      /* application identifiers (ICMP echo id) */
  NsIpListener *listeners; /* n_listeners, owned; NULL: none */
  guint n_listeners;
  guint dispatching;          /* > 0 while listeners run */
  GArray *protos;             /* of NsIpProto, or NULL: none yet */
  NsIpProtoMaker proto_maker; /* may make a missing one, or NULL */
  gpointer proto_maker_data;
  guint64 rx_frame;    /* the datagram a protocol handler is given, or 0 */
  gboolean rx_csum_ok; /* and its NsFrame.csum_ok (FALSE outside) */
  NsIpGroup *groups;   /* n_groups, in join order; owned */
  guint n_groups;
  guint8 hooked;        /* bit p set while rare->hooks.count[p] > 0 */
  guint8 listener_gone; /* a listener was removed while listeners ran */
  NsIpRare *rare;       /* owned; NULL until needed: ns_ipn_rare() */
  GPtrArray *queriers;  /* of NsIgmpQuerier*, one per interface; NULL
                           while the node is no querier */
  NsIpHotCounters hot;
};

/* node->rare, made if it was not. */
NsIpRare *ns_ipn_rare(NsIpNode *node);
/* The counter f that is not one of the hot ones, for counting. */
#define NS_IPN_COUNT(node, f) (ns_ipn_rare(node)->counters.f++)

static inline gboolean ns_ipn_log_on(NsIpNode *node) {
  return ns_log_on(node->ctx->log);
}

/* ns_ipnode_iface_by_addr(), inlined: every datagram asks it. */
static inline NsIpIface *ns_ipn_iface_by_addr(NsIpNode *node, NsIp4 ip) {
  if (ns_ip4_is_zero(ip)) /* what an interface without an address has */
    return NULL;
  for (guint i = 0; i < node->n_ifaces; i++) {
    NsIpIface *iface = node->ifaces[i];
    if (iface->addr.addr.v == ip.v)
      return iface;
  }
  return NULL;
}

/* 127.0.0.0/8 and 0.0.0.0 ("this host"): meaningful only inside a node. */
static inline gboolean ns_ipn_is_host_local(NsIp4 ip) {
  return ns_ip4_is_loopback(ip) || ns_ip4_is_zero(ip);
}

/* Logs event about frame, its summary the frame's one-line description
 * after prefix (may be NULL). */
void ns_ipn_log_frame(NsIpNode *node, NsTime now, const char *event,
                      const NsFrame *frame, const char *why,
                      const char *prefix);

/* ---- ipnode_hook.c ---- */

/* Runs point's hooks over pkt: the verdict of the chain.  On DROP the
 * frame was freed, on STOLEN a hook has it; pkt->frame is NULL then.  On
 * ACCEPT pkt->frame may be a new (writable) frame and pkt->ip is read
 * again from it. */
NsIpVerdict ns_ipn_hooks_run(NsIpNode *node, NsIpHookPoint point,
                             NsIpPacket *pkt, NsTime now);
/* The same, costing one comparison when point has no hook. */
static inline NsIpVerdict ns_ipn_hooks(NsIpNode *node, NsIpHookPoint point,
                                       NsIpPacket *pkt, NsTime now) {
  if (G_LIKELY((node->hooked & (1u << point)) == 0))
    return NS_IP_ACCEPT;
  return ns_ipn_hooks_run(node, point, pkt, now);
}
/* Frees every hook (the node is going away). */
void ns_ipn_hooks_clear(NsIpNode *node);

/* ---- ipnode_input.c ---- */

/* The NIC's recv: a frame for one of the node's interfaces.  Takes frame. */
void ns_ipn_iface_recv(NsNic *nic, NsFrame *frame, NsTime now);
/* The loopback timer: delivers what was queued to our own addresses. */
void ns_ipn_loopback_fired(NsTimer *t, NsTime now, gpointer data);

/* ---- ipnode_output.c ---- */

/* Counts and logs a datagram that no route matches (its sender is told by
 * the caller: locally or with an ICMP message). */
void ns_ipn_count_no_route(NsIpNode *node, const NsFrame *frame, NsIp4 dst,
                           NsTime now);
/* The interface a datagram to dst loops back on: the one owning dst, the
 * first for 127.x and 0.0.0.0; NULL when dst is not ours. */
NsIpIface *ns_ipn_self_iface(NsIpNode *node, NsIp4 dst);

/* ---- ipnode_arp.c ---- */
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

/* ---- ipnode_igmp.c ---- */

/* The IGMP timer, made with rare (ns_ipn_rare); cancelled, with the
 * leaves and the queriers, with the node. */
void ns_ipn_igmp_init(NsIpNode *node, NsIpRare *rare);
void ns_ipn_igmp_free(NsIpNode *node);

/* A group the node just joined: its reports are due at once. */
void ns_ipn_igmp_joined(NsIpNode *node, NsIpGroup *g);
/* The node's last join of group was undone: a leave is due at once. */
void ns_ipn_igmp_left(NsIpNode *node, NsIp4 group);
/* An IGMP message delivered to iface (frame borrowed). */
void ns_ipn_igmp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                       const NsFrame *frame, NsTime now);
/* Sends m to dst out of iface (TTL 1, TOS 0xc0, Router Alert, DF, the
 * group's MAC) and counts it. */
void ns_ipn_igmp_send(NsIpNode *node, NsIpIface *iface, const NsIgmp *m,
                      NsIp4 dst, NsTime now);
/* A random delay in [0, below), in whole milliseconds. */
NsTime ns_ipn_igmp_random(NsIpNode *node, NsTime below);
/* Arms (or cancels) the IGMP timer for the earliest deadline. */
void ns_ipn_igmp_rearm(NsIpNode *node);
/* "3.25 s". */
char *ns_ipn_igmp_delay(NsTime d, char *buf, gsize size);

/* ---- ipnode_querier.c ---- */

/* A router's IGMP message (parsed in m) heard on iface. */
void ns_ipn_querier_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                          const NsIgmp *m, NsTime now);
/* Sends the queries and expires the groups due at now. */
void ns_ipn_querier_tick(NsIpNode *node, NsTime now);
/* The earliest querier deadline, or NS_TIME_NEVER. */
NsTime ns_ipn_querier_next(const NsIpNode *node);
void ns_ipn_querier_free(NsIpNode *node);

/* ---- ipnode_arp.c (multicast) ---- */

/* The Ethernet address of a group: 01:00:5e and its low 23 bits. */
NsMac ns_ipn_group_mac(NsIp4 group);

/* ---- ipnode_explain.c ---- */

/* Writes the teaching explanation of how node reaches dst with route (NULL
 * when no route matched) into buf: for a host, the subnet-mask AND; for a
 * router, the longest-prefix match and the prefixes it beat. */
void ns_ipnode_explain_route(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                             char *buf, gsize size);
/* A router's forward: the match as above (route not NULL), then the
 * interface in and the Ethernet header (eth, the frame's first bytes) the
 * datagram came in with: the MACs of the hop just made. */
void ns_ipnode_explain_forward(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                               const NsIpIface *in, const guint8 *eth,
                               char *buf, gsize size);

G_END_DECLS

/* ipnode.h — the IPv4 stack shared by hosts and routers.
 *
 * A host and a router are the same machine with one switch flipped: a
 * router forwards datagrams that are not for it, a host drops them.  Both
 * have interfaces (a NIC with a MAC, an address/prefix and its own ARP
 * cache), a routing table (connected routes from the interfaces, static
 * routes, a default route: a host's gateway is a default route), answer
 * ARP for their addresses and ICMP echo, and send ICMP errors.
 *
 * Receive path, per frame:
 *   Ethernet: not our MAC, not broadcast/multicast -> ignored (eth/ignore).
 *        An EtherType other than ARP and IPv4 -> counted in
 *        unknown_ethertype (eth/unknown-type names it).
 *   ARP: sender merged into the cache (created only if the request is for
 *        us, RFC 826); a request for one of our addresses is answered.
 *   IPv4: header checked (checksum), martians dropped, then the
 *        PRE_ROUTING hooks; for us (an own address, 255.255.255.255,
 *        a directed broadcast of a connected subnet, a joined group) ->
 *        LOCAL_IN hooks, then local delivery: ICMP echo answered, other
 *        ICMP to listeners, other protocols to their handler or ICMP
 *        protocol unreachable.
 *        A group not joined: a host drops it (not_member); a router treats
 *        it as any multicast it is not for.
 *        Not for us: a host drops it; a router never forwards broadcast or
 *        multicast, sends time exceeded when TTL would reach 0, net
 *        unreachable when no route matches, else runs the FORWARD hooks,
 *        decrements TTL, runs POST_ROUTING and sends it on.
 * Send path: route lookup (for hosts explained as the mask AND), next hop
 * = gateway or the destination itself, source address (NsIpSrcSelect),
 * LOCAL_OUT and POST_ROUTING hooks, ARP resolution (queueing while
 * INCOMPLETE), Ethernet header, out of the interface.  A sender may also
 * name the interface and the Ethernet destination itself (NS_IP_VIA_MAC):
 * no route, no ARP.  When ARP gives up, queued datagrams are answered with
 * ICMP host unreachable: to a local sender directly, to a remote source
 * over the network.  The hook points are in net/ipnode_hook.h.
 *
 * Interface addresses change at run time (DHCP) by
 * ns_ipnode_set_iface_addr(); an interface may have no address (0.0.0.0/0,
 * "none"): it sends and receives, answers no ARP and owns no route.  When
 * an address changes:
 *  - routes: the connected route follows the subnet (kept when the subnet
 *    stays the same); every static or default route through the interface
 *    whose gateway is not on-link under the new address is removed (all
 *    of them when the address is cleared).  Routes through other
 *    interfaces are not touched; nothing is re-added: a DHCP client
 *    installs its new gateway itself.
 *  - ARP: the interface's entries for neighbours outside the new subnet
 *    are removed (all of them when cleared); datagrams waiting for those
 *    neighbours are dropped and counted in arp_failed.  Entries inside the
 *    subnet stay: the neighbours did not move.
 *  - datagrams already queued on the loopback for the old address are
 *    dropped when their turn comes; sockets bound to it are left alone
 *    (their owner decides); multicast memberships are per node and stay.
 *  - one ip/address event says what went.
 * Not allowed (GError, nothing changes): a multicast, limited broadcast or
 * 127/8 address, a prefix length over 32, an address another interface of
 * the node already has.
 *
 * One NsTimer per node drives all its interfaces' ARP caches.
 * Events: eth/ignore, eth/unknown-type, arp/request (retries too),
 * arp/reply, arp/learn, arp/ignore, arp/evict, arp/hit (explain only),
 * arp/miss, arp/pending, arp/release, arp/fail, arp/expire, arp/drop,
 * ip/send, ip/loopback, ip/drop, ip/address, route/forward,
 * route/no-route, route/ttl-exceeded, route/no-broadcast, icmp/echo,
 * icmp/receive, icmp/drop, and for IGMP (net/igmp.h): igmp/report,
 * igmp/leave, igmp/query, igmp/receive, igmp/suppress, igmp/member,
 * igmp/expire, igmp/querier, igmp/drop.
 * IGMP messages to a group are taken by the IGMP code whether or not the
 * node joined that group (a host hears its peers' reports, a router every
 * report): they never count as not_member nor as a router's
 * no_forward_bcast.
 */
#pragma once

#include "core/counters.h"
#include "net/arp_cache.h"
#include "net/igmp.h"
#include "net/link.h"
#include "net/route.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

G_BEGIN_DECLS

typedef struct NsIpNode NsIpNode;

typedef struct {
  NsNic nic;       /* embedded; nic.mac is the interface MAC */
  NsPrefix addr;   /* address with prefix length; 0.0.0.0/0: none */
  NsIp4 bcast;     /* addr's directed broadcast; 255.255.255.255 when
                      there is none (/31, /32, no address) */
  NsArpCache *arp; /* owned */
} NsIpIface;

/* The node's IP counters, one guint64 each (core/counters.h): name and
 * meaning, as `show stats` prints them and `expect NODE counter` takes
 * them.  not_for_us counts frames for another MAC and datagrams a host got
 * for another address; no_forward_bcast broadcast and multicast alike. */
#define NS_IP_COUNTERS(X)                                                      \
  X(ip_rx, "datagrams received (valid header)")                                \
  X(ip_tx, "datagrams this node originated")                                   \
  X(delivered, "datagrams delivered locally")                                  \
  X(forwarded, "datagrams routed on")                                          \
  X(ttl_exceeded, "dropped: TTL ran out here")                                 \
  X(no_route, "dropped: no route")                                             \
  X(arp_failed, "dropped: ARP got no answer")                                  \
  X(malformed, "frames or datagrams that did not parse")                       \
  X(unknown_ethertype, "frames of another EtherType (IPv6, 802.1Q): dropped")  \
  X(not_for_us, "frames/datagrams addressed to someone else")                  \
  X(not_member, "multicast for a group not joined")                            \
  X(no_forward_bcast, "broadcasts a router did not forward")                   \
  X(martian, "dropped: an address never seen on a wire (127.x, a broadcast "   \
             "or group source...)")                                            \
  X(fragments, "fragments for this node: dropped, not reassembled")            \
  X(arp_requests, "ARP requests sent")                                         \
  X(arp_replies, "ARP replies sent")                                           \
  X(icmp_tx, "ICMP messages sent")                                             \
  X(icmp_rx, "ICMP messages received")                                         \
  X(echo_replied, "echo requests answered")                                    \
  X(echo_ignored, "echo requests to a broadcast or group ignored")             \
  X(igmp_reports_tx, "IGMP membership reports sent")                           \
  X(igmp_reports_rx, "IGMP membership reports received")                       \
  X(igmp_leaves_tx, "IGMP leave messages sent")                                \
  X(igmp_leaves_rx, "IGMP leave messages received")                            \
  X(igmp_queries_tx, "IGMP membership queries sent")                           \
  X(igmp_queries_rx, "IGMP membership queries received")                       \
  X(igmp_suppressed, "IGMP reports not sent: another member answered first")

typedef struct {
  NS_IP_COUNTERS(NS_COUNTER_MEMBER)
} NsIpCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_ip_counter); /* net/counters.c */

/* Called for every ICMP message delivered to this node (echo requests are
 * answered by the stack first) and for errors generated locally (ARP gave
 * up on a datagram we sent).  ip describes the datagram that carried it. */
typedef void (*NsIcmpListener)(NsIpNode *node, const NsIpv4Hdr *ip,
                               const NsIcmp *icmp, NsTime now, gpointer data);

/* Handler for an upper protocol (UDP, TCP).  payload points into frame
 * (borrowed). Return FALSE to have the stack answer "protocol/port
 * unreachable" with code. */
typedef gboolean (*NsIpProtoHandler)(NsIpNode *node, NsIpIface *iface,
                                     const NsIpv4Hdr *ip, const guint8 *payload,
                                     gsize len, NsTime now, gpointer data,
                                     guint8 *code);

NsIpNode *ns_ipnode_new(NsCtx *ctx, const char *name, gboolean forwarding,
                        const NsArpConfig *arp);
void ns_ipnode_free(NsIpNode *node);
const char *ns_ipnode_name(const NsIpNode *node);
gboolean ns_ipnode_is_router(const NsIpNode *node);
NsCtx *ns_ipnode_ctx(NsIpNode *node);

/* Adds an interface and its connected route (an address of 0.0.0.0: an
 * interface with no address yet, and no route). */
NsIpIface *ns_ipnode_add_iface(NsIpNode *node, const char *name, NsPrefix addr,
                               NsMac mac);
static inline gboolean ns_ipnode_iface_has_addr(const NsIpIface *iface) {
  return !ns_ip4_is_zero(iface->addr.addr);
}
/* Gives iface a new address (0.0.0.0: none), with the consequences the
 * essay above lists; TRUE also when it already had it. */
gboolean ns_ipnode_set_iface_addr(NsIpNode *node, NsIpIface *iface,
                                  NsPrefix addr, NsTime now, GError **error);
/* Takes iface's address away. */
void ns_ipnode_clear_iface_addr(NsIpNode *node, NsIpIface *iface, NsTime now);
guint ns_ipnode_n_ifaces(const NsIpNode *node);
NsIpIface *ns_ipnode_iface(NsIpNode *node, guint i);
NsIpIface *ns_ipnode_find_iface(NsIpNode *node, const char *name);
/* The interface that owns address ip, or NULL. */
NsIpIface *ns_ipnode_iface_by_addr(NsIpNode *node, NsIp4 ip);
/* ip is one of our interface addresses or in 127/8: a unicast address
 * this node answers for (UDP and TCP take nothing else). */
gboolean ns_ipnode_is_own_unicast(NsIpNode *node, NsIp4 ip);
/* The node's first address (0.0.0.0 if none). */
NsIp4 ns_ipnode_primary_addr(const NsIpNode *node);
/* ip is a broadcast as iface receives it: 255.255.255.255 or the directed
 * broadcast of iface's subnet (none on a /31 or /32). */
static inline gboolean ns_ipnode_is_broadcast_for(const NsIpIface *iface,
                                                  NsIp4 ip) {
  return ns_ip4_is_limited_broadcast(ip) || ip.v == iface->bcast.v;
}

/* ip is the directed broadcast of one of the node's subnets. */
gboolean ns_ipnode_is_subnet_broadcast(NsIpNode *node, NsIp4 ip);

/* A static (or, for 0.0.0.0/0, default) route via a gateway that must be
 * on-link of one interface; FALSE if it is not. */
gboolean ns_ipnode_add_route(NsIpNode *node, NsPrefix prefix, NsIp4 via,
                             guint metric);
NsRouteTable *ns_ipnode_routes(NsIpNode *node);

/* ---- sending ------------------------------------------------------------ */

/* Where the source address of a datagram comes from. */
typedef enum {
  NS_IP_SRC_FROM_ROUTE = 0, /* the address of the interface it leaves by
                               (ns_ipnode_source_for) */
  NS_IP_SRC_GIVEN,          /* exactly `src`, 0.0.0.0 included (a DHCP
                               client before it has an address) */
} NsIpSrcSelect;

/* How the datagram finds its way out. */
typedef enum {
  NS_IP_VIA_ROUTE = 0, /* the routing table picks interface and next hop,
                          ARP finds its MAC; our own addresses loop back */
  NS_IP_VIA_MAC,       /* out of `iface` straight to `mac`: no route, no
                          ARP, no loopback (a DHCP server answering a
                          client that has no address yet) */
} NsIpViaSelect;

typedef struct {
  guint8 proto;             /* NS_IPPROTO_* */
  guint8 ttl;               /* hops */
  NsIpSrcSelect src_select; /* default: from the route */
  NsIp4 src;                /* with NS_IP_SRC_GIVEN */
  NsIpViaSelect via;        /* default: by route and ARP */
  gboolean df;              /* set Don't Fragment (path MTU discovery) */
  guint8 tos;               /* type of service: 0, an echo reply the
                               request's, an ICMP error
                               NS_IPV4_TOS_ICMP_ERROR, IGMP 0xc0 */
  gboolean id_given;        /* identification `id`, not the node's counter */
  guint16 id;
  gboolean router_alert; /* carry the Router Alert option (RFC 2113) */
  NsIpIface *iface;      /* with NS_IP_VIA_MAC: leave by this one */
  NsMac mac;             /* with NS_IP_VIA_MAC: Ethernet destination */
  gboolean csum_ok;      /* the payload's checksum is one the caller computed
                            over exactly these bytes (ns_tcp_emit,
                            ns_udp_emit, ns_icmp_emit): the frame is marked
                            so (NsFrame.csum_ok) and receivers need not sum
                            it again */
} NsIpSendOptions;

/* Options for proto and ttl, everything else by route. */
#define NS_IP_SEND_OPTIONS(proto_, ttl_)                                       \
  ((NsIpSendOptions){.proto = (proto_), .ttl = (ttl_)})

/* Originates a datagram to dst carrying payload (len <= MTU - header bytes;
 * frame id in *frame_id if non-NULL).  Returns FALSE when it was not
 * sent: no route (our own listeners get an ICMP net unreachable, as a
 * real stack returns ENETUNREACH), or a LOCAL_OUT/POST_ROUTING hook
 * dropped it (EPERM). */
gboolean ns_ipnode_send_with(NsIpNode *node, NsIp4 dst,
                             const NsIpSendOptions *o, const guint8 *payload,
                             gsize len, NsTime now, guint64 *frame_id);
/* Writes a datagram's len payload bytes at dst, inside the frame being
 * built (ns_ipnode_send_fill). */
typedef void (*NsIpFill)(guint8 *dst, gsize len, gpointer data);
/* ns_ipnode_send_with, the payload written by fill(dst, len, data) straight
 * into the new frame: a sender that builds its datagram in place (TCP, a
 * segment from its send buffer) saves a copy.  fill must write all len
 * bytes; it runs once, before any hook or log sees the frame. */
gboolean ns_ipnode_send_fill(NsIpNode *node, NsIp4 dst,
                             const NsIpSendOptions *o, gsize len, NsIpFill fill,
                             gpointer data, NsTime now, guint64 *frame_id);
/* ns_ipnode_send_with(NS_IP_SEND_OPTIONS(proto, ttl)). */
gboolean ns_ipnode_send(NsIpNode *node, NsIp4 dst, guint8 proto, guint8 ttl,
                        const guint8 *payload, gsize len, NsTime now,
                        guint64 *frame_id);
/* Puts iface's MAC and dst on a whole Ethernet frame (its EtherType and
 * payload as they are) and sends it: no IP, no hooks, no ARP (bridges,
 * raw senders).  Takes frame. */
void ns_ipnode_transmit(NsIpIface *iface, NsFrame *frame, NsMac dst,
                        NsTime now);

void ns_ipnode_add_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                 gpointer data);
void ns_ipnode_remove_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                    gpointer data);
/* Installs (or, with fn NULL, removes) the handler for proto. */
void ns_ipnode_set_proto_handler(NsIpNode *node, guint8 proto,
                                 NsIpProtoHandler fn, gpointer data);
/* Called when a datagram arrives for a protocol that has no handler: it
 * may install one (a protocol made on first use), which is then given the
 * datagram.  One maker a node; fn NULL removes it.  A node that waits
 * this way for UDP and TCP holds no handler table until it needs one. */
typedef void (*NsIpProtoMaker)(NsIpNode *node, guint8 proto, gpointer data);
void ns_ipnode_set_proto_maker(NsIpNode *node, NsIpProtoMaker fn,
                               gpointer data);
/* The journey id of the datagram a protocol handler is being given (0
 * outside a handler call), for the handler's own log events. */
guint64 ns_ipnode_rx_frame(const NsIpNode *node);
/* TRUE while a protocol handler is given a datagram whose checksums netsim
 * computed and nobody changed (NsFrame.csum_ok): the handler may skip
 * verifying its own.  FALSE outside a handler call. */
gboolean ns_ipnode_rx_csum_ok(const NsIpNode *node);

/* Every counter, as of now. */
NsIpCounters ns_ipnode_counters(const NsIpNode *node);
/* A fresh identifier for an application on this node (ICMP echo id). */
guint16 ns_ipnode_next_ident(NsIpNode *node);
/* Whether echo requests sent to a broadcast or multicast address are
 * answered.  Off by default, as Linux has icmp_echo_ignore_broadcasts = 1
 * (against smurf attacks); the broadcast lesson turns it on. */
void ns_ipnode_set_answer_broadcast_ping(NsIpNode *node, gboolean on);

/* The source address a datagram to dst would carry: the address of the
 * interface the route to dst leaves by (dst itself for our own addresses
 * and 127.x, the first interface's for broadcast and multicast); 0.0.0.0
 * when no route matches.  UDP and TCP need it for their pseudo-header. */
NsIp4 ns_ipnode_source_for(NsIpNode *node, NsIp4 dst);

/* Multicast group membership (RFC 1112 host extensions).  Joins are
 * counted per group: the node hands datagrams for a group to its protocol
 * handlers while at least one join is outstanding, and drops (ip/drop,
 * explained "not a member") datagrams for groups it has not joined.  Every
 * host is a member of 224.0.0.1 (all hosts) from the start.  Routers never
 * forward multicast, member or not.  Joining a non-multicast address is a
 * programming error.  The first join of a group and the last leave make
 * IGMP messages (net/igmp.h), sent from the node's IGMP timer at the next
 * instant the clock runs (the current one: the timer is due at once). */
void ns_ipnode_join(NsIpNode *node, NsIp4 group);
void ns_ipnode_leave(NsIpNode *node, NsIp4 group);
gboolean ns_ipnode_is_member(const NsIpNode *node, NsIp4 group);
/* Groups joined, in join order (for `show sockets`/`show groups`). */
guint ns_ipnode_n_groups(const NsIpNode *node);
NsIp4 ns_ipnode_group(const NsIpNode *node, guint i);

/* A joined group's IGMP state, for `show groups`: i as for
 * ns_ipnode_group; *report_at is when its next report goes (NS_TIME_NEVER:
 * none pending) and *joins how many joins hold it. */
void ns_ipnode_group_state(const NsIpNode *node, guint i, guint *joins,
                           NsTime *report_at);

/* Makes the node an IGMP querier on every interface it has now (add the
 * interfaces first; net/igmp.h), from the next instant the clock runs; a
 * router's igmp-querier key.  Off forgets the tables. */
void ns_ipnode_set_igmp_querier(NsIpNode *node, gboolean on);
gboolean ns_ipnode_is_igmp_querier(const NsIpNode *node);
/* On interface index i of a querier node: the router that is querier
 * there (our address when it is us). */
NsIp4 ns_ipnode_igmp_querier_on(const NsIpNode *node, guint i);
/* The membership tables of a querier at now, by interface then group
 * (caller g_array_unref; empty when the node is no querier). */
GArray *ns_ipnode_igmp_memberships(const NsIpNode *node, NsTime now);

/* Empties every interface's ARP cache (pending datagrams dropped). */
void ns_ipnode_arp_flush(NsIpNode *node);

G_END_DECLS

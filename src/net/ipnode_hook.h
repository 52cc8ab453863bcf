/* ipnode_hook.h — hook points in the IP stack: where NAT, a firewall or a
 * test sees, changes, drops or takes the datagrams crossing a node.
 *
 * The idea is netfilter's (five points on a datagram's path, a list of
 * functions at each, ordered by priority); the code is our own and much
 * smaller.  Each node has its own hooks: nothing is global.
 *
 *   wire/loopback ─> PRE_ROUTING ─> for me? ─yes─> LOCAL_IN ─> ICMP/UDP/TCP
 *                                      │no (router)
 *                                      v
 *                                   FORWARD ──────────────┐
 *                                                         v
 *   ns_ipnode_send* ─> route ─> LOCAL_OUT ─> POST_ROUTING ─> ARP ─> wire
 *                                                         (or loopback)
 *
 *  PRE_ROUTING   every IPv4 datagram received with a valid header and no
 *                martian address, from a wire or the node's loopback
 *                queue, before the node decides whether it is for itself.
 *                in: the arrival interface (from the loopback queue: the
 *                one owning the destination, the first for 127.x).
 *  LOCAL_IN      a datagram for this node, before ICMP or the protocol
 *                handler (UDP, TCP) sees it.  in.
 *  FORWARD       a router's datagram for somebody else, after the route
 *                was chosen and before the TTL is decremented.  Broadcasts,
 *                expired TTLs and datagrams with no route are refused
 *                before this point (with their ICMP errors).  in, out,
 *                nexthop.
 *  LOCAL_OUT     a datagram this node originates (applications, UDP, TCP,
 *                ICMP answers and errors), after the route was chosen and
 *                after it was counted in ip_tx; not one that has no route
 *                at all.  out, nexthop.
 *  POST_ROUTING  every datagram about to leave: forwarded ones (their TTL
 *                already decremented) and local ones (to the loopback
 *                queue too), before ARP resolves the next hop.  out,
 *                nexthop; in as well when forwarding.
 * Not hooked: ARP, other EtherTypes, datagrams that fail their header
 * checks, martians.
 *
 * A hook returns a verdict:
 *  ACCEPT  go on: the next hook, then the stack.
 *  DROP    the stack frees the frame and forgets the datagram: no counter,
 *          no log line, no ICMP error.  The hook counts and logs its
 *          reason itself (and sends an ICMP error if it wants one).  At
 *          LOCAL_OUT and POST_ROUTING of a local datagram the sending call
 *          returns FALSE, as a real stack returns EPERM.
 *  STOLEN  the hook took the reference on pkt->frame (to queue it, answer
 *          it, hand it elsewhere); the stack forgets the datagram.  A DHCP
 *          client with no address yet can take its offers this way at
 *          PRE_ROUTING.
 * Hooks run in ascending priority; equal priorities in the order they
 * were added.  NS_IP_PRI_* below are the customary places.
 *
 * Cost: a point with no hook costs one comparison: no allocation, no
 * parsing, no log.  With hooks, the stack parses the IPv4 header into
 * pkt->ip before each hook (so a hook always sees the bytes as they are).
 *
 * ---- For a NAT author -----------------------------------------------------
 *
 * Where to rewrite:
 *  - Destination (DNAT, port forwarding): at PRE_ROUTING for what arrives,
 *    so that the routing decision after it follows the new address; at
 *    LOCAL_OUT for the node's own datagrams (the stack looks the route up
 *    again when a LOCAL_OUT hook changed the destination).
 *  - Source (SNAT, masquerading): at POST_ROUTING, where the route is
 *    chosen: pkt->out->addr.addr is the address to masquerade with.
 *  - Replies to translated traffic arrive addressed to the NAT: undo the
 *    translation at PRE_ROUTING (rewrite the destination back) and the
 *    stack forwards them.
 *  - in, out and nexthop are information: changing them changes nothing.
 *    At FORWARD and POST_ROUTING the route is fixed.
 * How to rewrite:
 *  - The frame may be shared (a switch's flood, a tap).  Before touching a
 *    byte: pkt->frame = ns_frame_make_writable(pkt->frame).  The journey
 *    id stays with the datagram.  The IPv4 header is at NS_ETH_HLEN; keep
 *    its length and the datagram's: the stack re-reads the header after
 *    the hook but never moves bytes.
 *  - The IPv4 header checksum: ns_ipv4_set_src()/ns_ipv4_set_dst()
 *    (wire/ipv4.h) rewrite an address and fix it incrementally.  The stack
 *    does not verify it again: a wrong one goes out, and the next node
 *    counts the datagram malformed.  A datagram that met a hook loses
 *    its "checksums as netsim computed them" mark (NsFrame.csum_ok,
 *    core/frame.h), so every receiver sums all its checksums again.
 *  - Everything above IP is the NAT's: TCP and UDP checksums cover a
 *    pseudo-header with both addresses, so an address change must be
 *    folded into them with ns_csum_adjust32() (wire/checksum.h), a port
 *    change with ns_csum_adjust16().  A UDP checksum of 0 means "none" and
 *    stays 0.  ICMP checksums do not cover the addresses, but an echo id
 *    rewritten for NAPT needs ns_csum_adjust16().  An ICMP error quotes
 *    the offending datagram (up to 548 bytes of it): translate the
 *    quote too (its addresses, its header checksum, its ports), then fix
 *    the ICMP checksum over all that changed.
 *  - ARP: a node answers ARP only for its interfaces' own addresses;
 *    extra outside addresses need proxy ARP, which the stack lacks.
 */
#pragma once

#include "net/ipnode.h"

G_BEGIN_DECLS

typedef enum {
  NS_IP_HOOK_PRE_ROUTING,
  NS_IP_HOOK_LOCAL_IN,
  NS_IP_HOOK_FORWARD,
  NS_IP_HOOK_LOCAL_OUT,
  NS_IP_HOOK_POST_ROUTING,
  NS_IP_HOOK_N_POINTS
} NsIpHookPoint;

typedef enum {
  NS_IP_ACCEPT, /* go on */
  NS_IP_DROP,   /* the stack frees the frame; the hook said why */
  NS_IP_STOLEN, /* the hook took the frame's reference */
} NsIpVerdict;

/* Customary priorities (lower runs first), as netfilter orders them:
 * destination NAT before the filter, source NAT after it. */
enum {
  NS_IP_PRI_NAT_DST = -100,
  NS_IP_PRI_FILTER = 0,
  NS_IP_PRI_NAT_SRC = 100,
};

/* The datagram a hook is given.  The stack fills it; a hook changes only
 * frame (its bytes, or the pointer after ns_frame_make_writable). */
typedef struct {
  NsFrame *frame; /* Ethernet header, IPv4 at NS_ETH_HLEN; the stack holds
                     the reference unless the hook returns STOLEN */
  NsIpv4Hdr ip;   /* frame's IPv4 header as parsed before this hook */
  NsIpIface *in;  /* arrival interface; NULL for local datagrams */
  NsIpIface *out; /* departure interface; NULL before routing */
  NsIp4 nexthop;  /* neighbour it goes to (= dst when on-link); 0.0.0.0
                     before routing */
} NsIpPacket;

typedef NsIpVerdict (*NsIpHookFunc)(NsIpNode *node, NsIpHookPoint point,
                                    NsIpPacket *pkt, NsTime now, gpointer data);

typedef struct NsIpHook NsIpHook;

/* Adds fn at point.  The handle is for ns_ipnode_remove_hook; the node
 * frees the hooks still there when it is freed.  A hook may add or remove
 * hooks while it runs: those take effect for the next datagram. */
NsIpHook *ns_ipnode_add_hook(NsIpNode *node, NsIpHookPoint point, gint priority,
                             NsIpHookFunc fn, gpointer data);
void ns_ipnode_remove_hook(NsIpNode *node, NsIpHook *hook);
/* Hooks at point now (added and not removed). */
guint ns_ipnode_n_hooks(const NsIpNode *node, NsIpHookPoint point);
/* "pre-routing", "local-in", "forward", "local-out", "post-routing". */
const char *ns_ip_hook_point_name(NsIpHookPoint point);

G_END_DECLS

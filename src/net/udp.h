/* udp.h — a node's UDP: sockets, demultiplexing, broadcast and multicast.
 *
 * One NsUdp per host or router, installed as the node's handler for IP
 * protocol 17.  A socket is bound to a local port (and optionally a local
 * address; 0.0.0.0 means any of the node's addresses) and holds the
 * datagrams received for it in a bounded queue (NS_UDP_RX_QUEUE_MAX
 * datagrams; one more is dropped and counted as rx_overflow, as a kernel
 * drops when a socket's receive buffer is full).
 *
 * Receive path (per datagram the IP stack delivers):
 *   malformed header            -> counted (malformed), udp/drop
 *   bad checksum                -> counted (bad_checksum), udp/drop
 *   unicast: the socket bound to (dst, dport), else the one bound to
 *     (0.0.0.0, dport); none -> udp/drop "port closed" and the stack
 *     answers ICMP port unreachable (no_port)
 *   broadcast (255.255.255.255 or a subnet's directed broadcast): a copy to
 *     every socket bound to dport with the wildcard address; none -> dropped
 *     in silence (no ICMP about broadcasts, RFC 1122)
 *   multicast: the IP stack hands up only groups the node has joined; a
 *     copy to every socket bound to dport with the wildcard address or the
 *     group itself; none -> dropped in silence
 * Each delivery is an udp/deliver event (explained: which socket and why);
 * then the socket's readable callback runs.
 *
 * ICMP destination unreachable about a datagram this node sent (the quote
 * names its source address and port): the socket bound to that port (the
 * exact address first, then 0.0.0.0) hears of it through its error
 * callback, and counts it (icmp_errors).
 *
 * Send path: ns_udp_sendto() builds header + checksum (the source address
 * is the one the route to dst gives, or the bound address) and hands the
 * datagram to the IP stack.  Multicast goes out with TTL 1 (as
 * IP_MULTICAST_TTL's default), everything else with TTL 64.
 *
 * Group membership belongs to the node (ns_ipnode_join/leave, counted per
 * group); ns_udp_join() records it on the socket too, so that closing the
 * socket leaves its groups.
 *
 * Memory: the only allocation per received datagram is one GBytes, shared
 * by every socket that queues a copy; a socket's queue is a ring that grows
 * (by doubling) up to NS_UDP_RX_QUEUE_MAX slots.  A readable callback may
 * send, read, open sockets and close any socket, itself included (a socket
 * closed while a datagram is being handed out is freed once that is over);
 * it must not call ns_udp_free().
 *
 * Events: udp/deliver, udp/drop, udp/send.
 */
#pragma once

#include "core/counters.h"
#include "net/ipnode.h"
#include "wire/udp.h"

G_BEGIN_DECLS

#define NS_UDP_RX_QUEUE_MAX 256 /* datagrams waiting in one socket */
/* Ephemeral ports: NS_EPHEMERAL_LOW..HIGH (net/ctx.h, Linux's range). */

typedef struct NsUdp NsUdp;
typedef struct NsUdpSocket NsUdpSocket;

/* The node's UDP counters (core/counters.h), `udp.NAME` to `show stats`
 * and `expect`.  rx counts each copy a broadcast or multicast datagram
 * leaves in a socket; no_port counts unicast only, ignored_multi the
 * broadcasts and multicasts no socket took (Linux's IgnoredMulti). */
#define NS_UDP_COUNTERS(X)                                                     \
  X(rx, "datagrams delivered to a socket")                                     \
  X(tx, "datagrams sent")                                                      \
  X(malformed, "datagrams with a bad header")                                  \
  X(bad_checksum, "dropped: wrong checksum")                                   \
  X(no_port, "dropped: nobody listens (ICMP port unreachable)")                \
  X(ignored_multi, "dropped: a broadcast or multicast nobody listens for")     \
  X(rx_overflow, "dropped: a socket's queue was full")

typedef struct {
  NS_UDP_COUNTERS(NS_COUNTER_MEMBER)
} NsUdpCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_udp_counter); /* net/counters.c */

typedef struct {
  guint64 rx, rx_bytes; /* datagrams and data bytes queued to this socket */
  guint64 tx, tx_bytes; /* datagrams and data bytes sent from it */
  guint64 overflow;     /* dropped because the queue was full */
  guint64 icmp_errors;  /* ICMP destination unreachable about its datagrams */
} NsUdpSocketCounters;

/* An ICMP destination unreachable that answered a datagram a socket sent:
 * the node that sent it, its code, and where the datagram was going.  A
 * port unreachable is what a real connected socket gets as ECONNREFUSED
 * (`nc -u` prints "Connection refused"). */
typedef struct {
  guint8 code;   /* NS_ICMP_PORT_UNREACH, NS_ICMP_HOST_UNREACH, ... */
  NsIp4 from;    /* who answered */
  NsIp4 dst;     /* the datagram's destination */
  guint16 dport; /* and port */
} NsUdpError;

typedef struct {
  /* A datagram was queued (ns_udp_recvfrom() will return it). */
  void (*readable)(NsUdpSocket *sock, NsTime now, gpointer data);
  gpointer data;
  /* An ICMP destination unreachable about a datagram this socket sent (may
   * be NULL).  It may close the socket. */
  void (*error)(NsUdpSocket *sock, const NsUdpError *err, NsTime now,
                gpointer data);
} NsUdpCallbacks;

/* Installs itself as node's protocol 17 handler.  The node must outlive
 * it. */
NsUdp *ns_udp_new(NsIpNode *node);
/* Closes every socket still open. */
void ns_udp_free(NsUdp *udp);
NsIpNode *ns_udp_node(NsUdp *udp);
const NsUdpCounters *ns_udp_counters(const NsUdp *udp);

/* Binds a socket to local:port.  local 0.0.0.0 = every address of the
 * node, else it must be one of them or a multicast group (the socket then
 * receives that group's datagrams only, as the demultiplexing rules above
 * say; it sends from the route's address); port 0 = the next free
 * ephemeral port (counting on from the last one given, skipping any port
 * in use on any address).  A specific address and 0.0.0.0 may share a
 * port (unicast prefers the specific one).
 * Fails (NS_ERROR) when the address is not the node's or (local, port) is
 * taken, as bind() with EADDRINUSE.  cb may be NULL; it is copied. */
NsUdpSocket *ns_udp_open(NsUdp *udp, NsIp4 local, guint16 port,
                         const NsUdpCallbacks *cb, GError **error);
/* Leaves the socket's groups, drops its queue, frees it. */
void ns_udp_close(NsUdpSocket *sock);
void ns_udp_set_callbacks(NsUdpSocket *sock, const NsUdpCallbacks *cb);

/* Sends len bytes (<= NS_UDP_MAX_PAYLOAD) to dst:dport at now.  Returns
 * FALSE when the IP stack could not send it at all (no route); frame_id
 * (if not NULL) gets the datagram's frame id. */
gboolean ns_udp_sendto(NsUdpSocket *sock, NsIp4 dst, guint16 dport,
                       const guint8 *data, gsize len, NsTime now,
                       guint64 *frame_id);

/* Takes the oldest queued datagram: returns a new reference to its data
 * (NULL when the queue is empty) and its sender in *from / *from_port (may
 * be NULL). */
GBytes *ns_udp_recvfrom(NsUdpSocket *sock, NsIp4 *from, guint16 *from_port);
guint ns_udp_pending(const NsUdpSocket *sock); /* datagrams queued */

/* Group membership through this socket (node-wide, counted).  A socket
 * holds at most one membership per group: joining again does nothing, and
 * leaving a group it has not joined does nothing and returns FALSE (as
 * Linux's IP_DROP_MEMBERSHIP fails with EADDRNOTAVAIL). */
void ns_udp_join(NsUdpSocket *sock, NsIp4 group);
gboolean ns_udp_leave(NsUdpSocket *sock, NsIp4 group);

NsIp4 ns_udp_local_addr(const NsUdpSocket *sock);
guint16 ns_udp_local_port(const NsUdpSocket *sock);
const NsUdpSocketCounters *ns_udp_socket_counters(const NsUdpSocket *sock);
/* Open sockets in bind order (for `show sockets`). */
guint ns_udp_n_sockets(const NsUdp *udp);
NsUdpSocket *ns_udp_socket(NsUdp *udp, guint i);
/* The socket bound to exactly (local, port), or NULL. */
NsUdpSocket *ns_udp_find(NsUdp *udp, NsIp4 local, guint16 port);

G_END_DECLS

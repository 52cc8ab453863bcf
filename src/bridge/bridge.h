/* bridge.h — real sockets into and out of the simulated network.
 *
 * The only part of netsim that opens sockets.  Each [bridge NAME] section
 * of the topology is a simulated host (built by sim/ like any host) whose
 * rules (config/topology.h, NsTopoBridge) are served here, on GIO sockets
 * watched on the context of a real-time NsClock (sim/clock.h):
 *
 *   listen, TCP   a listening socket on this machine.  Each accepted
 *                 outside connection becomes one simulated TCP connection
 *                 from the bridge (an ephemeral port) to the target; bytes
 *                 are relayed both ways unchanged and in order.
 *   listen, UDP   a bound socket.  Each outside peer (address, port) gets
 *                 a mapping: a simulated UDP socket of its own on the
 *                 bridge (an ephemeral port); its datagrams go to the
 *                 target, the target's replies to that socket go back to
 *                 the peer.  A mapping idle for udp-timeout is forgotten.
 *   connect, TCP  a simulated listener on the bridge's port.  Each
 *                 simulated connection accepted opens a real connection
 *                 to the outside server, and the two are relayed.
 *   connect, UDP  a simulated socket on the bridge's port.  Each
 *                 simulated peer gets a real socket of its own (a mapping,
 *                 as above) that sends to the outside server and hands
 *                 its replies back.
 *
 * Time: an outside event (a connection, bytes, a datagram) happens at the
 * virtual time the wall clock says: the bridge catches the clock up, acts
 * on the simulated stack at that `now`, and re-arms the clock.  Simulated
 * events reach the bridge through the stack's callbacks, at their own
 * `now`.
 *
 * Closing (TCP): an outside EOF becomes a simulated FIN after the data
 * before it, and a simulated FIN a shutdown(SHUT_WR) of the outside socket
 * after the data before it (half-close works both ways).  An outside reset
 * or a write that fails becomes a simulated RST; a simulated RST, refusal,
 * unreachable target or timeout resets the outside socket (its owner sees
 * ECONNRESET), so an outside client never hangs.  A relay is freed when
 * both sides are done.
 *
 * Backpressure and memory: outside bytes are read only as far as the
 * simulated send buffer has room (ns_tcp_send_space); simulated bytes are
 * read only while the outside socket takes them.  What a short write left
 * over waits in one buffer of at most NS_BRIDGE_CHUNK bytes per relay, and
 * nothing more is read from the simulated side until it is written: the
 * simulated receive window closes.  So a relay holds at most its two TCP
 * buffers and one chunk, whatever the outside program does.
 *
 * Bounds: at most max_conns relays per bridge (listen and connect
 * together); a connection beyond that is accepted and reset at once
 * (bridge/refuse, reason "limit").  Running out of file descriptors
 * (EMFILE, ENFILE) refuses the same way: a descriptor kept in reserve is
 * given back for the moment it takes to accept and reset the connection,
 * so the listener never spins.  UDP mappings: at most max_conns per rule;
 * a datagram from one more peer is dropped and counted.
 *
 * Events (node = the bridge's name): bridge/listen, bridge/accept,
 * bridge/connect, bridge/close (with bytes each way and why),
 * bridge/refuse (why), bridge/udp-map, bridge/udp-expire, bridge/drop.
 *
 * VXLAN segments ([vxlan NAME], bridge/vxlan.c) are opened with the
 * bridges: one bound UDP socket each.  A frame the simulated network
 * sends into the segment's cable end leaves as one datagram per remote
 * (RFC 7348: the 8-byte header, then the frame; wire/vxlan.h).  A
 * datagram received is untrusted: it becomes a frame arriving from the
 * cable only when it comes from a remote's address (any port: Linux
 * sends from a port of its own choosing), decapsulates (wire/vxlan.h:
 * length, I flag, VNI) and its frame is 14..NS_FRAME_MAX bytes;
 * anything else is counted (NsVxlanCounters) and logged as vxlan/drop
 * with why.  At most NS_VXLAN_BURST datagrams are read per wake-up, so
 * a flood cannot starve the simulation.  Events (node = the segment's
 * name): vxlan/open, vxlan/send, vxlan/receive, vxlan/drop.
 */
#pragma once

#include "config/topology.h"
#include "core/counters.h"
#include "sim/clock.h"
#include "sim/network.h"

G_BEGIN_DECLS

/* Outside bytes read at once, and the most a relay keeps of simulated
 * bytes the outside socket did not take yet. */
#define NS_BRIDGE_CHUNK 16384

/* One bridge's counters (core/counters.h), `bridge.NAME` to `show stats`
 * and `expect NODE counter`.  in = from outside into the simulated
 * network, out = the other way. */
#define NS_BRIDGE_COUNTERS(X)                                                  \
  X(accepted, "outside TCP connections accepted (listen)")                     \
  X(connected, "outside TCP connections made for simulated clients")           \
  X(refused, "connections refused (limit, no descriptors, target refused)")    \
  X(resets, "relays ended by a reset on either side")                          \
  X(closed, "relays ended")                                                    \
  X(active, "relays open now")                                                 \
  X(bytes_in, "TCP bytes from outside into the simulated network")             \
  X(bytes_out, "TCP bytes from the simulated network to outside")              \
  X(udp_in, "datagrams from outside into the simulated network")               \
  X(udp_out, "datagrams from the simulated network to outside")                \
  X(udp_mappings, "UDP peers mapped now")                                      \
  X(udp_expired, "UDP mappings forgotten after their idle timeout")            \
  X(udp_dropped, "datagrams dropped (too many peers, send failed)")            \
  X(udp_refused, "refusals from the real port (ICMP port unreachable)")

typedef struct {
  NS_BRIDGE_COUNTERS(NS_COUNTER_MEMBER)
} NsBridgeCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_bridge_counter); /* bridge/bridge.c */

/* A VXLAN segment's counters, `vxlan.NAME` to `show stats`.  tx: frames
 * out of the simulated network (one per frame, whatever the number of
 * remotes); rx: datagrams from outside. */
#define NS_VXLAN_COUNTERS(X)                                                   \
  X(tx_frames, "frames from the simulated network sent as VXLAN")              \
  X(tx_bytes, "bytes of those frames (inner Ethernet frames)")                 \
  X(tx_failed, "datagrams the socket would not send")                          \
  X(rx_frames, "frames received as VXLAN and delivered to the cable")          \
  X(rx_bytes, "bytes of those frames (inner Ethernet frames)")                 \
  X(rx_dropped,                                                                \
    "datagrams received and dropped, for any of the reasons below")            \
  X(rx_stranger, "dropped: from an address that is not a remote")              \
  X(rx_bad_header, "dropped: shorter than the header, or the I flag not set")  \
  X(rx_wrong_vni, "dropped: another segment's VNI")                            \
  X(rx_bad_size, "dropped: inner frame under 14 or over 1518 bytes")

typedef struct {
  NS_VXLAN_COUNTERS(NS_COUNTER_MEMBER)
} NsVxlanCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_vxlan_counter); /* bridge/vxlan.c */

/* Datagrams read from one segment's socket per wake-up. */
#define NS_VXLAN_BURST 64

typedef struct NsBridges NsBridges;
typedef struct NsBridge NsBridge;
typedef struct NsVxlan NsVxlan;

/* Opens the sockets of every bridge of topo (borrowed for the call) in
 * net, on clock's context (both borrowed; they must outlive the result).
 * Fails with one error naming the bridge, the rule and the reason (a port
 * in use, an address this machine does not have) when any socket cannot
 * be opened; then nothing stays open. */
NsBridges *ns_bridges_new(NsNet *net, NsClock *clock, const NsTopology *topo,
                          GError **error);
/* Resets every relay, closes every socket. */
void ns_bridges_free(NsBridges *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsBridges, ns_bridges_free)

guint ns_bridges_count(const NsBridges *b);
NsBridge *ns_bridges_get(NsBridges *b, guint i);
NsBridge *ns_bridges_find(NsBridges *b, const char *name); /* or NULL */
/* One line per rule, as ready: "bridge web: tcp 127.0.0.1:41877 ->
 * 192.168.2.10:80 (h3) listening" (with the port bound, for port 0) or
 * "bridge web: tcp 192.168.1.200:9000 -> 127.0.0.1:9000 forwarding"
 * (g_strfreev). */
char **ns_bridges_ready_lines(NsBridges *b);

/* The VXLAN segments, in file order. */
guint ns_bridges_n_vxlans(const NsBridges *b);
NsVxlan *ns_bridges_vxlan(NsBridges *b, guint i);
NsVxlan *ns_bridges_find_vxlan(NsBridges *b, const char *name); /* or NULL */
const char *ns_vxlan_name(const NsVxlan *v);
const NsVxlanCounters *ns_vxlan_counters(const NsVxlan *v);
/* "vni 42 127.0.0.1:4789 -> 127.0.0.1:4790", with the port bound
 * (g_free). */
char *ns_vxlan_text(const NsVxlan *v);

const char *ns_bridge_name(const NsBridge *b);
const NsBridgeCounters *ns_bridge_counters(const NsBridge *b);

/* For `show bridges`: the rules with the ports bound, ... */
typedef struct {
  const NsBridgeRule *rule; /* borrowed from the bridge */
  guint16 bound_port;       /* listen: the port bound (port 0 resolved) */
} NsBridgeRuleInfo;
guint ns_bridge_n_rules(const NsBridge *b);
void ns_bridge_rule_info(const NsBridge *b, guint i, NsBridgeRuleInfo *out);

/* ... and what is open now: relays and UDP mappings, oldest first. */
typedef struct {
  NsBridgeProto proto;
  NsBridgeDir dir;
  char outside[48]; /* the outside peer: "127.0.0.1:51234" */
  NsIp4 sim_local;  /* the bridge's simulated end */
  guint16 sim_local_port;
  NsIp4 sim_remote; /* the simulated peer */
  guint16 sim_remote_port;
  const char *state;           /* "connecting", "open", "closing", "idle"... */
  guint64 bytes_in, bytes_out; /* TCP bytes, or UDP datagrams' bytes */
  NsTime since;                /* virtual time it was made */
  NsTime idle_until;           /* UDP: when it expires if idle */
} NsBridgeConnInfo;
guint ns_bridge_n_conns(const NsBridge *b);
void ns_bridge_conn_info(const NsBridge *b, guint i, NsBridgeConnInfo *out);

G_END_DECLS

/* bridge_private.h — what the files of bridge/ share.
 *
 *   bridge.c     the set of bridges: one NsBridge per [bridge] section, one
 *                Rule per rule of it (the sockets it opened), accessors,
 *                the ready lines, events;
 *   watch.c      a GSource watching one descriptor, whose conditions can
 *                change (reading pauses under backpressure);
 *   tcp_relay.c  one Relay per TCP connection that crosses: an outside
 *                socket and a simulated connection, and the bytes between;
 *   udp_map.c    one Mapping per UDP peer that crosses;
 *   vxlan.c      one NsVxlan per [vxlan] section: a bound UDP socket and
 *                the cable end whose frames it carries.
 *
 * Ownership: NsBridges owns its bridges; a bridge owns its rules, relays
 * and mappings; a rule owns its listening socket (listen) or its simulated
 * listener or socket (connect).  Relays and mappings live in their
 * bridge's `relays` / `maps` arrays, oldest first (what `show bridges`
 * lists), and remove themselves when they end.
 */
#pragma once

#include <gio/gio.h>

#include "bridge/bridge.h"

G_BEGIN_DECLS

/* ---- watch.c ------------------------------------------------------------- */

typedef struct NsWatch NsWatch;

/* Called with the conditions the descriptor has (G_IO_IN, G_IO_OUT,
 * G_IO_HUP, G_IO_ERR).  The clock has been caught up to the wall clock
 * just before, and is re-armed just after. */
typedef void (*NsWatchFunc)(GIOCondition cond, gpointer data);

/* Watches fd for cond on clock's context. */
NsWatch *ns_watch_new(NsClock *clock, int fd, GIOCondition cond, NsWatchFunc fn,
                      gpointer data);
/* Changes what is watched (0: nothing for now). */
void ns_watch_set(NsWatch *w, GIOCondition cond);
GIOCondition ns_watch_get(const NsWatch *w);
/* Stops and frees; safe from inside its own callback. */
void ns_watch_free(NsWatch *w);

/* ---- bridge.c ------------------------------------------------------------ */

typedef struct Rule Rule;
typedef struct Relay Relay;
typedef struct Mapping Mapping;

struct NsBridge {
  NsBridges *set;           /* the set it belongs to */
  char *name;               /* "web" */
  const NsTopoBridge *topo; /* its section (copied rules, see rules) */
  NsNetNode *node;          /* its simulated host (borrowed) */
  GPtrArray *rules;         /* of Rule* (owned), in the topology's order */
  GPtrArray *relays;        /* of Relay* (owned), oldest first */
  GPtrArray *maps;          /* of Mapping* (owned), oldest first */
  NsBridgeCounters counters;
  guint max_conns; /* relays open at once */
  NsTime udp_timeout;
};

struct Rule {
  NsBridge *br;
  NsBridgeRule rule;   /* a copy (strings owned) */
  guint16 bound_port;  /* listen: the outside port bound */
  GSocket *sock;       /* listen: the outside socket (TCP listening or
                          UDP bound); connect: NULL */
  NsWatch *watch;      /* on sock */
  NsTcpListener *tl;   /* connect, TCP: the simulated listener */
  NsUdpSocket *us;     /* connect, UDP: the simulated socket */
  GHashTable *by_peer; /* UDP: peer key -> Mapping* (borrowed) */
};

struct NsBridges {
  NsNet *net;        /* borrowed */
  NsClock *clock;    /* borrowed */
  GPtrArray *list;   /* of NsBridge* (owned), in file order */
  GPtrArray *vxlans; /* of NsVxlan* (owned), in file order */
  int reserve_fd;    /* kept open to accept-and-reset when out of
                        descriptors; -1 while given back */
  guint8 *scratch;   /* NS_BRIDGE_SCRATCH bytes: one read at a time */
  guint expiry;      /* the UDP mappings' expiry check (a GSource id) */
  /* Relays with simulated bytes to write out (tcp_relay.c): a segment
   * that arrives marks its relay due, and one idle dispatch after the
   * simulation's step writes each due relay's bytes at once, so that a
   * step's segments leave in one send() instead of one each. */
  GPtrArray *due; /* of Relay* (borrowed), in the order they became due */
  GSource *flush; /* the idle source that writes them, or NULL */
};

/* The scratch buffer is big enough for any UDP datagram, so that one too
 * big to relay is seen whole and counted, not cut. */
#define NS_BRIDGE_SCRATCH 65536

static inline NsNet *br_net(const NsBridge *br) { return br->set->net; }
static inline NsClock *br_clock(const NsBridge *br) { return br->set->clock; }
static inline NsTime br_now(const NsBridge *br) {
  return ns_net_now(br->set->net);
}

/* One event of the bridge (node = its name) at virtual time now. */
void ns_bridge_log(NsBridge *br, const char *event, const char *why,
                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);
gboolean ns_bridge_log_on(const NsBridge *br);

/* The socket address of ip:port (g_object_unref). */
GSocketAddress *ns_bridge_socket_address(NsIp4 ip, guint16 port);
/* A non-blocking socket of type bound to ip:port (port 0: any free one,
 * *bound says which); SO_REUSEADDR for TCP only.  NULL with error set. */
GSocket *ns_bridge_bind_socket(GSocketType type, NsIp4 ip, guint16 port,
                               guint16 *bound, GError **error);
/* Reads the next datagram waiting on s into set's scratch buffer: its
 * length, and in *from its sender (g_object_unref); -1 when none is
 * waiting.  Errors that concern no datagram (an ICMP error from an
 * earlier send) are passed over, NS_VXLAN_BURST of them at most. */
gssize ns_bridge_receive(NsBridges *set, GSocket *s, GSocketAddress **from);
/* "127.0.0.1:8080" for a socket address (buf of 48 bytes). */
char *ns_bridge_format_addr(GSocketAddress *a, char buf[48]);
/* A non-blocking socket of type (stream: TCP, datagram: UDP) connecting
 * to ip:port: a TCP connect in progress is not an error (the socket turns
 * writable when it is done, g_socket_check_connect_result() tells how).
 * NULL with error set when the socket cannot be made or connected. */
GSocket *ns_bridge_connect_socket(GSocketType type, NsIp4 ip, guint16 port,
                                  GError **error);
/* Closes s so that its peer sees a reset (SO_LINGER 0), and unrefs it. */
void ns_bridge_reset_socket(GSocket *s);
/* accept() failed for lack of descriptors: gives the reserve back for
 * the moment it takes to accept one connection and reset it, so that the
 * listener does not spin.  TRUE when one was refused so. */
gboolean ns_bridge_shed_one(NsBridges *set, GSocket *listener);

/* ---- tcp_relay.c --------------------------------------------------------- */

/* The listening socket of a TCP listen rule has connections waiting. */
void ns_relay_accept_outside(Rule *r);
/* The simulated listener of a TCP connect rule accepted c (held). */
void ns_relay_accept_sim(Rule *r, NsTcpConn *c, NsTime now);
/* Writes out what every due relay has read (the idle source's work). */
void ns_relay_flush_due(NsBridges *set);
/* Frees a relay at once (the bridges are being freed): its outside socket
 * is reset, its simulated connection let go. */
void ns_relay_free(Relay *x);
void ns_relay_info(const Relay *x, NsBridgeConnInfo *out);

/* ---- vxlan.c ------------------------------------------------------------- */

/* Opens the segment of tn (a vxlan node) in set: binds its socket and
 * takes its cable end.  FALSE with error (naming source, the section and
 * the address) when the socket cannot be bound; the segment is in
 * set->vxlans either way, for ns_vxlan_free. */
gboolean ns_vxlan_open(NsBridges *set, const NsTopoNode *tn, const char *source,
                       GError **error);
/* Gives the cable end back (frames into it are dropped) and closes. */
void ns_vxlan_free(NsVxlan *v);

/* ---- udp_map.c ----------------------------------------------------------- */

/* The bound socket of a UDP listen rule has datagrams waiting. */
void ns_map_receive_outside(Rule *r);
/* The simulated socket of a UDP connect rule has datagrams waiting. */
void ns_map_receive_sim(Rule *r, NsTime now);
/* Forgets the mappings idle past their timeout at now. */
void ns_map_expire(NsBridge *br, NsTime now);
void ns_map_free(Mapping *m);
void ns_map_info(const Mapping *m, NsBridgeConnInfo *out);

G_END_DECLS

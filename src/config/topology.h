/* topology.h — topology files: parse and validate, build nothing.
 *
 * A topology file is a GLib key file (INI), one section per node:
 *   [switch NAME]  [router NAME]  [host NAME]  [bridge NAME]  [vxlan NAME]
 * (The full key reference is in README.md, "Topology files".)
 *
 * Loading produces an NsTopology: plain descriptions, fully validated
 * (names resolve, addresses parse, gateways are on-link, no duplicate
 * addresses, link ends agree), so that building the network from it cannot
 * fail.  Every error is one GError (domain NS_ERROR) whose message names
 * the file, the section and key, what was found and what was expected:
 *   two_lans.conf: [host h1] ip: '192.168.1.300/24' is not an IPv4 prefix
 *   (expected address/length such as 192.168.1.10/24, length 0-32)
 *
 * Links: a host's `link = sw1 [params]`, a router interface
 * `eth0 = 192.168.1.1/24 @ sw1 [params]`, a switch's `link = sw2 [params]`
 * or a router-to-router `eth1 = 10.0.0.1/30 @ r2:eth0`.  Each produces one
 * NsTopoLink, in file order; a link declared from both ends appears once.
 */
#pragma once

#include "apps/services.h"
#include "net/arp_cache.h"
#include "net/link.h"
#include "net/tcp.h"

G_BEGIN_DECLS

/* The section kinds.  Each has one row in config/ (its keys and checks,
 * topology_kinds.c) and one in sim/ (how it is built, node_kinds.c); a
 * test checks that both tables have every kind. */
typedef enum {
  NS_NODE_HOST,
  NS_NODE_SWITCH,
  NS_NODE_ROUTER,
  NS_NODE_BRIDGE, /* a host whose services are real sockets (bridge/) */
  NS_NODE_VXLAN,  /* a cable end carried over UDP as VXLAN (bridge/) */
  NS_NODE_N_KINDS /* how many kinds there are, not a kind */
} NsNodeKind;

typedef struct {
  const char *name; /* "eth0": interned (g_intern_string), never freed */
  NsPrefix addr;    /* address with its prefix length, host bits kept */
  gboolean has_mac; /* TRUE when the file gave a MAC */
  NsMac mac;
} NsTopoIface;

typedef struct {
  NsPrefix prefix; /* canonical */
  NsIp4 via;       /* next hop, on-link for one of the node's ifaces */
  guint metric;    /* default 1 */
} NsTopoRoute;

/* ---- bridges -------------------------------------------------------------
 *
 * A [bridge NAME] section is a host (ip, gateway, link, ...) plus rules
 * that tie real sockets on this machine to simulated ones.  The loader
 * only parses and checks them (addresses, ports, names resolved, loopback
 * unless allow-remote); the sockets are opened by bridge/bridge.h.
 *
 *   listen  = [PROTO:][ADDR:]PORT [-> TARGET:PORT]; ...
 *             outside clients connect to ADDR:PORT (default 127.0.0.1;
 *             PORT 0: any free port); each connection (TCP) or outside
 *             peer (UDP) becomes a simulated one from the bridge to TARGET
 *             (an address, or a host, router or bridge named, meaning its
 *             first interface's address).  Without "-> TARGET:PORT", the
 *             `forward = TARGET:PORT` key gives the target.
 *   connect = [PROTO:][SIMADDR:]PORT -> [ADDR:]PORT; ...
 *             simulated clients that reach the bridge's PORT (at SIMADDR,
 *             one of the bridge's addresses; default any of them) are
 *             relayed to the real server ADDR:PORT (default 127.0.0.1).
 * PROTO is tcp (the default) or udp; ADDR must be in 127.0.0.0/8 unless
 * allow-remote = true.  What a loaded topology guarantees: every bridge
 * node has its NsTopoBridge with at least one rule; a listen rule's
 * sim_addr is a unicast address and sim_port > 0; a connect rule's
 * sim_port is unique per protocol on its bridge and not a service's; no
 * two listen rules of the file bind the same protocol, address and port
 * (0.0.0.0 counting as every address; port 0 never clashes). */
typedef enum { NS_BRIDGE_TCP, NS_BRIDGE_UDP } NsBridgeProto;

typedef enum {
  NS_BRIDGE_LISTEN,  /* outside clients -> a simulated server */
  NS_BRIDGE_CONNECT, /* simulated clients -> an outside server */
} NsBridgeDir;

/* One rule.  "outside" is this machine's side (real sockets), "sim" the
 * simulated network's. */
typedef struct {
  NsBridgeDir dir;
  NsBridgeProto proto;
  /* listen: the address and port bound (port 0: any free one);
   * connect: the real server's address and port (port > 0). */
  NsIp4 outside_addr;
  guint16 outside_port;
  /* listen: the simulated target's address and port;
   * connect: the bridge's own address the rule serves (0.0.0.0: any of
   * them) and the simulated port (> 0). */
  NsIp4 sim_addr;
  guint16 sim_port;
  char *sim_name; /* listen: the target's node name, if it is a node's
                     address ("h3"), else NULL; for messages */
  char *text;     /* the rule as written, for messages */
} NsBridgeRule;

typedef struct {
  GArray *rules;         /* of NsBridgeRule: listen's in order, then
                            connect's; the array clears each rule */
  gboolean allow_remote; /* outside addresses beyond 127.0.0.0/8 allowed */
  guint max_conns;       /* outside TCP connections open at once, per
                            bridge: more are refused (default 1024) */
  NsTime udp_timeout;    /* a UDP mapping idle this long is forgotten
                            (default 60 s) */
} NsTopoBridge;

#define NS_BRIDGE_DEFAULT_MAX_CONNS 1024
#define NS_BRIDGE_DEFAULT_UDP_TIMEOUT (60 * NS_SEC)

/* "tcp 127.0.0.1:8080 -> 192.168.2.10:8080 (h3)" (listen) or
 * "tcp *:9000 -> 127.0.0.1:9000" (connect, any of the bridge's
 * addresses): the client's end first.  bound_port, when not 0, is shown
 * instead of a listen rule's port (the one port 0 became).  g_free. */
char *ns_bridge_rule_format(const NsBridgeRule *r, guint16 bound_port);
/* "tcp" or "udp". */
const char *ns_bridge_proto_name(NsBridgeProto p);

/* ---- VXLAN segments --------------------------------------------------
 *
 * A [vxlan NAME] section is one cable end whose far side is outside this
 * process: every frame the simulated segment sends into it leaves as a
 * UDP datagram (RFC 7348: an 8-byte header with the VNI, then the frame)
 * to each remote, and every valid datagram received is a frame arriving
 * from it.  Its one link goes to a switch (`link = sw1 [params]`).  The
 * loader checks the keys; bridge/vxlan.c opens the socket.
 *   vni    = N               0-16777215, required
 *   local  = [ADDR][:PORT]   bound (default 127.0.0.1:4789; PORT 0: any)
 *   remote = ADDR[:PORT]; ...  where frames go (default port 4789); a
 *                            datagram is taken only from these addresses
 * Addresses must be in 127.0.0.0/8 unless allow-remote = true. */
typedef struct {
  NsIp4 addr;
  guint16 port;
} NsVxlanRemote;

typedef struct {
  NsIp4 local_addr;      /* default 127.0.0.1 */
  guint32 vni;           /* 0..NS_VXLAN_VNI_MAX (a number row: not first) */
  guint16 local_port;    /* default 4789; 0: any free port */
  GArray *remotes;       /* of NsVxlanRemote, at least one, in file order */
  gboolean allow_remote; /* addresses beyond 127.0.0.0/8 allowed */
} NsTopoVxlan;

/* "vni 42 127.0.0.1:4789 -> 127.0.0.1:4790, 127.0.0.1:4791": bound_port,
 * when not 0, is shown instead of local's port (g_free). */
char *ns_vxlan_format(const NsTopoVxlan *v, guint16 bound_port);

typedef struct {
  NsNodeKind kind;
  char *name;
  NsTopoIface *ifaces; /* n_ifaces: hosts (eth0..), routers */
  guint n_ifaces;
  NsIp4 gateway;            /* hosts: default gateway, 0.0.0.0 if none */
  GArray *routes;           /* of NsTopoRoute: hosts and routers; NULL
                               while none (ns_topo_n_routes) */
  NsArpConfig arp;          /* hosts and routers */
  guint fdb_size;           /* switches */
  NsTime aging;             /* switches */
  GArray *services;         /* of NsServiceSpec, in file order (hosts, routers);
                               the array clears each spec; NULL while none
                               (ns_topo_n_services) */
  NsTime tcp_time_wait;     /* hosts, routers: TIME-WAIT, 0 = TCP's default */
  NsTcpProfile tcp_profile; /* hosts, routers: linux (0) or minimal */
  NsTime tcp_delayed_ack;   /* hosts, routers: 0 = off */
  guint tcp_rmem_max;       /* hosts, routers: autotuning bounds, bytes, */
  guint tcp_wmem_max;       /* 0 = the profile's */
  gboolean answer_broadcast_ping; /* hosts, routers: echo to a broadcast */
  gboolean igmp_snooping;         /* switches: IGMP snooping (default on) */
  gboolean igmp_querier;          /* routers: IGMP querier (default off) */
  NsTopoBridge *bridge; /* bridges only (owned), NULL for other kinds */
  NsTopoVxlan *vxlan;   /* vxlan segments only (owned), NULL otherwise */
} NsTopoNode;

/* How many routes and services a node was given.  Most hosts of a big
 * network have neither, and an empty array each was 96 bytes a host. */
static inline guint ns_topo_n_routes(const NsTopoNode *n) {
  return n->routes != NULL ? n->routes->len : 0;
}
static inline guint ns_topo_n_services(const NsTopoNode *n) {
  return n->services != NULL ? n->services->len : 0;
}

/* One end of a link: a node and, for hosts/routers, the interface index in
 * its ifaces array; for switches `iface` is unused (a new port is made),
 * and for a vxlan segment too (its one cable end). */
typedef struct {
  guint node;  /* index into NsTopology.nodes */
  guint iface; /* index into that node's ifaces (hosts, routers) */
} NsTopoEnd;

/* Links with the same parameters share one copy (a network of 100,000
 * hosts has one or two sets: 104 bytes a link saved). */
typedef struct {
  NsTopoEnd a, b;
  const NsLinkParams *params; /* one of NsTopology.params */
} NsTopoLink;

typedef struct {
  char *source;      /* file name used in messages */
  GPtrArray *nodes;  /* of NsTopoNode*, in file order */
  GArray *links;     /* of NsTopoLink, in declaration order */
  GPtrArray *params; /* of NsLinkParams*, owned: each distinct set once */
  /* Once loaded, every node, its interfaces and its name in one block
   * (the nodes' pointers point into it), so that freeing the topology
   * gives back one piece of memory, not holes between the network's.
   * NULL while loading. */
  gpointer block;
} NsTopology;

NsTopology *ns_topology_load_file(const char *path, GError **error);
/* source names the text in messages ("<built-in>"). */
NsTopology *ns_topology_load_data(const char *data, gssize len,
                                  const char *source, GError **error);
void ns_topology_free(NsTopology *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsTopology, ns_topology_free)

/* TRUE when some node is a bridge or a vxlan segment: the run has real
 * sockets (bridge/), so it follows the wall clock. */
gboolean ns_topology_has_bridges(const NsTopology *t);
/* Index of the node called name, or -1. */
gint ns_topology_find(const NsTopology *t, const char *name);
/* TRUE for a word that starts a console line without a node before it
 * (show, wait, expect, quit, ...): no node may be so named, since a line
 * such as "show ping h2" would run the command, never reach the node. */
gboolean ns_topology_name_reserved(const char *name);
const char *ns_node_kind_name(NsNodeKind k); /* "host", "switch", ... */
/* The same word in the user's language, for messages ("主机"). */
const char *ns_node_kind_word(NsNodeKind k);
/* A human summary for --check: counts, then one line per node and link. */
char *ns_topology_summary(const NsTopology *t);

/* The built-in default network (two LANs joined by a router): the text of
 * topologies/two_lans.conf, made into topology_builtin.c by the build
 * (src/config/local.mk), never kept by hand. */
extern const char ns_topology_builtin[];

G_END_DECLS

/* network.h — a running simulated network built from a topology.
 *
 * NsNet owns everything of one run: the event queue and scheduler, the log,
 * the seeded generator, the devices (switches, hosts, routers), the links,
 * and the applications started by commands (ping, traceroute).  Building
 * from a validated NsTopology cannot fail.
 *
 * Building goes through a table of node kinds (network_private.h): a new
 * kind is one build function and one row.
 *
 * MAC addresses not given by the topology are assigned in file order:
 * 02:00:00:00:00:01, :02, ... (locally administered), so a run is
 * reproducible byte for byte.
 *
 * Activities: every started ping/traceroute is an activity, and so is a
 * user's TCP connection while it opens, has unacknowledged data or closes;
 * `wait` with no time runs the clock until all of them are done and no
 * frame is left on a link (ns_net_run_idle), so that answers in flight
 * arrive too.
 */
#pragma once

#include "apps/client.h"
#include "apps/ping.h"
#include "apps/services.h"
#include "config/topology.h"
#include "net/ipnode.h"
#include "net/switch.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "sim/sched.h"

G_BEGIN_DECLS

/* One node.  Which devices it has follows from its kind (the kind's row
 * in node_kinds.c builds them), and the others stay NULL: a switch has sw
 * only; a host or router has ip, udp and tcp (most make udp and tcp on
 * first use: read them through ns_net_node_udp() and ns_net_node_tcp()),
 * services when its topology section gives any, and client, last_ping
 * and last_trace once commands make them; a vxlan segment has port only. */
typedef struct {
  NsNodeKind kind;
  char *name;           /* in the net's strings */
  NsSwitch *sw;         /* switches */
  NsIpNode *ip;         /* hosts and routers */
  NsUdp *udp;           /* hosts and routers: their UDP and TCP, NULL until */
  NsTcp *tcp;           /* first used (ns_net_node_udp(), ns_net_node_tcp()) */
  NsClient *client;     /* the user's sockets, made by ns_net_client() */
  NsServices *services; /* the topology's services = (NULL if none) */
  NsPing *last_ping;    /* the node's most recent ping (owned by the net) */
  NsTrace *last_trace;
  /* vxlan segments: the cable end whose frames go outside.  Until
   * ns_net_port_carry() gives it a carrier (bridge/vxlan.c), a frame
   * arriving at it is dropped. */
  NsNic *port;
} NsNetNode;

/* A host's or router's UDP and TCP, made now if they were not yet
 * (node_kinds.c). */
NsUdp *ns_net_node_udp(NsNetNode *n);
NsTcp *ns_net_node_tcp(NsNetNode *n);

typedef struct {
  NsLink *link;
  guint a_node, b_node; /* indexes into the net's nodes */
  char *a_label;        /* "h1:eth0", "sw1:port1": the net's strings */
  char *b_label;
} NsNetLink;

typedef struct NsNet NsNet;

/* Builds the network described by topo (borrowed for the call). */
NsNet *ns_net_new(const NsTopology *topo, guint64 seed);
void ns_net_free(NsNet *net);

NsCtx *ns_net_ctx(NsNet *net);
NsLog *ns_net_log(NsNet *net);
NsSched *ns_net_sched(NsNet *net);
static inline NsTime ns_net_now(NsNet *net) { return ns_net_sched(net)->now; }
const char *ns_net_source(NsNet *net); /* topology file name */

guint ns_net_n_nodes(NsNet *net);
NsNetNode *ns_net_node(NsNet *net, guint i);
NsNetNode *ns_net_find(NsNet *net, const char *name);
guint ns_net_n_links(NsNet *net);
NsNetLink *ns_net_link(NsNet *net, guint i);
/* The links between ends a and b (either order); an end is NODE or
 * NODE:IFACE (an interface, or a switch port such as sw1:port2).  Returns
 * a new array of borrowed NsNetLink pointers, possibly empty. */
GPtrArray *ns_net_links_between(NsNet *net, const char *a, const char *b);
/* The first link between a and b (either order), NULL if none. */
NsNetLink *ns_net_find_link(NsNet *net, const char *a, const char *b);
/* Switch port number (1-based) a link end uses on switch `sw`, 0 if the
 * link does not touch sw. */
guint ns_net_link_port(NsNet *net, const NsNetLink *l, const NsNetNode *sw);

/* Resolves what a user typed as a destination: an IPv4 address, a host or
 * router name (its first address), or NODE:IFACE. */
gboolean ns_net_resolve(NsNet *net, const char *what, NsIp4 *out,
                        GError **error);
/* The node name owning ip, or NULL (for printing "h3 (192.168.2.10)"). */
const char *ns_net_name_of(NsNet *net, NsIp4 ip);
/* The node with an interface that has mac (its index in *iface), or
 * NULL. */
NsNetNode *ns_net_node_of_mac(NsNet *net, NsMac mac, guint *iface);

/* Where applications print (the console or the scenario runner). */
void ns_net_set_output(NsNet *net, NsAppOutputFunc out, gpointer data);

/* Starts an application on node (a host or router).  The net keeps it as
 * the node's last ping/trace and as an activity. */
NsPing *ns_net_ping(NsNet *net, NsNetNode *node, NsIp4 dst,
                    const char *dst_name, const NsPingOptions *opts);
NsTrace *ns_net_trace(NsNet *net, NsNetNode *node, NsIp4 dst,
                      const char *dst_name, const NsTraceOptions *opts);
/* The user's sockets on node (a host or router), made on first use; they
 * print through the net's output. */
NsClient *ns_net_client(NsNet *net, NsNetNode *node);

/* Gives the port of node n (a vxlan segment) to a carrier: recv is called
 * with each frame the simulated network sends into it, and n->port->owner
 * is owner.  NULL recv: frames are dropped again. */
void ns_net_port_carry(NsNetNode *n, NsNicRecvFunc recv, gpointer owner);

/* Any activity still running, or a frame on a link? */
gboolean ns_net_busy(NsNet *net);

/* Runs the clock in fast mode up to absolute time t. */
void ns_net_run_until(NsNet *net, NsTime t);
/* Runs until no activity is busy (or the queue empties, or limit). */
void ns_net_run_idle(NsNet *net, NsTime limit);

G_END_DECLS

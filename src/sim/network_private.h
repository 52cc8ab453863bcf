/* network_private.h — what the files of a network share (private to sim/).
 *
 *   network.c          the NsNet: accessors, activities, running, freeing;
 *   network_build.c    ns_net_new in steps: the net's own state, one node
 *                      per topology node (through its kind's row), links;
 *                      and the assignment of MACs;
 *   node_kinds.c       one NetKind row per NsNodeKind: how that kind of
 *                      node is built and how a link attaches to it.
 *
 * MAC assignment is part of building, so it is order-sensitive: nodes are
 * built in file order, and a kind's build asks for its MACs in interface
 * order; every MAC the file does not give is the next unused one of
 * 02:00:00:00:00:01, :02, ...  (network.h says why: reproducible runs).
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

struct NsNet {
  char *source; /* topology file name */
  NsTimerQueue *timers;
  NsLog *log;
  GRand *rng;
  NsSlab *slab; /* the devices' small objects */
  NsCtx ctx;
  NsSched sched;
  GPtrArray *nodes;    /* of NsNetNode*, in topology order */
  GHashTable *by_name; /* name -> NsNetNode* */
  /* Made on first use (show arp, show mac, the replay's tables, names in
   * output), so that naming the owner of an address is not a walk of
   * every interface of the network: */
  GHashTable *by_ip;              /* address (guint) -> NsNetNode* */
  GHashTable *by_mac;             /* NetMacOwner.key -> NetMacOwner* */
  struct NetMacOwner *mac_owners; /* the keys and values of by_mac */
  GPtrArray *links;               /* of NsNetLink* */
  /* Where the nodes, the links and their strings live: one block each
   * (nodes and links are all made by ns_net_new and live as long as the
   * net), so a network of 100,000 hosts is not 400,000 small mallocs. */
  NsNetNode *node_block; /* nodes->len of them, owned */
  NsNetLink *link_block; /* links->len of them, owned */
  GStringChunk *strings; /* node names and link labels, owned */
  GPtrArray *pings;      /* every NsPing started (owned) */
  GPtrArray *traces;     /* every NsTrace started (owned) */
  GPtrArray *clients;    /* NsClient* of the nodes that have one (borrowed) */
  NsAppOutputFunc out;
  gpointer out_data;
  guint active; /* activities started and not yet done */
};

/* The MACs of one build.  given holds the hashes of the MACs the file
 * gives: a quick filter, so that the exact scan of the file runs only on
 * a hash match.
 *
 * site fills the second and third bytes: 0 for a network of its own, so
 * MACs run 02:00:00:00:00:01, 02:00:00:00:00:02, ...  A topology with a
 * vxlan segment shares a LAN with other processes, which number their
 * MACs from 1 too: there site is taken from the first segment's local
 * address and port (each process on a segment binds its own), so that
 * their assigned MACs differ (02:SS:SS:xx:xx:xx). */
typedef struct {
  const NsTopology *topo; /* borrowed */
  GHashTable *given;      /* ns_mac_hash() values of the file's MACs */
  guint32 next;           /* the next 02:SS:SS:xx:xx:xx to try */
  guint16 site;           /* SS:SS */
} NetMacs;

/* The next 02:SS:SS:xx:xx:xx in sequence that the file does not use. */
NsMac ns_net_macs_next(NetMacs *macs);

/* How one kind of node becomes devices. */
typedef struct {
  NsNodeKind kind;
  /* Makes n's devices (and, for IP nodes, UDP, TCP and services) from tn,
   * asking macs for each MAC the file does not give, in interface order.
   * Cannot fail: the topology was validated. */
  void (*build)(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx, NetMacs *macs);
  /* The NIC a link attaches to at n: interface iface of an IP node, or a
   * new port of a switch (iface unused). */
  NsNic *(*attach)(NsNetNode *n, guint iface);
} NetKind;

/* The row of kind k. */
const NetKind *ns_net_kind(NsNodeKind k);

G_END_DECLS

/* network_build.c — ns_net_new in steps: the net's own state, then one
 * node per topology node through its kind's row (node_kinds.c), then the
 * links; and the MACs the file does not give. */
#include "sim/network_private.h"

/* ---- MACs ---------------------------------------------------------------- */

static gboolean mac_given(const NsTopology *topo, NsMac mac) {
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    for (guint j = 0; j < tn->n_ifaces; j++) {
      const NsTopoIface *ti = &tn->ifaces[j];
      if (ti->has_mac && ns_mac_equal(ti->mac, mac))
        return TRUE;
    }
  }
  return FALSE;
}

NsMac ns_net_macs_next(NetMacs *macs) {
  for (;;) {
    NsMac mac = ns_mac_local(macs->next++);
    mac.b[1] = (guint8)(macs->site >> 8);
    mac.b[2] = (guint8)macs->site;
    if (!g_hash_table_contains(macs->given,
                               GUINT_TO_POINTER(ns_mac_hash(mac))) ||
        !mac_given(macs->topo, mac))
      return mac;
  }
}

/* NetMacs.site: 0, or for a topology with a vxlan segment a number from
 * the first segment's local address and port (FNV-1a, never 0). */
static guint16 macs_site(const NsTopology *topo) {
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    if (tn->kind != NS_NODE_VXLAN)
      continue;
    guint32 addr = tn->vxlan->local_addr.v;
    guint16 port = tn->vxlan->local_port;
    /* The endpoint's six bytes hashed as a MAC's are (FNV-1a). */
    NsMac key = {{(guint8)(addr >> 24), (guint8)(addr >> 16),
                  (guint8)(addr >> 8), (guint8)addr, (guint8)(port >> 8),
                  (guint8)port}};
    guint32 h = ns_mac_hash(key);
    guint16 site = (guint16)(h ^ (h >> 16));
    return site != 0 ? site : 1;
  }
  return 0;
}

/* The MACs the file gives are taken: assigned ones skip them. */
static void macs_init(NetMacs *macs, const NsTopology *topo) {
  macs->topo = topo;
  macs->given = g_hash_table_new(NULL, NULL);
  macs->next = 1;
  macs->site = macs_site(topo);
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    for (guint j = 0; j < tn->n_ifaces; j++) {
      const NsTopoIface *ti = &tn->ifaces[j];
      if (ti->has_mac)
        g_hash_table_add(macs->given, GUINT_TO_POINTER(ns_mac_hash(ti->mac)));
    }
  }
}

/* ---- steps --------------------------------------------------------------- */

/* The net without nodes or links: clock, log, generator, tables. */
static NsNet *net_alloc(const NsTopology *topo, guint64 seed) {
  NsNet *net = g_new0(NsNet, 1);
  net->source = g_strdup(topo->source);
  net->timers = ns_timerq_new();
  net->log = ns_log_new();
  net->rng = g_rand_new_with_seed((guint32)(seed ^ (seed >> 32)));
  net->ctx.timers = net->timers;
  net->ctx.log = net->log;
  net->ctx.rng = net->rng;
  net->slab = ns_slab_new();
  net->ctx.slab = net->slab;
  net->ctx.seed = seed;
  ns_sched_init(&net->sched, net->timers);
  net->nodes = g_ptr_array_sized_new(topo->nodes->len);
  net->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  net->links = g_ptr_array_sized_new(topo->links->len);
  net->node_block = g_new0(NsNetNode, topo->nodes->len);
  net->link_block = g_new0(NsNetLink, topo->links->len);
  net->strings = g_string_chunk_new(16 * 1024);
  net->pings = g_ptr_array_new();
  net->traces = g_ptr_array_new();
  net->clients = g_ptr_array_new();
  return net;
}

static void build_nodes(NsNet *net, const NsTopology *topo) {
  NetMacs macs;
  macs_init(&macs, topo);
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    NsNetNode *n = &net->node_block[i];
    n->kind = tn->kind;
    n->name = g_string_chunk_insert(net->strings, tn->name);
    ns_net_kind(tn->kind)->build(n, tn, &net->ctx, &macs);
    g_ptr_array_add(net->nodes, n);
    g_hash_table_insert(net->by_name, n->name, n);
  }
  g_hash_table_destroy(macs.given);
}

/* "node:nic" in the net's strings. */
static char *net_label(NsNet *net, const char *node, const char *nic) {
  GString *s = g_string_new(node);
  g_string_append_c(s, ':');
  g_string_append(s, nic);
  char *label = g_string_chunk_insert_len(net->strings, s->str, (gssize)s->len);
  g_string_free(s, TRUE);
  return label;
}

/* The NIC at link end e, and its label "h1:eth0", "sw1:port2". */
static NsNic *end_nic(NsNet *net, const NsTopoEnd *e, char **label) {
  NsNetNode *n = g_ptr_array_index(net->nodes, e->node);
  NsNic *nic = ns_net_kind(n->kind)->attach(n, e->iface);
  *label = net_label(net, n->name, nic->name);
  return nic;
}

static void build_links(NsNet *net, const NsTopology *topo) {
  for (guint i = 0; i < topo->links->len; i++) {
    const NsTopoLink *tl = &g_array_index(topo->links, NsTopoLink, i);
    NsNetLink *l = &net->link_block[i];
    l->a_node = tl->a.node;
    l->b_node = tl->b.node;
    NsNic *a = end_nic(net, &tl->a, &l->a_label);
    NsNic *b = end_nic(net, &tl->b, &l->b_label);
    l->link = ns_link_new(&net->ctx, a, b, tl->params);
    g_ptr_array_add(net->links, l);
  }
}

NsNet *ns_net_new(const NsTopology *topo, guint64 seed) {
  g_return_val_if_fail(topo != NULL, NULL);
  NsNet *net = net_alloc(topo, seed);
  build_nodes(net, topo);
  build_links(net, topo);
  return net;
}

/* node_kinds.c — one row per kind of node: how it is built from its
 * topology description and where a link attaches to it (see
 * network_private.h).  Adding a kind is one function pair and one row. */
#include "sim/network_private.h"

/* ---- switches ------------------------------------------------------------ */

static void build_switch(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx,
                         NetMacs *macs) {
  (void)macs; /* a switch's ports have no MAC of their own */
  n->sw = ns_switch_new(ctx, tn->name, tn->fdb_size, tn->aging);
  ns_switch_set_igmp_snooping(n->sw, tn->igmp_snooping);
}

static NsNic *attach_switch(NsNetNode *n, guint iface) {
  (void)iface;
  return ns_switch_add_port(n->sw);
}

/* ---- IP nodes: hosts and routers ----------------------------------------- */

static void add_ifaces_and_routes(NsNetNode *n, const NsTopoNode *tn,
                                  NetMacs *macs) {
  for (guint j = 0; j < tn->n_ifaces; j++) {
    const NsTopoIface *ti = &tn->ifaces[j];
    NsMac mac = ti->has_mac ? ti->mac : ns_net_macs_next(macs);
    ns_ipnode_add_iface(n->ip, ti->name, ti->addr, mac);
  }
  if (!ns_ip4_is_zero(tn->gateway))
    ns_ipnode_add_route(n->ip, (NsPrefix){{0}, 0}, tn->gateway, 1);
  for (guint j = 0; j < ns_topo_n_routes(tn); j++) {
    const NsTopoRoute *r = &g_array_index(tn->routes, NsTopoRoute, j);
    ns_ipnode_add_route(n->ip, r->prefix, r->via, r->metric);
  }
}

/* TCP as the node's section configures it (a NULL section: the
 * defaults). */
static NsTcpConfig tcp_config_of(const NsTopoNode *tn) {
  static const NsTopoNode defaults; /* linux profile, nothing given */
  if (tn == NULL)
    tn = &defaults;
  NsTcpConfig tcfg = *ns_tcp_profile_config(tn->tcp_profile);
  if (tn->tcp_time_wait > 0)
    tcfg.time_wait = tn->tcp_time_wait;
  tcfg.delayed_ack = tn->tcp_delayed_ack;
  /* The bounds are autotuning's: minimal does not grow. */
  if (tn->tcp_rmem_max > 0 && tn->tcp_profile == NS_TCP_PROFILE_LINUX)
    tcfg.rcvbuf_max = tn->tcp_rmem_max;
  if (tn->tcp_wmem_max > 0 && tn->tcp_profile == NS_TCP_PROFILE_LINUX)
    tcfg.sndbuf_max = tn->tcp_wmem_max;
  return tcfg;
}

NsUdp *ns_net_node_udp(NsNetNode *n) {
  g_return_val_if_fail(n->ip != NULL, NULL);
  if (n->udp == NULL)
    n->udp = ns_udp_new(n->ip);
  return n->udp;
}

NsTcp *ns_net_node_tcp(NsNetNode *n) {
  g_return_val_if_fail(n->ip != NULL, NULL);
  if (n->tcp == NULL) {
    NsTcpConfig tcfg = tcp_config_of(NULL);
    n->tcp = ns_tcp_new(n->ip, &tcfg);
  }
  return n->tcp;
}

/* The first datagram for UDP or TCP on a node that has neither yet: makes
 * it, which installs its handler; the stack then hands the datagram
 * over. */
static void make_on_first_use(NsIpNode *node, guint8 proto, gpointer data) {
  NsNetNode *n = data;
  (void)node;
  if (proto == NS_IPPROTO_UDP)
    ns_net_node_udp(n);
  else if (proto == NS_IPPROTO_TCP)
    ns_net_node_tcp(n);
}

/* A node whose section says nothing about TCP and runs no services gets
 * UDP and TCP on first use: a datagram for either, a command, a counter
 * asked for.  Until then it costs a maker (16 bytes) instead of about
 * 700 bytes (on a big network, most hosts only ever ping).  The section's
 * TCP keys are read, not the configs compared with memcmp: NsTcpConfig has
 * padding, which an optimized build left unequal, so every node got TCP
 * and UDP at build. */
static gboolean transport_on_first_use(const NsTopoNode *tn) {
  return tn->kind != NS_NODE_BRIDGE && ns_topo_n_services(tn) == 0 &&
         tn->tcp_profile == NS_TCP_PROFILE_LINUX && tn->tcp_time_wait == 0 &&
         tn->tcp_delayed_ack == 0 && tn->tcp_rmem_max == 0 &&
         tn->tcp_wmem_max == 0;
}

static void start_transport(NsNetNode *n, const NsTopoNode *tn) {
  if (transport_on_first_use(tn)) {
    ns_ipnode_set_proto_maker(n->ip, make_on_first_use, n);
    return;
  }
  n->udp = ns_udp_new(n->ip);
  NsTcpConfig tcfg = tcp_config_of(tn);
  n->tcp = ns_tcp_new(n->ip, &tcfg);
  if (ns_topo_n_services(tn) == 0)
    return;
  n->services = ns_services_new(n->ip, n->udp, n->tcp);
  for (guint j = 0; j < tn->services->len; j++) {
    const NsServiceSpec *spec = &g_array_index(tn->services, NsServiceSpec, j);
    /* The loader refused duplicate ports: starting cannot fail. */
    gboolean started = ns_services_start(n->services, spec, 0, NULL);
    g_assert(started);
  }
}

static void build_ipnode(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx,
                         NetMacs *macs, gboolean forwarding) {
  n->ip = ns_ipnode_new(ctx, tn->name, forwarding, &tn->arp);
  ns_ipnode_set_answer_broadcast_ping(n->ip, tn->answer_broadcast_ping);
  add_ifaces_and_routes(n, tn, macs);
  if (tn->igmp_querier)
    ns_ipnode_set_igmp_querier(n->ip, TRUE);
  start_transport(n, tn);
}

static void build_host(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx,
                       NetMacs *macs) {
  build_ipnode(n, tn, ctx, macs, /* forwarding */ FALSE);
}

static void build_router(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx,
                         NetMacs *macs) {
  build_ipnode(n, tn, ctx, macs, /* forwarding */ TRUE);
}

static NsNic *attach_ipnode(NsNetNode *n, guint iface) {
  return &ns_ipnode_iface(n->ip, iface)->nic;
}

/* ---- vxlan segments ------------------------------------------------------ */

/* A frame into a port nobody carries yet is dropped. */
static void port_drop(NsNic *nic, NsFrame *frame, NsTime now) {
  (void)nic;
  (void)now;
  ns_frame_unref(frame);
}

static void build_vxlan(NsNetNode *n, const NsTopoNode *tn, NsCtx *ctx,
                        NetMacs *macs) {
  (void)tn;
  (void)ctx;
  (void)macs; /* the frames that cross carry their own MACs */
  n->port = g_new0(NsNic, 1);
  ns_nic_init(n->port, "vxlan0", n->name, NULL, 0, port_drop);
}

static NsNic *attach_port(NsNetNode *n, guint iface) {
  (void)iface;
  return n->port;
}

void ns_net_port_carry(NsNetNode *n, NsNicRecvFunc recv, gpointer owner) {
  g_return_if_fail(n->port != NULL);
  n->port->recv = recv != NULL ? recv : port_drop;
  n->port->owner = owner;
}

/* ---- the table ----------------------------------------------------------- */

static const NetKind kinds[] = {
    [NS_NODE_HOST] = {NS_NODE_HOST, build_host, attach_ipnode},
    [NS_NODE_SWITCH] = {NS_NODE_SWITCH, build_switch, attach_switch},
    [NS_NODE_ROUTER] = {NS_NODE_ROUTER, build_router, attach_ipnode},
    /* A bridge is a host; its real sockets are bridge/'s. */
    [NS_NODE_BRIDGE] = {NS_NODE_BRIDGE, build_host, attach_ipnode},
    /* A vxlan segment is a cable end; its socket is bridge/'s. */
    [NS_NODE_VXLAN] = {NS_NODE_VXLAN, build_vxlan, attach_port},
};
_Static_assert(G_N_ELEMENTS(kinds) == NS_NODE_N_KINDS,
               "one build row per NsNodeKind");

const NetKind *ns_net_kind(NsNodeKind k) {
  g_return_val_if_fail((guint)k < G_N_ELEMENTS(kinds), NULL);
  return &kinds[k];
}

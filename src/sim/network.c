/* network.c — a running simulated network: its parts, activities and
 * clock.  Building it is network_build.c. */
#include "core/i18n.h"
#include "sim/network_private.h"

#include <string.h>

static void activity_done(gpointer data) {
  NsNet *net = data;
  net->active--;
}

static void activity_output(const char *line, gpointer data) {
  NsNet *net = data;
  if (net->out != NULL)
    net->out(line, net->out_data);
}

static gboolean activity_wants_output(gpointer data) {
  return ((NsNet *)data)->out != NULL;
}

void ns_net_free(NsNet *net) {
  if (net == NULL)
    return;
  ns_log_close(net->log); /* what freeing does is no event of the run */
  for (guint i = 0; i < net->pings->len; i++)
    ns_ping_free(g_ptr_array_index(net->pings, i));
  for (guint i = 0; i < net->traces->len; i++)
    ns_trace_free(g_ptr_array_index(net->traces, i));
  for (guint i = 0; i < net->nodes->len; i++) {
    NsNetNode *n = g_ptr_array_index(net->nodes, i);
    ns_client_free(n->client);
    ns_services_free(n->services);
    ns_tcp_free(n->tcp);
    ns_udp_free(n->udp);
  }
  for (guint i = 0; i < net->links->len; i++) {
    NsNetLink *l = g_ptr_array_index(net->links, i);
    ns_link_free(l->link);
  }
  for (guint i = 0; i < net->nodes->len; i++) {
    NsNetNode *n = g_ptr_array_index(net->nodes, i);
    ns_switch_free(n->sw);
    ns_ipnode_free(n->ip);
    if (n->port != NULL) {
      ns_nic_clear(n->port);
      g_free(n->port);
    }
  }
  g_free(net->node_block);
  g_free(net->link_block);
  g_string_chunk_free(net->strings);
  g_ptr_array_free(net->pings, TRUE);
  g_ptr_array_free(net->traces, TRUE);
  g_ptr_array_free(net->clients, TRUE);
  g_ptr_array_free(net->links, TRUE);
  g_ptr_array_free(net->nodes, TRUE);
  g_hash_table_destroy(net->by_name);
  if (net->by_ip != NULL)
    g_hash_table_destroy(net->by_ip);
  if (net->by_mac != NULL)
    g_hash_table_destroy(net->by_mac);
  g_free(net->mac_owners);
  ns_timerq_free(net->timers);
  ns_log_free(net->log);
  g_rand_free(net->rng);
  ns_slab_free(net->slab); /* last: the devices' blocks */
  g_free(net->source);
  g_free(net);
}

NsCtx *ns_net_ctx(NsNet *net) { return &net->ctx; }
NsLog *ns_net_log(NsNet *net) { return net->log; }
NsSched *ns_net_sched(NsNet *net) { return &net->sched; }
const char *ns_net_source(NsNet *net) { return net->source; }
guint ns_net_n_nodes(NsNet *net) { return net->nodes->len; }
NsNetNode *ns_net_node(NsNet *net, guint i) {
  g_return_val_if_fail(i < net->nodes->len, NULL);
  return g_ptr_array_index(net->nodes, i);
}
NsNetNode *ns_net_find(NsNet *net, const char *name) {
  return g_hash_table_lookup(net->by_name, name);
}
guint ns_net_n_links(NsNet *net) { return net->links->len; }
NsNetLink *ns_net_link(NsNet *net, guint i) {
  g_return_val_if_fail(i < net->links->len, NULL);
  return g_ptr_array_index(net->links, i);
}

/* Does the link end "node:nic" (label) match what the user wrote? */
static gboolean end_matches(const char *label, const char *node,
                            const char *written) {
  if (strchr(written, ':') != NULL)
    return strcmp(label, written) == 0;
  return strcmp(node, written) == 0;
}

GPtrArray *ns_net_links_between(NsNet *net, const char *a, const char *b) {
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < net->links->len; i++) {
    NsNetLink *l = g_ptr_array_index(net->links, i);
    const char *na = ns_net_node(net, l->a_node)->name;
    const char *nb = ns_net_node(net, l->b_node)->name;
    if ((end_matches(l->a_label, na, a) && end_matches(l->b_label, nb, b)) ||
        (end_matches(l->a_label, na, b) && end_matches(l->b_label, nb, a)))
      g_ptr_array_add(out, l);
  }
  return out;
}

NsNetLink *ns_net_find_link(NsNet *net, const char *a, const char *b) {
  g_autoptr(GPtrArray) all = ns_net_links_between(net, a, b);
  return all->len > 0 ? g_ptr_array_index(all, 0) : NULL;
}

guint ns_net_link_port(NsNet *net, const NsNetLink *l, const NsNetNode *sw) {
  if (sw->kind != NS_NODE_SWITCH)
    return 0;
  for (guint side = 0; side < 2; side++) {
    NsNic *nic = ns_link_nic(l->link, side);
    if (nic->owner == sw->sw)
      return nic->index;
  }
  (void)net;
  return 0;
}

gboolean ns_net_resolve(NsNet *net, const char *what, NsIp4 *out,
                        GError **error) {
  if (ns_ip4_parse(what, out, NULL))
    return TRUE;
  g_autofree char *name = g_strdup(what);
  char *colon = strchr(name, ':');
  if (colon != NULL)
    *colon++ = '\0';
  NsNetNode *n = ns_net_find(net, name);
  if (n == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("'%s' is neither an IPv4 address nor a node name"), what);
    return FALSE;
  }
  if (n->ip == NULL || ns_ipnode_n_ifaces(n->ip) == 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s is a %s and has no IP address"), name,
                ns_node_kind_word(n->kind));
    return FALSE;
  }
  if (colon == NULL) {
    *out = ns_ipnode_primary_addr(n->ip);
    return TRUE;
  }
  NsIpIface *iface = ns_ipnode_find_iface(n->ip, colon);
  if (iface == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s has no interface named '%s'"), name, colon);
    return FALSE;
  }
  *out = iface->addr.addr;
  return TRUE;
}

/* An interface's MAC and where it is (by_mac). */
struct NetMacOwner {
  gint64 key; /* the MAC's six bytes */
  NsNetNode *node;
  guint iface;
};

static gint64 mac_key(NsMac mac) {
  gint64 k = 0;
  for (guint i = 0; i < sizeof mac.b; i++)
    k = k << 8 | mac.b[i];
  return k;
}

/* Indexes every interface's address and MAC, the first node in topology
 * order winning as a walk of the nodes would.  Addresses and MACs never
 * change once the network is built. */
static void index_addresses(NsNet *net) {
  guint total = 0;
  for (guint i = 0; i < net->nodes->len; i++) {
    NsNetNode *n = g_ptr_array_index(net->nodes, i);
    if (n->ip != NULL)
      total += ns_ipnode_n_ifaces(n->ip);
  }
  net->by_ip = g_hash_table_new(g_direct_hash, g_direct_equal);
  net->by_mac = g_hash_table_new(g_int64_hash, g_int64_equal);
  net->mac_owners = g_new(struct NetMacOwner, MAX(total, 1u));
  guint k = 0;
  for (guint i = 0; i < net->nodes->len; i++) {
    NsNetNode *n = g_ptr_array_index(net->nodes, i);
    for (guint j = 0; n->ip != NULL && j < ns_ipnode_n_ifaces(n->ip); j++) {
      NsIpIface *ifc = ns_ipnode_iface(n->ip, j);
      gpointer ip = GUINT_TO_POINTER(ifc->addr.addr.v);
      /* 0.0.0.0: an interface without an address, nobody's */
      if (ip != NULL && !g_hash_table_contains(net->by_ip, ip))
        g_hash_table_insert(net->by_ip, ip, n);
      struct NetMacOwner *o = &net->mac_owners[k++];
      *o = (struct NetMacOwner){mac_key(ifc->nic.mac), n, j};
      if (!g_hash_table_contains(net->by_mac, &o->key))
        g_hash_table_insert(net->by_mac, &o->key, o);
    }
  }
}

NsNetNode *ns_net_node_of_mac(NsNet *net, NsMac mac, guint *iface) {
  if (net->by_mac == NULL)
    index_addresses(net);
  gint64 key = mac_key(mac);
  const struct NetMacOwner *o = g_hash_table_lookup(net->by_mac, &key);
  if (o == NULL)
    return NULL;
  *iface = o->iface;
  return o->node;
}

const char *ns_net_name_of(NsNet *net, NsIp4 ip) {
  if (net->by_ip == NULL)
    index_addresses(net);
  NsNetNode *n = g_hash_table_lookup(net->by_ip, GUINT_TO_POINTER(ip.v));
  return n != NULL ? n->name : NULL;
}

void ns_net_set_output(NsNet *net, NsAppOutputFunc out, gpointer data) {
  net->out = out;
  net->out_data = data;
}

/* Counts one more running activity and gives the hooks that print its
 * output and count it out when it is done. */
static const char *activity_name_of(NsIp4 ip, gpointer data) {
  return ns_net_name_of(data, ip);
}

static NsAppHooks activity_begin(NsNet *net) {
  net->active++;
  return (NsAppHooks){activity_output, activity_done, net,
                      activity_wants_output, activity_name_of};
}

NsPing *ns_net_ping(NsNet *net, NsNetNode *node, NsIp4 dst,
                    const char *dst_name, const NsPingOptions *opts) {
  g_return_val_if_fail(node != NULL && node->ip != NULL, NULL);
  NsAppHooks hooks = activity_begin(net);
  NsPing *p =
      ns_ping_start(node->ip, dst, dst_name, opts, ns_net_now(net), &hooks);
  g_ptr_array_add(net->pings, p);
  node->last_ping = p;
  return p;
}

NsTrace *ns_net_trace(NsNet *net, NsNetNode *node, NsIp4 dst,
                      const char *dst_name, const NsTraceOptions *opts) {
  g_return_val_if_fail(node != NULL && node->ip != NULL, NULL);
  NsAppHooks hooks = activity_begin(net);
  NsTrace *t =
      ns_trace_start(node->ip, dst, dst_name, opts, ns_net_now(net), &hooks);
  g_ptr_array_add(net->traces, t);
  node->last_trace = t;
  return t;
}

NsClient *ns_net_client(NsNet *net, NsNetNode *node) {
  g_return_val_if_fail(node->ip != NULL, NULL);
  if (node->client == NULL) {
    NsAppHooks hooks = {activity_output, NULL, net, activity_wants_output,
                        activity_name_of};
    node->client = ns_client_new(node->ip, ns_net_node_udp(node),
                                 ns_net_node_tcp(node), &hooks);
    g_ptr_array_add(net->clients, node->client);
  }
  return node->client;
}

/* ns_net_busy's cheap first test: a ping or a client running, or a frame
 * on a wire. */
static inline gboolean moving(const NsNet *net) {
  return net->active > 0 || net->ctx.in_flight > 0;
}

gboolean ns_net_busy(NsNet *net) {
  if (moving(net))
    return TRUE;
  /* A timer already due (an IGMP report a join asked for) is work for
   * this instant, even with nothing on the wires. */
  NsTime when;
  if (ns_timerq_peek(net->ctx.timers, &when) && when <= ns_net_now(net))
    return TRUE;
  for (guint i = 0; i < net->clients->len; i++)
    if (ns_client_busy(g_ptr_array_index(net->clients, i)))
      return TRUE;
  /* Quiet wires, but a TCP connection may be waiting for its
   * retransmission timer: scanned only now, when the cheap checks say
   * idle. */
  for (guint i = 0; i < net->nodes->len; i++) {
    NsNetNode *n = g_ptr_array_index(net->nodes, i);
    if (n->tcp != NULL && ns_tcp_busy(n->tcp))
      return TRUE;
  }
  return FALSE;
}

void ns_net_run_until(NsNet *net, NsTime t) {
  ns_sched_run_until(&net->sched, t);
}

void ns_net_run_idle(NsNet *net, NsTime limit) {
  /* ns_net_busy is asked only when its cheap first test says no. */
  while ((moving(net) || ns_net_busy(net)) && ns_sched_step(&net->sched, limit))
    ;
}

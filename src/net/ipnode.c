/* ipnode.c — the IP node itself: its interfaces and their addresses,
 * routes, protocol handlers and multicast groups (see ipnode_private.h for
 * how the stack is split). */
#include "net/ipnode.h"
#include "core/i18n.h"

#include "net/ipnode_private.h"
#include "wire/ethernet.h"

#include <string.h>

/* An interface's block: the interface, then its ARP cache
 * (ns_arp_cache_init). */
#define IFACE_ARP_OFFSET ((sizeof(NsIpIface) + 7) & ~(gsize)7)
#define IFACE_SIZE (IFACE_ARP_OFFSET + ns_arp_cache_size())

NsIpNode *ns_ipnode_new(NsCtx *ctx, const char *name, gboolean forwarding,
                        const NsArpConfig *arp) {
  g_return_val_if_fail(ctx != NULL && name != NULL, NULL);
  NsIpNode *node = ns_slab_alloc0(ctx->slab, sizeof *node);
  node->ctx = ctx;
  gsize name_size = strlen(name) + 1;
  node->name = memcpy(ns_slab_alloc0(ctx->slab, name_size), name, name_size);
  node->forwarding = forwarding;
  node->arp_cfg = arp == NULL || ns_arp_config_same(arp, &ns_arp_default_config)
                      ? &ns_arp_default_config
                      : g_memdup2(arp, sizeof *arp);
  node->routes = ns_route_table_new();
  ns_timer_init(&node->arp_timer, ns_ipn_arp_timer_fired, node);
  /* Where the node's identification counter starts: unpredictable, as a
   * real stack's, yet the same for the same seed and name. */
  node->next_ip_id = (guint16)ns_ctx_hash(ctx, name, 0);
  if (!forwarding)
    ns_ipnode_join(node, NS_IP4(224, 0, 0, 1)); /* all hosts, RFC 1112 */
  return node;
}

void ns_ipnode_free(NsIpNode *node) {
  if (node == NULL)
    return;
  NsSlab *slab = node->ctx->slab;
  ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
  ns_ipn_igmp_free(node);
  if (node->rare != NULL) {
    ns_timerq_cancel(node->ctx->timers, &node->rare->loopback_timer);
    g_queue_clear_full(&node->rare->loopback, (GDestroyNotify)ns_frame_unref);
  }
  for (guint i = 0; i < node->n_ifaces; i++) {
    NsIpIface *iface = node->ifaces[i];
    ns_nic_clear(&iface->nic);
    ns_arp_cache_clear(iface->arp); /* in iface's block */
    ns_slab_release(slab, iface, IFACE_SIZE);
  }
  ns_slab_release(slab, node->ifaces, node->n_ifaces * sizeof *node->ifaces);
  if (node->arp_cfg != &ns_arp_default_config)
    g_free((gpointer)node->arp_cfg);
  ns_route_table_free(node->routes);
  ns_slab_release(slab, node->listeners,
                  node->n_listeners * sizeof *node->listeners);
  if (node->protos != NULL)
    g_array_free(node->protos, TRUE);
  ns_slab_release(slab, node->groups, node->n_groups * sizeof *node->groups);
  ns_ipn_hooks_clear(node);
  g_free(node->rare);
  ns_slab_release(slab, node->name, strlen(node->name) + 1);
  ns_slab_release(slab, node, sizeof *node);
}

NsIpRare *ns_ipn_rare(NsIpNode *node) {
  if (G_LIKELY(node->rare != NULL))
    return node->rare;
  NsIpRare *r = g_new0(NsIpRare, 1);
  g_queue_init(&r->loopback);
  ns_timer_init(&r->loopback_timer, ns_ipn_loopback_fired, node);
  ns_ipn_igmp_init(node, r);
  node->rare = r;
  return r;
}

const char *ns_ipnode_name(const NsIpNode *node) { return node->name; }
gboolean ns_ipnode_is_router(const NsIpNode *node) { return node->forwarding; }
NsCtx *ns_ipnode_ctx(NsIpNode *node) { return node->ctx; }
NsIpCounters ns_ipnode_counters(const NsIpNode *node) {
  NsIpCounters c = {0};
  g_return_val_if_fail(node != NULL, c);
  if (node->rare != NULL)
    c = node->rare->counters;
#define NS_IP_HOT_COPY(f) c.f = node->hot.f;
  NS_IP_HOT_COUNTERS(NS_IP_HOT_COPY)
#undef NS_IP_HOT_COPY
  return c;
}
NsRouteTable *ns_ipnode_routes(NsIpNode *node) { return node->routes; }
guint64 ns_ipnode_rx_frame(const NsIpNode *node) { return node->rx_frame; }
gboolean ns_ipnode_rx_csum_ok(const NsIpNode *node) { return node->rx_csum_ok; }
void ns_ipnode_set_answer_broadcast_ping(NsIpNode *node, gboolean on) {
  node->answer_broadcast_ping = on;
}

guint16 ns_ipnode_next_ident(NsIpNode *node) {
  /* As Linux's ping takes its process id or its socket's port: a number
   * that says nothing (never 0), not 1, 2, 3. */
  guint16 id;
  do
    id = (guint16)ns_ctx_hash(node->ctx, node->name, 1000 + ++node->next_ident);
  while (id == 0);
  return id;
}
guint ns_ipnode_n_ifaces(const NsIpNode *node) { return node->n_ifaces; }

NsIpIface *ns_ipnode_iface(NsIpNode *node, guint i) {
  g_return_val_if_fail(i < node->n_ifaces, NULL);
  return node->ifaces[i];
}

/* The connected route of an interface with an address. */
static void add_connected_route(NsIpNode *node, const NsIpIface *iface) {
  if (ns_ipnode_iface_has_addr(iface))
    ns_route_add(node->routes, ns_prefix_canonical(iface->addr), (NsIp4){0},
                 iface->nic.index, 0, NS_ROUTE_CONNECTED);
}

/* iface's address, and the directed broadcast that goes with it (none
 * on a /31 or /32: 255.255.255.255 stands in). */
static void iface_set_addr(NsIpIface *iface, NsPrefix addr) {
  iface->addr = addr;
  iface->bcast =
      addr.len < 31 ? ns_prefix_broadcast(addr) : (NsIp4){G_MAXUINT32};
}

NsIpIface *ns_ipnode_add_iface(NsIpNode *node, const char *name, NsPrefix addr,
                               NsMac mac) {
  /* The interface, then its ARP cache from the next cache line on. */
  NsIpIface *iface = ns_slab_alloc0(node->ctx->slab, IFACE_SIZE);
  guint index = node->n_ifaces;
  ns_nic_init(&iface->nic, name, node->name, node, index, ns_ipn_iface_recv);
  iface->nic.mac = mac;
  iface_set_addr(iface, ns_ip4_is_zero(addr.addr) ? (NsPrefix){{0}, 0} : addr);
  iface->arp =
      ns_arp_cache_init((char *)iface + IFACE_ARP_OFFSET, node->arp_cfg);
  /* Grown one at a time: interfaces are added while building. */
  node->ifaces = ns_slab_resize(node->ctx->slab, node->ifaces,
                                node->n_ifaces * sizeof *node->ifaces,
                                (node->n_ifaces + 1) * sizeof *node->ifaces);
  node->ifaces[node->n_ifaces++] = iface;
  add_connected_route(node, iface);
  return iface;
}

NsIpIface *ns_ipnode_find_iface(NsIpNode *node, const char *name) {
  for (guint i = 0; i < node->n_ifaces; i++) {
    NsIpIface *iface = node->ifaces[i];
    if (g_strcmp0(iface->nic.name, name) == 0)
      return iface;
  }
  return NULL;
}

NsIpIface *ns_ipnode_iface_by_addr(NsIpNode *node, NsIp4 ip) {
  return ns_ipn_iface_by_addr(node, ip);
}

gboolean ns_ipnode_is_own_unicast(NsIpNode *node, NsIp4 ip) {
  return ns_ipn_iface_by_addr(node, ip) != NULL || ns_ip4_is_loopback(ip);
}

NsIp4 ns_ipnode_primary_addr(const NsIpNode *node) {
  if (node->n_ifaces == 0)
    return (NsIp4){0};
  return node->ifaces[0]->addr.addr;
}

/* The interface whose subnet contains ip, or NULL. */
static NsIpIface *iface_on_link(NsIpNode *node, NsIp4 ip) {
  for (guint i = 0; i < node->n_ifaces; i++) {
    NsIpIface *iface = node->ifaces[i];
    if (ns_ipnode_iface_has_addr(iface) && ns_prefix_contains(iface->addr, ip))
      return iface;
  }
  return NULL;
}

gboolean ns_ipnode_add_route(NsIpNode *node, NsPrefix prefix, NsIp4 via,
                             guint metric) {
  NsIpIface *iface = iface_on_link(node, via);
  if (iface == NULL)
    return FALSE;
  return ns_route_add(node->routes, ns_prefix_canonical(prefix), via,
                      iface->nic.index, metric,
                      prefix.len == 0 ? NS_ROUTE_DEFAULT : NS_ROUTE_STATIC);
}

/* ---- addresses at run time (the rules are in ipnode.h) ------------------ */

typedef struct {
  guint index;   /* the interface's */
  NsPrefix addr; /* its new address, 0.0.0.0/0 for none */
  NsPrefix keep; /* the connected route that stays (same subnet), or /33 */
} AddrChange;

static gboolean route_goes(const NsRoute *r, gpointer data) {
  const AddrChange *c = data;
  if (r->iface != c->index)
    return FALSE;
  if (r->kind == NS_ROUTE_CONNECTED)
    return r->prefix.len != c->keep.len || r->prefix.addr.v != c->keep.addr.v;
  return ns_ip4_is_zero(c->addr.addr) ||
         !ns_prefix_contains(c->addr, r->gateway);
}

static gboolean neighbour_goes(NsIp4 ip, gpointer data) {
  const AddrChange *c = data;
  return ns_ip4_is_zero(c->addr.addr) || !ns_prefix_contains(c->addr, ip);
}

static gboolean addr_allowed(NsIpNode *node, const NsIpIface *iface,
                             NsPrefix addr, GError **error) {
  char a[NS_PREFIX_STRLEN];
  const NsIpIface *owner = ns_ipnode_iface_by_addr(node, addr.addr);
  const char *why = NULL;
  if (addr.len > 32)
    why = "a prefix length is 0 to 32";
  else if (ns_ip4_is_multicast(addr.addr) ||
           ns_ip4_is_limited_broadcast(addr.addr) ||
           ns_ip4_is_loopback(addr.addr))
    why = "an interface address is unicast, outside 127.0.0.0/8";
  else if (owner != NULL && owner != iface)
    why = "another interface of the node has it";
  if (why == NULL)
    return TRUE;
  g_set_error(error, NS_ERROR, NS_ERROR_INVALID, _("%s %s: cannot take %s: %s"),
              node->name, iface->nic.name,
              ns_prefix_format((NsPrefix){addr.addr, MIN(addr.len, 32)}, a),
              why);
  return FALSE;
}

/* Datagrams that waited for a neighbour forgotten with the old subnet. */
static void drop_waiting(NsIpNode *node, GPtrArray *frames, NsTime now) {
  for (guint i = 0; i < frames->len; i++) {
    NsFrame *f = g_ptr_array_index(frames, i);
    NS_IPN_COUNT(node, arp_failed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", f->id, NULL,
                    "queued for a neighbour outside the new subnet: "
                    "dropped");
    ns_frame_unref(f);
  }
}

static void log_address(NsIpNode *node, const NsIpIface *iface, NsPrefix old,
                        guint routes, guint neighbours, NsTime now) {
  char a[NS_PREFIX_STRLEN] = "none", b[NS_PREFIX_STRLEN] = "none";
  if (!ns_ip4_is_zero(old.addr))
    ns_prefix_format(old, a);
  if (ns_ipnode_iface_has_addr(iface))
    ns_prefix_format(iface->addr, b);
  ns_log_printf(node->ctx->log, now, node->name, "ip/address", 0,
                N_("the connected route follows the address; routes whose "
                   "gateway is no longer on-link and neighbours outside the "
                   "subnet are forgotten"),
                "%s %s -> %s: %u route(s), %u ARP entr%s removed",
                iface->nic.name, a, b, routes, neighbours,
                neighbours == 1 ? "y" : "ies");
}

gboolean ns_ipnode_set_iface_addr(NsIpNode *node, NsIpIface *iface,
                                  NsPrefix addr, NsTime now, GError **error) {
  g_return_val_if_fail(node != NULL && iface != NULL, FALSE);
  g_return_val_if_fail(iface->nic.owner == node, FALSE);
  if (ns_ip4_is_zero(addr.addr))
    addr = (NsPrefix){{0}, 0};
  else if (!addr_allowed(node, iface, addr, error))
    return FALSE;
  NsPrefix old = iface->addr;
  if (old.addr.v == addr.addr.v && old.len == addr.len)
    return TRUE;
  AddrChange c = {iface->nic.index, addr, {{0}, 33}};
  if (!ns_ip4_is_zero(addr.addr) && !ns_ip4_is_zero(old.addr) &&
      addr.len == old.len && ns_prefix_contains(old, addr.addr))
    c.keep = ns_prefix_canonical(addr); /* same subnet */
  iface_set_addr(iface, addr);
  guint routes = ns_route_remove_if(node->routes, route_goes, &c);
  add_connected_route(node, iface);
  GPtrArray *waiting = g_ptr_array_new();
  guint neighbours =
      ns_arp_cache_remove_if(iface->arp, neighbour_goes, &c, waiting);
  if (ns_ipn_log_on(node))
    log_address(node, iface, old, routes, neighbours, now);
  drop_waiting(node, waiting, now);
  g_ptr_array_free(waiting, TRUE);
  return TRUE;
}

void ns_ipnode_clear_iface_addr(NsIpNode *node, NsIpIface *iface, NsTime now) {
  ns_ipnode_set_iface_addr(node, iface, (NsPrefix){{0}, 0}, now, NULL);
}

/* ---- listeners and protocol handlers ------------------------------------ */

void ns_ipnode_set_proto_handler(NsIpNode *node, guint8 proto,
                                 NsIpProtoHandler fn, gpointer data) {
  if (node->protos == NULL)
    node->protos = g_array_new(FALSE, FALSE, sizeof(NsIpProto));
  for (guint i = 0; i < node->protos->len; i++) {
    NsIpProto *p = &g_array_index(node->protos, NsIpProto, i);
    if (p->proto == proto) {
      p->fn = fn;
      p->data = data;
      return;
    }
  }
  NsIpProto p = {proto, fn, data};
  g_array_append_val(node->protos, p);
}

void ns_ipnode_set_proto_maker(NsIpNode *node, NsIpProtoMaker fn,
                               gpointer data) {
  node->proto_maker = fn;
  node->proto_maker_data = data;
}

/* ---- multicast groups ---------------------------------------------------- */

static NsIpGroup *find_group(const NsIpNode *node, NsIp4 group, guint *index) {
  for (guint i = 0; i < node->n_groups; i++) {
    NsIpGroup *g = &node->groups[i];
    if (g->group.v == group.v) {
      if (index != NULL)
        *index = i;
      return g;
    }
  }
  return NULL;
}

void ns_ipnode_join(NsIpNode *node, NsIp4 group) {
  g_return_if_fail(ns_ip4_is_multicast(group));
  NsIpGroup *g = find_group(node, group, NULL);
  if (g != NULL) {
    g->joins++;
    return;
  }
  /* Grown one at a time: a host joins one group (all hosts), rarely a
   * few. */
  node->groups =
      ns_slab_resize(node->ctx->slab, node->groups, node->n_groups * sizeof *g,
                     (node->n_groups + 1) * sizeof *g);
  g = &node->groups[node->n_groups++];
  *g = (NsIpGroup){.group = group, .joins = 1};
  ns_ipn_igmp_joined(node, g);
}

void ns_ipnode_leave(NsIpNode *node, NsIp4 group) {
  guint i;
  NsIpGroup *g = find_group(node, group, &i);
  g_return_if_fail(g != NULL); /* more leaves than joins */
  if (--g->joins > 0)
    return;
  node->n_groups--; /* keeps join order */
  memmove(g, g + 1, (node->n_groups - i) * sizeof *g);
  gsize n = node->n_groups;
  if (n == 0) {
    ns_slab_release(node->ctx->slab, node->groups, sizeof *g);
    node->groups = NULL;
  } else {
    node->groups = ns_slab_resize(node->ctx->slab, node->groups,
                                  (n + 1) * sizeof *g, n * sizeof *g);
  }
  ns_ipn_igmp_left(node, group);
}

gboolean ns_ipnode_is_member(const NsIpNode *node, NsIp4 group) {
  return find_group(node, group, NULL) != NULL;
}

guint ns_ipnode_n_groups(const NsIpNode *node) { return node->n_groups; }

NsIp4 ns_ipnode_group(const NsIpNode *node, guint i) {
  g_return_val_if_fail(i < node->n_groups, (NsIp4){0});
  return node->groups[i].group;
}

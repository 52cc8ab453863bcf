/* bridge.c — the bridges of a run: their sockets, counters and events.
 *
 * ns_bridges_new() opens every rule's socket before anything runs, so a
 * port in use is an error at startup, not a surprise later; it also lifts
 * the soft limit on open descriptors to the hard one (a bridge is a
 * server: a thousand clients need a thousand descriptors).
 */
#include "bridge/bridge_private.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BRIDGE_FIELD(f, about) NS_COUNTER_FIELD(NsBridgeCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_bridge_counter, NsBridgeCounters,
                           NS_BRIDGE_COUNTERS, BRIDGE_FIELD);

/* How often idle UDP mappings are looked for (wall seconds). */
#define EXPIRY_PERIOD_S 1

/* ---- shared helpers (bridge_private.h) ----------------------------------- */

gboolean ns_bridge_log_on(const NsBridge *br) {
  return ns_log_on(ns_net_log(br_net(br)));
}

void ns_bridge_log(NsBridge *br, const char *event, const char *why,
                   const char *fmt, ...) {
  NsLog *log = ns_net_log(br_net(br));
  if (!ns_log_on(log))
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  ns_log_event(log, br_now(br), br->name, event, 0,
               ns_log_explain(log) ? why : NULL, text);
}

char *ns_bridge_format_addr(GSocketAddress *a, char buf[48]) {
  if (a == NULL || !G_IS_INET_SOCKET_ADDRESS(a)) {
    g_strlcpy(buf, "?", 48);
    return buf;
  }
  GInetSocketAddress *ia = G_INET_SOCKET_ADDRESS(a);
  g_autofree char *host =
      g_inet_address_to_string(g_inet_socket_address_get_address(ia));
  g_snprintf(buf, 48, "%s:%u", host, g_inet_socket_address_get_port(ia));
  return buf;
}

static void linger_zero(int fd) {
  struct linger l = {.l_onoff = 1, .l_linger = 0};
  (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

void ns_bridge_reset_socket(GSocket *s) {
  linger_zero(g_socket_get_fd(s));
  g_socket_close(s, NULL);
  g_object_unref(s);
}

gboolean ns_bridge_shed_one(NsBridges *set, GSocket *listener) {
  if (set->reserve_fd < 0)
    return FALSE;
  close(set->reserve_fd);
  int fd = accept(g_socket_get_fd(listener), NULL, NULL);
  if (fd >= 0) {
    linger_zero(fd);
    close(fd);
  }
  set->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}

gssize ns_bridge_receive(NsBridges *set, GSocket *s, GSocketAddress **from) {
  for (guint tries = 0; tries < NS_VXLAN_BURST; tries++) {
    GError *err = NULL;
    *from = NULL;
    gssize n = g_socket_receive_from(s, from, (gchar *)set->scratch,
                                     NS_BRIDGE_SCRATCH, NULL, &err);
    if (n >= 0)
      return n;
    /* WOULD_BLOCK: done; anything else (an ICMP error from an earlier
     * send) concerns no datagram waiting: try the next. */
    gboolean again = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    g_error_free(err);
    if (again)
      return -1;
  }
  return -1; /* only errors: the watch calls again if more is waiting */
}

/* ---- opening the rules --------------------------------------------------- */

GSocketAddress *ns_bridge_socket_address(NsIp4 ip, guint16 port) {
  guint8 bytes[4];
  ns_ip4_store(bytes, ip);
  g_autoptr(GInetAddress) ia =
      g_inet_address_new_from_bytes(bytes, G_SOCKET_FAMILY_IPV4);
  return g_inet_socket_address_new(ia, port);
}

/* A non-blocking IPv4 socket of type (stream: TCP, datagram: UDP). */
static GSocket *new_socket(GSocketType type, GError **error) {
  gboolean tcp = type == G_SOCKET_TYPE_STREAM;
  GSocket *s =
      g_socket_new(G_SOCKET_FAMILY_IPV4, type,
                   tcp ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, error);
  if (s != NULL)
    g_socket_set_blocking(s, FALSE);
  return s;
}

GSocket *ns_bridge_connect_socket(GSocketType type, NsIp4 ip, guint16 port,
                                  GError **error) {
  GSocket *s = new_socket(type, error);
  if (s == NULL)
    return NULL;
  g_autoptr(GSocketAddress) sa = ns_bridge_socket_address(ip, port);
  GError *e = NULL;
  if (g_socket_connect(s, sa, NULL, &e) ||
      g_error_matches(e, G_IO_ERROR, G_IO_ERROR_PENDING)) {
    g_clear_error(&e);
    return s;
  }
  g_propagate_error(error, e);
  ns_bridge_reset_socket(s);
  return NULL;
}

static void on_listen_ready(GIOCondition cond, gpointer data) {
  Rule *r = data;
  (void)cond;
  if (r->rule.proto == NS_BRIDGE_TCP)
    ns_relay_accept_outside(r);
  else
    ns_map_receive_outside(r);
}

GSocket *ns_bridge_bind_socket(GSocketType type, NsIp4 ip, guint16 port,
                               guint16 *bound, GError **error) {
  gboolean tcp = type == G_SOCKET_TYPE_STREAM;
  GSocket *s = new_socket(type, error);
  if (s == NULL)
    return NULL;
  g_autoptr(GSocketAddress) sa = ns_bridge_socket_address(ip, port);
  /* TCP: SO_REUSEADDR, so that a restart finds its port free while old
   * connections sit in TIME-WAIT; never for UDP, where GLib would add
   * SO_REUSEPORT and two runs would share a port without a word. */
  g_autoptr(GSocketAddress) local = NULL;
  if (g_socket_bind(s, sa, tcp, error) &&
      (local = g_socket_get_local_address(s, error)) != NULL) {
    *bound = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
    return s;
  }
  g_socket_close(s, NULL);
  g_object_unref(s);
  return NULL;
}

/* listen: binds (and for TCP listens on) the outside address. */
static gboolean open_listen(Rule *r, GError **error) {
  gboolean tcp = r->rule.proto == NS_BRIDGE_TCP;
  r->sock = ns_bridge_bind_socket(
      tcp ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM, r->rule.outside_addr,
      r->rule.outside_port, &r->bound_port, error);
  if (r->sock == NULL)
    return FALSE;
  if (tcp) {
    g_socket_set_listen_backlog(r->sock, 1024);
    if (!g_socket_listen(r->sock, error))
      return FALSE;
  }
  r->watch = ns_watch_new(br_clock(r->br), g_socket_get_fd(r->sock), G_IO_IN,
                          on_listen_ready, r);
  return TRUE;
}

static void on_sim_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                          gpointer data) {
  (void)l;
  ns_relay_accept_sim(data, c, now);
}

static void on_sim_datagram(NsUdpSocket *sock, NsTime now, gpointer data) {
  (void)sock;
  ns_map_receive_sim(data, now);
}

/* connect: listens on the simulated side. */
static gboolean open_connect(Rule *r, GError **error) {
  NsNetNode *n = r->br->node;
  if (r->rule.proto == NS_BRIDGE_TCP) {
    r->tl = ns_tcp_listen(n->tcp, r->rule.sim_port, on_sim_accept, r, error);
    return r->tl != NULL;
  }
  NsUdpCallbacks cb = {.readable = on_sim_datagram, .data = r};
  r->us = ns_udp_open(n->udp, r->rule.sim_addr, r->rule.sim_port, &cb, error);
  return r->us != NULL;
}

/* The bridge's address a connect rule serves: its own, or the first. */
static NsIp4 served_addr(const Rule *r) {
  if (!ns_ip4_is_zero(r->rule.sim_addr))
    return r->rule.sim_addr;
  return ns_ipnode_iface(r->br->node->ip, 0)->addr.addr;
}

/* "tcp 127.0.0.1:41877 -> 192.168.2.10:80 (h3)", with the port bound and
 * the address a connect rule serves (g_free). */
static char *rule_text(const Rule *r) {
  NsBridgeRule shown = r->rule;
  if (shown.dir == NS_BRIDGE_CONNECT)
    shown.sim_addr = served_addr(r);
  return ns_bridge_rule_format(&shown, r->bound_port);
}

static void rule_free(Rule *r) {
  NsTime now = br_now(r->br);
  ns_watch_free(r->watch);
  if (r->sock != NULL) {
    g_socket_close(r->sock, NULL);
    g_object_unref(r->sock);
  }
  if (r->tl != NULL)
    ns_tcp_unlisten(r->tl, now);
  if (r->us != NULL)
    ns_udp_close(r->us);
  if (r->by_peer != NULL)
    g_hash_table_destroy(r->by_peer);
  g_free(r->rule.sim_name);
  g_free(r->rule.text);
  g_free(r);
}

static gboolean rule_open(NsBridge *br, const NsBridgeRule *src,
                          const char *source, GError **error) {
  Rule *r = g_new0(Rule, 1);
  r->br = br;
  r->rule = *src;
  r->rule.sim_name = g_strdup(src->sim_name);
  r->rule.text = g_strdup(src->text);
  if (src->proto == NS_BRIDGE_UDP)
    r->by_peer = g_hash_table_new(g_str_hash, g_str_equal);
  g_ptr_array_add(br->rules, r);
  GError *e = NULL;
  gboolean ok =
      src->dir == NS_BRIDGE_LISTEN ? open_listen(r, &e) : open_connect(r, &e);
  if (!ok) {
    char at[NS_ENDPOINT_STRLEN];
    g_set_error(
        error, NS_ERROR, NS_ERROR_INVALID,
        _("%s: [bridge %s] %s: %s: cannot open %s %s: %s"), source, br->name,
        src->dir == NS_BRIDGE_LISTEN ? "listen" : "connect", src->text,
        ns_bridge_proto_name(src->proto),
        src->dir == NS_BRIDGE_LISTEN
            ? ns_endpoint_format(src->outside_addr, src->outside_port, at)
            : ns_endpoint_format(served_addr(r), src->sim_port, at),
        e->message);
    g_error_free(e);
    return FALSE;
  }
  if (ns_bridge_log_on(br)) {
    g_autofree char *text = rule_text(r);
    ns_bridge_log(br, "bridge/listen",
                  src->dir == NS_BRIDGE_LISTEN
                      ? N_("outside programs may connect to the first address; "
                           "each connection is relayed to the second")
                      : N_("simulated clients of the first address are relayed "
                           "to the real server at the second"),
                  "%s %s", text,
                  src->dir == NS_BRIDGE_LISTEN ? "listening" : "forwarding");
  }
  return TRUE;
}

/* ---- the set --------------------------------------------------------------
 */

static void bridge_free(NsBridge *br) {
  while (br->relays->len > 0)
    ns_relay_free(g_ptr_array_index(br->relays, br->relays->len - 1));
  while (br->maps->len > 0)
    ns_map_free(g_ptr_array_index(br->maps, br->maps->len - 1));
  g_ptr_array_free(br->rules, TRUE);
  g_ptr_array_free(br->relays, TRUE);
  g_ptr_array_free(br->maps, TRUE);
  g_free(br->name);
  g_free(br);
}

static NsBridge *bridge_new(NsBridges *set, const NsTopoNode *tn) {
  NsBridge *br = g_new0(NsBridge, 1);
  br->set = set;
  br->name = g_strdup(tn->name);
  br->topo = tn->bridge;
  br->node = ns_net_find(set->net, tn->name);
  br->rules = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
  br->relays = g_ptr_array_new();
  br->maps = g_ptr_array_new();
  br->max_conns = tn->bridge->max_conns;
  br->udp_timeout = tn->bridge->udp_timeout;
  g_ptr_array_add(set->list, br);
  return br;
}

static gboolean on_expiry(gpointer data) {
  NsBridges *set = data;
  ns_clock_catch_up(set->clock);
  NsTime now = ns_net_now(set->net);
  for (guint i = 0; i < set->list->len; i++)
    ns_map_expire(g_ptr_array_index(set->list, i), now);
  ns_clock_rearm(set->clock);
  return G_SOURCE_CONTINUE;
}

/* A server's descriptors: the soft limit raised to the hard one. */
static void raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
  }
}

static gboolean open_all(NsBridges *set, const NsTopology *topo,
                         GError **error) {
  gboolean udp = FALSE;
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    if (tn->kind == NS_NODE_VXLAN &&
        !ns_vxlan_open(set, tn, topo->source, error))
      return FALSE;
    if (tn->kind != NS_NODE_BRIDGE || tn->bridge == NULL)
      continue;
    NsBridge *br = bridge_new(set, tn);
    for (guint j = 0; j < tn->bridge->rules->len; j++) {
      const NsBridgeRule *rule =
          &g_array_index(tn->bridge->rules, NsBridgeRule, j);
      udp |= rule->proto == NS_BRIDGE_UDP;
      if (!rule_open(br, rule, topo->source, error))
        return FALSE;
    }
  }
  if (udp) {
    GSource *s = g_timeout_source_new_seconds(EXPIRY_PERIOD_S);
    g_source_set_callback(s, on_expiry, set, NULL);
    set->expiry = g_source_attach(s, ns_clock_context(set->clock));
    g_source_unref(s);
  }
  return TRUE;
}

NsBridges *ns_bridges_new(NsNet *net, NsClock *clock, const NsTopology *topo,
                          GError **error) {
  g_return_val_if_fail(net != NULL && clock != NULL && topo != NULL, NULL);
  NsBridges *set = g_new0(NsBridges, 1);
  set->net = net;
  set->clock = clock;
  set->list = g_ptr_array_new_with_free_func((GDestroyNotify)bridge_free);
  set->vxlans = g_ptr_array_new_with_free_func((GDestroyNotify)ns_vxlan_free);
  set->scratch = g_malloc(NS_BRIDGE_SCRATCH);
  set->due = g_ptr_array_new();
  if (ns_topology_has_bridges(topo))
    raise_fd_limit();
  set->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (!open_all(set, topo, error)) {
    ns_bridges_free(set);
    return NULL;
  }
  return set;
}

void ns_bridges_free(NsBridges *set) {
  if (set == NULL)
    return;
  if (set->expiry != 0) {
    GSource *s = g_main_context_find_source_by_id(ns_clock_context(set->clock),
                                                  set->expiry);
    if (s != NULL)
      g_source_destroy(s);
  }
  if (set->flush != NULL) {
    g_source_destroy(set->flush);
    g_clear_pointer(&set->flush, g_source_unref);
  }
  g_ptr_array_free(set->list, TRUE);
  g_ptr_array_free(set->vxlans, TRUE);
  g_ptr_array_free(set->due, TRUE);
  if (set->reserve_fd >= 0)
    close(set->reserve_fd);
  g_free(set->scratch);
  g_free(set);
}

/* ---- accessors ------------------------------------------------------------
 */

guint ns_bridges_count(const NsBridges *set) { return set->list->len; }

NsBridge *ns_bridges_get(NsBridges *set, guint i) {
  g_return_val_if_fail(i < set->list->len, NULL);
  return g_ptr_array_index(set->list, i);
}

NsBridge *ns_bridges_find(NsBridges *set, const char *name) {
  for (guint i = 0; i < set->list->len; i++) {
    NsBridge *br = g_ptr_array_index(set->list, i);
    if (g_strcmp0(br->name, name) == 0)
      return br;
  }
  return NULL;
}

char **ns_bridges_ready_lines(NsBridges *set) {
  GPtrArray *lines = g_ptr_array_new();
  for (guint i = 0; i < set->list->len; i++) {
    NsBridge *br = g_ptr_array_index(set->list, i);
    for (guint j = 0; j < br->rules->len; j++) {
      Rule *r = g_ptr_array_index(br->rules, j);
      g_autofree char *text = rule_text(r);
      g_ptr_array_add(lines, g_strdup_printf("bridge %s: %s %s", br->name, text,
                                             r->rule.dir == NS_BRIDGE_LISTEN
                                                 ? "listening"
                                                 : "forwarding"));
    }
  }
  for (guint i = 0; i < set->vxlans->len; i++) {
    NsVxlan *v = g_ptr_array_index(set->vxlans, i);
    g_autofree char *text = ns_vxlan_text(v);
    g_ptr_array_add(lines, g_strdup_printf("vxlan %s: %s carrying",
                                           ns_vxlan_name(v), text));
  }
  g_ptr_array_add(lines, NULL);
  return (char **)g_ptr_array_free(lines, FALSE);
}

const char *ns_bridge_name(const NsBridge *br) { return br->name; }

const NsBridgeCounters *ns_bridge_counters(const NsBridge *br) {
  return &br->counters;
}

guint ns_bridge_n_rules(const NsBridge *br) { return br->rules->len; }

void ns_bridge_rule_info(const NsBridge *br, guint i, NsBridgeRuleInfo *out) {
  *out = (NsBridgeRuleInfo){0}; /* what a caller reads for no such rule */
  g_return_if_fail(i < br->rules->len);
  const Rule *r = g_ptr_array_index(br->rules, i);
  out->rule = &r->rule;
  out->bound_port = r->bound_port;
}

guint ns_bridge_n_conns(const NsBridge *br) {
  return br->relays->len + br->maps->len;
}

void ns_bridge_conn_info(const NsBridge *br, guint i, NsBridgeConnInfo *out) {
  g_return_if_fail(i < ns_bridge_n_conns(br));
  if (i < br->relays->len)
    ns_relay_info(g_ptr_array_index(br->relays, i), out);
  else
    ns_map_info(g_ptr_array_index(br->maps, i - br->relays->len), out);
}

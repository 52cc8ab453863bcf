/* topology_bridge.c — [bridge NAME]: a host whose services are real
 * sockets on this machine (see NsTopoBridge in topology.h): the host's own
 * keys, the keys every IP node has, and the bridge's own.  One rule's
 * syntax is topology_bridge_rule.c's; here is what needs the rest of the
 * file: forward, allow-remote, the bridge's addresses and services,
 * duplicates, and node names.
 *
 * When what loads: allow-remote and the limits as met; forward, listen
 * and connect late, in that order (after ip, so the bridge's addresses
 * and services are known, and the rules are listen's then connect's);
 * targets written as node names after every node has loaded
 * (ns_topo_resolve_bridges).
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <stddef.h>
#include <string.h>

#include "core/units.h"

#define MAX_CONNS_MAX 1000000
#define UDP_TIMEOUT_MAX (24 * 3600 * NS_SEC)

static NsTopoBridge *bridge_at(const Loader *ld, guint idx) {
  return node_at(ld, idx)->bridge;
}

static NsBridgeRule *rule_at(const NsTopoBridge *b, guint i) {
  return &g_array_index(b->rules, NsBridgeRule, i);
}

static void init_bridge(NsTopoNode *n) {
  NsTopoBridge *b = g_new0(NsTopoBridge, 1);
  b->rules = g_array_new(FALSE, TRUE, sizeof(NsBridgeRule));
  g_array_set_clear_func(b->rules, (GDestroyNotify)ns_topo_bridge_rule_clear);
  b->max_conns = NS_BRIDGE_DEFAULT_MAX_CONNS;
  b->udp_timeout = NS_BRIDGE_DEFAULT_UDP_TIMEOUT;
  n->bridge = b;
}

void ns_topo_bridge_free(NsTopoBridge *b) {
  if (b == NULL)
    return;
  g_array_unref(b->rules);
  g_free(b);
}

/* ---- allow-remote and the limits ---------------------------------------- */

/* The bridge's number rows have their fields in NsTopoBridge. */
static gpointer bridge_fields(NsTopoNode *n) { return n->bridge; }

/* ---- forward ------------------------------------------------------------- */

/* forward = TARGET:PORT.  A name stays a name until every node is
 * loaded. */
static gboolean parse_forward(Loader *ld, guint idx, NsIp4 *addr, char **name,
                              guint16 *port) {
  g_autofree char *v = ns_topo_get_value(ld, idx, "forward");
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  if (!ns_topo_bridge_target_parse(v, addr, name, port, &e))
    return ns_topo_fail_with(ld, section_of(ld, idx), "forward", NULL, e);
  return TRUE;
}

/* Checked even when no rule uses it. */
static gboolean load_forward(Loader *ld, guint idx, const char *key,
                             const TopoKey *row) {
  (void)key;
  (void)row;
  NsIp4 addr;
  g_autofree char *name = NULL;
  guint16 port;
  return parse_forward(ld, idx, &addr, &name, &port);
}

/* ---- the checks of one rule ---------------------------------------------- */

/* Each check passes the rules it does not concern.  r is rule ri of node
 * idx, appended already; the rules before it are checked. */
typedef gboolean (*RuleCheck)(Loader *ld, guint idx, const char *key,
                              NsBridgeRule *r, guint ri);

/* A listen rule without "-> TARGET:PORT" takes forward's. */
static gboolean use_forward(Loader *ld, guint idx, const char *key,
                            NsBridgeRule *r, guint ri) {
  (void)ri;
  if (r->dir != NS_BRIDGE_LISTEN || r->sim_port != 0)
    return TRUE;
  if (ns_topo_key_pos(ld, idx, "forward") < 0)
    return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                        _("'%s' has no target (expected '%s -> TARGET:PORT', "
                          "or a key forward = TARGET:PORT such as forward = "
                          "192.168.2.10:8080)"),
                        r->text, r->text);
  return parse_forward(ld, idx, &r->sim_addr, &r->sim_name, &r->sim_port);
}

static gboolean check_loopback(Loader *ld, guint idx, const char *key,
                               NsBridgeRule *r, guint ri) {
  (void)ri;
  if (bridge_at(ld, idx)->allow_remote || ns_ip4_is_loopback(r->outside_addr))
    return TRUE;
  char a[NS_IP4_STRLEN];
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, section_of(ld, idx), key,
      _("'%s': %s is outside 127.0.0.0/8, so other machines could %s "
        "(expected an address in 127.0.0.0/8 such as 127.0.0.1, or add "
        "allow-remote = true to [%s])"),
      r->text, ns_ip4_format(r->outside_addr, a),
      r->dir == NS_BRIDGE_LISTEN ? _("reach the simulated network")
                                 : _("be reached from the simulated network"),
      section_of(ld, idx));
}

/* Two listen rules bind the same socket: one protocol and port (not 0, any
 * free port) on one address, 0.0.0.0 being every address. */
static gboolean binds_same(const NsBridgeRule *a, const NsBridgeRule *b) {
  return a->dir == NS_BRIDGE_LISTEN && b->dir == NS_BRIDGE_LISTEN &&
         a->proto == b->proto && a->outside_port != 0 &&
         a->outside_port == b->outside_port &&
         (ns_ip4_equal(a->outside_addr, b->outside_addr) ||
          ns_ip4_is_zero(a->outside_addr) || ns_ip4_is_zero(b->outside_addr));
}

/* Against every listen rule before it in the file, other bridges' too. */
static gboolean check_listen_unique(Loader *ld, guint idx, const char *key,
                                    NsBridgeRule *r, guint ri) {
  for (guint i = 0; i <= idx; i++) {
    const NsTopoBridge *b = bridge_at(ld, i);
    guint n = b == NULL ? 0 : i == idx ? ri : b->rules->len;
    for (guint j = 0; j < n; j++) {
      const NsBridgeRule *o = rule_at(b, j);
      if (!binds_same(r, o))
        continue;
      char a[NS_ENDPOINT_STRLEN];
      g_autofree char *where =
          i == idx ? g_strdup("") : g_strdup_printf("[%s] ", section_of(ld, i));
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, section_of(ld, idx), key,
          _("'%s': %s %s is already listened on by %slisten '%s' (expected "
            "each protocol, address and port once)"),
          r->text, ns_bridge_proto_name(r->proto),
          ns_endpoint_format(r->outside_addr, r->outside_port, a), where,
          o->text);
    }
  }
  return TRUE;
}

static gboolean check_connect_unique(Loader *ld, guint idx, const char *key,
                                     NsBridgeRule *r, guint ri) {
  const NsTopoBridge *b = bridge_at(ld, idx);
  for (guint j = 0; r->dir == NS_BRIDGE_CONNECT && j < ri; j++) {
    const NsBridgeRule *o = rule_at(b, j);
    if (o->dir != NS_BRIDGE_CONNECT || o->proto != r->proto ||
        o->sim_port != r->sim_port)
      continue;
    g_autofree char *p = g_ascii_strup(ns_bridge_proto_name(r->proto), -1);
    return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                        _("'%s': %s port %u is already relayed by '%s' "
                          "(expected one connect rule per %s port on %s)"),
                        r->text, p, r->sim_port, o->text, p,
                        node_at(ld, idx)->name);
  }
  return TRUE;
}

/* A connect rule's SIMADDR is one of the bridge's addresses. */
static gboolean check_own_addr(Loader *ld, guint idx, const char *key,
                               NsBridgeRule *r, guint ri) {
  (void)ri;
  const NsTopoNode *n = node_at(ld, idx);
  if (r->dir != NS_BRIDGE_CONNECT || ns_ip4_is_zero(r->sim_addr))
    return TRUE;
  GString *own = g_string_new(NULL);
  for (guint i = 0; i < n->n_ifaces; i++) {
    NsIp4 a = iface_at(n, i)->addr.addr;
    if (ns_ip4_equal(a, r->sim_addr)) {
      g_string_free(own, TRUE);
      return TRUE;
    }
    char buf[NS_IP4_STRLEN];
    g_string_append_printf(own, "%s%s", i ? ", " : "", ns_ip4_format(a, buf));
  }
  char a[NS_IP4_STRLEN];
  ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
               _("'%s': %s is not an address of %s (expected one of %s, or no "
                 "address for any of them: %s:%u -> ...)"),
               r->text, ns_ip4_format(r->sim_addr, a), n->name, own->str,
               ns_bridge_proto_name(r->proto), r->sim_port);
  g_string_free(own, TRUE);
  return FALSE;
}

/* A connect rule's port is not one of the bridge's services'. */
static gboolean check_services(Loader *ld, guint idx, const char *key,
                               NsBridgeRule *r, guint ri) {
  (void)ri;
  const NsTopoNode *n = node_at(ld, idx);
  for (guint i = 0; r->dir == NS_BRIDGE_CONNECT && i < ns_topo_n_services(n);
       i++) {
    const NsServiceSpec *s = &g_array_index(n->services, NsServiceSpec, i);
    if (s->port != r->sim_port ||
        ns_service_kind_is_tcp(s->kind) != (r->proto == NS_BRIDGE_TCP))
      continue;
    g_autofree char *f = ns_service_spec_format(s);
    g_autofree char *p = g_ascii_strup(ns_bridge_proto_name(r->proto), -1);
    return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                        _("'%s': %s port %u is already taken by the service "
                          "'%s' (expected one service or connect rule per %s "
                          "port on %s)"),
                        r->text, p, r->sim_port, f, p, n->name);
  }
  return TRUE;
}

static const RuleCheck rule_checks[] = {
    use_forward,          check_loopback, check_listen_unique,
    check_connect_unique, check_own_addr, check_services,
};

/* ---- listen and connect -------------------------------------------------- */

static gboolean load_rules(Loader *ld, guint idx, const char *key,
                           const TopoKey *row, NsBridgeDir dir) {
  NsTopoBridge *b = bridge_at(ld, idx);
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, key);
  if (items == NULL)
    return FALSE;
  guint before = b->rules->len;
  for (guint k = 0; items[k] != NULL; k++) {
    if (*items[k] == '\0')
      continue; /* "a; b;" */
    NsBridgeRule r;
    GError *e = NULL;
    if (!ns_topo_bridge_rule_parse(dir, items[k], &r, &e))
      return ns_topo_fail_with(ld, section_of(ld, idx), key, NULL, e);
    g_array_append_val(b->rules, r);
    guint ri = b->rules->len - 1;
    for (guint c = 0; c < G_N_ELEMENTS(rule_checks); c++)
      if (!rule_checks[c](ld, idx, key, rule_at(b, ri), ri))
        return FALSE;
  }
  if (b->rules->len > before)
    return TRUE;
  return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                      _("no rules (expected %s = %s)"), key, row->value);
}

static gboolean load_listen(Loader *ld, guint idx, const char *key,
                            const TopoKey *row) {
  return load_rules(ld, idx, key, row, NS_BRIDGE_LISTEN);
}

static gboolean load_connect(Loader *ld, guint idx, const char *key,
                             const TopoKey *row) {
  return load_rules(ld, idx, key, row, NS_BRIDGE_CONNECT);
}

#define BRIDGE_FIELD(f) offsetof(NsTopoBridge, f)

/* forward before listen: the late rows load in this order. */
static const TopoKey bridge_keys[] = {
    {"forward", "TARGET:PORT",
     "the target of listen rules written without -> TARGET:PORT: an address "
     "or a host, router or bridge named (its first address), such as h3:80",
     .load = load_forward, .late = TRUE},
    {"listen", "[PROTO:][ADDR:]PORT [-> TARGET:PORT]; ...",
     "real clients that connect to ADDR:PORT on this machine (PROTO tcp or "
     "udp, default tcp; ADDR default 127.0.0.1; PORT 0 any free port) are "
     "relayed to TARGET:PORT in the simulated network",
     .load = load_listen, .late = TRUE},
    {"connect", "[PROTO:][SIMADDR:]PORT -> [ADDR:]PORT; ...",
     "simulated clients that reach the bridge's PORT (at SIMADDR, default any "
     "of its addresses) are relayed to the real server ADDR:PORT (ADDR "
     "default 127.0.0.1)",
     .load = load_connect, .late = TRUE},
    {"allow-remote", "true|false",
     "let ADDR be outside 127.0.0.0/8, so other machines can reach or be "
     "reached (default false)",
     .load = ns_topo_load_bool, .field = BRIDGE_FIELD(allow_remote),
     .base = bridge_fields},
    {"max-connections", "N",
     "TCP connections relayed at once, 1-1000000 (default 1024); more are "
     "refused",
     .load = ns_topo_load_uint, .field = BRIDGE_FIELD(max_conns), .min = 1,
     .max = MAX_CONNS_MAX, .base = bridge_fields},
    {"udp-timeout", "TIME",
     "how long a UDP peer's mapping lasts without a datagram, up to 1 day "
     "(default 60s)",
     .load = ns_topo_load_time, .field = BRIDGE_FIELD(udp_timeout),
     .max = UDP_TIMEOUT_MAX, .base = bridge_fields},
    {.name = NULL},
};

/* A host's checks, and at least one rule. */
static gboolean validate_bridge(Loader *ld, guint idx) {
  if (!ns_topo_validate_host(ld, idx))
    return FALSE;
  if (ns_topo_key_pos(ld, idx, "listen") >= 0 ||
      ns_topo_key_pos(ld, idx, "connect") >= 0)
    return TRUE;
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, section_of(ld, idx), NULL,
      _("has no rules (expected listen = [PROTO:][ADDR:]PORT -> TARGET:PORT "
        "or connect = [PROTO:][SIMADDR:]PORT -> [ADDR:]PORT, such as listen = "
        "tcp:127.0.0.1:8080 -> 192.168.2.10:8080)"));
}

/* ---- targets, once every node is loaded ---------------------------------- */

/* A listen target that is the bridge itself would loop back into it. */
static gboolean check_not_self(Loader *ld, guint idx, const char *key,
                               const char *quote, guint target) {
  if (target != idx)
    return TRUE;
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, section_of(ld, idx), key,
      _("'%s': the target is %s itself (expected another node: "
        "a bridge relays to a server elsewhere in the simulated "
        "network)"),
      quote, node_at(ld, idx)->name);
}

/* A target written as a name: that node's first address. */
static gboolean resolve_name(Loader *ld, guint idx, const char *key,
                             const char *quote, NsBridgeRule *r) {
  const char *sec = section_of(ld, idx);
  gpointer p = g_hash_table_lookup(ld->byname, r->sim_name);
  if (p == NULL)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                        _("'%s': no node named '%s' (expected an IPv4 address "
                          "or the name of a host, router or bridge)"),
                        quote, r->sim_name);
  guint target = GPOINTER_TO_UINT(p) - 1;
  const NsTopoNode *t = node_at(ld, target);
  if (t->n_ifaces == 0)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                        _("'%s': '%s' is a %s, which has no address (expected "
                          "a host, router or bridge, such as h3)"),
                        quote, t->name, ns_node_kind_word(t->kind));
  r->sim_addr = iface_at(t, 0)->addr.addr;
  return check_not_self(ld, idx, key, quote, target);
}

static gboolean resolve_rule(Loader *ld, guint idx, NsBridgeRule *r) {
  if (r->dir != NS_BRIDGE_LISTEN)
    return TRUE;
  /* Without an arrow the target came from forward. */
  gboolean forward = strstr(r->text, "->") == NULL;
  const char *key = forward ? "forward" : "listen";
  g_autofree char *quote =
      forward ? ns_topo_get_value(ld, idx, key) : g_strdup(r->text);
  if (quote == NULL)
    return FALSE;
  if (r->sim_name != NULL)
    return resolve_name(ld, idx, key, quote, r);
  gpointer p = g_hash_table_lookup(ld->ips, GUINT_TO_POINTER(r->sim_addr.v));
  if (p == NULL)
    return TRUE; /* an address of no node: allowed, it is just unreachable */
  guint owner = GPOINTER_TO_UINT(p) - 1;
  r->sim_name = g_strdup(node_at(ld, owner)->name);
  return check_not_self(ld, idx, key, quote, owner);
}

gboolean ns_topo_resolve_bridges(Loader *ld) {
  for (guint i = 0; i < ld->t->nodes->len; i++) {
    const NsTopoBridge *b = bridge_at(ld, i);
    for (guint j = 0; b != NULL && j < b->rules->len; j++)
      if (!resolve_rule(ld, i, rule_at(b, j)))
        return FALSE;
  }
  return TRUE;
}

/* ---- --check lines ------------------------------------------------------- */

static void describe_bridge(const NsTopology *t, guint idx, const GArray *links,
                            GPtrArray *lines) {
  const NsTopoBridge *b =
      ((const NsTopoNode *)g_ptr_array_index(t->nodes, idx))->bridge;
  char t1[NS_TIME_STRLEN];
  ns_topo_describe_stack(t, idx, links, lines);
  for (guint i = 0; i < b->rules->len; i++) {
    const NsBridgeRule *r = rule_at(b, i);
    gboolean listen = r->dir == NS_BRIDGE_LISTEN;
    g_autofree char *f = ns_bridge_rule_format(r, 0);
    g_ptr_array_add(
        lines, g_strdup_printf(
                   "%s %s%s", listen ? "listen" : "connect", f,
                   listen && r->outside_port == 0 ? ", any free port" : ""));
  }
  if (b->allow_remote)
    g_ptr_array_add(lines, g_strdup("allow-remote: addresses beyond "
                                    "127.0.0.0/8 allowed"));
  if (b->max_conns != NS_BRIDGE_DEFAULT_MAX_CONNS ||
      b->udp_timeout != NS_BRIDGE_DEFAULT_UDP_TIMEOUT)
    g_ptr_array_add(lines,
                    g_strdup_printf("at most %u connections, UDP mappings "
                                    "idle out after %s",
                                    b->max_conns,
                                    ns_time_format(b->udp_timeout, t1)));
}

static const TopoKey *const bridge_tables[] = {
    ns_topo_host_keys, ns_topo_stack_keys, bridge_keys, NULL};

const TopoKind ns_topo_bridge_kind = {
    .kind = NS_NODE_BRIDGE,
    .name = N_("bridge"), /* translated where a message names the kind */
    .plural = "bridges",
    .count_one = N_("%u bridge"),
    .count_many = N_("%u bridges"),
    .example = "web",
    .count_rank = 3,
    .keys = bridge_tables,
    .validate = validate_bridge,
    .describe = describe_bridge,
    .init = init_bridge,
};

gboolean ns_topology_has_bridges(const NsTopology *t) {
  for (guint i = 0; i < t->nodes->len; i++) {
    NsNodeKind k = ((const NsTopoNode *)g_ptr_array_index(t->nodes, i))->kind;
    if (k == NS_NODE_BRIDGE || k == NS_NODE_VXLAN)
      return TRUE;
  }
  return FALSE;
}

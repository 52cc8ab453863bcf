/* topology_stack.c — the keys every IP node (host, router) shares:
 * interfaces, gateway, routes, ARP settings, services, TCP; and their
 * --check lines.  Links are recorded as declared (LinkDecl) and resolved
 * later, in topology_links.c, once every node and interface exists.
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <stddef.h>
#include <string.h>

#include "core/units.h"

#define IFACE_NAME_MAX_LEN 15
#define ROUTE_METRIC_MAX 65535

#define TIME_WAIT_MAX (3600 * NS_SEC)
#define DELAYED_ACK_MAX (500 * NS_MSEC) /* RFC 9293 3.8.6.3: under 0.5 s */
#define TCP_BUF_MIN 65536

/* tcp-profile = linux|minimal */
static gboolean load_tcp_profile(Loader *ld, guint idx, const char *key,
                                 const TopoKey *row) {
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  if (ns_tcp_profile_parse(v, &node_at(ld, idx)->tcp_profile))
    return TRUE;
  return ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
                      _("'%s' is not a TCP profile (expected linux or "
                        "minimal: %s)"),
                      v, row->doc);
}

/* services = SERVICE; SERVICE; ...  (see net/services.h) */
static gboolean load_services(Loader *ld, guint idx, const char *key,
                              const TopoKey *row) {
  (void)row;
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, key);
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    if (*items[k] == '\0')
      continue; /* "a; b;" */
    NsServiceSpec spec;
    GError *e = NULL;
    if (!ns_service_spec_parse(items[k], &spec, &e))
      return ns_topo_fail_with(ld, sec, key, NULL, e);
    gboolean tcp = ns_service_kind_is_tcp(spec.kind);
    for (guint i = 0; i < ns_topo_n_services(n); i++) {
      const NsServiceSpec *o = &g_array_index(n->services, NsServiceSpec, i);
      if (o->port != spec.port || ns_service_kind_is_tcp(o->kind) != tcp)
        continue;
      g_autofree char *f = ns_service_spec_format(o);
      const char *proto = tcp ? "TCP" : "UDP";
      ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                   _("'%s': %s port %u is already taken by '%s' (expected one "
                     "service per %s port on %s)"),
                   items[k], proto, spec.port, f, proto, n->name);
      ns_service_spec_clear(&spec);
      return FALSE;
    }
    if (n->services == NULL) {
      n->services = g_array_new(FALSE, TRUE, sizeof(NsServiceSpec));
      g_array_set_clear_func(n->services,
                             (GDestroyNotify)ns_service_spec_clear);
    }
    g_array_append_val(n->services, spec);
  }
  return TRUE;
}

static IfaceSpan span_of(NsPrefix p, guint iface) {
  NsIp4 net = ns_prefix_canonical(p).addr;
  return (IfaceSpan){net.v, ns_prefix_broadcast(p).v, iface};
}

static gint span_order(gconstpointer a, gconstpointer b, gpointer data) {
  (void)data;
  const IfaceSpan *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* For g_tree_search: 0 where the span meets want; else which way to go.
 * The spans in the tree never meet each other, so the search is a binary
 * one. */
static gint span_meets(gconstpointer key, gconstpointer want) {
  const IfaceSpan *s = key, *w = want;
  if (s->end < w->start)
    return 1;
  return s->start > w->end ? -1 : 0;
}

static void add_span(IfaceIndex *ix, NsPrefix p, guint iface) {
  IfaceSpan *s = g_new(IfaceSpan, 1);
  *s = span_of(p, iface);
  g_tree_insert(ix->spans, s, s);
}

static IfaceIndex *iface_index(NodeState *st) {
  if (st->big == NULL)
    st->big = g_new0(IfaceIndex, 1);
  return st->big;
}

void ns_topo_iface_index_free(IfaceIndex *ix) {
  if (ix == NULL)
    return;
  if (ix->spans != NULL)
    g_tree_unref(ix->spans);
  if (ix->iface_names != NULL)
    g_hash_table_unref(ix->iface_names);
  g_free(ix);
}

/* The interface of node idx whose subnet overlaps p (one contains the
 * other), or -1.  A walk of the interfaces while they are few, a search
 * of their spans after. */
static gint overlapping(Loader *ld, guint idx, NsPrefix p) {
  const NsTopoNode *n = node_at(ld, idx);
  NodeState *st = state_at(ld, idx);
  if (n->n_ifaces < INDEX_IFACES) {
    for (guint i = 0; i < n->n_ifaces; i++) {
      const NsTopoIface *f = iface_at(n, i);
      guint len = MIN(f->addr.len, p.len);
      if (((f->addr.addr.v ^ p.addr.v) & ns_prefix_mask(len).v) == 0)
        return (gint)i;
    }
    return -1;
  }
  IfaceIndex *ix = iface_index(st);
  if (ix->spans == NULL) {
    ix->spans = g_tree_new_full(span_order, NULL, g_free, NULL);
    for (guint i = 0; i < n->n_ifaces; i++)
      add_span(ix, iface_at(n, i)->addr, i);
  }
  IfaceSpan want = span_of(p, 0);
  const IfaceSpan *s = g_tree_search(ix->spans, span_meets, &want);
  return s != NULL ? (gint)s->iface : -1;
}

gint ns_topo_iface_named(Loader *ld, guint idx, const char *name) {
  const NsTopoNode *n = node_at(ld, idx);
  NodeState *st = state_at(ld, idx);
  if (n->n_ifaces <= INDEX_IFACES) {
    for (guint i = 0; i < n->n_ifaces; i++)
      if (strcmp(iface_at(n, i)->name, name) == 0)
        return (gint)i;
    return -1;
  }
  IfaceIndex *ix = iface_index(st);
  if (ix->iface_names == NULL)
    ix->iface_names = g_hash_table_new(g_str_hash, g_str_equal);
  for (; ix->names_indexed < n->n_ifaces; ix->names_indexed++)
    g_hash_table_insert(ix->iface_names,
                        (gpointer)iface_at(n, ix->names_indexed)->name,
                        GUINT_TO_POINTER(ix->names_indexed + 1));
  return (gint)GPOINTER_TO_UINT(g_hash_table_lookup(ix->iface_names, name)) - 1;
}

gboolean ns_topo_add_iface(Loader *ld, guint idx, const char *key,
                           const char *mac_key, NsTopoIface *ifc) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  char a[NS_IP4_STRLEN], p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN];
  gpointer other =
      g_hash_table_lookup(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v));
  if (other != NULL) {
    const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
    const char *oname = "?";
    for (guint i = 0; i < o->n_ifaces; i++)
      if (ns_ip4_equal(iface_at(o, i)->addr.addr, ifc->addr.addr))
        oname = iface_at(o, i)->name;
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("%s is already the address of %s %s (expected every address "
          "once in the network)"),
        ns_ip4_format(ifc->addr.addr, a), o->name, oname);
  }
  gint clash = overlapping(ld, idx, ifc->addr);
  if (clash >= 0) {
    const NsTopoIface *f = iface_at(n, (guint)clash);
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("%s overlaps %s %s (expected each interface of %s in a "
          "subnet of its own)"),
        ns_prefix_format(ifc->addr, p1), f->name, ns_prefix_format(f->addr, p2),
        n->name);
  }
  if (ifc->has_mac) {
    char m[NS_MAC_STRLEN];
    ns_mac_format(ifc->mac, m);
    if (ns_mac_is_multicast(ifc->mac) || ns_mac_is_zero(ifc->mac))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, mac_key,
          _("%s is a %s MAC (expected a unicast MAC: first byte even, "
            "such as 02:00:00:00:00:01)"),
          m, ns_mac_is_zero(ifc->mac) ? _("zero") : _("group (multicast)"));
    other = g_hash_table_lookup(ld->macs, m);
    if (other != NULL) {
      const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
      const char *oname = "?";
      for (guint i = 0; i < o->n_ifaces; i++)
        if (iface_at(o, i)->has_mac &&
            ns_mac_equal(iface_at(o, i)->mac, ifc->mac))
          oname = iface_at(o, i)->name;
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, mac_key,
          _("%s is already the MAC of %s %s (expected every MAC once in "
            "the network)"),
          m, o->name, oname);
    }
    g_hash_table_insert(ld->macs, g_strdup(m), GUINT_TO_POINTER(idx + 1));
  }
  g_hash_table_insert(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v),
                      GUINT_TO_POINTER(idx + 1));
  NodeState *st = state_at(ld, idx);
  if (st->big != NULL && st->big->spans != NULL)
    add_span(st->big, ifc->addr, n->n_ifaces);
  n->ifaces = g_renew(NsTopoIface, n->ifaces, n->n_ifaces + 1);
  n->ifaces[n->n_ifaces++] = *ifc;
  gint none = -1;
  g_array_append_val(state_at(ld, idx)->iface_link, none);
  ifc->name = NULL; /* now owned by n->ifaces */
  return TRUE;
}

gboolean ns_topo_load_iface_key(Loader *ld, guint idx, const char *key,
                                const TopoKey *row) {
  (void)row;
  const char *sec = section_of(ld, idx);
  if (strlen(key) > IFACE_NAME_MAX_LEN)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("interface name too long (expected at most %d characters)"),
        IFACE_NAME_MAX_LEN);
  g_autofree char *raw = ns_topo_get_value(ld, idx, key);
  if (raw == NULL)
    return FALSE;
  /* "10.0.0.1/24@sw1", "10.0.0.1/24@ sw1" and "10.0.0.1/24 @ sw1" are
   * the same: give the '@' white space of its own before splitting. */
  g_auto(GStrv) at = g_strsplit(raw, "@", -1);
  g_autofree char *v = g_strjoinv(" @ ", at);
  g_auto(GStrv) w = ns_topo_split_words(v);
  if (w[0] == NULL)
    return ns_topo_fail(
        ld, NS_ERROR_PARSE, sec, key,
        _("empty value (expected ADDR/LEN [@ PEER] [params] [mac=MAC], "
          "such as 192.168.1.1/24 @ sw1)"));
  NsTopoIface ifc = {0};
  if (!ns_topo_parse_iface_addr(ld, idx, key, w[0], &ifc.addr))
    return FALSE;
  guint i = 1;
  const char *peer = NULL;
  if (w[i] != NULL && w[i][0] == '@') {
    peer = w[i][1] != '\0' ? w[i] + 1 : w[++i];
    if (peer == NULL)
      return ns_topo_fail(
          ld, NS_ERROR_PARSE, sec, key,
          _("'@' without a peer (expected @ SWITCH or @ NODE:IFACE, "
            "such as @ sw1 or @ r2:eth0)"));
    i++;
  }
  LinkDecl d;
  ns_topo_decl_init(&d, idx, (gint)node_at(ld, idx)->n_ifaces, key, peer);
  if (!ns_topo_parse_params(ld, idx, key, w + i, &d, &ifc)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  if (peer == NULL && d.given != 0) {
    ns_topo_decl_clear(&d);
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("link parameters need a peer (expected ADDR/LEN @ PEER "
          "[params]; without @, give them where the link is declared)"));
  }
  ifc.name = g_intern_string(key);
  if (!ns_topo_add_iface(ld, idx, key, key, &ifc)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* The subnets of node n as "a/len, b/len" (for messages). */
static char *subnets_of(const NsTopoNode *n) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n->n_ifaces; i++) {
    char p[NS_PREFIX_STRLEN];
    g_string_append_printf(
        s, "%s%s", i ? ", " : "",
        ns_prefix_format(ns_prefix_canonical(iface_at(n, i)->addr), p));
  }
  return g_string_free(s, FALSE);
}

/* A gateway or next hop: inside one of the node's subnets, a host address
 * there, and not the node's own. */
static gboolean check_next_hop(Loader *ld, guint idx, const char *key,
                               const char *what, NsIp4 via) {
  const NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  char a[NS_IP4_STRLEN];
  ns_ip4_format(via, a);
  for (guint i = 0; i < n->n_ifaces; i++) {
    const NsTopoIface *f = iface_at(n, i);
    if (!ns_prefix_contains(f->addr, via))
      continue;
    if (ns_ip4_equal(f->addr.addr, via))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, key,
          _("%s%s is %s's own address (expected a neighbour's address, "
            "such as a router on %s's subnet)"),
          what, a, n->name, f->name);
    if (ns_ip4_equal(via, ns_prefix_network(f->addr)) ||
        ns_ip4_equal(via, ns_prefix_broadcast(f->addr)))
      return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                          _("%s%s is the %s address of %s's subnet (expected a "
                            "neighbour's address)"),
                          what, a,
                          ns_ip4_equal(via, ns_prefix_network(f->addr))
                              ? _("network")
                              : _("broadcast"),
                          f->name);
    return TRUE;
  }
  g_autofree char *nets = subnets_of(n);
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, sec, key,
      _("%s%s is not on-link (expected an address inside one of %s's "
        "subnets: %s)"),
      what, a, n->name, n->n_ifaces ? nets : "none");
}

gboolean ns_topo_load_gateway(Loader *ld, guint idx, const char *key,
                              const TopoKey *row) {
  (void)row;
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  NsTopoNode *n = node_at(ld, idx);
  if (!ns_ip4_parse(v, &n->gateway, &e))
    return ns_topo_fail_with(ld, section_of(ld, idx), key, NULL, e);
  return check_next_hop(ld, idx, key, "", n->gateway);
}

/* route = PREFIX via ADDR [metric N]; ... */
static gboolean load_routes(Loader *ld, guint idx, const char *key,
                            const TopoKey *row) {
  (void)row;
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  GError *e = NULL;
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, key);
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    const char *item = items[k];
    if (*item == '\0')
      continue; /* "a; b;" */
    g_auto(GStrv) w = ns_topo_split_words(item);
    guint nw = g_strv_length(w);
    if (!(nw == 3 || nw == 5) || strcmp(w[1], "via") != 0 ||
        (nw == 5 && strcmp(w[3], "metric") != 0))
      return ns_topo_fail(
          ld, NS_ERROR_PARSE, sec, key,
          _("'%s' is not a route (expected PREFIX via ADDR [metric N], "
            "such as 10.0.0.0/8 via 192.168.1.1 or 0.0.0.0/0 via "
            "192.168.1.1)"),
          item);
    NsTopoRoute r = {.metric = 1};
    if (strcmp(w[0], "default") == 0)
      r.prefix = (NsPrefix){{0}, 0};
    else if (!ns_prefix_parse(w[0], TRUE, &r.prefix, &e))
      return ns_topo_fail_with(ld, sec, key, NULL, e);
    char p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN], a[NS_IP4_STRLEN];
    NsPrefix c = ns_prefix_canonical(r.prefix);
    if (!ns_ip4_equal(c.addr, r.prefix.addr))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, key,
          _("%s has host bits set (expected the network address %s)"),
          ns_prefix_format(r.prefix, p1), ns_prefix_format(c, p2));
    if (!ns_ip4_parse(w[2], &r.via, &e))
      return ns_topo_fail_with(ld, sec, key, NULL, e);
    if (!check_next_hop(ld, idx, key, "via ", r.via))
      return FALSE;
    guint64 m = 1;
    if (nw == 5 && !ns_topo_parse_uint(w[4], ROUTE_METRIC_MAX, &m))
      return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                          _("metric '%s' is not a whole number from 0 to %u"),
                          w[4], ROUTE_METRIC_MAX);
    r.metric = (guint)m;
    if (r.prefix.len == 0 && !ns_ip4_is_zero(n->gateway))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, key,
          _("a default route 0.0.0.0/0 and gateway = %s both given "
            "(expected one of them)"),
          ns_ip4_format(n->gateway, a));
    for (guint i = 0; i < ns_topo_n_routes(n); i++) {
      const NsTopoRoute *o = &g_array_index(n->routes, NsTopoRoute, i);
      if (o->prefix.len == r.prefix.len &&
          ns_ip4_equal(o->prefix.addr, r.prefix.addr) && o->metric == r.metric)
        return ns_topo_fail(
            ld, NS_ERROR_INVALID, sec, key,
            _("%s metric %u given twice (expected one route per "
              "destination and metric)"),
            ns_prefix_format(r.prefix, p1), r.metric);
    }
    if (n->routes == NULL)
      n->routes = g_array_new(FALSE, TRUE, sizeof(NsTopoRoute));
    g_array_append_val(n->routes, r);
  }
  return TRUE;
}

#define NODE_FIELD(f) offsetof(NsTopoNode, f)

const TopoKey ns_topo_stack_keys[] = {
    {"route", "PREFIX via ADDR [metric N]; ...",
     "static routes; the next hop inside one of the node's subnets, metric "
     "0-65535 (default 1); 0.0.0.0/0 (or default) is the default route",
     .load = load_routes, .late = TRUE},
    {"arp-timeout", "TIME",
     "how long an ARP answer stays valid, up to 1 day (default 60s)",
     .load = ns_topo_load_time, .field = NODE_FIELD(arp.reachable_time),
     .max = 24 * 3600 * NS_SEC},
    {"arp-retry", "TIME",
     "time between ARP requests while resolving, up to 1h (default 1s)",
     .load = ns_topo_load_time, .field = NODE_FIELD(arp.retry_interval),
     .max = 3600 * NS_SEC},
    {"arp-retries", "N",
     "requests before giving up with host unreachable, 1-100 (default 3)",
     .load = ns_topo_load_uint, .field = NODE_FIELD(arp.retries), .min = 1,
     .max = NS_ARP_RETRIES_MAX},
    {"arp-cache-size", "N", "ARP cache entries, 1-1000000 (default 256)",
     .load = ns_topo_load_uint, .field = NODE_FIELD(arp.capacity), .min = 1,
     .max = 1000000},
    {"services", "SERVICE; ...",
     "servers the node runs: tcp-echo PORT, udp-echo PORT, tcp-reply PORT "
     "[once] "
     "TEXT, http PORT, udp-listen PORT [group G]; one per TCP and UDP port",
     .load = load_services},
    {"answer-broadcast-ping", "true|false",
     "answer echo requests sent to a broadcast or multicast address; Linux "
     "ignores them (icmp_echo_ignore_broadcasts), and so does netsim by "
     "default (false)",
     .load = ns_topo_load_bool, .field = NODE_FIELD(answer_broadcast_ping)},
    {"tcp-time-wait", "TIME",
     "how long a closed TCP connection stays in TIME-WAIT, up to 1h "
     "(default 1s)",
     .load = ns_topo_load_time, .field = NODE_FIELD(tcp_time_wait),
     .max = TIME_WAIT_MAX},
    {"tcp-profile", "linux|minimal",
     "how TCP speaks: linux (default: window scaling, timestamps and SACK "
     "offered in the SYN, buffers that grow, 10 segments at first) or "
     "minimal (RFC 9293 alone: the MSS option, a 64 KiB window)",
     .load = load_tcp_profile},
    {"tcp-delayed-ack", "TIME",
     "acknowledge every second full segment, or after TIME at most (as "
     "Linux's 40ms), up to 500ms (default: every segment at once)",
     .load = ns_topo_load_time, .field = NODE_FIELD(tcp_delayed_ack),
     .max = DELAYED_ACK_MAX},
    {"tcp-rmem-max", "N",
     "bytes a TCP receive buffer may grow to, 65536-1073741824 (default "
     "6291456, Linux's tcp_rmem[2]; the linux profile only)",
     .load = ns_topo_load_uint, .field = NODE_FIELD(tcp_rmem_max),
     .min = TCP_BUF_MIN, .max = NS_TCP_BUF_LIMIT},
    {"tcp-wmem-max", "N",
     "bytes a TCP send buffer may grow to, 65536-1073741824 (default "
     "4194304, Linux's tcp_wmem[2]; the linux profile only)",
     .load = ns_topo_load_uint, .field = NODE_FIELD(tcp_wmem_max),
     .min = TCP_BUF_MIN, .max = NS_TCP_BUF_LIMIT},
    {.name = NULL},
};

/* ---- --check lines ------------------------------------------------------- */

/* Appends " -> " and the far end of link li (-1: none) at node idx, or
 * " (not connected)". */
static void append_iface_peer(GString *s, const NsTopology *t, guint idx,
                              gint li) {
  if (li < 0) {
    g_string_append(s, " (not connected)");
    return;
  }
  const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, li);
  g_string_append(s, " -> ");
  ns_topo_append_end_name(s, t, l->a.node == idx ? l->b : l->a);
}

static void describe_ifaces(const NsTopology *t, guint idx, const GArray *links,
                            GPtrArray *lines) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  char a[NS_IP4_STRLEN], p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN];
  /* Each interface's link, in one walk of the node's links (the first
   * that names it). */
  g_autofree gint *link_of = g_new(gint, MAX(n->n_ifaces, 1u));
  for (guint i = 0; i < n->n_ifaces; i++)
    link_of[i] = -1;
  for (guint k = links->len; k-- > 0;) {
    guint li = g_array_index(links, guint, k);
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, li);
    if (l->a.node == idx && l->a.iface < n->n_ifaces)
      link_of[l->a.iface] = (gint)li;
    if (l->b.node == idx && l->b.iface < n->n_ifaces)
      link_of[l->b.iface] = (gint)li;
  }
  for (guint i = 0; i < n->n_ifaces; i++) {
    const NsTopoIface *f = iface_at(n, i);
    GString *s = g_string_new(f->name);
    g_string_append_c(s, ' ');
    g_string_append(s, ns_prefix_format(f->addr, p));
    if (f->has_mac) {
      g_string_append(s, " mac ");
      g_string_append(s, ns_mac_format(f->mac, m));
    }
    if (!ns_ip4_is_zero(n->gateway) &&
        ns_prefix_contains(f->addr, n->gateway)) {
      g_string_append(s, " gw ");
      g_string_append(s, ns_ip4_format(n->gateway, a));
    }
    append_iface_peer(s, t, idx, link_of[i]);
    g_ptr_array_add(lines, g_string_free(s, FALSE));
  }
}

/* The TCP keys that are not the default, on one line. */
static void describe_tcp(const NsTopoNode *n, GPtrArray *lines) {
  char t[NS_TIME_STRLEN];
  GString *s = g_string_new(NULL);
  if (n->tcp_profile != NS_TCP_PROFILE_LINUX)
    g_string_append_printf(s, " profile %s",
                           ns_tcp_profile_name(n->tcp_profile));
  if (n->tcp_delayed_ack != 0)
    g_string_append_printf(s, " delayed-ack %s",
                           ns_time_format(n->tcp_delayed_ack, t));
  if (n->tcp_rmem_max != 0)
    g_string_append_printf(s, " rmem-max %u", n->tcp_rmem_max);
  if (n->tcp_wmem_max != 0)
    g_string_append_printf(s, " wmem-max %u", n->tcp_wmem_max);
  if (s->len > 0)
    g_ptr_array_add(lines, g_strdup_printf("tcp%s", s->str));
  g_string_free(s, TRUE);
}

void ns_topo_describe_stack(const NsTopology *t, guint idx, const GArray *links,
                            GPtrArray *lines) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  char a[NS_IP4_STRLEN], p[NS_PREFIX_STRLEN], t1[NS_TIME_STRLEN],
      t2[NS_TIME_STRLEN];
  describe_ifaces(t, idx, links, lines);
  for (guint i = 0; i < ns_topo_n_routes(n); i++) {
    const NsTopoRoute *r = &g_array_index(n->routes, NsTopoRoute, i);
    g_ptr_array_add(lines,
                    g_strdup_printf("route %s via %s metric %u",
                                    ns_prefix_format(r->prefix, p),
                                    ns_ip4_format(r->via, a), r->metric));
  }
  const NsArpConfig *d = &ns_arp_default_config;
  if (memcmp(&n->arp, d, sizeof *d) != 0)
    g_ptr_array_add(lines,
                    g_strdup_printf("arp timeout %s, retry every %s, %u "
                                    "requests, cache %u entries",
                                    ns_time_format(n->arp.reachable_time, t1),
                                    ns_time_format(n->arp.retry_interval, t2),
                                    n->arp.retries, n->arp.capacity));
  if (ns_topo_n_services(n) > 0) {
    /* ';' as in the file: a tcp-reply text may hold commas. */
    GString *sv = g_string_new("services ");
    for (guint i = 0; i < n->services->len; i++) {
      g_autofree char *f =
          ns_service_spec_format(&g_array_index(n->services, NsServiceSpec, i));
      g_string_append_printf(sv, "%s%s", i ? "; " : "", f);
    }
    g_ptr_array_add(lines, g_string_free(sv, FALSE));
  }
  if (n->tcp_time_wait != 0)
    g_ptr_array_add(lines,
                    g_strdup_printf("tcp time-wait %s",
                                    ns_time_format(n->tcp_time_wait, t1)));
  describe_tcp(n, lines);
}

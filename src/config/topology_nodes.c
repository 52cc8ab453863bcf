/* topology_nodes.c — the keys of one section: a host's ip/link/mac or
 * interface keys, a router's interfaces, gateway and routes, ARP and MAC
 * table settings.  Links are recorded as declared (LinkDecl) and resolved
 * later, in topology_links.c, once every node and interface exists.
 */
#include "config/topology_private.h"

#include <string.h>

#include "core/text.h"

#define IFACE_NAME_MAX_LEN 15
#define ROUTE_METRIC_MAX 65535

#define TIME_WAIT_MAX (3600 * NS_SEC)

static const char *const host_keys[] = {
    "ip",        "gateway",       "link",
    "mac",       "route",         "arp-timeout",
    "arp-retry", "arp-retries",   "arp-cache-size",
    "services",  "tcp-time-wait", NULL};
static const char *const router_keys[] = {
    "route",          "arp-timeout", "arp-retry",     "arp-retries",
    "arp-cache-size", "services",    "tcp-time-wait", NULL};
static const char *const switch_keys[] = {"link", "fdb-size", "aging", NULL};

static gboolean load_arp_key(Loader *ld, guint idx, const char *key) {
  NsArpConfig *arp = &node_at(ld, idx)->arp;
  if (strcmp(key, "arp-timeout") == 0)
    return ns_topo_key_time(ld, idx, key, 24 * 3600 * NS_SEC,
                            &arp->reachable_time);
  if (strcmp(key, "arp-retry") == 0)
    return ns_topo_key_time(ld, idx, key, 3600 * NS_SEC, &arp->retry_interval);
  if (strcmp(key, "arp-retries") == 0)
    return ns_topo_key_uint(ld, idx, key, 1, 100, &arp->retries);
  return ns_topo_key_uint(ld, idx, key, 1, 1000000, &arp->capacity);
}

/* services = SERVICE; SERVICE; ...  (see net/services.h) */
static gboolean load_services(Loader *ld, guint idx) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, "services");
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    if (*items[k] == '\0')
      continue; /* "a; b;" */
    NsServiceSpec spec;
    GError *e = NULL;
    if (!ns_service_spec_parse(items[k], &spec, &e))
      return ns_topo_fail_with(ld, sec, "services", NULL, e);
    gboolean tcp = ns_service_kind_is_tcp(spec.kind);
    for (guint i = 0; i < n->services->len; i++) {
      const NsServiceSpec *o = &g_array_index(n->services, NsServiceSpec, i);
      if (o->port != spec.port || ns_service_kind_is_tcp(o->kind) != tcp)
        continue;
      g_autofree char *f = ns_service_spec_format(o);
      const char *proto = tcp ? "TCP" : "UDP";
      ns_topo_fail(ld, NS_ERROR_INVALID, sec, "services",
                   "'%s': %s port %u is already taken by '%s' (expected one "
                   "service per %s port on %s)",
                   items[k], proto, spec.port, f, proto, n->name);
      ns_service_spec_clear(&spec);
      return FALSE;
    }
    g_array_append_val(n->services, spec);
  }
  return TRUE;
}

/* The keys hosts and routers share beyond interfaces and routes. */
static gboolean is_stack_key(const char *key) {
  return (g_str_has_prefix(key, "arp-") && ns_topo_in_list(key, host_keys)) ||
         strcmp(key, "services") == 0 || strcmp(key, "tcp-time-wait") == 0;
}

static gboolean load_stack_key(Loader *ld, guint idx, const char *key) {
  if (strcmp(key, "services") == 0)
    return load_services(ld, idx);
  if (strcmp(key, "tcp-time-wait") == 0)
    return ns_topo_key_time(ld, idx, key, TIME_WAIT_MAX,
                            &node_at(ld, idx)->tcp_time_wait);
  return load_arp_key(ld, idx, key);
}

/* Appends ifc (taking its name) after the network-wide checks. */
static gboolean add_iface(Loader *ld, guint idx, const char *key,
                          const char *mac_key, NsTopoIface *ifc) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  char a[NS_IP4_STRLEN], p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN];
  gpointer other =
      g_hash_table_lookup(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v));
  if (other != NULL) {
    const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
    const char *oname = "?";
    for (guint i = 0; i < o->ifaces->len; i++)
      if (ns_ip4_equal(iface_at(o, i)->addr.addr, ifc->addr.addr))
        oname = iface_at(o, i)->name;
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        "%s is already the address of %s %s (expected every address "
        "once in the network)",
        ns_ip4_format(ifc->addr.addr, a), o->name, oname);
  }
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    guint len = MIN(f->addr.len, ifc->addr.len);
    if (((f->addr.addr.v ^ ifc->addr.addr.v) & ns_prefix_mask(len).v) == 0)
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, key,
          "%s overlaps %s %s (expected each interface of %s in a "
          "subnet of its own)",
          ns_prefix_format(ifc->addr, p1), f->name,
          ns_prefix_format(f->addr, p2), n->name);
  }
  if (ifc->has_mac) {
    char m[NS_MAC_STRLEN];
    ns_mac_format(ifc->mac, m);
    if (ns_mac_is_multicast(ifc->mac) || ns_mac_is_zero(ifc->mac))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, mac_key,
          "%s is a %s MAC (expected a unicast MAC: first byte even, "
          "such as 02:00:00:00:00:01)",
          m, ns_mac_is_zero(ifc->mac) ? "zero" : "group (multicast)");
    other = g_hash_table_lookup(ld->macs, m);
    if (other != NULL) {
      const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
      const char *oname = "?";
      for (guint i = 0; i < o->ifaces->len; i++)
        if (iface_at(o, i)->has_mac &&
            ns_mac_equal(iface_at(o, i)->mac, ifc->mac))
          oname = iface_at(o, i)->name;
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, mac_key,
          "%s is already the MAC of %s %s (expected every MAC once in "
          "the network)",
          m, o->name, oname);
    }
    g_hash_table_insert(ld->macs, g_strdup(m), GUINT_TO_POINTER(idx + 1));
  }
  g_hash_table_insert(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v),
                      GUINT_TO_POINTER(idx + 1));
  g_array_append_val(n->ifaces, *ifc);
  gint none = -1;
  g_array_append_val(state_at(ld, idx)->iface_link, none);
  ifc->name = NULL; /* now owned by n->ifaces */
  return TRUE;
}

/* IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC] */
static gboolean load_iface_key(Loader *ld, guint idx, const char *key) {
  const char *sec = section_of(ld, idx);
  if (strlen(key) > IFACE_NAME_MAX_LEN)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        "interface name too long (expected at most %d characters)",
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
        "empty value (expected ADDR/LEN [@ PEER] [params] [mac=MAC], "
        "such as 192.168.1.1/24 @ sw1)");
  NsTopoIface ifc = {0};
  GError *e = NULL;
  if (!ns_prefix_parse(w[0], FALSE, &ifc.addr, &e))
    return ns_topo_fail_with(ld, sec, key, NULL, e);
  if (!ns_topo_check_iface_addr(ld, idx, key, ifc.addr))
    return FALSE;
  guint i = 1;
  const char *peer = NULL;
  if (w[i] != NULL && w[i][0] == '@') {
    peer = w[i][1] != '\0' ? w[i] + 1 : w[++i];
    if (peer == NULL)
      return ns_topo_fail(
          ld, NS_ERROR_PARSE, sec, key,
          "'@' without a peer (expected @ SWITCH or @ NODE:IFACE, "
          "such as @ sw1 or @ r2:eth0)");
    i++;
  }
  LinkDecl d;
  ns_topo_decl_init(&d, idx, (gint)node_at(ld, idx)->ifaces->len, key, peer);
  if (!ns_topo_parse_params(ld, idx, key, w + i, &d, &ifc)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  if (peer == NULL && d.given != 0) {
    ns_topo_decl_clear(&d);
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        "link parameters need a peer (expected ADDR/LEN @ PEER "
        "[params]; without @, give them where the link is declared)");
  }
  ifc.name = g_strdup(key);
  if (!add_iface(ld, idx, key, key, &ifc)) {
    g_free(ifc.name);
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* A host's ip + link + mac keys: interface eth0. */
static gboolean load_ip_style(Loader *ld, guint idx) {
  const char *sec = section_of(ld, idx);
  state_at(ld, idx)->ip_style = TRUE;
  NsTopoIface ifc = {0};
  GError *e = NULL;
  g_autofree char *ip = ns_topo_get_value(ld, idx, "ip");
  if (ip == NULL)
    return FALSE;
  if (!ns_prefix_parse(ip, FALSE, &ifc.addr, &e))
    return ns_topo_fail_with(ld, sec, "ip", NULL, e);
  if (!ns_topo_check_iface_addr(ld, idx, "ip", ifc.addr))
    return FALSE;
  if (g_key_file_has_key(ld->kf, ld->groups[idx], "mac", NULL)) {
    g_autofree char *mac = ns_topo_get_value(ld, idx, "mac");
    if (mac == NULL)
      return FALSE;
    if (!ns_mac_parse(mac, &ifc.mac, &e))
      return ns_topo_fail_with(ld, sec, "mac", NULL, e);
    ifc.has_mac = TRUE;
  }
  if (!g_key_file_has_key(ld->kf, ld->groups[idx], "link", NULL))
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, NULL,
                        "missing key 'link' (expected link = SWITCH or link = "
                        "ROUTER:IFACE, such as link = sw1)");
  g_autofree char *link = ns_topo_get_value(ld, idx, "link");
  if (link == NULL)
    return FALSE;
  g_auto(GStrv) w = ns_topo_split_words(link);
  if (w[0] == NULL)
    return ns_topo_fail(ld, NS_ERROR_PARSE, sec, "link",
                        "empty value (expected SWITCH or ROUTER:IFACE, then "
                        "optional parameters, such as sw1 delay=1ms)");
  LinkDecl d;
  ns_topo_decl_init(&d, idx, 0, "link", w[0]);
  if (!ns_topo_parse_params(ld, idx, "link", w + 1, &d, NULL)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  ifc.name = g_strdup("eth0");
  if (!add_iface(ld, idx, "ip", "mac", &ifc)) {
    g_free(ifc.name);
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* The subnets of node n as "a/len, b/len" (for messages). */
static char *subnets_of(const NsTopoNode *n) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n->ifaces->len; i++) {
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
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    if (!ns_prefix_contains(f->addr, via))
      continue;
    if (ns_ip4_equal(f->addr.addr, via))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, key,
          "%s%s is %s's own address (expected a neighbour's address, "
          "such as a router on %s's subnet)",
          what, a, n->name, f->name);
    if (ns_ip4_equal(via, ns_prefix_network(f->addr)) ||
        ns_ip4_equal(via, ns_prefix_broadcast(f->addr)))
      return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                          "%s%s is the %s address of %s's subnet (expected a "
                          "neighbour's address)",
                          what, a,
                          ns_ip4_equal(via, ns_prefix_network(f->addr))
                              ? "network"
                              : "broadcast",
                          f->name);
    return TRUE;
  }
  g_autofree char *nets = subnets_of(n);
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, sec, key,
      "%s%s is not on-link (expected an address inside one of %s's "
      "subnets: %s)",
      what, a, n->name, n->ifaces->len ? nets : "none");
}

static gboolean load_gateway(Loader *ld, guint idx) {
  g_autofree char *v = ns_topo_get_value(ld, idx, "gateway");
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  NsTopoNode *n = node_at(ld, idx);
  if (!ns_ip4_parse(v, &n->gateway, &e))
    return ns_topo_fail_with(ld, section_of(ld, idx), "gateway", NULL, e);
  return check_next_hop(ld, idx, "gateway", "", n->gateway);
}

/* route = PREFIX via ADDR [metric N]; ... */
static gboolean load_routes(Loader *ld, guint idx) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  GError *e = NULL;
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, "route");
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
          ld, NS_ERROR_PARSE, sec, "route",
          "'%s' is not a route (expected PREFIX via ADDR [metric N], "
          "such as 10.0.0.0/8 via 192.168.1.1 or 0.0.0.0/0 via "
          "192.168.1.1)",
          item);
    NsTopoRoute r = {.metric = 1};
    if (strcmp(w[0], "default") == 0)
      r.prefix = (NsPrefix){{0}, 0};
    else if (!ns_prefix_parse(w[0], TRUE, &r.prefix, &e))
      return ns_topo_fail_with(ld, sec, "route", NULL, e);
    char p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN], a[NS_IP4_STRLEN];
    NsPrefix c = ns_prefix_canonical(r.prefix);
    if (!ns_ip4_equal(c.addr, r.prefix.addr))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, "route",
          "%s has host bits set (expected the network address %s)",
          ns_prefix_format(r.prefix, p1), ns_prefix_format(c, p2));
    if (!ns_ip4_parse(w[2], &r.via, &e))
      return ns_topo_fail_with(ld, sec, "route", NULL, e);
    if (!check_next_hop(ld, idx, "route", "via ", r.via))
      return FALSE;
    guint64 m = 1;
    if (nw == 5 && !ns_topo_parse_uint(w[4], ROUTE_METRIC_MAX, &m))
      return ns_topo_fail(ld, NS_ERROR_INVALID, sec, "route",
                          "metric '%s' is not a whole number from 0 to %u",
                          w[4], ROUTE_METRIC_MAX);
    r.metric = (guint)m;
    if (r.prefix.len == 0 && !ns_ip4_is_zero(n->gateway))
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, "route",
          "a default route 0.0.0.0/0 and gateway = %s both given "
          "(expected one of them)",
          ns_ip4_format(n->gateway, a));
    for (guint i = 0; i < n->routes->len; i++) {
      const NsTopoRoute *o = &g_array_index(n->routes, NsTopoRoute, i);
      if (o->prefix.len == r.prefix.len &&
          ns_ip4_equal(o->prefix.addr, r.prefix.addr) && o->metric == r.metric)
        return ns_topo_fail(ld, NS_ERROR_INVALID, sec, "route",
                            "%s metric %u given twice (expected one route per "
                            "destination and metric)",
                            ns_prefix_format(r.prefix, p1), r.metric);
    }
    g_array_append_val(n->routes, r);
  }
  return TRUE;
}

static gboolean fail_unknown_key(Loader *ld, guint idx, const char *key,
                                 const char *const *list, gboolean ifaces) {
  GString *exp = g_string_new(NULL);
  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf(exp, "%s%s", i ? ", " : "", list[i]);
  if (ifaces)
    g_string_append(exp, " or interface keys such as eth0 = ADDR/LEN @ PEER");
  const char *hint = ns_text_closest(key, list);
  g_autofree char *dym =
      hint ? g_strdup_printf("did you mean '%s'? ", hint) : g_strdup("");
  ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
               "unknown key (%sexpected %s)", dym, exp->str);
  g_string_free(exp, TRUE);
  return FALSE;
}

static gboolean load_host(Loader *ld, guint idx, char **keys) {
  const char *sec = section_of(ld, idx);
  const char *first_iface = NULL;
  gboolean has_ip = FALSE, has_gw = FALSE, has_routes = FALSE;
  const char *link_or_mac = NULL;
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    if (strcmp(key, "ip") == 0)
      has_ip = TRUE;
    else if (strcmp(key, "link") == 0 || strcmp(key, "mac") == 0)
      link_or_mac = link_or_mac ? link_or_mac : key;
    else if (strcmp(key, "gateway") == 0)
      has_gw = TRUE;
    else if (strcmp(key, "route") == 0)
      has_routes = TRUE;
    else if (is_stack_key(key)) {
      if (!load_stack_key(ld, idx, key))
        return FALSE;
    } else if (ns_topo_is_iface_name(key)) {
      if (has_ip)
        return ns_topo_fail(
            ld, NS_ERROR_INVALID, sec, key,
            "interface keys cannot be mixed with ip (expected either "
            "ip = ADDR/LEN with link = PEER, or only interface keys)");
      if (!load_iface_key(ld, idx, key))
        return FALSE;
      first_iface = first_iface ? first_iface : key;
    } else {
      return fail_unknown_key(ld, idx, key, host_keys, TRUE);
    }
  }
  if (has_ip && first_iface != NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, "ip",
        "cannot be mixed with interface keys such as %s (expected "
        "either ip = ADDR/LEN with link = PEER, or only interface keys)",
        first_iface);
  if (!has_ip && first_iface == NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, NULL,
        "missing key 'ip' (expected ip = ADDR/LEN, such as ip = "
        "192.168.1.10/24, or interface keys such as eth0 = "
        "192.168.1.10/24 @ sw1)");
  if (!has_ip && link_or_mac != NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, link_or_mac,
        "only used with ip (with interface keys, write the peer and "
        "MAC on the interface: %s = ADDR/LEN @ PEER mac=MAC)",
        first_iface);
  if (has_ip && !load_ip_style(ld, idx))
    return FALSE;
  if (has_gw && !load_gateway(ld, idx))
    return FALSE;
  return !has_routes || load_routes(ld, idx);
}

static gboolean load_router(Loader *ld, guint idx, char **keys) {
  gboolean has_routes = FALSE;
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    if (strcmp(key, "route") == 0)
      has_routes = TRUE;
    else if (is_stack_key(key)) {
      if (!load_stack_key(ld, idx, key))
        return FALSE;
    } else if (ns_topo_is_iface_name(key)) {
      if (!load_iface_key(ld, idx, key))
        return FALSE;
    } else {
      return fail_unknown_key(ld, idx, key, router_keys, TRUE);
    }
  }
  if (node_at(ld, idx)->ifaces->len == 0)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, idx), NULL,
        "has no interfaces (expected at least one, such as eth0 = "
        "192.168.1.1/24 @ sw1)");
  return !has_routes || load_routes(ld, idx);
}

/* link = SWITCH [params]; SWITCH [params]; ... */
static gboolean load_switch_links(Loader *ld, guint idx) {
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, "link");
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    g_auto(GStrv) w = ns_topo_split_words(items[k]);
    if (w[0] == NULL)
      continue; /* "sw2;" */
    LinkDecl d;
    ns_topo_decl_init(&d, idx, -1, "link", w[0]);
    if (!ns_topo_parse_params(ld, idx, "link", w + 1, &d, NULL)) {
      ns_topo_decl_clear(&d);
      return FALSE;
    }
    g_array_append_val(ld->decls, d);
  }
  return TRUE;
}

static gboolean load_switch(Loader *ld, guint idx, char **keys) {
  NsTopoNode *n = node_at(ld, idx);
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    gboolean ok;
    if (strcmp(key, "link") == 0)
      ok = load_switch_links(ld, idx);
    else if (strcmp(key, "fdb-size") == 0)
      ok = ns_topo_key_uint(ld, idx, key, 1, 1000000, &n->fdb_size);
    else if (strcmp(key, "aging") == 0)
      ok = ns_topo_key_time(ld, idx, key, 1000000 * NS_SEC, &n->aging);
    else
      ok = fail_unknown_key(ld, idx, key, switch_keys, FALSE);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

gboolean ns_topo_load_node(Loader *ld, guint idx) {
  gsize nkeys;
  g_auto(GStrv) keys =
      g_key_file_get_keys(ld->kf, ld->groups[idx], &nkeys, NULL);
  if (keys == NULL)
    return TRUE;
  /* GKeyFile keeps the last of two equal keys silently; a second one is
   * almost always a mistake. */
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize k = 0; k < nkeys; k++)
    if (!g_hash_table_add(seen, keys[k]))
      return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), keys[k],
                          "given twice (expected each key once in a section)");
  switch (node_at(ld, idx)->kind) {
  case NS_NODE_HOST:
    return load_host(ld, idx, keys);
  case NS_NODE_ROUTER:
    return load_router(ld, idx, keys);
  default:
    return load_switch(ld, idx, keys);
  }
}

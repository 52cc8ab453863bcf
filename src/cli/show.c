/* show.c — the `show` reports of one node or link at a time: arp, mac,
 * route, links, nodes. */
#include "cli/show_private.h"
#include "core/i18n.h"

#include "core/units.h"
#include "net/link_params.h"

#include <string.h>

/* ---- formatting --------------------------------------------------------- */

/* Prints v with one decimal, dropping a ".0". */
static void one_decimal(char *buf, gsize size, double v, const char *unit) {
  g_snprintf(buf, size, "%.1f", v);
  gsize len = strlen(buf);
  if (len > 2 && strcmp(buf + len - 2, ".0") == 0)
    buf[len - 2] = '\0';
  g_strlcat(buf, unit, size);
}

char *ns_show_duration(NsTime t, char buf[NS_TIME_STRLEN]) {
  if (t == 0)
    g_strlcpy(buf, "0", NS_TIME_STRLEN);
  else if (t >= NS_SEC)
    one_decimal(buf, NS_TIME_STRLEN, (double)t / NS_SEC, "s");
  else if (t >= NS_MSEC)
    one_decimal(buf, NS_TIME_STRLEN, (double)t / NS_MSEC, "ms");
  else if (t >= NS_USEC)
    one_decimal(buf, NS_TIME_STRLEN, (double)t / NS_USEC, "us");
  else
    g_snprintf(buf, NS_TIME_STRLEN, "%" G_GUINT64_FORMAT "ns", t);
  return buf;
}

/* ---- helpers ------------------------------------------------------------ */

const char *ns_show_peer(const NsNic *nic, char *buf, gsize size) {
  if (nic->link == NULL) {
    g_strlcpy(buf, "-", size);
    return buf;
  }
  const NsNic *peer = ns_link_peer(nic->link, nic);
  g_snprintf(buf, size, "%s:%s%s", peer->node, peer->name,
             ns_link_is_up(nic->link) ? "" : " (down)");
  return buf;
}

const char *ns_show_addr_port(NsIp4 ip, guint16 port, char *buf, gsize size) {
  g_assert(size >= NS_ENDPOINT_STRLEN);
  if (ns_ip4_is_zero(ip))
    g_snprintf(buf, size, "*:%u", port);
  else
    ns_endpoint_format(ip, port, buf);
  return buf;
}

/* "h1:eth0" for the interface that has mac anywhere in the net, or NULL. */
static char *mac_owner(NsNet *net, NsMac mac) {
  guint j;
  NsNetNode *n = ns_net_node_of_mac(net, mac, &j);
  if (n == NULL)
    return NULL;
  NsIpIface *ifc = ns_ipnode_iface(n->ip, j);
  char a[NS_IP4_STRLEN];
  return g_strdup_printf("%s:%s (%s)", n->name, ifc->nic.name,
                         ns_ip4_format(ifc->addr.addr, a));
}

static const char *kind_name(const NsNetNode *n) {
  return ns_node_kind_name(n->kind);
}

/* ---- show arp ----------------------------------------------------------- */

static const NsColumn arp_columns[] = {
    {N_("IP"), NS_ALIGN_LEFT},      {N_("NODE"), NS_ALIGN_LEFT},
    {N_("MAC"), NS_ALIGN_LEFT},     {N_("STATE"), NS_ALIGN_LEFT},
    {N_("TIMER"), NS_ALIGN_LEFT},   {N_("REQUESTS"), NS_ALIGN_RIGHT},
    {N_("QUEUED"), NS_ALIGN_RIGHT},
};

static void arp_row(NsTable *t, NsNet *net, const NsArpEntry *e,
                    const NsArpConfig *cfg) {
  NsTime now = ns_net_now(net);
  char a[NS_IP4_STRLEN], m[NS_MAC_STRLEN], d[NS_TIME_STRLEN];
  const char *owner = ns_net_name_of(net, e->ip);
  NsTime left = e->deadline > now ? e->deadline - now : 0;
  ns_table_cell(t, "%s", ns_ip4_format(e->ip, a));
  ns_table_cell(t, "%s", owner ? owner : "?");
  if (e->state == NS_ARP_REACHABLE) {
    ns_table_cell(t, "%s", ns_mac_format(e->mac, m));
    ns_table_cell(t, "%s", ns_arp_state_name(e->state));
    ns_table_cell(t, _("expires in %s"), ns_show_duration(left, d));
    ns_table_cell(t, "-");
    ns_table_cell(t, "-");
  } else {
    ns_table_cell(t, "%s", _("(unknown)"));
    ns_table_cell(t, "%s", ns_arp_state_name(e->state));
    ns_table_cell(t, _("retry in %s"), ns_show_duration(left, d));
    ns_table_cell(t, _("%u of %u"), e->requests, cfg->retries);
    ns_table_cell(t, "%u", e->npending);
  }
}

static void arp_iface(NsReport *r, NsNet *net, NsIpIface *ifc) {
  char p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN];
  NsReport *s = ns_report_add_section(r, "%s  %s  %s", ifc->nic.name,
                                      ns_prefix_format(ifc->addr, p),
                                      ns_mac_format(ifc->nic.mac, m));
  GPtrArray *entries = ns_arp_cache_entries(ifc->arp, ns_net_now(net));
  if (entries->len == 0) {
    ns_report_add_note(s, _("(empty)"));
  } else {
    NsTable *t = ns_table_new(arp_columns, G_N_ELEMENTS(arp_columns));
    for (guint i = 0; i < entries->len; i++)
      arp_row(t, net, g_ptr_array_index(entries, i),
              ns_arp_cache_config(ifc->arp));
    ns_report_add_table(s, t);
  }
  g_ptr_array_unref(entries);
}

NsReport *ns_show_arp(const NsShowSource *src, NsNetNode *node) {
  NsNet *net = src->net;
  g_return_val_if_fail(node != NULL && node->ip != NULL, NULL);
  NsReport *r = ns_report_new();
  char d[NS_TIME_STRLEN];
  g_autofree char *live = NULL;
  if (ns_ipnode_n_ifaces(node->ip) > 0) {
    const NsArpConfig *cfg =
        ns_arp_cache_config(ns_ipnode_iface(node->ip, 0)->arp);
    live = g_strdup_printf(_(", entries live %s"),
                           ns_show_duration(cfg->reachable_time, d));
  }
  NsReport *s =
      ns_report_add_section(r, _("ARP cache of %s (%s)%s"), node->name,
                            ns_node_kind_word(node->kind), live ? live : "");
  for (guint i = 0; i < ns_ipnode_n_ifaces(node->ip); i++)
    arp_iface(s, net, ns_ipnode_iface(node->ip, i));
  return r;
}

/* ---- show mac ----------------------------------------------------------- */

static const NsColumn mac_columns[] = {
    {N_("PORT"), NS_ALIGN_RIGHT}, {N_("LINK TO"), NS_ALIGN_LEFT},
    {N_("MAC"), NS_ALIGN_LEFT},   {N_("OWNER"), NS_ALIGN_LEFT},
    {N_("AGE"), NS_ALIGN_RIGHT},
};

static NsTable *mac_table(NsNet *net, NsNetNode *node, GArray *entries) {
  NsTime now = ns_net_now(net);
  NsTable *t = ns_table_new(mac_columns, G_N_ELEMENTS(mac_columns));
  for (guint i = 0; i < entries->len; i++) {
    const NsFdbEntry *e = &g_array_index(entries, NsFdbEntry, i);
    char m[NS_MAC_STRLEN], peer[96], d[NS_TIME_STRLEN];
    NsNic *nic = ns_switch_port(node->sw, e->port);
    g_autofree char *owner = mac_owner(net, e->mac);
    ns_table_cell(t, "%u", e->port);
    ns_table_cell(t, "%s", nic ? ns_show_peer(nic, peer, sizeof peer) : "-");
    ns_table_cell(t, "%s", ns_mac_format(e->mac, m));
    ns_table_cell(t, "%s", owner ? owner : "?");
    ns_table_cell(t, "%s", ns_show_duration(now - e->seen, d));
  }
  return t;
}

NsReport *ns_show_mac(const NsShowSource *src, NsNetNode *node) {
  NsNet *net = src->net;
  g_return_val_if_fail(node != NULL && node->sw != NULL, NULL);
  NsFdb *fdb = ns_switch_fdb(node->sw);
  GArray *entries = ns_fdb_entries(fdb, ns_net_now(net));
  char d[NS_TIME_STRLEN];
  NsTime aging = ns_fdb_aging(fdb);
  NsReport *r = ns_report_new();
  NsReport *s = ns_report_add_section(
      r,
      ngettext("MAC table of %s: %u entry (capacity %u, aging %s)",
               "MAC table of %s: %u entries (capacity %u, aging %s)",
               entries->len),
      node->name, entries->len, ns_fdb_capacity(fdb),
      aging == NS_TIME_NEVER ? _("never") : ns_show_duration(aging, d));
  guint64 aged = ns_fdb_aged_count(fdb);
  if (entries->len == 0 && aged > 0)
    ns_report_add_note(s,
                       _("(empty: every entry aged out, %llu so far: no frame "
                         "came from those MACs for %s)"),
                       (unsigned long long)aged, ns_show_duration(aging, d));
  else if (entries->len == 0)
    ns_report_add_note(s, _("(empty: nothing learned yet)"));
  else
    ns_report_add_table(s, mac_table(net, node, entries));
  g_array_unref(entries);
  ns_show_snooping(r, node, ns_net_now(net), FALSE);
  return r;
}

/* ---- show route --------------------------------------------------------- */

static const NsColumn route_columns[] = {
    {N_("DESTINATION"), NS_ALIGN_LEFT}, {N_("MASK"), NS_ALIGN_LEFT},
    {N_("GATEWAY"), NS_ALIGN_LEFT},     {N_("INTERFACE"), NS_ALIGN_LEFT},
    {N_("KIND"), NS_ALIGN_LEFT},        {N_("METRIC"), NS_ALIGN_RIGHT},
};

static NsTable *route_table(NsIpNode *ip) {
  NsRouteTable *rt = ns_ipnode_routes(ip);
  NsTable *t = ns_table_new(route_columns, G_N_ELEMENTS(route_columns));
  for (guint i = 0; i < ns_route_count(rt); i++) {
    const NsRoute *r = ns_route_nth(rt, i);
    char p[NS_PREFIX_STRLEN], m[NS_IP4_STRLEN], g[NS_IP4_STRLEN];
    NsIpIface *ifc = r->iface < ns_ipnode_n_ifaces(ip)
                         ? ns_ipnode_iface(ip, r->iface)
                         : NULL;
    ns_table_cell(t, "%s", ns_prefix_format(r->prefix, p));
    /* The mask as the chapter writes it: /26 is 255.255.255.192. */
    ns_table_cell(t, "%s", ns_ip4_format(ns_prefix_mask(r->prefix.len), m));
    ns_table_cell(t, "%s",
                  r->kind == NS_ROUTE_CONNECTED ? "direct"
                                                : ns_ip4_format(r->gateway, g));
    ns_table_cell(t, "%s", ifc ? ifc->nic.name : "?");
    ns_table_cell(t, "%s", ns_route_kind_name(r->kind));
    ns_table_cell(t, "%u", r->metric);
  }
  return t;
}

NsReport *ns_show_route(const NsShowSource *src, NsNetNode *node) {
  g_return_val_if_fail(node != NULL && node->ip != NULL, NULL);
  (void)src; /* every show function takes the source, for symmetry */
  NsReport *r = ns_report_new();
  NsReport *s = ns_report_add_section(
      r, _("Routing table of %s (%s), most specific first:"), node->name,
      ns_node_kind_word(node->kind));
  if (ns_route_count(ns_ipnode_routes(node->ip)) == 0)
    ns_report_add_note(s, _("(empty)"));
  else
    ns_report_add_table(s, route_table(node->ip));
  return r;
}

/* ---- show links --------------------------------------------------------- */

static const NsColumn link_columns[] = {
    {"#", NS_ALIGN_RIGHT},
    {N_("END A"), NS_ALIGN_LEFT},
    {N_("END B"), NS_ALIGN_LEFT},
    {N_("STATE"), NS_ALIGN_LEFT},
    {N_("DELAY"), NS_ALIGN_RIGHT},
    {N_("RATE"), NS_ALIGN_RIGHT},
    {N_("LOSS"), NS_ALIGN_RIGHT},
    {N_("QUEUE"), NS_ALIGN_RIGHT},
    {N_("IMPAIRMENTS"), NS_ALIGN_LEFT},
};

static NsTable *link_table(NsNet *net) {
  NsTable *t = ns_table_new(link_columns, G_N_ELEMENTS(link_columns));
  for (guint i = 0; i < ns_net_n_links(net); i++) {
    NsNetLink *l = ns_net_link(net, i);
    const NsLinkParams *p = ns_link_params(l->link);
    char d[NS_TIME_STRLEN], r[32], loss[NS_LINK_PARAM_STRLEN];
    GString *extra = g_string_new(NULL);
    ns_link_params_append_impairments(extra, p);
    ns_table_cell(t, "%u", i + 1);
    ns_table_cell(t, "%s", l->a_label);
    ns_table_cell(t, "%s", l->b_label);
    ns_table_cell(t, "%s", ns_link_is_up(l->link) ? "up" : "DOWN");
    ns_table_cell(t, "%s", ns_show_duration(p->delay, d));
    ns_table_cell(t, "%s", ns_rate_format(p->rate_bps, r));
    ns_table_cell(t, "%s", ns_link_param_format(NS_LINK_LOSS, p, loss));
    ns_table_cell(t, "%u", p->queue_limit);
    ns_table_cell(t, "%s", extra->len ? extra->str + 2 : "-");
    g_string_free(extra, TRUE);
  }
  return t;
}

static const NsColumn traffic_columns[] = {
    {"#", NS_ALIGN_RIGHT},
    {N_("FROM"), NS_ALIGN_LEFT},
    {N_("TO"), NS_ALIGN_LEFT},
    {N_("SENT"), NS_ALIGN_RIGHT},
    {N_("DELIVERED"), NS_ALIGN_RIGHT},
    {N_("QUEUED"), NS_ALIGN_RIGHT},
    {N_("LOSS"), NS_ALIGN_RIGHT},
    {N_("QUEUE-FULL"), NS_ALIGN_RIGHT},
    {N_("LINK-DOWN"), NS_ALIGN_RIGHT},
    {N_("DUPLICATED"), NS_ALIGN_RIGHT},
    {N_("CORRUPTED"), NS_ALIGN_RIGHT},
    {N_("REORDERED"), NS_ALIGN_RIGHT},
};

static void traffic_row(NsTable *t, guint number, NsLink *link, guint side) {
  const NsLinkDirStats s = ns_link_stats(link, side);
  const NsNic *from = ns_link_nic(link, side);
  const NsNic *to = ns_link_nic(link, 1 - side);
  ns_table_cell(t, "%u", number);
  ns_table_cell(t, "%s:%s", from->node, from->name);
  ns_table_cell(t, "%s:%s", to->node, to->name);
  ns_table_u64(t, s.sent);
  ns_table_u64(t, s.delivered);
  ns_table_cell(t, "%u", ns_link_in_flight(link, side));
  ns_table_u64(t, s.drops[NS_DROP_LOSS]);
  ns_table_u64(t, s.drops[NS_DROP_QUEUE_FULL]);
  ns_table_u64(t, s.drops[NS_DROP_LINK_DOWN]);
  ns_table_u64(t, s.duplicated);
  ns_table_u64(t, s.corrupted);
  ns_table_u64(t, s.reordered);
}

NsReport *ns_show_links(const NsShowSource *src, NsNetNode *unused) {
  NsNet *net = src->net;
  (void)unused;
  guint n = ns_net_n_links(net);
  NsReport *r = ns_report_new();
  NsReport *s = ns_report_add_section(r, _("Links (%u):"), n);
  if (n == 0)
    return r;
  ns_report_add_table(s, link_table(net));
  NsTable *t = ns_table_new(traffic_columns, G_N_ELEMENTS(traffic_columns));
  for (guint i = 0; i < n; i++)
    for (guint side = 0; side < 2; side++)
      traffic_row(t, i + 1, ns_net_link(net, i)->link, side);
  s = ns_report_add_section(r, _("Traffic per direction (drops by reason):"));
  ns_report_add_table(s, t);
  return r;
}

/* ---- show nodes --------------------------------------------------------- */

static const NsColumn node_columns[] = {
    {N_("NAME"), NS_ALIGN_LEFT},      {N_("KIND"), NS_ALIGN_LEFT},
    {N_("INTERFACE"), NS_ALIGN_LEFT}, {N_("ADDRESS"), NS_ALIGN_LEFT},
    {N_("MAC"), NS_ALIGN_LEFT},       {N_("LINK TO"), NS_ALIGN_LEFT},
};

/* The interface or port cells of row r (0-based) of node n. */
static void node_port_cells(NsTable *t, NsNetNode *n, guint r) {
  char p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN], peer[96];
  if (n->ip != NULL) {
    NsIpIface *ifc = ns_ipnode_iface(n->ip, r);
    ns_table_cell(t, "%s", ifc->nic.name);
    ns_table_cell(t, "%s", ns_prefix_format(ifc->addr, p));
    ns_table_cell(t, "%s", ns_mac_format(ifc->nic.mac, m));
    ns_table_cell(t, "%s", ns_show_peer(&ifc->nic, peer, sizeof peer));
  } else {
    /* A switch's port, or a vxlan segment's one cable end. */
    NsNic *nic = n->sw != NULL ? ns_switch_port(n->sw, r + 1) : n->port;
    ns_table_cell(t, "%s", nic->name);
    ns_table_cell(t, "-");
    ns_table_cell(t, "-");
    ns_table_cell(t, "%s", ns_show_peer(nic, peer, sizeof peer));
  }
}

static void node_rows(NsTable *t, NsNetNode *n) {
  guint rows = n->ip   ? ns_ipnode_n_ifaces(n->ip)
               : n->sw ? ns_switch_n_ports(n->sw)
                       : (n->port != NULL);
  if (rows == 0) {
    ns_table_cell(t, "%s", n->name);
    ns_table_cell(t, "%s", kind_name(n));
    for (guint c = 2; c < ns_table_n_columns(t); c++)
      ns_table_cell(t, "-");
  }
  for (guint r = 0; r < rows; r++) {
    ns_table_cell(t, "%s", r == 0 ? n->name : "");
    ns_table_cell(t, "%s", r == 0 ? kind_name(n) : "");
    node_port_cells(t, n, r);
  }
}

NsReport *ns_show_nodes(const NsShowSource *src, NsNetNode *unused) {
  NsNet *net = src->net;
  (void)unused;
  NsReport *r = ns_report_new();
  NsReport *s = ns_report_add_section(r, _("Nodes (%u):"), ns_net_n_nodes(net));
  NsTable *t = ns_table_new(node_columns, G_N_ELEMENTS(node_columns));
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    node_rows(t, ns_net_node(net, i));
  ns_report_add_table(s, t);
  return r;
}

/* show.c — the `show` tables. */
#include "cli/show.h"

#include "cli/table.h"
#include "core/units.h"

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

/* "sw1:port1" for the far end of nic's link (written into buf), or "-". */
static const char *peer_label(const NsNic *nic, char *buf, gsize size) {
  if (nic->link == NULL) {
    g_strlcpy(buf, "-", size);
    return buf;
  }
  const NsNic *peer = ns_link_peer(nic->link, nic);
  g_snprintf(buf, size, "%s:%s%s", peer->node, peer->name,
             ns_link_is_up(nic->link) ? "" : " (down)");
  return buf;
}

/* "h1:eth0" for the interface that has mac anywhere in the net, or NULL. */
static char *mac_owner(NsNet *net, NsMac mac) {
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    if (n->ip == NULL)
      continue;
    for (guint j = 0; j < ns_ipnode_n_ifaces(n->ip); j++) {
      NsIpIface *ifc = ns_ipnode_iface(n->ip, j);
      if (ns_mac_equal(ifc->nic.mac, mac)) {
        char a[NS_IP4_STRLEN];
        return g_strdup_printf("%s:%s (%s)", n->name, ifc->nic.name,
                               ns_ip4_format(ifc->addr.addr, a));
      }
    }
  }
  return NULL;
}

static const char *kind_name(const NsNetNode *n) {
  return ns_node_kind_name(n->kind);
}

/* ---- show arp ----------------------------------------------------------- */

static void show_arp_iface(NsNet *net, NsIpIface *ifc, FILE *out) {
  NsTime now = ns_net_now(net);
  char p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN];
  fprintf(out, "  %s  %s  %s\n", ifc->nic.name, ns_prefix_format(ifc->addr, p),
          ns_mac_format(ifc->nic.mac, m));
  GPtrArray *entries = ns_arp_cache_entries(ifc->arp, now);
  if (entries->len == 0) {
    fprintf(out, "    (empty)\n");
    g_ptr_array_unref(entries);
    return;
  }
  static const char *const headers[] = {"IP",    "NODE",      "MAC",    "STATE",
                                        "TIMER", ">REQUESTS", ">QUEUED"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  const NsArpConfig *cfg = ns_arp_cache_config(ifc->arp);
  for (guint i = 0; i < entries->len; i++) {
    const NsArpEntry *e = g_ptr_array_index(entries, i);
    char a[NS_IP4_STRLEN], d[NS_TIME_STRLEN];
    const char *owner = ns_net_name_of(net, e->ip);
    NsTime left = e->deadline > now ? e->deadline - now : 0;
    ns_table_cell(&t, "%s", ns_ip4_format(e->ip, a));
    ns_table_cell(&t, "%s", owner ? owner : "?");
    if (e->state == NS_ARP_REACHABLE) {
      ns_table_cell(&t, "%s", ns_mac_format(e->mac, m));
      ns_table_cell(&t, "%s", ns_arp_state_name(e->state));
      ns_table_cell(&t, "expires in %s", ns_show_duration(left, d));
      ns_table_cell(&t, "-");
      ns_table_cell(&t, "-");
    } else {
      ns_table_cell(&t, "(unknown)");
      ns_table_cell(&t, "%s", ns_arp_state_name(e->state));
      ns_table_cell(&t, "retry in %s", ns_show_duration(left, d));
      ns_table_cell(&t, "%u of %u", e->requests, cfg->retries);
      ns_table_cell(&t, "%u", e->npending);
    }
  }
  ns_table_print(&t, out, "    ");
  g_ptr_array_unref(entries);
}

void ns_show_arp(NsNet *net, NsNetNode *node, FILE *out) {
  g_return_if_fail(node != NULL && node->ip != NULL);
  char d[NS_TIME_STRLEN];
  const NsArpConfig *cfg = NULL;
  if (ns_ipnode_n_ifaces(node->ip) > 0)
    cfg = ns_arp_cache_config(ns_ipnode_iface(node->ip, 0)->arp);
  fprintf(out, "ARP cache of %s (%s)", node->name, kind_name(node));
  if (cfg != NULL)
    fprintf(out, ", entries live %s", ns_show_duration(cfg->reachable_time, d));
  fprintf(out, "\n");
  for (guint i = 0; i < ns_ipnode_n_ifaces(node->ip); i++)
    show_arp_iface(net, ns_ipnode_iface(node->ip, i), out);
}

/* ---- show mac ----------------------------------------------------------- */

void ns_show_mac(NsNet *net, NsNetNode *node, FILE *out) {
  g_return_if_fail(node != NULL && node->sw != NULL);
  NsTime now = ns_net_now(net);
  NsFdb *fdb = ns_switch_fdb(node->sw);
  GArray *entries = ns_fdb_entries(fdb, now);
  char d[NS_TIME_STRLEN];
  NsTime aging = ns_fdb_aging(fdb);
  fprintf(out, "MAC table of %s: %u entr%s (capacity %u, aging %s)\n",
          node->name, entries->len, entries->len == 1 ? "y" : "ies",
          ns_fdb_capacity(fdb),
          aging == NS_TIME_NEVER ? "never" : ns_show_duration(aging, d));
  if (entries->len == 0) {
    fprintf(out, "  (empty: nothing learned yet)\n");
    g_array_unref(entries);
    return;
  }
  static const char *const headers[] = {">PORT", "LINK TO", "MAC", "OWNER",
                                        ">AGE"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  for (guint i = 0; i < entries->len; i++) {
    const NsFdbEntry *e = &g_array_index(entries, NsFdbEntry, i);
    char m[NS_MAC_STRLEN], peer[96];
    NsNic *nic = ns_switch_port(node->sw, e->port);
    char *owner = mac_owner(net, e->mac);
    ns_table_cell(&t, "%u", e->port);
    ns_table_cell(&t, "%s", nic ? peer_label(nic, peer, sizeof peer) : "-");
    ns_table_cell(&t, "%s", ns_mac_format(e->mac, m));
    ns_table_cell(&t, "%s", owner ? owner : "?");
    ns_table_cell(&t, "%s", ns_show_duration(now - e->seen, d));
    g_free(owner);
  }
  ns_table_print(&t, out, "  ");
  g_array_unref(entries);
}

/* ---- show route --------------------------------------------------------- */

void ns_show_route(NsNet *net, NsNetNode *node, FILE *out) {
  g_return_if_fail(node != NULL && node->ip != NULL);
  (void)net; /* every show function takes the net, for symmetry */
  NsRouteTable *rt = ns_ipnode_routes(node->ip);
  fprintf(out, "Routing table of %s (%s), most specific first:\n", node->name,
          kind_name(node));
  if (ns_route_count(rt) == 0) {
    fprintf(out, "  (empty)\n");
    return;
  }
  static const char *const headers[] = {"DESTINATION", "GATEWAY", "INTERFACE",
                                        "KIND", ">METRIC"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  for (guint i = 0; i < ns_route_count(rt); i++) {
    const NsRoute *r = ns_route_nth(rt, i);
    char p[NS_PREFIX_STRLEN], g[NS_IP4_STRLEN];
    NsIpIface *ifc = r->iface < ns_ipnode_n_ifaces(node->ip)
                         ? ns_ipnode_iface(node->ip, r->iface)
                         : NULL;
    ns_table_cell(&t, "%s", ns_prefix_format(r->prefix, p));
    ns_table_cell(&t, "%s",
                  r->kind == NS_ROUTE_CONNECTED ? "direct"
                                                : ns_ip4_format(r->gateway, g));
    ns_table_cell(&t, "%s", ifc ? ifc->nic.name : "?");
    ns_table_cell(&t, "%s", ns_route_kind_name(r->kind));
    ns_table_cell(&t, "%u", r->metric);
  }
  ns_table_print(&t, out, "  ");
}

/* ---- show links --------------------------------------------------------- */

static char *end_label(const NsNic *nic) {
  return g_strdup_printf("%s:%s", nic->node, nic->name);
}

void ns_show_links(NsNet *net, FILE *out) {
  guint n = ns_net_n_links(net);
  fprintf(out, "Links (%u):\n", n);
  if (n == 0)
    return;
  static const char *const params[] = {">#",     "END A", "END B", "STATE",
                                       ">DELAY", ">RATE", ">LOSS", ">QUEUE"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(params), params);
  for (guint i = 0; i < n; i++) {
    NsNetLink *l = ns_net_link(net, i);
    const NsLinkParams *p = ns_link_params(l->link);
    char d[NS_TIME_STRLEN], r[32];
    ns_table_cell(&t, "%u", i + 1);
    ns_table_cell(&t, "%s", l->a_label);
    ns_table_cell(&t, "%s", l->b_label);
    ns_table_cell(&t, "%s", ns_link_is_up(l->link) ? "up" : "DOWN");
    ns_table_cell(&t, "%s", ns_show_duration(p->delay, d));
    ns_table_cell(&t, "%s", ns_rate_format(p->rate_bps, r));
    ns_table_cell(&t, "%g%%", p->loss * 100.0);
    ns_table_cell(&t, "%u", p->queue_limit);
  }
  ns_table_print(&t, out, "  ");

  fprintf(out, "Traffic per direction (drops by reason):\n");
  static const char *const traffic[] = {">#",    "FROM",        "TO",
                                        ">SENT", ">DELIVERED",  ">QUEUED",
                                        ">LOSS", ">QUEUE-FULL", ">LINK-DOWN"};
  ns_table_init(&t, G_N_ELEMENTS(traffic), traffic);
  for (guint i = 0; i < n; i++) {
    NsNetLink *l = ns_net_link(net, i);
    for (guint side = 0; side < 2; side++) {
      const NsLinkDirStats *s = ns_link_stats(l->link, side);
      char *from = end_label(ns_link_nic(l->link, side));
      char *to = end_label(ns_link_nic(l->link, 1 - side));
      ns_table_cell(&t, "%u", i + 1);
      ns_table_cell(&t, "%s", from);
      ns_table_cell(&t, "%s", to);
      ns_table_u64(&t, s->sent);
      ns_table_u64(&t, s->delivered);
      ns_table_cell(&t, "%u", ns_link_in_flight(l->link, side));
      ns_table_u64(&t, s->drops[NS_DROP_LOSS]);
      ns_table_u64(&t, s->drops[NS_DROP_QUEUE_FULL]);
      ns_table_u64(&t, s->drops[NS_DROP_LINK_DOWN]);
      g_free(from);
      g_free(to);
    }
  }
  ns_table_print(&t, out, "  ");
}

/* ---- show stats --------------------------------------------------------- */

static void show_switch_stats(NsNet *net, NsNetNode *node, FILE *out) {
  NsFdb *fdb = ns_switch_fdb(node->sw);
  fprintf(out, "%s (switch): %u ports, MAC table %u/%u entries\n", node->name,
          ns_switch_n_ports(node->sw), ns_fdb_count(fdb, ns_net_now(net)),
          ns_fdb_capacity(fdb));
  const char *headers[NS_TABLE_MAX_COLS];
  g_assert(2 + ns_port_counter_n_fields <= NS_TABLE_MAX_COLS);
  headers[0] = ">PORT";
  headers[1] = "LINK TO";
  char names[NS_TABLE_MAX_COLS][32];
  for (guint f = 0; f < ns_port_counter_n_fields; f++) {
    g_snprintf(names[f], sizeof names[f], ">%s",
               ns_port_counter_fields[f].name);
    headers[2 + f] = names[f];
  }
  NsTable t;
  ns_table_init(&t, 2 + ns_port_counter_n_fields, headers);
  guint64 total[NS_TABLE_MAX_COLS] = {0};
  for (guint port = 1; port <= ns_switch_n_ports(node->sw); port++) {
    const NsSwitchPortCounters *c = ns_switch_port_counters(node->sw, port);
    char peer[96];
    ns_table_cell(&t, "%u", port);
    ns_table_cell(
        &t, "%s",
        peer_label(ns_switch_port(node->sw, port), peer, sizeof peer));
    for (guint f = 0; f < ns_port_counter_n_fields; f++) {
      guint64 v = ns_counter_get(c, &ns_port_counter_fields[f]);
      total[f] += v;
      ns_table_u64(&t, v);
    }
  }
  ns_table_cell(&t, "all");
  ns_table_cell(&t, "%s", "");
  for (guint f = 0; f < ns_port_counter_n_fields; f++)
    ns_table_u64(&t, total[f]);
  ns_table_print(&t, out, "  ");
}

static void show_ip_stats(NsNetNode *node, FILE *out) {
  fprintf(out, "%s (%s):\n", node->name, kind_name(node));
  const NsIpCounters *c = ns_ipnode_counters(node->ip);
  static const char *const ip_headers[] = {"COUNTER", ">VALUE", "MEANING"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(ip_headers), ip_headers);
  for (guint f = 0; f < ns_ip_counter_n_fields; f++) {
    ns_table_cell(&t, "%s", ns_ip_counter_fields[f].name);
    ns_table_u64(&t, ns_counter_get(c, &ns_ip_counter_fields[f]));
    ns_table_cell(&t, "%s", ns_ip_counter_fields[f].about);
  }
  ns_table_print(&t, out, "  ");

  const char *headers[NS_TABLE_MAX_COLS];
  g_assert(2 + ns_nic_counter_n_fields <= NS_TABLE_MAX_COLS);
  char names[NS_TABLE_MAX_COLS][32];
  headers[0] = "INTERFACE";
  headers[1] = "LINK TO";
  for (guint f = 0; f < ns_nic_counter_n_fields; f++) {
    g_snprintf(names[f], sizeof names[f], ">%s", ns_nic_counter_fields[f].name);
    headers[2 + f] = names[f];
  }
  ns_table_init(&t, 2 + ns_nic_counter_n_fields, headers);
  for (guint i = 0; i < ns_ipnode_n_ifaces(node->ip); i++) {
    NsIpIface *ifc = ns_ipnode_iface(node->ip, i);
    char peer[96];
    ns_table_cell(&t, "%s", ifc->nic.name);
    ns_table_cell(&t, "%s", peer_label(&ifc->nic, peer, sizeof peer));
    for (guint f = 0; f < ns_nic_counter_n_fields; f++)
      ns_table_u64(
          &t, ns_counter_get(&ifc->nic.counters, &ns_nic_counter_fields[f]));
  }
  fprintf(out, "\n");
  ns_table_print(&t, out, "  ");
}

static void show_node_stats(NsNet *net, NsNetNode *node, FILE *out) {
  if (node->sw != NULL)
    show_switch_stats(net, node, out);
  else if (node->ip != NULL)
    show_ip_stats(node, out);
}

void ns_show_stats(NsNet *net, NsNetNode *node, FILE *out) {
  if (node != NULL) {
    show_node_stats(net, node, out);
    return;
  }
  char d[NS_TIME_STRLEN];
  fprintf(out,
          "At %s: %" G_GUINT64_FORMAT " events fired, %" G_GUINT64_FORMAT
          " log events\n",
          ns_show_duration(ns_net_now(net), d), ns_net_sched(net)->events,
          ns_log_count(ns_net_log(net)));
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    fprintf(out, "\n");
    show_node_stats(net, ns_net_node(net, i), out);
  }
}

/* ---- show nodes --------------------------------------------------------- */

void ns_show_nodes(NsNet *net, FILE *out) {
  fprintf(out, "Nodes (%u):\n", ns_net_n_nodes(net));
  static const char *const headers[] = {"NAME",    "KIND", "INTERFACE",
                                        "ADDRESS", "MAC",  "LINK TO"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    guint rows = n->ip ? ns_ipnode_n_ifaces(n->ip) : ns_switch_n_ports(n->sw);
    if (rows == 0) {
      ns_table_cell(&t, "%s", n->name);
      ns_table_cell(&t, "%s", kind_name(n));
      for (guint c = 2; c < G_N_ELEMENTS(headers); c++)
        ns_table_cell(&t, "-");
    }
    for (guint r = 0; r < rows; r++) {
      char p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN], peer[96];
      ns_table_cell(&t, "%s", r == 0 ? n->name : "");
      ns_table_cell(&t, "%s", r == 0 ? kind_name(n) : "");
      if (n->ip != NULL) {
        NsIpIface *ifc = ns_ipnode_iface(n->ip, r);
        ns_table_cell(&t, "%s", ifc->nic.name);
        ns_table_cell(&t, "%s", ns_prefix_format(ifc->addr, p));
        ns_table_cell(&t, "%s", ns_mac_format(ifc->nic.mac, m));
        ns_table_cell(&t, "%s", peer_label(&ifc->nic, peer, sizeof peer));
      } else {
        NsNic *nic = ns_switch_port(n->sw, r + 1);
        ns_table_cell(&t, "%s", nic->name);
        ns_table_cell(&t, "-");
        ns_table_cell(&t, "-");
        ns_table_cell(&t, "%s", peer_label(nic, peer, sizeof peer));
      }
    }
  }
  ns_table_print(&t, out, "  ");
}

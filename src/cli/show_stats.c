/* show_stats.c — `show stats`: every counter of every device.
 *
 * The counters come from the registries next to their structs
 * (core/counters.h), so a counter added to a list appears here, under the
 * name `expect NODE counter` takes, without an edit to this file:
 *   a switch: one row per port, a column per NsSwitchPortCounters field,
 *     then their sums;
 *   a host or router: the IP counters (NAME, value, meaning), then its UDP
 *     and TCP counters the same way (udp.NAME, tcp.NAME), then one row per
 *     interface with a column per NsNicCounters field;
 *   a bridge: a host's, and its bridge counters (bridge.NAME) after the
 *     UDP and TCP ones;
 *   a vxlan segment: its counters (vxlan.NAME), then its cable end's
 *     NsNicCounters.
 */
#include "cli/show_private.h"
#include "core/i18n.h"

/* A registry, and the prefix its names take in `expect NODE counter`. */
typedef struct {
  const char *prefix; /* "udp.", or "" */
  const NsCounterField *fields;
  guint n_fields;
} CounterSet;

/* One right-aligned column per field, named as the field. */
static void counter_columns(NsTable *t, const NsCounterField *fields, guint n) {
  for (guint f = 0; f < n; f++)
    ns_table_add_column(t, fields[f].name, NS_ALIGN_RIGHT);
}

static const NsColumn meaning_columns[] = {
    {N_("COUNTER"), NS_ALIGN_LEFT},
    {N_("VALUE"), NS_ALIGN_RIGHT},
    {N_("MEANING"), NS_ALIGN_LEFT},
};

/* One row per field of set: its name, its value in counters, what it
 * means. */
static void meaning_rows(NsTable *t, const CounterSet *set,
                         const void *counters) {
  for (guint f = 0; f < set->n_fields; f++) {
    const NsCounterField *field = &set->fields[f];
    ns_table_cell(t, "%s%s", set->prefix, field->name);
    ns_table_u64(t, ns_counter_get(counters, field));
    ns_table_cell(t, "%s", _(field->about));
  }
}

static void switch_stats(NsReport *r, NsNet *net, NsNetNode *node) {
  NsFdb *fdb = ns_switch_fdb(node->sw);
  NsReport *s = ns_report_add_section(
      r, _("%s (switch): %u ports, MAC table %u/%u entries"), node->name,
      ns_switch_n_ports(node->sw), ns_fdb_count(fdb, ns_net_now(net)),
      ns_fdb_capacity(fdb));
  static const NsColumn first[] = {{N_("PORT"), NS_ALIGN_RIGHT},
                                   {N_("LINK TO"), NS_ALIGN_LEFT}};
  NsTable *t = ns_table_new(first, G_N_ELEMENTS(first));
  counter_columns(t, ns_port_counter_fields, ns_port_counter_n_fields);
  g_autofree guint64 *total = g_new0(guint64, ns_port_counter_n_fields);
  for (guint port = 1; port <= ns_switch_n_ports(node->sw); port++) {
    const NsSwitchPortCounters pc = ns_switch_port_counters(node->sw, port);
    const NsSwitchPortCounters *c = &pc;
    char peer[96];
    ns_table_cell(t, "%u", port);
    ns_table_cell(
        t, "%s",
        ns_show_peer(ns_switch_port(node->sw, port), peer, sizeof peer));
    for (guint f = 0; f < ns_port_counter_n_fields; f++) {
      guint64 v = ns_counter_get(c, &ns_port_counter_fields[f]);
      total[f] += v;
      ns_table_u64(t, v);
    }
  }
  ns_table_cell(t, "%s", _("all"));
  ns_table_cell(t, "%s", "");
  for (guint f = 0; f < ns_port_counter_n_fields; f++)
    ns_table_u64(t, total[f]);
  ns_report_add_table(s, t);
}

static NsTable *nic_table(NsIpNode *ip) {
  static const NsColumn first[] = {{N_("INTERFACE"), NS_ALIGN_LEFT},
                                   {N_("LINK TO"), NS_ALIGN_LEFT}};
  NsTable *t = ns_table_new(first, G_N_ELEMENTS(first));
  counter_columns(t, ns_nic_counter_fields, ns_nic_counter_n_fields);
  for (guint i = 0; i < ns_ipnode_n_ifaces(ip); i++) {
    NsIpIface *ifc = ns_ipnode_iface(ip, i);
    char peer[96];
    ns_table_cell(t, "%s", ifc->nic.name);
    ns_table_cell(t, "%s", ns_show_peer(&ifc->nic, peer, sizeof peer));
    for (guint f = 0; f < ns_nic_counter_n_fields; f++)
      ns_table_u64(
          t, ns_counter_get(&ifc->nic.counters, &ns_nic_counter_fields[f]));
  }
  return t;
}

/* A bridge's own counters, or why it has none. */
static void bridge_stats(NsReport *s, NsBridges *bridges, NsNetNode *node) {
  const CounterSet set = {"bridge.", ns_bridge_counter_fields,
                          ns_bridge_counter_n_fields};
  NsBridge *b = ns_show_bridge(bridges, node);
  ns_report_add_gap(s);
  if (b == NULL) {
    ns_report_add_note(s, "bridge.* counters: " NS_SHOW_NOT_RUNNING);
    return;
  }
  NsTable *t = ns_table_new(meaning_columns, G_N_ELEMENTS(meaning_columns));
  meaning_rows(t, &set, ns_bridge_counters(b));
  ns_report_add_table(s, t);
}

static void ip_stats(NsReport *r, NsBridges *bridges, NsNetNode *node) {
  const CounterSet ip = {"", ns_ip_counter_fields, ns_ip_counter_n_fields};
  const CounterSet udp = {"udp.", ns_udp_counter_fields,
                          ns_udp_counter_n_fields};
  const CounterSet tcp = {"tcp.", ns_tcp_counter_fields,
                          ns_tcp_counter_n_fields};
  NsReport *s = ns_report_add_section(r, "%s (%s):", node->name,
                                      ns_node_kind_word(node->kind));
  NsTable *t = ns_table_new(meaning_columns, G_N_ELEMENTS(meaning_columns));
  NsIpCounters ipc = ns_ipnode_counters(node->ip);
  meaning_rows(t, &ip, &ipc);
  ns_report_add_table(s, t);
  ns_report_add_gap(s);
  t = ns_table_new(meaning_columns, G_N_ELEMENTS(meaning_columns));
  meaning_rows(t, &udp, ns_udp_counters(ns_net_node_udp(node)));
  meaning_rows(t, &tcp, ns_tcp_counters(ns_net_node_tcp(node)));
  ns_report_add_table(s, t);
  if (node->kind == NS_NODE_BRIDGE)
    bridge_stats(s, bridges, node);
  ns_report_add_gap(s);
  ns_report_add_table(s, nic_table(node->ip));
}

/* A vxlan segment: its own counters (or why it has none), its cable
 * end's. */
static void vxlan_stats(NsReport *r, NsBridges *bridges, NsNetNode *node) {
  const CounterSet set = {"vxlan.", ns_vxlan_counter_fields,
                          ns_vxlan_counter_n_fields};
  NsVxlan *v = bridges ? ns_bridges_find_vxlan(bridges, node->name) : NULL;
  g_autofree char *text = v ? ns_vxlan_text(v) : NULL;
  NsReport *s = ns_report_add_section(r, "%s (%s):%s%s", node->name,
                                      ns_node_kind_word(node->kind),
                                      text ? " " : "", text ? text : "");
  if (v == NULL)
    ns_report_add_note(s, "vxlan.* counters: " NS_SHOW_NOT_RUNNING);
  else {
    NsTable *t = ns_table_new(meaning_columns, G_N_ELEMENTS(meaning_columns));
    meaning_rows(t, &set, ns_vxlan_counters(v));
    ns_report_add_table(s, t);
  }
  ns_report_add_gap(s);
  static const NsColumn first[] = {{N_("INTERFACE"), NS_ALIGN_LEFT},
                                   {N_("LINK TO"), NS_ALIGN_LEFT}};
  NsTable *t = ns_table_new(first, G_N_ELEMENTS(first));
  counter_columns(t, ns_nic_counter_fields, ns_nic_counter_n_fields);
  char peer[96];
  ns_table_cell(t, "%s", node->port->name);
  ns_table_cell(t, "%s", ns_show_peer(node->port, peer, sizeof peer));
  for (guint f = 0; f < ns_nic_counter_n_fields; f++)
    ns_table_u64(
        t, ns_counter_get(&node->port->counters, &ns_nic_counter_fields[f]));
  ns_report_add_table(s, t);
}

static void node_stats(NsReport *r, const NsShowSource *src, NsNetNode *node) {
  if (node->sw != NULL)
    switch_stats(r, src->net, node);
  else if (node->ip != NULL)
    ip_stats(r, src->bridges, node);
  else if (node->port != NULL)
    vxlan_stats(r, src->bridges, node);
}

NsReport *ns_show_stats(const NsShowSource *src, NsNetNode *node) {
  NsNet *net = src->net;
  NsReport *r = ns_report_new();
  if (node != NULL) {
    node_stats(r, src, node);
    return r;
  }
  char d[NS_TIME_STRLEN];
  ns_report_add_note(r,
                     "At %s: %" G_GUINT64_FORMAT
                     " events fired, %" G_GUINT64_FORMAT " log events",
                     ns_show_duration(ns_net_now(net), d),
                     ns_net_sched(net)->events, ns_log_count(ns_net_log(net)));
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    ns_report_add_gap(r);
    node_stats(r, src, ns_net_node(net, i));
  }
  return r;
}

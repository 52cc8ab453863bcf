/* show_bridges.c — `show bridges [NODE]`: for each bridge, its rules with
 * the ports as bound (a rule written with port 0 shows the port the system
 * chose), its counters that are not zero, and a table of what it has open
 * now, relays and UDP mappings alike:
 *
 *   web (192.168.1.200):
 *     listen tcp 127.0.0.1:41877 -> 192.168.2.10:80 (h3)
 *     connect tcp *:9000 -> 127.0.0.1:9000
 *     counters: accepted 1, active 1, bytes_in 18, bytes_out 11
 *     PROTO  RULE    OUTSIDE          SIM LOCAL            SIM PEER  ...
 *     tcp    listen  127.0.0.1:51234  192.168.1.200:49152  192.168.2.10:80
 *
 * and, without a NODE, each vxlan segment after the bridges:
 *
 *   vx1 (vxlan):
 *     vni 42 127.0.0.1:4789 -> 127.0.0.1:4790
 *     counters: tx_frames 4, tx_bytes 354, rx_frames 4, rx_bytes 354
 *
 * The values are gathered from bridge.h's accessors into an
 * NsShowBridgeData first, and the section is made from that alone. */
#include "cli/show_private.h"
#include "core/i18n.h"

static const char *const dir_names[] = {
    [NS_BRIDGE_LISTEN] = "listen",
    [NS_BRIDGE_CONNECT] = "connect",
};

NsBridge *ns_show_bridge(NsBridges *bridges, const NsNetNode *node) {
  if (bridges == NULL || node->kind != NS_NODE_BRIDGE)
    return NULL;
  return ns_bridges_find(bridges, node->name);
}

/* ---- one bridge --------------------------------------------------------- */

/* "web (192.168.1.200):", the address that connect rules serve. */
static NsReport *bridge_title(NsReport *r, const NsNetNode *node) {
  char a[NS_IP4_STRLEN];
  if (node->ip == NULL || ns_ipnode_n_ifaces(node->ip) == 0)
    return ns_report_add_section(r, "%s:", node->name);
  NsIp4 addr = ns_ipnode_iface(node->ip, 0)->addr.addr;
  return ns_report_add_section(r, "%s (%s):", node->name,
                               ns_ip4_format(addr, a));
}

/* "listen tcp 127.0.0.1:41877 -> 192.168.2.10:80 (h3)": outside to
 * simulated for listen, simulated to outside for connect, as written in
 * the topology but with the port bound. */
static void rule_note(NsReport *s, const NsBridgeRuleInfo *info) {
  g_autofree char *text = ns_bridge_rule_format(info->rule, info->bound_port);
  ns_report_add_note(s, "%s %s", dir_names[info->rule->dir], text);
}

/* "counters: accepted 3, bytes_in 1200": the ones of c (a struct of the
 * n fields' registry) that moved. */
static void counters_note(NsReport *s, const NsCounterField *fields, guint n,
                          const void *c) {
  g_autoptr(GString) line = g_string_new(_("counters:"));
  guint shown = 0;
  for (guint f = 0; f < n; f++) {
    const NsCounterField *field = &fields[f];
    guint64 v = ns_counter_get(c, field);
    if (v != 0)
      g_string_append_printf(line, "%s %s %" G_GUINT64_FORMAT,
                             shown++ ? "," : "", field->name, v);
  }
  if (shown == 0)
    g_string_append(line, " all 0");
  ns_report_add_note(s, "%s", line->str);
}

static const NsColumn conn_columns[] = {
    {N_("PROTO"), NS_ALIGN_LEFT},     {N_("RULE"), NS_ALIGN_LEFT},
    {N_("OUTSIDE"), NS_ALIGN_LEFT},   {N_("SIM LOCAL"), NS_ALIGN_LEFT},
    {N_("SIM PEER"), NS_ALIGN_LEFT},  {N_("STATE"), NS_ALIGN_LEFT},
    {N_("BYTES IN"), NS_ALIGN_RIGHT}, {N_("BYTES OUT"), NS_ALIGN_RIGHT},
    {N_("AGE"), NS_ALIGN_RIGHT},      {N_("EXPIRES IN"), NS_ALIGN_RIGHT},
};

/* The time from a to b, 0 when b is not after a. */
static NsTime span(NsTime a, NsTime b) { return b > a ? b - a : 0; }

static void conn_row(NsTable *t, const NsBridgeConnInfo *c, NsTime now) {
  char local[NS_ENDPOINT_STRLEN], peer[NS_ENDPOINT_STRLEN];
  char age[NS_TIME_STRLEN], left[NS_TIME_STRLEN];
  ns_table_cell(t, "%s", ns_bridge_proto_name(c->proto));
  ns_table_cell(t, "%s", dir_names[c->dir]);
  ns_table_cell(t, "%s", c->outside);
  ns_table_cell(
      t, "%s",
      ns_show_addr_port(c->sim_local, c->sim_local_port, local, sizeof local));
  ns_table_cell(
      t, "%s",
      ns_show_addr_port(c->sim_remote, c->sim_remote_port, peer, sizeof peer));
  ns_table_cell(t, "%s", c->state);
  ns_table_u64(t, c->bytes_in);
  ns_table_u64(t, c->bytes_out);
  ns_table_cell(t, "%s", ns_show_duration(span(c->since, now), age));
  /* Only a UDP mapping expires when idle; a TCP relay ends by closing. */
  ns_table_cell(t, "%s",
                c->proto == NS_BRIDGE_UDP
                    ? ns_show_duration(span(now, c->idle_until), left)
                    : "-");
}

void ns_show_bridge_section(NsReport *r, const NsShowBridgeData *d,
                            NsTime now) {
  NsReport *s = bridge_title(r, d->node);
  for (guint i = 0; i < d->n_rules; i++)
    rule_note(s, &d->rules[i]);
  counters_note(s, ns_bridge_counter_fields, ns_bridge_counter_n_fields,
                d->counters);
  if (d->n_conns == 0) {
    ns_report_add_note(s, _("nothing open"));
    return;
  }
  NsTable *t = ns_table_new(conn_columns, G_N_ELEMENTS(conn_columns));
  for (guint i = 0; i < d->n_conns; i++)
    conn_row(t, &d->conns[i], now);
  ns_report_add_table(s, t);
}

/* Gathers one bridge node's data, or says it is not running. */
static void bridge_of(NsReport *r, const NsShowSource *src, NsNetNode *node) {
  NsBridge *b = ns_show_bridge(src->bridges, node);
  if (b == NULL) {
    ns_report_add_note(bridge_title(r, node), NS_SHOW_NOT_RUNNING);
    return;
  }
  NsShowBridgeData d = {.node = node,
                        .counters = ns_bridge_counters(b),
                        .n_rules = ns_bridge_n_rules(b),
                        .n_conns = ns_bridge_n_conns(b)};
  g_autofree NsBridgeRuleInfo *rules = g_new0(NsBridgeRuleInfo, d.n_rules);
  g_autofree NsBridgeConnInfo *conns = g_new0(NsBridgeConnInfo, d.n_conns);
  for (guint i = 0; i < d.n_rules; i++)
    ns_bridge_rule_info(b, i, &rules[i]);
  for (guint i = 0; i < d.n_conns; i++)
    ns_bridge_conn_info(b, i, &conns[i]);
  d.rules = rules;
  d.conns = conns;
  ns_show_bridge_section(r, &d, ns_net_now(src->net));
}

/* A vxlan segment: where it carries frames, its counters that moved. */
static void vxlan_of(NsReport *r, const NsShowSource *src, NsNetNode *node) {
  NsReport *s = ns_report_add_section(r, "%s (%s):", node->name,
                                      ns_node_kind_word(node->kind));
  NsVxlan *v =
      src->bridges ? ns_bridges_find_vxlan(src->bridges, node->name) : NULL;
  if (v == NULL) {
    ns_report_add_note(s, NS_SHOW_NOT_RUNNING);
    return;
  }
  g_autofree char *text = ns_vxlan_text(v);
  ns_report_add_note(s, "%s", text);
  counters_note(s, ns_vxlan_counter_fields, ns_vxlan_counter_n_fields,
                ns_vxlan_counters(v));
}

/* ---- show bridges ------------------------------------------------------- */

NsReport *ns_show_bridges(const NsShowSource *src, NsNetNode *bridge) {
  g_return_val_if_fail(bridge == NULL || bridge->kind == NS_NODE_BRIDGE, NULL);
  NsReport *r = ns_report_new();
  if (bridge != NULL) {
    bridge_of(r, src, bridge);
    return r;
  }
  guint shown = 0;
  for (guint i = 0; i < ns_net_n_nodes(src->net); i++) {
    NsNetNode *n = ns_net_node(src->net, i);
    if (n->kind != NS_NODE_BRIDGE && n->kind != NS_NODE_VXLAN)
      continue;
    if (shown++ > 0)
      ns_report_add_gap(r);
    if (n->kind == NS_NODE_BRIDGE)
      bridge_of(r, src, n);
    else
      vxlan_of(r, src, n);
  }
  if (shown == 0)
    ns_report_add_note(r, _("no bridges in this network (a [bridge NAME] "
                            "section of the topology file adds one)"));
  return r;
}

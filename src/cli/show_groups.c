/* show_groups.c — `show groups NODE`: multicast membership as each kind
 * of node knows it.  A host: the groups it joined and its pending IGMP
 * report; a router: its querier's membership table per interface; a
 * switch: its IGMP snooping table, which `show mac` appends too. */
#include "cli/show_private.h"
#include "core/i18n.h"

/* ---- hosts --------------------------------------------------------------- */

static const NsColumn host_columns[] = {
    {N_("GROUP"), NS_ALIGN_LEFT},
    {N_("JOINS"), NS_ALIGN_RIGHT},
    {N_("NEXT REPORT"), NS_ALIGN_LEFT},
};

static void host_groups(NsReport *r, NsNetNode *n, NsTime now) {
  NsReport *s = ns_report_add_section(r, _("multicast groups of %s:"), n->name);
  g_autoptr(NsTable) t = ns_table_new(host_columns, G_N_ELEMENTS(host_columns));
  for (guint i = 0; i < ns_ipnode_n_groups(n->ip); i++) {
    char g[NS_IP4_STRLEN], d[NS_TIME_STRLEN];
    guint joins;
    NsTime at;
    NsIp4 group = ns_ipnode_group(n->ip, i);
    ns_ipnode_group_state(n->ip, i, &joins, &at);
    ns_table_cell(t, "%s", ns_ip4_format(group, g));
    ns_table_cell(t, "%u", joins);
    if (group.v == NS_IGMP_ALL_HOSTS.v)
      ns_table_cell(t, "%s", _("never (all hosts)"));
    else if (at == NS_TIME_NEVER)
      ns_table_cell(t, "%s", _("when queried"));
    else
      ns_table_cell(t, _("in %s"),
                    ns_show_duration(at > now ? at - now : 0, d));
  }
  if (ns_table_n_rows(t) == 0)
    ns_report_add_note(s, _("no groups"));
  else
    ns_report_add_table(s, g_steal_pointer(&t));
}

/* ---- routers ------------------------------------------------------------- */

static const NsColumn router_columns[] = {
    {N_("IFACE"), NS_ALIGN_LEFT},         {N_("GROUP"), NS_ALIGN_LEFT},
    {N_("LAST REPORTER"), NS_ALIGN_LEFT}, {N_("UP"), NS_ALIGN_RIGHT},
    {N_("EXPIRES IN"), NS_ALIGN_RIGHT},
};

static void router_groups(NsReport *r, NsNetNode *n, NsTime now) {
  if (!ns_ipnode_is_igmp_querier(n->ip)) {
    NsReport *s = ns_report_add_section(r, _("IGMP on %s:"), n->name);
    ns_report_add_note(s, _("not a querier (igmp-querier = false): no "
                            "membership table"));
    return;
  }
  NsReport *s = ns_report_add_section(r, _("IGMP membership of %s:"), n->name);
  for (guint i = 0; i < ns_ipnode_n_ifaces(n->ip); i++) {
    char q[NS_IP4_STRLEN];
    NsIp4 querier = ns_ipnode_igmp_querier_on(n->ip, i);
    gboolean me = ns_ipnode_iface_by_addr(n->ip, querier) != NULL;
    ns_report_add_note(s, _("%s: querier %s%s"),
                       ns_ipnode_iface(n->ip, i)->nic.name,
                       ns_ip4_format(querier, q), me ? " (this router)" : "");
  }
  g_autoptr(GArray) m = ns_ipnode_igmp_memberships(n->ip, now);
  g_autoptr(NsTable) t =
      ns_table_new(router_columns, G_N_ELEMENTS(router_columns));
  for (guint i = 0; i < m->len; i++) {
    const NsIgmpMembership *e = &g_array_index(m, NsIgmpMembership, i);
    char g[NS_IP4_STRLEN], l[NS_IP4_STRLEN], up[NS_TIME_STRLEN],
        ex[NS_TIME_STRLEN];
    ns_table_cell(t, "%s", ns_ipnode_iface(n->ip, e->iface)->nic.name);
    ns_table_cell(t, "%s", ns_ip4_format(e->group, g));
    ns_table_cell(t, "%s", ns_ip4_format(e->last_reporter, l));
    ns_table_cell(t, "%s", ns_show_duration(now - e->since, up));
    ns_table_cell(t, "%s", ns_show_duration(e->expires - now, ex));
  }
  if (ns_table_n_rows(t) == 0)
    ns_report_add_note(s, _("no group has a member"));
  else
    ns_report_add_table(s, g_steal_pointer(&t));
}

/* ---- switches ------------------------------------------------------------ */

static const NsColumn snoop_columns[] = {
    {N_("GROUP"), NS_ALIGN_LEFT},       {N_("PORT"), NS_ALIGN_RIGHT},
    {N_("LINK TO"), NS_ALIGN_LEFT},     {N_("AGE"), NS_ALIGN_RIGHT},
    {N_("EXPIRES IN"), NS_ALIGN_RIGHT},
};

static NsTable *snoop_table(NsNetNode *n, GArray *entries, NsTime now) {
  NsTable *t = ns_table_new(snoop_columns, G_N_ELEMENTS(snoop_columns));
  for (guint i = 0; i < entries->len; i++) {
    const NsSnoopEntry *e = &g_array_index(entries, NsSnoopEntry, i);
    char g[NS_IP4_STRLEN], peer[96], age[NS_TIME_STRLEN], ex[NS_TIME_STRLEN];
    NsNic *nic = ns_switch_port(n->sw, e->port);
    ns_table_cell(t, "%s",
                  ns_ip4_is_zero(e->group) ? "(router port)"
                                           : ns_ip4_format(e->group, g));
    ns_table_cell(t, "%u", e->port);
    ns_table_cell(t, "%s", nic ? ns_show_peer(nic, peer, sizeof peer) : "-");
    ns_table_cell(t, "%s", ns_show_duration(now - e->since, age));
    ns_table_cell(t, "%s", ns_show_duration(e->expires - now, ex));
  }
  return t;
}

void ns_show_snooping(NsReport *r, NsNetNode *n, NsTime now,
                      gboolean even_empty) {
  NsSnoop *snoop = ns_switch_snoop(n->sw);
  if (snoop == NULL) {
    if (even_empty)
      ns_report_add_note(
          ns_report_add_section(r, _("IGMP snooping of %s:"), n->name),
          _("off (igmp-snooping = false): multicast is flooded"));
    return;
  }
  g_autoptr(GArray) e = ns_snoop_entries(snoop, now);
  if (e->len == 0 && !even_empty)
    return;
  NsReport *s =
      ns_report_add_section(r, _("IGMP snooping table of %s:"), n->name);
  if (e->len == 0)
    ns_report_add_note(s, _("(empty: no report or query seen; every group is "
                            "flooded)"));
  else
    ns_report_add_table(s, snoop_table(n, e, now));
}

NsReport *ns_show_groups(const NsShowSource *src, NsNetNode *node) {
  g_return_val_if_fail(node != NULL, NULL);
  NsTime now = ns_net_now(src->net);
  NsReport *r = ns_report_new();
  if (node->sw != NULL)
    ns_show_snooping(r, node, now, TRUE);
  else if (ns_ipnode_is_router(node->ip))
    router_groups(r, node, now);
  else
    host_groups(r, node, now);
  return r;
}

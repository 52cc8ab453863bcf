/* show_sockets.c — `show sockets` and `show tcp`. */
#include "cli/show_private.h"
#include "core/i18n.h"

static const char *service_on(NsNetNode *n, gboolean tcp, guint16 port) {
  if (n->services == NULL)
    return "";
  gint i = ns_services_find(n->services, tcp, port);
  return i < 0 ? ""
               : ns_service_kind_name(
                     ns_services_spec(n->services, (guint)i)->kind);
}

static const NsColumn socket_columns[] = {
    {N_("PROTO"), NS_ALIGN_LEFT},   {N_("LOCAL"), NS_ALIGN_LEFT},
    {N_("REMOTE"), NS_ALIGN_LEFT},  {N_("STATE"), NS_ALIGN_LEFT},
    {N_("RX"), NS_ALIGN_RIGHT},     {N_("TX"), NS_ALIGN_RIGHT},
    {N_("QUEUED"), NS_ALIGN_RIGHT}, {N_("APP"), NS_ALIGN_LEFT},
};

static void tcp_listener_rows(NsTable *t, NsNetNode *n) {
  char l[48];
  NsTcp *tcp = ns_net_node_tcp(n);
  for (guint i = 0; i < ns_tcp_n_listeners(tcp); i++) {
    guint16 port = ns_tcp_listener_port(ns_tcp_listener(tcp, i));
    ns_table_cell(t, "tcp");
    ns_table_cell(t, "%s", ns_show_addr_port((NsIp4){0}, port, l, sizeof l));
    ns_table_cell(t, "*:*");
    ns_table_cell(t, "LISTEN");
    ns_table_cell(t, "-");
    ns_table_cell(t, "-");
    ns_table_cell(t, "-");
    ns_table_cell(t, "%s", service_on(n, TRUE, port));
  }
}

static void tcp_conn_rows(NsTable *t, NsNetNode *n) {
  char l[48], r[48];
  for (guint i = 0; n->tcp != NULL && i < ns_tcp_n_conns(n->tcp); i++) {
    NsTcpInfo ti;
    ns_tcp_info(ns_tcp_conn(n->tcp, i), &ti);
    ns_table_cell(t, "tcp");
    ns_table_cell(t, "%s",
                  ns_show_addr_port(ti.local, ti.local_port, l, sizeof l));
    ns_table_cell(t, "%s",
                  ns_show_addr_port(ti.remote, ti.remote_port, r, sizeof r));
    ns_table_cell(t, "%s", ns_tcp_state_name(ti.state));
    ns_table_u64(t, ti.bytes_received);
    ns_table_u64(t, ti.bytes_sent);
    ns_table_u64(t, ti.bytes_queued);
    const char *app = service_on(n, TRUE, ti.local_port);
    ns_table_cell(t, "%s", *app ? app : ti.released ? "(closed)" : "user");
  }
}

static void udp_socket_rows(NsTable *t, NsNetNode *n) {
  char l[48];
  NsUdp *udp = ns_net_node_udp(n);
  for (guint i = 0; i < ns_udp_n_sockets(udp); i++) {
    NsUdpSocket *s = ns_udp_socket(udp, i);
    const NsUdpSocketCounters *c = ns_udp_socket_counters(s);
    guint16 port = ns_udp_local_port(s);
    ns_table_cell(t, "udp");
    ns_table_cell(t, "%s",
                  ns_show_addr_port(ns_udp_local_addr(s), port, l, sizeof l));
    ns_table_cell(t, "*:*");
    ns_table_cell(t, "-");
    ns_table_u64(t, c->rx);
    ns_table_u64(t, c->tx);
    ns_table_u64(t, ns_udp_pending(s));
    const char *app = service_on(n, FALSE, port);
    ns_table_cell(t, "%s", *app ? app : "user");
  }
}

static void sockets_of(NsReport *r, NsNetNode *n) {
  NsReport *s = ns_report_add_section(r, "%s:", n->name);
  g_autoptr(NsTable) t =
      ns_table_new(socket_columns, G_N_ELEMENTS(socket_columns));
  tcp_listener_rows(t, n);
  tcp_conn_rows(t, n);
  udp_socket_rows(t, n);
  if (ns_table_n_rows(t) == 0)
    ns_report_add_note(s, _("no sockets"));
  else
    ns_report_add_table(s, g_steal_pointer(&t));
  if (ns_ipnode_n_groups(n->ip) == 0)
    return;
  g_autoptr(GString) groups = g_string_new(_("multicast groups:"));
  char g[NS_IP4_STRLEN];
  for (guint i = 0; i < ns_ipnode_n_groups(n->ip); i++)
    g_string_append_printf(groups, " %s",
                           ns_ip4_format(ns_ipnode_group(n->ip, i), g));
  ns_report_add_note(s, "%s", groups->str);
}

NsReport *ns_show_sockets(const NsShowSource *src, NsNetNode *node) {
  NsNet *net = src->net;
  NsReport *r = ns_report_new();
  if (node != NULL) {
    sockets_of(r, node);
    return r;
  }
  gboolean first = TRUE;
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    if (n->ip == NULL)
      continue;
    if (!first)
      ns_report_add_gap(r);
    first = FALSE;
    sockets_of(r, n);
  }
  return r;
}

static const NsColumn tcp_columns[] = {
    {N_("NODE"), NS_ALIGN_LEFT},     {N_("LOCAL"), NS_ALIGN_LEFT},
    {N_("REMOTE"), NS_ALIGN_LEFT},   {N_("STATE"), NS_ALIGN_LEFT},
    {N_("SND.UNA"), NS_ALIGN_RIGHT}, {N_("SND.NXT"), NS_ALIGN_RIGHT},
    {N_("RCV.NXT"), NS_ALIGN_RIGHT}, {N_("SND.WND"), NS_ALIGN_RIGHT},
    {N_("RCV.WND"), NS_ALIGN_RIGHT}, {N_("CWND"), NS_ALIGN_RIGHT},
    {N_("RTO"), NS_ALIGN_RIGHT},     {N_("SRTT"), NS_ALIGN_RIGHT},
    {N_("RETRANS"), NS_ALIGN_RIGHT}, {N_("TIMEOUT/FAST"), NS_ALIGN_RIGHT},
};

/* Whether a connection of n (of every node when n is NULL) uses SACK. */
static gboolean any_sack(NsNet *net, NsNetNode *n) {
  for (guint k = 0; k < ns_net_n_nodes(net); k++) {
    NsNetNode *m = n != NULL ? n : ns_net_node(net, k);
    for (guint i = 0; m->tcp != NULL && i < ns_tcp_n_conns(m->tcp); i++) {
      NsTcpInfo ti;
      ns_tcp_info(ns_tcp_conn(m->tcp, i), &ti);
      if (ti.sack)
        return TRUE;
    }
    if (n != NULL)
      break;
  }
  return FALSE;
}

static void tcp_rows(NsTable *t, NsNetNode *n, gboolean sack) {
  for (guint i = 0; n->tcp != NULL && i < ns_tcp_n_conns(n->tcp); i++) {
    NsTcpInfo ti;
    char l[48], r[48], d[NS_TIME_STRLEN];
    ns_tcp_info(ns_tcp_conn(n->tcp, i), &ti);
    ns_table_cell(t, "%s", n->name);
    ns_table_cell(t, "%s",
                  ns_show_addr_port(ti.local, ti.local_port, l, sizeof l));
    ns_table_cell(t, "%s",
                  ns_show_addr_port(ti.remote, ti.remote_port, r, sizeof r));
    ns_table_cell(t, "%s", ns_tcp_state_name(ti.state));
    ns_table_cell(t, "%u", ti.snd_una);
    ns_table_cell(t, "%u", ti.snd_nxt);
    ns_table_cell(t, "%u", ti.rcv_nxt);
    ns_table_cell(t, "%u", ti.snd_wnd);
    ns_table_cell(t, "%u", ti.rcv_wnd);
    ns_table_cell(t, "%u", ti.cwnd);
    ns_table_cell(t, "%s", ns_show_duration(ti.rto, d));
    ns_table_cell(t, "%s", ti.srtt ? ns_show_duration(ti.srtt, d) : "-");
    ns_table_u64(t, ti.retransmits);
    ns_table_cell(t, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, ti.timeouts,
                  ti.fast_retransmits);
    if (sack && ti.sack)
      ns_table_u64(t, ti.sack_retransmits);
    else if (sack)
      ns_table_cell(t, "-");
  }
}

NsReport *ns_show_tcp(const NsShowSource *src, NsNetNode *node) {
  NsNet *net = src->net;
  NsReport *r = ns_report_new();
  g_autoptr(NsTable) t = ns_table_new(tcp_columns, G_N_ELEMENTS(tcp_columns));
  /* Holes resent in SACK recovery: a column only when SACK is in use. */
  gboolean sack = any_sack(net, node);
  if (sack)
    ns_table_add_column(t, N_("SACK.RTX"), NS_ALIGN_RIGHT);
  if (node != NULL) {
    tcp_rows(t, node, sack);
  } else {
    for (guint i = 0; i < ns_net_n_nodes(net); i++) {
      NsNetNode *n = ns_net_node(net, i);
      if (n->ip != NULL)
        tcp_rows(t, n, sack);
    }
  }
  if (ns_table_n_rows(t) == 0)
    ns_report_add_note(r, _("no TCP connections"));
  else
    ns_report_add_table(r, g_steal_pointer(&t));
  return r;
}

/* show_sockets.c — `show sockets` and `show tcp`. */
#include "cli/show.h"
#include "cli/table.h"

/* As netstat: "*:7" for a socket bound to every address. */
static const char *addr_port(NsIp4 ip, guint16 port, char *buf, gsize size) {
  g_assert(size >= NS_ENDPOINT_STRLEN);
  if (ns_ip4_is_zero(ip))
    g_snprintf(buf, size, "*:%u", port);
  else
    ns_endpoint_format(ip, port, buf);
  return buf;
}

static const char *service_on(NsNetNode *n, gboolean tcp, guint16 port) {
  if (n->services == NULL)
    return "";
  gint i = ns_services_find(n->services, tcp, port);
  return i < 0 ? ""
               : ns_service_kind_name(
                     ns_services_spec(n->services, (guint)i)->kind);
}

static void sockets_of(NsNetNode *n, FILE *out) {
  fprintf(out, "%s:\n", n->name);
  static const char *const headers[] = {"PROTO", "LOCAL", "REMOTE",  "STATE",
                                        ">RX",   ">TX",   ">QUEUED", "APP"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  guint rows = 0;
  char l[48], r[48];
  for (guint i = 0; i < ns_tcp_n_listeners(n->tcp); i++) {
    guint16 port = ns_tcp_listener_port(ns_tcp_listener(n->tcp, i));
    ns_table_cell(&t, "tcp");
    ns_table_cell(&t, "%s", addr_port((NsIp4){0}, port, l, sizeof l));
    ns_table_cell(&t, "*:*");
    ns_table_cell(&t, "LISTEN");
    ns_table_cell(&t, "-");
    ns_table_cell(&t, "-");
    ns_table_cell(&t, "-");
    ns_table_cell(&t, "%s", service_on(n, TRUE, port));
    rows++;
  }
  for (guint i = 0; i < ns_tcp_n_conns(n->tcp); i++) {
    NsTcpInfo ti;
    ns_tcp_info(ns_tcp_conn(n->tcp, i), &ti);
    ns_table_cell(&t, "tcp");
    ns_table_cell(&t, "%s", addr_port(ti.local, ti.local_port, l, sizeof l));
    ns_table_cell(&t, "%s", addr_port(ti.remote, ti.remote_port, r, sizeof r));
    ns_table_cell(&t, "%s", ns_tcp_state_name(ti.state));
    ns_table_u64(&t, ti.bytes_received);
    ns_table_u64(&t, ti.bytes_sent);
    ns_table_u64(&t, ti.bytes_queued);
    const char *app = service_on(n, TRUE, ti.local_port);
    ns_table_cell(&t, "%s", *app ? app : ti.released ? "(closed)" : "user");
    rows++;
  }
  for (guint i = 0; i < ns_udp_n_sockets(n->udp); i++) {
    NsUdpSocket *s = ns_udp_socket(n->udp, i);
    const NsUdpSocketCounters *c = ns_udp_socket_counters(s);
    guint16 port = ns_udp_local_port(s);
    ns_table_cell(&t, "udp");
    ns_table_cell(&t, "%s", addr_port(ns_udp_local_addr(s), port, l, sizeof l));
    ns_table_cell(&t, "*:*");
    ns_table_cell(&t, "-");
    ns_table_u64(&t, c->rx);
    ns_table_u64(&t, c->tx);
    ns_table_u64(&t, ns_udp_pending(s));
    const char *app = service_on(n, FALSE, port);
    ns_table_cell(&t, "%s", *app ? app : "user");
    rows++;
  }
  if (rows == 0) {
    fprintf(out, "  no sockets\n");
    ns_table_clear(&t);
  } else {
    ns_table_print(&t, out, "  ");
  }
  if (ns_ipnode_n_groups(n->ip) > 0) {
    fprintf(out, "  multicast groups:");
    char g[NS_IP4_STRLEN];
    for (guint i = 0; i < ns_ipnode_n_groups(n->ip); i++)
      fprintf(out, " %s", ns_ip4_format(ns_ipnode_group(n->ip, i), g));
    fprintf(out, "\n");
  }
}

void ns_show_sockets(NsNet *net, NsNetNode *node, FILE *out) {
  if (node != NULL) {
    sockets_of(node, out);
    return;
  }
  gboolean first = TRUE;
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    if (n->ip == NULL)
      continue;
    if (!first)
      fprintf(out, "\n");
    first = FALSE;
    sockets_of(n, out);
  }
}

static guint tcp_rows(NsNetNode *n, NsTable *t) {
  guint rows = 0;
  for (guint i = 0; i < ns_tcp_n_conns(n->tcp); i++) {
    NsTcpInfo ti;
    char l[48], r[48], d[NS_TIME_STRLEN];
    ns_tcp_info(ns_tcp_conn(n->tcp, i), &ti);
    ns_table_cell(t, "%s", n->name);
    ns_table_cell(t, "%s", addr_port(ti.local, ti.local_port, l, sizeof l));
    ns_table_cell(t, "%s", addr_port(ti.remote, ti.remote_port, r, sizeof r));
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
    rows++;
  }
  return rows;
}

void ns_show_tcp(NsNet *net, NsNetNode *node, FILE *out) {
  static const char *const headers[] = {
      "NODE",     "LOCAL",    "REMOTE",   "STATE",        ">SND.UNA",
      ">SND.NXT", ">RCV.NXT", ">SND.WND", ">RCV.WND",     ">CWND",
      ">RTO",     ">SRTT",    ">RETRANS", ">TIMEOUT/FAST"};
  NsTable t;
  ns_table_init(&t, G_N_ELEMENTS(headers), headers);
  guint rows = 0;
  if (node != NULL) {
    rows = tcp_rows(node, &t);
  } else {
    for (guint i = 0; i < ns_net_n_nodes(net); i++) {
      NsNetNode *n = ns_net_node(net, i);
      if (n->ip != NULL)
        rows += tcp_rows(n, &t);
    }
  }
  if (rows == 0) {
    fprintf(out, "no TCP connections\n");
    ns_table_clear(&t);
    return;
  }
  ns_table_print(&t, out, "");
}

/* show_received.c — `show received NODE`: the bytes the node's sockets
 * received, whole, as text: valid UTF-8 as itself (你好), other bytes
 * escaped as the log escapes them (\r, \x01), one line of output per line
 * of data.  Only what the node keeps can be shown, and the report says
 * how much that is:
 *   - the user's TCP connection (`tcp connect`, `http get`): its first
 *     NS_CLIENT_MAX_KEPT bytes (1 MiB);
 *   - the last datagram the user's UDP sockets received;
 *   - each service's latest client: its first NS_SERVICE_KEPT bytes
 *     (4 KiB) since it connected, or its latest datagram.
 *
 *   What h3 received (kept: ...):
 *     service tcp-reply 8080: 5 bytes from 192.168.1.10:37757
 *       hello
 */
#include "cli/show_private.h"
#include "core/i18n.h"
#include "core/text.h"

#include <string.h>

/* One note per line of data[0..len), '\n' ending a line. */
static void add_lines(NsReport *sec, const guint8 *data, gsize len) {
  gsize pos = 0;
  while (pos < len) {
    const guint8 *nl = memchr(data + pos, '\n', len - pos);
    gsize end = nl != NULL ? (gsize)(nl - data) : len;
    GString *g = g_string_new(NULL);
    ns_text_show_append(g, data + pos, end - pos, G_MAXSIZE);
    ns_report_add_note(sec, "%s", g->str);
    g_string_free(g, TRUE);
    pos = end + 1;
  }
}

/* A section for what one socket kept of total bytes. */
static void add_kept(NsReport *r, const char *title, const GByteArray *kept,
                     guint64 total) {
  NsReport *sec = ns_report_add_section(r, "%s", title);
  add_lines(sec, kept->data, kept->len);
  if (total > kept->len)
    ns_report_add_note(sec, "(%" G_GUINT64_FORMAT " more bytes not kept)",
                       total - kept->len);
}

static void add_client(NsReport *r, NsClient *cl, guint *n) {
  NsTcpConn *c = ns_client_tcp(cl);
  if (c != NULL && ns_client_tcp_received_total(cl) > 0) {
    NsTcpInfo i;
    ns_tcp_info(c, &i);
    char l[NS_ENDPOINT_STRLEN], p[NS_ENDPOINT_STRLEN];
    g_autofree char *title = g_strdup_printf(
        "tcp %s -> %s (%s): %" G_GUINT64_FORMAT " bytes",
        ns_endpoint_format(i.local, i.local_port, l),
        ns_endpoint_format(i.remote, i.remote_port, p),
        ns_tcp_state_name(ns_tcp_state(c)), ns_client_tcp_received_total(cl));
    add_kept(r, title, ns_client_tcp_received(cl),
             ns_client_tcp_received_total(cl));
    (*n)++;
  }
  GBytes *u = ns_client_udp_last(cl);
  if (u != NULL) {
    gsize len;
    const guint8 *d = g_bytes_get_data(u, &len);
    NsReport *sec = ns_report_add_section(
        r, "udp: the last datagram, %" G_GSIZE_FORMAT " bytes", len);
    add_lines(sec, d, len);
    (*n)++;
  }
}

static void add_services(NsReport *r, NsServices *svcs, guint *n) {
  for (guint i = 0; svcs != NULL && i < ns_services_n(svcs); i++) {
    guint64 total;
    NsIp4 peer;
    guint16 port;
    const GByteArray *kept =
        ns_services_received(svcs, i, &total, &peer, &port);
    if (total == 0)
      continue;
    const NsServiceSpec *spec = ns_services_spec(svcs, i);
    char p[NS_ENDPOINT_STRLEN];
    g_autofree char *title =
        g_strdup_printf("service %s %u: %" G_GUINT64_FORMAT " bytes from %s",
                        ns_service_kind_name(spec->kind), spec->port, total,
                        ns_endpoint_format(peer, port, p));
    add_kept(r, title, kept, total);
    (*n)++;
  }
}

NsReport *ns_show_received(const NsShowSource *src, NsNetNode *node) {
  g_return_val_if_fail(src != NULL && node != NULL && node->ip != NULL, NULL);
  NsReport *r = ns_report_new();
  NsReport *top = ns_report_add_section(r, _("What %s received:"), node->name);
  guint n = 0;
  if (node->client != NULL)
    add_client(top, node->client, &n);
  add_services(top, node->services, &n);
  if (n == 0)
    ns_report_add_note(top, _("nothing received yet"));
  if (node->kind == NS_NODE_BRIDGE)
    /* What it relays belongs to the outside programs, not to it. */
    ns_report_add_note(top,
                       _("%s is a bridge: what it relays is counted in "
                         "`show stats %s` (bridge.bytes_in, bridge.udp_in...) "
                         "and logged as bridge/close"),
                       node->name, node->name);
  ns_report_add_note(r,
                     _("(kept: a connection's first 1 MiB, the last "
                       "datagram, a service's latest client's first 4 KiB)"));
  return r;
}

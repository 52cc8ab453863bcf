/* scenario_sockets.c — the socket commands, one parse/run pair each:
 *
 *   NODE udp send DEST:PORT TEXT...|size N   one datagram
 *   NODE udp listen PORT                     a socket that prints arrivals
 *   NODE join GROUP | NODE leave GROUP       multicast membership
 *   NODE tcp connect DEST:PORT               the node's TCP connection
 *   NODE tcp send TEXT...|size N             queue data on it
 *   NODE tcp close | NODE tcp abort          FIN after the data / RST now
 *
 * DEST is what ping takes (address, node, NODE:IFACE) and may be a
 * broadcast or multicast address for UDP.  TEXT is the rest of the line,
 * words joined by one space ("quoted" keeps spaces; \n \r \t escapes work
 * in quotes); `size N` sends N bytes of a printable pattern instead.
 * Their expectations are in expect_sockets.c.
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"

#define MAX_TCP_SEND (64u << 20)

/* What a socket command is given (each uses some of it). */
typedef struct {
  NsIp4 dst;    /* udp send, tcp connect: the peer; join, leave: group */
  guint16 port; /* udp send, tcp connect: the peer's; udp listen: own */
  GBytes *data; /* udp send, tcp send: the text; NULL with size */
  gsize size;   /* `size N`: N bytes of the pattern, made when sent */
} SockArgs;

static void sock_args_free(gpointer data) {
  SockArgs *a = data;
  if (a->data != NULL)
    g_bytes_unref(a->data);
  g_free(a);
}

/* "'udp send'": the row's words, for messages. */
static char *row_ctx(const ScCmd *c) {
  return g_strdup_printf("'%s'", c->row->words);
}

/* ---- parsing ------------------------------------------------------------ */

/* DEST:PORT (the port after the last ':'). */
static gboolean parse_dest_port(ScParser *p, const char *ctx, SockArgs *a) {
  const char *w = ns_sc_take(p);
  const char *colon = w != NULL ? strrchr(w, ':') : NULL;
  if (colon == NULL || colon == w || colon[1] == '\0')
    return ns_sc_fail(p,
                      _("%s needs DEST:PORT such as h3:7 or 192.168.2.10:7, "
                        "got %s%s%s"),
                      ctx, w ? "'" : "", w ? w : _("nothing"), w ? "'" : "");
  guint64 port = 0;
  if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
    return ns_sc_fail(p, _("%s: '%s' is not a port (expected 1-65535)"), ctx,
                      colon + 1);
  g_autofree char *dest = g_strndup(w, (gsize)(colon - w));
  GError *err = NULL;
  if (!ns_net_resolve(p->net, dest, &a->dst, &err)) {
    ns_sc_fail(p, "%s: %s", ctx, err->message);
    g_error_free(err);
    return FALSE;
  }
  a->port = (guint16)port;
  return TRUE;
}

/* TEXT... or size N, from min to max bytes (a datagram may be empty, as
 * `udp send h3:7 ""` makes it; a TCP send of nothing sends nothing). */
static gboolean parse_payload(ScParser *p, const char *ctx, gsize min,
                              gsize max, SockArgs *a) {
  if (ns_sc_peek(p) == NULL)
    return ns_sc_fail(p,
                      _("%s needs what to send: text, or size N for N bytes "
                        "of a pattern"),
                      ctx);
  if (strcmp(ns_sc_peek(p), "size") == 0 && p->pos + 2 == p->n) {
    p->pos++;
    guint64 n;
    if (!ns_sc_uint(p, "'size'", min, max, &n))
      return FALSE;
    a->size = (gsize)n;
    return TRUE;
  }
  g_autofree char *text = ns_sc_rest(p);
  gsize len = strlen(text);
  if (len > max)
    return ns_sc_fail(p, _("%s: %lu bytes is more than %lu bytes at once"), ctx,
                      (unsigned long)len, (unsigned long)max);
  a->data = g_bytes_new(text, len);
  return TRUE;
}

gboolean ns_sc_parse_udp_send(ScParser *p, ScCmd *c) {
  SockArgs *a = SC_ARGS(c, SockArgs, sock_args_free);
  g_autofree char *ctx = row_ctx(c);
  return parse_dest_port(p, ctx, a) &&
         parse_payload(p, ctx, 0, NS_UDP_MAX_PAYLOAD, a);
}

gboolean ns_sc_parse_udp_listen(ScParser *p, ScCmd *c) {
  SockArgs *a = SC_ARGS(c, SockArgs, sock_args_free);
  g_autofree char *ctx = row_ctx(c);
  guint64 port;
  if (!ns_sc_uint(p, ctx, 1, 65535, &port))
    return FALSE;
  a->port = (guint16)port;
  return ns_sc_end(p);
}

/* join GROUP, leave GROUP */
gboolean ns_sc_parse_group_cmd(ScParser *p, ScCmd *c) {
  SockArgs *a = SC_ARGS(c, SockArgs, sock_args_free);
  g_autofree char *ctx =
      g_strdup_printf("'%s %s'", c->node->name, c->row->words);
  return ns_sc_group(p, ctx, &a->dst) && ns_sc_end(p);
}

gboolean ns_sc_parse_tcp_connect(ScParser *p, ScCmd *c) {
  SockArgs *a = SC_ARGS(c, SockArgs, sock_args_free);
  g_autofree char *ctx = row_ctx(c);
  return parse_dest_port(p, ctx, a) && ns_sc_end(p);
}

gboolean ns_sc_parse_tcp_send(ScParser *p, ScCmd *c) {
  SockArgs *a = SC_ARGS(c, SockArgs, sock_args_free);
  g_autofree char *ctx = row_ctx(c);
  return parse_payload(p, ctx, 1, MAX_TCP_SEND, a);
}

/* ---- running ------------------------------------------------------------ */

/* Prints "NODE: error: ..." when a socket call failed; takes err. */
static void report(ScState *st, const ScCmd *c, gboolean ok, GError *err) {
  if (ok)
    return;
  fprintf(st->out, _("%s: error: %s\n"), c->node->name, err->message);
  g_error_free(err);
}

void ns_sc_run_udp_send(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  GError *err = NULL;
  /* A datagram is at most 64 KiB: its pattern is made whole here. */
  g_autofree guint8 *made = NULL;
  gsize len = a->size;
  const guint8 *data;
  if (a->data != NULL) {
    data = g_bytes_get_data(a->data, &len);
  } else {
    made = g_malloc(len);
    ns_app_pattern(made, 0, len);
    data = made;
  }
  gboolean ok =
      ns_client_udp_send(ns_net_client(st->net, c->node), a->dst, a->port, data,
                         len, ns_net_now(st->net), &err);
  report(st, c, ok, err);
}

void ns_sc_run_udp_listen(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  GError *err = NULL;
  gboolean ok =
      ns_client_udp_listen(ns_net_client(st->net, c->node), a->port, &err);
  if (ok)
    fprintf(st->out, _("%s: listening on UDP port %u\n"), c->node->name,
            a->port);
  report(st, c, ok, err);
}

/* The IGMP report a join asks for (or the leave) is due at this instant:
 * it goes on the wire now, before the next command sends anything, as a
 * real stack's join call has sent it by the time it returns. */
static void run_instant(ScState *st) {
  ns_net_run_until(st->net, ns_net_now(st->net));
}

void ns_sc_run_join(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  char g[NS_IP4_STRLEN];
  ns_client_join(ns_net_client(st->net, c->node), a->dst);
  fprintf(st->out, _("%s: joined %s\n"), c->node->name,
          ns_ip4_format(a->dst, g));
  run_instant(st);
}

void ns_sc_run_leave(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  char g[NS_IP4_STRLEN];
  ns_ip4_format(a->dst, g);
  if (!ns_client_leave(ns_net_client(st->net, c->node), a->dst)) {
    /* As setsockopt(IP_DROP_MEMBERSHIP) answers EADDRNOTAVAIL. */
    fprintf(st->out, _("%s: error: %s has not joined %s: nothing to leave%s\n"),
            c->node->name, c->node->name, g,
            ns_ipnode_is_member(c->node->ip, a->dst)
                ? _(" (the node is a member: a service or another socket "
                    "joined it)")
                : "");
    return;
  }
  /* Membership is per socket, as in a real stack: a service that joined
   * the group keeps the node in it. */
  fprintf(st->out, _("%s: left %s%s\n"), c->node->name, g,
          ns_ipnode_is_member(c->node->ip, a->dst)
              ? _(" (still a member: a service or another socket joined it)")
              : "");
  run_instant(st);
}

void ns_sc_run_tcp_connect(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  GError *err = NULL;
  gboolean ok = ns_client_tcp_connect(ns_net_client(st->net, c->node), a->dst,
                                      a->port, ns_net_now(st->net), &err);
  report(st, c, ok, err);
}

void ns_sc_run_tcp_send(ScState *st, const ScCmd *c) {
  const SockArgs *a = c->args;
  NsClient *cl = ns_net_client(st->net, c->node);
  GError *err = NULL;
  gboolean ok;
  if (a->data != NULL) {
    gsize len;
    const guint8 *data = g_bytes_get_data(a->data, &len);
    ok = ns_client_tcp_send(cl, data, len, ns_net_now(st->net), &err);
  } else {
    ok = ns_client_tcp_send_pattern(cl, a->size, ns_net_now(st->net), &err);
  }
  report(st, c, ok, err);
}

void ns_sc_run_tcp_close(ScState *st, const ScCmd *c) {
  GError *err = NULL;
  gboolean ok = ns_client_tcp_close(ns_net_client(st->net, c->node),
                                    ns_net_now(st->net), &err);
  report(st, c, ok, err);
}

void ns_sc_run_tcp_abort(ScState *st, const ScCmd *c) {
  NsTcpConn *conn = ns_client_tcp(ns_net_client(st->net, c->node));
  if (conn == NULL) {
    fprintf(st->out, _("%s: error: %s has no TCP connection to abort\n"),
            c->node->name, c->node->name);
    return;
  }
  ns_tcp_abort(conn, ns_net_now(st->net));
  fprintf(st->out, _("%s: connection aborted (RST sent)\n"), c->node->name);
}

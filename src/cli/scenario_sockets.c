/* scenario_sockets.c — the socket commands and their expectations:
 *
 *   NODE udp send DEST:PORT TEXT...|size N   one datagram
 *   NODE udp listen PORT                     a socket that prints arrivals
 *   NODE join GROUP | NODE leave GROUP       multicast membership
 *   NODE tcp connect DEST:PORT               the node's TCP connection
 *   NODE tcp send TEXT...|size N             queue data on it
 *   NODE tcp close | NODE tcp abort          FIN after the data / RST now
 *
 *   expect NODE tcp state STATE
 *   expect NODE tcp received [OP] N [bytes] | "TEXT" | echo
 *   expect NODE udp received [OP] N | "TEXT"
 *   expect NODE group GROUP joined|left
 *   expect NODE service PORT[/tcp|/udp] FIELD [OP] N
 *
 * DEST is what ping takes (address, node, NODE:IFACE) and may be a
 * broadcast or multicast address for UDP.  TEXT is the rest of the line,
 * words joined by one space ("quoted" keeps spaces; \n \r \t escapes work
 * in quotes); `size N` sends N bytes of a printable pattern instead.
 */
#include <string.h>

#include "core/text.h"
#include "cli/scenario_private.h"

#define MAX_TCP_SEND (64u << 20)

/* DEST:PORT (the port after the last ':'). */
static gboolean parse_dest_port(ScParser *p, const char *ctx, ScCmd *c) {
  const char *w = ns_sc_take(p);
  const char *colon = w != NULL ? strrchr(w, ':') : NULL;
  if (colon == NULL || colon == w || colon[1] == '\0')
    return ns_sc_fail(p,
                      "%s needs DEST:PORT such as h3:7 or 192.168.2.10:7, "
                      "got %s%s%s",
                      ctx, w ? "'" : "", w ? w : "nothing", w ? "'" : "");
  guint64 port = 0;
  if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
    return ns_sc_fail(p, "%s: '%s' is not a port (expected 1-65535)", ctx,
                      colon + 1);
  g_autofree char *dest = g_strndup(w, (gsize)(colon - w));
  GError *err = NULL;
  if (!ns_net_resolve(p->net, dest, &c->dst, &err)) {
    ns_sc_fail(p, "%s: %s", ctx, err->message);
    g_error_free(err);
    return FALSE;
  }
  c->dst_name = g_strdup(dest);
  c->port = (guint16)port;
  return TRUE;
}

/* A printable pattern: lines of 63 letters and a newline, so that a
 * transfer can be told apart byte by byte and still reads in a log. */
static GBytes *pattern(gsize n) {
  guint8 *b = g_malloc(n > 0 ? n : 1);
  for (gsize i = 0; i < n; i++) {
    gsize line = i / 64, col = i % 64;
    b[i] = col == 63 ? '\n' : (guint8)('a' + (line + col) % 26);
  }
  return g_bytes_new_take(b, n);
}

/* TEXT... or size N, up to max bytes. */
static gboolean parse_payload(ScParser *p, const char *ctx, gsize max,
                              ScCmd *c) {
  if (ns_sc_peek(p) == NULL)
    return ns_sc_fail(p,
                      "%s needs what to send: text, or size N for N bytes "
                      "of a pattern",
                      ctx);
  if (strcmp(ns_sc_peek(p), "size") == 0 && p->pos + 2 == p->n) {
    p->pos++;
    guint64 n;
    if (!ns_sc_uint(p, "'size'", 1, max, &n))
      return FALSE;
    c->data = pattern((gsize)n);
    return TRUE;
  }
  g_autofree char *text = g_strjoinv(" ", p->words + p->pos);
  p->pos = p->n;
  gsize len = strlen(text);
  if (len > max)
    return ns_sc_fail(p,
                      "%s: %" G_GSIZE_FORMAT
                      " bytes is more than %" G_GSIZE_FORMAT " bytes at once",
                      ctx, len, max);
  c->data = g_bytes_new(text, len);
  return TRUE;
}

static gboolean parse_group(ScParser *p, const char *ctx, NsIp4 *out) {
  const char *w = ns_sc_take(p);
  if (w == NULL || !ns_ip4_parse(w, out, NULL) || !ns_ip4_is_multicast(*out))
    return ns_sc_fail(p,
                      "%s needs a multicast group (224.0.0.0 to "
                      "239.255.255.255, such as 239.1.1.1), got %s%s%s",
                      ctx, w ? "'" : "", w ? w : "nothing", w ? "'" : "");
  return TRUE;
}

gboolean ns_sc_parse_socket_cmd(ScParser *p, ScCmd *c, const char *verb) {
  const char *node = c->node->name;
  c->kind = SC_SOCKET;
  if (strcmp(verb, "join") == 0 || strcmp(verb, "leave") == 0) {
    c->sock = verb[0] == 'j' ? SC_JOIN : SC_LEAVE;
    g_autofree char *ctx = g_strdup_printf("'%s %s'", node, verb);
    return parse_group(p, ctx, &c->dst) && ns_sc_end(p);
  }
  const char *op = ns_sc_take(p);
  if (strcmp(verb, "udp") == 0) {
    if (op != NULL && strcmp(op, "send") == 0) {
      c->sock = SC_UDP_SEND;
      return parse_dest_port(p, "'udp send'", c) &&
             parse_payload(p, "'udp send'", NS_UDP_MAX_PAYLOAD, c);
    }
    if (op != NULL && strcmp(op, "listen") == 0) {
      c->sock = SC_UDP_LISTEN;
      guint64 port;
      if (!ns_sc_uint(p, "'udp listen'", 1, 65535, &port))
        return FALSE;
      c->port = (guint16)port;
      return ns_sc_end(p);
    }
    return ns_sc_fail(p, "'%s udp' needs send DEST:PORT TEXT or listen PORT",
                      node);
  }
  /* tcp */
  if (op != NULL && strcmp(op, "connect") == 0) {
    c->sock = SC_TCP_CONNECT;
    return parse_dest_port(p, "'tcp connect'", c) && ns_sc_end(p);
  }
  if (op != NULL && strcmp(op, "send") == 0) {
    c->sock = SC_TCP_SEND;
    return parse_payload(p, "'tcp send'", MAX_TCP_SEND, c);
  }
  if (op != NULL && strcmp(op, "close") == 0) {
    c->sock = SC_TCP_CLOSE;
    return ns_sc_end(p);
  }
  if (op != NULL && strcmp(op, "abort") == 0) {
    c->sock = SC_TCP_ABORT;
    return ns_sc_end(p);
  }
  return ns_sc_fail(p,
                    "'%s tcp' needs connect DEST:PORT, send TEXT, close or "
                    "abort",
                    node);
}

void ns_sc_run_socket_cmd(NsNet *net, const ScCmd *c, FILE *out) {
  NsClient *cl = ns_net_client(net, c->node);
  NsTime now = ns_net_now(net);
  GError *err = NULL;
  gsize len = 0;
  const guint8 *data = c->data != NULL ? g_bytes_get_data(c->data, &len) : NULL;
  gboolean ok = TRUE;
  char g[NS_IP4_STRLEN];
  switch (c->sock) {
  case SC_UDP_SEND:
    ok = ns_client_udp_send(cl, c->dst, c->port, data, len, now, &err);
    break;
  case SC_UDP_LISTEN:
    ok = ns_client_udp_listen(cl, c->port, &err);
    if (ok)
      fprintf(out, "%s: listening on UDP port %u\n", c->node->name, c->port);
    break;
  case SC_JOIN:
    ns_client_join(cl, c->dst);
    fprintf(out, "%s: joined %s\n", c->node->name, ns_ip4_format(c->dst, g));
    break;
  case SC_LEAVE:
    ns_client_leave(cl, c->dst);
    fprintf(out, "%s: left %s\n", c->node->name, ns_ip4_format(c->dst, g));
    break;
  case SC_TCP_CONNECT:
    ok = ns_client_tcp_connect(cl, c->dst, c->port, now, &err);
    break;
  case SC_TCP_SEND:
    ok = ns_client_tcp_send(cl, data, len, now, &err);
    break;
  case SC_TCP_CLOSE:
    ok = ns_client_tcp_close(cl, now, &err);
    break;
  case SC_TCP_ABORT:
    if (ns_client_tcp(cl) == NULL) {
      g_set_error(&err, NS_ERROR, NS_ERROR_INVALID,
                  "%s has no TCP connection to abort", c->node->name);
      ok = FALSE;
    } else {
      ns_tcp_abort(ns_client_tcp(cl), now);
      fprintf(out, "%s: connection aborted (RST sent)\n", c->node->name);
    }
    break;
  }
  if (!ok) {
    fprintf(out, "%s: error: %s\n", c->node->name, err->message);
    g_error_free(err);
  }
}

/* ---- expectations -------------------------------------------------------- */

static const struct {
  const char *name;
  gsize offset;
} service_fields[] = {
    {"connections", G_STRUCT_OFFSET(NsServiceStats, connections)},
    {"active", G_STRUCT_OFFSET(NsServiceStats, active)},
    {"datagrams", G_STRUCT_OFFSET(NsServiceStats, datagrams)},
    {"requests", G_STRUCT_OFFSET(NsServiceStats, requests)},
    {"not_found", G_STRUCT_OFFSET(NsServiceStats, not_found)},
    {"bytes_in", G_STRUCT_OFFSET(NsServiceStats, bytes_in)},
    {"bytes_out", G_STRUCT_OFFSET(NsServiceStats, bytes_out)},
};

/* A text to look for, rather than [OP] N: anything but an operator, a
 * number or an operator glued to a number ("404" is a count; say
 * "404 Not Found" to look for the text). */
static gboolean is_text(const char *w) {
  if (w == NULL)
    return FALSE;
  const char *s = w + strspn(w, "=!<>");
  if (*s == '\0')
    return s == w; /* an operator alone is not text; "" is */
  return s[strspn(s, "0123456789")] != '\0';
}

static gboolean parse_tcp_expect(ScParser *p, ScCmd *c, const char *ctx) {
  ScExpect *ex = &c->ex;
  if (ns_sc_accept(p, "state")) {
    ex->sock = SC_SX_TCP_STATE;
    const char *w = ns_sc_take(p);
    if (w == NULL || !ns_tcp_state_parse(w, &ex->tcp_state))
      return ns_sc_fail(p,
                        "%s state needs a TCP state such as ESTABLISHED, "
                        "SYN-SENT, FIN-WAIT-2, TIME-WAIT or CLOSED, got "
                        "%s%s%s",
                        ctx, w ? "'" : "", w ? w : "nothing", w ? "'" : "");
    return ns_sc_end(p);
  }
  if (ns_sc_accept(p, "lacks")) {
    ex->sock = SC_SX_TCP_LACKS;
    const char *w = ns_sc_take(p);
    if (w == NULL)
      return ns_sc_fail(p, "%s lacks needs the text, in quotes", ctx);
    ex->text = g_strdup(w);
    return ns_sc_end(p);
  }
  if (!ns_sc_accept(p, "received"))
    return ns_sc_fail(p,
                      "%s needs state STATE, received N|\"TEXT\"|echo or "
                      "lacks \"TEXT\"",
                      ctx);
  if (ns_sc_accept(p, "echo")) {
    ex->sock = SC_SX_TCP_ECHO;
    return ns_sc_end(p);
  }
  const char *w = ns_sc_peek(p);
  if (is_text(w)) {
    ex->sock = SC_SX_TCP_TEXT;
    ex->text = g_strdup(ns_sc_take(p));
    return ns_sc_end(p);
  }
  ex->sock = SC_SX_TCP_BYTES;
  /* "N bytes": drop a trailing unit word before comparing. */
  if (p->n > 0 && strcmp(p->words[p->n - 1], "bytes") == 0) {
    g_free(p->words[p->n - 1]);
    p->words[p->n - 1] = NULL;
    p->n--;
  }
  return ns_sc_parse_compare(p, ctx, FALSE, ex);
}

static gboolean parse_service_expect(ScParser *p, ScCmd *c, const char *ctx) {
  ScExpect *ex = &c->ex;
  ex->sock = SC_SX_SERVICE;
  const char *w = ns_sc_take(p);
  g_auto(GStrv) parts = w != NULL ? g_strsplit(w, "/", 2) : NULL;
  guint64 port = 0;
  if (parts == NULL ||
      !g_ascii_string_to_unsigned(parts[0], 10, 1, 65535, &port, NULL) ||
      (parts[1] != NULL && strcmp(parts[1], "tcp") != 0 &&
       strcmp(parts[1], "udp") != 0))
    return ns_sc_fail(p, "%s needs PORT, PORT/tcp or PORT/udp, got %s%s%s", ctx,
                      w ? "'" : "", w ? w : "nothing", w ? "'" : "");
  ex->sport = (guint16)port;
  NsServices *svcs = c->node->services;
  gint tcp_i = svcs != NULL ? ns_services_find(svcs, TRUE, ex->sport) : -1;
  gint udp_i = svcs != NULL ? ns_services_find(svcs, FALSE, ex->sport) : -1;
  if (parts[1] != NULL)
    ex->tcp = strcmp(parts[1], "tcp") == 0;
  else
    ex->tcp = tcp_i >= 0 || udp_i < 0;
  if ((ex->tcp ? tcp_i : udp_i) < 0)
    return ns_sc_fail(p,
                      "%s has no %sservice on port %u (see its services = "
                      "in the topology)",
                      c->node->name,
                      parts[1] == NULL ? ""
                      : ex->tcp        ? "TCP "
                                       : "UDP ",
                      ex->sport);
  const char *f = ns_sc_take(p);
  for (guint i = 0; f != NULL && i < G_N_ELEMENTS(service_fields); i++)
    if (strcmp(f, service_fields[i].name) == 0) {
      ex->index = i;
      return ns_sc_parse_compare(p, ctx, FALSE, ex);
    }
  return ns_sc_fail(p,
                    "%s needs connections, active, datagrams, requests, "
                    "not_found, bytes_in or bytes_out, got %s%s%s",
                    ctx, f ? "'" : "", f ? f : "nothing", f ? "'" : "");
}

gboolean ns_sc_parse_socket_expect(ScParser *p, ScCmd *c, const char *what) {
  ScExpect *ex = &c->ex;
  ex->kind = SC_EX_SOCKET;
  g_autofree char *ctx = g_strdup_printf("'expect %s %s'", c->node->name, what);
  if (strcmp(what, "tcp") == 0)
    return parse_tcp_expect(p, c, ctx);
  if (strcmp(what, "udp") == 0) {
    if (!ns_sc_accept(p, "received"))
      return ns_sc_fail(p, "%s needs received N or received \"TEXT\"", ctx);
    if (is_text(ns_sc_peek(p))) {
      ex->sock = SC_SX_UDP_TEXT;
      ex->text = g_strdup(ns_sc_take(p));
      return ns_sc_end(p);
    }
    ex->sock = SC_SX_UDP_COUNT;
    return ns_sc_parse_compare(p, ctx, FALSE, ex);
  }
  if (strcmp(what, "group") == 0) {
    if (!parse_group(p, ctx, &ex->ip))
      return FALSE;
    if (ns_sc_accept(p, "joined"))
      ex->sock = SC_SX_GROUP_MEMBER;
    else if (ns_sc_accept(p, "left"))
      ex->sock = SC_SX_GROUP_ABSENT;
    else
      return ns_sc_fail(p, "%s needs joined or left after the group", ctx);
    return ns_sc_end(p);
  }
  return parse_service_expect(p, c, ctx);
}

static gboolean contains(const guint8 *hay, gsize n, const char *needle) {
  gsize m = strlen(needle);
  if (m == 0)
    return TRUE;
  for (gsize i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0)
      return TRUE;
  return FALSE;
}

/* What was received, quoted for a "got" message. */
static void got_text(GString *got, const guint8 *p, gsize n) {
  g_string_append_c(got, '"');
  ns_text_excerpt_append(got, p, n, 60);
  g_string_append_c(got, '"');
}

gboolean ns_sc_eval_socket_expect(NsNet *net, const ScCmd *c, GString *got) {
  const ScExpect *ex = &c->ex;
  NsNetNode *n = c->node;
  NsClient *cl = n->client;
  NsTcpConn *conn = cl != NULL ? ns_client_tcp(cl) : NULL;
  char a[NS_IP4_STRLEN];
  (void)net;
  switch (ex->sock) {
  case SC_SX_TCP_STATE: {
    NsTcpState s = conn != NULL ? ns_tcp_state(conn) : NS_TCP_CLOSED;
    g_string_append(got, conn != NULL ? ns_tcp_state_name(s) : "no connection");
    return conn != NULL && s == ex->tcp_state;
  }
  case SC_SX_TCP_BYTES: {
    guint64 v = cl != NULL ? ns_client_tcp_received_total(cl) : 0;
    g_string_append_printf(got, "%" G_GUINT64_FORMAT " bytes", v);
    return ns_sc_compare(ex->op, (double)v, ex->value);
  }
  case SC_SX_TCP_TEXT:
  case SC_SX_TCP_LACKS: {
    const GByteArray *r = cl != NULL ? ns_client_tcp_received(cl) : NULL;
    gboolean want = ex->sock == SC_SX_TCP_TEXT;
    if (r == NULL || r->len == 0) {
      g_string_append(got, "nothing");
      return !want;
    }
    got_text(got, r->data, r->len);
    return contains(r->data, r->len, ex->text) == want;
  }
  case SC_SX_TCP_ECHO: {
    if (cl == NULL || conn == NULL) {
      g_string_append(got, "no connection");
      return FALSE;
    }
    const GByteArray *r = ns_client_tcp_received(cl);
    const GByteArray *s = ns_client_tcp_sent(cl);
    guint64 rt = ns_client_tcp_received_total(cl);
    guint64 st = ns_client_tcp_sent_total(cl);
    if (rt != st) {
      g_string_append_printf(
          got, "%" G_GUINT64_FORMAT " bytes back of %" G_GUINT64_FORMAT " sent",
          rt, st);
      return FALSE;
    }
    for (guint i = 0; i < r->len && i < s->len; i++)
      if (r->data[i] != s->data[i]) {
        g_string_append_printf(got, "byte %u differs: sent 0x%02x, got 0x%02x",
                               i, s->data[i], r->data[i]);
        return FALSE;
      }
    g_string_append_printf(got, "%" G_GUINT64_FORMAT " bytes identical", rt);
    return TRUE;
  }
  case SC_SX_UDP_COUNT: {
    guint64 v = ns_udp_counters(n->udp)->rx;
    g_string_append_printf(got, "%" G_GUINT64_FORMAT, v);
    return ns_sc_compare(ex->op, (double)v, ex->value);
  }
  case SC_SX_UDP_TEXT: {
    GBytes *b = cl != NULL ? ns_client_udp_last(cl) : NULL;
    if (b == NULL) {
      g_string_append(got, "no datagram");
      return FALSE;
    }
    gsize len;
    const guint8 *d = g_bytes_get_data(b, &len);
    got_text(got, d, len);
    return contains(d, len, ex->text);
  }
  case SC_SX_GROUP_MEMBER:
  case SC_SX_GROUP_ABSENT: {
    gboolean m = ns_ipnode_is_member(n->ip, ex->ip);
    g_string_append_printf(got, "%s %s %s", n->name,
                           m ? "is a member of" : "is not in",
                           ns_ip4_format(ex->ip, a));
    return m == (ex->sock == SC_SX_GROUP_MEMBER);
  }
  case SC_SX_SERVICE: {
    gint i = ns_services_find(n->services, ex->tcp, ex->sport);
    const NsServiceStats *st = ns_services_stats(n->services, (guint)i);
    guint64 v = G_STRUCT_MEMBER(guint64, st, service_fields[ex->index].offset);
    g_string_append_printf(got, "%" G_GUINT64_FORMAT, v);
    return ns_sc_compare(ex->op, (double)v, ex->value);
  }
  }
  return FALSE;
}

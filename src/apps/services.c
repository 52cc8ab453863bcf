/* services.c — the services of one node, over its TCP and UDP: what every
 * kind shares (see services_private.h for how a kind plugs in).
 *
 * Each service is a listener (TCP kinds) or a socket bound to the wildcard
 * address (UDP kinds).  Each accepted connection gets an NsServiceConn:
 * what is still to be sent (out), and what the kind keeps (in).
 *
 * Work is done in one place, pump(), called by the accept, readable and
 * writable callbacks (TCP allows sends and closes from inside them).
 *
 * Backpressure: pump() first hands out to TCP; while anything is left over
 * (the send buffer is full) it reads nothing more, so the receive window
 * closes and the client slows down; writable resumes it.
 */
#include "apps/services_private.h"
#include "core/i18n.h"
#include "core/text.h"

#include <string.h>

#define READ_CHUNK 4096
#define EXCERPT_MAX 32 /* bytes of what arrived shown in the log */

struct NsServices {
  NsIpNode *node;
  NsUdp *udp;
  NsTcp *tcp;
  NsCtx *ctx;
  GPtrArray *list; /* NsService*, in start order */
  NsTime now;      /* the latest time we were told; never ahead */
};

/* ---- log ----------------------------------------------------------------- */

NsLog *ns_service_log(const NsService *svc) { return svc->svcs->ctx->log; }

const char *ns_service_node_name(const NsService *svc) {
  return ns_ipnode_name(svc->svcs->node);
}

static const char *name_of(const NsService *svc) {
  return svc->spec.kind->name;
}

static void note_time(NsServices *s, NsTime now) { s->now = MAX(s->now, now); }

/* 'hello\n'... for a log line: text as the client's own lines show it
 * (你好 as itself, so that `expect log contains` finds it), control
 * bytes and broken UTF-8 escaped. */
static char *excerpt(const guint8 *p, gsize len) {
  GString *s = g_string_new("'");
  ns_text_show_append(s, p, len, EXCERPT_MAX);
  g_string_append_c(s, '\'');
  return g_string_free(s, FALSE);
}

void ns_service_log_reply(const NsService *svc, NsIp4 peer, guint16 peer_port,
                          gsize n, const char *what, const char *why,
                          NsTime now) {
  NsLog *log = ns_service_log(svc);
  if (!ns_log_on(log))
    return;
  char p[NS_ENDPOINT_STRLEN];
  ns_log_printf(log, now, ns_service_node_name(svc), "service/reply", 0,
                ns_log_explain(log) ? why : NULL,
                "%s %u: %s%s%" G_GSIZE_FORMAT " bytes to %s", name_of(svc),
                svc->spec.port, what ? what : "", what ? ", " : "", n,
                ns_endpoint_format(peer, peer_port, p));
}

/* Keeps what a client sent for `show received`: a new client (start)
 * replaces the previous one's bytes. */
static void keep_received(NsService *svc, const guint8 *data, gsize n,
                          NsIp4 peer, guint16 peer_port, gboolean start) {
  if (start || svc->kept_peer.v != peer.v || svc->kept_port != peer_port) {
    g_byte_array_set_size(svc->kept, 0);
    svc->kept_total = 0;
    svc->kept_peer = peer;
    svc->kept_port = peer_port;
  }
  svc->kept_total += n;
  if (svc->kept->len < NS_SERVICE_KEPT)
    g_byte_array_append(svc->kept, data,
                        (guint)MIN(n, NS_SERVICE_KEPT - svc->kept->len));
}

/* "tcp-reply 8080: 5 bytes from 192.168.1.10:40000: 'hello'": what a
 * client said (a TCP read or a datagram), an excerpt. */
static void log_receive(const NsService *svc, const guint8 *data, gsize n,
                        NsIp4 peer, guint16 peer_port, NsTime now) {
  NsLog *log = ns_service_log(svc);
  if (!ns_log_on(log))
    return;
  char p[NS_ENDPOINT_STRLEN];
  g_autofree char *ex = excerpt(data, n);
  ns_log_printf(log, now, ns_service_node_name(svc), "service/receive", 0, NULL,
                "%s %u: %" G_GSIZE_FORMAT " bytes from %s: %s", name_of(svc),
                svc->spec.port, n, ns_endpoint_format(peer, peer_port, p), ex);
}

/* ---- TCP connections ----------------------------------------------------- */

static void conn_free(NsServiceConn *c) {
  g_byte_array_unref(c->out);
  if (c->in != NULL)
    g_byte_array_unref(c->in);
  g_free(c);
}

/* The connection is over: log, release, forget. */
static void conn_finish(NsServiceConn *c, NsTime now) {
  NsService *svc = c->svc;
  NsLog *log = ns_service_log(svc);
  if (ns_log_on(log)) {
    char p[NS_ENDPOINT_STRLEN];
    gboolean normal = c->why == NS_TCP_CLOSE_NORMAL;
    const char *why = NULL;
    if (ns_log_explain(log))
      why = normal ? N_("both sides closed their direction")
                   : N_("the connection ended abnormally: what was not sent is "
                        "lost");
    ns_log_printf(log, now, ns_service_node_name(svc), "service/close", 0, why,
                  "%s %u: connection from %s %s%s", name_of(svc),
                  svc->spec.port, ns_endpoint_format(c->peer, c->peer_port, p),
                  normal ? "closed" : "ended: ",
                  normal ? "" : ns_tcp_close_reason_name(c->why));
  }
  svc->stats.active--;
  ns_tcp_release(c->conn);
  g_ptr_array_remove(svc->conns, c);
  conn_free(c);
}

gboolean ns_service_conn_flush(NsServiceConn *c, NsTime now) {
  while (c->out->len > 0) {
    gsize n = ns_tcp_send(c->conn, c->out->data, c->out->len, now);
    if (n == 0) {
      NsTcpState st = ns_tcp_state(c->conn);
      if (st != NS_TCP_ESTABLISHED && st != NS_TCP_CLOSE_WAIT)
        g_byte_array_set_size(c->out, 0); /* can never be sent */
      return c->out->len == 0;
    }
    c->svc->stats.bytes_out += n;
    g_byte_array_remove_range(c->out, 0, (guint)n);
  }
  return TRUE;
}

void ns_service_conn_queue(NsServiceConn *c, const void *data, gsize len) {
  g_byte_array_append(c->out, data, (guint)len);
}

/* Reads what may be read, lets the kind answer, sends; closes when the job
 * is done.  The steps are drawn in services_private.h. */
static void pump(NsServiceConn *c, NsTime now) {
  NsService *svc = c->svc;
  const NsServiceOps *ops = svc->spec.kind->ops;
  guint8 buf[READ_CHUNK];
  gsize got = 0;
  c->pumping = TRUE;
  for (;;) {
    if (!ns_service_conn_flush(c, now))
      break; /* backpressure: writable will call us again */
    if (ops->serve != NULL) {
      ops->serve(c, now);
      if (c->out->len > 0)
        break;
    }
    gsize n = ns_tcp_recv(c->conn, buf, sizeof buf, now);
    if (n == 0)
      break;
    got += n;
    svc->stats.bytes_in += n;
    log_receive(svc, buf, n, c->peer, c->peer_port, now);
    keep_received(svc, buf, n, c->peer, c->peer_port, FALSE);
    if (c->finish || c->closing)
      continue; /* the answer is given: the rest is read and dropped */
    if (ops->receive != NULL)
      ops->receive(c, buf, n, now);
  }
  /* Once per batch of arrivals, however many reads it took. */
  if (got > 0 && ops->batch != NULL && !c->closing)
    ops->batch(c, now);
  if (!c->closing && c->out->len == 0 && (c->finish || ns_tcp_eof(c->conn))) {
    c->closing = TRUE;
    ns_tcp_close(c->conn, now);
  }
  c->pumping = FALSE;
  if (c->dead)
    conn_finish(c, now);
}

/* readable and writable alike: read, answer, send what fits. */
static void conn_ready(NsTcpConn *tc, NsTime now, gpointer data) {
  (void)tc;
  NsServiceConn *c = data;
  note_time(c->svc->svcs, now);
  pump(c, now);
}

static void conn_closed(NsTcpConn *tc, NsTcpCloseReason why, NsTime now,
                        gpointer data) {
  (void)tc;
  NsServiceConn *c = data;
  note_time(c->svc->svcs, now);
  c->why = why;
  if (c->pumping)
    c->dead = TRUE;
  else
    conn_finish(c, now);
}

static void on_accept(NsTcpListener *l, NsTcpConn *tc, NsTime now,
                      gpointer data) {
  (void)l;
  NsService *svc = data;
  note_time(svc->svcs, now);
  NsServiceConn *c = g_new0(NsServiceConn, 1);
  c->svc = svc;
  c->conn = tc;
  c->out = g_byte_array_new();
  NsTcpInfo info;
  ns_tcp_info(tc, &info);
  c->local = info.local;
  c->peer = info.remote;
  c->peer_port = info.remote_port;
  g_ptr_array_add(svc->conns, c);
  keep_received(svc, NULL, 0, c->peer, c->peer_port, TRUE);
  svc->stats.connections++;
  svc->stats.active++;
  NsTcpCallbacks cb = {.readable = conn_ready,
                       .writable = conn_ready,
                       .closed = conn_closed,
                       .data = c};
  ns_tcp_set_callbacks(tc, &cb);
  NsLog *log = ns_service_log(svc);
  if (ns_log_on(log)) {
    char p[NS_ENDPOINT_STRLEN];
    ns_log_printf(log, now, ns_service_node_name(svc), "service/accept", 0,
                  NULL, "%s %u: connection from %s", name_of(svc),
                  svc->spec.port, ns_endpoint_format(c->peer, c->peer_port, p));
  }
  /* Data may have come with the handshake's last segment. */
  pump(c, now);
}

/* ---- UDP ----------------------------------------------------------------- */

static void udp_datagram(NsService *svc, GBytes *b, NsIp4 from, guint16 port,
                         NsTime now) {
  gsize len;
  const guint8 *p = g_bytes_get_data(b, &len);
  svc->stats.datagrams++;
  svc->stats.bytes_in += len;
  log_receive(svc, p, len, from, port, now);
  keep_received(svc, p, len, from, port, TRUE);
  if (svc->spec.kind->ops->datagram != NULL)
    svc->spec.kind->ops->datagram(svc, p, len, from, port, now);
}

static void udp_readable(NsUdpSocket *sock, NsTime now, gpointer data) {
  (void)sock;
  NsService *svc = data;
  note_time(svc->svcs, now);
  NsIp4 from;
  guint16 port;
  GBytes *b;
  while ((b = ns_udp_recvfrom(svc->sock, &from, &port)) != NULL) {
    udp_datagram(svc, b, from, port, now);
    g_bytes_unref(b);
  }
}

void ns_service_join(NsService *svc, NsIp4 group) {
  g_return_if_fail(svc->sock != NULL);
  ns_udp_join(svc->sock, group);
  svc->group = group;
}

/* ---- services ------------------------------------------------------------ */

NsServices *ns_services_new(NsIpNode *node, NsUdp *udp, NsTcp *tcp) {
  g_return_val_if_fail(node != NULL, NULL);
  NsServices *s = g_new0(NsServices, 1);
  s->node = node;
  s->udp = udp;
  s->tcp = tcp;
  s->ctx = ns_ipnode_ctx(node);
  s->list = g_ptr_array_new();
  return s;
}

/* Connections are aborted at the latest time the services know: freeing
 * is not given a time. */
static void service_stop(NsService *svc) {
  NsServices *s = svc->svcs;
  while (svc->conns->len > 0) {
    NsServiceConn *c = g_ptr_array_steal_index(svc->conns, svc->conns->len - 1);
    if (!c->dead)
      ns_tcp_abort(c->conn, s->now);
    ns_tcp_release(c->conn);
    conn_free(c);
  }
  g_ptr_array_unref(svc->conns);
  if (svc->listener != NULL)
    ns_tcp_unlisten(svc->listener, s->now);
  if (svc->sock != NULL)
    ns_udp_close(svc->sock);
  ns_service_spec_clear(&svc->spec);
  g_byte_array_unref(svc->kept);
  g_free(svc);
}

void ns_services_free(NsServices *svcs) {
  if (svcs == NULL)
    return;
  for (guint i = 0; i < svcs->list->len; i++)
    service_stop(g_ptr_array_index(svcs->list, i));
  g_ptr_array_unref(svcs->list);
  g_free(svcs);
}

/* Opens the listener or socket of svc; FALSE (error set) when the port
 * cannot be had. */
static gboolean service_open(NsService *svc, GError **error) {
  NsServices *s = svc->svcs;
  if (ns_service_kind_is_tcp(svc->spec.kind)) {
    svc->listener =
        ns_tcp_listen(s->tcp, svc->spec.port, on_accept, svc, error);
    return svc->listener != NULL;
  }
  NsUdpCallbacks cb = {.readable = udp_readable, .data = svc};
  svc->sock = ns_udp_open(s->udp, (NsIp4){0}, svc->spec.port, &cb, error);
  return svc->sock != NULL;
}

static void log_start(const NsService *svc, NsTime now) {
  NsLog *log = ns_service_log(svc);
  if (!ns_log_on(log))
    return;
  g_autofree char *f = ns_service_spec_format(&svc->spec);
  const char *why = NULL;
  if (ns_log_explain(log))
    why = ns_service_kind_is_tcp(svc->spec.kind)
              ? "a TCP listener accepts connections on the port"
          : ns_ip4_is_zero(svc->group)
              ? "a UDP socket bound to the port on every address"
              : "a UDP socket bound to the port, and the node joins the "
                "group so that the group's datagrams are delivered";
  ns_log_printf(log, now, ns_service_node_name(svc), "service/start", 0, why,
                "%s", f);
}

gboolean ns_services_start(NsServices *svcs, const NsServiceSpec *spec,
                           NsTime now, GError **error) {
  g_return_val_if_fail(svcs != NULL && spec != NULL, FALSE);
  gboolean tcp = ns_service_kind_is_tcp(spec->kind);
  g_return_val_if_fail(tcp ? svcs->tcp != NULL : svcs->udp != NULL, FALSE);
  note_time(svcs, now);
  gint other = ns_services_find(svcs, tcp, spec->port);
  if (other >= 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s port %u is taken by %s"), tcp ? "TCP" : "UDP", spec->port,
                name_of(g_ptr_array_index(svcs->list, (guint)other)));
    return FALSE;
  }
  NsService *svc = g_new0(NsService, 1);
  svc->svcs = svcs;
  svc->conns = g_ptr_array_new();
  svc->kept = g_byte_array_new();
  ns_service_spec_copy(&svc->spec, spec);
  if (!service_open(svc, error)) {
    service_stop(svc);
    return FALSE;
  }
  if (spec->kind->ops->start != NULL)
    spec->kind->ops->start(svc);
  g_ptr_array_add(svcs->list, svc);
  log_start(svc, now);
  return TRUE;
}

guint ns_services_n(const NsServices *svcs) {
  g_return_val_if_fail(svcs != NULL, 0);
  return svcs->list->len;
}

static const NsService *service_at(const NsServices *svcs, guint i) {
  return g_ptr_array_index(svcs->list, i);
}

const NsServiceSpec *ns_services_spec(const NsServices *svcs, guint i) {
  g_return_val_if_fail(svcs != NULL && i < svcs->list->len, NULL);
  return &service_at(svcs, i)->spec;
}

const NsServiceStats *ns_services_stats(const NsServices *svcs, guint i) {
  g_return_val_if_fail(svcs != NULL && i < svcs->list->len, NULL);
  return &service_at(svcs, i)->stats;
}

const GByteArray *ns_services_received(const NsServices *svcs, guint i,
                                       guint64 *total, NsIp4 *peer,
                                       guint16 *peer_port) {
  g_return_val_if_fail(svcs != NULL && i < svcs->list->len, NULL);
  const NsService *svc = service_at(svcs, i);
  if (total != NULL)
    *total = svc->kept_total;
  if (peer != NULL)
    *peer = svc->kept_peer;
  if (peer_port != NULL)
    *peer_port = svc->kept_port;
  return svc->kept;
}

gint ns_services_find(const NsServices *svcs, gboolean tcp, guint16 port) {
  g_return_val_if_fail(svcs != NULL, -1);
  for (guint i = 0; i < svcs->list->len; i++) {
    const NsServiceSpec *s = &service_at(svcs, i)->spec;
    if (s->port == port && ns_service_kind_is_tcp(s->kind) == tcp)
      return (gint)i;
  }
  return -1;
}

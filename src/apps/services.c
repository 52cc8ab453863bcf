/* services.c — the services of one node, over its TCP and UDP.
 *
 * Each service is a listener (TCP kinds) or a socket bound to the wildcard
 * address (UDP kinds).  Each accepted connection gets a Conn: what is
 * still to be sent (out), and for http what arrived but is not answered
 * yet (in).
 *
 * Work is done in one place, pump(), called by the accept, readable and
 * writable callbacks (TCP allows sends and closes from inside them).
 *
 * Backpressure: pump() first hands out to TCP; while anything is left over
 * (the send buffer is full) it reads nothing more, so the receive window
 * closes and the client slows down; writable resumes it.
 */
#include "core/text.h"
#include "apps/services_private.h"

#include <string.h>

#define READ_CHUNK 4096
#define EXCERPT_MAX 32 /* bytes of a datagram shown in udp-listen's log */

typedef struct Service Service;

typedef struct {
  Service *svc;
  NsTcpConn *conn;
  NsIp4 local, peer;
  guint16 peer_port;
  GByteArray *out;  /* accepted by us, not yet by TCP */
  GByteArray *in;   /* http: arrived, not yet answered */
  gboolean closing; /* ns_tcp_close called */
  gboolean finish;  /* close once out is empty (http: Connection: close) */
  gboolean pumping; /* inside pump(): closed is handled when it returns */
  gboolean dead;    /* closed arrived during pump() */
  NsTcpCloseReason why;
} Conn;

struct Service {
  NsServices *svcs;
  NsServiceSpec spec;
  NsServiceStats stats;
  NsTcpListener *listener; /* TCP kinds */
  NsUdpSocket *sock;       /* UDP kinds */
  GPtrArray *conns;        /* Conn*, open connections in accept order */
};

struct NsServices {
  NsIpNode *node;
  NsUdp *udp;
  NsTcp *tcp;
  NsCtx *ctx;
  GPtrArray *list; /* Service*, in start order */
  NsTime now;      /* the latest time we were told; never ahead */
};

/* ---- log ----------------------------------------------------------------- */

static NsLog *log_of(const NsServices *s) { return s->ctx->log; }

static const char *name_of(const Service *svc) {
  return ns_service_kind_name(svc->spec.kind);
}

static void note_time(NsServices *s, NsTime now) { s->now = MAX(s->now, now); }

/* 'hello\n'... for a log line. */
static char *excerpt(const guint8 *p, gsize len) {
  GString *s = g_string_new("'");
  ns_text_excerpt_append(s, p, len, EXCERPT_MAX);
  g_string_append_c(s, '\'');
  return g_string_free(s, FALSE);
}

/* ---- TCP connections ----------------------------------------------------- */

static void conn_free(Conn *c) {
  g_byte_array_unref(c->out);
  if (c->in != NULL)
    g_byte_array_unref(c->in);
  g_free(c);
}

/* The connection is over: log, release, forget. */
static void conn_finish(Conn *c, NsTime now) {
  Service *svc = c->svc;
  NsLog *log = log_of(svc->svcs);
  if (ns_log_on(log)) {
    char p[NS_ENDPOINT_STRLEN];
    gboolean normal = c->why == NS_TCP_CLOSE_NORMAL;
    const char *why = NULL;
    if (ns_log_explain(log))
      why = normal ? "both sides closed their direction"
                   : "the connection ended abnormally: what was not sent is "
                     "lost";
    ns_log_printf(log, now, ns_ipnode_name(svc->svcs->node), "service/close", 0,
                  why, "%s %u: connection from %s %s%s", name_of(svc),
                  svc->spec.port, ns_endpoint_format(c->peer, c->peer_port, p),
                  normal ? "closed" : "ended: ",
                  normal ? "" : ns_tcp_close_reason_name(c->why));
  }
  svc->stats.active--;
  ns_tcp_release(c->conn);
  g_ptr_array_remove(svc->conns, c);
  conn_free(c);
}

/* Hands out to TCP; TRUE when all of it was taken. */
static gboolean flush(Conn *c, NsTime now) {
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

static void queue_out(Conn *c, const void *p, gsize len) {
  g_byte_array_append(c->out, p, (guint)len);
}

static void log_receive(Conn *c, gsize n, NsTime now) {
  NsLog *log = log_of(c->svc->svcs);
  if (!ns_log_on(log))
    return;
  char p[NS_ENDPOINT_STRLEN];
  ns_log_printf(log, now, ns_ipnode_name(c->svc->svcs->node), "service/receive",
                0, NULL, "%s %u: %" G_GSIZE_FORMAT " bytes from %s",
                name_of(c->svc), c->svc->spec.port, n,
                ns_endpoint_format(c->peer, c->peer_port, p));
}

static void log_reply(Conn *c, gsize n, const char *what, const char *why,
                      NsTime now) {
  NsLog *log = log_of(c->svc->svcs);
  if (!ns_log_on(log))
    return;
  char p[NS_ENDPOINT_STRLEN];
  ns_log_printf(log, now, ns_ipnode_name(c->svc->svcs->node), "service/reply",
                0, ns_log_explain(log) ? why : NULL,
                "%s %u: %s%s%" G_GSIZE_FORMAT " bytes to %s", name_of(c->svc),
                c->svc->spec.port, what ? what : "", what ? ", " : "", n,
                ns_endpoint_format(c->peer, c->peer_port, p));
}

/* Answers every complete request in c->in while the output drains. */
static void http_serve(Conn *c, NsTime now) {
  Service *svc = c->svc;
  NsHttpSite site = {ns_ipnode_name(svc->svcs->node), c->local, svc->spec.port};
  NsHttpAnswer a;
  while (!c->finish && c->out->len == 0 &&
         ns_http_answer(c->in->data, c->in->len, &site, c->out, &a)) {
    g_byte_array_remove_range(c->in, 0, (guint)a.request_len);
    svc->stats.requests++;
    svc->stats.not_found += a.status == 404;
    c->finish = a.close;
    if (ns_log_on(log_of(svc->svcs))) {
      g_autofree char *what =
          a.method[0] != '\0'
              ? g_strdup_printf("%u %s %s", a.status, a.method, a.path)
              : g_strdup_printf("%u (bad request)", a.status);
      log_reply(c, a.response_len, what,
                a.close ? "the connection closes after this answer"
                        : "the connection stays open for the next request",
                now);
    }
    flush(c, now);
  }
}

/* Reads what may be read, answers, sends; closes when the job is done. */
static void pump(Conn *c, NsTime now) {
  Service *svc = c->svc;
  guint8 buf[READ_CHUNK];
  gsize got = 0;
  c->pumping = TRUE;
  for (;;) {
    if (!flush(c, now))
      break; /* backpressure: writable will call us again */
    if (svc->spec.kind == NS_SVC_HTTP) {
      http_serve(c, now);
      if (c->out->len > 0)
        break;
    }
    gsize n = ns_tcp_recv(c->conn, buf, sizeof buf, now);
    if (n == 0)
      break;
    got += n;
    svc->stats.bytes_in += n;
    log_receive(c, n, now);
    if (c->finish || c->closing)
      continue; /* the answer is given: the rest is read and dropped */
    if (svc->spec.kind == NS_SVC_TCP_ECHO) {
      queue_out(c, buf, n);
      log_reply(c, n, "echo", "tcp-echo sends back every byte it reads", now);
    } else if (svc->spec.kind == NS_SVC_HTTP) {
      g_byte_array_append(c->in, buf, (guint)n);
    }
  }
  if (got > 0 && svc->spec.kind == NS_SVC_TCP_REPLY && !c->closing) {
    /* Once per batch of arrivals, however many reads it took. */
    queue_out(c, svc->spec.text, strlen(svc->spec.text));
    queue_out(c, "\n", 1);
    log_reply(c, strlen(svc->spec.text) + 1, svc->spec.text,
              "tcp-reply answers its text each time data arrives", now);
    flush(c, now);
  }
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
  Conn *c = data;
  note_time(c->svc->svcs, now);
  pump(c, now);
}

static void conn_closed(NsTcpConn *tc, NsTcpCloseReason why, NsTime now,
                        gpointer data) {
  (void)tc;
  Conn *c = data;
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
  Service *svc = data;
  note_time(svc->svcs, now);
  Conn *c = g_new0(Conn, 1);
  c->svc = svc;
  c->conn = tc;
  c->out = g_byte_array_new();
  if (svc->spec.kind == NS_SVC_HTTP)
    c->in = g_byte_array_new();
  NsTcpInfo info;
  ns_tcp_info(tc, &info);
  c->local = info.local;
  c->peer = info.remote;
  c->peer_port = info.remote_port;
  g_ptr_array_add(svc->conns, c);
  svc->stats.connections++;
  svc->stats.active++;
  NsTcpCallbacks cb = {.readable = conn_ready,
                       .writable = conn_ready,
                       .closed = conn_closed,
                       .data = c};
  ns_tcp_set_callbacks(tc, &cb);
  NsLog *log = log_of(svc->svcs);
  if (ns_log_on(log)) {
    char p[NS_ENDPOINT_STRLEN];
    ns_log_printf(log, now, ns_ipnode_name(svc->svcs->node), "service/accept",
                  0, NULL, "%s %u: connection from %s", name_of(svc),
                  svc->spec.port, ns_endpoint_format(c->peer, c->peer_port, p));
  }
  /* Data may have come with the handshake's last segment. */
  pump(c, now);
}

/* ---- UDP ----------------------------------------------------------------- */

static void udp_datagram(Service *svc, GBytes *b, NsIp4 from, guint16 port,
                         NsTime now) {
  NsLog *log = log_of(svc->svcs);
  const char *node = ns_ipnode_name(svc->svcs->node);
  gsize len;
  const guint8 *p = g_bytes_get_data(b, &len);
  char ep[NS_ENDPOINT_STRLEN];
  svc->stats.datagrams++;
  svc->stats.bytes_in += len;
  if (ns_log_on(log)) {
    g_autofree char *ex = excerpt(p, len);
    ns_log_printf(log, now, node, "service/receive", 0, NULL,
                  "%s %u: %" G_GSIZE_FORMAT " bytes from %s: %s", name_of(svc),
                  svc->spec.port, len, ns_endpoint_format(from, port, ep), ex);
  }
  if (svc->spec.kind != NS_SVC_UDP_ECHO)
    return;
  /* Two echo services answering each other would never stop (the UDP
   * echo loop, CVE-1999-0103): a datagram from an echo port is not
   * echoed. */
  if (port == svc->spec.port) {
    if (ns_log_on(log))
      ns_log_printf(log, now, node, "service/reply", 0,
                    ns_log_explain(log)
                        ? "the sender's port is the echo port: answering "
                          "could start an endless echo loop"
                        : NULL,
                    "udp-echo %u: not echoed to %s", svc->spec.port,
                    ns_endpoint_format(from, port, ep));
    return;
  }
  if (ns_udp_sendto(svc->sock, from, port, p, len, now, NULL))
    svc->stats.bytes_out += len;
  if (ns_log_on(log))
    ns_log_printf(log, now, node, "service/reply", 0,
                  ns_log_explain(log) ? "udp-echo sends every datagram back "
                                        "to its sender"
                                      : NULL,
                  "udp-echo %u: echo, %" G_GSIZE_FORMAT " bytes to %s",
                  svc->spec.port, len, ns_endpoint_format(from, port, ep));
}

static void udp_readable(NsUdpSocket *sock, NsTime now, gpointer data) {
  (void)sock;
  Service *svc = data;
  note_time(svc->svcs, now);
  NsIp4 from;
  guint16 port;
  GBytes *b;
  while ((b = ns_udp_recvfrom(svc->sock, &from, &port)) != NULL) {
    udp_datagram(svc, b, from, port, now);
    g_bytes_unref(b);
  }
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
static void service_stop(Service *svc) {
  NsServices *s = svc->svcs;
  while (svc->conns->len > 0) {
    Conn *c = g_ptr_array_steal_index(svc->conns, svc->conns->len - 1);
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

gboolean ns_services_start(NsServices *svcs, const NsServiceSpec *spec,
                           NsTime now, GError **error) {
  g_return_val_if_fail(svcs != NULL && spec != NULL, FALSE);
  gboolean tcp = ns_service_kind_is_tcp(spec->kind);
  g_return_val_if_fail(tcp ? svcs->tcp != NULL : svcs->udp != NULL, FALSE);
  note_time(svcs, now);
  gint other = ns_services_find(svcs, tcp, spec->port);
  if (other >= 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID, "%s port %u is taken by %s",
                tcp ? "TCP" : "UDP", spec->port,
                name_of(g_ptr_array_index(svcs->list, (guint)other)));
    return FALSE;
  }
  Service *svc = g_new0(Service, 1);
  svc->svcs = svcs;
  svc->conns = g_ptr_array_new();
  ns_service_spec_copy(&svc->spec, spec);
  if (tcp) {
    svc->listener = ns_tcp_listen(svcs->tcp, spec->port, on_accept, svc, error);
  } else {
    NsUdpCallbacks cb = {udp_readable, svc};
    svc->sock = ns_udp_open(svcs->udp, (NsIp4){0}, spec->port, &cb, error);
    if (svc->sock != NULL && spec->kind == NS_SVC_UDP_LISTEN &&
        !ns_ip4_is_zero(spec->group))
      ns_udp_join(svc->sock, spec->group);
  }
  if (svc->listener == NULL && svc->sock == NULL) {
    service_stop(svc);
    return FALSE;
  }
  g_ptr_array_add(svcs->list, svc);
  NsLog *log = log_of(svcs);
  if (ns_log_on(log)) {
    g_autofree char *f = ns_service_spec_format(spec);
    const char *why = NULL;
    if (ns_log_explain(log))
      why = tcp ? "a TCP listener accepts connections on the port"
            : ns_ip4_is_zero(spec->group)
                ? "a UDP socket bound to the port on every address"
                : "a UDP socket bound to the port, and the node joins the "
                  "group so that the group's datagrams are delivered";
    ns_log_printf(log, now, ns_ipnode_name(svcs->node), "service/start", 0, why,
                  "%s", f);
  }
  return TRUE;
}

guint ns_services_n(const NsServices *svcs) {
  g_return_val_if_fail(svcs != NULL, 0);
  return svcs->list->len;
}

static const Service *service_at(const NsServices *svcs, guint i) {
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

gint ns_services_find(const NsServices *svcs, gboolean tcp, guint16 port) {
  g_return_val_if_fail(svcs != NULL, -1);
  for (guint i = 0; i < svcs->list->len; i++) {
    const NsServiceSpec *s = &service_at(svcs, i)->spec;
    if (s->port == port && ns_service_kind_is_tcp(s->kind) == tcp)
      return (gint)i;
  }
  return -1;
}

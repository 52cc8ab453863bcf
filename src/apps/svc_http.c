/* svc_http.c — http PORT: a small web server, one page naming its host.
 *
 * The connection side of HTTP: what arrives is kept in c->in until
 * services_http.c finds a whole request head at its front; the answer is
 * queued and flushed before the next request is looked at, so pipelined
 * requests are answered in order and a client that does not read stops
 * the server reading (backpressure).  An answer that closes the connection
 * sets finish: what arrives after it is read and dropped.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

static void http_receive(NsServiceConn *c, const guint8 *data, gsize len,
                         NsTime now) {
  (void)now;
  if (c->in == NULL)
    c->in = g_byte_array_new();
  g_byte_array_append(c->in, data, (guint)len);
}

static void log_answer(NsServiceConn *c, const NsHttpAnswer *a, NsTime now) {
  if (!ns_log_on(ns_service_log(c->svc)))
    return;
  g_autofree char *what =
      a->method[0] != '\0'
          ? g_strdup_printf("%u %s %s", a->status, a->method, a->path)
          : g_strdup_printf("%u (bad request)", a->status);
  ns_service_log_reply(
      c->svc, c->peer, c->peer_port, a->response_len, what,
      a->close ? N_("the connection closes after this answer")
               : N_("the connection stays open for the next request"),
      now);
}

/* Answers every complete request in c->in while the output drains. */
static void http_serve(NsServiceConn *c, NsTime now) {
  NsService *svc = c->svc;
  if (c->in == NULL)
    return; /* nothing arrived yet */
  NsHttpSite site = {ns_service_node_name(svc), c->local, svc->spec.port};
  NsHttpAnswer a;
  while (!c->finish && c->out->len == 0 &&
         ns_http_answer(c->in->data, c->in->len, &site, c->out, &a)) {
    g_byte_array_remove_range(c->in, 0, (guint)a.request_len);
    svc->stats.requests++;
    svc->stats.not_found += a.status == 404;
    c->finish = a.close;
    log_answer(c, &a, now);
    ns_service_conn_flush(c, now);
  }
}

static const NsServiceOps ops = {
    .serve = http_serve,
    .receive = http_receive,
};

const NsServiceKind ns_service_http = {
    .name = "http",
    .transport = NS_IPPROTO_TCP,
    .usage = "http PORT",
    .example_port = 80,
    .example = "http 80",
    .description = "HTTP/1.1 GET and HEAD: / and /index.html serve a small "
                   "page naming the host, other paths 404, other methods "
                   "501; keep-alive",
    .ops = &ops,
};

/* client.c — the sockets a user drives by hand (see client.h). */
#include "apps/client.h"
#include "core/i18n.h"

#include <string.h>

#include "apps/http_get.h"
#include "core/text.h"

#define EXCERPT 64          /* bytes of received data shown in a line */
#define PATTERN_PIECE 16384 /* pattern bytes made per offer to the buffer */

/* A piece of what the user gave `tcp send`, waiting for the send buffer:
 * its bytes, or the pattern's first len bytes, made as they are sent (a
 * `tcp send size 60000000` costs no memory of its own). */
typedef struct {
  gsize len, off; /* bytes in the piece; bytes already in the buffer */
  gboolean pattern;
  guint8 data[]; /* len bytes unless pattern */
} Chunk;

typedef struct {
  NsClient *cl;
  NsUdpSocket *sock;
} Listen;

struct NsClient {
  NsIpNode *node; /* borrowed, as udp and tcp */
  NsUdp *udp;
  NsTcp *tcp;
  NsAppHooks hooks;
  NsUdpSocket *usock;    /* the `udp send` socket, opened on first use */
  GPtrArray *listens;    /* Listen*, `udp listen` sockets */
  NsTcpConn *conn;       /* current connection (held until replaced) */
  GQueue pending;        /* Chunk*: what the send buffer did not take yet */
  gsize pending_bytes;   /* their bytes still to go */
  gboolean close_wanted; /* close once pending is in the buffer */
  gboolean closed;       /* `tcp close` was asked on this connection */
  GByteArray *received;  /* the current connection's first bytes */
  GByteArray *sent;      /* and what the user gave it to send */
  guint64 received_total, sent_total;
  GBytes *udp_last;
  NsClientStats stats;
  NsClientHttp http; /* the latest `http get` on conn */
  char *http_url;    /* "http://h3/", for its lines */
  NsTimer http_timer;
};

static void http_timeout(NsTimer *t, NsTime now, gpointer data);

/* Received bytes for a line: UTF-8 text as such, the rest escaped. */
static char *shown(const guint8 *p, gsize n) {
  GString *g = g_string_new(NULL);
  ns_text_show_append(g, p, n, EXCERPT);
  return g_string_free(g, FALSE);
}

static char *conn_label(NsTcpConn *c) {
  NsTcpInfo i;
  char l[NS_ENDPOINT_STRLEN], r[NS_ENDPOINT_STRLEN];
  ns_tcp_info(c, &i);
  return g_strdup_printf("tcp %s -> %s",
                         ns_endpoint_format(i.local, i.local_port, l),
                         ns_endpoint_format(i.remote, i.remote_port, r));
}

NsClient *ns_client_new(NsIpNode *node, NsUdp *udp, NsTcp *tcp,
                        const NsAppHooks *hooks) {
  NsClient *cl = g_new0(NsClient, 1);
  cl->node = node;
  cl->udp = udp;
  cl->tcp = tcp;
  if (hooks != NULL)
    cl->hooks = *hooks;
  cl->listens = g_ptr_array_new_with_free_func(g_free);
  g_queue_init(&cl->pending);
  cl->received = g_byte_array_new();
  cl->sent = g_byte_array_new();
  ns_timer_init(&cl->http_timer, http_timeout, cl);
  return cl;
}

static void drop_conn(NsClient *cl) {
  if (cl->conn == NULL)
    return;
  ns_tcp_release(cl->conn);
  cl->conn = NULL;
  g_queue_clear_full(&cl->pending, g_free);
  cl->pending_bytes = 0;
  cl->close_wanted = FALSE;
  cl->closed = FALSE;
}

void ns_client_free(NsClient *cl) {
  if (cl == NULL)
    return;
  if (cl->conn != NULL && ns_tcp_state(cl->conn) != NS_TCP_CLOSED)
    ns_tcp_set_callbacks(cl->conn, NULL);
  drop_conn(cl);
  for (guint i = 0; i < cl->listens->len; i++)
    ns_udp_close(((Listen *)g_ptr_array_index(cl->listens, i))->sock);
  g_ptr_array_free(cl->listens, TRUE);
  if (cl->usock != NULL)
    ns_udp_close(cl->usock);
  g_byte_array_free(cl->received, TRUE);
  g_byte_array_free(cl->sent, TRUE);
  if (cl->udp_last != NULL)
    g_bytes_unref(cl->udp_last);
  ns_timerq_cancel(ns_ipnode_ctx(cl->node)->timers, &cl->http_timer);
  g_free(cl->http_url);
  g_free(cl);
}

/* Appends what fits of data to a kept prefix. */
static void keep(GByteArray *a, const guint8 *data, gsize n) {
  if (a->len < NS_CLIENT_MAX_KEPT)
    g_byte_array_append(a, data, (guint)MIN(n, NS_CLIENT_MAX_KEPT - a->len));
}

/* ---- UDP ----------------------------------------------------------------- */

static void udp_readable(NsUdpSocket *sock, NsTime now, gpointer data) {
  (void)now;
  NsClient *cl = data;
  NsIp4 from;
  guint16 port;
  GBytes *b;
  while ((b = ns_udp_recvfrom(sock, &from, &port)) != NULL) {
    gsize n;
    const guint8 *p = g_bytes_get_data(b, &n);
    cl->stats.udp_received++;
    cl->stats.udp_bytes += n;
    if (ns_app_wants_output(&cl->hooks)) {
      char f[NS_IP4_STRLEN];
      g_autofree char *text = shown(p, n);
      ns_app_say(&cl->hooks, _("udp %s:%u -> %s port %u: %lu bytes: %s"),
                 ns_ip4_format(from, f), port, ns_ipnode_name(cl->node),
                 ns_udp_local_port(sock), (unsigned long)n, text);
    }
    if (cl->udp_last != NULL)
      g_bytes_unref(cl->udp_last);
    cl->udp_last = b;
  }
}

/* What a socket's user is told of each ICMP unreachable: Linux's error
 * text (as `nc -u` prints it) and the ICMP message. */
static const struct {
  guint8 code;
  const char *error, *icmp;
} unreach_text[] = {
    {NS_ICMP_PORT_UNREACH, "connection refused", "port unreachable"},
    {NS_ICMP_HOST_UNREACH, "no route to host", "host unreachable"},
    {NS_ICMP_NET_UNREACH, "network is unreachable", "net unreachable"},
    {NS_ICMP_PROTO_UNREACH, "protocol not available", "protocol unreachable"},
};

/* A datagram sent was answered with ICMP destination unreachable:
 * "udp 192.168.1.10:40000 -> 192.168.2.10:9: connection refused (ICMP
 * port unreachable from 192.168.2.10)". */
static void udp_error(NsUdpSocket *sock, const NsUdpError *err, NsTime now,
                      gpointer data) {
  (void)now;
  NsClient *cl = data;
  cl->stats.udp_errors++;
  if (!ns_app_wants_output(&cl->hooks))
    return;
  const char *error = "destination unreachable", *icmp = "unreachable";
  for (guint i = 0; i < G_N_ELEMENTS(unreach_text); i++)
    if (unreach_text[i].code == err->code) {
      error = unreach_text[i].error;
      icmp = unreach_text[i].icmp;
    }
  char l[NS_ENDPOINT_STRLEN], r[NS_ENDPOINT_STRLEN], f[NS_IP4_STRLEN];
  ns_app_say(&cl->hooks, _("udp %s -> %s: %s (ICMP %s from %s)"),
             ns_endpoint_format(ns_ipnode_source_for(cl->node, err->dst),
                                ns_udp_local_port(sock), l),
             ns_endpoint_format(err->dst, err->dport, r), error, icmp,
             ns_ip4_format(err->from, f));
}

static NsUdpSocket *send_socket(NsClient *cl, GError **error) {
  if (cl->usock == NULL) {
    NsUdpCallbacks cb = {
        .readable = udp_readable, .data = cl, .error = udp_error};
    cl->usock = ns_udp_open(cl->udp, (NsIp4){0}, 0, &cb, error);
  }
  return cl->usock;
}

gboolean ns_client_udp_send(NsClient *cl, NsIp4 dst, guint16 port,
                            const guint8 *data, gsize len, NsTime now,
                            GError **error) {
  if (len > NS_UDP_MAX_PAYLOAD) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                "%" G_GSIZE_FORMAT " bytes do not fit in one datagram (at "
                "most %d: netsim does not fragment)",
                len, NS_UDP_MAX_PAYLOAD);
    return FALSE;
  }
  NsUdpSocket *s = send_socket(cl, error);
  if (s == NULL)
    return FALSE;
  cl->stats.udp_sent++;
  ns_udp_sendto(s, dst, port, data, len, now, NULL);
  return TRUE;
}

gboolean ns_client_udp_listen(NsClient *cl, guint16 port, GError **error) {
  NsUdpCallbacks cb = {.readable = udp_readable, .data = cl};
  NsUdpSocket *s = ns_udp_open(cl->udp, (NsIp4){0}, port, &cb, error);
  if (s == NULL)
    return FALSE;
  Listen *l = g_new0(Listen, 1);
  l->cl = cl;
  l->sock = s;
  g_ptr_array_add(cl->listens, l);
  return TRUE;
}

void ns_client_join(NsClient *cl, NsIp4 group) {
  NsUdpSocket *s = send_socket(cl, NULL);
  if (s != NULL)
    ns_udp_join(s, group);
}

gboolean ns_client_leave(NsClient *cl, NsIp4 group) {
  return cl->usock != NULL && ns_udp_leave(cl->usock, group);
}

/* ---- TCP ----------------------------------------------------------------- */

/* Offers the rest of k to the send buffer; returns the bytes it took. */
static gsize feed_chunk(NsClient *cl, const Chunk *k, NsTime now) {
  if (!k->pattern)
    return ns_tcp_send(cl->conn, k->data + k->off, k->len - k->off, now);
  guint8 piece[PATTERN_PIECE];
  gsize n = MIN(sizeof piece, k->len - k->off);
  ns_app_pattern(piece, k->off, n);
  return ns_tcp_send(cl->conn, piece, n, now);
}

/* Moves pending data into the send buffer; closes when asked and done. */
static void feed(NsClient *cl, NsTime now) {
  Chunk *k;
  while ((k = g_queue_peek_head(&cl->pending)) != NULL) {
    gsize n = feed_chunk(cl, k, now);
    if (n == 0)
      return;
    k->off += n;
    cl->pending_bytes -= n;
    if (k->off == k->len)
      g_free(g_queue_pop_head(&cl->pending));
  }
  if (cl->close_wanted) {
    cl->close_wanted = FALSE;
    ns_tcp_close(cl->conn, now);
  }
}

static void tcp_established(NsTcpConn *c, NsTime now, gpointer data) {
  (void)now;
  NsClient *cl = data;
  if (ns_app_wants_output(&cl->hooks)) {
    g_autofree char *label = conn_label(c);
    ns_app_say(&cl->hooks, _("%s: connected"), label);
  }
}

static void http_progress(NsClient *cl, NsTime now);

static void tcp_readable(NsTcpConn *c, NsTime now, gpointer data) {
  NsClient *cl = data;
  guint8 buf[4096];
  gsize n;
  /* An http get prints its answer whole, not piece by piece. */
  gboolean quiet = cl->http.state != NS_CLIENT_HTTP_NONE;
  while ((n = ns_tcp_recv(c, buf, sizeof buf, now)) > 0) {
    cl->stats.tcp_bytes_received += n;
    cl->received_total += n;
    keep(cl->received, buf, n);
    if (!quiet && ns_app_wants_output(&cl->hooks)) {
      g_autofree char *label = conn_label(c);
      g_autofree char *text = shown(buf, n);
      ns_app_say(&cl->hooks, _("%s: received %lu bytes: %s"), label,
                 (unsigned long)n, text);
    }
  }
  if (cl->http.state == NS_CLIENT_HTTP_WAITING)
    http_progress(cl, now);
  if (!quiet && ns_tcp_eof(c) && ns_app_wants_output(&cl->hooks)) {
    g_autofree char *label = conn_label(c);
    ns_app_say(&cl->hooks, _("%s: the peer closed its side (end of file)"),
               label);
  }
}

static void tcp_writable(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  feed(data, now);
}

static void http_fail(NsClient *cl, const char *why);

static void tcp_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now,
                       gpointer data) {
  NsClient *cl = data;
  if (cl->http.state == NS_CLIENT_HTTP_WAITING) {
    ns_timerq_cancel(ns_ipnode_ctx(cl->node)->timers, &cl->http_timer);
    http_fail(cl, why == NS_TCP_CLOSE_NORMAL
                      ? N_("the server closed the connection without answering")
                      : ns_tcp_close_reason_name(why));
  }
  (void)now;
  NsTcpInfo i;
  ns_tcp_info(c, &i);
  cl->stats.tcp_bytes_sent += i.bytes_sent;
  if (ns_app_wants_output(&cl->hooks)) {
    g_autofree char *label = conn_label(c);
    ns_app_say(&cl->hooks, "%s: %s", label, ns_tcp_close_reason_name(why));
  }
}

gboolean ns_client_tcp_connect(NsClient *cl, NsIp4 dst, guint16 port,
                               NsTime now, GError **error) {
  NsTcpCallbacks cb = {tcp_established, tcp_readable, tcp_writable, tcp_closed,
                       cl};
  NsTcpConn *c = ns_tcp_connect(cl->tcp, dst, port, 0, &cb, now, error);
  if (c == NULL)
    return FALSE;
  if (cl->conn != NULL) {
    NsTcpConn *old = cl->conn;
    ns_tcp_set_callbacks(old, NULL);
    ns_tcp_close(old, now);
    drop_conn(cl);
  }
  cl->conn = c;
  ns_timerq_cancel(ns_ipnode_ctx(cl->node)->timers, &cl->http_timer);
  cl->http = (NsClientHttp){0};
  g_byte_array_set_size(cl->received, 0);
  g_byte_array_set_size(cl->sent, 0);
  cl->received_total = cl->sent_total = 0;
  cl->stats.tcp_connects++;
  if (ns_app_wants_output(&cl->hooks)) {
    g_autofree char *label = conn_label(c);
    ns_app_say(&cl->hooks, _("%s: connecting (SYN sent)"), label);
  }
  return TRUE;
}

/* send: for a send, else for a close (whole sentences, each translated
 * as one). */
static gboolean need_conn(NsClient *cl, gboolean send, GError **error) {
  if (cl->conn == NULL || ns_tcp_state(cl->conn) == NS_TCP_CLOSED) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                send ? _("%s has no open TCP connection to send on (start one "
                         "with 'tcp connect HOST:PORT')")
                     : _("%s has no open TCP connection to close (start one "
                         "with 'tcp connect HOST:PORT')"),
                ns_ipnode_name(cl->node));
    return FALSE;
  }
  return TRUE;
}

/* Whether len more bytes may be queued for sending. */
static gboolean can_send(NsClient *cl, gsize len, GError **error) {
  if (!need_conn(cl, TRUE, error))
    return FALSE;
  NsTcpState s = ns_tcp_state(cl->conn);
  /* closed: asked before the FIN could go (in SYN-SENT, say), the state
   * does not show it yet. */
  if (cl->closed || s == NS_TCP_FIN_WAIT_1 || s == NS_TCP_FIN_WAIT_2 ||
      s == NS_TCP_CLOSING || s == NS_TCP_LAST_ACK || s == NS_TCP_TIME_WAIT) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s already closed its side of the connection"),
                ns_ipnode_name(cl->node));
    return FALSE;
  }
  if (len > NS_CLIENT_MAX_PENDING - cl->pending_bytes) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: more than %u MiB waiting to be sent"),
                ns_ipnode_name(cl->node), NS_CLIENT_MAX_PENDING >> 20);
    return FALSE;
  }
  return TRUE;
}

/* Queues k (len bytes) behind what waits and feeds the buffer. */
static void queue_chunk(NsClient *cl, Chunk *k, NsTime now) {
  g_queue_push_tail(&cl->pending, k);
  cl->pending_bytes += k->len;
  cl->sent_total += k->len;
  feed(cl, now);
}

gboolean ns_client_tcp_send(NsClient *cl, const guint8 *data, gsize len,
                            NsTime now, GError **error) {
  if (!can_send(cl, len, error))
    return FALSE;
  Chunk *k = g_malloc(sizeof *k + len);
  *k = (Chunk){.len = len};
  memcpy(k->data, data, len);
  keep(cl->sent, data, len);
  queue_chunk(cl, k, now);
  return TRUE;
}

gboolean ns_client_tcp_send_pattern(NsClient *cl, gsize len, NsTime now,
                                    GError **error) {
  if (!can_send(cl, len, error))
    return FALSE;
  Chunk *k = g_new(Chunk, 1);
  *k = (Chunk){.len = len, .pattern = TRUE};
  /* Only the kept prefix of what was sent is ever made whole. */
  GByteArray *sent = cl->sent;
  gsize kept =
      MIN(len, NS_CLIENT_MAX_KEPT - MIN(sent->len, NS_CLIENT_MAX_KEPT));
  guint old = sent->len;
  g_byte_array_set_size(sent, old + (guint)kept);
  ns_app_pattern(sent->data + old, 0, kept);
  queue_chunk(cl, k, now);
  return TRUE;
}

gboolean ns_client_tcp_close(NsClient *cl, NsTime now, GError **error) {
  if (!need_conn(cl, FALSE, error))
    return FALSE;
  cl->close_wanted = TRUE;
  cl->closed = TRUE;
  feed(cl, now);
  return TRUE;
}

NsTcpConn *ns_client_tcp(NsClient *cl) { return cl->conn; }
const GByteArray *ns_client_tcp_received(NsClient *cl) { return cl->received; }
const GByteArray *ns_client_tcp_sent(NsClient *cl) { return cl->sent; }
guint64 ns_client_tcp_received_total(NsClient *cl) {
  return cl->received_total;
}
guint64 ns_client_tcp_sent_total(NsClient *cl) { return cl->sent_total; }
GBytes *ns_client_udp_last(NsClient *cl) { return cl->udp_last; }
const NsClientStats *ns_client_stats(NsClient *cl) { return &cl->stats; }

gboolean ns_client_busy(NsClient *cl) {
  /* The connection's own work is the node's TCP's to report. */
  return cl->conn != NULL && ns_tcp_state(cl->conn) != NS_TCP_CLOSED &&
         (!g_queue_is_empty(&cl->pending) || cl->close_wanted ||
          cl->http.state == NS_CLIENT_HTTP_WAITING);
}

/* ---- http get ------------------------------------------------------------ */

/* why: an N_() msgid, or a fixed English text. */
static void http_fail(NsClient *cl, const char *why) {
  cl->http.state = NS_CLIENT_HTTP_FAILED;
  cl->http.error = why;
  /* The error is kept in English for `expect NODE http error`; the user
   * reads it in the catalogue's language. */
  ns_app_say(&cl->hooks, _("http GET %s: error: %s"), cl->http_url, _(why));
}

/* The whole response, as curl -i shows it, after a line that sums it up. */
static void http_print(NsClient *cl, const NsHttpResponse *r) {
  if (!ns_app_wants_output(&cl->hooks))
    return;
  g_autofree char *status = shown(cl->received->data, r->status_len);
  g_autoptr(GByteArray) body = g_byte_array_new();
  ns_http_body_decode(cl->received->data + r->head_len, r->body_len, r->chunked,
                      body);
  ns_app_say(&cl->hooks, "http GET %s: %s, %u bytes of body%s", cl->http_url,
             status, body->len,
             cl->received_total > cl->received->len ? " (cut: only the "
                                                      "first 1 MiB is kept)"
                                                    : "");
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  ns_http_response_lines(cl->received->data, r, lines);
  for (guint i = 0; i < lines->len; i++)
    ns_app_say(&cl->hooks, "%s", (const char *)g_ptr_array_index(lines, i));
}

/* What arrived so far: once the response is whole (or is no HTTP), print
 * it and close our side. */
static void http_progress(NsClient *cl, NsTime now) {
  NsHttpResponse r;
  NsHttpParse res = ns_http_response_parse(
      cl->received->data, cl->received->len, ns_tcp_eof(cl->conn), &r);
  if (res == NS_HTTP_MORE)
    return;
  ns_timerq_cancel(ns_ipnode_ctx(cl->node)->timers, &cl->http_timer);
  if (res == NS_HTTP_BAD) {
    http_fail(cl, r.error);
  } else {
    cl->http = (NsClientHttp){NS_CLIENT_HTTP_DONE, r.status,  r.head_len,
                              r.body_len,          r.chunked, NULL};
    http_print(cl, &r);
  }
  ns_client_tcp_close(cl, now, NULL);
}

static void http_timeout(NsTimer *t, NsTime now, gpointer data) {
  (void)t;
  NsClient *cl = data;
  if (cl->http.state != NS_CLIENT_HTTP_WAITING)
    return;
  http_fail(cl, N_("timed out: no whole answer within the timeout"));
  ns_tcp_abort(cl->conn, now);
}

gboolean ns_client_http_get(NsClient *cl, NsIp4 dst, guint16 port,
                            const char *host, const char *path, NsTime timeout,
                            NsTime now, GError **error) {
  if (!ns_client_tcp_connect(cl, dst, port, now, error))
    return FALSE;
  g_free(cl->http_url);
  cl->http_url = g_strconcat("http://", host, path, NULL);
  g_autofree char *req = ns_http_get_request(host, path);
  if (!ns_client_tcp_send(cl, (const guint8 *)req, strlen(req), now, error))
    return FALSE;
  cl->http.state = NS_CLIENT_HTTP_WAITING;
  ns_timerq_arm(ns_ipnode_ctx(cl->node)->timers, &cl->http_timer,
                ns_time_add(now, timeout));
  return TRUE;
}

const NsClientHttp *ns_client_http(NsClient *cl) { return &cl->http; }

/* services_private.h — how a kind of service plugs into services.c.
 *
 * The work is split three ways:
 *  - services.c runs what every service does: listening, accepting,
 *    connection bookkeeping, reading, flushing with backpressure, closing,
 *    the statistics of bytes and connections, and the log lines that do
 *    not depend on the kind (start, accept, receive, close);
 *  - one file per kind (svc_tcp_echo.c, svc_http.c, ...) defines its row
 *    of the registry (NsServiceKind, services.h) and the NsServiceOps
 *    below: how its argument is parsed and what it does with what arrives;
 *  - services_http.c turns the front of an HTTP connection's input into an
 *    answer.  It is pure (no connection, no time), so it is tested byte for
 *    byte without a network.
 *
 * A TCP connection is moved along by one function, pump() in services.c,
 * called when it is accepted, readable or writable:
 *
 *     loop: flush out to TCP           stop while TCP takes no more
 *           ops->serve                 stop while its answer waits for TCP
 *           read a chunk from TCP      stop when there is none
 *           ops->receive(chunk)        unless the answer is complete
 *     ops->batch                       if anything was read, not closing
 *     close when out is empty and the job is done (finish, or client EOF)
 *
 * so a kind never reads or writes TCP itself: it queues its answer with
 * ns_service_conn_queue() (pump flushes it) and sets finish when the
 * connection should close after it.  Callbacks run inside TCP callbacks;
 * TCP allows sends and closes from there.  A UDP service gets every
 * datagram through ops->datagram, after services.c counted and logged it.
 */
#pragma once

#include "apps/services.h"

G_BEGIN_DECLS

typedef struct NsService NsService;
typedef struct NsServiceConn NsServiceConn;

/* How a kind runs.  Every member may be NULL: a kind fills what it needs.
 * now is the time of the event being handled. */
struct NsServiceOps {
  /* Checks the argument of an item and gives its canonical form.  rest is
   * what follows the port, blanks skipped ("" when nothing does); item is
   * the whole item and port the parsed port, for messages.  Sets *arg
   * (g_free, NULL for no argument) or fails with a GError that says what
   * was expected.  NULL: the kind takes no argument. */
  gboolean (*parse_arg)(const char *item, guint16 port, const char *rest,
                        char **arg, GError **error);
  /* Once the service's socket or listener is open, before service/start
   * is logged. */
  void (*start)(NsService *svc);
  /* TCP: answers what the connection holds (in) while out is empty;
   * called before each read. */
  void (*serve)(NsServiceConn *c, NsTime now);
  /* TCP: len bytes just read (already counted and logged). */
  void (*receive)(NsServiceConn *c, const guint8 *data, gsize len, NsTime now);
  /* TCP: once after a pump that read anything, unless closing. */
  void (*batch)(NsServiceConn *c, NsTime now);
  /* UDP: one datagram from from:port (already counted and logged). */
  void (*datagram)(NsService *svc, const guint8 *data, gsize len, NsIp4 from,
                   guint16 port, NsTime now);
};

/* One running service. */
struct NsService {
  NsServices *svcs;        /* the node's set, which owns this */
  NsServiceSpec spec;      /* own copy */
  NsServiceStats stats;    /* kinds add requests, not_found, bytes_out */
  NsTcpListener *listener; /* TCP kinds */
  NsUdpSocket *sock;       /* UDP kinds */
  GPtrArray *conns;        /* NsServiceConn*, open, in accept order */
  NsIp4 group;             /* joined by ns_service_join, or 0.0.0.0 */
  GByteArray *kept;        /* the latest client's first bytes (show) */
  guint64 kept_total;      /* all its bytes */
  NsIp4 kept_peer;         /* who sent them */
  guint16 kept_port;
};

/* One accepted TCP connection.  A kind reads svc, local, peer, peer_port
 * and closing; it fills out (through ns_service_conn_queue), in and finish.
 * The rest is services.c's. */
struct NsServiceConn {
  NsService *svc;
  NsTcpConn *conn;
  NsIp4 local, peer; /* the address the client reached, the client's */
  guint16 peer_port;
  GByteArray *out;  /* answered by us, not yet taken by TCP */
  GByteArray *in;   /* the kind's: arrived, not answered yet (or NULL) */
  gboolean closing; /* ns_tcp_close called: nothing more is answered */
  gboolean finish;  /* close once out is empty (http: Connection: close) */
  gboolean pumping; /* inside pump(): closed is handled when it returns */
  gboolean dead;    /* closed arrived during pump() */
  NsTcpCloseReason why;
};

/* ---- what services.c offers the kinds ----------------------------------- */

NsLog *ns_service_log(const NsService *svc);
const char *ns_service_node_name(const NsService *svc);
/* Joins the multicast group on the service's UDP socket (left when the
 * service stops); the service/start explanation says so. */
void ns_service_join(NsService *svc, NsIp4 group);
/* Queues an answer on c; pump() hands it to TCP. */
void ns_service_conn_queue(NsServiceConn *c, const void *data, gsize len);
/* Hands c->out to TCP now; TRUE when all of it was taken. */
gboolean ns_service_conn_flush(NsServiceConn *c, NsTime now);
/* Logs service/reply "NAME PORT: WHAT, N bytes to PEER" (what may be NULL)
 * with why as the explanation. */
void ns_service_log_reply(const NsService *svc, NsIp4 peer, guint16 peer_port,
                          gsize n, const char *what, const char *why,
                          NsTime now);

/* ---- what service_spec.c offers the parsers ------------------------------ */

/* The next blank-separated word of *p, copied (g_free); advances *p past
 * it.  NULL at the end. */
char *ns_service_next_word(const char **p);

/* ---- the rows (service_kinds.c lists them) ------------------------------- */

extern const NsServiceKind ns_service_tcp_echo;
extern const NsServiceKind ns_service_udp_echo;
extern const NsServiceKind ns_service_tcp_reply;
extern const NsServiceKind ns_service_http;
extern const NsServiceKind ns_service_udp_listen;

/* ---- HTTP answers (services_http.c) -------------------------------------- */

/* A request head longer than this is refused with 400 (as servers refuse
 * an oversized head; 8 KiB is Apache's LimitRequestLine). */
#define NS_HTTP_HEAD_MAX 8192

/* What the page names: the host that served it, and the address and port
 * the client reached it on. */
typedef struct {
  const char *host;
  NsIp4 addr;
  guint16 port;
} NsHttpSite;

/* One answered request, for the log and the statistics. */
typedef struct {
  guint status;       /* 200, 400, 404, 501 */
  char method[16];    /* "GET", truncated; "" when the line did not parse */
  char path[128];     /* the target, truncated; "" when it did not parse */
  gboolean close;     /* the connection closes after this answer */
  gsize request_len;  /* bytes of the request taken from the input */
  gsize response_len; /* bytes appended to the output */
} NsHttpAnswer;

/* Answers the request at the front of in (its first in_len bytes), if its
 * head is complete (or already too long): appends the response to out and
 * fills *a (a->request_len bytes are to be dropped from the input).
 * Returns FALSE when more bytes are needed first.  Empty lines before a
 * request are skipped, as RFC 9112 2.2 asks.  A request with a body
 * (Content-Length above 0, or Transfer-Encoding) is answered and the
 * connection closed: these services never read bodies. */
gboolean ns_http_answer(const guint8 *in, gsize in_len, const NsHttpSite *site,
                        GByteArray *out, NsHttpAnswer *a);

G_END_DECLS

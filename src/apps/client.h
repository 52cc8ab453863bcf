/* client.h — the sockets a user drives by hand on a host or router: the
 * console's and scenarios' `udp send`, `udp listen`, `tcp connect`,
 * `tcp send`, `tcp close`.
 *
 * One NsClient per node, made on first use.  It has:
 *  - one UDP socket on an ephemeral port, opened by the first `udp send`;
 *    answers to it (an echo service's reply) are printed and counted;
 *  - UDP listening sockets opened by `udp listen PORT`, which print and
 *    count what arrives;
 *  - the current TCP connection (the latest `tcp connect`; an earlier one
 *    is closed when a new one opens).  What the application sends is kept
 *    in an unbounded-by-TCP queue of its own (bounded at NS_CLIENT_MAX_PENDING
 *    bytes) and fed into the send buffer as it drains, so `tcp send` of a
 *    megabyte works like a program's blocking send() loop.  Everything
 *    received is read at once, printed (an excerpt) and kept (the first
 *    NS_CLIENT_MAX_KEPT bytes) for `expect ... tcp received "text"`; so is
 *    what was sent, so that an echo can be checked byte for byte.
 * `http get` is the current TCP connection too: the request is queued as
 * `tcp send` would queue it, what arrives is kept (not printed piece by
 * piece) until http_get.c finds the response whole, which is then printed
 * line by line (status line, fields, body whole), and the client closes.
 * A refused, reset or timed-out connection, or an answer that is not
 * HTTP, is printed as the error curl would name.  The response is read
 * from the kept bytes: one larger than NS_CLIENT_MAX_KEPT is shown cut.
 * Output goes through NsAppHooks.out (app.h), one line at a time; the client
 * has no end, so it never calls done.
 *
 * Busy (for a bare `wait`): while data given to `tcp send` waits for room
 * in the send buffer (what is in it, the node's TCP reports: ns_tcp_busy),
 * and while an `http get` waits for its answer (at most its timeout).
 */
#pragma once

#include "apps/app.h"
#include "net/tcp.h"
#include "net/udp.h"

G_BEGIN_DECLS

#define NS_CLIENT_MAX_PENDING (64u << 20) /* bytes waiting for the buffer */
#define NS_CLIENT_MAX_KEPT (1u << 20)     /* received bytes kept */

typedef struct NsClient NsClient;

typedef struct {
  guint64 udp_sent;       /* datagrams sent */
  guint64 udp_received;   /* datagrams received, every socket */
  guint64 udp_bytes;      /* their data bytes */
  guint64 udp_errors;     /* ICMP unreachables about datagrams sent */
  guint64 tcp_connects;   /* connections opened */
  guint64 tcp_bytes_sent; /* bytes the peer acknowledged, all connections */
  guint64 tcp_bytes_received;
} NsClientStats;

/* hooks (copied; may be NULL) print the client's output. */
NsClient *ns_client_new(NsIpNode *node, NsUdp *udp, NsTcp *tcp,
                        const NsAppHooks *hooks);
/* Closes its sockets (TCP aborted without a trace, UDP closed). */
void ns_client_free(NsClient *cl);

gboolean ns_client_udp_send(NsClient *cl, NsIp4 dst, guint16 port,
                            const guint8 *data, gsize len, NsTime now,
                            GError **error);
gboolean ns_client_udp_listen(NsClient *cl, guint16 port, GError **error);
/* Joins or leaves a multicast group on the node (via its first UDP socket,
 * opened if needed). */
void ns_client_join(NsClient *cl, NsIp4 group);
/* FALSE (nothing done) when the client never joined group. */
gboolean ns_client_leave(NsClient *cl, NsIp4 group);

gboolean ns_client_tcp_connect(NsClient *cl, NsIp4 dst, guint16 port,
                               NsTime now, GError **error);
/* Queues data on the current connection; fails when there is none or it
 * can no longer send. */
gboolean ns_client_tcp_send(NsClient *cl, const guint8 *data, gsize len,
                            NsTime now, GError **error);
/* The same for len bytes of the test pattern (ns_app_pattern), made as the
 * send buffer takes them. */
gboolean ns_client_tcp_send_pattern(NsClient *cl, gsize len, NsTime now,
                                    GError **error);
gboolean ns_client_tcp_close(NsClient *cl, NsTime now, GError **error);
/* The current connection, or NULL. */
NsTcpConn *ns_client_tcp(NsClient *cl);
/* What the current connection received / was given to send so far: the
 * first NS_CLIENT_MAX_KEPT bytes, and the totals. */
const GByteArray *ns_client_tcp_received(NsClient *cl);
const GByteArray *ns_client_tcp_sent(NsClient *cl);
guint64 ns_client_tcp_received_total(NsClient *cl);
guint64 ns_client_tcp_sent_total(NsClient *cl);
/* `http get`: how the latest one is doing. */
typedef enum {
  NS_CLIENT_HTTP_NONE,    /* none since the last `tcp connect` */
  NS_CLIENT_HTTP_WAITING, /* request sent or queued, answer not whole */
  NS_CLIENT_HTTP_DONE,    /* the response is whole (any status) */
  NS_CLIENT_HTTP_FAILED,  /* refused, reset, timed out, not HTTP */
} NsClientHttpState;

typedef struct {
  NsClientHttpState state;
  guint status;      /* DONE: 200, 404, ... */
  gsize body_at;     /* DONE: the body in ns_client_tcp_received() */
  gsize body_len;    /* ... and its length there, as sent */
  gboolean chunked;  /* ... framed in chunks (ns_http_body_decode) */
  const char *error; /* FAILED: why (static text) */
} NsClientHttp;

/* Opens the node's TCP connection to dst:port (as ns_client_tcp_connect)
 * and sends GET path with host as its Host header; the answer is printed
 * whole when complete.  After timeout without the whole answer, the
 * connection is aborted and the get fails. */
gboolean ns_client_http_get(NsClient *cl, NsIp4 dst, guint16 port,
                            const char *host, const char *path, NsTime timeout,
                            NsTime now, GError **error);
const NsClientHttp *ns_client_http(NsClient *cl);

/* The last UDP datagram's data received by any client socket, or NULL. */
GBytes *ns_client_udp_last(NsClient *cl);
const NsClientStats *ns_client_stats(NsClient *cl);
gboolean ns_client_busy(NsClient *cl);

G_END_DECLS

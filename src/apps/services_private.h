/* services_private.h — what services.c and services_http.c share.
 *
 * The HTTP service is split in two: services.c moves bytes between a TCP
 * connection and two buffers (what arrived, what is to be sent), and
 * services_http.c turns the front of the arrival buffer into an answer.
 * The second half is pure (no connection, no time), so it is tested byte
 * for byte without a network.
 */
#pragma once

#include "apps/services.h"

G_BEGIN_DECLS

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

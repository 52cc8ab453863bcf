/* http_get.h — the client side of HTTP/1.1 for `NODE http get`: the
 * request it sends and how it reads the answer, with no connection and no
 * time, so that both are tested byte for byte (tests/apps/test_http_get.c).
 *
 * The request is what curl sends for `curl http://HOST/PATH`, less the
 * User-Agent: a GET with a Host header and `Connection: close`, so that a
 * server answers once and closes (RFC 9112 9.6).
 *
 * The answer is read as it arrives: ns_http_response_parse looks at all
 * the bytes received so far (and whether the server closed) and says
 * whether more are needed, the response is complete, or it is not HTTP.
 * Its end is found as RFC 9112 6.3 says: no body for 1xx, 204 and 304; the
 * Content-Length; a chunked body (RFC 9112 7.1) at the empty line after
 * its last chunk and trailer; else the server's close.  Nothing is
 * allocated; the result points into the data.  ns_http_body_decode gives
 * the body as the application sees it (as curl prints it): a chunked
 * body's data without its sizes, extensions and trailer.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A response head longer than this is not read (as curl's 100 KiB). */
#define NS_HTTP_RESPONSE_HEAD_MAX (64u << 10)

typedef enum {
  NS_HTTP_MORE,     /* the response is not whole yet */
  NS_HTTP_COMPLETE, /* status, head and body are all there */
  NS_HTTP_BAD,      /* not an HTTP response, or cut short: see error */
} NsHttpParse;

/* What ns_http_response_parse found (offsets into the data). */
typedef struct {
  guint status;          /* 200; 0 until the status line is read */
  gsize status_len;      /* the status line's bytes, without its CRLF */
  gsize head_len;        /* status line, fields and the empty line */
  gsize body_len;        /* body bytes present (at most Content-Length) */
  gint64 content_length; /* -1 when the head gives none */
  gboolean chunked;      /* Transfer-Encoding: chunked */
  const char *error;     /* NS_HTTP_BAD: what was wrong (static text) */
} NsHttpResponse;

/* "GET PATH HTTP/1.1\r\nHost: HOST\r\n..." (g_free it).  host is what the
 * user named (with ":PORT" when not 80), path starts with '/'. */
char *ns_http_get_request(const char *host, const char *path);

/* Reads the response at the front of data[0..len); eof: the server has
 * closed its side.  Fills *r (always). */
NsHttpParse ns_http_response_parse(const guint8 *data, gsize len, gboolean eof,
                                   NsHttpResponse *r);

/* Appends the body's bytes as the application sees them to out: the
 * body[0..len) as is, or, chunked, the chunks' data joined (what is whole
 * of it, for a response that ns_http_response_parse did not call
 * complete). */
void ns_http_body_decode(const guint8 *body, gsize len, gboolean chunked,
                         GByteArray *out);

/* The response as a person reads it, one line each (g_free them): the
 * status line, each header field, an empty line, then the body's lines
 * (decoded if chunked; CRLF or LF ends a line), shown with
 * ns_text_show_append.  r is what
 * ns_http_response_parse filled for the same data. */
void ns_http_response_lines(const guint8 *data, const NsHttpResponse *r,
                            GPtrArray *lines);

G_END_DECLS

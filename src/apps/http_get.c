/* http_get.c — the client side of HTTP/1.1 (see http_get.h). */
#include "apps/http_get.h"
#include "core/i18n.h"

#include <string.h>

#include "core/text.h"

char *ns_http_get_request(const char *host, const char *path) {
  g_return_val_if_fail(host != NULL && path != NULL, NULL);
  return g_strdup_printf("GET %s HTTP/1.1\r\n"
                         "Host: %s\r\n"
                         "Accept: */*\r\n"
                         "Connection: close\r\n"
                         "\r\n",
                         path, host);
}

/* The line at data[*pos..len) without its LF or CRLF; advances *pos past
 * it.  FALSE when no LF ends it yet. */
static gboolean next_line(const guint8 *data, gsize len, gsize *pos,
                          const char **s, gsize *n) {
  const guint8 *nl = memchr(data + *pos, '\n', len - *pos);
  if (nl == NULL)
    return FALSE;
  *s = (const char *)data + *pos;
  *n = (gsize)(nl - data) - *pos;
  if (*n > 0 && (*s)[*n - 1] == '\r')
    (*n)--;
  *pos = (gsize)(nl - data) + 1;
  return TRUE;
}

static gboolean field_is(const char *s, gsize n, const char *name,
                         const char **value, gsize *vlen) {
  gsize k = strlen(name);
  if (n <= k || s[k] != ':' || g_ascii_strncasecmp(s, name, k) != 0)
    return FALSE;
  *value = s + k + 1;
  *vlen = n - k - 1;
  while (*vlen > 0 && (**value == ' ' || **value == '\t')) {
    (*value)++;
    (*vlen)--;
  }
  return TRUE;
}

/* "HTTP/1.1 200 OK": the status, or 0 when the line is not one. */
static guint status_of(const char *s, gsize n) {
  if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || !g_ascii_isdigit(s[7]) ||
      s[8] != ' ' || !g_ascii_isdigit(s[9]) || !g_ascii_isdigit(s[10]) ||
      !g_ascii_isdigit(s[11]) || (n > 12 && s[12] != ' '))
    return 0;
  return (guint)((s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0'));
}

/* One header field: the two that frame the body. */
static gboolean read_field(const char *s, gsize n, NsHttpResponse *r) {
  const char *v;
  gsize vl;
  if (field_is(s, n, "Content-Length", &v, &vl)) {
    guint64 cl = 0;
    g_autofree char *t = g_strndup(v, vl);
    g_strchomp(t);
    if (!g_ascii_string_to_unsigned(t, 10, 0, G_MAXINT64, &cl, NULL))
      return FALSE;
    r->content_length = (gint64)cl;
  } else if (field_is(s, n, "Transfer-Encoding", &v, &vl)) {
    g_autofree char *t = g_ascii_strdown(v, (gssize)vl);
    r->chunked = strstr(t, "chunked") != NULL;
  }
  return TRUE;
}

static NsHttpParse bad(NsHttpResponse *r, const char *why) {
  r->error = why;
  return NS_HTTP_BAD;
}

/* The status line and the fields; MORE until the empty line. */
static NsHttpParse parse_head(const guint8 *data, gsize len, gboolean eof,
                              NsHttpResponse *r) {
  gsize pos = 0, n;
  const char *s;
  gsize check = MIN(len, 5);
  if (memcmp(data, "HTTP/", check) != 0)
    return bad(r, N_("not an HTTP response (it does not start with HTTP/)"));
  while (next_line(data, len, &pos, &s, &n)) {
    if (r->status_len == 0 && r->status == 0) {
      r->status = status_of(s, n);
      r->status_len = n;
      if (r->status == 0)
        return bad(r, N_("the status line does not parse (expected HTTP/1.1 "
                         "200 OK)"));
    } else if (n == 0) {
      r->head_len = pos;
      return NS_HTTP_COMPLETE;
    } else if (!read_field(s, n, r)) {
      return bad(r, N_("a Content-Length that is not a number"));
    }
  }
  if (len > NS_HTTP_RESPONSE_HEAD_MAX)
    return bad(r, N_("a response head longer than 64 KiB"));
  if (eof)
    return bad(r, len == 0 ? N_("the server closed the connection without "
                                "answering")
                           : N_("the server closed the connection in the "
                                "middle of the response head"));
  return NS_HTTP_MORE;
}

/* Whether a chunked body ends in data: its last chunk "0" and the empty
 * line after any trailer. */
static gboolean chunked_ends(const guint8 *body, gsize n) {
  return (n >= 5 && memcmp(body + n - 5, "0\r\n\r\n", 5) == 0 &&
          (n == 5 || body[n - 6] == '\n'));
}

NsHttpParse ns_http_response_parse(const guint8 *data, gsize len, gboolean eof,
                                   NsHttpResponse *r) {
  g_return_val_if_fail(r != NULL, NS_HTTP_BAD);
  memset(r, 0, sizeof *r);
  r->content_length = -1;
  NsHttpParse h = parse_head(data, len, eof, r);
  if (h != NS_HTTP_COMPLETE)
    return h;
  gsize avail = len - r->head_len;
  if (r->status < 200 || r->status == 204 || r->status == 304)
    return NS_HTTP_COMPLETE; /* no body (RFC 9112 6.3) */
  if (r->content_length >= 0 && !r->chunked) {
    r->body_len = (gsize)MIN((guint64)avail, (guint64)r->content_length);
    if (r->body_len == (guint64)r->content_length)
      return NS_HTTP_COMPLETE;
    return eof ? bad(r, "the server closed the connection before the end "
                        "of the body (Content-Length)")
               : NS_HTTP_MORE;
  }
  r->body_len = avail;
  if (r->chunked && chunked_ends(data + r->head_len, avail))
    return NS_HTTP_COMPLETE;
  return eof ? NS_HTTP_COMPLETE : NS_HTTP_MORE;
}

static void add_line(GPtrArray *lines, const char *s, gsize n) {
  GString *g = g_string_new(NULL);
  ns_text_show_append(g, (const guint8 *)s, n, G_MAXSIZE);
  g_ptr_array_add(lines, g_string_free(g, FALSE));
}

void ns_http_response_lines(const guint8 *data, const NsHttpResponse *r,
                            GPtrArray *lines) {
  g_return_if_fail(r != NULL && lines != NULL);
  gsize pos = 0, n;
  const char *s;
  while (pos < r->head_len && next_line(data, r->head_len, &pos, &s, &n))
    add_line(lines, s, n);
  const guint8 *body = data + r->head_len;
  pos = 0;
  while (pos < r->body_len) {
    if (!next_line(body, r->body_len, &pos, &s, &n)) {
      add_line(lines, (const char *)body + pos, r->body_len - pos);
      break;
    }
    add_line(lines, s, n);
  }
}

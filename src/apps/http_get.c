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

/* One chunk-size line at b[*pos..n): "1a;ext=1" -> 26.  MORE until its LF;
 * BAD (*err set) when it is no hex number or exceeds 1 GiB. */
static NsHttpParse chunk_size(const guint8 *b, gsize n, gsize *pos, gsize *size,
                              const char **err) {
  const char *s;
  gsize len, i = 0;
  if (!next_line(b, n, pos, &s, &len))
    return n - *pos > 1024 ? (*err = N_("a chunk size line longer than "
                                        "1 KiB"),
                              NS_HTTP_BAD)
                           : NS_HTTP_MORE;
  *size = 0;
  for (; i < len && g_ascii_isxdigit(s[i]); i++) {
    *size = *size * 16 + (gsize)g_ascii_xdigit_value(s[i]);
    if (*size > (1u << 30)) {
      *err = N_("a chunk larger than 1 GiB");
      return NS_HTTP_BAD;
    }
  }
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i == 0 || (i < len && s[i] != ';')) {
    *err = N_("a chunk size that is not a hexadecimal number");
    return NS_HTTP_BAD;
  }
  return NS_HTTP_COMPLETE;
}

/* Walks a chunked body (RFC 9112 7.1): chunk-size [; ext] CRLF, data,
 * CRLF, ..., the last chunk "0", any trailer fields, an empty line.
 * Appends the chunks' data to out when out is not NULL.  COMPLETE at the
 * empty line that ends the trailer, MORE before it, BAD (*err) when the
 * framing is broken. */
static NsHttpParse chunked_walk(const guint8 *b, gsize n, GByteArray *out,
                                const char **err) {
  gsize pos = 0, size = 0, len;
  const char *s;
  for (;;) {
    NsHttpParse h = chunk_size(b, n, &pos, &size, err);
    if (h != NS_HTTP_COMPLETE)
      return h;
    if (size == 0)
      break;
    if (n - pos < size + 2)
      return NS_HTTP_MORE;
    if (out != NULL)
      g_byte_array_append(out, b + pos, (guint)size);
    pos += size;
    if (b[pos] == '\r')
      pos++;
    if (b[pos] != '\n') {
      *err = N_("a chunk that does not end where its size says");
      return NS_HTTP_BAD;
    }
    pos++;
  }
  while (next_line(b, n, &pos, &s, &len)) /* the trailer, up to "" */
    if (len == 0)
      return NS_HTTP_COMPLETE;
  return NS_HTTP_MORE;
}

void ns_http_body_decode(const guint8 *body, gsize len, gboolean chunked,
                         GByteArray *out) {
  g_return_if_fail(out != NULL);
  const char *err = NULL;
  if (!chunked)
    g_byte_array_append(out, body, (guint)len);
  else
    (void)chunked_walk(body, len, out, &err);
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
  if (!r->chunked)
    return eof ? NS_HTTP_COMPLETE : NS_HTTP_MORE;
  const char *err = NULL;
  NsHttpParse c = chunked_walk(data + r->head_len, avail, NULL, &err);
  if (c == NS_HTTP_BAD)
    return bad(r, err);
  if (c == NS_HTTP_MORE && eof)
    return bad(r, N_("the server closed the connection in the middle of a "
                     "chunked body"));
  return c;
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
  g_autoptr(GByteArray) body = g_byte_array_new();
  ns_http_body_decode(data + r->head_len, r->body_len, r->chunked, body);
  pos = 0;
  while (pos < body->len) {
    if (!next_line(body->data, body->len, &pos, &s, &n)) {
      add_line(lines, (const char *)body->data + pos, body->len - pos);
      break;
    }
    add_line(lines, s, n);
  }
}

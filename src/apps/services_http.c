/* services_http.c — the http service's requests and answers (RFC 9110,
 * RFC 9112), without the connection: see services_private.h.
 *
 * Accepted: a request line METHOD SP TARGET SP HTTP/1.0|HTTP/1.1, lines
 * ending in CRLF or a bare LF (RFC 9112 2.2), header fields NAME: VALUE.
 * Answered: GET and HEAD of "/" or "/index.html" (query ignored; an
 * absolute target http://host/path is taken by its path) with the page,
 * other paths 404, other methods 501, anything that does not parse 400.
 * Every answer carries an exact Content-Length, and no Date: a run is
 * deterministic, and the simulated hosts have no calendar.
 */
#include "apps/services_private.h"

#include <string.h>

/* One line of the head: [start, end) without its CR LF. */
typedef struct {
  const char *s;
  gsize len;
} Line;

typedef struct {
  guint status;
  const char *method; /* NULL: the line did not parse */
  gsize method_len;
  const char *target;
  gsize target_len;
  gboolean http10;
  gboolean conn_close; /* Connection: close */
  gboolean conn_keep;  /* Connection: keep-alive */
  gboolean close;
  gboolean body;   /* the request has a body we will not read */
  const char *why; /* 400: what was wrong */
} Request;

static const char *reason_phrase(guint status) {
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 404:
    return "Not Found";
  default:
    return "Not Implemented";
  }
}

/* tchar of RFC 9110 5.6.2 */
static gboolean is_tchar(char c) {
  return g_ascii_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static gboolean is_token(const char *s, gsize len) {
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!is_tchar(s[i]))
      return FALSE;
  return TRUE;
}

static gboolean token_eq(const char *s, gsize len, const char *word) {
  return strlen(word) == len && g_ascii_strncasecmp(s, word, len) == 0;
}

/* Splits the request line into its three parts: single spaces, visible
 * characters only. */
static gboolean parse_request_line(Line l, Request *r) {
  for (gsize i = 0; i < l.len; i++)
    if ((guchar)l.s[i] < 0x20 || l.s[i] == 0x7f)
      return FALSE;
  const char *sp1 = memchr(l.s, ' ', l.len);
  if (sp1 == NULL)
    return FALSE;
  const char *t = sp1 + 1;
  const char *end = l.s + l.len;
  const char *sp2 = memchr(t, ' ', (gsize)(end - t));
  if (sp2 == NULL)
    return FALSE;
  const char *v = sp2 + 1;
  gsize vlen = (gsize)(end - v);
  if (!is_token(l.s, (gsize)(sp1 - l.s)) || sp2 == t ||
      memchr(v, ' ', vlen) != NULL)
    return FALSE;
  if (vlen == 8 && memcmp(v, "HTTP/1.0", 8) == 0)
    r->http10 = TRUE;
  else if (!(vlen == 8 && memcmp(v, "HTTP/1.1", 8) == 0))
    return FALSE;
  r->method = l.s;
  r->method_len = (gsize)(sp1 - l.s);
  r->target = t;
  r->target_len = (gsize)(sp2 - t);
  return TRUE;
}

/* Trims blanks at both ends of [*s, *s + *len). */
static void trim(const char **s, gsize *len) {
  while (*len > 0 && (**s == ' ' || **s == '\t')) {
    (*s)++;
    (*len)--;
  }
  while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
    (*len)--;
}

/* One header field; FALSE when it does not parse. */
static gboolean parse_field(Line l, Request *r) {
  const char *colon = memchr(l.s, ':', l.len);
  if (colon == NULL || !is_token(l.s, (gsize)(colon - l.s)))
    return FALSE; /* also obs-fold and "Name : value" (RFC 9112 5.1) */
  gsize nlen = (gsize)(colon - l.s);
  const char *v = colon + 1;
  gsize vlen = l.len - nlen - 1;
  trim(&v, &vlen);
  if (token_eq(l.s, nlen, "Connection")) {
    /* A list of tokens: "keep-alive, Upgrade" */
    while (vlen > 0) {
      const char *comma = memchr(v, ',', vlen);
      gsize ilen = comma ? (gsize)(comma - v) : vlen;
      const char *item = v;
      gsize tl = ilen;
      trim(&item, &tl);
      if (token_eq(item, tl, "close"))
        r->conn_close = TRUE;
      else if (token_eq(item, tl, "keep-alive"))
        r->conn_keep = TRUE;
      v += ilen;
      vlen -= ilen;
      if (vlen > 0) {
        v++;
        vlen--;
      }
    }
  } else if (token_eq(l.s, nlen, "Content-Length")) {
    for (gsize i = 0; i < vlen; i++)
      if (!g_ascii_isdigit(v[i]))
        return FALSE;
    if (vlen == 0)
      return FALSE;
    for (gsize i = 0; i < vlen; i++)
      r->body = r->body || v[i] != '0';
  } else if (token_eq(l.s, nlen, "Transfer-Encoding")) {
    r->body = TRUE;
  }
  return TRUE;
}

/* The path of an origin-form or absolute-form target, without its query;
 * FALSE for anything else ("*", authority form). */
static gboolean target_path(const Request *r, const char **p, gsize *len) {
  const char *s = r->target;
  gsize n = r->target_len;
  if (n > 7 && g_ascii_strncasecmp(s, "http://", 7) == 0) {
    const char *slash = memchr(s + 7, '/', n - 7);
    if (slash == NULL) {
      *p = "/";
      *len = 1;
      return TRUE;
    }
    n -= (gsize)(slash - s);
    s = slash;
  }
  if (s[0] != '/')
    return FALSE;
  const char *q = memchr(s, '?', n);
  *p = s;
  *len = q ? (gsize)(q - s) : n;
  return TRUE;
}

static char *page_for(const NsHttpSite *site, guint status,
                      const char *detail) {
  char a[NS_IP4_STRLEN];
  ns_ip4_format(site->addr, a);
  g_autofree char *host = g_markup_escape_text(site->host, -1);
  if (status == 200)
    return g_strdup_printf("<!DOCTYPE html>\n"
                           "<html>\n"
                           "<head><title>%s</title></head>\n"
                           "<body>\n"
                           "<h1>Hello from %s</h1>\n"
                           "<p>This page was served by host %s at %s, "
                           "port %u (netsim http service).</p>\n"
                           "</body>\n"
                           "</html>\n",
                           host, host, host, a, site->port);
  return g_strdup_printf("<!DOCTYPE html>\n"
                         "<html>\n"
                         "<head><title>%u %s</title></head>\n"
                         "<body>\n"
                         "<h1>%u %s</h1>\n"
                         "<p>%s</p>\n"
                         "<p>Host %s at %s, port %u (netsim http "
                         "service).</p>\n"
                         "</body>\n"
                         "</html>\n",
                         status, reason_phrase(status), status,
                         reason_phrase(status), detail, host, a, site->port);
}

/* Appends status line, headers and (unless head_only) the body. */
static void respond(GByteArray *out, guint status, const char *body,
                    gboolean head_only, gboolean close, gboolean http10) {
  gsize blen = strlen(body);
  g_autofree char *head =
      g_strdup_printf("HTTP/1.1 %u %s\r\n"
                      "Server: netsim\r\n"
                      "Content-Type: text/html; charset=utf-8\r\n"
                      "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                      "%s"
                      "\r\n",
                      status, reason_phrase(status), blen,
                      close ? "Connection: close\r\n"
                            : (http10 ? "Connection: keep-alive\r\n" : ""));
  g_byte_array_append(out, (const guint8 *)head, (guint)strlen(head));
  if (!head_only)
    g_byte_array_append(out, (const guint8 *)body, (guint)blen);
}

static void copy_field(char *dst, gsize size, const char *s, gsize len) {
  gsize n = MIN(len, size - 1);
  memcpy(dst, s, n);
  dst[n] = '\0';
}

/* Finds the end of the head starting at start: fills lines (request line
 * first) and *end (just past the empty line).  FALSE if incomplete. */
static gboolean split_head(const guint8 *in, gsize in_len, gsize start,
                           GArray *lines, gsize *end) {
  gsize pos = start;
  while (pos < in_len) {
    const guint8 *nl = memchr(in + pos, '\n', in_len - pos);
    if (nl == NULL)
      return FALSE;
    gsize e = (gsize)(nl - in);
    Line l = {(const char *)in + pos, e - pos};
    if (l.len > 0 && l.s[l.len - 1] == '\r')
      l.len--;
    pos = e + 1;
    if (l.len == 0) {
      *end = pos;
      return TRUE;
    }
    g_array_append_val(lines, l);
  }
  return FALSE;
}

/* Decides the status of a parsed head. */
static void judge(GArray *lines, Request *r) {
  Line *ls = (Line *)(void *)lines->data;
  if (!parse_request_line(ls[0], r)) {
    r->method = NULL;
    r->status = 400;
    r->why = "The request line did not parse (expected METHOD /path "
             "HTTP/1.1).";
    return;
  }
  for (guint i = 1; i < lines->len; i++)
    if (!parse_field(ls[i], r)) {
      r->status = 400;
      r->why = "A header field did not parse (expected Name: value).";
      return;
    }
  /* RFC 9112 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with
   * "keep-alive". */
  r->close = r->conn_close || (r->http10 && !r->conn_keep);
  gboolean get = r->method_len == 3 && memcmp(r->method, "GET", 3) == 0;
  gboolean head = r->method_len == 4 && memcmp(r->method, "HEAD", 4) == 0;
  const char *p;
  gsize plen;
  if (!get && !head)
    r->status = 501;
  else if (!target_path(r, &p, &plen)) {
    r->status = 400;
    r->why = "The target is not a path (expected /path).";
  } else if ((plen == 1 && p[0] == '/') ||
             (plen == 11 && memcmp(p, "/index.html", 11) == 0))
    r->status = 200;
  else
    r->status = 404;
}

gboolean ns_http_answer(const guint8 *in, gsize in_len, const NsHttpSite *site,
                        GByteArray *out, NsHttpAnswer *a) {
  g_return_val_if_fail(site != NULL && out != NULL && a != NULL, FALSE);
  memset(a, 0, sizeof *a);
  gsize start = 0;
  while (start < in_len && (in[start] == '\n' || in[start] == '\r'))
    start++;
  g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(Line));
  gsize end = 0;
  Request r = {0};
  if (!split_head(in, in_len, start, lines, &end)) {
    if (in_len <= NS_HTTP_HEAD_MAX)
      return FALSE;
    end = in_len;
    r.status = 400;
    r.why = "The request head is longer than 8192 bytes.";
  } else if (end > NS_HTTP_HEAD_MAX) {
    r.status = 400;
    r.why = "The request head is longer than 8192 bytes.";
  } else {
    judge(lines, &r);
  }
  if (r.status == 400)
    r.close = TRUE;
  r.close = r.close || r.body;
  const char *detail = r.why;
  g_autofree char *d = NULL;
  if (r.status == 404) {
    g_autofree char *t = g_strndup(r.target, r.target_len);
    g_autofree char *esc = g_markup_escape_text(t, -1);
    detail = d = g_strdup_printf("There is no page %s here: try / or "
                                 "/index.html.",
                                 esc);
  } else if (r.status == 501) {
    g_autofree char *m = g_strndup(r.method, r.method_len);
    g_autofree char *esc = g_markup_escape_text(m, -1);
    detail = d = g_strdup_printf("This server does not implement %s: it "
                                 "answers GET and HEAD.",
                                 esc);
  }
  g_autofree char *body = page_for(site, r.status, detail);
  guint before = out->len;
  gboolean head_only = r.method_len == 4 && memcmp(r.method, "HEAD", 4) == 0;
  respond(out, r.status, body, head_only, r.close, r.http10);
  a->status = r.status;
  a->close = r.close;
  a->request_len = end;
  a->response_len = out->len - before;
  if (r.method != NULL) {
    copy_field(a->method, sizeof a->method, r.method, r.method_len);
    copy_field(a->path, sizeof a->path, r.target, r.target_len);
  }
  return TRUE;
}

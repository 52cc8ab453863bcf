/* scenario_http.c — B/S in one command, and what it got:
 *
 *   NODE http get DEST[:PORT] [PATH] [timeout TIME]
 *   expect NODE http status [OP] N
 *   expect NODE http body "TEXT" | http body lacks "TEXT"
 *   expect NODE http error "TEXT"
 *
 * DEST is what tcp connect takes (address, node, NODE:IFACE), PORT 80 by
 * default; `http://DEST[:PORT]/PATH` works too, as a browser's address
 * bar takes it.  PATH starts with '/' ("/" by default).  The Host header
 * is DEST as written, with ":PORT" when not 80, as curl writes it.  The
 * request, the reading and the printing are the client's (apps/client.c,
 * apps/http_get.c); this file only parses and checks.
 */
#include <string.h>

#include "apps/http_get.h"
#include "cli/scenario_private.h"
#include "core/i18n.h"
#include "core/text.h"

#define HTTP_TIMEOUT (10 * NS_SEC) /* default: no whole answer, give up */

typedef struct {
  NsIp4 dst;
  guint16 port;
  char *host; /* the Host header */
  char *path;
  NsTime timeout;
} HttpArgs;

static void http_args_free(gpointer data) {
  HttpArgs *a = data;
  g_free(a->host);
  g_free(a->path);
  g_free(a);
}

/* DEST[:PORT][/PATH] of one word (http:// taken off); *path_out gets the
 * path when the word has one. */
static gboolean parse_target(ScParser *p, const char *w, HttpArgs *a,
                             char **path_out) {
  if (g_str_has_prefix(w, "http://"))
    w += 7;
  const char *slash = strchr(w, '/');
  g_autofree char *hp = g_strndup(w, slash ? (gsize)(slash - w) : strlen(w));
  if (slash != NULL)
    *path_out = g_strdup(slash);
  char *colon = strrchr(hp, ':');
  guint64 port = 80;
  if (colon != NULL && colon[1] != '\0' &&
      colon[1 + strspn(colon + 1, "0123456789")] == '\0') {
    if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
      return ns_sc_fail(
          p, _("'http get': '%s' is not a port (expected 1-65535)"), colon + 1);
    *colon = '\0';
  }
  GError *err = NULL;
  if (hp[0] == '\0' || !ns_net_resolve(p->net, hp, &a->dst, &err)) {
    ns_sc_fail(p, _("'http get': %s"),
               err ? err->message : "needs DEST[:PORT] such as h3 or h3:8000");
    g_clear_error(&err);
    return FALSE;
  }
  a->port = (guint16)port;
  a->host = port == 80 ? g_strdup(hp) : g_strdup_printf("%s:%u", hp, a->port);
  return TRUE;
}

static gboolean parse_path(ScParser *p, HttpArgs *a) {
  const char *w = ns_sc_peek(p);
  if (w == NULL || w[0] != '/')
    return TRUE;
  if (a->path != NULL)
    return ns_sc_fail(p, _("'http get': two paths ('%s' and '%s')"), a->path,
                      w);
  for (const char *s = w; *s != '\0'; s++)
    if ((guchar)*s <= 0x20 || *s == 0x7f)
      return ns_sc_fail(p, _("'http get': a path has no blanks or control "
                             "bytes (write %%20 for a space)"));
  a->path = g_strdup(ns_sc_take(p));
  return TRUE;
}

gboolean ns_sc_parse_http_get(ScParser *p, ScCmd *c) {
  HttpArgs *a = SC_ARGS(c, HttpArgs, http_args_free);
  a->timeout = HTTP_TIMEOUT;
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, _("'http get' needs DEST[:PORT] [PATH], such as "
                           "'h1 http get h3 /index.html'"));
  if (!parse_target(p, w, a, &a->path) || !parse_path(p, a))
    return FALSE;
  if (a->path == NULL)
    a->path = g_strdup("/");
  if (ns_sc_accept(p, "timeout") &&
      !ns_sc_time(p, "'http get timeout'", NS_MSEC, SC_HOUR, &a->timeout))
    return FALSE;
  return ns_sc_end(p);
}

void ns_sc_run_http_get(ScState *st, const ScCmd *c) {
  const HttpArgs *a = c->args;
  GError *err = NULL;
  if (!ns_client_http_get(ns_net_client(st->net, c->node), a->dst, a->port,
                          a->host, a->path, a->timeout, ns_net_now(st->net),
                          &err)) {
    fprintf(st->out, "%s: error: %s\n", c->node->name, err->message);
    g_error_free(err);
  }
}

/* ---- expect NODE http ... ------------------------------------------------ */

typedef enum { HTTP_STATUS, HTTP_BODY, HTTP_BODY_LACKS, HTTP_ERROR } HttpCheck;

typedef struct {
  HttpCheck check;
  ScCompare cmp;
  char *text;
} HttpExpect;

static void http_expect_free(gpointer data) {
  HttpExpect *a = data;
  g_free(a->text);
  g_free(a);
}

gboolean ns_sc_parse_http_expect(ScParser *p, ScCmd *c) {
  HttpExpect *a = SC_ARGS(c, HttpExpect, http_expect_free);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (ns_sc_accept(p, "status")) {
    a->check = HTTP_STATUS;
    return ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
  }
  if (ns_sc_accept(p, "body"))
    a->check = ns_sc_accept(p, "lacks") ? HTTP_BODY_LACKS : HTTP_BODY;
  else if (ns_sc_accept(p, "error"))
    a->check = HTTP_ERROR;
  else
    return ns_sc_fail(p,
                      _("%s needs status [OP] N, body \"TEXT\", body lacks "
                        "\"TEXT\" or error \"TEXT\""),
                      ctx);
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, _("%s needs the text, in quotes"), ctx);
  a->text = g_strdup(w);
  return ns_sc_end(p);
}

/* Whether the body holds the text. */
static gboolean body_has(NsClient *cl, const NsClientHttp *h, const char *text,
                         GString *got) {
  const GByteArray *r = ns_client_tcp_received(cl);
  g_autoptr(GByteArray) body = g_byte_array_new();
  ns_http_body_decode(r->data + h->body_at, h->body_len, h->chunked, body);
  g_string_append_c(got, '"');
  ns_text_show_append(got, body->data, body->len, 60);
  g_string_append_c(got, '"');
  gsize m = strlen(text);
  for (gsize i = 0; i + m <= body->len; i++)
    if (memcmp(body->data + i, text, m) == 0)
      return TRUE;
  return FALSE;
}

gboolean ns_sc_eval_http_expect(const ScState *st, const ScCmd *c,
                                GString *got) {
  (void)st;
  const HttpExpect *a = c->args;
  NsClient *cl = c->node->client;
  const NsClientHttp *h = cl != NULL ? ns_client_http(cl) : NULL;
  static const char *const states[] = {"no http get", "no whole answer yet",
                                       NULL, NULL};
  if (h == NULL || h->state == NS_CLIENT_HTTP_NONE ||
      h->state == NS_CLIENT_HTTP_WAITING) {
    g_string_append(got, states[h == NULL ? 0 : h->state]);
    return FALSE;
  }
  if (a->check == HTTP_ERROR || h->state == NS_CLIENT_HTTP_FAILED) {
    g_string_append_printf(
        got, "%s", h->state == NS_CLIENT_HTTP_FAILED ? h->error : "no error");
    return a->check == HTTP_ERROR && h->state == NS_CLIENT_HTTP_FAILED &&
           strstr(h->error, a->text) != NULL;
  }
  if (a->check == HTTP_STATUS) {
    g_string_append_printf(got, "%u", h->status);
    return ns_sc_compare(&a->cmp, h->status);
  }
  return body_has(cl, h, a->text, got) == (a->check == HTTP_BODY);
}

/* svc_tcp_reply.c — tcp-reply PORT [once] TEXT: the classic first socket
 * server.
 *
 * Each time data arrives it reads all of it and answers TEXT and a
 * newline: once per batch of arrivals (one pump), however many reads the
 * batch took, so a client that sends one line gets one answer.  TEXT is
 * the rest of the item, inner spaces included; it is the spec's arg,
 * never NULL for a parsed spec.
 *
 * With `once` it is the course's server.py (accept, recv, send(b'i am
 * server'), close): the first batch is answered with TEXT alone, no
 * newline, and the connection is closed after it (finish); what arrives
 * later is read and dropped.  The spec keeps "once TEXT" as its arg, so
 * the canonical item parses back to the same spec.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

#include <string.h>

#define ONCE "once"

/* Whether arg is "once TEXT"; *text points at TEXT either way. */
static gboolean reply_once(const char *arg, const char **text) {
  gsize n = strlen(ONCE);
  gboolean once = strncmp(arg, ONCE, n) == 0 && arg[n] == ' ';
  *text = once ? arg + n + 1 : arg;
  return once;
}

static gboolean reply_parse_arg(const char *item, guint16 port,
                                const char *rest, char **arg, GError **error) {
  const char *text;
  gboolean once = reply_once(rest, &text);
  while (*text == ' ' || *text == '\t')
    text++;
  if (*rest == '\0' || strcmp(rest, ONCE) == 0 || (once && *text == '\0')) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' has no text (expected tcp-reply PORT [once] TEXT, "
                  "such as tcp-reply %u i am server)"),
                item, port);
    return FALSE;
  }
  *arg = once ? g_strconcat(ONCE " ", text, NULL) : g_strdup(rest);
  return TRUE;
}

static void reply_batch(NsServiceConn *c, NsTime now) {
  const char *text;
  gboolean once = reply_once(c->svc->spec.arg, &text);
  gsize len = strlen(text);
  ns_service_conn_queue(c, text, len);
  if (!once)
    ns_service_conn_queue(c, "\n", 1);
  c->finish = once;
  ns_service_log_reply(
      c->svc, c->peer, c->peer_port, len + !once, text,
      once ? N_("tcp-reply once answers the first data it reads, then closes "
                "the connection (accept, recv, send, close)")
           : N_("tcp-reply answers its text each time data arrives"),
      now);
  ns_service_conn_flush(c, now);
}

static const NsServiceOps ops = {
    .parse_arg = reply_parse_arg,
    .batch = reply_batch,
};

const NsServiceKind ns_service_tcp_reply = {
    .name = "tcp-reply",
    .transport = NS_IPPROTO_TCP,
    .usage = "tcp-reply PORT [once] TEXT",
    .example_port = 7,
    .example = "tcp-reply 8080 i am server",
    .description = "the classic first socket server: each time data arrives "
                   "it reads all of it and answers TEXT and a newline; with "
                   "once, it answers the first data with TEXT alone and "
                   "closes, as the course's server.py",
    .ops = &ops,
};

/* svc_tcp_reply.c — tcp-reply PORT TEXT: the classic first socket server.
 *
 * Each time data arrives it reads all of it and answers TEXT and a
 * newline: once per batch of arrivals (one pump), however many reads the
 * batch took, so a client that sends one line gets one answer.  TEXT is
 * the rest of the item, inner spaces included; it is the spec's arg,
 * never NULL for a parsed spec.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

#include <string.h>

static gboolean reply_parse_arg(const char *item, guint16 port,
                                const char *rest, char **arg, GError **error) {
  if (*rest == '\0') {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' has no text (expected tcp-reply PORT TEXT, such as "
                  "tcp-reply %u i am server)"),
                item, port);
    return FALSE;
  }
  *arg = g_strdup(rest);
  return TRUE;
}

static void reply_batch(NsServiceConn *c, NsTime now) {
  const char *text = c->svc->spec.arg;
  gsize len = strlen(text);
  ns_service_conn_queue(c, text, len);
  ns_service_conn_queue(c, "\n", 1);
  ns_service_log_reply(c->svc, c->peer, c->peer_port, len + 1, text,
                       N_("tcp-reply answers its text each time data arrives"),
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
    .usage = "tcp-reply PORT TEXT",
    .example_port = 7,
    .example = "tcp-reply 8080 i am server",
    .description = "the classic first socket server: each time data arrives "
                   "it reads all of it and answers TEXT and a newline",
    .ops = &ops,
};

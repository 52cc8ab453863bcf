/* svc_tcp_echo.c — tcp-echo PORT: the echo service over TCP (RFC 862).
 *
 * Every byte read is queued back as it is.  The service never closes
 * first: when the client closes its side, pump() closes ours once all of
 * it has been echoed.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

static void echo_receive(NsServiceConn *c, const guint8 *data, gsize len,
                         NsTime now) {
  ns_service_conn_queue(c, data, len);
  ns_service_log_reply(c->svc, c->peer, c->peer_port, len, "echo",
                       N_("tcp-echo sends back every byte it reads"), now);
}

static const NsServiceOps ops = {.receive = echo_receive};

const NsServiceKind ns_service_tcp_echo = {
    .name = "tcp-echo",
    .transport = NS_IPPROTO_TCP,
    .usage = "tcp-echo PORT",
    .example_port = 7,
    .example = "tcp-echo 7",
    .description = "sends back every byte it reads; closes after the client "
                   "does (RFC 862)",
    .ops = &ops,
};

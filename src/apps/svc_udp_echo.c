/* svc_udp_echo.c — udp-echo PORT: the echo service over UDP (RFC 862).
 *
 * Every datagram goes back to its sender, except one that comes from the
 * echo port itself: two echo services answering each other would never
 * stop (the UDP echo loop, CVE-1999-0103).
 */
#include "apps/services_private.h"
#include "core/i18n.h"

static void echo_datagram(NsService *svc, const guint8 *data, gsize len,
                          NsIp4 from, guint16 port, NsTime now) {
  if (port == svc->spec.port) {
    NsLog *log = ns_service_log(svc);
    char ep[NS_ENDPOINT_STRLEN];
    if (ns_log_on(log))
      ns_log_printf(log, now, ns_service_node_name(svc), "service/reply", 0,
                    ns_log_explain(log)
                        ? N_("the sender's port is the echo port: answering "
                             "could start an endless echo loop")
                        : NULL,
                    "%s %u: not echoed to %s", svc->spec.kind->name,
                    svc->spec.port, ns_endpoint_format(from, port, ep));
    return;
  }
  if (ns_udp_sendto(svc->sock, from, port, data, len, now, NULL))
    svc->stats.bytes_out += len;
  ns_service_log_reply(svc, from, port, len, "echo",
                       N_("udp-echo sends every datagram back to its sender"),
                       now);
}

static const NsServiceOps ops = {.datagram = echo_datagram};

const NsServiceKind ns_service_udp_echo = {
    .name = "udp-echo",
    .transport = NS_IPPROTO_UDP,
    .usage = "udp-echo PORT",
    .example_port = 7,
    .example = "udp-echo 7",
    .description = "sends every datagram back to its sender (RFC 862); not "
                   "to a sender whose port is PORT itself",
    .ops = &ops,
};

/* svc_udp_listen.c — udp-listen PORT [group G]: a UDP listener.
 *
 * It only counts and logs what arrives (services.c does both for every UDP
 * service), and answers nothing.  With `group G` (G in 224.0.0.0/4) the
 * node joins that multicast group when the service starts, and leaves it
 * when the service's socket closes.  The spec keeps the argument as
 * "group G", G in dotted form.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

#include <string.h>

/* The optional "group G" (rest: what follows the port); *group is left
 * alone when there is none. */
static gboolean parse_group(const char *item, const char *rest, NsIp4 *group,
                            GError **error) {
  g_autofree char *kw = ns_service_next_word(&rest);
  if (kw == NULL)
    return TRUE;
  g_autofree char *g = ns_service_next_word(&rest);
  g_autofree char *extra = ns_service_next_word(&rest);
  if (strcmp(kw, "group") != 0 || extra != NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s': unexpected '%s' (expected %s)"), item,
                strcmp(kw, "group") != 0 ? kw : extra,
                ns_service_udp_listen.usage);
    return FALSE;
  }
  if (g == NULL) {
    g_set_error(
        error, NS_ERROR, NS_ERROR_PARSE,
        _("'%s': group needs an address (expected udp-listen PORT group "
          "G, such as group 239.1.1.1)"),
        item);
    return FALSE;
  }
  GError *e = NULL;
  if (!ns_ip4_parse(g, group, &e)) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE, _("'%s': group: %s"), item,
                e->message);
    g_error_free(e);
    return FALSE;
  }
  if (!ns_ip4_is_multicast(*group)) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("'%s': %s is not a multicast group (expected an address in "
                  "224.0.0.0/4, such as 239.1.1.1)"),
                item, g);
    return FALSE;
  }
  return TRUE;
}

static gboolean listen_parse_arg(const char *item, guint16 port,
                                 const char *rest, char **arg, GError **error) {
  (void)port;
  NsIp4 group = {0};
  if (!parse_group(item, rest, &group, error))
    return FALSE;
  if (!ns_ip4_is_zero(group)) {
    char g[NS_IP4_STRLEN];
    *arg = g_strconcat("group ", ns_ip4_format(group, g), NULL);
  }
  return TRUE;
}

static void listen_start(NsService *svc) {
  NsIp4 group = {0};
  if (svc->spec.arg != NULL &&
      parse_group(svc->spec.arg, svc->spec.arg, &group, NULL) &&
      !ns_ip4_is_zero(group))
    ns_service_join(svc, group);
}

static const NsServiceOps ops = {
    .parse_arg = listen_parse_arg,
    .start = listen_start,
};

const NsServiceKind ns_service_udp_listen = {
    .name = "udp-listen",
    .transport = NS_IPPROTO_UDP,
    .usage = "udp-listen PORT [group G]",
    .example_port = 7,
    .example = "udp-listen 9000 group 239.1.1.1",
    .description = "counts and logs every datagram; with group G (an address "
                   "in 224.0.0.0/4) the node joins that multicast group",
    .ops = &ops,
};

/* service_kinds.c — the registry of service kinds.
 *
 * One row per kind; each row is defined in its own file svc_NAME.c.  The
 * order is the one help, the README and the "expected tcp-echo PORT, ..."
 * of a parse error list them in.  A new kind: its file, its declaration in
 * services_private.h, and one row here.
 */
#include "apps/services_private.h"

#include <string.h>

static const NsServiceKind *const kinds[] = {
    &ns_service_tcp_echo, &ns_service_udp_echo,   &ns_service_tcp_reply,
    &ns_service_http,     &ns_service_udp_listen,
};

guint ns_service_kinds_n(void) { return G_N_ELEMENTS(kinds); }

const NsServiceKind *ns_service_kind_nth(guint i) {
  g_return_val_if_fail(i < G_N_ELEMENTS(kinds), NULL);
  return kinds[i];
}

const NsServiceKind *ns_service_kind_lookup(const char *name) {
  g_return_val_if_fail(name != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (strcmp(kinds[i]->name, name) == 0)
      return kinds[i];
  return NULL;
}

const char *ns_service_kind_name(const NsServiceKind *kind) {
  g_return_val_if_fail(kind != NULL, "?");
  return kind->name;
}

gboolean ns_service_kind_is_tcp(const NsServiceKind *kind) {
  g_return_val_if_fail(kind != NULL, FALSE);
  return kind->transport == NS_IPPROTO_TCP;
}

/* service_spec.c — service specs: parse, format, copy.
 *
 * Pure text handling, kept apart from services.c so that the topology
 * loader (and its tests) can check `services =` items without linking the
 * TCP and UDP stacks.
 *
 * Grammar of one item (blanks around words are free):
 *   NAME PORT [ARGS]    or    NAME:PORT [ARGS]
 *   tcp-echo PORT | udp-echo PORT | http PORT
 *   tcp-reply PORT TEXT           TEXT: the rest of the item, as written
 *   udp-listen PORT [group G]     G in 224.0.0.0/4
 */
#include "apps/services.h"

#include <string.h>

static const struct {
  NsServiceKind kind;
  const char *name;
  gboolean tcp;
  const char *usage; /* for "expected ..." */
} kinds[] = {
    {NS_SVC_TCP_ECHO, "tcp-echo", TRUE, "tcp-echo PORT"},
    {NS_SVC_UDP_ECHO, "udp-echo", FALSE, "udp-echo PORT"},
    {NS_SVC_TCP_REPLY, "tcp-reply", TRUE, "tcp-reply PORT TEXT"},
    {NS_SVC_HTTP, "http", TRUE, "http PORT"},
    {NS_SVC_UDP_LISTEN, "udp-listen", FALSE, "udp-listen PORT [group G]"},
};

#define ALL_EXPECTED                                                           \
  "expected tcp-echo PORT, udp-echo PORT, tcp-reply PORT TEXT, http PORT or "  \
  "udp-listen PORT [group G]"

const char *ns_service_kind_name(NsServiceKind kind) {
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  return "?";
}

gboolean ns_service_kind_is_tcp(NsServiceKind kind) {
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].tcp;
  return FALSE;
}

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

/* The next blank-separated word of *p, copied (g_free); advances *p past
 * it.  NULL at the end. */
static char *next_word(const char **p) {
  const char *s = *p;
  while (is_blank(*s))
    s++;
  const char *e = s;
  while (*e != '\0' && !is_blank(*e))
    e++;
  *p = e;
  return e == s ? NULL : g_strndup(s, (gsize)(e - s));
}

static gboolean parse_port(const char *item, const char *w, guint16 *out,
                           GError **error) {
  guint64 v = 0;
  gboolean ok = *w != '\0';
  for (const char *c = w; ok && *c != '\0'; c++) {
    ok = g_ascii_isdigit(*c) && (v = v * 10 + (guint64)(*c - '0')) <= 65535;
  }
  if (!ok || v == 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "'%s': '%s' is not a port (expected a whole number from 1 to "
                "65535)",
                item, w);
    return FALSE;
  }
  *out = (guint16)v;
  return TRUE;
}

/* udp-listen's optional "group G"; rest is what follows the port. */
static gboolean parse_group(const char *item, const char *rest, NsIp4 *group,
                            GError **error) {
  g_autofree char *kw = next_word(&rest);
  if (kw == NULL)
    return TRUE;
  g_autofree char *g = next_word(&rest);
  g_autofree char *extra = next_word(&rest);
  if (strcmp(kw, "group") != 0 || extra != NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "'%s': unexpected '%s' (expected udp-listen PORT [group G])",
                item, strcmp(kw, "group") != 0 ? kw : extra);
    return FALSE;
  }
  if (g == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "'%s': group needs an address (expected udp-listen PORT group "
                "G, such as group 239.1.1.1)",
                item);
    return FALSE;
  }
  GError *e = NULL;
  if (!ns_ip4_parse(g, group, &e)) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE, "'%s': group: %s", item,
                e->message);
    g_error_free(e);
    return FALSE;
  }
  if (!ns_ip4_is_multicast(*group)) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                "'%s': %s is not a multicast group (expected an address in "
                "224.0.0.0/4, such as 239.1.1.1)",
                item, g);
    return FALSE;
  }
  return TRUE;
}

gboolean ns_service_spec_parse(const char *item, NsServiceSpec *out,
                               GError **error) {
  g_return_val_if_fail(item != NULL && out != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
  g_autofree char *it = g_strstrip(g_strdup(item));
  const char *rest = it;
  g_autofree char *name = next_word(&rest);
  if (name == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE, "empty service (%s)",
                ALL_EXPECTED);
    return FALSE;
  }
  /* NAME:PORT (also "NAME: PORT"). */
  g_autofree char *port = NULL;
  char *colon = strchr(name, ':');
  if (colon != NULL) {
    *colon = '\0';
    if (colon[1] != '\0')
      port = g_strdup(colon + 1);
  }
  guint k = 0;
  while (k < G_N_ELEMENTS(kinds) && strcmp(kinds[k].name, name) != 0)
    k++;
  if (k == G_N_ELEMENTS(kinds)) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "'%s' is not a service (" ALL_EXPECTED ")", it);
    return FALSE;
  }
  if (port == NULL)
    port = next_word(&rest);
  if (port == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "'%s' needs a port (expected %s, such as %s %s)", it,
                kinds[k].usage, kinds[k].name,
                kinds[k].kind == NS_SVC_HTTP ? "80" : "7");
    return FALSE;
  }
  NsServiceSpec s = {.kind = kinds[k].kind};
  if (!parse_port(it, port, &s.port, error))
    return FALSE;
  while (is_blank(*rest))
    rest++;
  switch (s.kind) {
  case NS_SVC_TCP_REPLY:
    if (*rest == '\0') {
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  "'%s' has no text (expected tcp-reply PORT TEXT, such as "
                  "tcp-reply %u i am server)",
                  it, s.port);
      return FALSE;
    }
    s.text = g_strdup(rest);
    break;
  case NS_SVC_UDP_LISTEN:
    if (!parse_group(it, rest, &s.group, error))
      return FALSE;
    break;
  default:
    if (*rest != '\0') {
      g_autofree char *w = next_word(&rest);
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  "'%s': unexpected '%s' (expected %s)", it, w, kinds[k].usage);
      return FALSE;
    }
    break;
  }
  *out = s;
  return TRUE;
}

void ns_service_spec_clear(NsServiceSpec *spec) {
  g_return_if_fail(spec != NULL);
  g_clear_pointer(&spec->text, g_free);
}

void ns_service_spec_copy(NsServiceSpec *dst, const NsServiceSpec *src) {
  g_return_if_fail(dst != NULL && src != NULL);
  *dst = *src;
  dst->text = g_strdup(src->text);
}

char *ns_service_spec_format(const NsServiceSpec *spec) {
  g_return_val_if_fail(spec != NULL, NULL);
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%s %u", ns_service_kind_name(spec->kind),
                         spec->port);
  if (spec->kind == NS_SVC_TCP_REPLY && spec->text != NULL)
    g_string_append_printf(s, " %s", spec->text);
  if (spec->kind == NS_SVC_UDP_LISTEN && !ns_ip4_is_zero(spec->group)) {
    char g[NS_IP4_STRLEN];
    g_string_append_printf(s, " group %s", ns_ip4_format(spec->group, g));
  }
  return g_string_free(s, FALSE);
}

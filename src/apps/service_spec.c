/* service_spec.c — service specs: parse, format, copy.
 *
 * Pure text handling, kept apart from services.c: the topology loader (and
 * its tests) check `services =` items with it before any node exists.
 *
 * Grammar of one item (blanks around words are free):
 *   NAME PORT [ARG]    or    NAME:PORT [ARG]
 * NAME is a row of the registry (service_kinds.c); what ARG may be is the
 * row's to say (ops->parse_arg); a kind without parse_arg takes none.
 */
#include "apps/services_private.h"
#include "core/i18n.h"

#include <string.h>

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

char *ns_service_next_word(const char **p) {
  const char *s = *p;
  while (is_blank(*s))
    s++;
  const char *e = s;
  while (*e != '\0' && !is_blank(*e))
    e++;
  *p = e;
  return e == s ? NULL : g_strndup(s, (gsize)(e - s));
}

/* "expected tcp-echo PORT, udp-echo PORT, ... or udp-listen PORT [group G]",
 * from the registry's rows. */
static char *all_expected(void) {
  g_autoptr(GString) s = g_string_new(NULL);
  guint n = ns_service_kinds_n();
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append(s, i + 1 == n ? _(" or ") : ", ");
    g_string_append(s, ns_service_kind_nth(i)->usage);
  }
  return g_strdup_printf(_("expected %s"), s->str);
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
                _("'%s': '%s' is not a port (expected a whole number from 1 to "
                  "65535)"),
                item, w);
    return FALSE;
  }
  *out = (guint16)v;
  return TRUE;
}

/* The kind of item (stripped) and the word that should be its port:
 * NAME PORT or NAME:PORT (also "NAME: PORT").  *rest is left after it. */
static const NsServiceKind *parse_name(const char *item, const char **rest,
                                       char **port, GError **error) {
  *rest = item;
  g_autofree char *name = ns_service_next_word(rest);
  const NsServiceKind *kind = NULL;
  if (name != NULL) {
    char *colon = strchr(name, ':');
    if (colon != NULL) {
      *colon = '\0';
      if (colon[1] != '\0')
        *port = g_strdup(colon + 1);
    }
    kind = ns_service_kind_lookup(name);
  }
  if (kind == NULL) {
    g_autofree char *all = all_expected();
    if (name == NULL)
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE, _("empty service (%s)"),
                  all);
    else
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  _("'%s' is not a service (%s)"), item, all);
    return NULL;
  }
  if (*port == NULL)
    *port = ns_service_next_word(rest);
  if (*port == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' needs a port (expected %s, such as %s %u)"), item,
                kind->usage, kind->name, kind->example_port);
    return NULL;
  }
  return kind;
}

/* What follows the port: the kind's to parse; nothing for a kind without
 * an argument. */
static gboolean parse_arg(const char *item, const NsServiceKind *kind,
                          guint16 port, const char *rest, char **arg,
                          GError **error) {
  if (kind->ops->parse_arg != NULL)
    return kind->ops->parse_arg(item, port, rest, arg, error);
  if (*rest != '\0') {
    g_autofree char *w = ns_service_next_word(&rest);
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s': unexpected '%s' (expected %s)"), item, w, kind->usage);
    return FALSE;
  }
  return TRUE;
}

gboolean ns_service_spec_parse(const char *item, NsServiceSpec *out,
                               GError **error) {
  g_return_val_if_fail(item != NULL && out != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
  g_autofree char *it = g_strstrip(g_strdup(item));
  const char *rest;
  g_autofree char *port = NULL;
  const NsServiceKind *kind = parse_name(it, &rest, &port, error);
  if (kind == NULL)
    return FALSE;
  NsServiceSpec s = {.kind = kind};
  if (!parse_port(it, port, &s.port, error))
    return FALSE;
  while (is_blank(*rest))
    rest++;
  if (!parse_arg(it, kind, s.port, rest, &s.arg, error))
    return FALSE;
  *out = s;
  return TRUE;
}

void ns_service_spec_clear(NsServiceSpec *spec) {
  g_return_if_fail(spec != NULL);
  g_clear_pointer(&spec->arg, g_free);
}

void ns_service_spec_copy(NsServiceSpec *dst, const NsServiceSpec *src) {
  g_return_if_fail(dst != NULL && src != NULL);
  *dst = *src;
  dst->arg = g_strdup(src->arg);
}

char *ns_service_spec_format(const NsServiceSpec *spec) {
  g_return_val_if_fail(spec != NULL && spec->kind != NULL, NULL);
  if (spec->arg == NULL)
    return g_strdup_printf("%s %u", spec->kind->name, spec->port);
  return g_strdup_printf("%s %u %s", spec->kind->name, spec->port, spec->arg);
}

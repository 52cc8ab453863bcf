/* topology_values.c — one value of a topology file at a time: the error
 * every check ends in, names, numbers, rates, interface addresses and link
 * parameters.  (The syntax is in topology.c's file reference.)
 */
#include "config/topology_private.h"
#include "core/i18n.h"
#include "core/text.h"

#include <stdarg.h>
#include <string.h>

#include "core/units.h"
#include "net/link_params.h"

/* ---- errors, names, numbers ---------------------------------------------- */

/* Sets the one error: "SOURCE: [SECTION] KEY: MESSAGE".  Returns FALSE. */
gboolean ns_topo_fail(Loader *ld, NsErrorCode code, const char *section,
                      const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  /* The file's own words (a section, a key, a value quoted in msg) may be
   * anything: escaped and cut; the path is the user's. */
  GString *s = g_string_new(ld->source);
  g_string_append(s, ": ");
  if (section != NULL) {
    g_autofree char *shown = ns_text_for_message(section);
    g_string_append_printf(s, "[%s] ", shown);
  }
  if (key != NULL) {
    g_autofree char *shown = ns_text_for_message(key);
    g_string_append_printf(s, "%s: ", shown);
  }
  g_autofree char *shown = ns_text_for_message(msg);
  g_string_append(s, shown);
  g_set_error_literal(ld->error, NS_ERROR, code, s->str);
  g_string_free(s, TRUE);
  return FALSE;
}

/* Wraps an error from a value parser (keeping its code); frees it. */
gboolean ns_topo_fail_with(Loader *ld, const char *section, const char *key,
                           const char *what, GError *e) {
  NsErrorCode code =
      e->domain == NS_ERROR ? (NsErrorCode)e->code : NS_ERROR_PARSE;
  if (what != NULL)
    ns_topo_fail(ld, code, section, key, "%s: %s", what, e->message);
  else
    ns_topo_fail(ld, code, section, key, "%s", e->message);
  g_error_free(e);
  return FALSE;
}

gboolean ns_topo_is_name(const char *s) {
  if (!g_ascii_isalpha(s[0]))
    return FALSE;
  gsize i = 1;
  for (; s[i] != '\0'; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_')
      return FALSE;
  return i <= NAME_MAX_LEN;
}

/* The first words of the console's commands that take no node first
 * (cli/scenario_commands.c; tests/cli/test_rows.c checks that the two
 * lists agree). */
static const char *const reserved_names[] = {"show",   "link", "wait", "print",
                                             "expect", "help", "quit", "exit",
                                             "arp",    NULL};

gboolean ns_topology_name_reserved(const char *name) {
  for (guint i = 0; reserved_names[i] != NULL; i++)
    if (strcmp(name, reserved_names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* [a-z]+[0-9]+ */
gboolean ns_topo_is_iface_name(const char *s) {
  const char *p = s;
  while (*p >= 'a' && *p <= 'z')
    p++;
  if (p == s || !g_ascii_isdigit(*p))
    return FALSE;
  while (g_ascii_isdigit(*p))
    p++;
  return *p == '\0';
}

/* Splits on blanks, dropping empty words. */
char **ns_topo_split_words(const char *s) {
  char **w = g_strsplit_set(s, " \t", -1);
  guint j = 0;
  for (guint i = 0; w[i] != NULL; i++) {
    if (w[i][0] != '\0')
      w[j++] = w[i];
    else
      g_free(w[i]);
  }
  w[j] = NULL;
  return w;
}

/* Decimal digits only, at most max. */
gboolean ns_topo_parse_uint(const char *s, guint64 max, guint64 *out) {
  if (*s == '\0')
    return FALSE;
  guint64 v = 0;
  for (const char *p = s; *p != '\0'; p++) {
    if (!g_ascii_isdigit(*p))
      return FALSE;
    v = v * 10 + (guint64)(*p - '0');
    if (v > max)
      return FALSE;
  }
  *out = v;
  return TRUE;
}

/* ---- key values ---------------------------------------------------------- */

/* The stripped value of key, or NULL with the error set.  Values are taken
 * literally: GKeyFile's escapes (\s, \n, \;) mean nothing here, and its
 * escape handling in g_key_file_get_string_list() can report one error
 * twice (GLib 2.74, "sw1\ = x\"). */
char *ns_topo_get_value(Loader *ld, guint idx, const char *key) {
  const char *raw = ns_topo_raw_value(ld, idx, key);
  g_return_val_if_fail(raw != NULL, NULL); /* keys come from the file */
  char *v = g_strdup(raw);
  if (!g_utf8_validate(v, -1, NULL)) {
    g_free(v);
    ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
                 _("the value is not UTF-8 text"));
    return NULL;
  }
  /* A '#' after white space starts a comment, as teachers write
   * "link = sw1   # uplink" (GKeyFile itself only knows whole-line
   * comments).  No value of ours contains '#'. */
  for (char *c = v; *c != '\0'; c++)
    if (*c == '#' && (c == v || c[-1] == ' ' || c[-1] == '\t')) {
      *c = '\0';
      break;
    }
  return g_strstrip(v);
}

/* A ';'-separated value as stripped items (empty ones kept), or NULL. */
char **ns_topo_get_list(Loader *ld, guint idx, const char *key) {
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return NULL;
  char **items = g_strsplit(v, ";", -1);
  for (guint i = 0; items[i] != NULL; i++)
    g_strstrip(items[i]);
  return items;
}

gboolean ns_topo_key_uint(Loader *ld, guint idx, const char *key, guint min,
                          guint max, guint *out) {
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  guint64 x;
  if (!ns_topo_parse_uint(v, max, &x) || x < min)
    return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                        _("'%s' is not a whole number from %u to %u"), v, min,
                        max);
  *out = (guint)x;
  return TRUE;
}

gboolean ns_topo_key_time(Loader *ld, guint idx, const char *key, NsTime max,
                          NsTime *out) {
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  NsTime x;
  if (!ns_time_parse(v, 0, &x, &e))
    return ns_topo_fail_with(ld, section_of(ld, idx), key, NULL, e);
  if (x == 0 || x > max) {
    char buf[NS_TIME_STRLEN];
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, idx), key,
        _("'%s' is out of range (expected more than 0, at most %s)"), v,
        ns_time_format(max, buf));
  }
  *out = x;
  return TRUE;
}

static gboolean fail_iface_len(Loader *ld, const char *sec, const char *key,
                               guint len, NsIp4 addr) {
  char a[NS_IP4_STRLEN];
  return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key,
                      _("/%u is not allowed for an interface (expected a "
                        "length of 1-30, such as %s/24)"),
                      len, ns_ip4_format(addr, a));
}

/* ADDR/LEN with LEN past 32 (up to 999): the interface's own message, not
 * the general prefix's "length 0-32". */
static gboolean long_len(const char *text, guint *len, NsIp4 *addr) {
  const char *slash = strrchr(text, '/');
  guint64 n = 0;
  NsPrefix bare;
  if (slash == NULL ||
      !g_ascii_string_to_unsigned(slash + 1, 10, 33, 999, &n, NULL))
    return FALSE;
  g_autofree char *a = g_strndup(text, (gsize)(slash - text));
  if (!ns_prefix_parse(a, TRUE, &bare, NULL) || bare.len != 32)
    return FALSE;
  *len = (guint)n;
  *addr = bare.addr;
  return TRUE;
}

gboolean ns_topo_parse_iface_addr(Loader *ld, guint idx, const char *key,
                                  const char *text, NsPrefix *out) {
  char a[NS_IP4_STRLEN], net[NS_PREFIX_STRLEN], lo[NS_IP4_STRLEN],
      hi[NS_IP4_STRLEN];
  const char *sec = section_of(ld, idx);
  GError *e = NULL;
  NsPrefix p;
  if (!ns_prefix_parse(text, FALSE, &p, &e)) {
    guint len;
    NsIp4 addr;
    if (!long_len(text, &len, &addr))
      return ns_topo_fail_with(ld, sec, key, NULL, e);
    g_error_free(e);
    return fail_iface_len(ld, sec, key, len, addr);
  }
  if (p.len < 1 || p.len > 30)
    return fail_iface_len(ld, sec, key, p.len, p.addr);
  ns_ip4_format(p.addr, a);
  if ((p.addr.v >> 24) == 0 || ns_ip4_is_loopback(p.addr) ||
      (p.addr.v >> 24) >= 224)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("%s cannot be an interface address (expected a unicast "
          "address outside 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and "
          "above)"),
        a);
  NsPrefix c = ns_prefix_canonical(p);
  ns_prefix_format(c, net);
  ns_ip4_format((NsIp4){c.addr.v + 1}, lo);
  ns_ip4_format((NsIp4){ns_prefix_broadcast(p).v - 1}, hi);
  const char *what = NULL;
  if (ns_ip4_equal(p.addr, c.addr))
    what = _("network");
  else if (ns_ip4_equal(p.addr, ns_prefix_broadcast(p)))
    what = _("broadcast");
  if (what != NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, key,
        _("%s is the %s address of %s (expected a host address from %s "
          "to %s)"),
        a, what, net, lo, hi);
  *out = p;
  return TRUE;
}

/* mac=MAC, the one key an interface adds to the link's (ifc given). */
static gboolean parse_mac(Loader *ld, const char *sec, const char *key,
                          const char *v, NsTopoIface *ifc) {
  if (ifc->has_mac)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key, _("mac= given twice"));
  GError *e = NULL;
  if (!ns_mac_parse(v, &ifc->mac, &e))
    return ns_topo_fail_with(ld, sec, key, "mac", e);
  ifc->has_mac = TRUE;
  return TRUE;
}

/* Parses "key=value" link parameters into d; mac= only when ifc != NULL. */
gboolean ns_topo_parse_params(Loader *ld, guint idx, const char *key,
                              char **words, LinkDecl *d, NsTopoIface *ifc) {
  const char *sec = section_of(ld, idx);
  for (; *words != NULL; words++) {
    const char *w = *words;
    const char *eq = strchr(w, '=');
    g_autofree char *name = eq ? g_strndup(w, (gsize)(eq - w)) : NULL;
    NsLinkParam k;
    gboolean known = eq != NULL && ns_link_param_lookup(name, &k);
    if (!known && eq != NULL && ifc != NULL && strcmp(name, "mac") == 0) {
      if (!parse_mac(ld, sec, key, eq + 1, ifc))
        return FALSE;
      continue;
    }
    if (!known) {
      g_autofree char *menu = ns_link_param_menu();
      return ns_topo_fail(
          ld, NS_ERROR_PARSE, sec, key,
          eq ? _("unknown link parameter '%s' (expected %s%s)")
             : _("'%s' is not a link parameter (expected %s%s)"),
          eq ? name : w, menu, ifc != NULL ? _(" or mac=MAC") : "");
    }
    guint bit = 1u << k;
    if (d->given & bit)
      return ns_topo_fail(ld, NS_ERROR_INVALID, sec, key, _("%s= given twice"),
                          name);
    d->given |= bit;
    GError *e = NULL;
    if (!ns_link_param_parse(k, eq + 1, &d->params, &e))
      return ns_topo_fail_with(ld, sec, key, name, e);
  }
  return TRUE;
}

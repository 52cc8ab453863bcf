/* topology_text.c — a topology file's text split into sections and keys.
 *
 * One pass over a private copy of the text: each line is checked, then
 * cut in place (a NUL after the section name, the key and the value), so
 * sections and keys point into that copy and loading allocates nothing
 * per line.  The rules are those of the GKeyFile format the loader used
 * before (whole-line '#' comments, `[section]`, `key = value`, keys
 * in file order), with the refusals that format hid made errors.
 *
 * Which error a file with several gets (the order the loader always
 * had):
 *   1. the first line that is not a comment, a section line or a key line
 *      (it names the line and shows it escaped);
 *   2. else the first key name with a bad locale suffix ("Invalid key
 *      name", GKeyFile's words);
 *   3. else the first section given twice or localized key (key[de]).
 * Duplicate keys are the loader's to refuse, section by section.
 */
#include "config/topology_private.h"
#include "core/i18n.h"
#include "core/text.h"

#include <string.h>

#define SHOWN_TEXT 64 /* bytes of a bad line a message shows */

typedef struct {
  Loader *ld;
  GHashTable *seen; /* section name (in the copy) -> GUINT line */
  GError *bad_key;  /* step 2 of the order above */
  GError *twice;    /* step 3 */
} Split;

static gboolean syntax_fail(Split *sp, guint lineno, const char *s, gsize n,
                            const char *why) {
  g_autofree char *text = ns_text_excerpt((const guint8 *)s, n, SHOWN_TEXT);
  g_set_error(sp->ld->error, NS_ERROR, NS_ERROR_PARSE, "%s:%u: '%s': %s",
              sp->ld->source, lineno, text, why);
  return FALSE;
}

static gboolean has_control(const char *s, gsize n) {
  for (gsize i = 0; i < n; i++)
    if (g_ascii_iscntrl(s[i]))
      return TRUE;
  return FALSE;
}

/* A key name the format takes: no control characters, and brackets only
 * as a locale suffix key[xx] (refused later, with its own message). */
static gboolean key_name_ok(const char *k, gsize n) {
  const char *open = memchr(k, '[', n);
  if (has_control(k, n))
    return FALSE;
  if (open == NULL)
    return memchr(k, ']', n) == NULL;
  gsize before = (gsize)(open - k);
  return before > 0 && n - before >= 3 && k[n - 1] == ']' &&
         memchr(open + 1, '[', n - before - 1) == NULL &&
         memchr(open + 1, ']', n - before - 2) == NULL;
}

/* The locale of key[locale]: letters, digits, '-', '_', '.', '@'. */
static gboolean locale_ok(const char *s, const char *end) {
  for (const char *p = s; p < end; p = g_utf8_next_char(p))
    if (!g_unichar_isalnum(g_utf8_get_char(p)) && strchr("-_.@", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A section given twice or a localized key: kept if it is the first,
 * reported only if no line is refused (order step 3). */
#define KEEP_TWICE(sp, ...)                                                    \
  do {                                                                         \
    if ((sp)->twice == NULL) {                                                 \
      GError **was_ = (sp)->ld->error;                                         \
      (sp)->ld->error = &(sp)->twice;                                          \
      ns_topo_fail((sp)->ld, __VA_ARGS__);                                     \
      (sp)->ld->error = was_;                                                  \
    }                                                                          \
  } while (0)

static gboolean section_line(Split *sp, guint lineno, char *s, gsize n) {
  if (n < 2 || s[n - 1] != ']')
    return syntax_fail(
        sp, lineno, s, n,
        _("a section line ends with ']' (expected [KIND NAME])"));
  if (n == 2 || memchr(s + 1, '[', n - 2) || memchr(s + 1, ']', n - 2) ||
      has_control(s + 1, n - 2))
    return syntax_fail(sp, lineno, s, n,
                       _("not a section name (expected [KIND NAME] without "
                         "brackets or control characters inside)"));
  s[n - 1] = '\0';
  TopoSection sec = {
      .name = s + 1, .line = lineno, .first = sp->ld->lines->len};
  gpointer first = g_hash_table_lookup(sp->seen, sec.name);
  if (first != NULL)
    KEEP_TWICE(sp, NS_ERROR_INVALID, sec.name, NULL,
               _("section appears twice (lines %u and %u; expected each "
                 "node once)"),
               GPOINTER_TO_UINT(first), lineno);
  else
    g_hash_table_insert(sp->seen, sec.name, GUINT_TO_POINTER(lineno));
  g_array_append_val(sp->ld->sections, sec);
  return TRUE;
}

/* Order step 2, in the words GKeyFile used (untranslated), escaped. */
static void bad_key(Split *sp, const char *key) {
  if (sp->bad_key != NULL)
    return;
  g_autofree char *msg = g_strdup_printf("Invalid key name: %s", key);
  g_autofree char *shown =
      ns_text_excerpt((const guint8 *)msg, strlen(msg), 200);
  g_set_error(&sp->bad_key, NS_ERROR, NS_ERROR_PARSE, "%s: %s", sp->ld->source,
              shown);
}

static gboolean key_line(Split *sp, guint lineno, char *s, gsize n) {
  char *eq = memchr(s, '=', n);
  if (eq == NULL)
    return syntax_fail(sp, lineno, s, n,
                       _("not a 'key = value' line nor a [section] line"));
  if (sp->ld->sections->len == 0)
    return syntax_fail(sp, lineno, s, n,
                       _("a key before any section (expected a [KIND NAME] "
                         "line first, such as [host h1])"));
  char *ke = eq;
  while (ke > s && g_ascii_isspace(ke[-1]))
    ke--;
  if (ke == s)
    return syntax_fail(sp, lineno, s, n, _("no key before '='"));
  if (!key_name_ok(s, (gsize)(ke - s)))
    return syntax_fail(sp, lineno, s, n,
                       _("not a key name (expected letters, digits and '-')"));
  char *v = eq + 1;
  while (v < s + n && g_ascii_isspace(*v))
    v++;
  s[n] = '\0';
  *ke = '\0';
  TopoSection *sec =
      &g_array_index(sp->ld->sections, TopoSection, sp->ld->sections->len - 1);
  char *open = strchr(s, '[');
  if (open != NULL && !locale_ok(open + 1, ke - 1))
    bad_key(sp, s);
  else if (open != NULL)
    KEEP_TWICE(sp, NS_ERROR_PARSE, sec->name, s,
               _("unknown key (localized keys such as key[de] are not used "
                 "in topology files)"));
  TopoLine kv = {.key = s, .value = v};
  g_array_append_val(sp->ld->lines, kv);
  sec->n++;
  return TRUE;
}

/* One line, s[0..n) without surrounding blanks; s[n] may be overwritten. */
static gboolean split_line(Split *sp, guint lineno, char *s, gsize n) {
  if (n == 0 || s[0] == '#')
    return TRUE;
  if (s[0] == '[')
    return section_line(sp, lineno, s, n);
  return key_line(sp, lineno, s, n);
}

static gboolean split_all(Split *sp, char *text, gsize len) {
  char *p = text, *end = text + len;
  for (guint lineno = 1; p < end; lineno++) {
    char *eol = memchr(p, '\n', (gsize)(end - p));
    if (eol == NULL)
      eol = end;
    char *s = p, *e = eol;
    while (s < e && g_ascii_isspace(*s))
      s++;
    while (e > s && g_ascii_isspace(e[-1]))
      e--;
    if (!split_line(sp, lineno, s, (gsize)(e - s)))
      return FALSE;
    p = eol + 1;
  }
  return TRUE;
}

gboolean ns_topo_split_text(Loader *ld, const char *data, gsize len) {
  ld->text = g_malloc(len + 1);
  memcpy(ld->text, data, len);
  ld->text[len] = '\0';
  Split sp = {.ld = ld, .seen = g_hash_table_new(g_str_hash, g_str_equal)};
  gboolean ok = split_all(&sp, ld->text, len);
  g_hash_table_unref(sp.seen);
  GError *first = sp.bad_key != NULL ? sp.bad_key : sp.twice;
  if (ok && first != NULL) {
    g_propagate_error(ld->error, g_error_copy(first));
    ok = FALSE;
  }
  g_clear_error(&sp.bad_key);
  g_clear_error(&sp.twice);
  return ok;
}

const char *ns_topo_raw_value(const Loader *ld, guint idx, const char *key) {
  const TopoSection *sec = section_at(ld, idx);
  if (ld->key_index_of == idx + 1) {
    gint k = ns_topo_indexed_pos(ld, idx, key);
    return k >= 0 ? line_at(ld, sec->first + (guint)k)->value : NULL;
  }
  const char *v = NULL;
  for (guint i = sec->first; i < sec->first + sec->n; i++)
    if (strcmp(line_at(ld, i)->key, key) == 0)
      v = line_at(ld, i)->value;
  return v;
}

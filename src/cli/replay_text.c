/* replay_text.c — escaping, the string table and reports as JSON for the
 * replay page (see replay_private.h). */
#include "cli/replay_private.h"

#include <string.h>

/* ---- escaping ------------------------------------------------------------ */

/* The entity for an HTML-special byte, or NULL. */
static const char *html_entity(char c) {
  static const char *const entities[128] = {
      ['&'] = "&amp;",  ['<'] = "&lt;",   ['>'] = "&gt;",
      ['"'] = "&quot;", ['\''] = "&#39;",
  };
  return (unsigned char)c < 128 ? entities[(unsigned char)c] : NULL;
}

void ns_replay_html(GString *out, const char *text) {
  g_autofree char *valid = g_utf8_make_valid(text != NULL ? text : "", -1);
  for (const char *p = valid; *p != '\0'; p++) {
    const char *e = html_entity(*p);
    if (e != NULL)
      g_string_append(out, e);
    else
      g_string_append_c(out, *p);
  }
}

/* JSON's short escapes; other control characters and the characters a
 * script element must not see are written \uXXXX. */
static const char *json_short(gunichar c) {
  switch (c) {
  case '"':
    return "\\\"";
  case '\\':
    return "\\\\";
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    return NULL;
  }
}

static gboolean json_unicode_escaped(gunichar c) {
  return c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 ||
         c == 0x2029 || c == 0x7f;
}

void ns_replay_json(GString *out, const char *text) {
  g_autofree char *valid = g_utf8_make_valid(text != NULL ? text : "", -1);
  g_string_append_c(out, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    const char *e = json_short(c);
    if (e != NULL)
      g_string_append(out, e);
    else if (json_unicode_escaped(c))
      g_string_append_printf(out, "\\u%04x", c);
    else
      g_string_append_len(out, p, g_utf8_next_char(p) - p);
  }
  g_string_append_c(out, '"');
}

/* ---- strings ------------------------------------------------------------- */

void ns_replay_strings_init(NsReplayStrings *s) {
  s->index = g_hash_table_new(g_str_hash, g_str_equal);
  s->strs = g_ptr_array_new_with_free_func(g_free);
  ns_replay_intern(s, "");
}

void ns_replay_strings_clear(NsReplayStrings *s) {
  g_clear_pointer(&s->index, g_hash_table_unref);
  g_clear_pointer(&s->strs, g_ptr_array_unref);
}

guint ns_replay_intern(NsReplayStrings *s, const char *text) {
  if (text == NULL)
    text = "";
  gpointer v = g_hash_table_lookup(s->index, text);
  if (v != NULL)
    return GPOINTER_TO_UINT(v) - 1;
  char *copy = g_strdup(text);
  g_ptr_array_add(s->strs, copy);
  g_hash_table_insert(s->index, copy, GUINT_TO_POINTER(s->strs->len));
  return s->strs->len - 1;
}

/* ---- reports ------------------------------------------------------------- */

/* Columns whose values change with time alone. */
static gboolean timed_column(const char *name) {
  static const char *const timed[] = {"TIMER", "AGE"};
  for (guint i = 0; i < G_N_ELEMENTS(timed); i++)
    if (strcmp(name, timed[i]) == 0)
      return TRUE;
  return FALSE;
}

static void table_json(GString *out, const NsTable *t) {
  guint nc = ns_table_n_columns(t);
  g_string_append(out, ",\"c\":[");
  const char *sep = "";
  for (guint c = 0; c < nc; c++) {
    if (timed_column(ns_table_column(t, c)->name))
      continue;
    g_string_append(out, sep);
    ns_replay_json(out, ns_table_column(t, c)->name);
    sep = ",";
  }
  g_string_append(out, "],\"r\":[");
  for (guint row = 0; row < ns_table_n_rows(t); row++) {
    g_string_append(out, row > 0 ? ",[" : "[");
    sep = "";
    for (guint c = 0; c < nc; c++) {
      if (timed_column(ns_table_column(t, c)->name))
        continue;
      g_string_append(out, sep);
      ns_replay_json(out, ns_table_get(t, row, c));
      sep = ",";
    }
    g_string_append_c(out, ']');
  }
  g_string_append_c(out, ']');
}

/* One block per section: its title, its notes, its first table (the
 * show reports have at most one per section); nested sections follow as
 * blocks of their own. */
static void section_json(GString *out, const char *title, const NsReport *r,
                         gboolean *first) {
  g_string_append(out, *first ? "{\"t\":" : ",{\"t\":");
  *first = FALSE;
  ns_replay_json(out, title);
  g_string_append(out, ",\"n\":[");
  const char *sep = "";
  for (guint i = 0; i < ns_report_n_items(r); i++) {
    const NsReportItem *it = ns_report_item(r, i);
    if (it->kind != NS_REPORT_NOTE)
      continue;
    g_string_append(out, sep);
    ns_replay_json(out, it->note);
    sep = ",";
  }
  g_string_append_c(out, ']');
  for (guint i = 0; i < ns_report_n_items(r); i++) {
    const NsReportItem *it = ns_report_item(r, i);
    if (it->kind == NS_REPORT_TABLE) {
      table_json(out, it->table);
      break;
    }
  }
  g_string_append_c(out, '}');
  for (guint i = 0; i < ns_report_n_items(r); i++) {
    const NsReportItem *it = ns_report_item(r, i);
    if (it->kind == NS_REPORT_SECTION)
      section_json(out, it->section->title, it->section, first);
  }
}

void ns_replay_report_json(GString *out, const NsReport *r) {
  gboolean first = TRUE;
  g_string_append_c(out, '[');
  section_json(out, r->title, r, &first);
  g_string_append_c(out, ']');
}

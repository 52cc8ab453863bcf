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

/* How JSON inside a script writes each ASCII byte: NULL as itself, else
 * the escape.  Control characters and the characters a script element
 * must not see are written \uXXXX. */
static const char *json_escape(guchar c) {
  static const char *const short_escapes[128] = {
      ['"'] = "\\\"", ['\\'] = "\\\\",   ['\n'] = "\\n",    ['\r'] = "\\r",
      ['\t'] = "\\t", ['<'] = "\\u003c", ['>'] = "\\u003e", ['&'] = "\\u0026",
  };
  return c < 128 ? short_escapes[c] : NULL;
}

/* Writes the valid UTF-8 text, escaped, without quotes: bytes are copied
 * as they are but for the escapes above, control characters and the line
 * and paragraph separators U+2028/2029 (E2 80 A8/A9). */
static void json_body(GString *out, const char *text) {
  const guchar *p = (const guchar *)text;
  while (*p != '\0') {
    const guchar *run = p;
    while (*p >= 0x20 && *p != 0x7f && json_escape(*p) == NULL &&
           !(p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)))
      p++;
    g_string_append_len(out, (const char *)run, p - run);
    if (*p == '\0')
      break;
    if (json_escape(*p) != NULL) {
      g_string_append(out, json_escape(*p));
      p++;
    } else if (*p == 0xe2) {
      g_string_append(out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
      p += 3;
    } else {
      g_string_append_printf(out, "\\u%04x", *p);
      p++;
    }
  }
}

void ns_replay_json(GString *out, const char *text) {
  if (text == NULL)
    text = "";
  g_string_append_c(out, '"');
  if (g_utf8_validate(text, -1, NULL)) {
    json_body(out, text);
  } else {
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    json_body(out, valid);
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

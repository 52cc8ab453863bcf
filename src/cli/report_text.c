/* report_text.c — reports as aligned text: the one text renderer of the
 * `show` commands (see report.h for the layout). */
#include "cli/report.h"
#include "core/i18n.h"

#include <string.h>

/* Columns text takes on a terminal: a wide (CJK) character two, any
 * other one; bytes for text that is not UTF-8. */
static gsize text_width(const char *text) {
  if (!g_utf8_validate(text, -1, NULL))
    return strlen(text);
  gsize w = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
    w += g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
  return w;
}

/* A column's header in the user's language (the names are N_()-marked
 * where the tables are declared). */
static const char *header(const NsTable *t, guint c) {
  const char *name = ns_table_column(t, c)->name;
  return name[0] != '\0' ? _(name) : name;
}

/* Each row of t on a line of its own after indent. */
static void table_text(const NsTable *t, const char *indent, GString *out) {
  guint ncols = ns_table_n_columns(t);
  if (ncols == 0)
    return;
  g_assert(t->cells->len % ncols == 0);
  g_autofree gsize *width = g_new0(gsize, ncols);
  for (guint c = 0; c < ncols; c++)
    width[c] = text_width(header(t, c));
  for (guint i = 0; i < t->cells->len; i++)
    width[i % ncols] =
        MAX(width[i % ncols], text_width(g_ptr_array_index(t->cells, i)));
  /* row -1 is the header line */
  for (gint row = -1; row < (gint)ns_table_n_rows(t); row++) {
    gsize start = out->len;
    g_string_append(out, indent);
    for (guint c = 0; c < ncols; c++) {
      const NsColumn *col = ns_table_column(t, c);
      const char *s = row < 0 ? header(t, c) : ns_table_get(t, (guint)row, c);
      int pad = (int)(width[c] - text_width(s));
      if (c > 0)
        g_string_append(out, "  ");
      if (col->align == NS_ALIGN_RIGHT)
        g_string_append_printf(out, "%*s%s", pad, "", s);
      else
        g_string_append_printf(out, "%s%*s", s, pad, "");
    }
    while (out->len > start && out->str[out->len - 1] == ' ')
      g_string_truncate(out, out->len - 1);
    g_string_append_c(out, '\n');
  }
}

static void report_text(const NsReport *r, guint indent, GString *out) {
  if (r->title != NULL) {
    g_string_append_printf(out, "%*s%s\n", (int)indent, "", r->title);
    indent += 2;
  }
  g_autofree char *pad = g_strnfill(indent, ' ');
  for (guint i = 0; i < ns_report_n_items(r); i++) {
    const NsReportItem *it = ns_report_item(r, i);
    switch (it->kind) {
    case NS_REPORT_NOTE:
      g_string_append_printf(out, "%s%s\n", pad, it->note);
      break;
    case NS_REPORT_TABLE:
      table_text(it->table, pad, out);
      break;
    case NS_REPORT_SECTION:
      report_text(it->section, indent, out);
      break;
    case NS_REPORT_GAP:
      g_string_append_c(out, '\n');
      break;
    }
  }
}

void ns_report_render_text(const NsReport *r, GString *out) {
  report_text(r, 0, out);
}

void ns_report_print(const NsReport *r, FILE *out) {
  g_autoptr(GString) text = g_string_new(NULL);
  ns_report_render_text(r, text);
  fputs(text->str, out);
}

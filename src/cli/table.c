/* table.c — aligned text tables. */
#include "cli/table.h"

#include <stdarg.h>
#include <string.h>

/* headers: ncols strings; a header starting with '>' is right-aligned. */
void ns_table_init(NsTable *t, guint ncols, const char *const *headers) {
  g_assert(ncols <= NS_TABLE_MAX_COLS);
  t->ncols = ncols;
  t->cells = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < ncols; i++) {
    const char *h = headers[i];
    t->right[i] = h[0] == '>';
    g_ptr_array_add(t->cells, g_strdup(t->right[i] ? h + 1 : h));
  }
}

void ns_table_cell(NsTable *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(t->cells, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

void ns_table_u64(NsTable *t, guint64 v) {
  ns_table_cell(t, "%" G_GUINT64_FORMAT, v);
}

/* Prints and frees the table, each line after indent. */
void ns_table_print(NsTable *t, FILE *out, const char *indent) {
  g_assert(t->cells->len % t->ncols == 0);
  gsize width[NS_TABLE_MAX_COLS] = {0};
  for (guint i = 0; i < t->cells->len; i++)
    width[i % t->ncols] =
        MAX(width[i % t->ncols], strlen(g_ptr_array_index(t->cells, i)));
  GString *line = g_string_new(NULL);
  for (guint row = 0; row < t->cells->len / t->ncols; row++) {
    g_string_assign(line, indent);
    for (guint c = 0; c < t->ncols; c++) {
      const char *s = g_ptr_array_index(t->cells, row * t->ncols + c);
      int w = (int)width[c];
      if (c > 0)
        g_string_append(line, "  ");
      if (t->right[c])
        g_string_append_printf(line, "%*s", w, s);
      else
        g_string_append_printf(line, "%-*s", w, s);
    }
    while (line->len > 0 && line->str[line->len - 1] == ' ')
      g_string_truncate(line, line->len - 1);
    fprintf(out, "%s\n", line->str);
  }
  g_string_free(line, TRUE);
  g_ptr_array_unref(t->cells);
  t->cells = NULL;
}

void ns_table_clear(NsTable *t) {
  if (t->cells != NULL)
    g_ptr_array_unref(t->cells);
  t->cells = NULL;
}

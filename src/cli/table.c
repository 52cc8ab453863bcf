/* table.c — a table as data. */
#include "cli/table.h"

#include <stdarg.h>

NsTable *ns_table_new(const NsColumn *columns, guint n) {
  NsTable *t = g_new0(NsTable, 1);
  t->columns = g_array_sized_new(FALSE, FALSE, sizeof(NsColumn), n);
  t->cells = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < n; i++)
    ns_table_add_column(t, columns[i].name, columns[i].align);
  return t;
}

void ns_table_free(NsTable *t) {
  if (t == NULL)
    return;
  g_array_unref(t->columns);
  g_ptr_array_unref(t->cells);
  g_free(t);
}

void ns_table_add_column(NsTable *t, const char *name, NsAlign align) {
  g_return_if_fail(t->cells->len == 0);
  NsColumn c = {g_intern_string(name), align};
  g_array_append_val(t->columns, c);
}

void ns_table_cell(NsTable *t, const char *fmt, ...) {
  g_return_if_fail(t->columns->len > 0);
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(t->cells, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

void ns_table_u64(NsTable *t, guint64 v) {
  ns_table_cell(t, "%" G_GUINT64_FORMAT, v);
}

guint ns_table_n_columns(const NsTable *t) { return t->columns->len; }

guint ns_table_n_rows(const NsTable *t) {
  return t->columns->len == 0 ? 0 : t->cells->len / t->columns->len;
}

const NsColumn *ns_table_column(const NsTable *t, guint col) {
  g_return_val_if_fail(col < t->columns->len, NULL);
  return &g_array_index(t->columns, NsColumn, col);
}

const char *ns_table_get(const NsTable *t, guint row, guint col) {
  g_return_val_if_fail(row < ns_table_n_rows(t) && col < t->columns->len, NULL);
  return g_ptr_array_index(t->cells, row * t->columns->len + col);
}

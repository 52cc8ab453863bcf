/* table.h — aligned text tables for the `show` commands.
 *
 * Cells are added row by row (ncols per row, the first row being the
 * headers); printing pads every column to its widest cell, right-aligns
 * the columns whose header starts with '>', trims trailing blanks, and
 * frees the cells.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

#define NS_TABLE_MAX_COLS 16

typedef struct {
  guint ncols;
  GPtrArray *cells;                  /* row-major, owned strings */
  gboolean right[NS_TABLE_MAX_COLS]; /* right-align (numbers) */
} NsTable;

/* headers: ncols strings; a header starting with '>' is right-aligned. */
void ns_table_init(NsTable *t, guint ncols, const char *const *headers);
void ns_table_cell(NsTable *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void ns_table_u64(NsTable *t, guint64 v);
/* Prints and frees the table, each line after indent. */
void ns_table_print(NsTable *t, FILE *out, const char *indent);
/* Frees the table without printing it. */
void ns_table_clear(NsTable *t);

G_END_DECLS

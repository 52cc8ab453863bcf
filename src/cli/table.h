/* table.h — a table as data: columns, then rows of text cells.
 *
 * What a `show` command prints is built as values first (see report.h for
 * how tables, titles and notes are put together) and only then rendered:
 * as aligned text today (report_text.c), as HTML or in a replay later.  A
 * table therefore holds no layout: each column has a name and an
 * alignment, each cell is the final text of one value ("12", "58.2s",
 * "h1:eth0"); widths are the renderer's business.
 *
 * Columns are fixed before the first cell.  Cells are appended row by row,
 * left to right; a table is complete when the number of cells is a
 * multiple of the number of columns (renderers assert it).  A table with
 * no rows is valid (a renderer shows its header only).  Column names are
 * interned (g_intern_string): they live as long as the process, so a
 * column can be copied by value.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NS_ALIGN_LEFT,  /* text */
  NS_ALIGN_RIGHT, /* numbers */
} NsAlign;

typedef struct {
  const char *name; /* the header, "MAC"; interned inside a table */
  NsAlign align;
} NsColumn;

typedef struct {
  GArray *columns;  /* NsColumn, in order */
  GPtrArray *cells; /* owned strings, row-major: (row, col) at
                       row * n_columns + col */
} NsTable;

/* A table with n columns (names copied by interning; may be 0 columns,
 * then add them with ns_table_add_column). */
NsTable *ns_table_new(const NsColumn *columns, guint n);
void ns_table_free(NsTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsTable, ns_table_free)

/* Appends a column; only before the first cell. */
void ns_table_add_column(NsTable *t, const char *name, NsAlign align);

/* Appends the next cell (row by row, left to right). */
void ns_table_cell(NsTable *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void ns_table_u64(NsTable *t, guint64 v);

guint ns_table_n_columns(const NsTable *t);
/* Complete rows. */
guint ns_table_n_rows(const NsTable *t);
const NsColumn *ns_table_column(const NsTable *t, guint col);
/* The cell at (row, col) of a complete row. */
const char *ns_table_get(const NsTable *t, guint row, guint col);

G_END_DECLS

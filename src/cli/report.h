/* report.h — what one `show` command says, as data: titled sections of
 * notes and tables.
 *
 * A report is a list of items in reading order.  An item is one of
 *   a note     one line of text ("(empty)", "no sockets");
 *   a table    columns and rows (table.h);
 *   a section  a report with a title, nested one level below its parent
 *              ("ARP cache of h1 (host)", inside it one section per
 *              interface);
 *   a gap      a break between two items (a blank line in text).
 * The whole report of a command has no title (its top-level items are not
 * inside any heading); every section has one.
 *
 * Rendering belongs elsewhere, one function per medium: ns_report_print
 * (report_text.c) writes the text the console and scenarios show.  The
 * text layout follows from the tree alone: a section's title at the
 * current indent, its items two columns further in.
 *
 * Ownership: a report owns its items, a section its own items; the
 * sections and tables the add functions return are borrowed from the
 * report and live until ns_report_free of the whole.
 */
#pragma once

#include <stdio.h>

#include "cli/table.h"

G_BEGIN_DECLS

typedef struct NsReport NsReport;

typedef enum {
  NS_REPORT_NOTE,
  NS_REPORT_TABLE,
  NS_REPORT_SECTION,
  NS_REPORT_GAP,
} NsReportItemKind;

/* kind says which member of the union is set (none for a gap). */
typedef struct {
  NsReportItemKind kind;
  union {
    char *note;        /* NS_REPORT_NOTE: owned, one line, no '\n' */
    NsTable *table;    /* NS_REPORT_TABLE: owned */
    NsReport *section; /* NS_REPORT_SECTION: owned, titled */
  };
} NsReportItem;

struct NsReport {
  char *title;   /* owned; NULL for a whole report, set for a section */
  GArray *items; /* NsReportItem, in reading order */
};

/* An empty report (no title). */
NsReport *ns_report_new(void);
void ns_report_free(NsReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsReport, ns_report_free)

/* Appends a section titled fmt...; returns it (borrowed) to fill. */
NsReport *ns_report_add_section(NsReport *r, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void ns_report_add_note(NsReport *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Appends t; the report takes it. */
void ns_report_add_table(NsReport *r, NsTable *t);
void ns_report_add_gap(NsReport *r);

guint ns_report_n_items(const NsReport *r);
const NsReportItem *ns_report_item(const NsReport *r, guint i);
/* The n-th table of r in reading order (sections included), or NULL. */
const NsTable *ns_report_table(const NsReport *r, guint n);

/* report_text.c: the text renderer, the only one.  Columns are padded to
 * their widest cell (header included) and two blanks apart, right-aligned
 * columns padded on the left; trailing blanks are trimmed. */
void ns_report_render_text(const NsReport *r, GString *out);
void ns_report_print(const NsReport *r, FILE *out);

G_END_DECLS

/* report.c — building reports (see report.h). */
#include "cli/report.h"

#include <stdarg.h>

static void item_clear(gpointer p) {
  NsReportItem *it = p;
  switch (it->kind) {
  case NS_REPORT_NOTE:
    g_free(it->note);
    break;
  case NS_REPORT_TABLE:
    ns_table_free(it->table);
    break;
  case NS_REPORT_SECTION:
    ns_report_free(it->section);
    break;
  case NS_REPORT_GAP:
    break;
  }
}

NsReport *ns_report_new(void) {
  NsReport *r = g_new0(NsReport, 1);
  r->items = g_array_new(FALSE, TRUE, sizeof(NsReportItem));
  g_array_set_clear_func(r->items, item_clear);
  return r;
}

void ns_report_free(NsReport *r) {
  if (r == NULL)
    return;
  g_array_unref(r->items);
  g_free(r->title);
  g_free(r);
}

static void add_item(NsReport *r, NsReportItem it) {
  g_array_append_val(r->items, it);
}

NsReport *ns_report_add_section(NsReport *r, const char *fmt, ...) {
  NsReportItem it = {.kind = NS_REPORT_SECTION, .section = ns_report_new()};
  va_list ap;
  va_start(ap, fmt);
  it.section->title = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  add_item(r, it);
  return it.section;
}

void ns_report_add_note(NsReport *r, const char *fmt, ...) {
  NsReportItem it = {.kind = NS_REPORT_NOTE};
  va_list ap;
  va_start(ap, fmt);
  it.note = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  add_item(r, it);
}

void ns_report_add_table(NsReport *r, NsTable *t) {
  g_return_if_fail(t != NULL);
  add_item(r, (NsReportItem){.kind = NS_REPORT_TABLE, .table = t});
}

void ns_report_add_gap(NsReport *r) {
  add_item(r, (NsReportItem){.kind = NS_REPORT_GAP});
}

guint ns_report_n_items(const NsReport *r) { return r->items->len; }

const NsReportItem *ns_report_item(const NsReport *r, guint i) {
  g_return_val_if_fail(i < r->items->len, NULL);
  return &g_array_index(r->items, NsReportItem, i);
}

/* Counts tables down *n; the one at which *n reaches zero. */
static const NsTable *nth_table(const NsReport *r, guint *n) {
  for (guint i = 0; i < r->items->len; i++) {
    const NsReportItem *it = ns_report_item(r, i);
    if (it->kind == NS_REPORT_TABLE && (*n)-- == 0)
      return it->table;
    if (it->kind == NS_REPORT_SECTION) {
      const NsTable *t = nth_table(it->section, n);
      if (t != NULL)
        return t;
    }
  }
  return NULL;
}

const NsTable *ns_report_table(const NsReport *r, guint n) {
  return nth_table(r, &n);
}

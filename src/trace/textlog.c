/* textlog.c — the human-readable event log writer. */
#include "trace/textlog.h"

#include "trace/writer.h"

void ns_textlog_format(const NsLogEvent *ev, GString *out) {
  char frame[24];
  if (ev->frame != 0)
    g_snprintf(frame, sizeof frame, "#%" G_GUINT64_FORMAT, ev->frame);
  else
    g_strlcpy(frame, "-", sizeof frame);
  g_string_append_printf(out,
                         "%4" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT
                         "  %-8s %-18s %-5s %s\n",
                         ev->time / NS_SEC, (ev->time % NS_SEC) / NS_USEC,
                         ev->node, ev->event, frame, ev->summary);
  if (ev->why != NULL)
    g_string_append_printf(out, "%13s why: %s\n", "", ev->why);
}

void ns_textlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  ns_log_attach_writer(log, fp, line_buffered, ns_textlog_format);
}

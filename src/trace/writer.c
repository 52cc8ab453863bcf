/* writer.c — formatted event log sinks writing to a FILE. */
#include "trace/writer.h"

typedef struct {
  FILE *fp;
  gboolean line_buffered;
  NsEventFormatFunc format;
  GString *buf; /* reused for every event */
} Writer;

static void writer_sink(const NsLogEvent *ev, gpointer data) {
  Writer *w = data;
  g_string_truncate(w->buf, 0);
  w->format(ev, w->buf);
  fwrite(w->buf->str, 1, w->buf->len, w->fp);
  if (w->line_buffered)
    fflush(w->fp);
}

static void writer_free(gpointer data) {
  Writer *w = data;
  fflush(w->fp);
  g_string_free(w->buf, TRUE);
  g_free(w);
}

void ns_log_attach_writer(NsLog *log, FILE *fp, gboolean line_buffered,
                          NsEventFormatFunc format) {
  g_return_if_fail(log != NULL && fp != NULL && format != NULL);
  Writer *w = g_new0(Writer, 1);
  w->fp = fp;
  w->line_buffered = line_buffered;
  w->format = format;
  w->buf = g_string_sized_new(256);
  ns_log_add_sink(log, writer_sink, w, writer_free);
}

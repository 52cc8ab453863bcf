/* textlog.c — the human-readable event log writer. */
#include "trace/textlog.h"

void ns_textlog_format(const NsLogEvent *ev, GString *out) {
  char frame[24];
  if (ev->frame != 0)
    g_snprintf(frame, sizeof frame, "#%" G_GUINT64_FORMAT, ev->frame);
  else
    g_strlcpy(frame, "-", sizeof frame);
  g_string_append_printf(out, "%4" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT
                              "  %-8s %-18s %-5s %s\n",
                         ev->time / NS_SEC, (ev->time % NS_SEC) / NS_USEC,
                         ev->node, ev->event, frame, ev->summary);
  if (ev->why != NULL)
    g_string_append_printf(out, "%13s why: %s\n", "", ev->why);
}

typedef struct {
  FILE *fp;
  gboolean line_buffered;
  GString *buf;
} TextSink;

static void text_sink(const NsLogEvent *ev, gpointer data) {
  TextSink *s = data;
  g_string_truncate(s->buf, 0);
  ns_textlog_format(ev, s->buf);
  fwrite(s->buf->str, 1, s->buf->len, s->fp);
  if (s->line_buffered)
    fflush(s->fp);
}

static void text_sink_free(gpointer data) {
  TextSink *s = data;
  fflush(s->fp);
  g_string_free(s->buf, TRUE);
  g_free(s);
}

void ns_textlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  TextSink *s = g_new0(TextSink, 1);
  s->fp = fp;
  s->line_buffered = line_buffered;
  s->buf = g_string_sized_new(256);
  ns_log_add_sink(log, text_sink, s, text_sink_free);
}

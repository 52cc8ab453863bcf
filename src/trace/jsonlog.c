/* jsonlog.c — JSON lines writer for the event stream. */
#include "trace/jsonlog.h"

static void append_json_string(GString *out, const char *s) {
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    switch (*p) {
    case '"':
      g_string_append(out, "\\\"");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    default:
      if (*p < 0x20)
        g_string_append_printf(out, "\\u%04x", *p);
      else
        g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

void ns_jsonlog_format(const NsLogEvent *ev, GString *out) {
  g_string_append_printf(out,
                         "{\"t\":%" G_GUINT64_FORMAT ",\"time\":\"%" G_GUINT64_FORMAT
                         ".%06" G_GUINT64_FORMAT "\",\"node\":",
                         ev->time, ev->time / NS_SEC,
                         (ev->time % NS_SEC) / NS_USEC);
  append_json_string(out, ev->node);
  g_string_append(out, ",\"event\":");
  append_json_string(out, ev->event);
  if (ev->frame != 0)
    g_string_append_printf(out, ",\"frame\":%" G_GUINT64_FORMAT, ev->frame);
  else
    g_string_append(out, ",\"frame\":null");
  g_string_append(out, ",\"summary\":");
  append_json_string(out, ev->summary);
  if (ev->why != NULL) {
    g_string_append(out, ",\"why\":");
    append_json_string(out, ev->why);
  }
  g_string_append(out, "}\n");
}

typedef struct {
  FILE *fp;
  gboolean line_buffered;
  GString *buf;
} JsonSink;

static void json_sink(const NsLogEvent *ev, gpointer data) {
  JsonSink *s = data;
  g_string_truncate(s->buf, 0);
  ns_jsonlog_format(ev, s->buf);
  fwrite(s->buf->str, 1, s->buf->len, s->fp);
  if (s->line_buffered)
    fflush(s->fp);
}

static void json_sink_free(gpointer data) {
  JsonSink *s = data;
  fflush(s->fp);
  g_string_free(s->buf, TRUE);
  g_free(s);
}

void ns_jsonlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  JsonSink *s = g_new0(JsonSink, 1);
  s->fp = fp;
  s->line_buffered = line_buffered;
  s->buf = g_string_sized_new(256);
  ns_log_add_sink(log, json_sink, s, json_sink_free);
}

/* jsonlog.c — JSON lines writer for the event stream. */
#include "trace/jsonlog.h"

#include "trace/writer.h"

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
  g_string_append_printf(
      out,
      "{\"t\":%" G_GUINT64_FORMAT ",\"time\":\"%" G_GUINT64_FORMAT
      ".%06" G_GUINT64_FORMAT "\",\"node\":",
      ev->time, ev->time / NS_SEC, (ev->time % NS_SEC) / NS_USEC);
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

void ns_jsonlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  ns_log_attach_writer(log, fp, line_buffered, ns_jsonlog_format);
}

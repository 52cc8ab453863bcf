/* textlog.c — the human-readable event log writer. */
#include "trace/textlog.h"

#include <string.h>

#include "trace/writer.h"
#include "wire/layers.h"

/* The columns: time, node (names are short: h1, sw1, r1), event (the
 * common names fit 15; a longer one pushes its line on), frame id.  They
 * take 41 columns, so a summary of up to 59 keeps the line under 100. */

/* Decoded layers and hex dump go under the event, aligned with "why:". */
#define BYTES_INDENT 14

/* Appends each line of text (each ending in '\n'), indented. */
static void append_indented(GString *out, const char *text) {
  for (const char *line = text; *line != '\0';) {
    const char *end = strchr(line, '\n');
    gsize n = end != NULL ? (gsize)(end - line) : strlen(line);
    g_string_append_printf(out, "%*s%.*s\n", BYTES_INDENT, "", (int)n, line);
    line += n + (end != NULL ? 1 : 0);
  }
}

/* The frame an event carries: its layers, then its hex dump. */
static void append_frame(GString *out, const guint8 *bytes, gsize len) {
  g_autoptr(GString) text = g_string_new(NULL);
  ns_layers_describe(bytes, len, text);
  ns_layers_hexdump(bytes, len, text);
  append_indented(out, text->str);
}

void ns_textlog_format(const NsLogEvent *ev, GString *out) {
  char frame[24];
  if (ev->frame != 0)
    g_snprintf(frame, sizeof frame, "#%" G_GUINT64_FORMAT, ev->frame);
  else
    g_strlcpy(frame, "-", sizeof frame);
  g_string_append_printf(out,
                         "%4" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT
                         "  %-5s %-15s %-5s %s\n",
                         ev->time / NS_SEC, (ev->time % NS_SEC) / NS_USEC,
                         ev->node, ev->event, frame, ev->summary);
  if (ev->why != NULL)
    g_string_append_printf(out, "%13s why: %s\n", "",
                           ev->why_local != NULL ? ev->why_local : ev->why);
  if (ev->bytes != NULL)
    append_frame(out, ev->bytes, ev->len);
}

void ns_textlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  ns_log_attach_writer(log, fp, line_buffered, ns_textlog_format);
}

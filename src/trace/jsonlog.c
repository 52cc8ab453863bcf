/* jsonlog.c — JSON lines writer for the event stream. */
#include "trace/jsonlog.h"

#include <string.h>

#include "trace/writer.h"
#include "wire/layers.h"

/* Appends the n bytes at s as a JSON string: quotes, backslashes and
 * control characters escaped; other bytes (UTF-8) as they are. */
static void append_json_chars(GString *out, const char *s, gsize n) {
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s;
       p < (const unsigned char *)s + n; p++) {
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

static void append_json_string(GString *out, const char *s) {
  append_json_chars(out, s, strlen(s));
}

/* One "  Name: value" line (n bytes at line, indent included) as a field
 * object; a line with no ": " is all name, with an empty value. */
static void append_field(GString *out, const char *line, gsize n) {
  while (n > 0 && *line == ' ') {
    line++;
    n--;
  }
  const char *colon = g_strstr_len(line, (gssize)n, ": ");
  gsize name_len = colon != NULL ? (gsize)(colon - line) : n;
  if (colon == NULL && n > 0 && line[n - 1] == ':')
    name_len = n - 1;
  g_string_append(out, "{\"name\":");
  append_json_chars(out, line, name_len);
  g_string_append(out, ",\"value\":");
  if (colon != NULL)
    append_json_chars(out, colon + 2, n - name_len - 2);
  else
    append_json_chars(out, "", 0);
  g_string_append_c(out, '}');
}

void ns_jsonlog_append_layers(GString *out, const char *text) {
  gboolean in_layer = FALSE, first_field = TRUE;
  g_string_append_c(out, '[');
  for (const char *line = text; *line != '\0';) {
    const char *end = strchr(line, '\n');
    gsize n = end != NULL ? (gsize)(end - line) : strlen(line);
    if (n > 0 && (line[0] != ' ' || !in_layer)) { /* a heading */
      g_string_append(out, in_layer ? "]}," : "");
      g_string_append(out, "{\"layer\":");
      if (line[0] == ' ')
        append_json_chars(out, "", 0); /* fields before any heading */
      else
        append_json_chars(out, line, n);
      g_string_append(out, ",\"fields\":[");
      in_layer = TRUE;
      first_field = TRUE;
    }
    if (n > 0 && line[0] == ' ') {
      g_string_append(out, first_field ? "" : ",");
      append_field(out, line, n);
      first_field = FALSE;
    }
    line += n + (end != NULL ? 1 : 0);
  }
  g_string_append(out, in_layer ? "]}]" : "]");
}

/* The frame an event carries: "layers" decoded by the one decoder
 * (wire/layers.h) and "hex", every byte. */
static void append_frame(GString *out, const guint8 *bytes, gsize len) {
  g_autoptr(GString) text = g_string_new(NULL);
  ns_layers_describe(bytes, len, text);
  g_string_append(out, ",\"layers\":");
  ns_jsonlog_append_layers(out, text->str);
  g_string_append(out, ",\"hex\":\"");
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(out, "%02x", bytes[i]);
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
  if (ev->bytes != NULL)
    append_frame(out, ev->bytes, ev->len);
  g_string_append(out, "}\n");
}

void ns_jsonlog_attach(NsLog *log, FILE *fp, gboolean line_buffered) {
  ns_log_attach_writer(log, fp, line_buffered, ns_jsonlog_format);
}

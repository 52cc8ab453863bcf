/* text.c — showing bytes from the network to a person. */
#include "core/text.h"

void ns_text_excerpt_append(GString *out, const guint8 *data, gsize len,
                            gsize max) {
  for (gsize i = 0; i < len && i < max; i++) {
    guint8 b = data[i];
    switch (b) {
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    default:
      if (b >= 0x20 && b < 0x7f)
        g_string_append_c(out, (char)b);
      else
        g_string_append_printf(out, "\\x%02x", b);
    }
  }
  if (len > max)
    g_string_append(out, "...");
}

char *ns_text_excerpt(const guint8 *data, gsize len, gsize max) {
  GString *s = g_string_new(NULL);
  ns_text_excerpt_append(s, data, len, max);
  return g_string_free(s, FALSE);
}

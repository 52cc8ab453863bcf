/* text.c — showing bytes from the network to a person. */
#include "core/text.h"

#include <string.h>

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

void ns_text_show_append(GString *out, const guint8 *data, gsize len,
                         gsize max) {
  gsize i = 0;
  while (i < len) {
    guint8 b = data[i];
    gsize n = 1; /* bytes of the character at i */
    gboolean as_is = b == '\t' || (b >= 0x20 && b < 0x7f && b != '\\');
    if (b >= 0x80) {
      gunichar c =
          g_utf8_get_char_validated((const char *)data + i, (gssize)(len - i));
      as_is = c < 0x110000 && g_unichar_isprint(c);
      if (as_is)
        n = (gsize)g_utf8_skip[b];
    }
    if (i + n > max)
      break;
    if (as_is)
      g_string_append_len(out, (const char *)data + i, (gssize)n);
    else
      ns_text_excerpt_append(out, &b, 1, 1);
    i += n;
  }
  if (i < len)
    g_string_append(out, "...");
}

/* Appends one byte of a message, a control byte escaped. */
static void message_byte(GString *out, guint8 b) {
  if (b < 0x20 || b == 0x7f)
    ns_text_excerpt_append(out, &b, 1, 1);
  else
    g_string_append_c(out, (char)b);
}

char *ns_text_for_message(const char *msg) {
  GString *out = g_string_sized_new(strlen(msg) + 16);
  const char *p = msg;
  while (*p != '\0') {
    gsize run = strcspn(p, " ");
    gsize shown = run;
    if (run > NS_TEXT_MESSAGE_WORD) {
      shown = NS_TEXT_MESSAGE_WORD;
      while (shown > 0 && ((guint8)p[shown] & 0xc0) == 0x80)
        shown--; /* not inside a UTF-8 sequence */
    }
    for (gsize i = 0; i < shown; i++)
      message_byte(out, (guint8)p[i]);
    if (shown < run) {
      g_string_append(out, "...");
      if (p[run - 1] == '\'' || p[run - 1] == '"') /* keep it closed */
        g_string_append_c(out, p[run - 1]);
    }
    p += run;
    for (; *p == ' '; p++)
      g_string_append_c(out, ' ');
  }
  return g_string_free(out, FALSE);
}

/* Levenshtein distance; long words count as far. */
static guint edit_distance(const char *a, const char *b) {
  gsize la = strlen(a), lb = strlen(b);
  if (la > 32 || lb > 32)
    return G_MAXUINT;
  guint row[33];
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint)j;
  for (gsize i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = (guint)i;
    for (gsize j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = MIN(MIN(up + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  return row[lb];
}

const char *ns_text_closest(const char *word, const char *const *candidates) {
  const char *best = NULL;
  guint best_d = 3; /* suggest only within two edits */
  for (; *candidates != NULL; candidates++) {
    guint d = edit_distance(word, *candidates);
    if (d < best_d) {
      best_d = d;
      best = *candidates;
    }
  }
  return best;
}

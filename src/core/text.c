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

/* replay_write.c — the replay page: the template (replay_page.html, made
 * into a C string by make) with the title, drawing and data in place of
 * its markers (see replay_private.h). */
#include "cli/replay_private.h"

#include <string.h>

static const char page_template[] =
#include "cli/replay_page.inc"
    ;

void ns_replay_page(GString *out, const char *title, const GString *svg,
                    const GString *data) {
  g_autoptr(GString) t = g_string_new(NULL);
  ns_replay_html(t, title);
  const struct {
    const char *marker;
    const char *text;
  } parts[] = {
      {"@@TITLE@@", t->str},
      {"@@SVG@@", svg->str},
      {"@@DATA@@", data->str},
  };
  const char *p = page_template;
  for (;;) {
    const char *next = NULL;
    guint which = 0;
    for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
      const char *m = strstr(p, parts[i].marker);
      if (m != NULL && (next == NULL || m < next)) {
        next = m;
        which = i;
      }
    }
    if (next == NULL)
      break;
    g_string_append_len(out, p, next - p);
    g_string_append(out, parts[which].text);
    p = next + strlen(parts[which].marker);
  }
  g_string_append(out, p);
}

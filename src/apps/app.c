/* app.c — the application hooks (see app.h). */
#include "apps/app.h"

gboolean ns_app_wants_output(const NsAppHooks *hooks) {
  return hooks->out != NULL &&
         (hooks->wants_output == NULL || hooks->wants_output(hooks->data));
}

void ns_app_say(const NsAppHooks *hooks, const char *fmt, ...) {
  if (!ns_app_wants_output(hooks))
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *line = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  hooks->out(line, hooks->data);
}

void ns_app_done(const NsAppHooks *hooks) {
  if (hooks->done != NULL)
    hooks->done(hooks->data);
}

void ns_app_pattern(guint8 *buf, guint64 offset, gsize n) {
  for (gsize i = 0; i < n; i++) {
    guint64 at = offset + i, line = at / 64, col = at % 64;
    buf[i] = col == 63 ? '\n' : (guint8)('a' + (line + col) % 26);
  }
}

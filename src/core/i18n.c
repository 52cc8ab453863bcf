/* i18n.c — binding the message domain, and reasons in two languages. */
#include "core/i18n.h"

#include <locale.h>
#include <stdarg.h>
#include <string.h>

void ns_i18n_init(const char *localedir) {
  const char *dir = g_getenv("NETSIM_LOCALEDIR");
  bindtextdomain(GETTEXT_PACKAGE,
                 dir != NULL && *dir != '\0' ? dir : localedir);
  bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
  textdomain(GETTEXT_PACKAGE);
}

/* The translation of a reason's format ("" is the catalogue's header,
 * never a message). */
static const char *tr(const char *fmt) {
  return fmt[0] != '\0' ? gettext(fmt) : fmt;
}

/* English into buf, then the separator and the translation if there is
 * one and room for it. */
static void why_vprintf(char *buf, gsize size, const char *fmt, va_list ap) {
  const char *local = tr(fmt);
  va_list again;
  va_copy(again, ap);
  g_vsnprintf(buf, size, fmt, ap);
  gsize n = strlen(buf);
  if (local != fmt && strcmp(local, fmt) != 0 && n + 2 < size) {
    buf[n] = NS_WHY_SEP;
    g_vsnprintf(buf + n + 1, size - n - 1, local, again);
  }
  va_end(again);
}

char *ns_why_printf(char *buf, gsize size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  why_vprintf(buf, size, fmt, ap);
  va_end(ap);
  return buf;
}

char *ns_why_strdup_printf(const char *fmt, ...) {
  NsWhy w;
  ns_why_init(&w);
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  g_string_append_vprintf(w.en, fmt, ap);
  g_string_append_vprintf(w.local, tr(fmt), again);
  va_end(again);
  va_end(ap);
  return ns_why_finish(&w);
}

void ns_why_init(NsWhy *w) {
  w->en = g_string_new(NULL);
  w->local = g_string_new(NULL);
}

void ns_why_add(NsWhy *w, const char *fmt, ...) {
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  g_string_append_vprintf(w->en, fmt, ap);
  g_string_append_vprintf(w->local, tr(fmt), again);
  va_end(again);
  va_end(ap);
}

char *ns_why_finish(NsWhy *w) {
  if (strcmp(w->en->str, w->local->str) != 0) {
    g_string_append_c(w->en, NS_WHY_SEP);
    g_string_append(w->en, w->local->str);
  }
  g_string_free(w->local, TRUE);
  return g_string_free(w->en, FALSE);
}

const char *ns_why_split(const char *why, GString *scratch,
                         const char **english) {
  const char *sep = why != NULL ? strchr(why, NS_WHY_SEP) : NULL;
  if (sep == NULL) {
    *english = why;
    return why;
  }
  g_string_assign(scratch, "");
  g_string_append_len(scratch, why, sep - why);
  *english = scratch->str;
  return sep + 1;
}

/* input.c — reading an input file whole, with a bound (see input.h). */
#include "core/input.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/addr.h"

#define CHUNK 65536

/* Reads fd to its end or to one byte past max, into s. */
static gboolean read_fd(int fd, GString *s, gsize max, int *err) {
  for (;;) {
    gsize room = MIN((gsize)CHUNK, max + 1 - s->len);
    gsize old = s->len;
    g_string_set_size(s, old + room);
    ssize_t n = read(fd, s->str + old, room);
    if (n < 0 && errno == EINTR) {
      g_string_set_size(s, old);
      continue;
    }
    g_string_set_size(s, old + (n > 0 ? (gsize)n : 0));
    if (n < 0) {
      *err = errno;
      return FALSE;
    }
    if (n == 0 || s->len > max)
      return TRUE;
  }
}

char *ns_input_read(const char *path, gsize max, const char *what, gsize *len,
                    GError **error) {
  gboolean is_stdin = strcmp(path, "-") == 0;
  const char *name = is_stdin ? "<stdin>" : path;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, NS_ERROR, NS_ERROR_IO, _("%s: cannot read %s (%s)"),
                name, what, g_strerror(e));
    return NULL;
  }
  GString *s = g_string_sized_new(CHUNK);
  int err = 0;
  gboolean ok = read_fd(fd, s, max, &err);
  if (!is_stdin)
    close(fd);
  if (!ok || s->len > max) {
    if (!ok)
      g_set_error(error, NS_ERROR, NS_ERROR_IO, _("%s: cannot read %s (%s)"),
                  name, what, g_strerror(err));
    else
      g_set_error(error, NS_ERROR, NS_ERROR_IO,
                  _("%s: %s is larger than %lu MiB, the limit for it"), name,
                  what, (unsigned long)(max >> 20));
    g_string_free(s, TRUE);
    return NULL;
  }
  *len = s->len;
  return g_string_free(s, FALSE);
}

gboolean ns_input_check_text(const char *text, gsize len, const char *name,
                             GError **error) {
  const char *bad = memchr(text, '\0', len);
  if (bad == NULL && g_utf8_validate(text, (gssize)len, &bad))
    return TRUE;
  guint line = 1;
  for (const char *p = text; p < bad; p++)
    line += *p == '\n';
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("%s:%u: %s (expected UTF-8 text; is the file UTF-16?)"), name,
              line,
              *bad == '\0' ? _("NUL byte") : _("bytes that are not UTF-8"));
  return FALSE;
}

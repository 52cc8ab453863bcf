/* text.h — showing bytes from the network to a person.
 *
 * Data a simulated application received may be anything; a log line or
 * console message shows it as text: printable ASCII as itself, \n \r \t
 * and \\ escaped, any other byte as \xNN, and at most `max` bytes of it
 * followed by "..." when there was more.  The result is always valid
 * UTF-8 and one line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the excerpt of data[0..len) to out. */
void ns_text_excerpt_append(GString *out, const guint8 *data, gsize len,
                            gsize max);
/* The same as a new string (g_free it). */
char *ns_text_excerpt(const guint8 *data, gsize len, gsize max);

G_END_DECLS

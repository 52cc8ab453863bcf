/* text.h — showing bytes from the network to a person.
 *
 * Data a simulated application received may be anything; a log line or
 * console message shows it as text: printable ASCII as itself, \n \r \t
 * and \\ escaped, any other byte as \xNN, and at most `max` bytes of it
 * followed by "..." when there was more.  The result is always valid
 * UTF-8 and one line.  (ns_text_show_append, below, keeps UTF-8 text.)
 *
 * It also holds the "did you mean" hint for a word a person mistyped (a
 * topology key, a command), so every layer suggests by the same measure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the excerpt of data[0..len) to out. */
void ns_text_excerpt_append(GString *out, const guint8 *data, gsize len,
                            gsize max);
/* The same as a new string (g_free it). */
char *ns_text_excerpt(const guint8 *data, gsize len, gsize max);

/* Data shown as text for reading it whole (`show received`, the body of
 * `http get`), rather than as a log excerpt: a valid UTF-8 character that
 * prints (你好, é) as itself, a tab as itself, \n \r \\ and every other
 * control byte, and each byte of an invalid or cut sequence, escaped as
 * ns_text_excerpt escapes them.  At most max bytes are shown, cut at a
 * character's start, then "..." when there was more.  The result is valid
 * UTF-8 and one line. */
void ns_text_show_append(GString *out, const guint8 *data, gsize len,
                         gsize max);

/* An error message made fit to print: control bytes as \xNN (\n \r \t as
 * such), and any run of more than NS_TEXT_MESSAGE_WORD non-blank bytes (a
 * 10 MB "node name") cut to that many followed by "...", at a UTF-8
 * character boundary.  g_free the result. */
#define NS_TEXT_MESSAGE_WORD 64
char *ns_text_for_message(const char *msg);

/* The word of the NULL-terminated candidates within two edits (Levenshtein
 * distance) of word, the nearest first in list order on a tie; NULL when
 * none is that close.  Words longer than 32 bytes are never close.  The
 * result is borrowed from candidates. */
const char *ns_text_closest(const char *word, const char *const *candidates);

G_END_DECLS

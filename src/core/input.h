/* input.h — reading a whole input file (a topology, a script) with a
 * bound.
 *
 * Every input is untrusted: `netsim -s /dev/zero` or a script piped from a
 * program that never stops must end in a clear error, not in a process
 * that grows until the machine swaps.  ns_input_read() reads at most `max`
 * bytes; one byte more is an error naming the file and the limit.  The
 * limits themselves (NS_INPUT_MAX_*) are the product's, written down in the
 * README's table of limits.
 *
 * The path "-" is standard input.  Both inputs are text: a NUL byte would
 * silently cut a line short (and with it what follows), and bytes that are
 * not UTF-8 would reach messages raw, so ns_input_check_text() refuses
 * either, naming the line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_INPUT_MAX_TOPOLOGY (256u << 20) /* bytes of a topology file */
#define NS_INPUT_MAX_SCRIPT (64u << 20)    /* bytes of a scenario script */

/* The whole of path ("-": standard input), NUL-terminated, its length in
 * *len; NULL with *error (NS_ERROR_IO) when it cannot be read or holds
 * more than max bytes.  `what` names the input in the message ("the
 * topology file").  g_free the result. */
char *ns_input_read(const char *path, gsize max, const char *what, gsize *len,
                    GError **error);

/* TRUE when text[0..len) has no NUL byte and is UTF-8; else an error
 * (NS_ERROR_PARSE) "NAME:LINE: NUL byte (...)". */
gboolean ns_input_check_text(const char *text, gsize len, const char *name,
                             GError **error);

G_END_DECLS

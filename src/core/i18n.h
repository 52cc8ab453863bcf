/* i18n.h — netsim's messages in the user's language.
 *
 * Translations come from gettext (po/, one catalogue per language, domain
 * GETTEXT_PACKAGE): _() marks and translates a message where it is used,
 * N_() marks one that is translated later (a table's text).  main() binds
 * the domain once (ns_i18n_init); until then, and in the C locale, every
 * message is its English msgid.
 *
 * What is never translated: event names ("arp/request"), JSON keys,
 * command words, the scenario language and the log's summaries — scripts
 * and `expect log` give the same results under every locale.
 *
 * Reasons (the log's "why") are both: `expect log` matches the English
 * text, the text log shows the user's language.  ns_why_printf() formats a
 * reason in both at once, into one packed string "english SEP local"
 * (NS_WHY_SEP, a byte that never appears in a message); with no
 * translation (the C locale, a message not in the catalogue) it is the
 * English text alone, byte for byte what it was before translations.  The
 * log splits a packed reason (ns_why_split) and hands sinks both halves
 * (NsLogEvent.why and why_local); a reason that is not packed is looked
 * up in the catalogue as it is, so a fixed reason needs only its N_()
 * mark.  So a reason is formatted by
 * ns_why_printf from one N_() format, never pasted into another reason
 * with "%s": a packed reason inside another would split at the wrong
 * place.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>

G_BEGIN_DECLS

#define NS_WHY_SEP '\x1f'
/* Room for a reason in both languages (a stack buffer's size). */
#define NS_WHY_MAX 512

/* Binds the message domain: catalogues under the directory named by the
 * environment variable NETSIM_LOCALEDIR when set (a build tree's, for the
 * tests), else under localedir, output in UTF-8.  Call once, after
 * setlocale(). */
void ns_i18n_init(const char *localedir);

/* Formats the reason fmt (an N_() msgid) into buf: the English text, then,
 * when fmt has a translation, NS_WHY_SEP and the translated text.  Cut to
 * size like g_snprintf.  Returns buf. */
char *ns_why_printf(char *buf, gsize size, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Same, into a new string (g_free it). */
char *ns_why_strdup_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* A reason built piece by piece ("; longest prefix beats ", ...): each
 * piece goes to the English text and, translated, to the local one. */
typedef struct {
  GString *en;    /* the English text */
  GString *local; /* the same pieces, each translated */
} NsWhy;

void ns_why_init(NsWhy *w);
/* Appends one piece, fmt an N_() msgid (or "%s" for a verbatim name). */
void ns_why_add(NsWhy *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The packed reason (as ns_why_printf's), freeing w's texts. */
char *ns_why_finish(NsWhy *w);

/* Splits a packed reason: *english gets the English part (a copy in
 * scratch when packed, else why itself), the return value the translated
 * part (why itself when not packed).  scratch must outlive the use. */
const char *ns_why_split(const char *why, GString *scratch,
                         const char **english);

G_END_DECLS

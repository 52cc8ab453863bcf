/* lineedit.h — line editing at the console's prompt (libedit), when
 * netsim was built with it.
 *
 * The console reads standard input through a watch on the clock's main
 * context; when standard input is a terminal, each readable byte goes to
 * ns_lineedit_read(), which hands it to libedit's callback interface
 * (rl_callback_read_char).  libedit keeps the line, draws the prompt,
 * moves with the arrow keys, recalls history (up, down, Ctrl-R) and asks
 * ns_complete() (complete.h) for Tab's candidates.  A finished line (NULL
 * at end of input, Ctrl-D) goes to the NsLineFunc; the prompt is drawn
 * again right after it, so the user may type while a ping runs.
 *
 * Output that arrives while the prompt shows (a ping's replies, the event
 * log) must not run into the half-typed line: ns_lineedit_hide() erases
 * the prompt and line before it is printed (from the prompt's row, when
 * a long line wrapped), ns_lineedit_show() draws them again after (the
 * console calls them around each clock advance).
 *
 * History lives in $XDG_STATE_HOME/netsim/history (~/.local/state/netsim/
 * history when unset; the directory is made 0700): read at the start,
 * bounded to NS_LINEEDIT_HISTORY lines, written at the end.  A history
 * that cannot be read or written costs one warning on standard error,
 * never the run.
 *
 * libedit is one terminal per process (its state is global): there is at
 * most one NsLineEdit at a time.  Built --without-libedit,
 * ns_lineedit_new() returns NULL and the console reads plain lines.
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

#define NS_LINEEDIT_HISTORY 1000

typedef struct NsLineEdit NsLineEdit;

/* A line typed (without its newline; borrowed), or NULL at end of
 * input.  FALSE: the console ends, no prompt again. */
typedef gboolean (*NsLineFunc)(const char *line, gpointer data);

/* Starts editing on the terminal of standard input with prompt (copied),
 * completing against net (borrowed, outlives it); each line goes to fn.
 * NULL when netsim was built without libedit. */
NsLineEdit *ns_lineedit_new(const char *prompt, NsNet *net, NsLineFunc fn,
                            gpointer data);
/* Standard input is readable: lets libedit read what came. */
void ns_lineedit_read(NsLineEdit *le);
/* Erases the prompt and the line being typed / draws them again. */
void ns_lineedit_hide(NsLineEdit *le);
void ns_lineedit_show(NsLineEdit *le);
/* Writes the history, gives the terminal back, frees le (NULL: nothing). */
void ns_lineedit_free(NsLineEdit *le);

/* The history file's path (g_free it). */
char *ns_lineedit_history_path(void);

G_END_DECLS

/* lineedit.c — libedit's callback interface at the prompt (see
 * lineedit.h).  The only file that knows libedit: built without it, the
 * stubs at the end say so and the console reads plain lines. */
#include "cli/lineedit.h"
#include "core/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/complete.h"

char *ns_lineedit_history_path(void) {
  return g_build_filename(g_get_user_state_dir(), "netsim", "history", NULL);
}

#ifdef HAVE_LIBEDIT

#include <editline/readline.h>

struct NsLineEdit {
  char *prompt;
  NsNet *net;
  NsLineFunc fn;
  gpointer data;
  char *history;      /* the file, or NULL: none could be made */
  gboolean hidden;    /* hide() erased the line; show() draws it */
  gboolean installed; /* libedit's handler is in place */
};

/* libedit's callbacks carry no data: the one editor of the process. */
static NsLineEdit *current;

/* Tab: libedit's matches from ns_complete(), malloc'd as it frees them:
 * [0] the longest common prefix (what replaces the word), then each. */
static char **complete(const char *text, int start, int end) {
  (void)text;
  (void)start;
  rl_attempted_completion_over = 1; /* never file names */
  gsize from;
  g_auto(GStrv) cands = ns_complete(current->net, rl_line_buffer, end, &from);
  guint n = g_strv_length(cands);
  if (n == 0)
    return NULL;
  char **m = calloc(n + 2, sizeof *m);
  if (m == NULL)
    return NULL;
  gsize common = strlen(cands[0]);
  for (guint i = 1; i < n; i++) {
    gsize k = 0;
    while (k < common && cands[i][k] == cands[0][k])
      k++;
    common = k;
  }
  m[0] = strndup(cands[0], common);
  for (guint i = 0; n > 1 && i < n; i++)
    m[i + 1] = strdup(cands[i]);
  return m;
}

static void on_line(char *line) {
  NsLineEdit *le = current;
  /* The next line's prompt comes after what this one prints. */
  rl_callback_handler_remove();
  le->installed = FALSE;
  if (line != NULL && line[strspn(line, " \t")] != '\0')
    add_history(line);
  gboolean go_on = le->fn(line, le->data);
  free(line);
  if (go_on && !le->installed) {
    rl_callback_handler_install(le->prompt, on_line);
    le->installed = TRUE;
  }
}

/* The history file, its directory made (0700) if missing; NULL after a
 * warning when it cannot be. */
static char *history_file(void) {
  g_autofree char *path = ns_lineedit_history_path();
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    fprintf(stderr, _("netsim: warning: no history kept: cannot make %s: %s\n"),
            dir, g_strerror(errno));
    return NULL;
  }
  return g_steal_pointer(&path);
}

NsLineEdit *ns_lineedit_new(const char *prompt, NsNet *net, NsLineFunc fn,
                            gpointer data) {
  g_return_val_if_fail(current == NULL, NULL);
  NsLineEdit *le = g_new0(NsLineEdit, 1);
  le->prompt = g_strdup(prompt);
  le->net = net;
  le->fn = fn;
  le->data = data;
  current = le;
  rl_readline_name = "netsim";
  rl_catch_signals = 0; /* SIGINT and SIGTERM are sim/signals.c's */
  rl_completer_word_break_characters = " \t";
  rl_attempted_completion_function = complete;
  using_history();
  stifle_history(NS_LINEEDIT_HISTORY);
  le->history = history_file();
  if (le->history != NULL && g_file_test(le->history, G_FILE_TEST_EXISTS))
    read_history(le->history);
  rl_callback_handler_install(le->prompt, on_line);
  le->installed = TRUE;
  return le;
}

void ns_lineedit_read(NsLineEdit *le) {
  g_return_if_fail(le == current);
  if (le->installed)
    rl_callback_read_char();
}

/* The terminal's width in columns (80 when it does not say). */
static guint terminal_columns(void) {
  struct winsize ws;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

void ns_lineedit_hide(NsLineEdit *le) {
  if (le == NULL || le->hidden || !le->installed)
    return;
  le->hidden = TRUE;
  /* up to the prompt's row (a long line wraps), then erase to the end
   * of the screen */
  guint row =
      (guint)(strlen(le->prompt) + MAX(rl_point, 0)) / terminal_columns();
  if (row > 0)
    printf("\r\033[%uA", row);
  fputs("\r\033[J", stdout);
  fflush(stdout);
}

void ns_lineedit_show(NsLineEdit *le) {
  if (le == NULL || !le->hidden)
    return;
  le->hidden = FALSE;
  fflush(stdout);
  if (le->installed)
    rl_forced_update_display();
}

void ns_lineedit_free(NsLineEdit *le) {
  if (le == NULL)
    return;
  if (le->installed)
    rl_callback_handler_remove();
  if (le->history != NULL && write_history(le->history) != 0)
    fprintf(stderr, _("netsim: warning: history not saved to %s\n"),
            le->history);
  current = NULL;
  g_free(le->history);
  g_free(le->prompt);
  g_free(le);
}

#else /* built without libedit */

NsLineEdit *ns_lineedit_new(const char *prompt, NsNet *net, NsLineFunc fn,
                            gpointer data) {
  (void)prompt;
  (void)net;
  (void)fn;
  (void)data;
  return NULL;
}
void ns_lineedit_read(NsLineEdit *le) { (void)le; }
void ns_lineedit_hide(NsLineEdit *le) { (void)le; }
void ns_lineedit_show(NsLineEdit *le) { (void)le; }
void ns_lineedit_free(NsLineEdit *le) { (void)le; }

#endif

/* console.c — the interactive prompt, on the clock's main context. */
#include "cli/console.h"
#include "core/i18n.h"

#include "cli/lineedit.h"
#include "sim/clock.h"
#include "sim/signals.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  NsNet *net;
  NsScenario *sc;
  NsClock *clock;
  NsConsoleMode mode;
  GString *pending;    /* input bytes not yet ending in a newline */
  gboolean skipping;   /* the rest of a too-long line: up to its newline */
  gboolean prompt_due; /* a ping/traceroute runs: prompt again when done */
  NsLineEdit *edit;    /* line editing at a terminal, or NULL: plain */
} Console;

#define PROMPT "netsim> "

static void prompt(const Console *c) {
  if (c->mode == NS_CONSOLE_INTERACTIVE)
    fputs(PROMPT, stdout);
  fflush(stdout);
}

/* After each real-time advance: the activities' output has scrolled the
 * prompt away; show it again once the last of them is done. */
static void after_advance(NsClock *clock, gpointer data) {
  Console *c = data;
  (void)clock;
  ns_lineedit_show(c->edit);
  if (c->prompt_due && !ns_net_busy(c->net)) {
    c->prompt_due = FALSE;
    prompt(c);
  }
  fflush(stdout);
}

/* Runs one typed line at the virtual time the wall clock says it is; a
 * `wait` in it moves the clock at once (fast), and real time resumes from
 * there. */
static void run_line(Console *c, const char *line) {
  GError *error = NULL;
  gboolean quit = FALSE;
  ns_clock_catch_up(c->clock);
  if (!ns_scenario_exec(c->sc, line, 0, &quit, &error)) {
    fprintf(stdout, _("error: %s\n"), error->message);
    g_clear_error(&error);
  }
  ns_clock_resync(c->clock);
  if (quit)
    ns_clock_stop(c->clock);
}

static gboolean stdin_ready(gint fd, GIOCondition cond, gpointer data) {
  Console *c = data;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0) {
    if (c->pending->len > 0 && !c->skipping)
      run_line(c, c->pending->str);
    if (c->mode == NS_CONSOLE_INTERACTIVE)
      ns_clock_stop(c->clock);
    return G_SOURCE_REMOVE;
  }
  g_string_append_len(c->pending, buf, n);
  char *nl;
  if (c->skipping) {
    nl = memchr(c->pending->str, '\n', c->pending->len);
    if (nl == NULL) {
      g_string_truncate(c->pending, 0);
      return G_SOURCE_CONTINUE;
    }
    g_string_erase(c->pending, 0, nl - c->pending->str + 1);
    c->skipping = FALSE;
  }
  while ((nl = memchr(c->pending->str, '\n', c->pending->len)) != NULL) {
    *nl = '\0';
    char *line = g_strdup(c->pending->str);
    g_string_erase(c->pending, 0, nl - c->pending->str + 1);
    run_line(c, line);
    g_free(line);
    if (ns_clock_stopped(c->clock))
      return G_SOURCE_REMOVE;
  }
  /* A line longer than any command: drop it, and what follows of it up
   * to its newline, rather than grow forever (its tail is no command). */
  if (c->pending->len > 65536) {
    fputs(_("error: line too long (over 64 KiB), ignored\n"), stdout);
    g_string_truncate(c->pending, 0);
    c->skipping = TRUE;
  }
  if (ns_net_busy(c->net))
    c->prompt_due = TRUE;
  else
    prompt(c);
  (void)cond;
  return G_SOURCE_CONTINUE;
}

/* Before each real-time advance: what it prints must not run into the
 * line being typed. */
static void before_advance(NsClock *clock, gpointer data) {
  Console *c = data;
  (void)clock;
  ns_lineedit_hide(c->edit);
}

/* A line from the editor (NULL: Ctrl-D); FALSE once the console ends. */
static gboolean edited_line(const char *line, gpointer data) {
  Console *c = data;
  if (line == NULL) {
    fputs("\n", stdout);
    ns_clock_stop(c->clock);
  } else {
    run_line(c, line);
  }
  fflush(stdout);
  return !ns_clock_stopped(c->clock);
}

/* Standard input at a terminal, with line editing. */
static gboolean edit_ready(gint fd, GIOCondition cond, gpointer data) {
  Console *c = data;
  (void)fd;
  if (cond & (G_IO_HUP | G_IO_ERR)) {
    ns_clock_stop(c->clock);
    return G_SOURCE_REMOVE;
  }
  ns_lineedit_read(c->edit);
  return ns_clock_stopped(c->clock) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean on_signal(gint fd, GIOCondition cond, gpointer data) {
  Console *c = data;
  (void)fd;
  (void)cond;
  fputs("\n", stdout);
  ns_clock_stop(c->clock);
  return G_SOURCE_CONTINUE;
}

/* Attaches a watch of fd to the clock's context; returns it (a ref). */
static GSource *watch_fd(Console *c, int fd, GIOCondition cond,
                         GUnixFDSourceFunc fn) {
  GSource *s = g_unix_fd_source_new(fd, cond);
  g_source_set_callback(s, G_SOURCE_FUNC(fn), c, NULL);
  g_source_attach(s, ns_clock_context(c->clock));
  return s;
}

void ns_console_run(NsNet *net, NsScenario *sc, NsClock *clock,
                    NsConsoleMode mode) {
  Console c = {0};
  /* A person may ask about any frame later: keep them from the start.  A
   * served console (a long bridged run) keeps none until a `show frame`
   * (up to NS_FRAME_STORE_JOURNEYS journeys' bytes are tens of MB). */
  if (mode == NS_CONSOLE_INTERACTIVE)
    ns_scenario_keep_frames(sc);
  c.net = net;
  c.sc = sc;
  c.clock = clock;
  c.mode = mode;
  c.pending = g_string_new(NULL);
  if (mode == NS_CONSOLE_INTERACTIVE)
    fputs(_("Type 'help' for commands, 'quit' to leave.\n"), stdout);
  fflush(stdout);
  if (mode == NS_CONSOLE_INTERACTIVE && isatty(STDIN_FILENO))
    c.edit = ns_lineedit_new(PROMPT, net, edited_line, &c);
  GSource *in = watch_fd(&c, STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                         c.edit != NULL ? edit_ready : stdin_ready);
  /* A signal also stops a `wait` that is running (the scheduler checks
   * the flag); the loop then sees the wake-up byte and ends. */
  GSource *sig = NULL;
  if (ns_signals_wake_fd() >= 0)
    sig = watch_fd(&c, ns_signals_wake_fd(), G_IO_IN, on_signal);
  if (c.edit == NULL)
    prompt(&c);
  ns_clock_set_advance_func(c.clock, after_advance, &c);
  ns_clock_set_before_func(c.clock, before_advance, &c);
  ns_clock_run(c.clock);
  ns_clock_set_before_func(c.clock, NULL, NULL);
  ns_clock_set_advance_func(c.clock, NULL, NULL);
  ns_lineedit_free(c.edit);
  if (sig != NULL) {
    g_source_destroy(sig);
    g_source_unref(sig);
  }
  g_source_destroy(in);
  g_source_unref(in);
  g_string_free(c.pending, TRUE);
  fflush(stdout);
}

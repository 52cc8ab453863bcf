/* console.c — the interactive prompt over a real-time clock. */
#include "cli/console.h"

#include "sim/signals.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  NsNet *net;
  NsScenario *sc;
  GMainLoop *loop;
  gboolean realtime;
  NsTime duration;
  gint64 base_wall; /* monotonic µs when virtual time was base_virtual */
  NsTime base_virtual;
  guint clock_source;
  GString *pending;    /* input bytes not yet ending in a newline */
  gboolean prompt_due; /* a ping/traceroute runs: prompt again when done */
} Console;

static void prompt(void) {
  fputs("netsim> ", stdout);
  fflush(stdout);
}

static void resync(Console *c) {
  c->base_wall = g_get_monotonic_time();
  c->base_virtual = ns_net_now(c->net);
}

/* The virtual time the wall clock says it is. */
static NsTime virtual_now(Console *c) {
  gint64 elapsed = g_get_monotonic_time() - c->base_wall;
  return c->base_virtual + (NsTime)MAX(elapsed, 0) * NS_USEC;
}

static void arm_clock(Console *c);

static gboolean clock_tick(gpointer data) {
  Console *c = data;
  c->clock_source = 0;
  NsTime target = MIN(virtual_now(c), c->duration);
  ns_net_run_until(c->net, target);
  /* The activities' output has scrolled the prompt away: show it again
   * once the last of them is done. */
  if (c->prompt_due && !ns_net_busy(c->net)) {
    c->prompt_due = FALSE;
    prompt();
  }
  fflush(stdout);
  if (target >= c->duration) {
    g_main_loop_quit(c->loop);
    return G_SOURCE_REMOVE;
  }
  arm_clock(c);
  return G_SOURCE_REMOVE;
}

static void arm_clock(Console *c) {
  if (c->clock_source != 0)
    g_source_remove(c->clock_source);
  c->clock_source = 0;
  if (!c->realtime)
    return;
  NsTime next = MIN(ns_sched_next(ns_net_sched(c->net)), c->duration);
  if (next == NS_TIME_NEVER)
    return;
  NsTime now = virtual_now(c);
  NsTime delay = next > now ? next - now : 0;
  guint ms = (guint)MIN((delay + NS_MSEC - 1) / NS_MSEC, (NsTime)60000);
  c->clock_source = g_timeout_add(ms, clock_tick, c);
}

static void run_line(Console *c, const char *line) {
  GError *error = NULL;
  gboolean quit = FALSE;
  if (c->realtime)
    ns_net_run_until(c->net, MIN(virtual_now(c), c->duration));
  if (!ns_scenario_exec(c->sc, line, 0, &quit, &error)) {
    fprintf(stdout, "error: %s\n", error->message);
    g_clear_error(&error);
  }
  resync(c);
  if (quit || ns_net_now(c->net) >= c->duration ||
      ns_sched_interrupted(ns_net_sched(c->net)))
    g_main_loop_quit(c->loop);
}

static gboolean stdin_ready(gint fd, GIOCondition cond, gpointer data) {
  Console *c = data;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0) {
    if (c->pending->len > 0)
      run_line(c, c->pending->str);
    g_main_loop_quit(c->loop);
    return G_SOURCE_REMOVE;
  }
  g_string_append_len(c->pending, buf, n);
  char *nl;
  while ((nl = memchr(c->pending->str, '\n', c->pending->len)) != NULL) {
    *nl = '\0';
    char *line = g_strdup(c->pending->str);
    g_string_erase(c->pending, 0, nl - c->pending->str + 1);
    run_line(c, line);
    g_free(line);
    if (!g_main_loop_is_running(c->loop))
      return G_SOURCE_REMOVE;
  }
  /* A line longer than any command: drop it rather than grow forever. */
  if (c->pending->len > 65536) {
    fprintf(stdout, "error: line too long (over 64 KiB), ignored\n");
    g_string_truncate(c->pending, 0);
  }
  if (ns_net_busy(c->net))
    c->prompt_due = TRUE;
  else
    prompt();
  arm_clock(c);
  (void)cond;
  return G_SOURCE_CONTINUE;
}

static gboolean on_signal(gint fd, GIOCondition cond, gpointer data) {
  Console *c = data;
  (void)fd;
  (void)cond;
  fputs("\n", stdout);
  g_main_loop_quit(c->loop);
  return G_SOURCE_CONTINUE;
}

void ns_console_run(NsNet *net, NsScenario *sc, gboolean realtime,
                    NsTime duration) {
  Console c = {0};
  c.net = net;
  c.sc = sc;
  c.realtime = realtime;
  c.duration = duration;
  c.loop = g_main_loop_new(NULL, FALSE);
  c.pending = g_string_new(NULL);
  resync(&c);
  guint in = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                           stdin_ready, &c);
  /* A signal also stops a `wait` that is running (the scheduler checks
   * the flag); the loop then sees the wake-up byte and ends. */
  guint sig = 0;
  if (ns_signals_wake_fd() >= 0)
    sig = g_unix_fd_add(ns_signals_wake_fd(), G_IO_IN, on_signal, &c);
  fputs("Type 'help' for commands, 'quit' to leave.\n", stdout);
  prompt();
  arm_clock(&c);
  g_main_loop_run(c.loop);
  if (c.clock_source != 0)
    g_source_remove(c.clock_source);
  if (sig != 0)
    g_source_remove(sig);
  GSource *src = g_main_context_find_source_by_id(NULL, in);
  if (src != NULL)
    g_source_destroy(src);
  g_string_free(c.pending, TRUE);
  g_main_loop_unref(c.loop);
  fflush(stdout);
}

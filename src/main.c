/* main.c — netsim's command line: load, build, run. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bridge/bridge.h"
#include "cli/console.h"
#include "cli/replay.h"
#include "cli/scenario.h"
#include "config/topology.h"
#include "config/topology_find.h"
#include "core/hugepages.h"
#include "core/i18n.h"
#include "core/input.h"
#include "core/logfilter.h"
#include "sim/clock.h"
#include "sim/network.h"
#include "sim/signals.h"
#include "trace/capture.h"
#include "trace/dot.h"
#include "trace/framelog.h"
#include "trace/jsonlog.h"
#include "trace/textlog.h"

enum { EXIT_PASS = 0, EXIT_EXPECT_FAILED = 1, EXIT_BAD_INPUT = 2 };

typedef struct {
  char *script;
  gboolean check;
  gboolean fast;
  gboolean realtime;
  char *duration;
  char *log_file;
  char *log_format;
  gboolean explain;
  gboolean quiet;
  gint64 seed;
  char *ready_file;
  char *pcap_dir;
  char *pcapng_file;
  char *dot_file;
  char *html_file;
  gboolean layers;
  char **only;  /* --only, each a comma list of families */
  char **nodes; /* --node, each a comma list of node names */
  gboolean brief;
  gboolean version;
} Options;

static void print_app_line(const char *line, gpointer data) {
  FILE *out = data;
  fputs(line, out);
  fputc('\n', out);
}

/* Reads a script (path "-": standard input).  A NUL byte would silently
 * cut the text short (and with it the expects after it), so it is an error
 * naming its line; so is text that is not UTF-8. */
static char *read_script(const char *path, const char *name, GError **error) {
  gsize len = 0;
  char *text =
      ns_input_read(path, NS_INPUT_MAX_SCRIPT, _("the script"), &len, error);
  if (text == NULL)
    return NULL;
  if (!ns_input_check_text(text, len, name, error)) {
    g_free(text);
    return NULL;
  }
  return text;
}

static int run(const Options *o, int argc, char **argv);

static void options_clear(Options *o) {
  g_free(o->script);
  g_free(o->duration);
  g_free(o->log_file);
  g_free(o->log_format);
  g_free(o->ready_file);
  g_free(o->pcap_dir);
  g_free(o->pcapng_file);
  g_free(o->dot_file);
  g_free(o->html_file);
  g_strfreev(o->only);
  g_strfreev(o->nodes);
}

/* --help's text above and below the options. */
static void set_help_texts(GOptionContext *octx) {
  g_option_context_set_summary(
      octx,
      N_("Simulate Ethernet LANs, learning switches and IPv4 routers, frame by "
         "frame.\nWithout TOPOLOGY, the built-in two-LAN network is used "
         "(topologies/two_lans.conf)."));
  g_option_context_set_description(
      octx,
      N_("Examples:\n"
         "  netsim topologies/two_lans.conf          console: type 'h1 ping "
         "h3'\n"
         "  netsim -e -s tests/scenarios/ping_across_router.scn "
         "topologies/two_lans.conf\n"
         "  netsim --check topologies/three_routers.conf\n"
         "\nExit status: 0 success, 1 an expect failed, 2 bad input.\n"
         "Documentation: README.md (topology keys, commands, log events)."));
}

/* The command line's options into o, with --help's texts (the context
 * copies the entries). */
static GOptionContext *options_context(Options *o) {
  GOptionEntry entries[] = {
      {"script", 's', 0, G_OPTION_ARG_FILENAME, &o->script,
       N_("Run a scenario ('-' reads standard input), then exit: 0 when every "
          "expect held, 1 when one failed, 2 on bad input"),
       N_("FILE")},
      {"check", 'c', 0, G_OPTION_ARG_NONE, &o->check,
       N_("Validate the topology, print a summary and exit"), NULL},
      {"fast", 0, 0, G_OPTION_ARG_NONE, &o->fast,
       N_("Virtual time jumps from event to event (default for scripts)"),
       NULL},
      {"realtime", 0, 0, G_OPTION_ARG_NONE, &o->realtime,
       N_("Virtual time follows the wall clock (default for the console)"),
       NULL},
      {"duration", 'd', 0, G_OPTION_ARG_STRING, &o->duration,
       N_("Stop after this much virtual time (e.g. 10s, 500ms)"), N_("TIME")},
      {"log", 'l', 0, G_OPTION_ARG_FILENAME, &o->log_file,
       N_("Write the event log to FILE instead of standard output"),
       N_("FILE")},
      {"log-format", 0, 0, G_OPTION_ARG_STRING, &o->log_format,
       N_("Event log format: text (default) or jsonl"), N_("FORMAT")},
      {"explain", 'e', 0, G_OPTION_ARG_NONE, &o->explain,
       N_("Explain why each decision was taken (mask AND, flood/forward, ARP, "
          "routes)"),
       NULL},
      {"only", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->only,
       N_("Show only these event families or names: arp,switch keeps "
          "arp/request, switch/flood... (the log, -l and --html alike; "
          "repeatable)"),
       N_("LIST")},
      {"node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->nodes,
       N_("Show only the events of these nodes: h1,r1 (repeatable)"),
       N_("LIST")},
      {"brief", 0, 0, G_OPTION_ARG_NONE, &o->brief,
       N_("Leave out bookkeeping events (arp/hit, arp/release, arp/pending, "
          "service/start...): the story only"),
       NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
       N_("No event log at all (for big runs and benchmarks)"), NULL},
      {"seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
       N_("Seed for link loss and anything random (default 1)"), N_("N")},
      {"ready-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ready_file,
       N_("With bridges or vxlan segments: once every socket is open, write "
          "one line per bridge rule and segment to FILE (the ports bound, "
          "for port 0), as on stderr"),
       N_("FILE")},
      {"pcap", 0, 0, G_OPTION_ARG_FILENAME, &o->pcap_dir,
       N_("Capture every link to DIR (created if missing), one pcap file per "
          "link named after its ends: h1-eth0--sw1-port1.pcap"),
       N_("DIR")},
      {"pcapng", 0, 0, G_OPTION_ARG_FILENAME, &o->pcapng_file,
       N_("Capture every link to one pcapng FILE, an interface per link "
          "(h1:eth0--sw1:port1)"),
       N_("FILE")},
      {"dot", 0, 0, G_OPTION_ARG_FILENAME, &o->dot_file,
       N_("Write the topology as a Graphviz drawing to FILE (render it with "
          "dot -Tsvg), then run as usual (with --check: check, then exit)"),
       N_("FILE")},
      {"html", 0, 0, G_OPTION_ARG_FILENAME, &o->html_file,
       N_("At the end of the run, write a replay to FILE: one web page with "
          "the drawing, the events (the first 100000), each step's frame, "
          "layers, reason and tables"),
       N_("FILE")},
      {"layers", 0, 0, G_OPTION_ARG_NONE, &o->layers,
       N_("Log every frame put on a link (event link/frame) with its layers "
          "field by field and a hex dump (with --log-format jsonl: as "
          "\"layers\" and \"hex\")"),
       NULL},
      {"version", 'V', 0, G_OPTION_ARG_NONE, &o->version,
       N_("Print the version and exit"), NULL},
      {NULL}};
  GOptionContext *octx = g_option_context_new(N_("[TOPOLOGY]"));
  set_help_texts(octx);
  g_option_context_add_main_entries(octx, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain(octx, GETTEXT_PACKAGE);
  return octx;
}

int main(int argc, char **argv) {
  /* A big topology: start again on huge pages (core/hugepages.h), before
   * anything is read or parsed. */
  if (ns_hugepages_wanted(argv, FALSE))
    ns_hugepages_restart(argv);
  setlocale(LC_ALL, "");
  ns_i18n_init(LOCALEDIR);
  Options o = {0};
  o.seed = 1;
  g_autoptr(GOptionContext) octx = options_context(&o);
  GError *error = NULL;
  if (!g_option_context_parse(octx, &argc, &argv, &error)) {
    fprintf(stderr, _("netsim: %s\nTry 'netsim --help'.\n"), error->message);
    g_error_free(error);
    options_clear(&o);
    return EXIT_BAD_INPUT;
  }
  int status = run(&o, argc, argv);
  options_clear(&o);
  return status;
}

/* ---- the steps of a run ---------------------------------------------------
 * Each step prints its own message on failure; run() turns that into the
 * exit status. */

/* Checks what the options say alone.  Returns -1 to go on, or the exit
 * status (--version, or bad options). */
static int check_options(const Options *o, int argc, char **argv,
                         NsTime *duration) {
  g_autoptr(GError) error = NULL;
  if (o->version) {
    printf("netsim %s\n", PACKAGE_VERSION);
    return EXIT_PASS;
  }
  if (argc > 2) {
    fprintf(stderr, _("netsim: one topology at most, got '%s' and '%s'\n"),
            argv[1], argv[2]);
    if (g_str_has_suffix(argv[1], ".scn") || g_str_has_suffix(argv[2], ".scn"))
      fprintf(stderr, _("netsim: a scenario goes after -s: netsim -s %s %s\n"),
              g_str_has_suffix(argv[1], ".scn") ? argv[1] : argv[2],
              g_str_has_suffix(argv[1], ".scn") ? argv[2] : argv[1]);
    return EXIT_BAD_INPUT;
  }
  if (o->fast && o->realtime) {
    fprintf(stderr, _("netsim: --fast and --realtime exclude each other\n"));
    return EXIT_BAD_INPUT;
  }
  if (o->log_format != NULL && g_strcmp0(o->log_format, "text") != 0 &&
      g_strcmp0(o->log_format, "jsonl") != 0) {
    fprintf(stderr, _("netsim: --log-format: '%s' (expected text or jsonl)\n"),
            o->log_format);
    return EXIT_BAD_INPUT;
  }
  if (o->seed < 0) {
    fprintf(stderr, _("netsim: --seed: expected a number >= 0\n"));
    return EXIT_BAD_INPUT;
  }
  *duration = NS_TIME_NEVER;
  if (o->duration != NULL && !ns_time_parse(o->duration, 0, duration, &error)) {
    fprintf(stderr, "netsim: --duration: %s\n", error->message);
    return EXIT_BAD_INPUT;
  }
  return -1;
}

/* The topology named on the command line, or the built-in one; NULL after
 * printing why not. */
static NsTopology *load_topology(int argc, char **argv) {
  g_autoptr(GError) error = NULL;
  NsTopology *topo =
      argc == 2 ? ns_topology_load_named(argv[1], NETSIM_TOPOLOGY_DIR, &error)
                : ns_topology_load_data(ns_topology_builtin, -1,
                                        "<built-in two_lans>", &error);
  if (topo == NULL) {
    fprintf(stderr, "netsim: %s\n", error->message);
    if (argc == 2 && g_str_has_suffix(argv[1], ".scn"))
      fprintf(stderr,
              _("netsim: '%s' looks like a scenario: the topology comes "
                "last, the scenario after -s\n"),
              argv[1]);
  }
  return topo;
}

/* Reads and parses the script of --script (standard input for "-" or
 * none) into sc.  FALSE after printing why not. */
static gboolean load_script(const Options *o, NsScenario *sc) {
  g_autoptr(GError) error = NULL;
  const char *path = o->script != NULL ? o->script : "-";
  const char *name = g_strcmp0(path, "-") == 0 ? "<stdin>" : path;
  g_autofree char *text = read_script(path, name, &error);
  if (text == NULL || !ns_scenario_load(sc, text, name, &error)) {
    fprintf(stderr, "netsim: %s\n", error->message);
    return FALSE;
  }
  return TRUE;
}

/* Flushes fp (closes it when close) and says so on standard error when
 * anything written to it was lost (a full disk, a closed pipe).  TRUE when
 * all of it was written (or fp is NULL). */
static gboolean finish_output(FILE *fp, const char *name, gboolean close) {
  if (fp == NULL)
    return TRUE;
  errno = 0;
  gboolean ok = fflush(fp) == 0 && !ferror(fp);
  int err = errno;
  if (close && fclose(fp) != 0 && ok) {
    ok = FALSE;
    err = errno;
  }
  if (!ok)
    fprintf(stderr,
            _("netsim: %s: write failed (%s); the output is incomplete\n"),
            name, err != 0 ? g_strerror(err) : _("an earlier write failed"));
  return ok;
}

/* Opens --log (only now: a bad script must not truncate an old log) and
 * attaches the event log's writer, flushing each event when live (the
 * console, a real-time run: events show as they happen).  *log_fp is the
 * file to close, or NULL.  FALSE after printing why not. */
static gboolean open_log(const Options *o, NsNet *net, gboolean live,
                         FILE **log_fp) {
  *log_fp = NULL;
  if (o->log_file != NULL && !o->quiet) {
    *log_fp = fopen(o->log_file, "w");
    if (*log_fp == NULL) {
      fprintf(stderr, _("netsim: --log: cannot write '%s': %s\n"), o->log_file,
              g_strerror(errno));
      return FALSE;
    }
  }
  NsLog *log = ns_net_log(net);
  ns_log_set_explain(log, o->explain);
  if (!o->quiet) {
    FILE *fp = *log_fp != NULL ? *log_fp : stdout;
    if (g_strcmp0(o->log_format, "jsonl") == 0)
      ns_jsonlog_attach(log, fp, live);
    else
      ns_textlog_attach(log, fp, live);
  }
  return TRUE;
}

/* The filter of --only, --node and --brief on the net's event stream.
 * FALSE after printing why not (a family or node that does not exist). */
static gboolean set_filter(const Options *o, NsNet *net) {
  g_autoptr(GError) error = NULL;
  g_autoptr(NsLogFilter) f = ns_log_filter_new();
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    g_ptr_array_add(names, ns_net_node(net, i)->name);
  g_ptr_array_add(names, NULL);
  for (guint i = 0; o->only != NULL && o->only[i] != NULL; i++)
    if (!ns_log_filter_add_only(f, o->only[i], &error)) {
      fprintf(stderr, "netsim: --only: %s\n", error->message);
      return FALSE;
    }
  for (guint i = 0; o->nodes != NULL && o->nodes[i] != NULL; i++)
    if (!ns_log_filter_add_nodes(f, o->nodes[i],
                                 (const char *const *)names->pdata, &error)) {
      fprintf(stderr, "netsim: --node: %s\n", error->message);
      return FALSE;
    }
  ns_log_filter_set_brief(f, o->brief);
  ns_log_set_filter(ns_net_log(net), g_steal_pointer(&f));
  return TRUE;
}

/* Starts --pcap / --pcapng (*cap NULL without them).  FALSE after
 * printing why not. */
static gboolean open_capture(const Options *o, NsNet *net, NsCapture **cap) {
  g_autoptr(GError) error = NULL;
  *cap = NULL;
  if (o->pcap_dir == NULL && o->pcapng_file == NULL)
    return TRUE;
  *cap = ns_capture_open(net, o->pcap_dir, o->pcapng_file, &error);
  if (*cap == NULL)
    fprintf(stderr, "netsim: %s\n", error->message);
  return *cap != NULL;
}

/* Starts --html (*replay NULL without it).  FALSE after printing why
 * not. */
static gboolean open_replay(const Options *o, NsNet *net, NsReplay **replay) {
  g_autoptr(GError) error = NULL;
  *replay = NULL;
  if (o->html_file == NULL)
    return TRUE;
  *replay = ns_replay_new(net, o->html_file, &error);
  if (*replay == NULL)
    fprintf(stderr, "netsim: --html: %s\n", error->message);
  return *replay != NULL;
}

/* Writes the --html page; FALSE after printing a write error. */
static gboolean close_replay(NsReplay *replay) {
  g_autoptr(GError) error = NULL;
  if (ns_replay_finish(replay, &error))
    return TRUE;
  fprintf(stderr, "netsim: --html: %s\n", error->message);
  return FALSE;
}

/* Flushes and closes the captures; FALSE after printing a write error. */
static gboolean close_capture(NsCapture *cap) {
  g_autoptr(GError) error = NULL;
  if (ns_capture_close(cap, &error))
    return TRUE;
  fprintf(stderr, "netsim: %s\n", error->message);
  return FALSE;
}

static void flush_stdout(NsClock *clock, gpointer data) {
  (void)clock;
  (void)data;
  fflush(stdout);
}

/* Runs the loaded script on clock (fast, or real time: its waits then
 * take wall time); the exit status. */
static int run_script(NsClock *clock, NsNet *net, NsScenario *sc,
                      NsTime duration) {
  ns_clock_set_advance_func(clock, flush_stdout, NULL);
  ns_scenario_set_clock(sc, clock);
  ns_scenario_set_limit(sc, duration);
  ns_scenario_run(sc);
  ns_scenario_finish(sc);
  if (duration != NS_TIME_NEVER && ns_net_now(net) < duration)
    ns_clock_wait_until(clock, duration);
  ns_scenario_set_clock(sc, NULL);
  return ns_scenario_failed(sc) > 0 ? EXIT_EXPECT_FAILED : EXIT_PASS;
}

/* Writes text into the file path names as it is (opened, not replaced);
 * FALSE after printing why not. */
static gboolean write_in_place(const char *path, const char *text) {
  int fd = g_open(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
  gsize len = strlen(text), done = 0;
  int err = fd < 0 ? errno : 0;
  while (err == 0 && done < len) {
    ssize_t n = write(fd, text + done, len - done);
    if (n < 0 && errno != EINTR)
      err = errno;
    else if (n == 0)
      err = EIO; /* nothing taken: never loop on it */
    else if (n > 0)
      done += (gsize)n;
  }
  if (fd >= 0 && close(fd) != 0 && err == 0)
    err = errno;
  if (err == 0)
    return TRUE;
  fprintf(stderr, "netsim: --ready-file: %s: %s\n", path, g_strerror(err));
  return FALSE;
}

/* Writes the ready lines to path, whole or not at all (a temporary file
 * renamed), so that a script polling for it never reads half of it.  A
 * path that is there and is no regular file (a FIFO a script waits on, a
 * symbolic link, /dev/stdout) is written in place instead: renaming over
 * it would put a plain file where it was. */
static gboolean write_ready_file(const char *path, char **lines) {
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = g_strjoinv("\n", lines);
  g_autofree char *text =
      g_strconcat(joined, lines[0] != NULL ? "\n" : "", NULL);
  GStatBuf st;
  if (g_lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return write_in_place(path, text);
  if (!g_file_set_contents(path, text, -1, &error)) {
    fprintf(stderr, "netsim: --ready-file: %s\n", error->message);
    return FALSE;
  }
  return TRUE;
}

/* Warns about every rule reachable from other machines. */
static void warn_remote(const NsTopology *topo) {
  for (guint i = 0; i < topo->nodes->len; i++) {
    const NsTopoNode *tn = g_ptr_array_index(topo->nodes, i);
    for (guint j = 0; tn->bridge != NULL && j < tn->bridge->rules->len; j++) {
      const NsBridgeRule *r =
          &g_array_index(tn->bridge->rules, NsBridgeRule, j);
      if (r->dir == NS_BRIDGE_LISTEN && !ns_ip4_is_loopback(r->outside_addr))
        fprintf(stderr,
                _("netsim: warning: bridge %s: %s is reachable from other "
                  "machines (allow-remote = true)\n"),
                tn->name, r->text);
    }
  }
}

/* Opens the bridges' sockets on clock, says which ports they got (stderr
 * and --ready-file); NULL after printing why not.  *out is NULL when the
 * topology has no bridge. */
/* topo: NULL once freed, which it is only without bridges. */
static gboolean open_bridges(const Options *o, const NsTopology *topo,
                             NsNet *net, NsClock *clock, NsBridges **out) {
  *out = NULL;
  if (topo == NULL || !ns_topology_has_bridges(topo)) {
    if (o->ready_file != NULL)
      return write_ready_file(o->ready_file, (char *[]){NULL});
    return TRUE;
  }
  g_autoptr(GError) error = NULL;
  NsBridges *b = ns_bridges_new(net, clock, topo, &error);
  if (b == NULL) {
    fprintf(stderr, "netsim: %s\n", error->message);
    return FALSE;
  }
  warn_remote(topo);
  g_auto(GStrv) lines = ns_bridges_ready_lines(b);
  for (guint i = 0; lines[i] != NULL; i++)
    fprintf(stderr, "%s\n", lines[i]);
  fflush(stderr);
  if (o->ready_file != NULL && !write_ready_file(o->ready_file, lines)) {
    ns_bridges_free(b);
    return FALSE;
  }
  *out = b;
  return TRUE;
}

/* How a run goes: the console (a terminal), a script (-s, or standard
 * input that is not a terminal), or serving bridges (standard input not a
 * terminal and no -s: its lines run as typed, and the run goes on until
 * -d, a signal or `quit`). */
typedef enum { RUN_CONSOLE, RUN_SCRIPT, RUN_SERVE } RunKind;

static RunKind run_kind(const Options *o, gboolean bridges) {
  if (o->script != NULL)
    return RUN_SCRIPT;
  if (isatty(STDIN_FILENO))
    return RUN_CONSOLE;
  return bridges ? RUN_SERVE : RUN_SCRIPT;
}

/* Runs what kind says on clock, the net built and the log open; the exit
 * status.  With bridges a typed `wait` takes wall time too (at the
 * console it otherwise jumps), so that real sockets are served while it
 * runs and virtual time stays the wall clock's. */
static int run_on(RunKind kind, gboolean bridges, const char *summary,
                  NsNet *net, NsScenario *sc, NsClock *clock, NsTime duration) {
  int status = EXIT_PASS;
  if (kind != RUN_SCRIPT && bridges)
    ns_scenario_set_clock(sc, clock);
  if (kind == RUN_CONSOLE) {
    ns_scenario_keep_log(sc);
    fputs(summary, stdout);
    ns_console_run(net, sc, clock, NS_CONSOLE_INTERACTIVE);
    return EXIT_PASS;
  }
  if (kind == RUN_SERVE)
    ns_console_run(net, sc, clock, NS_CONSOLE_SERVE);
  else
    status = run_script(clock, net, sc, duration);
  if (ns_signals_caught() != 0) {
    /* Where the simulation stopped: the clock's time only when nothing
     * was due before it (an idle real-time run is there), else the net's
     * (behind the wall clock, it stopped in the middle). */
    NsTime reached = ns_net_now(net), wall = ns_clock_now(clock);
    if (wall > reached && ns_sched_next(ns_net_sched(net)) > wall)
      reached = wall;
    fprintf(stderr, _("netsim: interrupted at virtual time %.6f s\n"),
            (double)reached / NS_SEC);
    status = 128 + ns_signals_caught();
  }
  return status;
}

/* The topology once the net is built: the console's summary is made
 * (returned, or NULL), and without bridges (which keep parts of it) the
 * topology is freed: on a big network it is a seventh of the memory,
 * which the run can use. */
static char *let_go_of_topology(NsTopology **topo, RunKind kind,
                                gboolean bridges) {
  char *summary = kind == RUN_CONSOLE ? ns_topology_summary(*topo) : NULL;
  if (!bridges)
    g_clear_pointer(topo, ns_topology_free);
  return summary;
}

/* The topology loaded, and what is done with it before any net: --dot,
 * --check, the options it refuses.  Returns the exit status when that is
 * all (*topo NULL), or -1 with *topo to run. */
static int load_for_run(const Options *o, int argc, char **argv,
                        NsTopology **out) {
  *out = NULL;
  /* From here on a SIGINT/SIGTERM ends the run with 128 + N, whenever it
   * comes: one while loading (a big topology) ends the process at once,
   * since nothing was written yet. */
  ns_signals_exit_at_once(
      _("netsim: interrupted while loading the topology\n"));
  g_autoptr(NsTopology) topo = load_topology(argc, argv);
  ns_signals_install(NULL); /* --dot and --check write: a flag from here */
  if (topo == NULL)
    return EXIT_BAD_INPUT;
  g_autoptr(GError) error = NULL;
  if (o->dot_file != NULL && !ns_dot_write(topo, o->dot_file, &error)) {
    fprintf(stderr, "netsim: --dot: %s\n", error->message);
    return EXIT_BAD_INPUT;
  }
  if (o->check) {
    g_autofree char *summary = ns_topology_summary(topo);
    fputs(summary, stdout);
    printf(_("%s: OK\n"), topo->source);
    return EXIT_PASS;
  }
  if (ns_topology_has_bridges(topo) && o->fast) {
    fprintf(stderr,
            _("netsim: %s has bridges or vxlan segments, whose real sockets "
              "live on the wall clock: --fast cannot be used with them (leave "
              "it out)\n"),
            topo->source);
    return EXIT_BAD_INPUT;
  }
  *out = g_steal_pointer(&topo);
  return -1;
}

static int run(const Options *o, int argc, char **argv) {
  NsTime duration;
  int status = check_options(o, argc, argv, &duration);
  if (status >= 0)
    return status;
  g_autoptr(NsTopology) topo = NULL;
  status = load_for_run(o, argc, argv, &topo);
  if (status >= 0)
    return status;
  gboolean bridges = ns_topology_has_bridges(topo);
  RunKind kind = run_kind(o, bridges);
  gboolean realtime =
      bridges || o->realtime || (kind == RUN_CONSOLE && !o->fast);
  ns_signals_exit_at_once(
      _("netsim: interrupted while building the network\n"));
  NsNet *net = ns_net_new(topo, (guint64)o->seed);
  ns_signals_install(NULL);
  g_autofree char *summary = let_go_of_topology(&topo, kind, bridges);
  NsScenario *sc = ns_scenario_new(net, stdout);
  NsClock *clock = NULL;
  NsBridges *br = NULL;
  FILE *log_fp = NULL;
  NsCapture *cap = NULL;
  NsReplay *replay = NULL;
  NsFrameLog *frames = NULL;
  status = EXIT_BAD_INPUT;
  if ((kind != RUN_SCRIPT || load_script(o, sc)) && set_filter(o, net) &&
      open_log(o, net, kind != RUN_SCRIPT || realtime, &log_fp) &&
      open_capture(o, net, &cap) && open_replay(o, net, &replay)) {
    if (o->layers)
      frames = ns_framelog_new(net);
    ns_net_set_output(net, print_app_line, stdout);
    /* SIGINT/SIGTERM stop the clock; the run then ends normally. */
    ns_signals_install(ns_net_sched(net));
    clock =
        ns_clock_new(net, realtime ? NS_CLOCK_REALTIME : NS_CLOCK_FAST, NULL);
    ns_clock_set_limit(clock, duration);
    if (open_bridges(o, topo, net, clock, &br)) {
      ns_scenario_set_bridges(sc, br);
      status = run_on(kind, bridges, summary, net, sc, clock, duration);
      ns_scenario_set_bridges(sc, NULL);
    }
  }
  ns_bridges_free(br);
  if (!close_capture(cap) && status == EXIT_PASS)
    status = EXIT_BAD_INPUT;
  if (!close_replay(replay) && status == EXIT_PASS)
    status = EXIT_BAD_INPUT;
  ns_clock_free(clock);
  ns_scenario_free(sc);
  ns_framelog_free(frames);
  ns_net_free(net);
  /* A log lost to a full disk or a closed pipe is a failed run. */
  gboolean written = finish_output(log_fp, o->log_file, TRUE);
  written = finish_output(stdout, _("standard output"), FALSE) && written;
  if (!written && status == EXIT_PASS)
    status = EXIT_BAD_INPUT;
  return status;
}

/* main.c — netsim's command line: load, build, run. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/console.h"
#include "sim/network.h"
#include "cli/scenario.h"
#include "sim/signals.h"
#include "config/topology.h"
#include "config/topology_find.h"
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
  char *text = NULL;
  gsize len = 0;
  if (g_strcmp0(path, "-") == 0) {
    GString *s = g_string_new(NULL);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
      g_string_append_len(s, buf, (gssize)n);
    len = s->len;
    text = g_string_free(s, FALSE);
  } else if (!g_file_get_contents(path, &text, &len, error)) {
    return NULL;
  }
  const char *nul = memchr(text, '\0', len);
  const char *bad = NULL;
  if (nul == NULL && !g_utf8_validate(text, (gssize)len, &bad))
    nul = bad;
  if (nul != NULL) {
    guint line = 1;
    for (const char *p = text; p < nul; p++)
      line += *p == '\n';
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                "%s:%u: %s (expected UTF-8 text; is the file UTF-16?)", name,
                line, *nul == '\0' ? "NUL byte" : "bytes that are not UTF-8");
    g_free(text);
    return NULL;
  }
  return text;
}

static int run(Options *o_, int argc, char **argv);

static void options_clear(Options *o) {
  g_free(o->script);
  g_free(o->duration);
  g_free(o->log_file);
  g_free(o->log_format);
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  Options o = {0};
  o.seed = 1;
  GOptionEntry entries[] = {
      {"script", 's', 0, G_OPTION_ARG_FILENAME, &o.script,
       "Run a scenario ('-' reads standard input), then exit: 0 when every "
       "expect held, 1 when one failed, 2 on bad input",
       "FILE"},
      {"check", 'c', 0, G_OPTION_ARG_NONE, &o.check,
       "Validate the topology, print a summary and exit", NULL},
      {"fast", 0, 0, G_OPTION_ARG_NONE, &o.fast,
       "Virtual time jumps from event to event (default for scripts)", NULL},
      {"realtime", 0, 0, G_OPTION_ARG_NONE, &o.realtime,
       "Virtual time follows the wall clock (default for the console)", NULL},
      {"duration", 'd', 0, G_OPTION_ARG_STRING, &o.duration,
       "Stop after this much virtual time (e.g. 10s, 500ms)", "TIME"},
      {"log", 'l', 0, G_OPTION_ARG_FILENAME, &o.log_file,
       "Write the event log to FILE instead of standard output", "FILE"},
      {"log-format", 0, 0, G_OPTION_ARG_STRING, &o.log_format,
       "Event log format: text (default) or jsonl", "FORMAT"},
      {"explain", 'e', 0, G_OPTION_ARG_NONE, &o.explain,
       "Explain why each decision was taken (mask AND, flood/forward, ARP, "
       "routes)",
       NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet,
       "No event log at all (for big runs and benchmarks)", NULL},
      {"seed", 0, 0, G_OPTION_ARG_INT64, &o.seed,
       "Seed for link loss and anything random (default 1)", "N"},
      {"version", 'V', 0, G_OPTION_ARG_NONE, &o.version,
       "Print the version and exit", NULL},
      {NULL}};
  g_autoptr(GOptionContext) octx = g_option_context_new("[TOPOLOGY]");
  g_option_context_set_summary(
      octx,
      "Simulate Ethernet LANs, learning switches and IPv4 routers, frame by "
      "frame.\nWithout TOPOLOGY, the built-in two-LAN network is used "
      "(topologies/two_lans.conf).");
  g_option_context_set_description(
      octx,
      "Examples:\n"
      "  netsim topologies/two_lans.conf          console: type 'h1 ping h3'\n"
      "  netsim -e -s tests/scenarios/ping_across_router.scn "
      "topologies/two_lans.conf\n"
      "  netsim --check topologies/three_routers.conf\n"
      "\nExit status: 0 success, 1 an expect failed, 2 bad input.\n"
      "Documentation: README.md (topology keys, commands, log events).");
  g_option_context_add_main_entries(octx, entries, NULL);
  GError *error = NULL;
  if (!g_option_context_parse(octx, &argc, &argv, &error)) {
    fprintf(stderr, "netsim: %s\nTry 'netsim --help'.\n", error->message);
    g_error_free(error);
    options_clear(&o);
    return EXIT_BAD_INPUT;
  }
  int status = run(&o, argc, argv);
  options_clear(&o);
  return status;
}

static int run(Options *o_, int argc, char **argv) {
  Options o = *o_;
  g_autoptr(GError) error = NULL;
  if (o.version) {
    printf("netsim %s\n", PACKAGE_VERSION);
    return EXIT_PASS;
  }
  if (argc > 2) {
    fprintf(stderr, "netsim: one topology at most, got '%s' and '%s'\n",
            argv[1], argv[2]);
    if (g_str_has_suffix(argv[1], ".scn") || g_str_has_suffix(argv[2], ".scn"))
      fprintf(stderr, "netsim: a scenario goes after -s: netsim -s %s %s\n",
              g_str_has_suffix(argv[1], ".scn") ? argv[1] : argv[2],
              g_str_has_suffix(argv[1], ".scn") ? argv[2] : argv[1]);
    return EXIT_BAD_INPUT;
  }
  if (o.fast && o.realtime) {
    fprintf(stderr, "netsim: --fast and --realtime exclude each other\n");
    return EXIT_BAD_INPUT;
  }
  if (o.log_format != NULL && g_strcmp0(o.log_format, "text") != 0 &&
      g_strcmp0(o.log_format, "jsonl") != 0) {
    fprintf(stderr, "netsim: --log-format: '%s' (expected text or jsonl)\n",
            o.log_format);
    return EXIT_BAD_INPUT;
  }
  if (o.seed < 0) {
    fprintf(stderr, "netsim: --seed: expected a number >= 0\n");
    return EXIT_BAD_INPUT;
  }
  NsTime duration = NS_TIME_NEVER;
  if (o.duration != NULL && !ns_time_parse(o.duration, 0, &duration, &error)) {
    fprintf(stderr, "netsim: --duration: %s\n", error->message);
    return EXIT_BAD_INPUT;
  }

  g_autoptr(NsTopology) topo =
      argc == 2 ? ns_topology_load_named(argv[1], NETSIM_TOPOLOGY_DIR, &error)
                : ns_topology_load_data(ns_topology_builtin, -1,
                                        "<built-in two_lans>", &error);
  if (topo == NULL) {
    fprintf(stderr, "netsim: %s\n", error->message);
    if (argc == 2 && g_str_has_suffix(argv[1], ".scn"))
      fprintf(stderr,
              "netsim: '%s' looks like a scenario: the topology comes "
              "last, the scenario after -s\n",
              argv[1]);
    return EXIT_BAD_INPUT;
  }
  if (o.check) {
    g_autofree char *summary = ns_topology_summary(topo);
    fputs(summary, stdout);
    printf("%s: OK\n", topo->source);
    return EXIT_PASS;
  }

  /* Scripts come from --script, or from standard input when it is not a
   * terminal; otherwise the console runs. */
  gboolean interactive = o.script == NULL && isatty(STDIN_FILENO);
  g_autofree char *script_text = NULL;
  const char *script_name = o.script;
  if (!interactive) {
    if (script_name == NULL)
      script_name = "-";
    script_text = read_script(
        script_name, g_strcmp0(script_name, "-") == 0 ? "<stdin>" : script_name,
        &error);
    if (script_text == NULL) {
      fprintf(stderr, "netsim: %s\n", error->message);
      return EXIT_BAD_INPUT;
    }
    if (g_strcmp0(script_name, "-") == 0)
      script_name = "<stdin>";
  }

  FILE *log_fp = NULL;
  NsNet *net = ns_net_new(topo, (guint64)o.seed);
  NsScenario *sc = ns_scenario_new(net, stdout);
  int status = EXIT_PASS;
  if (!interactive && !ns_scenario_load(sc, script_text, script_name, &error)) {
    fprintf(stderr, "netsim: %s\n", error->message);
    status = EXIT_BAD_INPUT;
    goto out;
  }

  /* Opened only now: a bad script must not truncate an old log. */
  if (o.log_file != NULL && !o.quiet) {
    log_fp = fopen(o.log_file, "w");
    if (log_fp == NULL) {
      fprintf(stderr, "netsim: --log: cannot write '%s': %s\n", o.log_file,
              g_strerror(errno));
      status = EXIT_BAD_INPUT;
      goto out;
    }
  }

  NsLog *log = ns_net_log(net);
  ns_log_set_explain(log, o.explain);
  if (!o.quiet) {
    FILE *fp = log_fp != NULL ? log_fp : stdout;
    if (g_strcmp0(o.log_format, "jsonl") == 0)
      ns_jsonlog_attach(log, fp, interactive);
    else
      ns_textlog_attach(log, fp, interactive);
  }
  ns_net_set_output(net, print_app_line, stdout);
  /* SIGINT/SIGTERM stop the clock; the run then ends normally. */
  ns_signals_install(ns_net_sched(net));

  if (interactive) {
    ns_scenario_keep_log(sc);
    g_autofree char *summary = ns_topology_summary(topo);
    fputs(summary, stdout);
    ns_console_run(net, sc, !o.fast, duration);
  } else {
    if (o.realtime)
      fprintf(stderr, "netsim: note: --realtime applies to the console; "
                      "scripts run in fast mode\n");
    ns_scenario_set_limit(sc, duration);
    ns_scenario_run(sc);
    ns_scenario_finish(sc);
    if (duration != NS_TIME_NEVER && ns_net_now(net) < duration)
      ns_net_run_until(net, duration);
    status = ns_scenario_failed(sc) > 0 ? EXIT_EXPECT_FAILED : EXIT_PASS;
    if (ns_signals_caught() != 0) {
      fprintf(stderr, "netsim: interrupted at virtual time %.6f s\n",
              (double)ns_net_now(net) / NS_SEC);
      status = 128 + ns_signals_caught();
    }
  }
out:
  ns_scenario_free(sc);
  ns_net_free(net);
  if (log_fp != NULL)
    fclose(log_fp);
  fflush(stdout);
  return status;
}

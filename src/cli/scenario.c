/* scenario.c — loading and running scenarios, and the console's one-line
 * entry point.  Parsing is in scenario_parse.c and expect.c. */
#include "cli/scenario.h"

#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "core/units.h"
#include "trace/textlog.h"

/* The text of the log events so far, reasons included, for `expect log`.
 * Kept only when the script uses `expect log` (or at the console), so a
 * plain run formats nothing.  Bounded: past LOG_MEMORY_MAX bytes the
 * oldest half is forgotten.  Shared by the scenario and the log sink (a
 * GRcBox), because either may go first: the scenario drops the text when
 * it is freed, the log releases its reference when it is freed. */
#define LOG_MEMORY_MAX (32 * 1024 * 1024)

typedef struct {
  GString *text; /* NULL once the scenario is gone */
} LogMemory;

struct NsScenario {
  NsNet *net;        /* borrowed; must outlive the scenario */
  FILE *out;         /* borrowed */
  GPtrArray *cmds;   /* of ScCmd*, the loaded script */
  LogMemory *memory; /* a reference */
  guint expects;     /* expects run so far (numbers the ok lines) */
  NsTime limit;      /* no wait goes past this (--duration) */
  guint passed, failed;
};

/* ---- help --------------------------------------------------------------- */

static const struct {
  const char *name;
  const char *syntax;
} help_lines[] = {
    {"ping", "NODE ping DEST [count N] [interval TIME] [timeout TIME] "
             "[size N] [ttl N]"},
    {"traceroute", "NODE traceroute DEST [max-hops N] [probes N] "
                   "[timeout TIME]"},
    {"arp", "NODE arp flush             empty NODE's ARP caches"},
    {"udp", "NODE udp send DEST:PORT TEXT|size N   one datagram (DEST may be "
            "a broadcast or group)"},
    {"udp", "NODE udp listen PORT       print and count datagrams to PORT"},
    {"join", "NODE join GROUP            join a multicast group (239.1.1.1)"},
    {"leave", "NODE leave GROUP           leave it"},
    {"tcp", "NODE tcp connect DEST:PORT open NODE's TCP connection"},
    {"tcp", "NODE tcp send TEXT|size N  queue data on it (\\r \\n in "
            "\"quotes\")"},
    {"tcp", "NODE tcp close | NODE tcp abort   FIN after the data | RST "
            "now"},
    {"show", "show arp NODE | show mac SWITCH | show route NODE"},
    {"show", "show links | show stats [NODE] | show nodes"},
    {"show", "show sockets [NODE] | show tcp [NODE]"},
    {"link", "link A B down | link A B up"},
    {"link", "link A B set [loss P] [delay TIME] [rate RATE] [queue N]"},
    {"wait", "wait TIME                  run the clock TIME further"},
    {"wait", "wait                       run until every ping, traceroute "
             "and TCP transfer ended"},
    {"print", "print TEXT...              echo TEXT"},
    {"expect", "expect NODE ping replies [OP] N | expect NODE ping loss [OP] "
               "P%"},
    {"expect", "expect NODE arp has ADDR [mac MAC] | expect NODE arp lacks "
               "ADDR"},
    {"expect", "expect SWITCH mac NODE|NODE:IFACE|MAC port N | ... absent"},
    {"expect", "expect NODE route DEST via IFACE [gateway IP] | expect NODE "
               "route DEST none"},
    {"expect", "expect NODE traceroute reached | hops [OP] N | hop K ADDR"},
    {"expect", "expect NODE counter NAME [OP] N    NAME: ip_rx, forwarded, "
               "no_route, ..., eth0.rx_frames"},
    {"expect", "expect SWITCH counter NAME [OP] N  NAME: flooded, forwarded, "
               "rx_frames, ..., port.1.rx_frames"},
    {"expect", "expect link A B [dir A] STAT [OP] N  STAT: sent, delivered, "
               "drops, drops.loss,"},
    {"expect", "                                     drops.queue-full, "
               "drops.link-down"},
    {"expect", "expect log contains \"TEXT\" | expect log lacks \"TEXT\""},
    {"expect", "expect NODE tcp state STATE | tcp received [OP] N [bytes] | "
               "tcp received \"TEXT\" | tcp received echo"},
    {"expect", "expect NODE udp received [OP] N | udp received \"TEXT\" | "
               "group GROUP joined|left"},
    {"expect", "expect NODE service PORT[/tcp|/udp] FIELD [OP] N  FIELD: "
               "connections, requests, datagrams, bytes_in, ..."},
    {"help", "help [COMMAND]             this list"},
    {"quit", "quit | exit"},
};

static void print_help(FILE *out, const char *topic) {
  gboolean any = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(help_lines); i++) {
    if (topic != NULL && strcmp(topic, help_lines[i].name) != 0 &&
        !(strcmp(topic, "exit") == 0 &&
          strcmp(help_lines[i].name, "quit") == 0))
      continue;
    fprintf(out, "  %s\n", help_lines[i].syntax);
    any = TRUE;
  }
  if (!any) {
    fprintf(out, "no command '%s'; commands:", topic);
    const char *last = "";
    for (guint i = 0; i < G_N_ELEMENTS(help_lines); i++)
      if (strcmp(last, help_lines[i].name) != 0)
        fprintf(out, " %s", last = help_lines[i].name);
    fprintf(out, "\n");
    return;
  }
  if (topic == NULL)
    fprintf(out, "DEST and ADDR: an IPv4 address, a node name or NODE:IFACE. "
                 "TIME: 10ms, 1.5s (ns us ms s m).\n"
                 "OP: = == != < <= > >=.  RATE: 10Mbit, 1Gbit, 0 "
                 "(unlimited).  P: 0.1 or 10%%.  # starts a comment.\n");
}

/* ---- output and log memory ---------------------------------------------- */

static void app_output(const char *line, gpointer data) {
  NsScenario *sc = data;
  fprintf(sc->out, "%s\n", line);
}

static void memory_sink(const NsLogEvent *ev, gpointer data) {
  LogMemory *m = data;
  if (m->text == NULL)
    return;
  ns_textlog_format(ev, m->text);
  if (m->text->len > LOG_MEMORY_MAX) {
    const char *cut = strchr(m->text->str + m->text->len / 2, '\n');
    if (cut != NULL)
      g_string_erase(m->text, 0, cut + 1 - m->text->str);
  }
}

static void memory_clear(gpointer data) {
  LogMemory *m = data;
  if (m->text != NULL)
    g_string_free(m->text, TRUE);
}

static void memory_release(gpointer data) {
  g_rc_box_release_full(data, memory_clear);
}

NsScenario *ns_scenario_new(NsNet *net, FILE *out) {
  g_return_val_if_fail(net != NULL && out != NULL, NULL);
  NsScenario *sc = g_new0(NsScenario, 1);
  sc->net = net;
  sc->out = out;
  sc->cmds = g_ptr_array_new_with_free_func((GDestroyNotify)ns_sc_cmd_free);
  sc->limit = NS_TIME_NEVER;
  ns_net_set_output(net, app_output, sc);
  return sc;
}

/* Starts keeping the log for `expect log` (once). */
static void keep_log(NsScenario *sc) {
  if (sc->memory != NULL)
    return;
  sc->memory = g_rc_box_new0(LogMemory);
  sc->memory->text = g_string_new(NULL);
  ns_log_add_explained_sink(ns_net_log(sc->net), memory_sink,
                            g_rc_box_acquire(sc->memory), memory_release);
}

void ns_scenario_free(NsScenario *sc) {
  if (sc == NULL)
    return;
  ns_net_set_output(sc->net, NULL, NULL);
  if (sc->memory != NULL) {
    g_string_free(sc->memory->text, TRUE);
    sc->memory->text = NULL; /* the sink stays on the log, now idle */
    memory_release(sc->memory);
  }
  g_ptr_array_unref(sc->cmds);
  g_free(sc);
}

/* ---- loading ------------------------------------------------------------ */

/* "FILE:LINE: " or, at the console, "line N: ". */
static void prefix_error(GError **error, const char *source, guint lineno) {
  if (source != NULL)
    g_prefix_error(error, "%s:%u: ", source, lineno);
  else if (lineno != 0) /* the console has no useful line number */
    g_prefix_error(error, "line %u: ", lineno);
}

static gboolean uses_log(const ScCmd *c) {
  return c->kind == SC_EXPECT &&
         (c->ex.kind == SC_EX_LOG_CONTAINS || c->ex.kind == SC_EX_LOG_LACKS);
}

void ns_scenario_keep_log(NsScenario *sc) {
  g_return_if_fail(sc != NULL);
  keep_log(sc);
}

gboolean ns_scenario_load(NsScenario *sc, const char *text, const char *source,
                          GError **error) {
  g_return_val_if_fail(sc != NULL && text != NULL, FALSE);
  if (source == NULL)
    source = "<script>";
  if (g_str_has_prefix(text, "\xEF\xBB\xBF")) /* a UTF-8 byte order mark */
    text += 3;
  char **lines = g_strsplit(text, "\n", -1);
  GPtrArray *cmds =
      g_ptr_array_new_with_free_func((GDestroyNotify)ns_sc_cmd_free);
  gboolean ok = TRUE;
  for (guint i = 0; lines[i] != NULL && ok; i++) {
    gsize len = strlen(lines[i]);
    if (len > 0 && lines[i][len - 1] == '\r')
      lines[i][len - 1] = '\0';
    ScCmd *cmd = NULL;
    ok = ns_sc_parse_line(sc->net, lines[i], &cmd, error);
    if (!ok)
      prefix_error(error, source, i + 1);
    else if (cmd != NULL)
      g_ptr_array_add(cmds, cmd);
  }
  g_strfreev(lines);
  for (guint i = 0; ok && i < cmds->len; i++)
    if (uses_log(g_ptr_array_index(cmds, i)))
      keep_log(sc);
  if (ok)
    g_ptr_array_extend_and_steal(sc->cmds, cmds);
  else
    g_ptr_array_unref(cmds);
  return ok;
}

/* ---- running ------------------------------------------------------------ */

static void run_expect(NsScenario *sc, const ScCmd *c) {
  GString *got = g_string_new(NULL);
  gboolean ok = ns_sc_eval_expect(
      sc->net, sc->memory != NULL ? sc->memory->text->str : "", c, got);
  sc->expects++;
  if (ok) {
    sc->passed++;
    fprintf(sc->out, "ok %u - %s\n", sc->expects, c->text);
  } else {
    sc->failed++;
    fprintf(sc->out, "not ok %u - %s (got %s)\n", sc->expects, c->text,
            got->str);
  }
  g_string_free(got, TRUE);
}

static void run_show(NsScenario *sc, const ScCmd *c) {
  NsReport *r = NULL;
  switch (c->show) {
  case SC_SHOW_ARP:
    r = ns_show_arp(sc->net, c->node);
    break;
  case SC_SHOW_MAC:
    r = ns_show_mac(sc->net, c->node);
    break;
  case SC_SHOW_ROUTE:
    r = ns_show_route(sc->net, c->node);
    break;
  case SC_SHOW_LINKS:
    r = ns_show_links(sc->net, c->node);
    break;
  case SC_SHOW_STATS:
    r = ns_show_stats(sc->net, c->node);
    break;
  case SC_SHOW_NODES:
    r = ns_show_nodes(sc->net, c->node);
    break;
  case SC_SHOW_SOCKETS:
    r = ns_show_sockets(sc->net, c->node);
    break;
  case SC_SHOW_TCP:
    r = ns_show_tcp(sc->net, c->node);
    break;
  }
  ns_report_print(r, sc->out);
  ns_report_free(r);
}

static void link_set_up(NsScenario *sc, const ScCmd *c, gboolean up) {
  NsNetLink *l = c->link;
  ns_link_set_up(l->link, up, ns_net_now(sc->net));
  fprintf(sc->out, "link %s <-> %s is %s\n", l->a_label, l->b_label,
          up ? "up" : "down");
}

static void link_set(NsScenario *sc, const ScCmd *c) {
  NsLinkParams p = *ns_link_params(c->link->link);
  if (c->set_loss)
    p.loss = c->params.loss;
  if (c->set_delay)
    p.delay = c->params.delay;
  if (c->set_rate)
    p.rate_bps = c->params.rate_bps;
  if (c->set_queue)
    p.queue_limit = c->params.queue_limit;
  ns_link_set_params(c->link->link, &p);
  char d[NS_TIME_STRLEN], r[32];
  fprintf(sc->out, "link %s <-> %s: delay %s, rate %s, loss %g%%, queue %u\n",
          c->link->a_label, c->link->b_label, ns_show_duration(p.delay, d),
          ns_rate_format(p.rate_bps, r), p.loss * 100.0, p.queue_limit);
}

/* How long a bare `wait` may run: no limit but --duration, since every
 * activity ends by itself (a finite count of requests, each answered or
 * timed out), and in fast mode virtual hours cost no wall time. */
#define WAIT_IDLE_LIMIT NS_TIME_NEVER

/* now + delta, without overflow and not past the limit. */
static NsTime clamp_time(NsScenario *sc, NsTime delta) {
  return MIN(ns_time_add(ns_net_now(sc->net), delta), sc->limit);
}

/* Runs one command; returns FALSE for quit/exit. */
static gboolean run_cmd(NsScenario *sc, const ScCmd *c) {
  NsNet *net = sc->net;
  switch (c->kind) {
  case SC_PING:
    ns_net_ping(net, c->node, c->dst, c->dst_name, &c->ping);
    break;
  case SC_TRACE:
    ns_net_trace(net, c->node, c->dst, c->dst_name, &c->trace);
    break;
  case SC_ARP_FLUSH:
    ns_ipnode_arp_flush(c->node->ip);
    fprintf(sc->out, "%s: ARP cache flushed\n", c->node->name);
    break;
  case SC_SHOW:
    run_show(sc, c);
    break;
  case SC_LINK_UP:
  case SC_LINK_DOWN:
    link_set_up(sc, c, c->kind == SC_LINK_UP);
    break;
  case SC_LINK_SET:
    link_set(sc, c);
    break;
  case SC_WAIT:
    ns_net_run_until(net, clamp_time(sc, c->time));
    break;
  case SC_WAIT_IDLE:
    ns_net_run_idle(net, clamp_time(sc, WAIT_IDLE_LIMIT));
    break;
  case SC_PRINT:
    fprintf(sc->out, "%s\n", c->arg);
    break;
  case SC_HELP:
    print_help(sc->out, c->arg);
    break;
  case SC_QUIT:
    return FALSE;
  case SC_EXPECT:
    run_expect(sc, c);
    break;
  case SC_SOCKET:
    ns_sc_run_socket_cmd(net, c, sc->out);
    break;
  }
  fflush(sc->out);
  return TRUE;
}

void ns_scenario_run(NsScenario *sc) {
  g_return_if_fail(sc != NULL);
  gboolean quit = FALSE;
  for (guint i = 0; i < sc->cmds->len; i++) {
    if (ns_sched_interrupted(ns_net_sched(sc->net))) {
      fprintf(sc->out, "# interrupted: %u command%s not run\n",
              sc->cmds->len - i, sc->cmds->len - i == 1 ? "" : "s");
      break;
    }
    if (sc->limit != NS_TIME_NEVER && ns_net_now(sc->net) >= sc->limit) {
      char d[NS_TIME_STRLEN];
      fprintf(sc->out, "# time limit %s reached: %u command%s not run\n",
              ns_show_duration(sc->limit, d), sc->cmds->len - i,
              sc->cmds->len - i == 1 ? "" : "s");
      break;
    }
    if (!run_cmd(sc, g_ptr_array_index(sc->cmds, i))) {
      quit = TRUE;
      break;
    }
  }
  /* Pings still running when the script ends finish first, as if the
   * script ended with `wait`: their output is what the user came for. */
  if (!quit && ns_net_busy(sc->net) &&
      !ns_sched_interrupted(ns_net_sched(sc->net)))
    ns_net_run_idle(sc->net, clamp_time(sc, WAIT_IDLE_LIMIT));
  fflush(sc->out);
}

void ns_scenario_set_limit(NsScenario *sc, NsTime limit) {
  g_return_if_fail(sc != NULL);
  sc->limit = limit;
}

gboolean ns_scenario_exec(NsScenario *sc, const char *line, guint lineno,
                          gboolean *quit, GError **error) {
  g_return_val_if_fail(sc != NULL && line != NULL, FALSE);
  ScCmd *cmd = NULL;
  if (quit != NULL)
    *quit = FALSE;
  if (!ns_sc_parse_line(sc->net, line, &cmd, error)) {
    prefix_error(error, NULL, lineno);
    return FALSE;
  }
  if (cmd != NULL) {
    if (uses_log(cmd))
      keep_log(sc); /* from now on: earlier events were not kept */
    gboolean go_on = run_cmd(sc, cmd);
    if (quit != NULL)
      *quit = !go_on;
    ns_sc_cmd_free(cmd);
  }
  return TRUE;
}

guint ns_scenario_passed(const NsScenario *sc) { return sc->passed; }
guint ns_scenario_failed(const NsScenario *sc) { return sc->failed; }

void ns_scenario_finish(NsScenario *sc) {
  fprintf(sc->out, "%u passed, %u failed\n", sc->passed, sc->failed);
  fflush(sc->out);
}

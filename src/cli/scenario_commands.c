/* scenario_commands.c — the table of commands, in the order `help` lists
 * them, and the commands too small for a file of their own: arp flush,
 * wait, print, help, quit.  The others: scenario_ping.c (ping,
 * traceroute), scenario_sockets.c (udp, join, leave, tcp),
 * scenario_show.c, scenario_link.c, expect.c. */
#include "cli/scenario_private.h"
#include "core/i18n.h"

/* ---- arp flush ---------------------------------------------------------- */

/* The other spelling: arp flush NODE. */
static gboolean parse_arp_flush_node(ScParser *p, ScCmd *c) {
  if (!ns_sc_accept(p, "flush"))
    return ns_sc_fail(p, _("'arp' needs 'flush NODE'"));
  return ns_sc_node(p, "'arp flush'", SC_IPNODE, &c->node) && ns_sc_end(p);
}

static void run_arp_flush(ScState *st, const ScCmd *c) {
  ns_ipnode_arp_flush(c->node->ip);
  fprintf(st->out, _("%s: ARP cache flushed\n"), c->node->name);
}

/* ---- wait --------------------------------------------------------------- */

/* How long a bare `wait` may run: no limit but --duration, since every
 * activity ends by itself (a finite count of requests, each answered or
 * timed out), and in fast mode virtual hours cost no wall time. */
#define WAIT_IDLE_LIMIT NS_TIME_NEVER

typedef struct {
  gboolean idle; /* a bare wait: until nothing is left to do */
  NsTime time;   /* else how long */
} WaitArgs;

static gboolean parse_wait(ScParser *p, ScCmd *c) {
  WaitArgs *a = SC_ARGS(c, WaitArgs, NULL);
  a->idle = ns_sc_peek(p) == NULL;
  return a->idle || (ns_sc_time(p, "'wait'", 0, NS_TIME_NEVER - 1, &a->time) &&
                     ns_sc_end(p));
}

/* now + delta, without overflow and not past the limit. */
static NsTime clamp_time(const ScState *st, NsTime delta) {
  return MIN(ns_time_add(ns_net_now(st->net), delta), st->limit);
}

/* Until every activity is done (or the limit), on the clock if any. */
void ns_sc_run_idle(ScState *st) {
  NsTime limit = clamp_time(st, WAIT_IDLE_LIMIT);
  if (st->clock != NULL)
    ns_clock_wait_idle(st->clock, limit);
  else
    ns_net_run_idle(st->net, limit);
}

/* Lets virtual time pass up to t, on the clock if any. */
static void wait_until(ScState *st, NsTime t) {
  if (st->clock != NULL)
    ns_clock_wait_until(st->clock, t);
  else
    ns_net_run_until(st->net, t);
}

static void run_wait(ScState *st, const ScCmd *c) {
  const WaitArgs *a = c->args;
  NsTime now = ns_net_now(st->net);
  if (a->idle) {
    ns_sc_run_idle(st);
  } else if (st->limit == NS_TIME_NEVER && a->time >= NS_TIME_NEVER - now) {
    /* No run limit stops it first: the clock cannot get there. */
    char t[NS_TIME_STRLEN], n[NS_TIME_STRLEN];
    fprintf(st->out,
            _("error: wait %s at %s would pass the end of virtual time "
              "(about 584 years): nothing waited\n"),
            ns_time_format(a->time, t), ns_time_format(now, n));
  } else {
    wait_until(st, clamp_time(st, a->time));
  }
}

/* ---- print, help, quit -------------------------------------------------- */

/* args: the text. */
static gboolean parse_print(ScParser *p, ScCmd *c) {
  c->args = ns_sc_rest(p);
  c->free_args = g_free;
  return TRUE;
}

static void run_print(ScState *st, const ScCmd *c) {
  fprintf(st->out, "%s\n", (const char *)c->args);
}

/* args: the topic, or NULL. */
static gboolean parse_help(ScParser *p, ScCmd *c) {
  c->args = g_strdup(ns_sc_take(p));
  c->free_args = g_free;
  return ns_sc_end(p);
}

static void run_help(ScState *st, const ScCmd *c) {
  ns_sc_print_help(st->out, c->args);
}

static void run_quit(ScState *st, const ScCmd *c) {
  (void)c;
  st->quit = TRUE;
}

/* ---- the table ---------------------------------------------------------- */

/* help: "SYNOPSIS\tABOUT" lines, see ScRow. */
const ScRow ns_sc_commands[] = {
    {.words = "ping",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_ping,
     .run = ns_sc_run_ping,
     .help = "NODE ping DEST [count N] [interval TIME] [timeout TIME] "
             "[size N] [ttl N]"},
    {.words = "traceroute",
     .alias = "trace",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_trace,
     .run = ns_sc_run_trace,
     .help = "NODE traceroute DEST [max-hops N] [probes N] [timeout TIME] "
             "[-n]"},
    {.words = "arp flush",
     .kinds = SC_IPNODE,
     .run = run_arp_flush,
     .help = N_("NODE arp flush\tempty NODE's ARP caches")},
    {.words = "udp send",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_udp_send,
     .run = ns_sc_run_udp_send,
     .help =
         N_("NODE udp send DEST:PORT TEXT|size N\tone datagram (DEST may be "
            "a broadcast or group)")},
    {.words = "udp listen",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_udp_listen,
     .run = ns_sc_run_udp_listen,
     .help = N_("NODE udp listen PORT\tprint and count datagrams to PORT")},
    {.words = "join",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_group_cmd,
     .run = ns_sc_run_join,
     .help = N_("NODE join GROUP\tjoin a multicast group (239.1.1.1)")},
    {.words = "leave",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_group_cmd,
     .run = ns_sc_run_leave,
     .help = N_("NODE leave GROUP\tleave it")},
    {.words = "tcp connect",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_tcp_connect,
     .run = ns_sc_run_tcp_connect,
     .help = N_("NODE tcp connect DEST:PORT\topen NODE's TCP connection")},
    {.words = "tcp send",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_tcp_send,
     .run = ns_sc_run_tcp_send,
     .help = N_("NODE tcp send TEXT|size N\tqueue data on it (\\r \\n in "
                "\"quotes\")")},
    {.words = "tcp close",
     .kinds = SC_IPNODE,
     .run = ns_sc_run_tcp_close,
     .help = N_("NODE tcp close\tFIN after the data")},
    {.words = "tcp abort",
     .kinds = SC_IPNODE,
     .run = ns_sc_run_tcp_abort,
     .help = N_("| NODE tcp abort\tRST now")},
    {.words = "http get",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_http_get,
     .run = ns_sc_run_http_get,
     .help = N_("NODE http get DEST[:PORT] [PATH] [timeout TIME]\tHTTP GET: "
                "status, headers, whole body")},
    {.words = "show",
     .parse = ns_sc_parse_show,
     .run = ns_sc_run_show,
     .table = ns_sc_shows},
    {.words = "link",
     .parse = ns_sc_parse_link,
     .run = ns_sc_run_link,
     .help = "link A B down | link A B up\n"
             "link A B set [loss P] [delay TIME] [rate RATE] [queue N]"},
    {.words = "wait",
     .parse = parse_wait,
     .run = run_wait,
     .help = N_("wait TIME\trun the clock TIME further\n"
                "wait\trun until every ping, traceroute and TCP transfer "
                "ended")},
    {.words = "print",
     .parse = parse_print,
     .run = run_print,
     .help = N_("print TEXT...\techo TEXT")},
    {.words = "expect",
     .parse = ns_sc_parse_expect,
     .run = ns_sc_run_expect,
     .table = ns_sc_expectations},
    {.words = "help",
     .alias = "?",
     .parse = parse_help,
     .run = run_help,
     .help = N_("help [COMMAND]\tthis list")},
    {.words = "quit", .alias = "exit", .run = run_quit, .help = "quit | exit"},
    {.words = "arp", .parse = parse_arp_flush_node, .run = run_arp_flush},
    {0},
};

/* scenario_ping.c — NODE ping DEST [OPTIONS] and NODE traceroute DEST
 * [OPTIONS]: a destination and options, handed to the apps of sim/. */
#include <stddef.h>

#include "cli/scenario_private.h"

/* What ping and traceroute are given. */
typedef struct {
  NsIp4 dst;
  char *dst_name; /* how the user named dst */
  union {
    NsPingOptions ping;
    NsTraceOptions trace;
  } opts;
} ProbeArgs;

static void probe_args_free(gpointer data) {
  ProbeArgs *a = data;
  g_free(a->dst_name);
  g_free(a);
}

#define OPT_UINT(type, field, lo, hi)                                          \
  {                                                                            \
    .name = #field, .min = lo, .max = hi, .offset = offsetof(type, field),     \
    .size = sizeof(((type *)0)->field)                                         \
  }
#define OPT_TIME(type, word, field)                                            \
  {                                                                            \
    .name = word, .is_time = TRUE, .min = NS_USEC, .max = SC_HOUR,             \
    .offset = offsetof(type, field), .size = sizeof(NsTime)                    \
  }

/* DEST OPTIONS..., the options over defaults already in place. */
static gboolean parse_probe(ScParser *p, ScCmd *c, const ScOpt *opts, guint n,
                            ProbeArgs *a) {
  g_autofree char *ctx = g_strdup_printf("'%s'", c->row->words);
  return ns_sc_dest(p, ctx, &a->dst, &a->dst_name) &&
         ns_sc_options(p, c->row->words, opts, n, &a->opts);
}

gboolean ns_sc_parse_ping(ScParser *p, ScCmd *c) {
  /* size: one Ethernet frame, 1500 - 20 (IPv4) - 8 (ICMP); no fragments. */
  static const ScOpt opts[] = {
      OPT_UINT(NsPingOptions, count, 1, 65535),
      OPT_TIME(NsPingOptions, "interval", interval),
      OPT_TIME(NsPingOptions, "timeout", timeout),
      OPT_UINT(NsPingOptions, size, 0, 1472),
      OPT_UINT(NsPingOptions, ttl, 1, 255),
  };
  ProbeArgs *a = SC_ARGS(c, ProbeArgs, probe_args_free);
  a->opts.ping = ns_ping_default_options;
  return parse_probe(p, c, opts, G_N_ELEMENTS(opts), a);
}

void ns_sc_run_ping(ScState *st, const ScCmd *c) {
  const ProbeArgs *a = c->args;
  ns_net_ping(st->net, c->node, a->dst, a->dst_name, &a->opts.ping);
}

gboolean ns_sc_parse_trace(ScParser *p, ScCmd *c) {
  static const ScOpt opts[] = {
      {.name = "max-hops",
       .min = 1,
       .max = 255,
       .offset = offsetof(NsTraceOptions, max_hops),
       .size = sizeof(guint)},
      OPT_UINT(NsTraceOptions, probes, 1, 10),
      OPT_TIME(NsTraceOptions, "timeout", timeout),
      {.name = "-n",
       .offset = offsetof(NsTraceOptions, numeric),
       .size = sizeof(gboolean),
       .is_flag = TRUE},
  };
  ProbeArgs *a = SC_ARGS(c, ProbeArgs, probe_args_free);
  a->opts.trace = ns_trace_default_options;
  return parse_probe(p, c, opts, G_N_ELEMENTS(opts), a);
}

void ns_sc_run_trace(ScState *st, const ScCmd *c) {
  const ProbeArgs *a = c->args;
  ns_net_trace(st->net, c->node, a->dst, a->dst_name, &a->opts.trace);
}

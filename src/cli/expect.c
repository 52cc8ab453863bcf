/* expect.c — the table of expectations, in the order `help` lists them;
 * `expect ...` parsed to one of its rows, run to "ok N - ..." or "not ok N
 * - ... (got ...)"; and the [OP] N they compare.  The rows' own parse and
 * eval functions: expect_node.c (ping, arp, mac, route, traceroute),
 * expect_counter.c, expect_link.c (link, log), expect_sockets.c. */
#include <math.h>
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"

/* help: "SYNOPSIS\tABOUT" lines, see ScRow. */
const ScRow ns_sc_expectations[] = {
    {.words = "ping",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_ping_expect,
     .eval = ns_sc_eval_ping_expect,
     .help = "expect NODE ping replies [OP] N | expect NODE ping loss [OP] "
             "P%"},
    {.words = "arp",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_arp_expect,
     .eval = ns_sc_eval_arp_expect,
     .help = "expect NODE arp has ADDR [mac MAC] | expect NODE arp lacks "
             "ADDR"},
    {.words = "mac",
     .kinds = SC_SWITCH,
     .parse = ns_sc_parse_mac_expect,
     .eval = ns_sc_eval_mac_expect,
     .help = "expect SWITCH mac NODE|NODE:IFACE|MAC port N | ... absent"},
    {.words = "route",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_route_expect,
     .eval = ns_sc_eval_route_expect,
     .help = "expect NODE route DEST via IFACE [gateway IP] | expect NODE "
             "route DEST none"},
    {.words = "traceroute",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_trace_expect,
     .eval = ns_sc_eval_trace_expect,
     .help = "expect NODE traceroute reached | hops [OP] N | hop K ADDR"},
    {.words = "counter",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_ip_counter_expect,
     .eval = ns_sc_eval_counter_expect,
     .help = N_("expect NODE counter NAME [OP] N\tNAME: ip_rx, ..., "
                "eth0.rx_frames, udp.NAME, tcp.NAME, bridge.NAME")},
    {.words = "counter",
     .kinds = SC_SWITCH,
     .parse = ns_sc_parse_switch_counter_expect,
     .eval = ns_sc_eval_counter_expect,
     .help = N_("expect SWITCH counter NAME [OP] N\tNAME: flooded, forwarded, "
                "rx_frames, ..., port.1.rx_frames")},
    {.words = "counter",
     .kinds = SC_VXLAN,
     .parse = ns_sc_parse_vxlan_counter_expect,
     .eval = ns_sc_eval_counter_expect,
     .help = N_("expect VXLAN counter NAME [OP] N\tNAME: vxlan.rx_frames, "
                "..., vxlan0.tx_frames")},
    {.words = "link",
     .parse = ns_sc_parse_link_expect,
     .eval = ns_sc_eval_link_expect,
     .help = N_("expect link A B [dir A] STAT [OP] N\tSTAT: sent, delivered, "
                "drops, drops.loss,\n"
                "\tdrops.queue-full, drops.link-down")},
    {.words = "log",
     .flags = SC_KEEPS_LOG,
     .parse = ns_sc_parse_log_expect,
     .eval = ns_sc_eval_log_expect,
     .help = "expect log contains \"TEXT\" | expect log lacks \"TEXT\""},
    {.words = "tcp",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_tcp_expect,
     .eval = ns_sc_eval_tcp_expect,
     .help = "expect NODE tcp state STATE | tcp received [OP] N [bytes] | "
             "tcp received \"TEXT\" | tcp received echo | tcp lacks \"TEXT\""},
    {.words = "udp",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_udp_expect,
     .eval = ns_sc_eval_udp_expect,
     .help = "expect NODE udp received [OP] N | udp received \"TEXT\""},
    {.words = "http",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_http_expect,
     .eval = ns_sc_eval_http_expect,
     .help = "expect NODE http status [OP] N | http body [lacks] \"TEXT\" | "
             "http error \"TEXT\""},
    {.words = "group",
     .kinds = SC_ANYNODE,
     .parse = ns_sc_parse_group_expect,
     .eval = ns_sc_eval_group_expect,
     .help = "| group GROUP joined|left|on IFACE,...|ports N,..."},
    {.words = "service",
     .kinds = SC_IPNODE,
     .parse = ns_sc_parse_service_expect,
     .eval = ns_sc_eval_service_expect,
     .help = N_("expect NODE service PORT[/tcp|/udp] FIELD [OP] N\tFIELD: "
                "connections, requests, datagrams, bytes_in, ...")},
    {0},
};

/* ---- parsing ------------------------------------------------------------ */

/* expect NODE WHAT ... */
static gboolean parse_node_expect(ScParser *p, ScCmd *c) {
  if (!ns_sc_node(p, "'expect'", SC_ANYNODE | SC_VXLAN, &c->node))
    return FALSE;
  const char *name = c->node->name;
  const char *what = ns_sc_take(p);
  g_autofree char *menu =
      ns_sc_row_menu(ns_sc_expectations, SC_NODE_ROWS, SC_LIST_OR);
  if (what == NULL)
    return ns_sc_fail(p, _("'expect %s' needs %s"), name, menu);
  const ScRow *first = ns_sc_row_lookup(ns_sc_expectations, SC_NODE_ROWS, what);
  if (first == NULL) {
    g_autofree char *near =
        ns_sc_row_closest(ns_sc_expectations, SC_NODE_ROWS, what);
    g_autofree char *hint =
        near != NULL ? g_strdup_printf(_("did you mean '%s'? "), near) : NULL;
    return ns_sc_fail(p, _("unknown expectation '%s' (%sexpected %s)"), what,
                      hint != NULL ? hint : "", menu);
  }
  c->what = ns_sc_row_for_node(first, c->node);
  if (c->what == NULL)
    return ns_sc_fail(p, _("'expect %s %s' needs a %s, but %s is a %s"), name,
                      what,
                      first->kinds == SC_SWITCH  ? _("switch")
                      : first->kinds == SC_VXLAN ? _("vxlan segment")
                                                 : _("host or router"),
                      name, ns_node_kind_word(c->node->kind));
  return c->what->parse(p, c);
}

gboolean ns_sc_parse_expect(ScParser *p, ScCmd *c) {
  const char *w = ns_sc_peek(p);
  if (w == NULL) {
    /* Commas, not bars: a message cuts a word longer than 64 bytes. */
    g_autofree char *on_node =
        ns_sc_row_menu(ns_sc_expectations, SC_NODE_ROWS, SC_LIST_COMMA);
    g_autofree char *plain =
        ns_sc_row_menu(ns_sc_expectations, SC_PLAIN_ROWS, SC_LIST_OR);
    return ns_sc_fail(p,
                      _("'expect' needs something to check: NODE %s, or %s "
                        "(see 'help expect')"),
                      on_node, plain);
  }
  /* expect log ..., expect link ...: unless a node has that name. */
  c->what = ns_sc_row_lookup(ns_sc_expectations, SC_PLAIN_ROWS, w);
  if (c->what == NULL || ns_net_find(p->net, w) != NULL)
    return parse_node_expect(p, c);
  p->pos++;
  return c->what->parse(p, c);
}

char *ns_sc_expect_ctx(const ScCmd *c) {
  return g_strdup_printf("'expect %s %s'", c->node->name, c->what->words);
}

/* ---- running ------------------------------------------------------------ */

void ns_sc_run_expect(ScState *st, const ScCmd *c) {
  GString *got = g_string_new(NULL);
  gboolean ok = c->what->eval(st, c, got);
  st->expects++;
  if (ok) {
    st->passed++;
    fprintf(st->out, "ok %u - %s\n", st->expects, c->text);
  } else {
    st->failed++;
    fprintf(st->out, "not ok %u - %s (got %s)\n", st->expects, c->text,
            got->str);
  }
  g_string_free(got, TRUE);
}

/* ---- [OP] N ------------------------------------------------------------- */

gboolean ns_sc_parse_compare(ScParser *p, const char *ctx, gboolean percent,
                             ScCompare *out) {
  static const struct {
    const char *text;
    ScOp op;
  } ops[] = {{"==", SC_EQ}, {"!=", SC_NE}, {"<=", SC_LE}, {">=", SC_GE},
             {"=", SC_EQ},  {"<", SC_LT},  {">", SC_GT}};
  const char *w = ns_sc_take(p);
  const char *num = w;
  out->op = SC_EQ;
  for (guint i = 0; w != NULL && i < G_N_ELEMENTS(ops); i++)
    if (g_str_has_prefix(w, ops[i].text)) {
      out->op = ops[i].op;
      num = w + strlen(ops[i].text);
      if (*num == '\0')
        num = ns_sc_take(p);
      break;
    }
  /* Whole numbers in decimal only, as counters and ping's loss (rounded
   * down) are: not 0x1, 1.0 or 1e0, and not past the largest counter or
   * 100%. */
  g_autofree char *digits = num != NULL && percent && g_str_has_suffix(num, "%")
                                ? g_strndup(num, strlen(num) - 1)
                                : g_strdup(num);
  guint64 v = 0;
  if (digits == NULL || !g_ascii_isdigit(digits[0]) ||
      !g_ascii_string_to_unsigned(digits, 10, 0, percent ? 100 : G_MAXUINT64,
                                  &v, NULL)) {
    if (num == NULL)
      return ns_sc_fail(p,
                        _("%s needs a %s, optionally after one of = != < <= "
                          "> >=, got nothing"),
                        ctx, percent ? _("percentage") : _("whole number"));
    return ns_sc_fail(p,
                      _("%s needs a %s, optionally after one of = != < <= "
                        "> >=, got '%s'"),
                      ctx,
                      percent ? _("whole percentage up to 100%, such as 25%")
                              : _("whole number"),
                      num);
  }
  out->value = (double)v;
  return ns_sc_end(p);
}

gboolean ns_sc_compare(const ScCompare *cmp, double got) {
  switch (cmp->op) {
  case SC_EQ:
    return got == cmp->value;
  case SC_NE:
    return got != cmp->value;
  case SC_LT:
    return got < cmp->value;
  case SC_LE:
    return got <= cmp->value;
  case SC_GT:
    return got > cmp->value;
  case SC_GE:
    return got >= cmp->value;
  }
  return FALSE;
}

/* scenario_show.c — the table of `show` subcommands: show WHAT [NODE].
 * Each row calls its ns_show_* table (show.h); kinds is the NODE after the
 * word, required unless SC_NODE_OPTIONAL. */
#include "cli/scenario_private.h"
#include "cli/show.h"

static void show_arp(ScState *st, const ScCmd *c) {
  ns_show_arp(st->net, c->node, st->out);
}

static void show_mac(ScState *st, const ScCmd *c) {
  ns_show_mac(st->net, c->node, st->out);
}

static void show_route(ScState *st, const ScCmd *c) {
  ns_show_route(st->net, c->node, st->out);
}

static void show_links(ScState *st, const ScCmd *c) {
  (void)c;
  ns_show_links(st->net, st->out);
}

static void show_stats(ScState *st, const ScCmd *c) {
  ns_show_stats(st->net, c->node, st->out);
}

static void show_nodes(ScState *st, const ScCmd *c) {
  (void)c;
  ns_show_nodes(st->net, st->out);
}

static void show_sockets(ScState *st, const ScCmd *c) {
  ns_show_sockets(st->net, c->node, st->out);
}

static void show_tcp(ScState *st, const ScCmd *c) {
  ns_show_tcp(st->net, c->node, st->out);
}

const ScRow ns_sc_shows[] = {
    {.words = "arp",
     .kinds = SC_IPNODE,
     .run = show_arp,
     .help = "show arp NODE"},
    {.words = "mac",
     .kinds = SC_SWITCH,
     .run = show_mac,
     .help = "| show mac SWITCH"},
    {.words = "route",
     .kinds = SC_IPNODE,
     .run = show_route,
     .help = "| show route NODE"},
    {.words = "links", .run = show_links, .help = "show links"},
    {.words = "stats",
     .kinds = SC_ANYNODE,
     .flags = SC_NODE_OPTIONAL,
     .run = show_stats,
     .help = "| show stats [NODE]"},
    {.words = "nodes", .run = show_nodes, .help = "| show nodes"},
    {.words = "sockets",
     .kinds = SC_IPNODE,
     .flags = SC_NODE_OPTIONAL,
     .run = show_sockets,
     .help = "show sockets [NODE]"},
    {.words = "tcp",
     .kinds = SC_IPNODE,
     .flags = SC_NODE_OPTIONAL,
     .run = show_tcp,
     .help = "| show tcp [NODE]"},
    {0},
};

gboolean ns_sc_parse_show(ScParser *p, ScCmd *c) {
  const char *w = ns_sc_take(p);
  c->what = ns_sc_row_lookup(ns_sc_shows, SC_ALL_ROWS, w);
  if (c->what == NULL) {
    g_autofree char *menu =
        ns_sc_row_menu(ns_sc_shows, SC_ALL_ROWS, SC_LIST_COMMA);
    g_autofree char *g = ns_sc_got(w);
    g_autofree char *hint = ns_sc_did_you_mean(w, ns_sc_shows, SC_ALL_ROWS);
    return ns_sc_fail(p, "'show' needs one of %s, got %s%s", menu, g, hint);
  }
  const ScRow *r = c->what;
  if (r->kinds != 0 &&
      (!(r->flags & SC_NODE_OPTIONAL) || ns_sc_peek(p) != NULL)) {
    g_autofree char *ctx = g_strdup_printf("'show %s'", r->words);
    if (!ns_sc_node(p, ctx, r->kinds, &c->node))
      return FALSE;
  }
  return r->parse != NULL ? r->parse(p, c) : ns_sc_end(p);
}

void ns_sc_run_show(ScState *st, const ScCmd *c) { c->what->run(st, c); }

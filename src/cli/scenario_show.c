/* scenario_show.c — the table of `show` subcommands: show WHAT [NODE].
 * Each row names its ns_show_* report (show.h), which the one text renderer
 * prints; kinds is the NODE after the word, required unless SC_NODE_OPTIONAL.
 */
#include "cli/scenario_private.h"
#include "cli/show.h"

/* show frame ID: the journey id, which ns_sc_run_show hands to the show. */
typedef struct {
  guint64 id;
} ShowFrameArgs;

static gboolean parse_frame_id(ScParser *p, ScCmd *c) {
  ShowFrameArgs *a = SC_ARGS(c, ShowFrameArgs, NULL);
  return ns_sc_uint(p, "'show frame'", 1, G_MAXUINT64, &a->id) && ns_sc_end(p);
}

const ScRow ns_sc_shows[] = {
    {.words = "arp",
     .kinds = SC_IPNODE,
     .show = ns_show_arp,
     .help = "show arp NODE"},
    {.words = "mac",
     .kinds = SC_SWITCH,
     .show = ns_show_mac,
     .help = "| show mac SWITCH"},
    {.words = "route",
     .kinds = SC_IPNODE,
     .show = ns_show_route,
     .help = "| show route NODE"},
    {.words = "links", .show = ns_show_links, .help = "show links"},
    {.words = "stats",
     .kinds = SC_ANYNODE,
     .flags = SC_NODE_OPTIONAL,
     .show = ns_show_stats,
     .help = "| show stats [NODE]"},
    {.words = "nodes", .show = ns_show_nodes, .help = "| show nodes"},
    {.words = "sockets",
     .kinds = SC_IPNODE,
     .flags = SC_NODE_OPTIONAL,
     .show = ns_show_sockets,
     .help = "show sockets [NODE]"},
    {.words = "tcp",
     .kinds = SC_IPNODE,
     .flags = SC_NODE_OPTIONAL,
     .show = ns_show_tcp,
     .help = "| show tcp [NODE]"},
    {.words = "bridges",
     .kinds = SC_BRIDGE,
     .flags = SC_NODE_OPTIONAL,
     .show = ns_show_bridges,
     .help = "| show bridges [BRIDGE]"},
    {.words = "frame",
     .flags = SC_KEEPS_FRAMES,
     .parse = parse_frame_id,
     .show = ns_show_frame,
     .help = "show frame ID\tframe #ID hop by hop: layers and bytes"},
    {.words = "groups",
     .kinds = SC_ANYNODE,
     .show = ns_show_groups,
     .help = "show groups NODE\tmulticast: joined, querier's, snooped"},
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

/* Every show row builds a report; the one text renderer prints it. */
void ns_sc_run_show(ScState *st, const ScCmd *c) {
  const ShowFrameArgs *frame = c->args; /* only show frame has args */
  const NsShowSource src = {st->net, st->bridges, st->frames,
                            frame != NULL ? frame->id : 0};
  NsReport *r = c->what->show(&src, c->node);
  ns_report_print(r, st->out);
  ns_report_free(r);
}

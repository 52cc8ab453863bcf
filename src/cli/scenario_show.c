/* scenario_show.c — the table of `show` subcommands: show WHAT [NODE].
 * Each row names its ns_show_* report (show.h), which the one text renderer
 * prints; kinds is the NODE after the word, required unless SC_NODE_OPTIONAL.
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "core/i18n.h"

/* What follows the word of show frame and show mask, which ns_sc_run_show
 * hands to the show in its NsShowSource. */
typedef struct {
  guint64 id;    /* show frame ID */
  NsPrefix mask; /* show mask ADDR/LEN */
} ShowArgs;

static gboolean parse_frame_id(ScParser *p, ScCmd *c) {
  ShowArgs *a = SC_ARGS(c, ShowArgs, NULL);
  return ns_sc_uint(p, "'show frame'", 1, G_MAXUINT64, &a->id) && ns_sc_end(p);
}

/* The length of a dotted mask, or -1 when its ones are not contiguous
 * from the left (255.0.255.0 is no mask). */
static gint mask_len(NsIp4 mask) {
  guint32 hosts = ~mask.v;
  if ((hosts & (hosts + 1)) != 0)
    return -1;
  gint len = 32;
  for (; hosts != 0; hosts >>= 1)
    len--;
  return len;
}

/* ADDR/LEN, or ADDR MASK (dotted). */
static gboolean parse_mask(ScParser *p, ScCmd *c) {
  ShowArgs *a = SC_ARGS(c, ShowArgs, NULL);
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, _("'show mask' needs ADDR/LEN or ADDR MASK, e.g. "
                           "'show mask 192.168.1.77/26'"));
  g_autoptr(GError) error = NULL;
  if (strchr(w, '/') != NULL || ns_sc_peek(p) == NULL) {
    if (!ns_prefix_parse(w, FALSE, &a->mask, &error))
      return ns_sc_fail(p, _("'show mask': %s"), error->message);
    return ns_sc_end(p);
  }
  NsIp4 mask;
  if (!ns_ip4_parse(w, &a->mask.addr, &error) ||
      !ns_ip4_parse(ns_sc_take(p), &mask, &error))
    return ns_sc_fail(p, _("'show mask': %s"), error->message);
  gint len = mask_len(mask);
  if (len < 0) {
    char m[NS_IP4_STRLEN];
    return ns_sc_fail(p,
                      _("'show mask': %s is not a mask (its ones must come "
                        "first, then only zeros, as in 255.255.255.192)"),
                      ns_ip4_format(mask, m));
  }
  a->mask.len = (guint8)len;
  return ns_sc_end(p);
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
     .kinds = SC_ANYNODE | SC_VXLAN,
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
     .help = N_("show frame ID\tframe #ID hop by hop: layers and bytes")},
    {.words = "groups",
     .kinds = SC_ANYNODE,
     .show = ns_show_groups,
     .help = N_("show groups NODE\tmulticast: joined, querier's, snooped")},
    {.words = "received",
     .kinds = SC_IPNODE,
     .show = ns_show_received,
     .help = N_("show received NODE\tall the bytes its sockets received, as "
                "text")},
    {.words = "mask",
     .parse = parse_mask,
     .show = ns_show_mask,
     .help = N_("show mask ADDR/LEN\tthe mask AND in binary (or ADDR MASK)")},
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
    return ns_sc_fail(p, _("'show' needs one of %s, got %s%s"), menu, g, hint);
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
  const ShowArgs *a = c->args; /* only show frame and show mask have args */
  const NsShowSource src = {st->net, st->bridges, st->frames,
                            a != NULL ? a->id : 0,
                            a != NULL ? a->mask : (NsPrefix){{0}, 0}};
  NsReport *r = c->what->show(&src, c->node);
  ns_report_print(r, st->out);
  ns_report_free(r);
}

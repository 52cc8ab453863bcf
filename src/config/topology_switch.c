/* topology_switch.c — [switch NAME]: a learning switch; each link attached
 * makes a new port.  Hosts and routers name their switch in their own
 * sections; a switch's own `link` key joins it to other switches.
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <stddef.h>

#include "core/units.h"

/* link = SWITCH [params]; SWITCH [params]; ... */
static gboolean load_links(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  (void)row;
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, key);
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    g_auto(GStrv) w = ns_topo_split_words(items[k]);
    if (w[0] == NULL)
      continue; /* "sw2;" */
    LinkDecl d;
    ns_topo_decl_init(&d, idx, -1, key, w[0]);
    if (!ns_topo_parse_params(ld, idx, key, w + 1, &d, NULL)) {
      ns_topo_decl_clear(&d);
      return FALSE;
    }
    g_array_append_val(ld->decls, d);
  }
  return TRUE;
}

static const TopoKey switch_keys[] = {
    {"link", "SWITCH [params]; ...",
     "cables to other switches (hosts and routers name their switch "
     "themselves)",
     .load = load_links},
    {"fdb-size", "N",
     "MAC table capacity, 1-1000000 (default 1024); when full, the entry "
     "seen least recently is evicted",
     .load = ns_topo_load_uint, .field = offsetof(NsTopoNode, fdb_size),
     .min = 1, .max = 1000000},
    {"aging", "TIME",
     "how long a learned MAC stays without being seen again, up to 1000000s "
     "(default 300s)",
     .load = ns_topo_load_time, .field = offsetof(NsTopoNode, aging),
     .max = 1000000 * NS_SEC},
    {"igmp-snooping", "true|false",
     "IGMP snooping (RFC 4541, default true): multicast for a group goes "
     "only to the ports whose hosts reported it and to the querier's "
     "port; false floods it like broadcast",
     .load = ns_topo_load_bool, .field = offsetof(NsTopoNode, igmp_snooping)},
    {.name = NULL},
};

static void describe(const NsTopology *t, guint idx, const GArray *links,
                     GPtrArray *lines) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  char t1[NS_TIME_STRLEN];
  guint ports = 0;
  for (guint k = 0; k < links->len; k++) {
    const NsTopoLink *l =
        &g_array_index(t->links, NsTopoLink, g_array_index(links, guint, k));
    ports += (l->a.node == idx) + (l->b.node == idx);
  }
  g_ptr_array_add(
      lines, g_strdup_printf(
                 ngettext("%u port, MAC table %u entries, aging %s%s",
                          "%u ports, MAC table %u entries, aging %s%s", ports),
                 ports, n->fdb_size, ns_time_format(n->aging, t1),
                 n->igmp_snooping ? "" : _(", no IGMP snooping")));
}

static void init_switch(NsTopoNode *n) { n->igmp_snooping = TRUE; }

static const TopoKey *const switch_tables[] = {switch_keys, NULL};

const TopoKind ns_topo_switch_kind = {
    .kind = NS_NODE_SWITCH,
    .name = N_("switch"), /* translated where a message names the kind */
    .plural = "switches",
    .count_one = N_("%u switch"),
    .count_many = N_("%u switches"),
    .example = "sw1",
    .count_rank = 0,
    .keys = switch_tables,
    .describe = describe,
    .init = init_switch,
};

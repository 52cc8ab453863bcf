/* topology_summary.c — a loaded topology described for --check. */
#include "config/topology_private.h"
#include "core/i18n.h"

#include "core/units.h"
#include "net/link_params.h"

#include <string.h>

/* ---- summary ------------------------------------------------------------- */

static void append_count(GString *s, guint n, const TopoKind *kind,
                         gboolean *first) {
  if (n == 0)
    return;
  if (!*first)
    g_string_append(s, _(", "));
  g_string_append_printf(s, _(n == 1 ? kind->count_one : kind->count_many), n);
  *first = FALSE;
}

/* "2 switches, 1 router, 4 hosts": kinds in count_rank order. */
static void append_counts(GString *s, const NsTopology *t) {
  guint count[NS_NODE_N_KINDS] = {0};
  for (guint i = 0; i < t->nodes->len; i++)
    count[((const NsTopoNode *)g_ptr_array_index(t->nodes, i))->kind]++;
  gboolean first = TRUE;
  for (guint rank = 0; rank < NS_NODE_N_KINDS; rank++)
    for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
      const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
      if (kind->count_rank == rank)
        append_count(s, count[k], kind, &first);
    }
}

/* Per node, the indexes of the links that touch it, in link order: built
 * once, so describing every node takes time linear in the links. */
static GPtrArray *links_per_node(const NsTopology *t) {
  GPtrArray *per =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  for (guint i = 0; i < t->nodes->len; i++)
    g_ptr_array_add(per, g_array_new(FALSE, FALSE, sizeof(guint)));
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    g_array_append_val(g_ptr_array_index(per, l->a.node), k);
    if (l->b.node != l->a.node)
      g_array_append_val(g_ptr_array_index(per, l->b.node), k);
  }
  return per;
}

static void append_nodes(GString *s, const NsTopology *t) {
  int width = 1;
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    width = MAX(width, (int)strlen(n->name));
  }
  g_autoptr(GPtrArray) per = links_per_node(t);
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    ns_topo_kind(n->kind)->describe(t, i, g_ptr_array_index(per, i), lines);
    for (guint j = 0; j < lines->len; j++)
      g_string_append_printf(s, "  %-6s %-*s  %s\n",
                             j == 0 ? ns_node_kind_name(n->kind) : "", width,
                             j == 0 ? n->name : "", (char *)lines->pdata[j]);
  }
}

static void append_links(GString *s, const NsTopology *t) {
  GPtrArray *ends = g_ptr_array_new_with_free_func(g_free);
  int lwidth = 1;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    g_autofree char *a = ns_topo_end_name(t, l->a);
    g_autofree char *b = ns_topo_end_name(t, l->b);
    char *e = g_strdup_printf("%s -- %s", a, b);
    lwidth = MAX(lwidth, (int)strlen(e));
    g_ptr_array_add(ends, e);
  }
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    char d[NS_TIME_STRLEN], r[32];
    g_string_append_printf(s, "  link %-*s  ", lwidth, (char *)ends->pdata[k]);
    g_string_append_printf(s, _("delay %s, rate %s"),
                           ns_time_format(l->params.delay, d),
                           ns_rate_format(l->params.rate_bps, r));
    char loss[NS_LINK_PARAM_STRLEN];
    if (!ns_link_param_equal(NS_LINK_LOSS, &l->params, &ns_link_default_params))
      g_string_append_printf(
          s, _(", loss %s"),
          ns_link_param_format(NS_LINK_LOSS, &l->params, loss));
    g_string_append_printf(s, _(", queue %u"), l->params.queue_limit);
    ns_link_params_append_impairments(s, &l->params);
    g_string_append_c(s, '\n');
  }
  g_ptr_array_unref(ends);
}

char *ns_topology_summary(const NsTopology *t) {
  g_return_val_if_fail(t != NULL, NULL);
  GString *s = g_string_new(NULL);
  g_string_append_printf(
      s, ngettext("%s: %u node (", "%s: %u nodes (", t->nodes->len), t->source,
      t->nodes->len);
  append_counts(s, t);
  g_string_append_printf(
      s, ngettext("), %u link\n", "), %u links\n", t->links->len),
      t->links->len);
  append_nodes(s, t);
  append_links(s, t);
  return g_string_free(s, FALSE);
}

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

/* text, then blanks up to width bytes (printf's %-*s without printf). */
static void append_padded(GString *s, const char *text, gsize width) {
  gsize n = strlen(text);
  g_string_append_len(s, text, (gssize)n);
  for (; n < width; n++)
    g_string_append_c(s, ' ');
}

static void append_nodes(GString *s, const NsTopology *t) {
  gsize width = 1;
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    width = MAX(width, strlen(n->name));
  }
  g_autoptr(GPtrArray) per = links_per_node(t);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    g_ptr_array_set_size(lines, 0);
    ns_topo_kind(n->kind)->describe(t, i, g_ptr_array_index(per, i), lines);
    for (guint j = 0; j < lines->len; j++) {
      g_string_append(s, "  ");
      append_padded(s, j == 0 ? ns_node_kind_name(n->kind) : "", 6);
      g_string_append_c(s, ' ');
      append_padded(s, j == 0 ? n->name : "", width);
      g_string_append(s, "  ");
      g_string_append(s, lines->pdata[j]);
      g_string_append_c(s, '\n');
    }
  }
}

/* What follows a link's ends: "delay 10us, rate 100Mbit, queue 64" and the
 * impairments. */
static void append_params(GString *s, const NsLinkParams *p) {
  char d[NS_TIME_STRLEN], r[32];
  g_string_append_printf(s, _("delay %s, rate %s"), ns_time_format(p->delay, d),
                         ns_rate_format(p->rate_bps, r));
  char loss[NS_LINK_PARAM_STRLEN];
  if (!ns_link_param_equal(NS_LINK_LOSS, p, &ns_link_default_params))
    g_string_append_printf(s, _(", loss %s"),
                           ns_link_param_format(NS_LINK_LOSS, p, loss));
  g_string_append_printf(s, _(", queue %u"), p->queue_limit);
  ns_link_params_append_impairments(s, p);
}

static gsize end_len(const NsTopology *t, NsTopoEnd e) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, e.node);
  gsize len = strlen(n->name);
  if (!port_end(n))
    len += 1 + strlen(iface_at(n, e.iface)->name);
  return len;
}

/* One line per link.  Links mostly share their parameters, so the text
 * of the last parameters written is kept and reused while they repeat. */
static void append_links(GString *s, const NsTopology *t) {
  gsize lwidth = 1;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    lwidth = MAX(lwidth, end_len(t, l->a) + 4 + end_len(t, l->b));
  }
  g_autoptr(GString) params = g_string_new(NULL);
  const NsLinkParams *last = NULL;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    gsize at = s->len;
    g_string_append(s, "  link ");
    ns_topo_append_end_name(s, t, l->a);
    g_string_append(s, " -- ");
    ns_topo_append_end_name(s, t, l->b);
    for (gsize n = s->len - at - 7; n < lwidth; n++)
      g_string_append_c(s, ' ');
    g_string_append(s, "  ");
    if (last != l->params) { /* shared: equal sets are one pointer */
      g_string_truncate(params, 0);
      append_params(params, l->params);
      last = l->params;
    }
    g_string_append_len(s, params->str, (gssize)params->len);
    g_string_append_c(s, '\n');
  }
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

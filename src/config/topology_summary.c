/* topology_summary.c — a loaded topology described for --check. */
#include "config/topology_private.h"

#include "core/units.h"

#include <string.h>

/* ---- summary ------------------------------------------------------------- */

static void append_count(GString *s, guint n, const char *one, const char *many,
                         gboolean *first) {
  if (n == 0)
    return;
  g_string_append_printf(s, "%s%u %s", *first ? "" : ", ", n,
                         n == 1 ? one : many);
  *first = FALSE;
}

/* The far end of the link on iface i of node idx, or NULL. */
static char *iface_peer(const NsTopology *t, guint idx, guint i) {
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    if (l->a.node == idx && l->a.iface == i)
      return ns_topo_end_name(t, l->b);
    if (l->b.node == idx && l->b.iface == i)
      return ns_topo_end_name(t, l->a);
  }
  return NULL;
}

static GPtrArray *node_details(const NsTopology *t, guint idx) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  char a[NS_IP4_STRLEN], p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN],
      t1[NS_TIME_STRLEN], t2[NS_TIME_STRLEN];
  if (n->kind == NS_NODE_SWITCH) {
    guint ports = 0;
    for (guint k = 0; k < t->links->len; k++) {
      const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
      ports += (l->a.node == idx) + (l->b.node == idx);
    }
    g_ptr_array_add(lines,
                    g_strdup_printf("%u port%s, MAC table %u entries, aging %s",
                                    ports, ports == 1 ? "" : "s", n->fdb_size,
                                    ns_time_format(n->aging, t1)));
    return lines;
  }
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s %s", f->name, ns_prefix_format(f->addr, p));
    if (f->has_mac)
      g_string_append_printf(s, " mac %s", ns_mac_format(f->mac, m));
    if (!ns_ip4_is_zero(n->gateway) && ns_prefix_contains(f->addr, n->gateway))
      g_string_append_printf(s, " gw %s", ns_ip4_format(n->gateway, a));
    g_autofree char *peer = iface_peer(t, idx, i);
    if (peer != NULL)
      g_string_append_printf(s, " -> %s", peer);
    else
      g_string_append(s, " (not connected)");
    g_ptr_array_add(lines, g_string_free(s, FALSE));
  }
  for (guint i = 0; i < n->routes->len; i++) {
    const NsTopoRoute *r = &g_array_index(n->routes, NsTopoRoute, i);
    g_ptr_array_add(lines,
                    g_strdup_printf("route %s via %s metric %u",
                                    ns_prefix_format(r->prefix, p),
                                    ns_ip4_format(r->via, a), r->metric));
  }
  const NsArpConfig *d = &ns_arp_default_config;
  if (memcmp(&n->arp, d, sizeof *d) != 0)
    g_ptr_array_add(lines,
                    g_strdup_printf("arp timeout %s, retry every %s, %u "
                                    "requests, cache %u entries",
                                    ns_time_format(n->arp.reachable_time, t1),
                                    ns_time_format(n->arp.retry_interval, t2),
                                    n->arp.retries, n->arp.capacity));
  if (n->services->len > 0) {
    /* ';' as in the file: a tcp-reply text may hold commas. */
    GString *sv = g_string_new("services ");
    for (guint i = 0; i < n->services->len; i++) {
      g_autofree char *f =
          ns_service_spec_format(&g_array_index(n->services, NsServiceSpec, i));
      g_string_append_printf(sv, "%s%s", i ? "; " : "", f);
    }
    g_ptr_array_add(lines, g_string_free(sv, FALSE));
  }
  if (n->tcp_time_wait != 0)
    g_ptr_array_add(lines,
                    g_strdup_printf("tcp time-wait %s",
                                    ns_time_format(n->tcp_time_wait, t1)));
  return lines;
}

char *ns_topology_summary(const NsTopology *t) {
  g_return_val_if_fail(t != NULL, NULL);
  guint count[3] = {0};
  int width = 1;
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    count[n->kind]++;
    width = MAX(width, (int)strlen(n->name));
  }
  GString *s = g_string_new(NULL);
  gboolean first = TRUE;
  g_string_append_printf(s, "%s: %u node%s (", t->source, t->nodes->len,
                         t->nodes->len == 1 ? "" : "s");
  append_count(s, count[NS_NODE_SWITCH], "switch", "switches", &first);
  append_count(s, count[NS_NODE_ROUTER], "router", "routers", &first);
  append_count(s, count[NS_NODE_HOST], "host", "hosts", &first);
  g_string_append_printf(s, "), %u link%s\n", t->links->len,
                         t->links->len == 1 ? "" : "s");
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    g_autoptr(GPtrArray) lines = node_details(t, i);
    for (guint j = 0; j < lines->len; j++) {
      if (j == 0)
        g_string_append_printf(s, "  %-6s %-*s  %s\n",
                               ns_node_kind_name(n->kind), width, n->name,
                               (char *)lines->pdata[j]);
      else
        g_string_append_printf(s, "  %-6s %-*s  %s\n", "", width, "",
                               (char *)lines->pdata[j]);
    }
  }
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
    g_string_append_printf(s, "  link %-*s  delay %s, rate %s", lwidth,
                           (char *)ends->pdata[k],
                           ns_time_format(l->params.delay, d),
                           ns_rate_format(l->params.rate_bps, r));
    if (l->params.loss > 0)
      g_string_append_printf(s, ", loss %g%%", l->params.loss * 100.0);
    g_string_append_printf(s, ", queue %u\n", l->params.queue_limit);
  }
  g_ptr_array_unref(ends);
  return g_string_free(s, FALSE);
}

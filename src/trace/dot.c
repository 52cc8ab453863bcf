/* dot.c — the topology as a Graphviz DOT drawing (see dot.h). */
#include "trace/dot.h"
#include "core/i18n.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "core/units.h"
#include "net/link_params.h"

/* ---- how each kind looks ------------------------------------------------- */

static const NsDotKindStyle kind_styles[NS_NODE_N_KINDS] = {
    [NS_NODE_HOST] = {"box", "#dbe9f6", 2},
    [NS_NODE_SWITCH] = {"box3d", "#e2f0d9", 1},
    [NS_NODE_ROUTER] = {"ellipse", "#fce4d6", 0},
    [NS_NODE_BRIDGE] = {"component", "#ede2f6", 2},
    [NS_NODE_VXLAN] = {"cds", "#fff2cc", 1},
};

const NsDotKindStyle *ns_dot_kind_style(NsNodeKind k) {
  g_return_val_if_fail(k < NS_NODE_N_KINDS, NULL);
  return &kind_styles[k];
}

/* ---- quoting ------------------------------------------------------------- */

/* text as the inside of a DOT quoted string: '"' and '\' escaped (a
 * backslash would otherwise start a label escape such as \N), a newline
 * as DOT's line break, bytes that are not UTF-8 replaced. */
static void append_escaped(GString *s, const char *text) {
  g_autofree char *valid = g_utf8_make_valid(text, -1);
  for (const char *p = valid; *p != '\0'; p++) {
    if (*p == '\n') {
      g_string_append(s, "\\n");
      continue;
    }
    if (*p == '"' || *p == '\\')
      g_string_append_c(s, '\\');
    g_string_append_c(s, *p);
  }
}

static void append_quoted(GString *s, const char *text) {
  g_string_append_c(s, '"');
  append_escaped(s, text);
  g_string_append_c(s, '"');
}

/* ` key="value"`, with ", " before every attribute but the first of a
 * list; lines (NULL-terminated or a GPtrArray's pdata of n) are joined by
 * DOT's line break. */
static void append_attr_lines(GString *s, const char *key, char **lines,
                              guint n, gboolean *first) {
  g_string_append_printf(s, "%s%s=\"", *first ? "" : ", ", key);
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append(s, "\\n");
    append_escaped(s, lines[i]);
  }
  g_string_append_c(s, '"');
  *first = FALSE;
}

static void append_attr(GString *s, const char *key, const char *value,
                        gboolean *first) {
  append_attr_lines(s, key, (char **)&value, 1, first);
}

/* ---- nodes --------------------------------------------------------------- */

static const NsTopoIface *iface_of(const NsTopoNode *n, guint i) {
  return &n->ifaces[i];
}

/* The label's lines: name, interfaces, gateway, bridge rules. */
static GPtrArray *node_lines(const NsTopoNode *n) {
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(lines, g_strdup(n->name));
  for (guint i = 0; i < n->n_ifaces; i++) {
    const NsTopoIface *ifc = iface_of(n, i);
    char p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN];
    g_ptr_array_add(lines, g_strdup_printf("%s %s", ifc->name,
                                           ns_prefix_format(ifc->addr, p)));
    if (ifc->has_mac)
      g_ptr_array_add(lines, g_strdup_printf("%s %s", ifc->name,
                                             ns_mac_format(ifc->mac, m)));
  }
  if (!ns_ip4_is_zero(n->gateway)) {
    char g[NS_IP4_STRLEN];
    g_ptr_array_add(lines,
                    g_strdup_printf("gw %s", ns_ip4_format(n->gateway, g)));
  }
  for (guint j = 0; n->bridge != NULL && j < n->bridge->rules->len; j++) {
    const NsBridgeRule *r = &g_array_index(n->bridge->rules, NsBridgeRule, j);
    g_autofree char *f = ns_bridge_rule_format(r, 0);
    g_ptr_array_add(
        lines,
        g_strdup_printf("%s %s",
                        r->dir == NS_BRIDGE_LISTEN ? "listen" : "connect", f));
  }
  return lines;
}

static void append_node(GString *s, const NsTopoNode *n) {
  const NsDotKindStyle *st = ns_dot_kind_style(n->kind);
  g_autoptr(GPtrArray) lines = node_lines(n);
  gboolean first = TRUE;
  g_string_append(s, "  ");
  append_quoted(s, n->name);
  g_string_append(s, " [");
  append_attr(s, "shape", st->shape, &first);
  append_attr(s, "fillcolor", st->fill, &first);
  append_attr_lines(s, "label", (char **)lines->pdata, lines->len, &first);
  g_string_append(s, "];\n");
}

/* ---- the ends of links --------------------------------------------------- */

/* What the drawing needs to know about the links as a whole. */
typedef struct {
  GArray *ports;     /* guint per link end (2 per link, a then b): its
                        switch port number, 0 when not a switch's */
  GPtrArray *subnet; /* per node: for a switch, the subnets of its
                        segment (a GPtrArray of char*, shared by the
                        segment's switches, owned by its root); else NULL */
} Ends;

static const NsTopoNode *node_of(const NsTopology *t, guint i) {
  return g_ptr_array_index(t->nodes, i);
}

static gboolean is_switch(const NsTopology *t, NsTopoEnd e) {
  return node_of(t, e.node)->kind == NS_NODE_SWITCH;
}

/* Numbers switch ports as sim/ attaches them (see dot.h). */
static GArray *number_ports(const NsTopology *t) {
  g_autofree guint *next = g_new0(guint, t->nodes->len);
  GArray *ports = g_array_new(FALSE, TRUE, sizeof(guint));
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    const NsTopoEnd ends[2] = {l->a, l->b};
    for (guint j = 0; j < 2; j++) {
      guint port = is_switch(t, ends[j]) ? ++next[ends[j].node] : 0;
      g_array_append_val(ports, port);
    }
  }
  return ports;
}

static guint segment_root(const guint *parent, guint i) {
  while (parent[i] != i)
    i = parent[i];
  return i;
}

/* A vxlan segment's end: no interface, no subnet, one cable end. */
static gboolean is_vxlan(const NsTopology *t, NsTopoEnd e) {
  return node_of(t, e.node)->kind == NS_NODE_VXLAN;
}

/* The subnet of an IP node's end: "192.168.1.0/24"; for a vxlan segment
 * what carries it: "vxlan vni 42" (g_free). */
static char *end_subnet(const NsTopology *t, NsTopoEnd e) {
  char p[NS_PREFIX_STRLEN];
  if (is_vxlan(t, e))
    return g_strdup_printf("vxlan vni %u", node_of(t, e.node)->vxlan->vni);
  NsPrefix net =
      ns_prefix_canonical(iface_of(node_of(t, e.node), e.iface)->addr);
  return g_strdup(ns_prefix_format(net, p));
}

static void unref_segment(gpointer list) {
  if (list != NULL)
    g_ptr_array_unref(list);
}

/* Segments: the switches joined by switch-to-switch links; each collects
 * the subnets of the IP ends attached to it, in link order, once each. */
static GPtrArray *segment_subnets(const NsTopology *t) {
  guint n = t->nodes->len;
  g_autofree guint *parent = g_new(guint, n);
  for (guint i = 0; i < n; i++)
    parent[i] = i;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    if (is_switch(t, l->a) && is_switch(t, l->b))
      parent[segment_root(parent, l->a.node)] = segment_root(parent, l->b.node);
  }
  GPtrArray *subnet = g_ptr_array_new_full(n, unref_segment);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add(subnet,
                    node_of(t, i)->kind == NS_NODE_SWITCH && parent[i] == i
                        ? g_ptr_array_new_with_free_func(g_free)
                        : NULL);
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    if (is_switch(t, l->a) == is_switch(t, l->b))
      continue;
    NsTopoEnd sw = is_switch(t, l->a) ? l->a : l->b;
    NsTopoEnd ip = is_switch(t, l->a) ? l->b : l->a;
    if (is_vxlan(t, ip))
      continue;
    GPtrArray *list = subnet->pdata[segment_root(parent, sw.node)];
    char *net = end_subnet(t, ip);
    if (g_ptr_array_find_with_equal_func(list, net, g_str_equal, NULL))
      g_free(net);
    else
      g_ptr_array_add(list, net);
  }
  /* Owned by the roots; every switch looks up its own root's. */
  for (guint i = 0; i < n; i++)
    if (subnet->pdata[i] == NULL && node_of(t, i)->kind == NS_NODE_SWITCH)
      subnet->pdata[i] =
          g_ptr_array_ref(subnet->pdata[segment_root(parent, i)]);
  return subnet;
}

/* "eth0" or "port2": the end's name on its node (g_free). */
static char *end_iface(const NsTopology *t, NsTopoEnd e, guint port) {
  if (port > 0)
    return g_strdup_printf("port%u", port);
  if (is_vxlan(t, e))
    return g_strdup("vxlan0");
  return g_strdup(iface_of(node_of(t, e.node), e.iface)->name);
}

/* ---- links --------------------------------------------------------------- */

/* "delay 1ms, rate 10Mbit/s" for the parameters that are not the
 * defaults, or NULL (g_free). */
static char *params_line(const NsLinkParams *p) {
  const NsLinkParams *d = &ns_link_default_params;
  GString *s = g_string_new(NULL);
  char buf[MAX(NS_TIME_STRLEN, NS_RATE_STRLEN)];
  if (p->delay != d->delay)
    g_string_append_printf(s, ", delay %s", ns_time_format(p->delay, buf));
  if (p->rate_bps != d->rate_bps)
    g_string_append_printf(s, ", rate %s", ns_rate_format(p->rate_bps, buf));
  char loss[NS_LINK_PARAM_STRLEN];
  if (!ns_link_param_equal(NS_LINK_LOSS, p, d))
    g_string_append_printf(s, ", loss %s",
                           ns_link_param_format(NS_LINK_LOSS, p, loss));
  if (p->queue_limit != d->queue_limit)
    g_string_append_printf(s, ", queue %u", p->queue_limit);
  ns_link_params_append_impairments(s, p);
  if (s->len == 0) {
    g_string_free(s, TRUE);
    return NULL;
  }
  g_string_erase(s, 0, 2);
  return g_string_free(s, FALSE);
}

/* The edge label's lines: subnets, then the parameters. */
static GPtrArray *link_lines(const NsTopology *t, const Ends *ends,
                             const NsTopoLink *l) {
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  if (!is_switch(t, l->a) || !is_switch(t, l->b)) {
    g_ptr_array_add(lines, end_subnet(t, is_switch(t, l->a) ? l->b : l->a));
  } else {
    const GPtrArray *seg = ends->subnet->pdata[l->a.node];
    for (guint i = 0; i < seg->len; i++)
      g_ptr_array_add(lines, g_strdup(seg->pdata[i]));
  }
  char *params = params_line(l->params);
  if (params != NULL)
    g_ptr_array_add(lines, params);
  return lines;
}

static void append_link(GString *s, const NsTopology *t, const Ends *ends,
                        guint k) {
  const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
  const NsTopoNode *a = node_of(t, l->a.node), *b = node_of(t, l->b.node);
  g_autofree char *ai =
      end_iface(t, l->a, g_array_index(ends->ports, guint, 2 * k));
  g_autofree char *bi =
      end_iface(t, l->b, g_array_index(ends->ports, guint, 2 * k + 1));
  g_autofree char *tip =
      g_strdup_printf("%s:%s -- %s:%s", a->name, ai, b->name, bi);
  g_autoptr(GPtrArray) lines = link_lines(t, ends, l);
  gboolean swap =
      ns_dot_kind_style(b->kind)->tier < ns_dot_kind_style(a->kind)->tier;
  gboolean first = TRUE;
  g_string_append(s, "  ");
  append_quoted(s, swap ? b->name : a->name);
  g_string_append(s, " -- ");
  append_quoted(s, swap ? a->name : b->name);
  g_string_append(s, " [");
  append_attr(s, "taillabel", swap ? bi : ai, &first);
  append_attr(s, "headlabel", swap ? ai : bi, &first);
  if (lines->len > 0)
    append_attr_lines(s, "label", (char **)lines->pdata, lines->len, &first);
  append_attr(s, "tooltip", tip, &first);
  g_string_append(s, "];\n");
}

/* ---- the graph ----------------------------------------------------------- */

GString *ns_dot_format(const NsTopology *t) {
  g_return_val_if_fail(t != NULL, NULL);
  GString *s = g_string_new("/* drawn by netsim --dot; render with "
                            "dot -Tsvg FILE.dot > FILE.svg */\n"
                            "graph netsim {\n  graph [");
  g_autofree char *base = g_path_get_basename(t->source);
  gboolean first = TRUE;
  append_attr(s, "label", base, &first);
  append_attr(s, "labelloc", "t", &first);
  g_string_append(s, "];\n  node [style=\"filled\"];\n"
                     "  edge [fontsize=\"10\"];\n");
  for (guint i = 0; i < t->nodes->len; i++)
    append_node(s, node_of(t, i));
  Ends ends = {number_ports(t), segment_subnets(t)};
  for (guint k = 0; k < t->links->len; k++)
    append_link(s, t, &ends, k);
  g_array_unref(ends.ports);
  g_ptr_array_unref(ends.subnet);
  g_string_append(s, "}\n");
  return s;
}

gboolean ns_dot_write(const NsTopology *t, const char *path, GError **error) {
  g_return_val_if_fail(t != NULL && path != NULL, FALSE);
  g_autoptr(GString) text = ns_dot_format(t);
  errno = 0;
  FILE *fp = g_fopen(path, "w");
  int err = fp == NULL ? errno : 0;
  if (fp != NULL) {
    if (fwrite(text->str, 1, text->len, fp) != text->len)
      err = errno != 0 ? errno : EIO;
    if (fclose(fp) != 0 && err == 0)
      err = errno;
  }
  if (err == 0)
    return TRUE;
  g_set_error(error, NS_ERROR, NS_ERROR_IO, _("cannot write '%s': %s"), path,
              g_strerror(err));
  return FALSE;
}

/* replay_layout.c — the replay's drawing: where nodes go, and the SVG
 * (see replay_private.h). */
#include "cli/replay_private.h"

#include <math.h>
#include <string.h>

#include "trace/dot.h"

enum { COL_W = 170, ROW_H = 140, MARGIN = 70 };

/* ---- layout -------------------------------------------------------------- */

/* Sort key of a node in its row: the mean x of its neighbours in rows
 * above (placed already), or its index spread over the row when none. */
typedef struct {
  guint node;
  double key;
} Slot;

static int slot_cmp(gconstpointer a, gconstpointer b) {
  const Slot *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

/* The key of node i, whose row is t: the mean x of its neighbours in rows
 * < t, or -1 when it has none there. */
static double neighbour_mean(guint i, guint t, const guint *tier,
                             const guint *ends, guint n_links,
                             const double *x) {
  double sum = 0;
  guint count = 0;
  for (guint k = 0; k < n_links; k++) {
    guint a = ends[2 * k], b = ends[2 * k + 1];
    guint other = a == i ? b : b == i ? a : G_MAXUINT;
    if (other != G_MAXUINT && tier[other] < t) {
      sum += x[other];
      count++;
    }
  }
  return count > 0 ? sum / count : -1;
}

/* Places row t (its members in slots, n of them) centred in width. */
/* Places row t (its members in slots, n of them, gap apart) centred in
 * width. */
static void place_row(Slot *slots, guint n, guint t, double gap, double width,
                      double *x, double *y) {
  qsort(slots, n, sizeof *slots, slot_cmp);
  double left = (width - (double)n * gap) / 2 + gap / 2.0;
  for (guint j = 0; j < n; j++) {
    x[slots[j].node] = left + j * gap;
    y[slots[j].node] = MARGIN + t * ROW_H;
  }
}

/* The space between neighbours in each row: twice as much in a row with a
 * link inside it (routers linked to each other), for the labels of a
 * level line. */
static double *row_gaps(const guint *tier, guint max_tier, const guint *ends,
                        guint n_links) {
  double *gap = g_new(double, max_tier + 1);
  for (guint t = 0; t <= max_tier; t++)
    gap[t] = COL_W;
  for (guint k = 0; k < n_links; k++)
    if (tier[ends[2 * k]] == tier[ends[2 * k + 1]])
      gap[tier[ends[2 * k]]] = 2 * COL_W;
  return gap;
}

void ns_replay_layout(const guint *tier, guint n, const guint *ends,
                      guint n_links, double *x, double *y, double *width,
                      double *height) {
  guint max_tier = 0;
  for (guint i = 0; i < n; i++)
    max_tier = MAX(max_tier, tier[i]);
  g_autofree guint *count = g_new0(guint, max_tier + 1);
  g_autofree double *gap = row_gaps(tier, max_tier, ends, n_links);
  for (guint i = 0; i < n; i++)
    count[tier[i]]++;
  *width = COL_W;
  for (guint t = 0; t <= max_tier; t++)
    *width = MAX(*width, count[t] * gap[t]);
  *width += 40;
  *height = 2.0 * MARGIN + max_tier * ROW_H;
  g_autofree Slot *slots = g_new0(Slot, MAX(n, 1));
  for (guint t = 0; t <= max_tier; t++) {
    guint m = 0;
    for (guint i = 0; i < n; i++) {
      if (tier[i] != t)
        continue;
      double mean = neighbour_mean(i, t, tier, ends, n_links, x);
      /* Nodes with no neighbour above keep their order among the rest:
       * spread them by their rank in the row. */
      slots[m] = (Slot){i, mean >= 0 ? mean : (double)m * gap[t]};
      m++;
    }
    place_row(slots, m, t, gap[t], *width, x, y);
  }
}

/* ---- the drawing --------------------------------------------------------- */

/* text at (x, y), centred on x, or starting (anchor "start") or ending
 * ("end") there. */
static void svg_text_at(GString *out, double x, double y, const char *cls,
                        const char *anchor, const char *text) {
  g_string_append_printf(out,
                         "<text class=\"%s\" x=\"%.0f\" y=\"%.0f\" "
                         "text-anchor=\"%s\">",
                         cls, x, y, anchor);
  ns_replay_html(out, text);
  g_string_append(out, "</text>");
}

static void svg_text(GString *out, double x, double y, const char *cls,
                     const char *text) {
  svg_text_at(out, x, y, cls, "middle", text);
}

/* The shape of a kind around (x, y), filled with its --dot colour. */
static void svg_shape(GString *out, NsNodeKind kind, double x, double y) {
  const char *fill = ns_dot_kind_style(kind)->fill;
  switch (kind) {
  case NS_NODE_ROUTER:
    g_string_append_printf(out,
                           "<circle class=\"shape\" cx=\"%.0f\" cy=\"%.0f\" "
                           "r=\"28\" fill=\"%s\"/>",
                           x, y, fill);
    break;
  case NS_NODE_SWITCH:
    g_string_append_printf(out,
                           "<rect class=\"shape\" x=\"%.0f\" y=\"%.0f\" "
                           "width=\"100\" height=\"44\" rx=\"3\" fill=\"%s\"/>",
                           x - 50, y - 22, fill);
    break;
  case NS_NODE_BRIDGE:
    g_string_append_printf(
        out,
        "<polygon class=\"shape\" points=\"%.0f,%.0f "
        "%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f\" "
        "fill=\"%s\"/>",
        x - 44, y, x - 26, y - 22, x + 26, y - 22, x + 44, y, x + 26, y + 22,
        x - 26, y + 22, fill);
    break;
  default:
    g_string_append_printf(out,
                           "<rect class=\"shape\" x=\"%.0f\" y=\"%.0f\" "
                           "width=\"72\" height=\"44\" rx=\"9\" fill=\"%s\"/>",
                           x - 36, y - 22, fill);
    break;
  }
}

/* The IP interface at nic of node, or NULL (a switch port). */
static NsIpIface *iface_at(NsNetNode *node, const NsNic *nic) {
  for (guint i = 0; node->ip != NULL && i < ns_ipnode_n_ifaces(node->ip); i++)
    if (&ns_ipnode_iface(node->ip, i)->nic == nic)
      return ns_ipnode_iface(node->ip, i);
  return NULL;
}

/* One end's label, 30% of the way from (p[0], p[1]) to the far end
 * (p[2], p[3]): "eth0 192.168.1.10" or "port2".  Beside the line: an
 * upper end's on the side the line leans to, a lower end's on the right
 * (so that the labels of hosts under one switch do not meet), a level
 * line's above it.  Sets *subnet to the end's subnet when it has an
 * address. */
static void svg_end(GString *out, NsNet *net, const NsNetLink *l, guint side,
                    const double *p, NsPrefix *subnet, gboolean *has) {
  NsNetNode *node = ns_net_node(net, side == 0 ? l->a_node : l->b_node);
  const NsNic *nic = ns_link_nic(l->link, side);
  NsIpIface *ifc = iface_at(node, nic);
  double fx = p[0] + (p[2] - p[0]) * 0.3, fy = p[1] + (p[3] - p[1]) * 0.3;
  gboolean level = fabs(p[3] - p[1]) < 1;
  gboolean left = p[3] > p[1] + 1 && p[2] < p[0] - 1;
  g_autofree char *text = NULL;
  if (ifc != NULL && !ns_ip4_is_zero(ifc->addr.addr)) {
    char a[NS_IP4_STRLEN];
    text =
        g_strdup_printf("%s %s", nic->name, ns_ip4_format(ifc->addr.addr, a));
    *subnet = ns_prefix_canonical(ifc->addr);
    *has = TRUE;
  } else {
    text = g_strdup(nic->name);
  }
  if (level)
    svg_text_at(out, fx, fy - 6, "iface", "middle", text);
  else
    svg_text_at(out, fx + (left ? -6 : 6), fy + 4, "iface",
                left ? "end" : "start", text);
}

static void svg_link(GString *out, NsNet *net, guint k, const double *x,
                     const double *y) {
  const NsNetLink *l = ns_net_link(net, k);
  double p[4] = {x[l->a_node], y[l->a_node], x[l->b_node], y[l->b_node]};
  double q[4] = {p[2], p[3], p[0], p[1]};
  g_string_append_printf(out, "<g class=\"link\" id=\"link-%u\"><title>", k);
  ns_replay_html(out, l->a_label);
  g_string_append(out, " -- ");
  ns_replay_html(out, l->b_label);
  g_string_append_printf(out,
                         "</title><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
                         "y2=\"%.0f\"/>",
                         p[0], p[1], p[2], p[3]);
  NsPrefix subnet = {0};
  gboolean has = FALSE;
  svg_end(out, net, l, 0, p, &subnet, &has);
  svg_end(out, net, l, 1, q, &subnet, &has);
  /* A switch's subnets are written once, beside it (svg_node). */
  gboolean to_switch = ns_net_node(net, l->a_node)->sw != NULL ||
                       ns_net_node(net, l->b_node)->sw != NULL;
  if (has && !to_switch) {
    char s[NS_PREFIX_STRLEN];
    /* below a level line, whose end labels are above it */
    double dy = fabs(p[3] - p[1]) < 1 ? 14 : -4;
    svg_text(out, (p[0] + p[2]) / 2, (p[1] + p[3]) / 2 + dy, "subnet",
             ns_prefix_format(subnet, s));
  }
  g_string_append(out, "</g>\n");
}

/* The subnets of the IP ends linked to switch i, in link order, once
 * each: "192.168.1.0/24" ("" when none). */
static char *switch_subnets(NsNet *net, guint i) {
  GString *s = g_string_new(NULL);
  for (guint k = 0; k < ns_net_n_links(net); k++) {
    const NsNetLink *l = ns_net_link(net, k);
    for (guint side = 0; side < 2; side++) {
      guint me = side == 0 ? l->a_node : l->b_node;
      guint other = side == 0 ? l->b_node : l->a_node;
      NsIpIface *ifc =
          iface_at(ns_net_node(net, other), ns_link_nic(l->link, 1 - side));
      if (me != i || ifc == NULL || ns_ip4_is_zero(ifc->addr.addr))
        continue;
      char p[NS_PREFIX_STRLEN];
      ns_prefix_format(ns_prefix_canonical(ifc->addr), p);
      g_autofree char *item = g_strconcat(" ", p, " ", NULL);
      g_autofree char *padded = g_strconcat(" ", s->str, " ", NULL);
      if (strstr(padded, item) == NULL)
        g_string_append_printf(s, "%s%s", s->len > 0 ? " " : "", p);
    }
  }
  return g_string_free(s, FALSE);
}

static void svg_node(GString *out, NsNet *net, guint i, double x, double y) {
  NsNetNode *node = ns_net_node(net, i);
  g_string_append_printf(out, "<g class=\"node %s\" id=\"node-%u\"><title>",
                         ns_node_kind_name(node->kind), i);
  ns_replay_html(out, node->name);
  g_string_append(out, "</title>");
  svg_shape(out, node->kind, x, y);
  /* a switch's subnets under its name, inside its box */
  g_autofree char *subnets = node->sw != NULL ? switch_subnets(net, i) : NULL;
  svg_text(out, x, y + (subnets != NULL && subnets[0] != '\0' ? -2 : 5), "name",
           node->name);
  if (subnets != NULL && subnets[0] != '\0')
    svg_text(out, x, y + 13, "subnet", subnets);
  g_string_append(out, "</g>\n");
}

void ns_replay_svg(GString *out, NsNet *net, double *x, double *y) {
  guint n = ns_net_n_nodes(net), nl = ns_net_n_links(net);
  g_autofree guint *tier = g_new0(guint, MAX(n, 1));
  g_autofree guint *ends = g_new0(guint, 2 * MAX(nl, 1));
  for (guint i = 0; i < n; i++)
    tier[i] = ns_dot_kind_style(ns_net_node(net, i)->kind)->tier;
  for (guint k = 0; k < nl; k++) {
    ends[2 * k] = ns_net_link(net, k)->a_node;
    ends[2 * k + 1] = ns_net_link(net, k)->b_node;
  }
  double w, h;
  ns_replay_layout(tier, n, ends, nl, x, y, &w, &h);
  g_string_append_printf(
      out,
      "<svg id=\"topo\" xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
      "style=\"max-width: %.0fpx\">\n",
      w, h, w);
  for (guint k = 0; k < nl; k++)
    svg_link(out, net, k, x, y);
  for (guint i = 0; i < n; i++)
    svg_node(out, net, i, x[i], y[i]);
  g_string_append(out, "<circle id=\"packet\" r=\"8\" cx=\"-20\" "
                       "cy=\"-20\"/>\n</svg>");
}

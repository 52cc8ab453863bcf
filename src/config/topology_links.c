/* topology_links.c — link declarations made links: each peer resolved to
 * a node (and interface), a link declared from both ends merged into one,
 * an interface taken twice, a loop of switches or a direct cable across
 * subnets refused.
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include "net/link_params.h"

#include <string.h>

/* ---- declarations and ends ---------------------------------------------- */

void ns_topo_decl_init(LinkDecl *d, guint idx, gint iface, const char *key,
                       const char *peer) {
  *d = (LinkDecl){.node = idx,
                  .iface = iface,
                  .key = g_strdup(key),
                  .peer = g_strdup(peer),
                  .params = ns_link_default_params};
}

void ns_topo_decl_clear(LinkDecl *d) {
  g_free(d->key);
  g_free(d->peer);
}

/* "r1:eth0" or "sw1". */
void ns_topo_append_end_name(GString *s, const NsTopology *t, NsTopoEnd e) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, e.node);
  g_string_append(s, n->name);
  if (!port_end(n)) {
    g_string_append_c(s, ':');
    g_string_append(s, iface_at(n, e.iface)->name);
  }
}

char *ns_topo_end_name(const NsTopology *t, NsTopoEnd e) {
  GString *s = g_string_new(NULL);
  ns_topo_append_end_name(s, t, e);
  return g_string_free(s, FALSE);
}

/* ---- links --------------------------------------------------------------- */

/* Resolves d->peer to an end; errors name d's section and key. */
static gboolean resolve_peer(Loader *ld, const LinkDecl *d, NsTopoEnd *out,
                             gboolean *is_switch) {
  const char *sec = section_of(ld, d->node);
  const NsTopoNode *self = node_at(ld, d->node);
  const char *colon = strchr(d->peer, ':');
  g_autofree char *name =
      colon ? g_strndup(d->peer, (gsize)(colon - d->peer)) : g_strdup(d->peer);
  if (!ns_topo_is_name(name) || (colon && !ns_topo_is_iface_name(colon + 1)))
    return ns_topo_fail(
        ld, NS_ERROR_PARSE, sec, d->key,
        _("'%s' is not a peer (expected a switch name such as sw1, or "
          "NODE:IFACE such as r1:eth0)"),
        d->peer);
  gpointer p = g_hash_table_lookup(ld->byname, name);
  if (p == NULL)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, d->key,
                        _("no node named '%s'"), name);
  guint idx = GPOINTER_TO_UINT(p) - 1;
  const NsTopoNode *peer = node_at(ld, idx);
  const char *kind = ns_node_kind_word(peer->kind);
  if (idx == d->node)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, d->key,
                        _("links %s to itself (expected another node)"), name);
  if (peer->kind == NS_NODE_VXLAN)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, d->key,
        _("'%s' is a vxlan segment (expected a switch or NODE:IFACE: a "
          "segment names its switch itself, with link = SWITCH in [vxlan "
          "%s])"),
        name, name);
  if (self->kind == NS_NODE_VXLAN && peer->kind != NS_NODE_SWITCH)
    return ns_topo_fail(ld, NS_ERROR_INVALID, sec, d->key,
                        _("'%s' is a %s (expected a switch: a vxlan segment "
                          "plugs into a switch port)"),
                        name, kind);
  if (self->kind == NS_NODE_SWITCH && peer->kind != NS_NODE_SWITCH)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, d->key,
        _("'%s' is a %s (expected another switch: hosts and routers "
          "name their switch in their own section)"),
        name, kind);
  *out = (NsTopoEnd){.node = idx, .iface = 0};
  *is_switch = peer->kind == NS_NODE_SWITCH;
  if (*is_switch) {
    if (colon != NULL)
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, sec, d->key,
          _("'%s': a switch has no named interfaces (expected just %s)"),
          d->peer, name);
    return TRUE;
  }
  if (colon == NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, d->key,
        _("'%s' is a %s: name its interface (expected %s:IFACE, such as "
          "%s:%s)"),
        name, kind, name, name,
        peer->n_ifaces ? iface_at(peer, 0)->name : "eth0");
  gint at = ns_topo_iface_named(ld, idx, colon + 1);
  if (at >= 0) {
    out->iface = (guint)at;
    return TRUE;
  }
  GString *has = g_string_new(NULL);
  for (guint i = 0; i < peer->n_ifaces; i++)
    g_string_append_printf(has, "%s%s", i ? ", " : "", iface_at(peer, i)->name);
  ns_topo_fail(ld, NS_ERROR_INVALID, sec, d->key,
               _("%s %s has no interface '%s' (it has %s)"), kind, name,
               colon + 1, has->str);
  g_string_free(has, TRUE);
  return FALSE;
}

static guint uf_find(Loader *ld, guint i) {
  guint *parent = (guint *)ld->uf->data;
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/* A second declaration of link li (from its other end): merges the
 * parameters, which must agree where both ends give them. */
static gboolean merge_decl(Loader *ld, const LinkDecl *d, guint li) {
  NsLinkParams *lp = &g_array_index(ld->link_params, NsLinkParams, li);
  guint *given = &g_array_index(ld->link_given, guint, li);
  const LinkDecl *first = &g_array_index(
      ld->decls, LinkDecl, g_array_index(ld->link_decl, guint, li));
  for (guint k = 0; k < NS_LINK_N_PARAMS; k++) {
    if (!(d->given & *given & (1u << k)) ||
        ns_link_param_equal(k, &d->params, lp))
      continue;
    char mine[NS_LINK_PARAM_STRLEN], theirs[NS_LINK_PARAM_STRLEN];
    const char *name = ns_link_param_name(k);
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
        _("%s=%s differs from %s=%s given in [%s] %s (expected the "
          "same value at both ends, or give it at one end only)"),
        name, ns_link_param_format(k, &d->params, mine), name,
        ns_link_param_format(k, lp, theirs), section_of(ld, first->node),
        first->key);
  }
  for (guint k = 0; k < NS_LINK_N_PARAMS; k++)
    if (d->given & (1u << k))
      ns_link_param_copy(k, lp, &d->params);
  *given |= d->given;
  return TRUE;
}

static gint link_of(const Loader *ld, NsTopoEnd e) {
  if (port_end(node_at(ld, e.node)))
    return -1;
  return g_array_index(state_at(ld, e.node)->iface_link, gint, e.iface);
}

static gboolean same_end(const NsTopology *t, NsTopoEnd x, NsTopoEnd y) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, x.node);
  return x.node == y.node && (port_end(n) || x.iface == y.iface);
}

/* Fails because end e is taken by link li (seen from the declaring d). */
static gboolean fail_taken(Loader *ld, const LinkDecl *d, NsTopoEnd e,
                           guint li) {
  const NsTopoLink *l = &g_array_index(ld->t->links, NsTopoLink, li);
  const LinkDecl *first = &g_array_index(
      ld->decls, LinkDecl, g_array_index(ld->link_decl, guint, li));
  NsTopoEnd other = same_end(ld->t, l->a, e) ? l->b : l->a;
  g_autofree char *en = ns_topo_end_name(ld->t, e);
  g_autofree char *on = ns_topo_end_name(ld->t, other);
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
      _("%s is already connected to %s (by [%s] %s; expected at most "
        "one link per interface)"),
      en, on, section_of(ld, first->node), first->key);
}

/* The link between switches x and y (either way round), or -1; with
 * li >= 0, records link li as theirs. */
static gint switch_pair(Loader *ld, guint x, guint y, gint li) {
  guint64 key = (guint64)MIN(x, y) << 32 | MAX(x, y);
  if (ld->switch_pairs == NULL)
    ld->switch_pairs =
        g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  if (li >= 0) {
    g_hash_table_insert(ld->switch_pairs, g_memdup2(&key, sizeof key),
                        GINT_TO_POINTER(li + 1));
    return li;
  }
  return GPOINTER_TO_INT(g_hash_table_lookup(ld->switch_pairs, &key)) - 1;
}

/* Whether segment a's frames reach segment b: a sends to b's local
 * address and port, with the same VNI, and b takes datagrams from a's
 * address.  0.0.0.0 (any) matches every address; a port bound at run
 * time (0) is not known here. */
static gboolean vxlan_carries(const NsTopoVxlan *a, const NsTopoVxlan *b) {
  if (a->vni != b->vni || b->local_port == 0)
    return FALSE;
  gboolean sends = FALSE, takes = FALSE;
  for (guint i = 0; i < a->remotes->len && !sends; i++) {
    const NsVxlanRemote *r = &g_array_index(a->remotes, NsVxlanRemote, i);
    sends = r->port == b->local_port && (ns_ip4_equal(r->addr, b->local_addr) ||
                                         ns_ip4_is_zero(b->local_addr));
  }
  for (guint i = 0; i < b->remotes->len && !takes; i++) {
    const NsVxlanRemote *r = &g_array_index(b->remotes, NsVxlanRemote, i);
    takes =
        ns_ip4_equal(r->addr, a->local_addr) || ns_ip4_is_zero(a->local_addr);
  }
  return sends && takes;
}

gboolean ns_topo_check_vxlan_loops(Loader *ld) {
  const NsTopology *t = ld->t;
  /* Each segment and the switch its cable plugs into. */
  g_autoptr(GArray) seg = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) sw = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < t->links->len; i++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, i);
    for (guint side = 0; side < 2; side++) {
      const NsTopoEnd *me = side ? &l->b : &l->a, *far = side ? &l->a : &l->b;
      if (node_at(ld, me->node)->kind == NS_NODE_VXLAN) {
        g_array_append_val(seg, me->node);
        g_array_append_val(sw, far->node);
      }
    }
  }
  /* A pair carrying frames either way is one cable between switches. */
  for (guint i = 0; i < seg->len; i++)
    for (guint j = i + 1; j < seg->len; j++) {
      guint a = g_array_index(seg, guint, i), b = g_array_index(seg, guint, j);
      const NsTopoVxlan *va = node_at(ld, a)->vxlan,
                        *vb = node_at(ld, b)->vxlan;
      if (!vxlan_carries(va, vb) && !vxlan_carries(vb, va))
        continue;
      guint sa = g_array_index(sw, guint, i), sb = g_array_index(sw, guint, j);
      guint ra = uf_find(ld, sa), rb = uf_find(ld, sb);
      if (sa == sb)
        return ns_topo_fail(
            ld, NS_ERROR_INVALID, section_of(ld, a), "remote",
            _("joins [%s] (vni %u), which plugs into the same switch %s: a "
              "broadcast would circle forever through the two segments "
              "(expected no loop, as between switches)"),
            section_of(ld, b), va->vni, node_at(ld, sa)->name);
      if (ra == rb)
        return ns_topo_fail(
            ld, NS_ERROR_INVALID, section_of(ld, a), "remote",
            _("joins [%s] (vni %u), whose switch %s is already connected to "
              "%s: a broadcast would circle forever through the two segments "
              "(expected no loop, as between switches)"),
            section_of(ld, b), va->vni, node_at(ld, sb)->name,
            node_at(ld, sa)->name);
      g_array_index(ld->uf, guint, ra) = rb;
    }
  return TRUE;
}

gboolean ns_topo_add_link(Loader *ld, guint di) {
  const LinkDecl *d = &g_array_index(ld->decls, LinkDecl, di);
  const NsTopology *t = ld->t;
  NsTopoEnd a = {.node = d->node, .iface = d->iface < 0 ? 0 : (guint)d->iface};
  NsTopoEnd b = {0};
  gboolean b_switch = FALSE;
  if (!resolve_peer(ld, d, &b, &b_switch))
    return FALSE;
  gboolean a_switch = d->iface < 0;
  gint la = link_of(ld, a), lb = link_of(ld, b);
  if (la >= 0) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, la);
    NsTopoEnd other = same_end(t, l->a, a) ? l->b : l->a;
    if (same_end(t, other, b))
      return merge_decl(ld, d, (guint)la); /* the same cable, other end */
    return fail_taken(ld, d, a, (guint)la);
  }
  if (lb >= 0)
    return fail_taken(ld, d, b, (guint)lb);
  if (a_switch && b_switch) {
    gint i = switch_pair(ld, a.node, b.node, -1);
    if (i >= 0) {
      const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, i);
      if (l->a.node == a.node)
        return ns_topo_fail(
            ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
            _("%s is listed twice (expected one link between two "
              "switches: a second one would make a loop)"),
            node_at(ld, b.node)->name);
      return merge_decl(ld, d, (guint)i);
    }
    guint ra = uf_find(ld, a.node), rb = uf_find(ld, b.node);
    if (ra == rb)
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
          _("linking %s to %s would close a loop (they are already "
            "connected through other switches; without spanning tree a "
            "broadcast would circle forever)"),
          node_at(ld, a.node)->name, node_at(ld, b.node)->name);
    g_array_index(ld->uf, guint, ra) = rb;
    switch_pair(ld, a.node, b.node, (gint)t->links->len);
  }
  if (!a_switch && !b_switch) {
    const NsTopoIface *fa = iface_at(node_at(ld, a.node), a.iface);
    const NsTopoIface *fb = iface_at(node_at(ld, b.node), b.iface);
    if (fa->addr.len != fb->addr.len ||
        !ns_prefix_contains(fa->addr, fb->addr.addr)) {
      char p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN];
      g_autofree char *bn = ns_topo_end_name(t, b);
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
          _("%s and %s %s are not in the same subnet (expected both "
            "ends of a direct cable in one subnet)"),
          ns_prefix_format(fa->addr, p1), bn, ns_prefix_format(fb->addr, p2));
    }
  }
  NsTopoLink l = {.a = a, .b = b, .params = NULL}; /* set by the loader */
  guint li = t->links->len;
  g_array_append_val(t->links, l);
  g_array_append_val(ld->link_params, d->params);
  g_array_append_val(ld->link_decl, di);
  g_array_append_val(ld->link_given, d->given);
  if (!a_switch)
    g_array_index(state_at(ld, a.node)->iface_link, gint, a.iface) = (gint)li;
  if (!b_switch)
    g_array_index(state_at(ld, b.node)->iface_link, gint, b.iface) = (gint)li;
  return TRUE;
}

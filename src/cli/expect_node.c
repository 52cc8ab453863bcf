/* expect_node.c — what a node's tables and apps say, one parse/eval pair
 * per row:
 *
 *   expect NODE ping replies [OP] N | loss [OP] P%    its last ping
 *   expect NODE arp has ADDR [mac MAC] | lacks ADDR   its ARP caches
 *   expect SWITCH mac NODE|NODE:IFACE|MAC port N | absent   its MAC table
 *   expect NODE route DEST via IFACE [gateway IP] | none    a lookup
 *   expect NODE traceroute reached | hops [OP] N | hop K ADDR
 *
 * ADDR is a node (any of its addresses), an IPv4 address or NODE:IFACE.
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"

/* An address to match: any address of who when set, else ip. */
typedef struct {
  NsNetNode *who;
  NsIp4 ip;
} Addr;

static gboolean parse_addr(ScParser *p, const char *ctx, Addr *out) {
  const char *w = ns_sc_peek(p);
  NsNetNode *n = w != NULL ? ns_net_find(p->net, w) : NULL;
  if (n == NULL)
    return ns_sc_dest(p, ctx, &out->ip, NULL);
  if (n->ip == NULL)
    return ns_sc_fail(p, _("%s: %s is a switch and has no IP address"), ctx, w);
  out->who = n;
  p->pos++;
  return TRUE;
}

static gboolean addr_matches(const Addr *a, NsIp4 ip) {
  if (a->who == NULL)
    return ns_ip4_equal(a->ip, ip);
  for (guint i = 0; i < ns_ipnode_n_ifaces(a->who->ip); i++)
    if (ns_ip4_equal(ns_ipnode_iface(a->who->ip, i)->addr.addr, ip))
      return TRUE;
  return FALSE;
}

static void describe_ip(NsNet *net, NsIp4 ip, GString *got) {
  char a[NS_IP4_STRLEN];
  const char *name = ns_net_name_of(net, ip);
  g_string_append(got, ns_ip4_format(ip, a));
  if (name != NULL)
    g_string_append_printf(got, " (%s)", name);
}

/* ---- ping --------------------------------------------------------------- */

typedef struct {
  gboolean loss; /* loss P%, else replies N */
  ScCompare cmp;
} PingExpect;

gboolean ns_sc_parse_ping_expect(ScParser *p, ScCmd *c) {
  PingExpect *a = SC_ARGS(c, PingExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (ns_sc_accept(p, "replies"))
    return ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
  a->loss = TRUE;
  if (ns_sc_accept(p, "loss"))
    return ns_sc_parse_compare(p, ctx, TRUE, &a->cmp);
  return ns_sc_fail(p, _("%s needs replies or loss"), ctx);
}

gboolean ns_sc_eval_ping_expect(const ScState *st, const ScCmd *c,
                                GString *got) {
  const PingExpect *a = c->args;
  const NsPing *ping = c->node->last_ping;
  (void)st;
  if (ping == NULL) {
    g_string_append_printf(got, "no ping was started on %s", c->node->name);
    return FALSE;
  }
  const NsPingStats *s = ns_ping_stats(ping);
  gboolean ok;
  if (!a->loss) {
    g_string_append_printf(got, "%u", s->received);
    ok = ns_sc_compare(&a->cmp, s->received);
  } else if (s->transmitted == 0) {
    g_string_append(got, "no request sent yet");
    return FALSE;
  } else {
    /* The same whole percentage ping prints (rounded down, as ping(8)). */
    guint loss = (s->transmitted - MIN(s->received, s->transmitted)) * 100 /
                 s->transmitted;
    g_string_append_printf(got, "%u%% (%u sent, %u received)", loss,
                           s->transmitted, s->received);
    ok = ns_sc_compare(&a->cmp, loss);
  }
  /* The usual slip: expecting before the ping had time to finish. */
  if (!ok && !s->done)
    g_string_append(got, "; the ping is still running: put 'wait' before "
                         "this expect");
  return ok;
}

/* ---- arp ---------------------------------------------------------------- */

typedef struct {
  gboolean lacks; /* lacks ADDR, else has ADDR */
  Addr addr;
  gboolean has_mac; /* has ... mac M */
  NsMac mac;
} ArpExpect;

gboolean ns_sc_parse_arp_expect(ScParser *p, ScCmd *c) {
  ArpExpect *a = SC_ARGS(c, ArpExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (ns_sc_accept(p, "lacks")) {
    a->lacks = TRUE;
    return parse_addr(p, ctx, &a->addr) && ns_sc_end(p);
  }
  if (!ns_sc_accept(p, "has"))
    return ns_sc_fail(p, _("%s needs has or lacks"), ctx);
  if (!parse_addr(p, ctx, &a->addr))
    return FALSE;
  if (ns_sc_accept(p, "mac")) {
    const char *m = ns_sc_take(p);
    if (m == NULL || !ns_mac_parse(m, &a->mac, NULL))
      return ns_sc_fail(p,
                        _("'mac' needs a MAC address such as "
                          "02:00:00:00:00:01, got %s%s%s"),
                        m ? "'" : "", m ? m : _("nothing"), m ? "'" : "");
    a->has_mac = TRUE;
  }
  return ns_sc_end(p);
}

/* Looks for a matching ARP entry; returns the best one found (REACHABLE
 * first), NULL if none. */
static const NsArpEntry *find_arp(NsNet *net, NsNetNode *n,
                                  const ArpExpect *a) {
  const NsArpEntry *best = NULL;
  NsTime now = ns_net_now(net);
  for (guint i = 0; i < ns_ipnode_n_ifaces(n->ip); i++) {
    GPtrArray *es = ns_arp_cache_entries(ns_ipnode_iface(n->ip, i)->arp, now);
    for (guint j = 0; j < es->len; j++) {
      const NsArpEntry *e = g_ptr_array_index(es, j);
      if (!addr_matches(&a->addr, e->ip))
        continue;
      if (best == NULL || (e->state == NS_ARP_REACHABLE &&
                           (!a->has_mac || ns_mac_equal(e->mac, a->mac))))
        best = e;
    }
    g_ptr_array_unref(es);
  }
  return best;
}

static void describe_arp(const NsArpEntry *e, GString *got) {
  char a[NS_IP4_STRLEN], m[NS_MAC_STRLEN];
  if (e == NULL)
    g_string_append(got, "no entry");
  else if (e->state == NS_ARP_REACHABLE)
    g_string_append_printf(got, "%s at %s", ns_ip4_format(e->ip, a),
                           ns_mac_format(e->mac, m));
  else
    g_string_append_printf(got, "%s %s", ns_ip4_format(e->ip, a),
                           ns_arp_state_name(e->state));
}

gboolean ns_sc_eval_arp_expect(const ScState *st, const ScCmd *c,
                               GString *got) {
  const ArpExpect *a = c->args;
  const NsArpEntry *e = find_arp(st->net, c->node, a);
  gboolean has = e != NULL && e->state == NS_ARP_REACHABLE &&
                 (!a->has_mac || ns_mac_equal(e->mac, a->mac));
  describe_arp(e, got);
  return a->lacks ? !has : has;
}

/* ---- mac ---------------------------------------------------------------- */

typedef struct {
  NsMac mac;
  gboolean absent; /* absent, else port N */
  guint port;
} MacExpect;

/* The interface of n cabled straight to switch sw, or NULL. */
static NsIpIface *iface_towards(NsNetNode *n, NsNetNode *sw) {
  for (guint i = 0; i < ns_ipnode_n_ifaces(n->ip); i++) {
    NsIpIface *ifc = ns_ipnode_iface(n->ip, i);
    if (ifc->nic.link == NULL)
      continue;
    const NsNic *peer = ns_link_peer(ifc->nic.link, &ifc->nic);
    if (strcmp(peer->node, sw->name) == 0)
      return ifc;
  }
  return NULL;
}

/* The interface a node NAME or NODE:IFACE names, as seen from switch sw. */
static gboolean parse_mac_iface(ScParser *p, NsNetNode *sw, NsNetNode *n,
                                const char *ifname, NsIpIface **out) {
  if (n->ip == NULL)
    return ns_sc_fail(p, _("%s is a switch: its ports have no MAC address"),
                      n->name);
  if (ifname != NULL) {
    *out = ns_ipnode_find_iface(n->ip, ifname);
    if (*out == NULL)
      return ns_sc_fail(p, _("%s has no interface '%s'"), n->name, ifname);
    return TRUE;
  }
  *out = iface_towards(n, sw);
  if (*out == NULL && ns_ipnode_n_ifaces(n->ip) == 1)
    *out = ns_ipnode_iface(n->ip, 0);
  if (*out == NULL)
    return ns_sc_fail(p,
                      _("%s has several interfaces and none is cabled to "
                        "%s: name one, such as %s:%s"),
                      n->name, sw->name, n->name,
                      ns_ipnode_iface(n->ip, 0)->nic.name);
  return TRUE;
}

/* A MAC in sw's table: a MAC address, NODE:IFACE, or a node (its
 * interface cabled to sw, or its only interface). */
static gboolean parse_mac(ScParser *p, NsNetNode *sw, NsMac *out) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p,
                      _("'expect %s mac' needs a MAC address or a node "
                        "name, got nothing"),
                      sw->name);
  if (ns_mac_parse(w, out, NULL))
    return TRUE;
  g_auto(GStrv) parts = g_strsplit(w, ":", 2);
  NsNetNode *n = ns_net_find(p->net, parts[0]);
  if (n == NULL)
    return ns_sc_fail(p,
                      _("'expect %s mac' needs a MAC address (such as "
                        "02:00:00:00:00:01) or a node name, got '%s'"),
                      sw->name, w);
  NsIpIface *ifc;
  if (!parse_mac_iface(p, sw, n, parts[1], &ifc))
    return FALSE;
  *out = ifc->nic.mac;
  return TRUE;
}

gboolean ns_sc_parse_mac_expect(ScParser *p, ScCmd *c) {
  MacExpect *a = SC_ARGS(c, MacExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (!parse_mac(p, c->node, &a->mac))
    return FALSE;
  guint64 port;
  if (ns_sc_accept(p, "absent")) {
    a->absent = TRUE;
  } else if (ns_sc_accept(p, "port")) {
    if (!ns_sc_uint(p, "'port'", 1, ns_switch_n_ports(c->node->sw), &port))
      return FALSE;
    a->port = (guint)port;
  } else {
    return ns_sc_fail(p, _("%s needs 'port N' or 'absent' after the MAC"), ctx);
  }
  return ns_sc_end(p);
}

gboolean ns_sc_eval_mac_expect(const ScState *st, const ScCmd *c,
                               GString *got) {
  const MacExpect *a = c->args;
  GArray *es = ns_fdb_entries(ns_switch_fdb(c->node->sw), ns_net_now(st->net));
  guint port = 0;
  for (guint i = 0; i < es->len; i++)
    if (ns_mac_equal(g_array_index(es, NsFdbEntry, i).mac, a->mac))
      port = g_array_index(es, NsFdbEntry, i).port;
  g_array_unref(es);
  if (port == 0)
    g_string_append(got, "absent");
  else
    g_string_append_printf(got, "port %u", port);
  return a->absent ? port == 0 : port == a->port;
}

/* ---- route -------------------------------------------------------------- */

typedef struct {
  NsIp4 dst;
  gboolean none; /* none, else via IFACE */
  char *iface;
  gboolean has_gateway;
  NsIp4 gateway;
} RouteExpect;

static void route_expect_free(gpointer data) {
  RouteExpect *a = data;
  g_free(a->iface);
  g_free(a);
}

gboolean ns_sc_parse_route_expect(ScParser *p, ScCmd *c) {
  RouteExpect *a = SC_ARGS(c, RouteExpect, route_expect_free);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (!ns_sc_dest(p, ctx, &a->dst, NULL))
    return FALSE;
  if (ns_sc_accept(p, "none")) {
    a->none = TRUE;
    return ns_sc_end(p);
  }
  if (!ns_sc_accept(p, "via"))
    return ns_sc_fail(p,
                      _("%s needs 'via IFACE' or 'none' after the "
                        "destination"),
                      ctx);
  const char *ifname = ns_sc_take(p);
  if (ifname == NULL || ns_ipnode_find_iface(c->node->ip, ifname) == NULL)
    return ns_sc_fail(p, _("'via' needs an interface of %s, got %s%s%s"),
                      c->node->name, ifname ? "'" : "",
                      ifname ? ifname : _("nothing"), ifname ? "'" : "");
  a->iface = g_strdup(ifname);
  if (ns_sc_accept(p, "gateway")) {
    if (!ns_sc_dest(p, "'gateway'", &a->gateway, NULL))
      return FALSE;
    a->has_gateway = TRUE;
  }
  return ns_sc_end(p);
}

gboolean ns_sc_eval_route_expect(const ScState *st, const ScCmd *c,
                                 GString *got) {
  const RouteExpect *a = c->args;
  NsIpNode *ip = c->node->ip;
  const NsRoute *r = ns_route_lookup(ns_ipnode_routes(ip), a->dst);
  if (r == NULL) {
    g_string_append(got, "no route");
    return a->none;
  }
  const char *ifname = ns_ipnode_iface(ip, r->iface)->nic.name;
  g_string_append_printf(got, "via %s", ifname);
  if (r->kind == NS_ROUTE_CONNECTED) {
    g_string_append(got, " (direct)");
  } else {
    g_string_append(got, " gateway ");
    describe_ip(st->net, r->gateway, got);
  }
  return !a->none && strcmp(ifname, a->iface) == 0 &&
         (!a->has_gateway || ns_ip4_equal(r->gateway, a->gateway));
}

/* ---- traceroute --------------------------------------------------------- */

typedef enum { TRACE_REACHED, TRACE_HOPS, TRACE_HOP } TraceCheck;

typedef struct {
  TraceCheck check;
  ScCompare cmp; /* hops */
  guint hop;     /* hop K ADDR */
  Addr addr;
} TraceExpect;

gboolean ns_sc_parse_trace_expect(ScParser *p, ScCmd *c) {
  TraceExpect *a = SC_ARGS(c, TraceExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  guint64 hop;
  if (ns_sc_accept(p, "reached")) {
    a->check = TRACE_REACHED;
    return ns_sc_end(p);
  }
  if (ns_sc_accept(p, "hops")) {
    a->check = TRACE_HOPS;
    return ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
  }
  if (!ns_sc_accept(p, "hop"))
    return ns_sc_fail(p, _("%s needs reached, hops N or hop K ADDRESS"), ctx);
  a->check = TRACE_HOP;
  if (!ns_sc_uint(p, "'hop'", 1, 255, &hop))
    return FALSE;
  a->hop = (guint)hop;
  return parse_addr(p, ctx, &a->addr) && ns_sc_end(p);
}

gboolean ns_sc_eval_trace_expect(const ScState *st, const ScCmd *c,
                                 GString *got) {
  const TraceExpect *a = c->args;
  const NsTrace *t = c->node->last_trace;
  if (t == NULL) {
    g_string_append_printf(got, "no traceroute was started on %s",
                           c->node->name);
    return FALSE;
  }
  guint hops = ns_trace_n_hops(t);
  if (a->check == TRACE_REACHED) {
    g_string_append_printf(got, "not reached after %u hop%s%s", hops,
                           hops == 1 ? "" : "s",
                           ns_trace_done(t) ? "" : ", still running");
    return ns_trace_reached(t);
  }
  if (a->check == TRACE_HOPS) {
    g_string_append_printf(got, "%u", hops);
    return ns_sc_compare(&a->cmp, hops);
  }
  if (a->hop > hops) {
    g_string_append_printf(got, "only %u hop%s", hops, hops == 1 ? "" : "s");
    return FALSE;
  }
  NsIp4 at = ns_trace_hop(t, a->hop);
  if (ns_ip4_is_zero(at)) {
    g_string_append(got, "no answer (*)");
    return FALSE;
  }
  describe_ip(st->net, at, got);
  return addr_matches(&a->addr, at);
}

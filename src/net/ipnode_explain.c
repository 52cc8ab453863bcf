/* ipnode_explain.c — the "why" of a routing decision, in a student's words.
 * Only called when the log asks for explanations. */
#include "net/ipnode_private.h"

static void explain_host(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                         char *buf, gsize size) {
  char d[NS_IP4_STRLEN], m[NS_IP4_STRLEN], n[NS_IP4_STRLEN],
      mine[NS_PREFIX_STRLEN], gw[NS_IP4_STRLEN];
  NsIpIface *iface = ns_ipnode_iface(node, route != NULL ? route->iface : 0);
  NsPrefix net = ns_prefix_canonical(iface->addr);
  NsIp4 mask = ns_prefix_mask(iface->addr.len);
  ns_ip4_format(dst, d);
  ns_ip4_format(mask, m);
  ns_ip4_format((NsIp4){dst.v & mask.v}, n);
  ns_prefix_format(net, mine);
  if (route != NULL && route->kind == NS_ROUTE_CONNECTED)
    g_snprintf(buf, size, "%s & %s = %s, my network %s: deliver directly", d, m,
               n, mine);
  else if (route != NULL && route->kind == NS_ROUTE_DEFAULT)
    g_snprintf(buf, size, "%s & %s = %s, not my %s: via gateway %s", d, m, n,
               mine, ns_ip4_format(route->gateway, gw));
  else if (route != NULL) {
    char p[NS_PREFIX_STRLEN];
    g_snprintf(buf, size, "%s & %s = %s, not my %s; static route %s: via %s", d,
               m, n, mine, ns_prefix_format(route->prefix, p),
               ns_ip4_format(route->gateway, gw));
  } else
    g_snprintf(buf, size, "%s & %s = %s, not my %s, and no gateway is set", d,
               m, n, mine);
}

/* A multicast or the limited broadcast never takes a route: the mask AND
 * and the gateway do not apply, whatever the routing table says. */
static gboolean explain_cast(NsIp4 dst, char *buf, gsize size) {
  gboolean group = ns_ip4_is_multicast(dst);
  if (!group && !ns_ip4_is_limited_broadcast(dst))
    return FALSE;
  char d[NS_IP4_STRLEN];
  g_snprintf(buf, size,
             "%s is %s: it goes to %s on this LAN, with no ARP and no gateway",
             ns_ip4_format(dst, d),
             group ? "a multicast group" : "the limited broadcast",
             group ? "the group's MAC (01:00:5e and its low 23 bits)"
                   : "the broadcast MAC ff:ff:ff:ff:ff:ff");
  return TRUE;
}

void ns_ipnode_explain_route(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                             char *buf, gsize size) {
  buf[0] = '\0';
  if (ns_ipnode_n_ifaces(node) == 0 || explain_cast(dst, buf, size))
    return;
  if (!ns_ipnode_is_router(node)) {
    explain_host(node, dst, route, buf, size);
    return;
  }
  char d[NS_IP4_STRLEN];
  ns_ip4_format(dst, d);
  if (route == NULL) {
    g_snprintf(buf, size, "no route contains %s and there is no default route",
               d);
    return;
  }
  GString *s = g_string_new(NULL);
  char p[NS_PREFIX_STRLEN], gw[NS_IP4_STRLEN];
  g_string_append_printf(s, "%s matches %s (%s", d,
                         ns_prefix_format(route->prefix, p),
                         ns_route_kind_name(route->kind));
  if (!ns_ip4_is_zero(route->gateway))
    g_string_append_printf(s, " via %s", ns_ip4_format(route->gateway, gw));
  g_string_append_printf(s, ", %s)",
                         ns_ipnode_iface(node, route->iface)->nic.name);
  GPtrArray *all = ns_route_matches(ns_ipnode_routes(node), dst);
  gboolean first = TRUE;
  for (guint i = 0; i < all->len; i++) {
    const NsRoute *r = g_ptr_array_index(all, i);
    if (r == route)
      continue;
    g_string_append(s, first ? "; longest prefix beats " : ", ");
    g_string_append(s, ns_prefix_format(r->prefix, p));
    first = FALSE;
  }
  g_ptr_array_unref(all);
  g_strlcpy(buf, s->str, size);
  g_string_free(s, TRUE);
}

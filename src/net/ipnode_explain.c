/* ipnode_explain.c — the "why" of a routing decision, in a student's words.
 * Only called when the log asks for explanations. */
#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/ethernet.h"

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
    ns_why_printf(buf, size,
                  N_("%s & %s = %s, my network %s: deliver directly"), d, m, n,
                  mine);
  else if (route != NULL && route->kind == NS_ROUTE_DEFAULT)
    ns_why_printf(buf, size, N_("%s & %s = %s, not my %s: via gateway %s"), d,
                  m, n, mine, ns_ip4_format(route->gateway, gw));
  else if (route != NULL) {
    char p[NS_PREFIX_STRLEN];
    ns_why_printf(buf, size,
                  N_("%s & %s = %s, not my %s; static route %s: via %s"), d, m,
                  n, mine, ns_prefix_format(route->prefix, p),
                  ns_ip4_format(route->gateway, gw));
  } else
    ns_why_printf(buf, size,
                  N_("%s & %s = %s, not my %s, and no gateway is set"), d, m, n,
                  mine);
}

/* A multicast or the limited broadcast never takes a route: the mask AND
 * and the gateway do not apply, whatever the routing table says. */
static gboolean explain_cast(NsIp4 dst, char *buf, gsize size) {
  gboolean group = ns_ip4_is_multicast(dst);
  if (!group && !ns_ip4_is_limited_broadcast(dst))
    return FALSE;
  char d[NS_IP4_STRLEN];
  ns_why_printf(buf, size,
                group ? N_("%s is a multicast group: it goes to the group's "
                           "MAC (01:00:5e and its low 23 bits) on this LAN, "
                           "with no ARP and no gateway")
                      : N_("%s is the limited broadcast: it goes to the "
                           "broadcast MAC ff:ff:ff:ff:ff:ff on this LAN, with "
                           "no ARP and no gateway"),
                ns_ip4_format(dst, d));
  return TRUE;
}

/* A router's longest-prefix match, and the prefixes it beat, into s. */
static void explain_match(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                          NsWhy *s) {
  char d[NS_IP4_STRLEN], p[NS_PREFIX_STRLEN], gw[NS_IP4_STRLEN];
  ns_ip4_format(dst, d);
  /* By kind, whole words for the translators. */
  static const char *const matches[] = {
      [NS_ROUTE_CONNECTED] = N_("%s matches %s (connected"),
      [NS_ROUTE_STATIC] = N_("%s matches %s (static"),
      [NS_ROUTE_DEFAULT] = N_("%s matches %s (default"),
  };
  ns_why_add(s, matches[route->kind], d, ns_prefix_format(route->prefix, p));
  if (!ns_ip4_is_zero(route->gateway))
    ns_why_add(s, N_(" via %s"), ns_ip4_format(route->gateway, gw));
  ns_why_add(s, N_(", %s)"), ns_ipnode_iface(node, route->iface)->nic.name);
  GPtrArray *all = ns_route_matches(ns_ipnode_routes(node), dst);
  gboolean first = TRUE;
  for (guint i = 0; i < all->len; i++) {
    const NsRoute *r = g_ptr_array_index(all, i);
    if (r == route)
      continue;
    ns_why_add(s, first ? N_("; longest prefix beats %s") : N_(", %s"),
               ns_prefix_format(r->prefix, p));
    first = FALSE;
  }
  g_ptr_array_unref(all);
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
  if (route == NULL) {
    char d[NS_IP4_STRLEN];
    ns_why_printf(buf, size,
                  N_("no route contains %s and there is no default route"),
                  ns_ip4_format(dst, d));
    return;
  }
  NsWhy s;
  ns_why_init(&s);
  explain_match(node, dst, route, &s);
  g_autofree char *why = ns_why_finish(&s);
  g_strlcpy(buf, why, size);
}

void ns_ipnode_explain_forward(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                               const NsIpIface *in, const guint8 *eth,
                               char *buf, gsize size) {
  if (route == NULL) { /* a hook changed the destination */
    ns_ipnode_explain_route(node, dst, route, buf, size);
    return;
  }
  char addrs[NS_ETH_ADDRS_STRLEN];
  NsWhy s;
  ns_why_init(&s);
  explain_match(node, dst, route, &s);
  ns_why_add(&s, N_("; it came in on %s with MACs %s"), in->nic.name,
             ns_eth_format_header_addrs(eth, addrs));
  g_autofree char *why = ns_why_finish(&s);
  g_strlcpy(buf, why, size);
}

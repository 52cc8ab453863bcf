/* route.h — an IPv4 routing table with longest-prefix match.
 *
 * Routes are connected (a prefix on one of our interfaces: deliver
 * directly), static (a prefix via a gateway) or default (0.0.0.0/0 via a
 * gateway).  Lookup picks, among routes whose prefix contains the
 * destination, the longest prefix; among equal lengths the lowest metric,
 * then the one added first.  /0 matches everything; /32 one address.
 *
 * The table is kept sorted (longest prefix first, then metric, then
 * insertion order), so lookup returns the first match.  Tables are small
 * (a router's interfaces and a few static routes); a linear scan of a
 * sorted array beats a trie at this size and keeps `show route` trivial.
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

typedef enum {
  NS_ROUTE_CONNECTED,
  NS_ROUTE_STATIC,
  NS_ROUTE_DEFAULT,
} NsRouteKind;

typedef struct {
  NsPrefix prefix; /* canonical: host bits clear */
  NsIp4 gateway;   /* 0.0.0.0 for connected routes */
  guint iface;     /* outgoing interface index of the owner */
  guint metric;
  NsRouteKind kind;
  guint64 order; /* insertion order, for stable ties */
} NsRoute;

typedef struct NsRouteTable NsRouteTable;

NsRouteTable *ns_route_table_new(void);
void ns_route_table_free(NsRouteTable *t);
/* Adds a route (prefix is canonicalised).  Kind DEFAULT is implied by a /0
 * static route.  Returns FALSE if an identical prefix+gateway exists. */
gboolean ns_route_add(NsRouteTable *t, NsPrefix prefix, NsIp4 gateway,
                      guint iface, guint metric, NsRouteKind kind);
/* Removes routes for prefix (any gateway); returns how many. */
guint ns_route_remove(NsRouteTable *t, NsPrefix prefix);
/* Removes every route drop() says TRUE to (the order of the rest is
 * kept); returns how many. */
typedef gboolean (*NsRouteDropFunc)(const NsRoute *r, gpointer data);
guint ns_route_remove_if(NsRouteTable *t, NsRouteDropFunc drop, gpointer data);
/* The best route to dst, or NULL (borrowed, valid until the next change). */
const NsRoute *ns_route_lookup(const NsRouteTable *t, NsIp4 dst);
/* All routes matching dst, best first (borrowed pointers; for --explain:
 * "the route chosen and the prefixes it beat"). */
GPtrArray *ns_route_matches(const NsRouteTable *t, NsIp4 dst);
guint ns_route_count(const NsRouteTable *t);
/* Route i in table order (0 = most specific). */
const NsRoute *ns_route_nth(const NsRouteTable *t, guint i);
const char *
ns_route_kind_name(NsRouteKind k); /* "connected", "static", "default" */

G_END_DECLS

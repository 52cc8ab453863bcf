/* route.c — the sorted-array routing table described in route.h.
 *
 * Storage: a plain array kept in table order — longest prefix first, then
 * lowest metric, then lowest insertion order.  Because `order` only grows,
 * a new route goes after every route with the same length and metric, so
 * ties keep the order routes were added in.  Lookup and matches() scan that
 * array; the first route containing the destination is the best one.
 *
 * Invariants: every prefix is canonical (host bits clear); no two routes
 * share prefix and gateway; kind is DEFAULT exactly for /0 static routes
 * (a connected /0 stays CONNECTED: deliver everything directly).
 */
#include "net/route.h"

#include <string.h>

struct NsRouteTable {
  NsRoute *routes;    /* table order, see above */
  guint len;          /* routes in use */
  guint alloc;        /* routes allocated */
  guint64 next_order; /* insertion counter, never reused */
};

/* Negative when a sorts before b in table order. */
static int route_cmp(const NsRoute *a, const NsRoute *b) {
  if (a->prefix.len != b->prefix.len)
    return a->prefix.len > b->prefix.len ? -1 : 1;
  if (a->metric != b->metric)
    return a->metric < b->metric ? -1 : 1;
  if (a->order != b->order)
    return a->order < b->order ? -1 : 1;
  return 0;
}

static gboolean prefix_equal(NsPrefix a, NsPrefix b) {
  return a.len == b.len && a.addr.v == b.addr.v;
}

NsRouteTable *ns_route_table_new(void) { return g_new0(NsRouteTable, 1); }

void ns_route_table_free(NsRouteTable *t) {
  if (t == NULL)
    return;
  g_free(t->routes);
  g_free(t);
}

gboolean ns_route_add(NsRouteTable *t, NsPrefix prefix, NsIp4 gateway,
                      guint iface, guint metric, NsRouteKind kind) {
  g_return_val_if_fail(t != NULL, FALSE);
  g_return_val_if_fail(prefix.len <= 32, FALSE);
  g_return_val_if_fail(kind != NS_ROUTE_DEFAULT || prefix.len == 0, FALSE);

  NsRoute r = {
      .prefix = ns_prefix_canonical(prefix),
      .gateway = gateway,
      .iface = iface,
      .metric = metric,
      .kind = kind,
      .order = t->next_order,
  };
  if (r.prefix.len == 0 && kind == NS_ROUTE_STATIC)
    r.kind = NS_ROUTE_DEFAULT;

  for (guint i = 0; i < t->len; i++) {
    if (prefix_equal(t->routes[i].prefix, r.prefix) &&
        ns_ip4_equal(t->routes[i].gateway, r.gateway))
      return FALSE;
  }

  /* The new route has the highest order, so it goes after every route
   * that does not sort after it. */
  guint pos = t->len;
  while (pos > 0 && route_cmp(&r, &t->routes[pos - 1]) < 0)
    pos--;
  if (t->len == t->alloc) {
    t->alloc = t->alloc == 0 ? 2 : t->alloc * 2; /* a host has two */
    t->routes = g_renew(NsRoute, t->routes, t->alloc);
  }
  memmove(&t->routes[pos + 1], &t->routes[pos],
          (t->len - pos) * sizeof(NsRoute));
  t->routes[pos] = r;
  t->len++;
  t->next_order++;
  return TRUE;
}

guint ns_route_remove_if(NsRouteTable *t, NsRouteDropFunc drop, gpointer data) {
  g_return_val_if_fail(t != NULL && drop != NULL, 0);
  guint keep = 0;
  for (guint i = 0; i < t->len; i++) {
    if (drop(&t->routes[i], data))
      continue;
    if (keep != i)
      t->routes[keep] = t->routes[i];
    keep++;
  }
  guint removed = t->len - keep;
  t->len = keep;
  return removed;
}

static gboolean has_prefix(const NsRoute *r, gpointer data) {
  return prefix_equal(r->prefix, *(const NsPrefix *)data);
}

guint ns_route_remove(NsRouteTable *t, NsPrefix prefix) {
  g_return_val_if_fail(t != NULL, 0);
  g_return_val_if_fail(prefix.len <= 32, 0);
  NsPrefix p = ns_prefix_canonical(prefix);
  return ns_route_remove_if(t, has_prefix, &p);
}

const NsRoute *ns_route_lookup(const NsRouteTable *t, NsIp4 dst) {
  g_return_val_if_fail(t != NULL, NULL);
  for (guint i = 0; i < t->len; i++) {
    if (ns_prefix_contains(t->routes[i].prefix, dst))
      return &t->routes[i];
  }
  return NULL;
}

GPtrArray *ns_route_matches(const NsRouteTable *t, NsIp4 dst) {
  g_return_val_if_fail(t != NULL, NULL);
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < t->len; i++) {
    if (ns_prefix_contains(t->routes[i].prefix, dst))
      g_ptr_array_add(out, (gpointer)&t->routes[i]);
  }
  return out;
}

guint ns_route_count(const NsRouteTable *t) {
  g_return_val_if_fail(t != NULL, 0);
  return t->len;
}

const NsRoute *ns_route_nth(const NsRouteTable *t, guint i) {
  g_return_val_if_fail(t != NULL, NULL);
  g_return_val_if_fail(i < t->len, NULL);
  return &t->routes[i];
}

const char *ns_route_kind_name(NsRouteKind k) {
  switch (k) {
  case NS_ROUTE_CONNECTED:
    return "connected";
  case NS_ROUTE_STATIC:
    return "static";
  case NS_ROUTE_DEFAULT:
    return "default";
  }
  return "?";
}

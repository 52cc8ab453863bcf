/* route.c — the sorted-array routing table described in route.h.
 *
 * Storage: a plain array kept in table order — longest prefix first, then
 * lowest metric, then lowest insertion order.  Because `order` only grows,
 * a new route goes after every route with the same length and metric, so
 * ties keep the order routes were added in.  matches(), and lookup in a
 * short table, scan that array; the first route containing the
 * destination is the best one.
 *
 * A table longer than INDEX_MIN routes (a router with thousands of
 * interfaces) keeps an index beside the array, so that neither adding a
 * route nor looking one up walks them all: the set of (prefix, gateway)
 * pairs for the duplicate check, kept as routes are added, and the routes'
 * positions sorted by prefix (length, longest first, then address, then
 * table order), made at the first lookup after a change.  A lookup then
 * binary-searches each prefix length the table has, longest first; the
 * first route of the first prefix found is the one the scan would find.
 *
 * Invariants: every prefix is canonical (host bits clear); no two routes
 * share prefix and gateway; kind is DEFAULT exactly for /0 static routes
 * (a connected /0 stays CONNECTED: deliver everything directly).
 */
#include "net/route.h"

#include <stdlib.h>
#include <string.h>

#define INDEX_MIN 16

/* A route's prefix and position, as the index sorts them. */
typedef struct {
  guint32 addr;
  guint32 len;
  guint pos;
} RouteRef;

typedef struct {
  GHashTable *pairs; /* RoutePair* (owned) of every route */
  RouteRef *sorted;  /* every route by (len desc, addr, pos); NULL: stale,
                        remade at the next lookup */
  guint64 lens;      /* bit L: some route has a /L prefix */
} RouteIndex;

struct NsRouteTable {
  NsRoute *routes;    /* table order, see above */
  guint len;          /* routes in use */
  guint alloc;        /* routes allocated */
  guint64 next_order; /* insertion counter, never reused */
  RouteIndex *index;  /* NULL while len <= INDEX_MIN */
};

/* What no two routes share: prefix and gateway. */
typedef struct {
  guint32 addr, gateway;
  guint8 len;
} RoutePair;

static guint pair_hash(gconstpointer p) {
  const RoutePair *k = p;
  guint64 x = ((guint64)k->addr << 32 | k->gateway) ^ k->len;
  return (guint)((x * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> 32);
}

static gboolean pair_equal(gconstpointer a, gconstpointer b) {
  const RoutePair *x = a, *y = b;
  return x->addr == y->addr && x->gateway == y->gateway && x->len == y->len;
}

static void index_add(RouteIndex *ix, const NsRoute *r) {
  RoutePair *k = g_new(RoutePair, 1);
  *k = (RoutePair){r->prefix.addr.v, r->gateway.v, r->prefix.len};
  g_hash_table_add(ix->pairs, k);
  g_clear_pointer(&ix->sorted, g_free);
}

static void index_free(RouteIndex *ix) {
  if (ix == NULL)
    return;
  g_hash_table_unref(ix->pairs);
  g_free(ix->sorted);
  g_free(ix);
}

/* The index of every route, made when the table grows past INDEX_MIN. */
static void index_make(NsRouteTable *t) {
  t->index = g_new0(RouteIndex, 1);
  t->index->pairs = g_hash_table_new_full(pair_hash, pair_equal, g_free, NULL);
  for (guint i = 0; i < t->len; i++)
    index_add(t->index, &t->routes[i]);
}

static int by_prefix(const void *a, const void *b) {
  const RouteRef *x = a, *y = b;
  if (x->len != y->len)
    return x->len > y->len ? -1 : 1;
  if (x->addr != y->addr)
    return x->addr < y->addr ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void index_sort(const NsRouteTable *t, RouteIndex *ix) {
  ix->sorted = g_new(RouteRef, t->len);
  ix->lens = 0;
  for (guint i = 0; i < t->len; i++) {
    const NsPrefix *p = &t->routes[i].prefix;
    ix->sorted[i] = (RouteRef){p->addr.v, p->len, i};
    ix->lens |= G_GUINT64_CONSTANT(1) << p->len;
  }
  qsort(ix->sorted, t->len, sizeof(RouteRef), by_prefix);
}

/* The first route (in table order) whose prefix is len/addr, or NULL. */
static const NsRoute *indexed_find(const NsRouteTable *t, const RouteIndex *ix,
                                   guint32 len, guint32 addr) {
  guint lo = 0, hi = t->len;
  while (lo < hi) { /* the first one not before (len, addr) */
    guint mid = lo + (hi - lo) / 2;
    const RouteRef *m = &ix->sorted[mid];
    if (m->len > len || (m->len == len && m->addr < addr))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == t->len || ix->sorted[lo].len != len || ix->sorted[lo].addr != addr)
    return NULL;
  return &t->routes[ix->sorted[lo].pos];
}

/* Out of line: every lookup of a short table (a host's two routes) stays
 * a scan inlined into its caller. */
static G_GNUC_NO_INLINE const NsRoute *indexed_lookup(const NsRouteTable *t,
                                                      NsIp4 dst) {
  /* The index is a cache: making it changes no route. */
  RouteIndex *ix = t->index;
  if (ix->sorted == NULL)
    index_sort(t, ix);
  for (gint len = 32; len >= 0; len--) {
    if (!(ix->lens & G_GUINT64_CONSTANT(1) << len))
      continue;
    const NsRoute *r =
        indexed_find(t, ix, (guint32)len, dst.v & ns_prefix_mask((guint)len).v);
    if (r != NULL)
      return r;
  }
  return NULL;
}

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
  index_free(t->index);
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

  if (t->index != NULL) {
    RoutePair k = {r.prefix.addr.v, r.gateway.v, r.prefix.len};
    if (g_hash_table_contains(t->index->pairs, &k))
      return FALSE;
  } else {
    for (guint i = 0; i < t->len; i++) {
      if (prefix_equal(t->routes[i].prefix, r.prefix) &&
          ns_ip4_equal(t->routes[i].gateway, r.gateway))
        return FALSE;
    }
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
  if (t->index != NULL)
    index_add(t->index, &r);
  else if (t->len > INDEX_MIN)
    index_make(t);
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
  if (removed > 0) { /* remade as routes are added, or at once if long */
    g_clear_pointer(&t->index, index_free);
    if (t->len > INDEX_MIN)
      index_make(t);
  }
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
  if (G_UNLIKELY(t->len > INDEX_MIN)) /* then, and only then, indexed */
    return indexed_lookup(t, dst);
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

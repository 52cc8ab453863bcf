/* snoop.c — the snooping switch's group table (see snoop.h). */
#include "net/snoop.h"

#include <stdlib.h>

struct NsSnoop {
  GArray *members; /* of NsSnoopEntry, in the order learnt */
  GArray *routers; /* of NsSnoopEntry, group 0.0.0.0 */
};

NsSnoop *ns_snoop_new(void) {
  NsSnoop *s = g_new0(NsSnoop, 1);
  s->members = g_array_new(FALSE, FALSE, sizeof(NsSnoopEntry));
  s->routers = g_array_new(FALSE, FALSE, sizeof(NsSnoopEntry));
  return s;
}

void ns_snoop_free(NsSnoop *s) {
  if (s == NULL)
    return;
  g_array_free(s->members, TRUE);
  g_array_free(s->routers, TRUE);
  g_free(s);
}

/* The entry for (group, port) in a, valid or not, or NULL. */
static NsSnoopEntry *find(GArray *a, NsIp4 group, guint port) {
  for (guint i = 0; i < a->len; i++) {
    NsSnoopEntry *e = &g_array_index(a, NsSnoopEntry, i);
    if (e->group.v == group.v && e->port == port)
      return e;
  }
  return NULL;
}

static const NsSnoopEntry *find_valid(GArray *a, NsIp4 group, guint port,
                                      NsTime now) {
  const NsSnoopEntry *e = find(a, group, port);
  return e != NULL && now < e->expires ? e : NULL;
}

NsSnoopLearn ns_snoop_report(NsSnoop *s, NsIp4 group, guint port,
                             NsTime lifetime, NsTime now) {
  NsSnoopEntry *e = find(s->members, group, port);
  if (e != NULL && now < e->expires) {
    e->expires = ns_time_add(now, lifetime);
    e->left = FALSE;
    return NS_SNOOP_REFRESHED;
  }
  gboolean known = ns_snoop_known(s, group, now);
  if (e == NULL) {
    if (s->members->len >= NS_SNOOP_CAPACITY)
      return NS_SNOOP_FULL;
    NsSnoopEntry fresh = {group, port, now, 0, FALSE};
    g_array_append_val(s->members, fresh);
    e = &g_array_index(s->members, NsSnoopEntry, s->members->len - 1);
  }
  e->since = now; /* a lapsed entry not yet taken out starts again */
  e->left = FALSE;
  e->expires = ns_time_add(now, lifetime);
  return known ? NS_SNOOP_NEW_PORT : NS_SNOOP_NEW_GROUP;
}

gboolean ns_snoop_leave(NsSnoop *s, NsIp4 group, guint port, NsTime wait,
                        NsTime now) {
  NsSnoopEntry *e = find(s->members, group, port);
  if (e == NULL || now >= e->expires)
    return FALSE;
  e->expires = MIN(e->expires, ns_time_add(now, wait));
  e->left = TRUE;
  return TRUE;
}

gboolean ns_snoop_router(NsSnoop *s, guint port, NsTime lifetime, NsTime now) {
  NsSnoopEntry *e = find(s->routers, (NsIp4){0}, port);
  gboolean fresh = e == NULL || now >= e->expires;
  if (e == NULL) {
    NsSnoopEntry add = {{0}, port, now, 0, FALSE};
    g_array_append_val(s->routers, add);
    e = &g_array_index(s->routers, NsSnoopEntry, s->routers->len - 1);
  }
  if (fresh)
    e->since = now;
  e->expires = ns_time_add(now, lifetime);
  return fresh;
}

gboolean ns_snoop_known(const NsSnoop *s, NsIp4 group, NsTime now) {
  for (guint i = 0; i < s->members->len; i++) {
    const NsSnoopEntry *e = &g_array_index(s->members, NsSnoopEntry, i);
    if (e->group.v == group.v && now < e->expires)
      return TRUE;
  }
  return FALSE;
}

gboolean ns_snoop_is_member(const NsSnoop *s, NsIp4 group, guint port,
                            NsTime now) {
  return find_valid(s->members, group, port, now) != NULL;
}

gboolean ns_snoop_is_router(const NsSnoop *s, guint port, NsTime now) {
  return find_valid(s->routers, (NsIp4){0}, port, now) != NULL;
}

gboolean ns_snoop_has_router(const NsSnoop *s, NsTime now) {
  for (guint i = 0; i < s->routers->len; i++)
    if (now < g_array_index(s->routers, NsSnoopEntry, i).expires)
      return TRUE;
  return FALSE;
}

static NsTime earliest(const GArray *a, guint *index) {
  NsTime when = NS_TIME_NEVER;
  for (guint i = 0; i < a->len; i++) {
    const NsSnoopEntry *e = &g_array_index(a, NsSnoopEntry, i);
    if (e->expires < when) {
      when = e->expires;
      *index = i;
    }
  }
  return when;
}

NsTime ns_snoop_next_expiry(const NsSnoop *s) {
  guint i;
  return MIN(earliest(s->members, &i), earliest(s->routers, &i));
}

gboolean ns_snoop_expire_one(NsSnoop *s, NsTime now, NsSnoopEntry *out) {
  GArray *tables[] = {s->members, s->routers};
  for (guint t = 0; t < G_N_ELEMENTS(tables); t++) {
    guint i = 0;
    if (earliest(tables[t], &i) > now)
      continue;
    *out = g_array_index(tables[t], NsSnoopEntry, i);
    g_array_remove_index(tables[t], i); /* keeps the order learnt */
    return TRUE;
  }
  return FALSE;
}

static gint by_group_then_port(gconstpointer a, gconstpointer b) {
  const NsSnoopEntry *x = a, *y = b;
  guint32 gx = x->group.v, gy = y->group.v;
  if (gx != gy)
    return gx < gy ? -1 : 1;
  return x->port < y->port ? -1 : x->port > y->port;
}

static void append_valid(GArray *out, const GArray *a, NsTime now) {
  guint first = out->len;
  for (guint i = 0; i < a->len; i++) {
    const NsSnoopEntry *e = &g_array_index(a, NsSnoopEntry, i);
    if (now < e->expires)
      g_array_append_val(out, *e);
  }
  if (out->len > first) /* an empty GArray may have no data at all */
    qsort(&g_array_index(out, NsSnoopEntry, first), out->len - first,
          sizeof(NsSnoopEntry), by_group_then_port);
}

GArray *ns_snoop_entries(const NsSnoop *s, NsTime now) {
  GArray *out = g_array_new(FALSE, FALSE, sizeof(NsSnoopEntry));
  append_valid(out, s->members, now);
  append_valid(out, s->routers, now);
  return out;
}

static guint remove_port(GArray *a, guint port) {
  guint n = 0;
  for (guint i = a->len; i-- > 0;)
    if (g_array_index(a, NsSnoopEntry, i).port == port) {
      g_array_remove_index(a, i);
      n++;
    }
  return n;
}

guint ns_snoop_flush_port(NsSnoop *s, guint port) {
  return remove_port(s->members, port) + remove_port(s->routers, port);
}

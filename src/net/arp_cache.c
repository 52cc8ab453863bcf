/* arp_cache.c — the neighbour cache state machine described in arp_cache.h.
 *
 * Storage: one array of entries kept sorted by IP (host order, ascending,
 * no duplicates).  Sorted order gives binary-search lookup, entries()
 * without a sort, and a deterministic tick order (ascending IP) for free.
 * Insert and remove are a memmove over at most `capacity` entries, cheap at
 * the size of one interface's neighbour table.  The array is allocated
 * lazily and grows by doubling from ARP_INITIAL_ALLOC up to capacity, so a
 * host that talks only to its gateway (most hosts of a big LAN) pays for
 * one entry, not 256.
 *
 * Invariants:
 *   - 0 <= len <= alloc <= cfg.capacity;
 *   - a REACHABLE entry has npending == 0 and requests == 0;
 *   - an INCOMPLETE entry has 1 <= requests <= cfg.retries.
 *
 * A 64-bit filter (one bit per IP hash, a superset of the IPs present)
 * answers most lookups of an absent IP without touching the array: a
 * request flooded on a big LAN reaches every host, each of which must
 * check whether it knows the sender (RFC 826's merge), and on a network of
 * 100,000 hosts that read of a cold array was a fifth of the run.
 *
 * Expiry is exact and based on the `now` passed in: a REACHABLE entry is
 * valid while now < deadline.  find() and entries() hide an entry past its
 * deadline even before tick() has removed it, and resolve() restarts it.
 *
 * tick() first brings the whole array to its new state and only then runs
 * the callbacks, so a callback may call back into the cache (a router's
 * fail callback typically resolves the sender to return an ICMP error).
 */
#include "net/arp_cache.h"

#include <string.h>

#define ARP_INITIAL_ALLOC 1u

G_STATIC_ASSERT(sizeof(NsArpEntry) <= 32 || sizeof(gpointer) > 8);
G_STATIC_ASSERT(NS_ARP_RETRIES_MAX <= G_MAXUINT8);

const NsArpConfig ns_arp_default_config = {
    .reachable_time = NS_ARP_DEFAULT_REACHABLE,
    .retry_interval = NS_ARP_DEFAULT_RETRY,
    .retries = NS_ARP_DEFAULT_RETRIES,
    .capacity = NS_ARP_DEFAULT_CAPACITY,
};

gboolean ns_arp_config_same(const NsArpConfig *a, const NsArpConfig *b) {
  return a->reachable_time == b->reachable_time &&
         a->retry_interval == b->retry_interval && a->retries == b->retries &&
         a->capacity == b->capacity;
}

struct NsArpCache {
  const NsArpConfig *cfg; /* borrowed (init) or the copy after the struct
                             (new): 16 bytes less a host than a copy */
  NsArpEntry *entries;    /* sorted by ip.v; NULL until the first entry */
  guint len;              /* entries in use */
  guint alloc;            /* entries allocated, <= cfg.capacity */
  guint64 filter;         /* bit ip_bit(ip) set for every entry (maybe more) */
  guint64 evictions;      /* valid entries pushed out by a full cache */
  NsArpEntry *evicted;    /* the last one (ip, mac, deadline); made by the
                             first eviction (most caches never evict), owned */
};

/* ---- helpers ------------------------------------------------------------ */

/* ip's bit in the filter: the top 6 bits of a multiplicative hash, so
 * neighbours (10.0.0.2, .3, ...) spread over the word. */
static inline guint64 ip_bit(NsIp4 ip) {
  return G_GUINT64_CONSTANT(1) << ((ip.v * 0x9E3779B1u) >> 26);
}

/* Makes the filter exact again after entries left. */
static void filter_rebuild(NsArpCache *c) {
  c->filter = 0;
  for (guint i = 0; i < c->len; i++)
    c->filter |= ip_bit(c->entries[i].ip);
}

/* FALSE when ip is surely absent (the filter says so), without touching
 * the entries. */
static inline gboolean maybe_present(const NsArpCache *c, NsIp4 ip) {
  return (c->filter & ip_bit(ip)) != 0;
}

/* Binary search: TRUE with *pos at the entry for ip, or FALSE with *pos
 * where it would be inserted. */
static gboolean search(const NsArpCache *c, NsIp4 ip, guint *pos) {
  guint lo = 0, hi = c->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    guint32 v = c->entries[mid].ip.v;
    if (v == ip.v) {
      *pos = mid;
      return TRUE;
    }
    if (v < ip.v)
      lo = mid + 1;
    else
      hi = mid;
  }
  *pos = lo;
  return FALSE;
}

/* An entry is usable at now unless it is REACHABLE and has aged out. */
static gboolean entry_valid(const NsArpEntry *e, NsTime now) {
  return e->state == NS_ARP_INCOMPLETE || now < e->deadline;
}

/* Forgets the waiting frames (already handed on: npending is 0) and
 * their slots. */
static void entry_free_pending(NsArpEntry *e) {
  g_clear_pointer(&e->pending, g_free);
  e->npending = 0;
}

static void entry_drop_pending(NsArpEntry *e) {
  for (guint i = 0; i < e->npending; i++)
    ns_frame_unref(e->pending[i]);
  entry_free_pending(e);
}

static void remove_at(NsArpCache *c, guint i) {
  memmove(&c->entries[i], &c->entries[i + 1],
          (c->len - i - 1) * sizeof(NsArpEntry));
  c->len--;
  filter_rebuild(c);
}

/* Makes a zeroed entry for ip (which must be absent), evicting the
 * REACHABLE entry that expires soonest (lowest IP on ties) when the cache is
 * full.  Returns NULL when full of INCOMPLETE entries. */
static NsArpEntry *insert_new(NsArpCache *c, NsIp4 ip) {
  if (c->len == c->cfg->capacity) {
    guint victim = G_MAXUINT;
    for (guint i = 0; i < c->len; i++) {
      const NsArpEntry *e = &c->entries[i];
      if (e->state == NS_ARP_REACHABLE &&
          (victim == G_MAXUINT || e->deadline < c->entries[victim].deadline))
        victim = i;
    }
    if (victim == G_MAXUINT)
      return NULL;
    c->evictions++;
    if (c->evicted == NULL)
      c->evicted = g_new(NsArpEntry, 1);
    *c->evicted = c->entries[victim];
    c->evicted->npending = 0; /* REACHABLE: pending is NULL */
    remove_at(c, victim);     /* REACHABLE: no pending frames to drop */
  }
  if (c->len == c->alloc) {
    guint grown = c->alloc == 0 ? ARP_INITIAL_ALLOC : c->alloc * 2;
    c->alloc = MIN(grown, c->cfg->capacity);
    c->entries = g_renew(NsArpEntry, c->entries, c->alloc);
  }
  guint pos;
  gboolean found = search(c, ip, &pos);
  g_assert(!found);
  memmove(&c->entries[pos + 1], &c->entries[pos],
          (c->len - pos) * sizeof(NsArpEntry));
  c->len++;
  NsArpEntry *e = &c->entries[pos];
  memset(e, 0, sizeof *e);
  e->ip = ip;
  c->filter |= ip_bit(ip);
  return e;
}

/* (Re)starts resolution: the caller sends the first request now. */
static void entry_start_resolving(const NsArpCache *c, NsArpEntry *e,
                                  NsTime now) {
  e->state = NS_ARP_INCOMPLETE;
  e->mac = ns_mac_zero;
  e->requests = 1;
  e->deadline = ns_time_add(now, c->cfg->retry_interval);
  entry_drop_pending(e); /* none: a new or an aged-out entry */
}

/* Takes frame (may be NULL); a full queue hands its oldest frame back. */
static void entry_enqueue(NsArpEntry *e, NsFrame *frame, NsFrame **dropped) {
  if (frame == NULL)
    return;
  if (e->pending == NULL)
    e->pending = g_new(NsFrame *, NS_ARP_PENDING_MAX);
  if (e->npending == NS_ARP_PENDING_MAX) {
    NsFrame *oldest = e->pending[0];
    memmove(&e->pending[0], &e->pending[1],
            (NS_ARP_PENDING_MAX - 1) * sizeof(NsFrame *));
    e->npending--;
    if (dropped != NULL)
      *dropped = oldest;
    else
      ns_frame_unref(oldest);
  }
  e->pending[e->npending++] = frame;
}

/* ---- lifecycle ---------------------------------------------------------- */

gsize ns_arp_cache_size(void) { return sizeof(NsArpCache); }

NsArpCache *ns_arp_cache_init(gpointer mem, const NsArpConfig *cfg) {
  if (cfg == NULL)
    cfg = &ns_arp_default_config;
  g_return_val_if_fail(mem != NULL && (gsize)mem % sizeof(gpointer) == 0, NULL);
  g_return_val_if_fail(cfg->retries >= 1, NULL);
  g_return_val_if_fail(cfg->retries <= NS_ARP_RETRIES_MAX, NULL);
  g_return_val_if_fail(cfg->capacity >= 1, NULL);
  NsArpCache *c = mem;
  memset(c, 0, sizeof *c);
  c->cfg = cfg;
  return c;
}

void ns_arp_cache_clear(NsArpCache *c) {
  if (c == NULL)
    return;
  ns_arp_cache_flush(c);
  g_clear_pointer(&c->evicted, g_free);
}

NsArpCache *ns_arp_cache_new(const NsArpConfig *cfg) {
  /* The cache, then its own copy of cfg in the same block. */
  NsArpCache *mem = g_malloc0(sizeof(NsArpCache) + sizeof(NsArpConfig));
  NsArpConfig *own = (NsArpConfig *)(mem + 1);
  *own = cfg != NULL ? *cfg : ns_arp_default_config;
  NsArpCache *c = ns_arp_cache_init(mem, own);
  if (c == NULL)
    g_free(mem);
  return c;
}

void ns_arp_cache_free(NsArpCache *c) {
  ns_arp_cache_clear(c);
  g_free(c);
}

const NsArpConfig *ns_arp_cache_config(const NsArpCache *c) {
  g_return_val_if_fail(c != NULL, NULL);
  return c->cfg;
}

/* ---- resolve / update --------------------------------------------------- */

NsArpResult ns_arp_cache_resolve(NsArpCache *c, NsIp4 ip, NsTime now,
                                 NsFrame *frame, NsMac *mac, NsFrame **dropped,
                                 gboolean *aged_out) {
  if (dropped != NULL)
    *dropped = NULL;
  if (aged_out != NULL)
    *aged_out = FALSE;
  g_return_val_if_fail(c != NULL, NS_ARP_FULL);

  guint pos;
  if (search(c, ip, &pos)) {
    NsArpEntry *e = &c->entries[pos];
    if (e->state == NS_ARP_INCOMPLETE) {
      entry_enqueue(e, frame, dropped);
      return NS_ARP_PENDING;
    }
    if (now < e->deadline) {
      if (mac != NULL)
        *mac = e->mac;
      return NS_ARP_HIT;
    }
    /* REACHABLE but aged out and not yet ticked away: start over. */
    if (aged_out != NULL)
      *aged_out = TRUE;
    entry_start_resolving(c, e, now);
    entry_enqueue(e, frame, dropped);
    return NS_ARP_MISS;
  }

  NsArpEntry *e = insert_new(c, ip);
  if (e == NULL)
    return NS_ARP_FULL;
  entry_start_resolving(c, e, now);
  entry_enqueue(e, frame, dropped);
  return NS_ARP_MISS;
}

gboolean ns_arp_cache_update(NsArpCache *c, NsIp4 ip, NsMac mac, NsTime now,
                             gboolean create, NsArpReleased *released) {
  g_return_val_if_fail(c != NULL, FALSE);
  /* Without create an IP the filter rules out (every IP, in an empty
   * cache) has nothing to update: the common case of a flooded request on
   * a big LAN, the same answer as the checks below would give. */
  if (!create && !maybe_present(c, ip))
    return FALSE;
  /* Simulated traffic may claim nonsense; such a mapping would only
   * blackhole or flood frames, so it is refused rather than stored. */
  if (ns_ip4_is_zero(ip) || ns_mac_is_multicast(mac) || ns_mac_is_zero(mac))
    return FALSE;

  guint pos;
  NsArpEntry *e = NULL;
  if (search(c, ip, &pos)) {
    e = &c->entries[pos];
    /* An aged-out entry counts as absent for the merge rule. */
    if (!create && !entry_valid(e, now))
      return FALSE;
  } else {
    if (!create)
      return FALSE;
    e = insert_new(c, ip);
    if (e == NULL)
      return FALSE;
  }

  for (guint i = 0; i < e->npending; i++) {
    if (released != NULL)
      released->frames[released->n++] = e->pending[i];
    else
      ns_frame_unref(e->pending[i]);
  }
  entry_free_pending(e);
  e->state = NS_ARP_REACHABLE;
  e->mac = mac;
  e->requests = 0;
  e->deadline = ns_time_add(now, c->cfg->reachable_time);
  return TRUE;
}

/* ---- tick --------------------------------------------------------------- */

typedef enum { EVENT_RETRY, EVENT_FAIL, EVENT_EXPIRE } TickEventKind;

/* One callback to run once the array is consistent again. */
typedef struct {
  TickEventKind kind;
  NsIp4 ip;
  NsMac mac;     /* EVENT_EXPIRE */
  guint attempt; /* EVENT_RETRY: the request number being sent */
  guint nframes; /* EVENT_FAIL */
  NsFrame *frames[NS_ARP_PENDING_MAX]; /* EVENT_FAIL, owned until handed on */
} TickEvent;

static void push_event(GArray **events, const TickEvent *ev) {
  if (*events == NULL)
    *events = g_array_new(FALSE, FALSE, sizeof(TickEvent));
  g_array_append_vals(*events, ev, 1);
}

void ns_arp_cache_tick(NsArpCache *c, NsTime now, NsArpRetryFunc retry,
                       NsArpFailFunc fail, NsArpExpireFunc expire,
                       gpointer data) {
  g_return_if_fail(c != NULL);
  GArray *events = NULL; /* allocated only when something is due */

  /* Pass 1, in ascending IP order: new states, compacting removed entries
   * out of the array (keep = write index). */
  guint keep = 0;
  for (guint i = 0; i < c->len; i++) {
    NsArpEntry *e = &c->entries[i];
    gboolean removed = FALSE;
    if (e->deadline <= now) {
      TickEvent ev = {.ip = e->ip};
      if (e->state == NS_ARP_REACHABLE) {
        ev.kind = EVENT_EXPIRE;
        ev.mac = e->mac;
        removed = TRUE;
      } else if (e->requests < c->cfg->retries) {
        e->requests++;
        /* From now, not from the old deadline: a late tick sends one
         * request, not a burst of catch-up requests. */
        e->deadline = ns_time_add(now, c->cfg->retry_interval);
        ev.kind = EVENT_RETRY;
        ev.attempt = e->requests;
      } else {
        ev.kind = EVENT_FAIL;
        ev.nframes = e->npending;
        if (e->npending > 0)
          memcpy(ev.frames, e->pending, e->npending * sizeof(NsFrame *));
        entry_free_pending(e);
        removed = TRUE;
      }
      push_event(&events, &ev);
    }
    if (!removed) {
      if (keep != i)
        c->entries[keep] = *e;
      keep++;
    }
  }
  if (c->len != keep) {
    c->len = keep;
    filter_rebuild(c);
  }

  if (events == NULL)
    return;
  /* Pass 2: callbacks, in the same order. */
  for (guint i = 0; i < events->len; i++) {
    TickEvent *ev = &g_array_index(events, TickEvent, i);
    switch (ev->kind) {
    case EVENT_RETRY:
      if (retry != NULL)
        retry(ev->ip, ev->attempt, data);
      break;
    case EVENT_FAIL:
      if (fail != NULL) {
        fail(ev->ip, ev->frames, ev->nframes, data);
      } else {
        for (guint k = 0; k < ev->nframes; k++)
          ns_frame_unref(ev->frames[k]);
      }
      break;
    case EVENT_EXPIRE:
      if (expire != NULL)
        expire(ev->ip, ev->mac, data);
      break;
    }
  }
  g_array_unref(events);
}

NsTime ns_arp_cache_next_deadline(const NsArpCache *c) {
  g_return_val_if_fail(c != NULL, NS_TIME_NEVER);
  NsTime next = NS_TIME_NEVER;
  for (guint i = 0; i < c->len; i++)
    next = MIN(next, c->entries[i].deadline);
  return next;
}

/* ---- inspection and maintenance ----------------------------------------- */

const NsArpEntry *ns_arp_cache_find(const NsArpCache *c, NsIp4 ip, NsTime now) {
  g_return_val_if_fail(c != NULL, NULL);
  guint pos;
  if (!maybe_present(c, ip) || !search(c, ip, &pos) ||
      !entry_valid(&c->entries[pos], now))
    return NULL;
  return &c->entries[pos];
}

GPtrArray *ns_arp_cache_entries(const NsArpCache *c, NsTime now) {
  g_return_val_if_fail(c != NULL, NULL);
  GPtrArray *out = g_ptr_array_sized_new(c->len);
  for (guint i = 0; i < c->len; i++) {
    if (entry_valid(&c->entries[i], now))
      g_ptr_array_add(out, (gpointer)&c->entries[i]);
  }
  return out;
}

gboolean ns_arp_cache_remove(NsArpCache *c, NsIp4 ip) {
  g_return_val_if_fail(c != NULL, FALSE);
  guint pos;
  if (!search(c, ip, &pos))
    return FALSE;
  entry_drop_pending(&c->entries[pos]);
  remove_at(c, pos);
  return TRUE;
}

guint ns_arp_cache_remove_if(NsArpCache *c, NsArpDropFunc drop, gpointer data,
                             GPtrArray *dropped) {
  g_return_val_if_fail(c != NULL && drop != NULL, 0);
  guint removed = 0;
  for (guint i = c->len; i-- > 0;) {
    NsArpEntry *e = &c->entries[i];
    if (!drop(e->ip, data))
      continue;
    if (dropped != NULL) {
      for (guint k = 0; k < e->npending; k++)
        g_ptr_array_add(dropped, e->pending[k]);
      e->npending = 0;
    }
    entry_drop_pending(e);
    remove_at(c, i);
    removed++;
  }
  return removed;
}

void ns_arp_cache_flush(NsArpCache *c) {
  g_return_if_fail(c != NULL);
  for (guint i = 0; i < c->len; i++)
    entry_drop_pending(&c->entries[i]);
  /* Give the memory back too: a flushed cache is as cheap as a new one. */
  g_clear_pointer(&c->entries, g_free);
  c->len = 0;
  c->alloc = 0;
  c->filter = 0;
}

guint ns_arp_cache_len(const NsArpCache *c) {
  g_return_val_if_fail(c != NULL, 0);
  return c->len;
}

const char *ns_arp_state_name(NsArpState s) {
  switch (s) {
  case NS_ARP_INCOMPLETE:
    return "incomplete";
  case NS_ARP_REACHABLE:
    return "reachable";
  }
  return "?";
}

const char *ns_arp_result_name(NsArpResult r) {
  switch (r) {
  case NS_ARP_HIT:
    return "hit";
  case NS_ARP_MISS:
    return "miss";
  case NS_ARP_PENDING:
    return "pending";
  case NS_ARP_FULL:
    return "full";
  }
  return "?";
}

guint64 ns_arp_cache_evictions(const NsArpCache *c) { return c->evictions; }

const NsArpEntry *ns_arp_cache_last_evicted(const NsArpCache *c) {
  return c->evicted;
}

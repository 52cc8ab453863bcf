/* fdb.c — the MAC table.
 *
 * Two arrays, both grown by doubling (FDB_INITIAL entries at first, at
 * most capacity: a switch of a big network learns a few hundred MACs,
 * and tables sized for 1,024 at creation were 200 bytes per host):
 *  - entries[alloc]: the records, each on one of two lists threaded
 *    through prev/next: the free list, or the recency list (head = least
 *    recently learned/refreshed, tail = most recent).  Simulated time never
 *    runs backwards, so the recency list is also ordered by `seen`: the
 *    aged-out entries are a prefix of it and the eviction victim is its
 *    head.
 *  - slots[2^k >= 2 * capacity]: the open-addressing index, linear probing.
 *    A slot holds an entry number + 1 (0 = empty) and that entry's hash, so
 *    a probe rejects most mismatches without touching the entry, and a
 *    deletion can find each neighbour's home slot without rehashing.
 *    Deletion shifts the following run back (no tombstones), so a probe
 *    always ends at the first empty slot and the load stays <= 1/2.
 */
#include "net/fdb.h"

#include <string.h>

#define NIL G_MAXUINT32
#define FDB_INITIAL 8

typedef struct {
  NsMac mac;
  guint port;
  NsTime seen;
  guint32 prev, next; /* recency list (or free list: next only) */
  guint32 slot;       /* index in slots[] */
} Entry;

typedef struct {
  guint32 entry; /* entry number + 1; 0 = empty */
  guint32 hash;
} Slot;

struct NsFdb {
  guint capacity;
  guint32 alloc; /* entries allocated, <= capacity */
  NsTime aging;
  guint count;
  guint32 mask; /* n_slots - 1 */
  Slot *slots;
  Entry *entries;
  guint32 lru_head, lru_tail; /* oldest, newest */
  guint32 free_head;
  guint64 aged_out; /* entries found aged out and removed or relearned */
};

/* ---- helpers ------------------------------------------------------------- */

static inline guint32 mac_hash(NsMac mac) {
  /* The six bytes as one integer (in memory order: the hash only has to be
   * the same for the same MAC within a run), then Fibonacci hashing: the
   * multiply carries every input bit into the high half.  The slot index
   * is the hash's low bits (hash & mask), and bits 32-35 of the product
   * do not depend on the last MAC byte (input bits 40-47), which is the
   * one that differs between 02:00:00:00:00:xx: the top half is folded
   * onto the low bits, or a small table puts every such MAC in one
   * probe run (two_lans spent twice the instructions in the FDB so). */
  guint32 lo;
  guint16 hi;
  memcpy(&lo, mac.b, 4); /* two fixed-size loads, not a 6-byte memcpy */
  memcpy(&hi, mac.b + 4, 2);
  guint64 k = lo | (guint64)hi << 32;
  guint32 h = (guint32)((k * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> 32);
  return h ^ (h >> 16);
}

/* Two fixed-size loads a side, as mac_hash(): memcmp of six bytes took
 * nine instructions a compare, and a switch hop makes two. */
static inline gboolean mac_eq(const NsMac *a, const NsMac *b) {
  guint32 a4, b4;
  guint16 a2, b2;
  memcpy(&a4, a->b, 4);
  memcpy(&b4, b->b, 4);
  memcpy(&a2, a->b + 4, 2);
  memcpy(&b2, b->b + 4, 2);
  return ((a4 ^ b4) | (guint32)(a2 ^ b2)) == 0;
}

/* Aged out at now: now - seen >= aging (never for a time in the past). */
static inline gboolean aged(const NsFdb *fdb, const Entry *e, NsTime now) {
  return now >= e->seen && now - e->seen >= fdb->aging;
}

static void lru_unlink(NsFdb *fdb, guint32 i) {
  Entry *e = &fdb->entries[i];
  if (e->prev != NIL)
    fdb->entries[e->prev].next = e->next;
  else
    fdb->lru_head = e->next;
  if (e->next != NIL)
    fdb->entries[e->next].prev = e->prev;
  else
    fdb->lru_tail = e->prev;
}

static void lru_append(NsFdb *fdb, guint32 i) {
  Entry *e = &fdb->entries[i];
  e->prev = fdb->lru_tail;
  e->next = NIL;
  if (fdb->lru_tail != NIL)
    fdb->entries[fdb->lru_tail].next = i;
  else
    fdb->lru_head = i;
  fdb->lru_tail = i;
}

static inline void lru_touch(NsFdb *fdb, guint32 i) {
  if (fdb->lru_tail == i)
    return;
  lru_unlink(fdb, i);
  lru_append(fdb, i);
}

/* The slot holding mac, or NIL. */
static inline guint32 find_slot(const NsFdb *fdb, NsMac mac, guint32 hash) {
  for (guint32 s = hash & fdb->mask;; s = (s + 1) & fdb->mask) {
    const Slot *slot = &fdb->slots[s];
    if (slot->entry == 0)
      return NIL;
    if (slot->hash == hash && mac_eq(&fdb->entries[slot->entry - 1].mac, &mac))
      return s;
  }
}

/* Empties slot s, shifting back the rest of its run so that every entry
 * stays reachable from its home slot. */
static void slot_delete(NsFdb *fdb, guint32 hole) {
  guint32 mask = fdb->mask;
  for (guint32 j = (hole + 1) & mask;; j = (j + 1) & mask) {
    Slot *s = &fdb->slots[j];
    if (s->entry == 0)
      break;
    guint32 home = s->hash & mask;
    /* The entry at j may fill the hole unless its home lies cyclically in
     * (hole, j]: then its probe would not pass the hole. */
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      fdb->slots[hole] = *s;
      fdb->entries[s->entry - 1].slot = hole;
      hole = j;
    }
  }
  fdb->slots[hole].entry = 0;
}

static void entry_remove(NsFdb *fdb, guint32 i) {
  slot_delete(fdb, fdb->entries[i].slot);
  lru_unlink(fdb, i);
  fdb->entries[i].next = fdb->free_head;
  fdb->free_head = i;
  fdb->count--;
}

/* slots sized for alloc entries (load <= 1/2), every entry in use put
 * back in (its home slot, or the next free one after it). */
static void slots_resize(NsFdb *fdb) {
  guint32 n = 2;
  while (n < 2 * fdb->alloc)
    n <<= 1;
  g_free(fdb->slots);
  fdb->slots = g_new0(Slot, n);
  fdb->mask = n - 1;
  for (guint32 i = fdb->lru_head; i != NIL; i = fdb->entries[i].next) {
    guint32 hash = mac_hash(fdb->entries[i].mac);
    guint32 s = hash & fdb->mask;
    while (fdb->slots[s].entry != 0)
      s = (s + 1) & fdb->mask;
    fdb->slots[s] = (Slot){i + 1, hash};
    fdb->entries[i].slot = s;
  }
}

/* Twice the entries (at most capacity), the new ones on the free list in
 * ascending order, and the slots to match. */
static void fdb_grow(NsFdb *fdb) {
  guint32 old = fdb->alloc;
  fdb->alloc = MIN(fdb->capacity, MAX(2 * old, FDB_INITIAL));
  fdb->entries = g_renew(Entry, fdb->entries, fdb->alloc);
  for (guint32 i = fdb->alloc; i-- > old;) {
    fdb->entries[i].next = fdb->free_head;
    fdb->free_head = i;
  }
  slots_resize(fdb);
}

static void entry_insert(NsFdb *fdb, NsMac mac, guint32 hash, guint port,
                         NsTime now) {
  if (fdb->free_head == NIL)
    fdb_grow(fdb);
  guint32 i = fdb->free_head;
  Entry *e = &fdb->entries[i];
  fdb->free_head = e->next;
  e->mac = mac;
  e->port = port;
  e->seen = now;
  guint32 s = hash & fdb->mask;
  while (fdb->slots[s].entry != 0)
    s = (s + 1) & fdb->mask;
  fdb->slots[s].entry = i + 1;
  fdb->slots[s].hash = hash;
  e->slot = s;
  lru_append(fdb, i);
  fdb->count++;
}

/* Removes aged-out entries at the old end of the recency list. */
static void expire_oldest(NsFdb *fdb, NsTime now) {
  while (fdb->lru_head != NIL && aged(fdb, &fdb->entries[fdb->lru_head], now)) {
    entry_remove(fdb, fdb->lru_head);
    fdb->aged_out++;
  }
}

/* ---- API ----------------------------------------------------------------- */

NsFdb *ns_fdb_new(guint capacity, NsTime aging) {
  if (capacity == 0)
    capacity = NS_FDB_DEFAULT_CAPACITY;
  if (aging == 0)
    aging = NS_FDB_DEFAULT_AGING;
  g_return_val_if_fail(capacity <= (1u << 30), NULL);
  NsFdb *fdb = g_new0(NsFdb, 1);
  fdb->capacity = capacity;
  fdb->aging = aging;
  fdb->free_head = fdb->lru_head = fdb->lru_tail = NIL;
  fdb_grow(fdb);
  return fdb;
}

void ns_fdb_free(NsFdb *fdb) {
  if (fdb == NULL)
    return;
  g_free(fdb->slots);
  g_free(fdb->entries);
  g_free(fdb);
}

NsTime ns_fdb_aging(const NsFdb *fdb) { return fdb->aging; }
guint ns_fdb_capacity(const NsFdb *fdb) { return fdb->capacity; }

NsFdbLearn ns_fdb_learn(NsFdb *fdb, NsMac mac, guint port, NsTime now,
                        guint *old_port, NsMac *evicted, gboolean *did_evict) {
  if (did_evict != NULL)
    *did_evict = FALSE;
  if (mac.b[0] & 1) /* the group bit, inline: this runs for every frame */
    return NS_FDB_IGNORED;
  guint32 hash = mac_hash(mac);
  guint32 s = find_slot(fdb, mac, hash);
  if (s != NIL) {
    guint32 i = fdb->slots[s].entry - 1;
    Entry *e = &fdb->entries[i];
    NsFdbLearn result;
    if (aged(fdb, e, now)) {
      result = NS_FDB_NEW;
      fdb->aged_out++;
    } else if (e->port != port) {
      if (old_port != NULL)
        *old_port = e->port;
      result = NS_FDB_MOVED;
    } else
      result = NS_FDB_REFRESHED;
    e->port = port;
    e->seen = now;
    lru_touch(fdb, i);
    return result;
  }
  if (fdb->count == fdb->capacity) {
    expire_oldest(fdb, now);
    if (fdb->count == fdb->capacity) {
      guint32 victim = fdb->lru_head;
      if (evicted != NULL)
        *evicted = fdb->entries[victim].mac;
      if (did_evict != NULL)
        *did_evict = TRUE;
      entry_remove(fdb, victim);
    }
  }
  entry_insert(fdb, mac, hash, port, now);
  return NS_FDB_NEW;
}

NsFdbResult ns_fdb_lookup(NsFdb *fdb, NsMac mac, NsTime now, guint *port) {
  guint32 s = find_slot(fdb, mac, mac_hash(mac));
  if (s == NIL)
    return NS_FDB_MISS;
  guint32 i = fdb->slots[s].entry - 1;
  if (aged(fdb, &fdb->entries[i], now)) {
    entry_remove(fdb, i);
    fdb->aged_out++;
    return NS_FDB_EXPIRED;
  }
  if (port != NULL)
    *port = fdb->entries[i].port;
  return NS_FDB_HIT;
}

gboolean ns_fdb_peek(const NsFdb *fdb, NsMac mac, NsFdbEntry *out) {
  guint32 s = find_slot(fdb, mac, mac_hash(mac));
  if (s == NIL)
    return FALSE;
  if (out != NULL) {
    const Entry *e = &fdb->entries[fdb->slots[s].entry - 1];
    out->mac = e->mac;
    out->port = e->port;
    out->seen = e->seen;
  }
  return TRUE;
}

gboolean ns_fdb_remove(NsFdb *fdb, NsMac mac) {
  guint32 s = find_slot(fdb, mac, mac_hash(mac));
  if (s == NIL)
    return FALSE;
  entry_remove(fdb, fdb->slots[s].entry - 1);
  return TRUE;
}

static gint entry_cmp(gconstpointer pa, gconstpointer pb) {
  const NsFdbEntry *a = pa, *b = pb;
  if (a->port != b->port)
    return a->port < b->port ? -1 : 1;
  return ns_mac_compare(a->mac, b->mac);
}

/* Listing and counting only look: they skip aged entries without removing
 * them, so that observing a table (show mac, expect) never changes what the
 * switch does next (the next lookup still sees and logs the aging). */

GArray *ns_fdb_entries(NsFdb *fdb, NsTime now) {
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(NsFdbEntry), fdb->count);
  for (guint32 i = fdb->lru_head; i != NIL; i = fdb->entries[i].next) {
    const Entry *e = &fdb->entries[i];
    if (aged(fdb, e, now))
      continue;
    NsFdbEntry x = {e->mac, e->port, e->seen};
    g_array_append_val(out, x);
  }
  g_array_sort(out, entry_cmp);
  return out;
}

guint ns_fdb_count(NsFdb *fdb, NsTime now) {
  guint n = 0;
  for (guint32 i = fdb->lru_head; i != NIL; i = fdb->entries[i].next)
    n += !aged(fdb, &fdb->entries[i], now);
  return n;
}

NsTime ns_fdb_next_expiry(const NsFdb *fdb) {
  if (fdb->lru_head == NIL || fdb->aging == NS_TIME_NEVER)
    return NS_TIME_NEVER;
  return ns_time_add(fdb->entries[fdb->lru_head].seen, fdb->aging);
}

gboolean ns_fdb_expire_one(NsFdb *fdb, NsTime now, NsFdbEntry *out) {
  guint32 i = fdb->lru_head;
  if (i == NIL || !aged(fdb, &fdb->entries[i], now))
    return FALSE;
  const Entry *e = &fdb->entries[i];
  *out = (NsFdbEntry){e->mac, e->port, e->seen};
  entry_remove(fdb, i);
  fdb->aged_out++;
  return TRUE;
}

guint64 ns_fdb_aged_count(const NsFdb *fdb) { return fdb->aged_out; }

void ns_fdb_flush(NsFdb *fdb) {
  memset(fdb->slots, 0, sizeof(Slot) * ((gsize)fdb->mask + 1));
  for (guint32 i = 0; i < fdb->alloc; i++)
    fdb->entries[i].next = i + 1 < fdb->alloc ? i + 1 : NIL;
  fdb->free_head = 0;
  fdb->lru_head = fdb->lru_tail = NIL;
  fdb->count = 0;
  fdb->aged_out = 0;
}

void ns_fdb_flush_port(NsFdb *fdb, guint port) {
  for (guint32 i = fdb->lru_head; i != NIL;) {
    guint32 next = fdb->entries[i].next;
    if (fdb->entries[i].port == port)
      entry_remove(fdb, i);
    i = next;
  }
}

/* fdb.h — a learning switch's MAC address table (forwarding database).
 *
 * Maps a unicast MAC to the port it was last seen on, with the time it was
 * last seen.  Learning: a frame's source MAC arriving on port P makes or
 * refreshes the entry (MAC -> P, seen = now); if the MAC was on another
 * port, it moves (a host re-cabled).
 *
 * Aging (IEEE 802.1D, default 300 s): an entry is valid while
 * now - seen < aging; at now - seen >= aging it has aged out.  Expiry is
 * exact: a lookup or listing at or after the boundary does not see it (and
 * removes it); the table has no clock of its own, but it tells when its
 * next entry will age out (ns_fdb_next_expiry) and hands aged entries out
 * one by one (ns_fdb_expire_one), so a switch can remove and report each
 * at the instant it ages out.  Both are O(1) per entry: the recency list's
 * head is the entry to age out first.
 *
 * Bounded: at most `capacity` entries.  When the table is full and a new MAC
 * arrives, aged-out entries are removed first; if none, the least recently
 * seen entry is evicted (the one most likely stale), and learn reports it.
 *
 * Storage: open addressing with linear probing over a power-of-two array of
 * at least twice the entries allocated; both grow by doubling up to the
 * capacity (a learn that needs room allocates, nothing else does).
 * Multicast/broadcast source MACs are never learned (caller's duty: learn
 * returns NS_FDB_IGNORED for them).
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_FDB_DEFAULT_CAPACITY 1024
#define NS_FDB_DEFAULT_AGING (300 * NS_SEC)

typedef struct NsFdb NsFdb;

typedef enum {
  NS_FDB_NEW,       /* first time seen (or seen again after aging out) */
  NS_FDB_REFRESHED, /* same port, timestamp renewed */
  NS_FDB_MOVED,     /* was on another port */
  NS_FDB_IGNORED,   /* group MAC: not learned */
} NsFdbLearn;

typedef struct {
  NsMac mac;
  guint port;
  NsTime seen;
} NsFdbEntry;

/* capacity 0 means NS_FDB_DEFAULT_CAPACITY, aging 0 NS_FDB_DEFAULT_AGING
 * (pass NS_TIME_NEVER for entries that never age).  The least recently
 * seen entry is the least recently learned or refreshed one: callers pass
 * a non-decreasing `now`, as the simulated clock does. */
NsFdb *ns_fdb_new(guint capacity, NsTime aging);
void ns_fdb_free(NsFdb *fdb);
NsTime ns_fdb_aging(const NsFdb *fdb);
guint ns_fdb_capacity(const NsFdb *fdb);

/* Learns mac on port at now.  old_port (may be NULL) receives the previous
 * port when MOVED.  evicted (may be NULL) receives the evicted entry's MAC
 * and *did_evict is set when the table was full (both may be NULL). */
NsFdbLearn ns_fdb_learn(NsFdb *fdb, NsMac mac, guint port, NsTime now,
                        guint *old_port, NsMac *evicted, gboolean *did_evict);

typedef enum {
  NS_FDB_HIT,     /* *port set */
  NS_FDB_MISS,    /* never known (or evicted) */
  NS_FDB_EXPIRED, /* was known but aged out now: removed */
} NsFdbResult;

NsFdbResult ns_fdb_lookup(NsFdb *fdb, NsMac mac, NsTime now, guint *port);
/* The entry for mac as stored, aged or not, without removing or touching
 * it (for explanations: "learned 12.5 s ago"). */
gboolean ns_fdb_peek(const NsFdb *fdb, NsMac mac, NsFdbEntry *out);
/* Forgets mac; FALSE if it was not in the table. */
gboolean ns_fdb_remove(NsFdb *fdb, NsMac mac);
/* When the least recently seen entry ages out (seen + aging), or
 * NS_TIME_NEVER when the table is empty or entries never age. */
NsTime ns_fdb_next_expiry(const NsFdb *fdb);
/* Removes the least recently seen entry if it has aged out at now, copying
 * it to *out; FALSE when none has. */
gboolean ns_fdb_expire_one(NsFdb *fdb, NsTime now, NsFdbEntry *out);
/* Entries that aged out since the table was made or flushed (handed out
 * by ns_fdb_expire_one, or found aged by a lookup or a learn). */
guint64 ns_fdb_aged_count(const NsFdb *fdb);
/* Valid entries at now, sorted by port then MAC (caller g_array_unref). */
GArray *ns_fdb_entries(NsFdb *fdb, NsTime now);
/* Valid entries at now. */
guint ns_fdb_count(NsFdb *fdb, NsTime now);
void ns_fdb_flush(NsFdb *fdb);
/* Removes every entry on port (port down). */
void ns_fdb_flush_port(NsFdb *fdb, guint port);

G_END_DECLS

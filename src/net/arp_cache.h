/* arp_cache.h — one interface's IPv4-to-MAC neighbour cache (RFC 826),
 * as an explicit state machine.
 *
 *   (absent) --resolve--> INCOMPLETE --reply/request seen--> REACHABLE
 *   INCOMPLETE --no answer after `retries` requests--> (absent, FAILED
 *              reported with the queued packets so the owner can send ICMP
 *              host unreachable)
 *   REACHABLE --reachable_time passes--> (absent: aged out; the next
 *              resolve starts again)
 *
 * INCOMPLETE entries hold a pending queue of at most NS_ARP_PENDING_MAX
 * frames waiting for the answer; when it is full the oldest is dropped
 * (returned to the caller to count/log).  A request is re-sent every
 * retry_interval until `retries` requests went unanswered.
 *
 * The cache is bounded (capacity entries).  When full, a new entry
 * replaces the REACHABLE entry that expires soonest; if all are
 * INCOMPLETE the new resolution fails at once.
 *
 * Time comes in as `now`; the cache arms no timers itself.  Its owner calls
 * ns_arp_cache_tick() at ns_arp_cache_next_deadline().
 *
 * Defaults (documented in the README): reachable 60 s, retry every 1 s,
 * 3 requests, 3 pending packets, capacity 256.
 */
#pragma once

#include "core/addr.h"
#include "core/frame.h"

G_BEGIN_DECLS

#define NS_ARP_PENDING_MAX 3
/* The most requests a configuration may ask for (arp-retries). */
#define NS_ARP_RETRIES_MAX 100
#define NS_ARP_DEFAULT_REACHABLE (60 * NS_SEC)
#define NS_ARP_DEFAULT_RETRY (1 * NS_SEC)
#define NS_ARP_DEFAULT_RETRIES 3
#define NS_ARP_DEFAULT_CAPACITY 256

typedef enum { NS_ARP_INCOMPLETE = 1, NS_ARP_REACHABLE } NsArpState;

typedef struct {
  NsTime reachable_time; /* how long an answer stays valid */
  NsTime retry_interval; /* between requests while INCOMPLETE */
  guint retries;         /* requests sent before giving up, >= 1 */
  guint capacity;        /* entries, >= 1 */
} NsArpConfig;

extern const NsArpConfig ns_arp_default_config;
/* TRUE when a and b set the same values. */
gboolean ns_arp_config_same(const NsArpConfig *a, const NsArpConfig *b);

/* 32 bytes: a router's caches hold an entry per host of its LANs. */
typedef struct {
  NsIp4 ip;
  NsMac mac;       /* valid when REACHABLE */
  guint8 state;    /* an NsArpState */
  guint8 requests; /* INCOMPLETE: requests sent so far (arp-retries <= 100) */
  guint8 npending;
  NsTime deadline; /* REACHABLE: expiry; INCOMPLETE: next retry */
  /* INCOMPLETE: the npending frames waiting, oldest first, in
   * NS_ARP_PENDING_MAX slots made by the first; NULL while none. */
  NsFrame **pending;
} NsArpEntry;

typedef struct NsArpCache NsArpCache;

typedef enum {
  NS_ARP_HIT,     /* *mac set; frame not taken */
  NS_ARP_MISS,    /* new INCOMPLETE entry, frame queued: send a request now */
  NS_ARP_PENDING, /* already resolving, frame queued */
  NS_ARP_FULL,    /* no room for a new entry: frame not taken */
} NsArpResult;

/* cfg is copied; NULL means ns_arp_default_config.  Entries are allocated
 * lazily (1, then doubling up to capacity). */
NsArpCache *ns_arp_cache_new(const NsArpConfig *cfg);
/* Frees the cache and drops pending frames. */
void ns_arp_cache_free(NsArpCache *c);
/* The same cache in the caller's memory: ns_arp_cache_size() bytes,
 * pointer-aligned, such as the tail of the owner's own allocation (an IP
 * interface and its cache in one block: one allocation fewer per host, and
 * the cache a line away from the interface, where a frame's arrival
 * fetches it).  ns_arp_cache_clear frees what it holds, not the memory. */
gsize ns_arp_cache_size(void);
/* cfg (NULL: ns_arp_default_config) is borrowed: it must outlive the
 * cache, as an IP node's does its interfaces' caches.  ns_arp_cache_new
 * keeps a copy. */
NsArpCache *ns_arp_cache_init(gpointer mem, const NsArpConfig *cfg);
void ns_arp_cache_clear(NsArpCache *c);
const NsArpConfig *ns_arp_cache_config(const NsArpCache *c);

/* Looks ip up for sending frame.  On MISS/PENDING the cache takes the
 * reference on frame (may be NULL to just start a resolution).  When the
 * pending queue was full, *dropped receives the oldest frame (caller owns
 * it), else NULL.  aged_out (may be NULL) is set TRUE when a REACHABLE
 * entry had expired and this call restarted resolution. */
NsArpResult ns_arp_cache_resolve(NsArpCache *c, NsIp4 ip, NsTime now,
                                 NsFrame *frame, NsMac *mac, NsFrame **dropped,
                                 gboolean *aged_out);

/* Records ip -> mac (an ARP reply, or a request's sender).  With create
 * FALSE only an existing entry is updated (RFC 826's merge rule: a request
 * that is not for us does not create entries).  Returns TRUE if an entry
 * was made or updated.  The frames that were pending are moved into
 * *released (caller owns them, oldest first, released->n of them; pass
 * NULL to drop them).
 * A REACHABLE entry past its deadline counts as absent.  Mappings for
 * 0.0.0.0 or to a zero or group MAC are refused (FALSE).  When the cache is
 * full, create follows the same replacement rule as resolve. */
typedef struct {
  NsFrame *frames[NS_ARP_PENDING_MAX]; /* owned by the caller once filled */
  guint n;                             /* frames filled in */
} NsArpReleased;
gboolean ns_arp_cache_update(NsArpCache *c, NsIp4 ip, NsMac mac, NsTime now,
                             gboolean create, NsArpReleased *released);

/* Called for each INCOMPLETE entry that needs another request. */
typedef void (*NsArpRetryFunc)(NsIp4 ip, guint attempt, gpointer data);
/* Called when an INCOMPLETE entry gives up; frames are handed over (the
 * callee owns the array's frames and must unref them). */
typedef void (*NsArpFailFunc)(NsIp4 ip, NsFrame **frames, guint nframes,
                              gpointer data);
/* Called when a REACHABLE entry ages out. */
typedef void (*NsArpExpireFunc)(NsIp4 ip, NsMac mac, gpointer data);

/* Handles every deadline <= now, in ascending IP order.  All entries are
 * brought to their new state first and the callbacks (each may be NULL;
 * failed frames are then dropped) run afterwards, so a callback may call
 * back into the cache.  A retried entry's next deadline is
 * now + retry_interval. */
void ns_arp_cache_tick(NsArpCache *c, NsTime now, NsArpRetryFunc retry,
                       NsArpFailFunc fail, NsArpExpireFunc expire,
                       gpointer data);
/* Earliest deadline, or NS_TIME_NEVER. */
NsTime ns_arp_cache_next_deadline(const NsArpCache *c);

/* Entry for ip or NULL (borrowed until the next change to the cache; a
 * REACHABLE entry past its deadline at now is not returned). */
const NsArpEntry *ns_arp_cache_find(const NsArpCache *c, NsIp4 ip, NsTime now);
/* Entries sorted by IP (borrowed pointers, caller g_ptr_array_unref). */
GPtrArray *ns_arp_cache_entries(const NsArpCache *c, NsTime now);
/* Removes everything; pending frames are dropped. */
void ns_arp_cache_flush(NsArpCache *c);
/* Removes ip's entry (dropping its pending frames); FALSE if absent. */
gboolean ns_arp_cache_remove(NsArpCache *c, NsIp4 ip);
/* Removes every entry whose address drop() says TRUE to; their pending
 * frames go to *dropped, oldest first per entry (caller owns them; pass
 * NULL to free them).  Returns how many entries went. */
typedef gboolean (*NsArpDropFunc)(NsIp4 ip, gpointer data);
guint ns_arp_cache_remove_if(NsArpCache *c, NsArpDropFunc drop, gpointer data,
                             GPtrArray *dropped);
/* Entries stored, including aged-out ones tick() has not removed yet. */
guint ns_arp_cache_len(const NsArpCache *c);
/* How many valid entries a full cache has pushed out so far, and the last
 * of them (NULL before the first): for the log, which says so. */
guint64 ns_arp_cache_evictions(const NsArpCache *c);
const NsArpEntry *ns_arp_cache_last_evicted(const NsArpCache *c);
const char *ns_arp_state_name(NsArpState s);   /* "incomplete", "reachable" */
const char *ns_arp_result_name(NsArpResult r); /* "hit", "miss", ... */

G_END_DECLS

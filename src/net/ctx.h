/* ctx.h — what every simulated device shares with the rest of a run.
 *
 * One NsCtx per simulated network (there is no global state: two networks
 * can live in one process, as the tests do).  Devices get it at creation
 * and keep a borrowed pointer; the network owns it.
 *
 *  - timers: the virtual clock's event queue; devices arm their embedded
 *    NsTimers on it.  Devices never read a clock: the current time comes in
 *    as the `now` argument of every entry point.
 *  - log: the event stream.
 *  - rng: the seeded generator (link loss, TCP ISNs later).
 *  - seed: the run's --seed, the secret behind numbers a real stack makes
 *    unpredictable without drawing from rng (IPv4 identifications, ping
 *    identifiers): ns_ctx_hash mixes it with what the number is for, so
 *    adding such a number never shifts what rng gives the others.
 *  - next_frame_id: journey ids for new frames, in creation order.
 *  - in_flight: frames on links right now (queued, being serialized or
 *    propagating); a bare `wait` also waits for the network to go quiet.
 *  - links: links alive; a network with many (ns_ctx_big) no longer fits
 *    in the cache, and its hot paths fetch ahead.
 *  - slab: where devices put their many small objects (core/slab.h).
 */
#pragma once

#include "core/frame.h"
#include "core/log.h"
#include "core/slab.h"
#include "core/timerq.h"

G_BEGIN_DECLS

typedef struct {
  NsTimerQueue *timers; /* borrowed */
  NsLog *log;           /* borrowed */
  GRand *rng;           /* borrowed */
  NsSlab *slab;         /* borrowed; NULL: every block is malloc's */
  guint64 seed;
  guint64 next_frame_id;
  guint64 in_flight;
  guint links;
} NsCtx;

/* A 32-bit hash of (seed, what, n): FNV-1a over the seed, the string and
 * the number, then a finalizer (splitmix64's) so near inputs land far
 * apart.  Deterministic: the same run gives the same values. */
static inline guint32 ns_ctx_hash(const NsCtx *ctx, const char *what,
                                  guint64 n) {
  guint64 h = 0xcbf29ce484222325ull;
  for (guint i = 0; i < 8; i++)
    h = (h ^ ((ctx->seed >> (8 * i)) & 0xff)) * 0x100000001b3ull;
  for (const char *p = what; *p != '\0'; p++)
    h = (h ^ (guint8)*p) * 0x100000001b3ull;
  h ^= n;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return (guint32)(h ^ (h >> 31));
}

/* From this many links a network's links, NICs and timers no longer fit in
 * the cache (a link with its two NICs' share of a node is about a
 * kilobyte), and fetching ahead pays for its few instructions. */
#define NS_CTX_BIG_LINKS 4096

static inline gboolean ns_ctx_big(const NsCtx *ctx) {
  return ctx->links >= NS_CTX_BIG_LINKS;
}

/* Ephemeral ports, as Linux's default ip_local_port_range. */
#define NS_EPHEMERAL_LOW 32768
#define NS_EPHEMERAL_HIGH 60999
#define NS_EPHEMERAL_COUNT (NS_EPHEMERAL_HIGH - NS_EPHEMERAL_LOW + 1)

/* A new zeroed frame with the next journey id. */
static inline NsFrame *ns_ctx_frame_new(NsCtx *ctx, gsize len) {
  return ns_frame_new(len, ++ctx->next_frame_id);
}
/* The same, its bytes left for the caller to write, every one of them
 * (ns_frame_new_unfilled). */
static inline NsFrame *ns_ctx_frame_new_unfilled(NsCtx *ctx, gsize len) {
  return ns_frame_new_unfilled(len, ++ctx->next_frame_id);
}

G_END_DECLS

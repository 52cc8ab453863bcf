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
 *  - next_frame_id: journey ids for new frames, in creation order.
 *  - in_flight: frames on links right now (queued, being serialized or
 *    propagating); a bare `wait` also waits for the network to go quiet.
 */
#pragma once

#include "core/frame.h"
#include "core/log.h"
#include "core/timerq.h"

G_BEGIN_DECLS

typedef struct {
  NsTimerQueue *timers; /* borrowed */
  NsLog *log;           /* borrowed */
  GRand *rng;           /* borrowed */
  guint64 next_frame_id;
  guint64 in_flight;
} NsCtx;

/* A new zeroed frame with the next journey id. */
static inline NsFrame *ns_ctx_frame_new(NsCtx *ctx, gsize len) {
  return ns_frame_new(len, ++ctx->next_frame_id);
}

G_END_DECLS

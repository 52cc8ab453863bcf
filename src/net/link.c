/* link.c — NICs and full-duplex links.
 *
 * Each direction owns two lanes of in-flight frames (link.h: the normal
 * lane and the express lane for reordered frames).  A frame's entry
 * records when its serialization finishes (`done`) and when it reaches the
 * far NIC (`arrival`).  Both are non-decreasing along a lane, and `done`
 * is non-decreasing over the whole direction (one serializer), so the
 * frames still serializing are a suffix of each lane: the queue occupancy
 * is a short walk back from the tails (O(1) while the express lane is
 * empty), and each lane's timer only ever needs its head's arrival.
 */
#include "net/link.h"
#include "core/i18n.h"
#include "net/link_params.h"

#include <string.h>

/* A host's link mostly holds one frame at a time (a request, its reply):
 * each lane starts with one slot of its own, `one`, and the ring doubles
 * into the slab as needed.  On a network of 100,000 hosts the rings were
 * a seventh of the memory; and a slot inside the lane is in the lines
 * the lane's timer already brought into cache, where a ring elsewhere was
 * one more wait for memory at each send and each delivery. */

typedef struct {
  NsFrame *frame;
  NsTime done;    /* serialization finished */
  NsTime arrival; /* when it reaches the far NIC */
} InFlight;

typedef struct Direction Direction;

/* The timer comes first, and a direction's normal lane first in it: on a
 * big network the timer queue fetches a timer's two lines ahead of its
 * firing (core/timerq.c), and what a delivery reads next (the lane's
 * ring, the direction's link, side and counters) is in them. */
typedef struct {
  NsTimer timer; /* armed for the head's arrival while the ring is full */
  Direction *dir;
  InFlight *ring; /* cap slots, a power of two: &one, or from the slab */
  guint cap;
  guint head;   /* index of the oldest frame */
  guint count;  /* frames in the ring */
  InFlight one; /* the ring while cap is 1 */
} Lane;

/* The express lane is made by the first reordered frame: most links never
 * reorder, and on a network of 100,000 hosts the two idle express lanes
 * of every link were a sixth of its size. */
struct Direction {
  Lane normal; /* the normal lane: first (above) */
  NsLink *link;
  guint side;        /* 0: a->b, 1: b->a */
  guint8 ge_bad;     /* Gilbert-Elliott: in the bad state */
  guint8 open;       /* the link is up and the far NIC attached (link_open) */
  Lane *express;     /* reordered frames; NULL until the first, owned */
  NsTime busy_until; /* when the last accepted frame finishes serializing */
  /* NsLinkDirStats: the three every frame moves, and the rest (copies,
   * damage, drops) made by the first of them: 80 bytes a link that never
   * drops (ns_link_stats() puts them together). */
  guint64 sent, delivered, bytes;
  NsLinkDirStats *rare;
};

struct NsLinkTap {
  NsLinkTapFunc fn; /* NULL once removed while taps were running */
  gpointer data;
};

/* params points at ns_link_default_params while the link has the defaults
 * (most links of a big network: 104 bytes each saved), else at the
 * link's own copy. */
struct NsLink {
  NsCtx *ctx;                 /* borrowed */
  NsNic *nic[2];              /* a, b; NULL once a NIC was cleared */
  const NsLinkParams *params; /* the defaults, or owned */
  guint8 up;
  guint8 impaired;   /* some draw may be made (loss, GE, jitter, duplicate,
                        corrupt, reorder): else sending skips them all */
  guint32 byte_time; /* ns a byte takes at params->rate_bps when that is a
                        whole number (100 Mb/s: 80), else 0: divide */
  Direction dir[2];
  GPtrArray *taps;   /* of NsLinkTap*, owned, in order added; NULL: none yet */
  guint ntaps;       /* taps not removed */
  guint tapping;     /* > 0 while taps run (they may re-enter ns_nic_send) */
  gboolean tap_gone; /* a tap was removed while tapping: sweep after */
};

/* Each direction's `open`, after the link went up or down or lost a NIC. */
static void link_open(NsLink *link) {
  for (guint side = 0; side < 2; side++)
    link->dir[side].open = link->up && link->nic[side ^ 1] != NULL;
}

const NsLinkParams ns_link_default_params = {
    .delay = 10 * NS_USEC,
    .rate_bps = 100 * 1000 * 1000,
    .loss_model = NS_LOSS_RANDOM,
    .loss = 0.0,
    .ge = {.p = 0, .r = 1, .bad_loss = 1, .good_loss = 0},
    .queue_limit = 64,
};

static const char *const drop_reason_names[NS_DROP_N_REASONS] = {
    [NS_DROP_QUEUE_FULL] = "queue-full",
    [NS_DROP_LOSS] = "loss",
    [NS_DROP_LINK_DOWN] = "link-down",
};

const char *ns_drop_reason_name(NsDropReason r) {
  g_return_val_if_fail(r < NS_DROP_N_REASONS, "?");
  return drop_reason_names[r];
}

/* ---- NIC ----------------------------------------------------------------- */

void ns_nic_init(NsNic *nic, const char *name, const char *node, gpointer owner,
                 guint index, NsNicRecvFunc recv) {
  g_return_if_fail(nic != NULL);
  memset(nic, 0, sizeof *nic);
  nic->name = g_intern_string(name != NULL ? name : "?");
  nic->node = node;
  nic->owner = owner;
  nic->index = index;
  nic->recv = recv;
}

static void link_detach(NsLink *link, NsNic *nic);

void ns_nic_clear(NsNic *nic) {
  if (nic == NULL)
    return;
  if (nic->link != NULL)
    link_detach(nic->link, nic);
  nic->name = NULL;
}

/* ---- lanes --------------------------------------------------------------- */

static inline InFlight *ring_at(const Lane *l, guint i) {
  return &l->ring[(l->head + i) & (l->cap - 1)];
}

/* The slab's ring of l, if it has one, back to the slab. */
static void ring_release(NsCtx *ctx, Lane *l) {
  if (l->ring != &l->one)
    ns_slab_release(ctx->slab, l->ring, l->cap * sizeof *l->ring);
}

static void ring_grow(NsCtx *ctx, Lane *l) {
  guint cap = l->cap * 2;
  InFlight *ring = ns_slab_alloc0(ctx->slab, cap * sizeof *ring);
  for (guint i = 0; i < l->count; i++)
    ring[i] = *ring_at(l, i);
  ring_release(ctx, l);
  l->ring = ring;
  l->cap = cap;
  l->head = 0;
}

static inline NsFrame *ring_pop(NsCtx *ctx, Lane *l) {
  ctx->in_flight--;
  NsFrame *frame = l->ring[l->head].frame;
  l->head = (l->head + 1) & (l->cap - 1);
  l->count--;
  return frame;
}

/* Frames of l still serializing at now, counting at most limit: `done`
 * never decreases along a lane, so they are a suffix. */
static guint lane_busy(const Lane *l, NsTime now, guint limit) {
  guint n = 0;
  while (n < l->count && n < limit && ring_at(l, l->count - 1 - n)->done > now)
    n++;
  return n;
}

/* TRUE when limit frames are still waiting or being serialized at now.
 * With the express lane empty that is the case exactly when the limit-th
 * frame from the normal lane's tail has not finished: O(1). */
static G_GNUC_NO_INLINE gboolean queue_full_two_lanes(const Direction *d,
                                                      NsTime now, guint limit) {
  return lane_busy(&d->normal, now, limit) +
             lane_busy(d->express, now, limit) >=
         limit;
}

static inline gboolean queue_full(const Direction *d, NsTime now, guint limit) {
  const Lane *l = &d->normal;
  if (G_LIKELY(d->express == NULL || d->express->count == 0))
    return l->count >= limit &&
           l->ring[(l->head + l->count - limit) & (l->cap - 1)].done > now;
  return queue_full_two_lanes(d, now, limit);
}

/* ---- logging (cold) ------------------------------------------------------ */

static const char *nic_node(const NsNic *nic) {
  return nic != NULL && nic->node != NULL ? nic->node : "?";
}

static const char *nic_name(const NsNic *nic) {
  return nic != NULL && nic->name != NULL ? nic->name : "?";
}

/* "link/EVENT" from side's NIC: "h1:eth0 -> sw1:port1 DETAIL". */
static G_GNUC_NO_INLINE void log_link(NsLink *link, guint side,
                                      const NsFrame *frame, const char *event,
                                      NsTime now, const char *why,
                                      const char *detail) {
  const NsNic *from = link->nic[side];
  const NsNic *to = link->nic[side ^ 1];
  ns_log_printf(link->ctx->log, now, nic_node(from), event, frame->id, why,
                "%s:%s -> %s:%s %s", nic_node(from), nic_name(from),
                nic_node(to), nic_name(to), detail);
}

static void log_drop(NsLink *link, guint side, const NsFrame *frame,
                     NsDropReason r, NsTime now, const char *why) {
  log_link(link, side, frame, "link/drop", now, why, ns_drop_reason_name(r));
}

static void loss_why(const NsLink *link, const Direction *d, double draw,
                     char *why, gsize size) {
  const NsLinkParams *p = link->params;
  if (p->loss_model == NS_LOSS_GEMODEL)
    ns_why_printf(why, size,
                  d->ge_bad ? N_("Gilbert-Elliott loss, bad state: random "
                                 "draw %.4f < loss probability %g there")
                            : N_("Gilbert-Elliott loss, good state: random "
                                 "draw %.4f < loss probability %g there"),
                  draw, d->ge_bad ? p->ge.bad_loss : p->ge.good_loss);
  else
    ns_why_printf(why, size, N_("random draw %.4f < loss probability %g"), draw,
                  p->loss);
}

static G_GNUC_NO_INLINE void log_send_drop(NsLink *link, guint side,
                                           const NsFrame *frame, NsDropReason r,
                                           NsTime now, double draw) {
  char why[NS_WHY_MAX];
  const char *whyp = NULL;
  if (ns_log_explain(link->ctx->log)) {
    switch (r) {
    case NS_DROP_QUEUE_FULL:
      ns_why_printf(why, sizeof why,
                    N_("the queue is full: %u frames already wait to be "
                       "serialized, the most it holds"),
                    link->params->queue_limit);
      break;
    case NS_DROP_LOSS:
      loss_why(link, &link->dir[side], draw, why, sizeof why);
      break;
    case NS_DROP_LINK_DOWN:
    default:
      g_strlcpy(why,
                link->up ? N_("the far end is not attached")
                         : N_("the link is down"),
                sizeof why);
      break;
    }
    whyp = why;
  }
  log_drop(link, side, frame, r, now, whyp);
}

/* link/corrupt, link/duplicate, link/reorder: the draw that made it. */
static G_GNUC_NO_INLINE void
log_impairment(NsLink *link, guint side, const NsFrame *frame, const char *what,
               double prob, double draw, NsTime now, const char *detail) {
  char event[32], why[NS_WHY_MAX];
  g_snprintf(event, sizeof event, "link/%s", what);
  ns_why_printf(why, sizeof why, N_("random draw %.4f < %s probability %g"),
                draw, what, prob);
  log_link(link, side, frame, event, now,
           ns_log_explain(link->ctx->log) ? why : NULL, detail);
}

/* ---- the draws ----------------------------------------------------------- */

/* TRUE with probability prob; draws only when 0 < prob, so a link without
 * the impairment leaves the generator alone.  *draw: what was drawn. */
static inline gboolean chance(NsLink *link, double prob, double *draw) {
  if (G_LIKELY(prob <= 0))
    return FALSE;
  *draw = g_rand_double(link->ctx->rng);
  return *draw < prob;
}

/* Gilbert-Elliott (link.h): the state moves, then the frame meets it. */
static gboolean ge_lost(NsLink *link, Direction *d, double *draw) {
  const NsGeModel *ge = &link->params->ge;
  double move;
  if (chance(link, d->ge_bad ? ge->r : ge->p, &move))
    d->ge_bad = !d->ge_bad;
  *draw = g_rand_double(link->ctx->rng);
  return *draw < (d->ge_bad ? ge->bad_loss : ge->good_loss);
}

static inline gboolean lost(NsLink *link, Direction *d, double *draw) {
  if (link->params->loss_model == NS_LOSS_GEMODEL)
    return ge_lost(link, d, draw);
  return chance(link, link->params->loss, draw);
}

/* d's counters of copies, damage and drops, made if they were not. */
static NsLinkDirStats *rare_stats(Direction *d) {
  if (G_UNLIKELY(d->rare == NULL))
    d->rare = g_new0(NsLinkDirStats, 1);
  return d->rare;
}

/* Takes frame; returns it (or its private copy) with one bit flipped. */
static NsFrame *corrupt(NsLink *link, Direction *d, NsFrame *frame, double draw,
                        NsTime now) {
  if (frame->len == 0)
    return frame;
  guint bit = (guint)g_rand_int_range(link->ctx->rng, 0, frame->len * 8);
  frame = ns_frame_make_writable(frame);
  frame->data[bit / 8] ^= (guint8)(0x80u >> (bit % 8));
  frame->csum_ok = FALSE; /* the receiver must find out (core/frame.h) */
  rare_stats(d)->corrupted++;
  if (ns_log_on(link->ctx->log)) {
    char detail[64];
    g_snprintf(detail, sizeof detail, "bit %u of byte %u flipped", bit % 8,
               bit / 8);
    log_impairment(link, d->side, frame, "corrupt", link->params->corrupt, draw,
                   now, detail);
  }
  return frame;
}

/* delay +- jitter, drawn uniformly, never below 0. */
static NsTime jittered_delay(NsLink *link) {
  const NsLinkParams *p = link->params;
  if (G_LIKELY(p->jitter == 0))
    return p->delay;
  double u = g_rand_double(link->ctx->rng);
  gint64 d = (gint64)p->delay - (gint64)p->jitter +
             (gint64)(u * 2.0 * (double)p->jitter);
  return d > 0 ? (NsTime)d : 0;
}

/* ---- sending and delivery ------------------------------------------------ */

static G_GNUC_NO_INLINE void drop_at_send(NsLink *link, guint side, NsNic *nic,
                                          NsFrame *frame, NsDropReason r,
                                          NsTime now, double draw) {
  rare_stats(&link->dir[side])->drops[r]++;
  if (nic != NULL)
    nic->counters.tx_dropped++;
  if (ns_log_on(link->ctx->log))
    log_send_drop(link, side, frame, r, now, draw);
  ns_frame_unref(frame);
}

static void sweep_taps(NsLink *link);

/* Taps added while they run wait for the next frame: only the first n. */
static void run_taps(NsLink *link, guint side, const NsFrame *frame,
                     NsTime now) {
  link->tapping++;
  guint n = link->taps->len;
  for (guint i = 0; i < n; i++) {
    NsLinkTap *t = g_ptr_array_index(link->taps, i);
    if (t->fn != NULL)
      t->fn(link, side, frame, now, t->data);
  }
  if (--link->tapping == 0 && link->tap_gone)
    sweep_taps(link);
}

/* Why no frame fits on the wire at now (down, queue full), or
 * NS_DROP_N_REASONS. */
static inline NsDropReason blocked(NsLink *link, Direction *d, NsTime now) {
  if (G_UNLIKELY(!d->open))
    return NS_DROP_LINK_DOWN;
  if (queue_full(d, now, link->params->queue_limit))
    return NS_DROP_QUEUE_FULL;
  return NS_DROP_N_REASONS;
}

/* Why a frame offered at now is dropped, or NS_DROP_N_REASONS. */
static inline NsDropReason refusal(NsLink *link, Direction *d, NsTime now,
                                   gboolean impaired, double *draw) {
  NsDropReason r = blocked(link, d, now);
  if (r == NS_DROP_N_REASONS && impaired && lost(link, d, draw))
    r = NS_DROP_LOSS;
  return r;
}

/* The corrupt and reorder draws of an accepted frame (*frame may become
 * its private copy); TRUE when it takes the express lane. */
static G_GNUC_NO_INLINE gboolean impair(NsLink *link, Direction *d,
                                        NsFrame **frame, NsTime now) {
  const NsLinkParams *p = link->params;
  double draw = 0;
  if (chance(link, p->corrupt, &draw))
    *frame = corrupt(link, d, *frame, draw, now);
  if (!chance(link, p->reorder, &draw))
    return FALSE;
  rare_stats(d)->reordered++;
  if (ns_log_on(link->ctx->log))
    log_impairment(link, d->side, *frame, "reorder", p->reorder, draw, now,
                   "sent ahead, without the propagation delay");
  return TRUE;
}

static void lane_fire(NsTimer *timer, NsTime now, gpointer data);

static void lane_init(Direction *d, Lane *l) {
  l->dir = d;
  ns_timer_init(&l->timer, lane_fire, l);
  l->ring = &l->one;
  l->cap = 1;
}

/* d's express lane, made by its first reordered frame. */
static G_GNUC_NO_INLINE Lane *express_lane(Direction *d) {
  if (d->express == NULL) {
    d->express = g_new0(Lane, 1);
    lane_init(d, d->express);
  }
  return d->express;
}

/* How long len bytes take to serialize on link: a multiplication at the
 * usual rates, exactly what the division gives. */
static inline NsTime serialize_time(const NsLink *link, guint len) {
  if (G_LIKELY(link->byte_time != 0))
    return (NsTime)len * link->byte_time;
  guint64 rate = link->params->rate_bps;
  return rate ? (NsTime)len * 8 * NS_SEC / rate : 0;
}

/* Puts an accepted frame (taken) on the wire: corrupt, reorder and jitter
 * draws (only when impaired, which callers pass as a constant so that a
 * plain link's path has none of them), its lane, the taps, the lane's
 * timer.  Inlined into ns_nic_send, every frame's path; send_copy, the
 * rare one, calls enqueue_copy. */
static inline __attribute__((always_inline)) void
enqueue(NsLink *link, Direction *d, NsFrame *frame, NsTime now,
        gboolean impaired) {
  gboolean express = impaired && impair(link, d, &frame, now);
  NsCtx *ctx = link->ctx;
  NsTime start = MAX(now, d->busy_until);
  NsTime done = start + serialize_time(link, frame->len);
  NsTime arrival = done;
  Lane *l = express ? express_lane(d) : &d->normal;
  /* The lane's fields read once, before anything is stored. */
  guint count = l->count;
  if (!express) {
    arrival += impaired ? jittered_delay(link) : link->params->delay;
    /* Neither jitter nor a shorter delay set mid-run overtakes frames
     * already on the wire: the normal lane stays FIFO. */
    if (count > 0)
      arrival = MAX(arrival, ring_at(l, count - 1)->arrival);
  }
  if (G_UNLIKELY(count == l->cap))
    ring_grow(ctx, l);
  InFlight *slot = ring_at(l, count);
  NsTime head = count == 0 ? arrival : l->ring[l->head].arrival;
  slot->frame = frame;
  slot->done = done;
  slot->arrival = arrival;
  l->count = count + 1;
  d->busy_until = done;
  ctx->in_flight++;
  if (link->ntaps > 0) {
    run_taps(link, d->side, frame, now);
    /* A tap may have sent on this link (or taken it down: every frame on
     * it dropped, its timers cancelled). */
    if (l->count == 0)
      return;
    head = l->ring[l->head].arrival;
  }
  /* Unarmed means the lane was empty, or its timer is firing right now and
   * will re-arm itself; either way the head decides. */
  if (!ns_timer_armed(&l->timer))
    ns_timerq_arm(ctx->timers, &l->timer, head);
}

static G_GNUC_NO_INLINE void enqueue_copy(NsLink *link, Direction *d,
                                          NsFrame *copy, NsTime now) {
  enqueue(link, d, copy, now, TRUE); /* only an impaired link copies */
}

/* The copy duplicate=P made (taken): a frame of its own on the wire, but
 * never lost or duplicated again. */
static void send_copy(NsLink *link, Direction *d, NsFrame *copy, double draw,
                      NsTime now) {
  rare_stats(d)->duplicated++;
  if (ns_log_on(link->ctx->log))
    log_impairment(link, d->side, copy, "duplicate", link->params->duplicate,
                   draw, now, "a second copy follows");
  /* A tap run for the original may have taken the link down. */
  NsDropReason r = blocked(link, d, now);
  if (r != NS_DROP_N_REASONS) {
    drop_at_send(link, d->side, NULL, copy, r, now, 0);
    return;
  }
  enqueue_copy(link, d, copy, now);
}

void ns_nic_prefetch_send(const NsNic *nic) {
  const NsLink *link = nic->link;
  if (link == NULL)
    return;
  const Direction *d = &link->dir[nic->side];
  __builtin_prefetch(link, 1);
  __builtin_prefetch(d, 1);
  __builtin_prefetch((const char *)d + 64, 1);
  __builtin_prefetch((const char *)d + 128, 1);
}

/* ns_nic_send once nic has a link; impaired is a constant at each call, so
 * the plain link's copy makes no draw and tests nothing about them. */
static inline __attribute__((always_inline)) gboolean
send_on(NsLink *link, NsNic *nic, NsFrame *frame, NsTime now,
        gboolean impaired) {
  Direction *d = &link->dir[nic->side];
  double draw = 0;
  NsDropReason r = refusal(link, d, now, impaired, &draw);
  if (r != NS_DROP_N_REASONS) {
    drop_at_send(link, d->side, nic, frame, r, now, draw);
    return FALSE;
  }
  d->sent++;
  nic->counters.tx_frames++;
  nic->counters.tx_bytes += frame->len;
  /* The copy holds the bytes as offered: a corrupt draw on the original
   * makes it writable, which leaves the copy's buffer alone. */
  NsFrame *copy = impaired && chance(link, link->params->duplicate, &draw)
                      ? ns_frame_ref(frame)
                      : NULL;
  enqueue(link, d, frame, now, impaired);
  if (copy != NULL)
    send_copy(link, d, copy, draw, now);
  return TRUE;
}

static G_GNUC_NO_INLINE gboolean send_impaired(NsLink *link, NsNic *nic,
                                               NsFrame *frame, NsTime now) {
  return send_on(link, nic, frame, now, TRUE);
}

gboolean ns_nic_send(NsNic *nic, NsFrame *frame, NsTime now) {
  g_return_val_if_fail(nic != NULL && frame != NULL, FALSE);
  NsLink *link = nic->link;
  if (link == NULL) {
    nic->counters.tx_dropped++;
    ns_frame_unref(frame);
    return FALSE;
  }
  if (G_UNLIKELY(link->impaired))
    return send_impaired(link, nic, frame, now);
  return send_on(link, nic, frame, now, FALSE);
}

/* On a big network the frames in flight are far more than the cache holds,
 * and each delivery waits for memory several times over, one load after
 * the other (the lane, its ring, the link, the receiving NIC, the
 * frame).  The lanes that fire next are usually the FIFO's next
 * timers: fetch ahead in stages, each reading only what the stage before
 * fetched one delivery earlier, so that by the time a lane fires its lines
 * are there.  The timer queue itself fetches the timer two behind the
 * head (core/timerq.c). */
static inline const Lane *lane_of(const NsTimer *t) {
  return t != NULL && t->fn == lane_fire ? t->data : NULL;
}

static inline void prefetch_ahead(NsTimerQueue *q) {
  const NsTimer *ahead[2];
  ns_timerq_peek_fifo2(q, ahead);
  const Lane *l2 = lane_of(ahead[1]); /* its lines: fetched by the queue */
  if (l2 != NULL) {
    __builtin_prefetch(l2->dir->link);
    __builtin_prefetch(&l2->dir->delivered, 1);
    if (l2->count > 0)
      __builtin_prefetch(&l2->ring[l2->head]);
  }
  const Lane *l1 = lane_of(ahead[0]); /* its link and ring slot: fetched */
  if (l1 != NULL) {
    const NsNic *to = l1->dir->link->nic[l1->dir->side ^ 1];
    if (to != NULL) {
      __builtin_prefetch(to);
      __builtin_prefetch((const char *)to + 64);
      /* An IP interface's ARP cache follows it (net/ipnode.c), which a
       * flooded ARP request reads at every host. */
      __builtin_prefetch((const char *)to + 128);
    }
    if (l1->count > 0)
      __builtin_prefetch(l1->ring[l1->head].frame);
  }
}

static void lane_fire(NsTimer *timer, NsTime now, gpointer data) {
  (void)timer;
  Lane *l = data;
  Direction *d = l->dir;
  NsLink *link = d->link;
  if (ns_ctx_big(link->ctx))
    prefetch_ahead(link->ctx->timers);
  /* The timer is armed only for the head's arrival, and a lane emptied
   * (link down, NIC gone) cancels it: the head is due.  The frame leaves
   * the ring before recv runs, so a receiver that sends (even on this
   * link) or takes the link down sees a consistent ring. */
  g_assert(l->count > 0);
  do {
    NsFrame *frame = ring_pop(link->ctx, l);
    NsNic *to = link->nic[d->side ^ 1];
    d->delivered++;
    d->bytes += frame->len;
    to->counters.rx_frames++;
    to->counters.rx_bytes += frame->len;
    if (to->recv != NULL)
      to->recv(to, frame, now);
    else
      ns_frame_unref(frame);
  } while (l->count > 0 && l->ring[l->head].arrival <= now);
  if (l->count > 0) {
    NsTime next = l->ring[l->head].arrival;
    if (!ns_timer_armed(&l->timer) || l->timer.when != next)
      ns_timerq_arm(link->ctx->timers, &l->timer, next);
  }
}

/* Drops every frame in flight in lane l of direction d; logs when on. */
static void lane_drop_all(NsLink *link, Direction *d, Lane *l, gboolean on,
                          NsTime now) {
  ns_timerq_cancel(link->ctx->timers, &l->timer);
  while (l->count > 0) {
    NsFrame *frame = ring_pop(link->ctx, l);
    rare_stats(d)->drops[NS_DROP_LINK_DOWN]++;
    if (on)
      log_drop(link, d->side, frame, NS_DROP_LINK_DOWN, now,
               ns_log_explain(link->ctx->log)
                   ? N_("the link went down while the frame was in flight")
                   : NULL);
    ns_frame_unref(frame);
  }
  l->head = 0;
}

/* Drops every frame in flight in direction d; logs when now is known. */
static void direction_drop_all(NsLink *link, Direction *d, gboolean log,
                               NsTime now) {
  gboolean on = log && ns_log_on(link->ctx->log);
  lane_drop_all(link, d, &d->normal, on, now);
  if (d->express != NULL)
    lane_drop_all(link, d, d->express, on, now);
  d->busy_until = 0;
}

/* ---- link ---------------------------------------------------------------- */

/* A probability into 0..1 (NaN: 0). */
static void clamp_probability(double *x) {
  if (!(*x >= 0))
    *x = 0;
  if (*x > 1)
    *x = 1;
}

static void sanitize_params(NsLinkParams *p) {
  if (p->queue_limit < 1)
    p->queue_limit = 1;
  double *probs[] = {&p->loss,        &p->ge.p,         &p->ge.r,
                     &p->ge.bad_loss, &p->ge.good_loss, &p->duplicate,
                     &p->corrupt,     &p->reorder};
  for (guint i = 0; i < G_N_ELEMENTS(probs); i++)
    clamp_probability(probs[i]);
  if (p->loss_model != NS_LOSS_GEMODEL)
    p->loss_model = NS_LOSS_RANDOM;
}

/* Whether sending on params p may draw from the generator (link.h: a link
 * whose probabilities are all 0 draws nothing). */
static gboolean params_impair(const NsLinkParams *p) {
  return p->loss_model == NS_LOSS_GEMODEL || p->loss > 0 || p->jitter > 0 ||
         p->duplicate > 0 || p->corrupt > 0 || p->reorder > 0;
}

/* The link takes p (sanitized): the shared defaults, or its own copy. */
static void link_take_params(NsLink *link, const NsLinkParams *p) {
  NsLinkParams clean = p != NULL ? *p : ns_link_default_params;
  sanitize_params(&clean);
  if (link->params != &ns_link_default_params)
    g_free((gpointer)link->params);
  link->params = ns_link_params_same(&clean, &ns_link_default_params)
                     ? &ns_link_default_params
                     : g_memdup2(&clean, sizeof clean);
  link->impaired = params_impair(link->params);
  guint64 rate = link->params->rate_bps;
  link->byte_time =
      rate != 0 && 8 * NS_SEC % rate == 0 && 8 * NS_SEC / rate <= G_MAXUINT32
          ? (guint32)(8 * NS_SEC / rate)
          : 0;
}

NsLink *ns_link_new(NsCtx *ctx, NsNic *a, NsNic *b, const NsLinkParams *p) {
  g_return_val_if_fail(ctx != NULL && a != NULL && b != NULL && a != b, NULL);
  g_return_val_if_fail(a->link == NULL && b->link == NULL, NULL);
  NsLink *link = ns_slab_alloc0(ctx->slab, sizeof *link);
  link->ctx = ctx;
  if (++ctx->links == NS_CTX_BIG_LINKS)
    ns_timerq_set_prefetch(ctx->timers, TRUE);
  link->nic[0] = a;
  link->nic[1] = b;
  link->params = &ns_link_default_params;
  link_take_params(link, p);
  link->up = TRUE;
  link_open(link);
  for (guint side = 0; side < 2; side++) {
    Direction *d = &link->dir[side];
    d->link = link;
    d->side = side;
    lane_init(d, &d->normal);
  }
  a->link = link;
  a->side = 0;
  b->link = link;
  b->side = 1;
  return link;
}

void ns_link_free(NsLink *link) {
  if (link == NULL)
    return;
  if (link->ctx->links-- == NS_CTX_BIG_LINKS)
    ns_timerq_set_prefetch(link->ctx->timers, FALSE);
  for (guint side = 0; side < 2; side++) {
    Direction *d = &link->dir[side];
    direction_drop_all(link, d, FALSE, 0);
    ring_release(link->ctx, &d->normal);
    if (d->express != NULL)
      ring_release(link->ctx, d->express);
    g_free(d->express);
    g_free(d->rare);
    if (link->nic[side] != NULL)
      link->nic[side]->link = NULL;
  }
  if (link->taps != NULL)
    g_ptr_array_free(link->taps, TRUE);
  if (link->params != &ns_link_default_params)
    g_free((gpointer)link->params);
  ns_slab_release(link->ctx->slab, link, sizeof *link);
}

/* A NIC going away (its device freed) before its link: what was in flight
 * is lost, and the link stays as an empty shell until ns_link_free. */
static void link_detach(NsLink *link, NsNic *nic) {
  for (guint side = 0; side < 2; side++)
    direction_drop_all(link, &link->dir[side], FALSE, 0);
  for (guint side = 0; side < 2; side++)
    if (link->nic[side] == nic)
      link->nic[side] = NULL;
  link_open(link);
  nic->link = NULL;
}

NsNic *ns_link_nic(NsLink *link, guint side) {
  g_return_val_if_fail(link != NULL && side < 2, NULL);
  return link->nic[side];
}

NsNic *ns_link_peer(NsLink *link, const NsNic *nic) {
  g_return_val_if_fail(link != NULL, NULL);
  if (link->nic[0] == nic)
    return link->nic[1];
  if (link->nic[1] == nic)
    return link->nic[0];
  g_return_val_if_reached(NULL);
}

const NsLinkParams *ns_link_params(const NsLink *link) {
  g_return_val_if_fail(link != NULL, NULL);
  return link->params;
}

void ns_link_set_params(NsLink *link, const NsLinkParams *p) {
  g_return_if_fail(link != NULL && p != NULL);
  link_take_params(link, p);
}

gboolean ns_link_is_up(const NsLink *link) {
  g_return_val_if_fail(link != NULL, FALSE);
  return link->up;
}

void ns_link_set_up(NsLink *link, gboolean up, NsTime now) {
  g_return_if_fail(link != NULL);
  up = !!up;
  if (link->up == up)
    return;
  link->up = up;
  link_open(link);
  if (ns_log_on(link->ctx->log)) {
    const NsNic *a = link->nic[0], *b = link->nic[1];
    ns_log_printf(link->ctx->log, now, nic_node(a),
                  up ? "link/up" : "link/down", 0, NULL, "%s:%s <-> %s:%s %s",
                  nic_node(a), nic_name(a), nic_node(b), nic_name(b),
                  up ? "up" : "down");
  }
  if (!up)
    for (guint side = 0; side < 2; side++)
      direction_drop_all(link, &link->dir[side], TRUE, now);
  for (guint side = 0; side < 2; side++) {
    NsNic *nic = link->nic[side];
    if (nic != NULL && nic->carrier != NULL)
      nic->carrier(nic, up, now);
  }
}

NsLinkDirStats ns_link_stats(const NsLink *link, guint side) {
  NsLinkDirStats s = {0};
  g_return_val_if_fail(link != NULL && side < 2, s);
  const Direction *d = &link->dir[side];
  if (d->rare != NULL)
    s = *d->rare;
  s.sent = d->sent;
  s.delivered = d->delivered;
  s.bytes = d->bytes;
  return s;
}

guint ns_link_in_flight(const NsLink *link, guint side) {
  g_return_val_if_fail(link != NULL && side < 2, 0);
  const Direction *d = &link->dir[side];
  return d->normal.count + (d->express != NULL ? d->express->count : 0);
}

/* ---- taps ---------------------------------------------------------------- */

NsLinkTap *ns_link_add_tap(NsLink *link, NsLinkTapFunc fn, gpointer data) {
  g_return_val_if_fail(link != NULL && fn != NULL, NULL);
  if (link->taps == NULL)
    link->taps = g_ptr_array_new_with_free_func(g_free);
  NsLinkTap *t = g_new(NsLinkTap, 1);
  t->fn = fn;
  t->data = data;
  g_ptr_array_add(link->taps, t);
  link->ntaps++;
  return t;
}

static void sweep_taps(NsLink *link) {
  for (guint i = link->taps->len; i-- > 0;)
    if (((NsLinkTap *)g_ptr_array_index(link->taps, i))->fn == NULL)
      g_ptr_array_remove_index(link->taps, i); /* keeps the order */
  link->tap_gone = FALSE;
}

void ns_link_remove_tap(NsLink *link, NsLinkTap *tap) {
  g_return_if_fail(link != NULL && tap != NULL && tap->fn != NULL);
  guint i;
  g_return_if_fail(link->taps != NULL && g_ptr_array_find(link->taps, tap, &i));
  link->ntaps--;
  if (link->tapping > 0) {
    tap->fn = NULL; /* run_taps skips it; freed by the sweep */
    link->tap_gone = TRUE;
    return;
  }
  g_ptr_array_remove_index(link->taps, i);
}

guint ns_link_n_taps(const NsLink *link) {
  g_return_val_if_fail(link != NULL, 0);
  return link->ntaps;
}

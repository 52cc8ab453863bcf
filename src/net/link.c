/* link.c — NICs and full-duplex links.
 *
 * Each direction owns a ring of in-flight frames.  A frame's entry records
 * when its serialization finishes (`done`) and when it reaches the far NIC
 * (`arrival`); both are non-decreasing along the ring, so the queue
 * occupancy is a short walk back from the tail and the delivery timer only
 * ever needs the head's arrival.
 */
#include "net/link.h"

#include <string.h>

#define RING_INITIAL 16

typedef struct {
  NsFrame *frame;
  NsTime done;    /* serialization finished */
  NsTime arrival; /* done + propagation delay */
} InFlight;

typedef struct {
  NsLink *link;
  guint side;     /* 0: a->b, 1: b->a */
  NsTimer timer;  /* armed for the head's arrival while the ring is full */
  InFlight *ring; /* cap slots, a power of two */
  guint cap;
  guint head;        /* index of the oldest frame */
  guint count;       /* frames in the ring */
  NsTime busy_until; /* when the last accepted frame finishes serializing */
  NsLinkDirStats stats;
} Direction;

struct NsLinkTap {
  NsLinkTapFunc fn; /* NULL once removed while taps were running */
  gpointer data;
};

struct NsLink {
  NsCtx *ctx;    /* borrowed */
  NsNic *nic[2]; /* a, b; NULL once a NIC was cleared */
  NsLinkParams params;
  gboolean up;
  Direction dir[2];
  GPtrArray *taps;   /* of NsLinkTap*, owned, in order added; NULL: none yet */
  guint ntaps;       /* taps not removed */
  guint tapping;     /* > 0 while taps run (they may re-enter ns_nic_send) */
  gboolean tap_gone; /* a tap was removed while tapping: sweep after */
};

const NsLinkParams ns_link_default_params = {
    .delay = 10 * NS_USEC,
    .rate_bps = 100 * 1000 * 1000,
    .loss = 0.0,
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
  nic->name = g_strdup(name != NULL ? name : "?");
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
  g_clear_pointer(&nic->name, g_free);
}

/* ---- ring ---------------------------------------------------------------- */

static inline InFlight *ring_at(Direction *d, guint i) {
  return &d->ring[(d->head + i) & (d->cap - 1)];
}

static void ring_grow(Direction *d) {
  guint cap = d->cap ? d->cap * 2 : RING_INITIAL;
  InFlight *ring = g_new(InFlight, cap);
  for (guint i = 0; i < d->count; i++)
    ring[i] = *ring_at(d, i);
  g_free(d->ring);
  d->ring = ring;
  d->cap = cap;
  d->head = 0;
}

static inline void ring_push(NsCtx *ctx, Direction *d, NsFrame *frame,
                             NsTime done, NsTime arrival) {
  ctx->in_flight++;
  if (d->count == d->cap)
    ring_grow(d);
  InFlight *slot = ring_at(d, d->count);
  slot->frame = frame;
  slot->done = done;
  slot->arrival = arrival;
  d->count++;
}

static inline NsFrame *ring_pop(NsCtx *ctx, Direction *d) {
  ctx->in_flight--;
  NsFrame *frame = d->ring[d->head].frame;
  d->head = (d->head + 1) & (d->cap - 1);
  d->count--;
  return frame;
}

/* TRUE when limit frames are still waiting or being serialized at now.
 * `done` never decreases along the ring, so that is the case exactly when
 * the limit-th frame from the tail has not finished: O(1). */
static inline gboolean queue_full(const Direction *d, NsTime now, guint limit) {
  return d->count >= limit &&
         d->ring[(d->head + d->count - limit) & (d->cap - 1)].done > now;
}

/* ---- logging (cold) ------------------------------------------------------ */

static const char *nic_node(const NsNic *nic) {
  return nic != NULL && nic->node != NULL ? nic->node : "?";
}

static const char *nic_name(const NsNic *nic) {
  return nic != NULL && nic->name != NULL ? nic->name : "?";
}

static G_GNUC_NO_INLINE void log_drop(NsLink *link, guint side,
                                      const NsFrame *frame, NsDropReason r,
                                      NsTime now, const char *why) {
  const NsNic *from = link->nic[side];
  const NsNic *to = link->nic[side ^ 1];
  ns_log_printf(link->ctx->log, now, nic_node(from), "link/drop", frame->id,
                why, "%s:%s -> %s:%s %s", nic_node(from), nic_name(from),
                nic_node(to), nic_name(to), ns_drop_reason_name(r));
}

static G_GNUC_NO_INLINE void log_send_drop(NsLink *link, guint side,
                                           const NsFrame *frame, NsDropReason r,
                                           NsTime now, double draw) {
  char why[160];
  const char *whyp = NULL;
  if (ns_log_explain(link->ctx->log)) {
    switch (r) {
    case NS_DROP_QUEUE_FULL:
      g_snprintf(why, sizeof why,
                 "the queue is full: %u frames already wait to be "
                 "serialized, the most it holds",
                 link->params.queue_limit);
      break;
    case NS_DROP_LOSS:
      g_snprintf(why, sizeof why, "random draw %.4f < loss probability %g",
                 draw, link->params.loss);
      break;
    case NS_DROP_LINK_DOWN:
    default:
      g_snprintf(why, sizeof why, "%s",
                 link->up ? "the far end is not attached" : "the link is down");
      break;
    }
    whyp = why;
  }
  log_drop(link, side, frame, r, now, whyp);
}

/* ---- sending and delivery ------------------------------------------------ */

static inline void drop_at_send(NsLink *link, guint side, NsNic *nic,
                                NsFrame *frame, NsDropReason r, NsTime now,
                                double draw) {
  link->dir[side].stats.drops[r]++;
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

gboolean ns_nic_send(NsNic *nic, NsFrame *frame, NsTime now) {
  g_return_val_if_fail(nic != NULL && frame != NULL, FALSE);
  NsLink *link = nic->link;
  if (link == NULL) {
    nic->counters.tx_dropped++;
    ns_frame_unref(frame);
    return FALSE;
  }
  guint side = link->nic[0] == nic ? 0 : 1;
  Direction *d = &link->dir[side];
  const NsLinkParams *p = &link->params;

  if (!link->up || link->nic[side ^ 1] == NULL) {
    drop_at_send(link, side, nic, frame, NS_DROP_LINK_DOWN, now, 0);
    return FALSE;
  }
  if (queue_full(d, now, p->queue_limit)) {
    drop_at_send(link, side, nic, frame, NS_DROP_QUEUE_FULL, now, 0);
    return FALSE;
  }
  if (p->loss > 0) {
    double draw = g_rand_double(link->ctx->rng);
    if (draw < p->loss) {
      drop_at_send(link, side, nic, frame, NS_DROP_LOSS, now, draw);
      return FALSE;
    }
  }

  NsTime start = MAX(now, d->busy_until);
  NsTime serialize =
      p->rate_bps ? (NsTime)frame->len * 8 * NS_SEC / p->rate_bps : 0;
  NsTime done = start + serialize;
  NsTime arrival = done + p->delay;
  /* A shorter delay set mid-run must not overtake frames already on the
   * wire: the ring (and the wire) stay FIFO. */
  if (d->count > 0) {
    NsTime last = ring_at(d, d->count - 1)->arrival;
    if (arrival < last)
      arrival = last;
  }
  d->busy_until = done;
  ring_push(link->ctx, d, frame, done, arrival);
  d->stats.sent++;
  nic->counters.tx_frames++;
  nic->counters.tx_bytes += frame->len;
  if (link->ntaps > 0)
    run_taps(link, side, frame, now);
  /* Unarmed means the ring was empty, or its timer is firing right now and
   * will re-arm itself; either way the head decides. */
  if (!ns_timer_armed(&d->timer))
    ns_timerq_arm(link->ctx->timers, &d->timer, d->ring[d->head].arrival);
  return TRUE;
}

static void direction_fire(NsTimer *timer, NsTime now, gpointer data) {
  (void)timer;
  Direction *d = data;
  NsLink *link = d->link;
  /* The frame leaves the ring before recv runs, so a receiver that sends
   * (even on this link) or takes the link down sees a consistent ring. */
  while (d->count > 0 && d->ring[d->head].arrival <= now) {
    NsFrame *frame = ring_pop(link->ctx, d);
    NsNic *to = link->nic[d->side ^ 1];
    d->stats.delivered++;
    d->stats.bytes += frame->len;
    to->counters.rx_frames++;
    to->counters.rx_bytes += frame->len;
    if (to->recv != NULL)
      to->recv(to, frame, now);
    else
      ns_frame_unref(frame);
  }
  if (d->count > 0) {
    NsTime next = d->ring[d->head].arrival;
    if (!ns_timer_armed(&d->timer) || d->timer.when != next)
      ns_timerq_arm(link->ctx->timers, &d->timer, next);
  }
}

/* Drops every frame in flight in direction d; logs when now is known. */
static void direction_drop_all(NsLink *link, Direction *d, gboolean log,
                               NsTime now) {
  ns_timerq_cancel(link->ctx->timers, &d->timer);
  gboolean on = log && ns_log_on(link->ctx->log);
  while (d->count > 0) {
    NsFrame *frame = ring_pop(link->ctx, d);
    d->stats.drops[NS_DROP_LINK_DOWN]++;
    if (on)
      log_drop(link, d->side, frame, NS_DROP_LINK_DOWN, now,
               ns_log_explain(link->ctx->log)
                   ? "the link went down while the frame was in flight"
                   : NULL);
    ns_frame_unref(frame);
  }
  d->head = 0;
  d->busy_until = 0;
}

/* ---- link ---------------------------------------------------------------- */

static void sanitize_params(NsLinkParams *p) {
  if (p->queue_limit < 1)
    p->queue_limit = 1;
  if (!(p->loss >= 0)) /* also catches NaN */
    p->loss = 0;
  if (p->loss > 1)
    p->loss = 1;
}

NsLink *ns_link_new(NsCtx *ctx, NsNic *a, NsNic *b, const NsLinkParams *p) {
  g_return_val_if_fail(ctx != NULL && a != NULL && b != NULL && a != b, NULL);
  g_return_val_if_fail(a->link == NULL && b->link == NULL, NULL);
  NsLink *link = g_new0(NsLink, 1);
  link->ctx = ctx;
  link->nic[0] = a;
  link->nic[1] = b;
  link->params = p != NULL ? *p : ns_link_default_params;
  sanitize_params(&link->params);
  link->up = TRUE;
  for (guint side = 0; side < 2; side++) {
    Direction *d = &link->dir[side];
    d->link = link;
    d->side = side;
    ns_timer_init(&d->timer, direction_fire, d);
  }
  a->link = link;
  b->link = link;
  return link;
}

void ns_link_free(NsLink *link) {
  if (link == NULL)
    return;
  for (guint side = 0; side < 2; side++) {
    Direction *d = &link->dir[side];
    direction_drop_all(link, d, FALSE, 0);
    g_free(d->ring);
    if (link->nic[side] != NULL)
      link->nic[side]->link = NULL;
  }
  if (link->taps != NULL)
    g_ptr_array_free(link->taps, TRUE);
  g_free(link);
}

/* A NIC going away (its device freed) before its link: what was in flight
 * is lost, and the link stays as an empty shell until ns_link_free. */
static void link_detach(NsLink *link, NsNic *nic) {
  for (guint side = 0; side < 2; side++)
    direction_drop_all(link, &link->dir[side], FALSE, 0);
  for (guint side = 0; side < 2; side++)
    if (link->nic[side] == nic)
      link->nic[side] = NULL;
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
  return &link->params;
}

void ns_link_set_params(NsLink *link, const NsLinkParams *p) {
  g_return_if_fail(link != NULL && p != NULL);
  link->params = *p;
  sanitize_params(&link->params);
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

const NsLinkDirStats *ns_link_stats(const NsLink *link, guint side) {
  g_return_val_if_fail(link != NULL && side < 2, NULL);
  return &link->dir[side].stats;
}

guint ns_link_in_flight(const NsLink *link, guint side) {
  g_return_val_if_fail(link != NULL && side < 2, 0);
  return link->dir[side].count;
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

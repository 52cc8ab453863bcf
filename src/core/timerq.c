/* timerq.c — a 4-ary min-heap of embedded timers, keys kept in the heap.
 *
 * Each heap slot holds a copy of its timer's (when, seq) key next to the
 * timer pointer, so ordering never dereferences a timer: the timers live
 * scattered in their owners (links, caches, pings) and chasing them was
 * a cache miss per comparison on big networks.  Four children per node
 * halve the depth of a binary heap; the four keys of a family sit in 96
 * contiguous bytes, so a sift-down level costs one or two cache lines.
 *
 * Invariants: heap[i].key <= heap[child].key for every child; a timer t
 * is armed iff t->slot != 0, and then heap[t->slot - 1].timer == t with
 * heap[t->slot - 1].when == t->when, .seq == t->seq. */
#include "core/timerq.h"

#define ARITY 4

typedef struct {
  NsTime when;    /* copy of timer->when */
  guint64 seq;    /* copy of timer->seq */
  NsTimer *timer; /* the armed timer */
} Slot;

struct NsTimerQueue {
  Slot *heap; /* heap[0] is the earliest */
  guint len;
  guint cap;
  guint64 next_seq;
};

void ns_timer_init(NsTimer *t, NsTimerFunc fn, gpointer data) {
  t->when = 0;
  t->seq = 0;
  t->slot = 0;
  t->fn = fn;
  t->data = data;
}

NsTimerQueue *ns_timerq_new(void) { return g_new0(NsTimerQueue, 1); }

void ns_timerq_free(NsTimerQueue *q) {
  if (q == NULL)
    return;
  for (guint i = 0; i < q->len; i++)
    q->heap[i].timer->slot = 0;
  g_free(q->heap);
  g_free(q);
}

static inline gboolean before(const Slot *a, const Slot *b) {
  return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static inline void place(NsTimerQueue *q, guint i, Slot s) {
  q->heap[i] = s;
  s.timer->slot = i + 1;
}

/* Puts s into the hole at i, moving it towards the root as far as it must. */
static void sift_up(NsTimerQueue *q, guint i, Slot s) {
  while (i > 0) {
    guint parent = (i - 1) / ARITY;
    if (!before(&s, &q->heap[parent]))
      break;
    place(q, i, q->heap[parent]);
    i = parent;
  }
  place(q, i, s);
}

/* Removes heap[i]: the hole it leaves sinks to a leaf along the earliest
 * child (ARITY - 1 comparisons per level, none against the filler), then
 * the last slot fills it and rises as far as it must.  The last slot
 * usually belongs near the bottom, so this beats a sift-down of the last
 * slot from i, and pop is the scheduler's hottest operation. */
static void remove_at(NsTimerQueue *q, guint i) {
  q->heap[i].timer->slot = 0;
  q->len--;
  if (i == q->len)
    return;
  Slot last = q->heap[q->len];
  for (;;) {
    guint first = ARITY * i + 1;
    if (first >= q->len)
      break;
    guint end = MIN(first + ARITY, q->len), best = first;
    for (guint c = first + 1; c < end; c++)
      if (before(&q->heap[c], &q->heap[best]))
        best = c;
    place(q, i, q->heap[best]);
    i = best;
  }
  sift_up(q, i, last);
}

void ns_timerq_arm(NsTimerQueue *q, NsTimer *t, NsTime when) {
  g_return_if_fail(q != NULL && t != NULL && t->fn != NULL);
  if (t->slot != 0)
    remove_at(q, t->slot - 1);
  if (q->len == q->cap) {
    q->cap = q->cap ? q->cap * 2 : 64;
    q->heap = g_renew(Slot, q->heap, q->cap);
  }
  t->when = when;
  t->seq = q->next_seq++;
  Slot s = {when, t->seq, t};
  q->len++;
  sift_up(q, q->len - 1, s);
}

void ns_timerq_cancel(NsTimerQueue *q, NsTimer *t) {
  g_return_if_fail(q != NULL && t != NULL);
  if (t->slot == 0)
    return;
  g_return_if_fail(t->slot <= q->len && q->heap[t->slot - 1].timer == t);
  remove_at(q, t->slot - 1);
}

gboolean ns_timerq_peek(const NsTimerQueue *q, NsTime *when) {
  if (q->len == 0)
    return FALSE;
  if (when != NULL)
    *when = q->heap[0].when;
  return TRUE;
}

NsTimer *ns_timerq_pop(NsTimerQueue *q) {
  if (q->len == 0)
    return NULL;
  NsTimer *t = q->heap[0].timer;
  remove_at(q, 0);
  return t;
}

guint ns_timerq_len(const NsTimerQueue *q) { return q->len; }

/* timerq.c — binary min-heap of embedded timers.
 *
 * Popping the earliest timer leaves a hole at the top instead of
 * restructuring the heap at once (`hole`).  Firing a timer nearly always
 * arms another one soon after (a frame arriving at a switch goes out on
 * the next link, due a few microseconds later), and that arm fills the
 * hole: the new timer sinks from the top, usually a level or two, instead
 * of a full removal followed by a full insertion.  Any other operation
 * first closes the hole the ordinary way.  heap[0] while the hole is open
 * is the popped timer, which its callback may have freed: it is never
 * touched again.
 *
 * Beside the heap, a FIFO takes the timers that arrive in order: a timer
 * due soon (less than FIFO_HORIZON after the last one fired) and not
 * before the last one the FIFO took.  Frames crossing links of equal delay
 * make such a stream (each arrival armed at now + the same delay), and a
 * FIFO arm or pop costs O(1) instead of a walk down the heap.  The FIFO is
 * sorted by (when, seq) because it only ever appends a key not before its
 * last one (a later seq breaks equal times), so the earliest timer is the
 * earlier of its head and the heap's top.  A timer cancelled in the FIFO
 * leaves a NULL there, skipped when it reaches the head.  Which timers go
 * where never changes the order they fire in.
 *
 * On a big network (ns_timerq_set_prefetch) nothing a timer's owner
 * touches is still in cache when it fires; popping from the FIFO then
 * starts fetching the timer FIFO_AHEAD places behind the new head, so the
 * wait for memory overlaps the work on the timers before it.
 *
 * A timer's slot says where it is: 0 unarmed, heap index + 1, or
 * FIFO_BIT | its FIFO position (positions count appends, modulo 2^31; the
 * ring index is the position modulo the ring's power-of-two size).
 */
#include "core/timerq.h"

#define FIFO_BIT 0x80000000u
#define FIFO_HORIZON NS_MSEC
#define FIFO_AHEAD 2 /* the timer fetched: this many after the next */

struct NsTimerQueue {
  NsTimer **heap; /* heap[0] is the earliest (unless hole) */
  guint len;      /* slots used, the hole included */
  guint cap;
  gboolean hole;  /* heap[0] was popped and is to be filled or removed */
  NsTimer **fifo; /* fifo_cap entries, a power of two; NULL: cancelled */
  guint fifo_cap;
  guint fifo_head;   /* position of the oldest entry (never NULL) */
  guint fifo_tail;   /* position after the newest */
  guint fifo_live;   /* armed timers in the FIFO */
  NsTime fifo_last;  /* when of the newest timer the FIFO took */
  NsTime now;        /* when of the last timer popped */
  gboolean prefetch; /* fetch the FIFO's timer FIFO_AHEAD behind the head */
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
  for (guint i = q->hole ? 1 : 0; i < q->len; i++)
    q->heap[i]->slot = 0;
  for (guint p = q->fifo_head; p != q->fifo_tail; p++)
    if (q->fifo[p & (q->fifo_cap - 1)] != NULL)
      q->fifo[p & (q->fifo_cap - 1)]->slot = 0;
  g_free(q->fifo);
  g_free(q->heap);
  g_free(q);
}

static inline gboolean before(const NsTimer *a, const NsTimer *b) {
  return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static inline void place(NsTimerQueue *q, guint i, NsTimer *t) {
  q->heap[i] = t;
  t->slot = i + 1;
}

static void sift_up(NsTimerQueue *q, guint i) {
  NsTimer *t = q->heap[i];
  while (i > 0) {
    guint parent = (i - 1) / 2;
    if (!before(t, q->heap[parent]))
      break;
    place(q, i, q->heap[parent]);
    i = parent;
  }
  place(q, i, t);
}

/* Moves the hole at heap[i] down along the earlier child, as far as a
 * child is before t (to a leaf when t is NULL); returns where it stops. */
static guint sink(NsTimerQueue *q, guint i, const NsTimer *t) {
  for (guint child = 2 * i + 1; child < q->len; child = 2 * i + 1) {
    if (child + 1 < q->len && before(q->heap[child + 1], q->heap[child]))
      child++;
    if (t != NULL && !before(q->heap[child], t))
      break;
    place(q, i, q->heap[child]);
    i = child;
  }
  return i;
}

/* Removes heap[i]: the hole it leaves sinks to a leaf along the earlier
 * child (one comparison per level), then the last timer fills it and
 * rises as far as it must.  The last timer usually belongs near the
 * bottom, so this costs about half the comparisons of a classic sift-down
 * from the top, and pop is the scheduler's hottest operation. */
static void unlink_at(NsTimerQueue *q, guint i) {
  q->len--;
  if (i == q->len)
    return;
  NsTimer *last = q->heap[q->len];
  i = sink(q, i, NULL);
  place(q, i, last);
  sift_up(q, i);
}

static void remove_at(NsTimerQueue *q, guint i) {
  q->heap[i]->slot = 0;
  unlink_at(q, i);
}

/* Closes the hole left by the last pop, if still open. */
static inline void close_hole(NsTimerQueue *q) {
  if (q->hole) {
    q->hole = FALSE;
    unlink_at(q, 0);
  }
}

/* Fills the hole at the top with t: it sinks to its place. */
static void fill_hole(NsTimerQueue *q, NsTimer *t) {
  q->hole = FALSE;
  place(q, sink(q, 0, t), t);
}

/* ---- the FIFO ------------------------------------------------------------ */

static inline NsTimer **fifo_at(const NsTimerQueue *q, guint pos) {
  return &q->fifo[pos & (q->fifo_cap - 1)];
}

static inline gboolean fifo_takes(const NsTimerQueue *q, NsTime when) {
  return when >= q->now && when - q->now < FIFO_HORIZON &&
         (q->fifo_live == 0 || when >= q->fifo_last);
}

static void fifo_grow(NsTimerQueue *q) {
  guint cap = q->fifo_cap ? q->fifo_cap * 2 : 64;
  NsTimer **ring = g_new(NsTimer *, cap);
  for (guint p = q->fifo_head; p != q->fifo_tail; p++)
    ring[p & (cap - 1)] = *fifo_at(q, p);
  g_free(q->fifo);
  q->fifo = ring;
  q->fifo_cap = cap;
}

static void fifo_push(NsTimerQueue *q, NsTimer *t) {
  if (q->fifo_live == 0)
    q->fifo_head = q->fifo_tail; /* drop cancelled leftovers */
  if (q->fifo_tail - q->fifo_head == q->fifo_cap)
    fifo_grow(q);
  *fifo_at(q, q->fifo_tail) = t;
  t->slot = FIFO_BIT | (q->fifo_tail & ~FIFO_BIT);
  q->fifo_tail++;
  q->fifo_live++;
  q->fifo_last = t->when;
}

/* Empties t's FIFO entry and moves the head past cancelled ones. */
static void fifo_remove(NsTimerQueue *q, NsTimer *t) {
  *fifo_at(q, t->slot & ~FIFO_BIT) = NULL;
  t->slot = 0;
  q->fifo_live--;
  while (q->fifo_head != q->fifo_tail && *fifo_at(q, q->fifo_head) == NULL)
    q->fifo_head++;
  /* On a big network the timer a few places on is in a line not touched
   * for a while (a frame on another link): start fetching it, and the
   * line after, which for a link's lane holds more of it (net/link.c). */
  if (q->prefetch && q->fifo_tail - q->fifo_head > FIFO_AHEAD) {
    const NsTimer *t2 = *fifo_at(q, q->fifo_head + FIFO_AHEAD);
    if (t2 != NULL) {
      __builtin_prefetch(t2);
      __builtin_prefetch((const char *)t2 + 64);
    }
  }
}

/* The FIFO's head when it is due before the heap's top, else NULL. */
static inline NsTimer *fifo_first(const NsTimerQueue *q) {
  if (q->fifo_live == 0)
    return NULL;
  NsTimer *f = *fifo_at(q, q->fifo_head);
  return q->len == 0 || before(f, q->heap[0]) ? f : NULL;
}

/* Disarms an armed t, wherever it is. */
static void disarm(NsTimerQueue *q, NsTimer *t) {
  if (t->slot & FIFO_BIT) {
    fifo_remove(q, t);
    return;
  }
  close_hole(q);
  remove_at(q, t->slot - 1);
}

/* ---- API ----------------------------------------------------------------- */

void ns_timerq_arm(NsTimerQueue *q, NsTimer *t, NsTime when) {
  g_return_if_fail(q != NULL && t != NULL && t->fn != NULL);
  if (t->slot != 0)
    disarm(q, t);
  t->when = when;
  t->seq = q->next_seq++;
  if (fifo_takes(q, when)) {
    fifo_push(q, t);
    return;
  }
  if (q->hole) {
    fill_hole(q, t);
    return;
  }
  if (q->len == q->cap) {
    q->cap = q->cap ? q->cap * 2 : 64;
    q->heap = g_renew(NsTimer *, q->heap, q->cap);
  }
  q->heap[q->len] = t;
  t->slot = q->len + 1;
  q->len++;
  sift_up(q, q->len - 1);
}

void ns_timerq_cancel(NsTimerQueue *q, NsTimer *t) {
  g_return_if_fail(q != NULL && t != NULL);
  if (t->slot == 0)
    return;
  if (t->slot & FIFO_BIT)
    g_return_if_fail(*fifo_at(q, t->slot & ~FIFO_BIT) == t);
  else
    g_return_if_fail(t->slot <= q->len && q->heap[t->slot - 1] == t &&
                     (t->slot > 1 || !q->hole));
  disarm(q, t);
}

gboolean ns_timerq_peek(NsTimerQueue *q, NsTime *when) {
  close_hole(q);
  NsTimer *f = fifo_first(q);
  if (f == NULL && q->len == 0)
    return FALSE;
  if (when != NULL)
    *when = f != NULL ? f->when : q->heap[0]->when;
  return TRUE;
}

NsTimer *ns_timerq_pop(NsTimerQueue *q) {
  return ns_timerq_pop_due(q, NS_TIME_NEVER);
}

NsTimer *ns_timerq_pop_due(NsTimerQueue *q, NsTime limit) {
  close_hole(q);
  NsTimer *t = fifo_first(q);
  if (t != NULL) {
    if (t->when > limit)
      return NULL;
    fifo_remove(q, t);
  } else {
    if (q->len == 0 || q->heap[0]->when > limit)
      return NULL;
    t = q->heap[0];
    t->slot = 0;
    q->hole = TRUE;
  }
  q->now = MAX(q->now, t->when);
  return t;
}

void ns_timerq_peek_fifo2(const NsTimerQueue *q, const NsTimer *ahead[2]) {
  guint n = q->fifo_live == 0 ? 0 : q->fifo_tail - q->fifo_head;
  ahead[0] = n > 0 ? *fifo_at(q, q->fifo_head) : NULL;
  ahead[1] = n > 1 ? *fifo_at(q, q->fifo_head + 1) : NULL;
}

void ns_timerq_set_prefetch(NsTimerQueue *q, gboolean on) { q->prefetch = on; }

guint ns_timerq_len(const NsTimerQueue *q) {
  return q->len - (q->hole ? 1 : 0) + q->fifo_live;
}

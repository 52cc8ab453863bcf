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
 */
#include "core/timerq.h"

struct NsTimerQueue {
  NsTimer **heap; /* heap[0] is the earliest (unless hole) */
  guint len;      /* slots used, the hole included */
  guint cap;
  gboolean hole; /* heap[0] was popped and is to be filled or removed */
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

void ns_timerq_arm(NsTimerQueue *q, NsTimer *t, NsTime when) {
  g_return_if_fail(q != NULL && t != NULL && t->fn != NULL);
  if (t->slot != 0) {
    close_hole(q);
    remove_at(q, t->slot - 1);
  }
  t->when = when;
  t->seq = q->next_seq++;
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
  close_hole(q);
  g_return_if_fail(t->slot <= q->len && q->heap[t->slot - 1] == t);
  remove_at(q, t->slot - 1);
}

gboolean ns_timerq_peek(NsTimerQueue *q, NsTime *when) {
  close_hole(q);
  if (q->len == 0)
    return FALSE;
  if (when != NULL)
    *when = q->heap[0]->when;
  return TRUE;
}

NsTimer *ns_timerq_pop(NsTimerQueue *q) {
  close_hole(q);
  if (q->len == 0)
    return NULL;
  NsTimer *t = q->heap[0];
  t->slot = 0;
  q->hole = TRUE;
  return t;
}

guint ns_timerq_len(const NsTimerQueue *q) {
  return q->len - (q->hole ? 1 : 0);
}

/* timerq.c — binary min-heap of embedded timers, and three FIFOs.
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
 * Beside the heap, two FIFOs take the timers that arrive in order: a timer
 * due soon (less than FIFO_HORIZON after the last one fired) goes to the
 * FIFO whose last timer is the latest not after it, else to an empty one.
 * Frames crossing links of equal delay make two such streams: a frame
 * sent onto an idle link is due at now + its serialization + the delay,
 * and a frame queued behind others is due when the one before it arrives
 * plus its own serialization, which is armed at that arrival.  A FIFO
 * arm or pop costs O(1) instead of a walk down the heap.  Each FIFO is
 * sorted by (when, seq) because it only ever appends a key not before its
 * last one (a later seq breaks equal times), so the earliest timer is the
 * earliest of the two heads and the heap's top.  A timer cancelled in a
 * FIFO leaves a NULL there, skipped when it reaches the head; a full ring
 * that is at least half such entries is packed rather than doubled, so a
 * timer re-armed again and again behind one that waits long does not
 * grow it.  Which timers go where never changes the order they fire in.
 *
 * A third FIFO takes the timers due FIFO_HORIZON or more ahead, which
 * mostly come as a stream too: pings sent at one interval each arm their
 * next request one interval after the last, all in the order they fired.
 * A far timer due before the stream's last one sends what the far FIFO
 * holds to the heap and starts a new stream there (far_takes).
 *
 * On a big network (ns_timerq_set_prefetch) nothing a timer's owner
 * touches is still in cache when it fires; popping from a FIFO then starts
 * fetching the timer FIFO_AHEAD places behind its new head, so the wait
 * for memory overlaps the work on the timers before it.
 *
 * A timer's slot says where it is: 0 unarmed, heap index + 1, or
 * FIFO_BIT | the FIFO's number << FIFO_SHIFT | its index in that FIFO's
 * ring (a ring that grows or is packed moves its timers and rewrites
 * their slots).
 */
#include "core/timerq.h"

#define FIFO_BIT 0x80000000u
#define FIFO_SHIFT 29 /* which FIFO: the two bits above */
#define FIFO_INDEX ((1u << FIFO_SHIFT) - 1)
#define FIFO_MAX (1u << (FIFO_SHIFT - 1)) /* entries a FIFO ring may hold */
#define N_FIFOS 3
#define FIFO_FAR 2      /* the FIFO of timers due FIFO_HORIZON or more ahead */
#define FAR_MOVE_MAX 64 /* the most timers a new far stream sends away */
#define FIFO_HORIZON NS_MSEC
#define FIFO_AHEAD 2    /* the timer fetched: this many after the next */
#define FIFO_INITIAL 64 /* entries of a new FIFO ring */

typedef struct {
  NsTimer **ring; /* mask + 1 entries, a power of two; NULL: cancelled */
  NsTimer *first; /* ring[head] while live > 0, else NULL */
  guint mask;
  guint head;  /* index of the oldest entry (never NULL while n > 0) */
  guint n;     /* entries from head on, cancelled ones included */
  guint live;  /* armed timers among them */
  guint tag;   /* FIFO_BIT | its number << FIFO_SHIFT: its timers' slots */
  NsTime last; /* when of the newest timer it took; 0 while empty */
} Fifo;

struct NsTimerQueue {
  NsTimer **heap; /* heap[0] is the earliest (unless hole) */
  guint len;      /* slots used, the hole included */
  guint cap;
  gboolean hole; /* heap[0] was popped and is to be filled or removed */
  Fifo fifo[N_FIFOS];
  const Fifo *popped; /* the FIFO of the last timer popped from one */
  NsTime now;         /* when of the last timer popped */
  gboolean prefetch;  /* fetch a FIFO's timer FIFO_AHEAD behind its head */
  guint64 next_seq;
};

void ns_timer_init(NsTimer *t, NsTimerFunc fn, gpointer data) {
  t->when = 0;
  t->seq = 0;
  t->slot = 0;
  t->fn = fn;
  t->data = data;
}

NsTimerQueue *ns_timerq_new(void) {
  NsTimerQueue *q = g_new0(NsTimerQueue, 1);
  for (guint k = 0; k < N_FIFOS; k++) {
    q->fifo[k].ring = g_new(NsTimer *, FIFO_INITIAL);
    q->fifo[k].mask = FIFO_INITIAL - 1;
    q->fifo[k].tag = FIFO_BIT | k << FIFO_SHIFT;
  }
  q->popped = &q->fifo[0];
  return q;
}

void ns_timerq_free(NsTimerQueue *q) {
  if (q == NULL)
    return;
  for (guint i = q->hole ? 1 : 0; i < q->len; i++)
    q->heap[i]->slot = 0;
  for (guint k = 0; k < N_FIFOS; k++) {
    Fifo *f = &q->fifo[k];
    for (guint i = 0; i < f->n; i++)
      if (f->ring[(f->head + i) & f->mask] != NULL)
        f->ring[(f->head + i) & f->mask]->slot = 0;
    g_free(f->ring);
  }
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

/* ---- the FIFOs ---------------------------------------------------------- */

/* The FIFO that takes a timer due at when, or NULL (the heap takes it):
 * of the two, the one whose last timer is the latest not after when (the
 * other stays open for an earlier stream).  An empty FIFO's last is 0, so
 * it takes a timer only when the other cannot. */
static inline Fifo *fifo_for(NsTimerQueue *q, NsTime when) {
  Fifo *a = &q->fifo[0], *b = &q->fifo[1];
  if (when - q->now >= FIFO_HORIZON) /* also when < now: it wraps */
    return NULL;
  if (a->last <= when && (b->last > when || a->last >= b->last))
    return a;
  return b->last <= when ? b : NULL;
}

/* Makes room in a full f: its live timers moved to the front of the ring,
 * their slots rewritten, in a ring twice as big unless cancelled entries
 * were at least half of it (a timer re-armed again and again behind one
 * that waits long leaves one such entry each time: packing them keeps the
 * ring about the size of what is armed).  FALSE when f is as big as a
 * slot can say. */
static G_GNUC_NO_INLINE gboolean fifo_grow(Fifo *f) {
  guint cap = f->live * 2 <= f->mask + 1 ? f->mask + 1 : (f->mask + 1) * 2;
  if (cap > FIFO_MAX)
    return FALSE;
  NsTimer **ring = g_new(NsTimer *, cap);
  guint n = 0;
  for (guint i = 0; i < f->n; i++) {
    NsTimer *t = f->ring[(f->head + i) & f->mask];
    if (t != NULL) {
      t->slot = f->tag | n;
      ring[n++] = t;
    }
  }
  g_free(f->ring);
  f->ring = ring;
  f->mask = cap - 1;
  f->head = 0;
  f->n = n;
  return TRUE;
}

/* FALSE when f is full and cannot grow (the heap takes t). */
static inline gboolean fifo_push(Fifo *f, NsTimer *t) {
  if (f->live == 0) {
    f->n = 0; /* drop cancelled leftovers */
    f->first = t;
  }
  if (G_UNLIKELY(f->n == f->mask + 1) && !fifo_grow(f))
    return FALSE;
  guint i = (f->head + f->n) & f->mask;
  f->ring[i] = t;
  t->slot = f->tag | i;
  f->n++;
  f->live++;
  f->last = t->when;
  return TRUE;
}

static inline Fifo *fifo_of(NsTimerQueue *q, const NsTimer *t) {
  return &q->fifo[(t->slot & ~FIFO_BIT) >> FIFO_SHIFT];
}

/* Moves f's head past cancelled entries, and says which timer is first. */
static inline void fifo_skip(Fifo *f) {
  if (f->live == 0) {
    f->first = NULL;
    f->last = 0;
    return;
  }
  while (f->ring[f->head] == NULL) {
    f->head = (f->head + 1) & f->mask;
    f->n--;
  }
  f->first = f->ring[f->head];
}

/* Empties t's entry (anywhere in its FIFO). */
static void fifo_remove(NsTimerQueue *q, NsTimer *t) {
  Fifo *f = fifo_of(q, t);
  f->ring[t->slot & FIFO_INDEX] = NULL;
  t->slot = 0;
  f->live--;
  fifo_skip(f);
}

/* Takes the head of f, which is t.  Not fifo_remove: the head needs no
 * slot decoding nor NULL written, and this is the scheduler's hottest
 * path (through fifo_remove, two_lans runs 7 instructions a frame-hop
 * more). */
static inline void fifo_pop_head(NsTimerQueue *q, Fifo *f, NsTimer *t) {
  t->slot = 0;
  f->live--;
  f->head = (f->head + 1) & f->mask;
  f->n--;
  fifo_skip(f);
  /* On a big network the timer a few places on is in a line not touched
   * for a while (a frame on another link): start fetching it, and the
   * line after, which for a link's lane holds more of it (net/link.c). */
  if (q->prefetch && f->n > FIFO_AHEAD) {
    const NsTimer *t2 = f->ring[(f->head + FIFO_AHEAD) & f->mask];
    if (t2 != NULL) {
      __builtin_prefetch(t2);
      __builtin_prefetch((const char *)t2 + 64);
      __builtin_prefetch((const char *)t2 + 128);
    }
  }
}

/* The FIFO whose head is due first, if that is before the heap's top,
 * else NULL. */
static inline Fifo *fifo_first(NsTimerQueue *q) {
  Fifo *f = &q->fifo[0];
  const NsTimer *first = f->first;
  for (guint k = 1; k < N_FIFOS; k++) {
    const NsTimer *h = q->fifo[k].first;
    if (first == NULL || (h != NULL && before(h, first))) {
      f = &q->fifo[k];
      first = h;
    }
  }
  if (first == NULL)
    return NULL;
  return q->len == 0 || before(first, q->heap[0]) ? f : NULL;
}

/* Disarms an armed t, wherever it is. */
static G_GNUC_NO_INLINE void disarm(NsTimerQueue *q, NsTimer *t) {
  if (t->slot & FIFO_BIT) {
    fifo_remove(q, t);
    return;
  }
  close_hole(q);
  remove_at(q, t->slot - 1);
}

/* ---- API ----------------------------------------------------------------- */

/* The heap takes t (when and seq set). */
static G_GNUC_NO_INLINE void heap_insert(NsTimerQueue *q, NsTimer *t) {
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

/* Moves every timer of the far FIFO to the heap, emptying it. */
static void far_to_heap(NsTimerQueue *q, Fifo *far) {
  for (guint i = 0; i < far->n; i++) {
    NsTimer *t = far->ring[(far->head + i) & far->mask];
    if (t != NULL)
      heap_insert(q, t);
  }
  far->head = 0;
  far->n = 0;
  far->live = 0;
  far->first = NULL;
  far->last = 0;
}

/* The far FIFO takes a timer due FIFO_HORIZON or more after now (when and
 * seq set): at the end when it is due at or after the last one (a stream,
 * such as the next requests of pings sent at one interval).  A timer due
 * earlier starts a new stream there when the FIFO holds at most
 * FAR_MOVE_MAX timers, which go to the heap; else the heap takes it, and
 * a long stream (the ARP retries of 100,000 hosts) stays where it is.  A
 * timer moves at most once for each time the FIFO took it, so a mix that
 * breaks the order again and again costs at most one heap insertion an
 * arm, what the heap alone would cost. */
static gboolean far_takes(NsTimerQueue *q, NsTimer *t) {
  NsTime when = t->when;
  if (when < q->now || when - q->now < FIFO_HORIZON)
    return FALSE; /* due soon, but no near FIFO takes it */
  Fifo *far = &q->fifo[FIFO_FAR];
  if (far->live > 0 && when < far->last) {
    if (far->live > FAR_MOVE_MAX)
      return FALSE; /* a long stream stays: the heap takes this one */
    far_to_heap(q, far);
  }
  return fifo_push(far, t);
}

/* ns_timerq_arm for a timer that is armed already, or that no near FIFO
 * takes (when and seq set when it is not armed). */
static G_GNUC_NO_INLINE void arm_slow(NsTimerQueue *q, NsTimer *t,
                                      NsTime when) {
  if (t->slot != 0) {
    disarm(q, t);
    t->when = when;
    t->seq = q->next_seq++;
    Fifo *f = fifo_for(q, when);
    if (f != NULL && fifo_push(f, t))
      return;
  }
  if (!far_takes(q, t))
    heap_insert(q, t);
}

/* Small, and inlined where frames cross links when the build optimizes
 * across files (LTO; the header declares it plainly, so any other build
 * calls it): a timer not armed that a FIFO takes is all the work. */
__attribute__((always_inline)) inline void
ns_timerq_arm(NsTimerQueue *q, NsTimer *t, NsTime when) {
  g_return_if_fail(q != NULL && t != NULL && t->fn != NULL);
  if (G_LIKELY(t->slot == 0)) {
    t->when = when;
    t->seq = q->next_seq++;
    Fifo *f = fifo_for(q, when);
    if (G_LIKELY(f != NULL) && fifo_push(f, t))
      return;
  }
  arm_slow(q, t, when);
}

void ns_timerq_cancel(NsTimerQueue *q, NsTimer *t) {
  g_return_if_fail(q != NULL && t != NULL);
  if (t->slot == 0)
    return;
  if (t->slot & FIFO_BIT)
    g_return_if_fail(fifo_of(q, t)->ring[t->slot & FIFO_INDEX] == t);
  else
    g_return_if_fail(t->slot <= q->len && q->heap[t->slot - 1] == t &&
                     (t->slot > 1 || !q->hole));
  disarm(q, t);
}

gboolean ns_timerq_peek(NsTimerQueue *q, NsTime *when) {
  close_hole(q);
  const Fifo *f = fifo_first(q);
  if (f == NULL && q->len == 0)
    return FALSE;
  if (when != NULL)
    *when = f != NULL ? f->first->when : q->heap[0]->when;
  return TRUE;
}

NsTimer *ns_timerq_pop(NsTimerQueue *q) {
  return ns_timerq_pop_due(q, NS_TIME_NEVER);
}

/* Inlined into the scheduler's step, and so into netsim's run loop, when
 * the build optimizes across files (as ns_timerq_arm). */
__attribute__((always_inline)) inline NsTimer *
ns_timerq_pop_due(NsTimerQueue *q, NsTime limit) {
  close_hole(q);
  Fifo *f = fifo_first(q);
  NsTimer *t;
  if (f != NULL) {
    t = f->first;
    if (t->when > limit)
      return NULL;
    q->popped = f;
    fifo_pop_head(q, f, t);
    q->now = t->when; /* a FIFO timer is never due before now */
    return t;
  }
  if (q->len == 0 || q->heap[0]->when > limit)
    return NULL;
  t = q->heap[0];
  t->slot = 0;
  q->hole = TRUE;
  q->now = MAX(q->now, t->when);
  return t;
}

/* The next two of the FIFO that gave the last timer popped from one. */
void ns_timerq_peek_fifo2(const NsTimerQueue *q, const NsTimer *ahead[2]) {
  const Fifo *f = q->popped;
  guint n = f->live == 0 ? 0 : f->n;
  ahead[0] = f->first;
  ahead[1] = n > 1 ? f->ring[(f->head + 1) & f->mask] : NULL;
}

void ns_timerq_set_prefetch(NsTimerQueue *q, gboolean on) { q->prefetch = on; }

guint ns_timerq_len(const NsTimerQueue *q) {
  return q->len - (q->hole ? 1 : 0) + q->fifo[0].live + q->fifo[1].live +
         q->fifo[FIFO_FAR].live;
}

gsize ns_timerq_bytes(const NsTimerQueue *q) {
  gsize n = q->cap;
  for (guint k = 0; k < N_FIFOS; k++)
    n += q->fifo[k].mask + 1;
  return n * sizeof(NsTimer *);
}

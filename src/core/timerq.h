/* timerq.h — the event queue of the virtual clock.
 *
 * Every future event in a run is an NsTimer embedded in the object that
 * owns it (a link direction, an ARP cache, a ping session): arming a timer
 * allocates nothing, and an owner that dies cancels its timers first.
 *
 * Timers fire in (when, seq) order.  seq is a counter taken each time a
 * timer is armed, so timers due at the same instant fire in the order they
 * were armed: runs are deterministic.  The queue is a binary min-heap
 * beside three FIFOs that take the timers arriving in order (frames
 * crossing links, pings' next requests) at O(1) a timer (timerq.c).
 * Each timer remembers its slot, so cancel and re-arm are O(log n)
 * (amortized: a new stream of far timers may send up to 64 to the heap).
 *
 * The queue does not read any clock and runs nothing by itself: sim/sched
 * pops due timers and calls them with the current virtual time.
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

typedef struct NsTimer NsTimer;
typedef void (*NsTimerFunc)(NsTimer *timer, NsTime now, gpointer data);

struct NsTimer {
  NsTime when;    /* due time while armed */
  guint64 seq;    /* arm order, breaks ties between equal times */
  guint slot;     /* heap index + 1; 0 while not armed */
  NsTimerFunc fn; /* called once when due; the timer is disarmed first */
  gpointer data;  /* passed to fn */
};

typedef struct NsTimerQueue NsTimerQueue;

void ns_timer_init(NsTimer *t, NsTimerFunc fn, gpointer data);
static inline gboolean ns_timer_armed(const NsTimer *t) { return t->slot != 0; }

NsTimerQueue *ns_timerq_new(void);
/* Frees the queue; armed timers are simply forgotten (owners free them). */
void ns_timerq_free(NsTimerQueue *q);
/* Arms t to fire at when; re-arms it if already armed. */
void ns_timerq_arm(NsTimerQueue *q, NsTimer *t, NsTime when);
/* Disarms t; harmless if not armed. */
void ns_timerq_cancel(NsTimerQueue *q, NsTimer *t);
/* The earliest due time, or FALSE when empty.  Not const: it may finish
 * the last pop's restructuring (timerq.c). */
gboolean ns_timerq_peek(NsTimerQueue *q, NsTime *when);
/* Removes and returns the earliest timer (disarmed), NULL when empty. */
NsTimer *ns_timerq_pop(NsTimerQueue *q);
/* The earliest timer if it is due at or before limit (removed and
 * disarmed), else NULL: a peek and a pop in one look. */
NsTimer *ns_timerq_pop_due(NsTimerQueue *q, NsTime limit);
guint ns_timerq_len(const NsTimerQueue *q);
/* The bytes the queue holds for its timers (the heap's array and the
 * FIFOs' rings, not the timers, which their owners embed). */
gsize ns_timerq_bytes(const NsTimerQueue *q);
/* The FIFO's head and the timer after it (ahead[0], ahead[1]), each NULL
 * when absent or cancelled: a hint for prefetching what the next timers
 * will touch, not an order (a timer in the heap may come first).  Read
 * only. */
void ns_timerq_peek_fifo2(const NsTimerQueue *q, const NsTimer *ahead[2]);
/* With on, popping a timer from the FIFO starts fetching the timer a few
 * places behind it into the cache: worth it only when the timers' owners
 * no longer fit in the cache (a big network), a few instructions wasted
 * otherwise.  Off by default; never changes the order. */
void ns_timerq_set_prefetch(NsTimerQueue *q, gboolean on);

G_END_DECLS

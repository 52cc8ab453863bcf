/* sched.c — the fast-mode event loop. */
#include "sim/sched.h"

void ns_sched_init(NsSched *s, NsTimerQueue *queue) {
  s->queue = queue;
  s->now = 0;
  s->events = 0;
  s->interrupted = NULL;
}

/* Inlined into netsim's run loop (sim/network.c) when the build optimizes
 * across files (LTO; the header declares it plainly, so any other build
 * calls it): one call less an event. */
__attribute__((always_inline)) inline gboolean ns_sched_step(NsSched *s,
                                                             NsTime limit) {
  if (ns_sched_interrupted(s))
    return FALSE;
  NsTimer *t = ns_timerq_pop_due(s->queue, limit);
  if (t == NULL)
    return FALSE;
  /* A timer armed in the past (by a device with a stale now) still fires
   * now, never back in time. */
  if (t->when > s->now)
    s->now = t->when;
  s->events++;
  t->fn(t, s->now, t->data);
  return TRUE;
}

void ns_sched_run_until(NsSched *s, NsTime limit) {
  while (ns_sched_step(s, limit))
    ;
  if (limit > s->now && limit != NS_TIME_NEVER && !ns_sched_interrupted(s))
    s->now = limit;
}

NsTime ns_sched_next(const NsSched *s) {
  NsTime when;
  return ns_timerq_peek(s->queue, &when) ? when : NS_TIME_NEVER;
}

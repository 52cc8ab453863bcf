/* sched.h — running the virtual clock.
 *
 * The scheduler owns "now" and pops due timers from the run's queue in
 * (time, arm order).  Fast mode is ns_sched_run_until(): virtual time
 * jumps from event to event as fast as the CPU allows.  Real time is an
 * adapter on top (sim/clock.h): it calls ns_sched_run_until() with the
 * virtual time that the wall clock says it is.  Devices never see this
 * module: they get `now` as an argument.
 */
#pragma once

#include "core/timerq.h"

G_BEGIN_DECLS

#include <signal.h>

typedef struct {
  NsTimerQueue *queue; /* borrowed */
  NsTime now;          /* current virtual time */
  guint64 events;      /* timers fired so far */
  /* Set (to non-zero) by a signal handler to stop the clock: no further
   * event fires.  NULL when nobody installed one. */
  volatile sig_atomic_t *interrupted;
} NsSched;

static inline gboolean ns_sched_interrupted(const NsSched *s) {
  return s->interrupted != NULL && *s->interrupted;
}

void ns_sched_init(NsSched *s, NsTimerQueue *queue);
/* Fires the earliest timer if it is due at or before limit, advancing now
 * to its time.  Returns FALSE (and fires nothing) otherwise. */
gboolean ns_sched_step(NsSched *s, NsTime limit);
/* Fires every timer due at or before limit, then sets now = limit. */
void ns_sched_run_until(NsSched *s, NsTime limit);
/* Time of the next event, or NS_TIME_NEVER. */
NsTime ns_sched_next(const NsSched *s);

G_END_DECLS

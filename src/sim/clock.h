/* clock.h — how virtual time passes for a network: fast or real time, on a
 * GLib main context that other sources share.
 *
 * An NsClock drives one NsNet (borrowed) on one GMainContext (the default
 * one when NULL is given).  Whatever else lives on that context keeps
 * running while the clock does: the console's standard input, the wake-up
 * of a signal, and (next) the bridges' sockets.  Devices never see the
 * clock; it only calls ns_net_run_until() with a time.
 *
 * Two modes:
 *   fast       virtual time moves only when asked, at once, from event to
 *              event: ns_clock_wait_until() is ns_net_run_until() and
 *              ns_clock_wait_idle() is ns_net_run_idle().  No timer is
 *              armed; the context is iterated only by ns_clock_run().
 *   real time  virtual time follows the wall clock.  The clock keeps a
 *              base pair (monotonic wall time, virtual time); the virtual
 *              time "now" is base_virtual + (wall now - base_wall).  A
 *              timer (a timerfd watched on the context, to the µs) fires
 *              at the wall time of the next event (or of the limit, or of
 *              a wait's end; at most 60 s ahead); it runs the net up to the
 * virtual time now, calls the advance callback, and arms itself again.  A wait
 *              iterates the context until the net got there, so every
 *              other source on it keeps being served.
 *
 * Falling behind: when simulating a step takes longer than the wall time
 * it stands for (too much traffic for real time), events run late; the
 * log says so (clock/behind, at most once a second) rather than letting
 * virtual time drift from the wall clock.
 *
 * Invariants: virtual time never goes back, and never passes the limit
 * (-d/--duration) or a running wait's end: the net may lag the wall clock
 * (a wait ends exactly at its time, as in fast mode) and catches up at the
 * next advance, so lagging never accumulates drift.
 *
 * Stopping: reaching the limit, ns_clock_stop(), or a SIGINT/SIGTERM
 * (sim/signals.h; the scheduler then fires no further event) stops the
 * clock for good: its timer is disarmed, ns_clock_run() returns and every
 * wait ends where it is.
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

typedef enum {
  NS_CLOCK_FAST,     /* virtual time jumps from event to event */
  NS_CLOCK_REALTIME, /* virtual time follows the wall clock */
} NsClockMode;

typedef struct NsClock NsClock;

/* Called after each timed advance in real time (the console reprints its
 * prompt from here). */
typedef void (*NsClockFunc)(NsClock *clock, gpointer data);

/* A clock for net (borrowed, must outlive it) on context (NULL: the
 * default one; a reference is kept).  Real time starts now, at the net's
 * current virtual time.  No limit. */
NsClock *ns_clock_new(NsNet *net, NsClockMode mode, GMainContext *context);
/* Removes the clock's sources from its context. */
void ns_clock_free(NsClock *clock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsClock, ns_clock_free)

NsClockMode ns_clock_mode(const NsClock *clock);
GMainContext *ns_clock_context(NsClock *clock); /* borrowed */
/* Virtual time no advance passes (NS_TIME_NEVER: none, the default). */
void ns_clock_set_limit(NsClock *clock, NsTime limit);
/* fn (may be NULL) is called after each timed advance in real time. */
void ns_clock_set_advance_func(NsClock *clock, NsClockFunc fn, gpointer data);
/* fn (may be NULL) is called before each timed advance in real time (the
 * console's line editor hides the line being typed from here). */
void ns_clock_set_before_func(NsClock *clock, NsClockFunc fn, gpointer data);

/* The virtual time the wall clock says it is (real time), or the net's
 * time (fast); never past the limit. */
NsTime ns_clock_now(NsClock *clock);
/* Real time: runs the net up to ns_clock_now() at once (before something
 * happens at "now", such as a typed command).  Fast: nothing. */
void ns_clock_catch_up(NsClock *clock);
/* Events were added from outside the clock (a command, a bridge): arms
 * the timer again for the next one. */
void ns_clock_rearm(NsClock *clock);
/* The net's time moved outside the clock (a fast `wait` at the console):
 * real time resumes from the net's time now; the clock stops if the net
 * reached the limit, and re-arms otherwise. */
void ns_clock_resync(NsClock *clock);

/* Iterates the context until the clock stops (the console's main loop). */
void ns_clock_run(NsClock *clock);
/* Lets virtual time pass up to t (at most the limit): at once in fast
 * mode; in real time, iterating the context until the net is there or the
 * clock stops. */
void ns_clock_wait_until(NsClock *clock, NsTime t);
/* Lets virtual time pass until the net is idle (ns_net_busy() says no),
 * no event is due at or before limit, or the clock stops. */
void ns_clock_wait_idle(NsClock *clock, NsTime limit);

void ns_clock_stop(NsClock *clock);
gboolean ns_clock_stopped(const NsClock *clock);

G_END_DECLS

/* signals.h — SIGINT and SIGTERM end a run cleanly.
 *
 * Signals are process-wide, so this is the one piece of process-wide state
 * in sim/: a flag the scheduler checks before every event (a long fast run
 * stops at once, between two events, with every log and counter
 * consistent) and a self-pipe that wakes a main loop (the console), since
 * a signal handler may do nothing more than set a flag and write a byte.
 */
#pragma once

#include "sim/sched.h"

G_BEGIN_DECLS

/* Installs the handlers and points sched's interrupt flag at them. */
void ns_signals_install(NsSched *sched);
/* Until the next ns_signals_install: SIGINT or SIGTERM writes message
 * (kept, not copied) to standard error and ends the process at once with
 * status 128 + N, for the phases (loading a topology, building a network)
 * that write nothing and check no flag: a million hosts take seconds. */
void ns_signals_exit_at_once(const char *message);
/* A descriptor that becomes readable when a signal arrived (-1 if the
 * pipe could not be made). */
int ns_signals_wake_fd(void);
/* The signal that arrived (SIGINT or SIGTERM), 0 if none. */
int ns_signals_caught(void);

G_END_DECLS

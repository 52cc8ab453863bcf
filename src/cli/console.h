/* console.h — the interactive netsim> prompt, in real time.
 *
 * Virtual time follows the wall clock while the user types: the console
 * watches standard input on the context of a real-time NsClock
 * (sim/clock.h), which wakes at the next event's wall time.  A typed line
 * runs at the virtual time the wall clock says it is; a `wait` command
 * jumps the clock forward (fast), after which real time resumes from the
 * new virtual time.  SIGINT/SIGTERM (and end of input, and `quit`) end the
 * loop cleanly.
 */
#pragma once

#include "cli/scenario.h"

G_BEGIN_DECLS

/* Runs the console until quit, end of input or a signal, or until virtual
 * time reaches duration (NS_TIME_NEVER for no limit).  realtime FALSE
 * makes the clock advance only through `wait`. */
void ns_console_run(NsNet *net, NsScenario *sc, gboolean realtime,
                    NsTime duration);

G_END_DECLS

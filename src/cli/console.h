/* console.h — the interactive netsim> prompt, in real time.
 *
 * Virtual time follows the wall clock while the user types: the console
 * watches standard input on the context of a real-time NsClock
 * (sim/clock.h), which wakes at the next event's wall time.  A typed line
 * runs at the virtual time the wall clock says it is; a `wait` command
 * jumps the clock forward (fast), after which real time resumes from the
 * new virtual time.  SIGINT/SIGTERM (and end of input, and `quit`) end the
 * loop cleanly.
 *
 * At a terminal (interactive, standard input a tty) the line is edited
 * with libedit (cli/lineedit.h: history, arrows, Tab from cli/complete.h)
 * and the prompt is back right after each line, output arriving meanwhile
 * printed above it.  Otherwise (a pipe, a served run, a build without
 * libedit) lines are read plain, and the prompt comes back once the
 * activities a line started are done.
 */
#pragma once

#include "cli/scenario.h"
#include "sim/clock.h"

G_BEGIN_DECLS

typedef enum {
  /* A person at a terminal: a prompt, and the end of input ends the run. */
  NS_CONSOLE_INTERACTIVE,
  /* A run that serves real sockets (bridges) with its standard input not
   * a terminal: lines that come are run as typed, without a prompt; the
   * end of input (/dev/null at once) leaves the run going until its
   * duration, a signal or `quit`. */
  NS_CONSOLE_SERVE,
} NsConsoleMode;

/* Runs the console on clock (borrowed; its mode and limit are the
 * caller's: fast makes virtual time advance only through `wait`) until
 * quit, a signal, the clock's limit, or (interactive) the end of input. */
void ns_console_run(NsNet *net, NsScenario *sc, NsClock *clock,
                    NsConsoleMode mode);

G_END_DECLS

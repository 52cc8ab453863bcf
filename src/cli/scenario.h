/* scenario.h — the console and scenario language (one language).
 *
 * A scenario file is what one would type at the console, plus `expect`.
 * Lines are parsed into commands first (a syntax error anywhere names the
 * file and line and nothing runs), then executed in order against a
 * network.  Each expect prints "ok N - ..." or "not ok N - ... (got ...)";
 * ns_scenario_finish() prints "N passed, N failed".
 * The full command reference is in README.md ("Console and scenarios").
 */
#pragma once

#include <stdio.h>

#include "bridge/bridge.h"
#include "sim/clock.h"
#include "sim/network.h"

G_BEGIN_DECLS

typedef struct NsScenario NsScenario;

/* out (borrowed) receives command output, expect results, app output. */
NsScenario *ns_scenario_new(NsNet *net, FILE *out);
void ns_scenario_free(NsScenario *sc);

/* Parses a whole script (source names it in errors).  FALSE + GError
 * "FILE:LINE: message" on the first bad line; nothing is executed. */
gboolean ns_scenario_load(NsScenario *sc, const char *text, const char *source,
                          GError **error);
/* Runs the loaded script to its end (or a `quit`/`exit` line). */
void ns_scenario_run(NsScenario *sc);
/* Virtual time no `wait` may go past (-d/--duration); NS_TIME_NEVER (the
 * default) for no limit.  Once the clock reaches it, the remaining
 * commands are skipped (expects still count as not run). */
void ns_scenario_set_limit(NsScenario *sc, NsTime limit);

/* Runs the script's waits (and the end-of-script wait for running pings)
 * on clock (borrowed, must outlive sc): in real time they take wall time
 * while the clock's context keeps running.  NULL, the default: waits run
 * the net at once (fast), as the console's `wait` does. */
void ns_scenario_set_clock(NsScenario *sc, NsClock *clock);

/* The run's bridges (borrowed, must outlive sc; NULL, the default: none
 * open), read by `show bridges`, `show stats` and `expect NODE counter
 * bridge.NAME`.  Without them a bridge node is a host whose bridge is
 * "not running". */
void ns_scenario_set_bridges(NsScenario *sc, NsBridges *bridges);

/* Console: parses and runs one line now.  A syntax error is reported in
 * *error ("line N: ...", or without a prefix when lineno is 0) and nothing
 * runs.  Sets *quit on quit/exit. */
gboolean ns_scenario_exec(NsScenario *sc, const char *line, guint lineno,
                          gboolean *quit, GError **error);

/* Keeps the log text from now on for `expect log` (a loaded script that
 * uses `expect log` does this itself; the console calls it at start). */
void ns_scenario_keep_log(NsScenario *sc);
/* Keeps the frames the links carry from now on, for `show frame` (the
 * interactive console does this at start; a loaded script that uses `show frame` does
 * it itself; otherwise no frame is kept). */
void ns_scenario_keep_frames(NsScenario *sc);

guint ns_scenario_passed(const NsScenario *sc);
guint ns_scenario_failed(const NsScenario *sc);
/* Prints "N passed, N failed" to out. */
void ns_scenario_finish(NsScenario *sc);

G_END_DECLS

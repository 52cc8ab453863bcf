/* script.c — fuzz target: whole runs of a fuzzed script.  The bytes are a
 * scenario on the two-LAN network (fuzz.h): it parses or says why, and a
 * script that parses runs to its end with the log formatted (explained)
 * into /dev/null, virtual time capped at two minutes, then everything is
 * freed and no frame may be left alive. */
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "config/topology.h"
#include "core/frame.h"
#include "fuzz.h"
#include "sim/clock.h"
#include "sim/network.h"
#include "trace/textlog.h"

#define VIRTUAL_CAP (120 * NS_SEC)
#define MAX_SCRIPT (64 * 1024) /* bytes: a longer input is not a script */

static void run_script(const NsTopology *t, const char *text) {
  NsNet *net = ns_net_new(t, 7);
  NsLog *log = ns_net_log(net);
  ns_log_set_explain(log, TRUE);
  ns_textlog_attach(log, ns_fuzz_devnull(), FALSE);
  NsScenario *sc = ns_scenario_new(net, ns_fuzz_devnull());
  GError *error = NULL;
  if (ns_scenario_load(sc, text, "fuzz.scn", &error)) {
    NsClock *clock = ns_clock_new(net, NS_CLOCK_FAST, NULL);
    ns_clock_set_limit(clock, VIRTUAL_CAP);
    ns_scenario_set_clock(sc, clock);
    ns_scenario_set_limit(sc, VIRTUAL_CAP);
    ns_scenario_run(sc);
    ns_scenario_finish(sc);
    ns_scenario_set_clock(sc, NULL);
    ns_clock_free(clock);
  } else if (error == NULL || !g_utf8_validate(error->message, -1, NULL)) {
    abort(); /* a refusal always says why */
  }
  g_clear_error(&error);
  ns_scenario_free(sc);
  ns_net_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const NsTopology *topo = ns_fuzz_two_lans_topology();
  /* A script is text: one with a NUL byte is refused before parsing
   * (main.c), so the parser never sees one. */
  if (size > MAX_SCRIPT || memchr(data, '\0', size) != NULL)
    return 0;
  gint64 frames = ns_frame_live_count();
  g_autofree char *text = g_strndup((const char *)data, size);
  if (g_utf8_validate(text, -1, NULL))
    run_script(topo, text);
  ns_fuzz_no_frame_leak(frames);
  return 0;
}

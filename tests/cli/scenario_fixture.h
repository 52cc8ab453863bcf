/* scenario_fixture.h — a scenario on the built-in two-LAN network, writing
 * its output into memory, shared by the cli suites. */
#pragma once

#include <stdio.h>

#include "cli/scenario.h"
#include "testutil.h"

typedef struct {
  NsTopology *topo; /* owned */
  NsNet *net;       /* owned, built from topo with seed 1 */
  NsScenario *sc;   /* owned, writes into buf */
  FILE *out;        /* a memory stream over buf/len */
  char *buf;
  size_t len;
} Fx;

Fx *fx_new(void);
void fx_free(Fx *fx);
/* Everything written so far (valid until the next write). */
const char *fx_output(Fx *fx);
/* Runs one console line; fails the test on a syntax error. */
void fx_exec(Fx *fx, const char *line);

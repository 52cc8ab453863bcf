/* scenario_fixture.h — a scenario on the built-in two-LAN network (or
 * another), writing its output into memory, shared by the cli suites. */
#pragma once

#include <stdio.h>

#include "cli/scenario.h"
#include "cli/show.h"
#include "testutil.h"

typedef struct {
  NsTopology *topo; /* owned */
  NsNet *net;       /* owned, built from topo with seed 1 */
  NsScenario *sc;   /* owned, writes into buf */
  NsShowSource src; /* what the shows read: net, no bridges running */
  FILE *out;        /* a memory stream over buf/len */
  char *buf;
  size_t len;
} Fx;

Fx *fx_new(void);
/* The same on the network of a topology's text (which must load). */
Fx *fx_new_from(const char *topology);
void fx_free(Fx *fx);
/* Everything written so far (valid until the next write). */
const char *fx_output(Fx *fx);
/* Runs one console line; fails the test on a syntax error. */
void fx_exec(Fx *fx, const char *line);

/* scenario_fixture.c — see scenario_fixture.h. */
#include "cli/scenario_fixture.h"

#include <stdlib.h>

Fx *fx_new(void) { return fx_new_from(ns_topology_builtin); }

Fx *fx_new_from(const char *topology) {
  Fx *fx = g_new0(Fx, 1);
  GError *err = NULL;
  fx->topo = ns_topology_load_data(topology, -1, "<test>", &err);
  ck_assert_msg(fx->topo != NULL, "%s", err ? err->message : "?");
  fx->net = ns_net_new(fx->topo, 1);
  fx->src = (NsShowSource){.net = fx->net};
  fx->out = open_memstream(&fx->buf, &fx->len);
  ck_assert_ptr_nonnull(fx->out);
  fx->sc = ns_scenario_new(fx->net, fx->out);
  return fx;
}

void fx_free(Fx *fx) {
  ns_scenario_free(fx->sc);
  ns_net_free(fx->net);
  ns_topology_free(fx->topo);
  fclose(fx->out);
  free(fx->buf);
  g_free(fx);
}

const char *fx_output(Fx *fx) {
  fflush(fx->out);
  return fx->buf;
}

void fx_exec(Fx *fx, const char *line) {
  gboolean quit = FALSE;
  GError *err = NULL;
  gboolean ok = ns_scenario_exec(fx->sc, line, 0, &quit, &err);
  ck_assert_msg(ok, "%s: %s", line, err ? err->message : "?");
}

/* bridge.c — placeholder while the relays are written: opens nothing. */
#include "bridge/bridge.h"

#define BRIDGE_FIELD(f, about) NS_COUNTER_FIELD(NsBridgeCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_bridge_counter, NsBridgeCounters,
                           NS_BRIDGE_COUNTERS, BRIDGE_FIELD);

struct NsBridges {
  GPtrArray *bridges;
};

NsBridges *ns_bridges_new(NsNet *net, NsClock *clock, const NsTopology *topo,
                          GError **error) {
  (void)net;
  (void)clock;
  (void)topo;
  (void)error;
  NsBridges *b = g_new0(NsBridges, 1);
  b->bridges = g_ptr_array_new();
  return b;
}

void ns_bridges_free(NsBridges *b) {
  if (b == NULL)
    return;
  g_ptr_array_free(b->bridges, TRUE);
  g_free(b);
}

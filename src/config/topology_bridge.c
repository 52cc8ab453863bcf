/* topology_bridge.c — [bridge NAME]: a host whose services are real
 * sockets on this machine (see NsTopoBridge in topology.h); the host's own
 * keys, the keys every IP node has, and the bridge's rules.
 */
#include "config/topology_private.h"

static const TopoKey *const bridge_tables[] = {ns_topo_host_keys,
                                               ns_topo_stack_keys, NULL};

const TopoKind ns_topo_bridge_kind = {
    .kind = NS_NODE_BRIDGE,
    .name = "bridge",
    .plural = "bridges",
    .example = "web",
    .count_rank = 3,
    .keys = bridge_tables,
    .validate = ns_topo_validate_host,
    .describe = ns_topo_describe_stack,
};

gboolean ns_topology_has_bridges(const NsTopology *t) {
  for (guint i = 0; i < t->nodes->len; i++)
    if (((const NsTopoNode *)g_ptr_array_index(t->nodes, i))->kind ==
        NS_NODE_BRIDGE)
      return TRUE;
  return FALSE;
}

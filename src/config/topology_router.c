/* topology_router.c — [router NAME]: forwards IPv4 between the subnets of
 * its interfaces; at least one interface, plus the keys every IP node has
 * (topology_stack.c).
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <stddef.h>

static const TopoKey router_keys[] = {
    {"IFACE", "ADDR/LEN [@ PEER] [params] [mac=MAC]",
     "an interface (eth0, ge1), at least one; PEER a switch or NODE:IFACE; "
     "without @ connected only if another node names it",
     .load = ns_topo_load_iface_key, .matches = ns_topo_is_iface_name,
     .example = "eth0 = ADDR/LEN @ PEER"},
    {.name = NULL},
};

static const TopoKey router_igmp_keys[] = {
    {"igmp-querier", "true|false",
     "send IGMP queries on every interface and keep a membership table per "
     "interface (default false, as a router without multicast routing)",
     .load = ns_topo_load_bool, .field = offsetof(NsTopoNode, igmp_querier)},
    {.name = NULL},
};

static gboolean validate_router(Loader *ld, guint idx) {
  if (node_at(ld, idx)->n_ifaces == 0)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, idx), NULL,
        _("has no interfaces (expected at least one, such as eth0 = "
          "192.168.1.1/24 @ sw1)"));
  return TRUE;
}

static const TopoKey *const router_tables[] = {router_keys, ns_topo_stack_keys,
                                               router_igmp_keys, NULL};

const TopoKind ns_topo_router_kind = {
    .kind = NS_NODE_ROUTER,
    .name = N_("router"), /* translated where a message names the kind */
    .plural = "routers",
    .count_one = N_("%u router"),
    .count_many = N_("%u routers"),
    .example = "r1",
    .count_rank = 1,
    .keys = router_tables,
    .validate = validate_router,
    .describe = ns_topo_describe_stack,
};

/* switch.h — a transparent learning switch (IEEE 802.1D without STP).
 *
 * For each frame arriving on port P:
 *  1. learn: the source MAC is on P (group source MACs are not learned);
 *  2. destination broadcast or multicast: flood to every port but P;
 *  3. destination known on port Q: Q == P means the destination sits on
 *     the ingress segment, so the frame is filtered (dropped); otherwise it
 *     goes out of Q only;
 *  4. destination unknown (or aged out): flood to every port but P.
 * Flooding shares one frame buffer among all egress ports (a reference
 * each); forwarding passes the frame on without copying.
 *
 * With IGMP snooping on (RFC 4541; net/snoop.h holds the table), IPv4
 * multicast (01:00:5e:..., EtherType IPv4, a valid header) is decided
 * before step 2:
 *  - a membership report on port P makes P a member port of the group;
 *    a leave cuts P's membership to 2 s, in which a remaining member's
 *    answer to the querier's group-specific query renews it (no fast
 *    leave: a port may hide two members); no report for 260 s ends it.
 *    Reports and leaves go on to the router ports only (RFC 4541 2.1.1:
 *    other hosts do not hear them, so none suppresses its own report);
 *    with no router port known they are flooded, so that a router that
 *    has not queried yet still hears them.
 *  - a query on port P makes P a router port for 255 s; queries flood.
 *  - a group's data: 224.0.0.x (link-local) floods always; a group with a
 *    member port goes to its member ports and the router ports only; an
 *    unknown group (no member port) floods (RFC 4541 2.1.2).
 * Ports are numbered from 1 in the order they are added.  A port whose
 * link goes down forgets the MACs and the groups learned on it.
 * Events: switch/learn, switch/move, switch/age, switch/evict,
 * switch/flood, switch/forward, switch/filter, switch/port-down, switch/drop
 * (malformed), and with snooping switch/igmp-join, switch/igmp-leave,
 * switch/igmp-expire, switch/igmp-router.
 */
#pragma once

#include "core/counters.h"
#include "net/fdb.h"
#include "net/link.h"
#include "net/snoop.h"

G_BEGIN_DECLS

/* A port's counters (core/counters.h); all but tx_frames count frames
 * that came in on the port, by what the switch did with them. */
#define NS_PORT_COUNTERS(X)                                                    \
  X(rx_frames, "frames received on the port")                                  \
  X(tx_frames, "frames sent out of the port")                                  \
  X(flooded, "received frames flooded")                                        \
  X(forwarded, "received frames forwarded to one port")                        \
  X(filtered, "received frames dropped as same-segment")                       \
  X(malformed, "received frames too short")                                    \
  X(snooped, "received multicast sent only to member and router ports")        \
  X(igmp_reports, "IGMP membership reports received")                          \
  X(igmp_leaves, "IGMP leave messages received")                               \
  X(igmp_queries, "IGMP membership queries received")

typedef struct {
  NS_PORT_COUNTERS(NS_COUNTER_MEMBER)
} NsSwitchPortCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_port_counter); /* net/counters.c */

typedef struct NsSwitch NsSwitch;

/* fdb_capacity and aging 0 mean the fdb defaults.  name is copied; ctx is
 * borrowed and must outlive the switch. */
NsSwitch *ns_switch_new(NsCtx *ctx, const char *name, guint fdb_capacity,
                        NsTime aging);
void ns_switch_free(NsSwitch *sw);
const char *ns_switch_name(const NsSwitch *sw);
/* Adds a port; returns its NIC (owned by the switch; number = index). */
NsNic *ns_switch_add_port(NsSwitch *sw);
guint ns_switch_n_ports(const NsSwitch *sw);
/* Port by number, 1-based; NULL if out of range. */
NsNic *ns_switch_port(NsSwitch *sw, guint number);
/* Port number's counters as of now (1-based; all 0 if out of range). */
NsSwitchPortCounters ns_switch_port_counters(const NsSwitch *sw, guint number);
NsFdb *ns_switch_fdb(NsSwitch *sw);
/* Turns IGMP snooping on or off (off on a new switch; the topology key
 * igmp-snooping is on by default).  Turning it off forgets the table. */
void ns_switch_set_igmp_snooping(NsSwitch *sw, gboolean on);
/* The snooping table, NULL while snooping is off. */
NsSnoop *ns_switch_snoop(NsSwitch *sw);

G_END_DECLS

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
 * Ports are numbered from 1 in the order they are added.  A port whose
 * link goes down forgets the MACs learned on it.
 * Events: switch/learn, switch/move, switch/age, switch/evict,
 * switch/flood, switch/forward, switch/filter, switch/port-down, switch/drop
 * (malformed).
 */
#pragma once

#include "core/counters.h"
#include "net/fdb.h"
#include "net/link.h"

G_BEGIN_DECLS

/* A port's counters (core/counters.h); all but tx_frames count frames
 * that came in on the port, by what the switch did with them. */
#define NS_PORT_COUNTERS(X)                                                    \
  X(rx_frames, "frames received on the port")                                  \
  X(tx_frames, "frames sent out of the port")                                  \
  X(flooded, "received frames flooded")                                        \
  X(forwarded, "received frames forwarded to one port")                        \
  X(filtered, "received frames dropped as same-segment")                       \
  X(malformed, "received frames too short")

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
const NsSwitchPortCounters *ns_switch_port_counters(const NsSwitch *sw,
                                                    guint number);
NsFdb *ns_switch_fdb(NsSwitch *sw);

G_END_DECLS

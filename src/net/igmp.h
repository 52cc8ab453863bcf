/* igmp.h — IGMPv2 (RFC 2236) as netsim's hosts, routers and snooping
 * switches run it: the timers they share and what a router's membership
 * table holds.  The codec is wire/igmp.h; the machines are in
 * net/ipnode_igmp.c (hosts), net/ipnode_querier.c (routers) and
 * net/switch_snoop.c (switches).
 *
 * Hosts (every IP node that joins a group; 224.0.0.1, which every host
 * joins at start, is never reported, RFC 2236 6):
 *  - join: an unsolicited v2 report to the group at once (from a timer
 *    due at that instant), and a second one after a random delay below
 *    the Unsolicited Report Interval, 10 s (what Linux does in v2 mode:
 *    two reports, the second within 10 s, in case the first was lost).
 *  - leave (the last join of the node undone): a leave to 224.0.0.2.
 *    RFC 2236 sends it only when this host sent the last report; netsim
 *    always sends it, which costs one frame and spares a snooping switch
 *    a member that stays on its port until it times out.
 *  - a query (general, or for a group it joined): a report after a random
 *    delay below the query's max response time; a report already due
 *    sooner stays.  Hearing another member's report for a group while
 *    its own is pending cancels its own (v2 suppression, counted in
 *    igmp_suppressed): the routers need one answer per group and LAN.
 *  - which interface: the node's membership is one per node; reports and
 *    leaves go out of the interface multicast sends leave by (the first,
 *    as ipnode_output.c chooses), an answer to a query out of the
 *    interface the query came in on.
 * Random delays come from ns_ctx_hash over the run's seed, the node's
 * name and a draw counter: the same seed gives the same run, and IGMP
 * draws shift nothing else.
 *
 * Routers with igmp-querier on (off by default: netsim's routers do not
 * route multicast, and a Linux router without a multicast routing daemon
 * sends no queries either):
 *  - per interface, a querier: a general query to 224.0.0.1 at start-up
 *    and then every Query Interval (125 s; the first Startup Query Count,
 *    2, queries a quarter of that apart), max response 10 s.
 *  - election (RFC 2236 3): a router that hears a query from a lower
 *    address on an interface stops querying there for the Other Querier
 *    Present Interval (255 s) and resumes when it has heard none for that
 *    long.
 *  - a membership table per interface: a report makes or refreshes a
 *    group for the Group Membership Interval (260 s); a leave makes the
 *    querier send Last Member Query Count (2) group-specific queries one
 *    Last Member Query Interval (1 s) apart and cut the group's time to
 *    2 s: a member that remains answers, otherwise the group goes.  The
 *    table is what `show groups` shows and what tells a snooping switch
 *    where the querier is; nothing is forwarded by it.
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_IGMP_ROBUSTNESS 2                       /* RFC 2236 8.1 */
#define NS_IGMP_QUERY_INTERVAL (125 * NS_SEC)      /* 8.2 */
#define NS_IGMP_QUERY_RESPONSE (10 * NS_SEC)       /* 8.3: max resp 100 */
#define NS_IGMP_LAST_MEMBER_INTERVAL (1 * NS_SEC)  /* 8.8: max resp 10 */
#define NS_IGMP_UNSOLICITED_INTERVAL (10 * NS_SEC) /* 8.10 */
/* 8.4: robustness x query interval + response interval = 260 s. */
#define NS_IGMP_MEMBERSHIP_INTERVAL                                            \
  (NS_IGMP_ROBUSTNESS * NS_IGMP_QUERY_INTERVAL + NS_IGMP_QUERY_RESPONSE)
/* 8.5: robustness x query interval + half the response interval. */
#define NS_IGMP_OTHER_QUERIER_INTERVAL                                         \
  (NS_IGMP_ROBUSTNESS * NS_IGMP_QUERY_INTERVAL + NS_IGMP_QUERY_RESPONSE / 2)
#define NS_IGMP_STARTUP_INTERVAL (NS_IGMP_QUERY_INTERVAL / 4) /* 8.6 */
#define NS_IGMP_STARTUP_COUNT NS_IGMP_ROBUSTNESS              /* 8.7 */
#define NS_IGMP_LAST_MEMBER_COUNT NS_IGMP_ROBUSTNESS          /* 8.9 */

/* The all-hosts and all-routers groups. */
#define NS_IGMP_ALL_HOSTS NS_IP4(224, 0, 0, 1)
#define NS_IGMP_ALL_ROUTERS NS_IP4(224, 0, 0, 2)

/* 224.0.0.0/24: link-local groups, never reported and always flooded by
 * a snooping switch (RFC 4541 2.1.2). */
static inline gboolean ns_igmp_is_link_local(NsIp4 group) {
  return (group.v & 0xFFFFFF00u) == 0xE0000000u;
}

/* One group on one interface of a querier's membership table. */
typedef struct {
  NsIp4 group;
  guint iface;         /* the interface's index */
  NsIp4 last_reporter; /* the source of the last report heard */
  NsTime since;        /* when the group first got a member here */
  NsTime expires;      /* membership timer: the group goes at this time */
} NsIgmpMembership;

G_END_DECLS

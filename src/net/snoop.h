/* snoop.h — the group table of an IGMP snooping switch (RFC 4541).
 *
 * Two kinds of entries, each a port with the instant it lapses:
 *  - member ports: (group, port), made or renewed by a membership report
 *    arriving on the port, valid for the Group Membership Interval (260 s,
 *    net/igmp.h).  A leave on the port does not end it at once: its time
 *    is cut to the last member query time (2 s), in which the querier asks
 *    the group and a host still behind that port answers (renewing it);
 *    so a port shared by two members (a hub, another switch) keeps the
 *    group.  Expiry is exact: valid while now < expires.
 *  - router ports: ports a membership query arrived on (the querier is
 *    behind them), valid for the Other Querier Present Interval (255 s).
 * A group is known while it has at least one member port; a known group's
 * frames go to its member ports and the router ports, an unknown group's
 * are flooded (the switch decides; this table only answers).
 *
 * Bounded: at most NS_SNOOP_CAPACITY member entries; a report that would
 * add one more is not learnt (NS_SNOOP_FULL: the group stays as it was,
 * unknown groups keep being flooded, nothing is lost).  Router ports are
 * at most one per switch port.
 *
 * No clock and no timer of its own: callers pass `now`, ask when the next
 * entry lapses (ns_snoop_next_expiry) and take lapsed entries out one by
 * one (ns_snoop_expire_one) to report each at its instant.  Linear scans:
 * the tables are as small as a classroom LAN.
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_SNOOP_CAPACITY 1024

typedef struct NsSnoop NsSnoop;

/* One entry: group 0.0.0.0 for a router port. */
typedef struct {
  NsIp4 group;
  guint port;
  NsTime since;   /* when it was made */
  NsTime expires; /* when it lapses */
  gboolean left;  /* a leave cut its time; no report since */
} NsSnoopEntry;

typedef enum {
  NS_SNOOP_NEW_GROUP, /* the group was unknown: it is now, on this port */
  NS_SNOOP_NEW_PORT,  /* a known group gained this port */
  NS_SNOOP_REFRESHED, /* the port was a member already: renewed */
  NS_SNOOP_FULL,      /* no room: not learnt */
} NsSnoopLearn;

NsSnoop *ns_snoop_new(void);
void ns_snoop_free(NsSnoop *s);

/* A report for group on port: member until now + lifetime. */
NsSnoopLearn ns_snoop_report(NsSnoop *s, NsIp4 group, guint port,
                             NsTime lifetime, NsTime now);
/* A leave for group on port: a member entry lapses at now + wait at the
 * latest.  FALSE when the port was no member. */
gboolean ns_snoop_leave(NsSnoop *s, NsIp4 group, guint port, NsTime wait,
                        NsTime now);
/* A query on port: a router port until now + lifetime.  TRUE when it was
 * not one. */
gboolean ns_snoop_router(NsSnoop *s, guint port, NsTime lifetime, NsTime now);

/* The group has a member port at now. */
gboolean ns_snoop_known(const NsSnoop *s, NsIp4 group, NsTime now);
gboolean ns_snoop_is_member(const NsSnoop *s, NsIp4 group, guint port,
                            NsTime now);
gboolean ns_snoop_is_router(const NsSnoop *s, guint port, NsTime now);
/* Whether any router port is valid at now. */
gboolean ns_snoop_has_router(const NsSnoop *s, NsTime now);

/* The earliest `expires` of any entry, or NS_TIME_NEVER. */
NsTime ns_snoop_next_expiry(const NsSnoop *s);
/* Removes one entry lapsed at now into *out; FALSE when none has. */
gboolean ns_snoop_expire_one(NsSnoop *s, NsTime now, NsSnoopEntry *out);
/* Valid entries at now: member entries by group then port, then the
 * router ports by port (group 0.0.0.0).  Caller g_array_unref. */
GArray *ns_snoop_entries(const NsSnoop *s, NsTime now);
/* Forgets everything learnt on port (its link went down). */
guint ns_snoop_flush_port(NsSnoop *s, guint port);

G_END_DECLS

/* show_private.h — what the show_*.c files share. */
#pragma once

#include "cli/show.h"

G_BEGIN_DECLS

/* "sw1:port1" for the far end of nic's link, with " (down)" when the link
 * is down, or "-" when nic has no link; written into buf. */
const char *ns_show_peer(const NsNic *nic, char *buf, gsize size);
/* Appends the switch's IGMP snooping table as a section of r: always
 * with even_empty, else only when it has entries (show mac). */
void ns_show_snooping(NsReport *r, NsNetNode *sw, NsTime now,
                      gboolean even_empty);
/* "192.168.2.10:80", or as netstat "*:7" for every address; written into
 * buf (at least NS_ENDPOINT_STRLEN bytes). */
const char *ns_show_addr_port(NsIp4 ip, guint16 port, char *buf, gsize size);

/* One running bridge as `show bridges` sees it: what bridge.h's accessors
 * say, gathered first, so that the report is made from these values alone
 * (and a test can make them without opening a socket).  Everything is
 * borrowed for the call. */
typedef struct {
  const NsNetNode *node;            /* the bridge's node */
  const NsBridgeCounters *counters; /* its counters */
  const NsBridgeRuleInfo *rules;    /* its rules, in file order */
  guint n_rules;
  const NsBridgeConnInfo *conns; /* what is open, oldest first */
  guint n_conns;
} NsShowBridgeData;

/* Appends the section of one bridge, as of virtual time now. */
void ns_show_bridge_section(NsReport *r, const NsShowBridgeData *d, NsTime now);

G_END_DECLS

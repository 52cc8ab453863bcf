/* show.h — the `show` tables of the console and scenarios.
 *
 * Each function builds the report of one command (report.h: titles,
 * notes and tables as data) describing a running network as of its
 * current virtual time; the caller renders it (ns_report_print for text)
 * and frees it:
 *   show arp NODE     ARP cache per interface: IP, MAC, state, timers
 *   show mac SWITCH   MAC table: port, where the port leads, MAC, the node
 *                     that owns the MAC, age
 *   show route NODE   routing table, most specific first (lookup order)
 *   show links        link parameters, then traffic per direction
 *   show stats [NODE] device counters, every one in the registries of
 *                     core/counters.h (every node when NULL)
 *   show nodes        every node with its interfaces, addresses and MACs
 *   show sockets      UDP sockets, TCP listeners/connections, groups
 *   show tcp          TCP connections: state, sequence numbers, windows,
 *                     RTO, retransmissions
 * They only read the network.  All have the NsShowFunc shape, so that a
 * table of commands can point at them: arp and route need a host or
 * router, mac a switch; links and nodes describe the whole network and
 * ignore node; stats, sockets and tcp take NULL for every node.
 */
#pragma once

#include "cli/report.h"
#include "sim/network.h"

G_BEGIN_DECLS

/* Returns a new report (the caller frees it). */
typedef NsReport *(*NsShowFunc)(NsNet *net, NsNetNode *node);

NsReport *ns_show_arp(NsNet *net, NsNetNode *node);
NsReport *ns_show_mac(NsNet *net, NsNetNode *sw);
NsReport *ns_show_route(NsNet *net, NsNetNode *node);
NsReport *ns_show_links(NsNet *net, NsNetNode *unused);
NsReport *ns_show_nodes(NsNet *net, NsNetNode *unused);
/* show_stats.c */
NsReport *ns_show_stats(NsNet *net, NsNetNode *node);
/* show_sockets.c: UDP sockets, TCP listeners and connections, groups;
 * TCP connections in detail. */
NsReport *ns_show_sockets(NsNet *net, NsNetNode *node);
NsReport *ns_show_tcp(NsNet *net, NsNetNode *node);

/* "58.2s", "250ms", "12us", "0": a duration rounded for reading. */
char *ns_show_duration(NsTime t, char buf[NS_TIME_STRLEN]);

G_END_DECLS

/* show.h — the `show` tables of the console and scenarios.
 *
 * Each function prints one table, with aligned columns and a title line,
 * describing a running network as of its current virtual time:
 *   show arp NODE     ARP cache per interface: IP, MAC, state, timers
 *   show mac SWITCH   MAC table: port, where the port leads, MAC, the node
 *                     that owns the MAC, age
 *   show route NODE   routing table, most specific first (lookup order)
 *   show links        link parameters, then traffic per direction
 *   show stats [NODE] device counters (every node when NULL)
 *   show nodes        every node with its interfaces, addresses and MACs
 *   show sockets      UDP sockets, TCP listeners/connections, groups
 *   show tcp          TCP connections: state, sequence numbers, windows,
 *                     RTO, retransmissions
 * They only read the network.
 * The counters come from the registries next to their structs
 * (core/counters.h).
 */
#pragma once

#include <stdio.h>

#include "sim/network.h"

G_BEGIN_DECLS

void ns_show_arp(NsNet *net, NsNetNode *node, FILE *out);
void ns_show_mac(NsNet *net, NsNetNode *sw, FILE *out);
void ns_show_route(NsNet *net, NsNetNode *node, FILE *out);
void ns_show_links(NsNet *net, FILE *out);
/* node NULL: every node. */
void ns_show_stats(NsNet *net, NsNetNode *node, FILE *out);
void ns_show_nodes(NsNet *net, FILE *out);
/* show_sockets.c: UDP sockets, TCP listeners and connections, groups;
 * TCP connections in detail.  node NULL: every host and router. */
void ns_show_sockets(NsNet *net, NsNetNode *node, FILE *out);
void ns_show_tcp(NsNet *net, NsNetNode *node, FILE *out);

/* "58.2s", "250ms", "12us", "0": a duration rounded for reading. */
char *ns_show_duration(NsTime t, char buf[NS_TIME_STRLEN]);

G_END_DECLS

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
 *
 * The counter tables below name the fields of NsIpCounters, NsNicCounters
 * and NsSwitchPortCounters once, for `show stats` and for
 * `expect NODE counter NAME`.
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

/* A guint64 counter inside a counters struct, by name. */
typedef struct {
  const char *name;  /* "ip_rx", as the struct member */
  gsize offset;      /* offsetof the member */
  const char *about; /* one line for students */
} NsCounterField;

extern const NsCounterField ns_ip_counter_fields[]; /* NsIpCounters */
extern const guint ns_ip_counter_n_fields;
extern const NsCounterField ns_nic_counter_fields[]; /* NsNicCounters */
extern const guint ns_nic_counter_n_fields;
extern const NsCounterField ns_port_counter_fields[]; /* NsSwitchPortCounters */
extern const guint ns_port_counter_n_fields;
extern const NsCounterField ns_udp_counter_fields[]; /* NsUdpCounters */
extern const guint ns_udp_counter_n_fields;
extern const NsCounterField ns_tcp_counter_fields[]; /* NsTcpCounters */
extern const guint ns_tcp_counter_n_fields;

/* The field called name in fields[0..n), or NULL. */
const NsCounterField *ns_counter_field_find(const NsCounterField *fields,
                                            guint n, const char *name);
static inline guint64 ns_counter_get(const void *counters,
                                     const NsCounterField *f) {
  return *(const guint64 *)((const char *)counters + f->offset);
}

/* "58.2s", "250ms", "12us", "0": a duration rounded for reading. */
char *ns_show_duration(NsTime t, char buf[NS_TIME_STRLEN]);

G_END_DECLS

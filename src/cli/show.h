/* show.h — the `show` tables of the console and scenarios.
 *
 * Each function builds the report of one command (report.h: titles,
 * notes and tables as data) describing a running network as of its
 * current virtual time; the caller renders it (ns_report_print for text)
 * and frees it:
 *   show arp NODE     ARP cache per interface: IP, MAC, state, timers
 *   show mac SWITCH   MAC table: port, where the port leads, MAC, the node
 *                     that owns the MAC, age
 *   show route NODE   routing table, most specific first (lookup order),
 *                     each mask as /len and dotted (255.255.255.192)
 *   show links        link parameters, then traffic per direction
 *   show stats [NODE] device counters, every one in the registries of
 *                     core/counters.h (every node when NULL); a bridge's
 *                     bridge.* counters too
 *   show nodes        every node with its interfaces, addresses and MACs
 *   show sockets      UDP sockets, TCP listeners/connections, groups
 *   show tcp          TCP connections: state, sequence numbers, windows,
 *                     RTO, retransmissions
 *   show bridges      each bridge's rules (ports as bound), its non-zero
 *                     counters and what it has open now
 *   show frame ID     journey #ID hop by hop: each link it crossed, the
 *                     frame's layers field by field and its bytes there
 *   show received NODE  what the node's sockets and services received
 *                     (as much as they keep), whole, UTF-8 as text
 *   show mask A/LEN   the mask AND (按位与) of A: address, mask, network,
 *                     host part and broadcast, dotted and in binary, and
 *                     the host count (reads no network)
 * They only read the run.  All have the NsShowFunc shape, so that a table
 * of commands can point at them: arp and route need a host or router, mac
 * a switch, bridges a bridge (or NULL); links and nodes describe the whole
 * network and ignore node; stats, sockets and tcp take NULL for every
 * node.
 */
#pragma once

#include "bridge/bridge.h"
#include "cli/report.h"
#include "sim/framestore.h"
#include "sim/network.h"

G_BEGIN_DECLS

/* What a show reads: the simulated network and, in a run that opened
 * them, the real sockets of its bridges (both borrowed; they outlive the
 * call).  bridges is NULL when the run has none open (--check, tests that
 * build a net alone): the bridge nodes are then hosts like any other, and
 * the shows say that their sockets are not running. */
typedef struct {
  NsNet *net;
  NsBridges *bridges;
  const NsFrameStore *frames; /* show frame: the kept frames, or NULL */
  guint64 frame;              /* show frame: the journey id asked for */
  NsPrefix mask;              /* show mask: the address and length */
} NsShowSource;

/* Returns a new report (the caller frees it). */
typedef NsReport *(*NsShowFunc)(const NsShowSource *src, NsNetNode *node);

NsReport *ns_show_arp(const NsShowSource *src, NsNetNode *node);
NsReport *ns_show_mac(const NsShowSource *src, NsNetNode *sw);
/* A host's groups, a querier's membership table, a switch's snooping
 * table (show_groups.c). */
NsReport *ns_show_groups(const NsShowSource *src, NsNetNode *node);
NsReport *ns_show_route(const NsShowSource *src, NsNetNode *node);
NsReport *ns_show_links(const NsShowSource *src, NsNetNode *unused);
NsReport *ns_show_nodes(const NsShowSource *src, NsNetNode *unused);
/* show_stats.c */
NsReport *ns_show_stats(const NsShowSource *src, NsNetNode *node);
/* show_sockets.c: UDP sockets, TCP listeners and connections, groups;
 * TCP connections in detail. */
NsReport *ns_show_sockets(const NsShowSource *src, NsNetNode *node);
NsReport *ns_show_tcp(const NsShowSource *src, NsNetNode *node);
/* show_frame.c: journey src->frame from src->frames (node unused). */
NsReport *ns_show_frame(const NsShowSource *src, NsNetNode *unused);
/* show_mask.c: the mask AND of src->mask in binary (reads no network). */
NsReport *ns_show_mask(const NsShowSource *src, NsNetNode *unused);
/* show_received.c: the bytes node's sockets and services received and
 * kept, whole, UTF-8 as text. */
NsReport *ns_show_received(const NsShowSource *src, NsNetNode *node);
/* show_bridges.c: every bridge (node NULL) or one. */
NsReport *ns_show_bridges(const NsShowSource *src, NsNetNode *bridge);

/* The running bridge of node, or NULL when node is not a bridge or
 * bridges (may be NULL) has none of its name. */
NsBridge *ns_show_bridge(NsBridges *bridges, const NsNetNode *node);
/* Why a bridge node has no counters or relays to show: what `show` and
 * `expect NODE counter bridge.NAME` say. */
#define NS_SHOW_NOT_RUNNING "not running (this run opened no real sockets)"

/* "58.2s", "250ms", "12us", "0": a duration rounded for reading. */
char *ns_show_duration(NsTime t, char buf[NS_TIME_STRLEN]);

G_END_DECLS

/* ipnode_harness.h — hand-built networks for the IP stack, ping and UDP
 * suites (test_ipnode_arp.c, test_ipnode_route.c, test_ipnode_forward.c,
 * test_ipnode_robust.c, test_ping.c, test_udp.c).
 *
 * A Net is one NsCtx with its own timers, log and seeded RNG, driven by an
 * NsSched on virtual time; it owns every node, link, switch, probe and
 * application added to it, and net_free releases them all, so a test ends
 * with no frame alive.  Every log event is recorded (Ev) and every line an
 * application prints is kept, for the tests to look at.
 *
 * A Probe is a bare NIC at the far end of a link that keeps every frame it
 * receives (and, if asked, answers ARP for its own address), so one node
 * can be tested in isolation with frames crafted by the wire codecs and
 * injected straight into its NIC's recv.
 *
 * The benches at the end are the networks several tests share. */
#pragma once

#include "apps/ping.h"
#include "net/switch.h"
#include "net/udp.h"
#include "sim/sched.h"
#include "testutil.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

#define PFX(a, b, c, d, l) ((NsPrefix){NS_IP4(a, b, c, d), (l)})

/* Compares a new string (freed here) with want. */
#define ASSERT_STR_TAKEN(new_string, want)                                     \
  do {                                                                         \
    char *got_ = (new_string);                                                 \
    ck_assert_str_eq(got_, want);                                              \
    g_free(got_);                                                              \
  } while (0)

/* ---- the test network ---------------------------------------------------- */

/* One log event, copied out of the log. */
typedef struct {
  char *node, *event, *summary, *why;
  NsTime time;
  guint64 frame; /* journey id, 0 when none */
} Ev;

typedef struct Net Net;

typedef struct {
  NsNic nic; /* embedded, must stay first */
  Net *net;
  GPtrArray *got; /* frames received, a reference each */
  GArray *times;  /* of NsTime, arrival of got[i] */
  NsIp4 ip;       /* the address it answers ARP for */
  gboolean answer_arp;
} Probe;

struct Net {
  NsCtx ctx;
  NsSched sched;
  GArray *events;      /* of Ev */
  GPtrArray *nodes;    /* NsIpNode*, freed by net_free */
  GPtrArray *links;    /* NsLink* */
  GPtrArray *switches; /* NsSwitch* */
  GPtrArray *probes;   /* Probe* */
  GPtrArray *pings;    /* NsPing* */
  GPtrArray *traces;   /* NsTrace* */
  GPtrArray *udps;     /* NsUdp*, freed before the nodes */
  GPtrArray *out;      /* application output lines (char*) */
  guint done;          /* application done hooks called */
};

/* Delay 1 ms, infinitely fast, so times are easy to predict. */
extern const NsLinkParams quick_link;

/* explain: whether log events carry their "why". */
Net *net_new(gboolean explain);
void net_free(Net *n);

NsTime now_of(Net *n);
/* Runs for dt more nanoseconds of virtual time. */
void run_for(Net *n, NsTime dt);

NsIpNode *add_node(Net *n, const char *name, gboolean router);
NsLink *connect_nics(Net *n, NsNic *a, NsNic *b, const NsLinkParams *p);
NsSwitch *add_switch(Net *n, const char *name);
/* UDP on node, freed by net_free. */
NsUdp *add_udp(Net *n, NsIpNode *node);
/* A probe NIC, attached by a quick link to nic unless nic is NULL. */
Probe *add_probe(Net *n, NsNic *nic, const char *name, NsMac mac, NsIp4 ip,
                 gboolean answer_arp);

/* ---- crafting frames (each returns a new reference) ---------------------- */

NsFrame *mk_arp(Net *n, guint16 op, NsMac eth_dst, NsMac sha, NsIp4 spa,
                NsMac tha, NsIp4 tpa);
/* A broadcast ARP request from probe p: who has tpa? */
NsFrame *mk_arp_who_has(Net *n, const Probe *p, NsIp4 tpa);
NsFrame *mk_ipv4(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src, NsIp4 dst,
                 guint8 ttl, guint8 proto, const guint8 *payload, gsize len);
/* An echo request with 16 bytes of data 0xa0, 0xa1, ... */
NsFrame *mk_echo(Net *n, NsMac eth_dst, NsMac eth_src, NsIp4 src, NsIp4 dst,
                 guint8 ttl, guint16 id, guint16 seq);

/* Hands frame (taken) to iface as if it had just arrived, then lets the
 * network run for 100 ms. */
void inject(Net *n, NsIpIface *iface, NsFrame *frame);

/* ---- looking at results -------------------------------------------------- */

guint probe_n(Probe *p);
NsFrame *probe_frame(Probe *p, guint i);
/* The i-th (0-based) frame of the probe with EtherType type, or NULL. */
NsFrame *probe_nth_type(Probe *p, guint16 type, guint i);
guint probe_count_type(Probe *p, guint16 type);

/* Whether the frame's Ethernet payload parses as IPv4 (checksum included)
 * or as ARP; fills ip or a. */
gboolean frame_ipv4(const NsFrame *f, NsIpv4Hdr *ip);
gboolean frame_arp(const NsFrame *f, NsArp *a);
/* Parses an IPv4 frame fully (checksum included) and its ICMP message,
 * failing the test if either does not parse. */
void parse_icmp_frame(const NsFrame *f, NsIpv4Hdr *ip, NsIcmp *icmp);

/* Events from node (any node if NULL) named event. */
guint ev_count(Net *n, const char *node, const char *event);
/* Index of the first matching event at or after from, or -1. */
gint ev_find(Net *n, guint from, const char *node, const char *event);
const Ev *ev_at(Net *n, gint i);
/* The latest matching event; fails the test when there is none. */
const Ev *ev_last(Net *n, const char *node, const char *event);

/* ---- applications (owned by the Net, output kept in n->out) -------------- */

NsPing *start_ping(Net *n, NsIpNode *node, NsIp4 dst, guint count,
                   NsTime timeout);
NsPing *start_ping_with(Net *n, NsIpNode *node, NsIp4 dst,
                        const NsPingOptions *o);
/* dst_name and o may be NULL. */
NsTrace *start_trace(Net *n, NsIpNode *node, NsIp4 dst, const char *dst_name,
                     const NsTraceOptions *o);
/* Lines of output containing s. */
guint out_count(Net *n, const char *s);
const char *out_line(Net *n, guint i);

/* ---- benches ------------------------------------------------------------- */

/* h1: eth0 10.0.0.1/24 (02:..:01) to probe P 10.0.0.99 (02:..:99), which
 * answers ARP if answer_arp.  With host_bench_with, arp configures h1's ARP
 * (NULL: defaults); with host_bench_at, h1's eth0 is at addr and P at
 * probe_ip instead (no routes are added either way). */
typedef struct {
  Net *net;
  NsIpNode *h;
  NsIpIface *i0;
  Probe *p;
} HostBench;

HostBench host_bench(gboolean explain, gboolean answer_arp);
HostBench host_bench_with(gboolean explain, gboolean answer_arp,
                          const NsArpConfig *arp);
HostBench host_bench_at(gboolean explain, gboolean answer_arp, NsPrefix addr,
                        NsIp4 probe_ip);

/* h1 eth0 10.0.0.1/24 (02:..:01) and h2 eth0 10.0.0.2/24 (02:..:02) on one
 * direct link with parameters lp. */
typedef struct {
  Net *net;
  NsIpNode *h1, *h2;
  NsIpIface *a, *b;
} PairBench;

PairBench pair_bench(const NsLinkParams *lp);

/* r1: eth0 10.0.1.1/24 (02:..:11) to probe A 10.0.1.10 (02:..:0a);
 *     eth1 10.0.2.1/24 (02:..:12) to probe B 10.0.2.20 (02:..:0b).
 * Both probes answer ARP. */
typedef struct {
  Net *net;
  NsIpNode *r;
  NsIpIface *e0, *e1;
  Probe *a, *b;
} RouterBench;

RouterBench router_bench(gboolean explain);
/* An echo request (id 0x77, seq 1) from A, through r1, to dst with ttl. */
NsFrame *echo_from_a(RouterBench *rb, NsIp4 dst, guint8 ttl);

/* h1 10.0.1.10 -- r1 (10.0.1.1 | 10.0.12.1) -- r2 (10.0.12.2 | 10.0.2.1) --
 * h2 10.0.2.20, quick direct links (n->links in that order), with routes
 * both ways. */
typedef struct {
  Net *net;
  NsIpNode *h1, *r1, *r2, *h2;
} Chain;

Chain chain_new(void);

/* ping.h — the ping and traceroute applications of a host or router.
 *
 * Both are small state machines on top of the IP stack: they send ICMP echo
 * requests through ns_ipnode_send(), listen for echo replies and ICMP
 * errors quoting their own probes (matched by ICMP id and sequence), and arm
 * one embedded timer for the next send or timeout.  They print what ping(8)
 * and traceroute(8) print, one line at a time, through NsAppHooks (app.h),
 * call its done when they end, and emit log events
 * ping/timeout, ping/done, trace/hop and trace/done.
 *
 * Ping: `count` requests of `size` data bytes every `interval`; a request
 * not answered within `timeout` is lost.  Done when every request was
 * answered or timed out.
 * Traceroute (ICMP echo probes, as traceroute -I and Windows tracert): for
 * TTL 1, 2, ... sends `probes` probes; a router where the TTL runs out
 * answers "time exceeded", the destination answers "echo reply"; done when
 * the destination answered or after max_hops.
 */
#pragma once

#include "apps/app.h"
#include "net/ipnode.h"

G_BEGIN_DECLS

typedef struct {
  guint count;     /* requests to send, default 4 */
  NsTime interval; /* between requests, default 1 s */
  NsTime timeout;  /* per request, default 10 s (ping -W) */
  guint size;      /* ICMP data bytes, default 56 */
  guint8 ttl;      /* default 64 */
} NsPingOptions;

extern const NsPingOptions ns_ping_default_options;

typedef struct {
  guint transmitted;
  guint received;                   /* echo replies (duplicates not counted) */
  guint errors;                     /* ICMP errors about our requests */
  guint duplicates;                 /* replies to a seq already answered */
  NsTime rtt_min, rtt_max, rtt_sum; /* over received */
  gboolean no_route;                /* nothing sent: no route to dst */
  gboolean done;
} NsPingStats;

typedef struct NsPing NsPing;

/* Starts pinging dst from node at now.  dst_name is how the user named it
 * (printed in the header line).  hooks may be NULL. */
NsPing *ns_ping_start(NsIpNode *node, NsIp4 dst, const char *dst_name,
                      const NsPingOptions *opts, NsTime now,
                      const NsAppHooks *hooks);
/* Stops (if running) and frees. */
void ns_ping_free(NsPing *ping);
const NsPingStats *ns_ping_stats(const NsPing *ping);
NsIp4 ns_ping_target(const NsPing *ping);

typedef struct {
  guint max_hops; /* default 30 */
  guint probes;   /* per hop, default 3 */
  NsTime timeout; /* per probe, default 5 s */
  gboolean numeric; /* addresses only, as traceroute -n */
} NsTraceOptions;

extern const NsTraceOptions ns_trace_default_options;

typedef struct NsTrace NsTrace;

NsTrace *ns_trace_start(NsIpNode *node, NsIp4 dst, const char *dst_name,
                        const NsTraceOptions *opts, NsTime now,
                        const NsAppHooks *hooks);
void ns_trace_free(NsTrace *trace);
gboolean ns_trace_done(const NsTrace *trace);
/* TRUE when the destination answered. */
gboolean ns_trace_reached(const NsTrace *trace);
/* Hops listed so far (the last is the destination when reached). */
guint ns_trace_n_hops(const NsTrace *trace);
/* The address that answered at hop i (1-based), 0.0.0.0 if none did. */
NsIp4 ns_trace_hop(const NsTrace *trace, guint hop);

G_END_DECLS

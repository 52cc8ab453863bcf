/* link_harness.h — one link between two NICs (h1:eth0 and sw1:port1) on
 * its own context, for the link suites.  Every frame that arrives is kept
 * (with its time) until link_net_free; log events are recorded as
 * "event|summary" once link_net_listen is called.  The caller drives time
 * with link_run_until.
 */
#pragma once

#include "net/link.h"
#include "testutil.h"

typedef struct {
  NsTime when;
  guint64 id;
  NsFrame *frame; /* a reference held until teardown */
} Arrival;

typedef struct {
  NsCtx ctx;
  NsNic a, b;
  NsLink *link;
  GArray *got[2];    /* of Arrival: got[0] at a, got[1] at b */
  GPtrArray *events; /* "event|summary" strings */
} Net;

/* The NICs' receive function: keeps the frame in got[]. */
void link_record_recv(NsNic *nic, NsFrame *frame, NsTime now);
/* A link with parameters p (NULL: the defaults), rng seeded with seed. */
Net *link_net_new(const NsLinkParams *p, guint32 seed);
void link_net_listen(Net *net);
/* Frees the link, the frames received and the context. */
void link_net_free(Net *net);
/* Fires every timer due at or before limit, in order. */
void link_run_until(NsCtx *ctx, NsTime limit);
NsFrame *link_frame(Net *net, gsize len);
/* The i-th arrival at side (0: at a, 1: at b). */
Arrival link_got(Net *net, int side, guint i);
NsLinkParams link_params(NsTime delay, guint64 rate, double loss, guint limit);

/* app.h — what an application is: a program that runs on a host or router.
 *
 * An app sits on top of one node's stack (NsIpNode, and its NsUdp and NsTcp
 * when it needs them) and never owns the loop or the clock.  It is started
 * by a function that takes `now` (ns_ping_start, ns_client_tcp_connect,
 * ns_services_start, ...); after that it only runs inside the callbacks it
 * registered with the stack (an ICMP listener, a timer on the node's timer
 * queue, UDP and TCP socket callbacks), each of which is handed the `now`
 * of its event.  An app never reads a clock; one that must act outside a
 * callback (freeing: aborting connections) uses the latest `now` it was
 * given.
 *
 * What it has to say to the person who started it goes through NsAppHooks,
 * which the starter fills in and the app copies:
 *  - out: one line of output at a time, without the newline (`h1 ping h3`
 *    prints ping(8)'s lines; the console shows them as they come, a
 *    scenario keeps them).  wants_output lets the app skip formatting when
 *    nobody listens: a benchmark's ping costs no sprintf.
 *  - done: called exactly once, when the app has finished (possibly before
 *    its start function returns); the app stays allocated until the
 *    starter frees it, so its results can still be read.
 * What it does on the network is told in the event log (ns_log_printf with
 * the node's name), never through out.
 *
 * `wait` (a bare one runs until every started activity has finished) counts
 * apps in two ways:
 *  - an app with an end (ping, traceroute) is an activity: the starter
 *    counts it in when it starts it and out when done is called;
 *  - an app without an end (the user's sockets in client.h, the services in
 *    services.h) never calls done; the starter asks it instead whether it
 *    still has work queued (ns_client_busy), and the node's TCP reports
 *    what is in flight.  Services are passive: they keep nothing queued
 *    that TCP does not hold, so they never keep `wait` running.
 * The apps of this folder: ping and traceroute (ping.h), the user's
 * sockets (client.h), the services (services.h).
 */
#pragma once

#include <glib.h>

#include "core/addr.h"

G_BEGIN_DECLS

typedef void (*NsAppOutputFunc)(const char *line, gpointer data);

/* How an application talks back to whoever started it.  Any member may be
 * NULL (an all-NULL NsAppHooks: an app nobody listens to). */
typedef struct {
  NsAppOutputFunc out; /* one line of output, no newline */
  void (*done)(gpointer data);
  gpointer data; /* passed to out, done and wants_output */
  /* Asked before formatting a line; NULL means out always listens.  Lets a
   * run with nobody reading skip the formatting on its hot path. */
  gboolean (*wants_output)(gpointer data);
  /* The name of the node owning ip, or NULL (may itself be NULL): what a
   * resolver would answer, for traceroute's "r1 (192.168.1.1)". */
  const char *(*name_of)(NsIp4 ip, gpointer data);
} NsAppHooks;

/* TRUE when a line given to ns_app_say would reach someone. */
gboolean ns_app_wants_output(const NsAppHooks *hooks);
/* Formats one line (no newline) and hands it to hooks->out, if it wants
 * output. */
void ns_app_say(const NsAppHooks *hooks, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Tells the starter the app has finished; call it once. */
void ns_app_done(const NsAppHooks *hooks);

/* The printable test pattern of `udp send size N` and `tcp send size N`:
 * lines of 63 letters and a newline, each line starting one letter later,
 * so that a transfer can be told apart byte by byte and still reads in a
 * log.  Writes its bytes [offset, offset + n) at buf: a sender makes a
 * large transfer a piece at a time, never all of it at once. */
void ns_app_pattern(guint8 *buf, guint64 offset, gsize n);

G_END_DECLS

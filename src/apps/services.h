/* services.h — the small server applications a host runs (`services =`).
 *
 * A service is an app (app.h) without an end: started with the node, it
 * listens on one port until the node stops, prints no output lines (its
 * story is the event log) and is never an activity for `wait` (what its
 * connections still have to send, the node's TCP reports).
 *
 * Kinds.  Every kind of service (tcp-echo, http, ...) is one row of a
 * registry, an NsServiceKind: its name as written in topologies, its
 * transport, the grammar of its item, an example, a one-line description
 * (for help and the README), and how it runs (services_private.h).  The
 * rows are listed in the order help and error messages list them;
 * ns_service_kind_nth() walks them.  A new kind is one file svc_NAME.c,
 * its declaration in services_private.h and one row in service_kinds.c.
 *
 * Specs.  One item of `services =` is NAME PORT [ARG] or NAME:PORT [ARG]:
 * `tcp-echo 7; udp-echo 7; tcp-reply 8080 i am server; http 80;
 * udp-listen 9000 group 239.1.1.1`.  What follows the port is the kind's
 * argument, checked by the kind when the item is parsed and kept in its
 * canonical form.  Parsing is pure (no node needed), so that the topology
 * loader can report errors with file, section and key.
 *
 * Running.  NsServices holds the services of one node: a TCP kind gets a
 * listener and one state per accepted connection, a UDP kind a socket
 * bound to its port on every address.  One service per TCP port and one
 * per UDP port.  A service applies backpressure: when the TCP send buffer
 * is full it stops reading until writable.
 * Events: service/start, service/accept, service/receive, service/reply,
 * service/close (explained: what the service did and why).
 */
#pragma once

#include "apps/app.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "wire/ipv4.h"

G_BEGIN_DECLS

/* How a kind runs: its callbacks, in services_private.h. */
typedef struct NsServiceOps NsServiceOps;

/* One row of the registry.  Rows are static and live forever; a spec
 * points at its row. */
typedef struct {
  const char *name;        /* as written in topologies: "tcp-echo" */
  guint8 transport;        /* NS_IPPROTO_TCP or NS_IPPROTO_UDP */
  const char *usage;       /* the item's grammar: "tcp-reply PORT TEXT" */
  guint16 example_port;    /* what "needs a port" suggests ("http 80") */
  const char *example;     /* a whole item that parses and starts */
  const char *description; /* one line, for help and the README */
  const NsServiceOps *ops; /* never NULL */
} NsServiceKind;

/* The registry: n rows, 0 <= i < n, in listing order. */
guint ns_service_kinds_n(void);
const NsServiceKind *ns_service_kind_nth(guint i);
/* The row named name ("tcp-echo"; exact, case matters), or NULL. */
const NsServiceKind *ns_service_kind_lookup(const char *name);
/* kind->name, "tcp-echo". */
const char *ns_service_kind_name(const NsServiceKind *kind);
/* TRUE for the kinds that use TCP. */
gboolean ns_service_kind_is_tcp(const NsServiceKind *kind);

typedef struct {
  const NsServiceKind *kind; /* a row of the registry */
  guint16 port;              /* 1..65535 */
  /* What followed the port, as the kind normalised it (owned): tcp-reply's
   * text, udp-listen's "group 239.1.1.1"; NULL when there was none. */
  char *arg;
} NsServiceSpec;

/* Parses one item such as "tcp-reply 8080 i am server" or "http:80"
 * (leading/trailing blanks ignored).  On failure *out is untouched and a
 * GError (NS_ERROR, NS_ERROR_PARSE or NS_ERROR_INVALID) says what was
 * wrong and what was expected, for the caller to prefix with
 * file/section/key. */
gboolean ns_service_spec_parse(const char *item, NsServiceSpec *out,
                               GError **error);
/* Frees what a spec owns (not the spec itself). */
void ns_service_spec_clear(NsServiceSpec *spec);
/* A deep copy into *dst. */
void ns_service_spec_copy(NsServiceSpec *dst, const NsServiceSpec *src);
/* "tcp-reply 8080 i am server": the canonical item, which parses back to
 * the same spec (g_free it). */
char *ns_service_spec_format(const NsServiceSpec *spec);

typedef struct {
  guint64 connections; /* TCP connections accepted */
  guint64 active;      /* TCP connections open now */
  guint64 datagrams;   /* UDP datagrams received */
  guint64 requests;    /* HTTP requests answered (any status) */
  guint64 not_found;   /* HTTP 404 answers */
  guint64 bytes_in;    /* data bytes received */
  guint64 bytes_out;   /* data bytes sent */
} NsServiceStats;

typedef struct NsServices NsServices;

/* The services of one node; udp and tcp belong to the same node and must
 * outlive the result. */
NsServices *ns_services_new(NsIpNode *node, NsUdp *udp, NsTcp *tcp);
/* Stops every service: listeners closed, open connections aborted
 * silently, sockets closed. */
void ns_services_free(NsServices *svcs);
/* Starts a service at now (spec copied).  Fails (NS_ERROR) when its port
 * is taken. */
gboolean ns_services_start(NsServices *svcs, const NsServiceSpec *spec,
                           NsTime now, GError **error);
guint ns_services_n(const NsServices *svcs);
const NsServiceSpec *ns_services_spec(const NsServices *svcs, guint i);
const NsServiceStats *ns_services_stats(const NsServices *svcs, guint i);
/* What the service's latest client sent: the first NS_SERVICE_KEPT bytes
 * of its latest connection (from accept on) or its latest datagram, and
 * the total; *peer and *peer_port (may be NULL) get the client's address.
 * Empty (len 0) until something arrives.  For `show received`. */
#define NS_SERVICE_KEPT 4096u
const GByteArray *ns_services_received(const NsServices *svcs, guint i,
                                       guint64 *total, NsIp4 *peer,
                                       guint16 *peer_port);
/* Index of the service of that kind family (TCP or UDP) on port, or -1. */
gint ns_services_find(const NsServices *svcs, gboolean tcp, guint16 port);

G_END_DECLS

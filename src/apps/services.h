/* services.h — the small server applications a host runs (`services =`).
 *
 *   tcp-echo PORT         sends back every byte it reads, until the client
 *                         closes; then closes too (RFC 862 over TCP)
 *   udp-echo PORT         sends every datagram back to its sender (RFC 862)
 *   tcp-reply PORT TEXT   the classic first socket server: each time data
 *                         arrives it reads all of it and answers TEXT and a
 *                         newline
 *   http PORT             HTTP/1.1 GET and HEAD: "/" and "/index.html"
 *                         serve a small page naming the host that served it
 *                         (text/html, Content-Length), anything else 404,
 *                         other methods 501; keep-alive unless the client
 *                         says Connection: close (or speaks HTTP/1.0
 *                         without keep-alive); a request head over 8 KiB or
 *                         that does not parse gets 400 and a close
 *   udp-listen PORT [group G]
 *                         counts and logs every datagram (joining the
 *                         multicast group G first when given)
 *
 * In a topology: `services = tcp-echo 7; udp-echo 7; tcp-reply 8080 i am
 * server; http 80; udp-listen 9000 group 239.1.1.1` — NAME:PORT works as
 * well as NAME PORT.  Parsing a spec is pure (no node needed), so that the
 * topology loader can report errors with file, section and key.
 *
 * A service keeps its own per-connection state and applies backpressure:
 * when the TCP send buffer is full it stops reading until writable.
 * Events: service/start, service/accept, service/receive, service/reply,
 * service/close (explained: what the service did and why).
 */
#pragma once

#include "net/tcp.h"
#include "net/udp.h"

G_BEGIN_DECLS

typedef enum {
  NS_SVC_TCP_ECHO,
  NS_SVC_UDP_ECHO,
  NS_SVC_TCP_REPLY,
  NS_SVC_HTTP,
  NS_SVC_UDP_LISTEN,
} NsServiceKind;

typedef struct {
  NsServiceKind kind;
  guint16 port;  /* 1..65535 */
  char *text;    /* tcp-reply: the answer (owned); NULL otherwise */
  NsIp4 group;   /* udp-listen: multicast group to join, 0.0.0.0 if none */
} NsServiceSpec;

/* "tcp-echo", "udp-listen", ... */
const char *ns_service_kind_name(NsServiceKind kind);
/* TRUE for the services that use TCP. */
gboolean ns_service_kind_is_tcp(NsServiceKind kind);

/* Parses one item such as "tcp-reply 8080 i am server" or "http:80"
 * (leading/trailing blanks ignored).  On failure a GError (NS_ERROR,
 * NS_ERROR_PARSE) whose message says what was wrong and what was expected,
 * for the caller to prefix with file/section/key. */
gboolean ns_service_spec_parse(const char *item, NsServiceSpec *out,
                               GError **error);
/* Frees what a spec owns (not the spec itself). */
void ns_service_spec_clear(NsServiceSpec *spec);
/* A deep copy into *dst. */
void ns_service_spec_copy(NsServiceSpec *dst, const NsServiceSpec *src);
/* "tcp-reply 8080 i am server" (g_free it). */
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
/* Index of the service of that kind family (TCP or UDP) on port, or -1. */
gint ns_services_find(const NsServices *svcs, gboolean tcp, guint16 port);

G_END_DECLS

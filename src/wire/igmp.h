/* igmp.h — IGMP messages (RFC 2236, IGMPv2; RFC 1112 v1; RFC 3376 v3).
 *
 *   0        8          16                 31
 *   |  type  | max resp |     checksum      |
 *   |             group address             |
 *
 * The four types a v2 host and router speak:
 *   0x11 membership query: group 0.0.0.0 is a general query (sent to
 *        224.0.0.1), a group address a group-specific query (sent to the
 *        group).  max resp is in tenths of a second (v2: 100 = 10 s).
 *   0x16 v2 membership report, sent to the group it reports.
 *   0x17 leave group, sent to 224.0.0.2 (all routers).
 *   0x12 v1 membership report: read as a report (max resp is 0 in v1).
 * An IGMPv3 query (RFC 3376 4.1.1) is a query longer than 8 bytes: its
 * first 8 bytes are laid out as above and are read so (its max resp code
 * of 128 or more is a small float, decoded by ns_igmp_max_resp); its
 * source list is ignored, which is how a v2 host treats it (RFC 3376 7.2).
 * v3 reports (0x22) have another layout: parse reads their first 8 bytes
 * without meaning and stacks ignore them.
 *
 * The checksum covers the whole IGMP message (the IP payload), with no
 * pseudo-header.  Parsing checks the length and the checksum, not the
 * type or the group: a stack decides what it makes of those.
 * Carried in IPv4 with protocol 2, TTL 1 and, as Linux sends it, the
 * Router Alert option (RFC 2113, see NS_IPV4_OPT_RA in ipv4.h) and TOS
 * 0xc0 (precedence "internetwork control").
 */
#pragma once

#include <glib.h>

#include "core/addr.h"
#include "wire/checksum.h"

G_BEGIN_DECLS

#define NS_IGMP_LEN 8 /* a v1/v2 message; v3 queries are longer */

/* Types. */
#define NS_IGMP_QUERY 0x11
#define NS_IGMP_V1_REPORT 0x12
#define NS_IGMP_V2_REPORT 0x16
#define NS_IGMP_LEAVE 0x17
#define NS_IGMP_V3_REPORT 0x22

/* Field offsets. */
#define NS_IGMP_OFF_TYPE 0
#define NS_IGMP_OFF_MAX_RESP 1
#define NS_IGMP_OFF_CSUM 2
#define NS_IGMP_OFF_GROUP 4

typedef struct {
  guint8 type;     /* NS_IGMP_* */
  guint8 max_resp; /* queries: tenths of a second (v3: a code); else 0 */
  guint16 csum;    /* as on the wire (parse); ignored by emit */
  NsIp4 group;     /* the group; 0.0.0.0 in a general query */
  gsize len;       /* message length: 8, more for a v3 query (parse) */
} NsIgmp;

/* len is the IGMP message length (IP total_len - hlen).  Needs 8 bytes
 * and a checksum that verifies over all len bytes. */
gboolean ns_igmp_parse(const guint8 *buf, gsize len, NsIgmp *out,
                       const char **err);
/* The same fields without verifying the checksum (for a decoder that
 * shows a wrong checksum rather than rejecting the message). */
gboolean ns_igmp_parse_header(const guint8 *buf, gsize len, NsIgmp *out,
                              const char **err);
/* Writes the 8-byte message with its checksum; returns 8.  m->csum and
 * m->len are ignored. */
gsize ns_igmp_emit(guint8 *buf, const NsIgmp *m);

/* A query's maximum response time in ns: max_resp tenths of a second, a
 * v3 code of 128 or more decoded as (mant | 0x10) << (exp + 3) tenths
 * (RFC 3376 4.1.1).  0 from a v1 query means 10 s (RFC 2236 4). */
NsTime ns_igmp_max_resp(const NsIgmp *m);
/* A general query (group 0.0.0.0), else a group-specific one. */
static inline gboolean ns_igmp_is_general(const NsIgmp *m) {
  return ns_ip4_is_zero(m->group);
}
/* A v1 or v2 membership report. */
static inline gboolean ns_igmp_is_report(guint8 type) {
  return type == NS_IGMP_V2_REPORT || type == NS_IGMP_V1_REPORT;
}
/* "membership query", "v2 membership report", ...; NULL when unknown. */
const char *ns_igmp_type_name(guint8 type);

G_END_DECLS

/* icmp.h — ICMP messages (RFC 792).
 *
 *   0      1      2          4                  8
 *   | type | code | checksum | id     | seq     | data ...
 *                            | (unused, zero)   | quoted datagram ...
 *
 * Echo request/reply carry an identifier and a sequence number and echo
 * their data back unchanged.  Error messages (destination unreachable, time
 * exceeded, ...) carry four unused bytes (zero) and then quote the offending
 * datagram: its IP header and the first 8 bytes of its payload, enough for
 * the sender to find the UDP/TCP ports or the echo id/seq it used and match
 * the error to its probe.  The checksum covers the whole ICMP message (no
 * pseudo-header), whose length is the IP payload length.
 *
 * NsIcmp.data points into the parsed buffer; it borrows, never owns.
 */
#pragma once

#include <glib.h>

#include "wire/ipv4.h"

G_BEGIN_DECLS

#define NS_ICMP_HLEN 8

/* Types. */
#define NS_ICMP_ECHO_REPLY 0
#define NS_ICMP_DEST_UNREACH 3
#define NS_ICMP_SOURCE_QUENCH 4
#define NS_ICMP_REDIRECT 5
#define NS_ICMP_ECHO_REQUEST 8
#define NS_ICMP_TIME_EXCEEDED 11
#define NS_ICMP_PARAM_PROBLEM 12

/* Codes of NS_ICMP_DEST_UNREACH. */
#define NS_ICMP_NET_UNREACH 0
#define NS_ICMP_HOST_UNREACH 1
#define NS_ICMP_PROTO_UNREACH 2
#define NS_ICMP_PORT_UNREACH 3
#define NS_ICMP_FRAG_NEEDED 4
/* Codes of NS_ICMP_TIME_EXCEEDED. */
#define NS_ICMP_TTL_EXCEEDED 0
#define NS_ICMP_FRAG_TIME_EXCEEDED 1

/* Field offsets. */
#define NS_ICMP_OFF_TYPE 0
#define NS_ICMP_OFF_CODE 1
#define NS_ICMP_OFF_CSUM 2
#define NS_ICMP_OFF_ID 4
#define NS_ICMP_OFF_SEQ 6

/* How much of the offending datagram an error quotes at most: as much as
 * keeps the whole error within 576 bytes (RFC 1812 4.3.2.3, what Linux
 * does): 576 - 20 (its IPv4 header) - 8 (the ICMP header).  RFC 792 asks
 * for the header and 8 bytes at least. */
#define NS_ICMP_QUOTE_MAX (576 - 20 - 8)

typedef struct {
  guint8 type;        /* NS_ICMP_* type */
  guint8 code;        /* meaning depends on type */
  guint16 csum;       /* as on the wire (parse); ignored by emit */
  guint16 id;         /* echo identifier; bytes 4-5 for other types (0) */
  guint16 seq;        /* echo sequence; bytes 6-7 for other types (0) */
  const guint8 *data; /* echo data or quoted datagram, borrowed */
  gsize data_len;     /* bytes at data */
} NsIcmp;

/* TRUE for the types whose data quotes an offending datagram. */
gboolean ns_icmp_is_error(guint8 type);

/* len is the ICMP message length (IP total_len - hlen).  Needs 8 bytes and a
 * checksum that verifies over all len bytes; out->data points into buf. */
gboolean ns_icmp_parse(const guint8 *buf, gsize len, NsIcmp *out,
                       const char **err);
/* The same fields without verifying the checksum (for a decoder that
 * shows a wrong checksum rather than rejecting the message): needs only
 * the 8 header bytes. */
gboolean ns_icmp_parse_header(const guint8 *buf, gsize len, NsIcmp *out,
                              const char **err);

/* Writes the 8-byte header then data_len bytes of m->data (moved, so data may
 * already sit at buf + 8 or overlap it), computes the checksum over the whole
 * message and returns its length, 8 + data_len.  m->csum is ignored.  buf
 * must hold 8 + data_len bytes. */
gsize ns_icmp_emit(guint8 *buf, const NsIcmp *m);

/* How many leading bytes of an offending datagram an error should quote:
 * the whole datagram (its total length when that is sane, so Ethernet
 * padding is not quoted), never more than NS_ICMP_QUOTE_MAX nor len. */
gsize ns_icmp_quote_len(const guint8 *ip_packet, gsize len);

/* For an error message: parses the quoted IP header (leniently: the checksum
 * is not verified, lengths are) and returns where the quoted payload starts
 * and how much of it is present (normally 8, capped by the quoted total
 * length).  FALSE when the message is not an error or the quote is not an
 * IPv4 header. */
gboolean ns_icmp_quoted(const NsIcmp *err_msg, NsIpv4Hdr *orig,
                        const guint8 **orig_payload, gsize *orig_payload_len);

/* Convenience for ping/traceroute: TRUE when err_msg quotes an ICMP echo
 * request with its id and seq present; fills *orig, *id and *seq. */
gboolean ns_icmp_quoted_echo(const NsIcmp *err_msg, NsIpv4Hdr *orig,
                             guint16 *id, guint16 *seq);

G_END_DECLS

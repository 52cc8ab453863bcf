/* udp.h — the UDP header (RFC 768).
 *
 *   0              16             31
 *   |  source port  |  dest port   |
 *   |    length     |   checksum   |
 *   |          data ...            |
 *
 * `length` counts header and data (8..65535) and may be shorter than the IP
 * payload (the rest is ignored) but never longer.  The checksum covers the
 * pseudo-header (src, dst, zero, 17, UDP length), the header and the data;
 * a computed 0 is sent as 0xFFFF, and a received 0 means "not computed"
 * (accepted, RFC 768).
 *
 * Parsing checks structure only; the checksum is checked separately so that
 * a stack can count "bad checksum" apart from "malformed".
 */
#pragma once

#include <glib.h>

#include "core/addr.h"
#include "wire/checksum.h"

G_BEGIN_DECLS

#define NS_UDP_HLEN 8
/* The most data one datagram carries without IP fragmentation on a 1500
 * byte MTU: 1500 - 20 (IPv4) - 8 (UDP).  netsim never fragments. */
#define NS_UDP_MAX_PAYLOAD 1472

typedef struct {
  guint16 sport; /* source port */
  guint16 dport; /* destination port */
  guint16 len;   /* header + data bytes, as on the wire */
  guint16 csum;  /* as on the wire (0: none) */
} NsUdpHdr;

/* buf/len: the IP payload.  Checks 8 <= len field <= len.  On failure *err
 * (if err) is a static reason ("truncated header", "bad length"). */
gboolean ns_udp_parse(const guint8 *buf, gsize len, NsUdpHdr *out,
                      const char **err);

/* TRUE when the checksum of the datagram at buf (udp_len bytes: header +
 * data, as its length field says) is correct for src/dst, or is 0. */
gboolean ns_udp_checksum_ok(const guint8 *buf, gsize udp_len, NsIp4 src,
                            NsIp4 dst);

/* Writes the 8-byte header from *h at buf, with h->len = 8 + data_len; the
 * data_len bytes of data must already be at buf + 8.  Computes the checksum
 * for src/dst (0 becomes 0xFFFF) and stores it in buf and h->csum. */
void ns_udp_emit(guint8 *buf, NsUdpHdr *h, gsize data_len, NsIp4 src,
                 NsIp4 dst);

G_END_DECLS

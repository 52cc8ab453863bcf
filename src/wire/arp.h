/* arp.h — ARP packets for Ethernet and IPv4 (RFC 826).
 *
 * ARP is general over hardware and protocol types; we only speak the one
 * combination that exists on our links, so the packet has a fixed size of
 * 28 bytes and anything else (another htype, ptype or address length) is
 * rejected rather than half-understood.
 *
 *   0     2     4    5    6     8     14    18    24    28
 *   |htype|ptype|hlen|plen| op  | sha | spa | tha | tpa |
 *     1   0x0800  6    4   1/2
 *
 * A request asks "who has tpa? tell spa/sha" and is broadcast, tha being
 * ignored (we send zeros).  A reply answers "spa is at sha" to the asker.
 * A gratuitous ARP is a request with spa == tpa.  The packet sits in a
 * 60-byte Ethernet frame, so trailing padding after the 28 bytes is normal.
 */
#pragma once

#include <glib.h>

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_ARP_LEN 28
#define NS_ARP_OP_REQUEST 1
#define NS_ARP_OP_REPLY 2

#define NS_ARP_HTYPE_ETHERNET 1

/* Field offsets. */
#define NS_ARP_OFF_HTYPE 0
#define NS_ARP_OFF_PTYPE 2
#define NS_ARP_OFF_HLEN 4
#define NS_ARP_OFF_PLEN 5
#define NS_ARP_OFF_OP 6
#define NS_ARP_OFF_SHA 8
#define NS_ARP_OFF_SPA 14
#define NS_ARP_OFF_THA 18
#define NS_ARP_OFF_TPA 24

typedef struct {
  guint16 op; /* NS_ARP_OP_REQUEST or NS_ARP_OP_REPLY */
  NsMac sha;  /* sender hardware address */
  NsIp4 spa;  /* sender protocol address */
  NsMac tha;  /* target hardware address (zero in a request) */
  NsIp4 tpa;  /* target protocol address */
} NsArp;

/* Parses the first 28 of len bytes (the ARP payload of a frame).  Rejects a
 * short packet, htype != 1, ptype != 0x0800, hlen != 6, plen != 4 and an op
 * other than request/reply; bytes past 28 are padding and ignored.  On
 * failure *err (if err) is a static reason string. */
gboolean ns_arp_parse(const guint8 *buf, gsize len, NsArp *out,
                      const char **err);
/* Writes the 28-byte packet at buf. */
void ns_arp_emit(guint8 *buf, const NsArp *a);

G_END_DECLS

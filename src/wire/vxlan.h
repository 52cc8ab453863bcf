/* vxlan.h — the VXLAN header (RFC 7348): an Ethernet frame carried in a
 * UDP datagram (IANA port 4789), so that one layer-2 segment can span
 * machines.  The datagram's payload is this 8-byte header followed by the
 * inner Ethernet frame (destination MAC first, no FCS):
 *
 *   0       8                               31
 *   | flags |          reserved (24)         |
 *   |         VNI (24)              | rsvd(8) |
 *   |  inner Ethernet frame ...              |
 *
 * flags: only the I bit (0x08, "the VNI is valid") is defined; it must be
 * set.  The other flag bits and both reserved fields are sent as zero and
 * ignored on receipt (RFC 7348 section 5), which is what Linux does.
 *
 * Pure: no sockets (bridge/vxlan.c has them), no allocation.  A datagram
 * from outside is untrusted: ns_vxlan_decap() checks everything a
 * receiver needs (length, I flag, VNI, inner frame size) and names what
 * failed, for the caller to count and log.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_VXLAN_HLEN 8
#define NS_VXLAN_PORT 4789        /* IANA's, and Linux's dstport default */
#define NS_VXLAN_FLAG_I 0x08      /* the VNI field is valid */
#define NS_VXLAN_VNI_MAX 0xffffff /* 24 bits */

typedef struct {
  guint8 flags; /* as on the wire (I set on every valid header) */
  guint32 vni;  /* 0..NS_VXLAN_VNI_MAX */
} NsVxlanHdr;

/* buf/len: a UDP payload.  Checks len >= 8 and the I flag; reserved bits
 * are ignored.  On failure *err (if err) is a static reason ("truncated
 * header", "I flag not set"). */
gboolean ns_vxlan_parse(const guint8 *buf, gsize len, NsVxlanHdr *out,
                        const char **err);

/* Writes the 8-byte header for vni (<= NS_VXLAN_VNI_MAX) at buf: flags I,
 * reserved zero.  The inner frame goes at buf + NS_VXLAN_HLEN. */
void ns_vxlan_emit(guint8 *buf, guint32 vni);

/* What a receiver of segment vni does with a datagram: parse the header,
 * then check the VNI is vni and the inner frame is an Ethernet frame of
 * 14..max_frame bytes.  On success *frame / *frame_len (borrowed from
 * buf) are the inner frame; on failure *err (if err) is a static reason:
 * "truncated header", "I flag not set", "wrong VNI", "inner frame too
 * short", "inner frame too long". */
gboolean ns_vxlan_decap(const guint8 *buf, gsize len, guint32 vni,
                        gsize max_frame, const guint8 **frame, gsize *frame_len,
                        const char **err);

G_END_DECLS

/* ethernet.h — Ethernet II framing (DIX), as the simulator carries it.
 *
 * A frame here is what a NIC hands to the driver: destination MAC, source
 * MAC, EtherType, payload.  There is no preamble and no FCS (links in the
 * simulator do not corrupt bits; a pcap of our frames looks like a Linux
 * capture).  Without the FCS the minimum frame is 60 bytes, so a payload
 * shorter than 46 bytes is padded with zeros on transmit; receivers must
 * therefore trust the length field of the upper layer (IPv4 total length,
 * the fixed ARP size), never the frame length.  The largest untagged
 * frame is 1514 bytes (a 1500-byte MTU plus the header); an 802.1Q tag
 * adds 4 bytes, so a frame buffer holds up to 1518 (NS_FRAME_MAX) and
 * switches carry such frames unchanged.  The MTU stays 1500: nothing here
 * builds an IP datagram larger than that.  802.1Q tags and 802.3 length
 * fields are not interpreted by the IP stack: they show up as an unknown
 * EtherType (counted as such, not as malformed).
 *
 *   0      6      12   14
 *   | dst  | src  |type| payload ...
 *
 * Use: check ns_eth_view() (or ns_eth_parse()) once, then the accessors
 * read fixed offsets with no further checks.
 */
#pragma once

#include <glib.h>
#include <string.h>

#include "core/addr.h"
#include "wire/checksum.h"

G_BEGIN_DECLS

#define NS_ETH_HLEN 14
#define NS_ETH_MIN_FRAME 60   /* without FCS: payload padded to 46 bytes */
#define NS_ETH_MAX_FRAME 1514 /* 1500-byte MTU + header, untagged */
#define NS_ETH_MTU (NS_ETH_MAX_FRAME - NS_ETH_HLEN)
#define NS_ETH_VLAN_TAG_LEN 4 /* an 802.1Q tag: TPID 0x8100 + TCI */
#define NS_ETH_MAX_TAGGED_FRAME (NS_ETH_MAX_FRAME + NS_ETH_VLAN_TAG_LEN)
#define NS_ETHERTYPE_IPV4 0x0800
#define NS_ETHERTYPE_ARP 0x0806
#define NS_ETHERTYPE_VLAN 0x8100 /* 802.1Q tag */
#define NS_ETHERTYPE_IPV6 0x86DD

/* Field offsets. */
#define NS_ETH_OFF_DST 0
#define NS_ETH_OFF_SRC 6
#define NS_ETH_OFF_TYPE 12

/* The header in host terms. */
typedef struct {
  NsMac dst;    /* destination, may be broadcast or multicast */
  NsMac src;    /* source, always unicast on a sane network (not enforced) */
  guint16 type; /* EtherType, host order */
} NsEthHdr;

/* TRUE when buf holds at least a full header (len >= 14). */
gboolean ns_eth_view(const guint8 *buf, gsize len);

/* Accessors: only after ns_eth_view() said TRUE. */
static inline NsMac ns_eth_dst(const guint8 *buf) {
  NsMac m;
  memcpy(m.b, buf + NS_ETH_OFF_DST, 6);
  return m;
}
static inline NsMac ns_eth_src(const guint8 *buf) {
  NsMac m;
  memcpy(m.b, buf + NS_ETH_OFF_SRC, 6);
  return m;
}
static inline guint16 ns_eth_type(const guint8 *buf) {
  return ns_load16(buf + NS_ETH_OFF_TYPE);
}
static inline void ns_eth_set_dst(guint8 *buf, NsMac m) {
  memcpy(buf + NS_ETH_OFF_DST, m.b, 6);
}
static inline void ns_eth_set_src(guint8 *buf, NsMac m) {
  memcpy(buf + NS_ETH_OFF_SRC, m.b, 6);
}
static inline const guint8 *ns_eth_payload(const guint8 *buf) {
  return buf + NS_ETH_HLEN;
}

/* Room for "src > dst", two MACs in colon form, NUL included. */
#define NS_ETH_ADDRS_STRLEN (2 * NS_MAC_STRLEN + 2)

/* Writes "src > dst" ("02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff", the tcpdump
 * order) into out; returns out.  The logs show each hop's Ethernet
 * addresses this way. */
char *ns_eth_format_addrs(NsMac src, NsMac dst, char out[NS_ETH_ADDRS_STRLEN]);
/* The same for the header at buf (only after ns_eth_view() said TRUE). */
char *ns_eth_format_header_addrs(const guint8 *buf,
                                 char out[NS_ETH_ADDRS_STRLEN]);

/* A short name for an EtherType ("IPv4", "ARP", "802.1Q", "IPv6", ...),
 * or NULL when the type is not one this table knows. */
const char *ns_ethertype_name(guint16 type);

/* Fills *out from the first 14 bytes.  On failure returns FALSE and, when
 * err is not NULL, sets *err to a static reason string. */
gboolean ns_eth_parse(const guint8 *buf, gsize len, NsEthHdr *out,
                      const char **err);
/* Writes the 14 header bytes at buf. */
void ns_eth_emit(guint8 *buf, const NsEthHdr *h);
/* The length to put on the wire for a frame of len bytes: max(len, 60).  The
 * caller zeroes the padding. */
gsize ns_eth_padded_len(gsize len);

G_END_DECLS

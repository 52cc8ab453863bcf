/* ipv4.h — the IPv4 header (RFC 791).
 *
 *   0        4        8               16      19              31
 *   |version |  IHL   |     TOS       |        total length     |
 *   |         identification          |flags|  fragment offset  |
 *   |      TTL        |   protocol    |     header checksum     |
 *   |                      source address                       |
 *   |                    destination address                    |
 *   |              options (IHL > 5), up to 40 bytes            |
 *
 * What a receiver may rely on after ns_ipv4_parse() succeeded:
 *   20 <= hlen <= total_len <= len, and the header checksum is correct.
 * len may exceed total_len: Ethernet pads short frames, so the payload is
 * exactly total_len - hlen bytes from offset hlen, whatever the frame says.
 * Options are tolerated and skipped; the only one we emit is Router Alert
 * (RFC 2113, on IGMP as Linux sends it), by ns_ipv4_emit_options, which
 * writes whole 32-bit words of options after the 20 fixed bytes.  Fragments are
 * parsed like any datagram; the fragment fields are reported untouched in
 * `frag` and it is for the stack to decide what to do with them.
 *
 * Forwarding rewrites only the TTL, with an incremental checksum update
 * (RFC 1624) that gives exactly the bytes a full recompute would; NAT
 * rewrites addresses the same way (ns_ipv4_set_src/dst).
 */
#pragma once

#include <glib.h>

#include "core/addr.h"
#include "wire/checksum.h"

G_BEGIN_DECLS

#define NS_IPV4_HLEN 20     /* without options */
#define NS_IPV4_MAX_HLEN 60 /* IHL is four bits of 32-bit words */
#define NS_IPPROTO_ICMP 1
#define NS_IPPROTO_IGMP 2
#define NS_IPPROTO_TCP 6
#define NS_IPPROTO_UDP 17
#define NS_IPV4_DF 0x4000          /* don't fragment, in `frag` */
#define NS_IPV4_MF 0x2000          /* more fragments, in `frag` */
#define NS_IPV4_OFFSET_MASK 0x1FFF /* fragment offset, in 8-byte units */
/* The type of service of an ICMP error, as Linux's icmp_send() sets it:
 * precedence "internetwork control" (IPTOS_PREC_INTERNETCONTROL, 0xc0)
 * plus the RFC 1349 TOS bits of the datagram it is about. */
#define NS_IPV4_TOS_PREC_INTERNETCONTROL 0xC0
#define NS_IPV4_TOS_MASK 0x1E
#define NS_IPV4_TOS_ICMP_ERROR(orig_tos)                                       \
  ((guint8)(NS_IPV4_TOS_PREC_INTERNETCONTROL | ((orig_tos)&NS_IPV4_TOS_MASK)))

/* Option types (the first byte of an option). */
#define NS_IPV4_OPT_END 0x00          /* end of the option list */
#define NS_IPV4_OPT_NOP 0x01          /* padding between options */
#define NS_IPV4_OPT_ROUTER_ALERT 0x94 /* copied, class 0, number 20 */
/* Router Alert (RFC 2113): type, length 4, value 0 ("every router
 * examines this packet"): 94 04 00 00. */
#define NS_IPV4_OPT_RA_LEN 4
extern const guint8 ns_ipv4_opt_router_alert[NS_IPV4_OPT_RA_LEN];

/* Field offsets. */
#define NS_IPV4_OFF_VER_IHL 0
#define NS_IPV4_OFF_TOS 1
#define NS_IPV4_OFF_TOTAL_LEN 2
#define NS_IPV4_OFF_ID 4
#define NS_IPV4_OFF_FRAG 6
#define NS_IPV4_OFF_TTL 8
#define NS_IPV4_OFF_PROTO 9
#define NS_IPV4_OFF_CSUM 10
#define NS_IPV4_OFF_SRC 12
#define NS_IPV4_OFF_DST 16

typedef struct {
  guint8 hlen;       /* header bytes including options, 20..60 */
  guint8 tos;        /* type of service / DSCP+ECN, carried unchanged */
  guint16 total_len; /* header + payload bytes */
  guint16 id;        /* identification, for reassembly */
  guint16 frag;      /* flags + offset as on the wire (NS_IPV4_DF, ...) */
  guint8 ttl;        /* hops left */
  guint8 proto;      /* NS_IPPROTO_* */
  guint16 csum;      /* header checksum as on the wire */
  NsIp4 src;         /* source address */
  NsIp4 dst;         /* destination address */
} NsIpv4Hdr;

/* Full validation: version 4, IHL >= 5, hlen <= len,
 * hlen <= total_len <= len, header checksum valid.  On failure *err (if err)
 * is a static reason such as "bad header checksum". */
gboolean ns_ipv4_parse(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                       const char **err);
/* The same checks but the header checksum, for a header whose checksum
 * netsim computed and nobody changed since (NsFrame.csum_ok, core/frame.h):
 * what it accepts, ns_ipv4_parse() accepts too. */
gboolean ns_ipv4_parse_trusted(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                               const char **err);

/* The lenient variant for a datagram quoted inside an ICMP error, which is
 * cut short after 8 payload bytes and may carry a checksum the quoting
 * router did not care about: checks version 4, IHL >= 5, hlen <= len and
 * hlen <= total_len, but neither total_len <= len nor the checksum. */
gboolean ns_ipv4_parse_header(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                              const char **err);

/* Writes a 20-byte header with no options from *h (hlen is ignored and set
 * to 20), computes the checksum and stores it both at buf and in h->csum. */
void ns_ipv4_emit(guint8 *buf, NsIpv4Hdr *h);
/* The same with opts_len bytes of options (a multiple of 4, at most 40)
 * copied after the fixed header: h->hlen becomes 20 + opts_len and the
 * checksum covers them.  h->total_len must count them. */
void ns_ipv4_emit_options(guint8 *buf, NsIpv4Hdr *h, const guint8 *opts,
                          gsize opts_len);
/* TRUE when the options of a header ns_ipv4_parse*() accepted hold a
 * Router Alert; a malformed option list ends the search. */
gboolean ns_ipv4_has_router_alert(const guint8 *buf);

/* TTL - 1 with an RFC 1624 incremental checksum update; the result equals a
 * full recompute when the checksum was correct before.  The TTL must be
 * non-zero (the router drops TTL <= 1 before forwarding). */
void ns_ipv4_decrement_ttl(guint8 *buf);

/* Rewrite the source or destination address of a valid header and fix
 * its checksum incrementally (for NAT; see net/ipnode_hook.h for what the
 * transport checksums then need). */
void ns_ipv4_set_src(guint8 *buf, NsIp4 ip);
void ns_ipv4_set_dst(guint8 *buf, NsIp4 ip);

/* One's-complement partial sum of the TCP/UDP pseudo-header (src, dst, zero,
 * proto, length), to continue with ns_csum_partial over the segment. */
guint32 ns_ipv4_pseudo_partial(NsIp4 src, NsIp4 dst, guint8 proto, guint16 len);

/* Accessors: only on a buffer ns_ipv4_parse() accepted. */
static inline guint8 ns_ipv4_ttl(const guint8 *buf) {
  return buf[NS_IPV4_OFF_TTL];
}
static inline guint8 ns_ipv4_proto(const guint8 *buf) {
  return buf[NS_IPV4_OFF_PROTO];
}
static inline gsize ns_ipv4_hlen(const guint8 *buf) {
  return (gsize)(buf[NS_IPV4_OFF_VER_IHL] & 0x0F) * 4;
}
static inline guint16 ns_ipv4_total_len(const guint8 *buf) {
  return ns_load16(buf + NS_IPV4_OFF_TOTAL_LEN);
}
static inline NsIp4 ns_ipv4_src(const guint8 *buf) {
  return ns_ip4_load(buf + NS_IPV4_OFF_SRC);
}
static inline NsIp4 ns_ipv4_dst(const guint8 *buf) {
  return ns_ip4_load(buf + NS_IPV4_OFF_DST);
}

/* Where the payload starts and how long it is, from a parsed header. */
static inline gsize ns_ipv4_payload_offset(const NsIpv4Hdr *h) {
  return h->hlen;
}
static inline gsize ns_ipv4_payload_len(const NsIpv4Hdr *h) {
  return (gsize)h->total_len - h->hlen;
}
/* A fragment other than a whole datagram: MF set or a non-zero offset. */
static inline gboolean ns_ipv4_is_fragment(const NsIpv4Hdr *h) {
  return (h->frag & (NS_IPV4_MF | NS_IPV4_OFFSET_MASK)) != 0;
}

G_END_DECLS

/* udp.c — UDP header codec (RFC 768). */
#include "wire/udp.h"

#include "wire/ipv4.h"

#define OFF_SPORT 0
#define OFF_DPORT 2
#define OFF_LEN 4
#define OFF_CSUM 6
_Static_assert(OFF_CSUM + 2 == NS_UDP_HLEN,
               "the UDP header is two ports, a length and a checksum");
_Static_assert(NS_UDP_MAX_PAYLOAD == 1500 - 20 - NS_UDP_HLEN,
               "one datagram fills a 1500-byte MTU with a 20-byte IP header");

gboolean ns_udp_parse(const guint8 *buf, gsize len, NsUdpHdr *out,
                      const char **err) {
  if (buf == NULL || len < NS_UDP_HLEN)
    return ns_wire_reject(err, "truncated header");
  guint16 ulen = ns_load16(buf + OFF_LEN);
  if (ulen < NS_UDP_HLEN || ulen > len)
    return ns_wire_reject(err, "bad length");
  out->sport = ns_load16(buf + OFF_SPORT);
  out->dport = ns_load16(buf + OFF_DPORT);
  out->len = ulen;
  out->csum = ns_load16(buf + OFF_CSUM);
  return TRUE;
}

/* The one's-complement sum of pseudo-header and datagram (whatever its
 * checksum field holds). */
static guint32 udp_sum(const guint8 *buf, gsize udp_len, NsIp4 src, NsIp4 dst) {
  guint32 sum =
      ns_ipv4_pseudo_partial(src, dst, NS_IPPROTO_UDP, (guint16)udp_len);
  return ns_csum_partial(buf, udp_len, sum);
}

gboolean ns_udp_checksum_ok(const guint8 *buf, gsize udp_len, NsIp4 src,
                            NsIp4 dst) {
  g_return_val_if_fail(udp_len >= NS_UDP_HLEN && udp_len <= G_MAXUINT16, FALSE);
  if (ns_load16(buf + OFF_CSUM) == 0)
    return TRUE; /* the sender did not compute one (RFC 768) */
  /* A correct checksum makes the whole sum 0xFFFF, whether it was sent as
   * computed or a computed 0 went out as 0xFFFF (both are zero in one's
   * complement). */
  return ns_csum_finish(udp_sum(buf, udp_len, src, dst)) == 0;
}

void ns_udp_emit(guint8 *buf, NsUdpHdr *h, gsize data_len, NsIp4 src,
                 NsIp4 dst) {
  g_return_if_fail(data_len <= G_MAXUINT16 - NS_UDP_HLEN);
  h->len = (guint16)(NS_UDP_HLEN + data_len);
  ns_store16(buf + OFF_SPORT, h->sport);
  ns_store16(buf + OFF_DPORT, h->dport);
  ns_store16(buf + OFF_LEN, h->len);
  ns_store16(buf + OFF_CSUM, 0);
  guint16 csum = ns_csum_finish(udp_sum(buf, h->len, src, dst));
  /* 0 on the wire means "no checksum": a computed 0 is sent as its other
   * one's-complement form. */
  h->csum = csum == 0 ? 0xFFFF : csum;
  ns_store16(buf + OFF_CSUM, h->csum);
}

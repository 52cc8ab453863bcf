/* ipv4.c — IPv4 header codec. */
#include <string.h>

#include "wire/ipv4.h"

_Static_assert(NS_IPV4_OFF_DST + 4 == NS_IPV4_HLEN,
               "the IPv4 header without options is 20 bytes");
_Static_assert(NS_IPV4_MAX_HLEN == 15 * 4, "IHL is a 4-bit count of words");

gboolean ns_ipv4_parse_header(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                              const char **err) {
  if (buf == NULL || len < NS_IPV4_HLEN)
    return ns_wire_reject(err, "truncated header");
  if (buf[NS_IPV4_OFF_VER_IHL] >> 4 != 4)
    return ns_wire_reject(err, "version is not 4");
  gsize hlen = ns_ipv4_hlen(buf);
  if (hlen < NS_IPV4_HLEN)
    return ns_wire_reject(err, "header length below 20");
  if (hlen > len)
    return ns_wire_reject(err, "options truncated");
  guint16 total_len = ns_load16(buf + NS_IPV4_OFF_TOTAL_LEN);
  if (total_len < hlen)
    return ns_wire_reject(err, "total length shorter than header");

  out->hlen = (guint8)hlen;
  out->tos = buf[NS_IPV4_OFF_TOS];
  out->total_len = total_len;
  out->id = ns_load16(buf + NS_IPV4_OFF_ID);
  out->frag = ns_load16(buf + NS_IPV4_OFF_FRAG);
  out->ttl = buf[NS_IPV4_OFF_TTL];
  out->proto = buf[NS_IPV4_OFF_PROTO];
  out->csum = ns_load16(buf + NS_IPV4_OFF_CSUM);
  out->src = (NsIp4){ns_load32(buf + NS_IPV4_OFF_SRC)}; /* inline loads */
  out->dst = (NsIp4){ns_load32(buf + NS_IPV4_OFF_DST)};
  return TRUE;
}

/* Steps over the option at i of a header of hlen bytes (RFC 791 3.1):
 * End of List ends them (hlen), NOP is a byte, any other option a type, a
 * length of at least 2 and that many bytes inside the header.  0 when
 * the length does not fit. */
static gsize option_next(const guint8 *buf, gsize hlen, gsize i) {
  if (buf[i] == NS_IPV4_OPT_END)
    return hlen;
  if (buf[i] == NS_IPV4_OPT_NOP)
    return i + 1;
  if (i + 1 >= hlen || buf[i + 1] < 2 || buf[i + 1] > hlen - i)
    return 0;
  return i + buf[i + 1];
}

/* Every option's length fits: Linux drops a datagram whose options do
 * not parse (ip_options_compile). */
static G_GNUC_NO_INLINE gboolean options_well_formed(const guint8 *buf,
                                                     gsize hlen) {
  for (gsize i = NS_IPV4_HLEN; i < hlen;)
    if ((i = option_next(buf, hlen, i)) == 0)
      return FALSE;
  return TRUE;
}

static gboolean parse(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                      gboolean verify, const char **err) {
  NsIpv4Hdr h;
  if (!ns_ipv4_parse_header(buf, len, &h, err))
    return FALSE;
  if (h.total_len > len)
    return ns_wire_reject(err, "total length exceeds packet");
  if (verify && ns_csum(buf, h.hlen) != 0)
    return ns_wire_reject(err, "bad header checksum");
  if (G_UNLIKELY(h.hlen > NS_IPV4_HLEN) && !options_well_formed(buf, h.hlen))
    return ns_wire_reject(err, "malformed options");
  *out = h;
  return TRUE;
}

gboolean ns_ipv4_parse(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                       const char **err) {
  return parse(buf, len, out, TRUE, err);
}

gboolean ns_ipv4_parse_trusted(const guint8 *buf, gsize len, NsIpv4Hdr *out,
                               const char **err) {
  return parse(buf, len, out, FALSE, err);
}

const guint8 ns_ipv4_opt_router_alert[NS_IPV4_OPT_RA_LEN] = {
    NS_IPV4_OPT_ROUTER_ALERT, NS_IPV4_OPT_RA_LEN, 0, 0};

void ns_ipv4_emit(guint8 *buf, NsIpv4Hdr *h) {
  ns_ipv4_emit_options(buf, h, NULL, 0);
}

void ns_ipv4_emit_options(guint8 *buf, NsIpv4Hdr *h, const guint8 *opts,
                          gsize opts_len) {
  g_return_if_fail(opts_len % 4 == 0 &&
                   opts_len <= NS_IPV4_MAX_HLEN - NS_IPV4_HLEN);
  h->hlen = (guint8)(NS_IPV4_HLEN + opts_len);
  buf[NS_IPV4_OFF_VER_IHL] = (guint8)((4 << 4) | (h->hlen / 4));
  buf[NS_IPV4_OFF_TOS] = h->tos;
  ns_store16(buf + NS_IPV4_OFF_TOTAL_LEN, h->total_len);
  ns_store16(buf + NS_IPV4_OFF_ID, h->id);
  ns_store16(buf + NS_IPV4_OFF_FRAG, h->frag);
  buf[NS_IPV4_OFF_TTL] = h->ttl;
  buf[NS_IPV4_OFF_PROTO] = h->proto;
  ns_store16(buf + NS_IPV4_OFF_CSUM, 0);
  ns_store32(buf + NS_IPV4_OFF_SRC, h->src.v);
  ns_store32(buf + NS_IPV4_OFF_DST, h->dst.v);
  if (opts_len > 0)
    memcpy(buf + NS_IPV4_HLEN, opts, opts_len);
  h->csum = ns_csum(buf, h->hlen);
  ns_store16(buf + NS_IPV4_OFF_CSUM, h->csum);
}

void ns_ipv4_decrement_ttl(guint8 *buf) {
  g_return_if_fail(buf[NS_IPV4_OFF_TTL] > 0);
  /* TTL shares a 16-bit word with the protocol.  RFC 1624 eqn. 3, unlike
   * eqn. 2 of RFC 1141, never yields the 0xFFFF a full computation cannot
   * produce. */
  guint16 old_word = ns_load16(buf + NS_IPV4_OFF_TTL);
  guint16 csum = ns_load16(buf + NS_IPV4_OFF_CSUM);
  buf[NS_IPV4_OFF_TTL]--;
  ns_store16(buf + NS_IPV4_OFF_CSUM,
             ns_csum_adjust16(csum, old_word, (guint16)(old_word - 0x0100)));
}

static void set_addr(guint8 *buf, gsize off, NsIp4 ip) {
  NsIp4 old = ns_ip4_load(buf + off);
  guint16 csum = ns_load16(buf + NS_IPV4_OFF_CSUM);
  ns_ip4_store(buf + off, ip);
  ns_store16(buf + NS_IPV4_OFF_CSUM, ns_csum_adjust32(csum, old.v, ip.v));
}

void ns_ipv4_set_src(guint8 *buf, NsIp4 ip) {
  set_addr(buf, NS_IPV4_OFF_SRC, ip);
}

void ns_ipv4_set_dst(guint8 *buf, NsIp4 ip) {
  set_addr(buf, NS_IPV4_OFF_DST, ip);
}

guint32 ns_ipv4_pseudo_partial(NsIp4 src, NsIp4 dst, guint8 proto,
                               guint16 len) {
  /* The pseudo-header's six big-endian words (src, dst, zero and proto,
   * length), summed as numbers: at most 6 * 0xffff, folded to 16 bits as
   * ns_csum_partial returns it. */
  guint32 sum = (src.v >> 16) + (src.v & 0xFFFFu) + (dst.v >> 16) +
                (dst.v & 0xFFFFu) + proto + len;
  sum = (sum & 0xFFFFu) + (sum >> 16);
  return (sum & 0xFFFFu) + (sum >> 16);
}

gboolean ns_ipv4_has_router_alert(const guint8 *buf) {
  gsize hlen = ns_ipv4_hlen(buf);
  for (gsize i = NS_IPV4_HLEN; i < hlen;) {
    gsize next = option_next(buf, hlen, i);
    if (next == 0)
      return FALSE; /* a length that does not fit */
    if (buf[i] == NS_IPV4_OPT_ROUTER_ALERT)
      return TRUE;
    i = next;
  }
  return FALSE;
}

/* icmp.c — ICMP codec. */
#include <string.h>

#include "wire/icmp.h"

_Static_assert(NS_ICMP_OFF_SEQ + 2 == NS_ICMP_HLEN,
               "ICMP header is type, code, checksum and four more bytes");

gboolean ns_icmp_is_error(guint8 type) {
  switch (type) {
  case NS_ICMP_DEST_UNREACH:
  case NS_ICMP_SOURCE_QUENCH:
  case NS_ICMP_REDIRECT:
  case NS_ICMP_TIME_EXCEEDED:
  case NS_ICMP_PARAM_PROBLEM:
    return TRUE;
  default:
    return FALSE;
  }
}

gboolean ns_icmp_parse(const guint8 *buf, gsize len, NsIcmp *out,
                       const char **err) {
  if (!ns_icmp_parse_header(buf, len, out, err))
    return FALSE;
  if (ns_csum(buf, len) != 0)
    return ns_wire_reject(err, "bad checksum");
  return TRUE;
}

gboolean ns_icmp_parse_header(const guint8 *buf, gsize len, NsIcmp *out,
                              const char **err) {
  if (buf == NULL || len < NS_ICMP_HLEN)
    return ns_wire_reject(err, "truncated header");
  out->type = buf[NS_ICMP_OFF_TYPE];
  out->code = buf[NS_ICMP_OFF_CODE];
  out->csum = ns_load16(buf + NS_ICMP_OFF_CSUM);
  out->id = ns_load16(buf + NS_ICMP_OFF_ID);
  out->seq = ns_load16(buf + NS_ICMP_OFF_SEQ);
  out->data = buf + NS_ICMP_HLEN;
  out->data_len = len - NS_ICMP_HLEN;
  return TRUE;
}

gsize ns_icmp_emit(guint8 *buf, const NsIcmp *m) {
  /* Move the data first: it may sit where the header is about to go. */
  if (m->data_len > 0 && m->data != buf + NS_ICMP_HLEN)
    memmove(buf + NS_ICMP_HLEN, m->data, m->data_len);
  buf[NS_ICMP_OFF_TYPE] = m->type;
  buf[NS_ICMP_OFF_CODE] = m->code;
  ns_store16(buf + NS_ICMP_OFF_CSUM, 0);
  ns_store16(buf + NS_ICMP_OFF_ID, m->id);
  ns_store16(buf + NS_ICMP_OFF_SEQ, m->seq);
  gsize len = NS_ICMP_HLEN + m->data_len;
  ns_store16(buf + NS_ICMP_OFF_CSUM, ns_csum(buf, len));
  return len;
}

gsize ns_icmp_quote_len(const guint8 *ip_packet, gsize len) {
  if (ip_packet == NULL || len == 0)
    return 0;
  gsize hlen = (gsize)(ip_packet[NS_IPV4_OFF_VER_IHL] & 0x0F) * 4;
  gsize want = NS_ICMP_QUOTE_MAX;
  if (len >= NS_IPV4_HLEN) {
    gsize total = ns_load16(ip_packet + NS_IPV4_OFF_TOTAL_LEN);
    if (total >= hlen && total < want)
      want = total;
  }
  return MIN(want, len);
}

gboolean ns_icmp_quoted(const NsIcmp *err_msg, NsIpv4Hdr *orig,
                        const guint8 **orig_payload, gsize *orig_payload_len) {
  if (!ns_icmp_is_error(err_msg->type))
    return FALSE;
  NsIpv4Hdr h;
  if (!ns_ipv4_parse_header(err_msg->data, err_msg->data_len, &h, NULL))
    return FALSE;
  gsize avail = err_msg->data_len - h.hlen;
  *orig = h;
  *orig_payload = err_msg->data + h.hlen;
  *orig_payload_len = MIN(avail, ns_ipv4_payload_len(&h));
  return TRUE;
}

gboolean ns_icmp_quoted_echo(const NsIcmp *err_msg, NsIpv4Hdr *orig,
                             guint16 *id, guint16 *seq) {
  const guint8 *p;
  gsize n;
  if (!ns_icmp_quoted(err_msg, orig, &p, &n))
    return FALSE;
  if (orig->proto != NS_IPPROTO_ICMP || n < NS_ICMP_HLEN ||
      p[NS_ICMP_OFF_TYPE] != NS_ICMP_ECHO_REQUEST)
    return FALSE;
  *id = ns_load16(p + NS_ICMP_OFF_ID);
  *seq = ns_load16(p + NS_ICMP_OFF_SEQ);
  return TRUE;
}

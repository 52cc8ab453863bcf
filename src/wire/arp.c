/* arp.c — ARP codec (Ethernet/IPv4 only). */
#include <string.h>

#include "wire/arp.h"
#include "wire/checksum.h"
#include "wire/ethernet.h"

_Static_assert(NS_ARP_OFF_TPA + 4 == NS_ARP_LEN,
               "ARP for Ethernet/IPv4 is 8 + 2*(6+4) bytes");
_Static_assert(NS_ETH_HLEN + NS_ARP_LEN <= NS_ETH_MIN_FRAME,
               "an ARP frame always needs padding");

gboolean ns_arp_parse(const guint8 *buf, gsize len, NsArp *out,
                      const char **err) {
  if (buf == NULL || len < NS_ARP_LEN)
    return ns_wire_reject(err, "truncated");
  if (ns_load16(buf + NS_ARP_OFF_HTYPE) != NS_ARP_HTYPE_ETHERNET)
    return ns_wire_reject(err, "hardware type is not Ethernet");
  if (ns_load16(buf + NS_ARP_OFF_PTYPE) != NS_ETHERTYPE_IPV4)
    return ns_wire_reject(err, "protocol type is not IPv4");
  if (buf[NS_ARP_OFF_HLEN] != 6)
    return ns_wire_reject(err, "hardware address length is not 6");
  if (buf[NS_ARP_OFF_PLEN] != 4)
    return ns_wire_reject(err, "protocol address length is not 4");
  guint16 op = ns_load16(buf + NS_ARP_OFF_OP);
  if (op != NS_ARP_OP_REQUEST && op != NS_ARP_OP_REPLY)
    return ns_wire_reject(err, "operation is neither request nor reply");

  out->op = op;
  memcpy(out->sha.b, buf + NS_ARP_OFF_SHA, 6);
  out->spa = ns_ip4_load(buf + NS_ARP_OFF_SPA);
  memcpy(out->tha.b, buf + NS_ARP_OFF_THA, 6);
  out->tpa = ns_ip4_load(buf + NS_ARP_OFF_TPA);
  return TRUE;
}

void ns_arp_emit(guint8 *buf, const NsArp *a) {
  ns_store16(buf + NS_ARP_OFF_HTYPE, NS_ARP_HTYPE_ETHERNET);
  ns_store16(buf + NS_ARP_OFF_PTYPE, NS_ETHERTYPE_IPV4);
  buf[NS_ARP_OFF_HLEN] = 6;
  buf[NS_ARP_OFF_PLEN] = 4;
  ns_store16(buf + NS_ARP_OFF_OP, a->op);
  memcpy(buf + NS_ARP_OFF_SHA, a->sha.b, 6);
  ns_ip4_store(buf + NS_ARP_OFF_SPA, a->spa);
  memcpy(buf + NS_ARP_OFF_THA, a->tha.b, 6);
  ns_ip4_store(buf + NS_ARP_OFF_TPA, a->tpa);
}

/* ethernet.c — Ethernet II header codec. */
#include <string.h>

#include "core/frame.h"
#include "wire/ethernet.h"

_Static_assert(NS_ETH_OFF_TYPE + 2 == NS_ETH_HLEN,
               "Ethernet header is dst(6) + src(6) + type(2)");
_Static_assert(NS_ETH_MIN_FRAME - NS_ETH_HLEN == 46,
               "minimum Ethernet payload is 46 bytes");
_Static_assert(NS_FRAME_MAX == NS_ETH_MAX_TAGGED_FRAME,
               "a frame buffer holds a full-size 802.1Q-tagged frame");

static const struct {
  guint16 type;
  const char *name;
} ethertype_names[] = {
    {NS_ETHERTYPE_IPV4, "IPv4"},
    {NS_ETHERTYPE_ARP, "ARP"},
    {0x8035, "RARP"},
    {NS_ETHERTYPE_VLAN, "802.1Q"},
    {NS_ETHERTYPE_IPV6, "IPv6"},
    {0x8847, "MPLS"},
    {0x8863, "PPPoE discovery"},
    {0x8864, "PPPoE session"},
    {0x888E, "802.1X"},
    {0x88A8, "802.1ad"},
    {0x88CC, "LLDP"},
};

const char *ns_ethertype_name(guint16 type) {
  for (gsize i = 0; i < G_N_ELEMENTS(ethertype_names); i++)
    if (ethertype_names[i].type == type)
      return ethertype_names[i].name;
  return NULL;
}

char *ns_eth_format_addrs(NsMac src, NsMac dst, char out[NS_ETH_ADDRS_STRLEN]) {
  char s[NS_MAC_STRLEN], d[NS_MAC_STRLEN];
  g_snprintf(out, NS_ETH_ADDRS_STRLEN, "%s > %s", ns_mac_format(src, s),
             ns_mac_format(dst, d));
  return out;
}

char *ns_eth_format_header_addrs(const guint8 *buf,
                                 char out[NS_ETH_ADDRS_STRLEN]) {
  return ns_eth_format_addrs(ns_eth_src(buf), ns_eth_dst(buf), out);
}

gboolean ns_eth_view(const guint8 *buf, gsize len) {
  return buf != NULL && len >= NS_ETH_HLEN;
}

gboolean ns_eth_parse(const guint8 *buf, gsize len, NsEthHdr *out,
                      const char **err) {
  if (!ns_eth_view(buf, len))
    return ns_wire_reject(err, "runt frame");
  out->dst = ns_eth_dst(buf);
  out->src = ns_eth_src(buf);
  out->type = ns_eth_type(buf);
  return TRUE;
}

void ns_eth_emit(guint8 *buf, const NsEthHdr *h) {
  ns_eth_set_dst(buf, h->dst);
  ns_eth_set_src(buf, h->src);
  ns_store16(buf + NS_ETH_OFF_TYPE, h->type);
}

gsize ns_eth_padded_len(gsize len) { return MAX(len, NS_ETH_MIN_FRAME); }

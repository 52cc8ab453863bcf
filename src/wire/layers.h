/* layers.h — a frame decoded field by field, layer by layer, and a hex dump.
 *
 * What Wireshark's packet details pane and Packet Tracer's PDU view show,
 * as text: one heading line per layer (no indent), then one line per
 * header field, indented by two spaces.  For example, an ARP request:
 *
 *   Ethernet II, 60 bytes
 *     Destination: ff:ff:ff:ff:ff:ff (broadcast)
 *     Source: 02:00:00:00:00:01
 *     Type: ARP (0x0806)
 *   ARP request
 *     Hardware type: Ethernet (1)
 *     ...
 *     Target IP address: 192.168.1.1
 *   Padding: 18 bytes
 *
 * Layers decoded: Ethernet II; ARP; IPv4; ICMP, UDP and TCP over IPv4 (a
 * later fragment stops at IPv4).  Every checksum is verified and shown
 * "(correct)" or "(wrong, should be 0x....)"; the decoder does not reject
 * a frame for a wrong checksum, so a corrupted frame can be looked at.  The
 * parsing itself is the codecs' (ns_eth_view, ns_arp_parse,
 * ns_ipv4_parse_header, ns_icmp_parse_header, ns_udp_parse, ns_tcp_parse):
 * when one refuses the bytes, the decoder says "truncated" or "malformed
 * LAYER: reason" on its own line and stops there.  Any bytes at all are safe
 * to decode.  Both functions are pure: they only append to out.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the decoded layers of the len-byte frame at buf to out, one line
 * per field, each ending in '\n'. */
void ns_layers_describe(const guint8 *buf, gsize len, GString *out);

/* Appends a hex dump of the len bytes at buf to out: per 16 bytes, the
 * offset (4 hex digits), the bytes in hex (an extra space after the 8th)
 * and the printable ASCII ('.' for the rest):
 *
 *   0000  ff ff ff ff ff ff 02 00  00 00 00 01 08 06 00 01  ..............
 */
void ns_layers_hexdump(const guint8 *buf, gsize len, GString *out);

G_END_DECLS

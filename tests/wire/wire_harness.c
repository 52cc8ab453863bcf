/* wire_harness.c — the reference packets of wire_harness.h, with their
 * checksums worked out by hand. */
#include "wire_harness.h"

#include <string.h>

/* ---- Reference packets -------------------------------------------------- */

/* ARP request in a minimum Ethernet frame: 02:00:00:00:00:01 (192.168.1.10)
 * asks who has 192.168.1.1; 18 bytes of padding to reach 60. */
const guint8 arp_request_frame[60] = {
    /* Ethernet: dst broadcast, src, type ARP */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06,
    /* htype 1, ptype 0x0800, hlen 6, plen 4, op 1 */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    /* sha, spa 192.168.1.10 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x0a,
    /* tha zero, tpa 192.168.1.1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x01,
    /* padding (18 bytes) */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* The reply: 192.168.1.1 is at 02:00:00:00:00:03, to the asker. */
const guint8 arp_reply[28] = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00,
                              0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03,
                              0xc0, 0xa8, 0x01, 0x01, 0x02, 0x00, 0x00,
                              0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x0a};

/* ICMP echo request 192.168.1.10 -> 192.168.2.10, TTL 64, DF, id 1 seq 1,
 * data "abcd", in a frame padded to 60 bytes.
 *
 * IP header checksum by hand (words, checksum field as 0):
 *   4500 + 0020 + 0001 + 4000 + 4001 + c0a8 + 010a + c0a8 + 020a = 0x24986
 *   fold: 0x4986 + 0x2 = 0x4988, complement: 0xb677.
 * ICMP checksum: 0800 + 0000 + 0001 + 0001 + 6162 + 6364 = 0xccc8,
 *   complement: 0x3337. */
const guint8 echo_frame[60] = {
    /* Ethernet */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4 */
    0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x40, 0x00, 0x40, 0x01, 0xb6, 0x77,
    0xc0, 0xa8, 0x01, 0x0a, 0xc0, 0xa8, 0x02, 0x0a,
    /* ICMP */
    0x08, 0x00, 0x33, 0x37, 0x00, 0x01, 0x00, 0x01, 'a', 'b', 'c', 'd',
    /* padding (14 bytes) */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* The usual textbook header (UDP, 192.168.0.1 -> 192.168.0.199):
 *   4500 + 0073 + 0000 + 4000 + 4011 + c0a8 + 0001 + c0a8 + 00c7 = 0x2479c
 *   fold: 0x479c + 0x2 = 0x479e, complement: 0xb861. */
const guint8 textbook_ip[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                                0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

/* ---- helpers ------------------------------------------------------------ */

guint8 *exact(const guint8 *src, gsize len) {
  guint8 *p = g_malloc(len ? len : 1);
  if (len)
    memcpy(p, src, len);
  return p;
}

void fix_ip_csum(guint8 *b, gsize hlen) {
  ns_store16(b + NS_IPV4_OFF_CSUM, 0);
  ns_store16(b + NS_IPV4_OFF_CSUM, ns_csum(b, hlen));
}

gsize build_error(guint8 *out, guint8 type, guint8 code, const guint8 *orig,
                  gsize orig_len) {
  NsIcmp e = {.type = type,
              .code = code,
              .data = orig,
              .data_len = ns_icmp_quote_len(orig, orig_len)};
  gsize icmp_len = ns_icmp_emit(out + NS_IPV4_HLEN, &e);
  NsIpv4Hdr ip = {.total_len = (guint16)(NS_IPV4_HLEN + icmp_len),
                  .ttl = 64,
                  .proto = NS_IPPROTO_ICMP,
                  .src = NS_IP4(192, 168, 2, 1),
                  .dst = NS_IP4(192, 168, 1, 10)};
  ns_ipv4_emit(out, &ip);
  return ip.total_len;
}

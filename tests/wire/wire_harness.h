/* wire_harness.h — reference packets and byte helpers shared by the wire
 * codec suites (test_checksum.c, test_ethernet_arp.c, test_ipv4.c,
 * test_icmp.c, test_udp.c, test_pretty.c).
 *
 * Each codec is checked against hand-written packet bytes whose checksums
 * are worked out by hand in wire_harness.c (known answers, not values the
 * code under test produced), then for byte-exact parse -> emit round trips,
 * rejection of every truncation, and single-bit corruption.  Buffers handed
 * to parsers are heap copies of exactly the stated length (exact()), so an
 * overread by even one byte is caught by AddressSanitizer. */
#pragma once

#include <glib.h>

#include "wire/arp.h"
#include "wire/checksum.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/pretty.h"

/* ---- Reference packets -------------------------------------------------- */

/* ARP request in a minimum Ethernet frame: 02:00:00:00:00:01 (192.168.1.10)
 * asks who has 192.168.1.1; 18 bytes of padding to reach 60. */
extern const guint8 arp_request_frame[60];

/* The reply: 192.168.1.1 is at 02:00:00:00:00:03, to the asker. */
extern const guint8 arp_reply[28];

/* ICMP echo request 192.168.1.10 -> 192.168.2.10, TTL 64, DF, id 1 seq 1,
 * data "abcd", in a frame padded to 60 bytes.  IP checksum 0xb677, ICMP
 * checksum 0x3337. */
extern const guint8 echo_frame[60];
#define ECHO_IP (echo_frame + NS_ETH_HLEN)
#define ECHO_IP_LEN 32
#define ECHO_ICMP (ECHO_IP + NS_IPV4_HLEN)
#define ECHO_ICMP_LEN 12

/* The usual textbook header (UDP, 192.168.0.1 -> 192.168.0.199), checksum
 * 0xb861. */
extern const guint8 textbook_ip[20];

/* ---- helpers ------------------------------------------------------------ */

/* An exact-size heap copy (so ASan sees any overread); free with g_free. */
guint8 *exact(const guint8 *src, gsize len);

/* Rewrites the checksum of the header at b after a test edit. */
void fix_ip_csum(guint8 *b, gsize hlen);

/* Builds, in out, the IPv4 packet a router 192.168.2.1 sends back for the
 * echo request: ICMP type/code quoting the request.  Returns its length. */
gsize build_error(guint8 *out, guint8 type, guint8 code, const guint8 *orig,
                  gsize orig_len);

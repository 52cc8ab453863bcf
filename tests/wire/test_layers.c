/* test_layers.c — the layer-by-layer decoder and the hex dump: an ARP
 * request, an ICMP echo, a UDP datagram, a TCP SYN with MSS (checksums
 * worked out by hand in test_udp.c and test_tcp.c), corrupted checksums,
 * truncated frames and a bounded fuzz loop (no crash, one line per
 * field). */
#include <string.h>

#include "testutil.h"
#include "wire/layers.h"
#include "wire/tcp.h"
#include "wire_harness.h"

/* test_udp.c's "hello" datagram, 192.168.1.10:12345 -> 192.168.2.10:9000,
 * checksum 0xe43b. */
static const guint8 udp_hello[13] = {0x30, 0x39, 0x23, 0x28, 0x00, 0x0d, 0xe4,
                                     0x3b, 'h',  'e',  'l',  'l',  'o'};

/* test_tcp.c's SYN 192.168.1.10:49152 -> 192.168.2.10:7, seq 123456, MSS
 * 1460, checksum 0x7178. */
static const guint8 tcp_syn[24] = {
    0xc0, 0x00, 0x00, 0x07, 0x00, 0x01, 0xe2, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x02, 0xff, 0xff, 0x71, 0x78, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4};

/* The Ethernet header of echo_frame, then a 20-byte IPv4 header
 * 192.168.1.10 -> 192.168.2.10 (TTL 64, DF, id 7) and the transport bytes,
 * padded to the minimum frame.  Returns the frame length. */
static gsize frame_with(guint8 *frame, guint8 proto, const guint8 *l4,
                        gsize l4_len) {
  memset(frame, 0, NS_ETH_MAX_FRAME);
  memcpy(frame, echo_frame, NS_ETH_HLEN);
  NsIpv4Hdr h = {.tos = 0,
                 .total_len = (guint16)(NS_IPV4_HLEN + l4_len),
                 .id = 7,
                 .frag = NS_IPV4_DF,
                 .ttl = 64,
                 .proto = proto,
                 .src = NS_IP4(192, 168, 1, 10),
                 .dst = NS_IP4(192, 168, 2, 10)};
  ns_ipv4_emit(frame + NS_ETH_HLEN, &h);
  memcpy(frame + NS_ETH_HLEN + NS_IPV4_HLEN, l4, l4_len);
  return ns_eth_padded_len(NS_ETH_HLEN + NS_IPV4_HLEN + l4_len);
}

static void assert_layers(const guint8 *frame, gsize len,
                          const char *expected) {
  guint8 *f = exact(frame, len);
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_describe(f, len, out);
  ck_assert_str_eq(out->str, expected);
  g_free(f);
}

#define ETH_UNICAST                                                            \
  "Ethernet II, 60 bytes\n"                                                    \
  "  Destination: 02:00:00:00:00:03\n"                                         \
  "  Source: 02:00:00:00:00:01\n"                                              \
  "  Type: IPv4 (0x0800)\n"

/* The IPv4 header lines of frame_with() up to the protocol. */
#define IP_HEAD(total_len)                                                     \
  "Internet Protocol version 4, 192.168.1.10 > 192.168.2.10\n"                 \
  "  Version: 4\n"                                                             \
  "  Header length: 20 bytes (5)\n"                                            \
  "  Differentiated services: DSCP 0, ECN 0 (0x00)\n"                          \
  "  Total length: " total_len "\n"                                            \
  "  Identification: 0x0007 (7)\n"                                             \
  "  Flags: DF (0x4000)\n"                                                     \
  "  Fragment offset: 0\n"                                                     \
  "  Time to live: 64\n"

#define IP_ADDRS                                                               \
  "  Source: 192.168.1.10\n"                                                   \
  "  Destination: 192.168.2.10\n"

/* echo_frame's IPv4 header (id 1) with the given checksum verdict. */
#define ECHO_IP_LINES(csum_verdict)                                            \
  "Internet Protocol version 4, 192.168.1.10 > 192.168.2.10\n"                 \
  "  Version: 4\n"                                                             \
  "  Header length: 20 bytes (5)\n"                                            \
  "  Differentiated services: DSCP 0, ECN 0 (0x00)\n"                          \
  "  Total length: 32\n"                                                       \
  "  Identification: 0x0001 (1)\n"                                             \
  "  Flags: DF (0x4000)\n"                                                     \
  "  Fragment offset: 0\n"                                                     \
  "  Time to live: 64\n"                                                       \
  "  Protocol: ICMP (1)\n"                                                     \
  "  Header checksum: " csum_verdict "\n" IP_ADDRS

#define ECHO_ICMP_LINES(csum_verdict)                                          \
  "Internet Control Message Protocol\n"                                        \
  "  Type: 8 (echo request)\n"                                                 \
  "  Code: 0\n"                                                                \
  "  Checksum: " csum_verdict "\n"                                             \
  "  Identifier: 1\n"                                                          \
  "  Sequence number: 1\n"                                                     \
  "Data: 4 bytes\n"                                                            \
  "Padding: 14 bytes\n"

START_TEST(test_layers_arp_request) {
  assert_layers(arp_request_frame, sizeof arp_request_frame,
                "Ethernet II, 60 bytes\n"
                "  Destination: ff:ff:ff:ff:ff:ff (broadcast)\n"
                "  Source: 02:00:00:00:00:01\n"
                "  Type: ARP (0x0806)\n"
                "ARP request\n"
                "  Hardware type: Ethernet (1)\n"
                "  Protocol type: IPv4 (0x0800)\n"
                "  Hardware size: 6\n"
                "  Protocol size: 4\n"
                "  Opcode: request (1)\n"
                "  Sender MAC address: 02:00:00:00:00:01\n"
                "  Sender IP address: 192.168.1.10\n"
                "  Target MAC address: 00:00:00:00:00:00\n"
                "  Target IP address: 192.168.1.1\n"
                "Padding: 18 bytes\n");
}
END_TEST

START_TEST(test_layers_icmp_echo) {
  assert_layers(echo_frame, sizeof echo_frame,
                ETH_UNICAST ECHO_IP_LINES("0xb677 (correct)")
                    ECHO_ICMP_LINES("0x3337 (correct)"));
}
END_TEST

START_TEST(test_layers_udp) {
  guint8 f[NS_ETH_MAX_FRAME];
  gsize n = frame_with(f, NS_IPPROTO_UDP, udp_hello, sizeof udp_hello);
  assert_layers(f, n,
                ETH_UNICAST IP_HEAD("33") "  Protocol: UDP (17)\n"
                                          "  Header checksum: 0xb660 "
                                          "(correct)\n" IP_ADDRS
                                          "User Datagram Protocol\n"
                                          "  Source port: 12345\n"
                                          "  Destination port: 9000\n"
                                          "  Length: 13\n"
                                          "  Checksum: 0xe43b (correct)\n"
                                          "Data: 5 bytes\n"
                                          "Padding: 13 bytes\n");
  /* A zero checksum means "none" (RFC 768), not a wrong one. */
  f[NS_ETH_HLEN + NS_IPV4_HLEN + 6] = 0;
  f[NS_ETH_HLEN + NS_IPV4_HLEN + 7] = 0;
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_describe(f, n, out);
  ck_assert_ptr_nonnull(strstr(out->str, "\n  Checksum: 0x0000 (none)\n"));
}
END_TEST

START_TEST(test_layers_tcp_syn_mss) {
  guint8 f[NS_ETH_MAX_FRAME];
  gsize n = frame_with(f, NS_IPPROTO_TCP, tcp_syn, sizeof tcp_syn);
  assert_layers(f, n,
                ETH_UNICAST IP_HEAD("44") "  Protocol: TCP (6)\n"
                                          "  Header checksum: 0xb660 "
                                          "(correct)\n" IP_ADDRS
                                          "Transmission Control Protocol\n"
                                          "  Source port: 49152\n"
                                          "  Destination port: 7\n"
                                          "  Sequence number: 123456\n"
                                          "  Acknowledgement number: 0\n"
                                          "  Data offset: 24 bytes (6)\n"
                                          "  Flags: SYN (0x02)\n"
                                          "  Window: 65535\n"
                                          "  Checksum: 0x7178 (correct)\n"
                                          "  Urgent pointer: 0\n"
                                          "  Options: 4 bytes\n"
                                          "    Maximum segment size: 1460\n"
                                          "Data: 0 bytes\n"
                                          "Padding: 2 bytes\n");
  /* Flags by name, in the order of the header's bits. */
  f[NS_ETH_HLEN + NS_IPV4_HLEN + 13] = NS_TCP_SYN | NS_TCP_ACK | NS_TCP_FIN;
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_describe(f, n, out);
  ck_assert_ptr_nonnull(strstr(out->str, "\n  Flags: ACK SYN FIN (0x13)\n"));
  ck_assert_ptr_nonnull(
      strstr(out->str, "\n  Checksum: 0x7178 (wrong, should be 0x7167)\n"));
}
END_TEST

START_TEST(test_layers_corrupted_checksums) {
  guint8 f[60];
  memcpy(f, echo_frame, sizeof f);
  f[NS_ETH_HLEN + NS_IPV4_OFF_CSUM + 1] = 0x78; /* IPv4: 0xb677 -> 0xb678 */
  f[NS_ETH_HLEN + NS_IPV4_HLEN + NS_ICMP_OFF_CSUM] = 0x00; /* 0x3337 */
  assert_layers(f, sizeof f,
                ETH_UNICAST ECHO_IP_LINES("0xb678 (wrong, should be 0xb677)")
                    ECHO_ICMP_LINES("0x0037 (wrong, should be 0x3337)"));
  /* A corrupted datum, not the checksum field: the same verdict. */
  memcpy(f, echo_frame, sizeof f);
  f[NS_ETH_HLEN + NS_IPV4_HLEN + NS_ICMP_HLEN] = 'b';
  assert_layers(f, sizeof f,
                ETH_UNICAST ECHO_IP_LINES("0xb677 (correct)")
                    ECHO_ICMP_LINES("0x3337 (wrong, should be 0x3237)"));
}
END_TEST

START_TEST(test_layers_truncated) {
  assert_layers(echo_frame, 10,
                "Ethernet II, 10 bytes\n"
                "Ethernet: truncated (10 bytes, the header needs 14)\n");
  assert_layers(echo_frame, 30,
                "Ethernet II, 30 bytes\n"
                "  Destination: 02:00:00:00:00:03\n"
                "  Source: 02:00:00:00:00:01\n"
                "  Type: IPv4 (0x0800)\n"
                "IPv4: truncated (16 bytes, the header needs 20)\n");
  assert_layers(echo_frame, 40,
                "Ethernet II, 40 bytes\n"
                "  Destination: 02:00:00:00:00:03\n"
                "  Source: 02:00:00:00:00:01\n"
                "  Type: IPv4 (0x0800)\n" ECHO_IP_LINES(
                    "0xb677 (correct)") "IPv4: truncated (total length 32, 26 "
                                        "bytes present)\n");
  assert_layers(arp_request_frame, 30,
                "Ethernet II, 30 bytes\n"
                "  Destination: ff:ff:ff:ff:ff:ff (broadcast)\n"
                "  Source: 02:00:00:00:00:01\n"
                "  Type: ARP (0x0806)\n"
                "ARP: truncated (16 bytes, the header needs 28)\n");
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_describe(NULL, 60, out);
  ck_assert_str_eq(out->str,
                   "Ethernet II, 0 bytes\n"
                   "Ethernet: truncated (0 bytes, the header needs 14)\n");
}
END_TEST

START_TEST(test_layers_hexdump) {
  guint8 f[NS_ETH_MAX_FRAME];
  gsize n = frame_with(f, NS_IPPROTO_TCP, tcp_syn, sizeof tcp_syn);
  guint8 *e = exact(f, n);
  g_autoptr(GString) out = g_string_new(NULL);
  ns_layers_hexdump(e, n, out);
  ck_assert_str_eq(out->str,
                   "0000  02 00 00 00 00 03 02 00  00 00 00 01 08 00 45 00  "
                   "..............E.\n"
                   "0010  00 2c 00 07 40 00 40 06  b6 60 c0 a8 01 0a c0 a8  "
                   ".,..@.@..`......\n"
                   "0020  02 0a c0 00 00 07 00 01  e2 40 00 00 00 00 60 02  "
                   ".........@....`.\n"
                   "0030  ff ff 71 78 00 00 02 04  05 b4 00 00              "
                   "..qx........\n");
  g_free(e);
  g_string_truncate(out, 0);
  ns_layers_hexdump(f, 0, out);
  ck_assert_str_eq(out->str, "");
}
END_TEST

/* Random bytes behind a plausible Ethernet + IPv4 start, in exact-size
 * buffers: never a crash or an overread, and every line ends. */
START_TEST(test_layers_fuzz) {
  GRand *rand = g_rand_new_with_seed(9);
  guint8 f[NS_ETH_MIN_FRAME + 40];
  for (guint round = 0; round < 3000; round++) {
    gsize len = g_rand_int_range(rand, 0, (gint32)sizeof f + 1);
    for (gsize i = 0; i < sizeof f; i++)
      f[i] = (guint8)g_rand_int(rand);
    if (round % 2 == 0) {
      memcpy(f, echo_frame, NS_ETH_HLEN + 10);
      f[NS_ETH_HLEN + NS_IPV4_OFF_PROTO] =
          (guint8)(round % 3 == 0 ? NS_IPPROTO_TCP : NS_IPPROTO_UDP);
    }
    guint8 *e = exact(f, len);
    g_autoptr(GString) out = g_string_new(NULL);
    ns_layers_describe(e, len, out);
    ns_layers_hexdump(e, len, out);
    ck_assert(out->len > 0 && out->str[out->len - 1] == '\n');
    ck_assert_uint_eq(strlen(out->str), out->len);
    g_free(e);
  }
  g_rand_free(rand);
}
END_TEST

Suite *test_layers_suite(void) {
  Suite *s = suite_create("layers");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_layers_arp_request);
  tcase_add_test(tc, test_layers_icmp_echo);
  tcase_add_test(tc, test_layers_udp);
  tcase_add_test(tc, test_layers_tcp_syn_mss);
  tcase_add_test(tc, test_layers_corrupted_checksums);
  tcase_add_test(tc, test_layers_truncated);
  tcase_add_test(tc, test_layers_hexdump);
  tcase_add_test(tc, test_layers_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

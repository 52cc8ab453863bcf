/* test_pretty.c — the one-line frame descriptions: ARP, ICMP (errors
 * with their quotes), UDP, TCP (through its codec: sequence numbers,
 * options, bad checksums, fragments), other protocols and fragments,
 * malformed input, output truncation, the log's brief form, and fuzzing
 * for well-formed output. */
#include <string.h>

#include "testutil.h"
#include "wire/tcp.h"
#include "wire_harness.h"

static void assert_describes(const guint8 *frame, gsize len,
                             const char *expected) {
  guint8 *f = exact(frame, len);
  char out[NS_FRAME_DESCRIBE_LEN];
  gsize n = ns_frame_describe(f, len, out, sizeof out);
  ck_assert_str_eq(out, expected);
  ck_assert_uint_eq(n, strlen(expected));
  g_free(f);
}

/* Wraps an IPv4 packet in an Ethernet frame, padded to the minimum. */
static gsize frame_ip(guint8 *frame, const guint8 *ip, gsize ip_len) {
  memset(frame, 0, NS_ETH_MIN_FRAME);
  memcpy(frame, echo_frame, NS_ETH_HLEN);
  memcpy(frame + NS_ETH_HLEN, ip, ip_len);
  return ns_eth_padded_len(NS_ETH_HLEN + ip_len);
}

START_TEST(test_pretty_arp) {
  assert_describes(arp_request_frame, sizeof arp_request_frame,
                   "ARP who-has 192.168.1.1 tell 192.168.1.10");
  guint8 f[60] = {0};
  memcpy(f, arp_request_frame, 14);
  memcpy(f + 14, arp_reply, 28);
  assert_describes(f, 60, "ARP reply 192.168.1.1 is-at 02:00:00:00:00:03");
  f[14 + 7] = 9;
  assert_describes(f, 60,
                   "malformed ARP: operation is neither request nor reply");
  assert_describes(f, 30, "malformed ARP: truncated");
}
END_TEST

START_TEST(test_pretty_icmp) {
  assert_describes(echo_frame, sizeof echo_frame,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP echo request id 1 seq 1");

  /* The request sent to 192.168.3.10 dies at the router. */
  guint8 req[ECHO_IP_LEN];
  memcpy(req, ECHO_IP, ECHO_IP_LEN);
  ns_ip4_store(req + 16, NS_IP4(192, 168, 3, 10));
  req[8] = 1;
  fix_ip_csum(req, 20);
  guint8 pkt[128], frame[160];
  gsize len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED, req,
                          ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP time "
                   "exceeded (TTL) for 192.168.1.10 > 192.168.3.10");

  len = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP destination "
                   "unreachable (host) for 192.168.1.10 > 192.168.3.10");
  len = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP destination "
                   "unreachable (net) for 192.168.1.10 > 192.168.3.10");

  /* Echo reply, built by the codec. */
  guint8 rep[ECHO_IP_LEN];
  memcpy(rep, ECHO_IP, ECHO_IP_LEN);
  NsIcmp m;
  ck_assert(ns_icmp_parse(rep + 20, ECHO_ICMP_LEN, &m, NULL));
  m.type = NS_ICMP_ECHO_REPLY;
  m.seq = 42;
  ns_icmp_emit(rep + 20, &m);
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP echo reply id 1 seq 42");
  /* A type without a decoder: its numbers and the message length. */
  NsIcmp other = {.type = 13, .data = (const guint8 *)"wxyz", .data_len = 4};
  ck_assert_uint_eq(ns_icmp_emit(rep + 20, &other), ECHO_ICMP_LEN);
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "ICMP type 13 code 0 len 12");
  /* Time exceeded in reassembly. */
  len = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_FRAG_TIME_EXCEEDED, req,
                    ECHO_IP_LEN);
  assert_describes(frame, frame_ip(frame, pkt, len),
                   "IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP time "
                   "exceeded (reassembly) for 192.168.1.10 > 192.168.3.10");
  /* Bad ICMP checksum. */
  ns_icmp_emit(rep + 20, &m);
  rep[30] ^= 1;
  assert_describes(frame, frame_ip(frame, rep, ECHO_IP_LEN),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed ICMP: bad checksum");
}
END_TEST

START_TEST(test_pretty_udp_other) {
  guint8 ip[60] = {0}, frame[80];
  NsIpv4Hdr h = {.total_len = 32,
                 .ttl = 64,
                 .proto = NS_IPPROTO_UDP,
                 .src = NS_IP4(192, 168, 1, 10),
                 .dst = NS_IP4(192, 168, 2, 10)};
  ns_ipv4_emit(ip, &h);
  const guint8 udp[12] = {0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c,
                          0xec, 0xc1, 'h',  'i',  '!',  '?'};
  memcpy(ip + 20, udp, sizeof udp);
  assert_describes(frame, frame_ip(frame, ip, 32),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "UDP 1234 > 53 len 4");
  ns_store16(ip + 24, 13); /* UDP length past the datagram */
  assert_describes(frame, frame_ip(frame, ip, 32),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed UDP: bad length 13");

  /* Another protocol: its number and the IP payload length. */
  h.proto = 47;
  h.total_len = 60;
  ns_ipv4_emit(ip, &h);
  assert_describes(frame, frame_ip(frame, ip, 60),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: proto 47 len 40");
  /* A non-first fragment is not decoded further. */
  h.proto = NS_IPPROTO_UDP;
  h.frag = 185; /* offset 1480 */
  ns_ipv4_emit(ip, &h);
  assert_describes(frame, frame_ip(frame, ip, 60),
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "fragment proto 17 offset 1480 len 40");
}
END_TEST

/* An IPv4 packet 192.168.1.10 -> 192.168.2.10 (or back when reply) holding
 * the segment *t with data_len bytes of 'x' behind its header, in frame.
 * Returns the frame length. */
static gsize frame_tcp(guint8 *frame, NsTcpHdr *t, gsize data_len,
                       gboolean reply) {
  guint8 ip[NS_IPV4_HLEN + NS_TCP_MAX_HLEN + 600];
  NsIp4 a = NS_IP4(192, 168, 1, 10), b = NS_IP4(192, 168, 2, 10);
  NsIpv4Hdr h = {.ttl = 64,
                 .proto = NS_IPPROTO_TCP,
                 .src = reply ? b : a,
                 .dst = reply ? a : b};
  guint8 *seg = ip + NS_IPV4_HLEN;
  g_assert(data_len <= 600);
  memset(seg + ns_tcp_header_len(t), 'x', data_len);
  gsize seg_len = ns_tcp_emit(seg, t, data_len, h.src, h.dst);
  h.total_len = (guint16)(NS_IPV4_HLEN + seg_len);
  ns_ipv4_emit(ip, &h);
  return frame_ip(frame, ip, h.total_len);
}

START_TEST(test_pretty_tcp) {
  guint8 frame[NS_ETH_HLEN + NS_IPV4_HLEN + NS_TCP_MAX_HLEN + 600];
  NsTcpHdr syn = {.sport = 49152,
                  .dport = 7,
                  .seq = 123456,
                  .flags = NS_TCP_SYN,
                  .window = 65535,
                  .mss = 1460};
  gsize len = frame_tcp(frame, &syn, 0, FALSE);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 49152 > 7 [S] seq 123456 win 65535 mss 1460 len 0");

  NsTcpHdr synack = {.sport = 7,
                     .dport = 49152,
                     .seq = 4000000000u,
                     .ack = 123457,
                     .flags = NS_TCP_SYN | NS_TCP_ACK,
                     .window = 29200,
                     .mss = 536};
  len = frame_tcp(frame, &synack, 0, TRUE);
  assert_describes(frame, len,
                   "IPv4 192.168.2.10 > 192.168.1.10 ttl 64: "
                   "TCP 7 > 49152 [S.] seq 4000000000 ack 123457 win 29200 "
                   "mss 536 len 0");

  /* Data: ack shown with ACK, no mss without the option. */
  NsTcpHdr data = {.sport = 49152,
                   .dport = 7,
                   .seq = 123457,
                   .ack = 4000000001u,
                   .flags = NS_TCP_ACK,
                   .window = 65535};
  len = frame_tcp(frame, &data, 512, FALSE);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 49152 > 7 [.] seq 123457 ack 4000000001 win 65535 "
                   "len 512");
  data.flags = NS_TCP_FIN | NS_TCP_PSH | NS_TCP_ACK;
  len = frame_tcp(frame, &data, 4, FALSE);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 49152 > 7 [FP.] seq 123457 ack 4000000001 win 65535 "
                   "len 4");

  /* A corrupted data byte: still described, and flagged.  The ack number
   * is not shown without ACK, however it reads. */
  data.flags = NS_TCP_RST;
  len = frame_tcp(frame, &data, 4, FALSE);
  frame[NS_ETH_HLEN + NS_IPV4_HLEN + NS_TCP_HLEN + 3] ^= 0x20;
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 49152 > 7 [R] seq 123457 win 65535 len 4, "
                   "bad checksum");
  data.flags = 0;
  len = frame_tcp(frame, &data, 0, FALSE);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 49152 > 7 [none] seq 123457 win 65535 len 0");
}
END_TEST

static void assert_brief(const guint8 *frame, gsize len, const char *expected) {
  guint8 *f = exact(frame, len);
  char out[NS_FRAME_DESCRIBE_LEN];
  gsize n = ns_frame_brief(f, len, out, sizeof out);
  ck_assert_str_eq(out, expected);
  ck_assert_uint_eq(n, strlen(expected));
  g_free(f);
}

/* The log's form: no "IPv4 ", no echo id, a TCP segment by its own header
 * without window and options; ARP and errors as in the full form. */
START_TEST(test_pretty_brief) {
  assert_brief(echo_frame, sizeof echo_frame,
               "192.168.1.10 > 192.168.2.10 ttl 64: ICMP echo request seq 1");
  assert_brief(arp_request_frame, sizeof arp_request_frame,
               "ARP who-has 192.168.1.1 tell 192.168.1.10");

  /* An ICMP error by its kind, without the header it quotes. */
  guint8 req[ECHO_IP_LEN];
  memcpy(req, ECHO_IP, ECHO_IP_LEN);
  guint8 pkt[128], icmp[160];
  gsize n = build_error(pkt, NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED, req,
                        ECHO_IP_LEN);
  assert_brief(icmp, frame_ip(icmp, pkt, n),
               "192.168.2.1 > 192.168.1.10 ttl 64: ICMP time exceeded");
  n = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH, req,
                  ECHO_IP_LEN);
  assert_brief(icmp, frame_ip(icmp, pkt, n),
               "192.168.2.1 > 192.168.1.10 ttl 64: ICMP host unreachable");
  n = build_error(pkt, NS_ICMP_DEST_UNREACH, NS_ICMP_FRAG_NEEDED, req,
                  ECHO_IP_LEN);
  assert_brief(icmp, frame_ip(icmp, pkt, n),
               "192.168.2.1 > 192.168.1.10 ttl 64: ICMP fragmentation needed");
  n = build_error(pkt, NS_ICMP_DEST_UNREACH, 9, req, ECHO_IP_LEN);
  assert_brief(icmp, frame_ip(icmp, pkt, n),
               "192.168.2.1 > 192.168.1.10 ttl 64: ICMP destination "
               "unreachable (code 9)");

  guint8 frame[NS_ETH_HLEN + NS_IPV4_HLEN + NS_TCP_MAX_HLEN + 600];
  NsTcpHdr synack = {.sport = 7,
                     .dport = 49152,
                     .seq = 4000000000u,
                     .ack = 123457,
                     .flags = NS_TCP_SYN | NS_TCP_ACK,
                     .window = 29200,
                     .mss = 536,
                     .has_ws = TRUE,
                     .ws = 7,
                     .sack_ok = TRUE,
                     .has_ts = TRUE,
                     .tsval = 1,
                     .tsecr = 2};
  gsize len = frame_tcp(frame, &synack, 0, TRUE);
  assert_brief(frame, len,
               "TCP 7 > 49152 [S.] seq 4000000000 ack 123457 len 0");
  /* ... which the full form still shows. */
  assert_describes(frame, len,
                   "IPv4 192.168.2.10 > 192.168.1.10 ttl 64: "
                   "TCP 7 > 49152 [S.] seq 4000000000 ack 123457 win 29200 "
                   "mss 536 wscale 7 sackOK TS val 1 ecr 2 len 0");

  NsTcpHdr rst = {
      .sport = 49152, .dport = 7, .seq = 123457, .flags = NS_TCP_RST};
  len = frame_tcp(frame, &rst, 4, FALSE);
  frame[NS_ETH_HLEN + NS_IPV4_HLEN + NS_TCP_HLEN + 3] ^= 0x20;
  assert_brief(frame, len, "TCP 49152 > 7 [R] seq 123457 len 4, bad checksum");
}
END_TEST

START_TEST(test_pretty_tcp_malformed) {
  guint8 frame[NS_ETH_HLEN + NS_IPV4_HLEN + NS_TCP_MAX_HLEN + 600];
  guint8 *ip = frame + NS_ETH_HLEN;
  guint8 *seg = ip + NS_IPV4_HLEN;
  NsTcpHdr t = {.sport = 1234, .dport = 80, .flags = NS_TCP_SYN, .mss = 1460};
  gsize len = frame_tcp(frame, &t, 4, FALSE); /* 24 + 4 bytes of segment */

  seg[12] = 0xf0; /* data offset 60 > 28 */
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed TCP: bad data offset");
  seg[12] = 0x60;
  seg[NS_TCP_HLEN + 1] = 3; /* MSS option 3 bytes long */
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed TCP: bad option length");
  ns_store16(ip + NS_IPV4_OFF_TOTAL_LEN, NS_IPV4_HLEN + 19);
  fix_ip_csum(ip, NS_IPV4_HLEN);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "malformed TCP: truncated header");

  /* A first fragment carries part of the segment: its checksum cannot be
   * checked, so it is not called bad. */
  seg[NS_TCP_HLEN + 1] = 4;
  ns_store16(ip + NS_IPV4_OFF_TOTAL_LEN, NS_IPV4_HLEN + 26);
  ns_store16(ip + NS_IPV4_OFF_FRAG, NS_IPV4_MF);
  fix_ip_csum(ip, NS_IPV4_HLEN);
  assert_describes(frame, len,
                   "IPv4 192.168.1.10 > 192.168.2.10 ttl 64: "
                   "TCP 1234 > 80 [S] seq 0 win 0 mss 1460 len 2 "
                   "(first fragment)");
}
END_TEST

START_TEST(test_pretty_malformed) {
  guint8 f[60];
  memcpy(f, echo_frame, 60);
  f[14 + 10] ^= 0x40;
  assert_describes(f, 60, "malformed IPv4: bad header checksum");
  assert_describes(echo_frame, 40,
                   "malformed IPv4: total length exceeds packet");
  assert_describes(echo_frame, 20, "malformed IPv4: truncated header");

  memcpy(f, echo_frame, 60);
  f[12] = 0x86;
  f[13] = 0xdd;
  assert_describes(f, 60, "ethertype 0x86dd, 60 bytes");
  assert_describes(f, 14, "ethertype 0x86dd, 14 bytes");
  assert_describes(f, 10, "runt frame (10 bytes)");
  assert_describes(f, 0, "runt frame (0 bytes)");
}
END_TEST

START_TEST(test_pretty_truncates_output) {
  char full[NS_FRAME_DESCRIBE_LEN];
  gsize n = ns_frame_describe(echo_frame, 60, full, sizeof full);
  ck_assert_uint_gt(n, 20);

  char small[10];
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, small, sizeof small), 9);
  ck_assert_uint_eq(strlen(small), 9);
  ck_assert(strncmp(small, full, 9) == 0);

  char one[1] = {'x'};
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, one, 1), 0);
  ck_assert_int_eq(one[0], '\0');

  char untouched[4] = "abc";
  ck_assert_uint_eq(ns_frame_describe(echo_frame, 60, untouched, 0), 0);
  ck_assert_str_eq(untouched, "abc");

  /* The widest line there is fits in NS_FRAME_DESCRIBE_LEN. */
  guint8 q[28];
  memcpy(q, ECHO_IP, 28);
  ns_ip4_store(q + 12, NS_IP4(255, 255, 255, 255));
  ns_ip4_store(q + 16, NS_IP4(255, 255, 255, 254));
  NsIcmp e = {.type = NS_ICMP_DEST_UNREACH,
              .code = NS_ICMP_FRAG_NEEDED,
              .data = q,
              .data_len = 28};
  guint8 ip[60];
  gsize icmp_len = ns_icmp_emit(ip + 20, &e);
  NsIpv4Hdr h = {.total_len = (guint16)(20 + icmp_len),
                 .frag = NS_IPV4_MF,
                 .ttl = 255,
                 .proto = NS_IPPROTO_ICMP,
                 .src = NS_IP4(255, 255, 255, 253),
                 .dst = NS_IP4(255, 255, 255, 252)};
  ns_ipv4_emit(ip, &h);
  guint8 frame[80];
  gsize flen = frame_ip(frame, ip, h.total_len);
  n = ns_frame_describe(frame, flen, full, sizeof full);
  ck_assert_uint_lt(n, sizeof full - 1);
  ck_assert_str_eq(full, "IPv4 255.255.255.253 > 255.255.255.252 ttl 255: "
                         "ICMP destination unreachable (fragmentation needed) "
                         "for 255.255.255.255 > 255.255.255.254 "
                         "(first fragment)");

  /* The widest TCP line fits too, with room for a 5-digit length. */
  NsTcpHdr t = {.sport = 65535,
                .dport = 65535,
                .seq = G_MAXUINT32,
                .ack = G_MAXUINT32,
                .flags = 0xff,
                .window = 65535,
                .mss = 65535};
  guint8 seg[NS_TCP_MAX_HLEN + 600];
  memset(seg + ns_tcp_header_len(&t), 'x', 600);
  gsize seg_len = ns_tcp_emit(seg, &t, 600, h.src, h.dst);
  seg[seg_len - 1] ^= 1;
  guint8 big_ip[NS_IPV4_HLEN + sizeof seg];
  h.total_len = (guint16)(NS_IPV4_HLEN + seg_len);
  h.frag = 0;
  h.proto = NS_IPPROTO_TCP;
  ns_ipv4_emit(big_ip, &h);
  memcpy(big_ip + NS_IPV4_HLEN, seg, seg_len);
  guint8 big_frame[NS_ETH_HLEN + sizeof big_ip];
  flen = frame_ip(big_frame, big_ip, h.total_len);
  n = ns_frame_describe(big_frame, flen, full, sizeof full);
  ck_assert_str_eq(full, "IPv4 255.255.255.253 > 255.255.255.252 ttl 255: "
                         "TCP 65535 > 65535 [FSRPUEW.] seq 4294967295 "
                         "ack 4294967295 win 65535 mss 65535 len 600, "
                         "bad checksum");
  ck_assert_uint_lt(n + 2, sizeof full - 1);
}
END_TEST

static void describe_checked(const guint8 *src, gsize len) {
  guint8 *f = exact(src, len);
  char out[NS_FRAME_DESCRIBE_LEN];
  memset(out, 'z', sizeof out);
  gsize n = ns_frame_describe(f, len, out, sizeof out);
  ck_assert_uint_lt(n, sizeof out);
  ck_assert_uint_eq(strlen(out), n);
  ck_assert_uint_gt(n, 0);
  /* The brief form only leaves things out. */
  char brief[NS_FRAME_DESCRIBE_LEN];
  memset(brief, 'z', sizeof brief);
  gsize b = ns_frame_brief(f, len, brief, sizeof brief);
  ck_assert_uint_eq(strlen(brief), b);
  ck_assert_uint_gt(b, 0);
  ck_assert_uint_le(b, n);
  g_free(f);
}

START_TEST(test_pretty_fuzz) {
  GRand *r = g_rand_new_with_seed(20240101);
  guint8 buf[256];

  /* Pure noise. */
  for (int i = 0; i < 10000; i++) {
    gsize len = (gsize)g_rand_int_range(r, 0, sizeof buf + 1);
    for (gsize k = 0; k < len; k++)
      buf[k] = (guint8)g_rand_int(r);
    describe_checked(buf, len);
  }

  /* Noise behind a valid Ethernet + IPv4 header, so the upper-layer paths
   * run: random proto (mostly ICMP/UDP/TCP), lengths and payload. */
  static const guint8 protos[] = {NS_IPPROTO_ICMP, NS_IPPROTO_UDP,
                                  NS_IPPROTO_TCP, 47};
  for (int i = 0; i < 10000; i++) {
    gsize len = (gsize)g_rand_int_range(r, 14, sizeof buf + 1);
    for (gsize k = 0; k < len; k++)
      buf[k] = (guint8)g_rand_int(r);
    ns_store16(buf + 12,
               g_rand_boolean(r) ? NS_ETHERTYPE_IPV4 : NS_ETHERTYPE_ARP);
    if (len >= 34) {
      guint8 *ip = buf + 14;
      gsize hlen = 20 + 4 * (gsize)g_rand_int_range(r, 0, 3);
      ip[0] = (guint8)(0x40 | hlen / 4);
      ip[9] = protos[g_rand_int_range(r, 0, G_N_ELEMENTS(protos))];
      ns_store16(ip + 6,
                 g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r) : 0);
      ns_store16(ip + 2, (guint16)g_rand_int_range(r, 0, (gint32)len));
      if (hlen <= len - 14)
        fix_ip_csum(ip, hlen);
      /* Often make the ICMP checksum right too, so quotes get parsed. */
      gsize total = ns_load16(ip + 2);
      if (ip[9] == NS_IPPROTO_ICMP && total >= hlen + 8 && total <= len - 14 &&
          g_rand_boolean(r)) {
        guint8 *icmp = ip + hlen;
        icmp[0] =
            g_rand_boolean(r) ? NS_ICMP_TIME_EXCEEDED : NS_ICMP_DEST_UNREACH;
        if (total >= hlen + 8 + 20 && g_rand_boolean(r))
          icmp[8] = 0x45;
        ns_store16(icmp + 2, 0);
        ns_store16(icmp + 2, ns_csum(icmp, total - hlen));
      }
    }
    describe_checked(buf, len);
  }

  /* Single-byte mutations of the reference frames. */
  for (int i = 0; i < 10000; i++) {
    const guint8 *base = (i & 1) ? echo_frame : arp_request_frame;
    memcpy(buf, base, 60);
    buf[g_rand_int_range(r, 0, 60)] = (guint8)g_rand_int(r);
    describe_checked(buf, (gsize)g_rand_int_range(r, 0, 61));
  }
  g_rand_free(r);
}
END_TEST

Suite *test_pretty_suite(void) {
  Suite *s = suite_create("pretty");
  TCase *tc = tcase_create("pretty");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_pretty_arp);
  tcase_add_test(tc, test_pretty_icmp);
  tcase_add_test(tc, test_pretty_udp_other);
  tcase_add_test(tc, test_pretty_tcp);
  tcase_add_test(tc, test_pretty_brief);
  tcase_add_test(tc, test_pretty_tcp_malformed);
  tcase_add_test(tc, test_pretty_malformed);
  tcase_add_test(tc, test_pretty_truncates_output);
  tcase_add_test(tc, test_pretty_fuzz);
  suite_add_tcase(s, tc);
  return s;
}

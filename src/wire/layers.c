/* layers.c — field-by-field frame decoding and hex dumps (see layers.h). */
#include "wire/layers.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/igmp.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"
#include "wire/udp.h"

/* Where the transport checksums sit (tcp.h and udp.h draw the headers). */
#define UDP_OFF_CSUM 6
#define TCP_OFF_CSUM 16

/* A number and the name it stands for, for the lookup tables below. */
typedef struct {
  guint value;
  const char *name;
} Named;

static const char *name_of(const Named *table, gsize n, guint value) {
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return "unknown";
}
#define NAME_OF(table, value) name_of(table, G_N_ELEMENTS(table), value)

static const Named ip_protocols[] = {
    {NS_IPPROTO_ICMP, "ICMP"},
    {NS_IPPROTO_IGMP, "IGMP"},
    {NS_IPPROTO_TCP, "TCP"},
    {NS_IPPROTO_UDP, "UDP"},
};

static const Named icmp_types[] = {
    {NS_ICMP_ECHO_REPLY, "echo reply"},
    {NS_ICMP_DEST_UNREACH, "destination unreachable"},
    {NS_ICMP_SOURCE_QUENCH, "source quench"},
    {NS_ICMP_REDIRECT, "redirect"},
    {NS_ICMP_ECHO_REQUEST, "echo request"},
    {NS_ICMP_TIME_EXCEEDED, "time exceeded"},
    {NS_ICMP_PARAM_PROBLEM, "parameter problem"},
};

/* Codes, keyed by type << 8 | code. */
#define ICMP_CODE(type, code) ((guint)(type) << 8 | (guint)(code))
static const Named icmp_codes[] = {
    {ICMP_CODE(NS_ICMP_DEST_UNREACH, NS_ICMP_NET_UNREACH), "net unreachable"},
    {ICMP_CODE(NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH), "host unreachable"},
    {ICMP_CODE(NS_ICMP_DEST_UNREACH, NS_ICMP_PROTO_UNREACH),
     "protocol unreachable"},
    {ICMP_CODE(NS_ICMP_DEST_UNREACH, NS_ICMP_PORT_UNREACH), "port unreachable"},
    {ICMP_CODE(NS_ICMP_DEST_UNREACH, NS_ICMP_FRAG_NEEDED),
     "fragmentation needed"},
    {ICMP_CODE(NS_ICMP_TIME_EXCEEDED, NS_ICMP_TTL_EXCEEDED),
     "TTL exceeded in transit"},
    {ICMP_CODE(NS_ICMP_TIME_EXCEEDED, NS_ICMP_FRAG_TIME_EXCEEDED),
     "reassembly time exceeded"},
};

static const Named ipv4_options[] = {
    {NS_IPV4_OPT_END, "End of option list"},
    {NS_IPV4_OPT_NOP, "No operation"},
    {0x07, "Record route"},
    {0x44, "Timestamp"},
    {0x83, "Loose source route"},
    {0x89, "Strict source route"},
    {NS_IPV4_OPT_ROUTER_ALERT, "Router Alert"},
};

static const Named tcp_flags[] = {
    {NS_TCP_CWR, "CWR"}, {NS_TCP_ECE, "ECE"}, {NS_TCP_URG, "URG"},
    {NS_TCP_ACK, "ACK"}, {NS_TCP_PSH, "PSH"}, {NS_TCP_RST, "RST"},
    {NS_TCP_SYN, "SYN"}, {NS_TCP_FIN, "FIN"},
};

static void add_mac(GString *out, const char *label, NsMac mac) {
  char s[NS_MAC_STRLEN];
  g_string_append_printf(out, "  %s: %s%s\n", label, ns_mac_format(mac, s),
                         ns_mac_is_broadcast(mac)   ? " (broadcast)"
                         : ns_mac_is_multicast(mac) ? " (multicast)"
                                                    : "");
}

static void add_ip(GString *out, const char *label, NsIp4 ip) {
  char s[NS_IP4_STRLEN];
  g_string_append_printf(out, "  %s: %s\n", label, ns_ip4_format(ip, s));
}

/* A layer the codec refused: short input is "truncated", anything else
 * "malformed" with the codec's reason.  Decoding stops there. */
static void add_refused(GString *out, const char *layer, gsize len,
                        gsize min_len, const char *why) {
  if (len < min_len)
    g_string_append_printf(out,
                           "%s: truncated (%" G_GSIZE_FORMAT
                           " bytes, the header needs %" G_GSIZE_FORMAT ")\n",
                           layer, len, min_len);
  else
    g_string_append_printf(out, "%s: malformed (%s)\n", layer, why);
}

/* The checksum the len bytes at p should carry in their 16-bit field at
 * off (even), the sum starting from `partial` (a pseudo-header or 0). */
static guint16 expected_csum(const guint8 *p, gsize len, gsize off,
                             guint32 partial) {
  guint32 sum = ns_csum_partial(p, off, partial);
  return ns_csum_finish(ns_csum_partial(p + off + 2, len - off - 2, sum));
}

static void add_csum(GString *out, const char *label, guint16 stored,
                     gboolean ok, guint16 expected) {
  if (ok)
    g_string_append_printf(out, "  %s: 0x%04x (correct)\n", label, stored);
  else
    g_string_append_printf(out, "  %s: 0x%04x (wrong, should be 0x%04x)\n",
                           label, stored, expected);
}

static void add_csum_unverified(GString *out, guint16 stored) {
  g_string_append_printf(out, "  Checksum: 0x%04x (not verified: fragment)\n",
                         stored);
}

static void add_data(GString *out, const char *what, gsize n) {
  g_string_append_printf(out, "%s: %" G_GSIZE_FORMAT " bytes\n", what, n);
}

static void describe_arp(const guint8 *p, gsize len, GString *out) {
  NsArp a;
  const char *err = NULL;
  if (!ns_arp_parse(p, len, &a, &err)) {
    add_refused(out, "ARP", len, NS_ARP_LEN, err);
    return;
  }
  gboolean request = a.op == NS_ARP_OP_REQUEST;
  /* The codec accepts Ethernet/IPv4 ARP only, so these four are known. */
  g_string_append_printf(out,
                         "ARP %s\n"
                         "  Hardware type: Ethernet (%u)\n"
                         "  Protocol type: IPv4 (0x%04x)\n"
                         "  Hardware size: 6\n"
                         "  Protocol size: 4\n"
                         "  Opcode: %s (%u)\n",
                         request ? "request" : "reply", NS_ARP_HTYPE_ETHERNET,
                         NS_ETHERTYPE_IPV4, request ? "request" : "reply",
                         a.op);
  add_mac(out, "Sender MAC address", a.sha);
  add_ip(out, "Sender IP address", a.spa);
  add_mac(out, "Target MAC address", a.tha);
  add_ip(out, "Target IP address", a.tpa);
  if (len > NS_ARP_LEN)
    add_data(out, "Padding", len - NS_ARP_LEN);
}

/* verify: FALSE on a first fragment, which holds only part of what the
 * transport checksum covers. */
static void describe_icmp(const guint8 *p, gsize len, gboolean verify,
                          GString *out) {
  NsIcmp m;
  const char *err = NULL;
  if (!ns_icmp_parse_header(p, len, &m, &err)) {
    add_refused(out, "ICMP", len, NS_ICMP_HLEN, err);
    return;
  }
  g_string_append_printf(out,
                         "Internet Control Message Protocol\n"
                         "  Type: %u (%s)\n",
                         m.type, NAME_OF(icmp_types, m.type));
  if (ns_icmp_is_error(m.type))
    g_string_append_printf(out, "  Code: %u (%s)\n", m.code,
                           NAME_OF(icmp_codes, ICMP_CODE(m.type, m.code)));
  else
    g_string_append_printf(out, "  Code: %u\n", m.code);
  if (verify)
    add_csum(out, "Checksum", m.csum, ns_csum(p, len) == 0,
             expected_csum(p, len, NS_ICMP_OFF_CSUM, 0));
  else
    add_csum_unverified(out, m.csum);
  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  if (m.type == NS_ICMP_ECHO_REQUEST || m.type == NS_ICMP_ECHO_REPLY) {
    g_string_append_printf(out, "  Identifier: %u\n  Sequence number: %u\n",
                           m.id, m.seq);
  } else if (ns_icmp_quoted(&m, &orig, &op, &olen)) {
    char s[NS_IP4_STRLEN], d[NS_IP4_STRLEN];
    g_string_append_printf(
        out, "  Quoted datagram: %s > %s, %s (%u), %" G_GSIZE_FORMAT " bytes\n",
        ns_ip4_format(orig.src, s), ns_ip4_format(orig.dst, d),
        NAME_OF(ip_protocols, orig.proto), orig.proto, m.data_len);
    return;
  }
  add_data(out, "Data", m.data_len);
}

static void describe_udp(const NsIpv4Hdr *ip, const guint8 *p, gsize len,
                         GString *out) {
  NsUdpHdr h;
  const char *err = NULL;
  if (!ns_udp_parse(p, len, &h, &err)) {
    add_refused(out, "UDP", len, NS_UDP_HLEN, err);
    return;
  }
  g_string_append_printf(out,
                         "User Datagram Protocol\n"
                         "  Source port: %u\n"
                         "  Destination port: %u\n"
                         "  Length: %u\n",
                         h.sport, h.dport, h.len);
  if (h.csum == 0) {
    g_string_append(out, "  Checksum: 0x0000 (none)\n");
  } else if (ns_ipv4_is_fragment(ip)) {
    add_csum_unverified(out, h.csum);
  } else {
    guint32 pseudo =
        ns_ipv4_pseudo_partial(ip->src, ip->dst, NS_IPPROTO_UDP, h.len);
    guint16 want = expected_csum(p, h.len, UDP_OFF_CSUM, pseudo);
    add_csum(out, "Checksum", h.csum,
             ns_udp_checksum_ok(p, h.len, ip->src, ip->dst),
             want == 0 ? 0xFFFF : want);
  }
  add_data(out, "Data", h.len - NS_UDP_HLEN);
}

static void describe_igmp(const guint8 *p, gsize len, GString *out) {
  NsIgmp m;
  const char *err = NULL;
  if (!ns_igmp_parse_header(p, len, &m, &err)) {
    add_refused(out, "IGMP", len, NS_IGMP_LEN, err);
    return;
  }
  g_string_append_printf(
      out,
      "Internet Group Management Protocol%s\n"
      "  Type: %s (0x%02x)\n",
      len > NS_IGMP_LEN ? " version 3" : "",
      ns_igmp_type_name(m.type) != NULL ? ns_igmp_type_name(m.type) : "unknown",
      m.type);
  if (m.type == NS_IGMP_QUERY)
    g_string_append_printf(out, "  Max resp time: %g s (%u)\n",
                           (double)ns_igmp_max_resp(&m) / (double)NS_SEC,
                           m.max_resp);
  else
    g_string_append_printf(out, "  Max resp time: %u\n", m.max_resp);
  add_csum(out, "Checksum", m.csum, ns_csum(p, len) == 0,
           expected_csum(p, len, NS_IGMP_OFF_CSUM, 0));
  add_ip(out, "Group address", m.group);
  if (len > NS_IGMP_LEN)
    add_data(out, "IGMPv3 fields", len - NS_IGMP_LEN);
}

static void add_tcp_flags(GString *out, guint8 flags) {
  g_string_append(out, "  Flags:");
  for (gsize i = 0; i < G_N_ELEMENTS(tcp_flags); i++)
    if (flags & tcp_flags[i].value)
      g_string_append_printf(out, " %s", tcp_flags[i].name);
  g_string_append_printf(out, "%s (0x%02x)\n", flags == 0 ? " none" : "",
                         flags);
}

/* The options the codec understood, one line each, as Wireshark names
 * them. */
static void add_tcp_options(GString *out, const NsTcpHdr *t) {
  if (t->mss != 0)
    g_string_append_printf(out, "    Maximum segment size: %u\n", t->mss);
  if (t->sack_ok)
    g_string_append(out, "    SACK permitted\n");
  if (t->has_ts)
    g_string_append_printf(out, "    Timestamps: TSval %u, TSecr %u\n",
                           t->tsval, t->tsecr);
  if (t->has_ws)
    g_string_append_printf(out, "    Window scale: %u (multiply by %u)\n",
                           t->ws, 1u << t->ws);
  for (guint i = 0; i < t->nsack; i++)
    g_string_append_printf(out, "    SACK block: %u-%u\n", t->sack[i].left,
                           t->sack[i].right);
}

static void describe_tcp(const NsIpv4Hdr *ip, const guint8 *p, gsize len,
                         GString *out) {
  NsTcpHdr t;
  const char *err = NULL;
  if (!ns_tcp_parse(p, len, &t, &err)) {
    add_refused(out, "TCP", len, NS_TCP_HLEN, err);
    return;
  }
  g_string_append_printf(out,
                         "Transmission Control Protocol\n"
                         "  Source port: %u\n"
                         "  Destination port: %u\n"
                         "  Sequence number: %u\n"
                         "  Acknowledgement number: %u\n"
                         "  Data offset: %u bytes (%u)\n",
                         t.sport, t.dport, t.seq, t.ack, t.hlen, t.hlen / 4u);
  add_tcp_flags(out, t.flags);
  g_string_append_printf(out, "  Window: %u\n", t.window);
  if (ns_ipv4_is_fragment(ip))
    add_csum_unverified(out, t.csum);
  else
    add_csum(
        out, "Checksum", t.csum, ns_tcp_checksum_ok(p, len, ip->src, ip->dst),
        expected_csum(p, len, TCP_OFF_CSUM,
                      ns_ipv4_pseudo_partial(ip->src, ip->dst, NS_IPPROTO_TCP,
                                             (guint16)len)));
  g_string_append_printf(out, "  Urgent pointer: %u\n", t.urgent);
  if (t.hlen > NS_TCP_HLEN)
    g_string_append_printf(out, "  Options: %u bytes\n", t.hlen - NS_TCP_HLEN);
  add_tcp_options(out, &t);
  add_data(out, "Data", len - t.hlen);
}

/* One line per option, by name; a length that does not fit ends the
 * list. */
static void add_ipv4_options(const guint8 *p, gsize hlen, GString *out) {
  g_string_append_printf(out, "  Options: %" G_GSIZE_FORMAT " bytes\n",
                         hlen - NS_IPV4_HLEN);
  for (gsize i = NS_IPV4_HLEN; i < hlen;) {
    guint8 type = p[i];
    gsize olen = 1;
    if (type != NS_IPV4_OPT_END && type != NS_IPV4_OPT_NOP) {
      if (i + 1 >= hlen || p[i + 1] < 2 || i + p[i + 1] > hlen) {
        g_string_append_printf(out, "    0x%02x: bad length\n", type);
        return;
      }
      olen = p[i + 1];
    }
    g_string_append_printf(out, "    %s (0x%02x), %" G_GSIZE_FORMAT " byte%s\n",
                           NAME_OF(ipv4_options, type), type, olen,
                           olen == 1 ? "" : "s");
    if (type == NS_IPV4_OPT_END)
      return;
    i += olen;
  }
}

static void add_ipv4_fields(const guint8 *p, const NsIpv4Hdr *h, GString *out) {
  char s[NS_IP4_STRLEN], d[NS_IP4_STRLEN];
  g_string_append_printf(
      out,
      "Internet Protocol version 4, %s > %s\n"
      "  Version: 4\n"
      "  Header length: %u bytes (%u)\n"
      "  Differentiated services: DSCP %u, ECN %u (0x%02x)\n"
      "  Total length: %u\n"
      "  Identification: 0x%04x (%u)\n"
      "  Flags:%s%s%s (0x%04x)\n"
      "  Fragment offset: %u\n"
      "  Time to live: %u\n"
      "  Protocol: %s (%u)\n",
      ns_ip4_format(h->src, s), ns_ip4_format(h->dst, d), h->hlen, h->hlen / 4u,
      h->tos >> 2, h->tos & 3u, h->tos, h->total_len, h->id, h->id,
      h->frag & NS_IPV4_DF ? " DF" : "", h->frag & NS_IPV4_MF ? " MF" : "",
      h->frag & (NS_IPV4_DF | NS_IPV4_MF) ? "" : " none",
      h->frag & ~NS_IPV4_OFFSET_MASK, (h->frag & NS_IPV4_OFFSET_MASK) * 8u,
      h->ttl, NAME_OF(ip_protocols, h->proto), h->proto);
  add_csum(out, "Header checksum", h->csum, ns_csum(p, h->hlen) == 0,
           expected_csum(p, h->hlen, NS_IPV4_OFF_CSUM, 0));
  add_ip(out, "Source", h->src);
  add_ip(out, "Destination", h->dst);
  if (h->hlen > NS_IPV4_HLEN)
    add_ipv4_options(p, h->hlen, out);
}

/* Decodes the IPv4 datagram in the frame's payload (len bytes, padding
 * included). */
static void describe_ipv4(const guint8 *p, gsize len, GString *out) {
  NsIpv4Hdr h;
  const char *err = NULL;
  if (!ns_ipv4_parse_header(p, len, &h, &err)) {
    add_refused(out, "IPv4", len, NS_IPV4_HLEN, err);
    return;
  }
  add_ipv4_fields(p, &h, out);
  if (h.total_len > len) {
    g_string_append_printf(out,
                           "IPv4: truncated (total length %u, %" G_GSIZE_FORMAT
                           " bytes present)\n",
                           h.total_len, len);
    return;
  }
  const guint8 *payload = p + ns_ipv4_payload_offset(&h);
  gsize plen = ns_ipv4_payload_len(&h);
  if ((h.frag & NS_IPV4_OFFSET_MASK) != 0)
    add_data(out, "Fragment data", plen); /* no transport header in it */
  else if (h.proto == NS_IPPROTO_ICMP)
    describe_icmp(payload, plen, !ns_ipv4_is_fragment(&h), out);
  else if (h.proto == NS_IPPROTO_IGMP)
    describe_igmp(payload, plen, out);
  else if (h.proto == NS_IPPROTO_UDP)
    describe_udp(&h, payload, plen, out);
  else if (h.proto == NS_IPPROTO_TCP)
    describe_tcp(&h, payload, plen, out);
  else
    add_data(out, "Data", plen);
  if (len > h.total_len)
    add_data(out, "Padding", len - h.total_len);
}

void ns_layers_describe(const guint8 *buf, gsize len, GString *out) {
  g_return_if_fail(out != NULL);
  if (buf == NULL)
    len = 0;
  g_string_append_printf(out, "Ethernet II, %" G_GSIZE_FORMAT " bytes\n", len);
  if (!ns_eth_view(buf, len)) {
    add_refused(out, "Ethernet", len, NS_ETH_HLEN, NULL);
    return;
  }
  add_mac(out, "Destination", ns_eth_dst(buf));
  add_mac(out, "Source", ns_eth_src(buf));
  guint16 type = ns_eth_type(buf);
  const char *name = ns_ethertype_name(type);
  g_string_append_printf(out, "  Type: %s (0x%04x)\n", name ? name : "unknown",
                         type);
  const guint8 *payload = ns_eth_payload(buf);
  gsize plen = len - NS_ETH_HLEN;
  if (type == NS_ETHERTYPE_ARP)
    describe_arp(payload, plen, out);
  else if (type == NS_ETHERTYPE_IPV4)
    describe_ipv4(payload, plen, out);
  else
    add_data(out, "Data", plen);
}

#define HEX_ROW 16

void ns_layers_hexdump(const guint8 *buf, gsize len, GString *out) {
  g_return_if_fail(out != NULL);
  if (buf == NULL)
    return;
  for (gsize row = 0; row < len; row += HEX_ROW) {
    gsize n = MIN(HEX_ROW, len - row);
    g_string_append_printf(out, "%04" G_GSIZE_MODIFIER "x  ", row);
    for (gsize i = 0; i < HEX_ROW; i++) {
      if (i < n)
        g_string_append_printf(out, "%02x ", buf[row + i]);
      else
        g_string_append(out, "   ");
      if (i == HEX_ROW / 2 - 1)
        g_string_append_c(out, ' ');
    }
    g_string_append_c(out, ' ');
    for (gsize i = 0; i < n; i++) {
      guint8 c = buf[row + i];
      g_string_append_c(out, g_ascii_isprint(c) ? (char)c : '.');
    }
    g_string_append_c(out, '\n');
  }
}

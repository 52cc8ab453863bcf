/* pretty.c — one-line frame descriptions. */
#include <stdarg.h>
#include <stdio.h>

#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/igmp.h"
#include "wire/ipv4.h"
#include "wire/pretty.h"
#include "wire/tcp.h"
#include "wire/udp.h"

/* A bounded string builder that truncates silently. */
typedef struct {
  char *out;
  gsize size;     /* bytes at out, > 0 */
  gsize used;     /* strlen so far, < size */
  gboolean brief; /* the log's short form (pretty.h) */
} Line;

G_GNUC_PRINTF(2, 3)
static void add(Line *l, const char *fmt, ...) {
  if (l->used + 1 >= l->size)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(l->out + l->used, l->size - l->used, fmt, ap);
  va_end(ap);
  if (n > 0)
    l->used = MIN(l->used + (gsize)n, l->size - 1);
}

static void add_ip(Line *l, NsIp4 ip) {
  char s[NS_IP4_STRLEN];
  add(l, "%s", ns_ip4_format(ip, s));
}

static void describe_arp(Line *l, const guint8 *p, gsize len) {
  NsArp a;
  const char *err = NULL;
  if (!ns_arp_parse(p, len, &a, &err)) {
    add(l, "malformed ARP: %s", err);
    return;
  }
  if (a.op == NS_ARP_OP_REQUEST) {
    add(l, "ARP who-has ");
    add_ip(l, a.tpa);
    add(l, " tell ");
    add_ip(l, a.spa);
  } else {
    char mac[NS_MAC_STRLEN];
    add(l, "ARP reply ");
    add_ip(l, a.spa);
    add(l, " is-at %s", ns_mac_format(a.sha, mac));
  }
}

static const char *unreach_reason(guint8 code) {
  switch (code) {
  case NS_ICMP_NET_UNREACH:
    return "net";
  case NS_ICMP_HOST_UNREACH:
    return "host";
  case NS_ICMP_PROTO_UNREACH:
    return "protocol";
  case NS_ICMP_PORT_UNREACH:
    return "port";
  case NS_ICMP_FRAG_NEEDED:
    return "fragmentation needed";
  default:
    return NULL;
  }
}

static void describe_icmp(Line *l, const guint8 *p, gsize len) {
  NsIcmp m;
  const char *err = NULL;
  if (!ns_icmp_parse(p, len, &m, &err)) {
    add(l, "malformed ICMP: %s", err);
    return;
  }
  switch (m.type) {
  case NS_ICMP_ECHO_REQUEST:
  case NS_ICMP_ECHO_REPLY:
    add(l, "ICMP echo %s",
        m.type == NS_ICMP_ECHO_REQUEST ? "request" : "reply");
    if (!l->brief)
      add(l, " id %u", m.id);
    add(l, " seq %u", m.seq);
    return;
  case NS_ICMP_TIME_EXCEEDED:
    if (l->brief && m.code == NS_ICMP_TTL_EXCEEDED)
      add(l, "ICMP time exceeded");
    else if (m.code == NS_ICMP_TTL_EXCEEDED)
      add(l, "ICMP time exceeded (TTL)");
    else if (m.code == NS_ICMP_FRAG_TIME_EXCEEDED)
      add(l, "ICMP time exceeded (reassembly)");
    else
      add(l, "ICMP time exceeded (code %u)", m.code);
    break;
  case NS_ICMP_DEST_UNREACH: {
    const char *why = unreach_reason(m.code);
    if (why && l->brief)
      add(l, m.code == NS_ICMP_FRAG_NEEDED ? "ICMP %s" : "ICMP %s unreachable",
          why);
    else if (why)
      add(l, "ICMP destination unreachable (%s)", why);
    else
      add(l, "ICMP destination unreachable (code %u)", m.code);
    break;
  }
  default:
    add(l, "ICMP type %u code %u len %" G_GSIZE_FORMAT, m.type, m.code, len);
    return;
  }

  if (l->brief) /* the quoted header is in show frame */
    return;
  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  if (!ns_icmp_quoted(&m, &orig, &op, &olen)) {
    add(l, ", bad quote");
    return;
  }
  add(l, " for ");
  add_ip(l, orig.src);
  add(l, " > ");
  add_ip(l, orig.dst);
}

static void describe_udp(Line *l, const guint8 *p, gsize len) {
  NsUdpHdr h;
  const char *err = NULL;
  if (!ns_udp_parse(p, len, &h, &err)) {
    if (len >= NS_UDP_HLEN) /* the length field is what is wrong */
      add(l, "malformed UDP: %s %u", err, ns_load16(p + 4));
    else
      add(l, "malformed UDP: %s", err);
    return;
  }
  add(l, "UDP %u > %u len %u", h.sport, h.dport, h.len - NS_UDP_HLEN);
}

/* "IGMP v2 report 239.1.1.1", "IGMP query, general, max resp 10 s". */
static void describe_igmp(Line *l, const guint8 *p, gsize len) {
  NsIgmp m;
  const char *err = NULL;
  if (!ns_igmp_parse_header(p, len, &m, &err)) {
    add(l, "malformed IGMP: %s", err);
    return;
  }
  char g[NS_IP4_STRLEN];
  ns_ip4_format(m.group, g);
  NsTime resp = ns_igmp_max_resp(&m);
  switch (m.type) {
  case NS_IGMP_QUERY:
    add(l, "IGMP%s query, %s%s, max resp %g s", len > NS_IGMP_LEN ? "v3" : "",
        ns_igmp_is_general(&m) ? "general" : "group ",
        ns_igmp_is_general(&m) ? "" : g, (double)resp / (double)NS_SEC);
    break;
  case NS_IGMP_V2_REPORT:
  case NS_IGMP_V1_REPORT:
    add(l, "IGMP v%d report %s", m.type == NS_IGMP_V2_REPORT ? 2 : 1, g);
    break;
  case NS_IGMP_LEAVE:
    add(l, "IGMP leave %s", g);
    break;
  default:
    add(l, "IGMP type 0x%02x len %" G_GSIZE_FORMAT, m.type, len);
    break;
  }
  if (ns_csum(p, len) != 0)
    add(l, ", bad checksum");
}

/* The window and the options: left out of the brief form. */
static void describe_tcp_options(Line *l, const NsTcpHdr *t) {
  add(l, " win %u", t->window);
  if (t->mss != 0)
    add(l, " mss %u", t->mss);
  if (t->has_ws)
    add(l, " wscale %u", t->ws);
  if (t->sack_ok)
    add(l, " sackOK");
  if (t->has_ts)
    add(l, " TS val %u ecr %u", t->tsval, t->tsecr);
  if (t->nsack > 0) {
    add(l, " sack %u", t->nsack);
    for (guint i = 0; i < t->nsack; i++)
      add(l, " {%u:%u}", t->sack[i].left, t->sack[i].right);
  }
}

/* The IP header is needed for the pseudo-header the checksum covers. */
static void describe_tcp(Line *l, const NsIpv4Hdr *ip, const guint8 *p,
                         gsize len) {
  NsTcpHdr t;
  const char *err = NULL;
  if (!ns_tcp_parse(p, len, &t, &err)) {
    add(l, "malformed TCP: %s", err);
    return;
  }
  char flags[NS_TCP_FLAGS_STRLEN];
  add(l, "TCP %u > %u [%s] seq %u", t.sport, t.dport,
      ns_tcp_flags_format(t.flags, flags), t.seq);
  if (t.flags & NS_TCP_ACK)
    add(l, " ack %u", t.ack);
  if (!l->brief)
    describe_tcp_options(l, &t);
  add(l, " len %" G_GSIZE_FORMAT, len - t.hlen);
  /* A first fragment holds only part of the segment: nothing to check. */
  if (!ns_ipv4_is_fragment(ip) && !ns_tcp_checksum_ok(p, len, ip->src, ip->dst))
    add(l, ", bad checksum");
}

static void describe_ipv4(Line *l, const guint8 *p, gsize len) {
  NsIpv4Hdr h;
  const char *err = NULL;
  if (!ns_ipv4_parse(p, len, &h, &err)) {
    add(l, "malformed IPv4: %s", err);
    return;
  }
  gboolean later = (h.frag & NS_IPV4_OFFSET_MASK) != 0;
  /* Brief: a TCP segment's line is its own header (the addresses are in
   * the tcp/state and route/forward lines, the rest in show frame). */
  if (!l->brief || later || h.proto != NS_IPPROTO_TCP) {
    add(l, "%s", l->brief ? "" : "IPv4 ");
    add_ip(l, h.src);
    add(l, " > ");
    add_ip(l, h.dst);
    add(l, " ttl %u: ", h.ttl);
  }

  const guint8 *payload = p + ns_ipv4_payload_offset(&h);
  gsize plen = ns_ipv4_payload_len(&h);
  if (later) {
    /* A later fragment: no upper-layer header to decode. */
    add(l, "fragment proto %u offset %u len %" G_GSIZE_FORMAT, h.proto,
        (h.frag & NS_IPV4_OFFSET_MASK) * 8u, plen);
    return;
  }
  switch (h.proto) {
  case NS_IPPROTO_ICMP:
    describe_icmp(l, payload, plen);
    break;
  case NS_IPPROTO_IGMP:
    describe_igmp(l, payload, plen);
    break;
  case NS_IPPROTO_UDP:
    describe_udp(l, payload, plen);
    break;
  case NS_IPPROTO_TCP:
    describe_tcp(l, &h, payload, plen);
    break;
  default:
    add(l, "proto %u len %" G_GSIZE_FORMAT, h.proto, plen);
    break;
  }
  if (h.frag & NS_IPV4_MF)
    add(l, " (first fragment)");
}

static gsize describe(const guint8 *buf, gsize len, gboolean brief, char *out,
                      gsize outlen) {
  if (out == NULL || outlen == 0)
    return 0;
  Line l = {out, outlen, 0, brief};
  out[0] = '\0';

  if (buf == NULL || !ns_eth_view(buf, len)) {
    add(&l, "runt frame (%" G_GSIZE_FORMAT " bytes)", buf ? len : 0);
    return l.used;
  }
  const guint8 *payload = ns_eth_payload(buf);
  gsize plen = len - NS_ETH_HLEN;
  guint16 type = ns_eth_type(buf);
  switch (type) {
  case NS_ETHERTYPE_ARP:
    describe_arp(&l, payload, plen);
    break;
  case NS_ETHERTYPE_IPV4:
    describe_ipv4(&l, payload, plen);
    break;
  default:
    add(&l, "ethertype 0x%04x, %" G_GSIZE_FORMAT " bytes", type, len);
    break;
  }
  return l.used;
}

gsize ns_frame_describe(const guint8 *buf, gsize len, char *out, gsize outlen) {
  return describe(buf, len, FALSE, out, outlen);
}

gsize ns_frame_brief(const guint8 *buf, gsize len, char *out, gsize outlen) {
  return describe(buf, len, TRUE, out, outlen);
}

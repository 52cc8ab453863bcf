/* tcp.c — TCP header codec: fixed fields, the options we understand, and
 * the checksum over the IPv4 pseudo-header. */
#include "wire/tcp.h"
#include "wire/ipv4.h"

/* Field offsets in the fixed header. */
#define OFF_SPORT 0
#define OFF_DPORT 2
#define OFF_SEQ 4
#define OFF_ACK 8
#define OFF_DATA_OFFSET 12 /* high nibble; the low one is reserved */
#define OFF_FLAGS 13
#define OFF_WINDOW 14
#define OFF_CSUM 16
#define OFF_URGENT 18

/* The MSS option: kind, length, 16-bit value. */
#define MSS_OPT_LEN 4

_Static_assert(OFF_URGENT + 2 == NS_TCP_HLEN,
               "the TCP header without options is 20 bytes");
_Static_assert(NS_TCP_MAX_HLEN == 15 * 4,
               "the data offset is a 4-bit count of words");
_Static_assert(NS_TCP_HLEN + MSS_OPT_LEN <= NS_TCP_MAX_HLEN &&
                   MSS_OPT_LEN % 4 == 0,
               "an MSS option keeps the header a whole number of words");
_Static_assert(NS_TCP_FLAGS_STRLEN >= 8 + 1,
               "room for a letter per flag bit and the NUL");

/* Walks the options (the n bytes after the fixed header) and records the
 * MSS.  Unknown kinds are skipped by their length byte; the list ends at
 * EOL or at the end of the header, whichever comes first. */
static gboolean parse_options(const guint8 *opt, gsize n, guint16 *mss,
                              const char **err) {
  gsize i = 0;
  while (i < n) {
    guint8 kind = opt[i];
    if (kind == NS_TCP_OPT_EOL)
      break;
    if (kind == NS_TCP_OPT_NOP) {
      i++;
      continue;
    }
    /* Every other kind has a length byte counting kind and length too. */
    if (i + 1 >= n)
      return ns_wire_reject(err, "bad option length");
    gsize optlen = opt[i + 1];
    if (optlen < 2 || optlen > n - i)
      return ns_wire_reject(err, "bad option length");
    if (kind == NS_TCP_OPT_MSS) {
      if (optlen != MSS_OPT_LEN)
        return ns_wire_reject(err, "bad option length");
      *mss = ns_load16(opt + i + 2);
    }
    i += optlen;
  }
  return TRUE;
}

gboolean ns_tcp_parse(const guint8 *buf, gsize len, NsTcpHdr *out,
                      const char **err) {
  if (buf == NULL || len < NS_TCP_HLEN)
    return ns_wire_reject(err, "truncated header");
  gsize hlen = (gsize)(buf[OFF_DATA_OFFSET] >> 4) * 4;
  if (hlen < NS_TCP_HLEN || hlen > len)
    return ns_wire_reject(err, "bad data offset");
  guint16 mss = 0;
  if (!parse_options(buf + NS_TCP_HLEN, hlen - NS_TCP_HLEN, &mss, err))
    return FALSE;

  out->sport = ns_load16(buf + OFF_SPORT);
  out->dport = ns_load16(buf + OFF_DPORT);
  out->seq = ns_load32(buf + OFF_SEQ);
  out->ack = ns_load32(buf + OFF_ACK);
  out->hlen = (guint8)hlen;
  out->flags = buf[OFF_FLAGS];
  out->window = ns_load16(buf + OFF_WINDOW);
  out->csum = ns_load16(buf + OFF_CSUM);
  out->urgent = ns_load16(buf + OFF_URGENT);
  out->mss = mss;
  return TRUE;
}

gsize ns_tcp_header_len(const NsTcpHdr *h) {
  return h->mss != 0 ? NS_TCP_HLEN + MSS_OPT_LEN : NS_TCP_HLEN;
}

/* The one's-complement sum of pseudo-header and segment: finished, it is
 * the checksum to send when the checksum field holds 0, and 0 when the
 * field already holds the right value. */
static guint32 segment_sum(const guint8 *buf, gsize seg_len, NsIp4 src,
                           NsIp4 dst) {
  guint32 sum =
      ns_ipv4_pseudo_partial(src, dst, NS_IPPROTO_TCP, (guint16)seg_len);
  return ns_csum_partial(buf, seg_len, sum);
}

gsize ns_tcp_emit(guint8 *buf, NsTcpHdr *h, gsize data_len, NsIp4 src,
                  NsIp4 dst) {
  gsize hlen = ns_tcp_header_len(h);
  /* The pseudo-header carries the segment length in 16 bits. */
  g_return_val_if_fail(data_len <= G_MAXUINT16 - hlen, 0);

  h->hlen = (guint8)hlen;
  ns_store16(buf + OFF_SPORT, h->sport);
  ns_store16(buf + OFF_DPORT, h->dport);
  ns_store32(buf + OFF_SEQ, h->seq);
  ns_store32(buf + OFF_ACK, h->ack);
  buf[OFF_DATA_OFFSET] = (guint8)((hlen / 4) << 4);
  buf[OFF_FLAGS] = h->flags;
  ns_store16(buf + OFF_WINDOW, h->window);
  ns_store16(buf + OFF_CSUM, 0);
  ns_store16(buf + OFF_URGENT, h->urgent);
  if (h->mss != 0) {
    buf[NS_TCP_HLEN] = NS_TCP_OPT_MSS;
    buf[NS_TCP_HLEN + 1] = MSS_OPT_LEN;
    ns_store16(buf + NS_TCP_HLEN + 2, h->mss);
  }

  gsize seg_len = hlen + data_len;
  h->csum = ns_csum_finish(segment_sum(buf, seg_len, src, dst));
  ns_store16(buf + OFF_CSUM, h->csum);
  return seg_len;
}

gboolean ns_tcp_checksum_ok(const guint8 *buf, gsize seg_len, NsIp4 src,
                            NsIp4 dst) {
  /* No IPv4 datagram holds a longer segment; the pseudo-header could not
   * say its length. */
  if (buf == NULL || seg_len > G_MAXUINT16)
    return FALSE;
  return ns_csum_finish(segment_sum(buf, seg_len, src, dst)) == 0;
}

char *ns_tcp_flags_format(guint8 flags, char *buf) {
  /* ACK is left out of the table: it always comes last, as '.'. */
  static const struct {
    guint8 bit;
    char letter;
  } letters[] = {{NS_TCP_FIN, 'F'}, {NS_TCP_SYN, 'S'}, {NS_TCP_RST, 'R'},
                 {NS_TCP_PSH, 'P'}, {NS_TCP_URG, 'U'}, {NS_TCP_ECE, 'E'},
                 {NS_TCP_CWR, 'W'}};
  gsize n = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(letters); i++)
    if (flags & letters[i].bit)
      buf[n++] = letters[i].letter;
  if (flags & NS_TCP_ACK)
    buf[n++] = '.';
  if (n == 0) {
    g_strlcpy(buf, "none", NS_TCP_FLAGS_STRLEN);
    return buf;
  }
  buf[n] = '\0';
  return buf;
}

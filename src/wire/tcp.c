/* tcp.c — TCP header codec: fixed fields, the options we understand, and
 * the checksum over the IPv4 pseudo-header. */
#include "wire/tcp.h"
#include "wire/ipv4.h"

#include <string.h>

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

/* Option lengths, kind and length bytes included. */
#define MSS_OPT_LEN 4
#define WS_OPT_LEN 3
#define SACK_OK_OPT_LEN 2
#define TS_OPT_LEN 10
#define SACK_BLOCK_LEN 8
#define MAX_OPT_SPACE (NS_TCP_MAX_HLEN - NS_TCP_HLEN)

/* What emit() writes for each option, padding included (see tcp.h). */
#define MSS_SPACE 4
#define TS_SPACE 12       /* with SACK-permitted in its two NOPs' place */
#define SACK_OK_SPACE 4   /* alone: two NOPs before it */
#define WS_SPACE 4        /* one NOP before it */
#define SACK_HEAD_SPACE 4 /* two NOPs, kind, length */

_Static_assert(OFF_URGENT + 2 == NS_TCP_HLEN,
               "the TCP header without options is 20 bytes");
_Static_assert(NS_TCP_MAX_HLEN == 15 * 4,
               "the data offset is a 4-bit count of words");
_Static_assert(MSS_SPACE + TS_SPACE + WS_SPACE <= MAX_OPT_SPACE,
               "a SYN's options fit");
_Static_assert(SACK_HEAD_SPACE + NS_TCP_MAX_SACK * SACK_BLOCK_LEN <=
                   MAX_OPT_SPACE,
               "four SACK blocks fit without a timestamp");
_Static_assert(NS_TCP_FLAGS_STRLEN >= 8 + 1,
               "room for a letter per flag bit and the NUL");

/* One option of known kind: checks its length and stores its value. */
static gboolean take_option(const guint8 *o, gsize optlen, NsTcpHdr *h) {
  switch (o[0]) {
  case NS_TCP_OPT_MSS:
    if (optlen != MSS_OPT_LEN)
      return FALSE;
    h->mss = ns_load16(o + 2);
    return TRUE;
  case NS_TCP_OPT_WSCALE:
    if (optlen != WS_OPT_LEN)
      return FALSE;
    h->has_ws = TRUE;
    h->ws_raw = o[2];
    h->ws = MIN(o[2], NS_TCP_MAX_WSCALE);
    return TRUE;
  case NS_TCP_OPT_SACK_OK:
    h->sack_ok = TRUE;
    return optlen == SACK_OK_OPT_LEN;
  case NS_TCP_OPT_TS:
    if (optlen != TS_OPT_LEN)
      return FALSE;
    h->has_ts = TRUE;
    h->tsval = ns_load32(o + 2);
    h->tsecr = ns_load32(o + 6);
    return TRUE;
  case NS_TCP_OPT_SACK: {
    gsize n = (optlen - 2) / SACK_BLOCK_LEN;
    if ((optlen - 2) % SACK_BLOCK_LEN != 0 || n == 0 || n > NS_TCP_MAX_SACK)
      return FALSE;
    h->nsack = (guint8)n;
    for (gsize i = 0; i < n; i++) {
      h->sack[i].left = ns_load32(o + 2 + i * SACK_BLOCK_LEN);
      h->sack[i].right = ns_load32(o + 6 + i * SACK_BLOCK_LEN);
    }
    return TRUE;
  }
  default: /* not ours: skipped by its length */
    return TRUE;
  }
}

/* Walks the options (the n bytes after the fixed header).  The list ends
 * at EOL or at the end of the header, whichever comes first. */
static gboolean parse_options(const guint8 *opt, gsize n, NsTcpHdr *h,
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
    if (optlen < 2 || optlen > n - i || !take_option(opt + i, optlen, h))
      return ns_wire_reject(err, "bad option length");
    i += optlen;
  }
  return TRUE;
}

/* The options of nearly every segment after the handshake: NOP, NOP,
 * timestamps, exactly what emit() writes (Linux's
 * tcp_parse_aligned_timestamp takes the same shortcut).  TRUE when the n
 * option bytes at opt are that and nothing else; the walk would read them
 * the same way. */
static gboolean take_aligned_ts(const guint8 *opt, gsize n, NsTcpHdr *h) {
  if (n != TS_SPACE || opt[0] != NS_TCP_OPT_NOP || opt[1] != NS_TCP_OPT_NOP ||
      opt[2] != NS_TCP_OPT_TS || opt[3] != TS_OPT_LEN)
    return FALSE;
  h->has_ts = TRUE;
  h->tsval = ns_load32(opt + 4);
  h->tsecr = ns_load32(opt + 8);
  return TRUE;
}

gboolean ns_tcp_parse(const guint8 *buf, gsize len, NsTcpHdr *out,
                      const char **err) {
  if (buf == NULL || len < NS_TCP_HLEN)
    return ns_wire_reject(err, "truncated header");
  gsize hlen = (gsize)(buf[OFF_DATA_OFFSET] >> 4) * 4;
  if (hlen < NS_TCP_HLEN || hlen > len)
    return ns_wire_reject(err, "bad data offset");
  /* Filled in place (on failure *out holds whatever was read so far). */
  memset(out, 0, sizeof *out);
  const guint8 *opt = buf + NS_TCP_HLEN;
  gsize n = hlen - NS_TCP_HLEN;
  if (!take_aligned_ts(opt, n, out) && !parse_options(opt, n, out, err))
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
  return TRUE;
}

/* Option bytes for everything but SACK blocks. */
static gsize base_option_space(const NsTcpHdr *h) {
  gsize n = h->mss != 0 ? MSS_SPACE : 0;
  if (h->has_ts)
    n += TS_SPACE;
  else if (h->sack_ok)
    n += SACK_OK_SPACE;
  return n + (h->has_ws ? WS_SPACE : 0);
}

guint ns_tcp_sack_room(const NsTcpHdr *h) {
  gsize left = MAX_OPT_SPACE - base_option_space(h);
  if (left < SACK_HEAD_SPACE + SACK_BLOCK_LEN)
    return 0;
  return (guint)MIN((left - SACK_HEAD_SPACE) / SACK_BLOCK_LEN,
                    (gsize)NS_TCP_MAX_SACK);
}

static guint sack_blocks(const NsTcpHdr *h) {
  return h->nsack == 0 ? 0 : MIN(h->nsack, ns_tcp_sack_room(h));
}

gsize ns_tcp_header_len(const NsTcpHdr *h) {
  guint nsack = sack_blocks(h);
  gsize sack = nsack > 0 ? SACK_HEAD_SPACE + nsack * SACK_BLOCK_LEN : 0;
  return NS_TCP_HLEN + base_option_space(h) + sack;
}

/* Writes the options at o in Linux's order; returns the bytes written. */
static gsize emit_options(guint8 *o, const NsTcpHdr *h) {
  gsize n = 0;
  if (h->mss != 0) {
    o[n] = NS_TCP_OPT_MSS;
    o[n + 1] = MSS_OPT_LEN;
    ns_store16(o + n + 2, h->mss);
    n += MSS_SPACE;
  }
  if (h->has_ts) {
    o[n] = h->sack_ok ? NS_TCP_OPT_SACK_OK : NS_TCP_OPT_NOP;
    o[n + 1] = h->sack_ok ? SACK_OK_OPT_LEN : NS_TCP_OPT_NOP;
    o[n + 2] = NS_TCP_OPT_TS;
    o[n + 3] = TS_OPT_LEN;
    ns_store32(o + n + 4, h->tsval);
    ns_store32(o + n + 8, h->tsecr);
    n += TS_SPACE;
  } else if (h->sack_ok) {
    static const guint8 sack_ok[] = {NS_TCP_OPT_NOP, NS_TCP_OPT_NOP,
                                     NS_TCP_OPT_SACK_OK, SACK_OK_OPT_LEN};
    memcpy(o + n, sack_ok, sizeof sack_ok);
    n += SACK_OK_SPACE;
  }
  if (h->has_ws) {
    o[n] = NS_TCP_OPT_NOP;
    o[n + 1] = NS_TCP_OPT_WSCALE;
    o[n + 2] = WS_OPT_LEN;
    o[n + 3] = MIN(h->ws, NS_TCP_MAX_WSCALE);
    n += WS_SPACE;
  }
  guint nsack = sack_blocks(h);
  if (nsack > 0) {
    o[n] = NS_TCP_OPT_NOP;
    o[n + 1] = NS_TCP_OPT_NOP;
    o[n + 2] = NS_TCP_OPT_SACK;
    o[n + 3] = (guint8)(2 + nsack * SACK_BLOCK_LEN);
    n += SACK_HEAD_SPACE;
    for (guint i = 0; i < nsack; i++, n += SACK_BLOCK_LEN) {
      ns_store32(o + n, h->sack[i].left);
      ns_store32(o + n + 4, h->sack[i].right);
    }
  }
  return n;
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
  gsize written = emit_options(buf + NS_TCP_HLEN, h);
  g_assert(NS_TCP_HLEN + written == hlen);

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

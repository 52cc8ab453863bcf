/* tcp.h — the TCP header (RFC 9293 section 3.1) and its options.
 *
 *   0              16             31
 *   |  source port  |  dest port   |
 *   |       sequence number        |
 *   |    acknowledgement number    |
 *   |off|rsv| flags |    window    |
 *   |   checksum    |urgent pointer|
 *   |    options (off > 5) ...     |
 *   |          data ...            |
 *
 * Data offset (`hlen`) counts 32-bit words, 5..15 (20..60 bytes).  Options
 * understood: End of option list (0), No-operation (1), Maximum segment
 * size (2, length 4), Window scale (3, length 3, RFC 7323 2), SACK
 * permitted (4, length 2, RFC 2018), SACK (5, length 2 + 8n, n = 1..4) and
 * Timestamps (8, length 10, RFC 7323 3).  Any other option is skipped by
 * its length byte; an option whose length is < 2, runs past the header, or
 * is wrong for its kind makes the segment malformed.  A window scale above
 * 14 is taken as 14 (RFC 7323 2.3); ws_raw keeps what was sent.
 *
 * ns_tcp_emit() writes the options the header asks for in the order and
 * padding Linux uses (tcp_options_write), so captures compare byte for
 * byte:
 *   MSS                    02 04 mss
 *   SACK-permitted + TS    04 02 08 0a tsval tsecr      (both)
 *   TS alone               01 01 08 0a tsval tsecr
 *   SACK-permitted alone   01 01 04 02
 *   window scale           01 03 03 shift
 *   SACK blocks            01 01 05 2+8n left right ...
 * Room: 40 option bytes, so at most 3 SACK blocks beside a timestamp, 4
 * without (ns_tcp_sack_room()).  The checksum covers the pseudo-header (src,
 * dst, zero, 6, segment length), the header and the data; it is checked
 * separately so that a stack can count "bad checksum" apart from "malformed".
 *
 * Sequence numbers wrap: compare them with ns_tcp_seq_lt() and friends,
 * never with < on guint32.
 */
#pragma once

#include <glib.h>

#include "core/addr.h"
#include "wire/checksum.h"

G_BEGIN_DECLS

#define NS_TCP_HLEN 20     /* without options */
#define NS_TCP_MAX_HLEN 60 /* data offset is four bits of 32-bit words */

/* Flags, in the 13th byte. */
#define NS_TCP_FIN 0x01
#define NS_TCP_SYN 0x02
#define NS_TCP_RST 0x04
#define NS_TCP_PSH 0x08
#define NS_TCP_ACK 0x10
#define NS_TCP_URG 0x20
#define NS_TCP_ECE 0x40
#define NS_TCP_CWR 0x80

#define NS_TCP_OPT_EOL 0
#define NS_TCP_OPT_NOP 1
#define NS_TCP_OPT_MSS 2
#define NS_TCP_OPT_WSCALE 3
#define NS_TCP_OPT_SACK_OK 4
#define NS_TCP_OPT_SACK 5
#define NS_TCP_OPT_TS 8

#define NS_TCP_MAX_WSCALE 14 /* RFC 7323 2.3 */
#define NS_TCP_MAX_SACK 4    /* blocks in one option (40 bytes of room) */

/* One SACK block: the bytes [left, right) arrived. */
typedef struct {
  guint32 left, right;
} NsTcpSackBlock;

typedef struct {
  guint16 sport;    /* source port */
  guint16 dport;    /* destination port */
  guint32 seq;      /* sequence number */
  guint32 ack;      /* acknowledgement number (meaningful with ACK) */
  guint8 hlen;      /* header bytes including options, 20..60 */
  guint8 flags;     /* NS_TCP_* */
  guint16 window;   /* receive window, bytes (no window scaling) */
  guint16 csum;     /* as on the wire */
  guint16 urgent;   /* urgent pointer (carried, never acted on) */
  guint16 mss;      /* MSS option value; 0 when absent */
  gboolean has_ws;  /* a window scale option */
  guint8 ws;        /* its shift, at most NS_TCP_MAX_WSCALE */
  guint8 ws_raw;    /* the shift as sent (parse only) */
  gboolean sack_ok; /* SACK permitted */
  gboolean has_ts;  /* a timestamps option: tsval, tsecr */
  guint32 tsval, tsecr;
  guint8 nsack; /* SACK blocks in sack[] */
  NsTcpSackBlock sack[NS_TCP_MAX_SACK];
} NsTcpHdr;

/* buf/len: the IP payload (the whole segment).  Checks len >= 20,
 * 20 <= hlen <= len, and the options.  The data is len - hlen bytes at
 * buf + hlen.  On failure *err (if err) is a static reason ("truncated
 * header", "bad data offset", "bad option length") and *out is not to
 * be used. */
gboolean ns_tcp_parse(const guint8 *buf, gsize len, NsTcpHdr *out,
                      const char **err);

/* Header bytes ns_tcp_emit() writes for h: 20 plus its options. */
gsize ns_tcp_header_len(const NsTcpHdr *h);

/* SACK blocks that fit beside the other options h asks for. */
guint ns_tcp_sack_room(const NsTcpHdr *h);

/* Writes the header of *h at buf (with the options its fields ask for:
 * mss != 0, has_ws, sack_ok, has_ts, nsack > 0; nsack beyond the room is
 * cut) and sets h->hlen; the data_len data bytes must already be at buf + hlen
 * (ns_tcp_header_len(h) tells where).  Computes the checksum for src/dst
 * and stores it in buf and h->csum.  Returns hlen + data_len. */
gsize ns_tcp_emit(guint8 *buf, NsTcpHdr *h, gsize data_len, NsIp4 src,
                  NsIp4 dst);

/* TRUE when the segment at buf (seg_len bytes) has a correct checksum for
 * src/dst. */
gboolean ns_tcp_checksum_ok(const guint8 *buf, gsize seg_len, NsIp4 src,
                            NsIp4 dst);

/* Flags in tcpdump's letters: "S", "S.", ".", "P.", "F.", "R", "R." (ACK is
 * '.'; order F S R P U E W then '.'); "none" for no flags.  buf must hold
 * NS_TCP_FLAGS_STRLEN bytes.  Returns buf. */
#define NS_TCP_FLAGS_STRLEN 12
char *ns_tcp_flags_format(guint8 flags, char *buf);

/* Sequence space comparisons (RFC 9293 3.4), modulo 2^32. */
static inline gboolean ns_tcp_seq_lt(guint32 a, guint32 b) {
  return (gint32)(a - b) < 0;
}
static inline gboolean ns_tcp_seq_le(guint32 a, guint32 b) {
  return (gint32)(a - b) <= 0;
}
static inline gboolean ns_tcp_seq_gt(guint32 a, guint32 b) {
  return (gint32)(a - b) > 0;
}
static inline gboolean ns_tcp_seq_ge(guint32 a, guint32 b) {
  return (gint32)(a - b) >= 0;
}

G_END_DECLS

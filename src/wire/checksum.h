/* checksum.h — the Internet checksum (RFC 1071) and big-endian byte access.
 *
 * The checksum is the one's-complement of the one's-complement sum of the
 * data taken as 16-bit big-endian words; an odd trailing byte is padded with
 * a zero on the right.  It is computed in two steps so that callers can sum
 * several pieces (a pseudo-header, then a segment) before finishing:
 *
 *   guint32 s = ns_csum_partial(pseudo, 12, 0);
 *   s = ns_csum_partial(segment, seg_len, s);
 *   ns_store16(segment + 16, ns_csum_finish(s));
 *
 * A partial sum is returned folded to 16 bits, so pieces of any length can
 * be chained without losing a carry.  Only the last piece may have an odd
 * length (an odd piece in the middle would shift every following byte to the
 * wrong half of its word).
 *
 * Verifying: summing data that includes its own, correct checksum field
 * gives ns_csum() == 0.
 *
 * The load/store helpers are the only way codecs touch multi-byte fields:
 * explicit shifts, no casts of a buffer to a wider type, no alignment
 * assumptions, no dependence on host byte order.  This header is the bottom
 * of wire/, so it also holds the one helper every parser shares.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One's-complement running sum of len bytes at data added to sum (any
 * 32-bit value).  The result is folded to 16 bits, so it can be fed back in. */
guint32 ns_csum_partial(const void *data, gsize len, guint32 sum);
/* Folds the carries and complements: the checksum in host order, ready for
 * ns_store16. */
guint16 ns_csum_finish(guint32 sum);
/* ns_csum_finish(ns_csum_partial(data, len, 0)). */
guint16 ns_csum(const void *data, gsize len);

/* A checksum after one field it covers changed from old to new, without
 * summing the data again (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')).  The
 * result equals a full recompute when csum was right.  For NAT and TTL
 * rewrites: a 16-bit field (a port, the TTL/protocol word) or a 32-bit
 * one (an IPv4 address, which is also in the TCP/UDP pseudo-header).  A
 * UDP checksum of 0 ("none") is the caller's to leave alone. */
guint16 ns_csum_adjust16(guint16 csum, guint16 old, guint16 new_value);
guint16 ns_csum_adjust32(guint16 csum, guint32 old, guint32 new_value);

static inline guint16 ns_load16(const guint8 *p) {
  return (guint16)(((guint16)p[0] << 8) | p[1]);
}

static inline void ns_store16(guint8 *p, guint16 v) {
  p[0] = (guint8)(v >> 8);
  p[1] = (guint8)v;
}

static inline guint32 ns_load32(const guint8 *p) {
  return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) |
         (guint32)p[3];
}

static inline void ns_store32(guint8 *p, guint32 v) {
  p[0] = (guint8)(v >> 24);
  p[1] = (guint8)(v >> 16);
  p[2] = (guint8)(v >> 8);
  p[3] = (guint8)v;
}

/* Parsers report failure as a static, lower-case reason ("bad header
 * checksum") that callers may print after "malformed IPv4: ".  err may be
 * NULL.  Always returns FALSE so a parser can `return ns_wire_reject(...)`. */
static inline gboolean ns_wire_reject(const char **err, const char *why) {
  if (err)
    *err = why;
  return FALSE;
}

G_END_DECLS

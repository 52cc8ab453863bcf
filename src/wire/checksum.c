/* checksum.c — RFC 1071 Internet checksum.
 *
 * The sum is taken in the host's byte order, 8 bytes at a time, and
 * swapped to big-endian once at the end.  RFC 1071 2(B): the one's-
 * complement sum is byte-order independent; swapping the bytes of every
 * word swaps the bytes of the sum.  And 2(C): summing 64-bit words with
 * end-around carry, then folding, equals summing 16-bit words, because
 * 2^16 = 1 in one's-complement arithmetic.  Loads go through memcpy, so
 * the buffer may sit at any alignment. */
#include <string.h>

#include "wire/checksum.h"

static guint32 fold(guint32 sum) {
  while (sum >> 16)
    sum = (sum & 0xFFFFu) + (sum >> 16);
  return sum;
}

/* 64 bits of one's-complement sum folded to 16, still in host order. */
static guint16 fold64(guint64 acc) {
  acc = (acc & 0xFFFFFFFFu) + (acc >> 32); /* at most 33 bits */
  acc = (acc & 0xFFFFFFFFu) + (acc >> 32); /* now 32 */
  return (guint16)fold((guint32)acc);
}

static inline guint64 load_native64(const guint8 *p) {
  guint64 v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* acc + v with the carry out of bit 63 added back in (end-around). */
static inline guint64 add_carry(guint64 acc, guint64 v) {
  guint64 s;
  if (__builtin_add_overflow(acc, v, &s))
    s++; /* s < v here, so this cannot overflow again */
  return s;
}

/* The one's-complement sum of data as host-order 16-bit words (an odd
 * last byte padded with a zero after it), folded to 16 bits. */
static inline guint16 native_sum(const guint8 *p, gsize len) {
  guint64 a = 0, b = 0; /* two chains, so the adds can overlap */
  for (; len >= 32; p += 32, len -= 32) {
    a = add_carry(a, load_native64(p));
    b = add_carry(b, load_native64(p + 8));
    a = add_carry(a, load_native64(p + 16));
    b = add_carry(b, load_native64(p + 24));
  }
  for (; len >= 8; p += 8, len -= 8)
    a = add_carry(a, load_native64(p));
  /* The tail, up to 7 bytes, zero-padded into one more word: the pad
   * bytes add nothing wherever they sit. */
  guint8 tail[8] = {0};
  gsize at = 0; /* fixed-size copies: a move each, no memcpy call */
  if (len & 4) {
    memcpy(tail, p, 4);
    at = 4;
  }
  if (len & 2) {
    memcpy(tail + at, p + at, 2);
    at += 2;
  }
  if (len & 1)
    tail[at] = p[at];
  a = add_carry(a, load_native64(tail));
  return fold64(add_carry(a, b));
}

guint32 ns_csum_partial(const void *data, gsize len, guint32 sum) {
  /* sum is big-endian arithmetic; data is summed in host order. */
  guint16 native = GUINT16_TO_BE((guint16)fold(sum));
  guint32 total = (guint32)native + native_sum(data, len);
  return GUINT16_FROM_BE((guint16)fold(total));
}

guint16 ns_csum_finish(guint32 sum) { return (guint16)~fold(sum); }

guint16 ns_csum(const void *data, gsize len) {
  /* ns_csum_partial with sum 0, without folding and swapping the zero. */
  return (guint16)~GUINT16_FROM_BE(native_sum(data, len));
}

guint16 ns_csum_adjust16(guint16 csum, guint16 old, guint16 new_value) {
  return ns_csum_finish((guint32)(guint16)~csum + (guint16)~old + new_value);
}

guint16 ns_csum_adjust32(guint16 csum, guint32 old, guint32 new_value) {
  guint32 sum = (guint32)(guint16)~csum;
  sum += (guint16) ~(old >> 16);
  sum += (guint16)~old;
  sum += new_value >> 16;
  sum += new_value & 0xFFFFu;
  return ns_csum_finish(sum);
}

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

/* 32 bits folded to 16: twice is always enough (the first leaves at most
 * 0x1fffe, the second at most 0xffff). */
static guint32 fold(guint32 sum) {
  sum = (sum & 0xFFFFu) + (sum >> 16);
  return (sum & 0xFFFFu) + (sum >> 16);
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

#if defined(__x86_64__) && defined(__GNUC__)
/* x86-64: 64 bytes per round on the processor's carry chain, as Linux's
 * csum_partial does: each adc adds the carry out of the add before it, so
 * eight words cost eight instructions, not sixteen.  The carry out of the
 * last one goes back in once and cannot carry again: a sum that carries
 * out is at most 2^64 - 2 unless both terms and the carry in were all
 * ones, which needs a carry out of the same kind before it, and the chain
 * starts with a plain add. */
static gsize sum_blocks64(const guint8 *p, gsize len, guint64 *acc) {
  gsize done = 0;
  for (; len - done >= 64; done += 64) {
    const guint8 *q = p + done;
    __asm__("addq 0(%[q]), %[a]\n\t"
            "adcq 8(%[q]), %[a]\n\t"
            "adcq 16(%[q]), %[a]\n\t"
            "adcq 24(%[q]), %[a]\n\t"
            "adcq 32(%[q]), %[a]\n\t"
            "adcq 40(%[q]), %[a]\n\t"
            "adcq 48(%[q]), %[a]\n\t"
            "adcq 56(%[q]), %[a]\n\t"
            "adcq $0, %[a]"
            : [a] "+r"(*acc)
            : [q] "r"(q), "m"(*(const guint8(*)[64])q)
            : "cc");
  }
  return done;
}
#else
static gsize sum_blocks64(const guint8 *p, gsize len, guint64 *acc) {
  (void)p, (void)len, (void)acc;
  return 0; /* the portable loops below take everything */
}
#endif

/* n bytes (4, 2 or 1) of the tail as a number when that many are left
 * (else 0), the rest of the 32 bits zero: at any place in it they are
 * whole 16-bit words at an even offset, or an odd last byte as the first
 * of a word whose second is zero, on either byte order (2^16 = 1). */
static inline guint32 take_tail(const guint8 **p, gsize *len, gsize n) {
  if (*len < n)
    return 0;
  guint32 v = 0;
  memcpy(&v, *p, n);
  *p += n;
  *len -= n;
  return v;
}

/* The one's-complement sum of data as host-order 16-bit words (an odd
 * last byte padded with a zero after it), folded to 16 bits. */
static inline guint16 native_sum(const guint8 *p, gsize len) {
  guint64 a = 0, b = 0; /* two chains, so the adds can overlap */
  gsize done = sum_blocks64(p, len, &a);
  p += done;
  len -= done;
  for (; len >= 32; p += 32, len -= 32) {
    a = add_carry(a, load_native64(p));
    b = add_carry(b, load_native64(p + 8));
    a = add_carry(a, load_native64(p + 16));
    b = add_carry(b, load_native64(p + 24));
  }
  for (; len >= 8; p += 8, len -= 8)
    a = add_carry(a, load_native64(p));
  /* The tail, up to 7 bytes, from an even offset: fixed-size loads, no
   * copy into a padded word. */
  guint64 t = take_tail(&p, &len, 4);
  t += take_tail(&p, &len, 2);
  t += take_tail(&p, &len, 1);
  return fold64(add_carry(add_carry(a, t), b));
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

/* checksum.c — RFC 1071 Internet checksum. */
#include "wire/checksum.h"

static guint32 fold(guint32 sum) {
  while (sum >> 16)
    sum = (sum & 0xFFFFu) + (sum >> 16);
  return sum;
}

guint32 ns_csum_partial(const void *data, gsize len, guint32 sum) {
  const guint8 *p = data;
  /* Accumulate in 64 bits so no carry is lost however long the buffer. */
  guint64 acc = sum;
  gsize i = 0;

  /* 32-bit words: 2^16 = 1 in one's-complement arithmetic, so summing
   * big-endian 32-bit words and folding equals summing 16-bit words. */
  for (; i + 16 <= len; i += 16)
    acc += (guint64)ns_load32(p + i) + ns_load32(p + i + 4) +
           ns_load32(p + i + 8) + ns_load32(p + i + 12);
  for (; i + 4 <= len; i += 4)
    acc += ns_load32(p + i);
  for (; i + 1 < len; i += 2)
    acc += ns_load16(p + i);
  if (i < len)
    acc += (guint32)p[i] << 8; /* odd byte, zero pad on the right */
  while (acc >> 32)
    acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
  return fold((guint32)acc);
}

guint16 ns_csum_finish(guint32 sum) { return (guint16)~fold(sum); }

guint16 ns_csum(const void *data, gsize len) {
  return ns_csum_finish(ns_csum_partial(data, len, 0));
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

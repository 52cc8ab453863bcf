/* ring.c — a fixed-capacity byte queue. */
#include "core/ring.h"

#include <string.h>

void ns_ring_init(NsRing *r, gsize cap) {
  g_return_if_fail(cap > 0);
  r->buf = g_malloc(cap);
  r->cap = cap;
  r->head = 0;
  r->len = 0;
}

void ns_ring_clear(NsRing *r) {
  g_free(r->buf);
  r->buf = NULL;
  r->cap = r->head = r->len = 0;
}

gsize ns_ring_push(NsRing *r, const guint8 *data, gsize n) {
  n = MIN(n, ns_ring_space(r));
  gsize tail = (r->head + r->len) % r->cap;
  gsize first = MIN(n, r->cap - tail);
  memcpy(r->buf + tail, data, first);
  memcpy(r->buf, data + first, n - first);
  r->len += n;
  return n;
}

void ns_ring_peek(const NsRing *r, gsize off, guint8 *dst, gsize n) {
  g_return_if_fail(off <= r->len && n <= r->len - off);
  gsize start = (r->head + off) % r->cap;
  gsize first = MIN(n, r->cap - start);
  memcpy(dst, r->buf + start, first);
  memcpy(dst + first, r->buf, n - first);
}

gsize ns_ring_pop(NsRing *r, guint8 *dst, gsize n) {
  n = MIN(n, r->len);
  if (dst != NULL)
    ns_ring_peek(r, 0, dst, n);
  r->head = (r->head + n) % r->cap;
  r->len -= n;
  if (r->len == 0)
    r->head = 0;
  return n;
}

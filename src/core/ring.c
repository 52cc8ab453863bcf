/* ring.c — a bounded byte queue with storage allocated on demand. */
#include "core/ring.h"

#include <string.h>

#define RING_MIN_ALLOC 4096

void ns_ring_init(NsRing *r, gsize cap) {
  g_return_if_fail(cap > 0);
  r->buf = NULL;
  r->alloc = 0;
  r->cap = cap;
  r->head = 0;
  r->len = 0;
}

void ns_ring_clear(NsRing *r) {
  g_free(r->buf);
  r->buf = NULL;
  r->alloc = r->cap = r->head = r->len = 0;
}

void ns_ring_set_cap(NsRing *r, gsize cap) { r->cap = cap; }

/* Room for need bytes in all: a larger block.  Doubling, but not much
 * beyond the bound: up to a quarter more, so that a bound raised a few
 * bytes at a time (TCP's window rounding) does not copy the whole buffer
 * at each step.  The block is reallocated (a large one moves by page
 * mapping, not by copying), then only the part that wrapped moves: the
 * head's run to the new end, or the wrapped start to just after the old
 * end, whichever is shorter. */
static void grow(NsRing *r, gsize need) {
  gsize size = MAX(r->alloc, RING_MIN_ALLOC);
  while (size < need)
    size *= 2;
  size = MIN(size, MAX(r->cap + r->cap / 4, need));
  gsize old = r->alloc;
  r->buf = g_realloc(r->buf, size);
  r->alloc = size;
  if (r->head + r->len <= old)
    return;                     /* one run, still in place */
  gsize top = old - r->head;    /* [head, old) */
  gsize wrapped = r->len - top; /* [0, wrapped) */
  if (wrapped <= size - old) {
    memcpy(r->buf + old, r->buf, wrapped);
  } else {
    /* size - top >= len > wrapped: the moved run clears the start. */
    memmove(r->buf + size - top, r->buf + r->head, top);
    r->head = size - top;
  }
}

gsize ns_ring_push(NsRing *r, const guint8 *data, gsize n) {
  n = MIN(n, ns_ring_space(r));
  if (n == 0)
    return 0;
  if (r->len + n > r->alloc)
    grow(r, r->len + n);
  gsize tail = (r->head + r->len) % r->alloc;
  gsize first = MIN(n, r->alloc - tail);
  memcpy(r->buf + tail, data, first);
  memcpy(r->buf, data + first, n - first);
  r->len += n;
  return n;
}

void ns_ring_peek(const NsRing *r, gsize off, guint8 *dst, gsize n) {
  g_return_if_fail(off <= r->len && n <= r->len - off);
  if (n == 0)
    return;
  gsize start = (r->head + off) % r->alloc;
  gsize first = MIN(n, r->alloc - start);
  memcpy(dst, r->buf + start, first);
  memcpy(dst + first, r->buf, n - first);
}

gsize ns_ring_pop(NsRing *r, guint8 *dst, gsize n) {
  n = MIN(n, r->len);
  if (n == 0)
    return 0;
  if (dst != NULL)
    ns_ring_peek(r, 0, dst, n);
  r->head = (r->head + n) % r->alloc;
  r->len -= n;
  if (r->len == 0)
    r->head = 0;
  return n;
}

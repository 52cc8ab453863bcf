/* ring.h — a bounded byte queue (TCP send and receive buffers).
 *
 * Bytes go in at the tail and come out at the head.  `cap` is the bound:
 * pushing more than cap - len bytes takes only what fits (the caller
 * learns how much).  The storage is one block used circularly, allocated
 * on demand: nothing at init, then grown (doubling, never beyond 5/4 of
 * cap) when a push needs room, so a network of thousands of idle connections
 * costs no buffer memory and a connection whose buffer may grow to megabytes
 * (TCP autotuning raises cap) holds only what it ever held at once.  The
 * storage never shrinks until ns_ring_clear.  A connection moving
 * megabytes through a buffer of stable size allocates nothing per segment.
 * Bytes can be copied out from any offset without being consumed
 * (retransmission reads what is still unacknowledged).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint8 *buf; /* alloc bytes, owned; NULL until the first push */
  gsize alloc; /* bytes allocated, <= 5/4 cap (of the cap when it grew) */
  gsize cap;   /* the bound on len */
  gsize head;  /* index of the oldest byte in buf */
  gsize len;   /* bytes stored */
} NsRing;

/* An empty ring bounded by cap (> 0); allocates nothing yet. */
void ns_ring_init(NsRing *r, gsize cap);
void ns_ring_clear(NsRing *r); /* frees the storage */
static inline gsize ns_ring_len(const NsRing *r) { return r->len; }
static inline gsize ns_ring_cap(const NsRing *r) { return r->cap; }
static inline gsize ns_ring_space(const NsRing *r) {
  return r->cap > r->len ? r->cap - r->len : 0;
}
/* A new bound (autotuning).  Lowering it below len keeps the bytes: space
 * is 0 until enough are popped.  Allocates nothing. */
void ns_ring_set_cap(NsRing *r, gsize cap);

/* Appends up to n bytes; returns how many were taken. */
gsize ns_ring_push(NsRing *r, const guint8 *data, gsize n);
/* Copies n bytes starting off bytes after the head into dst;
 * off + n <= len. */
void ns_ring_peek(const NsRing *r, gsize off, guint8 *dst, gsize n);
/* Removes up to n bytes from the head, copying them to dst unless it is
 * NULL; returns how many. */
gsize ns_ring_pop(NsRing *r, guint8 *dst, gsize n);

G_END_DECLS

/* ring.h — a fixed-capacity byte queue (TCP send and receive buffers).
 *
 * Bytes go in at the tail and come out at the head; the storage is one
 * block of `cap` bytes allocated at init and used circularly, so a
 * connection moving megabytes allocates nothing per segment.  Pushing more
 * than fits takes only what fits (the caller learns how much).  Bytes can
 * be copied out from any offset without being consumed (retransmission
 * reads what is still unacknowledged).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint8 *buf; /* cap bytes, owned */
  gsize cap;   /* capacity */
  gsize head;  /* index of the oldest byte */
  gsize len;   /* bytes stored */
} NsRing;

void ns_ring_init(NsRing *r, gsize cap);
void ns_ring_clear(NsRing *r); /* frees the storage */
static inline gsize ns_ring_len(const NsRing *r) { return r->len; }
static inline gsize ns_ring_space(const NsRing *r) { return r->cap - r->len; }

/* Appends up to n bytes; returns how many were taken. */
gsize ns_ring_push(NsRing *r, const guint8 *data, gsize n);
/* Copies n bytes starting off bytes after the head into dst;
 * off + n <= len. */
void ns_ring_peek(const NsRing *r, gsize off, guint8 *dst, gsize n);
/* Removes up to n bytes from the head, copying them to dst unless it is
 * NULL; returns how many. */
gsize ns_ring_pop(NsRing *r, guint8 *dst, gsize n);

G_END_DECLS

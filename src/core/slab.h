/* slab.h — memory for a network's many small objects.
 *
 * malloc puts a header before every block and rounds the block up to 16
 * bytes (32 at least).  A network of 100,000 hosts has a dozen small
 * objects a host (the IP node, its interface, its arrays, the switch port,
 * the link, its rings, a ping), and those headers and roundings were about
 * a tenth of its memory.
 *
 * An NsSlab hands out blocks rounded up to 8 bytes, cut one after the other
 * from 64 KiB chunks, with no header: the caller says the size again when
 * it gives a block back.  A block given back goes on the free list of its
 * size, for the next block of that size; chunks go back to malloc only
 * with the slab.  Blocks over NS_SLAB_MAX bytes are malloc's.
 *
 * Every call takes a slab that may be NULL: then each block is malloc's
 * (tests that make a device without a network).  Built with
 * AddressSanitizer, every block is malloc's too, so that overflows and
 * uses after free are still caught.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_SLAB_MAX 512

typedef struct NsSlab NsSlab;

NsSlab *ns_slab_new(void);
/* Frees every chunk: blocks still out are gone with them. */
void ns_slab_free(NsSlab *s);

/* A zeroed block of size bytes (size > 0). */
gpointer ns_slab_alloc0(NsSlab *s, gsize size);
/* Gives back p (NULL: nothing), allocated with size bytes. */
void ns_slab_release(NsSlab *s, gpointer p, gsize size);
/* p (of old bytes, or NULL with old 0) as a block of size bytes: the first
 * MIN(old, size) bytes kept, the rest zeroed. */
gpointer ns_slab_resize(NsSlab *s, gpointer p, gsize old, gsize size);

/* Bytes in chunks, and in blocks given out and not given back (both 0
 * under AddressSanitizer and for a NULL slab). */
gsize ns_slab_chunk_bytes(const NsSlab *s);
gsize ns_slab_used_bytes(const NsSlab *s);

G_END_DECLS

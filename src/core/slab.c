/* slab.c — see slab.h.
 *
 * Size classes are multiples of 8 up to NS_SLAB_MAX; class c holds blocks
 * of 8 * (c + 1) bytes.  One bump pointer serves every class: a chunk
 * holds blocks of all sizes, in the order they were asked for, which is
 * also the order a network is built in (a host's node, its interface, its
 * port and its link end up near each other).  A free block keeps the next
 * free block of its class in its first 8 bytes.
 */
#include "core/slab.h"

#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_PASSTHROUGH 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_PASSTHROUGH 1
#endif
#endif
#ifndef SLAB_PASSTHROUGH
#define SLAB_PASSTHROUGH 0
#endif

#define SLAB_ALIGN 8
#define SLAB_CLASSES (NS_SLAB_MAX / SLAB_ALIGN)
#define SLAB_CHUNK (64 * 1024)

typedef struct FreeBlock FreeBlock;
struct FreeBlock {
  FreeBlock *next;
};

struct NsSlab {
  GPtrArray *chunks; /* of g_malloc'd SLAB_CHUNK bytes */
  guint8 *bump;      /* next unused byte of the newest chunk */
  guint8 *end;       /* its end */
  FreeBlock *free[SLAB_CLASSES];
  gsize used; /* bytes in blocks given out */
};

NsSlab *ns_slab_new(void) {
  NsSlab *s = g_new0(NsSlab, 1);
  s->chunks = g_ptr_array_new_with_free_func(g_free);
  return s;
}

void ns_slab_free(NsSlab *s) {
  if (s == NULL)
    return;
  g_ptr_array_free(s->chunks, TRUE);
  g_free(s);
}

static inline gboolean slab_takes(const NsSlab *s, gsize size) {
  return !SLAB_PASSTHROUGH && s != NULL && size <= NS_SLAB_MAX;
}

static inline guint class_of(gsize size) {
  return (guint)((size + SLAB_ALIGN - 1) / SLAB_ALIGN) - 1;
}

static G_GNUC_NO_INLINE void new_chunk(NsSlab *s) {
  /* What is left of the old chunk is too small for this block: it goes
   * unused (at most NS_SLAB_MAX bytes of 64 KiB). */
  guint8 *c = g_malloc(SLAB_CHUNK);
  g_ptr_array_add(s->chunks, c);
  s->bump = c;
  s->end = c + SLAB_CHUNK;
}

gpointer ns_slab_alloc0(NsSlab *s, gsize size) {
  g_return_val_if_fail(size > 0, NULL);
  if (!slab_takes(s, size))
    return g_malloc0(size);
  guint c = class_of(size);
  gsize bytes = (gsize)(c + 1) * SLAB_ALIGN;
  s->used += bytes;
  FreeBlock *b = s->free[c];
  if (b != NULL) {
    s->free[c] = b->next;
    return memset(b, 0, bytes);
  }
  if ((gsize)(s->end - s->bump) < bytes)
    new_chunk(s);
  gpointer p = s->bump;
  s->bump += bytes;
  return memset(p, 0, bytes);
}

void ns_slab_release(NsSlab *s, gpointer p, gsize size) {
  if (p == NULL)
    return;
  if (!slab_takes(s, size)) {
    g_free(p);
    return;
  }
  guint c = class_of(size);
  s->used -= (gsize)(c + 1) * SLAB_ALIGN;
  FreeBlock *b = p;
  b->next = s->free[c];
  s->free[c] = b;
}

gpointer ns_slab_resize(NsSlab *s, gpointer p, gsize old, gsize size) {
  g_return_val_if_fail(size > 0, p);
  if (!slab_takes(s, old) && !slab_takes(s, size) && p != NULL) {
    /* malloc's before and after: let it grow in place */
    guint8 *q = g_realloc(p, size);
    if (size > old)
      memset(q + old, 0, size - old);
    return q;
  }
  if (p != NULL && slab_takes(s, old) && slab_takes(s, size) &&
      class_of(old) == class_of(size)) {
    if (size < old)
      memset((guint8 *)p + size, 0, old - size);
    return p; /* the same block fits */
  }
  gpointer q = ns_slab_alloc0(s, size);
  if (p != NULL)
    memcpy(q, p, MIN(old, size));
  ns_slab_release(s, p, old);
  return q;
}

gsize ns_slab_chunk_bytes(const NsSlab *s) {
  return s != NULL ? (gsize)s->chunks->len * SLAB_CHUNK : 0;
}

gsize ns_slab_used_bytes(const NsSlab *s) { return s != NULL ? s->used : 0; }

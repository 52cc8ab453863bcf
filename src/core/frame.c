/* frame.c — refcounted frame buffers, recycled.
 *
 * Buffers come in two sizes: SMALL_CAP bytes (ARP, ping, TCP ACKs) and
 * NS_FRAME_MAX.  A freed buffer goes on its size's free list, up to
 * POOL_MAX of each, and the next frame of that size takes it back: a
 * steady flow of frames (every hop of a ping makes and frees one) costs
 * no malloc and no free.  The lists are a cache of memory, like malloc's
 * own, not state any frame depends on.  Builds with AddressSanitizer skip
 * them, so that a frame used after its last unref is still reported.
 */
#include "core/frame.h"

#include <string.h>

#define SMALL_CAP 128
#define POOL_MAX 256

#if defined(__SANITIZE_ADDRESS__)
#define USE_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define USE_POOL 0
#endif
#endif
#ifndef USE_POOL
#define USE_POOL 1
#endif

/* Process-wide statistics and spare buffers only: no frame state lives
 * here.  Frames are single-threaded (frame.h). */
static gint64 live_frames;
static guint64 copied_frames;

typedef struct {
  NsFrame *spare[POOL_MAX]; /* freed buffers of this capacity */
  guint n;
} Pool;

static Pool pools[2]; /* [0]: SMALL_CAP, [1]: NS_FRAME_MAX */

static inline Pool *pool_for(gsize cap) {
  return &pools[cap == SMALL_CAP ? 0 : 1];
}

static NsFrame *buffer_new(gsize cap) {
  Pool *p = pool_for(cap);
  if (USE_POOL && p->n > 0)
    return p->spare[--p->n];
  return g_malloc(sizeof(NsFrame) + cap);
}

static void buffer_free(NsFrame *f) {
  Pool *p = pool_for(f->cap);
  if (USE_POOL && p->n < POOL_MAX)
    p->spare[p->n++] = f;
  else
    g_free(f);
}

/* A frame of len bytes, not yet written.  Bytes past len are never read
 * before ns_frame_set_len zeroes them, so only [0, len) needs filling. */
static NsFrame *frame_alloc(gsize len, guint64 id) {
  /* Small frames are common (ARP, ping): one capacity covers them, so
   * padding to the Ethernet minimum never needs a reallocation. */
  gsize cap = len <= SMALL_CAP ? SMALL_CAP : NS_FRAME_MAX;
  NsFrame *f = buffer_new(cap);
  f->refs = 1;
  f->csum_ok = FALSE;
  f->id = id;
  f->len = (guint16)len;
  f->cap = (guint16)cap;
  live_frames++;
  return f;
}

NsFrame *ns_frame_new(gsize len, guint64 id) {
  g_return_val_if_fail(len <= NS_FRAME_MAX, NULL);
  NsFrame *f = frame_alloc(len, id);
  memset(f->data, 0, len);
  return f;
}

NsFrame *ns_frame_new_unfilled(gsize len, guint64 id) {
  g_return_val_if_fail(len <= NS_FRAME_MAX, NULL);
  NsFrame *f = frame_alloc(len, id);
  if (!USE_POOL)
    memset(f->data, 0xbe, len);
  return f;
}

NsFrame *ns_frame_new_from(const guint8 *bytes, gsize len, guint64 id) {
  g_return_val_if_fail(len <= NS_FRAME_MAX, NULL);
  NsFrame *f = frame_alloc(len, id);
  if (len > 0)
    memcpy(f->data, bytes, len);
  return f;
}

NsFrame *ns_frame_ref(NsFrame *f) {
  g_return_val_if_fail(f != NULL && f->refs > 0, NULL);
  f->refs++;
  return f;
}

void ns_frame_unref(NsFrame *f) {
  if (f == NULL)
    return;
  g_return_if_fail(f->refs > 0);
  if (--f->refs == 0) {
    live_frames--;
    buffer_free(f);
  }
}

NsFrame *ns_frame_make_writable(NsFrame *f) {
  g_return_val_if_fail(f != NULL, NULL);
  if (f->refs == 1)
    return f;
  NsFrame *copy = ns_frame_new_from(f->data, f->len, f->id);
  copy->csum_ok = f->csum_ok; /* the same bytes */
  copied_frames++;
  ns_frame_unref(f);
  return copy;
}

void ns_frame_set_len(NsFrame *f, gsize len) {
  g_return_if_fail(f != NULL && len <= f->cap);
  if (len > f->len)
    memset(f->data + f->len, 0, len - f->len);
  f->len = (guint16)len;
}

gint64 ns_frame_live_count(void) { return live_frames; }
guint64 ns_frame_copy_count(void) { return copied_frames; }

/* frame.c — refcounted frame buffers. */
#include "core/frame.h"

#include <string.h>

/* Process-wide statistics only: no frame state lives here. */
static gint64 live_frames;
static guint64 copied_frames;

NsFrame *ns_frame_new(gsize len, guint64 id) {
  g_return_val_if_fail(len <= NS_FRAME_MAX, NULL);
  /* Small frames are common (ARP, ping): round the capacity up to the
   * Ethernet minimum so padding never needs a reallocation. */
  gsize cap = MAX(len, 64);
  NsFrame *f = g_malloc(sizeof(NsFrame) + cap);
  f->refs = 1;
  f->csum_ok = FALSE;
  f->id = id;
  f->len = (guint16)len;
  f->cap = (guint16)cap;
  memset(f->data, 0, cap);
  live_frames++;
  return f;
}

NsFrame *ns_frame_new_from(const guint8 *bytes, gsize len, guint64 id) {
  NsFrame *f = ns_frame_new(len, id);
  if (f != NULL && len > 0)
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
    g_free(f);
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

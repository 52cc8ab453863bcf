/* pcapng.c — the pcapng writer (see pcapng.h). */
#include "trace/pcapng.h"

#include <errno.h>
#include <string.h>

#include "core/frame.h"

struct NsPcapng {
  FILE *fp;        /* borrowed */
  GByteArray *buf; /* the block being built, reused */
  guint32 n_ifs;   /* interfaces added */
  int err;         /* first errno of a failed write, 0 if none */
};

static void put_u16(GByteArray *b, guint16 v) {
  g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

static void put_u32(GByteArray *b, guint32 v) {
  g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

/* Appends len bytes, then zeros up to the next multiple of 4. */
static void put_padded(GByteArray *b, const void *data, gsize len) {
  static const guint8 zeros[4] = {0};
  g_byte_array_append(b, data, (guint)len);
  g_byte_array_append(b, zeros, (guint)((4 - len % 4) % 4));
}

static void put_option(GByteArray *b, guint16 code, const void *v, gsize len) {
  put_u16(b, code);
  put_u16(b, (guint16)len);
  put_padded(b, v, len);
}

static void put_end_of_options(GByteArray *b) {
  put_u16(b, NS_PCAPNG_OPT_END);
  put_u16(b, 0);
}

/* Starts a block of type: its type and a length filled in by end_block. */
static void begin_block(NsPcapng *w, guint32 type) {
  g_byte_array_set_size(w->buf, 0);
  put_u32(w->buf, type);
  put_u32(w->buf, 0);
}

/* Sets the total length at both ends and writes the block. */
static void end_block(NsPcapng *w) {
  guint32 total = w->buf->len + 4;
  memcpy(w->buf->data + 4, &total, sizeof total);
  put_u32(w->buf, total);
  if (fwrite(w->buf->data, 1, w->buf->len, w->fp) != w->buf->len && w->err == 0)
    w->err = errno != 0 ? errno : EIO;
}

NsPcapng *ns_pcapng_new(FILE *fp) {
  NsPcapng *w = g_new0(NsPcapng, 1);
  w->fp = fp;
  w->buf = g_byte_array_sized_new(NS_FRAME_MAX + 64);
  begin_block(w, NS_PCAPNG_SHB);
  put_u32(w->buf, NS_PCAPNG_MAGIC);
  put_u16(w->buf, 1);           /* major version */
  put_u16(w->buf, 0);           /* minor version */
  put_u32(w->buf, 0xFFFFFFFFu); /* section length -1: not given */
  put_u32(w->buf, 0xFFFFFFFFu);
  static const char appl[] = "netsim " PACKAGE_VERSION;
  put_option(w->buf, NS_PCAPNG_OPT_SHB_USERAPPL, appl, strlen(appl));
  put_end_of_options(w->buf);
  end_block(w);
  return w;
}

guint32 ns_pcapng_add_interface(NsPcapng *w, const char *name) {
  begin_block(w, NS_PCAPNG_IDB);
  put_u16(w->buf, NS_PCAPNG_LINKTYPE_ETHERNET);
  put_u16(w->buf, 0);     /* reserved */
  put_u32(w->buf, 65535); /* snaplen */
  put_option(w->buf, NS_PCAPNG_OPT_IF_NAME, name, strlen(name));
  static const guint8 nanoseconds = 9; /* 10^-9 s */
  put_option(w->buf, NS_PCAPNG_OPT_IF_TSRESOL, &nanoseconds, 1);
  put_end_of_options(w->buf);
  end_block(w);
  return w->n_ifs++;
}

void ns_pcapng_write(NsPcapng *w, guint32 ifid, NsTime ts, const guint8 *data,
                     gsize len) {
  g_assert(ifid < w->n_ifs);
  begin_block(w, NS_PCAPNG_EPB);
  put_u32(w->buf, ifid);
  put_u32(w->buf, (guint32)(ts >> 32));
  put_u32(w->buf, (guint32)ts);
  put_u32(w->buf, (guint32)len); /* captured */
  put_u32(w->buf, (guint32)len); /* on the wire (no FCS either way) */
  put_padded(w->buf, data, len);
  end_block(w);
}

gboolean ns_pcapng_finish(NsPcapng *w, GError **error) {
  if (fflush(w->fp) != 0 && w->err == 0)
    w->err = errno != 0 ? errno : EIO;
  int err = w->err;
  g_byte_array_unref(w->buf);
  g_free(w);
  if (err != 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_IO, "%s", g_strerror(err));
    return FALSE;
  }
  return TRUE;
}

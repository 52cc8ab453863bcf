/* capture.c — --pcap and --pcapng (see capture.h). */
#include "trace/capture.h"
#include "core/i18n.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include "trace/pcapng.h"

/* One link's tap: where its frames go. */
typedef struct {
  NsCapture *cap;
  NsLink *link;
  NsLinkTap *tap;
  pcap_dumper_t *dumper; /* --pcap, or NULL */
  guint32 ifid;          /* --pcapng interface */
} LinkCapture;

struct NsCapture {
  pcap_t *dead;     /* libpcap's handle for dumping (no live capture) */
  FILE *pcapng_fp;  /* --pcapng, or NULL */
  NsPcapng *pcapng; /* writer on pcapng_fp */
  GArray *links;    /* LinkCapture, one per link */
};

static void on_frame(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)link;
  (void)side;
  LinkCapture *lc = data;
  if (lc->dumper != NULL) {
    struct pcap_pkthdr h = {
        .ts = {.tv_sec = (time_t)(now / NS_SEC),
               .tv_usec = (suseconds_t)(now % NS_SEC)}, /* ns: see open */
        .caplen = frame->len,
        .len = frame->len,
    };
    pcap_dump((u_char *)lc->dumper, &h, frame->data);
  }
  if (lc->cap->pcapng != NULL)
    ns_pcapng_write(lc->cap->pcapng, lc->ifid, now, frame->data, frame->len);
}

char *ns_capture_pcap_name(const char *a, const char *b) {
  char *name = g_strdup_printf("%s--%s.pcap", a, b);
  gsize stem = strlen(name) - strlen(".pcap");
  for (gsize i = 0; i < stem; i++) {
    if (name[i] == ':')
      name[i] = '-';
    else if (!g_ascii_isalnum(name[i]) && strchr("._-", name[i]) == NULL)
      name[i] = '_';
  }
  return name;
}

static gboolean open_pcap_file(NsCapture *cap, LinkCapture *lc, const char *dir,
                               const NsNetLink *l, GError **error) {
  g_autofree char *name = ns_capture_pcap_name(l->a_label, l->b_label);
  g_autofree char *path = g_build_filename(dir, name, NULL);
  lc->dumper = pcap_dump_open(cap->dead, path);
  if (lc->dumper == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_IO,
                _("--pcap: cannot write '%s': %s"), path,
                pcap_geterr(cap->dead));
    return FALSE;
  }
  return TRUE;
}

static gboolean open_outputs(NsCapture *cap, NsNet *net, const char *pcap_dir,
                             const char *pcapng_path, GError **error) {
  if (pcap_dir != NULL) {
    if (g_mkdir_with_parents(pcap_dir, 0777) != 0) {
      g_set_error(error, NS_ERROR, NS_ERROR_IO,
                  _("--pcap: cannot create directory '%s': %s"), pcap_dir,
                  g_strerror(errno));
      return FALSE;
    }
    cap->dead = pcap_open_dead_with_tstamp_precision(
        DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
  }
  if (pcapng_path != NULL) {
    cap->pcapng_fp = fopen(pcapng_path, "wb");
    if (cap->pcapng_fp == NULL) {
      g_set_error(error, NS_ERROR, NS_ERROR_IO,
                  _("--pcapng: cannot write '%s': %s"), pcapng_path,
                  g_strerror(errno));
      return FALSE;
    }
    cap->pcapng = ns_pcapng_new(cap->pcapng_fp);
  }
  for (guint i = 0; i < ns_net_n_links(net); i++) {
    NsNetLink *l = ns_net_link(net, i);
    LinkCapture *lc = &g_array_index(cap->links, LinkCapture, i);
    lc->cap = cap;
    lc->link = l->link;
    if (cap->dead != NULL && !open_pcap_file(cap, lc, pcap_dir, l, error))
      return FALSE;
    if (cap->pcapng != NULL) {
      g_autofree char *ifname =
          g_strdup_printf("%s--%s", l->a_label, l->b_label);
      lc->ifid = ns_pcapng_add_interface(cap->pcapng, ifname);
    }
  }
  return TRUE;
}

NsCapture *ns_capture_open(NsNet *net, const char *pcap_dir,
                           const char *pcapng_path, GError **error) {
  NsCapture *cap = g_new0(NsCapture, 1);
  cap->links = g_array_new(FALSE, TRUE, sizeof(LinkCapture));
  g_array_set_size(cap->links, ns_net_n_links(net));
  if (!open_outputs(cap, net, pcap_dir, pcapng_path, error)) {
    ns_capture_close(cap, NULL);
    return NULL;
  }
  /* Taps only now: the array no longer moves. */
  for (guint i = 0; i < cap->links->len; i++) {
    LinkCapture *lc = &g_array_index(cap->links, LinkCapture, i);
    lc->tap = ns_link_add_tap(lc->link, on_frame, lc);
  }
  return cap;
}

/* Remembers the first failure in *error. */
static void note_failure(GError **error, GError **first) {
  if (*first == NULL)
    *first = *error;
  else
    g_clear_error(error);
}

gboolean ns_capture_close(NsCapture *cap, GError **error) {
  if (cap == NULL)
    return TRUE;
  GError *first = NULL;
  for (guint i = 0; i < cap->links->len; i++) {
    LinkCapture *lc = &g_array_index(cap->links, LinkCapture, i);
    if (lc->tap != NULL)
      ns_link_remove_tap(lc->link, lc->tap);
    if (lc->dumper == NULL)
      continue;
    if (pcap_dump_flush(lc->dumper) != 0 && first == NULL)
      g_set_error(&first, NS_ERROR, NS_ERROR_IO, _("--pcap: cannot write"));
    pcap_dump_close(lc->dumper);
  }
  if (cap->dead != NULL)
    pcap_close(cap->dead);
  if (cap->pcapng != NULL) {
    GError *e = NULL;
    if (!ns_pcapng_finish(cap->pcapng, &e)) {
      g_prefix_error(&e, "--pcapng: ");
      note_failure(&e, &first);
    }
  }
  if (cap->pcapng_fp != NULL && fclose(cap->pcapng_fp) != 0 && first == NULL)
    g_set_error(&first, NS_ERROR, NS_ERROR_IO, "--pcapng: %s",
                g_strerror(errno));
  g_array_unref(cap->links);
  g_free(cap);
  if (first != NULL) {
    g_propagate_error(error, first);
    return FALSE;
  }
  return TRUE;
}

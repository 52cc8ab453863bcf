/* replay.c — --html: recording a run for the replay page (see replay.h). */
#include "cli/replay_private.h"
#include "core/i18n.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli/show.h"
#include "core/frame.h"
#include "core/log.h"

/* ---- the tables kept per node -------------------------------------------- */

static gboolean has_ip(const NsNetNode *n) { return n->ip != NULL; }
static gboolean has_sw(const NsNetNode *n) { return n->sw != NULL; }

static const struct {
  const char *name;
  NsShowFunc show;
  gboolean (*applies)(const NsNetNode *n);
} kinds[NS_REPLAY_N_KINDS] = {
    {"arp", ns_show_arp, has_ip},
    {"mac", ns_show_mac, has_sw},
    {"route", ns_show_route, has_ip},
    {"tcp", ns_show_tcp, has_ip},
};

const char *ns_replay_kind_name(guint kind) {
  g_return_val_if_fail(kind < NS_REPLAY_N_KINDS, NULL);
  return kinds[kind].name;
}

/* Takes node's tables now and keeps those that changed since the last
 * time, as of event (-1: the start). */
static void snapshot(NsReplay *r, guint node, gint event) {
  NsNetNode *n = ns_net_node(r->net, node);
  NsShowSource src = {.net = r->net};
  for (guint k = 0; k < NS_REPLAY_N_KINDS; k++) {
    if (!kinds[k].applies(n))
      continue;
    g_autoptr(NsReport) rep = kinds[k].show(&src, n);
    g_autoptr(GString) json = g_string_new(NULL);
    ns_replay_report_json(json, rep);
    char **last = (char **)&r->last->pdata[node * NS_REPLAY_N_KINDS + k];
    if (*last != NULL && strcmp(*last, json->str) == 0)
      continue;
    g_free(*last);
    *last = g_strdup(json->str);
    NsReplaySnap s = {event, node, k, ns_replay_intern(&r->tabs, json->str)};
    g_array_append_val(r->snaps, s);
  }
}

/* The tables of the last event's node again: what it changed after
 * logging the event.  Called when an event of another node comes (one
 * node's event changes only that node's tables) and at the end; an event
 * of the same node takes its own snapshot, attributed to itself. */
static void flush_pending(NsReplay *r) {
  if (r->pending_node < 0)
    return;
  snapshot(r, (guint)r->pending_node, r->pending_event);
  r->pending_node = -1;
}

/* ---- events -------------------------------------------------------------- */

static GArray *journey(NsReplay *r, guint64 id) {
  return g_hash_table_lookup(r->journeys, &id);
}

static void on_event(const NsLogEvent *ev, gpointer data) {
  NsReplaySinkRef *ref = data;
  NsReplay *r = ref->r;
  if (r == NULL)
    return;
  gpointer v =
      ev->node != NULL ? g_hash_table_lookup(r->node_index, ev->node) : NULL;
  gint node = v != NULL ? (gint)GPOINTER_TO_UINT(v) - 1 : -1;
  if (r->pending_node != node)
    flush_pending(r);
  if (r->events->len >= r->max_events) {
    flush_pending(r);
    r->more++;
    return;
  }
  GArray *hops = ev->frame != 0 ? journey(r, ev->frame) : NULL;
  NsReplayEvent e = {
      .time = ev->time,
      .node = node,
      .name = ns_replay_intern(&r->strs, ev->event),
      .summary = ns_replay_intern(&r->strs, ev->summary),
      .why = ns_replay_intern(&r->strs, ev->why_local),
      .frame = ev->frame,
      .hops_then = hops != NULL ? hops->len : 0,
  };
  g_array_append_val(r->events, e);
  if (node >= 0) {
    r->pending_node = node;
    r->pending_event = (gint)r->events->len - 1;
    snapshot(r, (guint)node, r->pending_event);
  }
}

/* ---- hops ---------------------------------------------------------------- */

/* Hops kept per journey at most (a broadcast in a big switched network
 * may cross more links). */
enum { MAX_HOPS = 64 };

static guint blob_of(NsReplay *r, const NsFrame *frame) {
  g_autoptr(GBytes) b = g_bytes_new(frame->data, frame->len);
  gpointer v = g_hash_table_lookup(r->blob_index, b);
  if (v != NULL)
    return GPOINTER_TO_UINT(v) - 1;
  g_ptr_array_add(r->blobs, g_bytes_ref(b));
  g_hash_table_insert(r->blob_index, b, GUINT_TO_POINTER(r->blobs->len));
  return r->blobs->len - 1;
}

static void on_frame(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)link;
  NsReplayTap *t = data;
  NsReplay *r = t->r;
  GArray *hops = journey(r, frame->id);
  if (hops == NULL) {
    if (r->events->len >= r->max_events)
      return; /* no recorded event can show it */
    hops = g_array_new(FALSE, FALSE, sizeof(NsReplayHop));
    g_hash_table_insert(r->journeys, g_memdup2(&frame->id, sizeof frame->id),
                        hops);
  }
  if (hops->len >= MAX_HOPS)
    return;
  NsReplayHop h = {t->link, side, blob_of(r, frame), now};
  g_array_append_val(hops, h);
}

/* ---- start and end ------------------------------------------------------- */

static void free_hops(gpointer p) { g_array_unref(p); }

static NsReplay *replay_alloc(NsNet *net) {
  NsReplay *r = g_new0(NsReplay, 1);
  r->net = net;
  r->events = g_array_new(FALSE, FALSE, sizeof(NsReplayEvent));
  r->journeys =
      g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, free_hops);
  r->blob_index = g_hash_table_new(g_bytes_hash, g_bytes_equal);
  r->blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  ns_replay_strings_init(&r->strs);
  ns_replay_strings_init(&r->tabs);
  r->node_index = g_hash_table_new(g_str_hash, g_str_equal);
  r->pending_node = -1;
  guint n = ns_net_n_nodes(net);
  r->last = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_set_size(r->last, n * NS_REPLAY_N_KINDS);
  r->snaps = g_array_new(FALSE, FALSE, sizeof(NsReplaySnap));
  for (guint i = 0; i < n; i++)
    g_hash_table_insert(r->node_index, ns_net_node(net, i)->name,
                        GUINT_TO_POINTER(i + 1));
  return r;
}

static void replay_free(NsReplay *r) {
  if (r->ref != NULL)
    r->ref->r = NULL;
  for (guint i = 0; i < r->n_taps; i++)
    ns_link_remove_tap(ns_net_link(r->net, i)->link, r->taps[i].tap);
  g_free(r->taps);
  if (r->fp != NULL)
    fclose(r->fp);
  g_free(r->path);
  g_array_unref(r->events);
  g_hash_table_unref(r->journeys);
  g_hash_table_unref(r->blob_index);
  g_ptr_array_unref(r->blobs);
  ns_replay_strings_clear(&r->strs);
  ns_replay_strings_clear(&r->tabs);
  g_hash_table_unref(r->node_index);
  g_ptr_array_unref(r->last);
  g_array_unref(r->snaps);
  g_free(r);
}

NsReplay *ns_replay_new(NsNet *net, const char *path, GError **error) {
  return ns_replay_new_bounded(net, path, NS_REPLAY_MAX_EVENTS, error);
}

NsReplay *ns_replay_new_bounded(NsNet *net, const char *path, guint max_events,
                                GError **error) {
  g_return_val_if_fail(net != NULL && path != NULL && max_events > 0, NULL);
  FILE *fp = g_fopen(path, "wb");
  if (fp == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_IO, _("cannot write '%s': %s"), path,
                g_strerror(errno));
    return NULL;
  }
  NsReplay *r = replay_alloc(net);
  r->fp = fp;
  r->path = g_strdup(path);
  r->max_events = max_events;
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    snapshot(r, i, -1);
  r->n_taps = ns_net_n_links(net);
  r->taps = g_new0(NsReplayTap, r->n_taps);
  for (guint i = 0; i < r->n_taps; i++) {
    r->taps[i] = (NsReplayTap){r, i, NULL};
    r->taps[i].tap =
        ns_link_add_tap(ns_net_link(net, i)->link, on_frame, &r->taps[i]);
  }
  r->ref = g_new0(NsReplaySinkRef, 1);
  r->ref->r = r;
  ns_log_add_explained_sink(ns_net_log(net), on_event, r->ref, g_free);
  return r;
}

gboolean ns_replay_finish(NsReplay *r, GError **error) {
  if (r == NULL)
    return TRUE;
  flush_pending(r);
  guint n = ns_net_n_nodes(r->net);
  g_autofree double *x = g_new0(double, MAX(n, 1));
  g_autofree double *y = g_new0(double, MAX(n, 1));
  g_autoptr(GString) svg = g_string_new(NULL);
  ns_replay_svg(svg, r->net, x, y);
  g_autoptr(GString) data = g_string_new(NULL);
  ns_replay_data(data, r, x, y);
  g_autoptr(GString) page = g_string_new(NULL);
  g_autofree char *title = g_path_get_basename(ns_net_source(r->net));
  ns_replay_page(page, title, svg, data);
  int err = 0;
  if (fwrite(page->str, 1, page->len, r->fp) != page->len)
    err = errno != 0 ? errno : EIO;
  if (fclose(r->fp) != 0 && err == 0)
    err = errno;
  r->fp = NULL;
  if (err != 0)
    g_set_error(error, NS_ERROR, NS_ERROR_IO, _("cannot write '%s': %s"),
                r->path, g_strerror(err));
  replay_free(r);
  return err == 0;
}

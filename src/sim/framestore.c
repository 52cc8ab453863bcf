/* framestore.c — the last journeys the links carried (see framestore.h). */
#include "sim/framestore.h"

#include <string.h>

#include "core/frame.h"
#include "net/link.h"

/* What one link's tap is given: the store and which link it watches. */
typedef struct {
  NsFrameStore *store;
  guint link;
  NsLinkTap *tap; /* the handle, for removing it */
} LinkTap;

struct NsFrameStore {
  NsNet *net;        /* borrowed */
  guint max;         /* journeys kept at most */
  GHashTable *byid;  /* guint64* id -> NsFrameJourney* (owned) */
  GQueue order;      /* NsFrameJourney*, oldest first (borrowed from byid) */
  guint64 newest;    /* largest id seen */
  guint64 forgotten; /* largest id evicted */
  guint64 first;     /* the first id made after the store was */
  LinkTap *taps;     /* one per link of the net */
  guint n_taps;
};

static void journey_free(gpointer data) {
  NsFrameJourney *j = data;
  for (guint i = 0; i < j->hops->len; i++)
    g_free(g_array_index(j->hops, NsFrameHop, i).bytes);
  g_array_unref(j->hops);
  g_free(j);
}

/* The journey of id, made (evicting the oldest if full) when new. */
static NsFrameJourney *journey_of(NsFrameStore *s, guint64 id) {
  NsFrameJourney *j = g_hash_table_lookup(s->byid, &id);
  if (j != NULL)
    return j;
  if (s->order.length >= s->max) {
    NsFrameJourney *old = g_queue_pop_head(&s->order);
    s->forgotten = MAX(s->forgotten, old->id);
    g_hash_table_remove(s->byid, &old->id);
  }
  s->newest = MAX(s->newest, id);
  j = g_new0(NsFrameJourney, 1);
  j->id = id;
  j->hops = g_array_new(FALSE, FALSE, sizeof(NsFrameHop));
  g_hash_table_insert(s->byid, &j->id, j);
  g_queue_push_tail(&s->order, j);
  return j;
}

static void on_frame(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)link;
  LinkTap *t = data;
  NsFrameJourney *j = journey_of(t->store, frame->id);
  if (j->hops->len >= NS_FRAME_STORE_HOPS) {
    j->untold++;
    return;
  }
  NsFrameHop hop = {.link = t->link,
                    .side = side,
                    .time = now,
                    .len = frame->len,
                    .bytes = g_memdup2(frame->data, frame->len)};
  g_array_append_val(j->hops, hop);
}

NsFrameStore *ns_frame_store_new(NsNet *net, guint max_journeys) {
  g_return_val_if_fail(net != NULL && max_journeys > 0, NULL);
  NsFrameStore *s = g_new0(NsFrameStore, 1);
  s->net = net;
  s->max = max_journeys;
  s->first = ns_net_ctx(net)->next_frame_id + 1;
  s->byid =
      g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, journey_free);
  g_queue_init(&s->order);
  s->n_taps = ns_net_n_links(net);
  s->taps = g_new0(LinkTap, s->n_taps);
  for (guint i = 0; i < s->n_taps; i++) {
    s->taps[i].store = s;
    s->taps[i].link = i;
    s->taps[i].tap =
        ns_link_add_tap(ns_net_link(net, i)->link, on_frame, &s->taps[i]);
  }
  return s;
}

void ns_frame_store_free(NsFrameStore *store) {
  if (store == NULL)
    return;
  for (guint i = 0; i < store->n_taps; i++)
    ns_link_remove_tap(ns_net_link(store->net, i)->link, store->taps[i].tap);
  g_free(store->taps);
  g_queue_clear(&store->order);
  g_hash_table_unref(store->byid);
  g_free(store);
}

const NsFrameJourney *ns_frame_store_find(const NsFrameStore *store,
                                          guint64 id) {
  g_return_val_if_fail(store != NULL, NULL);
  return g_hash_table_lookup(store->byid, &id);
}

guint64 ns_frame_store_newest(const NsFrameStore *store) {
  g_return_val_if_fail(store != NULL, 0);
  return store->newest;
}

guint64 ns_frame_store_first(const NsFrameStore *store) {
  g_return_val_if_fail(store != NULL, 0);
  return store->first;
}

guint64 ns_frame_store_forgotten(const NsFrameStore *store) {
  g_return_val_if_fail(store != NULL, 0);
  return store->forgotten;
}

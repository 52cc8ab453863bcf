/* framestore.h — the last frames the network carried, by journey id, with
 * the bytes of every hop, for `show frame ID`.
 *
 * A journey is what the log numbers "#12": one frame id (net/ctx.h gives
 * them out in creation order; copies keep it), followed across every link
 * it crossed.  The store taps each link of the net (net/link.h) and keeps,
 * per hop, the link, the side it was sent from, the send time and a copy
 * of the bytes as they were on that link, so the MAC addresses and the TTL
 * a router rewrites can be compared hop by hop.
 *
 * Bounded: at most max_journeys journeys (NS_FRAME_STORE_JOURNEYS by
 * default); when a new one arrives and the store is full, the journey
 * first seen longest ago is forgotten, whole.  A journey keeps at most
 * NS_FRAME_STORE_HOPS hops (a broadcast flooding a large switched network
 * may cross more links): further hops are counted in `untold`, not kept.
 * The store holds at most max_journeys * NS_FRAME_STORE_HOPS frames, each
 * at most NS_FRAME_MAX bytes.
 *
 * Costs nothing unless made: the net knows nothing of it, and the
 * scenario/console side makes one only when asked (a script that uses
 * `show frame`, the interactive console).  The benchmark never makes one.
 *
 * Ownership: the store borrows the net, which must outlive it;
 * ns_frame_store_free removes its taps.  Journeys and hops returned by
 * ns_frame_store_find are borrowed and valid until the next frame the net
 * carries (which may evict them) or the store is freed.
 */
#pragma once

#include <glib.h>

#include "core/addr.h"
#include "sim/network.h"

G_BEGIN_DECLS

#define NS_FRAME_STORE_JOURNEYS 4096
#define NS_FRAME_STORE_HOPS 64

typedef struct {
  guint link;    /* index of the link crossed (ns_net_link) */
  guint side;    /* 0: sent from the link's a end to b, 1: from b to a */
  NsTime time;   /* when it was sent onto the link */
  gsize len;     /* bytes at bytes */
  guint8 *bytes; /* owned copy of the frame on this link */
} NsFrameHop;

typedef struct {
  guint64 id;   /* the journey id ("#12" in the log) */
  GArray *hops; /* of NsFrameHop, in the order they were sent */
  guint untold; /* hops past NS_FRAME_STORE_HOPS, counted, not kept */
} NsFrameJourney;

typedef struct NsFrameStore NsFrameStore;

/* A store tapping every link of net (borrowed), keeping the last
 * max_journeys journeys (> 0). */
NsFrameStore *ns_frame_store_new(NsNet *net, guint max_journeys);
void ns_frame_store_free(NsFrameStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsFrameStore, ns_frame_store_free)

/* The journey with this id, or NULL if it never crossed a link since the
 * store was made, or was forgotten. */
const NsFrameJourney *ns_frame_store_find(const NsFrameStore *store,
                                          guint64 id);
/* The largest id seen on a link (0: none yet), and the largest id
 * forgotten (0: none).  Journeys are forgotten in the order they were first
 * seen, which is not quite id order (a datagram waiting for ARP goes out
 * after the ARP frames made for it), so an id at or below the second may
 * or may not be kept: ns_frame_store_find says. */
guint64 ns_frame_store_newest(const NsFrameStore *store);
guint64 ns_frame_store_forgotten(const NsFrameStore *store);
/* The id of the first frame made after the store was (1 when it came with
 * the network): an older one is kept only for the links it crosses
 * from then on. */
guint64 ns_frame_store_first(const NsFrameStore *store);

G_END_DECLS

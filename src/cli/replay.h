/* replay.h — --html FILE: a run as one self-contained web page to step
 * through in a browser.
 *
 * The page (no network fetch, no external file: it works from file://)
 * holds
 *  - a drawing of the topology (inline SVG): routers above switches above
 *    hosts and bridges (the tiers of --dot), each tier in topology file
 *    order, links labelled with their interfaces and subnets;
 *  - the event list (time, node, event, frame, summary) with filters by
 *    node and by protocol, play / pause / step buttons and the arrow keys;
 *  - for the selected event: its frame drawn moving along the link it
 *    crosses, the frame's layers and hex dump (wire/layers.h, as `show
 *    frame`), the event's --explain reason, and the tables of any node as
 *    they were at that instant (the `show arp/mac/route/tcp` reports).
 *
 * Recording: a replay attaches an explained log sink (the reasons are
 * always there, --explain or not) and a tap on every link.  Per event it
 * keeps the time, node, name, frame id, summary and reason; per journey
 * the hops (link, direction, bytes, deduplicated).  An event shows the hop
 * of its journey that its node sends at or after the event (so r1's
 * route/forward shows the frame as r1 sends it out: TTL 63, r1's source
 * MAC), else the last hop its node received before it.  Tables: at each
 * event its node's reports are rebuilt (devices log after changing their
 * state) and again when the next event is another node's (whatever the
 * node changed after logging), kept only when they changed, attributed to
 * the event.  Columns that change with time alone (TIMER, AGE) are left
 * out.  The page shows, at event i, each table as last kept at or before i.
 *
 * Bounded: the first NS_REPLAY_MAX_EVENTS events are recorded; later ones
 * are only counted ("N more events not recorded" on the page) and the run
 * goes on.  Hex dumps show a frame's first NS_REPLAY_HEX_BYTES bytes.
 *
 * Deterministic: the same run gives the same bytes (no time stamp, no hash
 * table order reaches the page).
 *
 * Everything that comes from the topology or the run is escaped for the
 * place it lands in (HTML text, attributes, JSON inside a script), so a
 * node named "</script>" cannot break the page.
 *
 * Ownership: a replay borrows the net, which must outlive it; call
 * ns_replay_finish before freeing the net.
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

#define NS_REPLAY_MAX_EVENTS 100000
#define NS_REPLAY_HEX_BYTES 128

typedef struct NsReplay NsReplay;

/* Starts recording net (borrowed) for a page to be written to path.
 * NULL with error if path cannot be written (checked now, so a bad path
 * fails before the run). */
NsReplay *ns_replay_new(NsNet *net, const char *path, GError **error);
/* Takes the last snapshots, writes the page, stops recording and frees
 * (NULL is fine).  FALSE with error when the file could not be written. */
gboolean ns_replay_finish(NsReplay *r, GError **error);

G_END_DECLS

/* framelog.h — --layers: every frame put on a link, as one more event of
 * the one event stream.
 *
 * A frame log hangs one tap on each link of a net (net/link.h) and turns
 * every frame a link accepts into a "link/frame" event (core/log.h) that
 * carries the frame's bytes:
 *   node    the sending node ("h1", or "sw1" for a frame leaving a switch)
 *   frame   the journey id, as on the other events about that frame
 *   summary "h1:eth0 -> sw1:port2, 60 bytes, 02:00:00:00:00:03 >
 *           ff:ff:ff:ff:ff:ff: ARP who-has 192.168.1.1 tell 192.168.1.10"
 *           (one line really: the link's ends in the direction sent, the
 *           length, that hop's Ethernet addresses and the one-line
 *           description of wire/pretty.h)
 *   bytes   the frame as it was on that link, which the text and JSON
 *           writers decode layer by layer (wire/layers.h).
 * The event comes right after the event of the device that sent the frame
 * (a switch/forward, an arp/reply...), at the send time.  Frames dropped at
 * send (loss, full queue, link down) are not link/frame events: they never
 * crossed the cable; link/drop says so.
 *
 * Costs nothing unless made (main.c makes one only for --layers), and
 * formats nothing while no sink listens.  The frame log borrows the net,
 * which must outlive it; ns_framelog_free removes the taps.
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

typedef struct NsFrameLog NsFrameLog;

/* Taps every link of net (borrowed); events go to ns_net_log(net). */
NsFrameLog *ns_framelog_new(NsNet *net);
/* Removes the taps and frees (NULL is fine). */
void ns_framelog_free(NsFrameLog *fl);

G_END_DECLS

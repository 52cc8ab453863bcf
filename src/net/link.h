/* link.h — network interfaces (NICs / switch ports) and the links between
 * them.
 *
 * An NsNic is one attachment point: a host's or router's interface, or a
 * switch port.  It is embedded in its device; the device sets `recv`, which
 * the link calls when a frame arrives.  A NIC is attached to at most one
 * link.
 *
 * An NsLink is full duplex: two independent directions, each a FIFO with
 *  - a queue limit (frames waiting to be serialized, the one being
 *    serialized included; a frame arriving at a full queue is dropped),
 *  - a rate (serialization time = bits / rate; 0 means infinitely fast),
 *  - a propagation delay,
 *  - up/down for the whole link: sending on a down link drops, and taking a
 *    link down drops what is in flight,
 * and the impairments Linux's netem makes, each drawn from the run's seeded
 * generator (ctx->rng) at send time, so a seed replays them exactly.  A
 * link whose probabilities are all 0 draws nothing: adding an impairment
 * to one link never shifts the draws another part of the run sees.
 *  - loss: independent (loss=P), or bursty (Gilbert-Elliott, below);
 *  - jitter: the delay of each frame is drawn uniformly from
 *    [delay - jitter, delay + jitter] (never below 0).  Jitter alone never
 *    reorders: a frame whose draw would land before the previous frame's
 *    arrival arrives right after it instead.  That is netem's behaviour
 *    when a rate is set; netem without a rate lets jitter reorder, which
 *    here is what reorder=P is for;
 *  - reorder=P: with probability P a frame skips the propagation delay
 *    and the jitter (it still waits for its serialization), so it
 *    overtakes the frames still propagating: netem's `reorder P` (gap 1);
 *  - duplicate=P: a second copy of the frame (a second reference to the
 *    same bytes, see core/frame.h) follows it onto the wire: it takes its
 *    own queue slot and serialization time, and its own corrupt, reorder
 *    and jitter draws, but is never lost or duplicated again.  A frame
 *    that is lost is not duplicated;
 *  - corrupt=P: one bit of the frame, drawn uniformly, is flipped (the
 *    frame is made writable first, so other holders of the buffer keep
 *    theirs).  The frame is delivered: IPv4's header checksum and the
 *    ICMP, UDP and TCP checksums catch any single flipped bit and the
 *    receiver counts and drops it.  There is no Ethernet FCS here, so a
 *    flip in a MAC address, the ethertype or an ARP message is simply a
 *    different frame: it goes elsewhere, is ignored, or (ARP) is believed.
 *
 * Send order, per frame: link down, queue full, loss (each a drop), the
 * duplicate draw, then the corrupt, reorder and jitter draws (the copy
 * then takes its queue slot and makes its own three draws).
 *
 * Gilbert-Elliott loss (netem's `loss gemodel p r 1-h 1-k`): each
 * direction is in a good or a bad state, starting good.  Per frame, the
 * state first moves good->bad with probability p or bad->good with
 * probability r, then the frame is lost with the probability of the state
 * it is in (good_loss, netem's 1-k; bad_loss, 1-h).  In the long run a fraction
 * p / (p + r) of frames meets the bad state, and a bad spell lasts 1 / r frames
 * on average: gemodel with p = 1.5 %, r = 30 % loses about 5 % in bursts of
 * about 3.
 *
 * Each direction keeps its frames in flight in two rings with their
 * arrival times: the normal lane, and the express lane for reordered
 * frames (arrival = end of serialization).  Arrivals are in FIFO order
 * within each lane, so one embedded timer per lane (armed for its head's
 * arrival) is all the clock needs: a frame hop costs no allocation and one
 * timer-queue operation (mostly a FIFO's, O(1): core/timerq.c), and a
 * link that never reorders never makes its express lane.
 *
 * Every drop is counted by reason and logged as "link/drop"; the
 * impairments that deliver are counted per direction and logged as
 * "link/corrupt", "link/duplicate" and "link/reorder".  Per direction,
 * whatever the impairments:
 *   offered + duplicated = delivered + in flight + every drop
 * where offered is what the sending NIC handed over (its tx_frames plus the
 * tx_dropped this link refused), and sent (= the NIC's tx_frames) counts
 * originals only, never the copies.
 */
#pragma once

#include "core/counters.h"
#include "net/ctx.h"

G_BEGIN_DECLS

typedef struct NsNic NsNic;
typedef struct NsLink NsLink;

/* Called when a frame arrives at nic.  Takes the reference on frame. */
typedef void (*NsNicRecvFunc)(NsNic *nic, NsFrame *frame, NsTime now);
/* Called when the link at nic goes down or comes back up (carrier). */
typedef void (*NsNicCarrierFunc)(NsNic *nic, gboolean up, NsTime now);

/* A NIC's counters (core/counters.h).  rx: delivered to this NIC by its
 * link; tx: handed to the link by this NIC; tx_dropped: offered but not
 * sent, for want of a link or dropped by it. */
#define NS_NIC_COUNTERS(X)                                                     \
  X(rx_frames, "frames received")                                              \
  X(rx_bytes, "bytes received")                                                \
  X(tx_frames, "frames sent")                                                  \
  X(tx_bytes, "bytes sent")                                                    \
  X(tx_dropped, "frames that could not be sent")

typedef struct {
  NS_NIC_COUNTERS(NS_COUNTER_MEMBER)
} NsNicCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_nic_counter); /* net/counters.c */

/* A NIC's name is interned (g_intern_string): a network of 100,000 hosts
 * has 200,000 NICs but a few hundred distinct names ("eth0", "port7"). */
struct NsNic {
  const char *name;   /* "eth0", "port1": interned, never freed */
  const char *node;   /* owner's name, borrowed, for logs */
  gpointer owner;     /* the device this NIC belongs to */
  guint index;        /* owner's numbering: switch port number, iface index */
  NsMac mac;          /* hosts/routers: the interface MAC; switches: unused */
  guint8 side;        /* which end of its link: 0 (a) or 1 (b) */
  NsNicRecvFunc recv; /* set by the owner */
  NsNicCarrierFunc carrier; /* optional, set by the owner */
  NsLink *link;             /* NULL while unattached */
  NsNicCounters counters;
};

/* Which loss model a link uses. */
typedef enum {
  NS_LOSS_RANDOM,  /* each frame lost independently with probability loss */
  NS_LOSS_GEMODEL, /* Gilbert-Elliott, NsGeModel */
} NsLossModel;

/* Gilbert-Elliott parameters, all probabilities 0..1, per frame. */
typedef struct {
  double p;         /* good -> bad */
  double r;         /* bad -> good */
  double bad_loss;  /* loss in the bad state (netem's 1-h), default 1 */
  double good_loss; /* loss in the good state (netem's 1-k), default 0 */
} NsGeModel;

/* The first four members keep their historical order: callers (tests)
 * write {delay, rate, loss, queue} positionally. */
typedef struct {
  NsTime delay;           /* propagation delay, default 10us */
  guint64 rate_bps;       /* bits per second, 0 = unlimited; default 100M */
  double loss;            /* 0..1 (NS_LOSS_RANDOM), default 0 */
  guint queue_limit;      /* frames, >= 1; default 64 */
  NsTime jitter;          /* delay varies by up to +-jitter, default 0 */
  NsLossModel loss_model; /* default NS_LOSS_RANDOM */
  NsGeModel ge;           /* NS_LOSS_GEMODEL's parameters */
  double duplicate;       /* 0..1, default 0 */
  double corrupt;         /* 0..1, default 0 */
  double reorder;         /* 0..1, default 0 */
} NsLinkParams;

typedef enum {
  NS_DROP_QUEUE_FULL,
  NS_DROP_LOSS,
  NS_DROP_LINK_DOWN,
  NS_DROP_N_REASONS
} NsDropReason;

typedef struct {
  guint64 sent;       /* frames accepted into the queue (copies not) */
  guint64 delivered;  /* frames handed to the far NIC (copies too) */
  guint64 bytes;      /* bytes delivered */
  guint64 duplicated; /* copies made by duplicate=P */
  guint64 corrupted;  /* frames (or copies) given a flipped bit */
  guint64 reordered;  /* frames (or copies) sent by the express lane */
  guint64 drops[NS_DROP_N_REASONS];
} NsLinkDirStats;

extern const NsLinkParams ns_link_default_params;
const char *
ns_drop_reason_name(NsDropReason r); /* "queue-full", "loss", "link-down" */

void ns_nic_init(NsNic *nic, const char *name, const char *node, gpointer owner,
                 guint index, NsNicRecvFunc recv);
/* Detaches (if attached) and forgets the name. */
void ns_nic_clear(NsNic *nic);

/* Starts bringing into cache what sending out of nic will touch (its link's
 * lines for that direction): for a caller about to send out of many NICs,
 * such as a switch flooding, a few NICs ahead.  Changes nothing. */
void ns_nic_prefetch_send(const NsNic *nic);

/* Sends frame out of nic.  Takes the reference on frame.  Returns FALSE if
 * it was dropped at once (no link, link down, queue full, loss); a
 * duplicate's fate does not change the answer. */
gboolean ns_nic_send(NsNic *nic, NsFrame *frame, NsTime now);

/* Connects a and b (both unattached). */
NsLink *ns_link_new(NsCtx *ctx, NsNic *a, NsNic *b, const NsLinkParams *p);
/* Drops frames in flight, detaches both NICs, frees.  Not from inside a
 * recv callback that this link is calling. */
void ns_link_free(NsLink *link);

NsNic *ns_link_nic(NsLink *link, guint side); /* side 0 = a, 1 = b */
/* The NIC at the other end from nic. */
NsNic *ns_link_peer(NsLink *link, const NsNic *nic);
const NsLinkParams *ns_link_params(const NsLink *link);
void ns_link_set_params(NsLink *link, const NsLinkParams *p);
gboolean ns_link_is_up(const NsLink *link);
/* Down drops (and counts) frames in flight. */
void ns_link_set_up(NsLink *link, gboolean up, NsTime now);
/* Direction stats: side 0 is a->b, side 1 is b->a. */
NsLinkDirStats ns_link_stats(const NsLink *link, guint side);
/* Frames currently in flight or queued in a direction (both lanes). */
guint ns_link_in_flight(const NsLink *link, guint side);

/* ---- taps ----------------------------------------------------------------
 *
 * A tap observes every frame a link accepts (the pcap writer, the trace
 * writers, tests): it is called with the side the frame was sent from (0:
 * a->b, 1: b->a), the frame (borrowed: ns_frame_ref it to keep it) and the
 * send time.  It is not called for frames dropped at send (down, queue
 * full, loss: those are in the link/drop events).  It sees a corrupted
 * frame as corrupted, and a duplicate as a frame of its own.
 *
 * A link takes any number of taps, called in the order they were added;
 * the same fn/data pair may be added twice (it is then called twice).
 * Adding allocates one small handle; a frame costs no allocation however
 * many taps there are.  A tap may add or remove taps (itself included)
 * while it is being called: one added then sees the next frame, not this
 * one; one removed is not called again, and its handle is freed once no
 * tap of the link is running.  Taps end with the link: ns_link_free frees
 * the handles still there.
 */
typedef void (*NsLinkTapFunc)(NsLink *link, guint side, const NsFrame *frame,
                              NsTime now, gpointer data);
typedef struct NsLinkTap NsLinkTap;

/* Adds a tap after those already there; the handle is for removing it. */
NsLinkTap *ns_link_add_tap(NsLink *link, NsLinkTapFunc fn, gpointer data);
/* Removes tap (added to this link and not yet removed). */
void ns_link_remove_tap(NsLink *link, NsLinkTap *tap);
/* Taps on the link now. */
guint ns_link_n_taps(const NsLink *link);

G_END_DECLS

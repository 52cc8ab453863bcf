/* tcp_private.h — TCP's insides, shared by its files:
 *   tcp.c         the node's TCP: listeners, connections, the application
 *                 calls, demultiplexing, states and their log;
 *   tcp_input.c   segment arrival (RFC 9293 3.10.7), by state;
 *   tcp_reass.c   the receive window: acceptable segments, trimming, the
 *                 out-of-order queue;
 *   tcp_output.c  building and sending segments, what the windows allow,
 *                 the sender's side of an ACK;
 *   tcp_timer.c   retransmission and persist timer, TIME-WAIT;
 *   tcp_cc.c      RTT and RTO, the congestion window;
 *   tcp_opts.c    the options of RFC 7323: what our segments carry
 *                 (ns_tcp_fill_options), what a SYN negotiates, window
 *                 scaling, timestamps and PAWS;
 *   tcp_tune.c    the window we announce, buffers that grow (autotuning)
 *                 and delayed ACKs;
 *   tcp_sack.c    SACK: the blocks a receiver reports, the sender's
 *                 scoreboard and its loss recovery (RFC 2018, RFC 6675).
 * Nothing outside src/net/tcp*.c includes this (but the unit tests of the
 * scoreboard, tests/net/test_tcp_sack.c).
 *
 * Sequence space of a connection, sender side:
 *
 *   iss  iss+1 = first data byte                     fin (if closing)
 *    |SYN|========== send buffer ==========|FIN|
 *        ^buf_seq          ^snd_nxt        ^data_end
 *    snd_una <= snd_nxt <= snd_max (highest ever sent + 1)
 *
 * The send buffer holds every data byte from buf_seq (the oldest not yet
 * acknowledged, or the first not sent) to data_end = buf_seq + its length.
 * A timeout rewinds snd_nxt to snd_una (go-back-N, as BSD does); what is
 * between snd_una and snd_max then goes out again as the windows allow.
 *
 * Windows and scaling (RFC 7323 2).  Every window inside the connection
 * is in bytes: snd_wnd is the peer's field << snd_wscale (a SYN's field
 * is never scaled), and what we announce is our window >> rcv_wscale.
 * Both shifts are 0 unless both SYNs carried the option (ws_ok).  Receiver
 * side:
 *
 *   rcv_nxt            rcv_adv = right edge we last announced
 *      |== free space in rcvbuf ==|
 *
 * Our window is the receive buffer's free space rounded down to a unit of
 * 1 << rcv_wscale, except that the right edge never moves left (RFC 7323
 * 2.4, RFC 9293 3.8.6): when rounding down would shrink it, the window is
 * rounded up instead and the buffer's bound grows by the few bytes that
 * promise needs, so that every byte we allowed fits (as Linux does).
 * Autotuning raises the bound further (tcp_tune.c); the storage follows
 * only as data arrives (core/ring.h).
 *
 * Timestamps (RFC 7323 3-5): TSval is a millisecond clock, now / 1 ms plus
 * a per-connection offset from the seed; ts_recent is TS.Recent, taken
 * from a segment whose seq is not beyond the ACK we last sent (ack_sent is
 * Last.ACK.sent); PAWS drops a segment older than it.
 *
 * SACK (when both SYNs carried SACK-permitted: c->sack_ok).
 *
 * Receiver: while the out-of-order queue holds data, every ACK (not a
 * SYN, not a reset) carries SACK blocks, as many as fit beside the
 * header's other options (ns_tcp_sack_fill): first the block holding the
 * segment that arrived last, then the blocks of the arrivals before it,
 * newest first (RFC 2018 4; sack_recent remembers where they were), then
 * any other, lowest first.  The blocks
 * are made from the queue itself, so they never claim a byte we do not
 * hold, and we never renege: the queue keeps what it took.  No D-SACK.
 *
 * Sender: the scoreboard (board) holds the ranges the peer SACKed, sorted,
 * merged, all within snd_una..snd_max, at most NS_TCP_SACK_RANGES of them
 * (a block that does not fit is forgotten: the bytes are then resent,
 * never wrongly taken as arrived).  Blocks are checked before they are
 * believed (left < right, above the ACK, not beyond snd_max: anything
 * else is ignored), and ranges below snd_una go as it advances.  A range
 * that snd_una reaches without covering it means the peer dropped data it
 * had SACKed (reneging, RFC 2018 8): the whole scoreboard is cleared.
 *
 *   snd_una        rtx_next          lost_edge              snd_max
 *     |hole|SACKed|hole|SACKed|  hole  |SACKed|hole|SACKed|  new? |
 *     <- resent --><-- lost: resend -->< not yet lost: in flight ->
 *
 * Loss recovery (RFC 6675), with DupThresh 3.  A duplicate ACK is one
 * that SACKs new bytes (or, carrying no blocks, one by RFC 5681).  Recovery
 * starts at the third, or as soon as the byte at snd_una is lost:
 * IsLost(s) when 3 ranges, or more than 2 MSS of SACKed bytes, lie above
 * s.  Then ssthresh = cwnd = half the flight, recover (RecoveryPoint) =
 * snd_max, the segment at snd_una goes again at once, and each ACK after
 * it sends while cwnd - pipe >= 1 MSS, choosing by NextSeg: (1) the first
 * lost hole not yet resent (from rtx_next), (2) new data, (3) the first
 * hole not yet resent below the highest SACKed byte.  pipe counts the
 * unSACKed bytes not taken as lost, plus those resent in this recovery.
 * A SACKed byte is never sent again.  Recovery ends when snd_una reaches
 * recover; cwnd stays at ssthresh (no inflation in SACK recovery).
 *
 * A timeout in SACK mode (RFC 6675 5.1) keeps the scoreboard, as Linux
 * does: cwnd falls to one segment, recover = snd_max, and every unSACKed
 * byte below it counts as lost (lost_floor), so the same NextSeg loop
 * resends the holes from snd_una in order, slow start growing cwnd, and
 * still skips what the peer SACKed.  A peer that reneged is caught when
 * snd_una reaches a SACKed range (above), so keeping the scoreboard never
 * strands data.  No new fast recovery starts before snd_una reaches
 * recover.  Without SACK, NewReno (tcp_cc.c) as before.
 */
#pragma once

#include "core/ring.h"
#include "net/tcp.h"

G_BEGIN_DECLS

/* A segment under processing: the header and the part of its data still
 * to consider after trimming. */
typedef struct {
  NsTcpHdr h;
  const guint8 *data;
  guint32 dlen;
  guint32 seq; /* of data[0] (after trimming) */
  gboolean syn, fin;
  gboolean had_data; /* before trimming: a duplicate ACK carries none */
} NsTcpSeg;

/* A segment received out of order, waiting for the gap before it. */
typedef struct {
  guint32 seq;  /* first byte */
  guint32 len;  /* data bytes */
  gboolean fin; /* a FIN follows the data */
  guint8 data[];
} NsTcpOoo;

typedef struct {
  NsIp4 local, remote;
  guint16 lport, rport;
} NsTcpKey;

/* The sender's SACK scoreboard: ranges [left, right) the peer reported,
 * sorted, neither overlapping nor touching. */
#define NS_TCP_SACK_RANGES 64
typedef struct {
  guint n;
  NsTcpSackBlock r[NS_TCP_SACK_RANGES];
} NsTcpSackBoard;

/* Out-of-order arrivals a receiver remembers, to repeat their blocks. */
#define NS_TCP_SACK_RECENT 8

struct NsTcpListener {
  NsTcp *tcp;
  guint16 port;
  NsTcpAcceptFunc accept;
  gpointer data;
  guint half_open; /* connections in SYN-RECEIVED from this listener */
};

struct NsTcpConn {
  NsTcp *tcp;
  NsTcpKey key; /* the hash key: addresses and ports */
  NsTcpState state;
  NsTcpListener *listener; /* passive open not yet accepted */
  NsTcpCallbacks cb;
  gboolean released;      /* the application let go */
  gboolean reported;      /* the closed callback ran */
  gboolean want_writable; /* send took less than asked */
  gboolean dead;          /* on the reap list */

  /* Sender. */
  guint32 iss, snd_una, snd_nxt, snd_max;
  guint32 snd_wnd;          /* the peer's window */
  guint32 max_snd_wnd;      /* the largest window it ever offered */
  guint32 snd_wl1, snd_wl2; /* seq and ack of the last window update */
  guint16 snd_mss;
  guint32 buf_seq; /* sequence number of the send buffer's head */
  NsRing sndbuf;
  gboolean fin_queued; /* the application closed: FIN after the data */
  guint32 cwnd, ssthresh;
  /* Whether cwnd is what holds the sending back (tcp_cc.c,
   * ns_tcp_cc_validate): it grows only then. */
  gboolean cwnd_limited;  /* the last sending round filled cwnd */
  guint32 max_flight;     /* the most in flight in this window's rounds */
  guint32 cwnd_usage_seq; /* snd_nxt when this window's tracking began */
  guint dupacks;
  gboolean in_recovery; /* fast recovery until snd_una reaches recover */
  guint32 recover;

  /* SACK (tcp_sack.c; see above). */
  gboolean sack_ok;     /* both SYNs offered it */
  NsTcpSackBoard board; /* sender: what the peer SACKed */
  gboolean sack_rto;    /* the recovery follows a timeout */
  guint32 rtx_next;     /* holes below it were resent in this recovery */
  guint32 lost_floor;   /* unSACKed bytes below it are lost anyway */
  guint32 sack_recent[NS_TCP_SACK_RECENT]; /* receiver: latest arrivals */
  guint n_sack_recent;

  /* Receiver. */
  guint32 irs, rcv_nxt;
  guint32 rcv_adv;  /* right edge of the window we last announced */
  guint32 ack_sent; /* the ack field of the last segment we sent */
  NsRing rcvbuf;
  GQueue ooo; /* NsTcpOoo*, by seq */
  guint32 ooo_bytes;
  gboolean fin_received;
  /* The application runs inside our input processing (tell_application):
   * a window update its reading would send waits until it has answered,
   * so the answer carries the window and no pure ACK goes before it. */
  gboolean in_input;
  guint16 ip_id; /* the next IPv4 identification of our segments */
  gboolean window_update_due;

  /* Options (tcp_opts.c). */
  gboolean ws_ok;      /* window scaling agreed: both SYNs carried it */
  guint8 snd_wscale;   /* the peer's shift (0 unless ws_ok) */
  guint8 rcv_wscale;   /* ours: offered in our SYN, used when ws_ok */
  gboolean ts_ok;      /* timestamps agreed */
  guint32 ts_offset;   /* our TSval = now in ms + ts_offset */
  guint32 ts_recent;   /* TS.Recent */
  NsTime ts_recent_at; /* when it was taken (PAWS's 24 days) */
  /* The timestamps option of the segment under processing (input only):
   * an RTT sample for the ACK it carries. */
  gboolean seg_has_ts;
  guint32 seg_tsecr;

  /* Autotuning and delayed ACKs (tcp_tune.c). */
  guint32 rcv_space;     /* most bytes received in one round trip so far */
  guint32 rcv_space_seq; /* rcv_nxt when the round being measured began */
  NsTime rcv_space_at;   /* and when; 0 before the first data */
  NsTimer delack_timer;  /* a delayed ACK is due */

  /* Timers: retransmission or zero-window persist (one at a time), and
   * TIME-WAIT. */
  NsTimer rtx_timer;
  gboolean persist;    /* rtx_timer is the persist timer */
  guint persist_shift; /* probes sent in a row: each waits twice as long */
  NsTimer tw_timer;
  NsTime rto, srtt, rttvar;
  gboolean rtt_timing; /* a segment is being timed */
  guint32 rtt_seq;
  NsTime rtt_start;
  guint backoffs; /* timeouts in a row */

  /* Rate limits of the ACKs we send in answer to what we do not accept
   * (tcp_output.c): when the last one to an unacceptable segment went
   * (oow_acked: one has), and whether a suppressed one was logged. */
  NsTime oow_ack_at;
  gboolean oow_acked;
  gboolean ratelimit_logged;

  guint64 bytes_sent, bytes_received;
  guint64 retransmits, timeouts, fast_retransmits, dup_acks, ooo_segments,
      zero_window_probes;
  guint64 sack_retransmits, sack_bytes_resent, sack_reneged;
};

struct NsTcp {
  NsIpNode *node; /* borrowed */
  NsCtx *ctx;     /* borrowed */
  NsTcpConfig cfg;
  GPtrArray *conns;     /* NsTcpConn*, creation order, owned */
  GHashTable *by_key;   /* NsTcpKey* -> NsTcpConn*, NULL until the first */
  GHashTable *lports;   /* local port -> hashed conns using it (with by_key) */
  NsTcpConn *last;      /* the connection by_key gave last (a bulk flow's
                           segments come in runs), or NULL; always the
                           one by_key holds for its key */
  GPtrArray *listeners; /* NsTcpListener*, owned */
  GPtrArray *dead;      /* conns to free when no call is running */
  guint depth;          /* entry points running (callbacks may re-enter) */
  guint32 next_port;    /* RFC 6056 counter: ports handed out */
  NsTcpCounters counters;
  /* Challenge ACKs sent in the virtual second challenge_second (RFC 5961
   * 7: a budget per node, tcp_output.c). */
  guint64 challenge_second;
  guint challenge_count;
};

static inline gboolean ns_tcp_log_on(const NsTcp *tcp) {
  return ns_log_on(tcp->ctx->log);
}
static inline gboolean ns_tcp_explain(const NsTcp *tcp) {
  return ns_log_explain(tcp->ctx->log);
}
/* SYN received, i.e. rcv_nxt is meaningful and segments carry ACK. */
static inline gboolean ns_tcp_synchronized(NsTcpState s) {
  return s >= NS_TCP_ESTABLISHED;
}
static inline guint32 ns_tcp_data_end(const NsTcpConn *c) {
  return c->buf_seq + (guint32)ns_ring_len(&c->sndbuf);
}
/* Our FIN was sent / acknowledged. */
static inline gboolean ns_tcp_fin_sent(const NsTcpConn *c) {
  return c->fin_queued && ns_tcp_seq_gt(c->snd_max, ns_tcp_data_end(c));
}
static inline gboolean ns_tcp_fin_acked(const NsTcpConn *c) {
  return c->fin_queued && c->snd_una == ns_tcp_data_end(c) + 1;
}

/* ---- tcp.c ---- */

void ns_tcp_enter(NsTcp *tcp);
void ns_tcp_leave(NsTcp *tcp); /* frees the dead when the last one leaves */
/* Moves c to state, logging why (a literal or formatted reason). */
void ns_tcp_set_state(NsTcpConn *c, NsTcpState state, NsTime now,
                      const char *why);
/* Goes CLOSED: timers stopped, the closed callback (unless already
 * reported or quiet), freed once released. */
void ns_tcp_drop(NsTcpConn *c, NsTcpCloseReason why, gboolean quiet, NsTime now,
                 const char *explain);
/* Reports the end of a normal close to the application (once). */
void ns_tcp_report_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now);
NsTcpConn *ns_tcp_conn_new(NsTcp *tcp, const NsTcpKey *key);
NsTcpConn *ns_tcp_lookup(NsTcp *tcp, const NsTcpKey *key);
NsTcpListener *ns_tcp_find_listener(NsTcp *tcp, guint16 port);
/* "49152 > 192.168.2.10:80" into buf (64 bytes): the connection as its
 * node's log events name it, the node's own port then the peer (the
 * event's node is the local side; the line stays short). */
const char *ns_tcp_conn_name(const NsTcpConn *c, char *buf);
#define NS_TCP_NAME_LEN 64

/* ---- tcp_input.c ---- */

/* The protocol 6 handler. */
gboolean ns_tcp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                      const guint8 *payload, gsize len, NsTime now,
                      gpointer data, guint8 *code);
/* A tcp/drop event (only when the log listens). */
void ns_tcp_log_drop(NsTcp *tcp, NsTime now, const char *why, const char *fmt,
                     ...) G_GNUC_PRINTF(4, 5);

/* ---- tcp_reass.c ---- */

/* RFC 9293 3.10.7.4 first check: does the segment overlap the window? */
gboolean ns_tcp_acceptable(const NsTcpConn *c, const NsTcpSeg *s, guint32 wnd);
/* Cuts what lies before rcv_nxt or beyond the window. */
void ns_tcp_trim(const NsTcpConn *c, NsTcpSeg *s, guint32 wnd);
/* Data (and maybe a FIN) of an acceptable, trimmed segment: into the
 * receive buffer when in order (then whatever the out-of-order queue now
 * continues), else into the queue with a duplicate ACK at once.  Returns
 * TRUE when new bytes became readable; *fin when the FIN is now next in
 * order (the caller takes it). */
gboolean ns_tcp_take_data(NsTcpConn *c, const NsTcpSeg *s, NsTime now,
                          gboolean *fin);

/* ---- tcp_output.c ---- */

/* Sends whatever the state, the data and the windows call for. */
void ns_tcp_output(NsTcpConn *c, NsTime now);
/* A bare ACK (window announcements, duplicate ACKs, challenge ACKs). */
void ns_tcp_send_ack(NsTcpConn *c, NsTime now);
/* RFC 5961 7 and Linux: the ACKs that answer segments we do not accept
 * are rate-limited, or two ends that disagree about the connection (one
 * reopened it, the other never saw the reset) answer each other's ACKs
 * with ACKs forever.  ns_tcp_send_oow_ack answers an unacceptable
 * segment s (out of the window, PAWS, an ACK of unsent data): at most one
 * per NS_TCP_INVALID_RATELIMIT per connection, as Linux's
 * tcp_invalid_ratelimit, except for a segment carrying data (not part of
 * an ACK loop: always answered).  ns_tcp_send_challenge_ack answers a
 * reset or a SYN in the window (RFC 5961 3, 4): at most
 * NS_TCP_CHALLENGE_ACK_LIMIT per virtual second per node, as Linux's
 * tcp_challenge_ack_limit (without its random part).  What is suppressed
 * counts in tcp.acks_ratelimited and is logged once per connection.
 * The limits are in tcp.h. */
void ns_tcp_send_oow_ack(NsTcpConn *c, const NsTcpSeg *s, NsTime now);
void ns_tcp_send_challenge_ack(NsTcpConn *c, NsTime now);
/* An RST for c (seq = snd_nxt). */
void ns_tcp_send_rst(NsTcpConn *c, NsTime now, const char *why);
/* An RST answering a segment that has no connection (RFC 9293 3.10.7.1). */
void ns_tcp_reply_rst(NsTcp *tcp, const NsIpv4Hdr *ip, const NsTcpHdr *h,
                      guint32 seg_len, NsTime now, const char *why);
/* A zero-window probe: one old sequence number, no data. */
void ns_tcp_send_probe(NsTcpConn *c, NsTime now);
/* Resends the segment at snd_una (fast retransmit, partial ACKs). */
void ns_tcp_retransmit_first(NsTcpConn *c, NsTime now);
/* A tcp/retransmit event for the segment at snd_una. */
void ns_tcp_log_retransmit(NsTcpConn *c, NsTime now, const char *why);
/* SACK recovery: sends the hole [seq, end) (one segment, the peer's
 * window permitting), logged; returns the sequence space sent. */
guint32 ns_tcp_send_hole(NsTcpConn *c, guint32 seq, guint32 end, gboolean first,
                         NsTime now);
/* Our receive window now. */
guint32 ns_tcp_rcv_window(const NsTcpConn *c);
/* An acceptable ACK advanced snd_una to ack: RTT, congestion window,
 * buffer, timer. */
void ns_tcp_ack_advanced(NsTcpConn *c, guint32 ack, NsTime now);
/* Called after reading freed receive space: a window update if worth it. */
void ns_tcp_window_opened(NsTcpConn *c, NsTime now);

/* ---- tcp_timer.c ---- */

/* Arms (or re-arms) the retransmission timer rto from now. */
void ns_tcp_arm_rtx(NsTcpConn *c, NsTime now);
void ns_tcp_stop_rtx(NsTcpConn *c);
/* Starts the persist timer if data waits behind a shut window with
 * nothing in flight (no ACK would come to reopen it). */
void ns_tcp_persist_if_shut(NsTcpConn *c, NsTime now);
/* The retransmission/persist timer. */
void ns_tcp_rtx_fired(NsTimer *t, NsTime now, gpointer data);
void ns_tcp_enter_time_wait(NsTcpConn *c, NsTime now, const char *why);
/* The peer's FIN came again (our ACK of it was lost): TIME-WAIT starts
 * over (RFC 9293 3.10.7.4). */
void ns_tcp_restart_time_wait(NsTcpConn *c, NsTime now);
/* The TIME-WAIT timer: the connection closes. */
void ns_tcp_time_wait_fired(NsTimer *t, NsTime now, gpointer data);

/* ---- tcp_opts.c ---- */

/* The options a new connection will offer: our shift, the TSval offset. */
void ns_tcp_opts_init(NsTcpConn *c);
/* The options of the segment being built (flags are its flags): MSS and
 * window scale on a SYN, the timestamps when offered or agreed.  The one
 * place where outgoing options are chosen. */
void ns_tcp_fill_options(NsTcpConn *c, NsTcpHdr *h, NsTime now);
/* What the peer's SYN (or SYN+ACK) agrees to: window scaling, timestamps
 * (TS.Recent starts with its TSval), the segment size. */
void ns_tcp_opts_learn_syn(NsTcpConn *c, const NsTcpHdr *h, NsTime now);
/* The data a segment of ours can carry as the peer sends it to us: our
 * MSS less the timestamp option when agreed (Linux: advmss - 12). */
guint32 ns_tcp_opts_own_seg(const NsTcpConn *c);
/* The peer's window field in bytes (scaled unless in a SYN). */
guint32 ns_tcp_peer_window(const NsTcpConn *c, const NsTcpHdr *h);
/* Our timestamp clock now. */
guint32 ns_tcp_ts_now(const NsTcpConn *c, NsTime now);
/* PAWS (RFC 7323 5.3): TRUE when the segment is an old duplicate by its
 * timestamp: it was answered with an ACK and logged, drop it. */
gboolean ns_tcp_paws_reject(NsTcpConn *c, const NsTcpSeg *s, NsTime now);
/* RFC 7323 4.3: an acceptable segment may update TS.Recent. */
void ns_tcp_ts_update_recent(NsTcpConn *c, const NsTcpSeg *s, NsTime now);
/* The RTT the segment under processing measures by its TSecr (RFC 7323
 * 4.1), or FALSE when it has none. */
gboolean ns_tcp_ts_rtt(const NsTcpConn *c, NsTime now, NsTime *rtt);

/* ---- tcp_tune.c ---- */

/* The receive buffer's bound for a new connection: cfg.rcvbuf, rounded
 * down to whole segments of seg bytes with window scaling on (Linux's
 * first window: 64240 = 44 x 1460, 65160 = 45 x 1448). */
void ns_tcp_rcvbuf_init(NsTcpConn *c, guint32 seg);
/* The window field of the segment being built and the right edge it
 * announces (ACK segments: rcv_adv moves there).  syn: unscaled. */
guint16 ns_tcp_window_field(NsTcpConn *c, gboolean syn, guint32 *edge);
/* New in-order data arrived: the receive buffer grows when a round trip
 * brought more than ever (dynamic right-sizing, as Linux). */
void ns_tcp_rcv_autotune(NsTcpConn *c, NsTime now);
/* The congestion window grew: the send buffer follows (twice cwnd). */
void ns_tcp_snd_autotune(NsTcpConn *c);
/* New data or a FIN is unacknowledged at the end of input: ACK now, or
 * later when delayed ACKs allow (immediate: a gap, a FIN, two full
 * segments). */
void ns_tcp_ack_received(NsTcpConn *c, gboolean now_please, NsTime now);
/* A segment carrying our ACK went out: no delayed ACK is due. */
void ns_tcp_ack_sent(NsTcpConn *c);
/* The delayed-ACK timer. */
void ns_tcp_delack_fired(NsTimer *t, NsTime now, gpointer data);

/* ---- tcp_cc.c ---- */

/* Initial congestion window (RFC 5681 3.1 with RFC 3390's formula). */
guint32 ns_tcp_initial_window(const NsTcpConn *c);
/* An ACK of new data: an RTT sample if a timed segment is covered (Karn),
 * and the RTO backoff is over. */
void ns_tcp_cc_rtt(NsTcpConn *c, guint32 ack, NsTime now);
/* The congestion window after acked bytes (snd_una already advanced):
 * slow start, congestion avoidance, or NewReno recovery. */
void ns_tcp_cc_acked(NsTcpConn *c, guint32 ack, guint32 acked, NsTime now);
/* After a round of sending (sent: it sent something): remembers whether
 * cwnd was full, and the most in flight since the window's data was
 * acknowledged (Linux's tcp_cwnd_validate). */
void ns_tcp_cc_validate(NsTcpConn *c, gboolean sent);
/* A duplicate ACK: the third starts fast retransmit, later ones inflate
 * the window during recovery. */
void ns_tcp_cc_dupack(NsTcpConn *c, NsTime now);
/* The retransmission timer ran out: one segment of window, half the
 * flight as threshold, no recovery, no RTT timing. */
void ns_tcp_cc_timeout(NsTcpConn *c);

/* ---- tcp_sack.c ---- */

#define NS_TCP_DUPTHRESH 3

/* The scoreboard alone (no connection: the unit tests use these). */
void ns_tcp_sack_board_clear(NsTcpSackBoard *b);
/* Records [left, right) if it is a believable block for an ACK of una
 * when max is the highest sequence sent (una < left < right <= max);
 * returns the bytes it SACKs that were not SACKed before. */
guint32 ns_tcp_sack_board_add(NsTcpSackBoard *b, guint32 left, guint32 right,
                              guint32 una, guint32 max);
/* Forgets what una now acknowledges.  TRUE (and the board cleared) when a
 * range reaches down to una: the peer reneged. */
gboolean ns_tcp_sack_board_trim(NsTcpSackBoard *b, guint32 una);
/* SACKed bytes in [from, to). */
guint32 ns_tcp_sack_board_bytes(const NsTcpSackBoard *b, guint32 from,
                                guint32 to);
/* The first unSACKed byte range [*seq, *end) with from <= *seq < below
 * (*end <= below).  FALSE when there is none. */
gboolean ns_tcp_sack_board_hole(const NsTcpSackBoard *b, guint32 from,
                                guint32 below, guint32 *seq, guint32 *end);
/* RFC 6675 IsLost(seq): 3 ranges or more than 2 MSS SACKed above it. */
gboolean ns_tcp_sack_is_lost(const NsTcpSackBoard *b, guint32 seq, guint32 mss);
/* Every unSACKed byte below the result is lost (IsLost is monotone),
 * never less than floor; una when none is. */
guint32 ns_tcp_sack_lost_edge(const NsTcpSackBoard *b, guint32 una,
                              guint32 floor, guint32 mss);

/* The connection's recovery (RFC 6675). */
/* SetPipe(): bytes taken to be in the network. */
guint32 ns_tcp_sack_pipe(const NsTcpConn *c);
typedef enum {
  NS_TCP_NEXT_NONE, /* nothing to send */
  NS_TCP_NEXT_LOST, /* rule 1: a lost hole */
  NS_TCP_NEXT_NEW,  /* rule 2: new data from snd_max */
  NS_TCP_NEXT_HOLE, /* rule 3: a hole not (yet) taken as lost */
} NsTcpNext;
/* NextSeg(): what to send next; a hole is [*seq, *end).  new_ok: new
 * data could go (some waits and the peer's window has room). */
NsTcpNext ns_tcp_sack_next_seg(const NsTcpConn *c, gboolean new_ok,
                               guint32 *seq, guint32 *end);
/* An acceptable ACK (h) in SACK mode, after the window update: the
 * blocks, snd_una, duplicate ACKs, the start of recovery.  dup: a
 * duplicate by RFC 5681. */
void ns_tcp_sack_ack(NsTcpConn *c, const NsTcpHdr *h, gboolean dup, NsTime now);
/* After a timeout: recovery with every unSACKed byte lost (5.1).  FALSE
 * without SACK. */
gboolean ns_tcp_sack_timeout(NsTcpConn *c);
/* Receiver: a segment went to the out-of-order queue at seq. */
void ns_tcp_sack_note(NsTcpConn *c, guint32 seq);
/* Receiver: h's SACK blocks, for an ACK of c (nothing without SACK or
 * without out-of-order data).  Call once the header's other options are
 * set: it uses the room they leave. */
void ns_tcp_sack_fill(const NsTcpConn *c, NsTcpHdr *h);
/* Option bytes the SACK blocks of our next ACK take (at most 36): a data
 * segment carries that much less data. */
guint32 ns_tcp_sack_opt_len(const NsTcpConn *c);
/* snd_una advanced: the scoreboard forgets what it covers (and all of it
 * when the peer reneged, logged). */
void ns_tcp_sack_trim(NsTcpConn *c, NsTime now);
/* The tcp/retransmit event of a hole [seq, end) (first: the one that
 * starts recovery). */
void ns_tcp_sack_log_hole(NsTcpConn *c, guint32 seq, guint32 end,
                          gboolean first, NsTime now);
/* "a-b, c-d and 2 more": the ranges above seq, for a log line. */
void ns_tcp_sack_describe(const NsTcpConn *c, guint32 seq, char *buf,
                          gsize size);

G_END_DECLS

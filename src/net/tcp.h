/* tcp.h — a node's TCP (RFC 9293 subset; RFC 6298 retransmission timer;
 * RFC 5681 congestion control).
 *
 * One NsTcp per host or router, installed as the node's handler for IP
 * protocol 6.  It owns every connection (NsTcpConn, a transmission control
 * block) and every listener of the node.
 *
 * What is implemented:
 *  - the three-way handshake with an initial sequence number from the
 *    run's seeded generator, the MSS option (we announce ours, send no more
 *    than the peer's), simultaneous open;
 *  - a bounded send buffer (cfg.sndbuf bytes at first, growing with the
 *    congestion window up to cfg.sndbuf_max: ns_tcp_send() takes what
 *    fits) and a bounded receive buffer (cfg.rcvbuf, growing up to
 *    cfg.rcvbuf_max) whose free space is the advertised window (a slow reader
 * closes it; reading reopens it with a window update); a zero window is probed
 * (persist timer, backed off like the retransmission timer);
 *  - out-of-order segments kept (within the window) and merged when the gap
 *    fills; duplicates and old segments answered with an ACK and dropped;
 *  - retransmission on timeout (RTO from SRTT/RTTVAR, RFC 6298: initial
 *    cfg.rto_initial, floor cfg.rto_min, ceiling cfg.rto_max, doubled at
 *    each timeout, Karn: no RTT sample from a retransmitted segment unless
 *    timestamps say which transmission came back); after
 *    cfg.max_retries timeouts in a row (cfg.syn_retries for a SYN) the
 *    connection is dropped (closed, reason timeout);
 *  - slow start and congestion avoidance, fast retransmit on the third
 *    duplicate ACK and fast recovery (NewReno's partial ACKs, RFC 6582);
 *  - SACK (RFC 2018) when cfg.sack and the peer's SYN offer it: the
 *    receiver reports its out-of-order blocks in every ACK, the sender
 *    keeps them in a scoreboard and recovers from loss by RFC 6675 (only
 *    the holes are sent again; see tcp_private.h);
 *  - FIN in both directions, half close, simultaneous close, TIME-WAIT for
 *    cfg.time_wait (2*MSL on a real stack: minutes; short here by default
 *    so that runs end quickly), restarted by a repeated FIN and deaf to
 *    resets (RFC 1337);
 *  - RST: to a segment for a port nobody listens on (RFC 9293 3.10.7.1), on
 *    abort, and on receipt (checked to be in the window, RFC 5961 style:
 *    an RST whose sequence is in the window but not exactly rcv.nxt gets a
 *    challenge ACK instead);
 *  - RFC 7323 when both sides offer it (tcp_opts.c): window scaling (our
 *    shift from cfg.rcvbuf_max, the peer's applied to every window but a
 *    SYN's), timestamps on every segment with an RTT sample from each ACK
 *    that advances and PAWS;
 *  - buffers that grow with the connection (cfg.rcvbuf_max, sndbuf_max),
 *    an initial window of cfg.init_cwnd segments, delayed ACKs
 *    (cfg.delayed_ack) as an option;
 *  - SACK (RFC 2018) with SACK-based loss recovery (RFC 6675) when both
 *    sides offer it (cfg.sack; tcp_sack.c).
 * Not implemented: urgent data, Nagle (data goes out as soon as the window
 * allows).
 *
 * Ownership: NsTcp owns the connections.  An application holds a
 * connection from ns_tcp_connect() or its accept callback until it calls
 * ns_tcp_release(); after that no callback reaches it and the connection
 * frees itself once CLOSED (TIME-WAIT runs out on its own).  ns_tcp_close()
 * is shutdown(SHUT_WR): the application may go on reading.
 *
 * Events: tcp/state (every transition, explained), tcp/retransmit (why: the
 * timer ran out, or three duplicate ACKs; with SACK, each hole resent and
 * the blocks that showed it), tcp/sack (the peer reneged), tcp/rst (sent,
 * and why), tcp/drop (checksum, out of window, PAWS, no listener...),
 * tcp/window (zero window, probe, update), tcp/buffer (autotuning grew a
 * buffer), tcp/ack (a delayed ACK's timer ran out), tcp/accept.  The
 * segments themselves appear as
 * the IP stack's ip/send lines, whose description shows flags, seq, ack,
 * len and window.
 */
#pragma once

#include "core/counters.h"
#include "net/ipnode.h"
#include "wire/tcp.h"

G_BEGIN_DECLS

typedef enum {
  NS_TCP_CLOSED,
  NS_TCP_LISTEN,
  NS_TCP_SYN_SENT,
  NS_TCP_SYN_RECEIVED,
  NS_TCP_ESTABLISHED,
  NS_TCP_FIN_WAIT_1,
  NS_TCP_FIN_WAIT_2,
  NS_TCP_CLOSE_WAIT,
  NS_TCP_CLOSING,
  NS_TCP_LAST_ACK,
  NS_TCP_TIME_WAIT,
} NsTcpState;

/* "ESTABLISHED", "SYN-SENT", ... as RFC 9293 spells them. */
const char *ns_tcp_state_name(NsTcpState state);
/* Parses a state name (case-insensitive, '-' or '_'); FALSE if unknown. */
gboolean ns_tcp_state_parse(const char *s, NsTcpState *out);

typedef enum {
  NS_TCP_CLOSE_NORMAL,  /* both FINs exchanged and acknowledged */
  NS_TCP_CLOSE_RESET,   /* the peer reset the connection */
  NS_TCP_CLOSE_REFUSED, /* RST answering our SYN: nobody listens */
  NS_TCP_CLOSE_TIMEOUT, /* retransmissions gave up */
  NS_TCP_CLOSE_UNREACH, /* ICMP unreachable or no route while opening */
  NS_TCP_CLOSE_ABORTED, /* we aborted (ns_tcp_abort) */
} NsTcpCloseReason;

const char *ns_tcp_close_reason_name(NsTcpCloseReason why);

/* What a node's TCP does.  Two profiles fill it (tcp-profile in the
 * topology): `linux`, the default, speaks as Linux does (options in the
 * SYN, scaled windows, timestamps, autotuned buffers, IW10), and `minimal`
 * is the TCP of RFC 9293 alone (the MSS option, a 64 KiB window, fixed
 * buffers).  Each feature is its own field so that a test can turn them
 * on and off one by one. */
typedef struct {
  guint mss;          /* our MSS (announced, and sent at most), 1460 */
  guint rcvbuf;       /* receive buffer at the start = first window, 65535 */
  guint sndbuf;       /* send buffer at the start, 65536 */
  NsTime rto_initial; /* before any RTT sample, 1 s (RFC 6298) */
  NsTime rto_min;     /* 200 ms (as Linux; RFC 6298 says 1 s) */
  NsTime rto_max;     /* 60 s */
  guint max_retries;  /* timeouts in a row before giving up, 12 */
  guint syn_retries;  /* for a SYN, 6 */
  NsTime time_wait;   /* TIME-WAIT duration, 1 s */
  guint backlog;      /* half-open connections per listener, 16 */
  /* Options (RFC 7323, RFC 2018): offered in our SYN, accepted in a
   * peer's; each is on only when both sides sent it. */
  gboolean wscale;     /* window scaling; the shift follows rcvbuf_max */
  gboolean timestamps; /* TSval/TSecr on every segment, RTT, PAWS */
  gboolean sack;       /* SACK-permitted and SACK blocks */
  /* Receiver and sender buffers grow with the connection (autotuning):
   * the receive buffer to twice what arrived in one round trip, the send
   * buffer to twice the congestion window, up to these bounds.  A bound
   * not above rcvbuf/sndbuf turns growth off. */
  guint rcvbuf_max; /* Linux tcp_rmem[2], 6 MiB */
  guint sndbuf_max; /* Linux tcp_wmem[2], 4 MiB */
  guint init_cwnd;  /* initial window in segments (RFC 6928: 10); 0 for
                       RFC 3390's 2-4 segments */
  /* Delayed ACKs (RFC 9293 3.8.6.3): 0 acknowledges every segment at
   * once; else at most this long, and every second full segment. */
  NsTime delayed_ack;
} NsTcpConfig;

/* The largest buffer bound (a shift of 14 says 1 GiB). */
#define NS_TCP_BUF_LIMIT (1u << 30)

typedef enum {
  NS_TCP_PROFILE_LINUX,   /* the default */
  NS_TCP_PROFILE_MINIMAL, /* RFC 9293 alone, netsim's first TCP */
} NsTcpProfile;

/* The configuration of a profile. */
const NsTcpConfig *ns_tcp_profile_config(NsTcpProfile p);
/* "linux", "minimal"; parse is case-insensitive. */
const char *ns_tcp_profile_name(NsTcpProfile p);
gboolean ns_tcp_profile_parse(const char *s, NsTcpProfile *out);

/* The linux profile (ns_tcp_new with cfg NULL), and the minimal one. */
extern const NsTcpConfig ns_tcp_default_config;
extern const NsTcpConfig ns_tcp_minimal_config;

typedef struct NsTcp NsTcp;
typedef struct NsTcpConn NsTcpConn;
typedef struct NsTcpListener NsTcpListener;

/* Every callback gets the virtual time of the event it reports, for the
 * calls it makes (ns_tcp_recv, ns_tcp_send...). */
typedef struct {
  /* The handshake completed (active opens; passive ones are announced by
   * the listener's accept callback instead). */
  void (*established)(NsTcpConn *c, NsTime now, gpointer data);
  /* Data can be read, or the peer closed its side (ns_tcp_recv() then
   * returns 0 and ns_tcp_eof() is TRUE). */
  void (*readable)(NsTcpConn *c, NsTime now, gpointer data);
  /* The send buffer has room again after ns_tcp_send() took less than
   * asked. */
  void (*writable)(NsTcpConn *c, NsTime now, gpointer data);
  /* The connection is over (CLOSED, or TIME-WAIT after a normal close).
   * Called once.  The application still holds c until ns_tcp_release(). */
  void (*closed)(NsTcpConn *c, NsTcpCloseReason why, NsTime now, gpointer data);
  gpointer data;
} NsTcpCallbacks;

/* A new connection on a listener finished its handshake.  The application
 * now holds c (ns_tcp_set_callbacks, then ns_tcp_release when done). */
typedef void (*NsTcpAcceptFunc)(NsTcpListener *l, NsTcpConn *c, NsTime now,
                                gpointer data);

/* The node's TCP counters (core/counters.h), `tcp.NAME` to `show stats`
 * and `expect`.  active_opens counts connect() calls; segs_out includes
 * retransmissions; no_listener counts SYNs and other segments alike. */
#define NS_TCP_COUNTERS(X)                                                     \
  X(active_opens, "connections opened (connect)")                              \
  X(passive_opens, "connections accepted")                                     \
  X(segs_in, "valid segments received")                                        \
  X(segs_out, "segments sent")                                                 \
  X(retransmits, "segments sent again")                                        \
  X(malformed, "segments that did not parse")                                  \
  X(bad_checksum, "dropped: wrong checksum")                                   \
  X(rst_out, "resets sent")                                                    \
  X(rst_in, "resets accepted")                                                 \
  X(no_listener, "segments for a closed port (answered RST)")                  \
  X(backlog_drops, "SYNs dropped: listener backlog full")                      \
  X(sack_retransmits, "holes resent in SACK loss recovery")                    \
  X(acks_ratelimited, "ACKs not sent: answers to unacceptable segments "       \
                      "rate-limited (RFC 5961 7)")

typedef struct {
  NS_TCP_COUNTERS(NS_COUNTER_MEMBER)
} NsTcpCounters;
NS_COUNTER_REGISTRY_DECLARE(ns_tcp_counter); /* net/counters.c */

/* ACKs in answer to segments TCP does not accept are rate-limited (RFC
 * 5961 7; tcp_private.h says how): one to an unacceptable segment per
 * connection and NS_TCP_INVALID_RATELIMIT (Linux's tcp_invalid_ratelimit),
 * NS_TCP_CHALLENGE_ACK_LIMIT challenge ACKs per node and virtual second
 * (Linux's tcp_challenge_ack_limit, without its random part). */
#define NS_TCP_INVALID_RATELIMIT (500 * NS_MSEC)
#define NS_TCP_CHALLENGE_ACK_LIMIT 1000u

/* One connection's numbers, for `show tcp` and expectations.  Sequence
 * numbers are absolute, as on the wire. */
typedef struct {
  NsTcpState state;
  NsIp4 local, remote;
  guint16 local_port, remote_port;
  guint32 iss, irs;            /* initial send / receive sequence numbers */
  guint32 snd_una, snd_nxt;    /* oldest unacknowledged, next to send */
  guint32 snd_wnd;             /* the peer's window */
  guint32 rcv_nxt, rcv_wnd;    /* next expected, our window */
  guint32 cwnd, ssthresh;      /* congestion window, slow-start threshold */
  guint16 snd_mss;             /* data bytes per segment at most: the smaller
                                  MSS, less 12 with timestamps */
  gint snd_wscale, rcv_wscale; /* window shifts, -1 when not agreed */
  gboolean timestamps;         /* agreed (RFC 7323) */
  guint64 rcvbuf, sndbuf;      /* the buffers' bounds now (autotuned) */
  NsTime srtt, rttvar, rto;    /* srtt 0 until the first sample */
  guint64 bytes_sent;          /* data bytes acknowledged by the peer */
  guint64 bytes_received;      /* data bytes received in order */
  guint64 bytes_queued;        /* data bytes in the send buffer */
  guint64 bytes_readable;      /* data bytes waiting for ns_tcp_recv() */
  guint64 retransmits;         /* segments sent again (both kinds) */
  guint64 timeouts;            /* retransmission timer expiries */
  guint64 fast_retransmits;    /* retransmits on three duplicate ACKs */
  guint64 dup_acks;            /* duplicate ACKs received */
  guint64 ooo_segments;        /* segments that arrived out of order */
  guint64 zero_window_probes;
  gboolean sack;             /* both SYNs offered SACK: it is in use */
  guint64 sack_retransmits;  /* holes resent in SACK recovery (RFC 6675) */
  guint64 sack_bytes_resent; /* their data bytes */
  guint64 sack_reneged;      /* times the peer dropped what it had SACKed */
  gboolean eof;              /* the peer's FIN was received */
  gboolean released;         /* the application let go of it */
} NsTcpInfo;

/* Installs itself as node's protocol 6 handler; cfg may be NULL (the
 * defaults).  The node must outlive it. */
NsTcp *ns_tcp_new(NsIpNode *node, const NsTcpConfig *cfg);
/* Frees every connection and listener without sending anything. */
void ns_tcp_free(NsTcp *tcp);
NsIpNode *ns_tcp_node(NsTcp *tcp);
const NsTcpCounters *ns_tcp_counters(const NsTcp *tcp);
const NsTcpConfig *ns_tcp_config(const NsTcp *tcp);

/* Listens on port (every local address).  Fails (NS_ERROR) when the port
 * already has a listener. */
NsTcpListener *ns_tcp_listen(NsTcp *tcp, guint16 port, NsTcpAcceptFunc accept,
                             gpointer data, GError **error);
/* Stops listening; half-open connections are reset, accepted ones stay. */
void ns_tcp_unlisten(NsTcpListener *l, NsTime now);
guint16 ns_tcp_listener_port(const NsTcpListener *l);
guint ns_tcp_n_listeners(const NsTcp *tcp);
NsTcpListener *ns_tcp_listener(NsTcp *tcp, guint i);

/* Active open to dst:dport from an ephemeral port (or sport when not 0):
 * sends the SYN at now.  cb is copied (may be NULL).  Fails (NS_ERROR)
 * when no route leads to dst or the port pair is in use. */
NsTcpConn *ns_tcp_connect(NsTcp *tcp, NsIp4 dst, guint16 dport, guint16 sport,
                          const NsTcpCallbacks *cb, NsTime now, GError **error);
void ns_tcp_set_callbacks(NsTcpConn *c, const NsTcpCallbacks *cb);

/* Queues up to len bytes for sending (what the send buffer has room for)
 * and sends what the windows allow.  Returns the bytes taken: 0 when the
 * buffer is full (writable will be called) or the connection can no longer
 * send (after close, or not yet/no longer synchronized: check the state).
 * Data given in SYN-SENT/SYN-RECEIVED is queued and goes out once
 * established. */
gsize ns_tcp_send(NsTcpConn *c, const guint8 *data, gsize len, NsTime now);
/* How many bytes ns_tcp_send() would take now: the send buffer's free
 * space, 0 when the connection can no longer send.  When the buffer is
 * full, the writable callback runs once it has room again (as after a
 * short ns_tcp_send), so a relay can read only what fits. */
gsize ns_tcp_send_space(NsTcpConn *c);
/* Reads up to size in-order bytes into buf; returns 0 when nothing is
 * waiting (then ns_tcp_eof() tells whether the peer closed).  Freeing
 * receive buffer space may send a window update. */
gsize ns_tcp_recv(NsTcpConn *c, guint8 *buf, gsize size, NsTime now);
gsize ns_tcp_readable(const NsTcpConn *c);
/* The peer's FIN arrived and every byte before it was read. */
gboolean ns_tcp_eof(const NsTcpConn *c);
/* No more data from us: a FIN goes out after what is queued. */
void ns_tcp_close(NsTcpConn *c, NsTime now);
/* Sends RST (when synchronized) and goes CLOSED at once, queued data lost.
 * No closed callback follows. */
void ns_tcp_abort(NsTcpConn *c, NsTime now);
/* The application lets go of c (see Ownership above).  Does not close it. */
void ns_tcp_release(NsTcpConn *c);

NsTcpState ns_tcp_state(const NsTcpConn *c);
void ns_tcp_info(const NsTcpConn *c, NsTcpInfo *out);
/* TRUE while some connection has work the clock will do: opening, data
 * not yet sent or acknowledged, a FIN not yet acknowledged.  Idle
 * ESTABLISHED, CLOSE-WAIT, FIN-WAIT-2 and TIME-WAIT connections are not
 * busy. */
gboolean ns_tcp_busy(const NsTcp *tcp);
/* Connections in creation order, CLOSED ones not yet freed included. */
guint ns_tcp_n_conns(const NsTcp *tcp);
NsTcpConn *ns_tcp_conn(NsTcp *tcp, guint i);

G_END_DECLS

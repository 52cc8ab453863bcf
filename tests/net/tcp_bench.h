/* tcp_bench.h — one TCP against a scripted peer, for the tcp_segments suite
 * (test_tcp_segments.c, test_tcp_segments_data.c,
 * test_tcp_segments_errors.c).
 *
 * The bench is ipnode_harness's host bench (h1 10.0.0.1 linked to the
 * probe P 10.0.0.99) with an NsTcp on h1 and one application on it.  P
 * plays the peer: a test crafts each of its segments (correct checksum,
 * exact seq/ack/window/MSS) and hands it to h1, then looks at what h1 sent
 * back, parsed from the frames P recorded, in order.  h1 learns P's MAC
 * before the test starts, so every segment h1 sends arrives exactly 1 ms
 * later: arrival times tell the virtual time of sending.
 *
 * The application records every callback; it reads whatever arrives
 * unless told not to (a slow reader, to fill the receive buffer).
 *
 * A cursor (seen) walks through h1's segments: EXPECT takes the next one
 * and checks its flags, seq and ack; EXPECT_NONE says h1 sent nothing
 * more. */
#pragma once

#include "ipnode_harness.h"
#include "net/tcp.h"

#define H1 NS_IP4(10, 0, 0, 1)
#define PEER NS_IP4(10, 0, 0, 99)
#define LISTEN_PORT 80 /* h1's listener (passive opens) */
#define PEER_PORT 40000
#define CONNECT_PORT 5000 /* h1's port in active opens (to P's port 80) */
#define P_ISN 1000u       /* P's initial sequence number */
#define STEP (10 * NS_MSEC)

/* Flag sets as tcpdump shows them: S., ., P., F., R. */
#define SA (NS_TCP_SYN | NS_TCP_ACK)
#define A NS_TCP_ACK
#define PA (NS_TCP_PSH | NS_TCP_ACK)
#define FA (NS_TCP_FIN | NS_TCP_ACK)
#define RA (NS_TCP_RST | NS_TCP_ACK)

typedef struct {
  HostBench hb;
  Net *n;
  NsTcp *tcp;
  NsTcpListener *l;
  NsTcpConn *c;      /* the connection under test */
  guint32 iss;       /* its initial sequence number */
  guint16 hport;     /* its port on h1 */
  guint16 pport;     /* and P's */
  guint seen;        /* segments from h1 the test has looked at */
  guint accepts;     /* application callbacks so far */
  guint established; /* ... */
  guint readable;    /* ... */
  guint closed;      /* ... */
  NsTcpCloseReason why;
  NsTime closed_at;
  gboolean no_read; /* the application does not read */
  GByteArray *got;  /* what it read */
} TcpBench;

/* One segment h1 sent, as P received it. */
typedef struct {
  NsTcpHdr h;
  const guint8 *data; /* into frame */
  guint32 len;
  NsTime at; /* arrival at P */
  const NsFrame *frame;
} TcpSeg;

/* cfg may be NULL: the minimal profile, whose segments carry no option
 * but the MSS (the crafted exchanges of the segment suites).  The connection's
 * ports are those of a passive open until connect_to_p. */
void bench_init(TcpBench *b, const NsTcpConfig *cfg);
void bench_clear(TcpBench *b);
void listen_on(TcpBench *b, guint16 port);
NsTcpInfo info_of(NsTcpConn *c);
/* The application reads everything waiting. */
void app_read(TcpBench *b);

/* ---- P's side ------------------------------------------------------------ */

/* A frame from P to h1 holding a segment from sport to dport (MSS option
 * when mss != 0) with a correct checksum (a new reference). */
NsFrame *craft(TcpBench *b, guint16 sport, guint16 dport, guint8 flags,
               guint32 seq, guint32 ack, guint16 window, guint16 mss,
               const guint8 *data, gsize len);
/* The same from a whole header (options too: has_ws, has_ts...). */
NsFrame *craft_hdr(TcpBench *b, NsTcpHdr *h, const guint8 *data, gsize len);
/* Hands frame (taken) to h1 now and runs STEP: h1's answer has arrived,
 * no timer has run out. */
void deliver(TcpBench *b, NsFrame *f);
/* A segment from P on the connection's ports, delivered. */
void from_p(TcpBench *b, guint8 flags, guint32 seq, guint32 ack, guint16 window,
            const guint8 *data, gsize len);
/* 'a', 'b', ... 'z', 'a', ... from offset off (8192 - off bytes). */
const guint8 *letters(guint off);

/* ---- h1's side ----------------------------------------------------------- */

/* The i-th TCP segment P received, or FALSE when there are fewer.  Fails
 * the test if it does not parse or its checksum is wrong. */
gboolean seg_at(TcpBench *b, guint i, TcpSeg *s);
guint n_segs(TcpBench *b);
/* The next segment not looked at; it must exist, go from the connection's
 * port to P's and carry exactly these flags, seq and ack (ack checked only
 * with the ACK flag). */
TcpSeg expect_seg(TcpBench *b, guint8 flags, guint32 seq, guint32 ack,
                  int line);
#define EXPECT(b, flags, seq, ack) expect_seg(b, flags, seq, ack, __LINE__)
/* h1 sent nothing the test has not looked at. */
#define EXPECT_NONE(b) ck_assert_uint_eq(n_segs(b), (b)->seen)

/* ---- opening ------------------------------------------------------------- */

/* A SYN from P (ISN isn, MSS 1460, window wnd) to h1's listener (made if
 * needed); h1's SYN+ACK, with the ISS of the connection it made (b->iss)
 * and ack isn + 1, is expected and returned. */
TcpSeg syn_to_listener(TcpBench *b, guint32 isn, guint16 wnd);
/* P connects to h1's listener: syn_to_listener (ISN P_ISN), then P's ACK
 * (window wnd): ESTABLISHED, accepted, b->c set. */
void passive_open(TcpBench *b, guint16 wnd);
/* h1 connects from CONNECT_PORT to P's port 80: its SYN is expected. */
void connect_to_p(TcpBench *b);
/* ... and P answers SYN+ACK (ISN P_ISN, MSS mss, window wnd): h1 ACKs,
 * ESTABLISHED. */
void active_open(TcpBench *b, guint16 mss, guint16 wnd);

/* ---- the suite's parts --------------------------------------------------- */

/* Data, windows, retransmission (test_tcp_segments_data.c). */
void tcp_segments_add_data(Suite *s);
/* Resets, stray and damaged segments, ICMP (test_tcp_segments_errors.c). */
void tcp_segments_add_errors(Suite *s);

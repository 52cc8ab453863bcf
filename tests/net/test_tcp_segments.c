/* test_tcp_segments.c — one TCP (on h1) against crafted segments: the probe
 * P plays the peer, segment by segment, and each test checks exactly what
 * h1 answers (flags, seq, ack, window, MSS, data, arrival time) and what
 * its connection, counters and application then show (tcp_bench.h).
 * This file: handshakes (passive, active, simultaneous) and the three ways
 * to close; data, windows and retransmission are in
 * test_tcp_segments_data.c, resets and stray segments in
 * test_tcp_segments_errors.c.  (Two real stacks talking are in
 * test_tcp_conn.c.) */
#include <string.h>

#include "tcp_bench.h"

/* ---- opening ------------------------------------------------------------- */

START_TEST(test_passive_open) {
  TcpBench b;
  bench_init(&b, NULL);
  listen_on(&b, LISTEN_PORT);
  deliver(&b, craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, P_ISN, 0, 8192,
                    1200, NULL, 0));
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 1);
  NsTcpConn *c = ns_tcp_conn(b.tcp, 0);
  NsTcpInfo i = info_of(c);
  ck_assert_int_eq(i.state, NS_TCP_SYN_RECEIVED);
  TcpSeg s = EXPECT(&b, SA, i.iss, P_ISN + 1);
  ck_assert_uint_eq(s.h.mss, 1460);
  ck_assert_uint_eq(s.h.hlen, 24);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(s.len, 0);
  ck_assert_uint_eq(b.accepts, 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/accept"), 0);

  from_p(&b, A, P_ISN + 1, i.iss + 1, 8000, NULL, 0);
  ck_assert_uint_eq(b.accepts, 1);
  ck_assert_ptr_eq(b.c, c);
  EXPECT_NONE(&b);
  i = info_of(c);
  ck_assert_int_eq(i.state, NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(i.local.v, H1.v);
  ck_assert_uint_eq(i.remote.v, PEER.v);
  ck_assert_uint_eq(i.local_port, LISTEN_PORT);
  ck_assert_uint_eq(i.remote_port, PEER_PORT);
  ck_assert_uint_eq(i.irs, P_ISN);
  ck_assert_uint_eq(i.rcv_nxt, P_ISN + 1);
  ck_assert_uint_eq(i.snd_una, i.iss + 1);
  ck_assert_uint_eq(i.snd_nxt, i.iss + 1);
  ck_assert_uint_eq(i.snd_wnd, 8000);
  ck_assert_uint_eq(i.snd_mss, 1200);
  ck_assert_uint_eq(i.rcv_wnd, 65535);
  /* RFC 3390 initial window for 1200-byte segments: 4380 bytes. */
  ck_assert_uint_eq(i.cwnd, 4380);
  /* The SYN+ACK was timed: answered STEP later. */
  ck_assert_uint_eq(i.srtt, STEP);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->passive_opens, 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->segs_in, 2);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->segs_out, 1);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/accept"), 1);
  bench_clear(&b);
}
END_TEST

/* SYN+FIN to a listening port (a scanner's probe) opens nothing and is
 * not answered, as Linux discards it; a plain SYN after it still opens. */
START_TEST(test_syn_fin_to_listener_dropped) {
  TcpBench b;
  bench_init(&b, NULL);
  listen_on(&b, LISTEN_PORT);
  deliver(&b, craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN | NS_TCP_FIN, P_ISN,
                    0, 8192, 1200, NULL, 0));
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/drop"), 1);
  deliver(&b, craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, P_ISN, 0, 8192,
                    1200, NULL, 0));
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_passive_open_repeated_syn) {
  TcpBench b;
  bench_init(&b, NULL);
  syn_to_listener(&b, P_ISN, 65535);
  guint32 iss = b.iss;
  /* Our SYN+ACK was lost: the peer's SYN comes again, and so does the same
   * SYN+ACK. */
  NsTime t = now_of(b.n);
  TcpSeg s = syn_to_listener(&b, P_ISN, 65535);
  ck_assert_uint_eq(b.iss, iss);
  ck_assert_uint_eq(s.at, t + NS_MSEC);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 1);
  ck_assert_uint_eq(info_of(ns_tcp_conn(b.tcp, 0)).retransmits, 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->retransmits, 1);
  ck_assert_uint_eq(b.accepts, 0);
  from_p(&b, A, P_ISN + 1, iss + 1, 65535, NULL, 0);
  ck_assert_uint_eq(b.accepts, 1);
  EXPECT_NONE(&b);
  bench_clear(&b);
}
END_TEST

START_TEST(test_passive_open_ack_with_data) {
  TcpBench b;
  bench_init(&b, NULL);
  syn_to_listener(&b, P_ISN, 65535);
  guint32 iss = b.iss;
  /* The handshake's last ACK already carries data: accepted, then the
   * application hears of the data. */
  from_p(&b, PA, P_ISN + 1, iss + 1, 65535, letters(0), 20);
  EXPECT(&b, A, iss + 1, P_ISN + 21);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.accepts, 1);
  ck_assert_uint_eq(b.readable, 1);
  ck_assert_uint_eq(b.got->len, 20);
  ck_assert(memcmp(b.got->data, letters(0), 20) == 0);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  bench_clear(&b);
}
END_TEST

START_TEST(test_backlog_full) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.backlog = 2;
  TcpBench b;
  bench_init(&b, &cfg);
  listen_on(&b, LISTEN_PORT);
  for (guint16 k = 0; k < 3; k++)
    deliver(&b, craft(&b, PEER_PORT + k, LISTEN_PORT, NS_TCP_SYN, P_ISN + k, 0,
                      65535, 1460, NULL, 0));
  /* Two half-open connections answered, the third SYN ignored. */
  ck_assert_uint_eq(n_segs(&b), 2);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 2);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->backlog_drops, 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/drop"), 1);
  /* One handshake completes: room for the retried SYN. */
  TcpSeg s;
  ck_assert(seg_at(&b, 0, &s));
  deliver(&b, craft(&b, PEER_PORT, LISTEN_PORT, A, P_ISN + 1, s.h.seq + 1,
                    65535, 0, NULL, 0));
  ck_assert_uint_eq(b.accepts, 1);
  deliver(&b, craft(&b, PEER_PORT + 2, LISTEN_PORT, NS_TCP_SYN, P_ISN + 2, 0,
                    65535, 1460, NULL, 0));
  ck_assert_uint_eq(n_segs(&b), 3);
  ck_assert(seg_at(&b, 2, &s));
  ck_assert_uint_eq(s.h.flags, SA);
  ck_assert_uint_eq(s.h.dport, PEER_PORT + 2);
  ck_assert_uint_eq(s.h.ack, P_ISN + 3);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->backlog_drops, 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_active_open) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  TcpSeg s;
  ck_assert(seg_at(&b, 0, &s));
  ck_assert_uint_eq(s.h.mss, 1460);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(s.len, 0);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_SENT);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->active_opens, 1);
  deliver(&b, craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss + 1, 16384, 1460,
                    NULL, 0));
  s = EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(s.h.mss, 0);
  ck_assert_uint_eq(s.h.hlen, 20);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.established, 1);
  NsTcpInfo i = info_of(b.c);
  ck_assert_int_eq(i.state, NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(i.irs, P_ISN);
  ck_assert_uint_eq(i.rcv_nxt, P_ISN + 1);
  ck_assert_uint_eq(i.snd_una, b.iss + 1);
  ck_assert_uint_eq(i.snd_wnd, 16384);
  ck_assert_uint_eq(i.snd_mss, 1460);
  ck_assert_uint_eq(i.srtt, STEP);
  bench_clear(&b);
}
END_TEST

START_TEST(test_active_open_bad_ack) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  /* A SYN+ACK acknowledging beyond our SYN, then one acknowledging our ISS
   * itself: each answered by a bare RST from their ack. */
  deliver(&b, craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss + 5, 16384, 1460,
                    NULL, 0));
  TcpSeg s = EXPECT(&b, NS_TCP_RST, b.iss + 5, 0);
  ck_assert_uint_eq(s.h.ack, 0);
  deliver(&b,
          craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss, 16384, 1460, NULL, 0));
  EXPECT(&b, NS_TCP_RST, b.iss, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_SENT);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 2);
  ck_assert_uint_eq(b.closed, 0);
  /* The right SYN+ACK still completes the handshake. */
  deliver(&b, craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss + 1, 16384, 1460,
                    NULL, 0));
  EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert_uint_eq(b.established, 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_syn_sent_rst) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  /* Not acceptable: no ACK, or an ACK that is not for our SYN.  Ignored,
   * and never answered (no RST for an RST). */
  from_p(&b, NS_TCP_RST, 0, 0, 0, NULL, 0);
  from_p(&b, RA, 0, b.iss + 7, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_SENT);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 0);
  ck_assert_uint_eq(b.closed, 0);
  /* Acceptable: connection refused. */
  NsTime t = now_of(b.n);
  from_p(&b, RA, 0, b.iss + 1, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_REFUSED);
  ck_assert_uint_eq(b.closed_at, t);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 0);
  /* Nothing left to retransmit. */
  run_for(b.n, 10 * NS_SEC);
  EXPECT_NONE(&b);
  ns_tcp_release(b.c);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_simultaneous_open) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  /* P opened too: its SYN crosses ours. */
  deliver(&b, craft(&b, 80, CONNECT_PORT, NS_TCP_SYN, P_ISN, 0, 20000, 1000,
                    NULL, 0));
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_RECEIVED);
  TcpSeg s = EXPECT(&b, SA, b.iss, P_ISN + 1);
  ck_assert_uint_eq(s.h.mss, 1460);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.established, 0);
  /* P's SYN+ACK (its answer to our SYN) lies before rcv.nxt: not
   * acceptable (RFC 9293 3.10.7.4), answered with an ACK. */
  deliver(&b, craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss + 1, 20000, 1000,
                    NULL, 0));
  EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_RECEIVED);
  /* P's ACK of our SYN+ACK completes it. */
  from_p(&b, A, P_ISN + 1, b.iss + 1, 20000, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(b.established, 1);
  ck_assert_uint_eq(b.accepts, 0);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.snd_una, b.iss + 1);
  ck_assert_uint_eq(i.rcv_nxt, P_ISN + 1);
  ck_assert_uint_eq(i.snd_wnd, 20000);
  ck_assert_uint_eq(i.snd_mss, 1000);
  bench_clear(&b);
}
END_TEST

START_TEST(test_peer_mss_honoured) {
  TcpBench b;
  bench_init(&b, NULL);
  active_open(&b, 500, 16384);
  ck_assert_uint_eq(info_of(b.c).snd_mss, 500);
  /* Initial window min(4 * 500, max(2 * 500, 4380)) = 2000: all of it. */
  ck_assert_uint_eq(info_of(b.c).cwnd, 2000);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 1200, now_of(b.n)), 1200);
  run_for(b.n, STEP);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert_uint_eq(s.len, 500);
  ck_assert(memcmp(s.data, letters(0), 500) == 0);
  s = EXPECT(&b, A, b.iss + 501, P_ISN + 1);
  ck_assert_uint_eq(s.len, 500);
  s = EXPECT(&b, PA, b.iss + 1001, P_ISN + 1);
  ck_assert_uint_eq(s.len, 200);
  ck_assert(memcmp(s.data, letters(1000), 200) == 0);
  EXPECT_NONE(&b);
  /* Without an MSS option the peer gets 536 (RFC 9293 3.7.1). */
  TcpBench d;
  bench_init(&d, NULL);
  active_open(&d, 0, 16384);
  ck_assert_uint_eq(info_of(d.c).snd_mss, 536);
  bench_clear(&d);
  bench_clear(&b);
}
END_TEST

/* ---- closing ------------------------------------------------------------- */

START_TEST(test_active_close_time_wait) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.time_wait = 2500 * NS_MSEC;
  TcpBench b;
  bench_init(&b, &cfg);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  ns_tcp_close(b.c, now_of(b.n));
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_FIN_WAIT_1);
  run_for(b.n, STEP);
  EXPECT(&b, FA, b.iss + 1, d);
  /* We may still receive. */
  from_p(&b, PA, d, b.iss + 1, 65535, letters(0), 10);
  EXPECT(&b, A, b.iss + 2, d + 10);
  ck_assert_uint_eq(b.got->len, 10);
  from_p(&b, A, d + 10, b.iss + 2, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_FIN_WAIT_2);
  ck_assert_uint_eq(b.closed, 0);
  NsTime fin_at = now_of(b.n);
  from_p(&b, FA, d + 10, b.iss + 2, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 2, d + 11);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_TIME_WAIT);
  ck_assert(ns_tcp_eof(b.c));
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_NORMAL);
  ck_assert_uint_eq(b.closed_at, fin_at);
  /* Their FIN again (our ACK was lost): ACKed again, and TIME-WAIT starts
   * over from it (RFC 9293 3.10.7.4). */
  NsTime refin_at = now_of(b.n);
  from_p(&b, FA, d + 10, b.iss + 2, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 2, d + 11);
  EXPECT_NONE(&b);
  ck_assert_uint_gt(refin_at, fin_at);
  fin_at = refin_at;
  /* TIME-WAIT lasts exactly cfg.time_wait. */
  ns_sched_run_until(&b.n->sched, fin_at + cfg.time_wait - 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_TIME_WAIT);
  ns_sched_run_until(&b.n->sched, fin_at + cfg.time_wait);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  EXPECT_NONE(&b);
  gint e = ev_find(b.n, 0, "h1", "tcp/state");
  gint last = -1;
  for (; e >= 0; e = ev_find(b.n, (guint)e + 1, "h1", "tcp/state"))
    last = e;
  ck_assert(g_str_has_suffix(ev_at(b.n, last)->summary, "TIME-WAIT -> CLOSED"));
  ck_assert_uint_eq(ev_at(b.n, last)->time, fin_at + cfg.time_wait);
  ns_tcp_release(b.c);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_passive_close) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  from_p(&b, FA, d, b.iss + 1, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d + 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSE_WAIT);
  ck_assert_uint_eq(b.readable, 1);
  ck_assert(ns_tcp_eof(b.c));
  ck_assert_uint_eq(b.closed, 0);
  /* We can still send. */
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 5, now_of(b.n)), 5);
  run_for(b.n, STEP);
  TcpSeg s = EXPECT(&b, PA, b.iss + 1, d + 1);
  ck_assert_uint_eq(s.len, 5);
  from_p(&b, A, d + 1, b.iss + 6, 65535, NULL, 0);
  ns_tcp_close(b.c, now_of(b.n));
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_LAST_ACK);
  run_for(b.n, STEP);
  EXPECT(&b, FA, b.iss + 6, d + 1);
  EXPECT_NONE(&b);
  NsTime t = now_of(b.n);
  from_p(&b, A, d + 1, b.iss + 7, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_NORMAL);
  ck_assert_uint_eq(b.closed_at, t);
  ck_assert_uint_eq(info_of(b.c).bytes_sent, 5);
  bench_clear(&b);
}
END_TEST

START_TEST(test_simultaneous_close) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  ns_tcp_close(b.c, now_of(b.n));
  run_for(b.n, STEP);
  EXPECT(&b, FA, b.iss + 1, d);
  /* Their FIN crossed ours: it does not acknowledge ours. */
  from_p(&b, FA, d, b.iss + 1, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 2, d + 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSING);
  ck_assert_uint_eq(b.closed, 0);
  NsTime t = now_of(b.n);
  from_p(&b, A, d + 1, b.iss + 2, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_TIME_WAIT);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_uint_eq(b.closed_at, t);
  ns_sched_run_until(&b.n->sched, t + ns_tcp_config(b.tcp)->time_wait);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  /* A FIN that also acknowledges ours: FIN-WAIT-1 straight to TIME-WAIT. */
  TcpBench c;
  bench_init(&c, NULL);
  passive_open(&c, 65535);
  ns_tcp_close(c.c, now_of(c.n));
  run_for(c.n, STEP);
  EXPECT(&c, FA, c.iss + 1, d);
  from_p(&c, FA, d, c.iss + 2, 65535, NULL, 0);
  EXPECT(&c, A, c.iss + 2, d + 1);
  ck_assert_int_eq(ns_tcp_state(c.c), NS_TCP_TIME_WAIT);
  bench_clear(&c);
  bench_clear(&b);
}
END_TEST

/* The IPv4 header of a segment as P received it. */
static NsIpv4Hdr ip_of(const TcpSeg *s) {
  NsIpv4Hdr ip;
  ck_assert(ns_ipv4_parse_header(s->frame->data + NS_ETH_HLEN,
                                 s->frame->len - NS_ETH_HLEN, &ip, NULL));
  return ip;
}

/* As Linux: every segment has Don't Fragment; a listener's SYN+ACK and a
 * reset for a port with no connection have identification 0; a
 * connection's own segments count up from an unpredictable start. */
START_TEST(test_ip_df_and_identification) {
  TcpBench b;
  bench_init(&b, NULL);
  TcpSeg s = syn_to_listener(&b, P_ISN, 8192);
  NsIpv4Hdr ip = ip_of(&s);
  ck_assert_uint_eq(ip.frag, NS_IPV4_DF);
  ck_assert_uint_eq(ip.id, 0);
  from_p(&b, A, P_ISN + 1, b.iss + 1, 8192, NULL, 0);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 100, now_of(b.n)), 100);
  run_for(b.n, STEP);
  ns_tcp_send(b.c, letters(100), 100, now_of(b.n));
  run_for(b.n, STEP);
  TcpSeg d1 = EXPECT(&b, PA, b.iss + 1, P_ISN + 1);
  TcpSeg d2 = EXPECT(&b, PA, b.iss + 101, P_ISN + 1);
  NsIpv4Hdr i1 = ip_of(&d1), i2 = ip_of(&d2);
  ck_assert_uint_eq(i1.frag, NS_IPV4_DF);
  ck_assert_uint_ne(i1.id, 0);
  ck_assert_uint_eq(i2.id, (guint16)(i1.id + 1));
  /* A segment for a port nobody listens on: a reset, id 0. */
  deliver(&b, craft(&b, PEER_PORT, 9, NS_TCP_SYN, 7, 0, 8192, 0, NULL, 0));
  TcpSeg r;
  ck_assert(seg_at(&b, b.seen, &r));
  ck_assert(r.h.flags & NS_TCP_RST);
  ck_assert_uint_eq(ip_of(&r).id, 0);
  ck_assert_uint_eq(ip_of(&r).frag, NS_IPV4_DF);
  bench_clear(&b);
}
END_TEST

Suite *test_tcp_segments_suite(void) {
  Suite *s = suite_create("tcp_segments");
  TCase *tc = test_tcase("open");
  tcase_add_test(tc, test_passive_open);
  tcase_add_test(tc, test_passive_open_repeated_syn);
  tcase_add_test(tc, test_syn_fin_to_listener_dropped);
  tcase_add_test(tc, test_passive_open_ack_with_data);
  tcase_add_test(tc, test_backlog_full);
  tcase_add_test(tc, test_active_open);
  tcase_add_test(tc, test_active_open_bad_ack);
  tcase_add_test(tc, test_syn_sent_rst);
  tcase_add_test(tc, test_simultaneous_open);
  tcase_add_test(tc, test_peer_mss_honoured);
  suite_add_tcase(s, tc);

  tc = test_tcase("close");
  tcase_add_test(tc, test_active_close_time_wait);
  tcase_add_test(tc, test_passive_close);
  tcase_add_test(tc, test_simultaneous_close);
  tcase_add_test(tc, test_ip_df_and_identification);
  suite_add_tcase(s, tc);

  tcp_segments_add_data(s);
  tcp_segments_add_errors(s);
  return s;
}

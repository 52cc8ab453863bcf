/* test_tcp_segments_data.c — the tcp_segments suite (tcp_bench.h) on data:
 * received in order, out of order, twice, partly old, beyond the window;
 * our zero window and the peer's (probes, window updates); retransmission
 * timing (SYN and data, RTO doubling, giving up) and fast retransmit with
 * NewReno's partial ACKs. */
#include <string.h>

#include "tcp_bench.h"

/* ---- receiving data ------------------------------------------------------ */

START_TEST(test_data_in_order) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  from_p(&b, PA, P_ISN + 1, b.iss + 1, 65535, letters(0), 100);
  /* Acknowledged in the same instant, after the application had its
   * chance to read (and answer): it read all, so the window is whole. */
  TcpSeg s = EXPECT(&b, A, b.iss + 1, P_ISN + 101);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(s.len, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.readable, 1);
  ck_assert_uint_eq(b.got->len, 100);
  ck_assert(memcmp(b.got->data, letters(0), 100) == 0);
  from_p(&b, PA, P_ISN + 101, b.iss + 1, 65535, letters(100), 50);
  s = EXPECT(&b, A, b.iss + 1, P_ISN + 151);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(b.got->len, 150);
  ck_assert(memcmp(b.got->data, letters(0), 150) == 0);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.bytes_received, 150);
  ck_assert_uint_eq(i.rcv_nxt, P_ISN + 151);
  ck_assert_uint_eq(i.rcv_wnd, 65535);
  ck_assert_uint_eq(i.ooo_segments, 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_out_of_order) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  /* [0, 100) is missing: [100, 200) and [200, 300) are kept, and each gets
   * a duplicate ACK asking for byte 0. */
  from_p(&b, A, d + 100, b.iss + 1, 65535, letters(100), 100);
  EXPECT(&b, A, b.iss + 1, d);
  from_p(&b, PA, d + 200, b.iss + 1, 65535, letters(200), 100);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, d);
  ck_assert_uint_eq(s.h.window, 65535);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.readable, 0);
  ck_assert_uint_eq(ns_tcp_readable(b.c), 0);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.ooo_segments, 2);
  ck_assert_uint_eq(i.rcv_nxt, d);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/drop"), 2);
  /* The gap fills: everything at once, in order, once. */
  from_p(&b, A, d, b.iss + 1, 65535, letters(0), 100);
  s = EXPECT(&b, A, b.iss + 1, d + 300);
  ck_assert_uint_eq(s.h.window, 65535);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.readable, 1);
  ck_assert_uint_eq(b.got->len, 300);
  ck_assert(memcmp(b.got->data, letters(0), 300) == 0);
  i = info_of(b.c);
  ck_assert_uint_eq(i.bytes_received, 300);
  ck_assert_uint_eq(i.rcv_nxt, d + 300);
  /* A late copy of a kept segment changes nothing. */
  from_p(&b, A, d + 200, b.iss + 1, 65535, letters(200), 100);
  EXPECT(&b, A, b.iss + 1, d + 300);
  ck_assert_uint_eq(b.got->len, 300);
  ck_assert_uint_eq(b.readable, 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_overlapping_out_of_order) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  /* Two kept segments overlapping each other, then the gap. */
  from_p(&b, A, d + 100, b.iss + 1, 65535, letters(100), 100);
  from_p(&b, A, d + 150, b.iss + 1, 65535, letters(150), 100);
  EXPECT(&b, A, b.iss + 1, d);
  EXPECT(&b, A, b.iss + 1, d);
  from_p(&b, A, d, b.iss + 1, 65535, letters(0), 120);
  EXPECT(&b, A, b.iss + 1, d + 250);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.got->len, 250);
  ck_assert(memcmp(b.got->data, letters(0), 250) == 0);
  ck_assert_uint_eq(info_of(b.c).bytes_received, 250);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_out_of_order_fin) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  /* The last segment, with the FIN, comes before the first. */
  from_p(&b, FA, d + 100, b.iss + 1, 65535, letters(100), 50);
  EXPECT(&b, A, b.iss + 1, d);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert(!ns_tcp_eof(b.c));
  from_p(&b, A, d, b.iss + 1, 65535, letters(0), 100);
  /* Both taken, the FIN counted in the ACK. */
  EXPECT(&b, A, b.iss + 1, d + 151);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSE_WAIT);
  ck_assert(ns_tcp_eof(b.c));
  ck_assert_uint_eq(b.readable, 1);
  ck_assert_uint_eq(b.got->len, 150);
  ck_assert(memcmp(b.got->data, letters(0), 150) == 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_across_wrap) {
  const guint32 isn = 0xffffff00u;
  TcpBench b;
  bench_init(&b, NULL);
  syn_to_listener(&b, isn, 65535);
  from_p(&b, A, isn + 1, b.iss + 1, 65535, NULL, 0);
  /* Bytes 0xffffff01.. 0x00000100: a kept segment after the wrap, the
   * gap before it, then an old copy from before the wrap. */
  from_p(&b, A, 0x80, b.iss + 1, 65535, letters(0x17f), 0x80);
  EXPECT(&b, A, b.iss + 1, isn + 1);
  from_p(&b, A, isn + 1, b.iss + 1, 65535, letters(0), 0x17f);
  EXPECT(&b, A, b.iss + 1, 0x100);
  from_p(&b, A, isn + 1, b.iss + 1, 65535, letters(0), 0x10);
  EXPECT(&b, A, b.iss + 1, 0x100);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.got->len, 0x1ff);
  ck_assert(memcmp(b.got->data, letters(0), 0x1ff) == 0);
  ck_assert_uint_eq(info_of(b.c).rcv_nxt, 0x100);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_duplicate_and_old) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  from_p(&b, PA, d, b.iss + 1, 65535, letters(0), 100);
  EXPECT(&b, A, b.iss + 1, d + 100);
  /* The same segment again (our ACK was lost): ACKed again, not read
   * twice. */
  from_p(&b, PA, d, b.iss + 1, 65535, letters(0), 100);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, d + 100);
  ck_assert_uint_eq(s.h.window, 65535);
  /* An old part of it: the same answer.  An old bare ACK: none (its
   * acknowledgement is taken; answering ACKs with ACKs could ping-pong). */
  from_p(&b, A, d + 10, b.iss + 1, 65535, letters(10), 20);
  EXPECT(&b, A, b.iss + 1, d + 100);
  from_p(&b, A, d - 1, b.iss + 1, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.readable, 1);
  ck_assert_uint_eq(b.got->len, 100);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.bytes_received, 100);
  ck_assert_uint_eq(i.rcv_nxt, d + 100);
  ck_assert_uint_eq(i.ooo_segments, 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_partly_old) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  from_p(&b, PA, d, b.iss + 1, 65535, letters(0), 100);
  EXPECT(&b, A, b.iss + 1, d + 100);
  /* [50, 150): the first half is old, only [100, 150) is new. */
  from_p(&b, PA, d + 50, b.iss + 1, 65535, letters(50), 100);
  EXPECT(&b, A, b.iss + 1, d + 150);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.readable, 2);
  ck_assert_uint_eq(b.got->len, 150);
  ck_assert(memcmp(b.got->data, letters(0), 150) == 0);
  ck_assert_uint_eq(info_of(b.c).bytes_received, 150);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_beyond_window) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.rcvbuf = 1500;
  TcpBench b;
  bench_init(&b, &cfg);
  b.no_read = TRUE;
  TcpSeg s = syn_to_listener(&b, P_ISN, 65535);
  ck_assert_uint_eq(s.h.window, 1500);
  from_p(&b, A, P_ISN + 1, b.iss + 1, 65535, NULL, 0);
  const guint32 d = P_ISN + 1;
  from_p(&b, A, d, b.iss + 1, 65535, letters(0), 1000);
  s = EXPECT(&b, A, b.iss + 1, d + 1000);
  ck_assert_uint_eq(s.h.window, 500);
  /* 800 bytes for a window of 500: the last 300 are cut, and a FIN riding
   * on them with them. */
  deliver(&b, craft(&b, PEER_PORT, LISTEN_PORT, FA, d + 1000, b.iss + 1, 65535,
                    0, letters(1000), 800));
  s = EXPECT(&b, A, b.iss + 1, d + 1500);
  ck_assert_uint_eq(s.h.window, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_readable(b.c), 1500);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert(!info_of(b.c).eof);
  ck_assert_uint_eq(info_of(b.c).bytes_received, 1500);
  app_read(&b);
  ck_assert_uint_eq(b.got->len, 1500);
  ck_assert(memcmp(b.got->data, letters(0), 1500) == 0);
  bench_clear(&b);
}
END_TEST

/* ---- zero windows -------------------------------------------------------- */

START_TEST(test_our_zero_window) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.rcvbuf = 2000;
  TcpBench b;
  bench_init(&b, &cfg);
  b.no_read = TRUE;
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  from_p(&b, A, d, b.iss + 1, 65535, letters(0), 1000);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, d + 1000);
  ck_assert_uint_eq(s.h.window, 1000);
  from_p(&b, PA, d + 1000, b.iss + 1, 65535, letters(1000), 1000);
  s = EXPECT(&b, A, b.iss + 1, d + 2000);
  ck_assert_uint_eq(s.h.window, 0);
  ck_assert_uint_eq(info_of(b.c).rcv_wnd, 0);
  /* A probe with one new byte at rcv.nxt, then a segment beyond: neither
   * is taken, each is answered with the shut window. */
  from_p(&b, A, d + 2000, b.iss + 1, 65535, letters(2000), 1);
  s = EXPECT(&b, A, b.iss + 1, d + 2000);
  ck_assert_uint_eq(s.h.window, 0);
  from_p(&b, A, d + 2100, b.iss + 1, 65535, letters(2100), 100);
  s = EXPECT(&b, A, b.iss + 1, d + 2000);
  ck_assert_uint_eq(s.h.window, 0);
  EXPECT_NONE(&b);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.bytes_received, 2000);
  ck_assert_uint_eq(i.rcv_nxt, d + 2000);
  ck_assert_uint_eq(ns_tcp_readable(b.c), 2000);
  ck_assert_uint_eq(b.readable, 2);
  /* Reading reopens it: any room after a shut window is announced, more
   * only once it grew by an MSS or half the buffer. */
  guint8 buf[2000];
  ck_assert_uint_eq(ns_tcp_recv(b.c, buf, 500, now_of(b.n)), 500);
  run_for(b.n, STEP);
  s = EXPECT(&b, A, b.iss + 1, d + 2000);
  ck_assert_uint_eq(s.h.window, 500);
  ck_assert_uint_eq(ns_tcp_recv(b.c, buf, 100, now_of(b.n)), 100);
  run_for(b.n, STEP);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_recv(b.c, buf, sizeof buf, now_of(b.n)), 1400);
  run_for(b.n, STEP);
  s = EXPECT(&b, A, b.iss + 1, d + 2000);
  ck_assert_uint_eq(s.h.window, 2000);
  EXPECT_NONE(&b);
  ck_assert(memcmp(buf, letters(600), 1400) == 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_peer_zero_window) {
  /* A peer with a 4000-byte buffer whose application does not read yet. */
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 4000);
  ck_assert_uint_eq(info_of(b.c).rto, 200 * NS_MSEC);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 6000, now_of(b.n)), 6000);
  run_for(b.n, STEP);
  /* Two full segments; the 1080 bytes left of its window wait for an ACK
   * (silly window avoidance: less than half its largest window). */
  const guint32 u = b.iss + 1;
  EXPECT(&b, A, u, P_ISN + 1);
  EXPECT(&b, A, u + 1460, P_ISN + 1);
  EXPECT_NONE(&b);
  /* The ACK leaves 1080 bytes of window and nothing in flight: no other
   * ACK will come, so the 1080 bytes go. */
  from_p(&b, A, P_ISN + 1, u + 2920, 1080, NULL, 0);
  TcpSeg s = EXPECT(&b, A, u + 2920, P_ISN + 1);
  ck_assert_uint_eq(s.len, 1080);
  ck_assert(memcmp(s.data, letters(2920), 1080) == 0);
  EXPECT_NONE(&b);
  /* Its buffer is full: window 0.  We stop. */
  NsTime shut = now_of(b.n);
  from_p(&b, A, P_ISN + 1, u + 4000, 0, NULL, 0);
  EXPECT_NONE(&b);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.snd_wnd, 0);
  ck_assert_uint_eq(i.snd_una, u + 4000);
  ck_assert_uint_eq(i.bytes_queued, 2000);
  ck_assert_uint_eq(i.rto, 200 * NS_MSEC);
  gint e = ev_find(b.n, 0, "h1", "tcp/window");
  ck_assert_int_ge(e, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(b.n, e)->summary, "peer window 0"));
  /* A probe after one RTO: one old byte's sequence number, no data; the
   * next one after twice the RTO. */
  run_for(b.n, 200 * NS_MSEC);
  s = EXPECT(&b, A, u + 3999, P_ISN + 1);
  ck_assert_uint_eq(s.len, 0);
  ck_assert_uint_eq(s.at, shut + 200 * NS_MSEC + NS_MSEC);
  EXPECT_NONE(&b);
  run_for(b.n, 400 * NS_MSEC);
  s = EXPECT(&b, A, u + 3999, P_ISN + 1);
  ck_assert_uint_eq(s.at, shut + 600 * NS_MSEC + NS_MSEC);
  EXPECT_NONE(&b);
  i = info_of(b.c);
  ck_assert_uint_eq(i.zero_window_probes, 2);
  ck_assert_uint_eq(i.retransmits, 0);
  /* Probes back off on their own count: the RTO is still the RTT's. */
  ck_assert_uint_eq(i.rto, 200 * NS_MSEC);
  ck_assert_uint_eq(i.snd_nxt, u + 4000);
  /* Its application read everything: the window update resumes sending
   * at once. */
  from_p(&b, A, P_ISN + 1, u + 4000, 4000, NULL, 0);
  s = EXPECT(&b, A, u + 4000, P_ISN + 1);
  ck_assert_uint_eq(s.len, 1460);
  ck_assert(memcmp(s.data, letters(4000), 1460) == 0);
  s = EXPECT(&b, PA, u + 5460, P_ISN + 1);
  ck_assert_uint_eq(s.len, 540);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(info_of(b.c).zero_window_probes, 2);
  ck_assert_uint_eq(info_of(b.c).bytes_queued, 2000);
  bench_clear(&b);
}
END_TEST

/* ---- retransmission ------------------------------------------------------ */

START_TEST(test_syn_retransmission) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.syn_retries = 3;
  TcpBench b;
  bench_init(&b, &cfg);
  NsTime t0 = now_of(b.n);
  connect_to_p(&b);
  run_for(b.n, 20 * NS_SEC);
  /* Sent at 0, 1 s, 3 s, 7 s (the RTO doubling from 1 s); given up at
   * 15 s, silently. */
  static const NsTime sent[] = {0, 1 * NS_SEC, 3 * NS_SEC, 7 * NS_SEC};
  ck_assert_uint_eq(n_segs(&b), 4);
  for (guint k = 0; k < 4; k++) {
    TcpSeg s;
    ck_assert(seg_at(&b, k, &s));
    ck_assert_uint_eq(s.h.flags, NS_TCP_SYN);
    ck_assert_uint_eq(s.h.seq, b.iss);
    ck_assert_uint_eq(s.h.mss, 1460);
    ck_assert_uint_eq(s.at, t0 + sent[k] + NS_MSEC);
  }
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_TIMEOUT);
  ck_assert_uint_eq(b.closed_at, t0 + 15 * NS_SEC);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.retransmits, 3);
  ck_assert_uint_eq(i.timeouts, 3);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/retransmit"), 3);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_retransmission) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  ck_assert_uint_eq(info_of(b.c).rto, 200 * NS_MSEC);
  NsTime t0 = now_of(b.n);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 100, t0), 100);
  run_for(b.n, 1500 * NS_MSEC);
  /* Unanswered: again after 200, 400, 800 ms (sent at 200, 600, 1400). */
  static const NsTime sent[] = {0, 200 * NS_MSEC, 600 * NS_MSEC,
                                1400 * NS_MSEC};
  for (guint k = 0; k < 4; k++) {
    TcpSeg s = EXPECT(&b, PA, b.iss + 1, P_ISN + 1);
    ck_assert_uint_eq(s.len, 100);
    ck_assert(memcmp(s.data, letters(0), 100) == 0);
    ck_assert_uint_eq(s.at, t0 + sent[k] + NS_MSEC);
  }
  EXPECT_NONE(&b);
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.retransmits, 3);
  ck_assert_uint_eq(i.timeouts, 3);
  ck_assert_uint_eq(i.rto, 1600 * NS_MSEC);
  ck_assert_uint_eq(i.cwnd, 1460);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/retransmit"), 3);
  /* Acknowledged: the timer stops; no RTT sample from a retransmitted
   * segment (Karn), so the backed-off RTO stays. */
  from_p(&b, A, P_ISN + 1, b.iss + 101, 65535, NULL, 0);
  run_for(b.n, 10 * NS_SEC);
  EXPECT_NONE(&b);
  i = info_of(b.c);
  ck_assert_uint_eq(i.snd_una, b.iss + 101);
  ck_assert_uint_eq(i.bytes_sent, 100);
  ck_assert_uint_eq(i.rto, 1600 * NS_MSEC);
  ck_assert_uint_eq(i.srtt, STEP);
  bench_clear(&b);
}
END_TEST

START_TEST(test_data_retransmission_gives_up) {
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.max_retries = 2;
  TcpBench b;
  bench_init(&b, &cfg);
  passive_open(&b, 65535);
  NsTime t0 = now_of(b.n);
  ns_tcp_send(b.c, letters(0), 100, t0);
  run_for(b.n, 5 * NS_SEC);
  /* Sent at 0, 200, 600 ms; at 1400 ms the third timeout gives up: an RST
   * and "timed out". */
  for (guint k = 0; k < 3; k++)
    EXPECT(&b, PA, b.iss + 1, P_ISN + 1);
  TcpSeg s = EXPECT(&b, RA, b.iss + 101, P_ISN + 1);
  ck_assert_uint_eq(s.at, t0 + 1400 * NS_MSEC + NS_MSEC);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_TIMEOUT);
  ck_assert_uint_eq(b.closed_at, t0 + 1400 * NS_MSEC);
  ck_assert_uint_eq(info_of(b.c).retransmits, 2);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_fast_retransmit) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  ck_assert_uint_eq(info_of(b.c).cwnd, 4380);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 4380, now_of(b.n)), 4380);
  run_for(b.n, STEP);
  const guint32 u = b.iss + 1; /* first data byte */
  EXPECT(&b, A, u, P_ISN + 1);
  EXPECT(&b, A, u + 1460, P_ISN + 1);
  EXPECT(&b, PA, u + 2920, P_ISN + 1);
  /* The first segment was lost: duplicate ACKs. Two are not enough. */
  from_p(&b, A, P_ISN + 1, u, 65535, NULL, 0);
  from_p(&b, A, P_ISN + 1, u, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/retransmit"), 0);
  NsTime third = now_of(b.n);
  from_p(&b, A, P_ISN + 1, u, 65535, NULL, 0);
  TcpSeg s = EXPECT(&b, A, u, P_ISN + 1);
  ck_assert_uint_eq(s.len, 1460);
  ck_assert(memcmp(s.data, letters(0), 1460) == 0);
  ck_assert_uint_eq(s.at, third + NS_MSEC);
  EXPECT_NONE(&b);
  gint e = ev_find(b.n, 0, "h1", "tcp/retransmit");
  ck_assert_int_ge(e, 0);
  ck_assert_ptr_nonnull(strstr(ev_at(b.n, e)->why, "three duplicate ACKs"));
  NsTcpInfo i = info_of(b.c);
  ck_assert_uint_eq(i.fast_retransmits, 1);
  ck_assert_uint_eq(i.retransmits, 1);
  ck_assert_uint_eq(i.timeouts, 0);
  ck_assert_uint_eq(i.dup_acks, 3);
  ck_assert_uint_eq(i.ssthresh, 2920);
  ck_assert_uint_eq(i.cwnd, 2920 + 3 * 1460);
  /* A partial ACK: the second segment was lost too, it goes at once. */
  NsTime partial = now_of(b.n);
  from_p(&b, A, P_ISN + 1, u + 1460, 65535, NULL, 0);
  s = EXPECT(&b, A, u + 1460, P_ISN + 1);
  ck_assert_uint_eq(s.len, 1460);
  ck_assert(memcmp(s.data, letters(1460), 1460) == 0);
  ck_assert_uint_eq(s.at, partial + NS_MSEC);
  EXPECT_NONE(&b);
  i = info_of(b.c);
  ck_assert_uint_eq(i.retransmits, 2);
  ck_assert_uint_eq(i.fast_retransmits, 1);
  /* The full ACK ends recovery: cwnd deflates to ssthresh. */
  from_p(&b, A, P_ISN + 1, u + 4380, 65535, NULL, 0);
  EXPECT_NONE(&b);
  i = info_of(b.c);
  ck_assert_uint_eq(i.snd_una, u + 4380);
  ck_assert_uint_eq(i.cwnd, 2920);
  ck_assert_uint_eq(i.ssthresh, 2920);
  ck_assert_uint_eq(i.timeouts, 0);
  run_for(b.n, 5 * NS_SEC);
  EXPECT_NONE(&b);
  bench_clear(&b);
}
END_TEST

void tcp_segments_add_data(Suite *s) {
  TCase *tc = test_tcase("data");
  tcase_add_test(tc, test_data_in_order);
  tcase_add_test(tc, test_data_out_of_order);
  tcase_add_test(tc, test_data_overlapping_out_of_order);
  tcase_add_test(tc, test_data_out_of_order_fin);
  tcase_add_test(tc, test_data_across_wrap);
  tcase_add_test(tc, test_data_duplicate_and_old);
  tcase_add_test(tc, test_data_partly_old);
  tcase_add_test(tc, test_data_beyond_window);
  suite_add_tcase(s, tc);

  tc = test_tcase("window");
  tcase_add_test(tc, test_our_zero_window);
  tcase_add_test(tc, test_peer_zero_window);
  suite_add_tcase(s, tc);

  tc = test_tcase("retransmit");
  tcase_add_test(tc, test_syn_retransmission);
  tcase_add_test(tc, test_data_retransmission);
  tcase_add_test(tc, test_data_retransmission_gives_up);
  tcase_add_test(tc, test_fast_retransmit);
  suite_add_tcase(s, tc);
}

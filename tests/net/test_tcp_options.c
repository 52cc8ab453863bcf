/* test_tcp_options.c — TCP as Linux speaks it, against a scripted peer
 * (tcp_bench.h): the options of the SYNs and what they agree to (window
 * scaling and timestamps only when both sides offer them), scaled windows,
 * the segment size with timestamps, PAWS, RTT from timestamps, delayed
 * ACKs; and the minimal profile's SYN, byte for byte as before. */
#include <string.h>

#include "tcp_bench.h"

#define LINUX (&ns_tcp_default_config)

/* The segment h1 sent last that the test looked at. */
static TcpSeg last_seen(TcpBench *b) {
  TcpSeg s;
  ck_assert(seg_at(b, b->seen - 1, &s));
  return s;
}

/* P's segment on the connection's ports, with timestamps. */
static NsTcpHdr p_hdr(TcpBench *b, guint8 flags, guint32 seq, guint32 ack,
                      guint16 window, guint32 tsval, guint32 tsecr) {
  NsTcpHdr h = {.sport = b->pport,
                .dport = b->hport,
                .seq = seq,
                .ack = ack,
                .flags = flags,
                .window = window,
                .has_ts = TRUE,
                .tsval = tsval,
                .tsecr = tsecr};
  return h;
}

START_TEST(test_syn_linux) {
  TcpBench b;
  bench_init(&b, LINUX);
  connect_to_p(&b);
  TcpSeg s = last_seen(&b);
  /* mss 1460, (sackOK,) TS val ecr 0, nop, wscale 7: 40 bytes. */
  ck_assert_uint_eq(s.h.hlen, 40);
  ck_assert_uint_eq(s.h.window, 64240); /* 44 x 1460, never scaled */
  ck_assert_uint_eq(s.h.mss, 1460);
  ck_assert(s.h.has_ws);
  ck_assert_uint_eq(s.h.ws, 7); /* 65535 << 7 covers 6 MiB */
  ck_assert(s.h.has_ts);
  ck_assert_uint_eq(s.h.tsecr, 0);
  bench_clear(&b);
}
END_TEST

/* minimal: today's SYN exactly, 24 bytes with the MSS alone. */
START_TEST(test_syn_minimal) {
  TcpBench b;
  bench_init(&b, &ns_tcp_minimal_config);
  connect_to_p(&b);
  TcpSeg s = last_seen(&b);
  ck_assert_uint_eq(s.h.hlen, 24);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_uint_eq(s.h.mss, 1460);
  ck_assert(!s.h.has_ws && !s.h.has_ts && !s.h.sack_ok);
  ck_assert_uint_eq(s.len, 0);
  ck_assert_uint_eq(ns_load16(s.frame->data + 14 + 2), 20 + 24);
  bench_clear(&b);
}
END_TEST

/* Both offer: the peer's shift scales every window but its SYN's, ours
 * scales what we announce, timestamps ride on every segment and take 12
 * bytes of each (1448 of data). */
START_TEST(test_negotiated_both) {
  TcpBench b;
  bench_init(&b, LINUX);
  connect_to_p(&b);
  guint32 syn_ts = last_seen(&b).h.tsval;
  NsTcpHdr sa = p_hdr(&b, SA, P_ISN, b.iss + 1, 30000, 5000, syn_ts);
  sa.mss = 1460;
  sa.has_ws = TRUE;
  sa.ws = 2;
  deliver(&b, craft_hdr(&b, &sa, NULL, 0));
  TcpSeg ack = EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert(ack.h.has_ts);
  ck_assert_uint_eq(ack.h.tsecr, 5000);
  ck_assert_uint_eq(ack.h.hlen, 32);
  /* 64240 offered in the SYN, rounded up to the 128-byte unit so that
   * the edge does not move left: 502 x 128 = 64256, as Linux. */
  ck_assert_uint_eq(ack.h.window, 502);
  NsTcpInfo i = info_of(b.c);
  ck_assert_int_eq(i.snd_wscale, 2);
  ck_assert_int_eq(i.rcv_wscale, 7);
  ck_assert(i.timestamps);
  ck_assert_uint_eq(i.snd_mss, 1448);
  ck_assert_uint_eq(i.snd_wnd, 30000); /* the SYN+ACK's: not scaled */
  NsTcpHdr upd = p_hdr(&b, A, P_ISN + 1, b.iss + 1, 1000, 5001, ack.h.tsval);
  deliver(&b, craft_hdr(&b, &upd, NULL, 0));
  ck_assert_uint_eq(info_of(b.c).snd_wnd, 4000);
  ck_assert_uint_eq(ns_tcp_send(b.c, letters(0), 3000, now_of(b.n)), 3000);
  run_for(b.n, STEP);
  TcpSeg d = EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  ck_assert_uint_eq(d.len, 1448);
  ck_assert(d.h.has_ts);
  ck_assert_uint_eq(d.h.tsecr, 5001);
  d = EXPECT(&b, A, b.iss + 1 + 1448, P_ISN + 1);
  ck_assert_uint_eq(d.len, 1448);
  d = EXPECT(&b, PA, b.iss + 1 + 2896, P_ISN + 1);
  ck_assert_uint_eq(d.len, 104);
  EXPECT_NONE(&b);
  bench_clear(&b);
}
END_TEST

/* The peer offers nothing: no scaling either way, no timestamps, our
 * window in plain bytes. */
START_TEST(test_negotiated_peer_none) {
  TcpBench b;
  bench_init(&b, LINUX);
  active_open(&b, 1460, 30000);
  TcpSeg ack = last_seen(&b);
  ck_assert(!ack.h.has_ts);
  ck_assert_uint_eq(ack.h.hlen, 20);
  ck_assert_uint_eq(ack.h.window, 64240);
  NsTcpInfo i = info_of(b.c);
  ck_assert_int_eq(i.snd_wscale, -1);
  ck_assert_int_eq(i.rcv_wscale, -1);
  ck_assert(!i.timestamps);
  ck_assert_uint_eq(i.snd_mss, 1460);
  from_p(&b, A, P_ISN + 1, b.iss + 1, 1000, NULL, 0);
  ck_assert_uint_eq(info_of(b.c).snd_wnd, 1000);
  bench_clear(&b);
}
END_TEST

/* We do not offer scaling (cfg.wscale off) though the peer does: the
 * SYN+ACK carries no window scale and windows stay plain; timestamps,
 * offered by both, are on. */
START_TEST(test_negotiated_we_decline) {
  TcpBench b;
  NsTcpConfig cfg = ns_tcp_default_config;
  cfg.wscale = FALSE;
  bench_init(&b, &cfg);
  listen_on(&b, LISTEN_PORT);
  NsTcpHdr syn = p_hdr(&b, NS_TCP_SYN, P_ISN, 0, 60000, 700, 0);
  syn.mss = 1460;
  syn.has_ws = TRUE;
  syn.ws = 9;
  deliver(&b, craft_hdr(&b, &syn, NULL, 0));
  b.iss = info_of(ns_tcp_conn(b.tcp, 0)).iss;
  TcpSeg sa = EXPECT(&b, SA, b.iss, P_ISN + 1);
  ck_assert(!sa.h.has_ws);
  ck_assert(sa.h.has_ts);
  ck_assert_uint_eq(sa.h.tsecr, 700);
  ck_assert_uint_eq(sa.h.window, 65535);
  NsTcpHdr a = p_hdr(&b, A, P_ISN + 1, b.iss + 1, 500, 701, sa.h.tsval);
  deliver(&b, craft_hdr(&b, &a, NULL, 0));
  ck_assert_uint_eq(b.accepts, 1);
  NsTcpInfo i = info_of(b.c);
  ck_assert_int_eq(i.snd_wscale, -1);
  ck_assert_uint_eq(i.snd_wnd, 500); /* not << 9 */
  ck_assert(i.timestamps);
  bench_clear(&b);
}
END_TEST

/* The SYN+ACK's window is whole segments of our own MSS (less the
 * timestamp option when agreed), whatever MSS the peer offers or omits:
 * Linux answers 64240 (65160 with timestamps), as a capture against a
 * kernel showed.  Rounding to the peer's 536 gave 65392 (122 x 536); to
 * its 1410 with timestamps, 64308 (46 x 1398). */
START_TEST(test_synack_window_own_mss) {
  static const struct {
    guint16 mss; /* 0: no MSS option */
    gboolean ts;
    guint16 window;
  } cases[] = {{0, FALSE, 64240},
               {536, FALSE, 64240},
               {1410, TRUE, 65160},
               {536, TRUE, 65160},
               {1460, FALSE, 64240}};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    TcpBench b;
    bench_init(&b, LINUX);
    listen_on(&b, LISTEN_PORT);
    NsTcpHdr syn = p_hdr(&b, NS_TCP_SYN, P_ISN, 0, 65535, 300, 0);
    syn.mss = cases[i].mss;
    syn.has_ts = cases[i].ts;
    syn.has_ws = TRUE;
    syn.ws = 7;
    deliver(&b, craft_hdr(&b, &syn, NULL, 0));
    b.iss = info_of(ns_tcp_conn(b.tcp, 0)).iss;
    TcpSeg sa = EXPECT(&b, SA, b.iss, P_ISN + 1);
    ck_assert_msg(sa.h.window == cases[i].window,
                  "peer mss %u ts %d: window %u, expected %u", cases[i].mss,
                  cases[i].ts, sa.h.window, cases[i].window);
    ck_assert_uint_eq(sa.h.has_ts, cases[i].ts);
    bench_clear(&b);
  }
}
END_TEST

/* A passive open with both options: the SYN+ACK answers with ours and
 * its first window is 45 segments of 1448 bytes (Linux's 65160). */
static void ts_passive_open(TcpBench *b, guint32 tsval) {
  listen_on(b, LISTEN_PORT);
  NsTcpHdr syn = p_hdr(b, NS_TCP_SYN, P_ISN, 0, 65535, tsval, 0);
  syn.mss = 1460;
  syn.has_ws = TRUE;
  syn.ws = 0;
  deliver(b, craft_hdr(b, &syn, NULL, 0));
  b->iss = info_of(ns_tcp_conn(b->tcp, 0)).iss;
  TcpSeg sa = EXPECT(b, SA, b->iss, P_ISN + 1);
  ck_assert(sa.h.has_ws);
  ck_assert_uint_eq(sa.h.ws, 7);
  ck_assert_uint_eq(sa.h.window, 65160);
  ck_assert_uint_eq(sa.h.tsecr, tsval);
  NsTcpHdr a = p_hdr(b, A, P_ISN + 1, b->iss + 1, 65535, tsval + 1, sa.h.tsval);
  deliver(b, craft_hdr(b, &a, NULL, 0));
  ck_assert_uint_eq(b->accepts, 1);
  EXPECT_NONE(b);
}

/* PAWS: a segment whose TSval is older than TS.Recent is an old
 * duplicate: dropped, answered with an ACK, logged.  After 24 days idle
 * TS.Recent no longer counts. */
START_TEST(test_paws) {
  TcpBench b;
  bench_init(&b, LINUX);
  ts_passive_open(&b, 100);
  NsTcpHdr d = p_hdr(&b, PA, P_ISN + 1, b.iss + 1, 65535, 200, 0);
  deliver(&b, craft_hdr(&b, &d, (const guint8 *)"abc", 3));
  TcpSeg ack = EXPECT(&b, A, b.iss + 1, P_ISN + 4);
  ck_assert_uint_eq(ack.h.tsecr, 200);
  NsTcpHdr old = p_hdr(&b, PA, P_ISN + 4, b.iss + 1, 65535, 150, 0);
  deliver(&b, craft_hdr(&b, &old, (const guint8 *)"def", 3));
  ack = EXPECT(&b, A, b.iss + 1, P_ISN + 4); /* not taken */
  ck_assert_uint_eq(ack.h.tsecr, 200);
  ck_assert_uint_eq(b.got->len, 3);
  const Ev *e = ev_last(b.n, "h1", "tcp/drop");
  ck_assert_ptr_nonnull(e);
  ck_assert_ptr_nonnull(strstr(e->summary, "older than TS.Recent 200"));
  /* 25 days later the same old timestamp is taken. */
  run_for(b.n, 25 * 24 * 3600 * NS_SEC);
  deliver(&b, craft_hdr(&b, &old, (const guint8 *)"def", 3));
  ack = EXPECT(&b, A, b.iss + 1, P_ISN + 7);
  ck_assert_uint_eq(ack.h.tsecr, 150);
  ck_assert_uint_eq(b.got->len, 6);
  bench_clear(&b);
}
END_TEST

/* RTT from timestamps: every ACK that advances gives a sample of our
 * clock minus its TSecr, whatever segment it acknowledges. */
START_TEST(test_ts_rtt) {
  TcpBench b;
  bench_init(&b, LINUX);
  ts_passive_open(&b, 100);
  NsTcpInfo i = info_of(b.c);
  /* The handshake's sample: SYN+ACK out, ACK in STEP later. */
  ck_assert_uint_eq(i.srtt, STEP);
  ns_tcp_send(b.c, letters(0), 100, now_of(b.n));
  run_for(b.n, STEP);
  TcpSeg d = EXPECT(&b, PA, b.iss + 1, P_ISN + 1);
  /* The ACK echoes a TSval 990 ms older than the data's: the sample says
   * 1 s (the data went out 10 ms ago), Karn's timing would say 10 ms. */
  NsTcpHdr a =
      p_hdr(&b, A, P_ISN + 1, b.iss + 101, 65535, 102, d.h.tsval - 990);
  deliver(&b, craft_hdr(&b, &a, NULL, 0));
  i = info_of(b.c);
  ck_assert_uint_eq(i.srtt, (7 * STEP + 1000 * NS_MSEC) / 8);
  bench_clear(&b);
}
END_TEST

/* Delayed ACKs: one full segment waits for the timer, the second is
 * acknowledged at once, a FIN or a gap too. */
START_TEST(test_delayed_ack) {
  TcpBench b;
  NsTcpConfig cfg = ns_tcp_minimal_config;
  cfg.delayed_ack = 40 * NS_MSEC;
  bench_init(&b, &cfg);
  passive_open(&b, 65535);
  NsTime t0 = now_of(b.n);
  from_p(&b, A, P_ISN + 1, b.iss + 1, 65535, letters(0), 1460);
  EXPECT_NONE(&b);
  run_for(b.n, 30 * NS_MSEC);
  EXPECT_NONE(&b);
  run_for(b.n, 1 * NS_MSEC);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, P_ISN + 1461);
  ck_assert_uint_eq(s.at, t0 + 40 * NS_MSEC + 1 * NS_MSEC);
  ck_assert_ptr_nonnull(ev_last(b.n, "h1", "tcp/ack"));
  /* Two full segments: the second is acknowledged as it arrives. */
  from_p(&b, A, P_ISN + 1461, b.iss + 1, 65535, letters(0), 1460);
  EXPECT_NONE(&b);
  NsTime t1 = now_of(b.n);
  from_p(&b, A, P_ISN + 2921, b.iss + 1, 65535, letters(0), 1460);
  s = EXPECT(&b, A, b.iss + 1, P_ISN + 4381);
  ck_assert_uint_eq(s.at, t1 + 1 * NS_MSEC);
  run_for(b.n, 100 * NS_MSEC);
  EXPECT_NONE(&b); /* the timer was cancelled */
  /* A gap: the duplicate ACK goes at once; so does the ACK of the
   * segment that fills it. */
  from_p(&b, A, P_ISN + 4381 + 100, b.iss + 1, 65535, letters(0), 100);
  EXPECT(&b, A, b.iss + 1, P_ISN + 4381);
  from_p(&b, A, P_ISN + 4381, b.iss + 1, 65535, letters(0), 100);
  EXPECT(&b, A, b.iss + 1, P_ISN + 4581);
  /* A FIN: at once. */
  from_p(&b, FA, P_ISN + 4581, b.iss + 1, 65535, NULL, 0);
  s = EXPECT(&b, A, b.iss + 1, P_ISN + 4582);
  ck_assert_uint_eq(s.at, now_of(b.n) - STEP + 1 * NS_MSEC);
  bench_clear(&b);
}
END_TEST

Suite *test_tcp_options_suite(void) {
  Suite *s = suite_create("tcp_options");
  TCase *tc = test_tcase("tcp_options");
  tcase_add_test(tc, test_syn_linux);
  tcase_add_test(tc, test_syn_minimal);
  tcase_add_test(tc, test_negotiated_both);
  tcase_add_test(tc, test_negotiated_peer_none);
  tcase_add_test(tc, test_negotiated_we_decline);
  tcase_add_test(tc, test_synack_window_own_mss);
  tcase_add_test(tc, test_paws);
  tcase_add_test(tc, test_ts_rtt);
  tcase_add_test(tc, test_delayed_ack);
  suite_add_tcase(s, tc);
  return s;
}

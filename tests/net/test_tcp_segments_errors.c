/* test_tcp_segments_errors.c — the tcp_segments suite (tcp_bench.h) on
 * what interrupts a connection: RST in every state (exact, challenged,
 * ignored), SYNs where none belongs, abort; segments for closed ports,
 * damaged and malformed segments; ICMP errors about our SYN. */
#include <string.h>

#include "tcp_bench.h"

/* ---- resets -------------------------------------------------------------- */

START_TEST(test_syn_received_rst) {
  TcpBench b;
  bench_init(&b, NULL);
  syn_to_listener(&b, P_ISN, 65535);
  from_p(&b, NS_TCP_RST, P_ISN + 1, 0, 0, NULL, 0);
  /* Forgotten, nobody told, still listening. */
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  ck_assert_uint_eq(b.accepts, 0);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 1);
  ck_assert_uint_eq(ns_tcp_n_listeners(b.tcp), 1);
  /* Nothing is retransmitted for it. */
  run_for(b.n, 5 * NS_SEC);
  EXPECT_NONE(&b);
  /* The same SYN again opens a new connection. */
  syn_to_listener(&b, P_ISN, 65535);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 1);
  bench_clear(&b);
}
END_TEST

START_TEST(test_simultaneous_open_rst) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  deliver(&b, craft(&b, 80, CONNECT_PORT, NS_TCP_SYN, P_ISN, 0, 20000, 1460,
                    NULL, 0));
  EXPECT(&b, SA, b.iss, P_ISN + 1);
  /* An active open reset in SYN-RECEIVED was refused (RFC 9293 3.10.7.4). */
  from_p(&b, NS_TCP_RST, P_ISN + 1, 0, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_REFUSED);
  bench_clear(&b);
}
END_TEST

START_TEST(test_established_rst) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  /* In the window but not exactly rcv.nxt: a challenge ACK (RFC 5961). */
  from_p(&b, NS_TCP_RST, d + 100, 0, 0, NULL, 0);
  TcpSeg s = EXPECT(&b, A, b.iss + 1, d);
  ck_assert_uint_eq(s.h.window, 65535);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  /* Outside the window, either side: ignored. */
  from_p(&b, NS_TCP_RST, d - 1, 0, 0, NULL, 0);
  from_p(&b, NS_TCP_RST, d + 65535, 0, 0, NULL, 0);
  from_p(&b, RA, d + 70000, b.iss + 1, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 0);
  ck_assert_uint_eq(b.closed, 0);
  /* Exactly rcv.nxt: the connection is reset. */
  NsTime t = now_of(b.n);
  from_p(&b, NS_TCP_RST, d, 0, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_int_eq(b.why, NS_TCP_CLOSE_RESET);
  ck_assert_uint_eq(b.closed_at, t);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_abort) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  ns_tcp_send(b.c, letters(0), 10, now_of(b.n));
  run_for(b.n, STEP);
  EXPECT(&b, PA, b.iss + 1, P_ISN + 1);
  /* An RST from snd.nxt; no callback, nothing retransmitted. */
  ns_tcp_abort(b.c, now_of(b.n));
  run_for(b.n, STEP);
  EXPECT(&b, RA, b.iss + 11, P_ISN + 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 0);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 1);
  run_for(b.n, 5 * NS_SEC);
  EXPECT_NONE(&b);
  /* Anything more from the peer meets no connection. */
  from_p(&b, A, P_ISN + 1, b.iss + 11, 65535, NULL, 0);
  EXPECT(&b, NS_TCP_RST, b.iss + 11, 0);
  bench_clear(&b);
}
END_TEST

START_TEST(test_established_syn) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  /* A SYN in the window, and one outside: a challenge ACK each, no RST,
   * no new connection. */
  from_p(&b, NS_TCP_SYN, d, 0, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d);
  from_p(&b, NS_TCP_SYN, 777777, 0, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 1);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_out, 0);
  ck_assert_uint_eq(b.closed, 0);
  ck_assert_uint_eq(info_of(b.c).rcv_nxt, d);
  bench_clear(&b);
}
END_TEST

/* RFC 5961 7: an ACK to a segment out of the window is rate-limited per
 * connection (Linux's tcp_invalid_ratelimit, 500 ms), the first always
 * answered; a segment carrying data always is (no ACK loop is made of
 * data).  Suppressed ACKs are counted, and logged once. */
START_TEST(test_oow_ack_ratelimited) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1, far = d + 100000;
  from_p(&b, A, far, b.iss + 1, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d);
  from_p(&b, A, far, b.iss + 1, 65535, NULL, 0);
  from_p(&b, A, far + 1, b.iss + 1, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->acks_ratelimited, 2);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/ratelimit"), 1);
  /* Data out of the window: answered all the same. */
  from_p(&b, PA, far, b.iss + 1, 65535, letters(0), 10);
  EXPECT(&b, A, b.iss + 1, d);
  /* An ACK of data never sent: limited by the same clock. */
  from_p(&b, A, d, b.iss + 5000, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->acks_ratelimited, 3);
  /* 500 ms later, answered again; the log said it once. */
  run_for(b.n, 500 * NS_MSEC);
  from_p(&b, A, far, b.iss + 1, 65535, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/ratelimit"), 1);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(b.closed, 0);
  bench_clear(&b);
}
END_TEST

/* Challenge ACKs (a reset in the window, not exact) are limited per node
 * and virtual second (Linux's tcp_challenge_ack_limit), deterministic. */
START_TEST(test_challenge_ack_limit) {
  TcpBench b;
  bench_init(&b, NULL);
  passive_open(&b, 65535);
  const guint32 d = P_ISN + 1;
  const guint extra = 5;
  run_for(b.n, NS_SEC - now_of(b.n) % NS_SEC); /* a second starts */
  for (guint i = 0; i < NS_TCP_CHALLENGE_ACK_LIMIT + extra; i++) /* at once */
    b.hb.i0->nic.recv(&b.hb.i0->nic,
                      craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_RST, d + 1 + i,
                            0, 0, 0, NULL, 0),
                      now_of(b.n));
  run_for(b.n, STEP);
  ck_assert_uint_eq(n_segs(&b) - b.seen, NS_TCP_CHALLENGE_ACK_LIMIT);
  b.seen = n_segs(&b);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->acks_ratelimited, extra);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/ratelimit"), 1);
  /* The next second has a new budget. */
  run_for(b.n, NS_SEC);
  from_p(&b, NS_TCP_RST, d + 7, 0, 0, NULL, 0);
  EXPECT(&b, A, b.iss + 1, d);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  bench_clear(&b);
}
END_TEST

/* Drives a passive connection to state; returns P's next sequence number
 * (what an exact RST carries). */
static guint32 reach_state(TcpBench *b, NsTcpState state) {
  const guint32 d = P_ISN + 1;
  passive_open(b, 65535);
  switch (state) {
  case NS_TCP_ESTABLISHED:
    return d;
  case NS_TCP_CLOSE_WAIT:
  case NS_TCP_LAST_ACK:
    from_p(b, FA, d, b->iss + 1, 65535, NULL, 0);
    EXPECT(b, A, b->iss + 1, d + 1);
    if (state == NS_TCP_LAST_ACK) {
      ns_tcp_close(b->c, now_of(b->n));
      run_for(b->n, STEP);
      EXPECT(b, FA, b->iss + 1, d + 1);
    }
    break;
  default:
    ns_tcp_close(b->c, now_of(b->n));
    run_for(b->n, STEP);
    EXPECT(b, FA, b->iss + 1, d);
    if (state == NS_TCP_FIN_WAIT_1)
      return d;
    if (state == NS_TCP_CLOSING) {
      from_p(b, FA, d, b->iss + 1, 65535, NULL, 0);
      EXPECT(b, A, b->iss + 2, d + 1);
      break;
    }
    from_p(b, A, d, b->iss + 2, 65535, NULL, 0);
    if (state == NS_TCP_FIN_WAIT_2)
      return d;
    from_p(b, FA, d, b->iss + 2, 65535, NULL, 0);
    EXPECT(b, A, b->iss + 2, d + 1);
    break;
  }
  return d + 1;
}

static const struct {
  NsTcpState state;
  NsTcpCloseReason why; /* what the closed callback tells */
} rst_cases[] = {
    {NS_TCP_ESTABLISHED, NS_TCP_CLOSE_RESET},
    {NS_TCP_FIN_WAIT_1, NS_TCP_CLOSE_RESET},
    {NS_TCP_FIN_WAIT_2, NS_TCP_CLOSE_RESET},
    {NS_TCP_CLOSE_WAIT, NS_TCP_CLOSE_RESET},
    {NS_TCP_CLOSING, NS_TCP_CLOSE_NORMAL},
    {NS_TCP_LAST_ACK, NS_TCP_CLOSE_NORMAL},
};

START_TEST(test_rst_in_state) {
  TcpBench b;
  bench_init(&b, NULL);
  guint32 rcv_nxt = reach_state(&b, rst_cases[_i].state);
  ck_assert_str_eq(ns_tcp_state_name(ns_tcp_state(b.c)),
                   ns_tcp_state_name(rst_cases[_i].state));
  guint closed_before = b.closed;
  /* Off by one: a challenge ACK (from after our FIN once it went), the
   * state stays. */
  gboolean fin_sent = ns_tcp_state(b.c) != NS_TCP_ESTABLISHED &&
                      ns_tcp_state(b.c) != NS_TCP_CLOSE_WAIT;
  from_p(&b, NS_TCP_RST, rcv_nxt + 1, 0, 0, NULL, 0);
  EXPECT(&b, A, b.iss + (fin_sent ? 2 : 1), rcv_nxt);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), rst_cases[_i].state);
  /* Exact: CLOSED at once, nothing sent, the application told once. */
  from_p(&b, NS_TCP_RST, rcv_nxt, 0, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ck_assert_uint_eq(closed_before, 0);
  ck_assert_int_eq(b.why, rst_cases[_i].why);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 1);
  /* No timer is left: nothing more is sent, no callback comes. */
  run_for(b.n, 30 * NS_SEC);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(b.closed, 1);
  ns_tcp_release(b.c);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  bench_clear(&b);
}
END_TEST

/* RFC 1337: TIME-WAIT runs its course whatever resets arrive. */
START_TEST(test_rst_in_time_wait_ignored) {
  TcpBench b;
  bench_init(&b, NULL);
  guint32 rcv_nxt = reach_state(&b, NS_TCP_TIME_WAIT);
  ck_assert_uint_eq(b.closed, 1); /* told on entering TIME-WAIT */
  from_p(&b, NS_TCP_RST, rcv_nxt, 0, 0, NULL, 0);
  EXPECT_NONE(&b);
  from_p(&b, NS_TCP_RST | NS_TCP_ACK, rcv_nxt, b.iss + 2, 0, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_TIME_WAIT);
  ck_assert_uint_eq(ns_tcp_counters(b.tcp)->rst_in, 0);
  ck_assert_int_ge(ev_find(b.n, 0, "h1", "tcp/drop"), 0);
  run_for(b.n, 30 * NS_SEC);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(b.closed, 1);
  ns_tcp_release(b.c);
  bench_clear(&b);
}
END_TEST

/* ---- segments without a connection --------------------------------------- */

START_TEST(test_no_listener) {
  TcpBench b;
  bench_init(&b, NULL);
  b.hport = 81;
  /* A SYN: RST+ACK, seq 0, ack = seq + 1. */
  from_p(&b, NS_TCP_SYN, 5000, 0, 65535, NULL, 0);
  TcpSeg s = EXPECT(&b, RA, 0, 5001);
  ck_assert_uint_eq(s.h.window, 0);
  ck_assert_uint_eq(s.len, 0);
  /* Data without ACK: ack = seq + len; with a FIN, one more. */
  from_p(&b, NS_TCP_PSH, 6000, 0, 65535, letters(0), 10);
  EXPECT(&b, RA, 0, 6010);
  from_p(&b, NS_TCP_FIN, 7000, 0, 65535, letters(0), 10);
  EXPECT(&b, RA, 0, 7011);
  /* With ACK: a bare RST from their ack. */
  from_p(&b, PA, 8000, 424242, 65535, letters(0), 10);
  s = EXPECT(&b, NS_TCP_RST, 424242, 0);
  ck_assert_uint_eq(s.h.ack, 0);
  /* Never an RST for an RST. */
  from_p(&b, NS_TCP_RST, 9000, 0, 0, NULL, 0);
  from_p(&b, RA, 9000, 1, 0, NULL, 0);
  EXPECT_NONE(&b);
  const NsTcpCounters *k = ns_tcp_counters(b.tcp);
  ck_assert_uint_eq(k->no_listener, 6);
  ck_assert_uint_eq(k->rst_out, 4);
  ck_assert_uint_eq(k->segs_in, 6);
  ck_assert_uint_eq(k->segs_out, 4);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/rst"), 4);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  /* A listening port takes only SYNs: an ACK gets an RST, a FIN
   * nothing. */
  listen_on(&b, 81);
  from_p(&b, A, 100, 31337, 65535, NULL, 0);
  EXPECT(&b, NS_TCP_RST, 31337, 0);
  from_p(&b, NS_TCP_FIN, 100, 0, 65535, NULL, 0);
  EXPECT_NONE(&b);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  ck_assert_uint_eq(k->no_listener, 6);
  bench_clear(&b);
}
END_TEST

START_TEST(test_damaged_segments) {
  TcpBench b;
  bench_init(&b, NULL);
  listen_on(&b, LISTEN_PORT);
  const NsTcpCounters *k = ns_tcp_counters(b.tcp);
  const gsize tcp_at = NS_ETH_HLEN + NS_IPV4_HLEN;
  /* A SYN with one bit of its data flipped: bad checksum. */
  NsFrame *f = craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, P_ISN, 0, 65535,
                     1460, letters(0), 8);
  f->data[tcp_at + 24 + 3] ^= 0x01;
  deliver(&b, f);
  ck_assert_uint_eq(k->bad_checksum, 1);
  ck_assert_uint_eq(k->segs_in, 0);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/drop"), 1);
  /* Data offsets 4 (under the fixed header) and 15 (past the segment):
   * malformed. */
  f = craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, P_ISN, 0, 65535, 0, NULL,
            0);
  f->data[tcp_at + 12] = 0x40;
  deliver(&b, f);
  f = craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_SYN, P_ISN, 0, 65535, 0, NULL,
            0);
  f->data[tcp_at + 12] = 0xf0;
  deliver(&b, f);
  ck_assert_uint_eq(k->malformed, 2);
  ck_assert_uint_eq(k->bad_checksum, 1);
  ck_assert_uint_eq(k->segs_in, 0);
  ck_assert_uint_eq(k->rst_out, 0);
  ck_assert_uint_eq(ns_tcp_n_conns(b.tcp), 0);
  ck_assert_uint_eq(ev_count(b.n, "h1", "tcp/drop"), 3);
  /* Silently: no segment, and no ICMP either. */
  ck_assert_uint_eq(probe_count_type(b.hb.p, NS_ETHERTYPE_IPV4), 0);
  /* Damage to a segment of an established connection changes nothing. */
  passive_open(&b, 65535);
  f = craft(&b, PEER_PORT, LISTEN_PORT, NS_TCP_RST, P_ISN + 1, 0, 0, 0, NULL,
            0);
  f->data[tcp_at + 16] ^= 0x80;
  deliver(&b, f);
  ck_assert_uint_eq(k->bad_checksum, 2);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  EXPECT_NONE(&b);
  bench_clear(&b);
}
END_TEST

/* ---- ICMP errors --------------------------------------------------------- */

/* An ICMP destination unreachable (code) from P quoting h1's segment s. */
static NsFrame *unreachable(TcpBench *b, const TcpSeg *s, guint8 code) {
  const guint8 *ip = s->frame->data + NS_ETH_HLEN;
  gsize quote = ns_icmp_quote_len(ip, s->frame->len - NS_ETH_HLEN);
  /* a SYN: its datagram whole (the frame has Ethernet padding) */
  ck_assert_uint_eq(quote, ns_ipv4_total_len(ip));
  guint8 buf[NS_ICMP_HLEN + 64];
  NsIcmp m = {NS_ICMP_DEST_UNREACH, code, 0, 0, 0, ip, quote};
  gsize len = ns_icmp_emit(buf, &m);
  return mk_ipv4(b->n, b->hb.i0->nic.mac, b->hb.p->nic.mac, PEER, H1, 64,
                 NS_IPPROTO_ICMP, buf, len);
}

START_TEST(test_icmp_unreachable) {
  static const guint8 codes[] = {NS_ICMP_PORT_UNREACH, NS_ICMP_HOST_UNREACH};
  for (guint k = 0; k < G_N_ELEMENTS(codes); k++) {
    TcpBench b;
    bench_init(&b, NULL);
    connect_to_p(&b);
    TcpSeg syn;
    ck_assert(seg_at(&b, 0, &syn));
    /* The quote altered to another sequence number is not about our
     * SYN: ignored. */
    NsFrame *f = unreachable(&b, &syn, codes[k]);
    NsFrame *g = unreachable(&b, &syn, codes[k]);
    const gsize seq_at =
        NS_ETH_HLEN + NS_IPV4_HLEN + NS_ICMP_HLEN + NS_IPV4_HLEN + 4;
    g->data[seq_at + 3] ^= 0x01;
    NsIcmp fix = {NS_ICMP_DEST_UNREACH,
                  codes[k],
                  0,
                  0,
                  0,
                  g->data + NS_ETH_HLEN + NS_IPV4_HLEN + NS_ICMP_HLEN,
                  NS_IPV4_HLEN + 8};
    ns_icmp_emit(g->data + NS_ETH_HLEN + NS_IPV4_HLEN, &fix);
    deliver(&b, g);
    ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_SYN_SENT);
    ck_assert_uint_eq(b.closed, 0);
    NsTime t = now_of(b.n);
    deliver(&b, f);
    ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_CLOSED);
    ck_assert_uint_eq(b.closed, 1);
    ck_assert_int_eq(b.why, NS_TCP_CLOSE_UNREACH);
    ck_assert_uint_eq(b.closed_at, t);
    /* No more SYNs. */
    run_for(b.n, 10 * NS_SEC);
    EXPECT_NONE(&b);
    bench_clear(&b);
  }
}
END_TEST

START_TEST(test_icmp_unreachable_established) {
  TcpBench b;
  bench_init(&b, NULL);
  connect_to_p(&b);
  TcpSeg syn;
  ck_assert(seg_at(&b, 0, &syn));
  NsFrame *f = unreachable(&b, &syn, NS_ICMP_PORT_UNREACH);
  deliver(&b, craft(&b, 80, CONNECT_PORT, SA, P_ISN, b.iss + 1, 16384, 1460,
                    NULL, 0));
  EXPECT(&b, A, b.iss + 1, P_ISN + 1);
  /* Once open, destination unreachable is a soft error (RFC 1122
   * 4.2.3.9). */
  deliver(&b, f);
  ck_assert_int_eq(ns_tcp_state(b.c), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(b.closed, 0);
  EXPECT_NONE(&b);
  bench_clear(&b);
}
END_TEST

void tcp_segments_add_errors(Suite *s) {
  TCase *tc = test_tcase("reset");
  tcase_add_test(tc, test_syn_received_rst);
  tcase_add_test(tc, test_simultaneous_open_rst);
  tcase_add_test(tc, test_established_rst);
  tcase_add_test(tc, test_established_syn);
  tcase_add_test(tc, test_oow_ack_ratelimited);
  tcase_add_test(tc, test_challenge_ack_limit);
  tcase_add_test(tc, test_abort);
  tcase_add_loop_test(tc, test_rst_in_state, 0, G_N_ELEMENTS(rst_cases));
  tcase_add_test(tc, test_rst_in_time_wait_ignored);
  suite_add_tcase(s, tc);

  tc = test_tcase("stray");
  tcase_add_test(tc, test_no_listener);
  tcase_add_test(tc, test_damaged_segments);
  tcase_add_test(tc, test_icmp_unreachable);
  tcase_add_test(tc, test_icmp_unreachable_established);
  suite_add_tcase(s, tc);
}

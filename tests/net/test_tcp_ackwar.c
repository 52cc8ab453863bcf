/* test_tcp_ackwar.c — two ends that disagree about a connection must not
 * answer each other's ACKs forever (issue 12, finding 1).  A reset with
 * the live connection's 4-tuple and seq = rcv.nxt ends the server's side;
 * a SYN on the same 4-tuple reopens it there in SYN-RECEIVED while the
 * client, which saw neither, stays ESTABLISHED.  Each side finds the
 * other's segments out of its window.  Before the fix both answered every
 * ACK with an ACK (about 280,000 segments per virtual second, forever);
 * now SYN-RECEIVED answers the client's ACK with RST <SEQ=SEG.ACK>
 * (exact, so the client accepts it: RFC 5961 3.2), the client's SYN+ACK
 * answer then meets no connection and resets the server's, and ACKs to
 * unacceptable segments are rate-limited anyway (RFC 5961 7). */
#include <string.h>

#include "ipnode_harness.h"
#include "net/tcp.h"

typedef struct {
  NsTcpConn *srv; /* the server's side, once accepted */
  guint accepts;  /* handshakes completed on the listener */
  guint closed;   /* closed callbacks of the client */
  NsTcpCloseReason why;
} War;

static void on_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now,
                      gpointer data) {
  War *w = data;
  (void)c;
  (void)now;
  w->closed++;
  w->why = why;
}

static void on_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                      gpointer data) {
  War *w = data;
  (void)l;
  (void)now;
  w->accepts++;
  if (w->srv != NULL)
    ns_tcp_release(w->srv); /* the one the reset ended */
  w->srv = c;
}

/* A segment from h1 to h2 on the connection's 4-tuple (h1's port cport). */
static void from_h1(PairBench *pb, guint16 cport, guint8 flags, guint32 seq,
                    guint32 ack) {
  NsTcpHdr h = {0};
  h.sport = cport;
  h.dport = 7;
  h.seq = seq;
  h.ack = ack;
  h.flags = flags;
  h.window = 65535;
  if (flags & NS_TCP_SYN)
    h.mss = 1460;
  guint8 seg[NS_TCP_MAX_HLEN];
  gsize total = ns_tcp_emit(seg, &h, 0, pb->a->addr.addr, pb->b->addr.addr);
  NsFrame *f =
      mk_ipv4(pb->net, pb->b->nic.mac, pb->a->nic.mac, pb->a->addr.addr,
              pb->b->addr.addr, 64, NS_IPPROTO_TCP, seg, total);
  inject(pb->net, pb->b, f);
}

static guint64 segs_out(NsTcp *t1, NsTcp *t2) {
  return ns_tcp_counters(t1)->segs_out + ns_tcp_counters(t2)->segs_out;
}

/* Where the second SYN lies from the client's snd.nxt: below, the
 * client's segments are beyond the server's new window (each side finds
 * the other's out of the window: the war); above, they are old
 * duplicates to it. */
static const guint32 syn_offset[] = {(guint32)-1000000, 1000000};

START_TEST(test_ack_war_ends) {
  PairBench pb = pair_bench(&quick_link);
  NsTcp *t1 = ns_tcp_new(pb.h1, &ns_tcp_minimal_config);
  NsTcp *t2 = ns_tcp_new(pb.h2, _i % 2 == 1 ? &ns_tcp_default_config
                                            : &ns_tcp_minimal_config);
  War w = {0};
  ck_assert_ptr_nonnull(ns_tcp_listen(t2, 7, on_accept, &w, NULL));
  NsTcpCallbacks cb = {NULL, NULL, NULL, on_closed, &w};
  /* The seeded generator's state picks the initial sequence numbers, the
   * server's new one among them, which decides whether the server's
   * segments are old duplicates to the client (then it falls silent) or
   * beyond its window (then it answers: the war). */
  g_rand_set_seed(pb.net->ctx.rng, 20261202 + _i / 4);
  NsTcpConn *cli =
      ns_tcp_connect(t1, pb.b->addr.addr, 7, 0, &cb, now_of(pb.net), NULL);
  ck_assert_ptr_nonnull(cli);
  run_for(pb.net, 10 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(cli), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(w.accepts, 1);
  NsTcpInfo ci;
  ns_tcp_info(cli, &ci);

  /* The reset the client never sent, then its SYN again from elsewhere
   * in the sequence space: the server reopens in SYN-RECEIVED. */
  from_h1(&pb, ci.local_port, NS_TCP_RST, ci.snd_nxt, 0);
  ck_assert_int_eq(ns_tcp_state(w.srv), NS_TCP_CLOSED);
  guint64 before = segs_out(t1, t2);
  NsTime t0 = now_of(pb.net);
  from_h1(&pb, ci.local_port, NS_TCP_SYN, ci.snd_nxt + syn_offset[(_i / 2) % 2],
          0);

  /* Bounded: in steps, so that a war that does not end fails fast. */
  for (guint i = 0; i < 50 && segs_out(t1, t2) - before < 1000; i++)
    run_for(pb.net, 100 * NS_MSEC);
  guint64 sent = segs_out(t1, t2) - before;
  ck_assert_uint_lt(sent, 20);
  ck_assert_uint_ge(now_of(pb.net) - t0, 5 * NS_SEC);

  /* Both ends sane: the client was reset (told once), the server
   * forgot the reopened connection and still listens. */
  ck_assert_int_eq(ns_tcp_state(cli), NS_TCP_CLOSED);
  ck_assert_uint_eq(w.closed, 1);
  ck_assert_int_eq(w.why, NS_TCP_CLOSE_RESET);
  ck_assert_uint_eq(w.accepts, 1);
  ns_tcp_release(cli);
  ns_tcp_release(w.srv);
  w.srv = NULL;
  ck_assert_uint_eq(ns_tcp_n_conns(t1), 0);
  ck_assert_uint_eq(ns_tcp_n_conns(t2), 0);

  /* And a new connection on the same ports works. */
  NsTcpConn *again = ns_tcp_connect(t1, pb.b->addr.addr, 7, ci.local_port, &cb,
                                    now_of(pb.net), NULL);
  ck_assert_ptr_nonnull(again);
  run_for(pb.net, 10 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(again), NS_TCP_ESTABLISHED);
  ck_assert_uint_eq(w.accepts, 2);
  ns_tcp_free(t1);
  ns_tcp_free(t2);
  net_free(pb.net);
}
END_TEST

Suite *test_tcp_ackwar_suite(void) {
  Suite *s = suite_create("tcp_ackwar");
  TCase *tc = test_tcase("tcp_ackwar");
  tcase_add_loop_test(tc, test_ack_war_ends, 0, 4 * 4); /* 4 seeds */
  suite_add_tcase(s, tc);
  return s;
}

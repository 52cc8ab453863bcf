/* test_link.c — NICs and links: timing, FIFO, queue limit, loss, up/down
 * (the netem impairments are in test_link_netem.c). */
#include <string.h>

#include "net/link_harness.h"

/* ---- timing -------------------------------------------------------------- */

START_TEST(test_delay_rate_exact) {
  NsLinkParams p = link_params(1 * NS_MSEC, 1000000, 0, 64);
  Net *net = link_net_new(&p, 1);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 1);
  /* 800 bits at 1 Mbit/s = 800 us, + 1 ms = 1.8 ms. */
  link_run_until(&net->ctx, 1800 * NS_USEC - 1);
  ck_assert_uint_eq(net->got[1]->len, 0);
  link_run_until(&net->ctx, 1800 * NS_USEC);
  ck_assert_uint_eq(net->got[1]->len, 1);
  ck_assert_uint_eq(link_got(net, 1, 0).when, 1800 * NS_USEC);
  ck_assert_uint_eq(net->got[0]->len, 0);
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 0);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_net_free(net);
}
END_TEST

START_TEST(test_back_to_back_fifo) {
  NsLinkParams p = link_params(1 * NS_MSEC, 1000000, 0, 64);
  Net *net = link_net_new(&p, 1);
  guint64 ids[3];
  for (int i = 0; i < 3; i++) {
    NsFrame *f = link_frame(net, 100);
    ids[i] = f->id;
    ck_assert(ns_nic_send(&net->a, f, 0));
  }
  /* A fourth sent later, after the line went idle: starts at once. */
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 10 * NS_MSEC));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 4);
  ck_assert_uint_eq(link_got(net, 1, 0).when, 1800 * NS_USEC);
  ck_assert_uint_eq(link_got(net, 1, 1).when, 2600 * NS_USEC);
  ck_assert_uint_eq(link_got(net, 1, 2).when, 3400 * NS_USEC);
  ck_assert_uint_eq(link_got(net, 1, 3).when, 11800 * NS_USEC);
  for (int i = 0; i < 3; i++)
    ck_assert_uint_eq(link_got(net, 1, i).id, ids[i]);
  const NsLinkDirStats st = ns_link_stats(net->link, 0);
  ck_assert_uint_eq(st.sent, 4);
  ck_assert_uint_eq(st.delivered, 4);
  ck_assert_uint_eq(st.bytes, 400);
  ck_assert_uint_eq(net->a.counters.tx_frames, 4);
  ck_assert_uint_eq(net->a.counters.tx_bytes, 400);
  ck_assert_uint_eq(net->b.counters.rx_frames, 4);
  ck_assert_uint_eq(net->b.counters.rx_bytes, 400);
  link_net_free(net);
}
END_TEST

START_TEST(test_unlimited_rate_and_both_directions) {
  NsLinkParams p = link_params(5 * NS_USEC, 0, 0, 2);
  Net *net = link_net_new(&p, 1);
  /* Rate 0: no serialization, so the queue never holds anything and a
   * limit of 2 never bites. */
  for (int i = 0; i < 10; i++)
    ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 0));
  ck_assert(ns_nic_send(&net->b, link_frame(net, 60), 1 * NS_USEC));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 10);
  ck_assert_uint_eq(net->got[0]->len, 1);
  ck_assert_uint_eq(link_got(net, 1, 9).when, 5 * NS_USEC);
  ck_assert_uint_eq(link_got(net, 0, 0).when, 6 * NS_USEC);
  ck_assert_uint_eq(ns_link_stats(net->link, 1).delivered, 1);
  link_net_free(net);
}
END_TEST

START_TEST(test_shorter_delay_does_not_overtake) {
  NsLinkParams p = link_params(10 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  NsFrame *first = link_frame(net, 60);
  guint64 first_id = first->id;
  ck_assert(ns_nic_send(&net->a, first, 0));
  p.delay = 1 * NS_MSEC;
  ns_link_set_params(net->link, &p);
  ck_assert_uint_eq(ns_link_params(net->link)->delay, 1 * NS_MSEC);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 1 * NS_MSEC));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 2);
  ck_assert_uint_eq(link_got(net, 1, 0).id, first_id);
  ck_assert_uint_eq(link_got(net, 1, 1).when, 10 * NS_MSEC);
  link_net_free(net);
}
END_TEST

START_TEST(test_ring_grows) {
  NsLinkParams p = link_params(1 * NS_SEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  for (guint i = 0; i < 1000; i++)
    ck_assert(ns_nic_send(&net->a, link_frame(net, 60), i * NS_USEC));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 1000);
  link_run_until(&net->ctx, NS_SEC + 499 * NS_USEC);
  ck_assert_uint_eq(net->got[1]->len, 500);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 1000);
  for (guint i = 1; i < 1000; i++) {
    ck_assert_uint_eq(link_got(net, 1, i).id, link_got(net, 1, i - 1).id + 1);
    ck_assert_uint_eq(link_got(net, 1, i).when, NS_SEC + i * NS_USEC);
  }
  link_net_free(net);
}
END_TEST

/* ---- queue limit --------------------------------------------------------- */

START_TEST(test_queue_limit) {
  NsLinkParams p = link_params(0, 1000000, 0, 4);
  Net *net = link_net_new(&p, 1);
  link_net_listen(net);
  /* 100 bytes = 800 us each: done at 0.8, 1.6, 2.4, 3.2 ms. */
  for (int i = 0; i < 4; i++)
    ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_QUEUE_FULL], 1);
  ck_assert_uint_eq(net->a.counters.tx_dropped, 1);
  ck_assert_uint_eq(net->a.counters.tx_frames, 4);
  /* Just before the first finishes the queue is still full ... */
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 800 * NS_USEC - 1));
  /* ... and at the instant it finishes there is room for exactly one. */
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 800 * NS_USEC));
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 800 * NS_USEC));
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_QUEUE_FULL], 3);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).sent, 5);
  ck_assert_uint_eq(net->events->len, 3);
  ck_assert_str_eq(g_ptr_array_index(net->events, 0),
                   "link/drop|h1:eth0 -> sw1:port1 queue-full");
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 5);
  ck_assert_uint_eq(link_got(net, 1, 4).when, 4000 * NS_USEC);
  link_net_free(net);
}
END_TEST

START_TEST(test_queue_counts_only_unserialized) {
  /* Frames on the wire (serialized, still propagating) leave the queue. */
  NsLinkParams p = link_params(10 * NS_MSEC, 1000000, 0, 2);
  Net *net = link_net_new(&p, 1);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 1600 * NS_USEC));
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 1600 * NS_USEC));
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 1600 * NS_USEC));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 4);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 4);
  ck_assert_uint_eq(link_got(net, 1, 3).when, 13200 * NS_USEC);
  link_net_free(net);
}
END_TEST

START_TEST(test_queue_limit_one) {
  NsLinkParams p = link_params(0, 1000000, 0, 0); /* 0 is raised to 1 */
  Net *net = link_net_new(&p, 1);
  ck_assert_uint_eq(ns_link_params(net->link)->queue_limit, 1);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(ns_nic_send(&net->b, link_frame(net, 100), 0)); /* other way */
  link_net_free(net);
}
END_TEST

/* ---- loss ---------------------------------------------------------------- */

static GString *loss_pattern(guint32 seed, guint n, guint *dropped) {
  NsLinkParams p = link_params(0, 0, 0.2, 64);
  Net *net = link_net_new(&p, seed);
  GString *s = g_string_new(NULL);
  *dropped = 0;
  for (guint i = 0; i < n; i++) {
    gboolean ok = ns_nic_send(&net->a, link_frame(net, 60), i);
    g_string_append_c(s, ok ? '.' : 'x');
    *dropped += !ok;
  }
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LOSS], *dropped);
  ck_assert_uint_eq(net->a.counters.tx_dropped, *dropped);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, n - *dropped);
  link_net_free(net);
  return s;
}

START_TEST(test_loss_seeded) {
  guint d1, d2, d3;
  GString *p1 = loss_pattern(1234, 10000, &d1);
  GString *p2 = loss_pattern(1234, 10000, &d2);
  GString *p3 = loss_pattern(4321, 10000, &d3);
  ck_assert_str_eq(p1->str, p2->str);
  ck_assert_str_ne(p1->str, p3->str);
  ck_assert_uint_eq(d1, d2);
  /* 20% of 10,000: the standard deviation is 40, allow 7 of them. */
  ck_assert_uint_ge(d1, 1720);
  ck_assert_uint_le(d1, 2280);
  ck_assert_uint_ge(d3, 1720);
  ck_assert_uint_le(d3, 2280);
  g_string_free(p1, TRUE);
  g_string_free(p2, TRUE);
  g_string_free(p3, TRUE);
}
END_TEST

START_TEST(test_loss_all) {
  NsLinkParams p = link_params(0, 0, 1.0, 64);
  Net *net = link_net_new(&p, 7);
  for (int i = 0; i < 100; i++)
    ck_assert(!ns_nic_send(&net->a, link_frame(net, 60), 0));
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LOSS], 100);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).sent, 0);
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 0);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_net_free(net);
}
END_TEST

START_TEST(test_no_loss_draws_nothing) {
  NsLinkParams p = link_params(0, 0, 0, 64);
  Net *net = link_net_new(&p, 99);
  for (int i = 0; i < 10; i++)
    ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 0));
  /* The generator was not touched: it still gives the seed's first draw. */
  GRand *fresh = g_rand_new_with_seed(99);
  ck_assert(g_rand_double(net->ctx.rng) == g_rand_double(fresh));
  g_rand_free(fresh);
  link_net_free(net);
}
END_TEST

/* ---- up / down ----------------------------------------------------------- */

START_TEST(test_down_and_up) {
  NsLinkParams p = link_params(1 * NS_MSEC, 1000000, 0, 64);
  Net *net = link_net_new(&p, 1);
  link_net_listen(net);
  for (int i = 0; i < 3; i++)
    ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  ck_assert(ns_nic_send(&net->b, link_frame(net, 100), 0));
  link_run_until(&net->ctx, 1800 * NS_USEC); /* first a->b delivered */
  ck_assert_uint_eq(net->got[1]->len, 1);
  ck_assert_uint_eq(net->got[0]->len, 1);
  ns_link_set_up(net->link, FALSE, 2 * NS_MSEC);
  ck_assert(!ns_link_is_up(net->link));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 0);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LINK_DOWN], 2);
  ck_assert_uint_eq(ns_link_stats(net->link, 1).drops[NS_DROP_LINK_DOWN], 0);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 100), 3 * NS_MSEC));
  ck_assert(!ns_nic_send(&net->b, link_frame(net, 100), 3 * NS_MSEC));
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LINK_DOWN], 3);
  ck_assert_uint_eq(ns_link_stats(net->link, 1).drops[NS_DROP_LINK_DOWN], 1);
  ck_assert_uint_eq(net->a.counters.tx_dropped, 1);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 1);

  /* link/down, two in-flight drops, two send drops. */
  ck_assert_uint_eq(net->events->len, 5);
  ck_assert_str_eq(g_ptr_array_index(net->events, 0),
                   "link/down|h1:eth0 <-> sw1:port1 down");
  ck_assert_str_eq(g_ptr_array_index(net->events, 1),
                   "link/drop|h1:eth0 -> sw1:port1 link-down");
  ck_assert_str_eq(g_ptr_array_index(net->events, 4),
                   "link/drop|sw1:port1 -> h1:eth0 link-down");

  ns_link_set_up(net->link, TRUE, 10 * NS_MSEC);
  ck_assert(ns_link_is_up(net->link));
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 10 * NS_MSEC));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 2);
  /* The aborted serialization left no backlog behind. */
  ck_assert_uint_eq(link_got(net, 1, 1).when, 11800 * NS_USEC);
  link_net_free(net);
}
END_TEST

START_TEST(test_no_link) {
  NsNic nic;
  ns_nic_init(&nic, "eth0", "h1", NULL, 1, NULL);
  NsFrame *f = ns_frame_new(60, 1);
  ck_assert(!ns_nic_send(&nic, f, 0));
  ck_assert_uint_eq(nic.counters.tx_dropped, 1);
  ck_assert_uint_eq(nic.counters.tx_frames, 0);
  ns_nic_clear(&nic);
  ck_assert_ptr_null(nic.name);
}
END_TEST

START_TEST(test_free_with_frames_in_flight) {
  NsLinkParams p = link_params(1 * NS_SEC, 1000, 0, 64);
  Net *net = link_net_new(&p, 1);
  for (int i = 0; i < 5; i++)
    ns_nic_send(&net->a, link_frame(net, 1500), 0);
  ck_assert_ptr_eq(ns_link_peer(net->link, &net->a), &net->b);
  ck_assert_ptr_eq(ns_link_nic(net->link, 1), &net->b);
  ns_link_free(net->link);
  net->link = NULL;
  ck_assert_ptr_null(net->a.link);
  ck_assert_ptr_null(net->b.link);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_net_free(net);
}
END_TEST

START_TEST(test_nic_clear_detaches) {
  NsLinkParams p = link_params(1 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  ns_nic_clear(&net->b);
  ck_assert_ptr_null(ns_link_nic(net->link, 1));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 0);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  ck_assert(!ns_nic_send(&net->a, link_frame(net, 60), 1));
  link_net_free(net); /* frees the link, clears a, clears b again: harmless */
}
END_TEST

/* ---- receivers that act -------------------------------------------------- */

static void echo_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Net *net = nic->owner;
  if (nic == &net->b) /* bounce it back */
    ns_nic_send(nic, frame, now);
  else
    link_record_recv(nic, frame, now);
}

START_TEST(test_receiver_sends_back) {
  NsLinkParams p = link_params(1 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  net->a.recv = echo_recv;
  net->b.recv = echo_recv;
  for (int i = 0; i < 3; i++)
    ns_nic_send(&net->a, link_frame(net, 60), i * NS_USEC);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[0]->len, 3);
  ck_assert_uint_eq(link_got(net, 0, 2).when, 2 * NS_MSEC + 2 * NS_USEC);
  link_net_free(net);
}
END_TEST

static void down_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Net *net = nic->owner;
  link_record_recv(nic, frame, now);
  ns_link_set_up(nic->link, FALSE, now);
  (void)net;
}

START_TEST(test_receiver_takes_link_down) {
  NsLinkParams p = link_params(1 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  net->b.recv = down_recv;
  for (int i = 0; i < 3; i++)
    ns_nic_send(&net->a, link_frame(net, 60), 0); /* all due at 1 ms */
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 1);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LINK_DOWN], 2);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_net_free(net);
}
END_TEST

static void count_tap(NsLink *link, guint side, const NsFrame *frame,
                      NsTime now, gpointer data) {
  (void)link;
  (void)frame;
  (void)now;
  guint *counts = data;
  counts[side]++;
}

START_TEST(test_tap) {
  NsLinkParams p = link_params(0, 1000000, 0, 2);
  Net *net = link_net_new(&p, 1);
  guint counts[2] = {0, 0};
  ns_link_add_tap(net->link, count_tap, counts);
  for (int i = 0; i < 5; i++)
    ns_nic_send(&net->a, link_frame(net, 100), 0); /* 2 accepted */
  ns_nic_send(&net->b, link_frame(net, 100), 0);
  ck_assert_uint_eq(counts[0], 2);
  ck_assert_uint_eq(counts[1], 1);
  link_net_free(net);
}
END_TEST

/* A tap that takes its link down while the frame it sees is being put on
 * the wire: that frame is dropped with the rest, and no timer is left for
 * the emptied lane (one was armed for it before: lane_fire would find the
 * lane empty). */
static void down_tap(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)side;
  (void)frame;
  guint *calls = data;
  if ((*calls)++ == 1)
    ns_link_set_up(link, FALSE, now);
}

START_TEST(test_tap_takes_link_down) {
  NsLinkParams p = link_params(1 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  guint calls = 0;
  ns_link_add_tap(net->link, down_tap, &calls);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 0));
  ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 0)); /* goes down */
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 0);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_LINK_DOWN], 2);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 0);
  link_net_free(net);
}
END_TEST

/* A tap that sends a frame back the other way and one more the same way
 * the first time it runs: each reaches the far end once, in order. */
static void echo_tap(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  Net *net = data;
  (void)frame;
  if (side != 0 || net->got[0]->len + net->got[1]->len > 0 ||
      ns_link_in_flight(link, 0) > 1)
    return;
  ns_nic_send(&net->b, link_frame(net, 70), now);
  ns_nic_send(&net->a, link_frame(net, 80), now);
}

START_TEST(test_tap_sends_on_its_link) {
  NsLinkParams p = link_params(1 * NS_MSEC, 0, 0, 64);
  Net *net = link_net_new(&p, 1);
  ns_link_add_tap(net->link, echo_tap, net);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 60), 0));
  ck_assert_uint_eq(ns_link_in_flight(net->link, 0), 2);
  ck_assert_uint_eq(ns_link_in_flight(net->link, 1), 1);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 2); /* at b: 60 then 80 */
  ck_assert_uint_eq(link_got(net, 1, 0).frame->len, 60);
  ck_assert_uint_eq(link_got(net, 1, 1).frame->len, 80);
  ck_assert_uint_eq(net->got[0]->len, 1); /* at a: 70 */
  ck_assert_uint_eq(link_got(net, 0, 0).frame->len, 70);
  ck_assert_uint_eq(ns_timerq_len(net->ctx.timers), 0);
  link_net_free(net);
}
END_TEST

/* Records "name:frame id" for each call, into a shared list. */
typedef struct Tapper {
  const char *name;
  GPtrArray *calls;
  NsLinkTap *self;  /* this tap's handle, for taps that remove themselves */
  guint remove_at;  /* remove self on this call (1-based), 0: never */
  guint n;          /* calls so far */
  NsLinkTap *added; /* a tap this one added on its first call */
  struct Tapper *add;
} Tapper;

static void named_tap(NsLink *link, guint side, const NsFrame *frame,
                      NsTime now, gpointer data) {
  (void)side;
  (void)now;
  Tapper *t = data;
  t->n++;
  g_ptr_array_add(t->calls,
                  g_strdup_printf("%s:%" G_GUINT64_FORMAT, t->name, frame->id));
  if (t->n == t->remove_at)
    ns_link_remove_tap(link, t->self);
  if (t->n == 1 && t->add != NULL)
    t->added = ns_link_add_tap(link, named_tap, t->add);
}

static char *joined(GPtrArray *calls) {
  g_ptr_array_add(calls, NULL);
  char *s = g_strjoinv(" ", (char **)calls->pdata);
  g_ptr_array_remove_index(calls, calls->len - 1);
  g_ptr_array_set_size(calls, 0);
  return s;
}

START_TEST(test_taps_in_order_and_removed) {
  Net *net = link_net_new(NULL, 1);
  GPtrArray *calls = g_ptr_array_new_with_free_func(g_free);
  Tapper one = {.name = "one", .calls = calls};
  Tapper two = {.name = "two", .calls = calls};
  one.self = ns_link_add_tap(net->link, named_tap, &one);
  two.self = ns_link_add_tap(net->link, named_tap, &two);
  ck_assert_uint_eq(ns_link_n_taps(net->link), 2);
  NsFrame *f = link_frame(net, 60);
  guint64 id = f->id;
  ns_nic_send(&net->a, f, 0);
  ns_nic_send(&net->b, link_frame(net, 60), 0);
  char *got = joined(calls);
  char *want =
      g_strdup_printf("one:%" G_GUINT64_FORMAT " two:%" G_GUINT64_FORMAT
                      " one:%" G_GUINT64_FORMAT " two:%" G_GUINT64_FORMAT,
                      id, id, id + 1, id + 1);
  ck_assert_str_eq(got, want); /* both see every frame, in order added */
  g_free(got);
  g_free(want);
  ns_link_remove_tap(net->link, one.self);
  ck_assert_uint_eq(ns_link_n_taps(net->link), 1);
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  got = joined(calls);
  ck_assert(g_str_has_prefix(got, "two:") && strchr(got, ' ') == NULL);
  g_free(got);
  ns_link_remove_tap(net->link, two.self);
  ck_assert_uint_eq(ns_link_n_taps(net->link), 0);
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  ck_assert_uint_eq(calls->len, 0);
  /* A handle is still taken after all were removed. */
  one.self = ns_link_add_tap(net->link, named_tap, &one);
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  ck_assert_uint_eq(calls->len, 1);
  g_ptr_array_free(calls, TRUE);
  link_net_free(net); /* frees the handle still on the link */
}
END_TEST

START_TEST(test_taps_change_while_running) {
  Net *net = link_net_new(NULL, 1);
  GPtrArray *calls = g_ptr_array_new_with_free_func(g_free);
  /* first removes itself on its first call; second adds third then. */
  Tapper third = {.name = "third", .calls = calls};
  Tapper first = {.name = "first", .calls = calls, .remove_at = 1};
  Tapper second = {.name = "second", .calls = calls, .add = &third};
  first.self = ns_link_add_tap(net->link, named_tap, &first);
  second.self = ns_link_add_tap(net->link, named_tap, &second);
  NsFrame *f = link_frame(net, 60);
  guint64 id = f->id;
  ns_nic_send(&net->a, f, 0);
  ck_assert_uint_eq(ns_link_n_taps(net->link), 2); /* second, third */
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  char *got = joined(calls);
  char *want =
      g_strdup_printf("first:%" G_GUINT64_FORMAT " second:%" G_GUINT64_FORMAT
                      " second:%" G_GUINT64_FORMAT " third:%" G_GUINT64_FORMAT,
                      id, id, id + 1, id + 1);
  ck_assert_str_eq(got, want); /* third waits for the next frame */
  g_free(got);
  g_free(want);
  ck_assert_ptr_nonnull(second.added);
  ns_link_remove_tap(net->link, second.added);
  ns_link_remove_tap(net->link, second.self);
  ck_assert_uint_eq(ns_link_n_taps(net->link), 0);
  g_ptr_array_free(calls, TRUE);
  link_net_free(net);
}
END_TEST

START_TEST(test_drop_reason_names) {
  ck_assert_str_eq(ns_drop_reason_name(NS_DROP_QUEUE_FULL), "queue-full");
  ck_assert_str_eq(ns_drop_reason_name(NS_DROP_LOSS), "loss");
  ck_assert_str_eq(ns_drop_reason_name(NS_DROP_LINK_DOWN), "link-down");
  ck_assert_uint_eq(ns_link_default_params.queue_limit, 64);
  ck_assert_uint_eq(ns_link_default_params.delay, 10 * NS_USEC);
  ck_assert_uint_eq(ns_link_default_params.rate_bps, 100000000);
}
END_TEST

Suite *test_link_suite(void) {
  Suite *s = suite_create("link");
  TCase *tc = test_tcase("timing");
  tcase_add_test(tc, test_delay_rate_exact);
  tcase_add_test(tc, test_back_to_back_fifo);
  tcase_add_test(tc, test_unlimited_rate_and_both_directions);
  tcase_add_test(tc, test_shorter_delay_does_not_overtake);
  tcase_add_test(tc, test_ring_grows);
  suite_add_tcase(s, tc);

  tc = test_tcase("queue");
  tcase_add_test(tc, test_queue_limit);
  tcase_add_test(tc, test_queue_counts_only_unserialized);
  tcase_add_test(tc, test_queue_limit_one);
  suite_add_tcase(s, tc);

  tc = test_tcase("loss");
  tcase_add_test(tc, test_loss_seeded);
  tcase_add_test(tc, test_loss_all);
  tcase_add_test(tc, test_no_loss_draws_nothing);
  suite_add_tcase(s, tc);

  tc = test_tcase("updown");
  tcase_add_test(tc, test_down_and_up);
  tcase_add_test(tc, test_no_link);
  tcase_add_test(tc, test_free_with_frames_in_flight);
  tcase_add_test(tc, test_nic_clear_detaches);
  suite_add_tcase(s, tc);

  tc = test_tcase("receivers");
  tcase_add_test(tc, test_receiver_sends_back);
  tcase_add_test(tc, test_receiver_takes_link_down);
  tcase_add_test(tc, test_tap);
  tcase_add_test(tc, test_tap_takes_link_down);
  tcase_add_test(tc, test_tap_sends_on_its_link);
  tcase_add_test(tc, test_taps_in_order_and_removed);
  tcase_add_test(tc, test_taps_change_while_running);
  tcase_add_test(tc, test_drop_reason_names);
  suite_add_tcase(s, tc);
  return s;
}

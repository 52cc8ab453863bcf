/* test_link_netem.c — the netem impairments of a link (net/link.h): each
 * seeded and repeatable, near its probability over many frames, counted,
 * logged, and the per-direction counters adding up. */
#include <string.h>

#include "net/link_harness.h"

/* A link with no delay and no rate limit unless a test sets them. */
static NsLinkParams plain(void) { return link_params(0, 0, 0, 100000); }

/* Sends n frames of len bytes from a, one every gap, running the clock
 * along; then lets everything arrive. */
static void send_spaced(Net *net, guint n, gsize len, NsTime gap) {
  for (guint i = 0; i < n; i++) {
    link_run_until(&net->ctx, i * gap);
    NsFrame *f = link_frame(net, len);
    for (gsize k = 0; k < len; k++)
      f->data[k] = (guint8)(k * 7 + 1);
    ns_nic_send(&net->a, f, i * gap);
  }
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
}

/* offered + duplicated = delivered + in flight + every drop (link.h). */
static void assert_adds_up(Net *net, guint side) {
  const NsLinkDirStats s = ns_link_stats(net->link, side);
  const NsNic *from = side == 0 ? &net->a : &net->b;
  const NsNic *to = side == 0 ? &net->b : &net->a;
  guint64 drops = 0;
  for (guint r = 0; r < NS_DROP_N_REASONS; r++)
    drops += s.drops[r];
  ck_assert_uint_eq(from->counters.tx_frames + from->counters.tx_dropped +
                        s.duplicated,
                    s.delivered + ns_link_in_flight(net->link, side) + drops);
  ck_assert_uint_eq(s.sent, from->counters.tx_frames);
  ck_assert_uint_eq(s.delivered, to->counters.rx_frames);
}

static guint count_events(Net *net, const char *prefix) {
  guint n = 0;
  for (guint i = 0; i < net->events->len; i++)
    n += g_str_has_prefix(g_ptr_array_index(net->events, i), prefix);
  return n;
}

/* ---- jitter -------------------------------------------------------------- */

START_TEST(test_jitter_spread) {
  NsLinkParams p = plain();
  p.delay = 10 * NS_MSEC;
  p.jitter = 2 * NS_MSEC;
  Net *net = link_net_new(&p, 5);
  /* 20 ms apart: no frame ever waits for the one before. */
  send_spaced(net, 2000, 60, 20 * NS_MSEC);
  ck_assert_uint_eq(net->got[1]->len, 2000);
  NsTime lo = NS_TIME_NEVER, hi = 0, sum = 0;
  for (guint i = 0; i < 2000; i++) {
    NsTime d = link_got(net, 1, i).when - i * 20 * NS_MSEC;
    lo = MIN(lo, d);
    hi = MAX(hi, d);
    sum += d;
  }
  ck_assert_uint_ge(lo, 8 * NS_MSEC);
  ck_assert_uint_le(hi, 12 * NS_MSEC);
  ck_assert_uint_lt(lo, 8100 * NS_USEC); /* the whole range is used */
  ck_assert_uint_gt(hi, 11900 * NS_USEC);
  /* Mean 10 ms; one draw's deviation is 1.15 ms, the mean's 26 us. */
  ck_assert_uint_ge(sum / 2000, 9850 * NS_USEC);
  ck_assert_uint_le(sum / 2000, 10150 * NS_USEC);
  assert_adds_up(net, 0);
  link_net_free(net);
}
END_TEST

/* Frames 100 us apart with +-2 ms: jitter alone never reorders. */
START_TEST(test_jitter_keeps_order) {
  NsLinkParams p = plain();
  p.delay = 10 * NS_MSEC;
  p.jitter = 2 * NS_MSEC;
  Net *net = link_net_new(&p, 6);
  send_spaced(net, 1000, 60, 100 * NS_USEC);
  ck_assert_uint_eq(net->got[1]->len, 1000);
  guint held = 0;
  for (guint i = 1; i < 1000; i++) {
    ck_assert_uint_gt(link_got(net, 1, i).id, link_got(net, 1, i - 1).id);
    ck_assert_uint_ge(link_got(net, 1, i).when, link_got(net, 1, i - 1).when);
    held += link_got(net, 1, i).when == link_got(net, 1, i - 1).when;
  }
  ck_assert_uint_gt(held, 100); /* many would have overtaken */
  ck_assert_uint_eq(ns_link_stats(net->link, 0).reordered, 0);
  link_net_free(net);
}
END_TEST

START_TEST(test_jitter_seeded_and_never_negative) {
  NsLinkParams p = plain();
  p.delay = 1 * NS_MSEC;
  p.jitter = 5 * NS_MSEC;
  NsTime when[3][200];
  const guint32 seeds[3] = {11, 11, 12};
  for (guint s = 0; s < 3; s++) {
    Net *net = link_net_new(&p, seeds[s]);
    send_spaced(net, 200, 60, 20 * NS_MSEC);
    for (guint i = 0; i < 200; i++) {
      when[s][i] = link_got(net, 1, i).when;
      ck_assert_uint_ge(when[s][i], i * 20 * NS_MSEC);
    }
    link_net_free(net);
  }
  ck_assert(memcmp(when[0], when[1], sizeof when[0]) == 0);
  ck_assert(memcmp(when[0], when[2], sizeof when[0]) != 0);
}
END_TEST

/* ---- reorder ------------------------------------------------------------- */

START_TEST(test_reorder) {
  NsLinkParams p = plain();
  p.delay = 10 * NS_MSEC;
  p.reorder = 0.25;
  Net *net = link_net_new(&p, 21);
  link_net_listen(net);
  send_spaced(net, 4000, 60, 1 * NS_MSEC);
  const NsLinkDirStats s = ns_link_stats(net->link, 0);
  ck_assert_uint_eq(net->got[1]->len, 4000);
  /* 25 % of 4,000: deviation 27, allow 7 of them. */
  ck_assert_uint_ge(s.reordered, 810);
  ck_assert_uint_le(s.reordered, 1190);
  ck_assert_uint_eq(count_events(net, "link/reorder|"), s.reordered);
  /* Sent 1 ms apart from id first: a frame arrives either after the
   * 10 ms delay or (reordered) the instant it was sent. */
  guint64 first = G_MAXUINT64;
  for (guint i = 0; i < 4000; i++)
    first = MIN(first, link_got(net, 1, i).id);
  guint at_once = 0, overtook = 0;
  for (guint i = 0; i < 4000; i++) {
    Arrival a = link_got(net, 1, i);
    NsTime sent = (a.id - first) * NS_MSEC;
    ck_assert(a.when == sent || a.when == sent + 10 * NS_MSEC);
    at_once += a.when == sent;
    overtook += i > 0 && a.id < link_got(net, 1, i - 1).id;
  }
  ck_assert_uint_eq(at_once, s.reordered);
  ck_assert_uint_gt(overtook, 500);
  assert_adds_up(net, 0);
  link_net_free(net);
}
END_TEST

/* A reordered frame skips the delay but not its serialization, and the
 * queue limit counts both lanes. */
START_TEST(test_reorder_timing_and_queue) {
  NsLinkParams p = link_params(10 * NS_MSEC, 1000000, 0, 4);
  p.reorder = 1.0;
  Net *net = link_net_new(&p, 3);
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), 0));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(link_got(net, 1, 0).when, 800 * NS_USEC);
  p.reorder = 0.5;
  ns_link_set_params(net->link, &p);
  guint ok = 0;
  NsTime t = NS_SEC;
  for (guint i = 0; i < 10; i++)
    ok += ns_nic_send(&net->a, link_frame(net, 100), t);
  ck_assert_uint_eq(ok, 4);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).drops[NS_DROP_QUEUE_FULL], 6);
  ck_assert_uint_gt(ns_link_stats(net->link, 0).reordered, 1);
  /* Once the first finished serializing, one more fits. */
  ck_assert(ns_nic_send(&net->a, link_frame(net, 100), t + 800 * NS_USEC));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(net->got[1]->len, 6);
  assert_adds_up(net, 0);
  link_net_free(net);
}
END_TEST

/* ---- duplicate ----------------------------------------------------------- */

START_TEST(test_duplicate) {
  NsLinkParams p = plain();
  p.delay = 1 * NS_MSEC;
  p.duplicate = 0.1;
  Net *net = link_net_new(&p, 31);
  link_net_listen(net);
  send_spaced(net, 10000, 60, 10 * NS_USEC);
  const NsLinkDirStats s = ns_link_stats(net->link, 0);
  /* 10 % of 10,000: deviation 30, allow 7 of them. */
  ck_assert_uint_ge(s.duplicated, 790);
  ck_assert_uint_le(s.duplicated, 1210);
  ck_assert_uint_eq(s.sent, 10000);
  ck_assert_uint_eq(s.delivered, 10000 + s.duplicated);
  ck_assert_uint_eq(count_events(net, "link/duplicate|"), s.duplicated);
  /* A copy follows its original: the same id and bytes, next in line. */
  guint pairs = 0;
  for (guint i = 1; i < net->got[1]->len; i++) {
    Arrival a = link_got(net, 1, i - 1), b = link_got(net, 1, i);
    ck_assert_uint_ge(b.id, a.id);
    if (a.id == b.id) {
      pairs++;
      ck_assert(a.frame->len == b.frame->len &&
                memcmp(a.frame->data, b.frame->data, a.frame->len) == 0);
    }
  }
  ck_assert_uint_eq(pairs, s.duplicated);
  assert_adds_up(net, 0);
  link_net_free(net);
}
END_TEST

/* ---- corrupt ------------------------------------------------------------- */

static guint bits_differing(const NsFrame *f) {
  guint n = 0;
  for (gsize k = 0; k < f->len; k++)
    n += (guint)__builtin_popcount(f->data[k] ^ (guint8)(k * 7 + 1));
  return n;
}

START_TEST(test_corrupt) {
  NsLinkParams p = plain();
  p.corrupt = 0.1;
  Net *net = link_net_new(&p, 41);
  link_net_listen(net);
  send_spaced(net, 10000, 100, 10 * NS_USEC);
  const NsLinkDirStats s = ns_link_stats(net->link, 0);
  ck_assert_uint_ge(s.corrupted, 790);
  ck_assert_uint_le(s.corrupted, 1210);
  ck_assert_uint_eq(count_events(net, "link/corrupt|"), s.corrupted);
  guint flipped = 0;
  for (guint i = 0; i < net->got[1]->len; i++) {
    guint bits = bits_differing(link_got(net, 1, i).frame);
    ck_assert_uint_le(bits, 1);
    flipped += bits;
  }
  ck_assert_uint_eq(flipped, s.corrupted);
  ck_assert_uint_eq(net->got[1]->len, 10000); /* corrupted, not lost */
  link_net_free(net);
}
END_TEST

/* Whoever else holds the buffer (a flood, a duplicate) keeps its bytes. */
START_TEST(test_corrupt_copies_shared_frame) {
  NsLinkParams p = plain();
  p.corrupt = 1.0;
  p.duplicate = 1.0;
  Net *net = link_net_new(&p, 42);
  NsFrame *f = link_frame(net, 100);
  for (gsize k = 0; k < 100; k++)
    f->data[k] = (guint8)(k * 7 + 1);
  NsFrame *mine = ns_frame_ref(f);
  ck_assert(ns_nic_send(&net->a, f, 0));
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(bits_differing(mine), 0);
  ck_assert_uint_eq(net->got[1]->len, 2);
  ck_assert_uint_eq(bits_differing(link_got(net, 1, 0).frame), 1);
  ck_assert_uint_eq(bits_differing(link_got(net, 1, 1).frame), 1);
  ck_assert_uint_eq(ns_link_stats(net->link, 0).corrupted, 2);
  ns_frame_unref(mine);
  link_net_free(net);
}
END_TEST

/* ---- Gilbert-Elliott ----------------------------------------------------- */

/* '.' delivered, 'x' lost, for n frames under model ge. */
static char *ge_pattern(NsGeModel ge, guint32 seed, guint n) {
  NsLinkParams p = plain();
  p.loss_model = NS_LOSS_GEMODEL;
  p.ge = ge;
  Net *net = link_net_new(&p, seed);
  char *s = g_malloc(n + 1);
  for (guint i = 0; i < n; i++)
    s[i] = ns_nic_send(&net->a, link_frame(net, 60), 0) ? '.' : 'x';
  s[n] = '\0';
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  assert_adds_up(net, 0);
  link_net_free(net);
  return s;
}

START_TEST(test_gemodel_transitions) {
  static const struct {
    NsGeModel ge;
    const char *want;
  } cases[] = {
      /* Always move: bad, good, bad... and the bad state loses all. */
      {{1, 1, 1, 0}, "x.x.x.x."},
      /* Into the bad state and never out. */
      {{1, 0, 1, 0}, "xxxxxxxx"},
      /* Never bad: the good state's loss decides. */
      {{0, 1, 1, 0}, "........"},
      {{0, 1, 0, 1}, "xxxxxxxx"},
      /* Bad loses nothing when 1-h is 0. */
      {{1, 0, 0, 0}, "........"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = ge_pattern(cases[i].ge, 1, 8);
    ck_assert_msg(strcmp(got, cases[i].want) == 0, "case %u: %s, want %s", i,
                  got, cases[i].want);
  }
}
END_TEST

START_TEST(test_gemodel_bursts) {
  NsGeModel ge = {.p = 0.015, .r = 0.3, .bad_loss = 1, .good_loss = 0};
  g_autofree char *a = ge_pattern(ge, 77, 40000);
  g_autofree char *b = ge_pattern(ge, 77, 40000);
  g_autofree char *c = ge_pattern(ge, 78, 40000);
  ck_assert_str_eq(a, b);
  ck_assert_str_ne(a, c);
  guint lost = 0, bursts = 0;
  for (guint i = 0; a[i] != '\0'; i++) {
    lost += a[i] == 'x';
    bursts += a[i] == 'x' && (i == 0 || a[i - 1] == '.');
  }
  /* p / (p + r) = 4.76 % lost, in bursts of 1 / r = 3.3 frames. */
  ck_assert_uint_ge(lost, 40000 * 35 / 1000);
  ck_assert_uint_le(lost, 40000 * 60 / 1000);
  ck_assert_uint_gt(bursts, 0);
  double mean = (double)lost / bursts;
  ck_assert_msg(mean > 2.7 && mean < 4.0, "mean burst %.2f", mean);
}
END_TEST

/* ---- all at once --------------------------------------------------------- */

START_TEST(test_impairments_add_up) {
  NsLinkParams p = link_params(2 * NS_MSEC, 10000000, 0, 8);
  p.jitter = 1 * NS_MSEC;
  p.loss_model = NS_LOSS_GEMODEL;
  p.ge = (NsGeModel){.p = 0.02, .r = 0.3, .bad_loss = 1, .good_loss = 0};
  p.duplicate = 0.05;
  p.corrupt = 0.05;
  p.reorder = 0.1;
  Net *net = link_net_new(&p, 51);
  for (guint i = 0; i < 3000; i++) {
    NsTime t = i * 50 * NS_USEC;
    link_run_until(&net->ctx, t);
    if (i == 1500)
      ns_link_set_up(net->link, FALSE, t);
    if (i == 1600)
      ns_link_set_up(net->link, TRUE, t);
    ns_nic_send(&net->a, link_frame(net, 1000), t);
    ns_nic_send(&net->b, link_frame(net, 60), t);
    if (i % 500 == 0) {
      assert_adds_up(net, 0);
      assert_adds_up(net, 1);
    }
  }
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  for (guint side = 0; side < 2; side++) {
    const NsLinkDirStats s = ns_link_stats(net->link, side);
    assert_adds_up(net, side);
    ck_assert_uint_eq(ns_link_in_flight(net->link, side), 0);
    ck_assert_uint_gt(s.drops[NS_DROP_LOSS], 0);
    ck_assert_uint_gt(s.drops[NS_DROP_LINK_DOWN], 0);
    ck_assert_uint_gt(s.duplicated, 0);
    ck_assert_uint_gt(s.corrupted, 0);
    ck_assert_uint_gt(s.reordered, 0);
  }
  ck_assert_uint_gt(ns_link_stats(net->link, 0).drops[NS_DROP_QUEUE_FULL], 0);
  ck_assert_uint_eq(net->ctx.in_flight, 0);
  link_net_free(net);
}
END_TEST

/* A link without impairments leaves the generator alone (loss has its own
 * test in test_link.c). */
START_TEST(test_unset_draws_nothing) {
  NsLinkParams p = link_params(NS_MSEC, 0, 0, 64);
  p.loss_model = NS_LOSS_RANDOM;
  Net *net = link_net_new(&p, 99);
  send_spaced(net, 20, 60, NS_USEC);
  GRand *fresh = g_rand_new_with_seed(99);
  ck_assert(g_rand_double(net->ctx.rng) == g_rand_double(fresh));
  g_rand_free(fresh);
  link_net_free(net);
}
END_TEST

START_TEST(test_explained) {
  NsLinkParams p = plain();
  p.corrupt = 1;
  p.duplicate = 1;
  p.reorder = 1;
  Net *net = link_net_new(&p, 61);
  link_net_listen(net);
  ns_log_set_explain(net->ctx.log, TRUE);
  ns_nic_send(&net->a, link_frame(net, 60), 0);
  link_run_until(&net->ctx, NS_TIME_NEVER - 1);
  ck_assert_uint_eq(count_events(net, "link/duplicate|h1:eth0 -> sw1:port1 "),
                    1);
  ck_assert_uint_eq(count_events(net, "link/corrupt|h1:eth0 -> sw1:port1 bit "),
                    2);
  ck_assert_uint_eq(count_events(net, "link/reorder|"), 2);
  link_net_free(net);
}
END_TEST

Suite *test_link_netem_suite(void) {
  Suite *s = suite_create("link_netem");
  TCase *tc = test_tcase("jitter");
  tcase_add_test(tc, test_jitter_spread);
  tcase_add_test(tc, test_jitter_keeps_order);
  tcase_add_test(tc, test_jitter_seeded_and_never_negative);
  suite_add_tcase(s, tc);

  tc = test_tcase("reorder");
  tcase_add_test(tc, test_reorder);
  tcase_add_test(tc, test_reorder_timing_and_queue);
  suite_add_tcase(s, tc);

  tc = test_tcase("duplicate_corrupt");
  tcase_add_test(tc, test_duplicate);
  tcase_add_test(tc, test_corrupt);
  tcase_add_test(tc, test_corrupt_copies_shared_frame);
  suite_add_tcase(s, tc);

  tc = test_tcase("gemodel");
  tcase_add_test(tc, test_gemodel_transitions);
  tcase_add_test(tc, test_gemodel_bursts);
  suite_add_tcase(s, tc);

  tc = test_tcase("together");
  tcase_add_test(tc, test_impairments_add_up);
  tcase_add_test(tc, test_unset_draws_nothing);
  tcase_add_test(tc, test_explained);
  suite_add_tcase(s, tc);
  return s;
}

/* test_core.c — value types, frames, the timer queue, the log, the
 * scheduler. */
#include "core/addr.h"
#include "core/frame.h"
#include "core/log.h"
#include "core/timerq.h"
#include "core/units.h"
#include "sim/sched.h"
#include "testutil.h"


/* ---- addresses ----------------------------------------------------------- */

START_TEST(mac_parse_format) {
  NsMac m;
  char buf[NS_MAC_STRLEN];
  ck_assert(ns_mac_parse("02:00:00:AB:cd:0f", &m, NULL));
  ck_assert_str_eq(ns_mac_format(m, buf), "02:00:00:ab:cd:0f");
  ck_assert(ns_mac_parse("ff-ff-ff-ff-ff-ff", &m, NULL));
  ck_assert(ns_mac_is_broadcast(m));
  ck_assert(ns_mac_is_multicast(m));
  ck_assert(ns_mac_parse("01:00:5e:00:00:01", &m, NULL));
  ck_assert(ns_mac_is_multicast(m) && !ns_mac_is_broadcast(m));
  ck_assert_str_eq(ns_mac_format(ns_mac_local(0x010203), buf),
                   "02:00:00:01:02:03");
  ck_assert(!ns_mac_is_multicast(ns_mac_local(7)));
}
END_TEST

START_TEST(mac_reject) {
  static const char *bad[] = {"",
                              "02:00:00:00:00",
                              "02:00:00:00:00:00:00",
                              "02:00:00:00:00:0g",
                              "2:00:00:00:00:00",
                              "02:00-00:00:00:00",
                              "02:00:00:00:00:001",
                              "0200.0000.0001",
                              "02:00:00:00:00:00 "};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    NsMac m;
    GError *e = NULL;
    ck_assert_msg(!ns_mac_parse(bad[i], &m, &e), "accepted '%s'", bad[i]);
    ck_assert(e != NULL && strstr(e->message, "not a MAC address") != NULL);
    g_error_free(e);
  }
}
END_TEST

START_TEST(ip4_parse_format) {
  NsIp4 ip;
  char buf[NS_IP4_STRLEN];
  ck_assert(ns_ip4_parse("192.168.1.10", &ip, NULL));
  ck_assert_uint_eq(ip.v, 0xC0A8010A);
  ck_assert_str_eq(ns_ip4_format(ip, buf), "192.168.1.10");
  ck_assert(ns_ip4_parse("0.0.0.0", &ip, NULL) && ip.v == 0);
  ck_assert(ns_ip4_parse("255.255.255.255", &ip, NULL));
  ck_assert(ns_ip4_is_limited_broadcast(ip));
  char ep[NS_ENDPOINT_STRLEN]; /* the widest endpoint fits */
  ck_assert_str_eq(ns_endpoint_format(ip, 65535, ep), "255.255.255.255:65535");
  ck_assert(ns_ip4_parse("239.1.1.1", &ip, NULL) && ns_ip4_is_multicast(ip));
  ck_assert(ns_ip4_parse("223.255.255.255", &ip, NULL) &&
            !ns_ip4_is_multicast(ip));
  guint8 wire[4];
  ns_ip4_store(wire, NS_IP4(10, 1, 2, 3));
  ck_assert(wire[0] == 10 && wire[1] == 1 && wire[2] == 2 && wire[3] == 3);
  ck_assert_uint_eq(ns_ip4_load(wire).v, NS_IP4(10, 1, 2, 3).v);
}
END_TEST

START_TEST(ip4_reject) {
  static const char *bad[] = {
      "",         "1.2.3",   "1.2.3.4.5", "256.0.0.1",  "1.2.3.-4",  "01.2.3.4",
      "1.2.3.4 ", "a.b.c.d", "1..2.3",    "1.2.3.4/24", "1000.1.1.1"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    NsIp4 ip;
    GError *e = NULL;
    ck_assert_msg(!ns_ip4_parse(bad[i], &ip, &e), "accepted '%s'", bad[i]);
    ck_assert(strstr(e->message, "not an IPv4 address") != NULL);
    g_error_free(e);
  }
}
END_TEST

START_TEST(prefix_ops) {
  NsPrefix p;
  char buf[NS_PREFIX_STRLEN], ip[NS_IP4_STRLEN];
  ck_assert(ns_prefix_parse("192.168.1.10/24", FALSE, &p, NULL));
  ck_assert_uint_eq(p.len, 24);
  ck_assert_str_eq(ns_prefix_format(p, buf), "192.168.1.10/24");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_mask(24), ip), "255.255.255.0");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_network(p), ip), "192.168.1.0");
  ck_assert_str_eq(ns_ip4_format(ns_prefix_broadcast(p), ip), "192.168.1.255");
  ck_assert(ns_prefix_contains(p, NS_IP4(192, 168, 1, 200)));
  ck_assert(!ns_prefix_contains(p, NS_IP4(192, 168, 2, 10)));
  ck_assert_uint_eq(ns_prefix_mask(0).v, 0);
  ck_assert_uint_eq(ns_prefix_mask(32).v, 0xFFFFFFFF);
  ck_assert_uint_eq(ns_prefix_mask(1).v, 0x80000000);
  ck_assert(ns_prefix_parse("0.0.0.0/0", FALSE, &p, NULL));
  ck_assert(ns_prefix_contains(p, NS_IP4(8, 8, 8, 8)));
  ck_assert(ns_prefix_parse("10.0.0.1", TRUE, &p, NULL) && p.len == 32);
  ck_assert(!ns_prefix_parse("10.0.0.1", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/33", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/024", FALSE, &p, NULL));
  ck_assert(!ns_prefix_parse("10.0.0.1/2x", FALSE, &p, NULL));
  ck_assert(ns_prefix_parse("10.1.2.3/8", FALSE, &p, NULL));
  ck_assert_str_eq(ns_prefix_format(ns_prefix_canonical(p), buf), "10.0.0.0/8");
}
END_TEST

START_TEST(time_parse_format) {
  NsTime t;
  char buf[NS_TIME_STRLEN];
  ck_assert(ns_time_parse("10ms", 0, &t, NULL) && t == 10 * NS_MSEC);
  ck_assert(ns_time_parse("1.5s", 0, &t, NULL) && t == 1500 * NS_MSEC);
  ck_assert(ns_time_parse("250us", 0, &t, NULL) && t == 250 * NS_USEC);
  ck_assert(ns_time_parse("7ns", 0, &t, NULL) && t == 7);
  ck_assert(ns_time_parse("0.001ms", 0, &t, NULL) && t == 1000);
  ck_assert(ns_time_parse("3", NS_SEC, &t, NULL) && t == 3 * NS_SEC);
  ck_assert(!ns_time_parse("3", 0, &t, NULL));
  ck_assert(!ns_time_parse("ms", 0, &t, NULL));
  ck_assert(!ns_time_parse("1.5 s", 0, &t, NULL));
  ck_assert(!ns_time_parse("-1s", 0, &t, NULL));
  ck_assert(!ns_time_parse("1h", 0, &t, NULL));
  ck_assert(!ns_time_parse("99999999999999999999s", 0, &t, NULL));
  ck_assert(ns_time_parse("0", 0, &t, NULL) && t == 0);
  ck_assert(ns_time_parse("2m", 0, &t, NULL) && t == 120 * NS_SEC);
  ck_assert(ns_time_parse("0.5m", 0, &t, NULL) && t == 30 * NS_SEC);
  ck_assert(ns_time_parse("0.999999999m", 0, &t, NULL) && t == 59999999940ULL);
  ck_assert(ns_time_parse("1.0000000001s", 0, &t, NULL) && t == NS_SEC);
  /* Overflow at every unit is an error, never a wrapped small value. */
  ck_assert(!ns_time_parse("307445735m", 0, &t, NULL));
  ck_assert(!ns_time_parse("18446744074s", 0, &t, NULL));
  ck_assert(!ns_time_parse("18446744073709551615ns", 0, &t, NULL));
  ck_assert(ns_time_parse("18446744073709551614ns", 0, &t, NULL) &&
            t == 18446744073709551614ULL);
  ck_assert(!ns_time_parse("18446744073.8s", 0, &t, NULL));
  ck_assert(!ns_time_parse(".", 0, &t, NULL));
  ck_assert(!ns_time_parse("1.s.", 0, &t, NULL));
  ck_assert(ns_time_parse("1.s", 0, &t, NULL) && t == NS_SEC);
  ck_assert_str_eq(ns_time_format(1500 * NS_MSEC, buf), "1500ms");
  ck_assert_str_eq(ns_time_format(2 * NS_SEC, buf), "2s");
  ck_assert_str_eq(ns_time_format(10 * NS_USEC, buf), "10us");
  ck_assert_str_eq(ns_time_format(0, buf), "0");
  ck_assert_uint_eq(ns_time_add(5, 7), 12);
  ck_assert_uint_eq(ns_time_add(NS_TIME_NEVER - 1, 5), NS_TIME_NEVER);
  ck_assert_uint_eq(ns_time_add(NS_TIME_NEVER, NS_TIME_NEVER), NS_TIME_NEVER);
}
END_TEST

START_TEST(rate_and_loss) {
  guint64 r;
  double l;
  char buf[NS_RATE_STRLEN];
  ck_assert(ns_rate_parse("100Mbit", &r, NULL) && r == 100000000);
  ck_assert(ns_rate_parse("1.5Mbit/s", &r, NULL) && r == 1500000);
  ck_assert(ns_rate_parse("10kbps", &r, NULL) && r == 10000);
  ck_assert(ns_rate_parse("1GBIT", &r, NULL) && r == 1000000000);
  ck_assert(ns_rate_parse("1500bit", &r, NULL) && r == 1500);
  ck_assert(ns_rate_parse("0", &r, NULL) && r == 0);
  ck_assert(ns_rate_parse("unlimited", &r, NULL) && r == 0);
  ck_assert(ns_rate_parse("1000Gbit", &r, NULL) && r == NS_RATE_MAX);
  static const char *bad_rates[] = {
      "",          "10",      "10Mb",
      "Mbit",      "-1Mbit",  "1001Gbit",
      "0.0001bit", "10 Mbit", "99999999999999999999Gbit"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad_rates); i++) {
    GError *e = NULL;
    ck_assert_msg(!ns_rate_parse(bad_rates[i], &r, &e), "took '%s'",
                  bad_rates[i]);
    ck_assert(strstr(e->message, "is not a rate") != NULL);
    g_error_free(e);
  }
  ck_assert_str_eq(ns_rate_format(0, buf), "unlimited");
  ck_assert_str_eq(ns_rate_format(100000000, buf), "100Mbit/s");
  ck_assert_str_eq(ns_rate_format(1500000000, buf), "1.5Gbit/s");
  ck_assert_str_eq(ns_rate_format(1250, buf), "1.25kbit/s");
  ck_assert_str_eq(ns_rate_format(999, buf), "999bit/s");
  /* What is printed parses back to the same rate. */
  guint64 back;
  ck_assert(ns_rate_parse(ns_rate_format(1500000, buf), &back, NULL) &&
            back == 1500000);
  ck_assert(ns_loss_parse("0.25", &l, NULL) && l == 0.25);
  ck_assert(ns_loss_parse("10%", &l, NULL) && l > 0.0999 && l < 0.1001);
  ck_assert(ns_loss_parse("1", &l, NULL) && l == 1.0);
  ck_assert(ns_loss_parse("0", &l, NULL) && l == 0.0);
  ck_assert(!ns_loss_parse("1.5", &l, NULL));
  ck_assert(!ns_loss_parse("101%", &l, NULL));
  ck_assert(!ns_loss_parse("-0.1", &l, NULL));
  ck_assert(!ns_loss_parse("0.1x", &l, NULL));
  ck_assert(!ns_loss_parse("%", &l, NULL));
}
END_TEST

/* ---- frames -------------------------------------------------------------- */

START_TEST(frame_refcount) {
  NsFrame *f = ns_frame_new(42, 7);
  ck_assert_uint_eq(f->len, 42);
  ck_assert_uint_eq(f->id, 7);
  ck_assert_uint_eq(f->data[41], 0);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup + 1);
  NsFrame *g = ns_frame_ref(f);
  ck_assert_ptr_eq(f, g);
  ns_frame_unref(g);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup + 1);
  ns_frame_unref(f);
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}
END_TEST

START_TEST(frame_writable_copies_only_when_shared) {
  guint8 bytes[60];
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)i;
  NsFrame *f = ns_frame_new_from(bytes, sizeof bytes, 3);
  guint64 copies = ns_frame_copy_count();
  NsFrame *w = ns_frame_make_writable(f);
  ck_assert_ptr_eq(w, f); /* sole owner: no copy */
  ck_assert_uint_eq(ns_frame_copy_count(), copies);
  NsFrame *other = ns_frame_ref(w);
  NsFrame *w2 = ns_frame_make_writable(w);
  ck_assert_ptr_ne(w2, other); /* shared: private copy */
  ck_assert_uint_eq(ns_frame_copy_count(), copies + 1);
  ck_assert_uint_eq(other->refs, 1);
  ck_assert_uint_eq(w2->id, 3);
  ck_assert_mem_eq(w2->data, bytes, sizeof bytes);
  w2->data[0] = 0xAA;
  ck_assert_uint_eq(other->data[0], 0); /* the other holder is untouched */
  ns_frame_unref(w2);
  ns_frame_unref(other);
}
END_TEST

START_TEST(frame_autoptr_and_len) {
  g_autoptr(NsFrame) f = ns_frame_new(20, 1);
  ns_frame_set_len(f, 60);
  ck_assert_uint_eq(f->len, 60);
  ck_assert_uint_eq(f->data[59], 0);
}
END_TEST

/* ---- timer queue --------------------------------------------------------- */

typedef struct {
  GArray *fired; /* of guint ids */
} FireLog;

typedef struct {
  NsTimer t;
  guint id;
  FireLog *log;
} TestTimer;

static void record_fire(NsTimer *t, NsTime now, gpointer data) {
  TestTimer *tt = data;
  (void)t;
  (void)now;
  g_array_append_val(tt->log->fired, tt->id);
}

START_TEST(timerq_order_and_ties) {
  NsTimerQueue *q = ns_timerq_new();
  FireLog log = {g_array_new(FALSE, FALSE, sizeof(guint))};
  TestTimer t[6];
  NsTime when[6] = {30, 10, 20, 10, 10, 5};
  for (guint i = 0; i < 6; i++) {
    t[i].id = i;
    t[i].log = &log;
    ns_timer_init(&t[i].t, record_fire, &t[i]);
    ns_timerq_arm(q, &t[i].t, when[i]);
  }
  NsSched s;
  ns_sched_init(&s, q);
  ns_sched_run_until(&s, 100);
  /* 5 first, then the three 10s in arm order 1,3,4, then 2, then 0. */
  guint expect[6] = {5, 1, 3, 4, 2, 0};
  ck_assert_uint_eq(log.fired->len, 6);
  for (guint i = 0; i < 6; i++)
    ck_assert_uint_eq(g_array_index(log.fired, guint, i), expect[i]);
  ck_assert_uint_eq(s.now, 100);
  ck_assert_uint_eq(s.events, 6);
  g_array_free(log.fired, TRUE);
  ns_timerq_free(q);
}
END_TEST

START_TEST(timerq_cancel_rearm) {
  NsTimerQueue *q = ns_timerq_new();
  FireLog log = {g_array_new(FALSE, FALSE, sizeof(guint))};
  TestTimer a = {.id = 1, .log = &log}, b = {.id = 2, .log = &log};
  ns_timer_init(&a.t, record_fire, &a);
  ns_timer_init(&b.t, record_fire, &b);
  ns_timerq_arm(q, &a.t, 10);
  ns_timerq_arm(q, &b.t, 20);
  ck_assert(ns_timer_armed(&a.t));
  ns_timerq_cancel(q, &a.t);
  ck_assert(!ns_timer_armed(&a.t));
  ns_timerq_cancel(q, &a.t); /* harmless twice */
  ns_timerq_arm(q, &b.t, 5); /* re-arm moves it earlier */
  ck_assert_uint_eq(ns_timerq_len(q), 1);
  NsTime w;
  ck_assert(ns_timerq_peek(q, &w) && w == 5);
  NsSched s;
  ns_sched_init(&s, q);
  ck_assert(!ns_sched_step(&s, 4)); /* not due yet */
  ck_assert(ns_sched_step(&s, 5));
  ck_assert_uint_eq(g_array_index(log.fired, guint, 0), 2);
  ck_assert(!ns_timer_armed(&b.t));
  ck_assert_uint_eq(ns_sched_next(&s), NS_TIME_NEVER);
  g_array_free(log.fired, TRUE);
  ns_timerq_free(q);
}
END_TEST

static void interrupt_on_fire(NsTimer *t, NsTime now, gpointer data) {
  (void)t;
  (void)now;
  *(volatile sig_atomic_t *)data = 1;
}

START_TEST(sched_interrupt_stops_the_clock) {
  NsTimerQueue *q = ns_timerq_new();
  volatile sig_atomic_t stop = 0;
  NsTimer a, b;
  ns_timer_init(&a, interrupt_on_fire, (gpointer)&stop);
  ns_timer_init(&b, interrupt_on_fire, (gpointer)&stop);
  ns_timerq_arm(q, &a, 10);
  ns_timerq_arm(q, &b, 20);
  NsSched s;
  ns_sched_init(&s, q);
  s.interrupted = &stop;
  ns_sched_run_until(&s, 100);
  /* a fired and raised the flag: b did not fire, time stayed at a's. */
  ck_assert_uint_eq(s.events, 1);
  ck_assert_uint_eq(s.now, 10);
  ck_assert(ns_timer_armed(&b));
  ck_assert(ns_sched_interrupted(&s));
  ns_timerq_free(q);
}
END_TEST

static gint cmp_pair(gconstpointer a, gconstpointer b) {
  const guint64 *x = a, *y = b; /* [when, seq] */
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

START_TEST(timerq_random_against_model) {
  enum { N = 500 };
  NsTimerQueue *q = ns_timerq_new();
  static NsTimer timers[N];
  GRand *rng = g_rand_new_with_seed(42);
  for (guint i = 0; i < N; i++)
    ns_timer_init(&timers[i], record_fire, NULL);
  /* Random arms, re-arms and cancels, then compare pop order with a sort
   * of the survivors by (when, last arm order). */
  guint64 model[N][2];
  gboolean armed[N] = {0};
  guint64 seq = 0;
  for (guint step = 0; step < 5000; step++) {
    guint i = g_rand_int_range(rng, 0, N);
    if (g_rand_int_range(rng, 0, 4) == 0) {
      ns_timerq_cancel(q, &timers[i]);
      armed[i] = FALSE;
    } else {
      NsTime when = (NsTime)g_rand_int_range(rng, 0, 50);
      ns_timerq_arm(q, &timers[i], when);
      model[i][0] = when;
      model[i][1] = seq++;
      armed[i] = TRUE;
    }
  }
  GArray *expect = g_array_new(FALSE, FALSE, sizeof(guint64[2]));
  for (guint i = 0; i < N; i++)
    if (armed[i])
      g_array_append_val(expect, model[i]);
  g_array_sort(expect, cmp_pair);
  ck_assert_uint_eq(ns_timerq_len(q), expect->len);
  for (guint k = 0; k < expect->len; k++) {
    NsTimer *t = ns_timerq_pop(q);
    const guint64 *m = (const guint64 *)expect->data + 2 * k;
    ck_assert_uint_eq(t->when, m[0]);
  }
  ck_assert_ptr_null(ns_timerq_pop(q));
  g_array_free(expect, TRUE);
  g_rand_free(rng);
  ns_timerq_free(q);
}
END_TEST

/* ---- log ----------------------------------------------------------------- */

static void count_sink(const NsLogEvent *ev, gpointer data) {
  GPtrArray *seen = data;
  g_ptr_array_add(seen, g_strdup_printf("%s|%s|%s", ev->event, ev->summary,
                                        ev->why ? ev->why : "-"));
}

START_TEST(log_sinks_and_explain) {
  NsLog *log = ns_log_new();
  ck_assert(!ns_log_on(log));
  ck_assert(!ns_log_explain(log));
  ns_log_set_explain(log, TRUE);
  ck_assert(!ns_log_explain(log)); /* nobody listens: nothing to explain */
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  ns_log_add_sink(log, count_sink, seen, NULL);
  ck_assert(ns_log_on(log));
  ck_assert(ns_log_explain(log));
  ns_log_printf(log, 5, "sw1", "switch/learn", 3, "because", "mac %d", 42);
  ns_log_set_explain(log, FALSE);
  ns_log_event(log, 6, "sw1", "switch/flood", 3, "hidden", "to ports 2,3");
  ck_assert_uint_eq(seen->len, 2);
  ck_assert_str_eq(g_ptr_array_index(seen, 0), "switch/learn|mac 42|because");
  ck_assert_str_eq(g_ptr_array_index(seen, 1), "switch/flood|to ports 2,3|-");
  ck_assert_uint_eq(ns_log_count(log), 2);
  ns_log_free(log);
  g_ptr_array_free(seen, TRUE);
}
END_TEST

Suite *test_core_suite(void) {
  Suite *s = suite_create("core");
  TCase *tc = test_tcase("addr");
  tcase_add_test(tc, mac_parse_format);
  tcase_add_test(tc, mac_reject);
  tcase_add_test(tc, ip4_parse_format);
  tcase_add_test(tc, ip4_reject);
  tcase_add_test(tc, prefix_ops);
  tcase_add_test(tc, time_parse_format);
  tcase_add_test(tc, rate_and_loss);
  suite_add_tcase(s, tc);
  tc = test_tcase("frame");
  tcase_add_test(tc, frame_refcount);
  tcase_add_test(tc, frame_writable_copies_only_when_shared);
  tcase_add_test(tc, frame_autoptr_and_len);
  suite_add_tcase(s, tc);
  tc = test_tcase("timerq");
  tcase_add_test(tc, timerq_order_and_ties);
  tcase_add_test(tc, timerq_cancel_rearm);
  tcase_add_test(tc, timerq_random_against_model);
  tcase_add_test(tc, sched_interrupt_stops_the_clock);
  suite_add_tcase(s, tc);
  tc = test_tcase("log");
  tcase_add_test(tc, log_sinks_and_explain);
  suite_add_tcase(s, tc);
  return s;
}

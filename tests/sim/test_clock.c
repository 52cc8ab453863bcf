/* test_clock.c — the fast and real-time clocks: a real-time wait takes at
 * least its time on the wall clock and fires the same events, in the same
 * order, as a fast one; a bare wait ends when the net is idle; the limit
 * and stop end a run; other sources on the context keep running while a
 * wait does.  Timing is only ever asserted from below: a loaded machine
 * may be slow, never early. */
#include <string.h>

#include "sim/clock.h"
#include "testutil.h"

/* One switch, two hosts. */
static const char lan[] = "[switch sw1]\n"
                          "[host h1]\nip = 10.0.0.1/24\nlink = sw1\n"
                          "[host h2]\nip = 10.0.0.2/24\nlink = sw1\n";

typedef struct {
  NsTopology *topo;
  NsNet *net;
  GMainContext *context;
  NsClock *clock;
  GString *events;  /* "time node event summary" lines */
  NsTime last_time; /* of the latest event */
  gboolean in_order;
  gint64 wall_start; /* monotonic µs, before the clock was made */
} Fx;

static void record(const NsLogEvent *ev, gpointer data) {
  Fx *fx = data;
  if (ev->time < fx->last_time)
    fx->in_order = FALSE;
  fx->last_time = ev->time;
  g_string_append_printf(fx->events, "%" G_GUINT64_FORMAT " %s %s %s\n",
                         ev->time, ev->node, ev->event, ev->summary);
}

static Fx *fx_new(NsClockMode mode) {
  Fx *fx = g_new0(Fx, 1);
  GError *e = NULL;
  fx->topo = ns_topology_load_data(lan, -1, "lan.conf", &e);
  ck_assert_msg(fx->topo != NULL, "%s", e ? e->message : "?");
  fx->net = ns_net_new(fx->topo, 1);
  fx->events = g_string_new(NULL);
  fx->in_order = TRUE;
  ns_log_add_sink(ns_net_log(fx->net), record, fx, NULL);
  fx->context = g_main_context_new();
  fx->wall_start = g_get_monotonic_time();
  fx->clock = ns_clock_new(fx->net, mode, fx->context);
  return fx;
}

static void fx_free(Fx *fx) {
  ns_clock_free(fx->clock);
  g_main_context_unref(fx->context);
  ns_net_free(fx->net);
  ns_topology_free(fx->topo);
  g_string_free(fx->events, TRUE);
  g_free(fx);
}

static gint64 wall_elapsed_us(const Fx *fx) {
  return g_get_monotonic_time() - fx->wall_start;
}

/* h1 pings h2 count times, interval apart. */
static NsPing *fx_ping(Fx *fx, guint count, NsTime interval) {
  NsPingOptions opts = ns_ping_default_options;
  opts.count = count;
  opts.interval = interval;
  NsIp4 dst;
  ck_assert(ns_net_resolve(fx->net, "h2", &dst, NULL));
  return ns_net_ping(fx->net, ns_net_find(fx->net, "h1"), dst, "h2", &opts);
}

/* The events of pinging 5 times 10 ms apart, then waiting until 50 ms. */
static char *run_ping_50ms(NsClockMode mode, gint64 *wall_us) {
  Fx *fx = fx_new(mode);
  NsPing *p = fx_ping(fx, 5, 10 * NS_MSEC);
  ns_clock_wait_until(fx->clock, 50 * NS_MSEC);
  /* A wait ends exactly at its time, in either mode. */
  ck_assert_uint_eq(ns_net_now(fx->net), 50 * NS_MSEC);
  ck_assert_uint_eq(ns_ping_stats(p)->transmitted, 5);
  ck_assert_uint_eq(ns_ping_stats(p)->received, 5);
  ck_assert(fx->in_order);
  ck_assert(!ns_clock_stopped(fx->clock));
  *wall_us = wall_elapsed_us(fx);
  char *events = g_strdup(fx->events->str);
  fx_free(fx);
  return events;
}

START_TEST(test_realtime_wait_takes_wall_time_same_events) {
  gint64 fast_us, real_us;
  g_autofree char *fast = run_ping_50ms(NS_CLOCK_FAST, &fast_us);
  g_autofree char *real = run_ping_50ms(NS_CLOCK_REALTIME, &real_us);
  ck_assert_msg(real_us >= 50 * 1000,
                "50 ms of virtual time took %" G_GINT64_FORMAT " us", real_us);
  ck_assert(strstr(fast, "icmp/echo") != NULL);
  ck_assert_str_eq(real, fast);
}
END_TEST

/* An event that takes 150 ms of wall time to simulate. */
static void slow_event(NsTimer *t, NsTime now, gpointer data) {
  (void)t;
  (void)now;
  (void)data;
  g_usleep(150 * 1000);
}

/* Simulating slower than real time is said in the log, not hidden. */
START_TEST(test_realtime_behind_is_logged) {
  Fx *fx = fx_new(NS_CLOCK_REALTIME);
  NsTimer slow;
  ns_timer_init(&slow, slow_event, NULL);
  ns_timerq_arm(ns_net_ctx(fx->net)->timers, &slow, NS_MSEC);
  ns_clock_rearm(fx->clock);
  ns_clock_wait_until(fx->clock, 5 * NS_MSEC);
  ck_assert_msg(strstr(fx->events->str, "sim clock/behind") != NULL, "%s",
                fx->events->str);
  ck_assert(fx->in_order);
  fx_free(fx);
}
END_TEST

/* A run that keeps up says nothing about it. */
START_TEST(test_realtime_on_time_says_nothing) {
  Fx *fx = fx_new(NS_CLOCK_REALTIME);
  fx_ping(fx, 2, 5 * NS_MSEC);
  ns_clock_wait_until(fx->clock, 20 * NS_MSEC);
  ck_assert(strstr(fx->events->str, "icmp/echo") != NULL);
  ck_assert(strstr(fx->events->str, "clock/behind") == NULL);
  fx_free(fx);
}
END_TEST

START_TEST(test_realtime_bare_wait_ends_when_idle) {
  Fx *fx = fx_new(NS_CLOCK_REALTIME);
  NsPing *p = fx_ping(fx, 3, 10 * NS_MSEC);
  ns_clock_wait_idle(fx->clock, NS_TIME_NEVER);
  ck_assert(ns_ping_stats(p)->done);
  ck_assert_uint_eq(ns_ping_stats(p)->received, 3);
  ck_assert(!ns_net_busy(fx->net));
  ck_assert(fx->in_order);
  /* The last request goes out at 20 ms, on the wall clock too. */
  ck_assert_uint_ge(ns_net_now(fx->net), 20 * NS_MSEC);
  ck_assert_int_ge(wall_elapsed_us(fx), 20 * 1000);
  /* Idle: a second bare wait returns at once, moving nothing. */
  NsTime now = ns_net_now(fx->net);
  ns_clock_wait_idle(fx->clock, NS_TIME_NEVER);
  ck_assert_uint_eq(ns_net_now(fx->net), now);
  fx_free(fx);
}
END_TEST

START_TEST(test_limit_stops_the_clock) {
  for (NsClockMode mode = NS_CLOCK_FAST; mode <= NS_CLOCK_REALTIME; mode++) {
    Fx *fx = fx_new(mode);
    ns_clock_set_limit(fx->clock, 20 * NS_MSEC);
    fx_ping(fx, 100, 5 * NS_MSEC);
    ns_clock_wait_until(fx->clock, 10 * NS_SEC);
    ck_assert_uint_eq(ns_net_now(fx->net), 20 * NS_MSEC);
    ns_clock_wait_idle(fx->clock, NS_TIME_NEVER);
    ck_assert_uint_eq(ns_net_now(fx->net), 20 * NS_MSEC);
    if (mode == NS_CLOCK_REALTIME) {
      ck_assert(ns_clock_stopped(fx->clock));
      ck_assert_int_ge(wall_elapsed_us(fx), 20 * 1000);
    }
    fx_free(fx);
  }
}
END_TEST

typedef struct {
  guint advances;
  NsNet *net;
} Advances;

/* Stops the clock once the net is idle. */
static void count_advance(NsClock *clock, gpointer data) {
  Advances *a = data;
  a->advances++;
  if (!ns_net_busy(a->net))
    ns_clock_stop(clock);
}

START_TEST(test_run_calls_back_after_each_advance) {
  Fx *fx = fx_new(NS_CLOCK_REALTIME);
  Advances a = {0, fx->net};
  ns_clock_set_advance_func(fx->clock, count_advance, &a);
  NsPing *p = fx_ping(fx, 2, 10 * NS_MSEC);
  ns_clock_rearm(fx->clock);
  ns_clock_run(fx->clock);
  ck_assert(ns_clock_stopped(fx->clock));
  /* At least one (a loaded machine may fire both requests in one). */
  ck_assert_uint_ge(a.advances, 1);
  ck_assert_uint_eq(ns_ping_stats(p)->received, 2);
  ck_assert_uint_ge(ns_net_now(fx->net), 10 * NS_MSEC);
  /* Stopped for good: a wait moves nothing. */
  NsTime now = ns_net_now(fx->net);
  ns_clock_wait_until(fx->clock, now + NS_SEC);
  ck_assert_uint_eq(ns_net_now(fx->net), now);
  fx_free(fx);
}
END_TEST

static gboolean count_tick(gpointer data) {
  (*(guint *)data)++;
  return G_SOURCE_CONTINUE;
}

/* What a bridge will need: its sources on the context are served while a
 * script waits. */
START_TEST(test_other_sources_run_during_a_wait) {
  Fx *fx = fx_new(NS_CLOCK_REALTIME);
  guint ticks = 0;
  GSource *s = g_timeout_source_new(5);
  g_source_set_callback(s, count_tick, &ticks, NULL);
  g_source_attach(s, fx->context);
  ns_clock_wait_until(fx->clock, 30 * NS_MSEC);
  ck_assert_uint_eq(ns_net_now(fx->net), 30 * NS_MSEC);
  ck_assert_uint_ge(ticks, 1);
  g_source_destroy(s);
  g_source_unref(s);
  fx_free(fx);
}
END_TEST

START_TEST(test_fast_moves_only_when_asked) {
  Fx *fx = fx_new(NS_CLOCK_FAST);
  Advances a = {0, fx->net};
  ns_clock_set_advance_func(fx->clock, count_advance, &a);
  fx_ping(fx, 1, NS_SEC);
  /* Nothing armed: iterating the context moves no time. */
  ck_assert(!g_main_context_iteration(fx->context, FALSE));
  ck_assert_uint_eq(ns_net_now(fx->net), 0);
  ns_clock_catch_up(fx->clock);
  ck_assert_uint_eq(ns_net_now(fx->net), 0);
  ns_clock_wait_until(fx->clock, 3 * NS_SEC);
  ck_assert_uint_eq(ns_net_now(fx->net), 3 * NS_SEC);
  ck_assert_uint_eq(a.advances, 0);
  fx_free(fx);
}
END_TEST

Suite *test_clock_suite(void) {
  Suite *s = suite_create("clock");
  TCase *tc = test_tcase("clock");
  tcase_add_test(tc, test_realtime_wait_takes_wall_time_same_events);
  tcase_add_test(tc, test_realtime_bare_wait_ends_when_idle);
  tcase_add_test(tc, test_realtime_behind_is_logged);
  tcase_add_test(tc, test_realtime_on_time_says_nothing);
  tcase_add_test(tc, test_limit_stops_the_clock);
  tcase_add_test(tc, test_run_calls_back_after_each_advance);
  tcase_add_test(tc, test_other_sources_run_during_a_wait);
  tcase_add_test(tc, test_fast_moves_only_when_asked);
  suite_add_tcase(s, tc);
  return s;
}

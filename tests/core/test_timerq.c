/* test_timerq.c — core/timerq: order, ties, cancel and re-arm, checked
 * against a model; the scheduler that drives it. */
#include <signal.h>

#include "core/timerq.h"
#include "sim/sched.h"
#include "testutil.h"

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

/* A queue beside a model of it: each timer's (when, seq) and whether it
 * is armed. */
typedef struct {
  NsTimerQueue *q;
  NsTimer *timers;
  guint64 (*key)[2]; /* when, arm order */
  gboolean *armed;
  guint n;
  guint64 seq;
  GRand *rng;
} Model;

static Model *model_new(guint n, guint32 seed) {
  Model *m = g_new0(Model, 1);
  m->q = ns_timerq_new();
  m->timers = g_new(NsTimer, n);
  m->key = g_malloc0_n(n, sizeof *m->key);
  m->armed = g_new0(gboolean, n);
  m->n = n;
  m->rng = g_rand_new_with_seed(seed);
  for (guint i = 0; i < n; i++)
    ns_timer_init(&m->timers[i], record_fire, NULL);
  return m;
}

static void model_free(Model *m) {
  ns_timerq_free(m->q);
  g_rand_free(m->rng);
  g_free(m->timers);
  g_free(m->key);
  g_free(m->armed);
  g_free(m);
}

static void model_arm(Model *m, guint i, NsTime when) {
  ns_timerq_arm(m->q, &m->timers[i], when);
  m->key[i][0] = when;
  m->key[i][1] = m->seq++;
  m->armed[i] = TRUE;
}

static void model_cancel(Model *m, guint i) {
  ns_timerq_cancel(m->q, &m->timers[i]);
  m->armed[i] = FALSE;
}

/* The timer the model says is due first (least (when, seq)), or -1. */
static gint model_first(const Model *m) {
  gint best = -1;
  for (guint i = 0; i < m->n; i++)
    if (m->armed[i] && (best < 0 || cmp_pair(m->key[i], m->key[best]) < 0))
      best = (gint)i;
  return best;
}

static guint model_count(const Model *m) {
  guint count = 0;
  for (guint i = 0; i < m->n; i++)
    count += m->armed[i] != FALSE;
  return count;
}

/* t, what the queue popped, must be the model's first timer (by
 * identity, ties broken by arm order), or NULL when none is armed. */
static void model_popped(Model *m, NsTimer *t) {
  gint want = model_first(m);
  if (want < 0) {
    ck_assert_ptr_null(t);
    return;
  }
  ck_assert_ptr_eq(t, &m->timers[want]);
  ck_assert(!ns_timer_armed(t));
  m->armed[want] = FALSE;
}

/* Pops what is left, each the model's first, then frees both. */
static void model_drain_free(Model *m) {
  while (model_count(m) > 0)
    model_popped(m, ns_timerq_pop(m->q));
  ck_assert_ptr_null(ns_timerq_pop(m->q));
  model_free(m);
}

/* Pops (and pop_due) interleaved with arms, re-arms and cancels, on a heap that
 * grows past its first allocation and shrinks to empty twice: every pop must be
 * the model's earliest timer, by identity, ties broken by arm order. */
START_TEST(timerq_interleaved_against_model) {
  Model *m = model_new(300, 7);
  NsTime floor = 0; /* pops never go back in time, like the scheduler */
  for (guint step = 0; step < 20000; step++) {
    guint i = g_rand_int_range(m->rng, 0, (gint32)m->n);
    guint op = g_rand_int_range(m->rng, 0, 10);
    if (step % 5000 >= 4000)
      op = 9; /* drain phases: the heap empties, then refills */
    if (op < 5) {
      model_arm(m, i, floor + (NsTime)g_rand_int_range(m->rng, 0, 8));
    } else if (op < 7) {
      model_cancel(m, i);
    } else {
      gint want = model_first(m);
      /* pop_due with a limit before the earliest time pops nothing. */
      NsTime limit = floor + (NsTime)g_rand_int_range(m->rng, 0, 8);
      if (step % 2 == 0 && want >= 0 && m->key[want][0] > limit) {
        ck_assert_ptr_null(ns_timerq_pop_due(m->q, limit));
        continue;
      }
      NsTimer *t =
          step % 2 == 0 ? ns_timerq_pop_due(m->q, limit) : ns_timerq_pop(m->q);
      model_popped(m, t);
      if (t != NULL)
        floor = t->when;
    }
    /* Peeking closes the hole a pop leaves: only every third step, so
     * that arms, re-arms and cancels also meet an open hole. */
    if (step % 3 != 0)
      continue;
    NsTime when;
    gint first = model_first(m);
    ck_assert(ns_timerq_peek(m->q, &when) == (first >= 0));
    if (first >= 0)
      ck_assert_uint_eq(when, m->key[first][0]);
  }
  model_free(m);
}
END_TEST

/* Two in-order streams at once, as links make them (a frame sent onto an
 * idle link is due at now + serialization + delay; one queued behind
 * others at the arrival before it + serialization): each stream fills one
 * of the two FIFOs past its first ring (the ring grows and moves its
 * timers while some are cancelled), the far timers go to the heap, and
 * every pop is still the model's earliest timer. */
START_TEST(timerq_two_streams_against_model) {
  Model *m = model_new(600, 11);
  NsTime now = 0, fresh = 0, queued = 0;
  guint next = 0, popped = 0;
  for (guint step = 0; step < 40000 && popped < 30000; step++) {
    guint op = g_rand_int_range(m->rng, 0, 10);
    guint i = next++ % m->n;
    if (op < 7 && !m->armed[i]) {
      /* 0-3: fresh arrivals (now + 18 us), 4-5: queued ones (now + 8 us,
       * in order), 6: far (a ping's next second) */
      if (op < 4)
        model_arm(m, i, fresh = MAX(fresh, now + 18 * NS_USEC));
      else if (op < 6)
        model_arm(m, i, queued = MAX(queued, now + 8 * NS_USEC));
      else
        model_arm(m, i,
                  now + NS_SEC + (NsTime)g_rand_int_range(m->rng, 0, 1000));
    } else if (op == 7) {
      model_cancel(m, i);
    } else if (step % 50 != 0) { /* pops lag arms: the FIFOs fill */
      NsTimer *t = ns_timerq_pop(m->q);
      model_popped(m, t);
      if (t != NULL) {
        now = t->when;
        popped++;
      }
    }
    ck_assert_uint_eq(ns_timerq_len(m->q), model_count(m));
  }
  model_drain_free(m);
}
END_TEST

/* Timers due a millisecond or more ahead: 32 pings' next requests, all
 * re-armed one interval after they fire (a stream in the far FIFO), a
 * retransmission timer re-armed 200 ms ahead again and again, and now and
 * then an ARP expiry a minute ahead and a timer due before the stream's
 * last one (each sends what the far FIFO holds to the heap).  Every pop
 * is still the model's earliest timer. */
START_TEST(timerq_far_stream_against_model) {
  enum { PINGS = 32, RTO = PINGS, ARP = PINGS + 1, EARLY = PINGS + 2 };
  Model *m = model_new(PINGS + 3, 17);
  for (guint i = 0; i < PINGS; i++)
    model_arm(m, i, NS_MSEC);
  guint fired = 0;
  while (fired < 20000) {
    NsTimer *t = ns_timerq_pop(m->q);
    model_popped(m, t);
    ck_assert_ptr_nonnull(t);
    fired++;
    NsTime now = t->when;
    guint i = (guint)(t - m->timers);
    if (i < PINGS)
      model_arm(m, i, now + NS_MSEC);
    if (fired % 7 == 0)
      model_arm(m, RTO, now + 200 * NS_MSEC);
    if (fired % 997 == 0)
      model_arm(m, ARP, now + 60 * NS_SEC);
    if (fired % 331 == 0)
      model_arm(m, EARLY, now + NS_MSEC / 2 + NS_MSEC);
    ck_assert_uint_eq(ns_timerq_len(m->q), model_count(m));
  }
  model_drain_free(m);
}
END_TEST

/* One timer waits long at a FIFO's head while another is re-armed behind
 * it again and again (each re-arm leaves a cancelled entry), among a few
 * that stay: the ring packs what is armed instead of growing with the
 * cancelled entries, and every slot it rewrites still finds its timer
 * (cancels and pops match the model). */
START_TEST(timerq_fifo_packs_cancelled) {
  enum { REARMS = 100000, STAY = 40 };
  Model *m = model_new(2 + STAY, 3);
  model_arm(m, 0, 900 * NS_USEC); /* the long wait, at the head */
  guint stay = 0;
  for (guint k = 1; k <= REARMS; k++) {
    model_arm(m, 1, 900 * NS_USEC + k); /* in order, so the same FIFO */
    if (k % (REARMS / STAY) == 0)
      model_arm(m, 2 + stay++, 900 * NS_USEC + k);
  }
  ck_assert_uint_eq(stay, STAY);
  /* Without packing the ring holds every re-arm: 100,000 entries. */
  ck_assert_uint_lt(ns_timerq_bytes(m->q), 4096 * sizeof(NsTimer *));
  for (guint i = 0; i < STAY; i += 3)
    model_cancel(m, 2 + i);
  ck_assert_uint_eq(ns_timerq_len(m->q), model_count(m));
  model_drain_free(m);
}
END_TEST

/* Prefetching (for big networks) never changes the order: the same random
 * mix of in-order arms (the FIFO's), out-of-order arms and cancels pops
 * the same timers with it on as off; peek_fifo2 sees the FIFO's slots. */
static void pop_all_order(gboolean prefetch, guint *order, guint n) {
  NsTimerQueue *q = ns_timerq_new();
  ns_timerq_set_prefetch(q, prefetch);
  NsTimer *timers = g_new(NsTimer, n);
  GRand *rng = g_rand_new_with_seed(5);
  for (guint i = 0; i < n; i++) {
    ns_timer_init(&timers[i], record_fire, NULL);
    NsTime when = i % 7 == 0 ? (NsTime)g_rand_int_range(rng, 0, 200) : 10 + i;
    ns_timerq_arm(q, &timers[i], when);
  }
  for (guint i = 0; i < n; i += 5)
    ns_timerq_cancel(q, &timers[i]);
  const NsTimer *ahead[2];
  ns_timerq_peek_fifo2(q, ahead);
  ck_assert(ahead[0] == NULL || ns_timer_armed(ahead[0]));
  ck_assert(ahead[1] == NULL || ns_timer_armed(ahead[1]));
  ck_assert(ahead[0] != NULL || ahead[1] != NULL); /* in-order arms: FIFO */
  guint popped = 0;
  for (NsTimer *t; (t = ns_timerq_pop(q)) != NULL;) {
    order[popped++] = (guint)(t - timers);
    if (popped % 3 == 0) /* arms while popping, in order after now */
      ns_timerq_arm(q, t, t->when + 1000);
    if (popped >= n)
      break;
  }
  g_rand_free(rng);
  ns_timerq_free(q);
  g_free(timers);
}

START_TEST(timerq_prefetch_keeps_order) {
  enum { N = 500 };
  static guint off[N], on[N];
  pop_all_order(FALSE, off, N);
  pop_all_order(TRUE, on, N);
  for (guint i = 0; i < N; i++)
    ck_assert_uint_eq(off[i], on[i]);
}
END_TEST

/* Cancelling the last slot, the root, and a timer twice; re-arming the
 * root later than everything; peek and pop on an empty queue. */
START_TEST(timerq_edges) {
  NsTimerQueue *q = ns_timerq_new();
  NsTimer t[6];
  for (guint i = 0; i < 6; i++) {
    ns_timer_init(&t[i], record_fire, NULL);
    ns_timerq_arm(q, &t[i], 10 + i);
  }
  ns_timerq_cancel(q, &t[5]);   /* the last slot */
  ns_timerq_cancel(q, &t[5]);   /* harmless twice */
  ns_timerq_cancel(q, &t[0]);   /* the root */
  ns_timerq_arm(q, &t[1], 100); /* the new root, moved past the others */
  ck_assert_uint_eq(ns_timerq_len(q), 4);
  const guint order[] = {2, 3, 4, 1};
  for (guint k = 0; k < 4; k++)
    ck_assert_ptr_eq(ns_timerq_pop(q), &t[order[k]]);
  NsTime when = 7;
  ck_assert(!ns_timerq_peek(q, &when));
  ck_assert_uint_eq(when, 7);
  ck_assert_ptr_null(ns_timerq_pop(q));
  ns_timerq_free(q);
}
END_TEST

Suite *test_timerq_suite(void) {
  Suite *s = suite_create("timerq");
  TCase *tc = test_tcase("timerq");
  tcase_add_test(tc, timerq_order_and_ties);
  tcase_add_test(tc, timerq_cancel_rearm);
  tcase_add_test(tc, timerq_random_against_model);
  tcase_add_test(tc, timerq_interleaved_against_model);
  tcase_add_test(tc, timerq_two_streams_against_model);
  tcase_add_test(tc, timerq_fifo_packs_cancelled);
  tcase_add_test(tc, timerq_far_stream_against_model);
  tcase_add_test(tc, timerq_edges);
  tcase_add_test(tc, timerq_prefetch_keeps_order);
  tcase_add_test(tc, sched_interrupt_stops_the_clock);
  suite_add_tcase(s, tc);
  return s;
}

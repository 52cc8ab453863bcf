/* test_arp_cache.c — the ARP cache state machine on a fake clock. */
#include "net/arp_cache.h"
#include "testutil.h"

#include <string.h>

#define IP_A NS_IP4(10, 0, 0, 1)
#define IP_B NS_IP4(10, 0, 0, 2)
#define IP_C NS_IP4(10, 0, 0, 3)
#define IP_D NS_IP4(10, 0, 0, 4)
#define IP_E NS_IP4(10, 0, 0, 5)

static NsFrame *frame(guint64 id) { return ns_frame_new(60, id); }

/* Records what tick() reported, in order. */
typedef struct {
  GString *log;        /* "retry 10.0.0.1 2;fail 10.0.0.1 [7,8];..." */
  NsArpCache *reenter; /* when set, fail resolves this IP in it */
  NsIp4 reenter_ip;
  NsTime now; /* for the re-entrant resolve */
} Recorder;

static void on_retry(NsIp4 ip, guint attempt, gpointer data) {
  Recorder *r = data;
  char b[NS_IP4_STRLEN];
  g_string_append_printf(r->log, "retry %s %u;", ns_ip4_format(ip, b), attempt);
}

static void on_fail(NsIp4 ip, NsFrame **frames, guint n, gpointer data) {
  Recorder *r = data;
  char b[NS_IP4_STRLEN];
  g_string_append_printf(r->log, "fail %s [", ns_ip4_format(ip, b));
  for (guint i = 0; i < n; i++) {
    g_string_append_printf(r->log, "%s%" G_GUINT64_FORMAT, i ? "," : "",
                           frames[i]->id);
    ns_frame_unref(frames[i]);
  }
  g_string_append(r->log, "];");
  if (r->reenter != NULL) {
    NsMac mac;
    NsArpResult res = ns_arp_cache_resolve(r->reenter, r->reenter_ip, r->now,
                                           frame(99), &mac, NULL, NULL);
    g_string_append_printf(r->log, "reenter %s;", ns_arp_result_name(res));
  }
}

static void on_expire(NsIp4 ip, NsMac mac, gpointer data) {
  Recorder *r = data;
  char b[NS_IP4_STRLEN], m[NS_MAC_STRLEN];
  g_string_append_printf(r->log, "expire %s %s;", ns_ip4_format(ip, b),
                         ns_mac_format(mac, m));
}

static void tick(NsArpCache *c, NsTime now, Recorder *r) {
  ns_arp_cache_tick(c, now, on_retry, on_fail, on_expire, r);
}

static NsArpConfig small_config(guint capacity) {
  NsArpConfig cfg = ns_arp_default_config;
  cfg.capacity = capacity;
  return cfg;
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(test_defaults) {
  ck_assert_uint_eq(ns_arp_default_config.reachable_time, 60 * NS_SEC);
  ck_assert_uint_eq(ns_arp_default_config.retry_interval, 1 * NS_SEC);
  ck_assert_uint_eq(ns_arp_default_config.retries, 3);
  ck_assert_uint_eq(ns_arp_default_config.capacity, 256);
  NsArpCache *c = ns_arp_cache_new(NULL);
  ck_assert_uint_eq(ns_arp_cache_config(c)->capacity, 256);
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), NS_TIME_NEVER);
  ck_assert_str_eq(ns_arp_state_name(NS_ARP_INCOMPLETE), "incomplete");
  ck_assert_str_eq(ns_arp_state_name(NS_ARP_REACHABLE), "reachable");
  ck_assert_str_eq(ns_arp_result_name(NS_ARP_HIT), "hit");
  ck_assert_str_eq(ns_arp_result_name(NS_ARP_MISS), "miss");
  ck_assert_str_eq(ns_arp_result_name(NS_ARP_PENDING), "pending");
  ck_assert_str_eq(ns_arp_result_name(NS_ARP_FULL), "full");
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_miss_pending_hit) {
  NsArpCache *c = ns_arp_cache_new(&ns_arp_default_config);
  NsTime t0 = 5 * NS_SEC;
  NsFrame *f1 = frame(1), *f2 = frame(2), *f3 = frame(3);
  NsFrame *dropped = (NsFrame *)0x1;
  gboolean aged = TRUE;
  NsMac mac = ns_mac_zero;

  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, t0, f1, &mac, &dropped, &aged),
                   NS_ARP_MISS);
  ck_assert_ptr_null(dropped);
  ck_assert(!aged);
  const NsArpEntry *e = ns_arp_cache_find(c, IP_A, t0);
  ck_assert_ptr_nonnull(e);
  ck_assert_int_eq(e->state, NS_ARP_INCOMPLETE);
  ck_assert_uint_eq(e->requests, 1);
  ck_assert_uint_eq(e->deadline, t0 + NS_SEC);
  ck_assert_uint_eq(e->npending, 1);

  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, t0 + 1, f2, &mac, &dropped, &aged),
      NS_ARP_PENDING);
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, t0 + 2, f3, &mac, &dropped, &aged),
      NS_ARP_PENDING);
  ck_assert_ptr_null(dropped);
  /* No frame: just asks, nothing queued. */
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, t0 + 3, NULL, &mac, &dropped, NULL),
      NS_ARP_PENDING);
  ck_assert_uint_eq(ns_arp_cache_find(c, IP_A, t0 + 3)->npending, 3);

  NsMac hw = ns_mac_local(7);
  NsArpReleased released = {.n = 0};
  ck_assert(ns_arp_cache_update(c, IP_A, hw, t0 + 10, FALSE, &released));
  ck_assert_uint_eq(released.n, 3);
  ck_assert_ptr_eq(released.frames[0], f1);
  ck_assert_ptr_eq(released.frames[1], f2);
  ck_assert_ptr_eq(released.frames[2], f3);
  for (guint i = 0; i < released.n; i++)
    ns_frame_unref(released.frames[i]);

  e = ns_arp_cache_find(c, IP_A, t0 + 10);
  ck_assert_int_eq(e->state, NS_ARP_REACHABLE);
  ck_assert_uint_eq(e->npending, 0);
  ck_assert_uint_eq(e->deadline, t0 + 10 + 60 * NS_SEC);

  NsFrame *f4 = frame(4);
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, t0 + 20, f4, &mac, &dropped, &aged),
      NS_ARP_HIT);
  ck_assert(ns_mac_equal(mac, hw));
  ck_assert(!aged);
  ck_assert_uint_eq(f4->refs, 1); /* not taken */
  ns_frame_unref(f4);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_update_released_null_drops) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(1), NULL, NULL, NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(2), NULL, NULL, NULL);
  ck_assert(ns_arp_cache_update(c, IP_A, ns_mac_local(1), 0, TRUE, NULL));
  ck_assert_uint_eq(ns_arp_cache_find(c, IP_A, 0)->npending, 0);
  ns_arp_cache_free(c); /* teardown checks both frames were freed */
}
END_TEST

START_TEST(test_update_without_create) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  /* A request that is not for us: no entry is made. */
  ck_assert(!ns_arp_cache_update(c, IP_B, ns_mac_local(2), 0, FALSE, NULL));
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_B, 0));
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), NS_TIME_NEVER);

  /* But an existing entry is refreshed (RFC 826 merge). */
  ck_assert(ns_arp_cache_update(c, IP_B, ns_mac_local(2), 0, TRUE, NULL));
  ck_assert(
      ns_arp_cache_update(c, IP_B, ns_mac_local(3), 10 * NS_SEC, FALSE, NULL));
  const NsArpEntry *e = ns_arp_cache_find(c, IP_B, 10 * NS_SEC);
  ck_assert(ns_mac_equal(e->mac, ns_mac_local(3)));
  ck_assert_uint_eq(e->deadline, 70 * NS_SEC);

  /* An aged-out entry counts as absent for the merge rule. */
  ck_assert(
      !ns_arp_cache_update(c, IP_B, ns_mac_local(3), 70 * NS_SEC, FALSE, NULL));
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_B, 70 * NS_SEC));

  /* An INCOMPLETE entry exists, so a request from it resolves it. */
  ns_arp_cache_resolve(c, IP_C, 0, frame(1), NULL, NULL, NULL);
  NsArpReleased rel = {.n = 0};
  ck_assert(ns_arp_cache_update(c, IP_C, ns_mac_local(4), 1, FALSE, &rel));
  ck_assert_uint_eq(rel.n, 1);
  ns_frame_unref(rel.frames[0]);
  ck_assert_int_eq(ns_arp_cache_find(c, IP_C, 1)->state, NS_ARP_REACHABLE);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_update_rejects_bogus) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  ck_assert(!ns_arp_cache_update(c, IP_A, ns_mac_broadcast, 0, TRUE, NULL));
  ck_assert(!ns_arp_cache_update(c, IP_A, ns_mac_zero, 0, TRUE, NULL));
  NsMac mcast = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
  ck_assert(!ns_arp_cache_update(c, IP_A, mcast, 0, TRUE, NULL));
  ck_assert(!ns_arp_cache_update(c, NS_IP4(0, 0, 0, 0), ns_mac_local(1), 0,
                                 TRUE, NULL));
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_retries_then_fail) {
  NsArpCache *c = ns_arp_cache_new(NULL); /* 1 s retry, 3 requests */
  Recorder r = {.log = g_string_new(NULL)};
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, 0, frame(7), NULL, NULL, NULL),
                   NS_ARP_MISS);
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, 0, frame(8), NULL, NULL, NULL),
                   NS_ARP_PENDING);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 1 * NS_SEC);

  tick(c, 1 * NS_SEC - 1, &r);
  ck_assert_str_eq(r.log->str, "");
  tick(c, 1 * NS_SEC, &r);
  ck_assert_str_eq(r.log->str, "retry 10.0.0.1 2;");
  ck_assert_uint_eq(ns_arp_cache_find(c, IP_A, NS_SEC)->requests, 2);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 2 * NS_SEC);

  /* A frame queued between retries joins the others. */
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, NS_SEC + 5, frame(9), NULL, NULL, NULL),
      NS_ARP_PENDING);
  tick(c, 2 * NS_SEC, &r);
  ck_assert_str_eq(r.log->str, "retry 10.0.0.1 2;retry 10.0.0.1 3;");
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 3 * NS_SEC);

  tick(c, 3 * NS_SEC - 1, &r);
  ck_assert_uint_eq(ns_arp_cache_len(c), 1);
  tick(c, 3 * NS_SEC, &r);
  ck_assert_str_eq(r.log->str,
                   "retry 10.0.0.1 2;retry 10.0.0.1 3;fail 10.0.0.1 [7,8,9];");
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_A, 3 * NS_SEC));
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), NS_TIME_NEVER);

  /* A later resolve starts from scratch. */
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, 4 * NS_SEC, NULL, NULL, NULL, NULL),
      NS_ARP_MISS);
  ck_assert_uint_eq(ns_arp_cache_find(c, IP_A, 4 * NS_SEC)->requests, 1);
  g_string_free(r.log, TRUE);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_retries_one) {
  NsArpConfig cfg = ns_arp_default_config;
  cfg.retries = 1;
  cfg.retry_interval = 250 * NS_MSEC;
  NsArpCache *c = ns_arp_cache_new(&cfg);
  Recorder r = {.log = g_string_new(NULL)};
  ns_arp_cache_resolve(c, IP_B, 0, frame(1), NULL, NULL, NULL);
  tick(c, 250 * NS_MSEC, &r);
  ck_assert_str_eq(r.log->str, "fail 10.0.0.2 [1];");
  g_string_free(r.log, TRUE);
  ns_arp_cache_free(c);
}
END_TEST

/* ns_arp_cache_new keeps its own copy of the configuration (a caller's
 * later change does not reach it); ns_arp_cache_init borrows the one it is
 * given (an IP node's, shared by its interfaces' caches). */
START_TEST(test_config_copied_or_borrowed) {
  NsArpConfig cfg = ns_arp_default_config;
  cfg.capacity = 7;
  NsArpCache *c = ns_arp_cache_new(&cfg);
  cfg.capacity = 9;
  ck_assert_uint_eq(ns_arp_cache_config(c)->capacity, 7);
  ck_assert(ns_arp_config_same(ns_arp_cache_config(c), &cfg) == FALSE);
  ns_arp_cache_free(c);

  gpointer mem = g_malloc0(ns_arp_cache_size());
  c = ns_arp_cache_init(mem, &cfg);
  ck_assert_ptr_eq(ns_arp_cache_config(c), &cfg);
  ns_arp_cache_clear(c);
  g_free(mem);

  c = ns_arp_cache_new(NULL);
  ck_assert(ns_arp_config_same(ns_arp_cache_config(c), &ns_arp_default_config));
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_fail_without_callbacks_frees) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(1), NULL, NULL, NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(2), NULL, NULL, NULL);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 0, TRUE, NULL);
  for (NsTime t = NS_SEC; t <= 3 * NS_SEC; t += NS_SEC)
    ns_arp_cache_tick(c, t, NULL, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_arp_cache_len(c), 1); /* only B */
  ns_arp_cache_tick(c, 60 * NS_SEC, NULL, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_late_tick_single_retry) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  Recorder r = {.log = g_string_new(NULL)};
  ns_arp_cache_resolve(c, IP_A, 0, NULL, NULL, NULL, NULL);
  tick(c, 2500 * NS_MSEC, &r);
  ck_assert_str_eq(r.log->str, "retry 10.0.0.1 2;");
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 3500 * NS_MSEC);
  g_string_free(r.log, TRUE);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_tick_order_and_reentry) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  Recorder r = {.log = g_string_new(NULL), .reenter = c, .reenter_ip = IP_E};
  /* Made in reverse order; reported in ascending IP order. */
  ns_arp_cache_update(c, IP_D, ns_mac_local(4), 0, TRUE, NULL);
  ns_arp_cache_resolve(c, IP_C, 0, frame(3), NULL, NULL, NULL);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 0, TRUE, NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(1), NULL, NULL, NULL);
  tick(c, NS_SEC, &r);
  tick(c, 2 * NS_SEC, &r);
  g_string_truncate(r.log, 0);
  r.now = 3 * NS_SEC;
  /* At 3 s both INCOMPLETE entries fail; each fail resolves E from inside
   * the callback, which must see a consistent cache. */
  tick(c, 3 * NS_SEC, &r);
  ck_assert_str_eq(r.log->str, "fail 10.0.0.1 [1];reenter miss;"
                               "fail 10.0.0.3 [3];reenter pending;");
  ck_assert_uint_eq(ns_arp_cache_len(c), 3); /* B, D, E */
  g_string_truncate(r.log, 0);
  r.reenter = NULL;
  tick(c, 60 * NS_SEC, &r);
  ck_assert_str_eq(r.log->str, "expire 10.0.0.2 02:00:00:00:00:02;"
                               "expire 10.0.0.4 02:00:00:00:00:04;"
                               "retry 10.0.0.5 2;");
  ck_assert_uint_eq(ns_arp_cache_len(c), 1);
  ck_assert_uint_eq(ns_arp_cache_find(c, IP_E, 60 * NS_SEC)->npending, 2);
  g_string_free(r.log, TRUE);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_pending_overflow_drops_oldest) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  NsFrame *f[6];
  for (guint i = 0; i < 6; i++)
    f[i] = frame(i + 1);
  NsFrame *dropped = NULL;
  for (guint i = 0; i < NS_ARP_PENDING_MAX; i++) {
    ns_arp_cache_resolve(c, IP_A, 0, f[i], NULL, &dropped, NULL);
    ck_assert_ptr_null(dropped);
  }
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, 0, f[3], NULL, &dropped, NULL),
                   NS_ARP_PENDING);
  ck_assert_ptr_eq(dropped, f[0]);
  ns_frame_unref(dropped);
  ns_arp_cache_resolve(c, IP_A, 0, f[4], NULL, &dropped, NULL);
  ck_assert_ptr_eq(dropped, f[1]);
  ns_frame_unref(dropped);
  /* dropped == NULL: the cache drops the oldest itself. */
  ns_arp_cache_resolve(c, IP_A, 0, f[5], NULL, NULL, NULL);

  const NsArpEntry *e = ns_arp_cache_find(c, IP_A, 0);
  ck_assert_uint_eq(e->npending, 3);
  ck_assert_ptr_eq(e->pending[0], f[3]);
  ck_assert_ptr_eq(e->pending[1], f[4]);
  ck_assert_ptr_eq(e->pending[2], f[5]);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_reachable_expiry_boundary) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  Recorder r = {.log = g_string_new(NULL)};
  NsTime t0 = 10 * NS_SEC, dl = t0 + 60 * NS_SEC;
  NsMac hw = ns_mac_local(9), mac;
  ns_arp_cache_update(c, IP_A, hw, t0, TRUE, NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), dl);

  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_A, dl - 1));
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_A, dl - 1, NULL, &mac, NULL, NULL),
      NS_ARP_HIT);
  GPtrArray *all = ns_arp_cache_entries(c, dl - 1);
  ck_assert_uint_eq(all->len, 1);
  g_ptr_array_unref(all);
  tick(c, dl - 1, &r);
  ck_assert_str_eq(r.log->str, "");

  /* At the deadline it is gone, even before a tick. */
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_A, dl));
  all = ns_arp_cache_entries(c, dl);
  ck_assert_uint_eq(all->len, 0);
  g_ptr_array_unref(all);
  ck_assert_uint_eq(ns_arp_cache_len(c), 1);
  tick(c, dl, &r);
  ck_assert_str_eq(r.log->str, "expire 10.0.0.1 02:00:00:00:00:09;");
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  g_string_free(r.log, TRUE);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_resolve_aged_out_restarts) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  NsTime dl = 60 * NS_SEC;
  ns_arp_cache_update(c, IP_A, ns_mac_local(1), 0, TRUE, NULL);
  gboolean aged = FALSE;
  NsFrame *f = frame(1);
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, dl, f, NULL, NULL, &aged),
                   NS_ARP_MISS);
  ck_assert(aged);
  const NsArpEntry *e = ns_arp_cache_find(c, IP_A, dl);
  ck_assert_int_eq(e->state, NS_ARP_INCOMPLETE);
  ck_assert_uint_eq(e->requests, 1);
  ck_assert_uint_eq(e->deadline, dl + NS_SEC);
  ck_assert_ptr_eq(e->pending[0], f);
  ck_assert_uint_eq(ns_arp_cache_len(c), 1);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_capacity_replacement) {
  NsArpConfig cfg = small_config(3);
  NsArpCache *c = ns_arp_cache_new(&cfg);
  /* A answered later than B, so B expires first although A is older. */
  ns_arp_cache_update(c, IP_A, ns_mac_local(1), 0, TRUE, NULL);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 5 * NS_SEC, TRUE, NULL);
  ns_arp_cache_update(c, IP_A, ns_mac_local(1), 20 * NS_SEC, FALSE, NULL);
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_C, 21 * NS_SEC, frame(3), NULL, NULL, NULL),
      NS_ARP_MISS);
  ck_assert_uint_eq(ns_arp_cache_len(c), 3);

  /* Full: D replaces B (earliest REACHABLE deadline), not the INCOMPLETE C. */
  NsTime now = 22 * NS_SEC;
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_D, now, frame(4), NULL, NULL, NULL),
      NS_ARP_MISS);
  ck_assert_uint_eq(ns_arp_cache_len(c), 3);
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_B, now));
  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_A, now));
  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_C, now));
  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_D, now));

  /* Next, E replaces A, the last REACHABLE one. */
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_E, now, NULL, NULL, NULL, NULL),
                   NS_ARP_MISS);
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_A, now));

  /* All INCOMPLETE: a new resolution fails at once, frame not taken. */
  NsFrame *f = frame(6);
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, NS_IP4(10, 0, 0, 6), now, f, NULL, NULL, NULL),
      NS_ARP_FULL);
  ck_assert_uint_eq(f->refs, 1);
  ns_frame_unref(f);
  ck_assert(!ns_arp_cache_update(c, NS_IP4(10, 0, 0, 6), ns_mac_local(6), now,
                                 TRUE, NULL));
  ck_assert_uint_eq(ns_arp_cache_len(c), 3);
  /* Existing INCOMPLETE entries still queue. */
  ck_assert_int_eq(
      ns_arp_cache_resolve(c, IP_C, now, frame(7), NULL, NULL, NULL),
      NS_ARP_PENDING);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_capacity_replacement_by_update) {
  NsArpConfig cfg = small_config(2);
  NsArpCache *c = ns_arp_cache_new(&cfg);
  ns_arp_cache_update(c, IP_A, ns_mac_local(1), 0, TRUE, NULL);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 1, TRUE, NULL);
  ck_assert(ns_arp_cache_update(c, IP_C, ns_mac_local(3), 2, TRUE, NULL));
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_A, 2));
  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_B, 2));
  ck_assert_ptr_nonnull(ns_arp_cache_find(c, IP_C, 2));
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_flush_and_remove) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(1), NULL, NULL, NULL);
  ns_arp_cache_resolve(c, IP_A, 0, frame(2), NULL, NULL, NULL);
  ns_arp_cache_resolve(c, IP_B, 0, frame(3), NULL, NULL, NULL);
  ns_arp_cache_update(c, IP_C, ns_mac_local(3), 0, TRUE, NULL);
  ns_arp_cache_resolve(c, IP_D, 0, frame(4), NULL, NULL, NULL);

  ck_assert(ns_arp_cache_remove(c, IP_D));
  ck_assert(!ns_arp_cache_remove(c, IP_D));
  ck_assert_uint_eq(ns_arp_cache_len(c), 3);

  ns_arp_cache_flush(c);
  ck_assert_uint_eq(ns_arp_cache_len(c), 0);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), NS_TIME_NEVER);
  ck_assert_ptr_null(ns_arp_cache_find(c, IP_C, 0));
  /* Usable again after a flush. */
  ck_assert_int_eq(ns_arp_cache_resolve(c, IP_A, 0, frame(5), NULL, NULL, NULL),
                   NS_ARP_MISS);
  ns_arp_cache_free(c);
}
END_TEST

static gboolean drop_odd(NsIp4 ip, gpointer data) {
  (void)data;
  return (ip.v & 1) != 0;
}

/* The cache answers "absent" from a 64-bit filter before searching.  Against
 * a model, through inserts, refreshes, remove, remove_if, expiry by tick,
 * eviction and flush: find and a merge-only update see exactly the IPs
 * present (a filter that kept a stale zero bit would lose an entry). */
START_TEST(test_filter_never_hides_an_entry) {
  NsArpConfig cfg = small_config(200);
  NsArpCache *c = ns_arp_cache_new(&cfg);
  gboolean present[512] = {0};
  GRand *rng = g_rand_new_with_seed(11);
  NsTime now = 0;
  for (guint round = 0; round < 40; round++) {
    for (guint k = 0; k < 60; k++) {
      guint i = (guint)g_rand_int_range(rng, 0, 512);
      if (ns_arp_cache_update(c, NS_IP4(10, 1, i / 256, i % 256),
                              ns_mac_local(i + 1), now, TRUE, NULL))
        present[i] = TRUE;
    }
    switch (round % 4) {
    case 0:
      for (guint i = 0; i < 512; i += 3)
        if (ns_arp_cache_remove(c, NS_IP4(10, 1, i / 256, i % 256)))
          present[i] = FALSE;
      break;
    case 1:
      ns_arp_cache_remove_if(c, drop_odd, NULL, NULL);
      for (guint i = 1; i < 512; i += 2)
        present[i] = FALSE;
      break;
    case 2: /* every entry ages out */
      now += cfg.reachable_time;
      ns_arp_cache_tick(c, now, NULL, NULL, NULL, NULL);
      memset(present, 0, sizeof present);
      break;
    default:
      if (round % 8 == 7) {
        ns_arp_cache_flush(c);
        memset(present, 0, sizeof present);
      }
    }
    /* An eviction may have pushed any entry out: the model follows find. */
    guint n = 0;
    for (guint i = 0; i < 512; i++) {
      NsIp4 ip = NS_IP4(10, 1, i / 256, i % 256);
      const NsArpEntry *e = ns_arp_cache_find(c, ip, now);
      if (e == NULL)
        present[i] = FALSE;
      n += present[i];
      ck_assert_msg(present[i] == (e != NULL), "round %u, ip .%u", round, i);
    }
    ck_assert_uint_eq(n, ns_arp_cache_len(c));
    for (guint i = 0; i < 512; i++) {
      NsIp4 ip = NS_IP4(10, 1, i / 256, i % 256);
      ck_assert(ns_arp_cache_update(c, ip, ns_mac_local(i + 1), now, FALSE,
                                    NULL) == present[i]);
    }
  }
  g_rand_free(rng);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_next_deadline) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), NS_TIME_NEVER);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 0, TRUE, NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 60 * NS_SEC);
  ns_arp_cache_resolve(c, IP_A, 10 * NS_SEC, NULL, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 11 * NS_SEC);
  ns_arp_cache_update(c, IP_A, ns_mac_local(1), 10500 * NS_MSEC, FALSE, NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 60 * NS_SEC);
  ns_arp_cache_update(c, IP_B, ns_mac_local(2), 30 * NS_SEC, FALSE, NULL);
  ck_assert_uint_eq(ns_arp_cache_next_deadline(c), 70500 * NS_MSEC);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_entries_sorted_and_growth) {
  NsArpCache *c = ns_arp_cache_new(NULL);
  GRand *rand = g_rand_new_with_seed(826);
  GHashTable *model = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < 200; i++) {
    guint32 v = NS_IP4(10, 0, 0, 0).v | (g_rand_int(rand) & 0xffff);
    NsIp4 ip = {v};
    if (i % 2)
      ns_arp_cache_update(c, ip, ns_mac_local(v & 0xffff), 0, TRUE, NULL);
    else
      ns_arp_cache_resolve(c, ip, 0, NULL, NULL, NULL, NULL);
    g_hash_table_add(model, GUINT_TO_POINTER(v));
  }
  ck_assert_uint_eq(ns_arp_cache_len(c), g_hash_table_size(model));
  GPtrArray *all = ns_arp_cache_entries(c, 0);
  ck_assert_uint_eq(all->len, g_hash_table_size(model));
  for (guint i = 0; i < all->len; i++) {
    const NsArpEntry *e = g_ptr_array_index(all, i);
    ck_assert(g_hash_table_contains(model, GUINT_TO_POINTER(e->ip.v)));
    ck_assert_ptr_eq(ns_arp_cache_find(c, e->ip, 0), e);
    if (i > 0) {
      const NsArpEntry *prev = g_ptr_array_index(all, i - 1);
      ck_assert_uint_lt(prev->ip.v, e->ip.v);
    }
  }
  g_ptr_array_unref(all);
  g_hash_table_unref(model);
  g_rand_free(rand);
  ns_arp_cache_free(c);
}
END_TEST

START_TEST(test_eviction_is_reported) {
  NsArpConfig cfg = ns_arp_default_config;
  cfg.capacity = 2;
  NsArpCache *c = ns_arp_cache_new(&cfg);
  ck_assert_uint_eq(ns_arp_cache_evictions(c), 0);
  ck_assert_ptr_null(ns_arp_cache_last_evicted(c));
  ns_arp_cache_update(c, NS_IP4(10, 0, 0, 1), ns_mac_local(1), 0, TRUE, NULL);
  ns_arp_cache_update(c, NS_IP4(10, 0, 0, 2), ns_mac_local(2), 5, TRUE, NULL);
  ns_arp_cache_update(c, NS_IP4(10, 0, 0, 3), ns_mac_local(3), 9, TRUE, NULL);
  /* .1 expired soonest: it made room, and the cache says so. */
  ck_assert_uint_eq(ns_arp_cache_evictions(c), 1);
  const NsArpEntry *e = ns_arp_cache_last_evicted(c);
  ck_assert_uint_eq(e->ip.v, NS_IP4(10, 0, 0, 1).v);
  ck_assert(ns_mac_equal(e->mac, ns_mac_local(1)));
  ck_assert_uint_eq(e->npending, 0);
  ns_arp_cache_free(c);
}
END_TEST

Suite *test_arp_cache_suite(void) {
  Suite *s = suite_create("arp_cache");
  TCase *tc = test_tcase("basic");
  tcase_add_test(tc, test_defaults);
  tcase_add_test(tc, test_miss_pending_hit);
  tcase_add_test(tc, test_update_released_null_drops);
  tcase_add_test(tc, test_update_without_create);
  tcase_add_test(tc, test_update_rejects_bogus);
  tcase_add_test(tc, test_entries_sorted_and_growth);
  suite_add_tcase(s, tc);

  tc = test_tcase("timers");
  tcase_add_test(tc, test_retries_then_fail);
  tcase_add_test(tc, test_retries_one);
  tcase_add_test(tc, test_fail_without_callbacks_frees);
  tcase_add_test(tc, test_late_tick_single_retry);
  tcase_add_test(tc, test_tick_order_and_reentry);
  tcase_add_test(tc, test_reachable_expiry_boundary);
  tcase_add_test(tc, test_resolve_aged_out_restarts);
  tcase_add_test(tc, test_next_deadline);
  suite_add_tcase(s, tc);

  tc = test_tcase("bounds");
  tcase_add_test(tc, test_pending_overflow_drops_oldest);
  tcase_add_test(tc, test_capacity_replacement);
  tcase_add_test(tc, test_capacity_replacement_by_update);
  tcase_add_test(tc, test_flush_and_remove);
  tcase_add_test(tc, test_filter_never_hides_an_entry);
  tcase_add_test(tc, test_eviction_is_reported);
  tcase_add_test(tc, test_config_copied_or_borrowed);
  suite_add_tcase(s, tc);
  return s;
}

/* test_framestore.c — the frames kept for `show frame`: one hop per link
 * crossed with the bytes as they were there, the bound on journeys (the
 * first seen forgotten first) and the taps removed when the store goes. */
#include "apps/ping.h"
#include "net/link.h"
#include "sim/framestore.h"
#include "testutil.h"
#include "wire/ipv4.h"

/* h1 - sw1 - r1 - h2: a switched hop and a routed one. */
static const char net_text[] =
    "[switch sw1]\n"
    "[router r1]\neth0 = 10.0.0.1/24 @ sw1\neth1 = 10.0.1.1/24\n"
    "[host h1]\nip = 10.0.0.10/24\ngateway = 10.0.0.1\nlink = sw1\n"
    "[host h2]\nip = 10.0.1.10/24\ngateway = 10.0.1.1\nlink = r1:eth1\n";

static NsNet *make_net(void) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(net_text, -1, "n.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  return ns_net_new(topo, 1);
}

static void ping_once(NsNet *net) {
  NsPingOptions o = ns_ping_default_options;
  o.count = 1;
  ck_assert_ptr_nonnull(
      ns_net_ping(net, ns_net_find(net, "h1"), NS_IP4(10, 0, 1, 10), "h2", &o));
  ns_net_run_idle(net, 10 * NS_SEC);
}

/* The echo request is #1 (made first, sent after ARP): three links. */
START_TEST(test_framestore_hops) {
  NsNet *net = make_net();
  NsFrameStore *store = ns_frame_store_new(net, NS_FRAME_STORE_JOURNEYS);
  ping_once(net);
  const NsFrameJourney *j = ns_frame_store_find(store, 1);
  ck_assert_ptr_nonnull(j);
  ck_assert_uint_eq(j->hops->len, 3);
  ck_assert_uint_eq(j->untold, 0);
  NsTime last = 0;
  for (guint i = 0; i < j->hops->len; i++) {
    const NsFrameHop *h = &g_array_index(j->hops, NsFrameHop, i);
    ck_assert_uint_ge(h->time, last);
    last = h->time;
    /* TTL 64 up to the router, 63 after it. */
    ck_assert_uint_eq(h->bytes[14 + NS_IPV4_OFF_TTL], i < 2 ? 64 : 63);
  }
  ck_assert_ptr_null(ns_frame_store_find(store, 0));
  ck_assert_ptr_null(ns_frame_store_find(store, 1000));
  ck_assert_uint_eq(ns_frame_store_forgotten(store), 0);
  ns_frame_store_free(store);
  for (guint i = 0; i < ns_net_n_links(net); i++)
    ck_assert_uint_eq(ns_link_n_taps(ns_net_link(net, i)->link), 0);
  ns_net_free(net);
}
END_TEST

/* A store made after a ping (a served console keeps frames from its
 * first `show frame` on) knows where it began: the ping's frames are
 * older, and `show frame` says so rather than that none crossed a link. */
START_TEST(test_framestore_first) {
  NsNet *net = make_net();
  NsFrameStore *early = ns_frame_store_new(net, NS_FRAME_STORE_JOURNEYS);
  ck_assert_uint_eq(ns_frame_store_first(early), 1);
  ns_frame_store_free(early);
  ping_once(net);
  NsFrameStore *store = ns_frame_store_new(net, NS_FRAME_STORE_JOURNEYS);
  guint64 first = ns_frame_store_first(store);
  ck_assert_uint_ge(first, 5); /* 2 ARP exchanges, the echo and its reply */
  ck_assert_uint_eq(ns_frame_store_newest(store), 0);
  ping_once(net);
  ck_assert_ptr_null(ns_frame_store_find(store, 1));
  ck_assert_ptr_nonnull(ns_frame_store_find(store, first));
  ck_assert_uint_ge(ns_frame_store_newest(store), first);
  ns_frame_store_free(store);
  ns_net_free(net);
}
END_TEST

/* Room for two journeys: of the ping's frames only the last two first
 * seen are kept (the echo reply and, before it, the request). */
START_TEST(test_framestore_bound) {
  NsNet *net = make_net();
  g_autoptr(NsFrameStore) store = ns_frame_store_new(net, 2);
  ping_once(net);
  guint64 newest = ns_frame_store_newest(store);
  ck_assert_uint_ge(newest, 4);
  ck_assert_ptr_nonnull(ns_frame_store_find(store, newest));
  guint kept = 0;
  for (guint64 id = 1; id <= newest; id++)
    kept += ns_frame_store_find(store, id) != NULL;
  ck_assert_uint_eq(kept, 2);
  ck_assert_ptr_null(ns_frame_store_find(store, 2)); /* an ARP request */
  ck_assert_uint_gt(ns_frame_store_forgotten(store), 0);
  g_clear_pointer(&store, ns_frame_store_free);
  ns_net_free(net);
}
END_TEST

Suite *test_framestore_suite(void) {
  Suite *s = suite_create("framestore");
  TCase *tc = test_tcase("store");
  tcase_add_test(tc, test_framestore_hops);
  tcase_add_test(tc, test_framestore_bound);
  tcase_add_test(tc, test_framestore_first);
  suite_add_tcase(s, tc);
  return s;
}

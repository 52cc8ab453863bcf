/* test_switch.c — the learning switch: flood, forward, filter, aging, the
 * shared flood buffer, counters and log events. */
#include <string.h>

#include "net/switch.h"
#include "testutil.h"

#define MAX_HOSTS 8

typedef struct {
  char *event, *summary, *why;
} Ev;

typedef struct {
  NsCtx ctx;
  NsSwitch *sw;
  guint n;
  NsNic host[MAX_HOSTS]; /* host[i] is on port i + 1 */
  char hostname[MAX_HOSTS][8];
  NsLink *link[MAX_HOSTS];
  GPtrArray *got[MAX_HOSTS]; /* frames received by host i, refs held */
  GArray *events;            /* of Ev */
  NsTime now;
} Lan;

static void host_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Lan *lan = nic->owner;
  (void)now;
  g_ptr_array_add(lan->got[nic->index], frame);
}

static void ev_clear(gpointer p) {
  Ev *e = p;
  g_free(e->event);
  g_free(e->summary);
  g_free(e->why);
}

static void record_event(const NsLogEvent *ev, gpointer data) {
  Ev e = {g_strdup(ev->event), g_strdup(ev->summary), g_strdup(ev->why)};
  g_array_append_val((GArray *)data, e);
}

static Lan *lan_new(guint n, guint capacity, NsTime aging) {
  Lan *lan = g_new0(Lan, 1);
  lan->ctx.timers = ns_timerq_new();
  lan->ctx.log = ns_log_new();
  lan->ctx.rng = g_rand_new_with_seed(1);
  lan->sw = ns_switch_new(&lan->ctx, "sw1", capacity, aging);
  lan->n = n;
  NsLinkParams p = {
      .delay = 1 * NS_USEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};
  for (guint i = 0; i < n; i++) {
    g_snprintf(lan->hostname[i], sizeof lan->hostname[i], "h%u", i + 1);
    ns_nic_init(&lan->host[i], "eth0", lan->hostname[i], lan, i, host_recv);
    lan->host[i].mac = ns_mac_local(i + 1);
    NsNic *port = ns_switch_add_port(lan->sw);
    lan->link[i] = ns_link_new(&lan->ctx, &lan->host[i], port, &p);
    lan->got[i] =
        g_ptr_array_new_with_free_func((GDestroyNotify)ns_frame_unref);
  }
  lan->events = g_array_new(FALSE, TRUE, sizeof(Ev));
  g_array_set_clear_func(lan->events, ev_clear);
  return lan;
}

static void lan_listen(Lan *lan, gboolean explain) {
  ns_log_add_sink(lan->ctx.log, record_event, lan->events, NULL);
  ns_log_set_explain(lan->ctx.log, explain);
}

static void lan_free(Lan *lan) {
  for (guint i = 0; i < lan->n; i++) {
    ns_link_free(lan->link[i]);
    ns_nic_clear(&lan->host[i]);
    g_ptr_array_free(lan->got[i], TRUE);
  }
  ns_switch_free(lan->sw);
  g_array_free(lan->events, TRUE);
  ns_log_free(lan->ctx.log);
  g_rand_free(lan->ctx.rng);
  ns_timerq_free(lan->ctx.timers);
  g_free(lan);
}

/* Runs every timer due up to `until` (the frames of one send cross in
 * microseconds; the switch's aging timer stays armed while it has
 * entries, so "until quiet" would run through every aging). */
static void lan_run(Lan *lan, NsTime until) {
  NsTime when;
  while (ns_timerq_peek(lan->ctx.timers, &when) && when <= until) {
    NsTimer *t = ns_timerq_pop(lan->ctx.timers);
    lan->now = t->when;
    t->fn(t, t->when, t->data);
  }
}

/* Host `from` (0-based) sends a 60-byte frame to dst at time at, and the
 * network runs until quiet.  Returns the frame's id. */
static guint64 send_as(Lan *lan, guint from, NsMac src, NsMac dst, NsTime at) {
  NsFrame *f = ns_ctx_frame_new(&lan->ctx, 60);
  memcpy(f->data, dst.b, 6);
  memcpy(f->data + 6, src.b, 6);
  f->data[12] = 0x08;
  guint64 id = f->id;
  ck_assert(ns_nic_send(&lan->host[from], f, at));
  lan_run(lan, at + NS_MSEC);
  return id;
}

static guint64 send_to(Lan *lan, guint from, guint to, NsTime at) {
  return send_as(lan, from, lan->host[from].mac, lan->host[to].mac, at);
}

static guint n_got(Lan *lan, guint host) { return lan->got[host]->len; }

static NsFrame *last_got(Lan *lan, guint host) {
  GPtrArray *a = lan->got[host];
  return a->len ? g_ptr_array_index(a, a->len - 1) : NULL;
}

static const Ev *ev_at(Lan *lan, guint i) {
  ck_assert_uint_lt(i, lan->events->len);
  return &g_array_index(lan->events, Ev, i);
}

/* Index of the first event named name at or after from, or -1. */
static int find_ev(Lan *lan, const char *name, guint from) {
  for (guint i = from; i < lan->events->len; i++)
    if (strcmp(g_array_index(lan->events, Ev, i).event, name) == 0)
      return (int)i;
  return -1;
}

static NsSwitchPortCounters pc(Lan *lan, guint port) {
  return ns_switch_port_counters(lan->sw, port);
}

/* ---- tests --------------------------------------------------------------- */

/* A full-size 802.1Q-tagged frame (1518 bytes) and an IPv6 one: the
 * switch carries any EtherType, byte for byte, flooded and forwarded. */
START_TEST(test_tagged_full_size_and_any_ethertype) {
  Lan *lan = lan_new(3, 16, 300 * NS_SEC);
  static const guint16 types[] = {0x8100, 0x86dd, 0x88cc};
  send_to(lan, 1, 0, 0); /* h1 learned on port 1, h2 on port 2 */
  for (guint k = 0; k < G_N_ELEMENTS(types); k++) {
    NsFrame *f = ns_ctx_frame_new(&lan->ctx, NS_FRAME_MAX);
    ck_assert_uint_eq(f->len, 1518);
    memcpy(f->data, lan->host[1].mac.b, 6);
    memcpy(f->data + 6, lan->host[0].mac.b, 6);
    f->data[12] = (guint8)(types[k] >> 8);
    f->data[13] = (guint8)types[k];
    for (guint i = 14; i < f->len; i++)
      f->data[i] = (guint8)(i * 7 + k);
    guint8 sent[NS_FRAME_MAX];
    memcpy(sent, f->data, sizeof sent);
    guint before = lan->got[1]->len;
    ck_assert(ns_nic_send(&lan->host[0], f, lan->now));
    lan_run(lan, lan->now + NS_MSEC);
    ck_assert_uint_eq(lan->got[1]->len, before + 1);
    NsFrame *g = g_ptr_array_index(lan->got[1], before);
    ck_assert_uint_eq(g->len, 1518);
    ck_assert_mem_eq(g->data, sent, sizeof sent);
  }
  ck_assert_uint_eq(lan->got[2]->len, 1); /* only h2's first, flooded */
  /* The link counted the full 1518 bytes each time. */
  ck_assert_uint_eq(ns_link_stats(lan->link[0], 0).bytes,
                    G_N_ELEMENTS(types) * 1518);
  lan_free(lan);
}
END_TEST

START_TEST(test_ports) {
  Lan *lan = lan_new(3, 0, 0);
  ck_assert_str_eq(ns_switch_name(lan->sw), "sw1");
  ck_assert_uint_eq(ns_switch_n_ports(lan->sw), 3);
  ck_assert_ptr_null(ns_switch_port(lan->sw, 0));
  ck_assert_ptr_null(ns_switch_port(lan->sw, 4));
  ck_assert_uint_eq(ns_switch_port_counters(lan->sw, 4).rx_frames, 0);
  NsNic *p2 = ns_switch_port(lan->sw, 2);
  ck_assert_str_eq(p2->name, "port2");
  ck_assert_str_eq(p2->node, "sw1");
  ck_assert_uint_eq(p2->index, 2);
  /* Adding ports does not move earlier NICs. */
  for (int i = 0; i < 40; i++)
    ns_switch_add_port(lan->sw);
  ck_assert_ptr_eq(ns_switch_port(lan->sw, 2), p2);
  ck_assert_ptr_eq(ns_link_peer(lan->link[1], &lan->host[1]), p2);
  ck_assert_uint_eq(ns_fdb_capacity(ns_switch_fdb(lan->sw)),
                    NS_FDB_DEFAULT_CAPACITY);
  ck_assert_uint_eq(ns_fdb_aging(ns_switch_fdb(lan->sw)), NS_FDB_DEFAULT_AGING);
  lan_free(lan);
}
END_TEST

START_TEST(test_flood_unknown_shares_buffer) {
  Lan *lan = lan_new(4, 16, 0);
  guint64 copies = ns_frame_copy_count();
  guint64 id = send_to(lan, 0, 1, 0); /* h2 unknown yet */
  ck_assert_uint_eq(n_got(lan, 0), 0);
  for (guint h = 1; h < 4; h++) {
    ck_assert_uint_eq(n_got(lan, h), 1);
    ck_assert_uint_eq(last_got(lan, h)->id, id);
    ck_assert_ptr_eq(last_got(lan, h), last_got(lan, 1));
  }
  ck_assert_uint_eq(last_got(lan, 1)->refs, 3);
  ck_assert_uint_eq(ns_frame_copy_count(), copies);
  ck_assert_uint_eq(pc(lan, 1).rx_frames, 1);
  ck_assert_uint_eq(pc(lan, 1).flooded, 1);
  ck_assert_uint_eq(pc(lan, 1).tx_frames, 0);
  for (guint p = 2; p <= 4; p++) {
    ck_assert_uint_eq(pc(lan, p).tx_frames, 1);
    ck_assert_uint_eq(pc(lan, p).rx_frames, 0);
  }
  lan_free(lan);
}
END_TEST

START_TEST(test_flood_broadcast) {
  Lan *lan = lan_new(3, 16, 0);
  send_as(lan, 1, lan->host[1].mac, ns_mac_broadcast, 0);
  ck_assert_uint_eq(n_got(lan, 0), 1);
  ck_assert_uint_eq(n_got(lan, 1), 0);
  ck_assert_uint_eq(n_got(lan, 2), 1);
  ck_assert_ptr_eq(last_got(lan, 0), last_got(lan, 2));
  /* Broadcast floods even when ... there is nothing to know; and a second
   * one floods again. */
  send_as(lan, 1, lan->host[1].mac, ns_mac_broadcast, 10);
  ck_assert_uint_eq(n_got(lan, 0), 2);
  ck_assert_uint_eq(pc(lan, 2).flooded, 2);
  lan_free(lan);
}
END_TEST

START_TEST(test_learn_then_forward) {
  Lan *lan = lan_new(3, 16, 0);
  send_to(lan, 0, 1, 0); /* flood; learns h1 on 1 */
  ck_assert_uint_eq(n_got(lan, 2), 1);
  send_to(lan, 1, 0, 10); /* h1 known: forwarded; learns h2 on 2 */
  ck_assert_uint_eq(n_got(lan, 0), 1);
  ck_assert_uint_eq(n_got(lan, 2), 1); /* h3 saw nothing new */
  send_to(lan, 0, 1, 20);              /* h2 known now: no second flood */
  ck_assert_uint_eq(n_got(lan, 1), 2);
  ck_assert_uint_eq(n_got(lan, 2), 1);
  ck_assert_uint_eq(pc(lan, 1).flooded, 1);
  ck_assert_uint_eq(pc(lan, 1).forwarded, 1);
  ck_assert_uint_eq(pc(lan, 2).forwarded, 1);
  ck_assert_uint_eq(pc(lan, 2).tx_frames, 2);
  ck_assert_uint_eq(pc(lan, 3).tx_frames, 1);
  GArray *e = ns_fdb_entries(ns_switch_fdb(lan->sw), 20);
  ck_assert_uint_eq(e->len, 2);
  ck_assert_uint_eq(g_array_index(e, NsFdbEntry, 0).port, 1);
  ck_assert(
      ns_mac_equal(g_array_index(e, NsFdbEntry, 0).mac, lan->host[0].mac));
  ck_assert_uint_eq(g_array_index(e, NsFdbEntry, 1).port, 2);
  g_array_unref(e);
  lan_free(lan);
}
END_TEST

START_TEST(test_port_down_forgets_its_macs) {
  Lan *lan = lan_new(3, 16, 0);
  lan_listen(lan, FALSE);
  send_to(lan, 0, 1, 0);
  send_to(lan, 1, 0, 10);
  send_to(lan, 2, 0, 20);
  NsFdb *fdb = ns_switch_fdb(lan->sw);
  ck_assert_uint_eq(ns_fdb_count(fdb, 30), 3);
  ns_link_set_up(lan->link[1], FALSE, 30);
  ck_assert_uint_eq(ns_fdb_count(fdb, 30), 2);
  guint port = 0;
  ck_assert_int_eq(ns_fdb_lookup(fdb, lan->host[1].mac, 30, &port),
                   NS_FDB_MISS);
  ck_assert_int_ge(find_ev(lan, "switch/port-down", 0), 0);
  /* A flood no longer leaves by the dead port: nothing is offered to its
   * link (no link-down drop either). */
  guint before = n_got(lan, 2);
  send_as(lan, 0, lan->host[0].mac, ns_mac_broadcast, 31);
  ck_assert_uint_eq(n_got(lan, 2), before + 1);
  ck_assert_uint_eq(pc(lan, 2).tx_frames, 1);
  for (guint side = 0; side < 2; side++)
    ck_assert_uint_eq(
        ns_link_stats(lan->link[1], side).drops[NS_DROP_LINK_DOWN], 0);
  /* Back up: nothing is relearned until h2 speaks again. */
  ns_link_set_up(lan->link[1], TRUE, 40);
  ck_assert_uint_eq(ns_fdb_count(fdb, 40), 2);
  lan_free(lan);
}
END_TEST

START_TEST(test_filter_same_port) {
  Lan *lan = lan_new(3, 16, 0);
  NsMac a = ns_mac_local(100), b = ns_mac_local(101);
  /* Two stations behind port 1 (a hub there): a talks, then b answers a. */
  send_as(lan, 0, a, ns_mac_broadcast, 0);
  send_as(lan, 0, b, a, 10);
  ck_assert_uint_eq(pc(lan, 1).filtered, 1);
  ck_assert_uint_eq(n_got(lan, 1), 1); /* only the broadcast */
  ck_assert_uint_eq(n_got(lan, 2), 1);
  ck_assert_uint_eq(n_got(lan, 0), 0);
  lan_free(lan);
}
END_TEST

START_TEST(test_move) {
  Lan *lan = lan_new(3, 16, 0);
  lan_listen(lan, FALSE);
  NsMac roamer = ns_mac_local(50);
  send_as(lan, 0, roamer, ns_mac_broadcast, 0);
  send_as(lan, 2, roamer, ns_mac_broadcast, 10); /* re-cabled to port 3 */
  int i = find_ev(lan, "switch/move", 0);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->summary,
                   "02:00:00:00:00:32 from port 1 to port 3");
  send_as(lan, 1, lan->host[1].mac, roamer, 20);
  ck_assert_uint_eq(n_got(lan, 2), 2); /* the first broadcast, then fwd */
  ck_assert_uint_eq(n_got(lan, 0), 1); /* the second broadcast only */
  ck_assert_uint_eq(pc(lan, 2).forwarded, 1);
  lan_free(lan);
}
END_TEST

START_TEST(test_aging_floods_again) {
  Lan *lan = lan_new(3, 16, 1 * NS_SEC);
  lan_listen(lan, TRUE);
  send_to(lan, 1, 0, 0); /* learns h2 on port 2 at ~1us */
  NsTime learned = lan->now - NS_USEC;
  send_to(lan, 0, 1, learned + NS_SEC - 2 * NS_MSEC);
  ck_assert_uint_eq(n_got(lan, 2), 1); /* still forwarded: only the first */
  /* The entry ages out at the instant it is 1 s old, with no frame to
   * look for it: the switch's aging timer removes and logs it then. */
  guint before = lan->events->len;
  lan_run(lan, learned + NS_SEC);
  ck_assert_uint_eq(lan->now, learned + NS_SEC);
  int i = find_ev(lan, "switch/age", before);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->summary,
                   "02:00:00:00:00:02 aged out on port 2");
  ck_assert_str_eq(ev_at(lan, i)->why, "last seen 1 s ago, aging time 1 s");
  ck_assert_uint_eq(ns_fdb_count(ns_switch_fdb(lan->sw), lan->now), 1);
  ck_assert_uint_eq(ns_fdb_aged_count(ns_switch_fdb(lan->sw)), 1);
  /* The next frame to h2 finds it unknown: flooded again. */
  before = lan->events->len;
  send_to(lan, 0, 1, learned + NS_SEC + NS_USEC);
  ck_assert_uint_eq(n_got(lan, 2), 2);
  i = find_ev(lan, "switch/flood", before);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->why,
                   "dst 02:00:00:00:00:02 unknown: flood to ports 2,3");
  /* h1, refreshed by its second frame, ages out 1 s after it. */
  lan_run(lan, learned + 3 * NS_SEC);
  ck_assert_uint_eq(ns_fdb_aged_count(ns_switch_fdb(lan->sw)), 2);
  lan_free(lan);
}
END_TEST

START_TEST(test_log_events) {
  Lan *lan = lan_new(3, 16, 0);
  lan_listen(lan, TRUE);
  guint64 id = send_as(lan, 0, lan->host[0].mac, ns_mac_local(11), 0);
  ck_assert_uint_eq(lan->events->len, 2);
  ck_assert_str_eq(ev_at(lan, 0)->event, "switch/learn");
  ck_assert_str_eq(ev_at(lan, 0)->summary, "02:00:00:00:00:01 on port 1");
  ck_assert_str_eq(ev_at(lan, 1)->event, "switch/flood");
  ck_assert_str_eq(ev_at(lan, 1)->summary,
                   "02:00:00:00:00:01 > 02:00:00:00:00:0b to ports 2,3");
  ck_assert_str_eq(ev_at(lan, 1)->why,
                   "dst 02:00:00:00:00:0b unknown: flood to ports 2,3");
  (void)id;

  /* Refresh: no learn event; broadcast why. */
  send_as(lan, 0, lan->host[0].mac, ns_mac_broadcast, 10);
  ck_assert_uint_eq(lan->events->len, 3);
  ck_assert_str_eq(ev_at(lan, 2)->event, "switch/flood");
  ck_assert_str_eq(ev_at(lan, 2)->why,
                   "dst ff:ff:ff:ff:ff:ff is broadcast: flood to every port "
                   "but 1");

  NsMac mcast = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
  send_as(lan, 1, lan->host[1].mac, mcast, 20);
  int i = find_ev(lan, "switch/flood", 3);
  ck_assert_str_eq(ev_at(lan, i)->summary,
                   "02:00:00:00:00:02 > 01:00:5e:00:00:01 to ports 1,3");
  ck_assert_str_eq(ev_at(lan, i)->why,
                   "dst 01:00:5e:00:00:01 is multicast: flood to every port "
                   "but 2");

  /* h2 (learned at 20 + 1us) -> h1, 12.5 s after h1 was learned (1us). */
  guint before = lan->events->len;
  guint64 fid = send_to(lan, 1, 0, 12500 * NS_MSEC);
  i = find_ev(lan, "switch/forward", before);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->summary,
                   "02:00:00:00:00:02 > 02:00:00:00:00:01 to port 1");
  ck_assert_str_eq(ev_at(lan, i)->why,
                   "dst 02:00:00:00:00:01 learned on port 1 (12.5 s ago)");
  ck_assert_int_eq(find_ev(lan, "switch/flood", before), -1);
  (void)fid;

  /* Same-segment: h1's port sends to h1's MAC. */
  before = lan->events->len;
  send_as(lan, 0, ns_mac_local(77), lan->host[0].mac, 13 * NS_SEC);
  i = find_ev(lan, "switch/filter", before);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->summary,
                   "02:00:00:00:00:4d > 02:00:00:00:00:01 dst on ingress port "
                   "1: drop");
  ck_assert_str_eq(ev_at(lan, i)->why,
                   "dst 02:00:00:00:00:01 is on port 1, the port it came in "
                   "on: drop");
  ck_assert_int_ge(find_ev(lan, "switch/learn", before), 0);
  lan_free(lan);
}
END_TEST

START_TEST(test_log_event_frame_ids_and_no_explain) {
  Lan *lan = lan_new(2, 16, 0);
  lan_listen(lan, FALSE);
  guint64 id = send_to(lan, 0, 1, 0);
  ck_assert_uint_eq(lan->events->len, 2);
  for (guint i = 0; i < 2; i++) {
    ck_assert_ptr_null(ev_at(lan, i)->why);
  }
  ck_assert_str_eq(ev_at(lan, 1)->summary,
                   "02:00:00:00:00:01 > 02:00:00:00:00:02 to port 2");
  (void)id;
  lan_free(lan);
}
END_TEST

START_TEST(test_evict_event) {
  Lan *lan = lan_new(2, 2, 0);
  lan_listen(lan, TRUE);
  for (guint k = 1; k <= 3; k++)
    send_as(lan, 0, ns_mac_local(100 + k), ns_mac_broadcast, k * 10);
  int i = find_ev(lan, "switch/evict", 0);
  ck_assert_int_ge(i, 0);
  ck_assert_str_eq(ev_at(lan, i)->summary, "02:00:00:00:00:65 evicted");
  ck_assert_str_eq(ev_at(lan, i + 1)->event, "switch/learn");
  ck_assert_str_eq(ev_at(lan, i + 1)->summary, "02:00:00:00:00:67 on port 1");
  ck_assert_uint_eq(ns_fdb_count(ns_switch_fdb(lan->sw), 40), 2);
  lan_free(lan);
}
END_TEST

START_TEST(test_malformed) {
  Lan *lan = lan_new(2, 16, 0);
  lan_listen(lan, FALSE);
  NsFrame *f = ns_ctx_frame_new(&lan->ctx, 10);
  ck_assert(ns_nic_send(&lan->host[0], f, 0));
  lan_run(lan, NS_MSEC);
  ck_assert_uint_eq(pc(lan, 1).malformed, 1);
  ck_assert_uint_eq(pc(lan, 1).rx_frames, 1);
  ck_assert_uint_eq(n_got(lan, 1), 0);
  ck_assert_uint_eq(lan->events->len, 1);
  ck_assert_str_eq(ev_at(lan, 0)->event, "switch/drop");
  ck_assert_str_eq(ev_at(lan, 0)->summary, "malformed: 10 bytes on port 1");
  lan_free(lan);
}
END_TEST

START_TEST(test_flood_with_unattached_and_single_port) {
  Lan *lan = lan_new(2, 16, 0);
  ns_switch_add_port(lan->sw); /* port 3, no link */
  send_to(lan, 0, 1, 0);
  ck_assert_uint_eq(n_got(lan, 1), 1);
  ck_assert_uint_eq(pc(lan, 3).tx_frames, 0);
  ck_assert_uint_eq(ns_switch_port(lan->sw, 3)->counters.tx_dropped, 1);
  lan_free(lan);

  lan = lan_new(1, 16, 0);
  send_as(lan, 0, lan->host[0].mac, ns_mac_broadcast, 0);
  ck_assert_uint_eq(pc(lan, 1).flooded, 1);
  lan_free(lan);
}
END_TEST

START_TEST(test_free_switch_before_links) {
  Lan *lan = lan_new(3, 16, 0);
  NsFrame *f = ns_ctx_frame_new(&lan->ctx, 60);
  ns_nic_send(&lan->host[0], f, 0); /* in flight to the switch */
  ns_switch_free(lan->sw);
  lan->sw = ns_switch_new(&lan->ctx, "sw2", 4, 0); /* for lan_free */
  for (guint i = 0; i < lan->n; i++)
    ck_assert_ptr_null(ns_link_nic(lan->link[i], 1));
  ck_assert_uint_eq(ns_timerq_len(lan->ctx.timers), 0);
  lan_free(lan);
}
END_TEST

Suite *test_switch_suite(void) {
  Suite *s = suite_create("switch");
  TCase *tc = test_tcase("forwarding");
  tcase_add_test(tc, test_ports);
  tcase_add_test(tc, test_tagged_full_size_and_any_ethertype);
  tcase_add_test(tc, test_flood_unknown_shares_buffer);
  tcase_add_test(tc, test_flood_broadcast);
  tcase_add_test(tc, test_learn_then_forward);
  tcase_add_test(tc, test_filter_same_port);
  tcase_add_test(tc, test_move);
  tcase_add_test(tc, test_port_down_forgets_its_macs);
  tcase_add_test(tc, test_aging_floods_again);
  tcase_add_test(tc, test_flood_with_unattached_and_single_port);
  tcase_add_test(tc, test_free_switch_before_links);
  suite_add_tcase(s, tc);

  tc = test_tcase("log");
  tcase_add_test(tc, test_log_events);
  tcase_add_test(tc, test_log_event_frame_ids_and_no_explain);
  tcase_add_test(tc, test_evict_event);
  tcase_add_test(tc, test_malformed);
  suite_add_tcase(s, tc);
  return s;
}

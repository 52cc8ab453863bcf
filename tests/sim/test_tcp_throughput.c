/* test_tcp_throughput.c — one TCP connection's bulk rate in virtual time
 * (deterministic: no wall clock), over a direct cable between two hosts
 * with the link's rate= and delay= keys.  The linux profile fills the
 * link: at least 90 % of its bit rate as data (the most there is: 1448
 * data bytes per 1514-byte frame, 95.6 %), measured over the second half
 * of the transfer, once slow start and autotuning have done their work.
 * The minimal profile is held to one 64 KiB window per round trip.  The
 * window invariant checker watches the link throughout.
 *
 * The link's queue is deep (the sender's own queue holds what its window
 * allows beyond the path), so that no frame is lost: this measures the
 * windows and buffers, not loss recovery. */
#include "sim/network.h"
#include "tcp_window_check.h"
#include "testutil.h"

typedef struct {
  NsTcpConn *c;   /* the sender's end */
  gsize size;     /* bytes to send */
  gsize sent;     /* taken by ns_tcp_send */
  gsize received; /* read by the receiver */
  NsTime first;   /* when the first byte went (after the handshake) */
  NsTime half;    /* when the receiver had half of them */
  NsTime done;    /* ... all of them */
  NsNet *net;
} Xfer;

static void fill(Xfer *x, NsTime now) {
  static guint8 chunk[65536];
  while (x->sent < x->size) {
    gsize n =
        ns_tcp_send(x->c, chunk, MIN(sizeof chunk, x->size - x->sent), now);
    if (n == 0)
      return;
    x->sent += n;
  }
}

static void on_writable(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  fill(data, now);
}

static void on_readable(NsTcpConn *c, NsTime now, gpointer data) {
  Xfer *x = data;
  static guint8 sink[65536];
  gsize n;
  while ((n = ns_tcp_recv(c, sink, sizeof sink, now)) > 0) {
    x->received += n;
    if (x->half == 0 && x->received >= x->size / 2)
      x->half = now;
    if (x->received == x->size)
      x->done = now;
  }
}

static void on_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                      gpointer data) {
  (void)l;
  (void)now;
  NsTcpCallbacks cb = {NULL, on_readable, NULL, NULL, data};
  ns_tcp_set_callbacks(c, &cb);
}

typedef struct {
  const char *rate;  /* the link's rate= */
  guint64 bps;       /* the same in bit/s */
  const char *delay; /* one way */
  const char *profile;
  gsize size;
  gdouble overall, steady; /* measured, bit/s */
} Run;

static void run_transfer(Run *r) {
  g_autofree char *text = g_strdup_printf(
      "[host a]\ntcp-profile = %s\n"
      "eth0 = 10.0.0.1/24 @ b:eth0 rate=%s delay=%s queue=20000\n"
      "[host b]\neth0 = 10.0.0.2/24\ntcp-profile = %s\n",
      r->profile, r->rate, r->delay, r->profile);
  GError *e = NULL;
  g_autoptr(NsTopology) topo = ns_topology_load_data(text, -1, "x.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  NsNet *net = ns_net_new(topo, 1);
  TcpWindowCheck *chk = tcp_window_check_new();
  tcp_window_check_tap(chk, ns_net_link(net, 0)->link);
  Xfer x = {.size = r->size, .net = net};
  NsNetNode *a = ns_net_find(net, "a"), *b = ns_net_find(net, "b");
  ck_assert_ptr_nonnull(
      ns_tcp_listen(ns_net_node_tcp(b), 5001, on_accept, &x, NULL));
  NsTcpCallbacks cb = {NULL, NULL, on_writable, NULL, &x};
  x.c = ns_tcp_connect(ns_net_node_tcp(a), NS_IP4(10, 0, 0, 2), 5001, 0, &cb,
                       ns_net_now(net), NULL);
  ck_assert_ptr_nonnull(x.c);
  ns_net_run_until(net, ns_net_now(net) + 1 * NS_SEC);
  ck_assert_int_eq(ns_tcp_state(x.c), NS_TCP_ESTABLISHED);
  x.first = ns_net_now(net);
  fill(&x, x.first);
  /* Bounded: at most 100 s of virtual time. */
  for (guint i = 0; i < 1000 && x.done == 0; i++)
    ns_net_run_until(net, ns_net_now(net) + 100 * NS_MSEC);
  ck_assert_msg(x.done != 0, "%zu of %zu bytes arrived", x.received, x.size);
  r->overall = (gdouble)x.size * 8 * NS_SEC / (gdouble)(x.done - x.first);
  r->steady =
      (gdouble)(x.size - x.size / 2) * 8 * NS_SEC / (gdouble)(x.done - x.half);
  if (g_getenv("TCP_DEBUG"))
    g_printerr("%s %s %s: overall %.1f Mbit/s, second half %.1f Mbit/s\n",
               r->profile, r->rate, r->delay, r->overall / 1e6,
               r->steady / 1e6);
  ck_assert_msg(tcp_window_check_violations(chk) == 0, "%s",
                tcp_window_check_report(chk));
  ck_assert_uint_gt(tcp_window_check_segments(chk), r->size / 1460);
  NsTcpInfo i;
  ns_tcp_info(x.c, &i);
  ck_assert_uint_eq(i.retransmits, 0);
  ns_net_free(net);
  tcp_window_check_free(chk);
}

/* 100 Mbit/s, 50 ms round trip: 625 kB in flight fill it. */
START_TEST(test_linux_100mbit_50ms) {
  Run r = {"100Mbit", 100000000, "25ms", "linux", 8 << 20, 0, 0};
  run_transfer(&r);
  ck_assert_msg(r.steady >= 0.90 * r.bps, "%.1f Mbit/s", r.steady / 1e6);
}
END_TEST

/* 1 Gbit/s, 10 ms round trip: 1.25 MB in flight. */
START_TEST(test_linux_1gbit_10ms) {
  Run r = {"1Gbit", 1000000000, "5ms", "linux", 24 << 20, 0, 0};
  run_transfer(&r);
  ck_assert_msg(r.steady >= 0.90 * r.bps, "%.1f Mbit/s", r.steady / 1e6);
}
END_TEST

/* minimal: 65535 bytes per 50 ms round trip at most, 10.5 Mbit/s, on a
 * 100 Mbit/s link. */
START_TEST(test_minimal_capped) {
  Run r = {"100Mbit", 100000000, "25ms", "minimal", 1 << 20, 0, 0};
  run_transfer(&r);
  ck_assert_msg(r.overall <= 65535.0 * 8 / 0.050, "%.1f Mbit/s",
                r.overall / 1e6);
  ck_assert_msg(r.steady >= 0.8 * 65535.0 * 8 / 0.050, "%.1f Mbit/s",
                r.steady / 1e6);
}
END_TEST

Suite *test_tcp_throughput_suite(void) {
  Suite *s = suite_create("tcp_throughput");
  TCase *tc = test_tcase("tcp_throughput");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_linux_100mbit_50ms);
  tcase_add_test(tc, test_linux_1gbit_10ms);
  tcase_add_test(tc, test_minimal_capped);
  suite_add_tcase(s, tc);
  return s;
}

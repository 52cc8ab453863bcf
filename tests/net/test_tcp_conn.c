/* test_tcp_conn.c — TCP between two stacks: handshake, data, close, loss,
 * flow control, resets, timeouts (the network level; crafted single
 * segments are in test_tcp_segments.c). */
#include <string.h>

#include "ipnode_harness.h"
#include "net/tcp.h"
#include "tcp_window_check.h"

/* One application end: reads everything as it comes. */
typedef struct {
  NsTcpConn *c;
  GByteArray *got;
  gboolean established, eof, closed;
  NsTcpCloseReason why;
  gboolean read_paused; /* a slow reader: reads only when told */
  gboolean close_on_eof;
  Net *net;
} End;

static void end_read(End *e) {
  guint8 buf[4096];
  gsize n;
  while ((n = ns_tcp_recv(e->c, buf, sizeof buf, now_of(e->net))) > 0)
    g_byte_array_append(e->got, buf, (guint)n);
  if (ns_tcp_eof(e->c) && !e->eof) {
    e->eof = TRUE;
    if (e->close_on_eof)
      ns_tcp_close(e->c, now_of(e->net));
  }
}

static void on_established(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  (void)now;
  ((End *)data)->established = TRUE;
}
static void on_readable(NsTcpConn *c, NsTime now, gpointer data) {
  End *e = data;
  (void)c;
  (void)now;
  if (!e->read_paused)
    end_read(e);
}
static void on_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now,
                      gpointer data) {
  End *e = data;
  (void)c;
  (void)now;
  e->closed = TRUE;
  e->why = why;
}

static NsTcpCallbacks callbacks(End *e) {
  NsTcpCallbacks cb = {on_established, on_readable, NULL, on_closed, e};
  return cb;
}

static void end_init(End *e, Net *n) {
  memset(e, 0, sizeof *e);
  e->got = g_byte_array_new();
  e->net = n;
}
static void end_clear(End *e) { g_byte_array_free(e->got, TRUE); }

/* The listener's accept: the server End takes the connection. */
static void on_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                      gpointer data) {
  End *e = data;
  (void)l;
  (void)now;
  e->c = c;
  e->established = TRUE;
  NsTcpCallbacks cb = callbacks(e);
  ns_tcp_set_callbacks(c, &cb);
  if (ns_tcp_readable(c) > 0 && !e->read_paused)
    end_read(e);
}

typedef struct {
  PairBench pb;
  NsTcp *t1, *t2;
  End cli, srv;
} Pair;

static void pair_init(Pair *p, const NsLinkParams *lp, const NsTcpConfig *cfg) {
  p->pb = pair_bench(lp);
  p->t1 = ns_tcp_new(p->pb.h1, cfg);
  p->t2 = ns_tcp_new(p->pb.h2, cfg);
  end_init(&p->cli, p->pb.net);
  end_init(&p->srv, p->pb.net);
}

static void pair_clear(Pair *p) {
  ns_tcp_free(p->t1);
  ns_tcp_free(p->t2);
  end_clear(&p->cli);
  end_clear(&p->srv);
  net_free(p->pb.net);
}

static void pair_connect(Pair *p, guint16 port) {
  GError *err = NULL;
  ck_assert_ptr_nonnull(ns_tcp_listen(p->t2, port, on_accept, &p->srv, &err));
  NsTcpCallbacks cb = callbacks(&p->cli);
  p->cli.c = ns_tcp_connect(p->t1, NS_IP4(10, 0, 0, 2), port, 0, &cb,
                            now_of(p->pb.net), &err);
  ck_assert_ptr_nonnull(p->cli.c);
}

/* Sends all of data from e, feeding the send buffer as it drains. */
typedef struct {
  End *e;
  const guint8 *data;
  gsize len, off;
  gboolean close_after;
} Feeder;

static void feed(Feeder *f) {
  while (f->off < f->len) {
    gsize n = ns_tcp_send(f->e->c, f->data + f->off, f->len - f->off,
                          now_of(f->e->net));
    if (n == 0)
      return;
    f->off += n;
  }
  if (f->close_after) {
    f->close_after = FALSE;
    ns_tcp_close(f->e->c, now_of(f->e->net));
  }
}

static void on_writable_feed(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  (void)now;
  feed(data);
}

START_TEST(test_handshake) {
  Pair p;
  pair_init(&p, &quick_link, NULL);
  pair_connect(&p, 7);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_SYN_SENT);
  run_for(p.pb.net, 100 * NS_MSEC);
  ck_assert(p.cli.established);
  ck_assert_ptr_nonnull(p.srv.c);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_ESTABLISHED);
  ck_assert_int_eq(ns_tcp_state(p.srv.c), NS_TCP_ESTABLISHED);
  NsTcpInfo a, b;
  ns_tcp_info(p.cli.c, &a);
  ns_tcp_info(p.srv.c, &b);
  ck_assert_uint_eq(a.snd_una, a.iss + 1);
  ck_assert_uint_eq(a.rcv_nxt, b.iss + 1);
  ck_assert_uint_eq(b.rcv_nxt, a.iss + 1);
  ck_assert_uint_eq(a.irs, b.iss);
  ck_assert_uint_eq(a.snd_mss, 1460);
  ck_assert_uint_eq(a.snd_wnd, 65535);
  ck_assert_uint_ge(a.local_port, NS_EPHEMERAL_LOW); /* Linux's range */
  ck_assert_uint_le(a.local_port, NS_EPHEMERAL_HIGH);
  ck_assert_uint_eq(b.local_port, 7);
  /* RTT measured on the handshake: 2 ms round trip, after 2 ms of ARP. */
  ck_assert_uint_eq(a.srtt, 4 * NS_MSEC);
  ck_assert_uint_eq(ns_tcp_counters(p.t2)->passive_opens, 1);
  ck_assert_uint_eq(ns_tcp_counters(p.t1)->active_opens, 1);
  pair_clear(&p);
}
END_TEST

START_TEST(test_data_and_orderly_close) {
  Pair p;
  pair_init(&p, &quick_link, NULL);
  p.srv.close_on_eof = TRUE;
  pair_connect(&p, 7);
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_uint_eq(
      ns_tcp_send(p.cli.c, (const guint8 *)"hello", 5, now_of(p.pb.net)), 5);
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_uint_eq(p.srv.got->len, 5);
  ck_assert(memcmp(p.srv.got->data, "hello", 5) == 0);
  ns_tcp_send(p.srv.c, (const guint8 *)"world!", 6, now_of(p.pb.net));
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_uint_eq(p.cli.got->len, 6);

  ns_tcp_close(p.cli.c, now_of(p.pb.net));
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_FIN_WAIT_1);
  run_for(p.pb.net, 1500 * NS_USEC); /* FIN there, ACK+FIN on the way */
  ck_assert(p.srv.eof);
  ck_assert_int_eq(ns_tcp_state(p.srv.c), NS_TCP_LAST_ACK);
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_TIME_WAIT);
  ck_assert_int_eq(ns_tcp_state(p.srv.c), NS_TCP_CLOSED);
  ck_assert(p.srv.closed);
  ck_assert_int_eq(p.srv.why, NS_TCP_CLOSE_NORMAL);
  ck_assert(p.cli.closed); /* told at TIME-WAIT */
  ck_assert(p.cli.eof);
  run_for(p.pb.net, 2 * NS_SEC);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_CLOSED);
  /* Released and closed connections are freed. */
  ns_tcp_release(p.cli.c);
  ns_tcp_release(p.srv.c);
  ck_assert_uint_eq(ns_tcp_n_conns(p.t1), 0);
  ck_assert_uint_eq(ns_tcp_n_conns(p.t2), 0);
  pair_clear(&p);
}
END_TEST

START_TEST(test_refused) {
  Pair p;
  pair_init(&p, &quick_link, NULL);
  NsTcpCallbacks cb = callbacks(&p.cli);
  p.cli.c = ns_tcp_connect(p.t1, NS_IP4(10, 0, 0, 2), 9, 0, &cb,
                           now_of(p.pb.net), NULL);
  run_for(p.pb.net, 100 * NS_MSEC);
  ck_assert(p.cli.closed);
  ck_assert_int_eq(p.cli.why, NS_TCP_CLOSE_REFUSED);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_CLOSED);
  ck_assert_uint_eq(ns_tcp_counters(p.t2)->no_listener, 1);
  ck_assert_uint_eq(ns_tcp_counters(p.t2)->rst_out, 1);
  ck_assert_uint_eq(ns_tcp_counters(p.t1)->rst_in, 1);
  ns_tcp_release(p.cli.c);
  pair_clear(&p);
}
END_TEST

static void bulk(gdouble loss, gsize size, guint64 seed, NsTcpInfo *cli_info) {
  NsLinkParams lp = {.delay = 1 * NS_MSEC,
                     .rate_bps = 100000000,
                     .loss = loss,
                     .queue_limit = 64};
  Pair p;
  pair_init(&p, &lp, NULL);
  g_rand_set_seed(p.pb.net->ctx.rng, (guint32)seed);
  TcpWindowCheck *chk = tcp_window_check_new();
  for (guint i = 0; i < p.pb.net->links->len; i++)
    tcp_window_check_tap(chk, g_ptr_array_index(p.pb.net->links, i));
  p.srv.close_on_eof = TRUE;
  pair_connect(&p, 5001);
  guint8 *data = g_malloc(size);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)(i * 7 + (i >> 10));
  Feeder f = {&p.cli, data, size, 0, TRUE};
  NsTcpCallbacks cb = {NULL, on_readable, on_writable_feed, on_closed, &p.cli};
  cb.data = &p.cli;
  /* writable feeds; readable reads (the server sends nothing). */
  NsTcpCallbacks cbf = cb;
  cbf.writable = on_writable_feed;
  cbf.data = &f;
  cbf.readable = NULL;
  cbf.closed = NULL;
  ns_tcp_set_callbacks(p.cli.c, &cbf);
  run_for(p.pb.net, 100 * NS_MSEC);
  if (!p.cli.established && ns_tcp_state(p.cli.c) == NS_TCP_ESTABLISHED)
    p.cli.established = TRUE;
  feed(&f);
  for (guint i = 0;
       i < 6000 && (p.srv.c == NULL || ns_tcp_state(p.srv.c) != NS_TCP_CLOSED);
       i++)
    run_for(p.pb.net, 100 * NS_MSEC);
  if (g_getenv("TCP_DEBUG"))
    for (guint i = 0; i < p.pb.net->events->len; i++) {
      const Ev *e = &g_array_index(p.pb.net->events, Ev, i);
      if (!g_str_has_prefix(e->event, "ip/send"))
        g_printerr("%lu %s %s %s\n", (unsigned long)e->time, e->node, e->event,
                   e->summary);
    }
  ck_assert_uint_eq(f.off, size);
  ck_assert_uint_eq(p.srv.got->len, size);
  ck_assert(memcmp(p.srv.got->data, data, size) == 0);
  ck_assert(p.srv.eof);
  ns_tcp_info(p.cli.c, cli_info);
  if (g_getenv("TCP_DEBUG"))
    g_printerr("rtx %lu to %lu fast %lu dup %lu ooo(srv) t=%lu ms\n",
               (unsigned long)cli_info->retransmits,
               (unsigned long)cli_info->timeouts,
               (unsigned long)cli_info->fast_retransmits,
               (unsigned long)cli_info->dup_acks,
               (unsigned long)(now_of(p.pb.net) / NS_MSEC));
  ck_assert_uint_eq(cli_info->bytes_sent, size);
  ck_assert_msg(tcp_window_check_violations(chk) == 0, "%s",
                tcp_window_check_report(chk));
  ck_assert_uint_gt(tcp_window_check_segments(chk), size / 1460);
  g_free(data);
  pair_clear(&p);
  tcp_window_check_free(chk);
}

START_TEST(test_bulk_clean) {
  NsTcpInfo i;
  bulk(0, 1 << 20, 1, &i);
  ck_assert_uint_eq(i.retransmits, 0);
}
END_TEST

START_TEST(test_bulk_lossy) {
  NsTcpInfo i;
  bulk(0.10, 1 << 20, 42, &i);
  ck_assert_uint_gt(i.retransmits, 0);
  ck_assert_uint_gt(i.fast_retransmits, 0);
  ck_assert_uint_gt(i.timeouts, 0);
}
END_TEST

/* Seeded random segments, most with a correct checksum, thrown at both
 * ends of a live connection and at a listener: whatever the flags,
 * numbers, options and lengths, nothing crashes, leaks or corrupts
 * (ASan/UBSan watch), and the stacks stay usable. */
START_TEST(test_fuzz_segments) {
  Pair p;
  pair_init(&p, &quick_link, NULL);
  pair_connect(&p, 7);
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_ESTABLISHED);
  NsTcpInfo ci;
  ns_tcp_info(p.cli.c, &ci);
  GRand *r = g_rand_new_with_seed(20261126);
  guint8 seg[NS_TCP_MAX_HLEN + 1460];
  for (guint i = 0; i < 3000; i++) {
    gboolean to_server = g_rand_boolean(r);
    NsIpIface *at = to_server ? p.pb.b : p.pb.a;
    NsIpIface *from = to_server ? p.pb.a : p.pb.b;
    NsTcpHdr h = {0};
    h.sport = g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r)
                                             : (to_server ? ci.local_port : 7);
    h.dport = g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r)
                                             : (to_server ? 7 : ci.local_port);
    guint32 base = to_server ? ci.snd_nxt : ci.rcv_nxt;
    h.seq = base + (guint32)g_rand_int_range(r, -70000, 70000);
    h.ack = (to_server ? ci.rcv_nxt : ci.snd_nxt) +
            (guint32)g_rand_int_range(r, -70000, 70000);
    h.flags = (guint8)g_rand_int(r);
    h.window = (guint16)g_rand_int(r);
    h.mss = g_rand_boolean(r) ? (guint16)g_rand_int(r) : 0;
    gsize hl = ns_tcp_header_len(&h);
    /* Up to what one frame holds: 1480 bytes of segment. */
    gsize len = g_rand_int_range(r, 0, 4) == 0
                    ? (gsize)g_rand_int_range(r, 0, (gint32)(1480 - hl) + 1)
                    : 0;
    for (gsize k = 0; k < len; k++)
      seg[hl + k] = (guint8)g_rand_int(r);
    gsize total = ns_tcp_emit(seg, &h, len, from->addr.addr, at->addr.addr);
    if (g_rand_int_range(r, 0, 10) == 0)
      seg[g_rand_int_range(r, 0, (gint32)total)] ^= 0x5a; /* damaged */
    if (g_rand_int_range(r, 0, 10) == 0)
      seg[12] = (guint8)g_rand_int(r); /* any data offset */
    NsFrame *f = mk_ipv4(p.pb.net, at->nic.mac, from->nic.mac, from->addr.addr,
                         at->addr.addr, 64, NS_IPPROTO_TCP, seg, total);
    inject(p.pb.net, at, f);
  }
  g_rand_free(r);
  /* Both stacks still open new connections and move data. */
  End again;
  end_init(&again, p.pb.net);
  NsTcpCallbacks cb = callbacks(&again);
  again.c = ns_tcp_connect(p.t1, NS_IP4(10, 0, 0, 2), 7, 0, &cb,
                           now_of(p.pb.net), NULL);
  ck_assert_ptr_nonnull(again.c);
  run_for(p.pb.net, 100 * NS_MSEC);
  ck_assert(again.established);
  ck_assert_uint_gt(ns_tcp_counters(p.t2)->bad_checksum, 0);
  ck_assert_uint_gt(ns_tcp_counters(p.t2)->malformed, 0);
  ck_assert_uint_gt(ns_tcp_counters(p.t2)->rst_out, 0);
  end_clear(&again);
  pair_clear(&p);
}
END_TEST

Suite *test_tcp_conn_suite(void) {
  Suite *s = suite_create("tcp_conn");
  TCase *tc = test_tcase("tcp_conn");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_handshake);
  tcase_add_test(tc, test_data_and_orderly_close);
  tcase_add_test(tc, test_refused);
  tcase_add_test(tc, test_bulk_clean);
  tcase_add_test(tc, test_bulk_lossy);
  tcase_add_test(tc, test_fuzz_segments);
  suite_add_tcase(s, tc);
  return s;
}

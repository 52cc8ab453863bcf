/* test_tcp_conn.c — TCP between two stacks: handshake, data, close, loss,
 * flow control, resets, timeouts (the network level; crafted single
 * segments are in test_tcp_segments.c). */
#include <string.h>

#include "ipnode_harness.h"
#include "net/ipnode_hook.h"
#include "net/tcp.h"
#include "tcp_sack_check.h"
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

/* h1 (the client) runs cli, h2 (the server) srv; NULL is the minimal
 * profile (the numbers these tests were written with). */
static void pair_init2(Pair *p, const NsLinkParams *lp, const NsTcpConfig *cli,
                       const NsTcpConfig *srv) {
  p->pb = pair_bench(lp);
  p->t1 = ns_tcp_new(p->pb.h1, cli != NULL ? cli : &ns_tcp_minimal_config);
  p->t2 = ns_tcp_new(p->pb.h2, srv != NULL ? srv : &ns_tcp_minimal_config);
  end_init(&p->cli, p->pb.net);
  end_init(&p->srv, p->pb.net);
}

static void pair_init(Pair *p, const NsLinkParams *lp, const NsTcpConfig *cfg) {
  pair_init2(p, lp, cfg, cfg);
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

/* Loses chosen data segments from h1 on their way into h2 (a LOCAL_IN
 * hook on h2: they crossed the link, then vanished), by their index among
 * first transmissions, and counts the data bytes that come again. */
typedef struct {
  const guint *drop; /* indexes, ascending */
  guint n_drop;
  guint index; /* first transmissions so far */
  gboolean started;
  guint32 max_end; /* highest data byte seen + 1 */
  guint dropped;
  guint64 lost_bytes, resent_bytes;
  guint hole_lines;   /* tcp/retransmit events of SACK holes */
  guint drop_resends; /* the first resent segments to lose as well */
} Dropper;

static NsIpVerdict drop_hook(NsIpNode *node, NsIpHookPoint point,
                             NsIpPacket *pkt, NsTime now, gpointer data) {
  Dropper *d = data;
  (void)node;
  (void)point;
  (void)now;
  NsTcpHdr h;
  const guint8 *seg =
      pkt->frame->data + NS_ETH_HLEN + ns_ipv4_payload_offset(&pkt->ip);
  gsize slen = ns_ipv4_payload_len(&pkt->ip);
  if (pkt->ip.proto != NS_IPPROTO_TCP || !ns_tcp_parse(seg, slen, &h, NULL) ||
      slen == h.hlen)
    return NS_IP_ACCEPT;
  guint32 end = h.seq + (guint32)(slen - h.hlen);
  if (d->started && ns_tcp_seq_lt(h.seq, d->max_end)) {
    guint32 upto = ns_tcp_seq_lt(end, d->max_end) ? end : d->max_end;
    d->resent_bytes += upto - h.seq;
    if (d->drop_resends == 0)
      return NS_IP_ACCEPT;
    d->drop_resends--;
    d->lost_bytes += upto - h.seq;
    return NS_IP_DROP;
  }
  d->started = TRUE;
  d->max_end = end;
  guint i = d->index++;
  for (guint k = 0; k < d->n_drop; k++)
    if (d->drop[k] == i) {
      d->dropped++;
      d->lost_bytes += end - h.seq;
      return NS_IP_DROP;
    }
  return NS_IP_ACCEPT;
}

/* One bulk transfer from h1 to h2 and what both ends saw. */
typedef struct {
  NsLinkParams lp;
  const NsTcpConfig *cli, *srv; /* NULL: minimal */
  gsize size;
  guint64 seed;
  Dropper *drop;      /* NULL: no chosen losses */
  TcpSackCheck *sack; /* watches both ends when not NULL */
  NsTcpInfo ci, si;   /* at the end */
} Bulk;

static void bulk_run(Bulk *bk) {
  gsize size = bk->size;
  Pair p;
  pair_init2(&p, &bk->lp, bk->cli, bk->srv);
  g_rand_set_seed(p.pb.net->ctx.rng, (guint32)bk->seed);
  TcpWindowCheck *chk = tcp_window_check_new();
  for (guint i = 0; i < p.pb.net->links->len; i++)
    tcp_window_check_tap(chk, g_ptr_array_index(p.pb.net->links, i));
  if (bk->drop != NULL)
    ns_ipnode_add_hook(p.pb.h2, NS_IP_HOOK_LOCAL_IN, NS_IP_PRI_FILTER,
                       drop_hook, bk->drop);
  if (bk->sack != NULL) {
    tcp_sack_check_watch(bk->sack, p.pb.h1);
    tcp_sack_check_watch(bk->sack, p.pb.h2);
  }
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
       i++) {
    run_for(p.pb.net, 100 * NS_MSEC);
    if (p.srv.c != NULL && ns_tcp_state(p.srv.c) != NS_TCP_CLOSED)
      ns_tcp_info(p.srv.c, &bk->si); /* the last view before it closed */
  }
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
  NsTcpInfo *cli_info = &bk->ci;
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
  ck_assert_uint_eq(ns_tcp_counters(p.t1)->sack_retransmits,
                    cli_info->sack_retransmits);
  for (guint i = 0; bk->drop != NULL && i < p.pb.net->events->len; i++) {
    const Ev *e = &g_array_index(p.pb.net->events, Ev, i);
    bk->drop->hole_lines += g_str_equal(e->event, "tcp/retransmit") &&
                            strstr(e->summary, "SACK hole") != NULL;
  }
  g_free(data);
  pair_clear(&p);
  tcp_window_check_free(chk);
  if (bk->sack != NULL)
    ck_assert_msg(tcp_sack_check_violations(bk->sack) == 0, "%s",
                  tcp_sack_check_report(bk->sack));
}

/* What a bulk run over the 1 ms, 100 Mbit/s link uses beyond its loss
 * rate. */
typedef struct {
  const NsTcpConfig *cfg; /* both ends; NULL: minimal */
  Dropper *drop;          /* NULL: no chosen losses */
  TcpSackCheck *sack;     /* watches both ends when not NULL */
} BulkOpts;

static void bulk_with(gdouble loss, gsize size, guint64 seed, const BulkOpts *o,
                      NsTcpInfo *cli_info) {
  Bulk bk = {.lp = {1 * NS_MSEC, 100000000, loss, 64},
             .cli = o->cfg,
             .srv = o->cfg,
             .size = size,
             .seed = seed,
             .drop = o->drop,
             .sack = o->sack};
  bulk_run(&bk);
  *cli_info = bk.ci;
}

static void bulk(gdouble loss, gsize size, guint64 seed, NsTcpInfo *cli_info) {
  Bulk bk = {.lp = {1 * NS_MSEC, 100000000, loss, 64},
             .cli = NULL,
             .srv = NULL,
             .size = size,
             .seed = seed};
  bulk_run(&bk);
  *cli_info = bk.ci;
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

#define LINUX (&ns_tcp_default_config)

/* Two linux stacks agree on everything: shifts 7, timestamps, 1448-byte
 * segments; the windows they see are scaled. */
START_TEST(test_handshake_linux) {
  Pair p;
  pair_init(&p, &quick_link, LINUX);
  pair_connect(&p, 7);
  run_for(p.pb.net, 100 * NS_MSEC);
  ck_assert(p.cli.established);
  NsTcpInfo a, b;
  ns_tcp_info(p.cli.c, &a);
  ns_tcp_info(p.srv.c, &b);
  ck_assert_int_eq(a.snd_wscale, 7);
  ck_assert_int_eq(a.rcv_wscale, 7);
  ck_assert_int_eq(b.snd_wscale, 7);
  ck_assert(a.timestamps && b.timestamps);
  ck_assert_uint_eq(a.snd_mss, 1448);
  ck_assert_uint_eq(a.snd_wnd, 65160);  /* the SYN+ACK's, never scaled */
  ck_assert_uint_eq(b.snd_wnd, 64256);  /* 502 << 7 from 64240 */
  ck_assert_uint_eq(a.cwnd, 10 * 1448); /* RFC 6928 */
  pair_clear(&p);
}
END_TEST

/* Over 10 us links every answer comes back within the timestamps'
 * millisecond: each is a 1 ms sample, as Linux counts it, never 0 (which
 * read as "no sample yet", so `show tcp` had no SRTT and each ACK started
 * the estimate over). */
START_TEST(test_srtt_below_a_millisecond) {
  const NsLinkParams fast = {
      .delay = 10 * NS_USEC, .rate_bps = 0, .loss = 0, .queue_limit = 64};
  Pair p;
  pair_init(&p, &fast, LINUX);
  pair_connect(&p, 7);
  run_for(p.pb.net, 100 * NS_MSEC);
  NsTcpInfo a;
  ns_tcp_info(p.cli.c, &a);
  ck_assert(a.timestamps);
  ck_assert_uint_eq(a.srtt, NS_MSEC);
  ck_assert_uint_eq(a.rto,
                    200 * NS_MSEC); /* srtt + 4 rttvar, at least 200 ms */
  pair_clear(&p);
}
END_TEST

/* linux meets minimal: one side offers, so nothing is on; a megabyte
 * crosses a lossy link inside 64 KiB windows. */
START_TEST(test_bulk_mixed_profiles) {
  Bulk bk = {.lp = {1 * NS_MSEC, 100000000, 0.05, 64},
             .cli = LINUX,
             .srv = NULL,
             .size = 1 << 20,
             .seed = 3};
  bulk_run(&bk);
  ck_assert_int_eq(bk.ci.snd_wscale, -1);
  ck_assert(!bk.ci.timestamps);
  ck_assert_uint_eq(bk.ci.snd_mss, 1460);
  ck_assert_uint_le(bk.si.rcvbuf, 65535);
  ck_assert_uint_gt(bk.ci.retransmits, 0);
}
END_TEST

/* linux on both ends through 10 % loss: scaled windows, the checker
 * learning the shifts from the SYNs. */
START_TEST(test_bulk_linux_lossy) {
  Bulk bk = {.lp = {1 * NS_MSEC, 100000000, 0.10, 64},
             .cli = LINUX,
             .srv = LINUX,
             .size = 1 << 20,
             .seed = 42};
  bulk_run(&bk);
  ck_assert_int_eq(bk.ci.snd_wscale, 7);
  ck_assert_uint_gt(bk.ci.retransmits, 0);
}
END_TEST

/* Autotuning over a 20 ms round trip at 100 Mbit/s (250 kB in flight
 * would fill it): both buffers grow past 64 KiB and stop at their
 * bounds; minimal keeps its 65535. */
START_TEST(test_autotune_bounded) {
  NsTcpConfig cfg = ns_tcp_default_config;
  cfg.rcvbuf_max = 150000;
  cfg.sndbuf_max = 200000;
  Bulk bk = {.lp = {10 * NS_MSEC, 100000000, 0, 1000},
             .cli = &cfg,
             .srv = &cfg,
             .size = 3 << 20,
             .seed = 1};
  bulk_run(&bk);
  ck_assert_uint_gt(bk.si.rcvbuf, 100000);
  ck_assert_uint_le(bk.si.rcvbuf, 150000 + 128); /* + rounding */
  ck_assert_uint_eq(bk.ci.sndbuf, 200000);
  ck_assert_uint_eq(bk.ci.retransmits, 0);
  Bulk mk = {.lp = {10 * NS_MSEC, 100000000, 0, 1000},
             .cli = NULL,
             .srv = NULL,
             .size = 1 << 20,
             .seed = 1};
  bulk_run(&mk);
  ck_assert_uint_eq(mk.si.rcvbuf, 65535);
  ck_assert_uint_eq(mk.ci.sndbuf, 65536);
}
END_TEST

/* A sender held back by a small receive window (16 KiB, no autotuning)
 * keeps a congestion window of about twice what it ever had in flight,
 * as Linux does (tcp_is_cwnd_limited), and its first send buffer;
 * growing cwnd with every ACK took it to the size of the transfer and the
 * send buffer to its 4 MiB bound. */
START_TEST(test_cwnd_grows_only_in_use) {
  NsTcpConfig srv = ns_tcp_default_config;
  srv.rcvbuf = srv.rcvbuf_max = 16384;
  Bulk bk = {.lp = {1 * NS_MSEC, 100000000, 0, 1000},
             .cli = LINUX,
             .srv = &srv,
             .size = 4 << 20,
             .seed = 1};
  bulk_run(&bk);
  ck_assert_uint_eq(bk.ci.retransmits, 0);
  ck_assert_uint_le(bk.si.rcvbuf, 16384);
  guint32 flight_max = 16384 + bk.ci.snd_mss;
  ck_assert_uint_gt(bk.ci.cwnd, 10u * bk.ci.snd_mss);
  ck_assert_uint_le(bk.ci.cwnd, 2 * flight_max + bk.ci.snd_mss);
  ck_assert_uint_le(bk.ci.sndbuf, MAX(LINUX->sndbuf, 2 * (guint64)bk.ci.cwnd));
}
END_TEST

/* SACK is used only when both SYNs offer it. */
START_TEST(test_sack_negotiation) {
  NsTcpConfig on = ns_tcp_default_config, off = ns_tcp_default_config;
  on.sack = TRUE;
  off.sack = FALSE;
  for (guint both = 0; both < 2; both++) {
    Pair p;
    pair_init(&p, &quick_link, &on);
    if (!both) {
      ns_tcp_free(p.t2);
      p.t2 = ns_tcp_new(p.pb.h2, &off);
    }
    pair_connect(&p, 7);
    run_for(p.pb.net, 100 * NS_MSEC);
    NsTcpInfo a, b;
    ns_tcp_info(p.cli.c, &a);
    ns_tcp_info(p.srv.c, &b);
    ck_assert_int_eq(a.state, NS_TCP_ESTABLISHED);
    ck_assert_int_eq(a.sack, both);
    ck_assert_int_eq(b.sack, both);
    pair_clear(&p);
  }
}
END_TEST

/* Scattered chosen losses (one of them two segments in a row) with SACK on
 * both sides: exactly the lost bytes are sent again, each hole once,
 * without a timeout; no SACKed byte goes twice, the windows hold. */
static const guint scattered[] = {10, 25, 40, 41, 60, 200};

START_TEST(test_sack_resends_only_holes) {
  NsTcpConfig cfg = ns_tcp_default_config;
  cfg.sack = TRUE;
  Dropper d = {scattered, G_N_ELEMENTS(scattered), 0, FALSE, 0, 0, 0, 0, 0, 0};
  TcpSackCheck *sack = tcp_sack_check_new();
  BulkOpts o = {&cfg, &d, sack};
  NsTcpInfo i;
  bulk_with(0, 1 << 20, 1, &o, &i);
  ck_assert_uint_eq(d.dropped, G_N_ELEMENTS(scattered));
  ck_assert(i.sack);
  ck_assert_uint_eq(d.resent_bytes, d.lost_bytes);
  ck_assert_uint_eq(i.sack_bytes_resent, d.lost_bytes);
  ck_assert_uint_eq(i.sack_retransmits, G_N_ELEMENTS(scattered));
  ck_assert_uint_eq(d.hole_lines, G_N_ELEMENTS(scattered));
  ck_assert_uint_eq(i.retransmits, G_N_ELEMENTS(scattered));
  ck_assert_uint_eq(i.timeouts, 0);
  ck_assert_uint_ge(i.fast_retransmits, 1);
  ck_assert_uint_gt(tcp_sack_check_blocks(sack), 0);
  ck_assert_uint_eq(tcp_sack_check_resent(sack), d.lost_bytes);
  tcp_sack_check_free(sack);
}
END_TEST

/* A resent hole lost too: the timeout comes, and after it only holes go
 * again, what was SACKed is skipped (the scoreboard outlives the timeout,
 * RFC 6675 5.1 as Linux does): every lost byte is resent once, no
 * other. */
START_TEST(test_sack_timeout_keeps_scoreboard) {
  NsTcpConfig cfg = ns_tcp_default_config;
  cfg.sack = TRUE;
  static const guint two[] = {10, 30};
  Dropper d = {two, G_N_ELEMENTS(two), 0, FALSE, 0, 0, 0, 0, 0, 1};
  TcpSackCheck *sack = tcp_sack_check_new();
  BulkOpts o = {&cfg, &d, sack};
  NsTcpInfo i;
  bulk_with(0, 1 << 20, 1, &o, &i);
  ck_assert_uint_eq(d.drop_resends, 0);
  ck_assert_uint_eq(i.timeouts, 1);
  ck_assert_uint_eq(d.resent_bytes, d.lost_bytes);
  ck_assert_uint_eq(i.sack_bytes_resent, d.lost_bytes);
  tcp_sack_check_free(sack);
}
END_TEST

/* The same losses without SACK: NewReno, every byte still delivered (bulk
 * checks), no SACK block on the wire. */
START_TEST(test_newreno_same_losses) {
  Dropper d = {scattered, G_N_ELEMENTS(scattered), 0, FALSE, 0, 0, 0, 0, 0, 0};
  TcpSackCheck *sack = tcp_sack_check_new();
  BulkOpts o = {NULL, &d, sack};
  NsTcpInfo i;
  bulk_with(0, 1 << 20, 1, &o, &i);
  ck_assert_uint_eq(d.dropped, G_N_ELEMENTS(scattered));
  ck_assert(!i.sack);
  ck_assert_uint_eq(i.sack_retransmits, 0);
  ck_assert_uint_eq(d.hole_lines, 0);
  ck_assert_uint_ge(i.retransmits, G_N_ELEMENTS(scattered));
  ck_assert_uint_ge(d.resent_bytes, d.lost_bytes);
  ck_assert_uint_eq(tcp_sack_check_blocks(sack), 0);
  tcp_sack_check_free(sack);
}
END_TEST

/* Random loss both ways with SACK: delivered intact, the windows and
 * SACK's invariants hold. */
START_TEST(test_sack_bulk_lossy) {
  NsTcpConfig cfg = ns_tcp_default_config;
  cfg.sack = TRUE;
  TcpSackCheck *sack = tcp_sack_check_new();
  BulkOpts o = {&cfg, NULL, sack};
  NsTcpInfo i;
  bulk_with(0.10, 1 << 20, 42, &o, &i);
  ck_assert_uint_gt(i.sack_retransmits, 0);
  ck_assert_uint_gt(tcp_sack_check_blocks(sack), 0);
  tcp_sack_check_free(sack);
}
END_TEST

static const guint8 *letters_of(gsize n) {
  static guint8 buf[65536];
  g_assert(n <= sizeof buf);
  for (gsize i = 0; i < n; i++)
    buf[i] = (guint8)('a' + i % 26);
  return buf;
}

/* One random segment between the two ends of the connection ci (to its
 * server or its client), from src to dst, at seg: mostly the right ports
 * and numbers near the connection's, any flags, options (hostile SACK
 * blocks when sack), data, damage.  Returns its length. */
static gsize random_segment(GRand *r, const NsTcpInfo *ci, gboolean to_server,
                            gboolean sack, guint8 *seg, NsIp4 src, NsIp4 dst) {
  NsTcpHdr h = {0};
  h.sport = g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r)
                                           : (to_server ? ci->local_port : 7);
  h.dport = g_rand_int_range(r, 0, 4) == 0 ? (guint16)g_rand_int(r)
                                           : (to_server ? 7 : ci->local_port);
  guint32 base = to_server ? ci->snd_nxt : ci->rcv_nxt;
  h.seq = base + (guint32)g_rand_int_range(r, -70000, 70000);
  h.ack = (to_server ? ci->rcv_nxt : ci->snd_nxt) +
          (guint32)g_rand_int_range(r, -70000, 70000);
  h.flags = (guint8)g_rand_int(r);
  h.window = (guint16)g_rand_int(r);
  h.mss = g_rand_boolean(r) ? (guint16)g_rand_int(r) : 0;
  h.sack_ok = sack && g_rand_boolean(r);
  h.nsack = sack ? (guint8)g_rand_int_range(r, 0, NS_TCP_MAX_SACK + 1) : 0;
  if (h.nsack > 0 && !to_server && g_rand_boolean(r)) /* in flight: */
    h.ack = ci->snd_nxt + (guint32)g_rand_int_range(r, 0, 4381); /* 3 MSS */
  for (guint k = 0; k < h.nsack; k++) {
    h.sack[k].left = h.ack + (guint32)g_rand_int_range(r, -500, 4500);
    h.sack[k].right = h.sack[k].left + (guint32)g_rand_int_range(r, -100, 3000);
  }
  gsize hl = ns_tcp_header_len(&h);
  /* Up to what one frame holds: 1480 bytes of segment. */
  gsize len = g_rand_int_range(r, 0, 4) == 0
                  ? (gsize)g_rand_int_range(r, 0, (gint32)(1480 - hl) + 1)
                  : 0;
  for (gsize k = 0; k < len; k++)
    seg[hl + k] = (guint8)g_rand_int(r);
  gsize total = ns_tcp_emit(seg, &h, len, src, dst);
  if (g_rand_int_range(r, 0, 10) == 0)
    seg[g_rand_int_range(r, 0, (gint32)total)] ^= 0x5a; /* damaged */
  if (g_rand_int_range(r, 0, 10) == 0)
    seg[12] = (guint8)g_rand_int(r); /* any data offset */
  return total;
}

/* Seeded random segments, most with a correct checksum, thrown at both
 * ends of a live connection and at a listener: whatever the flags,
 * numbers, options and lengths, nothing crashes, leaks or corrupts
 * (ASan/UBSan watch), and the stacks stay usable. */
START_TEST(test_fuzz_segments) {
  Pair p;
  NsTcpConfig sack = ns_tcp_default_config;
  sack.sack = TRUE; /* _i 1: SACK on, and hostile SACK blocks */
  pair_init(&p, &quick_link, _i == 1 ? &sack : NULL);
  pair_connect(&p, 7);
  run_for(p.pb.net, 10 * NS_MSEC);
  ck_assert_int_eq(ns_tcp_state(p.cli.c), NS_TCP_ESTABLISHED);
  NsTcpInfo ci;
  ns_tcp_info(p.cli.c, &ci);
  GRand *r = g_rand_new_with_seed(20261126);
  guint8 seg[NS_TCP_MAX_HLEN + 1460];
  /* With SACK, data stays in flight (the link is down; injected segments
   * do not use it) for the hostile blocks to land on a scoreboard. */
  NsLink *link = g_ptr_array_index(p.pb.net->links, 0);
  if (_i == 1) {
    ns_link_set_up(link, FALSE, now_of(p.pb.net));
    ck_assert_uint_eq(
        ns_tcp_send(p.cli.c, letters_of(20000), 20000, now_of(p.pb.net)),
        20000);
  }
  for (guint i = 0; i < 3000; i++) {
    gboolean to_server = g_rand_boolean(r);
    NsIpIface *at = to_server ? p.pb.b : p.pb.a;
    NsIpIface *from = to_server ? p.pb.a : p.pb.b;
    gsize total = random_segment(r, &ci, to_server, _i == 1, seg,
                                 from->addr.addr, at->addr.addr);
    NsFrame *f = mk_ipv4(p.pb.net, at->nic.mac, from->nic.mac, from->addr.addr,
                         at->addr.addr, 64, NS_IPPROTO_TCP, seg, total);
    inject(p.pb.net, at, f);
  }
  g_rand_free(r);
  ns_link_set_up(link, TRUE, now_of(p.pb.net));
  /* Both stacks still open new connections and move data. */
  End again;
  end_init(&again, p.pb.net);
  NsTcpCallbacks cb = callbacks(&again);
  again.c = ns_tcp_connect(p.t1, NS_IP4(10, 0, 0, 2), 7, 0, &cb,
                           now_of(p.pb.net), NULL);
  ck_assert_ptr_nonnull(again.c);
  /* After the link was down, ARP first, and the SYN again (1 s). */
  run_for(p.pb.net, (_i == 1 ? 3000 : 100) * NS_MSEC);
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
  tcase_add_test(tc, test_handshake_linux);
  tcase_add_test(tc, test_bulk_mixed_profiles);
  tcase_add_test(tc, test_bulk_linux_lossy);
  tcase_add_test(tc, test_autotune_bounded);
  tcase_add_test(tc, test_cwnd_grows_only_in_use);
  tcase_add_test(tc, test_srtt_below_a_millisecond);
  tcase_add_test(tc, test_sack_negotiation);
  tcase_add_test(tc, test_sack_resends_only_holes);
  tcase_add_test(tc, test_sack_timeout_keeps_scoreboard);
  tcase_add_test(tc, test_newreno_same_losses);
  tcase_add_test(tc, test_sack_bulk_lossy);
  tcase_add_loop_test(tc, test_fuzz_segments, 0, 2);
  suite_add_tcase(s, tc);
  return s;
}

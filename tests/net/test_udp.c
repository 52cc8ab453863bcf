/* test_udp.c — UDP sockets on the IP stack: binding (EADDRINUSE, ephemeral
 * ports), unicast across a switch and a router, checksum and malformed
 * drops, ICMP port unreachable, broadcast and multicast reach (and where
 * they stop), the bounded receive queue, groups left on close, and
 * callbacks that close sockets while a datagram is handed out. */
#include <string.h>

#include "ipnode_harness.h"
#include "net/ipnode_private.h" /* the listener tests look inside */
#include "wire/udp.h"

#define ANY NS_IP4(0, 0, 0, 0)
#define GROUP NS_IP4(239, 1, 1, 1)

/* ---- helpers ------------------------------------------------------------- */

static NsUdpSocket *open_ok(NsUdp *u, NsIp4 local, guint16 port,
                            const NsUdpCallbacks *cb) {
  GError *err = NULL;
  NsUdpSocket *s = ns_udp_open(u, local, port, cb, &err);
  ck_assert_msg(s != NULL, "open failed: %s", err ? err->message : "?");
  return s;
}

/* Opening must fail with NS_ERROR; the message must contain what. */
static void open_fails(NsUdp *u, NsIp4 local, guint16 port, const char *what) {
  GError *err = NULL;
  ck_assert_ptr_null(ns_udp_open(u, local, port, NULL, &err));
  ck_assert_ptr_nonnull(err);
  ck_assert(g_error_matches(err, NS_ERROR, NS_ERROR_INVALID));
  ck_assert_msg(strstr(err->message, what) != NULL, "'%s' lacks '%s'",
                err->message, what);
  g_error_free(err);
}

static void send_str(Net *n, NsUdpSocket *s, NsIp4 dst, guint16 port,
                     const char *text) {
  ck_assert(ns_udp_sendto(s, dst, port, (const guint8 *)text, strlen(text),
                          now_of(n), NULL));
}

/* The next datagram of s must be text from `from` (and from_port unless
 * 0). */
static void expect_recv(NsUdpSocket *s, const char *text, NsIp4 from,
                        guint16 from_port) {
  NsIp4 who;
  guint16 port;
  GBytes *b = ns_udp_recvfrom(s, &who, &port);
  ck_assert_ptr_nonnull(b);
  gsize len;
  const char *data = g_bytes_get_data(b, &len);
  ck_assert_uint_eq(len, strlen(text));
  ck_assert_mem_eq(data, text, len);
  ck_assert_uint_eq(who.v, from.v);
  if (from_port != 0)
    ck_assert_uint_eq(port, from_port);
  g_bytes_unref(b);
}

static void count_readable(NsUdpSocket *s, NsTime now, gpointer data) {
  (void)now;
  (void)s;
  (*(guint *)data)++;
}

/* What an ICMP listener saw: the last message and how many. */
typedef struct {
  guint n;
  guint8 type, code;
  NsIp4 src;
  guint16 quoted_dport;
} IcmpSeen;

static void icmp_seen(NsIpNode *node, const NsIpv4Hdr *ip, const NsIcmp *icmp,
                      NsTime now, gpointer data) {
  IcmpSeen *seen = data;
  (void)node;
  (void)now;
  seen->n++;
  seen->type = icmp->type;
  seen->code = icmp->code;
  seen->src = ip->src;
  NsIpv4Hdr orig;
  const guint8 *op;
  gsize olen;
  if (ns_icmp_quoted(icmp, &orig, &op, &olen) && orig.proto == NS_IPPROTO_UDP &&
      olen >= NS_UDP_HLEN)
    seen->quoted_dport = ns_load16(op + 2);
}

/* Index of the first event of node named event whose summary contains s,
 * from index from on, or -1. */
static gint ev_find_text(Net *n, guint from, const char *node,
                         const char *event, const char *s) {
  for (gint i = ev_find(n, from, node, event); i >= 0;
       i = ev_find(n, (guint)i + 1, node, event))
    if (strstr(ev_at(n, i)->summary, s) != NULL)
      return i;
  return -1;
}

/* LAN A on sw1: h1 10.0.1.10, h2 .11, h3 .12, r1 eth0 10.0.1.1 and a
 * probe P (10.0.1.99, silent) that sees what sw1 floods.  LAN B on sw2:
 * h4 10.0.2.20 and r1 eth1 10.0.2.1.  Every node runs UDP; the hosts'
 * gateway is r1. */
typedef struct {
  Net *n;
  NsIpNode *h[4], *r;
  NsUdp *u[4], *ur;
  Probe *p;
} Lans;

static const NsIp4 host_ip[4] = {NS_IP4(10, 0, 1, 10), NS_IP4(10, 0, 1, 11),
                                 NS_IP4(10, 0, 1, 12), NS_IP4(10, 0, 2, 20)};

static Lans lans_new(gboolean explain) {
  Lans l;
  Net *n = l.n = net_new(explain);
  NsSwitch *sw1 = add_switch(n, "sw1"), *sw2 = add_switch(n, "sw2");
  l.r = add_node(n, "r1", TRUE);
  NsIpIface *r0 = ns_ipnode_add_iface(l.r, "eth0", PFX(10, 0, 1, 1, 24),
                                      ns_mac_local(0x11));
  NsIpIface *r1 = ns_ipnode_add_iface(l.r, "eth1", PFX(10, 0, 2, 1, 24),
                                      ns_mac_local(0x12));
  connect_nics(n, &r0->nic, ns_switch_add_port(sw1), &quick_link);
  connect_nics(n, &r1->nic, ns_switch_add_port(sw2), &quick_link);
  for (guint i = 0; i < 4; i++) {
    char name[4];
    g_snprintf(name, sizeof name, "h%u", i + 1);
    l.h[i] = add_node(n, name, FALSE);
    NsIpIface *e = ns_ipnode_add_iface(
        l.h[i], "eth0", (NsPrefix){host_ip[i], 24}, ns_mac_local(i + 1));
    connect_nics(n, &e->nic, ns_switch_add_port(i < 3 ? sw1 : sw2),
                 &quick_link);
    ck_assert(ns_ipnode_add_route(
        l.h[i], PFX(0, 0, 0, 0, 0),
        i < 3 ? NS_IP4(10, 0, 1, 1) : NS_IP4(10, 0, 2, 1), 0));
    l.u[i] = add_udp(n, l.h[i]);
  }
  l.ur = add_udp(n, l.r);
  l.p = add_probe(n, ns_switch_add_port(sw1), "P", ns_mac_local(0x99),
                  NS_IP4(10, 0, 1, 99), FALSE);
  return l;
}

/* ---- binding ------------------------------------------------------------- */

/* Where h1's k-th ephemeral port search starts (the rule in udp.c). */
static guint16 ephemeral_start(Net *n, guint k) {
  return (guint16)(NS_EPHEMERAL_LOW +
                   ns_ctx_hash(&n->ctx, "h1", 0x75647000u + k) %
                       NS_EPHEMERAL_COUNT);
}

START_TEST(test_udp_bind_rules) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  ns_ipnode_add_iface(h, "eth1", PFX(10, 0, 9, 1, 24), ns_mac_local(2));
  NsUdp *u = add_udp(n, h);
  ck_assert_ptr_eq(ns_udp_node(u), h);

  NsUdpSocket *any = open_ok(u, ANY, 9000, NULL);
  open_fails(u, ANY, 9000, "0.0.0.0:9000");
  open_fails(u, ANY, 9000, "EADDRINUSE");
  /* A specific address may share the port with the wildcard, once. */
  NsUdpSocket *one = open_ok(u, NS_IP4(10, 0, 0, 1), 9000, NULL);
  open_fails(u, NS_IP4(10, 0, 0, 1), 9000, "EADDRINUSE");
  open_ok(u, NS_IP4(10, 0, 9, 1), 9000, NULL);
  /* Not an address of ours; a group is fine. */
  open_fails(u, NS_IP4(10, 0, 0, 2), 9000, "EADDRNOTAVAIL");
  NsUdpSocket *grp = open_ok(u, GROUP, 9000, NULL);
  ck_assert_uint_eq(ns_udp_local_addr(grp).v, GROUP.v);

  /* Ephemeral ports (Linux's range): each search starts at a point the
   * seed, the node and the count of ports handed out say, and skips any
   * port in use on any address. */
  NsUdpSocket *e1 = open_ok(u, ANY, 0, NULL);
  ck_assert_uint_eq(ns_udp_local_port(e1), ephemeral_start(n, 0));
  ck_assert_uint_eq(ns_udp_local_port(open_ok(u, ANY, 0, NULL)),
                    ephemeral_start(n, 1));
  open_ok(u, ANY, ephemeral_start(n, 2), NULL);
  open_ok(u, NS_IP4(10, 0, 0, 1), ephemeral_start(n, 2) + 1, NULL);
  ck_assert_uint_eq(ns_udp_local_port(open_ok(u, ANY, 0, NULL)),
                    ephemeral_start(n, 2) + 2);
  /* A port just given back is not handed out again at once. */
  guint16 p1 = ns_udp_local_port(e1);
  ns_udp_close(e1);
  NsUdpSocket *e5 = open_ok(u, NS_IP4(10, 0, 9, 1), 0, NULL);
  ck_assert_uint_eq(ns_udp_local_port(e5), ephemeral_start(n, 3));
  ck_assert_uint_ne(ns_udp_local_port(e5), p1);
  ck_assert_uint_eq(ns_udp_local_addr(e5).v, NS_IP4(10, 0, 9, 1).v);

  /* The table, in bind order. */
  ck_assert_ptr_eq(ns_udp_find(u, ANY, 9000), any);
  ck_assert_ptr_eq(ns_udp_find(u, NS_IP4(10, 0, 0, 1), 9000), one);
  ck_assert_ptr_null(ns_udp_find(u, ANY, 9001));
  ck_assert_ptr_null(ns_udp_find(u, ANY, p1));
  ck_assert_uint_eq(ns_udp_n_sockets(u), 9);
  ck_assert_ptr_eq(ns_udp_socket(u, 0), any);
  ck_assert_ptr_eq(ns_udp_socket(u, 1), one);
  ck_assert_ptr_eq(ns_udp_socket(u, 3), grp);
  ck_assert_ptr_eq(ns_udp_socket(u, 8), e5);
  ns_udp_close(one);
  ck_assert_uint_eq(ns_udp_n_sockets(u), 8);
  ck_assert_ptr_null(ns_udp_find(u, NS_IP4(10, 0, 0, 1), 9000));
  open_ok(u, NS_IP4(10, 0, 0, 1), 9000, NULL); /* free again */
  net_free(n);
}
END_TEST

/* ---- unicast ------------------------------------------------------------- */

START_TEST(test_udp_unicast_across_switch) {
  Lans l = lans_new(TRUE);
  Net *n = l.n;
  guint readable = 0;
  NsUdpCallbacks cb = {.readable = count_readable, .data = &readable};
  NsUdpSocket *client = open_ok(l.u[0], ANY, 0, NULL);
  NsUdpSocket *server = open_ok(l.u[1], ANY, 9000, &cb);
  guint64 id = 0;
  ck_assert(ns_udp_sendto(client, host_ip[1], 9000, (const guint8 *)"hello", 5,
                          now_of(n), &id));
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(readable, 1);
  ck_assert_uint_eq(ns_udp_pending(server), 1);
  guint16 cport = ns_udp_local_port(client);
  expect_recv(server, "hello", host_ip[0], cport);
  ck_assert_uint_eq(ns_udp_pending(server), 0);
  ck_assert_ptr_null(ns_udp_recvfrom(server, NULL, NULL));

  /* One journey id from udp/send to udp/deliver. */
  gint send = ev_find(n, 0, "h1", "udp/send");
  ck_assert_uint_eq(ev_at(n, send)->frame, id);
  g_autofree char *want =
      g_strdup_printf("10.0.1.10:%u > 10.0.1.11:9000: 5 bytes", cport);
  ck_assert_str_eq(ev_at(n, send)->summary, want);
  ck_assert_int_lt(send, ev_find(n, 0, "h1", "ip/send"));
  ck_assert_uint_eq(ev_at(n, ev_find(n, 0, "h1", "ip/send"))->frame, id);
  gint got = ev_find(n, 0, "h2", "udp/deliver");
  ck_assert_uint_eq(ev_at(n, got)->frame, id);
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, got)->summary, "to socket 0.0.0.0:9000"));
  ck_assert_ptr_nonnull(strstr(ev_at(n, got)->why,
                               "socket 0.0.0.0:9000 takes datagrams for any "
                               "of my addresses"));

  /* The answer goes back to where the question came from. */
  send_str(n, server, host_ip[0], cport, "world");
  run_for(n, 100 * NS_MSEC);
  expect_recv(client, "world", host_ip[1], 9000);

  /* A socket bound to the address itself is preferred to the wildcard. */
  NsUdpSocket *exact = open_ok(l.u[1], host_ip[1], 9000, NULL);
  send_str(n, client, host_ip[1], 9000, "exact");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_udp_pending(server), 0);
  expect_recv(exact, "exact", host_ip[0], 0);
  ck_assert_uint_eq(readable, 1);
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, ev_find(n, (guint)got + 1, "h2", "udp/deliver"))->why,
             "bound to exactly this address"));

  const NsUdpSocketCounters *sc = ns_udp_socket_counters(client);
  ck_assert_uint_eq(sc->tx, 2);
  ck_assert_uint_eq(sc->tx_bytes, 10);
  ck_assert_uint_eq(sc->rx, 1);
  ck_assert_uint_eq(sc->rx_bytes, 5);
  ck_assert_uint_eq(ns_udp_counters(l.u[0])->tx, 2);
  ck_assert_uint_eq(ns_udp_counters(l.u[1])->rx, 2);
  ck_assert_uint_eq(ns_udp_counters(l.u[1])->tx, 1);
  net_free(n);
}
END_TEST

START_TEST(test_udp_unicast_across_router) {
  Lans l = lans_new(FALSE);
  Net *n = l.n;
  NsUdpSocket *client = open_ok(l.u[0], host_ip[0], 0, NULL);
  NsUdpSocket *server = open_ok(l.u[3], ANY, 7000, NULL);
  send_str(n, client, host_ip[3], 7000, "via r1");
  run_for(n, 100 * NS_MSEC);
  expect_recv(server, "via r1", host_ip[0], ns_udp_local_port(client));
  ck_assert_uint_eq(ns_ipnode_counters(l.r).forwarded, 1);
  ck_assert_uint_eq(ns_udp_counters(l.ur)->rx, 0); /* routed, not taken */
  send_str(n, server, host_ip[0], ns_udp_local_port(client), "back");
  run_for(n, 100 * NS_MSEC);
  expect_recv(client, "back", host_ip[3], 7000);
  ck_assert_uint_eq(ns_ipnode_counters(l.r).forwarded, 2);
  net_free(n);
}
END_TEST

/* h1 of a host bench with UDP and one socket on any port (*u, unless
 * NULL: its UDP). */
static NsUdpSocket *host_socket(HostBench *hb, NsUdp **u) {
  *hb = host_bench(FALSE, TRUE);
  NsUdp *udp = add_udp(hb->net, hb->h);
  if (u != NULL)
    *u = udp;
  return open_ok(udp, ANY, 0, NULL);
}

START_TEST(test_udp_send_without_route) {
  HostBench hb;
  NsUdp *u;
  NsUdpSocket *s = host_socket(&hb, &u);
  Net *n = hb.net;
  IcmpSeen seen = {0};
  ns_ipnode_add_icmp_listener(hb.h, icmp_seen, &seen);
  guint64 id = 0;
  ck_assert(!ns_udp_sendto(s, NS_IP4(192, 168, 7, 7), 53, (const guint8 *)"q",
                           1, now_of(n), &id));
  ck_assert_uint_ne(id, 0);
  ck_assert_uint_eq(ns_udp_socket_counters(s)->tx, 0);
  ck_assert_uint_eq(ns_udp_counters(u)->tx, 0);
  ck_assert_uint_eq(seen.n, 1);
  ck_assert_uint_eq(seen.code, NS_ICMP_NET_UNREACH);
  ck_assert_uint_eq(seen.quoted_dport, 53);
  ns_ipnode_remove_icmp_listener(hb.h, icmp_seen, &seen);
  net_free(n);
}
END_TEST

/* Listeners that change the list while it runs: each ICMP message goes to
 * the listeners there when it came (one removed meanwhile is skipped, one
 * added waits for the next message), and the entries removed during the
 * dispatch are given back once it ends (listener_gone). */
typedef struct Churn Churn;
struct Churn {
  guint calls;
  void (*act)(NsIpNode *node, Churn *self); /* on the first call; may be NULL */
  Churn *other;
};

static void churn_listener(NsIpNode *node, const NsIpv4Hdr *ip,
                           const NsIcmp *icmp, NsTime now, gpointer data) {
  Churn *c = data;
  (void)ip;
  (void)icmp;
  (void)now;
  if (c->calls++ == 0 && c->act != NULL)
    c->act(node, c);
}

static void remove_self(NsIpNode *node, Churn *self) {
  ns_ipnode_remove_icmp_listener(node, churn_listener, self);
}

static void remove_other_add_next(NsIpNode *node, Churn *self) {
  ns_ipnode_remove_icmp_listener(node, churn_listener, self->other);
  ns_ipnode_add_icmp_listener(node, churn_listener, self->other + 1);
}

static void unroutable(Net *n, NsUdpSocket *s) {
  ck_assert(!ns_udp_sendto(s, NS_IP4(192, 168, 7, 7), 53, (const guint8 *)"q",
                           1, now_of(n), NULL));
}

START_TEST(test_icmp_listeners_change_while_dispatching) {
  HostBench hb;
  NsUdpSocket *s = host_socket(&hb, NULL);
  Net *n = hb.net;
  /* c[0] removes itself; c[1] removes c[2] and adds c[3]. */
  Churn c[4] = {{0, remove_self, NULL}, {0, remove_other_add_next, NULL}};
  c[1].other = &c[2];
  guint base = hb.h->n_listeners; /* the UDP layer's own */
  for (guint i = 0; i < 3; i++)
    ns_ipnode_add_icmp_listener(hb.h, churn_listener, &c[i]);
  unroutable(n, s);
  ck_assert_uint_eq(c[0].calls, 1);
  ck_assert_uint_eq(c[1].calls, 1);
  ck_assert_uint_eq(c[2].calls, 0); /* removed before its turn */
  ck_assert_uint_eq(c[3].calls, 0); /* added during the dispatch */
  ck_assert_uint_eq(hb.h->n_listeners, base + 2); /* c[1], c[3]: compacted */
  unroutable(n, s);
  ck_assert_uint_eq(c[0].calls, 1);
  ck_assert_uint_eq(c[1].calls, 2);
  ck_assert_uint_eq(c[2].calls, 0);
  ck_assert_uint_eq(c[3].calls, 1);
  /* The last two go, one from inside a dispatch: UDP's alone is left. */
  c[3].act = remove_self;
  c[3].calls = 0;
  unroutable(n, s);
  ck_assert_uint_eq(c[3].calls, 1);
  ck_assert_uint_eq(hb.h->n_listeners, base + 1);
  ck_assert(!hb.h->listener_gone); /* the compaction cleared it */
  ns_ipnode_remove_icmp_listener(hb.h, churn_listener, &c[1]);
  ck_assert_uint_eq(hb.h->n_listeners, base);
  unroutable(n, s);
  ck_assert_uint_eq(c[1].calls, 3);
  ck_assert_uint_eq(c[3].calls, 1);
  net_free(n);
}
END_TEST

/* ---- bad traffic --------------------------------------------------------- */

/* A UDP datagram from the probe to h1 (10.0.0.1) port 9000, checksum
 * computed, then corrupt applied to the UDP bytes. */
static NsFrame *mk_udp(HostBench *hb, const char *text,
                       void (*corrupt)(guint8 *udp)) {
  guint8 buf[64];
  gsize len = strlen(text);
  memcpy(buf + NS_UDP_HLEN, text, len);
  NsUdpHdr h = {4000, 9000, 0, 0};
  ns_udp_emit(buf, &h, len, hb->p->ip, NS_IP4(10, 0, 0, 1));
  if (corrupt != NULL)
    corrupt(buf);
  return mk_ipv4(hb->net, hb->i0->nic.mac, hb->p->nic.mac, hb->p->ip,
                 NS_IP4(10, 0, 0, 1), 64, NS_IPPROTO_UDP, buf,
                 NS_UDP_HLEN + len);
}

static void flip_data_bit(guint8 *udp) { udp[NS_UDP_HLEN] ^= 0x04; }
static void no_checksum(guint8 *udp) { ns_store16(udp + 6, 0); }
static void overlong(guint8 *udp) {
  ns_store16(udp + 4, (guint16)(ns_load16(udp + 4) + 1));
}

START_TEST(test_udp_bad_checksum_and_malformed_dropped) {
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  NsUdp *u = add_udp(n, hb.h);
  NsUdpSocket *s = open_ok(u, ANY, 9000, NULL);
  const NsUdpCounters *c = ns_udp_counters(u);

  inject(n, hb.i0, mk_udp(&hb, "data", flip_data_bit));
  ck_assert_uint_eq(c->bad_checksum, 1);
  ck_assert_uint_eq(ns_udp_pending(s), 0);
  gint e = ev_find(n, 0, "h1", "udp/drop");
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->summary, "bad checksum"));
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->why, "does not add up"));
  ck_assert_uint_eq(ev_at(n, e)->frame, n->ctx.next_frame_id);

  /* Length field past the datagram: malformed. */
  inject(n, hb.i0, mk_udp(&hb, "data", overlong));
  ck_assert_uint_eq(c->malformed, 1);
  ck_assert_int_ge(ev_find_text(n, 0, "h1", "udp/drop",
                                "malformed UDP: bad "
                                "length"),
                   0);
  /* Neither is answered with an ICMP error, nor queued. */
  ck_assert_uint_eq(probe_count_type(hb.p, NS_ETHERTYPE_IPV4), 0);
  ck_assert_uint_eq(ns_udp_pending(s), 0);
  ck_assert_uint_eq(c->rx, 0);

  /* No checksum at all is fine (RFC 768), and so is a good one. */
  inject(n, hb.i0, mk_udp(&hb, "none", no_checksum));
  inject(n, hb.i0, mk_udp(&hb, "good", NULL));
  ck_assert_uint_eq(c->rx, 2);
  expect_recv(s, "none", hb.p->ip, 4000);
  expect_recv(s, "good", hb.p->ip, 4000);
  ck_assert_uint_eq(c->bad_checksum, 1);
  ck_assert_uint_eq(c->malformed, 1);
  net_free(n);
}
END_TEST

/* The socket's error callback: the errors it heard, the last one. */
typedef struct {
  guint n;
  NsUdpError last;
} ErrSeen;

static void error_seen(NsUdpSocket *s, const NsUdpError *err, NsTime now,
                       gpointer data) {
  (void)s;
  (void)now;
  ErrSeen *e = data;
  e->n++;
  e->last = *err;
}

START_TEST(test_udp_closed_port_icmp_unreachable) {
  Lans l = lans_new(TRUE);
  Net *n = l.n;
  IcmpSeen seen = {0};
  ErrSeen errs = {0};
  ns_ipnode_add_icmp_listener(l.h[0], icmp_seen, &seen);
  NsUdpCallbacks cb = {.data = &errs, .error = error_seen};
  NsUdpSocket *s = open_ok(l.u[0], ANY, 0, &cb);
  /* Across the router, to a port nobody listens on. */
  send_str(n, s, host_ip[3], 9999, "anyone?");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_udp_counters(l.u[3])->no_port, 1);
  ck_assert_uint_eq(seen.n, 1);
  ck_assert_uint_eq(seen.type, NS_ICMP_DEST_UNREACH);
  ck_assert_uint_eq(seen.code, NS_ICMP_PORT_UNREACH);
  ck_assert_uint_eq(seen.src.v, host_ip[3].v);
  ck_assert_uint_eq(seen.quoted_dport, 9999);
  gint e = ev_find(n, 0, "h4", "udp/drop");
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, e)->summary, ":9999: closed, port unreachable"));
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->why, "no socket is bound"));
  /* The socket that sent it hears of it (as ECONNREFUSED), and counts it. */
  ck_assert_uint_eq(errs.n, 1);
  ck_assert_uint_eq(errs.last.code, NS_ICMP_PORT_UNREACH);
  ck_assert_uint_eq(errs.last.from.v, host_ip[3].v);
  ck_assert_uint_eq(errs.last.dst.v, host_ip[3].v);
  ck_assert_uint_eq(errs.last.dport, 9999);
  ck_assert_uint_eq(ns_udp_socket_counters(s)->icmp_errors, 1);

  /* To itself: the error comes back inside the node. */
  send_str(n, s, host_ip[0], 9998, "me?");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_udp_counters(l.u[0])->no_port, 1);
  ck_assert_uint_eq(seen.n, 2);
  ck_assert_uint_eq(seen.code, NS_ICMP_PORT_UNREACH);
  ck_assert_uint_eq(seen.quoted_dport, 9998);
  ck_assert_uint_eq(errs.n, 2);
  ck_assert_uint_eq(errs.last.dport, 9998);
  /* Another socket's port: not this socket's business. */
  NsUdpSocket *other = open_ok(l.u[0], ANY, 0, NULL);
  send_str(n, other, host_ip[3], 9997, "x");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(seen.n, 3);
  ck_assert_uint_eq(errs.n, 2);
  ck_assert_uint_eq(ns_udp_socket_counters(other)->icmp_errors, 1);
  ns_ipnode_remove_icmp_listener(l.h[0], icmp_seen, &seen);
  net_free(n);
}
END_TEST

/* ---- broadcast ----------------------------------------------------------- */

START_TEST(test_udp_broadcast_stays_on_lan) {
  Lans l = lans_new(TRUE);
  Net *n = l.n;
  NsUdpSocket *rx[4];
  for (guint i = 1; i < 4; i++)
    rx[i] = open_ok(l.u[i], ANY, 9000, NULL);
  NsUdpSocket *rs = open_ok(l.ur, ANY, 9000, NULL);
  /* Bound to its own unicast address: no broadcasts. */
  NsUdpSocket *h3_own = open_ok(l.u[2], host_ip[2], 9000, NULL);
  NsUdpSocket *tx = open_ok(l.u[0], ANY, 0, NULL);

  send_str(n, tx, NS_IP4(255, 255, 255, 255), 9000, "all");
  run_for(n, 100 * NS_MSEC);
  send_str(n, tx, NS_IP4(10, 0, 1, 255), 9000, "lan a");
  run_for(n, 100 * NS_MSEC);
  for (guint i = 1; i < 3; i++) {
    ck_assert_uint_eq(ns_udp_pending(rx[i]), 2);
    expect_recv(rx[i], "all", host_ip[0], 0);
    expect_recv(rx[i], "lan a", host_ip[0], 0);
  }
  ck_assert_uint_eq(ns_udp_pending(rs), 2); /* the router is on LAN A too */
  ck_assert_uint_eq(ns_udp_pending(h3_own), 0);
  ck_assert_uint_eq(ns_udp_pending(rx[3]), 0);
  gint e = ev_find(n, 0, "h2", "udp/deliver");
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->why,
                               "broadcast to 255.255.255.255: a copy to every "
                               "socket on port 9000"));

  /* LAN B's directed broadcast goes to r1, which does not pass it on. */
  guint64 stopped = ns_ipnode_counters(l.r).no_forward_bcast;
  send_str(n, tx, NS_IP4(10, 0, 2, 255), 9000, "lan b");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(l.r).no_forward_bcast, stopped + 1);
  ck_assert_uint_eq(ns_udp_pending(rx[3]), 0);
  ck_assert_uint_eq(ns_udp_pending(rs), 2);
  ck_assert_uint_eq(ns_ipnode_counters(l.h[3]).ip_rx, 0);

  /* A broadcast to a port nobody listens on: dropped, no ICMP, counted
   * apart from unicast (Linux's IgnoredMulti). */
  guint64 ignored = ns_udp_counters(l.u[1])->ignored_multi;
  send_str(n, tx, NS_IP4(255, 255, 255, 255), 9001, "void");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_ipnode_counters(l.h[0]).icmp_rx, 0);
  ck_assert_uint_eq(ns_udp_counters(l.u[1])->no_port, 0);
  ck_assert_uint_eq(ns_udp_counters(l.u[1])->ignored_multi, ignored + 1);
  ck_assert_int_ge(ev_find_text(n, 0, "h2", "udp/drop",
                                "255.255.255.255:9001: no socket on that port"),
                   0);
  net_free(n);
}
END_TEST

/* ---- multicast ----------------------------------------------------------- */

START_TEST(test_udp_multicast_only_joined) {
  Lans l = lans_new(TRUE);
  Net *n = l.n;
  NsUdpSocket *h2 = open_ok(l.u[1], ANY, 5000, NULL);
  NsUdpSocket *h3 = open_ok(l.u[2], ANY, 5000, NULL); /* never joins */
  NsUdpSocket *h4 = open_ok(l.u[3], ANY, 5000, NULL);
  NsUdpSocket *r = open_ok(l.ur, ANY, 5000, NULL);
  ns_udp_join(h2, GROUP);
  ns_udp_join(h4, GROUP); /* behind the router */
  ck_assert(ns_ipnode_is_member(l.h[1], GROUP));
  NsUdpSocket *tx = open_ok(l.u[0], ANY, 0, NULL);
  send_str(n, tx, GROUP, 5000, "news");
  run_for(n, 100 * NS_MSEC);
  expect_recv(h2, "news", host_ip[0], 0);
  ck_assert_uint_eq(ns_udp_pending(h3), 0);
  ck_assert_uint_eq(ns_ipnode_counters(l.h[2]).not_member, 1);
  ck_assert_uint_eq(ns_udp_pending(h4), 0);
  ck_assert_uint_eq(ns_ipnode_counters(l.h[3]).ip_rx, 0);
  ck_assert_uint_eq(ns_udp_pending(r), 0);
  ck_assert_uint_eq(ns_ipnode_counters(l.r).no_forward_bcast, 1);
  ck_assert_uint_eq(ns_ipnode_counters(l.r).forwarded, 0);
  gint e = ev_find(n, 0, "h3", "ip/drop");
  ck_assert_ptr_nonnull(
      strstr(ev_at(n, e)->why, "not a member of group 239.1.1.1"));
  e = ev_find(n, 0, "h2", "udp/deliver");
  ck_assert_ptr_nonnull(strstr(ev_at(n, e)->why, "multicast to group "
                                                 "239.1.1.1"));

  /* On the wire: the group MAC, TTL 1, a good UDP checksum. */
  NsFrame *f = probe_nth_type(l.p, NS_ETHERTYPE_IPV4, 0);
  ck_assert_ptr_nonnull(f);
  NsMac mac = {{0x01, 0x00, 0x5e, 0x01, 0x01, 0x01}};
  ck_assert(ns_mac_equal(ns_eth_dst(f->data), mac));
  NsIpv4Hdr ip;
  ck_assert(frame_ipv4(f, &ip));
  ck_assert_uint_eq(ip.ttl, 1);
  ck_assert_uint_eq(ip.src.v, host_ip[0].v);
  const guint8 *u = f->data + NS_ETH_HLEN + ip.hlen;
  NsUdpHdr uh;
  ck_assert(ns_udp_parse(u, ns_ipv4_payload_len(&ip), &uh, NULL));
  ck_assert_uint_ne(uh.csum, 0);
  ck_assert(ns_udp_checksum_ok(u, uh.len, ip.src, ip.dst));

  /* A socket bound to the group takes it; one bound to another does not. */
  ns_udp_join(h3, GROUP);
  NsUdpSocket *h3g = open_ok(l.u[2], GROUP, 5000, NULL);
  NsUdpSocket *h3o = open_ok(l.u[2], NS_IP4(239, 2, 2, 2), 5000, NULL);
  send_str(n, tx, GROUP, 5000, "two");
  run_for(n, 100 * NS_MSEC);
  expect_recv(h3, "two", host_ip[0], 0);
  expect_recv(h3g, "two", host_ip[0], 0);
  ck_assert_uint_eq(ns_udp_pending(h3o), 0);

  /* Joins count: h2 joins through a second socket, leaves through the
   * first: still a member.  Closing the second leaves for good. */
  NsUdpSocket *h2b = open_ok(l.u[1], ANY, 5001, NULL);
  ns_udp_join(h2b, GROUP);
  ck_assert(ns_udp_leave(h2, GROUP));
  ck_assert(ns_ipnode_is_member(l.h[1], GROUP));
  ns_udp_close(h2b);
  ck_assert(!ns_ipnode_is_member(l.h[1], GROUP));
  expect_recv(h2, "two", host_ip[0], 0);
  send_str(n, tx, GROUP, 5000, "gone");
  run_for(n, 100 * NS_MSEC);
  ck_assert_uint_eq(ns_udp_pending(h2), 0);
  ck_assert_uint_eq(ns_ipnode_counters(l.h[1]).not_member, 1);
  ck_assert_uint_eq(ns_udp_pending(h3), 1);
  /* All hosts (224.0.0.1) reach every host without a join. */
  send_str(n, tx, NS_IP4(224, 0, 0, 1), 5000, "hi all");
  run_for(n, 100 * NS_MSEC);
  expect_recv(h2, "hi all", host_ip[0], 0);
  ck_assert_uint_eq(ns_udp_pending(h4), 0);
  ck_assert_uint_eq(ns_udp_pending(r), 0);
  net_free(n);
}
END_TEST

START_TEST(test_udp_close_leaves_groups) {
  Net *n = net_new(FALSE);
  NsIpNode *h = add_node(n, "h1", FALSE);
  ns_ipnode_add_iface(h, "eth0", PFX(10, 0, 0, 1, 24), ns_mac_local(1));
  NsUdp *u = ns_udp_new(h); /* freed by hand below */
  NsIp4 g2 = NS_IP4(239, 2, 2, 2);
  NsUdpSocket *a = open_ok(u, ANY, 5000, NULL);
  NsUdpSocket *b = open_ok(u, ANY, 5001, NULL);
  ns_udp_join(a, GROUP);
  ns_udp_join(a, GROUP); /* once per socket */
  ns_udp_join(a, g2);
  ns_udp_join(b, GROUP);
  ck_assert(!ns_udp_leave(b, g2)); /* never joined through b: nothing */
  ck_assert_uint_eq(ns_ipnode_n_groups(h), 3);
  ns_udp_close(a);
  ck_assert(ns_ipnode_is_member(h, GROUP));
  ck_assert(!ns_ipnode_is_member(h, g2));
  ns_udp_free(u); /* closes b */
  ck_assert(!ns_ipnode_is_member(h, GROUP));
  ck_assert_uint_eq(ns_ipnode_n_groups(h), 1);
  ck_assert_uint_eq(ns_ipnode_group(h, 0).v, NS_IP4(224, 0, 0, 1).v);
  net_free(n);
}
END_TEST

/* ---- the receive queue --------------------------------------------------- */

START_TEST(test_udp_queue_bounded) {
  HostBench hb = host_bench(TRUE, TRUE);
  Net *n = hb.net;
  NsUdp *u = add_udp(n, hb.h);
  NsUdpSocket *rx = open_ok(u, ANY, 9000, NULL);
  NsUdpSocket *tx = open_ok(u, ANY, 0, NULL);
  NsIp4 me = NS_IP4(10, 0, 0, 1);
  /* To itself: the loopback queue takes them all at once. */
  for (guint i = 0; i < NS_UDP_RX_QUEUE_MAX + 4; i++) {
    char text[8];
    g_snprintf(text, sizeof text, "%u", i);
    send_str(n, tx, me, 9000, text);
  }
  run_for(n, NS_MSEC);
  ck_assert_uint_eq(ns_udp_pending(rx), NS_UDP_RX_QUEUE_MAX);
  ck_assert_uint_eq(ns_udp_socket_counters(rx)->overflow, 4);
  ck_assert_uint_eq(ns_udp_socket_counters(rx)->rx, NS_UDP_RX_QUEUE_MAX);
  ck_assert_uint_eq(ns_udp_counters(u)->rx_overflow, 4);
  ck_assert_int_ge(ev_find_text(n, 0, "h1", "udp/drop",
                                "queue full (256 "
                                "datagrams)"),
                   0);
  /* Oldest first; the newest were dropped. */
  expect_recv(rx, "0", me, ns_udp_local_port(tx));
  expect_recv(rx, "1", me, ns_udp_local_port(tx));
  /* Reading and writing around the ring keeps the order: the k-th
   * datagram read is number k, past the four that overflowed. */
  guint n_read = 2, next_in = NS_UDP_RX_QUEUE_MAX + 4;
  for (guint round = 0; round < 200; round++) {
    char text[8];
    for (guint k = 0; k < 2; k++) {
      g_snprintf(text, sizeof text, "%u", next_in++);
      send_str(n, tx, me, 9000, text);
    }
    run_for(n, NS_USEC);
    for (guint k = 0; k < 2; k++, n_read++) {
      g_snprintf(text, sizeof text, "%u",
                 n_read < NS_UDP_RX_QUEUE_MAX ? n_read : n_read + 4);
      expect_recv(rx, text, me, 0);
    }
  }
  ck_assert_uint_eq(ns_udp_socket_counters(rx)->overflow, 4);
  /* Closing drops what is queued (the leak check counts on it). */
  ck_assert_uint_gt(ns_udp_pending(rx), 0);
  ns_udp_close(rx);
  net_free(n);
}
END_TEST

/* ---- callbacks that change the table ------------------------------------- */

typedef struct {
  NsUdp *udp;
  NsUdpSocket *victim; /* closed by the first callback */
  NsUdpSocket *opened; /* opened by it in the victim's place */
  guint calls;
} Closer;

static void close_other(NsUdpSocket *s, NsTime now, gpointer data) {
  (void)now;
  Closer *c = data;
  c->calls++;
  if (c->victim != NULL) {
    ns_udp_close(c->victim);
    c->victim = NULL;
    c->opened = open_ok(c->udp, GROUP, 5000, NULL);
    ck_assert_uint_eq(ns_udp_n_sockets(c->udp), 2);
    ck_assert_ptr_eq(ns_udp_socket(c->udp, 1), c->opened);
  }
  ns_udp_close(s); /* and itself */
}

START_TEST(test_udp_callback_closes_sockets) {
  Lans l = lans_new(FALSE);
  Net *n = l.n;
  NsUdp *u = l.u[1];
  Closer c = {u, NULL, NULL, 0};
  NsUdpCallbacks cb = {.readable = close_other, .data = &c};
  open_ok(u, ANY, 5000, &cb);
  c.victim = open_ok(u, GROUP, 5000, &cb);
  ns_ipnode_join(l.h[1], GROUP);
  NsUdpSocket *tx = open_ok(l.u[0], ANY, 0, NULL);
  send_str(n, tx, GROUP, 5000, "x");
  run_for(n, 100 * NS_MSEC);
  /* The wildcard socket was called, closed the group socket (never called)
   * and itself; the new one was not offered this datagram. */
  ck_assert_uint_eq(c.calls, 1);
  ck_assert_uint_eq(ns_udp_n_sockets(u), 1);
  ck_assert_ptr_eq(ns_udp_socket(u, 0), c.opened);
  ck_assert_uint_eq(ns_udp_pending(c.opened), 0);
  ck_assert_uint_eq(ns_udp_counters(u)->rx, 1);
  send_str(n, tx, GROUP, 5000, "y");
  run_for(n, 100 * NS_MSEC);
  expect_recv(c.opened, "y", host_ip[0], 0);
  ns_ipnode_leave(l.h[1], GROUP);
  net_free(n);
}
END_TEST

Suite *test_udp_socket_suite(void) {
  Suite *s = suite_create("udp-socket");
  TCase *tc = test_tcase("udp-socket");
  tcase_add_test(tc, test_udp_bind_rules);
  tcase_add_test(tc, test_udp_unicast_across_switch);
  tcase_add_test(tc, test_udp_unicast_across_router);
  tcase_add_test(tc, test_udp_send_without_route);
  tcase_add_test(tc, test_icmp_listeners_change_while_dispatching);
  tcase_add_test(tc, test_udp_bad_checksum_and_malformed_dropped);
  tcase_add_test(tc, test_udp_closed_port_icmp_unreachable);
  tcase_add_test(tc, test_udp_broadcast_stays_on_lan);
  tcase_add_test(tc, test_udp_multicast_only_joined);
  tcase_add_test(tc, test_udp_close_leaves_groups);
  tcase_add_test(tc, test_udp_queue_bounded);
  tcase_add_test(tc, test_udp_callback_closes_sockets);
  suite_add_tcase(s, tc);
  return s;
}

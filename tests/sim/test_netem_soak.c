/* test_netem_soak.c — TCP over the harshest links netsim makes.
 *
 * The course's two-LAN network with every netem impairment (net/link.h) on
 * each host's cable: about 5 % loss in Gilbert-Elliott bursts (p 2.5 %,
 * r 50 %: bursts of 2 frames on average), 1 % duplicates, 1 % corrupted
 * frames, 1 ms of jitter around 2 ms of delay, 2 % reordered; and the
 * router's link to sw2 taken down for 300 ms in the middle.  Per seed, h1
 * sends 100 kB to h3's TCP echo service and h2 asks h3's web server for
 * its page.  Then: every byte came back in order exactly once (the echo is
 * byte-identical, the page is exactly its header plus Content-Length
 * bytes), both sides closed, nothing is left on a link, no frame leaked
 * (the fixture), and on every link direction
 *   offered + duplicated = delivered + every drop
 * with the receiving NIC counting exactly what was delivered.
 *
 * Why not longer bursts: the model's state moves per frame, so on a
 * direction that carries one retransmission a minute a bad spell lasts
 * minutes, and with r = 30 % about one seed in 50 loses 12 retransmissions
 * in a row and TCP rightly gives up (r = 50 %: none in 3,000 seeds).  A
 * connection attempt that fails for want of ARP is retried, as an
 * application would.
 *
 * SEEDS runs: under a second of CPU (a few seconds with sanitizers).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/network.h"
#include "testutil.h"

#define SEEDS 50
#define ECHO_BYTES 100000

/* Every impairment at once, written as a topology file writes it. */
#define HARSH                                                                  \
  "delay=2ms jitter=1ms loss=gemodel:2.5%:50% duplicate=1% corrupt=1% "        \
  "reorder=2%"

static const char two_lans[] =
    "[switch sw1]\n[switch sw2]\n"
    "[router r1]\n"
    "eth0 = 192.168.1.1/24 @ sw1\n"
    "eth1 = 192.168.2.1/24 @ sw2\n"
    "[host h1]\nip = 192.168.1.10/24\ngateway = 192.168.1.1\n"
    "link = sw1 " HARSH "\n"
    "[host h2]\nip = 192.168.1.11/24\ngateway = 192.168.1.1\n"
    "link = sw1 " HARSH "\n"
    "[host h3]\nip = 192.168.2.10/24\ngateway = 192.168.2.1\n"
    "link = sw2 " HARSH "\n"
    "services = tcp-echo 7; http 80\n";

typedef struct {
  guint64 seed;
  guint64 corrupted, duplicated, reordered, lost, flap_drops; /* summed */
  guint64 caught; /* receivers' checksum and parse drops, summed */
} Soak;

/* offered + duplicated = delivered + in flight + every drop (link.h), and
 * the far NIC counts what was delivered. */
static void assert_adds_up(NsNetLink *l, guint side, Soak *k) {
  const NsLinkDirStats s = ns_link_stats(l->link, side);
  const NsNic *from = ns_link_nic(l->link, side);
  const NsNic *to = ns_link_nic(l->link, side ^ 1);
  guint64 drops = 0;
  for (guint r = 0; r < NS_DROP_N_REASONS; r++)
    drops += s.drops[r];
  ck_assert_msg(from->counters.tx_frames + from->counters.tx_dropped +
                        s.duplicated ==
                    s.delivered + ns_link_in_flight(l->link, side) + drops,
                "seed %" G_GUINT64_FORMAT " %s: counters do not add up",
                k->seed, side ? l->b_label : l->a_label);
  ck_assert_uint_eq(s.sent, from->counters.tx_frames);
  ck_assert_uint_eq(to->counters.rx_frames, s.delivered);
  ck_assert_uint_eq(ns_link_in_flight(l->link, side), 0);
  k->corrupted += s.corrupted;
  k->duplicated += s.duplicated;
  k->reordered += s.reordered;
  k->lost += s.drops[NS_DROP_LOSS];
  k->flap_drops += s.drops[NS_DROP_LINK_DOWN];
}

/* The length the web page should have once whole (its header plus
 * Content-Length), or 0 while the header is incomplete. */
static gsize page_length(const GByteArray *got) {
  g_autofree char *text = g_strndup((const char *)got->data, got->len);
  const char *end = text != NULL ? strstr(text, "\r\n\r\n") : NULL;
  const char *cl = text != NULL ? strstr(text, "Content-Length: ") : NULL;
  if (end == NULL || cl == NULL || cl > end)
    return 0;
  return (gsize)(end + 4 - text) + g_ascii_strtoull(cl + 16, NULL, 10);
}

/* The web page: a 200 header with Content-Length, then exactly that many
 * bytes. */
static void assert_one_page(const GByteArray *got, guint64 seed) {
  ck_assert_msg(
      got->len > 17 && memcmp(got->data, "HTTP/1.1 200 OK\r\n", 17) == 0,
      "seed %" G_GUINT64_FORMAT ": no 200 answer (%u bytes)", seed, got->len);
  gsize want = page_length(got);
  ck_assert_msg(want > 0 && got->len == want,
                "seed %" G_GUINT64_FORMAT ": page of %u bytes, expected %zu",
                seed, got->len, want);
}

/* Runs a second at a time until done(data) or limit: timers (RTOs up to a
 * minute) keep running where ns_net_run_idle would stop. */
static void run_while(NsNet *net, gboolean (*done)(NsClient *const *),
                      NsClient *const *cl, NsTime limit) {
  while (!done(cl) && ns_net_now(net) < limit)
    ns_net_run_until(net, ns_net_now(net) + NS_SEC);
}

static gboolean all_received(NsClient *const *cl) {
  return ns_client_tcp_received(cl[0])->len >= ECHO_BYTES &&
         page_length(ns_client_tcp_received(cl[1])) > 0 &&
         ns_client_tcp_received(cl[1])->len >=
             page_length(ns_client_tcp_received(cl[1]));
}

static gboolean all_closed(NsClient *const *cl) {
  return ns_tcp_state(ns_client_tcp(cl[0])) == NS_TCP_CLOSED &&
         ns_tcp_state(ns_client_tcp(cl[1])) == NS_TCP_CLOSED;
}

/* Connects from's client to h3:port, trying again (as an application
 * would) when a try ends without a connection: three ARP requests in a
 * row can all be lost in a burst, and then the SYN has nowhere to go. */
static NsClient *connect_to(NsNet *net, const char *from, guint16 port,
                            guint64 seed) {
  NsClient *cl = ns_net_client(net, ns_net_find(net, from));
  for (guint attempt = 0; attempt < 10; attempt++) {
    ck_assert(ns_client_tcp_connect(cl, NS_IP4(192, 168, 2, 10), port,
                                    ns_net_now(net), NULL));
    NsTime limit = ns_net_now(net) + 60 * NS_SEC;
    NsTcpState st = ns_tcp_state(ns_client_tcp(cl));
    while (st != NS_TCP_ESTABLISHED && st != NS_TCP_CLOSED &&
           ns_net_now(net) < limit) {
      ns_net_run_until(net, ns_net_now(net) + 10 * NS_MSEC);
      st = ns_tcp_state(ns_client_tcp(cl));
    }
    if (st == NS_TCP_ESTABLISHED)
      return cl;
  }
  ck_abort_msg("seed %" G_GUINT64_FORMAT ": %s never connected to h3:%u", seed,
               from, port);
  return NULL;
}

static void flap(NsNet *net, NsTime at, NsTime down_for) {
  NsNetLink *l = ns_net_find_link(net, "r1:eth1", "sw2");
  ck_assert(l != NULL);
  ns_net_run_until(net, at);
  ns_link_set_up(l->link, FALSE, ns_net_now(net));
  ns_net_run_until(net, at + down_for);
  ns_link_set_up(l->link, TRUE, ns_net_now(net));
}

static void soak_one(const NsTopology *topo, const guint8 *data, Soak *k) {
  NsNet *net = ns_net_new(topo, k->seed);
  NsClient *echo = connect_to(net, "h1", 7, k->seed);
  NsClient *web = connect_to(net, "h2", 80, k->seed);
  static const char get[] = "GET / HTTP/1.1\r\nHost: h3\r\n\r\n";
  NsTime start = ns_net_now(net);
  ck_assert(ns_client_tcp_send(echo, data, ECHO_BYTES, start, NULL));
  ck_assert(
      ns_client_tcp_send(web, (const guint8 *)get, strlen(get), start, NULL));
  flap(net, start + 150 * NS_MSEC, 300 * NS_MSEC);
  NsClient *const both[2] = {echo, web};
  run_while(net, all_received, both, start + 3600 * NS_SEC);
  const GByteArray *back = ns_client_tcp_received(echo);
  ck_assert_msg(back->len == ECHO_BYTES &&
                    memcmp(back->data, data, ECHO_BYTES) == 0,
                "seed %" G_GUINT64_FORMAT
                ": %u of %u bytes came back intact (%s, at %.0f s)",
                k->seed, back->len, ECHO_BYTES,
                ns_tcp_state_name(ns_tcp_state(ns_client_tcp(echo))),
                (double)ns_net_now(net) / NS_SEC);
  assert_one_page(ns_client_tcp_received(web), k->seed);
  ns_client_tcp_close(echo, ns_net_now(net), NULL);
  ns_client_tcp_close(web, ns_net_now(net), NULL);
  run_while(net, all_closed, both, ns_net_now(net) + 3600 * NS_SEC);
  ck_assert_msg(all_closed(both), "seed %" G_GUINT64_FORMAT ": %s and %s",
                k->seed, ns_tcp_state_name(ns_tcp_state(ns_client_tcp(echo))),
                ns_tcp_state_name(ns_tcp_state(ns_client_tcp(web))));
  ns_net_run_idle(net, ns_net_now(net) + 60 * NS_SEC);
  for (guint i = 0; i < ns_net_n_links(net); i++)
    for (guint side = 0; side < 2; side++)
      assert_adds_up(ns_net_link(net, i), side, k);
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    if (n->ip == NULL)
      continue;
    k->caught += ns_ipnode_counters(n->ip).malformed +
                 ns_tcp_counters(ns_net_node_tcp(n))->bad_checksum;
  }
  ck_assert_int_eq(ns_net_ctx(net)->in_flight, 0);
  ns_net_free(net);
}

START_TEST(test_soak) {
  GError *e = NULL;
  g_autoptr(NsTopology) topo =
      ns_topology_load_data(two_lans, -1, "two_lans.conf", &e);
  ck_assert_msg(topo != NULL, "%s", e ? e->message : "?");
  guint8 *data = g_malloc(ECHO_BYTES);
  for (gsize i = 0; i < ECHO_BYTES; i++)
    data[i] = (guint8)(i * 13 + (i >> 8));
  Soak total = {0};
  for (guint64 seed = 1; seed <= SEEDS; seed++) {
    Soak k = {.seed = seed};
    soak_one(topo, data, &k);
    total.corrupted += k.corrupted;
    total.duplicated += k.duplicated;
    total.reordered += k.reordered;
    total.lost += k.lost;
    total.flap_drops += k.flap_drops;
    total.caught += k.caught;
  }
  g_free(data);
  /* The impairments really happened, and the checksums caught most of
   * the corruption (a flip in a MAC or ARP field is no checksum's). */
  ck_assert_uint_gt(total.corrupted, 50);
  ck_assert_uint_gt(total.duplicated, 50);
  ck_assert_uint_gt(total.reordered, 100);
  ck_assert_uint_gt(total.lost, 250);
  ck_assert_uint_gt(total.flap_drops, 0);
  ck_assert_msg(total.caught * 2 > total.corrupted,
                "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                " corrupted frames caught",
                total.caught, total.corrupted);
}
END_TEST

Suite *test_netem_soak_suite(void) {
  Suite *s = suite_create("netem_soak");
  TCase *tc = test_tcase("soak");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_soak);
  suite_add_tcase(s, tc);
  return s;
}

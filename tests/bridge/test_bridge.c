/* test_bridge.c — real sockets on 127.0.0.1 through a bridge into a small
 * simulated network (h1, the bridge br on sw1; h3 with echo services on
 * the same LAN) on a real-time clock, driven from this test with
 * non-blocking sockets while the clock's context is iterated.  The rules
 * are set by hand, so that this suite tests bridge/ whatever the
 * topology syntax.  Timing is never asserted: waits only have generous
 * limits that mean "hung". */
#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include "bridge/bridge.h"
#include "testutil.h"

static const char lan[] =
    "[switch sw1]\n"
    "[host h1]\nip = 10.0.0.1/24\nlink = sw1\n"
    "[bridge br]\nip = 10.0.0.200/24\nlink = sw1\n"
    "listen = tcp:127.0.0.1:0 -> h3:7\n"
    "[host h3]\nip = 10.0.0.3/24\nlink = sw1\n"
    "services = tcp-echo:7; udp-echo:7; tcp-reply:8080 i am server\n";

#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

typedef struct {
  NsTopology *topo;
  NsNet *net;
  GMainContext *context;
  NsClock *clock;
  NsBridges *bridges;
} Fx;

static NsBridgeRule rule(NsBridgeDir dir, NsBridgeProto proto, NsIp4 outside,
                         guint16 oport, NsIp4 sim, guint16 sport) {
  return (NsBridgeRule){.dir = dir,
                        .proto = proto,
                        .outside_addr = outside,
                        .outside_port = oport,
                        .sim_addr = sim,
                        .sim_port = sport,
                        .text = g_strdup("test rule")};
}

static void clear_rule(gpointer p) {
  NsBridgeRule *r = p;
  g_free(r->sim_name);
  g_free(r->text);
}

/* The bridge's section gets rules (copied) and max_conns. */
static void set_rules(Fx *fx, const NsBridgeRule *rules, guint n,
                      guint max_conns) {
  NsTopoNode *tn =
      g_ptr_array_index(fx->topo->nodes, ns_topology_find(fx->topo, "br"));
  if (tn->bridge == NULL)
    tn->bridge = g_new0(NsTopoBridge, 1);
  if (tn->bridge->rules == NULL) {
    tn->bridge->rules = g_array_new(FALSE, TRUE, sizeof(NsBridgeRule));
    g_array_set_clear_func(tn->bridge->rules, clear_rule);
  }
  g_array_set_size(tn->bridge->rules, 0);
  g_array_append_vals(tn->bridge->rules, rules, n);
  tn->bridge->max_conns = max_conns;
  tn->bridge->udp_timeout = 60 * NS_SEC;
}

static Fx *fx_new(void) {
  Fx *fx = g_new0(Fx, 1);
  GError *e = NULL;
  fx->topo = ns_topology_load_data(lan, -1, "lan.conf", &e);
  ck_assert_msg(fx->topo != NULL, "%s", e ? e->message : "?");
  fx->net = ns_net_new(fx->topo, 1);
  fx->context = g_main_context_new();
  fx->clock = ns_clock_new(fx->net, NS_CLOCK_REALTIME, fx->context);
  return fx;
}

static void fx_open(Fx *fx) {
  GError *e = NULL;
  fx->bridges = ns_bridges_new(fx->net, fx->clock, fx->topo, &e);
  ck_assert_msg(fx->bridges != NULL, "%s", e ? e->message : "?");
}

static void fx_free(Fx *fx) {
  ns_bridges_free(fx->bridges);
  ns_clock_free(fx->clock);
  g_main_context_unref(fx->context);
  ns_net_free(fx->net);
  ns_topology_free(fx->topo);
  g_free(fx);
}

static NsBridge *br(Fx *fx) { return ns_bridges_find(fx->bridges, "br"); }

static const NsBridgeCounters *ctr(Fx *fx) {
  return ns_bridge_counters(br(fx));
}

/* Iterates the context (the clock, the bridge's sockets) once. */
static void spin(Fx *fx) {
  if (!g_main_context_iteration(fx->context, FALSE))
    g_usleep(200);
}

static guint16 bound_port(Fx *fx, guint i) {
  NsBridgeRuleInfo info;
  ns_bridge_rule_info(br(fx), i, &info);
  return info.bound_port;
}

/* How a read_until ended early. */
enum { GOT_ALL, GOT_EOF, GOT_RESET };

/* Reads from s into got until it holds want bytes, or EOF/reset (then
 * *ended says which).  Fails the test when that takes too long. */
static void read_until(Fx *fx, GSocket *s, GString *got, gsize want,
                       int *ended) {
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  *ended = GOT_ALL;
  while (got->len < want) {
    char buf[4096];
    GError *e = NULL;
    gssize n = g_socket_receive(s, buf, sizeof buf, NULL, &e);
    if (n > 0) {
      g_string_append_len(got, buf, n);
      continue;
    }
    if (n == 0 || !g_error_matches(e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      *ended = n == 0 ? GOT_EOF : GOT_RESET;
      g_clear_error(&e);
      return;
    }
    g_clear_error(&e);
    ck_assert_msg(g_get_monotonic_time() < until, "no answer in time");
    spin(fx);
  }
}

static void send_all(Fx *fx, GSocket *s, const char *data, gsize len) {
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while (len > 0) {
    GError *e = NULL;
    gssize n = g_socket_send(s, data, len, NULL, &e);
    if (n > 0) {
      data += n;
      len -= (gsize)n;
      continue;
    }
    ck_assert_msg(g_error_matches(e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK), "%s",
                  e ? e->message : "?");
    g_clear_error(&e);
    ck_assert_msg(g_get_monotonic_time() < until, "could not send in time");
    spin(fx);
  }
}

static void spin_until_closed(Fx *fx, guint64 closed) {
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while (ctr(fx)->closed < closed) {
    ck_assert_msg(g_get_monotonic_time() < until, "relay did not end");
    spin(fx);
  }
}

static const NsIp4 lo = {0x7f000001};
static const NsIp4 h3 = {0x0a000003};

START_TEST(test_tcp_listen_echo) {
  Fx *fx = fx_new();
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, lo, 0, h3, 7);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  ck_assert_uint_ne(bound_port(fx, 0), 0);
  GSocket *s = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  send_all(fx, s, "hello", 5);
  g_autoptr(GString) got = g_string_new(NULL);
  int ended;
  read_until(fx, s, got, 5, &ended);
  ck_assert_str_eq(got->str, "hello");
  ck_assert_uint_eq(ctr(fx)->accepted, 1);
  ck_assert_uint_eq(ctr(fx)->active, 1);
  ck_assert_uint_eq(ns_bridge_n_conns(br(fx)), 1);
  /* Half-close: the echo service closes after us, every byte first. */
  g_socket_shutdown(s, FALSE, TRUE, NULL);
  read_until(fx, s, got, 6, &ended);
  ck_assert_int_eq(ended, GOT_EOF);
  ck_assert_str_eq(got->str, "hello");
  spin_until_closed(fx, 1);
  ck_assert_uint_eq(ctr(fx)->bytes_in, 5);
  ck_assert_uint_eq(ctr(fx)->bytes_out, 5);
  ck_assert_uint_eq(ctr(fx)->resets, 0);
  ck_assert_uint_eq(ctr(fx)->active, 0);
  g_object_unref(s);
  fx_free(fx);
}
END_TEST

START_TEST(test_tcp_listen_bulk) {
  Fx *fx = fx_new();
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, lo, 0, h3, 7);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  GSocket *s = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  /* More than every buffer on the way holds: both ways must flow at once
   * without anything lost. */
  gsize len = 600 * 1024;
  char *data = g_malloc(len);
  for (gsize i = 0; i < len; i++)
    data[i] = (char)(i * 7 + i / 251);
  g_autoptr(GString) got = g_string_new(NULL);
  gsize sent = 0;
  gint64 until = g_get_monotonic_time() + 4 * WAIT_LIMIT_US;
  while (got->len < len) {
    ck_assert_msg(g_get_monotonic_time() < until, "bulk echo hung at %zu/%zu",
                  got->len, sent);
    if (sent < len) {
      gssize n =
          g_socket_send(s, data + sent, MIN(len - sent, 8192), NULL, NULL);
      if (n > 0)
        sent += (gsize)n;
    }
    char buf[16384];
    gssize n = g_socket_receive(s, buf, sizeof buf, NULL, NULL);
    if (n > 0)
      g_string_append_len(got, buf, n);
    ck_assert_int_ne(n, 0);
    spin(fx);
  }
  ck_assert(memcmp(got->str, data, len) == 0);
  g_free(data);
  g_object_unref(s);
  fx_free(fx);
}
END_TEST

START_TEST(test_tcp_listen_refused) {
  Fx *fx = fx_new();
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, lo, 0, h3, 81);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  GSocket *s = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  g_autoptr(GString) got = g_string_new(NULL);
  int ended;
  read_until(fx, s, got, 1, &ended);
  ck_assert_int_eq(ended, GOT_RESET); /* the simulated RST, passed on */
  ck_assert_uint_eq(got->len, 0);
  ck_assert_uint_eq(ctr(fx)->refused, 1);
  ck_assert_uint_eq(ctr(fx)->active, 0);
  g_object_unref(s);
  fx_free(fx);
}
END_TEST

START_TEST(test_tcp_listen_limit) {
  Fx *fx = fx_new();
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, lo, 0, h3, 7);
  set_rules(fx, &r, 1, 2);
  fx_open(fx);
  GSocket *a = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  GSocket *b = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while (ctr(fx)->accepted < 2) {
    ck_assert(g_get_monotonic_time() < until);
    spin(fx);
  }
  GSocket *c = test_loopback_client(G_SOCKET_TYPE_STREAM, bound_port(fx, 0));
  g_autoptr(GString) got = g_string_new(NULL);
  int ended;
  read_until(fx, c, got, 1, &ended);
  ck_assert_int_eq(ended, GOT_RESET);
  ck_assert_uint_eq(ctr(fx)->refused, 1);
  ck_assert_uint_eq(ctr(fx)->accepted, 2);
  g_object_unref(a);
  g_object_unref(b);
  g_object_unref(c);
  fx_free(fx);
}
END_TEST

START_TEST(test_udp_listen_two_peers) {
  Fx *fx = fx_new();
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_UDP, lo, 0, h3, 7);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  GSocket *a = test_loopback_client(G_SOCKET_TYPE_DATAGRAM, bound_port(fx, 0));
  GSocket *b = test_loopback_client(G_SOCKET_TYPE_DATAGRAM, bound_port(fx, 0));
  send_all(fx, a, "from a", 6);
  send_all(fx, b, "from b", 6);
  g_autoptr(GString) ga = g_string_new(NULL);
  g_autoptr(GString) gb = g_string_new(NULL);
  int ended;
  read_until(fx, a, ga, 6, &ended);
  read_until(fx, b, gb, 6, &ended);
  ck_assert_str_eq(ga->str, "from a");
  ck_assert_str_eq(gb->str, "from b");
  ck_assert_uint_eq(ctr(fx)->udp_mappings, 2);
  ck_assert_uint_eq(ctr(fx)->udp_in, 2);
  ck_assert_uint_eq(ctr(fx)->udp_out, 2);
  ck_assert_uint_eq(ns_bridge_n_conns(br(fx)), 2);
  g_object_unref(a);
  g_object_unref(b);
  fx_free(fx);
}
END_TEST

/* A simulated client (h1) reaches a real one-shot server through a
 * connect rule: the course's server.py, in C. */
START_TEST(test_tcp_connect_server) {
  Fx *fx = fx_new();
  GError *e = NULL;
  GSocket *srv =
      g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &e);
  g_autoptr(GInetAddress) loa =
      g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loa, 0);
  ck_assert(g_socket_bind(srv, any, TRUE, &e));
  ck_assert(g_socket_listen(srv, &e));
  g_socket_set_blocking(srv, FALSE);
  g_autoptr(GSocketAddress) at = g_socket_get_local_address(srv, &e);
  guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(at));
  NsBridgeRule r =
      rule(NS_BRIDGE_CONNECT, NS_BRIDGE_TCP, lo, port, (NsIp4){0}, 9000);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  NsNetNode *h1 = ns_net_find(fx->net, "h1");
  NsTcpConn *c = ns_tcp_connect(ns_net_node_tcp(h1), (NsIp4){0x0a0000c8}, 9000,
                                0, NULL, ns_net_now(fx->net), &e);
  ck_assert_msg(c != NULL, "%s", e ? e->message : "?");
  ns_tcp_send(c, (const guint8 *)"hello", 5, ns_net_now(fx->net));
  ns_clock_rearm(fx->clock);
  GSocket *conn = NULL;
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while ((conn = g_socket_accept(srv, NULL, NULL)) == NULL) {
    ck_assert(g_get_monotonic_time() < until);
    spin(fx);
  }
  g_socket_set_blocking(conn, FALSE);
  g_autoptr(GString) got = g_string_new(NULL);
  int ended;
  read_until(fx, conn, got, 5, &ended);
  ck_assert_str_eq(got->str, "hello");
  send_all(fx, conn, "i am server", 11);
  g_socket_close(conn, NULL);
  until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while (ns_tcp_readable(c) < 11 && !ns_tcp_eof(c)) {
    ck_assert(g_get_monotonic_time() < until);
    spin(fx);
  }
  guint8 buf[64] = {0};
  gsize n = ns_tcp_recv(c, buf, sizeof buf - 1, ns_net_now(fx->net));
  ck_assert_str_eq((char *)buf, "i am server");
  ck_assert_uint_eq(n, 11);
  ck_assert_uint_eq(ctr(fx)->connected, 1);
  ns_tcp_release(c);
  g_object_unref(conn);
  g_object_unref(srv);
  fx_free(fx);
}
END_TEST

/* A simulated peer's datagrams reach a real UDP server through a connect
 * rule, and its answer comes back from the bridge's port. */
START_TEST(test_udp_connect_server) {
  Fx *fx = fx_new();
  GError *e = NULL;
  GSocket *srv =
      g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, 0, &e);
  g_autoptr(GInetAddress) loa =
      g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loa, 0);
  ck_assert(g_socket_bind(srv, any, FALSE, &e));
  g_socket_set_blocking(srv, FALSE);
  g_autoptr(GSocketAddress) at = g_socket_get_local_address(srv, &e);
  guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(at));
  NsBridgeRule r =
      rule(NS_BRIDGE_CONNECT, NS_BRIDGE_UDP, lo, port, (NsIp4){0}, 5300);
  set_rules(fx, &r, 1, 16);
  fx_open(fx);
  NsNetNode *h1 = ns_net_find(fx->net, "h1");
  NsUdpSocket *us = ns_udp_open(ns_net_node_udp(h1), (NsIp4){0}, 0, NULL, &e);
  ck_assert(us != NULL);
  ck_assert(ns_udp_sendto(us, (NsIp4){0x0a0000c8}, 5300, (const guint8 *)"ping",
                          4, ns_net_now(fx->net), NULL));
  ns_clock_rearm(fx->clock);
  char buf[64] = {0};
  GSocketAddress *from = NULL;
  gint64 until = g_get_monotonic_time() + WAIT_LIMIT_US;
  gssize n;
  while ((n = g_socket_receive_from(srv, &from, buf, sizeof buf - 1, NULL,
                                    NULL)) < 0) {
    ck_assert(g_get_monotonic_time() < until);
    spin(fx);
  }
  ck_assert_str_eq(buf, "ping");
  ck_assert_int_eq(g_socket_send_to(srv, from, "pong", 4, NULL, &e), 4);
  g_object_unref(from);
  until = g_get_monotonic_time() + WAIT_LIMIT_US;
  while (ns_udp_pending(us) == 0) {
    ck_assert(g_get_monotonic_time() < until);
    spin(fx);
  }
  NsIp4 src;
  guint16 sport;
  GBytes *d = ns_udp_recvfrom(us, &src, &sport);
  gsize len;
  const char *data = g_bytes_get_data(d, &len);
  ck_assert_uint_eq(len, 4);
  ck_assert(memcmp(data, "pong", 4) == 0);
  ck_assert_uint_eq(src.v, 0x0a0000c8);
  ck_assert_uint_eq(sport, 5300);
  g_bytes_unref(d);
  ck_assert_uint_eq(ctr(fx)->udp_out, 1);
  ck_assert_uint_eq(ctr(fx)->udp_in, 1);
  ck_assert_uint_eq(ctr(fx)->udp_mappings, 1);
  ns_udp_close(us);
  g_object_unref(srv);
  fx_free(fx);
}
END_TEST

START_TEST(test_port_in_use) {
  Fx *fx = fx_new();
  GError *e = NULL;
  GSocket *taken =
      g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &e);
  g_autoptr(GInetAddress) loa =
      g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loa, 0);
  ck_assert(g_socket_bind(taken, any, TRUE, &e));
  ck_assert(g_socket_listen(taken, &e));
  g_autoptr(GSocketAddress) at = g_socket_get_local_address(taken, &e);
  guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(at));
  NsBridgeRule r = rule(NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, lo, port, h3, 7);
  set_rules(fx, &r, 1, 16);
  NsBridges *b = ns_bridges_new(fx->net, fx->clock, fx->topo, &e);
  ck_assert_ptr_null(b);
  ck_assert_ptr_nonnull(e);
  g_autofree char *p = g_strdup_printf("127.0.0.1:%u", port);
  ck_assert_msg(strstr(e->message, p) != NULL, "%s", e->message);
  ck_assert_msg(strstr(e->message, "[bridge br]") != NULL, "%s", e->message);
  g_error_free(e);
  g_object_unref(taken);
  fx_free(fx);
}
END_TEST

Suite *test_bridge_suite(void) {
  Suite *s = suite_create("bridge");
  TCase *tc = test_tcase("relays");
  tcase_add_test(tc, test_tcp_listen_echo);
  tcase_add_test(tc, test_tcp_listen_bulk);
  tcase_add_test(tc, test_tcp_listen_refused);
  tcase_add_test(tc, test_tcp_listen_limit);
  tcase_add_test(tc, test_udp_listen_two_peers);
  tcase_add_test(tc, test_tcp_connect_server);
  tcase_add_test(tc, test_udp_connect_server);
  tcase_add_test(tc, test_port_in_use);
  suite_add_tcase(s, tc);
  return s;
}

/* test_topology_bridge.c — [bridge NAME] sections: every accepted form of
 * listen, connect and forward parses to the right rule fields, the
 * defaults, node names resolved whichever comes first in the file, the
 * --check lines, and each error's message. */
#include <stdarg.h>
#include <string.h>

#include "config/topology.h"
#include "testutil.h"

#ifndef TOPO_DIR
#define TOPO_DIR "topologies"
#endif

/* Two LANs and a router; the bridge sections go in between (NET_HEAD)
 * or after h3 (NET_TAIL), so names resolve backward and forward. */
#define NET_HEAD                                                               \
  "[switch sw1]\n[switch sw2]\n"                                               \
  "[router r1]\neth0 = 192.168.1.1/24 @ sw1\neth1 = 192.168.2.1/24 @ sw2\n"
#define NET_H3                                                                 \
  "[host h3]\nip = 192.168.2.10/24\ngateway = 192.168.2.1\nlink = sw2\n"       \
  "services = tcp-echo:7; udp-echo:7; tcp-reply:8080 i am server; http:80\n"
/* The bridge web at 192.168.1.200 on sw1, then its other keys. */
#define WEB(keys)                                                              \
  "[bridge web]\nip = 192.168.1.200/24\ngateway = 192.168.1.1\nlink = sw1\n"   \
  "services = tcp-echo 7\n" keys "\n"

/* ---- helpers ------------------------------------------------------------- */

static NsTopology *load_ok(const char *text) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "b.conf", &e);
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  return t;
}

/* Loading text fails, and the message holds each of the NULL-terminated
 * fragments. */
static void load_fails(const char *text, ...) G_GNUC_NULL_TERMINATED;
static void load_fails(const char *text, ...) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "b.conf", &e);
  ck_assert_msg(t == NULL, "loaded:\n%s", text);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  ck_assert_msg(g_str_has_prefix(e->message, "b.conf: "), "%s", e->message);
  va_list ap;
  va_start(ap, text);
  for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
    ck_assert_msg(strstr(e->message, want) != NULL, "'%s' lacks '%s'",
                  e->message, want);
  va_end(ap);
  g_error_free(e);
}

/* A bridge [bridge web] with keys, in the two-LAN network, fails with
 * "[bridge web] KEY: " and the fragments. */
#define WEB_FAILS(keys, key, ...)                                              \
  load_fails(NET_HEAD WEB(keys) NET_H3, "b.conf: [bridge web] " key,           \
             __VA_ARGS__, NULL)

static const NsTopoBridge *bridge_of(const NsTopology *t, const char *name) {
  gint i = ns_topology_find(t, name);
  ck_assert_msg(i >= 0, "no node %s", name);
  const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
  ck_assert_int_eq(n->kind, NS_NODE_BRIDGE);
  ck_assert_ptr_nonnull(n->bridge);
  return n->bridge;
}

static const NsBridgeRule *rule(const NsTopoBridge *b, guint i) {
  ck_assert_uint_lt(i, b->rules->len);
  return &g_array_index(b->rules, NsBridgeRule, i);
}

/* Rule i is DIR PROTO OUTSIDE:PORT / SIM:PORT (NAME), written TEXT. */
typedef struct {
  NsBridgeDir dir;
  NsBridgeProto proto;
  const char *outside;
  guint16 outside_port;
  const char *sim;
  guint16 sim_port;
  const char *sim_name; /* NULL: none */
  const char *text;
} WantRule;

static void assert_rule(const NsTopoBridge *b, guint i, const WantRule *w) {
  const NsBridgeRule *r = rule(b, i);
  char o[NS_IP4_STRLEN], s[NS_IP4_STRLEN];
  ck_assert_msg(r->dir == w->dir, "rule %u dir", i);
  ck_assert_msg(r->proto == w->proto, "rule %u proto", i);
  ck_assert_str_eq(ns_ip4_format(r->outside_addr, o), w->outside);
  ck_assert_uint_eq(r->outside_port, w->outside_port);
  ck_assert_str_eq(ns_ip4_format(r->sim_addr, s), w->sim);
  ck_assert_uint_eq(r->sim_port, w->sim_port);
  if (w->sim_name == NULL)
    ck_assert_ptr_null(r->sim_name);
  else
    ck_assert_str_eq(r->sim_name, w->sim_name);
  ck_assert_str_eq(r->text, w->text);
}

/* The rules of b are want, in order. */
static void assert_rules(const NsTopoBridge *b, const WantRule *want, guint n) {
  ck_assert_uint_eq(b->rules->len, n);
  for (guint i = 0; i < n; i++)
    assert_rule(b, i, &want[i]);
}

/* ---- accepted forms ------------------------------------------------------ */

START_TEST(test_listen_forms) {
  g_autoptr(NsTopology) t = load_ok(
      NET_HEAD WEB("listen = tcp:127.0.0.1:8080 -> 192.168.2.10:8080; "
                   "tcp:127.0.0.1:0 -> h3:80 ;udp:127.0.0.1:5353 -> "
                   "192.168.2.10:7;; 8090 -> h3:8080; "
                   "UDP:127.0.0.2:53 -> 10.9.9.9:53; 127.0.0.3:81->r1:80; "
                   "tcp : 127.0.0.1 : 8081;\n"
                   "forward = 192.168.2.10:8080") NET_H3);
  const NsTopoBridge *b = bridge_of(t, "web");
  const WantRule want[] = {
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8080, "192.168.2.10", 8080,
       "h3", "tcp:127.0.0.1:8080 -> 192.168.2.10:8080"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 0, "192.168.2.10", 80,
       "h3", "tcp:127.0.0.1:0 -> h3:80"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_UDP, "127.0.0.1", 5353, "192.168.2.10", 7,
       "h3", "udp:127.0.0.1:5353 -> 192.168.2.10:7"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8090, "192.168.2.10", 8080,
       "h3", "8090 -> h3:8080"},
      /* an address of no node is allowed: it has no name */
      {NS_BRIDGE_LISTEN, NS_BRIDGE_UDP, "127.0.0.2", 53, "10.9.9.9", 53, NULL,
       "UDP:127.0.0.2:53 -> 10.9.9.9:53"},
      /* a router named: its first interface */
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.3", 81, "192.168.1.1", 80,
       "r1", "127.0.0.3:81->r1:80"},
      /* no arrow: forward's target */
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8081, "192.168.2.10", 8080,
       "h3", "tcp : 127.0.0.1 : 8081"},
  };
  assert_rules(b, want, G_N_ELEMENTS(want));
}
END_TEST

/* The form of SPEC.md section 3: listen before ip, forward last. */
START_TEST(test_spec_example) {
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD NET_H3 "[bridge chat]\n"
                              "listen = tcp:127.0.0.1:8080\n"
                              "ip = 192.168.1.200/24\n"
                              "gateway = 192.168.1.1\n"
                              "link = sw1\n"
                              "forward = 192.168.2.10:8080\n");
  const NsTopoBridge *b = bridge_of(t, "chat");
  const WantRule want[] = {
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8080, "192.168.2.10", 8080,
       "h3", "tcp:127.0.0.1:8080"},
  };
  assert_rules(b, want, G_N_ELEMENTS(want));
  ck_assert(ns_topology_has_bridges(t));
}
END_TEST

START_TEST(test_connect_forms) {
  g_autoptr(NsTopology) t = load_ok(
      NET_HEAD WEB("connect = tcp:192.168.1.200:9000 -> 127.0.0.1:9000; "
                   "tcp:9001 -> 127.0.0.1:9000; udp:5300 -> 127.0.0.1:5300; "
                   "9002 -> 127.0.0.5:80; udp:7 -> 8007\n"
                   "listen = 8080 -> h3:8080") NET_H3);
  const NsTopoBridge *b = bridge_of(t, "web");
  const WantRule want[] = {
      /* listen's first, whatever the order of the keys */
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8080, "192.168.2.10", 8080,
       "h3", "8080 -> h3:8080"},
      {NS_BRIDGE_CONNECT, NS_BRIDGE_TCP, "127.0.0.1", 9000, "192.168.1.200",
       9000, NULL, "tcp:192.168.1.200:9000 -> 127.0.0.1:9000"},
      {NS_BRIDGE_CONNECT, NS_BRIDGE_TCP, "127.0.0.1", 9000, "0.0.0.0", 9001,
       NULL, "tcp:9001 -> 127.0.0.1:9000"},
      {NS_BRIDGE_CONNECT, NS_BRIDGE_UDP, "127.0.0.1", 5300, "0.0.0.0", 5300,
       NULL, "udp:5300 -> 127.0.0.1:5300"},
      {NS_BRIDGE_CONNECT, NS_BRIDGE_TCP, "127.0.0.5", 80, "0.0.0.0", 9002, NULL,
       "9002 -> 127.0.0.5:80"},
      /* UDP port 7 is free: the service on 7 is TCP's (tcp-echo) */
      {NS_BRIDGE_CONNECT, NS_BRIDGE_UDP, "127.0.0.1", 8007, "0.0.0.0", 7, NULL,
       "udp:7 -> 8007"},
  };
  assert_rules(b, want, G_N_ELEMENTS(want));
}
END_TEST

START_TEST(test_defaults_and_limits) {
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD WEB("connect = tcp:9000 -> 127.0.0.1:9000") NET_H3
              "[bridge far]\nip = 192.168.2.200/24\nlink = sw2\n"
              "listen = 0.0.0.0:8080 -> h3:80; 10.1.2.3:8081 -> h3:80\n"
              "connect = 9000 -> 10.0.0.9:9000\n"
              "allow-remote = TRUE\nmax-connections = 2000\n"
              "udp-timeout = 1.5s\n");
  const NsTopoBridge *web = bridge_of(t, "web"), *far = bridge_of(t, "far");
  ck_assert(!web->allow_remote);
  ck_assert_uint_eq(web->max_conns, NS_BRIDGE_DEFAULT_MAX_CONNS);
  ck_assert_uint_eq(web->max_conns, 1024);
  ck_assert_uint_eq(web->udp_timeout, NS_BRIDGE_DEFAULT_UDP_TIMEOUT);
  ck_assert_uint_eq(web->udp_timeout, 60 * NS_SEC);
  ck_assert(far->allow_remote);
  ck_assert_uint_eq(far->max_conns, 2000);
  ck_assert_uint_eq(far->udp_timeout, 1500 * NS_MSEC);
  ck_assert_uint_eq(far->rules->len, 3);
  ck_assert_uint_eq(rule(far, 0)->outside_addr.v, 0);
  ck_assert_uint_eq(rule(far, 2)->outside_addr.v, NS_IP4(10, 0, 0, 9).v);
  /* Other kinds have no bridge. */
  const NsTopoNode *h3 = g_ptr_array_index(t->nodes, ns_topology_find(t, "h3"));
  ck_assert_ptr_null(h3->bridge);
  g_autoptr(NsTopology) plain =
      load_ok("[switch s]\n[host h]\nip = 10.0.0.1/24\nlink = s\n");
  ck_assert(!ns_topology_has_bridges(plain));
  ck_assert(ns_topology_has_bridges(t));
}
END_TEST

/* Names and node addresses resolve whether the target's section comes
 * before the bridge's or after it, forward included. */
START_TEST(test_names_both_ways) {
  static const char *const texts[] = {
      NET_HEAD NET_H3 WEB("listen = 8080 -> h3:8080; 8081\nforward = h3:80"),
      NET_HEAD WEB("listen = 8080 -> h3:8080; 8081\nforward = h3:80") NET_H3,
      NET_HEAD WEB("listen = 8080 -> 192.168.2.10:8080; 8081\n"
                   "forward = 192.168.2.10:80") NET_H3,
  };
  for (guint k = 0; k < G_N_ELEMENTS(texts); k++) {
    g_autoptr(NsTopology) t = load_ok(texts[k]);
    const NsTopoBridge *b = bridge_of(t, "web");
    ck_assert_uint_eq(b->rules->len, 2);
    for (guint i = 0; i < 2; i++) {
      ck_assert_uint_eq(rule(b, i)->sim_addr.v, NS_IP4(192, 168, 2, 10).v);
      ck_assert_str_eq(rule(b, i)->sim_name, "h3");
    }
    ck_assert_uint_eq(rule(b, 0)->sim_port, 8080);
    ck_assert_uint_eq(rule(b, 1)->sim_port, 80);
  }
  /* Another bridge as the target, declared after. */
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD WEB("listen = 8080 -> other:7") NET_H3
              "[bridge other]\nip = 192.168.2.99/24\nlink = sw2\n"
              "connect = 7 -> 127.0.0.1:7\n");
  ck_assert_uint_eq(rule(bridge_of(t, "web"), 0)->sim_addr.v,
                    NS_IP4(192, 168, 2, 99).v);
}
END_TEST

START_TEST(test_forward_unused) {
  /* Every rule has its own target: forward is only checked. */
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD WEB("forward = nobody:80\nlisten = 80 -> h3:80") NET_H3);
  ck_assert_uint_eq(bridge_of(t, "web")->rules->len, 1);
  g_autoptr(NsTopology) u = load_ok(
      NET_HEAD WEB("forward = h3:80\nconnect = 9 -> 127.0.0.1:9") NET_H3);
  ck_assert_uint_eq(bridge_of(u, "web")->rules->len, 1);
}
END_TEST

START_TEST(test_rule_format) {
  g_autoptr(NsTopology) t = load_ok(NET_HEAD WEB(
      "listen = 0 -> 10.9.9.9:80; udp:5353 -> h3:7\n"
      "connect = 192.168.1.200:9000 -> 9000; 9001 -> 9001") NET_H3);
  const NsTopoBridge *b = bridge_of(t, "web");
  static const char *const want[] = {
      "tcp 127.0.0.1:0 -> 10.9.9.9:80",
      "udp 127.0.0.1:5353 -> 192.168.2.10:7 (h3)",
      "tcp 192.168.1.200:9000 -> 127.0.0.1:9000",
      "tcp *:9001 -> 127.0.0.1:9001",
  };
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    g_autofree char *f = ns_bridge_rule_format(rule(b, i), 0);
    ck_assert_str_eq(f, want[i]);
  }
  /* The port bound for port 0 replaces it; a connect rule ignores it. */
  g_autofree char *bound = ns_bridge_rule_format(rule(b, 0), 41877);
  ck_assert_str_eq(bound, "tcp 127.0.0.1:41877 -> 10.9.9.9:80");
  g_autofree char *conn = ns_bridge_rule_format(rule(b, 3), 41877);
  ck_assert_str_eq(conn, "tcp *:9001 -> 127.0.0.1:9001");
}
END_TEST

START_TEST(test_check_lines) {
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD WEB("listen = 8080 -> h3:8080; 0 -> h3:80\n"
                           "connect = 9000 -> 127.0.0.1:9000\n"
                           "max-connections = 10") NET_H3
              "[bridge far]\nip = 192.168.2.200/24\nlink = sw2\n"
              "allow-remote = true\nlisten = 0.0.0.0:80 -> h3:80\n");
  g_autofree char *s = ns_topology_summary(t);
  static const char *const want[] = {
      "b.conf: 6 nodes (2 switches, 1 router, 1 host, 2 bridges), 5 links\n",
      "  bridge web  eth0 192.168.1.200/24 gw 192.168.1.1 -> sw1\n"
      "              services tcp-echo 7\n"
      "              listen tcp 127.0.0.1:8080 -> 192.168.2.10:8080 (h3)\n"
      "              listen tcp 127.0.0.1:0 -> 192.168.2.10:80 (h3), any "
      "free port\n"
      "              connect tcp *:9000 -> 127.0.0.1:9000\n"
      "              at most 10 connections, UDP mappings idle out after "
      "60s\n"
      "  host   h3 ",
      "  bridge far  eth0 192.168.2.200/24 -> sw2\n"
      "              listen tcp 0.0.0.0:80 -> 192.168.2.10:80 (h3)\n"
      "              allow-remote: addresses beyond 127.0.0.0/8 allowed\n"
      "  link",
  };
  for (guint i = 0; i < G_N_ELEMENTS(want); i++)
    ck_assert_msg(strstr(s, want[i]) != NULL, "summary lacks '%s':\n%s",
                  want[i], s);
  /* Default limits: no limits line. */
  g_autoptr(NsTopology) u =
      load_ok(NET_HEAD WEB("listen = 8080 -> h3:8080") NET_H3);
  g_autofree char *v = ns_topology_summary(u);
  ck_assert_msg(strstr(v, "at most") == NULL && strstr(v, "allow") == NULL,
                "%s", v);
}
END_TEST

START_TEST(test_shipped_bridge_conf) {
  g_autofree char *path = g_build_filename(TOPO_DIR, "bridge.conf", NULL);
  GError *e = NULL;
  g_autoptr(NsTopology) t = ns_topology_load_file(path, &e);
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  const NsTopoBridge *b = bridge_of(t, "web");
  const WantRule want[] = {
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8080, "192.168.2.10", 8080,
       "h3", "tcp:127.0.0.1:8080 -> h3:8080"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8081, "192.168.2.10", 7,
       "h3", "tcp:127.0.0.1:8081 -> h3:7"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_TCP, "127.0.0.1", 8000, "192.168.2.10", 80,
       "h3", "tcp:127.0.0.1:8000 -> h3:80"},
      {NS_BRIDGE_LISTEN, NS_BRIDGE_UDP, "127.0.0.1", 5353, "192.168.2.10", 7,
       "h3", "udp:127.0.0.1:5353 -> h3:7"},
      {NS_BRIDGE_CONNECT, NS_BRIDGE_TCP, "127.0.0.1", 9000, "0.0.0.0", 9000,
       NULL, "tcp:9000 -> 127.0.0.1:9000"},
  };
  assert_rules(b, want, G_N_ELEMENTS(want));
  ck_assert(!b->allow_remote);
  const NsTopoNode *web =
      g_ptr_array_index(t->nodes, ns_topology_find(t, "web"));
  ck_assert_uint_eq(web->n_ifaces, 1);
  ck_assert_uint_eq(web->ifaces[0].addr.addr.v, NS_IP4(192, 168, 1, 200).v);
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

START_TEST(test_syntax_errors) {
  WEB_FAILS("listen = tcp:127.0.0.1", "listen: ",
            "'tcp:127.0.0.1' is not a listen rule (expected "
            "[PROTO:][ADDR:]PORT [-> TARGET:PORT], such as "
            "tcp:127.0.0.1:8080 -> 192.168.2.10:8080)");
  WEB_FAILS("listen = 80 -> h3:80 -> h3:81",
            "listen: ", "'80 -> h3:80 -> h3:81' is not a listen rule");
  WEB_FAILS("listen = tcp:1:2:3 -> h3:80",
            "listen: ", "'tcp:1:2:3 -> h3:80' is not a listen rule");
  WEB_FAILS("listen = tcp::80 -> h3:80",
            "listen: ", "'tcp::80 -> h3:80' is not a listen rule");
  WEB_FAILS("listen = 80 -> h3", "listen: ", "'80 -> h3' is not a listen rule");
  WEB_FAILS("listen = 80 ->", "listen: ", "'80 ->' is not a listen rule");
  WEB_FAILS("connect = tcp:9000", "connect: ",
            "'tcp:9000' is not a connect rule (expected "
            "[PROTO:][SIMADDR:]PORT -> [ADDR:]PORT, such as tcp:9000 -> "
            "127.0.0.1:9000)");
  WEB_FAILS("connect = 9000 -> 1:2:3",
            "connect: ", "'9000 -> 1:2:3' is not a connect rule");
  WEB_FAILS("listen = 80 -> h3:80\nforward = h3", "forward: ",
            "'h3' is not a target (expected TARGET:PORT, such as "
            "192.168.2.10:8080 or h3:8080)");
  WEB_FAILS("listen = 80 -> h3 x:80", "listen: ",
            "'80 -> h3 x:80': 'h3 x' is neither an IPv4 address nor a node "
            "name");
  WEB_FAILS("listen = ;", "listen: ",
            "no rules (expected listen = [PROTO:][ADDR:]PORT [-> "
            "TARGET:PORT]; ...)");
}
END_TEST

START_TEST(test_value_errors) {
  WEB_FAILS("listen = tcpp:127.0.0.1:80 -> h3:80", "listen: ",
            "'tcpp:127.0.0.1:80 -> h3:80': 'tcpp' is not a protocol "
            "(expected tcp or udp)");
  WEB_FAILS("listen = localhost:80 -> h3:80", "listen: ",
            "'localhost' is not a protocol (expected tcp or udp, or an IPv4 "
            "address such as 127.0.0.1)");
  WEB_FAILS("listen = sctp:80 -> h3:80",
            "listen: ", "'sctp' is not a protocol");
  WEB_FAILS("listen = 127.0.0.300:80 -> h3:80", "listen: ",
            "'127.0.0.300:80 -> h3:80': '127.0.0.300' is not an IPv4 address");
  WEB_FAILS("listen = 70000 -> h3:80", "listen: ",
            "'70000 -> h3:80': '70000' is not a port (expected a whole number "
            "from 0 to 65535; 0 for any free port)");
  WEB_FAILS("listen = 80 -> h3:0", "listen: ",
            "'80 -> h3:0': '0' is not a port (expected a whole number from 1 "
            "to 65535)");
  WEB_FAILS("listen = 80 -> h3:http", "listen: ", "'http' is not a port");
  WEB_FAILS("connect = 0 -> 127.0.0.1:9000", "connect: ",
            "'0' is not a port (expected a whole number from 1 to 65535)");
  WEB_FAILS("connect = 9000 -> 127.0.0.1:0",
            "connect: ", "'9000 -> 127.0.0.1:0': '0' is not a port");
  WEB_FAILS("listen = 80 -> 127.0.0.1:80", "listen: ",
            "'80 -> 127.0.0.1:80': 127.0.0.1 cannot be a target (expected a "
            "unicast address outside 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 "
            "and above, or a node's name such as h3)");
  WEB_FAILS("listen = 80 -> 239.1.1.1:80",
            "listen: ", "239.1.1.1 cannot be a target");
  WEB_FAILS("listen = 80\nforward = 0.0.0.0:80",
            "forward: ", "'0.0.0.0:80': 0.0.0.0 cannot be a target");
  WEB_FAILS("listen = 224.0.0.1:80 -> h3:80\nallow-remote = true",
            "listen: ", "224.0.0.1 cannot be listened on");
  WEB_FAILS("connect = 9000 -> 0.0.0.0:9000\nallow-remote = true",
            "connect: ", "0.0.0.0 cannot be connected to");
  WEB_FAILS("listen = 80 -> h3:80\nallow-remote = yes",
            "allow-remote: ", "'yes' is not true or false");
  WEB_FAILS("listen = 80 -> h3:80\nmax-connections = 0",
            "max-connections: ", "'0' is not a whole number from 1 to 1000000");
  WEB_FAILS("listen = 80 -> h3:80\nmax-connections = 1000001",
            "max-connections: ", "from 1 to 1000000");
  WEB_FAILS("listen = 80 -> h3:80\nudp-timeout = 60",
            "udp-timeout: ", "'60' is not a time");
  WEB_FAILS("listen = 80 -> h3:80\nudp-timeout = 1441m",
            "udp-timeout: ", "is out of range");
}
END_TEST

START_TEST(test_target_errors) {
  WEB_FAILS("listen = 80 -> h9:80", "listen: ",
            "'80 -> h9:80': no node named 'h9' (expected an IPv4 address or "
            "the name of a host, router or bridge)");
  WEB_FAILS("listen = 80\nforward = h9:80",
            "forward: ", "'h9:80': no node named 'h9'");
  WEB_FAILS("listen = 80 -> sw2:80", "listen: ",
            "'80 -> sw2:80': 'sw2' is a switch, which has no address "
            "(expected a host, router or bridge, such as h3)");
  WEB_FAILS("listen = 80 -> web:80",
            "listen: ", "'80 -> web:80': the target is web itself");
  WEB_FAILS("listen = 80 -> 192.168.1.200:80",
            "listen: ", "the target is web itself");
  WEB_FAILS("listen = tcp:127.0.0.1:8080", "listen: ",
            "'tcp:127.0.0.1:8080' has no target (expected "
            "'tcp:127.0.0.1:8080 -> TARGET:PORT', or a key forward = "
            "TARGET:PORT such as forward = 192.168.2.10:8080)");
}
END_TEST

START_TEST(test_remote_needs_allow) {
  WEB_FAILS("listen = 0.0.0.0:8080 -> h3:80", "listen: ",
            "'0.0.0.0:8080 -> h3:80': 0.0.0.0 is outside 127.0.0.0/8",
            "add allow-remote = true to [bridge web]");
  WEB_FAILS("listen = 192.168.7.7:8080 -> h3:80\nallow-remote = false",
            "listen: ", "192.168.7.7 is outside 127.0.0.0/8");
  WEB_FAILS("connect = 9000 -> 10.0.0.1:9000", "connect: ",
            "'9000 -> 10.0.0.1:9000': 10.0.0.1 is outside 127.0.0.0/8",
            "add allow-remote = true to [bridge web]");
}
END_TEST

START_TEST(test_duplicate_errors) {
  WEB_FAILS("listen = 8080 -> h3:80; tcp:127.0.0.1:8080 -> h3:7", "listen: ",
            "'tcp:127.0.0.1:8080 -> h3:7': tcp 127.0.0.1:8080 is already "
            "listened on by listen '8080 -> h3:80' (expected each protocol, "
            "address and port once)");
  WEB_FAILS("listen = 0.0.0.0:8080 -> h3:80; 8080 -> h3:7\n"
            "allow-remote = true",
            "listen: ", "tcp 127.0.0.1:8080 is already listened on");
  /* Across bridges, naming the other. */
  load_fails(NET_HEAD WEB("listen = udp:5353 -> h3:7") NET_H3
             "[bridge b2]\nip = 192.168.2.5/24\nlink = sw2\n"
             "listen = udp:127.0.0.1:5353 -> h3:7\n",
             "b.conf: [bridge b2] listen: 'udp:127.0.0.1:5353 -> h3:7': udp "
             "127.0.0.1:5353 is already listened on by [bridge web] listen "
             "'udp:5353 -> h3:7'",
             NULL);
  WEB_FAILS("connect = tcp:9000 -> 127.0.0.1:9000; 9000 -> 127.0.0.1:9001",
            "connect: ",
            "'9000 -> 127.0.0.1:9001': TCP port 9000 is already relayed by "
            "'tcp:9000 -> 127.0.0.1:9000' (expected one connect rule per TCP "
            "port on web)");
  WEB_FAILS("connect = tcp:7 -> 127.0.0.1:7", "connect: ",
            "'tcp:7 -> 127.0.0.1:7': TCP port 7 is already taken by the "
            "service 'tcp-echo 7' (expected one service or connect rule per "
            "TCP port on web)");
  WEB_FAILS("connect = tcp:192.168.1.9:9000 -> 127.0.0.1:9000", "connect: ",
            "192.168.1.9 is not an address of web (expected one of "
            "192.168.1.200, or no address for any of them");
}
END_TEST

START_TEST(test_not_errors) {
  /* Port 0 twice, the same port on two protocols or two loopback
   * addresses, a listen port equal to a connect port: no clash. */
  g_autoptr(NsTopology) t =
      load_ok(NET_HEAD WEB("listen = 0 -> h3:80; 0 -> h3:80; 9000 -> h3:7; "
                           "udp:9000 -> h3:7; 127.0.0.2:9000 -> h3:7\n"
                           "connect = 9000 -> 9000; udp:9000 -> 9000") NET_H3);
  ck_assert_uint_eq(bridge_of(t, "web")->rules->len, 7);
}
END_TEST

START_TEST(test_section_errors) {
  load_fails(NET_HEAD WEB("") NET_H3,
             "b.conf: [bridge web] has no rules (expected listen = "
             "[PROTO:][ADDR:]PORT -> TARGET:PORT or connect = "
             "[PROTO:][SIMADDR:]PORT -> [ADDR:]PORT, such as listen = "
             "tcp:127.0.0.1:8080 -> 192.168.2.10:8080)",
             NULL);
  /* Forward alone is not a rule. */
  load_fails(NET_HEAD WEB("forward = h3:80") NET_H3,
             "b.conf: [bridge web] has no rules", NULL);
  /* A bridge is a host: it needs its address. */
  load_fails(NET_HEAD "[bridge web]\nlisten = 80 -> 192.168.2.10:80\n",
             "b.conf: [bridge web] missing key 'ip'", NULL);
  load_fails(NET_HEAD WEB("listen = 80 -> h3:80\nlisen = 1") NET_H3,
             "b.conf: [bridge web] lisen: unknown key (did you mean 'listen'?",
             NULL);
}
END_TEST

Suite *test_topology_bridge_suite(void) {
  Suite *s = suite_create("topology_bridge");
  TCase *tc = test_tcase("accepted");
  tcase_add_test(tc, test_listen_forms);
  tcase_add_test(tc, test_spec_example);
  tcase_add_test(tc, test_connect_forms);
  tcase_add_test(tc, test_defaults_and_limits);
  tcase_add_test(tc, test_names_both_ways);
  tcase_add_test(tc, test_forward_unused);
  tcase_add_test(tc, test_rule_format);
  tcase_add_test(tc, test_check_lines);
  tcase_add_test(tc, test_shipped_bridge_conf);
  tcase_add_test(tc, test_not_errors);
  suite_add_tcase(s, tc);

  tc = test_tcase("errors");
  tcase_add_test(tc, test_syntax_errors);
  tcase_add_test(tc, test_value_errors);
  tcase_add_test(tc, test_target_errors);
  tcase_add_test(tc, test_remote_needs_allow);
  tcase_add_test(tc, test_duplicate_errors);
  tcase_add_test(tc, test_section_errors);
  suite_add_tcase(s, tc);
  return s;
}

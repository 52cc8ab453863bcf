/* test_topology_vxlan.c — [vxlan NAME] sections: the keys and their
 * defaults, the link to a switch, the --check lines, a run that needs
 * the wall clock, and each error's message (file, section, key, what was
 * found and what was expected). */
#include <stdarg.h>
#include <string.h>

#include "config/topology.h"
#include "testutil.h"

/* One LAN: sw1 and h1; the vxlan sections follow. */
#define LAN "[switch sw1]\n[host h1]\nip = 192.168.5.10/24\nlink = sw1\n"
#define VX(keys) "[vxlan vx1]\n" keys "\n"
#define BASIC "link = sw1\nvni = 42\nremote = 127.0.0.1:4790\n"

static NsTopology *load_ok(const char *text) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "v.conf", &e);
  ck_assert_msg(t != NULL, "%s", e ? e->message : "?");
  return t;
}

static void load_fails(const char *text, ...) G_GNUC_NULL_TERMINATED;
static void load_fails(const char *text, ...) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, "v.conf", &e);
  ck_assert_msg(t == NULL, "loaded:\n%s", text);
  ck_assert(e != NULL && e->domain == NS_ERROR);
  va_list ap;
  va_start(ap, text);
  for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
    ck_assert_msg(strstr(e->message, want) != NULL, "'%s' lacks '%s'",
                  e->message, want);
  va_end(ap);
  g_error_free(e);
}

static const NsTopoNode *vx1(const NsTopology *t) {
  gint i = ns_topology_find(t, "vx1");
  ck_assert_int_ge(i, 0);
  return g_ptr_array_index(t->nodes, (guint)i);
}

START_TEST(test_vxlan_defaults) {
  g_autoptr(NsTopology) t = load_ok(LAN VX(BASIC));
  const NsTopoNode *n = vx1(t);
  ck_assert_int_eq(n->kind, NS_NODE_VXLAN);
  ck_assert_ptr_nonnull(n->vxlan);
  ck_assert_uint_eq(n->vxlan->vni, 42);
  ck_assert(ns_ip4_equal(n->vxlan->local_addr, NS_IP4(127, 0, 0, 1)));
  ck_assert_uint_eq(n->vxlan->local_port, 4789);
  ck_assert(!n->vxlan->allow_remote);
  ck_assert_uint_eq(n->vxlan->remotes->len, 1);
  const NsVxlanRemote *r = &g_array_index(n->vxlan->remotes, NsVxlanRemote, 0);
  ck_assert(ns_ip4_equal(r->addr, NS_IP4(127, 0, 0, 1)));
  ck_assert_uint_eq(r->port, 4790);
  /* Its one link goes to sw1, and the run needs real sockets. */
  ck_assert_uint_eq(t->links->len, 2);
  const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, 1);
  ck_assert_str_eq(((NsTopoNode *)g_ptr_array_index(t->nodes, l->a.node))->name,
                   "vx1");
  ck_assert_str_eq(((NsTopoNode *)g_ptr_array_index(t->nodes, l->b.node))->name,
                   "sw1");
  ck_assert(ns_topology_has_bridges(t));
  g_autofree char *f = ns_vxlan_format(n->vxlan, 0);
  ck_assert_str_eq(f, "vni 42 127.0.0.1:4789 -> 127.0.0.1:4790");
}
END_TEST

START_TEST(test_vxlan_every_key) {
  g_autoptr(NsTopology) t = load_ok(
      LAN VX("remote = 10.99.0.2; 10.99.0.3:5000;\nallow-remote = true\n"
             "link = sw1 delay=1ms\nvni = 16777215\nlocal = 10.99.0.1:0"));
  const NsTopoNode *n = vx1(t);
  ck_assert_uint_eq(n->vxlan->vni, 16777215);
  ck_assert(ns_ip4_equal(n->vxlan->local_addr, NS_IP4(10, 99, 0, 1)));
  ck_assert_uint_eq(n->vxlan->local_port, 0);
  ck_assert_uint_eq(n->vxlan->remotes->len, 2);
  ck_assert_uint_eq(g_array_index(n->vxlan->remotes, NsVxlanRemote, 0).port,
                    4789);
  ck_assert_uint_eq(g_array_index(n->vxlan->remotes, NsVxlanRemote, 1).port,
                    5000);
  ck_assert_int_eq(g_array_index(t->links, NsTopoLink, 1).params->delay,
                   NS_MSEC);
  g_autofree char *sum = ns_topology_summary(t);
  ck_assert_msg(strstr(sum, "1 vxlan segment") != NULL, "%s", sum);
  ck_assert_msg(strstr(sum, "VXLAN vni 16777215 10.99.0.1:0 -> 10.99.0.2:4789, "
                            "10.99.0.3:5000, any free port") != NULL,
                "%s", sum);
  ck_assert_msg(strstr(sum, "link vx1 -- sw1") != NULL, "%s", sum);
}
END_TEST

START_TEST(test_vxlan_errors) {
  load_fails(LAN VX("vni = 42\nremote = 127.0.0.1"), "v.conf: [vxlan vx1] ",
             "has no link", "such as link = sw1", NULL);
  load_fails(LAN VX("link = sw1\nremote = 127.0.0.1"), "[vxlan vx1] ",
             "has no vni", NULL);
  load_fails(LAN VX("link = sw1\nvni = 1"), "[vxlan vx1] ", "has no remote",
             NULL);
  load_fails(LAN VX("link = sw1\nremote = 127.0.0.1\nvni = 16777216"),
             "[vxlan vx1] vni: ", "16777216", NULL);
  load_fails(LAN VX(BASIC "local = 127.0.0.1:99999"),
             "[vxlan vx1] local: ", "'99999' is not a port", NULL);
  load_fails(LAN VX(BASIC "local = localhost"),
             "[vxlan vx1] local: ", "'localhost' is not ADDR[:PORT]", NULL);
  load_fails(LAN VX("link = sw1\nvni = 1\nremote = 127.0.0.1:0"),
             "[vxlan vx1] remote: ", "expected 1-65535", NULL);
  load_fails(LAN VX("link = sw1\nvni = 1\nremote = ;"),
             "[vxlan vx1] remote: ", "no remotes", NULL);
  /* Outside 127.0.0.0/8 only with allow-remote, wherever it stands. */
  load_fails(LAN VX("link = sw1\nvni = 1\nremote = 192.0.2.7"),
             "[vxlan vx1] remote: ", "192.0.2.7 is outside 127.0.0.0/8",
             "allow-remote = true", NULL);
  load_fails(LAN VX(BASIC "local = 192.0.2.1"),
             "[vxlan vx1] local: ", "outside 127.0.0.0/8", NULL);
  /* The cable: to a switch, once. */
  load_fails(LAN VX("link = h1:eth0\nvni = 1\nremote = 127.0.0.1"),
             "[vxlan vx1] link: ", "'h1' is a host", "expected a switch", NULL);
  load_fails(LAN VX("link = sw1; sw1\nvni = 1\nremote = 127.0.0.1"),
             "[vxlan vx1] link: ", "not one switch", NULL);
  load_fails("[switch sw1]\nlink = vx1\n" VX(BASIC),
             "[switch sw1] link: ", "'vx1' is a vxlan segment", NULL);
  load_fails(LAN
             "[host h2]\nip = 192.168.5.11/24\nlink = vx1:vxlan0\n" VX(BASIC),
             "[host h2] link: ", "'vx1' is a vxlan segment", NULL);
  /* Two segments cannot bind the same address and port. */
  load_fails(LAN VX(BASIC) "[vxlan vx2]\n" BASIC, "[vxlan vx2] local: ",
             "127.0.0.1:4789 is already bound by [vxlan vx1]", NULL);
  load_fails(LAN VX(BASIC "mtu = 1500"), "[vxlan vx1] mtu: ", "unknown key",
             NULL);
}
END_TEST

Suite *test_topology_vxlan_suite(void) {
  Suite *s = suite_create("topology_vxlan");
  TCase *tc = test_tcase("topology_vxlan");
  tcase_add_test(tc, test_vxlan_defaults);
  tcase_add_test(tc, test_vxlan_every_key);
  tcase_add_test(tc, test_vxlan_errors);
  suite_add_tcase(s, tc);
  return s;
}

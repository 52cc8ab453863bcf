/* test_dot.c — the topology as Graphviz DOT (src/trace/dot.c).
 *
 * One small network with every kind of node, a cable between switches, a
 * cable between routers and non-default link parameters is checked byte
 * for byte; the switch port names are checked against the network sim/
 * builds from the same file, so the drawing and the log can never call a
 * port by two names. */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "config/topology.h"
#include "sim/network.h"
#include "testutil.h"
#include "trace/dot.h"

static const char small_conf[] =
    "[switch sw1]\n"
    "link = sw2 delay=2ms loss=1%\n"
    "[switch sw2]\n"
    "[router r1]\n"
    "eth0 = 10.0.0.1/24 @ sw2\n"
    "eth1 = 10.9.0.1/30 @ r2:eth0 rate=1Mbit queue=8\n"
    "[router r2]\n"
    "eth0 = 10.9.0.2/30\n"
    "[host h1]\n"
    "ip = 10.0.0.10/24\n"
    "gateway = 10.0.0.1\n"
    "mac = 02:00:00:00:00:aa\n"
    "link = sw1\n"
    "[bridge web]\n"
    "ip = 10.0.0.200/24\n"
    "link = sw2\n"
    "listen = tcp:127.0.0.1:8080 -> h1:80\n";

static const char small_dot[] =
    "/* drawn by netsim --dot; render with dot -Tsvg FILE.dot > FILE.svg */\n"
    "graph netsim {\n"
    "  graph [label=\"small.conf\", labelloc=\"t\"];\n"
    "  node [style=\"filled\"];\n"
    "  edge [fontsize=\"10\"];\n"
    "  \"sw1\" [shape=\"box3d\", fillcolor=\"#e2f0d9\", label=\"sw1\"];\n"
    "  \"sw2\" [shape=\"box3d\", fillcolor=\"#e2f0d9\", label=\"sw2\"];\n"
    "  \"r1\" [shape=\"ellipse\", fillcolor=\"#fce4d6\", "
    "label=\"r1\\neth0 10.0.0.1/24\\neth1 10.9.0.1/30\"];\n"
    "  \"r2\" [shape=\"ellipse\", fillcolor=\"#fce4d6\", "
    "label=\"r2\\neth0 10.9.0.2/30\"];\n"
    "  \"h1\" [shape=\"box\", fillcolor=\"#dbe9f6\", "
    "label=\"h1\\neth0 10.0.0.10/24\\neth0 02:00:00:00:00:aa\\n"
    "gw 10.0.0.1\"];\n"
    "  \"web\" [shape=\"component\", fillcolor=\"#ede2f6\", "
    "label=\"web\\neth0 10.0.0.200/24\\n"
    "listen tcp 127.0.0.1:8080 -> 10.0.0.10:80 (h1)\"];\n"
    "  \"sw1\" -- \"sw2\" [taillabel=\"port1\", headlabel=\"port1\", "
    "label=\"10.0.0.0/24\\ndelay 2ms, loss 1%\", "
    "tooltip=\"sw1:port1 -- sw2:port1\"];\n"
    "  \"r1\" -- \"sw2\" [taillabel=\"eth0\", headlabel=\"port2\", "
    "label=\"10.0.0.0/24\", tooltip=\"r1:eth0 -- sw2:port2\"];\n"
    "  \"r1\" -- \"r2\" [taillabel=\"eth1\", headlabel=\"eth0\", "
    "label=\"10.9.0.0/30\\nrate 1Mbit/s, queue 8\", "
    "tooltip=\"r1:eth1 -- r2:eth0\"];\n"
    "  \"sw1\" -- \"h1\" [taillabel=\"port2\", headlabel=\"eth0\", "
    "label=\"10.0.0.0/24\", tooltip=\"h1:eth0 -- sw1:port2\"];\n"
    "  \"sw2\" -- \"web\" [taillabel=\"port3\", headlabel=\"eth0\", "
    "label=\"10.0.0.0/24\", tooltip=\"web:eth0 -- sw2:port3\"];\n"
    "}\n";

/* A vxlan segment: a cable end without an interface or a subnet (drawing
 * it once crashed). */
static const char vxlan_conf[] = "[switch sw1]\n"
                                 "[host h1]\nip = 192.168.5.10/24\nlink = sw1\n"
                                 "[vxlan vx1]\nlink = sw1\nvni = 42\n"
                                 "remote = 127.0.0.1:4790\n";

static NsTopology *load(const char *text, const char *source) {
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(text, -1, source, &e);
  if (t == NULL)
    ck_abort_msg("%s", e->message);
  return t;
}

START_TEST(small_network_exact) {
  g_autoptr(NsTopology) t = load(small_conf, "topologies/small.conf");
  g_autoptr(GString) dot = ns_dot_format(t);
  ck_assert_str_eq(dot->str, small_dot);
}
END_TEST

/* The file name is the only free text that reaches the drawing: quotes,
 * backslashes, newlines and bytes that are not UTF-8 must not break the
 * string they sit in. */
START_TEST(label_escaped) {
  g_autoptr(NsTopology) t =
      load("[router r1]\neth0 = 10.0.0.1/24\n", "dir/my \"net\"\\x\n\xff.conf");
  g_autoptr(GString) dot = ns_dot_format(t);
  ck_assert_msg(strstr(dot->str,
                       "  graph [label=\"my \\\"net\\\"\\\\x\\n"
                       "\xef\xbf\xbd.conf\", labelloc=\"t\"];\n") != NULL,
                "%s", dot->str);
  /* A node without links: drawn, and no edge. */
  ck_assert(strstr(dot->str, "\"r1\" [shape=\"ellipse\"") != NULL);
  ck_assert(strstr(dot->str, " -- ") == NULL);
}
END_TEST

START_TEST(vxlan_segment_drawn) {
  g_autoptr(NsTopology) t = load(vxlan_conf, "vx.conf");
  g_autoptr(GString) dot = ns_dot_format(t);
  ck_assert_msg(strstr(dot->str,
                       "  \"vx1\" -- \"sw1\" [taillabel=\"vxlan0\", "
                       "headlabel=\"port2\", label=\"vxlan vni 42\", "
                       "tooltip=\"vx1:vxlan0 -- sw1:port2\"];\n") != NULL,
                "%s", dot->str);
  /* The segment adds no subnet to its switch's. */
  ck_assert(strstr(dot->str, "label=\"192.168.5.0/24\", tooltip=\"h1:eth0") !=
            NULL);
}
END_TEST

/* Every kind has its own shape. */
START_TEST(every_kind_has_a_shape) {
  for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
    const NsDotKindStyle *st = ns_dot_kind_style((NsNodeKind)k);
    ck_assert_msg(st->shape != NULL && st->fill != NULL, "kind %s",
                  ns_node_kind_name((NsNodeKind)k));
    for (guint j = 0; j < k; j++)
      ck_assert_str_ne(st->shape, ns_dot_kind_style((NsNodeKind)j)->shape);
  }
}
END_TEST

/* The tooltip of edge k names its ends as the built network's link k. */
START_TEST(ports_as_the_network_names_them) {
  const char *texts[] = {small_conf, ns_topology_builtin, vxlan_conf};
  for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(NsTopology) t = load(texts[i], "x.conf");
    g_autoptr(GString) dot = ns_dot_format(t);
    NsNet *net = ns_net_new(t, 1);
    ck_assert_uint_eq(ns_net_n_links(net), t->links->len);
    const char *at = dot->str;
    for (guint k = 0; k < ns_net_n_links(net); k++) {
      NsNetLink *l = ns_net_link(net, k);
      g_autofree char *tip =
          g_strdup_printf("tooltip=\"%s -- %s\"];\n", l->a_label, l->b_label);
      at = strstr(at, tip);
      ck_assert_msg(at != NULL, "link %u: no %s in\n%s", k, tip, dot->str);
    }
    ns_net_free(net);
  }
}
END_TEST

START_TEST(write_file_and_error) {
  g_autoptr(NsTopology) t = load(small_conf, "small.conf");
  g_autofree char *dir = g_dir_make_tmp("netsim-dot-XXXXXX", NULL);
  ck_assert(dir != NULL);
  g_autofree char *path = g_build_filename(dir, "net.dot", NULL);
  GError *e = NULL;
  ck_assert(ns_dot_write(t, path, &e));
  g_autofree char *back = NULL;
  ck_assert(g_file_get_contents(path, &back, NULL, NULL));
  g_autoptr(GString) dot = ns_dot_format(t);
  ck_assert_str_eq(back, dot->str);
  g_autofree char *bad = g_build_filename(dir, "missing", "net.dot", NULL);
  ck_assert(!ns_dot_write(t, bad, &e));
  ck_assert(g_error_matches(e, NS_ERROR, NS_ERROR_IO));
  g_autofree char *want =
      g_strdup_printf("cannot write '%s': %s", bad, g_strerror(ENOENT));
  ck_assert_str_eq(e->message, want);
  g_error_free(e);
  ck_assert_int_eq(g_remove(path), 0);
  ck_assert_int_eq(g_rmdir(dir), 0);
}
END_TEST

Suite *test_dot_suite(void) {
  Suite *s = suite_create("trace_dot");
  TCase *tc = test_tcase("dot");
  tcase_add_test(tc, small_network_exact);
  tcase_add_test(tc, label_escaped);
  tcase_add_test(tc, vxlan_segment_drawn);
  tcase_add_test(tc, every_kind_has_a_shape);
  tcase_add_test(tc, ports_as_the_network_names_them);
  tcase_add_test(tc, write_file_and_error);
  suite_add_tcase(s, tc);
  return s;
}

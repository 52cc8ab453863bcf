/* topology_summary.c — a loaded topology described for --check, and the
 * built-in default network.
 */
#include "config/topology_private.h"

#include "core/units.h"

#include <string.h>

/* ---- summary ------------------------------------------------------------- */

static void append_count(GString *s, guint n, const char *one, const char *many,
                         gboolean *first) {
  if (n == 0)
    return;
  g_string_append_printf(s, "%s%u %s", *first ? "" : ", ", n,
                         n == 1 ? one : many);
  *first = FALSE;
}

/* "2 switches, 1 router, 4 hosts": kinds in count_rank order. */
static void append_counts(GString *s, const NsTopology *t) {
  guint count[NS_NODE_N_KINDS] = {0};
  for (guint i = 0; i < t->nodes->len; i++)
    count[((const NsTopoNode *)g_ptr_array_index(t->nodes, i))->kind]++;
  gboolean first = TRUE;
  for (guint rank = 0; rank < NS_NODE_N_KINDS; rank++)
    for (guint k = 0; k < NS_NODE_N_KINDS; k++) {
      const TopoKind *kind = ns_topo_kind((NsNodeKind)k);
      if (kind->count_rank == rank)
        append_count(s, count[k], kind->name, kind->plural, &first);
    }
}

/* Per node, the indexes of the links that touch it, in link order: built
 * once, so describing every node takes time linear in the links. */
static GPtrArray *links_per_node(const NsTopology *t) {
  GPtrArray *per =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  for (guint i = 0; i < t->nodes->len; i++)
    g_ptr_array_add(per, g_array_new(FALSE, FALSE, sizeof(guint)));
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    g_array_append_val(g_ptr_array_index(per, l->a.node), k);
    if (l->b.node != l->a.node)
      g_array_append_val(g_ptr_array_index(per, l->b.node), k);
  }
  return per;
}

static void append_nodes(GString *s, const NsTopology *t) {
  int width = 1;
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    width = MAX(width, (int)strlen(n->name));
  }
  g_autoptr(GPtrArray) per = links_per_node(t);
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    ns_topo_kind(n->kind)->describe(t, i, g_ptr_array_index(per, i), lines);
    for (guint j = 0; j < lines->len; j++)
      g_string_append_printf(s, "  %-6s %-*s  %s\n",
                             j == 0 ? ns_node_kind_name(n->kind) : "", width,
                             j == 0 ? n->name : "", (char *)lines->pdata[j]);
  }
}

static void append_links(GString *s, const NsTopology *t) {
  GPtrArray *ends = g_ptr_array_new_with_free_func(g_free);
  int lwidth = 1;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    g_autofree char *a = ns_topo_end_name(t, l->a);
    g_autofree char *b = ns_topo_end_name(t, l->b);
    char *e = g_strdup_printf("%s -- %s", a, b);
    lwidth = MAX(lwidth, (int)strlen(e));
    g_ptr_array_add(ends, e);
  }
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    char d[NS_TIME_STRLEN], r[32];
    g_string_append_printf(s, "  link %-*s  delay %s, rate %s", lwidth,
                           (char *)ends->pdata[k],
                           ns_time_format(l->params.delay, d),
                           ns_rate_format(l->params.rate_bps, r));
    if (l->params.loss > 0)
      g_string_append_printf(s, ", loss %g%%", l->params.loss * 100.0);
    g_string_append_printf(s, ", queue %u\n", l->params.queue_limit);
  }
  g_ptr_array_unref(ends);
}

char *ns_topology_summary(const NsTopology *t) {
  g_return_val_if_fail(t != NULL, NULL);
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%s: %u node%s (", t->source, t->nodes->len,
                         t->nodes->len == 1 ? "" : "s");
  append_counts(s, t);
  g_string_append_printf(s, "), %u link%s\n", t->links->len,
                         t->links->len == 1 ? "" : "s");
  append_nodes(s, t);
  append_links(s, t);
  return g_string_free(s, FALSE);
}

/* ---- the built-in network ------------------------------------------------ */

/* Keep byte-identical to topologies/two_lans.conf (a test compares them). */
const char ns_topology_builtin[] =
    "# two_lans.conf: two Ethernet LANs joined by one router.\n"
    "# (netsim runs this network when no topology is given.)\n"
    "#\n"
    "#   LAN A 192.168.1.0/24                      LAN B 192.168.2.0/24\n"
    "#\n"
    "#   h1 .10 ---+                                  +--- h3 .10\n"
    "#             +-- sw1 --- eth0 [r1] eth1 --- sw2 --+\n"
    "#   h2 .11 ---+           .1          .1         +--- h4 .11\n"
    "#\n"
    "# What it teaches:\n"
    "#  - Inside a LAN, hosts find each other's MAC address with ARP, and the\n"
    "#    switch learns which port each MAC lives on.\n"
    "#  - To reach another subnet a host sends to its default gateway: h1 "
    "ANDs\n"
    "#    192.168.2.10 with its mask 255.255.255.0, gets 192.168.2.0, which "
    "is\n"
    "#    not its own 192.168.1.0, so it ARPs for the gateway 192.168.1.1.\n"
    "#  - The router ends the broadcast domain: it forwards the packet with\n"
    "#    TTL - 1 out of eth1 and ARPs again on LAN B.\n"
    "#\n"
    "# Try:\n"
    "#   h1 ping h2          same LAN: ARP, then the switch learns and "
    "forwards\n"
    "#   h1 ping h3          across the router\n"
    "#   show arp h1         h1 knows the gateway's MAC, never h3's\n"
    "#   show mac sw1\n"
    "#   show route r1\n"
    "#   h1 traceroute h4\n"
    "\n"
    "[switch sw1]\n"
    "\n"
    "[switch sw2]\n"
    "\n"
    "[router r1]\n"
    "eth0 = 192.168.1.1/24 @ sw1\n"
    "eth1 = 192.168.2.1/24 @ sw2\n"
    "\n"
    "[host h1]\n"
    "ip = 192.168.1.10/24\n"
    "gateway = 192.168.1.1\n"
    "# Link parameters are optional, e.g.:\n"
    "#   link = sw1 delay=1ms rate=100Mbit loss=0.01 queue=64\n"
    "link = sw1\n"
    "\n"
    "[host h2]\n"
    "ip = 192.168.1.11/24\n"
    "gateway = 192.168.1.1\n"
    "link = sw1\n"
    "\n"
    "[host h3]\n"
    "ip = 192.168.2.10/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n"
    "# h3 is the server: echo on TCP and UDP port 7, a one-line answer on "
    "8080,\n"
    "# a web page on 80.\n"
    "services = tcp-echo 7; udp-echo 7; tcp-reply 8080 i am server; http 80\n"
    "\n"
    "[host h4]\n"
    "ip = 192.168.2.11/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n";

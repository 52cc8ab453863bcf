/* topology.c — topology files: load and validate.
 *
 * This file reads the text and orders the steps (topology_private.h lists
 * the files that do them); the key reference below covers them all.  The
 * keys themselves are rows of their kind's table (topology_host.c,
 * topology_router.c, topology_switch.c, topology_bridge.c,
 * topology_stack.c), each with a one-line doc; the rows drive the loading
 * and the "unknown key" and "did you mean" messages, and a test checks
 * that README.md lists every one.
 *
 * Topology file reference
 * =======================
 *
 * A topology is a key file in the GLib format: `[section]` lines,
 * `key = value` lines and `#` comments (topology_text.c reads it).  One section
 * per node; the section name is the node's kind and its name:
 *
 *   [switch NAME]    [router NAME]    [host NAME]    [bridge NAME]
 *   [vxlan NAME]
 *
 * NAME is a letter followed by letters, digits, '-' or '_', at most 31
 * characters, unique across all kinds.  An unknown section kind or key is an
 * error (it is usually a typo), and so is a section or a key given twice.
 * Values are taken literally (key-file escapes such as \s mean nothing);
 * list values are separated by ';' (a trailing ';' is fine).
 *
 * Values
 *   ADDR       an IPv4 address: 192.168.1.10
 *   ADDR/LEN   an interface address and prefix length: 192.168.1.10/24.
 *              LEN is 1-30 (/31 and /32 leave no room for a neighbour).  The
 *              address may not be its subnet's network or broadcast address,
 *              nor lie in 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0 and above.
 *   PREFIX     a route destination, written as its network address:
 *              10.0.0.0/8, 0.0.0.0/0 or `default`; a bare ADDR means /32
 *   TIME       a number with a unit ns, us, ms, s or m: 250us, 10ms, 1.5s
 *   MAC        six two-digit hex groups, ':' or '-' separated, unicast:
 *              02:00:00:00:00:01
 *   N          a whole number
 *
 * Link parameters: key=value words written after a link's peer.
 *   delay=TIME   propagation delay, 0 to 1h              (default 10us)
 *   rate=RATE    a number with a unit bit, kbit, Mbit or Gbit (any case,
 *                "/s" allowed: 1.5Mbit, 10kbit/s), or 0 or unlimited
 *                                                        (default 100Mbit)
 *   loss=P       loss probability 0 to 1 (0.01), or a percentage (1%)
 *                                                        (default 0)
 *   queue=N      frames waiting per direction, 1 to 100000 (default 64)
 *   jitter=TIME  delay varies uniformly by +-TIME, order kept (default 0)
 *   reorder=P    a frame skips the delay, overtaking others (default 0)
 *   duplicate=P  a second copy follows the frame             (default 0)
 *   corrupt=P    one random bit flipped                      (default 0)
 *   loss=gemodel:P[:R[:1-H[:1-K]]]
 *                bursty (Gilbert-Elliott) loss instead of loss=P; R,
 *                1-H, 1-K default to 100%, 100%, 0% (net/link_params.h)
 *
 * [host NAME] — an end system.
 *   ip = ADDR/LEN          its address; its one interface is called eth0.
 *                          Required unless interface keys are used.
 *   link = PEER [params]   required with ip.  PEER is a switch (sw1), or
 *                          NODE:IFACE (r1:eth2) for a direct cable to a
 *                          router's (or another host's) interface.
 *   mac = MAC              with ip: eth0's MAC (default: assigned 02:...)
 *   IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC]
 *                          instead of ip/link/mac, for a multi-homed host;
 *                          the same syntax as router interfaces.
 *   gateway = ADDR         default gateway: inside one of the host's
 *                          subnets, not its own address.
 *   route = PREFIX via ADDR [metric N]; ...
 *                          static routes, as for routers.  A 0.0.0.0/0
 *                          route and a gateway cannot both be given.
 *   arp-timeout = TIME     how long an ARP answer stays valid, up to 1 day
 *                          (default 60s)
 *   arp-retry = TIME       between ARP requests, up to 1h (default 1s)
 *   arp-retries = N        requests before giving up, 1-100 (default 3)
 *   arp-cache-size = N     ARP cache entries, 1-1000000 (default 256)
 *   services = SERVICE; ...
 *                          servers the host runs, each one of
 *                            tcp-echo PORT       udp-echo PORT
 *                            tcp-reply PORT [once] TEXT http PORT
 *                            udp-listen PORT [group G]
 *                          (NAME:PORT works too; PORT 1-65535; G a
 *                          multicast address).  A TCP port serves one
 *                          service, and so does a UDP port.
 *   tcp-time-wait = TIME   how long a closed TCP connection stays in
 *                          TIME-WAIT, up to 1h (default 1s)
 *   tcp-profile = linux|minimal
 *                          how TCP speaks: linux (default: window
 *                          scaling, timestamps, SACK, growing buffers) or
 *                          minimal (the MSS option, a 64 KiB window)
 *   tcp-delayed-ack = TIME ACK every second full segment or after TIME,
 *                          up to 500ms (default: every segment at once)
 *   tcp-rmem-max = N       receive buffer bound, bytes (default 6291456)
 *   tcp-wmem-max = N       send buffer bound, bytes (default 4194304)
 *
 * [router NAME] — forwards IPv4 between the subnets of its interfaces.
 *   IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC]
 *                          at least one.  IFACE is lowercase letters then
 *                          digits (eth0, ge1), at most 15 characters.  PEER
 *                          is a switch (sw1) or NODE:IFACE (r2:eth0).
 *                          Without @ the interface is connected only if
 *                          another node names it as its peer.
 *   route = PREFIX via ADDR [metric N]; ...
 *                          static routes separated by ';'.  ADDR (the next
 *                          hop) lies inside one of the router's subnets;
 *                          metric 0-65535 (default 1).  0.0.0.0/0 via ADDR
 *                          is the default route.
 *   igmp-querier = true|false
 *                          IGMP queries and membership tables on every
 *                          interface (default false)
 *   arp-timeout, arp-retry, arp-retries, arp-cache-size, services,
 *   tcp-time-wait, tcp-profile, tcp-delayed-ack, tcp-rmem-max,
 *   tcp-wmem-max           as for hosts.
 *
 * [switch NAME] — a learning switch; each link attached makes a new port.
 *   link = SWITCH [params]; SWITCH [params]; ...
 *                          links to other switches (hosts and routers name
 *                          their switch in their own sections).
 *   fdb-size = N           MAC table capacity, 1-1000000 (default 1024)
 *   aging = TIME           MAC table entry lifetime, up to 1000000s
 *                          (default 300s)
 *   igmp-snooping = true|false
 *                          multicast only to the ports that reported the
 *                          group and the querier's (default true)
 *
 * [bridge NAME] — a host whose services are real sockets on this machine
 * (opened only when the simulation runs, by bridge/).  A host's keys (ip,
 * link, mac, interfaces, gateway, route, arp-*, services, tcp-*),
 * and at least one listen or connect rule:
 *   listen = [PROTO:][ADDR:]PORT [-> TARGET:PORT]; ...
 *                          real clients connecting to ADDR:PORT on this
 *                          machine are relayed to TARGET:PORT in the
 *                          simulated network.  PROTO tcp (default) or
 *                          udp; ADDR default 127.0.0.1; PORT 0-65535, 0
 *                          any free port; TARGET an address or a host,
 *                          router or bridge named (its first address);
 *                          target PORT 1-65535.
 *   forward = TARGET:PORT  the target of listen rules without one
 *   connect = [PROTO:][SIMADDR:]PORT -> [ADDR:]PORT; ...
 *                          simulated clients reaching the bridge's PORT
 *                          (at SIMADDR, one of its addresses; default any)
 *                          are relayed to the real server ADDR:PORT (ADDR
 *                          default 127.0.0.1).  One rule per protocol and
 *                          port, not a service's port.
 *   allow-remote = true|false
 *                          ADDR outside 127.0.0.0/8 allowed (default
 *                          false)
 *   max-connections = N    TCP relays at once, 1-1000000 (default 1024)
 *   udp-timeout = TIME     a UDP mapping's idle lifetime, up to 1 day
 *                          (default 60s)
 *
 * [vxlan NAME] — one cable end carried over UDP as VXLAN (RFC 7348) to
 * another netsim process or a Linux vxlan interface (the socket opens
 * only when the simulation runs, by bridge/vxlan.c).
 *   link = SWITCH [params] the switch it plugs into (required; a switch
 *                          or host cannot name a segment as its peer)
 *   vni = N                0-16777215 (required)
 *   local = ADDR[:PORT]    bound on this machine (default
 *                          127.0.0.1:4789; PORT 0 any free port); no two
 *                          segments bind the same address and port
 *   remote = ADDR[:PORT]; ...
 *                          where frames go, one copy each (port default
 *                          4789, 1-65535); datagrams are taken only from
 *                          these addresses (required)
 *   allow-remote = true|false
 *                          local and remote outside 127.0.0.0/8 allowed
 *                          (default false)
 *
 * Rules
 *   - An interface takes at most one link; a switch takes any number.  A
 *     node cannot be linked to itself.
 *   - A link may be declared from both ends (r1: `eth1 = 10.0.12.1/30 @
 *     r2:eth0`, r2: `eth0 = 10.0.12.2/30 @ r1:eth1`; or sw1 `link = sw2` and
 *     sw2 `link = sw1`): it is one link.  A parameter given at both ends
 *     must have the same value; one given at one end applies to the link.
 *   - Both ends of a direct cable (interface to interface) must be in the
 *     same subnet.
 *   - The interfaces of one node must not have overlapping subnets.
 *   - Switch links must not form a loop: these switches run no spanning
 *     tree, so a broadcast would circle forever.
 *   - An interface connected to nothing is allowed (--check says so).
 *   - Every address is used once in the network; so is every MAC given.
 */
#include "config/topology_private.h"
#include "core/i18n.h"
#include "core/input.h"
#include "core/text.h"

#include <string.h>

#include "net/fdb.h"
#include "net/link_params.h"

/* ---- sections ------------------------------------------------------------ */

static gboolean parse_section(Loader *ld, const char *group, NsNodeKind *kind,
                              char **name) {
  const char *sp = strpbrk(group, " \t");
  g_autofree char *kstr =
      sp ? g_strndup(group, (gsize)(sp - group)) : g_strdup(group);
  const TopoKind *k = ns_topo_kind_named(kstr);
  if (k == NULL) {
    g_autofree char *all = ns_topo_kinds_text(TOPO_KIND_WORDS, " or ");
    return ns_topo_fail(ld, NS_ERROR_PARSE, group, NULL,
                        _("unknown section kind '%s' (expected %s)"), kstr,
                        all);
  }
  char *nm = g_strstrip(g_strdup(sp ? sp : ""));
  if (*nm == '\0') {
    g_free(nm);
    return ns_topo_fail(ld, NS_ERROR_PARSE, group, NULL,
                        _("has no name (expected [%s NAME], such as [%s %s])"),
                        kstr, kstr, k->example);
  }
  if (ns_topology_name_reserved(nm)) {
    ns_topo_fail(ld, NS_ERROR_INVALID, group, NULL,
                 _("'%s' is a console command (expected another name: a "
                   "line such as '%s ping h2' would run the command, not "
                   "reach the node)"),
                 nm, nm);
    g_free(nm);
    return FALSE;
  }
  if (!ns_topo_is_name(nm)) {
    ns_topo_fail(
        ld, NS_ERROR_PARSE, group, NULL,
        _("'%s' is not a valid name (expected a letter, then letters, digits, "
          "'-' or '_', at most %d characters)"),
        nm, NAME_MAX_LEN);
    g_free(nm);
    return FALSE;
  }
  *kind = k->kind;
  *name = nm;
  return TRUE;
}

static gboolean add_nodes(Loader *ld) {
  for (guint i = 0; i < ld->sections->len; i++) {
    NsNodeKind kind = NS_NODE_HOST;
    char *name = NULL;
    const char *group = section_at(ld, i)->name;
    if (!parse_section(ld, group, &kind, &name))
      return FALSE;
    gpointer other = g_hash_table_lookup(ld->byname, name);
    if (other != NULL) {
      g_autofree char *all = ns_topo_kinds_text(TOPO_KIND_PLURALS, " and ");
      ns_topo_fail(ld, NS_ERROR_INVALID, group, NULL,
                   _("the name '%s' is already used by [%s] (expected names "
                     "unique across %s)"),
                   name, section_of(ld, GPOINTER_TO_UINT(other) - 1), all);
      g_free(name);
      return FALSE;
    }
    NsTopoNode *n = g_new0(NsTopoNode, 1);
    n->kind = kind;
    n->name = name;
    n->arp = ns_arp_default_config;
    n->fdb_size = NS_FDB_DEFAULT_CAPACITY;
    n->aging = NS_FDB_DEFAULT_AGING;
    if (ns_topo_kind(kind)->init != NULL)
      ns_topo_kind(kind)->init(n);
    g_ptr_array_add(ld->t->nodes, n);
    NodeState st = {
        .section = g_strconcat(ns_node_kind_name(kind), " ", name, NULL),
        .iface_link = g_array_new(FALSE, FALSE, sizeof(gint)),
    };
    g_array_append_val(ld->states, st);
    g_hash_table_insert(ld->byname, name, GUINT_TO_POINTER(i + 1));
    g_array_append_val(ld->uf, i);
  }
  return TRUE;
}

/* ---- loading ------------------------------------------------------------- */

static gboolean load(Loader *ld, const char *data, gsize len) {
  if (!ns_input_check_text(data, len, ld->source, ld->error) ||
      !ns_topo_split_text(ld, data, len))
    return FALSE;
  if (ld->sections->len == 0) {
    g_autofree char *all = ns_topo_kinds_text(TOPO_KIND_SECTIONS, " or ");
    return ns_topo_fail(ld, NS_ERROR_INVALID, NULL, NULL,
                        _("no nodes: expected at least one %s section"), all);
  }
  if (!add_nodes(ld))
    return FALSE;
  for (guint i = 0; i < ld->t->nodes->len; i++)
    if (!ns_topo_load_node(ld, i))
      return FALSE;
  for (guint i = 0; i < ld->decls->len; i++)
    if (g_array_index(ld->decls, LinkDecl, i).peer != NULL &&
        !ns_topo_add_link(ld, i))
      return FALSE;
  return ns_topo_check_vxlan_loops(ld) && ns_topo_resolve_bridges(ld);
}

/* What a node owns besides its struct, name and interfaces. */
static void node_clear(NsTopoNode *n) {
  if (n->routes != NULL)
    g_array_unref(n->routes);
  if (n->services != NULL)
    g_array_unref(n->services);
  ns_topo_bridge_free(n->bridge);
  ns_topo_vxlan_free(n->vxlan);
}

/* A node while loading: each part its own allocation. */
static void node_free(gpointer p) {
  NsTopoNode *n = p;
  node_clear(n);
  g_free(n->name);
  g_free(n->ifaces);
  g_free(n);
}

/* Moves every node, its interfaces and its name into t->block, in that
 * order (nodes, then interfaces, then names), freeing where they were.
 * A network of 100,000 hosts built from a loaded topology used to get its
 * memory from between the topology's pieces; freed after the build (main.c),
 * those pieces left holes that the run could not fill. */
static void compact_nodes(NsTopology *t) {
  guint n = t->nodes->len;
  gsize ifaces = 0, names = 0;
  for (guint i = 0; i < n; i++) {
    const NsTopoNode *tn = g_ptr_array_index(t->nodes, i);
    ifaces += tn->n_ifaces;
    names += strlen(tn->name) + 1;
  }
  gsize node_bytes = n * sizeof(NsTopoNode);
  gsize iface_bytes = ifaces * sizeof(NsTopoIface);
  guint8 *block = g_malloc(MAX(node_bytes + iface_bytes + names, 1));
  NsTopoNode *nodes = (NsTopoNode *)block;
  NsTopoIface *iface = (NsTopoIface *)(block + node_bytes);
  char *name = (char *)(block + node_bytes + iface_bytes);
  g_ptr_array_set_free_func(t->nodes, NULL);
  for (guint i = 0; i < n; i++) {
    NsTopoNode *old = g_ptr_array_index(t->nodes, i);
    NsTopoNode *tn = &nodes[i];
    *tn = *old;
    if (old->n_ifaces > 0)
      memcpy(iface, old->ifaces, old->n_ifaces * sizeof *iface);
    tn->ifaces = old->n_ifaces > 0 ? iface : NULL;
    iface += old->n_ifaces;
    gsize len = strlen(old->name) + 1;
    tn->name = memcpy(name, old->name, len);
    name += len;
    g_free(old->name);
    g_free(old->ifaces);
    g_free(old);
    t->nodes->pdata[i] = tn;
  }
  t->block = block;
}

/* a, in an array of exactly its length (a grows by doubling; a topology
 * lives as long as its network, up to 50 bytes a host at 100,000). */
static GArray *exact_copy(GArray *a) {
  GArray *b =
      g_array_sized_new(FALSE, TRUE, g_array_get_element_size(a), a->len);
  g_array_append_vals(b, a->data, a->len);
  g_array_unref(a);
  return b;
}

static gboolean params_same(gconstpointer a, gconstpointer b) {
  return ns_link_params_same(a, b);
}

static guint params_hash(gconstpointer p) { return ns_link_params_hash(p); }

/* Each link's merged parameters (per, one per link) to t->params: one
 * copy per distinct set, in order of first use. */
static void share_params(NsTopology *t, GArray *per) {
  GHashTable *seen = g_hash_table_new(params_hash, params_same);
  for (guint i = 0; i < t->links->len; i++) {
    const NsLinkParams *p = &g_array_index(per, NsLinkParams, i);
    NsLinkParams *own = g_hash_table_lookup(seen, p);
    if (own == NULL) {
      own = g_memdup2(p, sizeof *p);
      g_ptr_array_add(t->params, own);
      g_hash_table_add(seen, own);
    }
    g_array_index(t->links, NsTopoLink, i).params = own;
  }
  g_hash_table_unref(seen);
}

NsTopology *ns_topology_load_data(const char *data, gssize len,
                                  const char *source, GError **error) {
  g_return_val_if_fail(data != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  if (source == NULL)
    source = "<topology>";
  NsTopology *t = g_new0(NsTopology, 1);
  t->source = g_strdup(source);
  t->nodes = g_ptr_array_new_with_free_func(node_free);
  t->links = g_array_new(FALSE, TRUE, sizeof(NsTopoLink));
  t->params = g_ptr_array_new_with_free_func(g_free);
  Loader ld = {
      .source = t->source,
      .error = error,
      .t = t,
      .sections = g_array_new(FALSE, FALSE, sizeof(TopoSection)),
      .lines = g_array_new(FALSE, FALSE, sizeof(TopoLine)),
      .scratch = g_ptr_array_new(),
      .byname = g_hash_table_new(g_str_hash, g_str_equal),
      .ips = g_hash_table_new(g_direct_hash, g_direct_equal),
      .macs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .states = g_array_new(FALSE, TRUE, sizeof(NodeState)),
      .decls = g_array_new(FALSE, TRUE, sizeof(LinkDecl)),
      .link_decl = g_array_new(FALSE, FALSE, sizeof(guint)),
      .link_given = g_array_new(FALSE, FALSE, sizeof(guint)),
      .link_params = g_array_new(FALSE, FALSE, sizeof(NsLinkParams)),
      .uf = g_array_new(FALSE, FALSE, sizeof(guint)),
  };
  gsize n = len < 0 ? strlen(data) : (gsize)len;
  /* A UTF-8 byte order mark (Notepad writes one) is not part of the text. */
  if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    n -= 3;
  }
  gboolean ok = load(&ld, data, n);
  g_free(ld.text);
  g_array_unref(ld.sections);
  g_array_unref(ld.lines);
  g_ptr_array_unref(ld.scratch);
  g_hash_table_unref(ld.byname);
  g_hash_table_unref(ld.ips);
  g_hash_table_unref(ld.macs);
  if (ld.key_index != NULL)
    g_hash_table_unref(ld.key_index);
  if (ld.switch_pairs != NULL)
    g_hash_table_unref(ld.switch_pairs);
  for (guint i = 0; i < ld.states->len; i++) {
    g_free(state_at(&ld, i)->section);
    g_array_unref(state_at(&ld, i)->iface_link);
    ns_topo_iface_index_free(state_at(&ld, i)->big);
  }
  g_array_unref(ld.states);
  for (guint i = 0; i < ld.decls->len; i++)
    ns_topo_decl_clear(&g_array_index(ld.decls, LinkDecl, i));
  g_array_unref(ld.decls);
  g_array_unref(ld.link_decl);
  g_array_unref(ld.link_given);
  g_array_unref(ld.uf);
  if (ok) {
    t->links = exact_copy(t->links);
    share_params(t, ld.link_params);
    compact_nodes(t);
  }
  g_array_unref(ld.link_params);
  if (!ok) {
    ns_topology_free(t);
    return NULL;
  }
  return t;
}

NsTopology *ns_topology_load_file(const char *path, GError **error) {
  g_return_val_if_fail(path != NULL, NULL);
  gsize len;
  g_autofree char *data = ns_input_read(path, NS_INPUT_MAX_TOPOLOGY,
                                        _("the topology file"), &len, error);
  if (data == NULL)
    return NULL;
  return ns_topology_load_data(data, (gssize)len, path, error);
}

void ns_topology_free(NsTopology *t) {
  if (t == NULL)
    return;
  if (t->block != NULL) /* the nodes are in it */
    for (guint i = 0; i < t->nodes->len; i++)
      node_clear(g_ptr_array_index(t->nodes, i));
  g_ptr_array_unref(t->nodes);
  g_free(t->block);
  g_array_unref(t->links);
  g_ptr_array_unref(t->params);
  g_free(t->source);
  g_free(t);
}

gint ns_topology_find(const NsTopology *t, const char *name) {
  g_return_val_if_fail(t != NULL && name != NULL, -1);
  for (guint i = 0; i < t->nodes->len; i++)
    if (strcmp(((NsTopoNode *)g_ptr_array_index(t->nodes, i))->name, name) == 0)
      return (gint)i;
  return -1;
}

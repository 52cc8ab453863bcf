/* topology_private.h — what the topology loader's files share.
 *
 * Loading a topology file goes in steps, one file each:
 *   topology_text.c     the text split into sections and keys, in one
 *                       pass, with its syntax checks;
 *   topology.c          one node per section, then each section's keys,
 *                       then the links; the public entry points;
 *   topology_values.c   one value at a time: errors, names, numbers, rates,
 *                       interface addresses, link parameters;
 *   topology_kinds.c    the table of section kinds, and the one loop that
 *                       reads a section's keys through its kind's rows;
 *   topology_host.c, topology_router.c, topology_switch.c,
 *   topology_bridge.c   one section kind each: its key rows, its checks,
 *                       its --check lines;
 *   topology_bridge_rule.c
 *                       one rule of a bridge's listen or connect key;
 *   topology_vxlan.c    [vxlan NAME]: a cable end carried over UDP;
 *   topology_stack.c    the keys every IP node (host, router) shares:
 *                       interfaces, gateway, routes, ARP, services, TCP;
 *                       each link as declared (a LinkDecl), not yet
 *                       resolved;
 *   topology_links.c    the declarations turned into links: peers resolved,
 *                       a link declared from both ends merged, loops of
 *                       switches and subnet mismatches refused;
 *   (topology_bridge.c) then the bridges' targets: node names resolved to
 *                       addresses, which needs every node loaded;
 *   topology_summary.c  the --check summary and the built-in network.
 * Every check fails through ns_topo_fail(), which sets the one GError;
 * nothing after a failure runs, and the caller frees what was built.
 */
#pragma once

#include "config/topology.h"

G_BEGIN_DECLS

#define NAME_MAX_LEN 31

/* One link as written in one section: a host's `link`, a router or host
 * interface key, one item of a switch's `link` list. */
typedef struct {
  guint node;
  gint iface;          /* index into the node's ifaces; -1 for a switch */
  char *key;           /* the key that declared it, for messages */
  char *peer;          /* "sw1", "r2:eth0"; NULL: an interface without @ */
  NsLinkParams params; /* defaults, overridden by the given ones */
  guint given;         /* link parameters given: bit 1 << NsLinkParam */
} LinkDecl;

typedef struct {
  char *section;          /* "host h1", for messages */
  gboolean ip_style;      /* a host written with ip/link/mac */
  GArray *iface_link;     /* gint per iface: index into links, or -1 */
  char **keys;            /* the section's keys in file order, while its keys
                             load (borrowed; NULL before and after) */
  struct IfaceIndex *big; /* NULL unless the node has many interfaces */
} NodeState;

/* For a node with many interfaces (a router with thousands), made on
 * first use so that neither a new interface's subnet check nor a link
 * naming NODE:IFACE walks every interface (one pointer in NodeState: a
 * network of 1,000,000 hosts has as many). */
typedef struct IfaceIndex {
  GTree *spans;            /* IfaceSpan (owned) -> itself, by start */
  GHashTable *iface_names; /* interface name -> index + 1 */
  guint names_indexed;     /* interfaces iface_names holds */
} IfaceIndex;

/* Frees ix (may be NULL). */
void ns_topo_iface_index_free(IfaceIndex *ix);

/* The addresses of an interface's subnet, first to last. */
typedef struct {
  guint32 start, end;
  guint iface;
} IfaceSpan;

/* Nodes with more interfaces than this are indexed (NodeState). */
#define INDEX_IFACES 32

/* One `[name]` line of the text and its keys (topology_text.c). */
typedef struct {
  char *name;  /* between the brackets, in Loader.text */
  guint line;  /* its line number */
  guint first; /* its keys: Loader.lines[first .. first + n) */
  guint n;
} TopoSection;

/* One `key = value` line: both cut in place in Loader.text, the value
 * without surrounding blanks. */
typedef struct {
  char *key;
  char *value;
} TopoLine;

/* The state of one load; the topology being built is t. */
typedef struct {
  const char *source;
  GError **error;
  NsTopology *t;
  char *text;          /* a copy of the file, cut into sections and keys */
  GArray *sections;    /* TopoSection, one per node, same order */
  GArray *lines;       /* TopoLine, in file order */
  GPtrArray *scratch;  /* a section's keys while it loads (NodeState.keys) */
  GHashTable *byname;  /* node name -> index + 1 */
  GHashTable *ips;     /* address -> node index + 1 */
  GHashTable *macs;    /* "02:..." -> node index + 1 */
  GArray *states;      /* NodeState per node */
  GArray *decls;       /* LinkDecl, in file order */
  GArray *link_decl;   /* guint per link: the decl that created it */
  GArray *link_params; /* NsLinkParams per link, merged from both ends;
                          shared out into NsTopology.params at the end */
  GArray *link_given;  /* guint per link: P_* bits given at either end */
  GArray *uf;          /* guint per node: union-find parent (switches) */
  /* While a long section loads (a router with thousands of interfaces):
   * its keys -> position + 1, so that looking a key up is not a walk of
   * the section (which made loading quadratic).  key_index_of is that
   * section's index + 1, 0 while none is indexed. */
  GHashTable *key_index;
  guint key_index_of;
  /* The links between two switches: their node indexes (guint64: the
   * smaller << 32 | the larger) -> link index + 1, so that a link given
   * twice is found without a walk of every link so far.  NULL until the
   * first such link. */
  GHashTable *switch_pairs;
} Loader;

static inline NsTopoNode *node_at(const Loader *ld, guint i) {
  return g_ptr_array_index(ld->t->nodes, i);
}

static inline NodeState *state_at(const Loader *ld, guint i) {
  return &g_array_index(ld->states, NodeState, i);
}

/* "host h1": how messages name node i's section. */
static inline const char *section_of(const Loader *ld, guint i) {
  return state_at(ld, i)->section;
}

static inline TopoSection *section_at(const Loader *ld, guint i) {
  return &g_array_index(ld->sections, TopoSection, i);
}

static inline TopoLine *line_at(const Loader *ld, guint i) {
  return &g_array_index(ld->lines, TopoLine, i);
}

static inline NsTopoIface *iface_at(const NsTopoNode *n, guint i) {
  return &n->ifaces[i];
}

/* A switch's or a vxlan segment's cable end is the node itself (a port
 * made for it), named without an interface. */
static inline gboolean port_end(const NsTopoNode *n) {
  return n->kind == NS_NODE_SWITCH || n->kind == NS_NODE_VXLAN;
}

/* ---- topology_text.c ------------------------------------------------------
 */

/* Copies the text into ld->text and splits it into ld->sections and
 * ld->lines; refuses what is not a comment, a section or a key line, a
 * section given twice and localized keys (key[de]). */
gboolean ns_topo_split_text(Loader *ld, const char *data, gsize len);
/* The value of key in node idx's section as written after '=' (the last
 * one if given twice), or NULL. */
const char *ns_topo_raw_value(const Loader *ld, guint idx, const char *key);
/* The position of key among the keys of section idx, or -1, while that
 * section is indexed (Loader.key_index). */
gint ns_topo_indexed_pos(const Loader *ld, guint idx, const char *key);

/* ---- topology_values.c ----------------------------------------------------
 */

/* Sets the one error: "SOURCE: [SECTION] KEY: MESSAGE" (section and key may
 * be NULL).  Returns FALSE. */
gboolean ns_topo_fail(Loader *ld, NsErrorCode code, const char *section,
                      const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/* Wraps an error from a value parser, prefixed by what (may be NULL); frees
 * it.  Returns FALSE. */
gboolean ns_topo_fail_with(Loader *ld, const char *section, const char *key,
                           const char *what, GError *e);

/* A node name: a letter, then letters, digits, '-' or '_'; at most
 * NAME_MAX_LEN characters. */
gboolean ns_topo_is_name(const char *s);
/* An interface name: [a-z]+[0-9]+ */
gboolean ns_topo_is_iface_name(const char *s);
/* Splits on blanks, dropping empty words (g_strfreev). */
char **ns_topo_split_words(const char *s);
/* Decimal digits only, at most max. */
gboolean ns_topo_parse_uint(const char *s, guint64 max, guint64 *out);

/* The stripped value of key in node idx's section, or NULL with the error
 * set (g_free).  Values are taken literally, without GKeyFile escapes. */
char *ns_topo_get_value(Loader *ld, guint idx, const char *key);
/* A ';'-separated value as stripped items (empty ones kept), or NULL. */
char **ns_topo_get_list(Loader *ld, guint idx, const char *key);
/* Key as a whole number from min to max. */
gboolean ns_topo_key_uint(Loader *ld, guint idx, const char *key, guint min,
                          guint max, guint *out);
/* Key as a TIME, more than 0 and at most max. */
gboolean ns_topo_key_time(Loader *ld, guint idx, const char *key, NsTime max,
                          NsTime *out);
/* An interface address, ADDR/LEN: a usable unicast host address with LEN
 * 1-30. */
gboolean ns_topo_parse_iface_addr(Loader *ld, guint idx, const char *key,
                                  const char *text, NsPrefix *out);
/* Parses "key=value" link parameters (the NULL-terminated words) into d;
 * mac= only when ifc != NULL, into ifc. */
gboolean ns_topo_parse_params(Loader *ld, guint idx, const char *key,
                              char **words, LinkDecl *d, NsTopoIface *ifc);

/* ---- section kinds (topology_kinds.c) -----------------------------------
 *
 * A section kind is one TopoKind row: its word, its keys (TopoKey rows)
 * and how it validates the section once every key is read.  Loading a section
 * is one loop for every kind (ns_topo_load_node):
 *   1. each key in file order is matched to a row, exactly by name or by a
 *      pattern row (interface keys: eth0, ge1); no row: "unknown key", with
 *      "did you mean" from the kind's names;
 *   2. rows that are not `late` load as they are met;
 *   3. the kind's validate runs (which keys go together, what is
 *      required);
 *   4. the `late` rows load, in table order (a gateway or route needs every
 *      interface).
 * The first failure ends the load, so which error a file with several gets
 * follows this order.  Adding a kind: a file with its rows and its
 * TopoKind, a NsNodeKind, its extern below and its line in the table of
 * topology_kinds.c.
 */

typedef struct TopoKey TopoKey;

/* Loads one key (row says which; key is its name as written) of node
 * idx's section. */
typedef gboolean (*TopoKeyLoad)(Loader *ld, guint idx, const char *key,
                                const TopoKey *row);

struct TopoKey {
  const char *name;  /* "gateway"; "IFACE" for a pattern row; NULL ends */
  const char *value; /* the value's syntax: "ADDR" */
  const char *doc;   /* one line: what it sets, its range and default */
  TopoKeyLoad load;  /* NULL: read by another row's load (a host's link and
                        mac, by ip) */
  gboolean late;     /* loaded after the kind's validate, in table order;
                        otherwise as met, in file order */
  /* Pattern rows only: which keys the row takes, and how messages show
   * one ("eth0 = ADDR/LEN @ PEER"). */
  gboolean (*matches)(const char *key);
  const char *example;
  /* Number and flag rows only (ns_topo_load_uint, ns_topo_load_time,
   * ns_topo_load_bool): the offset of the value (a guint, an NsTime or a
   * gboolean) in NsTopoNode, or in what base
   * returns when set (a bridge's NsTopoBridge), and its range; a time is
   * always more than 0, so min is unused there. */
  gsize field;
  guint64 min, max;
  gpointer (*base)(NsTopoNode *n);
};

typedef struct {
  NsNodeKind kind;
  const char *name;           /* "host": the section's first word */
  const char *plural;         /* "hosts" */
  const char *count_one;      /* N_("%u host"): --check's count, translated */
  const char *count_many;     /* N_("%u hosts") */
  const char *example;        /* "h1": a name for messages */
  guint count_rank;           /* place in the --check count line (0 first) */
  const TopoKey *const *keys; /* tables of rows, NULL-terminated */
  /* The section as a whole (which keys go together, what is required):
   * after the keys in file order, before the late ones; NULL: none. */
  gboolean (*validate)(Loader *ld, guint idx);
  /* The --check lines of node idx (g_strdup'ed into lines); links holds
   * the indexes of the links that touch it, in link order. */
  void (*describe)(const NsTopology *t, guint idx, const GArray *links,
                   GPtrArray *lines);
  /* Gives a new node of the kind what only that kind has (a bridge's
   * NsTopoBridge), before any key loads; NULL: nothing. */
  void (*init)(NsTopoNode *n);
} TopoKind;

extern const TopoKind ns_topo_host_kind;
extern const TopoKind ns_topo_router_kind;
extern const TopoKind ns_topo_switch_kind;
extern const TopoKind ns_topo_bridge_kind;
extern const TopoKind ns_topo_vxlan_kind;

/* A host's own keys (ip, gateway, link, mac, interfaces) and its checks,
 * which a bridge shares (topology_host.c). */
extern const TopoKey ns_topo_host_keys[];
gboolean ns_topo_validate_host(Loader *ld, guint idx);

/* The row of kind k. */
const TopoKind *ns_topo_kind(NsNodeKind k);
/* The kind whose word is name, or NULL. */
const TopoKind *ns_topo_kind_named(const char *name);
/* How ns_topo_kinds_text() writes each kind. */
typedef enum {
  TOPO_KIND_WORDS,    /* host */
  TOPO_KIND_PLURALS,  /* hosts */
  TOPO_KIND_SECTIONS, /* [host] */
} TopoKindWords;
/* Every kind in enum order, joined by ", " and last_sep:
 * (TOPO_KIND_SECTIONS, " or ") gives "[host], [switch] or [router]"
 * (g_free). */
char *ns_topo_kinds_text(TopoKindWords words, const char *last_sep);

/* Loads the keys of node idx's section (the node exists already), appending
 * its interfaces, routes and link declarations. */
gboolean ns_topo_load_node(Loader *ld, guint idx);
/* Where key stands among node idx's keys in file order, or -1 if absent
 * (only while the section loads). */
gint ns_topo_key_pos(const Loader *ld, guint idx, const char *key);
/* The first of node idx's keys that a pattern row takes (an interface
 * key), or NULL (only while the section loads). */
const char *ns_topo_first_iface_key(const Loader *ld, guint idx);
/* Number rows: the key as a whole number from row->min to row->max, or as a
 * TIME up to row->max, into the node's field at row->field. */
gboolean ns_topo_load_uint(Loader *ld, guint idx, const char *key,
                           const TopoKey *row);
gboolean ns_topo_load_time(Loader *ld, guint idx, const char *key,
                           const TopoKey *row);
/* Flag rows: true or false (any case) into the gboolean at row->field. */
gboolean ns_topo_load_bool(Loader *ld, guint idx, const char *key,
                           const TopoKey *row);

/* ---- the keys of IP nodes (topology_stack.c) ------------------------------
 */

/* The interface of node idx named name, or -1. */
gint ns_topo_iface_named(Loader *ld, guint idx, const char *name);

/* route, arp-timeout, arp-retry, arp-retries, arp-cache-size, services,
 * tcp-time-wait, tcp-profile, tcp-delayed-ack, tcp-rmem-max, tcp-wmem-max:
 * the keys every IP node has. */
extern const TopoKey ns_topo_stack_keys[];
/* IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC] */
gboolean ns_topo_load_iface_key(Loader *ld, guint idx, const char *key,
                                const TopoKey *row);
/* Appends ifc (taking its name) after the network-wide checks: address
 * and MAC once in the network, no subnet overlap within the node.  key
 * and mac_key name the keys that gave the address and the MAC. */
gboolean ns_topo_add_iface(Loader *ld, guint idx, const char *key,
                           const char *mac_key, NsTopoIface *ifc);
/* gateway = ADDR, on-link. */
gboolean ns_topo_load_gateway(Loader *ld, guint idx, const char *key,
                              const TopoKey *row);
/* The --check lines of an IP node: interfaces and their peers, routes,
 * ARP settings not the default, services, TIME-WAIT. */
void ns_topo_describe_stack(const NsTopology *t, guint idx, const GArray *links,
                            GPtrArray *lines);

/* ---- bridges (topology_bridge.c, topology_bridge_rule.c) ------------------
 */

/* Frees a node's NsTopoBridge and its rules (NULL: nothing). */
void ns_topo_bridge_free(NsTopoBridge *b);
/* The step after links: each listen target written as a node name gets
 * that node's first address; a target address that is a node's gets
 * sim_name.  Needs every node loaded. */
gboolean ns_topo_resolve_bridges(Loader *ld);

/* One item of a listen or connect key (stripped, not empty) parsed alone:
 * syntax, protocol, addresses and ports; what needs the rest of the file
 * is left to the loader:
 *   - a listen item without "-> TARGET:PORT" has sim_port 0 (the forward
 *     key gives the target);
 *   - a listen target written as a node name is in sim_name, sim_addr
 *     0.0.0.0 until ns_topo_resolve_bridges();
 *   - allow-remote, the bridge's own addresses and services, and
 *     duplicates are not checked.
 * The error (NS_ERROR) quotes the item, for the caller to prefix with
 * file, section and key.  text is set; clear with
 * ns_topo_bridge_rule_clear(). */
gboolean ns_topo_bridge_rule_parse(NsBridgeDir dir, const char *item,
                                   NsBridgeRule *out, GError **error);
/* TARGET:PORT, the forward key's value: an address (name NULL) or a node
 * name (name set, g_free; addr 0.0.0.0); PORT 1-65535. */
gboolean ns_topo_bridge_target_parse(const char *text, NsIp4 *addr, char **name,
                                     guint16 *port, GError **error);
void ns_topo_bridge_rule_clear(NsBridgeRule *r);

/* ---- vxlan segments (topology_vxlan.c) ------------------------------------
 */

/* Frees a node's NsTopoVxlan (NULL: nothing). */
void ns_topo_vxlan_free(NsTopoVxlan *v);

/* ---- topology_links.c -----------------------------------------------------
 */

/* A declaration with the default parameters; copies key and peer (peer may
 * be NULL). */
void ns_topo_decl_init(LinkDecl *d, guint idx, gint iface, const char *key,
                       const char *peer);
/* Frees what d holds, not d. */
void ns_topo_decl_clear(LinkDecl *d);
/* Makes ld->decls[di] a link, or merges it into the link its other end
 * declared already; checks interfaces taken, switch loops and subnets. */
gboolean ns_topo_add_link(Loader *ld, guint di);
/* Two vxlan segments of the file that carry frames to each other (one's
 * remote is the other's local, same VNI) join their switches as a cable
 * would: such a pair must not close a loop either. */
gboolean ns_topo_check_vxlan_loops(Loader *ld);
/* "r1:eth0" or "sw1" (g_free). */
char *ns_topo_end_name(const NsTopology *t, NsTopoEnd e);
/* The same, appended to s. */
void ns_topo_append_end_name(GString *s, const NsTopology *t, NsTopoEnd e);

G_END_DECLS

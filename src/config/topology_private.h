/* topology_private.h — what the topology loader's files share.
 *
 * Loading a topology file goes in steps, one file each:
 *   topology.c          the raw text checks GKeyFile cannot do, one node per
 *                       section, then each section's keys, then the links;
 *                       the public entry points;
 *   topology_values.c   one value at a time: errors, names, numbers, rates,
 *                       interface addresses, link parameters;
 *   topology_nodes.c    one section's keys: interfaces, gateway, routes,
 *                       ARP and MAC table settings; each link as declared
 *                       (a LinkDecl), not yet resolved;
 *   topology_links.c    the declarations turned into links: peers resolved,
 *                       a link declared from both ends merged, loops of
 *                       switches and subnet mismatches refused;
 *   topology_summary.c  the --check summary and the built-in network.
 * Every check fails through ns_topo_fail(), which sets the one GError;
 * nothing after a failure runs, and the caller frees what was built.
 */
#pragma once

#include "config/topology.h"

G_BEGIN_DECLS

#define NAME_MAX_LEN 31

/* Link parameters given explicitly (bits of LinkDecl.given). */
enum { P_DELAY = 1, P_RATE = 2, P_LOSS = 4, P_QUEUE = 8 };

/* One link as written in one section: a host's `link`, a router or host
 * interface key, one item of a switch's `link` list. */
typedef struct {
  guint node;
  gint iface;          /* index into the node's ifaces; -1 for a switch */
  char *key;           /* the key that declared it, for messages */
  char *peer;          /* "sw1", "r2:eth0"; NULL: an interface without @ */
  NsLinkParams params; /* defaults, overridden by the given ones */
  guint given;         /* P_* bits */
} LinkDecl;

typedef struct {
  char *section;      /* "host h1", for messages */
  gboolean ip_style;  /* a host written with ip/link/mac */
  GArray *iface_link; /* gint per iface: index into links, or -1 */
} NodeState;

/* The state of one load; the topology being built is t. */
typedef struct {
  const char *source;
  GError **error;
  NsTopology *t;
  GKeyFile *kf;
  gchar **groups;     /* one per node, same order */
  GHashTable *byname; /* node name -> index + 1 */
  GHashTable *ips;    /* address -> node index + 1 */
  GHashTable *macs;   /* "02:..." -> node index + 1 */
  GArray *states;     /* NodeState per node */
  GArray *decls;      /* LinkDecl, in file order */
  GArray *link_decl;  /* guint per link: the decl that created it */
  GArray *link_given; /* guint per link: P_* bits given at either end */
  GArray *uf;         /* guint per node: union-find parent (switches) */
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

static inline NsTopoIface *iface_at(const NsTopoNode *n, guint i) {
  return &g_array_index(n->ifaces, NsTopoIface, i);
}

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
/* Whether s is one of the NULL-terminated list. */
gboolean ns_topo_in_list(const char *s, const char *const *list);
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
/* An interface address: a usable unicast host address with LEN 1-30. */
gboolean ns_topo_check_iface_addr(Loader *ld, guint idx, const char *key,
                                  NsPrefix p);
/* Parses "key=value" link parameters (the NULL-terminated words) into d;
 * mac= only when ifc != NULL, into ifc. */
gboolean ns_topo_parse_params(Loader *ld, guint idx, const char *key,
                              char **words, LinkDecl *d, NsTopoIface *ifc);

/* ---- topology_nodes.c -----------------------------------------------------
 */

/* Loads the keys of node idx's section (the node exists already), appending
 * its interfaces, routes and link declarations. */
gboolean ns_topo_load_node(Loader *ld, guint idx);

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
/* "r1:eth0" or "sw1" (g_free). */
char *ns_topo_end_name(const NsTopology *t, NsTopoEnd e);

G_END_DECLS

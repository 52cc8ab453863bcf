/* topology_vxlan.c — [vxlan NAME]: one cable end of the simulated network
 * carried over UDP as VXLAN (RFC 7348) to another netsim process or a
 * Linux vxlan interface (see NsTopoVxlan in topology.h; bridge/vxlan.c
 * opens the socket).
 *
 * When what loads: link, vni and allow-remote as met; local and remote
 * late (after the section's checks), so that allow-remote is known
 * wherever it stands in the section.
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <stddef.h>
#include <string.h>

#include "wire/vxlan.h"

#define VX_ADDR_PORT_EXAMPLE "127.0.0.1:4790"

static NsTopoVxlan *vxlan_at(const Loader *ld, guint idx) {
  return node_at(ld, idx)->vxlan;
}

static gpointer vxlan_fields(NsTopoNode *n) { return n->vxlan; }

static void init_vxlan(NsTopoNode *n) {
  NsTopoVxlan *v = g_new0(NsTopoVxlan, 1);
  v->local_addr = NS_IP4(127, 0, 0, 1);
  v->local_port = NS_VXLAN_PORT;
  v->remotes = g_array_new(FALSE, TRUE, sizeof(NsVxlanRemote));
  n->vxlan = v;
}

void ns_topo_vxlan_free(NsTopoVxlan *v) {
  if (v == NULL)
    return;
  g_array_unref(v->remotes);
  g_free(v);
}

/* ---- link ---------------------------------------------------------------- */

/* link = SWITCH [params]: one cable, a port-style end (iface -1). */
static gboolean load_link(Loader *ld, guint idx, const char *key,
                          const TopoKey *row) {
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) w = ns_topo_split_words(v);
  if (w[0] == NULL || strchr(v, ';') != NULL)
    return ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
                        _("'%s' is not one switch (expected %s = %s, such as "
                          "%s = sw1)"),
                        v, key, row->value, key);
  LinkDecl d;
  ns_topo_decl_init(&d, idx, -1, key, w[0]);
  if (!ns_topo_parse_params(ld, idx, key, w + 1, &d, NULL)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* ---- addresses ----------------------------------------------------------- */

/* "ADDR" or "ADDR:PORT" (PORT min..65535, default NS_VXLAN_PORT). */
static gboolean parse_addr_port(const char *text, guint min_port, NsIp4 *addr,
                                guint16 *port, GError **error) {
  const char *colon = strrchr(text, ':');
  g_autofree char *a =
      colon ? g_strndup(text, (gsize)(colon - text)) : g_strdup(text);
  g_strstrip(a);
  if (!ns_ip4_parse(a, addr, NULL)) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' is not ADDR[:PORT] (expected an IPv4 address and "
                  "an optional port, such as %s)"),
                text, VX_ADDR_PORT_EXAMPLE);
    return FALSE;
  }
  guint64 p = NS_VXLAN_PORT;
  if (colon != NULL) {
    g_autofree char *ps = g_strstrip(g_strdup(colon + 1));
    if (!ns_topo_parse_uint(ps, 65535, &p) || p < min_port) {
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  _("'%s': '%s' is not a port (expected %u-65535, default "
                    "%u)"),
                  text, ps, min_port, NS_VXLAN_PORT);
      return FALSE;
    }
  }
  *port = (guint16)p;
  return TRUE;
}

/* Outside 127.0.0.0/8 only with allow-remote. */
static gboolean check_loopback(Loader *ld, guint idx, const char *key,
                               const char *text, NsIp4 addr) {
  if (vxlan_at(ld, idx)->allow_remote || ns_ip4_is_loopback(addr))
    return TRUE;
  char a[NS_IP4_STRLEN];
  return ns_topo_fail(
      ld, NS_ERROR_INVALID, section_of(ld, idx), key,
      _("'%s': %s is outside 127.0.0.0/8, so the segment would reach other "
        "machines (expected an address in 127.0.0.0/8 such as 127.0.0.1, "
        "or add allow-remote = true to [%s])"),
      text, ns_ip4_format(addr, a), section_of(ld, idx));
}

/* Another vxlan section before idx binds the same address and port. */
static gboolean check_local_unique(Loader *ld, guint idx, const char *key) {
  const NsTopoVxlan *v = vxlan_at(ld, idx);
  for (guint i = 0; v->local_port != 0 && i < idx; i++) {
    const NsTopoVxlan *o = vxlan_at(ld, i);
    if (o == NULL || o->local_port != v->local_port ||
        !(ns_ip4_equal(o->local_addr, v->local_addr) ||
          ns_ip4_is_zero(o->local_addr) || ns_ip4_is_zero(v->local_addr)))
      continue;
    char e[NS_ENDPOINT_STRLEN];
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, idx), key,
        _("%s is already bound by [%s] (expected each address and port "
          "once: give one of them another port)"),
        ns_endpoint_format(v->local_addr, v->local_port, e), section_of(ld, i));
  }
  return TRUE;
}

static gboolean load_local(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  (void)row;
  NsTopoVxlan *v = vxlan_at(ld, idx);
  g_autofree char *text = ns_topo_get_value(ld, idx, key);
  if (text == NULL)
    return FALSE;
  GError *e = NULL;
  if (!parse_addr_port(text, 0, &v->local_addr, &v->local_port, &e))
    return ns_topo_fail_with(ld, section_of(ld, idx), key, NULL, e);
  return (ns_ip4_is_zero(v->local_addr) ||
          check_loopback(ld, idx, key, text, v->local_addr)) &&
         check_local_unique(ld, idx, key);
}

static gboolean load_remote(Loader *ld, guint idx, const char *key,
                            const TopoKey *row) {
  NsTopoVxlan *v = vxlan_at(ld, idx);
  g_auto(GStrv) items = ns_topo_get_list(ld, idx, key);
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    if (*items[k] == '\0')
      continue; /* "a; b;" */
    NsVxlanRemote r;
    GError *e = NULL;
    if (!parse_addr_port(items[k], 1, &r.addr, &r.port, &e))
      return ns_topo_fail_with(ld, section_of(ld, idx), key, NULL, e);
    if (!check_loopback(ld, idx, key, items[k], r.addr))
      return FALSE;
    g_array_append_val(v->remotes, r);
  }
  if (v->remotes->len > 0)
    return TRUE;
  return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                      _("no remotes (expected %s = %s)"), key, row->value);
}

/* ---- the section --------------------------------------------------------- */

#define VXLAN_FIELD(f) offsetof(NsTopoVxlan, f)

/* local before remote: the late rows load in this order. */
static const TopoKey vxlan_keys[] = {
    {"link", "SWITCH [params]",
     "the switch the segment's cable plugs into, with link parameters",
     .load = load_link},
    {"vni", "N",
     "the VXLAN network identifier, 0-16777215; both ends must use the same",
     .load = ns_topo_load_uint, .field = VXLAN_FIELD(vni), .min = 0,
     .max = NS_VXLAN_VNI_MAX, .base = vxlan_fields},
    {"local", "[ADDR][:PORT]",
     "the UDP address and port bound on this machine (default "
     "127.0.0.1:4789; port 0 any free port)",
     .load = load_local, .late = TRUE},
    {"remote", "ADDR[:PORT]; ...",
     "where each frame is sent, one copy per remote (port default 4789); "
     "datagrams are taken only from these addresses",
     .load = load_remote, .late = TRUE},
    {"allow-remote", "true|false",
     "let local and remote be outside 127.0.0.0/8, so the segment reaches "
     "other machines (default false)",
     .load = ns_topo_load_bool, .field = VXLAN_FIELD(allow_remote),
     .base = vxlan_fields},
    {.name = NULL},
};

static gboolean validate_vxlan(Loader *ld, guint idx) {
  static const char *const required[] = {"link", "vni", "remote"};
  for (guint i = 0; i < G_N_ELEMENTS(required); i++)
    if (ns_topo_key_pos(ld, idx, required[i]) < 0)
      return ns_topo_fail(
          ld, NS_ERROR_INVALID, section_of(ld, idx), NULL,
          _("has no %s (expected link = SWITCH, vni = N and remote = "
            "ADDR[:PORT], such as link = sw1, vni = 42, remote = %s)"),
          required[i], VX_ADDR_PORT_EXAMPLE);
  /* Without a local key the default is bound: checked here, as the
   * key's load would. */
  return ns_topo_key_pos(ld, idx, "local") >= 0 ||
         check_local_unique(ld, idx, "local");
}

char *ns_vxlan_format(const NsTopoVxlan *v, guint16 bound_port) {
  char l[NS_ENDPOINT_STRLEN];
  GString *s = g_string_new(NULL);
  g_string_append_printf(
      s, "vni %u %s ->", v->vni,
      ns_endpoint_format(v->local_addr,
                         bound_port != 0 ? bound_port : v->local_port, l));
  for (guint i = 0; i < v->remotes->len; i++) {
    const NsVxlanRemote *r = &g_array_index(v->remotes, NsVxlanRemote, i);
    char e[NS_ENDPOINT_STRLEN];
    g_string_append_printf(s, "%s %s", i ? "," : "",
                           ns_endpoint_format(r->addr, r->port, e));
  }
  return g_string_free(s, FALSE);
}

static void describe_vxlan(const NsTopology *t, guint idx, const GArray *links,
                           GPtrArray *lines) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  for (guint k = 0; k < links->len; k++) {
    const NsTopoLink *l =
        &g_array_index(t->links, NsTopoLink, g_array_index(links, guint, k));
    g_autofree char *peer = ns_topo_end_name(t, l->a.node == idx ? l->b : l->a);
    g_ptr_array_add(lines, g_strdup_printf("cable to %s", peer));
  }
  g_autofree char *f = ns_vxlan_format(n->vxlan, 0);
  g_ptr_array_add(
      lines,
      g_strdup_printf("VXLAN %s%s", f,
                      n->vxlan->local_port == 0 ? ", any free port" : ""));
  if (n->vxlan->allow_remote)
    g_ptr_array_add(lines, g_strdup("allow-remote: addresses beyond "
                                    "127.0.0.0/8 allowed"));
}

static const TopoKey *const vxlan_tables[] = {vxlan_keys, NULL};

const TopoKind ns_topo_vxlan_kind = {
    .kind = NS_NODE_VXLAN,
    .name = N_("vxlan"), /* translated where a message names the kind */
    .plural = "vxlan segments",
    .count_one = N_("%u vxlan segment"),
    .count_many = N_("%u vxlan segments"),
    .example = "vx1",
    .count_rank = 4,
    .keys = vxlan_tables,
    .validate = validate_vxlan,
    .describe = describe_vxlan,
    .init = init_vxlan,
};

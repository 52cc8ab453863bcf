/* topology_host.c — [host NAME]: an end system, written either with ip,
 * link and mac (one interface, eth0) or with interface keys as a router's;
 * plus the keys every IP node has (topology_stack.c).
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <string.h>

/* A host's ip + link + mac keys: interface eth0. */
static gboolean load_ip_style(Loader *ld, guint idx, const char *key,
                              const TopoKey *row) {
  (void)key;
  (void)row;
  const char *sec = section_of(ld, idx);
  state_at(ld, idx)->ip_style = TRUE;
  NsTopoIface ifc = {0};
  GError *e = NULL;
  g_autofree char *ip = ns_topo_get_value(ld, idx, "ip");
  if (ip == NULL)
    return FALSE;
  if (!ns_topo_parse_iface_addr(ld, idx, "ip", ip, &ifc.addr))
    return FALSE;
  if (ns_topo_key_pos(ld, idx, "mac") >= 0) {
    g_autofree char *mac = ns_topo_get_value(ld, idx, "mac");
    if (mac == NULL)
      return FALSE;
    if (!ns_mac_parse(mac, &ifc.mac, &e))
      return ns_topo_fail_with(ld, sec, "mac", NULL, e);
    ifc.has_mac = TRUE;
  }
  if (ns_topo_key_pos(ld, idx, "link") < 0)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, NULL,
        _("missing key 'link' (expected link = SWITCH or link = "
          "ROUTER:IFACE, such as link = sw1)"));
  g_autofree char *link = ns_topo_get_value(ld, idx, "link");
  if (link == NULL)
    return FALSE;
  g_auto(GStrv) w = ns_topo_split_words(link);
  if (w[0] == NULL)
    return ns_topo_fail(ld, NS_ERROR_PARSE, sec, "link",
                        _("empty value (expected SWITCH or ROUTER:IFACE, then "
                          "optional parameters, such as sw1 delay=1ms)"));
  LinkDecl d;
  ns_topo_decl_init(&d, idx, 0, "link", w[0]);
  if (!ns_topo_parse_params(ld, idx, "link", w + 1, &d, NULL)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  ifc.name = g_intern_static_string("eth0");
  if (!ns_topo_add_iface(ld, idx, "ip", "mac", &ifc)) {
    ns_topo_decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* An interface key, which a host cannot mix with ip. */
static gboolean load_iface(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  gint ip = ns_topo_key_pos(ld, idx, "ip");
  if (ip >= 0 && ip < ns_topo_key_pos(ld, idx, key))
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, section_of(ld, idx), key,
        _("interface keys cannot be mixed with ip (expected either "
          "ip = ADDR/LEN with link = PEER, or only interface keys)"));
  return ns_topo_load_iface_key(ld, idx, key, row);
}

const TopoKey ns_topo_host_keys[] = {
    {"ip", "ADDR/LEN",
     "the address of its interface eth0 (required unless interface keys are "
     "used)",
     .load = load_ip_style, .late = TRUE},
    {"gateway", "ADDR", "the default gateway, inside one of the host's subnets",
     .load = ns_topo_load_gateway, .late = TRUE},
    {"link", "PEER [params]",
     "required with ip: a switch (sw1), or NODE:IFACE for a direct cable "
     "(r1:eth2)",
     .load = NULL},
    {"mac", "MAC", "with ip: eth0's MAC (default: assigned 02:00:00:...)",
     .load = NULL},
    {"IFACE", "ADDR/LEN [@ PEER] [params] [mac=MAC]",
     "instead of ip, link and mac, for a host with several interfaces",
     .load = load_iface, .matches = ns_topo_is_iface_name,
     .example = "eth0 = ADDR/LEN @ PEER"},
    {.name = NULL},
};

/* ip or interface keys, not both; link and mac only with ip. */
gboolean ns_topo_validate_host(Loader *ld, guint idx) {
  const char *sec = section_of(ld, idx);
  gboolean has_ip = ns_topo_key_pos(ld, idx, "ip") >= 0;
  const char *first_iface = ns_topo_first_iface_key(ld, idx);
  gint link = ns_topo_key_pos(ld, idx, "link");
  gint mac = ns_topo_key_pos(ld, idx, "mac");
  const char *link_or_mac = NULL; /* whichever of them comes first */
  if (link >= 0 && (mac < 0 || link < mac))
    link_or_mac = "link";
  else if (mac >= 0)
    link_or_mac = "mac";
  if (has_ip && first_iface != NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, "ip",
        _("cannot be mixed with interface keys such as %s (expected "
          "either ip = ADDR/LEN with link = PEER, or only interface keys)"),
        first_iface);
  if (!has_ip && first_iface == NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, NULL,
        _("missing key 'ip' (expected ip = ADDR/LEN, such as ip = "
          "192.168.1.10/24, or interface keys such as eth0 = "
          "192.168.1.10/24 @ sw1)"));
  if (!has_ip && link_or_mac != NULL)
    return ns_topo_fail(
        ld, NS_ERROR_INVALID, sec, link_or_mac,
        _("only used with ip (with interface keys, write the peer and "
          "MAC on the interface: %s = ADDR/LEN @ PEER mac=MAC)"),
        first_iface);
  return TRUE;
}

static const TopoKey *const host_tables[] = {ns_topo_host_keys,
                                             ns_topo_stack_keys, NULL};

const TopoKind ns_topo_host_kind = {
    .kind = NS_NODE_HOST,
    .name = N_("host"), /* translated where a message names the kind */
    .plural = "hosts",
    .count_one = N_("%u host"),
    .count_many = N_("%u hosts"),
    .example = "h1",
    .count_rank = 2,
    .keys = host_tables,
    .validate = ns_topo_validate_host,
    .describe = ns_topo_describe_stack,
};

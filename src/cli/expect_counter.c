/* expect_counter.c — expect NODE counter NAME [OP] N and expect SWITCH
 * counter NAME [OP] N: one field of a device's counters (the names are
 * show.h's tables, the ones `show stats` prints).
 *
 *   host, router: ip_rx, ..., IFACE.rx_frames, udp.NAME, tcp.NAME
 *   bridge:       a host's, and bridge.NAME (bridge/bridge.h)
 *   switch:       flooded, ... summed over the ports, or port.N.NAME
 *   vxlan:        vxlan.NAME (bridge/bridge.h), vxlan0.NAME (its cable end)
 *
 * A bridge's counters live in the run's NsBridges, not in the net: in a
 * run that opened no sockets (ScState.bridges NULL) there is nothing to
 * read, and the expectation fails with "not running" rather than reading
 * 0.  A script that checks `bridge.refused = 0` means "no real client was
 * refused", which a run without sockets cannot show; passing it would
 * hide that the check never looked at a bridge.
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "core/i18n.h"

/* Which counters struct NAME is in. */
typedef enum {
  CTR_IP,     /* NsIpCounters field */
  CTR_NIC,    /* an interface's NsNicCounters field ("eth0.rx_frames") */
  CTR_SWITCH, /* NsSwitchPortCounters field, one port or all (port 0) */
  CTR_UDP,    /* NsUdpCounters field ("udp.no_port") */
  CTR_TCP,    /* NsTcpCounters field ("tcp.retransmits") */
  CTR_BRIDGE, /* NsBridgeCounters field ("bridge.accepted"), bridges only */
  CTR_VXLAN,  /* NsVxlanCounters field ("vxlan.rx_dropped") */
  CTR_PORT,   /* a vxlan segment's cable end: NsNicCounters field */
} CounterKind;

typedef struct {
  CounterKind counter;
  const NsCounterField *field; /* in its counters struct (show.h) */
  guint index; /* CTR_NIC: iface index; CTR_SWITCH: port, 0 = all */
  ScCompare cmp;
} CounterExpect;

static char *field_names(const NsCounterField *f, guint n, const char *pre) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%s%s", i ? ", " : "", pre, f[i].name);
  return g_string_free(s, FALSE);
}

/* The counter sets a prefix names, and the nodes that have them. */
typedef struct {
  const char *prefix; /* "udp." */
  CounterKind counter;
  const NsCounterField *fields;
  const guint *n_fields;
  guint kinds;      /* SC_IPNODE, SC_BRIDGE */
  gboolean in_full; /* listed name by name when a NAME is unknown: a
                       bridge's own counters are what its tests check */
} PrefixedSet;

static const PrefixedSet prefixed_sets[] = {
    {"udp.", CTR_UDP, ns_udp_counter_fields, &ns_udp_counter_n_fields,
     SC_IPNODE, FALSE},
    {"tcp.", CTR_TCP, ns_tcp_counter_fields, &ns_tcp_counter_n_fields,
     SC_IPNODE, FALSE},
    {"bridge.", CTR_BRIDGE, ns_bridge_counter_fields,
     &ns_bridge_counter_n_fields, SC_BRIDGE, TRUE},
};

/* The set whose prefix name has among those of the kinds, or NULL. */
static const PrefixedSet *prefixed_set(const char *name, guint kinds) {
  for (guint i = 0; i < G_N_ELEMENTS(prefixed_sets); i++)
    if ((prefixed_sets[i].kinds & kinds) &&
        g_str_has_prefix(name, prefixed_sets[i].prefix))
      return &prefixed_sets[i];
  return NULL;
}

/* udp.NAME, tcp.NAME, bridge.NAME */
static gboolean parse_prefixed_counter(ScParser *p, NsNetNode *n,
                                       const char *name, const PrefixedSet *set,
                                       CounterExpect *a) {
  const NsCounterField *f = ns_counter_field_find(set->fields, *set->n_fields,
                                                  name + strlen(set->prefix));
  if (f != NULL) {
    a->counter = set->counter;
    a->field = f;
    return TRUE;
  }
  g_autofree char *names =
      field_names(set->fields, *set->n_fields, set->prefix);
  return ns_sc_fail(p, _("%s has no counter '%s' (expected one of %s)"),
                    n->name, name, names);
}

/* "udp.NAME, tcp.NAME, bridge.accepted, ...": the sets node n has. */
static char *prefixed_names(const NsNetNode *n) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(prefixed_sets); i++) {
    const PrefixedSet *set = &prefixed_sets[i];
    if (!(set->kinds & (1u << n->kind)))
      continue;
    g_autofree char *names =
        set->in_full ? field_names(set->fields, *set->n_fields, set->prefix)
                     : g_strconcat(set->prefix, "NAME", NULL);
    g_string_append_printf(s, ", %s", names);
  }
  return g_string_free(s, FALSE);
}

static gboolean parse_ip_counter(ScParser *p, NsNetNode *n, const char *name,
                                 CounterExpect *a) {
  const NsCounterField *f =
      ns_counter_field_find(ns_ip_counter_fields, ns_ip_counter_n_fields, name);
  if (f != NULL) {
    a->counter = CTR_IP;
    a->field = f;
    return TRUE;
  }
  const PrefixedSet *set = prefixed_set(name, 1u << n->kind);
  if (set != NULL)
    return parse_prefixed_counter(p, n, name, set, a);
  const char *dot = strrchr(name, '.');
  if (dot != NULL) {
    g_autofree char *ifname = g_strndup(name, (gsize)(dot - name));
    NsIpIface *ifc = ns_ipnode_find_iface(n->ip, ifname);
    f = ns_counter_field_find(ns_nic_counter_fields, ns_nic_counter_n_fields,
                              dot + 1);
    if (ifc != NULL && f != NULL) {
      a->counter = CTR_NIC;
      a->field = f;
      a->index = ifc->nic.index;
      return TRUE;
    }
  }
  set = prefixed_set(name, SC_ANYNODE); /* bridge.NAME of a host, say */
  if (set != NULL)
    return ns_sc_fail(
        p,
        _("%s has no counter '%s' (only a %s has %sNAME, and %s "
          "is a %s)"),
        n->name, name,
        ns_node_kind_word((NsNodeKind)g_bit_nth_lsf(set->kinds, -1)),
        set->prefix, n->name, ns_node_kind_word(n->kind));
  g_autofree char *ip =
      field_names(ns_ip_counter_fields, ns_ip_counter_n_fields, "");
  g_autofree char *nic =
      field_names(ns_nic_counter_fields, ns_nic_counter_n_fields, "IFACE.");
  g_autofree char *more = prefixed_names(n);
  return ns_sc_fail(p, _("%s has no counter '%s' (expected one of %s, %s%s)"),
                    n->name, name, ip, nic, more);
}

static gboolean parse_switch_counter(ScParser *p, NsNetNode *n,
                                     const char *name, CounterExpect *a) {
  const char *field = name;
  a->counter = CTR_SWITCH;
  a->index = 0;
  const char *dot = strrchr(name, '.');
  if (dot != NULL) {
    /* port.N.FIELD or portN.FIELD */
    g_autofree char *port = g_strndup(name, (gsize)(dot - name));
    const char *num = g_str_has_prefix(port, "port.")  ? port + 5
                      : g_str_has_prefix(port, "port") ? port + 4
                                                       : NULL;
    guint64 v = 0;
    if (num == NULL || !g_ascii_isdigit(num[0]) ||
        !g_ascii_string_to_unsigned(num, 10, 1, ns_switch_n_ports(n->sw), &v,
                                    NULL))
      return ns_sc_fail(p,
                        _("%s has no port '%s' (ports are port.1 to port.%u)"),
                        n->name, port, ns_switch_n_ports(n->sw));
    a->index = (guint)v;
    field = dot + 1;
  }
  const NsCounterField *f = ns_counter_field_find(
      ns_port_counter_fields, ns_port_counter_n_fields, field);
  if (f == NULL) {
    g_autofree char *names =
        field_names(ns_port_counter_fields, ns_port_counter_n_fields, "");
    return ns_sc_fail(p,
                      _("switch %s has no counter '%s' (expected one of %s, "
                        "summed over ports, or port.N.NAME)"),
                      n->name, name, names);
  }
  a->field = f;
  return TRUE;
}

typedef gboolean (*NameFn)(ScParser *p, NsNetNode *n, const char *name,
                           CounterExpect *a);

/* NAME [OP] N, NAME read by by_name; example names one in the message. */
static gboolean parse_counter(ScParser *p, ScCmd *c, const char *example,
                              NameFn by_name) {
  CounterExpect *a = SC_ARGS(c, CounterExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  const char *name = ns_sc_take(p);
  if (name == NULL)
    return ns_sc_fail(p, _("%s needs a counter name such as %s"), ctx, example);
  return by_name(p, c->node, name, a) &&
         ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
}

gboolean ns_sc_parse_ip_counter_expect(ScParser *p, ScCmd *c) {
  return parse_counter(p, c, "ip_rx", parse_ip_counter);
}

/* vxlan.NAME or vxlan0.NAME (the cable end's NIC counters). */
static gboolean parse_vxlan_counter(ScParser *p, NsNetNode *n, const char *name,
                                    CounterExpect *a) {
  const NsCounterField *f = NULL;
  if (g_str_has_prefix(name, "vxlan."))
    f = ns_counter_field_find(ns_vxlan_counter_fields,
                              ns_vxlan_counter_n_fields, name + 6);
  if (f != NULL) {
    a->counter = CTR_VXLAN;
    a->field = f;
    return TRUE;
  }
  gsize port = strlen(n->port->name);
  if (strncmp(name, n->port->name, port) == 0 && name[port] == '.')
    f = ns_counter_field_find(ns_nic_counter_fields, ns_nic_counter_n_fields,
                              name + port + 1);
  if (f != NULL) {
    a->counter = CTR_PORT;
    a->field = f;
    return TRUE;
  }
  g_autofree char *v =
      field_names(ns_vxlan_counter_fields, ns_vxlan_counter_n_fields, "vxlan.");
  g_autofree char *pre = g_strconcat(n->port->name, ".", NULL);
  g_autofree char *nic =
      field_names(ns_nic_counter_fields, ns_nic_counter_n_fields, pre);
  return ns_sc_fail(p, _("%s has no counter '%s' (expected one of %s, %s)"),
                    n->name, name, v, nic);
}

gboolean ns_sc_parse_vxlan_counter_expect(ScParser *p, ScCmd *c) {
  return parse_counter(p, c, "vxlan.rx_frames", parse_vxlan_counter);
}

gboolean ns_sc_parse_switch_counter_expect(ScParser *p, ScCmd *c) {
  return parse_counter(p, c, "flooded", parse_switch_counter);
}

/* The struct a's field is in, or NULL when there is none to read (a
 * bridge not running); not for CTR_SWITCH, one struct per port.  An IP
 * node's counters are put together in *ip. */
static const void *counters_of(const ScState *st, NsNetNode *n,
                               const CounterExpect *a, NsIpCounters *ip) {
  NsBridge *bridge = NULL;
  NsVxlan *vxlan = NULL;
  switch (a->counter) {
  case CTR_IP:
    *ip = ns_ipnode_counters(n->ip);
    return ip;
  case CTR_NIC:
    return &ns_ipnode_iface(n->ip, a->index)->nic.counters;
  case CTR_UDP:
    return ns_udp_counters(ns_net_node_udp(n));
  case CTR_TCP:
    return ns_tcp_counters(ns_net_node_tcp(n));
  case CTR_BRIDGE:
    bridge = ns_show_bridge(st->bridges, n);
    return bridge != NULL ? ns_bridge_counters(bridge) : NULL;
  case CTR_VXLAN:
    vxlan = st->bridges ? ns_bridges_find_vxlan(st->bridges, n->name) : NULL;
    return vxlan != NULL ? ns_vxlan_counters(vxlan) : NULL;
  case CTR_PORT:
    return &n->port->counters;
  case CTR_SWITCH:
    break;
  }
  g_assert_not_reached();
}

/* A switch's field on one port, or summed over them all (index 0). */
static double switch_sum(NsNetNode *n, const CounterExpect *a) {
  double sum = 0;
  for (guint port = 1; port <= ns_switch_n_ports(n->sw); port++)
    if (a->index == 0 || a->index == port) {
      NsSwitchPortCounters c = ns_switch_port_counters(n->sw, port);
      sum += (double)ns_counter_get(&c, a->field);
    }
  return sum;
}

gboolean ns_sc_eval_counter_expect(const ScState *st, const ScCmd *c,
                                   GString *got) {
  const CounterExpect *a = c->args;
  const void *counters = NULL;
  NsIpCounters ip;
  double v = 0;
  if (a->counter == CTR_SWITCH) {
    v = switch_sum(c->node, a);
  } else if ((counters = counters_of(st, c->node, a, &ip)) != NULL) {
    v = (double)ns_counter_get(counters, a->field);
  } else {
    g_string_append(got, NS_SHOW_NOT_RUNNING);
    return FALSE;
  }
  g_string_append_printf(got, "%.0f", v);
  return ns_sc_compare(&a->cmp, v);
}

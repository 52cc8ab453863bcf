/* expect_counter.c — expect NODE counter NAME [OP] N and expect SWITCH
 * counter NAME [OP] N: one field of a device's counters (the names are
 * show.h's tables, the ones `show stats` prints).
 *
 *   host, router: ip_rx, ..., IFACE.rx_frames, udp.NAME, tcp.NAME
 *   switch:       flooded, ... summed over the ports, or port.N.NAME
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"

/* Which counters struct NAME is in. */
typedef enum {
  CTR_IP,     /* NsIpCounters field */
  CTR_NIC,    /* an interface's NsNicCounters field ("eth0.rx_frames") */
  CTR_SWITCH, /* NsSwitchPortCounters field, one port or all (port 0) */
  CTR_UDP,    /* NsUdpCounters field ("udp.no_port") */
  CTR_TCP,    /* NsTcpCounters field ("tcp.retransmits") */
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

/* udp.NAME or tcp.NAME */
static gboolean parse_transport_counter(ScParser *p, NsNetNode *n,
                                        const char *name, CounterExpect *a) {
  gboolean udp = name[0] == 'u';
  const NsCounterField *f =
      udp ? ns_counter_field_find(ns_udp_counter_fields,
                                  ns_udp_counter_n_fields, name + 4)
          : ns_counter_field_find(ns_tcp_counter_fields,
                                  ns_tcp_counter_n_fields, name + 4);
  if (f != NULL) {
    a->counter = udp ? CTR_UDP : CTR_TCP;
    a->field = f;
    return TRUE;
  }
  g_autofree char *names =
      udp ? field_names(ns_udp_counter_fields, ns_udp_counter_n_fields, "udp.")
          : field_names(ns_tcp_counter_fields, ns_tcp_counter_n_fields, "tcp.");
  return ns_sc_fail(p, "%s has no counter '%s' (expected one of %s)", n->name,
                    name, names);
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
  if (g_str_has_prefix(name, "udp.") || g_str_has_prefix(name, "tcp."))
    return parse_transport_counter(p, n, name, a);
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
  g_autofree char *ip =
      field_names(ns_ip_counter_fields, ns_ip_counter_n_fields, "");
  g_autofree char *nic =
      field_names(ns_nic_counter_fields, ns_nic_counter_n_fields, "IFACE.");
  return ns_sc_fail(p,
                    "%s has no counter '%s' (expected one of %s, %s, "
                    "udp.NAME, tcp.NAME)",
                    n->name, name, ip, nic);
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
      return ns_sc_fail(p, "%s has no port '%s' (ports are port.1 to port.%u)",
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
                      "switch %s has no counter '%s' (expected one of %s, "
                      "summed over ports, or port.N.NAME)",
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
    return ns_sc_fail(p, "%s needs a counter name such as %s", ctx, example);
  return by_name(p, c->node, name, a) &&
         ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
}

gboolean ns_sc_parse_ip_counter_expect(ScParser *p, ScCmd *c) {
  return parse_counter(p, c, "ip_rx", parse_ip_counter);
}

gboolean ns_sc_parse_switch_counter_expect(ScParser *p, ScCmd *c) {
  return parse_counter(p, c, "flooded", parse_switch_counter);
}

static double counter_value(NsNetNode *n, const CounterExpect *a) {
  switch (a->counter) {
  case CTR_IP:
    return (double)ns_counter_get(ns_ipnode_counters(n->ip), a->field);
  case CTR_NIC:
    return (double)ns_counter_get(
        &ns_ipnode_iface(n->ip, a->index)->nic.counters, a->field);
  case CTR_UDP:
    return (double)ns_counter_get(ns_udp_counters(n->udp), a->field);
  case CTR_TCP:
    return (double)ns_counter_get(ns_tcp_counters(n->tcp), a->field);
  case CTR_SWITCH:
    break;
  }
  double sum = 0;
  for (guint port = 1; port <= ns_switch_n_ports(n->sw); port++)
    if (a->index == 0 || a->index == port)
      sum += (double)ns_counter_get(ns_switch_port_counters(n->sw, port),
                                    a->field);
  return sum;
}

gboolean ns_sc_eval_counter_expect(const ScState *st, const ScCmd *c,
                                   GString *got) {
  const CounterExpect *a = c->args;
  double v = counter_value(c->node, a);
  (void)st;
  g_string_append_printf(got, "%.0f", v);
  return ns_sc_compare(&a->cmp, v);
}

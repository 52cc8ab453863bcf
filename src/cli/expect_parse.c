/* expect_parse.c — parsing `expect` lines: every node, address, counter
 * and number is checked before the script runs (evaluation: expect.c). */
#include <math.h>
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"

/* [OP] N, where OP may also be glued to N (">=3").  With percent, N may be
 * a decimal with a trailing '%'; otherwise a whole number. */
gboolean ns_sc_parse_compare(ScParser *p, const char *ctx, gboolean percent,
                             ScExpect *ex) {
  static const struct {
    const char *text;
    ScOp op;
  } ops[] = {{"==", SC_EQ}, {"!=", SC_NE}, {"<=", SC_LE}, {">=", SC_GE},
             {"=", SC_EQ},  {"<", SC_LT},  {">", SC_GT}};
  const char *w = ns_sc_take(p);
  const char *num = w;
  ex->op = SC_EQ;
  for (guint i = 0; w != NULL && i < G_N_ELEMENTS(ops); i++)
    if (g_str_has_prefix(w, ops[i].text)) {
      ex->op = ops[i].op;
      num = w + strlen(ops[i].text);
      if (*num == '\0')
        num = ns_sc_take(p);
      break;
    }
  char *end = NULL;
  double v =
      num != NULL && g_ascii_isdigit(num[0]) ? g_ascii_strtod(num, &end) : NAN;
  if (percent && end != NULL && *end == '%')
    end++;
  if (isnan(v) || isinf(v) || *end != '\0' || (!percent && v != floor(v))) {
    if (num == NULL)
      return ns_sc_fail(p,
                        "%s needs a %s, optionally after one of = != < <= "
                        "> >=, got nothing",
                        ctx, percent ? "percentage" : "number");
    return ns_sc_fail(p,
                      "%s needs a %s, optionally after one of = != < <= "
                      "> >=, got '%s'",
                      ctx, percent ? "percentage such as 25%" : "number", num);
  }
  ex->value = v;
  return ns_sc_end(p);
}

/* An address: a node name (any of its addresses), an IPv4 address or
 * NODE:IFACE. */
static gboolean parse_addr(ScParser *p, const char *ctx, ScExpect *ex) {
  const char *w = ns_sc_peek(p);
  NsNetNode *n = w != NULL ? ns_net_find(p->net, w) : NULL;
  if (n == NULL)
    return ns_sc_dest(p, ctx, &ex->ip, NULL);
  if (n->ip == NULL)
    return ns_sc_fail(p, "%s: %s is a switch and has no IP address", ctx, w);
  ex->who = n;
  p->pos++;
  return TRUE;
}

/* The interface of n cabled straight to switch sw, or NULL. */
static NsIpIface *iface_towards(NsNetNode *n, NsNetNode *sw) {
  for (guint i = 0; i < ns_ipnode_n_ifaces(n->ip); i++) {
    NsIpIface *ifc = ns_ipnode_iface(n->ip, i);
    if (ifc->nic.link == NULL)
      continue;
    const NsNic *peer = ns_link_peer(ifc->nic.link, &ifc->nic);
    if (strcmp(peer->node, sw->name) == 0)
      return ifc;
  }
  return NULL;
}

/* A MAC in sw's table: a MAC address, NODE:IFACE, or a node (its
 * interface cabled to sw, or its only interface). */
static gboolean parse_mac(ScParser *p, NsNetNode *sw, ScExpect *ex) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p,
                      "'expect %s mac' needs a MAC address or a node "
                      "name, got nothing",
                      sw->name);
  if (ns_mac_parse(w, &ex->mac, NULL))
    return TRUE;
  g_auto(GStrv) parts = g_strsplit(w, ":", 2);
  NsNetNode *n = ns_net_find(p->net, parts[0]);
  if (n == NULL)
    return ns_sc_fail(p,
                      "'expect %s mac' needs a MAC address (such as "
                      "02:00:00:00:00:01) or a node name, got '%s'",
                      sw->name, w);
  if (n->ip == NULL)
    return ns_sc_fail(p, "%s is a switch: its ports have no MAC address",
                      n->name);
  NsIpIface *ifc;
  if (parts[1] != NULL) {
    ifc = ns_ipnode_find_iface(n->ip, parts[1]);
    if (ifc == NULL)
      return ns_sc_fail(p, "%s has no interface '%s'", n->name, parts[1]);
  } else {
    ifc = iface_towards(n, sw);
    if (ifc == NULL && ns_ipnode_n_ifaces(n->ip) == 1)
      ifc = ns_ipnode_iface(n->ip, 0);
    if (ifc == NULL)
      return ns_sc_fail(p,
                        "%s has several interfaces and none is cabled to "
                        "%s: name one, such as %s:%s",
                        n->name, sw->name, n->name,
                        ns_ipnode_iface(n->ip, 0)->nic.name);
  }
  ex->mac = ifc->nic.mac;
  return TRUE;
}

static char *field_names(const NsCounterField *f, guint n, const char *pre) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%s%s", i ? ", " : "", pre, f[i].name);
  return g_string_free(s, FALSE);
}

static gboolean parse_ip_counter(ScParser *p, NsNetNode *n, const char *name,
                                 ScExpect *ex) {
  const NsCounterField *f =
      ns_counter_field_find(ns_ip_counter_fields, ns_ip_counter_n_fields, name);
  if (f != NULL) {
    ex->counter = SC_CTR_IP;
    ex->field = f;
    return TRUE;
  }
  if (g_str_has_prefix(name, "udp.") || g_str_has_prefix(name, "tcp.")) {
    gboolean udp = name[0] == 'u';
    f = udp ? ns_counter_field_find(ns_udp_counter_fields,
                                    ns_udp_counter_n_fields, name + 4)
            : ns_counter_field_find(ns_tcp_counter_fields,
                                    ns_tcp_counter_n_fields, name + 4);
    if (f != NULL) {
      ex->counter = udp ? SC_CTR_UDP : SC_CTR_TCP;
      ex->field = f;
      return TRUE;
    }
    g_autofree char *names = udp ? field_names(ns_udp_counter_fields,
                                               ns_udp_counter_n_fields, "udp.")
                                 : field_names(ns_tcp_counter_fields,
                                               ns_tcp_counter_n_fields, "tcp.");
    return ns_sc_fail(p, "%s has no counter '%s' (expected one of %s)", n->name,
                      name, names);
  }
  const char *dot = strrchr(name, '.');
  if (dot != NULL) {
    g_autofree char *ifname = g_strndup(name, (gsize)(dot - name));
    NsIpIface *ifc = ns_ipnode_find_iface(n->ip, ifname);
    f = ns_counter_field_find(ns_nic_counter_fields, ns_nic_counter_n_fields,
                              dot + 1);
    if (ifc != NULL && f != NULL) {
      ex->counter = SC_CTR_NIC;
      ex->field = f;
      ex->index = ifc->nic.index;
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
                                     const char *name, ScExpect *ex) {
  const char *field = name;
  ex->counter = SC_CTR_SWITCH;
  ex->index = 0;
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
    ex->index = (guint)v;
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
  ex->field = f;
  return TRUE;
}

static gboolean parse_link_expect(ScParser *p, ScCmd *c) {
  ScExpect *ex = &c->ex;
  NsNetNode *dir;
  if (!ns_sc_link(p, "'expect link'", &c->link, NULL))
    return FALSE;
  ex->kind = SC_EX_LINK;
  ex->side = -1;
  if (ns_sc_accept(p, "dir")) {
    if (!ns_sc_node(p, "'dir'", SC_ANYNODE, &dir))
      return FALSE;
    NsNetNode *a = ns_net_node(p->net, c->link->a_node);
    NsNetNode *b = ns_net_node(p->net, c->link->b_node);
    if (dir != a && dir != b)
      return ns_sc_fail(p, "'dir' must name one end of the link: %s or %s",
                        a->name, b->name);
    ex->side = dir == a ? 0 : 1;
  }
  const char *name = ns_sc_take(p);
  if (name != NULL && strcmp(name, "sent") == 0) {
    ex->link_stat = SC_LS_SENT;
  } else if (name != NULL && strcmp(name, "delivered") == 0) {
    ex->link_stat = SC_LS_DELIVERED;
  } else if (name != NULL && strcmp(name, "drops") == 0) {
    ex->link_stat = SC_LS_DROPS;
  } else {
    ex->link_stat = SC_LS_DROP_REASON;
    ex->reason = NS_DROP_N_REASONS;
    for (guint r = 0; name != NULL && r < NS_DROP_N_REASONS; r++)
      if (g_str_has_prefix(name, "drops.") &&
          strcmp(name + 6, ns_drop_reason_name(r)) == 0)
        ex->reason = r;
    if (ex->reason == NS_DROP_N_REASONS)
      return ns_sc_fail(p,
                        "'expect link' needs sent, delivered, drops, "
                        "drops.loss, drops.queue-full or drops.link-down, "
                        "got %s%s%s",
                        name ? "'" : "", name ? name : "nothing",
                        name ? "'" : "");
  }
  return ns_sc_parse_compare(p, "'expect link'", FALSE, ex);
}

static gboolean parse_log_expect(ScParser *p, ScCmd *c) {
  ScExpect *ex = &c->ex;
  if (ns_sc_accept(p, "contains"))
    ex->kind = SC_EX_LOG_CONTAINS;
  else if (ns_sc_accept(p, "lacks"))
    ex->kind = SC_EX_LOG_LACKS;
  else
    return ns_sc_fail(p, "'expect log' needs contains or lacks");
  const char *text = ns_sc_take(p);
  if (text == NULL || *text == '\0')
    return ns_sc_fail(p, "'expect log' needs the text to look for, in "
                         "quotes: expect log contains \"time exceeded\"");
  if (text[0] == '\'')
    return ns_sc_fail(p, "'expect log' takes its text in double quotes, "
                         "not single: expect log contains \"time exceeded\"");
  ex->text = g_strdup(text);
  if (ns_sc_peek(p) != NULL)
    return ns_sc_fail(p,
                      "'expect log' takes one text: put it in quotes, "
                      "as in \"%s %s\"",
                      text, ns_sc_peek(p));
  return TRUE;
}

static gboolean parse_node_expect(ScParser *p, ScCmd *c) {
  ScExpect *ex = &c->ex;
  NsNetNode *n;
  if (!ns_sc_node(p, "'expect'", SC_ANYNODE, &n))
    return FALSE;
  c->node = n;
  const char *what = ns_sc_take(p);
  if (what == NULL)
    return ns_sc_fail(p,
                      "'expect %s' needs ping, arp, mac, route, "
                      "traceroute or counter",
                      n->name);
  gboolean for_switch = strcmp(what, "mac") == 0;
  gboolean for_ip = strcmp(what, "ping") == 0 || strcmp(what, "arp") == 0 ||
                    strcmp(what, "route") == 0 ||
                    strcmp(what, "traceroute") == 0;
  if ((for_switch && n->sw == NULL) || (for_ip && n->ip == NULL))
    return ns_sc_fail(p, "'expect %s %s' needs a %s, but %s is a %s", n->name,
                      what, for_switch ? "switch" : "host or router", n->name,
                      ns_node_kind_name(n->kind));
  g_autofree char *ctx = g_strdup_printf("'expect %s %s'", n->name, what);
  if (strcmp(what, "ping") == 0) {
    if (ns_sc_accept(p, "replies")) {
      ex->kind = SC_EX_PING_REPLIES;
      return ns_sc_parse_compare(p, ctx, FALSE, ex);
    }
    if (ns_sc_accept(p, "loss")) {
      ex->kind = SC_EX_PING_LOSS;
      return ns_sc_parse_compare(p, ctx, TRUE, ex);
    }
    return ns_sc_fail(p, "%s needs replies or loss", ctx);
  }
  if (strcmp(what, "arp") == 0) {
    if (ns_sc_accept(p, "has")) {
      ex->kind = SC_EX_ARP_HAS;
      if (!parse_addr(p, ctx, ex))
        return FALSE;
      if (ns_sc_accept(p, "mac")) {
        const char *m = ns_sc_take(p);
        if (m == NULL || !ns_mac_parse(m, &ex->mac, NULL))
          return ns_sc_fail(p,
                            "'mac' needs a MAC address such as "
                            "02:00:00:00:00:01, got %s%s%s",
                            m ? "'" : "", m ? m : "nothing", m ? "'" : "");
        ex->has_mac = TRUE;
      }
      return ns_sc_end(p);
    }
    if (ns_sc_accept(p, "lacks")) {
      ex->kind = SC_EX_ARP_LACKS;
      return parse_addr(p, ctx, ex) && ns_sc_end(p);
    }
    return ns_sc_fail(p, "%s needs has or lacks", ctx);
  }
  if (strcmp(what, "mac") == 0) {
    if (!parse_mac(p, n, ex))
      return FALSE;
    guint64 port;
    if (ns_sc_accept(p, "absent")) {
      ex->kind = SC_EX_MAC_ABSENT;
    } else if (ns_sc_accept(p, "port")) {
      ex->kind = SC_EX_MAC_PORT;
      if (!ns_sc_uint(p, "'port'", 1, ns_switch_n_ports(n->sw), &port))
        return FALSE;
      ex->port = (guint)port;
    } else {
      return ns_sc_fail(p, "%s needs 'port N' or 'absent' after the MAC", ctx);
    }
    return ns_sc_end(p);
  }
  if (strcmp(what, "route") == 0) {
    if (!ns_sc_dest(p, ctx, &ex->ip, NULL))
      return FALSE;
    if (ns_sc_accept(p, "none")) {
      ex->kind = SC_EX_ROUTE_NONE;
      return ns_sc_end(p);
    }
    if (!ns_sc_accept(p, "via"))
      return ns_sc_fail(p,
                        "%s needs 'via IFACE' or 'none' after the "
                        "destination",
                        ctx);
    ex->kind = SC_EX_ROUTE_VIA;
    const char *ifname = ns_sc_take(p);
    if (ifname == NULL || ns_ipnode_find_iface(n->ip, ifname) == NULL)
      return ns_sc_fail(p, "'via' needs an interface of %s, got %s%s%s",
                        n->name, ifname ? "'" : "", ifname ? ifname : "nothing",
                        ifname ? "'" : "");
    ex->iface = g_strdup(ifname);
    if (ns_sc_accept(p, "gateway")) {
      if (!ns_sc_dest(p, "'gateway'", &ex->gateway, NULL))
        return FALSE;
      ex->has_gateway = TRUE;
    }
    return ns_sc_end(p);
  }
  if (strcmp(what, "traceroute") == 0) {
    guint64 hop;
    if (ns_sc_accept(p, "reached")) {
      ex->kind = SC_EX_TRACE_REACHED;
      return ns_sc_end(p);
    }
    if (ns_sc_accept(p, "hops")) {
      ex->kind = SC_EX_TRACE_HOPS;
      return ns_sc_parse_compare(p, ctx, FALSE, ex);
    }
    if (ns_sc_accept(p, "hop")) {
      ex->kind = SC_EX_TRACE_HOP;
      if (!ns_sc_uint(p, "'hop'", 1, 255, &hop))
        return FALSE;
      ex->hop = (guint)hop;
      return parse_addr(p, ctx, ex) && ns_sc_end(p);
    }
    return ns_sc_fail(p, "%s needs reached, hops N or hop K ADDRESS", ctx);
  }
  if (n->ip != NULL &&
      (strcmp(what, "tcp") == 0 || strcmp(what, "udp") == 0 ||
       strcmp(what, "group") == 0 || strcmp(what, "service") == 0))
    return ns_sc_parse_socket_expect(p, c, what);
  if (strcmp(what, "counter") == 0) {
    ex->kind = SC_EX_COUNTER;
    const char *name = ns_sc_take(p);
    if (name == NULL)
      return ns_sc_fail(p, "%s needs a counter name such as %s", ctx,
                        n->sw ? "flooded" : "ip_rx");
    if (!(n->sw ? parse_switch_counter(p, n, name, ex)
                : parse_ip_counter(p, n, name, ex)))
      return FALSE;
    return ns_sc_parse_compare(p, ctx, FALSE, ex);
  }
  return ns_sc_fail(p,
                    "unknown expectation '%s' (expected ping, arp, mac, "
                    "route, traceroute, counter, tcp, udp, group or "
                    "service)",
                    what);
}

gboolean ns_sc_parse_expect(ScParser *p, ScCmd *c) {
  const char *w = ns_sc_peek(p);
  if (w == NULL)
    return ns_sc_fail(p, "'expect' needs something to check: NODE ping|arp|"
                         "route|traceroute|counter, SWITCH mac, link A B, or "
                         "log contains|lacks");
  if (strcmp(w, "log") == 0 && ns_net_find(p->net, w) == NULL) {
    p->pos++;
    return parse_log_expect(p, c);
  }
  if (strcmp(w, "link") == 0 && ns_net_find(p->net, w) == NULL) {
    p->pos++;
    return parse_link_expect(p, c);
  }
  return parse_node_expect(p, c);
}

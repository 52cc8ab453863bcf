/* expect.c — evaluating `expect` lines against the network's state now
 * (parsing: expect_parse.c). */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"

gboolean ns_sc_compare(ScOp op, double got, double want) {
  switch (op) {
  case SC_EQ:
    return got == want;
  case SC_NE:
    return got != want;
  case SC_LT:
    return got < want;
  case SC_LE:
    return got <= want;
  case SC_GT:
    return got > want;
  case SC_GE:
    return got >= want;
  }
  return FALSE;
}

/* Does ip match what the expect names (any address of ex->who, or ex->ip)? */
static gboolean addr_matches(const ScExpect *ex, NsIp4 ip) {
  if (ex->who == NULL)
    return ns_ip4_equal(ex->ip, ip);
  for (guint i = 0; i < ns_ipnode_n_ifaces(ex->who->ip); i++)
    if (ns_ip4_equal(ns_ipnode_iface(ex->who->ip, i)->addr.addr, ip))
      return TRUE;
  return FALSE;
}

/* Looks for a matching ARP entry; returns the best one found (REACHABLE
 * first), NULL if none. */
static const NsArpEntry *find_arp(NsNet *net, NsNetNode *n,
                                  const ScExpect *ex) {
  const NsArpEntry *best = NULL;
  NsTime now = ns_net_now(net);
  for (guint i = 0; i < ns_ipnode_n_ifaces(n->ip); i++) {
    GPtrArray *es = ns_arp_cache_entries(ns_ipnode_iface(n->ip, i)->arp, now);
    for (guint j = 0; j < es->len; j++) {
      const NsArpEntry *e = g_ptr_array_index(es, j);
      if (!addr_matches(ex, e->ip))
        continue;
      if (best == NULL || (e->state == NS_ARP_REACHABLE &&
                           (!ex->has_mac || ns_mac_equal(e->mac, ex->mac))))
        best = e;
    }
    g_ptr_array_unref(es);
  }
  return best;
}

static void describe_arp(const NsArpEntry *e, GString *got) {
  char a[NS_IP4_STRLEN], m[NS_MAC_STRLEN];
  if (e == NULL)
    g_string_append(got, "no entry");
  else if (e->state == NS_ARP_REACHABLE)
    g_string_append_printf(got, "%s at %s", ns_ip4_format(e->ip, a),
                           ns_mac_format(e->mac, m));
  else
    g_string_append_printf(got, "%s %s", ns_ip4_format(e->ip, a),
                           ns_arp_state_name(e->state));
}

static void describe_ip(NsNet *net, NsIp4 ip, GString *got) {
  char a[NS_IP4_STRLEN];
  const char *name = ns_net_name_of(net, ip);
  g_string_append(got, ns_ip4_format(ip, a));
  if (name != NULL)
    g_string_append_printf(got, " (%s)", name);
}

static double counter_value(NsNetNode *n, const ScExpect *ex) {
  switch (ex->counter) {
  case SC_CTR_IP:
    return (double)ns_counter_get(ns_ipnode_counters(n->ip), ex->field);
  case SC_CTR_NIC:
    return (double)ns_counter_get(
        &ns_ipnode_iface(n->ip, ex->index)->nic.counters, ex->field);
  case SC_CTR_UDP:
    return (double)ns_counter_get(ns_udp_counters(n->udp), ex->field);
  case SC_CTR_TCP:
    return (double)ns_counter_get(ns_tcp_counters(n->tcp), ex->field);
  case SC_CTR_SWITCH:
    break;
  }
  double sum = 0;
  for (guint port = 1; port <= ns_switch_n_ports(n->sw); port++)
    if (ex->index == 0 || ex->index == port)
      sum += (double)ns_counter_get(ns_switch_port_counters(n->sw, port),
                                    ex->field);
  return sum;
}

static double link_value(const NsNetLink *l, const ScExpect *ex) {
  double sum = 0;
  for (guint side = 0; side < 2; side++) {
    if (ex->side >= 0 && (guint)ex->side != side)
      continue;
    const NsLinkDirStats *s = ns_link_stats(l->link, side);
    switch (ex->link_stat) {
    case SC_LS_SENT:
      sum += (double)s->sent;
      break;
    case SC_LS_DELIVERED:
      sum += (double)s->delivered;
      break;
    case SC_LS_DROPS:
      for (guint r = 0; r < NS_DROP_N_REASONS; r++)
        sum += (double)s->drops[r];
      break;
    case SC_LS_DROP_REASON:
      sum += (double)s->drops[ex->reason];
      break;
    }
  }
  return sum;
}

static gboolean eval_fdb(NsNet *net, const ScCmd *c, GString *got) {
  const ScExpect *ex = &c->ex;
  GArray *es = ns_fdb_entries(ns_switch_fdb(c->node->sw), ns_net_now(net));
  guint port = 0;
  for (guint i = 0; i < es->len; i++)
    if (ns_mac_equal(g_array_index(es, NsFdbEntry, i).mac, ex->mac))
      port = g_array_index(es, NsFdbEntry, i).port;
  g_array_unref(es);
  if (port == 0)
    g_string_append(got, "absent");
  else
    g_string_append_printf(got, "port %u", port);
  return ex->kind == SC_EX_MAC_ABSENT ? port == 0 : port == ex->port;
}

static gboolean eval_route(NsNet *net, const ScCmd *c, GString *got) {
  const ScExpect *ex = &c->ex;
  NsIpNode *ip = c->node->ip;
  const NsRoute *r = ns_route_lookup(ns_ipnode_routes(ip), ex->ip);
  if (r == NULL) {
    g_string_append(got, "no route");
    return ex->kind == SC_EX_ROUTE_NONE;
  }
  const char *ifname = ns_ipnode_iface(ip, r->iface)->nic.name;
  g_string_append_printf(got, "via %s", ifname);
  if (r->kind == NS_ROUTE_CONNECTED) {
    g_string_append(got, " (direct)");
  } else {
    g_string_append(got, " gateway ");
    describe_ip(net, r->gateway, got);
  }
  return ex->kind == SC_EX_ROUTE_VIA && strcmp(ifname, ex->iface) == 0 &&
         (!ex->has_gateway || ns_ip4_equal(r->gateway, ex->gateway));
}

static gboolean eval_trace(NsNet *net, const ScCmd *c, GString *got) {
  const ScExpect *ex = &c->ex;
  const NsTrace *t = c->node->last_trace;
  if (t == NULL) {
    g_string_append_printf(got, "no traceroute was started on %s",
                           c->node->name);
    return FALSE;
  }
  guint hops = ns_trace_n_hops(t);
  switch (ex->kind) {
  case SC_EX_TRACE_REACHED:
    g_string_append_printf(got, "not reached after %u hop%s%s", hops,
                           hops == 1 ? "" : "s",
                           ns_trace_done(t) ? "" : ", still running");
    return ns_trace_reached(t);
  case SC_EX_TRACE_HOPS:
    g_string_append_printf(got, "%u", hops);
    return ns_sc_compare(ex->op, hops, ex->value);
  default:
    break;
  }
  if (ex->hop > hops) {
    g_string_append_printf(got, "only %u hop%s", hops, hops == 1 ? "" : "s");
    return FALSE;
  }
  NsIp4 at = ns_trace_hop(t, ex->hop);
  if (ns_ip4_is_zero(at)) {
    g_string_append(got, "no answer (*)");
    return FALSE;
  }
  describe_ip(net, at, got);
  return addr_matches(ex, at);
}

static gboolean eval_log(const char *log, const ScExpect *ex, GString *got) {
  const char *hit = strstr(log, ex->text);
  if (ex->kind == SC_EX_LOG_CONTAINS) {
    g_string_append(got, "not in the log");
    return hit != NULL;
  }
  if (hit == NULL)
    return TRUE;
  const char *start = hit;
  while (start > log && start[-1] != '\n')
    start--;
  const char *end = strchr(hit, '\n');
  g_string_append(got, "found: ");
  g_string_append_len(got, start, end ? end - start : (gssize)strlen(start));
  return FALSE;
}

static gboolean eval_ping(const ScCmd *c, GString *got) {
  const ScExpect *ex = &c->ex;
  const NsPing *ping = c->node->last_ping;
  if (ping == NULL) {
    g_string_append_printf(got, "no ping was started on %s", c->node->name);
    return FALSE;
  }
  const NsPingStats *st = ns_ping_stats(ping);
  gboolean ok;
  if (ex->kind == SC_EX_PING_REPLIES) {
    g_string_append_printf(got, "%u", st->received);
    ok = ns_sc_compare(ex->op, st->received, ex->value);
  } else if (st->transmitted == 0) {
    g_string_append(got, "no request sent yet");
    return FALSE;
  } else {
    /* The same whole percentage ping prints (rounded down, as ping(8)). */
    guint loss = (st->transmitted - MIN(st->received, st->transmitted)) * 100 /
                 st->transmitted;
    g_string_append_printf(got, "%u%% (%u sent, %u received)", loss,
                           st->transmitted, st->received);
    ok = ns_sc_compare(ex->op, loss, ex->value);
  }
  /* The usual slip: expecting before the ping had time to finish. */
  if (!ok && !st->done)
    g_string_append(got, "; the ping is still running: put 'wait' before "
                         "this expect");
  return ok;
}

gboolean ns_sc_eval_expect(NsNet *net, const char *log, const ScCmd *c,
                           GString *got) {
  const ScExpect *ex = &c->ex;
  double v;
  switch (ex->kind) {
  case SC_EX_PING_REPLIES:
  case SC_EX_PING_LOSS:
    return eval_ping(c, got);
  case SC_EX_ARP_HAS:
  case SC_EX_ARP_LACKS: {
    const NsArpEntry *e = find_arp(net, c->node, ex);
    gboolean has = e != NULL && e->state == NS_ARP_REACHABLE &&
                   (!ex->has_mac || ns_mac_equal(e->mac, ex->mac));
    describe_arp(e, got);
    return ex->kind == SC_EX_ARP_HAS ? has : !has;
  }
  case SC_EX_MAC_PORT:
  case SC_EX_MAC_ABSENT:
    return eval_fdb(net, c, got);
  case SC_EX_ROUTE_VIA:
  case SC_EX_ROUTE_NONE:
    return eval_route(net, c, got);
  case SC_EX_TRACE_REACHED:
  case SC_EX_TRACE_HOPS:
  case SC_EX_TRACE_HOP:
    return eval_trace(net, c, got);
  case SC_EX_COUNTER:
    v = counter_value(c->node, ex);
    g_string_append_printf(got, "%.0f", v);
    return ns_sc_compare(ex->op, v, ex->value);
  case SC_EX_LINK:
    v = link_value(c->link, ex);
    g_string_append_printf(got, "%.0f", v);
    return ns_sc_compare(ex->op, v, ex->value);
  case SC_EX_LOG_CONTAINS:
  case SC_EX_LOG_LACKS:
    return eval_log(log, ex, got);
  case SC_EX_SOCKET:
    return ns_sc_eval_socket_expect(net, c, got);
  }
  return FALSE;
}

/* ipnode_querier.c — IGMP on a router (net/igmp.h): the querier of each
 * interface, the election between routers sharing a LAN, and the
 * membership table per interface (see ipnode_private.h for how the stack
 * is split).  Everything runs from the node's IGMP timer
 * (ipnode_igmp.c) and from the messages ns_ipn_igmp_input hands over. */
#include "core/i18n.h"
#include "net/ipnode_private.h"

static NsIgmpQuerier *querier_of(const NsIpNode *node, guint i) {
  if (node->queriers == NULL || i >= node->queriers->len)
    return NULL;
  return g_ptr_array_index(node->queriers, i);
}

static NsIgmpQuerier *querier_new(void) {
  NsIgmpQuerier *q = g_new0(NsIgmpQuerier, 1);
  q->next_query = 0; /* at once: the start-up queries */
  q->startup = NS_IGMP_STARTUP_COUNT - 1;
  q->other_until = NS_TIME_NEVER;
  q->groups = g_array_new(FALSE, FALSE, sizeof(NsIgmpRouterGroup));
  return q;
}

static void querier_free(gpointer p) {
  NsIgmpQuerier *q = p;
  g_array_free(q->groups, TRUE);
  g_free(q);
}

void ns_ipn_querier_free(NsIpNode *node) {
  if (node->queriers != NULL)
    g_ptr_array_free(node->queriers, TRUE);
  node->queriers = NULL;
}

void ns_ipnode_set_igmp_querier(NsIpNode *node, gboolean on) {
  if (!on)
    ns_ipn_querier_free(node);
  else if (node->queriers == NULL) {
    node->queriers = g_ptr_array_new_with_free_func(querier_free);
    for (guint i = 0; i < node->n_ifaces; i++)
      g_ptr_array_add(node->queriers, querier_new());
  }
  ns_ipn_igmp_rearm(node);
}

gboolean ns_ipnode_is_igmp_querier(const NsIpNode *node) {
  return node->queriers != NULL;
}

NsIp4 ns_ipnode_igmp_querier_on(const NsIpNode *node, guint i) {
  const NsIgmpQuerier *q = querier_of(node, i);
  if (q == NULL)
    return (NsIp4){0};
  if (!ns_ip4_is_zero(q->other))
    return q->other;
  return node->ifaces[i]->addr.addr;
}

NsTime ns_ipn_querier_next(const NsIpNode *node) {
  NsTime next = NS_TIME_NEVER;
  for (guint i = 0; node->queriers != NULL && i < node->queriers->len; i++) {
    const NsIgmpQuerier *q = g_ptr_array_index(node->queriers, i);
    next = MIN(next, MIN(q->next_query, q->other_until));
    for (guint k = 0; k < q->groups->len; k++) {
      const NsIgmpRouterGroup *g =
          &g_array_index(q->groups, NsIgmpRouterGroup, k);
      next = MIN(next, MIN(g->m.expires, g->query_at));
    }
  }
  return next;
}

static gint by_iface_then_group(gconstpointer a, gconstpointer b) {
  const NsIgmpMembership *x = a, *y = b;
  if (x->iface != y->iface)
    return x->iface < y->iface ? -1 : 1;
  return x->group.v < y->group.v ? -1 : x->group.v > y->group.v;
}

GArray *ns_ipnode_igmp_memberships(const NsIpNode *node, NsTime now) {
  GArray *out = g_array_new(FALSE, FALSE, sizeof(NsIgmpMembership));
  for (guint i = 0; node->queriers != NULL && i < node->queriers->len; i++) {
    const NsIgmpQuerier *q = g_ptr_array_index(node->queriers, i);
    for (guint k = 0; k < q->groups->len; k++) {
      const NsIgmpRouterGroup *g =
          &g_array_index(q->groups, NsIgmpRouterGroup, k);
      if (g->m.expires > now)
        g_array_append_val(out, g->m);
    }
  }
  g_array_sort(out, by_iface_then_group);
  return out;
}

/* ---- sending queries ----------------------------------------------------- */

/* A general query (group 0.0.0.0) or a group-specific one out of iface. */
static void send_query(NsIpNode *node, NsIpIface *iface, NsIp4 group,
                       NsTime next, NsTime now) {
  gboolean general = ns_ip4_is_zero(group);
  NsTime max = general ? NS_IGMP_QUERY_RESPONSE : NS_IGMP_LAST_MEMBER_INTERVAL;
  if (ns_ipn_log_on(node)) {
    char g[NS_IP4_STRLEN], d[32], n[32];
    ns_log_printf(
        node->ctx->log, now, node->name, "igmp/query", 0,
        general ? N_("the querier asks every host of the LAN which groups it "
                     "wants; a group nobody reports for 260 s is forgotten")
                : N_("a member left: is anyone else on this LAN still in the "
                     "group?"),
        "%s query out of %s (max resp %s)%s%s",
        general ? "general" : ns_ip4_format(group, g), iface->nic.name,
        ns_ipn_igmp_delay(max, d, sizeof d),
        next != NS_TIME_NEVER ? ", next in " : "",
        next != NS_TIME_NEVER ? ns_ipn_igmp_delay(next - now, n, sizeof n)
                              : "");
  }
  NsIgmp m = {.type = NS_IGMP_QUERY,
              .max_resp = (guint8)(max / (100 * NS_MSEC)),
              .group = group};
  ns_ipn_igmp_send(node, iface, &m, general ? NS_IGMP_ALL_HOSTS : group, now);
}

/* Takes over again when the other querier has been silent too long. */
static void resume_querier(NsIpNode *node, NsIpIface *iface, NsIgmpQuerier *q,
                           NsTime now) {
  char o[NS_IP4_STRLEN];
  if (ns_ipn_log_on(node))
    ns_log_printf(node->ctx->log, now, node->name, "igmp/querier", 0,
                  N_("no query heard from the querier for the Other Querier "
                     "Present Interval (255 s): this router queries again"),
                  "%s: %s went silent, querier again", iface->nic.name,
                  ns_ip4_format(q->other, o));
  q->other = (NsIp4){0};
  q->other_until = NS_TIME_NEVER;
  q->next_query = now;
}

static void log_expire(NsIpNode *node, NsIpIface *iface,
                       const NsIgmpRouterGroup *g, NsTime now) {
  char gs[NS_IP4_STRLEN];
  ns_log_printf(node->ctx->log, now, node->name, "igmp/expire", 0,
                g->leaving
                    ? N_("a member left and nobody answered the group-specific "
                         "queries")
                    : N_("no report for the Group Membership Interval (260 s)"),
                "%s on %s: no members left", ns_ip4_format(g->m.group, gs),
                iface->nic.name);
}

/* Group-specific queries due, and groups whose time ran out. */
static void tick_groups(NsIpNode *node, NsIpIface *iface, NsIgmpQuerier *q,
                        NsTime now) {
  for (guint k = q->groups->len; k-- > 0;) {
    NsIgmpRouterGroup *g = &g_array_index(q->groups, NsIgmpRouterGroup, k);
    if (g->query_at <= now) {
      g->queries--;
      g->query_at =
          g->queries > 0 ? now + NS_IGMP_LAST_MEMBER_INTERVAL : NS_TIME_NEVER;
      send_query(node, iface, g->m.group, g->query_at, now);
    }
    if (g->m.expires <= now) {
      if (ns_ipn_log_on(node))
        log_expire(node, iface, g, now);
      g_array_remove_index(q->groups, k);
    }
  }
}

void ns_ipn_querier_tick(NsIpNode *node, NsTime now) {
  for (guint i = 0; node->queriers != NULL && i < node->queriers->len; i++) {
    NsIgmpQuerier *q = g_ptr_array_index(node->queriers, i);
    NsIpIface *iface = node->ifaces[i];
    if (q->other_until <= now)
      resume_querier(node, iface, q, now);
    if (q->next_query <= now) {
      q->next_query = now + (q->startup > 0 ? NS_IGMP_STARTUP_INTERVAL
                                            : NS_IGMP_QUERY_INTERVAL);
      if (q->startup > 0)
        q->startup--;
      send_query(node, iface, (NsIp4){0}, q->next_query, now);
    }
    tick_groups(node, iface, q, now);
  }
}

/* ---- what the router hears ----------------------------------------------- */

static NsIgmpRouterGroup *group_on(NsIgmpQuerier *q, NsIp4 group) {
  for (guint k = 0; k < q->groups->len; k++) {
    NsIgmpRouterGroup *g = &g_array_index(q->groups, NsIgmpRouterGroup, k);
    if (g->m.group.v == group.v)
      return g;
  }
  return NULL;
}

/* RFC 2236 3: the lowest address on the LAN is the querier. */
static void heard_query(NsIpNode *node, NsIpIface *iface, NsIgmpQuerier *q,
                        const NsIpv4Hdr *ip, NsTime now) {
  if (ns_ip4_is_zero(ip->src) || ip->src.v >= iface->addr.addr.v)
    return; /* a higher address: it will give way to us */
  gboolean news = q->other.v != ip->src.v;
  q->other = ip->src;
  q->other_until = now + NS_IGMP_OTHER_QUERIER_INTERVAL;
  q->next_query = NS_TIME_NEVER;
  if (!news || !ns_ipn_log_on(node))
    return;
  char o[NS_IP4_STRLEN];
  ns_log_printf(node->ctx->log, now, node->name, "igmp/querier", 0,
                N_("two routers on one LAN: the lower address is the querier "
                   "(RFC 2236 3), the other only listens"),
                "%s: %s has a lower address and queries; I stop",
                iface->nic.name, ns_ip4_format(ip->src, o));
}

static void heard_report(NsIpNode *node, NsIpIface *iface, NsIgmpQuerier *q,
                         const NsIpv4Hdr *ip, NsIp4 group, NsTime now) {
  if (!ns_ip4_is_multicast(group) || ns_igmp_is_link_local(group))
    return;
  NsIgmpRouterGroup *g = group_on(q, group);
  gboolean fresh = g == NULL;
  if (fresh) {
    NsIgmpRouterGroup add = {
        .m = {.group = group, .iface = iface->nic.index, .since = now}};
    g_array_append_val(q->groups, add);
    g = &g_array_index(q->groups, NsIgmpRouterGroup, q->groups->len - 1);
  }
  g->m.last_reporter = ip->src;
  g->m.expires = now + NS_IGMP_MEMBERSHIP_INTERVAL;
  g->query_at = NS_TIME_NEVER; /* a member answered: no more asking */
  g->queries = 0;
  g->leaving = FALSE;
  if (!fresh || !ns_ipn_log_on(node))
    return;
  char gs[NS_IP4_STRLEN], src[NS_IP4_STRLEN];
  ns_log_printf(node->ctx->log, now, node->name, "igmp/member", 0,
                N_("a report says someone on this LAN wants the group: it is "
                   "kept for 260 s, and each answer to a query renews that"),
                "%s on %s: member (report from %s)", ns_ip4_format(group, gs),
                iface->nic.name, ns_ip4_format(ip->src, src));
}

static void heard_leave(NsIpNode *node, NsIpIface *iface, NsIgmpQuerier *q,
                        const NsIpv4Hdr *ip, NsIp4 group, NsTime now) {
  NsIgmpRouterGroup *g = group_on(q, group);
  if (g == NULL || !ns_ip4_is_zero(q->other))
    return; /* unknown group, or another router is querier: it asks */
  NsTime last = NS_IGMP_LAST_MEMBER_COUNT * NS_IGMP_LAST_MEMBER_INTERVAL;
  g->m.expires = MIN(g->m.expires, now + last);
  g->queries = NS_IGMP_LAST_MEMBER_COUNT;
  g->query_at = now;
  g->leaving = TRUE;
  if (!ns_ipn_log_on(node))
    return;
  char gs[NS_IP4_STRLEN], src[NS_IP4_STRLEN];
  ns_log_printf(node->ctx->log, now, node->name, "igmp/receive", 0,
                N_("the leaver may not be the last member: the querier asks "
                   "the group (up to twice, 1 s apart) and forgets it in 2 s "
                   "if nobody answers"),
                "leave for %s from %s on %s: asking the group",
                ns_ip4_format(group, gs), ns_ip4_format(ip->src, src),
                iface->nic.name);
}

void ns_ipn_querier_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                          const NsIgmp *m, NsTime now) {
  NsIgmpQuerier *q = querier_of(node, iface->nic.index);
  if (q == NULL)
    return;
  if (m->type == NS_IGMP_QUERY)
    heard_query(node, iface, q, ip, now);
  else if (ns_igmp_is_report(m->type))
    heard_report(node, iface, q, ip, m->group, now);
  else if (m->type == NS_IGMP_LEAVE)
    heard_leave(node, iface, q, ip, m->group, now);
  ns_ipn_igmp_rearm(node);
}

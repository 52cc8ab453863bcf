/* ipnode_igmp.c — IGMP on an IP node (net/igmp.h): what a host reports
 * when it joins, leaves or is asked, the node's one IGMP timer, and the
 * receive path that hands a router's messages to ipnode_querier.c (see
 * ipnode_private.h for how the stack is split). */
#include <string.h>

#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/ethernet.h"

/* ---- helpers ------------------------------------------------------------- */

char *ns_ipn_igmp_delay(NsTime d, char *buf, gsize size) {
  /* To the millisecond, rounded, without trailing zeros: "2.761 s". */
  guint64 ms = (d + NS_MSEC / 2) / NS_MSEC;
  g_snprintf(buf, size, "%" G_GUINT64_FORMAT ".%03u", ms / 1000,
             (guint)(ms % 1000));
  gsize n = strlen(buf);
  while (buf[n - 1] == '0')
    buf[--n] = '\0';
  if (buf[n - 1] == '.')
    buf[--n] = '\0';
  g_strlcat(buf, " s", size);
  return buf;
}

NsTime ns_ipn_igmp_random(NsIpNode *node, NsTime below) {
  guint64 ms = below / NS_MSEC;
  if (ms == 0)
    return 0;
  /* Far from the numbers ns_ipnode_next_ident draws (1000 + n). */
  guint32 h = ns_ctx_hash(node->ctx, node->name,
                          (G_GUINT64_CONSTANT(1) << 40) +
                              ++ns_ipn_rare(node)->igmp_draws);
  return (h % ms) * NS_MSEC;
}

/* The counter a message of type sent (tx) or received bumps. */
static guint64 *counter_for(NsIpNode *node, guint8 type, gboolean tx) {
  NsIpCounters *c = &ns_ipn_rare(node)->counters; /* none is hot */
  switch (type) {
  case NS_IGMP_QUERY:
    return tx ? &c->igmp_queries_tx : &c->igmp_queries_rx;
  case NS_IGMP_V1_REPORT:
  case NS_IGMP_V2_REPORT:
    return tx ? &c->igmp_reports_tx : &c->igmp_reports_rx;
  case NS_IGMP_LEAVE:
    return tx ? &c->igmp_leaves_tx : &c->igmp_leaves_rx;
  default:
    return NULL;
  }
}

void ns_ipn_igmp_send(NsIpNode *node, NsIpIface *iface, const NsIgmp *m,
                      NsIp4 dst, NsTime now) {
  guint8 buf[NS_IGMP_LEN];
  ns_igmp_emit(buf, m);
  /* As Linux sends IGMP: TTL 1, precedence "internetwork control", DF,
   * and the Router Alert option (RFC 2236 2); identification 0, which
   * Linux gives a DF datagram sent without a connected socket
   * (ip_select_ident). */
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_IGMP, 1);
  o.tos = 0xc0;
  o.df = TRUE;
  o.id_given = TRUE;
  o.id = 0;
  o.router_alert = TRUE;
  o.via = NS_IP_VIA_MAC;
  o.iface = iface;
  o.mac = ns_ipn_group_mac(dst);
  guint64 *c = counter_for(node, m->type, TRUE);
  if (c != NULL)
    (*c)++;
  ns_ipnode_send_with(node, dst, &o, buf, sizeof buf, now, NULL);
}

/* ---- the timer ----------------------------------------------------------- */

static NsTime host_next(const NsIpNode *node) {
  const GArray *leaves = node->rare != NULL ? node->rare->igmp_leaves : NULL;
  if (leaves != NULL && leaves->len > 0)
    return 0;
  NsTime next = NS_TIME_NEVER;
  for (guint i = 0; i < node->n_groups; i++)
    next = MIN(next, node->groups[i].report_at);
  return next;
}

void ns_ipn_igmp_rearm(NsIpNode *node) {
  NsTime next = MIN(host_next(node), ns_ipn_querier_next(node));
  if (next == NS_TIME_NEVER) {
    if (node->rare != NULL)
      ns_timerq_cancel(node->ctx->timers, &node->rare->igmp_timer);
    return;
  }
  NsTimer *t = &ns_ipn_rare(node)->igmp_timer;
  if (!ns_timer_armed(t) || t->when != next)
    ns_timerq_arm(node->ctx->timers, t, next);
}

static NsIpIface *iface_at(NsIpNode *node, guint index) {
  return index < node->n_ifaces ? node->ifaces[index] : NULL;
}

static void send_leaves(NsIpNode *node, NsTime now) {
  GArray *leaves = node->rare->igmp_leaves; /* the timer is in rare */
  for (guint i = 0; leaves != NULL && i < leaves->len; i++) {
    NsIgmpLeave *l = &g_array_index(leaves, NsIgmpLeave, i);
    NsIpIface *iface = iface_at(node, l->iface);
    if (iface == NULL)
      continue;
    char g[NS_IP4_STRLEN];
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "igmp/leave", 0,
                    N_("nothing on this host wants the group any more: a "
                       "leave to 224.0.0.2 (all routers) lets the querier ask "
                       "whether anyone else still does"),
                    "leaving %s: leave out of %s", ns_ip4_format(l->group, g),
                    iface->nic.name);
    NsIgmp m = {.type = NS_IGMP_LEAVE, .group = l->group};
    ns_ipn_igmp_send(node, iface, &m, NS_IGMP_ALL_ROUTERS, now);
  }
  if (leaves != NULL)
    g_array_set_size(leaves, 0);
}

static void log_report(NsIpNode *node, const NsIpGroup *g, NsIpIface *iface,
                       NsTime now) {
  char why[NS_WHY_MAX], gs[NS_IP4_STRLEN], d[32];
  ns_ip4_format(g->group, gs);
  if (g->answering)
    ns_why_printf(
        why, sizeof why,
        N_("a query asked who wants %s: my random delay ran out before "
           "any other member answered"),
        gs);
  else if (g->unsolicited > 0)
    ns_why_printf(
        why, sizeof why,
        N_("joined %s: an unsolicited report tells routers and snooping "
           "switches at once; another follows in case it is lost"),
        gs);
  else
    ns_why_printf(why, sizeof why,
                  N_("the repeat of the unsolicited report for %s (RFC 2236: "
                     "within 10 s)"),
                  gs);
  ns_log_printf(node->ctx->log, now, node->name, "igmp/report", 0, why,
                "member of %s: report out of %s%s%s", gs, iface->nic.name,
                g->unsolicited > 0 ? ", again in " : "",
                g->unsolicited > 0
                    ? ns_ipn_igmp_delay(g->report_at - now, d, sizeof d)
                    : "");
}

/* Sends the reports due at now and schedules the repeats. */
static void send_reports(NsIpNode *node, NsTime now) {
  for (guint i = 0; i < node->n_groups; i++) {
    NsIpGroup *g = &node->groups[i];
    NsIpIface *iface = iface_at(node, g->iface);
    if (g->report_at > now || iface == NULL)
      continue;
    if (g->unsolicited > 0)
      g->report_at =
          now + ns_ipn_igmp_random(node, NS_IGMP_UNSOLICITED_INTERVAL);
    else
      g->report_at = NS_TIME_NEVER;
    if (ns_ipn_log_on(node))
      log_report(node, g, iface, now);
    if (g->unsolicited > 0)
      g->unsolicited--;
    g->answering = FALSE;
    NsIgmp m = {.type = NS_IGMP_V2_REPORT, .group = g->group};
    ns_ipn_igmp_send(node, iface, &m, g->group, now);
  }
}

static void igmp_timer_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  (void)t;
  send_leaves(node, now);
  send_reports(node, now);
  ns_ipn_querier_tick(node, now);
  ns_ipn_igmp_rearm(node);
}

void ns_ipn_igmp_init(NsIpNode *node, NsIpRare *rare) {
  ns_timer_init(&rare->igmp_timer, igmp_timer_fired, node);
}

void ns_ipn_igmp_free(NsIpNode *node) {
  if (node->rare != NULL) {
    ns_timerq_cancel(node->ctx->timers, &node->rare->igmp_timer);
    if (node->rare->igmp_leaves != NULL)
      g_array_free(node->rare->igmp_leaves, TRUE);
  }
  ns_ipn_querier_free(node);
}

/* ---- joining and leaving ------------------------------------------------- */

void ns_ipn_igmp_joined(NsIpNode *node, NsIpGroup *g) {
  g->report_at = NS_TIME_NEVER;
  if (g->group.v == NS_IGMP_ALL_HOSTS.v || node->n_ifaces == 0)
    return;         /* RFC 2236 6: all-hosts is never reported */
  g->report_at = 0; /* at once: the timer fires at the current instant */
  g->unsolicited = NS_IGMP_ROBUSTNESS - 1;
  g->iface = 0;
  g->answering = FALSE;
  ns_ipn_igmp_rearm(node);
}

void ns_ipn_igmp_left(NsIpNode *node, NsIp4 group) {
  if (group.v == NS_IGMP_ALL_HOSTS.v || node->n_ifaces == 0)
    return;
  NsIpRare *r = ns_ipn_rare(node);
  if (r->igmp_leaves == NULL)
    r->igmp_leaves = g_array_new(FALSE, FALSE, sizeof(NsIgmpLeave));
  NsIgmpLeave l = {group, 0};
  g_array_append_val(r->igmp_leaves, l);
  ns_ipn_igmp_rearm(node);
}

/* ---- receiving ----------------------------------------------------------- */

static NsIpGroup *joined(NsIpNode *node, NsIp4 group) {
  for (guint i = 0; i < node->n_groups; i++) {
    NsIpGroup *g = &node->groups[i];
    if (g->group.v == group.v)
      return g;
  }
  return NULL;
}

/* Schedules g's answer to a query with max response time max; appends
 * what it decided to plan (may be NULL). */
static void plan_answer(NsIpNode *node, NsIpGroup *g, guint iface, NsTime max,
                        GString *plan, NsTime now) {
  char gs[NS_IP4_STRLEN], d[32];
  if (plan != NULL)
    g_string_append_printf(plan, "%s%s", plan->len > 0 ? ", " : "",
                           ns_ip4_format(g->group, gs));
  if (g->report_at != NS_TIME_NEVER && g->report_at <= now + max) {
    if (plan != NULL)
      g_string_append_printf(
          plan, " already in %s",
          ns_ipn_igmp_delay(g->report_at > now ? g->report_at - now : 0, d,
                            sizeof d));
    return;
  }
  g->report_at = now + ns_ipn_igmp_random(node, max);
  g->unsolicited = 0;
  g->iface = iface;
  g->answering = TRUE;
  if (plan != NULL)
    g_string_append_printf(plan, " in %s",
                           ns_ipn_igmp_delay(g->report_at - now, d, sizeof d));
}

static void host_query(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                       const NsIgmp *m, const NsFrame *frame, NsTime now) {
  gboolean log_on = ns_ipn_log_on(node);
  g_autoptr(GString) plan = log_on ? g_string_new(NULL) : NULL;
  NsTime max = ns_igmp_max_resp(m);
  for (guint i = 0; i < node->n_groups; i++) {
    NsIpGroup *g = &node->groups[i];
    if (g->group.v == NS_IGMP_ALL_HOSTS.v ||
        (!ns_igmp_is_general(m) && g->group.v != m->group.v))
      continue;
    plan_answer(node, g, iface->nic.index, max, plan, now);
  }
  ns_ipn_igmp_rearm(node);
  if (!log_on)
    return;
  char src[NS_IP4_STRLEN], gs[NS_IP4_STRLEN];
  ns_log_printf(
      node->ctx->log, now, node->name, "igmp/receive", frame->id,
      N_("a querier asks which groups are wanted on this LAN; each "
         "member answers after a random delay below the max response "
         "time, so that the first answer can spare the others theirs"),
      "query%s%s from %s: %s%s", ns_igmp_is_general(m) ? "" : " for ",
      ns_igmp_is_general(m) ? "" : ns_ip4_format(m->group, gs),
      ns_ip4_format(ip->src, src),
      plan->len > 0 ? "report " : "no group to report", plan->str);
}

static void host_report(NsIpNode *node, const NsIpv4Hdr *ip, const NsIgmp *m,
                        const NsFrame *frame, NsTime now) {
  NsIpGroup *g = joined(node, m->group);
  if (g == NULL || g->report_at == NS_TIME_NEVER)
    return; /* not a member, or nothing pending: nothing to do */
  g->report_at = NS_TIME_NEVER;
  g->unsolicited = 0;
  g->answering = FALSE;
  NS_IPN_COUNT(node, igmp_suppressed);
  ns_ipn_igmp_rearm(node);
  if (!ns_ipn_log_on(node))
    return;
  char src[NS_IP4_STRLEN], gs[NS_IP4_STRLEN];
  ns_log_printf(node->ctx->log, now, node->name, "igmp/suppress", frame->id,
                N_("IGMPv2 report suppression: a router needs to know that "
                   "someone on the LAN wants the group, not who, so one report "
                   "is enough"),
                "%s reported %s: mine is not sent", ns_ip4_format(ip->src, src),
                ns_ip4_format(m->group, gs));
}

void ns_ipn_igmp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                       const NsFrame *frame, NsTime now) {
  const guint8 *payload = frame->data + NS_ETH_HLEN + ip->hlen;
  NsIgmp m;
  const char *err = NULL;
  if (!ns_igmp_parse(payload, ns_ipv4_payload_len(ip), &m, &err)) {
    NS_IPN_COUNT(node, malformed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "igmp/drop", frame->id,
                    NULL, "malformed IGMP: %s", err != NULL ? err : "?");
    return;
  }
  guint64 *c = counter_for(node, m.type, FALSE);
  if (c != NULL)
    (*c)++;
  if (node->forwarding) {
    if (node->queriers != NULL)
      ns_ipn_querier_input(node, iface, ip, &m, now);
    return;
  }
  if (m.type == NS_IGMP_QUERY)
    host_query(node, iface, ip, &m, frame, now);
  else if (ns_igmp_is_report(m.type))
    host_report(node, ip, &m, frame, now);
}

void ns_ipnode_group_state(const NsIpNode *node, guint i, guint *joins,
                           NsTime *report_at) {
  g_return_if_fail(i < node->n_groups);
  const NsIpGroup *g = &node->groups[i];
  *joins = g->joins;
  *report_at = g->report_at;
}

/* switch_snoop.c — IGMP snooping (RFC 4541; the rules are in switch.h,
 * the table in snoop.h): the switch reads the IGMP messages that cross it
 * and sends each group's frames only where the group is wanted. */
#include "core/i18n.h"
#include "net/igmp.h"
#include "net/switch_private.h"
#include "wire/ethernet.h"
#include "wire/igmp.h"
#include "wire/ipv4.h"

/* Last member query time: the querier asks twice, 1 s apart. */
#define LEAVE_WAIT (NS_IGMP_LAST_MEMBER_COUNT * NS_IGMP_LAST_MEMBER_INTERVAL)

/* ---- the table's timer --------------------------------------------------- */

static void log_expire(NsSwitch *sw, const NsSnoopEntry *e, NsTime now) {
  char g[NS_IP4_STRLEN];
  if (ns_ip4_is_zero(e->group)) {
    ns_log_printf(sw->ctx->log, now, sw->name, "switch/igmp-expire", 0,
                  N_("no query came in on it for 255 s: no querier behind it"),
                  "port %u is no longer a router port", e->port);
    return;
  }
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/igmp-expire", 0,
                e->left
                    ? N_("a host behind the port left and none answered the "
                         "querier's group-specific query within 2 s")
                    : N_("no report came in on the port for 260 s"),
                "port %u leaves %s", e->port, ns_ip4_format(e->group, g));
}

static void arm_snoop(NsSwitch *sw) {
  NsTime when = ns_snoop_next_expiry(sw->snoop);
  if (when == NS_TIME_NEVER)
    ns_timerq_cancel(sw->ctx->timers, &sw->snoop_timer);
  else
    ns_timerq_arm(sw->ctx->timers, &sw->snoop_timer, when);
}

static void snoop_fired(NsTimer *t, NsTime now, gpointer data) {
  NsSwitch *sw = data;
  (void)t;
  NsSnoopEntry e;
  while (ns_snoop_expire_one(sw->snoop, now, &e))
    if (ns_log_on(sw->ctx->log))
      log_expire(sw, &e, now);
  arm_snoop(sw);
}

void ns_switch_set_igmp_snooping(NsSwitch *sw, gboolean on) {
  g_return_if_fail(sw != NULL);
  if (on && sw->snoop == NULL) {
    sw->snoop = ns_snoop_new();
    ns_timer_init(&sw->snoop_timer, snoop_fired, sw);
  } else if (!on) {
    ns_sw_snoop_free(sw);
  }
}

void ns_sw_snoop_free(NsSwitch *sw) {
  if (sw->snoop == NULL)
    return;
  ns_timerq_cancel(sw->ctx->timers, &sw->snoop_timer);
  ns_snoop_free(sw->snoop);
  sw->snoop = NULL;
}

void ns_sw_snoop_port_down(NsSwitch *sw, guint port, NsTime now) {
  (void)now;
  if (sw->snoop != NULL && ns_snoop_flush_port(sw->snoop, port) > 0)
    arm_snoop(sw);
}

/* ---- where frames go ----------------------------------------------------- */

static gboolean to_router(const NsSwitch *sw, const Port *p, gconstpointer d) {
  return ns_snoop_is_router(sw->snoop, p->nic.index, *(const NsTime *)d);
}

typedef struct {
  NsIp4 group;
  NsTime now;
} GroupAt;

static gboolean to_member_or_router(const NsSwitch *sw, const Port *p,
                                    gconstpointer d) {
  const GroupAt *g = d;
  return ns_snoop_is_member(sw->snoop, g->group, p->nic.index, g->now) ||
         ns_snoop_is_router(sw->snoop, p->nic.index, g->now);
}

/* Logs the decision (event, why) and sends the frame to the ports keep
 * picks (NULL: flood).  Takes frame. */
static void send_logged(NsSwitch *sw, Port *in, NsFrame *frame,
                        const char *event, const char *why, NsSwPortFilter keep,
                        gconstpointer data, NsTime now) {
  guint ingress = in->nic.index;
  if (keep == NULL)
    in->flooded++;
  else
    ns_sw_port_rare(in)->snooped++;
  if (ns_log_on(sw->ctx->log)) {
    g_autoptr(GString) ports = g_string_new(NULL);
    guint n = ns_sw_append_ports(ports, sw, ingress, keep, data);
    char addrs[NS_ETH_ADDRS_STRLEN];
    ns_log_printf(sw->ctx->log, now, sw->name, event, frame->id,
                  ns_log_explain(sw->ctx->log) ? why : NULL, "%s to %s%s",
                  ns_eth_format_header_addrs(frame->data, addrs),
                  n == 0   ? "no port"
                  : n == 1 ? "port "
                           : "ports ",
                  ports->str);
  }
  ns_sw_send_where(sw, frame, ingress, keep, data, now);
}

/* A group's data frame. */
static void snoop_data(NsSwitch *sw, Port *in, NsFrame *frame, NsIp4 group,
                       NsTime now) {
  char g[NS_IP4_STRLEN], why[NS_WHY_MAX];
  ns_ip4_format(group, g);
  if (ns_igmp_is_link_local(group)) {
    ns_why_printf(why, sizeof why,
                  N_("%s is link-local (224.0.0.x): snooping floods it always "
                     "(RFC 4541 2.1.2)"),
                  g);
    send_logged(sw, in, frame, "switch/flood", why, NULL, NULL, now);
  } else if (!ns_snoop_known(sw->snoop, group, now)) {
    ns_why_printf(
        why, sizeof why,
        N_("no port has reported %s (unknown group): flooded, as RFC "
           "4541 2.1.2 asks, so nothing is lost before a first report"),
        g);
    send_logged(sw, in, frame, "switch/flood", why, NULL, NULL, now);
  } else {
    ns_why_printf(why, sizeof why,
                  N_("member ports of %s and router ports: a port whose hosts "
                     "did not report the group never sees its frames"),
                  g);
    GroupAt at = {group, now};
    send_logged(sw, in, frame, "switch/forward", why, to_member_or_router, &at,
                now);
  }
}

/* Reports and leaves go to the router ports, or everywhere if none. */
static void to_routers(NsSwitch *sw, Port *in, NsFrame *frame, NsTime now) {
  if (ns_snoop_has_router(sw->snoop, now))
    send_logged(
        sw, in, frame, "switch/forward",
        N_("an IGMP report or leave is for the routers: only the router "
           "ports get it (RFC 4541 2.1.1), so other members do not "
           "hear it and each keeps reporting for its own port"),
        to_router, &now, now);
  else
    send_logged(
        sw, in, frame, "switch/flood",
        N_("an IGMP report or leave, and no query has shown where the "
           "querier is yet: flooded, so a router hears it wherever it is"),
        NULL, NULL, now);
}

/* ---- what IGMP teaches --------------------------------------------------- */

static void learn_query(NsSwitch *sw, Port *in, const NsIpv4Hdr *ip,
                        const NsFrame *frame, NsTime now) {
  ns_sw_port_rare(in)->igmp_queries++;
  gboolean fresh = ns_snoop_router(sw->snoop, in->nic.index,
                                   NS_IGMP_OTHER_QUERIER_INTERVAL, now);
  arm_snoop(sw);
  if (!fresh || !ns_log_on(sw->ctx->log))
    return;
  char src[NS_IP4_STRLEN];
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/igmp-router", frame->id,
                N_("an IGMP query came in on it: the querier is behind this "
                   "port, which gets every group's frames and every report"),
                "port %u is a router port (querier %s)", in->nic.index,
                ns_ip4_format(ip->src, src));
}

static void log_join(NsSwitch *sw, guint port, const NsIpv4Hdr *ip, NsIp4 group,
                     NsSnoopLearn r, const NsFrame *frame, NsTime now) {
  char g[NS_IP4_STRLEN], src[NS_IP4_STRLEN], why[NS_WHY_MAX];
  ns_ip4_format(group, g);
  if (r == NS_SNOOP_FULL)
    ns_why_printf(
        why, sizeof why,
        N_("the snooping table is full (%u entries): %s stays as it was"),
        NS_SNOOP_CAPACITY, g);
  else
    ns_why_printf(
        why, sizeof why,
        N_("%s reported %s: the group's frames now go to port %u too, "
           "for 260 s unless a report renews it"),
        ns_ip4_format(ip->src, src), g, port);
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/igmp-join", frame->id, why,
                "port %u %s %s", port,
                r == NS_SNOOP_FULL ? "cannot join" : "joins", g);
}

static void learn_report(NsSwitch *sw, Port *in, const NsIpv4Hdr *ip,
                         NsIp4 group, const NsFrame *frame, NsTime now) {
  ns_sw_port_rare(in)->igmp_reports++;
  if (!ns_ip4_is_multicast(group) || ns_igmp_is_link_local(group))
    return;
  NsSnoopLearn r = ns_snoop_report(sw->snoop, group, in->nic.index,
                                   NS_IGMP_MEMBERSHIP_INTERVAL, now);
  arm_snoop(sw);
  if (r != NS_SNOOP_REFRESHED && ns_log_on(sw->ctx->log))
    log_join(sw, in->nic.index, ip, group, r, frame, now);
}

static void learn_leave(NsSwitch *sw, Port *in, const NsIpv4Hdr *ip,
                        NsIp4 group, const NsFrame *frame, NsTime now) {
  ns_sw_port_rare(in)->igmp_leaves++;
  if (!ns_snoop_leave(sw->snoop, group, in->nic.index, LEAVE_WAIT, now))
    return;
  arm_snoop(sw);
  if (!ns_log_on(sw->ctx->log))
    return;
  char g[NS_IP4_STRLEN], src[NS_IP4_STRLEN];
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/igmp-leave", frame->id,
                N_("another host behind the same port may still want the "
                   "group: it has 2 s to answer the querier's group-specific "
                   "query before the port stops getting the group"),
                "%s leaves %s on port %u: port out in 2 s",
                ns_ip4_format(ip->src, src), ns_ip4_format(group, g),
                in->nic.index);
}

/* An IGMP message: learnt from, then passed on.  Takes frame. */
static void snoop_igmp(NsSwitch *sw, Port *in, NsFrame *frame,
                       const NsIpv4Hdr *ip, const NsIgmp *m, NsTime now) {
  if (m->type == NS_IGMP_QUERY) {
    learn_query(sw, in, ip, frame, now);
    send_logged(sw, in, frame, "switch/flood",
                N_("an IGMP query is for every host: flooded"), NULL, NULL,
                now);
    return;
  }
  if (ns_igmp_is_report(m->type))
    learn_report(sw, in, ip, m->group, frame, now);
  else if (m->type == NS_IGMP_LEAVE)
    learn_leave(sw, in, ip, m->group, frame, now);
  to_routers(sw, in, frame, now);
}

gboolean ns_sw_snoop(NsSwitch *sw, Port *in, NsFrame *frame, NsTime now) {
  const guint8 *d = frame->data;
  if (d[0] != 0x01 || d[1] != 0x00 || d[2] != 0x5e ||
      ns_eth_type(d) != NS_ETHERTYPE_IPV4)
    return FALSE;
  NsIpv4Hdr ip;
  const guint8 *pkt = d + NS_ETH_HLEN;
  if (!ns_ipv4_parse(pkt, frame->len - NS_ETH_HLEN, &ip, NULL) ||
      !ns_ip4_is_multicast(ip.dst))
    return FALSE; /* not for snooping: the switch floods it as before */
  NsIgmp m;
  if (ip.proto == NS_IPPROTO_IGMP && !ns_ipv4_is_fragment(&ip) &&
      ns_igmp_parse(pkt + ip.hlen, ns_ipv4_payload_len(&ip), &m, NULL))
    snoop_igmp(sw, in, frame, &ip, &m, now);
  else
    snoop_data(sw, in, frame, ip.dst, now);
  return TRUE;
}

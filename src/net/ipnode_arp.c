/* ipnode_arp.c — next-hop resolution and Ethernet output for the IP stack
 * (see ipnode_private.h for how the stack is split). */
#include <string.h>

#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/pretty.h"

static void send_arp(NsIpNode *node, NsIpIface *iface, guint16 op,
                     NsMac eth_dst, NsMac tha, NsIp4 tpa, NsTime now,
                     const char *why) {
  NsFrame *f = ns_ctx_frame_new(node->ctx, NS_ETH_MIN_FRAME);
  NsEthHdr eth = {eth_dst, iface->nic.mac, NS_ETHERTYPE_ARP};
  ns_eth_emit(f->data, &eth);
  NsArp a = {op, iface->nic.mac, iface->addr.addr, tha, tpa};
  ns_arp_emit(f->data + NS_ETH_HLEN, &a);
  if (op == NS_ARP_OP_REQUEST)
    node->hot.arp_requests++;
  else
    node->hot.arp_replies++;
  if (ns_ipn_log_on(node))
    ns_ipn_log_frame(node, now,
                     op == NS_ARP_OP_REQUEST ? "arp/request" : "arp/reply", f,
                     why, op == NS_ARP_OP_REQUEST ? "broadcast " : "");
  ns_nic_send(&iface->nic, f, now);
}

static void arp_rearm(NsIpNode *node, NsTime now) {
  NsTime next = NS_TIME_NEVER;
  for (guint i = 0; i < node->n_ifaces; i++) {
    NsIpIface *iface = node->ifaces[i];
    NsTime d = ns_arp_cache_next_deadline(iface->arp);
    if (d < next)
      next = d;
  }
  if (next == NS_TIME_NEVER)
    ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
  else if (!ns_timer_armed(&node->arp_timer) ||
           node->arp_timer.when != MAX(next, now))
    ns_timerq_arm(node->ctx->timers, &node->arp_timer, MAX(next, now));
}

/* After a change to one interface's cache: that cache's earliest deadline
 * can only pull the node's timer earlier, so there is no need to scan every
 * interface (a timer that fires early finds nothing due and re-arms with
 * the full scan). */
void ns_ipn_arp_rearm_for(NsIpNode *node, NsIpIface *iface, NsTime now) {
  NsTime d = ns_arp_cache_next_deadline(iface->arp);
  if (d == NS_TIME_NEVER)
    return;
  d = MAX(d, now);
  if (!ns_timer_armed(&node->arp_timer) || d < node->arp_timer.when)
    ns_timerq_arm(node->ctx->timers, &node->arp_timer, d);
}

/* Logs the entry a full cache pushed out, if the last call did (evictions
 * was the count before it). */
static void log_eviction(NsIpNode *node, NsIpIface *iface, guint64 evictions,
                         guint64 frame, NsTime now) {
  if (!ns_ipn_log_on(node) || ns_arp_cache_evictions(iface->arp) == evictions)
    return;
  const NsArpEntry *e = ns_arp_cache_last_evicted(iface->arp);
  char ip[NS_IP4_STRLEN], mac[NS_MAC_STRLEN];
  ns_log_printf(
      node->ctx->log, now, node->name, "arp/evict", frame,
      N_("the cache is full: the entry closest to expiring makes room"),
      "%s at %s forgotten on %s (cache of %u entries full)",
      ns_ip4_format(e->ip, ip), ns_mac_format(e->mac, mac), iface->nic.name,
      ns_arp_cache_config(iface->arp)->capacity);
}

void ns_ipnode_arp_flush(NsIpNode *node) {
  for (guint i = 0; i < node->n_ifaces; i++)
    ns_arp_cache_flush(node->ifaces[i]->arp);
  ns_timerq_cancel(node->ctx->timers, &node->arp_timer);
}

void ns_ipnode_transmit(NsIpIface *iface, NsFrame *frame, NsMac dst,
                        NsTime now) {
  g_return_if_fail(iface != NULL && frame != NULL);
  g_return_if_fail(frame->len >= NS_ETH_HLEN);
  ns_eth_set_dst(frame->data, dst);
  ns_eth_set_src(frame->data, iface->nic.mac);
  ns_nic_send(&iface->nic, frame, now);
}

/* Room for "eth0 02:00:00:00:00:02 > 02:00:00:00:00:05". */
#define OUT_STRLEN (NS_ETH_ADDRS_STRLEN + 32)

/* Where a datagram leaves for mac: its interface and the Ethernet header
 * it gets there ("eth1 02:00:00:00:00:02 > 02:00:00:00:00:05"), for
 * arp/hit and arp/release; on a router the source is the outgoing
 * interface's MAC, a new one for every hop. */
static char *format_out(const NsIpIface *iface, NsMac mac,
                        char out[OUT_STRLEN]) {
  char addrs[NS_ETH_ADDRS_STRLEN];
  g_snprintf(out, OUT_STRLEN, "%s %s", iface->nic.name,
             ns_eth_format_addrs(iface->nic.mac, mac, addrs));
  return out;
}

NsMac ns_ipn_group_mac(NsIp4 group) {
  /* RFC 1112 §6.4: 01:00:5e followed by the group's low 23 bits. */
  NsMac m = {{0x01, 0x00, 0x5e, (guint8)((group.v >> 16) & 0x7f),
              (guint8)(group.v >> 8), (guint8)group.v}};
  return m;
}

/* Hands an IPv4 frame (header at offset 14) to next hop nexthop on iface,
 * resolving its MAC.  Takes frame. */
void ns_ipn_output(NsIpNode *node, NsIpIface *iface, NsIp4 nexthop,
                   NsFrame *frame, NsTime now) {
  if (ns_ipnode_is_broadcast_for(iface, nexthop)) {
    ns_ipnode_transmit(iface, frame, ns_mac_broadcast, now);
    return;
  }
  if (ns_ip4_is_multicast(nexthop)) {
    ns_ipnode_transmit(iface, frame, ns_ipn_group_mac(nexthop), now);
    return;
  }
  NsMac mac;
  NsFrame *dropped = NULL;
  gboolean aged = FALSE;
  char ip[NS_IP4_STRLEN];
  gboolean log_on = ns_ipn_log_on(node);
  guint64 evictions = log_on ? ns_arp_cache_evictions(iface->arp) : 0;
  guint64 id = frame->id;
  NsArpResult r = ns_arp_cache_resolve(iface->arp, nexthop, now, frame, &mac,
                                       &dropped, &aged);
  if (log_on)
    log_eviction(node, iface, evictions, id, now);
  switch (r) {
  case NS_ARP_HIT:
    if (log_on && ns_log_explain(node->ctx->log)) {
      char m[NS_MAC_STRLEN], o[OUT_STRLEN], why[NS_WHY_MAX];
      ns_why_printf(why, sizeof why,
                    N_("the cache already knows the next hop's MAC: %s is-at "
                       "%s"),
                    ns_ip4_format(nexthop, ip), ns_mac_format(mac, m));
      ns_log_explain_printf(node->ctx->log, now, node->name, "arp/hit",
                            frame->id, why, "out %s",
                            format_out(iface, mac, o));
    }
    ns_ipnode_transmit(iface, frame, mac, now);
    break;
  case NS_ARP_MISS:
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/miss", frame->id,
                    aged ? N_("the cache entry had aged out: ask again")
                         : N_("the next hop's MAC is not in the ARP cache: "
                              "broadcast a request and queue the datagram"),
                    "%s unknown%s: datagram queued", ns_ip4_format(nexthop, ip),
                    aged ? " (aged out)" : "");
    send_arp(node, iface, NS_ARP_OP_REQUEST, ns_mac_broadcast, ns_mac_zero,
             nexthop, now,
             N_("who has this address? every host on the LAN hears it"));
    ns_ipn_arp_rearm_for(node, iface, now);
    break;
  case NS_ARP_PENDING:
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/pending", frame->id,
                    N_("a request is already out: wait for its answer"),
                    "%s still resolving: datagram queued",
                    ns_ip4_format(nexthop, ip));
    break;
  case NS_ARP_FULL:
    NS_IPN_COUNT(node, arp_failed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", frame->id, NULL,
                    "ARP cache full, cannot resolve %s",
                    ns_ip4_format(nexthop, ip));
    ns_frame_unref(frame);
    break;
  }
  if (dropped != NULL) {
    NS_IPN_COUNT(node, arp_failed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "ip/drop", dropped->id,
                    NULL, "ARP pending queue for %s full: oldest dropped",
                    ns_ip4_format(nexthop, ip));
    ns_frame_unref(dropped);
  }
}

void ns_ipn_arp_input(NsIpNode *node, NsIpIface *iface, NsFrame *frame,
                      NsTime now) {
  NsArp a;
  const char *err = NULL;
  if (!ns_arp_parse(frame->data + NS_ETH_HLEN, frame->len - NS_ETH_HLEN, &a,
                    &err)) {
    NS_IPN_COUNT(node, malformed);
    if (ns_ipn_log_on(node))
      ns_log_printf(node->ctx->log, now, node->name, "arp/drop", frame->id,
                    NULL, "malformed ARP: %s", err != NULL ? err : "?");
    return;
  }
  gboolean for_us =
      ns_ipnode_iface_has_addr(iface) && a.tpa.v == iface->addr.addr.v;
  gboolean logging = ns_ipn_log_on(node);
  /* Empty strings, not zeroed arrays: every host of a LAN takes this path
   * for each flooded request. */
  char sip[NS_IP4_STRLEN], tip[NS_IP4_STRLEN], smac[NS_MAC_STRLEN];
  sip[0] = tip[0] = smac[0] = '\0';
  if (logging) {
    ns_ip4_format(a.spa, sip);
    ns_ip4_format(a.tpa, tip);
    ns_mac_format(a.sha, smac);
  }

  /* Only an update fills rel (on the stack: no per-node scratch array). */
  NsArpReleased rel;
  rel.n = 0; /* frames[] is filled before it is read */
  gboolean updated = FALSE;
  if (!ns_ip4_is_zero(a.spa) && !ns_mac_is_multicast(a.sha)) {
    /* (The count is read only for the log: the cache is a cold line.) */
    guint64 evictions = logging ? ns_arp_cache_evictions(iface->arp) : 0;
    updated = ns_arp_cache_update(iface->arp, a.spa, a.sha, now, for_us, &rel);
    if (logging)
      log_eviction(node, iface, evictions, frame->id, now);
    if (updated && logging)
      ns_log_printf(node->ctx->log, now, node->name, "arp/learn", frame->id,
                    for_us ? (a.op == NS_ARP_OP_REPLY
                                  ? N_("the answer to our request")
                                  : N_("a request for us also tells us who "
                                       "asked (RFC 826): remember the sender"))
                           : N_("we already had this address: refresh it"),
                    "%s is-at %s", sip, smac);
  }

  if (a.op == NS_ARP_OP_REQUEST) {
    if (for_us) {
      char why[NS_WHY_MAX] = "";
      if (ns_log_explain(node->ctx->log))
        ns_why_printf(why, sizeof why,
                      N_("%s is my address on %s: answer %s directly"), tip,
                      iface->nic.name, sip);
      send_arp(node, iface, NS_ARP_OP_REPLY, a.sha, a.sha, a.spa, now, why);
    } else if (logging) {
      ns_log_printf(node->ctx->log, now, node->name, "arp/ignore", frame->id,
                    N_("only the owner of the address answers"),
                    "who-has %s tell %s: not my address", tip, sip);
    }
  }

  for (guint i = 0; i < rel.n; i++) {
    NsFrame *f = rel.frames[i];
    if (logging) {
      char o[OUT_STRLEN], why[NS_WHY_MAX] = "";
      if (ns_log_explain(node->ctx->log))
        ns_why_printf(why, sizeof why,
                      N_("the answer came: send the datagram that was "
                         "waiting for %s"),
                      sip);
      ns_log_printf(node->ctx->log, now, node->name, "arp/release", f->id, why,
                    "out %s", format_out(iface, a.sha, o));
    }
    ns_ipnode_transmit(iface, f, a.sha, now);
  }
  /* Only an update moves a deadline (most flooded requests change
   * nothing here). */
  if (updated)
    ns_ipn_arp_rearm_for(node, iface, now);
}

typedef struct {
  NsIpNode *node;
  NsIpIface *iface;
  NsTime now;
} TickCtx;

static void arp_retry_cb(NsIp4 ip, guint attempt, gpointer data) {
  TickCtx *tc = data;
  char why[NS_WHY_MAX] = "";
  if (ns_log_explain(tc->node->ctx->log))
    ns_why_printf(why, sizeof why, N_("no answer yet: request %u of %u"),
                  attempt, tc->node->arp_cfg->retries);
  send_arp(tc->node, tc->iface, NS_ARP_OP_REQUEST, ns_mac_broadcast,
           ns_mac_zero, ip, tc->now, why);
}

static void arp_fail_cb(NsIp4 ip, NsFrame **frames, guint n, gpointer data) {
  TickCtx *tc = data;
  NsIpNode *node = tc->node;
  char buf[NS_IP4_STRLEN];
  if (ns_ipn_log_on(node)) {
    char why[NS_WHY_MAX] = "";
    if (ns_log_explain(node->ctx->log))
      ns_why_printf(why, sizeof why,
                    N_("nobody answered: the address is unreachable; %u "
                       "queued datagram(s) dropped"),
                    n);
    ns_log_printf(node->ctx->log, tc->now, node->name, "arp/fail", 0, why,
                  "%s did not answer %u requests: host unreachable",
                  ns_ip4_format(ip, buf), node->arp_cfg->retries);
  }
  for (guint i = 0; i < n; i++) {
    NsFrame *f = frames[i];
    NS_IPN_COUNT(node, arp_failed);
    NsIpv4Hdr oh;
    if (ns_ipv4_parse(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN, &oh, NULL))
      ns_ipn_icmp_error(node, tc->iface, f->data + NS_ETH_HLEN, &oh,
                        NS_ICMP_DEST_UNREACH, NS_ICMP_HOST_UNREACH, tc->now);
    ns_frame_unref(f);
  }
}

static void arp_expire_cb(NsIp4 ip, NsMac mac, gpointer data) {
  TickCtx *tc = data;
  if (ns_ipn_log_on(tc->node)) {
    char b[NS_IP4_STRLEN], m[NS_MAC_STRLEN];
    ns_log_printf(tc->node->ctx->log, tc->now, tc->node->name, "arp/expire", 0,
                  N_("entries age out so that a moved or replaced host is "
                     "learned again"),
                  "%s at %s aged out", ns_ip4_format(ip, b),
                  ns_mac_format(mac, m));
  }
}

void ns_ipn_arp_timer_fired(NsTimer *t, NsTime now, gpointer data) {
  NsIpNode *node = data;
  (void)t;
  for (guint i = 0; i < node->n_ifaces; i++) {
    TickCtx tc = {node, node->ifaces[i], now};
    ns_arp_cache_tick(tc.iface->arp, now, arp_retry_cb, arp_fail_cb,
                      arp_expire_cb, &tc);
  }
  arp_rearm(node, now);
}

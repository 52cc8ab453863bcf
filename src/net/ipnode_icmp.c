/* ipnode_icmp.c — ICMP for the IP stack: listeners, echo answers, errors
 * (see ipnode_private.h for how the stack is split). */
#include <string.h>

#include "core/i18n.h"
#include "net/ipnode_private.h"
#include "wire/ethernet.h"

void ns_ipnode_add_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                 gpointer data) {
  /* Grown one at a time: a node has a listener or two (its pings). */
  node->listeners =
      ns_slab_resize(node->ctx->slab, node->listeners,
                     node->n_listeners * sizeof *node->listeners,
                     (node->n_listeners + 1) * sizeof *node->listeners);
  node->listeners[node->n_listeners++] = (NsIpListener){fn, data};
}

static void compact_listeners(NsIpNode *node) {
  guint keep = 0;
  for (guint i = 0; i < node->n_listeners; i++)
    if (node->listeners[i].fn != NULL)
      node->listeners[keep++] = node->listeners[i];
  gsize size = sizeof *node->listeners;
  if (keep == 0) { /* a finished ping leaves nothing behind */
    ns_slab_release(node->ctx->slab, node->listeners, node->n_listeners * size);
    node->listeners = NULL;
  } else if (keep < node->n_listeners) {
    node->listeners = ns_slab_resize(node->ctx->slab, node->listeners,
                                     node->n_listeners * size, keep * size);
  }
  node->n_listeners = keep;
  node->listener_gone = FALSE;
}

void ns_ipnode_remove_icmp_listener(NsIpNode *node, NsIcmpListener fn,
                                    gpointer data) {
  for (guint i = 0; i < node->n_listeners; i++) {
    NsIpListener *l = &node->listeners[i];
    if (l->fn == fn && l->data == data) {
      l->fn = NULL;
      break;
    }
  }
  if (node->dispatching == 0)
    compact_listeners(node);
  else
    node->listener_gone = TRUE;
}

void ns_ipn_dispatch_icmp(NsIpNode *node, const NsIpv4Hdr *ip,
                          const NsIcmp *icmp, NsTime now) {
  if (node->n_listeners == 0)
    return;
  node->dispatching++;
  /* Listeners added during dispatch are not called for this message. */
  guint n = node->n_listeners;
  for (guint i = 0; i < n; i++) {
    NsIpListener l = node->listeners[i]; /* the array may move meanwhile */
    if (l.fn != NULL)
      l.fn(node, ip, icmp, now, l.data);
  }
  if (--node->dispatching == 0 && node->listener_gone)
    compact_listeners(node);
}

/* An ICMP error message about the datagram orig (len bytes) into buf,
 * quoting as much of it as fits in 576 bytes (wire/icmp.h).  Returns its
 * size. */
#define ICMP_ERROR_MAX (NS_ICMP_HLEN + NS_ICMP_QUOTE_MAX)
static gsize build_icmp_error(guint8 buf[ICMP_ERROR_MAX], const guint8 *orig,
                              gsize len, guint8 type, guint8 code) {
  NsIcmp m = {type, code, 0, 0, 0, orig, ns_icmp_quote_len(orig, len)};
  return ns_icmp_emit(buf, &m);
}

/* Delivers a locally generated ICMP error (about a datagram we sent) to
 * our own listeners, as a real stack reports it to the socket. */
void ns_ipn_local_icmp_error(NsIpNode *node, const guint8 *orig, gsize len,
                             guint8 type, guint8 code, NsTime now) {
  guint8 buf[ICMP_ERROR_MAX];
  gsize n = build_icmp_error(buf, orig, len, type, code);
  NsIcmp parsed;
  if (!ns_icmp_parse(buf, n, &parsed, NULL))
    return;
  NsIpv4Hdr ip = {0};
  ip.hlen = NS_IPV4_HLEN;
  ip.total_len = (guint16)(NS_IPV4_HLEN + n);
  ip.ttl = 64;
  ip.proto = NS_IPPROTO_ICMP;
  ip.src = ns_ip4_load(orig + 12);
  ip.dst = ip.src;
  ns_ipn_dispatch_icmp(node, &ip, &parsed, now);
}

/* Sends an ICMP error about the datagram at orig (len bytes, header
 * already parsed into oh) back to its source, following RFC 1122 §3.2.2:
 * never about an ICMP error, a broadcast/multicast, a non-first fragment or
 * an invalid source. */
void ns_ipn_icmp_error(NsIpNode *node, NsIpIface *in, const guint8 *orig,
                       const NsIpv4Hdr *oh, guint8 type, guint8 code,
                       NsTime now) {
  if ((oh->frag & 0x1fff) != 0 || ns_ip4_is_zero(oh->src) ||
      ns_ip4_is_limited_broadcast(oh->src) || ns_ip4_is_multicast(oh->src) ||
      ns_ip4_is_multicast(oh->dst) || ns_ipnode_is_broadcast_for(in, oh->dst))
    return;
  if (oh->proto == NS_IPPROTO_ICMP && oh->total_len > oh->hlen) {
    /* Never an error about an error (RFC 1122 3.2.2). */
    if (ns_icmp_is_error(orig[oh->hlen]))
      return;
  }
  if (ns_ipnode_iface_by_addr(node, oh->src) != NULL) {
    ns_ipn_local_icmp_error(node, orig, oh->total_len, type, code, now);
    return;
  }
  guint8 buf[ICMP_ERROR_MAX];
  gsize n = build_icmp_error(buf, orig, oh->total_len, type, code);
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_ICMP, 64);
  o.tos = NS_IPV4_TOS_ICMP_ERROR(oh->tos);
  o.csum_ok = TRUE; /* ns_icmp_emit's */
  ns_ipnode_send_with(node, oh->src, &o, buf, n, now, NULL);
}

/* The ICMP message data points at (an NsIcmp), written straight into the
 * frame being built: its data is copied once, from where it lies. */
static void emit_icmp(guint8 *dst, gsize len, gpointer data) {
  gsize n = ns_icmp_emit(dst, data);
  g_assert(n == len);
}

void ns_ipn_answer_echo(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                        const NsIcmp *icmp, guint64 frame_id, NsTime now) {
  if (ns_ip4_is_zero(ip->src) || ns_ip4_is_multicast(ip->src) ||
      ns_ip4_is_limited_broadcast(ip->src))
    return;
  gsize max = NS_ETH_MTU - NS_IPV4_HLEN - NS_ICMP_HLEN;
  NsIcmp reply = {
      NS_ICMP_ECHO_REPLY,      0, 0, icmp->id, icmp->seq, icmp->data,
      MIN(icmp->data_len, max)};
  node->hot.echo_replied++;
  if (ns_ipn_log_on(node)) {
    char src[NS_IP4_STRLEN];
    ns_log_printf(node->ctx->log, now, node->name, "icmp/echo", frame_id,
                  N_("an echo request addressed to me is answered with an echo "
                     "reply carrying the same id, seq and data"),
                  "echo request from %s id %u seq %u: replying",
                  ns_ip4_format(ip->src, src), icmp->id, icmp->seq);
  }
  (void)iface;
  /* RFC 1122 3.2.2.6: the reply comes from the address that was pinged
   * (a router pinged on its far interface answers from that one); for a
   * broadcast request, from the outgoing interface.  Its TOS is the
   * request's, as Linux's icmp_reply() sets it. */
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_ICMP, 64);
  o.tos = ip->tos;
  o.csum_ok = TRUE; /* ns_icmp_emit's */
  if (ns_ipnode_iface_by_addr(node, ip->dst) != NULL) {
    o.src_select = NS_IP_SRC_GIVEN;
    o.src = ip->dst;
  }
  ns_ipnode_send_fill(node, ip->src, &o, NS_ICMP_HLEN + reply.data_len,
                      emit_icmp, &reply, now, NULL);
}

/* udp.c — a node's UDP: sockets, demultiplexing, broadcast and multicast
 * (see udp.h). */
#include "net/udp.h"
#include "core/i18n.h"

#include <string.h>

/* "255.255.255.255:65535" + NUL */

/* One datagram waiting in a socket. */
typedef struct {
  GBytes *data; /* owned; shared with the other copies of a broadcast */
  NsIp4 from;
  guint16 from_port;
} Queued;

struct NsUdpSocket {
  NsUdp *udp;        /* the owner */
  NsIp4 local;       /* bound address: 0.0.0.0 (any), ours, or a group */
  guint16 port;      /* bound port, never 0 */
  gboolean closed;   /* closed during a delivery: freed once it is over */
  NsUdpCallbacks cb; /* copied */
  /* The receive queue: a ring of ring_size slots (grown by doubling, up to
   * NS_UDP_RX_QUEUE_MAX) holding count datagrams from head on. */
  Queued *ring;
  guint ring_size, head, count;
  GArray *groups; /* of NsIp4: joined through this socket, or NULL */
  NsUdpSocketCounters counters;
};

struct NsUdp {
  NsIpNode *node;         /* borrowed */
  GPtrArray *sockets;     /* of NsUdpSocket*, owned, in bind order */
  guint delivering;       /* > 0 while readable callbacks may run */
  guint n_closed;         /* sockets closed meanwhile, still in sockets */
  guint32 next_ephemeral; /* ephemeral ports handed out */
  NsUdpCounters counters;
};

/* How a datagram was addressed, which decides who gets it. */
typedef enum {
  TO_ONE,   /* unicast: one socket */
  TO_ALL,   /* broadcast: every wildcard socket on the port */
  TO_GROUP, /* multicast: every wildcard or group socket on the port */
} Audience;

/* What one received datagram is, while it is handed out. */
typedef struct {
  const NsIpv4Hdr *ip;
  const NsUdpHdr *udp;
  const guint8 *data; /* borrowed from the frame */
  gsize len;
  Audience to;
  GBytes *bytes; /* the one copy every socket shares, made on first use */
  guint64 frame;
  NsTime now;
} Rx;

static gboolean udp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                          const guint8 *payload, gsize len, NsTime now,
                          gpointer data, guint8 *code);

static NsLog *log_of(const NsUdp *udp) { return ns_ipnode_ctx(udp->node)->log; }

/* ---- the socket table ---------------------------------------------------- */

static void icmp_error(NsIpNode *node, const NsIpv4Hdr *ip, const NsIcmp *icmp,
                       NsTime now, gpointer data);

NsUdp *ns_udp_new(NsIpNode *node) {
  g_return_val_if_fail(node != NULL, NULL);
  NsUdp *udp = g_new0(NsUdp, 1);
  udp->node = node;
  udp->sockets = g_ptr_array_new();
  udp->next_ephemeral = 0;
  ns_ipnode_set_proto_handler(node, NS_IPPROTO_UDP, udp_input, udp);
  ns_ipnode_add_icmp_listener(node, icmp_error, udp);
  return udp;
}

void ns_udp_free(NsUdp *udp) {
  if (udp == NULL)
    return;
  g_return_if_fail(udp->delivering == 0); /* not from a callback */
  while (udp->sockets->len > 0)
    ns_udp_close(g_ptr_array_index(udp->sockets, udp->sockets->len - 1));
  ns_ipnode_set_proto_handler(udp->node, NS_IPPROTO_UDP, NULL, NULL);
  ns_ipnode_remove_icmp_listener(udp->node, icmp_error, udp);
  g_ptr_array_free(udp->sockets, TRUE);
  g_free(udp);
}

NsIpNode *ns_udp_node(NsUdp *udp) { return udp->node; }
const NsUdpCounters *ns_udp_counters(const NsUdp *udp) {
  return &udp->counters;
}

static gboolean port_in_use(const NsUdp *udp, guint16 port) {
  for (guint i = 0; i < udp->sockets->len; i++) {
    const NsUdpSocket *s = g_ptr_array_index(udp->sockets, i);
    if (!s->closed && s->port == port)
      return TRUE;
  }
  return FALSE;
}

NsUdpSocket *ns_udp_find(NsUdp *udp, NsIp4 local, guint16 port) {
  for (guint i = 0; i < udp->sockets->len; i++) {
    NsUdpSocket *s = g_ptr_array_index(udp->sockets, i);
    if (!s->closed && s->port == port && s->local.v == local.v)
      return s;
  }
  return NULL;
}

/* An ephemeral port no socket uses, on any address (0: all taken).  As
 * Linux's UDP: the search starts at an unpredictable point of the range
 * and goes up from there; here the point is a keyed hash of --seed, the
 * node and how many ports it handed out (ns_ctx_hash), so a run is the
 * same every time and a port just closed is not given again at once. */
static guint16 pick_ephemeral(NsUdp *udp) {
  NsCtx *ctx = ns_ipnode_ctx(udp->node);
  guint start = ns_ctx_hash(ctx, ns_ipnode_name(udp->node),
                            0x75647000u + udp->next_ephemeral++) %
                NS_EPHEMERAL_COUNT;
  for (guint i = 0; i < NS_EPHEMERAL_COUNT; i++) {
    guint16 port =
        (guint16)(NS_EPHEMERAL_LOW + (start + i) % NS_EPHEMERAL_COUNT);
    if (!port_in_use(udp, port))
      return port;
  }
  return 0;
}

NsUdpSocket *ns_udp_open(NsUdp *udp, NsIp4 local, guint16 port,
                         const NsUdpCallbacks *cb, GError **error) {
  g_return_val_if_fail(udp != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  const char *name = ns_ipnode_name(udp->node);
  char a[NS_IP4_STRLEN];
  if (!ns_ip4_is_zero(local) && !ns_ip4_is_multicast(local) &&
      ns_ipnode_iface_by_addr(udp->node, local) == NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s is not an address of %s: cannot bind to it "
                  "(EADDRNOTAVAIL)"),
                ns_ip4_format(local, a), name);
    return NULL;
  }
  if (port == 0) {
    port = pick_ephemeral(udp);
    if (port == 0) {
      g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                  _("%s has no free UDP port left in %u-%u (EADDRINUSE)"), name,
                  NS_EPHEMERAL_LOW, NS_EPHEMERAL_HIGH);
      return NULL;
    }
  } else if (ns_udp_find(udp, local, port) != NULL) {
    char ep[NS_ENDPOINT_STRLEN];
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("UDP %s on %s is already bound by another socket "
                  "(EADDRINUSE)"),
                ns_endpoint_format(local, port, ep), name);
    return NULL;
  }
  NsUdpSocket *s = g_new0(NsUdpSocket, 1);
  s->udp = udp;
  s->local = local;
  s->port = port;
  if (cb != NULL)
    s->cb = *cb;
  g_ptr_array_add(udp->sockets, s);
  return s;
}

static void drop_queue(NsUdpSocket *s) {
  for (; s->count > 0; s->count--) {
    g_bytes_unref(s->ring[s->head].data);
    s->head = (s->head + 1) % s->ring_size;
  }
  g_clear_pointer(&s->ring, g_free);
  s->ring_size = s->head = 0;
}

static void socket_free(NsUdpSocket *s) {
  if (s->groups != NULL)
    g_array_free(s->groups, TRUE);
  g_free(s);
}

void ns_udp_close(NsUdpSocket *sock) {
  if (sock == NULL)
    return;
  g_return_if_fail(!sock->closed);
  NsUdp *udp = sock->udp;
  while (sock->groups != NULL && sock->groups->len > 0)
    ns_udp_leave(sock, g_array_index(sock->groups, NsIp4, 0));
  drop_queue(sock);
  if (udp->delivering > 0) {
    /* A delivery loop may still hold it: it is skipped from now on and
     * freed when the loop is over. */
    sock->closed = TRUE;
    sock->cb = (NsUdpCallbacks){0};
    udp->n_closed++;
    return;
  }
  g_ptr_array_remove(udp->sockets, sock);
  socket_free(sock);
}

/* Frees the sockets closed while a delivery ran, keeping bind order. */
static void delivery_done(NsUdp *udp) {
  if (--udp->delivering > 0 || udp->n_closed == 0)
    return;
  for (guint i = udp->sockets->len; i-- > 0;) {
    NsUdpSocket *s = g_ptr_array_index(udp->sockets, i);
    if (s->closed) {
      g_ptr_array_remove_index(udp->sockets, i);
      socket_free(s);
    }
  }
  udp->n_closed = 0;
}

void ns_udp_set_callbacks(NsUdpSocket *sock, const NsUdpCallbacks *cb) {
  g_return_if_fail(sock != NULL && !sock->closed);
  sock->cb = cb != NULL ? *cb : (NsUdpCallbacks){0};
}

guint ns_udp_n_sockets(const NsUdp *udp) {
  return udp->sockets->len - udp->n_closed;
}

NsUdpSocket *ns_udp_socket(NsUdp *udp, guint i) {
  for (guint k = 0; k < udp->sockets->len; k++) {
    NsUdpSocket *s = g_ptr_array_index(udp->sockets, k);
    if (!s->closed && i-- == 0)
      return s;
  }
  g_return_val_if_reached(NULL);
}

NsIp4 ns_udp_local_addr(const NsUdpSocket *sock) { return sock->local; }
guint16 ns_udp_local_port(const NsUdpSocket *sock) { return sock->port; }
const NsUdpSocketCounters *ns_udp_socket_counters(const NsUdpSocket *sock) {
  return &sock->counters;
}
guint ns_udp_pending(const NsUdpSocket *sock) { return sock->count; }

/* ---- groups -------------------------------------------------------------- */

static gint socket_group_index(const NsUdpSocket *sock, NsIp4 group) {
  if (sock->groups == NULL)
    return -1;
  for (guint i = 0; i < sock->groups->len; i++)
    if (g_array_index(sock->groups, NsIp4, i).v == group.v)
      return (gint)i;
  return -1;
}

void ns_udp_join(NsUdpSocket *sock, NsIp4 group) {
  g_return_if_fail(sock != NULL && !sock->closed);
  g_return_if_fail(ns_ip4_is_multicast(group));
  if (socket_group_index(sock, group) >= 0)
    return; /* one membership per socket and group */
  if (sock->groups == NULL)
    sock->groups = g_array_new(FALSE, FALSE, sizeof(NsIp4));
  g_array_append_val(sock->groups, group);
  ns_ipnode_join(sock->udp->node, group);
}

gboolean ns_udp_leave(NsUdpSocket *sock, NsIp4 group) {
  g_return_val_if_fail(sock != NULL, FALSE);
  gint i = socket_group_index(sock, group);
  if (i < 0)
    return FALSE; /* not joined through this socket */
  g_array_remove_index(sock->groups, (guint)i);
  ns_ipnode_leave(sock->udp->node, group);
  return TRUE;
}

/* ---- receiving ----------------------------------------------------------- */

GBytes *ns_udp_recvfrom(NsUdpSocket *sock, NsIp4 *from, guint16 *from_port) {
  g_return_val_if_fail(sock != NULL, NULL);
  if (sock->count == 0) {
    if (from != NULL)
      *from = (NsIp4){0};
    if (from_port != NULL)
      *from_port = 0;
    return NULL;
  }
  Queued q = sock->ring[sock->head];
  sock->head = (sock->head + 1) % sock->ring_size;
  sock->count--;
  if (from != NULL)
    *from = q.from;
  if (from_port != NULL)
    *from_port = q.from_port;
  return q.data; /* the queue's reference becomes the caller's */
}

static void ring_push(NsUdpSocket *s, Queued q) {
  if (s->count == s->ring_size) {
    guint size = MIN(MAX(s->ring_size * 2, 8u), (guint)NS_UDP_RX_QUEUE_MAX);
    Queued *ring = g_new(Queued, size);
    for (guint i = 0; i < s->count; i++)
      ring[i] = s->ring[(s->head + i) % s->ring_size];
    g_free(s->ring);
    s->ring = ring;
    s->ring_size = size;
    s->head = 0;
  }
  s->ring[(s->head + s->count) % s->ring_size] = q;
  s->count++;
}

/* Why the datagram went to socket s (explain only). */
static void explain_delivery(const NsUdpSocket *s, const Rx *rx, char *why,
                             gsize size) {
  char ep[NS_ENDPOINT_STRLEN], dst[NS_IP4_STRLEN];
  ns_endpoint_format(s->local, s->port, ep);
  ns_ip4_format(rx->ip->dst, dst);
  switch (rx->to) {
  case TO_ONE:
    if (ns_ip4_is_zero(s->local))
      ns_why_printf(why, size,
                    N_("no socket is bound to %s:%u itself: socket %s takes "
                       "datagrams for any of my addresses"),
                    dst, s->port, ep);
    else
      ns_why_printf(why, size, N_("socket %s is bound to exactly this address"),
                    ep);
    break;
  case TO_ALL:
    ns_why_printf(
        why, size,
        N_("broadcast to %s: a copy to every socket on port %u bound to "
           "0.0.0.0"),
        dst, s->port);
    break;
  case TO_GROUP:
    ns_why_printf(why, size,
                  N_("multicast to group %s: a copy to every socket on port %u "
                     "bound to 0.0.0.0 or to the group"),
                  dst, s->port);
    break;
  }
}

/* Queues the datagram rx on socket s and tells its application. */
static void deliver(NsUdp *udp, NsUdpSocket *s, Rx *rx) {
  char ep[NS_ENDPOINT_STRLEN], src[NS_ENDPOINT_STRLEN], dst[NS_ENDPOINT_STRLEN];
  NsLog *log = log_of(udp);
  const char *name = ns_ipnode_name(udp->node);
  if (s->count >= NS_UDP_RX_QUEUE_MAX) {
    s->counters.overflow++;
    udp->counters.rx_overflow++;
    if (ns_log_on(log))
      ns_log_printf(
          log, rx->now, name, "udp/drop", rx->frame,
          N_("the application does not read fast enough: a full receive queue "
             "drops the newest, as a kernel's full socket buffer does"),
          "%s > %s: socket %s queue full (%u datagrams), dropped",
          ns_endpoint_format(rx->ip->src, rx->udp->sport, src),
          ns_endpoint_format(rx->ip->dst, rx->udp->dport, dst),
          ns_endpoint_format(s->local, s->port, ep), NS_UDP_RX_QUEUE_MAX);
    return;
  }
  if (rx->bytes == NULL)
    rx->bytes = g_bytes_new(rx->data, rx->len);
  ring_push(s, (Queued){g_bytes_ref(rx->bytes), rx->ip->src, rx->udp->sport});
  s->counters.rx++;
  s->counters.rx_bytes += rx->len;
  udp->counters.rx++;
  if (ns_log_on(log)) {
    char why[NS_WHY_MAX] = "";
    if (ns_log_explain(log))
      explain_delivery(s, rx, why, sizeof why);
    /* The destination address is in the why (which socket, and why); how
     * many wait is in `show sockets`. */
    ns_log_printf(log, rx->now, name, "udp/deliver", rx->frame, why,
                  "%" G_GSIZE_FORMAT " bytes from %s to socket %s", rx->len,
                  ns_endpoint_format(rx->ip->src, rx->udp->sport, src),
                  ns_endpoint_format(s->local, s->port, ep));
  }
  if (s->cb.readable != NULL)
    s->cb.readable(s, rx->now, s->cb.data);
}

/* A unicast datagram nobody listens for: the stack answers ICMP port
 * unreachable when the handler returns FALSE. */
static void port_closed(NsUdp *udp, const Rx *rx) {
  udp->counters.no_port++;
  NsLog *log = log_of(udp);
  if (!ns_log_on(log))
    return;
  char why[NS_WHY_MAX] = "", src[NS_ENDPOINT_STRLEN], dst[NS_IP4_STRLEN];
  guint16 port = rx->udp->dport;
  ns_ip4_format(rx->ip->dst, dst);
  if (ns_log_explain(log))
    ns_why_printf(why, sizeof why,
                  N_("no socket is bound to %s:%u or 0.0.0.0:%u: the sender is "
                     "told the port is closed"),
                  dst, port, port);
  ns_log_printf(log, rx->now, ns_ipnode_name(udp->node), "udp/drop", rx->frame,
                why, "%s > %s:%u: closed, port unreachable",
                ns_endpoint_format(rx->ip->src, rx->udp->sport, src), dst,
                port);
}

/* A broadcast or multicast nobody listens for: dropped without a word to
 * the sender (RFC 1122 3.2.2: no ICMP error about them). */
static void nobody_listens(NsUdp *udp, const Rx *rx) {
  udp->counters.ignored_multi++;
  NsLog *log = log_of(udp);
  if (!ns_log_on(log))
    return;
  char src[NS_ENDPOINT_STRLEN], dst[NS_IP4_STRLEN];
  guint16 port = rx->udp->dport;
  ns_log_printf(log, rx->now, ns_ipnode_name(udp->node), "udp/drop", rx->frame,
                N_("no socket takes it here; no ICMP error answers a broadcast "
                   "or multicast (RFC 1122)"),
                "%s > %s:%u: no socket on that port",
                ns_endpoint_format(rx->ip->src, rx->udp->sport, src),
                ns_ip4_format(rx->ip->dst, dst), port);
}

/* Does socket s take a datagram for dst:port addressed to audience to? */
static gboolean takes(const NsUdpSocket *s, Audience to, NsIp4 dst,
                      guint16 port) {
  if (s->closed || s->port != port)
    return FALSE;
  return ns_ip4_is_zero(s->local) || (to == TO_GROUP && s->local.v == dst.v);
}

static gboolean udp_input(NsIpNode *node, NsIpIface *iface, const NsIpv4Hdr *ip,
                          const guint8 *payload, gsize len, NsTime now,
                          gpointer data, guint8 *code) {
  NsUdp *udp = data;
  NsLog *log = log_of(udp);
  guint64 frame = ns_ipnode_rx_frame(node);
  NsUdpHdr h;
  const char *err = NULL;
  if (!ns_udp_parse(payload, len, &h, &err)) {
    udp->counters.malformed++;
    if (ns_log_on(log))
      ns_log_printf(log, now, ns_ipnode_name(node), "udp/drop", frame, NULL,
                    "malformed UDP: %s", err);
    return TRUE;
  }
  if (!ns_ipnode_rx_csum_ok(node) &&
      !ns_udp_checksum_ok(payload, h.len, ip->src, ip->dst)) {
    udp->counters.bad_checksum++;
    if (ns_log_on(log)) {
      char src[NS_ENDPOINT_STRLEN], dst[NS_ENDPOINT_STRLEN];
      ns_log_printf(log, now, ns_ipnode_name(node), "udp/drop", frame,
                    N_("the checksum over pseudo-header, header and data does "
                       "not add up: the datagram was damaged on the way"),
                    "%s > %s: bad checksum 0x%04x, dropped",
                    ns_endpoint_format(ip->src, h.sport, src),
                    ns_endpoint_format(ip->dst, h.dport, dst), h.csum);
    }
    return TRUE;
  }

  Rx rx = {.ip = ip,
           .udp = &h,
           .data = payload + NS_UDP_HLEN,
           .len = h.len - NS_UDP_HLEN,
           .to = TO_ONE,
           .frame = frame,
           .now = now};
  if (ns_ip4_is_multicast(ip->dst))
    rx.to = TO_GROUP;
  else if (ns_ipnode_is_broadcast_for(iface, ip->dst))
    rx.to = TO_ALL;

  if (rx.to == TO_ONE) {
    NsUdpSocket *s = ns_udp_find(udp, ip->dst, h.dport);
    if (s == NULL)
      s = ns_udp_find(udp, (NsIp4){0}, h.dport);
    if (s == NULL) {
      port_closed(udp, &rx);
      *code = NS_ICMP_PORT_UNREACH;
      return FALSE;
    }
    udp->delivering++;
    deliver(udp, s, &rx);
  } else {
    /* Callbacks may open sockets (not offered this datagram) or close
     * some (skipped from then on, freed after the loop). */
    udp->delivering++;
    guint n = udp->sockets->len, takers = 0;
    for (guint i = 0; i < n; i++) {
      NsUdpSocket *s = g_ptr_array_index(udp->sockets, i);
      if (!takes(s, rx.to, ip->dst, h.dport))
        continue;
      takers++;
      deliver(udp, s, &rx);
    }
    if (takers == 0)
      nobody_listens(udp, &rx);
  }
  delivery_done(udp);
  if (rx.bytes != NULL)
    g_bytes_unref(rx.bytes);
  return TRUE;
}

/* ---- sending ------------------------------------------------------------- */

/* Why the datagram leaves as it does (explain only). */
static void explain_send(const NsUdpSocket *s, NsIp4 dst, char *why,
                         gsize size) {
  char a[NS_IP4_STRLEN];
  NsIpNode *node = s->udp->node;
  if (ns_ipnode_is_own_unicast(node, dst))
    ns_why_printf(
        why, size,
        N_("to %s, an address of this node: it never leaves the node"),
        ns_ip4_format(dst, a));
  else if (ns_ip4_is_multicast(dst))
    ns_why_printf(
        why, size,
        N_("multicast to group %s leaves with TTL 1 (IP_MULTICAST_TTL's "
           "default): it stays on this LAN"),
        ns_ip4_format(dst, a));
  else if (ns_ip4_is_limited_broadcast(dst))
    ns_why_printf(why, size,
                  N_("broadcast: every node on this LAN hears it, no router "
                     "passes it on"));
  else if (!ns_ip4_is_zero(s->local) && !ns_ip4_is_multicast(s->local))
    ns_why_printf(why, size,
                  N_("the socket is bound to %s: that is the source"),
                  ns_ip4_format(s->local, a));
  else
    ns_why_printf(
        why, size,
        N_("the socket is bound to every address: the source is that of "
           "the interface the route to %s leaves by"),
        ns_ip4_format(dst, a));
}

gboolean ns_udp_sendto(NsUdpSocket *sock, NsIp4 dst, guint16 dport,
                       const guint8 *data, gsize len, NsTime now,
                       guint64 *frame_id) {
  g_return_val_if_fail(sock != NULL && !sock->closed, FALSE);
  g_return_val_if_fail(len <= NS_UDP_MAX_PAYLOAD, FALSE);
  g_return_val_if_fail(len == 0 || data != NULL, FALSE);
  NsUdp *udp = sock->udp;
  NsIpNode *node = udp->node;
  /* A socket bound to one of our addresses speaks from it; one bound to
   * any address (or to a group, never a source) from the route's. */
  guint8 ttl = ns_ip4_is_multicast(dst) ? 1 : 64;
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_UDP, ttl);
  o.df = TRUE; /* Linux's default: path MTU discovery ("want") */
  if (!ns_ip4_is_zero(sock->local) && !ns_ip4_is_multicast(sock->local)) {
    o.src_select = NS_IP_SRC_GIVEN;
    o.src = sock->local;
  }
  NsIp4 src =
      o.src_select == NS_IP_SRC_GIVEN ? o.src : ns_ipnode_source_for(node, dst);
  guint8 buf[NS_UDP_HLEN + NS_UDP_MAX_PAYLOAD];
  if (len > 0)
    memcpy(buf + NS_UDP_HLEN, data, len);
  NsUdpHdr h = {sock->port, dport, 0, 0};
  ns_udp_emit(buf, &h, len, src, dst);
  o.csum_ok = TRUE;

  NsCtx *ctx = ns_ipnode_ctx(node);
  if (ns_log_on(ctx->log)) {
    char why[NS_WHY_MAX] = "", from[NS_ENDPOINT_STRLEN], to[NS_ENDPOINT_STRLEN];
    if (ns_log_explain(ctx->log))
      explain_send(sock, dst, why, sizeof why);
    /* Logged before the IP layer's own events, under the journey id it is
     * about to give the datagram (ids go in creation order, ctx.h, and
     * ns_ipnode_send_with creates the frame before anything else). */
    ns_log_printf(ctx->log, now, ns_ipnode_name(node), "udp/send",
                  ctx->next_frame_id + 1, why,
                  "%s > %s: %" G_GSIZE_FORMAT " bytes",
                  ns_endpoint_format(src, sock->port, from),
                  ns_endpoint_format(dst, dport, to), len);
  }
  if (!ns_ipnode_send_with(node, dst, &o, buf, h.len, now, frame_id))
    return FALSE;
  sock->counters.tx++;
  sock->counters.tx_bytes += len;
  udp->counters.tx++;
  return TRUE;
}

/* ---- ICMP errors ----------------------------------------------------------
 */

/* A destination unreachable quoting a UDP datagram of ours: to the socket
 * that sent it (bound to its source address, else to 0.0.0.0). */
static void icmp_error(NsIpNode *node, const NsIpv4Hdr *ip, const NsIcmp *icmp,
                       NsTime now, gpointer data) {
  NsUdp *udp = data;
  (void)node;
  NsIpv4Hdr orig;
  const guint8 *p;
  gsize plen;
  if (icmp->type != NS_ICMP_DEST_UNREACH ||
      !ns_icmp_quoted(icmp, &orig, &p, &plen) || orig.proto != NS_IPPROTO_UDP ||
      plen < 4)
    return;
  guint16 sport = ns_load16(p), dport = ns_load16(p + 2);
  NsUdpSocket *s = ns_udp_find(udp, orig.src, sport);
  if (s == NULL)
    s = ns_udp_find(udp, (NsIp4){0}, sport);
  if (s == NULL)
    return;
  s->counters.icmp_errors++;
  if (s->cb.error == NULL)
    return;
  NsUdpError err = {icmp->code, ip->src, orig.dst, dport};
  udp->delivering++; /* the callback may close the socket */
  s->cb.error(s, &err, now, s->cb.data);
  delivery_done(udp);
}

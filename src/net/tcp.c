/* tcp.c — a node's TCP: listeners, connections, the application calls,
 * demultiplexing and state changes. */
#include "net/tcp.h"
#include "core/i18n.h"

#include <string.h>

#include "net/tcp_private.h"

#define COMMON_CONFIG                                                          \
  .mss = 1460, .rcvbuf = 65535, .sndbuf = 65536, .rto_initial = 1 * NS_SEC,    \
  .rto_min = 200 * NS_MSEC, .rto_max = 60 * NS_SEC, .max_retries = 12,         \
  .syn_retries = 6, .time_wait = 1 * NS_SEC, .backlog = 16

/* Linux's defaults: the four SYN options, tcp_rmem[2] = 6 MiB and
 * tcp_wmem[2] = 4 MiB as the autotuning bounds, an initial window of 10
 * segments (RFC 6928), no delayed ACKs (Linux delays them; netsim does
 * when tcp-delayed-ack says so, to keep exchanges short by default). */
const NsTcpConfig ns_tcp_default_config = {
    COMMON_CONFIG,
    .wscale = TRUE,
    .timestamps = TRUE,
    .sack = TRUE,
    .rcvbuf_max = 6 * 1024 * 1024,
    .sndbuf_max = 4 * 1024 * 1024,
    .init_cwnd = 10,
};

/* RFC 9293 alone: the MSS option, a 64 KiB window, fixed buffers. */
const NsTcpConfig ns_tcp_minimal_config = {
    COMMON_CONFIG,
    .rcvbuf_max = 65535,
    .sndbuf_max = 65536,
};

static const struct {
  const char *name;
  const NsTcpConfig *cfg;
} profiles[] = {
    [NS_TCP_PROFILE_LINUX] = {"linux", &ns_tcp_default_config},
    [NS_TCP_PROFILE_MINIMAL] = {"minimal", &ns_tcp_minimal_config},
};

const NsTcpConfig *ns_tcp_profile_config(NsTcpProfile p) {
  g_return_val_if_fail((guint)p < G_N_ELEMENTS(profiles), NULL);
  return profiles[p].cfg;
}

const char *ns_tcp_profile_name(NsTcpProfile p) {
  return (guint)p < G_N_ELEMENTS(profiles) ? profiles[p].name : "?";
}

gboolean ns_tcp_profile_parse(const char *s, NsTcpProfile *out) {
  for (guint i = 0; i < G_N_ELEMENTS(profiles); i++)
    if (g_ascii_strcasecmp(s, profiles[i].name) == 0) {
      *out = (NsTcpProfile)i;
      return TRUE;
    }
  return FALSE;
}

static const char *const state_names[] = {
    [NS_TCP_CLOSED] = "CLOSED",
    [NS_TCP_LISTEN] = "LISTEN",
    [NS_TCP_SYN_SENT] = "SYN-SENT",
    [NS_TCP_SYN_RECEIVED] = "SYN-RECEIVED",
    [NS_TCP_ESTABLISHED] = "ESTABLISHED",
    [NS_TCP_FIN_WAIT_1] = "FIN-WAIT-1",
    [NS_TCP_FIN_WAIT_2] = "FIN-WAIT-2",
    [NS_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
    [NS_TCP_CLOSING] = "CLOSING",
    [NS_TCP_LAST_ACK] = "LAST-ACK",
    [NS_TCP_TIME_WAIT] = "TIME-WAIT",
};

const char *ns_tcp_state_name(NsTcpState state) {
  if ((guint)state >= G_N_ELEMENTS(state_names))
    return "?";
  return state_names[state];
}

gboolean ns_tcp_state_parse(const char *s, NsTcpState *out) {
  g_autofree char *up = g_ascii_strup(s, -1);
  g_strdelimit(up, "_", '-');
  for (guint i = 0; i < G_N_ELEMENTS(state_names); i++)
    if (strcmp(up, state_names[i]) == 0) {
      *out = (NsTcpState)i;
      return TRUE;
    }
  return FALSE;
}

const char *ns_tcp_close_reason_name(NsTcpCloseReason why) {
  switch (why) {
  case NS_TCP_CLOSE_NORMAL:
    return "closed";
  case NS_TCP_CLOSE_RESET:
    return "reset by peer";
  case NS_TCP_CLOSE_REFUSED:
    return "connection refused";
  case NS_TCP_CLOSE_TIMEOUT:
    return "timed out";
  case NS_TCP_CLOSE_UNREACH:
    return "unreachable";
  case NS_TCP_CLOSE_ABORTED:
    return "aborted";
  }
  return "?";
}

/* ---- keys ---------------------------------------------------------------- */

static guint key_hash(gconstpointer p) {
  const NsTcpKey *k = p;
  guint32 h = k->local.v * 2654435761u;
  h ^= k->remote.v + 0x9e3779b9u + (h << 6) + (h >> 2);
  h ^= ((guint32)k->lport << 16 | k->rport) + 0x9e3779b9u + (h << 6) + (h >> 2);
  return h;
}

static gboolean key_equal(gconstpointer a, gconstpointer b) {
  const NsTcpKey *x = a, *y = b;
  return x->local.v == y->local.v && x->remote.v == y->remote.v &&
         x->lport == y->lport && x->rport == y->rport;
}

const char *ns_tcp_conn_name(const NsTcpConn *c, char *buf) {
  char r[NS_ENDPOINT_STRLEN];
  g_snprintf(buf, NS_TCP_NAME_LEN, "%u > %s", c->key.lport,
             ns_endpoint_format(c->key.remote, c->key.rport, r));
  return buf;
}

/* ---- the node's TCP ------------------------------------------------------ */

static void conn_free(NsTcpConn *c);

/* RFC 1122 4.2.3.9: destination unreachable is a hard error only while
 * opening (the connection is refused or unreachable); later it is soft,
 * retransmission goes on. */
static void icmp_error(NsIpNode *node, const NsIpv4Hdr *ip, const NsIcmp *icmp,
                       NsTime now, gpointer data) {
  NsTcp *tcp = data;
  (void)node;
  (void)ip;
  NsIpv4Hdr orig;
  const guint8 *p;
  gsize plen;
  if (icmp->type != NS_ICMP_DEST_UNREACH ||
      !ns_icmp_quoted(icmp, &orig, &p, &plen) || orig.proto != NS_IPPROTO_TCP ||
      plen < 8)
    return;
  NsTcpKey key = {orig.src, orig.dst, ns_load16(p), ns_load16(p + 2)};
  NsTcpConn *c = ns_tcp_lookup(tcp, &key);
  if (c == NULL || c->state != NS_TCP_SYN_SENT || ns_load32(p + 4) != c->iss)
    return;
  ns_tcp_enter(tcp);
  ns_tcp_drop(c, NS_TCP_CLOSE_UNREACH, FALSE, now,
              N_("ICMP destination unreachable about our SYN: the connection "
                 "cannot be opened"));
  ns_tcp_leave(tcp);
}

NsTcp *ns_tcp_new(NsIpNode *node, const NsTcpConfig *cfg) {
  g_return_val_if_fail(node != NULL, NULL);
  NsTcp *tcp = g_new0(NsTcp, 1);
  tcp->node = node;
  tcp->ctx = ns_ipnode_ctx(node);
  tcp->cfg = cfg != NULL ? *cfg : ns_tcp_default_config;
  tcp->cfg.mss = CLAMP(tcp->cfg.mss, 64, 1460);
  tcp->cfg.rcvbuf = CLAMP(tcp->cfg.rcvbuf, tcp->cfg.mss, 65535);
  tcp->cfg.sndbuf = MAX(tcp->cfg.sndbuf, tcp->cfg.mss);
  tcp->cfg.rcvbuf_max =
      CLAMP(tcp->cfg.rcvbuf_max, tcp->cfg.rcvbuf, NS_TCP_BUF_LIMIT);
  tcp->cfg.sndbuf_max =
      CLAMP(tcp->cfg.sndbuf_max, tcp->cfg.sndbuf, NS_TCP_BUF_LIMIT);
  tcp->conns = g_ptr_array_new();
  tcp->listeners = g_ptr_array_new_with_free_func(g_free);
  tcp->dead = g_ptr_array_new();
  tcp->next_port = 0;
  ns_ipnode_set_proto_handler(node, NS_IPPROTO_TCP, ns_tcp_input, tcp);
  ns_ipnode_add_icmp_listener(node, icmp_error, tcp);
  return tcp;
}

void ns_tcp_free(NsTcp *tcp) {
  if (tcp == NULL)
    return;
  ns_ipnode_set_proto_handler(tcp->node, NS_IPPROTO_TCP, NULL, NULL);
  ns_ipnode_remove_icmp_listener(tcp->node, icmp_error, tcp);
  for (guint i = 0; i < tcp->conns->len; i++)
    conn_free(g_ptr_array_index(tcp->conns, i));
  g_ptr_array_free(tcp->conns, TRUE);
  if (tcp->by_key != NULL) {
    g_hash_table_destroy(tcp->by_key);
    g_hash_table_destroy(tcp->lports);
  }
  g_ptr_array_free(tcp->listeners, TRUE);
  g_ptr_array_free(tcp->dead, TRUE);
  g_free(tcp);
}

NsIpNode *ns_tcp_node(NsTcp *tcp) { return tcp->node; }
const NsTcpCounters *ns_tcp_counters(const NsTcp *tcp) {
  return &tcp->counters;
}
const NsTcpConfig *ns_tcp_config(const NsTcp *tcp) { return &tcp->cfg; }
guint ns_tcp_n_conns(const NsTcp *tcp) { return tcp->conns->len; }
NsTcpConn *ns_tcp_conn(NsTcp *tcp, guint i) {
  g_return_val_if_fail(i < tcp->conns->len, NULL);
  return g_ptr_array_index(tcp->conns, i);
}

/* Entry points nest (an application's callback may call back in); a
 * connection that dies is freed only when the outermost one returns, so
 * no frame of the call stack is left holding a freed pointer. */
void ns_tcp_enter(NsTcp *tcp) { tcp->depth++; }

void ns_tcp_leave(NsTcp *tcp) {
  g_assert(tcp->depth > 0);
  if (--tcp->depth > 0 || tcp->dead->len == 0)
    return;
  for (guint i = 0; i < tcp->dead->len; i++) {
    NsTcpConn *c = g_ptr_array_index(tcp->dead, i);
    g_ptr_array_remove(tcp->conns, c);
    conn_free(c);
  }
  g_ptr_array_set_size(tcp->dead, 0);
}

/* Puts c on the reap list once it is CLOSED and the application let go. */
static void maybe_bury(NsTcpConn *c) {
  if (c->state != NS_TCP_CLOSED || !c->released || c->dead)
    return;
  c->dead = TRUE;
  g_ptr_array_add(c->tcp->dead, c);
}

/* ---- listeners ----------------------------------------------------------- */

NsTcpListener *ns_tcp_find_listener(NsTcp *tcp, guint16 port) {
  for (guint i = 0; i < tcp->listeners->len; i++) {
    NsTcpListener *l = g_ptr_array_index(tcp->listeners, i);
    if (l->port == port)
      return l;
  }
  return NULL;
}

NsTcpListener *ns_tcp_listen(NsTcp *tcp, guint16 port, NsTcpAcceptFunc accept,
                             gpointer data, GError **error) {
  g_return_val_if_fail(port != 0, NULL);
  if (ns_tcp_find_listener(tcp, port) != NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: TCP port %u already has a listener"),
                ns_ipnode_name(tcp->node), port);
    return NULL;
  }
  NsTcpListener *l = g_new0(NsTcpListener, 1);
  l->tcp = tcp;
  l->port = port;
  l->accept = accept;
  l->data = data;
  g_ptr_array_add(tcp->listeners, l);
  return l;
}

void ns_tcp_unlisten(NsTcpListener *l, NsTime now) {
  NsTcp *tcp = l->tcp;
  ns_tcp_enter(tcp);
  for (guint i = 0; i < tcp->conns->len; i++) {
    NsTcpConn *c = g_ptr_array_index(tcp->conns, i);
    if (c->listener == l) {
      c->listener = NULL;
      ns_tcp_send_rst(c, now,
                      N_("the listener closed before the handshake "
                         "completed"));
      ns_tcp_drop(c, NS_TCP_CLOSE_ABORTED, TRUE, now, NULL);
    }
  }
  g_ptr_array_remove(tcp->listeners, l); /* frees l */
  ns_tcp_leave(tcp);
}

guint16 ns_tcp_listener_port(const NsTcpListener *l) { return l->port; }
guint ns_tcp_n_listeners(const NsTcp *tcp) { return tcp->listeners->len; }
NsTcpListener *ns_tcp_listener(NsTcp *tcp, guint i) {
  g_return_val_if_fail(i < tcp->listeners->len, NULL);
  return g_ptr_array_index(tcp->listeners, i);
}

/* ---- connections --------------------------------------------------------- */

NsTcpConn *ns_tcp_lookup(NsTcp *tcp, const NsTcpKey *key) {
  if (tcp->last != NULL && key_equal(&tcp->last->key, key))
    return tcp->last;
  NsTcpConn *c =
      tcp->by_key != NULL ? g_hash_table_lookup(tcp->by_key, key) : NULL;
  if (c != NULL)
    tcp->last = c;
  return c;
}

/* Keeps tcp->lports: how many hashed connections use each local port, so
 * that finding a free ephemeral port costs a lookup per port tried, not a
 * scan of every connection. */
static void lport_count(NsTcp *tcp, guint16 port, gint delta) {
  gpointer key = GUINT_TO_POINTER(port);
  guint n = GPOINTER_TO_UINT(g_hash_table_lookup(tcp->lports, key));
  n = (guint)((gint)n + delta);
  if (n == 0)
    g_hash_table_remove(tcp->lports, key);
  else
    g_hash_table_insert(tcp->lports, key, GUINT_TO_POINTER(n));
}

NsTcpConn *ns_tcp_conn_new(NsTcp *tcp, const NsTcpKey *key) {
  NsTcpConn *c = g_new0(NsTcpConn, 1);
  c->tcp = tcp;
  c->key = *key;
  c->state = NS_TCP_CLOSED;
  c->iss = g_rand_int(tcp->ctx->rng);
  c->ip_id = (guint16)ns_ctx_hash(tcp->ctx, "tcp ip id", c->iss);
  c->snd_una = c->snd_nxt = c->snd_max = c->iss;
  c->buf_seq = c->iss + 1;
  c->snd_mss = 536; /* RFC 9293 3.7.1: until the peer tells its MSS */
  ns_ring_init(&c->sndbuf, tcp->cfg.sndbuf);
  ns_ring_init(&c->rcvbuf, tcp->cfg.rcvbuf);
  ns_tcp_opts_init(c);
  ns_tcp_rcvbuf_init(c, tcp->cfg.mss); /* a passive open's is redone */
  g_queue_init(&c->ooo);
  c->rto = tcp->cfg.rto_initial;
  ns_timer_init(&c->rtx_timer, ns_tcp_rtx_fired, c);
  ns_timer_init(&c->tw_timer, ns_tcp_time_wait_fired, c);
  ns_timer_init(&c->delack_timer, ns_tcp_delack_fired, c);
  g_ptr_array_add(tcp->conns, c);
  if (tcp->by_key == NULL) { /* made with the first connection */
    tcp->by_key = g_hash_table_new(key_hash, key_equal);
    tcp->lports = g_hash_table_new(g_direct_hash, g_direct_equal);
  }
  if (ns_tcp_lookup(tcp, &c->key) == NULL)
    lport_count(tcp, c->key.lport, +1);
  g_hash_table_insert(tcp->by_key, &c->key, c);
  tcp->last = c;
  return c;
}

static void unhash(NsTcpConn *c) {
  if (ns_tcp_lookup(c->tcp, &c->key) == c) {
    c->tcp->last = NULL;
    g_hash_table_remove(c->tcp->by_key, &c->key);
    lport_count(c->tcp, c->key.lport, -1);
  }
}

static void conn_free(NsTcpConn *c) {
  NsTimerQueue *q = c->tcp->ctx->timers;
  ns_timerq_cancel(q, &c->rtx_timer);
  ns_timerq_cancel(q, &c->tw_timer);
  ns_timerq_cancel(q, &c->delack_timer);
  unhash(c);
  ns_ring_clear(&c->sndbuf);
  ns_ring_clear(&c->rcvbuf);
  g_queue_clear_full(&c->ooo, g_free);
  g_free(c);
}

void ns_tcp_set_state(NsTcpConn *c, NsTcpState state, NsTime now,
                      const char *why) {
  NsTcp *tcp = c->tcp;
  NsTcpState old = c->state;
  c->state = state;
  if (old == state || !ns_tcp_log_on(tcp))
    return;
  char name[NS_TCP_NAME_LEN];
  ns_log_printf(tcp->ctx->log, now, ns_ipnode_name(tcp->node), "tcp/state", 0,
                ns_tcp_explain(tcp) ? why : NULL, "%s %s -> %s",
                ns_tcp_conn_name(c, name), ns_tcp_state_name(old),
                ns_tcp_state_name(state));
}

void ns_tcp_report_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now) {
  if (c->reported)
    return;
  c->reported = TRUE;
  if (!c->released && c->cb.closed != NULL)
    c->cb.closed(c, why, now, c->cb.data);
}

void ns_tcp_drop(NsTcpConn *c, NsTcpCloseReason why, gboolean quiet, NsTime now,
                 const char *explain) {
  NsTcp *tcp = c->tcp;
  ns_tcp_stop_rtx(c);
  ns_timerq_cancel(tcp->ctx->timers, &c->tw_timer);
  ns_timerq_cancel(tcp->ctx->timers, &c->delack_timer);
  if (c->listener != NULL) {
    c->listener->half_open--;
    c->listener = NULL;
    c->released = TRUE; /* nobody ever held it */
  }
  ns_tcp_set_state(c, NS_TCP_CLOSED, now, explain);
  /* The 4-tuple is free again for a new connection. */
  unhash(c);
  if (quiet)
    c->reported = TRUE;
  ns_tcp_report_closed(c, why, now);
  maybe_bury(c);
}

/* ---- the application's calls --------------------------------------------- */

static gboolean port_in_use(NsTcp *tcp, guint16 port) {
  return ns_tcp_find_listener(tcp, port) != NULL ||
         (tcp->lports != NULL &&
          g_hash_table_contains(tcp->lports, GUINT_TO_POINTER(port)));
}

/* RFC 6056 algorithm 3, as Linux chooses a connection's port: an offset
 * from a keyed hash of (source, destination, destination port) and a
 * secret (here --seed, ns_ctx_hash), plus a counter that moves on with
 * every port handed out; the first free port from there. */
static guint16 ephemeral_port(NsTcp *tcp, NsIp4 src, NsIp4 dst, guint16 dport) {
  guint64 flow = ((guint64)src.v << 32 | dst.v) ^ ((guint64)dport << 48);
  guint offset = ns_ctx_hash(tcp->ctx, "tcp port", flow);
  for (guint i = 0; i < NS_EPHEMERAL_COUNT; i++) {
    guint16 p = (guint16)(NS_EPHEMERAL_LOW +
                          (offset + tcp->next_port++) % NS_EPHEMERAL_COUNT);
    if (!port_in_use(tcp, p))
      return p;
  }
  return 0;
}

/* Why a connection to dst cannot start (as connect() refuses it at once),
 * or NULL: no route, or not one host's address (0.0.0.0, multicast, the
 * limited broadcast, a directed broadcast of one of our subnets). */
static const char *not_connectable(NsIpNode *node, NsIp4 src, NsIp4 dst) {
  if (ns_ip4_is_zero(dst) || ns_ip4_is_multicast(dst) ||
      ns_ip4_is_limited_broadcast(dst))
    return "not a unicast address";
  for (guint i = 0; i < ns_ipnode_n_ifaces(node); i++)
    if (ns_ipnode_is_broadcast_for(ns_ipnode_iface(node, i), dst))
      return "the broadcast address of a subnet, not a host's";
  return ns_ip4_is_zero(src) ? "no route to host" : NULL;
}

NsTcpConn *ns_tcp_connect(NsTcp *tcp, NsIp4 dst, guint16 dport, guint16 sport,
                          const NsTcpCallbacks *cb, NsTime now,
                          GError **error) {
  g_return_val_if_fail(dport != 0, NULL);
  char d[NS_IP4_STRLEN];
  NsIp4 src = ns_ipnode_source_for(tcp->node, dst);
  const char *refused = not_connectable(tcp->node, src, dst);
  if (refused != NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: cannot connect to %s: %s"), ns_ipnode_name(tcp->node),
                ns_ip4_format(dst, d), refused);
    return NULL;
  }
  gboolean chosen = sport == 0;
  if (chosen)
    sport = ephemeral_port(tcp, src, dst, dport);
  if (sport == 0) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: no free ephemeral port (all %u of %u-%u are in use)"),
                ns_ipnode_name(tcp->node), NS_EPHEMERAL_COUNT, NS_EPHEMERAL_LOW,
                NS_EPHEMERAL_HIGH);
    return NULL;
  }
  NsTcpKey key = {src, dst, sport, dport};
  if (ns_tcp_lookup(tcp, &key) != NULL) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: local port %u to %s:%u is already in use"),
                ns_ipnode_name(tcp->node), sport, ns_ip4_format(dst, d), dport);
    return NULL;
  }
  ns_tcp_enter(tcp);
  NsTcpConn *c = ns_tcp_conn_new(tcp, &key);
  if (cb != NULL)
    c->cb = *cb;
  tcp->counters.active_opens++;
  ns_tcp_set_state(c, NS_TCP_SYN_SENT, now,
                   N_("active open: SYN sent with our initial sequence number "
                      "and MSS, waiting for SYN+ACK"));
  ns_tcp_output(c, now);
  ns_tcp_leave(tcp);
  return c;
}

void ns_tcp_set_callbacks(NsTcpConn *c, const NsTcpCallbacks *cb) {
  if (cb != NULL)
    c->cb = *cb;
  else
    memset(&c->cb, 0, sizeof c->cb);
}

static gboolean can_send(NsTcpState s, gboolean fin_queued) {
  if (fin_queued)
    return FALSE;
  return s == NS_TCP_SYN_SENT || s == NS_TCP_SYN_RECEIVED ||
         s == NS_TCP_ESTABLISHED || s == NS_TCP_CLOSE_WAIT;
}

gsize ns_tcp_send(NsTcpConn *c, const guint8 *data, gsize len, NsTime now) {
  if (!can_send(c->state, c->fin_queued) || len == 0)
    return 0;
  gsize took = ns_ring_push(&c->sndbuf, data, len);
  if (took < len)
    c->want_writable = TRUE;
  if (took > 0 && ns_tcp_synchronized(c->state)) {
    ns_tcp_enter(c->tcp);
    ns_tcp_output(c, now);
    ns_tcp_leave(c->tcp);
  }
  return took;
}

gsize ns_tcp_send_space(NsTcpConn *c) {
  if (!can_send(c->state, c->fin_queued))
    return 0;
  gsize space = ns_ring_space(&c->sndbuf);
  if (space == 0)
    c->want_writable = TRUE;
  return space;
}

gsize ns_tcp_recv(NsTcpConn *c, guint8 *buf, gsize size, NsTime now) {
  gsize n = ns_ring_pop(&c->rcvbuf, buf, size);
  if (n > 0 && ns_tcp_synchronized(c->state) && !c->fin_received) {
    ns_tcp_enter(c->tcp);
    ns_tcp_window_opened(c, now);
    ns_tcp_leave(c->tcp);
  }
  return n;
}

gsize ns_tcp_readable(const NsTcpConn *c) { return ns_ring_len(&c->rcvbuf); }

gboolean ns_tcp_eof(const NsTcpConn *c) {
  return c->fin_received && ns_ring_len(&c->rcvbuf) == 0;
}

void ns_tcp_close(NsTcpConn *c, NsTime now) {
  if (c->fin_queued)
    return;
  NsTcp *tcp = c->tcp;
  switch (c->state) {
  case NS_TCP_SYN_SENT:
  case NS_TCP_SYN_RECEIVED:
    /* Queued: the FIN follows the handshake and whatever data is queued. */
    c->fin_queued = TRUE;
    return;
  case NS_TCP_ESTABLISHED:
    c->fin_queued = TRUE;
    ns_tcp_enter(tcp);
    ns_tcp_set_state(c, NS_TCP_FIN_WAIT_1, now,
                     N_("the application closed: FIN goes out after the queued "
                        "data, we can still receive"));
    ns_tcp_output(c, now);
    ns_tcp_leave(tcp);
    return;
  case NS_TCP_CLOSE_WAIT:
    c->fin_queued = TRUE;
    ns_tcp_enter(tcp);
    ns_tcp_set_state(c, NS_TCP_LAST_ACK, now,
                     N_("the application closed after the peer did: our FIN "
                        "goes out, waiting for its ACK"));
    ns_tcp_output(c, now);
    ns_tcp_leave(tcp);
    return;
  default:
    return;
  }
}

void ns_tcp_abort(NsTcpConn *c, NsTime now) {
  NsTcp *tcp = c->tcp;
  if (c->state == NS_TCP_CLOSED)
    return;
  ns_tcp_enter(tcp);
  switch (c->state) {
  case NS_TCP_SYN_RECEIVED:
  case NS_TCP_ESTABLISHED:
  case NS_TCP_FIN_WAIT_1:
  case NS_TCP_FIN_WAIT_2:
  case NS_TCP_CLOSE_WAIT:
    ns_tcp_send_rst(c, now, N_("the application aborted the connection"));
    break;
  default:
    break;
  }
  ns_tcp_drop(c, NS_TCP_CLOSE_ABORTED, TRUE, now,
              N_("aborted by the application: queued data discarded"));
  ns_tcp_leave(tcp);
}

void ns_tcp_release(NsTcpConn *c) {
  c->released = TRUE;
  memset(&c->cb, 0, sizeof c->cb);
  if (c->tcp->depth == 0) {
    ns_tcp_enter(c->tcp);
    maybe_bury(c);
    ns_tcp_leave(c->tcp);
  } else {
    maybe_bury(c);
  }
}

NsTcpState ns_tcp_state(const NsTcpConn *c) { return c->state; }

static gboolean conn_busy(const NsTcpConn *c) {
  switch (c->state) {
  case NS_TCP_SYN_SENT:
  case NS_TCP_SYN_RECEIVED:
  case NS_TCP_FIN_WAIT_1:
  case NS_TCP_CLOSING:
  case NS_TCP_LAST_ACK:
    return TRUE;
  case NS_TCP_ESTABLISHED:
  case NS_TCP_CLOSE_WAIT:
    return c->snd_una != c->snd_max || ns_ring_len(&c->sndbuf) > 0;
  default:
    return FALSE;
  }
}

gboolean ns_tcp_busy(const NsTcp *tcp) {
  for (guint i = 0; i < tcp->conns->len; i++)
    if (conn_busy(g_ptr_array_index(tcp->conns, i)))
      return TRUE;
  return FALSE;
}

void ns_tcp_info(const NsTcpConn *c, NsTcpInfo *out) {
  memset(out, 0, sizeof *out);
  out->state = c->state;
  out->local = c->key.local;
  out->remote = c->key.remote;
  out->local_port = c->key.lport;
  out->remote_port = c->key.rport;
  out->iss = c->iss;
  out->irs = c->irs;
  out->snd_una = c->snd_una;
  out->snd_nxt = c->snd_nxt;
  out->snd_wnd = c->snd_wnd;
  out->rcv_nxt = c->rcv_nxt;
  out->rcv_wnd = ns_tcp_rcv_window(c);
  out->cwnd = c->cwnd;
  out->ssthresh = c->ssthresh;
  out->snd_mss = c->snd_mss;
  out->snd_wscale = c->ws_ok ? c->snd_wscale : -1;
  out->rcv_wscale = c->ws_ok ? c->rcv_wscale : -1;
  out->timestamps = c->ts_ok;
  out->rcvbuf = ns_ring_cap(&c->rcvbuf);
  out->sndbuf = ns_ring_cap(&c->sndbuf);
  out->srtt = c->srtt;
  out->rttvar = c->rttvar;
  out->rto = c->rto;
  out->bytes_sent = c->bytes_sent;
  out->bytes_received = c->bytes_received;
  out->bytes_queued = ns_ring_len(&c->sndbuf);
  out->bytes_readable = ns_ring_len(&c->rcvbuf);
  out->retransmits = c->retransmits;
  out->timeouts = c->timeouts;
  out->fast_retransmits = c->fast_retransmits;
  out->dup_acks = c->dup_acks;
  out->ooo_segments = c->ooo_segments;
  out->zero_window_probes = c->zero_window_probes;
  out->sack = c->sack_ok;
  out->sack_retransmits = c->sack_retransmits;
  out->sack_bytes_resent = c->sack_bytes_resent;
  out->sack_reneged = c->sack_reneged;
  out->eof = c->fin_received;
  out->released = c->released;
}

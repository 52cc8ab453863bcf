/* udp_map.c — UDP peers that cross between this machine and the
 * simulated network, one Mapping each (as a NAT keeps one per flow).
 *
 *   listen:  one bound outside socket per rule; each outside peer
 *            (address, port) gets a simulated socket of its own on the
 *            bridge (an ephemeral port): its datagrams go to the target
 *            from there, and whatever that socket receives goes back to
 *            the peer through the rule's socket.
 *   connect: one simulated socket per rule, on the bridge's port; each
 *            simulated peer gets an outside socket of its own, connected
 *            to the real server: the peer's datagrams go out through it,
 *            and what the server answers comes back to the peer from the
 *            bridge's port.
 *
 * A mapping used by neither side for the bridge's udp-timeout is
 * forgotten (bridge/udp-expire); the next datagram from its peer makes a
 * new one, with a new port.  At most max-connections mappings per rule: a
 * datagram from one more peer is dropped and counted (udp_dropped), as is
 * one too big for a simulated frame or one a socket refused.
 */
#include "bridge/bridge_private.h"
#include "core/i18n.h"

#include <string.h>

struct Mapping {
  Rule *rule;
  NsBridge *br;
  char key[48];            /* in rule->by_peer: the peer, as text */
  GSocketAddress *outside; /* listen: the outside peer (owned) */
  NsIp4 sim_peer;          /* connect: the simulated peer */
  guint16 sim_peer_port;
  NsUdpSocket *sim;   /* listen: its simulated socket (owned) */
  GSocket *sock;      /* connect: its outside socket (owned) */
  NsWatch *watch;     /* connect: on sock */
  NsTime since, last; /* made, last used (virtual time) */
  guint64 bytes_in, bytes_out;
};

static void drop(NsBridge *br, const char *who, const char *what) {
  br->counters.udp_dropped++;
  if (ns_bridge_log_on(br))
    ns_bridge_log(br, "bridge/drop", NULL, "%s: datagram dropped: %s", who,
                  what);
}

/* The connected socket's pending error: an ICMP port unreachable came
 * back for a datagram sent to the real port (the kernel reports one per
 * receive, however many came). */
static void refused(Mapping *m) {
  NsBridge *br = m->br;
  br->counters.udp_refused++;
  if (!ns_bridge_log_on(br))
    return;
  char real[NS_ENDPOINT_STRLEN];
  ns_endpoint_format(m->rule->rule.outside_addr, m->rule->rule.outside_port,
                     real);
  ns_bridge_log(br, "bridge/udp-refused",
                N_("the real host answered a datagram with ICMP port "
                   "unreachable: no program has that UDP port open"),
                "%s: %s refused a datagram (port unreachable)", m->key, real);
}

static gboolean room_for_one_more(Rule *r, const char *who) {
  if (g_hash_table_size(r->by_peer) < r->br->max_conns)
    return TRUE;
  drop(r->br, who, "too many peers mapped (max-connections)");
  return FALSE;
}

static void map_log_new(Mapping *m) {
  NsBridge *br = m->br;
  if (!ns_bridge_log_on(br))
    return;
  NsBridgeConnInfo info;
  ns_map_info(m, &info);
  char a[NS_ENDPOINT_STRLEN], b[NS_ENDPOINT_STRLEN];
  ns_bridge_log(br, "bridge/udp-map",
                N_("a new peer: its datagrams get a port of their own, so that "
                   "replies find their way back to it"),
                "%s <-> %s -> %s", info.outside,
                ns_endpoint_format(info.sim_local, info.sim_local_port, a),
                ns_endpoint_format(info.sim_remote, info.sim_remote_port, b));
}

static Mapping *map_new(Rule *r, const char *key, NsTime now) {
  Mapping *m = g_new0(Mapping, 1);
  m->rule = r;
  m->br = r->br;
  g_strlcpy(m->key, key, sizeof m->key);
  m->since = m->last = now;
  g_hash_table_insert(r->by_peer, m->key, m);
  g_ptr_array_add(r->br->maps, m);
  r->br->counters.udp_mappings++;
  return m;
}

void ns_map_free(Mapping *m) {
  g_hash_table_remove(m->rule->by_peer, m->key);
  g_ptr_array_remove(m->br->maps, m);
  m->br->counters.udp_mappings--;
  if (m->sim != NULL)
    ns_udp_close(m->sim);
  ns_watch_free(m->watch);
  if (m->sock != NULL) {
    g_socket_close(m->sock, NULL);
    g_object_unref(m->sock);
  }
  g_clear_object(&m->outside);
  g_free(m);
}

/* ---- listen: outside peers ---------------------------------------------- */

/* The mapping's simulated socket received: back to the outside peer. */
static void listen_sim_readable(NsUdpSocket *sock, NsTime now, gpointer data) {
  Mapping *m = data;
  GBytes *d;
  while ((d = ns_udp_recvfrom(sock, NULL, NULL)) != NULL) {
    gsize len;
    const gchar *p = g_bytes_get_data(d, &len);
    GError *err = NULL;
    if (g_socket_send_to(m->rule->sock, m->outside, p, len, NULL, &err) < 0) {
      drop(m->br, m->key, err->message);
      g_error_free(err);
    } else {
      m->br->counters.udp_out++;
      m->bytes_out += len;
      m->last = now;
    }
    g_bytes_unref(d);
  }
}

static Mapping *listen_map(Rule *r, GSocketAddress *from, const char *key,
                           NsTime now) {
  Mapping *m = g_hash_table_lookup(r->by_peer, key);
  if (m != NULL || !room_for_one_more(r, key))
    return m;
  NsUdpCallbacks cb = {.readable = listen_sim_readable, .data = NULL};
  GError *err = NULL;
  NsUdpSocket *sim = ns_udp_open(r->br->node->udp, (NsIp4){0}, 0, &cb, &err);
  if (sim == NULL) {
    drop(r->br, key, err->message);
    g_error_free(err);
    return NULL;
  }
  m = map_new(r, key, now);
  m->sim = sim;
  m->outside = g_object_ref(from);
  cb.data = m;
  ns_udp_set_callbacks(sim, &cb);
  map_log_new(m);
  return m;
}

/* One outside datagram of len bytes (in the scratch buffer) from `from`. */
static void listen_one(Rule *r, GSocketAddress *from, gsize len, NsTime now) {
  char key[48];
  ns_bridge_format_addr(from, key);
  if (len > NS_UDP_MAX_PAYLOAD) {
    drop(r->br, key, "too big for one simulated frame (at most 1472 bytes)");
    return;
  }
  Mapping *m = listen_map(r, from, key, now);
  if (m == NULL)
    return;
  m->last = now;
  if (!ns_udp_sendto(m->sim, r->rule.sim_addr, r->rule.sim_port,
                     r->br->set->scratch, len, now, NULL)) {
    drop(r->br, key, "no route to the target");
    return;
  }
  r->br->counters.udp_in++;
  m->bytes_in += len;
}

void ns_map_receive_outside(Rule *r) {
  NsTime now = br_now(r->br);
  for (guint i = 0; i < 64; i++) {
    GSocketAddress *from = NULL;
    gssize n = ns_bridge_receive(r->br->set, r->sock, &from);
    if (n < 0)
      return;
    listen_one(r, from, (gsize)n, now);
    g_object_unref(from);
  }
}

/* ---- connect: simulated peers ------------------------------------------- */

/* The mapping's outside socket received: back to the simulated peer. */
static void connect_outside_ready(GIOCondition cond, gpointer data) {
  Mapping *m = data;
  (void)cond;
  NsTime now = br_now(m->br);
  for (guint i = 0; i < 64; i++) {
    GError *err = NULL;
    gssize n = g_socket_receive(m->sock, (gchar *)m->br->set->scratch,
                                NS_BRIDGE_SCRATCH, NULL, &err);
    if (n < 0) {
      gboolean again = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        refused(m); /* what was sent did leave: it is no drop */
      else if (!again)
        drop(m->br, m->key, err->message);
      g_error_free(err);
      if (again)
        return;
      continue;
    }
    if ((gsize)n > NS_UDP_MAX_PAYLOAD) {
      drop(m->br, m->key, "reply too big for one simulated frame");
      continue;
    }
    m->last = now;
    if (ns_udp_sendto(m->rule->us, m->sim_peer, m->sim_peer_port,
                      m->br->set->scratch, (gsize)n, now, NULL)) {
      m->br->counters.udp_in++;
      m->bytes_in += (guint64)n;
    }
  }
}

static Mapping *connect_map(Rule *r, NsIp4 from, guint16 port, NsTime now) {
  char key[48];
  ns_endpoint_format(from, port, key);
  Mapping *m = g_hash_table_lookup(r->by_peer, key);
  if (m != NULL || !room_for_one_more(r, key))
    return m;
  GError *err = NULL;
  GSocket *s = ns_bridge_connect_socket(
      G_SOCKET_TYPE_DATAGRAM, r->rule.outside_addr, r->rule.outside_port, &err);
  if (s == NULL) {
    drop(r->br, key, err->message);
    g_error_free(err);
    return NULL;
  }
  m = map_new(r, key, now);
  m->sock = s;
  m->sim_peer = from;
  m->sim_peer_port = port;
  m->watch = ns_watch_new(br_clock(r->br), g_socket_get_fd(s), G_IO_IN,
                          connect_outside_ready, m);
  map_log_new(m);
  return m;
}

void ns_map_receive_sim(Rule *r, NsTime now) {
  GBytes *d;
  NsIp4 from;
  guint16 port;
  while ((d = ns_udp_recvfrom(r->us, &from, &port)) != NULL) {
    Mapping *m = connect_map(r, from, port, now);
    if (m != NULL) {
      gsize len;
      const gchar *p = g_bytes_get_data(d, &len);
      /* An empty datagram has no data pointer, and g_socket_send takes
       * none (it fails without an error): any address does for 0 bytes. */
      if (p == NULL)
        p = "";
      GError *err = NULL;
      m->last = now;
      if (g_socket_send(m->sock, p, len, NULL, &err) < 0) {
        drop(r->br, m->key, err->message);
        g_error_free(err);
      } else {
        r->br->counters.udp_out++;
        m->bytes_out += len;
      }
    }
    g_bytes_unref(d);
  }
}

/* ---- both ---------------------------------------------------------------- */

void ns_map_expire(NsBridge *br, NsTime now) {
  for (guint i = 0; i < br->maps->len;) {
    Mapping *m = g_ptr_array_index(br->maps, i);
    if (m->last + br->udp_timeout > now) {
      i++;
      continue;
    }
    br->counters.udp_expired++;
    if (ns_bridge_log_on(br))
      ns_bridge_log(br, "bridge/udp-expire",
                    N_("no datagram either way for udp-timeout: the mapping "
                       "and its port are given up"),
                    "%s: mapping forgotten after %.0f s idle", m->key,
                    (double)(now - m->last) / NS_SEC);
    ns_map_free(m);
  }
}

void ns_map_info(const Mapping *m, NsBridgeConnInfo *out) {
  memset(out, 0, sizeof *out);
  const NsBridgeRule *rule = &m->rule->rule;
  out->proto = NS_BRIDGE_UDP;
  out->dir = rule->dir;
  if (rule->dir == NS_BRIDGE_LISTEN) {
    ns_bridge_format_addr(m->outside, out->outside);
    out->sim_local = ns_udp_local_addr(m->sim);
    if (ns_ip4_is_zero(out->sim_local))
      out->sim_local = ns_ipnode_iface(m->br->node->ip, 0)->addr.addr;
    out->sim_local_port = ns_udp_local_port(m->sim);
    out->sim_remote = rule->sim_addr;
    out->sim_remote_port = rule->sim_port;
  } else {
    ns_endpoint_format(rule->outside_addr, rule->outside_port, out->outside);
    out->sim_local = ns_udp_local_addr(m->rule->us);
    if (ns_ip4_is_zero(out->sim_local))
      out->sim_local = ns_ipnode_iface(m->br->node->ip, 0)->addr.addr;
    out->sim_local_port = ns_udp_local_port(m->rule->us);
    out->sim_remote = m->sim_peer;
    out->sim_remote_port = m->sim_peer_port;
  }
  out->state = "mapped";
  out->bytes_in = m->bytes_in;
  out->bytes_out = m->bytes_out;
  out->since = m->since;
  out->idle_until = m->last + m->br->udp_timeout;
}

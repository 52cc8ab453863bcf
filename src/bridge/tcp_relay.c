/* tcp_relay.c — one TCP connection that crosses between this machine and
 * the simulated network: an outside socket, a simulated connection, and
 * the bytes between them (bridge.h tells the rules; this file keeps them).
 *
 * A relay's life:
 *
 *   listen:  outside accept --> ns_tcp_connect --> (SYN-SENT: outside
 *            bytes are queued in the simulated send buffer) --> open
 *   connect: simulated accept --> outside connect in progress (simulated
 *            bytes wait in the receive buffer, whose window closes) --> open
 *   open:    outside bytes -> ns_tcp_send, as far as ns_tcp_send_space
 *            says (else reading pauses until `writable`);
 *            simulated bytes -> the outside socket, while it takes them
 *            (else the rest waits in `pending` and nothing more is read
 *            from the simulated side until it is written); a segment's
 *            arrival only marks the relay due, and its bytes are read
 *            and written once the simulation's step is over: one send()
 *            for all the segments of a step
 *   closing: outside EOF -> ns_tcp_close (a FIN after the data before it);
 *            simulated EOF -> shutdown(SHUT_WR) after `pending`;
 *            the simulated connection's normal end, once every byte is
 *            out -> the relay ends (bridge/close)
 *   reset:   an outside error -> ns_tcp_abort (RST); a simulated reset,
 *            refusal, unreachable target or timeout -> the outside socket
 *            is reset (SO_LINGER 0); either way the relay ends at once.
 *
 * Invariant: while a relay exists it holds its simulated connection (not
 * released) and its socket is open; pending is NULL or holds 1 to
 * NS_BRIDGE_CHUNK bytes not yet written.
 */
#include "bridge/bridge_private.h"
#include "core/i18n.h"

#include <string.h>

struct Relay {
  Rule *rule;
  NsBridge *br;
  GSocket *sock;     /* the outside end (owned) */
  NsWatch *watch;    /* on sock */
  NsTcpConn *conn;   /* the simulated end (held) */
  char outside[48];  /* the outside peer, "127.0.0.1:51234" */
  NsTime since;      /* virtual time the relay began */
  guint64 bytes_in;  /* outside -> simulated */
  guint64 bytes_out; /* simulated -> outside */
  guint8 *pending;   /* simulated bytes the socket did not take yet */
  gsize pending_off, pending_len;
  gboolean connecting;   /* connect: the outside connect is in progress */
  gboolean sim_open;     /* the simulated connection was established */
  gboolean in_paused;    /* the simulated send buffer is full */
  gboolean outside_eof;  /* the outside closed its side: FIN sent on */
  gboolean outside_shut; /* the simulated side closed: outside shut down */
  gboolean sim_closed;   /* the simulated connection ended normally */
  gboolean due;          /* in the set's due list */
};

static guint8 *scratch(const Relay *x) { return x->br->set->scratch; }

static NsBridgeCounters *counters(Relay *x) { return &x->br->counters; }

/* "192.168.1.200:49152 -> 192.168.2.10:80" for the simulated side. */
static void sim_ends(const Relay *x, char *buf, gsize size) {
  NsTcpInfo info;
  ns_tcp_info(x->conn, &info);
  char a[NS_ENDPOINT_STRLEN], b[NS_ENDPOINT_STRLEN];
  g_snprintf(buf, size, "%s -> %s",
             ns_endpoint_format(info.local, info.local_port, a),
             ns_endpoint_format(info.remote, info.remote_port, b));
}

/* ---- ending ------------------------------------------------------------- */

static void relay_release(Relay *x, gboolean reset);

/* Logs bridge/close, lets both ends go (resetting them when reset), and
 * frees x. */
static void relay_end(Relay *x, gboolean reset, const char *why) {
  NsBridge *br = x->br;
  NsTime now = br_now(br);
  if (ns_bridge_log_on(br)) {
    char sim[2 * NS_ENDPOINT_STRLEN + 4];
    sim_ends(x, sim, sizeof sim);
    ns_bridge_log(br, "bridge/close", why,
                  "%s <-> %s %s: %" G_GUINT64_FORMAT
                  " bytes in, %" G_GUINT64_FORMAT " bytes out, %.3f s",
                  x->outside, sim, reset ? "reset" : "closed", x->bytes_in,
                  x->bytes_out, (double)(now - x->since) / NS_SEC);
  }
  counters(x)->closed++;
  counters(x)->active--;
  if (reset)
    counters(x)->resets++;
  if (reset && !x->sim_closed)
    ns_tcp_abort(x->conn, now);
  relay_release(x, reset);
}

/* Lets go of both ends and frees x: the outside socket is reset, or (a
 * normal end, every byte out) closed. */
static void relay_release(Relay *x, gboolean reset) {
  ns_tcp_release(x->conn);
  ns_watch_free(x->watch);
  if (x->due)
    g_ptr_array_remove(x->br->set->due, x);
  if (reset || x->pending_len > 0) {
    ns_bridge_reset_socket(x->sock);
  } else {
    g_socket_close(x->sock, NULL);
    g_object_unref(x->sock);
  }
  g_ptr_array_remove(x->br->relays, x);
  g_free(x->pending);
  g_free(x);
}

void ns_relay_free(Relay *x) { relay_release(x, TRUE); }

/* The outside socket failed (reset by its owner, or gone): the simulated
 * side is reset too. */
static void outside_failed(Relay *x, GError *err) {
  g_autofree char *why = ns_why_strdup_printf(
      N_("the outside socket failed (%s): the simulated connection is reset "
         "so that its peer does not wait for bytes that will never come"),
      err->message);
  g_error_free(err);
  relay_end(x, TRUE, why);
}

/* Ends the relay normally once both directions are closed and every byte
 * is out.  Returns TRUE when it did. */
static gboolean maybe_finish(Relay *x) {
  if (!x->sim_closed || x->pending_len > 0 || ns_tcp_readable(x->conn) > 0)
    return FALSE;
  relay_end(x, FALSE,
            N_("both sides closed their direction and every byte was relayed"));
  return TRUE;
}

/* ---- the watch ---------------------------------------------------------- */

static void update_watch(Relay *x) {
  GIOCondition cond = 0;
  if (x->connecting || x->pending_len > 0)
    cond |= G_IO_OUT;
  if (!x->connecting && !x->outside_eof && !x->in_paused)
    cond |= G_IO_IN;
  ns_watch_set(x->watch, cond);
}

/* ---- simulated -> outside ----------------------------------------------- */

/* Writes what the socket takes of data; the rest goes to pending.  FALSE
 * when the socket failed (x is then freed). */
static gboolean write_out(Relay *x, const guint8 *data, gsize len) {
  GError *err = NULL;
  gssize w = g_socket_send(x->sock, (const gchar *)data, len, NULL, &err);
  if (w < 0) {
    if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      outside_failed(x, err);
      return FALSE;
    }
    g_clear_error(&err);
    w = 0;
  }
  x->bytes_out += (guint64)w;
  counters(x)->bytes_out += (guint64)w;
  if ((gsize)w < len) {
    if (x->pending == NULL)
      x->pending = g_malloc(NS_BRIDGE_CHUNK);
    memmove(x->pending, data + w, len - (gsize)w);
    x->pending_off = 0;
    x->pending_len = len - (gsize)w;
  }
  return TRUE;
}

/* Sends the simulated side's EOF on once nothing is left to write. */
static void pass_eof_out(Relay *x) {
  if (x->pending_len == 0 && !x->outside_shut && ns_tcp_eof(x->conn)) {
    g_socket_shutdown(x->sock, FALSE, TRUE, NULL);
    x->outside_shut = TRUE;
  }
}

/* Moves simulated bytes out while the socket takes them.  FALSE when x
 * was freed. */
static gboolean sim_to_outside(Relay *x, NsTime now) {
  if (x->connecting || x->pending_len > 0)
    return TRUE;
  gsize n;
  while ((n = ns_tcp_recv(x->conn, scratch(x), NS_BRIDGE_CHUNK, now)) > 0) {
    if (!write_out(x, scratch(x), n))
      return FALSE;
    if (x->pending_len > 0)
      break;
  }
  pass_eof_out(x);
  return TRUE;
}

/* Writes what waits in pending.  FALSE when x was freed. */
static gboolean flush_pending(Relay *x) {
  gsize len = x->pending_len;
  x->pending_len = 0;
  if (!write_out(x, x->pending + x->pending_off, len))
    return FALSE;
  if (x->pending_len == 0) {
    g_clear_pointer(&x->pending, g_free);
  }
  return TRUE;
}

/* ---- outside -> simulated ----------------------------------------------- */

/* Reads outside bytes as far as the simulated send buffer has room, a few
 * chunks at most (other relays get their turn).  FALSE when x was freed. */
static gboolean outside_to_sim(Relay *x, NsTime now) {
  for (guint round = 0; round < 4 && !x->outside_eof; round++) {
    gsize space = ns_tcp_send_space(x->conn);
    if (space == 0) {
      x->in_paused = TRUE; /* `writable` resumes */
      break;
    }
    gsize want = MIN(space, NS_BRIDGE_CHUNK);
    GError *err = NULL;
    gssize n = g_socket_receive(x->sock, (gchar *)scratch(x), want, NULL, &err);
    if (n < 0) {
      if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        outside_failed(x, err);
        return FALSE;
      }
      g_error_free(err);
      break;
    }
    if (n == 0) {
      x->outside_eof = TRUE;
      ns_tcp_close(x->conn, now);
      break;
    }
    ns_tcp_send(x->conn, scratch(x), (gsize)n, now);
    x->bytes_in += (guint64)n;
    counters(x)->bytes_in += (guint64)n;
    if ((gsize)n < want)
      break;
  }
  return TRUE;
}

/* ---- outside events ----------------------------------------------------- */

static void log_connected(Relay *x) {
  if (!ns_bridge_log_on(x->br))
    return;
  char sim[2 * NS_ENDPOINT_STRLEN + 4];
  sim_ends(x, sim, sizeof sim);
  if (x->rule->rule.dir == NS_BRIDGE_LISTEN)
    ns_bridge_log(x->br, "bridge/connect",
                  N_("the simulated connection is established: bytes now flow "
                     "both ways"),
                  "%s <-> %s: simulated connection open", x->outside, sim);
  else
    ns_bridge_log(x->br, "bridge/connect",
                  N_("the real server accepted: bytes now flow both ways"),
                  "%s <-> %s: connected to the real server", sim, x->outside);
}

/* connect: the outside connect finished, one way or the other. */
static void finish_connect(Relay *x, NsTime now) {
  GError *err = NULL;
  x->connecting = FALSE;
  if (!g_socket_check_connect_result(x->sock, &err)) {
    g_autofree char *why = ns_why_strdup_printf(
        N_("the real server at %s cannot be reached (%s): the simulated "
           "client's connection is reset"),
        x->outside, err->message);
    counters(x)->refused++;
    if (ns_bridge_log_on(x->br))
      ns_bridge_log(x->br, "bridge/refuse", NULL, "%s: %s", x->outside,
                    err->message);
    g_error_free(err);
    relay_end(x, TRUE, why);
    return;
  }
  counters(x)->connected++;
  log_connected(x);
  if (sim_to_outside(x, now) && !maybe_finish(x))
    update_watch(x);
}

static void on_outside(GIOCondition cond, gpointer data) {
  Relay *x = data;
  NsTime now = br_now(x->br);
  if (x->connecting) {
    finish_connect(x, now);
    return;
  }
  if (x->pending_len > 0 && (cond & (G_IO_OUT | G_IO_ERR | G_IO_HUP)) &&
      !flush_pending(x))
    return;
  if ((cond & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && !x->outside_eof &&
      !x->in_paused && !outside_to_sim(x, now))
    return;
  if (!sim_to_outside(x, now) || maybe_finish(x))
    return;
  update_watch(x);
}

/* ---- simulated events --------------------------------------------------- */

static void sim_established(NsTcpConn *c, NsTime now, gpointer data) {
  Relay *x = data;
  (void)c;
  (void)now;
  x->sim_open = TRUE;
  log_connected(x);
}

static gboolean on_flush(gpointer data) {
  NsBridges *set = data;
  g_clear_pointer(&set->flush, g_source_unref);
  ns_relay_flush_due(set);
  ns_clock_rearm(set->clock);
  return G_SOURCE_REMOVE;
}

/* Marks x due: its bytes go out after the simulation's step. */
static void make_due(Relay *x) {
  NsBridges *set = x->br->set;
  if (x->due)
    return;
  x->due = TRUE;
  g_ptr_array_add(set->due, x);
  if (set->flush == NULL) {
    set->flush = g_idle_source_new();
    g_source_set_priority(set->flush, G_PRIORITY_HIGH);
    g_source_set_callback(set->flush, on_flush, set, NULL);
    g_source_attach(set->flush, ns_clock_context(set->clock));
  }
}

void ns_relay_flush_due(NsBridges *set) {
  while (set->due->len > 0) {
    Relay *x = g_ptr_array_steal_index(set->due, 0);
    x->due = FALSE;
    if (sim_to_outside(x, br_now(x->br)) && !maybe_finish(x))
      update_watch(x);
  }
}

static void sim_readable(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  (void)now;
  make_due(data);
}

static void sim_writable(NsTcpConn *c, NsTime now, gpointer data) {
  Relay *x = data;
  (void)c;
  (void)now;
  x->in_paused = FALSE;
  update_watch(x);
}

static void sim_closed(NsTcpConn *c, NsTcpCloseReason why, NsTime now,
                       gpointer data) {
  Relay *x = data;
  (void)c;
  if (why == NS_TCP_CLOSE_NORMAL) {
    x->sim_closed = TRUE;
    if (sim_to_outside(x, now) && !maybe_finish(x))
      update_watch(x);
    return;
  }
  x->sim_closed = TRUE; /* nothing to abort any more */
  gboolean never_open = !x->sim_open && x->rule->rule.dir == NS_BRIDGE_LISTEN;
  if (never_open)
    counters(x)->refused++;
  g_autofree char *text = ns_why_strdup_printf(
      never_open ? N_("the simulated connection could not be opened (%s): the "
                      "outside socket is reset so that its owner sees "
                      "ECONNRESET instead of waiting")
                 : N_("the simulated connection ended abnormally (%s): the "
                      "outside socket is reset so that its owner sees "
                      "ECONNRESET instead of waiting"),
      ns_tcp_close_reason_name(why));
  if (never_open && ns_bridge_log_on(x->br))
    ns_bridge_log(x->br, "bridge/refuse", NULL, "%s: simulated target %s",
                  x->outside, ns_tcp_close_reason_name(why));
  relay_end(x, TRUE, text);
}

static const NsTcpCallbacks relay_callbacks = {
    .established = sim_established,
    .readable = sim_readable,
    .writable = sim_writable,
    .closed = sim_closed,
};

/* ---- starting ----------------------------------------------------------- */

/* A relay for socket s (taken) and simulated connection c (held, may be
 * set later); it counts as active. */
static Relay *relay_new(Rule *r, GSocket *s, GSocketAddress *peer, NsTime now) {
  Relay *x = g_new0(Relay, 1);
  x->rule = r;
  x->br = r->br;
  x->sock = s;
  x->since = now;
  ns_bridge_format_addr(peer, x->outside);
  g_socket_set_blocking(s, FALSE);
  g_ptr_array_add(r->br->relays, x);
  r->br->counters.active++;
  return x;
}

static void watch_relay(Relay *x) {
  x->watch =
      ns_watch_new(br_clock(x->br), g_socket_get_fd(x->sock), 0, on_outside, x);
  update_watch(x);
}

static gboolean over_limit(NsBridge *br, const char *who) {
  if (br->relays->len < br->max_conns)
    return FALSE;
  br->counters.refused++;
  if (ns_bridge_log_on(br))
    ns_bridge_log(br, "bridge/refuse",
                  N_("max-connections relays are open already: one more is "
                     "refused rather than let the process grow without bound"),
                  "%s: limit of %u connections reached", who, br->max_conns);
  return TRUE;
}

/* listen: one accepted outside socket. */
static void start_outside(Rule *r, GSocket *s, NsTime now) {
  NsBridge *br = r->br;
  g_autoptr(GSocketAddress) peer = g_socket_get_remote_address(s, NULL);
  char who[48];
  ns_bridge_format_addr(peer, who);
  if (over_limit(br, who)) {
    ns_bridge_reset_socket(s);
    return;
  }
  GError *err = NULL;
  Relay *x = relay_new(r, s, peer, now);
  NsTcpCallbacks cb = relay_callbacks;
  cb.data = x;
  x->conn = ns_tcp_connect(br->node->tcp, r->rule.sim_addr, r->rule.sim_port, 0,
                           &cb, now, &err);
  if (x->conn == NULL) {
    br->counters.refused++;
    br->counters.active--;
    if (ns_bridge_log_on(br))
      ns_bridge_log(br, "bridge/refuse", NULL, "%s: %s", who, err->message);
    g_error_free(err);
    g_ptr_array_remove(br->relays, x);
    ns_bridge_reset_socket(s);
    g_free(x);
    return;
  }
  br->counters.accepted++;
  if (ns_bridge_log_on(br)) {
    char sim[2 * NS_ENDPOINT_STRLEN + 4];
    sim_ends(x, sim, sizeof sim);
    char at[NS_ENDPOINT_STRLEN];
    ns_bridge_log(br, "bridge/accept",
                  N_("an outside program connected: the bridge opens a "
                     "simulated connection to the target for it"),
                  "%s -> %s: relayed as %s", who,
                  ns_endpoint_format(r->rule.outside_addr, r->bound_port, at),
                  sim);
  }
  watch_relay(x);
}

void ns_relay_accept_outside(Rule *r) {
  NsTime now = br_now(r->br);
  for (guint i = 0; i < 64; i++) {
    GError *err = NULL;
    GSocket *s = g_socket_accept(r->sock, NULL, &err);
    if (s != NULL) {
      start_outside(r, s, now);
      continue;
    }
    gboolean no_fd =
        g_error_matches(err, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES);
    gboolean again = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    g_error_free(err);
    if (again || !no_fd || !ns_bridge_shed_one(r->br->set, r->sock))
      return;
    r->br->counters.refused++;
    char at[NS_ENDPOINT_STRLEN];
    if (ns_bridge_log_on(r->br))
      ns_bridge_log(
          r->br, "bridge/refuse",
          N_("the process has no file descriptor left: the "
             "connection is accepted with one kept in reserve and "
             "reset at once, so that the client does not hang"),
          "a connection to %s: out of file descriptors",
          ns_endpoint_format(r->rule.outside_addr, r->bound_port, at));
  }
}

void ns_relay_accept_sim(Rule *r, NsTcpConn *c, NsTime now) {
  NsBridge *br = r->br;
  NsTcpInfo info;
  ns_tcp_info(c, &info);
  char who[NS_ENDPOINT_STRLEN];
  ns_endpoint_format(info.remote, info.remote_port, who);
  GError *err = NULL;
  GSocket *s =
      over_limit(br, who)
          ? NULL
          : ns_bridge_connect_socket(G_SOCKET_TYPE_STREAM, r->rule.outside_addr,
                                     r->rule.outside_port, &err);
  if (s == NULL) {
    if (err != NULL) {
      br->counters.refused++;
      if (ns_bridge_log_on(br))
        ns_bridge_log(br, "bridge/refuse",
                      N_("no outside connection can be made: the simulated "
                         "client's connection is reset"),
                      "%s: %s", who, err->message);
      g_error_free(err);
    }
    ns_tcp_abort(c, now);
    ns_tcp_release(c);
    return;
  }
  Relay *x = relay_new(r, s, NULL, now);
  char at[NS_ENDPOINT_STRLEN];
  g_strlcpy(x->outside,
            ns_endpoint_format(r->rule.outside_addr, r->rule.outside_port, at),
            sizeof x->outside);
  x->conn = c;
  x->connecting = TRUE;
  x->sim_open = TRUE;
  NsTcpCallbacks cb = relay_callbacks;
  cb.data = x;
  ns_tcp_set_callbacks(c, &cb);
  if (ns_bridge_log_on(br)) {
    char sim[2 * NS_ENDPOINT_STRLEN + 4];
    sim_ends(x, sim, sizeof sim);
    ns_bridge_log(br, "bridge/accept",
                  N_("a simulated client connected to the bridge: it opens a "
                     "real connection to the outside server for it"),
                  "%s: connecting to %s", sim, x->outside);
  }
  watch_relay(x);
}

void ns_relay_info(const Relay *x, NsBridgeConnInfo *out) {
  memset(out, 0, sizeof *out);
  NsTcpInfo info;
  ns_tcp_info(x->conn, &info);
  out->proto = NS_BRIDGE_TCP;
  out->dir = x->rule->rule.dir;
  g_strlcpy(out->outside, x->outside, sizeof out->outside);
  out->sim_local = info.local;
  out->sim_local_port = info.local_port;
  out->sim_remote = info.remote;
  out->sim_remote_port = info.remote_port;
  out->state = x->connecting                       ? "connecting"
               : x->outside_eof && x->outside_shut ? "closing"
               : x->outside_eof                    ? "outside closed"
               : x->outside_shut                   ? "simulated closed"
               : info.state == NS_TCP_SYN_SENT     ? "opening"
                                                   : "open";
  out->bytes_in = x->bytes_in;
  out->bytes_out = x->bytes_out;
  out->since = x->since;
  out->idle_until = NS_TIME_NEVER;
}

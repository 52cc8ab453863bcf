/* switch.c — the learning switch.
 *
 * The hot path (switch_recv with logging off) is: two fdb probes and one or
 * more ns_nic_send calls; no allocation and no formatting.  Everything that
 * builds a string lives in the log_* helpers, reached only when
 * ns_log_on() says somebody listens.
 */
#include "net/switch.h"
#include "core/i18n.h"

#include <string.h>

#include "net/switch_private.h"
#include "wire/ethernet.h"

/* ---- logging (cold) ------------------------------------------------------ */

char *ns_sw_format_age(NsTime d, char *buf, gsize size) {
  static const struct {
    NsTime unit;
    const char *name;
  } units[] = {{NS_SEC, "s"}, {NS_MSEC, "ms"}, {NS_USEC, "us"}, {1, "ns"}};
  guint u = 0;
  while (u + 1 < G_N_ELEMENTS(units) && d < units[u].unit)
    u++;
  if (d == 0)
    u = 0;
  g_snprintf(buf, size, "%.1f", (double)d / (double)units[u].unit);
  gsize len = strlen(buf);
  if (len > 2 && g_str_has_suffix(buf, ".0"))
    buf[len - 2] = '\0';
  g_strlcat(buf, " ", size);
  g_strlcat(buf, units[u].name, size);
  return buf;
}

guint ns_sw_append_ports(GString *s, NsSwitch *sw, guint ingress,
                         NsSwPortFilter keep, gconstpointer data) {
  guint n = 0;
  for (guint i = 0; i < sw->ports->len; i++) {
    const Port *p = g_ptr_array_index(sw->ports, i);
    if (ns_sw_floods_to(p, ingress) && (keep == NULL || keep(sw, p, data)))
      g_string_append_printf(s, "%s%u", n++ ? "," : "", p->nic.index);
  }
  return n;
}

static G_GNUC_NO_INLINE void log_learn(NsSwitch *sw, const NsFrame *frame,
                                       NsMac src, guint port, NsFdbLearn r,
                                       guint old_port, gboolean did_evict,
                                       NsMac evicted, NsTime now) {
  NsLog *log = sw->ctx->log;
  gboolean explain = ns_log_explain(log);
  char m[NS_MAC_STRLEN], why[NS_WHY_MAX];
  ns_mac_format(src, m);
  if (did_evict) {
    char e[NS_MAC_STRLEN];
    ns_mac_format(evicted, e);
    if (explain)
      ns_why_printf(
          why, sizeof why,
          N_("the table is full (%u entries) and nothing has aged out: "
             "the least recently seen entry makes room for %s"),
          ns_fdb_capacity(sw->fdb), m);
    ns_log_printf(log, now, sw->name, "switch/evict", frame->id,
                  explain ? why : NULL, "%s evicted", e);
  }
  if (r == NS_FDB_NEW) {
    if (explain)
      ns_why_printf(why, sizeof why,
                    N_("src %s of a frame arriving on port %u"), m, port);
    ns_log_printf(log, now, sw->name, "switch/learn", frame->id,
                  explain ? why : NULL, "%s on port %u", m, port);
  } else if (r == NS_FDB_MOVED) {
    if (explain)
      ns_why_printf(
          why, sizeof why,
          N_("src %s was learned on port %u but now arrives on port %u: "
             "the host moved"),
          m, old_port, port);
    ns_log_printf(log, now, sw->name, "switch/move", frame->id,
                  explain ? why : NULL, "%s from port %u to port %u", m,
                  old_port, port);
  }
}

static G_GNUC_NO_INLINE void log_age(NsSwitch *sw, guint64 frame_id,
                                     const NsFdbEntry *old, NsTime now) {
  char m[NS_MAC_STRLEN], why[NS_WHY_MAX], ago[32], aging[32];
  ns_mac_format(old->mac, m);
  if (ns_log_explain(sw->ctx->log))
    ns_why_printf(why, sizeof why, N_("last seen %s ago, aging time %s"),
                  ns_sw_format_age(now - old->seen, ago, sizeof ago),
                  ns_sw_format_age(ns_fdb_aging(sw->fdb), aging, sizeof aging));
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/age", frame_id,
                ns_log_explain(sw->ctx->log) ? why : NULL,
                "%s aged out on port %u", m, old->port);
}

typedef enum { FLOOD_BROADCAST, FLOOD_MULTICAST, FLOOD_UNKNOWN } FloodReason;

static G_GNUC_NO_INLINE void log_flood(NsSwitch *sw, const NsFrame *frame,
                                       NsMac dst, guint ingress,
                                       FloodReason reason, gboolean was_aged,
                                       NsTime now) {
  char m[NS_MAC_STRLEN];
  GString *ports = g_string_new(NULL);
  guint egress = ns_sw_append_ports(ports, sw, ingress, NULL, NULL);
  gboolean some_down = egress + 1 < sw->ports->len;
  const char *which = egress == 0   ? "no port"
                      : egress == 1 ? "port "
                                    : "ports ";
  /* The reasons, whole sentences for the translators: [aged][which]. */
  static const char *const unknown_why[2][3] = {
      {N_("dst %s unknown: flood to no port%s"),
       N_("dst %s unknown: flood to port %s"),
       N_("dst %s unknown: flood to ports %s")},
      {N_("dst %s aged out: flood to no port%s"),
       N_("dst %s aged out: flood to port %s"),
       N_("dst %s aged out: flood to ports %s")}};
  /* [broadcast][some_down] */
  static const char *const cast_why[2][2] = {
      {N_("dst %s is multicast: flood to every port but %u"),
       N_("dst %s is multicast: flood to every port but %u that has a link")},
      {N_("dst %s is broadcast: flood to every port but %u"),
       N_("dst %s is broadcast: flood to every port but %u that has a "
          "link")}};
  char *why = NULL;
  if (ns_log_explain(sw->ctx->log)) {
    ns_mac_format(dst, m);
    if (reason == FLOOD_UNKNOWN)
      why = ns_why_strdup_printf(unknown_why[was_aged ? 1 : 0][MIN(egress, 2)],
                                 m, ports->str);
    else
      why = ns_why_strdup_printf(cast_why[reason == FLOOD_BROADCAST][some_down],
                                 m, ingress);
  }
  char addrs[NS_ETH_ADDRS_STRLEN];
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/flood", frame->id, why,
                "%s to %s%s", ns_eth_format_header_addrs(frame->data, addrs),
                which, ports->str);
  g_free(why);
  g_string_free(ports, TRUE);
}

static G_GNUC_NO_INLINE void log_forward(NsSwitch *sw, const NsFrame *frame,
                                         NsMac dst, guint ingress, guint egress,
                                         NsTime now) {
  NsLog *log = sw->ctx->log;
  char m[NS_MAC_STRLEN], why[NS_WHY_MAX], ago[32], addrs[NS_ETH_ADDRS_STRLEN];
  gboolean explain = ns_log_explain(log);
  ns_eth_format_header_addrs(frame->data, addrs);
  NsFdbEntry e = {0};
  if (explain) {
    ns_mac_format(dst, m);
    ns_fdb_peek(sw->fdb, dst, &e);
    ns_sw_format_age(now >= e.seen ? now - e.seen : 0, ago, sizeof ago);
  }
  if (egress == ingress) {
    if (explain)
      ns_why_printf(why, sizeof why,
                    N_("dst %s is on port %u, the port it came in on: drop"), m,
                    egress);
    ns_log_printf(log, now, sw->name, "switch/filter", frame->id,
                  explain ? why : NULL, "%s dst on ingress port %u: drop",
                  addrs, ingress);
  } else {
    if (explain)
      ns_why_printf(why, sizeof why, N_("dst %s learned on port %u (%s ago)"),
                    m, egress, ago);
    ns_log_printf(log, now, sw->name, "switch/forward", frame->id,
                  explain ? why : NULL, "%s to port %u", addrs, egress);
  }
}

static G_GNUC_NO_INLINE void log_malformed(NsSwitch *sw, const NsFrame *frame,
                                           guint ingress, NsTime now) {
  ns_log_printf(sw->ctx->log, now, sw->name, "switch/drop", frame->id,
                ns_log_explain(sw->ctx->log)
                    ? N_("an Ethernet header needs 14 bytes (dst, src, type)")
                    : NULL,
                "malformed: %u bytes on port %u", frame->len, ingress);
}

/* ---- forwarding ---------------------------------------------------------- */

/* How many ports ahead a flood fetches (their links at half the distance). */
#define SEND_AHEAD 8

guint ns_sw_send_where(NsSwitch *sw, NsFrame *frame, guint ingress,
                       NsSwPortFilter keep, gconstpointer data, NsTime now) {
  Port *pending = NULL;
  guint n = 0;
  guint len = sw->ports->len;
  /* A flood on a big network finds nothing in cache: fetch the ports a
   * few ahead, and their links' lines a little less far. */
  gboolean ahead = ns_ctx_big(sw->ctx);
  for (guint i = 0; ahead && i < MIN(len, SEND_AHEAD); i++)
    __builtin_prefetch(g_ptr_array_index(sw->ports, i));
  for (guint i = 0; i < len; i++) {
    if (ahead) {
      if (i + SEND_AHEAD < len)
        __builtin_prefetch(g_ptr_array_index(sw->ports, i + SEND_AHEAD));
      if (i + SEND_AHEAD / 2 < len) {
        const Port *next = g_ptr_array_index(sw->ports, i + SEND_AHEAD / 2);
        ns_nic_prefetch_send(&next->nic);
      }
    }
    Port *p = g_ptr_array_index(sw->ports, i);
    if (!ns_sw_floods_to(p, ingress) || (keep != NULL && !keep(sw, p, data)))
      continue;
    if (pending != NULL)
      ns_nic_send(&pending->nic, ns_frame_ref(frame), now);
    pending = p;
    n++;
  }
  if (pending != NULL)
    ns_nic_send(&pending->nic, frame, now);
  else
    ns_frame_unref(frame);
  return n;
}

static void flood(NsSwitch *sw, NsFrame *frame, guint ingress, NsTime now) {
  ns_sw_send_where(sw, frame, ingress, NULL, NULL, now);
}

static void arm_aging(NsSwitch *sw);

static void switch_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  NsSwitch *sw = nic->owner;
  Port *in = port_of(nic);
  guint ingress = nic->index;
  gboolean log_on = ns_log_on(sw->ctx->log);

  if (frame->len < NS_ETH_HLEN) {
    ns_sw_port_rare(in)->malformed++;
    if (log_on)
      log_malformed(sw, frame, ingress, now);
    ns_frame_unref(frame);
    return;
  }
  NsMac dst = ns_eth_dst(frame->data);
  NsMac src = ns_eth_src(frame->data);

  /* The source's old entry, to say it had aged out when it is relearned
   * (only looked at when someone reads the log). */
  NsFdbEntry src_old;
  gboolean src_had = log_on && ns_fdb_peek(sw->fdb, src, &src_old);
  guint old_port = 0;
  gboolean did_evict;
  NsMac evicted = {{0}};
  NsFdbLearn learned =
      ns_fdb_learn(sw->fdb, src, ingress, now, &old_port, &evicted, &did_evict);
  if (src_had && learned == NS_FDB_NEW)
    log_age(sw, frame->id, &src_old, now);
  if (learned == NS_FDB_NEW && !ns_timer_armed(&sw->age_timer))
    arm_aging(sw);
  if (log_on && (learned == NS_FDB_NEW || learned == NS_FDB_MOVED || did_evict))
    log_learn(sw, frame, src, ingress, learned, old_port, did_evict, evicted,
              now);

  if (sw->snoop != NULL && ns_sw_snoop(sw, in, frame, now))
    return;           /* IPv4 multicast: snooping decided */
  if (dst.b[0] & 1) { /* group bit: broadcast or multicast */
    in->flooded++;
    if (log_on)
      log_flood(sw, frame, dst, ingress,
                ns_mac_is_broadcast(dst) ? FLOOD_BROADCAST : FLOOD_MULTICAST,
                FALSE, now);
    flood(sw, frame, ingress, now);
    return;
  }

  NsFdbEntry old;
  gboolean had = log_on && ns_fdb_peek(sw->fdb, dst, &old);
  guint egress = 0;
  NsFdbResult found = ns_fdb_lookup(sw->fdb, dst, now, &egress);
  if (found == NS_FDB_HIT) {
    if (log_on)
      log_forward(sw, frame, dst, ingress, egress, now);
    if (egress == ingress) {
      in->filtered++;
      ns_frame_unref(frame);
      return;
    }
    Port *out = egress >= 1 && egress <= sw->ports->len
                    ? g_ptr_array_index(sw->ports, egress - 1)
                    : NULL;
    if (out == NULL) { /* a stale port number: cannot happen via learning */
      ns_frame_unref(frame);
      return;
    }
    in->forwarded++;
    ns_nic_send(&out->nic, frame, now);
    return;
  }
  if (log_on && found == NS_FDB_EXPIRED && had)
    log_age(sw, frame->id, &old, now);
  in->flooded++;
  if (log_on)
    log_flood(sw, frame, dst, ingress, FLOOD_UNKNOWN, found == NS_FDB_EXPIRED,
              now);
  flood(sw, frame, ingress, now);
}

/* ---- aging ----------------------------------------------------------------
 */

static void arm_aging(NsSwitch *sw) {
  NsTime when = ns_fdb_next_expiry(sw->fdb);
  if (when != NS_TIME_NEVER)
    ns_timerq_arm(sw->ctx->timers, &sw->age_timer, when);
}

static void aging_fired(NsTimer *t, NsTime now, gpointer data) {
  NsSwitch *sw = data;
  (void)t;
  NsFdbEntry old;
  gboolean log_on = ns_log_on(sw->ctx->log);
  while (ns_fdb_expire_one(sw->fdb, now, &old))
    if (log_on)
      log_age(sw, 0, &old, now);
  arm_aging(sw);
}

/* ---- API ----------------------------------------------------------------- */

NsSwitch *ns_switch_new(NsCtx *ctx, const char *name, guint fdb_capacity,
                        NsTime aging) {
  g_return_val_if_fail(ctx != NULL, NULL);
  NsSwitch *sw = g_new0(NsSwitch, 1);
  sw->ctx = ctx;
  sw->name = g_strdup(name != NULL ? name : "switch");
  sw->fdb = ns_fdb_new(fdb_capacity, aging);
  sw->ports = g_ptr_array_new();
  ns_timer_init(&sw->age_timer, aging_fired, sw);
  return sw;
}

void ns_switch_free(NsSwitch *sw) {
  if (sw == NULL)
    return;
  ns_timerq_cancel(sw->ctx->timers, &sw->age_timer);
  ns_sw_snoop_free(sw);
  for (guint i = 0; i < sw->ports->len; i++) {
    Port *p = g_ptr_array_index(sw->ports, i);
    ns_nic_clear(&p->nic);
    g_free(p->rare);
    ns_slab_release(sw->ctx->slab, p, sizeof *p);
  }
  g_ptr_array_free(sw->ports, TRUE);
  ns_fdb_free(sw->fdb);
  g_free(sw->name);
  g_free(sw);
}

const char *ns_switch_name(const NsSwitch *sw) { return sw->name; }

/* A port that loses its link forgets what it learned (IEEE 802.1D: the
 * stations behind it may reappear elsewhere). */
static void port_carrier(NsNic *nic, gboolean up, NsTime now) {
  NsSwitch *sw = nic->owner;
  ((Port *)nic)->down = !up;
  if (up)
    return;
  guint before = ns_fdb_count(sw->fdb, now);
  ns_fdb_flush_port(sw->fdb, nic->index);
  ns_sw_snoop_port_down(sw, nic->index, now);
  if (ns_log_on(sw->ctx->log))
    ns_log_printf(sw->ctx->log, now, sw->name, "switch/port-down", 0,
                  N_("a port without a link forgets the MACs learned on it"),
                  "port %u lost its link: %u MAC table entries removed",
                  nic->index, before - ns_fdb_count(sw->fdb, now));
}

NsNic *ns_switch_add_port(NsSwitch *sw) {
  g_return_val_if_fail(sw != NULL, NULL);
  guint number = sw->ports->len + 1;
  Port *p = ns_slab_alloc0(sw->ctx->slab, sizeof *p);
  char name[32];
  g_snprintf(name, sizeof name, "port%u", number);
  ns_nic_init(&p->nic, name, sw->name, sw, number, switch_recv);
  p->nic.carrier = port_carrier;
  g_ptr_array_add(sw->ports, p);
  return &p->nic;
}

guint ns_switch_n_ports(const NsSwitch *sw) { return sw->ports->len; }

NsNic *ns_switch_port(NsSwitch *sw, guint number) {
  g_return_val_if_fail(sw != NULL, NULL);
  if (number < 1 || number > sw->ports->len)
    return NULL;
  return &((Port *)g_ptr_array_index(sw->ports, number - 1))->nic;
}

NsSwitchPortCounters ns_switch_port_counters(const NsSwitch *sw, guint number) {
  NsSwitchPortCounters c = {0};
  g_return_val_if_fail(sw != NULL, c);
  if (number < 1 || number > sw->ports->len)
    return c;
  const Port *p = g_ptr_array_index(sw->ports, number - 1);
  if (p->rare != NULL)
    c = *p->rare;
  c.rx_frames = p->nic.counters.rx_frames;
  c.tx_frames = p->nic.counters.tx_frames;
  c.flooded = p->flooded;
  c.forwarded = p->forwarded;
  c.filtered = p->filtered;
  return c;
}

NsFdb *ns_switch_fdb(NsSwitch *sw) { return sw->fdb; }
NsSnoop *ns_switch_snoop(NsSwitch *sw) { return sw->snoop; }

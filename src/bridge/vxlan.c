/* vxlan.c — a [vxlan NAME] segment: one cable end of the simulated
 * network carried over UDP as VXLAN (RFC 7348), to another netsim process
 * or a Linux vxlan interface (bridge.h tells what is checked and
 * counted; wire/vxlan.h has the header).
 *
 * A segment owns its bound socket and its watch; it borrows its node's
 * cable end (sim/network.h, NsNetNode.port), which it gives back when
 * freed.  Datagrams are built and read in the set's scratch buffer, one
 * at a time.
 */
#include "bridge/bridge_private.h"
#include "core/i18n.h"

#include <string.h>

#include "net/ctx.h"
#include "wire/vxlan.h"

#define VXLAN_FIELD(f, about) NS_COUNTER_FIELD(NsVxlanCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_vxlan_counter, NsVxlanCounters, NS_VXLAN_COUNTERS,
                           VXLAN_FIELD);

_Static_assert(NS_VXLAN_HLEN + NS_FRAME_MAX <= NS_BRIDGE_SCRATCH,
               "a whole VXLAN datagram fits the scratch buffer");

struct NsVxlan {
  NsBridges *set;
  char *name;      /* "vx1" */
  NsNetNode *node; /* its simulated node (borrowed) */
  guint32 vni;
  NsIp4 local_addr;
  guint16 bound_port; /* local's port, 0 resolved */
  GArray *remotes;    /* of NsVxlanRemote (a copy) */
  GPtrArray *dests;   /* of GSocketAddress*, one per remote */
  GSocket *sock;      /* bound, non-blocking */
  NsWatch *watch;     /* on sock, G_IO_IN */
  NsVxlanCounters counters;
};

/* ---- events -------------------------------------------------------------- */

static void vx_log(NsVxlan *v, const char *event, guint64 frame,
                   const char *why, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void vx_log(NsVxlan *v, const char *event, guint64 frame,
                   const char *why, const char *fmt, ...) {
  NsLog *log = ns_net_log(v->set->net);
  if (!ns_log_on(log))
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  ns_log_event(log, ns_net_now(v->set->net), v->name, event, frame,
               ns_log_explain(log) ? why : NULL, text);
}

/* ---- out: simulated frames to the remotes -------------------------------- */

/* The cable end received frame (taken) from the simulated network. */
static void on_sim_frame(NsNic *nic, NsFrame *frame, NsTime now) {
  (void)now;
  NsVxlan *v = nic->owner;
  guint8 *buf = v->set->scratch;
  ns_vxlan_emit(buf, v->vni);
  memcpy(buf + NS_VXLAN_HLEN, frame->data, frame->len);
  gsize len = NS_VXLAN_HLEN + frame->len;
  v->counters.tx_frames++;
  v->counters.tx_bytes += frame->len;
  for (guint i = 0; i < v->dests->len; i++) {
    const NsVxlanRemote *r = &g_array_index(v->remotes, NsVxlanRemote, i);
    char e[NS_ENDPOINT_STRLEN];
    ns_endpoint_format(r->addr, r->port, e);
    GError *err = NULL;
    if (g_socket_send_to(v->sock, g_ptr_array_index(v->dests, i),
                         (const gchar *)buf, len, NULL, &err) < 0) {
      v->counters.tx_failed++;
      vx_log(v, "vxlan/drop", frame->id,
             N_("the socket refused the datagram: this copy of the frame is "
                "lost"),
             "send to %s failed: %s", e, err->message);
      g_error_free(err);
      continue;
    }
    vx_log(v, "vxlan/send", frame->id,
           N_("the frame leaves the simulation in a UDP datagram"),
           "vni %u %u bytes to %s", v->vni, frame->len, e);
  }
  ns_frame_unref(frame);
}

/* ---- in: datagrams from outside ----------------------------------------- */

/* Drops one datagram: its counter, the total and the event. */
static void drop(NsVxlan *v, guint64 *counter, const char *from,
                 const char *why) {
  (*counter)++;
  v->counters.rx_dropped++;
  vx_log(v, "vxlan/drop", 0,
         N_("a datagram that is not this segment's VXLAN is untrusted "
            "input: counted and dropped, never delivered"),
         "from %s: %s", from, why);
}

/* The address of from, if it is one of the remotes'. */
static gboolean from_remote(const NsVxlan *v, GSocketAddress *from) {
  if (from == NULL || !G_IS_INET_SOCKET_ADDRESS(from))
    return FALSE;
  GInetAddress *ia =
      g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(from));
  if (g_inet_address_get_family(ia) != G_SOCKET_FAMILY_IPV4)
    return FALSE;
  NsIp4 a = ns_ip4_load(g_inet_address_to_bytes(ia));
  for (guint i = 0; i < v->remotes->len; i++)
    if (ns_ip4_equal(g_array_index(v->remotes, NsVxlanRemote, i).addr, a))
      return TRUE;
  return FALSE;
}

/* One datagram of len bytes (in the scratch buffer) from from. */
static void receive_one(NsVxlan *v, GSocketAddress *from, gsize len) {
  char who[48];
  ns_bridge_format_addr(from, who);
  if (!from_remote(v, from)) {
    drop(v, &v->counters.rx_stranger, who, "not a remote");
    return;
  }
  const guint8 *inner = NULL;
  gsize inner_len = 0;
  const char *why = NULL;
  if (!ns_vxlan_decap(v->set->scratch, len, v->vni, NS_FRAME_MAX, &inner,
                      &inner_len, &why)) {
    gboolean vni = g_strcmp0(why, "wrong VNI") == 0;
    gboolean size = g_str_has_prefix(why, "inner frame");
    drop(v,
         vni    ? &v->counters.rx_wrong_vni
         : size ? &v->counters.rx_bad_size
                : &v->counters.rx_bad_header,
         who, why);
    return;
  }
  NsFrame *f = ns_ctx_frame_new(ns_net_ctx(v->set->net), inner_len);
  memcpy(f->data, inner, inner_len);
  v->counters.rx_frames++;
  v->counters.rx_bytes += inner_len;
  vx_log(v, "vxlan/receive", f->id,
         N_("a UDP datagram from outside brings a frame into the simulation"),
         "vni %u %zu bytes from %s", v->vni, inner_len, who);
  ns_nic_send(v->node->port, f, ns_net_now(v->set->net));
}

static void on_readable(GIOCondition cond, gpointer data) {
  (void)cond;
  NsVxlan *v = data;
  for (guint i = 0; i < NS_VXLAN_BURST; i++) {
    GSocketAddress *from = NULL;
    gssize n = ns_bridge_receive(v->set, v->sock, &from);
    if (n < 0)
      return;
    receive_one(v, from, (gsize)n);
    g_clear_object(&from);
  }
}

/* ---- the segment ------------------------------------------------------- */

static NsVxlan *vxlan_new(NsBridges *set, const NsTopoNode *tn) {
  NsVxlan *v = g_new0(NsVxlan, 1);
  v->set = set;
  v->name = g_strdup(tn->name);
  v->node = ns_net_find(set->net, tn->name);
  v->vni = tn->vxlan->vni;
  v->local_addr = tn->vxlan->local_addr;
  v->remotes = g_array_copy(tn->vxlan->remotes);
  v->dests = g_ptr_array_new_with_free_func(g_object_unref);
  for (guint i = 0; i < v->remotes->len; i++) {
    const NsVxlanRemote *r = &g_array_index(v->remotes, NsVxlanRemote, i);
    g_ptr_array_add(v->dests, ns_bridge_socket_address(r->addr, r->port));
  }
  g_ptr_array_add(set->vxlans, v);
  return v;
}

gboolean ns_vxlan_open(NsBridges *set, const NsTopoNode *tn, const char *source,
                       GError **error) {
  g_return_val_if_fail(tn->kind == NS_NODE_VXLAN && tn->vxlan != NULL, FALSE);
  NsVxlan *v = vxlan_new(set, tn);
  GError *e = NULL;
  v->sock = ns_bridge_bind_socket(G_SOCKET_TYPE_DATAGRAM, v->local_addr,
                                  tn->vxlan->local_port, &v->bound_port, &e);
  if (v->sock == NULL) {
    char at[NS_ENDPOINT_STRLEN];
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("%s: [vxlan %s] local: cannot bind udp %s: %s"), source,
                v->name,
                ns_endpoint_format(v->local_addr, tn->vxlan->local_port, at),
                e->message);
    g_error_free(e);
    return FALSE;
  }
  ns_net_port_carry(v->node, on_sim_frame, v);
  v->watch = ns_watch_new(set->clock, g_socket_get_fd(v->sock), G_IO_IN,
                          on_readable, v);
  g_autofree char *text = ns_vxlan_text(v);
  vx_log(v, "vxlan/open", 0,
         N_("frames on this cable travel as VXLAN datagrams between the "
            "local address and the remotes"),
         "%s carrying", text);
  return TRUE;
}

void ns_vxlan_free(NsVxlan *v) {
  if (v->sock != NULL)
    ns_net_port_carry(v->node, NULL, NULL);
  ns_watch_free(v->watch);
  if (v->sock != NULL) {
    g_socket_close(v->sock, NULL);
    g_object_unref(v->sock);
  }
  g_ptr_array_free(v->dests, TRUE);
  g_array_unref(v->remotes);
  g_free(v->name);
  g_free(v);
}

/* ---- accessors ----------------------------------------------------------- */

guint ns_bridges_n_vxlans(const NsBridges *set) { return set->vxlans->len; }

NsVxlan *ns_bridges_vxlan(NsBridges *set, guint i) {
  g_return_val_if_fail(i < set->vxlans->len, NULL);
  return g_ptr_array_index(set->vxlans, i);
}

NsVxlan *ns_bridges_find_vxlan(NsBridges *set, const char *name) {
  for (guint i = 0; i < set->vxlans->len; i++) {
    NsVxlan *v = g_ptr_array_index(set->vxlans, i);
    if (g_strcmp0(v->name, name) == 0)
      return v;
  }
  return NULL;
}

const char *ns_vxlan_name(const NsVxlan *v) { return v->name; }

const NsVxlanCounters *ns_vxlan_counters(const NsVxlan *v) {
  return &v->counters;
}

char *ns_vxlan_text(const NsVxlan *v) {
  NsTopoVxlan t = {.vni = v->vni,
                   .local_addr = v->local_addr,
                   .local_port = v->bound_port,
                   .remotes = v->remotes};
  return ns_vxlan_format(&t, v->bound_port);
}

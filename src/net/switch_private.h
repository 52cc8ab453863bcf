/* switch_private.h — the switch's insides, shared by its files:
 *   switch.c        ports, learning, forwarding and flooding, MAC aging;
 *   switch_snoop.c  IGMP snooping (RFC 4541): what reports, leaves and
 *                   queries teach the group table (net/snoop.h), and
 *                   where IPv4 multicast then goes.
 * Nothing outside src/net/switch*.c includes this.
 */
#pragma once

#include "net/snoop.h"
#include "net/switch.h"

G_BEGIN_DECLS

/* A port keeps the counters every frame moves; the others (malformed
 * frames, snooping, IGMP) are made by the first of them: 32 bytes a host
 * of a big LAN.  ns_switch_port_counters() puts them together. */
/* The port's rx_frames and tx_frames are its NIC's (net/link.h): every
 * frame the link delivers reaches switch_recv, and the NIC counts a frame
 * sent exactly when ns_nic_send takes it. */
typedef struct {
  NsNic nic; /* first: the recv callback gets &port->nic */
  guint64 flooded, forwarded, filtered;
  NsSwitchPortCounters *rare; /* owned; NULL until needed */
  gboolean down; /* its link lost carrier: nothing is sent out of it */
} Port;

/* p's counters that are not kept in Port itself, made if need be. */
static inline NsSwitchPortCounters *ns_sw_port_rare(Port *p) {
  if (G_UNLIKELY(p->rare == NULL))
    p->rare = g_new0(NsSwitchPortCounters, 1);
  return p->rare;
}

struct NsSwitch {
  NsCtx *ctx; /* borrowed */
  char *name;
  NsFdb *fdb;
  GPtrArray *ports; /* of Port*, each allocated alone so NICs never move */
  /* Armed at the instant the table's oldest entry ages out, while it has
   * entries: each is removed and logged then, not when a frame next
   * looks for it.  Re-armed after each firing (an entry refreshed in the
   * meantime just moves the instant). */
  NsTimer age_timer;
  NsSnoop *snoop; /* the IGMP snooping table (owned); NULL: snooping off */
  /* The same for the snooping table's entries (ns_snoop_next_expiry). */
  NsTimer snoop_timer;
};

static inline Port *port_of(NsNic *nic) { return (Port *)nic; }

/* A flood leaves by every port but the ingress one, except ports whose
 * link is down. */
static inline gboolean ns_sw_floods_to(const Port *p, guint ingress) {
  return p->nic.index != ingress && !p->down;
}

/* Which of the flood's ports a frame goes to (data: the caller's). */
typedef gboolean (*NsSwPortFilter)(const NsSwitch *sw, const Port *p,
                                   gconstpointer data);

/* Sends frame out of every port a flood from ingress would take that keep
 * accepts (NULL: all); takes frame (one reference per port, the last the
 * caller's).  Returns how many ports. */
guint ns_sw_send_where(NsSwitch *sw, NsFrame *frame, guint ingress,
                       NsSwPortFilter keep, gconstpointer data, NsTime now);
/* Appends those ports' numbers ("2,3") to s; returns how many. */
guint ns_sw_append_ports(GString *s, NsSwitch *sw, guint ingress,
                         NsSwPortFilter keep, gconstpointer data);
/* "12.5 s", "300 s", "1.5 ms", "0 s". */
char *ns_sw_format_age(NsTime d, char *buf, gsize size);

/* ---- switch_snoop.c ---- */

/* Takes an IPv4 multicast frame (an IGMP message or a group's data) and
 * sends it where snooping says; FALSE (frame untouched) for anything else,
 * which the switch handles as before. */
gboolean ns_sw_snoop(NsSwitch *sw, Port *in, NsFrame *frame, NsTime now);
/* A port lost its link: it forgets its groups and router role. */
void ns_sw_snoop_port_down(NsSwitch *sw, guint port, NsTime now);
void ns_sw_snoop_free(NsSwitch *sw);

G_END_DECLS

/* replay_data.c — what a replay recorded, as the page's JSON data (see
 * replay_private.h).  Everything is written in recording order (events,
 * hops as first shown, strings as first interned), never in hash order, so
 * the same run gives the same bytes.
 *
 *   {"title":T, "max":MAX, "more":N, "kinds":[...],
 *    "nodes":[{"name","kind","x","y"}...], "links":[{"a","b","al","bl"}...],
 *    "ev":[[time_ns, node, name, frame, summary, why, hop, proto]...],
 *    "hops":[[link, side, frame, time_ns, len, [[link, side]...]]...],
 *    "fr":[[[layer lines], [hex lines]]...],
 *    "snaps":[[event, node, kind, tab]...], "tabs":[TABLES...],
 *    "s":[strings]}
 *
 * In "ev", name/summary/why/proto are string numbers, node -1 is none and
 * hop -1 is none; a hop's frame indexes "fr", whose lines are string
 * numbers too; a hop's optional last member lists the copies its sender
 * sent at the same time (a switch flooding).  "tabs" holds
 * ns_replay_report_json's arrays. */
#include "cli/replay_private.h"

#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/layers.h"

/* ---- which hop an event shows -------------------------------------------- */

static guint hop_sender(NsNet *net, const NsReplayHop *h) {
  const NsNetLink *l = ns_net_link(net, h->link);
  return h->side == 0 ? l->a_node : l->b_node;
}

static guint hop_receiver(NsNet *net, const NsReplayHop *h) {
  const NsNetLink *l = ns_net_link(net, h->link);
  return h->side == 0 ? l->b_node : l->a_node;
}

/* The hop e shows: the first its node sends at or after it, else the last
 * its node received before it; NULL when neither.  *journey is set to the
 * journey's hops. */
static const NsReplayHop *shown_hop(NsReplay *r, const NsReplayEvent *e,
                                    GArray **journey) {
  GArray *hops = e->frame != 0 && e->node >= 0
                     ? g_hash_table_lookup(r->journeys, &e->frame)
                     : NULL;
  *journey = hops;
  if (hops == NULL)
    return NULL;
  for (guint i = e->hops_then; i < hops->len; i++) {
    const NsReplayHop *h = &g_array_index(hops, NsReplayHop, i);
    if (hop_sender(r->net, h) == (guint)e->node)
      return h;
  }
  for (guint i = MIN(e->hops_then, hops->len); i-- > 0;) {
    const NsReplayHop *h = &g_array_index(hops, NsReplayHop, i);
    if (hop_receiver(r->net, h) == (guint)e->node)
      return h;
  }
  return NULL;
}

/* "ARP", "ICMP", "UDP", "TCP", "IGMP", "IPv4" or "other". */
static const char *proto_of(GBytes *b) {
  gsize len;
  const guint8 *buf = g_bytes_get_data(b, &len);
  if (!ns_eth_view(buf, len))
    return "other";
  if (ns_eth_type(buf) == NS_ETHERTYPE_ARP)
    return "ARP";
  NsIpv4Hdr h;
  if (ns_eth_type(buf) != NS_ETHERTYPE_IPV4 ||
      !ns_ipv4_parse_header(buf + NS_ETH_HLEN, len - NS_ETH_HLEN, &h, NULL))
    return ns_eth_type(buf) == NS_ETHERTYPE_IPV4 ? "IPv4" : "other";
  static const char *const names[256] = {
      [1] = "ICMP", [2] = "IGMP", [6] = "TCP", [17] = "UDP"};
  return names[h.proto] != NULL ? names[h.proto] : "IPv4";
}

/* ---- the parts ----------------------------------------------------------- */

/* What the events need, numbered as first used. */
typedef struct {
  GPtrArray *hops;       /* const NsReplayHop* shown, in order */
  GPtrArray *also;       /* per hop: "[[link,side],...]" of the copies its
                            sender sent at the same time (a flood), or NULL */
  GHashTable *hop_index; /* NsReplayHop* -> index + 1 */
  gint *frame_of;        /* per blob: its index in fr, or -1 */
  GArray *frames;        /* guint blob per fr entry */
} Used;

/* The hops after h in journey sent by the same node at the same time:
 * "[[link,side],...]", or NULL when none. */
static char *copies_of(NsNet *net, GArray *journey, const NsReplayHop *h) {
  const NsReplayHop *first = &g_array_index(journey, NsReplayHop, 0);
  GString *s = NULL;
  for (guint i = (guint)(h - first) + 1; i < journey->len; i++) {
    const NsReplayHop *o = &g_array_index(journey, NsReplayHop, i);
    if (o->time != h->time || hop_sender(net, o) != hop_sender(net, h))
      break;
    if (s == NULL)
      s = g_string_new("[");
    else
      g_string_append_c(s, ',');
    g_string_append_printf(s, "[%u,%u]", o->link, o->side);
  }
  if (s == NULL)
    return NULL;
  g_string_append_c(s, ']');
  return g_string_free(s, FALSE);
}

static guint use_hop(Used *u, NsNet *net, GArray *journey,
                     const NsReplayHop *h) {
  gpointer v = g_hash_table_lookup(u->hop_index, h);
  if (v != NULL)
    return GPOINTER_TO_UINT(v) - 1;
  g_ptr_array_add(u->also, copies_of(net, journey, h));
  g_ptr_array_add(u->hops, (gpointer)h);
  g_hash_table_insert(u->hop_index, (gpointer)h,
                      GUINT_TO_POINTER(u->hops->len));
  if (u->frame_of[h->blob] < 0) {
    u->frame_of[h->blob] = (gint)u->frames->len;
    g_array_append_val(u->frames, h->blob);
  }
  return u->hops->len - 1;
}

static void events_json(GString *out, NsReplay *r, Used *u) {
  g_string_append(out, ",\n\"ev\":[");
  for (guint i = 0; i < r->events->len; i++) {
    const NsReplayEvent *e = &g_array_index(r->events, NsReplayEvent, i);
    GArray *journey;
    const NsReplayHop *h = shown_hop(r, e, &journey);
    gint hop = h != NULL ? (gint)use_hop(u, r->net, journey, h) : -1;
    guint proto =
        h != NULL
            ? ns_replay_intern(&r->strs, proto_of(r->blobs->pdata[h->blob]))
            : 0;
    g_string_append_printf(out,
                           "%s[%" G_GUINT64_FORMAT ",%d,%u,%" G_GUINT64_FORMAT
                           ",%u,%u,%d,%u]",
                           i > 0 ? ",\n" : "", e->time, e->node, e->name,
                           e->frame, e->summary, e->why, hop, proto);
  }
  g_string_append(out, "]");
}

static void hops_json(GString *out, NsReplay *r, const Used *u) {
  g_string_append(out, ",\n\"hops\":[");
  for (guint i = 0; i < u->hops->len; i++) {
    const NsReplayHop *h = u->hops->pdata[i];
    g_string_append_printf(
        out, "%s[%u,%u,%d,%" G_GUINT64_FORMAT ",%" G_GSIZE_FORMAT,
        i > 0 ? "," : "", h->link, h->side, u->frame_of[h->blob], h->time,
        g_bytes_get_size(r->blobs->pdata[h->blob]));
    const char *also = u->also->pdata[i];
    g_string_append_printf(out, "%s%s]", also != NULL ? "," : "",
                           also != NULL ? also : "");
  }
  g_string_append(out, "]");
}

/* text's lines as string numbers: [1,2,3]. */
static void lines_json(GString *out, NsReplay *r, const GString *text) {
  g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
  g_string_append_c(out, '[');
  const char *sep = "";
  for (guint i = 0; lines[i] != NULL; i++) {
    if (lines[i][0] == '\0')
      continue;
    g_string_append_printf(out, "%s%u", sep,
                           ns_replay_intern(&r->strs, lines[i]));
    sep = ",";
  }
  g_string_append_c(out, ']');
}

static void frames_json(GString *out, NsReplay *r, const Used *u) {
  g_string_append(out, ",\n\"fr\":[");
  g_autoptr(GString) text = g_string_new(NULL);
  for (guint i = 0; i < u->frames->len; i++) {
    gsize len;
    const guint8 *buf = g_bytes_get_data(
        r->blobs->pdata[g_array_index(u->frames, guint, i)], &len);
    g_string_append(out, i > 0 ? ",\n[" : "[");
    g_string_truncate(text, 0);
    ns_layers_describe(buf, len, text);
    lines_json(out, r, text);
    g_string_append_c(out, ',');
    g_string_truncate(text, 0);
    ns_layers_hexdump(buf, MIN(len, NS_REPLAY_HEX_BYTES), text);
    lines_json(out, r, text);
    g_string_append_c(out, ']');
  }
  g_string_append(out, "]");
}

static void snaps_json(GString *out, NsReplay *r) {
  g_string_append(out, ",\n\"snaps\":[");
  for (guint i = 0; i < r->snaps->len; i++) {
    const NsReplaySnap *s = &g_array_index(r->snaps, NsReplaySnap, i);
    g_string_append_printf(out, "%s[%d,%u,%u,%u]", i > 0 ? "," : "", s->event,
                           s->node, s->kind, s->tab);
  }
  g_string_append(out, "],\n\"tabs\":[");
  for (guint i = 0; i < r->tabs.strs->len; i++) {
    const char *t = r->tabs.strs->pdata[i];
    g_string_append_printf(out, "%s%s", i > 0 ? ",\n" : "",
                           t[0] != '\0' ? t : "null");
  }
  g_string_append(out, "]");
}

static void topology_json(GString *out, NsNet *net, const double *x,
                          const double *y) {
  g_string_append(out, ",\n\"nodes\":[");
  for (guint i = 0; i < ns_net_n_nodes(net); i++) {
    NsNetNode *n = ns_net_node(net, i);
    g_string_append(out, i > 0 ? ",{\"name\":" : "{\"name\":");
    ns_replay_json(out, n->name);
    g_string_append_printf(out, ",\"kind\":\"%s\",\"x\":%.0f,\"y\":%.0f}",
                           ns_node_kind_name(n->kind), x[i], y[i]);
  }
  g_string_append(out, "],\n\"links\":[");
  for (guint k = 0; k < ns_net_n_links(net); k++) {
    NsNetLink *l = ns_net_link(net, k);
    g_string_append_printf(out,
                           "%s{\"a\":%u,\"b\":%u,\"al\":", k > 0 ? "," : "",
                           l->a_node, l->b_node);
    ns_replay_json(out, l->a_label);
    g_string_append(out, ",\"bl\":");
    ns_replay_json(out, l->b_label);
    g_string_append_c(out, '}');
  }
  g_string_append(out, "]");
}

void ns_replay_data(GString *out, NsReplay *r, const double *x,
                    const double *y) {
  g_autofree char *title = g_path_get_basename(ns_net_source(r->net));
  g_string_append(out, "{\"title\":");
  ns_replay_json(out, title);
  g_string_append_printf(out,
                         ",\"max\":%u,\"more\":%" G_GUINT64_FORMAT
                         ",\"hexBytes\":%u,\"kinds\":[",
                         r->max_events, r->more, NS_REPLAY_HEX_BYTES);
  for (guint k = 0; k < NS_REPLAY_N_KINDS; k++)
    g_string_append_printf(out, "%s\"%s\"", k > 0 ? "," : "",
                           ns_replay_kind_name(k));
  g_string_append_c(out, ']');
  topology_json(out, r->net, x, y);
  Used u = {g_ptr_array_new(), g_ptr_array_new_with_free_func(g_free),
            g_hash_table_new(NULL, NULL), g_new(gint, MAX(r->blobs->len, 1)),
            g_array_new(FALSE, FALSE, sizeof(guint))};
  for (guint i = 0; i < r->blobs->len; i++)
    u.frame_of[i] = -1;
  events_json(out, r, &u);
  hops_json(out, r, &u);
  frames_json(out, r, &u);
  snaps_json(out, r);
  g_string_append(out, ",\n\"s\":[");
  for (guint i = 0; i < r->strs.strs->len; i++) {
    g_string_append(out, i > 0 ? ",\n" : "");
    ns_replay_json(out, r->strs.strs->pdata[i]);
  }
  g_string_append(out, "]}");
  g_ptr_array_unref(u.hops);
  g_ptr_array_unref(u.also);
  g_hash_table_unref(u.hop_index);
  g_free(u.frame_of);
  g_array_unref(u.frames);
}

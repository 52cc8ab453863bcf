/* show_frame.c — `show frame ID`: journey #ID hop by hop.  For each link
 * it crossed, a section titled with the link's ends in the direction it
 * went, the time and the length, holding the frame's layers field by field
 * (wire/layers.h) and its hex dump, as the frame was on that link:
 *
 *   frame #7, 2 hops
 *     hop 1: h1:eth0 -> r1:eth0 at 1.000000s, 98 bytes
 *       Ethernet II, 98 bytes
 *         Destination: 02:00:00:00:00:03
 *       ...
 *       0000  02 00 00 00 00 03 02 00  00 00 00 01 08 00 45 00  ......
 *
 * so the MAC addresses and the TTL a router rewrites can be compared from
 * one hop to the next.  An id the store does not hold gets one note
 * saying why: not yet sent, forgotten, or never on a link. */
#include "cli/show_private.h"
#include "core/i18n.h"
#include "wire/layers.h"

/* Each line of text (ending in '\n') as a note of r. */
static void add_lines(NsReport *r, const GString *text) {
  g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      ns_report_add_note(r, "%s", lines[i]);
}

static void add_hop(NsReport *r, NsNet *net, guint n, const NsFrameHop *hop) {
  const NsNetLink *l = ns_net_link(net, hop->link);
  const char *from = hop->side == 0 ? l->a_label : l->b_label;
  const char *to = hop->side == 0 ? l->b_label : l->a_label;
  NsReport *s = ns_report_add_section(
      r, _("hop %u: %s -> %s at %llu.%06llus, %lu bytes"), n, from, to,
      (unsigned long long)(hop->time / NS_SEC),
      (unsigned long long)((hop->time % NS_SEC) / NS_USEC),
      (unsigned long)hop->len);
  g_autoptr(GString) text = g_string_new(NULL);
  ns_layers_describe(hop->bytes, hop->len, text);
  add_lines(s, text);
  ns_report_add_gap(s);
  g_string_truncate(text, 0);
  ns_layers_hexdump(hop->bytes, hop->len, text);
  add_lines(s, text);
}

/* Why the store has no journey id. */
static void add_missing(NsReport *r, const NsFrameStore *frames, guint64 id) {
  guint64 newest = ns_frame_store_newest(frames);
  guint64 first = ns_frame_store_first(frames);
  if (id > 0 && id < first)
    /* A served console keeps frames from its first `show frame` on. */
    ns_report_add_note(r,
                       _("frame #%llu: not kept, it was made before frames "
                         "were kept (from #%llu on)"),
                       (unsigned long long)id, (unsigned long long)first);
  else if (newest == 0)
    ns_report_add_note(
        r, _("frame #%llu: not kept, no frame has crossed a link yet"),
        (unsigned long long)id);
  else if (id > newest)
    ns_report_add_note(
        r, _("frame #%llu: not on a link yet (the newest is #%llu)"),
        (unsigned long long)id, (unsigned long long)newest);
  else if (id <= ns_frame_store_forgotten(frames))
    ns_report_add_note(r,
                       _("frame #%llu: not kept, forgotten or never on a link "
                         "(only the last %u journeys are kept)"),
                       (unsigned long long)id, NS_FRAME_STORE_JOURNEYS);
  else
    ns_report_add_note(
        r, _("frame #%llu: crossed no link (dropped or delivered before one)"),
        (unsigned long long)id);
}

NsReport *ns_show_frame(const NsShowSource *src, NsNetNode *unused) {
  (void)unused;
  NsReport *r = ns_report_new();
  if (src->frames == NULL) {
    ns_report_add_note(r, _("frames are not kept in this run"));
    return r;
  }
  const NsFrameJourney *j = ns_frame_store_find(src->frames, src->frame);
  if (j == NULL) {
    add_missing(r, src->frames, src->frame);
    return r;
  }
  NsReport *s = ns_report_add_section(
      r,
      ngettext("frame #%llu, %u hop", "frame #%llu, %u hops",
               j->hops->len + j->untold),
      (unsigned long long)j->id, j->hops->len + j->untold);
  for (guint i = 0; i < j->hops->len; i++)
    add_hop(s, src->net, i + 1, &g_array_index(j->hops, NsFrameHop, i));
  if (j->untold > 0)
    ns_report_add_note(s, _("(%u more hops not kept)"), j->untold);
  return r;
}

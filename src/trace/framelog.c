/* framelog.c — --layers: link/frame events (see framelog.h). */
#include "trace/framelog.h"

#include "wire/ethernet.h"
#include "wire/pretty.h"

/* One link's tap. */
typedef struct {
  NsFrameLog *fl;
  const NsNetLink *link; /* borrowed from the net */
  NsLinkTap *tap;
} LinkTap;

struct NsFrameLog {
  NsNet *net;    /* borrowed */
  GArray *links; /* LinkTap, one per link of the net, in its order */
};

static void on_frame(NsLink *link, guint side, const NsFrame *frame, NsTime now,
                     gpointer data) {
  (void)link;
  LinkTap *lt = data;
  NsLog *log = ns_net_log(lt->fl->net);
  if (!ns_log_on(log))
    return;
  const NsNetLink *l = lt->link;
  guint from = side == 0 ? l->a_node : l->b_node;
  char addrs[NS_ETH_ADDRS_STRLEN] = "no Ethernet header";
  char desc[NS_FRAME_DESCRIBE_LEN];
  if (ns_eth_view(frame->data, frame->len))
    ns_eth_format_header_addrs(frame->data, addrs);
  ns_frame_describe(frame->data, frame->len, desc, sizeof desc);
  char summary[NS_FRAME_DESCRIBE_LEN + 384]; /* no allocation per frame */
  g_snprintf(summary, sizeof summary, "%s -> %s, %u bytes, %s: %s",
             side == 0 ? l->a_label : l->b_label,
             side == 0 ? l->b_label : l->a_label, frame->len, addrs, desc);
  ns_log_event_bytes(log, now, ns_net_node(lt->fl->net, from)->name,
                     "link/frame", frame->id, NULL, summary, frame->data,
                     frame->len);
}

NsFrameLog *ns_framelog_new(NsNet *net) {
  g_return_val_if_fail(net != NULL, NULL);
  NsFrameLog *fl = g_new0(NsFrameLog, 1);
  fl->net = net;
  fl->links = g_array_new(FALSE, TRUE, sizeof(LinkTap));
  g_array_set_size(fl->links, ns_net_n_links(net));
  /* Taps only once the array is full size: it no longer moves. */
  for (guint i = 0; i < fl->links->len; i++) {
    LinkTap *lt = &g_array_index(fl->links, LinkTap, i);
    NsNetLink *l = ns_net_link(net, i);
    lt->fl = fl;
    lt->link = l;
    lt->tap = ns_link_add_tap(l->link, on_frame, lt);
  }
  return fl;
}

void ns_framelog_free(NsFrameLog *fl) {
  if (fl == NULL)
    return;
  for (guint i = 0; i < fl->links->len; i++) {
    LinkTap *lt = &g_array_index(fl->links, LinkTap, i);
    ns_link_remove_tap(lt->link->link, lt->tap);
  }
  g_array_unref(fl->links);
  g_free(fl);
}

/* ipnode_hook.c — the hook lists of an IP node and the loop that runs
 * them (ipnode_hook.h says where each point sits and what a verdict
 * means). */
#include <string.h>

#include "net/ipnode_private.h"
#include "wire/ethernet.h"

static const char *const point_names[NS_IP_HOOK_N_POINTS] = {
    [NS_IP_HOOK_PRE_ROUTING] = "pre-routing",
    [NS_IP_HOOK_LOCAL_IN] = "local-in",
    [NS_IP_HOOK_FORWARD] = "forward",
    [NS_IP_HOOK_LOCAL_OUT] = "local-out",
    [NS_IP_HOOK_POST_ROUTING] = "post-routing",
};

const char *ns_ip_hook_point_name(NsIpHookPoint point) {
  g_return_val_if_fail(point < NS_IP_HOOK_N_POINTS, "?");
  return point_names[point];
}

/* After every hook of the same or lower priority: equal priorities keep
 * the order they were added in. */
static void place(NsIpHooks *h, NsIpHook *hook) {
  GPtrArray **list = &h->list[hook->point];
  if (*list == NULL)
    *list = g_ptr_array_new_with_free_func(g_free);
  guint pos = (*list)->len;
  while (pos > 0 && ((NsIpHook *)g_ptr_array_index(*list, pos - 1))->priority >
                        hook->priority)
    pos--;
  g_ptr_array_insert(*list, (gint)pos, hook);
}

NsIpHook *ns_ipnode_add_hook(NsIpNode *node, NsIpHookPoint point, gint priority,
                             NsIpHookFunc fn, gpointer data) {
  g_return_val_if_fail(node != NULL && fn != NULL, NULL);
  g_return_val_if_fail(point < NS_IP_HOOK_N_POINTS, NULL);
  NsIpHooks *h = &ns_ipn_rare(node)->hooks;
  NsIpHook *hook = g_new(NsIpHook, 1);
  *hook = (NsIpHook){fn, data, priority, point};
  h->count[point]++;
  node->hooked |= (guint8)(1u << point);
  if (h->running == 0) {
    place(h, hook);
    return hook;
  }
  if (h->added == NULL)
    h->added = g_ptr_array_new();
  g_ptr_array_add(h->added, hook);
  return hook;
}

/* Once no run is in progress: removed hooks go, added ones take their
 * places. */
static void settle(NsIpHooks *h) {
  for (guint p = 0; h->removed && p < NS_IP_HOOK_N_POINTS; p++) {
    GPtrArray *list = h->list[p];
    for (guint i = list != NULL ? list->len : 0; i-- > 0;)
      if (((NsIpHook *)g_ptr_array_index(list, i))->fn == NULL)
        g_ptr_array_remove_index(list, i);
  }
  h->removed = FALSE;
  if (h->added == NULL)
    return;
  for (guint i = 0; i < h->added->len; i++) {
    NsIpHook *hook = g_ptr_array_index(h->added, i);
    if (hook->fn != NULL)
      place(h, hook);
    else
      g_free(hook);
  }
  g_clear_pointer(&h->added, g_ptr_array_unref);
}

void ns_ipnode_remove_hook(NsIpNode *node, NsIpHook *hook) {
  g_return_if_fail(node != NULL && hook != NULL && hook->fn != NULL);
  g_return_if_fail(node->rare != NULL);
  NsIpHooks *h = &node->rare->hooks;
  GPtrArray *list = h->list[hook->point];
  guint i;
  gboolean placed = list != NULL && g_ptr_array_find(list, hook, &i);
  g_return_if_fail(
      placed || (h->added != NULL && g_ptr_array_find(h->added, hook, NULL)));
  if (--h->count[hook->point] == 0)
    node->hooked &= (guint8) ~(1u << hook->point);
  if (h->running > 0 || !placed) {
    hook->fn = NULL; /* skipped; freed by settle() */
    h->removed = TRUE;
    return;
  }
  g_ptr_array_remove_index(list, i);
}

guint ns_ipnode_n_hooks(const NsIpNode *node, NsIpHookPoint point) {
  g_return_val_if_fail(node != NULL && point < NS_IP_HOOK_N_POINTS, 0);
  return node->rare != NULL ? node->rare->hooks.count[point] : 0;
}

void ns_ipn_hooks_clear(NsIpNode *node) {
  node->hooked = 0;
  if (node->rare == NULL)
    return;
  NsIpHooks *h = &node->rare->hooks;
  for (guint p = 0; p < NS_IP_HOOK_N_POINTS; p++)
    if (h->list[p] != NULL)
      g_ptr_array_free(h->list[p], TRUE);
  if (h->added != NULL) {
    g_ptr_array_set_free_func(h->added, g_free);
    g_ptr_array_free(h->added, TRUE);
  }
  memset(h, 0, sizeof *h);
}

/* pkt->ip from the bytes, as the hook about to run will see them. */
static gboolean read_header(NsIpNode *node, NsIpHookPoint point,
                            NsIpPacket *pkt) {
  const NsFrame *f = pkt->frame;
  if (ns_ipv4_parse_header(f->data + NS_ETH_HLEN, f->len - NS_ETH_HLEN,
                           &pkt->ip, NULL))
    return TRUE;
  g_critical("%s: a %s hook left an IPv4 header that does not parse",
             node->name, ns_ip_hook_point_name(point));
  return FALSE;
}

NsIpVerdict ns_ipn_hooks_run(NsIpNode *node, NsIpHookPoint point,
                             NsIpPacket *pkt, NsTime now) {
  NsIpHooks *h = &node->rare->hooks; /* a hook is there: rare is made */
  GPtrArray *list = h->list[point];  /* does not change while running */
  NsIpVerdict v = NS_IP_ACCEPT;
  /* A hook may rewrite any byte (NAT, a test's damage): from here on the
   * checksums are verified again (NsFrame.csum_ok, core/frame.h). */
  pkt->frame->csum_ok = FALSE;
  h->running++;
  for (guint i = 0; list != NULL && i < list->len && v == NS_IP_ACCEPT; i++) {
    NsIpHook *hook = g_ptr_array_index(list, i);
    if (hook->fn == NULL)
      continue;
    v = read_header(node, point, pkt)
            ? hook->fn(node, point, pkt, now, hook->data)
            : NS_IP_DROP;
  }
  if (v == NS_IP_ACCEPT && !read_header(node, point, pkt))
    v = NS_IP_DROP;
  if (--h->running == 0)
    settle(h);
  if (v == NS_IP_DROP)
    ns_frame_unref(pkt->frame);
  if (v != NS_IP_ACCEPT)
    pkt->frame = NULL;
  return v;
}

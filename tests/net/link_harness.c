/* link_harness.c — the two-NIC, one-link fixture of the link suites. */
#include "net/link_harness.h"

void link_record_recv(NsNic *nic, NsFrame *frame, NsTime now) {
  Net *net = nic->owner;
  Arrival a = {now, frame->id, frame};
  g_array_append_val(net->got[nic == &net->a ? 0 : 1], a);
}

static void record_event(const NsLogEvent *ev, gpointer data) {
  g_ptr_array_add(data, g_strdup_printf("%s|%s", ev->event, ev->summary));
}

Net *link_net_new(const NsLinkParams *p, guint32 seed) {
  Net *net = g_new0(Net, 1);
  net->ctx.timers = ns_timerq_new();
  net->ctx.log = ns_log_new();
  net->ctx.rng = g_rand_new_with_seed(seed);
  ns_nic_init(&net->a, "eth0", "h1", net, 1, link_record_recv);
  ns_nic_init(&net->b, "port1", "sw1", net, 1, link_record_recv);
  net->link = ns_link_new(&net->ctx, &net->a, &net->b, p);
  for (int i = 0; i < 2; i++)
    net->got[i] = g_array_new(FALSE, FALSE, sizeof(Arrival));
  net->events = g_ptr_array_new_with_free_func(g_free);
  return net;
}

void link_net_listen(Net *net) {
  ns_log_add_sink(net->ctx.log, record_event, net->events, NULL);
}

void link_net_free(Net *net) {
  ns_link_free(net->link);
  ns_nic_clear(&net->a);
  ns_nic_clear(&net->b);
  for (int i = 0; i < 2; i++) {
    for (guint k = 0; k < net->got[i]->len; k++)
      ns_frame_unref(g_array_index(net->got[i], Arrival, k).frame);
    g_array_free(net->got[i], TRUE);
  }
  g_ptr_array_free(net->events, TRUE);
  ns_log_free(net->ctx.log);
  g_rand_free(net->ctx.rng);
  ns_timerq_free(net->ctx.timers);
  g_free(net);
}

/* Fires every timer due at or before limit, in order. */
void link_run_until(NsCtx *ctx, NsTime limit) {
  NsTime when;
  while (ns_timerq_peek(ctx->timers, &when) && when <= limit) {
    NsTimer *t = ns_timerq_pop(ctx->timers);
    t->fn(t, t->when, t->data);
  }
}

NsFrame *link_frame(Net *net, gsize len) {
  return ns_ctx_frame_new(&net->ctx, len);
}

Arrival link_got(Net *net, int side, guint i) {
  return g_array_index(net->got[side], Arrival, i);
}

NsLinkParams link_params(NsTime delay, guint64 rate, double loss, guint limit) {
  NsLinkParams p = {
      .delay = delay, .rate_bps = rate, .loss = loss, .queue_limit = limit};
  return p;
}

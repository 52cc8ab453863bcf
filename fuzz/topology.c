/* topology.c — fuzz target: the topology loader.  Any bytes are a topology
 * file: it loads or it says why (an error naming the place), and a loaded
 * one builds, summarises, draws and frees without a leak. */
#include "config/topology.h"
#include "cli/report.h"
#include "cli/show.h"
#include "core/frame.h"
#include "fuzz.h"
#include "sim/network.h"
#include "trace/dot.h"

/* A report rendered as text and dropped. */
static void render(NsReport *r) {
  g_autoptr(GString) text = g_string_new(NULL);
  ns_report_render_text(r, text);
  ns_report_free(r);
}

/* What a user looks at: `show nodes`, `show links`, each node's `show
 * stats` (every kind has them, even a vxlan segment: --dot and show
 * nodes once crashed on one). */
static void show_all(NsNet *net) {
  NsShowSource src = {.net = net};
  render(ns_show_nodes(&src, NULL));
  render(ns_show_links(&src, NULL));
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    render(ns_show_stats(&src, ns_net_node(net, i)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gint64 frames = ns_frame_live_count();
  GError *error = NULL;
  NsTopology *t =
      ns_topology_load_data((const char *)data, (gssize)size, "fuzz", &error);
  if (t == NULL) {
    /* Every refusal says something, in valid UTF-8. */
    if (error == NULL || !g_utf8_validate(error->message, -1, NULL))
      abort();
    g_error_free(error);
    return 0;
  }
  g_free(ns_topology_summary(t));
  g_string_free(ns_dot_format(t), TRUE);
  /* A network of a few thousand nodes is a fair input; building a larger
   * one is the scale benchmark's business, not the fuzzer's. */
  if (t->nodes->len <= 2000) {
    NsNet *net = ns_net_new(t, 1);
    ns_net_run_until(net, NS_SEC);
    show_all(net);
    ns_net_free(net);
  }
  ns_topology_free(t);
  ns_fuzz_no_frame_leak(frames);
  return 0;
}

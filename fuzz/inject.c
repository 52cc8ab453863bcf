/* inject.c — fuzz target: frames injected into a live network.  The
 * two-LAN network (fuzz.h) runs a TCP transfer from h1 to h3's echo
 * service; the input is a list of frames, each put on a link of the
 * fuzzer's choice, in either direction, at a time of its choice:
 *
 *   where (1 byte)  bits 0-4 the link (modulo their number), bit 5 the
 *                   direction, bit 6 "fix the checksums" (IPv4 header and
 *                   TCP/UDP/ICMP), so that frames also get past them
 *   delay (1 byte)  virtual time before it, in 100 µs
 *   length (2 bytes, big-endian, at most 1514), then the frame
 *
 * Whatever they hold, the run ends, nothing leaks, and the network still
 * works afterwards: once ARP caches are flushed and switch tables have
 * aged, h1 pings h3 and gets its answer. */
#include <stdlib.h>
#include <string.h>

#include "config/topology.h"
#include "core/frame.h"
#include "fuzz.h"
#include "sim/network.h"
#include "wire/checksum.h"
#include "wire/ipv4.h"

#define MAX_FRAME 1514
#define MAX_FRAMES 256
#define ETH_HLEN 14

/* The checksum field of an upper-layer protocol, by offset in its header. */
static gsize l4_csum_offset(guint8 proto) {
  switch (proto) {
  case 6:
    return 16; /* TCP */
  case 17:
    return 6; /* UDP */
  case 1:
    return 2; /* ICMP */
  default:
    return 0;
  }
}

/* Makes the IPv4 header checksum and the upper layer's right for what the
 * frame now holds (as far as the frame reaches). */
static void fix_checksums(guint8 *f, gsize n) {
  if (n < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00)
    return;
  guint8 *ip = f + ETH_HLEN;
  gsize avail = n - ETH_HLEN, hlen = (gsize)(ip[0] & 0x0f) * 4;
  if (hlen < 20 || hlen > avail)
    return;
  ns_store16(ip + 10, 0);
  ns_store16(ip + 10, ns_csum_finish(ns_csum_partial(ip, hlen, 0)));
  gsize total = MIN((gsize)ns_load16(ip + 2), avail);
  gsize at = l4_csum_offset(ip[9]), len = total > hlen ? total - hlen : 0;
  if (at == 0 || len < at + 2)
    return;
  guint8 *l4 = ip + hlen;
  ns_store16(l4 + at, 0);
  guint32 sum = ip[9] == 1 ? 0
                           : ns_ipv4_pseudo_partial((NsIp4){ns_load32(ip + 12)},
                                                    (NsIp4){ns_load32(ip + 16)},
                                                    ip[9], (guint16)len);
  ns_store16(l4 + at, ns_csum_finish(ns_csum_partial(l4, len, sum)));
}

/* Puts the input's frames on the links; returns when it runs out. */
static void inject(NsNet *net, const guint8 *p, gsize n) {
  guint64 id = 1u << 30; /* frame ids of their own */
  for (guint count = 0; n >= 4 && count < MAX_FRAMES; count++) {
    guint8 where = p[0];
    NsTime delay = (NsTime)p[1] * 100 * NS_USEC;
    gsize len = MIN(MIN((gsize)ns_load16(p + 2), (gsize)MAX_FRAME), n - 4);
    ns_net_run_until(net, ns_net_now(net) + delay);
    NsNetLink *l = ns_net_link(net, (where & 31) % ns_net_n_links(net));
    NsFrame *f = ns_frame_new_from(p + 4, len, id++);
    if (where & 64)
      fix_checksums(f->data, len);
    ns_nic_send(ns_link_nic(l->link, (where >> 5) & 1), f, ns_net_now(net));
    p += 4 + len;
    n -= 4 + len;
  }
}

/* After the storm: caches flushed, switch tables aged (300 s), one ping
 * from h1 to h3 must come back. */
static void still_works(NsNet *net) {
  ns_net_run_idle(net, ns_net_now(net) + 10 * NS_SEC);
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    if (ns_net_node(net, i)->ip != NULL)
      ns_ipnode_arp_flush(ns_net_node(net, i)->ip);
  ns_net_run_until(net, ns_net_now(net) + 301 * NS_SEC);
  NsPingOptions opts = ns_ping_default_options;
  opts.count = 1;
  NsPing *ping = ns_net_ping(net, ns_net_find(net, "h1"),
                             NS_IP4(192, 168, 2, 10), "h3", &opts);
  ns_net_run_idle(net, ns_net_now(net) + 20 * NS_SEC);
  if (ns_ping_stats(ping)->received != 1) {
    fprintf(stderr, "fuzz: h1 no longer reaches h3\n");
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const NsTopology *topo = ns_fuzz_two_lans_topology();
  gint64 frames = ns_frame_live_count();
  NsNet *net = ns_net_new(topo, 7);
  NsClient *cl = ns_net_client(net, ns_net_find(net, "h1"));
  static guint8 payload[20000];
  if (!ns_client_tcp_connect(cl, NS_IP4(192, 168, 2, 10), 7, 0, NULL) ||
      !ns_client_tcp_send(cl, payload, sizeof payload, 0, NULL))
    abort();
  ns_net_run_until(net, 5 * NS_MSEC);
  inject(net, data, size);
  still_works(net);
  ns_net_free(net);
  ns_fuzz_no_frame_leak(frames);
  return 0;
}

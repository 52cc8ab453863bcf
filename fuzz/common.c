/* common.c — what the fuzz targets share (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>

#include "config/topology.h"
#include "core/frame.h"
#include "fuzz.h"

const char ns_fuzz_two_lans[] =
    "[switch sw1]\n"
    "[switch sw2]\n"
    "[router r1]\n"
    "eth0 = 192.168.1.1/24 @ sw1\n"
    "eth1 = 192.168.2.1/24 @ sw2\n"
    "[host h1]\n"
    "ip = 192.168.1.10/24\n"
    "gateway = 192.168.1.1\n"
    "link = sw1\n"
    "[host h2]\n"
    "ip = 192.168.1.11/24\n"
    "gateway = 192.168.1.1\n"
    "link = sw1\n"
    "[host h3]\n"
    "ip = 192.168.2.10/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n"
    "services = tcp-echo 7; udp-echo 7; tcp-reply 8080 i am server; http 80\n"
    "[host h4]\n"
    "ip = 192.168.2.11/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n";

const NsTopology *ns_fuzz_two_lans_topology(void) {
  static NsTopology *topo;
  if (topo == NULL)
    topo = ns_topology_load_data(ns_fuzz_two_lans, -1, "two_lans", NULL);
  if (topo == NULL)
    abort();
  return topo;
}

void ns_fuzz_no_frame_leak(gint64 before) {
  gint64 now = ns_frame_live_count();
  if (now != before) {
    fprintf(stderr, "fuzz: %" G_GINT64_FORMAT " frames leaked\n", now - before);
    abort();
  }
}

FILE *ns_fuzz_devnull(void) {
  static FILE *null;
  if (null == NULL)
    null = fopen("/dev/null", "w");
  if (null == NULL)
    abort();
  return null;
}

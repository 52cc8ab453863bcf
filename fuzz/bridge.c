/* bridge.c — fuzz target: bytes from outside sockets, through a bridge.
 * The two-LAN network (fuzz.h) gets a bridge br on h1's LAN with three
 * listen rules on 127.0.0.1 (ports the kernel picks): TCP to h3's echo
 * (7), TCP to h3's web server (80), UDP to h3's echo (7).  The clock is
 * fast (virtual time moves only when this target says) on a context of
 * its own; the bridge's real sockets are served by iterating it.  The
 * input is a list of operations by up to four outside clients, on
 * loopback only:
 *
 *   op (1 byte)   bits 0-1 the client, bits 2-4 what it does:
 *                 0 connect (TCP; bit 5 picks the echo or the web rule)
 *                 1 send the next N bytes (N: the byte after op)
 *                 2 shut its writing side (a FIN into the network)
 *                 3 close with a reset (SO_LINGER 0)
 *                 4 close
 *                 5 send the next N bytes as a UDP datagram
 *                 6 let virtual time run N * 10 ms
 *                 7 read and drop whatever came back
 *
 * Whatever they send, the run ends, nothing leaks (frames checked, the
 * rest by ASan) and the bridge still works afterwards: a new outside
 * connection has "hello" echoed through the simulated network, and h1
 * still pings h3. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge/bridge.h"
#include "core/frame.h"
#include "fuzz.h"
#include "sim/clock.h"
#include "sim/network.h"

#define CLIENTS 4
#define MAX_OPS 128
#define ROUNDS 20 /* of a pump: 1 ms of virtual time each */

static const char bridge_section[] =
    "[bridge br]\n"
    "ip = 192.168.1.200/24\n"
    "gateway = 192.168.1.1\n"
    "link = sw1\n"
    "listen = tcp:127.0.0.1:0 -> h3:7; tcp:127.0.0.1:0 -> h3:80; "
    "udp:127.0.0.1:0 -> h3:7\n";

typedef struct {
  NsNet *net;
  GMainContext *context;
  NsClock *clock;
  NsBridges *bridges;
  guint16 port[3]; /* bound: TCP echo, TCP web, UDP echo */
  int tcp[CLIENTS], udp[CLIENTS];
} Fx;

static const NsTopology *topology(void) {
  static NsTopology *topo;
  if (topo == NULL) {
    g_autofree char *text = g_strconcat(ns_fuzz_two_lans, bridge_section, NULL);
    topo = ns_topology_load_data(text, -1, "bridge", NULL);
  }
  if (topo == NULL)
    abort();
  return topo;
}

/* The bridge's sockets served, then 1 ms of virtual time, ROUNDS times
 * (bounded: a pump never waits for the kernel). */
static void pump(Fx *fx, guint rounds) {
  for (guint r = 0; r < rounds; r++) {
    for (guint k = 0; k < 256 && g_main_context_iteration(fx->context, FALSE);
         k++)
      ;
    ns_net_run_until(fx->net, ns_net_now(fx->net) + NS_MSEC);
  }
}

static int outside_socket(int type, guint16 port) {
  int s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s < 0)
    abort();
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons(port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS)
    abort();
  return s;
}

static void close_client(int *s, gboolean reset) {
  if (*s < 0)
    return;
  if (reset) {
    struct linger l = {1, 0};
    setsockopt(*s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  close(*s);
  *s = -1;
}

static void drain(int s) {
  char buf[4096];
  for (guint i = 0; i < 64 && s >= 0 && recv(s, buf, sizeof buf, 0) > 0; i++)
    ;
}

/* One operation (at p, n bytes left); returns the bytes it took. */
static gsize operate(Fx *fx, const guint8 *p, gsize n) {
  guint who = p[0] & 3, what = (p[0] >> 2) & 7;
  gsize len = n >= 2 ? MIN((gsize)p[1], n - 2) : 0;
  int *t = &fx->tcp[who];
  switch (what) {
  case 0:
    if (*t < 0)
      *t = outside_socket(SOCK_STREAM, fx->port[(p[0] >> 5) & 1]);
    return 1;
  case 1:
    if (*t >= 0 && len > 0)
      (void)!send(*t, p + 2, len, MSG_NOSIGNAL);
    return 2 + len;
  case 2:
    if (*t >= 0)
      shutdown(*t, SHUT_WR);
    return 1;
  case 3:
  case 4:
    close_client(t, what == 3);
    return 1;
  case 5:
    if (fx->udp[who] < 0)
      fx->udp[who] = outside_socket(SOCK_DGRAM, fx->port[2]);
    (void)!send(fx->udp[who], p + 2, len, MSG_NOSIGNAL);
    return 2 + len;
  case 6:
    pump(fx, n >= 2 ? (guint)p[1] * 10 : 10);
    return 2;
  default:
    drain(*t);
    drain(fx->udp[who]);
    return 1;
  }
}

/* A new connection through the echo rule gets its bytes back. */
static void still_works(Fx *fx) {
  int s = outside_socket(SOCK_STREAM, fx->port[0]);
  pump(fx, ROUNDS);
  if (send(s, "hello", 5, MSG_NOSIGNAL) != 5)
    abort();
  char got[8];
  gsize have = 0;
  for (guint i = 0; i < 200 && have < 5; i++) {
    pump(fx, 1);
    ssize_t k = recv(s, got + have, sizeof got - have, 0);
    if (k > 0)
      have += (gsize)k;
  }
  close_client(&s, FALSE);
  if (have != 5 || memcmp(got, "hello", 5) != 0) {
    fprintf(stderr, "fuzz: the bridge no longer relays\n");
    abort();
  }
  NsPingOptions opts = ns_ping_default_options;
  opts.count = 1;
  NsPing *ping = ns_net_ping(fx->net, ns_net_find(fx->net, "h1"),
                             NS_IP4(192, 168, 2, 10), "h3", &opts);
  ns_net_run_idle(fx->net, ns_net_now(fx->net) + 20 * NS_SEC);
  if (ns_ping_stats(ping)->received != 1) {
    fprintf(stderr, "fuzz: h1 no longer reaches h3\n");
    abort();
  }
}

static void fx_open(Fx *fx) {
  fx->net = ns_net_new(topology(), 7);
  fx->context = g_main_context_new();
  fx->clock = ns_clock_new(fx->net, NS_CLOCK_FAST, fx->context);
  fx->bridges = ns_bridges_new(fx->net, fx->clock, topology(), NULL);
  if (fx->bridges == NULL)
    abort();
  NsBridge *br = ns_bridges_find(fx->bridges, "br");
  for (guint i = 0; i < 3; i++) {
    NsBridgeRuleInfo info;
    ns_bridge_rule_info(br, i, &info);
    fx->port[i] = info.bound_port;
  }
  for (guint i = 0; i < CLIENTS; i++)
    fx->tcp[i] = fx->udp[i] = -1;
}

static void fx_close(Fx *fx) {
  for (guint i = 0; i < CLIENTS; i++) {
    close_client(&fx->tcp[i], FALSE);
    close_client(&fx->udp[i], FALSE);
  }
  pump(fx, ROUNDS);
  ns_bridges_free(fx->bridges);
  ns_clock_free(fx->clock);
  g_main_context_unref(fx->context);
  ns_net_free(fx->net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gint64 frames = ns_frame_live_count();
  Fx fx;
  fx_open(&fx);
  for (guint ops = 0; size > 0 && ops < MAX_OPS; ops++) {
    gsize took = MIN(operate(&fx, data, size), size);
    data += took;
    size -= took;
    pump(&fx, 2);
  }
  pump(&fx, ROUNDS);
  still_works(&fx);
  fx_close(&fx);
  ns_fuzz_no_frame_leak(frames);
  return 0;
}

/* bench.c — how fast netsim runs, measured, never asserted.
 *
 * Two workloads, each generated as topology text in memory, loaded with
 * ns_topology_load_data(), built with ns_net_new() and run in fast mode
 * with logging off (no sink on the net's log, so no event is formatted):
 *
 *  two_lans  two switches of 16 hosts each joined by one router; every host
 *            pings its partner on the other LAN (h1 <-> h17, ...) N times,
 *            1 ms apart, all 32 pings running together.  The steady-state
 *            forwarding path: switch lookups, ARP hits, routing, ICMP echo.
 *  scale     100 switches of 100 hosts (10,000 hosts), each switch a /24
 *            behind one interface of a single router; every host pings one
 *            host in the next LAN once.  Cold caches everywhere: ARP
 *            broadcasts flooded by every switch, FDB learning, and the cost
 *            of loading and building a big network.
 *
 * Figures (one human-readable line each, then one "BENCH" line per workload
 * for scripts):
 *   frame-hops  frames handed to a NIC by a link, summed over every link and
 *               both directions (NsLinkDirStats.delivered);
 *   events      timers fired by the scheduler (NsSched.events);
 *   peak RSS    getrusage() ru_maxrss, the whole process so far;
 *   bytes/host  (current RSS after build - current RSS before loading) /
 *               hosts, current RSS from /proc/self/statm.
 * Rates divide by wall time of the run phase only (monotonic clock).
 *
 * Correctness is checked, speed is not: every ping must get every reply,
 * otherwise the program prints what went wrong and exits 1.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config/topology.h"
#include "core/hugepages.h"
#include "sim/network.h"

/* ---- measuring ----------------------------------------------------------- */

static double wall_seconds(void) {
  return (double)g_get_monotonic_time() / (double)G_USEC_PER_SEC;
}

/* Current resident set in KiB, 0 if /proc is not there. */
static guint64 rss_now_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL)
    return 0;
  unsigned long size = 0, resident = 0;
  int n = fscanf(f, "%lu %lu", &size, &resident);
  fclose(f);
  if (n != 2)
    return 0;
  return (guint64)resident * (guint64)sysconf(_SC_PAGESIZE) / 1024;
}

/* Peak resident set of the process so far, in KiB (Linux reports KiB). */
static guint64 rss_peak_kib(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    return 0;
  return (guint64)ru.ru_maxrss;
}

static guint64 frame_hops(NsNet *net) {
  guint64 sum = 0;
  for (guint i = 0; i < ns_net_n_links(net); i++) {
    NsLink *l = ns_net_link(net, i)->link;
    sum += ns_link_stats(l, 0).delivered + ns_link_stats(l, 1).delivered;
  }
  return sum;
}

static guint64 frame_drops(NsNet *net) {
  guint64 sum = 0;
  for (guint i = 0; i < ns_net_n_links(net); i++) {
    NsLink *l = ns_net_link(net, i)->link;
    for (guint side = 0; side < 2; side++)
      for (guint r = 0; r < NS_DROP_N_REASONS; r++)
        sum += ns_link_stats(l, side).drops[r];
  }
  return sum;
}

/* ---- printing ------------------------------------------------------------ */

/* 2560000 -> "2,560,000" */
static const char *grouped(guint64 v, char buf[32]) {
  char digits[24];
  int n = g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, v);
  int o = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

/* 6210000.0 -> "6.21 M" */
static const char *scaled(double v, char buf[32]) {
  if (v >= 1e9)
    g_snprintf(buf, 32, "%.2f G", v / 1e9);
  else if (v >= 1e6)
    g_snprintf(buf, 32, "%.2f M", v / 1e6);
  else if (v >= 1e3)
    g_snprintf(buf, 32, "%.2f k", v / 1e3);
  else
    g_snprintf(buf, 32, "%.2f", v);
  return buf;
}

static double per_second(guint64 n, double seconds) {
  return seconds > 0 ? (double)n / seconds : 0.0;
}

/* The figures both workloads share, after a run of `seconds`. */
typedef struct {
  guint64 hops, events, drops, peak_kib;
  double seconds;
} RunFigures;

static RunFigures run_figures(NsNet *net, double seconds) {
  RunFigures f = {frame_hops(net), ns_net_sched(net)->events, frame_drops(net),
                  rss_peak_kib(), seconds};
  return f;
}

static void print_run_figures(const char *name, const RunFigures *f) {
  char a[32], b[32];
  printf("%s: run %.3f s\n", name, f->seconds);
  printf("%s: %s frame-hops in %.3f s = %s frame-hops/s\n", name,
         grouped(f->hops, a), f->seconds,
         scaled(per_second(f->hops, f->seconds), b));
  printf("%s: %s events in %.3f s = %s events/s\n", name, grouped(f->events, a),
         f->seconds, scaled(per_second(f->events, f->seconds), b));
  printf("%s: %s frames dropped by links\n", name, grouped(f->drops, a));
  printf("%s: peak RSS %s KiB\n", name, grouped(f->peak_kib, a));
}

/* ---- loading ------------------------------------------------------------- */

static NsTopology *load_or_die(const GString *text, const char *source) {
  g_autoptr(GError) error = NULL;
  NsTopology *t =
      ns_topology_load_data(text->str, (gssize)text->len, source, &error);
  if (t == NULL) {
    /* A generator bug, not a measurement: say so loudly. */
    fprintf(stderr, "bench: generated topology rejected: %s\n", error->message);
    return NULL;
  }
  return t;
}

/* Every ping in pings finished with count replies and no error. */
static gboolean pings_all_answered(const char *name, GPtrArray *pings,
                                   guint count) {
  guint64 tx = 0, rx = 0, errors = 0;
  guint bad = 0, not_done = 0;
  for (guint i = 0; i < pings->len; i++) {
    const NsPingStats *st = ns_ping_stats(g_ptr_array_index(pings, i));
    tx += st->transmitted;
    rx += st->received;
    errors += st->errors;
    if (!st->done)
      not_done++;
    if (st->transmitted != count || st->received != count || st->errors != 0)
      bad++;
  }
  char a[32], b[32], c[32], d[32];
  printf("%s: %s pings, %s/%s replies received/transmitted, %s errors\n", name,
         grouped(pings->len, a), grouped(rx, b), grouped(tx, c),
         grouped(errors, d));
  if (bad > 0 || not_done > 0) {
    printf("%s: FAIL: %u pings incomplete, %u not done (expected %u of %u "
           "each)\n",
           name, bad, not_done, count, count);
    return FALSE;
  }
  return TRUE;
}

/* ---- two_lans ------------------------------------------------------------ */

#define TWO_LANS_HOSTS 16 /* per LAN */

static GString *two_lans_text(void) {
  GString *s = g_string_new("# bench two_lans: generated in memory\n"
                            "[switch sw1]\n[switch sw2]\n\n"
                            "[router r1]\n"
                            "eth0 = 192.168.1.1/24 @ sw1\n"
                            "eth1 = 192.168.2.1/24 @ sw2\n");
  for (guint lan = 0; lan < 2; lan++)
    for (guint i = 0; i < TWO_LANS_HOSTS; i++)
      g_string_append_printf(s,
                             "\n[host h%u]\n"
                             "ip = 192.168.%u.%u/24\n"
                             "gateway = 192.168.%u.1\n"
                             "link = sw%u\n",
                             lan * TWO_LANS_HOSTS + i + 1, lan + 1, 10 + i,
                             lan + 1, lan + 1);
  return s;
}

static gboolean bench_two_lans(guint count) {
  const char *name = "two_lans";
  g_autoptr(GString) text = two_lans_text();
  g_autoptr(NsTopology) topo = load_or_die(text, "<bench two_lans>");
  if (topo == NULL)
    return FALSE;
  NsNet *net = ns_net_new(topo, 1);

  NsPingOptions o = ns_ping_default_options;
  o.count = count;
  o.interval = NS_MSEC;
  o.timeout = NS_SEC;
  g_autoptr(GPtrArray) pings = g_ptr_array_new();
  for (guint i = 0; i < 2 * TWO_LANS_HOSTS; i++) {
    guint partner = (i + TWO_LANS_HOSTS) % (2 * TWO_LANS_HOSTS);
    NsIp4 dst = NS_IP4(192, 168, partner / TWO_LANS_HOSTS + 1,
                       10 + partner % TWO_LANS_HOSTS);
    char me[16], who[16];
    g_snprintf(me, sizeof me, "h%u", i + 1);
    g_snprintf(who, sizeof who, "h%u", partner + 1);
    NsNetNode *src = ns_net_find(net, me);
    g_assert(src != NULL); /* the generator named it */
    g_ptr_array_add(pings, ns_net_ping(net, src, dst, who, &o));
  }
  /* Every request is sent by count * interval; a last timeout after. */
  NsTime limit = ns_net_now(net) + (NsTime)count * o.interval + 60 * NS_SEC;

  double t0 = wall_seconds();
  ns_net_run_idle(net, limit);
  double t1 = wall_seconds();

  RunFigures f = run_figures(net, t1 - t0);
  char a[32];
  printf("%s: 2 LANs x %u hosts, %u pings of %s requests each, interval 1 "
         "ms, virtual time %.3f s\n",
         name, TWO_LANS_HOSTS, pings->len, grouped(count, a),
         (double)ns_net_now(net) / NS_SEC);
  gboolean ok = pings_all_answered(name, pings, count);
  print_run_figures(name, &f);
  printf("BENCH %s hosts=%u pings=%u count=%u wall_s=%.6f "
         "frame_hops=%" G_GUINT64_FORMAT
         " hops_per_s=%.0f events=%" G_GUINT64_FORMAT
         " events_per_s=%.0f rss_kib=%" G_GUINT64_FORMAT " ok=%d\n",
         name, 2 * TWO_LANS_HOSTS, pings->len, count, f.seconds, f.hops,
         per_second(f.hops, f.seconds), f.events,
         per_second(f.events, f.seconds), f.peak_kib, ok ? 1 : 0);
  ns_net_free(net);
  return ok;
}

/* ---- scale --------------------------------------------------------------- */

/* LAN k (0-based) is 10.0.k.0/24 on switch s<k>, gateway 10.0.k.1 on the
 * router's eth<k>; its hosts are 10.0.k.10, .11, ... */
static GString *scale_text(guint lans, guint per_lan) {
  GString *s = g_string_sized_new((gsize)lans * per_lan * 96 + 4096);
  g_string_append(s, "# bench scale: generated in memory\n");
  for (guint k = 0; k < lans; k++)
    g_string_append_printf(s, "[switch s%u]\n", k);
  g_string_append(s, "\n[router r1]\n");
  for (guint k = 0; k < lans; k++)
    g_string_append_printf(s, "eth%u = 10.0.%u.1/24 @ s%u\n", k, k, k);
  for (guint k = 0; k < lans; k++)
    for (guint j = 0; j < per_lan; j++)
      g_string_append_printf(s,
                             "\n[host h%u_%u]\n"
                             "ip = 10.0.%u.%u/24\n"
                             "gateway = 10.0.%u.1\n"
                             "link = s%u\n",
                             k, j, k, 10 + j, k, k);
  return s;
}

/* Requests are started this far apart (in the order j-th host of every LAN,
 * then the next j), so that no link queue sees 100 ARP broadcasts in the
 * same instant: each LAN gets one new ping per lans * SCALE_STAGGER. */
#define SCALE_STAGGER (10 * NS_USEC)

static gboolean bench_scale(guint lans, guint per_lan) {
  const char *name = "scale";
  guint hosts = lans * per_lan;
  char a[32], b[32], c[32];

  guint64 rss0 = rss_now_kib();
  double t0 = wall_seconds();
  g_autoptr(GString) text = scale_text(lans, per_lan);
  double t1 = wall_seconds();
  g_autoptr(NsTopology) topo = load_or_die(text, "<bench scale>");
  if (topo == NULL)
    return FALSE;
  double t2 = wall_seconds();
  guint64 rss_loaded = rss_now_kib();
  NsNet *net = ns_net_new(topo, 1);
  double t3 = wall_seconds();
  guint64 rss_built = rss_now_kib();

  printf("%s: %u LANs x %u hosts = %s hosts, %u switches, 1 router with %u "
         "interfaces, %s bytes of topology text\n",
         name, lans, per_lan, grouped(hosts, a), lans, lans,
         grouped(text->len, b));
  printf("%s: generate topology text %.3f s\n", name, t1 - t0);
  printf("%s: load (ns_topology_load_data) %.3f s\n", name, t2 - t1);
  printf("%s: build (ns_net_new) %.3f s\n", name, t3 - t2);
  double per_host = hosts > 0 && rss_built > rss0
                        ? (double)(rss_built - rss0) * 1024.0 / hosts
                        : 0.0;
  double net_per_host = hosts > 0 && rss_built > rss_loaded
                            ? (double)(rss_built - rss_loaded) * 1024.0 / hosts
                            : 0.0;
  printf("%s: RSS before load %s KiB, after load %s KiB, after build %s KiB\n",
         name, grouped(rss0, a), grouped(rss_loaded, b), grouped(rss_built, c));
  printf("%s: %.0f bytes per host (text + topology + network), %.0f bytes "
         "per host (network alone)\n",
         name, per_host, net_per_host);

  NsPingOptions o = ns_ping_default_options;
  o.count = 1;
  o.timeout = NS_SEC;
  g_autoptr(GPtrArray) pings = g_ptr_array_sized_new(hosts);

  double t4 = wall_seconds();
  NsTime start = ns_net_now(net);
  guint started = 0;
  for (guint j = 0; j < per_lan; j++) {
    for (guint k = 0; k < lans; k++) {
      guint to = (k + 1) % lans;
      NsIp4 dst = NS_IP4(10, 0, to, 10 + j);
      ns_net_run_until(net, start + (NsTime)started * SCALE_STAGGER);
      char me[24];
      g_snprintf(me, sizeof me, "h%u_%u", k, j);
      NsNetNode *src = ns_net_find(net, me);
      g_assert(src != NULL);
      g_ptr_array_add(pings, ns_net_ping(net, src, dst, NULL, &o));
      started++;
    }
  }
  ns_net_run_idle(net, ns_net_now(net) + 60 * NS_SEC);
  double t5 = wall_seconds();

  RunFigures f = run_figures(net, t5 - t4);
  printf("%s: pings started %" G_GUINT64_FORMAT " us apart, virtual time "
         "%.3f s\n",
         name, (guint64)(SCALE_STAGGER / NS_USEC),
         (double)ns_net_now(net) / NS_SEC);
  gboolean ok = pings_all_answered(name, pings, 1);
  print_run_figures(name, &f);
  printf("BENCH %s hosts=%u gen_s=%.6f load_s=%.6f build_s=%.6f run_s=%.6f "
         "frame_hops=%" G_GUINT64_FORMAT
         " hops_per_s=%.0f events=%" G_GUINT64_FORMAT
         " events_per_s=%.0f rss_kib=%" G_GUINT64_FORMAT
         " bytes_per_host=%.0f net_bytes_per_host=%.0f ok=%d\n",
         name, hosts, t1 - t0, t2 - t1, t3 - t2, f.seconds, f.hops,
         per_second(f.hops, f.seconds), f.events,
         per_second(f.events, f.seconds), f.peak_kib, per_host, net_per_host,
         ok ? 1 : 0);
  ns_net_free(net);
  return ok;
}

/* ---- gateway: N hosts, each pinging its own gateway once --------------------
 *
 * The scale table's network (bench/run.sh scale): one router r1 with one
 * interface per switch; switch s<k> holds up to `per_switch` hosts.  LAN k
 * is 10.a.b.0/24 with a.b = k / 256 . k % 256, its gateway 10.a.b.1 is the
 * router's eth<k>, and its hosts are 10.a.b.2, .3, ...  Host h<i> sits on
 * LAN i / per_switch.  The same text is what `bench gen` prints, so the
 * table's --check column reads exactly the network the run builds. */

#define GATEWAY_PER_SWITCH_MAX 253 /* .2 .. .254 */
#define GATEWAY_HOST_BYTES 72      /* about, of topology text per host */

static GString *gateway_text(guint hosts, guint per_switch) {
  guint lans = (hosts + per_switch - 1) / per_switch;
  GString *s = g_string_sized_new((gsize)hosts * GATEWAY_HOST_BYTES +
                                  (gsize)lans * 64 + 256);
  g_string_append_printf(s,
                         "# bench gateway: %u hosts, %u per switch, one "
                         "router; generated by bench/bench.c\n",
                         hosts, per_switch);
  for (guint k = 0; k < lans; k++)
    g_string_append_printf(s, "[switch s%u]\n", k);
  g_string_append(s, "\n[router r1]\n");
  for (guint k = 0; k < lans; k++)
    g_string_append_printf(s, "eth%u = 10.%u.%u.1/24 @ s%u\n", k, k / 256,
                           k % 256, k);
  for (guint i = 0; i < hosts; i++) {
    guint k = i / per_switch, j = i % per_switch;
    g_string_append_printf(s,
                           "\n[host h%u]\nip = 10.%u.%u.%u/24\n"
                           "gateway = 10.%u.%u.1\nlink = s%u\n",
                           i, k / 256, k % 256, j + 2, k / 256, k % 256, k);
  }
  return s;
}

/* Host j of every LAN starts its ping at j * GATEWAY_STAGGER: each LAN
 * sees one new ARP broadcast per stagger, longer than a frame takes on the
 * default link (100 Mbit/s), so no router port's queue overflows and every
 * ping is answered.  LANs run side by side, as their links are separate. */
#define GATEWAY_STAGGER (20 * NS_USEC)

/* Ping every host's gateway once; returns the pings (owned by the net). */
static GPtrArray *gateway_pings(NsNet *net, guint hosts, guint per_switch) {
  guint lans = (hosts + per_switch - 1) / per_switch;
  NsPingOptions o = ns_ping_default_options;
  o.count = 1;
  o.timeout = NS_SEC;
  GPtrArray *pings = g_ptr_array_sized_new(hosts);
  NsTime start = ns_net_now(net);
  for (guint j = 0; j < per_switch; j++) {
    ns_net_run_until(net, start + (NsTime)j * GATEWAY_STAGGER);
    for (guint k = 0; k < lans; k++) {
      guint i = k * per_switch + j;
      if (i >= hosts)
        continue;
      char me[24];
      g_snprintf(me, sizeof me, "h%u", i);
      NsNetNode *src = ns_net_find(net, me);
      g_assert(src != NULL); /* the generator named it */
      g_ptr_array_add(
          pings,
          ns_net_ping(net, src, NS_IP4(10, k / 256, k % 256, 1), NULL, &o));
    }
  }
  return pings;
}

/* What building the gateway network took. */
typedef struct {
  guint64 rss0; /* KiB before generating the text */
  double load_s, summary_s, build_s;
} BuildFigures;

/* The gateway network generated, loaded, summarized (as --check does) and
 * built, as netsim does with a file: the text is freed once loaded, as
 * ns_topology_load_file frees the file it read; the topology is *topo,
 * the caller's to free (netsim frees it once the net is built, unless it
 * has bridges).  NULL if it did not load. */
static NsNet *gateway_built(guint hosts, guint per_switch, const char *source,
                            NsTopology **topo, BuildFigures *b) {
  b->rss0 = rss_now_kib();
  g_autoptr(GString) text = gateway_text(hosts, per_switch);
  double t0 = wall_seconds();
  *topo = load_or_die(text, source);
  if (*topo == NULL)
    return NULL;
  g_string_free(g_steal_pointer(&text), TRUE);
  double t1 = wall_seconds();
  g_free(ns_topology_summary(*topo)); /* written, then dropped */
  double t2 = wall_seconds();
  NsNet *net = ns_net_new(*topo, 1);
  b->load_s = t1 - t0;
  b->summary_s = t2 - t1;
  b->build_s = wall_seconds() - t2;
  return net;
}

/* The gateway network built, never run: what a million hosts cost before
 * the first frame. */
static gboolean bench_load(guint hosts, guint per_switch) {
  BuildFigures b;
  g_autoptr(NsTopology) topo = NULL;
  NsNet *net = gateway_built(hosts, per_switch, "<bench load>", &topo, &b);
  if (net == NULL)
    return FALSE;
  guint64 peak = rss_peak_kib();
  double per_host =
      peak > b.rss0 ? (double)(peak - b.rss0) * 1024.0 / hosts : 0;
  printf("BENCH load hosts=%u per_switch=%u load_s=%.6f summary_s=%.6f "
         "build_s=%.6f rss_kib=%" G_GUINT64_FORMAT
         " base_kib=%" G_GUINT64_FORMAT " bytes_per_host=%.0f\n",
         hosts, per_switch, b.load_s, b.summary_s, b.build_s, peak, b.rss0,
         per_host);
  ns_net_free(net);
  return TRUE;
}

static gboolean bench_gateway(guint hosts, guint per_switch) {
  const char *name = "gateway";
  BuildFigures b;
  g_autoptr(NsTopology) topo = NULL;
  NsNet *net = gateway_built(hosts, per_switch, "<bench gateway>", &topo, &b);
  if (net == NULL)
    return FALSE;
  /* As netsim does once the net is built (no bridges here). */
  g_clear_pointer(&topo, ns_topology_free);
  double t0 = wall_seconds();
  g_autoptr(GPtrArray) pings = gateway_pings(net, hosts, per_switch);
  ns_net_run_idle(net, ns_net_now(net) + 60 * NS_SEC);
  RunFigures f = run_figures(net, wall_seconds() - t0);
  /* Bytes per host: the whole process's peak (topology text while it is
   * loaded, topology while the net is built, network) less what it held
   * before generating. */
  double per_host = f.peak_kib > b.rss0
                        ? (double)(f.peak_kib - b.rss0) * 1024.0 / hosts
                        : 0.0;
  char a[32];
  printf("%s: %s hosts, %u per switch; load %.3f s, summary %.3f s, build "
         "%.3f s, run %.3f s, virtual time %.3f s\n",
         name, grouped(hosts, a), per_switch, b.load_s, b.summary_s, b.build_s,
         f.seconds, (double)ns_net_now(net) / NS_SEC);
  gboolean ok = pings_all_answered(name, pings, 1);
  print_run_figures(name, &f);
  printf("BENCH %s hosts=%u per_switch=%u load_s=%.6f summary_s=%.6f "
         "build_s=%.6f run_s=%.6f frame_hops=%" G_GUINT64_FORMAT
         " events=%" G_GUINT64_FORMAT " rss_kib=%" G_GUINT64_FORMAT
         " base_kib=%" G_GUINT64_FORMAT " bytes_per_host=%.0f ok=%d\n",
         name, hosts, per_switch, b.load_s, b.summary_s, b.build_s, f.seconds,
         f.hops, f.events, f.peak_kib, b.rss0, per_host, ok ? 1 : 0);
  ns_net_free(net);
  return ok;
}

/* ---- tcp: a bulk transfer across the router ---------------------------------
 */

/* The sender's side: a pattern pushed as fast as the send buffer drains.
 * The pattern repeats every 251 bytes (a prime, so it never lines up with
 * segment sizes), precomputed once: the benchmark measures the network,
 * not the making of data. */
#define BULK_PERIOD 251
typedef struct {
  NsTcpConn *c;
  guint64 total, sent;
  guint8 pattern[65536 + BULK_PERIOD];
} BulkSender;

/* The receiver's side: reads everything, checks the pattern, counts. */
typedef struct {
  const guint8 *pattern; /* the sender's */
  guint64 got;
  gboolean corrupt, eof;
} BulkSink;

static void bulk_feed(BulkSender *s, NsTime now) {
  while (s->sent < s->total) {
    gsize n = (gsize)MIN(65536, s->total - s->sent);
    gsize took = ns_tcp_send(s->c, s->pattern + s->sent % BULK_PERIOD, n, now);
    s->sent += took;
    if (took < n)
      return; /* the writable callback resumes */
  }
  ns_tcp_close(s->c, now);
}

static void bulk_writable(NsTcpConn *c, NsTime now, gpointer data) {
  (void)c;
  bulk_feed(data, now);
}

static void bulk_readable(NsTcpConn *c, NsTime now, gpointer data) {
  BulkSink *k = data;
  guint8 buf[16384];
  gsize n;
  while ((n = ns_tcp_recv(c, buf, sizeof buf, now)) > 0) {
    if (memcmp(buf, k->pattern + k->got % BULK_PERIOD, n) != 0)
      k->corrupt = TRUE;
    k->got += n;
  }
  if (ns_tcp_eof(c) && !k->eof) {
    k->eof = TRUE;
    ns_tcp_close(c, now);
  }
}

static void bulk_accept(NsTcpListener *l, NsTcpConn *c, NsTime now,
                        gpointer data) {
  (void)l;
  NsTcpCallbacks cb = {NULL, bulk_readable, NULL, NULL, data};
  ns_tcp_set_callbacks(c, &cb);
  bulk_readable(c, now, data);
}

static gboolean bench_tcp(guint mib, double loss) {
  const char *name = loss > 0 ? "tcp_lossy" : "tcp";
  g_autoptr(GString) text = g_string_new(
      "# bench tcp: generated in memory\n"
      "[switch sw1]\n[switch sw2]\n\n"
      "[router r1]\neth0 = 192.168.1.1/24 @ sw1\neth1 = 192.168.2.1/24 @ sw2\n"
      "\n[host h1]\nip = 192.168.1.10/24\ngateway = 192.168.1.1\n");
  g_string_append_printf(text, "link = sw1 loss=%g\n", loss);
  g_string_append(text, "\n[host h3]\nip = 192.168.2.10/24\n"
                        "gateway = 192.168.2.1\nlink = sw2\n");
  g_autoptr(NsTopology) topo = load_or_die(text, "<bench tcp>");
  if (topo == NULL)
    return FALSE;
  NsNet *net = ns_net_new(topo, 1);
  NsNetNode *h1 = ns_net_find(net, "h1"), *h3 = ns_net_find(net, "h3");
  BulkSink sink = {0};
  BulkSender *snd = g_new0(BulkSender, 1);
  snd->total = (guint64)mib << 20;
  for (gsize i = 0; i < sizeof snd->pattern; i++)
    snd->pattern[i] = (guint8)(i % BULK_PERIOD);
  sink.pattern = snd->pattern;
  ns_tcp_listen(ns_net_node_tcp(h3), 5001, bulk_accept, &sink, NULL);
  NsTcpCallbacks cb = {NULL, NULL, bulk_writable, NULL, snd};
  snd->c = ns_tcp_connect(ns_net_node_tcp(h1), NS_IP4(192, 168, 2, 10), 5001, 0,
                          &cb, ns_net_now(net), NULL);
  bulk_feed(snd, ns_net_now(net));

  double t0 = wall_seconds();
  /* Bounded: the transfer ends, or TCP gives up, well before a day. */
  NsTime limit = ns_net_now(net) + 24 * 3600 * NS_SEC;
  while (!sink.eof && ns_sched_step(ns_net_sched(net), limit))
    ;
  double t1 = wall_seconds();

  RunFigures f = run_figures(net, t1 - t0);
  NsTcpInfo info;
  ns_tcp_info(snd->c, &info);
  gboolean ok = sink.eof && !sink.corrupt && sink.got == snd->total;
  char a[32], b[32];
  printf("%s: %u MiB h1 -> r1 -> h3, loss %g%% on h1's link, virtual time "
         "%.3f s, %" G_GUINT64_FORMAT " retransmits (%" G_GUINT64_FORMAT
         " timeouts, %" G_GUINT64_FORMAT " fast)\n",
         name, mib, loss * 100, (double)ns_net_now(net) / NS_SEC,
         info.retransmits, info.timeouts, info.fast_retransmits);
  printf("%s: %s bytes in %.3f s = %sB/s simulated per wall second "
         "(%.1f MB/s virtual goodput)\n",
         name, grouped(sink.got, a), f.seconds,
         scaled(per_second(sink.got, f.seconds), b),
         (double)sink.got / ((double)ns_net_now(net) / NS_SEC) / 1e6);
  if (!ok)
    printf("%s: FAILED: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
           " bytes arrived%s\n",
           name, sink.got, snd->total, sink.corrupt ? ", corrupted" : "");
  print_run_figures(name, &f);
  printf("BENCH %s mib=%u loss=%g wall_s=%.6f bytes=%" G_GUINT64_FORMAT
         " bytes_per_s=%.0f frame_hops=%" G_GUINT64_FORMAT
         " hops_per_s=%.0f events=%" G_GUINT64_FORMAT
         " events_per_s=%.0f retransmits=%" G_GUINT64_FORMAT
         " rss_kib=%" G_GUINT64_FORMAT " ok=%d\n",
         name, mib, loss, f.seconds, sink.got, per_second(sink.got, f.seconds),
         f.hops, per_second(f.hops, f.seconds), f.events,
         per_second(f.events, f.seconds), info.retransmits, f.peak_kib,
         ok ? 1 : 0);
  ns_net_free(net);
  g_free(snd);
  return ok;
}

/* ---- shapes -------------------------------------------------------------- */

/* Networks that grow in one direction only, where a walk of what was
 * loaded so far per item made loading quadratic: one router with n
 * interfaces, each to a host of its own /30; and n switches in a line
 * with a host at each end. */
static GString *router_text(guint n) {
  GString *s = g_string_new("# bench shapes: one router, a host per port\n"
                            "[router r1]\n");
  for (guint k = 0; k < n; k++) {
    guint a = 4 * k;
    g_string_append_printf(s, "eth%u = 10.%u.%u.%u/30\n", k, a >> 16 & 255,
                           a >> 8 & 255, (a & 255) + 1);
  }
  for (guint k = 0; k < n; k++) {
    guint a = 4 * k;
    g_string_append_printf(s,
                           "[host h%u]\nip = 10.%u.%u.%u/30\n"
                           "gateway = 10.%u.%u.%u\nlink = r1:eth%u\n",
                           k, a >> 16 & 255, a >> 8 & 255, (a & 255) + 2,
                           a >> 16 & 255, a >> 8 & 255, (a & 255) + 1, k);
  }
  return s;
}

static GString *chain_text(guint n) {
  GString *s = g_string_new("# bench shapes: switches in a line\n");
  for (guint k = 0; k < n; k++) {
    g_string_append_printf(s, "[switch s%u]\n", k);
    if (k + 1 < n)
      g_string_append_printf(s, "link = s%u\n", k + 1);
  }
  g_string_append_printf(s,
                         "[host a]\nip = 10.0.0.1/8\nlink = s0\n"
                         "[host b]\nip = 10.0.0.2/8\nlink = s%u\n",
                         n - 1);
  return s;
}

/* Loads (what --check does: load and summary) and builds each shape at
 * largest/64, /16, /4 and largest items: the time an item should stay
 * flat down a column. */
static gboolean bench_shapes(guint largest) {
  static const struct {
    const char *name;
    GString *(*text)(guint n);
  } shapes[] = {{"router", router_text}, {"chain", chain_text}};
  printf("%-8s %9s %10s %10s %10s %14s\n", "shape", "items", "load_s",
         "summary_s", "build_s", "us_per_item");
  for (guint s = 0; s < G_N_ELEMENTS(shapes); s++)
    for (guint div = 64; div >= 1; div /= 4) {
      guint n = MAX(largest / div, 2u);
      g_autoptr(GString) text = shapes[s].text(n);
      double t0 = wall_seconds();
      g_autoptr(NsTopology) topo = load_or_die(text, "<bench shapes>");
      if (topo == NULL)
        return FALSE;
      double t1 = wall_seconds();
      g_free(ns_topology_summary(topo));
      double t2 = wall_seconds();
      NsNet *net = ns_net_new(topo, 1);
      double t3 = wall_seconds();
      ns_net_free(net);
      printf("%-8s %9u %10.3f %10.3f %10.3f %14.2f\n", shapes[s].name, n,
             t1 - t0, t2 - t1, t3 - t2, (t3 - t0) * 1e6 / n);
      printf("BENCH shapes shape=%s items=%u load_s=%.6f summary_s=%.6f "
             "build_s=%.6f us_per_item=%.3f\n",
             shapes[s].name, n, t1 - t0, t2 - t1, t3 - t2, (t3 - t0) * 1e6 / n);
    }
  return TRUE;
}

/* ---- command line -------------------------------------------------------- */

int main(int argc, char **argv) {
  gint pings = 10000, lans = 100, per_lan = 100, mib = 64, lossy_mib = 16;
  gint hosts = 10000, per_switch = 250;
  GOptionEntry entries[] = {
      {"pings", 'n', 0, G_OPTION_ARG_INT, &pings,
       "two_lans: echo requests per ping (1-65535, default 10000)", "N"},
      {"lans", 0, 0, G_OPTION_ARG_INT, &lans,
       "scale: number of LANs (2-250, default 100)", "N"},
      {"per-lan", 0, 0, G_OPTION_ARG_INT, &per_lan,
       "scale: hosts per LAN (1-200, default 100)", "N"},
      {"mib", 0, 0, G_OPTION_ARG_INT, &mib,
       "tcp: MiB to transfer without loss (1-4096, default 64)", "N"},
      {"lossy-mib", 0, 0, G_OPTION_ARG_INT, &lossy_mib,
       "tcp: MiB to transfer with 1% loss (1-4096, default 16)", "N"},
      {"hosts", 0, 0, G_OPTION_ARG_INT, &hosts,
       "gateway, gen, load: hosts (1-4000000, default 10000); shapes: the "
       "largest router's interfaces and chain's switches (default 10000)",
       "N"},
      {"per-switch", 0, 0, G_OPTION_ARG_INT, &per_switch,
       "gateway, gen, load: hosts per switch (1-253, default 250)", "N"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  /* Parsing takes options out of argv: a restart needs them all. */
  g_auto(GStrv) args = g_strdupv(argv);
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("[two_lans|scale|tcp|all|gateway|gen|load|shapes] - "
                           "netsim benchmark");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "bench: %s\n", error->message);
    return 2;
  }
  const char *which = argc > 1 ? argv[1] : "all";
  if (hosts < 1 || hosts > 4000000 || per_switch < 1 ||
      per_switch > GATEWAY_PER_SWITCH_MAX) {
    fprintf(stderr, "bench: --hosts or --per-switch out of range\n");
    return 2;
  }
  if (strcmp(which, "gen") == 0 || strcmp(which, "gateway") == 0 ||
      strcmp(which, "load") == 0) {
    /* A network as big as a topology file that would make netsim restart
     * on huge pages (core/hugepages.h): measure what netsim does. */
    if (strcmp(which, "gen") != 0 &&
        (gsize)hosts * GATEWAY_HOST_BYTES >= NS_HUGEPAGES_MIN_BYTES &&
        ns_hugepages_wanted(args, TRUE))
      ns_hugepages_restart(args);
    if (strcmp(which, "gateway") == 0)
      return bench_gateway((guint)hosts, (guint)per_switch) ? 0 : 1;
    if (strcmp(which, "load") == 0)
      return bench_load((guint)hosts, (guint)per_switch) ? 0 : 1;
    g_autoptr(GString) text = gateway_text((guint)hosts, (guint)per_switch);
    return fwrite(text->str, 1, text->len, stdout) == text->len ? 0 : 1;
  }
  if (strcmp(which, "shapes") == 0)
    return bench_shapes(MIN((guint)hosts, 1000000u)) ? 0 : 1;
  gboolean two = strcmp(which, "two_lans") == 0 || strcmp(which, "all") == 0;
  gboolean scale = strcmp(which, "scale") == 0 || strcmp(which, "all") == 0;
  gboolean tcp = strcmp(which, "tcp") == 0 || strcmp(which, "all") == 0;
  if (argc > 2 || (!two && !scale && !tcp)) {
    fprintf(stderr, "bench: expected one of two_lans, scale, tcp, all\n");
    return 2;
  }
  if (pings < 1 || pings > 65535 || lans < 2 || lans > 250 || per_lan < 1 ||
      per_lan > 200 || mib < 1 || mib > 4096 || lossy_mib < 1 ||
      lossy_mib > 4096) {
    fprintf(stderr, "bench: option out of range (see --help)\n");
    return 2;
  }

  gboolean ok = TRUE;
  if (two)
    ok = bench_two_lans((guint)pings) && ok;
  if (scale)
    ok = bench_scale((guint)lans, (guint)per_lan) && ok;
  if (tcp) {
    ok = bench_tcp((guint)mib, 0) && ok;
    ok = bench_tcp((guint)lossy_mib, 0.01) && ok;
  }
  return ok ? 0 : 1;
}

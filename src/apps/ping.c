/* ping.c — ping and traceroute over ICMP echo. */
#include "apps/ping.h"
#include "core/i18n.h"

#include <math.h>
#include <string.h>

#include "wire/checksum.h"
#include "wire/ethernet.h"

/* As ping(8) and traceroute(8): the timeouts outlast ARP's three requests
 * (3 s), so an unreachable host is reported as such, not as silence. */
const NsPingOptions ns_ping_default_options = {4, NS_SEC, 10 * NS_SEC, 56, 64};
const NsTraceOptions ns_trace_default_options = {
    .max_hops = 30, .probes = 3, .timeout = 5 * NS_SEC};

#define NS_PING_MAX_SIZE (NS_ETH_MTU - 20 - 8)

/* ---- shared helpers ------------------------------------------------------ */

/* Byte i of the data is i mod 256: one period of the pattern. */
#define B4(x) x, x + 1, x + 2, x + 3
#define B16(x) B4(x), B4(x + 4), B4(x + 8), B4(x + 12)
#define B64(x) B16(x), B16(x + 16), B16(x + 32), B16(x + 48)
static const guint8 echo_pattern[256] = {B64(0), B64(64), B64(128), B64(192)};

/* Builds an echo request with id/seq and size data bytes into buf (the
 * data straight in place, so ns_icmp_emit moves nothing). */
/* A struct timeval of a 64-bit Linux: the bytes the send time takes. */
#define PING_TIMEVAL 16

static gsize build_echo(guint8 *buf, guint16 id, guint16 seq, guint size,
                        NsTime now) {
  guint8 *data = buf + NS_ICMP_HLEN;
  size = MIN(size, (guint)NS_PING_MAX_SIZE);
  /* As iputils builds it: byte i is i, and the first 16 bytes are the
   * send time as a struct timeval of a 64-bit Linux (seconds, then
   * microseconds, 8 bytes each, little-endian), here virtual time. */
  for (guint off = 0; off < size; off += sizeof echo_pattern)
    memcpy(data + off, echo_pattern, MIN(size - off, sizeof echo_pattern));
  if (size >= PING_TIMEVAL) {
    guint64 tv[2] = {GUINT64_TO_LE(now / NS_SEC),
                     GUINT64_TO_LE((now % NS_SEC) / NS_USEC)};
    memcpy(data, tv, sizeof tv);
  }
  NsIcmp m = {NS_ICMP_ECHO_REQUEST, 0, 0, id, seq, data, size};
  return ns_icmp_emit(buf, &m);
}

/* An echo request to build straight into the frame (ns_ipnode_send_fill). */
typedef struct {
  guint16 id, seq;
  guint size; /* data bytes, at most NS_PING_MAX_SIZE */
  NsTime now;
} Echo;

static void fill_echo(guint8 *dst, gsize len, gpointer data) {
  const Echo *e = data;
  gsize n = build_echo(dst, e->id, e->seq, e->size, e->now);
  g_assert(n == len);
}

/* If icmp is an error quoting one of our echo requests with identifier id,
 * returns TRUE and its sequence number. */
static gboolean quoted_echo(const NsIcmp *icmp, guint16 id, guint16 *seq) {
  if (icmp->type != NS_ICMP_DEST_UNREACH && icmp->type != NS_ICMP_TIME_EXCEEDED)
    return FALSE;
  NsIpv4Hdr orig;
  guint16 quoted_id;
  return ns_icmp_quoted_echo(icmp, &orig, &quoted_id, seq) && quoted_id == id;
}

static const char *error_text(const NsIcmp *icmp) {
  if (icmp->type == NS_ICMP_TIME_EXCEEDED)
    return "Time to live exceeded";
  switch (icmp->code) {
  case NS_ICMP_NET_UNREACH:
    return "Destination Net Unreachable";
  case NS_ICMP_HOST_UNREACH:
    return "Destination Host Unreachable";
  case NS_ICMP_PROTO_UNREACH:
    return "Destination Protocol Unreachable";
  case NS_ICMP_PORT_UNREACH:
    return "Destination Port Unreachable";
  default:
    return "Destination Unreachable";
  }
}

static void fmt_ms(NsTime t, char *buf, gsize size) {
  g_snprintf(buf, size, "%" G_GUINT64_FORMAT ".%03" G_GUINT64_FORMAT,
             t / NS_MSEC, (t % NS_MSEC) / NS_USEC);
}

/* ---- ping ---------------------------------------------------------------- */

enum { SEQ_UNSENT, SEQ_PENDING, SEQ_REPLIED, SEQ_LOST };

struct NsPing {
  NsIpNode *node; /* borrowed */
  NsIp4 dst;
  char *dst_name; /* in p's block */
  NsPingOptions o;
  guint16 id;    /* ICMP identifier */
  NsTimer timer; /* next send or next timeout */
  NsTime start;  /* first send */
  NsTime last_send;
  NsTime *sent_at;     /* per sequence number - 1, in p's block */
  guint8 *state;       /* per sequence number - 1, in p's block */
  guint next_seq;      /* next to send, 1-based */
  guint first_pending; /* index below which nothing is pending */
  NsPingStats st;
  /* As iputils keeps them for rtt min/avg/max/mdev: round trips in whole
   * microseconds, over replies and duplicates, and their squares. */
  guint64 tsum_us;
  gdouble tsum2_us;
  NsAppHooks hooks;
};

/* Whether the echo carries its send time, so that replies show a round
 * trip: iputils times only data of at least a struct timeval (16 bytes);
 * with less, a reply has no time= and the summary no rtt line. */
static gboolean timed(const NsPing *p) { return p->o.size >= PING_TIMEVAL; }

/* The send times follow the struct in its block. */
G_STATIC_ASSERT(sizeof(NsPing) % G_ALIGNOF(NsTime) == 0);

/* A ping's block: the struct, count send times and states, the name. */
static gsize block_size(guint count, gsize name_size) {
  return sizeof(NsPing) + count * (sizeof(NsTime) + 1) + name_size;
}

static void ping_listener(NsIpNode *node, const NsIpv4Hdr *ip,
                          const NsIcmp *icmp, NsTime now, gpointer data);

/* The integer square root, rounded down (iputils' llsqrt). */
static guint64 isqrt(gdouble v) {
  if (v <= 0)
    return 0;
  guint64 r = (guint64)sqrt(v);
  while ((gdouble)r * (gdouble)r > v)
    r--;
  while ((gdouble)(r + 1) * (gdouble)(r + 1) <= v)
    r++;
  return r;
}

static void fmt_us(guint64 us, char *buf, gsize size) {
  g_snprintf(buf, size, "%" G_GUINT64_FORMAT ".%03" G_GUINT64_FORMAT, us / 1000,
             us % 1000);
}

/* The closing lines, as iputils ping prints them, after an empty line:
 *
 *   --- 10.0.0.2 ping statistics ---
 *   4 packets transmitted, 3 received, +1 duplicates, 25% packet loss, ...
 *   rtt min/avg/max/mdev = 0.261/0.263/0.268/0.003 ms
 *
 * (the first line ends "time 3003ms"; mdev is the standard deviation
 * sqrt(mean(rtt^2) - mean(rtt)^2), in microseconds as iputils computes
 * it).  Nothing is formatted when nobody reads them: on a network where
 * every host pings its gateway once, they were 6 % of the instructions of
 * the run. */
static void say_statistics(NsPing *p, const char *ip) {
  if (!ns_app_wants_output(&p->hooks))
    return;
  ns_app_say(&p->hooks, "%s", "");
  ns_app_say(&p->hooks, "--- %s ping statistics ---", ip);
  GString *line = g_string_new(NULL);
  g_string_printf(line, "%u packets transmitted, %u received",
                  p->st.transmitted, p->st.received);
  if (p->st.duplicates > 0)
    g_string_append_printf(line, ", +%u duplicates", p->st.duplicates);
  if (p->st.errors > 0)
    g_string_append_printf(line, ", +%u errors", p->st.errors);
  if (p->st.transmitted > 0) {
    char pct[G_ASCII_DTOSTR_BUF_SIZE];
    gfloat loss = (gfloat)((p->st.transmitted - p->st.received) * 100.0 /
                           p->st.transmitted);
    g_string_append_printf(line, ", %s%% packet loss",
                           g_ascii_formatd(pct, sizeof pct, "%g", loss));
  }
  g_string_append_printf(line, ", time %" G_GUINT64_FORMAT "ms",
                         (p->last_send - p->start) / NS_MSEC);
  ns_app_say(&p->hooks, "%s", line->str);
  g_string_free(line, TRUE);
  guint n = p->st.received + p->st.duplicates;
  if (n == 0 || !timed(p))
    return;
  guint64 avg = p->tsum_us / n;
  guint64 mdev = isqrt(floor(p->tsum2_us / n) - (gdouble)avg * (gdouble)avg);
  char mn[32], av[32], mx[32], md[32];
  fmt_ms(p->st.rtt_min, mn, sizeof mn);
  fmt_us(avg, av, sizeof av);
  fmt_ms(p->st.rtt_max, mx, sizeof mx);
  fmt_us(mdev, md, sizeof md);
  ns_app_say(&p->hooks, "rtt min/avg/max/mdev = %s/%s/%s/%s ms", mn, av, mx,
             md);
}

/* Counts one round trip (a reply or a duplicate) in min/max and the sums. */
static void count_rtt(NsPing *p, NsTime rtt) {
  if (p->st.received + p->st.duplicates == 1 || rtt < p->st.rtt_min)
    p->st.rtt_min = rtt;
  p->st.rtt_max = MAX(p->st.rtt_max, rtt);
  guint64 us = rtt / NS_USEC;
  p->tsum_us += us;
  p->tsum2_us += (gdouble)us * (gdouble)us;
}

static void ping_finish(NsPing *p, NsTime now) {
  if (p->st.done)
    return;
  p->st.done = TRUE;
  ns_timerq_cancel(ns_ipnode_ctx(p->node)->timers, &p->timer);
  ns_ipnode_remove_icmp_listener(p->node, ping_listener, p);
  char ip[NS_IP4_STRLEN] = "";
  NsLog *log = ns_ipnode_ctx(p->node)->log;
  gboolean log_on = ns_log_on(log);
  if (log_on || ns_app_wants_output(&p->hooks))
    ns_ip4_format(p->dst, ip);
  if (!p->st.no_route)
    say_statistics(p, ip);
  if (log_on) {
    guint loss = p->st.transmitted == 0 ? 0
                                        : (p->st.transmitted - p->st.received) *
                                              100 / p->st.transmitted;
    ns_log_printf(log, now, ns_ipnode_name(p->node), "ping/done", 0, NULL,
                  "ping %s: %u transmitted, %u received, %u%% loss", ip,
                  p->st.transmitted, p->st.received, loss);
  }
  ns_app_done(&p->hooks);
}

/* Arms the timer for the earliest of the next send and the next timeout,
 * or finishes when nothing is left. */
static void ping_schedule(NsPing *p, NsTime now) {
  NsTime next = NS_TIME_NEVER;
  if (p->next_seq <= p->o.count)
    next = ns_time_add(p->last_send, p->o.interval);
  /* Requests go out in time order with one timeout, so the first pending
   * one is the next to time out. */
  while (p->first_pending < p->next_seq - 1 &&
         p->state[p->first_pending] != SEQ_PENDING)
    p->first_pending++;
  if (p->first_pending < p->next_seq - 1)
    next = MIN(next, ns_time_add(p->sent_at[p->first_pending], p->o.timeout));
  if (next == NS_TIME_NEVER) {
    ping_finish(p, now);
    return;
  }
  next = MAX(next, now);
  /* A reply usually leaves the wake-up where it was (the next request's
   * time): keep the timer then, rather than taking it out of the queue
   * and putting it back. */
  if (ns_timer_armed(&p->timer) && p->timer.when == next)
    return;
  ns_timerq_arm(ns_ipnode_ctx(p->node)->timers, &p->timer, next);
}

static void ping_send(NsPing *p, NsTime now) {
  guint16 seq = (guint16)p->next_seq;
  p->sent_at[seq - 1] = now;
  p->state[seq - 1] = SEQ_PENDING;
  p->last_send = now;
  p->next_seq++;
  p->st.transmitted++;
  /* Don't Fragment, as Linux's ping sends (path MTU discovery "want");
   * traceroute's probes go without it, as traceroute's do.  To a
   * broadcast or a group iputils sets IP_PMTUDISC_DO ("broadcast ping
   * does not fragment"), and Linux gives such a datagram of an
   * unconnected socket the identification 0. */
  NsIpSendOptions o = NS_IP_SEND_OPTIONS(NS_IPPROTO_ICMP, p->o.ttl);
  o.df = TRUE;
  o.csum_ok = TRUE; /* build_echo's ns_icmp_emit */
  o.id_given = ns_ip4_is_limited_broadcast(p->dst) ||
               ns_ip4_is_multicast(p->dst) ||
               ns_ipnode_is_subnet_broadcast(p->node, p->dst);
  Echo e = {p->id, seq, MIN(p->o.size, (guint)NS_PING_MAX_SIZE), now};
  ns_ipnode_send_fill(p->node, p->dst, &o, NS_ICMP_HLEN + e.size, fill_echo, &e,
                      now, NULL);
}

static void ping_timer(NsTimer *t, NsTime now, gpointer data) {
  NsPing *p = data;
  (void)t;
  for (guint i = p->first_pending;
       i < p->next_seq - 1 && ns_time_add(p->sent_at[i], p->o.timeout) <= now;
       i++) {
    if (p->state[i] == SEQ_PENDING) {
      p->state[i] = SEQ_LOST;
      NsLog *log = ns_ipnode_ctx(p->node)->log;
      if (ns_log_on(log))
        ns_log_printf(log, now, ns_ipnode_name(p->node), "ping/timeout", 0,
                      N_("no reply within the timeout: counted as lost"),
                      "no reply for icmp_seq=%u", i + 1);
    }
  }
  if (p->next_seq <= p->o.count &&
      ns_time_add(p->last_send, p->o.interval) <= now)
    ping_send(p, now);
  if (!p->st.done)
    ping_schedule(p, now);
}

static void ping_listener(NsIpNode *node, const NsIpv4Hdr *ip,
                          const NsIcmp *icmp, NsTime now, gpointer data) {
  NsPing *p = data;
  guint16 seq;
  gboolean talk = ns_app_wants_output(&p->hooks);
  char src[NS_IP4_STRLEN] = "", ms[32] = "";
  if (talk)
    ns_ip4_format(ip->src, src);
  if (icmp->type == NS_ICMP_ECHO_REPLY && icmp->id == p->id) {
    seq = icmp->seq;
    if (seq == 0 || seq >= p->next_seq)
      return;
    NsTime rtt = now - p->sent_at[seq - 1];
    if (talk && timed(p)) {
      char t[24];
      fmt_ms(rtt, t, sizeof t);
      g_snprintf(ms, sizeof ms, " time=%s ms", t);
    }
    if (p->state[seq - 1] == SEQ_REPLIED) {
      p->st.duplicates++;
      count_rtt(p, rtt);
      ns_app_say(&p->hooks, "%zu bytes from %s: icmp_seq=%u ttl=%u%s (DUP!)",
                 icmp->data_len + NS_ICMP_HLEN, src, seq, ip->ttl, ms);
      return;
    }
    if (p->state[seq - 1] != SEQ_PENDING)
      return;
    p->state[seq - 1] = SEQ_REPLIED;
    p->st.received++;
    p->st.rtt_sum += rtt;
    count_rtt(p, rtt);
    if (talk)
      ns_app_say(&p->hooks, "%zu bytes from %s: icmp_seq=%u ttl=%u%s",
                 icmp->data_len + NS_ICMP_HLEN, src, seq, ip->ttl, ms);
  } else if (quoted_echo(icmp, p->id, &seq)) {
    if (seq == 0 || seq >= p->next_seq || p->state[seq - 1] != SEQ_PENDING)
      return;
    p->state[seq - 1] = SEQ_LOST;
    p->st.errors++;
    ns_app_say(&p->hooks, "From %s icmp_seq=%u %s", src, seq, error_text(icmp));
  } else {
    return;
  }
  (void)node;
  ping_schedule(p, now);
}

/* Where a real stack's connect() fails with ENETUNREACH: not one of the
 * node's own addresses (0.0.0.0 and 127/8 included), not the limited
 * broadcast, and no route. */
static gboolean no_route(NsIpNode *node, NsIp4 dst) {
  return !ns_ip4_is_limited_broadcast(dst) && !ns_ip4_is_loopback(dst) &&
         !ns_ip4_is_zero(dst) && ns_ipnode_iface_by_addr(node, dst) == NULL &&
         ns_route_lookup(ns_ipnode_routes(node), dst) == NULL;
}

NsPing *ns_ping_start(NsIpNode *node, NsIp4 dst, const char *dst_name,
                      const NsPingOptions *opts, NsTime now,
                      const NsAppHooks *hooks) {
  g_return_val_if_fail(node != NULL, NULL);
  NsPingOptions o = opts != NULL ? *opts : ns_ping_default_options;
  o.count = CLAMP(o.count, 1, 65535);
  o.size = MIN(o.size, (guint)NS_PING_MAX_SIZE);
  if (o.ttl == 0)
    o.ttl = 64;
  char ip[NS_IP4_STRLEN];
  ns_ip4_format(dst, ip);
  const char *name = dst_name != NULL ? dst_name : ip;
  gsize name_len = strlen(name) + 1;
  /* One block: the ping, then its send times, states and destination's
   * name (every host of a big network may ping at once). */
  NsPing *p =
      ns_slab_alloc0(ns_ipnode_ctx(node)->slab, block_size(o.count, name_len));
  p->sent_at = (NsTime *)(p + 1);
  p->state = (guint8 *)(p->sent_at + o.count);
  p->dst_name = memcpy(p->state + o.count, name, name_len);
  p->node = node;
  p->dst = dst;
  p->o = o;
  p->id = ns_ipnode_next_ident(node);
  p->next_seq = 1;
  if (hooks != NULL)
    p->hooks = *hooks;
  p->start = now;
  ns_timer_init(&p->timer, ping_timer, p);
  ns_ipnode_add_icmp_listener(node, ping_listener, p);
  if (no_route(node, dst)) {
    /* iputils finds the source address by connecting a socket first: with
     * no route that fails before anything is sent or printed. */
    p->st.no_route = TRUE;
    ns_app_say(&p->hooks, "ping: connect: Network is unreachable");
    ping_finish(p, now);
    return p;
  }
  ns_app_say(&p->hooks, "PING %s (%s) %u(%u) bytes of data.", p->dst_name, ip,
             p->o.size, p->o.size + 28);
  ping_send(p, now);
  if (!p->st.done)
    ping_schedule(p, now);
  return p;
}

void ns_ping_free(NsPing *p) {
  if (p == NULL)
    return;
  ns_timerq_cancel(ns_ipnode_ctx(p->node)->timers, &p->timer);
  if (!p->st.done)
    ns_ipnode_remove_icmp_listener(p->node, ping_listener, p);
  /* and its send times, states and name */
  ns_slab_release(ns_ipnode_ctx(p->node)->slab, p,
                  block_size(p->o.count, strlen(p->dst_name) + 1));
}

const NsPingStats *ns_ping_stats(const NsPing *p) { return &p->st; }
NsIp4 ns_ping_target(const NsPing *p) { return p->dst; }

/* ---- traceroute ---------------------------------------------------------- */

struct NsTrace {
  NsIpNode *node; /* borrowed */
  NsIp4 dst;
  char *dst_name; /* owned */
  NsTraceOptions o;
  guint16 id;
  guint16 seq; /* of the probe in flight */
  guint hop;   /* current TTL */
  guint probe; /* probes sent for this hop */
  NsTime sent_at;
  NsTimer timer;      /* probe timeout */
  GArray *hops;       /* of NsIp4, index hop-1 */
  GString *line;      /* the current hop's output line */
  NsIp4 hop_addr;     /* who answered at this hop (0 = nobody yet) */
  gboolean hop_final; /* the destination answered at this hop */
  gboolean done;
  gboolean reached;
  NsAppHooks hooks;
};

static void trace_listener(NsIpNode *node, const NsIpv4Hdr *ip,
                           const NsIcmp *icmp, NsTime now, gpointer data);

static void trace_finish(NsTrace *t, NsTime now) {
  t->done = TRUE;
  ns_timerq_cancel(ns_ipnode_ctx(t->node)->timers, &t->timer);
  ns_ipnode_remove_icmp_listener(t->node, trace_listener, t);
  NsLog *log = ns_ipnode_ctx(t->node)->log;
  char ip[NS_IP4_STRLEN];
  if (ns_log_on(log))
    ns_log_printf(log, now, ns_ipnode_name(t->node), "trace/done", 0, NULL,
                  "traceroute to %s: %s after %u hops",
                  ns_ip4_format(t->dst, ip),
                  t->reached ? "reached" : "not reached", t->hops->len);
  ns_app_done(&t->hooks);
}

static void trace_send(NsTrace *t, NsTime now) {
  guint8 buf[NS_ICMP_HLEN + 64];
  t->seq++;
  gsize n = build_echo(buf, t->id, t->seq, 32, now);
  t->sent_at = now;
  t->probe++;
  ns_timerq_arm(ns_ipnode_ctx(t->node)->timers, &t->timer,
                ns_time_add(now, t->o.timeout));
  ns_ipnode_send(t->node, t->dst, NS_IPPROTO_ICMP, (guint8)t->hop, buf, n, now,
                 NULL);
}

/* After a probe was answered or timed out: next probe, next hop, or end. */
static void trace_next(NsTrace *t, NsTime now) {
  if (t->done)
    return;
  if (t->probe < t->o.probes) {
    trace_send(t, now);
    return;
  }
  ns_app_say(&t->hooks, "%s", t->line->str);
  g_array_append_val(t->hops, t->hop_addr);
  NsLog *log = ns_ipnode_ctx(t->node)->log;
  if (ns_log_on(log)) {
    char ip[NS_IP4_STRLEN];
    ns_log_printf(log, now, ns_ipnode_name(t->node), "trace/hop", 0, NULL,
                  "hop %u: %s", t->hop,
                  ns_ip4_is_zero(t->hop_addr) ? "*"
                                              : ns_ip4_format(t->hop_addr, ip));
  }
  if (t->hop_final || t->hop >= t->o.max_hops) {
    trace_finish(t, now);
    return;
  }
  t->hop++;
  t->probe = 0;
  t->hop_addr = (NsIp4){0};
  g_string_printf(t->line, "%2u ", t->hop);
  trace_send(t, now);
}

static void trace_timer(NsTimer *timer, NsTime now, gpointer data) {
  NsTrace *t = data;
  (void)timer;
  g_string_append(t->line, " *");
  trace_next(t, now);
}

/* " r1 (192.168.1.1)" as traceroute prints a hop that resolves (the
 * address twice when it does not), " 192.168.1.1" with -n. */
static void append_host(NsTrace *t, NsIp4 ip) {
  char a[NS_IP4_STRLEN];
  ns_ip4_format(ip, a);
  const char *name = NULL;
  if (!t->o.numeric && t->hooks.name_of != NULL)
    name = t->hooks.name_of(ip, t->hooks.data);
  if (t->o.numeric)
    g_string_append_printf(t->line, " %s", a);
  else
    g_string_append_printf(t->line, " %s (%s)", name != NULL ? name : a, a);
}

/* Linux traceroute's marks for an ICMP unreachable: !H host, !N net, !P
 * protocol, !F fragmentation needed, !X administratively prohibited,
 * !<code> the others; port unreachable is the normal end of a UDP trace
 * and gets none. */
static void append_unreach(GString *line, guint8 code) {
  static const struct {
    guint8 code;
    const char *mark;
  } marks[] = {
      {NS_ICMP_NET_UNREACH, " !N"},
      {NS_ICMP_HOST_UNREACH, " !H"},
      {NS_ICMP_PROTO_UNREACH, " !P"},
      {NS_ICMP_FRAG_NEEDED, " !F"},
      {13, " !X"}, /* communication administratively prohibited */
  };
  if (code == NS_ICMP_PORT_UNREACH)
    return;
  for (guint i = 0; i < G_N_ELEMENTS(marks); i++)
    if (marks[i].code == code) {
      g_string_append(line, marks[i].mark);
      return;
    }
  g_string_append_printf(line, " !%u", code);
}

static void trace_listener(NsIpNode *node, const NsIpv4Hdr *ip,
                           const NsIcmp *icmp, NsTime now, gpointer data) {
  NsTrace *t = data;
  guint16 seq;
  gboolean final;
  (void)node;
  if (icmp->type == NS_ICMP_ECHO_REPLY && icmp->id == t->id) {
    seq = icmp->seq;
    final = TRUE;
  } else if (quoted_echo(icmp, t->id, &seq)) {
    final = icmp->type == NS_ICMP_DEST_UNREACH;
  } else {
    return;
  }
  if (seq != t->seq || !ns_timer_armed(&t->timer))
    return;
  ns_timerq_cancel(ns_ipnode_ctx(t->node)->timers, &t->timer);
  char ms[32];
  fmt_ms(now - t->sent_at, ms, sizeof ms);
  if (ns_ip4_is_zero(t->hop_addr) || t->hop_addr.v != ip->src.v) {
    append_host(t, ip->src);
    t->hop_addr = ip->src;
  }
  g_string_append_printf(t->line, "  %s ms", ms);
  if (icmp->type == NS_ICMP_DEST_UNREACH)
    append_unreach(t->line, icmp->code);
  if (final) {
    t->hop_final = TRUE;
    /* A router's "unreachable" ends the trace without reaching dst. */
    if (icmp->type == NS_ICMP_ECHO_REPLY || ip->src.v == t->dst.v)
      t->reached = TRUE;
  }
  trace_next(t, now);
}

NsTrace *ns_trace_start(NsIpNode *node, NsIp4 dst, const char *dst_name,
                        const NsTraceOptions *opts, NsTime now,
                        const NsAppHooks *hooks) {
  g_return_val_if_fail(node != NULL, NULL);
  NsTrace *t = g_new0(NsTrace, 1);
  t->node = node;
  t->dst = dst;
  t->o = opts != NULL ? *opts : ns_trace_default_options;
  t->o.max_hops = CLAMP(t->o.max_hops, 1, 255);
  t->o.probes = CLAMP(t->o.probes, 1, 10);
  char ip[NS_IP4_STRLEN];
  ns_ip4_format(dst, ip);
  t->dst_name = g_strdup(dst_name != NULL ? dst_name : ip);
  t->id = ns_ipnode_next_ident(node);
  t->hops = g_array_new(FALSE, FALSE, sizeof(NsIp4));
  t->line = g_string_new(NULL);
  if (hooks != NULL)
    t->hooks = *hooks;
  t->hop = 1;
  ns_timer_init(&t->timer, trace_timer, t);
  ns_ipnode_add_icmp_listener(node, trace_listener, t);
  ns_app_say(&t->hooks, "traceroute to %s (%s), %u hops max, 60 byte packets",
             t->dst_name, ip, t->o.max_hops);
  g_string_printf(t->line, "%2u ", t->hop);
  trace_send(t, now);
  return t;
}

void ns_trace_free(NsTrace *t) {
  if (t == NULL)
    return;
  ns_timerq_cancel(ns_ipnode_ctx(t->node)->timers, &t->timer);
  if (!t->done)
    ns_ipnode_remove_icmp_listener(t->node, trace_listener, t);
  g_array_free(t->hops, TRUE);
  g_string_free(t->line, TRUE);
  g_free(t->dst_name);
  g_free(t);
}

gboolean ns_trace_done(const NsTrace *t) { return t->done; }
gboolean ns_trace_reached(const NsTrace *t) { return t->reached; }
guint ns_trace_n_hops(const NsTrace *t) { return t->hops->len; }
NsIp4 ns_trace_hop(const NsTrace *t, guint hop) {
  if (hop == 0 || hop > t->hops->len)
    return (NsIp4){0};
  return g_array_index(t->hops, NsIp4, hop - 1);
}

/* bridge_bench.c — the outside ends of the bridge benchmark: a plain echo
 * server and the measuring client (bench/bridge.sh starts netsim, socat
 * and these; bench/README.md says what the figures mean).
 *
 *   bridge_bench echo PORTFILE [LIFETIME_S]
 *       A TCP echo server on 127.0.0.1, any free port, written to
 *       PORTFILE once it listens.  One thread per connection reads up to
 *       64 KiB and writes it all back, with TCP_NODELAY: the fastest
 *       simple echo there is, so that it is never what a path measures.
 *       It ends itself after LIFETIME_S seconds (default 600).
 *   bridge_bench free-port
 *       Prints a port that was free on 127.0.0.1 a moment ago (for socat).
 *   bridge_bench wait PORT TIMEOUT_MS
 *       Exits 0 once 127.0.0.1:PORT accepts a connection, 1 at TIMEOUT_MS.
 *   bridge_bench measure [OPTIONS] NAME=PORT...
 *       Measures each path, an echo reached at 127.0.0.1:PORT, in rounds
 *       that take the paths in turn (a busy moment of a shared machine
 *       then hits every path alike), and prints a table.
 *
 * Throughput: one connection; the client writes MIB MiB and reads the
 * echo back at the same time (one thread, poll), checking every byte,
 * then half-closes and expects EOF with nothing more.  MB/s is the MiB
 * echoed (counted once, 10^6 bytes per MB) over the time from the first
 * write to the last byte read back; each byte crosses the path twice.
 * Latency: another connection (TCP_NODELAY) sends SIZE bytes and waits
 * for them back, PINGS times after 20 unrecorded warm-up trips; the
 * median and 99th percentile of every round's trips together.
 *
 * Exit status of measure: 0 when every byte came back right; 1 when one
 * did not, a connection failed or was closed early, or nothing moved for
 * TIMEOUT_MS (a hang); 2 for bad usage.  Timing is reported, never
 * judged.  Plain POSIX and pthreads; traffic only to 127.0.0.1; every
 * wait is a poll with a timeout and every loop is bounded by a count or
 * by the no-progress timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define PERIOD 65521 /* prime: a pattern that never lines up with CHUNK */
#define MAX_PATHS 8
#define MAX_ECHO_THREADS 256
#define WARMUP 20

/* The bytes sent: PERIOD pseudo-random bytes, then CHUNK more that repeat
 * the start, so that offset o of the stream is pattern[o % PERIOD] and a
 * chunk at any offset is one contiguous read of it. */
static unsigned char pattern[PERIOD + CHUNK];

static void make_pattern(void) {
  uint32_t s = 2463534242u;
  for (size_t i = 0; i < PERIOD; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    pattern[i] = (unsigned char)(s >> 24);
  }
  for (size_t i = PERIOD; i < sizeof pattern; i++) /* CHUNK > PERIOD */
    pattern[i] = pattern[i - PERIOD];
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("bridge_bench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static int parse_int(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

static void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* A non-blocking socket connected to 127.0.0.1:port within timeout_ms;
 * -1 (said why) if not. */
static int connect_local(int port, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fail("socket: %s", strerror(errno));
    return -1;
  }
  struct sockaddr_in a = loopback(port);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 &&
      errno != EINPROGRESS) {
    fail("connect to 127.0.0.1:%d: %s", port, strerror(errno));
    close(fd);
    return -1;
  }
  struct pollfd p = {.fd = fd, .events = POLLOUT};
  int err = 0;
  socklen_t len = sizeof err;
  if (poll(&p, 1, timeout_ms) != 1 ||
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
    fail("connect to 127.0.0.1:%d: %s", port,
         err != 0 ? strerror(err) : "timed out");
    close(fd);
    return -1;
  }
  return fd;
}

/* ---- the echo server ---------------------------------------------------- */

static void *echo_conn(void *arg) {
  int fd = (int)(intptr_t)arg;
  unsigned char buf[CHUNK];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w <= 0)
        goto done;
      off += w;
    }
  }
done:
  close(fd);
  return NULL;
}

static int listen_local(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
      listen(fd, 128) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
    fail("echo: cannot listen on 127.0.0.1: %s", strerror(errno));
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

static int write_port_file(const char *path, int port) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 ||
      rename(tmp, path) != 0) {
    fail("echo: cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* Serves until the alarm ends the process (SIGALRM's default action). */
static int cmd_echo(int argc, char **argv) {
  long lifetime = 600;
  if (argc < 1 || argc > 2 ||
      (argc == 2 && parse_int(argv[1], 1, 86400, &lifetime) < 0)) {
    fail("usage: bridge_bench echo PORTFILE [LIFETIME_S]");
    return 2;
  }
  alarm((unsigned)lifetime);
  int port;
  int lfd = listen_local(&port);
  if (lfd < 0 || write_port_file(argv[0], port) < 0)
    return 1;
  for (unsigned served = 0; served < 1000000; served++) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
      usleep(10000); /* out of descriptors, say: let threads end */
      continue;
    }
    set_nodelay(fd);
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, echo_conn, (void *)(intptr_t)fd) != 0)
      close(fd);
    pthread_attr_destroy(&at);
  }
  return 0;
}

static int cmd_free_port(void) {
  int port;
  int fd = listen_local(&port);
  if (fd < 0)
    return 1;
  close(fd);
  printf("%d\n", port);
  return 0;
}

static int cmd_wait(int argc, char **argv) {
  long port, timeout;
  if (argc != 2 || parse_int(argv[0], 1, 65535, &port) < 0 ||
      parse_int(argv[1], 1, 600000, &timeout) < 0) {
    fail("usage: bridge_bench wait PORT TIMEOUT_MS");
    return 2;
  }
  double until = now_s() + (double)timeout / 1000;
  for (int i = 0; i < 100000 && now_s() < until; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = loopback((int)port);
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
      close(fd);
    if (ok)
      return 0;
    usleep(10000);
  }
  fail("nothing listens on 127.0.0.1:%ld after %ld ms", port, timeout);
  return 1;
}

/* ---- measuring ---------------------------------------------------------- */

typedef struct {
  long mib, pings, size, rounds, timeout_ms;
  double sim_rtt_us; /* the simulated path's own round trip, for the target */
} Options;

typedef struct {
  const char *name;
  int port;
  double *mbps;   /* one per round */
  double *rtt_us; /* pings per round, every round */
  size_t n_rtt;
} Path;

/* Waits up to timeout_ms for events on fd; 0 when they came, -1 (said
 * why) when nothing did. */
static int wait_fd(int fd, short events, long timeout_ms, const char *what) {
  struct pollfd p = {.fd = fd, .events = events};
  int r;
  do
    r = poll(&p, 1, (int)timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r == 1)
    return 0;
  fail("%s: nothing moved for %ld ms (a hang)", what, timeout_ms);
  return -1;
}

/* Reads len bytes and checks them against want; -1 (said why) on a wrong
 * byte, an early EOF, an error or a hang. */
static int read_exact(int fd, const unsigned char *want, size_t len,
                      long timeout_ms, const char *what) {
  unsigned char buf[4096];
  for (size_t got = 0; got < len;) {
    size_t ask = len - got < sizeof buf ? len - got : sizeof buf;
    ssize_t n = read(fd, buf, ask);
    if (n < 0 && errno == EAGAIN) {
      if (wait_fd(fd, POLLIN, timeout_ms, what) < 0)
        return -1;
      continue;
    }
    if (n <= 0) {
      fail("%s: %s after %zu of %zu bytes", what,
           n == 0 ? "EOF" : strerror(errno), got, len);
      return -1;
    }
    if (memcmp(buf, want + got, (size_t)n) != 0) {
      fail("%s: WRONG BYTES came back", what);
      return -1;
    }
    got += (size_t)n;
  }
  return 0;
}

static int write_all(int fd, const unsigned char *data, size_t len,
                     long timeout_ms, const char *what) {
  for (size_t off = 0; off < len;) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EAGAIN) {
      if (wait_fd(fd, POLLOUT, timeout_ms, what) < 0)
        return -1;
      continue;
    }
    if (w <= 0) {
      fail("%s: write: %s", what, strerror(errno));
      return -1;
    }
    off += (size_t)w;
  }
  return 0;
}

/* After the last byte: half-close, and the echo must end with EOF and
 * nothing more. */
static int expect_clean_end(int fd, long timeout_ms, const char *what) {
  shutdown(fd, SHUT_WR);
  unsigned char c;
  for (int i = 0; i < 1000; i++) {
    ssize_t n = read(fd, &c, 1);
    if (n == 0)
      return 0;
    if (n > 0) {
      fail("%s: EXTRA BYTES came back after the last one", what);
      return -1;
    }
    if (errno != EAGAIN) {
      fail("%s: no clean end after half-close: %s", what, strerror(errno));
      return -1;
    }
    if (wait_fd(fd, POLLIN, timeout_ms, what) < 0)
      return -1;
  }
  fail("%s: no EOF after half-close", what);
  return -1;
}

/* One step of the bulk loop: writes what the socket takes, reads and
 * checks what came back.  -1 (said why) on an error or a wrong byte. */
static int bulk_step(int fd, short revents, uint64_t total, uint64_t *sent,
                     uint64_t *got, const char *what) {
  static unsigned char buf[CHUNK];
  if ((revents & POLLOUT) && *sent < total) {
    size_t len = total - *sent < CHUNK ? (size_t)(total - *sent) : CHUNK;
    ssize_t w = write(fd, pattern + *sent % PERIOD, len);
    if (w < 0 && errno != EAGAIN) {
      fail("%s: write: %s", what, strerror(errno));
      return -1;
    }
    *sent += w > 0 ? (uint64_t)w : 0;
  }
  if (!(revents & (POLLIN | POLLHUP | POLLERR)))
    return 0;
  ssize_t n = read(fd, buf, CHUNK);
  if (n < 0 && errno == EAGAIN)
    return 0;
  if (n <= 0 || (uint64_t)n > *sent - *got) {
    fail("%s: %s after %llu of %llu bytes", what,
         n < 0    ? strerror(errno)
         : n == 0 ? "EOF"
                  : "more bytes than sent",
         (unsigned long long)*got, (unsigned long long)total);
    return -1;
  }
  const unsigned char *want = pattern + *got % PERIOD;
  if (memcmp(buf, want, (size_t)n) != 0) {
    size_t at = 0;
    while (buf[at] == want[at])
      at++;
    fail("%s: WRONG BYTE came back at offset %llu", what,
         (unsigned long long)(*got + at));
    return -1;
  }
  *got += (uint64_t)n;
  return 0;
}

/* Sends o->mib MiB through the path and reads them back; the MB/s, or -1
 * (said why). */
static double bulk(const Path *p, const Options *o) {
  char what[64];
  snprintf(what, sizeof what, "%s throughput", p->name);
  int fd = connect_local(p->port, (int)o->timeout_ms);
  if (fd < 0)
    return -1;
  uint64_t total = (uint64_t)o->mib << 20, sent = 0, got = 0;
  double t0 = now_s();
  while (got < total) {
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    if (sent < total)
      pf.events |= POLLOUT;
    int r = poll(&pf, 1, (int)o->timeout_ms);
    if (r == 0)
      fail("%s: nothing moved for %ld ms (a hang) at %llu sent, %llu back",
           what, o->timeout_ms, (unsigned long long)sent,
           (unsigned long long)got);
    if (r == 0 || (r < 0 && errno != EINTR) ||
        (r > 0 && bulk_step(fd, pf.revents, total, &sent, &got, what) < 0)) {
      close(fd);
      return -1;
    }
  }
  double secs = now_s() - t0;
  int end = expect_clean_end(fd, o->timeout_ms, what);
  close(fd);
  return end < 0 ? -1 : (double)total / 1e6 / secs;
}

/* o->pings round trips of o->size bytes, after WARMUP unrecorded ones;
 * appends the times to p->rtt_us.  -1 (said why) on a wrong byte or a
 * hang. */
static int pings(Path *p, const Options *o) {
  char what[64];
  snprintf(what, sizeof what, "%s latency", p->name);
  int fd = connect_local(p->port, (int)o->timeout_ms);
  if (fd < 0)
    return -1;
  set_nodelay(fd);
  int rc = 0;
  for (long i = 0; i < WARMUP + o->pings && rc == 0; i++) {
    const unsigned char *msg = pattern + (size_t)(i * 7919) % PERIOD;
    double t0 = now_s();
    rc = write_all(fd, msg, (size_t)o->size, o->timeout_ms, what);
    if (rc == 0)
      rc = read_exact(fd, msg, (size_t)o->size, o->timeout_ms, what);
    if (rc == 0 && i >= WARMUP)
      p->rtt_us[p->n_rtt++] = (now_s() - t0) * 1e6;
  }
  if (rc == 0)
    rc = expect_clean_end(fd, o->timeout_ms, what);
  close(fd);
  return rc;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of v[0..n), sorting v. */
static double quantile(double *v, size_t n, double q) {
  qsort(v, n, sizeof *v, cmp_double);
  size_t i = (size_t)(q * (double)(n - 1) + 0.5);
  return v[i < n ? i : n - 1];
}

static const Path *find_path(const Path *paths, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(paths[i].name, name) == 0)
      return &paths[i];
  return NULL;
}

/* Summary figures of one path (after measuring). */
typedef struct {
  double mbps, mbps_lo, mbps_hi, median_us, p99_us;
} Figures;

static Figures figures(Path *p, const Options *o) {
  Figures f;
  f.mbps = quantile(p->mbps, (size_t)o->rounds, 0.5);
  f.mbps_lo = p->mbps[0];
  f.mbps_hi = p->mbps[o->rounds - 1];
  f.median_us = quantile(p->rtt_us, p->n_rtt, 0.5);
  f.p99_us = quantile(p->rtt_us, p->n_rtt, 0.99);
  return f;
}

/* The lines about the targets, when bridge and socat were both
 * measured. */
static void print_targets(const Path *paths, const Figures *fig, int n,
                          const Options *o) {
  const Path *br = find_path(paths, n, "bridge");
  const Path *so = find_path(paths, n, "socat");
  if (br == NULL)
    return;
  const Figures *fb = &fig[br - paths];
  if (so != NULL) {
    double ratio = fb->mbps / fig[so - paths].mbps;
    printf("bridge/socat throughput: %.2f (target >= 0.50: %s)\n", ratio,
           ratio >= 0.5 ? "met" : "NOT met");
  }
  double added = fb->median_us - fig[0].median_us;
  double limit = 100.0 + o->sim_rtt_us;
  printf("bridge added latency: %.1f us (target < 100 us + %.0f us "
         "simulated round trip = %.0f us: %s)\n",
         added, o->sim_rtt_us, limit, added < limit ? "met" : "NOT met");
}

static void print_table(Path *paths, int n, const Options *o) {
  Figures fig[MAX_PATHS];
  printf("\n%-8s %10s %17s %10s %10s %10s\n", "path", "MB/s", "(min-max)",
         "median us", "p99 us", "added us");
  for (int i = 0; i < n; i++) {
    fig[i] = figures(&paths[i], o);
    char range[32], added[16];
    snprintf(range, sizeof range, "(%.0f-%.0f)", fig[i].mbps_lo,
             fig[i].mbps_hi);
    if (i == 0)
      snprintf(added, sizeof added, "-");
    else
      snprintf(added, sizeof added, "%.1f",
               fig[i].median_us - fig[0].median_us);
    printf("%-8s %10.1f %17s %10.1f %10.1f %10s\n", paths[i].name, fig[i].mbps,
           range, fig[i].median_us, fig[i].p99_us, added);
  }
  printf("\n");
  print_targets(paths, fig, n, o);
  printf("BENCH bridge mib=%ld pings=%ld size=%ld rounds=%ld", o->mib, o->pings,
         o->size, o->rounds);
  for (int i = 0; i < n; i++)
    printf(" %s_mbps=%.1f %s_median_us=%.1f %s_p99_us=%.1f", paths[i].name,
           fig[i].mbps, paths[i].name, fig[i].median_us, paths[i].name,
           fig[i].p99_us);
  printf("\n");
}

/* Every round measures every path once, in the order given. */
static int measure_all(Path *paths, int n, const Options *o) {
  for (long r = 0; r < o->rounds; r++) {
    for (int i = 0; i < n; i++) {
      double mbps = bulk(&paths[i], o);
      if (mbps < 0 || pings(&paths[i], o) < 0)
        return 1;
      paths[i].mbps[r] = mbps;
      fprintf(stderr, "bridge_bench: round %ld/%ld %-8s %8.1f MB/s\n", r + 1,
              o->rounds, paths[i].name, mbps);
    }
  }
  return 0;
}

typedef struct {
  const char *flag;
  long *value;
  long lo, hi;
} IntFlag;

/* Options, then NAME=PORT paths; -1 (said why) on bad usage. */
static int parse_measure(int argc, char **argv, Options *o, Path *paths,
                         int *n) {
  const IntFlag flags[] = {
      {"--mib", &o->mib, 1, 65536},
      {"--pings", &o->pings, 1, 1000000},
      {"--size", &o->size, 1, 4096},
      {"--rounds", &o->rounds, 1, 100},
      {"--timeout-ms", &o->timeout_ms, 1, 600000},
  };
  long sim_rtt = 0;
  IntFlag rtt = {"--sim-rtt-us", &sim_rtt, 0, 100000000};
  int i = 0;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
    const IntFlag *f = strcmp(argv[i], rtt.flag) == 0 ? &rtt : NULL;
    for (size_t k = 0; f == NULL && k < sizeof flags / sizeof *flags; k++)
      if (strcmp(argv[i], flags[k].flag) == 0)
        f = &flags[k];
    if (f == NULL || i + 1 >= argc ||
        parse_int(argv[i + 1], f->lo, f->hi, f->value) < 0)
      return -1;
  }
  o->sim_rtt_us = (double)sim_rtt;
  for (*n = 0; i < argc && *n < MAX_PATHS; i++, (*n)++) {
    char *eq = strchr(argv[i], '=');
    long port;
    if (eq == NULL || eq == argv[i] || parse_int(eq + 1, 1, 65535, &port) < 0)
      return -1;
    *eq = '\0';
    paths[*n] = (Path){.name = argv[i], .port = (int)port};
  }
  return *n > 0 && i == argc ? 0 : -1;
}

static int cmd_measure(int argc, char **argv) {
  Options o = {
      .mib = 64, .pings = 2000, .size = 64, .rounds = 3, .timeout_ms = 10000};
  Path paths[MAX_PATHS];
  int n;
  if (parse_measure(argc, argv, &o, paths, &n) < 0) {
    fail("usage: bridge_bench measure [--mib N] [--pings N] [--size N] "
         "[--rounds N] [--timeout-ms N] [--sim-rtt-us N] NAME=PORT...");
    return 2;
  }
  for (int i = 0; i < n; i++) {
    paths[i].mbps = calloc((size_t)o.rounds, sizeof(double));
    paths[i].rtt_us = calloc((size_t)(o.rounds * o.pings), sizeof(double));
    if (paths[i].mbps == NULL || paths[i].rtt_us == NULL)
      return 1;
  }
  printf("bridge_bench: %ld MiB echoed per throughput run, %ld round trips "
         "of %ld bytes, %ld round(s)\n",
         o.mib, o.pings, o.size, o.rounds);
  fflush(stdout);
  int rc = measure_all(paths, n, &o);
  if (rc == 0)
    print_table(paths, n, &o);
  for (int i = 0; i < n; i++) {
    free(paths[i].mbps);
    free(paths[i].rtt_us);
  }
  return rc;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  make_pattern();
  if (argc >= 2 && strcmp(argv[1], "echo") == 0)
    return cmd_echo(argc - 2, argv + 2);
  if (argc == 2 && strcmp(argv[1], "free-port") == 0)
    return cmd_free_port();
  if (argc >= 2 && strcmp(argv[1], "wait") == 0)
    return cmd_wait(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "measure") == 0)
    return cmd_measure(argc - 2, argv + 2);
  fail("usage: bridge_bench echo|free-port|wait|measure ... (see the top of "
       "bench/bridge_bench.c)");
  return 2;
}

/* two_lans.cc — bench/bench.c's two_lans workload, built in ns-3.
 *
 * The same network and traffic as `bench two_lans`, so that
 * `bench/run.sh compare` can put the two simulators' frame-hops per second
 * side by side (bench/README.md, "compare with ns-3", says why each choice
 * below was made):
 *
 *   h1..h16  192.168.1.10-25 --- sw1 --- eth0 [r1] eth1 --- sw2 ---
 *            h17..h32 192.168.2.10-25
 *
 *  - every cable is its own CsmaChannel with two CsmaNetDevices on it, each
 *    with a 64-packet DropTail queue (netsim's default link queue); a switch
 *    is a node whose port devices are joined by a BridgeNetDevice (flooding
 *    and MAC learning, as netsim's switch);
 *  - a CsmaChannel is a half-duplex bus that stays busy for a frame's
 *    transmission plus its propagation delay, and a device that finds it
 *    busy backs off for a random time.  With netsim's 100 Mbit/s and 10 us
 *    the router's cables would have to carry 64 frames of ~19 us per
 *    millisecond, more than they can: queues overflow and pings fail; at
 *    100 Mbit/s without delay 0.3 % of the frames are still lost in bursts
 *    of backoffs.  So the channels run at 1 Gbit/s with no propagation
 *    delay, where every frame arrives and backoffs stay few (they are
 *    counted and printed); --rate-mbit and --delay-us change that;
 *  - hosts and the router run the IPv4 stack only (no IPv6) with static
 *    routing only (InternetStackHelper's default list adds global routing,
 *    which every forwarded packet would consult too), addresses set by hand
 *    (so no queue disc is installed above the devices: the device queue is
 *    the only queue, as in netsim), a default route on each host, the
 *    router forwarding between its two connected /24s;
 *  - every host runs ns-3's V4Ping towards its partner (h1 <-> h17, ...):
 *    ICMP echo with 56 data bytes (98-byte frames, as netsim's ping), one
 *    request every 1 ms from time 0, `--pings` requests each, all 32 pings
 *    together, answered by the partner's ICMP layer;
 *  - ARP as netsim's: the request goes out at once (ns-3 delays each by a
 *    random 0-10 ms RequestJitter by default) and the pending queue of an
 *    unresolved address holds 64 packets (ns-3's default is 3, and the
 *    rest are dropped);
 *  - checksums: ns-3's default, off.  --checksums computes and verifies the
 *    IPv4 and ICMP checksums, as netsim always does, but also the Ethernet
 *    FCS (CRC-32 of every frame), which netsim does not model.
 *
 * Figures, as bench.c defines them:
 *   frame-hops  frames received by a CsmaNetDevice from its channel (the
 *               PhyRxEnd trace on every device).  A channel here has exactly
 *               two devices, so one frame crossing one cable in one direction
 *               is one hop, as netsim's NsLinkDirStats.delivered;
 *   events      Simulator::GetEventCount() during the run;
 *   wall        monotonic time around Simulator::Run() only (building the
 *               network is not timed, as in bench.c).
 *
 * Check: every host had `--pings` ICMP echo replies delivered to it (the
 * Ipv4L3Protocol LocalDeliver trace: V4Ping closes its socket when it stops,
 * so its own count misses replies still in flight), every host sent
 * 2 x `--pings` IP datagrams (its requests and its replies to its partner),
 * and no device, ARP cache or IPv4 layer dropped anything.  Otherwise it
 * prints what went wrong and exits 1.
 *
 * Usage: ns3-two-lans [--pings N] [--rate-mbit N] [--delay-us N]
 *                     [--checksums]
 */
#include <ns3/bridge-module.h>
#include <ns3/core-module.h>
#include <ns3/csma-module.h>
#include <ns3/internet-apps-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/version-defines.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace ns3;

namespace {

const unsigned kHostsPerLan = 16;
const unsigned kHosts = 2 * kHostsPerLan;

/* The command line. */
struct Options {
  unsigned count = 10000;    /* --pings */
  unsigned rate_mbit = 1000; /* --rate-mbit */
  unsigned delay_us = 0;     /* --delay-us */
  bool checksums = false;    /* --checksums */
};

/* What the traces count during the run. */
struct Counts {
  uint64_t hops = 0;         /* PhyRxEnd, every device */
  uint64_t device_drops = 0; /* PhyRxDrop, PhyTxDrop, MacTxDrop */
  uint64_t backoffs = 0;     /* MacTxBackoff: the CSMA channel was busy */
  uint64_t arp_drops = 0;    /* ArpL3Protocol, ArpCache Drop */
  uint64_t ip_drops = 0;     /* Ipv4L3Protocol Drop */
  std::vector<uint64_t> replies = std::vector<uint64_t>(kHosts);
  std::vector<uint64_t> sent = std::vector<uint64_t>(kHosts);
  Time last_reply;
};

void CountPacket(uint64_t *n, Ptr<const Packet>) { ++*n; }
/* LocalDeliver on a host: counts the ICMP echo replies (type 0). */
void CountReply(uint64_t *n, Time *last, const Ipv4Header &h,
                Ptr<const Packet> p, uint32_t) {
  uint8_t type = 255;
  if (h.GetProtocol() == 1 && p->CopyData(&type, 1) == 1 && type == 0) {
    ++*n;
    *last = Simulator::Now();
  }
}
void CountSent(uint64_t *n, const Ipv4Header &, Ptr<const Packet>, uint32_t) {
  ++*n;
}
void CountIpDrop(uint64_t *n, const Ipv4Header &, Ptr<const Packet>,
                 Ipv4L3Protocol::DropReason, Ptr<Ipv4>, uint32_t) {
  ++*n;
}

/* The two LANs: hosts.Get(i) is h<i+1>, on LAN i / kHostsPerLan. */
struct Net {
  NodeContainer hosts, switches;
  Ptr<Node> router;
};

CsmaHelper Cable(const Options &o) {
  CsmaHelper csma;
  csma.SetChannelAttribute("DataRate",
                           DataRateValue(DataRate(o.rate_mbit * 1000000ULL)));
  csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(o.delay_us)));
  csma.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("64p"));
  return csma;
}

void AddAddress(Ptr<Node> node, Ptr<NetDevice> dev, const std::string &addr) {
  Ptr<Ipv4> ip = node->GetObject<Ipv4>();
  int32_t ifi = ip->AddInterface(dev);
  ip->AddAddress(ifi, Ipv4InterfaceAddress(Ipv4Address(addr.c_str()),
                                           Ipv4Mask("255.255.255.0")));
  ip->SetUp(ifi);
}

std::string LanAddress(unsigned lan, unsigned last) {
  return "192.168." + std::to_string(lan + 1) + "." + std::to_string(last);
}

/* Cables, switches, router, addresses and routes. */
Net Build(const Options &o) {
  Net n;
  n.hosts.Create(kHosts);
  n.switches.Create(2);
  n.router = CreateObject<Node>();
  CsmaHelper csma = Cable(o);
  Ipv4StaticRoutingHelper routing;
  InternetStackHelper stack;
  stack.SetIpv6StackInstall(false);
  stack.SetRoutingHelper(routing); /* static routes only, as netsim */
  stack.Install(n.hosts);
  stack.Install(n.router);
  for (unsigned lan = 0; lan < 2; lan++) {
    Ptr<Node> sw = n.switches.Get(lan);
    NetDeviceContainer ports;
    NetDeviceContainer up = csma.Install(NodeContainer(n.router, sw));
    AddAddress(n.router, up.Get(0), LanAddress(lan, 1));
    ports.Add(up.Get(1));
    for (unsigned j = 0; j < kHostsPerLan; j++) {
      Ptr<Node> h = n.hosts.Get(lan * kHostsPerLan + j);
      NetDeviceContainer c = csma.Install(NodeContainer(h, sw));
      AddAddress(h, c.Get(0), LanAddress(lan, 10 + j));
      ports.Add(c.Get(1));
      routing.GetStaticRouting(h->GetObject<Ipv4>())
          ->SetDefaultRoute(Ipv4Address(LanAddress(lan, 1).c_str()), 1);
    }
    BridgeHelper bridge;
    bridge.Install(sw, ports);
  }
  return n;
}

/* The 32 pings, and the traces that count for the check. */
void StartPings(Net &n, unsigned count, Counts &c) {
  for (unsigned i = 0; i < kHosts; i++) {
    unsigned partner = (i + kHostsPerLan) % kHosts;
    V4PingHelper ping(Ipv4Address(
        LanAddress(partner / kHostsPerLan, 10 + partner % kHostsPerLan)
            .c_str()));
    ping.SetAttribute("Interval", TimeValue(MilliSeconds(1)));
    ping.SetAttribute("Size", UintegerValue(56));
    ping.SetAttribute("Verbose", BooleanValue(false));
    ApplicationContainer app = ping.Install(n.hosts.Get(i));
    /* Requests go at 0, 1, ... count-1 ms; stopping half an interval after
     * the last one sends exactly count. */
    app.Start(Seconds(0));
    app.Stop(MilliSeconds(count - 1) + MicroSeconds(500));
    n.hosts.Get(i)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "SendOutgoing", MakeBoundCallback(&CountSent, &c.sent[i]));
    n.hosts.Get(i)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "LocalDeliver",
        MakeBoundCallback(&CountReply, &c.replies[i], &c.last_reply));
  }
}

void ConnectCounters(Counts &c) {
  const std::string dev = "/NodeList/*/DeviceList/*/$ns3::CsmaNetDevice/";
  Config::ConnectWithoutContext(dev + "PhyRxEnd",
                                MakeBoundCallback(&CountPacket, &c.hops));
  for (const char *t : {"PhyRxDrop", "PhyTxDrop", "MacTxDrop"})
    Config::ConnectWithoutContext(
        dev + t, MakeBoundCallback(&CountPacket, &c.device_drops));
  Config::ConnectWithoutContext(dev + "MacTxBackoff",
                                MakeBoundCallback(&CountPacket, &c.backoffs));
  Config::ConnectWithoutContext("/NodeList/*/$ns3::ArpL3Protocol/Drop",
                                MakeBoundCallback(&CountPacket, &c.arp_drops));
  Config::ConnectWithoutContext(
      "/NodeList/*/$ns3::Ipv4L3Protocol/InterfaceList/*/ArpCache/Drop",
      MakeBoundCallback(&CountPacket, &c.arp_drops));
  Config::ConnectWithoutContext("/NodeList/*/$ns3::Ipv4L3Protocol/Drop",
                                MakeBoundCallback(&CountIpDrop, &c.ip_drops));
}

/* 1234567 -> "1,234,567" */
std::string Grouped(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = (int)s.size() - 3; i > 0; i -= 3)
    s.insert((size_t)i, ",");
  return s;
}

std::string Scaled(double v) {
  char b[32];
  if (v >= 1e6)
    snprintf(b, sizeof b, "%.2f M", v / 1e6);
  else if (v >= 1e3)
    snprintf(b, sizeof b, "%.2f k", v / 1e3);
  else
    snprintf(b, sizeof b, "%.2f", v);
  return b;
}

long PeakRssKib() {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* Prints the replies line; true if every host got and sent all it should. */
bool AllAnswered(const char *name, const Counts &c, unsigned count) {
  uint64_t rx = 0, sent = 0;
  unsigned bad = 0;
  for (unsigned i = 0; i < kHosts; i++) {
    rx += c.replies[i];
    sent += c.sent[i];
    if (c.replies[i] != count || c.sent[i] != 2 * (uint64_t)count) {
      if (bad++ < 4)
        printf("%s: h%u: %llu replies, %llu datagrams sent\n", name, i + 1,
               (unsigned long long)c.replies[i], (unsigned long long)c.sent[i]);
    }
  }
  printf("%s: %u pings, %s/%s echo replies delivered/expected, %s IP "
         "datagrams sent by hosts (requests and replies)\n",
         name, kHosts, Grouped(rx).c_str(),
         Grouped((uint64_t)kHosts * count).c_str(), Grouped(sent).c_str());
  printf("%s: dropped: %s by devices, %s by ARP, %s by IPv4; %s CSMA "
         "backoffs\n",
         name, Grouped(c.device_drops).c_str(), Grouped(c.arp_drops).c_str(),
         Grouped(c.ip_drops).c_str(), Grouped(c.backoffs).c_str());
  bool drops = c.device_drops + c.arp_drops + c.ip_drops > 0;
  if (bad > 0 || drops)
    printf("%s: FAIL: %u hosts incomplete (expected %u replies and %u "
           "datagrams sent each)%s\n",
           name, bad, count, 2 * count, drops ? ", frames dropped" : "");
  return bad == 0 && !drops;
}

/* An option's value in [lo, hi]; exits with the usage on anything else. */
unsigned Number(const char *prog, const char *s, long lo, long hi) {
  char *end = nullptr;
  long v = s != nullptr ? strtol(s, &end, 10) : -1;
  if (s == nullptr || end == s || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr,
            "usage: %s [--pings N] [--rate-mbit N] [--delay-us N] "
            "[--checksums]\n"
            "  --pings 1-65535 (default 10000), --rate-mbit 1-100000 "
            "(1000),\n  --delay-us 0-1000000 (0), --checksums: compute and "
            "verify IPv4/ICMP\n  checksums and the Ethernet FCS\n",
            prog);
    exit(2);
  }
  return (unsigned)v;
}

Options Parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (strcmp(a, "--checksums") == 0) {
      o.checksums = true;
      continue;
    }
    if (strcmp(a, "--pings") == 0)
      o.count = Number(argv[0], v, 1, 65535);
    else if (strcmp(a, "--rate-mbit") == 0)
      o.rate_mbit = Number(argv[0], v, 1, 100000);
    else if (strcmp(a, "--delay-us") == 0)
      o.delay_us = Number(argv[0], v, 0, 1000000);
    else
      Number(argv[0], nullptr, 0, 0); /* usage */
    i++;
  }
  return o;
}

} // namespace

int main(int argc, char **argv) {
  const char *name = "ns3_two_lans";
  Options o = Parse(argc, argv);
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(o.checksums));
  Config::SetDefault("ns3::ArpCache::PendingQueueSize", UintegerValue(64));
  Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                     StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));

  Net n = Build(o);
  Counts c;
  StartPings(n, o.count, c);
  ConnectCounters(c);
  /* As bench.c: every request is sent by count ms; a last timeout after.
   * Nothing in this network schedules periodic events, so Run() returns
   * when the last frame is delivered, long before this limit. */
  Simulator::Stop(MilliSeconds(o.count) + Seconds(60));

  uint64_t events0 = Simulator::GetEventCount();
  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  auto t1 = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(t1 - t0).count();
  uint64_t events = Simulator::GetEventCount() - events0;
  Simulator::Destroy();

  printf("%s: ns-3 %d.%d (%s build), 2 LANs x %u hosts, %u pings of %s "
         "requests each, interval 1 ms, CSMA %u Mbit/s %u us, checksums "
         "%s, last reply at %.3f s\n",
         name, NS3_VERSION_MAJOR, NS3_VERSION_MINOR, NS3_VERSION_BUILD_PROFILE,
         kHostsPerLan, kHosts, Grouped(o.count).c_str(), o.rate_mbit,
         o.delay_us, o.checksums ? "on" : "off", c.last_reply.GetSeconds());
  bool ok = AllAnswered(name, c, o.count);
  double hps = seconds > 0 ? (double)c.hops / seconds : 0;
  double eps = seconds > 0 ? (double)events / seconds : 0;
  printf("%s: run %.3f s\n", name, seconds);
  printf("%s: %s frame-hops in %.3f s = %s frame-hops/s\n", name,
         Grouped(c.hops).c_str(), seconds, Scaled(hps).c_str());
  printf("%s: %s events in %.3f s = %s events/s\n", name,
         Grouped(events).c_str(), seconds, Scaled(eps).c_str());
  printf("%s: peak RSS %s KiB\n", name,
         Grouped((uint64_t)PeakRssKib()).c_str());
  printf("BENCH %s hosts=%u pings=%u count=%u wall_s=%.6f frame_hops=%llu "
         "hops_per_s=%.0f events=%llu events_per_s=%.0f rss_kib=%ld "
         "backoffs=%llu rate_mbit=%u delay_us=%u checksums=%d ok=%d\n",
         name, kHosts, kHosts, o.count, seconds, (unsigned long long)c.hops,
         hps, (unsigned long long)events, eps, PeakRssKib(),
         (unsigned long long)c.backoffs, o.rate_mbit, o.delay_us,
         o.checksums ? 1 : 0, ok ? 1 : 0);
  return ok ? 0 : 1;
}

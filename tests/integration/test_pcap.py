#!/usr/bin/env python3
"""Integration tests: --pcap and --pcapng captures, checked with tshark
and capinfos (Wireshark's own readers) the way a teacher opens them.

Every capture is read with IP, TCP and UDP checksum validation on (ICMP's
is always checked) and must have no malformed frame and no checksum that
is not good; then each test counts what it made on the link of h1
(two_lans.conf: h1 -- sw1 -- r1 -- sw2 -- h3, h4; h2 on sw1)."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
NETSIM = os.environ.get("NETSIM", os.path.join(TOP, "netsim"))
TWO_LANS = os.path.join(TOP, "topologies", "two_lans.conf")
TSHARK = shutil.which("tshark")
CAPINFOS = shutil.which("capinfos")
CHECKSUMS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE"]
# two_lans.conf's links as the --pcap files name them
LINK_FILES = sorted(["h1-eth0--sw1-port2.pcap", "h2-eth0--sw1-port3.pcap",
                     "h3-eth0--sw2-port2.pcap", "h4-eth0--sw2-port3.pcap",
                     "r1-eth0--sw1-port1.pcap", "r1-eth1--sw2-port1.pcap"])
H1 = "h1-eth0--sw1-port2.pcap"

results = []


def interface_name(pcap_file):
    """The pcapng interface of a --pcap file: h1:eth0--sw1:port2."""
    a, b = pcap_file[:-len(".pcap")].split("--")
    return a.replace("-", ":") + "--" + b.replace("-", ":")


def test(fn):
    results.append(fn)
    return fn


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def tshark(path, *args):
    p = subprocess.run([TSHARK, "-n", "-r", path, *CHECKSUMS, *args],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"tshark {path}: exit {p.returncode}: {p.stderr}")
    return p.stdout


def count(path, display_filter):
    out = tshark(path, "-Y", display_filter, "-T", "fields", "-e", "frame.number")
    return len(out.split())


SOUND_FIELDS = ["_ws.malformed", "_ws.expert.severity", "ip.checksum.status",
                "icmp.checksum.status", "udp.checksum.status",
                "tcp.checksum.status", "frame.protocols"]
PI_ERROR = 0x00800000  # Wireshark's expert severity "error"


def check_sound(path):
    """No malformed frame, every checksum checked and good; frame count.
    One tshark pass: a line per frame with the fields above."""
    out = tshark(path, "-T", "fields", "-E", "occurrence=a",
                 *[a for f in SOUND_FIELDS for a in ("-e", f)])
    lines = out.splitlines()
    for i, line in enumerate(lines, 1):
        malformed, severity, *sums, protos = line.split("\t")
        check(malformed == "", f"{path}: frame {i} malformed")
        check(all(int(v, 0) < PI_ERROR for v in severity.split(",") if v),
              f"{path}: frame {i}: an error: {line}")
        for proto, status in zip(("ip", "icmp", "udp", "tcp"), sums):
            layers = protos.split(":")
            check(proto not in layers or status != "",
                  f"{path}: frame {i}: {proto} checksum not checked")
            # 1 good, 0 bad; a quoted header inside an ICMP error may be
            # too short to verify (2), but never bad
            values = status.split(",")
            check(values[0] in ("", "1") and "0" not in values,
                  f"{path}: frame {i}: {proto} checksum not good: {line}")
    return len(lines)


class Capture:
    """Runs a script on two_lans.conf with --pcap DIR and --pcapng FILE."""

    def __init__(self, script, *args):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "caps")
        self.ng = os.path.join(self.tmp.name, "all.pcapng")
        scn = os.path.join(self.tmp.name, "s.scn")
        with open(scn, "w") as f:
            f.write(script)
        p = subprocess.run([NETSIM, "-q", "--pcap", self.dir, "--pcapng", self.ng,
                            *args, "-s", scn, TWO_LANS],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, f"netsim: exit {p.returncode}: {p.stderr}{p.stdout}")
        check(sorted(os.listdir(self.dir)) == LINK_FILES, os.listdir(self.dir))
        total = sum(check_sound(self.file(n)) for n in LINK_FILES)
        check(check_sound(self.ng) == total,
              "the pcapng file and the pcap files differ in frames")

    def file(self, name=H1):
        return os.path.join(self.dir, name)

    def count(self, display_filter, name=H1):
        """Frames matching on one link, the same in both captures."""
        n = count(self.file(name), display_filter)
        ng = count(self.ng, f'({display_filter}) && '
                   f'frame.interface_name == "{interface_name(name)}"')
        check(n == ng, f"{display_filter}: {n} in {name}, {ng} in the pcapng")
        return n

    def close(self):
        self.tmp.cleanup()


def expect_counts(cap, want, name=H1):
    got = {f: cap.count(f, name) for f in want}
    check(got == want, f"{name}: expected {want}, got {got}")


@test
def one_file_per_link_and_one_interface_per_link():
    cap = Capture("h1 ping h2 count 1\nwait\n")
    try:
        out = subprocess.run([CAPINFOS, cap.ng], capture_output=True, text=True,
                             timeout=60).stdout
        check("Number of interfaces in file: 6" in out, out)
        for name in LINK_FILES:
            ifname = interface_name(name)
            check(f"Name = {ifname}" in out, f"{ifname} not in capinfos")
        check("nanoseconds" in out, "timestamps are not in nanoseconds")
    finally:
        cap.close()


@test
def arp_and_ping():
    cap = Capture("h1 ping h2 count 2\nwait\n")
    try:
        expect_counts(cap, {"arp.opcode == 1": 1, "arp.opcode == 2": 1,
                            "icmp.type == 8": 2, "icmp.type == 0": 2, "frame": 6})
        # the request crosses the switch: on h2's link too, same frames
        expect_counts(cap, {"arp": 2, "icmp": 4}, "h2-eth0--sw1-port3.pcap")
        expect_counts(cap, {"arp": 1, "icmp": 0}, "r1-eth0--sw1-port1.pcap")
    finally:
        cap.close()


@test
def ping_across_the_router_changes_ttl_and_macs():
    cap = Capture("h1 ping h3 count 1\nwait\n")
    try:
        expect_counts(cap, {"icmp.type == 8 && ip.ttl == 64": 1})
        expect_counts(cap, {"icmp.type == 8 && ip.ttl == 63": 1},
                      "h3-eth0--sw2-port2.pcap")
        src = tshark(cap.file("h3-eth0--sw2-port2.pcap"), "-Y", "icmp.type == 8",
                     "-T", "fields", "-e", "eth.src", "-e", "ip.src").split()
        h1mac = tshark(cap.file(), "-Y", "icmp.type == 8", "-T", "fields",
                       "-e", "eth.src").split()
        check(src[1] == "192.168.1.10" and src[0] != h1mac[0],
              f"behind the router: {src}, h1 sends from {h1mac}")
    finally:
        cap.close()


@test
def traceroute():
    cap = Capture("h1 traceroute h4\nwait\n")
    try:
        # a time exceeded quotes the probe: not counted as one
        probe = "icmp.type == 8 && ip.ttl == 1 && !(icmp.type == 11)"
        expect_counts(cap, {probe: 3, "icmp.type == 11": 3, "icmp.type == 0": 3})
    finally:
        cap.close()


@test
def udp_unicast_broadcast_multicast():
    cap = Capture("h1 udp send h3:7 hello\nwait\n"
                  "h1 udp send 255.255.255.255:9000 to all\nwait\n"
                  "h2 join 239.1.1.1\nwait\n"
                  "h1 udp send 239.1.1.1:9000 to the group\nwait\n")
    try:
        expect_counts(cap, {"udp.dstport == 7": 1, "udp.srcport == 7": 1,
                            "ip.dst == 255.255.255.255 && udp": 1,
                            "ip.dst == 239.1.1.1 && udp": 1, "icmp": 0})
        expect_counts(cap, {"ip.dst == 255.255.255.255 && udp": 1,
                            "ip.dst == 239.1.1.1 && udp": 1},
                      "h2-eth0--sw1-port3.pcap")
        # the router ends the broadcast domain
        expect_counts(cap, {"ip.dst == 255.255.255.255": 0,
                            "ip.dst == 239.1.1.1": 0, "udp.dstport == 7": 1},
                      "h3-eth0--sw2-port2.pcap")
    finally:
        cap.close()


CAST = os.path.join(TOP, "topologies", "cast.conf")
CAST_SCN = os.path.join(TOP, "topologies", "cast.scn")
IGMP_FIELDS = ["igmp.version", "igmp.type", "igmp.checksum.status",
               "igmp.maddr", "igmp.max_resp", "ip.dst", "ip.ttl", "ip.dsfield",
               "ip.flags.df", "ip.opt.type", "_ws.expert.severity",
               "_ws.malformed"]


@test
def igmp_in_the_cast_lesson():
    """The cast lesson's IGMP as Wireshark reads it: v2 queries, reports and
    a leave with good checksums, TTL 1, TOS 0xc0, DF, Router Alert, no
    expert note at all; and the snooping switch's decisions per link."""
    with tempfile.TemporaryDirectory() as d:
        caps, ng = os.path.join(d, "caps"), os.path.join(d, "all.pcapng")
        p = subprocess.run([NETSIM, "-q", "--pcap", caps, "--pcapng", ng,
                            "-s", CAST_SCN, CAST],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, f"netsim: exit {p.returncode}: {p.stdout}")
        for name in os.listdir(caps):
            check_sound(os.path.join(caps, name))
        out = tshark(ng, "-Y", "igmp", "-T", "fields", "-E", "occurrence=a",
                     *[a for f in IGMP_FIELDS for a in ("-e", f)])
        types = {}
        for line in out.splitlines():
            (version, kind, csum, group, max_resp, dst, ttl, ds, df, opt,
             severity, malformed) = line.split("\t")
            check((version, csum, ttl, ds, df, opt) ==
                  ("2", "1", "1", "0xc0", "1", "148"), f"igmp frame: {line}")
            check(severity == "" and malformed == "", f"expert note: {line}")
            want_dst = {"0x16": group, "0x17": "224.0.0.2",
                        "0x11": "224.0.0.1" if group == "0.0.0.0" else group}
            check(dst == want_dst[kind], f"destination: {line}")
            if kind == "0x11":
                check(max_resp == ("100" if group == "0.0.0.0" else "10"),
                      f"max resp: {line}")
            types[kind] = types.get(kind, 0) + 1
        check(set(types) == {"0x11", "0x16", "0x17"}, f"types: {types}")

        def n(link, display_filter):
            return count(os.path.join(caps, link), display_filter)
        h4 = "h4-eth0--sw1-port5.pcap"
        r1 = "r1-eth0--sw1-port1.pcap"
        # reports go to the querier's port only: h4 hears none but its own
        check(n(h4, "igmp.type == 0x16 && ip.src != 192.168.1.13") == 0,
              "h4 heard another member's report")
        check(n(r1, "igmp.type == 0x16 && ip.src == 192.168.1.11") >= 2,
              "r1 did not hear h2's reports")
        # the group reaches h4's port only while it is a member; every
        # member's port gets it, and so does the querier's
        check(n(h4, "udp && ip.dst == 239.1.1.1") == 1, "h4 and the group")
        check(n(h4, "udp && ip.dst == 255.255.255.255") == 1, "broadcast")
        check(n("h2-eth0--sw1-port3.pcap", "udp && ip.dst == 239.1.1.1") == 3,
              "h2 and the group")
        check(n(r1, "udp && ip.dst == 239.1.1.1") == 3, "r1 and the group")


def tcp_flags(cap, port):
    out = tshark(cap.file(), "-Y", f"tcp.port == {port}", "-T", "fields",
                 "-e", "tcp.flags")
    names = {0x002: "SYN", 0x012: "SYN-ACK", 0x010: "ACK", 0x018: "PSH-ACK",
             0x011: "FIN-ACK", 0x001: "FIN", 0x004: "RST", 0x014: "RST-ACK"}
    return [names.get(int(f, 16), f) for f in out.split()]


@test
def tcp_echo_open_and_close():
    cap = Capture("h1 tcp connect h3:7\nwait\nh1 tcp send hello\nwait\n"
                  "h1 tcp close\nwait\n")
    try:
        flags = tcp_flags(cap, 7)
        check(flags[:3] == ["SYN", "SYN-ACK", "ACK"], f"open: {flags}")
        fins = [i for i, f in enumerate(flags) if "FIN" in f]
        check(len(fins) == 2 and flags[-1] == "ACK" and fins[-1] < len(flags) - 1,
              f"close: {flags}")
        check("RST" not in " ".join(flags), f"reset: {flags}")
        expect_counts(cap, {"tcp.len > 0 && tcp.dstport == 7": 1,
                            "tcp.len > 0 && tcp.srcport == 7": 1})
    finally:
        cap.close()


@test
def http_get():
    cap = Capture("h1 tcp connect h3:80\nwait\n"
                  'h1 tcp send "GET / HTTP/1.1\\r\\nHost: h3\\r\\n\\r\\n"\nwait\n'
                  "h1 tcp close\nwait\n")
    try:
        expect_counts(cap, {"http.request.method == \"GET\"": 1,
                            "http.response.code == 200": 1})
        flags = tcp_flags(cap, 80)
        check(flags[:3] == ["SYN", "SYN-ACK", "ACK"], f"open: {flags}")
    finally:
        cap.close()


# Expert messages a clean linux-profile exchange may carry: the open and
# close chat, and a full or shut window when the receiver is slow.
EXPERT_OK = ("Connection establish", "Connection finish", "This frame "
             "initiates the connection closing", "This frame undergoes the "
             "connection closing", "TCP window specified by the receiver is "
             "now completely full", "TCP Zero Window", "TCP window update")


@test
def tcp_linux_options():
    """The linux profile (the default) as Wireshark reads it: the SYN and
    SYN+ACK carry mss 1460, timestamps and window scale 7 (and SACK
    permitted in both or neither), every later window is scaled by 128
    in tshark's own calculation, every segment has timestamps, data
    segments hold 1448 bytes, and tshark's TCP analysis finds nothing
    wrong (no retransmission, duplicate ACK, lost segment...)."""
    cap = Capture("h1 tcp connect h3:7\nwait\nh1 tcp send size 100000\nwait\n"
                  "h1 tcp close\nwait\n")
    try:
        syns = tshark(cap.file(), "-Y", "tcp.flags.syn == 1", "-T", "fields",
                      "-e", "tcp.flags", "-e", "tcp.options.mss_val",
                      "-e", "tcp.options.wscale.shift",
                      "-e", "tcp.options.timestamp.tsval",
                      "-e", "tcp.options.timestamp.tsecr",
                      "-e", "tcp.options.sack_perm",
                      "-e", "tcp.window_size_value").splitlines()
        check(len(syns) == 2, f"SYNs: {syns}")
        (f1, mss1, ws1, tv1, te1, sp1, w1), (f2, mss2, ws2, tv2, te2, sp2, w2) = \
            [line.split("\t") for line in syns]
        check((int(f1, 16), int(f2, 16)) == (0x002, 0x012), f"flags {f1} {f2}")
        check(mss1 == mss2 == "1460" and ws1 == ws2 == "7", f"{syns}")
        check(tv1 != "" and te1 == "0" and te2 == tv1, f"timestamps: {syns}")
        check((sp1 == "") == (sp2 == ""), f"SACK permitted in one SYN: {syns}")
        check((w1, w2) == ("64240", "65160"), f"SYN windows {w1} {w2}")
        wins = tshark(cap.file(), "-Y", "tcp.flags.syn == 0", "-T", "fields",
                      "-e", "tcp.window_size_value", "-e", "tcp.window_size",
                      "-e", "tcp.window_size_scalefactor",
                      "-e", "tcp.options.timestamp.tsval",
                      "-e", "tcp.len").splitlines()
        check(len(wins) > 100, f"only {len(wins)} segments")
        for line in wins:
            value, size, factor, tsval, length = line.split("\t")
            check(factor == "128" and int(size) == int(value) * 128,
                  f"window not scaled by 128: {line}")
            check(tsval != "", f"a segment without timestamps: {line}")
            check(int(length) <= 1448, f"more than 1448 bytes: {line}")
        check(cap.count("tcp.len == 1448") > 50, "few full segments")
        for name in (H1, "h3-eth0--sw2-port2.pcap"):
            msgs = tshark(cap.file(name), "-Y", "_ws.expert", "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=;",
                          "-e", "_ws.expert.message").splitlines()
            bad = [m for line in msgs for m in line.split(";")
                   if m and not m.startswith(EXPERT_OK)]
            check(not bad, f"{name}: TCP analysis: {bad[:5]}")
    finally:
        cap.close()


@test
def duration_leaves_complete_files():
    cap = Capture("h1 ping h3 count 10\nwait\n", "-d", "2500ms")
    try:
        expect_counts(cap, {"icmp.type == 8": 3, "icmp.type == 0": 3})
    finally:
        cap.close()


@test
def sigterm_and_sigint_leave_complete_files():
    for sig in (signal.SIGTERM, signal.SIGINT):
        with tempfile.TemporaryDirectory() as d:
            scn = os.path.join(d, "s.scn")
            with open(scn, "w") as f:
                f.write("h1 ping h3 count 60 interval 100ms\nwait\n")
            ng = os.path.join(d, "all.pcapng")
            ready = os.path.join(d, "ready")
            p = subprocess.Popen([NETSIM, "-q", "--realtime", "--pcap", d,
                                  "--pcapng", ng, "--ready-file", ready,
                                  "-s", scn, TWO_LANS],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            # The ready file is written once the signal handlers are in
            # place (a fixed sleep lost that race on a loaded machine);
            # then a few pings go out before the signal.
            deadline = time.monotonic() + 60
            while not os.path.exists(ready) and p.poll() is None:
                check(time.monotonic() < deadline, "no ready file in 60 s")
                time.sleep(0.05)
            time.sleep(0.6)
            p.send_signal(sig)
            try:
                _, err = p.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                raise
            check(p.returncode == 128 + sig, f"{sig.name}: exit {p.returncode}")
            for path in (ng, os.path.join(d, H1)):
                n = check_sound(path)
                check(n >= 4, f"{sig.name}: {path}: only {n} frames")
                pings = count(path, "icmp.type == 8")
                check(0 < pings < 60, f"{sig.name}: {pings} requests")


@test
def unwritable_places_are_bad_input():
    with tempfile.TemporaryDirectory() as d:
        blocker = os.path.join(d, "file")
        open(blocker, "w").close()
        for args, what in ((["--pcap", os.path.join(blocker, "sub")], "--pcap"),
                           (["--pcapng", os.path.join(d, "no", "x.pcapng")],
                            "--pcapng")):
            p = subprocess.run([NETSIM, "-q", *args, "-s", "-", TWO_LANS],
                               input="h1 ping h2 count 1\nwait\n",
                               capture_output=True, text=True, timeout=60)
            check(p.returncode == 2, f"{what}: exit {p.returncode}")
            check(what in p.stderr and "cannot" in p.stderr, p.stderr)
            check("PING" not in p.stdout, f"{what}: it ran: {p.stdout}")


def main():
    passed = failed = 0
    for i, fn in enumerate(results, 1):
        if TSHARK is None or CAPINFOS is None:
            print(f"ok {i} - {fn.__name__} # SKIP tshark missing")
            passed += 1
            continue
        try:
            fn()
            print(f"ok {i} - {fn.__name__}")
            passed += 1
        except Exception as e:  # noqa: BLE001 - report every failure
            print(f"not ok {i} - {fn.__name__}: {e}")
            failed += 1
    print(f"pcap: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Integration tests for [vxlan NAME] segments (bridge/vxlan.c): one
simulated segment carried over UDP as VXLAN (RFC 7348).

  two_netsims_ping_across_vxlan   two netsim processes, each with a LAN,
      joined by VXLAN over 127.0.0.1: a host of one pings a host of the
      other;
  hostile_datagrams_dropped_and_counted   garbage (seeded, bounded) and
      crafted bad datagrams sent to a segment's port are each dropped,
      counted by reason and logged; a stranger's valid datagram too; the
      segment still carries a ping after;
  datagram_decodes_as_vxlan_in_tshark   a datagram netsim sent, written
      into a pcap file, decodes in Wireshark as VXLAN with the VNI and
      the inner ARP request (skipped without tshark);
  kernel_pings_across_vxlan   as root: netsim in one network namespace,
      a Linux vxlan interface in another, joined by a veth pair; the
      kernel pings a simulated host and a simulated host pings the
      kernel (skipped without root, namespaces or the vxlan module).

Traffic goes to 127.0.0.1 (or, as root, between the test's own
namespaces); every wait has a timeout and every loop a bound.
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from harness import NETSIM, Skip, check, main, test

LOCAL = "127.0.0.1"
VNI = 42
READY = re.compile(r"^vxlan (?P<name>[^:]+): vni (?P<vni>\d+) "
                   r"(?P<laddr>[0-9.]+):(?P<lport>\d+) -> (?P<remotes>.*) carrying$")
SANITIZER = re.compile(r"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer"
                       r"|runtime error:|SUMMARY: )")
TIMEOUT = 30.0


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((LOCAL, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def lan(host, ip, local, remote, mac="", extra="", host_extra=""):
    """A switch, one host and the vxlan segment on it."""
    mac_line = f"mac = {mac}\n" if mac else ""
    return f"""\
[switch sw1]

[host {host}]
ip = {ip}/24
link = sw1
{mac_line}{host_extra}
[vxlan vx1]
link = sw1
vni = {VNI}
local = {local}
remote = {remote}
{extra}
"""


class Netsim:
    """One netsim run in folder d: the topology, --ready-file and a jsonl
    log with reasons; a script (-s) or serving (standard input a pipe that
    stays open: its lines run as typed).  prefix runs it through another
    program (ip netns exec NS)."""

    def __init__(self, d, name, conf, script=None, prefix=()):
        self.dir = os.path.join(d, name)
        os.makedirs(self.dir)
        self.conf = os.path.join(self.dir, "net.conf")
        self.ready = os.path.join(self.dir, "ready")
        self.log = os.path.join(self.dir, "log.jsonl")
        with open(self.conf, "w") as f:
            f.write(conf)
        argv = [*prefix, NETSIM, "--ready-file", self.ready, "-e", "-l", self.log,
                "--log-format", "jsonl"]
        if script is not None:
            path = os.path.join(self.dir, "run.scn")
            with open(path, "w") as f:
                f.write(script)
            argv += ["-s", path]
        argv.append(self.conf)
        self.out = open(os.path.join(self.dir, "stdout"), "w+")
        self.err = open(os.path.join(self.dir, "stderr"), "w+")
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=self.out,
                                  stderr=self.err, text=True, start_new_session=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait(timeout=TIMEOUT)
        self.out.close()
        self.err.close()

    def text(self, f):
        f.flush()
        with open(f.name, errors="replace") as g:
            return g.read()

    def wait_ready(self):
        """The ready line of the segment, as a dict."""
        end = time.monotonic() + TIMEOUT
        while not os.path.exists(self.ready):
            check(self.p.poll() is None, f"netsim exited {self.p.returncode} before it "
                                         f"was ready: {self.text(self.err)[-1500:]}")
            check(time.monotonic() < end, f"no ready file after {TIMEOUT} s")
            time.sleep(0.02)
        with open(self.ready) as f:
            lines = f.read().splitlines()
        m = [READY.match(line) for line in lines]
        check(len(m) == 1 and m[0], f"ready lines not in the documented format: {lines}")
        check(lines[0] in self.text(self.err), "the ready line is not on stderr")
        return m[0].groupdict()

    def events(self, name):
        if not os.path.exists(self.log):
            return []
        out = []
        with open(self.log) as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # still being written
                e = json.loads(line)
                if e["event"] == name:
                    out.append(e)
        return out

    def wait_events(self, name, count):
        end = time.monotonic() + TIMEOUT
        while len(got := self.events(name)) < count:
            check(self.p.poll() is None, f"netsim exited {self.p.returncode}:"
                                         f" {self.text(self.err)[-1500:]}")
            check(time.monotonic() < end, f"{count} x {name} not logged within "
                                          f"{TIMEOUT} s; got {len(got)}")
            time.sleep(0.05)
        return got

    def type(self, lines):
        """Lines typed at a serving netsim, ending with quit."""
        self.p.stdin.write(lines + "quit\n")
        self.p.stdin.flush()

    def finish(self, ok=(0,)):
        """Waits for the end; a clean exit, no sanitizer report.  The
        standard output."""
        if self.p.stdin and not self.p.stdin.closed:
            try:
                self.p.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.p.wait(timeout=2 * TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError("netsim still running") from None
        err, out = self.text(self.err), self.text(self.out)
        m = SANITIZER.search(err)
        check(m is None, f"sanitizer report: {err[max(0, m.start() - 200):][:1500] if m else ''}")
        check(self.p.returncode in ok, f"exit {self.p.returncode}: stderr {err[-1000:]}\n"
                                       f"stdout {out[-1500:]}")
        return out

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        return self.finish(ok=(0, 128 + signal.SIGTERM))


def ping_script(dst, count=3, extra=""):
    return (f"h1 ping {dst} count {count}\nwait\nexpect h1 ping replies {count}\n"
            f"expect vx1 counter vxlan.rx_frames >= {count}\n"
            f"expect vx1 counter vxlan.rx_dropped = 0\n{extra}")


# ------------------------------------------------------------ two processes

@test
def two_netsims_ping_across_vxlan():
    pa, pb = free_udp_port(), free_udp_port()
    with tempfile.TemporaryDirectory(prefix="netsim-vxlan-") as d:
        # No MAC is set: each process numbers its MACs from 1, but a
        # topology with a vxlan segment puts its local endpoint in them
        # (02:SS:SS:...), so h1 and h2 differ.  Were they equal, sw1 in B
        # would learn h1's MAC on h2's own port and the ping would fail.
        conf_b = lan("h2", "192.168.5.20", f"{LOCAL}:{pb}", f"{LOCAL}:{pa}")
        with Netsim(d, "b", conf_b) as b:
            r = b.wait_ready()
            check(int(r["lport"]) == pb and r["remotes"] == f"{LOCAL}:{pa}", str(r))
            conf_a = lan("h1", "192.168.5.10", f"{LOCAL}:{pa}", f"{LOCAL}:{pb}")
            script = ping_script("192.168.5.20", extra="show arp h1\nshow nodes\n")
            with Netsim(d, "a", conf_a, script=script) as a:
                out = a.finish()
                check("3 packets transmitted, 3 received" in out, out)
                check("3 passed, 0 failed" in out, out)
                macs = set(re.findall(r"02:[0-9a-f]{2}:[0-9a-f]{2}:00:00:01", out))
                check(len(macs) == 2 and "02:00:00:00:00:01" not in macs,
                      f"h1's and h2's assigned MACs: {macs}\n{out}")
                sends = a.events("vxlan/send")
                check(sends and all(f"to {LOCAL}:{pb}" in e["summary"] for e in sends),
                      f"vxlan/send events: {sends[:3]}")
            got = b.events("vxlan/receive")
            check(len(got) >= 3, f"b received {len(got)} frames")
            b.stop()


@test
def a_segment_in_show_nodes_and_refused_by_node_commands():
    """show nodes lists a segment's one cable end (it crashed once); node
    commands name what a segment is instead of a garbled message."""
    with tempfile.TemporaryDirectory(prefix="netsim-vxlan-") as d:
        conf = os.path.join(d, "net.conf")
        with open(conf, "w") as f:
            f.write(lan("h1", "192.168.5.10", f"{LOCAL}:0", f"{LOCAL}:{free_udp_port()}"))
        for cmd, want, rc in [
                ("show nodes", r"vx1\s+vxlan\s+vxlan0\s+-\s+-\s+sw1:port2", 0),
                ("vx1 ping 192.168.5.10",
                 "vx1 is a vxlan: only hosts and routers can ping", 2),
                ("vx1 udp send 192.168.5.10:9 hi", "vx1 is a vxlan: only hosts", 2)]:
            scn = os.path.join(d, "run.scn")
            with open(scn, "w") as f:
                f.write(cmd + "\n")
            p = subprocess.run([NETSIM, "-s", scn, conf], capture_output=True,
                               text=True, timeout=TIMEOUT)
            out = p.stdout + p.stderr
            check(p.returncode == rc and re.search(want, out) is not None,
                  f"{cmd}: exit {p.returncode}\n{out}")


# ---------------------------------------------------------------- hostile

def accepted(data):
    """What bridge/vxlan.c accepts from a remote (wire/vxlan.h)."""
    return (len(data) >= 8 and data[0] & 0x08 and
            struct.unpack("!I", data[4:8])[0] >> 8 == VNI and 14 <= len(data) - 8 <= 1518)


def header(vni, flags=0x08):
    return struct.pack("!II", flags << 24, vni << 8)


FRAME = bytes.fromhex("ffffffffffff" "02000000aa01" "0806") + bytes(46)  # ARP-typed


def crafted():
    """(datagram, the reason it is dropped)."""
    return [(b"", "truncated header"), (b"\x08\x00\x00", "truncated header"),
            (header(VNI, flags=0x00) + FRAME, "I flag not set"),
            (header(VNI, flags=0xf7) + FRAME, "I flag not set"),
            (header(VNI + 1) + FRAME, "wrong VNI"), (header(0) + FRAME, "wrong VNI"),
            (header(VNI) + FRAME[:13], "inner frame too short"),
            (header(VNI), "inner frame too short"),
            (header(VNI) + bytes(1519), "inner frame too long"),
            (header(VNI) + bytes(60000), "inner frame too long")]


@test
def hostile_datagrams_dropped_and_counted():
    pa, pb = free_udp_port(), free_udp_port()
    rng = random.Random(7348)
    garbage = []
    while len(garbage) < 300:  # bounded; none that would be accepted
        n = rng.choice([rng.randrange(0, 40), rng.randrange(0, 1600)])
        data = bytes(rng.randrange(256) for _ in range(n))
        if not accepted(data):
            garbage.append(data)
    bad = crafted()
    total = len(garbage) + len(bad) + 1
    with tempfile.TemporaryDirectory(prefix="netsim-vxlan-") as d:
        conf_a = lan("h1", "192.168.5.10", f"{LOCAL}:{pa}", f"{LOCAL}:{pb}")
        with Netsim(d, "a", conf_a) as a:
            a.wait_ready()
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for data, _ in bad:
                    s.sendto(data, (LOCAL, pa))
                for i, data in enumerate(garbage):
                    s.sendto(data, (LOCAL, pa))
                    if i % 50 == 49:  # let it read: the socket buffer is finite
                        a.wait_events("vxlan/drop", len(bad) + i + 1)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    s.bind(("127.0.0.2", 0))
                except OSError as e:
                    raise Skip(f"cannot bind 127.0.0.2: {e}") from e
                s.sendto(header(VNI) + FRAME, (LOCAL, pa))  # valid, but a stranger's
            drops = a.wait_events("vxlan/drop", total)
            check(len(drops) == total, f"{len(drops)} drops logged, {total} sent")
            whys = [e["summary"].split(": ", 1)[1] for e in drops]
            for data, why in bad:
                check(why in whys, f"no drop for {why}: {whys[:12]}")
            check(whys.count("not a remote") == 1, "the stranger's datagram")
            check("from 127.0.0.2:" in drops[-1]["summary"], drops[-1]["summary"])
            # The segment still carries traffic: B pings A's host.
            conf_b = lan("h1", "192.168.5.20", f"{LOCAL}:{pb}", f"{LOCAL}:{pa}",
                         mac="02:00:00:00:b0:02")
            with Netsim(d, "b", conf_b, script=ping_script("192.168.5.10")) as b:
                out = b.finish()
                check("3 passed, 0 failed" in out, out)
            count = {r: whys.count(r) for r in set(whys)}
            header_drops = count.get("truncated header", 0) + count.get("I flag not set", 0)
            size = count.get("inner frame too short", 0) + count.get("inner frame too long", 0)
            a.type(f"expect vx1 counter vxlan.rx_dropped = {total}\n"
                   f"expect vx1 counter vxlan.rx_stranger = 1\n"
                   f"expect vx1 counter vxlan.rx_bad_header = {header_drops}\n"
                   f"expect vx1 counter vxlan.rx_wrong_vni = {count.get('wrong VNI', 0)}\n"
                   f"expect vx1 counter vxlan.rx_bad_size = {size}\n"
                   "expect vx1 counter vxlan.rx_frames >= 3\n"
                   "expect h1 counter eth0.rx_frames >= 3\n")
            out = a.finish()
            check("not ok" not in out and out.count("\nok ") + out.startswith("ok ") == 7,
                  out[-2000:])


# ------------------------------------------------------------------ tshark

def ipv4_udp(src, dst, sport, dport, payload):
    """An Ethernet frame around an IPv4/UDP datagram (header checksum
    computed; UDP checksum 0, "none", as Linux's vxlan sends)."""
    ulen = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 1, 0x4000, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack("!10H", ip))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    return eth + ip + struct.pack("!HHHH", sport, dport, ulen, 0) + payload


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i, 0, len(fr), len(fr)) + fr)


@test
def datagram_decodes_as_vxlan_in_tshark():
    tshark = shutil.which("tshark")
    if tshark is None:
        raise Skip("tshark not installed (scripts/deps.sh installs it)")
    pa = free_udp_port()
    with tempfile.TemporaryDirectory(prefix="netsim-vxlan-") as d, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind((LOCAL, 0))
        peer.settimeout(TIMEOUT)
        pp = peer.getsockname()[1]
        conf = lan("h1", "192.168.5.10", f"{LOCAL}:{pa}", f"{LOCAL}:{pp}")
        with Netsim(d, "a", conf, script="h1 ping 192.168.5.99 count 1\n") as a:
            data, src = peer.recvfrom(65536)  # the first ARP request
            a.finish()
        check(src == (LOCAL, pa), f"sent from {src}")
        check(data[:8] == header(VNI), f"header {data[:8].hex()}")
        path = os.path.join(d, "vxlan.pcap")
        write_pcap(path, [ipv4_udp(LOCAL, LOCAL, pa, pp, data)])
        p = subprocess.run([tshark, "-n", "-r", path, "-d", f"udp.port=={pp},vxlan",
                            "-T", "fields", "-E", "separator=|", "-e", "vxlan.flags",
                            "-e", "vxlan.vni", "-e", "arp.opcode", "-e", "arp.dst.proto_ipv4",
                            "-e", "_ws.malformed"],
                           capture_output=True, text=True, timeout=TIMEOUT)
        check(p.returncode == 0, f"tshark: exit {p.returncode}: {p.stderr}")
        fields = p.stdout.strip().split("|")
        check(len(fields) == 5, p.stdout)
        flags, vni, op, target, malformed = fields
        check(int(flags, 0) == 0x0800, f"flags {flags} (Wireshark shows 16 bits: I is 0x0800)")
        check(vni == str(VNI), f"VNI {vni}")
        check(op == "1" and target == "192.168.5.99", f"inner ARP {op} {target}")
        check(malformed == "", "Wireshark calls it malformed")


# ------------------------------------------------------- Linux namespaces

# Run by python3 in the kernel's namespace: a UDP datagram and a TCP line
# to the echo services at argv[1]:argv[2], each answered unchanged.
KERNEL_ECHO = """\
import socket, sys
addr = (sys.argv[1], int(sys.argv[2]))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
for _ in range(3):
    u.sendto(b"hello over vxlan", addr)
    try:
        got = u.recvfrom(2048)[0]
        break
    except socket.timeout:
        got = b""
print("udp", "ok" if got == b"hello over vxlan" else repr(got))
t = socket.create_connection(addr, timeout=5)
t.sendall(b"i am client\\n")
got = b""
while not got.endswith(b"\\n"):
    more = t.recv(2048)
    if not more:
        break
    got += more
t.close()
print("tcp", "ok" if got == b"i am client\\n" else repr(got))
"""


class Namespaces:
    """Two namespaces joined by a veth pair: A (netsim) 10.99.0.1, B (the
    kernel's vxlan) 10.99.0.2.  Always removed by close()."""

    def __init__(self):
        self.a, self.b = f"vx{os.getpid()}-a", f"vx{os.getpid()}-b"
        self.made = []

    def run(self, *cmd):
        p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=TIMEOUT)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
        return p.stdout

    def build(self):
        for ns in (self.a, self.b):  # left by a run that died with our pid
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=TIMEOUT)
        try:
            for ns in (self.a, self.b):
                self.run("ip", "netns", "add", ns)
                self.made.append(ns)
            self.run("ip", "link", "add", "vxa", "netns", self.a, "type", "veth",
                     "peer", "name", "vxb", "netns", self.b)
        except RuntimeError as e:
            raise Skip(f"no namespaces or veth here: {e}") from e
        for ns, dev, addr in ((self.a, "vxa", "10.99.0.1/24"), (self.b, "vxb", "10.99.0.2/24")):
            self.run("ip", "-n", ns, "link", "set", "lo", "up")
            self.run("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            self.run("ip", "-n", ns, "link", "set", dev, "up")
        try:
            self.run("ip", "-n", self.b, "link", "add", "vx0", "type", "vxlan", "id", str(VNI),
                     "remote", "10.99.0.1", "local", "10.99.0.2", "dstport", "4789",
                     "dev", "vxb")
        except RuntimeError as e:
            raise Skip(f"no vxlan module: {e}") from e
        # Checksum offload off: over veth the kernel never fills in the
        # inner UDP/TCP checksum it left to the hardware (only ICMP's is
        # computed in software), and netsim drops what fails its check.
        self.run("ip", "netns", "exec", self.b, "ethtool", "-K", "vx0", "tx", "off")
        self.run("ip", "-n", self.b, "addr", "add", "192.168.5.99/24", "dev", "vx0")
        self.run("ip", "-n", self.b, "link", "set", "vx0", "up")

    def close(self):
        for ns in self.made:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=TIMEOUT)
        self.made = []


@test
def kernel_pings_across_vxlan():
    if os.geteuid() != 0:
        raise Skip("not root: network namespaces need root")
    for prog in ("ip", "ping", "ethtool"):
        if shutil.which(prog) is None:
            raise Skip(f"{prog} not installed (scripts/deps.sh installs it)")
    lab = Namespaces()
    try:
        lab.build()
        conf = lan("h1", "192.168.5.10", "10.99.0.1:4789", "10.99.0.2:4789",
                   extra="allow-remote = true",
                   host_extra="services = udp-echo 7; tcp-echo 7\n")
        with tempfile.TemporaryDirectory(prefix="netsim-vxlan-") as d, \
                Netsim(d, "a", conf, prefix=("ip", "netns", "exec", lab.a)) as a:
            r = a.wait_ready()
            check(r["laddr"] == "10.99.0.1" and r["lport"] == "4789", str(r))
            p = subprocess.run(["ip", "netns", "exec", lab.b, "ping", "-n", "-c", "3",
                                "-W", "3", "192.168.5.10"],
                               capture_output=True, text=True, timeout=TIMEOUT)
            check(p.returncode == 0 and " 0% packet loss" in p.stdout,
                  f"kernel ping: exit {p.returncode}: {p.stdout} {p.stderr}")
            # The kernel's own sockets: a datagram and a connection to h1's
            # echo services, answered byte for byte.
            p = subprocess.run(["ip", "netns", "exec", lab.b, sys.executable, "-c",
                                KERNEL_ECHO, "192.168.5.10", "7"],
                               capture_output=True, text=True, timeout=TIMEOUT)
            check(p.returncode == 0 and p.stdout.split() == ["udp", "ok", "tcp", "ok"],
                  f"kernel sockets: exit {p.returncode}: {p.stdout} {p.stderr}")
            a.type("h1 ping 192.168.5.99 count 3\nwait\nexpect h1 ping replies 3\n"
                   "expect vx1 counter vxlan.rx_dropped = 0\n")
            out = a.finish()
            check("3 packets transmitted, 3 received" in out and "not ok" not in out,
                  out[-2000:])
    finally:
        lab.close()


if __name__ == "__main__":
    main("vxlan")

"""The twin of topologies/two_lans.conf built from Linux network namespaces,
for test_linux_compare.py: the same traffic on a real stack, captured
where netsim captures it.

    h1 .10 ---+                                  +--- h3 .10
              +-- sw1 --- eth0 [r1] eth1 --- sw2 --+
    h2 .11 ---+   (br0)   .1          .1   (br0) +--- h4 .11

Every node is a namespace named lcPID-NAME (so parallel runs do not
collide). A switch is a namespace holding a Linux bridge br0 (no STP,
no IP) whose ports are named as netsim names them (port1 to the router,
port2 and port3 to the hosts); each cable is a veth pair created
straight inside its two namespaces, so nothing is ever added to the
host's own namespace and no frame can leave the twin. Addresses and
MACs are netsim's (its MACs are assigned in file order:
02:00:00:00:00:01 r1:eth0, :02 r1:eth1, :03 h1, :04 h2, :05 h3, :06 h4).
IPv6 is off (no router solicitations, no MLD in the captures), the
unicast ARP probe that Linux sends 5 s after using an unconfirmed entry
(DELAY -> PROBE, which netsim does not model) is put off past the run, and the
veths compute their checksums in software (transmit checksum offload
off), so a capture holds what a real wire would.

Captures are taken by dumpcap on the switch's end of h1's and h3's
cables, the links netsim writes as h1-eth0--sw1-port2.pcap and
h3-eth0--sw2-port2.pcap. Lab.close() removes every namespace (and
with it every veth and bridge) and ends the processes it started; call
it in a finally."""
import os
import select
import shutil
import signal
import subprocess
import time

NAMES = ["sw1", "sw2", "r1", "h1", "h2", "h3", "h4"]
MACS = {("r1", "eth0"): "02:00:00:00:00:01", ("r1", "eth1"): "02:00:00:00:00:02",
        ("h1", "eth0"): "02:00:00:00:00:03", ("h2", "eth0"): "02:00:00:00:00:04",
        ("h3", "eth0"): "02:00:00:00:00:05", ("h4", "eth0"): "02:00:00:00:00:06"}
# (node, iface, switch, port)
CABLES = [("r1", "eth0", "sw1", "port1"), ("h1", "eth0", "sw1", "port2"),
          ("h2", "eth0", "sw1", "port3"), ("r1", "eth1", "sw2", "port1"),
          ("h3", "eth0", "sw2", "port2"), ("h4", "eth0", "sw2", "port3")]
ADDRS = {("r1", "eth0"): "192.168.1.1/24", ("r1", "eth1"): "192.168.2.1/24",
         ("h1", "eth0"): "192.168.1.10/24", ("h2", "eth0"): "192.168.1.11/24",
         ("h3", "eth0"): "192.168.2.10/24", ("h4", "eth0"): "192.168.2.11/24"}
GATEWAYS = {"h1": "192.168.1.1", "h2": "192.168.1.1",
            "h3": "192.168.2.1", "h4": "192.168.2.1"}
# the captured cables: (switch, port) -> netsim's file name for that link
TAPS = {("sw1", "port2"): "h1-eth0--sw1-port2.pcap",
        ("sw2", "port2"): "h3-eth0--sw2-port2.pcap"}
TIMEOUT = 10


class Unavailable(Exception):
    """Namespaces, veths or a program the twin needs are missing here."""


def missing_tools():
    """Why the twin cannot run here, or None."""
    if os.geteuid() != 0:
        return "not root: network namespaces need root"
    for prog in ("ip", "ethtool", "ping", "dumpcap", "tshark"):
        if shutil.which(prog) is None:
            return f"{prog} not installed (scripts/deps.sh installs it)"
    return None


def _run(*cmd, timeout=TIMEOUT):
    p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def _wait_for(p, text, what):
    """Reads p's standard error (bytes) until text appears; bounded."""
    seen = b""
    deadline = time.monotonic() + TIMEOUT
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if p.poll() is not None or left <= 0:
            raise RuntimeError(f"{what} did not start: {seen.decode(errors='replace')}")
        if select.select([p.stderr], [], [], left)[0]:
            seen += os.read(p.stderr.fileno(), 4096)


class Lab:
    def __init__(self, tmpdir):
        self.tmp = tmpdir
        self.prefix = f"lc{os.getpid()}-"
        self.made = []
        self.procs = []

    def ns(self, name):
        return self.prefix + name

    def exec(self, node, *cmd, timeout=TIMEOUT):
        return _run("ip", "netns", "exec", self.ns(node), *cmd, timeout=timeout)

    def spawn(self, node, *cmd, text=True):
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(node), *cmd],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=text, start_new_session=True)
        self.procs.append(p)
        return p

    def build(self):
        """The namespaces, bridges, cables, addresses and routes."""
        for name in NAMES:  # left by a run that died with our pid
            subprocess.run(["ip", "netns", "del", self.ns(name)],
                           capture_output=True, timeout=TIMEOUT)
        try:
            _run("ip", "netns", "add", self.ns(NAMES[0]))
        except RuntimeError as e:
            raise Unavailable(f"ip netns add failed: {e}") from e
        self.made.append(NAMES[0])
        for name in NAMES[1:]:
            _run("ip", "netns", "add", self.ns(name))
            self.made.append(name)
        for name in NAMES:
            self.exec(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                      "net.ipv6.conf.default.disable_ipv6=1")
            _run("ip", "-n", self.ns(name), "link", "set", "lo", "up")
        self.exec("r1", "sysctl", "-qw", "net.ipv4.ip_forward=1")
        for sw in ("sw1", "sw2"):
            _run("ip", "-n", self.ns(sw), "link", "add", "br0", "type", "bridge",
                 "stp_state", "0", "mcast_snooping", "0")
            _run("ip", "-n", self.ns(sw), "link", "set", "br0", "up")
        for node, iface, sw, port in CABLES:
            self._cable(node, iface, sw, port)
        for host, gw in GATEWAYS.items():
            _run("ip", "-n", self.ns(host), "route", "add", "default", "via", gw)

    def _cable(self, node, iface, sw, port):
        try:
            _run("ip", "-n", self.ns(sw), "link", "add", port, "type", "veth",
                 "peer", "name", iface, "netns", self.ns(node))
        except RuntimeError as e:
            raise Unavailable(f"no veth pair: {e}") from e
        self.exec(sw, "ethtool", "-K", port, "tx", "off")
        self.exec(node, "ethtool", "-K", iface, "tx", "off")
        self.exec(node, "sysctl", "-qw",
                  f"net.ipv4.neigh.{iface}.delay_first_probe_time=60")
        _run("ip", "-n", self.ns(node), "link", "set", iface, "address",
             MACS[(node, iface)])
        _run("ip", "-n", self.ns(node), "addr", "add", ADDRS[(node, iface)],
             "dev", iface)
        _run("ip", "-n", self.ns(sw), "link", "set", port, "master", "br0", "up")
        _run("ip", "-n", self.ns(node), "link", "set", iface, "up")

    def capture(self):
        """dumpcap on each tapped cable; returns {netsim file name: path}
        once every capture runs (the files are complete after stop)."""
        self.captures = {}
        for (sw, port), name in TAPS.items():
            path = os.path.join(self.tmp, "linux-" + name)
            p = self.spawn(sw, "dumpcap", "-q", "-P", "-i", port, "-w", path,
                           text=False)
            self.captures[name] = (p, path)
        for name, (p, path) in self.captures.items():
            _wait_for(p, "File: ", f"dumpcap on {name}")
        self._wait_forwarding()
        return {name: path for name, (p, path) in self.captures.items()}

    def _wait_forwarding(self):
        """Every bridge port forwarding (no STP: as soon as its link is up)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            states = _run("bridge", "-n", self.ns("sw1"), "link", "show") + \
                _run("bridge", "-n", self.ns("sw2"), "link", "show")
            if states.count("state forwarding") == len(CABLES):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"bridge ports not forwarding: {states}")
            time.sleep(0.05)

    def stop_capture(self):
        for p, _ in self.captures.values():
            p.send_signal(signal.SIGINT)
        for p, _ in self.captures.values():
            p.communicate(timeout=TIMEOUT)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                p.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        for name in self.made:
            subprocess.run(["ip", "netns", "del", self.ns(name)],
                           capture_output=True, timeout=TIMEOUT)
        self.made = []


# h3's echo server: one connection, echoes until the client closes, then
# closes (netsim's tcp-echo 7 does the same); "ready" once listening
ECHO_SERVER = """
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.2.10", 7)); s.listen(1); s.settimeout(10)
print("ready", flush=True)
c, _ = s.accept(); c.settimeout(10)
while True:
    d = c.recv(65536)
    if not d:
        break
    c.sendall(d)
c.close()
"""
# h1: what netsim's script does: UDP datagrams to closed ports (5 bytes,
# and 1000 bytes, whose ICMP error quotes only what fits in 576), a TCP
# connection that sends hello, reads the echo and closes, then a connect
# to a closed port (refused); 0.3 s after each so answers are captured
CLIENT = """
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"hello", ("192.168.2.10", 9999)); time.sleep(0.3)
u.sendto(b"x" * 1000, ("192.168.2.10", 9998)); time.sleep(0.3)
c = socket.create_connection(("192.168.2.10", 7), timeout=10)
c.sendall(b"hello")
got = b""
while len(got) < 5:
    got += c.recv(5 - len(got))
time.sleep(0.1)
c.close(); time.sleep(0.3)
try:
    socket.create_connection(("192.168.2.10", 9), timeout=10)
except ConnectionRefusedError:
    pass
time.sleep(0.3)
"""
# the same in netsim's scenario language
NETSIM_SCRIPT = """h1 ping h3 count 2 interval 200ms
wait
h1 udp send h3:9999 hello
wait
h1 udp send h3:9998 size 1000
wait
h1 tcp connect h3:7
wait
h1 tcp send hello
wait
h1 tcp close
wait
h1 tcp connect h3:9
wait
h1 ping 192.168.1.255 count 1 timeout 1s
wait
"""


def linux_traffic(lab):
    """The traffic of NETSIM_SCRIPT on the twin."""
    lab.exec("h1", "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "192.168.2.10")
    server = lab.spawn("h3", "python3", "-c", ECHO_SERVER)
    line = server.stdout.readline()  # bounded: the server's accept times out
    if line.strip() != "ready":
        raise RuntimeError(f"echo server on h3: {line!r} {server.stderr.read()}")
    lab.exec("h1", "python3", "-c", CLIENT)
    server.communicate(timeout=TIMEOUT)
    # no answer expected (icmp_echo_ignore_broadcasts): exit 1 is fine
    subprocess.run(["ip", "netns", "exec", lab.ns("h1"), "ping", "-n", "-b",
                    "-c", "1", "-W", "1", "192.168.1.255"],
                   capture_output=True, timeout=TIMEOUT)
    time.sleep(0.2)

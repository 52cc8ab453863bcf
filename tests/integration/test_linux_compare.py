#!/usr/bin/env python3
"""Integration test: netsim on the wire against Linux (issue 10's "how to
check your work").

The same traffic runs on topologies/two_lans.conf in netsim and on its
twin built from Linux network namespaces (linux_twin.py): a ping h1 -> h3
(2 requests), a UDP datagram to a closed port (ICMP port unreachable), a
TCP connection to an echo server on h3 (hello, echoed, closed by h1), a
connect to a closed port (RST) and a broadcast ping (ignored). Both are
captured on h1's cable and on h3's, read by tshark with checksum
validation and TCP analysis on, and every packet sorted into a kind (SYN,
echo reply, port unreachable, ...). For each capture point, kind and
field the two values are printed side by side; a field declared "must
match" that differs fails the test of its group, the others ("known
differences": IDs, ports, sequence numbers, timestamps, padding) are
information.

Groups, one test each: ipv4-icmp, tcp-options (the SYN's options, and
every length they change), tcp (flags, sizes, IDs of segments), sound
(checksums good, no tshark warning but a reset's, the same analysis
flags).

    python3 tests/integration/test_linux_compare.py            # the tests
    python3 tests/integration/test_linux_compare.py --list     # the table,
        then one line per failing must-match check; exits 0
    LINUXCMP_ALLOW=tcp-options python3 ...   # these groups' differences
        are listed but do not fail (e.g. before TCP options have landed)

Skipped when not root, without `ip netns` and veth, or without tshark,
dumpcap, ethtool, ping or bridge (scripts/deps.sh installs them)."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_twin  # noqa: E402
from harness import NETSIM, TOPO, Skip, check, main, test  # noqa: E402

CHECKSUMS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE"]
FIELDS = ["frame.len", "eth.src", "eth.dst", "arp.opcode", "ip.src", "ip.dst",
          "ip.dsfield", "ip.flags.df", "ip.ttl", "ip.id", "ip.len", "ip.checksum.status",
          "icmp.type", "icmp.code", "icmp.ident", "icmp.checksum.status", "data.data",
          "udp.srcport", "udp.dstport", "udp.length", "udp.checksum.status", "tcp.srcport",
          "tcp.dstport", "tcp.flags", "tcp.len", "tcp.hdr_len", "tcp.window_size_value",
          "tcp.option_kind", "tcp.options.mss_val", "tcp.options.wscale.shift",
          "tcp.options.timestamp.tsval", "tcp.seq_raw", "tcp.checksum.status",
          "tcp.analysis.flags", "_ws.expert.severity", "_ws.malformed"]
WARNING = 0x00600000  # Wireshark's expert severity "warning"
H1, H3 = "192.168.1.10", "192.168.2.10"
TAP_NAMES = {"h1-eth0--sw1-port2.pcap": "h1 side", "h3-eth0--sw2-port2.pcap": "h3 side"}
ALLOW = set(filter(None, os.environ.get("LINUXCMP_ALLOW", "").split(",")))


def first(pkt, field):
    v = pkt.get(field, [])
    return v[0] if v else ""


def flags(pkt):
    return int(first(pkt, "tcp.flags") or "0", 16)


def from_h1(pkt):
    return first(pkt, "ip.src") == H1 or first(pkt, "eth.src") == "02:00:00:00:00:03"


# A packet's kind: the first row whose test holds (the order matters).
KINDS = [
    ("ARP request", lambda p: first(p, "arp.opcode") == "1"),
    ("ARP reply", lambda p: first(p, "arp.opcode") == "2"),
    ("broadcast echo request",
     lambda p: first(p, "icmp.type") == "8" and first(p, "ip.dst").endswith(".255")),
    ("echo request", lambda p: first(p, "icmp.type") == "8"),
    ("echo reply", lambda p: first(p, "icmp.type") == "0"),
    ("port unreachable, long datagram",
     lambda p: first(p, "icmp.type") == "3" and first(p, "udp.dstport") == "9998"),
    ("port unreachable", lambda p: first(p, "icmp.type") == "3"),
    ("UDP to a closed port", lambda p: first(p, "udp.dstport") == "9999"),
    ("UDP 1000 bytes to a closed port", lambda p: first(p, "udp.dstport") == "9998"),
    ("SYN", lambda p: flags(p) == 0x002),
    ("SYN-ACK", lambda p: flags(p) == 0x012),
    ("RST", lambda p: flags(p) & 0x004),
    ("FIN h1>h3", lambda p: flags(p) & 0x001 and from_h1(p)),
    ("FIN h3>h1", lambda p: flags(p) & 0x001),
    ("data h1>h3", lambda p: first(p, "tcp.len") not in ("", "0") and from_h1(p)),
    ("data h3>h1", lambda p: first(p, "tcp.len") not in ("", "0")),
    ("pure ACK h1>h3", lambda p: flags(p) == 0x010 and from_h1(p)),
    ("pure ACK h3>h1", lambda p: flags(p) == 0x010),
]
TCP_KINDS = {k for k, _ in KINDS if k.split()[0] in ("SYN", "SYN-ACK", "RST", "FIN",
                                                       "data", "pure")}


def kind_of(pkt):
    return next((k for k, test_ in KINDS if test_(pkt)), "other")


def echo_payload(pkt):
    """iputils' layout: a 16-byte timeval, then 0x10, 0x11, ... (tshark
    takes the first 8 bytes as a timestamp when they look like one)."""
    n = int(first(pkt, "ip.len")) - 28
    pattern = bytes((0x10 + i) & 0xFF for i in range(n - 16)).hex()
    data = first(pkt, "data.data")
    if n >= 16 and data.endswith(pattern) and len(data) // 2 <= n:
        return f"{n} bytes: timeval + 0x10.."
    return f"{n} bytes: {data[:24]}.."


def id_class(pkt):
    return "0" if int(first(pkt, "ip.id") or "0", 16) == 0 else "non-zero"


def checksums(pkt):
    """good, or which is not (1 good, 0 bad, 2 unverified). Inside an
    ICMP error the quoted UDP or TCP header's may be unverifiable (the
    datagram is cut), never bad."""
    quote = pkt.get("icmp.type") is not None
    bad = [f for f in FIELDS if f.endswith("checksum.status") and pkt.get(f) and
           ("0" in pkt[f] or (pkt[f][0] != "1" and not (quote and f[:3] in ("udp", "tcp"))))]
    return "good" if not bad else "not good: " + " ".join(bad)


def warnings(pkt):
    sev = [int(v, 0) for v in pkt.get("_ws.expert.severity", []) if v]
    return "malformed" if first(pkt, "_ws.malformed") else \
        ("none" if max(sev, default=0) < WARNING else "warning")


def opt_has(kind_number):
    return lambda p: "yes" if str(kind_number) in p.get("tcp.option_kind", []) else "no"


UNREACHABLE = {"port unreachable", "port unreachable, long datagram"}
UDP = {"UDP to a closed port", "UDP 1000 bytes to a closed port"}


def quoted(pkt):
    """An ICMP error: how much of the datagram it quotes (RFC 1812: as
    much as fits in 576 bytes), and the datagram's total length."""
    lens = pkt.get("ip.len", [])
    return f"{int(lens[0]) - 28} of {lens[1]}" if len(lens) > 1 else "no quote"


def ids_distinct(pkts):
    ids = [first(p, "ip.id") for p in pkts]
    return "n/a (one)" if len(ids) < 2 else ("yes" if len(set(ids)) == len(ids) else "no")


# (field, group, which kinds ("ip": every IPv4 kind, "all", "tcp", or a
# set), how to read it from a packet); a group None is a known difference
CHECKS = [
    ("count", "ipv4-icmp", "all", None),
    ("eth src > dst", "ipv4-icmp", "all",
     lambda p: first(p, "eth.src") + " > " + first(p, "eth.dst")),
    ("frame length (padding)", None, "all", lambda p: first(p, "frame.len")),
    ("TOS", "ipv4-icmp", "ip", lambda p: first(p, "ip.dsfield")),
    ("DF", "ipv4-icmp", "ip", lambda p: first(p, "ip.flags.df")),
    ("TTL", "ipv4-icmp", "ip", lambda p: first(p, "ip.ttl")),
    ("IP total length", "ipv4-icmp", "ip", lambda p: first(p, "ip.len")),
    ("IP ID 0 or not", "ipv4-icmp", "ip", id_class),
    ("IP ID", None, "ip", lambda p: first(p, "ip.id")),
    ("IP IDs distinct", "ipv4-icmp", "ip", ids_distinct),
    ("checksums", "sound", "ip", checksums),
    ("expert info >= warning", "sound", "all", warnings),
    ("TCP analysis flags", "sound", "tcp", lambda p: first(p, "tcp.analysis.flags") or "-"),
    ("ICMP payload", "ipv4-icmp", {"echo request", "echo reply", "broadcast echo request"},
     echo_payload),
    ("ICMP identifier", None, {"echo request", "echo reply", "broadcast echo request"},
     lambda p: first(p, "icmp.ident")),
    ("bytes quoted, of the datagram's", "ipv4-icmp", UNREACHABLE, quoted),
    ("inner TTL, DF", "ipv4-icmp", UNREACHABLE,
     lambda p: ",".join(p.get("ip.ttl", [])[1:]) + " " + ",".join(p.get("ip.flags.df", [])[1:])),
    ("UDP length", "ipv4-icmp", UDP, lambda p: first(p, "udp.length")),
    ("source port", None, UDP | {"SYN"},
     lambda p: first(p, "udp.srcport") or first(p, "tcp.srcport")),
    ("TCP flags", "tcp", "tcp", lambda p: first(p, "tcp.flags")),
    ("TCP header length", "tcp-options", "tcp", lambda p: first(p, "tcp.hdr_len")),
    ("segment size", "tcp", "tcp", lambda p: first(p, "tcp.len")),
    ("option kinds in order", "tcp-options", {"SYN", "SYN-ACK"},
     lambda p: ",".join(p.get("tcp.option_kind", [])) or "-"),
    ("MSS", "tcp-options", {"SYN", "SYN-ACK"}, lambda p: first(p, "tcp.options.mss_val") or "-"),
    ("SACK permitted", "tcp-options", {"SYN", "SYN-ACK"}, opt_has(4)),
    ("timestamps", "tcp-options", "tcp", opt_has(8)),
    ("window scale shift", "tcp-options", {"SYN", "SYN-ACK"},
     lambda p: first(p, "tcp.options.wscale.shift") or "-"),
    ("initial window", "tcp-options", {"SYN", "SYN-ACK"},
     lambda p: first(p, "tcp.window_size_value")),
    ("window (raw)", None, "tcp", lambda p: first(p, "tcp.window_size_value")),
    ("RST window", "tcp", {"RST"}, lambda p: first(p, "tcp.window_size_value")),
    ("ISN, TSval", None, {"SYN", "SYN-ACK"},
     lambda p: first(p, "tcp.seq_raw") + " " + (first(p, "tcp.options.timestamp.tsval") or "-")),
]
# a length that the TCP options set: in the tcp-options group for TCP kinds
OPTION_LENGTHS = {"IP total length"}
# how many of a kind: must match only where both stacks send a fixed number
FIXED_COUNTS = {"ARP request", "ARP reply", "echo request", "echo reply", "SYN",
                "SYN-ACK", "RST", *UNREACHABLE, *UDP,
                "broadcast echo request", "FIN h1>h3", "FIN h3>h1", "data h1>h3",
                "data h3>h1"}


# the echo connection, each way: its segments' IP IDs (Linux: the
# connection's own counter, one up per segment, SYN-ACK 0)
FLOWS = [("connection h1>h3", lambda p: first(p, "tcp.dstport") == "7"),
         ("connection h3>h1", lambda p: first(p, "tcp.srcport") == "7")]


# checked on every frame, those of kinds only one side sends included
ALL_FRAMES = [
    ("checksums", checksums),
    ("expert info >= warning", lambda p: "none" if kind_of(p) == "RST" else warnings(p)),
    ("TCP analysis flags", lambda p: first(p, "tcp.analysis.flags") or "-"),
]


def id_steps(pkts):
    """Which segments have ID 0 (1 is the first) and by how much the ID
    moves between the others: "0 on [1], then +1" for Linux's server."""
    ids = [int(first(p, "ip.id"), 16) for p in pkts]
    if not ids:
        return "(none)"
    zeros = [i + 1 for i, v in enumerate(ids) if v == 0]
    steps = sorted({f"+{(b - a) % 65536}" for a, b in zip(ids, ids[1:]) if a and b})
    return f"0 on {zeros or 'none'}, then {' '.join(steps) or '-'}"


def applies(scope, kind):
    if scope == "all":
        return True
    if scope == "ip":
        return not kind.startswith("ARP")
    if scope == "tcp":
        return kind in TCP_KINDS
    return kind in scope


def start_read(path):
    """tshark reading a capture, started (reads run while the other side's
    traffic does, and side by side); finish_read() gives the packets."""
    cmd = ["tshark", "-n", "-r", path, *CHECKSUMS, "-Y", "eth.src[0:5] == 02:00:00:00:00",
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
           *[a for f in FIELDS for a in ("-e", f)]]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_read(p):
    """The packets as dicts field -> list of values (every occurrence: an
    ICMP error's quoted header is the second), only frames from the
    twin's MACs (02:00:00:00:00:0X; not the bridges' own)."""
    out, err = p.communicate(timeout=60)
    check(p.returncode == 0, f"tshark: {err}")
    return [{f: v.split(",") for f, v in zip(FIELDS, line.split("\t")) if v}
            for line in out.splitlines()]


def values(pkts, read_fn):
    if read_fn is None:
        return str(len(pkts))
    if read_fn is ids_distinct:
        return ids_distinct(pkts)
    vals = sorted({read_fn(p) for p in pkts})
    return " | ".join(vals) if vals else "-"


def group_of(field, group, kind):
    if field in OPTION_LENGTHS and kind in TCP_KINDS:
        return "tcp-options"
    if field == "count" and kind not in FIXED_COUNTS:
        return None
    return group


def compare(linux, netsim):
    """Rows (tap, kind, field, group, Linux, netsim) for every kind seen
    on either side (group None: a known difference)."""
    rows = []
    for tap in TAP_NAMES:
        by = {side: {} for side in ("linux", "netsim")}
        for side, caps in (("linux", linux), ("netsim", netsim)):
            for pkt in caps[tap]:
                by[side].setdefault(kind_of(pkt), []).append(pkt)
        kinds = [k for k, _ in KINDS + [("other", None)] if k in by["linux"] or k in by["netsim"]]
        for kind in kinds:
            lp, npk = by["linux"].get(kind, []), by["netsim"].get(kind, [])
            # a kind only one side sends: its count says it all
            checks = CHECKS if lp and npk else CHECKS[:1]
            for field, group, scope, fn in checks:
                if applies(scope, kind):
                    rows.append((TAP_NAMES[tap], kind, field, group_of(field, group, kind),
                                 values(lp, fn), values(npk, fn)))
        for field, fn in ALL_FRAMES:
            rows.append((TAP_NAMES[tap], "every frame", field, "sound",
                         values(linux[tap], fn), values(netsim[tap], fn)))
        for name, test_ in FLOWS:
            rows.append((TAP_NAMES[tap], name, "IP IDs of its segments", "ipv4-icmp",
                         id_steps([p for p in linux[tap] if test_(p)]),
                         id_steps([p for p in netsim[tap] if test_(p)])))
    return rows


def print_table(rows):
    w = [max(len(r[i]) for r in rows) for i in (1, 2)]
    wl = min(40, max(len(r[4]) for r in rows))
    print(f"# {'':10} {'kind':{w[0]}}  {'field':{w[1]}}  {'Linux':{wl}}  netsim   [group]")
    for tap, kind, field, group, lv, nv in rows:
        mark = "!!" if wrong((tap, kind, field, group, lv, nv)) else \
            ("  " if lv == nv else "~ ")
        print(f"# {mark} {tap} {kind:{w[0]}}  {field:{w[1]}}  {lv:{wl}}  {nv}"
              f"   [{group or 'known difference'}]")


# What these fields must be on both sides, whatever the other says: tshark
# flags every reset with a warning ("Connection reset"), nothing else may be
# flagged, and no TCP analysis flag (retransmission, window full, ...).
REQUIRED = {"checksums": "good", "expert info >= warning": "none",
            "TCP analysis flags": "-"}


def wrong(row):
    """A must-match row that differs, or a row with a required value that
    either side lacks."""
    tap, kind, field, group, lv, nv = row
    need = REQUIRED.get(field)
    if need is not None and not (field == "expert info >= warning" and kind == "RST"):
        return lv != need or nv != need
    return group is not None and lv != nv


def failures(rows, group=None):
    return [r for r in rows if wrong(r) and (group is None or r[3] == group)]


def describe(r):
    return f"{r[0]} / {r[1]} / {r[2]}: Linux {r[4]}, netsim {r[5]}"


_result = {}


def captures():
    """Both sides' captures, read once: {"linux": {tap: packets}, "netsim": ...}."""
    if "skip" in _result:
        raise Skip(_result["skip"])
    if "rows" in _result:
        return _result["rows"]
    why = linux_twin.missing_tools()
    if why:
        _result["skip"] = why
        raise Skip(why)
    with tempfile.TemporaryDirectory() as tmp:
        reads = run_netsim(tmp)
        lab = linux_twin.Lab(tmp)
        try:
            lab.build()
            files = lab.capture()
            linux_twin.linux_traffic(lab)
            lab.stop_capture()
            linux = {tap: start_read(path) for tap, path in files.items()}
            linux = {tap: finish_read(p) for tap, p in linux.items()}
            netsim = {tap: finish_read(p) for tap, p in reads.items()}
        except linux_twin.Unavailable as e:
            _result["skip"] = str(e)
            raise Skip(str(e)) from e
        finally:
            lab.close()
            for p in reads.values():  # on an error: not left running
                if p.poll() is None:
                    p.kill()
                    p.communicate()
    _result["rows"] = compare(linux, netsim)
    print_table(_result["rows"])
    return _result["rows"]


def kernel_rmem_max():
    """tcp_rmem[2] of the kernel under comparison: what its window scale
    follows (6 MiB gives 7, newer kernels' 32 MiB gives 10)."""
    try:
        with open("/proc/sys/net/ipv4/tcp_rmem") as f:
            return int(f.read().split()[2])
    except (OSError, ValueError, IndexError):
        return None


def netsim_topology(tmp):
    """two_lans.conf with the kernel's receive buffer bound on every host
    and the router, so that both stacks are configured alike."""
    with open(os.path.join(TOPO, "two_lans.conf")) as f:
        text = f.read()
    rmem = kernel_rmem_max()
    if rmem is not None:
        text = re.sub(r"^(\[(host|router) [^\]]+\])$",
                      rf"\1\ntcp-rmem-max = {rmem}", text, flags=re.M)
    path = os.path.join(tmp, "two_lans.conf")
    with open(path, "w") as f:
        f.write(text)
    return path


def run_netsim(tmp):
    scn = os.path.join(tmp, "compare.scn")
    with open(scn, "w") as f:
        f.write(linux_twin.NETSIM_SCRIPT)
    caps = os.path.join(tmp, "netsim")
    p = subprocess.run([NETSIM, "-q", "--pcap", caps, "-s", scn,
                        netsim_topology(tmp)],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"netsim: exit {p.returncode}: {p.stderr}")
    return {tap: start_read(os.path.join(caps, tap)) for tap in TAP_NAMES}


def check_group(group):
    bad = failures(captures(), group)
    if group in ALLOW:
        for r in bad:
            print(f"# allowed by LINUXCMP_ALLOW: {describe(r)}")
        return
    check(not bad, f"{len(bad)} differences from Linux:\n  " +
          "\n  ".join(describe(r) for r in bad))


@test
def ipv4_and_icmp_as_linux():
    check_group("ipv4-icmp")


@test
def tcp_segments_as_linux():
    check_group("tcp")


@test
def tcp_options_as_linux():
    check_group("tcp-options")


@test
def checksums_and_expert_info_as_linux():
    check_group("sound")


def list_failures():
    """--list: the table and every failing must-match check; exit 0."""
    try:
        rows = captures()
    except Skip as e:
        print(f"skipped: {e}")
        return
    bad = failures(rows)
    print(f"{len(bad)} must-match checks differ:")
    for r in bad:
        print(f"  [{r[3]}] {describe(r)}")


if __name__ == "__main__":
    if "--list" in sys.argv[1:]:
        list_failures()
    else:
        main("linux")  # run.sh reads "NAME: N passed" with NAME in [a-z]+

#!/usr/bin/env python3
"""Integration tests: each hop's Ethernet addresses in the log (the
switches' lines and the datagram leaving a node; with -e, the MACs a
datagram came in with), and --layers, which logs every frame put on a link (link/frame) decoded
layer by layer, as text and as JSON lines.

The story checked is the teaching one: h1 pings h3 across r1.  The ARP
request shows every field; the echo request keeps its IP addresses from
hop to hop while, behind the router, its Ethernet source becomes r1's
eth1 and its TTL 63.  The JSON lines must all parse, and the decoded TTL
must be the byte the "hex" field holds."""
import json
import os
import re
import tempfile

from harness import TOP, TOPO, check, main, run, test

CONF = os.path.join(TOPO, "two_lans.conf")
PING = "h1 ping h3 count 1\nwait\n"
# two_lans.conf's MACs, given out in node order: r1 eth0, r1 eth1, h1, h3.
R1_ETH0, R1_ETH1 = "02:00:00:00:00:01", "02:00:00:00:00:02"
H1, H3 = "02:00:00:00:00:03", "02:00:00:00:00:05"
EVENT = re.compile(r"^ *\d+\.\d{6}  (\S+) +(\S+) +(#\d+|-) +(.*)$")


def text_events(log):
    """The text log's events: dicts of node, event, frame, summary and the
    indented lines that follow (why:, layers, hex dump), indent removed."""
    events = []
    for line in log.splitlines():
        m = EVENT.match(line)
        if m:
            node, event, frame, summary = m.groups()
            events.append({"node": node, "event": event, "frame": frame,
                           "summary": summary, "body": []})
        elif events and line.startswith("              "):
            events[-1]["body"].append(line[14:])
    return events


def hops(events, frame):
    return [e for e in events if e["event"] == "link/frame" and e["frame"] == frame]


def one(events, pred, what):
    found = [e for e in events if pred(e)]
    check(len(found) == 1, f"{what}: {len(found)} events")
    return found[0]


@test
def each_hops_macs_in_the_log_and_its_reasons():
    """The ordinary log keeps lines short: the switches' lines and the
    datagram leaving r1 (arp/release) show the MACs; route/forward shows
    the IP addresses and the TTL, and with -e its why: line adds the MACs
    the datagram came in with, as icmp/receive's does for the last hop."""
    rc, out, err = run("-s", "-", CONF, stdin=PING)
    check(rc == 0, f"exit {rc}: {err}")
    check("link/frame" not in out and "Ethernet II" not in out,
          "frames decoded without --layers")
    ev = text_events(out)
    fwd = one(ev, lambda e: e["node"] == "r1" and e["event"] == "route/forward"
              and e["frame"] == "#1", "r1 route/forward #1")
    check(fwd["summary"] == "192.168.1.10 > 192.168.2.10 out eth1, ttl 64->63",
          fwd["summary"])
    check(fwd["body"] == [], f"a why: line without -e: {fwd['body']}")
    rel = one(ev, lambda e: e["node"] == "r1" and e["event"] == "arp/release",
              "r1 arp/release")
    check(rel["summary"] == f"out eth1 {R1_ETH1} > {H3}", rel["summary"])
    flood = one(ev, lambda e: e["node"] == "sw1" and e["event"] == "switch/flood",
                "sw1 switch/flood")
    check(flood["summary"] == f"{H1} > ff:ff:ff:ff:ff:ff to ports 1,3",
          flood["summary"])
    lan1 = [e["summary"] for e in ev if e["node"] == "sw1"
            and e["event"] == "switch/forward" and e["frame"] == "#1"]
    check(lan1 == [f"{H1} > {R1_ETH0} to port 1"], lan1)
    lan2 = [e["summary"] for e in ev if e["node"] == "sw2"
            and e["event"] == "switch/forward" and e["frame"] == "#1"]
    check(lan2 == [f"{R1_ETH1} > {H3} to port 2"], lan2)
    got = one(ev, lambda e: e["node"] == "h1" and e["event"] == "icmp/receive",
              "h1 icmp/receive")
    check(got["summary"] == "192.168.2.10 > 192.168.1.10 ttl 63: "
          "ICMP echo reply seq 1", got["summary"])

    rc, out, err = run("-e", "-s", "-", CONF, stdin=PING)
    check(rc == 0, f"exit {rc}: {err}")
    ev = text_events(out)
    fwd = one(ev, lambda e: e["node"] == "r1" and e["event"] == "route/forward"
              and e["frame"] == "#1", "r1 route/forward #1 with -e")
    check(fwd["body"] == ["why: 192.168.2.10 matches 192.168.2.0/24 "
                          "(connected, eth1); it came in on eth0 with MACs "
                          f"{H1} > {R1_ETH0}"], fwd["body"])
    got = one(ev, lambda e: e["node"] == "h1" and e["event"] == "icmp/receive",
              "h1 icmp/receive with -e")
    check(got["body"] == ["why: the last hop: it came in on eth0 with MACs "
                          f"{R1_ETH0} > {H1}"], got["body"])
    hit = [e for e in ev if e["node"] == "r1" and e["event"] == "arp/hit"]
    check([e["summary"] for e in hit] == [f"out eth0 {R1_ETH0} > {H1}"],
          [e["summary"] for e in hit])
    check(hit[0]["body"] == ["why: the cache already knows the next hop's MAC: "
                             f"192.168.1.10 is-at {H1}"], hit[0]["body"])


@test
def layers_text_arp_request_every_field():
    rc, out, err = run("--layers", "-s", "-", CONF, stdin=PING)
    check(rc == 0, f"exit {rc}: {err}")
    ev = text_events(out)
    req = hops(ev, "#2")
    check(len(req) == 3, f"ARP request on {len(req)} links, not 3 (h1, then flooded)")
    first = req[0]
    check(first["node"] == "h1", first["node"])
    check(first["summary"].startswith(f"h1:eth0 -> sw1:port2, 60 bytes, {H1} > "
                                      "ff:ff:ff:ff:ff:ff: ARP who-has 192.168.1.1"),
          first["summary"])
    want = ["Ethernet II, 60 bytes",
            "  Destination: ff:ff:ff:ff:ff:ff (broadcast)",
            f"  Source: {H1}",
            "  Type: ARP (0x0806)",
            "ARP request",
            "  Hardware type: Ethernet (1)",
            "  Protocol type: IPv4 (0x0800)",
            "  Hardware size: 6",
            "  Protocol size: 4",
            "  Opcode: request (1)",
            f"  Sender MAC address: {H1}",
            "  Sender IP address: 192.168.1.10",
            "  Target MAC address: 00:00:00:00:00:00",
            "  Target IP address: 192.168.1.1",
            "Padding: 18 bytes"]
    check(first["body"][:len(want)] == want, "\n".join(first["body"]))
    dump = first["body"][len(want):]
    check(len(dump) == 4 and dump[0].startswith("0000  ff ff ff ff ff ff 02 00"),
          "\n".join(dump))
    # The switch's copies: other links, the same bytes.
    check([e["summary"].split(",")[0] for e in req[1:]] ==
          ["sw1:port1 -> r1:eth0", "sw1:port3 -> h2:eth0"],
          [e["summary"] for e in req])
    check(all(e["body"] == first["body"] for e in req[1:]), "the switch changed bytes")


@test
def layers_text_router_hop_new_mac_ttl_63():
    rc, out, err = run("--layers", "-s", "-", CONF, stdin=PING)
    check(rc == 0, f"exit {rc}: {err}")
    echo = hops(text_events(out), "#1")
    check([e["summary"].split(",")[0] for e in echo] ==
          ["h1:eth0 -> sw1:port2", "sw1:port1 -> r1:eth0",
           "r1:eth1 -> sw2:port1", "sw2:port2 -> h3:eth0"],
          [e["summary"] for e in echo])
    before, after = echo[1]["body"], echo[2]["body"]
    for body, src, dst, ttl in ((before, H1, R1_ETH0, 64), (after, R1_ETH1, H3, 63)):
        check(f"  Source: {src}" in body and f"  Destination: {dst}" in body,
              "\n".join(body))
        check(f"  Time to live: {ttl}" in body, "\n".join(body))
        check("  Source: 192.168.1.10" in body and
              "  Destination: 192.168.2.10" in body, "IP addresses changed")
        check(any(re.match(r"  Header checksum: 0x[0-9a-f]{4} \(correct\)$", l)
                  for l in body), "\n".join(body))
    check(echo[2]["node"] == "r1", echo[2]["node"])
    check(f"{R1_ETH1} > {H3}: IPv4 192.168.1.10 > 192.168.2.10 ttl 63"
          in echo[2]["summary"], echo[2]["summary"])


def jsonl_run(*args, stdin):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.jsonl")
        rc, out, err = run("--layers", "--log-format=jsonl", "--log", path,
                           *args, stdin=stdin)
        check(rc == 0, f"exit {rc}: {err}")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    check(len(lines) > 10, f"{len(lines)} lines")
    events = []
    for n, line in enumerate(lines, 1):
        try:
            events.append(json.loads(line))
        except ValueError as e:
            raise AssertionError(f"line {n} is not JSON ({e}): {line[:200]}")
    return events


def field(ev, layer_prefix, name):
    for layer in ev["layers"]:
        if layer["layer"].startswith(layer_prefix):
            for f in layer["fields"]:
                if f["name"] == name:
                    return f["value"]
    raise AssertionError(f"no {layer_prefix} / {name} in {ev['summary']}")


def check_frame_events(events):
    frames = [e for e in events if e["event"] == "link/frame"]
    check(frames, "no link/frame events")
    for e in events:
        check(("layers" in e) == (e["event"] == "link/frame"), e["event"])
        check(("hex" in e) == (e["event"] == "link/frame"), e["event"])
    for e in frames:
        raw = bytes.fromhex(e["hex"])
        check(f", {len(raw)} bytes, " in e["summary"], e["summary"])
        check(e["layers"][0]["layer"] == f"Ethernet II, {len(raw)} bytes",
              e["layers"][0])
        check(all(isinstance(f["name"], str) and isinstance(f["value"], str)
                  for l in e["layers"] for f in l["fields"]), "field types")
        check(field(e, "Ethernet", "Source") == ":".join(f"{b:02x}" for b in raw[6:12]),
              "decoded source is not the bytes'")
    return frames


@test
def layers_jsonl_every_line_parses():
    events = jsonl_run("-e", "-s", "-", CONF, stdin=PING)
    frames = check_frame_events(events)
    req = frames[0]
    check(req["node"] == "h1" and req["frame"] == 2, req)
    check(field(req, "ARP", "Opcode") == "request (1)", req["layers"])
    check(field(req, "ARP", "Target IP address") == "192.168.1.1", req["layers"])
    check(field(req, "Ethernet", "Destination") == "ff:ff:ff:ff:ff:ff (broadcast)",
          req["layers"])
    hop = [e for e in frames if e["frame"] == 1 and e["summary"].startswith("r1:eth1")]
    check(len(hop) == 1, [e["summary"] for e in frames if e["frame"] == 1])
    hop = hop[0]
    check(field(hop, "Internet Protocol", "Time to live") == "63", hop["layers"])
    check(bytes.fromhex(hop["hex"])[14 + 8] == 63, "hex TTL is not 63")
    check(field(hop, "Ethernet", "Source") == R1_ETH1, hop["layers"])
    check(field(hop, "Internet Protocol", "Source") == "192.168.1.10", hop["layers"])
    check(field(hop, "Internet Control", "Type") == "8 (echo request)", hop["layers"])


@test
def layers_jsonl_tcp_run_parses():
    scn = os.path.join(TOP, "tests", "scenarios", "golden", "tcp_reply.scn")
    with open(scn, encoding="utf-8") as f:
        script = f.read()
    frames = check_frame_events(jsonl_run("-s", "-", CONF, stdin=script))
    flags = [field(e, "Transmission Control", "Flags") for e in frames
             if e["node"] == "h1" and any(l["layer"].startswith("Transmission")
                                          for l in e["layers"])]
    check(flags and flags[0] == "SYN (0x02)", flags)
    check(any("FIN" in f for f in flags), flags)


@test
def layers_quiet_and_help():
    rc, out, err = run("-q", "--layers", "-s", "-", CONF, stdin=PING)
    check(rc == 0 and "link/frame" not in out and "Ethernet II" not in out, out)
    rc, out, _ = run("--help")
    check(rc == 0 and "--layers" in out, out)


if __name__ == "__main__":
    main("layers")

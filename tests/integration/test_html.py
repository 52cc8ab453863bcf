#!/usr/bin/env python3
"""Integration tests: --html writes a replay page that a real browser
(headless Chromium) opens and steps through.

The page runs a self-test when opened with ?selftest=1: it steps through
the events with the arrow keys and writes what it showed (nodes drawn,
per step the tables, the frame's layers, the reason) into
<pre id="selftest"> as JSON, which --dump-dom hands back.  Only a missing
chromium (scripts/deps.sh installs it) skips the browser tests."""
import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from harness import NETSIM, TOPO, Skip, check, main, run, test

PING = "h1 ping h3 count 1\nwait\nshow nodes\n"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path is not None:
            return path
    raise Skip("chromium not installed (scripts/deps.sh installs it)")


def make_replay(d, script=PING, conf=None, name="replay.html"):
    """Runs script on conf (two_lans) with --html; the page's path and
    netsim's standard output."""
    path = os.path.join(d, name)
    rc, out, err = run("-q", "--html", path, "-s", "-",
                       conf or os.path.join(TOPO, "two_lans.conf"), stdin=script)
    check(rc == 0, f"exit {rc}: {err}")
    return path, out


def selftest(path):
    """The page's self-test result, and chromium's errors on stderr."""
    browser = chromium()
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--virtual-time-budget=5000", "--dump-dom",
             "file://" + os.path.abspath(path) + "?selftest=1"],
            capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"chromium exit {p.returncode}: {p.stderr[-2000:]}")
    m = re.search(r'<pre id="selftest">(.*?)</pre>', p.stdout, re.S)
    check(m is not None, f"no self-test result in the page: {p.stdout[-2000:]}")
    console = [line for line in p.stderr.splitlines()
               if "CONSOLE" in line or "Uncaught" in line]
    return json.loads(html.unescape(m.group(1))), console


def expected_nodes(conf):
    rc, out, err = run("--check", conf)
    check(rc == 0, f"--check: {err}")
    kinds = ("host", "switch", "router", "bridge")
    return [line.split()[1] for line in out.splitlines()
            if line.split() and line.split()[0] in kinds
            and line.startswith("  " + line.split()[0])]


def mac_of(show_nodes, node, iface):
    """The MAC of node's iface in `show nodes` output."""
    cur = None
    for line in show_nodes.splitlines():
        words = line.split()
        if len(words) >= 2 and words[1] in ("host", "switch", "router", "bridge"):
            cur = words[0]
        if cur == node and iface in words:
            macs = [w for w in words if re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", w)]
            if macs:
                return macs[0]
    raise AssertionError(f"no MAC of {node} {iface} in: {show_nodes}")


def no_errors(result, console):
    check(result["errors"] == [], f"page errors: {result['errors']}")
    check(console == [], f"console errors: {console}")


@test
def every_node_is_drawn_and_steps_show_arp_and_ttl():
    chromium()
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(TOPO, "two_lans.conf")
        path, out = make_replay(d)
        res, console = selftest(path)
        no_errors(res, console)
        check(sorted(res["nodes"]) == sorted(expected_nodes(conf)),
              f"drew {res['nodes']}")
        check(res["links"] == 6, f"{res['links']} links drawn")
        steps = res["steps"]
        check(len(steps) == res["events"] > 20, f"{len(steps)} steps of {res['events']}")
        learn = [s for s in steps if s["node"] == "h1" and s["event"] == "arp/learn"]
        check(len(learn) == 1, f"h1 arp/learn steps: {learn}")
        check("ARP reply" in learn[0]["layers"], f"not the ARP reply: {learn[0]}")
        arp = [row for t in learn[0]["tables"] if t["kind"] == "arp" for row in t["rows"]]
        check(any(r.startswith("192.168.1.1|r1|02:00:00:00:00:01|") for r in arp),
              f"h1's ARP table at the reply: {arp}")
        fwd = [s for s in steps if s["node"] == "r1" and s["event"] == "route/forward"]
        check(len(fwd) == 2, f"r1 route/forward steps: {[s['i'] for s in fwd]}")
        layers = fwd[0]["layers"]
        check("  Time to live: 63" in layers, f"TTL at r1's forward: {layers}")
        r1_eth1 = mac_of(out, "r1", "eth1")
        check(f"  Source: {r1_eth1}" in layers, f"source MAC not r1 eth1's {r1_eth1}: {layers}")
        check(fwd[0]["framehead"].startswith("frame #1 on r1:eth1 -> sw2:"),
              fwd[0]["framehead"])
        check(fwd[0]["why"].startswith("why: 192.168.2.10 matches"), fwd[0]["why"])
        check("node-2" in fwd[0]["current"], f"r1 not highlighted: {fwd[0]['current']}")
        flood = [s for s in steps if s["node"] == "sw1" and s["event"] == "switch/flood"]
        check(len(flood) == 1 and
              sorted(c for c in flood[0]["current"] if c.startswith("link-")) ==
              ["link-0", "link-3"], f"sw1's flood to r1 and h2: {flood}")
        check(res["back"] == steps[-2]["i"], f"step back went to {res['back']}")
        check(res["filtered"] > 0, f"node filter: {res['filtered']}")
        check(res["picked"]["value"] == "0" and
              res["picked"]["headings"][0].startswith(f"MAC table of {res['nodes'][0]}"),
              f"clicking the first node: {res['picked']}")
        check(res["every"] == res["nodes"], f"every node's tables: {res['every']}")


@test
def hostile_title_does_not_break_the_page():
    chromium()
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(d, "<script>alert(1)<!--&'\".conf")
        shutil.copy(os.path.join(TOPO, "two_lans.conf"), conf)
        path, _ = make_replay(d, conf=conf)
        with open(path, encoding="utf-8") as fp:
            text = fp.read()
        check("<script>alert" not in text, "the title went in unescaped")
        # the data, the labels and the script
        check(text.count("<script") == 3, "a script element too many or too few")
        res, console = selftest(path)
        no_errors(res, console)
        check(len(res["nodes"]) == 7, f"drew {res['nodes']}")


@test
def same_run_same_bytes():
    with tempfile.TemporaryDirectory() as d:
        pages = []
        for i in range(2):
            path, _ = make_replay(d, name=f"{i}.html")
            with open(path, "rb") as fp:
                pages.append(fp.read())
        check(pages[0] == pages[1], "two replays of one run differ")
        check(pages[0].startswith(b"<!DOCTYPE html>"), pages[0][:40])
        for bad in (b"http://", b"https://", b"<link", b" src="):
            hits = [m.start() for m in re.finditer(re.escape(bad), pages[0])]
            # the SVG namespace is the only URL allowed
            hits = [h for h in hits if not pages[0][h:h + 30].startswith(b"http://www.w3.org/2000/svg")]
            check(hits == [], f"{bad!r} in the page: it must not fetch anything")


@test
def explain_only_events_only_with_explain():
    """arp/hit (explain only) is in the replay with -e and not without, as
    in the log: the page's data names it exactly when the log does."""
    with tempfile.TemporaryDirectory() as d:
        for explain in ([], ["-e"]):
            page = os.path.join(d, "r.html")
            log = os.path.join(d, "log.jsonl")
            rc, _, err = run(*explain, "--html", page, "-l", log,
                             "--log-format", "jsonl", "-s", "-",
                             os.path.join(TOPO, "two_lans.conf"), stdin=PING)
            check(rc == 0, f"exit {rc}: {err}")
            with open(log, encoding="utf-8") as f:
                in_log = sum('"arp/hit"' in line for line in f)
            with open(page, encoding="utf-8") as f:
                in_page = f.read().count("arp/hit")
            check((in_log > 0) == bool(explain), f"{explain}: {in_log} in the log")
            check((in_page > 0) == bool(explain),
                  f"{explain}: arp/hit in the page {in_page} times, the log {in_log}")


@test
def duration_limit_writes_a_complete_page():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "d.html")
        rc, _, err = run("-q", "-d", "2500ms", "--html", path, "-s", "-",
                         stdin="h1 ping h3 count 100\nwait\n")
        check(rc == 0, f"exit {rc}: {err}")
        with open(path) as fp:
            text = fp.read()
        check(text.rstrip().endswith("</html>"), text[-200:])
        check('"more":0' in text, "events lost")


@test
def sigterm_writes_a_complete_page():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.html")
        p = subprocess.Popen([NETSIM, "-q", "--realtime", "--html", path, "-s", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        p.stdin.write("h1 ping h3 count 1000 interval 100ms\nwait\n")
        p.stdin.close()
        time.sleep(1.0)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        err = p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        check(p.returncode == 128 + signal.SIGTERM, f"exit {p.returncode}: {err}")
        with open(path) as fp:
            text = fp.read()
        check(text.rstrip().endswith("</html>"), text[-200:])
        check("icmp/echo" in text, "no event recorded before the signal")


@test
def unwritable_file_exits_2_naming_it():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "no", "such", "dir", "r.html")
        rc, out, err = run("--html", f, "-s", "-", stdin="h1 ping h3 count 1\nwait\n")
        check(rc == 2, f"exit {rc}")
        check(err.startswith(f"netsim: --html: cannot write '{f}': "), err)
        check("PING" not in out, f"the run started anyway: {out!r}")


if __name__ == "__main__":
    main("html")

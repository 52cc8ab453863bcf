#!/usr/bin/env python3
"""Integration tests: --dot draws every shipped topology, and Graphviz's
dot renders the drawing with every node and one line per link.

The nodes and links expected come from the topology as `--check` reads it
(its summary), not from the DOT text, so a node or link the drawing leaves
out fails.  Only a missing `dot` (package graphviz, installed by
scripts/deps.sh) skips the rendering tests."""
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from harness import TOPO, Skip, check, main, run, test

SVG = "{http://www.w3.org/2000/svg}"


def need_dot():
    if shutil.which("dot") is None:
        raise Skip("dot not installed (package graphviz; scripts/deps.sh installs it)")


def shipped():
    names = sorted(f for f in os.listdir(TOPO) if f.endswith(".conf"))
    check(len(names) >= 4, f"only {names}")
    return [os.path.join(TOPO, n) for n in names]


def expected(summary):
    """The node names and the links (pairs of node names, sorted) of a
    --check summary: '  host   h1  ...' lines and '  link A -- B  ...'."""
    kinds = ("host", "switch", "router", "bridge", "vxlan")
    nodes, links = [], []
    for line in summary.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in kinds and line.startswith("  " + words[0]):
            nodes.append(words[1])
        m = re.match(r"^  link (\S+) -- (\S+) ", line)
        if m:
            links.append(tuple(sorted(e.split(":")[0] for e in m.groups())))
    return nodes, links


def render(dot_file):
    p = subprocess.run(["dot", "-Tsvg", dot_file], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0, f"dot -Tsvg {dot_file}: exit {p.returncode}: {p.stderr}")
    check(p.stderr == "", f"dot -Tsvg {dot_file} warned: {p.stderr}")
    return p.stdout


def drawn(svg):
    """The node titles and the edges (pairs of node names, sorted) of an SVG
    that dot rendered."""
    root = ET.fromstring(svg)
    nodes, edges = [], []
    for g in root.iter(SVG + "g"):
        title = g.find(SVG + "title")
        if g.get("class") == "node":
            nodes.append(title.text)
        elif g.get("class") == "edge":
            edges.append(tuple(sorted(title.text.split("--"))))
    return nodes, edges


@test
def every_shipped_topology_renders():
    need_dot()
    with tempfile.TemporaryDirectory() as d:
        for conf in shipped():
            name = os.path.basename(conf)
            out_file = os.path.join(d, name + ".dot")
            rc, out, err = run("--check", "--dot", out_file, conf)
            check(rc == 0, f"{name}: exit {rc}: {err}")
            check(out.endswith(": OK\n"), f"{name}: the check did not run: {out}")
            nodes, links = expected(out)
            check(len(nodes) >= 3 and links, f"{name}: summary not understood: {out}")
            svg = render(out_file)
            n_edges = svg.count('<g id="edge')
            check(n_edges == len(links), f"{name}: {n_edges} edges, {len(links)} links")
            got_nodes, got_edges = drawn(svg)
            check(sorted(got_nodes) == sorted(nodes),
                  f"{name}: drew {got_nodes}, expected {nodes}")
            check(sorted(got_edges) == sorted(links),
                  f"{name}: drew {got_edges}, expected {links}")
            for n in nodes:
                check(f"<title>{n}</title>" in svg, f"{name}: {n} not in the SVG")


@test
def switch_ports_and_parameters_are_drawn():
    need_dot()
    with tempfile.TemporaryDirectory() as d:
        out_file = os.path.join(d, "chain.dot")
        rc, _, err = run("--check", "--dot", out_file,
                         os.path.join(TOPO, "switch_chain.conf"))
        check(rc == 0, f"exit {rc}: {err}")
        svg = render(out_file)
        texts = [t.text for t in ET.fromstring(svg).iter(SVG + "text")]
        for want in ("port1", "port2", "eth0", "10.0.0.0/24",
                     "delay 1ms, rate 10Mbit/s", "h4", "eth0 10.0.0.13/24"):
            check(want in texts, f"no text {want!r} in the drawing: {texts}")


@test
def same_topology_same_bytes():
    with tempfile.TemporaryDirectory() as d:
        texts = []
        for i in range(2):
            f = os.path.join(d, f"{i}.dot")
            rc, _, err = run("--check", "--dot", f, os.path.join(TOPO, "three_routers.conf"))
            check(rc == 0, f"exit {rc}: {err}")
            with open(f, "rb") as fp:
                texts.append(fp.read())
        check(texts[0] == texts[1], "two drawings of one topology differ")
        check(texts[0].startswith(b"/* drawn by netsim --dot"), texts[0][:80])


@test
def the_run_goes_on_after_writing():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "net.dot")
        rc, out, err = run("--dot", f, "-q", "-s", "-",
                           stdin="h1 ping h3 count 1\nwait\nexpect h1 ping replies 1\n")
        check(rc == 0, f"exit {rc}: {err}")
        check("1 passed, 0 failed" in out, out)
        with open(f) as fp:
            text = fp.read()
        check('"h3" [shape="box"' in text, text)


@test
def unwritable_file_exits_2_naming_it():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "no", "such", "dir", "net.dot")
        rc, out, err = run("--dot", f, "-s", "-", stdin="h1 ping h3 count 1\nwait\n")
        check(rc == 2, f"exit {rc}")
        check(err.startswith(f"netsim: --dot: cannot write '{f}': "), err)
        check(out == "", f"the run started anyway: {out!r}")


if __name__ == "__main__":
    main("dot")

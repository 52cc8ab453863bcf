/* dot.h — the topology as a Graphviz DOT drawing (--dot FILE).
 *
 * A pure translation of a loaded NsTopology: nothing is built and nothing
 * runs, so the drawing is the network as the file describes it, ready for
 * `dot -Tsvg net.dot > net.svg`.  What the text holds:
 *
 *   graph netsim {                       undirected: a cable has no way
 *     label="two_lans.conf"              the file's name (basename)
 *     "h1" [shape=box, label="h1\neth0 192.168.1.10/24\ngw 192.168.1.1"];
 *     "sw1" -- "h1" [taillabel="port2", headlabel="eth0",
 *                    label="192.168.1.0/24", tooltip="h1:eth0 -- sw1:port2"];
 *   }
 *
 * Nodes, in file order: the shape and fill say the kind (one row per kind
 * in dot.c: host box, switch box3d, router ellipse, bridge component); the
 * label is the name, then one line per interface ("eth0 ADDR/LEN", its
 * MAC when the file gives one), a host's gateway ("gw ADDR") and a
 * bridge's rules as `--check` writes them.  MACs the file leaves out are
 * chosen when the network is built (sim/), so they are not drawn.
 *
 * Edges, one per link in link order: the tail is the end whose kind has
 * the lower tier (below; on a tie, the link's first end), the head the
 * other, so a host hangs below its switch.  taillabel and headlabel name each
 * end's interface (eth0) or switch port (port1).  Switch ports are numbered the
 * way sim/ makes them (network_build.c): links in order, a link's first end
 * before its second, each switch counting its own from 1 — so "port2" here is
 * the port the log, `show mac` and the link names ("sw1:port2", the
 * tooltip, which keeps the link's order) call port2; a test builds the network
 * and compares.  The edge label is the subnet (for a cable between two
 * switches, the subnets of the segment it belongs to), then the link parameters
 * that are not the defaults (delay, rate, loss, queue), written as `--check`
 * writes them.
 *
 * Every string is quoted, with '"' and '\' escaped and text that is not
 * UTF-8 (a file name) made valid, so no name or path can break the
 * syntax.  Same topology, same bytes.
 */
#pragma once

#include "config/topology.h"

G_BEGIN_DECLS

/* How a kind of node is drawn: a Graphviz shape and a fill colour.  Every
 * kind has its own shape (a test checks). */
typedef struct {
  const char *shape; /* "box" */
  const char *fill;  /* "#dbe9f6" */
  guint tier;        /* an edge's tail is its end of the lower tier, so
                        that dot ranks routers (0) above switches (1)
                        above hosts and bridges (2), as networks are
                        drawn; a tie keeps the link's order */
} NsDotKindStyle;

const NsDotKindStyle *ns_dot_kind_style(NsNodeKind k);

/* The DOT text of t (g_string_free). */
GString *ns_dot_format(const NsTopology *t);

/* Writes ns_dot_format(t) to path (created or truncated).  FALSE with
 * error (NS_ERROR, NS_ERROR_IO) saying "cannot write 'PATH': REASON". */
gboolean ns_dot_write(const NsTopology *t, const char *path, GError **error);

G_END_DECLS

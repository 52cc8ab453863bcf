/* replay_private.h — what the replay_*.c files share (see replay.h).
 *
 *  replay.c         recording: the log sink, the link taps, the tables
 *  replay_data.c    what was recorded as the page's JSON data
 *  replay_text.c    escaping for HTML and JSON, the string table, a report
 *                   as JSON
 *  replay_layout.c  where each node goes, and the SVG drawing
 *  replay_write.c   the page: template, drawing and data
 */
#pragma once

#include "cli/replay.h"
#include "cli/report.h"
#include "net/link.h"

G_BEGIN_DECLS

/* ---- replay_text.c ---------------------------------------------------- */

/* text as HTML character data or a double-quoted attribute value: & < >
 * " ' as entities; bytes that are not UTF-8 replaced. */
void ns_replay_html(GString *out, const char *text);
/* text as a JSON string literal, quotes included, safe inside a <script>
 * element: '"', '\' and control characters escaped as JSON says, and
 * '<', '>', '&', U+2028, U+2029 as \uXXXX (so "</script>" or "<!--"
 * cannot end or change the script; the two separators are line ends in
 * older JavaScript); bytes that are not UTF-8 replaced. */
void ns_replay_json(GString *out, const char *text);

/* Interned strings, numbered in the order first seen (0 is ""), so that a
 * page names a repeated string by its number. */
typedef struct {
  GHashTable *index; /* char* (owned by strs) -> GUINT_TO_POINTER(i + 1) */
  GPtrArray *strs;   /* owned strings, by number */
} NsReplayStrings;

void ns_replay_strings_init(NsReplayStrings *s);
void ns_replay_strings_clear(NsReplayStrings *s);
/* The number of text (NULL counts as ""), added if new. */
guint ns_replay_intern(NsReplayStrings *s, const char *text);

/* Appends r as JSON: an array of blocks, one per section in reading order
 * (nested sections flattened), each {"t":TITLE,"n":[NOTES],"c":[COLUMNS],
 * "r":[[CELLS]...]} ("c"/"r" only with a table).  Columns that change with
 * time alone (TIMER, AGE) are left out, so that equal JSON means equal
 * tables. */
void ns_replay_report_json(GString *out, const NsReport *r);

/* ---- what a replay records (replay.c) ------------------------------------ */

/* The tables kept per node, in this order (NS_REPLAY_N_KINDS rows of the
 * kind table in replay.c). */
enum { NS_REPLAY_N_KINDS = 4 };
const char *ns_replay_kind_name(guint kind);

typedef struct {
  NsTime time;
  gint node;       /* index in the net, -1 for "sim" or an unknown name */
  guint name;      /* strings: "arp/learn" */
  guint summary;   /* strings */
  guint why;       /* strings, 0 when none */
  guint64 frame;   /* journey id, 0 when none */
  guint hops_then; /* hops of the journey recorded when the event came */
} NsReplayEvent;

typedef struct {
  guint link;  /* ns_net_link index */
  guint side;  /* 0: sent from the a end */
  guint blob;  /* index in blobs: the bytes on this link */
  NsTime time; /* send time */
} NsReplayHop;

typedef struct {
  gint event; /* the event after which the tables were so; -1: at start */
  guint node;
  guint kind;
  guint tab; /* index in tabs */
} NsReplaySnap;

/* The sink's data, owned by the log (which outlives the replay): r is
 * NULL once the replay is finished, and later events are ignored. */
typedef struct {
  NsReplay *r;
} NsReplaySinkRef;

typedef struct {
  NsReplay *r;
  guint link;
  NsLinkTap *tap;
} NsReplayTap;

struct NsReplay {
  NsNet *net;           /* borrowed */
  char *path;           /* where the page goes */
  FILE *fp;             /* opened at start, written at the end */
  NsReplaySinkRef *ref; /* owned by the log */
  NsReplayTap *taps;    /* one per link */
  guint n_taps;
  guint max_events;       /* NS_REPLAY_MAX_EVENTS, less in tests */
  GArray *events;         /* NsReplayEvent, at most max_events */
  guint64 more;           /* events past the bound, counted only */
  GHashTable *journeys;   /* guint64* id (owned) -> GArray* of NsReplayHop */
  GHashTable *blob_index; /* GBytes* (owned by blobs) -> index + 1 */
  GPtrArray *blobs;       /* GBytes*, deduplicated hop bytes */
  NsReplayStrings strs;
  GHashTable *node_index; /* node name (borrowed from the net) -> index + 1 */
  gint pending_node;      /* node of the last event, tables not yet taken */
  gint pending_event;
  GPtrArray *last;      /* per node * kind: the last JSON kept, or NULL */
  NsReplayStrings tabs; /* table JSON texts, deduplicated */
  GArray *snaps;        /* NsReplaySnap, in event order */
};

/* ns_replay_new keeping at most max_events events (tests). */
NsReplay *ns_replay_new_bounded(NsNet *net, const char *path, guint max_events,
                                GError **error);

/* replay_data.c: the page's data (JSON, safe inside a script). */
void ns_replay_data(GString *out, NsReplay *r, const double *x,
                    const double *y);

/* ---- replay_layout.c -------------------------------------------------- */

/* Positions n nodes in rows: tier[i] is node i's row (0 on top); within a
 * row, nodes are ordered by the mean position of their neighbours in the
 * rows above (links: n_links pairs of node indexes in ends), ties and
 * nodes without such neighbours in index order, and the row is centred
 * (its nodes twice as far apart when a link joins two of them).  Writes x[i],
 * y[i] (centres, pixels) and the drawing's size.  Pure and deterministic. */
void ns_replay_layout(const guint *tier, guint n, const guint *ends,
                      guint n_links, double *x, double *y, double *width,
                      double *height);

/* Appends the topology of net as an inline <svg>, positioned by
 * ns_replay_layout: one <g class="node" id="node-I"> per node (a shape by
 * kind, its name), one <g class="link" id="link-K"> per link (a line,
 * each end's interface name, the subnet); ids follow the net's order.
 * The node centres go to x and y (n_nodes each) for the page's data. */
void ns_replay_svg(GString *out, NsNet *net, double *x, double *y);

/* ---- replay_write.c --------------------------------------------------- */

/* Every label of the page and its script, in English, NULL-ended (the
 * template's @@L:text@@ markers and its script's tr("text") keys are all
 * here; tests/cli/test_replay.c checks). */
extern const char *const ns_replay_labels[];
/* The page around the drawing svg and the data (JSON text, already safe
 * inside a script), with title (escaped here) and the labels in the
 * user's language. */
void ns_replay_page(GString *out, const char *title, const GString *svg,
                    const GString *data);

G_END_DECLS

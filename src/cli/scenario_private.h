/* scenario_private.h — the rows of the scenario language, and what its
 * files share.
 *
 * A line goes through three steps:
 *   tokenize: words split at whitespace, "double quoted" strings (with \"
 *             and \\) kept whole, a # outside quotes ends the line;
 *   parse:    words -> one ScCmd, every check that does not need the clock
 *             done here (node names, kinds, numbers, times, addresses), so
 *             that a script with a typo on line 40 fails before line 1 runs;
 *   run:      the ScCmd against the network, through an ScState.
 * Parse functions report errors without a location; the caller prefixes
 * "FILE:LINE: " (or "line N: " at the console).
 *
 * The language is three tables of ScRow, each thing declared once:
 *   ns_sc_commands      (scenario_commands.c) what a line starts with:
 *                       "NODE ping ...", "NODE tcp connect ...", "wait";
 *   ns_sc_shows         (scenario_show.c) the words after `show`;
 *   ns_sc_expectations  (expect.c) the words after `expect [NODE]`.
 * A row names its words, the node kinds it acts on, its help lines and its
 * functions: parse (the words after the row's own) and run, or eval for an
 * expectation.  The parser looks words up in the rows; `help`, `help
 * TOPIC`, the "did you mean 'X'?" hints and every list of commands in an
 * error message ("needs one of ...") are made from the rows
 * (scenario_rows.c); tests/cli/test_rows.c checks them, the tables'
 * invariants and README's tables against the rows.  So a new command is a
 * parse/run pair (in a new file, or next to its kin) and one row.  What a
 * row accepts after its own words (ping's options, `link`'s up|down|set,
 * `expect NODE arp has|lacks`) is its parse function's business, messages
 * included.
 *
 * Invariants (test_rows.c): a row of ns_sc_commands or ns_sc_shows has run
 * and no eval; one of ns_sc_expectations has parse and eval and no run;
 * rows with the same words accept disjoint kinds of node.
 *
 * Ownership: an ScCmd owns its text and its args (freed by free_args); it
 * borrows its rows (static) and its node and link (the net's, which
 * outlives every command).  args is a struct private to the file of the
 * row that parsed it: only that row's functions look inside.  Parse
 * functions fill the ScCmd they are given; on failure the caller frees it,
 * whatever was filled.  Run and eval functions only read the ScCmd; they
 * write to the ScState.
 */
#pragma once

#include <stdio.h>

#include "bridge/bridge.h"
#include "cli/show.h"
#include "sim/clock.h"
#include "sim/framestore.h"
#include "sim/network.h"

G_BEGIN_DECLS

typedef struct ScRow ScRow;
typedef struct ScCmd ScCmd;

/* ---- what commands act on ----------------------------------------------- */

/* The running side of a scenario (or the console): what run and eval
 * functions read and write.  Owned by the NsScenario. */
typedef struct {
  NsNet *net;           /* borrowed; outlives the scenario */
  FILE *out;            /* borrowed: command output, expect results */
  NsTime limit;         /* no wait runs the clock past this (NS_TIME_NEVER) */
  NsClock *clock;       /* borrowed: waits run on it; NULL: at once (fast) */
  NsBridges *bridges;   /* borrowed: the run's real sockets (show bridges,
                           bridge.* counters), or NULL: none open */
  const GString *log;   /* the log text kept for `expect log`, or NULL */
  NsFrameStore *frames; /* the frames kept for `show frame`, or NULL */
  guint expects;        /* expects run so far (numbers the ok lines) */
  guint passed, failed;
  gboolean quit; /* a quit or exit ran: stop */
} ScState;

/* ---- rows --------------------------------------------------------------- */

/* A parser's view of one line's words. */
typedef struct {
  NsNet *net;
  char **words;
  guint n, pos;
  GError **error;
  const GByteArray *quoted; /* per word: was (some of) it in "quotes" */
} ScParser;

/* Reads the words after the row's own (and after the node, for a row that
 * acts on one) into c; FALSE with p's error set on a mistake. */
typedef gboolean (*ScParseFn)(ScParser *p, ScCmd *c);
/* Does what a parsed command says. */
typedef void (*ScRunFn)(ScState *st, const ScCmd *c);
/* Whether an expectation holds now; got receives what was found (printed
 * after "not ok", so it is written whether or not it holds). */
typedef gboolean (*ScEvalFn)(const ScState *st, const ScCmd *c, GString *got);

#define SC_HOUR (3600 * NS_SEC)

/* Kinds of node a row accepts (bit masks of 1 << NsNodeKind). */
#define SC_IPNODE                                                              \
  ((1u << NS_NODE_HOST) | (1u << NS_NODE_ROUTER) | (1u << NS_NODE_BRIDGE))
#define SC_SWITCH (1u << NS_NODE_SWITCH)
#define SC_BRIDGE (1u << NS_NODE_BRIDGE)
#define SC_VXLAN (1u << NS_NODE_VXLAN) /* only show stats, expect counter */
#define SC_ANYNODE (SC_IPNODE | SC_SWITCH)

/* ScRow.flags */
enum {
  /* show: the NODE after the words may be left out */
  SC_NODE_OPTIONAL = 1 << 0,
  /* the log text must be kept from the start for it (expect log) */
  SC_KEEPS_LOG = 1 << 1,
  /* the frames must be kept from the start for it (show frame) */
  SC_KEEPS_FRAMES = 1 << 2,
};

/* One command, show subcommand or expectation.
 *
 * kinds says where a node goes: in ns_sc_commands and ns_sc_expectations a
 * row with kinds acts on the NODE typed before its words ("h1 ping",
 * "expect sw1 mac"); one without takes no node first ("wait", "expect
 * link").  In ns_sc_shows the NODE comes after the words.  Two rows may
 * share their words if their kinds do not overlap (expect NODE counter,
 * expect SWITCH counter): the node's kind picks one.
 *
 * help holds the row's lines of `help`, '\n' between lines, each
 * "SYNOPSIS" or "SYNOPSIS\tABOUT".  A line starting with "| " continues
 * the previous row's line (synopses and abouts joined by " | "); a line
 * with an empty SYNOPSIS puts more of the ABOUT above on a line of its own.
 * NULL: the row is another spelling, left out of help (`arp flush NODE`).
 */
struct ScRow {
  const char *words; /* "ping", "tcp connect": one or two words */
  const char *alias; /* another spelling of the first word, never listed
                        in menus ("trace"), or NULL */
  guint kinds;       /* SC_IPNODE, ...; 0: no node */
  guint flags;       /* SC_NODE_OPTIONAL, SC_KEEPS_LOG, SC_KEEPS_FRAMES */
  const char *help;
  ScParseFn parse;    /* NULL: nothing may follow (the node, for shows) */
  ScRunFn run;        /* commands */
  NsShowFunc show;    /* shows: the report they build */
  ScEvalFn eval;      /* expectations */
  const ScRow *table; /* show, expect: the rows of the word that follows,
                         whose help lines stand for this row's */
};

/* The tables, each ended by a row with words NULL. */
extern const ScRow ns_sc_commands[];
extern const ScRow ns_sc_shows[];
extern const ScRow ns_sc_expectations[];

/* ---- parsed commands ---------------------------------------------------- */

struct ScCmd {
  const ScRow *row;  /* in ns_sc_commands */
  const ScRow *what; /* `show`, `expect`: the row of ns_sc_shows or
                        ns_sc_expectations; else NULL */
  char *text;        /* the line as written, without comment */
  NsNetNode *node;   /* the node acted on or looked at (borrowed), or NULL */
  NsNetLink *link;   /* link, expect link (borrowed), or NULL */
  gpointer args;     /* the row's own arguments, or NULL */
  GDestroyNotify free_args; /* frees args */
};

void ns_sc_cmd_free(ScCmd *cmd);
/* Gives c a zeroed block of size bytes as its args, freed by free_args
 * (g_free when NULL), and returns it. */
gpointer ns_sc_cmd_args(ScCmd *c, gsize size, GDestroyNotify free_args);
#define SC_ARGS(c, Type, free_args)                                            \
  ((Type *)ns_sc_cmd_args((c), sizeof(Type), (free_args)))

/* ---- tokenizer and parser ----------------------------------------------- */

/* Splits line into words (g_strfreev).  *code_len (may be NULL) receives
 * the length of the line before any comment; quoted (may be NULL) one
 * byte per word, TRUE when the word was (partly) in quotes: "400" is text,
 * never a count.  NULL + error on an unterminated string or an unknown
 * escape. */
char **ns_sc_tokenize(const char *line, gsize *code_len, GByteArray *quoted,
                      GError **error);

/* Parses one line: *out is NULL for a blank or comment-only line. */
gboolean ns_sc_parse_line(NsNet *net, const char *line, ScCmd **out,
                          GError **error);

const char *ns_sc_peek(ScParser *p);
const char *ns_sc_take(ScParser *p);
/* Whether the next word was written in quotes. */
gboolean ns_sc_peek_quoted(ScParser *p);
/* Takes the next word if it is kw. */
gboolean ns_sc_accept(ScParser *p, const char *kw);
/* Sets the error; returns FALSE. */
gboolean ns_sc_fail(ScParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Fails if words remain. */
gboolean ns_sc_end(ScParser *p);
/* "'foo'" or "nothing", for "got ..." in messages (g_free it). */
char *ns_sc_got(const char *w);
/* "h1, h3, r1, sw1, sw2" (g_free it). */
char *ns_sc_node_names(NsNet *net);
/* "a host or router name", "a switch name", "a node name". */
const char *ns_sc_kinds_text(guint kinds);
/* The next word as a node of one of `kinds`; ctx names the command in
 * messages ("'show arp'"). */
gboolean ns_sc_node(ScParser *p, const char *ctx, guint kinds, NsNetNode **out);
/* Two link ends (NODE or NODE:IFACE) naming exactly one link; *written
 * (may be NULL; g_free it) gets the two words as the user wrote them. */
gboolean ns_sc_link(ScParser *p, const char *ctx, NsNetLink **out,
                    char **written);
/* An unsigned integer in [min, max]. */
gboolean ns_sc_uint(ScParser *p, const char *ctx, guint64 min, guint64 max,
                    guint64 *out);
/* A time with a unit in [min, max]. */
gboolean ns_sc_time(ScParser *p, const char *ctx, NsTime min, NsTime max,
                    NsTime *out);
/* A destination: IPv4 address, node name, NODE:IFACE.  *name (may be NULL)
 * receives a copy of the word. */
gboolean ns_sc_dest(ScParser *p, const char *ctx, NsIp4 *out, char **name);
/* A multicast group address. */
gboolean ns_sc_group(ScParser *p, const char *ctx, NsIp4 *out);
/* Everything left, words joined by one space (g_free it). */
char *ns_sc_rest(ScParser *p);

/* Options already given on a line: "count 1 count 2" is a slip, not a
 * request to take the last one. */
typedef struct {
  const char *names[8];
  guint n;
} ScSeen;
/* Fails if opt was seen before on this line; remembers it. */
gboolean ns_sc_once(ScParser *p, ScSeen *seen, const char *opt);

/* An option of ping or traceroute: NAME followed by a number or a time,
 * stored at offset in the options struct (size 1, 4 or 8 bytes). */
typedef struct {
  const char *name;
  gboolean is_time;
  guint64 min, max;
  gsize offset, size;
  gboolean is_flag; /* a word alone ("-n"): sets a gboolean, no value */
} ScOpt;
/* Parses "OPT VALUE ..." to the end of the line into base; what names the
 * command in messages ("ping"). */
gboolean ns_sc_options(ScParser *p, const char *what, const ScOpt *opts,
                       guint n, gpointer base);

/* ---- numbers compared --------------------------------------------------- */

typedef enum { SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE } ScOp;

/* "[OP] N" of an expectation. */
typedef struct {
  ScOp op;
  double value;
} ScCompare;

/* [OP] N to the end of the line, where OP may also be glued to N (">=3").
 * With percent, N may be a decimal with a trailing '%'; otherwise a whole
 * number. */
gboolean ns_sc_parse_compare(ScParser *p, const char *ctx, gboolean percent,
                             ScCompare *out);
gboolean ns_sc_compare(const ScCompare *cmp, double got);

/* ---- derived from the rows (scenario_rows.c) ---------------------------- */

/* Which rows of a table a lookup or a list covers. */
typedef enum {
  SC_ALL_ROWS,
  SC_NODE_ROWS,  /* rows with kinds: "NODE ping", "expect NODE arp" */
  SC_PLAIN_ROWS, /* rows without: "wait", "expect log" */
} ScRowPart;

typedef enum {
  SC_LIST_OR,    /* "a, b or c" */
  SC_LIST_COMMA, /* "a, b, c" */
  SC_LIST_BAR,   /* "a|b|c" */
} ScListStyle;

/* Whether w is row's first word or its alias. */
gboolean ns_sc_row_starts(const ScRow *row, const char *w);
/* The row's second word, or NULL for a one-word row. */
const char *ns_sc_row_second(const ScRow *row);
/* The first row of the part whose first word (or alias) is w; NULL if
 * none or w is NULL.  Rows after it with the same first word follow it. */
const ScRow *ns_sc_row_lookup(const ScRow *table, ScRowPart part,
                              const char *w);
/* Of the rows starting at first that share its first word: the one whose
 * second word is w, or NULL. */
const ScRow *ns_sc_row_lookup_second(const ScRow *first, const char *w);
/* ... the first that accepts node's kind, or NULL. */
const ScRow *ns_sc_row_for_node(const ScRow *first, const NsNetNode *node);
/* Whether any row of table accepts node's kind. */
gboolean ns_sc_row_any_for_node(const ScRow *table, const NsNetNode *node);

/* The first words of the part's documented rows, each once, in table
 * order; a first word that only one row has brings the row's second word
 * along ("arp flush").  g_free it. */
char *ns_sc_row_menu(const ScRow *table, ScRowPart part, ScListStyle style);
/* The usages after the first word of first and the rows after it that
 * share that word, up to any '|': "send DEST:PORT TEXT or listen PORT"
 * (one alone is quoted: "'flush'").  g_free it. */
char *ns_sc_row_family_menu(const ScRow *first);
/* "a, b or c" of the n words; one word alone is quoted ("'a'"). */
char *ns_sc_or_list(const char *const *words, guint n);

/* The first word of the part's documented rows within two edits of w, or
 * NULL (g_free it). */
char *ns_sc_row_closest(const ScRow *table, ScRowPart part, const char *w);
/* " (did you mean 'X'?)" when a word of the NULL-terminated words is
 * within two edits of w (NULL: none), else "" (g_free it). */
char *ns_sc_hint(const char *w, const char *const *words);
/* The same for the first words of the part's documented rows. */
char *ns_sc_did_you_mean(const char *w, const ScRow *table, ScRowPart part);
/* The same among the second words of first's family (g_free it). */
char *ns_sc_row_family_hint(const ScRow *first, const char *w);

/* Prints `help` (topic NULL) or `help TOPIC` from the rows. */
void ns_sc_print_help(FILE *out, const char *topic);

/* ---- rows' functions ---------------------------------------------------- */

/* scenario_commands.c: runs the clock until nothing is left to do (bare
 * `wait`, and the end of a script), within st->limit. */
void ns_sc_run_idle(ScState *st);
/* scenario_ping.c */
gboolean ns_sc_parse_ping(ScParser *p, ScCmd *c);
void ns_sc_run_ping(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_trace(ScParser *p, ScCmd *c);
void ns_sc_run_trace(ScState *st, const ScCmd *c);
/* scenario_link.c */
gboolean ns_sc_parse_link(ScParser *p, ScCmd *c);
void ns_sc_run_link(ScState *st, const ScCmd *c);
/* scenario_show.c */
gboolean ns_sc_parse_show(ScParser *p, ScCmd *c);
void ns_sc_run_show(ScState *st, const ScCmd *c);
/* scenario_sockets.c */
gboolean ns_sc_parse_udp_send(ScParser *p, ScCmd *c);
void ns_sc_run_udp_send(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_udp_listen(ScParser *p, ScCmd *c);
void ns_sc_run_udp_listen(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_group_cmd(ScParser *p, ScCmd *c);
void ns_sc_run_join(ScState *st, const ScCmd *c);
void ns_sc_run_leave(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_tcp_connect(ScParser *p, ScCmd *c);
void ns_sc_run_tcp_connect(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_tcp_send(ScParser *p, ScCmd *c);
void ns_sc_run_tcp_send(ScState *st, const ScCmd *c);
void ns_sc_run_tcp_close(ScState *st, const ScCmd *c);
void ns_sc_run_tcp_abort(ScState *st, const ScCmd *c);
/* scenario_http.c: http get and its expectation */
gboolean ns_sc_parse_http_get(ScParser *p, ScCmd *c);
void ns_sc_run_http_get(ScState *st, const ScCmd *c);
gboolean ns_sc_parse_http_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_http_expect(const ScState *st, const ScCmd *c,
                                GString *got);
/* expect.c: `expect ...` */
gboolean ns_sc_parse_expect(ScParser *p, ScCmd *c);
void ns_sc_run_expect(ScState *st, const ScCmd *c);
/* "'expect h1 ping'": an expectation on a node, for messages (g_free). */
char *ns_sc_expect_ctx(const ScCmd *c);

/* expect_node.c: ping, arp, mac, route, traceroute */
gboolean ns_sc_parse_ping_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_ping_expect(const ScState *st, const ScCmd *c,
                                GString *got);
gboolean ns_sc_parse_arp_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_arp_expect(const ScState *st, const ScCmd *c, GString *got);
gboolean ns_sc_parse_mac_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_mac_expect(const ScState *st, const ScCmd *c, GString *got);
gboolean ns_sc_parse_route_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_route_expect(const ScState *st, const ScCmd *c,
                                 GString *got);
gboolean ns_sc_parse_trace_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_trace_expect(const ScState *st, const ScCmd *c,
                                 GString *got);
/* expect_counter.c: NODE counter, SWITCH counter */
gboolean ns_sc_parse_ip_counter_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_parse_switch_counter_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_parse_vxlan_counter_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_counter_expect(const ScState *st, const ScCmd *c,
                                   GString *got);
/* expect_link.c: link, log */
gboolean ns_sc_parse_link_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_link_expect(const ScState *st, const ScCmd *c,
                                GString *got);
gboolean ns_sc_parse_log_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_log_expect(const ScState *st, const ScCmd *c, GString *got);
/* expect_sockets.c: tcp, udp, group, service */
gboolean ns_sc_parse_tcp_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_tcp_expect(const ScState *st, const ScCmd *c, GString *got);
gboolean ns_sc_parse_udp_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_udp_expect(const ScState *st, const ScCmd *c, GString *got);
gboolean ns_sc_parse_group_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_group_expect(const ScState *st, const ScCmd *c,
                                 GString *got);
gboolean ns_sc_parse_service_expect(ScParser *p, ScCmd *c);
gboolean ns_sc_eval_service_expect(const ScState *st, const ScCmd *c,
                                   GString *got);

G_END_DECLS

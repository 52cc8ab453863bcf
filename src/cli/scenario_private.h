/* scenario_private.h — what scenario.c, scenario_parse.c, expect_parse.c
 * and expect.c share.
 *
 * A line goes through three steps:
 *   tokenize: words split at whitespace, "double quoted" strings (with \"
 *             and \\) kept whole, a # outside quotes ends the line;
 *   parse:    words -> one ScCmd, every check that does not need the clock
 *             done here (node names, kinds, numbers, times, addresses), so
 *             that a script with a typo on line 40 fails before line 1 runs;
 *   run:      the ScCmd against the network (scenario.c, expect.c).
 * Parse functions report errors without a location; the caller prefixes
 * "FILE:LINE: " (or "line N: " at the console).
 */
#pragma once

#include "sim/network.h"
#include "cli/show.h"

G_BEGIN_DECLS

/* ---- parsed commands ---------------------------------------------------- */

typedef enum {
  SC_PING,
  SC_TRACE,
  SC_ARP_FLUSH,
  SC_SHOW,
  SC_LINK_UP,
  SC_LINK_DOWN,
  SC_LINK_SET,
  SC_WAIT,      /* wait TIME */
  SC_WAIT_IDLE, /* bare wait */
  SC_PRINT,
  SC_HELP,
  SC_QUIT,
  SC_EXPECT,
  SC_SOCKET, /* udp/tcp/join/leave: ScSockOp says which */
} ScCmdKind;

typedef enum {
  SC_UDP_SEND,
  SC_UDP_LISTEN,
  SC_JOIN,
  SC_LEAVE,
  SC_TCP_CONNECT,
  SC_TCP_SEND,
  SC_TCP_CLOSE,
  SC_TCP_ABORT,
} ScSockOp;

typedef enum {
  SC_SHOW_ARP,
  SC_SHOW_MAC,
  SC_SHOW_ROUTE,
  SC_SHOW_LINKS,
  SC_SHOW_STATS,
  SC_SHOW_NODES,
  SC_SHOW_SOCKETS,
  SC_SHOW_TCP,
} ScShowWhat;

typedef enum { SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE } ScOp;

typedef enum {
  SC_EX_PING_REPLIES,
  SC_EX_PING_LOSS,
  SC_EX_ARP_HAS,
  SC_EX_ARP_LACKS,
  SC_EX_MAC_PORT,
  SC_EX_MAC_ABSENT,
  SC_EX_ROUTE_VIA,
  SC_EX_ROUTE_NONE,
  SC_EX_TRACE_REACHED,
  SC_EX_TRACE_HOPS,
  SC_EX_TRACE_HOP,
  SC_EX_COUNTER,
  SC_EX_LINK,
  SC_EX_LOG_CONTAINS,
  SC_EX_LOG_LACKS,
  SC_EX_SOCKET, /* tcp/udp/group/service: ScSockEx says which */
} ScExpectKind;

typedef enum {
  SC_SX_TCP_STATE,     /* the user's connection is in tcp_state */
  SC_SX_TCP_BYTES,     /* bytes it received, compared */
  SC_SX_TCP_TEXT,      /* what it received contains text */
  SC_SX_TCP_LACKS,     /* ... does not contain it */
  SC_SX_TCP_ECHO,      /* what it received equals what it sent */
  SC_SX_UDP_COUNT,     /* datagrams the node's sockets received */
  SC_SX_UDP_TEXT,      /* the last datagram the user's sockets got */
  SC_SX_GROUP_MEMBER,  /* the node is a member of ip */
  SC_SX_GROUP_ABSENT,  /* it is not */
  SC_SX_SERVICE,       /* a service's statistic (field), compared */
} ScSockEx;

/* Which counter `expect ... counter NAME` reads. */
typedef enum {
  SC_CTR_IP,     /* NsIpCounters field */
  SC_CTR_NIC,    /* an interface's NsNicCounters field ("eth0.rx_frames") */
  SC_CTR_SWITCH, /* NsSwitchPortCounters field, one port or all (port 0) */
  SC_CTR_UDP,    /* NsUdpCounters field ("udp.no_port") */
  SC_CTR_TCP,    /* NsTcpCounters field ("tcp.retransmits") */
} ScCounterKind;

/* Which link statistic `expect link` reads. */
typedef enum {
  SC_LS_SENT,
  SC_LS_DELIVERED,
  SC_LS_DROPS,      /* all reasons */
  SC_LS_DROP_REASON /* one reason */
} ScLinkStat;

typedef struct {
  ScExpectKind kind;
  ScOp op;
  double value; /* the number compared against */
  /* an address: any address of `who` when set, else `ip` */
  NsNetNode *who;
  NsIp4 ip;
  gboolean has_mac; /* arp has ... mac M; mac tables: the MAC looked up */
  NsMac mac;
  guint port;  /* mac ... port N */
  char *iface; /* route ... via IFACE */
  gboolean has_gateway;
  NsIp4 gateway;
  guint hop; /* traceroute hop K */
  /* counters */
  ScCounterKind counter;
  const NsCounterField *field; /* in its counters struct (show.h) */
  guint index; /* SC_CTR_NIC: iface index; SC_CTR_SWITCH: port, 0=all */
  /* links */
  ScLinkStat link_stat;
  guint reason; /* NsDropReason for SC_LS_DROP_REASON */
  gint side;    /* -1 both directions, else 0 (a->b) or 1 */
  char *text;   /* log contains/lacks, tcp/udp received TEXT */
  /* sockets */
  ScSockEx sock;
  NsTcpState tcp_state;
  gboolean tcp;  /* service: TCP (else UDP) */
  guint16 sport; /* service port */
} ScExpect;

typedef struct {
  ScCmdKind kind;
  char *text;      /* the line as written, without comment */
  NsNetNode *node; /* the node acted on (borrowed from the net) */
  NsNetLink *link; /* link commands, expect link */
  NsIp4 dst;       /* ping, traceroute */
  char *dst_name;  /* how the user named dst */
  NsPingOptions ping;
  NsTraceOptions trace;
  ScShowWhat show;
  NsTime time; /* wait */
  gboolean set_loss, set_delay, set_rate, set_queue;
  NsLinkParams params; /* link set: the fields marked set_* */
  char *arg;           /* print text, help topic */
  ScSockOp sock;       /* SC_SOCKET */
  guint16 port;        /* udp send/listen, tcp connect */
  GBytes *data;        /* udp send, tcp send */
  ScExpect ex;
} ScCmd;

void ns_sc_cmd_free(ScCmd *cmd);

/* ---- tokenizer and parser ----------------------------------------------- */

/* Splits line into words (g_strfreev).  *code_len (may be NULL) receives
 * the length of the line before any comment.  NULL + error on an
 * unterminated string or an unknown escape. */
char **ns_sc_tokenize(const char *line, gsize *code_len, GError **error);

/* Parses one line: *out is NULL for a blank or comment-only line. */
gboolean ns_sc_parse_line(NsNet *net, const char *line, ScCmd **out,
                          GError **error);

/* A parser's view of one line's words. */
typedef struct {
  NsNet *net;
  char **words;
  guint n, pos;
  GError **error;
} ScParser;

/* Kinds of node a command accepts (bit masks of 1 << NsNodeKind). */
#define SC_IPNODE ((1u << NS_NODE_HOST) | (1u << NS_NODE_ROUTER))
#define SC_SWITCH (1u << NS_NODE_SWITCH)
#define SC_ANYNODE (SC_IPNODE | SC_SWITCH)

const char *ns_sc_peek(ScParser *p);
const char *ns_sc_take(ScParser *p);
/* Takes the next word if it is kw. */
gboolean ns_sc_accept(ScParser *p, const char *kw);
/* Sets the error; returns FALSE. */
gboolean ns_sc_fail(ScParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Fails if words remain. */
gboolean ns_sc_end(ScParser *p);
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
/* A destination: IPv4 address, node name, NODE:IFACE.  *name (may be NULL)
 * receives a copy of the word. */
gboolean ns_sc_dest(ScParser *p, const char *ctx, NsIp4 *out, char **name);

/* expect_parse.c: the words after `expect`. */
gboolean ns_sc_parse_expect(ScParser *p, ScCmd *cmd);

/* scenario_sockets.c: NODE udp|tcp|join|leave ... (verb already taken),
 * and the words after `expect NODE tcp|udp|group|service`. */
gboolean ns_sc_parse_socket_cmd(ScParser *p, ScCmd *c, const char *verb);
gboolean ns_sc_parse_socket_expect(ScParser *p, ScCmd *c, const char *what);
/* Number parsing shared with expect_parse.c: [OP] N. */
gboolean ns_sc_parse_compare(ScParser *p, const char *ctx, gboolean percent,
                             ScExpect *ex);
gboolean ns_sc_compare(ScOp op, double got, double want);

/* ---- running ------------------------------------------------------------ */

/* scenario_sockets.c: runs an SC_SOCKET command (errors printed to out). */
void ns_sc_run_socket_cmd(NsNet *net, const ScCmd *c, FILE *out);
/* Evaluates an SC_EX_SOCKET expectation. */
gboolean ns_sc_eval_socket_expect(NsNet *net, const ScCmd *c, GString *got);

/* expect.c: evaluates an SC_EXPECT command.  log is every log line so far.  On
 * failure, got receives what was found instead. */
gboolean ns_sc_eval_expect(NsNet *net, const char *log, const ScCmd *cmd,
                           GString *got);

G_END_DECLS

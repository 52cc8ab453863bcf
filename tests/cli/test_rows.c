/* test_rows.c — the tables of the scenario language: what is made from
 * the rows (help, the lists in messages, "did you mean"), the tables'
 * invariants, and README's tables against the rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario_private.h"
#include "testutil.h"

/* ---- help ---------------------------------------------------------------- */

/* What `help` printed before the rows existed, kept by hand then: the
 * rows must reproduce it byte for byte. */
static const char help_text[] =
    "  NODE ping DEST [count N] [interval TIME] [timeout TIME] [size N] [ttl "
    "N]\n"
    "  NODE traceroute DEST [max-hops N] [probes N] [timeout TIME] [-n]\n"
    "  NODE arp flush             empty NODE's ARP caches\n"
    "  NODE udp send DEST:PORT TEXT|size N   one datagram (DEST may be a "
    "broadcast or group)\n"
    "  NODE udp listen PORT       print and count datagrams to PORT\n"
    "  NODE join GROUP            join a multicast group (239.1.1.1)\n"
    "  NODE leave GROUP           leave it\n"
    "  NODE tcp connect DEST:PORT open NODE's TCP connection\n"
    "  NODE tcp send TEXT|size N  queue data on it (\\r \\n in \"quotes\")\n"
    "  NODE tcp close | NODE tcp abort   FIN after the data | RST now\n"
    "  NODE http get DEST[:PORT] [PATH] [timeout TIME]   HTTP GET: status, "
    "headers, whole body\n"
    "  show arp NODE | show mac SWITCH | show route NODE\n"
    "  show links | show stats [NODE] | show nodes\n"
    "  show sockets [NODE] | show tcp [NODE] | show bridges [BRIDGE]\n"
    "  show frame ID              frame #ID hop by hop: layers and bytes\n"
    "  show groups NODE           multicast: joined, querier's, snooped\n"
    "  show received NODE         all the bytes its sockets received, as "
    "text\n"
    "  show mask ADDR/LEN         the mask AND in binary (or ADDR MASK)\n"
    "  link A B down | link A B up\n"
    "  link A B set [loss P] [delay TIME] [rate RATE] [queue N]\n"
    "  wait TIME                  run the clock TIME further\n"
    "  wait                       run until every ping, traceroute and TCP "
    "transfer ended\n"
    "  print TEXT...              echo TEXT\n"
    "  expect NODE ping replies [OP] N | expect NODE ping loss [OP] P%\n"
    "  expect NODE arp has ADDR [mac MAC] | expect NODE arp lacks ADDR\n"
    "  expect SWITCH mac NODE|NODE:IFACE|MAC port N | ... absent\n"
    "  expect NODE route DEST via IFACE [gateway IP] | expect NODE route DEST "
    "none\n"
    "  expect NODE traceroute reached | hops [OP] N | hop K ADDR\n"
    "  expect NODE counter NAME [OP] N    NAME: ip_rx, ..., eth0.rx_frames, "
    "udp.NAME, tcp.NAME, bridge.NAME\n"
    "  expect SWITCH counter NAME [OP] N  NAME: flooded, forwarded, rx_frames, "
    "..., port.1.rx_frames\n"
    "  expect VXLAN counter NAME [OP] N   NAME: vxlan.rx_frames, ..., "
    "vxlan0.tx_frames\n"
    "  expect link A B [dir A] STAT [OP] N  STAT: sent, delivered, drops, "
    "drops.loss,\n"
    "                                       drops.queue-full, drops.link-down\n"
    "  expect log contains \"TEXT\" | expect log lacks \"TEXT\"\n"
    "  expect NODE tcp state STATE | tcp received [OP] N [bytes] | tcp "
    "received \"TEXT\" | tcp received echo | tcp lacks \"TEXT\"\n"
    "  expect NODE udp received [OP] N | udp received \"TEXT\"\n"
    "  expect NODE http status [OP] N | http body [lacks] \"TEXT\" | http "
    "error \"TEXT\" | group GROUP joined|left|on IFACE,...|ports N,...\n"
    "  expect NODE service PORT[/tcp|/udp] FIELD [OP] N  FIELD: connections, "
    "requests, datagrams, bytes_in, ...\n"
    "  help [COMMAND]             this list\n"
    "  quit | exit\n"
    "DEST and ADDR: an IPv4 address, a node name or NODE:IFACE. TIME: 10ms, "
    "1.5s (ns us ms s m).\n"
    "OP: = == != < <= > >=.  RATE: 10Mbit, 1Gbit, 0 (unlimited).  P: 0.1 or "
    "10%.  # starts a comment.\n";

/* What `help TOPIC` prints (g_free it). */
static char *help_for(const char *topic) {
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(out);
  ns_sc_print_help(out, topic);
  fclose(out);
  char *s = g_strdup(buf);
  free(buf);
  return s;
}

START_TEST(test_help_text) {
  g_autofree char *all = help_for(NULL);
  ck_assert_str_eq(all, help_text);
}
END_TEST

START_TEST(test_help_topics) {
  static const struct {
    const char *topic, *want;
  } topics[] = {
      {"tcp", "  NODE tcp connect DEST:PORT open NODE's TCP connection\n"
              "  NODE tcp send TEXT|size N  queue data on it (\\r \\n in "
              "\"quotes\")\n"
              "  NODE tcp close | NODE tcp abort   FIN after the data | RST "
              "now\n"},
      {"arp", "  NODE arp flush             empty NODE's ARP caches\n"},
      {"exit", "  quit | exit\n"},
      {"trace", "  NODE traceroute DEST [max-hops N] [probes N] [timeout "
                "TIME] [-n]\n"},
      {"show", "  show arp NODE | show mac SWITCH | show route NODE\n"
               "  show links | show stats [NODE] | show nodes\n"
               "  show sockets [NODE] | show tcp [NODE] | show bridges "
               "[BRIDGE]\n"
               "  show frame ID              frame #ID hop by hop: layers and "
               "bytes\n"
               "  show groups NODE           multicast: joined, querier's, "
               "snooped\n"
               "  show received NODE         all the bytes its sockets "
               "received, as text\n"
               "  show mask ADDR/LEN         the mask AND in binary (or ADDR "
               "MASK)\n"},
      {"bogus", "no command 'bogus'; commands: ping traceroute arp udp join "
                "leave tcp http show link wait print expect help quit\n"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(topics); i++) {
    g_autofree char *got = help_for(topics[i].topic);
    ck_assert_str_eq(got, topics[i].want);
  }
  /* help expect: every expectation, and nothing else */
  g_autofree char *ex = help_for("expect");
  g_auto(GStrv) lines = g_strsplit(ex, "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 15 + 1);
  ck_assert(g_str_has_prefix(lines[0], "  expect NODE ping"));
  ck_assert(g_str_has_prefix(lines[14], "  expect NODE service"));
}
END_TEST

/* ---- messages made from the rows ----------------------------------------- */

typedef struct {
  NsTopology *topo;
  NsNet *net;
} Net;

static Net net_new(void) {
  Net n = {0};
  GError *err = NULL;
  n.topo = ns_topology_load_data(ns_topology_builtin, -1, "<built-in>", &err);
  ck_assert_msg(n.topo != NULL, "%s", err ? err->message : "?");
  n.net = ns_net_new(n.topo, 1);
  return n;
}

static void net_free(Net n) {
  ns_net_free(n.net);
  ns_topology_free(n.topo);
}

/* The error message of a line that must not parse (g_free it). */
static char *error_of(Net n, const char *line) {
  ScCmd *c = NULL;
  GError *err = NULL;
  ck_assert_msg(!ns_sc_parse_line(n.net, line, &c, &err), "'%s' parsed", line);
  char *msg = g_strdup(err->message);
  g_error_free(err);
  return msg;
}

static const struct {
  const char *line, *fragment;
} suggestions[] = {
    {"shwo arp h1", "unknown command or node 'shwo' (did you mean 'show'? "
                    "commands: see 'help'; nodes: "},
    {"wiat 1s", "(did you mean 'wait'? "},
    {"exepct h1 ping replies 1", "(did you mean 'expect'? "},
    {"h1 pnig h3", "got 'pnig' (did you mean 'ping'?)"},
    {"h1 tracerout h3", "got 'tracerout' (did you mean 'traceroute'?)"},
    {"h1 tcp conect h3:80", "'h1 tcp' needs connect DEST:PORT, send TEXT, "
                            "close or abort (did you mean 'connect'?)"},
    {"h1 udp lisen 7", "'h1 udp' needs send DEST:PORT TEXT or listen PORT "
                       "(did you mean 'listen'?)"},
    {"show rout r1", "got 'rout' (did you mean 'route'?)"},
    {"show bridgse", "got 'bridgse' (did you mean 'bridges'?)"},
    {"link h1 sw1 dwon", "'link h1 sw1' needs up, down or set, got 'dwon' "
                         "(did you mean 'down'?)"},
    {"expect h1 pnig replies 1", "unknown expectation 'pnig' (did you mean "
                                 "'ping'? expected ping, arp, mac, route, "
                                 "traceroute, counter, tcp, udp, http, group "
                                 "or service)"},
    {"expect sw1 countr flooded 1", "(did you mean 'counter'? "},
    {"expect h3 servce 80 requests 1", "(did you mean 'service'? "},
};

START_TEST(test_suggestions) {
  Net n = net_new();
  g_autofree char *msg = error_of(n, suggestions[_i].line);
  ck_assert_msg(strstr(msg, suggestions[_i].fragment) != NULL,
                "'%s': message '%s' lacks '%s'", suggestions[_i].line, msg,
                suggestions[_i].fragment);
  net_free(n);
}
END_TEST

START_TEST(test_no_far_suggestion) {
  /* Nothing within two edits: no hint; a single choice is named already. */
  static const char *const lines[] = {"xyzzy", "h1 dance", "show tables",
                                      "expect h1 weather 3", "h1 arp flus"};
  Net n = net_new();
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
    g_autofree char *msg = error_of(n, lines[i]);
    ck_assert_msg(strstr(msg, "did you mean") == NULL, "'%s': '%s'", lines[i],
                  msg);
  }
  g_autofree char *arp = error_of(n, "h1 arp flus");
  ck_assert_str_eq(arp, "'h1 arp' needs 'flush'");
  net_free(n);
}
END_TEST

/* Whether msg names word as a whole word of a list. */
static gboolean lists(const char *msg, const char *word, gsize len) {
  g_autofree char *w = g_strndup(word, len);
  for (const char *s = strstr(msg, w); s != NULL; s = strstr(s + 1, w)) {
    char after = s[len];
    if ((s == msg || strchr(" '|", s[-1]) != NULL) &&
        (after == '\0' || strchr(",| )'\n", after) != NULL))
      return TRUE;
  }
  return FALSE;
}

/* Every documented row of the part has its first word in msg. */
static void assert_lists_rows(const char *msg, const ScRow *table,
                              gboolean on_node) {
  for (const ScRow *r = table; r->words != NULL; r++)
    if ((r->kinds != 0) == on_node && (r->help || r->table))
      ck_assert_msg(lists(msg, r->words, strcspn(r->words, " ")),
                    "'%s' does not list '%s'", msg, r->words);
}

START_TEST(test_menus_list_every_row) {
  Net n = net_new();
  g_autofree char *verbs = error_of(n, "h1 dance");
  assert_lists_rows(verbs, ns_sc_commands, TRUE);
  g_autofree char *shows = error_of(n, "show tables");
  assert_lists_rows(shows, ns_sc_shows, TRUE);
  assert_lists_rows(shows, ns_sc_shows, FALSE);
  g_autofree char *ex = error_of(n, "expect h1 weather 3");
  assert_lists_rows(ex, ns_sc_expectations, TRUE);
  g_autofree char *bare = error_of(n, "expect");
  assert_lists_rows(bare, ns_sc_expectations, TRUE);
  assert_lists_rows(bare, ns_sc_expectations, FALSE);
  g_autofree char *help = help_for("bogus");
  assert_lists_rows(help, ns_sc_commands, TRUE);
  assert_lists_rows(help, ns_sc_commands, FALSE);
  net_free(n);
}
END_TEST

/* ---- the tables' invariants ---------------------------------------------- */

typedef enum { ROWS_COMMANDS, ROWS_SHOWS, ROWS_EXPECTATIONS } RowsKind;

/* Each row has exactly the function its table calls. */
static void assert_table(const ScRow *table, RowsKind kind) {
  for (const ScRow *r = table; r->words != NULL; r++) {
    gboolean has[] = {r->run != NULL, r->show != NULL, r->eval != NULL};
    ck_assert_msg(has[kind], "'%s' lacks its functions", r->words);
    ck_assert_msg(has[0] + has[1] + has[2] == 1,
                  "'%s' has more than one of run, show and eval", r->words);
    ck_assert_msg(kind != ROWS_EXPECTATIONS || r->parse != NULL,
                  "'%s' lacks its parser", r->words);
    /* Rows sharing their words are told apart by the node's kind. */
    for (const ScRow *o = r + 1; o->words != NULL; o++)
      ck_assert_msg(strcmp(r->words, o->words) != 0 ||
                        ((r->kinds & o->kinds) == 0 && r->kinds && o->kinds),
                    "'%s' twice for one kind of node", r->words);
  }
}

START_TEST(test_table_invariants) {
  assert_table(ns_sc_commands, ROWS_COMMANDS);
  assert_table(ns_sc_shows, ROWS_SHOWS);
  assert_table(ns_sc_expectations, ROWS_EXPECTATIONS);
}
END_TEST

/* Every command that takes no node first starts with a word no node may
 * be named (the topology refuses it: a host named "print" could never be
 * given a command), and the words of commands that follow a node stay
 * free. */
START_TEST(test_command_words_are_not_node_names) {
  guint reserved = 0;
  g_autoptr(GHashTable) first =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (const ScRow *r = ns_sc_commands; r->words != NULL; r++)
    if (r->kinds == 0)
      g_hash_table_add(first, g_strndup(r->words, strcspn(r->words, " ")));
  for (const ScRow *r = ns_sc_commands; r->words != NULL; r++) {
    g_auto(GStrv) w = g_strsplit(r->words, " ", 2);
    if (r->kinds != 0) { /* "NODE ping"; "NODE arp flush" is also "arp" */
      ck_assert_msg(g_hash_table_contains(first, w[0]) ||
                        !ns_topology_name_reserved(w[0]),
                    "%s", w[0]);
      continue;
    }
    ck_assert_msg(ns_topology_name_reserved(w[0]), "'%s' may name a node",
                  w[0]);
    reserved++;
    if (r->alias != NULL && g_ascii_isalpha(r->alias[0])) {
      ck_assert_msg(ns_topology_name_reserved(r->alias), "'%s' may name a node",
                    r->alias);
      reserved++;
    }
  }
  ck_assert_uint_ge(reserved, 9);
  const char *free_names[] = {"h1",    "ping", "mac",   "log",
                              "count", "all",  "shows", "Show"};
  for (guint i = 0; i < G_N_ELEMENTS(free_names); i++)
    ck_assert_msg(!ns_topology_name_reserved(free_names[i]), "%s",
                  free_names[i]);
  GError *e = NULL;
  NsTopology *t = ns_topology_load_data(
      "[switch s]\n[host wait]\nip = 10.0.0.1/24\nlink = s\n", -1, "w.conf",
      &e);
  ck_assert_ptr_null(t);
  ck_assert_str_eq(e->message,
                   "w.conf: [host wait] 'wait' is a console command (expected "
                   "another name: a line such as 'wait ping h2' would run the "
                   "command, not reach the node)");
  g_error_free(e);
}
END_TEST

/* ---- README -------------------------------------------------------------- */

/* The literal words of a README code span, placeholders left out: NAME,
 * DEST:PORT, [options], "TEXT". */
static GPtrArray *span_words(const char *span) {
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) tokens = g_strsplit(span, " ", -1);
  gboolean in_option = FALSE;
  for (guint i = 0; tokens[i] != NULL; i++) {
    const char *t = tokens[i];
    gboolean option_start = t[0] == '[';
    if (option_start || in_option) {
      in_option = !g_str_has_suffix(t, "]");
      continue;
    }
    gboolean literal = g_ascii_islower(t[0]);
    for (const char *s = t; *s != '\0' && literal; s++)
      literal =
          g_ascii_islower(*s) || g_ascii_isdigit(*s) || *s == '-' || *s == '.';
    if (literal)
      g_ptr_array_add(words, g_strdup(t));
  }
  return words;
}

/* The code spans of the first cell of a table line, "\|" unescaped. */
static GPtrArray *first_cell_spans(const char *line) {
  GPtrArray *spans = g_ptr_array_new_with_free_func(g_free);
  GString *span = NULL;
  for (const char *s = line + 1; *s != '\0'; s++) {
    if (span == NULL && *s == '|' && s[-1] != '\\')
      break;
    if (*s == '`') {
      if (span != NULL)
        g_ptr_array_add(spans, g_string_free(span, FALSE));
      span = span == NULL ? g_string_new(NULL) : NULL;
    } else if (span != NULL && !(*s == '\\' && s[1] == '|')) {
      g_string_append_c(span, *s);
    }
  }
  if (span != NULL)
    g_string_free(span, TRUE);
  return spans;
}

/* What README must name, as words: "ping", "show arp", "expect counter". */
static GPtrArray *row_keys(gboolean expectations) {
  GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
  if (expectations) {
    for (const ScRow *r = ns_sc_expectations; r->words != NULL; r++)
      g_ptr_array_add(keys, g_strdup_printf("expect %s", r->words));
    return keys;
  }
  for (const ScRow *r = ns_sc_commands; r->words != NULL; r++) {
    if (r->table == ns_sc_shows)
      for (const ScRow *s = ns_sc_shows; s->words != NULL; s++)
        g_ptr_array_add(keys, g_strdup_printf("show %s", s->words));
    else if (r->help != NULL)
      g_ptr_array_add(keys, g_strdup(r->words));
  }
  return keys;
}

/* Whether the span's words start with the key's. */
static gboolean starts_with_key(GPtrArray *words, const char *key) {
  g_auto(GStrv) k = g_strsplit(key, " ", -1);
  guint n = g_strv_length(k);
  if (words->len < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (strcmp(g_ptr_array_index(words, i), k[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Checks one README table's spans against the keys; counts the keys hit. */
static void check_span(const char *span, GPtrArray *keys, guint *hits) {
  if (g_str_has_prefix(span, "…") || g_str_has_prefix(span, "..."))
    return; /* "… size N": the command of the span before it */
  GPtrArray *words = span_words(span);
  gboolean known = FALSE;
  for (guint i = 0; i < keys->len; i++)
    if (starts_with_key(words, g_ptr_array_index(keys, i))) {
      hits[i]++;
      known = TRUE;
    }
  ck_assert_msg(known, "README lists `%s`, which no row declares", span);
  g_ptr_array_unref(words);
}

/* The lines of README.md's "Console and scenarios" section. */
static char **console_section(void) {
  g_autofree char *text = NULL;
  GError *err = NULL;
  /* TOPO_DIR is the source tree's topologies/; README is beside it. */
  ck_assert_msg(
      g_file_get_contents(TOPO_DIR "/../README.md", &text, NULL, &err), "%s",
      err ? err->message : "?");
  const char *start = strstr(text, "\n## Console and scenarios\n");
  ck_assert_ptr_nonnull(start);
  const char *end = strstr(start + 1, "\n## ");
  g_autofree char *section =
      g_strndup(start, end ? (gsize)(end - start) : strlen(start));
  return g_strsplit(section, "\n", -1);
}

START_TEST(test_readme_tables) {
  g_auto(GStrv) lines = console_section();
  GPtrArray *keys[2] = {row_keys(FALSE), row_keys(TRUE)};
  guint *hits[2] = {g_new0(guint, keys[0]->len), g_new0(guint, keys[1]->len)};
  gint table = -1; /* 0 commands, 1 expectations */
  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix(lines[i], "| command |"))
      table = 0;
    else if (g_str_has_prefix(lines[i], "| expectation |"))
      table = 1;
    else if (!g_str_has_prefix(lines[i], "|"))
      continue;
    if (table < 0 || !g_str_has_prefix(lines[i], "| `"))
      continue;
    GPtrArray *spans = first_cell_spans(lines[i]);
    for (guint j = 0; j < spans->len; j++)
      check_span(g_ptr_array_index(spans, j), keys[table], hits[table]);
    g_ptr_array_unref(spans);
  }
  for (guint t = 0; t < 2; t++) {
    for (guint i = 0; i < keys[t]->len; i++)
      ck_assert_msg(hits[t][i] > 0, "README's %s table lacks `%s`",
                    t ? "expectation" : "command",
                    (char *)g_ptr_array_index(keys[t], i));
    g_ptr_array_unref(keys[t]);
    g_free(hits[t]);
  }
}
END_TEST

START_TEST(test_readme_check_can_fail) {
  /* The span reader the README test relies on. */
  g_autoptr(GPtrArray) spans = first_cell_spans(
      "| `expect SWITCH mac NODE\\|MAC port N` / `… absent` | the MAC |");
  ck_assert_uint_eq(spans->len, 2);
  ck_assert_str_eq(g_ptr_array_index(spans, 0),
                   "expect SWITCH mac NODE|MAC port N");
  g_autoptr(GPtrArray) words =
      span_words("NODE ping DEST [count N] [interval TIME] bogus");
  ck_assert_uint_eq(words->len, 2);
  ck_assert(starts_with_key(words, "ping"));
  ck_assert(!starts_with_key(words, "ping bogus x"));
  g_autoptr(GPtrArray) keys = row_keys(FALSE);
  g_autoptr(GPtrArray) unknown = span_words("NODE dance DEST");
  for (guint i = 0; i < keys->len; i++)
    ck_assert(!starts_with_key(unknown, g_ptr_array_index(keys, i)));
}
END_TEST

Suite *test_rows_suite(void) {
  Suite *s = suite_create("scenario_rows");
  TCase *tc = test_tcase("help");
  tcase_add_test(tc, test_help_text);
  tcase_add_test(tc, test_help_topics);
  suite_add_tcase(s, tc);
  tc = test_tcase("messages");
  tcase_add_loop_test(tc, test_suggestions, 0, G_N_ELEMENTS(suggestions));
  tcase_add_test(tc, test_no_far_suggestion);
  tcase_add_test(tc, test_menus_list_every_row);
  suite_add_tcase(s, tc);
  tc = test_tcase("tables");
  tcase_add_test(tc, test_table_invariants);
  tcase_add_test(tc, test_command_words_are_not_node_names);
  tcase_add_test(tc, test_readme_tables);
  tcase_add_test(tc, test_readme_check_can_fail);
  suite_add_tcase(s, tc);
  return s;
}

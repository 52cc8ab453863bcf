/* scenario.c — loading and running scenarios, and the console's one-line
 * entry point.  What a line may say is in the tables of rows (see
 * scenario_private.h); parsing is in scenario_parse.c. */
#include "cli/scenario.h"
#include "core/i18n.h"

#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "trace/textlog.h"

/* The text of the log events so far, reasons included, for `expect log`.
 * Kept only when the script uses `expect log` (or at the console), so a
 * plain run formats nothing.  Bounded: past LOG_MEMORY_MAX bytes the
 * oldest half is forgotten.  The frames for `show frame` are kept on the
 * same terms (sim/framestore.h bounds them).  Shared by the scenario and the
 * log sink (a GRcBox), because either may go first: the scenario drops the text
 * when it is freed, the log releases its reference when it is freed. */
#define LOG_MEMORY_MAX (32 * 1024 * 1024)

typedef struct {
  GString *text; /* NULL once the scenario is gone */
} LogMemory;

struct NsScenario {
  ScState st;        /* what commands act on: net, out, limit, counts */
  GPtrArray *cmds;   /* of ScCmd*, the loaded script */
  LogMemory *memory; /* a reference, or NULL while no log is kept */
};

/* ---- output and log memory ---------------------------------------------- */

static void app_output(const char *line, gpointer data) {
  NsScenario *sc = data;
  fprintf(sc->st.out, "%s\n", line);
}

static void memory_sink(const NsLogEvent *ev, gpointer data) {
  LogMemory *m = data;
  if (m->text == NULL)
    return;
  /* `expect log` matches the English reasons under every locale. */
  NsLogEvent kept = *ev;
  kept.why_local = ev->why;
  ns_textlog_format(&kept, m->text);
  if (m->text->len > LOG_MEMORY_MAX) {
    const char *cut = strchr(m->text->str + m->text->len / 2, '\n');
    if (cut != NULL)
      g_string_erase(m->text, 0, cut + 1 - m->text->str);
  }
}

static void memory_clear(gpointer data) {
  LogMemory *m = data;
  if (m->text != NULL)
    g_string_free(m->text, TRUE);
}

static void memory_release(gpointer data) {
  g_rc_box_release_full(data, memory_clear);
}

NsScenario *ns_scenario_new(NsNet *net, FILE *out) {
  g_return_val_if_fail(net != NULL && out != NULL, NULL);
  NsScenario *sc = g_new0(NsScenario, 1);
  sc->st.net = net;
  sc->st.out = out;
  sc->st.limit = NS_TIME_NEVER;
  sc->cmds = g_ptr_array_new_with_free_func((GDestroyNotify)ns_sc_cmd_free);
  ns_net_set_output(net, app_output, sc);
  return sc;
}

/* Starts keeping the log for `expect log` (once). */
static void keep_log(NsScenario *sc) {
  if (sc->memory != NULL)
    return;
  sc->memory = g_rc_box_new0(LogMemory);
  sc->memory->text = g_string_new(NULL);
  sc->st.log = sc->memory->text;
  /* unfiltered: --only and --node change what is shown, not what an
   * `expect log` finds */
  ns_log_add_sink_flags(ns_net_log(sc->st.net), memory_sink,
                        g_rc_box_acquire(sc->memory), memory_release,
                        NS_SINK_EXPLAINED | NS_SINK_UNFILTERED |
                            NS_SINK_EXPLAIN_ONLY);
}

void ns_scenario_free(NsScenario *sc) {
  if (sc == NULL)
    return;
  ns_net_set_output(sc->st.net, NULL, NULL);
  if (sc->memory != NULL) {
    g_string_free(sc->memory->text, TRUE);
    sc->memory->text = NULL; /* the sink stays on the log, now idle */
    memory_release(sc->memory);
  }
  ns_frame_store_free(sc->st.frames);
  g_ptr_array_unref(sc->cmds);
  g_free(sc);
}

/* ---- loading ------------------------------------------------------------ */

/* "FILE:LINE: " or, at the console, "line N: ". */
static void prefix_error(GError **error, const char *source, guint lineno) {
  if (source != NULL)
    g_prefix_error(error, "%s:%u: ", source, lineno);
  else if (lineno != 0) /* the console has no useful line number */
    g_prefix_error(error, _("line %u: "), lineno);
}

/* The flags of the command's rows (its own and, for show and expect, the
 * row of what follows). */
static guint row_flags(const ScCmd *c) {
  return c->row->flags | (c->what != NULL ? c->what->flags : 0);
}

/* Starts keeping the frames for `show frame` (once).  Only then: a run
 * that never asks pays nothing, not even a tap on its links. */
static void keep_frames(NsScenario *sc) {
  if (sc->st.frames == NULL)
    sc->st.frames = ns_frame_store_new(sc->st.net, NS_FRAME_STORE_JOURNEYS);
}

/* Starts keeping what command c will read. */
static void keep_for(NsScenario *sc, const ScCmd *c) {
  guint flags = row_flags(c);
  if (flags & SC_KEEPS_LOG)
    keep_log(sc);
  if (flags & SC_KEEPS_FRAMES)
    keep_frames(sc);
}

void ns_scenario_keep_log(NsScenario *sc) {
  g_return_if_fail(sc != NULL);
  keep_log(sc);
}

void ns_scenario_keep_frames(NsScenario *sc) {
  g_return_if_fail(sc != NULL);
  keep_frames(sc);
}

gboolean ns_scenario_load(NsScenario *sc, const char *text, const char *source,
                          GError **error) {
  g_return_val_if_fail(sc != NULL && text != NULL, FALSE);
  if (source == NULL)
    source = "<script>";
  if (g_str_has_prefix(text, "\xEF\xBB\xBF")) /* a UTF-8 byte order mark */
    text += 3;
  char **lines = g_strsplit(text, "\n", -1);
  GPtrArray *cmds =
      g_ptr_array_new_with_free_func((GDestroyNotify)ns_sc_cmd_free);
  gboolean ok = TRUE;
  for (guint i = 0; lines[i] != NULL && ok; i++) {
    gsize len = strlen(lines[i]);
    if (len > 0 && lines[i][len - 1] == '\r')
      lines[i][len - 1] = '\0';
    ScCmd *cmd = NULL;
    ok = ns_sc_parse_line(sc->st.net, lines[i], &cmd, error);
    if (!ok)
      prefix_error(error, source, i + 1);
    else if (cmd != NULL)
      g_ptr_array_add(cmds, cmd);
  }
  g_strfreev(lines);
  for (guint i = 0; ok && i < cmds->len; i++)
    keep_for(sc, g_ptr_array_index(cmds, i));
  if (ok)
    g_ptr_array_extend_and_steal(sc->cmds, cmds);
  else
    g_ptr_array_unref(cmds);
  return ok;
}

/* ---- running ------------------------------------------------------------ */

/* Runs one command; returns FALSE for quit/exit. */
static gboolean run_cmd(NsScenario *sc, const ScCmd *c) {
  sc->st.quit = FALSE;
  c->row->run(&sc->st, c);
  fflush(sc->st.out);
  return !sc->st.quit;
}

/* Whether the script must stop before command i (printing why). */
static gboolean must_stop(NsScenario *sc, guint i) {
  guint left = sc->cmds->len - i;
  if (ns_sched_interrupted(ns_net_sched(sc->st.net))) {
    fprintf(sc->st.out,
            ngettext("# interrupted: %u command not run\n",
                     "# interrupted: %u commands not run\n", left),
            left);
    return TRUE;
  }
  if (sc->st.limit != NS_TIME_NEVER && ns_net_now(sc->st.net) >= sc->st.limit) {
    char d[NS_TIME_STRLEN];
    fprintf(sc->st.out,
            ngettext("# time limit %s reached: %u command not run\n",
                     "# time limit %s reached: %u commands not run\n", left),
            ns_show_duration(sc->st.limit, d), left);
    return TRUE;
  }
  return FALSE;
}

void ns_scenario_run(NsScenario *sc) {
  g_return_if_fail(sc != NULL);
  for (guint i = 0; i < sc->cmds->len; i++) {
    if (must_stop(sc, i))
      break;
    if (!run_cmd(sc, g_ptr_array_index(sc->cmds, i)))
      break; /* quit: the script ends here */
  }
  /* Pings still running when the script ends (at its last line or at a
   * `quit`) finish first, as if the script ended with `wait`: their
   * output is what the user came for. */
  if (ns_net_busy(sc->st.net) &&
      !ns_sched_interrupted(ns_net_sched(sc->st.net)))
    ns_sc_run_idle(&sc->st);
  fflush(sc->st.out);
}

void ns_scenario_set_clock(NsScenario *sc, NsClock *clock) {
  g_return_if_fail(sc != NULL);
  sc->st.clock = clock;
}

void ns_scenario_set_bridges(NsScenario *sc, NsBridges *bridges) {
  g_return_if_fail(sc != NULL);
  sc->st.bridges = bridges;
}

void ns_scenario_set_limit(NsScenario *sc, NsTime limit) {
  g_return_if_fail(sc != NULL);
  sc->st.limit = limit;
}

gboolean ns_scenario_exec(NsScenario *sc, const char *line, guint lineno,
                          gboolean *quit, GError **error) {
  g_return_val_if_fail(sc != NULL && line != NULL, FALSE);
  ScCmd *cmd = NULL;
  if (quit != NULL)
    *quit = FALSE;
  if (!ns_sc_parse_line(sc->st.net, line, &cmd, error)) {
    prefix_error(error, NULL, lineno);
    return FALSE;
  }
  if (cmd != NULL) {
    keep_for(sc, cmd); /* from now on: earlier events were not kept */
    gboolean go_on = run_cmd(sc, cmd);
    if (quit != NULL)
      *quit = !go_on;
    ns_sc_cmd_free(cmd);
  }
  return TRUE;
}

guint ns_scenario_passed(const NsScenario *sc) { return sc->st.passed; }
guint ns_scenario_failed(const NsScenario *sc) { return sc->st.failed; }

void ns_scenario_finish(NsScenario *sc) {
  fprintf(sc->st.out, "%u passed, %u failed\n", sc->st.passed, sc->st.failed);
  fflush(sc->st.out);
}

/* replay_write.c — the replay page: the template (replay_page.html, made
 * into a C string by make) with the title, drawing and data in place of
 * its markers, and its labels in the user's language (see
 * replay_private.h). */
#include "cli/replay_private.h"
#include "core/i18n.h"

#include <string.h>

static const char page_template[] =
#include "cli/replay_page.inc"
    ;

/* Every text of the page a person reads, English as the template has it:
 * the page's own (@@L:text@@) and its script's ({1}, {2}... are filled in
 * by the script).  Listed here so that xgettext finds them. */
const char *const ns_replay_labels[] = {
    /* TRANSLATORS: the replay page's language, as HTML's lang names it */
    N_("en"),
    N_("netsim replay"),
    N_("step back (left arrow)"),
    N_("play / pause (space)"),
    N_("step forward (right arrow)"),
    N_("speed"),
    N_("slow"),
    N_("normal"),
    N_("fast"),
    N_("node"),
    N_("all"),
    N_("protocol"),
    N_("Topology"),
    N_("Tables of"),
    N_("the event's node"),
    N_("at this step (click a node to pick it)"),
    N_("Events"),
    N_("No event selected"),
    N_("every node"),
    N_("{1}/* events"),
    N_("{1} frames"),
    N_("(no node)"),
    N_("frame #{1}: crossed no link"),
    N_("frame #{1} on {2} -> {3} at {4} s, {5} bytes"),
    N_("(first {1} bytes shown)"),
    N_("(of {1})"),
    N_("why: {1}"),
    N_("{1} more events not recorded (a replay keeps the first {2})"),
    NULL,
};

/* The labels as a JSON object, English -> the user's language. */
static void labels_json(GString *out) {
  g_string_append_c(out, '{');
  for (guint i = 0; ns_replay_labels[i] != NULL; i++) {
    if (i > 0)
      g_string_append_c(out, ',');
    ns_replay_json(out, ns_replay_labels[i]);
    g_string_append_c(out, ':');
    ns_replay_json(out, _(ns_replay_labels[i]));
  }
  g_string_append_c(out, '}');
}

/* "@@L:text@@" at p: its text, in the user's language and escaped, to
 * out; returns the end of the marker.  A marker without its end is copied
 * as it is. */
static const char *put_label(GString *out, const char *p) {
  const char *text = p + strlen("@@L:");
  const char *end = strstr(text, "@@");
  if (end == NULL) {
    g_string_append(out, p);
    return p + strlen(p);
  }
  g_autofree char *key = g_strndup(text, (gsize)(end - text));
  ns_replay_html(out, _(key));
  return end + 2;
}

void ns_replay_page(GString *out, const char *title, const GString *svg,
                    const GString *data) {
  g_autoptr(GString) t = g_string_new(NULL);
  g_autoptr(GString) labels = g_string_new(NULL);
  ns_replay_html(t, title);
  labels_json(labels);
  const struct {
    const char *marker;
    const char *text;
  } parts[] = {
      {"@@TITLE@@", t->str},   {"@@SVG@@", svg->str},
      {"@@DATA@@", data->str}, {"@@LABELS@@", labels->str},
      {"@@L:", NULL},
  };
  const char *p = page_template;
  for (;;) {
    const char *next = NULL;
    guint which = 0;
    for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
      const char *m = strstr(p, parts[i].marker);
      if (m != NULL && (next == NULL || m < next)) {
        next = m;
        which = i;
      }
    }
    if (next == NULL)
      break;
    g_string_append_len(out, p, next - p);
    if (parts[which].text == NULL) {
      p = put_label(out, next);
      continue;
    }
    g_string_append(out, parts[which].text);
    p = next + strlen(parts[which].marker);
  }
  g_string_append(out, p);
}

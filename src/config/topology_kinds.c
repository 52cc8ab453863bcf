/* topology_kinds.c — the table of section kinds and the one loop that
 * reads a section through its kind's key rows (topology_private.h tells
 * the steps and their order).
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <string.h>

#include "core/text.h"

/* One row per NsNodeKind, in enum order: messages list the kinds in this
 * order ("expected host, switch or router"). */
static const TopoKind *const kinds[] = {
    [NS_NODE_HOST] = &ns_topo_host_kind,
    [NS_NODE_SWITCH] = &ns_topo_switch_kind,
    [NS_NODE_ROUTER] = &ns_topo_router_kind,
    [NS_NODE_BRIDGE] = &ns_topo_bridge_kind,
    [NS_NODE_VXLAN] = &ns_topo_vxlan_kind,
};
_Static_assert(G_N_ELEMENTS(kinds) == NS_NODE_N_KINDS,
               "one section kind per NsNodeKind");

const TopoKind *ns_topo_kind(NsNodeKind k) {
  g_return_val_if_fail((guint)k < G_N_ELEMENTS(kinds), NULL);
  return kinds[k];
}

const TopoKind *ns_topo_kind_named(const char *name) {
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (strcmp(kinds[i]->name, name) == 0)
      return kinds[i];
  return NULL;
}

const char *ns_node_kind_name(NsNodeKind k) {
  return (guint)k < G_N_ELEMENTS(kinds) ? kinds[k]->name : "?";
}

const char *ns_node_kind_word(NsNodeKind k) { return _(ns_node_kind_name(k)); }

char *ns_topo_kinds_text(TopoKindWords words, const char *last_sep) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
    if (i > 0)
      g_string_append(s, i + 1 < G_N_ELEMENTS(kinds) ? ", " : last_sep);
    if (words == TOPO_KIND_PLURALS)
      g_string_append(s, kinds[i]->plural);
    else if (words == TOPO_KIND_SECTIONS)
      g_string_append_printf(s, "[%s]", kinds[i]->name);
    else
      g_string_append(s, kinds[i]->name);
  }
  return g_string_free(s, FALSE);
}

/* ---- rows ---------------------------------------------------------------- */

/* The row of kind that takes key: by name first, then a pattern row. */
static const TopoKey *find_row(const TopoKind *kind, const char *key) {
  for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
    for (const TopoKey *row = *tab; row->name != NULL; row++)
      if (row->matches == NULL && strcmp(row->name, key) == 0)
        return row;
  for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
    for (const TopoKey *row = *tab; row->name != NULL; row++)
      if (row->matches != NULL && row->matches(key))
        return row;
  return NULL;
}

/* "unknown key (did you mean 'gateway'? expected ip, gateway, ... or
 * interface keys such as eth0 = ADDR/LEN @ PEER)" */
static gboolean fail_unknown_key(Loader *ld, guint idx, const char *key) {
  const TopoKind *kind = ns_topo_kind(node_at(ld, idx)->kind);
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  const char *pattern = NULL;
  for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
    for (const TopoKey *row = *tab; row->name != NULL; row++) {
      if (row->matches == NULL)
        g_ptr_array_add(names, (gpointer)row->name);
      else
        pattern = row->example;
    }
  g_ptr_array_add(names, NULL);
  const char *const *list = (const char *const *)names->pdata;
  g_autofree char *joined = g_strjoinv(", ", (char **)names->pdata);
  g_autofree char *exp =
      pattern
          ? g_strdup_printf("%s or interface keys such as %s", joined, pattern)
          : g_strdup(joined);
  const char *hint = ns_text_closest(key, list);
  g_autofree char *dym =
      hint ? g_strdup_printf(_("did you mean '%s'? "), hint) : g_strdup("");
  return ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
                      _("unknown key (%sexpected %s)"), dym, exp);
}

gint ns_topo_key_pos(const Loader *ld, guint idx, const char *key) {
  if (ld->key_index_of == idx + 1)
    return ns_topo_indexed_pos(ld, idx, key);
  char **keys = state_at(ld, idx)->keys;
  for (gint k = 0; keys != NULL && keys[k] != NULL; k++)
    if (strcmp(keys[k], key) == 0)
      return k;
  return -1;
}

const char *ns_topo_first_iface_key(const Loader *ld, guint idx) {
  const TopoKind *kind = ns_topo_kind(node_at(ld, idx)->kind);
  char **keys = state_at(ld, idx)->keys;
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
    const TopoKey *row = find_row(kind, keys[k]);
    if (row != NULL && row->matches != NULL)
      return keys[k];
  }
  return NULL;
}

/* Where a number row's value lives. */
static gpointer row_field(const Loader *ld, guint idx, const TopoKey *row) {
  NsTopoNode *n = node_at(ld, idx);
  return G_STRUCT_MEMBER_P(row->base != NULL ? row->base(n) : n, row->field);
}

gboolean ns_topo_load_uint(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  return ns_topo_key_uint(ld, idx, key, (guint)row->min, (guint)row->max,
                          row_field(ld, idx, row));
}

gboolean ns_topo_load_time(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  return ns_topo_key_time(ld, idx, key, (NsTime)row->max,
                          row_field(ld, idx, row));
}

gboolean ns_topo_load_bool(Loader *ld, guint idx, const char *key,
                           const TopoKey *row) {
  static const char *const words[] = {"false", "true"};
  g_autofree char *v = ns_topo_get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(words); i++)
    if (g_ascii_strcasecmp(v, words[i]) == 0) {
      gboolean on = i == 1;
      memcpy(row_field(ld, idx, row), &on, sizeof on);
      return TRUE;
    }
  return ns_topo_fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
                      _("'%s' is not true or false (expected %s = true or "
                        "false: %s)"),
                      v, key, row->doc);
}

/* ---- one section --------------------------------------------------------- */

/* Steps 1 and 2: every key has a row; the rows that are not late load. */
static gboolean load_in_file_order(Loader *ld, guint idx, const TopoKind *kind,
                                   char **keys) {
  for (guint k = 0; keys[k] != NULL; k++) {
    const TopoKey *row = find_row(kind, keys[k]);
    if (row == NULL)
      return fail_unknown_key(ld, idx, keys[k]);
    if (!row->late && row->load != NULL && !row->load(ld, idx, keys[k], row))
      return FALSE;
  }
  return TRUE;
}

/* Step 4: the late rows the section has, in table order. */
static gboolean load_late(Loader *ld, guint idx, const TopoKind *kind) {
  for (const TopoKey *const *tab = kind->keys; *tab != NULL; tab++)
    for (const TopoKey *row = *tab; row->name != NULL; row++)
      if (row->late && ns_topo_key_pos(ld, idx, row->name) >= 0 &&
          !row->load(ld, idx, row->name, row))
        return FALSE;
  return TRUE;
}

/* Sections with more keys than this are indexed while they load. */
#define INDEX_KEYS 16

/* A key given twice: the format kept the last silently; a second one is
 * almost always a mistake.  Pairs for a short section; a long one (a
 * router with hundreds of interfaces) is indexed instead, which finds a
 * repeat on the way. */
static const char *first_repeat(Loader *ld, guint idx, char **keys, guint n) {
  if (n <= INDEX_KEYS) {
    for (guint k = 1; k < n; k++)
      for (guint j = 0; j < k; j++)
        if (strcmp(keys[j], keys[k]) == 0)
          return keys[k];
    return NULL;
  }
  if (ld->key_index == NULL)
    ld->key_index = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_remove_all(ld->key_index);
  for (guint k = 0; k < n; k++)
    if (!g_hash_table_insert(ld->key_index, keys[k], GUINT_TO_POINTER(k + 1)))
      return keys[k];
  ld->key_index_of = idx + 1;
  return NULL;
}

gint ns_topo_indexed_pos(const Loader *ld, guint idx, const char *key) {
  g_assert(ld->key_index_of == idx + 1);
  return (gint)GPOINTER_TO_UINT(g_hash_table_lookup(ld->key_index, key)) - 1;
}

gboolean ns_topo_load_node(Loader *ld, guint idx) {
  const TopoSection *sec = section_at(ld, idx);
  if (sec->n == 0)
    return TRUE;
  GPtrArray *keys = ld->scratch;
  g_ptr_array_set_size(keys, 0);
  for (guint k = 0; k < sec->n; k++)
    g_ptr_array_add(keys, line_at(ld, sec->first + k)->key);
  g_ptr_array_add(keys, NULL);
  const char *again = first_repeat(ld, idx, (char **)keys->pdata, sec->n);
  if (again != NULL)
    return ns_topo_fail(ld, NS_ERROR_INVALID, section_of(ld, idx), again,
                        _("given twice (expected each key once in a section)"));
  const TopoKind *kind = ns_topo_kind(node_at(ld, idx)->kind);
  NodeState *st = state_at(ld, idx);
  st->keys = (char **)keys->pdata;
  gboolean ok = load_in_file_order(ld, idx, kind, st->keys) &&
                (kind->validate == NULL || kind->validate(ld, idx)) &&
                load_late(ld, idx, kind);
  st->keys = NULL;
  ld->key_index_of = 0;
  return ok;
}

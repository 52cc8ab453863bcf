/* topology_find.c — a topology argument as a path or an installed name
 * (the rule is in topology_find.h). */
#include "config/topology_find.h"
#include "core/i18n.h"

#include <string.h>

#define TOPOLOGY_SUFFIX ".conf"
/* What a name may leave off: tried after the name as given. */
static const char *const name_suffixes[] = {"", TOPOLOGY_SUFFIX};

const char *ns_topology_dir(const char *installed) {
  const char *env = g_getenv("NETSIM_TOPOLOGY_DIR");
  return env != NULL && env[0] != '\0' ? env : installed;
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ns_topology_names(const char *dir) {
  g_return_val_if_fail(dir != NULL, NULL);
  GPtrArray *names = g_ptr_array_new();
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *entry;
  while (d != NULL && (entry = g_dir_read_name(d)) != NULL) {
    size_t len = strlen(entry);
    if (len > strlen(TOPOLOGY_SUFFIX) &&
        g_str_has_suffix(entry, TOPOLOGY_SUFFIX))
      g_ptr_array_add(names, g_strndup(entry, len - strlen(TOPOLOGY_SUFFIX)));
  }
  g_ptr_array_sort(names, compare_names);
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(names, FALSE);
}

/* The error for a name found nowhere: what was asked, where it was looked
 * for, and what is there instead. */
static void set_not_found(const char *arg, const char *dir, GError **error) {
  g_auto(GStrv) names = ns_topology_names(dir);
  g_autofree char *list = g_strjoinv(", ", names);
  if (names[0] != NULL)
    g_set_error(error, NS_ERROR, NS_ERROR_IO,
                _("%s: no such file, and no topology of that name in %s "
                  "(available: %s)"),
                arg, dir, list);
  else
    g_set_error(error, NS_ERROR, NS_ERROR_IO,
                _("%s: no such file, and no topologies in %s (give a path, or "
                  "set NETSIM_TOPOLOGY_DIR)"),
                arg, dir);
}

char *ns_topology_locate(const char *arg, const char *dir, GError **error) {
  g_return_val_if_fail(arg != NULL && dir != NULL, NULL);
  if (strchr(arg, '/') != NULL || g_file_test(arg, G_FILE_TEST_EXISTS))
    return g_strdup(arg);
  for (guint i = 0; i < G_N_ELEMENTS(name_suffixes); i++) {
    if (i > 0 && g_str_has_suffix(arg, name_suffixes[i]))
      continue;
    g_autofree char *file = g_strconcat(arg, name_suffixes[i], NULL);
    char *path = g_build_filename(dir, file, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free(path);
  }
  set_not_found(arg, dir, error);
  return NULL;
}

NsTopology *ns_topology_load_named(const char *arg, const char *installed_dir,
                                   GError **error) {
  g_autofree char *path =
      ns_topology_locate(arg, ns_topology_dir(installed_dir), error);
  return path != NULL ? ns_topology_load_file(path, error) : NULL;
}

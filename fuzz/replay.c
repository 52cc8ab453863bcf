/* replay.c — main() for a fuzz target built without libFuzzer: every file
 * named on the command line (a folder: each file in it, in name order)
 * goes through LLVMFuzzerTestOneInput() once.  make check runs it over the
 * target's corpus (tests/fuzz_replay.sh); a crash, a sanitizer report or a
 * leaked frame fails the run. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

/* Runs the target on one file; FALSE when it cannot be read. */
static gboolean replay_file(const char *path) {
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &data, &len, &error)) {
    fprintf(stderr, "replay: %s\n", error->message);
    return FALSE;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  return TRUE;
}

static int compare_names(const void *a, const void *b) {
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Every file in dir, in name order; *n counts them. */
static gboolean replay_dir(const char *dir, guint *n) {
  g_autoptr(GError) error = NULL;
  GDir *d = g_dir_open(dir, 0, &error);
  if (d == NULL) {
    fprintf(stderr, "replay: %s\n", error->message);
    return FALSE;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    g_ptr_array_add(names, g_build_filename(dir, name, NULL));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++, (*n)++)
    if (!replay_file(g_ptr_array_index(names, i)))
      return FALSE;
  return TRUE;
}

int main(int argc, char **argv) {
  guint n = 0;
  for (int i = 1; i < argc; i++) {
    gboolean ok = g_file_test(argv[i], G_FILE_TEST_IS_DIR)
                      ? replay_dir(argv[i], &n)
                      : (n++, replay_file(argv[i]));
    if (!ok)
      return 2;
  }
  printf("replayed %u inputs\n", n);
  return 0;
}

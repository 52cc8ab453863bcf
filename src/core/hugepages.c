/* hugepages.c — see hugepages.h. */
#include "core/hugepages.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENV_FLAG "NETSIM_HUGEPAGES"
#define TUNABLE "glibc.malloc.hugetlb"

static gboolean big_file_named(char **argv) {
  for (guint i = 1; argv[i] != NULL; i++) {
    struct stat st;
    if (argv[i][0] == '-' || stat(argv[i], &st) != 0)
      continue;
    if (S_ISREG(st.st_mode) && st.st_size >= (off_t)NS_HUGEPAGES_MIN_BYTES)
      return TRUE;
  }
  return FALSE;
}

gboolean ns_hugepages_wanted(char **argv, gboolean force) {
#ifdef __GLIBC__
  if (argv == NULL || argv[0] == NULL || g_getenv(ENV_FLAG) != NULL)
    return FALSE;
  /* Under valgrind /proc/self/exe is valgrind's own tool. */
  const char *preload = g_getenv("LD_PRELOAD");
  if (preload != NULL && strstr(preload, "vgpreload") != NULL)
    return FALSE;
  const char *tunables = g_getenv("GLIBC_TUNABLES");
  if (tunables != NULL && strstr(tunables, TUNABLE) != NULL)
    return FALSE;
  return force || big_file_named(argv);
#else
  (void)argv;
  (void)force;
  return FALSE;
#endif
}

void ns_hugepages_restart(char **argv) {
#ifdef __GLIBC__
  const char *old = g_getenv("GLIBC_TUNABLES");
  g_autofree char *tunables = old != NULL && *old != '\0'
                                  ? g_strconcat(old, ":" TUNABLE "=1", NULL)
                                  : g_strdup(TUNABLE "=1");
  if (!g_setenv(ENV_FLAG, "1", TRUE) ||
      !g_setenv("GLIBC_TUNABLES", tunables, TRUE))
    return;
  execv("/proc/self/exe", argv);
  /* Still here: go on as before, without the tunable (the flag stays, so
   * nothing tries again). */
  if (old != NULL)
    g_setenv("GLIBC_TUNABLES", old, TRUE);
  else
    g_unsetenv("GLIBC_TUNABLES");
#else
  (void)argv;
#endif
}

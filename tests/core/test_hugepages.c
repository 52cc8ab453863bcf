/* test_hugepages.c — when a process restarts on huge pages
 * (core/hugepages.h): a big file argument, the environment's say. */
#include "core/hugepages.h"
#include "testutil.h"

#include <glib/gstdio.h>
#include <unistd.h>

/* A sparse file of size bytes in a fresh folder; returns its path. */
static char *file_of(const char *dir, const char *name, off_t size) {
  char *path = g_build_filename(dir, name, NULL);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(ftruncate(fileno(f), size), 0);
  fclose(f);
  return path;
}

START_TEST(hugepages_for_a_big_file_only) {
  g_unsetenv("NETSIM_HUGEPAGES");
  g_unsetenv("GLIBC_TUNABLES");
  g_autofree char *dir = g_dir_make_tmp("hugepages-XXXXXX", NULL);
  g_autofree char *big = file_of(dir, "big.conf", NS_HUGEPAGES_MIN_BYTES);
  g_autofree char *small =
      file_of(dir, "small.conf", NS_HUGEPAGES_MIN_BYTES - 1);
  char *with_big[] = {"netsim", "-q", big, NULL};
  char *with_small[] = {"netsim", small, NULL};
  char *options_only[] = {"netsim", "--check", NULL};
  char *a_folder[] = {"netsim", dir, NULL};
#ifdef __GLIBC__
  ck_assert(ns_hugepages_wanted(with_big, FALSE));
  ck_assert(ns_hugepages_wanted(with_small, TRUE)); /* forced */
#endif
  ck_assert(!ns_hugepages_wanted(with_small, FALSE));
  ck_assert(!ns_hugepages_wanted(options_only, FALSE));
  ck_assert(!ns_hugepages_wanted(a_folder, FALSE));

  /* The environment decides first: never, already done, or the user's own
   * hugetlb tunable; another tunable does not stop it. */
  g_setenv("NETSIM_HUGEPAGES", "0", TRUE);
  ck_assert(!ns_hugepages_wanted(with_big, TRUE));
  g_setenv("NETSIM_HUGEPAGES", "1", TRUE);
  ck_assert(!ns_hugepages_wanted(with_big, TRUE));
  g_unsetenv("NETSIM_HUGEPAGES");
  g_setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", TRUE);
  ck_assert(!ns_hugepages_wanted(with_big, TRUE));
  g_setenv("GLIBC_TUNABLES", "glibc.malloc.check=0", TRUE);
#ifdef __GLIBC__
  ck_assert(ns_hugepages_wanted(with_big, FALSE));
#endif
  g_unsetenv("GLIBC_TUNABLES");
  g_setenv("LD_PRELOAD", "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so",
           TRUE);
  ck_assert(!ns_hugepages_wanted(with_big, TRUE));
  g_unsetenv("LD_PRELOAD");

  g_unlink(big);
  g_unlink(small);
  g_rmdir(dir);
}
END_TEST

Suite *test_hugepages_suite(void) {
  Suite *s = suite_create("hugepages");
  TCase *tc = tcase_create("wanted");
  tcase_add_test(tc, hugepages_for_a_big_file_only);
  suite_add_tcase(s, tc);
  return s;
}

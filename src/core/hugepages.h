/* hugepages.h — big networks on huge pages.
 *
 * A network of a million hosts is some ten million small allocations, and
 * on 4 KiB pages half of loading it was the kernel faulting pages in, one
 * at a time.  glibc (2.35 on) can back its heap with transparent huge
 * pages, but only from a tunable read when the process starts
 * (GLIBC_TUNABLES=glibc.malloc.hugetlb=1).  So for a big input the
 * program starts itself again, once, with that tunable added, before it
 * reads anything: the same arguments, the same environment otherwise.
 *
 * NETSIM_HUGEPAGES in the environment: unset, automatic (a file argument of
 * NS_HUGEPAGES_MIN_BYTES or more); "0", never; "1", already done (the
 * restarted process has it, so it never restarts twice).  A tunable the
 * user already set for hugetlb is left alone, and so is a process under
 * valgrind (whose /proc/self/exe is valgrind's).  Where glibc or
 * /proc/self/exe is missing, or exec fails, the run simply goes on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* From this input size (a topology of about 30,000 hosts) huge pages pay
 * for the restart (a millisecond or two). */
#define NS_HUGEPAGES_MIN_BYTES (2u * 1024 * 1024)

/* Whether a process given argv (its original arguments) should restart on
 * huge pages: some argument names a regular file of NS_HUGEPAGES_MIN_BYTES
 * or more, NETSIM_HUGEPAGES is unset and GLIBC_TUNABLES does not set
 * glibc.malloc.hugetlb.  force: as if a file were that big (a program that
 * generates its network, such as bench). */
gboolean ns_hugepages_wanted(char **argv, gboolean force);

/* Restarts the process (argv: its original arguments, argv[0] included) on
 * huge pages.  Returns only if that failed (or this is not glibc); the
 * caller goes on as it was. */
void ns_hugepages_restart(char **argv);

G_END_DECLS

/* topology_find.h — a topology named on the command line, found.
 *
 * `netsim TOPOLOGY` takes a path or a name.  The rule, in order:
 *
 *   1. TOPOLOGY holds a '/', or names something that exists: it is a path
 *      and is loaded as given (a missing path is the loader's usual
 *      "cannot read" error, naming it).
 *   2. Otherwise it is a name, looked up in the topology folder DIR:
 *      DIR/TOPOLOGY, then DIR/TOPOLOGY.conf when TOPOLOGY does not already
 *      end in ".conf".  So `netsim two_lans` and `netsim two_lans.conf`
 *      both run the installed two_lans.conf from any directory, and a file
 *      of that name in the current directory wins over the installed one.
 *   3. Otherwise the error names TOPOLOGY and DIR and lists the names DIR
 *      holds (every *.conf, without the suffix, sorted), or says DIR holds
 *      none.
 *
 * DIR is the caller's installed folder (main.c passes NETSIM_TOPOLOGY_DIR
 * from config.h, $(pkgdatadir)/topologies), unless the environment
 * variable NETSIM_TOPOLOGY_DIR is set and not empty: then that folder
 * (for running an uninstalled build, or a DESTDIR install, by name).
 *
 * Nothing here is cached: each call reads the file system afresh.
 */
#pragma once

#include "config/topology.h"

G_BEGIN_DECLS

/* The topology folder: $NETSIM_TOPOLOGY_DIR when set and not empty, else
 * installed.  Borrowed; valid until the environment changes. */
const char *ns_topology_dir(const char *installed);

/* The names of the topologies in dir (each *.conf without ".conf"),
 * sorted, NULL-terminated; empty when dir cannot be read.  Free with
 * g_strfreev. */
char **ns_topology_names(const char *dir);

/* The path arg stands for, by the rule above, with dir as DIR (the
 * environment is not consulted); NULL and an NS_ERROR when arg is neither
 * a path nor a name in dir.  Free with g_free. */
char *ns_topology_locate(const char *arg, const char *dir, GError **error);

/* Locates arg (DIR is ns_topology_dir(installed_dir)) and loads it. */
NsTopology *ns_topology_load_named(const char *arg, const char *installed_dir,
                                   GError **error);

G_END_DECLS

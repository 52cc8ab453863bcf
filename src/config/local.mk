# config/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/config/libconfig.a
src_config_libconfig_a_SOURCES = \
	src/config/topology.c \
	src/config/topology_bridge.c \
	src/config/topology_bridge_rule.c \
	src/config/topology.h \
	src/config/topology_find.c \
	src/config/topology_find.h \
	src/config/topology_host.c \
	src/config/topology_kinds.c \
	src/config/topology_links.c \
	src/config/topology_private.h \
	src/config/topology_router.c \
	src/config/topology_stack.c \
	src/config/topology_summary.c \
	src/config/topology_switch.c \
	src/config/topology_text.c \
	src/config/topology_values.c \
	src/config/topology_vxlan.c

# The built-in topology (ns_topology_builtin) is topologies/two_lans.conf
# made into a C string at build time, in the build tree: each line quoted,
# with \ " and ? escaped (no trigraphs, no early end of the string).
nodist_src_config_libconfig_a_SOURCES = src/config/topology_builtin.c
CLEANFILES += src/config/topology_builtin.c
src/config/topology_builtin.c: $(top_srcdir)/topologies/two_lans.conf \
		$(top_srcdir)/src/config/local.mk
	$(AM_V_GEN)mkdir -p src/config && \
	{ echo '/* topology_builtin.c: made by make from topologies/two_lans.conf; do not edit. */'; \
	  echo '#include "config/topology.h"'; \
	  echo ''; \
	  echo 'const char ns_topology_builtin[] ='; \
	  sed -e 's/[\\"?]/\\&/g' -e 's/^/    "/' -e 's/$$/\\n"/' \
	    '$(top_srcdir)/topologies/two_lans.conf'; \
	  echo '    ;'; } >$@-t && mv $@-t $@

# config/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/config/libconfig.a
src_config_libconfig_a_SOURCES = \
	src/config/topology.c \
	src/config/topology.h \
	src/config/topology_host.c \
	src/config/topology_kinds.c \
	src/config/topology_links.c \
	src/config/topology_private.h \
	src/config/topology_router.c \
	src/config/topology_stack.c \
	src/config/topology_summary.c \
	src/config/topology_switch.c \
	src/config/topology_values.c

# tests/config/: suites of src/config/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/config/test_topology.c \
	tests/config/test_topology_bridge.c \
	tests/config/test_topology_find.c \
	tests/config/test_topology_kinds.c \
	tests/config/test_topology_vxlan.c

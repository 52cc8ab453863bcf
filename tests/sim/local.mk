# tests/sim/: suites of src/sim/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/sim/test_clock.c \
	tests/sim/test_csum_trust.c \
	tests/sim/test_framestore.c \
	tests/sim/test_netem_soak.c \
	tests/sim/test_network.c \
	tests/sim/test_tcp_throughput.c \
	tests/sim/test_tcp_window.c

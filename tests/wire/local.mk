# tests/wire/: suites of src/wire/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/wire/wire_harness.c \
	tests/wire/wire_harness.h \
	tests/wire/test_checksum.c \
	tests/wire/test_ethernet_arp.c \
	tests/wire/test_ipv4.c \
	tests/wire/test_layers.c \
	tests/wire/test_icmp.c \
	tests/wire/test_igmp.c \
	tests/wire/test_udp.c \
	tests/wire/test_vxlan.c \
	tests/wire/test_tcp.c \
	tests/wire/test_pretty.c

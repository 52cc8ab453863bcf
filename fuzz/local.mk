# fuzz/ — fuzz targets (see fuzz/fuzz.h).  make check builds each with
# fuzz/replay.c as main and replays its corpus (tests/fuzz_replay.sh);
# scripts/fuzz.sh builds them with clang's libFuzzer and runs them.
FUZZ_TARGETS = topology script wire inject bridge
FUZZ_COMMON = fuzz/replay.c fuzz/common.c fuzz/fuzz.h
FUZZ_LDADD = $(NETSIM_LIBS) $(GLIB_LIBS) $(PCAP_LIBS) $(LIBEDIT_LIBS) $(LIBINTL) -lm
check_PROGRAMS += fuzz/replay-topology fuzz/replay-script fuzz/replay-wire \
	fuzz/replay-inject fuzz/replay-bridge
fuzz_replay_topology_SOURCES = fuzz/topology.c $(FUZZ_COMMON)
fuzz_replay_topology_LDADD = $(FUZZ_LDADD)
fuzz_replay_script_SOURCES = fuzz/script.c $(FUZZ_COMMON)
fuzz_replay_script_LDADD = $(FUZZ_LDADD)
fuzz_replay_wire_SOURCES = fuzz/wire.c $(FUZZ_COMMON)
fuzz_replay_wire_LDADD = $(FUZZ_LDADD)
fuzz_replay_inject_SOURCES = fuzz/inject.c $(FUZZ_COMMON)
fuzz_replay_inject_LDADD = $(FUZZ_LDADD)
fuzz_replay_bridge_SOURCES = fuzz/bridge.c $(FUZZ_COMMON)
fuzz_replay_bridge_LDADD = $(FUZZ_LDADD)
TESTS += tests/fuzz_replay.sh

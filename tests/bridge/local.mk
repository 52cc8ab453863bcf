# tests/bridge/: suites of src/bridge/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/bridge/test_bridge.c

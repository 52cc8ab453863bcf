# tests/core/: suites of src/core/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/core/test_core.c \
	tests/core/test_counters.c

# tests/core/: suites of src/core/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/core/test_addr.c \
	tests/core/test_counters.c \
	tests/core/test_frame.c \
	tests/core/test_hugepages.c \
	tests/core/test_i18n.c \
	tests/core/test_log.c \
	tests/core/test_logfilter.c \
	tests/core/test_ring.c \
	tests/core/test_slab.c \
	tests/core/test_text.c \
	tests/core/test_timerq.c \
	tests/core/test_units.c

# tests/cli/: suites of src/cli/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/cli/scenario_fixture.c \
	tests/cli/scenario_fixture.h \
	tests/cli/test_complete.c \
	tests/cli/test_replay.c \
	tests/cli/test_report.c \
	tests/cli/test_rows.c \
	tests/cli/test_scenario.c \
	tests/cli/test_show.c \
	tests/cli/test_show_bridges.c

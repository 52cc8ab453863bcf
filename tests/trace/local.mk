# tests/trace/: suites of src/trace/ (see tests/suites.h in Makefile.am).

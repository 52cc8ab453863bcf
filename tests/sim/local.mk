# tests/sim/: suites of src/sim/ (see tests/suites.h in Makefile.am).

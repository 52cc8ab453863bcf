/* fuzz.h — what every fuzz target shares.
 *
 * A target is one file defining LLVMFuzzerTestOneInput(), libFuzzer's
 * entry point.  The same file builds two ways:
 *  - with clang -fsanitize=fuzzer (scripts/fuzz.sh TARGET [MINUTES]): a
 *    fuzzer that grows fuzz/corpus/TARGET and writes what crashes, hangs or
 *    leaks into fuzz/crashes/;
 *  - with the project's compiler and fuzz/replay.c as main (make check):
 *    every file of fuzz/corpus/TARGET goes through the same entry point
 *    once, under ASan/UBSan in CI, so what a fuzzer once found stays found.
 *
 * A target must be deterministic (the seed fixed), bounded (virtual time
 * capped, loops bounded) and clean: it frees all it made and checks that
 * no frame is left alive (ns_fuzz_no_frame_leak()), so that a leak is a
 * crash the fuzzer reports.
 */
#pragma once

#include "config/topology.h"
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a crash to the fuzzer) when frames made since `before` (a
 * ns_frame_live_count()) are still alive. */
void ns_fuzz_no_frame_leak(gint64 before);

/* The two-LAN network the run targets build (topologies/two_lans.conf,
 * with echo, tcp-reply and http services on h3), as text, and loaded once
 * (aborts if it does not load). */
extern const char ns_fuzz_two_lans[];
const NsTopology *ns_fuzz_two_lans_topology(void);

/* A FILE that swallows output (opened once). */
FILE *ns_fuzz_devnull(void);

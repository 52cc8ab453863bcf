/* testutil.h — shared helpers for the check suites. */
#pragma once

#include <check.h>
#include <glib.h>

#include "core/frame.h"

/* Every suite's fixtures call these so that a leaked frame fails the test
 * that leaked it. */
extern gint64 test_frames_at_setup;
void test_frames_setup(void);
void test_frames_teardown(void);

/* A TCase with the frame-leak fixture already attached. */
TCase *test_tcase(const char *name);

/* Every module's suite, run by tests/unit_main.c. */
Suite *test_core_suite(void);
Suite *test_checksum_suite(void);
Suite *test_ethernet_arp_suite(void);
Suite *test_ipv4_suite(void);
Suite *test_icmp_suite(void);
Suite *test_udp_suite(void);
Suite *test_tcp_suite(void);
Suite *test_pretty_suite(void);
Suite *test_link_suite(void);
Suite *test_fdb_suite(void);
Suite *test_switch_suite(void);
Suite *test_arp_cache_suite(void);
Suite *test_route_suite(void);
Suite *test_ipnode_arp_suite(void);
Suite *test_ipnode_route_suite(void);
Suite *test_ipnode_forward_suite(void);
Suite *test_ipnode_robust_suite(void);
Suite *test_ping_suite(void);
Suite *test_tcp_conn_suite(void);
Suite *test_udp_socket_suite(void);
Suite *test_services_suite(void);
Suite *test_tcp_segments_suite(void);
Suite *test_topology_suite(void);
Suite *test_scenario_suite(void);

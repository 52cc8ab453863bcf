/* unit_main.c — the one runner for every check suite. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

int main(void) {
  SRunner *sr = srunner_create(test_core_suite());
  srunner_add_suite(sr, test_checksum_suite());
  srunner_add_suite(sr, test_ethernet_arp_suite());
  srunner_add_suite(sr, test_ipv4_suite());
  srunner_add_suite(sr, test_icmp_suite());
  srunner_add_suite(sr, test_udp_suite());
  srunner_add_suite(sr, test_tcp_suite());
  srunner_add_suite(sr, test_pretty_suite());
  srunner_add_suite(sr, test_link_suite());
  srunner_add_suite(sr, test_fdb_suite());
  srunner_add_suite(sr, test_switch_suite());
  srunner_add_suite(sr, test_arp_cache_suite());
  srunner_add_suite(sr, test_route_suite());
  srunner_add_suite(sr, test_ipnode_arp_suite());
  srunner_add_suite(sr, test_ipnode_route_suite());
  srunner_add_suite(sr, test_ipnode_forward_suite());
  srunner_add_suite(sr, test_ipnode_robust_suite());
  srunner_add_suite(sr, test_ping_suite());
  srunner_add_suite(sr, test_tcp_conn_suite());
  srunner_add_suite(sr, test_udp_socket_suite());
  srunner_add_suite(sr, test_services_suite());
  srunner_add_suite(sr, test_tcp_segments_suite());
  srunner_add_suite(sr, test_topology_suite());
  srunner_add_suite(sr, test_scenario_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  int run = srunner_ntests_run(sr);
  srunner_free(sr);
  /* The closing line CI and people read. */
  printf("unit: %d passed, %d failed\n", run - failed, failed);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

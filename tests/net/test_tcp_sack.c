/* test_tcp_sack.c — the SACK scoreboard and RFC 6675's functions on it
 * (src/net/tcp_sack.c): insert, merge, overlap, bounds and hostile
 * blocks, trimming and reneging, holes, IsLost, the lost edge, pipe,
 * NextSeg, and the receiver's choice of blocks (RFC 2018 4).  Connections
 * with SACK are in test_tcp_conn.c. */
#include <string.h>

#include "net/tcp_private.h"
#include "testutil.h"

#define ADD(b, l, r) ns_tcp_sack_board_add(b, l, r, una, max)

static void assert_board(const NsTcpSackBoard *b, guint n,
                         const guint32 *edges) {
  ck_assert_uint_eq(b->n, n);
  for (guint i = 0; i < n; i++) {
    ck_assert_uint_eq(b->r[i].left, edges[2 * i]);
    ck_assert_uint_eq(b->r[i].right, edges[2 * i + 1]);
  }
}

START_TEST(test_insert_merge) {
  NsTcpSackBoard b;
  guint32 una = 0, max = 1000;
  ns_tcp_sack_board_clear(&b);
  ck_assert_uint_eq(ADD(&b, 300, 400), 100);
  ck_assert_uint_eq(ADD(&b, 100, 200), 100);
  ck_assert_uint_eq(ADD(&b, 500, 600), 100);
  assert_board(&b, 3, (guint32[]){100, 200, 300, 400, 500, 600});
  /* Again: nothing new. */
  ck_assert_uint_eq(ADD(&b, 300, 400), 0);
  ck_assert_uint_eq(ADD(&b, 320, 380), 0);
  /* Touching merges. */
  ck_assert_uint_eq(ADD(&b, 200, 250), 50);
  assert_board(&b, 3, (guint32[]){100, 250, 300, 400, 500, 600});
  /* Overlapping two at once, the gaps between them new. */
  ck_assert_uint_eq(ADD(&b, 150, 550), 50 + 100);
  assert_board(&b, 1, (guint32[]){100, 600});
  /* Spanning everything. */
  ck_assert_uint_eq(ADD(&b, 50, 700), 50 + 100);
  assert_board(&b, 1, (guint32[]){50, 700});
  ck_assert_uint_eq(ns_tcp_sack_board_bytes(&b, 0, 1000), 650);
  ck_assert_uint_eq(ns_tcp_sack_board_bytes(&b, 100, 200), 100);
}
END_TEST

/* A peer may send anything: only una < left < right <= max is believed. */
START_TEST(test_hostile_blocks) {
  NsTcpSackBoard b;
  guint32 una = 1000, max = 5000;
  ns_tcp_sack_board_clear(&b);
  ck_assert_uint_eq(ADD(&b, 1000, 2000), 0); /* at the ACK: D-SACK or lie */
  ck_assert_uint_eq(ADD(&b, 500, 2000), 0);  /* below it */
  ck_assert_uint_eq(ADD(&b, 3000, 3000), 0); /* empty */
  ck_assert_uint_eq(ADD(&b, 3000, 2000), 0); /* backwards */
  ck_assert_uint_eq(ADD(&b, 3000, 5001), 0); /* beyond what was sent */
  ck_assert_uint_eq(ADD(&b, 0x80000000u, 0x80000100u), 0); /* far away */
  ck_assert_uint_eq(ADD(&b, 4000, 100), 0); /* wraps the whole space */
  ck_assert_uint_eq(b.n, 0);
  ck_assert_uint_eq(ADD(&b, 4999, 5000), 1);
  ck_assert_uint_eq(b.n, 1);
}
END_TEST

/* Sequence numbers wrap: ranges across 2^32 sort and merge right. */
START_TEST(test_wrap) {
  NsTcpSackBoard b;
  guint32 una = 0xffffff00u, max = 0x200;
  ns_tcp_sack_board_clear(&b);
  ck_assert_uint_eq(ADD(&b, 0x100, 0x180), 0x80);
  ck_assert_uint_eq(ADD(&b, 0xffffff80u, 0x10), 0x90);
  assert_board(&b, 2, (guint32[]){0xffffff80u, 0x10, 0x100, 0x180});
  ck_assert_uint_eq(ADD(&b, 0x10, 0x100), 0xf0);
  assert_board(&b, 1, (guint32[]){0xffffff80u, 0x180});
  guint32 s, e;
  ck_assert(ns_tcp_sack_board_hole(&b, una, max, &s, &e));
  ck_assert_uint_eq(s, una);
  ck_assert_uint_eq(e, 0xffffff80u);
}
END_TEST

/* At most NS_TCP_SACK_RANGES ranges: the highest gives way. */
START_TEST(test_bounded) {
  NsTcpSackBoard b;
  guint32 una = 0, max = 100000;
  ns_tcp_sack_board_clear(&b);
  for (guint i = 0; i < NS_TCP_SACK_RANGES; i++)
    ck_assert_uint_eq(ADD(&b, 1000 + i * 100, 1050 + i * 100), 50);
  ck_assert_uint_eq(b.n, NS_TCP_SACK_RANGES);
  guint32 top = b.r[b.n - 1].left;
  /* One more above all: not kept. */
  ck_assert_uint_eq(ADD(&b, 90000, 90010), 0);
  ck_assert_uint_eq(b.n, NS_TCP_SACK_RANGES);
  /* One below: kept, the highest forgotten. */
  ck_assert_uint_eq(ADD(&b, 10, 20), 10);
  ck_assert_uint_eq(b.n, NS_TCP_SACK_RANGES);
  ck_assert_uint_eq(b.r[0].left, 10);
  ck_assert_uint_lt(b.r[b.n - 1].left, top);
  /* Merging needs no room. */
  ck_assert_uint_eq(ADD(&b, 1050, 1100), 50);
  ck_assert_uint_eq(b.n, NS_TCP_SACK_RANGES - 1);
}
END_TEST

START_TEST(test_trim_and_renege) {
  NsTcpSackBoard b;
  guint32 una = 0, max = 1000;
  ns_tcp_sack_board_clear(&b);
  ADD(&b, 100, 200);
  ADD(&b, 300, 400);
  ck_assert(!ns_tcp_sack_board_trim(&b, 50));
  ck_assert_uint_eq(b.n, 2);
  ck_assert(!ns_tcp_sack_board_trim(&b, 200)); /* the ACK covered it */
  assert_board(&b, 1, (guint32[]){300, 400});
  ck_assert(!ns_tcp_sack_board_trim(&b, 250));
  /* An ACK reaching a SACKed range without covering it: reneged. */
  ck_assert(ns_tcp_sack_board_trim(&b, 300));
  ck_assert_uint_eq(b.n, 0);
  ADD(&b, 500, 600);
  ck_assert(ns_tcp_sack_board_trim(&b, 550));
  ck_assert_uint_eq(b.n, 0);
}
END_TEST

START_TEST(test_holes) {
  NsTcpSackBoard b;
  guint32 una = 50, max = 1000, s, e;
  ns_tcp_sack_board_clear(&b);
  ADD(&b, 100, 200);
  ADD(&b, 300, 400);
  ck_assert(ns_tcp_sack_board_hole(&b, 50, 1000, &s, &e));
  ck_assert_uint_eq(s, 50);
  ck_assert_uint_eq(e, 100);
  ck_assert(ns_tcp_sack_board_hole(&b, 100, 1000, &s, &e));
  ck_assert_uint_eq(s, 200);
  ck_assert_uint_eq(e, 300);
  ck_assert(ns_tcp_sack_board_hole(&b, 250, 280, &s, &e));
  ck_assert_uint_eq(s, 250);
  ck_assert_uint_eq(e, 280);
  ck_assert(ns_tcp_sack_board_hole(&b, 350, 1000, &s, &e));
  ck_assert_uint_eq(s, 400);
  ck_assert_uint_eq(e, 1000);
  ck_assert(!ns_tcp_sack_board_hole(&b, 350, 400, &s, &e));
  ck_assert(!ns_tcp_sack_board_hole(&b, 120, 200, &s, &e));
}
END_TEST

START_TEST(test_is_lost) {
  NsTcpSackBoard b;
  guint32 una = 0, max = 10000, mss = 100;
  ns_tcp_sack_board_clear(&b);
  ck_assert(!ns_tcp_sack_is_lost(&b, 0, mss));
  ADD(&b, 100, 200);
  ADD(&b, 300, 400);
  /* Two ranges, 200 bytes: not more than 2 MSS. */
  ck_assert(!ns_tcp_sack_is_lost(&b, 0, mss));
  ADD(&b, 500, 501); /* a third range */
  ck_assert(ns_tcp_sack_is_lost(&b, 0, mss));
  ck_assert(ns_tcp_sack_is_lost(&b, 99, mss));
  ck_assert(!ns_tcp_sack_is_lost(&b, 200, mss));
  /* Bytes alone: 201 > 2 MSS in one range. */
  ns_tcp_sack_board_clear(&b);
  ADD(&b, 1000, 1201);
  ck_assert(ns_tcp_sack_is_lost(&b, 500, mss));
  ck_assert(!ns_tcp_sack_is_lost(&b, 1000, mss)); /* 200 above it */
  ns_tcp_sack_board_clear(&b);
  ADD(&b, 1000, 1200);
  ck_assert(!ns_tcp_sack_is_lost(&b, 500, mss));
}
END_TEST

/* The lost edge agrees with IsLost on every unSACKed byte of random
 * boards. */
START_TEST(test_lost_edge_matches_is_lost) {
  GRand *r = g_rand_new_with_seed(6675);
  guint32 mss = 100;
  for (guint round = 0; round < 300; round++) {
    NsTcpSackBoard b;
    guint32 una = g_rand_int(r), max = una + 3000;
    ns_tcp_sack_board_clear(&b);
    guint n = g_rand_int_range(r, 0, 8);
    for (guint i = 0; i < n; i++) {
      guint32 l = una + 1 + (guint32)g_rand_int_range(r, 0, 2900);
      ADD(&b, l, l + (guint32)g_rand_int_range(r, 1, 150));
    }
    guint32 edge = ns_tcp_sack_lost_edge(&b, una, una, mss);
    for (guint32 x = una; x != max; x++) {
      if (ns_tcp_sack_board_bytes(&b, x, x + 1) > 0)
        continue;
      ck_assert_msg(ns_tcp_sack_is_lost(&b, x, mss) == ns_tcp_seq_lt(x, edge),
                    "round %u byte +%u edge +%u", round, x - una, edge - una);
    }
  }
  g_rand_free(r);
}
END_TEST

/* A connection in the middle of recovery: 10 segments of 100 bytes out,
 * the 2nd, 4th and 6th SACKed. */
static void recovering(NsTcpConn *c) {
  memset(c, 0, sizeof *c);
  c->snd_mss = 100;
  c->snd_una = 1000;
  c->snd_max = 2000;
  c->sack_ok = TRUE;
  c->in_recovery = TRUE;
  c->recover = 2000;
  c->rtx_next = 1000;
  c->lost_floor = 1001;
  guint32 una = 1000, max = 2000;
  ADD(&c->board, 1100, 1200);
  ADD(&c->board, 1300, 1400);
  ADD(&c->board, 1500, 1600);
}

START_TEST(test_pipe_and_next_seg) {
  NsTcpConn c;
  recovering(&c);
  guint32 s, e;
  /* Three ranges above 1000-1099 only: it alone is lost. */
  ck_assert(ns_tcp_sack_is_lost(&c.board, 1000, 100));
  ck_assert(!ns_tcp_sack_is_lost(&c.board, 1200, 100));
  /* Unsacked and not lost: 1200-1299, 1400-1499, 1600-1999. */
  ck_assert_uint_eq(ns_tcp_sack_pipe(&c), 600);
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, TRUE, &s, &e), NS_TCP_NEXT_LOST);
  ck_assert_uint_eq(s, 1000);
  ck_assert_uint_eq(e, 1100);
  c.rtx_next = 1100; /* resent: in flight again */
  ck_assert_uint_eq(ns_tcp_sack_pipe(&c), 700);
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, TRUE, &s, &e), NS_TCP_NEXT_NEW);
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, FALSE, &s, &e), NS_TCP_NEXT_HOLE);
  ck_assert_uint_eq(s, 1200);
  ck_assert_uint_eq(e, 1300);
  c.rtx_next = 1500;
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, FALSE, &s, &e), NS_TCP_NEXT_NONE);
  /* More SACKs: 1200-1299 becomes lost (3 ranges above it). */
  guint32 una = 1000, max = 2000;
  c.rtx_next = 1100;
  ADD(&c.board, 1700, 1800);
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, TRUE, &s, &e), NS_TCP_NEXT_LOST);
  ck_assert_uint_eq(s, 1200);
  /* Never a SACKed byte: the hole is cut at the next range. */
  ck_assert_uint_eq(e, 1300);
}
END_TEST

/* After a timeout every unSACKed byte below recover is lost: the holes
 * go in order, the tail too, and pipe counts only what was resent. */
START_TEST(test_after_timeout) {
  NsTcpConn c;
  recovering(&c);
  c.sack_rto = TRUE;
  c.lost_floor = 2000;
  guint32 s, e;
  ck_assert_uint_eq(ns_tcp_sack_pipe(&c), 0);
  static const guint32 holes[][2] = {
      {1000, 1100}, {1200, 1300}, {1400, 1500}, {1600, 2000}};
  for (guint i = 0; i < G_N_ELEMENTS(holes); i++) {
    ck_assert_int_eq(ns_tcp_sack_next_seg(&c, TRUE, &s, &e), NS_TCP_NEXT_LOST);
    ck_assert_uint_eq(s, holes[i][0]);
    ck_assert_uint_eq(e, holes[i][1]);
    c.rtx_next = e;
  }
  ck_assert_uint_eq(ns_tcp_sack_pipe(&c), 700);
  ck_assert_int_eq(ns_tcp_sack_next_seg(&c, TRUE, &s, &e), NS_TCP_NEXT_NEW);
}
END_TEST

static void push_ooo(NsTcpConn *c, guint32 seq, guint32 len) {
  NsTcpOoo *o = g_malloc0(sizeof *o + len);
  o->seq = seq;
  o->len = len;
  g_queue_push_tail(&c->ooo, o);
}

/* RFC 2018 4: the block of the latest arrival first, then those of the
 * arrivals before it, then the others (lowest first), as room allows. */
START_TEST(test_receiver_blocks) {
  NsTcpConn c;
  memset(&c, 0, sizeof c);
  c.sack_ok = TRUE;
  g_queue_init(&c.ooo);
  push_ooo(&c, 2000, 100);
  push_ooo(&c, 2100, 100); /* touches: one block 2000-2200 */
  push_ooo(&c, 2500, 100);
  push_ooo(&c, 3000, 100);
  push_ooo(&c, 4000, 100);
  push_ooo(&c, 5000, 100);
  ns_tcp_sack_note(&c, 2500);
  ns_tcp_sack_note(&c, 4000);
  ns_tcp_sack_note(&c, 2100);
  NsTcpHdr h = {0};
  h.flags = NS_TCP_ACK;
  ns_tcp_sack_fill(&c, &h);
  ck_assert_uint_eq(h.nsack, 4);
  static const guint32 want[] = {2000, 2200, 4000, 4100,
                                 2500, 2600, 3000, 3100};
  for (guint i = 0; i < 4; i++) {
    ck_assert_uint_eq(h.sack[i].left, want[2 * i]);
    ck_assert_uint_eq(h.sack[i].right, want[2 * i + 1]);
  }
  ck_assert_uint_eq(ns_tcp_sack_opt_len(&c), 4 + 4 * 8);
  /* Beside a timestamp, three. */
  NsTcpHdr t = {0};
  t.flags = NS_TCP_ACK;
  t.has_ts = TRUE;
  ns_tcp_sack_fill(&c, &t);
  ck_assert_uint_eq(t.nsack, 3);
  ck_assert_uint_eq(t.sack[2].left, 2500);
  /* Without SACK, or on a SYN or a reset: none. */
  NsTcpHdr syn = {0};
  syn.flags = NS_TCP_SYN | NS_TCP_ACK;
  ns_tcp_sack_fill(&c, &syn);
  ck_assert_uint_eq(syn.nsack, 0);
  NsTcpHdr rst = {0};
  rst.flags = NS_TCP_RST | NS_TCP_ACK;
  ns_tcp_sack_fill(&c, &rst);
  ck_assert_uint_eq(rst.nsack, 0);
  c.sack_ok = FALSE;
  NsTcpHdr off = {0};
  off.flags = NS_TCP_ACK;
  ns_tcp_sack_fill(&c, &off);
  ck_assert_uint_eq(off.nsack, 0);
  ck_assert_uint_eq(ns_tcp_sack_opt_len(&c), 0);
  g_queue_clear_full(&c.ooo, g_free);
}
END_TEST

Suite *test_tcp_sack_suite(void) {
  Suite *s = suite_create("tcp_sack");
  TCase *tc = test_tcase("tcp_sack");
  tcase_add_test(tc, test_insert_merge);
  tcase_add_test(tc, test_hostile_blocks);
  tcase_add_test(tc, test_wrap);
  tcase_add_test(tc, test_bounded);
  tcase_add_test(tc, test_trim_and_renege);
  tcase_add_test(tc, test_holes);
  tcase_add_test(tc, test_is_lost);
  tcase_add_test(tc, test_lost_edge_matches_is_lost);
  tcase_add_test(tc, test_pipe_and_next_seg);
  tcase_add_test(tc, test_after_timeout);
  tcase_add_test(tc, test_receiver_blocks);
  suite_add_tcase(s, tc);
  return s;
}

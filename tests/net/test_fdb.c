/* test_fdb.c — the MAC table: learning, moves, exact aging, eviction, and a
 * randomized comparison against a GHashTable model. */
#include "net/fdb.h"
#include "testutil.h"

#define A 300 /* aging in these tests, in ns to keep numbers small */

static NsMac mac(guint32 n) { return ns_mac_local(n); }

START_TEST(test_learn_lookup) {
  NsFdb *fdb = ns_fdb_new(16, A);
  guint port = 0;
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 0, &port), NS_FDB_MISS);
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(1), 3, 0, NULL, NULL, NULL),
                   NS_FDB_NEW);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 1, &port), NS_FDB_HIT);
  ck_assert_uint_eq(port, 3);
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(1), 3, 5, NULL, NULL, NULL),
                   NS_FDB_REFRESHED);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(2), 5, &port), NS_FDB_MISS);
  ck_assert_uint_eq(ns_fdb_count(fdb, 5), 1);
  ck_assert_uint_eq(ns_fdb_capacity(fdb), 16);
  ck_assert_uint_eq(ns_fdb_aging(fdb), A);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_group_not_learned) {
  NsFdb *fdb = ns_fdb_new(16, A);
  NsMac mcast = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
  ck_assert_int_eq(ns_fdb_learn(fdb, ns_mac_broadcast, 1, 0, NULL, NULL, NULL),
                   NS_FDB_IGNORED);
  ck_assert_int_eq(ns_fdb_learn(fdb, mcast, 1, 0, NULL, NULL, NULL),
                   NS_FDB_IGNORED);
  ck_assert_uint_eq(ns_fdb_count(fdb, 0), 0);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_move) {
  NsFdb *fdb = ns_fdb_new(16, A);
  guint old = 0, port = 0;
  ns_fdb_learn(fdb, mac(1), 1, 0, NULL, NULL, NULL);
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(1), 2, 10, &old, NULL, NULL),
                   NS_FDB_MOVED);
  ck_assert_uint_eq(old, 1);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 10, &port), NS_FDB_HIT);
  ck_assert_uint_eq(port, 2);
  ck_assert_uint_eq(ns_fdb_count(fdb, 10), 1);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_aging_boundary) {
  NsFdb *fdb = ns_fdb_new(16, A);
  guint port = 0;
  NsTime t = 1000;
  ns_fdb_learn(fdb, mac(1), 4, t, NULL, NULL, NULL);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), t + A - 1, &port), NS_FDB_HIT);
  ck_assert_uint_eq(ns_fdb_count(fdb, t + A - 1), 1);
  ck_assert_uint_eq(ns_fdb_count(fdb, t + A), 0);
  GArray *listed = ns_fdb_entries(fdb, t + A);
  ck_assert_uint_eq(listed->len, 0);
  g_array_unref(listed);
  /* Looking did not remove it: the switch's next lookup still meets the
   * aged entry (and can say so in the log). */
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), t + A, &port), NS_FDB_EXPIRED);
  ns_fdb_free(fdb);

  fdb = ns_fdb_new(16, A);
  ns_fdb_learn(fdb, mac(1), 4, t, NULL, NULL, NULL);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), t + A, &port), NS_FDB_EXPIRED);
  /* The expired lookup removed it. */
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), t + A, &port), NS_FDB_MISS);
  /* Seen again: new, whatever port, no "moved". */
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(1), 5, t + A, NULL, NULL, NULL),
                   NS_FDB_NEW);
  ns_fdb_free(fdb);

  /* Learning an aged-out entry that is still stored is NEW too. */
  fdb = ns_fdb_new(16, A);
  ns_fdb_learn(fdb, mac(1), 4, t, NULL, NULL, NULL);
  guint old = 99;
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(1), 5, t + A, &old, NULL, NULL),
                   NS_FDB_NEW);
  ck_assert_uint_eq(old, 99);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_refresh_extends) {
  NsFdb *fdb = ns_fdb_new(16, A);
  guint port = 0;
  ns_fdb_learn(fdb, mac(1), 1, 0, NULL, NULL, NULL);
  ns_fdb_learn(fdb, mac(1), 1, 200, NULL, NULL, NULL);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 400, &port), NS_FDB_HIT);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 499, &port), NS_FDB_HIT);
  /* Lookups do not refresh. */
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 500, &port), NS_FDB_EXPIRED);
  ns_fdb_free(fdb);
}
END_TEST

/* mac(i) for i = 0, step, 2 step ... < n: each found, on port 1 + i % ports. */
static void all_found_on_ports(NsFdb *fdb, guint n, guint step, guint ports,
                               NsTime now) {
  guint port;
  for (guint i = 0; i < n; i += step) {
    ck_assert_int_eq(ns_fdb_lookup(fdb, mac(i), now, &port), NS_FDB_HIT);
    ck_assert_uint_eq(port, 1 + i % ports);
  }
}

/* Learning fresh into a full table evicts the oldest entry, mac(0). */
static void learn_evicts_mac0(NsFdb *fdb, NsMac fresh, NsTime now) {
  NsMac ev;
  gboolean did;
  ns_fdb_learn(fdb, fresh, 1, now, NULL, &ev, &did);
  ck_assert(did);
  ck_assert(ns_mac_equal(ev, mac(0)));
}

/* The next expiry is the least recently seen entry's; expire_one hands
 * aged entries out oldest first, one at a time, and counts them. */
START_TEST(test_next_expiry_and_expire_one) {
  NsFdb *fdb = ns_fdb_new(8, 10 * NS_SEC);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), NS_TIME_NEVER);
  ns_fdb_learn(fdb, ns_mac_local(1), 1, 1 * NS_SEC, NULL, NULL, NULL);
  ns_fdb_learn(fdb, ns_mac_local(2), 2, 2 * NS_SEC, NULL, NULL, NULL);
  ns_fdb_learn(fdb, ns_mac_local(3), 3, 3 * NS_SEC, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), 11 * NS_SEC);
  /* Refreshing the oldest moves the instant to the next one. */
  ns_fdb_learn(fdb, ns_mac_local(1), 1, 4 * NS_SEC, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), 12 * NS_SEC);
  NsFdbEntry e;
  ck_assert(!ns_fdb_expire_one(fdb, 12 * NS_SEC - 1, &e));
  ck_assert(ns_fdb_expire_one(fdb, 13 * NS_SEC, &e));
  ck_assert(ns_mac_equal(e.mac, ns_mac_local(2)));
  ck_assert_uint_eq(e.port, 2);
  ck_assert_uint_eq(e.seen, 2 * NS_SEC);
  ck_assert(ns_fdb_expire_one(fdb, 13 * NS_SEC, &e));
  ck_assert(ns_mac_equal(e.mac, ns_mac_local(3)));
  ck_assert(!ns_fdb_expire_one(fdb, 13 * NS_SEC, &e));
  ck_assert_uint_eq(ns_fdb_aged_count(fdb), 2);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), 14 * NS_SEC);
  ns_fdb_flush(fdb);
  ck_assert_uint_eq(ns_fdb_aged_count(fdb), 0);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), NS_TIME_NEVER);
  ns_fdb_free(fdb);
  /* Entries that never age have no expiry. */
  fdb = ns_fdb_new(8, NS_TIME_NEVER);
  ns_fdb_learn(fdb, ns_mac_local(1), 1, 0, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_fdb_next_expiry(fdb), NS_TIME_NEVER);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_eviction_lru) {
  NsFdb *fdb = ns_fdb_new(4, 1000);
  NsMac ev;
  gboolean did = TRUE;
  for (guint i = 1; i <= 4; i++) {
    ns_fdb_learn(fdb, mac(i), i, i * 10, NULL, &ev, &did);
    ck_assert(!did);
  }
  /* Refresh 1: now 2 is the least recently seen. */
  ns_fdb_learn(fdb, mac(1), 1, 50, NULL, NULL, NULL);
  ck_assert_int_eq(ns_fdb_learn(fdb, mac(5), 5, 60, NULL, &ev, &did),
                   NS_FDB_NEW);
  ck_assert(did);
  ck_assert(ns_mac_equal(ev, mac(2)));
  guint port;
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(2), 60, &port), NS_FDB_MISS);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 60, &port), NS_FDB_HIT);
  ck_assert_uint_eq(ns_fdb_count(fdb, 60), 4);
  /* A move counts as seen too: 3 moves, so 4 goes next. */
  ns_fdb_learn(fdb, mac(3), 7, 70, NULL, NULL, NULL);
  ns_fdb_learn(fdb, mac(6), 6, 80, NULL, &ev, &did);
  ck_assert(did);
  ck_assert(ns_mac_equal(ev, mac(4)));
  /* Full again (1 at 50, 5 at 60, 3 at 70, 6 at 80), but entries that aged
   * out go first, with no eviction: at 1055 only 1 has (1055 - 50 >= 1000). */
  ns_fdb_learn(fdb, mac(7), 7, 1055, NULL, &ev, &did);
  ck_assert(!did);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(1), 1055, &port), NS_FDB_MISS);
  ck_assert_int_eq(ns_fdb_lookup(fdb, mac(5), 1055, &port), NS_FDB_HIT);
  ck_assert_uint_eq(ns_fdb_count(fdb, 1055), 4);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_entries_sorted) {
  NsFdb *fdb = ns_fdb_new(64, A);
  guint ports[] = {3, 1, 2, 1, 3, 2, 1};
  guint macs[] = {9, 5, 7, 2, 1, 8, 30};
  for (guint i = 0; i < G_N_ELEMENTS(ports); i++)
    ns_fdb_learn(fdb, mac(macs[i]), ports[i], i, NULL, NULL, NULL);
  /* mac 9 (seen 0) is aged at A, the others not yet. */
  GArray *e = ns_fdb_entries(fdb, A);
  ck_assert_uint_eq(e->len, 6);
  guint want_port[] = {1, 1, 1, 2, 2, 3};
  guint want_mac[] = {2, 5, 30, 7, 8, 1};
  for (guint i = 0; i < e->len; i++) {
    NsFdbEntry *x = &g_array_index(e, NsFdbEntry, i);
    ck_assert_uint_eq(x->port, want_port[i]);
    ck_assert(ns_mac_equal(x->mac, mac(want_mac[i])));
  }
  ck_assert_uint_eq(g_array_index(e, NsFdbEntry, 5).seen, 4);
  g_array_unref(e);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_flush) {
  NsFdb *fdb = ns_fdb_new(64, A);
  for (guint i = 0; i < 30; i++)
    ns_fdb_learn(fdb, mac(i), 1 + i % 3, 0, NULL, NULL, NULL);
  ns_fdb_flush_port(fdb, 2);
  ck_assert_uint_eq(ns_fdb_count(fdb, 0), 20);
  guint port;
  for (guint i = 0; i < 30; i++)
    ck_assert_int_eq(ns_fdb_lookup(fdb, mac(i), 0, &port),
                     i % 3 == 1 ? NS_FDB_MISS : NS_FDB_HIT);
  ck_assert(ns_fdb_remove(fdb, mac(0)));
  ck_assert(!ns_fdb_remove(fdb, mac(0)));
  ck_assert_uint_eq(ns_fdb_count(fdb, 0), 19);
  ns_fdb_flush(fdb);
  ck_assert_uint_eq(ns_fdb_count(fdb, 0), 0);
  /* Usable after a flush, to full capacity. */
  for (guint i = 0; i < 64; i++) {
    gboolean did;
    ns_fdb_learn(fdb, mac(100 + i), 1, 1, NULL, NULL, &did);
    ck_assert(!did);
  }
  ck_assert_uint_eq(ns_fdb_count(fdb, 1), 64);
  ns_fdb_free(fdb);
}
END_TEST

START_TEST(test_defaults_and_large) {
  NsFdb *fdb = ns_fdb_new(0, 0);
  ck_assert_uint_eq(ns_fdb_capacity(fdb), NS_FDB_DEFAULT_CAPACITY);
  ck_assert_uint_eq(ns_fdb_aging(fdb), NS_FDB_DEFAULT_AGING);
  ns_fdb_free(fdb);

  fdb = ns_fdb_new(1000000, NS_FDB_DEFAULT_AGING);
  for (guint i = 0; i < 1000000; i++)
    ns_fdb_learn(fdb, mac(i), 1 + i % 48, 0, NULL, NULL, NULL);
  ck_assert_uint_eq(ns_fdb_count(fdb, 1), 1000000);
  all_found_on_ports(fdb, 1000000, 997, 48, 1);
  learn_evicts_mac0(fdb, mac(2000000), 2);
  ns_fdb_free(fdb);
}
END_TEST

/* A bijection of 32 bits (MurmurHash3's finalizer): distinct heads for
 * distinct i that look random to the table's multiplicative hash. */
static guint32 scramble(guint32 x) {
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  return x ^ (x >> 16);
}

/* MAC i of test_hash_collisions_kept_apart: 32 scrambled bits in bytes
 * 0-4 (byte 0's group bit moved to byte 4), distinct for distinct i. */
static NsMac scrambled_mac(guint32 i) {
  guint32 h = scramble(i);
  return (NsMac){{(h >> 24) & 0xFE, (h >> 16) & 0xFF, (h >> 8) & 0xFF, h & 0xFF,
                  (h >> 24) & 1, 0x01}};
}

/* Of 2^18 such MACs, six pairs share the table's 32-bit hash (about
 * 2^36 / 2^33 were expected; each pair differs in both the first four
 * bytes and the last two, as the hash is one-to-one when either part is
 * the same).  The MAC compare behind the hash must keep each one an entry
 * of its own, found on its own port: a table trusting the hash alone
 * fails here. */
START_TEST(test_hash_collisions_kept_apart) {
  const guint32 n = 1u << 18;
  NsFdb *fdb = ns_fdb_new(n, NS_FDB_DEFAULT_AGING);
  for (guint32 i = 0; i < n; i++)
    ck_assert_int_eq(
        ns_fdb_learn(fdb, scrambled_mac(i), 1 + i % 4093, 0, NULL, NULL, NULL),
        NS_FDB_NEW);
  ck_assert_uint_eq(ns_fdb_count(fdb, 1), n);
  guint port;
  for (guint32 i = 0; i < n; i++) {
    ck_assert_int_eq(ns_fdb_lookup(fdb, scrambled_mac(i), 1, &port),
                     NS_FDB_HIT);
    ck_assert_uint_eq(port, 1 + i % 4093);
  }
  ns_fdb_free(fdb);
}
END_TEST

/* The table grows as it learns (8 entries at first, doubling): every MAC
 * learned across the growth steps is still found, on its port, oldest
 * first for eviction; a flush keeps the room and learning starts over. */
START_TEST(test_growth) {
  NsFdb *fdb = ns_fdb_new(100, A);
  for (guint round = 0; round < 2; round++) {
    for (guint i = 0; i < 100; i++)
      ck_assert_int_eq(
          ns_fdb_learn(fdb, mac(i), 1 + i % 7, i, NULL, NULL, NULL),
          NS_FDB_NEW);
    all_found_on_ports(fdb, 100, 1, 7, 100);
    ck_assert_uint_eq(ns_fdb_count(fdb, 100), 100);
    learn_evicts_mac0(fdb, mac(500), 101);
    ns_fdb_flush(fdb);
    ck_assert_uint_eq(ns_fdb_count(fdb, 101), 0);
  }
  ns_fdb_free(fdb);
}
END_TEST

/* ---- randomized model check ---------------------------------------------- */

typedef struct {
  guint port;
  NsTime seen;
  guint64 order; /* learn/refresh order: the LRU tie-break */
} Model;

static guint mac_key(NsMac m) {
  return ((guint)m.b[3] << 16) | ((guint)m.b[4] << 8) | m.b[5];
}

static gboolean model_aged(gpointer key, gpointer value, gpointer user) {
  (void)key;
  const Model *m = value;
  NsTime now = *(NsTime *)user;
  return now - m->seen >= A;
}

static void model_purge(GHashTable *model, NsTime now) {
  g_hash_table_foreach_remove(model, model_aged, &now);
}

/* Runs n random operations over a pool of macs MACs with the given
 * capacity, comparing every answer with the model. */
static void random_run(guint32 seed, guint capacity, guint macs, guint n) {
  GRand *rng = g_rand_new_with_seed(seed);
  NsFdb *fdb = ns_fdb_new(capacity, A);
  GHashTable *model = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  NsTime now = 0;
  guint64 order = 0;
  for (guint step = 0; step < n; step++) {
    now += g_rand_int_range(rng, 0, 4);
    guint k = g_rand_int_range(rng, 0, macs);
    NsMac m = mac(k);
    gpointer key = GUINT_TO_POINTER(k + 1);
    Model *e = g_hash_table_lookup(model, key);
    guint op = g_rand_int_range(rng, 0, 100);
    if (op < 50) {
      guint port = g_rand_int_range(rng, 1, 5);
      guint old = 0;
      NsMac ev;
      gboolean did;
      NsFdbLearn r = ns_fdb_learn(fdb, m, port, now, &old, &ev, &did);
      NsFdbLearn want;
      gboolean want_evict = FALSE;
      if (e != NULL) {
        want = now - e->seen >= A ? NS_FDB_NEW
               : e->port != port  ? NS_FDB_MOVED
                                  : NS_FDB_REFRESHED;
        if (want == NS_FDB_MOVED)
          ck_assert_uint_eq(old, e->port);
      } else {
        want = NS_FDB_NEW;
        if (g_hash_table_size(model) == capacity) {
          model_purge(model, now);
          if (g_hash_table_size(model) == capacity) {
            GHashTableIter it;
            gpointer ik, iv, oldest_key = NULL;
            guint64 oldest = G_MAXUINT64;
            g_hash_table_iter_init(&it, model);
            while (g_hash_table_iter_next(&it, &ik, &iv))
              if (((Model *)iv)->order < oldest) {
                oldest = ((Model *)iv)->order;
                oldest_key = ik;
              }
            want_evict = TRUE;
            ck_assert(did);
            ck_assert_uint_eq(mac_key(ev) + 1, GPOINTER_TO_UINT(oldest_key));
            g_hash_table_remove(model, oldest_key);
          }
        }
        e = g_new(Model, 1);
        g_hash_table_insert(model, key, e);
      }
      ck_assert_int_eq(r, want);
      ck_assert_int_eq(did, want_evict);
      e->port = port;
      e->seen = now;
      e->order = order++;
    } else if (op < 85) {
      guint port = 0;
      NsFdbResult r = ns_fdb_lookup(fdb, m, now, &port);
      if (e == NULL)
        ck_assert_int_eq(r, NS_FDB_MISS);
      else if (now - e->seen >= A) {
        ck_assert_int_eq(r, NS_FDB_EXPIRED);
        g_hash_table_remove(model, key);
      } else {
        ck_assert_int_eq(r, NS_FDB_HIT);
        ck_assert_uint_eq(port, e->port);
      }
    } else if (op < 97) {
      ck_assert_int_eq(ns_fdb_remove(fdb, m), e != NULL);
      g_hash_table_remove(model, key);
    } else {
      /* Counting only looks: aged entries stay until a lookup or a learn
       * meets them, so the model keeps them too. */
      guint valid = 0;
      GHashTableIter it;
      gpointer ik, iv;
      g_hash_table_iter_init(&it, model);
      while (g_hash_table_iter_next(&it, &ik, &iv))
        valid += now - ((Model *)iv)->seen < A;
      ck_assert_uint_eq(ns_fdb_count(fdb, now), valid);
    }
  }
  /* Final full comparison. */
  GArray *all = ns_fdb_entries(fdb, now);
  model_purge(model, now);
  ck_assert_uint_eq(all->len, g_hash_table_size(model));
  for (guint i = 0; i < all->len; i++) {
    NsFdbEntry *x = &g_array_index(all, NsFdbEntry, i);
    Model *e =
        g_hash_table_lookup(model, GUINT_TO_POINTER(mac_key(x->mac) + 1));
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(x->port, e->port);
    ck_assert_uint_eq(x->seen, e->seen);
  }
  g_array_unref(all);
  g_hash_table_destroy(model);
  ns_fdb_free(fdb);
  g_rand_free(rng);
}

START_TEST(test_random_vs_model) {
  random_run(1, 64, 200, 200000);   /* mostly full: evictions */
  random_run(2, 1024, 600, 200000); /* never full: deletes and aging */
  random_run(3, 1, 4, 20000);       /* degenerate capacity */
}
END_TEST

Suite *test_fdb_suite(void) {
  Suite *s = suite_create("fdb");
  TCase *tc = test_tcase("basics");
  tcase_add_test(tc, test_learn_lookup);
  tcase_add_test(tc, test_group_not_learned);
  tcase_add_test(tc, test_move);
  tcase_add_test(tc, test_aging_boundary);
  tcase_add_test(tc, test_next_expiry_and_expire_one);
  tcase_add_test(tc, test_refresh_extends);
  suite_add_tcase(s, tc);

  tc = test_tcase("bounds");
  tcase_add_test(tc, test_eviction_lru);
  tcase_add_test(tc, test_entries_sorted);
  tcase_add_test(tc, test_flush);
  tcase_add_test(tc, test_defaults_and_large);
  tcase_add_test(tc, test_growth);
  tcase_add_test(tc, test_hash_collisions_kept_apart);
  suite_add_tcase(s, tc);

  tc = test_tcase("random");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_random_vs_model);
  suite_add_tcase(s, tc);
  return s;
}

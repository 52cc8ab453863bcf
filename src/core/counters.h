/* counters.h — named guint64 counters, declared once.
 *
 * A device's counters are a struct of guint64 members (NsIpCounters,
 * NsNicCounters, ...).  Users reach them by name: `show stats` prints
 * every one with its meaning and `expect NODE counter NAME` compares one.
 * So that a new counter cannot exist without a name, each struct is
 * written as an X-macro list next to its definition, one row per member:
 *
 *   #define NS_FOO_COUNTERS(X)                                  \
 *     X(rx, "frames received")                                  \
 *     X(tx, "frames sent")
 *   typedef struct { NS_FOO_COUNTERS(NS_COUNTER_MEMBER) } NsFooCounters;
 *   NS_COUNTER_REGISTRY_DECLARE(ns_foo_counter);
 *
 * and one .c file turns the same list into the registry, an array of
 * NsCounterField in member order:
 *
 *   #define FOO_FIELD(f, about) NS_COUNTER_FIELD(NsFooCounters, f, about),
 *   NS_COUNTER_REGISTRY_DEFINE(ns_foo_counter, NsFooCounters,
 *                              NS_FOO_COUNTERS, FOO_FIELD);
 *
 * which defines ns_foo_counter_fields[] and ns_foo_counter_n_fields and
 * fails to compile when the struct has a member the list does not name
 * (its size must be exactly one guint64 per row).
 *
 * Names are the member names ("ip_rx"), meanings one line for students.
 * The registries are constant data: no registration at run time, no
 * global state.
 */
#pragma once

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

/* A guint64 counter inside a counters struct, by name. */
typedef struct {
  const char *name;  /* "ip_rx", as the struct member */
  gsize offset;      /* offsetof the member */
  const char *about; /* one line for students */
} NsCounterField;

/* The struct member for one row of a counter list. */
#define NS_COUNTER_MEMBER(f, about) guint64 f;

/* The registry row for member f of Type. */
#define NS_COUNTER_FIELD(Type, f, about)                                       \
  { #f, offsetof(Type, f), about }

/* Declares prefix_fields[] and prefix_n_fields (in a header). */
#define NS_COUNTER_REGISTRY_DECLARE(prefix)                                    \
  extern const NsCounterField prefix##_fields[];                               \
  extern const guint prefix##_n_fields

/* Defines them from LIST, ROW being a macro (f, about) that expands to
 * NS_COUNTER_FIELD(Type, f, about) followed by a comma. */
#define NS_COUNTER_REGISTRY_DEFINE(prefix, Type, LIST, ROW)                    \
  const NsCounterField prefix##_fields[] = {LIST(ROW)};                        \
  const guint prefix##_n_fields = G_N_ELEMENTS(prefix##_fields);               \
  _Static_assert(sizeof(Type) ==                                               \
                     G_N_ELEMENTS(prefix##_fields) * sizeof(guint64),          \
                 #Type " has a member that its counter list does not name")

/* The field called name in fields[0..n), or NULL. */
const NsCounterField *ns_counter_field_find(const NsCounterField *fields,
                                            guint n, const char *name);

/* The value of field f in counters (a struct of the field's registry). */
static inline guint64 ns_counter_get(const void *counters,
                                     const NsCounterField *f) {
  return *(const guint64 *)((const char *)counters + f->offset);
}

G_END_DECLS

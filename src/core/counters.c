/* counters.c — looking counters up by name. */
#include "core/counters.h"

#include <string.h>

const NsCounterField *ns_counter_field_find(const NsCounterField *fields,
                                            guint n, const char *name) {
  for (guint i = 0; i < n; i++)
    if (strcmp(fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

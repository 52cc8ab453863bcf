/* link_params.h — link parameters by name.
 *
 * The one table of the keys a link takes, shared by topology files
 * (`delay=10ms jitter=2ms`), `link A B set delay 10ms jitter 2ms` and every
 * place that prints a link: one parser, one printer and one comparison per
 * key, so a value means the same and reads back the same everywhere.
 *
 *   delay=TIME      propagation delay, 0 to 1h
 *   jitter=TIME     the delay varies by up to +-TIME (0 to 1h); keeps order
 *   rate=RATE       core/units.h
 *   loss=P          independent loss, or
 *   loss=gemodel:P[:R[:1-H[:1-K]]]
 *                   Gilbert-Elliott loss (net/link.h): P good->bad, R
 *                   bad->good (default 100%), 1-H the loss in the bad state
 *                   (default 100%), 1-K the loss in the good state
 *                   (default 0%), in the order of netem's `loss gemodel`
 *   duplicate=P, corrupt=P, reorder=P
 *   queue=N         frames, 1 to 100000
 * P is a probability, 0.01 or 1%.  A key is one NsLinkParam; its value
 * lives in one or (loss) a few members of NsLinkParams.
 */
#pragma once

#include "net/link.h"

G_BEGIN_DECLS

typedef enum {
  NS_LINK_DELAY,
  NS_LINK_JITTER,
  NS_LINK_RATE,
  NS_LINK_LOSS,
  NS_LINK_DUPLICATE,
  NS_LINK_CORRUPT,
  NS_LINK_REORDER,
  NS_LINK_QUEUE,
  NS_LINK_N_PARAMS
} NsLinkParam;

/* Enough for any formatted value. */
#define NS_LINK_PARAM_STRLEN 96

/* "delay", "jitter", ... */
const char *ns_link_param_name(NsLinkParam k);
/* The key called name: TRUE and *out, or FALSE. */
gboolean ns_link_param_lookup(const char *name, NsLinkParam *out);
/* "delay=TIME, jitter=TIME, ... or queue=N" (g_free). */
char *ns_link_param_menu(void);
/* Parses value into k's members of *p (the others untouched).  Errors
 * quote the value and say what was expected, without the key's name. */
gboolean ns_link_param_parse(NsLinkParam k, const char *value, NsLinkParams *p,
                             GError **error);
/* k's value in p as it is written: "10ms", "1%", "gemodel:2%:30%:100%:0%". */
char *ns_link_param_format(NsLinkParam k, const NsLinkParams *p,
                           char buf[NS_LINK_PARAM_STRLEN]);
gboolean ns_link_param_equal(NsLinkParam k, const NsLinkParams *a,
                             const NsLinkParams *b);
/* Copies k's members from src to dst. */
void ns_link_param_copy(NsLinkParam k, NsLinkParams *dst,
                        const NsLinkParams *src);
/* Appends ", jitter 2ms, duplicate 1%" and so on for each impairment p
 * has beyond delay, rate, loss and queue (nothing for a plain link). */
void ns_link_params_append_impairments(GString *s, const NsLinkParams *p);

/* Every member equal (not the bytes: the struct has padding), the
 * Gilbert-Elliott ones too whatever the loss model: what sharing one copy
 * of the parameters between links needs.  The hash agrees with it. */
gboolean ns_link_params_same(const NsLinkParams *a, const NsLinkParams *b);
guint ns_link_params_hash(const NsLinkParams *p);

G_END_DECLS

/* eimza — operations (app/; issue 18): what a server's /readyz and /metrics ask of the layers
 * below, and the counters a server keeps of its own work.
 *
 * Readiness: the database answers and its schema is the one this binary expects (a newer
 * binary that migrated it, or an older schema, makes this server not ready). The business
 * figures are the whole database's (the same from every server sharing it): applications by
 * state, the outbox not yet delivered by channel and status, and the applications waiting for
 * staff per province with the oldest one's age. The counters are this process's since it
 * started: e-signature verifications by their result.
 */
#ifndef EIMZA_APP_OPS_H
#define EIMZA_APP_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/context.h"

/* ---- this process's counters ------------------------------------------------------------- */
struct app_counters;
/* NULL when out of memory. Thread-safe to count into and to read. */
struct app_counters *app_counters_new(void);
void app_counters_free(struct app_counters *c);
/* One e-signature verification's result: "ok" or the refusal's code (docs/INTERFACES.md's
 * signature codes; any other code counts as "other"). No-op when set has no counters. */
void app_count_signature(const struct app_settings *set, const char *result);
/* Calls fn for every result code in a fixed order (those never seen with 0), so a series
 * exists from the start. */
void app_counters_signatures(const struct app_settings *set,
                             void (*fn)(void *ctx, const char *result, uint64_t n), void *ctx);

/* ---- readiness ---------------------------------------------------------------------------- */
struct app_readiness {
    bool database; /* it answered */
    int schema;    /* its schema version (0 when it did not answer) */
    int expected;  /* the one this binary needs */
};
/* Fills out from c->db (NULL: the database could not be reached). APP_OK when the database
 * answers and its schema is the expected one; APP_EUNAVAILABLE otherwise (err->store_failed
 * when the connection failed). */
enum app_status app_readiness(const struct app_ctx *c, struct app_readiness *out,
                              struct app_err *err);

/* ---- the business figures ---------------------------------------------------------------- */
/* Where app_ops_figures hands them: each callback is called for every row of its figure, in a
 * stable order, one figure after the other (states, outbox, waiting); a callback returning
 * non-zero stops that figure. A NULL callback skips its figure. */
struct app_ops_sink {
    void *ctx;
    int (*state)(void *ctx, const char *state, long count);
    int (*outbox)(void *ctx, const char *channel, const char *status, long count);
    /* province: plate code, 0 when unknown; oldest: seconds since the oldest one's last change */
    int (*waiting)(void *ctx, int province, const char *state, long count, int64_t oldest_age);
};
enum app_status app_ops_figures(const struct app_ctx *c, const struct app_ops_sink *sink,
                                struct app_err *err);

#endif

/* eimza — operations: readiness, the business figures and this process's counters (see
 * ops.h). */
#include "app/ops.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h"
#include "core/appstate.h"
#include "store/store.h"

/* The results an e-signature check can have (docs/INTERFACES.md, signature rejections), then
 * everything else. */
static const char *const ops_sig_results[] = {
    "ok",
    "malformed",
    "signature_invalid",
    "content_mismatch",
    "chain_untrusted",
    "certificate_expired",
    "certificate_not_yet_valid",
    "certificate_revoked",
    "revocation_unknown",
    "not_qualified",
    "key_usage",
    "tckn_mismatch",
    "other",
};
#define OPS_NSIG (sizeof ops_sig_results / sizeof ops_sig_results[0])

struct app_counters {
    atomic_uint_fast64_t signatures[OPS_NSIG];
};

struct app_counters *app_counters_new(void)
{
    return calloc(1, sizeof(struct app_counters));
}

void app_counters_free(struct app_counters *c)
{
    free(c);
}

void app_count_signature(const struct app_settings *set, const char *result)
{
    if (!set || !set->counters)
        return;
    size_t i = 0;
    while (i < OPS_NSIG - 1 && (!result || strcmp(ops_sig_results[i], result) != 0))
        i++;
    atomic_fetch_add_explicit(&set->counters->signatures[i], 1, memory_order_relaxed);
}

void app_counters_signatures(const struct app_settings *set,
                             void (*fn)(void *ctx, const char *result, uint64_t n), void *ctx)
{
    for (size_t i = 0; i < OPS_NSIG; i++)
        fn(ctx, ops_sig_results[i],
           set && set->counters
               ? atomic_load_explicit(&set->counters->signatures[i], memory_order_relaxed)
               : 0);
}

enum app_status app_readiness(const struct app_ctx *c, struct app_readiness *out,
                              struct app_err *err)
{
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (!c->db) {
        err->store_failed = true;
        return app__fail(err, APP_EUNAVAILABLE, NULL);
    }
    enum store_err e = store_schema_version(c->db, &out->schema, &out->expected);
    if (e != STORE_OK) {
        err->store_failed = true;
        return app__fail(err, APP_EUNAVAILABLE, NULL);
    }
    out->database = true;
    if (out->schema != out->expected)
        return app__fail(err, APP_EUNAVAILABLE, NULL); /* out says why */
    return APP_OK;
}

/* Applications by state: every state of the state machine, those with none as 0, so each
 * series exists from the start. */
struct ops_states {
    long n[CORE_APP__STATE_COUNT];
};

static int ops_state_row(void *ctx, const char *state, long count)
{
    struct ops_states *s = ctx;
    enum core_app_state st;
    if (core_app_state_parse(state, &st) == 0)
        s->n[st] += count;
    return 0;
}

/* The waiting applications' oldest change as an age at the context's clock. */
struct ops_waiting {
    const struct app_ops_sink *sink;
    int64_t now;
};

static int ops_waiting_row(void *ctx, int province, const char *state, long count, int64_t oldest)
{
    const struct ops_waiting *w = ctx;
    int64_t age = w->now - oldest;
    return w->sink->waiting(w->sink->ctx, province, state, count, age > 0 ? age : 0);
}

enum app_status app_ops_figures(const struct app_ctx *c, const struct app_ops_sink *sink,
                                struct app_err *err)
{
    app_err_clear(err);
    if (!c->db) {
        err->store_failed = true;
        return app__fail(err, APP_EUNAVAILABLE, NULL);
    }
    enum store_err e = STORE_OK;
    struct ops_waiting w = {sink, c->now};
    struct ops_states states = {{0}};
    if (sink->state && (e = store_app_state_counts(c->db, 0, ops_state_row, &states)) == STORE_OK)
        for (int i = 0; i < CORE_APP__STATE_COUNT; i++)
            if (sink->state(sink->ctx, core_app_state_code((enum core_app_state)i), states.n[i]))
                break;
    if (e == STORE_OK && sink->outbox)
        e = store_outbox_depth(c->db, c->now, sink->outbox, sink->ctx);
    if (e == STORE_OK && sink->waiting)
        e = store_app_waiting(c->db, ops_waiting_row, &w);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "reading the figures", NULL, NULL, err);
    return APP_OK;
}

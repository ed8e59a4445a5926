/* eimza — the store's part of the retention of personal data (store.h, "retention"; issue 18).
 * Counting is one catalogue statement per kind; changing runs in batches of STORE__RET_BATCH
 * rows, each statement (and each batch of removed evidence) a transaction of its own. */
#include "store/store_int.h"

#include <stdio.h>

#include "util/buf.h"

#define STORE__RET_BATCH 500      /* rows changed by one statement */
#define STORE__RET_APPS  200      /* applications removed in one transaction */
#define STORE__RET_YEAR  31622400 /* seconds in 366 days */

static enum store_err ret_ready(struct store *s, long *n)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!n)
        return store__fail(s, STORE_EINVAL, "retention: missing argument");
    if (s->in_tx || s->in_read)
        return store__fail(s, STORE_EINVAL, "retention: not inside a transaction");
    *n = 0;
    return STORE_OK;
}

static enum store_err ret_count(struct store *s, enum store__q q, const struct store__val *a,
                                int na, long *n)
{
    int64_t v = 0;
    enum store_err e = store__one(s, q, a, na, &v, NULL);
    if (e == STORE_OK)
        *n = (long)v;
    return e;
}

/* Runs q (whose last parameter is the batch size) until a batch changes fewer rows. */
static enum store_err ret_batches(struct store *s, enum store__q q, int64_t arg, long *n)
{
    for (;;) {
        const struct store__val a[] = {store__vi(arg), store__vi(STORE__RET_BATCH)};
        long changed = 0;
        enum store_err e = store__exec(s, q, a, 2, &changed);
        if (e != STORE_OK)
            return e;
        *n += changed;
        if (changed < STORE__RET_BATCH)
            return STORE_OK;
    }
}

enum store_err store_retention_expired(struct store *s, int64_t now, int64_t idle,
                                       int64_t windows_before, long *sessions, long *captchas,
                                       long *windows)
{
    enum store_err e = ret_ready(s, sessions);
    if (e)
        return e;
    if (!captchas || !windows)
        return store__fail(s, STORE_EINVAL, "retention: missing argument");
    const struct store__val a[] = {store__vi(now), store__vi(idle)};
    const struct store__val w[] = {store__vi(windows_before)};
    if ((e = ret_count(s, STORE__Q_RET_SESSIONS_N, a, 2, sessions)) == STORE_OK &&
        (e = ret_count(s, STORE__Q_RET_CAPTCHAS_N, a, 1, captchas)) == STORE_OK)
        e = ret_count(s, STORE__Q_RET_RATES_N, w, 1, windows);
    return e;
}

enum store_err store_retention_codes(struct store *s, int64_t now, bool dry, long *n)
{
    enum store_err e = ret_ready(s, n);
    if (e)
        return e;
    const struct store__val a[] = {store__vi(now)};
    if (dry)
        return ret_count(s, STORE__Q_RET_CODES_N, a, 1, n);
    return store__exec(s, STORE__Q_RET_CODES, a, 1, n);
}

enum store_err store_retention_messages(struct store *s, int64_t before, bool dry, long *n)
{
    enum store_err e = ret_ready(s, n);
    if (e)
        return e;
    const struct store__val a[] = {store__vi(before)};
    if (dry)
        return ret_count(s, STORE__Q_RET_MSG_N, a, 1, n);
    return ret_batches(s, STORE__Q_RET_MSG, before, n);
}

enum store_err store_retention_contact(struct store *s, int64_t before, bool dry, long *n)
{
    enum store_err e = ret_ready(s, n);
    if (e)
        return e;
    const struct store__val a[] = {store__vi(before)};
    if (dry)
        return ret_count(s, STORE__Q_RET_CONTACT_N, a, 1, n);
    if ((e = ret_batches(s, STORE__Q_RET_CONTACT, before, n)) == STORE_OK && *n)
        store__gen_all(s); /* kept status answers may name what is gone */
    return e;
}

/* One batch of evidence: the ids in "id,id,..." removed, each table in turn, in one
 * transaction. */
static enum store_err ret_remove(struct store *s, const char *ids)
{
    static const enum store__q steps[] = {STORE__Q_RET_DEL_REMINDERS, STORE__Q_RET_DEL_DECISIONS,
                                          STORE__Q_RET_DEL_SIGNATURES, STORE__Q_RET_DEL_SESSIONS,
                                          STORE__Q_RET_DEL_APPS};
    const struct store__val a[] = {store__vt(ids)};
    bool own;
    enum store_err e = store__own_begin(s, &own);
    for (size_t i = 0; e == STORE_OK && i < sizeof steps / sizeof steps[0]; i++)
        e = store__exec(s, steps[i], a, 1, NULL);
    return store__own_end(s, own, e);
}

enum store_err store_retention_evidence(struct store *s, int64_t now, int years, bool dry, long *n)
{
    enum store_err e = ret_ready(s, n);
    if (e)
        return e;
    if (years < 1)
        return store__fail(s, STORE_EINVAL, "retention: evidence is kept at least a year");
    /* the shortest validity is a year: nothing closed later than this can be due */
    const int64_t latest = now - (int64_t)(1 + 1 + years) * STORE__RET_YEAR;
    struct store__val a[] = {store__vi(now), store__vi(years), store__vi(latest),
                             store__vi(STORE__RET_APPS)};
    if (dry)
        return ret_count(s, STORE__Q_RET_EVIDENCE_N, a, 3, n);
    struct ubuf ids = UBUF_INIT(STORE__RET_APPS * 24);
    for (bool more = true; more && e == STORE_OK;) {
        long got = 0;
        ubuf_reset(&ids);
        if ((e = store__query(s, STORE__Q_RET_EVIDENCE_IDS, a, 4)) != STORE_OK)
            break;
        while (store__next(s) > 0) {
            if (ubuf_printf(&ids, "%s%lld", got ? "," : "", (long long)store__col_int(s, 0)) < 0)
                s->q_err = store__fail(s, STORE_ENOMEM, "retention: out of memory");
            got++;
        }
        if ((e = store__finish(s, NULL)) != STORE_OK || got == 0)
            break;
        if ((e = ret_remove(s, ubuf_str(&ids))) == STORE_OK)
            *n += got;
        more = got == STORE__RET_APPS;
    }
    ubuf_free(&ids);
    if (*n)
        store__gen_all(s);
    return e;
}

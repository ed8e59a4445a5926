/* eimza — after approval: the card's way to the holder (store.h, schema version 7): a holder's
 * certificates one by one, the card inventory, the sealed PIN of a card made in house, the
 * card bureau's production batches and revocation requests, the staff's view of applications
 * after approval, and what an in-house CA's registry asks. Each function checks its arguments,
 * then runs catalogue statements (store_queries.h) through the generic cursor. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define V(x)  store__vi(x)
#define VT(x) store__vt(x)

static bool province_ok(int province)
{
    return province >= 0 && province <= 81;
}

/* ---- certificates ------------------------------------------------------------------------ */

enum store_err
store_certificates_of(struct store *s, const char *tckn,
                      int (*fn)(void *ctx, int64_t id, const struct core_certificate *c), void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!tckn || !fn)
        return store__fail(s, STORE_EINVAL, "certificates_of: missing argument");
    const struct store__val a[] = {VT(tckn)};
    struct core_certificate c;
    if ((e = store__query(s, STORE__Q_C_OF, a, 1)) != STORE_OK)
        return e;
    while (store__next(s) && store__read(s, &store__cert, 1, &c) == 0 &&
           fn(ctx, store__col_int(s, 0), &c) == 0)
        ;
    return store__finish(s, NULL);
}

/* One certificate by the statement q ("id, " then the columns) and its parameter. */
static enum store_err cert_fetch(struct store *s, enum store__q q, struct store__val key,
                                 int64_t *id, struct core_certificate *out)
{
    enum store_err e = store__query(s, q, &key, 1);
    if (e != STORE_OK)
        return e;
    int got = store__next(s) && store__read(s, &store__cert, 1, out) == 0;
    int64_t i = got ? store__col_int(s, 0) : 0;
    if ((e = store__finish(s, NULL)) == STORE_OK && !got)
        e = store__fail(s, STORE_ENOTFOUND, "no such certificate");
    if (e == STORE_OK && id)
        *id = i;
    return e;
}

enum store_err store_certificate_by_fpr(struct store *s, const char *fingerprint, int64_t *id,
                                        struct core_certificate *out)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!fingerprint || !out)
        return store__fail(s, STORE_EINVAL, "certificate_by_fpr: missing argument");
    return cert_fetch(s, STORE__Q_C_BY_FPR, VT(fingerprint), id, out);
}

enum store_err store_certificate_by_id(struct store *s, int64_t id, struct core_certificate *out)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "certificate_by_id: missing argument");
    return cert_fetch(s, STORE__Q_C_BY_ID, V(id), NULL, out);
}

enum store_err store_certificate_revoke_id(struct store *s, int64_t id, int64_t at, int reason,
                                           bool *changed)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (at <= 0 || reason < 0 || reason > 10 || reason == 7)
        return store__fail(s, STORE_EINVAL, "certificate_revoke_id: a time and a CRLReason");
    const struct store__val a[] = {V(id), V(at), V(reason)};
    long n = 0;
    int64_t exists = 0;
    if ((e = store__exec(s, STORE__Q_C_REVOKE_ID, a, 3, &n)) == STORE_OK && n == 0 &&
        (e = store__one(s, STORE__Q_C_ID_EXISTS, a, 1, &exists, NULL)) == STORE_OK && !exists)
        e = store__fail(s, STORE_ENOTFOUND, "no such certificate");
    if (e == STORE_OK && changed)
        *changed = n > 0;
    return e;
}

/* ---- cards ---------------------------------------------------------------------------------- */

static bool card_ok(const struct store_card *c)
{
    return c && strlen(c->tckn) == CORE_TCKN_LEN && STORE__TEXT_OK(c->source, true) &&
           STORE__TEXT_OK(c->state, true);
}

enum store_err store_card_put(struct store *s, struct store_card *c)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    struct store__val v[STORE__MAXARGS];
    if (!card_ok(c) || store__row_bind(&store__card, c, v) < 0)
        return store__fail(s, STORE_EINVAL, "card_put: tckn, source and state are required");
    int64_t id = 0;
    if ((e = store__one(s, STORE__Q_CARD_INSERT, v, (int)store__card.ncols, &id, NULL)) == STORE_OK)
        c->id = id;
    return e;
}

enum store_err store_card_update(struct store *s, const struct store_card *c)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    struct store__val v[STORE__MAXARGS];
    if (!card_ok(c) || store__row_bind(&store__card, c, v + 1) < 0)
        return store__fail(s, STORE_EINVAL, "card_update: bad argument");
    v[0] = V(c->id);
    long n = 0;
    if ((e = store__exec(s, STORE__Q_CARD_UPDATE, v, 1 + (int)store__card.ncols, &n)) == STORE_OK &&
        n == 0)
        e = store__fail(s, STORE_ENOTFOUND, "no such card");
    return e;
}

static enum store_err card_fetch(struct store *s, enum store__q q, int64_t key,
                                 struct store_card *out)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "card: missing argument");
    const struct store__val a[] = {V(key)};
    struct store_card c;
    if ((e = store__query(s, q, a, 1)) != STORE_OK)
        return e;
    int got = store__next(s) && store__read(s, &store__card, 1, &c) == 0;
    c.id = got ? store__col_int(s, 0) : 0;
    if ((e = store__finish(s, NULL)) == STORE_OK && !got)
        e = store__fail(s, STORE_ENOTFOUND, "no such card");
    if (e == STORE_OK)
        *out = c;
    return e;
}

enum store_err store_card_get(struct store *s, int64_t id, struct store_card *out)
{
    return card_fetch(s, STORE__Q_CARD_GET, id, out);
}

enum store_err store_card_of_app(struct store *s, int64_t application_id, struct store_card *out)
{
    return card_fetch(s, STORE__Q_CARD_OF_APP, application_id, out);
}

enum store_err store_card_of_cert(struct store *s, int64_t certificate_id, struct store_card *out)
{
    return card_fetch(s, STORE__Q_CARD_OF_CERT, certificate_id, out);
}

enum store_err store_card_list(struct store *s, const struct store_card_filter *f,
                               int (*fn)(void *ctx, const struct store_card *c,
                                         const char *app_number),
                               void *ctx, long *total)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!f || !fn || !province_ok(f->province) || f->limit < 0 || f->offset < 0)
        return store__fail(s, STORE_EINVAL, "card_list: a filter, a callback, province 0..81");
    const struct store__val a[] = {VT(f->state), V(f->province), VT(f->number),
                                   V(f->limit ? f->limit : INT64_MAX), V(f->offset)};
    int64_t n = 0;
    struct store_card c;
    const int ncol = 1 + (int)store__card.ncols;
    if ((e = store__one(s, STORE__Q_CARD_COUNT, a, 3, &n, NULL)) != STORE_OK ||
        (e = store__query(s, STORE__Q_CARD_LIST, a, 5)) != STORE_OK)
        return e;
    while (store__next(s) && store__read(s, &store__card, 1, &c) == 0) {
        c.id = store__col_int(s, 0);
        if (fn(ctx, &c, store__col_str(s, ncol)) != 0)
            break;
    }
    if ((e = store__finish(s, NULL)) == STORE_OK && total)
        *total = (long)n;
    return e;
}

/* ---- the sealed PIN ------------------------------------------------------------------------- */

static enum store_err pin_write(struct store *s, enum store__q q, const struct store_card_pin *p)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    struct store__val v[STORE__MAXARGS];
    if (!p || !STORE__TEXT_OK(p->state, true) || store__row_bind(&store__pin, p, v) < 0)
        return store__fail(s, STORE_EINVAL, "card_pin: bad argument");
    long n = 0;
    if ((e = store__exec(s, q, v, (int)store__pin.ncols, &n)) == STORE_OK && n == 0)
        e = store__fail(s, STORE_ENOTFOUND, "no such card PIN");
    return e;
}

enum store_err store_card_pin_put(struct store *s, const struct store_card_pin *p)
{
    return pin_write(s, STORE__Q_PIN_PUT, p);
}

enum store_err store_card_pin_update(struct store *s, const struct store_card_pin *p)
{
    return pin_write(s, STORE__Q_PIN_UPDATE, p);
}

enum store_err store_card_pin_get(struct store *s, int64_t card_id, struct store_card_pin *out)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "card_pin_get: missing argument");
    const struct store__val a[] = {V(card_id)};
    return store__get(s, STORE__Q_PIN_GET, a, 1, &store__pin, 0, out);
}

/* ---- batches -------------------------------------------------------------------------------- */

enum store_err store_batch_put(struct store *s, struct store_batch *b)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!b || b->province < 1 || b->province > 81 || !STORE__TEXT_OK(b->created_by, true))
        return store__fail(s, STORE_EINVAL, "batch_put: a province 1..81 and who made it");
    const struct store__val a[] = {V(b->province), V(b->created_at), VT(b->created_by)};
    int64_t id = 0;
    if ((e = store__one(s, STORE__Q_B_INSERT, a, 3, &id, NULL)) == STORE_OK)
        b->id = id;
    return e;
}

enum store_err store_batch_counts(struct store *s, int64_t id, long applications, long revocations)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    const struct store__val a[] = {V(id), V(applications), V(revocations)};
    long n = 0;
    if ((e = store__exec(s, STORE__Q_B_COUNTS, a, 3, &n)) == STORE_OK && n == 0)
        e = store__fail(s, STORE_ENOTFOUND, "no such production batch");
    return e;
}

enum store_err store_batch_get(struct store *s, int64_t id, struct store_batch *out)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "batch_get: missing argument");
    const struct store__val a[] = {V(id)};
    return store__get(s, STORE__Q_B_GET, a, 1, &store__batch, 0, out);
}

enum store_err store_batch_list(struct store *s, int province, long limit,
                                int (*fn)(void *ctx, const struct store_batch *b), void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!fn || !province_ok(province) || limit < 1 || limit > 500)
        return store__fail(s, STORE_EINVAL, "batch_list: a callback, province 0..81, limit 1..500");
    const struct store__val a[] = {V(province), V(limit)};
    struct store_batch b;
    if ((e = store__query(s, STORE__Q_B_LIST, a, 2)) != STORE_OK)
        return e;
    while (store__fetch(s, &store__batch, 0, &b) > 0 && fn(ctx, &b) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_batch_candidates(struct store *s, int province, long limit, int64_t *ids,
                                      long *n)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!ids || !n || province < 1 || province > 81 || limit < 1)
        return store__fail(s, STORE_EINVAL, "batch_candidates: province 1..81 and a limit");
    const struct store__val a[] = {V(province), V(limit)};
    *n = 0;
    if ((e = store__query(s, STORE__Q_B_CANDIDATES, a, 2)) != STORE_OK)
        return e;
    while (*n < limit && store__next(s))
        ids[(*n)++] = store__col_int(s, 0);
    return store__finish(s, NULL);
}

enum store_err store_batch_apps(struct store *s, int64_t batch_id,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "batch_apps: no callback");
    const struct store__val a[] = {V(batch_id)};
    if ((e = store__query(s, STORE__Q_B_APPS, a, 1)) != STORE_OK)
        return e;
    return store__app_rows(s, fn, ctx);
}

/* ---- revocation requests -------------------------------------------------------------------- */

enum store_err store_revocation_request(struct store *s, int64_t certificate_id,
                                        int64_t application_id, int province, int reason,
                                        int64_t now, bool *inserted)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!province_ok(province) || reason < 0 || reason > 10 || reason == 7)
        return store__fail(s, STORE_EINVAL, "revocation_request: province 0..81, a CRLReason");
    const struct store__val a[] = {V(certificate_id), V(application_id), V(province), V(reason),
                                   V(now)};
    long n = 0;
    if ((e = store__exec(s, STORE__Q_RR_PUT, a, 5, &n)) == STORE_OK && inserted)
        *inserted = n > 0;
    return e;
}

enum store_err store_revocation_assign(struct store *s, int64_t batch_id, int province, long *n)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    const struct store__val a[] = {V(batch_id), V(province)};
    long k = 0;
    if ((e = store__exec(s, STORE__Q_RR_ASSIGN, a, 2, &k)) == STORE_OK && n)
        *n = k;
    return e;
}

enum store_err store_revocation_list(struct store *s, int64_t batch_id, int province,
                                     int (*fn)(void *ctx, const struct store_revocation_row *r),
                                     void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!fn || !province_ok(province) || batch_id < 0)
        return store__fail(s, STORE_EINVAL, "revocation_list: a callback, province 0..81");
    const struct store__val a[] = {V(batch_id), V(province)};
    struct core_certificate c;
    if ((e = store__query(s, STORE__Q_RR_LIST, a, 2)) != STORE_OK)
        return e;
    while (store__next(s) && store__read(s, &store__cert, 4, &c) == 0) {
        const struct store_revocation_row r = {
            .c = &c,
            .number = store__col_str(s, 3),
            .reason = (int)store__col_int(s, 0),
            .requested_at = store__col_int(s, 1),
            .batch_id = store__col_int(s, 2),
        };
        if (fn(ctx, &r) != 0)
            break;
    }
    return store__finish(s, NULL);
}

/* ---- the staff's view after approval -------------------------------------------------------- */

enum store_err store_flow_list(struct store *s, const struct store_flow_filter *f,
                               int (*fn)(void *ctx, const struct store_application *a, int province,
                                         const struct store_card *card),
                               void *ctx, long *total)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!f || !fn || !province_ok(f->province) || f->limit < 0 || f->offset < 0 ||
        f->overdue_before < 0 || f->risk_now < 0 || f->expected < 0)
        return store__fail(s, STORE_EINVAL, "flow_list: a filter, a callback, province 0..81");
    const struct store__val a[] = {
        V(f->province),
        VT(f->state),
        VT(f->number),
        V(f->overdue_before),
        V(f->risk_now),
        V(f->expected),
        V(f->limit ? f->limit : INT64_MAX),
        V(f->offset),
    };
    const int pcol = 1 + (int)store__app.ncols, kcol = pcol + 1;
    int64_t n = 0;
    struct store_application app;
    struct store_card card;
    if ((e = store__one(s, STORE__Q_FLOW_COUNT, a, 6, &n, NULL)) != STORE_OK ||
        (e = store__query(s, STORE__Q_FLOW_LIST, a, 8)) != STORE_OK)
        return e;
    while (store__next(s) && store__read(s, &store__app, 1, &app) == 0) {
        bool has_card = !store__isnull(s, kcol);
        app.id = store__col_int(s, 0);
        if (has_card) {
            if (store__read(s, &store__card, kcol + 1, &card) < 0)
                break;
            card.id = store__col_int(s, kcol);
        }
        if (fn(ctx, &app, (int)store__col_int(s, pcol), has_card ? &card : NULL) != 0)
            break;
    }
    if ((e = store__finish(s, NULL)) == STORE_OK && total)
        *total = (long)n;
    return e;
}

enum store_err store_overdue_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                 int (*fn)(void *ctx, const struct store_application *a,
                                           const struct core_personnel *p),
                                 void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!fn || limit < 1)
        return store__fail(s, STORE_EINVAL, "overdue_due: a callback and a limit");
    const struct store__val a[] = {V(before), V(after_id), V(limit)};
    if ((e = store__query(s, STORE__Q_OVERDUE_DUE, a, 3)) != STORE_OK)
        return e;
    return store__app_rows(s, fn, ctx);
}

/* ---- an in-house CA's registry -------------------------------------------------------------- */

enum store_err store_ca_status(struct store *s, const char *issuer, const char *serial, bool *found,
                               int64_t *revoked_at, int *reason)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!issuer || !serial || !found || !revoked_at || !reason)
        return store__fail(s, STORE_EINVAL, "ca_status: missing argument");
    const struct store__val a[] = {VT(issuer), VT(serial)};
    *found = false;
    *revoked_at = 0;
    *reason = 0;
    if ((e = store__query(s, STORE__Q_CA_STATUS, a, 2)) != STORE_OK)
        return e;
    if (store__next(s)) {
        *found = true;
        *revoked_at = store__col_int(s, 0);
        *reason = (int)store__col_int(s, 1);
    }
    return store__finish(s, NULL);
}

enum store_err store_ca_each_revoked(struct store *s, const char *issuer,
                                     int (*fn)(void *ctx, const char *serial, int64_t revoked_at,
                                               int reason),
                                     void *ctx)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!issuer || !fn)
        return store__fail(s, STORE_EINVAL, "ca_each_revoked: missing argument");
    const struct store__val a[] = {VT(issuer)};
    if ((e = store__query(s, STORE__Q_CA_REVOKED, a, 1)) != STORE_OK)
        return e;
    while (store__next(s) &&
           fn(ctx, store__col_str(s, 0), store__col_int(s, 1), (int)store__col_int(s, 2)) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_ca_crl_number(struct store *s, const char *issuer, int64_t *number)
{
    enum store_err e = store__ready(s);
    if (e)
        return e;
    if (!issuer || !*issuer || !number)
        return store__fail(s, STORE_EINVAL, "ca_crl_number: missing argument");
    const struct store__val a[] = {VT(issuer)};
    return store__one(s, STORE__Q_CA_CRL_NUMBER, a, 1, number, NULL);
}

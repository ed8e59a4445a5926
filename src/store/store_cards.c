/* eimza — after approval: the card's way to the holder (store.h, schema version 7): a holder's
 * certificates one by one, the card inventory, the sealed PIN of a card made in house, the
 * card bureau's production batches and revocation requests, the staff's view of applications
 * after approval, and what an in-house CA's registry asks. Each function checks its arguments,
 * then runs catalogue statements (store_queries.h) through the generic cursor. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* ---- certificates ------------------------------------------------------------------------ */

enum store_err
store_certificates_of(struct store *s, const char *tckn,
                      int (*fn)(void *ctx, int64_t id, const struct core_certificate *c), void *ctx)
{
    STORE__ENTRY(s, !tckn || !fn, "certificates_of: missing argument");
    struct core_certificate c;
    store__query(s, STORE__Q_C_OF, STORE__A(VT(tckn)));
    while (store__next(s) && store__read(s, &store__cert, 1, &c) == 0 &&
           fn(ctx, store__col_int(s, 0), &c) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_certificate_by_fpr(struct store *s, const char *fingerprint, int64_t *id,
                                        struct core_certificate *out)
{
    STORE__ENTRY(s, !fingerprint || !out, "certificate_by_fpr: missing argument");
    return store__get_id(s, STORE__Q_C_BY_FPR, STORE__A(VT(fingerprint)), &store__cert, out, id);
}

enum store_err store_certificate_by_id(struct store *s, int64_t id, struct core_certificate *out)
{
    STORE__ENTRY(s, !out, "certificate_by_id: missing argument");
    return store__get_id(s, STORE__Q_C_BY_ID, STORE__A(V(id)), &store__cert, out, NULL);
}

enum store_err store_certificate_revoke_id(struct store *s, int64_t id, int64_t at, int reason,
                                           bool *changed)
{
    STORE__ENTRY(s, at <= 0 || reason < 0 || reason > 10 || reason == 7,
                 "certificate_revoke_id: a time and a CRLReason");
    const struct store__val a[] = {V(id), V(at), V(reason)};
    bool did = false;
    enum store_err e = store__did(s, STORE__Q_C_REVOKE_ID, a, 3, &did);
    if (e == STORE_OK && !did)
        e = store__missed(s, STORE__Q_C_ID_EXISTS, a, 1, &store__cert, NULL);
    if (e == STORE_OK && changed)
        *changed = did;
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
    struct store__val v[STORE__MAXARGS];
    STORE__ENTRY(s, !card_ok(c) || store__row_bind(&store__card, c, v) < 0,
                 "card_put: tckn, source and state are required");
    return store__one(s, STORE__Q_CARD_INSERT, v, (int)store__card.ncols, &c->id, NULL);
}

enum store_err store_card_update(struct store *s, const struct store_card *c)
{
    struct store__val v[STORE__MAXARGS];
    STORE__ENTRY(s, !card_ok(c) || store__row_bind(&store__card, c, v + 1) < 0,
                 "card_update: bad argument");
    v[0] = V(c->id);
    return store__found(s, STORE__Q_CARD_UPDATE, v, 1 + (int)store__card.ncols, &store__card);
}

static enum store_err card_fetch(struct store *s, enum store__q q, int64_t key,
                                 struct store_card *out)
{
    STORE__ENTRY(s, !out, "card: missing argument");
    return store__get_id(s, q, STORE__A(V(key)), &store__card, out, &out->id);
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

/* ---- the sealed PIN ------------------------------------------------------------------------- */

static enum store_err pin_write(struct store *s, enum store__q q, const struct store_card_pin *p)
{
    struct store__val v[STORE__MAXARGS];
    STORE__ENTRY(s, !p || !STORE__TEXT_OK(p->state, true) || store__row_bind(&store__pin, p, v) < 0,
                 "card_pin: bad argument");
    return store__found(s, q, v, (int)store__pin.ncols, &store__pin);
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
    STORE__ENTRY(s, !out, "card_pin_get: missing argument");
    return store__get(s, STORE__Q_PIN_GET, STORE__A(V(card_id)), &store__pin, 0, out);
}

enum store_err store_card_pin_waive(struct store *s, int64_t card_id, const char *by,
                                    const char *note, int64_t at, int64_t until)
{
    STORE__ENTRY(s,
                 !by || !*by || strlen(by) >= STORE_USERNAME_MAX || !note ||
                     strlen(note) >= STORE_WAIVER_NOTE_MAX || until <= at,
                 "card_pin_waive: a user name, a note, until after at");
    return store__found(s, STORE__Q_PIN_WAIVE,
                        STORE__A(V(card_id), VT(by), VT(note), V(at), V(until)), &store__pin);
}

/* ---- batches -------------------------------------------------------------------------------- */

enum store_err store_batch_put(struct store *s, struct store_batch *b)
{
    STORE__ENTRY(s,
                 !b || b->province < 1 || b->province > 81 || !STORE__TEXT_OK(b->created_by, true),
                 "batch_put: a province 1..81 and who made it");
    return store__one(s, STORE__Q_B_INSERT,
                      STORE__A(V(b->province), V(b->created_at), VT(b->created_by)), &b->id, NULL);
}

enum store_err store_batch_counts(struct store *s, int64_t id, long applications, long revocations)
{
    STORE__READY(s);
    return store__found(s, STORE__Q_B_COUNTS, STORE__A(V(id), V(applications), V(revocations)),
                        &store__batch);
}

enum store_err store_batch_get(struct store *s, int64_t id, struct store_batch *out)
{
    STORE__ENTRY(s, !out, "batch_get: missing argument");
    return store__get(s, STORE__Q_B_GET, STORE__A(V(id)), &store__batch, 0, out);
}

enum store_err store_batch_list(struct store *s, int province, long limit,
                                int (*fn)(void *ctx, const struct store_batch *b), void *ctx)
{
    STORE__ENTRY(s, !fn || !store__province_ok(province) || limit < 1 || limit > 500,
                 "batch_list: a callback, province 0..81, limit 1..500");
    struct store_batch b;
    store__query(s, STORE__Q_B_LIST, STORE__A(V(province), V(limit)));
    while (store__fetch(s, &store__batch, 0, &b) > 0 && fn(ctx, &b) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_batch_candidates(struct store *s, int province, long limit, int64_t *ids,
                                      long *n)
{
    STORE__ENTRY(s, !ids || !n || province < 1 || province > 81 || limit < 1,
                 "batch_candidates: province 1..81 and a limit");
    *n = 0;
    store__query(s, STORE__Q_B_CANDIDATES, STORE__A(V(province), V(limit)));
    while (*n < limit && store__next(s))
        ids[(*n)++] = store__col_int(s, 0);
    return store__finish(s, NULL);
}

enum store_err store_batch_apps(struct store *s, int64_t batch_id,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx)
{
    STORE__ENTRY(s, !fn, "batch_apps: no callback");
    return store__app_rows(s, STORE__Q_B_APPS, STORE__A(V(batch_id)), fn, ctx);
}

/* ---- revocation requests -------------------------------------------------------------------- */

enum store_err store_revocation_request(struct store *s, int64_t certificate_id,
                                        int64_t application_id, int province, int reason,
                                        int64_t now, bool *inserted)
{
    STORE__ENTRY(s, !store__province_ok(province) || reason < 0 || reason > 10 || reason == 7,
                 "revocation_request: province 0..81, a CRLReason");
    return store__did(
        s, STORE__Q_RR_PUT,
        STORE__A(V(certificate_id), V(application_id), V(province), V(reason), V(now)), inserted);
}

enum store_err store_revocation_assign(struct store *s, int64_t batch_id, int province, long *n)
{
    STORE__READY(s);
    long k = 0;
    enum store_err e = store__exec(s, STORE__Q_RR_ASSIGN, STORE__A(V(batch_id), V(province)), &k);
    if (e == STORE_OK && n)
        *n = k;
    return e;
}

enum store_err store_revocation_list(struct store *s, int64_t batch_id, int province,
                                     int (*fn)(void *ctx, const struct store_revocation_row *r),
                                     void *ctx)
{
    STORE__ENTRY(s, !fn || !store__province_ok(province) || batch_id < 0,
                 "revocation_list: a callback, province 0..81");
    struct core_certificate c;
    store__query(s, STORE__Q_RR_LIST, STORE__A(V(batch_id), V(province)));
    while (store__next(s) && store__read(s, &store__cert, 4, &c) == 0) {
        const struct store_revocation_row r = {.c = &c,
                                               .number = store__col_str(s, 3),
                                               .reason = (int)store__col_int(s, 0),
                                               .requested_at = store__col_int(s, 1),
                                               .batch_id = store__col_int(s, 2)};
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
    STORE__ENTRY(s,
                 !f || !fn || !store__province_ok(f->province) || f->limit < 0 || f->offset < 0 ||
                     f->overdue_before < 0 || f->risk_now < 0 || f->expected < 0,
                 "flow_list: a filter, a callback, province 0..81");
    const struct store__val a[] = {V(f->province),         VT(f->state),   VT(f->number),
                                   V(f->overdue_before),   V(f->risk_now), V(f->expected),
                                   STORE__LIMIT(f->limit), V(f->offset)};
    const int pcol = 1 + (int)store__app.ncols, kcol = pcol + 1;
    long n = 0;
    struct store_application app;
    struct store_card card;
    store__page(s, STORE__Q_FLOW_COUNT, 6, STORE__Q_FLOW_LIST, a, 8, &n);
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
    enum store_err e = store__finish(s, NULL);
    if (e == STORE_OK && total)
        *total = n;
    return e;
}

enum store_err store_overdue_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                 int (*fn)(void *ctx, const struct store_application *a,
                                           const struct core_personnel *p),
                                 void *ctx)
{
    return store__app_page(s, STORE__Q_OVERDUE_DUE, before, after_id, limit, fn, ctx);
}

/* ---- an in-house CA's registry -------------------------------------------------------------- */

enum store_err store_ca_status(struct store *s, const char *issuer, const char *serial, bool *found,
                               int64_t *revoked_at, int *reason)
{
    STORE__ENTRY(s, !issuer || !serial || !found || !revoked_at || !reason,
                 "ca_status: missing argument");
    *found = false;
    *revoked_at = 0;
    *reason = 0;
    store__query(s, STORE__Q_CA_STATUS, STORE__A(VT(issuer), VT(serial)));
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
    STORE__ENTRY(s, !issuer || !fn, "ca_each_revoked: missing argument");
    store__query(s, STORE__Q_CA_REVOKED, STORE__A(VT(issuer)));
    while (store__next(s) &&
           fn(ctx, store__col_str(s, 0), store__col_int(s, 1), (int)store__col_int(s, 2)) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_ca_crl_number(struct store *s, const char *issuer, int64_t *number)
{
    STORE__ENTRY(s, !issuer || !*issuer || !number, "ca_crl_number: missing argument");
    return store__one(s, STORE__Q_CA_CRL_NUMBER, STORE__A(VT(issuer)), number, NULL);
}

/* eimza — the staff side's storage (store.h, schemas 3 and 4): signature evidence, staff
 * accounts, the approvers' queue and decisions, the chains of renewals by signature alone,
 * and what the notification scan reads and records (expiry warnings, reminders). Each
 * function checks its arguments, then runs catalogue statements (store_queries.h) through the
 * generic cursor. */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"

/* Lengths a driver must be able to bind (SQLite takes an int). */
#define BLOB_MAX ((size_t)INT32_MAX)

/* ---- signature evidence ------------------------------------------------------------------- */

enum store_err store_signature_put(struct store *s, const struct store_signature *sig)
{
    STORE__ENTRY(s,
                 !sig || sig->application_id <= 0 || !sig->cms || !sig->cms_len ||
                     sig->cms_len > BLOB_MAX || (!sig->content && sig->content_len) ||
                     sig->content_len > BLOB_MAX || (!sig->ocsp && sig->ocsp_len) ||
                     sig->ocsp_len > BLOB_MAX,
                 "signature_put: an application, the CMS and its content are required");
    STORE__REFUSE(
        s, !sig->signer_fingerprint || !store__is_hash(sig->signer_fingerprint) || !sig->validation,
        "signature_put: the signer's fingerprint (SHA-256 hex) and the validation result are "
        "required");
    char sha[STORE_AUDIT_HASH_LEN + 1];
    if (crypto_sha256_hex(sig->cms, sig->cms_len, sha) != 0)
        return store__fail(s, STORE_ENOMEM, "signature_put: hashing the CMS failed");
    /* an empty content is an empty blob, not NULL; no OCSP response is NULL */
    return store__send(
        s, STORE__Q_SIG_PUT,
        STORE__A(V(sig->application_id), V(sig->at), store__vblob(sig->cms, sig->cms_len), VT(sha),
                 store__vblob(sig->content, sig->content_len), VT(sig->signer_fingerprint),
                 VT(sig->validation),
                 sig->ocsp && sig->ocsp_len ? store__vblob(sig->ocsp, sig->ocsp_len) : VT(NULL)));
}

enum store_err store_signature_get(struct store *s, int64_t application_id,
                                   int (*fn)(void *ctx, const struct store_signature *sig),
                                   void *ctx)
{
    STORE__ENTRY(s, !fn, "signature_get: no callback");
    store__query(s, STORE__Q_SIG_GET, STORE__A(V(application_id)));
    bool got = store__next(s);
    if (got) {
        /* the texts first: SQLite may convert a blob column read as text */
        struct store_signature sig = {.application_id = application_id,
                                      .at = store__col_int(s, 0),
                                      .signer_fingerprint = store__col_str(s, 1),
                                      .validation = store__col_str(s, 2)};
        sig.cms = store__col_blob(s, 3, &sig.cms_len);
        sig.content = store__col_blob(s, 4, &sig.content_len);
        sig.ocsp = store__col_blob(s, 5, &sig.ocsp_len);
        if (s->q_err == STORE_OK && sig.cms && sig.signer_fingerprint && sig.validation) {
            if (!sig.content)
                sig.content = (const unsigned char *)"";
            fn(ctx, &sig);
        }
    }
    return store__finish_got(s, got, "the application has no signature");
}

/* ---- staff accounts ----------------------------------------------------------------------- */

/* [a-z0-9._-], 1..63 bytes (store.h). */
static bool username_ok(const char *u)
{
    size_t i = 0;
    for (; u[i] && i < STORE_USERNAME_MAX; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return i > 0 && i < STORE_USERNAME_MAX;
}

/* The checks of a user to write, and its columns into a. */
static enum store_err user_ok(struct store *s, const struct store_user *u, const char *what,
                              struct store__val *a)
{
    STORE__ENTRY(s, !u || !STORE__TEXT_OK(u->username, true) || !username_ok(u->username),
                 "%s: a user name of 1..63 bytes of [a-z0-9._-]", what);
    bool approver = !strcmp(u->role, "approver");
    STORE__REFUSE(s, !approver && strcmp(u->role, "operator") && strcmp(u->role, "admin"),
                  "%s: the role is approver, operator or admin", what);
    STORE__REFUSE(s, u->province < 0 || u->province > 81 || (approver && u->province < 1),
                  "%s: an approver's province is a plate code 1..81 (0..81 for the other roles)",
                  what);
    STORE__REFUSE(s, u->failed_count < 0 || store__row_bind(&store__user, u, a) < 0,
                  "%s: bad password hash, TOTP secret or count", what);
    return STORE_OK;
}

enum store_err store_user_put(struct store *s, const struct store_user *u)
{
    struct store__val a[STORE__MAXARGS];
    enum store_err e = user_ok(s, u, "user_put", a);
    return e ? e : store__exec(s, STORE__Q_U_PUT, a, (int)store__user.ncols, NULL);
}

enum store_err store_user_get(struct store *s, const char *username, struct store_user *out)
{
    STORE__ENTRY(s, !username || !out, "user_get: missing argument");
    /* A name no account can have (typed into a login form) is simply not there. */
    if (!username_ok(username))
        return store__fail(s, STORE_ENOTFOUND, "no such user");
    return store__get(s, s->in_tx ? STORE__Q_U_GET_LOCK : STORE__Q_U_GET, STORE__A(VT(username)),
                      &store__user, 0, out);
}

enum store_err store_user_update(struct store *s, const struct store_user *u)
{
    struct store__val a[STORE__MAXARGS];
    enum store_err e = user_ok(s, u, "user_update", a);
    /* every column but the last, created_at, which is never written */
    return e ? e : store__found(s, STORE__Q_U_UPDATE, a, (int)store__user.ncols - 1, &store__user);
}

enum store_err store_user_each(struct store *s, int (*fn)(void *ctx, const struct store_user *u),
                               void *ctx)
{
    STORE__ENTRY(s, !fn, "user_each: no callback");
    struct store_user u;
    store__query(s, STORE__Q_U_EACH, NULL, 0);
    while (store__fetch(s, &store__user, 0, &u) && fn(ctx, &u) == 0)
        ;
    return store__finish(s, NULL);
}

/* ---- the approvers' queue ----------------------------------------------------------------- */

enum store_err store_app_list(struct store *s, const struct store_app_filter *f,
                              int (*fn)(void *ctx, const struct store_application *a,
                                        const struct core_personnel *p),
                              void *ctx, long *total)
{
    STORE__ENTRY(s, !f || !fn, "app_list: a filter and a callback are required");
    STORE__REFUSE(s,
                  !store__province_ok(f->province) || f->late < -1 || f->late > 1 || f->limit < 0 ||
                      f->offset < 0 || f->updated_before < 0 ||
                      (f->order != STORE_APP_URGENT && f->order != STORE_APP_WAITING),
                  "app_list: province 0..81, late -1..1, limit, offset and updated_before >= 0, a "
                  "known order");
    const struct store__val a[] = {V(f->province),         VT(f->state), VT(f->institution),
                                   VT(f->district),        V(f->late),   V(f->updated_before),
                                   STORE__LIMIT(f->limit), V(f->offset)};
    long n = 0;
    enum store_err e;
    if ((e = store__count(s, STORE__Q_APP_COUNT, a, 6, &n)) != STORE_OK ||
        (e = store__app_rows(
             s, f->order == STORE_APP_WAITING ? STORE__Q_APP_LIST_WAITING : STORE__Q_APP_LIST, a, 8,
             fn, ctx)) != STORE_OK)
        return e;
    if (total)
        *total = n;
    return STORE_OK;
}

enum store_err store_app_state_counts(struct store *s, int province,
                                      int (*fn)(void *ctx, const char *state, long count),
                                      void *ctx)
{
    STORE__ENTRY(s, !fn || !store__province_ok(province),
                 "app_state_counts: a callback and province 0..81");
    store__query(s, STORE__Q_APP_STATES, STORE__A(V(province)));
    while (store__next(s) && fn(ctx, store__col_str(s, 0), (long)store__col_int(s, 1)) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_expiring_unapplied(struct store *s, int province, int64_t from, int64_t to,
                                        int (*fn)(void *ctx, const struct core_personnel *p,
                                                  const struct core_certificate *c),
                                        void *ctx)
{
    STORE__ENTRY(s, !fn || !store__province_ok(province) || to < from,
                 "expiring_unapplied: a callback, province 0..81 and from <= to");
    struct core_certificate c;
    struct core_personnel p;
    store__query(s, STORE__Q_EXPIRING, STORE__A(V(province), V(from), V(to)));
    while (store__fetch(s, &store__cert, 0, &c) &&
           store__read(s, &store__personnel, (int)store__cert.ncols, &p) == 0 &&
           fn(ctx, &p, &c) == 0)
        ;
    return store__finish(s, NULL);
}

/* ---- decisions ---------------------------------------------------------------------------- */

enum store_err store_decision_put(struct store *s, const struct store_decision *d)
{
    STORE__ENTRY(s,
                 !d || d->application_id <= 0 || !d->decision ||
                     (strcmp(d->decision, "approve") && strcmp(d->decision, "reject")),
                 "decision_put: an application and approve or reject are required");
    STORE__REFUSE(s,
                  !d->staff || !*d->staff || !d->verdict || !*d->verdict ||
                      (d->personnel && !*d->personnel),
                  "decision_put: the staff member and the verdict are required");
    /* what is stored for the optional ones, as store.h spells "none" */
    struct store_decision n = *d;
    struct store__val a[STORE__MAXARGS];
    if (!n.reason)
        n.reason = "";
    if (!n.personnel)
        n.personnel = "null";
    store__row_bind(&store__decision, &n, a);
    return store__exec(s, STORE__Q_D_PUT, a, (int)store__decision.ncols, NULL);
}

enum store_err store_decision_get(struct store *s, int64_t application_id,
                                  int (*fn)(void *ctx, const struct store_decision *d), void *ctx)
{
    STORE__ENTRY(s, !fn, "decision_get: no callback");
    struct store_decision d;
    store__query(s, STORE__Q_D_GET, STORE__A(V(application_id)));
    bool got = store__fetch(s, &store__decision, 0, &d);
    if (got)
        fn(ctx, &d);
    return store__finish_got(s, got, "the application has no decision");
}

/* ---- renewals by signature alone ---------------------------------------------------------- */

static bool tckn_shape_ok(const char *tckn)
{
    if (!tckn || strnlen(tckn, CORE_TCKN_LEN + 1) != CORE_TCKN_LEN)
        return false;
    for (size_t i = 0; i < CORE_TCKN_LEN; i++)
        if (tckn[i] < '0' || tckn[i] > '9')
            return false;
    return true;
}

enum store_err store_remote_chain_get(struct store *s, const char *tckn, int *count)
{
    STORE__ENTRY(s, !tckn_shape_ok(tckn) || !count,
                 "remote_chain_get: a T.C. Kimlik No of 11 digits");
    int64_t c = 0;
    enum store_err e = store__one(s, STORE__Q_RC_GET, STORE__A(VT(tckn)), &c, NULL);
    if (e == STORE_OK)
        *count = (int)c;
    return e;
}

enum store_err store_remote_chains_get(struct store *s, const char *const *tckn, size_t n,
                                       int *count)
{
    STORE__ENTRY(s, n > STORE_CHAINS_MAX || (n && (!tckn || !count)),
                 "remote_chains_get: at most %d holders", STORE_CHAINS_MAX);
    for (size_t i = 0; i < n; i++) {
        STORE__REFUSE(s, !tckn_shape_ok(tckn[i]),
                      "remote_chains_get: a T.C. Kimlik No of 11 digits");
        count[i] = 0;
    }
    /* ["12345678901",...]: 11 digits, quotes and a comma each (checked above: no escaping) */
    size_t cap = n * 14 + 3, len = 0;
    char *list = n ? malloc(cap) : NULL, t[16];
    if (!list)
        return n ? store__fail(s, STORE_ENOMEM, "remote_chains_get: out of memory") : STORE_OK;
    list[len++] = '[';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(list + len, cap - len, "%s\"%s\"", i ? "," : "", tckn[i]);
    list[len++] = ']';
    list[len] = '\0';
    store__query(s, STORE__Q_RC_GET_MANY, STORE__A(VT(list)));
    while (store__next(s) > 0) {
        store__col_text(s, 0, t, sizeof t);
        int c = (int)store__col_int(s, 1);
        for (size_t i = 0; i < n; i++)
            if (!strcmp(tckn[i], t))
                count[i] = c; /* the same holder may be on the page twice */
    }
    enum store_err e = store__finish(s, NULL);
    free(list);
    return e;
}

enum store_err store_remote_chain_set(struct store *s, const char *tckn, int count, int64_t now)
{
    STORE__ENTRY(s, !tckn_shape_ok(tckn) || count < 0,
                 "remote_chain_set: a T.C. Kimlik No of 11 digits and a count >= 0");
    return store__exec(s, STORE__Q_RC_SET, STORE__A(VT(tckn), V(count), V(now)), NULL);
}

/* ==== expiry warnings (schema 4) ============================================================ */

/* Looking first (WARN_KEYS: the not_after index and the marks only) and reading the page's rows
 * after keeps a scan that finds everything already queued off the certificate and personnel
 * rows. */
enum store_err store_warn_due(struct store *s, int64_t from, int64_t to, int days,
                              int64_t *after_not_after, int64_t *after_id, long limit,
                              int (*fn)(void *ctx, const struct store_warn_row *r), void *ctx,
                              bool *more)
{
    STORE__ENTRY(s,
                 !fn || !after_not_after || !after_id || !more || to < from || days < 0 ||
                     limit < 1 || (size_t)limit > SIZE_MAX / (2 * sizeof(int64_t)),
                 "warn_due: a callback, a position, from <= to, days >= 0 and a limit >= 1");
    *more = false;
    /* rows before the keyset's not_after are never wanted: the range starts there, so the
     * statement's condition only has to settle ties on not_after by id */
    if (*after_not_after > from)
        from = *after_not_after;
    if (from >= to)
        return STORE_OK;
    if (!s->scanning) {
        s->scanning = true;
        (void)store__exec(s, STORE__Q_SCAN_MMAP, NULL, 0, NULL); /* only speed depends on them */
        (void)store__exec(s, STORE__Q_SCAN_CACHE, NULL, 0, NULL);
    }
    struct store__val a[] = {V(from),      V(to),    V(days), V(*after_not_after),
                             V(*after_id), V(limit), V(0)};
    int64_t last[2] = {0, 0};
    long n = 0;
    store__query(s, STORE__Q_WARN_KEYS, a, 6);
    while (n < limit && store__next(s)) {
        last[0] = store__col_int(s, 0);
        last[1] = store__col_int(s, 1);
        n++;
    }
    enum store_err e = store__finish(s, NULL);
    if (e != STORE_OK || n == 0)
        return e;
    a[5] = V(last[0]);
    a[6] = V(last[1]);
    const int ccol = 2, pcol = 2 + (int)store__cert.ncols;
    struct core_certificate c;
    struct core_personnel p;
    store__query(s, STORE__Q_WARN_DUE, a, 7);
    while (store__fetch(s, &store__cert, ccol, &c) &&
           store__read(s, &store__personnel, pcol, &p) == 0) {
        const struct store_warn_row r = {.cert_id = store__col_int(s, 0),
                                         .warned_days = (int)store__col_int(s, 1),
                                         .c = &c,
                                         .p = &p};
        if (fn(ctx, &r) != 0)
            break;
    }
    if ((e = store__finish(s, NULL)) == STORE_OK) {
        *after_not_after = last[0];
        *after_id = last[1];
        *more = n == limit;
    }
    return e;
}

enum store_err store_warn_mark(struct store *s, int64_t cert_id, int days, int64_t now,
                               bool *marked)
{
    bool m = false;
    enum store_err e = store_warn_mark_batch(s, &cert_id, 1, days, now, &m);
    if (marked)
        *marked = e == STORE_OK && m;
    return e;
}

/* The batch's ids in ascending order, each with its place in the caller's array. */
struct mark_ref {
    int64_t id;
    long idx;
};

static int mark_ref_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct mark_ref *)a)->id, y = ((const struct mark_ref *)b)->id;
    return (x > y) - (x < y);
}

enum store_err store_warn_mark_batch(struct store *s, const int64_t *ids, long n, int days,
                                     int64_t now, bool *marked)
{
    STORE__ENTRY(s, !ids || !marked || n < 1 || days < 0 || (size_t)n > SIZE_MAX / 24,
                 "warn_mark: certificate ids and days >= 0");
    enum store_err e = STORE_OK;
    struct mark_ref *refs = malloc((size_t)n * sizeof *refs);
    char *text = malloc((size_t)n * 21); /* an int64 and a comma each */
    if (!refs || !text) {
        free(refs);
        free(text);
        return store__fail(s, STORE_ENOMEM, "warn_mark: out of memory");
    }
    for (long i = 0; i < n; i++) {
        marked[i] = false;
        refs[i] = (struct mark_ref){ids[i], i};
        if (ids[i] <= 0)
            e = STORE_EINVAL;
    }
    qsort(refs, (size_t)n, sizeof *refs, mark_ref_cmp);
    size_t used = 0;
    for (long i = 0; i < n && e == STORE_OK; i++) {
        if (i && refs[i].id == refs[i - 1].id)
            e = STORE_EINVAL; /* the statement would meet its own row twice */
        used += (size_t)snprintf(text + used, (size_t)n * 21 - used, "%s%lld", i ? "," : "",
                                 (long long)refs[i].id);
    }
    if (e != STORE_OK)
        e = store__fail(s, e, "warn_mark: certificate ids > 0, each once");
    if (e == STORE_OK && (e = store__query(s, STORE__Q_WARN_MARK,
                                           STORE__A(VT(text), V(days), V(now)))) == STORE_OK) {
        while (store__next(s)) {
            const struct mark_ref key = {store__col_int(s, 0), 0};
            const struct mark_ref *r = bsearch(&key, refs, (size_t)n, sizeof *refs, mark_ref_cmp);
            if (r)
                marked[r->idx] = true;
        }
        e = store__finish(s, NULL);
    }
    if (e == STORE_ECONFLICT && s->err_fk)
        e = store__fail(s, STORE_ENOTFOUND, "no such certificate");
    for (long i = 0; e != STORE_OK && i < n; i++)
        marked[i] = false;
    free(refs);
    free(text);
    return e;
}

/* ---- reminders ---------------------------------------------------------------------------- */

enum store_err store_remind_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx)
{
    return store__app_page(s, STORE__Q_REMIND_DUE, before, after_id, limit, fn, ctx);
}

enum store_err store_remind_mark(struct store *s, int64_t application_id, const char *state,
                                 int64_t now, bool *inserted)
{
    STORE__ENTRY(s, application_id <= 0 || !state || !*state || strlen(state) > 24,
                 "remind_mark: an application and its state");
    return store__did(s, STORE__Q_REMIND_MARK, STORE__A(V(application_id), VT(state), V(now)),
                      inserted);
}

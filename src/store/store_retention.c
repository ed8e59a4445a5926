/* eimza — the retention of personal data in the store (store.h, "retention"; issue 18).
 * Counting is one catalogue statement per kind; changing runs in batches, each a transaction of
 * its own: a statement of at most RET_BATCH rows, or RET_APPS applications (or certificates)
 * picked, locked and changed together with the audit entries about them. The rows of a batch
 * travel to the statements that change them as a JSON array (store_queries.h,
 * STORE__RET_INTS and STORE__RET_TEXTS). */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define RET_BATCH    500         /* rows changed by one statement */
#define RET_APPS     200         /* applications (certificates, cards) changed in one transaction */
#define RET_YEAR     31622400    /* seconds in 366 days */
#define RET_LIST_MAX (16u << 20) /* a batch's rows as JSON: the audit entries of RET_APPS */

/* The entry of every kind: a count to give (zeroed), no transaction open. */
#define RET_ENTRY(s, n)                                                                            \
    do {                                                                                           \
        STORE__ENTRY(s, !(n), "retention: missing argument");                                      \
        STORE__REFUSE(s, s->in_tx || s->in_read, "retention: not inside a transaction");           \
        *(n) = 0;                                                                                  \
    } while (0)

/* Runs q (whose last parameter is the batch size) until a batch changes fewer rows. */
static enum store_err ret_batches(struct store *s, enum store__q q, int64_t arg, long *n)
{
    for (;;) {
        const struct store__val a[] = {store__vi(arg), store__vi(RET_BATCH)};
        long changed = 0;
        enum store_err e = store__exec(s, q, a, 2, &changed);
        if (e != STORE_OK)
            return e;
        *n += changed;
        if (changed < RET_BATCH)
            return STORE_OK;
    }
}

/* Ends a batch's own transaction (store_tx_begin: the audit entries appended in it join it); a
 * failure rolls back and keeps its message. */
static enum store_err ret_end(struct store *s, enum store_err e)
{
    if (e == STORE_OK)
        return store_tx_commit(s);
    char why[STORE_ERR_MAX];
    snprintf(why, sizeof why, "%s", s->err);
    store_tx_rollback(s);
    snprintf(s->err, sizeof s->err, "%s", why);
    return e;
}

/* ---- a batch's rows as a JSON array ---------------------------------------------------------- */

struct ret_list {
    struct ubuf b;
    long n;
};

static void list_init(struct ret_list *l)
{
    ubuf_init(&l->b, RET_LIST_MAX);
    l->n = 0;
}

static void list_reset(struct ret_list *l)
{
    ubuf_reset(&l->b);
    l->n = 0;
}

static int list_int(struct ret_list *l, int64_t v)
{
    return ubuf_printf(&l->b, "%s%lld", l->n++ ? "," : "[", (long long)v);
}

/* A text of the store's own making (an application number, a T.C. Kimlik No): letters, digits
 * and '-' only, so it needs no escaping; anything else is refused. */
static int list_text(struct ret_list *l, const char *t)
{
    if (!t || !*t ||
        strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != strlen(t))
        return -1;
    return ubuf_printf(&l->b, "%s\"%s\"", l->n++ ? "," : "[", t);
}

/* The array, closed ("[]" when empty); NULL when out of room. */
static const char *list_str(struct ret_list *l)
{
    if (!l->n && ubuf_putc(&l->b, '[') < 0)
        return NULL;
    if (ubuf_putc(&l->b, ']') < 0)
        return NULL;
    return ubuf_str(&l->b);
}

/* Runs each statement of steps with the list as its only parameter. */
static enum store_err ret_each(struct store *s, const enum store__q *steps, size_t nsteps,
                               const char *list)
{
    const struct store__val a[] = {store__vt(list)};
    enum store_err e = STORE_OK;
    for (size_t i = 0; e == STORE_OK && i < nsteps; i++)
        e = store__exec(s, steps[i], a, 1, NULL);
    return e;
}

/* ---- audit entries anonymised (store.h) ---------------------------------------------------- */

/* Audit entries being anonymised in the caller's transaction: ret_anon_mark picks them (with
 * pick and its arguments), checks each against its own hash (an entry that no longer matches
 * is not anonymised, which would hide the change: the run fails naming it), rewrites them and
 * reads them back into the digest; ret_anon_seal appends the "audit.anonymised" entry of actor
 * at now that vouches for them and names it in each. The voucher comes last in a transaction:
 * the audit log's lock (an advisory lock on PostgreSQL) is then the last lock it takes, so it
 * never waits for a row while holding it. */
struct ret_anon {
    struct ret_list seqs;
    const char *list; /* seqs as a JSON array once marked */
    char d[STORE_AUDIT_HASH_LEN + 1];
};

static enum store_err ret_anon_mark(struct store *s, enum store__q pick, const struct store__val *a,
                                    int na, struct ret_anon *x)
{
    struct store_audit_record r;
    char h[STORE_AUDIT_HASH_LEN + 1];
    int64_t bad = 0;
    long back = 0;
    list_reset(&x->seqs);
    x->list = NULL;
    x->d[0] = '\0';
    enum store_err e = store__query(s, pick, a, na);
    while (e == STORE_OK && store__fetch(s, &store__audit, 0, &r) > 0) {
        if (!bad && (store_audit_hash(r.seq, r.prev_hash, &r.e, h) != 0 || !r.hash ||
                     strcmp(h, r.hash) != 0))
            bad = r.seq;
        if (list_int(&x->seqs, r.seq) < 0)
            s->q_err = store__fail(s, STORE_ENOMEM, "retention: too many audit entries at once");
    }
    if (e == STORE_OK)
        e = store__finish(s, NULL);
    if (e == STORE_OK && bad)
        e = store__fail(s, STORE_EIO,
                        "audit entry %lld no longer matches its hash, so it was not anonymised: "
                        "see eimza audit verify",
                        (long long)bad);
    if (e != STORE_OK || x->seqs.n == 0)
        return e;
    if (!(x->list = list_str(&x->seqs)))
        return store__fail(s, STORE_ENOMEM, "retention: too many audit entries at once");
    const struct store__val m[] = {store__vt(x->list), store__vt("{}")};
    if ((e = store__exec(s, STORE__Q_RET_A_MARK, m, 2, NULL)) != STORE_OK ||
        (e = store__query(s, STORE__Q_RET_A_MARKED, m, 1)) != STORE_OK)
        return e;
    while (store__fetch(s, &store__audit, 0, &r) > 0) {
        if (store_audit_digest_add(x->d, &r) != 0)
            s->q_err = store__fail(s, STORE_ENOMEM, "retention: hashing an audit entry failed");
        back++;
    }
    if ((e = store__finish(s, NULL)) == STORE_OK && back != x->seqs.n)
        e = store__fail(s, STORE_EIO, "retention: audit entries changed while being anonymised");
    return e;
}

static enum store_err ret_anon_seal(struct store *s, const struct ret_anon *x, const char *actor,
                                    int64_t now, long *n)
{
    char detail[128];
    int64_t by = 0;
    *n = 0;
    if (x->seqs.n == 0)
        return STORE_OK;
    snprintf(detail, sizeof detail, "{\"entries\":%ld,\"digest\":\"%s\"}", x->seqs.n, x->d);
    const struct store_audit_entry v = {.at = now,
                                        .actor = actor,
                                        .action = STORE_AUDIT_ANONYMISED,
                                        .object = "",
                                        .detail = detail};
    enum store_err e = store__audit_append(s, &v, &by);
    const struct store__val sa[] = {store__vt(x->list), store__vi(by)};
    if (e == STORE_OK && (e = store__exec(s, STORE__Q_RET_A_SEAL, sa, 2, NULL)) == STORE_OK)
        *n = x->seqs.n;
    return e;
}

/* ---- the kinds ------------------------------------------------------------------------------ */

enum store_err store_retention_expired(struct store *s, int64_t now, int64_t idle,
                                       int64_t windows_before, long *sessions, long *captchas,
                                       long *windows)
{
    RET_ENTRY(s, sessions);
    STORE__REFUSE(s, !captchas || !windows, "retention: missing argument");
    const struct store__val a[] = {store__vi(now), store__vi(idle)};
    const struct store__val w[] = {store__vi(windows_before)};
    enum store_err e;
    if ((e = store__count(s, STORE__Q_RET_SESSIONS_N, a, 2, sessions)) == STORE_OK &&
        (e = store__count(s, STORE__Q_RET_CAPTCHAS_N, a, 1, captchas)) == STORE_OK)
        e = store__count(s, STORE__Q_RET_RATES_N, w, 1, windows);
    return e;
}

enum store_err store_retention_tickets(struct store *s, int64_t before, bool dry, long *n)
{
    RET_ENTRY(s, n);
    if (dry)
        return store__count(s, STORE__Q_RET_TICKETS_N, STORE__A(store__vi(before)), n);
    return ret_batches(s, STORE__Q_RET_TICKETS, before, n);
}

enum store_err store_retention_codes(struct store *s, int64_t now, bool dry, long *n)
{
    RET_ENTRY(s, n);
    if (dry)
        return store__count(s, STORE__Q_RET_CODES_N, STORE__A(store__vi(now)), n);
    enum store_err e = ret_batches(s, STORE__Q_RET_CODES, now, n);
    return e ? e : ret_batches(s, STORE__Q_RET_PIN_CODES, now, n);
}

enum store_err store_retention_messages(struct store *s, int64_t before, bool dry, long *n)
{
    RET_ENTRY(s, n);
    if (dry)
        return store__count(s, STORE__Q_RET_MSG_N, STORE__A(store__vi(before)), n);
    return ret_batches(s, STORE__Q_RET_MSG, before, n);
}

/* Picks up to RET_APPS applications with pick (args a, na; it reads id and number) into ids
 * and numbers. */
static enum store_err ret_pick(struct store *s, enum store__q pick, const struct store__val *a,
                               int na, struct ret_list *ids, struct ret_list *numbers)
{
    list_reset(ids);
    if (numbers)
        list_reset(numbers);
    enum store_err e = store__query(s, pick, a, na);
    while (e == STORE_OK && store__next(s) > 0)
        if (list_int(ids, store__col_int(s, 0)) < 0 ||
            (numbers && list_text(numbers, store__col_str(s, 1)) < 0))
            s->q_err = store__fail(s, STORE_EIO, "retention: an unexpected application number");
    return e == STORE_OK ? store__finish(s, NULL) : e;
}

enum store_err store_retention_contact(struct store *s, int64_t before, int64_t now, bool dry,
                                       long *n)
{
    RET_ENTRY(s, n);
    enum store_err e = STORE_OK;
    const struct store__val a[] = {store__vi(before), store__vi(RET_APPS)};
    if (dry)
        return store__count(s, STORE__Q_RET_CONTACT_N, a, 1, n);
    static const enum store__q steps[] = {STORE__Q_RET_CONTACT_CARDS, STORE__Q_RET_CONTACT_PINS};
    struct ret_list ids;
    list_init(&ids);
    for (long got = RET_APPS; e == STORE_OK && got == RET_APPS;) {
        const char *list;
        if ((e = store_tx_begin(s)) != STORE_OK)
            break;
        e = ret_pick(s, STORE__Q_RET_CONTACT_PICK, a, 2, &ids, NULL);
        got = ids.n;
        if (e == STORE_OK && got) {
            if (!(list = list_str(&ids)))
                e = store__fail(s, STORE_ENOMEM, "retention: out of memory");
            const struct store__val u[] = {store__vt(list), store__vi(now)};
            if (e == STORE_OK &&
                (e = store__exec(s, STORE__Q_RET_CONTACT_APPS, u, 2, NULL)) == STORE_OK)
                e = ret_each(s, steps, sizeof steps / sizeof steps[0], list);
        }
        if ((e = ret_end(s, e)) == STORE_OK)
            *n += got;
    }
    ubuf_free(&ids.b);
    if (*n)
        store__gen_all(s); /* kept status answers may show what is gone */
    return e;
}

/* Removes the applications pick finds (args a, na), RET_APPS to a transaction with the audit
 * entries about them. */
static enum store_err ret_remove(struct store *s, enum store__q pick, const struct store__val *a,
                                 int na, const char *actor, int64_t now, long *n, long *audit)
{
    static const enum store__q steps[] = {STORE__Q_RET_DEL_REMINDERS,  STORE__Q_RET_DEL_DECISIONS,
                                          STORE__Q_RET_DEL_SIGNATURES, STORE__Q_RET_DEL_REVOCATIONS,
                                          STORE__Q_RET_DEL_PINS,       STORE__Q_RET_DEL_CARDS,
                                          STORE__Q_RET_DEL_SESSIONS,   STORE__Q_RET_DEL_APPS};
    struct ret_list ids, numbers;
    struct ret_anon x;
    enum store_err e = STORE_OK;
    list_init(&ids);
    list_init(&numbers);
    list_init(&x.seqs);
    for (long got = RET_APPS; e == STORE_OK && got == RET_APPS;) {
        long entries = 0;
        const char *il, *nl;
        if ((e = store_tx_begin(s)) != STORE_OK)
            break;
        e = ret_pick(s, pick, a, na, &ids, &numbers);
        got = ids.n;
        if (e == STORE_OK && got) {
            if (!(il = list_str(&ids)) || !(nl = list_str(&numbers)))
                e = store__fail(s, STORE_ENOMEM, "retention: out of memory");
            else {
                const struct store__val o[] = {store__vt(nl)};
                if ((e = ret_anon_mark(s, STORE__Q_RET_A_OBJECTS, o, 1, &x)) == STORE_OK &&
                    (e = ret_each(s, steps, sizeof steps / sizeof steps[0], il)) == STORE_OK)
                    e = ret_anon_seal(s, &x, actor, now, &entries);
            }
        }
        if ((e = ret_end(s, e)) == STORE_OK) {
            *n += got;
            if (audit)
                *audit += entries;
        }
    }
    ubuf_free(&ids.b);
    ubuf_free(&numbers.b);
    ubuf_free(&x.seqs.b);
    if (*n)
        store__gen_all(s);
    return e;
}

enum store_err store_retention_drafts(struct store *s, int64_t before, int64_t now,
                                      const char *actor, bool dry, long *n, long *audit)
{
    RET_ENTRY(s, n);
    enum store_err e = STORE_OK;
    STORE__REFUSE(s, !actor || !*actor, "retention: no actor");
    long none;
    if (!audit)
        audit = &none;
    *audit = 0;
    const struct store__val a[] = {store__vi(before), store__vi(RET_APPS)};
    if (dry) {
        if ((e = store__count(s, STORE__Q_RET_DRAFT_N, a, 1, n)) == STORE_OK)
            e = store__count(s, STORE__Q_RET_DRAFT_AUDIT_N, a, 1, audit);
        return e;
    }
    return ret_remove(s, STORE__Q_RET_DRAFT_PICK, a, 2, actor, now, n, audit);
}

enum store_err store_retention_evidence(struct store *s, int64_t now, int years, const char *actor,
                                        bool dry, long *n, long *audit)
{
    RET_ENTRY(s, n);
    enum store_err e = STORE_OK;
    STORE__REFUSE(s, years < 1, "retention: evidence is kept at least a year");
    STORE__REFUSE(s, !actor || !*actor, "retention: no actor");
    long none;
    if (!audit)
        audit = &none;
    *audit = 0;
    /* the shortest validity is a year: nothing closed later than this can be due */
    const int64_t latest = now - (int64_t)(1 + 1 + years) * RET_YEAR;
    const struct store__val a[] = {store__vi(now), store__vi(years), store__vi(latest),
                                   store__vi(RET_APPS)};
    if (dry) {
        if ((e = store__count(s, STORE__Q_RET_EVIDENCE_N, a, 3, n)) == STORE_OK)
            e = store__count(s, STORE__Q_RET_EVIDENCE_AUDIT_N, a, 3, audit);
        return e;
    }
    return ret_remove(s, STORE__Q_RET_EVIDENCE_PICK, a, 4, actor, now, n, audit);
}

enum store_err store_retention_logins(struct store *s, int64_t before, int64_t now,
                                      const char *actor, bool dry, long *n)
{
    RET_ENTRY(s, n);
    enum store_err e = STORE_OK;
    STORE__REFUSE(s, !actor || !*actor, "retention: no actor");
    const struct store__val a[] = {store__vi(before), store__vi(RET_BATCH)};
    if (dry)
        return store__count(s, STORE__Q_RET_A_LOGINS_N, a, 1, n);
    struct ret_anon x;
    list_init(&x.seqs);
    for (long got = RET_BATCH; e == STORE_OK && got == RET_BATCH;) {
        if ((e = store_tx_begin(s)) != STORE_OK)
            break;
        if ((e = ret_anon_mark(s, STORE__Q_RET_A_LOGINS, a, 2, &x)) == STORE_OK)
            e = ret_anon_seal(s, &x, actor, now, &got);
        if ((e = ret_end(s, e)) == STORE_OK)
            *n += got;
    }
    ubuf_free(&x.seqs.b);
    return e;
}

enum store_err store_retention_certificates(struct store *s, int64_t now, int years, bool dry,
                                            long *n)
{
    RET_ENTRY(s, n);
    enum store_err e = STORE_OK;
    STORE__REFUSE(s, years < 1, "retention: evidence is kept at least a year");
    const int64_t ended = now - (int64_t)years * RET_YEAR;
    const struct store__val lost[] = {
        store__vi(ended), store__vi(now - (int64_t)(years + 4) * RET_YEAR), store__vi(RET_APPS)};
    const struct store__val certs[] = {store__vi(ended), store__vi(RET_APPS)};
    if (dry) {
        long c = 0;
        if ((e = store__count(s, STORE__Q_RET_LOST_N, lost, 2, n)) == STORE_OK &&
            (e = store__count(s, STORE__Q_RET_CERT_N, certs, 1, &c)) == STORE_OK)
            *n += c;
        return e;
    }
    static const enum store__q card_steps[] = {STORE__Q_RET_LOST_PINS, STORE__Q_RET_LOST_DEL};
    static const enum store__q cert_steps[] = {STORE__Q_RET_CERT_WARNINGS, STORE__Q_RET_CERT_DEL};
    struct ret_list ids, holders;
    list_init(&ids);
    list_init(&holders);
    /* the cards first: a certificate only they named goes in the same run */
    for (int kind = 0; kind < 2 && e == STORE_OK; kind++) {
        for (long got = RET_APPS; e == STORE_OK && got == RET_APPS;) {
            const char *il, *hl = NULL;
            if ((e = store_tx_begin(s)) != STORE_OK)
                break;
            e = kind == 0 ? ret_pick(s, STORE__Q_RET_LOST_PICK, lost, 3, &ids, NULL)
                          : ret_pick(s, STORE__Q_RET_CERT_PICK, certs, 2, &ids, &holders);
            got = ids.n;
            if (e == STORE_OK && got) {
                if (!(il = list_str(&ids)) || (kind == 1 && !(hl = list_str(&holders))))
                    e = store__fail(s, STORE_ENOMEM, "retention: out of memory");
                else
                    e = kind == 0 ? ret_each(s, card_steps, 2, il) : ret_each(s, cert_steps, 2, il);
                const struct store__val h[] = {store__vt(hl)};
                if (e == STORE_OK && kind == 1)
                    e = store__exec(s, STORE__Q_RET_CHAINS, h, 1, NULL);
            }
            if ((e = ret_end(s, e)) == STORE_OK)
                *n += got;
        }
    }
    ubuf_free(&ids.b);
    ubuf_free(&holders.b);
    return e;
}

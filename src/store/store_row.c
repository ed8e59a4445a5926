/* eimza — the column tables: for every row type the store keeps, its SQL columns in order, each
 * with the record field it comes from and how it is stored. The catalogue's {cols T} lists
 * are made from them, and binding a record to a statement or reading one back is one loop
 * over them (store__row_bind, store__read), the same for every type and every database. A new
 * column is one line here (and a migration). */
#include "store/store_int.h"

#include <stddef.h>

#include "core/date.h"
#include "core/personnel.h"

#define COLUMN(T, f, name, type, key)                                                              \
    {                                                                                              \
        name, type, (unsigned short)offsetof(T, f), (unsigned short)sizeof(((T *)0)->f), key       \
    }
#define ROW(var, nm, tbl, wh, T, clr)                                                              \
    const struct store__row var = {                                                                \
        nm, tbl, wh, var##_cols, sizeof var##_cols / sizeof var##_cols[0], sizeof(T), clr};        \
    _Static_assert(sizeof(T) <= STORE__ROW_MAX, "a record larger than store__get reads")

/* ---- personnel (core/personnel.h) */
#define P(f, t) COLUMN(struct core_personnel, f, #f, t, false)
static const struct store__col store__personnel_cols[] = {
    COLUMN(struct core_personnel, tckn, "tckn", STORE__TEXT, true),
    P(first_name, STORE__TEXT),
    P(last_name, STORE__TEXT),
    P(birth_place, STORE__TEXT),
    P(birth_date, STORE__DATE),
    P(institution_code, STORE__TEXT),
    P(institution_name, STORE__TEXT),
    P(province, STORE__INT),
    P(district, STORE__TEXT),
    P(unit, STORE__TEXT),
    P(title, STORE__TEXT),
    P(duty, STORE__DUTY),
    P(assignment_end, STORE__DATE),
    P(entitled, STORE__BOOL),
    P(email, STORE__TEXT),
    P(mobile_phone, STORE__TEXT),
    P(registry_no, STORE__TEXT),
};
static void personnel_clear(void *p)
{
    core_personnel_clear(p);
}
ROW(store__personnel, "personnel", "personnel", "personnel record", struct core_personnel,
    personnel_clear);

/* ---- certificates (core/certificate.h); revoked_at 0 is "not revoked" (NULL) */
#define C(f, t) COLUMN(struct core_certificate, f, #f, t, false)
static const struct store__col store__cert_cols[] = {
    COLUMN(struct core_certificate, fingerprint, "fingerprint", STORE__TEXT, true),
    C(tckn, STORE__TEXT),
    C(subject_name, STORE__TEXT),
    C(subject, STORE__TEXT),
    C(serial, STORE__TEXT),
    C(issuer, STORE__TEXT),
    C(not_before, STORE__I64),
    C(not_after, STORE__I64),
    C(policies, STORE__TEXT),
    C(revoked_at, STORE__I64Z),
};
ROW(store__cert, "cert", "certificates", "certificate", struct core_certificate, NULL);

/* ---- applications: the key columns are never changed by store_app_update */
#define A(f, t)    COLUMN(struct store_application, f, #f, t, false)
#define AKEY(f, t) COLUMN(struct store_application, f, #f, t, true)
static const struct store__col store__app_cols[] = {
    AKEY(number, STORE__TEXT),
    AKEY(tckn, STORE__TEXT),
    A(state, STORE__TEXT),
    A(confirmed, STORE__BOOL),
    A(confirmed_at, STORE__I64),
    A(first_name, STORE__TEXT),
    A(last_name, STORE__TEXT),
    A(birth_place, STORE__TEXT),
    A(birth_date, STORE__TEXT),
    A(institution_name, STORE__TEXT),
    A(registry_no, STORE__TEXT),
    A(reason, STORE__TEXT),
    A(card_reader, STORE__TEXT),
    A(validity_years, STORE__INT),
    A(security_word_hash, STORE__TEXT),
    A(unit, STORE__TEXT),
    A(title, STORE__TEXT),
    A(address, STORE__TEXT),
    A(province, STORE__INT),
    A(district, STORE__TEXT),
    A(postal_code, STORE__TEXT),
    A(email, STORE__TEXT),
    A(work_phone, STORE__TEXT),
    A(work_phone_ext, STORE__TEXT),
    A(mobile_phone, STORE__TEXT),
    A(mobile_operator, STORE__TEXT),
    A(home_phone, STORE__TEXT),
    A(notify_by, STORE__TEXT),
    A(method, STORE__TEXT),
    A(late, STORE__BOOL),
    A(cert_not_after, STORE__I64),
    AKEY(created_at, STORE__I64),
    A(updated_at, STORE__I64),
    A(approved_at, STORE__I64),
    A(closed_reason, STORE__TEXT),
    A(batch_id, STORE__I64Z),
    A(new_cert_id, STORE__I64Z),
};
ROW(store__app, "app", "applications", "application", struct store_application, NULL);

/* ---- the application as the status read brings it (store_status_read): what the status
 * shows and decides on, none of the form's personal data (names, contact details, the
 * security word's hash). Read into a store_application whose other fields stay zero (and
 * each text column SQLite reads is a copy of its own in the statement). */
static const struct store__col store__app_status_cols[] = {
    AKEY(number, STORE__TEXT),     AKEY(tckn, STORE__TEXT),     A(state, STORE__TEXT),
    A(confirmed, STORE__BOOL),     A(method, STORE__TEXT),      A(late, STORE__BOOL),
    AKEY(created_at, STORE__I64),  A(updated_at, STORE__I64),   A(approved_at, STORE__I64),
    A(closed_reason, STORE__TEXT), A(new_cert_id, STORE__I64Z), A(reason, STORE__TEXT),
};
ROW(store__app_status, "app_status", "applications", "application", struct store_application, NULL);

/* ---- sessions: application_id 0 is "none bound" (NULL) */
#define S(f, t) COLUMN(struct store_session, f, #f, t, false)
static const struct store__col store__session_cols[] = {
    COLUMN(struct store_session, token_hash, "token_hash", STORE__TEXT, true),
    S(kind, STORE__TEXT),
    S(subject, STORE__TEXT),
    S(csrf, STORE__TEXT),
    S(created_at, STORE__I64),
    S(last_seen, STORE__I64),
    S(expires_at, STORE__I64),
    S(application_id, STORE__I64Z),
};
ROW(store__session, "session", "sessions", "session", struct store_session, NULL);

static const struct store__col store__captcha_cols[] = {
    COLUMN(struct store_captcha, id, "id", STORE__TEXT, true),
    COLUMN(struct store_captcha, answer, "answer", STORE__TEXT, false),
    COLUMN(struct store_captcha, expires_at, "expires_at", STORE__I64, false),
    COLUMN(struct store_captcha, used, "used", STORE__BOOL, false),
};
ROW(store__captcha, "captcha", "captchas", "captcha", struct store_captcha, NULL);

/* ---- staff accounts: created_at is last, so that the update binds every column but it */
#define U(f, t) COLUMN(struct store_user, f, #f, t, false)
static const struct store__col store__user_cols[] = {
    COLUMN(struct store_user, username, "username", STORE__TEXT, true),
    U(role, STORE__TEXT),
    U(province, STORE__INT),
    U(password_hash, STORE__TEXT),
    U(totp_secret, STORE__TEXT),
    U(totp_enabled, STORE__BOOL),
    U(totp_last_step, STORE__I64),
    U(failed_count, STORE__INT),
    U(locked_until, STORE__I64),
    U(last_login_at, STORE__I64),
    U(disabled, STORE__BOOL),
    U(updated_at, STORE__I64),
    U(email, STORE__TEXT),
    COLUMN(struct store_user, created_at, "created_at", STORE__I64, true),
};
ROW(store__user, "user", "users", "user", struct store_user, NULL);

#define O(f, t) COLUMN(struct store_otp, f, #f, t, false)
static const struct store__col store__otp_cols[] = {
    COLUMN(struct store_otp, application_id, "application_id", STORE__I64, true),
    O(code_hash, STORE__TEXT),
    O(salt, STORE__TEXT),
    O(seq, STORE__INT),
    O(sent_at, STORE__I64),
    O(expires_at, STORE__I64),
    O(send_window_start, STORE__I64),
    O(sends_in_window, STORE__INT),
    O(wrong_window_start, STORE__I64),
    O(wrong_count, STORE__INT),
};
ROW(store__otp, "otp", "application_otp", "SMS code state", struct store_otp, NULL);

/* ---- the form's drafts (issue 17) */
static const struct store__col store__draft_cols[] = {
    COLUMN(struct store_form_draft, application_id, "application_id", STORE__I64, true),
    COLUMN(struct store_form_draft, form, "form", STORE__TEXT, false),
    COLUMN(struct store_form_draft, saved_at, "saved_at", STORE__I64, false),
};
ROW(store__draft, "draft", "application_drafts", "form draft", struct store_form_draft, NULL);

/* ---- records whose texts point into the row (they live during a callback only) */
#define E(f, n, t) COLUMN(struct store_app_event, f, n, t, false)
static const struct store__col store__event_cols[] = {
    E(at, "at", STORE__I64),       E(from, "from_state", STORE__STR), E(to, "to_state", STORE__STR),
    E(event, "event", STORE__STR), E(actor, "actor", STORE__STR),
};
ROW(store__event, "event", "application_events", "application event", struct store_app_event, NULL);

#define M(f, n, t) COLUMN(struct store_outbox_msg, f, n, t, false)
static const struct store__col store__outbox_cols[] = {
    M(id, "id", STORE__I64),
    M(channel, "channel", STORE__STR),
    M(recipient, "recipient", STORE__STR),
    M(subject, "subject", STORE__STR),
    M(body, "body", STORE__STR),
    M(dedupe_key, "dedupe_key", STORE__STR),
    M(status, "status", STORE__STR),
    M(created_at, "created_at", STORE__I64),
    M(attempts, "attempts", STORE__INT),
    M(tpl, "template", STORE__STR),
    M(params, "params", STORE__STR),
    M(secret, "secret", STORE__STR),
    M(secret_until, "secret_until", STORE__I64),
};
ROW(store__outbox, "outbox", "outbox", "outbox message", struct store_outbox_msg, NULL);

#define L(f, n, t) COLUMN(struct store_audit_record, f, n, t, false)
static const struct store__col store__audit_cols[] = {
    L(seq, "seq", STORE__I64),
    L(e.at, "at", STORE__I64),
    L(e.actor, "actor", STORE__STR),
    L(e.action, "action", STORE__STR),
    L(e.object, "object", STORE__STR),
    L(e.detail, "detail", STORE__STR),
    L(prev_hash, "prev_hash", STORE__STR),
    L(hash, "hash", STORE__STR),
    L(redacted_by, "redacted_by", STORE__I64),
};
ROW(store__audit, "audit", "audit_log", "audit entry", struct store_audit_record, NULL);

#define D(f, t) COLUMN(struct store_decision, f, #f, t, false)
static const struct store__col store__decision_cols[] = {
    D(application_id, STORE__I64), D(at, STORE__I64),    D(decision, STORE__STR),
    D(reason, STORE__STR),         D(staff, STORE__STR), D(personnel, STORE__STR),
    D(verdict, STORE__STR),
};
ROW(store__decision, "decision", "decisions", "decision", struct store_decision, NULL);

/* read only (OB_PROBLEMS computes some of them) */
#define X(f, t) COLUMN(struct store_outbox_problem, f, #f, t, false)
static const struct store__col store__problem_cols[] = {
    X(id, STORE__I64),         X(channel, STORE__STR),
    X(recipient, STORE__STR),  X(subject, STORE__STR),
    X(dedupe_key, STORE__STR), X(status, STORE__STR),
    X(last_error, STORE__STR), X(attempts, STORE__INT),
    X(created_at, STORE__I64), X(handed_over_at, STORE__I64),
    X(tpl, STORE__STR),        X(params, STORE__STR),
};
ROW(store__problem, "problem", "outbox", "outbox message", struct store_outbox_problem, NULL);

/* ---- after approval (schema version 7): cards (id is read apart, as an application's), the
 * bureau's batches, an in-house card's sealed PIN */
#define K(f, t) COLUMN(struct store_card, f, #f, t, false)
static const struct store__col store__card_cols[] = {
    K(tckn, STORE__TEXT),        K(application_id, STORE__I64Z),  K(certificate_id, STORE__I64Z),
    K(serial, STORE__TEXT),      K(source, STORE__TEXT),          K(state, STORE__TEXT),
    K(carrier, STORE__TEXT),     K(tracking_number, STORE__TEXT), K(note, STORE__TEXT),
    K(produced_at, STORE__I64),  K(shipped_at, STORE__I64),       K(delivered_at, STORE__I64),
    K(activated_at, STORE__I64), K(created_at, STORE__I64),       K(updated_at, STORE__I64),
};
ROW(store__card, "card", "cards", "card", struct store_card, NULL);

#define B(f, t) COLUMN(struct store_batch, f, #f, t, false)
static const struct store__col store__batch_cols[] = {
    B(id, STORE__I64),          B(province, STORE__INT),     B(created_at, STORE__I64),
    B(created_by, STORE__TEXT), B(applications, STORE__I64), B(revocations, STORE__I64),
};
ROW(store__batch, "batch", "production_batches", "production batch", struct store_batch, NULL);

#define N(f, t) COLUMN(struct store_card_pin, f, #f, t, false)
static const struct store__col store__pin_cols[] = {
    COLUMN(struct store_card_pin, card_id, "card_id", STORE__I64, true),
    N(sealed, STORE__TEXT),
    N(state, STORE__TEXT),
    N(word_ok_at, STORE__I64),
    N(code_hash, STORE__TEXT),
    N(code_salt, STORE__TEXT),
    N(code_sent_at, STORE__I64),
    N(code_expires_at, STORE__I64),
    N(codes_sent, STORE__INT),
    N(wrong_window_start, STORE__I64),
    N(wrong_count, STORE__INT),
    N(created_at, STORE__I64),
    N(shown_at, STORE__I64),
    N(word_waived_by, STORE__TEXT),
    N(word_waived_at, STORE__I64),
    N(word_waived_until, STORE__I64),
    N(word_waived_note, STORE__TEXT),
};
ROW(store__pin, "pin", "card_pins", "card PIN", struct store_card_pin, NULL);

/* ---- signing tickets (the relay path): the key columns are never changed by a move */
#undef K
#define K(f, t)    COLUMN(struct store_ticket, f, #f, t, false)
#define KKEY(f, t) COLUMN(struct store_ticket, f, #f, t, true)
static const struct store__col store__ticket_cols[] = {
    KKEY(ticket_hash, STORE__TEXT),   KKEY(session_hash, STORE__TEXT),
    KKEY(application_id, STORE__I64), K(state, STORE__TEXT),
    KKEY(created_at, STORE__I64),     K(expires_at, STORE__I64),
    K(claim_hash, STORE__TEXT),       K(claimed_at, STORE__I64),
    K(claim_expires_at, STORE__I64),  K(ended_at, STORE__I64),
    K(error_code, STORE__TEXT),       K(agent_version, STORE__TEXT),
};
ROW(store__ticket, "ticket", "sign_tickets", "signing ticket", struct store_ticket, NULL);

static const struct store__row *const rows[] = {
    &store__personnel, &store__cert,       &store__app,   &store__session, &store__captcha,
    &store__user,      &store__otp,        &store__event, &store__outbox,  &store__audit,
    &store__decision,  &store__problem,    &store__card,  &store__batch,   &store__pin,
    &store__ticket,    &store__app_status, &store__draft,
};

const struct store__row *store__row_named(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strlen(rows[i]->name) == len && !memcmp(rows[i]->name, name, len))
            return rows[i];
    return NULL;
}

/* ---- binding and reading ---------------------------------------------------------------- */

int store__row_bind(const struct store__row *r, const void *rec, struct store__val *v)
{
    const char *base = rec;
    for (size_t i = 0; i < r->ncols; i++) {
        const struct store__col *c = &r->cols[i];
        const void *f = base + c->off;
        int iv;
        int32_t dv;
        int64_t lv;
        bool bv;
        const char *sv;
        switch (c->type) {
        case STORE__TEXT:
            if (!store__text_ok(f, c->size, false))
                return -1;
            v[i] = store__vt(f);
            break;
        case STORE__STR:
            memcpy(&sv, f, sizeof sv);
            v[i] = store__vt(sv);
            break;
        case STORE__INT:
            memcpy(&iv, f, sizeof iv);
            v[i] = store__vi(iv);
            break;
        case STORE__I64:
        case STORE__I64Z:
            memcpy(&lv, f, sizeof lv);
            v[i] = c->type == STORE__I64Z && lv == 0 ? store__vt(NULL) : store__vi(lv);
            break;
        case STORE__BOOL:
            memcpy(&bv, f, sizeof bv);
            v[i] = store__vb(bv);
            break;
        case STORE__DATE:
            memcpy(&dv, f, sizeof dv);
            v[i] = dv == CORE_DATE_NONE ? store__vt(NULL)
                                        : (struct store__val){STORE__V_DATE, dv, NULL, 0};
            break;
        case STORE__DUTY: {
            enum core_duty d;
            memcpy(&d, f, sizeof d);
            v[i] = store__vt(core_duty_code(d)); /* an unknown one goes in as NULL: refused */
            break;
        }
        }
    }
    return 0;
}

int store__read(struct store *s, const struct store__row *r, int col0, void *rec)
{
    char *base = rec;
    if (r->clear)
        r->clear(rec);
    else
        memset(rec, 0, r->size);
    for (size_t i = 0; i < r->ncols; i++) {
        const struct store__col *c = &r->cols[i];
        void *f = base + c->off;
        const int col = col0 + (int)i;
        const bool text = c->type == STORE__TEXT || c->type == STORE__STR ||
                          c->type == STORE__DATE || c->type == STORE__DUTY;
        struct store__val v;
        if (s->ops->col(s, col, text ? STORE__V_TEXT : STORE__V_INT, &v) < 0) {
            s->q_err = store__fail(s, STORE_ENOMEM, "reading a %s", r->what);
            return -1;
        }
        const bool null = v.t == STORE__V_NULL;
        int bad = 0;
        int iv = (int)v.i;
        bool bv = v.i != 0;
        int32_t dv = CORE_DATE_NONE;
        const char *sv = null ? NULL : v.p;
        switch (c->type) {
        case STORE__TEXT:
            if (null)
                ((char *)f)[0] = '\0';
            else if (v.n < c->size)
                memcpy(f, v.p, v.n), ((char *)f)[v.n] = '\0';
            else
                bad = 1;
            break;
        case STORE__STR:
            memcpy(f, &sv, sizeof sv);
            break;
        case STORE__INT:
            memcpy(f, &iv, sizeof iv);
            break;
        case STORE__I64:
        case STORE__I64Z:
            memcpy(f, &v.i, sizeof v.i);
            break;
        case STORE__BOOL:
            memcpy(f, &bv, sizeof bv);
            break;
        case STORE__DATE:
            bad = !null && core_date_parse(v.p, v.n, &dv) != 0;
            memcpy(f, &dv, sizeof dv);
            break;
        case STORE__DUTY: {
            enum core_duty d;
            bad = null || core_duty_parse(v.p, v.n, &d) != 0;
            if (!bad)
                memcpy(f, &d, sizeof d);
            break;
        }
        }
        if (bad) {
            /* a database edited by hand, or by a newer eimza with longer fields */
            s->q_err =
                store__fail(s, STORE_EIO, "a stored %s does not fit the record type", r->what);
            return -1;
        }
    }
    return 0;
}

enum store_err store__app_rows(struct store *s, enum store__q q, const struct store__val *v, int n,
                               int (*fn)(void *ctx, const struct store_application *a,
                                         const struct core_personnel *p),
                               void *ctx)
{
    const int pcol = 1 + (int)store__app.ncols;
    struct store_application a;
    struct core_personnel p;
    store__query(s, q, v, n);
    while (store__next(s) && store__read(s, &store__app, 1, &a) == 0) {
        bool has_p = !store__isnull(s, pcol);
        a.id = store__col_int(s, 0);
        if ((has_p && store__read(s, &store__personnel, pcol, &p) < 0) ||
            fn(ctx, &a, has_p ? &p : NULL) != 0)
            break;
    }
    return store__finish(s, NULL);
}

enum store_err store__app_page(struct store *s, enum store__q q, int64_t before, int64_t after_id,
                               long limit,
                               int (*fn)(void *ctx, const struct store_application *a,
                                         const struct core_personnel *p),
                               void *ctx)
{
    STORE__ENTRY(s, !fn || limit < 1, "%s: a callback and a limit >= 1", store__what(q));
    return store__app_rows(s, q, STORE__A(store__vi(before), store__vi(after_id), store__vi(limit)),
                           fn, ctx);
}

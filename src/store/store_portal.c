/* eimza — the applicant portal's storage (store.h, schema 2 and the outbox): captchas,
 * sessions, rate limits, applications with their timeline and SMS code state, the status
 * page's one-statement read, and the outbox with its delivery. Each function checks its
 * arguments, then runs catalogue statements (store_queries.h) through the generic cursor. */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* ---- captchas ----------------------------------------------------------------------------- */

enum store_err store_captcha_put(struct store *s, const struct store_captcha *c)
{
    STORE__ENTRY(s, !c || !STORE__TEXT_OK(c->id, true) || !STORE__TEXT_OK(c->answer, true),
                 "captcha_put: id and answer are required");
    struct store_captcha n = *c;
    struct store__val a[STORE__MAXARGS];
    n.used = false; /* a new one */
    store__row_bind(&store__captcha, &n, a);
    return store__exec(s, STORE__Q_CAP_PUT, a, (int)store__captcha.ncols, NULL);
}

static enum store_err captcha_get(struct store *s, const char *id, enum store__q q,
                                  struct store_captcha *out)
{
    STORE__ENTRY(s, !id || !out, "captcha: missing argument");
    if (!*id || strlen(id) >= STORE_CAPTCHA_ID_MAX)
        return store__fail(s, STORE_ENOTFOUND, "no such captcha");
    return store__get(s, q, STORE__A(VT(id)), &store__captcha, 0, out);
}

enum store_err store_captcha_get(struct store *s, const char *id, struct store_captcha *out)
{
    return captcha_get(s, id, STORE__Q_CAP_GET, out);
}

enum store_err store_captcha_take(struct store *s, const char *id, struct store_captcha *out)
{
    return captcha_get(s, id, STORE__Q_CAP_TAKE, out);
}

/* A statement that deletes what is older than its parameters; *n (may be NULL) gets how many. */
static enum store_err purge(struct store *s, enum store__q q, int64_t a0, int64_t a1, int na,
                            long *n)
{
    STORE__READY(s);
    long tmp = 0;
    enum store_err e = store__exec(s, q, (const struct store__val[]){V(a0), V(a1)}, na, &tmp);
    if (e == STORE_OK && n)
        *n = tmp;
    return e;
}

enum store_err store_captcha_purge(struct store *s, int64_t before, long *n)
{
    return purge(s, STORE__Q_CAP_PURGE, before, 0, 1, n);
}

/* ---- sessions ----------------------------------------------------------------------------- */

/* The entry of a function on one session: the token hash is SHA-256 hex. */
#define SESSION_ENTRY(s, h)                                                                        \
    STORE__ENTRY(s, !(h) || !store__is_hash(h), "session: the token hash is not SHA-256 hex")

enum store_err store_session_put(struct store *s, const struct store_session *ss)
{
    SESSION_ENTRY(s, ss ? ss->token_hash : NULL);
    STORE__REFUSE(s, strcmp(ss->kind, "applicant") && strcmp(ss->kind, "staff"),
                  "session_put: kind is applicant or staff");
    struct store__val a[STORE__MAXARGS];
    STORE__REFUSE(s,
                  !STORE__TEXT_OK(ss->subject, true) || !STORE__TEXT_OK(ss->csrf, true) ||
                      store__row_bind(&store__session, ss, a) < 0,
                  "session_put: subject and csrf are required");
    enum store_err e = store__exec(s, STORE__Q_S_PUT, a, (int)store__session.ncols, NULL);
    store__gen_session(s, ss->token_hash);
    return e;
}

enum store_err store_session_get(struct store *s, const char *token_hash, struct store_session *out)
{
    SESSION_ENTRY(s, token_hash);
    STORE__REFUSE(s, !out, "session_get: missing argument");
    return store__get(s, STORE__Q_S_GET, STORE__A(VT(token_hash)), &store__session, 0, out);
}

/* Touch, bind or delete (q): a session that is not there is STORE_ENOTFOUND but for a delete. */
static enum store_err session_set(struct store *s, const char *token_hash, enum store__q q,
                                  int64_t v)
{
    SESSION_ENTRY(s, token_hash);
    const struct store__val a[] = {VT(token_hash), V(v)};
    enum store_err e = q == STORE__Q_S_DELETE ? store__exec(s, q, a, 1, NULL)
                                              : store__found(s, q, a, 2, &store__session);
    store__gen_session(s, token_hash);
    return e;
}

enum store_err store_session_touch(struct store *s, const char *token_hash, int64_t last_seen)
{
    return session_set(s, token_hash, STORE__Q_S_TOUCH, last_seen);
}

enum store_err store_session_bind(struct store *s, const char *token_hash, int64_t application_id)
{
    return session_set(s, token_hash, STORE__Q_S_BIND, application_id);
}

enum store_err store_session_delete(struct store *s, const char *token_hash)
{
    return session_set(s, token_hash, STORE__Q_S_DELETE, 0);
}

enum store_err store_session_purge(struct store *s, int64_t now, int64_t idle, long *n)
{
    return purge(s, STORE__Q_S_PURGE, now, idle, 2, n);
}

/* ---- rate limits -------------------------------------------------------------------------- */

static enum store_err rate(struct store *s, const char *key, int64_t window_start, enum store__q q,
                           long *count)
{
    STORE__ENTRY(s, !key || !*key || strlen(key) >= STORE_RATE_KEY_MAX || !count,
                 "rate limit: a key of 1..127 bytes is required");
    return store__count(s, q, STORE__A(VT(key), V(window_start)), count);
}

enum store_err store_rate_hit(struct store *s, const char *key, int64_t window_start, long *count)
{
    return rate(s, key, window_start, STORE__Q_R_HIT, count);
}

enum store_err store_rate_get(struct store *s, const char *key, int64_t window_start, long *count)
{
    return rate(s, key, window_start, STORE__Q_R_GET, count);
}

enum store_err store_rate_purge(struct store *s, int64_t before, long *n)
{
    return purge(s, STORE__Q_R_PURGE, before, 0, 1, n);
}

/* ---- applications ------------------------------------------------------------------------- */

static bool event_ok(const struct store_app_event *ev)
{
    return ev->from && ev->to && *ev->to && ev->event && *ev->event && ev->actor && *ev->actor;
}

static enum store_err event_insert(struct store *s, int64_t app_id,
                                   const struct store_app_event *ev)
{
    struct store__val a[STORE__MAXARGS] = {V(app_id)};
    store__row_bind(&store__event, ev, a + 1);
    return store__send(s, STORE__Q_EV_INSERT, a, 1 + (int)store__event.ncols);
}

enum store_err store_app_create(struct store *s, struct store_application *a,
                                const struct store_app_event *ev)
{
    STORE__ENTRY(s, !a || !ev || !event_ok(ev),
                 "app_create: the application and its event are required");
    struct store__val v[STORE__MAXARGS];
    STORE__REFUSE(
        s,
        store__row_bind(&store__app, a, v) < 0 || strlen(a->number) != STORE_APP_NUMBER_LEN ||
            strlen(a->tckn) != CORE_TCKN_LEN || !a->state[0],
        "app_create: number, tckn and state are required and every field must be terminated");
    int64_t id = 0;
    bool own;
    enum store_err e = store__own_begin(s, &own);
    if (e != STORE_OK)
        return e;
    e = store__one(s, STORE__Q_APP_INSERT, v, (int)store__app.ncols, &id, NULL);
    if (e == STORE_OK)
        e = event_insert(s, id, ev);
    if ((e = store__own_end(s, own, e)) == STORE_OK) {
        a->id = id;
        store__gen_app(s, id);
    }
    return e;
}

/* One application by the statement q ("id, " then the columns) and its one parameter. */
static enum store_err app_fetch(struct store *s, enum store__q q, struct store__val key,
                                struct store_application *out)
{
    return store__get_id(s, q, &key, 1, &store__app, out, &out->id);
}

enum store_err store_app_get(struct store *s, int64_t id, struct store_application *out)
{
    STORE__ENTRY(s, !out, "app_get: missing argument");
    return app_fetch(s, s->in_tx ? STORE__Q_APP_GET_LOCK : STORE__Q_APP_GET, V(id), out);
}

enum store_err store_app_by_number(struct store *s, const char *number,
                                   struct store_application *out)
{
    STORE__ENTRY(s, !number || !out || strlen(number) != STORE_APP_NUMBER_LEN,
                 "app_by_number: a number of %d characters is needed", STORE_APP_NUMBER_LEN);
    return app_fetch(s, STORE__Q_APP_NUMBER, VT(number), out);
}

enum store_err store_app_latest(struct store *s, const char *tckn, struct store_application *out)
{
    STORE__ENTRY(s, !tckn || !out, "app_latest: missing argument");
    return app_fetch(s, s->in_tx ? STORE__Q_APP_LATEST_LOCK : STORE__Q_APP_LATEST, VT(tckn), out);
}

enum store_err store_sign_read(struct store *s, const char *tckn, int64_t bound_id,
                               struct store_application *app, bool *has_cert,
                               struct core_certificate *cert, int *chain)
{
    STORE__ENTRY(s, !tckn || !app || !has_cert || !cert || !chain, "sign_read: missing argument");
    const int c0 = 1 + (int)store__app.ncols; /* the certificate's id, then its columns */
    store__query(s, STORE__Q_SIGN_READ, STORE__A(VT(tckn), V(bound_id)));
    int got = store__next(s) && store__read(s, &store__app, 1, app) == 0;
    if (got) {
        app->id = store__col_int(s, 0);
        *has_cert = !store__isnull(s, c0);
        got = !*has_cert || store__read(s, &store__cert, c0 + 1, cert) == 0;
        *chain = (int)store__col_int(s, c0 + 1 + (int)store__cert.ncols);
    }
    return store__finish_got(s, got, "no such application");
}

enum store_err store_app_update(struct store *s, const struct store_application *a,
                                const char *expected_state, const struct store_app_event *ev)
{
    struct store__val v[STORE__MAXARGS];
    STORE__ENTRY(s,
                 !a || !expected_state || (ev && !event_ok(ev)) || !a->state[0] ||
                     store__row_bind(&store__app, a, v + 2) < 0,
                 "app_update: bad argument");
    v[0] = V(a->id);
    v[1] = VT(expected_state);
    bool own, did = false;
    enum store_err e = store__own_begin(s, &own);
    if (e != STORE_OK)
        return e;
    e = store__did(s, STORE__Q_APP_UPDATE, v, 2 + (int)store__app.ncols, &did);
    if (e == STORE_OK && !did)
        e = store__missed(s, STORE__Q_APP_EXISTS, v, 1, &store__app,
                          "the application changed meanwhile");
    if (e == STORE_OK && ev)
        e = event_insert(s, a->id, ev);
    e = store__own_end(s, own, e);
    store__gen_app(s, a->id);
    return e;
}

enum store_err store_app_events(struct store *s, int64_t application_id,
                                int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx)
{
    STORE__ENTRY(s, !fn, "app_events: no callback");
    struct store_app_event ev;
    store__query(s, STORE__Q_EV_EACH, STORE__A(V(application_id)));
    while (store__fetch(s, &store__event, 0, &ev) && fn(ctx, &ev) == 0)
        ;
    return store__finish(s, NULL);
}

/* Clears what status_rows may leave unwritten (the application and the card are cleared when
 * read, or when there is none: a record each of a few KB, not zeroed twice per request). */
static void status_clear(struct store_status *out)
{
    memset(&out->session, 0, sizeof out->session);
    out->has_app = out->has_card = out->has_new_cert = false;
    out->rejection_reason[0] = out->pin_state[0] = out->new_serial[0] = '\0';
    out->new_not_before = out->new_not_after = 0;
}

/* The rows of STATUS (col0: after the session's columns) or STATUS_OF (col0 0), run with a[n]:
 * the first row's application and what hangs on it, every row's timeline entry; no row is
 * STATUS's "no such session", STATUS_OF's "no such application". */
static enum store_err status_rows(struct store *s, enum store__q q, const struct store__val *a,
                                  int n, int col0, struct store_status *out,
                                  int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx)
{
    /* the columns, from col0: the application's id and columns, the reason, the card's id and
     * columns, the PIN's state, the new certificate's id, serial and validity, an event's */
    const int app = col0, reason = app + 1 + (int)store__app_status.ncols, card = reason + 1,
              pin = card + 1 + (int)store__card.ncols, cert = pin + 1, event = cert + 4;
    bool stop = false, got = false;
    status_clear(out);
    store__query(s, q, a, n);
    while (store__next(s)) {
        if (!got) {
            got = true;
            if (col0 && store__read(s, &store__session, 0, &out->session) < 0)
                break;
            if (!(out->has_app = !store__isnull(s, app))) {
                memset(&out->app, 0, sizeof out->app);
                memset(&out->card, 0, sizeof out->card);
                continue; /* a session whose subject has no application: no more columns */
            }
            if (store__read(s, &store__app_status, app + 1, &out->app) < 0)
                break;
            out->app.id = store__col_int(s, app);
            store__col_text(s, reason, out->rejection_reason, sizeof out->rejection_reason);
            if ((out->has_card = !store__isnull(s, card))) {
                if (store__read(s, &store__card, card + 1, &out->card) < 0)
                    break;
                out->card.id = store__col_int(s, card);
            } else {
                memset(&out->card, 0, sizeof out->card);
            }
            store__col_text(s, pin, out->pin_state, sizeof out->pin_state);
            if ((out->has_new_cert = !store__isnull(s, cert))) {
                store__col_text(s, cert + 1, out->new_serial, sizeof out->new_serial);
                out->new_not_before = store__col_int(s, cert + 2);
                out->new_not_after = store__col_int(s, cert + 3);
            }
        }
        struct store_app_event ev;
        if (stop || !out->has_app || store__isnull(s, event))
            continue;
        if (store__read(s, &store__event, event, &ev) < 0)
            break;
        stop = fn(ctx, &ev) != 0;
    }
    return store__finish_got(s, got, col0 ? "no such session" : "no such application");
}

enum store_err store_status_read(struct store *s, const char *token_hash, struct store_status *out,
                                 int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx)
{
    SESSION_ENTRY(s, token_hash);
    STORE__REFUSE(s, !out || !fn, "status_read: missing argument");
    return status_rows(s, STORE__Q_STATUS, STORE__A(VT(token_hash)), (int)store__session.ncols, out,
                       fn, ctx);
}

enum store_err store_status_of(struct store *s, const char *tckn, int64_t application_id,
                               struct store_status *out,
                               int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx)
{
    STORE__ENTRY(s, !tckn || !out || !fn, "status_of: missing argument");
    return status_rows(s, STORE__Q_STATUS_OF, STORE__A(VT(tckn), V(application_id)), 0, out, fn,
                       ctx);
}

/* ---- SMS codes ---------------------------------------------------------------------------- */

enum store_err store_otp_get(struct store *s, int64_t application_id, struct store_otp *out)
{
    STORE__ENTRY(s, !out, "otp_get: missing argument");
    const struct store__val a[] = {V(application_id)};
    enum store_err e = store__get(s, s->in_tx ? STORE__Q_OTP_GET_LOCK : STORE__Q_OTP_GET, a, 1,
                                  &store__otp, 0, out);
    if (e == STORE_ENOTFOUND) { /* none yet: a zeroed record */
        memset(out, 0, sizeof *out);
        out->application_id = application_id;
        s->err[0] = '\0';
        e = STORE_OK;
    }
    return e;
}

enum store_err store_otp_put(struct store *s, const struct store_otp *o)
{
    struct store__val a[STORE__MAXARGS];
    STORE__ENTRY(s, !o || store__row_bind(&store__otp, o, a) < 0, "otp_put: bad argument");
    return store__exec(s, STORE__Q_OTP_PUT, a, (int)store__otp.ncols, NULL);
}

/* ---- the form's drafts -------------------------------------------------------------------- */

enum store_err store_draft_get(struct store *s, int64_t application_id,
                               struct store_form_draft *out)
{
    STORE__ENTRY(s, !out, "draft_get: missing argument");
    return store__get(s, STORE__Q_DRAFT_GET, STORE__A(V(application_id)), &store__draft, 0, out);
}

enum store_err store_draft_put(struct store *s, const struct store_form_draft *d)
{
    struct store__val a[STORE__MAXARGS];
    STORE__ENTRY(
        s, !d || !memchr(d->form, '\0', sizeof d->form) || store__row_bind(&store__draft, d, a) < 0,
        "draft_put: bad argument");
    return store__exec(s, STORE__Q_DRAFT_PUT, a, (int)store__draft.ncols, NULL);
}

enum store_err store_draft_delete(struct store *s, int64_t application_id)
{
    STORE__READY(s);
    return store__exec(s, STORE__Q_DRAFT_DELETE, STORE__A(V(application_id)), NULL);
}

/* ---- outbox ------------------------------------------------------------------------------- */

static bool outbox_msg_ok(const struct store_outbox_msg *m)
{
    return m->channel && (!strcmp(m->channel, "sms") || !strcmp(m->channel, "email")) &&
           m->recipient && *m->recipient && !m->tpl == !m->params &&
           (m->tpl ? *m->tpl && *m->params : m->body != NULL);
}

/* The 7 parameters of a message in the order of STORE__OB_ROW. */
static void outbox_bind(const struct store_outbox_msg *m, struct store__val *v)
{
    v[0] = VT(m->dedupe_key);
    v[1] = VT(m->channel);
    v[2] = VT(m->recipient);
    v[3] = VT(m->subject ? m->subject : "");
    v[4] = VT(m->body ? m->body : "");
    v[5] = VT(m->tpl);
    v[6] = VT(m->tpl ? m->params : NULL);
}

enum store_err store_outbox_put(struct store *s, const struct store_outbox_msg *m, int64_t now,
                                bool *inserted)
{
    long n = 0;
    enum store_err e = m ? store_outbox_put_batch(s, m, 1, now, &n) : STORE_EINVAL;
    if (!m && s)
        store__fail(s, e, "outbox_put: no message");
    if (inserted)
        *inserted = e == STORE_OK && n > 0;
    return e;
}

/* A batch as multi-row INSERTs of the driver's batch_rows (on PostgreSQL a round trip per
 * message was nine tenths of the expiry scan's time). */
static enum store_err outbox_put_rows(struct store *s, const struct store_outbox_msg *m, long n,
                                      int64_t now, long *inserted)
{
    const long rows = s->ops->batch_rows;
    struct store__val *v = malloc((size_t)(1 + 7 * rows) * sizeof *v);
    struct ubuf text = UBUF_INIT(128 * (size_t)rows + 512);
    enum store_err e = v ? STORE_OK : store__fail(s, STORE_ENOMEM, "queueing messages");
    if (v)
        v[0] = V(now);
    for (long at = 0; e == STORE_OK && at < n; at += rows) {
        const long k = n - at < rows ? n - at : rows;
        int bad = ubuf_puts(&text, STORE__OB_INSERT) < 0;
        for (long i = 0; i < k; i++) {
            const int p = 2 + 7 * (int)i;
            outbox_bind(&m[at + i], &v[p - 1]);
            bad |= ubuf_printf(&text, "%s(" STORE__OB_ROW("$%d, $%d, $%d, $%d, $%d, $%d, $%d") ")",
                               i ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6) < 0;
        }
        char *sql = bad || ubuf_puts(&text, STORE__OB_CONFLICT) < 0
                        ? NULL
                        : store__expand(ubuf_str(&text), s->ops->dialect);
        long changed = 0;
        if (!sql)
            e = store__fail(s, STORE_ENOMEM, "queueing messages");
        else if ((e = s->ops->exec(s, sql, v, 1 + 7 * (int)k, &changed)) == STORE_OK)
            *inserted += changed;
        s->count.statements++;
        free(sql);
        ubuf_reset(&text);
    }
    ubuf_free(&text);
    free(v);
    return e;
}

enum store_err store_outbox_put_batch(struct store *s, const struct store_outbox_msg *m, long n,
                                      int64_t now, long *inserted)
{
    if (inserted)
        *inserted = 0;
    STORE__READY(s);
    bool ok = m && n >= 1, own = false;
    for (long i = 0; ok && i < n; i++)
        ok = outbox_msg_ok(&m[i]);
    STORE__REFUSE(
        s, !ok,
        "outbox_put: channel, recipient and a body (or a template with its values) are required");
    long ins = 0;
    enum store_err e = n > 1 ? store__own_begin(s, &own) : STORE_OK;
    if (e != STORE_OK)
        return e;
    if (n > 1 && s->ops->batch_rows > 1) {
        e = outbox_put_rows(s, m, n, now, &ins);
    } else {
        /* one prepared statement, row by row: in process a row costs no round trip */
        struct store__val v[8] = {V(now)};
        for (long i = 0; e == STORE_OK && i < n; i++) {
            long changed = 0;
            outbox_bind(&m[i], v + 1);
            if ((e = store__exec(s, STORE__Q_OB_PUT, v, 8, &changed)) == STORE_OK)
                ins += changed;
        }
    }
    e = store__own_end(s, own, e);
    if (e == STORE_OK && inserted)
        *inserted = ins;
    return e;
}

enum store_err store_outbox_each(struct store *s, long limit,
                                 int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx)
{
    STORE__ENTRY(s, !fn || limit <= 0, "outbox_each: a callback and a positive limit");
    struct store_outbox_msg m;
    store__query(s, STORE__Q_OB_EACH, STORE__A(V(limit)));
    while (store__fetch(s, &store__outbox, 0, &m) && fn(ctx, &m) == 0)
        ;
    return store__finish(s, NULL);
}

/* ---- outbox delivery ---------------------------------------------------------------------- */

/* A claimed message kept past its statement: its strings live in one block, strs. */
struct claimed {
    struct store_outbox_msg m;
    char *strs;
};

static int claimed_copy(const struct store_outbox_msg *m, struct claimed *c)
{
    const char *const *from[] = {&m->channel,    &m->recipient, &m->subject, &m->body,
                                 &m->dedupe_key, &m->tpl,       &m->params,  &m->secret};
    const char **to[] = {&c->m.channel,    &c->m.recipient, &c->m.subject, &c->m.body,
                         &c->m.dedupe_key, &c->m.tpl,       &c->m.params,  &c->m.secret};
    size_t total = 0;
    for (size_t i = 0; i < 8; i++)
        total += *from[i] ? strlen(*from[i]) + 1 : 0;
    c->m = *m;
    c->m.status = "sending";
    if (!(c->strs = malloc(total + 1)))
        return -1;
    char *w = c->strs;
    for (size_t i = 0; i < 8; i++) {
        *to[i] = *from[i] ? w : NULL;
        if (*from[i]) {
            size_t n = strlen(*from[i]) + 1;
            memcpy(w, *from[i], n);
            w += n;
        }
    }
    return 0;
}

/* The claimed rows are copied out while the transaction is open and handed to fn only after it
 * committed: a sender never sees a message whose claim could still roll back. */
enum store_err store_outbox_claim(struct store *s, const char *channel, int64_t now,
                                  int64_t lease_seconds, long max, bool codes,
                                  int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx,
                                  long *claimed)
{
    if (claimed)
        *claimed = 0;
    STORE__ENTRY(s,
                 !channel || (strcmp(channel, "sms") && strcmp(channel, "email")) || !fn ||
                     max < 1 || lease_seconds < 1 || now < 0 || lease_seconds > INT64_MAX - now,
                 "outbox_claim: a channel, a callback, max >= 1 and a lease >= 1 s");
    /* the claim must be seen by other senders before anything is sent */
    STORE__REFUSE(s, s->in_tx || s->in_read, "outbox_claim: not inside a transaction");
    struct claimed *rows = NULL;
    size_t n = 0, cap = 0;
    bool own;
    struct store_outbox_msg m;
    enum store_err e = store__own_begin(s, &own);
    if (e != STORE_OK)
        return e;
    store__query(s, STORE__Q_OB_CLAIM,
                 STORE__A(VT(channel), V(now), V(now + lease_seconds), V(max), V(codes)));
    while (store__fetch(s, &store__outbox, 0, &m)) {
        if (n == cap) {
            struct claimed *r = realloc(rows, (cap ? cap * 2 : 8) * sizeof *r);
            if (r) {
                rows = r;
                cap = cap ? cap * 2 : 8;
            }
        }
        if (n == cap || claimed_copy(&m, &rows[n]) < 0) {
            s->q_err = store__fail(s, STORE_ENOMEM, "claiming outbox messages");
            break;
        }
        n++;
    }
    if ((e = store__own_end(s, own, store__finish(s, NULL))) == STORE_OK) {
        if (claimed)
            *claimed = (long)n;
        for (size_t i = 0; i < n; i++)
            if (fn(ctx, &rows[i].m) != 0)
                break;
    }
    for (size_t i = 0; i < n; i++)
        free(rows[i].strs);
    free(rows);
    return e;
}

/* ---- SMS codes at rest (store.h) ---------------------------------------------------------- */

enum store_err store_outbox_set_secret(struct store *s, const char *dedupe_key, const char *sealed,
                                       int64_t until)
{
    STORE__ENTRY(s, !dedupe_key || !*dedupe_key || !sealed || !*sealed,
                 "outbox_set_secret: a dedupe key and a secret");
    return store__found(s, STORE__Q_OB_SECRET_SET, STORE__A(VT(dedupe_key), VT(sealed), V(until)),
                        &store__outbox);
}

enum store_err store_outbox_drop_secrets(struct store *s, const char *key_prefix, int64_t now,
                                         long *n)
{
    if (n)
        *n = 0;
    STORE__ENTRY(s, key_prefix && !*key_prefix, "outbox_drop_secrets: an empty prefix");
    long changed = 0;
    enum store_err e =
        store__exec(s, key_prefix ? STORE__Q_OB_SECRET_DROP_KEY : STORE__Q_OB_SECRET_DROP_OLD,
                    STORE__A(key_prefix ? VT(key_prefix) : V(now)), &changed);
    if (e == STORE_OK && n)
        *n = changed;
    return e;
}

enum store_err store_outbox_restore_secret(struct store *s, int64_t id, int attempt,
                                           const char *sealed, int64_t now)
{
    STORE__ENTRY(s, attempt < 1 || !sealed || !*sealed,
                 "outbox_restore_secret: an attempt and a secret");
    return store__exec(s, STORE__Q_OB_SECRET_RESTORE,
                       STORE__A(V(id), V(attempt), VT(sealed), V(now)), NULL);
}

/* Runs q over message id (its parameters a[0..n)); a change of nothing is explained:
 * STORE_ECONFLICT (why) when the message is there, STORE_ENOTFOUND when it is not. */
static enum store_err outbox_change(struct store *s, enum store__q q, const struct store__val *a,
                                    int n, const char *why)
{
    bool did = false;
    enum store_err e = store__did(s, q, a, n, &did);
    return e != STORE_OK || did ? e
                                : store__missed(s, STORE__Q_OB_EXISTS, a, 1, &store__outbox, why);
}

/* The length of error kept: at most STORE__OB_ERR_MAX bytes, not cutting a UTF-8 sequence. */
static size_t ob_err_len(const char *error)
{
    size_t n = strnlen(error, STORE__OB_ERR_MAX + 1);
    if (n <= STORE__OB_ERR_MAX)
        return n;
    n = STORE__OB_ERR_MAX;
    while (n > 0 && ((unsigned char)error[n] & 0xC0) == 0x80)
        n--; /* error[n] continues a sequence: cut before the sequence's first byte */
    return n;
}

static enum store_err ob_mark(struct store *s, int64_t id, int attempt, enum store__q q, int64_t at,
                              const char *error)
{
    STORE__ENTRY(s, attempt < 1 || ((q == STORE__Q_OB_RETRY || q == STORE__Q_OB_FAILED) && !error),
                 "outbox_mark: an attempt >= 1 and an error text");
    struct store__val a[4] = {V(id), V(attempt), V(at)};
    if (error)
        a[q == STORE__Q_OB_FAILED ? 2 : 3] =
            (struct store__val){STORE__V_TEXT, 0, error, ob_err_len(error)};
    return outbox_change(s, q, a, q == STORE__Q_OB_RETRY ? 4 : 3,
                         "the outbox message is no longer held by this attempt");
}

enum store_err store_outbox_mark_sent(struct store *s, int64_t id, int attempt, int64_t now)
{
    return ob_mark(s, id, attempt, STORE__Q_OB_SENT, now, NULL);
}

enum store_err store_outbox_mark_retry(struct store *s, int64_t id, int attempt,
                                       int64_t next_try_at, const char *error)
{
    return ob_mark(s, id, attempt, STORE__Q_OB_RETRY, next_try_at, error);
}

enum store_err store_outbox_mark_failed(struct store *s, int64_t id, int attempt, const char *error)
{
    return ob_mark(s, id, attempt, STORE__Q_OB_FAILED, 0, error);
}

enum store_err store_outbox_mark_handover(struct store *s, int64_t id, int attempt, int64_t now)
{
    return ob_mark(s, id, attempt, STORE__Q_OB_HANDOVER, now, NULL);
}

enum store_err store_outbox_resolve(struct store *s, int64_t id, bool retry, int64_t now)
{
    STORE__ENTRY(s, id <= 0, "outbox_resolve: a message id");
    return outbox_change(s, retry ? STORE__Q_OB_REQUEUE : STORE__Q_OB_CONFIRM,
                         STORE__A(V(id), V(now)), "the message is not waiting for the operator");
}

enum store_err store_outbox_problems(struct store *s, int64_t now,
                                     int (*fn)(void *ctx, const struct store_outbox_problem *m),
                                     void *ctx)
{
    STORE__ENTRY(s, !fn, "outbox_problems: no callback");
    struct store_outbox_problem m;
    store__query(s, STORE__Q_OB_PROBLEMS, STORE__A(V(now)));
    while (store__fetch(s, &store__problem, 0, &m) && fn(ctx, &m) == 0)
        ;
    return store__finish(s, NULL);
}

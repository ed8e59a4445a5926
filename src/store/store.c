/* eimza — the storage API's front (store.h): parses the database URL and hands it to a backend,
 * checks arguments and the import state once for both backends, and dispatches through the
 * backend's ops table (store_int.h). Also the parts both backends share: the audit chain's
 * hash and small helpers. No global mutable state: a struct store is everything there is. */
#include "store/store_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/hash.h"
#include "util/buf.h"

const char *store_strerror(enum store_err e)
{
    switch (e) {
    case STORE_OK:
        return "ok";
    case STORE_ENOTFOUND:
        return "not found";
    case STORE_ECONFLICT:
        return "conflict";
    case STORE_EINVAL:
        return "invalid argument";
    case STORE_EVERSION:
        return "schema version mismatch";
    case STORE_EIO:
        return "database failure";
    case STORE_ENOMEM:
        return "out of memory";
    }
    return "unknown store error";
}

enum store_err store__fail(struct store *s, enum store_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return e;
}

int store__latest(const struct store_migration *m, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].version > v)
            v = m[i].version;
    return v;
}

int store__copy(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size) {
        dst[0] = '\0';
        return -1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

bool store__is_hash(const char *h)
{
    size_t i = 0;
    for (; h[i]; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return false;
    return i == STORE_AUDIT_HASH_LEN;
}

/* ---- opening ------------------------------------------------------------------------------ */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The length of a URL scheme followed by "://" at the start of url ("mysql://..." -> 5), or 0
 * when url does not start like that (so it is a path). */
static size_t scheme_len(const char *url)
{
    size_t i = 0;
    if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
        return 0;
    while (url[i] &&
           (((url[i] | 0x20) >= 'a' && (url[i] | 0x20) <= 'z') ||
            (url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '-' || url[i] == '.'))
        i++;
    return strncmp(url + i, "://", 3) == 0 ? i : 0;
}

/* The URL forms of store.h. The URL itself is never copied into err: a PostgreSQL URL may
 * carry a password. */
static enum store_err open_url(const char *url, bool make_dir, struct store **out, char *err,
                               size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return STORE_EINVAL;
    *out = NULL;
    if (!url || !*url) {
        set_err(err, errlen, "no database URL given");
        return STORE_EINVAL;
    }
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
        return store__pg_open(url, out, err, errlen);
    const char *path = url;
    if (!strncmp(url, "sqlite:", 7)) {
        path = url + 7;
        /* "sqlite:///abs/path" and "sqlite://rel/path" are read as the path after "//". */
        if (!strncmp(path, "//", 2))
            path += 2;
    } else {
        size_t n = scheme_len(url);
        if (n) {
            set_err(err, errlen,
                    "unknown database URL scheme '%.*s' (use sqlite:PATH or postgresql://...)",
                    (int)(n > 32 ? 32 : n), url);
            return STORE_EINVAL;
        }
    }
    if (!*path) {
        set_err(err, errlen, "the SQLite URL has no file path (use sqlite:PATH)");
        return STORE_EINVAL;
    }
    return store__sqlite_open(path, make_dir, out, err, errlen);
}

enum store_err store_open(const char *url, struct store **out, char *err, size_t errlen)
{
    return open_url(url, false, out, err, errlen);
}

enum store_err store_open_create(const char *url, struct store **out, char *err, size_t errlen)
{
    return open_url(url, true, out, err, errlen);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->importing)
        s->ops->import_abort(s);
    s->ops->close(s);
}

const char *store_backend(const struct store *s)
{
    return s ? s->ops->name : "none";
}

const char *store_last_error(const struct store *s)
{
    if (!s)
        return "no database connection";
    return s->err[0] ? s->err : "no error";
}

/* The checks every call but the import ones makes: a connection, and no import running on
 * it (during an import the connection belongs to the import: a PostgreSQL connection is in
 * COPY mode then and could run nothing else). */
static enum store_err ready(struct store *s)
{
    if (!s)
        return STORE_EINVAL;
    if (s->importing)
        return store__fail(s, STORE_EINVAL, "a personnel import is running on this connection");
    s->err[0] = '\0';
    return STORE_OK;
}

enum store_err store_ping(struct store *s)
{
    enum store_err e = ready(s);
    return e ? e : s->ops->ping(s);
}

enum store_err store_migrate(struct store *s, int *from, int *to)
{
    enum store_err e = ready(s);
    return e ? e : s->ops->migrate(s, from, to);
}

enum store_err store_schema_version(struct store *s, int *current, int *latest)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    int cur = 0;
    e = s->ops->schema_version(s, &cur);
    if (e)
        return e;
    if (current)
        *current = cur;
    if (latest)
        *latest = s->ops->latest_version();
    return STORE_OK;
}

/* ---- personnel ---------------------------------------------------------------------------- */

enum store_err store_personnel_import_begin(struct store *s)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (s->in_tx)
        return store__fail(s, STORE_EINVAL, "a personnel import cannot run inside a transaction");
    e = s->ops->import_begin(s, (int64_t)time(NULL));
    if (e == STORE_OK)
        s->importing = true;
    return e;
}

enum store_err store_personnel_import_row(struct store *s, const struct core_personnel *p)
{
    if (!s)
        return STORE_EINVAL;
    if (!s->importing)
        return store__fail(s, STORE_EINVAL, "no personnel import is running");
    if (!p)
        return store__fail(s, STORE_EINVAL, "no personnel record given");
    return s->ops->import_row(s, p);
}

enum store_err store_personnel_import_commit(struct store *s, struct store_import_stats *st)
{
    if (!s)
        return STORE_EINVAL;
    if (!s->importing)
        return store__fail(s, STORE_EINVAL, "no personnel import is running");
    struct store_import_stats tmp = {0};
    s->importing = false; /* over whatever commit says: a failed commit has rolled back */
    enum store_err e = s->ops->import_commit(s, &tmp);
    if (e == STORE_OK && st)
        *st = tmp;
    return e;
}

void store_personnel_import_abort(struct store *s)
{
    if (!s || !s->importing)
        return;
    s->importing = false;
    s->ops->import_abort(s);
}

enum store_err store_personnel_get(struct store *s, const char *tckn, struct core_personnel *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!tckn || !out)
        return store__fail(s, STORE_EINVAL, "personnel_get: missing argument");
    return s->ops->personnel_get(s, tckn, out);
}

enum store_err store_personnel_count(struct store *s, long *n)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!n)
        return store__fail(s, STORE_EINVAL, "personnel_count: missing argument");
    return s->ops->personnel_count(s, n);
}

/* ---- certificates ------------------------------------------------------------------------- */

enum store_err store_certificate_put(struct store *s, const struct core_certificate *c,
                                     const unsigned char *der, size_t derlen, bool *inserted)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!c || !der || !derlen)
        return store__fail(s, STORE_EINVAL, "certificate_put: missing certificate or DER");
    if (strlen(c->fingerprint) != CORE_FPR_LEN || !c->serial[0] || !c->issuer[0])
        return store__fail(s, STORE_EINVAL,
                           "certificate_put: fingerprint, serial and issuer are required");
    bool ins = false;
    e = s->ops->certificate_put(s, c, der, derlen, (int64_t)time(NULL), &ins);
    if (e == STORE_OK && inserted)
        *inserted = ins;
    return e;
}

enum store_err store_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                        int64_t revoked_at, bool *changed)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!issuer || !serial)
        return store__fail(s, STORE_EINVAL, "certificate_revoke: missing issuer or serial");
    /* 0 reads back as "not revoked" (core_certificate.revoked_at). */
    if (revoked_at <= 0)
        return store__fail(s, STORE_EINVAL, "certificate_revoke: no revocation time");
    bool ch = false;
    e = s->ops->certificate_revoke(s, issuer, serial, revoked_at, &ch);
    if (e == STORE_OK && changed)
        *changed = ch;
    return e;
}

enum store_err store_certificate_current(struct store *s, const char *tckn,
                                         struct core_certificate *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!tckn || !out)
        return store__fail(s, STORE_EINVAL, "certificate_current: missing argument");
    return s->ops->certificate_current(s, tckn, out);
}

enum store_err store_certificate_count(struct store *s, long *n)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!n)
        return store__fail(s, STORE_EINVAL, "certificate_count: missing argument");
    return s->ops->certificate_count(s, n);
}

/* ---- audit log ---------------------------------------------------------------------------- */

static int put_field(struct ubuf *b, const char *name, const char *v, size_t n)
{
    if (ubuf_printf(b, "%s=%zu:", name, n) < 0 || ubuf_put(b, v, n) < 0 || ubuf_putc(b, '\n') < 0)
        return -1;
    return 0;
}

static int put_number(struct ubuf *b, const char *name, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    return put_field(b, name, num, (size_t)n);
}

int store_audit_hash(int64_t seq, const char *prev_hash, const struct store_audit_entry *e,
                     char out[STORE_AUDIT_HASH_LEN + 1])
{
    const char *fields[] = {e->actor, e->action, e->object, e->detail};
    const char *names[] = {"actor", "action", "object", "detail"};
    size_t need = 256 + (prev_hash ? strlen(prev_hash) : 0);
    for (size_t i = 0; i < 4; i++)
        need += 32 + (fields[i] ? strlen(fields[i]) : 0);
    struct ubuf b;
    ubuf_init(&b, need);
    int rc = -1;
    if (ubuf_puts(&b, "eimza-audit-v1\n") < 0 || put_number(&b, "seq", seq) < 0 ||
        put_field(&b, "prev", prev_hash ? prev_hash : "", prev_hash ? strlen(prev_hash) : 0) < 0 ||
        put_number(&b, "at", e->at) < 0)
        goto out;
    for (size_t i = 0; i < 4; i++)
        if (put_field(&b, names[i], fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) : 0) <
            0)
            goto out;
    rc = crypto_sha256_hex(b.p, b.len, out);
out:
    ubuf_free(&b);
    return rc;
}

enum store_err store_audit_append(struct store *s, const struct store_audit_entry *e)
{
    enum store_err err = ready(s);
    if (err)
        return err;
    if (!e || !e->actor || !*e->actor || !e->action || !*e->action)
        return store__fail(s, STORE_EINVAL, "audit_append: actor and action are required");
    /* What is stored is what is hashed: the defaults are filled in before either. */
    struct store_audit_entry n = *e;
    if (!n.object)
        n.object = "";
    if (!n.detail)
        n.detail = "{}";
    return s->ops->audit_append(s, &n);
}

enum store_err store_audit_each(struct store *s, int64_t after_seq,
                                int (*fn)(void *ctx, const struct store_audit_record *r), void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "audit_each: no callback");
    return s->ops->audit_each(s, after_seq, fn, ctx);
}

/* ==== the applicant portal ================================================================= */

#define APP_COL(f, t, fixed)                                                                       \
    {                                                                                              \
#f, t, offsetof(struct store_application, f), sizeof(((struct store_application *)0)->f),  \
            fixed                                                                                  \
    }

const struct store__col store__app_cols[] = {
    APP_COL(number, STORE__TEXT, true),
    APP_COL(tckn, STORE__TEXT, true),
    APP_COL(state, STORE__TEXT, false),
    APP_COL(confirmed, STORE__BOOL, false),
    APP_COL(confirmed_at, STORE__I64, false),
    APP_COL(first_name, STORE__TEXT, false),
    APP_COL(last_name, STORE__TEXT, false),
    APP_COL(birth_place, STORE__TEXT, false),
    APP_COL(birth_date, STORE__TEXT, false),
    APP_COL(institution_name, STORE__TEXT, false),
    APP_COL(registry_no, STORE__TEXT, false),
    APP_COL(reason, STORE__TEXT, false),
    APP_COL(card_reader, STORE__TEXT, false),
    APP_COL(validity_years, STORE__INT, false),
    APP_COL(security_word_hash, STORE__TEXT, false),
    APP_COL(unit, STORE__TEXT, false),
    APP_COL(title, STORE__TEXT, false),
    APP_COL(address, STORE__TEXT, false),
    APP_COL(province, STORE__INT, false),
    APP_COL(district, STORE__TEXT, false),
    APP_COL(postal_code, STORE__TEXT, false),
    APP_COL(email, STORE__TEXT, false),
    APP_COL(work_phone, STORE__TEXT, false),
    APP_COL(work_phone_ext, STORE__TEXT, false),
    APP_COL(mobile_phone, STORE__TEXT, false),
    APP_COL(mobile_operator, STORE__TEXT, false),
    APP_COL(home_phone, STORE__TEXT, false),
    APP_COL(notify_by, STORE__TEXT, false),
    APP_COL(method, STORE__TEXT, false),
    APP_COL(late, STORE__BOOL, false),
    APP_COL(cert_not_after, STORE__I64, false),
    APP_COL(created_at, STORE__I64, true),
    APP_COL(updated_at, STORE__I64, false),
};
const size_t store__app_ncols = sizeof store__app_cols / sizeof store__app_cols[0];

int store__field_len(const char *f, size_t size, size_t *len)
{
    size_t n = strnlen(f, size);
    if (n == size)
        return -1;
    *len = n;
    return 0;
}

static pthread_once_t app_sql_once = PTHREAD_ONCE_INIT;
static char *app_sql[STORE__APP_SQL_KINDS][2]; /* [which][pg] */

/* The approvers' queue filter (store__app_sql, LIST and COUNT) with '@' for the placeholder
 * mark. Every parameter is cast where it is used, so that PostgreSQL deduces one type for it
 * whatever it is compared with, and a NULL text still reads as "any". The province is the
 * personnel record's, or the form's when the applicant has no record. */
static const char app_filter_sql[] =
    " FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn"
    " WHERE (CAST(@1 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST(@1 AS INTEGER))"
    " AND ((CAST(@2 AS TEXT) IS NULL AND a.state <> 'draft') OR a.state = CAST(@2 AS TEXT))"
    " AND (CAST(@3 AS TEXT) IS NULL OR %s(a.institution_name, CAST(@3 AS TEXT)) > 0)"
    " AND (CAST(@4 AS TEXT) IS NULL OR p.district = CAST(@4 AS TEXT))"
    " AND (CAST(@5 AS INTEGER) < 0 OR a.late = (CAST(@5 AS INTEGER) = 1))"
    " AND (CAST(@6 AS BIGINT) = 0 OR a.updated_at < CAST(@6 AS BIGINT))";

/* Appends text with each '@' replaced by the backend's placeholder mark and "%s" by the
 * backend's substring position function: instr() in SQLite, strpos() in PostgreSQL (both
 * compare case as stored). */
static int put_marked(struct ubuf *b, const char *text, bool pg)
{
    for (const char *p = text; *p; p++) {
        int rc;
        if (*p == '@') {
            rc = ubuf_putc(b, pg ? '$' : '?');
        } else if (p[0] == '%' && p[1] == 's') {
            rc = ubuf_puts(b, pg ? "strpos" : "instr");
            p++;
        } else {
            rc = ubuf_putc(b, *p);
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static char *make_app_sql(enum store__app_sql which, bool pg)
{
    struct ubuf b = UBUF_INIT(8192);
    const char mark = pg ? '$' : '?';
    size_t n = store__app_ncols;
    int bad = 0;
    if (which == STORE__APP_LIST) {
        bad |= ubuf_puts(&b, "SELECT a.id");
        for (size_t i = 0; i < n; i++)
            bad |= ubuf_printf(&b, ", a.%s", store__app_cols[i].name);
        bad |= ubuf_puts(&b, ", " STORE__P_COLS("p."));
        bad |= put_marked(&b, app_filter_sql, pg);
        bad |= put_marked(&b, " ORDER BY a.updated_at, a.id LIMIT @7 OFFSET @8", pg);
    } else if (which == STORE__APP_COUNT) {
        bad |= ubuf_puts(&b, "SELECT count(*)");
        bad |= put_marked(&b, app_filter_sql, pg);
    } else if (which == STORE__APP_INSERT) {
        bad |= ubuf_puts(&b, "INSERT INTO applications (" STORE__APP_COLS ") VALUES (");
        for (size_t i = 0; i < n; i++)
            bad |= ubuf_printf(&b, "%s%c%zu", i ? ", " : "", mark, i + 1);
        bad |= ubuf_puts(&b, ") RETURNING id");
    } else {
        /* The fixed columns are compared, not written: the row must be the one read. */
        bad |= ubuf_puts(&b, "UPDATE applications SET ");
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (store__app_cols[i].fixed)
                continue;
            bad |= ubuf_printf(&b, "%s%s = %c%zu", first ? "" : ", ", store__app_cols[i].name, mark,
                               i + 1);
            first = false;
        }
        bad |= ubuf_printf(&b, " WHERE id = %c%zu AND state = %c%zu", mark, n + 1, mark, n + 2);
        for (size_t i = 0; i < n; i++)
            if (store__app_cols[i].fixed)
                bad |= ubuf_printf(&b, " AND %s = %c%zu", store__app_cols[i].name, mark, i + 1);
    }
    if (bad) {
        ubuf_free(&b);
        return NULL;
    }
    return ubuf_steal(&b);
}

static void make_all_app_sql(void)
{
    for (int w = 0; w < STORE__APP_SQL_KINDS; w++)
        for (int pg = 0; pg < 2; pg++)
            app_sql[w][pg] = make_app_sql((enum store__app_sql)w, pg != 0);
}

const char *store__app_sql(enum store__app_sql which, bool pg)
{
    pthread_once(&app_sql_once, make_all_app_sql);
    return app_sql[which][pg ? 1 : 0];
}

/* ---- transactions ------------------------------------------------------------------------- */

enum store_err store_tx_begin(struct store *s)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (s->in_tx || s->in_read)
        return store__fail(s, STORE_EINVAL, "a transaction is already open on this connection");
    e = s->ops->tx_begin(s);
    if (e == STORE_OK)
        s->in_tx = true;
    return e;
}

enum store_err store_tx_commit(struct store *s)
{
    if (!s)
        return STORE_EINVAL;
    if (!s->in_tx)
        return store__fail(s, STORE_EINVAL, "no transaction is open on this connection");
    s->in_tx = false; /* over whatever commit says: a failed commit has rolled back */
    enum store_err e = s->ops->tx_commit(s);
    store__gen_settle(s);
    return e;
}

void store_tx_rollback(struct store *s)
{
    if (!s || !s->in_tx)
        return;
    s->in_tx = false;
    s->ops->tx_rollback(s);
    store__gen_settle(s);
}

bool store_in_tx(const struct store *s)
{
    return s && s->in_tx;
}

enum store_err store_read_begin(struct store *s)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (s->in_tx || s->in_read)
        return store__fail(s, STORE_EINVAL, "a transaction or snapshot is already open");
    if (s->ops->read_begin && (e = s->ops->read_begin(s)) != STORE_OK)
        return e;
    s->in_read = true;
    return STORE_OK;
}

void store_read_end(struct store *s)
{
    if (!s || !s->in_read)
        return;
    s->in_read = false;
    if (s->ops->read_end)
        s->ops->read_end(s);
}

/* ---- captchas ----------------------------------------------------------------------------- */

static bool text_ok(const char *f, size_t size, bool nonempty)
{
    size_t n;
    return store__field_len(f, size, &n) == 0 && (!nonempty || n > 0);
}

#define TEXT_OK(f, nonempty) text_ok((f), sizeof(f), (nonempty))

enum store_err store_captcha_put(struct store *s, const struct store_captcha *c)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!c || !TEXT_OK(c->id, true) || !TEXT_OK(c->answer, true))
        return store__fail(s, STORE_EINVAL, "captcha_put: id and answer are required");
    return s->ops->captcha_put(s, c);
}

static enum store_err captcha_get(struct store *s, const char *id, bool take,
                                  struct store_captcha *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!id || !out)
        return store__fail(s, STORE_EINVAL, "captcha: missing argument");
    if (!*id || strlen(id) >= STORE_CAPTCHA_ID_MAX)
        return store__fail(s, STORE_ENOTFOUND, "no such captcha");
    return s->ops->captcha_get(s, id, take, out);
}

enum store_err store_captcha_get(struct store *s, const char *id, struct store_captcha *out)
{
    return captcha_get(s, id, false, out);
}

enum store_err store_captcha_take(struct store *s, const char *id, struct store_captcha *out)
{
    return captcha_get(s, id, true, out);
}

enum store_err store_captcha_purge(struct store *s, int64_t before, long *n)
{
    enum store_err e = ready(s);
    long tmp = 0;
    if (e)
        return e;
    e = s->ops->captcha_purge(s, before, &tmp);
    if (e == STORE_OK && n)
        *n = tmp;
    return e;
}

/* ---- sessions ----------------------------------------------------------------------------- */

static enum store_err session_key_ok(struct store *s, const char *token_hash)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!token_hash || !store__is_hash(token_hash))
        return store__fail(s, STORE_EINVAL, "session: the token hash is not SHA-256 hex");
    return STORE_OK;
}

enum store_err store_session_put(struct store *s, const struct store_session *ss)
{
    enum store_err e = session_key_ok(s, ss ? ss->token_hash : NULL);
    if (e)
        return e;
    if (strcmp(ss->kind, "applicant") && strcmp(ss->kind, "staff"))
        return store__fail(s, STORE_EINVAL, "session_put: kind is applicant or staff");
    if (!TEXT_OK(ss->subject, true) || !TEXT_OK(ss->csrf, true))
        return store__fail(s, STORE_EINVAL, "session_put: subject and csrf are required");
    e = s->ops->session_put(s, ss);
    store__gen_session(s, ss->token_hash);
    return e;
}

enum store_err store_session_get(struct store *s, const char *token_hash, struct store_session *out)
{
    enum store_err e = session_key_ok(s, token_hash);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "session_get: missing argument");
    return s->ops->session_get(s, token_hash, out);
}

enum store_err store_session_touch(struct store *s, const char *token_hash, int64_t last_seen)
{
    enum store_err e = session_key_ok(s, token_hash);
    if (e)
        return e;
    e = s->ops->session_set(s, token_hash, 0, last_seen);
    store__gen_session(s, token_hash);
    return e;
}

enum store_err store_session_bind(struct store *s, const char *token_hash, int64_t application_id)
{
    enum store_err e = session_key_ok(s, token_hash);
    if (e)
        return e;
    e = s->ops->session_set(s, token_hash, 1, application_id);
    store__gen_session(s, token_hash);
    return e;
}

enum store_err store_session_delete(struct store *s, const char *token_hash)
{
    enum store_err e = session_key_ok(s, token_hash);
    if (e)
        return e;
    e = s->ops->session_set(s, token_hash, 2, 0);
    store__gen_session(s, token_hash);
    return e;
}

enum store_err store_session_purge(struct store *s, int64_t now, int64_t idle, long *n)
{
    enum store_err e = ready(s);
    long tmp = 0;
    if (e)
        return e;
    e = s->ops->session_purge(s, now, idle, &tmp);
    if (e == STORE_OK && n)
        *n = tmp;
    return e;
}

/* ---- rate limits -------------------------------------------------------------------------- */

static enum store_err rate(struct store *s, const char *key, int64_t window_start, bool add,
                           long *count)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!key || !*key || strlen(key) >= STORE_RATE_KEY_MAX || !count)
        return store__fail(s, STORE_EINVAL, "rate limit: a key of 1..127 bytes is required");
    return s->ops->rate_hit(s, key, window_start, add, count);
}

enum store_err store_rate_hit(struct store *s, const char *key, int64_t window_start, long *count)
{
    return rate(s, key, window_start, true, count);
}

enum store_err store_rate_get(struct store *s, const char *key, int64_t window_start, long *count)
{
    return rate(s, key, window_start, false, count);
}

enum store_err store_rate_purge(struct store *s, int64_t before, long *n)
{
    enum store_err e = ready(s);
    long tmp = 0;
    if (e)
        return e;
    e = s->ops->rate_purge(s, before, &tmp);
    if (e == STORE_OK && n)
        *n = tmp;
    return e;
}

/* ---- applications ------------------------------------------------------------------------- */

static bool app_fields_ok(const struct store_application *a)
{
    for (size_t i = 0; i < store__app_ncols; i++) {
        const struct store__col *c = &store__app_cols[i];
        size_t n;
        if (c->type == STORE__TEXT && store__field_len((const char *)a + c->off, c->size, &n) < 0)
            return false;
    }
    return true;
}

static bool event_ok(const struct store_app_event *ev)
{
    return ev->from && ev->to && *ev->to && ev->event && *ev->event && ev->actor && *ev->actor;
}

enum store_err store_app_create(struct store *s, struct store_application *a,
                                const struct store_app_event *ev)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!a || !ev || !event_ok(ev))
        return store__fail(s, STORE_EINVAL,
                           "app_create: the application and its event are "
                           "required");
    if (!app_fields_ok(a) || strlen(a->number) != STORE_APP_NUMBER_LEN ||
        strlen(a->tckn) != CORE_TCKN_LEN || !a->state[0])
        return store__fail(s, STORE_EINVAL,
                           "app_create: number, tckn and state are required "
                           "and every field must be terminated");
    e = s->ops->app_create(s, a, ev);
    if (e == STORE_OK)
        store__gen_app(s, a->id);
    return e;
}

enum store_err store_app_get(struct store *s, int64_t id, struct store_application *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "app_get: missing argument");
    return s->ops->app_get(s, id, NULL, out);
}

enum store_err store_app_by_number(struct store *s, const char *number,
                                   struct store_application *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!number || !out || strlen(number) != STORE_APP_NUMBER_LEN)
        return store__fail(s, STORE_EINVAL, "app_by_number: a number of %d characters is needed",
                           STORE_APP_NUMBER_LEN);
    return s->ops->app_by_number(s, number, out);
}

enum store_err store_app_latest(struct store *s, const char *tckn, struct store_application *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!tckn || !out)
        return store__fail(s, STORE_EINVAL, "app_latest: missing argument");
    return s->ops->app_get(s, 0, tckn, out);
}

enum store_err store_app_update(struct store *s, const struct store_application *a,
                                const char *expected_state, const struct store_app_event *ev)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!a || !expected_state || (ev && !event_ok(ev)) || !app_fields_ok(a) || !a->state[0])
        return store__fail(s, STORE_EINVAL, "app_update: bad argument");
    e = s->ops->app_update(s, a, expected_state, ev);
    store__gen_app(s, a->id);
    return e;
}

enum store_err store_app_events(struct store *s, int64_t application_id,
                                int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "app_events: no callback");
    return s->ops->app_events(s, application_id, fn, ctx);
}

/* ---- SMS codes ---------------------------------------------------------------------------- */

enum store_err store_otp_get(struct store *s, int64_t application_id, struct store_otp *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!out)
        return store__fail(s, STORE_EINVAL, "otp_get: missing argument");
    return s->ops->otp_get(s, application_id, out);
}

enum store_err store_otp_put(struct store *s, const struct store_otp *o)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!o || !TEXT_OK(o->code_hash, false) || !TEXT_OK(o->salt, false))
        return store__fail(s, STORE_EINVAL, "otp_put: bad argument");
    return s->ops->otp_put(s, o);
}

/* ---- outbox ------------------------------------------------------------------------------- */

static bool outbox_msg_ok(const struct store_outbox_msg *m)
{
    return m->channel && (!strcmp(m->channel, "sms") || !strcmp(m->channel, "email")) &&
           m->recipient && *m->recipient && !m->tpl == !m->params &&
           (m->tpl ? *m->tpl && *m->params : m->body != NULL);
}

enum store_err store_outbox_put(struct store *s, const struct store_outbox_msg *m, int64_t now,
                                bool *inserted)
{
    long n = 0;
    enum store_err e = m ? store_outbox_put_batch(s, m, 1, now, &n) : STORE_EINVAL;
    if (!m)
        store__fail(s, e, "outbox_put: no message");
    if (inserted)
        *inserted = e == STORE_OK && n > 0;
    return e;
}

enum store_err store_outbox_put_batch(struct store *s, const struct store_outbox_msg *m, long n,
                                      int64_t now, long *inserted)
{
    if (inserted)
        *inserted = 0;
    enum store_err e = ready(s);
    if (e)
        return e;
    bool ok = m && n >= 1;
    for (long i = 0; ok && i < n; i++)
        ok = outbox_msg_ok(&m[i]);
    if (!ok)
        return store__fail(s, STORE_EINVAL,
                           "outbox_put: channel, recipient and a body (or a template with its "
                           "values) are required");
    long ins = 0;
    e = s->ops->outbox_put(s, m, n, now, &ins);
    if (e == STORE_OK && inserted)
        *inserted = ins;
    return e;
}

enum store_err store_outbox_each(struct store *s, long limit,
                                 int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn || limit <= 0)
        return store__fail(s, STORE_EINVAL, "outbox_each: a callback and a positive limit");
    return s->ops->outbox_each(s, limit, fn, ctx);
}

/* ---- outbox delivery ---------------------------------------------------------------------- */

enum store_err store_outbox_claim(struct store *s, const char *channel, int64_t now,
                                  int64_t lease_seconds, long max,
                                  int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx,
                                  long *claimed)
{
    if (claimed)
        *claimed = 0;
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!channel || (strcmp(channel, "sms") && strcmp(channel, "email")) || !fn || max < 1 ||
        lease_seconds < 1 || now < 0 || lease_seconds > INT64_MAX - now)
        return store__fail(s, STORE_EINVAL,
                           "outbox_claim: a channel, a callback, max >= 1 and a lease >= 1 s");
    /* the claim must be seen by other senders before anything is sent */
    if (s->in_tx)
        return store__fail(s, STORE_EINVAL, "outbox_claim: not inside a transaction");
    long n = 0;
    e = s->ops->outbox_claim(s, channel, now, now + lease_seconds, max, fn, ctx, &n);
    if (claimed && e == STORE_OK)
        *claimed = n;
    return e;
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

static enum store_err ob_mark(struct store *s, int64_t id, int attempt, const char *to, int64_t at,
                              const char *error)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (attempt < 1 || (strcmp(to, "sent") && !error))
        return store__fail(s, STORE_EINVAL, "outbox_mark: an attempt >= 1 and an error text");
    return s->ops->outbox_mark(s, id, attempt, to, at, error, error ? ob_err_len(error) : 0);
}

enum store_err store_outbox_mark_sent(struct store *s, int64_t id, int attempt, int64_t now)
{
    return ob_mark(s, id, attempt, "sent", now, NULL);
}

enum store_err store_outbox_mark_retry(struct store *s, int64_t id, int attempt,
                                       int64_t next_try_at, const char *error)
{
    return ob_mark(s, id, attempt, "pending", next_try_at, error);
}

enum store_err store_outbox_mark_failed(struct store *s, int64_t id, int attempt, const char *error)
{
    return ob_mark(s, id, attempt, "failed", 0, error);
}

/* ==== signing, staff and decisions (schema 3) ============================================== */

/* Lengths a backend must be able to bind (SQLite takes an int). */
#define STORE__BLOB_MAX ((size_t)INT32_MAX)

/* ---- signature evidence ------------------------------------------------------------------- */

enum store_err store_signature_put(struct store *s, const struct store_signature *sig)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!sig || sig->application_id <= 0 || !sig->cms || !sig->cms_len ||
        sig->cms_len > STORE__BLOB_MAX || (!sig->content && sig->content_len) ||
        sig->content_len > STORE__BLOB_MAX || (!sig->ocsp && sig->ocsp_len) ||
        sig->ocsp_len > STORE__BLOB_MAX)
        return store__fail(s, STORE_EINVAL,
                           "signature_put: an application, the CMS and its content are required");
    if (!sig->signer_fingerprint || !store__is_hash(sig->signer_fingerprint) || !sig->validation)
        return store__fail(s, STORE_EINVAL,
                           "signature_put: the signer's fingerprint (SHA-256 hex) and the "
                           "validation result are required");
    char sha[STORE_AUDIT_HASH_LEN + 1];
    if (crypto_sha256_hex(sig->cms, sig->cms_len, sha) != 0)
        return store__fail(s, STORE_ENOMEM, "signature_put: hashing the CMS failed");
    return s->ops->signature_put(s, sig, sha);
}

enum store_err store_signature_get(struct store *s, int64_t application_id,
                                   int (*fn)(void *ctx, const struct store_signature *sig),
                                   void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "signature_get: no callback");
    return s->ops->signature_get(s, application_id, fn, ctx);
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

static enum store_err user_ok(struct store *s, const struct store_user *u, const char *what)
{
    if (!u || !TEXT_OK(u->username, true) || !username_ok(u->username))
        return store__fail(s, STORE_EINVAL, "%s: a user name of 1..63 bytes of [a-z0-9._-]", what);
    bool approver = !strcmp(u->role, "approver");
    if (!approver && strcmp(u->role, "operator") && strcmp(u->role, "admin"))
        return store__fail(s, STORE_EINVAL, "%s: the role is approver, operator or admin", what);
    if (u->province < 0 || u->province > 81 || (approver && u->province < 1))
        return store__fail(s, STORE_EINVAL,
                           "%s: an approver's province is a plate code 1..81 (0..81 for the "
                           "other roles)",
                           what);
    if (!TEXT_OK(u->password_hash, false) || !TEXT_OK(u->totp_secret, false) || u->failed_count < 0)
        return store__fail(s, STORE_EINVAL, "%s: bad password hash, TOTP secret or count", what);
    return STORE_OK;
}

enum store_err store_user_put(struct store *s, const struct store_user *u)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if ((e = user_ok(s, u, "user_put")) != STORE_OK)
        return e;
    return s->ops->user_put(s, u);
}

enum store_err store_user_get(struct store *s, const char *username, struct store_user *out)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!username || !out)
        return store__fail(s, STORE_EINVAL, "user_get: missing argument");
    /* A name no account can have (typed into a login form) is simply not there. */
    if (!username_ok(username))
        return store__fail(s, STORE_ENOTFOUND, "no such user");
    return s->ops->user_get(s, username, out);
}

enum store_err store_user_update(struct store *s, const struct store_user *u)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if ((e = user_ok(s, u, "user_update")) != STORE_OK)
        return e;
    return s->ops->user_update(s, u);
}

enum store_err store_user_each(struct store *s, int (*fn)(void *ctx, const struct store_user *u),
                               void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "user_each: no callback");
    return s->ops->user_each(s, fn, ctx);
}

/* ---- the approvers' queue ----------------------------------------------------------------- */

static bool province_ok(int province)
{
    return province >= 0 && province <= 81;
}

enum store_err store_app_list(struct store *s, const struct store_app_filter *f,
                              int (*fn)(void *ctx, const struct store_application *a,
                                        const struct core_personnel *p),
                              void *ctx, long *total)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!f || !fn)
        return store__fail(s, STORE_EINVAL, "app_list: a filter and a callback are required");
    if (!province_ok(f->province) || f->late < -1 || f->late > 1 || f->limit < 0 || f->offset < 0 ||
        f->updated_before < 0)
        return store__fail(s, STORE_EINVAL,
                           "app_list: province 0..81, late -1..1, limit, offset and "
                           "updated_before >= 0");
    long tmp = 0;
    e = s->ops->app_list(s, f, fn, ctx, &tmp);
    if (e == STORE_OK && total)
        *total = tmp;
    return e;
}

enum store_err store_app_state_counts(struct store *s, int province,
                                      int (*fn)(void *ctx, const char *state, long count),
                                      void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn || !province_ok(province))
        return store__fail(s, STORE_EINVAL, "app_state_counts: a callback and province 0..81");
    return s->ops->app_state_counts(s, province, fn, ctx);
}

enum store_err store_expiring_unapplied(struct store *s, int province, int64_t from, int64_t to,
                                        int (*fn)(void *ctx, const struct core_personnel *p,
                                                  const struct core_certificate *c),
                                        void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn || !province_ok(province) || to < from)
        return store__fail(s, STORE_EINVAL,
                           "expiring_unapplied: a callback, province 0..81 and from <= to");
    return s->ops->expiring_unapplied(s, province, from, to, fn, ctx);
}

/* ---- decisions ---------------------------------------------------------------------------- */

enum store_err store_decision_put(struct store *s, const struct store_decision *d)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!d || d->application_id <= 0 || !d->decision ||
        (strcmp(d->decision, "approve") && strcmp(d->decision, "reject")))
        return store__fail(s, STORE_EINVAL,
                           "decision_put: an application and approve or reject are required");
    if (!d->staff || !*d->staff || !d->verdict || !*d->verdict || (d->personnel && !*d->personnel))
        return store__fail(s, STORE_EINVAL,
                           "decision_put: the staff member and the verdict are required");
    /* what is stored for the optional ones, as store.h spells "none" */
    struct store_decision n = *d;
    if (!n.reason)
        n.reason = "";
    if (!n.personnel)
        n.personnel = "null";
    return s->ops->decision_put(s, &n);
}

enum store_err store_decision_get(struct store *s, int64_t application_id,
                                  int (*fn)(void *ctx, const struct store_decision *d), void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "decision_get: no callback");
    return s->ops->decision_get(s, application_id, fn, ctx);
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
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!tckn_shape_ok(tckn) || !count)
        return store__fail(s, STORE_EINVAL, "remote_chain_get: a T.C. Kimlik No of 11 digits");
    return s->ops->remote_chain_get(s, tckn, count);
}

enum store_err store_remote_chain_set(struct store *s, const char *tckn, int count, int64_t now)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!tckn_shape_ok(tckn) || count < 0)
        return store__fail(s, STORE_EINVAL,
                           "remote_chain_set: a T.C. Kimlik No of 11 digits and a count >= 0");
    return s->ops->remote_chain_set(s, tckn, count, now);
}

/* ==== expiry warnings (schema 4) ============================================================ */

enum store_err store_warn_due(struct store *s, int64_t from, int64_t to, int days,
                              int64_t *after_not_after, int64_t *after_id, long limit,
                              int (*fn)(void *ctx, const struct store_warn_row *r), void *ctx,
                              bool *more)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn || !after_not_after || !after_id || !more || to < from || days < 0 || limit < 1 ||
        (size_t)limit > SIZE_MAX / (2 * sizeof(int64_t)))
        return store__fail(s, STORE_EINVAL,
                           "warn_due: a callback, a position, from <= to, days >= 0 and a limit "
                           ">= 1");
    *more = false;
    /* rows before the keyset's not_after are never wanted: the range starts there, so the
     * backend's condition only has to settle ties on not_after by id */
    if (*after_not_after > from)
        from = *after_not_after;
    if (from >= to)
        return STORE_OK;
    int64_t(*keys)[2] = malloc((size_t)limit * sizeof *keys);
    if (!keys)
        return store__fail(s, STORE_ENOMEM, "warn_due: out of memory");
    long n = 0;
    e = s->ops->warn_keys(s, from, to, days, *after_not_after, *after_id, limit, keys, &n);
    if (e == STORE_OK && n > 0) {
        e = s->ops->warn_due(s, from, to, days, *after_not_after, *after_id, keys[n - 1][0],
                             keys[n - 1][1], fn, ctx);
        if (e == STORE_OK) {
            *after_not_after = keys[n - 1][0];
            *after_id = keys[n - 1][1];
            *more = n == limit;
        }
    }
    free(keys);
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

struct mark_ctx {
    const struct mark_ref *refs;
    long n;
    bool *marked;
};

static void mark_one(void *ctx, int64_t id)
{
    struct mark_ctx *m = ctx;
    const struct mark_ref key = {id, 0};
    const struct mark_ref *r = bsearch(&key, m->refs, (size_t)m->n, sizeof *m->refs, mark_ref_cmp);
    if (r)
        m->marked[r->idx] = true;
}

enum store_err store_warn_mark_batch(struct store *s, const int64_t *ids, long n, int days,
                                     int64_t now, bool *marked)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!ids || !marked || n < 1 || days < 0 || (size_t)n > SIZE_MAX / 24)
        return store__fail(s, STORE_EINVAL, "warn_mark: certificate ids and days >= 0");
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
    if (e != STORE_OK) {
        free(refs);
        free(text);
        return store__fail(s, e, "warn_mark: certificate ids > 0, each once");
    }
    struct mark_ctx mc = {refs, n, marked};
    e = s->ops->warn_mark(s, text, days, now, mark_one, &mc);
    if (e != STORE_OK)
        for (long i = 0; i < n; i++)
            marked[i] = false;
    free(refs);
    free(text);
    return e;
}

enum store_err store_remind_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn || limit < 1)
        return store__fail(s, STORE_EINVAL, "remind_due: a callback and a limit >= 1");
    return s->ops->remind_due(s, before, after_id, limit, fn, ctx);
}

enum store_err store_remind_mark(struct store *s, int64_t application_id, const char *state,
                                 int64_t now, bool *inserted)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    bool dummy;
    if (application_id <= 0 || !state || !*state || strlen(state) > 24)
        return store__fail(s, STORE_EINVAL, "remind_mark: an application and its state");
    return s->ops->remind_mark(s, application_id, state, now, inserted ? inserted : &dummy);
}

enum store_err store_outbox_mark_handover(struct store *s, int64_t id, int attempt, int64_t now)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (attempt < 1)
        return store__fail(s, STORE_EINVAL, "outbox_mark_handover: an attempt >= 1");
    return s->ops->outbox_handover(s, id, attempt, now);
}

enum store_err store_outbox_resolve(struct store *s, int64_t id, bool retry, int64_t now)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (id <= 0)
        return store__fail(s, STORE_EINVAL, "outbox_resolve: a message id");
    return s->ops->outbox_resolve(s, id, retry, now);
}

enum store_err store_outbox_problems(struct store *s, int64_t now,
                                     int (*fn)(void *ctx, const struct store_outbox_problem *m),
                                     void *ctx)
{
    enum store_err e = ready(s);
    if (e)
        return e;
    if (!fn)
        return store__fail(s, STORE_EINVAL, "outbox_problems: no callback");
    return s->ops->outbox_problems(s, now, fn, ctx);
}

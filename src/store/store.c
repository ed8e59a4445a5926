/* eimza — the storage API's front (store.h): parses the database URL and hands it to a backend,
 * checks arguments and the import state once for both backends, and dispatches through the
 * backend's ops table (store_int.h). Also the parts both backends share: the audit chain's
 * hash and small helpers. No global mutable state: a struct store is everything there is. */
#include "store/store_int.h"

#include <stdarg.h>
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

/* eimza — the storage API's front (store.h): parses the database URL and hands it to a driver,
 * runs catalogue statements through the driver (the generic cursor of store_int.h), and holds
 * what every database shares: transactions, migrations, the personnel import, certificates and
 * the audit chain. The portal's, staff's and notifications' typed functions are in
 * store_portal.c and store_staff.c. No global mutable state beyond the catalogue made once: a
 * struct store is everything there is. */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/hash.h"
#include "util/buf.h"
#include "util/hex.h"

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

bool store__is_hash(const char *h)
{
    size_t i = 0;
    for (; h[i]; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return false;
    return i == STORE_AUDIT_HASH_LEN;
}

bool store__text_ok(const char *f, size_t size, bool nonempty)
{
    size_t n = strnlen(f, size);
    return n < size && (!nonempty || n > 0);
}

/* ---- opening ------------------------------------------------------------------------------ */

/* Writes the message into err (when there is room) and returns STORE_EINVAL. */
static enum store_err set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum store_err set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return STORE_EINVAL;
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

/* The URL forms of store.h: *path gets a SQLite database's file path, NULL for a PostgreSQL
 * URL. The URL itself is never copied into err: a PostgreSQL URL may carry a password. */
static enum store_err url_parse(const char *url, const char **path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    *path = NULL;
    if (!url || !*url)
        return set_err(err, errlen, "no database URL given");
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
        return STORE_OK;
    size_t n = scheme_len(url);
    if (!strncmp(url, "sqlite:", 7)) /* "sqlite:///abs" and "sqlite://rel": the path after // */
        url += strncmp(url + 7, "//", 2) ? 7 : 9;
    else if (n)
        return set_err(err, errlen,
                       "unknown database URL scheme '%.*s' (use sqlite:PATH or postgresql://...)",
                       (int)(n > 32 ? 32 : n), url);
    if (!*url)
        return set_err(err, errlen, "the SQLite URL has no file path (use sqlite:PATH)");
    *path = url;
    return STORE_OK;
}

static enum store_err open_url(const char *url, bool create, struct store **out, char *err,
                               size_t errlen)
{
    const char *path = NULL;
    enum store_err e = out ? url_parse(url, &path, err, errlen)
                           : set_err(err, errlen, "no place for the connection given");
    if (out)
        *out = NULL;
    if (e != STORE_OK)
        return e;
    return path ? store__sqlite_open(path, create, out, err, errlen)
                : store__pg_open(url, out, err, errlen);
}

enum store_err store_url_check(const char *url, char *err, size_t errlen)
{
    const char *path;
    enum store_err e = url_parse(url, &path, err, errlen);
    return e != STORE_OK || path ? e : store__pg_check_url(url, err, errlen);
}

enum store_err store_sqlite_path(const char *url, const char **path, char *err, size_t errlen)
{
    enum store_err e = url_parse(url, path, err, errlen);
    return e != STORE_OK || *path ? e : store__pg_check_url(url, err, errlen);
}

int store_sqlite_file(const char *url, char *file, size_t cap)
{
    const char *p;
    if (url_parse(url, &p, NULL, 0) != STORE_OK || !p || !strcmp(p, ":memory:"))
        return 0;
    if (strncmp(p, "file:", 5) != 0)
        return (size_t)snprintf(file, cap, "%s", p) < cap ? 1 : -1;
    p += 5; /* SQLite's URI: file:[//[localhost]]PATH[?QUERY][#FRAGMENT], PATH %-encoded */
    if (!strncmp(p, "//", 2)) {
        p += 2;
        if (!strncmp(p, "localhost", 9))
            p += 9;
        if (*p != '/')
            return 0; /* an authority SQLite refuses: nothing is made */
    }
    size_t n = 0;
    for (; *p && *p != '?' && *p != '#'; p++) {
        char c = *p;
        if (c == '%' && uhex_value(p[1]) >= 0 && uhex_value(p[2]) >= 0) {
            c = (char)(uhex_value(p[1]) * 16 + uhex_value(p[2]));
            p += 2;
        }
        if (n + 1 >= cap)
            return -1;
        file[n++] = c;
    }
    if (!n)
        return 0;
    file[n] = '\0';
    return 1;
}

enum store_err store_in_use(const char *url, long *pid, char *err, size_t errlen)
{
    const char *path;
    enum store_err e = url_parse(url, &path, err, errlen);
    *pid = 0;
    if (e == STORE_OK && !path && (e = store__pg_check_url(url, err, errlen)) == STORE_OK)
        e = set_err(err, errlen, "a PostgreSQL database: ask the server (pg_stat_activity)");
    return e != STORE_OK ? e : store__sqlite_in_use(path, pid, err, errlen);
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
    store_personnel_import_abort(s);
    store__finish(s, NULL);
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

void store_counters(const struct store *s, struct store_counters *out)
{
    *out = s ? s->count : (struct store_counters){0};
}

/* During an import the connection belongs to the import: a PostgreSQL connection is in COPY
 * mode then and could run nothing else. */
enum store_err store__ready(struct store *s)
{
    if (!s)
        return STORE_EINVAL;
    STORE__REFUSE(s, s->importing, "a personnel import is running on this connection");
    s->err[0] = '\0';
    s->err_fk = false;
    return STORE_OK;
}

/* ---- the generic cursor ------------------------------------------------------------------ */

enum store_err store__query(struct store *s, enum store__q q, const struct store__val *a, int n)
{
    store__finish(s, NULL);
    const char *sql = store__sql(q, s->ops->dialect);
    s->q = q;
    s->q_err = STORE_OK;
    if (!sql)
        return s->q_err =
                   store__fail(s, STORE_ENOMEM, "%s: building the statement", store__what(q));
    s->q_empty = !*sql;
    if (!s->q_empty) {
        s->count.statements++;
        if ((s->q_err = s->ops->run(s, q, a, n)) != STORE_OK)
            return s->q_err;
    }
    s->q_open = true;
    return STORE_OK;
}

int store__next(struct store *s)
{
    if (!s->q_open || s->q_empty || s->q_err != STORE_OK)
        return 0;
    int r = s->ops->next(s);
    if (r < 0) {
        s->q_err = STORE_EIO;
        return 0;
    }
    return r;
}

int store__fetch(struct store *s, const struct store__row *r, int col0, void *rec)
{
    return store__next(s) > 0 && store__read(s, r, col0, rec) == 0;
}

static struct store__val col(struct store *s, int i, enum store__vt want)
{
    struct store__val v = {STORE__V_NULL, 0, NULL, 0};
    if (s->ops->col(s, i, want, &v) < 0) {
        s->q_err = store__fail(s, STORE_ENOMEM, "%s: out of memory", store__what(s->q));
        v.t = STORE__V_NULL;
    }
    return v;
}

bool store__isnull(struct store *s, int i)
{
    return col(s, i, STORE__V_NULL).t == STORE__V_NULL;
}

int64_t store__col_int(struct store *s, int i)
{
    return col(s, i, STORE__V_INT).i;
}

const char *store__col_str(struct store *s, int i)
{
    struct store__val v = col(s, i, STORE__V_TEXT);
    return v.t == STORE__V_NULL ? NULL : v.p;
}

void store__col_text(struct store *s, int i, char *buf, size_t size)
{
    struct store__val v = col(s, i, STORE__V_TEXT);
    size_t n = v.t == STORE__V_NULL ? 0 : v.n < size ? v.n : size - 1;
    if (n)
        memcpy(buf, v.p, n);
    buf[n] = '\0';
}

const void *store__col_blob(struct store *s, int i, size_t *len)
{
    struct store__val v = col(s, i, STORE__V_BLOB);
    *len = v.n;
    return v.t == STORE__V_NULL ? NULL : v.p;
}

enum store_err store__finish(struct store *s, long *changes)
{
    long n = 0;
    if (s->q_open && !s->q_empty)
        s->ops->finish(s, &n);
    s->q_open = false;
    if (changes)
        *changes = n;
    return s->q_err;
}

enum store_err store__exec(struct store *s, enum store__q q, const struct store__val *a, int n,
                           long *changes)
{
    enum store_err e = store__query(s, q, a, n);
    return e != STORE_OK ? e : store__finish(s, changes);
}

enum store_err store__send(struct store *s, enum store__q q, const struct store__val *a, int n)
{
    if (!s->ops->send)
        return store__exec(s, q, a, n, NULL);
    store__finish(s, NULL);
    const char *sql = store__sql(q, s->ops->dialect);
    if (!sql)
        return store__fail(s, STORE_ENOMEM, "%s: building the statement", store__what(q));
    if (!*sql)
        return STORE_OK;
    s->count.statements++;
    return s->ops->send(s, q, a, n);
}

enum store_err store__get(struct store *s, enum store__q q, const struct store__val *a, int n,
                          const struct store__row *r, int col0, void *rec)
{
    _Alignas(max_align_t) unsigned char tmp[STORE__ROW_MAX];
    enum store_err e = store__query(s, q, a, n);
    if (e != STORE_OK)
        return e;
    int got = store__fetch(s, r, col0, tmp);
    if ((e = store__finish(s, NULL)) != STORE_OK)
        return e;
    if (!got)
        return store__fail(s, STORE_ENOTFOUND, "no such %s", r->what);
    memcpy(rec, tmp, r->size);
    return STORE_OK;
}

enum store_err store__one(struct store *s, enum store__q q, const struct store__val *a, int n,
                          int64_t *out, bool *found)
{
    enum store_err e = store__query(s, q, a, n);
    if (e != STORE_OK)
        return e;
    int got = store__next(s);
    int64_t v = got ? store__col_int(s, 0) : 0;
    if ((e = store__finish(s, NULL)) != STORE_OK)
        return e;
    *out = v;
    if (found)
        *found = got > 0;
    return STORE_OK;
}

enum store_err store__get_id(struct store *s, enum store__q q, const struct store__val *a, int n,
                             const struct store__row *r, void *rec, int64_t *id)
{
    _Alignas(max_align_t) unsigned char tmp[STORE__ROW_MAX];
    store__query(s, q, a, n);
    int got = store__fetch(s, r, 1, tmp);
    int64_t v = got ? store__col_int(s, 0) : 0;
    enum store_err e = store__finish(s, NULL);
    if (e == STORE_OK && !got)
        e = store__fail(s, STORE_ENOTFOUND, "no such %s", r->what);
    if (e == STORE_OK) {
        memcpy(rec, tmp, r->size);
        if (id)
            *id = v;
    }
    return e;
}

enum store_err store__found(struct store *s, enum store__q q, const struct store__val *a, int n,
                            const struct store__row *r)
{
    long changed = 0;
    enum store_err e = store__exec(s, q, a, n, &changed);
    return e == STORE_OK && !changed ? store__fail(s, STORE_ENOTFOUND, "no such %s", r->what) : e;
}

enum store_err store__did(struct store *s, enum store__q q, const struct store__val *a, int n,
                          bool *did)
{
    long changed = 0;
    enum store_err e = store__exec(s, q, a, n, &changed);
    if (e == STORE_OK && did)
        *did = changed > 0;
    return e;
}

enum store_err store__count(struct store *s, enum store__q q, const struct store__val *a, int n,
                            long *out)
{
    int64_t v = 0;
    enum store_err e = store__one(s, q, a, n, &v, NULL);
    if (e == STORE_OK)
        *out = (long)v;
    return e;
}

enum store_err store__finish_got(struct store *s, bool got, const char *none)
{
    enum store_err e = store__finish(s, NULL);
    return e == STORE_OK && !got ? store__fail(s, STORE_ENOTFOUND, "%s", none) : e;
}

enum store_err store__page(struct store *s, enum store__q count, int nc, enum store__q q,
                           const struct store__val *a, int n, long *total)
{
    enum store_err e = store__count(s, count, a, nc, total);
    return e != STORE_OK ? e : store__query(s, q, a, n);
}

enum store_err store__missed(struct store *s, enum store__q exists, const struct store__val *a,
                             int n, const struct store__row *r, const char *why)
{
    int64_t found = 0;
    enum store_err e = store__one(s, exists, a, n, &found, NULL);
    if (e != STORE_OK)
        return e;
    if (!found)
        return store__fail(s, STORE_ENOTFOUND, "no such %s", r->what);
    return why ? store__fail(s, STORE_ECONFLICT, "%s", why) : STORE_OK;
}

/* ---- transactions ------------------------------------------------------------------------- */

static enum store_err begin(struct store *s, bool write)
{
    s->count.transactions++;
    return s->ops->begin(s, write);
}

enum store_err store__own_begin(struct store *s, bool *own)
{
    *own = !s->in_tx;
    return *own ? begin(s, true) : STORE_OK;
}

enum store_err store__own_end(struct store *s, bool own, enum store_err e)
{
    if (!own)
        return e;
    if (e == STORE_OK)
        return s->ops->end(s, true);
    s->ops->end(s, false);
    return e;
}

enum store_err store_tx_begin(struct store *s)
{
    STORE__ENTRY(s, s->in_tx || s->in_read, "a transaction is already open on this connection");
    enum store_err e = begin(s, true);
    s->in_tx = e == STORE_OK;
    return e;
}

enum store_err store_tx_commit(struct store *s)
{
    if (!s)
        return STORE_EINVAL;
    STORE__REFUSE(s, !s->in_tx, "no transaction is open on this connection");
    s->in_tx = false; /* over whatever commit says: a failed commit has rolled back */
    enum store_err e = s->ops->end(s, true);
    store__gen_settle(s);
    return e;
}

void store_tx_rollback(struct store *s)
{
    if (!s || !s->in_tx)
        return;
    s->in_tx = false;
    s->ops->end(s, false);
    store__gen_settle(s);
}

bool store_in_tx(const struct store *s)
{
    return s && s->in_tx;
}

enum store_err store_read_begin(struct store *s)
{
    STORE__ENTRY(s, s->in_tx || s->in_read, "a transaction or snapshot is already open");
    enum store_err e = begin(s, false);
    s->in_read = e == STORE_OK;
    return e;
}

void store_read_end(struct store *s)
{
    if (!s || !s->in_read)
        return;
    s->in_read = false;
    s->ops->end(s, true);
}

/* ---- the connection and the schema ------------------------------------------------------- */

enum store_err store_ping(struct store *s)
{
    STORE__READY(s);
    return s->ops->ping ? s->ops->ping(s) : store__exec(s, STORE__Q_PING, NULL, 0, NULL);
}

static int latest(const struct store *s)
{
    int v = 0;
    for (size_t i = 0; i < *s->ops->nmigrations; i++)
        if (s->ops->migrations[i].version > v)
            v = s->ops->migrations[i].version;
    return v;
}

static enum store_err version(struct store *s, int *cur)
{
    int64_t has = 0, v = 0;
    enum store_err e = store__one(s, STORE__Q_MIG_HAS, NULL, 0, &has, NULL);
    if (e == STORE_OK && has)
        e = store__one(s, STORE__Q_MIG_VERSION, NULL, 0, &v, NULL);
    if (e == STORE_OK)
        *cur = (int)v;
    return e;
}

enum store_err store_schema_version(struct store *s, int *current, int *newest)
{
    STORE__READY(s);
    int cur = 0;
    enum store_err e = version(s, &cur);
    if (e != STORE_OK)
        return e;
    if (current)
        *current = cur;
    if (newest)
        *newest = latest(s);
    return STORE_OK;
}

/* One migration per transaction, each under the migrations' lock: a second process running
 * migrate at the same time waits for the first, then finds the version already moved on. */
enum store_err store_migrate(struct store *s, int *from, int *to)
{
    STORE__ENTRY(s, s->in_tx || s->in_read, "migrate: not inside a transaction");
    enum store_err e;
    const int newest = latest(s);
    int cur = 0, applied = 0;
    (void)store__exec(s, STORE__Q_MIG_WAIT, NULL, 0, NULL);
    for (;;) {
        if ((e = begin(s, true)) != STORE_OK)
            break;
        e = store__exec(s, STORE__Q_MIG_LOCK, NULL, 0, NULL);
        if (e == STORE_OK)
            e = store__exec(s, STORE__Q_MIG_TABLE, NULL, 0, NULL);
        if (e == STORE_OK)
            e = version(s, &cur);
        if (e == STORE_OK && cur > newest)
            e = store__fail(s, STORE_EVERSION,
                            "the database schema is at version %d, newer than this eimza "
                            "knows (%d): upgrade eimza",
                            cur, newest);
        const struct store_migration *m = NULL;
        for (size_t i = 0; e == STORE_OK && i < *s->ops->nmigrations; i++)
            if (s->ops->migrations[i].version > cur &&
                (!m || s->ops->migrations[i].version < m->version))
                m = &s->ops->migrations[i];
        if (e != STORE_OK || !m) {
            e = store__own_end(s, true, e);
            break;
        }
        if ((e = s->ops->exec(s, m->sql, NULL, 0, NULL)) != STORE_OK) {
            char why[STORE_ERR_MAX];
            snprintf(why, sizeof why, "%s", s->err);
            store__fail(s, e, "migration %s failed: %s", m->name, why);
        } else {
            const struct store__val a[] = {store__vi(m->version), store__vt(m->name),
                                           store__vi((int64_t)time(NULL))};
            e = store__exec(s, STORE__Q_MIG_ADD, a, 3, NULL);
        }
        if ((e = store__own_end(s, true, e)) != STORE_OK)
            break;
        cur = m->version;
        applied++;
    }
    (void)store__exec(s, STORE__Q_MIG_DONE, NULL, 0, NULL);
    if (e != STORE_OK)
        return e;
    /* Another process may have applied some steps between two of ours: "from" is counted back
     * from what this call applied, so to - from is always its own count. */
    if (from)
        *from = cur - applied;
    if (to)
        *to = cur;
    return STORE_OK;
}

/* ---- the personnel import -----------------------------------------------------------------
 * Generic: one write transaction, a prepared upsert per row whose WHERE skips unchanged rows;
 * the counts come from the rows each upsert changed and the table's size before and after.
 * A driver with a faster way (COPY) brings its own hooks. */

static void import_untune(struct store *s)
{
    (void)store__exec(s, s->scanning ? STORE__Q_SCAN_CACHE : STORE__Q_PLAIN_CACHE, NULL, 0,
                      NULL); /* only speed depends on it */
}

enum store_err store_personnel_import_begin(struct store *s)
{
    STORE__ENTRY(s, s->in_tx || s->in_read, "a personnel import cannot run inside a transaction");
    enum store_err e;
    memset(&s->imp, 0, sizeof s->imp);
    s->imp.now = (int64_t)time(NULL);
    if (s->ops->import_begin) {
        e = s->ops->import_begin(s);
    } else if ((e = begin(s, true)) == STORE_OK) {
        int64_t before = 0;
        e = store__one(s, STORE__Q_P_COUNT, NULL, 0, &before, NULL);
        s->imp.before = (long)before;
        if (e == STORE_OK)
            (void)store__exec(s, STORE__Q_IMPORT_CACHE, NULL, 0, NULL);
        else
            s->ops->end(s, false);
    }
    s->importing = e == STORE_OK;
    return e;
}

enum store_err store_personnel_import_row(struct store *s, const struct core_personnel *p)
{
    if (!s)
        return STORE_EINVAL;
    STORE__REFUSE(s, !s->importing, "no personnel import is running");
    STORE__REFUSE(s, !p, "no personnel record given");
    if (s->ops->import_row)
        return s->ops->import_row(s, p);
    struct store__val v[STORE__MAXARGS];
    long changed = 0;
    enum store_err e;
    v[0] = store__vi(s->imp.now);
    if (store__row_bind(&store__personnel, p, v + 1) < 0)
        e = store__fail(s, STORE_EINVAL, "a personnel field is not NUL-terminated");
    else
        e = store__exec(s, STORE__Q_P_UPSERT, v, 1 + (int)store__personnel.ncols, &changed);
    if (e != STORE_OK) {
        s->imp.failed = true;
        return e;
    }
    s->imp.rows++;
    s->imp.changes += changed;
    return STORE_OK;
}

/* Ends the import (commit or not); the rows that changed something are summed, the new ones are
 * how many more rows there are now, and every other change rewrote a stored record. */
static enum store_err import_end(struct store *s, bool commit, struct store_import_stats *st)
{
    s->importing = false; /* over whatever the end says: a failed commit has rolled back */
    if (s->ops->import_end)
        return s->ops->import_end(s, commit, st);
    enum store_err e = STORE_OK;
    int64_t after = 0;
    if (commit && s->imp.failed)
        e = store__fail(s, STORE_EINVAL, "a row of the import failed: the import was rolled back");
    if (commit && e == STORE_OK)
        e = store__one(s, STORE__Q_P_COUNT, NULL, 0, &after, NULL);
    e = store__own_end(s, true, commit ? e : STORE_EINVAL);
    import_untune(s);
    if (commit && e == STORE_OK) {
        st->inserted = (long)after - s->imp.before;
        st->updated = s->imp.changes - st->inserted;
        st->unchanged = s->imp.rows - s->imp.changes;
    }
    return commit ? e : STORE_OK;
}

enum store_err store_personnel_import_commit(struct store *s, struct store_import_stats *st)
{
    if (!s)
        return STORE_EINVAL;
    STORE__REFUSE(s, !s->importing, "no personnel import is running");
    struct store_import_stats tmp = {0};
    enum store_err e = import_end(s, true, &tmp);
    if (e == STORE_OK && st)
        *st = tmp;
    return e;
}

void store_personnel_import_abort(struct store *s)
{
    struct store_import_stats tmp;
    if (s && s->importing)
        (void)import_end(s, false, &tmp);
}

enum store_err store_personnel_get(struct store *s, const char *tckn, struct core_personnel *out)
{
    STORE__ENTRY(s, !tckn || !out, "personnel_get: missing argument");
    return store__get(s, STORE__Q_P_GET, STORE__A(store__vt(tckn)), &store__personnel, 0, out);
}

static enum store_err count(struct store *s, enum store__q q, long *n)
{
    STORE__ENTRY(s, !n, "%s: missing argument", store__what(q));
    return store__count(s, q, NULL, 0, n);
}

enum store_err store_personnel_count(struct store *s, long *n)
{
    return count(s, STORE__Q_P_COUNT, n);
}

/* ---- certificates ------------------------------------------------------------------------- */

enum store_err store_certificate_put(struct store *s, const struct core_certificate *c,
                                     const unsigned char *der, size_t derlen, bool *inserted)
{
    STORE__ENTRY(s, !c || !der || !derlen || derlen > INT32_MAX,
                 "certificate_put: missing certificate or DER");
    STORE__REFUSE(s,
                  strnlen(c->fingerprint, sizeof c->fingerprint) != CORE_FPR_LEN || !c->serial[0] ||
                      !c->issuer[0],
                  "certificate_put: fingerprint, serial and issuer are required");
    struct store__val a[STORE__MAXARGS] = {store__vblob(der, derlen),
                                           store__vi((int64_t)time(NULL))};
    STORE__REFUSE(s, store__row_bind(&store__cert, c, a + 2) < 0,
                  "a certificate field is not NUL-terminated");
    if (!inserted) /* nobody waits for the outcome */
        return store__send(s, STORE__Q_C_PUT, a, 2 + (int)store__cert.ncols);
    return store__did(s, STORE__Q_C_PUT, a, 2 + (int)store__cert.ncols, inserted);
}

enum store_err store_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                        int64_t revoked_at, bool *changed)
{
    STORE__ENTRY(s, !issuer || !serial, "certificate_revoke: missing issuer or serial");
    /* 0 reads back as "not revoked" (core_certificate.revoked_at). */
    STORE__REFUSE(s, revoked_at <= 0, "certificate_revoke: no revocation time");
    const struct store__val a[] = {store__vt(issuer), store__vt(serial), store__vi(revoked_at)};
    bool did = false;
    enum store_err e = store__did(s, STORE__Q_C_REVOKE, a, 3, &did);
    if (e == STORE_OK && !did) /* already revoked, or unknown */
        e = store__missed(s, STORE__Q_C_EXISTS, a, 2, &store__cert, NULL);
    if (e == STORE_OK && changed)
        *changed = did;
    return e;
}

enum store_err store_certificate_current(struct store *s, const char *tckn,
                                         struct core_certificate *out)
{
    STORE__ENTRY(s, !tckn || !out, "certificate_current: missing argument");
    return store__get(s, STORE__Q_C_CURRENT, STORE__A(store__vt(tckn)), &store__cert, 0, out);
}

enum store_err store_certificate_count(struct store *s, long *n)
{
    return count(s, STORE__Q_C_COUNT, n);
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

int store_audit_digest_add(char d[STORE_AUDIT_HASH_LEN + 1], const struct store_audit_record *r)
{
    char link[STORE_AUDIT_HASH_LEN + 1], both[2 * STORE_AUDIT_HASH_LEN + 1];
    if (store_audit_hash(r->seq, r->hash, &r->e, link) != 0)
        return -1;
    int n = snprintf(both, sizeof both, "%s%s", d, link);
    return crypto_sha256_hex(both, (size_t)n, d);
}

/* Under the audit lock (SQLite: the write lock its transaction takes at once; PostgreSQL: an
 * advisory lock) from the read of the last entry to the commit: no other connection can append
 * in between, so the chain cannot fork. */
enum store_err store_audit_append(struct store *s, const struct store_audit_entry *e)
{
    return store__audit_append(s, e, NULL);
}

enum store_err store__audit_append(struct store *s, const struct store_audit_entry *e, int64_t *seq)
{
    STORE__ENTRY(s, !e || !e->actor || !*e->actor || !e->action || !*e->action,
                 "audit_append: actor and action are required");
    /* What is stored is what is hashed: the defaults are filled in before either. */
    struct store_audit_record r = {.e = *e, .prev_hash = STORE_AUDIT_GENESIS};
    char prev[STORE_AUDIT_HASH_LEN + 1] = STORE_AUDIT_GENESIS, hash[STORE_AUDIT_HASH_LEN + 1];
    if (!r.e.object)
        r.e.object = "";
    if (!r.e.detail)
        r.e.detail = "{}";
    bool own;
    enum store_err err = store__own_begin(s, &own);
    if (err != STORE_OK)
        return err;
    err = store__send(s, STORE__Q_A_LOCK, NULL, 0);
    if (err == STORE_OK)
        err = store__query(s, STORE__Q_A_LAST, NULL, 0);
    if (err == STORE_OK && store__next(s)) {
        const char *h = store__col_str(s, 1);
        r.seq = store__col_int(s, 0);
        if (!h || strlen(h) != STORE_AUDIT_HASH_LEN || !store__is_hash(h))
            s->q_err = store__fail(s, STORE_EIO, "the last audit entry's hash is malformed");
        else
            memcpy(prev, h, sizeof prev);
    }
    if (err == STORE_OK)
        err = store__finish(s, NULL);
    r.seq++;
    r.prev_hash = prev;
    r.hash = hash;
    if (err == STORE_OK && store_audit_hash(r.seq, prev, &r.e, hash) != 0)
        err = store__fail(s, STORE_ENOMEM, "hashing an audit entry failed");
    struct store__val a[STORE__MAXARGS];
    if (err == STORE_OK && store__row_bind(&store__audit, &r, a) == 0)
        err = store__send(s, STORE__Q_A_INSERT, a, (int)store__audit.ncols);
    if (seq)
        *seq = r.seq;
    return store__own_end(s, own, err);
}

enum store_err store_audit_each(struct store *s, int64_t after_seq,
                                int (*fn)(void *ctx, const struct store_audit_record *r), void *ctx)
{
    STORE__ENTRY(s, !fn, "audit_each: no callback");
    enum { PAGE = 500 };
    for (bool more = true, stop = false; more && !stop;) {
        struct store_audit_record r;
        long n = 0;
        store__query(s, STORE__Q_A_PAGE, STORE__A(store__vi(after_seq), store__vi(PAGE)));
        while (!stop && store__fetch(s, &store__audit, 0, &r)) {
            n++;
            after_seq = r.seq;
            stop = fn(ctx, &r) != 0;
        }
        enum store_err e = store__finish(s, NULL);
        if (e != STORE_OK)
            return e;
        more = n == PAGE;
    }
    return STORE_OK;
}

/* ---- backups ------------------------------------------------------------------------------ */

/* What a backup and a restore ask first: a file, no transaction open, a driver that can (the
 * other's tools named otherwise). */
static enum store_err backup_ready(struct store *s, const char *what, const char *path, bool can,
                                   const char *tools, struct store_backup_stats *st)
{
    STORE__ENTRY(s, !path || !*path || !st, "%s: no file given", what);
    STORE__REFUSE(s, s->in_tx || s->in_read, "%s: not inside a transaction", what);
    STORE__REFUSE(s, !can, "a %s database is %s with its own tools (%s: docs/DEPLOYMENT.md)",
                  s->ops->name, strcmp(what, "backup") ? "restored" : "backed up", tools);
    memset(st, 0, sizeof *st);
    return STORE_OK;
}

enum store_err store_backup(struct store *s, const char *path, struct store_backup_stats *st)
{
    enum store_err e =
        backup_ready(s, "backup", path, s && s->ops->backup, "pg_dump or pg_basebackup", st);
    return e ? e : s->ops->backup(s, path, st);
}

enum store_err store_restore(struct store *s, const char *path, struct store_backup_stats *st)
{
    enum store_err e = backup_ready(s, "restore", path, s && s->ops->restore, "pg_restore", st);
    if (e)
        return e;
    e = s->ops->restore(s, path, st);
    store__gen_all(s); /* every session and application may differ now */
    return e;
}

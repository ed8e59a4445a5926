/* eimza — the SQLite driver of the store (store_int.h, struct store_ops).
 *
 * One sqlite3 connection per struct store, opened in WAL mode with foreign keys on, a busy
 * timeout (writers wait for each other instead of failing at once) and synchronous=FULL: the
 * WAL is synced at every commit, so a transaction answered as committed survives a power cut
 * (NORMAL, which syncs only at checkpoints, can lose the last commits; tests/crash/powerloss.c
 * shows both, and docs/PERFORMANCE.md what FULL costs). Every catalogue
 * statement is prepared once per connection, on first use, and kept; after each use it is
 * reset, so no read snapshot outlives a statement. Write transactions take the write lock up
 * front (BEGIN IMMEDIATE), so use cases that read before they write (the audit chain, the
 * outbox claim, migrations) serialise instead of both reading the same state; a read snapshot
 * (BEGIN DEFERRED) takes the read lock once for several statements.
 *
 * The personnel import is the store's generic one (a prepared upsert per row in one
 * transaction, store.c) with a larger page cache: measured through the API, 1,000,000 rows
 * import in about one `sqlite3 .import` of the same rows, at 45 MiB peak RSS
 * (bench/import_personnel.sh). An online backup (sqlite3_backup_*) belongs here as a hook.
 */
#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/date.h"

#define SQ_BUSY_MS   5000       /* a writer waits this long for another one */
#define SQ_WAL_LIMIT "67108864" /* truncate the WAL back to 64 MiB after a checkpoint */

enum { SQ_BEGIN, SQ_READ, SQ_COMMIT, SQ_ROLLBACK, SQ_TX };
static const char *const sq_tx_sql[SQ_TX] = {"BEGIN IMMEDIATE", "BEGIN DEFERRED", "COMMIT",
                                             "ROLLBACK"};

struct sq {
    struct store base; /* first: a struct store * is a struct sq * */
    sqlite3 *db;
    sqlite3_stmt *st[STORE__Q_COUNT];
    sqlite3_stmt *tx[SQ_TX];
    sqlite3_stmt *cur; /* the running statement */
    int rc;            /* its last step */
    bool fresh;        /* its first row was stepped by run and not handed out yet */
};

static struct sq *sq_of(struct store *s)
{
    return (struct sq *)s;
}

/* Records the failure of what and maps SQLite's code: refused by a constraint ->
 * STORE_ECONFLICT, out of memory -> STORE_ENOMEM, anything else STORE_EIO. SQLite's messages
 * name tables, columns and constraints, never the values. */
static enum store_err sq_fail(struct sq *q, int rc, const char *what)
{
    enum store_err e = STORE_EIO;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        e = STORE_ECONFLICT;
    else if ((rc & 0xff) == SQLITE_NOMEM)
        e = STORE_ENOMEM;
    else if ((rc & 0xff) == SQLITE_TOOBIG)
        e = STORE_EINVAL;
    q->base.err_fk = rc == SQLITE_CONSTRAINT_FOREIGNKEY;
    return store__fail(&q->base, e, "%s: %s (sqlite %d)", what,
                       q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc), rc);
}

static int sq_bind(sqlite3_stmt *st, const struct store__val *a, int n)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        const struct store__val *v = &a[i];
        char date[CORE_DATE_STRLEN + 1];
        if ((v->t == STORE__V_TEXT || v->t == STORE__V_BLOB) && v->n > INT32_MAX)
            return SQLITE_TOOBIG;
        switch (v->t) {
        case STORE__V_NULL:
            rc = sqlite3_bind_null(st, i + 1);
            break;
        case STORE__V_INT:
        case STORE__V_BOOL:
            rc = sqlite3_bind_int64(st, i + 1, v->i);
            break;
        case STORE__V_TEXT:
            rc = sqlite3_bind_text(st, i + 1, v->p, (int)v->n, SQLITE_STATIC);
            break;
        case STORE__V_BLOB: /* an empty one stays a blob, not NULL */
            rc = v->n ? sqlite3_bind_blob(st, i + 1, v->p, (int)v->n, SQLITE_STATIC)
                      : sqlite3_bind_zeroblob(st, i + 1, 0);
            break;
        case STORE__V_DATE:
            core_date_format((int32_t)v->i, date);
            rc = date[0] ? sqlite3_bind_text(st, i + 1, date, -1, SQLITE_TRANSIENT)
                         : sqlite3_bind_null(st, i + 1);
            break;
        }
    }
    return rc;
}

static enum store_err sq_prepare(struct store *s, enum store__q id)
{
    struct sq *q = sq_of(s);
    if (q->st[id])
        return STORE_OK;
    const char *sql = store__sql(id, STORE__SQLITE);
    if (!sql)
        return store__fail(s, STORE_ENOMEM, "%s: building the statement", store__what(id));
    int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->st[id], NULL);
    if (rc != SQLITE_OK) {
        q->st[id] = NULL;
        return sq_fail(q, rc, store__what(id));
    }
    return STORE_OK;
}

/* Steps st (bound) up to its first row; a failure resets it. */
static enum store_err sq_start(struct sq *q, sqlite3_stmt *st, const char *what)
{
    q->cur = st;
    q->rc = sqlite3_step(st);
    q->fresh = q->rc == SQLITE_ROW;
    if (q->rc == SQLITE_ROW || q->rc == SQLITE_DONE)
        return STORE_OK;
    enum store_err e = sq_fail(q, q->rc, what);
    sqlite3_reset(st);
    q->cur = NULL;
    return e;
}

static enum store_err sq_run(struct store *s, enum store__q id, const struct store__val *a, int n)
{
    struct sq *q = sq_of(s);
    enum store_err e = sq_prepare(s, id);
    if (e != STORE_OK)
        return e;
    int rc = sq_bind(q->st[id], a, n);
    if (rc != SQLITE_OK) {
        sqlite3_reset(q->st[id]);
        return sq_fail(q, rc, store__what(id));
    }
    return sq_start(q, q->st[id], store__what(id));
}

static int sq_next(struct store *s)
{
    struct sq *q = sq_of(s);
    if (q->fresh) {
        q->fresh = false;
        return 1;
    }
    if (q->rc != SQLITE_ROW)
        return 0;
    q->rc = sqlite3_step(q->cur);
    if (q->rc == SQLITE_ROW)
        return 1;
    if (q->rc == SQLITE_DONE)
        return 0;
    sq_fail(q, q->rc, store__what(s->q));
    return -1;
}

/* One SQLite call per column where it can be: an INT is read as a number at once (SQL NULL
 * reads as 0, which is what every caller of an INT wants), a TEXT's pointer is NULL only for
 * SQL NULL (an empty text is ""); only BLOB and the bare NULL test ask for the type. */
static int sq_col(struct store *s, int i, enum store__vt want, struct store__val *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = q->cur;
    out->t = want;
    if (want == STORE__V_INT) {
        out->i = sqlite3_column_int64(st, i);
    } else if (want == STORE__V_TEXT) {
        if (!(out->p = sqlite3_column_text(st, i)))
            out->t = STORE__V_NULL;
        else
            out->n = (size_t)sqlite3_column_bytes(st, i);
        return out->p || sqlite3_errcode(q->db) != SQLITE_NOMEM ? 0 : -1;
    } else if (sqlite3_column_type(st, i) == SQLITE_NULL) {
        out->t = STORE__V_NULL;
    } else if (want == STORE__V_NULL) {
        out->t = STORE__V_INT; /* anything but NULL */
    } else {
        out->p = sqlite3_column_blob(st, i);
        out->n = (size_t)sqlite3_column_bytes(st, i);
        if (!out->p)
            out->p = ""; /* an empty blob */
    }
    return 0;
}

/* A write whose rows were not all read runs to its end first, so its change is whole. */
static void sq_finish(struct store *s, long *changes)
{
    struct sq *q = sq_of(s);
    bool writes = !sqlite3_stmt_readonly(q->cur);
    while (writes && q->rc == SQLITE_ROW)
        q->rc = sqlite3_step(q->cur);
    *changes = writes ? (long)sqlite3_changes(q->db) : 0;
    sqlite3_reset(q->cur);
    q->cur = NULL;
    q->fresh = false;
}

static enum store_err sq_exec(struct store *s, const char *sql, const struct store__val *a, int n,
                              long *changes)
{
    struct sq *q = sq_of(s);
    if (n == 0) {
        int rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);
        if (changes)
            *changes = (long)sqlite3_changes(q->db);
        return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc, "running SQL");
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sq_bind(st, a, n);
    while (rc == SQLITE_OK || rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    enum store_err e = rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, "running SQL");
    if (e == STORE_OK && changes)
        *changes = (long)sqlite3_changes(q->db);
    sqlite3_finalize(st);
    return e;
}

static enum store_err sq_tx(struct sq *q, int which, const char *what)
{
    int rc = SQLITE_OK;
    if (!q->tx[which])
        rc = sqlite3_prepare_v3(q->db, sq_tx_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                &q->tx[which], NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q->tx[which]);
    if (q->tx[which])
        sqlite3_reset(q->tx[which]);
    return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, what);
}

/* BEGIN DEFERRED takes no lock itself: the first read takes the read lock, which the
 * statements after it share until the end (a COMMIT of a transaction that wrote nothing). */
static enum store_err sq_begin(struct store *s, bool write)
{
    return sq_tx(sq_of(s), write ? SQ_BEGIN : SQ_READ, "starting a transaction");
}

static enum store_err sq_end(struct store *s, bool commit)
{
    struct sq *q = sq_of(s);
    enum store_err e = commit ? sq_tx(q, SQ_COMMIT, "committing a transaction") : STORE_OK;
    if ((e != STORE_OK || !commit) && !sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL); /* the error recorded stays */
    return e;
}

/* ---- opening and closing ------------------------------------------------------------------ */

/* Makes dir and its missing parents (mode 0750: the database holds personal data). */
static int make_dirs(const char *dir)
{
    char tmp[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char c = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
            return -1;
        tmp[i] = c;
    }
    return 0;
}

/* Checks that the directory of path exists (making it when make_dir), so that a mistyped path
 * is reported as such rather than as SQLite's "unable to open database file". */
static enum store_err check_dir(const char *path, bool make_dir, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return STORE_OK; /* the current directory or / */
    char dir[4096];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir) {
        snprintf(err, errlen, "the database path is too long");
        return STORE_EINVAL;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return STORE_OK;
        snprintf(err, errlen, "'%s' (the database's directory) is not a directory", dir);
        return STORE_EIO;
    }
    if (errno != ENOENT || !make_dir) {
        snprintf(err, errlen, "the database's directory '%s' cannot be used: %s", dir,
                 strerror(errno));
        return STORE_EIO;
    }
    if (make_dirs(dir) != 0) {
        snprintf(err, errlen, "cannot create the database's directory '%s': %s", dir,
                 strerror(errno));
        return STORE_EIO;
    }
    return STORE_OK;
}

static void sq_close(struct store *s)
{
    struct sq *q = sq_of(s);
    for (size_t i = 0; i < STORE__Q_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    for (size_t i = 0; i < SQ_TX; i++)
        sqlite3_finalize(q->tx[i]);
    sqlite3_close(q->db);
    free(q);
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .dialect = STORE__SQLITE,
    .migrations = store_migrations_sqlite,
    .nmigrations = &store_migrations_sqlite_count,
    .batch_rows = 1,
    .close = sq_close,
    .prepare = sq_prepare,
    .run = sq_run,
    .next = sq_next,
    .col = sq_col,
    .finish = sq_finish,
    .exec = sq_exec,
    .begin = sq_begin,
    .end = sq_end,
};

/* Before SQLite's first use in the process: no memory statistics, whose global mutex every
 * allocation of every connection would otherwise take (the server's threads share it). A
 * process that used SQLite before (a test's own connection) keeps the default. */
static void sq_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum store_err store__sqlite_open(const char *path, bool make_dir, struct store **out, char *err,
                                  size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sq_configure);
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    enum store_err e = check_dir(path, make_dir, err, errlen);
    if (e != STORE_OK)
        return e;
    struct sq *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return STORE_ENOMEM;
    }
    q->base.ops = &sq_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
#ifdef SQLITE_OPEN_EXRESCODE
    flags |= SQLITE_OPEN_EXRESCODE;
#endif
    int rc = sqlite3_open_v2(path, &q->db, flags, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(q->db, 1);
        sqlite3_busy_timeout(q->db, SQ_BUSY_MS);
        /* journal_mode first: it is where a file that is not a database is found out. */
        rc = sqlite3_exec(q->db,
                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                          "PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = " SQ_WAL_LIMIT,
                          NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the SQLite database '%s': %s", path,
                 q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        e = (rc & 0xff) == SQLITE_NOMEM ? STORE_ENOMEM : STORE_EIO;
        sqlite3_close(q->db);
        free(q);
        return e;
    }
    *out = &q->base;
    return STORE_OK;
}

/* eimza — the SQLite driver of the store (store_int.h, struct store_ops).
 *
 * One sqlite3 connection per struct store, to an existing file unless it is opened to create
 * one (store_open_create: `eimza migrate`), checked to run in WAL mode, with foreign keys on, a
 * busy timeout (writers wait for each other instead of failing at once) and synchronous=FULL: the
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
 * (bench/import_personnel.sh).
 *
 * Backups (issue 18) use SQLite's online backup API with the whole database copied in one
 * step: one read snapshot, so the copy is one moment of the database however busy the writers
 * (in WAL mode they are not held up; a copy made in many steps would start over after every
 * commit of another connection, and never end under steady writes). The copy goes to a new
 * file of mode 0600 beside the target, is turned into a self-contained rollback-journal
 * database, checked (integrity_check), synced, and only then takes its name (renameat2 with
 * RENAME_NOREPLACE: never over a file). A restore copies the other way, into the open
 * connection, so SQLite's own locks and WAL handle the replacement. Whether another process
 * has a database open is read from the locks SQLite holds while a connection is open: a
 * shared lock on the WAL index's DMS byte (byte 128 of the -shm file, docs: walformat.html)
 * and, in WAL mode, the shared lock on the database file.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"

#define SQ_BUSY_MS       5000 /* a writer waits this long for another one */
#define SQ_OPEN_RETRY_MS 10   /* between two tries to open a file another process is setting up */
#define SQ_WAL_LIMIT     "67108864" /* truncate the WAL back to 64 MiB after a checkpoint */

enum { SQ_BEGIN, SQ_READ, SQ_COMMIT, SQ_ROLLBACK, SQ_TX };
static const char *const sq_tx_sql[SQ_TX] = {"BEGIN IMMEDIATE", "BEGIN DEFERRED", "COMMIT",
                                             "ROLLBACK"};

struct sq {
    struct store base; /* first: a struct store * is a struct sq * */
    sqlite3 *db;
    sqlite3_stmt *st[STORE__Q_COUNT];
    sqlite3_stmt *tx[SQ_TX];
    sqlite3_stmt *cur;       /* the running statement */
    int rc;                  /* its last step */
    bool fresh;              /* its first row was stepped by run and not handed out yet */
    sqlite3_int64 size_seen; /* the file's largest size this connection saw (sq_ping) */
};

static struct sq *sq_of(struct store *s)
{
    return (struct sq *)s;
}

/* Records the failure of what and maps SQLite's code: refused by a constraint ->
 * STORE_ECONFLICT, out of memory -> STORE_ENOMEM, anything else STORE_EIO (a damaged file
 * counted in the connection's counters too). SQLite's messages name tables, columns and
 * constraints, never the values. */
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
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        q->base.count.damaged++;
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

/* ---- the ping ----------------------------------------------------------------------------- */

/* The connection's own open database file (its VFS handle), or NULL. */
static sqlite3_file *sq_file(struct sq *q)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK)
        return NULL;
    return f && f->pMethods ? f : NULL;
}

/* A pooled connection answers a trivial query from its page cache, and keeps reading a file
 * deleted or renamed over under it, so a ping that only asks a query says nothing once the
 * file is damaged. This one looks at the file itself, in constant time (a few system calls,
 * no page read, the cache kept):
 * 1. the file at the path is still the one opened (SQLite compares the open file's device and
 *    inode with the path's, and its link count: not deleted, not replaced by a rename);
 * 2. it is not shorter than this connection has seen it: an eimza database file never shrinks
 *    (no VACUUM; a checkpoint only writes pages the WAL holds), so a shorter one was cut;
 * 3. its first 100 bytes, read from the file (past the page cache and the WAL), are a SQLite
 *    header with a valid page size, in WAL mode (every connection of eimza sets it: junk
 *    written over the file, or a rollback-journal file such as a backup copied over it in
 *    place, fails);
 * 4. its schema cookie is not 0: a database with a schema (not an empty file put at the path;
 *    a connection of eimza never makes one: store__sqlite_open without create).
 * Damage deep inside the file is met by the request that reads it (counted in the connection's
 * counters: the server's pool closes it and remembers, web/http/dbpool.h); an integrity_check
 * would cost the whole file at every probe. */
static enum store_err sq_ping(struct store *s)
{
    struct sq *q = sq_of(s);
    const char *path = sqlite3_db_filename(q->db, "main");
    if (!path)
        path = "";
    int moved = 0;
    int rc = sqlite3_file_control(q->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved);
    if (rc != SQLITE_OK)
        return sq_fail(q, rc, "checking the database file");
    if (moved)
        return store__fail(s, STORE_EIO,
                           "the database file '%s' was deleted or replaced since this connection "
                           "opened it",
                           path);
    sqlite3_file *f = sq_file(q);
    sqlite3_int64 size = 0;
    unsigned char h[100];
    rc = f ? f->pMethods->xFileSize(f, &size) : SQLITE_IOERR;
    if (rc == SQLITE_OK && size < q->size_seen)
        return store__fail(s, STORE_EIO,
                           "the database file '%s' is shorter than this connection saw it (%lld "
                           "bytes, was %lld): cut short",
                           path, (long long)size, (long long)q->size_seen);
    if (rc == SQLITE_OK)
        rc = f->pMethods->xRead(f, h, (int)sizeof h, 0); /* short: IOERR_SHORT_READ */
    unsigned page = rc == SQLITE_OK ? (unsigned)h[16] << 8 | h[17] : 0;
    if (page == 1)
        page = 65536;
    if (rc != SQLITE_OK || memcmp(h, "SQLite format 3", 16) != 0 || page < 512 ||
        (page & (page - 1)) || h[18] != 2 || h[19] != 2)
        return store__fail(s, STORE_EIO,
                           "the database file '%s' is no longer a SQLite database in WAL mode "
                           "(overwritten or damaged; sqlite %d)",
                           path, rc);
    q->size_seen = size;
    int64_t cookie = 0;
    enum store_err e = store__one(s, STORE__Q_PING, NULL, 0, &cookie, NULL);
    if (e == STORE_OK && cookie == 0)
        e = store__fail(s, STORE_EIO, "the database file '%s' holds no schema (made again empty?)",
                        path);
    return e;
}

/* ---- backups ------------------------------------------------------------------------------ */

#define SQ_BACKUP_WAIT_MS 60000 /* how long a backup waits for a lock it cannot have at once */

/* Copies the whole of src into dst in one step (one read snapshot of src), waiting while
 * either side is locked. SQLITE_DONE on success. */
static int sq_copy(sqlite3 *dst, sqlite3 *src, struct store_backup_stats *st)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return sqlite3_errcode(dst);
    int rc, waited = 0;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (waited >= SQ_BACKUP_WAIT_MS)
            break;
        sqlite3_sleep(50);
        waited += 50;
    }
    st->pages = sqlite3_backup_pagecount(b);
    int fin = sqlite3_backup_finish(b);
    return rc == SQLITE_DONE && fin != SQLITE_OK ? fin : rc;
}

/* The first column of the first row of sql on db as text into out (empty when none). */
static int sq_pragma_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, len, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* fsync of a path (a file, or the folder that names it). */
static int sq_sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static enum store_err sq_backup(struct store *s, const char *path, struct store_backup_stats *st)
{
    struct sq *q = sq_of(s);
    char tmp[4200], dir[4096], check[64];
    sqlite3 *dst = NULL;
    enum store_err e = STORE_OK;
    struct stat sb;
    if (stat(path, &sb) == 0)
        return store__fail(s, STORE_ECONFLICT, "'%s' exists: a backup never overwrites a file",
                           path);
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
             slash ? path : ".");
    if (snprintf(tmp, sizeof tmp, "%s.partial-%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return store__fail(s, STORE_EINVAL, "backup: the file name is too long");
    /* the file made by us, 0600, before SQLite opens it (an empty file is an empty database) */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return store__fail(s, STORE_EIO, "backup: cannot create '%s': %s", tmp, strerror(errno));
    close(fd);
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sq_copy(dst, q->db, st);
    if (rc != SQLITE_DONE) {
        e = store__fail(s, (rc & 0xff) == SQLITE_NOMEM ? STORE_ENOMEM : STORE_EIO,
                        "backup: copying the database failed: %s (sqlite %d)",
                        dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc), rc);
        goto out;
    }
    /* one self-contained file, checked */
    rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sq_pragma_text(dst, "PRAGMA page_size", check, sizeof check);
    st->page_size = strtol(check, NULL, 10);
    if (rc == SQLITE_OK)
        rc = sq_pragma_text(dst, "PRAGMA integrity_check", check, sizeof check);
    if (rc != SQLITE_OK || strcmp(check, "ok") != 0) {
        e = store__fail(s, STORE_EIO, "backup: the copy does not pass its check: %s",
                        rc != SQLITE_OK ? sqlite3_errmsg(dst) : check);
        goto out;
    }
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK || sq_sync_path(tmp, false) != 0) {
        e = store__fail(s, STORE_EIO, "backup: writing '%s' failed", tmp);
        goto out;
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
        e = store__fail(s, errno == EEXIST ? STORE_ECONFLICT : STORE_EIO,
                        "backup: cannot name the copy '%s': %s", path, strerror(errno));
        goto out;
    }
    if (sq_sync_path(dir, true) != 0)
        e = store__fail(s, STORE_EIO, "backup: cannot sync the folder '%s'", dir);
out:
    if (dst)
        sqlite3_close(dst);
    if (e != STORE_OK) {
        unlink(tmp);
        char j[4300];
        snprintf(j, sizeof j, "%s-journal", tmp);
        unlink(j);
    }
    return e;
}

static enum store_err sq_restore(struct store *s, const char *path, struct store_backup_stats *st)
{
    struct sq *q = sq_of(s);
    sqlite3 *src = NULL;
    char size[32];
    enum store_err e = STORE_OK;
    int rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sq_pragma_text(src, "PRAGMA page_size", size, sizeof size);
    if (rc != SQLITE_OK) {
        e = store__fail(s, STORE_EIO, "restore: cannot read '%s': %s", path,
                        src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
        goto out;
    }
    st->page_size = strtol(size, NULL, 10);
    /* a copy that is whole, and of a schema this eimza knows */
    char check[64], ver[32];
    int newest = 0;
    for (size_t i = 0; i < *s->ops->nmigrations; i++)
        if (s->ops->migrations[i].version > newest)
            newest = s->ops->migrations[i].version;
    rc = sq_pragma_text(src, "PRAGMA integrity_check", check, sizeof check);
    if (rc != SQLITE_OK || strcmp(check, "ok") != 0) {
        e = store__fail(s, STORE_EIO, "restore: '%s' does not pass its integrity check: %s", path,
                        rc != SQLITE_OK ? sqlite3_errmsg(src) : check);
        goto out;
    }
    rc = sq_pragma_text(src, "SELECT coalesce(max(version), 0) FROM schema_migrations", ver,
                        sizeof ver);
    if (rc != SQLITE_OK || strtol(ver, NULL, 10) > newest) {
        e = store__fail(s, STORE_EINVAL,
                        rc != SQLITE_OK ? "restore: '%s' is not an eimza database"
                                        : "restore: '%s' was made by a newer eimza (schema "
                                          "newer than this one knows)",
                        path);
        goto out;
    }
    rc = sq_copy(q->db, src, st);
    if (rc != SQLITE_DONE) {
        e = store__fail(s, STORE_EIO, "restore: copying '%s' failed: %s (sqlite %d)", path,
                        sqlite3_errmsg(q->db), rc);
        goto out;
    }
    /* the WAL written back into the file, so the database is whole without it */
    rc = sqlite3_exec(q->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        e = sq_fail(q, rc, "restore: checkpoint");
out:
    if (src)
        sqlite3_close(src);
    return e;
}

/* A lock another process holds on the bytes [start, start + len) of path: its pid (or -1 when
 * the system does not say), 0 when none (or no such file). */
static long sq_lock_holder(const char *path, off_t start, off_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    long pid = 0;
    if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
        pid = fl.l_pid > 0 ? (long)fl.l_pid : -1;
    close(fd);
    return pid;
}

enum store_err store__sqlite_in_use(const char *path, long *pid, char *err, size_t errlen)
{
    char shm[4200];
    (void)err;
    (void)errlen;
    if (snprintf(shm, sizeof shm, "%s-shm", path) >= (int)sizeof shm) {
        snprintf(err, errlen, "the database path is too long");
        return STORE_EINVAL;
    }
    /* the WAL index's DMS lock: every open connection in WAL mode holds it shared */
    long holder = sq_lock_holder(shm, 128, 1);
    /* SQLite's lock bytes on the database file (PENDING, RESERVED, the SHARED range) */
    if (!holder)
        holder = sq_lock_holder(path, 0x40000000, 512);
    *pid = holder > 0 ? holder : 0;
    return holder ? STORE_ECONFLICT : STORE_OK;
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
    .backup = sq_backup,
    .restore = sq_restore,
    .ping = sq_ping,
};

/* Before SQLite's first use in the process: no memory statistics, whose global mutex every
 * allocation of every connection would otherwise take (the server's threads share it). A
 * process that used SQLite before (a test's own connection) keeps the default. */
static void sq_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Turns the connection to WAL mode and checks that it took: the pragma answers the mode it
 * left the database in, and a database that cannot be turned (a URI's nolock=1 or a VFS without
 * shared memory, such as unix-dotfile: a rollback-journal file then stays in "delete") would
 * otherwise run without the WAL every other connection and sq_ping rely on. Turning a new file
 * to WAL while another process does the same can be refused at once ("database is locked",
 * without the busy handler: two `eimza migrate` at a first start), so that is tried again, as
 * long as the busy timeout in all: timed on the clock, since a try can also wait the busy
 * timeout itself (a file emptied under open connections, which hold it shared for good, is
 * never turned). SQLITE_OK, or SQLite's code with the reason in err; a mode other than WAL is
 * SQLITE_CANTOPEN. */
static int sq_wal(struct sq *q, const char *path, char *err, size_t errlen)
{
    char mode[32] = "";
    struct timespec t0, t1;
    int rc;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        rc = sq_pragma_text(q->db, "PRAGMA journal_mode = WAL", mode, sizeof mode);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long waited = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        if ((rc & 0xff) != SQLITE_BUSY || waited >= SQ_BUSY_MS)
            break;
        sqlite3_sleep(SQ_OPEN_RETRY_MS);
    }
    if ((rc & 0xff) == SQLITE_READONLY) {
        snprintf(err, errlen,
                 "cannot turn the SQLite database '%s' to WAL mode: %s (the file or its directory "
                 "is read-only: eimza needs to write both)",
                 path, sqlite3_errmsg(q->db));
    } else if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the SQLite database '%s': %s", path,
                 sqlite3_errmsg(q->db));
    } else if (strcmp(mode, "wal") != 0) {
        snprintf(err, errlen,
                 "the SQLite database '%s' stays in journal mode '%.16s', not WAL (a URI's "
                 "nolock or vfs, or a file system without shared memory): eimza runs only in WAL "
                 "mode; open the file by its plain path on a local file system",
                 path, mode);
        rc = SQLITE_CANTOPEN;
    }
    return rc;
}

/* A connection that opens without create makes no file: a missing one is STORE_EVERSION (no
 * database, hence no schema: `eimza migrate` makes one), whatever the caller, so a file
 * deleted under a running server is never made again, empty, by its next connection. */
enum store_err store__sqlite_open(const char *path, bool create, struct store **out, char *err,
                                  size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sq_configure);
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    /* a "file:" URI's folder is its decoded path's (never a folder named "file:" here) */
    char file[4096];
    int named = store_sqlite_file(path, file, sizeof file);
    if (named < 0) {
        snprintf(err, errlen, "the database path is too long");
        return STORE_EINVAL;
    }
    enum store_err e = named ? check_dir(file, create, err, errlen) : STORE_OK;
    if (e != STORE_OK)
        return e;
    struct sq *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return STORE_ENOMEM;
    }
    q->base.ops = &sq_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
#ifdef SQLITE_OPEN_EXRESCODE
    flags |= SQLITE_OPEN_EXRESCODE;
#endif
    if (create && strncmp(path, "file:", 5) != 0 && strcmp(path, ":memory:") != 0) {
        /* a new database holds personal data: mode 0600 whatever the umask (SQLite would make
         * it 0644 less the umask, and its -wal and -shm take the database's mode) */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    int rc = sqlite3_open_v2(path, &q->db, flags, NULL);
    if (rc != SQLITE_OK) {
        bool missing = !create && (rc & 0xff) == SQLITE_CANTOPEN && q->db &&
                       sqlite3_system_errno(q->db) == ENOENT;
        if (missing)
            snprintf(err, errlen,
                     "there is no SQLite database at '%s' (deleted, moved, or never made): "
                     "'eimza migrate' makes a new one, 'eimza restore BACKUP.db' puts a backup "
                     "back",
                     path);
        else
            snprintf(err, errlen, "cannot open the SQLite database '%s': %s", path,
                     q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        e = missing ? STORE_EVERSION : (rc & 0xff) == SQLITE_NOMEM ? STORE_ENOMEM : STORE_EIO;
        goto fail;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, SQ_BUSY_MS);
    /* journal_mode first: it is also where a file that is not a database is found out */
    rc = sq_wal(q, path, err, errlen);
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(q->db,
                          "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                          "PRAGMA journal_size_limit = " SQ_WAL_LIMIT,
                          NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            snprintf(err, errlen, "cannot open the SQLite database '%s': %s", path,
                     sqlite3_errmsg(q->db));
    }
    if (rc != SQLITE_OK) {
        e = (rc & 0xff) == SQLITE_NOMEM ? STORE_ENOMEM : STORE_EIO;
        goto fail;
    }
    sqlite3_file *f = sq_file(q); /* the size the file has now, for sq_ping */
    if (f)
        (void)f->pMethods->xFileSize(f, &q->size_seen);
    *out = &q->base;
    return STORE_OK;
fail:
    sqlite3_close(q->db);
    free(q);
    return e;
}

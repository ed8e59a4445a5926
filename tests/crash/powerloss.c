/* eimza — power loss under SQLite: the store's transactions survive a power cut once they are
 * answered (committed), and the database is never corrupted.
 *
 * A test VFS ("powerloss", registered as the default before the store opens, so the store's
 * own connection goes through it) wraps the unix VFS, as SQLite's own crash tests do: every
 * write and truncation of the database and its WAL since that file's last xSync is recorded
 * with the bytes it replaced. At a power cut (the Nth write, sync or truncation from a random
 * point on, so it falls anywhere: inside a commit, a checkpoint, a WAL restart) the operation
 * fails, every later one fails too, the connection is closed, and then the files are put back
 * as a disk could have kept them:
 *   drop    none of the unsynced operations reached the disk;
 *   subset  each of them independently did or did not (the disk reordered them);
 *   torn    as subset, and a write that did may have reached it only in part (a prefix of
 *           512-byte sectors).
 * Then "reboot": the store opens the database again (SQLite recovers the WAL), and every
 * transaction whose commit returned STORE_OK must be there, intact (its outbox message's body
 * byte for byte and its audit entry), the audit chain must verify (app_audit_verify), nothing
 * must be half there (as many audit entries as messages), and PRAGMA integrity_check must say
 * ok. The transaction cut in flight may be there or not, but wholly.
 *
 * The workload is a use case's shape through the public store API (store.h): in one
 * transaction an outbox message (200 to 6,000 bytes, so pages spill and checkpoints happen;
 * the WAL is checkpointed every 20 pages here to reach those paths often) and an audit entry.
 *
 *   crash-powerloss [--cuts N] [--seed S] [--sync off|normal] [--expect-loss]
 * --sync overrides the store's PRAGMA synchronous (a connection hook of this program sets it
 * and ignores the store's own setting): the fault demonstration. With --expect-loss the run
 * passes only when a loss or a corruption is caught. Exit 0 when it holds, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/audit.h"
#include "store/store.h"

#define PL_TRACKS 8
#define PL_SECTOR 512

/* ---- the VFS ------------------------------------------------------------------------------ */

struct pl_op {
    bool trunc;
    sqlite3_int64 off;  /* write: where; truncate: the new size */
    int len;            /* write: bytes written */
    unsigned char *neu; /* write: the bytes written */
    unsigned char *old; /* the bytes replaced (write) or cut off (truncate) */
    int oldlen;
    sqlite3_int64 oldsize; /* the file's size before */
};

struct pl_track {
    char path[600];
    struct pl_op *ops;
    size_t n, cap;
};

struct pl_file {
    sqlite3_file base;
    struct pl_track *t; /* NULL: not tracked (temporary files) */
    sqlite3_file *real; /* right after this struct */
};

static sqlite3_vfs *pl_unix;
static struct pl_track pl_tracks[PL_TRACKS];
static long pl_events, pl_cut_at; /* pl_cut_at 0: no cut armed */
static bool pl_frozen;
static long pl_syncs;

static unsigned pl_rand(void)
{
    return (unsigned)random();
}

static struct pl_track *pl_track_for(const char *path)
{
    struct pl_track *free_t = NULL;
    for (int i = 0; i < PL_TRACKS; i++) {
        if (pl_tracks[i].path[0] && !strcmp(pl_tracks[i].path, path))
            return &pl_tracks[i];
        if (!pl_tracks[i].path[0] && !free_t)
            free_t = &pl_tracks[i];
    }
    if (free_t && strlen(path) < sizeof free_t->path)
        snprintf(free_t->path, sizeof free_t->path, "%s", path);
    return free_t && free_t->path[0] ? free_t : NULL;
}

static void pl_ops_clear(struct pl_track *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->ops[i].neu);
        free(t->ops[i].old);
    }
    t->n = 0;
}

/* One more write, sync or truncation of a tracked file: false when the power is (now) off. */
static bool pl_event(void)
{
    if (pl_frozen)
        return false;
    pl_events++;
    if (pl_cut_at && pl_events >= pl_cut_at) {
        pl_frozen = true;
        return false;
    }
    return true;
}

static struct pl_op *pl_op_new(struct pl_track *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct pl_op *o = realloc(t->ops, cap * sizeof *o);
        if (!o)
            abort();
        t->ops = o;
        t->cap = cap;
    }
    struct pl_op *o = &t->ops[t->n++];
    memset(o, 0, sizeof *o);
    return o;
}

static void *pl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* Records the bytes [off, off+len) of f about to be replaced, and its size. */
static void pl_keep_old(struct pl_file *f, struct pl_op *o, sqlite3_int64 off, sqlite3_int64 len)
{
    sqlite3_int64 size = 0;
    f->real->pMethods->xFileSize(f->real, &size);
    o->oldsize = size;
    sqlite3_int64 n = size > off ? size - off : 0;
    if (n > len)
        n = len;
    o->oldlen = (int)n;
    o->old = pl_xmalloc((size_t)n);
    if (n > 0)
        f->real->pMethods->xRead(f->real, o->old, (int)n, off);
}

static int pl_close(sqlite3_file *pf)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xClose(f->real);
}

static int pl_read(sqlite3_file *pf, void *buf, int amt, sqlite3_int64 off)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xRead(f->real, buf, amt, off);
}

static int pl_write(sqlite3_file *pf, const void *buf, int amt, sqlite3_int64 off)
{
    struct pl_file *f = (struct pl_file *)pf;
    if (f->t) {
        if (!pl_event())
            return SQLITE_IOERR_WRITE;
        struct pl_op *o = pl_op_new(f->t);
        o->off = off;
        o->len = amt;
        o->neu = pl_xmalloc((size_t)amt);
        memcpy(o->neu, buf, (size_t)amt);
        pl_keep_old(f, o, off, amt);
    }
    return f->real->pMethods->xWrite(f->real, buf, amt, off);
}

static int pl_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
    struct pl_file *f = (struct pl_file *)pf;
    if (f->t) {
        if (!pl_event())
            return SQLITE_IOERR_TRUNCATE;
        struct pl_op *o = pl_op_new(f->t);
        o->trunc = true;
        o->off = size;
        pl_keep_old(f, o, size, INT32_MAX);
    }
    return f->real->pMethods->xTruncate(f->real, size);
}

static int pl_sync(sqlite3_file *pf, int flags)
{
    struct pl_file *f = (struct pl_file *)pf;
    if (f->t && !pl_event())
        return SQLITE_IOERR_FSYNC;
    int rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK && f->t) {
        pl_ops_clear(f->t); /* on the disk now */
        pl_syncs++;
    }
    return rc;
}

static int pl_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xFileSize(f->real, size);
}

static int pl_lock(sqlite3_file *pf, int l)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xLock(f->real, l);
}

static int pl_unlock(sqlite3_file *pf, int l)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xUnlock(f->real, l);
}

static int pl_check_reserved(sqlite3_file *pf, int *out)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int pl_file_control(sqlite3_file *pf, int op, void *arg)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int pl_sector_size(sqlite3_file *pf)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xSectorSize(f->real);
}

static int pl_device(sqlite3_file *pf)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* The WAL index (-shm) is shared memory: passed through untouched (SQLite rebuilds it when
 * the first connection after a crash opens the database). */
static int pl_shm_map(sqlite3_file *pf, int pg, int sz, int extend, void volatile **pp)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xShmMap(f->real, pg, sz, extend, pp);
}

static int pl_shm_lock(sqlite3_file *pf, int off, int n, int flags)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xShmLock(f->real, off, n, flags);
}

static void pl_shm_barrier(sqlite3_file *pf)
{
    struct pl_file *f = (struct pl_file *)pf;
    f->real->pMethods->xShmBarrier(f->real);
}

static int pl_shm_unmap(sqlite3_file *pf, int del)
{
    struct pl_file *f = (struct pl_file *)pf;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

/* Version 2: no memory-mapped reads (xFetch), so every read goes through xRead. */
static const sqlite3_io_methods pl_methods = {
    .iVersion = 2,
    .xClose = pl_close,
    .xRead = pl_read,
    .xWrite = pl_write,
    .xTruncate = pl_truncate,
    .xSync = pl_sync,
    .xFileSize = pl_file_size,
    .xLock = pl_lock,
    .xUnlock = pl_unlock,
    .xCheckReservedLock = pl_check_reserved,
    .xFileControl = pl_file_control,
    .xSectorSize = pl_sector_size,
    .xDeviceCharacteristics = pl_device,
    .xShmMap = pl_shm_map,
    .xShmLock = pl_shm_lock,
    .xShmBarrier = pl_shm_barrier,
    .xShmUnmap = pl_shm_unmap,
};

static int pl_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *pf, int flags,
                   int *out_flags)
{
    struct pl_file *f = (struct pl_file *)pf;
    f->real = (sqlite3_file *)(f + 1);
    f->t = NULL;
    pf->pMethods = NULL;
    int rc = pl_unix->xOpen(pl_unix, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK)
        return rc;
    if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)))
        f->t = pl_track_for(name);
    pf->pMethods = &pl_methods;
    return SQLITE_OK;
}

static int pl_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    if (pl_frozen)
        return SQLITE_IOERR_DELETE;
    int rc = pl_unix->xDelete(pl_unix, name, sync_dir);
    for (int i = 0; i < PL_TRACKS; i++)
        if (pl_tracks[i].path[0] && !strcmp(pl_tracks[i].path, name))
            pl_ops_clear(&pl_tracks[i]);
    return rc;
}

static int pl_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    return pl_unix->xAccess(pl_unix, name, flags, out);
}

static int pl_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    return pl_unix->xFullPathname(pl_unix, name, n, out);
}

static int pl_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    return pl_unix->xRandomness(pl_unix, n, out);
}

static int pl_sleep(sqlite3_vfs *vfs, int us)
{
    return pl_unix->xSleep(pl_unix, us);
}

static int pl_time(sqlite3_vfs *vfs, double *out)
{
    return pl_unix->xCurrentTime(pl_unix, out);
}

static int pl_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    return pl_unix->xGetLastError(pl_unix, n, out);
}

static sqlite3_vfs pl_vfs = {
    .iVersion = 1,
    .zName = "powerloss",
    .xOpen = pl_open,
    .xDelete = pl_delete,
    .xAccess = pl_access,
    .xFullPathname = pl_full_path,
    .xRandomness = pl_randomness,
    .xSleep = pl_sleep,
    .xCurrentTime = pl_time,
    .xGetLastError = pl_last_error,
};

/* ---- the power cut and the disk after it ---------------------------------------------------- */

enum pl_mode { PL_DROP, PL_SUBSET, PL_TORN, PL__MODES };

static int pl_pwrite_all(int fd, const unsigned char *p, size_t n, off_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
        off += w;
    }
    return 0;
}

/* Puts every tracked file back as the disk kept it (all connections are closed). */
static int pl_restore(enum pl_mode mode)
{
    int rc = 0;
    for (int i = 0; i < PL_TRACKS; i++) {
        struct pl_track *t = &pl_tracks[i];
        if (!t->path[0] || t->n == 0)
            continue;
        int fd = open(t->path, O_RDWR | O_CLOEXEC);
        if (fd < 0) { /* deleted since: the deletion reached the disk */
            pl_ops_clear(t);
            continue;
        }
        /* back to the last synced state, newest operation first */
        for (size_t k = t->n; k-- > 0;) {
            struct pl_op *o = &t->ops[k];
            if (o->oldlen > 0 && pl_pwrite_all(fd, o->old, (size_t)o->oldlen, (off_t)o->off) < 0)
                rc = -1;
            if (ftruncate(fd, (off_t)o->oldsize) < 0)
                rc = -1;
        }
        /* then what of the rest reached the disk, in order */
        for (size_t k = 0; k < t->n && mode != PL_DROP; k++) {
            struct pl_op *o = &t->ops[k];
            if (pl_rand() % 2)
                continue;
            if (o->trunc) {
                if (ftruncate(fd, (off_t)o->off) < 0)
                    rc = -1;
                continue;
            }
            size_t n = (size_t)o->len;
            if (mode == PL_TORN && pl_rand() % 2 && n > PL_SECTOR)
                n = (size_t)(pl_rand() % (unsigned)(o->len / PL_SECTOR)) * PL_SECTOR;
            if (n && pl_pwrite_all(fd, o->neu, n, (off_t)o->off) < 0)
                rc = -1;
        }
        if (close(fd) < 0)
            rc = -1;
        pl_ops_clear(t);
    }
    return rc;
}

/* Everything on the disk now counts as synced (after setting up). */
static void pl_settle(void)
{
    for (int i = 0; i < PL_TRACKS; i++)
        pl_ops_clear(&pl_tracks[i]);
}

/* ---- the connection hook: checkpoint often; --sync overrides the store's setting ---------- */

static const char *pl_sync_override; /* "OFF" / "NORMAL", or NULL */
static sqlite3 *pl_last_db;          /* the connection opened last (the store's) */

static int pl_auth(void *ctx, int action, const char *a, const char *b, const char *c,
                   const char *d)
{
    /* a PRAGMA that sets synchronous (b: its value) is ignored: the override stays */
    if (action == SQLITE_PRAGMA && a && !sqlite3_stricmp(a, "synchronous") && b)
        return SQLITE_IGNORE;
    return SQLITE_OK;
}

static int pl_on_open(sqlite3 *db, char **err, const struct sqlite3_api_routines *api)
{
    char sql[64];
    pl_last_db = db;
    sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 20", NULL, NULL, NULL);
    if (pl_sync_override) {
        snprintf(sql, sizeof sql, "PRAGMA synchronous = %s", pl_sync_override);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        sqlite3_set_authorizer(db, pl_auth, NULL);
    }
    return SQLITE_OK;
}

/* ---- the workload and the checks ------------------------------------------------------------ */

/* The body of transaction n: its length and bytes follow from n alone. */
static void pl_body(long n, char *out, size_t cap)
{
    size_t len = 200 + (size_t)((n * 7919) % 5800);
    if (len >= cap)
        len = cap - 1;
    unsigned x = (unsigned)n * 2654435761u;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        out[i] = (char)('a' + (x >> 16) % 26);
    }
    out[len] = '\0';
}

static enum store_err pl_tx(struct store *s, long n)
{
    static char body[8192];
    char key[32], obj[32];
    bool inserted;
    pl_body(n, body, sizeof body);
    snprintf(key, sizeof key, "pl:%ld", n);
    snprintf(obj, sizeof obj, "%ld", n);
    struct store_outbox_msg m = {.channel = "sms",
                                 .recipient = "5321234567",
                                 .subject = "",
                                 .body = body,
                                 .dedupe_key = key};
    struct store_audit_entry a = {.at = 1700000000 + n,
                                  .actor = "cli",
                                  .action = "powerloss.tx",
                                  .object = obj,
                                  .detail = "{}"};
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK && (e = store_outbox_put(s, &m, 1700000000 + n, &inserted)) == STORE_OK &&
        (e = store_audit_append(s, &a)) == STORE_OK)
        return store_tx_commit(s);
    store_tx_rollback(s);
    return e;
}

struct pl_state {
    long committed; /* transactions 1..committed were answered STORE_OK */
    long inflight;  /* the one the power cut hit (0: none) */
};

/* After a reboot: what the database holds against what was answered. 0 when it holds. */
static int pl_check(struct store *s, const char *path, struct pl_state *st, char *why,
                    size_t whylen)
{
    static char want[8192];
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int rc = -1;
    long seen = 0, audits = -1;

    struct app_audit_report r;
    enum store_err e = app_audit_verify(s, &r);
    if (e != STORE_OK) {
        snprintf(why, whylen, "audit verify: %s (%s)", store_strerror(e), store_last_error(s));
        return -1;
    }
    if (r.problem != APP_AUDIT_INTACT) {
        snprintf(why, whylen, "audit chain broken at %lld: %s", (long long)r.seq,
                 app_audit_problem_code(r.problem));
        return -1;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, "unix") != SQLITE_OK) {
        snprintf(why, whylen, "open: %s", sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0) {
        snprintf(why, whylen, "integrity_check: %s",
                 q && sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0)
                                                : sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT CAST(substr(dedupe_key, 4) AS INTEGER) AS n, body FROM outbox "
                           "WHERE dedupe_key LIKE 'pl:%' ORDER BY n",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "reading the outbox: %s", sqlite3_errmsg(db));
        goto out;
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(q, 0);
        seen++;
        if (n != seen) {
            snprintf(why, whylen, "transaction %ld missing (found %ld next)", seen, n);
            goto out;
        }
        pl_body(n, want, sizeof want);
        const char *got = (const char *)sqlite3_column_text(q, 1);
        if (!got || strcmp(got, want) != 0) {
            snprintf(why, whylen, "transaction %ld: the message is not intact", n);
            goto out;
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log WHERE action = 'powerloss.tx'", -1,
                           &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        audits = (long)sqlite3_column_int64(q, 0);
    if (seen < st->committed) {
        snprintf(why, whylen, "%ld answered transactions lost (%ld of %ld kept)",
                 st->committed - seen, seen, st->committed);
        goto out;
    }
    if (seen > st->committed + (st->inflight ? 1 : 0)) {
        snprintf(why, whylen, "%ld transactions found, only %ld begun", seen,
                 st->committed + (st->inflight ? 1 : 0));
        goto out;
    }
    if (audits != seen) {
        snprintf(why, whylen, "%ld messages but %ld audit entries: half a transaction", seen,
                 audits);
        goto out;
    }
    st->committed = seen; /* the one in flight, when it made it, is kept from now on */
    st->inflight = 0;
    rc = 0;
out:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

static int pl_usage(void)
{
    fprintf(stderr, "usage: crash-powerloss [--cuts N] [--seed S] [--sync off|normal] "
                    "[--expect-loss]\n");
    return 2;
}

int main(int argc, char **argv)
{
    long cuts = 30;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    bool expect_loss = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cuts") && i + 1 < argc)
            cuts = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc && !strcmp(argv[i + 1], "off"))
            pl_sync_override = "OFF", i++;
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc && !strcmp(argv[i + 1], "normal"))
            pl_sync_override = "NORMAL", i++;
        else if (!strcmp(argv[i], "--expect-loss"))
            expect_loss = true;
        else
            return pl_usage();
    }
    srandom(seed);
    printf("powerloss: seed %u (--seed %u repeats the run), %ld power cuts, synchronous %s\n", seed,
           seed, cuts, pl_sync_override ? pl_sync_override : "as the store sets it");

    char dir[] = "/tmp/eimza-powerloss.XXXXXX", path[600], url[700], err[512], why[1024] = "";
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/pl.sqlite", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);

    pl_unix = sqlite3_vfs_find("unix");
    pl_vfs.szOsFile = (int)sizeof(struct pl_file) + pl_unix->szOsFile;
    pl_vfs.mxPathname = pl_unix->mxPathname;
    if (sqlite3_vfs_register(&pl_vfs, 1) != SQLITE_OK ||
        sqlite3_auto_extension((void (*)(void))pl_on_open) != SQLITE_OK) {
        fprintf(stderr, "powerloss: cannot register the test VFS\n");
        return 1;
    }

    struct store *s = NULL;
    int from, to, rc = 1;
    if (store_open_create(url, &s, err, sizeof err) != STORE_OK ||
        store_migrate(s, &from, &to) != STORE_OK) {
        fprintf(stderr, "powerloss: setting up: %s %s\n", err, s ? store_last_error(s) : "");
        goto done;
    }
    store_close(s);
    s = NULL;
    pl_settle();

    /* what the store really runs with: read on its own connection */
    if (store_open(url, &s, err, sizeof err) != STORE_OK) {
        fprintf(stderr, "powerloss: %s\n", err);
        goto done;
    }
    sqlite3_stmt *q = NULL;
    int sync_level = -1;
    if (sqlite3_prepare_v2(pl_last_db, "PRAGMA synchronous", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        sync_level = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    store_close(s);
    s = NULL;
    static const char *const levels[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
    printf("powerloss: the store's connection runs with synchronous=%s\n",
           sync_level >= 0 && sync_level < 4 ? levels[sync_level] : "?");
    if (!pl_sync_override && sync_level < 2) {
        printf("FAIL: the store's default must be synchronous=FULL or more\n");
        goto done;
    }

    struct pl_state st = {0, 0};
    long modes[PL__MODES] = {0}, caught = 0, cut = 0;
    for (cut = 1; cut <= cuts; cut++) {
        if (store_open(url, &s, err, sizeof err) != STORE_OK) {
            snprintf(why, sizeof why, "reopening after the power cut: %s", err);
            caught++;
            break;
        }
        if (pl_check(s, path, &st, why, sizeof why) < 0) {
            caught++;
            break;
        }
        pl_events = 0;
        pl_cut_at = 1 + (long)(pl_rand() % 400);
        for (;;) {
            long n = st.committed + 1;
            if (pl_tx(s, n) == STORE_OK) {
                st.committed = n;
                continue;
            }
            st.inflight = n;
            break;
        }
        if (!pl_frozen) {
            snprintf(why, sizeof why, "a transaction failed before the power cut: %s",
                     store_last_error(s));
            caught++;
            break;
        }
        store_close(s); /* its writes fail now: the power is off */
        s = NULL;
        enum pl_mode mode = (enum pl_mode)(pl_rand() % PL__MODES);
        modes[mode]++;
        if (pl_restore(mode) < 0) {
            fprintf(stderr, "powerloss: restoring the files failed\n");
            goto done;
        }
        pl_frozen = false;
        pl_cut_at = 0;
    }
    if (!caught) { /* the last reboot */
        if (store_open(url, &s, err, sizeof err) != STORE_OK) {
            snprintf(why, sizeof why, "reopening: %s", err);
            caught++;
        } else if (pl_check(s, path, &st, why, sizeof why) < 0) {
            caught++;
        }
    }
    printf("powerloss: %ld power cuts (%ld drop, %ld subset, %ld torn), %ld transactions "
           "answered and kept, %ld syncs\n",
           cut > cuts ? cuts : cut, modes[PL_DROP], modes[PL_SUBSET], modes[PL_TORN], st.committed,
           pl_syncs);
    if (caught)
        printf("powerloss: after power cut %ld: %s\n", cut > cuts ? cuts : cut, why);
    if (expect_loss) {
        rc = caught ? 0 : 1;
        printf(caught ? "ok - the loss under synchronous=%s is caught\n"
                      : "FAIL: synchronous=%s lost nothing the checks could see\n",
               pl_sync_override ? pl_sync_override : "?");
    } else {
        rc = caught ? 1 : 0;
        printf(caught ? "FAIL: %s\n" : "ok - every answered transaction survived%s\n",
               caught ? why : "");
    }
done:
    store_close(s);
    for (int i = 0; i < PL_TRACKS; i++) {
        pl_ops_clear(&pl_tracks[i]);
        free(pl_tracks[i].ops);
    }
    sqlite3_reset_auto_extension();
    char rm[700];
    snprintf(rm, sizeof rm, "%s/pl.sqlite", dir);
    unlink(rm);
    snprintf(rm, sizeof rm, "%s/pl.sqlite-wal", dir);
    unlink(rm);
    snprintf(rm, sizeof rm, "%s/pl.sqlite-shm", dir);
    unlink(rm);
    rmdir(dir);
    return rc;
}

/* eimza — the store's contract (store.h), one suite for both backends: ctest runs it with
 * EIMZA_TEST_BACKEND=sqlite and =postgresql, and every test gets a fresh database from
 * testdb.h. What a caller may rely on whatever the backend: URLs and errors (never a
 * password), migrations (idempotent, concurrent, a newer database refused), the personnel
 * import (counts, last row wins, all or nothing, even when the process dies), records that
 * come back byte for byte, certificates (idempotent put, revoke, current) and the audit
 * chain (linked, its hash as documented, one chain under concurrent appenders). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "crypto/hash.h"
#include "store/store.h"
#include "testdb.h"

/* The shared fixture of testdb.h: a fresh database and a connection. */
#define fx testdb_fx

static int setup_unmigrated(void **state)
{
    return testdb_fx_setup(state, false);
}

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* A plausible, valid record; n picks the T.C. Kimlik No. */
static void person(struct core_personnel *p, int n)
{
    char d9[16];
    core_personnel_clear(p);
    snprintf(d9, sizeof d9, "%09d", 100000000 + (n % 100000) * 7919);
    assert_int_equal(core_tckn_complete(d9, p->tckn), 0);
    snprintf(p->first_name, sizeof p->first_name, "Ayşe");
    snprintf(p->last_name, sizeof p->last_name, "Yılmaz");
    snprintf(p->birth_place, sizeof p->birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p->birth_date), 0);
    snprintf(p->institution_code, sizeof p->institution_code, "720001");
    snprintf(p->institution_name, sizeof p->institution_name, "Batman Anadolu Lisesi");
    p->province = 72;
    snprintf(p->district, sizeof p->district, "Merkez");
    snprintf(p->unit, sizeof p->unit, "Müdürlük");
    snprintf(p->title, sizeof p->title, "Öğretmen");
    p->duty = CORE_DUTY_ACTIVE;
    p->entitled = true;
    snprintf(p->email, sizeof p->email, "kisi%d@meb.gov.tr", n);
    snprintf(p->mobile_phone, sizeof p->mobile_phone, "532%07d", n);
}

/* One import of rows; the store's error, with the import aborted on a failed row. */
static enum store_err import(struct store *s, const struct core_personnel *rows, size_t n,
                             struct store_import_stats *st)
{
    enum store_err e = store_personnel_import_begin(s);
    if (e != STORE_OK)
        return e;
    for (size_t i = 0; i < n; i++) {
        if ((e = store_personnel_import_row(s, &rows[i])) != STORE_OK) {
            store_personnel_import_abort(s);
            return e;
        }
    }
    return store_personnel_import_commit(s, st);
}

static void assert_stats(const struct store_import_stats *st, long ins, long upd, long unch)
{
    assert_int_equal(st->inserted, ins);
    assert_int_equal(st->updated, upd);
    assert_int_equal(st->unchanged, unch);
}

static void assert_person_equal(const struct core_personnel *a, const struct core_personnel *b)
{
    assert_string_equal(a->tckn, b->tckn);
    assert_string_equal(a->first_name, b->first_name);
    assert_string_equal(a->last_name, b->last_name);
    assert_string_equal(a->birth_place, b->birth_place);
    assert_int_equal(a->birth_date, b->birth_date);
    assert_string_equal(a->institution_code, b->institution_code);
    assert_string_equal(a->institution_name, b->institution_name);
    assert_int_equal(a->province, b->province);
    assert_string_equal(a->district, b->district);
    assert_string_equal(a->unit, b->unit);
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->duty, b->duty);
    assert_int_equal(a->assignment_end, b->assignment_end);
    assert_int_equal(a->entitled, b->entitled);
    assert_string_equal(a->email, b->email);
    assert_string_equal(a->mobile_phone, b->mobile_phone);
}

static long personnel_count(struct store *s)
{
    long n = -1;
    assert_int_equal(store_personnel_count(s, &n), STORE_OK);
    return n;
}

/* ---- opening ------------------------------------------------------------------------------ */

/* Opens url, expecting failure with want (or any error when want is STORE_OK); the error
 * text must not contain secret. */
static void expect_open_fails(const char *url, enum store_err want, const char *secret)
{
    struct store *s = (struct store *)(uintptr_t)1; /* must be reset to NULL */
    char err[512] = "untouched";
    enum store_err e = store_open(url, &s, err, sizeof err);
    if (want != STORE_OK)
        assert_int_equal(e, want);
    else
        assert_int_not_equal(e, STORE_OK);
    assert_null(s);
    assert_true(err[0] != '\0' && strcmp(err, "untouched") != 0);
    if (secret && strstr(err, secret)) {
        fprintf(stderr, "error text leaks the password: %s\n", err);
        fail();
    }
}

static void test_open_bad_urls(void **state)
{
    (void)state;
    expect_open_fails(NULL, STORE_EINVAL, NULL);
    expect_open_fails("", STORE_EINVAL, NULL);
    expect_open_fails("sqlite:", STORE_EINVAL, NULL);
    expect_open_fails("mysql://root:Hunter2secret@db/eimza", STORE_EINVAL, "Hunter2secret");
    /* libpq refuses these while parsing; its messages quote the piece it choked on. */
    expect_open_fails("postgresql://eimza:Hunter2%zzsecret@127.0.0.1/eimza", STORE_EINVAL,
                      "Hunter2");
    expect_open_fails("postgresql://eimza@127.0.0.1/eimza?password=Hunter2secret&bogus=1",
                      STORE_EINVAL, "Hunter2secret");
    /* These parse, and fail when connecting (nothing listens on port 1). */
    expect_open_fails("postgresql://eimza:Hunter2secret@127.0.0.1:1/eimza", STORE_EIO,
                      "Hunter2secret");
    expect_open_fails("postgres://eimza:Hunter2secret@127.0.0.1:notaport/eimza", STORE_OK,
                      "Hunter2secret");
    expect_open_fails("postgresql://eimza:Hunter%32secret@127.0.0.1:1/eimza", STORE_EIO,
                      "Hunter2secret");
    expect_open_fails("postgresql://eimza:Hunter%32secret@127.0.0.1:1/eimza", STORE_EIO,
                      "Hunter%32secret");
    /* NULL out pointer, no err buffer: no crash. */
    assert_int_equal(store_open("x.db", NULL, NULL, 0), STORE_EINVAL);
}

static void test_sqlite_paths(void **state)
{
    (void)state;
    char dir[] = "/tmp/eimza-it-paths.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[512], err[512], file[300];
    struct store *s = NULL;

    /* A missing directory is named, not created, by store_open ... */
    snprintf(url, sizeof url, "sqlite:%s/no/such/dir/x.db", dir);
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_EIO);
    assert_null(s);
    assert_non_null(strstr(err, "/no/such/dir"));
    struct stat sb;
    snprintf(file, sizeof file, "%s/no", dir);
    assert_int_not_equal(stat(file, &sb), 0);
    /* ... and made by store_open_create (`eimza migrate`). */
    assert_int_equal(store_open_create(url, &s, err, sizeof err), STORE_OK);
    assert_string_equal(store_backend(s), "sqlite");
    assert_int_equal(store_migrate(s, NULL, NULL), STORE_OK);
    store_close(s);
    s = NULL;
    /* The bare path and "sqlite://" forms reach the same file. */
    snprintf(url, sizeof url, "%s/no/such/dir/x.db", dir);
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_OK);
    int cur = -1, latest = -1;
    assert_int_equal(store_schema_version(s, &cur, &latest), STORE_OK);
    assert_int_equal(cur, latest);
    store_close(s);
    snprintf(url, sizeof url, "sqlite://%s/no/such/dir/x.db", dir);
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_OK);
    assert_int_equal(store_schema_version(s, &cur, &latest), STORE_OK);
    assert_int_equal(cur, latest);
    store_close(s);

    /* A file that is not a database. */
    snprintf(file, sizeof file, "%s/junk.db", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database\n", fp);
    fclose(fp);
    snprintf(url, sizeof url, "sqlite:%s", file);
    s = NULL;
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_EIO);
    assert_null(s);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* store_open makes no database: a missing SQLite file is STORE_EVERSION ("run eimza
 * migrate") with nothing left at the path (no file, no -wal, -shm or -journal), whoever asks;
 * store_open_create (`eimza migrate`, `eimza restore`) makes it. PostgreSQL: a database that
 * does not exist is not made either (a failure; creating one is the administrator's). */
static void test_open_makes_no_database(void **state)
{
    (void)state;
    char url[512], err[512], path[400];
    struct store *s = (struct store *)(uintptr_t)1;
    struct stat sb;
    if (testdb_is_pg()) {
        const char *admin = getenv("EIMZA_TEST_PG_ADMIN_URL");
        const char *auth = strstr(admin, "://");
        auth = auth ? auth + 3 : admin;
        snprintf(url, sizeof url, "%.*s/eimza_no_such_db_%ld",
                 (int)(auth - admin + strcspn(auth, "/?")), admin, (long)getpid());
        assert_int_not_equal(store_open(url, &s, err, sizeof err), STORE_OK);
        assert_null(s);
        return;
    }
    char dir[] = "/tmp/eimza-it-nocreate.XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/gone.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    for (int i = 0; i < 2; i++) { /* twice: a failed open leaves nothing to trip over */
        err[0] = '\0';
        assert_int_equal(store_open(url, &s, err, sizeof err), STORE_EVERSION);
        assert_null(s);
        if (!strstr(err, path) || !strstr(err, "eimza migrate"))
            fail_msg("the error does not name the file and what to do: %s", err);
    }
    /* the bare path form too */
    assert_int_equal(store_open(path, &s, err, sizeof err), STORE_EVERSION);
    assert_null(s);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char f[420];
        snprintf(f, sizeof f, "%s%s", path, suffix[i]);
        if (stat(f, &sb) == 0)
            fail_msg("a failed open left '%s' behind", f);
    }
    assert_int_equal(rmdir(dir), 0); /* nothing else in the directory either */
    assert_int_equal(mkdir(dir, 0700), 0);
    /* store_open_create makes it, in WAL mode, and then store_open opens it */
    assert_int_equal(store_open_create(url, &s, err, sizeof err), STORE_OK);
    assert_int_equal(store_migrate(s, NULL, NULL), STORE_OK);
    store_close(s);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_OK);
    assert_int_equal(store_ping(s), STORE_OK);
    store_close(s);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* In the child: store_open of url as a user who cannot write the file nor its directory (root
 * gives its rights up to nobody's, whose reading of both the mode lets); exits 0 when it
 * failed with STORE_EIO and a message that says the file is read-only. */
static void open_read_only_child(const char *url, const char *dir, const char *path)
{
    int rc = 20;
    if (geteuid() == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(21);
    } else if (chmod(path, 0444) != 0 || chmod(dir, 0555) != 0) {
        _exit(22);
    }
    struct store *s = NULL;
    char err[512] = "";
    enum store_err e = store_open(url, &s, err, sizeof err);
    if (e == STORE_EIO && !s && strstr(err, "WAL") && strstr(err, "read-only"))
        rc = 0;
    else
        fprintf(stderr, "read-only open: %d: %s\n", (int)e, err);
    store_close(s);
    _exit(rc);
}

/* Every SQLite connection runs in WAL mode, or does not open: a rollback-journal database (an
 * `eimza backup` copy) opened by its plain path is turned to WAL; one that cannot be turned —
 * opened through a URI with nolock=1 or a VFS without shared memory (unix-dotfile), where
 * SQLite answers "delete" without an error, or by a user who cannot write the file and its
 * directory — fails with STORE_EIO and says why, the file left as it was. */
static void test_open_requires_wal(void **state)
{
    struct fx *f = *state;
    if (f->db.pg)
        return;
    char dir[] = "/tmp/eimza-it-wal.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    char path[200], url[512], err[512], cwd[4096], mode[32];
    snprintf(path, sizeof path, "%s/rollback.db", dir);
    struct store_backup_stats bs;
    assert_int_equal(store_backup(f->s, path, &bs), STORE_OK); /* journal_mode DELETE */
    assert_int_equal(chmod(path, 0644), 0);
    struct testdb copy = {0};
    snprintf(copy.path, sizeof copy.path, "%s", path);
    assert_int_equal(testdb_query(&copy, "PRAGMA journal_mode", mode, sizeof mode), 0);
    assert_string_equal(mode, "delete");

    /* a user who cannot write the file nor its directory */
    snprintf(url, sizeof url, "sqlite:%s", path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        open_read_only_child(url, dir, path);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(chmod(path, 0644), 0);

    /* a URI (SQLite reads one from a plain name, as Debian builds it) that keeps the journal:
     * relative, since the store checks a path's directory */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    static const char *const uris[] = {"sqlite:file:rollback.db?nolock=1",
                                       "sqlite:file:rollback.db?vfs=unix-dotfile"};
    for (size_t i = 0; i < 2; i++) {
        struct store *s = (struct store *)(uintptr_t)1;
        err[0] = '\0';
        enum store_err e = store_open(uris[i], &s, err, sizeof err);
        if (e != STORE_EIO || s || !strstr(err, "'delete', not WAL"))
            fail_msg("%s: %d, '%s'", uris[i], (int)e, err);
    }
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(testdb_query(&copy, "PRAGMA journal_mode", mode, sizeof mode), 0);
    assert_string_equal(mode, "delete"); /* left as it was */

    /* by its plain path it is turned to WAL, and opens */
    struct store *s = NULL;
    assert_int_equal(store_open(url, &s, err, sizeof err), STORE_OK);
    assert_int_equal(store_ping(s), STORE_OK);
    store_close(s);
    assert_int_equal(testdb_query(&copy, "PRAGMA journal_mode", mode, sizeof mode), 0);
    assert_string_equal(mode, "wal");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_open_close(void **state)
{
    struct fx *f = *state;
    assert_string_equal(store_backend(f->s), testdb_is_pg() ? "postgresql" : "sqlite");
    assert_int_equal(store_ping(f->s), STORE_OK);
    store_close(NULL);
    assert_string_equal(store_backend(NULL), "none");
    assert_non_null(store_last_error(NULL));
    for (int e = STORE_OK; e <= STORE_ENOMEM; e++)
        assert_non_null(store_strerror((enum store_err)e));
    /* A second connection to the same database. */
    struct store *s2 = NULL;
    char err[256];
    assert_int_equal(store_open(f->db.url, &s2, err, sizeof err), STORE_OK);
    assert_int_equal(store_ping(s2), STORE_OK);
    store_close(s2);
}

/* store_ping says whether the database can really be read through the connection, past what
 * the connection holds in memory. SQLite, where a connection answers from its page cache or
 * from a file deleted under it: the file emptied, cut, overwritten at its head, renamed over
 * or deleted, and an empty database made at the path, each fail the ping of an open
 * connection that answered before (PostgreSQL: the ping answers; its failures are the
 * server's, test_db_down and test_healthz_damaged). */
static void test_ping_sees_the_file(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_ping(f->s), STORE_OK);
    if (f->db.pg)
        return;
    char keep[400], moved[400];
    snprintf(keep, sizeof keep, "%s.keep", f->db.path);
    snprintf(moved, sizeof moved, "%s.new", f->db.path);
    struct store_backup_stats bs;
    assert_int_equal(store_backup(f->s, keep, &bs), STORE_OK); /* a good copy to put back */
    static const char *const cases[] = {"emptied", "cut", "junk at the head", "renamed over",
                                        "deleted"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct store *s = NULL;
        char err[256];
        assert_int_equal(store_open(f->db.url, &s, err, sizeof err), STORE_OK);
        assert_int_equal(store_ping(s), STORE_OK);
        struct stat sb;
        assert_int_equal(stat(f->db.path, &sb), 0);
        const char *want = NULL;
        if (i == 0) {
            assert_int_equal(truncate(f->db.path, 0), 0);
            want = "shorter";
        } else if (i == 1) {
            assert_int_equal(truncate(f->db.path, sb.st_size / 2), 0);
            want = "shorter";
        } else if (i == 2) {
            FILE *w = fopen(f->db.path, "r+");
            assert_non_null(w);
            assert_int_equal(fwrite("not a database, not any more", 1, 28, w), 28);
            fclose(w);
            want = "no longer a SQLite database";
        } else if (i == 3) {
            char cmd[2000];
            snprintf(cmd, sizeof cmd, "cp '%s' '%s'", keep, moved);
            assert_int_equal(system(cmd), 0);
            assert_int_equal(rename(moved, f->db.path), 0);
            want = "deleted or replaced";
        } else {
            assert_int_equal(unlink(f->db.path), 0);
            want = "deleted or replaced";
        }
        assert_int_equal(store_ping(s), STORE_EIO);
        if (!strstr(store_last_error(s), want))
            fail_msg("%s: '%s' has no '%s'", cases[i], store_last_error(s), want);
        store_close(s);
        if (i == 4) {
            /* the next connection makes no empty database at the path: it fails, as a
             * missing database (run `eimza migrate`), and leaves no file behind */
            s = (struct store *)(uintptr_t)1;
            assert_int_equal(store_open(f->db.url, &s, err, sizeof err), STORE_EVERSION);
            assert_null(s);
            assert_non_null(strstr(err, "no SQLite database"));
            assert_non_null(strstr(err, "eimza migrate"));
            assert_int_not_equal(stat(f->db.path, &sb), 0);
            /* an empty database made at the path by something else: no schema */
            FILE *e = fopen(f->db.path, "w");
            assert_non_null(e);
            fclose(e);
            assert_int_equal(store_open(f->db.url, &s, err, sizeof err), STORE_OK);
            assert_int_equal(store_ping(s), STORE_EIO);
            assert_non_null(strstr(store_last_error(s), "holds no schema"));
            store_close(s);
        }
        /* the good copy back, as a new file */
        char cmd[3000];
        snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", f->db.path,
                 f->db.path, f->db.path, keep, f->db.path);
        assert_int_equal(system(cmd), 0);
    }
    unlink(keep);
}

/* ---- migrations --------------------------------------------------------------------------- */

static void test_migrate_from_empty(void **state)
{
    struct fx *f = *state;
    int cur = -1, latest = -1, from = -1, to = -1;
    assert_int_equal(store_schema_version(f->s, &cur, &latest), STORE_OK);
    assert_int_equal(cur, 0);
    assert_true(latest >= 1);
    /* Before migrating, the tables are not there: a failure, not a crash. */
    long n;
    assert_int_equal(store_personnel_count(f->s, &n), STORE_EIO);
    assert_true(strlen(store_last_error(f->s)) > 0);

    assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
    assert_int_equal(from, 0);
    assert_int_equal(to, latest);
    assert_int_equal(store_schema_version(f->s, &cur, NULL), STORE_OK);
    assert_int_equal(cur, latest);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM schema_migrations"), latest);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT min(version) FROM schema_migrations"), 1);
    assert_int_equal(personnel_count(f->s), 0);

    /* Twice is a no-op. */
    assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
    assert_int_equal(from, latest);
    assert_int_equal(to, latest);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM schema_migrations"), latest);
}

static void test_newer_database_refused(void **state)
{
    struct fx *f = *state;
    int cur, latest;
    assert_int_equal(store_schema_version(f->s, &cur, &latest), STORE_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, name, applied_at) "
             "VALUES (%d, '%04d_from_the_future', 0)",
             latest + 1, latest + 1);
    assert_int_equal(testdb_exec(&f->db, sql), 0);
    assert_int_equal(store_schema_version(f->s, &cur, NULL), STORE_OK);
    assert_int_equal(cur, latest + 1);
    int from = -7, to = -7;
    assert_int_equal(store_migrate(f->s, &from, &to), STORE_EVERSION);
    assert_non_null(strstr(store_last_error(f->s), "newer"));
    assert_int_equal(from, -7); /* outputs untouched on failure */
    /* The refusal changed nothing. */
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM schema_migrations"), latest + 1);
    assert_int_equal(store_ping(f->s), STORE_OK);
}

struct migrate_job {
    const char *url;
    enum store_err e;
    int to;
};

static void *migrate_thread(void *arg)
{
    struct migrate_job *j = arg;
    struct store *s = NULL;
    char err[256];
    j->e = store_open_create(j->url, &s, err, sizeof err);
    if (j->e == STORE_OK)
        j->e = store_migrate(s, NULL, &j->to);
    store_close(s);
    return NULL;
}

/* Two migrators at once (one connection each, as two processes would have): both succeed,
 * and every migration is applied once. */
static void test_migrate_concurrently(void **state)
{
    struct fx *f = *state;
    struct migrate_job jobs[3] = {
        {f->db.url, STORE_EIO, 0}, {f->db.url, STORE_EIO, 0}, {f->db.url, STORE_EIO, 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, migrate_thread, &jobs[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    int latest;
    assert_int_equal(store_schema_version(f->s, NULL, &latest), STORE_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(jobs[i].e, STORE_OK);
        assert_int_equal(jobs[i].to, latest);
    }
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM schema_migrations"), latest);
}

/* ---- personnel ---------------------------------------------------------------------------- */

static void test_import_counts_and_reimport(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[4];
    struct store_import_stats st;
    for (int i = 0; i < 3; i++)
        person(&rows[i], i);

    assert_int_equal(import(f->s, rows, 3, &st), STORE_OK);
    assert_stats(&st, 3, 0, 0);
    assert_int_equal(personnel_count(f->s), 3);
    int64_t after_first = (int64_t)time(NULL);

    /* The same file again: nothing changes, nothing is rewritten. Mark the rows with an old
     * updated_at to see that. */
    assert_int_equal(testdb_exec(&f->db, "UPDATE personnel SET updated_at = 1"), 0);
    assert_int_equal(import(f->s, rows, 3, &st), STORE_OK);
    assert_stats(&st, 0, 0, 3);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT max(updated_at) FROM personnel"), 1);

    /* One changed (by tckn), one new, two unchanged. */
    snprintf(rows[1].title, sizeof rows[1].title, "Müdür Yardımcısı");
    rows[1].province = 21;
    person(&rows[3], 3);
    assert_int_equal(import(f->s, rows, 4, &st), STORE_OK);
    assert_stats(&st, 1, 1, 2);
    assert_int_equal(personnel_count(f->s), 4);
    struct core_personnel got;
    assert_int_equal(store_personnel_get(f->s, rows[1].tckn, &got), STORE_OK);
    assert_person_equal(&got, &rows[1]);
    assert_int_equal(store_personnel_get(f->s, rows[3].tckn, &got), STORE_OK);
    assert_person_equal(&got, &rows[3]);
    /* updated_at moved for the changed and the new row only, to the import's time. */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM personnel WHERE updated_at >= %lld",
             (long long)after_first - 1);
    assert_int_equal(testdb_query_ll(&f->db, sql), 2);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM personnel WHERE updated_at = 1"),
                     2);

    /* Every field counts as a change, including optional ones going empty. */
    rows[0].assignment_end = 20000;
    rows[2].email[0] = '\0';
    rows[3].entitled = false;
    assert_int_equal(import(f->s, rows, 4, &st), STORE_OK);
    assert_stats(&st, 0, 3, 1);

    /* An empty import is fine. */
    assert_int_equal(import(f->s, rows, 0, &st), STORE_OK);
    assert_stats(&st, 0, 0, 0);
    assert_int_equal(personnel_count(f->s), 4);
}

static void test_import_duplicate_last_wins(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[5];
    struct store_import_stats st;
    person(&rows[0], 10);
    rows[1] = rows[0];
    snprintf(rows[1].title, sizeof rows[1].title, "Müdür");
    person(&rows[2], 11);

    /* A new tckn twice: inserted by its first row, updated by the second. */
    assert_int_equal(import(f->s, rows, 3, &st), STORE_OK);
    assert_stats(&st, 2, 1, 0);
    assert_int_equal(personnel_count(f->s), 2);
    struct core_personnel got;
    assert_int_equal(store_personnel_get(f->s, rows[0].tckn, &got), STORE_OK);
    assert_string_equal(got.title, "Müdür");

    /* A stored tckn three times, the last two the same: the third changes nothing. */
    struct core_personnel again[3];
    again[0] = rows[2];
    snprintf(again[0].district, sizeof again[0].district, "Kozluk");
    again[1] = again[0];
    snprintf(again[1].district, sizeof again[1].district, "Sason");
    again[2] = again[1];
    assert_int_equal(import(f->s, again, 3, &st), STORE_OK);
    assert_stats(&st, 0, 2, 1);
    assert_int_equal(store_personnel_get(f->s, rows[2].tckn, &got), STORE_OK);
    assert_string_equal(got.district, "Sason");
    assert_int_equal(personnel_count(f->s), 2);
}

static void test_import_abort_rolls_back(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[3], changed;
    struct store_import_stats st;
    for (int i = 0; i < 3; i++)
        person(&rows[i], 20 + i);
    assert_int_equal(import(f->s, rows, 2, &st), STORE_OK);

    changed = rows[0];
    snprintf(changed.last_name, sizeof changed.last_name, "Değişmiş");
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->s, &changed), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->s, &rows[2]), STORE_OK);
    store_personnel_import_abort(f->s);
    store_personnel_import_abort(f->s); /* twice is harmless */

    assert_int_equal(personnel_count(f->s), 2);
    struct core_personnel got;
    assert_int_equal(store_personnel_get(f->s, rows[0].tckn, &got), STORE_OK);
    assert_string_equal(got.last_name, "Yılmaz");
    assert_int_equal(store_personnel_get(f->s, rows[2].tckn, &got), STORE_ENOTFOUND);
    /* The connection is usable, and a new import works. */
    assert_int_equal(import(f->s, &rows[2], 1, &st), STORE_OK);
    assert_stats(&st, 1, 0, 0);
}

/* A refused row never half-applies: depending on the backend the refusal comes at the row
 * (SQLite checks as it goes) or at the commit (PostgreSQL checks the staged rows then); either
 * way it is a conflict and nothing of the import stays. */
static void test_import_refused_row(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[3];
    struct store_import_stats st = {-1, -1, -1};
    for (int i = 0; i < 3; i++)
        person(&rows[i], 30 + i);
    rows[1].province = 99; /* no such province: the schema refuses it */

    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    enum store_err e = STORE_OK;
    for (int i = 0; i < 3 && e == STORE_OK; i++)
        e = store_personnel_import_row(f->s, &rows[i]);
    if (e != STORE_OK) {
        assert_int_equal(e, STORE_ECONFLICT);
        /* The caller aborts; committing instead must not keep the rows before it. */
        assert_int_equal(store_personnel_import_commit(f->s, &st), STORE_EINVAL);
    } else {
        assert_int_equal(store_personnel_import_commit(f->s, &st), STORE_ECONFLICT);
    }
    assert_int_equal(st.inserted, -1); /* not written on failure */
    assert_true(strlen(store_last_error(f->s)) > 0);
    /* No value of the refused row in the error text. */
    assert_null(strstr(store_last_error(f->s), rows[1].tckn));
    assert_int_equal(personnel_count(f->s), 0);
    /* The import is over and the connection usable. */
    assert_int_equal(store_personnel_import_row(f->s, &rows[0]), STORE_EINVAL);
    assert_int_equal(import(f->s, rows, 1, &st), STORE_OK);
    assert_int_equal(personnel_count(f->s), 1);
}

static void test_import_guards(void **state)
{
    struct fx *f = *state;
    struct core_personnel p;
    struct store_import_stats st;
    person(&p, 40);
    assert_int_equal(store_personnel_import_row(f->s, &p), STORE_EINVAL);
    assert_int_equal(store_personnel_import_commit(f->s, &st), STORE_EINVAL);
    store_personnel_import_abort(f->s); /* nothing running: a no-op */

    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_import_begin(f->s), STORE_EINVAL);
    assert_int_equal(store_personnel_import_row(f->s, NULL), STORE_EINVAL);
    /* During an import the connection is the import's. */
    long n;
    assert_int_equal(store_personnel_count(f->s, &n), STORE_EINVAL);
    assert_int_equal(store_ping(f->s), STORE_EINVAL);
    struct store_audit_entry ae = {.at = 1, .actor = "cli", .action = "x"};
    assert_int_equal(store_audit_append(f->s, &ae), STORE_EINVAL);
    /* A field without its NUL is refused, not read past. */
    struct core_personnel bad = p;
    memset(bad.first_name, 'a', sizeof bad.first_name);
    enum store_err e = store_personnel_import_row(f->s, &bad);
    assert_int_equal(e, STORE_EINVAL);
    store_personnel_import_abort(f->s);

    /* The earlier refusals left no trace; a clean import works. */
    assert_int_equal(import(f->s, &p, 1, &st), STORE_OK);
    assert_stats(&st, 1, 0, 0);
}

/* The process dies in the middle of an import: nothing of it stays, and the database is not
 * left locked. Also the polite version: the connection closed without a commit. */
static void test_import_crash_leaves_nothing(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[50];
    for (int i = 0; i < 50; i++)
        person(&rows[i], 50 + i);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct store *s = NULL;
        char err[256];
        int rc = 10;
        if (store_open(f->db.url, &s, err, sizeof err) == STORE_OK &&
            store_personnel_import_begin(s) == STORE_OK) {
            rc = 0;
            for (int i = 0; i < 50; i++)
                if (store_personnel_import_row(s, &rows[i]) != STORE_OK)
                    rc = 11;
        }
        _exit(rc); /* no commit, no close, no cleanup: a crash */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(personnel_count(f->s), 0);

    struct store *s2 = NULL;
    char err[256];
    assert_int_equal(store_open(f->db.url, &s2, err, sizeof err), STORE_OK);
    assert_int_equal(store_personnel_import_begin(s2), STORE_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(store_personnel_import_row(s2, &rows[i]), STORE_OK);
    store_close(s2);
    assert_int_equal(personnel_count(f->s), 0);

    /* Not locked: an import on the first connection goes through. */
    struct store_import_stats st;
    assert_int_equal(import(f->s, rows, 50, &st), STORE_OK);
    assert_stats(&st, 50, 0, 0);
}

static void test_personnel_get_unknown(void **state)
{
    struct fx *f = *state;
    struct core_personnel p, got;
    person(&p, 60);
    assert_int_equal(store_personnel_get(f->s, p.tckn, &got), STORE_ENOTFOUND);
    assert_null(strstr(store_last_error(f->s), p.tckn));
    assert_int_equal(store_personnel_get(f->s, NULL, &got), STORE_EINVAL);
    assert_int_equal(store_personnel_get(f->s, p.tckn, NULL), STORE_EINVAL);
    assert_int_equal(store_personnel_get(NULL, p.tckn, &got), STORE_EINVAL);
    assert_int_equal(store_personnel_get(f->s, "", &got), STORE_ENOTFOUND);
}

static void test_optional_fields_round_trip(void **state)
{
    struct fx *f = *state;
    struct core_personnel rows[2], got;
    struct store_import_stats st;
    person(&rows[0], 70);
    rows[0].assignment_end = CORE_DATE_NONE;
    rows[0].email[0] = '\0';
    rows[0].mobile_phone[0] = '\0';
    rows[0].institution_code[0] = '\0';
    rows[0].district[0] = rows[0].unit[0] = rows[0].title[0] = '\0';
    person(&rows[1], 71);
    assert_int_equal(core_date_from_ymd(2026, 6, 30, &rows[1].assignment_end), 0);
    rows[1].duty = CORE_DUTY_SUSPENDED;
    rows[1].entitled = false;
    rows[1].province = 1;
    assert_int_equal(core_date_from_ymd(1900, 1, 1, &rows[1].birth_date), 0);
    assert_int_equal(import(f->s, rows, 2, &st), STORE_OK);
    for (int i = 0; i < 2; i++) {
        memset(&got, 0x5a, sizeof got);
        assert_int_equal(store_personnel_get(f->s, rows[i].tckn, &got), STORE_OK);
        assert_person_equal(&got, &rows[i]);
    }
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM personnel "
                                             "WHERE assignment_end IS NULL"),
                     1);
    /* Each duty code. */
    for (int d = CORE_DUTY_ACTIVE; d <= CORE_DUTY_SUSPENDED; d++) {
        rows[0].duty = (enum core_duty)d;
        assert_int_equal(import(f->s, rows, 1, &st), STORE_OK);
        assert_int_equal(store_personnel_get(f->s, rows[0].tckn, &got), STORE_OK);
        assert_int_equal(got.duty, d);
    }
}

/* Turkish text, and bytes that need escaping on the way in (COPY's backslash, tab, newline),
 * come back byte for byte; so does a field filled to its last byte. */
static void test_utf8_round_trip(void **state)
{
    struct fx *f = *state;
    struct core_personnel p, got;
    struct store_import_stats st;
    person(&p, 80);
    snprintf(p.first_name, sizeof p.first_name, "Çağrı İlkay Ğülşen");
    snprintf(p.last_name, sizeof p.last_name, "ÖZTÜRK-ışıkçı");
    snprintf(p.birth_place, sizeof p.birth_place, "Iğdır");
    snprintf(p.institution_name, sizeof p.institution_name,
             "Şehit Öğretmen Ümit Çağlar İmam Hatip Ortaokulu (Ğ/ğ İ/ı Ş/ş Ö/ö Ü/ü Ç/ç) ‘’“” €");
    snprintf(p.unit, sizeof p.unit, "a\\b\\\\c\td\ne\rf \\N \\t");
    snprintf(p.title, sizeof p.title, "%s", "𝒮 emoji 😀 and 日本");
    /* Two-byte letters to the last byte of the district field (CORE_NAME_MAX - 1 bytes). */
    size_t k = 0;
    while (k + 2 < sizeof p.district) {
        memcpy(p.district + k, "ş", 2);
        k += 2;
    }
    if (k + 1 < sizeof p.district)
        p.district[k++] = 'x';
    p.district[k] = '\0';
    assert_int_equal(strlen(p.district), sizeof p.district - 1);

    assert_int_equal(import(f->s, &p, 1, &st), STORE_OK);
    assert_int_equal(store_personnel_get(f->s, p.tckn, &got), STORE_OK);
    assert_person_equal(&got, &p);
    assert_memory_equal(got.unit, p.unit, strlen(p.unit) + 1);
    /* Re-importing the same bytes is "unchanged": the comparison is byte for byte too. */
    assert_int_equal(import(f->s, &p, 1, &st), STORE_OK);
    assert_stats(&st, 0, 0, 1);
    /* ... and a change of case or a dotted/dotless i is a change. */
    snprintf(p.birth_place, sizeof p.birth_place, "Igdır");
    assert_int_equal(import(f->s, &p, 1, &st), STORE_OK);
    assert_stats(&st, 0, 1, 0);
}

/* ---- certificates ------------------------------------------------------------------------- */

static void cert(struct core_certificate *c, int n, const char *tckn, int64_t nb, int64_t na)
{
    memset(c, 0, sizeof *c);
    char seed[32];
    snprintf(seed, sizeof seed, "cert-%d", n);
    assert_int_equal(crypto_sha256_hex(seed, strlen(seed), c->fingerprint), 0);
    snprintf(c->tckn, sizeof c->tckn, "%s", tckn);
    snprintf(c->subject_name, sizeof c->subject_name, "AYŞE YILMAZ");
    snprintf(c->subject, sizeof c->subject, "CN=AYŞE YILMAZ,serialNumber=%s,C=TR", tckn);
    snprintf(c->serial, sizeof c->serial, "0A1B%04X", n);
    snprintf(c->issuer, sizeof c->issuer,
             "CN=Mali Mühür Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 1,O=Kamu SM,C=TR");
    c->not_before = nb;
    c->not_after = na;
    snprintf(c->policies, sizeof c->policies, "2.16.792.1.2.1.1.5.7.1.1");
}

/* A DER stand-in with a NUL and high bytes in it, so text handling would show. */
static const unsigned char der[] = {0x30, 0x82, 0x00, 0x04, 0x00, 0xff, 0x5c, 0x27, 0x0a, 0x00};

static void test_certificate_put_idempotent(void **state)
{
    struct fx *f = *state;
    struct core_certificate c, c2, got;
    bool ins = false;
    long n = -1;
    cert(&c, 1, "10000000146", 1600000000, 1700000000);
    assert_int_equal(store_certificate_put(f->s, &c, der, sizeof der, &ins), STORE_OK);
    assert_true(ins);
    assert_int_equal(store_certificate_count(f->s, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_certificate_put(f->s, &c, der, sizeof der, &ins), STORE_OK);
    assert_false(ins);
    assert_int_equal(store_certificate_count(f->s, &n), STORE_OK);
    assert_int_equal(n, 1);
    /* The DER is stored as bytes, NULs and all. */
    char hex[64];
    assert_int_equal(testdb_query(&f->db,
                                  testdb_is_pg()
                                      ? "SELECT upper(encode(der, 'hex')) FROM certificates"
                                      : "SELECT hex(der) FROM certificates",
                                  hex, sizeof hex),
                     0);
    assert_string_equal(hex, "3082000400FF5C270A00");

    /* Another certificate claiming the same issuer and serial: a conflict. */
    cert(&c2, 2, "10000000146", 1600000000, 1700000000);
    snprintf(c2.serial, sizeof c2.serial, "%s", c.serial);
    assert_int_equal(store_certificate_put(f->s, &c2, der, sizeof der, &ins), STORE_ECONFLICT);
    assert_int_equal(store_certificate_count(f->s, &n), STORE_OK);
    assert_int_equal(n, 1);

    /* Round trip, with a revocation already known at import. */
    cert(&c2, 3, "12345678950", 1600000000, 1700000000);
    c2.revoked_at = 1650000000;
    assert_int_equal(store_certificate_put(f->s, &c2, der, sizeof der, &ins), STORE_OK);
    assert_true(ins);
    assert_int_equal(store_certificate_current(f->s, "12345678950", &got), STORE_OK);
    assert_memory_equal(&got, &c2, sizeof got);

    /* Bad arguments. */
    assert_int_equal(store_certificate_put(f->s, NULL, der, sizeof der, &ins), STORE_EINVAL);
    assert_int_equal(store_certificate_put(f->s, &c, NULL, 0, &ins), STORE_EINVAL);
    c2.fingerprint[10] = '\0';
    assert_int_equal(store_certificate_put(f->s, &c2, der, sizeof der, &ins), STORE_EINVAL);
}

static void test_certificate_revoke(void **state)
{
    struct fx *f = *state;
    struct core_certificate c, got;
    bool ins, changed = true;
    cert(&c, 5, "10000000146", 1600000000, 1700000000);
    assert_int_equal(store_certificate_revoke(f->s, c.issuer, c.serial, 1650000000, &changed),
                     STORE_ENOTFOUND);
    assert_int_equal(store_certificate_put(f->s, &c, der, sizeof der, &ins), STORE_OK);
    /* Same serial, another issuer: still unknown. */
    assert_int_equal(store_certificate_revoke(f->s, "CN=Başka SM", c.serial, 1650000000, &changed),
                     STORE_ENOTFOUND);
    assert_int_equal(store_certificate_revoke(f->s, c.issuer, c.serial, 1650000000, &changed),
                     STORE_OK);
    assert_true(changed);
    assert_int_equal(store_certificate_revoke(f->s, c.issuer, c.serial, 1660000000, &changed),
                     STORE_OK);
    assert_false(changed);
    assert_int_equal(store_certificate_current(f->s, c.tckn, &got), STORE_OK);
    assert_int_equal(got.revoked_at, 1650000000); /* the first revocation date stays */
    assert_int_equal(store_certificate_revoke(f->s, NULL, c.serial, 1, &changed), STORE_EINVAL);
    assert_int_equal(store_certificate_revoke(f->s, c.issuer, c.serial, 0, &changed), STORE_EINVAL);
}

static void test_certificate_current(void **state)
{
    struct fx *f = *state;
    struct core_certificate c[4], got;
    bool ins, changed;
    const char *t = "10000000146";
    cert(&c[0], 10, t, 1500000000, 1600000000);
    cert(&c[1], 11, t, 1600000000, 1700000000);
    cert(&c[2], 12, t, 1600000000, 1710000000); /* same start, ends later: the current one */
    cert(&c[3], 13, "12345678950", 1800000000, 1900000000);
    assert_int_equal(store_certificate_current(f->s, t, &got), STORE_ENOTFOUND);
    /* Put in an order that is not the answer's. */
    int order[] = {2, 0, 3, 1};
    for (int i = 0; i < 4; i++)
        assert_int_equal(store_certificate_put(f->s, &c[order[i]], der, sizeof der, &ins),
                         STORE_OK);
    assert_int_equal(store_certificate_current(f->s, t, &got), STORE_OK);
    assert_string_equal(got.fingerprint, c[2].fingerprint);
    assert_memory_equal(&got, &c[2], sizeof got);
    /* Revoked or not, the last issued is the current one. */
    assert_int_equal(store_certificate_revoke(f->s, c[2].issuer, c[2].serial, 1650000000, &changed),
                     STORE_OK);
    assert_int_equal(store_certificate_current(f->s, t, &got), STORE_OK);
    assert_string_equal(got.fingerprint, c[2].fingerprint);
    assert_int_equal(got.revoked_at, 1650000000);
    assert_int_equal(store_certificate_current(f->s, "23456789138", &got), STORE_ENOTFOUND);
    long n;
    assert_int_equal(store_certificate_count(f->s, &n), STORE_OK);
    assert_int_equal(n, 4);
}

/* ---- audit log ---------------------------------------------------------------------------- */

/* What store_audit_each showed: the first KEEP entries in full, and for the whole chain
 * whether it holds (seq 1..n, linked, every hash what the documented serialisation gives). */
#define KEEP 16
struct chain {
    int n;
    int broken_at; /* seq of the first entry that does not hold, 0 when none */
    char last_hash[STORE_AUDIT_HASH_LEN + 1];
    long long seq[KEEP];
    char prev[KEEP][STORE_AUDIT_HASH_LEN + 1];
    char hash[KEEP][STORE_AUDIT_HASH_LEN + 1];
    char actor[KEEP][32];
    char object[KEEP][32];
    char detail[KEEP][64];
    int stop_after; /* 0: read all */
};

/* The serialisation of store.h, written out again here so the documented format is what is
 * checked, not whatever store.c happens to do. */
static void field(char *buf, size_t size, size_t *len, const char *name, const char *v)
{
    int n = snprintf(buf + *len, size - *len, "%s=%zu:%s\n", name, strlen(v), v);
    assert_true(n > 0 && (size_t)n < size - *len);
    *len += (size_t)n;
}

static void doc_hash(const struct store_audit_record *r, char out[STORE_AUDIT_HASH_LEN + 1])
{
    char buf[4096], num[32];
    size_t len = (size_t)snprintf(buf, sizeof buf, "eimza-audit-v1\n");
    snprintf(num, sizeof num, "%lld", (long long)r->seq);
    field(buf, sizeof buf, &len, "seq", num);
    field(buf, sizeof buf, &len, "prev", r->prev_hash);
    snprintf(num, sizeof num, "%lld", (long long)r->e.at);
    field(buf, sizeof buf, &len, "at", num);
    field(buf, sizeof buf, &len, "actor", r->e.actor);
    field(buf, sizeof buf, &len, "action", r->e.action);
    field(buf, sizeof buf, &len, "object", r->e.object);
    field(buf, sizeof buf, &len, "detail", r->e.detail);
    assert_int_equal(crypto_sha256_hex(buf, len, out), 0);
}

static int collect(void *ctx, const struct store_audit_record *r)
{
    struct chain *c = ctx;
    int i = c->n++;
    char h[STORE_AUDIT_HASH_LEN + 1], mine[STORE_AUDIT_HASH_LEN + 1];
    doc_hash(r, mine);
    assert_int_equal(store_audit_hash(r->seq, r->prev_hash, &r->e, h), 0);
    assert_string_equal(h, mine);
    if (!c->broken_at &&
        (r->seq != c->n || strcmp(r->prev_hash, i ? c->last_hash : STORE_AUDIT_GENESIS) ||
         strcmp(r->hash, mine)))
        c->broken_at = (int)r->seq;
    snprintf(c->last_hash, sizeof c->last_hash, "%s", r->hash);
    if (i < KEEP) {
        c->seq[i] = r->seq;
        snprintf(c->prev[i], sizeof c->prev[i], "%s", r->prev_hash);
        snprintf(c->hash[i], sizeof c->hash[i], "%s", r->hash);
        snprintf(c->actor[i], sizeof c->actor[i], "%s", r->e.actor);
        snprintf(c->object[i], sizeof c->object[i], "%s", r->e.object);
        snprintf(c->detail[i], sizeof c->detail[i], "%s", r->e.detail);
    }
    return c->stop_after && c->n >= c->stop_after;
}

/* Reads the whole chain; the number of entries, or -1 when it does not hold. */
static int verify_chain(struct store *s, struct chain *c)
{
    memset(c, 0, sizeof *c);
    assert_int_equal(store_audit_each(s, 0, collect, c), STORE_OK);
    return c->broken_at ? -1 : c->n;
}

static void test_audit_chain(void **state)
{
    struct fx *f = *state;
    struct chain *c = calloc(1, sizeof *c);
    assert_non_null(c);
    assert_int_equal(verify_chain(f->s, c), 0);

    struct store_audit_entry e = {.at = 1700000000,
                                  .actor = "cli",
                                  .action = "personnel.import",
                                  .object = "personel.csv",
                                  .detail = "{\"rows\":3}"};
    assert_int_equal(store_audit_append(f->s, &e), STORE_OK);
    e.actor = "staff:ayşe";
    e.action = "application.approve";
    e.object = "2026-000001";
    e.detail = "{\"reason\":\"\\u00e7\\n\"}\n";
    assert_int_equal(store_audit_append(f->s, &e), STORE_OK);
    /* NULL object and detail are stored (and hashed) as "" and "{}". */
    struct store_audit_entry bare = {.at = -5, .actor = "applicant:100******46", .action = "x"};
    assert_int_equal(store_audit_append(f->s, &bare), STORE_OK);

    assert_int_equal(verify_chain(f->s, c), 3);
    assert_string_equal(c->prev[0], STORE_AUDIT_GENESIS);
    assert_string_equal(c->actor[1], "staff:ayşe");
    assert_string_equal(c->object[2], "");
    assert_string_equal(c->detail[2], "{}");
    /* Hashes differ, and are 64 lower-case hex digits. */
    assert_string_not_equal(c->hash[0], c->hash[1]);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(strlen(c->hash[i]), 64);
        assert_int_equal(strspn(c->hash[i], "0123456789abcdef"), 64);
    }

    /* after_seq and stopping early. */
    memset(c, 0, sizeof *c);
    assert_int_equal(store_audit_each(f->s, 1, collect, c), STORE_OK);
    assert_int_equal(c->n, 2);
    assert_int_equal(c->seq[0], 2);
    memset(c, 0, sizeof *c);
    c->stop_after = 1;
    assert_int_equal(store_audit_each(f->s, 0, collect, c), STORE_OK);
    assert_int_equal(c->n, 1);

    /* The checker can fail: an edited entry no longer matches its hash ... */
    assert_int_equal(testdb_exec(&f->db, "UPDATE audit_log SET detail = '{\"rows\":4}' "
                                         "WHERE seq = 1"),
                     0);
    assert_int_equal(verify_chain(f->s, c), -1);
    assert_int_equal(testdb_exec(&f->db, "UPDATE audit_log SET detail = '{\"rows\":3}' "
                                         "WHERE seq = 1"),
                     0);
    assert_int_equal(verify_chain(f->s, c), 3);
    /* ... and a removed one breaks the links. */
    assert_int_equal(testdb_exec(&f->db, "DELETE FROM audit_log WHERE seq = 2"), 0);
    assert_int_equal(verify_chain(f->s, c), -1);

    /* Bad arguments. */
    struct store_audit_entry no_actor = {.at = 1, .action = "x"};
    assert_int_equal(store_audit_append(f->s, &no_actor), STORE_EINVAL);
    struct store_audit_entry empty_action = {.at = 1, .actor = "cli", .action = ""};
    assert_int_equal(store_audit_append(f->s, &empty_action), STORE_EINVAL);
    assert_int_equal(store_audit_append(f->s, NULL), STORE_EINVAL);
    assert_int_equal(store_audit_each(f->s, 0, NULL, NULL), STORE_EINVAL);
    free(c);
}

/* An audit log longer than one page (500) of the PostgreSQL reader. */
static void test_audit_many(void **state)
{
    struct fx *f = *state;
    struct chain *c = calloc(1, sizeof *c);
    assert_non_null(c);
    struct store_audit_entry e = {.at = 1, .actor = "cli", .action = "bulk"};
    for (int i = 0; i < 520; i++)
        assert_int_equal(store_audit_append(f->s, &e), STORE_OK);
    assert_int_equal(verify_chain(f->s, c), 520);
    free(c);
}

struct appender {
    const char *url;
    const char *actor;
    int n;
    enum store_err e;
};

static void *append_thread(void *arg)
{
    struct appender *a = arg;
    struct store *s = NULL;
    char err[256];
    a->e = store_open(a->url, &s, err, sizeof err);
    for (int i = 0; i < a->n && a->e == STORE_OK; i++) {
        char detail[32];
        snprintf(detail, sizeof detail, "{\"i\":%d}", i);
        struct store_audit_entry e = {
            .at = 1700000000 + i, .actor = a->actor, .action = "race", .detail = detail};
        a->e = store_audit_append(s, &e);
    }
    store_close(s);
    return NULL;
}

/* Two connections appending alternately, then two threads (a connection each) appending at
 * the same time: always one chain, no entry lost, none forked. */
static void test_audit_concurrent(void **state)
{
    struct fx *f = *state;
    struct chain *c = calloc(1, sizeof *c);
    assert_non_null(c);
    struct store *s2 = NULL;
    char err[256];
    assert_int_equal(store_open(f->db.url, &s2, err, sizeof err), STORE_OK);
    for (int i = 0; i < 10; i++) {
        struct store_audit_entry e = {.at = i, .actor = i % 2 ? "two" : "one", .action = "alt"};
        assert_int_equal(store_audit_append(i % 2 ? s2 : f->s, &e), STORE_OK);
    }
    store_close(s2);
    assert_int_equal(verify_chain(f->s, c), 10);
    assert_string_equal(c->actor[0], "one");
    assert_string_equal(c->actor[1], "two");

    struct appender a[2] = {{f->db.url, "thread-a", 200, STORE_EIO},
                            {f->db.url, "thread-b", 200, STORE_EIO}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, append_thread, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(a[0].e, STORE_OK);
    assert_int_equal(a[1].e, STORE_OK);
    assert_int_equal(verify_chain(f->s, c), 410);
    free(c);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_bad_urls),
        cmocka_unit_test(test_sqlite_paths),
        cmocka_unit_test(test_open_makes_no_database),
        cmocka_unit_test_setup_teardown(test_open_requires_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ping_sees_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_empty, setup_unmigrated, teardown),
        cmocka_unit_test_setup_teardown(test_newer_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_concurrently, setup_unmigrated, teardown),
        cmocka_unit_test_setup_teardown(test_import_counts_and_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_duplicate_last_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_abort_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_refused_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_guards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_crash_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_personnel_get_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_fields_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificate_put_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificate_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificate_current, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_concurrent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

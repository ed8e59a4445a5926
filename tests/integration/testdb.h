/* eimza — a fresh, empty database for a C integration test, of the backend ctest names in
 * EIMZA_TEST_BACKEND: "sqlite" (the default; a file in a new temporary directory) or
 * "postgresql" (a new database created through EIMZA_TEST_PG_ADMIN_URL, the superuser URL
 * scripts/with-postgres.sh exports, so tests can run in parallel). Header-only:
 *
 *     int main(void) {
 *         testdb_require();               // skip (77) or fail before any test runs
 *         ...
 *     }
 *     struct testdb db;
 *     if (testdb_create(&db) != 0) ...    // db.url: "sqlite:/tmp/..." or "postgresql://..."
 *     testdb_exec(&db, "UPDATE ...");     // SQL around the store, for setting up odd states
 *     testdb_query(&db, "SELECT ...", buf, sizeof buf);
 *     testdb_drop(&db);                   // removes the file / drops the database
 *
 * testdb_require() exits with 77 (ctest's "skipped") when PostgreSQL is asked for but
 * EIMZA_TEST_PG_ADMIN_URL is unset, or fails (exit 1) instead when EIMZA_REQUIRE_PG=1. The
 * exit is the test program's main deciding, through this helper. */
#ifndef EIMZA_TESTS_TESTDB_H
#define EIMZA_TESTS_TESTDB_H

#include <libpq-fe.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

struct testdb {
    bool pg;
    char url[1024];
    char dir[256];  /* sqlite: the temporary directory */
    char path[300]; /* sqlite: the database file */
    char name[64];  /* postgresql: the database name */
};

static inline bool testdb_is_pg(void)
{
    const char *b = getenv("EIMZA_TEST_BACKEND");
    return b && !strcmp(b, "postgresql");
}

static inline void testdb_require(void)
{
    const char *admin = getenv("EIMZA_TEST_PG_ADMIN_URL");
    if (!testdb_is_pg() || (admin && *admin))
        return;
    const char *req = getenv("EIMZA_REQUIRE_PG");
    if (req && !strcmp(req, "1")) {
        fprintf(stderr, "FAIL: PostgreSQL is required (EIMZA_REQUIRE_PG=1) but "
                        "EIMZA_TEST_PG_ADMIN_URL is not set\n");
        exit(1);
    }
    printf("skipped: no PostgreSQL server (run through scripts/with-postgres.sh)\n");
    exit(77);
}

/* Runs one statement on a short-lived admin connection; 0 or -1 (reported on stderr). */
static inline int testdb__pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("EIMZA_TEST_PG_ADMIN_URL"));
    int rc = -1;
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect to the admin URL: %s", PQerrorMessage(c));
    } else {
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            rc = 0;
        else
            fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

/* Makes a new empty database; 0, or -1 with the reason on stderr. */
static inline int testdb_create(struct testdb *db)
{
    static unsigned counter;
    memset(db, 0, sizeof *db);
    db->pg = testdb_is_pg();
    if (!db->pg) {
        snprintf(db->dir, sizeof db->dir, "/tmp/eimza-it.XXXXXX");
        if (!mkdtemp(db->dir)) {
            perror("testdb: mkdtemp");
            return -1;
        }
        snprintf(db->path, sizeof db->path, "%s/test.db", db->dir);
        snprintf(db->url, sizeof db->url, "sqlite:%s", db->path);
        return 0;
    }
    const char *admin = getenv("EIMZA_TEST_PG_ADMIN_URL");
    if (!admin || !*admin) {
        fprintf(stderr, "testdb: EIMZA_TEST_PG_ADMIN_URL is not set\n");
        return -1;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(db->name, sizeof db->name, "eimza_it_%ld_%u_%ld", (long)getpid(), ++counter,
             (long)(ts.tv_nsec % 1000000));
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db->name);
    if (testdb__pg_admin(sql) != 0)
        return -1;
    /* The admin URL with its database name replaced: scheme://authority/NAME[?query]. */
    const char *auth = strstr(admin, "://");
    auth = auth ? auth + 3 : admin;
    const char *query = strchr(auth, '?');
    size_t authlen = strcspn(auth, "/?");
    snprintf(db->url, sizeof db->url, "%.*s/%s%s", (int)(auth - admin + authlen), admin, db->name,
             query ? query : "");
    return 0;
}

static inline void testdb_drop(struct testdb *db)
{
    if (db->pg) {
        if (db->name[0]) {
            char sql[128];
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db->name);
            testdb__pg_admin(sql);
        }
    } else if (db->dir[0]) {
        const char *suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < 4; i++) {
            char f[320];
            snprintf(f, sizeof f, "%s%s", db->path, suffix[i]);
            unlink(f);
        }
        rmdir(db->dir);
    }
    memset(db, 0, sizeof *db);
}

/* Runs SQL (one or more statements) on its own connection; 0, or -1 with the reason on
 * stderr. */
static inline int testdb_exec(const struct testdb *db, const char *sql)
{
    int rc = -1;
    if (db->pg) {
        PGconn *c = PQconnectdb(db->url);
        PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
        ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            rc = 0;
        else
            fprintf(stderr, "testdb_exec: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *c = NULL;
        char *msg = NULL;
        if (sqlite3_open_v2(db->path, &c, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(c, 5000);
            if (sqlite3_exec(c, sql, NULL, NULL, &msg) == SQLITE_OK)
                rc = 0;
        }
        if (rc)
            fprintf(stderr, "testdb_exec: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(c));
        sqlite3_free(msg);
        sqlite3_close(c);
    }
    return rc;
}

/* The first column of the first row of a query, as text ("" for NULL), into out. Returns 0,
 * 1 when there is no row, -1 on error (reported on stderr). */
static inline int testdb_query(const struct testdb *db, const char *sql, char *out, size_t outlen)
{
    int rc = -1;
    out[0] = '\0';
    if (db->pg) {
        PGconn *c = PQconnectdb(db->url);
        PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
            rc = PQntuples(r) ? 0 : 1;
            if (!rc)
                snprintf(out, outlen, "%s", PQgetvalue(r, 0, 0));
        } else {
            fprintf(stderr, "testdb_query: %s: %s", sql, PQerrorMessage(c));
        }
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *c = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open_v2(db->path, &c, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK) {
            int s = sqlite3_step(st);
            if (s == SQLITE_ROW) {
                const unsigned char *t = sqlite3_column_text(st, 0);
                snprintf(out, outlen, "%s", t ? (const char *)t : "");
                rc = 0;
            } else if (s == SQLITE_DONE) {
                rc = 1;
            }
        }
        if (rc < 0)
            fprintf(stderr, "testdb_query: %s: %s\n", sql, sqlite3_errmsg(c));
        sqlite3_finalize(st);
        sqlite3_close(c);
    }
    return rc;
}

/* testdb_query for an integer answer; LLONG_MIN when there is none. */
static inline long long testdb_query_ll(const struct testdb *db, const char *sql)
{
    char buf[64];
    if (testdb_query(db, sql, buf, sizeof buf) != 0 || !buf[0])
        return LLONG_MIN;
    return strtoll(buf, NULL, 10);
}

/* ---- a fresh database with a store open on it: the fixture most suites share --------- */
struct testdb_fx {
    struct testdb db;
    struct store *s;
};

/* cmocka group setup: a fresh database (made by store_open_create, as `eimza migrate` makes
 * one), a connection, and (with migrate) the schema. */
static inline int testdb_fx_setup(void **state, bool migrate)
{
    struct testdb_fx *f = calloc(1, sizeof *f);
    if (!f || testdb_create(&f->db) != 0) {
        free(f);
        return -1;
    }
    *state = f; /* the teardown frees what was made, also on a failure below */
    char err[256];
    if (store_open_create(f->db.url, &f->s, err, sizeof err) != STORE_OK) {
        fprintf(stderr, "store_open_create: %s\n", err);
        return -1;
    }
    if (migrate && store_migrate(f->s, NULL, NULL) != STORE_OK) {
        fprintf(stderr, "store_migrate: %s\n", store_last_error(f->s));
        return -1;
    }
    return 0;
}

static inline int testdb_fx_teardown(void **state)
{
    struct testdb_fx *f = *state;
    if (f) {
        store_close(f->s);
        testdb_drop(&f->db);
        free(f);
    }
    return 0;
}

/* Every field of two applications equal (not memcmp: padding bytes need not survive a struct
 * copy). Needs cmocka included before this header. */
static inline void testdb_assert_app_equal(const struct store_application *x,
                                           const struct store_application *y)
{
#define S(f) assert_string_equal(x->f, y->f)
#define I(f) assert_int_equal(x->f, y->f)
    I(id);
    S(number);
    S(tckn);
    S(state);
    I(confirmed);
    I(confirmed_at);
    S(first_name);
    S(last_name);
    S(birth_place);
    S(birth_date);
    S(institution_name);
    S(registry_no);
    S(reason);
    S(card_reader);
    I(validity_years);
    S(security_word_hash);
    S(unit);
    S(title);
    S(address);
    I(province);
    S(district);
    S(postal_code);
    S(email);
    S(work_phone);
    S(work_phone_ext);
    S(mobile_phone);
    S(mobile_operator);
    S(home_phone);
    S(notify_by);
    S(method);
    I(late);
    I(cert_not_after);
    I(created_at);
    I(updated_at);
#undef S
#undef I
}

#endif

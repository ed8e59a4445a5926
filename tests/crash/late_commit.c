/* eimza — a test-only fault for the crash test (tests/crash/kill.sh with EIMZA_CRASH_FAULT=1):
 * the server answers before its transactions are committed.
 *
 * A shared object loaded into `eimza serve` with LD_PRELOAD; it does nothing unless
 * EIMZA_FAULT_LATE_COMMIT=1 is also set. It is built only as a test artefact (never installed,
 * never linked into eimza), so no production server can have it by accident: the fault needs
 * both a file from the build tree and two environment variables.
 *
 * What it does: a COMMIT is not run when the store asks for it; the store is told it
 * succeeded, so the use case returns and the handler answers; the real COMMIT runs only when
 * the same database connection next starts a transaction (or is closed). That is the bug
 * class "the answer left before the commit" (a write-behind, an asynchronous commit): a
 * SIGKILL between the answer and the next transaction loses an answered request, and the
 * crash test must notice. Both drivers are covered:
 *   - SQLite: sqlite3_step of the store's prepared "COMMIT" returns SQLITE_DONE without
 *     stepping; the statement is stepped for real before the next "BEGIN..." on that
 *     connection, before sqlite3_exec, and before sqlite3_close. sqlite3_get_autocommit
 *     answers as if the commit had happened.
 *   - PostgreSQL: PQexec(conn, "COMMIT") returns an empty PGRES_COMMAND_OK result whose
 *     command status reads "COMMIT"; in pipeline mode (the store's write transactions), a
 *     COMMIT sent with PQsendQueryParams goes as a SAVEPOINT instead (the store uses none),
 *     whose answer's command status reads "COMMIT". The real COMMIT is sent before the next
 *     "BEGIN", before the connection enters pipeline mode again (a write transaction's
 *     start) and before PQfinish. PQtransactionStatus answers PQTRANS_IDLE meanwhile.
 */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LC_SLOTS 64

struct lc_pending {
    void *conn;       /* sqlite3 * or PGconn * */
    sqlite3_stmt *st; /* the SQLite COMMIT statement; NULL for PostgreSQL */
};

static pthread_mutex_t lc_mu = PTHREAD_MUTEX_INITIALIZER;
static struct lc_pending lc_tab[LC_SLOTS];
static const PGresult *lc_fake[LC_SLOTS]; /* results that must read "COMMIT" */
static int lc_on = -1;
static _Thread_local bool lc_in_exec; /* sqlite3_exec steps its own statements: left alone */

static bool lc_enabled(void)
{
    if (lc_on < 0) {
        const char *v = getenv("EIMZA_FAULT_LATE_COMMIT");
        lc_on = v && !strcmp(v, "1");
    }
    return lc_on == 1;
}

static void *lc_real(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f)
        abort();
    return f;
}

/* Takes conn's pending commit out of the table: its statement (SQLite), or (void *)1 for
 * PostgreSQL; NULL when none. */
static void *lc_take(void *conn)
{
    void *r = NULL;
    pthread_mutex_lock(&lc_mu);
    for (int i = 0; i < LC_SLOTS; i++) {
        if (lc_tab[i].conn == conn) {
            r = lc_tab[i].st ? (void *)lc_tab[i].st : (void *)1;
            lc_tab[i].conn = NULL;
            lc_tab[i].st = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&lc_mu);
    return r;
}

static bool lc_is_pending(void *conn)
{
    bool r = false;
    pthread_mutex_lock(&lc_mu);
    for (int i = 0; i < LC_SLOTS && !r; i++)
        r = lc_tab[i].conn == conn;
    pthread_mutex_unlock(&lc_mu);
    return r;
}

/* Remembers conn's commit for later; false when the table is full (then it runs now). */
static bool lc_put(void *conn, sqlite3_stmt *st)
{
    bool r = false;
    pthread_mutex_lock(&lc_mu);
    for (int i = 0; i < LC_SLOTS && !r; i++) {
        if (!lc_tab[i].conn) {
            lc_tab[i].conn = conn;
            lc_tab[i].st = st;
            r = true;
        }
    }
    pthread_mutex_unlock(&lc_mu);
    return r;
}

/* ---- SQLite --------------------------------------------------------------------------------- */

static int lc_sq_step(sqlite3_stmt *st)
{
    static int (*real)(sqlite3_stmt *);
    if (!real)
        real = (int (*)(sqlite3_stmt *))lc_real("sqlite3_step");
    return real(st);
}

/* Runs db's pending COMMIT, if any. */
static void lc_sq_flush(sqlite3 *db)
{
    sqlite3_stmt *st = lc_take(db);
    if (st) {
        (void)lc_sq_step(st);
        sqlite3_reset(st);
    }
}

int sqlite3_step(sqlite3_stmt *st)
{
    if (!lc_enabled() || !st || lc_in_exec)
        return lc_sq_step(st);
    sqlite3 *db = sqlite3_db_handle(st);
    const char *sql = sqlite3_sql(st);
    if (sql && !strncmp(sql, "BEGIN", 5))
        lc_sq_flush(db);
    else if (sql && !strcmp(sql, "COMMIT") && !lc_is_pending(db) && lc_put(db, st))
        return SQLITE_DONE; /* "committed" */
    return lc_sq_step(st);
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
                 char **errmsg)
{
    static int (*real)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *,
                       char **);
    if (!real)
        real = (int (*)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *,
                        char **))lc_real("sqlite3_exec");
    if (lc_enabled())
        lc_sq_flush(db);
    lc_in_exec = true;
    int rc = real(db, sql, cb, arg, errmsg);
    lc_in_exec = false;
    return rc;
}

int sqlite3_get_autocommit(sqlite3 *db)
{
    static int (*real)(sqlite3 *);
    if (!real)
        real = (int (*)(sqlite3 *))lc_real("sqlite3_get_autocommit");
    if (lc_enabled() && lc_is_pending(db))
        return 1;
    return real(db);
}

int sqlite3_close(sqlite3 *db)
{
    static int (*real)(sqlite3 *);
    if (!real)
        real = (int (*)(sqlite3 *))lc_real("sqlite3_close");
    if (lc_enabled())
        lc_sq_flush(db);
    return real(db);
}

/* ---- PostgreSQL ----------------------------------------------------------------------------- */

static PGresult *lc_pq_exec(PGconn *conn, const char *sql)
{
    static PGresult *(*real)(PGconn *, const char *);
    if (!real)
        real = (PGresult * (*)(PGconn *, const char *)) lc_real("PQexec");
    return real(conn, sql);
}

static void lc_pq_flush(PGconn *conn)
{
    if (lc_take(conn))
        PQclear(lc_pq_exec(conn, "COMMIT"));
}

PGresult *PQexec(PGconn *conn, const char *sql)
{
    if (!lc_enabled() || !sql)
        return lc_pq_exec(conn, sql);
    if (!strncmp(sql, "BEGIN", 5))
        lc_pq_flush(conn);
    if (!strcmp(sql, "COMMIT") && !lc_is_pending(conn)) {
        PGresult *r = PQmakeEmptyPGresult(conn, PGRES_COMMAND_OK);
        bool kept = false;
        pthread_mutex_lock(&lc_mu);
        for (int i = 0; i < LC_SLOTS && r && !kept; i++) {
            if (!lc_fake[i]) {
                lc_fake[i] = r;
                kept = true;
            }
        }
        pthread_mutex_unlock(&lc_mu);
        if (kept && lc_put(conn, NULL))
            return r;
        PQclear(r);
    }
    return lc_pq_exec(conn, sql);
}

/* The SAVEPOINT a pipelined COMMIT became (PQsendQueryParams below). */
#define LC_SAVEPOINT "SAVEPOINT eimza_late_commit"

int PQsendQueryParams(PGconn *conn, const char *command, int nparams, const Oid *types,
                      const char *const *values, const int *lengths, const int *formats,
                      int result_format)
{
    static int (*real)(PGconn *, const char *, int, const Oid *, const char *const *, const int *,
                       const int *, int);
    if (!real)
        real = (int (*)(PGconn *, const char *, int, const Oid *, const char *const *, const int *,
                        const int *, int))lc_real("PQsendQueryParams");
    if (lc_enabled() && command && !strcmp(command, "COMMIT") && !lc_is_pending(conn) &&
        lc_put(conn, NULL))
        command = LC_SAVEPOINT;
    return real(conn, command, nparams, types, values, lengths, formats, result_format);
}

int PQenterPipelineMode(PGconn *conn)
{
    static int (*real)(PGconn *);
    if (!real)
        real = (int (*)(PGconn *))lc_real("PQenterPipelineMode");
    if (lc_enabled()) /* a write transaction starts: the last one's COMMIT first */
        lc_pq_flush(conn);
    return real(conn);
}

char *PQcmdStatus(PGresult *res)
{
    static char *(*real)(PGresult *);
    static char commit[] = "COMMIT";
    if (!real)
        real = (char *(*)(PGresult *))lc_real("PQcmdStatus");
    bool fake = false;
    pthread_mutex_lock(&lc_mu);
    for (int i = 0; i < LC_SLOTS && res && !fake; i++)
        fake = lc_fake[i] == res;
    pthread_mutex_unlock(&lc_mu);
    char *st = fake ? commit : real(res);
    return lc_enabled() && st && !strcmp(st, "SAVEPOINT") ? commit : st;
}

void PQclear(PGresult *res)
{
    static void (*real)(PGresult *);
    if (!real)
        real = (void (*)(PGresult *))lc_real("PQclear");
    pthread_mutex_lock(&lc_mu);
    for (int i = 0; i < LC_SLOTS && res; i++)
        if (lc_fake[i] == res)
            lc_fake[i] = NULL;
    pthread_mutex_unlock(&lc_mu);
    real(res);
}

PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
    static PGTransactionStatusType (*real)(const PGconn *);
    if (!real)
        real = (PGTransactionStatusType(*)(const PGconn *))lc_real("PQtransactionStatus");
    if (lc_enabled() && lc_is_pending((void *)conn))
        return PQTRANS_IDLE;
    return real(conn);
}

void PQfinish(PGconn *conn)
{
    static void (*real)(PGconn *);
    if (!real)
        real = (void (*)(PGconn *))lc_real("PQfinish");
    if (lc_enabled())
        lc_pq_flush(conn);
    real(conn);
}

/* eimza — inside the store (internal to src/store/, like SQLite's btreeInt.h beside btree.h).
 *
 * The store is written once and run by a thin driver per database:
 *   - the query catalogue (store_queries.h, expanded by store_query.c): every statement once,
 *     as data, with a dialect's variant inline only where the SQL really differs;
 *   - column tables for every row type (store_row.c), so binding a record and reading one
 *     back are one loop for every type and every database;
 *   - the typed functions of store.h (store.c, store_portal.c, store_staff.c, store_notify.c),
 *     which check their arguments and run catalogue statements through the generic cursor
 *     below;
 *   - a driver per database (store_sqlite.c, store_pg.c) filling struct store_ops: prepare
 *     once per connection, bind a typed value array, step, read a column, transactions, plus
 *     the hooks that truly differ (the personnel import's COPY on PostgreSQL).
 * Names shared between these files use the store__ prefix so they cannot be mistaken for the
 * public API. */
#ifndef EIMZA_STORE_STORE_INT_H
#define EIMZA_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/migration.h"
#include "store/store.h"

#define STORE_ERR_MAX     512
#define STORE__OB_ERR_MAX 500  /* bytes of an outbox error text kept */
#define STORE__GEN_DIRTY  8    /* keys a transaction remembers for the change generations */
#define STORE__MAXARGS    48   /* parameters of a catalogue statement at most */
#define STORE__ROW_MAX    8192 /* bytes of a record read by store__get at most */

/* ---- the catalogue ---------------------------------------------------------------------- */

/* The dialects: which side of a {S:...}{P:...} alternative a driver's statements take. */
enum store__dialect { STORE__SQLITE, STORE__PG };

/* The outbox INSERT's parts, shared by the catalogue's OB_PUT and the multi-row INSERT of a
 * batch (store_outbox_put_batch): a row is "(" STORE__OB_ROW(its 7 placeholders) ")", $1 the
 * time. A warning's dedupe_key is not unique (its once-only is its mark's). */
#define STORE__OB_INSERT                                                                           \
    "INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, template, params, "        \
    "status, attempts, next_try_at, created_at) VALUES "
#define STORE__OB_ROW(p)   p ", 'pending', 0, $1, $1"
#define STORE__OB_CONFLICT " ON CONFLICT (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%' DO NOTHING"

/* Every statement's id, STORE__Q_<NAME>, in the order of store_queries.h. */
enum store__q {
#define STORE_Q(id, what, sql) STORE__Q_##id,
#include "store/store_queries.h"
#undef STORE_Q
    STORE__Q_COUNT
};

/* The statement q as dialect d runs it, made from the catalogue once per process; "" when
 * the dialect has nothing to run for it (the statement is then a no-op). NULL only when
 * building the catalogue failed (out of memory, or a malformed entry: store_open reports
 * it). */
const char *store__sql(enum store__q q, enum store__dialect d);
/* What the statement does, for error messages ("reading a session"). */
const char *store__what(enum store__q q);
/* A catalogue-style text (the markers of store_queries.h) made into dialect d's SQL; NULL when
 * out of memory or malformed. The caller frees it. */
char *store__expand(const char *text, enum store__dialect d);

/* ---- values ------------------------------------------------------------------------------ */

/* A parameter bound to a statement, or a column read back. TEXT points at a string that is
 * NUL-terminated at or after n bytes (a driver that needs the NUL at n copies it); DATE is
 * core/date.h days, written "YYYY-MM-DD" (CORE_DATE_NONE is bound as NULL). */
enum store__vt {
    STORE__V_NULL,
    STORE__V_INT,
    STORE__V_BOOL,
    STORE__V_TEXT,
    STORE__V_BLOB,
    STORE__V_DATE
};
struct store__val {
    enum store__vt t;
    int64_t i; /* INT, BOOL (0/1), DATE */
    const void *p;
    size_t n; /* TEXT, BLOB */
};
static inline struct store__val store__vi(int64_t i)
{
    return (struct store__val){STORE__V_INT, i, NULL, 0};
}
static inline struct store__val store__vb(bool b)
{
    return (struct store__val){STORE__V_BOOL, b, NULL, 0};
}
/* NULL binds SQL NULL */
static inline struct store__val store__vt(const char *p)
{
    return p ? (struct store__val){STORE__V_TEXT, 0, p, strlen(p)}
             : (struct store__val){STORE__V_NULL, 0, NULL, 0};
}
/* The typed functions' short names for the two most common. */
#define V(x)  store__vi(x)
#define VT(x) store__vt(x)
/* A page's limit, 0 for none. */
#define STORE__LIMIT(l) store__vi((l) ? (l) : INT64_MAX)
static inline struct store__val store__vblob(const void *p, size_t n)
{
    return (struct store__val){STORE__V_BLOB, 0, p ? p : "", p ? n : 0};
}

/* ---- row types --------------------------------------------------------------------------- */

enum store__ctype {
    STORE__TEXT, /* char[size]: bound up to its NUL; read back copied (too long: no fit) */
    STORE__STR,  /* const char *: NULL binds NULL; read back it points into the row */
    STORE__INT,  /* int */
    STORE__I64,  /* int64_t */
    STORE__I64Z, /* int64_t whose 0 is stored as NULL */
    STORE__BOOL, /* bool */
    STORE__DATE, /* int32_t core/date.h days, CORE_DATE_NONE stored as NULL */
    STORE__DUTY, /* enum core_duty, stored as its code */
};
struct store__col {
    const char *name; /* the SQL column */
    enum store__ctype type;
    unsigned short off, size; /* of the field in the record */
    bool key;                 /* identifies the row: never written by {set}, compared by {same} */
};
struct store__row {
    const char *name;  /* as the catalogue names it: {cols app} */
    const char *table; /* the SQL table, for {differ} */
    const char *what;  /* in messages: "no such session" */
    const struct store__col *cols;
    size_t ncols;
    size_t size;              /* of the record */
    void (*clear)(void *rec); /* before a read; NULL: zeroed */
};
extern const struct store__row store__personnel, store__cert, store__app, store__session,
    store__captcha, store__user, store__otp, store__event, store__outbox, store__audit,
    store__decision, store__problem, store__card, store__batch, store__pin, store__ticket,
    store__app_status, store__draft;
/* The row type the catalogue calls name; NULL when none. */
const struct store__row *store__row_named(const char *name, size_t len);

/* v[0 .. r->ncols) gets the record's fields; -1 when a TEXT field holds no NUL. */
int store__row_bind(const struct store__row *r, const void *rec, struct store__val *v);

/* ---- the generic cursor (store.c) ------------------------------------------------------- *
 * One statement is open on a connection at a time:
 *
 *     store__query(s, STORE__Q_X, args, n);
 *     while (store__fetch(s, &store__user, 0, &u) > 0 && fn(ctx, &u) == 0)
 *         ;
 *     return store__finish(s, NULL);
 *
 * A failure to run the statement (store__query's outcome), or while stepping or reading (a
 * value that does not fit its record), ends the rows and is what store__finish returns. */
enum store_err store__query(struct store *s, enum store__q q, const struct store__val *a, int n);
int store__next(struct store *s); /* 1: a row; 0: no more (or failed: see store__finish) */
/* store__next, then the row's columns col0 .. into rec (r's record type). */
int store__fetch(struct store *s, const struct store__row *r, int col0, void *rec);
/* Reads columns col0 .. of the current row into rec; -1 (and the statement fails) when a value
 * does not fit. */
int store__read(struct store *s, const struct store__row *r, int col0, void *rec);
bool store__isnull(struct store *s, int col);
int64_t store__col_int(struct store *s, int col);
const char *store__col_str(struct store *s, int col); /* NULL for SQL NULL */
/* A text column copied into buf (size > 0), cut to fit; "" for SQL NULL. */
void store__col_text(struct store *s, int col, char *buf, size_t size);
const void *store__col_blob(struct store *s, int col, size_t *len);
/* Ends the statement; *changes (may be NULL) gets the rows it changed. */
enum store_err store__finish(struct store *s, long *changes);
/* Runs q (its parameters a, n), which reads an application's id, its columns (store__app) and
 * then its holder's personnel columns (NULL when the holder is not in the personnel file): fn
 * with each row, until it returns non-zero; then store__finish. app_page: the entry checks (a
 * callback, a limit >= 1) and app_rows of a page statement taking (before, after_id, limit). */
enum store_err store__app_rows(struct store *s, enum store__q q, const struct store__val *v, int n,
                               int (*fn)(void *ctx, const struct store_application *a,
                                         const struct core_personnel *p),
                               void *ctx);
enum store_err store__app_page(struct store *s, enum store__q q, int64_t before, int64_t after_id,
                               long limit,
                               int (*fn)(void *ctx, const struct store_application *a,
                                         const struct core_personnel *p),
                               void *ctx);

/* The short forms. exec: no rows wanted. get: the first row into rec (STORE_ENOTFOUND, "no
 * such <r->what>", when there is none). one: the first column of the first row as a number, 0
 * when there is no row (*found may be NULL). */
enum store_err store__exec(struct store *s, enum store__q q, const struct store__val *a, int n,
                           long *changes);
enum store_err store__get(struct store *s, enum store__q q, const struct store__val *a, int n,
                          const struct store__row *r, int col0, void *rec);
enum store_err store__one(struct store *s, enum store__q q, const struct store__val *a, int n,
                          int64_t *out, bool *found);
/* store__exec for a write whose rows and count do not matter (an INSERT that either works or
 * fails the transaction): inside a write transaction a driver may send it with the next
 * statement that waits (one round trip for both on PostgreSQL), so its failure may be
 * returned by that statement or by the commit instead, with the same code and message. Only
 * where the caller rolls back on any failure. */
enum store_err store__send(struct store *s, enum store__q q, const struct store__val *a, int n);

/* The shapes the typed functions share. get_id: store__get of a statement that reads "id, "
 * then r's columns (from col 1), the id into *id (may point into rec) after the record. found:
 * store__exec whose change of no row is STORE_ENOTFOUND ("no such <r->what>"). did: store__exec
 * whose *did (may be NULL) says whether it changed a row, written only on success. count:
 * store__one into a long. missed: after a write that changed no row, runs exists (a, n):
 * STORE_ENOTFOUND ("no such <r->what>") when it finds nothing, else STORE_ECONFLICT with why,
 * or STORE_OK when why is NULL. */
enum store_err store__get_id(struct store *s, enum store__q q, const struct store__val *a, int n,
                             const struct store__row *r, void *rec, int64_t *id);
enum store_err store__found(struct store *s, enum store__q q, const struct store__val *a, int n,
                            const struct store__row *r);
enum store_err store__did(struct store *s, enum store__q q, const struct store__val *a, int n,
                          bool *did);
enum store_err store__count(struct store *s, enum store__q q, const struct store__val *a, int n,
                            long *out);
enum store_err store__missed(struct store *s, enum store__q exists, const struct store__val *a,
                             int n, const struct store__row *r, const char *why);

/* store__finish, then STORE_ENOTFOUND (none) when no row came (got false). */
enum store_err store__finish_got(struct store *s, bool got, const char *none);
/* A page of a list and the number of rows in the whole list: count, run with the first nc
 * parameters of a, into *total; then q (a, n) running (a failed count is then its outcome). */
enum store_err store__page(struct store *s, enum store__q count, int nc, enum store__q q,
                           const struct store__val *a, int n, long *total);

/* A parameter list written in place: STORE__A(store__vi(id), store__vt(t)) is the array and its
 * length, as the functions above take them. */
#define STORE__A(...)                                                                              \
    (const struct store__val[]){__VA_ARGS__},                                                      \
        (int)(sizeof((const struct store__val[]){__VA_ARGS__}) / sizeof(struct store__val))

/* A typed function's entry, returning from it on failure: READY, the connection's checks
 * (store__ready); REFUSE, STORE_EINVAL with the message (printf-style) when bad holds; ENTRY,
 * both (bad evaluated only once the connection is ready). */
#define STORE__READY(s)                                                                            \
    do {                                                                                           \
        enum store_err ready_e_ = store__ready(s);                                                 \
        if (ready_e_ != STORE_OK)                                                                  \
            return ready_e_;                                                                       \
    } while (0)
#define STORE__REFUSE(s, bad, ...)                                                                 \
    do {                                                                                           \
        if (bad)                                                                                   \
            return store__fail((s), STORE_EINVAL, __VA_ARGS__);                                    \
    } while (0)
#define STORE__ENTRY(s, bad, ...)                                                                  \
    do {                                                                                           \
        STORE__READY(s);                                                                           \
        STORE__REFUSE(s, bad, __VA_ARGS__);                                                        \
    } while (0)

/* A use case's own transaction: begun when the caller has none open (*own true), joined
 * otherwise. store__own_end commits (e == STORE_OK) or rolls back what it began, and returns
 * the outcome. */
enum store_err store__own_begin(struct store *s, bool *own);
enum store_err store__own_end(struct store *s, bool own, enum store_err e);

/* ---- the driver -------------------------------------------------------------------------- */

/* What a database must do. store.c checks the arguments and the connection's state before
 * every call, so a driver only sees calls that make sense. Errors are recorded with
 * store__fail (no values in them: a constraint's name, never the row) and mapped: refused by
 * a constraint or a concurrent change -> STORE_ECONFLICT (and s->err_fk for a foreign key),
 * out of memory -> STORE_ENOMEM, anything else -> STORE_EIO. A backup of a live database
 * (SQLite's online backup API) is one more hook here. */
struct store_ops {
    const char *name; /* "sqlite" or "postgresql" */
    enum store__dialect dialect;
    const struct store_migration *migrations;
    const size_t *nmigrations;
    /* rows per multi-row INSERT store_outbox_put_batch builds (1: a prepared row at a time,
     * which costs nothing in process) */
    long batch_rows;

    void (*close)(struct store *s);
    /* Prepares statement q on this connection (once: later calls are free). */
    enum store_err (*prepare)(struct store *s, enum store__q q);
    /* Prepares q if needed, binds a[0..n) and runs it up to its first row. */
    enum store_err (*run)(struct store *s, enum store__q q, const struct store__val *a, int n);
    /* The next row of the running statement: 1, or 0 at the end; -1 failed (recorded). */
    int (*next)(struct store *s);
    /* Column i of the current row as want: NULL only says whether it is SQL NULL (out->t);
     * INT gives the number (0 for SQL NULL, 1/0 for a boolean), its out->t never NULL; TEXT
     * and BLOB point into the row (out->t STORE__V_NULL for SQL NULL). -1 when out of
     * memory. */
    int (*col)(struct store *s, int i, enum store__vt want, struct store__val *out);
    /* Ends the running statement; *changes: the rows it changed. */
    void (*finish)(struct store *s, long *changes);
    /* Runs sql, made on the fly, once: one statement with parameters a[0..n), or with n == 0
     * a script of several. *changes (may be NULL): the rows the last statement changed. */
    enum store_err (*exec)(struct store *s, const char *sql, const struct store__val *a, int n,
                           long *changes);
    /* Statement q whose answer nobody waits for: in a write transaction it may wait to go with
     * the next statement (PostgreSQL's pipeline), its failure then returned by that statement
     * or the commit. NULL: store__send runs it at once. */
    enum store_err (*send)(struct store *s, enum store__q q, const struct store__val *a, int n);
    /* A transaction: write (SQLite takes the write lock at once) or a read snapshot. end
     * commits or rolls back (never fails when rolling back; a failed commit has rolled back). */
    enum store_err (*begin)(struct store *s, bool write);
    enum store_err (*end)(struct store *s, bool commit);

    /* The personnel import, when the database has a faster way than the generic one (a
     * prepared upsert per row, store.c): NULL otherwise. import_end commits or aborts and
     * always ends the import. */
    enum store_err (*import_begin)(struct store *s);
    enum store_err (*import_row)(struct store *s, const struct core_personnel *p);
    enum store_err (*import_end)(struct store *s, bool commit, struct store_import_stats *st);

    /* Backups (issue 18), when the database makes them itself (SQLite's online backup API):
     * NULL otherwise (PostgreSQL: pg_dump, docs/DEPLOYMENT.md). backup writes a consistent
     * copy to the new file path; restore replaces the connection's database with the copy at
     * path (store.h, store_backup / store_restore). */
    enum store_err (*backup)(struct store *s, const char *path, struct store_backup_stats *st);
    enum store_err (*restore)(struct store *s, const char *path, struct store_backup_stats *st);
    /* store_ping, when answering PING is not enough to know the database can be read (SQLite:
     * a connection answers from its cache, or from a file deleted under it): NULL otherwise. */
    enum store_err (*ping)(struct store *s);
};

/* The head of every driver's connection struct (which embeds it first). */
struct store {
    const struct store_ops *ops;
    bool importing; /* between import_begin and commit/abort */
    bool in_tx;     /* between store_tx_begin and commit/rollback */
    bool in_read;   /* between store_read_begin and store_read_end */
    bool err_fk;    /* the last failure was a foreign key refusing a row */
    bool scanning;  /* the connection was tuned for the expiry scan (SQLite) */
    /* the running statement */
    bool q_open, q_empty;
    enum store__q q;
    enum store_err q_err;
    /* the running generic import */
    struct {
        int64_t now;
        long before, rows, changes;
        bool failed;
    } imp;
    struct store_counters count;
    /* keys written in the open transaction, bumped again at its end (store_gen.c) */
    int gen_nsess, gen_napp;
    bool gen_overflow;
    char gen_sess[STORE__GEN_DIRTY][STORE_HASH_HEX + 1];
    int64_t gen_app[STORE__GEN_DIRTY];
    char err[STORE_ERR_MAX]; /* store_last_error(): no personal data, no secrets */
};

/* Driver constructors. path/url are the part store_open parsed; create (store_open_create):
 * make a missing database file and its missing parent directory; without it a missing file is
 * STORE_EVERSION and nothing is made. On failure *out is NULL and err says why. */
enum store_err store__sqlite_open(const char *path, bool create, struct store **out, char *err,
                                  size_t errlen);
enum store_err store__pg_open(const char *url, struct store **out, char *err, size_t errlen);
/* Whether another process has the SQLite database at path open (store_in_use). */
enum store_err store__sqlite_in_use(const char *path, long *pid, char *err, size_t errlen);
/* Whether libpq can parse url (store_url_check); err never holds its password. */
enum store_err store__pg_check_url(const char *url, char *err, size_t errlen);

/* Change generations (store_gen.c): a write to a session or an application moves its counter
 * on (now, and inside a transaction once more when the transaction ends: settle). */
void store__gen_session(struct store *s, const char *token_hash);
void store__gen_app(struct store *s, int64_t id);
void store__gen_settle(struct store *s);
/* Moves every counter on: after a change to more rows than can be named (a restore, the
 * retention's anonymisation). */
void store__gen_all(struct store *s);

/* Writes the detail of the last failure (printf-style) into s->err and returns e. */
enum store_err store__fail(struct store *s, enum store_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The checks every call makes: a connection, and no import running on it. */
enum store_err store__ready(struct store *s);

/* store_audit_append, giving the new entry's seq (when seq is not NULL). */
enum store_err store__audit_append(struct store *s, const struct store_audit_entry *e,
                                   int64_t *seq);

/* A province filter: 0 (every province) or a plate code 1..81. */
static inline bool store__province_ok(int province)
{
    return province >= 0 && province <= 81;
}

/* Lower-case hex of a hash as produced by store_audit_hash: exactly 64 of [0-9a-f]. */
bool store__is_hash(const char *h);
/* A fixed-size text field holds a NUL (and, when nonempty, something before it). */
bool store__text_ok(const char *f, size_t size, bool nonempty);
#define STORE__TEXT_OK(f, nonempty) store__text_ok((f), sizeof(f), (nonempty))

#endif

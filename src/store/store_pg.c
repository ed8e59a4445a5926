/* eimza — the PostgreSQL driver of the store (store_int.h, struct store_ops), over libpq.
 *
 * One PGconn per struct store. On connect the session is pinned to what the code assumes:
 * client_encoding UTF8, DateStyle ISO (dates read back as YYYY-MM-DD) and TimeZone UTC.
 * Catalogue statements are prepared once per connection (named eimza_N, on first use); values
 * always travel as parameters (text, bytea as binary), never spliced into SQL. A read snapshot
 * costs nothing: every statement already sees one consistent state.
 *
 * A write transaction runs in libpq's pipeline mode: its BEGIN and the statements nobody waits
 * for (store__send: an INSERT whose outcome is only "it worked") are queued, and go with the
 * next statement whose rows are wanted, or with the COMMIT, in one round trip (pg_sync). The
 * first failure among them is the outcome; the server skips what follows it, and the
 * transaction rolls back.
 *
 * The personnel import streams the rows with COPY into a temporary staging table and applies
 * them in one statement at commit (the import hooks below).
 *
 * Error texts: a URL's password never appears (it is scrubbed from libpq's messages at
 * connect, and URLs are never echoed), and server errors are reported by their primary message
 * and SQLSTATE only: DETAIL lines can quote the values of a row (a T.C. Kimlik No).
 */
#include "store/store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/personnel.h"
#include "util/buf.h"

#define PG_CONNECT_TIMEOUT "10"                /* seconds; the URL may say otherwise */
#define PG_COPY_CHUNK      (64 * 1024)         /* rows are sent to the server in chunks this big */
#define PG_COPY_MAX        (PG_COPY_CHUNK * 4) /* cap of the chunk buffer (one row < 8 KiB) */
#define PG_BLOBS           8                   /* bytea columns decoded in one row at most */
#define PG_QUEUE           64                  /* statements queued in a pipeline at most */

struct pg {
    struct store base; /* first: a struct store * is a struct pg * */
    PGconn *conn;
    bool prepared[STORE__Q_COUNT];
    bool preparing[STORE__Q_COUNT]; /* its PREPARE is queued in the pipeline */
    bool in_tx;                     /* a write transaction is open (a read snapshot opens none) */
    /* the write transaction's pipeline: in libpq's pipeline mode, nq statements queued whose
     * answers are read at the next sync, in order (prep: the statement a queued PREPARE is
     * for, else -1) */
    bool pipe;
    int nq;
    struct {
        const char *what;
        int prep;
    } queue[PG_QUEUE];
    /* the running statement */
    PGresult *res;
    int row;
    unsigned char *blobs[PG_BLOBS]; /* decoded bytea of the current row */
    int nblobs;
    /* the running personnel import */
    bool copying;    /* the connection is in COPY IN mode */
    bool row_failed; /* a row could not be sent: the import may only be aborted */
    long seq;
    struct ubuf chunk; /* COPY text not sent yet */
};

static struct pg *pg_of(struct store *s)
{
    return (struct pg *)s;
}

/* ---- errors ------------------------------------------------------------------------------- */

/* Copies msg into out[outlen] on one line (newlines and tabs become spaces, trailing space
 * dropped), with every occurrence of a non-empty secret replaced by "***". */
static void scrub(char *out, size_t outlen, const char *msg, const char *const *secrets,
                  size_t nsecrets)
{
    size_t o = 0;
    if (!outlen)
        return;
    for (const char *p = msg; *p && o + 1 < outlen;) {
        size_t hit = 0;
        for (size_t i = 0; i < nsecrets && !hit; i++) {
            size_t n = secrets[i] ? strlen(secrets[i]) : 0;
            if (n && !strncmp(p, secrets[i], n))
                hit = n;
        }
        if (hit) {
            for (const char *m = "***"; *m && o + 1 < outlen; m++)
                out[o++] = *m;
            p += hit;
            continue;
        }
        out[o++] = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p;
        p++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* Records why a result (or its absence) is a failure and maps it: integrity violations and
 * serialisation failures -> STORE_ECONFLICT, out of memory -> STORE_ENOMEM, anything else
 * STORE_EIO (data or an index found corrupted counted in the connection's counters too). A
 * data exception (class 22) is reported without its message, which quotes the value. */
static enum store_err pg_fail(struct pg *g, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    enum store_err e = STORE_EIO;
    char line[STORE_ERR_MAX];
    if (state && (!strncmp(state, "23", 2) || !strcmp(state, "40001") || !strcmp(state, "40P01")))
        e = STORE_ECONFLICT;
    else if (state && !strcmp(state, "53200"))
        e = STORE_ENOMEM;
    if (state && !strncmp(state, "22", 2))
        prim = "invalid data";
    g->base.err_fk = state && !strcmp(state, "23503");
    if (state && (!strcmp(state, "XX001") || !strcmp(state, "XX002")))
        g->base.count.damaged++;
    scrub(line, sizeof line, prim ? prim : PQerrorMessage(g->conn), NULL, 0);
    if (!line[0])
        snprintf(line, sizeof line, "%s", r ? PQresStatus(PQresultStatus(r)) : "no result");
    return store__fail(&g->base, e, "%s: %s%s%s%s", what, line, state ? " (SQLSTATE " : "",
                       state ? state : "", state ? ")" : "");
}

/* Checks that r succeeded (or has status want when it is not 0). On failure r is cleared and
 * the error recorded. */
static enum store_err pg_want(struct pg *g, PGresult *r, ExecStatusType want, const char *what)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (r && (want ? st == want : st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK))
        return STORE_OK;
    enum store_err e = pg_fail(g, r, what);
    PQclear(r);
    return e;
}

/* One more wait for the server's answer (struct store_counters). */
static void pg_trip(struct pg *g)
{
    g->base.count.round_trips++;
}

static enum store_err pg_pipe_end(struct pg *g);

static enum store_err pg_sql(struct pg *g, const char *sql, ExecStatusType want, const char *what)
{
    enum store_err e = g->pipe ? pg_pipe_end(g) : STORE_OK;
    if (e != STORE_OK)
        return e;
    pg_trip(g);
    PGresult *r = PQexec(g->conn, sql);
    if ((e = pg_want(g, r, want, what)) == STORE_OK)
        PQclear(r);
    return e;
}

static void pg_rollback(struct pg *g)
{
    g->in_tx = false;
    if (g->pipe)
        (void)pg_pipe_end(g); /* a failure there is what is being rolled back */
    if (PQtransactionStatus(g->conn) != PQTRANS_IDLE) {
        pg_trip(g);
        PQclear(PQexec(g->conn, "ROLLBACK"));
    }
}

/* ---- the pipeline of a write transaction ---------------------------------------------------- */

/* Puts the connection in pipeline mode (false when libpq cannot: then statements go one by
 * one). */
static bool pg_enter(struct pg *g)
{
    if (!g->pipe && PQenterPipelineMode(g->conn) == 1)
        g->pipe = true;
    return g->pipe;
}

/* Notes a statement sent (sent: what libpq's PQsend* returned) as waiting for its answer. */
static enum store_err pg_queued(struct pg *g, int sent, const char *what, int prep)
{
    if (sent != 1)
        return pg_fail(g, NULL, what);
    g->queue[g->nq].what = what;
    g->queue[g->nq].prep = prep;
    g->nq++;
    return STORE_OK;
}

/* A transaction's own statement (BEGIN, COMMIT) queued. */
static enum store_err pg_queued_sql(struct pg *g, const char *sql, const char *what)
{
    return pg_queued(g, PQsendQueryParams(g->conn, sql, 0, NULL, NULL, NULL, NULL, 0), what, -1);
}

/* One round trip: a sync, then the answers of everything queued, in order. The first failure
 * is the outcome (the server skipped what came after it); *last (when not NULL) gets the last
 * statement's result when everything succeeded, for the caller to read and clear. Nothing is
 * read when the sync could not be sent (no answer would come: waiting would hang). */
static enum store_err pg_sync(struct pg *g, PGresult **last)
{
    enum store_err e = STORE_OK;
    const int n = g->nq;
    g->nq = 0;
    pg_trip(g);
    const bool synced = PQpipelineSync(g->conn) == 1;
    if (!synced)
        e = pg_fail(g, NULL, "sending statements");
    for (int i = 0; i < n; i++) {
        const int prep = g->queue[i].prep;
        PGresult *r = synced && PQstatus(g->conn) == CONNECTION_OK ? PQgetResult(g->conn) : NULL;
        ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        const bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (prep >= 0) {
            g->prepared[prep] = ok;
            g->preparing[prep] = false;
        }
        if (!ok && e == STORE_OK)
            e = st == PGRES_PIPELINE_ABORTED
                    ? store__fail(&g->base, STORE_EIO, "%s: skipped", g->queue[i].what)
                    : pg_fail(g, r, g->queue[i].what);
        if (last && ok && e == STORE_OK && i == n - 1)
            *last = r;
        else
            PQclear(r);
        if (!r)
            continue;
        while ((r = PQgetResult(g->conn)) != NULL) /* the end of this statement's answers */
            PQclear(r);
    }
    PGresult *r = synced && PQstatus(g->conn) == CONNECTION_OK ? PQgetResult(g->conn) : NULL;
    if (e == STORE_OK && (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC)) {
        e = pg_fail(g, r, "reading the answers");
        if (last) {
            PQclear(*last);
            *last = NULL;
        }
    }
    PQclear(r);
    return e;
}

/* Reads what is still queued and leaves pipeline mode: before what cannot be pipelined (a
 * script, COPY, ROLLBACK) and at the transaction's end. */
static enum store_err pg_pipe_end(struct pg *g)
{
    enum store_err e = g->nq ? pg_sync(g, NULL) : STORE_OK;
    if (PQexitPipelineMode(g->conn) != 1) {
        PGresult *r;
        while ((r = PQgetResult(g->conn)) != NULL)
            PQclear(r);
        if (PQexitPipelineMode(g->conn) != 1 && e == STORE_OK)
            e = pg_fail(g, NULL, "leaving pipeline mode");
    }
    g->pipe = PQpipelineStatus(g->conn) != PQ_PIPELINE_OFF;
    return e;
}

/* ---- statements --------------------------------------------------------------------------- */

/* The parameters as libpq takes them: text, but bytea as binary; nums holds the numbers' and
 * dates' text, copy the texts that end before their NUL. */
struct pg_params {
    const char **vals;
    int *lens, *fmts;
    char (*nums)[24];
    char *copy;
};

static int pg_params(struct pg_params *p, const struct store__val *a, int n)
{
    size_t need = 0;
    for (int i = 0; i < n; i++)
        if (a[i].t == STORE__V_TEXT && ((const char *)a[i].p)[a[i].n] != '\0')
            need += a[i].n + 1;
    char *w = p->copy = need ? malloc(need) : NULL;
    if (need && !w)
        return -1;
    for (int i = 0; i < n; i++) {
        const struct store__val *v = &a[i];
        p->lens[i] = p->fmts[i] = 0;
        p->vals[i] = p->nums[i];
        switch (v->t) {
        case STORE__V_NULL:
            p->vals[i] = NULL;
            break;
        case STORE__V_INT:
            snprintf(p->nums[i], 24, "%lld", (long long)v->i);
            break;
        case STORE__V_BOOL:
            p->vals[i] = v->i ? "t" : "f";
            break;
        case STORE__V_DATE:
            core_date_format((int32_t)v->i, p->nums[i]);
            p->vals[i] = p->nums[i][0] ? p->nums[i] : NULL;
            break;
        case STORE__V_TEXT:
            p->vals[i] = v->p;
            if (((const char *)v->p)[v->n] != '\0') {
                memcpy(w, v->p, v->n);
                w[v->n] = '\0';
                p->vals[i] = w;
                w += v->n + 1;
            }
            break;
        case STORE__V_BLOB:
            if (v->n > INT32_MAX)
                return -1;
            p->vals[i] = v->p;
            p->lens[i] = (int)v->n;
            p->fmts[i] = 1;
            break;
        }
    }
    return 0;
}

static void pg_name(char name[16], enum store__q q)
{
    snprintf(name, 16, "eimza_%d", (int)q);
}

static enum store_err pg_prepare(struct store *s, enum store__q q)
{
    struct pg *g = pg_of(s);
    if (g->prepared[q])
        return STORE_OK;
    const char *sql = store__sql(q, STORE__PG);
    if (!sql)
        return store__fail(s, STORE_ENOMEM, "%s: building the statement", store__what(q));
    char name[16];
    pg_name(name, q);
    pg_trip(g);
    PGresult *r = PQprepare(g->conn, name, sql, 0, NULL);
    enum store_err e = pg_want(g, r, PGRES_COMMAND_OK, store__what(q));
    if (e == STORE_OK)
        PQclear(r);
    g->prepared[q] = e == STORE_OK;
    return e;
}

/* Runs sql (prepared statement q when sql is NULL) with a[0..n); the result stays in g->res.
 * queued: prepared statement q goes into the pipeline instead, its answer read later. */
static enum store_err pg_go(struct pg *g, enum store__q q, const char *sql,
                            const struct store__val *a, int n, const char *what, bool queued)
{
    if (!queued && g->pipe) {
        enum store_err e = pg_pipe_end(g);
        if (e != STORE_OK)
            return e;
    }
    const char *vals[STORE__MAXARGS];
    int lens[STORE__MAXARGS], fmts[STORE__MAXARGS];
    char nums[STORE__MAXARGS][24];
    struct pg_params p = {vals, lens, fmts, nums, NULL};
    const bool big = n > STORE__MAXARGS;
    if (big) {
        p.vals = malloc((size_t)n * sizeof *p.vals);
        p.lens = malloc((size_t)n * sizeof *p.lens);
        p.fmts = malloc((size_t)n * sizeof *p.fmts);
        p.nums = malloc((size_t)n * sizeof *p.nums);
    }
    enum store_err e = STORE_OK;
    if (!p.vals || !p.lens || !p.fmts || !p.nums || pg_params(&p, a, n) < 0) {
        e = store__fail(&g->base, STORE_ENOMEM, "%s: binding the parameters", what);
    } else {
        char name[16];
        pg_name(name, q);
        if (queued) {
            e = pg_queued(g, PQsendQueryPrepared(g->conn, name, n, p.vals, p.lens, p.fmts, 0), what,
                          -1);
            goto out;
        }
        pg_trip(g);
        PGresult *r = sql ? PQexecParams(g->conn, sql, n, NULL, p.vals, p.lens, p.fmts, 0)
                          : PQexecPrepared(g->conn, name, n, p.vals, p.lens, p.fmts, 0);
        if ((e = pg_want(g, r, 0, what)) == STORE_OK) {
            g->res = r;
            g->row = -1;
        }
    }
out:
    free(p.copy);
    if (big) {
        free(p.vals);
        free(p.lens);
        free(p.fmts);
        free(p.nums);
    }
    return e;
}

/* Queues statement q (and its PREPARE, the first time) in the pipeline. */
static enum store_err pg_queue(struct pg *g, enum store__q q, const struct store__val *a, int n)
{
    enum store_err e = g->nq > PG_QUEUE - 3 ? pg_sync(g, NULL) : STORE_OK;
    if (e == STORE_OK && !g->prepared[q] && !g->preparing[q]) {
        const char *sql = store__sql(q, STORE__PG);
        char name[16];
        pg_name(name, q);
        if (!sql)
            return store__fail(&g->base, STORE_ENOMEM, "%s: building the statement",
                               store__what(q));
        e = pg_queued(g, PQsendPrepare(g->conn, name, sql, 0, NULL), store__what(q), (int)q);
        g->preparing[q] = e == STORE_OK;
    }
    return e == STORE_OK ? pg_go(g, q, NULL, a, n, store__what(q), true) : e;
}

/* In a pipeline, q goes with what is queued and one sync reads every answer. */
static enum store_err pg_run(struct store *s, enum store__q q, const struct store__val *a, int n)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    if (g->pipe) {
        PGresult *r = NULL;
        if ((e = pg_queue(g, q, a, n)) == STORE_OK && (e = pg_sync(g, &r)) == STORE_OK) {
            g->res = r;
            g->row = -1;
        }
        return e;
    }
    e = pg_prepare(s, q);
    return e ? e : pg_go(g, q, NULL, a, n, store__what(q), false);
}

/* A statement whose answer nobody waits for: queued in a write transaction's pipeline, else
 * run at once. */
static enum store_err pg_send(struct store *s, enum store__q q, const struct store__val *a, int n)
{
    struct pg *g = pg_of(s);
    if (g->in_tx && pg_enter(g))
        return pg_queue(g, q, a, n);
    enum store_err e = pg_run(s, q, a, n);
    if (e == STORE_OK) {
        PQclear(g->res);
        g->res = NULL;
    }
    return e;
}

static void pg_free_blobs(struct pg *g)
{
    for (int i = 0; i < g->nblobs; i++)
        PQfreemem(g->blobs[i]);
    g->nblobs = 0;
}

static int pg_next(struct store *s)
{
    struct pg *g = pg_of(s);
    pg_free_blobs(g);
    return ++g->row < PQntuples(g->res);
}

static int pg_col(struct store *s, int i, enum store__vt want, struct store__val *out)
{
    struct pg *g = pg_of(s);
    if (PQgetisnull(g->res, g->row, i)) {
        *out = (struct store__val){want == STORE__V_INT ? want : STORE__V_NULL, 0, NULL, 0};
        return 0;
    }
    const char *v = PQgetvalue(g->res, g->row, i);
    out->t = want == STORE__V_NULL ? STORE__V_INT : want; /* anything but NULL */
    out->p = v;
    out->n = (size_t)PQgetlength(g->res, g->row, i);
    if (want == STORE__V_BLOB) { /* bytea comes back in text form (hex) */
        unsigned char *b =
            g->nblobs < PG_BLOBS ? PQunescapeBytea((const unsigned char *)v, &out->n) : NULL;
        if (!b)
            return -1;
        out->p = g->blobs[g->nblobs++] = b;
    } else if (want == STORE__V_INT) {
        out->i = *v == 't' ? 1 : *v == 'f' ? 0 : strtoll(v, NULL, 10);
    }
    return 0;
}

static void pg_finish(struct store *s, long *changes)
{
    struct pg *g = pg_of(s);
    pg_free_blobs(g);
    *changes = strtol(PQcmdTuples(g->res), NULL, 10);
    PQclear(g->res);
    g->res = NULL;
}

static enum store_err pg_exec(struct store *s, const char *sql, const struct store__val *a, int n,
                              long *changes)
{
    struct pg *g = pg_of(s);
    enum store_err e = !n && g->pipe ? pg_pipe_end(g) : STORE_OK;
    if (e != STORE_OK)
        return e;
    if (!n)
        pg_trip(g);
    e = n ? pg_go(g, 0, sql, a, n, "running SQL", false)
          : pg_want(g, g->res = PQexec(g->conn, sql), 0, "running SQL");
    if (e == STORE_OK) {
        if (changes)
            *changes = strtol(PQcmdTuples(g->res), NULL, 10);
        PQclear(g->res);
    }
    g->res = NULL;
    return e;
}

/* A write transaction's BEGIN waits in the pipeline for its first statement. */
static enum store_err pg_begin(struct store *s, bool write)
{
    struct pg *g = pg_of(s);
    if (!write)
        return STORE_OK;
    const char *what = "starting a transaction";
    enum store_err e =
        pg_enter(g) ? pg_queued_sql(g, "BEGIN", what) : pg_sql(g, "BEGIN", PGRES_COMMAND_OK, what);
    g->in_tx = e == STORE_OK;
    if (e != STORE_OK)
        pg_rollback(g);
    return e;
}

/* A COMMIT of a transaction that already failed "succeeds" as a ROLLBACK: that is reported as
 * the failure it is, so a caller that missed an error never believes its writes were kept. */
static enum store_err pg_end(struct store *s, bool commit)
{
    struct pg *g = pg_of(s);
    if (!g->in_tx)
        return STORE_OK;
    if (!commit) {
        pg_rollback(g);
        return STORE_OK;
    }
    g->in_tx = false;
    const char *what = "committing a transaction";
    PGresult *r = NULL;
    enum store_err e;
    if (g->pipe) {
        if ((e = pg_queued_sql(g, "COMMIT", what)) == STORE_OK)
            e = pg_sync(g, &r);
        /* (committed or not, the pipeline ends; should leaving it fail, the connection's
         * next statement tries again and reports it) */
        (void)pg_pipe_end(g);
    } else {
        pg_trip(g);
        r = PQexec(g->conn, "COMMIT");
        if ((e = pg_want(g, r, PGRES_COMMAND_OK, what)) != STORE_OK)
            r = NULL; /* cleared */
    }
    if (e != STORE_OK) {
        pg_rollback(g);
        return e;
    }
    if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        e = store__fail(s, STORE_EIO, "the transaction had failed and was rolled back");
    PQclear(r);
    return e;
}

/* ---- the personnel import: COPY into a staging table, one merge at commit ----------------- */

/* The staging table: the personnel columns without constraints, and seq (the row's position in
 * the import) so that the last of repeated rows can win. Dropped at the end of the
 * transaction, whichever way it ends. */
static const char pg_stage[] =
    "CREATE TEMP TABLE eimza_personnel_stage (seq bigint NOT NULL, tckn text, first_name text, "
    "last_name text, birth_place text, birth_date date, institution_code text, "
    "institution_name text, province smallint, district text, unit text, title text, "
    "duty text, assignment_end date, entitled boolean, email text, mobile_phone text, "
    "registry_no text) "
    "ON COMMIT DROP";
static const char pg_copy[] = "COPY eimza_personnel_stage (seq, {cols personnel}) FROM STDIN";
/* The counts of store.h, per row as if applied one after the other, computed from the staged
 * rows before they are applied: a tckn's first row is new when no record has it, updated when
 * it differs from the record; each later row of the same tckn is updated when it differs from
 * the row before it. (Applied in one statement, a record changed and changed back within one
 * file is not rewritten; SQLite rewrites it twice. The counts agree.) */
static const char pg_stats[] =
    "WITH s AS (SELECT tckn, row_number() OVER w AS rn, ROW({data personnel}) AS r, "
    "lag(ROW({data personnel})) OVER w AS prev FROM eimza_personnel_stage "
    "WINDOW w AS (PARTITION BY tckn ORDER BY seq)) "
    "SELECT count(*), count(*) FILTER (WHERE s.rn = 1 AND p.tckn IS NULL), "
    "count(*) FILTER (WHERE CASE WHEN s.rn = 1 THEN p.tckn IS NOT NULL "
    "AND ROW({data personnel p}) IS DISTINCT FROM s.r ELSE s.prev IS DISTINCT FROM s.r END) "
    "FROM s LEFT JOIN personnel p ON p.tckn = s.tckn";
/* The last row of each tckn wins; unchanged records are not rewritten (updated_at stays). */
static const char pg_merge[] =
    "INSERT INTO personnel ({cols personnel}, updated_at) "
    "SELECT DISTINCT ON (tckn) {cols personnel}, $1::bigint FROM eimza_personnel_stage "
    "ORDER BY tckn, seq DESC ON CONFLICT (tckn) DO UPDATE SET {excl personnel}, "
    "updated_at = excluded.updated_at WHERE {differ personnel}";

/* Runs a template of the import (store__expand's markers). */
static enum store_err pg_template(struct pg *g, const char *text, const struct store__val *a, int n,
                                  ExecStatusType want, const char *what)
{
    char *sql = store__expand(text, STORE__PG);
    enum store_err e = STORE_ENOMEM;
    if (!sql)
        store__fail(&g->base, e, "%s: building the statement", what);
    else if (want == PGRES_COPY_IN)
        e = pg_sql(g, sql, want, what);
    else
        e = pg_go(g, 0, sql, a, n, what, false);
    free(sql);
    return e;
}

static enum store_err pg_import_begin(struct store *s)
{
    struct pg *g = pg_of(s);
    g->seq = 0;
    g->row_failed = false;
    ubuf_reset(&g->chunk);
    enum store_err e = pg_begin(s, true);
    if (e == STORE_OK)
        e = pg_sql(g, pg_stage, PGRES_COMMAND_OK, "creating the staging table");
    if (e == STORE_OK)
        e = pg_template(g, pg_copy, NULL, 0, PGRES_COPY_IN, "starting COPY");
    if (e != STORE_OK) {
        pg_rollback(g);
        return e;
    }
    g->copying = true;
    return STORE_OK;
}

/* COPY text format: backslash, tab, newline and carriage return are escaped; the rest of UTF-8
 * goes as it is; a NULL is \N. */
static int copy_field(struct ubuf *b, const struct store__val *v)
{
    char num[24];
    const char *p = num;
    size_t n;
    if (v->t == STORE__V_NULL)
        return ubuf_puts(b, "\\N");
    if (v->t == STORE__V_TEXT) {
        p = v->p;
        n = v->n;
    } else if (v->t == STORE__V_DATE) {
        core_date_format((int32_t)v->i, num);
        n = strlen(num);
    } else if (v->t == STORE__V_BOOL) {
        return ubuf_putc(b, v->i ? 't' : 'f');
    } else {
        n = (size_t)snprintf(num, sizeof num, "%lld", (long long)v->i);
    }
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = p[i] == '\\'   ? "\\\\"
                          : p[i] == '\t' ? "\\t"
                          : p[i] == '\n' ? "\\n"
                          : p[i] == '\r' ? "\\r"
                                         : NULL;
        if (!esc)
            continue;
        if (ubuf_put(b, p + start, i - start) < 0 || ubuf_puts(b, esc) < 0)
            return -1;
        start = i + 1;
    }
    return ubuf_put(b, p + start, n - start);
}

static enum store_err pg_flush(struct pg *g)
{
    if (g->chunk.len == 0)
        return STORE_OK;
    if (PQputCopyData(g->conn, g->chunk.p, (int)g->chunk.len) != 1)
        return pg_fail(g, NULL, "sending personnel rows");
    ubuf_reset(&g->chunk);
    return STORE_OK;
}

static enum store_err pg_import_row(struct store *s, const struct core_personnel *p)
{
    struct pg *g = pg_of(s);
    struct ubuf *b = &g->chunk;
    struct store__val v[STORE__MAXARGS];
    size_t mark = b->len;
    int bad = store__row_bind(&store__personnel, p, v + 1) < 0;
    v[0] = store__vi(g->seq + 1);
    for (size_t i = 0; !bad && i <= store__personnel.ncols; i++)
        bad = (i && ubuf_putc(b, '\t') < 0) || copy_field(b, &v[i]) < 0;
    if (bad || ubuf_putc(b, '\n') < 0) {
        /* The chunk holds only whole rows: the refused one is taken back out. */
        b->len = mark;
        if (b->p)
            b->p[mark] = '\0';
        g->row_failed = true;
        return store__fail(s, STORE_EINVAL,
                           "a personnel row could not be encoded (a field not NUL-terminated, or "
                           "out of memory)");
    }
    g->seq++;
    enum store_err e = b->len >= PG_COPY_CHUNK ? pg_flush(g) : STORE_OK;
    g->row_failed |= e != STORE_OK;
    return e;
}

/* Ends COPY; with errmsg non-NULL the server discards the data and fails the COPY. */
static enum store_err pg_copy_end(struct pg *g, const char *errmsg)
{
    enum store_err e = STORE_OK;
    g->copying = false;
    pg_trip(g);
    if (PQputCopyEnd(g->conn, errmsg) != 1)
        e = pg_fail(g, NULL, "ending COPY");
    PGresult *r;
    while ((r = PQgetResult(g->conn)) != NULL) {
        if (e == STORE_OK && !errmsg && PQresultStatus(r) != PGRES_COMMAND_OK)
            e = pg_fail(g, r, "storing the personnel rows");
        PQclear(r);
    }
    return e;
}

static enum store_err pg_import_end(struct store *s, bool commit, struct store_import_stats *st)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    if (commit && g->row_failed)
        e = store__fail(s, STORE_EINVAL, "a row of the import failed: the import was rolled back");
    if (commit && e == STORE_OK)
        e = pg_flush(g);
    if (g->copying) {
        enum store_err e2 = pg_copy_end(g, commit && e == STORE_OK ? NULL : "import aborted");
        e = e == STORE_OK ? e2 : e;
    }
    const struct store__val now = store__vi(g->base.imp.now);
    if (commit && e == STORE_OK &&
        (e = pg_template(g, pg_stats, NULL, 0, 0, "counting the import's changes")) == STORE_OK) {
        st->inserted = strtol(PQgetvalue(g->res, 0, 1), NULL, 10);
        st->updated = strtol(PQgetvalue(g->res, 0, 2), NULL, 10);
        st->unchanged = strtol(PQgetvalue(g->res, 0, 0), NULL, 10) - st->inserted - st->updated;
        PQclear(g->res);
        g->res = NULL;
        if ((e = pg_template(g, pg_merge, &now, 1, 0, "applying the personnel rows")) == STORE_OK)
            PQclear(g->res);
        g->res = NULL;
    }
    if (commit && e == STORE_OK)
        e = pg_end(s, true);
    else
        pg_rollback(g);
    ubuf_free(&g->chunk);
    ubuf_init(&g->chunk, PG_COPY_MAX);
    return e;
}

/* ---- opening and closing ------------------------------------------------------------------ */

static void pg_quiet(void *arg, const char *message)
{
    (void)arg; /* NOTICEs ("relation already exists, skipping") are not for the user */
    (void)message;
}

/* The password as written in the URL's user info ("postgresql://user:PASSWORD@host") and in
 * a "password=" query parameter, raw (maybe percent-encoded), for scrubbing. */
static void raw_passwords(const char *url, char *userinfo_pw, size_t n1, char *query_pw, size_t n2)
{
    userinfo_pw[0] = query_pw[0] = '\0';
    const char *p = strstr(url, "://");
    if (!p)
        return;
    p += 3;
    const char *q = strchr(p, '?');
    const char *end = q ? q : p + strlen(p);
    const char *at = NULL;
    for (const char *c = p; c < end; c++)
        if (*c == '@')
            at = c;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon)
            snprintf(userinfo_pw, n1, "%.*s", (int)(at - colon - 1), colon + 1);
    }
    for (const char *k = q; k && (k = strstr(k, "password=")) != NULL; k += 9) {
        if (k[-1] != '?' && k[-1] != '&')
            continue;
        const char *v = k + 9;
        size_t len = strcspn(v, "&");
        snprintf(query_pw, n2, "%.*s", (int)len, v);
        break;
    }
}

static void pg_close(struct store *s)
{
    struct pg *g = pg_of(s);
    PQfinish(g->conn);
    ubuf_free(&g->chunk);
    free(g);
}

static const struct store_ops pg_ops = {
    .name = "postgresql",
    .dialect = STORE__PG,
    .migrations = store_migrations_pg,
    .nmigrations = &store_migrations_pg_count,
    /* a round trip per message cost 0.2 ms here, twelve times a row's share of a multi-row
     * statement */
    .batch_rows = 500,
    .close = pg_close,
    .prepare = pg_prepare,
    .run = pg_run,
    .next = pg_next,
    .col = pg_col,
    .finish = pg_finish,
    .exec = pg_exec,
    .send = pg_send,
    .begin = pg_begin,
    .end = pg_end,
    .import_begin = pg_import_begin,
    .import_row = pg_import_row,
    .import_end = pg_import_end,
};

enum store_err store__pg_check_url(const char *url, char *err, size_t errlen)
{
    char pw_user[256], pw_query[256], dummy[1];
    char *perr = NULL;
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (opts) {
        PQconninfoFree(opts);
        return STORE_OK;
    }
    const bool bad = perr != NULL; /* else libpq ran out of memory */
    raw_passwords(url, pw_user, sizeof pw_user, pw_query, sizeof pw_query);
    const char *secrets[] = {pw_user, pw_query};
    char line[STORE_ERR_MAX];
    scrub(line, sizeof line, bad ? perr : "out of memory", secrets, 2);
    snprintf(err, errlen, "invalid PostgreSQL URL: %s", line);
    PQfreemem(perr);
    explicit_bzero(pw_user, sizeof pw_user);
    explicit_bzero(pw_query, sizeof pw_query);
    return bad ? STORE_EINVAL : STORE_ENOMEM;
}

enum store_err store__pg_open(const char *url, struct store **out, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    enum store_err e = STORE_OK;
    struct pg *g = NULL;
    char pw_user[256], pw_query[256], pw_dec[256] = "";
    raw_passwords(url, pw_user, sizeof pw_user, pw_query, sizeof pw_query);

    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        const char *secrets[] = {pw_user, pw_query};
        char line[STORE_ERR_MAX];
        scrub(line, sizeof line, perr ? perr : "out of memory", secrets, 2);
        snprintf(err, errlen, "invalid PostgreSQL URL: %s", line);
        PQfreemem(perr);
        e = perr ? STORE_EINVAL : STORE_ENOMEM;
        goto out;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val)
            snprintf(pw_dec, sizeof pw_dec, "%s", o->val);
    PQconninfoFree(opts);

    g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        e = STORE_ENOMEM;
        goto out;
    }
    g->base.ops = &pg_ops;
    ubuf_init(&g->chunk, PG_COPY_MAX);
    /* Defaults first: keywords are processed in order and the URL (expanded from dbname)
     * overrides what comes before it. */
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *vals[] = {PG_CONNECT_TIMEOUT, "eimza", url, NULL};
    g->conn = PQconnectdbParams(keys, vals, 1);
    if (!g->conn) {
        snprintf(err, errlen, "out of memory");
        e = STORE_ENOMEM;
        goto out;
    }
    if (PQstatus(g->conn) != CONNECTION_OK) {
        const char *secrets[] = {pw_user, pw_query, pw_dec};
        char line[STORE_ERR_MAX];
        scrub(line, sizeof line, PQerrorMessage(g->conn), secrets, 3);
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", line);
        e = STORE_EIO;
        goto out;
    }
    PQsetNoticeProcessor(g->conn, pg_quiet, NULL);
    e = pg_sql(g, "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'",
               PGRES_COMMAND_OK, "setting up the session");
    if (e != STORE_OK) {
        snprintf(err, errlen, "%s", g->base.err);
        goto out;
    }
    g->base.err[0] = '\0';
    *out = &g->base;
    g = NULL;
out:
    if (g) {
        PQfinish(g->conn);
        ubuf_free(&g->chunk);
        free(g);
    }
    explicit_bzero(pw_user, sizeof pw_user);
    explicit_bzero(pw_query, sizeof pw_query);
    explicit_bzero(pw_dec, sizeof pw_dec);
    return e;
}

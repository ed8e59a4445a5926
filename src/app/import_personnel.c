/* eimza — the personnel import use case. See import_personnel.h.
 *
 * The order of work is what makes "nothing half-applied" true: the header is checked before
 * the database is touched (a file without its required columns changes nothing); each row is
 * validated completely into a record before it is handed to the store (a bad row never
 * reaches it); the rows go in one transaction that is aborted on any failure; the audit entry
 * follows the commit (the store allows nothing else on the connection during an import).
 *
 * Reading and validating the rows takes about as long as the database takes to store them,
 * so the two overlap: a reader thread parses and validates into a small ring of record
 * batches (fixed size: memory stays constant) while the calling thread hands them to the
 * store in file order. Only the calling thread touches the store; only the reader thread
 * calls the hooks while it runs. Fields are slices into the CSV reader's buffer and records
 * are fixed-size structs, so no row allocates.
 */
#include "app/import_personnel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/csv.h"
#include "core/trtext.h"

#define IMPORT_PROGRESS_ROWS 4096 /* rows between progress calls */
#define IMPORT_BATCH_ROWS    256  /* records handed over at a time */
#define IMPORT_RING_BATCHES  8    /* batches in flight (about 3 MB of records) */

/* A column of the file the import uses. */
struct import_col {
    size_t index; /* position in the row */
    enum core_pfield field;
};

struct import_ctx {
    const struct app_import_hooks *hooks;
    struct import_col cols[CORE_PF__COUNT];
    size_t ncols;
    size_t nheader; /* fields in the header (every row must have as many) */
};

static void import_reject(const struct import_ctx *x, long line, const char *field,
                          const char *code, const char *detail)
{
    if (x->hooks && x->hooks->reject)
        x->hooks->reject(x->hooks->ctx, line, field, code, detail);
}

/* True if s[0..n) is UTF-8 text without NUL bytes (rows are checked by core_personnel_set). */
static bool import_text_ok(const char *s, size_t n)
{
    return core_utf8_valid(s, n) && !memchr(s, 0, n);
}

static void set_detail(struct app_import_result *res, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_detail(struct app_import_result *res, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
    res->code = code;
}

/* Checks the header line and works out which column holds what. Returns APP_IMPORT_OK or
 * APP_IMPORT_EFILE (with res->code and res->detail). */
static enum app_import_err import_header(struct import_ctx *x, const struct app_csv_record *h,
                                         struct app_import_result *res)
{
    if (h->error) {
        set_detail(res, h->error, "the header line (line 1) cannot be read");
        return APP_IMPORT_EFILE;
    }
    /* A UTF-16 export (Excel's "Unicode text") shows as a UTF-16 byte order mark or NULs. */
    if (h->n > 0 && h->field[0].n >= 2 &&
        (!memcmp(h->field[0].p, "\xFF\xFE", 2) || !memcmp(h->field[0].p, "\xFE\xFF", 2))) {
        set_detail(res, "not_utf8", "the file is UTF-16 text: save it as UTF-8");
        return APP_IMPORT_EFILE;
    }
    int seen[CORE_PF__COUNT];
    for (size_t f = 0; f < CORE_PF__COUNT; f++)
        seen[f] = 0;
    x->nheader = h->n;
    x->ncols = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct app_csv_field *c = &h->field[i];
        if (!import_text_ok(c->p, c->n)) {
            set_detail(res, "not_utf8", "header column %zu is not UTF-8 text", i + 1);
            return APP_IMPORT_EFILE;
        }
        int f = core_pfield_lookup(c->p, c->n);
        if (f < 0) {
            if (x->hooks && x->hooks->ignored)
                x->hooks->ignored(x->hooks->ctx, c->p);
            continue;
        }
        if (seen[f]++) {
            set_detail(res, "duplicate_column", "the column '%s' appears more than once",
                       core_pfield_name((enum core_pfield)f));
            return APP_IMPORT_EFILE;
        }
        x->cols[x->ncols].index = i;
        x->cols[x->ncols].field = (enum core_pfield)f;
        x->ncols++;
    }
    char missing[256] = "";
    size_t len = 0;
    for (int f = 0; f < CORE_PF__COUNT; f++) {
        if (seen[f] || !core_pfield_required((enum core_pfield)f))
            continue;
        int k = snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "",
                         core_pfield_name((enum core_pfield)f));
        if (k > 0 && (size_t)k < sizeof missing - len)
            len += (size_t)k;
    }
    if (len) {
        set_detail(res, "missing_column", "required column(s) missing from the header: %s",
                   missing);
        return APP_IMPORT_EFILE;
    }
    return APP_IMPORT_OK;
}

/* Validates one data row into *p. Returns true if every field is good; reports each bad
 * one otherwise. */
static bool import_row(const struct import_ctx *x, const struct app_csv_record *r,
                       struct core_personnel *p)
{
    if (r->error) {
        import_reject(x, r->line, NULL, r->error, NULL);
        return false;
    }
    if (r->n != x->nheader) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu fields, the header has %zu", r->n, x->nheader);
        import_reject(x, r->line, NULL, "column_count", detail);
        return false;
    }
    core_personnel_clear(p);
    bool ok = true;
    for (size_t i = 0; i < x->ncols; i++) {
        const struct app_csv_field *v = &r->field[x->cols[i].index];
        enum core_pfield f = x->cols[i].field;
        const char *code = core_personnel_set(p, f, v->p, v->n); /* checks UTF-8 too */
        if (code) {
            import_reject(x, r->line, core_pfield_name(f), code, NULL);
            ok = false;
        }
    }
    return ok;
}

/* ---- the reader thread and the ring it fills ------------------------------------------ */

struct import_batch {
    size_t n;
    struct core_personnel rec[IMPORT_BATCH_ROWS];
};

struct import_pipe {
    /* set before the thread starts, then the reader's alone until it is joined */
    struct import_ctx *x;
    struct app_csv *csv;
    uint64_t size;
    long rows, rejected;
    bool read_failed;
    int read_errno;

    /* shared, under mu: slot tail is the reader's to fill while count < IMPORT_RING_BATCHES;
     * slot head is the store's to drain while count > 0 */
    pthread_mutex_t mu;
    pthread_cond_t filled, drained;
    struct import_batch *ring;
    size_t head, tail, count;
    bool done; /* the reader has published its last batch */
    bool stop; /* the store failed: the reader should give up */
};

/* Publishes the batch in slot tail (reader side). */
static void pipe_publish(struct import_pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    pp->tail = (pp->tail + 1) % IMPORT_RING_BATCHES;
    pp->count++;
    pthread_cond_signal(&pp->filled);
    pthread_mutex_unlock(&pp->mu);
}

/* Waits for a free slot (reader side). False when the store side asked to stop. */
static bool pipe_wait_slot(struct import_pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    while (pp->count == IMPORT_RING_BATCHES && !pp->stop)
        pthread_cond_wait(&pp->drained, &pp->mu);
    bool go = !pp->stop;
    pthread_mutex_unlock(&pp->mu);
    return go;
}

static void *import_reader(void *arg)
{
    struct import_pipe *pp = arg;
    const struct app_import_hooks *hooks = pp->x->hooks;
    struct app_csv_record rec;
    enum app_csv_status st = APP_CSV_RECORD;

    while (st == APP_CSV_RECORD && pipe_wait_slot(pp)) {
        struct import_batch *b = &pp->ring[pp->tail];
        b->n = 0;
        while (b->n < IMPORT_BATCH_ROWS && (st = app_csv_next(pp->csv, &rec)) == APP_CSV_RECORD) {
            if (rec.blank)
                continue;
            pp->rows++;
            if (hooks && hooks->progress && pp->rows % IMPORT_PROGRESS_ROWS == 0)
                hooks->progress(hooks->ctx, app_csv_bytes_read(pp->csv), pp->size, pp->rows);
            if (import_row(pp->x, &rec, &b->rec[b->n]))
                b->n++;
            else
                pp->rejected++;
        }
        if (st == APP_CSV_EREAD) {
            pp->read_failed = true;
            pp->read_errno = errno;
            break; /* the batch is dropped: the import will be aborted */
        }
        if (b->n)
            pipe_publish(pp);
    }
    if (st == APP_CSV_EOF && hooks && hooks->progress)
        hooks->progress(hooks->ctx, app_csv_bytes_read(pp->csv), pp->size, pp->rows);
    pthread_mutex_lock(&pp->mu);
    pp->done = true;
    pthread_cond_signal(&pp->filled);
    pthread_mutex_unlock(&pp->mu);
    return NULL;
}

/* Drains the ring into the store (calling thread) until the reader is done or the store
 * fails. Returns STORE_OK or the store's error (the reader is then told to stop). */
static enum store_err import_drain(struct import_pipe *pp, struct store *s)
{
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        while (pp->count == 0 && !pp->done)
            pthread_cond_wait(&pp->filled, &pp->mu);
        bool empty = pp->count == 0;
        pthread_mutex_unlock(&pp->mu);
        if (empty)
            return STORE_OK; /* done, and everything published is stored */

        const struct import_batch *b = &pp->ring[pp->head];
        for (size_t i = 0; i < b->n; i++) {
            enum store_err e = store_personnel_import_row(s, &b->rec[i]);
            if (e != STORE_OK) {
                pthread_mutex_lock(&pp->mu);
                pp->stop = true;
                pthread_cond_signal(&pp->drained);
                pthread_mutex_unlock(&pp->mu);
                return e;
            }
        }
        pthread_mutex_lock(&pp->mu);
        pp->head = (pp->head + 1) % IMPORT_RING_BATCHES;
        pp->count--;
        pthread_cond_signal(&pp->drained);
        pthread_mutex_unlock(&pp->mu);
    }
}

/* ---- the use case ------------------------------------------------------------------------ */

enum app_import_err app_import_personnel(struct store *s, const char *path, int64_t now,
                                         const struct app_import_hooks *hooks,
                                         struct app_import_result *res)
{
    enum app_import_err ret = APP_IMPORT_OK;
    struct import_ctx x = {.hooks = hooks};
    struct import_pipe pp = {.x = &x};
    struct app_csv *csv = NULL;
    bool in_tx = false, sync_made = false;
    pthread_t reader;
    int fd = -1;
    uint64_t size = 0;

    memset(res, 0, sizeof *res);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_detail(res, "file_unreadable", "cannot open the file: %s", strerror(errno));
        ret = APP_IMPORT_EFILE;
        goto out;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        size = (uint64_t)sb.st_size;
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    csv = app_csv_new(app_csv_read_fd, &fd, 0);
    if (!csv) {
        ret = APP_IMPORT_ENOMEM;
        set_detail(res, NULL, "out of memory");
        goto out;
    }

    struct app_csv_record rec;
    enum app_csv_status st = app_csv_next(csv, &rec);
    if (st == APP_CSV_EREAD) {
        set_detail(res, "file_unreadable", "cannot read the file: %s", strerror(errno));
        ret = APP_IMPORT_EFILE;
        goto out;
    }
    if (st == APP_CSV_EOF) {
        res->empty = true;
    } else {
        ret = import_header(&x, &rec, res);
        if (ret != APP_IMPORT_OK)
            goto out;
    }

    pp.csv = csv;
    pp.size = size;
    pp.ring = res->empty ? NULL : malloc(IMPORT_RING_BATCHES * sizeof *pp.ring);
    if (!res->empty && !pp.ring) {
        ret = APP_IMPORT_ENOMEM;
        set_detail(res, NULL, "out of memory");
        goto out;
    }
    if (pthread_mutex_init(&pp.mu, NULL) != 0)
        goto no_thread;
    if (pthread_cond_init(&pp.filled, NULL) != 0) {
        pthread_mutex_destroy(&pp.mu);
        goto no_thread;
    }
    if (pthread_cond_init(&pp.drained, NULL) != 0) {
        pthread_cond_destroy(&pp.filled);
        pthread_mutex_destroy(&pp.mu);
        goto no_thread;
    }
    sync_made = true;

    enum store_err se = store_personnel_import_begin(s);
    if (se != STORE_OK) {
        set_detail(res, NULL, "the database refused to start the import: %s", store_last_error(s));
        ret = se == STORE_ENOMEM ? APP_IMPORT_ENOMEM : APP_IMPORT_ESTORE;
        goto out;
    }
    in_tx = true;

    if (!res->empty) {
        if (pthread_create(&reader, NULL, import_reader, &pp) != 0)
            goto no_thread;
        se = import_drain(&pp, s);
        pthread_join(reader, NULL);
        res->rows = pp.rows;
        res->rejected = pp.rejected;
        if (se != STORE_OK) {
            set_detail(res, NULL, "the database refused a row: %s", store_last_error(s));
            ret = se == STORE_ENOMEM ? APP_IMPORT_ENOMEM : APP_IMPORT_ESTORE;
            goto out;
        }
        if (pp.read_failed) {
            set_detail(res, "file_unreadable", "cannot read the file: %s", strerror(pp.read_errno));
            ret = APP_IMPORT_EFILE;
            goto out;
        }
    }

    se = store_personnel_import_commit(s, &res->st);
    in_tx = false; /* a failed commit has rolled back */
    if (se != STORE_OK) {
        set_detail(res, NULL, "the database could not commit the import: %s", store_last_error(s));
        ret = se == STORE_ENOMEM ? APP_IMPORT_ENOMEM : APP_IMPORT_ESTORE;
        goto out;
    }

    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char detail[256];
    snprintf(detail, sizeof detail,
             "{\"rows\":%ld,\"inserted\":%ld,\"updated\":%ld,\"unchanged\":%ld,\"rejected\":%ld}",
             res->rows, res->st.inserted, res->st.updated, res->st.unchanged, res->rejected);
    struct store_audit_entry audit = {.at = now,
                                      .actor = hooks && hooks->actor ? hooks->actor : "cli",
                                      .action = "personnel.import",
                                      .object = hooks && hooks->object ? hooks->object : base,
                                      .detail = detail};
    se = store_audit_append(s, &audit);
    if (se != STORE_OK) {
        set_detail(res, NULL, "the rows were imported, but the audit entry failed: %s",
                   store_last_error(s));
        ret = APP_IMPORT_EAUDIT;
        goto out;
    }
    ret = res->rejected ? APP_IMPORT_PARTIAL : APP_IMPORT_OK;
    goto out;

no_thread:
    set_detail(res, NULL, "cannot start the reader thread");
    ret = APP_IMPORT_ENOMEM;
out:
    if (in_tx)
        store_personnel_import_abort(s);
    if (ret != APP_IMPORT_OK && ret != APP_IMPORT_PARTIAL && ret != APP_IMPORT_EAUDIT)
        memset(&res->st, 0, sizeof res->st);
    if (sync_made) {
        pthread_cond_destroy(&pp.drained);
        pthread_cond_destroy(&pp.filled);
        pthread_mutex_destroy(&pp.mu);
    }
    free(pp.ring);
    app_csv_free(csv);
    if (fd >= 0)
        close(fd);
    return ret;
}

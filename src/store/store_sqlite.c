/* eimza — the SQLite backend of the store (store.h, store_int.h).
 *
 * One sqlite3 connection per struct store, opened in WAL mode with foreign keys on, a busy
 * timeout (writers wait for each other instead of failing at once) and synchronous=NORMAL
 * (with WAL a power cut can lose the last commits but never corrupts). Every statement is
 * prepared once per connection and kept (st[]); after each use it is reset, so no read
 * snapshot outlives a call. Writes that read first (migrate, audit append, the personnel
 * import) take the write lock up front with BEGIN IMMEDIATE, so two connections or processes
 * serialise instead of both reading the same state.
 *
 * The personnel import is one transaction with one prepared upsert, on a speed budget
 * (bench/import_personnel.sh: 1,000,000 rows in at most twice `sqlite3 .import`'s time, under
 * 64 MiB); the personnel table in migrations/sqlite/0001_init.sql is shaped for it. Measured
 * through this API (1,000,000 synthetic validated rows in random tckn order, generated in the
 * loop): 6.8 s for a first import and 7.1 s to re-import them unchanged, against 6.7 s for
 * `sqlite3 .import` of the same rows as CSV at the same moment; 45 MiB peak RSS. So the store
 * spends about one `.import`; the rest of the budget is reading and validating the file.
 */
#include "store/store_int.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/date.h"
#include "core/personnel.h"

#define SQ_BUSY_MS         5000  /* a writer waits this long for another one */
#define SQ_MIGRATE_BUSY_MS 60000 /* a second `eimza migrate` waits for the first to finish */
/* Page cache during an import (KiB): the tckn index of a million rows (~25 MiB) stays in
 * memory, so its random inserts do not go to the file. 16 MiB made the synthetic 1M-row import
 * 18% slower; with 32 MiB a whole `eimza import personnel` of 1M rows peaks at 48 MiB RSS. The
 * connection's own cache size comes back when the import ends. */
#define SQ_IMPORT_CACHE_KIB 32768
#define SQ_WAL_LIMIT        "67108864"   /* truncate the WAL back to 64 MiB after a checkpoint */
#define SQ_SCAN_MMAP        "4294967296" /* bytes of the file the notification scan maps */
#define SQ_SCAN_CACHE_KIB   "65536"      /* page cache of a connection that scans (KiB) */

#define P_COLS                                                                                     \
    "tckn, first_name, last_name, birth_place, birth_date, institution_code, institution_name, "   \
    "province, district, unit, title, duty, assignment_end, entitled, email, mobile_phone"
#define C_COLS                                                                                     \
    "fingerprint, tckn, subject_name, subject, serial, issuer, not_before, not_after, policies, "  \
    "revoked_at"

enum sq_id {
    SQ_BEGIN,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_READ_BEGIN,
    SQ_PING,
    SQ_HAS_MIGRATIONS,
    SQ_VERSION,
    SQ_MIGRATION_ADD,
    SQ_P_COUNT,
    SQ_P_UPSERT,
    SQ_P_GET,
    SQ_C_PUT,
    SQ_C_REVOKE,
    SQ_C_EXISTS,
    SQ_C_CURRENT,
    SQ_C_COUNT,
    SQ_A_LAST,
    SQ_A_INSERT,
    SQ_A_EACH,
    /* the portal (schema 2) */
    SQ_CAP_PUT,
    SQ_CAP_GET,
    SQ_CAP_TAKE,
    SQ_CAP_PURGE,
    SQ_S_PUT,
    SQ_S_GET,
    SQ_S_TOUCH,
    SQ_S_BIND,
    SQ_S_DELETE,
    SQ_S_PURGE,
    SQ_R_HIT,
    SQ_R_GET,
    SQ_R_PURGE,
    SQ_APP_INSERT, /* made from the column table (store__app_sql) */
    SQ_APP_UPDATE, /* likewise */
    SQ_APP_GET,
    SQ_APP_NUMBER,
    SQ_APP_LATEST,
    SQ_APP_EXISTS,
    SQ_EV_INSERT,
    SQ_EV_EACH,
    SQ_OTP_GET,
    SQ_OTP_PUT,
    SQ_OB_PUT,
    SQ_OB_EACH,
    SQ_OB_CLAIM,
    SQ_OB_SENT,
    SQ_OB_RETRY,
    SQ_OB_FAILED,
    SQ_OB_EXISTS,
    /* signing, staff and decisions (schema 3) */
    SQ_SIG_PUT,
    SQ_SIG_GET,
    SQ_U_PUT,
    SQ_U_GET,
    SQ_U_UPDATE,
    SQ_U_EACH,
    SQ_APP_LIST,  /* made from the column table (store__app_sql) */
    SQ_APP_COUNT, /* likewise */
    SQ_APP_STATES,
    SQ_EXPIRING,
    SQ_D_PUT,
    SQ_D_GET,
    SQ_RC_GET,
    SQ_RC_SET,
    /* expiry warnings (schema 4) */
    SQ_WARN_KEYS,
    SQ_WARN_DUE,
    SQ_WARN_MARK,
    SQ_REMIND_DUE,
    SQ_REMIND_MARK,
    SQ_OB_HANDOVER,
    SQ_OB_PROBLEMS,
    SQ_OB_REQUEUE,
    SQ_OB_CONFIRM,
    SQ__COUNT
};

static const char *const sq_sql[SQ__COUNT] = {
    [SQ_BEGIN] = "BEGIN IMMEDIATE",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_READ_BEGIN] = "BEGIN DEFERRED",
    [SQ_PING] = "SELECT count(*) FROM sqlite_master",
    [SQ_HAS_MIGRATIONS] =
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    [SQ_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_migrations",
    [SQ_MIGRATION_ADD] = "INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?1, ?2, ?3)",
    [SQ_P_COUNT] = "SELECT count(*) FROM personnel",
    /* The WHERE keeps an unchanged row from being rewritten (and its updated_at from moving):
     * sqlite3_changes() is then 0 for it, which is what the import's counts are made of. */
    [SQ_P_UPSERT] =
        "INSERT INTO personnel (" P_COLS ", updated_at) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
        "ON CONFLICT (tckn) DO UPDATE SET first_name = excluded.first_name, "
        "last_name = excluded.last_name, birth_place = excluded.birth_place, "
        "birth_date = excluded.birth_date, institution_code = excluded.institution_code, "
        "institution_name = excluded.institution_name, province = excluded.province, "
        "district = excluded.district, unit = excluded.unit, title = excluded.title, "
        "duty = excluded.duty, assignment_end = excluded.assignment_end, "
        "entitled = excluded.entitled, email = excluded.email, "
        "mobile_phone = excluded.mobile_phone, updated_at = excluded.updated_at "
        "WHERE first_name IS NOT excluded.first_name OR last_name IS NOT excluded.last_name "
        "OR birth_place IS NOT excluded.birth_place OR birth_date IS NOT excluded.birth_date "
        "OR institution_code IS NOT excluded.institution_code "
        "OR institution_name IS NOT excluded.institution_name "
        "OR province IS NOT excluded.province OR district IS NOT excluded.district "
        "OR unit IS NOT excluded.unit OR title IS NOT excluded.title "
        "OR duty IS NOT excluded.duty OR assignment_end IS NOT excluded.assignment_end "
        "OR entitled IS NOT excluded.entitled OR email IS NOT excluded.email "
        "OR mobile_phone IS NOT excluded.mobile_phone",
    [SQ_P_GET] = "SELECT " P_COLS " FROM personnel WHERE tckn = ?1",
    [SQ_C_PUT] = "INSERT INTO certificates (" C_COLS ", der, imported_at) VALUES "
                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                 "ON CONFLICT (fingerprint) DO NOTHING",
    [SQ_C_REVOKE] = "UPDATE certificates SET revoked_at = ?1 "
                    "WHERE issuer = ?2 AND serial = ?3 AND revoked_at IS NULL",
    [SQ_C_EXISTS] = "SELECT count(*) FROM certificates WHERE issuer = ?1 AND serial = ?2",
    [SQ_C_CURRENT] = "SELECT " C_COLS " FROM certificates WHERE tckn = ?1 "
                     "ORDER BY not_before DESC, not_after DESC, id DESC LIMIT 1",
    [SQ_C_COUNT] = "SELECT count(*) FROM certificates",
    [SQ_A_LAST] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    [SQ_A_INSERT] = "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, "
                    "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQ_A_EACH] = "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
                  "FROM audit_log WHERE seq > ?1 ORDER BY seq",
    [SQ_CAP_PUT] = "INSERT INTO captchas (id, answer, expires_at, used) VALUES (?1, ?2, ?3, 0)",
    [SQ_CAP_GET] = "SELECT id, answer, expires_at, used FROM captchas WHERE id = ?1",
    /* One statement: of concurrent takes only one finds used = 0. */
    [SQ_CAP_TAKE] = "UPDATE captchas SET used = 1 WHERE id = ?1 AND used = 0 "
                    "RETURNING id, answer, expires_at, 0",
    [SQ_CAP_PURGE] = "DELETE FROM captchas WHERE expires_at < ?1",
    [SQ_S_PUT] = "INSERT INTO sessions (token_hash, kind, subject, csrf, created_at, last_seen, "
                 "expires_at, application_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQ_S_GET] = "SELECT token_hash, kind, subject, csrf, created_at, last_seen, expires_at, "
                 "application_id FROM sessions WHERE token_hash = ?1",
    [SQ_S_TOUCH] = "UPDATE sessions SET last_seen = max(last_seen, ?2) WHERE token_hash = ?1",
    [SQ_S_BIND] = "UPDATE sessions SET application_id = ?2 WHERE token_hash = ?1",
    [SQ_S_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
    [SQ_S_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen + ?2 <= ?1",
    [SQ_R_HIT] = "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1) "
                 "ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 "
                 "RETURNING count",
    [SQ_R_GET] = "SELECT count FROM rate_limits WHERE key = ?1 AND window_start = ?2",
    [SQ_R_PURGE] = "DELETE FROM rate_limits WHERE window_start < ?1",
    [SQ_APP_GET] = "SELECT id, " STORE__APP_COLS " FROM applications WHERE id = ?1",
    [SQ_APP_NUMBER] = "SELECT id, " STORE__APP_COLS " FROM applications WHERE number = ?1",
    [SQ_APP_LATEST] = "SELECT id, " STORE__APP_COLS " FROM applications WHERE tckn = ?1 "
                      "ORDER BY created_at DESC, id DESC LIMIT 1",
    [SQ_APP_EXISTS] = "SELECT count(*) FROM applications WHERE id = ?1",
    [SQ_EV_INSERT] = "INSERT INTO application_events (application_id, at, from_state, to_state, "
                     "event, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [SQ_EV_EACH] = "SELECT at, from_state, to_state, event, actor FROM application_events "
                   "WHERE application_id = ?1 ORDER BY id",
    [SQ_OTP_GET] = "SELECT code_hash, salt, seq, sent_at, expires_at, send_window_start, "
                   "sends_in_window, wrong_window_start, wrong_count FROM application_otp "
                   "WHERE application_id = ?1",
    [SQ_OTP_PUT] =
        "INSERT INTO application_otp (application_id, code_hash, salt, seq, sent_at, expires_at, "
        "send_window_start, sends_in_window, wrong_window_start, wrong_count) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (application_id) DO UPDATE "
        "SET code_hash = excluded.code_hash, salt = excluded.salt, seq = excluded.seq, "
        "sent_at = excluded.sent_at, expires_at = excluded.expires_at, "
        "send_window_start = excluded.send_window_start, "
        "sends_in_window = excluded.sends_in_window, "
        "wrong_window_start = excluded.wrong_window_start, wrong_count = excluded.wrong_count",
    [SQ_OB_PUT] = "INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, status, "
                  "attempts, next_try_at, created_at, template, params) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6, ?7, ?8) "
                  "ON CONFLICT (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%' DO NOTHING",
    [SQ_OB_EACH] = "SELECT id, channel, recipient, subject, body, dedupe_key, status, created_at, "
                   "attempts, template, params FROM (SELECT * FROM outbox ORDER BY id DESC "
                   "LIMIT ?1) ORDER BY id",
    /* Run inside BEGIN IMMEDIATE (sq_outbox_claim): the write lock is held from the read of
     * what is due to the commit, so two connections never claim the same row. */
    [SQ_OB_CLAIM] = "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                    "next_try_at = ?3 WHERE id IN (SELECT id FROM outbox WHERE channel = ?1 "
                    "AND (status = 'pending' OR (status = 'sending' AND handed_over_at IS NULL)) "
                    "AND next_try_at <= ?2 "
                    "ORDER BY next_try_at, id LIMIT ?4) "
                    "RETURNING id, channel, recipient, subject, body, dedupe_key, status, "
                    "created_at, attempts, template, params",
    [SQ_OB_SENT] = "UPDATE outbox SET status = 'sent', sent_at = ?3, last_error = NULL "
                   "WHERE id = ?1 AND status = 'sending' AND attempts = ?2",
    [SQ_OB_RETRY] = "UPDATE outbox SET status = 'pending', next_try_at = ?3, last_error = ?4, "
                    "handed_over_at = NULL WHERE id = ?1 AND status = 'sending' AND attempts = ?2",
    [SQ_OB_FAILED] = "UPDATE outbox SET status = 'failed', last_error = ?3 "
                     "WHERE id = ?1 AND status = 'sending' AND attempts = ?2",
    [SQ_OB_EXISTS] = "SELECT count(*) FROM outbox WHERE id = ?1",
    [SQ_SIG_PUT] = "INSERT INTO signatures (application_id, at, cms, cms_sha256, content, "
                   "signer_fingerprint, validation, ocsp) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQ_SIG_GET] = "SELECT at, cms, content, signer_fingerprint, validation, ocsp "
                   "FROM signatures WHERE application_id = ?1",
    [SQ_U_PUT] = "INSERT INTO users (" STORE__USER_COLS ") "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [SQ_U_GET] = "SELECT " STORE__USER_COLS " FROM users WHERE username = ?1",
    /* ?12 (created_at) is bound like the insert's but never written */
    [SQ_U_UPDATE] = "UPDATE users SET role = ?2, province = ?3, password_hash = ?4, "
                    "totp_secret = ?5, totp_enabled = ?6, totp_last_step = ?7, "
                    "failed_count = ?8, locked_until = ?9, last_login_at = ?10, disabled = ?11, "
                    "updated_at = ?13, email = ?14 WHERE username = ?1",
    [SQ_U_EACH] = "SELECT " STORE__USER_COLS " FROM users ORDER BY username",
    [SQ_APP_STATES] = "SELECT a.state, count(*) FROM applications a "
                      "LEFT JOIN personnel p ON p.tckn = a.tckn "
                      "WHERE CAST(?1 AS INTEGER) = 0 "
                      "OR coalesce(p.province, a.province) = CAST(?1 AS INTEGER) "
                      "GROUP BY a.state ORDER BY a.state",
    [SQ_EXPIRING] = STORE__EXPIRING_SQL("?"),
    [SQ_D_PUT] = "INSERT INTO decisions (application_id, at, decision, reason, staff, "
                 "personnel, verdict) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [SQ_D_GET] = "SELECT application_id, at, decision, reason, staff, personnel, verdict "
                 "FROM decisions WHERE application_id = ?1 ORDER BY id DESC LIMIT 1",
    [SQ_RC_GET] = "SELECT count FROM remote_chains WHERE tckn = ?1",
    [SQ_RC_SET] = "INSERT INTO remote_chains (tckn, count, updated_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (tckn) DO UPDATE SET count = excluded.count, "
                  "updated_at = excluded.updated_at",
    [SQ_WARN_KEYS] = STORE__WARN_KEYS_SQL("?"),
    [SQ_WARN_DUE] = STORE__WARN_SQL("?"),
    /* an unknown certificate is refused by the foreign key */
    /* one statement for a batch's certificates (1 "id,id,..."); RETURNING names those whose
     * mark changed (not those the upsert's WHERE kept) */
    [SQ_WARN_MARK] = "INSERT INTO certificate_warnings (certificate_id, days, at) "
                     "SELECT value, ?2, ?3 FROM json_each('[' || ?1 || ']') WHERE true "
                     "ON CONFLICT (certificate_id) DO UPDATE "
                     "SET days = excluded.days, at = excluded.at "
                     "WHERE excluded.days < certificate_warnings.days RETURNING certificate_id",
    [SQ_REMIND_DUE] = STORE__REMIND_SQL("?"),
    [SQ_REMIND_MARK] = "INSERT INTO application_reminders (application_id, state, at) "
                       "VALUES (?1, ?2, ?3) ON CONFLICT (application_id, state) DO NOTHING",
    [SQ_OB_HANDOVER] = "UPDATE outbox SET handed_over_at = ?3 "
                       "WHERE id = ?1 AND status = 'sending' AND attempts = ?2",
    [SQ_OB_PROBLEMS] = STORE__PROBLEMS_SQL("?"),
    [SQ_OB_REQUEUE] = STORE__OB_RETRY_SQL("?"),
    [SQ_OB_CONFIRM] = STORE__OB_CONFIRM_SQL("?"),
};

struct sq {
    struct store base; /* first: a struct store * is a struct sq * */
    sqlite3 *db;
    sqlite3_stmt *st[SQ__COUNT];
    /* the running personnel import */
    int64_t now;             /* updated_at of the rows it writes */
    long before;             /* personnel rows when it began */
    long rows;               /* rows given */
    long changes;            /* rows inserted or rewritten (sum of sqlite3_changes) */
    int old_cache;           /* cache_size to restore afterwards */
    bool row_failed;         /* a row was refused: the import may only be aborted */
    enum store_err prep_err; /* why sq_get() last returned NULL */
    bool mapped;             /* the file is memory-mapped for reading (sq_warn_due) */
};

static struct sq *sq_of(struct store *s)
{
    return (struct sq *)s;
}

/* Records the failure of what (a short, fixed description) and maps SQLite's code: refused by
 * a constraint -> STORE_ECONFLICT, out of memory -> STORE_ENOMEM, anything else STORE_EIO.
 * SQLite's messages name tables, columns and constraints, never the values. */
static enum store_err sq_fail(struct sq *q, int rc, const char *what)
{
    enum store_err e = STORE_EIO;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        e = STORE_ECONFLICT;
    else if ((rc & 0xff) == SQLITE_NOMEM)
        e = STORE_ENOMEM;
    return store__fail(&q->base, e, "%s: %s (sqlite %d)", what,
                       q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc), rc);
}

/* The prepared statement id, prepared on first use; NULL (and the error recorded) on failure. */
static sqlite3_stmt *sq_get(struct sq *q, enum sq_id id)
{
    if (!q->st[id]) {
        const char *sql = sq_sql[id];
        if (id == SQ_APP_INSERT)
            sql = store__app_sql(STORE__APP_INSERT, false);
        else if (id == SQ_APP_UPDATE)
            sql = store__app_sql(STORE__APP_UPDATE, false);
        else if (id == SQ_APP_LIST)
            sql = store__app_sql(STORE__APP_LIST, false);
        else if (id == SQ_APP_COUNT)
            sql = store__app_sql(STORE__APP_COUNT, false);
        if (!sql) {
            q->prep_err = store__fail(&q->base, STORE_ENOMEM, "building a statement");
            return NULL;
        }
        int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->st[id], NULL);
        if (rc != SQLITE_OK) {
            q->prep_err = sq_fail(q, rc, "preparing a statement");
            q->st[id] = NULL;
            return NULL;
        }
    }
    return q->st[id];
}

/* Runs a statement that returns no rows (BEGIN, COMMIT, ...). */
static enum store_err sq_run(struct sq *q, enum sq_id id, const char *what)
{
    sqlite3_stmt *st = sq_get(q, id);
    if (!st)
        return q->prep_err;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, what);
}

/* Ends a failed transaction; the error already recorded stays the one reported. */
static void sq_rollback(struct sq *q)
{
    if (!sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a query whose answer is one integer (count(*), max(...)). */
static enum store_err sq_long(struct sq *q, enum sq_id id, long *out, const char *what)
{
    sqlite3_stmt *st = sq_get(q, id);
    if (!st)
        return q->prep_err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : sq_fail(q, rc, what);
}

static enum store_err sq_exec(struct sq *q, const char *sql, const char *what)
{
    int rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc, what);
}

/* A column's text into a fixed-size field; -1 when it does not fit (a database edited by
 * hand, or by a newer eimza with longer fields). */
static int sq_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return store__copy(dst, size, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(st, col));
}

static int sq_date(sqlite3_stmt *st, int col, int32_t *out)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        *out = CORE_DATE_NONE;
        return 0;
    }
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? core_date_parse((const char *)t, (size_t)sqlite3_column_bytes(st, col), out) : -1;
}

/* Binds a NUL-terminated field of a fixed-size array; its length is bounded by the array in
 * case a caller left it unterminated (then it is refused). */
static int bind_field(sqlite3_stmt *st, int i, const char *f, size_t size)
{
    size_t n = strnlen(f, size);
    if (n == size)
        return SQLITE_TOOBIG;
    return sqlite3_bind_text(st, i, f, (int)n, SQLITE_STATIC);
}

#define BIND_FIELD(st, i, f) bind_field((st), (i), (f), sizeof(f))

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

static const struct store_ops sq_ops;

enum store_err store__sqlite_open(const char *path, bool make_dir, struct store **out, char *err,
                                  size_t errlen)
{
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
                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
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

static void sq_close(struct store *s)
{
    struct sq *q = sq_of(s);
    for (size_t i = 0; i < SQ__COUNT; i++)
        sqlite3_finalize(q->st[i]);
    sqlite3_close(q->db);
    free(q);
}

static enum store_err sq_ping(struct store *s)
{
    long n;
    return sq_long(sq_of(s), SQ_PING, &n, "ping");
}

/* ---- migrations --------------------------------------------------------------------------- */

static enum store_err sq_version(struct sq *q, int *cur)
{
    long has = 0, v = 0;
    enum store_err e = sq_long(q, SQ_HAS_MIGRATIONS, &has, "reading the schema version");
    if (e == STORE_OK && has)
        e = sq_long(q, SQ_VERSION, &v, "reading the schema version");
    if (e == STORE_OK)
        *cur = (int)v;
    return e;
}

static int sq_latest_version(void)
{
    return store__latest(store_migrations_sqlite, store_migrations_sqlite_count);
}

static enum store_err sq_schema_version(struct store *s, int *current)
{
    return sq_version(sq_of(s), current);
}

/* One migration per transaction, each one under BEGIN IMMEDIATE: a second process running
 * migrate at the same time waits for the lock, then finds the version already moved on. */
static enum store_err sq_migrate(struct store *s, int *from, int *to)
{
    struct sq *q = sq_of(s);
    const int latest = sq_latest_version();
    enum store_err e = STORE_OK;
    int cur = 0, applied = 0;

    sqlite3_busy_timeout(q->db, SQ_MIGRATE_BUSY_MS);
    for (;;) {
        if ((e = sq_run(q, SQ_BEGIN, "starting a migration")) != STORE_OK)
            break;
        e = sq_exec(q,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                    "creating schema_migrations");
        if (e == STORE_OK)
            e = sq_version(q, &cur);
        if (e != STORE_OK)
            break;
        if (cur > latest) {
            e = store__fail(s, STORE_EVERSION,
                            "the database schema is at version %d, newer than this eimza "
                            "knows (%d): upgrade eimza",
                            cur, latest);
            break;
        }
        const struct store_migration *m = NULL;
        for (size_t i = 0; i < store_migrations_sqlite_count; i++)
            if (store_migrations_sqlite[i].version > cur &&
                (!m || store_migrations_sqlite[i].version < m->version))
                m = &store_migrations_sqlite[i];
        if (!m) {
            e = sq_run(q, SQ_COMMIT, "ending the migration check");
            break;
        }
        int rc = sqlite3_exec(q->db, m->sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            e = store__fail(s, STORE_EIO, "migration %s failed: %s", m->name,
                            sqlite3_errmsg(q->db));
            break;
        }
        sqlite3_stmt *st = sq_get(q, SQ_MIGRATION_ADD);
        if (!st) {
            e = q->prep_err;
            break;
        }
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            e = sq_fail(q, rc, "recording a migration");
            break;
        }
        if ((e = sq_run(q, SQ_COMMIT, "committing a migration")) != STORE_OK)
            break;
        cur = m->version;
        applied++;
    }
    if (e != STORE_OK)
        sq_rollback(q);
    sqlite3_busy_timeout(q->db, SQ_BUSY_MS);
    if (e == STORE_OK) {
        /* Another process may have applied some steps between two of ours: "from" is counted
         * back from what this call applied, so to - from is always its own count. */
        if (from)
            *from = cur - applied;
        if (to)
            *to = cur;
    }
    return e;
}

/* ---- personnel ---------------------------------------------------------------------------- */

static int pragma_int(struct sq *q, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static void set_cache(struct sq *q, int kib_or_pages)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", kib_or_pages);
    sqlite3_exec(q->db, sql, NULL, NULL, NULL); /* only speed depends on it */
}

static enum store_err sq_import_begin(struct store *s, int64_t now)
{
    struct sq *q = sq_of(s);
    q->now = now;
    q->rows = q->changes = q->before = 0;
    q->row_failed = false;
    q->old_cache = -2000;
    (void)pragma_int(q, "PRAGMA cache_size", &q->old_cache);
    enum store_err e = sq_run(q, SQ_BEGIN, "starting the import");
    if (e != STORE_OK)
        return e;
    e = sq_long(q, SQ_P_COUNT, &q->before, "counting personnel");
    if (e != STORE_OK) {
        sq_rollback(q);
        return e;
    }
    set_cache(q, -SQ_IMPORT_CACHE_KIB);
    return STORE_OK;
}

static enum store_err sq_import_row(struct store *s, const struct core_personnel *p)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_P_UPSERT);
    if (!st) {
        q->row_failed = true;
        return q->prep_err;
    }
    const char *duty = core_duty_code(p->duty);
    char birth[CORE_DATE_STRLEN + 1], end[CORE_DATE_STRLEN + 1];
    core_date_format(p->birth_date, birth);
    core_date_format(p->assignment_end, end);
    /* A date that cannot be written and a bad duty go in as NULL: the NOT NULL constraint then
     * refuses the row like any other invalid one. */
    int rc = BIND_FIELD(st, 1, p->tckn);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 2, p->first_name);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 3, p->last_name);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 4, p->birth_place);
    if (rc == SQLITE_OK)
        rc = birth[0] ? sqlite3_bind_text(st, 5, birth, CORE_DATE_STRLEN, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 5);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 6, p->institution_code);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 7, p->institution_name);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 8, p->province);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 9, p->district);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 10, p->unit);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 11, p->title);
    if (rc == SQLITE_OK)
        rc = duty ? sqlite3_bind_text(st, 12, duty, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 12);
    if (rc == SQLITE_OK)
        rc = end[0] ? sqlite3_bind_text(st, 13, end, CORE_DATE_STRLEN, SQLITE_STATIC)
                    : sqlite3_bind_null(st, 13);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 14, p->entitled ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 15, p->email);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 16, p->mobile_phone);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 17, (sqlite3_int64)q->now);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        q->row_failed = true;
        if (rc == SQLITE_TOOBIG)
            return store__fail(s, STORE_EINVAL, "a personnel field is not NUL-terminated");
        return sq_fail(q, rc, "storing a personnel row");
    }
    q->rows++;
    q->changes += sqlite3_changes(q->db);
    return STORE_OK;
}

static void sq_import_end(struct sq *q)
{
    set_cache(q, q->old_cache);
}

/* The counts (store.h): rows that changed something are sqlite3_changes() summed; the new
 * ones are how many more rows there are now; every other change rewrote a stored record. */
static enum store_err sq_import_commit(struct store *s, struct store_import_stats *st)
{
    struct sq *q = sq_of(s);
    enum store_err e;
    long after = 0;
    if (q->row_failed) {
        e = store__fail(s, STORE_EINVAL, "a row of the import failed: the import was rolled back");
        goto fail;
    }
    if ((e = sq_long(q, SQ_P_COUNT, &after, "counting personnel")) != STORE_OK)
        goto fail;
    if ((e = sq_run(q, SQ_COMMIT, "committing the import")) != STORE_OK)
        goto fail;
    sq_import_end(q);
    st->inserted = after - q->before;
    st->updated = q->changes - st->inserted;
    st->unchanged = q->rows - q->changes;
    return STORE_OK;
fail:
    sq_rollback(q);
    sq_import_end(q);
    return e;
}

static void sq_import_abort(struct store *s)
{
    struct sq *q = sq_of(s);
    sq_rollback(q);
    sq_import_end(q);
}

/* Reads a personnel record from the STORE__P_NCOLS columns of st starting at col (in the
 * order of P_COLS); -1 when a value does not fit the record type. */
static int sq_read_personnel(sqlite3_stmt *st, int col, struct core_personnel *p)
{
    core_personnel_clear(p);
    const unsigned char *duty = sqlite3_column_text(st, col + 11);
    int bad = sq_text(st, col + 0, p->tckn, sizeof p->tckn) |
              sq_text(st, col + 1, p->first_name, sizeof p->first_name) |
              sq_text(st, col + 2, p->last_name, sizeof p->last_name) |
              sq_text(st, col + 3, p->birth_place, sizeof p->birth_place) |
              sq_date(st, col + 4, &p->birth_date) |
              sq_text(st, col + 5, p->institution_code, sizeof p->institution_code) |
              sq_text(st, col + 6, p->institution_name, sizeof p->institution_name) |
              sq_text(st, col + 8, p->district, sizeof p->district) |
              sq_text(st, col + 9, p->unit, sizeof p->unit) |
              sq_text(st, col + 10, p->title, sizeof p->title) |
              sq_date(st, col + 12, &p->assignment_end) |
              sq_text(st, col + 14, p->email, sizeof p->email) |
              sq_text(st, col + 15, p->mobile_phone, sizeof p->mobile_phone);
    p->province = sqlite3_column_int(st, col + 7);
    p->entitled = sqlite3_column_int(st, col + 13) != 0;
    if (!duty || core_duty_parse((const char *)duty, (size_t)sqlite3_column_bytes(st, col + 11),
                                 &p->duty) != 0)
        bad = -1;
    return bad;
}

static enum store_err sq_personnel_get(struct store *s, const char *tckn,
                                       struct core_personnel *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_P_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, tckn, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no personnel record for that T.C. Kimlik No");
    } else if (rc != SQLITE_ROW) {
        e = sq_fail(q, rc, "reading a personnel record");
    } else {
        struct core_personnel p;
        if (sq_read_personnel(st, 0, &p) != 0)
            e = store__fail(s, STORE_EIO,
                            "a stored personnel record does not fit the record "
                            "type (edited by hand or by a newer eimza?)");
        else
            *out = p;
    }
    sqlite3_reset(st);
    return e;
}

static enum store_err sq_personnel_count(struct store *s, long *n)
{
    return sq_long(sq_of(s), SQ_P_COUNT, n, "counting personnel");
}

/* ---- certificates ------------------------------------------------------------------------- */

static enum store_err sq_certificate_put(struct store *s, const struct core_certificate *c,
                                         const unsigned char *der, size_t derlen, int64_t now,
                                         bool *inserted)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_C_PUT);
    if (!st)
        return q->prep_err;
    if (derlen > INT32_MAX)
        return store__fail(s, STORE_EINVAL, "certificate too large");
    int rc = BIND_FIELD(st, 1, c->fingerprint);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 2, c->tckn);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 3, c->subject_name);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 4, c->subject);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 5, c->serial);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 6, c->issuer);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 7, c->not_before);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 8, c->not_after);
    if (rc == SQLITE_OK)
        rc = BIND_FIELD(st, 9, c->policies);
    if (rc == SQLITE_OK)
        rc = c->revoked_at ? sqlite3_bind_int64(st, 10, c->revoked_at) : sqlite3_bind_null(st, 10);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, 11, der, (int)derlen, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 12, now);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_TOOBIG)
        return store__fail(s, STORE_EINVAL, "a certificate field is not NUL-terminated");
    if (rc != SQLITE_DONE)
        return sq_fail(q, rc, "storing a certificate");
    *inserted = sqlite3_changes(q->db) > 0;
    return STORE_OK;
}

static enum store_err sq_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                            int64_t revoked_at, bool *changed)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_C_REVOKE);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, revoked_at);
    sqlite3_bind_text(st, 2, issuer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, rc, "revoking a certificate");
    if (sqlite3_changes(q->db) > 0) {
        *changed = true;
        return STORE_OK;
    }
    /* Nothing changed: already revoked, or unknown. */
    st = sq_get(q, SQ_C_EXISTS);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, issuer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, serial, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(q, rc, "looking up a certificate");
    if (n == 0)
        return store__fail(s, STORE_ENOTFOUND, "no certificate with that issuer and serial");
    *changed = false;
    return STORE_OK;
}

/* Reads a certificate from the 10 columns of st starting at col (in the order of C_COLS); -1
 * when a text does not fit the record type. */
static int sq_read_cert(sqlite3_stmt *st, int col, struct core_certificate *c)
{
    memset(c, 0, sizeof *c);
    int bad = sq_text(st, col + 0, c->fingerprint, sizeof c->fingerprint) |
              sq_text(st, col + 1, c->tckn, sizeof c->tckn) |
              sq_text(st, col + 2, c->subject_name, sizeof c->subject_name) |
              sq_text(st, col + 3, c->subject, sizeof c->subject) |
              sq_text(st, col + 4, c->serial, sizeof c->serial) |
              sq_text(st, col + 5, c->issuer, sizeof c->issuer) |
              sq_text(st, col + 8, c->policies, sizeof c->policies);
    c->not_before = sqlite3_column_int64(st, col + 6);
    c->not_after = sqlite3_column_int64(st, col + 7);
    c->revoked_at = sqlite3_column_int64(st, col + 9); /* NULL reads as 0: not revoked */
    return bad;
}

static enum store_err sq_certificate_current(struct store *s, const char *tckn,
                                             struct core_certificate *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_C_CURRENT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, tckn, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no certificate for that T.C. Kimlik No");
    } else if (rc != SQLITE_ROW) {
        e = sq_fail(q, rc, "reading a certificate");
    } else {
        struct core_certificate c;
        if (sq_read_cert(st, 0, &c) != 0)
            e = store__fail(s, STORE_EIO, "a stored certificate does not fit the record type");
        else
            *out = c;
    }
    sqlite3_reset(st);
    return e;
}

static enum store_err sq_certificate_count(struct store *s, long *n)
{
    return sq_long(sq_of(s), SQ_C_COUNT, n, "counting certificates");
}

/* ---- audit log ---------------------------------------------------------------------------- */

/* BEGIN IMMEDIATE before reading the last entry: no other connection can append between the
 * read and the insert, so the chain cannot fork. */
static enum store_err sq_audit_append(struct store *s, const struct store_audit_entry *e)
{
    struct sq *q = sq_of(s);
    const bool own = !s->in_tx; /* inside the caller's transaction the lock is already held */
    enum store_err err = own ? sq_run(q, SQ_BEGIN, "starting an audit entry") : STORE_OK;
    if (err != STORE_OK)
        return err;
    int64_t seq = 0;
    char prev[STORE_AUDIT_HASH_LEN + 1], hash[STORE_AUDIT_HASH_LEN + 1];
    memcpy(prev, STORE_AUDIT_GENESIS, sizeof prev);

    sqlite3_stmt *st = sq_get(q, SQ_A_LAST);
    if (!st) {
        err = q->prep_err;
        goto fail;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0);
        if (sq_text(st, 1, prev, sizeof prev) != 0 || !store__is_hash(prev))
            rc = SQLITE_CORRUPT;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_CORRUPT) {
        err = store__fail(s, STORE_EIO, "the last audit entry's hash is malformed");
        goto fail;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = sq_fail(q, rc, "reading the last audit entry");
        goto fail;
    }
    seq++;
    if (store_audit_hash(seq, prev, e, hash) != 0) {
        err = store__fail(s, STORE_ENOMEM, "hashing an audit entry failed");
        goto fail;
    }
    if (!(st = sq_get(q, SQ_A_INSERT))) {
        err = q->prep_err;
        goto fail;
    }
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, e->at);
    sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err = sq_fail(q, rc, "appending an audit entry");
        goto fail;
    }
    if (own && (err = sq_run(q, SQ_COMMIT, "committing an audit entry")) != STORE_OK)
        goto fail;
    return STORE_OK;
fail:
    if (own)
        sq_rollback(q);
    return err;
}

static const char *col_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

static enum store_err sq_audit_each(struct store *s, int64_t after_seq, store__audit_fn fn,
                                    void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_A_EACH);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, after_seq);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_audit_record r = {
            .seq = sqlite3_column_int64(st, 0),
            .e = {.at = sqlite3_column_int64(st, 1),
                  .actor = col_str(st, 2),
                  .action = col_str(st, 3),
                  .object = col_str(st, 4),
                  .detail = col_str(st, 5)},
            .prev_hash = col_str(st, 6),
            .hash = col_str(st, 7),
        };
        if (fn(ctx, &r) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, "reading the audit log");
}

/* ==== the applicant portal (schema 2) ====================================================== */

static enum store_err sq_tx_begin(struct store *s)
{
    return sq_run(sq_of(s), SQ_BEGIN, "starting a transaction");
}

static enum store_err sq_tx_commit(struct store *s)
{
    struct sq *q = sq_of(s);
    enum store_err e = sq_run(q, SQ_COMMIT, "committing a transaction");
    if (e != STORE_OK)
        sq_rollback(q);
    return e;
}

static void sq_tx_rollback(struct store *s)
{
    sq_rollback(sq_of(s));
}

/* BEGIN DEFERRED takes no lock itself: the first read takes the read lock, which the
 * statements after it share until the end (a COMMIT of a transaction that wrote nothing). */
static enum store_err sq_read_begin(struct store *s)
{
    return sq_run(sq_of(s), SQ_READ_BEGIN, "starting a read");
}

static void sq_read_end(struct store *s)
{
    struct sq *q = sq_of(s);
    if (sq_run(q, SQ_COMMIT, "ending a read") != STORE_OK)
        sq_rollback(q);
}

/* Runs a prepared statement that returns no rows; *changes (may be NULL) gets the rows it
 * changed. The statement's parameters are already bound. */
static enum store_err sq_step_done(struct sq *q, sqlite3_stmt *st, long *changes, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, rc, what);
    if (changes)
        *changes = (long)sqlite3_changes(q->db);
    return STORE_OK;
}

/* Binds a fixed-size text field; SQLITE_TOOBIG when it holds no NUL. */
static int sq_bind_field(sqlite3_stmt *st, int i, const char *f, size_t size)
{
    size_t n;
    if (store__field_len(f, size, &n) < 0)
        return SQLITE_TOOBIG;
    return sqlite3_bind_text(st, i, f, (int)n, SQLITE_STATIC);
}

/* ---- captchas */

static enum store_err sq_captcha_put(struct store *s, const struct store_captcha *c)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_CAP_PUT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->answer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, c->expires_at);
    return sq_step_done(q, st, NULL, "storing a captcha");
}

static enum store_err sq_captcha_get(struct store *s, const char *id, bool take,
                                     struct store_captcha *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, take ? SQ_CAP_TAKE : SQ_CAP_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_captcha c;
        memset(&c, 0, sizeof c);
        if (sq_text(st, 0, c.id, sizeof c.id) | sq_text(st, 1, c.answer, sizeof c.answer))
            e = store__fail(s, STORE_EIO, "a stored captcha does not fit the record type");
        c.expires_at = sqlite3_column_int64(st, 2);
        c.used = sqlite3_column_int(st, 3) != 0;
        if (e == STORE_OK)
            *out = c;
        rc = sqlite3_step(st); /* a RETURNING statement finishes its change on the last step */
        if (rc == SQLITE_DONE)
            rc = SQLITE_ROW;
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no such captcha (or it was used)");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = sq_fail(q, rc, take ? "using a captcha" : "reading a captcha");
    return e;
}

/* Runs a DELETE with one or two integer parameters and reports the rows it removed. */
static enum store_err sq_delete(struct sq *q, enum sq_id id, int64_t a, int64_t b, long *n,
                                const char *what)
{
    sqlite3_stmt *st = sq_get(q, id);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_int64(st, 2, b);
    return sq_step_done(q, st, n, what);
}

static enum store_err sq_captcha_purge(struct store *s, int64_t before, long *n)
{
    return sq_delete(sq_of(s), SQ_CAP_PURGE, before, 0, n, "deleting old captchas");
}

/* ---- sessions */

static enum store_err sq_session_put(struct store *s, const struct store_session *ss)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_S_PUT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, ss->token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ss->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ss->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ss->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, ss->created_at);
    sqlite3_bind_int64(st, 6, ss->last_seen);
    sqlite3_bind_int64(st, 7, ss->expires_at);
    if (ss->application_id)
        sqlite3_bind_int64(st, 8, ss->application_id);
    else
        sqlite3_bind_null(st, 8);
    return sq_step_done(q, st, NULL, "storing a session");
}

static enum store_err sq_session_get(struct store *s, const char *token_hash,
                                     struct store_session *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_S_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_session ss;
        memset(&ss, 0, sizeof ss);
        int bad = sq_text(st, 0, ss.token_hash, sizeof ss.token_hash) |
                  sq_text(st, 1, ss.kind, sizeof ss.kind) |
                  sq_text(st, 2, ss.subject, sizeof ss.subject) |
                  sq_text(st, 3, ss.csrf, sizeof ss.csrf);
        ss.created_at = sqlite3_column_int64(st, 4);
        ss.last_seen = sqlite3_column_int64(st, 5);
        ss.expires_at = sqlite3_column_int64(st, 6);
        ss.application_id = sqlite3_column_int64(st, 7); /* NULL reads as 0 */
        if (bad)
            e = store__fail(s, STORE_EIO, "a stored session does not fit the record type");
        else
            *out = ss;
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no such session");
    } else {
        e = sq_fail(q, rc, "reading a session");
    }
    sqlite3_reset(st);
    return e;
}

static enum store_err sq_session_set(struct store *s, const char *token_hash, int what, int64_t v)
{
    static const enum sq_id ids[] = {SQ_S_TOUCH, SQ_S_BIND, SQ_S_DELETE};
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, ids[what]);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    if (what != 2)
        sqlite3_bind_int64(st, 2, v);
    long n = 0;
    enum store_err e = sq_step_done(q, st, &n, "updating a session");
    if (e == STORE_OK && n == 0 && what != 2)
        e = store__fail(s, STORE_ENOTFOUND, "no such session");
    return e;
}

static enum store_err sq_session_purge(struct store *s, int64_t now, int64_t idle, long *n)
{
    return sq_delete(sq_of(s), SQ_S_PURGE, now, idle, n, "deleting old sessions");
}

/* ---- rate limits */

static enum store_err sq_rate_hit(struct store *s, const char *key, int64_t window_start, bool add,
                                  long *count)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, add ? SQ_R_HIT : SQ_R_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, window_start);
    int rc = sqlite3_step(st);
    long c = 0;
    if (rc == SQLITE_ROW) {
        c = (long)sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, rc, add ? "counting an attempt" : "reading a rate limit");
    *count = c;
    return STORE_OK;
}

static enum store_err sq_rate_purge(struct store *s, int64_t before, long *n)
{
    return sq_delete(sq_of(s), SQ_R_PURGE, before, 0, n, "deleting old rate-limit windows");
}

/* ---- applications */

static int sq_bind_app(sqlite3_stmt *st, const struct store_application *a)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < store__app_ncols && rc == SQLITE_OK; i++) {
        const struct store__col *c = &store__app_cols[i];
        const char *f = (const char *)a + c->off;
        int idx = (int)i + 1;
        switch (c->type) {
        case STORE__TEXT:
            rc = sq_bind_field(st, idx, f, c->size);
            break;
        case STORE__INT: {
            int v;
            memcpy(&v, f, sizeof v);
            rc = sqlite3_bind_int(st, idx, v);
            break;
        }
        case STORE__I64: {
            int64_t v;
            memcpy(&v, f, sizeof v);
            rc = sqlite3_bind_int64(st, idx, v);
            break;
        }
        case STORE__BOOL: {
            bool v;
            memcpy(&v, f, sizeof v);
            rc = sqlite3_bind_int(st, idx, v ? 1 : 0);
            break;
        }
        }
    }
    return rc;
}

/* Reads a row of "id, " STORE__APP_COLS; -1 when a text does not fit its field. */
static int sq_read_app(sqlite3_stmt *st, struct store_application *a)
{
    int bad = 0;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    for (size_t i = 0; i < store__app_ncols; i++) {
        const struct store__col *c = &store__app_cols[i];
        char *f = (char *)a + c->off;
        int col = (int)i + 1;
        switch (c->type) {
        case STORE__TEXT:
            bad |= sq_text(st, col, f, c->size);
            break;
        case STORE__INT: {
            int v = sqlite3_column_int(st, col);
            memcpy(f, &v, sizeof v);
            break;
        }
        case STORE__I64: {
            int64_t v = sqlite3_column_int64(st, col);
            memcpy(f, &v, sizeof v);
            break;
        }
        case STORE__BOOL: {
            bool v = sqlite3_column_int(st, col) != 0;
            memcpy(f, &v, sizeof v);
            break;
        }
        }
    }
    return bad;
}

static enum store_err sq_event_insert(struct sq *q, int64_t app_id,
                                      const struct store_app_event *ev)
{
    sqlite3_stmt *st = sq_get(q, SQ_EV_INSERT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, app_id);
    sqlite3_bind_int64(st, 2, ev->at);
    sqlite3_bind_text(st, 3, ev->from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ev->event, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ev->actor, -1, SQLITE_STATIC);
    return sq_step_done(q, st, NULL, "recording an application event");
}

static enum store_err sq_app_create(struct store *s, struct store_application *a,
                                    const struct store_app_event *ev)
{
    struct sq *q = sq_of(s);
    const bool own = !s->in_tx;
    enum store_err e = own ? sq_run(q, SQ_BEGIN, "starting an application") : STORE_OK;
    if (e != STORE_OK)
        return e;
    sqlite3_stmt *st = sq_get(q, SQ_APP_INSERT);
    if (!st) {
        e = q->prep_err;
        goto fail;
    }
    int rc = sq_bind_app(st, a);
    int64_t id = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        e = rc == SQLITE_TOOBIG ? store__fail(s, STORE_EINVAL,
                                              "an application field is not "
                                              "NUL-terminated")
                                : sq_fail(q, rc, "storing an application");
        goto fail;
    }
    if ((e = sq_event_insert(q, id, ev)) != STORE_OK)
        goto fail;
    if (own && (e = sq_run(q, SQ_COMMIT, "committing an application")) != STORE_OK)
        goto fail;
    a->id = id;
    return STORE_OK;
fail:
    if (own)
        sq_rollback(q);
    return e;
}

/* One application by the statement which (SQ_APP_GET: id; SQ_APP_LATEST, SQ_APP_NUMBER: text). */
static enum store_err sq_app_fetch(struct store *s, enum sq_id which, int64_t id, const char *text,
                                   struct store_application *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, which);
    if (!st)
        return q->prep_err;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_application a;
        if (sq_read_app(st, &a) != 0)
            e = store__fail(s, STORE_EIO, "a stored application does not fit the record type");
        else
            *out = a;
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no such application");
    } else {
        e = sq_fail(q, rc, "reading an application");
    }
    sqlite3_reset(st);
    return e;
}

static enum store_err sq_app_get(struct store *s, int64_t id, const char *tckn,
                                 struct store_application *out)
{
    return sq_app_fetch(s, tckn ? SQ_APP_LATEST : SQ_APP_GET, id, tckn, out);
}

static enum store_err sq_app_by_number(struct store *s, const char *number,
                                       struct store_application *out)
{
    return sq_app_fetch(s, SQ_APP_NUMBER, 0, number, out);
}

static enum store_err sq_app_update(struct store *s, const struct store_application *a,
                                    const char *expected_state, const struct store_app_event *ev)
{
    struct sq *q = sq_of(s);
    const bool own = !s->in_tx;
    enum store_err e = own ? sq_run(q, SQ_BEGIN, "starting an application update") : STORE_OK;
    if (e != STORE_OK)
        return e;
    sqlite3_stmt *st = sq_get(q, SQ_APP_UPDATE);
    if (!st) {
        e = q->prep_err;
        goto fail;
    }
    int rc = sq_bind_app(st, a);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, (int)store__app_ncols + 1, a->id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, (int)store__app_ncols + 2, expected_state, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(st);
        e = rc == SQLITE_TOOBIG ? store__fail(s, STORE_EINVAL,
                                              "an application field is not "
                                              "NUL-terminated")
                                : sq_fail(q, rc, "updating an application");
        goto fail;
    }
    long n = 0;
    if ((e = sq_step_done(q, st, &n, "updating an application")) != STORE_OK)
        goto fail;
    if (n == 0) {
        long exists = 0;
        st = sq_get(q, SQ_APP_EXISTS);
        if (!st) {
            e = q->prep_err;
            goto fail;
        }
        sqlite3_bind_int64(st, 1, a->id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            exists = (long)sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            e = sq_fail(q, rc, "looking up an application");
        else if (exists)
            e = store__fail(s, STORE_ECONFLICT, "the application changed meanwhile");
        else
            e = store__fail(s, STORE_ENOTFOUND, "no such application");
        goto fail;
    }
    if (ev && (e = sq_event_insert(q, a->id, ev)) != STORE_OK)
        goto fail;
    if (own && (e = sq_run(q, SQ_COMMIT, "committing an application update")) != STORE_OK)
        goto fail;
    return STORE_OK;
fail:
    if (own)
        sq_rollback(q);
    return e;
}

static enum store_err sq_app_events(struct store *s, int64_t application_id, store__event_fn fn,
                                    void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_EV_EACH);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, application_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_app_event ev = {
            .at = sqlite3_column_int64(st, 0),
            .from = col_str(st, 1),
            .to = col_str(st, 2),
            .event = col_str(st, 3),
            .actor = col_str(st, 4),
        };
        if (fn(ctx, &ev) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, "reading the application's timeline");
}

/* ---- SMS codes */

static enum store_err sq_otp_get(struct store *s, int64_t application_id, struct store_otp *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OTP_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, application_id);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    struct store_otp o;
    memset(&o, 0, sizeof o);
    o.application_id = application_id;
    if (rc == SQLITE_ROW) {
        int bad =
            sq_text(st, 0, o.code_hash, sizeof o.code_hash) | sq_text(st, 1, o.salt, sizeof o.salt);
        o.seq = sqlite3_column_int(st, 2);
        o.sent_at = sqlite3_column_int64(st, 3);
        o.expires_at = sqlite3_column_int64(st, 4);
        o.send_window_start = sqlite3_column_int64(st, 5);
        o.sends_in_window = sqlite3_column_int(st, 6);
        o.wrong_window_start = sqlite3_column_int64(st, 7);
        o.wrong_count = sqlite3_column_int(st, 8);
        if (bad)
            e = store__fail(s, STORE_EIO, "a stored SMS code state does not fit the record type");
    } else if (rc != SQLITE_DONE) {
        e = sq_fail(q, rc, "reading the SMS code state");
    }
    sqlite3_reset(st);
    if (e == STORE_OK)
        *out = o;
    return e;
}

static enum store_err sq_otp_put(struct store *s, const struct store_otp *o)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OTP_PUT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, o->application_id);
    sqlite3_bind_text(st, 2, o->code_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, o->salt, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, o->seq);
    sqlite3_bind_int64(st, 5, o->sent_at);
    sqlite3_bind_int64(st, 6, o->expires_at);
    sqlite3_bind_int64(st, 7, o->send_window_start);
    sqlite3_bind_int(st, 8, o->sends_in_window);
    sqlite3_bind_int64(st, 9, o->wrong_window_start);
    sqlite3_bind_int(st, 10, o->wrong_count);
    return sq_step_done(q, st, NULL, "storing the SMS code state");
}

/* ---- outbox */

static enum store_err sq_outbox_put_one(struct sq *q, sqlite3_stmt *st,
                                        const struct store_outbox_msg *m, int64_t now,
                                        long *inserted)
{
    if (m->dedupe_key)
        sqlite3_bind_text(st, 1, m->dedupe_key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_text(st, 2, m->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->recipient, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->subject ? m->subject : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->body ? m->body : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    if (m->tpl) {
        sqlite3_bind_text(st, 7, m->tpl, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, m->params, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 7);
        sqlite3_bind_null(st, 8);
    }
    long n = 0;
    enum store_err e = sq_step_done(q, st, &n, "queueing a message");
    if (e == STORE_OK)
        *inserted += n > 0;
    return e;
}

/* One prepared statement row by row: in-process, a row costs no round trip. All or none: a
 * batch outside a transaction gets one of its own. */
static enum store_err sq_outbox_put(struct store *s, const struct store_outbox_msg *m, long n,
                                    int64_t now, long *inserted)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OB_PUT);
    if (!st)
        return q->prep_err;
    const bool own = n > 1 && !s->in_tx;
    enum store_err e = own ? sq_run(q, SQ_BEGIN, "starting to queue messages") : STORE_OK;
    for (long i = 0; e == STORE_OK && i < n; i++)
        e = sq_outbox_put_one(q, st, &m[i], now, inserted);
    if (own)
        e = e == STORE_OK ? sq_run(q, SQ_COMMIT, "committing queued messages")
                          : (sq_run(q, SQ_ROLLBACK, "rolling back queued messages"), e);
    if (e != STORE_OK)
        *inserted = 0;
    return e;
}

static enum store_err sq_outbox_each(struct store *s, long limit, store__outbox_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OB_EACH);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_outbox_msg m = {
            .id = sqlite3_column_int64(st, 0),
            .channel = col_str(st, 1),
            .recipient = col_str(st, 2),
            .subject = col_str(st, 3),
            .body = col_str(st, 4),
            .dedupe_key = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : col_str(st, 5),
            .status = col_str(st, 6),
            .created_at = sqlite3_column_int64(st, 7),
            .attempts = sqlite3_column_int(st, 8),
            .tpl = sqlite3_column_type(st, 9) == SQLITE_NULL ? NULL : col_str(st, 9),
            .params = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : col_str(st, 10),
        };
        if (fn(ctx, &m) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc, "reading the outbox");
}

/* A claimed message kept past its statement: the strings live in one block, strs. */
struct sq_claimed {
    struct store_outbox_msg m;
    char *strs;
};

/* Copies the current row of the claim statement into c; -1 when out of memory. */
static int sq_claimed_copy(sqlite3_stmt *st, struct sq_claimed *c)
{
    /* channel, recipient, subject, body, key, template, params */
    static const int cols[] = {1, 2, 3, 4, 5, 9, 10};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    size_t total = 0;
    for (size_t i = 0; i < NCOLS; i++)
        total += (size_t)sqlite3_column_bytes(st, cols[i]) + 1;
    char *p = malloc(total);
    if (!p)
        return -1;
    const char *out[NCOLS];
    char *w = p;
    for (size_t i = 0; i < NCOLS; i++) {
        const unsigned char *t = sqlite3_column_text(st, cols[i]);
        size_t n = (size_t)sqlite3_column_bytes(st, cols[i]);
        if (n)
            memcpy(w, t, n);
        w[n] = '\0';
        out[i] = w;
        w += n + 1;
    }
    c->strs = p;
    c->m = (struct store_outbox_msg){
        .id = sqlite3_column_int64(st, 0),
        .channel = out[0],
        .recipient = out[1],
        .subject = out[2],
        .body = out[3],
        .dedupe_key = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : out[4],
        .status = "sending",
        .created_at = sqlite3_column_int64(st, 7),
        .attempts = sqlite3_column_int(st, 8),
        .tpl = sqlite3_column_type(st, 9) == SQLITE_NULL ? NULL : out[5],
        .params = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : out[6],
    };
    return 0;
}

/* The claimed rows are copied out while the transaction is open and handed to fn only after
 * it committed: a sender never sees a message whose claim could still roll back. */
static enum store_err sq_outbox_claim(struct store *s, const char *channel, int64_t now,
                                      int64_t lease_until, long max, store__outbox_fn fn, void *ctx,
                                      long *claimed)
{
    struct sq *q = sq_of(s);
    struct sq_claimed *rows = NULL;
    size_t n = 0, cap = 0;
    enum store_err e = sq_run(q, SQ_BEGIN, "starting an outbox claim");
    if (e != STORE_OK)
        return e;
    sqlite3_stmt *st = sq_get(q, SQ_OB_CLAIM);
    if (!st) {
        e = q->prep_err;
        goto fail;
    }
    sqlite3_bind_text(st, 1, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, lease_until);
    sqlite3_bind_int64(st, 4, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct sq_claimed *r = realloc(rows, ncap * sizeof *r);
            if (!r) {
                rc = SQLITE_NOMEM;
                break;
            }
            rows = r;
            cap = ncap;
        }
        if (sq_claimed_copy(st, &rows[n]) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        n++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        e = rc == SQLITE_NOMEM ? store__fail(s, STORE_ENOMEM, "claiming outbox messages")
                               : sq_fail(q, rc, "claiming outbox messages");
        goto fail;
    }
    if ((e = sq_run(q, SQ_COMMIT, "committing an outbox claim")) != STORE_OK)
        goto fail;
    *claimed = (long)n;
    for (size_t i = 0; i < n; i++)
        if (fn(ctx, &rows[i].m) != 0)
            break;
    goto out;
fail:
    sq_rollback(q);
out:
    for (size_t i = 0; i < n; i++)
        free(rows[i].strs);
    free(rows);
    return e;
}

/* Why an UPDATE of outbox message id changed nothing: STORE_ECONFLICT (why) when the message
 * is there, STORE_ENOTFOUND when it is not. */
static enum store_err sq_outbox_missed(struct sq *q, int64_t id, const char *why)
{
    sqlite3_stmt *st = sq_get(q, SQ_OB_EXISTS);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    long exists = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(q, rc, "looking up an outbox message");
    return exists ? store__fail(&q->base, STORE_ECONFLICT, "%s", why)
                  : store__fail(&q->base, STORE_ENOTFOUND, "no such outbox message");
}

static enum store_err sq_outbox_resolve(struct store *s, int64_t id, bool retry, int64_t now)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, retry ? SQ_OB_REQUEUE : SQ_OB_CONFIRM);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    long changed = 0;
    enum store_err e = sq_step_done(q, st, &changed, "changing an outbox message");
    if (e != STORE_OK || changed > 0)
        return e;
    return sq_outbox_missed(q, id, "the message is not waiting for the operator");
}

static enum store_err sq_outbox_mark(struct store *s, int64_t id, int attempt, const char *to,
                                     int64_t at, const char *error, size_t errlen)
{
    struct sq *q = sq_of(s);
    enum sq_id which = !strcmp(to, "sent")      ? SQ_OB_SENT
                       : !strcmp(to, "pending") ? SQ_OB_RETRY
                                                : SQ_OB_FAILED;
    sqlite3_stmt *st = sq_get(q, which);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, attempt);
    if (which == SQ_OB_SENT || which == SQ_OB_RETRY)
        sqlite3_bind_int64(st, 3, at);
    if (which != SQ_OB_SENT)
        sqlite3_bind_text(st, which == SQ_OB_RETRY ? 4 : 3, error, (int)errlen, SQLITE_STATIC);
    long changed = 0;
    enum store_err e = sq_step_done(q, st, &changed, "marking an outbox message");
    if (e != STORE_OK || changed > 0)
        return e;
    return sq_outbox_missed(q, id, "the outbox message is no longer held by this attempt");
}

/* ==== signing, staff and decisions (schema 3) ============================================== */

/* A blob column's bytes; never NULL (an empty blob reads as "" of length 0). */
static const unsigned char *sq_blob(sqlite3_stmt *st, int col, size_t *len)
{
    const void *b = sqlite3_column_blob(st, col);
    *len = (size_t)sqlite3_column_bytes(st, col);
    return b ? b : (const unsigned char *)"";
}

/* ---- signature evidence */

static enum store_err sq_signature_put(struct store *s, const struct store_signature *sig,
                                       const char *cms_sha256)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_SIG_PUT);
    if (!st)
        return q->prep_err;
    /* An empty content is bound as an empty blob, not NULL (zeroblob keeps it a blob). */
    sqlite3_bind_int64(st, 1, sig->application_id);
    sqlite3_bind_int64(st, 2, sig->at);
    sqlite3_bind_blob(st, 3, sig->cms, (int)sig->cms_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, cms_sha256, -1, SQLITE_STATIC);
    if (sig->content_len)
        sqlite3_bind_blob(st, 5, sig->content, (int)sig->content_len, SQLITE_STATIC);
    else
        sqlite3_bind_zeroblob(st, 5, 0);
    sqlite3_bind_text(st, 6, sig->signer_fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, sig->validation, -1, SQLITE_STATIC);
    if (sig->ocsp && sig->ocsp_len)
        sqlite3_bind_blob(st, 8, sig->ocsp, (int)sig->ocsp_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 8);
    return sq_step_done(q, st, NULL, "storing a signature");
}

static enum store_err sq_signature_get(struct store *s, int64_t application_id,
                                       store__signature_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_SIG_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, application_id);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_signature sig = {.application_id = application_id,
                                      .at = sqlite3_column_int64(st, 0)};
        /* the texts first: reading a blob column as text (or back) may convert it */
        sig.signer_fingerprint = col_str(st, 3);
        sig.validation = col_str(st, 4);
        sig.cms = sq_blob(st, 1, &sig.cms_len);
        sig.content = sq_blob(st, 2, &sig.content_len);
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            sig.ocsp = sq_blob(st, 5, &sig.ocsp_len);
        fn(ctx, &sig);
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "the application has no signature");
    } else {
        e = sq_fail(q, rc, "reading a signature");
    }
    sqlite3_reset(st);
    return e;
}

/* ---- staff accounts */

static void sq_bind_user(sqlite3_stmt *st, const struct store_user *u)
{
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, u->province);
    sqlite3_bind_text(st, 4, u->password_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, u->totp_secret, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, u->totp_enabled ? 1 : 0);
    sqlite3_bind_int64(st, 7, u->totp_last_step);
    sqlite3_bind_int(st, 8, u->failed_count);
    sqlite3_bind_int64(st, 9, u->locked_until);
    sqlite3_bind_int64(st, 10, u->last_login_at);
    sqlite3_bind_int(st, 11, u->disabled ? 1 : 0);
    sqlite3_bind_int64(st, 12, u->created_at);
    sqlite3_bind_int64(st, 13, u->updated_at);
    sqlite3_bind_text(st, 14, u->email, -1, SQLITE_STATIC);
}

/* Reads a row of U_COLS; -1 when a text does not fit its field. */
static int sq_read_user(sqlite3_stmt *st, struct store_user *u)
{
    memset(u, 0, sizeof *u);
    int bad = sq_text(st, 0, u->username, sizeof u->username) |
              sq_text(st, 1, u->role, sizeof u->role) |
              sq_text(st, 3, u->password_hash, sizeof u->password_hash) |
              sq_text(st, 4, u->totp_secret, sizeof u->totp_secret) |
              sq_text(st, 13, u->email, sizeof u->email);
    u->province = sqlite3_column_int(st, 2);
    u->totp_enabled = sqlite3_column_int(st, 5) != 0;
    u->totp_last_step = sqlite3_column_int64(st, 6);
    u->failed_count = sqlite3_column_int(st, 7);
    u->locked_until = sqlite3_column_int64(st, 8);
    u->last_login_at = sqlite3_column_int64(st, 9);
    u->disabled = sqlite3_column_int(st, 10) != 0;
    u->created_at = sqlite3_column_int64(st, 11);
    u->updated_at = sqlite3_column_int64(st, 12);
    return bad;
}

static enum store_err sq_user_put(struct store *s, const struct store_user *u)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_U_PUT);
    if (!st)
        return q->prep_err;
    sq_bind_user(st, u);
    return sq_step_done(q, st, NULL, "storing a user");
}

static enum store_err sq_user_get(struct store *s, const char *username, struct store_user *out)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_U_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_user u;
        if (sq_read_user(st, &u) != 0)
            e = store__fail(s, STORE_EIO, "a stored user does not fit the record type");
        else
            *out = u;
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "no such user");
    } else {
        e = sq_fail(q, rc, "reading a user");
    }
    sqlite3_reset(st);
    return e;
}

static enum store_err sq_user_update(struct store *s, const struct store_user *u)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_U_UPDATE);
    if (!st)
        return q->prep_err;
    sq_bind_user(st, u);
    long n = 0;
    enum store_err e = sq_step_done(q, st, &n, "updating a user");
    if (e == STORE_OK && n == 0)
        e = store__fail(s, STORE_ENOTFOUND, "no such user");
    return e;
}

static enum store_err sq_user_each(struct store *s, store__user_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_U_EACH);
    if (!st)
        return q->prep_err;
    int rc;
    enum store_err e = STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_user u;
        if (sq_read_user(st, &u) != 0) {
            e = store__fail(s, STORE_EIO, "a stored user does not fit the record type");
            break;
        }
        if (fn(ctx, &u) != 0)
            break;
    }
    sqlite3_reset(st);
    if (e == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = sq_fail(q, rc, "reading the users");
    return e;
}

/* ---- the approvers' queue */

/* Binds parameters 1..6 of the queue filter (store__app_sql). */
static void sq_bind_filter(sqlite3_stmt *st, const struct store_app_filter *f)
{
    sqlite3_bind_int(st, 1, f->province);
    if (f->state)
        sqlite3_bind_text(st, 2, f->state, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    if (f->institution)
        sqlite3_bind_text(st, 3, f->institution, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 3);
    if (f->district)
        sqlite3_bind_text(st, 4, f->district, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, f->late);
    sqlite3_bind_int64(st, 6, f->updated_before);
}

/* Steps st (already bound), whose rows are an application's columns followed by its holder's
 * personnel columns (NULL when there is no record), handing each to fn until it returns
 * non-zero; resets the statement. what names the work in an error. */
static enum store_err sq_app_rows(struct sq *q, sqlite3_stmt *st, store__app_list_fn fn, void *ctx,
                                  const char *what)
{
    const int pcol = 1 + (int)store__app_ncols; /* the personnel columns follow the application's */
    enum store_err e = STORE_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_application a;
        struct core_personnel p;
        bool has_p = sqlite3_column_type(st, pcol) != SQLITE_NULL;
        if (sq_read_app(st, &a) != 0 || (has_p && sq_read_personnel(st, pcol, &p) != 0)) {
            e = store__fail(&q->base, STORE_EIO,
                            "a stored application does not fit the record type");
            break;
        }
        if (fn(ctx, &a, has_p ? &p : NULL) != 0)
            break;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (e == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = sq_fail(q, rc, what);
    return e;
}

static enum store_err sq_app_list(struct store *s, const struct store_app_filter *f,
                                  store__app_list_fn fn, void *ctx, long *total)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_APP_COUNT);
    if (!st)
        return q->prep_err;
    sq_bind_filter(st, f);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW)
        return sq_fail(q, rc, "counting applications");

    if (!(st = sq_get(q, SQ_APP_LIST)))
        return q->prep_err;
    sq_bind_filter(st, f);
    sqlite3_bind_int64(st, 7, f->limit ? f->limit : -1); /* SQLite: a negative limit is none */
    sqlite3_bind_int64(st, 8, f->offset);
    return sq_app_rows(q, st, fn, ctx, "listing applications");
}

static enum store_err sq_app_state_counts(struct store *s, int province, store__count_fn fn,
                                          void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_APP_STATES);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int(st, 1, province);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, col_str(st, 0), (long)sqlite3_column_int64(st, 1)) != 0)
            break;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
                                                 : sq_fail(q, rc, "counting applications");
}

static enum store_err sq_expiring_unapplied(struct store *s, int province, int64_t from, int64_t to,
                                            store__expiring_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_EXPIRING);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int(st, 1, province);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    int rc;
    enum store_err e = STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct core_certificate c;
        struct core_personnel p;
        if (sq_read_cert(st, 0, &c) != 0 || sq_read_personnel(st, 10, &p) != 0) {
            e = store__fail(s, STORE_EIO,
                            "a stored certificate or personnel record does not fit the record "
                            "type");
            break;
        }
        if (fn(ctx, &p, &c) != 0)
            break;
    }
    sqlite3_reset(st);
    if (e == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = sq_fail(q, rc, "listing expiring certificates");
    return e;
}

/* ---- decisions */

static enum store_err sq_decision_put(struct store *s, const struct store_decision *d)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_D_PUT);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, d->application_id);
    sqlite3_bind_int64(st, 2, d->at);
    sqlite3_bind_text(st, 3, d->decision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->staff, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->personnel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->verdict, -1, SQLITE_STATIC);
    return sq_step_done(q, st, NULL, "storing a decision");
}

static enum store_err sq_decision_get(struct store *s, int64_t application_id,
                                      store__decision_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_D_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, application_id);
    int rc = sqlite3_step(st);
    enum store_err e = STORE_OK;
    if (rc == SQLITE_ROW) {
        struct store_decision d = {
            .application_id = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .decision = col_str(st, 2),
            .reason = col_str(st, 3),
            .staff = col_str(st, 4),
            .personnel = col_str(st, 5),
            .verdict = col_str(st, 6),
        };
        fn(ctx, &d);
    } else if (rc == SQLITE_DONE) {
        e = store__fail(s, STORE_ENOTFOUND, "the application has no decision");
    } else {
        e = sq_fail(q, rc, "reading a decision");
    }
    sqlite3_reset(st);
    return e;
}

/* ---- renewals by signature alone */

static enum store_err sq_remote_chain_get(struct store *s, const char *tckn, int *count)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_RC_GET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, tckn, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int c = 0;
    if (rc == SQLITE_ROW) {
        c = sqlite3_column_int(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, rc, "reading a renewal chain");
    *count = c;
    return STORE_OK;
}

static enum store_err sq_remote_chain_set(struct store *s, const char *tckn, int count, int64_t now)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_RC_SET);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, tckn, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, count);
    sqlite3_bind_int64(st, 3, now);
    return sq_step_done(q, st, NULL, "storing a renewal chain");
}

/* ==== expiry warnings (schema 4) ============================================================ */

static enum store_err sq_warn_keys(struct store *s, int64_t from, int64_t to, int days,
                                   int64_t after_not_after, int64_t after_id, long limit,
                                   int64_t (*keys)[2], long *n)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_WARN_KEYS);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int(st, 3, days);
    sqlite3_bind_int64(st, 4, after_not_after);
    sqlite3_bind_int64(st, 5, after_id);
    sqlite3_bind_int64(st, 6, limit);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < limit) {
        keys[*n][0] = sqlite3_column_int64(st, 0);
        keys[*n][1] = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? STORE_OK
               : sq_fail(q, rc, "listing certificates due for a warning");
}

static enum store_err sq_warn_due(struct store *s, int64_t from, int64_t to, int days,
                                  int64_t after_not_after, int64_t after_id, int64_t end_not_after,
                                  int64_t end_id, store__warn_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    /* The scan reads certificate and personnel rows scattered over the whole file, each once:
     * through pread every one is a system call and a copy, a third of a 1M-row scan's time
     * (bench/notify_scan.sh); mapped, a row read is a memory access. And a batch dirties
     * thousands of pages (the outbox, its dedupe index, the marks): with the default 2 MiB
     * cache they spilled into the WAL and were read back, again and again (2.5x the writes).
     * Only this connection, from its first scan on, so the import's memory budget is not
     * touched; the cache fills only as far as the scans need. */
    if (!q->mapped) {
        q->mapped = true;
        sqlite3_exec(q->db,
                     "PRAGMA mmap_size = " SQ_SCAN_MMAP "; PRAGMA cache_size = -" SQ_SCAN_CACHE_KIB,
                     NULL, NULL, NULL);
    }
    sqlite3_stmt *st = sq_get(q, SQ_WARN_DUE);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int(st, 3, days);
    sqlite3_bind_int64(st, 4, after_not_after);
    sqlite3_bind_int64(st, 5, after_id);
    sqlite3_bind_int64(st, 6, end_not_after);
    sqlite3_bind_int64(st, 7, end_id);
    int rc;
    enum store_err e = STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct core_certificate c;
        struct core_personnel p;
        if (sq_read_cert(st, 2, &c) != 0 || sq_read_personnel(st, 12, &p) != 0) {
            e = store__fail(s, STORE_EIO,
                            "a stored certificate or personnel record does not fit the record "
                            "type");
            break;
        }
        const struct store_warn_row r = {
            .cert_id = sqlite3_column_int64(st, 0),
            .warned_days = sqlite3_column_int(st, 1),
            .c = &c,
            .p = &p,
        };
        if (fn(ctx, &r) != 0)
            break;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (e == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = sq_fail(q, rc, "listing certificates due for a warning");
    return e;
}

static enum store_err sq_warn_mark(struct store *s, const char *ids, int days, int64_t now,
                                   void (*fn)(void *ctx, int64_t id), void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_WARN_MARK);
    if (!st)
        return q->prep_err;
    sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, days);
    sqlite3_bind_int64(st, 3, now);
    int rc;
    /* the changes are all made by the first step; the rows are what RETURNING kept */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, sqlite3_column_int64(st, 0));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        return STORE_OK;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return store__fail(s, STORE_ENOTFOUND, "no such certificate");
    return sq_fail(q, rc, "recording a warning");
}

static enum store_err sq_remind_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                    store__app_list_fn fn, void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_REMIND_DUE);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int64(st, 3, limit);
    return sq_app_rows(q, st, fn, ctx, "listing applications due for a reminder");
}

static enum store_err sq_remind_mark(struct store *s, int64_t application_id, const char *state,
                                     int64_t now, bool *inserted)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_REMIND_MARK);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, application_id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    long n = 0;
    enum store_err e = sq_step_done(q, st, &n, "recording a reminder");
    if (e == STORE_OK)
        *inserted = n > 0;
    return e;
}

static enum store_err sq_outbox_handover(struct store *s, int64_t id, int attempt, int64_t now)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OB_HANDOVER);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, attempt);
    sqlite3_bind_int64(st, 3, now);
    long changed = 0;
    enum store_err e = sq_step_done(q, st, &changed, "marking an outbox message handed over");
    if (e != STORE_OK || changed > 0)
        return e;
    return sq_outbox_missed(q, id, "the outbox message is no longer held by this attempt");
}

static enum store_err sq_outbox_problems(struct store *s, int64_t now, store__problem_fn fn,
                                         void *ctx)
{
    struct sq *q = sq_of(s);
    sqlite3_stmt *st = sq_get(q, SQ_OB_PROBLEMS);
    if (!st)
        return q->prep_err;
    sqlite3_bind_int64(st, 1, now);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const struct store_outbox_problem m = {
            .id = sqlite3_column_int64(st, 0),
            .channel = col_str(st, 1),
            .recipient = col_str(st, 2),
            .subject = col_str(st, 3),
            .dedupe_key = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : col_str(st, 4),
            .status = col_str(st, 5),
            .last_error = col_str(st, 6),
            .attempts = sqlite3_column_int(st, 7),
            .created_at = sqlite3_column_int64(st, 8),
            .handed_over_at = sqlite3_column_int64(st, 9),
            .tpl = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : col_str(st, 10),
            .params = sqlite3_column_type(st, 11) == SQLITE_NULL ? NULL : col_str(st, 11),
        };
        if (fn(ctx, &m) != 0)
            break;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
                                                 : sq_fail(q, rc, "listing failed messages");
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .ping = sq_ping,
    .latest_version = sq_latest_version,
    .schema_version = sq_schema_version,
    .migrate = sq_migrate,
    .import_begin = sq_import_begin,
    .import_row = sq_import_row,
    .import_commit = sq_import_commit,
    .import_abort = sq_import_abort,
    .personnel_get = sq_personnel_get,
    .personnel_count = sq_personnel_count,
    .certificate_put = sq_certificate_put,
    .certificate_revoke = sq_certificate_revoke,
    .certificate_current = sq_certificate_current,
    .certificate_count = sq_certificate_count,
    .audit_append = sq_audit_append,
    .audit_each = sq_audit_each,
    .tx_begin = sq_tx_begin,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .captcha_put = sq_captcha_put,
    .captcha_get = sq_captcha_get,
    .captcha_purge = sq_captcha_purge,
    .session_put = sq_session_put,
    .session_get = sq_session_get,
    .session_set = sq_session_set,
    .session_purge = sq_session_purge,
    .rate_hit = sq_rate_hit,
    .rate_purge = sq_rate_purge,
    .app_create = sq_app_create,
    .app_get = sq_app_get,
    .app_by_number = sq_app_by_number,
    .app_update = sq_app_update,
    .app_events = sq_app_events,
    .otp_get = sq_otp_get,
    .otp_put = sq_otp_put,
    .outbox_put = sq_outbox_put,
    .outbox_each = sq_outbox_each,
    .outbox_claim = sq_outbox_claim,
    .outbox_mark = sq_outbox_mark,
    .signature_put = sq_signature_put,
    .signature_get = sq_signature_get,
    .user_put = sq_user_put,
    .user_get = sq_user_get,
    .user_update = sq_user_update,
    .user_each = sq_user_each,
    .app_list = sq_app_list,
    .app_state_counts = sq_app_state_counts,
    .expiring_unapplied = sq_expiring_unapplied,
    .decision_put = sq_decision_put,
    .decision_get = sq_decision_get,
    .remote_chain_get = sq_remote_chain_get,
    .remote_chain_set = sq_remote_chain_set,
    .warn_keys = sq_warn_keys,
    .warn_due = sq_warn_due,
    .warn_mark = sq_warn_mark,
    .remind_due = sq_remind_due,
    .remind_mark = sq_remind_mark,
    .outbox_handover = sq_outbox_handover,
    .outbox_resolve = sq_outbox_resolve,
    .outbox_problems = sq_outbox_problems,
};

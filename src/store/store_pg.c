/* eimza — the PostgreSQL backend of the store (store.h, store_int.h), over libpq.
 *
 * One PGconn per struct store. On connect the session is pinned to what the code assumes:
 * client_encoding UTF8, DateStyle ISO (dates read back as YYYY-MM-DD) and TimeZone UTC.
 * Frequent statements are prepared once per connection (named eimza_N, on first use); the
 * rare ones (migrations, the import's set-based steps) go through PQexec/PQexecParams.
 * Values always travel as parameters, never spliced into SQL.
 *
 * Writes that read first take a transaction-scoped advisory lock (pg_advisory_xact_lock, one
 * key per purpose, local to the database): migrations, so two `eimza migrate` cannot apply the
 * same step; and audit appends, so the chain cannot fork. The personnel import streams the
 * rows with COPY into a temporary staging table and applies them in one statement at commit.
 *
 * Error texts: a URL's password never appears (it is scrubbed from libpq's messages at
 * connect, and URLs are never echoed), and server errors are reported by their primary
 * message and SQLSTATE only: DETAIL lines can quote the values of a row (a T.C. Kimlik No).
 */
#include "store/store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/personnel.h"
#include "util/buf.h"

/* Advisory lock keys: "eimza" in ASCII, then the purpose. */
#define PG_LOCK_MIGRATE "435459224417"
#define PG_LOCK_AUDIT   "435459224418"

#define PG_CONNECT_TIMEOUT "10"                /* seconds; the URL may say otherwise */
#define PG_COPY_CHUNK      (64 * 1024)         /* rows are sent to the server in chunks this big */
#define PG_COPY_MAX        (PG_COPY_CHUNK * 4) /* cap of the chunk buffer (one row < 8 KiB) */
#define PG_AUDIT_PAGE      500                 /* audit entries fetched per round trip */
#define PG_STR_(x)         #x
#define PG_STR(x)          PG_STR_(x)

#define P_COLS                                                                                     \
    "tckn, first_name, last_name, birth_place, birth_date, institution_code, institution_name, "   \
    "province, district, unit, title, duty, assignment_end, entitled, email, mobile_phone"
/* The record's data, without its key: what "changed" compares. */
#define P_DATA(t)                                                                                  \
    t "first_name, " t "last_name, " t "birth_place, " t "birth_date, " t "institution_code, " t   \
      "institution_name, " t "province, " t "district, " t "unit, " t "title, " t "duty, " t       \
      "assignment_end, " t "entitled, " t "email, " t "mobile_phone"
#define C_COLS                                                                                     \
    "fingerprint, tckn, subject_name, subject, serial, issuer, not_before, not_after, policies, "  \
    "revoked_at"

enum pg_id {
    PG_P_GET,
    PG_P_COUNT,
    PG_C_PUT,
    PG_C_REVOKE,
    PG_C_EXISTS,
    PG_C_CURRENT,
    PG_C_COUNT,
    PG_A_LAST,
    PG_A_INSERT,
    PG_A_PAGE,
    /* the portal (schema 2) */
    PG_CAP_PUT,
    PG_CAP_GET,
    PG_CAP_TAKE,
    PG_CAP_PURGE,
    PG_S_PUT,
    PG_S_GET,
    PG_S_TOUCH,
    PG_S_BIND,
    PG_S_DELETE,
    PG_S_PURGE,
    PG_R_HIT,
    PG_R_GET,
    PG_R_PURGE,
    PG_APP_INSERT, /* made from the column table (store__app_sql) */
    PG_APP_UPDATE, /* likewise */
    PG_APP_GET,
    PG_APP_NUMBER,
    PG_APP_GET_LOCK,
    PG_APP_LATEST,
    PG_APP_LATEST_LOCK,
    PG_APP_EXISTS,
    PG_EV_INSERT,
    PG_EV_EACH,
    PG_OTP_GET,
    PG_OTP_GET_LOCK,
    PG_OTP_PUT,
    PG_OB_PUT,
    PG_OB_EACH,
    PG_OB_CLAIM,
    PG_OB_SENT,
    PG_OB_RETRY,
    PG_OB_FAILED,
    PG_OB_EXISTS,
    /* signing, staff and decisions (schema 3) */
    PG_SIG_PUT,
    PG_SIG_GET,
    PG_U_PUT,
    PG_U_GET,
    PG_U_GET_LOCK,
    PG_U_UPDATE,
    PG_U_EACH,
    PG_APP_LIST,  /* made from the column table (store__app_sql) */
    PG_APP_COUNT, /* likewise */
    PG_APP_STATES,
    PG_EXPIRING,
    PG_D_PUT,
    PG_D_GET,
    PG_RC_GET,
    PG_RC_SET,
    /* expiry warnings (schema 4) */
    PG_WARN_KEYS,
    PG_WARN_DUE,
    PG_WARN_MARK,
    PG_REMIND_DUE,
    PG_REMIND_MARK,
    PG_OB_HANDOVER,
    PG_OB_PROBLEMS,
    PG_OB_REQUEUE,
    PG_OB_CONFIRM,
    PG__COUNT
};

static const struct {
    int nparams;
    const char *sql;
} pg_stmt[PG__COUNT] = {
    [PG_P_GET] = {1, "SELECT " P_COLS " FROM personnel WHERE tckn = $1"},
    [PG_P_COUNT] = {0, "SELECT count(*) FROM personnel"},
    [PG_C_PUT] = {12, "INSERT INTO certificates (" C_COLS ", der, imported_at) VALUES "
                      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                      "ON CONFLICT (fingerprint) DO NOTHING"},
    [PG_C_REVOKE] = {3, "UPDATE certificates SET revoked_at = $1 "
                        "WHERE issuer = $2 AND serial = $3 AND revoked_at IS NULL"},
    [PG_C_EXISTS] = {2, "SELECT count(*) FROM certificates WHERE issuer = $1 AND serial = $2"},
    [PG_C_CURRENT] = {1, "SELECT " C_COLS " FROM certificates WHERE tckn = $1 "
                         "ORDER BY not_before DESC, not_after DESC, id DESC LIMIT 1"},
    [PG_C_COUNT] = {0, "SELECT count(*) FROM certificates"},
    [PG_A_LAST] = {0, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"},
    [PG_A_INSERT] = {8, "INSERT INTO audit_log (seq, at, actor, action, object, detail, "
                        "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    [PG_A_PAGE] = {1, "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
                      "FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT " PG_STR(PG_AUDIT_PAGE)},
    [PG_CAP_PUT] = {3, "INSERT INTO captchas (id, answer, expires_at, used) "
                       "VALUES ($1, $2, $3, false)"},
    [PG_CAP_GET] = {1, "SELECT id, answer, expires_at, used FROM captchas WHERE id = $1"},
    /* One statement: of concurrent takes only one finds used = false (the others wait for
     * its row lock, then see it used). */
    [PG_CAP_TAKE] = {1, "UPDATE captchas SET used = true WHERE id = $1 AND NOT used "
                        "RETURNING id, answer, expires_at, false"},
    [PG_CAP_PURGE] = {1, "DELETE FROM captchas WHERE expires_at < $1"},
    [PG_S_PUT] = {8, "INSERT INTO sessions (token_hash, kind, subject, csrf, created_at, "
                     "last_seen, expires_at, application_id) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    [PG_S_GET] = {1, "SELECT token_hash, kind, subject, csrf, created_at, last_seen, expires_at, "
                     "application_id FROM sessions WHERE token_hash = $1"},
    [PG_S_TOUCH] = {2, "UPDATE sessions SET last_seen = greatest(last_seen, $2) "
                       "WHERE token_hash = $1"},
    [PG_S_BIND] = {2, "UPDATE sessions SET application_id = $2 WHERE token_hash = $1"},
    [PG_S_DELETE] = {1, "DELETE FROM sessions WHERE token_hash = $1"},
    [PG_S_PURGE] = {2, "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen + $2 <= $1"},
    [PG_R_HIT] = {2, "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) "
                     "ON CONFLICT (key, window_start) DO UPDATE "
                     "SET count = rate_limits.count + 1 RETURNING count"},
    [PG_R_GET] = {2, "SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2"},
    [PG_R_PURGE] = {1, "DELETE FROM rate_limits WHERE window_start < $1"},
    [PG_APP_GET] = {1, "SELECT id, " STORE__APP_COLS " FROM applications WHERE id = $1"},
    [PG_APP_NUMBER] = {1, "SELECT id, " STORE__APP_COLS " FROM applications WHERE number = $1"},
    [PG_APP_GET_LOCK] = {1, "SELECT id, " STORE__APP_COLS " FROM applications WHERE id = $1 "
                            "FOR UPDATE"},
    [PG_APP_LATEST] = {1, "SELECT id, " STORE__APP_COLS " FROM applications WHERE tckn = $1 "
                          "ORDER BY created_at DESC, id DESC LIMIT 1"},
    [PG_APP_LATEST_LOCK] = {1, "SELECT id, " STORE__APP_COLS " FROM applications "
                               "WHERE tckn = $1 ORDER BY created_at DESC, id DESC LIMIT 1 "
                               "FOR UPDATE"},
    [PG_APP_EXISTS] = {1, "SELECT count(*) FROM applications WHERE id = $1"},
    [PG_EV_INSERT] = {6, "INSERT INTO application_events (application_id, at, from_state, "
                         "to_state, event, actor) VALUES ($1, $2, $3, $4, $5, $6)"},
    [PG_EV_EACH] = {1, "SELECT at, from_state, to_state, event, actor FROM application_events "
                       "WHERE application_id = $1 ORDER BY id"},
#define PG_OTP_SELECT                                                                              \
    "SELECT code_hash, salt, seq, sent_at, expires_at, send_window_start, sends_in_window, "       \
    "wrong_window_start, wrong_count FROM application_otp WHERE application_id = $1"
    [PG_OTP_GET] = {1, PG_OTP_SELECT},
    [PG_OTP_GET_LOCK] = {1, PG_OTP_SELECT " FOR UPDATE"},
    [PG_OTP_PUT] = {10,
                    "INSERT INTO application_otp (application_id, code_hash, salt, seq, "
                    "sent_at, expires_at, send_window_start, sends_in_window, "
                    "wrong_window_start, wrong_count) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                    "ON CONFLICT (application_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, "
                    "salt = EXCLUDED.salt, seq = EXCLUDED.seq, sent_at = EXCLUDED.sent_at, "
                    "expires_at = EXCLUDED.expires_at, "
                    "send_window_start = EXCLUDED.send_window_start, "
                    "sends_in_window = EXCLUDED.sends_in_window, "
                    "wrong_window_start = EXCLUDED.wrong_window_start, "
                    "wrong_count = EXCLUDED.wrong_count"},
    [PG_OB_PUT] = {8, "INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, status, "
                      "attempts, next_try_at, created_at, template, params) "
                      "VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $7, $8) "
                      "ON CONFLICT (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%' DO NOTHING"},
    [PG_OB_EACH] = {1, "SELECT id, channel, recipient, subject, body, dedupe_key, status, "
                       "created_at, attempts, template, params FROM (SELECT * FROM outbox "
                       "ORDER BY id DESC LIMIT $1) AS o ORDER BY id"},
    /* One statement: the due rows are locked as they are picked, and rows another claim holds
     * are skipped rather than waited for; a row another claim took and committed meanwhile is
     * re-checked against the WHERE (its next_try_at moved past now) and left out. */
    [PG_OB_CLAIM] = {4, "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                        "next_try_at = $3 WHERE id IN (SELECT id FROM outbox WHERE channel = $1 "
                        "AND (status = 'pending' OR (status = 'sending' "
                        "AND handed_over_at IS NULL)) AND next_try_at <= $2 "
                        "ORDER BY next_try_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                        "RETURNING id, channel, recipient, subject, body, dedupe_key, status, "
                        "created_at, attempts, template, params"},
    [PG_OB_SENT] = {3, "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = NULL "
                       "WHERE id = $1 AND status = 'sending' AND attempts = $2"},
    [PG_OB_RETRY] = {4, "UPDATE outbox SET status = 'pending', next_try_at = $3, "
                        "last_error = $4, handed_over_at = NULL WHERE id = $1 AND status = "
                        "'sending' AND attempts = $2"},
    [PG_OB_FAILED] = {3, "UPDATE outbox SET status = 'failed', last_error = $3 "
                         "WHERE id = $1 AND status = 'sending' AND attempts = $2"},
    [PG_OB_EXISTS] = {1, "SELECT count(*) FROM outbox WHERE id = $1"},
    /* cms, content and ocsp travel as binary parameters (pg_signature_put) */
    [PG_SIG_PUT] = {8, "INSERT INTO signatures (application_id, at, cms, cms_sha256, content, "
                       "signer_fingerprint, validation, ocsp) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    [PG_SIG_GET] = {1, "SELECT at, cms, content, signer_fingerprint, validation, ocsp "
                       "FROM signatures WHERE application_id = $1"},
    [PG_U_PUT] = {14, "INSERT INTO users (" STORE__USER_COLS ") "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"},
    [PG_U_GET] = {1, "SELECT " STORE__USER_COLS " FROM users WHERE username = $1"},
    [PG_U_GET_LOCK] = {1, "SELECT " STORE__USER_COLS " FROM users WHERE username = $1 "
                          "FOR UPDATE"},
    /* the parameters of PG_U_PUT without created_at */
    [PG_U_UPDATE] = {13, "UPDATE users SET role = $2, province = $3, password_hash = $4, "
                         "totp_secret = $5, totp_enabled = $6, totp_last_step = $7, "
                         "failed_count = $8, locked_until = $9, last_login_at = $10, "
                         "disabled = $11, updated_at = $12, email = $13 WHERE username = $1"},
    [PG_U_EACH] = {0, "SELECT " STORE__USER_COLS " FROM users ORDER BY username"},
    [PG_APP_STATES] = {1, "SELECT a.state, count(*) FROM applications a "
                          "LEFT JOIN personnel p ON p.tckn = a.tckn "
                          "WHERE CAST($1 AS INTEGER) = 0 "
                          "OR coalesce(p.province, a.province) = CAST($1 AS INTEGER) "
                          "GROUP BY a.state ORDER BY a.state"},
    [PG_EXPIRING] = {3, STORE__EXPIRING_SQL("$")},
    [PG_D_PUT] = {7, "INSERT INTO decisions (application_id, at, decision, reason, staff, "
                     "personnel, verdict) VALUES ($1, $2, $3, $4, $5, $6, $7)"},
    [PG_D_GET] = {1, "SELECT application_id, at, decision, reason, staff, personnel, verdict "
                     "FROM decisions WHERE application_id = $1 ORDER BY id DESC LIMIT 1"},
    [PG_RC_GET] = {1, "SELECT count FROM remote_chains WHERE tckn = $1"},
    [PG_RC_SET] = {3, "INSERT INTO remote_chains (tckn, count, updated_at) VALUES ($1, $2, $3) "
                      "ON CONFLICT (tckn) DO UPDATE SET count = EXCLUDED.count, "
                      "updated_at = EXCLUDED.updated_at"},
    /* concurrent scans (several servers on one database) skip each other's rows */
    [PG_WARN_KEYS] = {6, STORE__WARN_KEYS_SQL("$")},
    [PG_WARN_DUE] = {7, STORE__WARN_SQL("$") " FOR UPDATE OF c SKIP LOCKED"},
    /* an unknown certificate is refused by the foreign key (SQLSTATE 23503) */
    /* one statement for a batch's certificates ($1 "id,id,..." ascending, so two scans
     * meeting on the same rows lock them in one order); RETURNING names those whose mark
     * changed */
    [PG_WARN_MARK] = {3,
                      "INSERT INTO certificate_warnings (certificate_id, days, at) "
                      "SELECT unnest(('{' || $1 || '}')::bigint[]), $2, $3 "
                      "ON CONFLICT (certificate_id) DO UPDATE "
                      "SET days = EXCLUDED.days, at = EXCLUDED.at "
                      "WHERE EXCLUDED.days < certificate_warnings.days RETURNING certificate_id"},
    [PG_REMIND_DUE] = {3, STORE__REMIND_SQL("$")},
    [PG_REMIND_MARK] = {3, "INSERT INTO application_reminders (application_id, state, at) "
                           "VALUES ($1, $2, $3) ON CONFLICT (application_id, state) DO NOTHING"},
    [PG_OB_HANDOVER] = {3, "UPDATE outbox SET handed_over_at = $3 "
                           "WHERE id = $1 AND status = 'sending' AND attempts = $2"},
    [PG_OB_PROBLEMS] = {1, STORE__PROBLEMS_SQL("$")},
    [PG_OB_REQUEUE] = {2, STORE__OB_RETRY_SQL("$")},
    [PG_OB_CONFIRM] = {2, STORE__OB_CONFIRM_SQL("$")},
};

/* The import's staging table: the personnel columns without constraints, and seq (the row's
 * position in the import) so that the last of repeated rows can win. Dropped at the end of
 * the transaction, whichever way it ends. */
static const char pg_stage_sql[] =
    "CREATE TEMP TABLE eimza_personnel_stage (seq bigint NOT NULL, tckn text, first_name text, "
    "last_name text, birth_place text, birth_date date, institution_code text, "
    "institution_name text, province smallint, district text, unit text, title text, "
    "duty text, assignment_end date, entitled boolean, email text, mobile_phone text) "
    "ON COMMIT DROP";
static const char pg_copy_sql[] = "COPY eimza_personnel_stage (seq, " P_COLS ") FROM STDIN";

/* The counts of store.h, per row as if applied one after the other, computed from the staged
 * rows before they are applied: a tckn's first row is new when no record has it, updated when
 * it differs from the record; each later row of the same tckn is updated when it differs from
 * the row before it. (Applied in one statement, a record changed and changed back within one
 * file is not rewritten; SQLite rewrites it twice. The counts agree.) */
static const char pg_stats_sql[] = "WITH s AS (SELECT tckn, row_number() OVER w AS rn, ROW(" P_DATA(
    "") ") AS r, "
        "lag(ROW(" P_DATA(
            "") ")) OVER w AS prev FROM eimza_personnel_stage "
                "WINDOW w AS (PARTITION BY tckn ORDER BY seq)) "
                "SELECT count(*), count(*) FILTER (WHERE s.rn = 1 AND p.tckn IS NULL), "
                "count(*) FILTER (WHERE CASE WHEN s.rn = 1 THEN p.tckn IS NOT NULL "
                "AND ROW(" P_DATA(
                    "p.") ") IS DISTINCT FROM s.r ELSE s.prev IS DISTINCT FROM s.r END) "
                          "FROM s LEFT JOIN personnel p ON p.tckn = s.tckn";

/* The last row of each tckn wins; unchanged records are not rewritten (updated_at stays). */
static const char pg_upsert_sql[] =
    "INSERT INTO personnel (" P_COLS ", updated_at) "
    "SELECT DISTINCT ON (tckn) " P_COLS ", $1::bigint FROM eimza_personnel_stage "
    "ORDER BY tckn, seq DESC "
    "ON CONFLICT (tckn) DO UPDATE SET first_name = EXCLUDED.first_name, "
    "last_name = EXCLUDED.last_name, birth_place = EXCLUDED.birth_place, "
    "birth_date = EXCLUDED.birth_date, institution_code = EXCLUDED.institution_code, "
    "institution_name = EXCLUDED.institution_name, province = EXCLUDED.province, "
    "district = EXCLUDED.district, unit = EXCLUDED.unit, title = EXCLUDED.title, "
    "duty = EXCLUDED.duty, assignment_end = EXCLUDED.assignment_end, "
    "entitled = EXCLUDED.entitled, email = EXCLUDED.email, mobile_phone = EXCLUDED.mobile_phone, "
    "updated_at = EXCLUDED.updated_at "
    "WHERE (" P_DATA("personnel.") ") IS DISTINCT FROM (" P_DATA("EXCLUDED.") ")";

struct pg {
    struct store base; /* first: a struct store * is a struct pg * */
    PGconn *conn;
    bool prepared[PG__COUNT];
    /* the running personnel import */
    bool copying;    /* the connection is in COPY IN mode */
    bool row_failed; /* a row could not be sent: the import may only be aborted */
    int64_t now;
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
 * STORE_EIO. A data exception (class 22) is reported without its message, which quotes the
 * value. */
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
    scrub(line, sizeof line, prim ? prim : PQerrorMessage(g->conn), NULL, 0);
    if (!line[0])
        snprintf(line, sizeof line, "%s", r ? PQresStatus(PQresultStatus(r)) : "no result");
    return store__fail(&g->base, e, "%s: %s%s%s%s", what, line, state ? " (SQLSTATE " : "",
                       state ? state : "", state ? ")" : "");
}

/* Checks that r has status want. On failure r is cleared and the error recorded. */
static enum store_err pg_want(struct pg *g, PGresult *r, ExecStatusType want, const char *what)
{
    if (r && PQresultStatus(r) == want)
        return STORE_OK;
    enum store_err e = pg_fail(g, r, what);
    PQclear(r);
    return e;
}

/* Runs prepared statement id (preparing it on first use). Parameters are text unless fmts says
 * binary; a NULL value is SQL NULL. Returns the result, or NULL with the error recorded. */
static PGresult *pg_run(struct pg *g, enum pg_id id, const char *const *vals, const int *lens,
                        const int *fmts, ExecStatusType want, const char *what, enum store_err *err)
{
    char name[16];
    snprintf(name, sizeof name, "eimza_%d", (int)id);
    const char *sql = pg_stmt[id].sql;
    int nparams = pg_stmt[id].nparams;
    if (id == PG_APP_INSERT || id == PG_APP_UPDATE || id == PG_APP_LIST || id == PG_APP_COUNT) {
        enum store__app_sql k = id == PG_APP_INSERT   ? STORE__APP_INSERT
                                : id == PG_APP_UPDATE ? STORE__APP_UPDATE
                                : id == PG_APP_LIST   ? STORE__APP_LIST
                                                      : STORE__APP_COUNT;
        sql = store__app_sql(k, true);
        nparams = id == PG_APP_LIST    ? 8
                  : id == PG_APP_COUNT ? 6
                                       : (int)store__app_ncols + (id == PG_APP_UPDATE ? 2 : 0);
        if (!sql) {
            *err = store__fail(&g->base, STORE_ENOMEM, "building a statement");
            return NULL;
        }
    }
    if (!g->prepared[id]) {
        PGresult *r = PQprepare(g->conn, name, sql, nparams, NULL);
        if ((*err = pg_want(g, r, PGRES_COMMAND_OK, what)) != STORE_OK)
            return NULL;
        PQclear(r);
        g->prepared[id] = true;
    }
    PGresult *r = PQexecPrepared(g->conn, name, nparams, vals, lens, fmts, 0);
    if ((*err = pg_want(g, r, want, what)) != STORE_OK)
        return NULL;
    return r;
}

/* Runs SQL without parameters (may be several statements; the last one's status counts). */
static enum store_err pg_exec(struct pg *g, const char *sql, ExecStatusType want, const char *what)
{
    PGresult *r = PQexec(g->conn, sql);
    enum store_err e = pg_want(g, r, want, what);
    if (e == STORE_OK)
        PQclear(r);
    return e;
}

static void pg_rollback(struct pg *g)
{
    if (PQtransactionStatus(g->conn) != PQTRANS_IDLE)
        PQclear(PQexec(g->conn, "ROLLBACK"));
}

static long long cell_ll(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int cell_text(const PGresult *r, int row, int col, char *dst, size_t size)
{
    return store__copy(dst, size, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

static int cell_date(const PGresult *r, int row, int col, int32_t *out)
{
    if (PQgetisnull(r, row, col)) {
        *out = CORE_DATE_NONE;
        return 0;
    }
    return core_date_parse(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), out);
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

static const struct store_ops pg_ops;

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
    e = pg_exec(g, "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'",
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

static void pg_close(struct store *s)
{
    struct pg *g = pg_of(s);
    PQfinish(g->conn);
    ubuf_free(&g->chunk);
    free(g);
}

static enum store_err pg_ping(struct store *s)
{
    return pg_exec(pg_of(s), "SELECT 1", PGRES_TUPLES_OK, "ping");
}

/* ---- migrations --------------------------------------------------------------------------- */

static enum store_err pg_version(struct pg *g, int *cur)
{
    PGresult *r = PQexec(g->conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
    enum store_err e = pg_want(g, r, PGRES_TUPLES_OK, "reading the schema version");
    if (e != STORE_OK)
        return e;
    bool has = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    *cur = 0;
    if (!has)
        return STORE_OK;
    r = PQexec(g->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if ((e = pg_want(g, r, PGRES_TUPLES_OK, "reading the schema version")) != STORE_OK)
        return e;
    *cur = (int)cell_ll(r, 0, 0);
    PQclear(r);
    return STORE_OK;
}

static int pg_latest_version(void)
{
    return store__latest(store_migrations_pg, store_migrations_pg_count);
}

static enum store_err pg_schema_version(struct store *s, int *current)
{
    return pg_version(pg_of(s), current);
}

/* One migration per transaction, each under the migration advisory lock: a second process
 * waits for the first, then finds the version already moved on. */
static enum store_err pg_migrate(struct store *s, int *from, int *to)
{
    struct pg *g = pg_of(s);
    const int latest = pg_latest_version();
    enum store_err e = STORE_OK;
    int cur = 0, applied = 0;
    for (;;) {
        e = pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting a migration");
        if (e == STORE_OK)
            e = pg_exec(g, "SELECT pg_advisory_xact_lock(" PG_LOCK_MIGRATE ")", PGRES_TUPLES_OK,
                        "waiting for other migrations");
        if (e == STORE_OK)
            e = pg_exec(g,
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                        "KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                        PGRES_COMMAND_OK, "creating schema_migrations");
        if (e == STORE_OK)
            e = pg_version(g, &cur);
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
        for (size_t i = 0; i < store_migrations_pg_count; i++)
            if (store_migrations_pg[i].version > cur &&
                (!m || store_migrations_pg[i].version < m->version))
                m = &store_migrations_pg[i];
        if (!m) {
            e = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "ending the migration check");
            break;
        }
        char what[128];
        snprintf(what, sizeof what, "migration %s failed", m->name);
        if ((e = pg_exec(g, m->sql, PGRES_COMMAND_OK, what)) != STORE_OK)
            break;
        char ver[16], at[24];
        snprintf(ver, sizeof ver, "%d", m->version);
        snprintf(at, sizeof at, "%lld", (long long)time(NULL));
        const char *vals[] = {ver, m->name, at};
        PGresult *r = PQexecParams(g->conn,
                                   "INSERT INTO schema_migrations (version, name, applied_at) "
                                   "VALUES ($1, $2, $3)",
                                   3, NULL, vals, NULL, NULL, 0);
        if ((e = pg_want(g, r, PGRES_COMMAND_OK, "recording a migration")) != STORE_OK)
            break;
        PQclear(r);
        if ((e = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing a migration")) != STORE_OK)
            break;
        cur = m->version;
        applied++;
    }
    if (e != STORE_OK) {
        pg_rollback(g);
        return e;
    }
    /* Another process may have applied some steps between two of ours: "from" is counted
     * back from what this call applied, so to - from is always its own count. */
    if (from)
        *from = cur - applied;
    if (to)
        *to = cur;
    return STORE_OK;
}

/* ---- personnel ---------------------------------------------------------------------------- */

static enum store_err pg_import_begin(struct store *s, int64_t now)
{
    struct pg *g = pg_of(s);
    g->now = now;
    g->seq = 0;
    g->row_failed = false;
    ubuf_reset(&g->chunk);
    enum store_err e = pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting the import");
    if (e == STORE_OK)
        e = pg_exec(g, pg_stage_sql, PGRES_COMMAND_OK, "creating the staging table");
    if (e == STORE_OK)
        e = pg_exec(g, pg_copy_sql, PGRES_COPY_IN, "starting COPY");
    if (e != STORE_OK) {
        pg_rollback(g);
        return e;
    }
    g->copying = true;
    return STORE_OK;
}

/* COPY text format: backslash, tab, newline and carriage return are escaped; the rest of
 * UTF-8 goes as it is. A field longer than its array (not NUL-terminated) is refused. */
static int copy_text(struct ubuf *b, const char *f, size_t size)
{
    size_t n = strnlen(f, size);
    if (n == size)
        return -1;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (f[i]) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            continue;
        }
        if (ubuf_put(b, f + start, i - start) < 0 || ubuf_puts(b, esc) < 0)
            return -1;
        start = i + 1;
    }
    return ubuf_put(b, f + start, n - start);
}

static int copy_date(struct ubuf *b, int32_t days)
{
    char d[CORE_DATE_STRLEN + 1];
    core_date_format(days, d);
    return ubuf_puts(b, d[0] ? d : "\\N");
}

#define COPY_FIELD(b, f) copy_text((b), (f), sizeof(f))

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
    size_t mark = b->len;
    const char *duty = core_duty_code(p->duty);
    /* || runs the appends in order and stops at the first that fails. */
    bool bad = ubuf_printf(b, "%ld\t", g->seq + 1) || COPY_FIELD(b, p->tckn) ||
               ubuf_putc(b, '\t') || COPY_FIELD(b, p->first_name) || ubuf_putc(b, '\t') ||
               COPY_FIELD(b, p->last_name) || ubuf_putc(b, '\t') || COPY_FIELD(b, p->birth_place) ||
               ubuf_putc(b, '\t') || copy_date(b, p->birth_date) || ubuf_putc(b, '\t') ||
               COPY_FIELD(b, p->institution_code) || ubuf_putc(b, '\t') ||
               COPY_FIELD(b, p->institution_name) || ubuf_printf(b, "\t%d\t", p->province) ||
               COPY_FIELD(b, p->district) || ubuf_putc(b, '\t') || COPY_FIELD(b, p->unit) ||
               ubuf_putc(b, '\t') || COPY_FIELD(b, p->title) || ubuf_putc(b, '\t') ||
               ubuf_puts(b, duty ? duty : "\\N") || ubuf_putc(b, '\t') ||
               copy_date(b, p->assignment_end) || ubuf_puts(b, p->entitled ? "\tt\t" : "\tf\t") ||
               COPY_FIELD(b, p->email) || ubuf_putc(b, '\t') || COPY_FIELD(b, p->mobile_phone) ||
               ubuf_putc(b, '\n');
    if (bad) {
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
    if (b->len >= PG_COPY_CHUNK) {
        enum store_err e = pg_flush(g);
        if (e != STORE_OK) {
            g->row_failed = true;
            return e;
        }
    }
    return STORE_OK;
}

/* Ends COPY; with errmsg non-NULL the server discards the data and fails the COPY. */
static enum store_err pg_copy_end(struct pg *g, const char *errmsg)
{
    enum store_err e = STORE_OK;
    g->copying = false;
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

static enum store_err pg_import_commit(struct store *s, struct store_import_stats *st)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    PGresult *r = NULL;
    if (g->row_failed) {
        pg_copy_end(g, "import aborted");
        e = store__fail(s, STORE_EINVAL, "a row of the import failed: the import was rolled back");
        goto fail;
    }
    e = pg_flush(g);
    enum store_err e2 = pg_copy_end(g, e == STORE_OK ? NULL : "import aborted");
    if (e == STORE_OK)
        e = e2;
    if (e != STORE_OK)
        goto fail;

    r = PQexec(g->conn, pg_stats_sql);
    if ((e = pg_want(g, r, PGRES_TUPLES_OK, "counting the import's changes")) != STORE_OK)
        goto fail;
    long rows = (long)cell_ll(r, 0, 0), ins = (long)cell_ll(r, 0, 1), upd = (long)cell_ll(r, 0, 2);
    PQclear(r);

    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)g->now);
    const char *vals[] = {now};
    r = PQexecParams(g->conn, pg_upsert_sql, 1, NULL, vals, NULL, NULL, 0);
    if ((e = pg_want(g, r, PGRES_COMMAND_OK, "applying the personnel rows")) != STORE_OK)
        goto fail;
    PQclear(r);
    if ((e = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing the import")) != STORE_OK)
        goto fail;
    st->inserted = ins;
    st->updated = upd;
    st->unchanged = rows - ins - upd;
    ubuf_free(&g->chunk);
    ubuf_init(&g->chunk, PG_COPY_MAX);
    return STORE_OK;
fail:
    pg_rollback(g);
    ubuf_reset(&g->chunk);
    return e;
}

static void pg_import_abort(struct store *s)
{
    struct pg *g = pg_of(s);
    if (g->copying)
        pg_copy_end(g, "import aborted");
    pg_rollback(g);
    ubuf_reset(&g->chunk);
}

/* Reads a personnel record from the STORE__P_NCOLS columns of row starting at col (in the
 * order of P_COLS); -1 when a value does not fit the record type. */
static int pg_read_personnel(const PGresult *r, int row, int col, struct core_personnel *p)
{
    core_personnel_clear(p);
    int bad = cell_text(r, row, col + 0, p->tckn, sizeof p->tckn) |
              cell_text(r, row, col + 1, p->first_name, sizeof p->first_name) |
              cell_text(r, row, col + 2, p->last_name, sizeof p->last_name) |
              cell_text(r, row, col + 3, p->birth_place, sizeof p->birth_place) |
              cell_date(r, row, col + 4, &p->birth_date) |
              cell_text(r, row, col + 5, p->institution_code, sizeof p->institution_code) |
              cell_text(r, row, col + 6, p->institution_name, sizeof p->institution_name) |
              cell_text(r, row, col + 8, p->district, sizeof p->district) |
              cell_text(r, row, col + 9, p->unit, sizeof p->unit) |
              cell_text(r, row, col + 10, p->title, sizeof p->title) |
              core_duty_parse(PQgetvalue(r, row, col + 11), (size_t)PQgetlength(r, row, col + 11),
                              &p->duty) |
              cell_date(r, row, col + 12, &p->assignment_end) |
              cell_text(r, row, col + 14, p->email, sizeof p->email) |
              cell_text(r, row, col + 15, p->mobile_phone, sizeof p->mobile_phone);
    p->province = (int)cell_ll(r, row, col + 7);
    p->entitled = PQgetvalue(r, row, col + 13)[0] == 't';
    return bad;
}

static enum store_err pg_personnel_get(struct store *s, const char *tckn,
                                       struct core_personnel *out)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {tckn};
    PGresult *r =
        pg_run(g, PG_P_GET, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a personnel record", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no personnel record for that T.C. Kimlik No");
    } else {
        struct core_personnel p;
        if (pg_read_personnel(r, 0, 0, &p) != 0)
            e = store__fail(s, STORE_EIO,
                            "a stored personnel record does not fit the record "
                            "type (edited by hand or by a newer eimza?)");
        else
            *out = p;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_count(struct pg *g, enum pg_id id, long *n, const char *what)
{
    enum store_err e;
    PGresult *r = pg_run(g, id, NULL, NULL, NULL, PGRES_TUPLES_OK, what, &e);
    if (!r)
        return e;
    *n = (long)cell_ll(r, 0, 0);
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_personnel_count(struct store *s, long *n)
{
    return pg_count(pg_of(s), PG_P_COUNT, n, "counting personnel");
}

/* ---- certificates ------------------------------------------------------------------------- */

static enum store_err pg_certificate_put(struct store *s, const struct core_certificate *c,
                                         const unsigned char *der, size_t derlen, int64_t now,
                                         bool *inserted)
{
    struct pg *g = pg_of(s);
    enum store_err e;
#define TERMINATED(f) (strnlen((f), sizeof(f)) < sizeof(f))
    if (!TERMINATED(c->fingerprint) || !TERMINATED(c->tckn) || !TERMINATED(c->subject_name) ||
        !TERMINATED(c->subject) || !TERMINATED(c->serial) || !TERMINATED(c->issuer) ||
        !TERMINATED(c->policies))
        return store__fail(s, STORE_EINVAL, "a certificate field is not NUL-terminated");
#undef TERMINATED
    if (derlen > INT32_MAX)
        return store__fail(s, STORE_EINVAL, "certificate too large");
    char nb[24], na[24], rv[24], im[24];
    snprintf(nb, sizeof nb, "%lld", (long long)c->not_before);
    snprintf(na, sizeof na, "%lld", (long long)c->not_after);
    snprintf(rv, sizeof rv, "%lld", (long long)c->revoked_at);
    snprintf(im, sizeof im, "%lld", (long long)now);
    const char *vals[12] = {c->fingerprint,
                            c->tckn,
                            c->subject_name,
                            c->subject,
                            c->serial,
                            c->issuer,
                            nb,
                            na,
                            c->policies,
                            c->revoked_at ? rv : NULL,
                            (const char *)der,
                            im};
    int lens[12] = {0};
    int fmts[12] = {0};
    lens[10] = (int)derlen;
    fmts[10] = 1; /* the DER goes as binary bytea */
    PGresult *r =
        pg_run(g, PG_C_PUT, vals, lens, fmts, PGRES_COMMAND_OK, "storing a certificate", &e);
    if (!r)
        return e;
    *inserted = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                            int64_t revoked_at, bool *changed)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char at[24];
    snprintf(at, sizeof at, "%lld", (long long)revoked_at);
    const char *vals[] = {at, issuer, serial};
    PGresult *r =
        pg_run(g, PG_C_REVOKE, vals, NULL, NULL, PGRES_COMMAND_OK, "revoking a certificate", &e);
    if (!r)
        return e;
    bool did = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    if (did) {
        *changed = true;
        return STORE_OK;
    }
    /* Nothing changed: already revoked, or unknown. */
    r = pg_run(g, PG_C_EXISTS, vals + 1, NULL, NULL, PGRES_TUPLES_OK, "looking up a certificate",
               &e);
    if (!r)
        return e;
    long n = (long)cell_ll(r, 0, 0);
    PQclear(r);
    if (n == 0)
        return store__fail(s, STORE_ENOTFOUND, "no certificate with that issuer and serial");
    *changed = false;
    return STORE_OK;
}

/* Reads a certificate from the 10 columns of row starting at col (in the order of C_COLS); -1
 * when a text does not fit the record type. */
static int pg_read_cert(const PGresult *r, int row, int col, struct core_certificate *c)
{
    memset(c, 0, sizeof *c);
    int bad = cell_text(r, row, col + 0, c->fingerprint, sizeof c->fingerprint) |
              cell_text(r, row, col + 1, c->tckn, sizeof c->tckn) |
              cell_text(r, row, col + 2, c->subject_name, sizeof c->subject_name) |
              cell_text(r, row, col + 3, c->subject, sizeof c->subject) |
              cell_text(r, row, col + 4, c->serial, sizeof c->serial) |
              cell_text(r, row, col + 5, c->issuer, sizeof c->issuer) |
              cell_text(r, row, col + 8, c->policies, sizeof c->policies);
    c->not_before = cell_ll(r, row, col + 6);
    c->not_after = cell_ll(r, row, col + 7);
    c->revoked_at = cell_ll(r, row, col + 9); /* NULL reads as 0: not revoked */
    return bad;
}

static enum store_err pg_certificate_current(struct store *s, const char *tckn,
                                             struct core_certificate *out)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {tckn};
    PGresult *r =
        pg_run(g, PG_C_CURRENT, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a certificate", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no certificate for that T.C. Kimlik No");
    } else {
        struct core_certificate c;
        if (pg_read_cert(r, 0, 0, &c) != 0)
            e = store__fail(s, STORE_EIO, "a stored certificate does not fit the record type");
        else
            *out = c;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_certificate_count(struct store *s, long *n)
{
    return pg_count(pg_of(s), PG_C_COUNT, n, "counting certificates");
}

/* ---- audit log ---------------------------------------------------------------------------- */

/* The audit advisory lock is taken before the last entry is read and held to the commit: no
 * other connection can append in between, so the chain cannot fork. */
static enum store_err pg_audit_append(struct store *s, const struct store_audit_entry *e)
{
    struct pg *g = pg_of(s);
    enum store_err err;
    PGresult *r = NULL;
    char prev[STORE_AUDIT_HASH_LEN + 1], hash[STORE_AUDIT_HASH_LEN + 1];
    memcpy(prev, STORE_AUDIT_GENESIS, sizeof prev);
    long long seq = 0;

    const bool own = !s->in_tx; /* inside the caller's transaction: join it */
    err = own ? pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting an audit entry") : STORE_OK;
    if (err == STORE_OK)
        err = pg_exec(g, "SELECT pg_advisory_xact_lock(" PG_LOCK_AUDIT ")", PGRES_TUPLES_OK,
                      "waiting for other audit entries");
    if (err != STORE_OK)
        goto fail;
    if (!(r = pg_run(g, PG_A_LAST, NULL, NULL, NULL, PGRES_TUPLES_OK,
                     "reading the last audit entry", &err)))
        goto fail;
    if (PQntuples(r) == 1) {
        seq = cell_ll(r, 0, 0);
        if (cell_text(r, 0, 1, prev, sizeof prev) != 0 || !store__is_hash(prev)) {
            PQclear(r);
            err = store__fail(s, STORE_EIO, "the last audit entry's hash is malformed");
            goto fail;
        }
    }
    PQclear(r);
    seq++;
    if (store_audit_hash(seq, prev, e, hash) != 0) {
        err = store__fail(s, STORE_ENOMEM, "hashing an audit entry failed");
        goto fail;
    }
    char sq[24], at[24];
    snprintf(sq, sizeof sq, "%lld", seq);
    snprintf(at, sizeof at, "%lld", (long long)e->at);
    const char *vals[] = {sq, at, e->actor, e->action, e->object, e->detail, prev, hash};
    if (!(r = pg_run(g, PG_A_INSERT, vals, NULL, NULL, PGRES_COMMAND_OK, "appending an audit entry",
                     &err)))
        goto fail;
    PQclear(r);
    if (own &&
        (err = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing an audit entry")) != STORE_OK)
        goto fail;
    return STORE_OK;
fail:
    if (own)
        pg_rollback(g);
    return err;
}

/* Pages of PG_AUDIT_PAGE entries, so a long log never sits in memory whole. */
static enum store_err pg_audit_each(struct store *s, int64_t after_seq, store__audit_fn fn,
                                    void *ctx)
{
    struct pg *g = pg_of(s);
    for (;;) {
        enum store_err e;
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)after_seq);
        const char *vals[] = {after};
        PGresult *r =
            pg_run(g, PG_A_PAGE, vals, NULL, NULL, PGRES_TUPLES_OK, "reading the audit log", &e);
        if (!r)
            return e;
        int n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            struct store_audit_record rec = {
                .seq = cell_ll(r, i, 0),
                .e = {.at = cell_ll(r, i, 1),
                      .actor = PQgetvalue(r, i, 2),
                      .action = PQgetvalue(r, i, 3),
                      .object = PQgetvalue(r, i, 4),
                      .detail = PQgetvalue(r, i, 5)},
                .prev_hash = PQgetvalue(r, i, 6),
                .hash = PQgetvalue(r, i, 7),
            };
            after_seq = rec.seq;
            if (fn(ctx, &rec) != 0) {
                PQclear(r);
                return STORE_OK;
            }
        }
        PQclear(r);
        if (n < PG_AUDIT_PAGE)
            return STORE_OK;
    }
}

/* ==== the applicant portal (schema 2) ====================================================== */

static enum store_err pg_tx_begin(struct store *s)
{
    return pg_exec(pg_of(s), "BEGIN", PGRES_COMMAND_OK, "starting a transaction");
}

/* A COMMIT of a transaction that already failed "succeeds" as a ROLLBACK: that is reported as
 * the failure it is, so a caller that missed an error never believes its writes were kept. */
static enum store_err pg_tx_commit(struct store *s)
{
    struct pg *g = pg_of(s);
    PGresult *r = PQexec(g->conn, "COMMIT");
    enum store_err e = pg_want(g, r, PGRES_COMMAND_OK, "committing a transaction");
    if (e != STORE_OK) {
        pg_rollback(g);
        return e;
    }
    if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        e = store__fail(s, STORE_EIO, "the transaction had failed and was rolled back");
    PQclear(r);
    return e;
}

static void pg_tx_rollback(struct store *s)
{
    pg_rollback(pg_of(s));
}

static void pg_num(char out[24], int64_t v)
{
    snprintf(out, 24, "%lld", (long long)v);
}

/* Runs a statement whose answer is a command status and gives the rows it touched. */
static enum store_err pg_command(struct pg *g, enum pg_id id, const char *const *vals, long *n,
                                 const char *what)
{
    enum store_err e;
    PGresult *r = pg_run(g, id, vals, NULL, NULL, PGRES_COMMAND_OK, what, &e);
    if (!r)
        return e;
    if (n)
        *n = strtol(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return STORE_OK;
}

/* ---- captchas */

static enum store_err pg_captcha_put(struct store *s, const struct store_captcha *c)
{
    char exp[24];
    pg_num(exp, c->expires_at);
    const char *vals[] = {c->id, c->answer, exp};
    return pg_command(pg_of(s), PG_CAP_PUT, vals, NULL, "storing a captcha");
}

static enum store_err pg_captcha_get(struct store *s, const char *id, bool take,
                                     struct store_captcha *out)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {id};
    PGresult *r = pg_run(g, take ? PG_CAP_TAKE : PG_CAP_GET, vals, NULL, NULL, PGRES_TUPLES_OK,
                         take ? "using a captcha" : "reading a captcha", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no such captcha (or it was used)");
    } else {
        struct store_captcha c;
        memset(&c, 0, sizeof c);
        if (cell_text(r, 0, 0, c.id, sizeof c.id) | cell_text(r, 0, 1, c.answer, sizeof c.answer))
            e = store__fail(s, STORE_EIO, "a stored captcha does not fit the record type");
        c.expires_at = cell_ll(r, 0, 2);
        c.used = PQgetvalue(r, 0, 3)[0] == 't';
        if (e == STORE_OK)
            *out = c;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_purge(struct store *s, enum pg_id id, int64_t a, int64_t b, long *n,
                               const char *what)
{
    char va[24], vb[24];
    pg_num(va, a);
    pg_num(vb, b);
    const char *vals[] = {va, vb};
    return pg_command(pg_of(s), id, vals, n, what);
}

static enum store_err pg_captcha_purge(struct store *s, int64_t before, long *n)
{
    return pg_purge(s, PG_CAP_PURGE, before, 0, n, "deleting old captchas");
}

/* ---- sessions */

static enum store_err pg_session_put(struct store *s, const struct store_session *ss)
{
    char c[24], l[24], x[24], a[24];
    pg_num(c, ss->created_at);
    pg_num(l, ss->last_seen);
    pg_num(x, ss->expires_at);
    pg_num(a, ss->application_id);
    const char *vals[] = {
        ss->token_hash, ss->kind, ss->subject, ss->csrf, c, l, x, ss->application_id ? a : NULL};
    return pg_command(pg_of(s), PG_S_PUT, vals, NULL, "storing a session");
}

static enum store_err pg_session_get(struct store *s, const char *token_hash,
                                     struct store_session *out)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {token_hash};
    PGresult *r = pg_run(g, PG_S_GET, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a session", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no such session");
    } else {
        struct store_session ss;
        memset(&ss, 0, sizeof ss);
        int bad = cell_text(r, 0, 0, ss.token_hash, sizeof ss.token_hash) |
                  cell_text(r, 0, 1, ss.kind, sizeof ss.kind) |
                  cell_text(r, 0, 2, ss.subject, sizeof ss.subject) |
                  cell_text(r, 0, 3, ss.csrf, sizeof ss.csrf);
        ss.created_at = cell_ll(r, 0, 4);
        ss.last_seen = cell_ll(r, 0, 5);
        ss.expires_at = cell_ll(r, 0, 6);
        ss.application_id = cell_ll(r, 0, 7); /* NULL reads as 0 */
        if (bad)
            e = store__fail(s, STORE_EIO, "a stored session does not fit the record type");
        else
            *out = ss;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_session_set(struct store *s, const char *token_hash, int what, int64_t v)
{
    static const enum pg_id ids[] = {PG_S_TOUCH, PG_S_BIND, PG_S_DELETE};
    char num[24];
    pg_num(num, v);
    const char *vals[] = {token_hash, num};
    long n = 0;
    enum store_err e = pg_command(pg_of(s), ids[what], vals, &n, "updating a session");
    if (e == STORE_OK && n == 0 && what != 2)
        e = store__fail(s, STORE_ENOTFOUND, "no such session");
    return e;
}

static enum store_err pg_session_purge(struct store *s, int64_t now, int64_t idle, long *n)
{
    return pg_purge(s, PG_S_PURGE, now, idle, n, "deleting old sessions");
}

/* ---- rate limits */

static enum store_err pg_rate_hit(struct store *s, const char *key, int64_t window_start, bool add,
                                  long *count)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char w[24];
    pg_num(w, window_start);
    const char *vals[] = {key, w};
    PGresult *r = pg_run(g, add ? PG_R_HIT : PG_R_GET, vals, NULL, NULL, PGRES_TUPLES_OK,
                         add ? "counting an attempt" : "reading a rate limit", &e);
    if (!r)
        return e;
    *count = PQntuples(r) ? (long)cell_ll(r, 0, 0) : 0;
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_rate_purge(struct store *s, int64_t before, long *n)
{
    return pg_purge(s, PG_R_PURGE, before, 0, n, "deleting old rate-limit windows");
}

/* ---- applications */

/* The parameters of an application row as text: vals[i] for column i; nums holds the
 * numbers' text. -1 when a text field holds no NUL. */
static int pg_app_params(const struct store_application *a, const char **vals, char (*nums)[24])
{
    for (size_t i = 0; i < store__app_ncols; i++) {
        const struct store__col *c = &store__app_cols[i];
        const char *f = (const char *)a + c->off;
        size_t n;
        switch (c->type) {
        case STORE__TEXT:
            if (store__field_len(f, c->size, &n) < 0)
                return -1;
            vals[i] = f;
            break;
        case STORE__INT: {
            int v;
            memcpy(&v, f, sizeof v);
            pg_num(nums[i], v);
            vals[i] = nums[i];
            break;
        }
        case STORE__I64: {
            int64_t v;
            memcpy(&v, f, sizeof v);
            pg_num(nums[i], v);
            vals[i] = nums[i];
            break;
        }
        case STORE__BOOL: {
            bool v;
            memcpy(&v, f, sizeof v);
            vals[i] = v ? "t" : "f";
            break;
        }
        }
    }
    return 0;
}

static int pg_read_app(const PGresult *r, int row, struct store_application *a)
{
    int bad = 0;
    memset(a, 0, sizeof *a);
    a->id = cell_ll(r, row, 0);
    for (size_t i = 0; i < store__app_ncols; i++) {
        const struct store__col *c = &store__app_cols[i];
        char *f = (char *)a + c->off;
        int col = (int)i + 1;
        switch (c->type) {
        case STORE__TEXT:
            bad |= cell_text(r, row, col, f, c->size);
            break;
        case STORE__INT: {
            int v = (int)cell_ll(r, row, col);
            memcpy(f, &v, sizeof v);
            break;
        }
        case STORE__I64: {
            int64_t v = cell_ll(r, row, col);
            memcpy(f, &v, sizeof v);
            break;
        }
        case STORE__BOOL: {
            bool v = PQgetvalue(r, row, col)[0] == 't';
            memcpy(f, &v, sizeof v);
            break;
        }
        }
    }
    return bad;
}

static enum store_err pg_event_insert(struct pg *g, int64_t app_id,
                                      const struct store_app_event *ev)
{
    char id[24], at[24];
    pg_num(id, app_id);
    pg_num(at, ev->at);
    const char *vals[] = {id, at, ev->from, ev->to, ev->event, ev->actor};
    return pg_command(g, PG_EV_INSERT, vals, NULL, "recording an application event");
}

/* The application statements have more parameters than fit a fixed array comfortably. */
#define PG_APP_MAXPARAMS 40

static enum store_err pg_app_create(struct store *s, struct store_application *a,
                                    const struct store_app_event *ev)
{
    struct pg *g = pg_of(s);
    const char *vals[PG_APP_MAXPARAMS];
    char nums[PG_APP_MAXPARAMS][24];
    PGresult *r = NULL;
    if (store__app_ncols + 2 > PG_APP_MAXPARAMS || pg_app_params(a, vals, nums) < 0)
        return store__fail(s, STORE_EINVAL, "an application field is not NUL-terminated");
    const bool own = !s->in_tx;
    enum store_err e =
        own ? pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting an application") : STORE_OK;
    if (e != STORE_OK)
        return e;
    if (!(r = pg_run(g, PG_APP_INSERT, vals, NULL, NULL, PGRES_TUPLES_OK, "storing an application",
                     &e)))
        goto fail;
    int64_t id = cell_ll(r, 0, 0);
    PQclear(r);
    if ((e = pg_event_insert(g, id, ev)) != STORE_OK)
        goto fail;
    if (own &&
        (e = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing an application")) != STORE_OK)
        goto fail;
    a->id = id;
    return STORE_OK;
fail:
    if (own)
        pg_rollback(g);
    return e;
}

/* One application by the statement q, whose one parameter is key. */
static enum store_err pg_app_fetch(struct store *s, enum pg_id q, const char *key,
                                   struct store_application *out)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {key};
    PGresult *r = pg_run(g, q, vals, NULL, NULL, PGRES_TUPLES_OK, "reading an application", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no such application");
    } else {
        struct store_application a;
        if (pg_read_app(r, 0, &a) != 0)
            e = store__fail(s, STORE_EIO, "a stored application does not fit the record type");
        else
            *out = a;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_app_get(struct store *s, int64_t id, const char *tckn,
                                 struct store_application *out)
{
    char num[24];
    pg_num(num, id);
    enum pg_id q = tckn ? (s->in_tx ? PG_APP_LATEST_LOCK : PG_APP_LATEST)
                        : (s->in_tx ? PG_APP_GET_LOCK : PG_APP_GET);
    return pg_app_fetch(s, q, tckn ? tckn : num, out);
}

static enum store_err pg_app_by_number(struct store *s, const char *number,
                                       struct store_application *out)
{
    return pg_app_fetch(s, PG_APP_NUMBER, number, out);
}

static enum store_err pg_app_update(struct store *s, const struct store_application *a,
                                    const char *expected_state, const struct store_app_event *ev)
{
    struct pg *g = pg_of(s);
    const char *vals[PG_APP_MAXPARAMS];
    char nums[PG_APP_MAXPARAMS][24], id[24];
    if (store__app_ncols + 2 > PG_APP_MAXPARAMS || pg_app_params(a, vals, nums) < 0)
        return store__fail(s, STORE_EINVAL, "an application field is not NUL-terminated");
    pg_num(id, a->id);
    vals[store__app_ncols] = id;
    vals[store__app_ncols + 1] = expected_state;
    const bool own = !s->in_tx;
    enum store_err e =
        own ? pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting an application update") : STORE_OK;
    if (e != STORE_OK)
        return e;
    long n = 0;
    if ((e = pg_command(g, PG_APP_UPDATE, vals, &n, "updating an application")) != STORE_OK)
        goto fail;
    if (n == 0) {
        const char *idv[] = {id};
        PGresult *r = pg_run(g, PG_APP_EXISTS, idv, NULL, NULL, PGRES_TUPLES_OK,
                             "looking up an application", &e);
        if (!r)
            goto fail;
        bool exists = cell_ll(r, 0, 0) > 0;
        PQclear(r);
        e = exists ? store__fail(s, STORE_ECONFLICT, "the application changed meanwhile")
                   : store__fail(s, STORE_ENOTFOUND, "no such application");
        goto fail;
    }
    if (ev && (e = pg_event_insert(g, a->id, ev)) != STORE_OK)
        goto fail;
    if (own && (e = pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing an application update")) !=
                   STORE_OK)
        goto fail;
    return STORE_OK;
fail:
    if (own)
        pg_rollback(g);
    return e;
}

static enum store_err pg_app_events(struct store *s, int64_t application_id, store__event_fn fn,
                                    void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char id[24];
    pg_num(id, application_id);
    const char *vals[] = {id};
    PGresult *r = pg_run(g, PG_EV_EACH, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "reading the application's timeline", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_app_event ev = {
            .at = cell_ll(r, i, 0),
            .from = PQgetvalue(r, i, 1),
            .to = PQgetvalue(r, i, 2),
            .event = PQgetvalue(r, i, 3),
            .actor = PQgetvalue(r, i, 4),
        };
        if (fn(ctx, &ev) != 0)
            break;
    }
    PQclear(r);
    return STORE_OK;
}

/* ---- SMS codes */

static enum store_err pg_otp_get(struct store *s, int64_t application_id, struct store_otp *out)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char id[24];
    pg_num(id, application_id);
    const char *vals[] = {id};
    PGresult *r = pg_run(g, s->in_tx ? PG_OTP_GET_LOCK : PG_OTP_GET, vals, NULL, NULL,
                         PGRES_TUPLES_OK, "reading the SMS code state", &e);
    if (!r)
        return e;
    struct store_otp o;
    memset(&o, 0, sizeof o);
    o.application_id = application_id;
    if (PQntuples(r) > 0) {
        if (cell_text(r, 0, 0, o.code_hash, sizeof o.code_hash) |
            cell_text(r, 0, 1, o.salt, sizeof o.salt))
            e = store__fail(s, STORE_EIO, "a stored SMS code state does not fit the record type");
        o.seq = (int)cell_ll(r, 0, 2);
        o.sent_at = cell_ll(r, 0, 3);
        o.expires_at = cell_ll(r, 0, 4);
        o.send_window_start = cell_ll(r, 0, 5);
        o.sends_in_window = (int)cell_ll(r, 0, 6);
        o.wrong_window_start = cell_ll(r, 0, 7);
        o.wrong_count = (int)cell_ll(r, 0, 8);
    }
    PQclear(r);
    if (e == STORE_OK)
        *out = o;
    return e;
}

static enum store_err pg_otp_put(struct store *s, const struct store_otp *o)
{
    char id[24], seq[24], sent[24], exp[24], sws[24], siw[24], wws[24], wc[24];
    pg_num(id, o->application_id);
    pg_num(seq, o->seq);
    pg_num(sent, o->sent_at);
    pg_num(exp, o->expires_at);
    pg_num(sws, o->send_window_start);
    pg_num(siw, o->sends_in_window);
    pg_num(wws, o->wrong_window_start);
    pg_num(wc, o->wrong_count);
    const char *vals[] = {id, o->code_hash, o->salt, seq, sent, exp, sws, siw, wws, wc};
    return pg_command(pg_of(s), PG_OTP_PUT, vals, NULL, "storing the SMS code state");
}

/* ---- outbox */

#define PG_OB_ROWS 500 /* messages per multi-row INSERT (7 parameters each, and now) */

/* Several messages: multi-row INSERTs of PG_OB_ROWS, in a transaction of their own unless in
 * the caller's. A round trip per message cost 0.2 ms here, twelve times a row's share of a
 * multi-row statement. */
static enum store_err pg_outbox_put_many(struct pg *g, const struct store_outbox_msg *m, long n,
                                         const char *at, long *inserted)
{
    static const char head[] = "INSERT INTO outbox (dedupe_key, channel, recipient, subject, "
                               "body, status, attempts, next_try_at, created_at, template, "
                               "params) VALUES ";
    static const char tail[] = " ON CONFLICT (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%' "
                               "DO NOTHING";
    const char **vals = malloc((1 + 7 * PG_OB_ROWS) * sizeof *vals);
    struct ubuf sql = UBUF_INIT(64 * PG_OB_ROWS + sizeof head + sizeof tail);
    const bool own = !g->base.in_tx;
    enum store_err e = !vals ? store__fail(&g->base, STORE_ENOMEM, "queueing messages")
                       : own ? pg_exec(g, "BEGIN", PGRES_COMMAND_OK, "starting to queue messages")
                             : STORE_OK;
    for (long at0 = 0; e == STORE_OK && at0 < n; at0 += PG_OB_ROWS) {
        long k = n - at0 < PG_OB_ROWS ? n - at0 : PG_OB_ROWS;
        ubuf_reset(&sql);
        int bad = ubuf_puts(&sql, head) < 0;
        vals[0] = at;
        for (long i = 0; i < k; i++) {
            const struct store_outbox_msg *x = &m[at0 + i];
            const int p = 2 + 7 * (int)i;
            bad += ubuf_printf(&sql, "%s($%d,$%d,$%d,$%d,$%d,'pending',0,$1,$1,$%d,$%d)",
                               i ? "," : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6) < 0;
            const char **v = &vals[p - 1];
            v[0] = x->dedupe_key;
            v[1] = x->channel;
            v[2] = x->recipient;
            v[3] = x->subject ? x->subject : "";
            v[4] = x->body ? x->body : "";
            v[5] = x->tpl;
            v[6] = x->tpl ? x->params : NULL;
        }
        bad += ubuf_puts(&sql, tail) < 0;
        if (bad) {
            e = store__fail(&g->base, STORE_ENOMEM, "queueing messages");
            break;
        }
        PGresult *r =
            PQexecParams(g->conn, ubuf_str(&sql), 1 + 7 * (int)k, NULL, vals, NULL, NULL, 0);
        if ((e = pg_want(g, r, PGRES_COMMAND_OK, "queueing messages")) == STORE_OK) {
            *inserted += strtol(PQcmdTuples(r), NULL, 10);
            PQclear(r);
        }
    }
    if (own && vals)
        e = e == STORE_OK ? pg_exec(g, "COMMIT", PGRES_COMMAND_OK, "committing queued messages")
                          : (pg_exec(g, "ROLLBACK", PGRES_COMMAND_OK, "rolling back"), e);
    ubuf_free(&sql);
    free(vals);
    return e;
}

static enum store_err pg_outbox_put(struct store *s, const struct store_outbox_msg *m, long n,
                                    int64_t now, long *inserted)
{
    char at[24];
    pg_num(at, now);
    enum store_err e;
    if (n > 1) {
        e = pg_outbox_put_many(pg_of(s), m, n, at, inserted);
    } else {
        const char *vals[] = {
            m->dedupe_key,          m->channel, m->recipient, m->subject ? m->subject : "",
            m->body ? m->body : "", at,         m->tpl,       m->tpl ? m->params : NULL};
        e = pg_command(pg_of(s), PG_OB_PUT, vals, inserted, "queueing a message");
    }
    if (e != STORE_OK)
        *inserted = 0;
    return e;
}

/* Hands each row of an outbox query (id, channel, recipient, subject, body, dedupe_key,
 * status, created_at, attempts, template, params) to fn until it returns non-zero. */
static void pg_outbox_rows(PGresult *r, store__outbox_fn fn, void *ctx)
{
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_outbox_msg m = {
            .id = cell_ll(r, i, 0),
            .channel = PQgetvalue(r, i, 1),
            .recipient = PQgetvalue(r, i, 2),
            .subject = PQgetvalue(r, i, 3),
            .body = PQgetvalue(r, i, 4),
            .dedupe_key = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5),
            .status = PQgetvalue(r, i, 6),
            .created_at = cell_ll(r, i, 7),
            .attempts = (int)cell_ll(r, i, 8),
            .tpl = PQgetisnull(r, i, 9) ? NULL : PQgetvalue(r, i, 9),
            .params = PQgetisnull(r, i, 10) ? NULL : PQgetvalue(r, i, 10),
        };
        if (fn(ctx, &m) != 0)
            break;
    }
}

static enum store_err pg_outbox_each(struct store *s, long limit, store__outbox_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char lim[24];
    pg_num(lim, limit);
    const char *vals[] = {lim};
    PGresult *r =
        pg_run(g, PG_OB_EACH, vals, NULL, NULL, PGRES_TUPLES_OK, "reading the outbox", &e);
    if (!r)
        return e;
    pg_outbox_rows(r, fn, ctx);
    PQclear(r);
    return STORE_OK;
}

/* Outside a transaction the UPDATE commits on its own before fn sees a row. */
static enum store_err pg_outbox_claim(struct store *s, const char *channel, int64_t now,
                                      int64_t lease_until, long max, store__outbox_fn fn, void *ctx,
                                      long *claimed)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char at[24], until[24], lim[24];
    pg_num(at, now);
    pg_num(until, lease_until);
    pg_num(lim, max);
    const char *vals[] = {channel, at, until, lim};
    PGresult *r =
        pg_run(g, PG_OB_CLAIM, vals, NULL, NULL, PGRES_TUPLES_OK, "claiming outbox messages", &e);
    if (!r)
        return e;
    *claimed = PQntuples(r);
    pg_outbox_rows(r, fn, ctx);
    PQclear(r);
    return STORE_OK;
}

/* Why an UPDATE of outbox message sid changed nothing: STORE_ECONFLICT (why) when the message
 * is there, STORE_ENOTFOUND when it is not. */
static enum store_err pg_outbox_missed(struct pg *g, const char *sid, const char *why)
{
    enum store_err e;
    const char *vals[] = {sid};
    PGresult *r = pg_run(g, PG_OB_EXISTS, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "looking up an outbox message", &e);
    if (!r)
        return e;
    long long exists = cell_ll(r, 0, 0);
    PQclear(r);
    return exists ? store__fail(&g->base, STORE_ECONFLICT, "%s", why)
                  : store__fail(&g->base, STORE_ENOTFOUND, "no such outbox message");
}

static enum store_err pg_outbox_resolve(struct store *s, int64_t id, bool retry, int64_t now)
{
    struct pg *g = pg_of(s);
    char sid[24], sat[24];
    pg_num(sid, id);
    pg_num(sat, now);
    const char *vals[] = {sid, sat};
    long n = 0;
    enum store_err e = pg_command(g, retry ? PG_OB_REQUEUE : PG_OB_CONFIRM, vals, &n,
                                  "changing an outbox message");
    if (e != STORE_OK || n > 0)
        return e;
    return pg_outbox_missed(g, sid, "the message is not waiting for the operator");
}

static enum store_err pg_outbox_mark(struct store *s, int64_t id, int attempt, const char *to,
                                     int64_t at, const char *error, size_t errlen)
{
    struct pg *g = pg_of(s);
    char sid[24], satt[24], sat[24], err[STORE__OB_ERR_MAX + 1] = "";
    pg_num(sid, id);
    pg_num(satt, attempt);
    pg_num(sat, at);
    if (error) {
        memcpy(err, error, errlen); /* errlen <= STORE__OB_ERR_MAX (store.c) */
        err[errlen] = '\0';
    }
    long n = 0;
    enum store_err e;
    if (!strcmp(to, "sent")) {
        const char *vals[] = {sid, satt, sat};
        e = pg_command(g, PG_OB_SENT, vals, &n, "marking an outbox message");
    } else if (!strcmp(to, "pending")) {
        const char *vals[] = {sid, satt, sat, err};
        e = pg_command(g, PG_OB_RETRY, vals, &n, "marking an outbox message");
    } else {
        const char *vals[] = {sid, satt, err};
        e = pg_command(g, PG_OB_FAILED, vals, &n, "marking an outbox message");
    }
    if (e != STORE_OK || n > 0)
        return e;
    return pg_outbox_missed(g, sid, "the outbox message is no longer held by this attempt");
}

/* ==== signing, staff and decisions (schema 3) ============================================== */

/* ---- signature evidence */

static enum store_err pg_signature_put(struct store *s, const struct store_signature *sig,
                                       const char *cms_sha256)
{
    char id[24], at[24];
    pg_num(id, sig->application_id);
    pg_num(at, sig->at);
    /* bytea as binary parameters: the bytes as they are, no escaping; a binary value must not
     * be a NULL pointer (that is SQL NULL), hence "" for an empty content */
    const bool has_ocsp = sig->ocsp && sig->ocsp_len;
    const char *vals[8] = {id,
                           at,
                           (const char *)sig->cms,
                           cms_sha256,
                           sig->content_len ? (const char *)sig->content : "",
                           sig->signer_fingerprint,
                           sig->validation,
                           has_ocsp ? (const char *)sig->ocsp : NULL};
    int lens[8] = {0};
    int fmts[8] = {0};
    lens[2] = (int)sig->cms_len;
    lens[4] = (int)sig->content_len;
    lens[7] = has_ocsp ? (int)sig->ocsp_len : 0;
    fmts[2] = fmts[4] = fmts[7] = 1;
    struct pg *g = pg_of(s);
    enum store_err e;
    PGresult *r =
        pg_run(g, PG_SIG_PUT, vals, lens, fmts, PGRES_COMMAND_OK, "storing a signature", &e);
    if (!r)
        return e;
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_signature_get(struct store *s, int64_t application_id,
                                       store__signature_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char id[24];
    pg_num(id, application_id);
    const char *vals[] = {id};
    unsigned char *cms = NULL, *content = NULL, *ocsp = NULL;
    PGresult *r =
        pg_run(g, PG_SIG_GET, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a signature", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "the application has no signature");
        goto out;
    }
    /* bytea comes back in text form (hex); PQunescapeBytea gives the bytes */
    struct store_signature sig = {.application_id = application_id,
                                  .at = cell_ll(r, 0, 0),
                                  .signer_fingerprint = PQgetvalue(r, 0, 3),
                                  .validation = PQgetvalue(r, 0, 4)};
    cms = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1), &sig.cms_len);
    content = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 2), &sig.content_len);
    if (!PQgetisnull(r, 0, 5))
        ocsp = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 5), &sig.ocsp_len);
    if (!cms || !content || (!PQgetisnull(r, 0, 5) && !ocsp)) {
        e = store__fail(s, STORE_ENOMEM, "decoding a signature");
        goto out;
    }
    sig.cms = cms;
    sig.content = content;
    sig.ocsp = ocsp;
    fn(ctx, &sig);
out:
    PQfreemem(cms);
    PQfreemem(content);
    PQfreemem(ocsp);
    PQclear(r);
    return e;
}

/* ---- staff accounts */

/* The text of a user's columns in the order of STORE__USER_COLS; nums holds the numbers. */
static void pg_user_params(const struct store_user *u, const char *vals[14], char nums[14][24])
{
    pg_num(nums[2], u->province);
    pg_num(nums[6], u->totp_last_step);
    pg_num(nums[7], u->failed_count);
    pg_num(nums[8], u->locked_until);
    pg_num(nums[9], u->last_login_at);
    pg_num(nums[11], u->created_at);
    pg_num(nums[12], u->updated_at);
    vals[0] = u->username;
    vals[1] = u->role;
    vals[2] = nums[2];
    vals[3] = u->password_hash;
    vals[4] = u->totp_secret;
    vals[5] = u->totp_enabled ? "t" : "f";
    vals[6] = nums[6];
    vals[7] = nums[7];
    vals[8] = nums[8];
    vals[9] = nums[9];
    vals[10] = u->disabled ? "t" : "f";
    vals[11] = nums[11];
    vals[12] = nums[12];
    vals[13] = u->email;
}

/* Reads row of a STORE__USER_COLS result; -1 when a text does not fit its field. */
static int pg_read_user(const PGresult *r, int row, struct store_user *u)
{
    memset(u, 0, sizeof *u);
    int bad = cell_text(r, row, 0, u->username, sizeof u->username) |
              cell_text(r, row, 1, u->role, sizeof u->role) |
              cell_text(r, row, 3, u->password_hash, sizeof u->password_hash) |
              cell_text(r, row, 4, u->totp_secret, sizeof u->totp_secret) |
              cell_text(r, row, 13, u->email, sizeof u->email);
    u->province = (int)cell_ll(r, row, 2);
    u->totp_enabled = PQgetvalue(r, row, 5)[0] == 't';
    u->totp_last_step = cell_ll(r, row, 6);
    u->failed_count = (int)cell_ll(r, row, 7);
    u->locked_until = cell_ll(r, row, 8);
    u->last_login_at = cell_ll(r, row, 9);
    u->disabled = PQgetvalue(r, row, 10)[0] == 't';
    u->created_at = cell_ll(r, row, 11);
    u->updated_at = cell_ll(r, row, 12);
    return bad;
}

static enum store_err pg_user_put(struct store *s, const struct store_user *u)
{
    const char *vals[14];
    char nums[14][24];
    pg_user_params(u, vals, nums);
    return pg_command(pg_of(s), PG_U_PUT, vals, NULL, "storing a user");
}

static enum store_err pg_user_get(struct store *s, const char *username, struct store_user *out)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    const char *vals[] = {username};
    PGresult *r = pg_run(g, s->in_tx ? PG_U_GET_LOCK : PG_U_GET, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "reading a user", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "no such user");
    } else {
        struct store_user u;
        if (pg_read_user(r, 0, &u) != 0)
            e = store__fail(s, STORE_EIO, "a stored user does not fit the record type");
        else
            *out = u;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_user_update(struct store *s, const struct store_user *u)
{
    const char *vals[14];
    char nums[14][24];
    pg_user_params(u, vals, nums);
    vals[11] = vals[12]; /* created_at is not written: updated_at and email move up */
    vals[12] = vals[13];
    long n = 0;
    enum store_err e = pg_command(pg_of(s), PG_U_UPDATE, vals, &n, "updating a user");
    if (e == STORE_OK && n == 0)
        e = store__fail(s, STORE_ENOTFOUND, "no such user");
    return e;
}

static enum store_err pg_user_each(struct store *s, store__user_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    PGresult *r = pg_run(g, PG_U_EACH, NULL, NULL, NULL, PGRES_TUPLES_OK, "reading the users", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_user u;
        if (pg_read_user(r, i, &u) != 0) {
            e = store__fail(s, STORE_EIO, "a stored user does not fit the record type");
            break;
        }
        if (fn(ctx, &u) != 0)
            break;
    }
    PQclear(r);
    return e;
}

/* ---- the approvers' queue */

/* Hands each row of r — an application's columns followed by its holder's personnel columns,
 * NULL when there is no record — to fn until it returns non-zero; clears r. */
static enum store_err pg_app_rows(struct store *s, PGresult *r, store__app_list_fn fn, void *ctx)
{
    const int pcol = 1 + (int)store__app_ncols; /* the personnel columns follow the application's */
    enum store_err e = STORE_OK;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_application a;
        struct core_personnel p;
        bool has_p = !PQgetisnull(r, i, pcol);
        if (pg_read_app(r, i, &a) != 0 || (has_p && pg_read_personnel(r, i, pcol, &p) != 0)) {
            e = store__fail(s, STORE_EIO, "a stored application does not fit the record type");
            break;
        }
        if (fn(ctx, &a, has_p ? &p : NULL) != 0)
            break;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_app_list(struct store *s, const struct store_app_filter *f,
                                  store__app_list_fn fn, void *ctx, long *total)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char prov[24], late[24], before[24], lim[24], off[24];
    pg_num(prov, f->province);
    pg_num(late, f->late);
    pg_num(before, f->updated_before);
    pg_num(lim, f->limit);
    pg_num(off, f->offset);
    /* a NULL limit is none */
    const char *vals[8] = {prov, f->state, f->institution,        f->district,
                           late, before,   f->limit ? lim : NULL, off};
    PGresult *r =
        pg_run(g, PG_APP_COUNT, vals, NULL, NULL, PGRES_TUPLES_OK, "counting applications", &e);
    if (!r)
        return e;
    *total = (long)cell_ll(r, 0, 0);
    PQclear(r);
    if (!(r = pg_run(g, PG_APP_LIST, vals, NULL, NULL, PGRES_TUPLES_OK, "listing applications",
                     &e)))
        return e;
    return pg_app_rows(s, r, fn, ctx);
}

static enum store_err pg_app_state_counts(struct store *s, int province, store__count_fn fn,
                                          void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    char prov[24];
    pg_num(prov, province);
    const char *vals[] = {prov};
    PGresult *r =
        pg_run(g, PG_APP_STATES, vals, NULL, NULL, PGRES_TUPLES_OK, "counting applications", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, PQgetvalue(r, i, 0), (long)cell_ll(r, i, 1)) != 0)
            break;
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_expiring_unapplied(struct store *s, int province, int64_t from, int64_t to,
                                            store__expiring_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char prov[24], f[24], t[24];
    pg_num(prov, province);
    pg_num(f, from);
    pg_num(t, to);
    const char *vals[] = {prov, f, t};
    PGresult *r = pg_run(g, PG_EXPIRING, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "listing expiring certificates", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        struct core_certificate c;
        struct core_personnel p;
        if (pg_read_cert(r, i, 0, &c) != 0 || pg_read_personnel(r, i, 10, &p) != 0) {
            e = store__fail(s, STORE_EIO,
                            "a stored certificate or personnel record does not fit the record "
                            "type");
            break;
        }
        if (fn(ctx, &p, &c) != 0)
            break;
    }
    PQclear(r);
    return e;
}

/* ---- decisions */

static enum store_err pg_decision_put(struct store *s, const struct store_decision *d)
{
    char id[24], at[24];
    pg_num(id, d->application_id);
    pg_num(at, d->at);
    const char *vals[] = {id, at, d->decision, d->reason, d->staff, d->personnel, d->verdict};
    return pg_command(pg_of(s), PG_D_PUT, vals, NULL, "storing a decision");
}

static enum store_err pg_decision_get(struct store *s, int64_t application_id,
                                      store__decision_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char id[24];
    pg_num(id, application_id);
    const char *vals[] = {id};
    PGresult *r = pg_run(g, PG_D_GET, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a decision", &e);
    if (!r)
        return e;
    if (PQntuples(r) == 0) {
        e = store__fail(s, STORE_ENOTFOUND, "the application has no decision");
    } else {
        struct store_decision d = {
            .application_id = cell_ll(r, 0, 0),
            .at = cell_ll(r, 0, 1),
            .decision = PQgetvalue(r, 0, 2),
            .reason = PQgetvalue(r, 0, 3),
            .staff = PQgetvalue(r, 0, 4),
            .personnel = PQgetvalue(r, 0, 5),
            .verdict = PQgetvalue(r, 0, 6),
        };
        fn(ctx, &d);
    }
    PQclear(r);
    return e;
}

/* ---- renewals by signature alone */

static enum store_err pg_remote_chain_get(struct store *s, const char *tckn, int *count)
{
    struct pg *g = pg_of(s);
    enum store_err e;
    const char *vals[] = {tckn};
    PGresult *r =
        pg_run(g, PG_RC_GET, vals, NULL, NULL, PGRES_TUPLES_OK, "reading a renewal chain", &e);
    if (!r)
        return e;
    *count = PQntuples(r) ? (int)cell_ll(r, 0, 0) : 0;
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_remote_chain_set(struct store *s, const char *tckn, int count, int64_t now)
{
    char c[24], at[24];
    pg_num(c, count);
    pg_num(at, now);
    const char *vals[] = {tckn, c, at};
    return pg_command(pg_of(s), PG_RC_SET, vals, NULL, "storing a renewal chain");
}

/* ==== expiry warnings (schema 4) ============================================================ */

static enum store_err pg_warn_keys(struct store *s, int64_t from, int64_t to, int days,
                                   int64_t after_not_after, int64_t after_id, long limit,
                                   int64_t (*keys)[2], long *n)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char f[24], t[24], d[24], ana[24], aid[24], lim[24];
    pg_num(f, from);
    pg_num(t, to);
    pg_num(d, days);
    pg_num(ana, after_not_after);
    pg_num(aid, after_id);
    pg_num(lim, limit);
    const char *vals[] = {f, t, d, ana, aid, lim};
    PGresult *r = pg_run(g, PG_WARN_KEYS, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "listing certificates due for a warning", &e);
    if (!r)
        return e;
    *n = 0;
    for (int i = 0; i < PQntuples(r) && *n < limit; i++) {
        keys[*n][0] = cell_ll(r, i, 0);
        keys[*n][1] = cell_ll(r, i, 1);
        (*n)++;
    }
    PQclear(r);
    return STORE_OK;
}

static enum store_err pg_warn_due(struct store *s, int64_t from, int64_t to, int days,
                                  int64_t after_not_after, int64_t after_id, int64_t end_not_after,
                                  int64_t end_id, store__warn_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char f[24], t[24], d[24], ana[24], aid[24], ena[24], eid[24];
    pg_num(f, from);
    pg_num(t, to);
    pg_num(d, days);
    pg_num(ana, after_not_after);
    pg_num(aid, after_id);
    pg_num(ena, end_not_after);
    pg_num(eid, end_id);
    const char *vals[] = {f, t, d, ana, aid, ena, eid};
    PGresult *r = pg_run(g, PG_WARN_DUE, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "listing certificates due for a warning", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        struct core_certificate c;
        struct core_personnel p;
        if (pg_read_cert(r, i, 2, &c) != 0 || pg_read_personnel(r, i, 12, &p) != 0) {
            e = store__fail(s, STORE_EIO,
                            "a stored certificate or personnel record does not fit the record "
                            "type");
            break;
        }
        const struct store_warn_row w = {
            .cert_id = cell_ll(r, i, 0),
            .warned_days = (int)cell_ll(r, i, 1),
            .c = &c,
            .p = &p,
        };
        if (fn(ctx, &w) != 0)
            break;
    }
    PQclear(r);
    return e;
}

static enum store_err pg_warn_mark(struct store *s, const char *ids, int days, int64_t now,
                                   void (*fn)(void *ctx, int64_t id), void *ctx)
{
    struct pg *g = pg_of(s);
    char d[24], at[24];
    pg_num(d, days);
    pg_num(at, now);
    const char *vals[] = {ids, d, at};
    enum store_err e;
    PGresult *r =
        pg_run(g, PG_WARN_MARK, vals, NULL, NULL, PGRES_TUPLES_OK, "recording warnings", &e);
    if (r) {
        for (int i = 0; i < PQntuples(r); i++)
            fn(ctx, cell_ll(r, i, 0));
        PQclear(r);
        return STORE_OK;
    }
    /* pg_run cleared the result; the SQLSTATE is in the recorded error text */
    if (strstr(store_last_error(s), "SQLSTATE 23503"))
        return store__fail(s, STORE_ENOTFOUND, "no such certificate");
    return e;
}

static enum store_err pg_remind_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                    store__app_list_fn fn, void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char b[24], aid[24], lim[24];
    pg_num(b, before);
    pg_num(aid, after_id);
    pg_num(lim, limit);
    const char *vals[] = {b, aid, lim};
    PGresult *r = pg_run(g, PG_REMIND_DUE, vals, NULL, NULL, PGRES_TUPLES_OK,
                         "listing applications due for a reminder", &e);
    if (!r)
        return e;
    return pg_app_rows(s, r, fn, ctx);
}

static enum store_err pg_remind_mark(struct store *s, int64_t application_id, const char *state,
                                     int64_t now, bool *inserted)
{
    char id[24], at[24];
    pg_num(id, application_id);
    pg_num(at, now);
    const char *vals[] = {id, state, at};
    long n = 0;
    enum store_err e = pg_command(pg_of(s), PG_REMIND_MARK, vals, &n, "recording a reminder");
    if (e == STORE_OK)
        *inserted = n > 0;
    return e;
}

static enum store_err pg_outbox_handover(struct store *s, int64_t id, int attempt, int64_t now)
{
    struct pg *g = pg_of(s);
    char sid[24], satt[24], sat[24];
    pg_num(sid, id);
    pg_num(satt, attempt);
    pg_num(sat, now);
    const char *vals[] = {sid, satt, sat};
    long n = 0;
    enum store_err e =
        pg_command(g, PG_OB_HANDOVER, vals, &n, "marking an outbox message handed over");
    if (e != STORE_OK || n > 0)
        return e;
    return pg_outbox_missed(g, sid, "the outbox message is no longer held by this attempt");
}

static enum store_err pg_outbox_problems(struct store *s, int64_t now, store__problem_fn fn,
                                         void *ctx)
{
    struct pg *g = pg_of(s);
    enum store_err e = STORE_OK;
    char n[24];
    pg_num(n, now);
    const char *vals[] = {n};
    PGresult *r =
        pg_run(g, PG_OB_PROBLEMS, vals, NULL, NULL, PGRES_TUPLES_OK, "listing failed messages", &e);
    if (!r)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        const struct store_outbox_problem m = {
            .id = cell_ll(r, i, 0),
            .channel = PQgetvalue(r, i, 1),
            .recipient = PQgetvalue(r, i, 2),
            .subject = PQgetvalue(r, i, 3),
            .dedupe_key = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4),
            .status = PQgetvalue(r, i, 5),
            .last_error = PQgetvalue(r, i, 6),
            .attempts = (int)cell_ll(r, i, 7),
            .created_at = cell_ll(r, i, 8),
            .handed_over_at = cell_ll(r, i, 9),
            .tpl = PQgetisnull(r, i, 10) ? NULL : PQgetvalue(r, i, 10),
            .params = PQgetisnull(r, i, 11) ? NULL : PQgetvalue(r, i, 11),
        };
        if (fn(ctx, &m) != 0)
            break;
    }
    PQclear(r);
    return e;
}

static const struct store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .ping = pg_ping,
    .latest_version = pg_latest_version,
    .schema_version = pg_schema_version,
    .migrate = pg_migrate,
    .import_begin = pg_import_begin,
    .import_row = pg_import_row,
    .import_commit = pg_import_commit,
    .import_abort = pg_import_abort,
    .personnel_get = pg_personnel_get,
    .personnel_count = pg_personnel_count,
    .certificate_put = pg_certificate_put,
    .certificate_revoke = pg_certificate_revoke,
    .certificate_current = pg_certificate_current,
    .certificate_count = pg_certificate_count,
    .audit_append = pg_audit_append,
    .audit_each = pg_audit_each,
    .tx_begin = pg_tx_begin,
    .tx_commit = pg_tx_commit,
    .tx_rollback = pg_tx_rollback,
    .captcha_put = pg_captcha_put,
    .captcha_get = pg_captcha_get,
    .captcha_purge = pg_captcha_purge,
    .session_put = pg_session_put,
    .session_get = pg_session_get,
    .session_set = pg_session_set,
    .session_purge = pg_session_purge,
    .rate_hit = pg_rate_hit,
    .rate_purge = pg_rate_purge,
    .app_create = pg_app_create,
    .app_get = pg_app_get,
    .app_by_number = pg_app_by_number,
    .app_update = pg_app_update,
    .app_events = pg_app_events,
    .otp_get = pg_otp_get,
    .otp_put = pg_otp_put,
    .outbox_put = pg_outbox_put,
    .outbox_each = pg_outbox_each,
    .outbox_claim = pg_outbox_claim,
    .outbox_mark = pg_outbox_mark,
    .signature_put = pg_signature_put,
    .signature_get = pg_signature_get,
    .user_put = pg_user_put,
    .user_get = pg_user_get,
    .user_update = pg_user_update,
    .user_each = pg_user_each,
    .app_list = pg_app_list,
    .app_state_counts = pg_app_state_counts,
    .expiring_unapplied = pg_expiring_unapplied,
    .decision_put = pg_decision_put,
    .decision_get = pg_decision_get,
    .remote_chain_get = pg_remote_chain_get,
    .remote_chain_set = pg_remote_chain_set,
    .warn_keys = pg_warn_keys,
    .warn_due = pg_warn_due,
    .warn_mark = pg_warn_mark,
    .remind_due = pg_remind_due,
    .remind_mark = pg_remind_mark,
    .outbox_handover = pg_outbox_handover,
    .outbox_resolve = pg_outbox_resolve,
    .outbox_problems = pg_outbox_problems,
};

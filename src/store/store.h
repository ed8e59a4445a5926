/* eimza — storage: one interface, two databases (a driver each: store_sqlite.c, store_pg.c).
 *
 * A `struct store` is one connection, used by one thread at a time (the server keeps one per
 * worker). Every function returns STORE_OK or an error; store_last_error() gives the detail of
 * the last failure for logs (it never contains personal data). Nothing is half-written: each
 * call is one transaction unless it says otherwise.
 *
 * URLs: "sqlite:PATH" or a bare PATH (SQLite; WAL, foreign keys, busy timeout), and
 * "postgresql://..." / "postgres://..." (libpq connection URI).
 *
 * Callbacks: a function that hands rows to fn(ctx, ...) calls it once per row; fn returns 0 to
 * go on, anything else to stop (the call still returns STORE_OK). What fn is given (records,
 * strings, bytes) lives during its call only, and fn must not use the connection.
 */
#ifndef EIMZA_STORE_STORE_H
#define EIMZA_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certificate.h"
#include "core/date.h"
#include "core/personnel.h"

struct store;

enum store_err {
    STORE_OK = 0,
    STORE_ENOTFOUND, /* no such row */
    STORE_ECONFLICT, /* a constraint or a concurrent change refused the write (HTTP 409) */
    STORE_EINVAL,    /* bad argument or URL */
    STORE_EVERSION,  /* schema (or SQLite file) missing, or older than this binary: run `eimza
                      * migrate`; or newer */
    STORE_EIO,       /* the database failed (HTTP 500) */
    STORE_ENOMEM,
};
const char *store_strerror(enum store_err e);

/* Opens a connection to an existing database. On failure *out is NULL and err (if given) says
 * why, without secrets (a password in the URL is never echoed). SQLite: it makes nothing — a
 * missing database file is STORE_EVERSION (no schema: `eimza migrate` makes one), a missing
 * directory STORE_EIO naming it, so a mistyped --db never quietly starts a database elsewhere
 * and a file deleted under a running server is not made again, empty, by its next
 * connection; and the connection must run in WAL mode (a database that stays in another
 * journal mode, e.g. through a URI's nolock=1, or is read-only, fails: STORE_EIO). */
enum store_err store_open(const char *url, struct store **out, char *err, size_t errlen);
/* Like store_open, for the commands that create a database (`eimza migrate`, `eimza restore`
 * into a new file, the tests' fixtures): a missing SQLite database file is made, and a
 * missing directory first (with its parents, mode 0750: the database holds personal data).
 * PostgreSQL: the same as store_open (the database must exist). */
enum store_err store_open_create(const char *url, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
/* Whether url is one store_open takes (its scheme, a SQLite path, a PostgreSQL URL libpq can
 * parse), without connecting or touching a file. STORE_OK, or STORE_EINVAL with the reason in
 * err (never a password). */
enum store_err store_url_check(const char *url, char *err, size_t errlen);
/* The same check, and *path: a SQLite URL's file path as store_open opens it (borrowed from
 * url; a "file:" URI as it is), NULL for a PostgreSQL URL. For what a command keeps beside
 * the database file (cli/cli_dbstamp.h). */
enum store_err store_sqlite_path(const char *url, const char **path, char *err, size_t errlen);
/* The file on the file system that a SQLite URL names, into file (cap bytes): the path, or a
 * "file:" URI's path without its authority, query and fragment and with its %HH decoded. 1 when
 * set; 0 when the URL names no file (PostgreSQL, ":memory:", a URL store_open refuses); -1 when
 * it does not fit. */
int store_sqlite_file(const char *url, char *file, size_t cap);
const char *store_backend(const struct store *s); /* "sqlite" or "postgresql" */
const char *store_last_error(const struct store *s);
/* Whether the database can really be read through this connection: STORE_OK, or STORE_EIO
 * with the reason in store_last_error. PostgreSQL: SELECT 1. SQLite, whose connection answers
 * from its cache, or from a file deleted under it, long after the file is damaged: the file at
 * the path is still the one opened, not shorter than the connection saw it, its header (read
 * from the file itself) a SQLite database's in WAL mode, and the database has a schema. A few
 * system calls, whatever the database's size (for /healthz; store_sqlite.c, sq_ping). */
enum store_err store_ping(struct store *s);
/* What a connection has run so far, for tests, benchmarks and /metrics: statements (each one
 * sent to the database, a transaction's BEGIN and COMMIT not counted), transactions begun
 * explicitly (a statement outside any is a transaction of its own), and round trips: the times
 * the connection waited for the database server's answer (PostgreSQL: every statement, BEGIN,
 * COMMIT, ROLLBACK and PREPARE; SQLite runs in the process and has none). */
struct store_counters {
    long statements;
    long transactions;
    long round_trips;
    /* failures that said the database itself is damaged (SQLite: SQLITE_CORRUPT or
     * SQLITE_NOTADB; PostgreSQL: SQLSTATE XX001 data_corrupted or XX002 index_corrupted): not
     * a passing outage but a database to restore from a backup */
    long damaged;
};
void store_counters(const struct store *s, struct store_counters *out);

/* Brings the schema to the newest version this binary knows, one transaction per migration.
 * *from / *to (may be NULL) get the versions before and after; to - from is the number of
 * migrations this call applied (when several processes migrate at once, each step is applied
 * by one of them, and from counts back from what this one did). A database newer than the
 * binary is STORE_EVERSION. Safe to run concurrently from several processes. */
enum store_err store_migrate(struct store *s, int *from, int *to);
/* The current schema version (0 for an empty database) and the newest this binary knows. */
enum store_err store_schema_version(struct store *s, int *current, int *latest);

/* ---- personnel ----------------------------------------------------------------------------
 * A bulk import is one transaction: begin, any number of rows, then commit (or abort). Rows
 * are upserted by tckn: a re-import updates changed records. Rows are already validated
 * (core_personnel_set). During an import the connection is used for nothing else. */
/* The counts are per row given, as if the rows were applied one after the other: a row is
 * inserted when its tckn was not stored yet, updated when it changed the stored record (for a
 * tckn repeated in the same import, the record its previous row left), unchanged otherwise;
 * the three add up to the rows given. A tckn repeated in one import: the last row wins.
 * Inserted and changed records get updated_at = the time the import began. */
struct store_import_stats {
    long inserted; /* new tckn */
    long updated;  /* existing tckn whose data changed */
    long unchanged;
};
enum store_err store_personnel_import_begin(struct store *s);
enum store_err store_personnel_import_row(struct store *s, const struct core_personnel *p);
enum store_err store_personnel_import_commit(struct store *s, struct store_import_stats *st);
void store_personnel_import_abort(struct store *s);

enum store_err store_personnel_get(struct store *s, const char *tckn, struct core_personnel *out);
enum store_err store_personnel_count(struct store *s, long *n);

/* ---- certificates -------------------------------------------------------------------------
 * Certificates are keyed by fingerprint: putting the same one twice changes nothing
 * (*inserted false). der is kept so evidence can be re-verified later. With inserted NULL the
 * outcome is not waited for inside a transaction: a failure may come from the transaction's
 * next call or its commit (store__send). */
enum store_err store_certificate_put(struct store *s, const struct core_certificate *c,
                                     const unsigned char *der, size_t derlen, bool *inserted);
/* Marks the certificate (issuer DN, serial hex) revoked at revoked_at (> 0) unless it already
 * is; *changed tells whether a row changed. STORE_ENOTFOUND when no such certificate is known. */
enum store_err store_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                        int64_t revoked_at, bool *changed);
/* The holder's current certificate: the one issued last (greatest not_before, then
 * not_after), revoked or not. STORE_ENOTFOUND when the holder has none. */
enum store_err store_certificate_current(struct store *s, const char *tckn,
                                         struct core_certificate *out);
enum store_err store_certificate_count(struct store *s, long *n);

/* ---- audit log ----------------------------------------------------------------------------
 * Append-only; each entry's hash covers its fields and the previous entry's hash (SHA-256,
 * hex), so a changed, removed or reordered entry breaks the chain. No personal data in full:
 * callers mask T.C. Kimlik No etc. before. */
struct store_audit_entry {
    int64_t at;         /* Unix seconds, UTC */
    const char *actor;  /* "cli", "applicant:100******46", "staff:ayse" ... */
    const char *action; /* "personnel.import", "application.submit" ... */
    const char *object; /* what it concerns, e.g. a file name or an application number */
    const char *detail; /* JSON text with the rest (counts, reasons) */
};
enum store_err store_audit_append(struct store *s, const struct store_audit_entry *e);

/* An entry as stored. seq counts 1, 2, 3 ... without gaps; the first entry's prev_hash is
 * STORE_AUDIT_GENESIS and every other's is the hash of the entry before it. actor and action
 * are required; a NULL object is stored (and hashed) as "", a NULL detail as "{}". */
#define STORE_AUDIT_HASH_LEN 64
#define STORE_AUDIT_GENESIS  "0000000000000000000000000000000000000000000000000000000000000000"
struct store_audit_record {
    int64_t seq;
    struct store_audit_entry e;
    const char *prev_hash;
    const char *hash;
    int64_t redacted_by; /* 0: as written; else anonymised (below), by that entry */
};
/* Calls fn(ctx, r) for every entry with seq > after_seq, in seq order (for `eimza audit
 * verify`). */
enum store_err store_audit_each(struct store *s, int64_t after_seq,
                                int (*fn)(void *ctx, const struct store_audit_record *r),
                                void *ctx);

/* The audit log as the admins' page reads it (issue 17; store_search.c): newest first, entries
 * matching every filter given (NULL or 0: any): the actor exactly, the action starting with
 * action_prefix, the object exactly, at in [from, to), and seq < before (0: from the newest);
 * at most limit (1..500). */
struct store_audit_filter {
    const char *actor, *action_prefix, *object;
    int64_t from, to, before;
    long limit;
};
enum store_err store_audit_newest(struct store *s, const struct store_audit_filter *f,
                                  int (*fn)(void *ctx, const struct store_audit_record *r),
                                  void *ctx);

/* The hash store_audit_append gives an entry: SHA-256, lower-case hex, of this serialisation
 * (version 1), where each field is written as NAME "=" LENGTH ":" BYTES "\n" with LENGTH the
 * decimal byte count of BYTES, and numbers as decimal ASCII ("-" for negatives):
 *
 *     "eimza-audit-v1\n" seq prev at actor action object detail
 *
 * e.g. "seq=1:7\n" ... "actor=3:cli\n"; a NULL string is written as "". The lengths make it
 * unambiguous whatever bytes the fields hold. Returns 0, or -1 when out of memory. */
int store_audit_hash(int64_t seq, const char *prev_hash, const struct store_audit_entry *e,
                     char out[STORE_AUDIT_HASH_LEN + 1]);

/* Anonymised entries (the retention of personal data, store_retention_*): an entry that names
 * an applicant is, once its time has passed, rewritten as its role ("applicant:100******46"
 * becomes "applicant"; other actors stay), an empty object and "{}", and keeps its seq, at,
 * action, prev_hash and hash; redacted_by is then the seq of the entry appended in the same
 * transaction, action "audit.anonymised", detail exactly {"entries":N,"digest":"D"}, that
 * vouches for the N entries naming it. Its own hash covers D, the last of D_0 = "" and
 * D_i = SHA-256 hex of (D_(i-1) followed by L_i), with L_i = store_audit_hash(seq, hash, e) of
 * its i-th entry in seq order as stored now (its original hash in place of prev). So an
 * anonymised entry can no longer be hashed, but anything changed in it, or an entry blanked
 * without such an entry, still breaks the chain (app/audit.c). An entry is anonymised only
 * when its content still gives its hash: anonymising never hides a change. */
#define STORE_AUDIT_ANONYMISED "audit.anonymised"
/* D := the next digest after D, for r (its stored fields). Returns 0, or -1 (out of memory). */
int store_audit_digest_add(char d[STORE_AUDIT_HASH_LEN + 1], const struct store_audit_record *r);

/* ==== the applicant portal (schema version 2) ===============================================
 * Captchas, sessions, rate-limit counters, applications with their timeline and SMS code
 * state, and the outbox. Times are Unix seconds (UTC) given by the caller: the store never
 * reads the clock for these, so the rules above it can be tested with any "now". */

/* ---- transactions -------------------------------------------------------------------------
 * A use case that writes several tables brackets its calls with store_tx_begin and
 * store_tx_commit (or store_tx_rollback): every call in between joins that one transaction
 * instead of committing on its own, so a failure half-way leaves nothing half-written. After
 * an error inside a transaction the caller must roll back (PostgreSQL refuses anything else
 * in a failed transaction). The SQLite backend takes the write lock at begin (BEGIN
 * IMMEDIATE), so read-modify-write use cases serialise; on PostgreSQL, reads that say so lock
 * the row they read (SELECT ... FOR UPDATE) when called inside a transaction. A transaction
 * cannot be nested, nor opened during a personnel import. */
enum store_err store_tx_begin(struct store *s);
enum store_err store_tx_commit(struct store *s); /* ends the transaction whatever it returns */
void store_tx_rollback(struct store *s);         /* no-op outside a transaction */
bool store_in_tx(const struct store *s);

/* A read snapshot for a use case that only reads (the status page reads the session, the
 * application and its timeline): the reads between store_read_begin and store_read_end see one
 * state of the database, and SQLite takes its read lock once instead of once per statement.
 * Nothing may be written in between (on SQLite a write would have to upgrade the lock and can
 * fail under a concurrent writer); a snapshot is not opened inside a transaction or another
 * snapshot (STORE_EINVAL). store_read_end never fails and is a no-op without a snapshot. On
 * PostgreSQL every statement already sees a consistent state: the pair costs no round trip. */
enum store_err store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* ---- change generations ------------------------------------------------------------------
 * Process-wide counters for in-process caches (the status page's): every write through any
 * connection of this process to a session (put, touch, bind, delete) or to an application
 * (create, update, which also write its timeline) moves the counter of that key on, and, for
 * a write inside a transaction, once more when the transaction ends. A cache takes the
 * counters before it reads and keeps what it read only while they are unchanged. Writes by
 * other processes are not seen: a cache bounds those by its time to live. Keys share counters
 * (striped), so a change may invalidate a few other keys too, never fewer. */
uint64_t store_gen_session(const char *token_hash);
uint64_t store_gen_app(int64_t id);
uint64_t store_gen_apps(void); /* moved by every application write */

/* ---- captchas ----------------------------------------------------------------------------- */
#define STORE_CAPTCHA_ID_MAX     64 /* bytes incl. NUL */
#define STORE_CAPTCHA_ANSWER_MAX 16
struct store_captcha {
    char id[STORE_CAPTCHA_ID_MAX];
    char answer[STORE_CAPTCHA_ANSWER_MAX];
    int64_t expires_at;
    bool used;
};
/* A new captcha (STORE_ECONFLICT when the id exists). */
enum store_err store_captcha_put(struct store *s, const struct store_captcha *c);
/* Reads a captcha without using it up (to draw its image). STORE_ENOTFOUND when unknown. */
enum store_err store_captcha_get(struct store *s, const char *id, struct store_captcha *out);
/* Uses a captcha up, atomically: of any number of concurrent takes of one id exactly one gets
 * STORE_OK (with the row as it was, used false), the others STORE_ENOTFOUND, as for an unknown
 * or already used id. Expiry is the caller's to check (out->expires_at). */
enum store_err store_captcha_take(struct store *s, const char *id, struct store_captcha *out);
/* Deletes captchas that expired before `before`; *n (may be NULL) gets how many. */
enum store_err store_captcha_purge(struct store *s, int64_t before, long *n);

/* ---- sessions ----------------------------------------------------------------------------- */
#define STORE_HASH_HEX    64 /* SHA-256, lower-case hex */
#define STORE_SUBJECT_MAX 64
#define STORE_TOKEN_MAX   64 /* a CSRF token, base64url */
struct store_session {
    char token_hash[STORE_HASH_HEX + 1]; /* SHA-256 of the session token: never the token */
    char kind[16];                       /* "applicant" | "staff" */
    char subject[STORE_SUBJECT_MAX];     /* T.C. Kimlik No (applicant) or user name (staff) */
    char csrf[STORE_TOKEN_MAX];
    int64_t created_at, last_seen, expires_at; /* expires_at: the absolute end */
    int64_t application_id;                    /* 0: none bound yet */
};
enum store_err store_session_put(struct store *s, const struct store_session *ss);
enum store_err store_session_get(struct store *s, const char *token_hash,
                                 struct store_session *out);
/* Moves last_seen forward (never back). STORE_ENOTFOUND when the session is gone. */
enum store_err store_session_touch(struct store *s, const char *token_hash, int64_t last_seen);
enum store_err store_session_bind(struct store *s, const char *token_hash, int64_t application_id);
/* Deleting a session that does not exist is not an error. */
enum store_err store_session_delete(struct store *s, const char *token_hash);
/* Deletes sessions whose expires_at or whose last_seen + idle is before `now`. */
enum store_err store_session_purge(struct store *s, int64_t now, int64_t idle, long *n);

/* ---- rate limits -------------------------------------------------------------------------
 * Fixed windows: (key, window_start) -> count. Keys never hold personal data in clear (the
 * caller hashes a T.C. Kimlik No into the key). */
#define STORE_RATE_KEY_MAX 128
/* Adds one, atomically also across processes sharing a PostgreSQL, and gives the new count. */
enum store_err store_rate_hit(struct store *s, const char *key, int64_t window_start, long *count);
/* The count without changing it (0 when there is no row). */
enum store_err store_rate_get(struct store *s, const char *key, int64_t window_start, long *count);
/* Deletes windows that started before `before`. */
enum store_err store_rate_purge(struct store *s, int64_t before, long *n);

/* ---- applications ------------------------------------------------------------------------- */
#define STORE_APP_NUMBER_LEN    10  /* Crockford base32 */
#define STORE_PWHASH_MAX        128 /* libsodium crypto_pwhash_STRBYTES */
#define STORE_ADDRESS_MAX       512
#define STORE_READER_MAX        64
#define STORE_CLOSED_REASON_MAX 512
struct store_application {
    int64_t id; /* given by store_app_create */
    char number[STORE_APP_NUMBER_LEN + 1];
    char tckn[CORE_TCKN_LEN + 1];
    char state[24]; /* core_app_state_code() */
    bool confirmed;
    int64_t confirmed_at;
    /* read-only: from the personnel record when the draft was made */
    char first_name[CORE_NAME_MAX];
    char last_name[CORE_NAME_MAX];
    char birth_place[CORE_NAME_MAX];
    char birth_date[CORE_DATE_STRLEN + 1]; /* YYYY-MM-DD, "" when unknown */
    char institution_name[CORE_TEXT_MAX];
    char registry_no[CORE_CODE_MAX];
    /* the form */
    char reason[16]; /* renewal | lost_stolen | other */
    char card_reader[STORE_READER_MAX];
    int validity_years;
    char security_word_hash[STORE_PWHASH_MAX]; /* "" until set */
    char unit[CORE_TEXT_MAX];
    char title[CORE_NAME_MAX];
    char address[STORE_ADDRESS_MAX];
    int province; /* 0: not given */
    char district[CORE_NAME_MAX];
    char postal_code[8];
    char email[CORE_EMAIL_MAX];
    char work_phone[CORE_PHONE_LEN + 1];
    char work_phone_ext[8];
    char mobile_phone[CORE_PHONE_LEN + 1];
    char mobile_operator[16];
    char home_phone[CORE_PHONE_LEN + 1];
    char notify_by[8]; /* email | sms | both */
    char method[8];    /* "" | esign | wet */
    bool late;
    int64_t cert_not_after; /* 0: no certificate */
    int64_t created_at, updated_at;
    /* after the decision (schema version 7) */
    int64_t approved_at;                         /* 0: never approved */
    char closed_reason[STORE_CLOSED_REASON_MAX]; /* why it was cancelled; "" otherwise */
    int64_t batch_id;                            /* the card bureau's batch; 0: none */
    int64_t new_cert_id;                         /* the certificate that completed it; 0: none */
};
/* One row of the timeline. from is "" for the creation. */
struct store_app_event {
    int64_t at;
    const char *from, *to, *event, *actor;
};
/* Inserts a with its first timeline row ev (both or neither); a->id gets the new id.
 * STORE_ECONFLICT when the number is taken or the person already has an application that is
 * still going (not rejected, completed or cancelled). */
enum store_err store_app_create(struct store *s, struct store_application *a,
                                const struct store_app_event *ev);
enum store_err store_app_get(struct store *s, int64_t id, struct store_application *out);
/* The application with this number (STORE_APP_NUMBER_LEN characters). STORE_ENOTFOUND when
 * none. */
enum store_err store_app_by_number(struct store *s, const char *number,
                                   struct store_application *out);
/* The person's newest application (by creation). Inside a transaction the row is locked on
 * PostgreSQL. */
enum store_err store_app_latest(struct store *s, const char *tckn, struct store_application *out);
/* What deciding on a signature needs, in one read: the application the portal shows person
 * tckn whose session is bound to bound_id (0: none) — the bound one while it is theirs, else
 * their newest (STORE_ENOTFOUND when they have none) — their current certificate (*has_cert
 * false when none is known; as store_certificate_current) and their chain of signature-only
 * renewals (as store_remote_chain_get). */
enum store_err store_sign_read(struct store *s, const char *tckn, int64_t bound_id,
                               struct store_application *app, bool *has_cert,
                               struct core_certificate *cert, int *chain);
/* Writes every field of a but id, number, tckn, created_at, when the stored state is still
 * expected_state (STORE_ECONFLICT otherwise: someone changed it meanwhile; STORE_ENOTFOUND
 * when there is no such application), and appends ev (may be NULL) to the timeline in the
 * same transaction. */
enum store_err store_app_update(struct store *s, const struct store_application *a,
                                const char *expected_state, const struct store_app_event *ev);
/* Calls fn for each timeline row of the application, oldest first; the strings live during
 * the call only. fn returns 0 to go on. */
enum store_err store_app_events(struct store *s, int64_t application_id,
                                int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx);

/* ---- SMS codes ---------------------------------------------------------------------------- */
struct store_otp {
    int64_t application_id;
    char code_hash[STORE_HASH_HEX + 1]; /* "" when no code is valid */
    char salt[33];                      /* hex */
    int seq;
    int64_t sent_at, expires_at;
    int64_t send_window_start;
    int sends_in_window;
    int64_t wrong_window_start;
    int wrong_count;
};
/* The application's code state; a zeroed record (application_id set) when it has none yet.
 * Inside a transaction the row is locked on PostgreSQL. */
enum store_err store_otp_get(struct store *s, int64_t application_id, struct store_otp *out);
enum store_err store_otp_put(struct store *s, const struct store_otp *o);

/* ---- the form's draft (issue 17): what an applicant typed and has not saved yet ---- */
#define STORE_DRAFT_MAX 7168 /* bytes of the JSON object, NUL included */
struct store_form_draft {
    int64_t application_id;
    char form[STORE_DRAFT_MAX]; /* a JSON object: field name -> text */
    int64_t saved_at;
};
/* The application's draft (ENOTFOUND when it has none); storing one replaces it; deleting
 * one that is not there is no error. */
enum store_err store_draft_get(struct store *s, int64_t application_id,
                               struct store_form_draft *out);
enum store_err store_draft_put(struct store *s, const struct store_form_draft *d);
enum store_err store_draft_delete(struct store *s, int64_t application_id);

/* ---- outbox ------------------------------------------------------------------------------- */
struct store_outbox_msg {
    int64_t id;
    const char *channel; /* "sms" | "email" */
    const char *recipient, *subject, *body;
    /* A message kept unrendered (schema version 5): the template's name ("expiry_warning")
     * and the values of its placeholders as a JSON object of strings; subject and body are ""
     * then, and the sender renders it (notify_outbox_render). Both NULL: subject and body are
     * the message. */
    const char *tpl, *params;
    const char *dedupe_key; /* NULL: none */
    const char *status;     /* when read back */
    int64_t created_at;
    int attempts; /* when read back: sending attempts begun so far (a claim counts one) */
    /* when read back (schema version 8): the SMS code of a body with the placeholder {code},
     * sealed (crypto/seal.h), and its expiry; NULL and 0 once dropped or when there is none */
    const char *secret;
    int64_t secret_until;
};
/* Queues a message (status pending, due now): a body, or a tpl with its params. A dedupe_key
 * already queued leaves the outbox as it was and *inserted false, except the keys of expiry
 * warnings ("warn:..."), whose once-only is their mark's (store_warn_mark). */
enum store_err store_outbox_put(struct store *s, const struct store_outbox_msg *m, int64_t now,
                                bool *inserted);
/* store_outbox_put for the n (>= 1) messages of m at once (on PostgreSQL a few statements
 * instead of n round trips): all or none are queued; *inserted (may be NULL) gets how many
 * were new. Joins the caller's transaction. */
enum store_err store_outbox_put_batch(struct store *s, const struct store_outbox_msg *m, long n,
                                      int64_t now, long *inserted);
/* Calls fn for the newest `limit` messages, oldest of them first (the development outbox). */
enum store_err store_outbox_each(struct store *s, long limit,
                                 int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx);

/* ---- outbox delivery ---------------------------------------------------------------------
 * Senders (notify/) take due messages with a lease, so that any number of drains, in one
 * process or in several servers sharing a PostgreSQL, never hold the same message at once.
 * A message is due when it is pending and its next_try_at has come, or when it is being sent
 * but its lease has run out (the sender died half-way): for a message being sent, next_try_at
 * is the end of its lease. Each claim counts one attempt, so a message whose sender keeps
 * dying still reaches the limit of tries. The claim's attempt count is the lease's token: the
 * marks below change the message only while it is still being sent under that attempt, so a
 * sender whose lease ran out and whose message another claimed cannot overwrite the newer
 * outcome (STORE_ECONFLICT; STORE_ENOTFOUND when there is no such message). Error texts are
 * stored for the operator (at most 500 bytes are kept) and must hold no personal data. */

/* Claims at most max (>= 1) due messages of channel ("sms" | "email"), oldest due first:
 * each becomes status "sending", attempts + 1, next_try_at = now + lease_seconds (>= 1), in
 * one transaction (not allowed inside the caller's). With codes false (a sender without the
 * key that opens them), a message still holding a sealed code (below) is not due: it waits
 * for a sender that has the key, until its code expires and is dropped. fn is then called for
 * each claimed message, after the claim committed; those after it stopped are not handed over
 * and come back when their lease ends. *claimed (may be NULL) gets how many were claimed. */
enum store_err store_outbox_claim(struct store *s, const char *channel, int64_t now,
                                  int64_t lease_seconds, long max, bool codes,
                                  int (*fn)(void *ctx, const struct store_outbox_msg *m), void *ctx,
                                  long *claimed);
/* The gateway accepted the message: status "sent", sent_at = now. attempt: m->attempts of the
 * claim. A message carrying a one-time code (dedupe key "otp:..." or "pin:...") loses its
 * recipient, body and values there and then (store_outbox_resolve's confirm too): the code
 * never outlives its delivery (KVKK, issue 18). */
enum store_err store_outbox_mark_sent(struct store *s, int64_t id, int attempt, int64_t now);
/* This attempt failed in a way worth trying again: status "pending" again, due at
 * next_try_at, error kept as last_error. */
enum store_err store_outbox_mark_retry(struct store *s, int64_t id, int attempt,
                                       int64_t next_try_at, const char *error);
/* Given up: status "failed" for good (the operator's view of failed messages), error kept. */
enum store_err store_outbox_mark_failed(struct store *s, int64_t id, int attempt,
                                        const char *error);

/* ---- SMS codes at rest (schema version 8; issue 19, finding 4) -----------------------------
 * The message that brings an SMS code keeps the code apart from its text: the body holds the
 * placeholder {code}, and the code is sealed (crypto/seal.h) in the message's secret until
 * secret_until. The secret is never readable after the hand-over: store_outbox_mark_handover,
 * _sent and _failed drop it in the same statement; the sender keeps the text it made in
 * memory. The use cases drop it when the code is superseded or used, the drain when it
 * expires. */
/* Sets the secret of the message queued under dedupe_key (joins the caller's transaction).
 * STORE_ENOTFOUND when there is no such message. */
enum store_err store_outbox_set_secret(struct store *s, const char *dedupe_key, const char *sealed,
                                       int64_t until);
/* Drops secrets: with key_prefix, those of every message whose dedupe_key begins with it
 * ("otp:<number>:"); with NULL, those whose secret_until has come (<= now). *n (may be NULL)
 * gets how many. Joins the caller's transaction. */
enum store_err store_outbox_drop_secrets(struct store *s, const char *key_prefix, int64_t now,
                                         long *n);
/* After a refused attempt (store_outbox_mark_retry: the gateway did not take it) the sender
 * puts the secret it held back, if the message is still pending under that attempt, has none,
 * and the code has not expired at now; otherwise nothing changes (no error). */
enum store_err store_outbox_restore_secret(struct store *s, int64_t id, int attempt,
                                           const char *sealed, int64_t now);

/* ==== signing, staff and decisions (schema version 3) ======================================
 * The evidence of an accepted e-signature, staff accounts, the approvers' decisions with the
 * personnel record they relied on, and the chain of signature-only renewals per holder. */

/* ---- signature evidence -------------------------------------------------------------------
 * What the server accepted, kept so that anyone can re-verify it later with `openssl cms
 * -verify`: the CMS exactly as received, the signed content, the validation result (JSON: each
 * check and its outcome) and the OCSP response relied on (DER; none when a CRL was used). One
 * per application; the CMS's SHA-256 is unique across applications, so the same signature can
 * never be stored twice. */
struct store_signature {
    int64_t application_id;
    int64_t at; /* accepted at */
    const unsigned char *cms;
    size_t cms_len;
    const unsigned char *content;
    size_t content_len;
    const char *signer_fingerprint; /* SHA-256 hex of the signer certificate's DER */
    const char *validation;         /* JSON text */
    const unsigned char *ocsp;      /* NULL/0: none */
    size_t ocsp_len;
};
/* Stores sig (joins the caller's transaction). STORE_ECONFLICT when the application already has
 * a signature or the same CMS is stored for any application. */
enum store_err store_signature_put(struct store *s, const struct store_signature *sig);
/* Calls fn once with the application's signature. STORE_ENOTFOUND when it has none. */
enum store_err store_signature_get(struct store *s, int64_t application_id,
                                   int (*fn)(void *ctx, const struct store_signature *sig),
                                   void *ctx);

/* ---- staff accounts -------------------------------------------------------------------- */
#define STORE_USERNAME_MAX 64
#define STORE_TOTP_MAX     420 /* sealed (crypto/seal.h: CRYPTO_SEAL_TEXT_MAX) + NUL */
struct store_user {
    char username[STORE_USERNAME_MAX];    /* [a-z0-9._-], 1..63 bytes */
    char role[16];                        /* approver | operator | admin */
    int province;                         /* approver: plate code 1..81; 0 for other roles */
    char password_hash[STORE_PWHASH_MAX]; /* Argon2id (crypto_pwhash_str) */
    char totp_secret[STORE_TOTP_MAX];     /* sealed base32 (app/staff_auth.c); "" until enrolment */
    bool totp_enabled;                    /* enrolment confirmed with a first good code */
    int64_t totp_last_step;               /* last accepted TOTP time step (no replay) */
    int failed_count;                     /* consecutive failed logins */
    int64_t locked_until;                 /* 0: not locked */
    int64_t last_login_at;
    bool disabled;
    int64_t created_at, updated_at;
    char email[CORE_EMAIL_MAX]; /* "" when none; an approver's digest goes there */
};
/* A new account (STORE_ECONFLICT when the name is taken). */
enum store_err store_user_put(struct store *s, const struct store_user *u);
enum store_err store_user_get(struct store *s, const char *username, struct store_user *out);
/* Writes every field but username and created_at (STORE_ENOTFOUND when there is no such user).
 * Joins the caller's transaction; inside one, store_user_get locks the row on PostgreSQL. */
enum store_err store_user_update(struct store *s, const struct store_user *u);
/* Every account, by username. */
enum store_err store_user_each(struct store *s, int (*fn)(void *ctx, const struct store_user *u),
                               void *ctx);

/* ---- the approvers' queue ---------------------------------------------------------------- */
struct store_app_filter {
    int province;            /* the application's personnel province (il_kodu); 0: all */
    const char *state;       /* NULL: every state but draft */
    const char *institution; /* institution_name contains it (case as stored); NULL: any */
    const char *district;    /* the personnel district equals it; NULL: any */
    int late;                /* -1 any, 0 not late, 1 late */
    int64_t updated_before;  /* 0: any; else only those whose last change was before it */
    long limit;              /* 0: no limit */
    long offset;
    int order; /* STORE_APP_URGENT (0): the renewed certificate's end first (none, then the
                  soonest; issue 17), then the oldest change; STORE_APP_WAITING: the oldest
                  change first */
};
enum { STORE_APP_URGENT = 0, STORE_APP_WAITING = 1 };
/* Calls fn for each application matching f, in f->order, with the applicant's
 * personnel record as it is now (p NULL when there is none: the applicant left the records).
 * The province filter is on the personnel record's province, or on the application's form
 * province when there is no record. *total (may be NULL) gets how many match without limit
 * and offset. */
enum store_err store_app_list(struct store *s, const struct store_app_filter *f,
                              int (*fn)(void *ctx, const struct store_application *a,
                                        const struct core_personnel *p),
                              void *ctx, long *total);
/* Per state, how many applications of the province (0: all) there are (states with none are
 * not reported). */
enum store_err store_app_state_counts(struct store *s, int province,
                                      int (*fn)(void *ctx, const char *state, long count),
                                      void *ctx);
/* Holders in the province (0: all) whose current certificate (store_certificate_current's
 * choice) is not revoked and expires in [from, to), and who have no application that is still
 * going nor one created after that certificate's not_before; soonest expiry first. */
enum store_err store_expiring_unapplied(struct store *s, int province, int64_t from, int64_t to,
                                        int (*fn)(void *ctx, const struct core_personnel *p,
                                                  const struct core_certificate *c),
                                        void *ctx);

/* ---- the staff's search (issue 17; store_search.c) ---------------------------------------
 * Applications other than drafts in a province (0: any; the personnel record's province, else
 * the form's, as store_app_list scopes), newest first. */
/* The applications of the holder tckn (11 digits). */
enum store_err store_app_ids_of(struct store *s, const char *tckn, int province,
                                int (*fn)(void *ctx, int64_t id), void *ctx);
/* Every application's id and name, for a search by name (compared by the caller). */
enum store_err store_app_names(struct store *s, int province,
                               int (*fn)(void *ctx, int64_t id, const char *first_name,
                                         const char *last_name),
                               void *ctx);

/* ---- decisions --------------------------------------------------------------------------- */
struct store_decision {
    int64_t application_id;
    int64_t at;
    const char *decision;  /* "approve" | "reject" */
    const char *reason;    /* the rejection's reason in words; "" for an approval */
    const char *staff;     /* username */
    const char *personnel; /* JSON: the personnel record the decision relied on ("null": none) */
    const char *verdict;   /* JSON: {"eligible":bool,"reasons":[codes]} */
};
/* Appends a decision (joins the caller's transaction: the state change, the decision, the
 * outbox message and the audit entry are one). */
enum store_err store_decision_put(struct store *s, const struct store_decision *d);
/* The application's latest decision. STORE_ENOTFOUND when none. */
enum store_err store_decision_get(struct store *s, int64_t application_id,
                                  int (*fn)(void *ctx, const struct store_decision *d), void *ctx);

/* ---- renewals by signature alone ---------------------------------------------------------
 * How many renewals in a row the holder made with the previous certificate's signature since
 * identity was last checked in person (0 when never recorded). */
enum store_err store_remote_chain_get(struct store *s, const char *tckn, int *count);
/* The same for n holders in one statement (a queue page: one round trip, not one per row):
 * count[i] for tckn[i], 0 when never recorded; n at most STORE_CHAINS_MAX. */
#define STORE_CHAINS_MAX 1000
enum store_err store_remote_chains_get(struct store *s, const char *const *tckn, size_t n,
                                       int *count);
/* Sets it (joins the caller's transaction). */
enum store_err store_remote_chain_set(struct store *s, const char *tckn, int count, int64_t now);

/* ==== expiry warnings (schema version 4) ===================================================
 * What the notification scan (notify/scan.h) reads and records: the holders whose current
 * certificate reached a warning milestone, the applications stuck half-way, and the mark a
 * sender leaves just before it hands a message over for good. Queueing is exactly-once
 * however many scans run at once: a reminder or a digest by the outbox's dedupe_key, an
 * expiry warning by its mark (store_warn_mark says whether this transaction made it; only
 * then are its messages queued). The marks also make the next scan cheap: it skips what was
 * already queued without touching the outbox. */

/* ---- warnings ---------------------------------------------------------------------------- */
/* A certificate that reached a milestone, as store_warn_due hands it over. */
struct store_warn_row {
    int64_t cert_id;
    int warned_days; /* the milestone last queued for it (store_warn_mark); -1: none */
    const struct core_certificate *c;
    const struct core_personnel *p; /* the holder's record (a row has one) */
};
/* Looks at the next limit (>= 1) certificates whose not_after is in [from, to), in (not_after,
 * id) order strictly after (*after_not_after, *after_id), and whose milestone days was not
 * queued yet (warned_days unset or greater than days); moves the position past the last one
 * looked at and sets *more when limit of them were looked at (more may follow). Of those it
 * calls fn for the ones that are due: not revoked;
 * their holder's current one (store_certificate_current's choice: a renewed holder's old
 * certificate never comes); held by someone with a personnel record; whose holder has no
 * application still going nor one created since the certificate's not_before (as
 * store_expiring_unapplied); and whose warned_days is unset or greater than days. Inside a
 * transaction on PostgreSQL the certificates handed over are locked and those another
 * transaction holds are skipped (FOR UPDATE SKIP LOCKED), so concurrent scans share the work
 * instead of waiting. Looking first
 * and checking after keeps a scan that finds everything already queued to the not_after index
 * and the marks, never reading a certificate or a personnel row. */
enum store_err store_warn_due(struct store *s, int64_t from, int64_t to, int days,
                              int64_t *after_not_after, int64_t *after_id, long limit,
                              int (*fn)(void *ctx, const struct store_warn_row *r), void *ctx,
                              bool *more);
/* Records at now that milestone days (>= 0; 0 is the expiry) is queued for the certificate:
 * its warned_days becomes days unless it is already that or smaller (a milestone never moves
 * back). *marked (may be NULL) says whether this call changed the mark: a scan queues the
 * milestone's messages only then, so two scans at once never both do (on PostgreSQL the
 * second waits for the first's transaction on the mark's row, then finds it made).
 * STORE_ENOTFOUND when there is no such certificate. Joins the caller's transaction. */
enum store_err store_warn_mark(struct store *s, int64_t cert_id, int days, int64_t now,
                               bool *marked);
/* store_warn_mark for n (>= 1) distinct certificates in one statement: marked[i] for ids[i].
 * One unknown certificate fails the whole call (STORE_ENOTFOUND) and marks none. */
enum store_err store_warn_mark_batch(struct store *s, const int64_t *ids, long n, int days,
                                     int64_t now, bool *marked);

/* ---- reminders --------------------------------------------------------------------------- */
/* Calls fn for at most limit (>= 1) applications, by id after after_id, that are in a state
 * where they wait for the applicant (draft: the SMS code not verified; code_verified: not
 * signed; awaiting_original: the signed paper not arrived), unchanged since before `before`,
 * and not yet reminded of that state; p is the applicant's personnel record (NULL: none). */
enum store_err store_remind_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx);
/* Records the reminder of the application's state (once: *inserted false when it was already
 * recorded). Joins the caller's transaction. */
enum store_err store_remind_mark(struct store *s, int64_t application_id, const char *state,
                                 int64_t now, bool *inserted);

/* ---- hand-over and the operator's view --------------------------------------------------- */
/* The sender of attempt `attempt` is about to hand the message over for good (SMTP: just
 * before the end of DATA; HTTP: just before the request). From then on a claim never takes
 * the message again by itself, even after its lease ran out: it may have been accepted, and
 * a second copy is worse than asking the operator. The marks of store_outbox_mark_sent /
 * _retry / _failed still apply under the same attempt (a retry clears the hand-over: the
 * gateway refused it). STORE_ECONFLICT when the attempt no longer holds the message (its
 * lease ran out and another sender took it: the caller must not send), STORE_ENOTFOUND when
 * there is no such message. */
enum store_err store_outbox_mark_handover(struct store *s, int64_t id, int attempt, int64_t now);

/* A message the operator must look at. */
struct store_outbox_problem {
    int64_t id;
    const char *channel, *recipient, *subject;
    const char *tpl, *params; /* as in store_outbox_msg: NULL both, or the unrendered message */
    const char *dedupe_key;   /* NULL: none */
    const char *status;       /* "failed" | "unconfirmed" (handed over, then its sender stopped) */
    const char *last_error;   /* "" when none */
    int attempts;
    int64_t created_at;
    int64_t handed_over_at; /* 0: never handed over */
};
/* Calls fn for every failed message and every unconfirmed one (handed over, still "sending",
 * its lease over at now), oldest first. */
/* The operator's answer to one of those messages. retry: it is pending again, due at now, its
 * tries counted afresh (the cause was mended, or the recipient says an unconfirmed one never
 * came). Otherwise (confirm): an unconfirmed one is recorded as sent (the recipient has it).
 * STORE_ENOTFOUND: no such message; STORE_ECONFLICT: it is not waiting for the operator
 * (confirm: not unconfirmed). A message the retention emptied is not sent again (retry:
 * STORE_ECONFLICT) and is not listed by store_outbox_problems. */
enum store_err store_outbox_resolve(struct store *s, int64_t id, bool retry, int64_t now);
enum store_err store_outbox_problems(struct store *s, int64_t now,
                                     int (*fn)(void *ctx, const struct store_outbox_problem *m),
                                     void *ctx);

/* ==== retention (issue 18) =================================================================
 * Personal data kept only as long as allowed (KVKK): what `eimza retention run` and the
 * server's periodic work remove (app/retention.h says which periods and why). Each call with
 * dry set only counts what it would change; otherwise it changes it in batches, each a
 * transaction of its own (it joins none: STORE_EINVAL inside one), so a long first run never
 * holds a lock long, and *n gets how many rows it changed. Running it again, or on two servers
 * at once, changes nothing more. Times are Unix seconds given by the caller. */

/* Sessions ended by expires_at or by idle seconds without a request, captchas expired before
 * now, rate-limit windows begun before windows_before: counted (the purges of the portal
 * section remove them). */
enum store_err store_retention_expired(struct store *s, int64_t now, int64_t idle,
                                       int64_t windows_before, long *sessions, long *captchas,
                                       long *windows);
/* Signing tickets (the relay's) made before `before`: removed. */
enum store_err store_retention_tickets(struct store *s, int64_t before, bool dry, long *n);
/* SMS codes whose validity ended before now, the application's and a card PIN's: the salted
 * hash and salt removed (the counters that make the messages' keys stay). */
enum store_err store_retention_codes(struct store *s, int64_t now, bool dry, long *n);
/* Messages delivered or failed for good: recipient, subject, body and values removed (the
 * channel, status, times and dedupe key stay), those carrying a one-time code (dedupe key
 * "otp:..." or "pin:...") at once, the others when queued before `before`. */
enum store_err store_retention_messages(struct store *s, int64_t before, bool dry, long *n);
/* Applications closed (rejected, completed, cancelled) before `before` (closing is the last
 * change, updated_at, which this does not move) and not yet anonymised: their contact data
 * (address, district, postal code, e-mail, phones, operator) and the security word's hash
 * removed, their cards' carrier and tracking number too, and a PIN still sealed for one of
 * their cards destroyed; anonymised_at = now. The identity, the rest of the form, the
 * province, the times and the evidence stay. */
enum store_err store_retention_contact(struct store *s, int64_t before, int64_t now, bool dry,
                                       long *n);
/* Removes applications, each with everything that hangs on it: its timeline, SMS code state,
 * signature (the signed content and the CMS), decisions, reminders, revocation requests, cards
 * with their PINs; sessions that name one forget it; and anonymises the audit entries whose
 * object is its number (as above; actor and now for the "audit.anonymised" entries). *audit (may be
 * NULL) gets how many audit entries were anonymised. Which applications:
 *   drafts: never submitted ("draft", "code_verified"), untouched since before `before`;
 *   evidence: closed, whose registration evidence has been kept `years` past the end of the
 *   certificate it concerns, taken at its latest: the closing, plus the validity asked for,
 *   plus a year (a renewal starts at most a year ahead), and the new certificate's own end
 *   when one is linked; years of 366 days. */
enum store_err store_retention_drafts(struct store *s, int64_t before, int64_t now,
                                      const char *actor, bool dry, long *n, long *audit);
enum store_err store_retention_evidence(struct store *s, int64_t now, int years, const char *actor,
                                        bool dry, long *n, long *audit);
/* The applicants' logins and lock-outs written before `before`, as audit entries: anonymised
 * (as above). */
enum store_err store_retention_logins(struct store *s, int64_t before, int64_t now,
                                      const char *actor, bool dry, long *n);
/* Certificates that ended more than `years` before now and that nothing kept names (an
 * application, a card, a revocation request), with their warning marks; cards recorded
 * without an application (a card reported lost), with their PINs, once their certificate (if
 * any) ended that long ago and their last change is older than the longest evidence of the
 * report (years + 4: a validity of at most 3 plus 1); and the count of renewals in a row of a
 * holder who has neither a certificate nor an application left. *n counts the certificates
 * and cards. */
enum store_err store_retention_certificates(struct store *s, int64_t now, int years, bool dry,
                                            long *n);

/* ==== after approval: the card's way to the holder (schema version 7) ======================
 * The holder's certificates one by one, the card inventory, the card bureau's production
 * batches with the revocation requests that go with them, the sealed PIN of a card made in
 * house, the operator's view of the applications after approval (overdue, at risk), and what
 * an in-house CA asks when it makes a CRL or answers OCSP. */

/* ---- certificates ------------------------------------------------------------------------ */
/* Calls fn for each certificate of the holder, the current one first (store_certificate_current's
 * order: not_before, then not_after, then id, newest first). */
enum store_err store_certificates_of(struct store *s, const char *tckn,
                                     int (*fn)(void *ctx, int64_t id,
                                               const struct core_certificate *c),
                                     void *ctx);
/* One certificate by its fingerprint (SHA-256 hex of the DER) or by id; *id (may be NULL)
 * gets its id. STORE_ENOTFOUND when unknown. */
enum store_err store_certificate_by_fpr(struct store *s, const char *fingerprint, int64_t *id,
                                        struct core_certificate *out);
enum store_err store_certificate_by_id(struct store *s, int64_t id, struct core_certificate *out);
/* Marks the certificate revoked at `at` with an RFC 5280 CRLReason (0..10, not 7) unless it
 * already is; *changed (may be NULL) says whether it changed. STORE_ENOTFOUND when unknown. */
enum store_err store_certificate_revoke_id(struct store *s, int64_t id, int64_t at, int reason,
                                           bool *changed);

/* ---- the card inventory ------------------------------------------------------------------ */
#define STORE_CARD_SERIAL_MAX 64
#define STORE_CARRIER_MAX     64
#define STORE_TRACKING_MAX    64
#define STORE_CARD_NOTE_MAX   256
struct store_card {
    int64_t id; /* given by store_card_put */
    char tckn[CORE_TCKN_LEN + 1];
    int64_t application_id;             /* 0: a card eimza did not order (reported lost) */
    int64_t certificate_id;             /* 0: not known yet */
    char serial[STORE_CARD_SERIAL_MAX]; /* "" until the bureau names it */
    char source[8];                     /* bureau | inhouse | other */
    char state[12]; /* produced | shipped | delivered | active | lost | revoked | returned |
                       destroyed */
    char carrier[STORE_CARRIER_MAX];
    char tracking_number[STORE_TRACKING_MAX];
    char note[STORE_CARD_NOTE_MAX]; /* why it is lost, returned or destroyed */
    int64_t produced_at, shipped_at, delivered_at, activated_at; /* 0: not yet */
    int64_t created_at, updated_at;
};
/* A new card; c->id gets its id. Joins the caller's transaction. */
enum store_err store_card_put(struct store *s, struct store_card *c);
/* Writes every field of c but id (STORE_ENOTFOUND when there is no such card). */
enum store_err store_card_update(struct store *s, const struct store_card *c);
/* A card by id; the newest card made for an application; the newest card holding a
 * certificate. STORE_ENOTFOUND when none. Inside a transaction the row is locked on
 * PostgreSQL. */
enum store_err store_card_get(struct store *s, int64_t id, struct store_card *out);
enum store_err store_card_of_app(struct store *s, int64_t application_id, struct store_card *out);
enum store_err store_card_of_cert(struct store *s, int64_t certificate_id, struct store_card *out);

/* ---- the sealed PIN of a card made in house ---------------------------------------------- */
#define STORE_SEALED_MAX      256
#define STORE_WAIVER_NOTE_MAX 512 /* bytes incl. NUL: 120 characters of Turkish text fit */
struct store_card_pin {
    int64_t card_id;
    char sealed[STORE_SEALED_MAX]; /* base64 of nonce || ciphertext; "" once shown/destroyed */
    char state[12];                /* waiting | shown | destroyed */
    int64_t word_ok_at;            /* the security word was given right then; 0: not yet */
    char code_hash[STORE_HASH_HEX + 1];
    char code_salt[33];
    int64_t code_sent_at, code_expires_at;
    int codes_sent;
    int64_t wrong_window_start;
    int wrong_count;
    int64_t created_at, shown_at;
    /* the security word step lifted by an operator who saw the holder's identity card
     * (store_card_pin_waive): who, when, their note, until when (0: no waiver in force) */
    char word_waived_by[STORE_USERNAME_MAX];
    int64_t word_waived_at, word_waived_until;
    char word_waived_note[STORE_WAIVER_NOTE_MAX];
};
enum store_err store_card_pin_put(struct store *s, const struct store_card_pin *p);
/* Inside a transaction the row is locked on PostgreSQL. STORE_ENOTFOUND when the card has none. */
enum store_err store_card_pin_get(struct store *s, int64_t card_id, struct store_card_pin *out);
enum store_err store_card_pin_update(struct store *s, const struct store_card_pin *p);
/* Lifts the security word step of the card's PIN retrieval until `until`: by (a staff user
 * name), at, note (the operator's words on the identity document they saw) recorded, replacing
 * an earlier waiver. Only while the PIN waits: STORE_ENOTFOUND when the card has no PIN row or
 * its PIN was already shown or destroyed. Joins the caller's transaction. */
enum store_err store_card_pin_waive(struct store *s, int64_t card_id, const char *by,
                                    const char *note, int64_t at, int64_t until);

/* ---- the status page's read -------------------------------------------------------------
 * Everything the applicant's status page shows, in one statement (one consistent state, one
 * round trip, no transaction of its own): the application the portal picks for a person (the
 * one bound to the session while it is the person's, else their newest); the reason of its
 * rejection (the latest decision's, when that is a rejection); its newest card, that card's
 * PIN state and the new certificate linked to it; and its timeline, handed to fn oldest first.
 * Of the application only what the status shows and decides on is read: id, number, tckn,
 * state, confirmed, method, late, created_at, updated_at, approved_at, closed_reason,
 * new_cert_id, reason (renewal, lost_stolen: what the status says of the old card); the
 * form's fields (names, contact details, the security word's hash) stay zero. On failure out
 * is unspecified. */
#define STORE_REASON_MAX 512
struct store_status {
    struct store_session session; /* store_status_read only */
    bool has_app;                 /* false: the subject has no application (the rest zeroed) */
    struct store_application app;
    char rejection_reason[STORE_REASON_MAX]; /* "" when none; cut to fit */
    bool has_card;                           /* the application's newest card */
    struct store_card card;
    char pin_state[12]; /* that card's sealed PIN (store_card_pin.state); "" when none */
    bool has_new_cert;  /* the certificate app.new_cert_id names */
    char new_serial[CORE_SERIAL_MAX];
    int64_t new_not_before, new_not_after;
};
/* For the session of token_hash (its subject's application; has_app false when they have
 * none). STORE_ENOTFOUND when there is no such session. */
enum store_err store_status_read(struct store *s, const char *token_hash, struct store_status *out,
                                 int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx);
/* For a person (tckn) whose session is bound to application_id (0: none), the session already
 * checked; out->session is zeroed. STORE_ENOTFOUND when they have no application. */
enum store_err store_status_of(struct store *s, const char *tckn, int64_t application_id,
                               struct store_status *out,
                               int (*fn)(void *ctx, const struct store_app_event *ev), void *ctx);

/* ---- the card bureau's batches ------------------------------------------------------------ */
struct store_batch {
    int64_t id;
    int province;
    int64_t created_at;
    char created_by[STORE_USERNAME_MAX];
    int64_t applications, revocations;
};
/* A new batch (b->id set); joins the caller's transaction. */
enum store_err store_batch_put(struct store *s, struct store_batch *b);
enum store_err store_batch_counts(struct store *s, int64_t id, long applications, long revocations);
enum store_err store_batch_get(struct store *s, int64_t id, struct store_batch *out);
/* The newest batches (of a province; 0: all), at most limit (1..500). */
enum store_err store_batch_list(struct store *s, int province, long limit,
                                int (*fn)(void *ctx, const struct store_batch *b), void *ctx);
/* The ids of at most limit approved applications of the province that are in no batch, the
 * oldest-expiring certificate first (those with none last), into ids[]; *n how many. */
enum store_err store_batch_candidates(struct store *s, int province, long limit, int64_t *ids,
                                      long *n);
/* The applications of a batch with their holders' records (p NULL: none), in the order they
 * were taken. */
enum store_err store_batch_apps(struct store *s, int64_t batch_id,
                                int (*fn)(void *ctx, const struct store_application *a,
                                          const struct core_personnel *p),
                                void *ctx);

/* ---- revocation requests for the card bureau ---------------------------------------------- */
/* Asks for the certificate's revocation (once: *inserted false when it was asked before).
 * province: where the request goes out (the holder's). Joins the caller's transaction. */
enum store_err store_revocation_request(struct store *s, int64_t certificate_id,
                                        int64_t application_id, int province, int reason,
                                        int64_t now, bool *inserted);
/* Puts the province's requests not sent yet into the batch; *n how many. */
enum store_err store_revocation_assign(struct store *s, int64_t batch_id, int province, long *n);
/* The requests of a batch (batch_id > 0), or those not sent yet (0; of a province, 0: all). */
struct store_revocation_row {
    const struct core_certificate *c;
    const char *number; /* the application that reported the card lost */
    int reason;
    int64_t requested_at;
    int64_t batch_id; /* 0: not sent yet */
};
enum store_err store_revocation_list(struct store *s, int64_t batch_id, int province,
                                     int (*fn)(void *ctx, const struct store_revocation_row *r),
                                     void *ctx);

/* ---- the staff's view after approval ------------------------------------------------------ */
struct store_flow_filter {
    int province;           /* the holder's (personnel, else the form's); 0: any */
    const char *state;      /* NULL: approved, in_production, shipped and delivered */
    const char *number;     /* one application by its number; NULL: any */
    int64_t overdue_before; /* > 0: only approved/in_production/shipped approved before it */
    int64_t risk_now;       /* > 0: only those at risk of a gap (below) */
    int64_t expected;       /* seconds from approval to the card's expected arrival */
    long limit;             /* 0: no limit */
    long offset;
};
/* Calls fn for each application after approval matching f, the old certificate's end first
 * (those renewing none last), with the holder's province and the application's newest card
 * (NULL: none yet). At risk: not delivered yet, and the certificate being renewed ends before
 * max(risk_now, approved_at + expected). *total (may be NULL) gets how many match. */
enum store_err store_flow_list(struct store *s, const struct store_flow_filter *f,
                               int (*fn)(void *ctx, const struct store_application *a, int province,
                                         const struct store_card *card),
                               void *ctx, long *total);
/* Applications approved before `before` whose card has not arrived (approved, in_production,
 * shipped) and whose holder was not told yet (no "overdue" reminder mark), by id after
 * after_id, at most limit; p is the holder's record (NULL: none). */
enum store_err store_overdue_due(struct store *s, int64_t before, int64_t after_id, long limit,
                                 int (*fn)(void *ctx, const struct store_application *a,
                                           const struct core_personnel *p),
                                 void *ctx);

/* ---- what an in-house CA asks (ca/ca.h's registry) ---------------------------------------- */
/* The certificate of issuer (DN as stored) and serial (upper-case hex): *found, and when it is
 * revoked *revoked_at (> 0) and *reason. */
enum store_err store_ca_status(struct store *s, const char *issuer, const char *serial, bool *found,
                               int64_t *revoked_at, int *reason);
/* Every revoked certificate of issuer, oldest first. fn returns 0 to go on. */
enum store_err store_ca_each_revoked(struct store *s, const char *issuer,
                                     int (*fn)(void *ctx, const char *serial, int64_t revoked_at,
                                               int reason),
                                     void *ctx);
/* The next CRL number of issuer (1 for its first CRL): one more every call, across servers. */
enum store_err store_ca_crl_number(struct store *s, const char *issuer, int64_t *number);

/* ==== signing through the relay (schema version 9) =========================================
 * The tickets of the relay path (app/relay.h): one row per ticket, found by the SHA-256 of its
 * value (never the value), bound to a session (the hash of its token) and an application.
 * Moves between states are conditional on the state read, so of two requests racing for one
 * ticket only one moves it (the other gets STORE_ECONFLICT). */
#define STORE_TICKET_STATE_MAX  16
#define STORE_AGENT_VERSION_MAX 32
#define STORE_TICKET_CODE_MAX   65
struct store_ticket {
    int64_t id; /* set by the store; orders a session's tickets */
    char ticket_hash[STORE_HASH_HEX + 1];
    char session_hash[STORE_HASH_HEX + 1];
    int64_t application_id;
    char state[STORE_TICKET_STATE_MAX];  /* issued claimed checking submitted refused cancelled
                                            superseded */
    int64_t created_at, expires_at;      /* expires_at: the end of an unclaimed ticket */
    char claim_hash[STORE_HASH_HEX + 1]; /* "" until claimed */
    int64_t claimed_at, claim_expires_at, ended_at; /* 0 until then */
    char error_code[STORE_TICKET_CODE_MAX];         /* refused or cancelled: why; else "" */
    char agent_version[STORE_AGENT_VERSION_MAX];    /* the claiming agent's; "" before */
};
/* A new ticket for its session, in one transaction (joins the caller's): the session's open
 * tickets (issued or claimed) become superseded (ended_at = t->created_at), tickets created
 * before purge_before are deleted, and t is stored. *superseded (may be NULL) gets how many
 * were ended. STORE_ECONFLICT when the hash exists. */
enum store_err store_ticket_issue(struct store *s, const struct store_ticket *t,
                                  int64_t purge_before, long *superseded);
/* The ticket with this hash (locked for the transaction on PostgreSQL when one is open);
 * STORE_ENOTFOUND when there is none. */
enum store_err store_ticket_get(struct store *s, const char *ticket_hash, struct store_ticket *out);
/* The session's newest ticket; STORE_ENOTFOUND when it never asked for one. */
enum store_err store_ticket_latest(struct store *s, const char *session_hash,
                                   struct store_ticket *out);
/* Writes t (found by t->id; the hashes, session, application and creation time are never
 * changed) when its state is still expected_state; STORE_ECONFLICT when it moved meanwhile,
 * STORE_ENOTFOUND when there is no such ticket. */
enum store_err store_ticket_move(struct store *s, const struct store_ticket *t,
                                 const char *expected_state);

/* ==== operations (issue 18) ===============================================================
 * What the server's /metrics and /readyz read: figures of the whole database, the same from
 * every server sharing it. */

/* Calls fn for each channel and status of the messages not yet delivered ("pending",
 * "sending", "failed", and "unconfirmed": handed over, its sender stopped, its lease over at
 * now), with how many there are; none when the outbox holds only delivered messages. fn must
 * not use s. */
enum store_err store_outbox_depth(struct store *s, int64_t now,
                                  int (*fn)(void *ctx, const char *channel, const char *status,
                                            long count),
                                  void *ctx);
/* Calls fn for each province (the applicant's personnel record's, else the form's; 0: none)
 * and state of the applications waiting for staff ("submitted": a decision; "approved": the
 * card's production), with how many there are and the oldest one's last change (Unix
 * seconds). */
enum store_err store_app_waiting(struct store *s,
                                 int (*fn)(void *ctx, int province, const char *state, long count,
                                           int64_t oldest),
                                 void *ctx);

/* ==== backups (issue 18) ===================================================================
 * SQLite's online backup API: a copy of the whole database as it was at one moment, made while
 * servers go on writing (the copy is read in one read snapshot: in WAL mode writers are not
 * held up, their commits go on into the WAL meanwhile). PostgreSQL's are its own tools
 * (pg_dump, pg_basebackup; docs/DEPLOYMENT.md): these calls refuse it with STORE_EINVAL. */
struct store_backup_stats {
    long pages;     /* copied */
    long page_size; /* bytes */
};
/* Writes a consistent copy of s's database to path, a new file (STORE_ECONFLICT when path
 * exists; mode 0600: it holds personal data). The copy is a single self-contained file
 * (rollback journal, not WAL), checked with PRAGMA integrity_check before it takes its name,
 * and synced to disk with its directory; nothing named path exists after a failure. */
enum store_err store_backup(struct store *s, const char *path, struct store_backup_stats *st);
/* Replaces s's whole database with the copy at path (a SQLite database, opened read-only),
 * in one transaction of s: on failure s's database is as it was. The caller first makes sure
 * no other process has s's database open (store_in_use): a server running on it would keep
 * serving from what it had in memory. */
enum store_err store_restore(struct store *s, const char *path, struct store_backup_stats *st);
/* Whether another process has the database of url open: STORE_ECONFLICT when one has, with
 * *pid one such process (0 when the system would not say which), STORE_OK when none has (or
 * there is no such database yet). SQLite only (what it locks while a connection is open: the
 * WAL index's shared lock, the database file's shared lock); STORE_EINVAL for PostgreSQL. */
enum store_err store_in_use(const char *url, long *pid, char *err, size_t errlen);

#endif

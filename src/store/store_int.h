/* eimza — inside the store (internal to src/store/, like curl's lib/vtls/vtls_int.h): the ops
 * table each backend fills, the part of a connection every backend shares, and the helpers
 * store.c gives the backends. store.c dispatches through the table; the backends
 * (store_sqlite.c, store_pg.c) never see each other. Names shared between these files use the
 * store__ prefix so they cannot be mistaken for the public API. */
#ifndef EIMZA_STORE_STORE_INT_H
#define EIMZA_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/migration.h"
#include "store/store.h"

#define STORE_ERR_MAX     512
#define STORE__OB_ERR_MAX 500 /* bytes of an outbox error text kept */
#define STORE__GEN_DIRTY  8   /* keys a transaction remembers for the change generations */

typedef int (*store__audit_fn)(void *ctx, const struct store_audit_record *r);
typedef int (*store__event_fn)(void *ctx, const struct store_app_event *ev);
typedef int (*store__outbox_fn)(void *ctx, const struct store_outbox_msg *m);
typedef int (*store__signature_fn)(void *ctx, const struct store_signature *sig);
typedef int (*store__user_fn)(void *ctx, const struct store_user *u);
typedef int (*store__app_list_fn)(void *ctx, const struct store_application *a,
                                  const struct core_personnel *p);
typedef int (*store__count_fn)(void *ctx, const char *state, long count);
typedef int (*store__expiring_fn)(void *ctx, const struct core_personnel *p,
                                  const struct core_certificate *c);
typedef int (*store__decision_fn)(void *ctx, const struct store_decision *d);
typedef int (*store__warn_fn)(void *ctx, const struct store_warn_row *r);
typedef int (*store__problem_fn)(void *ctx, const struct store_outbox_problem *m);

/* Every function gets a connection the backend opened. The wrappers in store.c check the
 * arguments (non-NULL, lengths) and the import state before calling, so backends only see
 * calls that make sense: import_row/commit/abort only between import_begin and its end, and
 * nothing else during an import. */
struct store_ops {
    const char *name; /* "sqlite" or "postgresql" */
    void (*close)(struct store *s);
    enum store_err (*ping)(struct store *s);
    int (*latest_version)(void); /* the newest schema version the backend's migrations give */
    enum store_err (*schema_version)(struct store *s, int *current);
    enum store_err (*migrate)(struct store *s, int *from, int *to);

    /* now: the import's time, for updated_at. commit ends the import whatever it returns
     * (a failed commit has rolled back); abort never fails. */
    enum store_err (*import_begin)(struct store *s, int64_t now);
    enum store_err (*import_row)(struct store *s, const struct core_personnel *p);
    enum store_err (*import_commit)(struct store *s, struct store_import_stats *st);
    void (*import_abort)(struct store *s);
    enum store_err (*personnel_get)(struct store *s, const char *tckn, struct core_personnel *out);
    enum store_err (*personnel_count)(struct store *s, long *n);

    enum store_err (*certificate_put)(struct store *s, const struct core_certificate *c,
                                      const unsigned char *der, size_t derlen, int64_t now,
                                      bool *inserted);
    enum store_err (*certificate_revoke)(struct store *s, const char *issuer, const char *serial,
                                         int64_t revoked_at, bool *changed);
    enum store_err (*certificate_current)(struct store *s, const char *tckn,
                                          struct core_certificate *out);
    enum store_err (*certificate_count)(struct store *s, long *n);

    enum store_err (*audit_append)(struct store *s, const struct store_audit_entry *e);
    enum store_err (*audit_each)(struct store *s, int64_t after_seq, store__audit_fn fn, void *ctx);

    /* The portal (schema 2). A function that writes more than one row runs its own
     * transaction only when s->in_tx is false; inside the caller's it just joins. */
    enum store_err (*tx_begin)(struct store *s);
    enum store_err (*tx_commit)(struct store *s);
    void (*tx_rollback)(struct store *s);
    /* A read snapshot (store_read_begin); NULL when the backend needs none. */
    enum store_err (*read_begin)(struct store *s);
    void (*read_end)(struct store *s);
    enum store_err (*captcha_put)(struct store *s, const struct store_captcha *c);
    enum store_err (*captcha_get)(struct store *s, const char *id, bool take,
                                  struct store_captcha *out);
    enum store_err (*captcha_purge)(struct store *s, int64_t before, long *n);
    enum store_err (*session_put)(struct store *s, const struct store_session *ss);
    enum store_err (*session_get)(struct store *s, const char *token_hash,
                                  struct store_session *out);
    /* what: 0 touch (v = last_seen), 1 bind (v = application id), 2 delete */
    enum store_err (*session_set)(struct store *s, const char *token_hash, int what, int64_t v);
    enum store_err (*session_purge)(struct store *s, int64_t now, int64_t idle, long *n);
    enum store_err (*rate_hit)(struct store *s, const char *key, int64_t window_start, bool add,
                               long *count);
    enum store_err (*rate_purge)(struct store *s, int64_t before, long *n);
    enum store_err (*app_create)(struct store *s, struct store_application *a,
                                 const struct store_app_event *ev);
    /* by number */
    enum store_err (*app_by_number)(struct store *s, const char *number,
                                    struct store_application *out);
    /* by id (tckn NULL) or the newest of tckn */
    enum store_err (*app_get)(struct store *s, int64_t id, const char *tckn,
                              struct store_application *out);
    enum store_err (*app_update)(struct store *s, const struct store_application *a,
                                 const char *expected_state, const struct store_app_event *ev);
    enum store_err (*app_events)(struct store *s, int64_t application_id, store__event_fn fn,
                                 void *ctx);
    enum store_err (*otp_get)(struct store *s, int64_t application_id, struct store_otp *out);
    enum store_err (*otp_put)(struct store *s, const struct store_otp *o);
    /* n (>= 1) checked messages; *inserted: how many were new */
    enum store_err (*outbox_put)(struct store *s, const struct store_outbox_msg *m, long n,
                                 int64_t now, long *inserted);
    enum store_err (*outbox_each)(struct store *s, long limit, store__outbox_fn fn, void *ctx);
    /* Outside any transaction (the wrapper checks); fn is called after the claim committed. */
    enum store_err (*outbox_claim)(struct store *s, const char *channel, int64_t now,
                                   int64_t lease_until, long max, store__outbox_fn fn, void *ctx,
                                   long *claimed);
    /* to: "sent" (at = sent_at), "pending" (at = next_try_at) or "failed" (at unused); error
     * NULL for "sent", already cut to STORE__OB_ERR_MAX bytes on a UTF-8 boundary. */
    enum store_err (*outbox_mark)(struct store *s, int64_t id, int attempt, const char *to,
                                  int64_t at, const char *error, size_t errlen);

    /* Signing, staff and decisions (schema 3). Each write is one statement, so it joins the
     * caller's transaction when there is one and commits on its own otherwise. */
    /* cms_sha256: the CMS's SHA-256, lower-case hex (store.c computes it) */
    enum store_err (*signature_put)(struct store *s, const struct store_signature *sig,
                                    const char *cms_sha256);
    enum store_err (*signature_get)(struct store *s, int64_t application_id, store__signature_fn fn,
                                    void *ctx);
    enum store_err (*user_put)(struct store *s, const struct store_user *u);
    enum store_err (*user_get)(struct store *s, const char *username, struct store_user *out);
    enum store_err (*user_update)(struct store *s, const struct store_user *u);
    enum store_err (*user_each)(struct store *s, store__user_fn fn, void *ctx);
    /* f: checked (province 0..81, late -1..1, limit and offset >= 0); total never NULL */
    enum store_err (*app_list)(struct store *s, const struct store_app_filter *f,
                               store__app_list_fn fn, void *ctx, long *total);
    enum store_err (*app_state_counts)(struct store *s, int province, store__count_fn fn,
                                       void *ctx);
    enum store_err (*expiring_unapplied)(struct store *s, int province, int64_t from, int64_t to,
                                         store__expiring_fn fn, void *ctx);
    /* d: every string set (store.c fills the defaults) */
    enum store_err (*decision_put)(struct store *s, const struct store_decision *d);
    enum store_err (*decision_get)(struct store *s, int64_t application_id, store__decision_fn fn,
                                   void *ctx);
    enum store_err (*remote_chain_get)(struct store *s, const char *tckn, int *count);
    enum store_err (*remote_chain_set)(struct store *s, const char *tckn, int count, int64_t now);

    /* Expiry warnings (schema 4). Each write is one statement (joins the caller's
     * transaction). warn_keys: up to limit (not_after, id) of the certificates in [from, to)
     * after the position (from already raised to after_not_after by store.c, so the keyset
     * condition left is "not_after > after_not_after OR id > after_id") whose milestone days
     * is not queued, in order; *n gets how many (keys has room for limit). warn_due: the
     * rows of STORE__WARN_SQL over [from, to) after the position, up to (end_not_after,
     * end_id) included. */
    enum store_err (*warn_keys)(struct store *s, int64_t from, int64_t to, int days,
                                int64_t after_not_after, int64_t after_id, long limit,
                                int64_t (*keys)[2], long *n);
    enum store_err (*warn_due)(struct store *s, int64_t from, int64_t to, int days,
                               int64_t after_not_after, int64_t after_id, int64_t end_not_after,
                               int64_t end_id, store__warn_fn fn, void *ctx);
    /* an unknown certificate is STORE_ENOTFOUND (the foreign key refused it) */
    /* ids: n distinct ids, ascending, as text: "1,2,3"; calls fn for each id whose mark
     * changed */
    enum store_err (*warn_mark)(struct store *s, const char *ids, int days, int64_t now,
                                void (*fn)(void *ctx, int64_t id), void *ctx);
    enum store_err (*remind_due)(struct store *s, int64_t before, int64_t after_id, long limit,
                                 store__app_list_fn fn, void *ctx);
    enum store_err (*remind_mark)(struct store *s, int64_t application_id, const char *state,
                                  int64_t now, bool *inserted);
    enum store_err (*outbox_handover)(struct store *s, int64_t id, int attempt, int64_t now);
    enum store_err (*outbox_resolve)(struct store *s, int64_t id, bool retry, int64_t now);
    enum store_err (*outbox_problems)(struct store *s, int64_t now, store__problem_fn fn,
                                      void *ctx);
};

/* The head of every backend's connection struct (which embeds it first). */
struct store {
    const struct store_ops *ops;
    bool importing; /* between import_begin and commit/abort */
    bool in_tx;     /* between store_tx_begin and commit/rollback */
    bool in_read;   /* between store_read_begin and store_read_end */
    /* keys written in the open transaction, bumped again at its end (store_gen.c) */
    int gen_nsess, gen_napp;
    bool gen_overflow;
    char gen_sess[STORE__GEN_DIRTY][STORE_HASH_HEX + 1];
    int64_t gen_app[STORE__GEN_DIRTY];
    char err[STORE_ERR_MAX]; /* store_last_error(): no personal data, no secrets */
};

/* Backend constructors. path/url are the part store_open parsed; make_dir: create a missing
 * parent directory (store_open_create). On failure *out is NULL and err says why. */
enum store_err store__sqlite_open(const char *path, bool make_dir, struct store **out, char *err,
                                  size_t errlen);
enum store_err store__pg_open(const char *url, struct store **out, char *err, size_t errlen);

/* Change generations (store_gen.c): a write to a session or an application moves its counter
 * on (now, and inside a transaction once more when the transaction ends: settle). */
void store__gen_session(struct store *s, const char *token_hash);
void store__gen_app(struct store *s, int64_t id);
void store__gen_settle(struct store *s);

/* Writes the detail of the last failure (printf-style) into s->err and returns e. */
enum store_err store__fail(struct store *s, enum store_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The newest version in a migration array (0 when empty). */
int store__latest(const struct store_migration *m, size_t n);

/* Copies the n bytes at src and a NUL into dst[size]; -1 (dst "") when they do not fit. */
int store__copy(char *dst, size_t size, const char *src, size_t n);

/* Lower-case hex of a hash as produced by store_audit_hash: exactly 64 of [0-9a-f]. */
bool store__is_hash(const char *h);

/* The columns of struct store_application, in the order of STORE__APP_COLS (which both
 * backends' SQL uses), so that binding and reading are one loop over this table. */
enum store__ctype { STORE__TEXT, STORE__INT, STORE__I64, STORE__BOOL };
struct store__col {
    const char *name;
    enum store__ctype type;
    size_t off, size; /* of the field in struct store_application */
    bool fixed;       /* never changed by store_app_update */
};
extern const struct store__col store__app_cols[];
extern const size_t store__app_ncols;
#define STORE__APP_COLS                                                                            \
    "number, tckn, state, confirmed, confirmed_at, first_name, last_name, birth_place, "           \
    "birth_date, institution_name, registry_no, reason, card_reader, validity_years, "             \
    "security_word_hash, unit, title, address, province, district, postal_code, email, "           \
    "work_phone, work_phone_ext, mobile_phone, mobile_operator, home_phone, notify_by, method, "   \
    "late, cert_not_after, created_at, updated_at"

/* The personnel columns every backend reads a record from, in this order, each name preceded
 * by t (a table alias and a dot, or ""). */
#define STORE__P_COLS(t)                                                                           \
    t "tckn, " t "first_name, " t "last_name, " t "birth_place, " t "birth_date, " t               \
      "institution_code, " t "institution_name, " t "province, " t "district, " t "unit, " t       \
      "title, " t "duty, " t "assignment_end, " t "entitled, " t "email, " t "mobile_phone"
#define STORE__P_NCOLS 16

/* The columns of struct store_user, in the order both backends bind and read them. */
#define STORE__USER_COLS                                                                           \
    "username, role, province, password_hash, totp_secret, totp_enabled, totp_last_step, "         \
    "failed_count, locked_until, last_login_at, disabled, created_at, updated_at, email"
/* store_expiring_unapplied, with M the placeholder mark (1 province, 2 from, 3 to). The
 * holder's current certificate is the one no other of theirs beats in
 * store_certificate_current's order (not_before, then not_after, then id); the certificates
 * come through the not_after index and each check is an index lookup by tckn, so the cost
 * follows the certificates expiring in the window, not all there are. */
#define STORE__EXPIRING_SQL(M)                                                                     \
    "SELECT c.fingerprint, c.tckn, c.subject_name, c.subject, c.serial, c.issuer, c.not_before, "  \
    "c.not_after, c.policies, c.revoked_at, " STORE__P_COLS(                                       \
        "p.") " FROM certificates c "                                                              \
              "JOIN personnel p ON p.tckn = c.tckn "                                               \
              "WHERE c.not_after >= " M "2 AND c.not_after < " M "3 AND c.revoked_at IS NULL "     \
              "AND (CAST(" M "1 AS INTEGER) = 0 OR p.province = CAST(" M "1 AS INTEGER)) "         \
              "AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.tckn = c.tckn "                \
              "AND n.not_before >= c.not_before AND (n.not_before > c.not_before "                 \
              "OR n.not_after > c.not_after OR (n.not_after = c.not_after AND n.id > c.id))) "     \
              "AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.tckn = c.tckn "                \
              "AND ((a.state <> 'rejected' AND a.state <> 'completed' AND a.state <> "             \
              "'cancelled') "                                                                      \
              "OR a.created_at >= c.not_before)) "                                                 \
              "ORDER BY c.not_after, c.id"

/* store_warn_due, with M the placeholder mark: 1 from, 2 to, 3 days, 4 after_not_after,
 * 5 after_id, 6 limit. Selects c.id, warned_days (-1 for none), the certificate columns (as
 * store_expiring_unapplied) and STORE__P_COLS("p."). The milestone test comes first: on a
 * second scan it is the one that fails, and it needs only the row the index led to, not the
 * lookups of the two NOT EXISTS. The holder's current certificate and the applications test
 * are those of STORE__EXPIRING_SQL. */
#define STORE__WARN_KEYS_SQL(M)                                                                    \
    "SELECT c.not_after, c.id FROM certificates c WHERE c.not_after >= " M "1 "                    \
    "AND c.not_after < " M "2 AND (c.not_after > " M "4 OR c.id > " M "5) "                        \
    "AND NOT EXISTS (SELECT 1 FROM certificate_warnings w WHERE w.certificate_id = c.id "          \
    "AND w.days <= " M "3) ORDER BY c.not_after, c.id LIMIT " M "6"
/* store_warn_keys (the same numbering, 6 the limit): only the not_after index (whose entries
 * carry the id) and the marks are read. STORE__WARN_SQL gives the page's rows: 6
 * end_not_after and 7 end_id instead of the limit. */
#define STORE__WARN_SQL(M)                                                                         \
    "SELECT c.id, coalesce(w.days, -1), c.fingerprint, c.tckn, c.subject_name, "                   \
    "c.subject, c.serial, c.issuer, c.not_before, c.not_after, c.policies, "                       \
    "c.revoked_at, " STORE__P_COLS("p.") " FROM certificates c "                                   \
                                         "LEFT JOIN certificate_warnings w "                       \
                                         "ON w.certificate_id = c.id "                             \
                                         "JOIN personnel p ON p.tckn = c.tckn "                    \
                                         "WHERE c.not_after >= " M "1 AND c.not_after < " M        \
                                         "2 AND (c.not_after > " M "4 OR c.id > " M "5) "          \
                                         "AND (w.days IS NULL OR w.days > " M                      \
                                         "3) AND c.revoked_at IS NULL "                            \
                                         "AND NOT EXISTS (SELECT 1 FROM certificates n "           \
                                         "WHERE n.tckn = c.tckn AND n.not_before >= "              \
                                         "c.not_before AND (n.not_before > c.not_before "          \
                                         "OR n.not_after > c.not_after OR (n.not_after = "         \
                                         "c.not_after AND n.id > c.id))) "                         \
                                         "AND NOT EXISTS (SELECT 1 FROM applications a "           \
                                         "WHERE a.tckn = c.tckn AND ((a.state <> 'rejected' "      \
                                         "AND a.state <> 'completed' AND a.state <> "              \
                                         "'cancelled') OR a.created_at >= c.not_before)) "         \
                                         "AND (c.not_after < " M "6 OR (c.not_after = " M "6 "     \
                                         "AND c.id <= " M "7)) ORDER BY c.not_after, c.id"
/* store_remind_due (1 before, 2 after_id, 3 limit): "id", the application columns, then
 * STORE__P_COLS("p.") of the applicant's record (NULL when none). */
#define STORE__REMIND_SQL(M)                                                                       \
    "SELECT x.*, " STORE__P_COLS("p.") " FROM (SELECT id, " STORE__APP_COLS                        \
                                       " FROM applications WHERE state IN ('draft', "              \
                                       "'code_verified', 'awaiting_original') "                    \
                                       "AND updated_at < " M "1 AND id > " M "2 "                  \
                                       "AND NOT EXISTS (SELECT 1 FROM application_reminders r "    \
                                       "WHERE r.application_id = applications.id "                 \
                                       "AND r.state = applications.state) "                        \
                                       "ORDER BY id LIMIT " M "3) x "                              \
                                       "LEFT JOIN personnel p ON p.tckn = x.tckn ORDER BY x.id"
/* store_outbox_resolve (1 id, 2 now): the messages it may change, as store_outbox_problems
 * lists them */
#define STORE__OB_UNCONFIRMED(M)                                                                   \
    "(status = 'sending' AND handed_over_at IS NOT NULL AND next_try_at <= " M "2)"
#define STORE__OB_RETRY_SQL(M)                                                                     \
    "UPDATE outbox SET status = 'pending', attempts = 0, next_try_at = " M "2, "                   \
    "last_error = NULL, handed_over_at = NULL WHERE id = " M                                       \
    "1 AND (status = 'failed' OR " STORE__OB_UNCONFIRMED(M) ")"
#define STORE__OB_CONFIRM_SQL(M)                                                                   \
    "UPDATE outbox SET status = 'sent', sent_at = " M "2, last_error = NULL WHERE id = " M         \
    "1 AND " STORE__OB_UNCONFIRMED(M)
/* store_outbox_problems (1 now) */
#define STORE__PROBLEMS_SQL(M)                                                                     \
    "SELECT id, channel, recipient, subject, dedupe_key, "                                         \
    "CASE WHEN status = 'failed' THEN 'failed' ELSE 'unconfirmed' END, "                           \
    "coalesce(last_error, ''), attempts, created_at, coalesce(handed_over_at, 0), template, "      \
    "params FROM outbox WHERE status = 'failed' OR (status = 'sending' "                           \
    "AND handed_over_at IS NOT NULL "                                                              \
    "AND next_try_at <= " M "1) ORDER BY id"

/* The application statements, made from the table once per process: placeholders are "?N"
 * (SQLite) or "$N" (PostgreSQL).
 *   INSERT  binds every column 1..ncols, returns id
 *   UPDATE  binds every column 1..ncols (fixed ones are bound but not written), then id
 *           (ncols+1) and the expected state (ncols+2)
 *   LIST    the approvers' queue (store_app_list): selects "a.id", the application columns in
 *           the order of the table, then STORE__P_COLS("p.") of the applicant's personnel
 *           record (all NULL when there is none), oldest change first. Binds the filter:
 *           1 province (0: any), 2 state (NULL: all but draft), 3 institution part (NULL:
 *           any), 4 district (NULL: any), 5 late (-1: any), 6 updated_before (0: any),
 *           7 limit (SQLite -1 / PostgreSQL NULL: none), 8 offset
 *   COUNT   count(*) of the rows LIST finds without limit and offset; binds 1..6 alike
 * The SELECT column list is "id, " STORE__APP_COLS. NULL only when out of memory. */
enum store__app_sql { STORE__APP_INSERT, STORE__APP_UPDATE, STORE__APP_LIST, STORE__APP_COUNT };
#define STORE__APP_SQL_KINDS 4
const char *store__app_sql(enum store__app_sql which, bool pg);

/* A fixed-size text field of a record, bounded by its size (a field without NUL is -1). */
int store__field_len(const char *f, size_t size, size_t *len);

#endif

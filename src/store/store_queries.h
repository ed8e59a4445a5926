/* eimza — the query catalogue: every statement the store runs, written once. Included with
 * STORE_Q(ID, WHAT, SQL) defined (store_int.h makes the ids, store_query.c the table); no
 * include guard on purpose.
 *
 * The text is made into each database's statement once per process (store_query.c):
 *   $N                  the Nth parameter ("?N" for SQLite, "$N" for PostgreSQL)
 *   {S:text} {P:text}   text only for SQLite / only for PostgreSQL: the one place a dialect
 *                       differs (a statement that is empty for a dialect is not run there)
 *   {cols T [a]}        the columns of row type T (store_row.c), each after "a." when given
 *   {data T [a]}        the same without T's key columns
 *   {vals T N}          $N, $N+1, ... one per column of T (a whole record bound from $N on)
 *   {set T N}           "c = $N+i" for each column of T that is not a key
 *   {same T N}          " AND c = $N+i" for each key column of T
 *   {excl T}            "c = excluded.c" for each column of T that is not a key
 *   {differ T}          "the stored row differs from excluded", column by column
 * WHAT says what the statement does, for error messages. Adding a query: an entry here and a
 * typed function that binds its parameters and reads its rows (docs/ARCHITECTURE.md). */
#ifndef STORE__QUERIES_FRAGMENTS
#define STORE__QUERIES_FRAGMENTS
/* The holder's current certificate is the one no other of theirs beats in
 * store_certificate_current's order (not_before, then not_after, then id). */
#define STORE__CURRENT_CERT                                                                        \
    "NOT EXISTS (SELECT 1 FROM certificates n WHERE n.tckn = c.tckn "                              \
    "AND n.not_before >= c.not_before AND (n.not_before > c.not_before "                           \
    "OR n.not_after > c.not_after OR (n.not_after = c.not_after AND n.id > c.id)))"
/* ... and the holder has no application still going nor one created since it was issued (the
 * application this certificate completed, or is linked to, does not count: it renewed the one
 * before). */
#define STORE__NOT_APPLIED                                                                         \
    "NOT EXISTS (SELECT 1 FROM applications a WHERE a.tckn = c.tckn "                              \
    "AND coalesce(a.new_cert_id, 0) <> c.id "                                                      \
    "AND ((a.state <> 'rejected' AND a.state <> 'completed' AND a.state <> 'cancelled') "          \
    "OR a.created_at >= c.not_before))"
/* The approvers' queue filter: 1 province (0: any), 2 state (NULL: all but draft), 3 a part
 * of the institution's name (NULL: any), 4 district (NULL: any), 5 late (-1: any), 6 changed
 * before (0: any). Every parameter is cast where it is used, so that PostgreSQL deduces one
 * type for it, and a NULL text still reads as "any"; the province is the personnel record's,
 * or the form's when the applicant has none. */
#define STORE__APP_FILTER                                                                          \
    " FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "                               \
    "WHERE (CAST($1 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($1 AS INTEGER)) "   \
    "AND ((CAST($2 AS TEXT) IS NULL AND a.state <> 'draft') OR a.state = CAST($2 AS TEXT)) "       \
    "AND (CAST($3 AS TEXT) IS NULL "                                                               \
    "OR {S:instr}{P:strpos}(a.institution_name, CAST($3 AS TEXT)) > 0) "                           \
    "AND (CAST($4 AS TEXT) IS NULL OR p.district = CAST($4 AS TEXT)) "                             \
    "AND (CAST($5 AS INTEGER) < 0 OR a.late = (CAST($5 AS INTEGER) = 1)) "                         \
    "AND (CAST($6 AS BIGINT) = 0 OR a.updated_at < CAST($6 AS BIGINT))"
#define STORE__APP_BY "SELECT id, {cols app} FROM applications WHERE "
/* the messages store_outbox_resolve may change (2: now), as store_outbox_problems lists them */
#define STORE__OB_UNCONFIRMED                                                                      \
    "(status = 'sending' AND handed_over_at IS NOT NULL AND next_try_at <= $2)"
/* ---- retention (issue 18): the conditions, shared by the counts of a dry run and the changes;
 * the partial indexes of migration 8 repeat theirs word for word */
/* a message delivered or failed for good, still holding its recipient: one carrying a one-time
 * code at once, any other queued before $1 */
#define STORE__RET_MSG                                                                             \
    "recipient <> '' AND status IN ('sent', 'failed') AND (created_at < $1 OR "                    \
    "dedupe_key LIKE 'otp:%' OR dedupe_key LIKE 'pin:%')"
#define STORE__RET_CLOSED "a.state IN ('rejected', 'completed', 'cancelled')"
/* a closed application not yet anonymised, closed before $1 */
#define STORE__RET_CONTACT                                                                         \
    "a.anonymised_at = 0 AND a.state IN ('rejected', 'completed', 'cancelled') AND "               \
    "a.updated_at < $1"
/* a draft never submitted, untouched since before $1 */
#define STORE__RET_DRAFT "a.state IN ('draft', 'code_verified') AND a.updated_at < $1"
/* a closed application's evidence is due for removal: $1 now, $2 the years it is kept after
 * the certificate it concerns ceases to be valid, at the latest the closing plus the validity
 * asked for plus a year (a renewal starts at most a year ahead), or the linked new
 * certificate's own end; $3 the latest closing that can be due at all (with the shortest
 * validity), for the index */
#define STORE__RET_EVIDENCE                                                                        \
    STORE__RET_CLOSED " AND a.updated_at < $3 AND a.updated_at + CAST(a.validity_years + 1 + "     \
                      "CAST($2 AS INTEGER) AS BIGINT) * 31622400 < $1 AND (a.new_cert_id IS NULL " \
                      "OR coalesce((SELECT c.not_after FROM certificates c WHERE c.id = "          \
                      "a.new_cert_id), $1) + CAST($2 AS BIGINT) * 31622400 < $1)"
/* a certificate ended before $1 that nothing kept names */
#define STORE__RET_CERT                                                                            \
    "c.not_after < $1 AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.new_cert_id = c.id) "   \
    "AND NOT EXISTS (SELECT 1 FROM cards k WHERE k.certificate_id = c.id) "                        \
    "AND NOT EXISTS (SELECT 1 FROM revocation_requests r WHERE r.certificate_id = c.id)"
/* a card recorded without an application (reported lost): its certificate (if any) ended
 * before $1, its last change before $2 */
#define STORE__RET_LOST                                                                            \
    "k.application_id IS NULL AND k.updated_at < $2 AND (k.certificate_id IS NULL OR "             \
    "coalesce((SELECT c.not_after FROM certificates c WHERE c.id = k.certificate_id), 0) < $1)"
/* the applicants' logins and lock-outs, as audit entries not yet anonymised, before $1 */
#define STORE__RET_LOGINS "redacted_by = 0 AND action IN ('login', 'login.lockout') AND at < $1"
/* a JSON array (1) as rows: of numbers, of texts */
#define STORE__RET_INTS                                                                            \
    "{S:SELECT value FROM json_each($1)}"                                                          \
    "{P:SELECT CAST(json_array_elements_text(CAST($1 AS json)) AS BIGINT)}"
#define STORE__RET_TEXTS                                                                           \
    "{S:SELECT value FROM json_each($1)}{P:SELECT json_array_elements_text(CAST($1 AS json))}"
/* what a delivered message keeps of itself: nothing of a one-time code (an SMS code, a PIN's
 * code: dedupe key "otp:..." or "pin:...") once it is delivered (retention, issue 18) */
#define STORE__OB_FORGET                                                                           \
    "recipient = CASE WHEN " STORE__OB_CODE                                                        \
    " THEN '' ELSE recipient END, body = CASE WHEN " STORE__OB_CODE                                \
    " THEN '' ELSE body END, template = CASE WHEN " STORE__OB_CODE                                 \
    " THEN NULL ELSE template END, params = CASE WHEN " STORE__OB_CODE                             \
    " THEN NULL ELSE params END"
#define STORE__OB_CODE "(dedupe_key LIKE 'otp:%' OR dedupe_key LIKE 'pin:%')"
#define STORE__OB_UNCONFIRMED_AT1                                                                  \
    "(status = 'sending' AND handed_over_at IS NOT NULL AND next_try_at <= $1)"
#endif

/* ---- the connection and the schema ---------------------------------------------------- */
/* SQLite: the schema cookie, which sq_ping wants non-zero (a database with a schema) */
STORE_Q(PING, "ping", "{S:PRAGMA schema_version}{P:SELECT 1}")
STORE_Q(MIG_HAS, "reading the schema version",
        "{S:SELECT count(*) FROM sqlite_master WHERE type = 'table' "
        "AND name = 'schema_migrations'}"
        "{P:SELECT CAST(to_regclass('schema_migrations') IS NOT NULL AS INTEGER)}")
STORE_Q(MIG_VERSION, "reading the schema version",
        "SELECT coalesce(max(version), 0) FROM schema_migrations")
STORE_Q(MIG_TABLE, "creating schema_migrations",
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at {S:INTEGER}{P:BIGINT} NOT NULL)")
STORE_Q(MIG_ADD, "recording a migration",
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
/* Migrations serialise: on SQLite by the write lock (a second `eimza migrate` waits up to a
 * minute for the first), on PostgreSQL by an advisory lock ("eimza" in ASCII, then 1) taken in
 * each migration's transaction. */
STORE_Q(MIG_WAIT, "waiting for other migrations", "{S:PRAGMA busy_timeout = 60000}")
STORE_Q(MIG_LOCK, "waiting for other migrations", "{P:SELECT pg_advisory_xact_lock(435459224417)}")
STORE_Q(MIG_DONE, "ending the migrations", "{S:PRAGMA busy_timeout = 5000}")
/* The expiry scan reads rows scattered over the whole file, each once: through pread every
 * one is a system call and a copy (a third of a 1M-row scan's time), mapped it is a memory
 * access. And a batch dirties thousands of pages (the outbox, its index, the marks): with the
 * default 2 MiB cache they spilled into the WAL and were read back (2.5x the writes). Only on
 * a connection that scans, from its first scan on. */
STORE_Q(SCAN_MMAP, "tuning for the scan", "{S:PRAGMA mmap_size = 4294967296}")
STORE_Q(SCAN_CACHE, "tuning for the scan", "{S:PRAGMA cache_size = -65536}")
/* During an import the tckn index of a million rows (~25 MiB) stays in memory, so its random
 * inserts do not go to the file. 16 MiB made a 1M-row import 18% slower; with 32 MiB a whole
 * import of 1M rows peaks at 48 MiB RSS. */
STORE_Q(IMPORT_CACHE, "tuning for the import", "{S:PRAGMA cache_size = -32768}")
STORE_Q(PLAIN_CACHE, "ending the import", "{S:PRAGMA cache_size = -2000}")

/* ---- personnel ------------------------------------------------------------------------- */
STORE_Q(P_GET, "reading a personnel record",
        "SELECT {cols personnel} FROM personnel WHERE tckn = $1")
STORE_Q(P_COUNT, "counting personnel", "SELECT count(*) FROM personnel")
/* The WHERE keeps an unchanged row from being rewritten (and its updated_at from moving): it
 * then changes no row, which is what the import's counts are made of. */
STORE_Q(P_UPSERT, "storing a personnel row",
        "INSERT INTO personnel ({cols personnel}, updated_at) VALUES ({vals personnel 2}, $1) "
        "ON CONFLICT (tckn) DO UPDATE SET {excl personnel}, updated_at = excluded.updated_at "
        "WHERE {differ personnel}")

/* ---- certificates ---------------------------------------------------------------------- */
STORE_Q(C_PUT, "storing a certificate",
        "INSERT INTO certificates ({cols cert}, der, imported_at) VALUES ({vals cert 3}, $1, $2) "
        "ON CONFLICT (fingerprint) DO NOTHING")
STORE_Q(C_REVOKE, "revoking a certificate",
        "UPDATE certificates SET revoked_at = $3 "
        "WHERE issuer = $1 AND serial = $2 AND revoked_at IS NULL")
STORE_Q(C_EXISTS, "looking up a certificate",
        "SELECT count(*) FROM certificates WHERE issuer = $1 AND serial = $2")
/* a person's current certificate: the newest */
#define STORE__C_NEWEST "ORDER BY not_before DESC, not_after DESC, id DESC LIMIT 1"
STORE_Q(C_CURRENT, "reading a certificate",
        "SELECT {cols cert} FROM certificates WHERE tckn = $1 " STORE__C_NEWEST)
STORE_Q(C_COUNT, "counting certificates", "SELECT count(*) FROM certificates")

/* ---- the audit log: appends serialise (the write lock; an advisory lock on PostgreSQL) -- */
STORE_Q(A_LOCK, "waiting for other audit entries", "{P:SELECT pg_advisory_xact_lock(435459224418)}")
STORE_Q(A_LAST, "reading the last audit entry",
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
STORE_Q(A_INSERT, "appending an audit entry",
        "INSERT INTO audit_log ({cols audit}) VALUES ({vals audit 1})")
/* in pages of $2, so that a long log never sits in memory whole */
STORE_Q(A_PAGE, "reading the audit log",
        "SELECT {cols audit} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")

/* ---- captchas, sessions, rate limits ----------------------------------------------------- */
STORE_Q(CAP_PUT, "storing a captcha",
        "INSERT INTO captchas ({cols captcha}) VALUES ({vals captcha 1})")
STORE_Q(CAP_GET, "reading a captcha", "SELECT {cols captcha} FROM captchas WHERE id = $1")
/* One statement: of concurrent takes only one finds it unused (on PostgreSQL the others wait
 * for its row lock, then see it used). */
STORE_Q(CAP_TAKE, "using a captcha",
        "UPDATE captchas SET used = true WHERE id = $1 AND NOT used "
        "RETURNING id, answer, expires_at, false")
STORE_Q(CAP_PURGE, "deleting old captchas", "DELETE FROM captchas WHERE expires_at < $1")
STORE_Q(S_PUT, "storing a session",
        "INSERT INTO sessions ({cols session}) VALUES ({vals session 1})")
STORE_Q(S_GET, "reading a session", "SELECT {cols session} FROM sessions WHERE token_hash = $1")
STORE_Q(S_TOUCH, "updating a session",
        "UPDATE sessions SET last_seen = {S:max}{P:greatest}(last_seen, $2) WHERE token_hash = $1")
STORE_Q(S_BIND, "updating a session",
        "UPDATE sessions SET application_id = $2 WHERE token_hash = $1")
STORE_Q(S_DELETE, "deleting a session", "DELETE FROM sessions WHERE token_hash = $1")
STORE_Q(S_PURGE, "deleting old sessions",
        "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen + $2 <= $1")
/* Atomic across processes sharing a PostgreSQL. */
STORE_Q(R_HIT, "counting an attempt",
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) "
        "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 "
        "RETURNING count")
STORE_Q(R_GET, "reading a rate limit",
        "SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2")
STORE_Q(R_PURGE, "deleting old rate-limit windows",
        "DELETE FROM rate_limits WHERE window_start < $1")

/* ---- applications ---------------------------------------------------------------------- */
STORE_Q(APP_INSERT, "storing an application",
        "INSERT INTO applications ({cols app}) VALUES ({vals app 1}) RETURNING id")
/* Written when the state is still the one expected; the key columns are compared, not
 * written: the row must be the one read. */
STORE_Q(APP_UPDATE, "updating an application",
        "UPDATE applications SET {set app 3} WHERE id = $1 AND state = $2{same app 3}")
STORE_Q(APP_EXISTS, "looking up an application", "SELECT count(*) FROM applications WHERE id = $1")
STORE_Q(APP_GET, "reading an application", STORE__APP_BY "id = $1")
STORE_Q(APP_GET_LOCK, "reading an application", STORE__APP_BY "id = $1{P: FOR UPDATE}")
STORE_Q(APP_NUMBER, "reading an application", STORE__APP_BY "number = $1")
STORE_Q(APP_LATEST, "reading an application",
        STORE__APP_BY "tckn = $1 ORDER BY created_at DESC, id DESC LIMIT 1")
STORE_Q(APP_LATEST_LOCK, "reading an application",
        STORE__APP_BY "tckn = $1 ORDER BY created_at DESC, id DESC LIMIT 1{P: FOR UPDATE}")
STORE_Q(EV_INSERT, "recording an application event",
        "INSERT INTO application_events (application_id, {cols event}) VALUES ($1, {vals event 2})")
STORE_Q(EV_EACH, "reading the application's timeline",
        "SELECT {cols event} FROM application_events WHERE application_id = $1 ORDER BY id")
STORE_Q(OTP_GET, "reading the SMS code state",
        "SELECT {cols otp} FROM application_otp WHERE application_id = $1")
STORE_Q(OTP_GET_LOCK, "reading the SMS code state",
        "SELECT {cols otp} FROM application_otp WHERE application_id = $1{P: FOR UPDATE}")
STORE_Q(OTP_PUT, "storing the SMS code state",
        "INSERT INTO application_otp ({cols otp}) VALUES ({vals otp 1}) "
        "ON CONFLICT (application_id) DO UPDATE SET {excl otp}")

/* ---- the status page's read (store_status_read, store_status_of): one statement ---------- */
/* The application the portal picks for person P whose session is bound to B: the bound one
 * while it is P's, else P's newest. */
#define STORE__STATUS_PICK(P, B)                                                                   \
    "coalesce((SELECT b.id FROM applications b WHERE b.id = " B " AND b.tckn = " P "), "           \
    "(SELECT b.id FROM applications b WHERE b.tckn = " P                                           \
    " ORDER BY b.created_at DESC, b.id DESC LIMIT 1))"
/* The application (a: what the status shows of it), the reason of its rejection, its newest
 * card (k), that card's PIN state, the new certificate (nc), and a row per timeline entry (e);
 * the columns before the event's repeat on every row, and are NULL when there is no
 * application. */
#define STORE__STATUS_COLS                                                                         \
    "a.id, {cols app_status a}, CASE WHEN a.state = 'rejected' THEN (SELECT CASE WHEN "            \
    "d.decision = 'reject' THEN d.reason END FROM decisions d WHERE d.application_id = a.id "      \
    "ORDER BY d.id DESC LIMIT 1) END, k.id, {cols card k}, pn.state, nc.id, nc.serial, "           \
    "nc.not_before, nc.not_after, {cols event e}"
#define STORE__STATUS_JOINS                                                                        \
    " LEFT JOIN cards k ON k.id = (SELECT max(x.id) FROM cards x WHERE x.application_id = a.id)"   \
    " LEFT JOIN card_pins pn ON pn.card_id = k.id"                                                 \
    " LEFT JOIN certificates nc ON nc.id = a.new_cert_id"                                          \
    " LEFT JOIN application_events e ON e.application_id = a.id"
/* 1 token hash */
STORE_Q(STATUS, "reading the status",
        "SELECT {cols session s}, " STORE__STATUS_COLS " FROM sessions s "
        "LEFT JOIN applications a ON a.id = " STORE__STATUS_PICK("s.subject", "s.application_id")
            STORE__STATUS_JOINS " WHERE s.token_hash = $1 ORDER BY e.id")
/* 1 the person, 2 the application their session is bound to (0: none) */
STORE_Q(STATUS_OF, "reading the status",
        "SELECT " STORE__STATUS_COLS " FROM applications a" STORE__STATUS_JOINS
        " WHERE a.id = " STORE__STATUS_PICK("CAST($1 AS TEXT)",
                                            "CAST($2 AS BIGINT)") " ORDER BY e.id")

/* What deciding on a signature needs (store_sign_read), in one statement: the application as
 * STATUS picks it (1 the person, 2 the application their session is bound to), its holder's
 * current certificate (c.id NULL when none) and chain of signature-only renewals.*/
STORE_Q(SIGN_READ, "reading the application to sign",
        "SELECT a.id, {cols app a}, c.id, {cols cert c}, coalesce(rc.count, 0) FROM applications a "
        "LEFT JOIN certificates c ON c.id = (SELECT x.id FROM certificates x WHERE x.tckn = "
        "a.tckn " STORE__C_NEWEST
        ") LEFT JOIN remote_chains rc ON rc.tckn = a.tckn WHERE a.id = " STORE__STATUS_PICK(
            "CAST($1 AS TEXT)", "CAST($2 AS BIGINT)"))

/* ---- the form's drafts (issue 17: the applicant's pages) ------------------------------- */
STORE_Q(DRAFT_GET, "reading a form draft",
        "SELECT {cols draft} FROM application_drafts WHERE application_id = $1")
STORE_Q(DRAFT_PUT, "storing a form draft",
        "INSERT INTO application_drafts ({cols draft}) VALUES ({vals draft 1}) "
        "ON CONFLICT (application_id) DO UPDATE SET {excl draft}")
STORE_Q(DRAFT_DELETE, "removing a form draft",
        "DELETE FROM application_drafts WHERE application_id = $1")
/* ---- signing tickets (the relay path: app/relay.c, store_relay.c) ------------------------ */
/* 1 the session's token hash, 2 now: a session's open tickets end when it asks for another
 * (a ticket being checked is left to finish) */
STORE_Q(TK_SUPERSEDE, "ending a session's open signing tickets",
        "UPDATE sign_tickets SET state = 'superseded', ended_at = $2 "
        "WHERE session_hash = $1 AND state IN ('issued', 'claimed')")
STORE_Q(TK_PURGE, "deleting old signing tickets", "DELETE FROM sign_tickets WHERE created_at < $1")
STORE_Q(TK_INSERT, "storing a signing ticket",
        "INSERT INTO sign_tickets ({cols ticket}) VALUES ({vals ticket 1})")
STORE_Q(TK_GET, "reading a signing ticket",
        "SELECT id, {cols ticket} FROM sign_tickets WHERE ticket_hash = $1")
STORE_Q(TK_GET_LOCK, "reading a signing ticket",
        "SELECT id, {cols ticket} FROM sign_tickets WHERE ticket_hash = $1{P: FOR UPDATE}")
STORE_Q(TK_LATEST, "reading a session's signing ticket",
        "SELECT id, {cols ticket} FROM sign_tickets WHERE session_hash = $1 "
        "ORDER BY id DESC LIMIT 1")
/* Written when the state is still the one expected; the key columns are compared, not
 * written. */
STORE_Q(TK_MOVE, "updating a signing ticket",
        "UPDATE sign_tickets SET {set ticket 3} WHERE id = $1 AND state = $2{same ticket 3}")
STORE_Q(TK_EXISTS, "looking up a signing ticket", "SELECT count(*) FROM sign_tickets WHERE id = $1")

/* ---- the outbox ------------------------------------------------------------------------ */
/* 1 now, then the message (store_outbox_put_batch builds multi-row ones from the same parts) */
STORE_Q(OB_PUT, "queueing a message",
        STORE__OB_INSERT "(" STORE__OB_ROW("$2, $3, $4, $5, $6, $7, $8") ")" STORE__OB_CONFLICT)
STORE_Q(OB_EACH, "reading the outbox",
        "SELECT {cols outbox} FROM (SELECT * FROM outbox ORDER BY id DESC LIMIT $1) AS o "
        "ORDER BY id")
/* The due rows are locked as they are picked: on SQLite by the write lock the claim's
 * transaction takes first; on PostgreSQL rows another claim holds are skipped rather than
 * waited for, and a row another claim took meanwhile is re-checked against the WHERE (its
 * next_try_at moved past now) and left out. */
STORE_Q(OB_CLAIM, "claiming outbox messages",
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_try_at = $3 "
        "WHERE id IN (SELECT id FROM outbox WHERE channel = $1 AND (status = 'pending' "
        "OR (status = 'sending' AND handed_over_at IS NULL)) AND next_try_at <= $2 "
        "AND (CAST($5 AS INTEGER) = 1 OR secret IS NULL) ORDER BY next_try_at, id LIMIT $4{P: FOR "
        "UPDATE SKIP LOCKED}) RETURNING {cols outbox}")
/* a delivered message carrying a one-time code loses it at once (retention, issue 18) */
STORE_Q(OB_SENT, "marking an outbox message",
        "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = NULL, secret = "
        "NULL, " STORE__OB_FORGET " WHERE id = $1 AND status = 'sending' AND attempts = $2")
STORE_Q(OB_RETRY, "marking an outbox message",
        "UPDATE outbox SET status = 'pending', next_try_at = $3, last_error = $4, "
        "handed_over_at = NULL WHERE id = $1 AND status = 'sending' AND attempts = $2")
STORE_Q(OB_FAILED, "marking an outbox message",
        "UPDATE outbox SET status = 'failed', last_error = $3, secret = NULL "
        "WHERE id = $1 AND status = 'sending' AND attempts = $2")
STORE_Q(OB_HANDOVER, "marking an outbox message handed over",
        "UPDATE outbox SET handed_over_at = $3, secret = NULL "
        "WHERE id = $1 AND status = 'sending' AND attempts = $2")
STORE_Q(OB_EXISTS, "looking up an outbox message", "SELECT count(*) FROM outbox WHERE id = $1")
/* a message the retention emptied (recipient '') is not sent again */
STORE_Q(OB_REQUEUE, "changing an outbox message",
        "UPDATE outbox SET status = 'pending', attempts = 0, next_try_at = $2, last_error = NULL, "
        "handed_over_at = NULL WHERE id = $1 AND recipient <> '' AND (status = 'failed' "
        "OR " STORE__OB_UNCONFIRMED ")")
STORE_Q(OB_CONFIRM, "changing an outbox message",
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL, " STORE__OB_FORGET
        " WHERE id = $1 AND " STORE__OB_UNCONFIRMED)
STORE_Q(OB_PROBLEMS, "listing failed messages",
        "SELECT id, channel, recipient, subject, dedupe_key, "
        "CASE WHEN status = 'failed' THEN 'failed' ELSE 'unconfirmed' END, "
        "coalesce(last_error, ''), attempts, created_at, coalesce(handed_over_at, 0), template, "
        "params FROM outbox WHERE (status = 'failed' AND recipient <> '') OR (status = 'sending' "
        "AND handed_over_at IS NOT NULL AND next_try_at <= $1) ORDER BY id")

/* ---- SMS codes at rest (issue 19, finding 4; store.h) -------------------------------- */
STORE_Q(OB_SECRET_SET, "keeping an SMS code sealed",
        "UPDATE outbox SET secret = $2, secret_until = $3 WHERE dedupe_key = $1")
STORE_Q(OB_SECRET_DROP_KEY, "dropping SMS codes",
        "UPDATE outbox SET secret = NULL WHERE secret IS NOT NULL "
        "AND substr(dedupe_key, 1, length($1)) = $1")
STORE_Q(OB_SECRET_DROP_OLD, "dropping expired SMS codes",
        "UPDATE outbox SET secret = NULL WHERE secret IS NOT NULL AND secret_until <= $1")
STORE_Q(OB_SECRET_RESTORE, "keeping an SMS code sealed",
        "UPDATE outbox SET secret = $3 WHERE id = $1 AND attempts = $2 AND status = 'pending' "
        "AND secret IS NULL AND secret_until > $4")
/* ---- operations: what /metrics and /readyz read (issue 18) ----------------------------- */
/* The outbox not yet delivered, by channel and status (1 now: a message handed over whose
 * sender stopped is "unconfirmed", as store_outbox_problems names it); through the status
 * index, never the sent messages. */
STORE_Q(OPS_OUTBOX, "counting the outbox",
        "SELECT channel, CASE WHEN " STORE__OB_UNCONFIRMED_AT1 " THEN 'unconfirmed' "
        "ELSE status END, count(*) FROM outbox WHERE status IN ('pending', 'sending', 'failed') "
        "GROUP BY 1, 2 ORDER BY 1, 2")
/* The applications waiting for staff (a decision, or production once approved), per province
 * (the personnel record's, else the form's) and state: how many and the oldest change. */
STORE_Q(OPS_WAITING, "counting waiting applications",
        "SELECT coalesce(p.province, a.province), a.state, count(*), min(a.updated_at) "
        "FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "
        "WHERE a.state IN ('submitted', 'approved') GROUP BY 1, 2 ORDER BY 1, 2")

/* ---- retention (issue 18): personal data kept only as long as allowed (app/retention.c;
 * store_retention.c). Counts for a dry run, then the changes, in batches ($2: the batch size,
 * or the batch's rows as a JSON array $1). ------------------------------------------------- */
STORE_Q(RET_SESSIONS_N, "counting expired sessions",
        "SELECT count(*) FROM sessions WHERE expires_at <= $1 OR last_seen + $2 <= $1")
STORE_Q(RET_CAPTCHAS_N, "counting expired captchas",
        "SELECT count(*) FROM captchas WHERE expires_at < $1")
STORE_Q(RET_RATES_N, "counting old rate-limit windows",
        "SELECT count(*) FROM rate_limits WHERE window_start < $1")
/* signing tickets made before $1 (relay.c's "a day": each new ticket purges them too) */
STORE_Q(RET_TICKETS_N, "counting old signing tickets",
        "SELECT count(*) FROM sign_tickets WHERE created_at < $1")
STORE_Q(RET_TICKETS, "removing old signing tickets",
        "DELETE FROM sign_tickets WHERE id IN (SELECT id FROM sign_tickets WHERE created_at < $1 "
        "LIMIT $2)")
/* an SMS code's salted hash once the code expired (a used one is cleared when it is used) */
STORE_Q(RET_CODES_N, "counting expired SMS codes",
        "SELECT (SELECT count(*) FROM application_otp WHERE code_hash <> '' AND expires_at < $1) "
        "+ (SELECT count(*) FROM card_pins WHERE code_hash <> '' AND code_expires_at < $1)")
STORE_Q(RET_CODES, "removing expired SMS codes",
        "UPDATE application_otp SET code_hash = '', salt = '' WHERE application_id IN (SELECT "
        "application_id FROM application_otp WHERE code_hash <> '' AND expires_at < $1 LIMIT $2)")
STORE_Q(RET_PIN_CODES, "removing expired SMS codes",
        "UPDATE card_pins SET code_hash = '', code_salt = '' WHERE card_id IN (SELECT card_id "
        "FROM card_pins WHERE code_hash <> '' AND code_expires_at < $1 LIMIT $2)")
/* a message's recipient, subject, body and values; the channel, status, times and key stay */
STORE_Q(RET_MSG_N, "counting messages to empty",
        "SELECT count(*) FROM outbox WHERE " STORE__RET_MSG)
STORE_Q(RET_MSG, "emptying delivered messages",
        "UPDATE outbox SET recipient = '', subject = '', body = '', template = NULL, "
        "params = NULL, secret = NULL WHERE id IN (SELECT id FROM outbox WHERE " STORE__RET_MSG
        " LIMIT $2)")
/* a closed application's contact data (and the security word's hash), its cards' shipment and
 * a PIN still sealed for one of them; $2 now */
STORE_Q(RET_CONTACT_N, "counting closed applications' contact data",
        "SELECT count(*) FROM applications a WHERE " STORE__RET_CONTACT)
STORE_Q(RET_CONTACT_PICK, "listing closed applications' contact data",
        "SELECT a.id, a.number FROM applications a WHERE " STORE__RET_CONTACT
        " ORDER BY a.id LIMIT $2{P: FOR UPDATE}")
STORE_Q(RET_CONTACT_APPS, "removing closed applications' contact data",
        "UPDATE applications SET address = '', district = '', postal_code = '', email = '', "
        "work_phone = '', work_phone_ext = '', mobile_phone = '', home_phone = '', "
        "mobile_operator = '', security_word_hash = '', anonymised_at = $2 "
        "WHERE id IN (" STORE__RET_INTS ")")
STORE_Q(RET_CONTACT_CARDS, "removing closed applications' contact data",
        "UPDATE cards SET carrier = '', tracking_number = '' "
        "WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_CONTACT_PINS, "destroying sealed PINs",
        "UPDATE card_pins SET sealed = '', code_hash = '', code_salt = '', state = CASE "
        "WHEN state = 'waiting' THEN 'destroyed' ELSE state END, word_waived_note = '', "
        "word_waived_until = 0 WHERE (sealed <> '' OR code_hash <> '' OR word_waived_note <> '') "
        "AND card_id IN (SELECT id FROM cards WHERE application_id IN (" STORE__RET_INTS "))")
/* applications to remove, with the audit entries about them: drafts ($1 before), evidence ($1
 * now, $2 years, $3 the latest closing); the pick takes at most the last parameter */
STORE_Q(RET_DRAFT_N, "counting abandoned drafts",
        "SELECT count(*) FROM applications a WHERE " STORE__RET_DRAFT)
STORE_Q(RET_DRAFT_AUDIT_N, "counting abandoned drafts",
        "SELECT count(*) FROM audit_log WHERE redacted_by = 0 AND object IN "
        "(SELECT a.number FROM applications a WHERE " STORE__RET_DRAFT ")")
STORE_Q(RET_DRAFT_PICK, "listing abandoned drafts",
        "SELECT a.id, a.number FROM applications a WHERE " STORE__RET_DRAFT
        " ORDER BY a.id LIMIT $2{P: FOR UPDATE}")
STORE_Q(RET_EVIDENCE_N, "counting evidence past its time",
        "SELECT count(*) FROM applications a WHERE " STORE__RET_EVIDENCE)
STORE_Q(RET_EVIDENCE_AUDIT_N, "counting evidence past its time",
        "SELECT count(*) FROM audit_log WHERE redacted_by = 0 AND object IN "
        "(SELECT a.number FROM applications a WHERE " STORE__RET_EVIDENCE ")")
STORE_Q(RET_EVIDENCE_PICK, "listing evidence past its time",
        "SELECT a.id, a.number FROM applications a WHERE " STORE__RET_EVIDENCE
        " ORDER BY a.id LIMIT $4{P: FOR UPDATE}")
/* everything that hangs on the applications of the batch (1: their ids), the application
 * last (its timeline and SMS code state go with it: ON DELETE CASCADE) */
STORE_Q(RET_DEL_REMINDERS, "removing evidence",
        "DELETE FROM application_reminders WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_DECISIONS, "removing evidence",
        "DELETE FROM decisions WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_SIGNATURES, "removing evidence",
        "DELETE FROM signatures WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_REVOCATIONS, "removing evidence",
        "DELETE FROM revocation_requests WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_PINS, "removing evidence",
        "DELETE FROM card_pins WHERE card_id IN (SELECT id FROM cards WHERE application_id IN "
        "(" STORE__RET_INTS "))")
STORE_Q(RET_DEL_CARDS, "removing evidence",
        "DELETE FROM cards WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_SESSIONS, "removing evidence",
        "UPDATE sessions SET application_id = NULL WHERE application_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_DEL_APPS, "removing evidence",
        "DELETE FROM applications WHERE id IN (" STORE__RET_INTS ")")
/* audit entries anonymised (store.h): picked (their content checked against their hash),
 * rewritten (1: their seqs, 2: "{}"), read back for the digest, then sealed (2: the seq of the
 * "audit.anonymised" entry) */
STORE_Q(RET_A_OBJECTS, "reading audit entries to anonymise",
        "SELECT {cols audit} FROM audit_log WHERE redacted_by = 0 AND object IN (" STORE__RET_TEXTS
        ") ORDER BY seq{P: FOR UPDATE}")
STORE_Q(RET_A_LOGINS_N, "counting audit entries to anonymise",
        "SELECT count(*) FROM audit_log WHERE " STORE__RET_LOGINS)
STORE_Q(RET_A_LOGINS, "reading audit entries to anonymise",
        "SELECT {cols audit} FROM audit_log WHERE " STORE__RET_LOGINS
        " ORDER BY seq LIMIT $2{P: FOR UPDATE}")
STORE_Q(RET_A_MARK, "anonymising audit entries",
        "UPDATE audit_log SET actor = CASE WHEN actor LIKE 'applicant:%' THEN 'applicant' "
        "ELSE actor END, object = '', detail = $2 WHERE seq IN (" STORE__RET_INTS ")")
STORE_Q(RET_A_MARKED, "reading anonymised audit entries",
        "SELECT {cols audit} FROM audit_log WHERE seq IN (" STORE__RET_INTS ") ORDER BY seq")
STORE_Q(RET_A_SEAL, "anonymising audit entries",
        "UPDATE audit_log SET redacted_by = $2 WHERE seq IN (" STORE__RET_INTS ")")
/* certificates long ended ($1 their end before; $2 the cards' last change before) */
STORE_Q(RET_LOST_N, "counting old cards reported lost",
        "SELECT count(*) FROM cards k WHERE " STORE__RET_LOST)
STORE_Q(RET_LOST_PICK, "listing old cards reported lost",
        "SELECT k.id FROM cards k WHERE " STORE__RET_LOST " ORDER BY k.id LIMIT $3")
STORE_Q(RET_LOST_PINS, "removing old cards reported lost",
        "DELETE FROM card_pins WHERE card_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_LOST_DEL, "removing old cards reported lost",
        "DELETE FROM cards WHERE id IN (" STORE__RET_INTS ")")
STORE_Q(RET_CERT_N, "counting old certificates",
        "SELECT count(*) FROM certificates c WHERE " STORE__RET_CERT)
STORE_Q(RET_CERT_PICK, "listing old certificates",
        "SELECT c.id, c.tckn FROM certificates c WHERE " STORE__RET_CERT
        " ORDER BY c.id LIMIT $2{P: FOR UPDATE}")
STORE_Q(RET_CERT_WARNINGS, "removing old certificates",
        "DELETE FROM certificate_warnings WHERE certificate_id IN (" STORE__RET_INTS ")")
STORE_Q(RET_CERT_DEL, "removing old certificates",
        "DELETE FROM certificates WHERE id IN (" STORE__RET_INTS ")")
/* 1: the holders of the certificates just removed */
STORE_Q(RET_CHAINS, "removing old renewal counts",
        "DELETE FROM remote_chains WHERE tckn IN (" STORE__RET_TEXTS ") AND NOT EXISTS "
        "(SELECT 1 FROM certificates c WHERE c.tckn = remote_chains.tckn) AND NOT EXISTS "
        "(SELECT 1 FROM applications a WHERE a.tckn = remote_chains.tckn)")

/* ---- signatures, staff, the approvers' queue and decisions ----------------------------- */
STORE_Q(SIG_PUT, "storing a signature",
        "INSERT INTO signatures (application_id, at, cms, cms_sha256, content, "
        "signer_fingerprint, validation, ocsp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
STORE_Q(SIG_GET, "reading a signature",
        "SELECT at, signer_fingerprint, validation, cms, content, ocsp "
        "FROM signatures WHERE application_id = $1")
STORE_Q(U_PUT, "storing a user", "INSERT INTO users ({cols user}) VALUES ({vals user 1})")
STORE_Q(U_GET, "reading a user", "SELECT {cols user} FROM users WHERE username = $1")
STORE_Q(U_GET_LOCK, "reading a user",
        "SELECT {cols user} FROM users WHERE username = $1{P: FOR UPDATE}")
/* binds every column but the last (created_at, never written) */
STORE_Q(U_UPDATE, "updating a user", "UPDATE users SET {set user 1} WHERE username = $1")
STORE_Q(U_EACH, "reading the users", "SELECT {cols user} FROM users ORDER BY username")
/* 7 limit, 8 offset. APP_LIST: the most urgent first, the end of the certificate being renewed
 * (0, none, first: that holder cannot sign at all), then the oldest change (issue 17);
 * APP_LIST_WAITING: the oldest change first. */
STORE_Q(APP_LIST, "listing applications",
        "SELECT a.id, {cols app a}, {cols personnel p}" STORE__APP_FILTER
        " ORDER BY a.cert_not_after, a.updated_at, a.id LIMIT $7 OFFSET $8")
STORE_Q(APP_LIST_WAITING, "listing applications",
        "SELECT a.id, {cols app a}, {cols personnel p}" STORE__APP_FILTER
        " ORDER BY a.updated_at, a.id LIMIT $7 OFFSET $8")
STORE_Q(APP_COUNT, "counting applications", "SELECT count(*)" STORE__APP_FILTER)
STORE_Q(APP_STATES, "counting applications",
        "SELECT a.state, count(*) FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "
        "WHERE CAST($1 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($1 AS INTEGER) "
        "GROUP BY a.state ORDER BY a.state")
/* 1 province, 2 from, 3 to. The certificates come through the not_after index and each check
 * is an index lookup by tckn, so the cost follows the certificates expiring in the window. */
STORE_Q(EXPIRING, "listing expiring certificates",
        "SELECT {cols cert c}, {cols personnel p} FROM certificates c "
        "JOIN personnel p ON p.tckn = c.tckn "
        "WHERE c.not_after >= $2 AND c.not_after < $3 AND c.revoked_at IS NULL "
        "AND (CAST($1 AS INTEGER) = 0 OR p.province = CAST($1 AS INTEGER)) "
        "AND " STORE__CURRENT_CERT " AND " STORE__NOT_APPLIED " ORDER BY c.not_after, c.id")
STORE_Q(D_PUT, "storing a decision",
        "INSERT INTO decisions ({cols decision}) VALUES ({vals decision 1})")
STORE_Q(D_GET, "reading a decision",
        "SELECT {cols decision} FROM decisions WHERE application_id = $1 ORDER BY id DESC LIMIT 1")
STORE_Q(RC_GET, "reading a renewal chain", "SELECT count FROM remote_chains WHERE tckn = $1")
/* 1 the holders' T.C. Kimlik No as a JSON array of strings */
STORE_Q(RC_GET_MANY, "reading renewal chains",
        "SELECT tckn, count FROM remote_chains WHERE tckn IN (" STORE__RET_TEXTS ")")
STORE_Q(RC_SET, "storing a renewal chain",
        "INSERT INTO remote_chains (tckn, count, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (tckn) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at")

/* ---- the staff's search (issue 17, app/admin_search.c; store_search.c) -------------------
 * Applications other than drafts, newest first, in a province (0: any: the personnel record's
 * province, else the form's) as the queue scopes them. By holder: 1 tckn, 2 province. The
 * names for a search by name (folded and compared in C, app/admin_search.c): 1 province. */
STORE_Q(SEARCH_TCKN, "searching applications",
        "SELECT a.id FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "
        "WHERE a.tckn = $1 AND a.state <> 'draft' "
        "AND (CAST($2 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($2 AS INTEGER)) "
        "ORDER BY a.created_at DESC, a.id DESC")
STORE_Q(SEARCH_NAMES, "searching applications",
        "SELECT a.id, a.first_name, a.last_name FROM applications a "
        "LEFT JOIN personnel p ON p.tckn = a.tckn WHERE a.state <> 'draft' "
        "AND (CAST($1 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($1 AS INTEGER)) "
        "ORDER BY a.created_at DESC, a.id DESC")

/* The audit log newest first, filtered (store_audit_newest): 1 actor, 2 action prefix, 3
 * object (NULL: any), 4 from, 5 to, 6 before seq (0: any), 7 limit. Through the primary key
 * from the newest down, so a page costs what its rows cost unless a rare filter must look far. */
/* (the action's column is named with its table: lintian reads "substr(action" as a misspelling) */
STORE_Q(SEARCH_AUDIT, "reading the audit log",
        "SELECT {cols audit} FROM audit_log "
        "WHERE (CAST($1 AS TEXT) IS NULL OR actor = CAST($1 AS TEXT)) "
        "AND (CAST($2 AS TEXT) IS NULL "
        "OR substr(audit_log.action, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)) "
        "AND (CAST($3 AS TEXT) IS NULL OR object = CAST($3 AS TEXT)) "
        "AND (CAST($4 AS BIGINT) = 0 OR at >= CAST($4 AS BIGINT)) "
        "AND (CAST($5 AS BIGINT) = 0 OR at < CAST($5 AS BIGINT)) "
        "AND (CAST($6 AS BIGINT) = 0 OR seq < CAST($6 AS BIGINT)) ORDER BY seq DESC LIMIT $7")

/* ---- after approval: the card's way to the holder (schema version 7, app/card_flow.h) ---- */
STORE_Q(C_OF, "reading certificates",
        "SELECT id, {cols cert} FROM certificates WHERE tckn = $1 "
        "ORDER BY not_before DESC, not_after DESC, id DESC")
STORE_Q(C_BY_FPR, "reading a certificate",
        "SELECT id, {cols cert} FROM certificates WHERE fingerprint = $1")
STORE_Q(C_BY_ID, "reading a certificate", "SELECT id, {cols cert} FROM certificates WHERE id = $1")
STORE_Q(C_REVOKE_ID, "revoking a certificate",
        "UPDATE certificates SET revoked_at = $2, revocation_reason = $3 "
        "WHERE id = $1 AND revoked_at IS NULL")
STORE_Q(C_ID_EXISTS, "looking up a certificate", "SELECT count(*) FROM certificates WHERE id = $1")
#define STORE__CARD_BY "SELECT id, {cols card} FROM cards WHERE "
STORE_Q(CARD_INSERT, "storing a card",
        "INSERT INTO cards ({cols card}) VALUES ({vals card 1}) RETURNING id")
STORE_Q(CARD_UPDATE, "updating a card", "UPDATE cards SET {set card 2} WHERE id = $1")
STORE_Q(CARD_GET, "reading a card", STORE__CARD_BY "id = $1{P: FOR UPDATE}")
STORE_Q(CARD_OF_APP, "reading a card",
        STORE__CARD_BY "application_id = $1 ORDER BY id DESC LIMIT 1{P: FOR UPDATE}")
STORE_Q(CARD_OF_CERT, "reading a card",
        STORE__CARD_BY "certificate_id = $1 ORDER BY id DESC LIMIT 1{P: FOR UPDATE}")
STORE_Q(PIN_PUT, "storing a card's PIN", "INSERT INTO card_pins ({cols pin}) VALUES ({vals pin 1})")
STORE_Q(PIN_GET, "reading a card's PIN",
        "SELECT {cols pin} FROM card_pins WHERE card_id = $1{P: FOR UPDATE}")
STORE_Q(PIN_UPDATE, "updating a card's PIN", "UPDATE card_pins SET {set pin 1} WHERE card_id = $1")
/* 1 card, 2 by, 3 note, 4 at, 5 until: only while the PIN waits */
STORE_Q(PIN_WAIVE, "lifting the security word step of a card's PIN",
        "UPDATE card_pins SET word_waived_by = $2, word_waived_note = $3, word_waived_at = $4, "
        "word_waived_until = $5 WHERE card_id = $1 AND state = 'waiting'")
STORE_Q(B_INSERT, "storing a production batch",
        "INSERT INTO production_batches (province, created_at, created_by) VALUES ($1, $2, $3) "
        "RETURNING id")
STORE_Q(B_COUNTS, "counting a production batch",
        "UPDATE production_batches SET applications = $2, revocations = $3 WHERE id = $1")
STORE_Q(B_GET, "reading a production batch",
        "SELECT {cols batch} FROM production_batches WHERE id = $1")
STORE_Q(B_LIST, "listing production batches",
        "SELECT {cols batch} FROM production_batches "
        "WHERE CAST($1 AS INTEGER) = 0 OR province = CAST($1 AS INTEGER) ORDER BY id DESC LIMIT $2")
/* the oldest-expiring certificate first; a first card (renewing none) after the renewals */
#define STORE__OLDEST_FIRST                                                                        \
    "CASE WHEN a.cert_not_after = 0 THEN 1 ELSE 0 END, a.cert_not_after, a.approved_at, a.id"
STORE_Q(B_CANDIDATES, "choosing a batch's applications",
        "SELECT a.id FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "
        "WHERE a.state = 'approved' AND a.batch_id IS NULL "
        "AND coalesce(p.province, a.province) = $1 ORDER BY " STORE__OLDEST_FIRST " LIMIT $2")
STORE_Q(B_APPS, "reading a production batch",
        "SELECT a.id, {cols app a}, {cols personnel p} FROM applications a "
        "LEFT JOIN personnel p ON p.tckn = a.tckn WHERE a.batch_id = $1 "
        "ORDER BY " STORE__OLDEST_FIRST)
STORE_Q(RR_PUT, "asking for a revocation",
        "INSERT INTO revocation_requests (certificate_id, application_id, province, reason, "
        "requested_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (certificate_id) DO NOTHING")
STORE_Q(RR_ASSIGN, "sending revocation requests",
        "UPDATE revocation_requests SET batch_id = $1 WHERE batch_id IS NULL AND province = $2")
/* 1 batch (0: those not sent), 2 province (0: any) */
STORE_Q(RR_LIST, "listing revocation requests",
        "SELECT r.reason, r.requested_at, coalesce(r.batch_id, 0), a.number, {cols cert c} "
        "FROM revocation_requests r JOIN certificates c ON c.id = r.certificate_id "
        "JOIN applications a ON a.id = r.application_id "
        "WHERE ((CAST($1 AS BIGINT) = 0 AND r.batch_id IS NULL) "
        "OR r.batch_id = CAST($1 AS BIGINT)) "
        "AND (CAST($2 AS INTEGER) = 0 OR r.province = CAST($2 AS INTEGER)) "
        "ORDER BY r.requested_at, r.certificate_id")
/* The staff's view after approval: 1 province, 2 state (NULL: approved .. delivered), 3 number,
 * 4 overdue: approved before it (0: any), 5 at risk as of (0: any), 6 the expected seconds. */
#define STORE__FLOW_FILTER                                                                         \
    " FROM applications a LEFT JOIN personnel p ON p.tckn = a.tckn "                               \
    "LEFT JOIN cards k ON k.id = (SELECT max(x.id) FROM cards x WHERE x.application_id = a.id) "   \
    "WHERE (CAST($1 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($1 AS INTEGER)) "   \
    "AND ((CAST($2 AS TEXT) IS NULL AND a.state IN ('approved', 'in_production', 'shipped', "      \
    "'delivered')) OR a.state = CAST($2 AS TEXT)) "                                                \
    "AND (CAST($3 AS TEXT) IS NULL OR a.number = CAST($3 AS TEXT)) "                               \
    "AND (CAST($4 AS BIGINT) = 0 OR (a.state IN ('approved', 'in_production', 'shipped') "         \
    "AND a.approved_at < CAST($4 AS BIGINT))) "                                                    \
    "AND (CAST($5 AS BIGINT) = 0 OR (a.state IN ('approved', 'in_production', 'shipped') "         \
    "AND a.cert_not_after > 0 AND (a.cert_not_after < CAST($5 AS BIGINT) "                         \
    "OR a.cert_not_after < a.approved_at + CAST($6 AS BIGINT))))"
STORE_Q(FLOW_LIST, "listing applications after approval",
        "SELECT a.id, {cols app a}, coalesce(p.province, a.province), k.id, {cols card "
        "k}" STORE__FLOW_FILTER " ORDER BY CASE WHEN a.cert_not_after = 0 THEN 1 ELSE 0 END, "
        "a.cert_not_after, a.id LIMIT $7 OFFSET $8")
STORE_Q(FLOW_COUNT, "counting applications after approval", "SELECT count(*)" STORE__FLOW_FILTER)
/* 1 approved before, 2 after_id, 3 limit */
STORE_Q(OVERDUE_DUE, "listing cards that are late",
        "SELECT x.id, {cols app x}, {cols personnel p} FROM (SELECT id, {cols app} "
        "FROM applications WHERE state IN ('approved', 'in_production', 'shipped') "
        "AND approved_at > 0 AND approved_at < $1 AND id > $2 AND NOT EXISTS (SELECT 1 "
        "FROM application_reminders r WHERE r.application_id = applications.id "
        "AND r.state = 'overdue') ORDER BY id LIMIT $3) x LEFT JOIN personnel p ON p.tckn = x.tckn "
        "ORDER BY x.id")
/* what an in-house CA's registry asks: 1 issuer, 2 serial */
STORE_Q(CA_STATUS, "reading a certificate's status",
        "SELECT coalesce(revoked_at, 0), revocation_reason FROM certificates "
        "WHERE issuer = $1 AND serial = $2")
STORE_Q(CA_REVOKED, "listing revoked certificates",
        "SELECT serial, revoked_at, revocation_reason FROM certificates "
        "WHERE issuer = $1 AND revoked_at IS NOT NULL ORDER BY revoked_at, id")
STORE_Q(CA_CRL_NUMBER, "numbering a CRL",
        "INSERT INTO ca_crl_numbers (issuer, number) VALUES ($1, 1) ON CONFLICT (issuer) "
        "DO UPDATE SET number = ca_crl_numbers.number + 1 RETURNING number")

/* ---- expiry warnings and reminders ----------------------------------------------------- */
/* 1 from, 2 to, 3 days, 4 after_not_after, 5 after_id, 6 limit: only the not_after index
 * (whose entries carry the id) and the marks are read. */
STORE_Q(WARN_KEYS, "listing certificates due for a warning",
        "SELECT c.not_after, c.id FROM certificates c WHERE c.not_after >= $1 "
        "AND c.not_after < $2 AND (c.not_after > $4 OR c.id > $5) "
        "AND NOT EXISTS (SELECT 1 FROM certificate_warnings w WHERE w.certificate_id = c.id "
        "AND w.days <= $3) ORDER BY c.not_after, c.id LIMIT $6")
/* The page's rows, up to 6 end_not_after and 7 end_id. The milestone test comes first: on a
 * second scan it is the one that fails, and it needs only the row the index led to.
 * Concurrent scans (several servers on one PostgreSQL) skip each other's rows. */
STORE_Q(WARN_DUE, "listing certificates due for a warning",
        "SELECT c.id, coalesce(w.days, -1), {cols cert c}, {cols personnel p} "
        "FROM certificates c LEFT JOIN certificate_warnings w ON w.certificate_id = c.id "
        "JOIN personnel p ON p.tckn = c.tckn "
        "WHERE c.not_after >= $1 AND c.not_after < $2 AND (c.not_after > $4 OR c.id > $5) "
        "AND (w.days IS NULL OR w.days > $3) AND c.revoked_at IS NULL "
        "AND " STORE__CURRENT_CERT " AND " STORE__NOT_APPLIED " "
        "AND (c.not_after < $6 OR (c.not_after = $6 AND c.id <= $7)) "
        "ORDER BY c.not_after, c.id{P: FOR UPDATE OF c SKIP LOCKED}")
/* One statement for a batch's certificates (1 "id,id,..." ascending, so two scans meeting on
 * the same rows lock them in one order); an unknown one is refused by the foreign key.
 * RETURNING names those whose mark changed (not those the upsert's WHERE kept). */
STORE_Q(WARN_MARK, "recording warnings",
        "INSERT INTO certificate_warnings (certificate_id, days, at) "
        "SELECT {S:value}{P:unnest(string_to_array($1, ',')::bigint[])}, $2, $3"
        "{S: FROM json_each('[' || $1 || ']')} WHERE true "
        "ON CONFLICT (certificate_id) DO UPDATE SET days = excluded.days, at = excluded.at "
        "WHERE excluded.days < certificate_warnings.days RETURNING certificate_id")
/* 1 before, 2 after_id, 3 limit */
STORE_Q(REMIND_DUE, "listing applications due for a reminder",
        "SELECT x.id, {cols app x}, {cols personnel p} FROM (SELECT id, {cols app} "
        "FROM applications WHERE state IN ('draft', 'code_verified', 'awaiting_original') "
        "AND updated_at < $1 AND id > $2 AND NOT EXISTS (SELECT 1 FROM application_reminders r "
        "WHERE r.application_id = applications.id AND r.state = applications.state) "
        "ORDER BY id LIMIT $3) x LEFT JOIN personnel p ON p.tckn = x.tckn ORDER BY x.id")
STORE_Q(REMIND_MARK, "recording a reminder",
        "INSERT INTO application_reminders (application_id, state, at) VALUES ($1, $2, $3) "
        "ON CONFLICT (application_id, state) DO NOTHING")

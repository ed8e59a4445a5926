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
#define STORE__OB_UNCONFIRMED_AT1                                                                  \
    "(status = 'sending' AND handed_over_at IS NOT NULL AND next_try_at <= $1)"
#endif

/* ---- the connection and the schema ---------------------------------------------------- */
STORE_Q(PING, "ping", "{S:SELECT count(*) FROM sqlite_master}{P:SELECT 1}")
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
STORE_Q(C_CURRENT, "reading a certificate",
        "SELECT {cols cert} FROM certificates WHERE tckn = $1 "
        "ORDER BY not_before DESC, not_after DESC, id DESC LIMIT 1")
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
/* The status page's read (store_status_read), one statement: the session, the application it
 * concerns (the one bound to it while that is the subject's, else the subject's newest), the
 * reason of its rejection, and a row per timeline entry (the application's columns repeat,
 * NULL when it has none). */
STORE_Q(STATUS, "reading the status",
        "SELECT {cols session s}, a.id, {cols app a}, CASE WHEN a.state = 'rejected' THEN "
        "(SELECT CASE WHEN d.decision = 'reject' THEN d.reason END FROM decisions d "
        "WHERE d.application_id = a.id ORDER BY d.id DESC LIMIT 1) END, {cols event e} "
        "FROM sessions s LEFT JOIN applications a ON a.id = coalesce("
        "(SELECT b.id FROM applications b WHERE b.id = s.application_id AND b.tckn = s.subject), "
        "(SELECT b.id FROM applications b WHERE b.tckn = s.subject "
        "ORDER BY b.created_at DESC, b.id DESC LIMIT 1)) "
        "LEFT JOIN application_events e ON e.application_id = a.id "
        "WHERE s.token_hash = $1 ORDER BY e.id")
STORE_Q(OTP_GET, "reading the SMS code state",
        "SELECT {cols otp} FROM application_otp WHERE application_id = $1")
STORE_Q(OTP_GET_LOCK, "reading the SMS code state",
        "SELECT {cols otp} FROM application_otp WHERE application_id = $1{P: FOR UPDATE}")
STORE_Q(OTP_PUT, "storing the SMS code state",
        "INSERT INTO application_otp ({cols otp}) VALUES ({vals otp 1}) "
        "ON CONFLICT (application_id) DO UPDATE SET {excl otp}")

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
        "ORDER BY next_try_at, id LIMIT $4{P: FOR UPDATE SKIP LOCKED}) RETURNING {cols outbox}")
STORE_Q(OB_SENT, "marking an outbox message",
        "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = NULL, secret = NULL "
        "WHERE id = $1 AND status = 'sending' AND attempts = $2")
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
STORE_Q(OB_REQUEUE, "changing an outbox message",
        "UPDATE outbox SET status = 'pending', attempts = 0, next_try_at = $2, last_error = NULL, "
        "handed_over_at = NULL WHERE id = $1 AND (status = 'failed' OR " STORE__OB_UNCONFIRMED ")")
STORE_Q(OB_CONFIRM, "changing an outbox message",
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL "
        "WHERE id = $1 AND " STORE__OB_UNCONFIRMED)
STORE_Q(OB_PROBLEMS, "listing failed messages",
        "SELECT id, channel, recipient, subject, dedupe_key, "
        "CASE WHEN status = 'failed' THEN 'failed' ELSE 'unconfirmed' END, "
        "coalesce(last_error, ''), attempts, created_at, coalesce(handed_over_at, 0), template, "
        "params FROM outbox WHERE status = 'failed' OR (status = 'sending' "
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
/* 1 state (NULL: any), 2 province (0: any), 3 application number (NULL: any) */
#define STORE__CARD_FILTER                                                                         \
    " FROM cards c LEFT JOIN applications a ON a.id = c.application_id "                           \
    "LEFT JOIN personnel p ON p.tckn = c.tckn "                                                    \
    "WHERE (CAST($1 AS TEXT) IS NULL OR c.state = CAST($1 AS TEXT)) "                              \
    "AND (CAST($2 AS INTEGER) = 0 OR coalesce(p.province, a.province) = CAST($2 AS INTEGER)) "     \
    "AND (CAST($3 AS TEXT) IS NULL OR a.number = CAST($3 AS TEXT))"
STORE_Q(CARD_LIST, "listing cards",
        "SELECT c.id, {cols card c}, a.number" STORE__CARD_FILTER
        " ORDER BY c.updated_at DESC, c.id DESC LIMIT $4 OFFSET $5")
STORE_Q(CARD_COUNT, "counting cards", "SELECT count(*)" STORE__CARD_FILTER)
STORE_Q(PIN_PUT, "storing a card's PIN", "INSERT INTO card_pins ({cols pin}) VALUES ({vals pin 1})")
STORE_Q(PIN_GET, "reading a card's PIN",
        "SELECT {cols pin} FROM card_pins WHERE card_id = $1{P: FOR UPDATE}")
STORE_Q(PIN_UPDATE, "updating a card's PIN", "UPDATE card_pins SET {set pin 1} WHERE card_id = $1")
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

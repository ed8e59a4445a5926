-- eimza schema version 2 (SQLite): the applicant portal. The application grows every field of
-- the form, with the timeline of its state changes (application_events) and its SMS code
-- state (application_otp); and the portal's own state: captchas, sessions and rate-limit
-- counters. Nothing wrote applications before this version, but the rebuild below keeps any
-- row there is (SQLite cannot add CHECK constraints with ALTER TABLE, hence the copy).

CREATE TABLE applications_v2 (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    tckn               TEXT NOT NULL CHECK (length(tckn) = 11),
    state              TEXT NOT NULL
                       CHECK (state = 'draft' OR state = 'code_verified' OR state = 'submitted'
                              OR state = 'awaiting_original' OR state = 'approved'
                              OR state = 'rejected' OR state = 'in_production'
                              OR state = 'shipped' OR state = 'delivered'
                              OR state = 'completed' OR state = 'cancelled'),
    -- a valid PUT confirmed the form (step 2); the SMS code step needs it
    confirmed          INTEGER NOT NULL DEFAULT 0 CHECK (confirmed = 0 OR confirmed = 1),
    confirmed_at       INTEGER NOT NULL DEFAULT 0,
    -- read-only, copied from the personnel record when the draft was made, so that the
    -- content to sign can be rendered again byte for byte later
    first_name         TEXT NOT NULL DEFAULT '',
    last_name          TEXT NOT NULL DEFAULT '',
    birth_place        TEXT NOT NULL DEFAULT '',
    birth_date         TEXT NOT NULL DEFAULT '',
    institution_name   TEXT NOT NULL DEFAULT '',
    registry_no        TEXT NOT NULL DEFAULT '',
    -- the form
    reason             TEXT NOT NULL DEFAULT 'renewal'
                       CHECK (reason = 'renewal' OR reason = 'lost_stolen' OR reason = 'other'),
    card_reader        TEXT NOT NULL DEFAULT 'none',
    validity_years     INTEGER NOT NULL DEFAULT 3 CHECK (validity_years BETWEEN 1 AND 3),
    security_word_hash TEXT NOT NULL DEFAULT '', -- Argon2id (libsodium crypto_pwhash_str)
    unit               TEXT NOT NULL DEFAULT '',
    title              TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    province           INTEGER NOT NULL DEFAULT 0 CHECK (province BETWEEN 0 AND 81),
    district           TEXT NOT NULL DEFAULT '',
    postal_code        TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    work_phone         TEXT NOT NULL DEFAULT '',
    work_phone_ext     TEXT NOT NULL DEFAULT '',
    mobile_phone       TEXT NOT NULL DEFAULT '',
    mobile_operator    TEXT NOT NULL DEFAULT '',
    home_phone         TEXT NOT NULL DEFAULT '',
    notify_by          TEXT NOT NULL DEFAULT 'both'
                       CHECK (notify_by = 'email' OR notify_by = 'sms' OR notify_by = 'both'),
    method             TEXT NOT NULL DEFAULT ''
                       CHECK (method = '' OR method = 'esign' OR method = 'wet'),
    late               INTEGER NOT NULL DEFAULT 0 CHECK (late = 0 OR late = 1),
    cert_not_after     INTEGER NOT NULL DEFAULT 0, -- the certificate being renewed; 0: none
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
INSERT INTO applications_v2 (id, number, tckn, state, created_at, updated_at)
    SELECT id, number, tckn, state, created_at, updated_at FROM applications;
DROP TABLE applications;
ALTER TABLE applications_v2 RENAME TO applications;
CREATE INDEX applications_tckn ON applications (tckn, created_at);
-- At most one application per person that is still going (not rejected, completed or
-- cancelled): two browser tabs opening the form at once cannot make two drafts.
CREATE UNIQUE INDEX applications_open ON applications (tckn)
    WHERE state <> 'rejected' AND state <> 'completed' AND state <> 'cancelled';

-- The timeline: one row per state change, written in the same transaction as the change.
-- from_state is '' for the row that records the application's creation.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    event          TEXT NOT NULL,
    actor          TEXT NOT NULL
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- The SMS code of an application: only a salted SHA-256 of the code, never the code. The
-- wrong-entry count belongs to the application (wrong_window_start .. + 1 hour), not to a
-- code, so asking for a new code never resets it.
CREATE TABLE application_otp (
    application_id     INTEGER PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    code_hash          TEXT NOT NULL DEFAULT '', -- '' when no code is valid
    salt               TEXT NOT NULL DEFAULT '',
    seq                INTEGER NOT NULL DEFAULT 0, -- codes sent so far (dedupe key of the SMS)
    sent_at            INTEGER NOT NULL DEFAULT 0,
    expires_at         INTEGER NOT NULL DEFAULT 0,
    send_window_start  INTEGER NOT NULL DEFAULT 0,
    sends_in_window    INTEGER NOT NULL DEFAULT 0,
    wrong_window_start INTEGER NOT NULL DEFAULT 0,
    wrong_count        INTEGER NOT NULL DEFAULT 0
);

-- Captchas: single use (used flips to 1 atomically when one is checked), short-lived.
CREATE TABLE captchas (
    id         TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0 CHECK (used = 0 OR used = 1)
) WITHOUT ROWID;
CREATE INDEX captchas_expires ON captchas (expires_at);

-- Sessions, keyed by the SHA-256 of the token: the token itself is never stored, so a copy
-- of the database does not let anyone in.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind = 'applicant' OR kind = 'staff'),
    subject        TEXT NOT NULL,
    csrf           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    application_id INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Fixed-window counters for rate limits (key, start of the window) -> count.
CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limits_window ON rate_limits (window_start);

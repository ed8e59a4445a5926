-- eimza schema version 2 (PostgreSQL): the applicant portal. The application grows every field
-- of the form, with the timeline of its state changes (application_events) and its SMS code
-- state (application_otp); and the portal's own state: captchas, sessions and rate-limit
-- counters (shared by every `eimza serve` on this database).

ALTER TABLE applications
    ADD CONSTRAINT applications_tckn_len CHECK (char_length(tckn) = 11),
    ADD CONSTRAINT applications_state CHECK (state IN ('draft', 'code_verified', 'submitted',
        'awaiting_original', 'approved', 'rejected', 'in_production', 'shipped', 'delivered',
        'completed', 'cancelled')),
    -- a valid PUT confirmed the form (step 2); the SMS code step needs it
    ADD COLUMN confirmed          BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN confirmed_at       BIGINT NOT NULL DEFAULT 0,
    -- read-only, copied from the personnel record when the draft was made, so that the
    -- content to sign can be rendered again byte for byte later
    ADD COLUMN first_name         TEXT NOT NULL DEFAULT '',
    ADD COLUMN last_name          TEXT NOT NULL DEFAULT '',
    ADD COLUMN birth_place        TEXT NOT NULL DEFAULT '',
    ADD COLUMN birth_date         TEXT NOT NULL DEFAULT '',
    ADD COLUMN institution_name   TEXT NOT NULL DEFAULT '',
    ADD COLUMN registry_no        TEXT NOT NULL DEFAULT '',
    -- the form
    ADD COLUMN reason             TEXT NOT NULL DEFAULT 'renewal'
                                  CHECK (reason IN ('renewal', 'lost_stolen', 'other')),
    ADD COLUMN card_reader        TEXT NOT NULL DEFAULT 'none',
    ADD COLUMN validity_years     SMALLINT NOT NULL DEFAULT 3 CHECK (validity_years BETWEEN 1 AND 3),
    ADD COLUMN security_word_hash TEXT NOT NULL DEFAULT '', -- Argon2id (crypto_pwhash_str)
    ADD COLUMN unit               TEXT NOT NULL DEFAULT '',
    ADD COLUMN title              TEXT NOT NULL DEFAULT '',
    ADD COLUMN address            TEXT NOT NULL DEFAULT '',
    ADD COLUMN province           SMALLINT NOT NULL DEFAULT 0 CHECK (province BETWEEN 0 AND 81),
    ADD COLUMN district           TEXT NOT NULL DEFAULT '',
    ADD COLUMN postal_code        TEXT NOT NULL DEFAULT '',
    ADD COLUMN email              TEXT NOT NULL DEFAULT '',
    ADD COLUMN work_phone         TEXT NOT NULL DEFAULT '',
    ADD COLUMN work_phone_ext     TEXT NOT NULL DEFAULT '',
    ADD COLUMN mobile_phone       TEXT NOT NULL DEFAULT '',
    ADD COLUMN mobile_operator    TEXT NOT NULL DEFAULT '',
    ADD COLUMN home_phone         TEXT NOT NULL DEFAULT '',
    ADD COLUMN notify_by          TEXT NOT NULL DEFAULT 'both'
                                  CHECK (notify_by IN ('email', 'sms', 'both')),
    ADD COLUMN method             TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'esign', 'wet')),
    ADD COLUMN late               BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN cert_not_after     BIGINT NOT NULL DEFAULT 0; -- the certificate renewed; 0: none
DROP INDEX applications_tckn;
CREATE INDEX applications_tckn ON applications (tckn, created_at);
-- At most one application per person that is still going (not rejected, completed or
-- cancelled): two browser tabs opening the form at once cannot make two drafts.
CREATE UNIQUE INDEX applications_open ON applications (tckn)
    WHERE state NOT IN ('rejected', 'completed', 'cancelled');

-- The timeline: one row per state change, written in the same transaction as the change.
-- from_state is '' for the row that records the application's creation.
CREATE TABLE application_events (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
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
    application_id     BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    code_hash          TEXT NOT NULL DEFAULT '', -- '' when no code is valid
    salt               TEXT NOT NULL DEFAULT '',
    seq                INTEGER NOT NULL DEFAULT 0, -- codes sent so far (dedupe key of the SMS)
    sent_at            BIGINT NOT NULL DEFAULT 0,
    expires_at         BIGINT NOT NULL DEFAULT 0,
    send_window_start  BIGINT NOT NULL DEFAULT 0,
    sends_in_window    INTEGER NOT NULL DEFAULT 0,
    wrong_window_start BIGINT NOT NULL DEFAULT 0,
    wrong_count        INTEGER NOT NULL DEFAULT 0
);

-- Captchas: single use (used flips to true atomically when one is checked), short-lived.
CREATE TABLE captchas (
    id         TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX captchas_expires ON captchas (expires_at);

-- Sessions, keyed by the SHA-256 of the token: the token itself is never stored, so a copy
-- of the database does not let anyone in.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('applicant', 'staff')),
    subject        TEXT NOT NULL,
    csrf           TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_seen      BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    application_id BIGINT
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Fixed-window counters for rate limits (key, start of the window) -> count; one
-- INSERT ... ON CONFLICT DO UPDATE ... RETURNING makes the increment atomic across servers.
CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

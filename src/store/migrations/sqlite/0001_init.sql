-- eimza schema version 1 (SQLite). Times are Unix seconds (UTC); dates are 'YYYY-MM-DD'.
CREATE TABLE personnel (
    tckn             TEXT PRIMARY KEY CHECK (length(tckn) = 11),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    birth_place      TEXT NOT NULL,
    birth_date       TEXT NOT NULL,
    institution_code TEXT NOT NULL DEFAULT '',
    institution_name TEXT NOT NULL,
    province         INTEGER NOT NULL CHECK (province BETWEEN 1 AND 81),
    district         TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL DEFAULT '',
    duty             TEXT NOT NULL CHECK (duty IN ('aktif', 'ayrildi', 'emekli', 'askida')),
    assignment_end   TEXT,
    entitled         INTEGER NOT NULL CHECK (entitled IN (0, 1)),
    email            TEXT NOT NULL DEFAULT '',
    mobile_phone     TEXT NOT NULL DEFAULT '',
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX personnel_province ON personnel (province);

CREATE TABLE certificates (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT NOT NULL UNIQUE,
    tckn         TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    subject      TEXT NOT NULL,
    serial       TEXT NOT NULL,
    issuer       TEXT NOT NULL,
    not_before   INTEGER NOT NULL,
    not_after    INTEGER NOT NULL,
    policies     TEXT NOT NULL DEFAULT '',
    revoked_at   INTEGER,
    der          BLOB NOT NULL,
    imported_at  INTEGER NOT NULL,
    UNIQUE (issuer, serial)
);
CREATE INDEX certificates_tckn ON certificates (tckn, not_before);
CREATE INDEX certificates_not_after ON certificates (not_after);

-- Sketched here, grown by the portal and approval work.
CREATE TABLE applications (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    tckn        TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX applications_tckn ON applications (tckn);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    dedupe_key  TEXT UNIQUE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_try_at);

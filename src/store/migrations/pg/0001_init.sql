-- eimza schema version 1 (PostgreSQL). Times are Unix seconds (UTC); dates are DATE.
-- schema_migrations(version, name, applied_at) is created by the migration runner
-- (store_pg.c), not here: it must exist before the first migration is chosen.
-- T.C. Kimlik No columns are TEXT (not CHAR(11)) so that joins between tables compare the
-- same type and use their indexes.
CREATE TABLE personnel (
    tckn             TEXT PRIMARY KEY CHECK (char_length(tckn) = 11),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    birth_place      TEXT NOT NULL,
    birth_date       DATE NOT NULL,
    institution_code TEXT NOT NULL DEFAULT '',
    institution_name TEXT NOT NULL,
    province         SMALLINT NOT NULL CHECK (province BETWEEN 1 AND 81),
    district         TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL DEFAULT '',
    duty             TEXT NOT NULL CHECK (duty IN ('aktif', 'ayrildi', 'emekli', 'askida')),
    assignment_end   DATE,
    entitled         BOOLEAN NOT NULL,
    email            TEXT NOT NULL DEFAULT '',
    mobile_phone     TEXT NOT NULL DEFAULT '',
    updated_at       BIGINT NOT NULL
);

-- Keyed by fingerprint (SHA-256 of the DER); (issuer, serial) is unique too, so a CA that
-- reused a serial for another certificate is a conflict, not a silent second row.
CREATE TABLE certificates (
    id           BIGSERIAL PRIMARY KEY,
    fingerprint  TEXT NOT NULL UNIQUE,
    tckn         TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    subject      TEXT NOT NULL,
    serial       TEXT NOT NULL,
    issuer       TEXT NOT NULL,
    not_before   BIGINT NOT NULL,
    not_after    BIGINT NOT NULL,
    policies     TEXT NOT NULL DEFAULT '',
    revoked_at   BIGINT,
    der          BYTEA NOT NULL,
    imported_at  BIGINT NOT NULL,
    UNIQUE (issuer, serial)
);
CREATE INDEX certificates_tckn ON certificates (tckn, not_before);
CREATE INDEX certificates_not_after ON certificates (not_after);

-- Sketched here, grown by the portal and approval work.
CREATE TABLE applications (
    id          BIGSERIAL PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    tckn        TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX applications_tckn ON applications (tckn);

-- A hash chain (store_audit_append): seq is given by the appender (last + 1, no gaps, under
-- an advisory lock), hash covers the entry and prev_hash; the first entry's prev_hash is 64
-- zeros.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL UNIQUE,
    hash      TEXT NOT NULL UNIQUE
);

CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    dedupe_key  TEXT UNIQUE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_try_at);

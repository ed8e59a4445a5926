-- eimza schema version 1 (SQLite). Times are Unix seconds (UTC); dates are 'YYYY-MM-DD'.
-- schema_migrations(version, name, applied_at) is created by the migration runner
-- (store_sqlite.c), not here: it must exist before the first migration is chosen.
--
-- CHECK constraints spell value lists as OR chains, not IN (...): SQLite 3.40 builds an
-- ephemeral table for an IN list on every row it checks, which made the inserts of a
-- 1,000,000-row synthetic loop twice as slow (7.9 s with the IN lists, 3.9 s with OR chains).

-- personnel is a rowid table with a UNIQUE index on tckn, not a WITHOUT ROWID table keyed by
-- tckn: personnel files come in no particular tckn order, and random-order inserts into one
-- 200 MB b-tree thrash the page cache, while here the rows append and only the small tckn
-- index (~25 MB for a million rows) takes random inserts. Synthetic 1,000,000-row upsert loop
-- (random tckn order, one transaction, 32 MiB cache, WAL, same machine and load), first import
-- / re-import of the same rows: rowid + unique index 8.8 s / 7.0 s; WITHOUT ROWID 16.4 s /
-- 8.8 s; tckn INTEGER PRIMARY KEY 12.6 s / 7.6 s; `sqlite3 .import` of the same rows as CSV
-- into a bare table 6.0 s. (Rows already in tckn order: rowid 6.3 s, WITHOUT ROWID 6.8 s.)
-- There is no index on province: nothing queries personnel by province yet, and it cost about
-- 10% of the import.
CREATE TABLE personnel (
    id               INTEGER PRIMARY KEY,
    tckn             TEXT NOT NULL UNIQUE CHECK (length(tckn) = 11),
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
    duty             TEXT NOT NULL
                     CHECK (duty = 'aktif' OR duty = 'ayrildi' OR duty = 'emekli' OR duty = 'askida'),
    assignment_end   TEXT,
    entitled         INTEGER NOT NULL CHECK (entitled = 0 OR entitled = 1),
    email            TEXT NOT NULL DEFAULT '',
    mobile_phone     TEXT NOT NULL DEFAULT '',
    updated_at       INTEGER NOT NULL
);

-- Keyed by fingerprint (SHA-256 of the DER); (issuer, serial) is unique too, so a CA that
-- reused a serial for another certificate is a conflict, not a silent second row.
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

-- A hash chain (store_audit_append): seq is given by the appender (last + 1, no gaps), hash
-- covers the entry and prev_hash; the first entry's prev_hash is 64 zeros.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL UNIQUE,
    hash      TEXT NOT NULL UNIQUE
);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    dedupe_key  TEXT UNIQUE,
    channel     TEXT NOT NULL CHECK (channel = 'email' OR channel = 'sms'),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status = 'pending' OR status = 'sending' OR status = 'sent'
                       OR status = 'failed'),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_try_at);

-- eimza schema version 3 (SQLite): signing, staff and decisions. The evidence of each accepted
-- e-signature, staff accounts, the approvers' decisions with the personnel record they relied
-- on, the chain of signature-only renewals per holder, and the indexes the approvers' queue
-- and the list of expiring certificates read through.

-- One signature per application (the key), and one application per signature: the CMS's
-- SHA-256 (hex, computed by store.c) is unique, so the same signature cannot be stored twice.
-- No cascade: evidence outlives nothing it proves.
CREATE TABLE signatures (
    application_id     INTEGER PRIMARY KEY REFERENCES applications (id),
    at                 INTEGER NOT NULL,
    cms                BLOB NOT NULL,
    cms_sha256         TEXT NOT NULL UNIQUE CHECK (length(cms_sha256) = 64),
    content            BLOB NOT NULL,
    signer_fingerprint TEXT NOT NULL CHECK (length(signer_fingerprint) = 64),
    validation         TEXT NOT NULL,
    ocsp               BLOB -- NULL: a CRL was relied on
);

-- Staff accounts. An approver works on one province; the other roles on none.
CREATE TABLE users (
    username       TEXT PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 63),
    role           TEXT NOT NULL
                   CHECK (role = 'approver' OR role = 'operator' OR role = 'admin'),
    province       INTEGER NOT NULL DEFAULT 0 CHECK (province BETWEEN 0 AND 81),
    password_hash  TEXT NOT NULL,
    totp_secret    TEXT NOT NULL DEFAULT '',
    totp_enabled   INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled = 0 OR totp_enabled = 1),
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    failed_count   INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    last_login_at  INTEGER NOT NULL DEFAULT 0,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK (role <> 'approver' OR province BETWEEN 1 AND 81)
) WITHOUT ROWID;

-- Every decision is kept (a later one does not overwrite an earlier); the latest by id is the
-- one in force. personnel and verdict are JSON text, as the approver saw them.
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at             INTEGER NOT NULL,
    decision       TEXT NOT NULL CHECK (decision = 'approve' OR decision = 'reject'),
    reason         TEXT NOT NULL DEFAULT '',
    staff          TEXT NOT NULL,
    personnel      TEXT NOT NULL DEFAULT 'null',
    verdict        TEXT NOT NULL
);
CREATE INDEX decisions_app ON decisions (application_id, id);

-- Renewals in a row made by signature alone since identity was last checked in person.
CREATE TABLE remote_chains (
    tckn       TEXT PRIMARY KEY CHECK (length(tckn) = 11),
    count      INTEGER NOT NULL CHECK (count >= 0),
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The approvers' queue lists by last change (store_app_list) and counts per state
-- (store_app_state_counts).
CREATE INDEX applications_updated ON applications (updated_at, id);
CREATE INDEX applications_state ON applications (state, updated_at);
-- store_expiring_unapplied scans certificates by not_after (certificates_not_after, version 1)
-- and checks each holder's newer certificates through certificates_tckn (tckn, not_before),
-- both already there; its applications check uses applications_tckn (tckn, created_at).

-- eimza schema version 7 (PostgreSQL): after approval, the card's way to the holder (issue 15).
-- The same tables as the SQLite migration of this version, which says what each is for:
-- production batches, the application's approval time, cancellation reason, batch and new
-- certificate, the certificates' CRL reason, the card inventory, the sealed PINs of in-house
-- cards, the revocation requests for the card bureau and each in-house CA's CRL number.

CREATE TABLE production_batches (
    id           BIGSERIAL PRIMARY KEY,
    province     SMALLINT NOT NULL CHECK (province BETWEEN 1 AND 81),
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    applications INTEGER NOT NULL DEFAULT 0,
    revocations  INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE applications
    ADD COLUMN approved_at   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '',
    ADD COLUMN batch_id      BIGINT REFERENCES production_batches (id),
    ADD COLUMN new_cert_id   BIGINT REFERENCES certificates (id);
CREATE INDEX applications_approved ON applications (state, approved_at);
CREATE INDEX applications_batch ON applications (batch_id);

UPDATE applications SET approved_at = coalesce((SELECT max(d.at) FROM decisions d
    WHERE d.application_id = applications.id AND d.decision = 'approve'), updated_at)
    WHERE state IN ('approved', 'in_production', 'shipped', 'delivered', 'completed');

ALTER TABLE certificates ADD COLUMN revocation_reason SMALLINT NOT NULL DEFAULT 0
    CHECK (revocation_reason BETWEEN 0 AND 10);

CREATE TABLE cards (
    id              BIGSERIAL PRIMARY KEY,
    tckn            TEXT NOT NULL CHECK (char_length(tckn) = 11),
    application_id  BIGINT REFERENCES applications (id),
    certificate_id  BIGINT REFERENCES certificates (id),
    serial          TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL CHECK (source IN ('bureau', 'inhouse', 'other')),
    state           TEXT NOT NULL CHECK (state IN ('produced', 'shipped', 'delivered', 'active',
                                                   'lost', 'revoked', 'returned', 'destroyed')),
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    produced_at     BIGINT NOT NULL DEFAULT 0,
    shipped_at      BIGINT NOT NULL DEFAULT 0,
    delivered_at    BIGINT NOT NULL DEFAULT 0,
    activated_at    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX cards_application ON cards (application_id, id);
CREATE INDEX cards_tckn ON cards (tckn);
CREATE INDEX cards_certificate ON cards (certificate_id);
CREATE INDEX cards_state ON cards (state, updated_at);

CREATE TABLE card_pins (
    card_id            BIGINT PRIMARY KEY REFERENCES cards (id),
    sealed             TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL CHECK (state IN ('waiting', 'shown', 'destroyed')),
    word_ok_at         BIGINT NOT NULL DEFAULT 0,
    code_hash          TEXT NOT NULL DEFAULT '',
    code_salt          TEXT NOT NULL DEFAULT '',
    code_sent_at       BIGINT NOT NULL DEFAULT 0,
    code_expires_at    BIGINT NOT NULL DEFAULT 0,
    codes_sent         INTEGER NOT NULL DEFAULT 0,
    wrong_window_start BIGINT NOT NULL DEFAULT 0,
    wrong_count        INTEGER NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    shown_at           BIGINT NOT NULL DEFAULT 0,
    CHECK ((state = 'waiting') = (sealed <> ''))
);

CREATE TABLE revocation_requests (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    province       SMALLINT NOT NULL CHECK (province BETWEEN 0 AND 81),
    reason         SMALLINT NOT NULL CHECK (reason BETWEEN 0 AND 10),
    requested_at   BIGINT NOT NULL,
    batch_id       BIGINT REFERENCES production_batches (id)
);
CREATE INDEX revocation_requests_open ON revocation_requests (province, batch_id);

CREATE TABLE ca_crl_numbers (
    issuer TEXT PRIMARY KEY,
    number BIGINT NOT NULL
);

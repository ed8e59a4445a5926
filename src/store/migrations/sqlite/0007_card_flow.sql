-- eimza schema version 7 (SQLite): after approval, the card's way to the holder (issue 15).
--
-- The application learns when it was approved (the delivery deadline counts from then), the
-- reason of a cancellation, the production batch it went out in (card bureau) and the new
-- certificate that completed it. The card inventory (cards) says where every card is; a card
-- made in house keeps its PIN and PUK sealed until the holder takes them on the portal
-- (card_pins: libsodium's XChaCha20-Poly1305, the key from the settings, never in the
-- database). A lost or stolen card's certificate gets a revocation request for the card
-- bureau (revocation_requests) or, when this deployment's own CA issued it, is revoked at once
-- with its CRL reason (certificates.revocation_reason). ca_crl_numbers keeps each in-house
-- CA's CRL number increasing across restarts and servers.

-- A batch of applications sent to the card bureau (one province, oldest-expiring first) with
-- the revocation requests that went with it.
CREATE TABLE production_batches (
    id           INTEGER PRIMARY KEY,
    province     INTEGER NOT NULL CHECK (province BETWEEN 1 AND 81),
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    applications INTEGER NOT NULL DEFAULT 0,
    revocations  INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE applications ADD COLUMN approved_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN batch_id INTEGER REFERENCES production_batches (id);
ALTER TABLE applications ADD COLUMN new_cert_id INTEGER REFERENCES certificates (id);
-- the operator's view of cards on their way: overdue and at risk, by the old certificate's end
CREATE INDEX applications_approved ON applications (state, approved_at);

-- what an approval before this version recorded
UPDATE applications SET approved_at = coalesce((SELECT max(d.at) FROM decisions d
    WHERE d.application_id = applications.id AND d.decision = 'approve'), updated_at)
    WHERE state = 'approved' OR state = 'in_production' OR state = 'shipped'
       OR state = 'delivered' OR state = 'completed';

-- RFC 5280 CRLReason of a revocation (0 unspecified, 1 keyCompromise, 4 superseded, ...)
ALTER TABLE certificates ADD COLUMN revocation_reason INTEGER NOT NULL DEFAULT 0
    CHECK (revocation_reason BETWEEN 0 AND 10);

CREATE INDEX applications_batch ON applications (batch_id);

-- The card inventory: produced -> shipped -> delivered -> active; or lost, revoked, returned,
-- destroyed. application_id is the application it was made for (NULL: a card eimza did not
-- order, recorded when its holder reported it lost); certificate_id the certificate on it.
CREATE TABLE cards (
    id              INTEGER PRIMARY KEY,
    tckn            TEXT NOT NULL CHECK (length(tckn) = 11),
    application_id  INTEGER REFERENCES applications (id),
    certificate_id  INTEGER REFERENCES certificates (id),
    serial          TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL
                    CHECK (source = 'bureau' OR source = 'inhouse' OR source = 'other'),
    state           TEXT NOT NULL
                    CHECK (state = 'produced' OR state = 'shipped' OR state = 'delivered'
                           OR state = 'active' OR state = 'lost' OR state = 'revoked'
                           OR state = 'returned' OR state = 'destroyed'),
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    produced_at     INTEGER NOT NULL DEFAULT 0,
    shipped_at      INTEGER NOT NULL DEFAULT 0,
    delivered_at    INTEGER NOT NULL DEFAULT 0,
    activated_at    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX cards_application ON cards (application_id, id);
CREATE INDEX cards_tckn ON cards (tckn);
CREATE INDEX cards_certificate ON cards (certificate_id);
CREATE INDEX cards_state ON cards (state, updated_at);

-- A new in-house card's PIN and PUK, sealed (base64 of nonce || ciphertext) until the holder
-- takes them once on the portal, then gone (sealed ''). The security word and an SMS code open them;
-- the code is kept as a salted hash only, and wrong entries are counted per hour.
CREATE TABLE card_pins (
    card_id            INTEGER PRIMARY KEY REFERENCES cards (id),
    sealed             TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL
                       CHECK (state = 'waiting' OR state = 'shown' OR state = 'destroyed'),
    word_ok_at         INTEGER NOT NULL DEFAULT 0,
    code_hash          TEXT NOT NULL DEFAULT '',
    code_salt          TEXT NOT NULL DEFAULT '',
    code_sent_at       INTEGER NOT NULL DEFAULT 0,
    code_expires_at    INTEGER NOT NULL DEFAULT 0,
    codes_sent         INTEGER NOT NULL DEFAULT 0,
    wrong_window_start INTEGER NOT NULL DEFAULT 0,
    wrong_count        INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    shown_at           INTEGER NOT NULL DEFAULT 0,
    CHECK ((state = 'waiting') = (sealed <> ''))
);

-- The card bureau is asked to revoke the certificate of a lost or stolen card (in its next
-- batch's export: batch_id set then).
CREATE TABLE revocation_requests (
    certificate_id INTEGER PRIMARY KEY REFERENCES certificates (id),
    application_id INTEGER NOT NULL REFERENCES applications (id),
    province       INTEGER NOT NULL CHECK (province BETWEEN 0 AND 81),
    reason         INTEGER NOT NULL CHECK (reason BETWEEN 0 AND 10),
    requested_at   INTEGER NOT NULL,
    batch_id       INTEGER REFERENCES production_batches (id)
);
CREATE INDEX revocation_requests_open ON revocation_requests (province, batch_id);

-- The CRL number of each in-house CA (by its subject), one more for every CRL made.
CREATE TABLE ca_crl_numbers (
    issuer TEXT PRIMARY KEY,
    number INTEGER NOT NULL
) WITHOUT ROWID;

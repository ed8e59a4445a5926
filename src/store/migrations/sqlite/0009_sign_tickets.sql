-- eimza schema version 9: signing through the relay (app/relay.c; docs/INTERFACES.md,
-- "Signing through the relay"). A ticket is kept only as the SHA-256 of its value, the claim
-- too; it is bound to the session that asked for it (the hash of its token, as in sessions)
-- and to that session's application. Expiry is not a state: it is read from the times, so a
-- ticket nobody touches needs no write to expire. 'checking' is held while its signature is
-- checked, so a ticket leads to at most one check.
CREATE TABLE sign_tickets (
    id               INTEGER PRIMARY KEY,
    ticket_hash      TEXT NOT NULL UNIQUE CHECK (length(ticket_hash) = 64),
    session_hash     TEXT NOT NULL CHECK (length(session_hash) = 64),
    application_id   INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    state            TEXT NOT NULL
                     CHECK (state IN ('issued', 'claimed', 'checking', 'submitted', 'refused',
                                      'cancelled', 'superseded')),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    claim_hash       TEXT NOT NULL DEFAULT '' CHECK (claim_hash = '' OR length(claim_hash) = 64),
    claimed_at       INTEGER NOT NULL DEFAULT 0,
    claim_expires_at INTEGER NOT NULL DEFAULT 0,
    ended_at         INTEGER NOT NULL DEFAULT 0,
    error_code       TEXT NOT NULL DEFAULT '',
    agent_version    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sign_tickets_session ON sign_tickets (session_hash, id);
CREATE INDEX sign_tickets_created ON sign_tickets (created_at);
CREATE INDEX sign_tickets_application ON sign_tickets (application_id);

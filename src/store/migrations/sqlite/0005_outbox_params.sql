-- eimza schema version 5 (SQLite): messages kept as a template and its values, and the
-- scan's exactly-once guarantee for expiry warnings moved to their marks.
--
-- A message queued by the notification scan (notify/scan.c) is no longer stored rendered: it
-- names its template (template: "expiry_warning", "digest", ...) and holds the values of its
-- placeholders as a JSON object (params); the sender renders it just before it is handed over
-- (notify_outbox_render), with the templates and portal_url of that moment. body and subject
-- stay '' then. A first scan of a million certificates writes a third of the bytes it did
-- (bench/notify_scan.sh). Messages with body text (SMS codes, decisions) are unchanged.
--
-- The dedupe keys of expiry warnings ("warn:...") leave the unique index: each (certificate,
-- milestone) is queued only by the scan whose mark in certificate_warnings changed, in the
-- same transaction, which the marks' primary key makes exactly one (store_warn_mark). The
-- index stays the guarantee for every other key; a warning's key is still written, for
-- people reading the outbox.
--
-- The holder's current certificate is decided through certificates_tckn: with not_after in
-- the index the scan's check needs no row of the table.

CREATE TABLE outbox_new (
    id             INTEGER PRIMARY KEY,
    dedupe_key     TEXT,
    channel        TEXT NOT NULL CHECK (channel = 'email' OR channel = 'sms'),
    recipient      TEXT NOT NULL,
    subject        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status = 'pending' OR status = 'sending' OR status = 'sent'
                          OR status = 'failed'),
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_try_at    INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    sent_at        INTEGER,
    last_error     TEXT,
    handed_over_at INTEGER,
    template       TEXT,
    params         TEXT,
    CHECK ((template IS NULL) = (params IS NULL))
);
INSERT INTO outbox_new (id, dedupe_key, channel, recipient, subject, body, status, attempts,
                        next_try_at, created_at, sent_at, last_error, handed_over_at)
SELECT id, dedupe_key, channel, recipient, subject, body, status, attempts, next_try_at,
       created_at, sent_at, last_error, handed_over_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_try_at);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%';

DROP INDEX certificates_tckn;
CREATE INDEX certificates_tckn ON certificates (tckn, not_before, not_after);

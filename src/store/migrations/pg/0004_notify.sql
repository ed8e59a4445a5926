-- eimza schema version 4 (PostgreSQL): expiry warnings, reminders and the hand-over of messages.
-- What the notification scan (notify/scan.c) has already queued is kept where the next scan
-- reads it anyway, so a second scan right after the first finds nothing to do without
-- touching the outbox: the certificate's latest milestone queued, and the states an
-- application was reminded of. The outbox's dedupe_key stays the guarantee of exactly-once
-- queueing; these only make the repeat cheap.

-- The latest warning milestone queued for each certificate, in days before its expiry (0: the
-- expiry itself); no row while none was. A scan only queues a milestone smaller than this. A
-- table of its own, not a column of certificates: the first scan of a million certificates
-- writes 100,000 small rows here instead of rewriting 100,000 wide certificate rows scattered
-- over the whole table (bench/notify_scan.sh).
CREATE TABLE certificate_warnings (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates (id),
    days           INTEGER NOT NULL CHECK (days >= 0),
    at             BIGINT NOT NULL
);

-- One reminder per application and state it got stuck in (draft: code not verified,
-- code_verified: not signed, awaiting_original: paper not arrived).
CREATE TABLE application_reminders (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    state          TEXT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (application_id, state)
);

-- When the sender of the attempt in progress began to hand the message over for good (SMTP:
-- just before the end of DATA; HTTP: just before the request). Such a message may have been
-- accepted, so a claim never takes it again on its own once its lease ran out: it waits,
-- "unconfirmed", in the operator's view of failed messages. NULL otherwise.
ALTER TABLE outbox ADD COLUMN handed_over_at BIGINT;

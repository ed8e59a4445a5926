-- eimza schema version 8 (PostgreSQL): the SMS code kept apart from the message's text and
-- sealed until it is handed over or expires. The reasons are those of the SQLite migration of
-- the same number.
ALTER TABLE outbox ADD COLUMN secret TEXT;
ALTER TABLE outbox ADD COLUMN secret_until BIGINT;
CREATE INDEX outbox_secret_until ON outbox (secret_until) WHERE secret IS NOT NULL;

UPDATE outbox SET body = 'e-imza SMS doğrulama kodu (metni güvenlik için silindi)'
WHERE dedupe_key LIKE 'otp:%';
UPDATE outbox SET status = 'failed', last_error = 'code_withdrawn'
WHERE dedupe_key LIKE 'otp:%' AND (status = 'pending'
                                   OR (status = 'sending' AND handed_over_at IS NULL));

-- eimza schema version 8 (SQLite): the SMS code is never readable once it was handed over or
-- expired (issue 19, finding 4). A message that carries a code keeps it apart from its text:
-- the body has the placeholder {code}, and `secret` the code sealed with the server's key
-- (crypto/seal.h) until `secret_until` (the code's expiry). The secret is dropped when the
-- message is handed over to the gateway, sent, failed, superseded by a newer code, when the
-- code is used, and when it expires (each drain pass); what is left is the text without it.
ALTER TABLE outbox ADD COLUMN secret TEXT;
ALTER TABLE outbox ADD COLUMN secret_until INTEGER;
-- the expired ones are found without reading the outbox
CREATE INDEX outbox_secret_until ON outbox (secret_until) WHERE secret IS NOT NULL;

-- Codes queued by an older eimza sit in the text itself: the text of every such message is
-- replaced (the code cannot be cut out of it here), and one still waiting is not sent: it
-- fails with code_withdrawn (its code is a few minutes old at most; the person asks again).
UPDATE outbox SET body = 'e-imza SMS doğrulama kodu (metni güvenlik için silindi)'
WHERE dedupe_key LIKE 'otp:%';
UPDATE outbox SET status = 'failed', last_error = 'code_withdrawn'
WHERE dedupe_key LIKE 'otp:%' AND (status = 'pending'
                                   OR (status = 'sending' AND handed_over_at IS NULL));

-- eimza schema version 13 (PostgreSQL): the card PIN step's SMS codes an older eimza wrote into the outbox
-- in clear (until 2026-12; dedupe key "pin:<number>:<n>", no template) are wiped, as version 8
-- wiped the application's: the text of every such message is replaced (the code cannot be cut
-- out of it here), and one still waiting is not sent: it fails with code_withdrawn (its code
-- is a few minutes old at most; the holder asks for a new one on the PIN page). Messages of
-- this eimza keep the template pin_code and the code sealed apart, and are left alone.
UPDATE outbox SET body = 'e-imza kart PIN SMS kodu (metni güvenlik için silindi)'
WHERE dedupe_key LIKE 'pin:%' AND template IS NULL AND body <> '';
UPDATE outbox SET status = 'failed', last_error = 'code_withdrawn'
WHERE dedupe_key LIKE 'pin:%' AND template IS NULL AND (status = 'pending'
                                   OR (status = 'sending' AND handed_over_at IS NULL));

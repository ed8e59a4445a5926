-- eimza schema version 12 (PostgreSQL): the security word step of the PIN retrieval lifted by
-- an operator. The same columns as the SQLite migration of this version, which says what each
-- is for.
ALTER TABLE card_pins ADD COLUMN word_waived_by TEXT NOT NULL DEFAULT '';
ALTER TABLE card_pins ADD COLUMN word_waived_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE card_pins ADD COLUMN word_waived_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE card_pins ADD COLUMN word_waived_note TEXT NOT NULL DEFAULT '';

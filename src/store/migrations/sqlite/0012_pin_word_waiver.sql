-- eimza schema version 12: a holder who forgot the security word can still take their in-house
-- card's PIN (app/flow_pin.c, docs/SECURITY.md "The PIN of an in-house card").
--
-- An operator who has seen the holder's official identity card in person lifts the word step
-- of the PIN retrieval for a while: word_waived_by is the operator's user name,
-- word_waived_at when, word_waived_note the few words they wrote about the document they saw
-- (at most 120 characters; removed with the application's other contact data by the
-- retention), word_waived_until the moment the waiver lapses (0: none). While now is before
-- it and the PIN still waits, the retrieval asks the SMS code only. Showing the PIN sets
-- word_waived_until back to 0 (the waiver is used once); the other three stay as the record
-- of who lifted the step.
ALTER TABLE card_pins ADD COLUMN word_waived_by TEXT NOT NULL DEFAULT '';
ALTER TABLE card_pins ADD COLUMN word_waived_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_pins ADD COLUMN word_waived_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_pins ADD COLUMN word_waived_note TEXT NOT NULL DEFAULT '';

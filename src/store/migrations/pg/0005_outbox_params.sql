-- eimza schema version 5 (PostgreSQL): messages kept as a template and its values, and the
-- scan's exactly-once guarantee for expiry warnings moved to their marks. The reasons are
-- those of the SQLite migration of the same number.

ALTER TABLE outbox ADD COLUMN template TEXT;
ALTER TABLE outbox ADD COLUMN params TEXT;
ALTER TABLE outbox ADD CONSTRAINT outbox_template_params
    CHECK ((template IS NULL) = (params IS NULL));
ALTER TABLE outbox DROP CONSTRAINT outbox_dedupe_key_key;
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key) WHERE dedupe_key NOT LIKE 'warn:%';

DROP INDEX certificates_tckn;
CREATE INDEX certificates_tckn ON certificates (tckn, not_before, not_after);

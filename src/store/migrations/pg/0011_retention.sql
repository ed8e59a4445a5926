-- eimza schema version 11 (PostgreSQL): personal data kept only as long as allowed (KVKK, issue
-- 18). The same columns and indexes as the SQLite migration of this version, which says what
-- each is for.
ALTER TABLE applications ADD COLUMN anonymised_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN redacted_by BIGINT NOT NULL DEFAULT 0;

CREATE INDEX outbox_keep ON outbox (created_at) WHERE recipient <> '';
CREATE INDEX applications_contact ON applications (updated_at)
    WHERE anonymised_at = 0 AND state IN ('rejected', 'completed', 'cancelled');
CREATE INDEX audit_log_object ON audit_log (object) WHERE redacted_by = 0;
CREATE INDEX audit_log_logins ON audit_log (at)
    WHERE redacted_by = 0 AND action IN ('login', 'login.lockout');
CREATE INDEX applications_new_cert ON applications (new_cert_id);

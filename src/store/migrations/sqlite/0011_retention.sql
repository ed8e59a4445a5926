-- eimza schema version 11: personal data kept only as long as allowed (KVKK, issue 18;
-- app/retention.c, `eimza retention run`, the server's periodic work).
--
-- applications.anonymised_at: when the retention removed a closed application's contact data
-- (0: not yet), so that a run reads only the closed applications still holding some.
-- audit_log.redacted_by: 0 for an entry as it was written; else the sequence number of the
-- later "audit.anonymised" entry whose digest covers this entry as it is now (actor reduced to
-- its role, object and detail emptied), which is how `eimza audit verify` still checks an
-- entry it can no longer hash (store.h, store_audit_digest_add).
--
-- The indexes are what each run walks, their conditions those of the retention's queries
-- word for word (store_queries.h, "retention"), so a run reads only what still holds something
-- to remove however long the tables grow: messages whose recipient is still there; closed
-- applications not yet anonymised; audit entries not yet anonymised, by what they concern
-- (an application's number) and, for the applicants' logins and lock-outs, by time; and the
-- applications by the new certificate they name (a certificate long ended is removed only
-- when nothing kept names it).
ALTER TABLE applications ADD COLUMN anonymised_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN redacted_by INTEGER NOT NULL DEFAULT 0;

CREATE INDEX outbox_keep ON outbox (created_at) WHERE recipient <> '';
CREATE INDEX applications_contact ON applications (updated_at)
    WHERE anonymised_at = 0 AND state IN ('rejected', 'completed', 'cancelled');
CREATE INDEX audit_log_object ON audit_log (object) WHERE redacted_by = 0;
CREATE INDEX audit_log_logins ON audit_log (at)
    WHERE redacted_by = 0 AND action IN ('login', 'login.lockout');
CREATE INDEX applications_new_cert ON applications (new_cert_id);

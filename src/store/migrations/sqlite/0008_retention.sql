-- eimza schema version 8: what the retention of personal data (KVKK; app/retention.c, `eimza
-- retention run`) walks every day, so that a run reads only what still holds something to
-- remove, however long the tables grow: the messages whose recipient is still there (a
-- delivered message's recipient, subject, body and values are removed after
-- retention_messages_days), and the closed applications whose contact data is still there
-- (removed retention_contact_years after closing). Each index's condition is the retention
-- query's own, word for word (store_queries.h, "retention"), so the planner can use it.
CREATE INDEX outbox_keep ON outbox (created_at) WHERE recipient <> '';
CREATE INDEX applications_contact ON applications (updated_at)
    WHERE state IN ('rejected', 'completed', 'cancelled')
      AND (address <> '' OR district <> '' OR postal_code <> '' OR email <> ''
           OR work_phone <> '' OR work_phone_ext <> '' OR mobile_phone <> ''
           OR home_phone <> '' OR mobile_operator <> '' OR security_word_hash <> '');

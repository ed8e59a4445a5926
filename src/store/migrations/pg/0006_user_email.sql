-- eimza schema version 6: a staff account's e-mail address, where an approver gets the daily
-- digest of what waits in their province (notify/scan.c). '' when none was given.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

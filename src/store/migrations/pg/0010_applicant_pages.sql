-- eimza schema version 10: what the applicant's pages needed (issue 17).
--
-- The institution's registry number (kurum sicil no) from the personnel file's optional
-- kurum_sicil_no column; the application form shows it locked. '' when none.
ALTER TABLE personnel ADD COLUMN registry_no TEXT NOT NULL DEFAULT '';

-- What an applicant typed into the form and has not saved yet (a JSON object of the form's
-- fields, never the security word), kept so that a session that times out loses nothing:
-- written by the page's draft button and its script, read when the form is shown again,
-- removed when the form is saved. One per application, gone with it.
CREATE TABLE application_drafts (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    form           TEXT NOT NULL,
    saved_at       BIGINT NOT NULL
);

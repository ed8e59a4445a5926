-- eimza schema version 7: the institution's registry number (kurum sicil no) from the personnel
-- file's optional kurum_sicil_no column; the application form shows it locked. '' when none.
ALTER TABLE personnel ADD COLUMN registry_no TEXT NOT NULL DEFAULT '';

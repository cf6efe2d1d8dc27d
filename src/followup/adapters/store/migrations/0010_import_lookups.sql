-- Importing an invitation looks its application up by company (find_application), and
-- adding a round ends the application's waiting rounds (waiting_rounds): without these
-- indexes each lookup read the whole table, or every round of the application, so
-- importing a calendar of n events took time quadratic in n. Portable SQL: PostgreSQL
-- reads the same file.
CREATE INDEX applications_company ON applications (lower(company));
CREATE INDEX interviews_waiting ON interviews (application_id) WHERE status = 'waiting';

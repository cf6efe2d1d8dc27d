-- PostgreSQL's version of 0011_note_kinds.sql: a note's kind is a name the user's policy
-- gives its step, no longer one of three. PostgreSQL named the column's CHECK of
-- 0001_initial.postgres.sql notes_kind_check (table_column_check); dropping it keeps every
-- row, index and reference as it is.
ALTER TABLE notes DROP CONSTRAINT notes_kind_check;

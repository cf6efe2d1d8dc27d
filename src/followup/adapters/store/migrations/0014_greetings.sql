-- How the user greets each interviewer ("Ms. Chen"), set with `debrief --greeting`; NULL:
-- the greeting comes from the name (domain/names.py). The same SQL serves PostgreSQL.
ALTER TABLE interviewers ADD COLUMN greet_as TEXT;

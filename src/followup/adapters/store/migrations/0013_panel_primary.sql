-- A panel's primary contact: the interviewer who gets every note after the thank-you when
-- policy.panel_follow_up is "primary" (domain/planner.py). 0 or 1: an integer reads the same
-- in SQLite and PostgreSQL. With none marked, the first interviewer is the contact.
ALTER TABLE interviewers ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0;

-- The last re-plan a change of config.toml's policy caused (app/services.py
-- follow_policy_change): when (ISO-8601 UTC) and what it did (JSON: interviews re-planned,
-- notes withdrawn, sequences closed and reopened), for `followup policy show`. Portable
-- SQL: PostgreSQL reads the same file.
ALTER TABLE planned_policy ADD COLUMN replanned_at TEXT;
ALTER TABLE planned_policy ADD COLUMN replan TEXT;

-- The planning key (domain/policy.py Policy.planning_key) of the policy that last planned
-- the open interviews: when config.toml's policy changes, opening the store finds a
-- different key and plans every open interview again once (app/services.py
-- follow_policy_change), so no note of a step the policy dropped stays pending. One row;
-- none yet means "unknown", which re-plans once. Portable SQL: PostgreSQL reads the same file.
CREATE TABLE planned_policy (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    planning_key  TEXT NOT NULL
);

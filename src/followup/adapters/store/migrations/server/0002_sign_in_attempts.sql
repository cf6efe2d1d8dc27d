-- Sign-in attempts, counted here rather than in a web process's memory so that every web
-- process shares one limit. One row per key: 'account:<e-mail>' or 'client:<address>'.
-- An attempt is counted (failures + 1, last_at = now) before its password is checked;
-- a success deletes the account's row and takes the one attempt back from the client's.
-- Rows past forget_at mean nothing and are swept.

CREATE TABLE sign_in_attempts (
    key        text PRIMARY KEY,
    failures   integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_at    timestamptz NOT NULL,
    forget_at  timestamptz NOT NULL
);
CREATE INDEX sign_in_attempts_forget ON sign_in_attempts (forget_at);

-- Server mode (PostgreSQL only): the accounts of every user, in schema `followup` (the
-- runner sets the search_path to it). Each seeker's own data lives in their schema u<id>,
-- made by the tenant migrations (../NNNN_name.sql). Instants are TEXT in the same ISO-8601
-- UTC form as the tenants' (YYYY-MM-DDTHH:MM:SSZ).

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text NOT NULL UNIQUE CHECK (email = lower(email)),
    role           text NOT NULL CHECK (role IN ('seeker', 'coach', 'admin')),
    password_hash  text NOT NULL,
    created_at     text NOT NULL,
    disabled       boolean NOT NULL DEFAULT false
);

-- A coach sees the clients listed here, and no one else.
CREATE TABLE coach_clients (
    coach_id   bigint NOT NULL REFERENCES users (id),
    client_id  bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (coach_id, client_id)
);
CREATE INDEX coach_clients_client ON coach_clients (client_id);

-- A signed-in browser: only the token's hash is stored (the token itself is the cookie).
CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf        text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

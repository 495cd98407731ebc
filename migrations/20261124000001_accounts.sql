-- Accounts: people (users), tenants (workspaces) and who belongs where (memberships), with
-- the plans that bound a workspace, the sessions that sign people in, and invitations.

-- Plans are data so that a price change is an UPDATE, not a release.
CREATE TABLE plans (
    id            text PRIMARY KEY,
    name          text    NOT NULL,
    monitor_limit integer NOT NULL CHECK (monitor_limit >= 0),
    position      integer NOT NULL
);

INSERT INTO plans (id, name, monitor_limit, position) VALUES
    ('free',     'Free',       5, 1),
    ('team',     'Team',      50, 2),
    ('business', 'Business', 500, 3);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    -- Stored trimmed and lower-cased; the CHECK keeps any writer honest.
    email         text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email <> ''),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    plan_id    text NOT NULL REFERENCES plans (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);

CREATE INDEX memberships_user_idx ON memberships (user_id);

-- A session is found by the SHA-256 of the token in the cookie, so that a copy of this table
-- signs nobody in.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The workspace the user is looking at; NULL only between sign-in and the first pick.
    workspace_id uuid REFERENCES workspaces (id) ON DELETE SET NULL,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Like sessions, an invitation is found by the hash of its token.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email        text NOT NULL CHECK (email = lower(btrim(email)) AND email <> ''),
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX invitations_workspace_idx ON invitations (workspace_id) WHERE accepted_at IS NULL;
CREATE INDEX invitations_expires_idx ON invitations (expires_at) WHERE accepted_at IS NULL;

-- Failed sign-ins, kept in the database so that every web replica throttles alike. `key` is
-- 'email:<address>' or 'ip:<address>'.
CREATE TABLE login_failures (
    key       text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failures_key_idx ON login_failures (key, failed_at);

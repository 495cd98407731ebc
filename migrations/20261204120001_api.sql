-- The JSON API: workspaces' tokens, and the first answers of creates sent with an
-- Idempotency-Key, so that a retried request gets that answer instead of doing it again.

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The token's first characters, shown in lists so that people can tell tokens apart.
    prefix text NOT NULL,
    -- SHA-256 of the whole token: the token has 256 random bits, so a fast hash is enough,
    -- and the token itself is never stored.
    token_hash bytea NOT NULL UNIQUE,
    scope text NOT NULL CHECK (scope IN ('read', 'write')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
);

CREATE INDEX api_tokens_workspace ON api_tokens (workspace_id, created_at DESC);

CREATE TABLE api_idempotency (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- The method and path it was sent with, and a hash of its body: the same key with
    -- another request is refused rather than answered with the first one's result.
    request_hash bytea NOT NULL,
    -- NULL while the first request is being answered.
    status smallint,
    location text,
    -- The answer's body, sealed with the server's key: it may hold a secret shown once (a
    -- webhook's signing secret).
    body_sealed bytea,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

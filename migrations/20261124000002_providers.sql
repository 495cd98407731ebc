-- Providers (vendors' status pages, shared by all tenants), what their pages say (components,
-- incidents with their updates, maintenances), the events polls found (an outbox), and the
-- monitors that tie a workspace to a provider.

-- Trigram search over provider names (a trusted extension: a database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE providers (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL UNIQUE
                  CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    homepage      text,
    -- The URL as listed or pasted, and the normalised form that makes the same page the same
    -- provider however it was written.
    status_url    text NOT NULL,
    canonical_url text NOT NULL UNIQUE,
    -- Where the page's documents are read, as detection found them: the platform (a name
    -- `vendorwatch inspect --format` takes), the base URL its endpoints hang from, and its feed
    -- if it has one. NULL until the first poll detects them (the catalog may give the platform).
    platform      text,
    base_url      text,
    feed_url      text,
    in_catalog    boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX providers_name_trgm_idx ON providers USING gin (lower(name) gin_trgm_ops);

-- The poller's bookkeeping, one row per provider, apart from the provider's description so
-- that the frequent updates here never touch it.
CREATE TABLE poll_state (
    provider_id     uuid PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    next_poll_at    timestamptz NOT NULL,
    -- A claimed poll holds a lease; a poll whose lease has expired (its worker died) is due
    -- again, and a poll that lost its lease may not write.
    lease_id        uuid,
    lease_until     timestamptz,
    last_checked_at timestamptz,
    last_changed_at timestamptz,
    failures        integer NOT NULL DEFAULT 0,
    failing_since   timestamptz,
    last_error_kind text,
    last_error      text,
    unreachable     boolean NOT NULL DEFAULT false,
    -- ETag / Last-Modified per endpoint URL, for conditional requests.
    validators      jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- Everything the page has said so far (the domain's merged snapshot): what the next read
    -- is compared with. NULL until the first successful read.
    snapshot        jsonb
);

CREATE INDEX poll_state_due_idx ON poll_state (next_poll_at);

CREATE TABLE components (
    provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    vendor_id   text NOT NULL,
    name        text NOT NULL,
    group_name  text,
    status      text,
    -- The vendor's order.
    position    integer NOT NULL,
    PRIMARY KEY (provider_id, vendor_id)
);

CREATE TABLE incidents (
    id           uuid PRIMARY KEY,
    provider_id  uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    vendor_id    text NOT NULL,
    title        text NOT NULL,
    impact       text,
    status       text,
    -- The vendor's own times, as given.
    started_at   timestamptz,
    resolved_at  timestamptz,
    url          text,
    components   text[] NOT NULL DEFAULT '{}',
    -- When a poll of ours first saw it: never copied from the vendor.
    detected_at  timestamptz NOT NULL,
    -- First seen already closed: news about the past, not something we detected as it began.
    backfilled   boolean NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (provider_id, vendor_id)
);

CREATE INDEX incidents_provider_started_idx
    ON incidents (provider_id, (coalesce(started_at, detected_at)) DESC);

CREATE TABLE incident_updates (
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    vendor_id   text NOT NULL,
    status      text,
    body        text NOT NULL,
    posted_at   timestamptz,
    detected_at timestamptz NOT NULL,
    -- Set when the vendor changed the text after we first read it.
    edited_at   timestamptz,
    PRIMARY KEY (incident_id, vendor_id)
);

CREATE TABLE maintenances (
    id              uuid PRIMARY KEY,
    provider_id     uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    vendor_id       text NOT NULL,
    title           text NOT NULL,
    status          text,
    scheduled_for   timestamptz,
    scheduled_until timestamptz,
    url             text,
    components      text[] NOT NULL DEFAULT '{}',
    detected_at     timestamptz NOT NULL,
    backfilled      boolean NOT NULL,
    -- Listed no more while still scheduled.
    cancelled_at    timestamptz,
    updated_at      timestamptz NOT NULL,
    UNIQUE (provider_id, vendor_id)
);

CREATE INDEX maintenances_provider_window_idx ON maintenances (provider_id, scheduled_for);

CREATE TABLE maintenance_updates (
    maintenance_id uuid NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    vendor_id      text NOT NULL,
    status         text,
    body           text NOT NULL,
    posted_at      timestamptz,
    detected_at    timestamptz NOT NULL,
    edited_at      timestamptz,
    PRIMARY KEY (maintenance_id, vendor_id)
);

-- The outbox: every change a poll found, written in the same transaction as the state it
-- changed. Notifications consume it; `dispatched_at` marks what they have taken.
CREATE TABLE events (
    id             uuid PRIMARY KEY,
    provider_id    uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    kind           text NOT NULL,
    incident_id    uuid REFERENCES incidents (id) ON DELETE CASCADE,
    maintenance_id uuid REFERENCES maintenances (id) ON DELETE CASCADE,
    -- The domain event as JSON.
    body           jsonb NOT NULL,
    detected_at    timestamptz NOT NULL,
    dispatched_at  timestamptz
);

CREATE INDEX events_provider_idx ON events (provider_id, detected_at DESC);
CREATE INDEX events_pending_idx ON events (detected_at) WHERE dispatched_at IS NULL;

-- A workspace watching a provider. The component filter and the rest arrive with the
-- monitors issue; the poller only needs to know which providers an active monitor watches.
CREATE TABLE monitors (
    id           uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider_id  uuid NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    paused       boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, provider_id),
    -- Lets tenant tables reference (workspace_id, monitor id) so that a cross-tenant
    -- reference cannot be stored.
    UNIQUE (workspace_id, id)
);

CREATE INDEX monitors_active_provider_idx ON monitors (provider_id) WHERE NOT paused;

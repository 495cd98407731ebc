-- Monitors grow what the dashboard and alerts need: the components a monitor watches, and
-- requests to add one by a status page's URL (checked by a job: the web makes no outbound
-- call on a request's path).

-- All components (the default), or the chosen groups (by name, so that a component that
-- appears in a group later is watched too) and single components (by vendor id, kept when
-- the vendor removes one, so that the monitor's page can say so).
ALTER TABLE monitors ADD COLUMN all_components boolean NOT NULL DEFAULT true;

CREATE TABLE monitor_groups (
    workspace_id uuid NOT NULL,
    monitor_id   uuid NOT NULL,
    group_name   text NOT NULL,
    PRIMARY KEY (monitor_id, group_name),
    -- The monitor's own workspace: a cross-tenant row cannot be stored.
    FOREIGN KEY (workspace_id, monitor_id) REFERENCES monitors (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE monitor_components (
    workspace_id uuid NOT NULL,
    monitor_id   uuid NOT NULL,
    vendor_id    text NOT NULL,
    PRIMARY KEY (monitor_id, vendor_id),
    FOREIGN KEY (workspace_id, monitor_id) REFERENCES monitors (workspace_id, id) ON DELETE CASCADE
);

CREATE INDEX monitors_workspace_idx ON monitors (workspace_id);

CREATE TABLE monitor_requests (
    id           uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- As pasted (trimmed; bounded by the form).
    url          text NOT NULL CHECK (length(url) <= 2048),
    state        text NOT NULL DEFAULT 'checking' CHECK (state IN ('checking', 'added', 'failed')),
    -- What went wrong, for the person, when failed.
    error        text,
    -- The monitor added, or the one that already watched the provider.
    monitor_id   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, monitor_id) REFERENCES monitors (workspace_id, id) ON DELETE SET NULL (monitor_id)
);

CREATE INDEX monitor_requests_workspace_idx ON monitor_requests (workspace_id, created_at DESC);

-- The dashboard's search finds a vendor by its page's address too (`githubstatus`).
CREATE INDEX providers_canonical_trgm_idx ON providers USING gin (canonical_url gin_trgm_ops);

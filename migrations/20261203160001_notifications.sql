-- Notification groups and their channels, and deliveries: one event sent to one channel,
-- unique per (event, channel), with every attempt logged.

-- A workspace-wide switch: while on, alerts are held (not sent); turning it off discards
-- what was held.
ALTER TABLE workspaces ADD COLUMN alerts_paused_at timestamptz;

CREATE TABLE notification_groups (
    id           uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- The group sign-up creates: it cannot be deleted (it can be emptied).
    is_default   boolean NOT NULL DEFAULT false,
    -- Which severities and which kinds of event reach it.
    severities   text[] NOT NULL CHECK (severities <@ ARRAY['major', 'minor', 'maintenance']),
    events       text[] NOT NULL CHECK (events <@ ARRAY['opened', 'updated', 'resolved']),
    -- Opted in per group: postmortems, and "the status page cannot be read / reads again".
    postmortems  boolean NOT NULL DEFAULT false,
    page_health  boolean NOT NULL DEFAULT false,
    -- Every monitor of the workspace, or those in group_monitors.
    all_monitors boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, name)
);

CREATE UNIQUE INDEX notification_groups_one_default_idx
    ON notification_groups (workspace_id) WHERE is_default;

CREATE TABLE group_monitors (
    workspace_id uuid NOT NULL,
    group_id     uuid NOT NULL,
    monitor_id   uuid NOT NULL,
    PRIMARY KEY (group_id, monitor_id),
    FOREIGN KEY (workspace_id, group_id)
        REFERENCES notification_groups (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, monitor_id) REFERENCES monitors (workspace_id, id) ON DELETE CASCADE
);

CREATE INDEX group_monitors_monitor_idx ON group_monitors (monitor_id);

-- A group's channels: e-mail recipients and integrations.
CREATE TABLE channels (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL,
    group_id      uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('email', 'slack', 'discord', 'teams', 'webhook')),
    -- E-mail: the address (lower-cased); integrations: none.
    address       text CHECK ((kind = 'email') = (address IS NOT NULL)),
    -- Integrations: the URL (and a webhook's signing secret), encrypted with the server's
    -- key; never stored or logged in the clear. What pages show is `masked`.
    secret        bytea CHECK ((kind = 'email') = (secret IS NULL)),
    masked        text NOT NULL,
    -- E-mail: when the address was confirmed (the first alert goes only after).
    verified_at   timestamptz,
    -- Set when the receiver said the integration is gone (404/410, revoked): no more sends.
    broken_at     timestamptz,
    broken_reason text,
    -- Pacing: no send to this channel before this moment (Slack and Teams take about one a
    -- second; Discord says in its answers).
    next_send_at  timestamptz NOT NULL DEFAULT 'epoch',
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, group_id)
        REFERENCES notification_groups (workspace_id, id) ON DELETE CASCADE
);

CREATE INDEX channels_group_idx ON channels (group_id);
CREATE UNIQUE INDEX channels_one_address_per_group_idx ON channels (group_id, address)
    WHERE address IS NOT NULL;

CREATE TABLE deliveries (
    id              uuid PRIMARY KEY,
    workspace_id    uuid NOT NULL,
    channel_id      uuid NOT NULL,
    -- The event sent; NULL for a test message.
    event_id        uuid REFERENCES events (id) ON DELETE CASCADE,
    state           text NOT NULL CHECK (state IN
                        ('pending', 'sending', 'delivered', 'failed', 'gave_up', 'held',
                         'discarded')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (event_id, channel_id),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels (workspace_id, id) ON DELETE CASCADE
);

CREATE INDEX deliveries_channel_idx ON deliveries (channel_id, created_at DESC);
CREATE INDEX deliveries_held_idx ON deliveries (workspace_id) WHERE state = 'held';
-- The sweep that re-queues deliveries whose job went missing.
CREATE INDEX deliveries_unfinished_idx ON deliveries (next_attempt_at)
    WHERE state IN ('pending', 'sending');

CREATE TABLE delivery_attempts (
    delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'permanent', 'broken')),
    -- The HTTP status or SMTP reply code, when there was an answer.
    status      integer,
    detail      text NOT NULL,
    duration_ms integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- E-mails that go nowhere (no SMTP server configured): kept for a while for whoever runs
-- vendorwatch to read (the log says the same).
CREATE TABLE logged_mail (
    id         uuid PRIMARY KEY,
    recipient  text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- What routing needs of an event, decided by the domain when the event is written
-- (`vw_domain::Event::routing`): the class a group's event filter matches ('opened',
-- 'updated', 'resolved', or the opt-in 'postmortem' and 'page_health'; NULL: alerts nobody),
-- the severity its severity filter matches, and the components it touches (empty: all).
ALTER TABLE events ADD COLUMN alert_class text CHECK (alert_class IN
    ('opened', 'updated', 'resolved', 'postmortem', 'page_health'));
ALTER TABLE events ADD COLUMN severity text CHECK (severity IN ('major', 'minor', 'maintenance'));
ALTER TABLE events ADD COLUMN touches text[] NOT NULL DEFAULT '{}';

-- Events found before alerts existed are history, not news: nothing sends them now.
UPDATE events SET dispatched_at = now() WHERE dispatched_at IS NULL;

-- Every workspace gets the Default group sign-up now creates, holding its owners' addresses
-- (confirmed: they signed up with them).
INSERT INTO notification_groups (id, workspace_id, name, is_default, severities, events)
SELECT gen_random_uuid(), w.id, 'Default', true, ARRAY['major', 'minor'], ARRAY['opened', 'resolved']
FROM workspaces w;

INSERT INTO channels (id, workspace_id, group_id, kind, address, masked, verified_at)
SELECT gen_random_uuid(), g.workspace_id, g.id, 'email', u.email, u.email, now()
FROM notification_groups g
JOIN memberships m ON m.workspace_id = g.workspace_id AND m.role = 'owner'
JOIN users u ON u.id = m.user_id
WHERE g.is_default;

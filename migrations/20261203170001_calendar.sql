-- The maintenance calendar (issue #12): each user's time zone, a revision count on every
-- maintenance for the iCalendar feed, and one feed per workspace behind a secret token.

-- The user's IANA time zone ("Europe/Paris"), checked by the domain before it is written
-- (`vw_domain::TimeZoneName`); NULL until the browser tells it on the first page after
-- signing in, or the user picks one. Pages read NULL as UTC.
ALTER TABLE users ADD COLUMN time_zone text
    CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);

-- iCalendar's SEQUENCE: raised by the writer (`history::upsert_maintenance`,
-- `history::cancel_maintenance`) on every change of the window or the status (cancelling
-- included). Stored, so that it survives restarts and only grows; never lowered.
ALTER TABLE maintenances ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);
-- When anything the feed shows of it last changed (title, window, status, URL, components,
-- cancelled): the event's LAST-MODIFIED and DTSTAMP, and part of the feed's fingerprint.
-- `updated_at` moves on every read with news, so it cannot serve.
ALTER TABLE maintenances ADD COLUMN revised_at timestamptz;
UPDATE maintenances SET revised_at = coalesce(cancelled_at, updated_at);
ALTER TABLE maintenances ALTER COLUMN revised_at SET NOT NULL;

-- The calendar reads a workspace's maintenances by window.
CREATE INDEX maintenances_window_idx ON maintenances (provider_id, scheduled_until);

-- A workspace's iCalendar feed (at most one). Calendar apps send no credentials, so the URL
-- carries a 256-bit random token: looked up by its SHA-256 (`token_hash`), and kept sealed
-- with the server's key (`token_sealed`, XChaCha20-Poly1305 as integration URLs are) so that
-- the settings page can show the URL again. Rotating replaces both; revoking deletes the
-- row: the old URL answers 404 from the next request on.
CREATE TABLE calendar_feeds (
    workspace_id   uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    token_sealed   bytea NOT NULL,
    created_at     timestamptz NOT NULL,
    -- What the feed last served (a digest of its events' ids, sequences and revisions, the
    -- calendar's name) and since when: its ETag and Last-Modified, so that a conditional GET
    -- answers 304 without rendering.
    fingerprint    text,
    changed_at     timestamptz NOT NULL
);

-- Whether a monitor watches something that touches `touches` (vendor ids of components;
-- none touches all): every component, or one it chose, or one in a group it chose. The rule
-- fan-out applies to events, for the reminders (workspace_maintenances below reads it once
-- per monitor instead, for speed).
CREATE FUNCTION monitor_watches(monitor uuid, all_components boolean, provider uuid,
                                touches text[])
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT all_components OR cardinality(touches) = 0
        OR EXISTS (SELECT 1 FROM monitor_components mc
                   WHERE mc.monitor_id = monitor AND mc.vendor_id = ANY (touches))
        OR EXISTS (SELECT 1 FROM monitor_groups mg
                   JOIN components c ON c.provider_id = provider AND c.group_name = mg.group_name
                   WHERE mg.monitor_id = monitor AND c.vendor_id = ANY (touches))
$$;

-- The maintenances a workspace's calendar shows, in one definition for the month and list
-- views and the feed: of every provider an active monitor watches (on either address of a
-- page that is one vendor, `same_as`), touching a component the monitor watches, with a
-- window that ends (or, without an end, starts) at or after `ends_after` and starts before
-- `starts_before`. A maintenance whose start the vendor does not give cannot be placed and
-- is left out.
CREATE FUNCTION workspace_maintenances(workspace uuid, ends_after timestamptz,
                                       starts_before timestamptz)
RETURNS TABLE (maintenance_id uuid)
LANGUAGE sql STABLE AS $$
    -- What each active monitor watches, read once per monitor rather than once per
    -- maintenance (which made a 500-monitor feed's digest take 50 ms instead of a few):
    -- NULL for every component, else the chosen components and those of the chosen groups.
    WITH watching AS MATERIALIZED (
        SELECT coalesce(p.same_as, p.id) AS provider_id,
               CASE WHEN m.all_components THEN NULL ELSE ARRAY(
                   SELECT mc.vendor_id FROM monitor_components mc WHERE mc.monitor_id = m.id
                   UNION ALL
                   SELECT c.vendor_id FROM monitor_groups mg
                   JOIN components c ON c.provider_id = coalesce(p.same_as, p.id)
                                    AND c.group_name = mg.group_name
                   WHERE mg.monitor_id = m.id) END AS ids
        FROM monitors m
        JOIN providers p ON p.id = m.provider_id
        WHERE m.workspace_id = workspace AND NOT m.paused
    )
    SELECT DISTINCT mt.id
    FROM watching w
    JOIN maintenances mt ON mt.provider_id = w.provider_id
    WHERE mt.scheduled_for IS NOT NULL
      AND mt.scheduled_for < starts_before
      AND coalesce(mt.scheduled_until, mt.scheduled_for) >= ends_after
      AND (w.ids IS NULL OR cardinality(mt.components) = 0 OR mt.components && w.ids)
$$;

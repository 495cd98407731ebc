-- The closed vocabularies of the domain, constrained in the schema too, so that no writer can
-- store a word the domain cannot read back (the domain's `as_str` names; keep both in step).
-- And whether an incident is open, decided once — by the domain, when the incident is
-- written — instead of restated by every query that lists open incidents.

ALTER TABLE providers ADD CONSTRAINT providers_platform_check CHECK (platform IN (
    'statuspage', 'incidentio', 'instatus', 'betterstack', 'statusio', 'checkly', 'cachet',
    'slack', 'heroku', 'aws', 'azure', 'gcp', 'atom', 'rss'));

ALTER TABLE components ADD CONSTRAINT components_status_check CHECK (status IN (
    'operational', 'under_maintenance', 'degraded_performance', 'partial_outage',
    'major_outage'));

ALTER TABLE incidents ADD CONSTRAINT incidents_impact_check CHECK (impact IN (
    'none', 'minor', 'major', 'critical'));
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN (
    'investigating', 'identified', 'monitoring', 'resolved', 'postmortem'));
ALTER TABLE incident_updates ADD CONSTRAINT incident_updates_status_check CHECK (status IN (
    'investigating', 'identified', 'monitoring', 'resolved', 'postmortem'));

ALTER TABLE maintenances ADD CONSTRAINT maintenances_status_check CHECK (status IN (
    'scheduled', 'in_progress', 'verifying', 'completed'));
ALTER TABLE maintenance_updates ADD CONSTRAINT maintenance_updates_status_check CHECK (status IN (
    'scheduled', 'in_progress', 'verifying', 'completed'));

ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN (
    'incident_opened', 'incident_updated', 'incident_resolved', 'postmortem_published',
    'maintenance_scheduled', 'maintenance_started', 'maintenance_completed',
    'maintenance_cancelled', 'component_status_changed', 'provider_unreachable',
    'provider_recovered'));

ALTER TABLE poll_state ADD CONSTRAINT poll_state_last_error_kind_check CHECK (last_error_kind IN (
    'setup', 'invalid_url', 'blocked', 'unreachable', 'timeout', 'http_status', 'too_large',
    'not_this_platform', 'malformed', 'not_a_status_page', 'database'));

-- Where the incident stands (its own status, else its newest update's, else resolved when it
-- has an end; NULL when nothing says) and whether that leaves it open: both written with the
-- incident from `vw_domain::timeline`. Rows written before this migration get the same rule
-- once, here.
ALTER TABLE incidents ADD COLUMN current_status text CHECK (current_status IN (
    'investigating', 'identified', 'monitoring', 'resolved', 'postmortem'));
ALTER TABLE incidents ADD COLUMN open boolean NOT NULL DEFAULT true;

UPDATE incidents i SET current_status = coalesce(
    i.status,
    (SELECT u.status FROM incident_updates u
     WHERE u.incident_id = i.id AND u.status IS NOT NULL
     ORDER BY u.posted_at DESC NULLS LAST, u.vendor_id DESC LIMIT 1),
    CASE WHEN i.resolved_at IS NOT NULL THEN 'resolved' END);
UPDATE incidents SET open = current_status IS NULL OR current_status NOT IN ('resolved', 'postmortem');

ALTER TABLE incidents ALTER COLUMN open DROP DEFAULT;

CREATE INDEX incidents_open_idx ON incidents (provider_id) WHERE open;

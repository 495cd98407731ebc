-- Vendors' update bodies are rendered (Markdown, then sanitised) once, when written, and the
-- safe HTML is kept beside the text: pages then show it as stored, so that a hostile body
-- costs its rendering once, off the request path, and never on a view. NULL for rows written
-- before this migration; the workers render those in the background.
ALTER TABLE incident_updates ADD COLUMN body_html text;
ALTER TABLE maintenance_updates ADD COLUMN body_html text;

-- Whether the last read that found news had to skip an item it could not read (a broken
-- date in one incident): the provider's page says so, and what was read is kept.
ALTER TABLE poll_state ADD COLUMN last_read_partial boolean NOT NULL DEFAULT false;

-- What the shipped provider catalog (catalog/providers.json, built into the binary) said when
-- it was last imported, so that `serve` and `worker` import it again when an upgrade brings a
-- different one, without undoing what an operator changed locally.

-- The catalog last imported at start-up, by content: at most one row. A start whose shipped
-- catalog has this hash imports nothing.
CREATE TABLE shipped_catalog (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    -- SHA-256 of the file's bytes, in lower-case hex.
    content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    entries      integer NOT NULL,
    imported_at  timestamptz NOT NULL
);

-- What the shipped catalog last said for a provider, as listed (the platform may be NULL:
-- detected at the first poll). An import of a new shipped catalog updates a provider only
-- while the provider still agrees with this; one that differs was changed locally (an
-- operator's own catalog file, an edit) and is kept. No row: the shipped catalog never wrote
-- the provider (added by URL or by an operator's file, or imported before this table).
CREATE TABLE shipped_listings (
    provider_id   uuid PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    name          text NOT NULL,
    homepage      text,
    status_url    text NOT NULL,
    canonical_url text NOT NULL,
    platform      text
);

-- Same page, two addresses: a vendor reachable both at <id>.statuspage.io and at its own
-- domain is one page, and so one provider in the directory. A poll that reads a Statuspage
-- page id that another provider already has makes the one that came first hold it; the other
-- points at that one (`same_as`), is no longer polled itself, and its monitors show the first
-- one's state (docs/ARCHITECTURE.md, "Same page, two addresses").

-- The page's own id as Statuspage gives it (`page.id` of its summary), held by one provider
-- per page: the first one. NULL until a read gives one, on every other platform, and on a
-- provider that points at another.
ALTER TABLE providers ADD COLUMN statuspage_page_id text
    CONSTRAINT providers_statuspage_page_id_key UNIQUE;

-- The provider that is the same page and came first; NULL for a provider that is its own.
-- Always one that is its own (one hop). A first one that goes away frees the others: they
-- are polled again, and their next read finds out afresh.
ALTER TABLE providers ADD COLUMN same_as uuid REFERENCES providers (id) ON DELETE SET NULL,
    ADD CONSTRAINT providers_same_as_check
        CHECK (same_as IS NULL OR (same_as <> id AND statuspage_page_id IS NULL));

-- The providers that point at a given one: their monitors count for its polling.
CREATE INDEX providers_same_as_idx ON providers (same_as) WHERE same_as IS NOT NULL;

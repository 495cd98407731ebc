-- Reminders before a watched maintenance starts (issue #12): the offsets are a group
-- setting, and each reminder is a delivery like any other, unique per (maintenance,
-- offset, channel) instead of per (event, channel).

-- Minutes before a maintenance's start at which the group's channels are reminded of it
-- (only groups that let maintenance through). 24 h and 1 h unless the group says otherwise;
-- at most five, each up to a week (the reminder clock looks that far ahead and back).
ALTER TABLE notification_groups ADD COLUMN reminder_offsets integer[] NOT NULL
    DEFAULT ARRAY[1440, 60]
    CHECK (cardinality(reminder_offsets) <= 5
           AND 0 < ALL (reminder_offsets) AND 10080 >= ALL (reminder_offsets));

-- A reminder's delivery names the maintenance and the offset instead of an event, with the
-- start it counted back from and whether it went out late (its time passed while the
-- workers were down, or the maintenance was announced after it).
ALTER TABLE deliveries ADD COLUMN maintenance_id uuid REFERENCES maintenances (id) ON DELETE CASCADE;
ALTER TABLE deliveries ADD COLUMN reminder_offset integer;
ALTER TABLE deliveries ADD COLUMN reminder_for timestamptz;
ALTER TABLE deliveries ADD COLUMN late boolean NOT NULL DEFAULT false;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_reminder_shape CHECK (
    (maintenance_id IS NULL) = (reminder_offset IS NULL)
    AND (maintenance_id IS NULL) = (reminder_for IS NULL)
    AND (maintenance_id IS NULL OR event_id IS NULL));

CREATE UNIQUE INDEX deliveries_one_reminder_idx
    ON deliveries (maintenance_id, reminder_offset, channel_id)
    WHERE maintenance_id IS NOT NULL;

-- The reminder clock reads the maintenances starting within a week either side of now.
CREATE INDEX maintenances_start_idx ON maintenances (scheduled_for) WHERE cancelled_at IS NULL;

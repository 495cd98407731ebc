-- A sign-in now reserves its place in the count before its password is checked, under an
-- advisory lock per key, so that guesses sent in parallel cannot all pass a count that was
-- read before any of them had failed (40 at once were all checked against a limit of 10).
-- A reservation counts as a failure unless the password proves right; `attempt` names the
-- request that made it, so that a right password gives back the address's row too. NULL on
-- rows written before this change, which count as failures as they always did.
ALTER TABLE login_failures ADD COLUMN attempt uuid;

CREATE INDEX login_failures_attempt_idx ON login_failures (attempt);

-- Sign-ups per client address, counted to throttle them (an attempt is written before its
-- password is hashed, under an advisory lock on the address, like sign-in failures): each
-- sign-up costs an Argon2 hash, and 200 of them from one address at 51/s had raised everyone's
-- sign-in time tenfold. In the database, so that every web replica counts alike.
CREATE TABLE signup_attempts (
    ip           text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX signup_attempts_ip_idx ON signup_attempts (ip, attempted_at);
CREATE INDEX signup_attempts_attempted_idx ON signup_attempts (attempted_at);

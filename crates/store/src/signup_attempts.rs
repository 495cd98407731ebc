//! Sign-ups per client address, counted to throttle them before their password is hashed.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, Transaction};

use crate::StoreError;
use crate::throttle::{self, Reservation};

/// Counts one sign-up from `ip`, unless it already has `limit` since `since`: then nothing is
/// written. Takes a transaction, since the address's lock (held until it ends) is what keeps
/// concurrent sign-ups from reading the same count.
pub async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    ip: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Reservation, StoreError> {
    throttle::lock(tx, throttle::SIGN_UP, &[ip.to_owned()]).await?;
    let closed = sqlx::query_scalar!(
        r#"WITH recent AS (
               SELECT count(*) AS attempts, min(attempted_at) AS oldest
               FROM signup_attempts
               WHERE ip = $1 AND attempted_at > $2
           ), reserved AS (
               INSERT INTO signup_attempts (ip)
               SELECT $1 FROM recent WHERE attempts < $3
           )
           SELECT oldest AS "oldest!" FROM recent WHERE attempts >= $3"#,
        ip,
        since,
        limit
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(
        closed.map_or(Reservation::Granted, |oldest| Reservation::Refused {
            oldest,
        }),
    )
}

pub async fn purge_before(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query!(
        "DELETE FROM signup_attempts WHERE attempted_at <= $1",
        before
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

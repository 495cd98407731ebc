//! Failed sign-ins, counted per key ('email:…' or 'ip:…') to throttle guessing. An attempt
//! reserves its place (a row per key) before its password is checked; the rows stay as its
//! failure unless the password proves right.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, Transaction};
use uuid::Uuid;

use crate::StoreError;
use crate::throttle::{self, Reservation};

/// Reserves a place for `attempt` under every key, unless one of them already has `limit`
/// failures since `since`: then nothing is written. Takes a transaction, since the keys'
/// locks (held until it ends) are what keep concurrent attempts from reading the same count.
pub async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    keys: &[String],
    attempt: Uuid,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Reservation, StoreError> {
    throttle::lock(tx, throttle::SIGN_IN, keys).await?;
    let closed = sqlx::query_scalar!(
        r#"WITH recent AS (
               SELECT key, count(*) AS failures, min(failed_at) AS oldest
               FROM login_failures
               WHERE key = ANY($1) AND failed_at > $2
               GROUP BY key
           ), closed AS (
               SELECT max(oldest) AS oldest FROM recent WHERE failures >= $4
           ), reserved AS (
               INSERT INTO login_failures (key, attempt)
               SELECT key, $3 FROM unnest($1::text[]) AS key
               WHERE (SELECT oldest FROM closed) IS NULL
           )
           SELECT oldest FROM closed"#,
        keys,
        since,
        attempt,
        limit
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(
        closed.map_or(Reservation::Granted, |oldest| Reservation::Refused {
            oldest,
        }),
    )
}

/// After a right password: forgets the failures of `email_key` (all of them) and gives back
/// the places `attempt` reserved under its other keys.
pub async fn forget_success(
    db: impl PgExecutor<'_>,
    email_key: &str,
    attempt: Uuid,
) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM login_failures WHERE key = $1 OR attempt = $2",
        email_key,
        attempt
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn purge_before(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query!("DELETE FROM login_failures WHERE failed_at <= $1", before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

//! Failed sign-ins, counted per key ('email:…' or 'ip:…') to throttle guessing.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::StoreError;

/// Failures for one key since a moment.
#[derive(Debug, Clone, Copy)]
pub struct Recent {
    pub count: i64,
    pub oldest: Option<DateTime<Utc>>,
}

pub async fn record(db: impl PgExecutor<'_>, keys: &[String]) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO login_failures (key) SELECT unnest($1::text[])",
        keys
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The failures of the most-failed of `keys` since `since`.
pub async fn worst_since(
    db: impl PgExecutor<'_>,
    keys: &[String],
    since: DateTime<Utc>,
) -> Result<Recent, StoreError> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", min(failed_at) AS oldest
           FROM login_failures
           WHERE key = ANY($1) AND failed_at > $2
           GROUP BY key
           ORDER BY count(*) DESC
           LIMIT 1"#,
        keys,
        since
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map_or(
        Recent {
            count: 0,
            oldest: None,
        },
        |r| Recent {
            count: r.count,
            oldest: r.oldest,
        },
    ))
}

/// Forgets a key's failures (after a successful sign-in for that email).
pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> Result<(), StoreError> {
    sqlx::query!("DELETE FROM login_failures WHERE key = $1", key)
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

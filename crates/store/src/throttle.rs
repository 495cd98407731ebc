//! What the throttles (sign-in failures, sign-ups) share: the answer to a reservation, and the
//! advisory locks that make counting and reserving one step for concurrent requests.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::StoreError;

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Its place in the count is taken: go ahead.
    Granted,
    /// A key is at its limit; it reopens when its oldest counted attempt, made at `oldest`,
    /// leaves the window.
    Refused { oldest: DateTime<Utc> },
}

/// Advisory lock classes (the first half of the two-int form, apart from every single-bigint
/// lock), one per throttle, so that a sign-in and a sign-up never wait for each other.
pub(crate) const SIGN_IN: i32 = 0x7677_0001;
pub(crate) const SIGN_UP: i32 = 0x7677_0002;

/// Locks `keys` until the transaction ends, each once and in one order (so that two
/// transactions locking overlapping keys cannot deadlock). A concurrent reservation for the
/// same key then waits until this one's count and insert are committed, and its own count,
/// in a later statement, sees them: counting and inserting in one statement alone would not
/// do, since the statement's snapshot predates the wait.
pub(crate) async fn lock(
    conn: &mut PgConnection,
    class: i32,
    keys: &[String],
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"SELECT count(pg_advisory_xact_lock($2, h)) AS "locked!"
           FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS sorted"#,
        keys,
        class
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

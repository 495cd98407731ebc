//! Upkeep of the job queue's tables (apalis' schema): finished jobs are kept a while for
//! inspection, then deleted so that the queue stays small.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::StoreError;

/// Deletes jobs that finished (done, killed, or failed with no attempt left) before `before`;
/// returns how many.
pub async fn purge_finished_jobs(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    // Unchecked at build time: the scratch database the query macros are checked against
    // holds our schema only, not apalis'.
    let done = sqlx::query(
        "DELETE FROM apalis.jobs
         WHERE (status IN ('Done', 'Killed') OR (status = 'Failed' AND attempts >= max_attempts))
           AND coalesce(done_at, run_at) < $1",
    )
    .bind(before)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

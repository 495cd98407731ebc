//! The job queues (apalis, on PostgreSQL): every queue's name, its payload type, how many
//! attempts a job gets and how long it waits between them, and a typed `push` that takes any
//! executor — so that the web and the workers queue work in the same transaction as their own
//! writes. This module is the only place that knows apalis' storage format.
//!
//! Retries: apalis fetches a failed job again as soon as its `run_at` has passed while
//! attempts remain, and never moves `run_at` itself. A job that fails therefore moves its own
//! `run_at` first ([`defer`]), which is what gives every queue its backoff.

use std::time::Duration;

use apalis_core::task::builder::TaskBuilder;
use apalis_postgres::{Config, PostgresStorage};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::StoreError;

mod payloads;

pub use payloads::{Deliver, DetectPage, Notice, Poll, Purge};

/// Every queue's name, for figures that must name the empty ones too.
pub const QUEUES: [&str; 5] = [
    Poll::QUEUE,
    Purge::QUEUE,
    DetectPage::QUEUE,
    Deliver::QUEUE,
    Notice::QUEUE,
];

/// A job type and its queue. The queue's name is stored with every job: never derive it from
/// a type name, and never rename it while jobs may be queued.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + Unpin + 'static {
    const QUEUE: &'static str;
    const RETRY: Retry;
}

/// How often a job is tried, and how long it waits after each failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included; at least 1.
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles after each further one, up to `max`.
    pub first: Duration,
    pub max: Duration,
}

impl Retry {
    /// One attempt: a failure is final (the job's own schedule, if any, tries again later).
    pub const ONCE: Retry = Retry {
        max_attempts: 1,
        first: Duration::ZERO,
        max: Duration::ZERO,
    };

    /// The wait after the `failed`th failed attempt (1 for the first), with ±25 % jitter from
    /// `dice` (uniform in [0, 1)) so that jobs failing together do not come back together.
    pub fn delay(&self, failed: u32, dice: f64) -> Duration {
        let doublings = failed.saturating_sub(1).min(30);
        let base = self
            .first
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max);
        base.mul_f64(0.75 + 0.5 * dice.clamp(0.0, 1.0))
    }

    /// Whether a job whose `attempt`th attempt (1 for the first) just failed gets another.
    pub fn has_another(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }
}

/// Queues `job` to run now.
pub async fn push<J: Job>(conn: &mut PgConnection, job: &J) -> Result<(), StoreError> {
    push_all(conn, std::slice::from_ref(job)).await
}

/// Queues `job` to run at `at` (to the second: apalis stores whole seconds).
pub async fn push_at<J: Job>(
    conn: &mut PgConnection,
    job: &J,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let task = builder(job)?
        .run_at_timestamp(u64::try_from(at.timestamp()).unwrap_or(0))
        .build();
    apalis_postgres::queries::push_tasks(conn, J::QUEUE, vec![task]).await?;
    Ok(())
}

/// Queues every job of `jobs`, in one statement.
pub async fn push_all<J: Job>(conn: &mut PgConnection, jobs: &[J]) -> Result<(), StoreError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let tasks = jobs
        .iter()
        .map(|job| builder(job).map(TaskBuilder::build))
        .collect::<Result<Vec<_>, _>>()?;
    apalis_postgres::queries::push_tasks(conn, J::QUEUE, tasks).await?;
    Ok(())
}

/// Queues `job` unless a job with the same `key` was ever queued (and not yet purged);
/// returns whether this call queued it. Several processes pushing the same key queue it once.
pub async fn push_once<J: Job>(
    conn: &mut PgConnection,
    job: &J,
    key: &str,
) -> Result<bool, StoreError> {
    let task = builder(job)?.idempotency_key(key).build();
    match apalis_postgres::queries::push_tasks(conn, J::QUEUE, vec![task]).await {
        Ok(()) => Ok(true),
        Err(apalis_postgres::Error::Database(error))
            if error
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()) =>
        {
            Ok(false)
        }
        Err(error) => Err(error.into()),
    }
}

fn builder<J: Job>(job: &J) -> Result<TaskBuilder<Vec<u8>>, StoreError> {
    let bytes = serde_json::to_vec(job)
        .map_err(|e| StoreError::Invalid(format!("{} job: {e}", J::QUEUE)))?;
    Ok(TaskBuilder::new(bytes).max_attempts(J::RETRY.max_attempts.max(1) as usize))
}

/// The storage a worker of `J`'s queue reads from, fetching up to `batch` jobs at a time.
pub fn storage<J: Job>(pool: &PgPool, batch: usize) -> PostgresStorage<J> {
    PostgresStorage::new(pool)
        .with_config(Config::default().queue(J::QUEUE).batch_size(batch.max(1)))
}

/// Moves a failed job's next attempt `delay` from now: its backoff.
pub async fn defer(db: impl PgExecutor<'_>, task: &str, delay: Duration) -> Result<(), StoreError> {
    // Unchecked at build time: the scratch database the query macros are checked against
    // holds our schema only, not apalis'.
    sqlx::query("UPDATE apalis.jobs SET run_at = now() + $2 WHERE id = $1")
        .bind(task)
        .bind(delay)
        .execute(db)
        .await?;
    Ok(())
}

/// Takes up to `limit` of `J`'s queued jobs that are due at `now` (or by the database's clock:
/// jobs are queued on it), oldest first, marking them
/// done: for running jobs in-process, without a worker pool (the pipeline helper of tests and
/// benchmarks). A job that fails there is the caller's to report.
pub async fn take_due<J: Job>(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<J>, StoreError> {
    let rows: Vec<Vec<u8>> = sqlx::query_scalar(
        "WITH due AS (
             SELECT id FROM apalis.jobs
             WHERE job_type = $1 AND status IN ('Pending', 'Failed') AND attempts < max_attempts
               AND run_at <= greatest($2, now())
             ORDER BY run_at, id
             LIMIT $3
             FOR UPDATE SKIP LOCKED
         )
         UPDATE apalis.jobs j SET status = 'Done', attempts = attempts + 1, done_at = now()
         FROM due WHERE j.id = due.id
         RETURNING j.job",
    )
    .bind(J::QUEUE)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|bytes| {
            serde_json::from_slice(bytes)
                .map_err(|e| StoreError::Invalid(format!("{} job: {e}", J::QUEUE)))
        })
        .collect()
}

/// How many jobs `J`'s queue holds, finished ones included (until purged).
pub async fn count<J: Job>(db: impl PgExecutor<'_>) -> Result<u64, StoreError> {
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM apalis.jobs WHERE job_type = $1")
        .bind(J::QUEUE)
        .fetch_one(db)
        .await?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

/// What one queue holds that has not finished, as one read of the jobs table.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlog {
    pub queue: String,
    /// Waiting, and due: their time has come and no worker has taken them.
    pub due: i64,
    /// Waiting for a later time (a retry's backoff, a paced send, a delayed job).
    pub scheduled: i64,
    /// Taken by a worker and not finished.
    pub running: i64,
    /// How long the oldest due job has waited past its time; 0 when none is due.
    pub oldest_due_seconds: f64,
}

/// The backlog of each of `queues`, the empty ones included (all zero).
pub async fn backlog(db: impl PgExecutor<'_>, queues: &[&str]) -> Result<Vec<Backlog>, StoreError> {
    // Waiting is what apalis' own fetch (apalis.get_jobs) would take: pending, or failed with
    // attempts left. Unchecked at build time, like every query on apalis' tables.
    let rows: Vec<(String, i64, i64, i64, f64)> = sqlx::query_as(
        "SELECT q.name,
                count(j.id) FILTER (WHERE j.waiting AND j.run_at <= now()),
                count(j.id) FILTER (WHERE j.waiting AND j.run_at > now()),
                count(j.id) FILTER (WHERE j.status IN ('Queued', 'Running')),
                coalesce(extract(epoch FROM now() - min(j.run_at)
                                 FILTER (WHERE j.waiting AND j.run_at <= now())), 0)::float8
         FROM unnest($1::text[]) AS q(name)
         LEFT JOIN LATERAL (
             SELECT id, run_at, status,
                    status = 'Pending' OR (status = 'Failed' AND attempts < max_attempts) AS waiting
             FROM apalis.jobs
             WHERE job_type = q.name
               AND (status IN ('Pending', 'Queued', 'Running')
                    OR (status = 'Failed' AND attempts < max_attempts))
         ) j ON true
         GROUP BY q.name
         ORDER BY q.name",
    )
    .bind(queues)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(queue, due, scheduled, running, oldest_due_seconds)| Backlog {
                queue,
                due,
                scheduled,
                running,
                oldest_due_seconds,
            },
        )
        .collect())
}

/// Deletes jobs that finished (done, killed, or failed with no attempt left) before `before`;
/// returns how many.
pub async fn purge_finished(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const R: Retry = Retry {
        max_attempts: 4,
        first: Duration::from_secs(10),
        max: Duration::from_secs(60),
    };

    #[test]
    fn backoff_doubles_up_to_its_cap_with_a_quarter_of_jitter() {
        let waits: Vec<u64> = (1..=5).map(|n| R.delay(n, 0.5).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 60, 60]);
        assert_eq!(R.delay(1, 0.0), Duration::from_millis(7500));
        assert!(R.delay(1, 0.999_999) < Duration::from_millis(12_500));
    }

    #[test]
    fn attempts_run_out() {
        assert!(R.has_another(3));
        assert!(!R.has_another(4));
        assert!(!Retry::ONCE.has_another(1));
    }
}

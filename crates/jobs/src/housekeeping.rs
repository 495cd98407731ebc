//! Deleting what has expired: sessions, unused invitations, old sign-in failures, and
//! finished jobs.
//!
//! A clock in every worker process pushes one `Purge` job an hour into the `housekeeping`
//! queue; its idempotency key (the hour) makes the pushes of other processes no-ops, so the
//! purge runs once an hour however many workers there are.

use apalis::prelude::*;
use apalis_cron::Tick;
use apalis_postgres::PostgresStorage;
use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};
use vw_store::PgPool;

/// The queue's name is part of the stored data: never derive it from a type name.
pub const QUEUE: &str = "housekeeping";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// The hour this purge is for; also its idempotency key.
    pub hour: DateTime<Utc>,
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub sessions: u64,
    pub invitations: u64,
    pub login_failures: u64,
    pub jobs: u64,
}

/// Throttling looks back 15 minutes; failures older than a day serve nobody.
const LOGIN_FAILURE_RETENTION_HOURS: i64 = 24;
/// Finished jobs are kept an hour, to look into what ran: polls alone finish tens of thousands
/// of jobs an hour at scale, and the queue's fetch slows when its table grows large.
const FINISHED_JOB_RETENTION_HOURS: i64 = 1;

pub fn queue(pool: &PgPool) -> PostgresStorage<Purge> {
    PostgresStorage::new(pool).with_config(apalis_postgres::Config::default().queue(QUEUE))
}

/// Runs on each tick of the clock: queues this hour's purge unless another process did.
pub async fn on_tick(tick: Tick, queue: Data<PostgresStorage<Purge>>) -> Result<(), BoxDynError> {
    let ticked_at = i64::try_from(tick.get_timestamp())
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now);
    let hour = start_of_hour(ticked_at);
    let key = format!("purge:{}", hour.to_rfc3339());
    let task = TaskBuilder::new(Purge { hour })
        .idempotency_key(&key)
        .max_attempts(3)
        .build();
    let mut queue = (*queue).clone();
    match queue.push_task(task).await {
        Ok(()) => tracing::debug!(%hour, "purge queued"),
        Err(error) if is_duplicate(&error) => tracing::debug!(%hour, "purge already queued"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// The job: one pass of deletions. Safe to run twice.
pub async fn purge(job: Purge, db: Data<PgPool>) -> Result<(), BoxDynError> {
    let purged = purge_expired(&db).await?;
    tracing::info!(
        hour = %job.hour,
        sessions = purged.sessions,
        invitations = purged.invitations,
        login_failures = purged.login_failures,
        jobs = purged.jobs,
        "purged expired rows"
    );
    Ok(())
}

pub async fn purge_expired(db: &PgPool) -> Result<Purged, vw_store::StoreError> {
    Ok(Purged {
        sessions: vw_store::sessions::purge_expired(db).await?,
        invitations: vw_store::invitations::purge_expired(db).await?,
        login_failures: vw_store::login_failures::purge_before(
            db,
            Utc::now() - Duration::hours(LOGIN_FAILURE_RETENTION_HOURS),
        )
        .await?,
        jobs: vw_store::queues::purge_finished_jobs(
            db,
            Utc::now() - Duration::hours(FINISHED_JOB_RETENTION_HOURS),
        )
        .await?,
    })
}

fn start_of_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

fn is_duplicate(error: &TaskSinkError<apalis_postgres::Error>) -> bool {
    matches!(
        error,
        TaskSinkError::PushError(apalis_postgres::Error::Database(sqlx_error))
            if sqlx_error.as_database_error().is_some_and(|e| e.is_unique_violation())
    )
}

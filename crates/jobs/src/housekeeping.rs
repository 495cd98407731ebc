//! Deleting what has expired: sessions, unused invitations, old sign-in failures and sign-up
//! attempts, finished jobs, mail kept for the sent-mail page and the API's idempotency keys;
//! and rendering update bodies stored before bodies were rendered
//! when written.
//!
//! A clock in every worker process pushes one `Purge` job an hour into the `housekeeping`
//! queue; its idempotency key (the hour) makes the pushes of other processes no-ops, so the
//! purge runs once an hour however many workers there are.

use apalis::prelude::*;
use apalis_cron::{CronScheduler, Tick};
use chrono::{DateTime, Duration, Timelike, Utc};
use vw_store::PgPool;
use vw_store::queue::{self, Purge};

use crate::Context;
use crate::every::Every;

/// What one purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub rendered: u64,
    pub sessions: u64,
    pub invitations: u64,
    pub login_failures: u64,
    pub signup_attempts: u64,
    pub jobs: u64,
    pub logged_mail: u64,
    pub idempotency_keys: u64,
}

/// Throttling looks back 15 minutes (sign-ins) or an hour (sign-ups); attempts older than a
/// day serve nobody.
const THROTTLE_RETENTION_HOURS: i64 = 24;
/// Finished jobs are kept an hour, to look into what ran: polls alone finish tens of thousands
/// of jobs an hour at scale, and the queue's fetch slows when its table grows large.
const FINISHED_JOB_RETENTION_HOURS: i64 = 1;
/// Mail kept when no SMTP server is configured is there for an operator to look at, as the
/// README says: a week is enough, and confirmation links expire anyway.
const LOGGED_MAIL_RETENTION_DAYS: i64 = 7;
/// The API answers a retried create with its first answer for a day (its documentation says
/// so).
const IDEMPOTENCY_RETENTION_HOURS: i64 = 24;

/// The hourly clock and the purge worker.
pub(crate) fn register(monitor: Monitor, context: &Context) -> Monitor {
    let (clock_db, db) = (context.db.clone(), context.db.clone());
    let schedule = context.config.housekeeping_schedule.clone();
    let instance = context.instance.clone();
    monitor
        .register({
            let name = format!("housekeeping-clock-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(CronScheduler::new(schedule.clone()))
                    .data(clock_db.clone())
                    .build(on_tick)
            }
        })
        .register({
            let name = format!("housekeeping-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(
                        queue::storage::<Purge>(&db, 1)
                            .poll_with_strategy(Every::new(std::time::Duration::from_secs(1))),
                    )
                    .concurrency(1)
                    .catch_panic()
                    .enable_tracing()
                    .data(db.clone())
                    .build(run_purge)
            }
        })
}

/// Runs on each tick of the clock: queues this hour's purge unless another process did.
async fn on_tick(tick: Tick, db: Data<PgPool>) -> Result<(), BoxDynError> {
    let ticked_at = i64::try_from(tick.get_timestamp())
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now);
    let hour = start_of_hour(ticked_at);
    let key = format!("purge:{}", hour.to_rfc3339());
    let mut conn = db.acquire().await?;
    if queue::push_once(&mut conn, &Purge { hour }, &key).await? {
        tracing::debug!(%hour, "purge queued");
    } else {
        tracing::debug!(%hour, "purge already queued");
    }
    Ok(())
}

async fn run_purge(
    job: Purge,
    db: Data<PgPool>,
    task: TaskId,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let result = purge(&job, &db).await;
    crate::retry::settle::<Purge>(&db, &task, &attempt, result).await
}

/// The job: one pass of deletions. Safe to run twice.
async fn purge(job: &Purge, db: &PgPool) -> Result<(), BoxDynError> {
    let purged = purge_expired(db).await?;
    tracing::info!(
        hour = %job.hour,
        sessions = purged.sessions,
        invitations = purged.invitations,
        login_failures = purged.login_failures,
        rendered = purged.rendered,
        signup_attempts = purged.signup_attempts,
        jobs = purged.jobs,
        logged_mail = purged.logged_mail,
        idempotency_keys = purged.idempotency_keys,
        "purged expired rows"
    );
    Ok(())
}

pub async fn purge_expired(db: &PgPool) -> Result<Purged, vw_store::StoreError> {
    Ok(Purged {
        rendered: render_unrendered(db).await?,
        sessions: vw_store::sessions::purge_expired(db).await?,
        invitations: vw_store::invitations::purge_expired(db).await?,
        login_failures: vw_store::login_failures::purge_before(
            db,
            Utc::now() - Duration::hours(THROTTLE_RETENTION_HOURS),
        )
        .await?,
        signup_attempts: vw_store::signup_attempts::purge_before(
            db,
            Utc::now() - Duration::hours(THROTTLE_RETENTION_HOURS),
        )
        .await?,
        jobs: vw_store::queue::purge_finished(
            db,
            Utc::now() - Duration::hours(FINISHED_JOB_RETENTION_HOURS),
        )
        .await?,
        logged_mail: vw_store::logged_mail::purge(
            db,
            Utc::now() - Duration::days(LOGGED_MAIL_RETENTION_DAYS),
        )
        .await?,
        idempotency_keys: vw_store::idempotency::purge(
            db,
            Utc::now() - Duration::hours(IDEMPOTENCY_RETENTION_HOURS),
        )
        .await?,
    })
}

/// Renders, a batch at a time on a blocking thread, every update body stored without its
/// HTML (rows from before bodies were rendered when written); returns how many.
pub async fn render_unrendered(db: &PgPool) -> Result<u64, vw_store::StoreError> {
    const BATCH: i64 = 200;
    let mut rendered = 0;
    loop {
        let updates = vw_store::history::unrendered(db, BATCH).await?;
        if updates.is_empty() {
            return Ok(rendered);
        }
        let bodies: Vec<String> = updates.iter().map(|u| u.body.clone()).collect();
        let html: Vec<String> = tokio::task::spawn_blocking(move || {
            bodies.iter().map(|b| vw_markup::to_safe_html(b)).collect()
        })
        .await
        .map_err(|e| vw_store::StoreError::Invalid(format!("rendering update bodies: {e}")))?;
        for (update, html) in updates.iter().zip(&html) {
            vw_store::history::set_rendered(db, update, html).await?;
        }
        rendered += updates.len() as u64;
    }
}

fn start_of_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

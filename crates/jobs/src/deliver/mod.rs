//! Alerts, from the outbox to each channel. Fan-out claims committed events and computes
//! their deliveries in one statement (unique per event and channel, so any number of workers
//! can fan out at once), queueing one `Deliver` job each in the same transaction; it runs
//! right after a poll that wrote events, and on a clock every second for the rest. A
//! delivery's job attempts it once (`attempt`); its retries are new jobs, due on the
//! channel's schedule. The same clock sweeps up deliveries whose job went missing (a worker
//! killed mid-attempt), so that none is lost.

mod alert;
mod attempt;
mod notice;
mod schedule;

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use url::Url;
use vw_app::secrets::Secrets;
use vw_notify::email::{EmailSettings, Mailer};
use vw_notify::{Notifier, TargetRules};
use vw_outbound::{Client, Policy};
use vw_store::PgPool;
use vw_store::queue::{self, Deliver, Job, Notice};

use crate::every::Every;
use crate::wake::Inserted;
use crate::{Clock, Context, JobsError};

pub use attempt::{attempt, run};
pub use notice::notice;

/// How alerts are sent from this process.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// The site's public URL: links in alerts (incident pages, unsubscribe, confirm).
    pub base_url: Url,
    /// Unseals integrations and signs links.
    pub secrets: Secrets,
    /// `smtp://…` or `smtps://…`; `None` keeps e-mails in the log and on the sent-mail page.
    pub smtp_url: Option<String>,
    /// `From` of every e-mail.
    pub mail_from: String,
    /// Targets on private addresses and plain http (tests, local development).
    pub allow_private_targets: bool,
    /// An attempt still "sending" after this long is presumed dead (its worker died), and
    /// its delivery is tried again. Longer than any attempt can take.
    pub lease: Duration,
    /// Deliveries attempted at once in this process.
    pub concurrency: usize,
}

impl DeliveryConfig {
    pub fn new(base_url: Url, secrets: Secrets) -> Self {
        let host = base_url.host_str().unwrap_or("localhost").to_owned();
        DeliveryConfig {
            base_url,
            secrets,
            smtp_url: None,
            mail_from: format!("vendorwatch <alerts@{host}>"),
            allow_private_targets: false,
            lease: Duration::from_secs(60),
            concurrency: 32,
        }
    }
}

/// What delivery jobs share in one process.
pub struct DeliveryContext {
    pub db: PgPool,
    pub clock: Clock,
    pub config: DeliveryConfig,
    /// Places for deliveries in flight in this process (`config.concurrency`).
    in_flight: tokio::sync::Semaphore,
    notifier: Notifier,
    mailer: Mailer,
    email: EmailSettings,
    rules: TargetRules,
}

impl DeliveryContext {
    pub fn new(db: PgPool, config: DeliveryConfig, clock: Clock) -> Result<Arc<Self>, JobsError> {
        let policy = Policy {
            allow_private_targets: config.allow_private_targets,
            ..Policy::deliveries()
        };
        let http = Client::new(policy).map_err(|e| JobsError::Pool(format!("HTTP client: {e}")))?;
        let mailer = match &config.smtp_url {
            Some(url) => Mailer::from_url(url).map_err(|e| JobsError::Pool(e.to_string()))?,
            None => Mailer::log_only(),
        };
        let email = EmailSettings::new(&config.mail_from)
            .map_err(|e| JobsError::Pool(format!("VW_MAIL_FROM: {e}")))?;
        let rules = TargetRules {
            allow_private_targets: config.allow_private_targets,
        };
        Ok(Arc::new(DeliveryContext {
            in_flight: tokio::sync::Semaphore::new(config.concurrency.max(1)),
            notifier: Notifier::new(http, mailer.clone(), email.clone()),
            mailer,
            email,
            rules,
            db,
            clock,
            config,
        }))
    }
}

/// Events claimed per fan-out statement: the deliveries of 100 events to thousands of
/// workspaces stay one transaction of bounded size.
const FAN_OUT_BATCH: i64 = 100;
/// A pending delivery this overdue has lost its job: the sweep queues another.
const SWEEP_GRACE: Duration = Duration::from_secs(30);
const SWEEP_BATCH: i64 = 1000;

/// Fans out every committed event not yet fanned out; returns the deliveries queued.
pub async fn fan_out(db: &PgPool) -> Result<usize, JobsError> {
    let mut queued = 0;
    loop {
        let mut tx = vw_store::begin(db).await?;
        let (claimed, pending) = vw_store::deliveries::fan_out(&mut tx, FAN_OUT_BATCH).await?;
        queue::push_all(&mut tx, &Deliver::batches(&pending)).await?;
        vw_store::commit(tx).await?;
        queued += pending.len();
        if claimed > 0 {
            tracing::debug!(events = claimed, deliveries = pending.len(), "fanned out");
        }
        if claimed < usize::try_from(FAN_OUT_BATCH).unwrap_or(usize::MAX) {
            return Ok(queued);
        }
    }
}

/// A reminder more than this past its time when made is sent marked late.
const REMINDER_LATE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// Makes the reminders due at `now` and moves (or drops) those not yet sent whose
/// maintenance changed, queueing their jobs in the same transaction; returns the jobs
/// queued. `now` is the caller's clock, so tests pass any moment.
pub async fn remind(db: &PgPool, now: chrono::DateTime<chrono::Utc>) -> Result<usize, JobsError> {
    let mut tx = vw_store::begin(db).await?;
    let (moved, dropped_late) = vw_store::reminders::follow_windows(&mut tx, now).await?;
    let made = vw_store::reminders::create_due(&mut tx, now, REMINDER_LATE_AFTER).await?;
    queue::push_all(&mut tx, &Deliver::batches(&made.pending)).await?;
    for (delivery, at) in &moved {
        queue::push_at(&mut tx, &Deliver::one(*delivery), *at).await?;
    }
    vw_store::commit(tx).await?;
    for dropped in made.dropped.iter().chain(&dropped_late) {
        tracing::warn!(
            delivery = %dropped.delivery,
            maintenance = %dropped.maintenance,
            offset_minutes = dropped.offset_minutes,
            why = %dropped.why,
            "maintenance reminder dropped"
        );
    }
    if !made.pending.is_empty() || !moved.is_empty() {
        tracing::info!(
            reminders = made.pending.len(),
            late = made.late,
            rescheduled = moved.len(),
            "maintenance reminders queued"
        );
    }
    Ok(made.pending.len() + moved.len())
}

/// Queues a job for every delivery whose job went missing; returns how many.
pub async fn sweep(db: &PgPool, clock: &Clock) -> Result<usize, JobsError> {
    let mut tx = vw_store::begin(db).await?;
    let lost = vw_store::deliveries::sweep(&mut *tx, clock.now(), SWEEP_GRACE, SWEEP_BATCH).await?;
    queue::push_all(&mut tx, &Deliver::batches(&lost)).await?;
    vw_store::commit(tx).await?;
    if !lost.is_empty() {
        tracing::warn!(
            deliveries = lost.len(),
            "re-queued deliveries whose job went missing"
        );
    }
    Ok(lost.len())
}

/// The fan-out clock, the delivery workers and the notice worker.
pub(crate) fn register(monitor: Monitor, context: &Context) -> Monitor {
    let (clock, workers, notices) = (
        context.deliveries.clone(),
        context.deliveries.clone(),
        context.deliveries.clone(),
    );
    let instance = context.instance.clone();
    let concurrency = context.deliveries.config.concurrency.max(1);
    monitor
        .register({
            let name = format!("fan-out-clock-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(CronScheduler::new(crate::every_second()))
                    .data(clock.clone())
                    .build(on_tick)
            }
        })
        .register({
            let name = format!("deliver-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(
                        queue::storage::<Deliver>(&workers.db, concurrency).poll_with_strategy(
                            Strategy::new()
                                .stream(Inserted::new(workers.db.clone(), Deliver::QUEUE))
                                .apply(Every::new(Duration::from_millis(500))),
                        ),
                    )
                    .concurrency(concurrency)
                    .catch_panic()
                    .data(workers.clone())
                    .build(run_attempt)
            }
        })
        .register({
            let name = format!("notice-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(
                        queue::storage::<Notice>(&notices.db, 4).poll_with_strategy(
                            Strategy::new()
                                .stream(Inserted::new(notices.db.clone(), Notice::QUEUE))
                                .apply(Every::new(Duration::from_secs(1))),
                        ),
                    )
                    .concurrency(4)
                    .catch_panic()
                    .enable_tracing()
                    .data(notices.clone())
                    .build(run_notice)
            }
        })
}

async fn on_tick(
    _tick: apalis_cron::Tick,
    context: Data<Arc<DeliveryContext>>,
) -> Result<(), BoxDynError> {
    fan_out(&context.db).await?;
    remind(&context.db, context.clock.now()).await?;
    sweep(&context.db, &context.clock).await?;
    Ok(())
}

async fn run_attempt(
    job: Deliver,
    context: Data<Arc<DeliveryContext>>,
    task: TaskId,
    attempt: apalis::prelude::Attempt,
) -> Result<(), BoxDynError> {
    let result = run(&context, &job).await.map_err(Into::into);
    crate::retry::settle::<Deliver>(&context.db, &task, &attempt, result).await
}

async fn run_notice(
    job: Notice,
    context: Data<Arc<DeliveryContext>>,
    task: TaskId,
    attempt: apalis::prelude::Attempt,
) -> Result<(), BoxDynError> {
    let result = notice(&context, &job).await.map_err(Into::into);
    crate::retry::settle::<Notice>(&context.db, &task, &attempt, result).await
}

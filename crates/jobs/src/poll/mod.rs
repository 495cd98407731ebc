//! Polling status pages: a clock in every worker process claims the providers that are due and
//! queues one `Poll` job each (in one transaction); poll jobs read the page — a 304 costs a
//! request and no parsing — and write what they found in one transaction.
//!
//! Which providers are due lives in the database (`poll_state`), never in a process: a worker
//! that dies mid-poll leaves a lease that expires, and the provider is claimed again.

mod hosts;
mod record;
mod schedule;
pub mod scheduler;
mod stats;

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use url::Url;
use vw_domain::{Platform, PollFailure};
use vw_sources::{FetchConfig, FetchError, Fetcher, Read, StatusPage};
use vw_store::PgPool;
use vw_store::polls::{self, Target};
use vw_store::queue;

use crate::every::Every;
use crate::{Clock, Context, JobsError};
use hosts::HostLimits;
pub use record::Written;
use stats::{Outcome, PollStats};
pub use vw_store::queue::Poll;

#[derive(Debug, Clone)]
pub struct PollConfig {
    /// How often a provider that an active monitor watches is polled.
    pub interval: Duration,
    /// How often the rest of the catalog is polled, to keep public pages fresh.
    pub idle_interval: Duration,
    /// Polls in flight at once in this process.
    pub concurrency: usize,
    /// Polls in flight at once per host and port, in this process.
    pub per_host: usize,
    /// How long a claimed poll may take; after that the provider is due again.
    pub lease: Duration,
    /// How long a page must fail before it is reported unreachable.
    pub unreachable_after: Duration,
    /// Providers claimed per tick of the clock (each tick is a second).
    pub claim_batch: i64,
    pub fetch: FetchConfig,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval: Duration::from_secs(5 * 60),
            idle_interval: Duration::from_secs(30 * 60),
            concurrency: 32,
            per_host: 4,
            lease: Duration::from_secs(5 * 60),
            unreachable_after: Duration::from_secs(30 * 60),
            claim_batch: 500,
            fetch: FetchConfig::default(),
        }
    }
}

/// What poll jobs share in one process.
pub struct PollContext {
    pub db: PgPool,
    pub config: PollConfig,
    pub clock: Clock,
    fetcher: Fetcher,
    hosts: HostLimits,
    stats: PollStats,
}

impl PollContext {
    pub fn new(db: PgPool, config: PollConfig, clock: Clock) -> Result<Arc<Self>, JobsError> {
        let fetcher = Fetcher::new(config.fetch.clone())
            .map_err(|e| JobsError::Pool(format!("HTTP client: {e}")))?;
        Ok(Arc::new(PollContext {
            hosts: HostLimits::new(config.per_host),
            stats: PollStats::default(),
            db,
            fetcher,
            config,
            clock,
        }))
    }
}

impl PollContext {
    /// The status pages' HTTP client, for detection too.
    pub(crate) fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }
}

/// The poll clock (claims due providers every second), the poll workers, and the figures
/// logged every minute.
pub(crate) fn register(monitor: Monitor, context: &Context) -> Monitor {
    let (clock, workers, figures) = (
        context.polls.clone(),
        context.polls.clone(),
        context.polls.clone(),
    );
    let instance = context.instance.clone();
    let concurrency = context.polls.config.concurrency.max(1);
    let timeout = context.polls.config.lease;
    monitor
        .register({
            let name = format!("poll-clock-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(CronScheduler::new(crate::every_second()))
                    .data(clock.clone())
                    .build(scheduler::on_tick)
            }
        })
        .register({
            let name = format!("poll-{instance}");
            move |_| {
                let storage = queue::storage::<Poll>(&workers.db, concurrency);
                WorkerBuilder::new(name.clone())
                    .backend(storage.poll_with_strategy(Every::new(Duration::from_millis(200))))
                    .concurrency(concurrency)
                    .timeout(timeout)
                    .catch_panic()
                    .data(workers.clone())
                    .build(run_poll)
            }
        })
        .register({
            let name = format!("poll-figures-{instance}");
            move |_| {
                WorkerBuilder::new(name.clone())
                    .backend(CronScheduler::new(crate::every_minute()))
                    .data(figures.clone())
                    .build(log_figures)
            }
        })
}

/// Logs the pipeline's figures since the previous tick.
async fn log_figures(_tick: apalis_cron::Tick, context: Data<Arc<PollContext>>) {
    context.stats.log_and_reset();
}

/// The job handler. One attempt (see `Poll`'s `RETRY`): a page that cannot be read is an
/// outcome the provider's schedule handles, and a database failure ends the poll; its lease
/// runs out and the provider is claimed again.
async fn run_poll(job: Poll, context: Data<Arc<PollContext>>) -> Result<(), BoxDynError> {
    if let Written::Events(n) = poll(&context, &job).await?
        && n > 0
    {
        // Alerts leave at once, not at the fan-out clock's next tick. A failure here is the
        // clock's to make up for; the poll itself is done.
        if let Err(error) = crate::deliver::fan_out(&context.db).await {
            tracing::warn!(%error, "fan-out after a poll failed; the fan-out clock retries");
        }
    }
    Ok(())
}

/// Polls one provider and records the outcome. A page that cannot be read is an outcome
/// (recorded, retried later by the schedule), not an error; errors are the database's.
#[tracing::instrument(skip_all, fields(provider = %job.provider_id))]
pub async fn poll(context: &PollContext, job: &Poll) -> Result<Written, JobsError> {
    let lag = (context.clock.now() - job.due_at)
        .to_std()
        .unwrap_or_default();
    let Some(target) = polls::target(&context.db, job.provider_id, job.lease_id).await? else {
        context.stats.record(None, Outcome::Superseded, lag);
        return Ok(Written::Superseded);
    };
    let url = target.status_url.url();
    let _slot = context.hosts.acquire(&authority(&url)).await;
    let interval = if target.watched {
        context.config.interval
    } else {
        context.config.idle_interval
    };
    let read = read(context, &target, &url).await?;
    let now = context.clock.now();
    let dice = rand::random::<f64>();
    let (written, outcome) = match read {
        Ok(Read::Unchanged) => {
            let next = schedule::after_success(job.due_at, now, interval, dice);
            let written =
                record::unchanged(&context.db, job.provider_id, job.lease_id, next, now).await?;
            (written, Outcome::Unchanged)
        }
        Ok(Read::Changed {
            snapshot,
            validators,
        }) => {
            let next = schedule::after_success(job.due_at, now, interval, dice);
            let validators = serde_json::to_value(&validators)?;
            let recorded = record::changed(
                &context.db,
                job.provider_id,
                job.lease_id,
                snapshot,
                &validators,
                next,
                now,
            )
            .await;
            match recorded {
                Ok(written) => {
                    let events = match written {
                        Written::Events(n) => n,
                        Written::Superseded => 0,
                    };
                    (written, Outcome::Changed { events })
                }
                // What the page said could not be stored (its transaction rolled back, nothing
                // of it written). A failure like any other: counted, backed off, shown on the
                // provider's page; never a lease left to run out in silence.
                Err(JobsError::Store(error)) => {
                    tracing::error!(slug = %target.slug, %error, "could not store what a poll read");
                    let failure = Failure {
                        kind: PollFailure::Database,
                        message: format!("what the page said could not be stored: {error}"),
                        retry_after: None,
                    };
                    failed(context, job, &target, interval, failure, now, dice).await?
                }
                Err(other) => return Err(other),
            }
        }
        Err(error) => {
            // A page that reads as another platform's keeps its known platform: an outage
            // (an HTML error page where JSON was) must not make us forget how to read it.
            // Re-detection is deliberate: `vendorwatch providers redetect`.
            tracing::info!(slug = %target.slug, kind = %error.kind(), %error, "poll failed");
            let failure = Failure {
                kind: error.kind(),
                message: error.to_string(),
                retry_after: retry_after(&error),
            };
            failed(context, job, &target, interval, failure, now, dice).await?
        }
    };
    let outcome = if written == Written::Superseded {
        Outcome::Superseded
    } else {
        outcome
    };
    context.stats.record(target.platform, outcome, lag);
    Ok(written)
}

/// Why a poll failed, as it is recorded.
struct Failure {
    kind: PollFailure,
    message: String,
    retry_after: Option<Duration>,
}

/// Records a failed poll and plans the next one, backing off.
async fn failed(
    context: &PollContext,
    job: &Poll,
    target: &Target,
    interval: Duration,
    failure: Failure,
    now: chrono::DateTime<chrono::Utc>,
    dice: f64,
) -> Result<(Written, Outcome), JobsError> {
    let failures = u32::try_from(target.failures)
        .unwrap_or(0)
        .saturating_add(1);
    let next = schedule::after_failure(now, interval, failures, failure.retry_after, dice);
    let written = record::failed(
        &context.db,
        job.provider_id,
        job.lease_id,
        next,
        failure.kind,
        &failure.message,
        chrono::Duration::from_std(context.config.unreachable_after)
            .unwrap_or(chrono::Duration::MAX),
        now,
    )
    .await?;
    Ok((written, Outcome::Failed { kind: failure.kind }))
}

/// Reads the page where detection found it, detecting it first if it never was. The outer
/// error is the database's; the inner one is the page's, an outcome of the poll.
async fn read(
    context: &PollContext,
    target: &Target,
    url: &Url,
) -> Result<Result<Read, FetchError>, JobsError> {
    let page = match stored_page(target) {
        Some(page) => page,
        None => match vw_sources::detect::from_url(&context.fetcher, url).await {
            Ok(page) => {
                polls::set_page(
                    &context.db,
                    target.provider_id,
                    page.platform,
                    &page.base_url,
                    page.feed_url.as_ref(),
                )
                .await?;
                tracing::info!(slug = %target.slug, platform = %page.platform, base = %page.base_url, "detected");
                page
            }
            Err(error) => return Ok(Err(error)),
        },
    };
    Ok(vw_sources::reader::read(&context.fetcher, &page, &target.validators).await)
}

/// The page as stored: known platform, and a base URL. The catalog may give the platform
/// alone; the page's own URL is then the base, except for platforms whose documents live
/// elsewhere (status.io's API host, Checkly's API path), which are detected.
fn stored_page(target: &Target) -> Option<StatusPage> {
    let platform = target.platform?;
    let base = match (&target.base_url, platform) {
        (Some(base), _) => base.clone(),
        (None, Platform::Statusio | Platform::Checkly) => return None,
        (None, _) => target.status_url.url(),
    };
    Some(StatusPage {
        platform,
        base_url: with_trailing_slash(base),
        feed_url: target.feed_url.clone(),
    })
}

/// Endpoint paths are joined onto the base, which must end in a slash to keep its path.
fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

fn authority(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

fn retry_after(error: &FetchError) -> Option<Duration> {
    match error {
        FetchError::Status { retry_after, .. } => *retry_after,
        _ => None,
    }
}

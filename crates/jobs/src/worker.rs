//! The worker pool: the dependencies built once, every job module's workers registered on one
//! apalis monitor, run until shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::Monitor;
use vw_store::PgPool;

use crate::deliver::{DeliveryConfig, DeliveryContext};
use crate::poll::{PollConfig, PollContext};
use crate::{Clock, JobsError, backlog, deliver, detect, housekeeping, poll};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// When housekeeping runs (seconds-resolution cron: "sec min hour dom mon dow").
    pub housekeeping_schedule: cron::Schedule,
    /// How long running jobs may take to finish after shutdown is asked for.
    pub shutdown_timeout: Duration,
    /// Tells this process's workers from other processes' in `apalis.workers`.
    pub instance: String,
    pub poll: PollConfig,
    pub deliveries: DeliveryConfig,
}

impl WorkerConfig {
    pub fn new(instance: impl Into<String>, deliveries: DeliveryConfig) -> Self {
        WorkerConfig {
            housekeeping_schedule: crate::every_hour(),
            shutdown_timeout: Duration::from_secs(30),
            instance: instance.into(),
            poll: PollConfig::default(),
            deliveries,
        }
    }
}

/// What every job module's workers draw on, built once per process.
pub struct Context {
    pub db: PgPool,
    pub config: WorkerConfig,
    pub clock: Clock,
    pub instance: String,
    pub polls: Arc<PollContext>,
    pub deliveries: Arc<DeliveryContext>,
}

impl Context {
    pub fn new(db: PgPool, config: WorkerConfig, clock: Clock) -> Result<Self, JobsError> {
        let polls = PollContext::new(db.clone(), config.poll.clone(), clock.clone())?;
        let deliveries =
            DeliveryContext::new(db.clone(), config.deliveries.clone(), clock.clone())?;
        Ok(Context {
            instance: config.instance.clone(),
            deliveries,
            db,
            config,
            clock,
            polls,
        })
    }
}

/// A worker whose queue could not be read (the database away or restarting, its pool
/// exhausted behind a lock) ends with an error, and apalis would leave it ended: its queue
/// unserved for good while the process looks alive. Started again, it waits for the database
/// at its pool's pace (each connection attempt bounded by the acquire timeout), and carries on
/// by itself once the database answers.
fn restart_unless_stopping(
    worker: &apalis::prelude::WorkerContext,
    error: &apalis::prelude::WorkerError,
) -> bool {
    if worker.is_shutting_down() {
        return false;
    }
    tracing::warn!(
        worker = worker.name(),
        restarts = worker.restarts(),
        %error,
        "a worker stopped on an error; starting it again"
    );
    true
}

/// Runs the workers until `shutdown` completes; then they take no new jobs and running ones
/// get `shutdown_timeout` to finish.
pub async fn run(
    pool: PgPool,
    config: WorkerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), JobsError> {
    let context = Context::new(pool, config, Clock::system())?;
    let now = context.clock.now();
    let moved = vw_store::polls::pull_in(
        &context.db,
        now,
        context.config.poll.interval,
        context.config.poll.idle_interval,
    )
    .await?;
    if moved > 0 {
        tracing::info!(
            providers = moved,
            "pulled in polls due later than the intervals now in force"
        );
    }
    let backlog = context.db.clone();
    tokio::spawn(async move {
        match housekeeping::render_unrendered(&backlog).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                updates = n,
                "rendered update bodies stored before rendering"
            ),
            Err(error) => tracing::warn!(%error, "rendering stored update bodies failed"),
        }
    });
    let monitor = Monitor::new()
        .shutdown_timeout(context.config.shutdown_timeout)
        .should_restart(restart_unless_stopping);
    // One line per job module: each registers its own workers and clocks.
    let monitor = housekeeping::register(monitor, &context);
    let monitor = poll::register(monitor, &context);
    let monitor = detect::register(monitor, &context);
    let monitor = deliver::register(monitor, &context);
    let monitor = backlog::register(monitor, &context);
    monitor
        .run_with_signal(async move {
            shutdown.await;
            Ok(())
        })
        .await
        .map_err(|e| JobsError::Pool(e.to_string()))
}

//! The worker pool: every queue's workers and every clock, run until shutdown.

use std::future::Future;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use vw_store::PgPool;

use crate::every::Every;
use crate::poll::{self, PollConfig, PollContext};
use crate::{JobsError, housekeeping};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// When housekeeping runs (seconds-resolution cron: "sec min hour dom mon dow").
    pub housekeeping_schedule: cron::Schedule,
    /// How long running jobs may take to finish after shutdown is asked for.
    pub shutdown_timeout: Duration,
    /// Tells this process's workers from other processes' in `apalis.workers`.
    pub instance: String,
    pub poll: PollConfig,
}

impl WorkerConfig {
    pub fn new(instance: impl Into<String>) -> Self {
        WorkerConfig {
            housekeeping_schedule: every("0 0 * * * *"),
            shutdown_timeout: Duration::from_secs(30),
            instance: instance.into(),
            poll: PollConfig::default(),
        }
    }
}

/// Parses one of the constant cron expressions below.
fn every(expression: &str) -> cron::Schedule {
    expression
        .parse()
        .unwrap_or_else(|e| unreachable!("constant cron expression {expression}: {e}"))
}

/// Runs the workers until `shutdown` completes; then they take no new jobs and running ones
/// get `shutdown_timeout` to finish.
pub async fn run(
    pool: PgPool,
    config: WorkerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), JobsError> {
    let polls = PollContext::new(pool.clone(), config.poll.clone())?;
    let instance = config.instance.clone();
    let housekeeping_schedule = config.housekeeping_schedule.clone();
    let concurrency = config.poll.concurrency.max(1);
    let poll_timeout = config.poll.lease;
    let clock_queue = housekeeping::queue(&pool);
    let db = pool.clone();
    let (poll_clock, poll_workers, figures) = (polls.clone(), polls.clone(), polls);
    let (i1, i2, i3, i4) = (
        instance.clone(),
        instance.clone(),
        instance.clone(),
        instance,
    );
    Monitor::new()
        .shutdown_timeout(config.shutdown_timeout)
        .register(move |_| {
            WorkerBuilder::new(format!("housekeeping-clock-{i1}"))
                .backend(CronScheduler::new(housekeeping_schedule.clone()))
                .data(clock_queue.clone())
                .build(housekeeping::on_tick)
        })
        .register(move |_| {
            WorkerBuilder::new(format!("housekeeping-{i2}"))
                .backend(
                    housekeeping::queue(&db).poll_with_strategy(Every::new(Duration::from_secs(1))),
                )
                .concurrency(1)
                .catch_panic()
                .enable_tracing()
                .data(db.clone())
                .build(housekeeping::purge)
        })
        .register(move |_| {
            WorkerBuilder::new(format!("poll-clock-{i3}"))
                .backend(CronScheduler::new(every("* * * * * *")))
                .data(poll_clock.clone())
                .build(poll::scheduler::on_tick)
        })
        .register(move |_| {
            let queue = poll::queue(&poll_workers.db).with_config(
                apalis_postgres::Config::default()
                    .queue(poll::QUEUE)
                    .batch_size(concurrency),
            );
            WorkerBuilder::new(format!("poll-{i4}"))
                .backend(queue.poll_with_strategy(Every::new(Duration::from_millis(200))))
                .concurrency(concurrency)
                .timeout(poll_timeout)
                .catch_panic()
                .data(poll_workers.clone())
                .build(poll::run_poll)
        })
        .register(move |_| {
            WorkerBuilder::new("poll-figures")
                .backend(CronScheduler::new(every("0 * * * * *")))
                .data(figures.clone())
                .build(poll::log_figures)
        })
        .run_with_signal(async move {
            shutdown.await;
            Ok(())
        })
        .await
        .map_err(|e| JobsError::Pool(e.to_string()))
}

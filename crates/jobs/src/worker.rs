//! The worker pool: every queue's workers and every clock, run until shutdown.

use std::future::Future;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use vw_store::PgPool;

use crate::{JobsError, housekeeping};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// When housekeeping runs (seconds-resolution cron: "sec min hour dom mon dow").
    pub housekeeping_schedule: cron::Schedule,
    /// How long running jobs may take to finish after shutdown is asked for.
    pub shutdown_timeout: Duration,
    /// Tells this process's workers from other processes' in `apalis.workers`.
    pub instance: String,
}

impl WorkerConfig {
    pub fn new(instance: impl Into<String>) -> Self {
        WorkerConfig {
            housekeeping_schedule: hourly(),
            shutdown_timeout: Duration::from_secs(30),
            instance: instance.into(),
        }
    }
}

fn hourly() -> cron::Schedule {
    // At second 0 of minute 0: a constant expression that always parses.
    "0 0 * * * *"
        .parse()
        .unwrap_or_else(|_| unreachable!("constant cron expression"))
}

/// Runs the workers until `shutdown` completes; then they take no new jobs and running ones
/// get `shutdown_timeout` to finish.
pub async fn run(
    pool: PgPool,
    config: WorkerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), JobsError> {
    let clock_queue = housekeeping::queue(&pool);
    let schedule = config.housekeeping_schedule.clone();
    let instance = config.instance.clone();
    let db = pool.clone();
    Monitor::new()
        .shutdown_timeout(config.shutdown_timeout)
        .register(move |_| {
            WorkerBuilder::new(format!("housekeeping-clock-{instance}"))
                .backend(CronScheduler::new(schedule.clone()))
                .data(clock_queue.clone())
                .build(housekeeping::on_tick)
        })
        .register({
            let instance = config.instance.clone();
            move |_| {
                WorkerBuilder::new(format!("housekeeping-{instance}"))
                    .backend(housekeeping::queue(&db).poll_with_interval(Duration::from_secs(1)))
                    .concurrency(1)
                    .catch_panic()
                    .enable_tracing()
                    .data(db.clone())
                    .build(housekeeping::purge)
            }
        })
        .run_with_signal(async move {
            shutdown.await;
            Ok(())
        })
        .await
        .map_err(|e| JobsError::Pool(e.to_string()))
}

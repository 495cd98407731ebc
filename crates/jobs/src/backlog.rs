//! The queues' backlog, read from apalis' jobs table every few seconds into the Prometheus
//! gauges (`crate::series`): how many jobs wait, and how long the oldest due one has waited.
//! Every worker process reads it, and all of them see the same table: aggregate the gauges
//! with `max`, not `sum`.

use apalis::prelude::*;
use apalis_cron::{CronScheduler, Tick};
use vw_store::PgPool;
use vw_store::queue::{self, QUEUES};

use crate::Context;

/// The sampling clock.
pub(crate) fn register(monitor: Monitor, context: &Context) -> Monitor {
    let db = context.db.clone();
    let name = format!("queue-backlog-{}", context.instance);
    monitor.register(move |_| {
        WorkerBuilder::new(name.clone())
            .backend(CronScheduler::new(crate::schedule("*/5 * * * * *")))
            .data(db.clone())
            .build(on_tick)
    })
}

async fn on_tick(_tick: Tick, db: Data<PgPool>) {
    match queue::backlog(&*db, &QUEUES).await {
        Ok(queues) => crate::series::backlog(&queues),
        // The figures stay as last read; the next tick tries again.
        Err(error) => tracing::warn!(%error, "reading the queues' backlog failed"),
    }
}

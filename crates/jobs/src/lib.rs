//! Background work on apalis with its queues in PostgreSQL: job handlers, the clocks that
//! schedule them, and the pool that runs them. Any number of worker processes may run side by
//! side; they share work through the database, never through memory. The queues themselves
//! (names, payloads, attempts, backoff) are `vw_store::queue`'s, so that the web can queue
//! work too.
//!
//! Depends on `vw-domain`, `vw-store`, `vw-app`, `vw-sources`, `vw-markup`, `vw-notify` and
//! `vw-outbound`.

mod backlog;
mod clock;
pub mod deliver;
pub mod detect;
mod error;
mod every;
pub mod housekeeping;
pub mod pipeline;
pub mod poll;
pub mod providers;
mod retry;
pub mod series;
mod wake;
mod worker;

pub use clock::Clock;
pub use error::JobsError;
pub use worker::{Context, WorkerConfig, run};

use apalis_postgres::PostgresStorage;
use vw_store::PgPool;

/// Creates or upgrades apalis' own schema (`apalis.jobs`, `apalis.workers`). Its migration
/// history is kept apart from ours, in `apalis._sqlx_migrations`.
pub async fn migrate(pool: &PgPool) -> Result<(), JobsError> {
    PostgresStorage::setup(pool).await?;
    Ok(())
}

fn every_second() -> cron::Schedule {
    schedule("* * * * * *")
}

fn every_minute() -> cron::Schedule {
    schedule("0 * * * * *")
}

fn every_hour() -> cron::Schedule {
    schedule("0 0 * * * *")
}

/// Parses one of the constant cron expressions above (seconds resolution).
fn schedule(expression: &str) -> cron::Schedule {
    expression
        .parse()
        .unwrap_or_else(|e| unreachable!("constant cron expression {expression}: {e}"))
}

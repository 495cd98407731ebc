//! Background work on apalis with its queues in PostgreSQL: job types, their handlers, and
//! the clocks that schedule them. Any number of worker processes may run side by side; they
//! share work through the database, never through memory.
//!
//! Depends on `vw-domain` and `vw-store` (and, as they arrive, `vw-sources` and `vw-notify`).

mod error;
mod every;
pub mod housekeeping;
pub mod poll;
pub mod providers;
mod worker;

pub use error::JobsError;
pub use worker::{WorkerConfig, run};

use apalis_postgres::PostgresStorage;
use vw_store::PgPool;

/// Creates or upgrades apalis' own schema (`apalis.jobs`, `apalis.workers`). Its migration
/// history is kept apart from ours, in `apalis._sqlx_migrations`.
pub async fn migrate(pool: &PgPool) -> Result<(), JobsError> {
    PostgresStorage::setup(pool).await?;
    Ok(())
}

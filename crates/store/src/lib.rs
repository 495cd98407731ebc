//! Every SQL statement vendorwatch runs, and the schema's migrations. Functions are named by
//! intent, take the workspace first where the data belongs to a tenant, and take
//! `impl PgExecutor` so that the caller decides between a pool and a transaction.
//!
//! Depends on `vw-domain` only.

mod error;

pub use error::StoreError;
pub use sqlx::{PgPool, Postgres, Transaction};

/// Applies vendorwatch's own migrations (the job queue's are applied by `vw-jobs`).
pub async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::migrate!("../../migrations").run(pool).await?;
    Ok(())
}

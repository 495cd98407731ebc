//! Every SQL statement vendorwatch runs, and the schema's migrations. Functions are named by
//! intent, take the workspace first where the data belongs to a tenant, and take
//! `impl PgExecutor` so that the caller decides between a pool and a transaction; they never
//! open transactions themselves.
//!
//! Depends on `vw-domain` (and on apalis' storage for the job queues, in `queue` only).

mod error;

pub mod admin;
pub mod api_tokens;
pub mod calendar;
pub mod catalog;
pub mod channels;
pub mod dashboard;
pub mod deliveries;
pub mod directory;
pub mod groups;
pub mod history;
pub mod idempotency;
pub mod invitations;
pub mod logged_mail;
pub mod login_failures;
pub mod memberships;
pub mod monitored;
pub mod monitors;
pub mod polls;
pub mod providers;
pub mod queue;
pub mod reminders;
pub mod same_page;
pub mod sessions;
pub mod signup_attempts;
pub mod throttle;
pub mod users;
pub mod workspaces;

pub use error::StoreError;
pub use sqlx::{PgPool, Postgres, Transaction};

use sqlx::migrate::Migrator;
use vw_domain::Role;

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// Applies vendorwatch's own migrations (the job queue's are applied by `vw-jobs`).
pub async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// Whether the database answers and every migration this binary knows has been applied.
pub async fn is_ready(pool: &PgPool) -> Result<bool, StoreError> {
    // Unchecked at build time: sqlx creates this table at the first migration, so the
    // scratch database the query macros are checked against does not have it.
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?;
    Ok(MIGRATOR
        .iter()
        .all(|m| applied.binary_search(&m.version).is_ok()))
}

fn parse_role(stored: &str) -> Result<Role, StoreError> {
    Role::parse(stored).map_err(|_| StoreError::Invalid(format!("role {stored:?}")))
}

/// Opens a transaction; use cases (never store functions) decide where one begins and ends.
pub async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
    Ok(pool.begin().await?)
}

pub async fn commit(tx: Transaction<'_, Postgres>) -> Result<(), StoreError> {
    Ok(tx.commit().await?)
}

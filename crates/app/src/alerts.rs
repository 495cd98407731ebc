//! The workspace-wide switch that pauses every alert (an incident drill, a noisy day): while
//! it is on, alerts are held, not sent; turning it off discards what was held, since news
//! from the pause is stale by then.

use chrono::{DateTime, Utc};
use vw_domain::WorkspaceId;
use vw_store::PgPool;

use crate::AppError;

/// Whether the workspace's alerts are paused, since when, and how many are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub since: Option<DateTime<Utc>>,
    pub held: i64,
}

pub async fn pause_state(db: &PgPool, workspace: WorkspaceId) -> Result<Pause, AppError> {
    Ok(Pause {
        since: vw_store::workspaces::alerts_paused_at(db, workspace).await?,
        held: vw_store::deliveries::count_held(db, workspace).await?,
    })
}

/// Holds every alert from now on, until `resume`.
pub async fn pause(db: &PgPool, workspace: WorkspaceId) -> Result<(), AppError> {
    if vw_store::workspaces::set_alerts_paused(db, workspace, true).await? {
        tracing::info!(%workspace, "alerts paused");
    }
    Ok(())
}

/// Sends alerts again, and discards the ones held meanwhile; returns how many were.
pub async fn resume(db: &PgPool, workspace: WorkspaceId) -> Result<u64, AppError> {
    let mut tx = vw_store::begin(db).await?;
    vw_store::workspaces::lock(&mut *tx, workspace).await?;
    let resumed = vw_store::workspaces::set_alerts_paused(&mut *tx, workspace, false).await?;
    let discarded = vw_store::deliveries::discard_held(&mut *tx, workspace).await?;
    vw_store::commit(tx).await?;
    if resumed {
        tracing::info!(%workspace, discarded, "alerts resumed; held ones discarded");
    }
    Ok(discarded)
}

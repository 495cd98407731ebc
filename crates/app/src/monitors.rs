//! Watching a provider from a workspace.

use chrono::Utc;
use vw_domain::{MonitorId, ProviderId, WorkspaceId};
use vw_store::PgPool;

use crate::AppError;

/// Starts watching `provider` from `workspace`, and makes the provider due at once so that
/// the monitor has something to show within seconds rather than at the end of the provider's
/// idle interval. `Duplicate` when the workspace already watches it.
pub async fn add(
    db: &PgPool,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<MonitorId, AppError> {
    let mut tx = vw_store::begin(db).await?;
    let monitor = vw_store::monitors::insert(&mut *tx, workspace, provider).await?;
    vw_store::polls::due_now(&mut *tx, provider, Utc::now()).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%workspace, %provider, %monitor, "monitor added");
    Ok(monitor)
}

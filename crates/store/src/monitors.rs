//! Monitors: a workspace watching a provider. Every function is scoped by the workspace.

use sqlx::PgExecutor;
use vw_domain::{MonitorId, ProviderId, WorkspaceId};

use crate::StoreError;

/// Fails with `Duplicate("monitors_workspace_id_provider_id_key")` when the workspace
/// already watches the provider.
pub async fn insert(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<MonitorId, StoreError> {
    let id = MonitorId::new();
    sqlx::query!(
        "INSERT INTO monitors (id, workspace_id, provider_id) VALUES ($1, $2, $3)",
        id.0,
        workspace.0,
        provider.0
    )
    .execute(db)
    .await?;
    Ok(id)
}

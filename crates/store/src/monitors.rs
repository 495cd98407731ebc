//! Monitors: a workspace watching a provider. Every function is scoped by the workspace.
//!
//! A monitor keeps the provider it was created on; when that one is the same page as another
//! (`same_as`), the monitor shows the other's state: [`watched_provider`] says whose.

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

/// The provider whose state the monitor shows: the one it watches or, when that one is the
/// same page as another that came first, that one (which is the one polled). `NotFound` for
/// a monitor of another workspace.
pub async fn watched_provider(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    monitor: MonitorId,
) -> Result<ProviderId, StoreError> {
    let id = sqlx::query_scalar!(
        r#"SELECT coalesce(p.same_as, p.id) AS "id!"
           FROM monitors m JOIN providers p ON p.id = m.provider_id
           WHERE m.workspace_id = $1 AND m.id = $2"#,
        workspace.0,
        monitor.0
    )
    .fetch_one(db)
    .await?;
    Ok(ProviderId(id))
}

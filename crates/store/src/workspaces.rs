//! Workspaces: the tenants. Each carries its plan.

use sqlx::PgExecutor;
use vw_domain::{Role, UserId, WorkspaceId, WorkspaceName};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub plan_name: String,
    pub monitor_limit: i32,
}

/// A workspace as one of its members sees it in a list.
#[derive(Debug, Clone)]
pub struct Membership {
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub role: Role,
}

/// New workspaces start on the free plan.
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: WorkspaceId,
    name: &WorkspaceName,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO workspaces (id, name, plan_id) VALUES ($1, $2, 'free')",
        id.0,
        name.as_str(),
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get(db: impl PgExecutor<'_>, workspace: WorkspaceId) -> Result<Workspace, StoreError> {
    let row = sqlx::query!(
        "SELECT w.id, w.name, p.name AS plan_name, p.monitor_limit
         FROM workspaces w JOIN plans p ON p.id = w.plan_id
         WHERE w.id = $1",
        workspace.0
    )
    .fetch_one(db)
    .await?;
    Ok(Workspace {
        id: WorkspaceId(row.id),
        name: row.name,
        plan_name: row.plan_name,
        monitor_limit: row.monitor_limit,
    })
}

pub async fn rename(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    name: &WorkspaceName,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE workspaces SET name = $2 WHERE id = $1",
        workspace.0,
        name.as_str()
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Takes the workspace's row lock for the rest of the transaction, so that changes to its
/// owners are made one at a time (two owners demoting each other at once must not leave none).
pub async fn lock(db: impl PgExecutor<'_>, workspace: WorkspaceId) -> Result<(), StoreError> {
    sqlx::query!(
        "SELECT id FROM workspaces WHERE id = $1 FOR UPDATE",
        workspace.0
    )
    .fetch_one(db)
    .await?;
    Ok(())
}

/// The workspaces a user belongs to, by name.
pub async fn list_for_user(
    db: impl PgExecutor<'_>,
    user: UserId,
) -> Result<Vec<Membership>, StoreError> {
    let rows = sqlx::query!(
        "SELECT w.id, w.name, m.role
         FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
         WHERE m.user_id = $1
         ORDER BY lower(w.name), w.id",
        user.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Membership {
                workspace_id: WorkspaceId(r.id),
                name: r.name,
                role: crate::parse_role(&r.role)?,
            })
        })
        .collect()
}

/// Moves the workspace to `plan` (a `plans` id); `NotFound` when either is unknown.
pub async fn set_plan(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    plan: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE workspaces SET plan_id = p.id FROM plans p WHERE workspaces.id = $1 AND p.id = $2",
        workspace.0,
        plan
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The workspaces an address owns, oldest first.
pub async fn owned_by(
    db: impl PgExecutor<'_>,
    email: &vw_domain::EmailAddress,
) -> Result<Vec<WorkspaceId>, StoreError> {
    let ids = sqlx::query_scalar!(
        "SELECT m.workspace_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = $1 AND m.role = 'owner' ORDER BY m.created_at",
        email.as_str()
    )
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().map(WorkspaceId).collect())
}

/// The plans' ids, smallest first.
pub async fn plan_ids(db: impl PgExecutor<'_>) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM plans ORDER BY position")
            .fetch_all(db)
            .await?,
    )
}

/// Since when the workspace's alerts are paused (held, not sent), if they are.
pub async fn alerts_paused_at(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT alerts_paused_at FROM workspaces WHERE id = $1",
        workspace.0
    )
    .fetch_one(db)
    .await?)
}

/// Pauses (`true`) or resumes the workspace's alerts; returns whether that changed anything.
pub async fn set_alerts_paused(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    paused: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE workspaces SET alerts_paused_at = CASE WHEN $2 THEN now() END
         WHERE id = $1 AND (alerts_paused_at IS NULL) = $2",
        workspace.0,
        paused
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

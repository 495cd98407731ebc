//! Who belongs to which workspace, and as what. Every function is scoped by the workspace.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{Role, UserId, WorkspaceId};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

/// Adds the user; if they are already a member their role is kept as it was. Returns whether
/// a membership was created.
pub async fn insert(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, user_id) DO NOTHING",
        workspace.0,
        user.0,
        role.as_str(),
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn role(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<Option<Role>, StoreError> {
    let row = sqlx::query_scalar!(
        "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
        workspace.0,
        user.0
    )
    .fetch_optional(db)
    .await?;
    row.as_deref().map(crate::parse_role).transpose()
}

/// Owners first, then by email.
pub async fn list(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Member>, StoreError> {
    let rows = sqlx::query!(
        "SELECT m.user_id, u.email, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = $1
         ORDER BY m.role = 'owner' DESC, u.email",
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Member {
                user_id: UserId(r.user_id),
                email: r.email,
                role: crate::parse_role(&r.role)?,
                joined_at: r.created_at,
            })
        })
        .collect()
}

pub async fn count_owners(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<i64, StoreError> {
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM memberships WHERE workspace_id = $1 AND role = 'owner'"#,
        workspace.0
    )
    .fetch_one(db)
    .await?;
    Ok(count)
}

/// `NotFound` when the user is not a member of this workspace.
pub async fn set_role(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2",
        workspace.0,
        user.0,
        role.as_str(),
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// `NotFound` when the user is not a member of this workspace.
pub async fn delete(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2",
        workspace.0,
        user.0
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

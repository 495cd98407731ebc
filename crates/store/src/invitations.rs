//! Invitations to join a workspace, found by the SHA-256 of the link's token.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{EmailAddress, InvitationId, Role, UserId, WorkspaceId};

use crate::StoreError;

/// An invitation that can still be accepted: not accepted, not expired.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: InvitationId,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub struct NewInvitation<'a> {
    pub id: InvitationId,
    pub workspace: WorkspaceId,
    pub email: &'a EmailAddress,
    pub role: Role,
    pub token_hash: &'a [u8],
    pub invited_by: UserId,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(db: impl PgExecutor<'_>, new: NewInvitation<'_>) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        new.id.0,
        new.workspace.0,
        new.email.as_str(),
        new.role.as_str(),
        new.token_hash,
        new.invited_by.0,
        new.expires_at,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_pending(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<Pending>, StoreError> {
    let row = sqlx::query_as!(
        PendingRow,
        "SELECT i.id, i.workspace_id, w.name AS workspace_name, i.email, i.role,
                u.email AS \"invited_by?\", i.expires_at
         FROM invitations i
         JOIN workspaces w ON w.id = i.workspace_id
         LEFT JOIN users u ON u.id = i.invited_by
         WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()",
        token_hash
    )
    .fetch_optional(db)
    .await?;
    row.map(Pending::try_from).transpose()
}

/// The workspace's invitations that can still be accepted, newest first.
pub async fn list_pending(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Pending>, StoreError> {
    let rows = sqlx::query_as!(
        PendingRow,
        "SELECT i.id, i.workspace_id, w.name AS workspace_name, i.email, i.role,
                u.email AS \"invited_by?\", i.expires_at
         FROM invitations i
         JOIN workspaces w ON w.id = i.workspace_id
         LEFT JOIN users u ON u.id = i.invited_by
         WHERE i.workspace_id = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
         ORDER BY i.created_at DESC",
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Pending::try_from).collect()
}

struct PendingRow {
    id: uuid::Uuid,
    workspace_id: uuid::Uuid,
    workspace_name: String,
    email: String,
    role: String,
    invited_by: Option<String>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<PendingRow> for Pending {
    type Error = StoreError;

    fn try_from(row: PendingRow) -> Result<Self, StoreError> {
        Ok(Pending {
            id: InvitationId(row.id),
            workspace_id: WorkspaceId(row.workspace_id),
            workspace_name: row.workspace_name,
            email: row.email,
            role: crate::parse_role(&row.role)?,
            invited_by: row.invited_by,
            expires_at: row.expires_at,
        })
    }
}

/// Marks the invitation used; `NotFound` if it was accepted, revoked or expired meanwhile, so
/// that one link admits one person.
pub async fn accept(
    db: impl PgExecutor<'_>,
    id: InvitationId,
    user: UserId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE invitations SET accepted_at = now(), accepted_by = $2
         WHERE id = $1 AND accepted_at IS NULL AND expires_at > now()",
        id.0,
        user.0
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// `NotFound` unless a pending invitation with this id belongs to this workspace.
pub async fn revoke(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: InvitationId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "DELETE FROM invitations WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL",
        workspace.0,
        id.0
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Deletes invitations that expired unused; accepted ones stay as the record of who let whom
/// in. Returns how many were deleted.
pub async fn purge_expired(db: impl PgExecutor<'_>) -> Result<u64, StoreError> {
    let done =
        sqlx::query!("DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at <= now()")
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}

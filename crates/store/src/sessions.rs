//! Signed-in sessions, found by the SHA-256 of the cookie's token.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{UserId, WorkspaceId};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub email: String,
    pub workspace_id: Option<WorkspaceId>,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// The user's IANA time zone; `None` until the browser or the user has said.
    pub time_zone: Option<String>,
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user: UserId,
    workspace: Option<WorkspaceId>,
    csrf_token: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, workspace_id, csrf_token, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        token_hash,
        user.0,
        workspace.map(|w| w.0),
        csrf_token,
        expires_at,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The session if it exists and has not expired.
pub async fn find_active(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<Session>, StoreError> {
    let row = sqlx::query!(
        "SELECT s.user_id, u.email, s.workspace_id, s.csrf_token, s.expires_at, u.time_zone
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > now()",
        token_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Session {
        user_id: UserId(r.user_id),
        email: r.email,
        workspace_id: r.workspace_id.map(WorkspaceId),
        csrf_token: r.csrf_token,
        expires_at: r.expires_at,
        time_zone: r.time_zone,
    }))
}

pub async fn set_workspace(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    workspace: Option<WorkspaceId>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE sessions SET workspace_id = $2 WHERE token_hash = $1",
        token_hash,
        workspace.map(|w| w.0)
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<(), StoreError> {
    sqlx::query!("DELETE FROM sessions WHERE token_hash = $1", token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes expired sessions; returns how many.
pub async fn purge_expired(db: impl PgExecutor<'_>) -> Result<u64, StoreError> {
    let done = sqlx::query!("DELETE FROM sessions WHERE expires_at <= now()")
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

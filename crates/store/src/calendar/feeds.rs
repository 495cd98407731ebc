//! Workspaces' iCalendar feeds: at most one each, found by the SHA-256 of the token in its
//! URL. The token itself is kept only sealed with the server's key (the store never sees it
//! in the clear), for the settings page to show the URL again.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::WorkspaceId;

use crate::StoreError;

/// A feed found by its token.
#[derive(Debug, Clone)]
pub struct Found {
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// What it last served, and since when.
    pub fingerprint: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// The feed whose token hashes to `token_hash`; `None` for a rotated or revoked one.
#[tracing::instrument(skip_all)]
pub async fn find(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<Option<Found>, StoreError> {
    let row = sqlx::query!(
        "SELECT f.workspace_id, w.name, f.fingerprint, f.changed_at
         FROM calendar_feeds f JOIN workspaces w ON w.id = f.workspace_id
         WHERE f.token_hash = $1",
        token_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Found {
        workspace_id: WorkspaceId(r.workspace_id),
        workspace_name: r.name,
        fingerprint: r.fingerprint,
        changed_at: r.changed_at,
    }))
}

/// The workspace's sealed token, if it has a feed.
pub async fn sealed_token(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT token_sealed FROM calendar_feeds WHERE workspace_id = $1",
        workspace.0
    )
    .fetch_optional(db)
    .await?)
}

/// Gives the workspace a feed under a new token, replacing the one it had (whose URL then
/// finds nothing).
#[tracing::instrument(skip(db, token_hash, token_sealed))]
pub async fn replace(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    token_hash: &[u8],
    token_sealed: &[u8],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO calendar_feeds (workspace_id, token_hash, token_sealed, created_at,
                                     changed_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (workspace_id) DO UPDATE SET
             token_hash = EXCLUDED.token_hash, token_sealed = EXCLUDED.token_sealed,
             created_at = EXCLUDED.created_at, fingerprint = NULL,
             changed_at = EXCLUDED.changed_at",
        workspace.0,
        token_hash,
        token_sealed,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the workspace's feed; returns whether it had one.
#[tracing::instrument(skip(db))]
pub async fn delete(db: impl PgExecutor<'_>, workspace: WorkspaceId) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "DELETE FROM calendar_feeds WHERE workspace_id = $1",
        workspace.0
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that the feed now shows `fingerprint`, changed at `now`, unless that is what it
/// already showed; returns since when it has shown it (its Last-Modified).
pub async fn record_fingerprint(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"WITH changed AS (
               UPDATE calendar_feeds SET fingerprint = $2, changed_at = $3
               WHERE workspace_id = $1 AND fingerprint IS DISTINCT FROM $2
               RETURNING changed_at
           )
           SELECT coalesce((SELECT changed_at FROM changed),
                           (SELECT changed_at FROM calendar_feeds WHERE workspace_id = $1),
                           $3) AS "changed_at!""#,
        workspace.0,
        fingerprint,
        now
    )
    .fetch_one(db)
    .await?)
}

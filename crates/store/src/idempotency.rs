//! The first answers of API creates sent with an `Idempotency-Key`, per workspace, so that a
//! retried request is answered with the first one's result instead of being done twice.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::WorkspaceId;

use crate::StoreError;

/// What a key already holds.
#[derive(Debug, Clone)]
pub enum Held {
    /// The key is new: it is now taken by this request, which must `finish` or `release` it.
    Taken,
    /// The key was sent with another request.
    OtherRequest,
    /// The first request with the key is still being answered.
    InProgress,
    /// The first request's answer.
    Answered {
        status: u16,
        location: Option<String>,
        /// Sealed with the server's key.
        body_sealed: Vec<u8>,
    },
}

/// Takes `key` for a request (identified by `request_hash`), or says what holds it. A key
/// taken before `abandoned_before` and never answered (its server died) is taken again.
#[tracing::instrument(skip(db, request_hash))]
pub async fn take(
    db: impl PgExecutor<'_> + Copy,
    workspace: WorkspaceId,
    key: &str,
    request_hash: &[u8],
    now: DateTime<Utc>,
    abandoned_before: DateTime<Utc>,
) -> Result<Held, StoreError> {
    let inserted = sqlx::query!(
        "INSERT INTO api_idempotency AS held (workspace_id, key, request_hash, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, key) DO UPDATE SET created_at = EXCLUDED.created_at
         WHERE held.status IS NULL AND held.created_at < $5
           AND held.request_hash = EXCLUDED.request_hash",
        workspace.0,
        key,
        request_hash,
        now,
        abandoned_before
    )
    .execute(db)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Held::Taken);
    }
    let row = sqlx::query!(
        "SELECT request_hash, status, location, body_sealed FROM api_idempotency
         WHERE workspace_id = $1 AND key = $2",
        workspace.0,
        key
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        // Released between the two statements: the caller may try again.
        None => Held::InProgress,
        Some(r) if r.request_hash != request_hash => Held::OtherRequest,
        Some(r) => match (r.status, r.body_sealed) {
            (Some(status), Some(body_sealed)) => Held::Answered {
                status: u16::try_from(status)
                    .map_err(|_| StoreError::Invalid(format!("stored status {status}")))?,
                location: r.location,
                body_sealed,
            },
            _ => Held::InProgress,
        },
    })
}

/// Keeps the answer of the request that took `key` (its body sealed by the caller).
pub async fn finish(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    key: &str,
    status: u16,
    location: Option<&str>,
    body_sealed: &[u8],
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE api_idempotency SET status = $3, location = $4, body_sealed = $5
         WHERE workspace_id = $1 AND key = $2",
        workspace.0,
        key,
        i16::try_from(status).unwrap_or(i16::MAX),
        location,
        body_sealed
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Frees `key` after its request failed on our side, so that a retry is done afresh.
pub async fn release(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    key: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM api_idempotency WHERE workspace_id = $1 AND key = $2 AND status IS NULL",
        workspace.0,
        key
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets keys older than `before`; returns how many.
pub async fn purge(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = sqlx::query!("DELETE FROM api_idempotency WHERE created_at < $1", before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

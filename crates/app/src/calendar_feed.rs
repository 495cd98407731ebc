//! A workspace's iCalendar feed: its secret URL (made, rotated and revoked by admins), and
//! what a calendar app polling it is answered: whether anything changed since its last
//! poll, without reading the feed, and the feed's maintenances when it did.
//!
//! The token is 256 random bits. The store finds a feed by its SHA-256 and keeps the token
//! only sealed with the server's key; the token is never logged.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use vw_domain::WorkspaceId;
use vw_store::PgPool;
use vw_store::calendar::{self, Entry, Window, feeds};

use crate::AppError;
use crate::calendar::{RECENT_DAYS, far_future};
use crate::secrets::Secrets;

/// How long a cancelled maintenance stays in the feed after its window: long enough for
/// every client to have seen it cancelled.
pub const CANCELLED_KEPT_DAYS: i64 = 30;

/// The most maintenances a feed holds.
const FEED_LIMIT: i64 = 5_000;

/// What the feed covers at `now`: 90 days back and everything ahead, cancelled ones until
/// 30 days after their window.
pub fn window(now: DateTime<Utc>) -> Window {
    Window {
        ends_after: now - TimeDelta::days(RECENT_DAYS),
        starts_before: far_future(),
        cancelled_ending_after: Some(now - TimeDelta::days(CANCELLED_KEPT_DAYS)),
    }
}

/// Gives the workspace a feed under a new token (the old URL stops working at once);
/// returns the token.
pub async fn rotate(
    db: &PgPool,
    secrets: &Secrets,
    workspace: WorkspaceId,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let sealed = secrets.seal(token.as_bytes())?;
    feeds::replace(db, workspace, &hash(&token), &sealed, now).await?;
    tracing::info!(%workspace, "calendar feed token issued");
    Ok(token)
}

/// Removes the workspace's feed: its URL answers 404 from now on.
pub async fn revoke(db: &PgPool, workspace: WorkspaceId) -> Result<bool, AppError> {
    let had = feeds::delete(db, workspace).await?;
    tracing::info!(%workspace, had, "calendar feed revoked");
    Ok(had)
}

/// The workspace's current token, if it has a feed.
pub async fn token(
    db: &PgPool,
    secrets: &Secrets,
    workspace: WorkspaceId,
) -> Result<Option<String>, AppError> {
    let Some(sealed) = feeds::sealed_token(db, workspace).await? else {
        return Ok(None);
    };
    let plain = secrets.open(&sealed)?;
    String::from_utf8(plain)
        .map(Some)
        .map_err(|_| AppError::Invalid("a stored feed token is not text".into()))
}

/// A feed as a poll of it finds it.
#[derive(Debug, Clone)]
pub struct FeedState {
    pub workspace: WorkspaceId,
    pub workspace_name: String,
    /// Changes whenever anything the feed shows does (the entity tag).
    pub fingerprint: String,
    /// Since when it has shown what it shows.
    pub changed_at: DateTime<Utc>,
}

/// The feed at `token`, or `None` for one that is not (or no longer) a feed's. Reads only a
/// digest of the feed, not the feed.
pub async fn state(
    db: &PgPool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<FeedState>, AppError> {
    // Not ours: answered without a query.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let Some(found) = feeds::find(db, &hash(token)).await? else {
        return Ok(None);
    };
    let fingerprint = calendar::fingerprint(db, found.workspace_id, window(now)).await?;
    let changed_at = if found.fingerprint.as_deref() == Some(fingerprint.as_str()) {
        found.changed_at
    } else {
        feeds::record_fingerprint(db, found.workspace_id, &fingerprint, now).await?
    };
    Ok(Some(FeedState {
        workspace: found.workspace_id,
        workspace_name: found.workspace_name,
        fingerprint,
        changed_at,
    }))
}

/// The maintenances the feed shows at `now`, by start.
pub async fn entries(
    db: &PgPool,
    workspace: WorkspaceId,
    now: DateTime<Utc>,
) -> Result<Vec<Entry>, AppError> {
    Ok(calendar::entries(db, workspace, window(now), FEED_LIMIT).await?)
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

//! Workspaces' tokens for the JSON API: made by admins (in the settings, or by an operator's
//! `vendorwatch admin create-token`), shown once, stored as their SHA-256, listed by name and
//! prefix, revoked at once. A token is read-only or read-write.
//!
//! A token is `vwk_` and 256 random bits in base64url: guessing one is hopeless, so a fast
//! hash is enough to keep the stored form useless to whoever reads the database.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use vw_domain::{ApiTokenId, UserId, WorkspaceId};
use vw_store::PgPool;
use vw_store::api_tokens::{self, NewToken, Presented};

pub use vw_store::api_tokens::{Scope, Token};

use crate::AppError;

/// What every token starts with, so that secret scanners and people can recognise one.
pub const TOKEN_PREFIX: &str = "vwk_";

/// How many characters of a token its lists show.
const SHOWN_CHARS: usize = 12;

/// How often a token's "last used" is written at most.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// The longest name a token may have.
const NAME_MAX_CHARS: usize = 100;

/// A token just made: `secret` is shown this once, never again.
#[derive(Debug)]
pub struct Created {
    pub id: ApiTokenId,
    pub secret: String,
}

/// Makes a token for `workspace`, named `name`.
pub async fn create(
    db: &PgPool,
    workspace: WorkspaceId,
    name: &str,
    scope: Scope,
    created_by: Option<UserId>,
) -> Result<Created, AppError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > NAME_MAX_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(AppError::Invalid(format!(
            "A token's name is 1 to {NAME_MAX_CHARS} characters, without control characters."
        )));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
    let secret = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let id = api_tokens::insert(
        db,
        NewToken {
            workspace,
            name,
            prefix: &secret[..SHOWN_CHARS],
            token_hash: &hash(&secret),
            scope,
            created_by,
            now: Utc::now(),
        },
    )
    .await?;
    tracing::info!(%workspace, token = %id, scope = scope.as_str(), "API token created");
    Ok(Created { id, secret })
}

pub async fn list(db: &PgPool, workspace: WorkspaceId) -> Result<Vec<Token>, AppError> {
    Ok(api_tokens::list(db, workspace).await?)
}

/// Revokes the token: it is refused from the next request on.
pub async fn revoke(
    db: &PgPool,
    workspace: WorkspaceId,
    token: ApiTokenId,
) -> Result<(), AppError> {
    if !api_tokens::revoke(db, workspace, token, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(%workspace, %token, "API token revoked");
    Ok(())
}

/// Who a presented token speaks for.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub token: ApiTokenId,
    pub workspace: WorkspaceId,
    pub scope: Scope,
}

/// Why a presented token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not a token of ours (or not a token at all).
    Unknown,
    Revoked,
}

/// The caller that `presented` speaks for, recording its use (at most once a minute).
pub async fn authenticate(
    db: &PgPool,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<Result<Caller, Refused>, AppError> {
    if !presented.starts_with(TOKEN_PREFIX) {
        return Ok(Err(Refused::Unknown));
    }
    let Some(found) = api_tokens::find(db, &hash(presented)).await? else {
        return Ok(Err(Refused::Unknown));
    };
    let Presented {
        id,
        workspace_id,
        scope,
        revoked,
        last_used_at,
    } = found;
    if revoked {
        return Ok(Err(Refused::Revoked));
    }
    if last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
        api_tokens::touch(db, id, now).await?;
    }
    Ok(Ok(Caller {
        token: id,
        workspace: workspace_id,
        scope,
    }))
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

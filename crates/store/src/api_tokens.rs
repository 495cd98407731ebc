//! Workspaces' API tokens, found by the SHA-256 of the token; the token itself is never
//! stored.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{ApiTokenId, UserId, WorkspaceId};

use crate::StoreError;

/// What a token may do: read, or read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }

    fn parse(stored: &str) -> Result<Self, StoreError> {
        match stored {
            "read" => Ok(Scope::Read),
            "write" => Ok(Scope::Write),
            other => Err(StoreError::Invalid(format!("token scope {other:?}"))),
        }
    }
}

/// A token as its workspace's settings list it.
#[derive(Debug, Clone)]
pub struct Token {
    pub id: ApiTokenId,
    pub name: String,
    pub prefix: String,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token presented with a request, as found by its hash.
#[derive(Debug, Clone)]
pub struct Presented {
    pub id: ApiTokenId,
    pub workspace_id: WorkspaceId,
    pub scope: Scope,
    pub revoked: bool,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub struct NewToken<'a> {
    pub workspace: WorkspaceId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub token_hash: &'a [u8],
    pub scope: Scope,
    pub created_by: Option<UserId>,
    pub now: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(workspace = %token.workspace))]
pub async fn insert(
    db: impl PgExecutor<'_>,
    token: NewToken<'_>,
) -> Result<ApiTokenId, StoreError> {
    let id = ApiTokenId::new();
    sqlx::query!(
        "INSERT INTO api_tokens (id, workspace_id, name, prefix, token_hash, scope, created_by,
                                 created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id.0,
        token.workspace.0,
        token.name,
        token.prefix,
        token.token_hash,
        token.scope.as_str(),
        token.created_by.map(|u| u.0),
        token.now
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// The workspace's tokens that are not revoked, newest first.
pub async fn list(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Token>, StoreError> {
    let rows = sqlx::query!(
        "SELECT t.id, t.name, t.prefix, t.scope, t.created_at, t.last_used_at, u.email AS \"created_by?\"
         FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
         WHERE t.workspace_id = $1 AND t.revoked_at IS NULL
         ORDER BY t.created_at DESC, t.id DESC",
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Token {
                id: ApiTokenId(r.id),
                name: r.name,
                prefix: r.prefix,
                scope: Scope::parse(&r.scope)?,
                created_at: r.created_at,
                created_by: r.created_by,
                last_used_at: r.last_used_at,
            })
        })
        .collect()
}

/// The token whose hash is `token_hash`, revoked or not.
#[tracing::instrument(skip_all)]
pub async fn find(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<Presented>, StoreError> {
    let row = sqlx::query!(
        "SELECT id, workspace_id, scope, revoked_at IS NOT NULL AS \"revoked!\", last_used_at
         FROM api_tokens WHERE token_hash = $1",
        token_hash
    )
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(Presented {
            id: ApiTokenId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            scope: Scope::parse(&r.scope)?,
            revoked: r.revoked,
            last_used_at: r.last_used_at,
        })
    })
    .transpose()
}

/// Records a use of the token; callers do so at most once a minute per token, so that
/// reading the API is not a write per request.
pub async fn touch(
    db: impl PgExecutor<'_>,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        id.0,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Revokes one of the workspace's tokens; `false` when it has no such token in use.
#[tracing::instrument(skip(db))]
pub async fn revoke(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = $3
         WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL",
        id.0,
        workspace.0,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

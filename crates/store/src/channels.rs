//! A notification group's channels: e-mail recipients (confirmed by a link) and integrations
//! (their URL and secret stored encrypted; pages show `masked`). Scoped by the workspace,
//! except what jobs and the unsubscribe link read by a channel's id alone.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{ChannelId, GroupId, WorkspaceId};

use crate::StoreError;

/// A channel's kind, as the schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    Slack,
    Discord,
    Teams,
    Webhook,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Slack => "slack",
            Kind::Discord => "discord",
            Kind::Teams => "teams",
            Kind::Webhook => "webhook",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        [
            Kind::Email,
            Kind::Slack,
            Kind::Discord,
            Kind::Teams,
            Kind::Webhook,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
    }
}

/// A channel as pages show it: never its secret.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: ChannelId,
    pub group_id: GroupId,
    pub kind: Kind,
    /// The address, or the integration's masked URL.
    pub masked: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub broken_at: Option<DateTime<Utc>>,
    pub broken_reason: Option<String>,
    /// How its newest delivery ended (`failed`, `gave_up`, …), for the failing flag.
    pub last_state: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Channel {
    /// Broken, or its newest delivery did not get through.
    pub fn is_failing(&self) -> bool {
        self.broken_at.is_some() || matches!(self.last_state.as_deref(), Some("failed" | "gave_up"))
    }
}

/// A channel as a delivery job needs it, secret included (still encrypted).
#[derive(Debug, Clone)]
pub struct ForDelivery {
    pub id: ChannelId,
    pub workspace_id: WorkspaceId,
    pub group_id: GroupId,
    pub kind: Kind,
    pub address: Option<String>,
    pub secret: Option<Vec<u8>>,
    pub masked: String,
    pub verified: bool,
    pub broken: bool,
}

/// Adds an e-mail recipient; `Duplicate("channels_one_address_per_group_idx")` when the
/// group already has the address.
pub async fn insert_email(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    group: GroupId,
    address: &vw_domain::EmailAddress,
    verified: bool,
) -> Result<ChannelId, StoreError> {
    let id = ChannelId::new();
    sqlx::query!(
        "INSERT INTO channels (id, workspace_id, group_id, kind, address, masked, verified_at)
         VALUES ($1, $2, $3, 'email', $4, $4, CASE WHEN $5 THEN now() END)",
        id.0,
        workspace.0,
        group.0,
        address.as_str(),
        verified
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// Adds an integration with its encrypted secret and its masked form.
pub async fn insert_integration(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    group: GroupId,
    kind: Kind,
    secret: &[u8],
    masked: &str,
) -> Result<ChannelId, StoreError> {
    let id = ChannelId::new();
    sqlx::query!(
        "INSERT INTO channels (id, workspace_id, group_id, kind, secret, masked)
         VALUES ($1, $2, $3, $4, $5, $6)",
        id.0,
        workspace.0,
        group.0,
        kind.as_str(),
        secret,
        masked
    )
    .execute(db)
    .await?;
    Ok(id)
}

struct ChannelRow {
    id: Uuid,
    group_id: Uuid,
    kind: String,
    masked: String,
    verified_at: Option<DateTime<Utc>>,
    broken_at: Option<DateTime<Utc>>,
    broken_reason: Option<String>,
    last_state: Option<String>,
    created_at: DateTime<Utc>,
}

fn channel(row: ChannelRow) -> Result<Channel, StoreError> {
    Ok(Channel {
        id: ChannelId(row.id),
        group_id: GroupId(row.group_id),
        kind: Kind::parse(&row.kind)
            .ok_or_else(|| StoreError::Invalid(format!("channel kind {:?}", row.kind)))?,
        masked: row.masked,
        verified_at: row.verified_at,
        broken_at: row.broken_at,
        broken_reason: row.broken_reason,
        last_state: row.last_state,
        created_at: row.created_at,
    })
}

/// The workspace's channels, by group then kind and creation.
pub async fn list(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Channel>, StoreError> {
    let rows = sqlx::query_as!(
        ChannelRow,
        r#"SELECT c.id, c.group_id, c.kind, c.masked, c.verified_at, c.broken_at,
                  c.broken_reason, c.created_at,
                  (SELECT d.state FROM deliveries d WHERE d.channel_id = c.id
                   AND d.state IN ('delivered', 'failed', 'gave_up')
                   ORDER BY d.created_at DESC LIMIT 1) AS "last_state?"
           FROM channels c
           WHERE c.workspace_id = $1
           ORDER BY c.group_id, c.kind = 'email' DESC, c.created_at, c.id"#,
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(channel).collect()
}

/// `NotFound` for another workspace's channel.
pub async fn get(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: ChannelId,
) -> Result<Channel, StoreError> {
    let row = sqlx::query_as!(
        ChannelRow,
        r#"SELECT c.id, c.group_id, c.kind, c.masked, c.verified_at, c.broken_at,
                  c.broken_reason, c.created_at,
                  (SELECT d.state FROM deliveries d WHERE d.channel_id = c.id
                   AND d.state IN ('delivered', 'failed', 'gave_up')
                   ORDER BY d.created_at DESC LIMIT 1) AS "last_state?"
           FROM channels c
           WHERE c.workspace_id = $1 AND c.id = $2"#,
        workspace.0,
        id.0
    )
    .fetch_one(db)
    .await?;
    channel(row)
}

/// A channel by its id alone (jobs, and links carrying a signed channel id).
pub async fn for_delivery(
    db: impl PgExecutor<'_>,
    id: ChannelId,
) -> Result<Option<ForDelivery>, StoreError> {
    let row = sqlx::query!(
        "SELECT id, workspace_id, group_id, kind, address, secret, masked,
                verified_at IS NOT NULL AS \"verified!\", broken_at IS NOT NULL AS \"broken!\"
         FROM channels WHERE id = $1",
        id.0
    )
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(ForDelivery {
            id: ChannelId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            group_id: GroupId(r.group_id),
            kind: Kind::parse(&r.kind)
                .ok_or_else(|| StoreError::Invalid(format!("channel kind {:?}", r.kind)))?,
            address: r.address,
            secret: r.secret,
            masked: r.masked,
            verified: r.verified,
            broken: r.broken,
        })
    })
    .transpose()
}

/// Confirms an e-mail recipient; returns whether it was waiting for that.
pub async fn verify(db: impl PgExecutor<'_>, id: ChannelId) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE channels SET verified_at = now()
         WHERE id = $1 AND kind = 'email' AND verified_at IS NULL",
        id.0
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a channel of the workspace; `NotFound` otherwise.
pub async fn delete(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: ChannelId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "DELETE FROM channels WHERE workspace_id = $1 AND id = $2",
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

/// Removes an e-mail recipient by its id alone (one-click unsubscribe); returns whether it
/// was there.
pub async fn unsubscribe(db: impl PgExecutor<'_>, id: ChannelId) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "DELETE FROM channels WHERE id = $1 AND kind = 'email'",
        id.0
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an integration broken; returns whether this call did (so that the admins are told
/// once).
pub async fn mark_broken(
    db: impl PgExecutor<'_>,
    id: ChannelId,
    reason: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE channels SET broken_at = now(), broken_reason = $2
         WHERE id = $1 AND broken_at IS NULL",
        id.0,
        reason
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// No send to the channel before `at`: its next slot, taken by the send about to be made.
pub async fn next_send_at(
    db: impl PgExecutor<'_>,
    id: ChannelId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE channels SET next_send_at = $2 WHERE id = $1",
        id.0,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Pushes the channel's next send back to `at` (the receiver asked for a pause).
pub async fn pause_sends_until(
    db: impl PgExecutor<'_>,
    id: ChannelId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE channels SET next_send_at = greatest(next_send_at, $2) WHERE id = $1",
        id.0,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The addresses of the workspace's owners and admins (to tell them of a broken integration).
pub async fn admin_addresses(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = $1 AND m.role IN ('owner', 'admin') ORDER BY u.email",
        workspace.0
    )
    .fetch_all(db)
    .await?)
}

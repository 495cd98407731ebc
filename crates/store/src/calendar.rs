//! What a workspace's maintenance calendar shows: the maintenances of the providers it
//! monitors, filtered to the watched components (the SQL function `workspace_maintenances`
//! holds that rule once, for the views and the feed), and the feeds' tokens.

pub mod feeds;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{MaintenanceId, MaintenanceStatus, WorkspaceId};

use crate::StoreError;
use crate::directory::parse_opt;

/// One maintenance as the calendar shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: MaintenanceId,
    pub provider_slug: String,
    pub provider_name: String,
    pub vendor_id: String,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub cancelled: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// The vendor's page about it.
    pub url: Option<String>,
    /// Names of the components it names (the vendor's id for one its page lists no more),
    /// in the vendor's order; empty when it names none.
    pub components: Vec<String>,
    /// iCalendar's SEQUENCE: raised on every change of window or status.
    pub sequence: i32,
    /// When anything shown of it last changed.
    pub revised_at: DateTime<Utc>,
}

/// Which maintenances to read.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Those whose window ends (or without an end, starts) at or after this…
    pub ends_after: DateTime<Utc>,
    /// …and starts before this.
    pub starts_before: DateTime<Utc>,
    /// Cancelled ones only if they end at or after this (`None`: all of them).
    pub cancelled_ending_after: Option<DateTime<Utc>>,
}

/// The workspace's maintenances in `window`, by start, at most `limit`.
#[tracing::instrument(skip(db))]
pub async fn entries(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    window: Window,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT mt.id, p.slug, p.name, mt.vendor_id, mt.title, mt.status,
                  mt.cancelled_at IS NOT NULL AS "cancelled!",
                  mt.scheduled_for AS "scheduled_for!", mt.scheduled_until, mt.url,
                  ARRAY(SELECT coalesce(c.name, v.id)
                        FROM unnest(mt.components) WITH ORDINALITY AS v(id, n)
                        LEFT JOIN components c ON c.provider_id = mt.provider_id
                                              AND c.vendor_id = v.id
                        ORDER BY v.n) AS "components!",
                  mt.sequence, mt.revised_at
           FROM workspace_maintenances($1, $2, $3) w
           JOIN maintenances mt ON mt.id = w.maintenance_id
           JOIN providers p ON p.id = mt.provider_id
           WHERE $4::timestamptz IS NULL OR mt.cancelled_at IS NULL
              OR coalesce(mt.scheduled_until, mt.scheduled_for) >= $4
           ORDER BY mt.scheduled_for, mt.id
           LIMIT $5"#,
        workspace.0,
        window.ends_after,
        window.starts_before,
        window.cancelled_ending_after,
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Entry {
                id: MaintenanceId(r.id),
                provider_slug: r.slug,
                provider_name: r.name,
                vendor_id: r.vendor_id,
                title: r.title,
                status: parse_opt(r.status, MaintenanceStatus::parse)?,
                cancelled: r.cancelled,
                starts_at: r.scheduled_for,
                ends_at: r.scheduled_until,
                url: r.url,
                components: r.components,
                sequence: r.sequence,
                revised_at: r.revised_at,
            })
        })
        .collect()
}

/// A digest of everything the workspace's feed over `window` shows (each maintenance's id,
/// sequence and revision, its provider's name, the workspace's name) without reading it:
/// equal digests, equal feeds.
#[tracing::instrument(skip(db))]
pub async fn fingerprint(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    window: Window,
) -> Result<String, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT md5((SELECT name FROM workspaces WHERE id = $1) || '|' || coalesce(string_agg(
                      mt.id::text || '.' || mt.sequence || '.'
                      || (extract(epoch FROM mt.revised_at) * 1000000)::bigint || '.'
                      || p.slug || '/' || p.name, ',' ORDER BY mt.id), '')) AS "digest!"
           FROM workspace_maintenances($1, $2, $3) w
           JOIN maintenances mt ON mt.id = w.maintenance_id
           JOIN providers p ON p.id = mt.provider_id
           WHERE $4::timestamptz IS NULL OR mt.cancelled_at IS NULL
              OR coalesce(mt.scheduled_until, mt.scheduled_for) >= $4"#,
        workspace.0,
        window.ends_after,
        window.starts_before,
        window.cancelled_ending_after,
    )
    .fetch_one(db)
    .await?)
}

//! The incidents and maintenances of the providers a workspace monitors, for the API: filtered
//! and read in pages by a key that inserts cannot shift (newest first by start, then id).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{
    Impact, IncidentId, IncidentStatus, MaintenanceId, MaintenanceStatus, WorkspaceId,
};

use crate::StoreError;
use crate::directory::{Incident, MaintenanceDetail, parse_opt};

/// The provider a row belongs to, as the API names it.
#[derive(Debug, Clone)]
pub struct ProviderRef {
    pub slug: String,
    pub name: String,
}

/// Where a page of a list starts: after the row with this start and id.
#[derive(Debug, Clone, Copy)]
pub struct After {
    pub at: DateTime<Utc>,
    pub id: uuid::Uuid,
}

/// Which of a workspace's incidents to read.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    pub id: Option<IncidentId>,
    pub provider_slug: Option<String>,
    /// `Some(true)`: open ones only; `Some(false)`: resolved ones only.
    pub open: Option<bool>,
    /// Begun (or, lacking a start, first seen) at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Any of these impacts; empty for all.
    pub impacts: Vec<Impact>,
    /// Only those touching a component one of the workspace's monitors watches.
    pub watched_only: bool,
    pub after: Option<After>,
    pub limit: i64,
}

/// An incident with its provider and the key of its place in a list.
#[derive(Debug, Clone)]
pub struct MonitoredIncident {
    pub incident: Incident,
    pub provider: ProviderRef,
    pub sort_at: DateTime<Utc>,
}

/// The workspace's incidents that `query` asks for, newest first.
#[tracing::instrument(skip(db))]
pub async fn incidents(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    query: &IncidentQuery,
) -> Result<Vec<MonitoredIncident>, StoreError> {
    let impacts: Vec<String> = query
        .impacts
        .iter()
        .map(|i| i.as_str().to_owned())
        .collect();
    let rows = sqlx::query!(
        r#"WITH watching AS (
               SELECT m.id, m.all_components, coalesce(p.same_as, p.id) AS provider_id
               FROM monitors m JOIN providers p ON p.id = m.provider_id
               WHERE m.workspace_id = $1
           )
           SELECT i.id, i.vendor_id, i.title, i.impact, i.current_status, i.open,
                  i.started_at, i.resolved_at, i.url, i.components,
                  (SELECT min(u.posted_at) FROM incident_updates u WHERE u.incident_id = i.id)
                      AS "first_update_at?",
                  i.detected_at, i.backfilled, p.slug, p.name,
                  coalesce(i.started_at, i.detected_at) AS "sort_at!"
           FROM incidents i
           JOIN providers p ON p.id = i.provider_id
           WHERE i.provider_id IN (SELECT provider_id FROM watching)
             AND ($2::uuid IS NULL OR i.id = $2)
             AND ($3::text IS NULL OR p.slug = $3)
             AND ($4::boolean IS NULL OR i.open = $4)
             AND ($5::timestamptz IS NULL OR coalesce(i.started_at, i.detected_at) >= $5)
             AND (cardinality($6::text[]) = 0 OR i.impact = ANY ($6))
             AND (NOT $7 OR EXISTS (
                     SELECT 1 FROM watching w
                     WHERE w.provider_id = i.provider_id
                       AND monitor_watches(w.id, w.all_components, i.provider_id, i.components)))
             AND ($8::timestamptz IS NULL
                  OR (coalesce(i.started_at, i.detected_at), i.id) < ($8, $9::uuid))
           ORDER BY coalesce(i.started_at, i.detected_at) DESC, i.id DESC
           LIMIT $10"#,
        workspace.0,
        query.id.map(|id| id.0),
        query.provider_slug.as_deref(),
        query.open,
        query.since,
        &impacts,
        query.watched_only,
        query.after.map(|a| a.at),
        query.after.map(|a| a.id),
        query.limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(MonitoredIncident {
                incident: Incident {
                    id: IncidentId(r.id),
                    vendor_id: r.vendor_id,
                    title: r.title,
                    impact: parse_opt(r.impact, Impact::parse)?,
                    status: parse_opt(r.current_status, IncidentStatus::parse)?,
                    open: r.open,
                    started_at: r.started_at,
                    resolved_at: r.resolved_at,
                    url: r.url,
                    components: r.components,
                    first_update_at: r.first_update_at,
                    detected_at: r.detected_at,
                    backfilled: r.backfilled,
                },
                provider: ProviderRef {
                    slug: r.slug,
                    name: r.name,
                },
                sort_at: r.sort_at,
            })
        })
        .collect()
}

/// Which of a workspace's maintenances to read.
#[derive(Debug, Clone, Default)]
pub struct MaintenanceQuery {
    pub id: Option<MaintenanceId>,
    pub provider_slug: Option<String>,
    /// `Some(true)`: not yet completed nor cancelled; `Some(false)`: completed or cancelled.
    pub open: Option<bool>,
    /// Scheduled to start (or, lacking a window, first seen) at or after this.
    pub since: Option<DateTime<Utc>>,
    pub watched_only: bool,
    pub after: Option<After>,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct MonitoredMaintenance {
    pub maintenance: MaintenanceDetail,
    pub provider: ProviderRef,
    pub sort_at: DateTime<Utc>,
}

/// The workspace's maintenances that `query` asks for, latest start first.
#[tracing::instrument(skip(db))]
pub async fn maintenances(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    query: &MaintenanceQuery,
) -> Result<Vec<MonitoredMaintenance>, StoreError> {
    let rows = sqlx::query!(
        r#"WITH watching AS (
               SELECT m.id, m.all_components, coalesce(p.same_as, p.id) AS provider_id
               FROM monitors m JOIN providers p ON p.id = m.provider_id
               WHERE m.workspace_id = $1
           )
           SELECT mt.id, mt.vendor_id, mt.title, mt.status, mt.scheduled_for,
                  mt.scheduled_until, mt.url, mt.components, mt.detected_at, mt.backfilled,
                  mt.cancelled_at, p.slug, p.name,
                  coalesce(mt.scheduled_for, mt.detected_at) AS "sort_at!"
           FROM maintenances mt
           JOIN providers p ON p.id = mt.provider_id
           WHERE mt.provider_id IN (SELECT provider_id FROM watching)
             AND ($2::uuid IS NULL OR mt.id = $2)
             AND ($3::text IS NULL OR p.slug = $3)
             AND ($4::boolean IS NULL
                  OR (mt.cancelled_at IS NULL AND mt.status IS DISTINCT FROM 'completed') = $4)
             AND ($5::timestamptz IS NULL OR coalesce(mt.scheduled_for, mt.detected_at) >= $5)
             AND (NOT $6 OR EXISTS (
                     SELECT 1 FROM watching w
                     WHERE w.provider_id = mt.provider_id
                       AND monitor_watches(w.id, w.all_components, mt.provider_id, mt.components)))
             AND ($7::timestamptz IS NULL
                  OR (coalesce(mt.scheduled_for, mt.detected_at), mt.id) < ($7, $8::uuid))
           ORDER BY coalesce(mt.scheduled_for, mt.detected_at) DESC, mt.id DESC
           LIMIT $9"#,
        workspace.0,
        query.id.map(|id| id.0),
        query.provider_slug.as_deref(),
        query.open,
        query.since,
        query.watched_only,
        query.after.map(|a| a.at),
        query.after.map(|a| a.id),
        query.limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(MonitoredMaintenance {
                maintenance: MaintenanceDetail {
                    id: MaintenanceId(r.id),
                    vendor_id: r.vendor_id,
                    title: r.title,
                    status: parse_opt(r.status, MaintenanceStatus::parse)?,
                    scheduled_for: r.scheduled_for,
                    scheduled_until: r.scheduled_until,
                    url: r.url,
                    components: r.components,
                    detected_at: r.detected_at,
                    backfilled: r.backfilled,
                    cancelled_at: r.cancelled_at,
                },
                provider: ProviderRef {
                    slug: r.slug,
                    name: r.name,
                },
                sort_at: r.sort_at,
            })
        })
        .collect()
}

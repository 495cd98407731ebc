//! What a workspace's dashboard shows, in a fixed handful of statements whatever the number
//! of monitors: the monitors with their providers' poll state, then the components, open
//! incidents and upcoming maintenances of all their providers at once. Filtering by each
//! monitor's components is the caller's (`vw_domain::ComponentFilter`).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{
    ComponentFilter, ComponentStatus, FilterableComponent, Impact, IncidentId, IncidentStatus,
    MaintenanceId, MaintenanceStatus, MonitorId, ProviderId, WorkspaceId,
};

use crate::StoreError;
use crate::directory::parse_opt;

#[derive(Debug, Clone)]
pub struct MonitorLine {
    pub id: MonitorId,
    pub provider_id: ProviderId,
    pub slug: String,
    pub name: String,
    pub paused: bool,
    pub filter: ComponentFilter,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub unreachable: bool,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The workspace's monitors, by provider name.
pub async fn monitors(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<MonitorLine>, StoreError> {
    let rows = sqlx::query!(
        // The chosen groups and components are aggregated once for the workspace and joined,
        // not looked up per monitor.
        r#"SELECT m.id, p.id AS provider_id, p.slug, p.name, m.paused, m.all_components,
                  coalesce(g.names, '{}') AS "groups!", coalesce(c.ids, '{}') AS "components!",
                  s.last_checked_at AS "last_checked_at?", s.unreachable AS "unreachable?",
                  s.failing_since AS "failing_since?", m.created_at
           FROM monitors m
           JOIN providers own ON own.id = m.provider_id
           -- A provider that is the same page as another shows that one (`same_as`).
           JOIN providers p ON p.id = coalesce(own.same_as, own.id)
           LEFT JOIN poll_state s ON s.provider_id = p.id
           LEFT JOIN (SELECT monitor_id, array_agg(group_name) AS names FROM monitor_groups
                      WHERE workspace_id = $1 GROUP BY monitor_id) g ON g.monitor_id = m.id
           LEFT JOIN (SELECT monitor_id, array_agg(vendor_id) AS ids FROM monitor_components
                      WHERE workspace_id = $1 GROUP BY monitor_id) c ON c.monitor_id = m.id
           WHERE m.workspace_id = $1
           ORDER BY lower(p.name), m.id"#,
        workspace.0
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MonitorLine {
            id: MonitorId(r.id),
            provider_id: ProviderId(r.provider_id),
            slug: r.slug,
            name: r.name,
            paused: r.paused,
            filter: crate::monitors::filter(r.all_components, r.groups, r.components),
            last_checked_at: r.last_checked_at,
            unreachable: r.unreachable.unwrap_or(false),
            failing_since: r.failing_since,
            created_at: r.created_at,
        })
        .collect())
}

/// The providers the workspace monitors (each as the page it shows).
pub async fn monitored_providers(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<ProviderId>, StoreError> {
    let ids = sqlx::query_scalar!(
        r#"SELECT coalesce(p.same_as, p.id) AS "id!" FROM monitors m
           JOIN providers p ON p.id = m.provider_id WHERE m.workspace_id = $1"#,
        workspace.0
    )
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().map(ProviderId).collect())
}

/// A component as the dashboard needs it: enough to filter and to find the worst status.
#[derive(Debug, Clone)]
pub struct ComponentLine {
    pub provider_id: ProviderId,
    pub vendor_id: String,
    pub group: Option<String>,
    pub status: Option<ComponentStatus>,
}

impl FilterableComponent for ComponentLine {
    fn vendor_id(&self) -> &str {
        &self.vendor_id
    }
    fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }
    fn status(&self) -> Option<ComponentStatus> {
        self.status
    }
}

fn ids(providers: &[ProviderId]) -> Vec<Uuid> {
    providers.iter().map(|p| p.0).collect()
}

/// The components of all `providers`, in no particular order.
pub async fn components(
    db: impl PgExecutor<'_>,
    providers: &[ProviderId],
) -> Result<Vec<ComponentLine>, StoreError> {
    let rows = sqlx::query!(
        "SELECT provider_id, vendor_id, group_name, status FROM components
         WHERE provider_id = ANY($1)",
        &ids(providers)
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ComponentLine {
                provider_id: ProviderId(r.provider_id),
                vendor_id: r.vendor_id,
                group: r.group_name,
                status: parse_opt(r.status, ComponentStatus::parse)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct OpenIncident {
    pub id: IncidentId,
    pub provider_id: ProviderId,
    pub title: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub started_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    pub components: Vec<String>,
}

/// The open incidents of all `providers`, newest first (`incidents_open_idx`).
pub async fn open_incidents(
    db: impl PgExecutor<'_>,
    providers: &[ProviderId],
) -> Result<Vec<OpenIncident>, StoreError> {
    let rows = sqlx::query!(
        "SELECT id, provider_id, title, impact, current_status, started_at, detected_at,
                components
         FROM incidents
         WHERE provider_id = ANY($1) AND open
         ORDER BY coalesce(started_at, detected_at) DESC, id",
        &ids(providers)
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(OpenIncident {
                id: IncidentId(r.id),
                provider_id: ProviderId(r.provider_id),
                title: r.title,
                impact: parse_opt(r.impact, Impact::parse)?,
                status: parse_opt(r.current_status, IncidentStatus::parse)?,
                started_at: r.started_at,
                detected_at: r.detected_at,
                components: r.components,
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct UpcomingMaintenance {
    pub id: MaintenanceId,
    pub provider_id: ProviderId,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub components: Vec<String>,
}

/// Maintenances of all `providers` running now or still to come (as of `now`), soonest
/// first: the rule of `directory::upcoming_maintenances`, for many providers at once.
pub async fn upcoming_maintenances(
    db: impl PgExecutor<'_>,
    providers: &[ProviderId],
    now: DateTime<Utc>,
) -> Result<Vec<UpcomingMaintenance>, StoreError> {
    let rows = sqlx::query!(
        "SELECT id, provider_id, title, status, scheduled_for, scheduled_until, components
         FROM maintenances
         WHERE provider_id = ANY($1) AND cancelled_at IS NULL
           AND coalesce(status, '') <> 'completed'
           AND (status IN ('in_progress', 'verifying')
                OR coalesce(scheduled_until, scheduled_for, $2) >= $2)
         ORDER BY scheduled_for NULLS LAST, id",
        &ids(providers),
        now
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UpcomingMaintenance {
                id: MaintenanceId(r.id),
                provider_id: ProviderId(r.provider_id),
                title: r.title,
                status: parse_opt(r.status, MaintenanceStatus::parse)?,
                scheduled_for: r.scheduled_for,
                scheduled_until: r.scheduled_until,
                components: r.components,
            })
        })
        .collect()
}

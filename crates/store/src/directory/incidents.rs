//! A provider's incidents and their timelines.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{Impact, IncidentStatus};

use super::parse_opt;
use crate::StoreError;

/// An incident without its updates.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Ours: the one in vendorwatch's URLs.
    pub id: Uuid,
    pub vendor_id: String,
    pub title: String,
    pub impact: Option<Impact>,
    /// The incident's own status, as the vendor gave it.
    pub status: Option<IncidentStatus>,
    /// The status of its newest update that has one: what a missing `status` falls back on.
    pub newest_update_status: Option<IncidentStatus>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Vendor ids of the affected components; empty when the vendor names none.
    pub components: Vec<String>,
    /// When the vendor first posted an update: the end of its lag.
    pub first_update_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    pub backfilled: bool,
}

impl Incident {
    /// Where it stands, by the rule the diff uses.
    pub fn effective_status(&self) -> Option<IncidentStatus> {
        vw_domain::timeline::incident_status(
            self.status,
            self.newest_update_status,
            self.resolved_at,
        )
    }
}

#[derive(Debug, Clone)]
pub struct Update {
    pub vendor_id: String,
    pub status: Option<IncidentStatus>,
    pub body: String,
    pub posted_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    /// When we noticed the vendor had rewritten it.
    pub edited_at: Option<DateTime<Utc>>,
}

struct IncidentRow {
    id: Uuid,
    vendor_id: String,
    title: String,
    impact: Option<String>,
    status: Option<String>,
    newest_update_status: Option<String>,
    started_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    url: Option<String>,
    components: Vec<String>,
    first_update_at: Option<DateTime<Utc>>,
    detected_at: DateTime<Utc>,
    backfilled: bool,
}

/// The provider's open incidents, newest first.
#[tracing::instrument(skip(db))]
pub async fn active_incidents(
    db: impl PgExecutor<'_>,
    provider: Uuid,
) -> Result<Vec<Incident>, StoreError> {
    select(db, provider, Filter::default().open_only()).await
}

/// The provider's incidents that began at or after `since` (or, lacking a start, were first
/// seen then), newest first, at most `limit`.
#[tracing::instrument(skip(db))]
pub async fn incidents_since(
    db: impl PgExecutor<'_>,
    provider: Uuid,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Incident>, StoreError> {
    let filter = Filter {
        since: Some(since),
        limit: Some(limit),
        ..Filter::default()
    };
    select(db, provider, filter).await
}

/// One incident of this provider; `NotFound` for an id that belongs to another provider.
#[tracing::instrument(skip(db))]
pub async fn incident(
    db: impl PgExecutor<'_>,
    provider: Uuid,
    id: Uuid,
) -> Result<Incident, StoreError> {
    let filter = Filter {
        id: Some(id),
        ..Filter::default()
    };
    select(db, provider, filter)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Which of a provider's incidents to read.
#[derive(Debug, Default)]
struct Filter {
    id: Option<Uuid>,
    open: bool,
    since: Option<DateTime<Utc>>,
    limit: Option<i64>,
}

impl Filter {
    fn open_only(self) -> Self {
        Filter { open: true, ..self }
    }
}

/// The one query behind the three above, so that an incident reads the same on every page.
/// "Open" is the rule of `vw_domain::timeline::incident_status` (the vendor's status, else
/// its newest update's, else resolved when it has an end), restated here because the
/// database filters on it.
async fn select(
    db: impl PgExecutor<'_>,
    provider: Uuid,
    filter: Filter,
) -> Result<Vec<Incident>, StoreError> {
    let rows = sqlx::query_as!(
        IncidentRow,
        r#"SELECT i.id, i.vendor_id, i.title, i.impact, i.status,
               newest.status AS "newest_update_status?",
               i.started_at, i.resolved_at, i.url, i.components,
               (SELECT min(u.posted_at) FROM incident_updates u WHERE u.incident_id = i.id)
                   AS "first_update_at?",
               i.detected_at, i.backfilled
           FROM incidents i
           LEFT JOIN LATERAL (
               SELECT u.status FROM incident_updates u
               WHERE u.incident_id = i.id AND u.status IS NOT NULL
               ORDER BY u.posted_at DESC NULLS LAST, u.vendor_id DESC LIMIT 1
           ) newest ON true
           WHERE i.provider_id = $1
             AND ($2::uuid IS NULL OR i.id = $2)
             AND (NOT $3 OR coalesce(i.status, newest.status,
                                     CASE WHEN i.resolved_at IS NOT NULL THEN 'resolved' END,
                                     'unknown') NOT IN ('resolved', 'postmortem'))
             AND ($4::timestamptz IS NULL OR coalesce(i.started_at, i.detected_at) >= $4)
           ORDER BY coalesce(i.started_at, i.detected_at) DESC, i.id
           LIMIT $5"#,
        provider,
        filter.id,
        filter.open,
        filter.since,
        filter.limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(incident_from).collect()
}

fn incident_from(row: IncidentRow) -> Result<Incident, StoreError> {
    Ok(Incident {
        id: row.id,
        vendor_id: row.vendor_id,
        title: row.title,
        impact: parse_opt(row.impact, Impact::parse)?,
        status: parse_opt(row.status, IncidentStatus::parse)?,
        newest_update_status: parse_opt(row.newest_update_status, IncidentStatus::parse)?,
        started_at: row.started_at,
        resolved_at: row.resolved_at,
        url: row.url,
        components: row.components,
        first_update_at: row.first_update_at,
        detected_at: row.detected_at,
        backfilled: row.backfilled,
    })
}

/// An incident's timeline, oldest first (updates the vendor gave no time come first, as in
/// the snapshot).
pub async fn incident_updates(
    db: impl PgExecutor<'_>,
    incident: Uuid,
) -> Result<Vec<Update>, StoreError> {
    let rows = sqlx::query!(
        "SELECT vendor_id, status, body, posted_at, detected_at, edited_at
         FROM incident_updates WHERE incident_id = $1
         ORDER BY posted_at ASC NULLS FIRST, vendor_id",
        incident
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Update {
                vendor_id: r.vendor_id,
                status: parse_opt(r.status, IncidentStatus::parse)?,
                body: r.body,
                posted_at: r.posted_at,
                detected_at: r.detected_at,
                edited_at: r.edited_at,
            })
        })
        .collect()
}

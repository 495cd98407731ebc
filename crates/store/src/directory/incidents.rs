//! A provider's incidents and their timelines.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{Impact, IncidentId, IncidentStatus, ProviderId};

use super::parse_opt;
use crate::StoreError;

/// An incident without its updates.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Ours: the one in vendorwatch's URLs.
    pub id: IncidentId,
    pub vendor_id: String,
    pub title: String,
    pub impact: Option<Impact>,
    /// Where it stands: the vendor's status, else its newest update's, else resolved when it
    /// has an end (`vw_domain::Incident::current_status`, written with the incident).
    pub status: Option<IncidentStatus>,
    pub open: bool,
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

#[derive(Debug, Clone)]
pub struct Update {
    pub vendor_id: String,
    pub status: Option<IncidentStatus>,
    pub body: String,
    /// The body rendered safe when it was written; `None` until rows stored before that are
    /// rendered.
    pub body_html: Option<String>,
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
    current_status: Option<String>,
    open: bool,
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
    provider: ProviderId,
) -> Result<Vec<Incident>, StoreError> {
    select(db, provider, Filter::default().open_only()).await
}

/// The provider's incidents that began at or after `since` (or, lacking a start, were first
/// seen then), newest first, at most `limit`.
#[tracing::instrument(skip(db))]
pub async fn incidents_since(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
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
    provider: ProviderId,
    id: IncidentId,
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
    id: Option<IncidentId>,
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
async fn select(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    filter: Filter,
) -> Result<Vec<Incident>, StoreError> {
    let rows = sqlx::query_as!(
        IncidentRow,
        r#"SELECT i.id, i.vendor_id, i.title, i.impact, i.current_status, i.open,
               i.started_at, i.resolved_at, i.url, i.components,
               (SELECT min(u.posted_at) FROM incident_updates u WHERE u.incident_id = i.id)
                   AS "first_update_at?",
               i.detected_at, i.backfilled
           FROM incidents i
           WHERE i.provider_id = $1
             AND ($2::uuid IS NULL OR i.id = $2)
             AND (NOT $3 OR i.open)
             AND ($4::timestamptz IS NULL OR coalesce(i.started_at, i.detected_at) >= $4)
           ORDER BY coalesce(i.started_at, i.detected_at) DESC, i.id
           LIMIT $5"#,
        provider.0,
        filter.id.map(|id| id.0),
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
        id: IncidentId(row.id),
        vendor_id: row.vendor_id,
        title: row.title,
        impact: parse_opt(row.impact, Impact::parse)?,
        status: parse_opt(row.current_status, IncidentStatus::parse)?,
        open: row.open,
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
    incident: IncidentId,
) -> Result<Vec<Update>, StoreError> {
    let rows = sqlx::query!(
        "SELECT vendor_id, status, body, body_html, posted_at, detected_at, edited_at
         FROM incident_updates WHERE incident_id = $1
         ORDER BY posted_at ASC NULLS FIRST, vendor_id",
        incident.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Update {
                vendor_id: r.vendor_id,
                status: parse_opt(r.status, IncidentStatus::parse)?,
                body: r.body,
                body_html: r.body_html,
                posted_at: r.posted_at,
                detected_at: r.detected_at,
                edited_at: r.edited_at,
            })
        })
        .collect()
}

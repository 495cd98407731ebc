//! The public directory: what the provider and incident pages read. Providers are shared by
//! all tenants, so nothing here is scoped by workspace; everything is read-only.
//!
//! Whether an incident is open is the `incidents.open` column, written with the incident by
//! the domain's rule (`vw_domain::Incident::is_open`); no query here restates that rule.

mod incidents;
mod maintenances;
mod search;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{
    ComponentStatus, Event, EventId, IncidentId, MaintenanceId, MaintenanceStatus, Platform,
    PollFailure, ProviderId,
};

use crate::StoreError;

pub use incidents::{
    Incident, Update, active_incidents, incident, incident_updates, incidents_since,
};
pub use maintenances::{MaintenanceDetail, MaintenanceUpdate, maintenance, maintenance_updates};
pub use search::{ProviderSummary, by_name, search};

/// One provider and where its polling stands.
#[derive(Debug, Clone)]
pub struct Provider {
    pub id: ProviderId,
    pub slug: String,
    pub name: String,
    pub homepage: Option<String>,
    pub status_url: String,
    /// `None` until the first poll detects it.
    pub platform: Option<Platform>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub unreachable: bool,
    /// When the current run of failed reads began.
    pub failing_since: Option<DateTime<Utc>>,
    /// Why the last read failed, while reads are failing.
    pub last_failure: Option<(PollFailure, String)>,
    /// The last read with news skipped an item it could not read.
    pub last_read_partial: bool,
    /// The slug of the provider that is the same page and came first, which is shown in its
    /// place (`same_as`).
    pub same_as: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub vendor_id: String,
    pub name: String,
    pub group: Option<String>,
    pub status: Option<ComponentStatus>,
}

impl vw_domain::FilterableComponent for Component {
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

#[derive(Debug, Clone)]
pub struct Maintenance {
    pub id: MaintenanceId,
    pub vendor_id: String,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
}

/// One change a poll found, with the title of what it is about.
#[derive(Debug, Clone)]
pub struct RecentEvent {
    pub id: EventId,
    pub event: Event,
    pub detected_at: DateTime<Utc>,
    pub incident: Option<(IncidentId, String)>,
    pub maintenance: Option<(MaintenanceId, String)>,
}

#[tracing::instrument(skip(db))]
pub async fn provider_by_slug(db: impl PgExecutor<'_>, slug: &str) -> Result<Provider, StoreError> {
    let row = sqlx::query!(
        r#"SELECT p.id, p.slug, p.name, p.homepage, p.status_url, p.platform,
               s.last_checked_at AS "last_checked_at?", s.unreachable AS "unreachable?",
               s.failing_since AS "failing_since?", s.last_error_kind AS "last_error_kind?",
               s.last_error AS "last_error?", s.last_read_partial AS "last_read_partial?",
               f.slug AS "same_as?"
           FROM providers p LEFT JOIN poll_state s ON s.provider_id = p.id
                LEFT JOIN providers f ON f.id = p.same_as
           WHERE p.slug = $1"#,
        slug
    )
    .fetch_one(db)
    .await?;
    let platform = match row.platform {
        Some(name) => Some(
            name.parse::<Platform>()
                .map_err(|_| StoreError::Invalid(format!("platform {name:?}")))?,
        ),
        None => None,
    };
    Ok(Provider {
        id: ProviderId(row.id),
        slug: row.slug,
        name: row.name,
        homepage: row.homepage,
        status_url: row.status_url,
        platform,
        last_checked_at: row.last_checked_at,
        unreachable: row.unreachable.unwrap_or(false),
        failing_since: row.failing_since,
        last_failure: match (row.last_error_kind, row.last_error) {
            (Some(kind), message) => Some((
                PollFailure::parse(&kind)
                    .ok_or_else(|| StoreError::Invalid(format!("failure kind {kind:?}")))?,
                message.unwrap_or_default(),
            )),
            (None, _) => None,
        },
        last_read_partial: row.last_read_partial.unwrap_or(false),
        same_as: row.same_as,
    })
}

/// The provider's components in the vendor's order.
pub async fn components(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
) -> Result<Vec<Component>, StoreError> {
    let rows = sqlx::query!(
        "SELECT vendor_id, name, group_name, status FROM components
         WHERE provider_id = $1 ORDER BY position, vendor_id",
        provider.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Component {
                vendor_id: r.vendor_id,
                name: r.name,
                group: r.group_name,
                status: parse_opt(r.status, ComponentStatus::parse)?,
            })
        })
        .collect()
}

/// Maintenances running now or still to come (as of `now`), soonest first; cancelled and
/// completed ones are left out, and so is one still "scheduled" whose window has passed.
#[tracing::instrument(skip(db))]
pub async fn upcoming_maintenances(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    now: DateTime<Utc>,
) -> Result<Vec<Maintenance>, StoreError> {
    let rows = sqlx::query!(
        "SELECT id, vendor_id, title, status, scheduled_for, scheduled_until, url, components
         FROM maintenances
         WHERE provider_id = $1 AND cancelled_at IS NULL
           AND coalesce(status, '') <> 'completed'
           AND (status IN ('in_progress', 'verifying')
                OR coalesce(scheduled_until, scheduled_for, $2) >= $2)
         ORDER BY scheduled_for NULLS LAST, id
         LIMIT 50",
        provider.0,
        now,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Maintenance {
                id: MaintenanceId(r.id),
                vendor_id: r.vendor_id,
                title: r.title,
                status: parse_opt(r.status, MaintenanceStatus::parse)?,
                scheduled_for: r.scheduled_for,
                scheduled_until: r.scheduled_until,
                url: r.url,
                components: r.components,
            })
        })
        .collect()
}

/// The provider's newest events (the outbox), at most `limit`.
#[tracing::instrument(skip(db))]
pub async fn recent_events(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    limit: i64,
) -> Result<Vec<RecentEvent>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT e.id, e.body, e.detected_at,
               i.id AS "incident_id?", i.title AS "incident_title?",
               m.id AS "maintenance_id?", m.title AS "maintenance_title?"
           FROM events e
           LEFT JOIN incidents i ON i.id = e.incident_id
           LEFT JOIN maintenances m ON m.id = e.maintenance_id
           WHERE e.provider_id = $1
           ORDER BY e.detected_at DESC, e.id DESC
           LIMIT $2"#,
        provider.0,
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let event = serde_json::from_value(r.body)
                .map_err(|e| StoreError::Invalid(format!("event {}: {e}", r.id)))?;
            Ok(RecentEvent {
                id: EventId(r.id),
                event,
                detected_at: r.detected_at,
                incident: r.incident_id.map(IncidentId).zip(r.incident_title),
                maintenance: r.maintenance_id.map(MaintenanceId).zip(r.maintenance_title),
            })
        })
        .collect()
}

fn parse<T>(word: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(word).ok_or_else(|| StoreError::Invalid(format!("status word {word:?}")))
}

pub(crate) fn parse_opt<T>(
    word: Option<String>,
    read: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    word.map(|w| parse(&w, read)).transpose()
}

//! The JSON the public pages answer with `Accept: application/json`. Incidents keep the shape
//! `vendorwatch inspect` prints (times RFC 3339 in UTC, `null` for what the vendor did not
//! give, updates oldest first), with `id` our own id and `vendor_id` the vendor's, plus what
//! only vendorwatch knows (`detected_at`, `backfilled`) and the sums the page shows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use vw_domain::timeline::{self, IncidentDuration};
use vw_domain::{
    CalendarStatus, ComponentStatus, Event, Impact, IncidentStatus, MaintenanceStatus,
};
use vw_domain::{EventId, IncidentId, MaintenanceId};
use vw_store::directory::{self, MaintenanceDetail, MaintenanceUpdate, RecentEvent};

/// An incident in a provider's lists: everything but the timeline.
#[derive(Serialize, ToSchema)]
#[schema(as = Incident)]
pub struct IncidentSummary<'a> {
    /// vendorwatch's id.
    #[schema(value_type = String, format = Uuid)]
    id: IncidentId,
    /// The vendor's id.
    vendor_id: &'a str,
    title: &'a str,
    /// `none`, `minor`, `major` or `critical`; `null` when the vendor gives none.
    #[schema(value_type = Option<String>, example = "major")]
    impact: Option<Impact>,
    /// Its own status, else its newest update's, else resolved when it has an end:
    /// `investigating`, `identified`, `monitoring`, `resolved` or `postmortem`.
    #[schema(value_type = Option<String>, example = "investigating")]
    status: Option<IncidentStatus>,
    started_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    /// The vendor's page about it.
    url: Option<&'a str>,
    /// Vendor ids of the components it affects.
    components: &'a [String],
    /// When vendorwatch first saw it.
    detected_at: DateTime<Utc>,
    /// Found in the page's history when the provider was first read, not as it happened.
    backfilled: bool,
    /// `null` while open, and when the vendor's times give no honest duration.
    duration_seconds: Option<i64>,
}

impl<'a> IncidentSummary<'a> {
    pub fn new(incident: &'a directory::Incident) -> Self {
        let status = incident.status;
        IncidentSummary {
            id: incident.id,
            vendor_id: &incident.vendor_id,
            title: &incident.title,
            impact: incident.impact,
            status,
            started_at: incident.started_at,
            resolved_at: incident.resolved_at,
            url: incident.url.as_deref(),
            components: &incident.components,
            detected_at: incident.detected_at,
            backfilled: incident.backfilled,
            duration_seconds: IncidentDuration::of(
                status,
                incident.started_at,
                incident.resolved_at,
            )
            .seconds(),
        }
    }
}

/// An incident with its whole timeline, for its own page.
#[derive(Serialize, ToSchema)]
#[schema(as = IncidentWithTimeline)]
pub struct IncidentDetail<'a> {
    #[serde(flatten)]
    summary: IncidentSummary<'a>,
    /// The vendor's updates, oldest first.
    updates: Vec<UpdateJson<'a>>,
    /// The vendor's end is before its start: the times are as given, the duration `null`.
    resolved_before_started: bool,
    /// From the start to the vendor's first update; `null` when either is unknown.
    vendor_lag_seconds: Option<i64>,
}

/// One update the vendor posted.
#[derive(Serialize, ToSchema)]
#[schema(as = IncidentUpdate)]
struct UpdateJson<'a> {
    /// The vendor's id of the update.
    id: &'a str,
    #[schema(value_type = Option<String>, example = "identified")]
    status: Option<IncidentStatus>,
    body: &'a str,
    posted_at: Option<DateTime<Utc>>,
    detected_at: DateTime<Utc>,
}

impl<'a> IncidentDetail<'a> {
    pub fn new(incident: &'a directory::Incident, updates: &'a [directory::Update]) -> Self {
        let duration =
            IncidentDuration::of(incident.status, incident.started_at, incident.resolved_at);
        IncidentDetail {
            summary: IncidentSummary::new(incident),
            updates: updates
                .iter()
                .map(|u| UpdateJson {
                    id: &u.vendor_id,
                    status: u.status,
                    body: &u.body,
                    posted_at: u.posted_at,
                    detected_at: u.detected_at,
                })
                .collect(),
            resolved_before_started: matches!(
                duration,
                IncidentDuration::ResolvedBeforeStarted { .. }
            ),
            vendor_lag_seconds: timeline::vendor_lag(
                incident.started_at,
                updates.iter().map(|u| u.posted_at),
            )
            .map(|lag| lag.num_seconds()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ComponentJson<'a> {
    id: &'a str,
    name: &'a str,
    group: Option<&'a str>,
    #[schema(value_type = Option<String>, example = "operational")]
    status: Option<ComponentStatus>,
}

impl<'a> ComponentJson<'a> {
    pub fn new(component: &'a directory::Component) -> Self {
        ComponentJson {
            id: &component.vendor_id,
            name: &component.name,
            group: component.group.as_deref(),
            status: component.status,
        }
    }
}

#[derive(Serialize)]
pub struct MaintenanceJson<'a> {
    id: MaintenanceId,
    vendor_id: &'a str,
    title: &'a str,
    status: Option<MaintenanceStatus>,
    scheduled_for: Option<DateTime<Utc>>,
    scheduled_until: Option<DateTime<Utc>>,
    url: Option<&'a str>,
    components: &'a [String],
}

impl<'a> MaintenanceJson<'a> {
    pub fn new(maintenance: &'a directory::Maintenance) -> Self {
        MaintenanceJson {
            id: maintenance.id,
            vendor_id: &maintenance.vendor_id,
            title: &maintenance.title,
            status: maintenance.status,
            scheduled_for: maintenance.scheduled_for,
            scheduled_until: maintenance.scheduled_until,
            url: maintenance.url.as_deref(),
            components: &maintenance.components,
        }
    }
}

/// An outbox event: when it was found and our ids of what it is about, with the domain event
/// as stored in `event` (its `kind`, and the vendor's ids).
#[derive(Serialize)]
pub struct EventJson<'a> {
    id: EventId,
    detected_at: DateTime<Utc>,
    incident_id: Option<IncidentId>,
    maintenance_id: Option<MaintenanceId>,
    event: &'a Event,
}

impl<'a> EventJson<'a> {
    pub fn new(event: &'a RecentEvent) -> Self {
        EventJson {
            id: event.id,
            detected_at: event.detected_at,
            incident_id: event.incident.as_ref().map(|(id, _)| *id),
            maintenance_id: event.maintenance.as_ref().map(|(id, _)| *id),
            event: &event.event,
        }
    }
}

/// A maintenance with what only vendorwatch knows of it (`detected_at`, `cancelled_at`), the
/// calendar's status word, and (for one maintenance) the vendor's updates.
#[derive(Serialize, ToSchema)]
#[schema(as = Maintenance)]
pub struct MaintenanceDetailJson<'a> {
    /// vendorwatch's id.
    #[schema(value_type = String, format = Uuid)]
    id: MaintenanceId,
    vendor_id: &'a str,
    /// The provider's slug.
    provider: &'a str,
    title: &'a str,
    /// The vendor's status (`scheduled`, `in_progress`, `verifying`, `completed`);
    /// `calendar_status` adds `cancelled`.
    #[schema(value_type = Option<String>, example = "scheduled")]
    status: Option<MaintenanceStatus>,
    #[schema(example = "scheduled")]
    calendar_status: &'static str,
    scheduled_for: Option<DateTime<Utc>>,
    scheduled_until: Option<DateTime<Utc>>,
    url: Option<&'a str>,
    /// Vendor ids of the components it names.
    components: &'a [String],
    detected_at: DateTime<Utc>,
    backfilled: bool,
    /// When it was listed no more while still scheduled.
    cancelled_at: Option<DateTime<Utc>>,
    /// The vendor's updates, oldest first; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    updates: Option<Vec<MaintenanceUpdateJson<'a>>>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = MaintenanceUpdate)]
struct MaintenanceUpdateJson<'a> {
    id: &'a str,
    #[schema(value_type = Option<String>, example = "in_progress")]
    status: Option<MaintenanceStatus>,
    body: &'a str,
    posted_at: Option<DateTime<Utc>>,
    detected_at: DateTime<Utc>,
}

impl<'a> MaintenanceDetailJson<'a> {
    pub fn new(
        m: &'a MaintenanceDetail,
        provider_slug: &'a str,
        updates: Option<&'a [MaintenanceUpdate]>,
    ) -> Self {
        MaintenanceDetailJson {
            id: m.id,
            vendor_id: &m.vendor_id,
            provider: provider_slug,
            title: &m.title,
            status: m.status,
            calendar_status: CalendarStatus::of(m.status, m.cancelled_at.is_some()).as_str(),
            scheduled_for: m.scheduled_for,
            scheduled_until: m.scheduled_until,
            url: m.url.as_deref(),
            components: &m.components,
            detected_at: m.detected_at,
            backfilled: m.backfilled,
            cancelled_at: m.cancelled_at,
            updates: updates.map(|updates| {
                updates
                    .iter()
                    .map(|u| MaintenanceUpdateJson {
                        id: &u.vendor_id,
                        status: u.status,
                        body: &u.body,
                        posted_at: u.posted_at,
                        detected_at: u.detected_at,
                    })
                    .collect()
            }),
        }
    }
}

//! Heroku's status API: `GET https://status.heroku.com/api/v4/current-status`.
//!
//! Heroku states three systems (Apps, Data, Tools) by colour; they are the components. Open
//! incidents are in `incidents`, maintenances in `scheduled`, each with its updates newest first.
//! Colours: green is fine, blue is maintenance, yellow and red are Heroku's two levels of
//! trouble (the statuscheck client reads them as "incident" and "outage").

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Component, ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus,
    Platform, Snapshot, Update,
};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Heroku;

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    status: Lenient<SystemStatus>,
    #[serde(default)]
    incidents: Lenient<Issue>,
    #[serde(default)]
    scheduled: Lenient<Issue>,
}

#[derive(Deserialize)]
struct SystemStatus {
    system: String,
    status: String,
}

/// An incident or a scheduled maintenance: Heroku calls both issues.
#[derive(Deserialize)]
struct Issue {
    id: u64,
    title: String,
    #[serde(default)]
    resolved: bool,
    /// Only on maintenances: true until the maintenance starts.
    #[serde(default)]
    upcoming: bool,
    created_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    full_url: Option<String>,
    #[serde(default)]
    updates: Lenient<RawUpdate>,
}

#[derive(Deserialize)]
struct RawUpdate {
    id: u64,
    update_type: Option<String>,
    #[serde(default)]
    contents: String,
    created_at: Option<DateTime<Utc>>,
    status_dev: Option<String>,
    status_prod: Option<String>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = text::json(PLATFORM, body)?;
    let mut snapshot = Snapshot::empty(PLATFORM);
    snapshot.components = doc
        .status
        .require_read(PLATFORM, "status")?
        .into_iter()
        .map(|s| Component {
            id: s.system.clone(),
            name: s.system,
            group: None,
            status: component_status(&s.status),
        })
        .collect();
    snapshot.incidents = doc
        .incidents
        .require_read(PLATFORM, "incidents")?
        .into_iter()
        .map(incident)
        .collect();
    snapshot.maintenances = doc
        .scheduled
        .require_read(PLATFORM, "scheduled")?
        .into_iter()
        .map(maintenance)
        .collect();
    snapshot.canonicalize();
    Ok(snapshot)
}

fn incident(mut issue: Issue) -> Incident {
    let raw_updates = updates_of(&mut issue);
    // Heroku has no impact field; each update colours production and development, and the
    // worst colour an incident reached is its impact (all green: none).
    let impact = raw_updates
        .iter()
        .flat_map(|u| [&u.status_prod, &u.status_dev])
        .filter_map(|c| match c.as_deref() {
            Some("green") => Some(Impact::None),
            Some("yellow") => Some(Impact::Minor),
            Some("red") => Some(Impact::Major),
            _ => None,
        })
        .max();
    let updates: Vec<Update<IncidentStatus>> = raw_updates
        .into_iter()
        .map(|u| update(u, incident_status))
        .collect();
    let status = if issue.resolved {
        Some(IncidentStatus::Resolved)
    } else {
        latest_status(&updates)
    };
    Incident {
        id: issue.id.to_string(),
        title: issue.title,
        impact,
        status,
        started_at: issue.created_at,
        resolved_at: issue.resolved_at,
        url: issue.full_url,
        components: Vec::new(),
        updates,
    }
}

fn maintenance(mut issue: Issue) -> Maintenance {
    let raw_updates = updates_of(&mut issue);
    // Neither resolved nor upcoming means the window has begun.
    let status = if issue.resolved {
        MaintenanceStatus::Completed
    } else if issue.upcoming {
        MaintenanceStatus::Scheduled
    } else {
        MaintenanceStatus::InProgress
    };
    Maintenance {
        id: issue.id.to_string(),
        title: issue.title,
        status: Some(status),
        // The window is only in the prose ("Monday, November 9 at 19:00 UTC").
        scheduled_for: None,
        scheduled_until: None,
        url: issue.full_url,
        components: Vec::new(),
        updates: raw_updates
            .into_iter()
            .map(|u| update(u, maintenance_status))
            .collect(),
    }
}

/// The issue's updates that read; an unreadable one is skipped, not the issue.
fn updates_of(issue: &mut Issue) -> Vec<RawUpdate> {
    std::mem::take(&mut issue.updates).keep_read(PLATFORM, &format!("updates of {}", issue.id))
}

fn update<S>(raw: RawUpdate, status: impl Fn(&str) -> Option<S>) -> Update<S> {
    Update {
        id: raw.id.to_string(),
        status: raw.update_type.as_deref().and_then(status),
        body: raw.contents,
        posted_at: raw.created_at,
    }
}

/// The status of the newest update that has one.
fn latest_status(updates: &[Update<IncidentStatus>]) -> Option<IncidentStatus> {
    updates
        .iter()
        .filter(|u| u.status.is_some())
        .max_by_key(|u| u.posted_at)
        .and_then(|u| u.status)
}

fn component_status(colour: &str) -> Option<ComponentStatus> {
    match colour {
        "green" => Some(ComponentStatus::Operational),
        "yellow" => Some(ComponentStatus::DegradedPerformance),
        "red" => Some(ComponentStatus::MajorOutage),
        "blue" => Some(ComponentStatus::UnderMaintenance),
        _ => None,
    }
}

/// Heroku's update types. `issue` and `update` say something changed but not into what, so
/// they carry no status.
fn incident_status(kind: &str) -> Option<IncidentStatus> {
    match kind {
        "investigating" => Some(IncidentStatus::Investigating),
        "identified" => Some(IncidentStatus::Identified),
        "monitoring" => Some(IncidentStatus::Monitoring),
        "resolved" => Some(IncidentStatus::Resolved),
        _ => None,
    }
}

fn maintenance_status(kind: &str) -> Option<MaintenanceStatus> {
    match kind {
        "scheduled" => Some(MaintenanceStatus::Scheduled),
        "maintenance" => Some(MaintenanceStatus::InProgress),
        "resolved" => Some(MaintenanceStatus::Completed),
        _ => None,
    }
}

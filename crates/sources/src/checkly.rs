//! Checkly status pages: `GET <page>/api/status-page/<slug>/unresolved-incidents`, the open
//! incidents only. Their `services` are the components; the document gives no service states.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Component, Impact, Incident, IncidentStatus, Maintenance, Platform, Snapshot, Update,
};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Checkly;

#[derive(Deserialize)]
struct Document {
    incidents: Lenient<RawIncident>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIncident {
    id: String,
    name: String,
    severity: Option<String>,
    #[serde(rename = "created_at")]
    created_at: Option<DateTime<Utc>>,
    last_update_status: Option<String>,
    #[serde(default)]
    services: Lenient<Service>,
    #[serde(default)]
    incident_updates: Lenient<RawUpdate>,
}

#[derive(Deserialize)]
struct Service {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawUpdate {
    id: String,
    status: Option<String>,
    #[serde(default)]
    description: String,
    /// The time the page shows, which the author may set; `created_at` is when it was typed.
    public_incident_update_date: Option<DateTime<Utc>>,
    #[serde(rename = "created_at")]
    created_at: Option<DateTime<Utc>>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = text::json(PLATFORM, body)?;
    let mut snapshot = Snapshot::empty(PLATFORM);
    let mut seen = HashSet::new();
    for raw in doc.incidents.require_read(PLATFORM, "incidents")? {
        let services = raw
            .services
            .keep_read(PLATFORM, &format!("services of {}", raw.id));
        let raw_updates = raw
            .incident_updates
            .keep_read(PLATFORM, &format!("incidentUpdates of {}", raw.id));
        for service in &services {
            if seen.insert(service.id.clone()) {
                snapshot.components.push(Component {
                    id: service.id.clone(),
                    name: service.name.clone(),
                    group: None,
                    status: None,
                });
            }
        }
        let components = services.iter().map(|s| s.id.clone()).collect();
        // MAINTENANCE is a severity in Checkly but a kind of event for us: such an entry is
        // a maintenance. Checkly gives it no window, so its schedule stays unknown.
        if raw.severity.as_deref() == Some("MAINTENANCE") {
            snapshot.maintenances.push(Maintenance {
                id: raw.id,
                title: raw.name,
                status: None,
                scheduled_for: None,
                scheduled_until: None,
                url: None,
                components,
                updates: raw_updates
                    .into_iter()
                    .map(|u| update(u, |_| None))
                    .collect(),
            });
            continue;
        }
        snapshot.incidents.push(Incident {
            id: raw.id,
            title: raw.name,
            impact: raw.severity.as_deref().and_then(impact),
            status: raw.last_update_status.as_deref().and_then(incident_status),
            started_at: raw.created_at,
            resolved_at: None,
            url: None,
            components,
            updates: raw_updates
                .into_iter()
                .map(|u| update(u, incident_status))
                .collect(),
        });
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

fn update<S>(raw: RawUpdate, status: impl Fn(&str) -> Option<S>) -> Update<S> {
    Update {
        id: raw.id,
        status: raw.status.as_deref().and_then(status),
        body: raw.description,
        posted_at: raw.public_incident_update_date.or(raw.created_at),
    }
}

/// Checkly has four levels where we have three above `none`. MEDIUM goes to minor: the
/// captured MEDIUM incidents are titled "Audio API Degraded", which Statuspage would call minor.
fn impact(severity: &str) -> Option<Impact> {
    match severity {
        "MINOR" | "MEDIUM" => Some(Impact::Minor),
        "MAJOR" => Some(Impact::Major),
        "CRITICAL" => Some(Impact::Critical),
        _ => None,
    }
}

/// Checkly writes the Statuspage words in capitals (INVESTIGATING, …).
fn incident_status(word: &str) -> Option<IncidentStatus> {
    IncidentStatus::parse(&word.to_ascii_lowercase())
}

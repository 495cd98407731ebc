//! Cachet 2.x's `/api/v1`: `{meta: {pagination: …}, data: […]}` for components and incidents.
//!
//! An incident (2.4) carries its `updates`, oldest first, each with a status of its own, and a
//! `meta` that Cachet writes as an object, or as `[]` when empty (PHP's empty array); it is not
//! read, so either passes. Before 2.4 a scheduled maintenance was an incident of status 0
//! ("Scheduled") with its start in `scheduled_at`; such an incident is read as a maintenance.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Component, Incident, IncidentStatus, Maintenance, MaintenanceStatus, Snapshot, Update,
};

use super::time::naive_utc;
use super::{PLATFORM, component_status, incident_status};
use crate::lenient::Lenient;
use crate::{ParseError, text};

#[derive(Deserialize)]
#[serde(bound = "T: serde::de::DeserializeOwned")]
struct Envelope<T> {
    data: Lenient<T>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: u64,
    name: String,
    status: Option<u8>,
    #[serde(default, deserialize_with = "naive_utc")]
    deleted_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct RawIncident {
    id: u64,
    /// 0 when the incident names no component.
    #[serde(default)]
    component_id: Option<u64>,
    name: String,
    /// The status the incident was opened with (2.4 moves it along with the updates, older
    /// versions with edits).
    status: Option<u8>,
    /// 2.4: the status of the newest update, else `status`.
    #[serde(default)]
    latest_status: Option<u8>,
    /// 0 for an incident only signed-in users see; the public API lists none, but a token
    /// would.
    #[serde(default)]
    visible: Option<u8>,
    #[serde(default)]
    message: String,
    #[serde(default, deserialize_with = "naive_utc")]
    occurred_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "naive_utc")]
    scheduled_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "naive_utc")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "naive_utc")]
    deleted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    updates: Lenient<RawUpdate>,
}

#[derive(Deserialize)]
struct RawUpdate {
    id: u64,
    status: Option<u8>,
    #[serde(default)]
    message: String,
    #[serde(default, deserialize_with = "naive_utc")]
    created_at: Option<DateTime<Utc>>,
}

pub(super) fn components(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Envelope<RawComponent> = text::json(PLATFORM, body)?;
    let mut snapshot = Snapshot::empty(PLATFORM);
    snapshot.components = doc
        .data
        .require_read(PLATFORM, "data")?
        .into_iter()
        .filter(|c| c.deleted_at.is_none())
        .map(|c| Component {
            id: c.id.to_string(),
            name: c.name,
            group: None,
            status: c.status.and_then(component_status),
        })
        .collect();
    Ok(snapshot)
}

pub(super) fn incidents(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Envelope<RawIncident> = text::json(PLATFORM, body)?;
    let mut snapshot = Snapshot::empty(PLATFORM);
    let listed = doc.data.require_read(PLATFORM, "data")?;
    for raw in listed
        .into_iter()
        .filter(|i| i.deleted_at.is_none() && i.visible != Some(0))
    {
        if raw.status == Some(0) && raw.latest_status.is_none_or(|s| s == 0) {
            snapshot.maintenances.push(maintenance(raw));
        } else {
            snapshot.incidents.push(incident(raw));
        }
    }
    Ok(snapshot)
}

fn incident(raw: RawIncident) -> Incident {
    let id = raw.id.to_string();
    let updates: Vec<Update<IncidentStatus>> = opening_message(raw.message, raw.created_at)
        .chain(
            raw.updates
                .keep_read(PLATFORM, &format!("updates of {id}"))
                .into_iter()
                .map(|u| Update {
                    id: u.id.to_string(),
                    status: u.status.and_then(incident_status),
                    body: u.message,
                    posted_at: u.created_at,
                }),
        )
        .collect();
    let status = raw.latest_status.or(raw.status).and_then(incident_status);
    // Cachet has no resolution time; the update that said "Fixed" has one. An incident
    // opened as fixed, without updates, has none.
    let resolved_at = status.filter(|s| s.is_closed()).and_then(|_| {
        updates
            .iter()
            .filter(|u| u.status == Some(IncidentStatus::Resolved))
            .filter_map(|u| u.posted_at)
            .max()
    });
    Incident {
        title: raw.name,
        // Cachet incidents carry no impact (the component status set with one is not kept on
        // the incident).
        impact: None,
        status,
        started_at: raw.occurred_at.or(raw.created_at),
        resolved_at,
        url: raw.permalink.filter(|p| !p.is_empty()),
        components: component_of(raw.component_id),
        updates,
        id,
    }
}

fn maintenance(raw: RawIncident) -> Maintenance {
    let id = raw.id.to_string();
    let updates = opening_message(raw.message, raw.created_at).collect();
    Maintenance {
        title: raw.name,
        status: Some(MaintenanceStatus::Scheduled),
        scheduled_for: raw.scheduled_at,
        // Cachet 2's schedules before 2.4 had a start only.
        scheduled_until: None,
        url: raw.permalink.filter(|p| !p.is_empty()),
        components: component_of(raw.component_id),
        updates,
        id,
    }
}

/// The incident's own message, its first entry: it has no id of its own and was posted when
/// the incident was created. "message" stays the same across reads.
fn opening_message<S>(
    message: String,
    created_at: Option<DateTime<Utc>>,
) -> impl Iterator<Item = Update<S>> {
    (!message.is_empty())
        .then(|| Update {
            id: "message".into(),
            status: None,
            body: message,
            posted_at: created_at,
        })
        .into_iter()
}

fn component_of(id: Option<u64>) -> Vec<String> {
    id.filter(|&c| c != 0)
        .map(|c| c.to_string())
        .into_iter()
        .collect()
}

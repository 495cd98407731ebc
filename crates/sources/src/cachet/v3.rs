//! Cachet 3's `GET /api/incidents`: `{data: [{id, type: "incidents", attributes: {…}}]}`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{Incident, Snapshot, Update};

use super::time::naive_utc;
use super::{PLATFORM, incident_status};
use crate::lenient::Lenient;
use crate::{ParseError, text};

#[derive(Deserialize)]
struct Envelope {
    data: Lenient<V3Incident>,
}

#[derive(Deserialize)]
struct V3Incident {
    id: String,
    attributes: V3Attributes,
}

#[derive(Deserialize)]
struct V3Attributes {
    name: String,
    message: Option<String>,
    component_id: Option<u64>,
    status: Option<V3Status>,
    occurred: Option<V3Time>,
    created: Option<V3Time>,
}

#[derive(Deserialize)]
struct V3Status {
    value: Option<u8>,
}

#[derive(Deserialize)]
struct V3Time {
    #[serde(default, deserialize_with = "naive_utc")]
    string: Option<DateTime<Utc>>,
}

pub(super) fn incidents(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Envelope = text::json(PLATFORM, body)?;
    let mut snapshot = Snapshot::empty(PLATFORM);
    snapshot.incidents = doc
        .data
        .require_read(PLATFORM, "data")?
        .into_iter()
        .map(incident)
        .collect();
    Ok(snapshot)
}

fn incident(raw: V3Incident) -> Incident {
    let a = raw.attributes;
    let status = a.status.and_then(|s| s.value).and_then(incident_status);
    let created = a.created.and_then(|t| t.string);
    let started_at = a.occurred.and_then(|t| t.string).or(created);
    // The incident's own message is its first entry; later ones come from
    // `/api/incidents/{id}/updates`. It has no id, and "message" stays the same across reads.
    // It was posted when the incident was created: without that time it has none.
    let updates = a
        .message
        .filter(|m| !m.is_empty())
        .map(|body| Update {
            id: "message".into(),
            status: None,
            body,
            posted_at: created,
        })
        .into_iter()
        .collect();
    Incident {
        id: raw.id,
        title: a.name,
        impact: None,
        status,
        started_at,
        // Cachet 3 states no resolution time, and this document carries no updates.
        resolved_at: None,
        url: None,
        components: a.component_id.map(|c| c.to_string()).into_iter().collect(),
        updates,
    }
}

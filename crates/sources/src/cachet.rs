//! Cachet, the self-hosted status page. Two documents are read:
//! - Cachet 2.x `GET /api/v1/components`: components with an integer status and a `group_id`.
//!   The group's name lives in another endpoint (`/api/v1/components/groups`), so it is left
//!   unknown here rather than made up from the id.
//! - Cachet 3 `GET /api/incidents`: JSON:API-style incidents.
//!
//! Cachet writes times without a zone (`2020-10-05 11:22:03`), in whatever zone the server is
//! set to, and the document does not say which. We read them as UTC, Cachet's default
//! `APP_TIMEZONE`; on a server set otherwise they are off by its offset, a known limit.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use vw_domain::{Component, ComponentStatus, Incident, IncidentStatus, Platform, Snapshot, Update};

use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Cachet;

/// Just enough of either document to tell which one it is.
#[derive(Deserialize)]
struct Sniff {
    data: Option<Vec<SniffItem>>,
}

#[derive(Deserialize)]
struct SniffItem {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Vec<T>,
}

#[derive(Deserialize)]
struct V2Component {
    id: u64,
    name: String,
    status: Option<u8>,
    #[serde(default, deserialize_with = "naive_utc")]
    deleted_at: Option<DateTime<Utc>>,
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

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let sniff: Sniff = text::json(PLATFORM, body)?;
    let Some(items) = sniff.data else {
        return Err(not_cachet("no `data` list"));
    };
    let mut snapshot = Snapshot::empty(PLATFORM);
    match items.first() {
        None => {}
        Some(SniffItem {
            kind: Some(kind), ..
        }) if kind == "incidents" => {
            let doc: Envelope<V3Incident> = text::json(PLATFORM, body)?;
            snapshot.incidents = doc.data.into_iter().map(v3_incident).collect();
        }
        Some(SniffItem {
            kind: Some(kind), ..
        }) => {
            return Err(not_cachet(&format!(
                "Cachet 3 `{kind}` documents are not read"
            )));
        }
        Some(SniffItem {
            message: Some(_), ..
        }) => return Err(not_cachet("Cachet 2 incidents are not read")),
        Some(_) => {
            let doc: Envelope<V2Component> = text::json(PLATFORM, body)?;
            snapshot.components = doc
                .data
                .into_iter()
                .filter(|c| c.deleted_at.is_none())
                .map(|c| Component {
                    id: c.id.to_string(),
                    name: c.name,
                    group: None,
                    status: c.status.and_then(component_status),
                })
                .collect();
        }
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

fn not_cachet(reason: &str) -> ParseError {
    ParseError::NotThisPlatform {
        platform: PLATFORM,
        reason: reason.into(),
    }
}

fn v3_incident(raw: V3Incident) -> Incident {
    let a = raw.attributes;
    let status = a.status.and_then(|s| s.value).and_then(incident_status);
    let created = a.created.and_then(|t| t.string);
    let started_at = a.occurred.and_then(|t| t.string).or(created);
    // The incident's own message is its first entry; later ones come from
    // `/api/incidents/{id}/updates`. It has no id, and "message" stays the same across reads.
    let updates = a
        .message
        .filter(|m| !m.is_empty())
        .map(|body| Update {
            id: "message".into(),
            status: None,
            body,
            posted_at: created.or(started_at),
        })
        .into_iter()
        .collect();
    Incident {
        id: raw.id,
        title: a.name,
        impact: None,
        status,
        started_at,
        resolved_at: None,
        url: None,
        components: a.component_id.map(|c| c.to_string()).into_iter().collect(),
        updates,
    }
}

/// Cachet component statuses: 1 Operational, 2 Performance Issues, 3 Partial Outage,
/// 4 Major Outage (0 is "unknown").
fn component_status(code: u8) -> Option<ComponentStatus> {
    match code {
        1 => Some(ComponentStatus::Operational),
        2 => Some(ComponentStatus::DegradedPerformance),
        3 => Some(ComponentStatus::PartialOutage),
        4 => Some(ComponentStatus::MajorOutage),
        _ => None,
    }
}

/// Cachet incident statuses: 1 Investigating, 2 Identified, 3 Watching, 4 Fixed (0 is
/// "scheduled" in 2.x and "unknown" in 3).
fn incident_status(code: u8) -> Option<IncidentStatus> {
    match code {
        1 => Some(IncidentStatus::Investigating),
        2 => Some(IncidentStatus::Identified),
        3 => Some(IncidentStatus::Monitoring),
        4 => Some(IncidentStatus::Resolved),
        _ => None,
    }
}

/// A zone-less `YYYY-MM-DD HH:MM:SS` read as UTC (see the module comment); RFC 3339 is taken as
/// written, in case a server sends it.
fn naive_utc<'de, D: Deserializer<'de>>(de: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(raw) = Option::<String>::deserialize(de)? else {
        return Ok(None);
    };
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(&raw, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc())
        .or_else(|_| DateTime::parse_from_rfc3339(&raw).map(|t| t.with_timezone(&Utc)))
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("not a Cachet time: {raw:?}")))
}

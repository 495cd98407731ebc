//! Cachet, the self-hosted status page. Three documents are read:
//! - Cachet 2.x `GET /api/v1/components`: components with an integer status and a `group_id`.
//!   The group's name lives in another endpoint (`/api/v1/components/groups`), so it is left
//!   unknown here rather than made up from the id.
//! - Cachet 2.x `GET /api/v1/incidents`: incidents with their `updates` (2.4), and, before 2.4
//!   moved them to `schedules`, maintenances as incidents of status 0 ("Scheduled").
//! - Cachet 3 `GET /api/incidents`: JSON:API-style incidents.
//!
//! Times: Cachet writes them without a zone (`2020-10-05 11:22:03`), in whatever zone the
//! server is set to, and no document says which (the API's `Time-Zone` request header only
//! sets the zone of the "now" it computes). They are read as UTC, Cachet's default
//! `APP_TIMEZONE`; a time written with an offset (RFC 3339) is read at its offset. On a server
//! set to another zone, naive times are off by its offset: a known limit.

mod time;
mod v2;
mod v3;

use serde::Deserialize;
use serde::de::IgnoredAny;
use vw_domain::{ComponentStatus, IncidentStatus, Platform, Snapshot};

use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Cachet;

/// Just enough of any of the documents to tell which one it is.
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

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let sniff: Sniff = text::json(PLATFORM, body)?;
    let Some(items) = sniff.data else {
        return Err(not_cachet("no `data` list"));
    };
    let mut snapshot = match items.first() {
        None => Snapshot::empty(PLATFORM),
        Some(SniffItem {
            kind: Some(kind), ..
        }) if kind == "incidents" => v3::incidents(body)?,
        Some(SniffItem {
            kind: Some(kind), ..
        }) => {
            return Err(not_cachet(&format!(
                "Cachet 3 `{kind}` documents are not read"
            )));
        }
        // Components have no message; incidents always have one, if only empty.
        Some(SniffItem {
            message: Some(_), ..
        }) => v2::incidents(body)?,
        Some(_) => v2::components(body)?,
    };
    snapshot.canonicalize();
    Ok(snapshot)
}

fn not_cachet(reason: &str) -> ParseError {
    ParseError::NotThisPlatform {
        platform: PLATFORM,
        reason: reason.into(),
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

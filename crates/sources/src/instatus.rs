//! Instatus: the page summary (`/summary.json`, on some pages `/api/v2/summary.json`). It
//! lists open incidents and maintenances only, without their updates or the components.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus, Page, Platform, Snapshot,
};

use crate::lenient::Lenient;
use crate::{ParseError, text};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    page: SummaryPage,
    #[serde(default)]
    active_incidents: Option<Lenient<ActiveIncident>>,
    #[serde(default)]
    active_maintenances: Option<Lenient<ActiveMaintenance>>,
}

/// The page's `status` (`UP`, `HASISSUES`, `UNDERMAINTENANCE`, and undocumented words such
/// as Perplexity's `ONEMAJOROUTAGE`) is not read, so any word passes: a snapshot has no page
/// status, the incidents say it.
#[derive(Debug, Deserialize)]
struct SummaryPage {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ActiveIncident {
    id: String,
    name: String,
    #[serde(default)]
    started: Option<DateTime<Utc>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    impact: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ActiveMaintenance {
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    start: Option<DateTime<Utc>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let summary: Summary = text::json(Platform::Instatus, body)?;
    if summary.active_incidents.is_none() && summary.active_maintenances.is_none() {
        return Err(ParseError::NotThisPlatform {
            platform: Platform::Instatus,
            reason: "the JSON has neither activeIncidents nor activeMaintenances".into(),
        });
    }
    let mut snapshot = Snapshot::empty(Platform::Instatus);
    snapshot.page = Page {
        name: summary.page.name,
        url: summary.page.url,
    };
    let incidents = match summary.active_incidents {
        Some(list) => list.require_read(Platform::Instatus, "activeIncidents")?,
        None => Vec::new(),
    };
    let maintenances = match summary.active_maintenances {
        Some(list) => list.require_read(Platform::Instatus, "activeMaintenances")?,
        None => Vec::new(),
    };
    snapshot.incidents = incidents
        .into_iter()
        .map(|i| Incident {
            impact: i.impact.as_deref().and_then(impact),
            status: i.status.as_deref().and_then(incident_status),
            started_at: i.started,
            resolved_at: None,
            url: i.url,
            components: Vec::new(),
            updates: Vec::new(),
            id: i.id,
            title: i.name,
        })
        .collect();
    snapshot.maintenances = maintenances
        .into_iter()
        .map(|m| Maintenance {
            // The id is optional in Instatus' typings; the url, else name and start, stand in.
            id: m.id.or_else(|| m.url.clone()).unwrap_or_else(|| {
                let start = m.start.map(|s| s.to_rfc3339()).unwrap_or_default();
                format!("{} {start}", m.name).trim().to_owned()
            }),
            status: m.status.as_deref().and_then(maintenance_status),
            scheduled_for: m.start,
            // `duration` comes without a documented unit: the end is left unknown.
            scheduled_until: None,
            url: m.url,
            components: Vec::new(),
            updates: Vec::new(),
            title: m.name,
        })
        .collect();
    snapshot.canonicalize();
    Ok(snapshot)
}

/// Instatus gives an incident the state of its worst component. Only "major outage" is
/// major: the partial and minor outages and degraded performance leave the service up for
/// most users, which is what `minor` means to the alert filters. `FULLOUTAGE` (seen only in
/// clients' defensive code) is a major outage by another name; nothing Instatus says is
/// `critical`. Maintenance is not an incident impact.
fn impact(word: &str) -> Option<Impact> {
    match word {
        "MAJOROUTAGE" | "FULLOUTAGE" => Some(Impact::Major),
        "PARTIALOUTAGE" | "MINOROUTAGE" | "DEGRADEDPERFORMANCE" => Some(Impact::Minor),
        "OPERATIONAL" => Some(Impact::None),
        _ => None,
    }
}

fn incident_status(word: &str) -> Option<IncidentStatus> {
    match word {
        "INVESTIGATING" => Some(IncidentStatus::Investigating),
        "IDENTIFIED" => Some(IncidentStatus::Identified),
        "MONITORING" => Some(IncidentStatus::Monitoring),
        "RESOLVED" => Some(IncidentStatus::Resolved),
        _ => None,
    }
}

/// From Instatus' client typings (FORMATS.md §3, unverified by a payload).
fn maintenance_status(word: &str) -> Option<MaintenanceStatus> {
    match word {
        "NOTSTARTEDYET" => Some(MaintenanceStatus::Scheduled),
        "INPROGRESS" => Some(MaintenanceStatus::InProgress),
        "COMPLETED" => Some(MaintenanceStatus::Completed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statuspage_summary_is_not_instatus() {
        let body = br#"{"page":{"id":"x","name":"GitHub","url":"u"},"status":{},"components":[],"incidents":[]}"#;
        assert!(matches!(
            parse(body),
            Err(ParseError::NotThisPlatform { .. })
        ));
    }

    #[test]
    fn maps_impacts_and_maintenances() {
        assert_eq!(impact("PARTIALOUTAGE"), Some(Impact::Minor));
        assert_eq!(impact("UNDERMAINTENANCE"), None);
        let body = br#"{"page":{"name":"P","url":"https://p.test","status":"UNDERMAINTENANCE"},
            "activeIncidents":[],"activeMaintenances":[{"name":"Upgrade","start":"2026-07-01T10:00:00Z",
            "status":"INPROGRESS","duration":"60","url":"https://p.test/m1"}]}"#;
        let snapshot = parse(body).map_err(|e| e.to_string());
        let m = snapshot.as_ref().ok().and_then(|s| s.maintenances.first());
        assert_eq!(m.map(|m| m.id.as_str()), Some("https://p.test/m1"));
        assert_eq!(
            m.and_then(|m| m.status),
            Some(MaintenanceStatus::InProgress)
        );
        assert_eq!(m.and_then(|m| m.scheduled_until), None);
    }
}

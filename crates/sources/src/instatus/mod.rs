//! Instatus: the page summary (`summary`) and the component list (`components`,
//! `/v3/components.json`), told apart by their keys.

mod components;
mod summary;

use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Snapshot};

use crate::{ParseError, text};

/// Just the keys that tell the two documents apart.
#[derive(serde::Deserialize)]
struct Keys {
    #[serde(default)]
    components: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    page: Option<serde::de::IgnoredAny>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let keys: Keys = text::json(vw_domain::Platform::Instatus, body)?;
    if keys.components.is_some() && keys.page.is_none() {
        components::parse(body)
    } else {
        summary::parse(body)
    }
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

/// Component states, as the components list and Instatus' typings write them.
fn component_status(word: &str) -> Option<ComponentStatus> {
    match word {
        "OPERATIONAL" => Some(ComponentStatus::Operational),
        "UNDERMAINTENANCE" => Some(ComponentStatus::UnderMaintenance),
        "DEGRADEDPERFORMANCE" => Some(ComponentStatus::DegradedPerformance),
        // A minor outage is an outage of part of the component.
        "PARTIALOUTAGE" | "MINOROUTAGE" => Some(ComponentStatus::PartialOutage),
        "MAJOROUTAGE" | "FULLOUTAGE" => Some(ComponentStatus::MajorOutage),
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

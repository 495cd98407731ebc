//! Cachet: 2.x components, 3.x incidents.

use vw_domain::{ComponentStatus, IncidentStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, component, ids, incident, parse};
use crate::support::{at, changed};

#[test]
fn cachet_v2_components() -> TestResult {
    let s = parse(
        Platform::Cachet,
        "cachet/yoti-cachet-v1-components-2020-10.json",
    )?;
    assert_eq!(
        ids(&s.components, |c| &c.id),
        ["1", "2", "3", "9", "6", "5", "4"]
    );
    let doc_scan = component(&s, "9")?;
    assert_eq!(doc_scan.name, "Yoti Doc Scan");
    assert_eq!(doc_scan.status, Some(ComponentStatus::Operational));
    assert_eq!(doc_scan.group, None, "group_id 2 names no group");
    assert!(s.incidents.is_empty());
    Ok(())
}

#[test]
fn cachet_v3_incidents() -> TestResult {
    let s = parse(
        Platform::Cachet,
        "cachet/cachet-v3-api-incidents-docs-example-2024-10-27.json",
    )?;
    assert_eq!(ids(&s.incidents, |i| &i.id), ["2", "1"]);
    let docs = incident(&s, "2")?;
    assert_eq!(docs.title, "Documentation Performance Degradation");
    assert_eq!(docs.status, Some(IncidentStatus::Investigating));
    // Zone-less times are read as UTC.
    assert_eq!(docs.started_at, at("2024-10-27T08:31:59Z"));
    assert!(docs.components.is_empty());
    assert_eq!(docs.updates.len(), 1);
    assert!(
        docs.updates[0]
            .body
            .starts_with("We're investigating an issue")
    );
    let dns = incident(&s, "1")?;
    assert_eq!(dns.status, Some(IncidentStatus::Resolved), "status 4 Fixed");
    assert_eq!(dns.impact, None);
    Ok(())
}

#[test]
fn one_bad_component_or_incident_skips_only_that_one() -> TestResult {
    let body = changed("cachet/yoti-cachet-v1-components-2020-10.json", |doc| {
        // Yoti Doc Scan.
        assert_eq!(doc["data"][3]["id"], json!(9));
        doc["data"][3]["deleted_at"] = json!("2026-13-45 99:99:99");
    });
    let s = vw_sources::parse(Platform::Cachet, &body)?;
    assert_eq!(
        ids(&s.components, |c| &c.id),
        ["1", "2", "3", "6", "5", "4"]
    );
    let v3 = "cachet/cachet-v3-api-incidents-docs-example-2024-10-27.json";
    let body = changed(v3, |doc| {
        doc["data"][0]["attributes"]["occurred"]["string"] = json!("2026-13-45 99:99:99");
    });
    let s = vw_sources::parse(Platform::Cachet, &body)?;
    assert_eq!(ids(&s.incidents, |i| &i.id), ["1"]);
    assert_eq!(incident(&s, "1")?.title, "DNS Provider Outage");
    Ok(())
}

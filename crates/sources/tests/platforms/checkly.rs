//! Checkly status pages' unresolved incidents.

use vw_domain::{Impact, IncidentStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, incident, parse};
use crate::support::{BAD_DATE, at, changed};

fn assert_checkly_audio(path: &str, id: &str, created: &str, update_id: &str) -> TestResult {
    let s = parse(Platform::Checkly, path)?;
    assert_eq!(s.incidents.len(), 1);
    let i = incident(&s, id)?;
    assert_eq!(i.title, "Audio API Degraded");
    assert_eq!(i.impact, Some(Impact::Minor), "severity MEDIUM");
    assert_eq!(i.status, Some(IncidentStatus::Investigating));
    assert_eq!(i.started_at, at(created));
    assert_eq!(i.components, ["d8e1e02e-48a4-4d97-8168-a8aabc1c51fb"]);
    assert_eq!(s.components.len(), 1);
    assert_eq!(s.components[0].name, "Audio API");
    assert_eq!(s.components[0].status, None);
    assert_eq!(i.updates.len(), 1);
    assert_eq!(i.updates[0].id, update_id);
    assert_eq!(i.updates[0].status, Some(IncidentStatus::Investigating));
    assert_eq!(i.updates[0].posted_at, at(created));
    Ok(())
}

#[test]
fn checkly_mistral_2026_07_23() -> TestResult {
    assert_checkly_audio(
        "checkly/mistral-unresolved-incidents-2026-07-23.json",
        "45b6034d-6147-42d2-9614-a69345b16982",
        "2026-07-23T15:07:51.540Z",
        "08b77149-b575-4f95-9619-d2c95319ef6b",
    )
}

#[test]
fn checkly_mistral_2026_07_27() -> TestResult {
    assert_checkly_audio(
        "checkly/mistral-unresolved-incidents-2026-07-27.json",
        "b3e1006c-c3a7-4b1b-8628-3e364b2e3c71",
        "2026-07-27T14:32:53.607Z",
        "1013e42b-acb1-4026-bdf8-905de6aec21f",
    )
}

#[test]
fn one_bad_update_skips_only_that_update() -> TestResult {
    let path = "checkly/mistral-unresolved-incidents-2026-07-23.json";
    let body = changed(path, |doc| {
        doc["incidents"][0]["incidentUpdates"][0]["publicIncidentUpdateDate"] = json!(BAD_DATE);
    });
    let s = vw_sources::parse(Platform::Checkly, &body)?;
    let i = incident(&s, "45b6034d-6147-42d2-9614-a69345b16982")?;
    assert_eq!(i.title, "Audio API Degraded");
    assert_eq!(i.started_at, at("2026-07-23T15:07:51.540Z"));
    assert!(i.updates.is_empty());
    Ok(())
}

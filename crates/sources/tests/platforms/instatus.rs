//! Instatus: the page summary.

use vw_domain::{Impact, IncidentStatus, Platform};
use vw_sources::instatus;

use serde_json::json;

use crate::support::{BAD_DATE, at, changed, incident, parsed};

#[test]
fn perplexity_instatus_summary_with_an_undocumented_page_status() {
    let s = parsed(
        instatus::parse,
        "instatus/perplexity-summary-major-2026-07-23.json",
    );
    assert_eq!(s.platform, Platform::Instatus);
    assert_eq!(s.page.name.as_deref(), Some("Perplexity"));
    let i = incident(&s, "cmrxt1rlu000f0zlcv4dzmdlr");
    assert_eq!(i.title, "Computer sandbox issues");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Some(IncidentStatus::Monitoring));
    assert_eq!(i.started_at, at("2026-07-23T17:48:28.028Z"));
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.perplexity.com/cmrxt1rlu000f0zlcv4dzmdlr")
    );
    assert!(i.updates.is_empty() && s.maintenances.is_empty());
}

/// Perplexity's summary lists one incident: the test adds a second one, a copy with a bad
/// start, which alone is skipped.
#[test]
fn one_bad_incident_skips_only_that_incident() {
    let body = changed("instatus/perplexity-summary-major-2026-07-23.json", |doc| {
        let mut bad = doc["activeIncidents"][0].clone();
        bad["id"] = json!("bad");
        bad["started"] = json!(BAD_DATE);
        doc["activeIncidents"].as_array_mut().unwrap().push(bad);
    });
    let s = instatus::parse(&body).unwrap();
    assert_eq!(s.incidents.len(), 1);
    assert_eq!(
        incident(&s, "cmrxt1rlu000f0zlcv4dzmdlr").started_at,
        at("2026-07-23T17:48:28.028Z")
    );
    // With the one real incident bad too, nothing is left: that is refused, not read as empty.
    let body = changed("instatus/perplexity-summary-major-2026-07-23.json", |doc| {
        doc["activeIncidents"][0]["started"] = json!(BAD_DATE);
    });
    assert!(instatus::parse(&body).is_err());
}

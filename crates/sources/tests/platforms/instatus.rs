//! Instatus: the page summary.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, Platform};
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

/// Instatus' `/v3/components.json`, a minimal document built for the case: no captured payload
/// of it could be found (only clients that fetch it). Its shape is Instatus' typings'
/// (`{components: [{id, name, description, status, group}]}`): a group is a component others
/// name in `group: {id, name}`, and the "Europe" group here sits in the "Regions" group.
const COMPONENTS: &str = r#"{"components": [
  {"id": "ckgroupregions", "name": "Regions", "description": "", "status": "OPERATIONAL", "group": null},
  {"id": "ckgroupeurope", "name": "Europe", "description": "", "status": "PARTIALOUTAGE",
   "group": {"id": "ckgroupregions", "name": "Regions"}},
  {"id": "ckfrankfurt", "name": "Frankfurt", "description": "FRA", "status": "PARTIALOUTAGE",
   "group": {"id": "ckgroupeurope", "name": "Europe"}},
  {"id": "ckapi", "name": "API", "description": "", "status": "MAJOROUTAGE", "group": null},
  {"id": "ckdocs", "name": "Docs", "description": "", "status": "UNDERMAINTENANCE",
   "group": {"id": "ckgroupgone", "name": "Websites"}},
  {"id": "ckloop1", "name": "Loop one", "status": "OPERATIONAL", "group": {"id": "ckloop2", "name": "Loop two"}},
  {"id": "ckloop2", "name": "Loop two", "status": "OPERATIONAL", "group": {"id": "ckloop1", "name": "Loop one"}},
  {"id": "ckmember", "name": "Member", "status": "DEGRADEDPERFORMANCE", "group": {"id": "ckloop1", "name": "Loop one"}}
]}"#;

#[test]
fn instatus_components_with_nested_groups() {
    let s = instatus::parse(COMPONENTS.as_bytes()).unwrap();
    assert_eq!(s.platform, Platform::Instatus);
    let names: Vec<(&str, Option<&str>)> = s
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.group.as_deref()))
        .collect();
    // The groups (Regions, Europe, both loop members are groups too) are not components.
    assert_eq!(
        names,
        [
            ("Frankfurt", Some("Regions / Europe")),
            ("API", None),
            ("Docs", Some("Websites")),
            ("Member", Some("Loop two / Loop one")),
        ]
    );
    let status = |id: &str| s.components.iter().find(|c| c.id == id).unwrap().status;
    assert_eq!(status("ckfrankfurt"), Some(ComponentStatus::PartialOutage));
    assert_eq!(status("ckapi"), Some(ComponentStatus::MajorOutage));
    assert_eq!(status("ckdocs"), Some(ComponentStatus::UnderMaintenance));
    assert!(s.incidents.is_empty() && s.page.name.is_none());
    assert_eq!(
        vw_sources::detect::platform_of(COMPONENTS.as_bytes()),
        Some(Platform::Instatus)
    );
}

//! Hostile vendor text, injected by the tests into a real summary (the file on disk stays as
//! captured): whatever the platform, `vw_sources::parse` hands on text a database and a page
//! can hold.

use serde_json::{Value, json};
use vw_domain::{CUT_MARKER, Platform, was_cut};

use crate::support::read;

const SUMMARY: &str = "atlassian-statuspage/claude-summary-major-outage-2026-07-29.json";

fn summary_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(&read(SUMMARY)).unwrap();
    change(&mut doc);
    serde_json::to_vec(&doc).unwrap()
}

#[test]
fn nul_in_a_title_a_body_and_a_component_name_is_removed() {
    let body = summary_with(|doc| {
        doc["incidents"][0]["name"] = json!("Elevated errors\u{0} across all models");
        doc["incidents"][0]["incident_updates"][0]["body"] =
            json!("We are currently\u{0} investigating\u{1b} this issue.\u{7f}");
        doc["components"][0]["name"] = json!("claude\u{0}.ai\u{9b}");
    });
    // The JSON really carries them, as `\u0000`.
    assert!(String::from_utf8_lossy(&body).contains("\\u0000"));
    let s = vw_sources::parse(Platform::Statuspage, &body).unwrap();
    let i = &s.incidents[0];
    assert_eq!(i.title, "Elevated errors across all models");
    assert_eq!(
        i.updates[0].body,
        "We are currently investigating this issue."
    );
    let claude_ai = s
        .components
        .iter()
        .find(|c| c.id == "rwppv331jlwc")
        .unwrap();
    assert_eq!(claude_ai.name, "claude.ai");
    let stored = serde_json::to_string(&s).unwrap();
    assert!(!stored.contains("\\u0000") && !stored.contains('\u{0}'));
}

#[test]
fn a_one_mebibyte_title_is_capped_and_marked() {
    let title = "Elevated errors ".repeat(65_536);
    assert_eq!(title.len(), 1 << 20);
    let body = summary_with(|doc| doc["incidents"][0]["name"] = json!(title));
    let s = vw_sources::parse(Platform::Statuspage, &body).unwrap();
    let i = &s.incidents[0];
    assert!(was_cut(&i.title), "{}", i.title);
    assert!(i.title.chars().count() <= 300);
    assert!(i.title.chars().count() >= 270);
    assert!(i.title.starts_with("Elevated errors Elevated errors"));
    assert!(i.title.ends_with(&format!("errors{CUT_MARKER}")));
    // The untouched titles and bodies are not marked.
    assert!(!was_cut(&i.updates[0].body));
}

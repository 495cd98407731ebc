//! docs/webhooks.md is what receivers code against: every type is documented, and each
//! example is exactly what vendorwatch sends for the test alerts.

#![allow(clippy::unwrap_used)]

mod common;

use vw_notify::{AlertKind, webhook};

fn docs() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/webhooks.md");
    std::fs::read_to_string(path).unwrap()
}

/// The first ```json block after the heading of `kind`.
fn example(docs: &str, kind: AlertKind) -> serde_json::Value {
    let heading = format!("### `{}`", kind.as_str());
    let section = docs
        .split(&heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no section for {kind}"));
    let block = section
        .split("```json\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    serde_json::from_str(block).unwrap()
}

#[test]
fn every_type_is_documented_with_the_payload_we_send() {
    let docs = docs();
    for kind in AlertKind::ALL {
        let alert = common::every_kind()
            .into_iter()
            .find(|a| a.kind() == kind)
            .unwrap();
        assert_eq!(
            &example(&docs, kind),
            webhook::render(&alert).json(),
            "the example of {kind} in docs/webhooks.md is out of date"
        );
    }
}

#[test]
fn the_documented_retry_schedule_is_the_one_in_the_code() {
    let docs = docs();
    // However the paragraph is wrapped.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let listed = "immediately, 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours, 14 hours, 20 hours and 24 hours";
    assert!(words(&docs).contains(listed));
    let hours: Vec<u64> = webhook::RETRY_SCHEDULE
        .iter()
        .map(|d| d.as_secs())
        .collect();
    assert_eq!(
        hours,
        [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    );
    assert!(docs.contains(&format!("at most {} bytes", "20,000")));
    assert_eq!(webhook::MAX_BYTES, 20_000);
}

//! Teams cards validate against the Adaptive Card 1.4 JSON schema (tests/schemas/, copied
//! unedited from microsoft/AdaptiveCards; see its NOTICE.md).

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value;
use vw_notify::teams;

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/adaptive-card-1.4.json")).unwrap();
    jsonschema::draft6::new(&schema).unwrap()
}

/// The card of `message`, less `msteams`: Teams' documented host extension (full width),
/// which the generic schema does not list and forbids as an additional property.
fn card_without_host_extension(message: &teams::Message) -> Value {
    let json = message.json();
    assert_eq!(json["type"], "message");
    let attachments = json["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "exactly one card per request");
    assert_eq!(
        attachments[0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let mut card = attachments[0]["content"].clone();
    let extension = card.as_object_mut().unwrap().remove("msteams");
    assert_eq!(extension, Some(serde_json::json!({ "width": "Full" })));
    card
}

fn assert_valid(validator: &jsonschema::Validator, message: &teams::Message) {
    let card = card_without_host_extension(message);
    let errors: Vec<String> = validator
        .iter_errors(&card)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn every_kind_of_card_is_valid_adaptive_card_1_4() {
    let validator = validator();
    for alert in common::every_kind() {
        assert_valid(&validator, &teams::render(&alert));
    }
}

#[test]
fn cards_of_hostile_text_are_valid_too() {
    let validator = validator();
    for fill in common::hostile_snippets() {
        assert_valid(&validator, &teams::render(&common::hostile(fill)));
    }
}

#[test]
fn the_schema_catches_a_broken_card() {
    // Proves the validator is really checking: an unknown element type must fail.
    let validator = validator();
    let mut card = card_without_host_extension(&teams::render(&common::test_ping()));
    card["body"][0]["type"] = Value::from("Marquee");
    assert!(!validator.is_valid(&card));
    let mut card = card_without_host_extension(&teams::render(&common::test_ping()));
    card["body"][1]["inlines"][0]["wrap"] = Value::Bool(true);
    assert!(!validator.is_valid(&card), "TextRun has no wrap property");
}

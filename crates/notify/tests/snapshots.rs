//! The rendered messages of a typical alert, as committed snapshots (tests/snapshots/):
//! any change to what users receive shows up in review.

#![allow(clippy::unwrap_used)]

mod common;

use vw_notify::{IncidentEvent, discord, email, slack, teams, webhook};

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn slack_incident_opened() {
    let message = slack::render(&common::incident(IncidentEvent::Opened));
    insta::assert_snapshot!(pretty(message.json()));
}

#[test]
fn discord_incident_opened() {
    let message = discord::render(&common::incident(IncidentEvent::Opened));
    insta::assert_snapshot!(pretty(message.json()));
}

#[test]
fn teams_incident_opened() {
    let message = teams::render(&common::incident(IncidentEvent::Opened));
    insta::assert_snapshot!(pretty(message.json()));
}

#[test]
fn webhook_payloads_of_every_kind() {
    // The examples of docs/webhooks.md come from here.
    let all: Vec<serde_json::Value> = common::every_kind()
        .iter()
        .map(|alert| webhook::render(alert).json().clone())
        .collect();
    insta::assert_snapshot!(pretty(&serde_json::Value::Array(all)));
}

#[test]
fn email_incident_opened() {
    let parts = email::parts(
        &common::incident(IncidentEvent::Opened),
        &common::recipient(),
    )
    .unwrap();
    insta::assert_snapshot!("email_incident_opened_subject", parts.subject);
    insta::assert_snapshot!("email_incident_opened_text", parts.text);
    insta::assert_snapshot!("email_incident_opened_html", parts.html);
}

#[test]
fn email_maintenance_reminder_text() {
    let parts = email::parts(&common::reminder(), &common::recipient()).unwrap();
    insta::assert_snapshot!(parts.text);
}

#[test]
fn slack_maintenance_reminder() {
    insta::assert_snapshot!(pretty(slack::render(&common::reminder()).json()));
}

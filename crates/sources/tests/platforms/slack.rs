//! Slack's status API: current and history.

use vw_domain::{Impact, IncidentStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, ids, incident, parse};
use crate::support::{BAD_DATE, at, changed};

#[test]
fn slack_current_active() -> TestResult {
    let s = parse(
        Platform::Slack,
        "slack/slack-status-api-v2-current-active-incident-2020-07-30.json",
    )?;
    assert_eq!(ids(&s.incidents, |i| &i.id), ["878", "879"]);
    let i = incident(&s, "878")?;
    assert_eq!(
        i.title,
        "We are investigating an issue with notification settings"
    );
    assert_eq!(i.impact, Some(Impact::Minor), "type incident");
    assert_eq!(i.status, None, "active: open, stage unknown");
    assert_eq!(i.started_at, at("2020-07-30T22:12:34Z"));
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.slack.com/2020-07/ea58a170d343b2ad")
    );
    assert_eq!(i.components, ["Notifications"]);
    assert_eq!(
        ids(&s.components, |c| &c.id),
        ["Notifications", "Apps/Integrations/APIs"]
    );
    Ok(())
}

#[test]
fn slack_current_ok() -> TestResult {
    let s = parse(
        Platform::Slack,
        "slack/slack-status-api-v2-current-ok-docs-example.json",
    )?;
    assert!(s.incidents.is_empty());
    assert!(s.components.is_empty());
    Ok(())
}

#[test]
fn slack_history_2019() -> TestResult {
    let s = parse(
        Platform::Slack,
        "slack/slack-status-api-v2-history-2019-08.json",
    )?;
    assert_eq!(s.incidents.len(), 116);
    assert!(
        s.incidents
            .iter()
            .all(|i| i.status == Some(IncidentStatus::Resolved))
    );
    let count = |impact| {
        s.incidents
            .iter()
            .filter(|i| i.impact == Some(impact))
            .count()
    };
    assert_eq!(
        (
            count(Impact::Major),
            count(Impact::Minor),
            count(Impact::None)
        ),
        (6, 105, 5)
    );
    assert_eq!(s.components.len(), 10);
    let sidebar = incident(&s, "756")?;
    assert_eq!(
        sidebar.title,
        "DMs and starred channels missing from sidebar"
    );
    assert_eq!(sidebar.updates.len(), 10);
    assert_eq!(sidebar.updates[0].posted_at, at("2019-08-23T17:53:23Z"));
    assert_eq!(sidebar.updates[0].id, "2019-08-23T17:53:23Z");
    assert_eq!(sidebar.updates[9].posted_at, at("2019-08-26T22:32:23Z"));
    // The oldest incident of the file is last.
    assert_eq!(s.incidents.last().map(|i| i.id.as_str()), Some("625"));
    Ok(())
}

#[test]
fn slack_history_docs_example() -> TestResult {
    let s = parse(
        Platform::Slack,
        "slack/slack-status-api-v2-history-docs-example.json",
    )?;
    let i = incident(&s, "546")?;
    assert_eq!(
        i.title,
        "Slack\u{2019}s forwarding email feature is failing for some customers"
    );
    assert_eq!(i.status, None);
    assert_eq!(i.components, ["Apps/Integrations/APIs"]);
    assert_eq!(i.updates.len(), 1);
    assert!(i.updates[0].body.starts_with("Technical Summary:\r\n"));
    assert_eq!(i.updates[0].posted_at, at("2018-09-08T01:34:15Z"));
    Ok(())
}

#[test]
fn one_bad_incident_or_note_skips_only_that_one() -> TestResult {
    let body = changed("slack/slack-status-api-v2-history-2019-08.json", |doc| {
        doc[0]["date_created"] = json!(BAD_DATE);
        doc[1]["notes"][0]["date_created"] = json!(BAD_DATE);
    });
    let s = vw_sources::parse(Platform::Slack, &body)?;
    assert_eq!(s.incidents.len(), 115);
    assert!(incident(&s, "756").is_err());
    assert_eq!(incident(&s, "757")?.updates.len(), 3);
    Ok(())
}

/// The second corpus' five newest history incidents of 2026, one still active, with `-07:00`
/// offsets and notes written as HTML.
#[test]
fn slack_history_of_2026_with_html_notes() -> TestResult {
    let s = parse(
        Platform::Slack,
        "corpus/slack/slack-history-5-2026-08-18.json",
    )?;
    assert_eq!(
        ids(&s.incidents, |i| &i.id),
        ["1576", "1575", "1574", "1573", "1572"]
    );
    let active = incident(&s, "1576")?;
    assert_eq!(
        active.title,
        "Trouble Accessing Historical Messages With Custom Data Retention Policies Enabled"
    );
    assert_eq!(active.status, None);
    assert_eq!(active.impact, Some(Impact::Minor));
    // "2026-08-13T14:21:41-07:00"
    assert_eq!(active.started_at, at("2026-08-13T21:21:41Z"));
    assert_eq!(active.resolved_at, None);
    assert_eq!(
        active.components,
        ["Messaging", "Workspace/Org Administration"]
    );
    assert_eq!(active.updates.len(), 6);
    assert_eq!(
        active.updates[0].body,
        "Users with custom data retention policies enabled might be unable to see or load older messages. We apologize for the trouble and we'll share more news as it becomes available."
    );
    let search = incident(&s, "1575")?;
    assert_eq!(search.status, Some(IncidentStatus::Resolved));
    // Slack gives no resolution time (date_updated moves with every edit).
    assert_eq!(search.resolved_at, None);
    assert!(
        search.updates[2]
            .body
            .starts_with("We've completed the rollback of the recent change")
    );
    assert!(!search.updates[2].body.contains("<br>"));
    assert_eq!(s.components.len(), 6);
    Ok(())
}

//! AWS Health's current events and the legacy dashboard's `data.json`.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, Platform};

use serde_json::{Value, json};

use crate::support::checked::{TestResult, component, incident, parse};
use crate::support::{BAD_DATE, at, changed};

#[test]
fn aws_health_current_events_utf16() -> TestResult {
    let s = parse(
        Platform::Aws,
        "aws/health-currentevents-utf16-2026-08-01.json",
    )?;
    // 289 impacted services, of which the global ones repeat across the two events.
    assert_eq!(s.components.len(), 284);
    let rds = component(&s, "rds-me-central-1")?;
    assert_eq!(rds.name, "Amazon Relational Database Service");
    assert_eq!(rds.group.as_deref(), Some("me-central-1"));
    assert_eq!(rds.status, Some(ComponentStatus::PartialOutage));
    let global = component(&s, "globalaccelerator")?;
    assert_eq!(global.group, None);
    assert_eq!(global.status, Some(ComponentStatus::Operational));

    assert_eq!(s.incidents.len(), 2);
    assert!(
        s.incidents[0]
            .id
            .starts_with("arn:aws:health:me-south-1::event/")
    );
    let uae = &s.incidents[1];
    assert_eq!(
        uae.id,
        "arn:aws:health:me-central-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_5E6B8_EF2498889B5"
    );
    assert_eq!(uae.title, "Increased Error Rates");
    assert_eq!(uae.impact, Some(Impact::Major), "status \"3\"");
    assert_eq!(uae.started_at, at("2026-03-01T12:51:25Z"));
    assert!(uae.components.iter().any(|c| c == "rds-me-central-1"));
    assert_eq!(uae.updates.len(), 23);
    assert_eq!(
        uae.updates[0].body,
        "We are investigating issues with AWS services in the ME-CENTRAL-1 Region."
    );
    assert_eq!(uae.updates[22].posted_at, at("2026-04-30T07:25:54Z"));
    Ok(())
}

#[test]
fn aws_legacy_data_json() -> TestResult {
    let s = parse(
        Platform::Aws,
        "aws/status-aws-data-json-archive-2022-07.json",
    )?;
    assert_eq!(s.incidents.len(), 86);
    assert_eq!(s.components.len(), 63);
    assert!(
        s.incidents
            .iter()
            .all(|i| i.status == Some(IncidentStatus::Resolved))
    );
    let acm = incident(&s, "certificatemanager-us-east-1-1624993969")?;
    assert_eq!(acm.title, "Increased API Error Rates and Latency");
    assert_eq!(acm.impact, Some(Impact::Major));
    assert_eq!(acm.started_at, at("2021-06-29T19:12:49Z"));
    assert_eq!(acm.components, ["certificatemanager-us-east-1"]);
    assert_eq!(acm.updates.len(), 10);
    // 12:12 PM PDT on the day the event began.
    assert_eq!(acm.updates[0].posted_at, at("2021-06-29T19:12:00Z"));
    assert_eq!(
        acm.updates[0].body,
        "We are investigating increased API latency and error rates in the US-EAST-1 Region."
    );
    // 7:46 PM PDT, the resolution.
    assert_eq!(acm.resolved_at, at("2021-06-30T02:46:00Z"));
    assert_eq!(
        component(&s, "certificatemanager-us-east-1")?.name,
        "AWS Certificate Manager (N. Virginia)"
    );

    // A timeline that runs past midnight dates the first label of the new day.
    let dynamo = incident(&s, "dynamodb-us-east-1-1628298493")?;
    assert_eq!(dynamo.updates.len(), 9);
    assert_eq!(dynamo.updates[6].posted_at, at("2021-08-07T06:11:00Z"));
    assert_eq!(dynamo.updates[7].posted_at, at("2021-08-07T08:50:00Z"));
    assert_eq!(dynamo.resolved_at, at("2021-08-07T09:53:00Z"));
    Ok(())
}

#[test]
fn one_bad_event_or_log_entry_skips_only_that_one() -> TestResult {
    let body = changed("aws/status-aws-data-json-archive-2022-07.json", |doc| {
        doc["archive"][0]["date"] = json!(BAD_DATE);
    });
    let s = vw_sources::parse(Platform::Aws, &body)?;
    assert_eq!(s.incidents.len(), 85);
    assert!(incident(&s, "internetconnectivity-us-east-2-1624564393").is_err());

    // The UTF-16 current events, re-encoded by the test as UTF-8 JSON.
    let raw = crate::support::read("aws/health-currentevents-utf16-2026-08-01.json");
    let units: Vec<u16> = raw[2..]
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let mut doc: Value = serde_json::from_str(&String::from_utf16(&units)?)?;
    doc[0]["event_log"][3]["timestamp"] = json!("not a time");
    let s = vw_sources::parse(Platform::Aws, &serde_json::to_vec(&doc)?)?;
    let arn = "arn:aws:health:me-central-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_5E6B8_EF2498889B5";
    assert_eq!(incident(&s, arn)?.updates.len(), 22);
    assert_eq!(s.incidents.len(), 2);
    Ok(())
}

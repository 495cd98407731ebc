//! Each parser of part B against every real payload in `tests/fixtures` (the shared fixtures,
//! copied unedited), asserting values read from the files by hand.

use std::error::Error;
use std::io::Read;

use chrono::{DateTime, Utc};
use vw_domain::{
    Component, ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus,
    Platform, Snapshot,
};

type TestResult = Result<(), Box<dyn Error>>;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

fn fixture(path: &str) -> Result<Vec<u8>, Box<dyn Error>> {
    let full = format!("{FIXTURES}{path}");
    std::fs::read(&full).map_err(|e| format!("{full}: {e}").into())
}

fn parse(platform: Platform, path: &str) -> Result<Snapshot, Box<dyn Error>> {
    let snapshot = vw_sources::parse(platform, &fixture(path)?)?;
    assert_eq!(snapshot.platform, platform);
    Ok(snapshot)
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn incident<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Incident, Box<dyn Error>> {
    Ok(s.incidents
        .iter()
        .find(|i| i.id == id)
        .ok_or(format!("no incident {id}"))?)
}

fn maintenance<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Maintenance, Box<dyn Error>> {
    Ok(s.maintenances
        .iter()
        .find(|m| m.id == id)
        .ok_or(format!("no maintenance {id}"))?)
}

fn component<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Component, Box<dyn Error>> {
    Ok(s.components
        .iter()
        .find(|c| c.id == id)
        .ok_or(format!("no component {id}"))?)
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(id).collect()
}

#[test]
fn betterstack_huggingface_downtime() -> TestResult {
    let s = parse(
        Platform::Betterstack,
        "betterstack/huggingface-index-downtime-2026-07-19.json",
    )?;
    assert_eq!(s.page.name.as_deref(), Some("Hugging Face"));
    assert_eq!(
        s.page.url.as_deref(),
        Some("https://status.huggingface.co/")
    );
    assert_eq!(s.components.len(), 8);
    let spaces = component(&s, "306621")?;
    assert_eq!(spaces.name, "Spaces Proxy");
    assert_eq!(spaces.group.as_deref(), Some("Spaces"));
    assert_eq!(spaces.status, Some(ComponentStatus::MajorOutage));
    assert_eq!(component(&s, "8810148")?.group.as_deref(), Some("CDN"));

    // Five reports: three manual ones are incidents, two maintenances.
    assert_eq!(ids(&s.incidents, |i| &i.id), ["965809", "939240", "919822"]);
    let hub = incident(&s, "965809")?;
    assert_eq!(hub.title, "Hub unavailable");
    assert_eq!(hub.status, Some(IncidentStatus::Resolved));
    assert_eq!(hub.impact, Some(Impact::Critical), "an update set downtime");
    assert_eq!(hub.started_at, at("2026-07-16T08:30:00Z"));
    assert_eq!(hub.resolved_at, at("2026-07-16T10:07:00Z"));
    assert_eq!(hub.components, ["84641", "84642", "8379104"]);
    // Linked out of order in the source; oldest first here.
    assert_eq!(
        ids(&hub.updates, |u| &u.id),
        ["5410504", "5410587", "5410962"]
    );
    assert_eq!(hub.updates[2].status, Some(IncidentStatus::Resolved));
    assert_eq!(hub.updates[0].status, None);
    assert!(
        hub.updates[2]
            .body
            .starts_with("Services are back to nominal")
    );

    let asia = incident(&s, "919822")?;
    assert_eq!(asia.impact, Some(Impact::Minor));
    assert_eq!(asia.resolved_at, at("2026-06-10T10:50:00Z"));

    assert_eq!(ids(&s.maintenances, |m| &m.id), ["961899", "946090"]);
    let upcoming = maintenance(&s, "961899")?;
    assert_eq!(upcoming.title, "Scheduled maintenance: Inference Endpoints");
    assert_eq!(
        upcoming.status, None,
        "before or during its window: unknown"
    );
    assert_eq!(upcoming.scheduled_for, at("2026-07-22T07:00:00Z"));
    assert_eq!(upcoming.scheduled_until, at("2026-07-22T08:00:00Z"));
    assert_eq!(upcoming.components, ["8379104", "8379105"]);
    let jobs = maintenance(&s, "946090")?;
    assert_eq!(jobs.status, Some(MaintenanceStatus::Completed));
    assert_eq!(jobs.updates.len(), 2);
    assert_eq!(jobs.updates[1].body, "Maintenance ended");
    Ok(())
}

#[test]
fn statusio_docker_operational() -> TestResult {
    let s = parse(
        Platform::Statusio,
        "statusio/docker-public-status-operational-2026-07-13.json",
    )?;
    // 20 status.io components, one of them in two containers.
    assert_eq!(s.components.len(), 21);
    assert!(
        s.components
            .iter()
            .all(|c| c.status == Some(ComponentStatus::Operational))
    );
    let registry = component(&s, "5342d1b837768a325c00000b/64513de85fc76c053615177e")?;
    assert_eq!(registry.name, "Docker Web Services");
    assert_eq!(registry.group.as_deref(), Some("Docker Hub Registry"));
    let governance: Vec<&str> = s
        .components
        .iter()
        .filter(|c| c.group.as_deref() == Some("Docker AI Governance"))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(governance, ["Client Machines", "Docker Web Services"]);
    assert!(s.incidents.is_empty() && s.maintenances.is_empty());
    Ok(())
}

#[test]
fn statusio_docker_partial_disruption() -> TestResult {
    let s = parse(
        Platform::Statusio,
        "statusio/docker-public-status-partial-disruption-2020-07-16.json",
    )?;
    assert_eq!(s.components.len(), 8);
    let builds_id = "5342bc9420974b775d000008/582c71876fb4f24615000489";
    let builds = component(&s, builds_id)?;
    assert_eq!(builds.group.as_deref(), Some("Docker Hub Automated Builds"));
    assert_eq!(builds.name, "AWS");
    assert_eq!(builds.status, Some(ComponentStatus::PartialOutage));
    let i = incident(&s, "5f108cc06e9c9104c0553a46")?;
    assert_eq!(i.title, "Docker Hub automated builds issue");
    assert_eq!(i.impact, Some(Impact::Major), "message status 400");
    assert_eq!(i.status, None);
    assert_eq!(i.started_at, at("2020-07-16T17:22:08.325Z"));
    assert_eq!(i.components, [builds_id]);
    assert_eq!(i.updates.len(), 1);
    assert_eq!(i.updates[0].posted_at, at("2020-07-16T17:22:08.369Z"));
    assert_eq!(i.updates[0].id, "2020-07-16T17:22:08.369Z");
    assert!(
        i.updates[0]
            .body
            .starts_with("We are investigating reports")
    );
    Ok(())
}

#[test]
fn statusio_gitlab_planned_maintenance() -> TestResult {
    let s = parse(
        Platform::Statusio,
        "statusio/gitlab-public-status-planned-maintenance-2020-09-05.json",
    )?;
    assert_eq!(s.components.len(), 15);
    let pair = "5f4e8819413cdd04b6882c94/5b36e11140e76c04b7220a31";
    let dashboards = component(&s, pair)?;
    assert_eq!(dashboards.group.as_deref(), Some("dashboards.gitlab.com"));
    assert_eq!(dashboards.status, Some(ComponentStatus::UnderMaintenance));

    assert_eq!(s.maintenances.len(), 1);
    let m = maintenance(&s, "5f4e8b7f2250a004bc3453da")?;
    assert_eq!(m.title, "Maintenance on dashboards.gitlab.com");
    assert_eq!(
        m.status,
        Some(MaintenanceStatus::InProgress),
        "listed as active"
    );
    assert_eq!(m.scheduled_for, at("2020-09-02T17:55:00Z"));
    assert_eq!(m.scheduled_until, at("2020-09-07T17:55:00Z"));
    assert_eq!(m.components, [pair]);
    assert_eq!(m.updates.len(), 2);
    assert_eq!(m.updates[1].posted_at, at("2020-09-05T09:38:00Z"));

    assert_eq!(s.incidents.len(), 1);
    let i = incident(&s, "5f52b8074ef75804bc7d2c3e")?;
    assert_eq!(i.title, "500 Error - User Notification Settings ");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.started_at, at("2020-09-04T21:56:00Z"));
    assert_eq!(i.updates.len(), 2);
    Ok(())
}

#[test]
fn statusio_gitlab_security_issue() -> TestResult {
    let s = parse(
        Platform::Statusio,
        "statusio/gitlab-public-status-security-issue-2020-02-09.json",
    )?;
    assert_eq!(s.components.len(), 13);
    // 600 "Security Issue" says nothing about availability.
    let unknown = s.components.iter().filter(|c| c.status.is_none()).count();
    assert_eq!(unknown, 5);
    assert_eq!(
        component(&s, "5b36e05f02d06804c0834a09/5b36e11140e76c04b7220a31")?
            .group
            .as_deref(),
        Some("API")
    );
    let i = incident(&s, "5e3d877d593d1b04c4620561")?;
    assert_eq!(
        i.title,
        "https://gitlab.com/gitlab-com/gl-infra/production/issues/1635"
    );
    assert_eq!(i.impact, None, "every message is 600");
    assert_eq!(i.components.len(), 5);
    assert_eq!(i.started_at, at("2020-02-07T15:51:25.249Z"));
    Ok(())
}

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
fn heroku_incident() -> TestResult {
    let s = parse(
        Platform::Heroku,
        "heroku/heroku-status-api-incident-2019-10-24.json",
    )?;
    assert_eq!(ids(&s.components, |c| &c.id), ["Apps", "Data", "Tools"]);
    assert!(
        s.components
            .iter()
            .all(|c| c.status == Some(ComponentStatus::DegradedPerformance))
    );
    let i = incident(&s, "1918")?;
    assert_eq!(
        i.title,
        "Connection timeouts to applications and Heroku Postgres"
    );
    assert_eq!(i.impact, Some(Impact::Minor), "worst colour yellow");
    assert_eq!(i.status, Some(IncidentStatus::Investigating));
    assert_eq!(i.started_at, at("2019-10-24T18:39:30.231Z"));
    assert_eq!(i.resolved_at, None);
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.heroku.com/incidents/1918")
    );
    assert_eq!(ids(&i.updates, |u| &u.id), ["6090", "6091"]);
    assert_eq!(i.updates[1].status, None, "update_type issue");
    assert!(s.maintenances.is_empty());
    Ok(())
}

#[test]
fn heroku_scheduled_maintenance() -> TestResult {
    let s = parse(
        Platform::Heroku,
        "heroku/heroku-status-api-scheduled-maintenance-2020-11.json",
    )?;
    assert_eq!(
        component(&s, "Data")?.status,
        Some(ComponentStatus::UnderMaintenance)
    );
    assert_eq!(
        component(&s, "Apps")?.status,
        Some(ComponentStatus::Operational)
    );
    assert!(s.incidents.is_empty());
    let m = maintenance(&s, "2120")?;
    assert_eq!(
        m.title,
        "Data Service Update on Monday, November 9 at 19:00 UTC (14:00 EST)"
    );
    assert_eq!(m.status, Some(MaintenanceStatus::Completed));
    assert_eq!(m.scheduled_for, None);
    let statuses: Vec<_> = m.updates.iter().map(|u| u.status).collect();
    assert_eq!(
        statuses,
        [
            Some(MaintenanceStatus::Scheduled),
            Some(MaintenanceStatus::InProgress),
            Some(MaintenanceStatus::InProgress),
            Some(MaintenanceStatus::Completed),
        ]
    );
    assert_eq!(m.updates[0].posted_at, at("2020-10-30T00:55:34.418Z"));
    Ok(())
}

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
fn gcp_incidents_json() -> TestResult {
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(&fixture("gcp/gcp-incidents-json-full-2022-07-03.json.gz")?[..])
        .read_to_end(&mut body)?;
    assert_eq!(body.len(), 1_347_448);
    let s = vw_sources::parse(Platform::Gcp, &body)?;
    assert_eq!(s.incidents.len(), 157);
    assert_eq!(s.components.len(), 60);
    assert!(s.components.iter().all(|c| c.status.is_none()));
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
        (20, 118, 19)
    );

    let bq = &s.incidents[0];
    assert_eq!(bq.id, "TaA75H7XA1DQyM2ReK2f");
    assert_eq!(
        bq.title,
        "[Google BigQuery] Lower throughput from the Read API"
    );
    assert_eq!(
        bq.impact,
        Some(Impact::None),
        "SERVICE_INFORMATION, severity low"
    );
    assert_eq!(bq.status, Some(IncidentStatus::Resolved));
    assert_eq!(bq.started_at, at("2022-07-01T13:37:44Z"));
    assert_eq!(bq.resolved_at, at("2022-07-01T19:25:45Z"));
    assert_eq!(
        bq.url.as_deref(),
        Some("https://status.cloud.google.com/incidents/TaA75H7XA1DQyM2ReK2f")
    );
    assert_eq!(bq.components, ["9CcrhHUcFevXPSVaSxkf"]);
    assert_eq!(
        component(&s, "9CcrhHUcFevXPSVaSxkf")?.name,
        "Google BigQuery"
    );
    // Newest first in the source, oldest first here.
    assert_eq!(bq.updates.len(), 5);
    assert_eq!(bq.updates[0].posted_at, at("2022-07-01T14:04:53Z"));
    assert_eq!(bq.updates[0].status, None);
    assert_eq!(bq.updates[4].id, "2022-07-01T19:25:45+00:00");
    assert_eq!(bq.updates[4].status, Some(IncidentStatus::Resolved));
    assert!(
        bq.updates[4]
            .body
            .starts_with("The issue with Google BigQuery has been resolved")
    );

    let oldest = s.incidents.last().ok_or("no incidents")?;
    assert_eq!(oldest.id, "WXwFb7tx1XvHyGaxwdYs");
    assert_eq!(oldest.started_at, at("2021-07-07T21:25:00Z"));
    Ok(())
}

#[test]
fn html_is_not_a_json_platform() {
    let html = b"<!DOCTYPE html><html><body>Service Unavailable</body></html>";
    for platform in [
        Platform::Betterstack,
        Platform::Statusio,
        Platform::Checkly,
        Platform::Cachet,
        Platform::Slack,
        Platform::Heroku,
        Platform::Aws,
        Platform::Gcp,
    ] {
        let err = vw_sources::parse(platform, html).err();
        assert!(
            matches!(err, Some(vw_sources::ParseError::NotThisPlatform { .. })),
            "{platform}: {err:?}"
        );
    }
}

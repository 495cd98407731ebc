//! status.io's public status document.

use vw_domain::{ComponentStatus, Impact, MaintenanceStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, component, incident, maintenance, parse};
use crate::support::{BAD_DATE, at, changed};

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

#[test]
fn one_bad_container_or_message_skips_only_that_one() -> TestResult {
    let path = "statusio/docker-public-status-partial-disruption-2020-07-16.json";
    let body = changed(path, |doc| {
        for row in doc["result"]["status"].as_array_mut().unwrap() {
            if row["id"] == json!("5342bc9420974b775d000008") {
                row["containers"][0]["status_code"] = json!("four hundred");
            }
        }
        doc["result"]["incidents"][0]["messages"][0]["datetime"] = json!(BAD_DATE);
    });
    let s = vw_sources::parse(Platform::Statusio, &body)?;
    // Its only container unreadable, Docker Hub Automated Builds is skipped whole.
    assert_eq!(s.components.len(), 7);
    assert!(component(&s, "5342bc9420974b775d000008/582c71876fb4f24615000489").is_err());
    assert!(component(&s, "5342bc9420974b775d000008").is_err());
    assert!(component(&s, "5342d1b837768a325c00000b/582c71876fb4f24615000489").is_ok());
    let i = incident(&s, "5f108cc06e9c9104c0553a46")?;
    assert_eq!(i.title, "Docker Hub automated builds issue");
    assert!(i.updates.is_empty());
    Ok(())
}

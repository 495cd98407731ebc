//! Heroku's current status.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, component, ids, incident, maintenance, parse};
use crate::support::{BAD_DATE, at, changed};

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
fn one_bad_update_skips_only_that_update() -> TestResult {
    let body = changed("heroku/heroku-status-api-incident-2019-10-24.json", |doc| {
        doc["incidents"][0]["updates"][0]["created_at"] = json!(BAD_DATE);
    });
    let s = vw_sources::parse(Platform::Heroku, &body)?;
    let i = incident(&s, "1918")?;
    assert_eq!(ids(&i.updates, |u| &u.id), ["6090"]);
    assert_eq!(i.updates[0].posted_at, at("2019-10-24T18:39:30.231Z"));
    assert_eq!(s.components.len(), 3);
    Ok(())
}

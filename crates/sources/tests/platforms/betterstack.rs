//! Better Stack's `index.json`.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};

use serde_json::json;

use crate::support::checked::{TestResult, component, ids, incident, maintenance, parse};
use crate::support::{BAD_DATE, at, changed};

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
fn one_bad_report_skips_only_that_report() -> TestResult {
    let body = changed(
        "betterstack/huggingface-index-downtime-2026-07-19.json",
        |doc| {
            // The "Hub unavailable" report.
            assert_eq!(doc["included"][25]["id"], json!("965809"));
            doc["included"][25]["attributes"]["starts_at"] = json!(BAD_DATE);
        },
    );
    let s = vw_sources::parse(Platform::Betterstack, &body)?;
    assert_eq!(s.components.len(), 8);
    let reports = ids(&s.incidents, |i| &i.id).len() + s.maintenances.len();
    assert_eq!(reports, 4);
    assert!(incident(&s, "965809").is_err());
    assert_eq!(
        incident(&s, "919822")?.title,
        "Data serving slowness in Asia region"
    );
    Ok(())
}

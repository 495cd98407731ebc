//! Google Cloud's `incidents.json` (stored gzipped).

use std::io::Read;

use vw_domain::{Impact, IncidentStatus, Platform};

use serde_json::{Value, json};

use crate::support::checked::{TestResult, component, fixture, incident};
use crate::support::{BAD_DATE, at};

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
fn one_bad_incident_or_update_skips_only_that_one() -> TestResult {
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(&fixture("gcp/gcp-incidents-json-full-2022-07-03.json.gz")?[..])
        .read_to_end(&mut body)?;
    let mut doc: Value = serde_json::from_slice(&body)?;
    doc[3]["begin"] = json!(BAD_DATE);
    doc[0]["updates"][1]["when"] = json!(BAD_DATE);
    let s = vw_sources::parse(Platform::Gcp, &serde_json::to_vec(&doc)?)?;
    assert_eq!(s.incidents.len(), 156);
    assert!(incident(&s, "V3AJNVDysYF1EXttKC3N").is_err());
    assert_eq!(incident(&s, "TaA75H7XA1DQyM2ReK2f")?.updates.len(), 4);
    Ok(())
}

/// The second corpus' two incidents of July 2026, each ending with its full Incident Report.
#[test]
fn gcp_incidents_ending_with_their_incident_reports() -> TestResult {
    let s = vw_sources::parse(
        Platform::Gcp,
        &fixture("corpus/gcp/gcp-incidents-2-with-postmortem-2026-08-18.json")?,
    )?;
    assert_eq!(s.incidents.len(), 2);
    let gcve = incident(&s, "3BvH3LVGcupoYqV6F4Nw")?;
    assert!(
        gcve.title
            .starts_with("Google Cloud VMware Engine (GCVE), Google Cloud NetApp Volumes")
    );
    assert_eq!(gcve.impact, Some(Impact::Minor), "SERVICE_DISRUPTION");
    assert_eq!(gcve.status, Some(IncidentStatus::Resolved));
    assert_eq!(gcve.started_at, at("2026-07-15T23:57:00Z"));
    assert_eq!(gcve.resolved_at, at("2026-07-16T12:25:00Z"));
    assert_eq!(gcve.components.len(), 3);
    assert_eq!(
        gcve.url.as_deref(),
        Some("https://status.cloud.google.com/incidents/3BvH3LVGcupoYqV6F4Nw")
    );
    assert_eq!(gcve.updates.len(), 12);
    let report = gcve.updates.last().ok_or("no updates")?;
    assert_eq!(report.posted_at, at("2026-07-25T13:16:55Z"));
    assert!(report.body.starts_with("## \\# Incident Report"));
    let stretched = incident(&s, "T8gmtofFSTGT5tbhyciF")?;
    assert_eq!(stretched.components, ["9H6gWUHvb2ZubeoxzQ1Y"]);
    assert_eq!(stretched.updates.len(), 11);
    assert_eq!(stretched.resolved_at, at("2026-07-15T03:40:00Z"));
    assert_eq!(s.components.len(), 3);
    Ok(())
}

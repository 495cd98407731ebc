//! The second corpus' Statuspage `/api/v2` documents (`corpus/statuspage/`, see its
//! SOURCES.md), each read with values checked against the file.

use serde_json::Value;
use vw_domain::{ComponentStatus, Impact, IncidentStatus, Platform};
use vw_sources::statuspage;

use crate::support::{at, changed, incident, parsed, statuses};

fn corpus(file: &str) -> vw_domain::Snapshot {
    parsed(statuspage::parse, &format!("corpus/statuspage/{file}"))
}

#[test]
fn github_summary_with_nothing_open() {
    let s = corpus("github-summary-operational-2026-07-31.json");
    assert_eq!(s.page.name.as_deref(), Some("GitHub"));
    assert_eq!(s.page.url.as_deref(), Some("https://www.githubstatus.com"));
    assert_eq!(s.components.len(), 12);
    assert!(
        s.components
            .iter()
            .all(|c| c.status == Some(ComponentStatus::Operational) && c.group.is_none())
    );
    let copilot_models = s
        .components
        .iter()
        .find(|c| c.id == "cnnb39dkkk82")
        .unwrap();
    assert_eq!(copilot_models.name, "Copilot AI Model Providers");
    assert!(s.incidents.is_empty() && s.maintenances.is_empty());
}

/// The same summary with its `incidents` and `scheduled_maintenances` keys taken out by the
/// test: no real summary without them was captured, but incident.io's leaves the maintenances
/// out and some pages send neither. It still gives the page and its components.
#[test]
fn a_summary_without_its_lists_still_gives_page_and_components() {
    let path = "corpus/statuspage/github-summary-operational-2026-07-31.json";
    let body = changed(path, |doc| {
        let doc = doc.as_object_mut().unwrap();
        doc.remove("incidents");
        doc.remove("scheduled_maintenances");
        assert_eq!(
            doc.keys().collect::<Vec<_>>(),
            ["components", "page", "status"]
        );
    });
    let s = statuspage::parse(&body).unwrap();
    assert_eq!(s.page.name.as_deref(), Some("GitHub"));
    assert_eq!(s.components.len(), 12);
    assert_eq!(
        vw_sources::detect::platform_of(&body),
        Some(Platform::Statuspage)
    );
    // incident.io's dialect, with a ULID page id, reads the same.
    let incidentio = changed(path, |doc| {
        doc["page"]["id"] = Value::from("01JMDK9XYNY6RXSED6SDWW50WY");
        let doc = doc.as_object_mut().unwrap();
        doc.remove("incidents");
        doc.remove("scheduled_maintenances");
    });
    let s = vw_sources::parse(Platform::Incidentio, &incidentio).unwrap();
    assert_eq!(s.components.len(), 12);
}

#[test]
fn github_incidents_json_lists_fifty_of_every_impact() {
    let s = corpus("github-incidents-50-2026-07-31.json");
    assert_eq!(s.incidents.len(), 50);
    assert!(s.maintenances.is_empty() && s.components.is_empty());
    let count = |impact| {
        s.incidents
            .iter()
            .filter(|i| i.impact == Some(impact))
            .count()
    };
    assert_eq!(
        [Impact::None, Impact::Minor, Impact::Major, Impact::Critical].map(count),
        [3, 26, 10, 11]
    );
    assert!(
        s.incidents
            .iter()
            .all(|i| i.status == Some(IncidentStatus::Resolved) && i.resolved_at.is_some())
    );
    let updates: usize = s.incidents.iter().map(|i| i.updates.len()).sum();
    assert_eq!(updates, 287);
    let newest = &s.incidents[0];
    assert_eq!(newest.id, "9tpgqq1h4bs7");
    assert_eq!(
        newest.title,
        "Copilot model Claude Fable 5 experiencing elevated errors"
    );
    assert_eq!(newest.started_at, at("2026-07-30T09:07:42.413Z"));
    assert_eq!(newest.resolved_at, at("2026-07-30T10:12:15.489Z"));
    assert_eq!(newest.components, ["cnnb39dkkk82"]);
    let oldest = &s.incidents[49];
    assert_eq!(oldest.id, "rhqcgg8lg6mm");
    assert_eq!(oldest.title, "Disruption with OpenAI Models");
    assert_eq!(oldest.impact, Some(Impact::Critical));
    assert_eq!(oldest.started_at, at("2026-05-28T19:01:00.362Z"));
    let actions = incident(&s, "pz7g535gbs6p");
    assert_eq!(actions.title, "Actions run failures and delays");
    assert_eq!(actions.impact, Some(Impact::Critical));
    assert_eq!(actions.resolved_at, at("2026-07-25T13:13:21.503Z"));
}

#[test]
fn github_incidents_trimmed_to_five_with_a_36_update_incident() {
    let s = corpus("github-incidents-5-trimmed-2026-08-18.json");
    let ids: Vec<&str> = s.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "gx7js8bd0jpz",
            "bmpybhnrky3x",
            "zkxwbgr0cnmx",
            "pf25whpq58hh",
            "24t8gsgqx2qb"
        ]
    );
    let big = incident(&s, "zkxwbgr0cnmx");
    assert_eq!(big.title, "Incident with GitHub.com");
    assert_eq!(big.impact, Some(Impact::Critical));
    assert_eq!(big.updates.len(), 36);
    assert_eq!(big.started_at, at("2026-08-17T13:40:03.620Z"));
    assert_eq!(big.resolved_at, at("2026-08-17T21:15:46.623Z"));
    assert_eq!(
        big.updates.last().and_then(|u| u.status),
        Some(IncidentStatus::Resolved)
    );
    let actions = incident(&s, "gx7js8bd0jpz");
    assert_eq!(actions.impact, Some(Impact::Major));
    assert_eq!(actions.resolved_at, at("2026-08-18T10:23:23.000Z"));
}

#[test]
fn a_2012_incident_backfilled_in_2018_keeps_its_display_time() {
    let s = corpus("githubstatus-incident-02svc292644w-backfilled-2012-10-11.json");
    let i = incident(&s, "02svc292644w");
    assert_eq!(i.title, "Incident on 2012-10-11 14:31:25 UTC");
    assert_eq!(i.impact, Some(Impact::Minor));
    // The source says it was resolved when it started; that is what is read.
    assert_eq!(i.started_at, at("2012-10-11T14:31:25Z"));
    assert_eq!(i.resolved_at, at("2012-10-11T14:31:25Z"));
    assert_eq!(i.url.as_deref(), Some("http://stspg.io/dad820a3f"));
    assert!(i.components.is_empty());
    assert_eq!(i.updates.len(), 1);
    let u = &i.updates[0];
    assert_eq!(u.id, "cgw5v844bfpq");
    // display_at (2012), not created_at (2018-12-05).
    assert_eq!(u.posted_at, at("2012-10-11T14:31:25Z"));
    // The body is the vendor's HTML, kept as written.
    assert!(
        u.body
            .starts_with("<ul><li><strong>2012-10-11 14:31:25</strong>")
    );
}

#[test]
fn edited_display_times_order_the_updates() {
    let s = corpus("githubstatus-incident-jy1pvm2ckjwh-display-at-edited-2020-08-31.json");
    let i = incident(&s, "jy1pvm2ckjwh");
    assert_eq!(i.title, "Incident on 2020-08-31 15:19 UTC");
    assert_eq!(i.components, ["st3j38cctv9l"]);
    assert_eq!(i.resolved_at, at("2020-08-31T17:18:01.926Z"));
    assert_eq!(i.updates.len(), 7);
    let first = &i.updates[0];
    assert_eq!(first.id, "h08y44lr4kc5");
    // display_at 15:19:03.000, created_at 15:19:03.932.
    assert_eq!(first.posted_at, at("2020-08-31T15:19:03Z"));
    let edited = i.updates.iter().find(|u| u.id == "dtz4djnqvspj").unwrap();
    assert_eq!(edited.posted_at, at("2020-08-31T15:25:22Z"));
    let inv = Some(IncidentStatus::Investigating);
    assert_eq!(
        statuses(&i.updates),
        [inv, inv, inv, inv, inv, inv, Some(IncidentStatus::Resolved)]
    );
}

#[test]
fn nineteen_updates_touching_eight_components() {
    let s = corpus("githubstatus-incident-nf7s6933tnn8-19-updates-8-components-2023-05-11.json");
    let i = incident(&s, "nf7s6933tnn8");
    assert!(
        i.title
            .starts_with("Incident with Actions, API Requests, Codespaces")
    );
    assert_eq!(i.impact, Some(Impact::Minor));
    assert_eq!(i.updates.len(), 19);
    assert_eq!(i.components.len(), 8);
    assert!(i.components.iter().any(|c| c == "h2ftsgbw7kmk"));
    assert_eq!(i.started_at, at("2023-05-11T13:33:22.798Z"));
    assert_eq!(i.resolved_at, at("2023-05-11T19:00:31.037Z"));
    let reindexed = i.updates.iter().find(|u| u.id == "jk3t3b96trst").unwrap();
    assert!(
        reindexed
            .body
            .starts_with("We\u{2019}ve reindexed a little over half")
    );
    assert_eq!(reindexed.posted_at, at("2023-05-11T18:19:10.161Z"));
}

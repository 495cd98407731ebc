//! Statuspage's `/api/v2` JSON: summaries, lists, single incidents.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};

use serde_json::json;
use vw_sources::statuspage;

use crate::support::{BAD_DATE, at, changed, incident, maintenance, read, statuses, statuspage};

#[test]
fn bitbucket_summary_has_an_open_incident_with_impact_none() {
    let s = statuspage("bitbucket-summary-operational-2026-07-31.json");
    assert_eq!(s.platform, Platform::Statuspage);
    assert_eq!(s.page.name.as_deref(), Some("Atlassian Bitbucket"));
    // The page's own id: the same one at another address is the same page.
    assert_eq!(s.page.id.as_deref(), Some("bqlf8qjztdtr"));
    assert_eq!(s.components.len(), 13);
    assert!(
        s.components
            .iter()
            .all(|c| c.status == Some(ComponentStatus::Operational))
    );
    // showcase:false without a group, like GitHub's placeholder, and a real component.
    let api = s
        .components
        .iter()
        .find(|c| c.id == "k0x2yw1435v7")
        .unwrap();
    assert_eq!((api.name.as_str(), api.group.as_deref()), ("API", None));
    let i = incident(&s, "0y9sqyfyl262");
    assert_eq!(i.title, "BitBucket Site fails to Load");
    assert_eq!(i.impact, Some(Impact::None));
    assert_eq!(i.status, Some(IncidentStatus::Monitoring));
    assert_eq!(i.started_at, at("2026-07-31T13:09:55.108Z"));
    assert_eq!(i.url.as_deref(), Some("https://stspg.io/21tkhnmzjbxx"));
    assert_eq!(i.components.len(), 13);
    assert_eq!(i.updates.len(), 1);
    assert!(s.maintenances.is_empty());
}

#[test]
fn claude_maintenances_go_through_verifying_to_completed() {
    let s = statuspage("claude-scheduled-maintenances-completed-2026-09-15.json");
    assert!(s.incidents.is_empty() && s.components.is_empty());
    assert_eq!(s.maintenances.len(), 2);
    let m = maintenance(&s, "x017628t2rl5");
    assert_eq!(m.title, "Upgrades to Connector Auth Storage");
    assert_eq!(m.status, Some(MaintenanceStatus::Completed));
    assert_eq!(m.scheduled_for, at("2025-08-29T01:25:00Z"));
    assert_eq!(m.scheduled_until, at("2025-08-29T02:40:00Z"));
    assert_eq!(
        statuses(&m.updates),
        [
            MaintenanceStatus::Scheduled,
            MaintenanceStatus::InProgress,
            MaintenanceStatus::Verifying,
            MaintenanceStatus::Completed
        ]
        .map(Some)
    );
    assert_eq!(maintenance(&s, "16z0qdmy3qv2").components.len(), 2);
}

#[test]
fn claude_summary_major_outage() {
    let s = statuspage("claude-summary-major-outage-2026-07-29.json");
    assert_eq!(s.components.len(), 6);
    let claude_ai = s
        .components
        .iter()
        .find(|c| c.id == "rwppv331jlwc")
        .unwrap();
    assert_eq!(claude_ai.name, "claude.ai");
    assert_eq!(claude_ai.status, Some(ComponentStatus::MajorOutage));
    let i = incident(&s, "q2kg8n613kr3");
    assert_eq!(i.title, "Elevated errors across all models");
    assert_eq!(i.impact, Some(Impact::Critical));
    assert_eq!(i.status, Some(IncidentStatus::Investigating));
    assert_eq!(i.components.len(), 4);
    assert_eq!(
        i.updates[0].body,
        "We are currently investigating this issue."
    );
    assert_eq!(i.updates[0].posted_at, at("2026-07-29T19:49:45.537Z"));
}

#[test]
fn cloudamqp_summary_maintenance_in_progress() {
    let s = statuspage("cloudamqp-summary-maintenance-in-progress-2020-07-16.json");
    assert_eq!(s.components.len(), 23);
    let shared = s
        .components
        .iter()
        .find(|c| c.name == "Shared servers")
        .unwrap();
    assert_eq!(shared.status, Some(ComponentStatus::UnderMaintenance));
    assert!(s.incidents.is_empty());
    let m = maintenance(&s, "qy6n39trpl7l");
    assert_eq!(m.status, Some(MaintenanceStatus::InProgress));
    assert_eq!(m.scheduled_for, at("2020-07-16T21:00:00Z"));
    assert_eq!(m.scheduled_until, at("2020-07-16T23:00:00Z"));
    assert_eq!(m.components, ["m9jl6sdbs4vb"]);
    assert_eq!(
        statuses(&m.updates),
        [
            Some(MaintenanceStatus::Scheduled),
            Some(MaintenanceStatus::InProgress)
        ]
    );
}

#[test]
fn cloudflare_summary_drops_its_8_groups_and_names_them_on_members() {
    let s = statuspage("cloudflare-summary-groups-major-2026-07-29.json");
    // 470 entries, of which 8 are group headers.
    assert_eq!(s.components.len(), 462);
    assert!(
        !s.components
            .iter()
            .any(|c| c.name == "Europe" || c.id == "zqxhg7y54vy8")
    );
    let ams = s
        .components
        .iter()
        .find(|c| c.id == "57ctn3f2qsyj")
        .unwrap();
    assert_eq!(ams.name, "Amsterdam, Netherlands - (AMS)");
    assert_eq!(ams.group.as_deref(), Some("Europe"));
    let i = incident(&s, "z325n2dc14tk");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Some(IncidentStatus::Identified));
    assert_eq!(i.components, ["57srcl8zcn7c"]);
    assert_eq!(s.maintenances.len(), 16);
    let in_progress = s
        .maintenances
        .iter()
        .filter(|m| m.status == Some(MaintenanceStatus::InProgress));
    assert_eq!(in_progress.count(), 4);
    // Newest start first.
    assert_eq!(s.maintenances[0].title, "EWR (Newark) on 2026-09-02");
}

#[test]
fn github_unresolved_incidents_empty() {
    let s = statuspage("github-incidents-unresolved-empty-2026-07-13.json");
    assert_eq!(s.page.name.as_deref(), Some("GitHub"));
    assert_eq!(s.page.url.as_deref(), Some("https://www.githubstatus.com"));
    assert!(s.incidents.is_empty() && s.components.is_empty() && s.maintenances.is_empty());
}

#[test]
fn github_status_json_gives_the_page_only() {
    let s = statuspage("github-status-none-2026-07-13.json");
    assert_eq!(s.page.name.as_deref(), Some("GitHub"));
    assert!(s.incidents.is_empty() && s.components.is_empty());
}

#[test]
fn github_docs_example_converts_offsets_and_falls_back_to_created_at() {
    let s = statuspage("github-summary-api-docs-example-2020-07.json");
    let status = |name: &str| s.components.iter().find(|c| c.name == name).unwrap().status;
    assert_eq!(status("API"), Some(ComponentStatus::PartialOutage));
    assert_eq!(
        status("Management Portal"),
        Some(ComponentStatus::MajorOutage)
    );
    let i = incident(&s, "cp306tmzcl0y");
    // No started_at in 2014: created_at, "2014-05-14T14:22:39.441-06:00".
    assert_eq!(i.started_at, at("2014-05-14T20:22:39.441Z"));
    assert_eq!(i.url.as_deref(), Some("http://stspg.co:5000/Q0E"));
    assert!(i.components.is_empty());
    let m = maintenance(&s, "w1zdr745wmfy");
    assert_eq!(m.scheduled_for, at("2014-05-18T04:00:00Z"));
    assert_eq!(m.status, Some(MaintenanceStatus::Scheduled));
    assert_eq!(
        maintenance(&s, "k7mf5z1gz05c").status,
        Some(MaintenanceStatus::InProgress)
    );
}

#[test]
fn github_summary_major_keeps_the_placeholder_component() {
    let s = statuspage("github-summary-major-2026-07-24.json");
    assert_eq!(s.components.len(), 12);
    assert!(
        s.components
            .iter()
            .any(|c| c.name == "Visit www.githubstatus.com for more information")
    );
    let prs = s
        .components
        .iter()
        .find(|c| c.id == "hhtssxt0f5v2")
        .unwrap();
    assert_eq!(prs.status, Some(ComponentStatus::MajorOutage));
    let i = incident(&s, "jxd617hfwfq8");
    assert_eq!(i.title, "Incident with Pull Requests");
    assert_eq!(i.impact, Some(Impact::Critical));
    assert_eq!(i.components, ["hhtssxt0f5v2"]);
    let ids: Vec<&str> = i.updates.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["x8wzbkbbfblq", "d2g87ttcmj6n", "2zmhwpgd2kyc"]);
}

#[test]
fn github_incident_with_30_updates_and_8_components() {
    let s = statuspage("githubstatus-incident-f0mhbz9xn497-major-30-updates-2023-05-09.json");
    let i = incident(&s, "f0mhbz9xn497");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Some(IncidentStatus::Resolved));
    assert_eq!(i.updates.len(), 30);
    assert_eq!(i.components.len(), 8);
    assert_eq!(i.resolved_at, at("2023-05-09T21:14:09.894Z"));
    assert_eq!(
        i.updates[0].body,
        "We are investigating reports of degraded performance for Git Operations."
    );
    assert_eq!(i.updates[29].status, Some(IncidentStatus::Resolved));
}

#[test]
fn github_critical_incident_uses_display_at_for_the_edited_update() {
    let s = statuspage("githubstatus-incident-gqx5l06jjxhp-critical-2023-06-29.json");
    let i = incident(&s, "gqx5l06jjxhp");
    assert_eq!(i.impact, Some(Impact::Critical));
    assert_eq!(i.components.len(), 10);
    assert_eq!(i.updates.len(), 8);
    let rca = i.updates.iter().find(|u| u.id == "18krpgp3f309").unwrap();
    // created_at is 18:36:19.484, display_at 18:36:19.000.
    assert_eq!(rca.posted_at, at("2023-06-29T18:36:19Z"));
    assert!(rca.body.starts_with("From 17:39-18:12 UTC GitHub was down"));
}

#[test]
fn github_incident_with_impact_none() {
    let s = statuspage("githubstatus-incident-kv978bsgr4kb-impact-none-2019-05-29.json");
    let i = incident(&s, "kv978bsgr4kb");
    assert_eq!(i.title, "Incident on 2019-05-29 02:11 UTC");
    assert_eq!(i.impact, Some(Impact::None));
    assert_eq!(i.components, ["0l2p9nhqnxpd"]);
    assert_eq!(
        statuses(&i.updates),
        [
            Some(IncidentStatus::Investigating),
            Some(IncidentStatus::Resolved)
        ]
    );
}

#[test]
fn twilio_summary_converts_minus_seven_hours_and_names_groups() {
    let s = statuspage("twilio-summary-incident-groups-2020-06-16.json");
    // 73 entries, 8 of them groups.
    assert_eq!(s.components.len(), 65);
    let studio = s
        .components
        .iter()
        .find(|c| c.id == "7c6yv3vctfqv")
        .unwrap();
    assert_eq!(
        (studio.name.as_str(), studio.group.as_deref()),
        ("Studio", Some("SERVERLESS"))
    );
    let ungrouped = s.components.iter().find(|c| c.name == "PROXY").unwrap();
    assert_eq!(ungrouped.group, None);
    let i = incident(&s, "4dtnnnnxnhn9");
    // "2020-06-16T13:27:41.521-07:00"
    assert_eq!(i.started_at, at("2020-06-16T20:27:41.521Z"));
    assert_eq!(i.impact, Some(Impact::Minor));
    assert_eq!(i.components, ["kqr83rygcwwf"]);
    assert_eq!(incident(&s, "r0f0vdz8vrgm").components.len(), 4);
    assert_eq!(s.maintenances.len(), 9);
    assert_eq!(
        maintenance(&s, "pdjdlgl6w07h").scheduled_for,
        at("2020-06-17T04:00:00Z")
    );
}

/// One bad date (or a name that is a number) in one item of Twilio's summary skips that item
/// alone: the other incident, the other maintenances, the other components are all read.
#[test]
fn one_bad_item_in_a_summary_skips_only_that_item() {
    let twilio = "atlassian-statuspage/twilio-summary-incident-groups-2020-06-16.json";
    let body = changed(twilio, |doc| {
        doc["incidents"][0]["created_at"] = json!(BAD_DATE);
        doc["scheduled_maintenances"][0]["scheduled_for"] = json!(BAD_DATE);
        doc["components"][3]["name"] = json!(42);
    });
    let s = statuspage::parse(&body).unwrap();
    let ids: Vec<&str> = s.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["r0f0vdz8vrgm"]);
    assert_eq!(incident(&s, "r0f0vdz8vrgm").components.len(), 4);
    assert_eq!(s.maintenances.len(), 8);
    assert!(!s.maintenances.iter().any(|m| m.id == "9szb6ydlg10w"));
    assert_eq!(
        maintenance(&s, "pdjdlgl6w07h").scheduled_for,
        at("2020-06-17T04:00:00Z")
    );
    // 73 entries, 8 of them groups, one (TaskRouter) unreadable.
    assert_eq!(s.components.len(), 64);
    assert!(!s.components.iter().any(|c| c.id == "b9z92qjr2p04"));
}

#[test]
fn a_read_that_skipped_an_item_says_it_is_incomplete() {
    let twilio = "atlassian-statuspage/twilio-summary-incident-groups-2020-06-16.json";
    let whole = vw_sources::parse(Platform::Statuspage, &read(twilio)).unwrap();
    assert!(!whole.incomplete);
    let body = changed(twilio, |doc| {
        doc["scheduled_maintenances"][0]["scheduled_for"] = json!(BAD_DATE);
    });
    let thinned = vw_sources::parse(Platform::Statuspage, &body).unwrap();
    assert!(
        thinned.incomplete,
        "the diff must not take the skipped one as cancelled"
    );
    assert_eq!(thinned.maintenances.len(), whole.maintenances.len() - 1);
}

#[test]
fn one_bad_update_skips_only_that_update() {
    let path =
        "atlassian-statuspage/githubstatus-incident-f0mhbz9xn497-major-30-updates-2023-05-09.json";
    let body = changed(path, |doc| {
        doc["incident"]["incident_updates"][5]["display_at"] = json!(BAD_DATE);
    });
    let s = statuspage::parse(&body).unwrap();
    let i = incident(&s, "f0mhbz9xn497");
    assert_eq!(i.updates.len(), 29);
    assert!(!i.updates.iter().any(|u| u.id == "syb06xj1ry4b"));
    assert_eq!(i.status, Some(IncidentStatus::Resolved));
    assert_eq!(i.components.len(), 8);
}

//! Every fixture of Statuspage, incident.io, Instatus and Azure, parsed, with values read
//! from the file itself checked. One test per fixture file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use vw_domain::{
    ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus, Platform,
    Snapshot,
};
use vw_sources::{ParseError, azure, feed, incidentio, instatus, statuspage};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(parse: fn(&[u8]) -> Result<Snapshot, ParseError>, path: &str) -> Snapshot {
    parse(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn statuspage(file: &str) -> Snapshot {
    parsed(statuspage::parse, &format!("atlassian-statuspage/{file}"))
}

fn at(rfc3339: &str) -> Option<DateTime<Utc>> {
    Some(
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc),
    )
}

fn incident<'a>(s: &'a Snapshot, id: &str) -> &'a Incident {
    s.incidents
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no incident {id}"))
}

fn maintenance<'a>(s: &'a Snapshot, id: &str) -> &'a Maintenance {
    s.maintenances
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no maintenance {id}"))
}

fn incident_titled<'a>(s: &'a Snapshot, title: &str) -> &'a Incident {
    s.incidents
        .iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no {title}"))
}

fn statuses<S: Copy>(updates: &[vw_domain::Update<S>]) -> Vec<Option<S>> {
    updates.iter().map(|u| u.status).collect()
}

fn update_count(s: &Snapshot) -> usize {
    s.incidents.iter().map(|i| i.updates.len()).sum::<usize>()
        + s.maintenances
            .iter()
            .map(|m| m.updates.len())
            .sum::<usize>()
}

// ---------------------------------------------------------------- Statuspage JSON

#[test]
fn bitbucket_summary_has_an_open_incident_with_impact_none() {
    let s = statuspage("bitbucket-summary-operational-2026-07-31.json");
    assert_eq!(s.platform, Platform::Statuspage);
    assert_eq!(s.page.name.as_deref(), Some("Atlassian Bitbucket"));
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

// ---------------------------------------------------------------- Statuspage feeds

#[test]
fn codecov_2016_feed_without_var_tags() {
    let s = statuspage("codecov-history-2016-07-01.atom");
    assert_eq!(s.platform, Platform::Statuspage);
    assert_eq!((s.incidents.len(), s.maintenances.len()), (14, 3));
    assert_eq!(update_count(&s), 59);
    let i = incident_titled(&s, "Elevated error rate");
    assert_eq!(i.started_at, at("2016-06-30T14:32:00Z"));
    assert_eq!(i.resolved_at, at("2016-06-30T15:19:00Z"));
    assert_eq!(i.impact, None);
    let v4 = s
        .maintenances
        .iter()
        .find(|m| m.title == "Major Release - V4")
        .unwrap();
    // Completed, Verifying, Update, Update, In progress, Scheduled (newest first in the feed).
    assert_eq!(
        statuses(&v4.updates),
        [
            MaintenanceStatus::Scheduled,
            MaintenanceStatus::InProgress,
            MaintenanceStatus::InProgress,
            MaintenanceStatus::InProgress,
            MaintenanceStatus::Verifying,
            MaintenanceStatus::Completed
        ]
        .map(Some)
    );
    assert_eq!(v4.updates[0].posted_at, at("2016-03-27T14:40:00Z"));
    assert_eq!(v4.scheduled_for, None);
}

#[test]
fn digitalocean_atom_mixes_incidents_and_a_maintenance() {
    let s = statuspage("digitalocean-history-2019-10-30.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (24, 1));
    assert_eq!(update_count(&s), 95);
    let i = incident_titled(&s, "Event Processing Delays & Droplet Creates Issue");
    assert_eq!(i.id, "tag:status.digitalocean.com,2005:Incident/3156689");
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.digitalocean.com/incidents/w4j2nj1trtsg")
    );
    assert_eq!(i.started_at, at("2019-10-29T15:05:00Z"));
    assert_eq!(i.resolved_at, at("2019-10-30T23:05:00Z"));
    let m = &s.maintenances[0];
    assert_eq!(m.title, "Network Maintenance in TOR1 region");
    assert_eq!(m.status, Some(MaintenanceStatus::Completed));
}

#[test]
fn digitalocean_rss_top_item_is_a_maintenance_in_progress() {
    let s = statuspage("digitalocean-history-2020-01-21.rss");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (19, 6));
    let m = maintenance(&s, "https://status.digitalocean.com/incidents/x0xytvsvky35");
    assert_eq!(m.title, "AMS3 Region Network Maintenance");
    assert_eq!(m.status, Some(MaintenanceStatus::InProgress));
    assert_eq!(m.updates[0].posted_at, at("2020-01-21T20:59:00Z"));
    assert!(
        m.updates[0]
            .body
            .contains("Expected Impact:\n\nThere may be a few minutes")
    );
    let email = s
        .maintenances
        .iter()
        .find(|m| m.title == "Disruption of DigitalOcean Email Notifications")
        .unwrap();
    assert!(
        email
            .updates
            .iter()
            .any(|u| u.status == Some(MaintenanceStatus::Verifying))
    );
}

#[test]
fn github_2019_feed_update_labels_keep_the_status_before_them() {
    let s = statuspage("githubstatus-history-2019-11-22.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (25, 0));
    assert_eq!(update_count(&s), 100);
    let i = incident_titled(&s, "Incident on 2019-11-20 01:19 UTC");
    // Resolved, Update, Update, Update, Investigating (newest first in the feed).
    let inv = Some(IncidentStatus::Investigating);
    assert_eq!(
        statuses(&i.updates),
        [inv, inv, inv, inv, Some(IncidentStatus::Resolved)]
    );
    assert_eq!(i.started_at, at("2019-11-20T01:19:00Z"));
}

#[test]
fn github_2026_feed_with_spaced_paragraphs() {
    let s = statuspage("githubstatus-history-2026-08-22.atom");
    assert_eq!(s.incidents.len(), 25);
    assert_eq!(update_count(&s), 178);
    let i = &s.incidents[0];
    assert_eq!(i.id, "tag:www.githubstatus.com,2005:Incident/31233568");
    assert_eq!(i.title, "Intermittent failures creating agent tasks");
    assert_eq!(
        i.url.as_deref(),
        Some("https://www.githubstatus.com/incidents/bhbcjn4n3jzp")
    );
    assert_eq!(i.updates.len(), 12);
    // The entry's <published> is 00:37:20, the time of its newest update, not its start.
    assert_eq!(i.started_at, at("2026-08-20T14:43:00Z"));
    assert_eq!(i.resolved_at, at("2026-08-21T00:37:00Z"));
    assert_eq!(i.status, Some(IncidentStatus::Resolved));
    assert_eq!(i.updates[11].id, "2026-08-21T00:37:00Z");
    assert!(
        i.updates[11]
            .body
            .starts_with("This incident has been resolved.")
    );
}

#[test]
fn github_feed_with_a_maintenance_in_progress() {
    let s = statuspage("githubstatus-history-maintenance-in-progress-2025-05-30.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (21, 4));
    let open: Vec<&Maintenance> = s
        .maintenances
        .iter()
        .filter(|m| m.status == Some(MaintenanceStatus::InProgress))
        .collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].title, "Codespaces Scheduled Maintenance");
    let times: Vec<_> = open[0].updates.iter().map(|u| u.posted_at).collect();
    assert_eq!(
        times,
        [at("2025-05-29T21:01:00Z"), at("2025-05-29T21:30:00Z")]
    );
}

#[test]
fn github_feed_with_an_incident_reopened_in_the_same_minute() {
    let s = statuspage("githubstatus-history-ongoing-investigating-2024-05-30.atom");
    assert_eq!(s.incidents.len(), 25);
    let newest = &s.incidents[0];
    assert_eq!(newest.title, "Incident with Codespaces");
    // Resolved at 21:24, then Investigating again at 21:24.
    assert_eq!(newest.status, Some(IncidentStatus::Investigating));
    assert_eq!(newest.resolved_at, None);
    let last_two: Vec<&str> = newest.updates[5..].iter().map(|u| u.id.as_str()).collect();
    assert_eq!(last_two, ["2024-05-28T21:24:00Z", "2024-05-28T21:24:00Z#2"]);
    assert_eq!(
        newest.updates[6].status,
        Some(IncidentStatus::Investigating)
    );
}

#[test]
fn github_feed_whose_newest_label_is_update() {
    let s = statuspage("githubstatus-history-ongoing-update-2026-07-09.atom");
    let newest = &s.incidents[0];
    assert_eq!(newest.title, "Delays starting Actions runs");
    assert_eq!(newest.status, Some(IncidentStatus::Investigating));
    assert_eq!(newest.resolved_at, None);
    assert_eq!(newest.updates.len(), 3);
    assert_eq!(newest.updates[2].posted_at, at("2026-07-09T06:01:00Z"));
}

#[test]
fn saucelabs_feed_in_pacific_time() {
    let s = statuspage("saucelabs-us-west-history-2020-11-15.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (19, 6));
    let i = incident_titled(&s, "2020-Nov-14 Service Incident");
    // "Nov 14, 13:51 PST" and "14:07 PST".
    assert_eq!(i.started_at, at("2020-11-14T21:51:00Z"));
    assert_eq!(i.resolved_at, at("2020-11-14T22:07:00Z"));
    // "Nov <var data-var='date'> 4</var>, 04:09 PST"
    let nov4 = incident_titled(&s, "2020-November-04 Resolved Service Incident");
    assert_eq!(nov4.updates[0].posted_at, at("2020-11-04T12:09:00Z"));
    // "Oct 24, 10:59 PDT"
    let completed = s.maintenances.iter().flat_map(|m| &m.updates);
    assert!(
        completed
            .clone()
            .any(|u| u.posted_at == at("2020-10-24T17:59:00Z")
                && u.status == Some(MaintenanceStatus::Completed))
    );
}

#[test]
fn streamyard_atom() {
    let s = statuspage("streamyard-history-2024-06-10.atom");
    assert_eq!(s.incidents.len(), 17);
    assert_eq!(update_count(&s), 46);
    let i = incident_titled(&s, "Networking issues");
    assert_eq!(i.id, "tag:status.streamyard.com,2005:Incident/19937356");
    assert_eq!(i.started_at, at("2024-02-08T08:29:00Z"));
}

#[test]
fn streamyard_rss_says_what_the_atom_says() {
    let rss = statuspage("streamyard-history-2024-06-10.rss");
    let atom = statuspage("streamyard-history-2024-06-10.atom");
    assert_eq!(rss.page, atom.page);
    assert_eq!(rss.incidents.len(), 17);
    assert_eq!(
        rss.incidents[0].id,
        "https://status.streamyard.com/incidents/l4222m9bmd6k"
    );
    for (r, a) in rss.incidents.iter().zip(&atom.incidents) {
        assert_eq!(
            (&r.title, r.status, r.started_at, r.resolved_at),
            (&a.title, a.status, a.started_at, a.resolved_at)
        );
        assert_eq!(r.updates, a.updates);
    }
}

#[test]
fn travis_2016_feed() {
    let s = statuspage("travisci-history-2016-07-01.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (23, 2));
    assert_eq!(update_count(&s), 101);
    let i = incident_titled(&s, "All OS X builds delayed");
    assert_eq!(i.updates.len(), 16);
    assert_eq!(i.started_at, at("2016-06-29T13:00:00Z"));
    assert_eq!(i.resolved_at, at("2016-06-30T21:19:00Z"));
}

#[test]
fn the_generic_feed_parser_reads_statuspage_markup_too() {
    let atom = feed::parse(&read(
        "atlassian-statuspage/streamyard-history-2024-06-10.atom",
    ))
    .unwrap();
    assert_eq!(atom.platform, Platform::Atom);
    let rss = vw_sources::parse(
        Platform::Rss,
        &read("atlassian-statuspage/streamyard-history-2024-06-10.rss"),
    )
    .unwrap();
    assert_eq!(rss.platform, Platform::Rss);
    assert_eq!(
        atom.incidents[0].updates,
        statuspage("streamyard-history-2024-06-10.atom").incidents[0].updates
    );
}

// ---------------------------------------------------------------- incident.io

#[test]
fn cohere_incidentio_summary() {
    let s = parsed(
        incidentio::parse,
        "incidentio/cohere-api-v2-summary-major-2026-07-23.json",
    );
    assert_eq!(s.platform, Platform::Incidentio);
    assert_eq!(s.page.name.as_deref(), Some("Cohere Status Page"));
    assert_eq!(s.components.len(), 24);
    let playground = s
        .components
        .iter()
        .find(|c| c.name == "Playground")
        .unwrap();
    assert_eq!(playground.status, Some(ComponentStatus::PartialOutage));
    assert!(s.components.iter().all(|c| c.group.is_none()));
    let i = incident(&s, "01KY8K3GWWJTSJTRC17GHEH08Z");
    assert_eq!(i.title, "Dashboard Login Service Disruption");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.started_at, at("2026-07-23T22:56:25Z"));
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.cohere.com/incidents/01KY8K3GWWJTSJTRC17GHEH08Z")
    );
    assert_eq!(i.updates[0].id, "01KY8K3GWW5NX61DRV3P57CX89");
}

#[test]
fn openai_incidentio_summary() {
    let s = parsed(
        incidentio::parse,
        "incidentio/openai-api-v2-summary-minor-2026-07-22.json",
    );
    assert_eq!(s.components.len(), 25);
    let logins: Vec<&str> = s
        .components
        .iter()
        .filter(|c| c.name == "Login")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        logins,
        ["01JSM5RTJWHRWDTS6Q604VEW3B", "01JMXBNJXG1S2D9V65P1ZZTD94"]
    );
    let i = incident(&s, "01KY54SWGRK806N6TJ495MYPDD");
    assert_eq!(i.impact, Some(Impact::Minor));
    assert_eq!(i.status, Some(IncidentStatus::Investigating));
    assert_eq!(
        i.updates[0].body,
        "We are investigating the issue for the listed services."
    );
    assert!(s.maintenances.is_empty());
}

/// Constructed from FORMATS.md §2.4 (no incident.io feed was captured): the entry content is
/// the current state, `<b>Status: X</b>`, the latest message, then the affected components.
#[test]
fn incidentio_feed_constructed_from_formats_md() {
    let atom = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://status.example.test/feed.atom</id>
  <title>Example Status</title>
  <link rel="alternate" href="https://status.example.test"/>
  <updated>2026-07-22T16:00:00Z</updated>
  <entry>
    <id>https://status.example.test/incidents/01KY54SWGRK806N6TJ495MYPDD</id>
    <title>Elevated errors for Workspace Agent</title>
    <link rel="alternate" href="https://status.example.test/incidents/01KY54SWGRK806N6TJ495MYPDD"/>
    <published>2026-07-22T14:48:46Z</published>
    <updated>2026-07-22T15:30:00Z</updated>
    <content type="html">&lt;b&gt;Status: Resolved&lt;/b&gt;&lt;br/&gt;&lt;br/&gt;We have rolled back &amp;amp; errors are gone.&lt;br/&gt;&lt;br/&gt;&lt;b&gt;Affected components&lt;/b&gt;&lt;ul&gt;&lt;li&gt;Login (Operational)&lt;/li&gt;&lt;li&gt;Workspace Agent (Degraded performance)&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
  <entry>
    <id>https://status.example.test/incidents/01KY00000000000000000MAINT</id>
    <title>Database upgrade</title>
    <published>2026-07-20T08:00:00Z</published>
    <updated>2026-07-20T09:00:00Z</updated>
    <content type="html">&lt;b&gt;Status: Maintenance in progress&lt;/b&gt;&lt;br/&gt;&lt;br/&gt;Upgrading.</content>
  </entry>
</feed>"#;
    let s = incidentio::parse(atom.as_bytes()).unwrap();
    assert_eq!(s.platform, Platform::Incidentio);
    let i = &s.incidents[0];
    assert_eq!(i.status, Some(IncidentStatus::Resolved));
    assert_eq!(i.started_at, at("2026-07-22T14:48:46Z"));
    assert_eq!(i.resolved_at, at("2026-07-22T15:30:00Z"));
    assert_eq!(i.impact, None);
    assert_eq!(i.updates.len(), 1);
    assert_eq!(i.updates[0].body, "We have rolled back & errors are gone.");
    assert_eq!(i.components, Vec::<String>::new());
    let agent = s
        .components
        .iter()
        .find(|c| c.id == "Workspace Agent")
        .unwrap();
    assert_eq!(agent.status, Some(ComponentStatus::DegradedPerformance));
    assert_eq!(s.components.len(), 2);
    assert_eq!(
        s.maintenances[0].status,
        Some(MaintenanceStatus::InProgress)
    );
}

// ---------------------------------------------------------------- Instatus

#[test]
fn perplexity_instatus_summary_with_an_undocumented_page_status() {
    let s = parsed(
        instatus::parse,
        "instatus/perplexity-summary-major-2026-07-23.json",
    );
    assert_eq!(s.platform, Platform::Instatus);
    assert_eq!(s.page.name.as_deref(), Some("Perplexity"));
    let i = incident(&s, "cmrxt1rlu000f0zlcv4dzmdlr");
    assert_eq!(i.title, "Computer sandbox issues");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Some(IncidentStatus::Monitoring));
    assert_eq!(i.started_at, at("2026-07-23T17:48:28.028Z"));
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.perplexity.com/cmrxt1rlu000f0zlcv4dzmdlr")
    );
    assert!(i.updates.is_empty() && s.maintenances.is_empty());
}

// ---------------------------------------------------------------- Azure

#[test]
fn azure_empty_channel_is_healthy() {
    let s = parsed(azure::parse, "azure/azure-status-feed-empty-2026-08-01.xml");
    assert_eq!(s.platform, Platform::Azure);
    assert_eq!(s.page.name.as_deref(), Some("Azure Status"));
    assert!(s.incidents.is_empty() && s.components.is_empty());
}

#[test]
fn azure_west_us_at_16_49() {
    let s = parsed(
        azure::parse,
        "azure/azure-status-feed-westus-2026-07-23-1649.xml",
    );
    let i = incident(&s, "issues-connecting-to-resources-in-west-us");
    assert_eq!(i.title, "Issues connecting to resources in West US");
    assert_eq!(i.components, ["Network Infrastructure", "West US"]);
    assert_eq!(i.status, None);
    assert_eq!(i.started_at, at("2026-07-23T16:29:09Z"));
    assert_eq!(i.updates.len(), 1);
    assert_eq!(i.updates[0].posted_at, at("2026-07-23T16:29:09Z"));
    assert!(
        i.updates[0]
            .body
            .starts_with("Starting at 14:44 UTC on 23 July, 2026, we began investigating")
    );
    assert_eq!(s.components.len(), 2);
}

#[test]
fn azure_west_us_major_lists_services_and_the_region() {
    let s = parsed(
        azure::parse,
        "azure/azure-status-feed-westus-major-2026-07-23.xml",
    );
    let i = incident(&s, "issues-connecting-to-resources-in-west-us");
    assert_eq!(i.components.len(), 15);
    assert_eq!(i.components[0], "API Management");
    assert_eq!(i.components[14], "West US");
    assert_eq!(i.status, None);
    assert_eq!(i.impact, None);
    let body = &i.updates[0].body;
    assert!(body.contains("Microsoft cloud (https://status.cloud.microsoft/) services"));
    assert!(body.contains("Current Status:\n\nWe may have identified the likely cause"));
    assert!(!body.contains('<') && !body.contains("&nbsp;") && !body.contains('\u{a0}'));
}

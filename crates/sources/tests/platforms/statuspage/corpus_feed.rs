//! The second corpus' Statuspage history feeds (`corpus/statuspage/`, see its SOURCES.md):
//! upcoming maintenances with their windows, zone labels that say PST in summer, an older feed
//! without Statuspage's name, updates out of time order.

use vw_domain::{IncidentStatus, MaintenanceStatus, Platform, Snapshot};
use vw_sources::statuspage;

use crate::support::{at, incident_titled, parsed, read, statuses, update_count};

fn corpus(file: &str) -> Snapshot {
    parsed(statuspage::parse, &format!("corpus/statuspage/{file}"))
}

fn maintenance_titled<'a>(s: &'a Snapshot, title: &str) -> Vec<&'a vw_domain::Maintenance> {
    s.maintenances.iter().filter(|m| m.title == title).collect()
}

#[test]
fn github_upcoming_maintenance_gets_its_window_from_the_banner() {
    let s = corpus("githubstatus-history-maintenance-scheduled-2022-11-03.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (22, 3));
    assert_eq!(update_count(&s), 100);
    let importer = maintenance_titled(&s, "GitHub Importer Maintenance");
    let upcoming = importer
        .iter()
        .find(|m| m.status == Some(MaintenanceStatus::Scheduled))
        .unwrap();
    assert_eq!(
        upcoming.id,
        "tag:www.githubstatus.com,2005:Incident/12637627"
    );
    // "THIS IS A SCHEDULED EVENT Nov 4, 03:00 - 04:00 UTC", announced Oct 27.
    assert_eq!(upcoming.scheduled_for, at("2022-11-04T03:00:00Z"));
    assert_eq!(upcoming.scheduled_until, at("2022-11-04T04:00:00Z"));
    assert_eq!(upcoming.updates.len(), 1);
    assert_eq!(upcoming.updates[0].posted_at, at("2022-10-27T17:00:00Z"));
    // The earlier one, completed, has no banner: its window is not given, so it is unknown.
    let done = importer
        .iter()
        .find(|m| m.status == Some(MaintenanceStatus::Completed))
        .unwrap();
    assert_eq!((done.scheduled_for, done.scheduled_until), (None, None));
    assert_eq!(
        statuses(&done.updates),
        [
            MaintenanceStatus::Scheduled,
            MaintenanceStatus::InProgress,
            MaintenanceStatus::Completed
        ]
        .map(Some)
    );
}

#[test]
fn symantec_january_windows_announced_in_december() {
    let s = corpus("symantec-wss-history-2020-01-02.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (13, 12));
    assert_eq!(update_count(&s), 58);
    let window = |title: &str| {
        let m = maintenance_titled(&s, title);
        assert_eq!(m.len(), 1, "{title}");
        (m[0].status, m[0].scheduled_for, m[0].scheduled_until)
    };
    let scheduled = Some(MaintenanceStatus::Scheduled);
    // "Jan 9, 14:00 - 18:00 UTC", its updates from Dec 12 and 17, 2019.
    assert_eq!(
        window("Network Maintenance in Singapore (SIN3) Data Center January 9, 2020"),
        (
            scheduled,
            at("2020-01-09T14:00:00Z"),
            at("2020-01-09T18:00:00Z")
        )
    );
    assert_eq!(
        window("Network Maintenance in Johannesburg (JNB2) Data Center January 9, 2020"),
        (
            scheduled,
            at("2020-01-09T14:00:00Z"),
            at("2020-01-09T18:00:00Z")
        )
    );
    // Across midnight: "Jan 8, 21:00 UTC - Jan 9, 01:00 UTC".
    assert_eq!(
        window("Network Maintenance in Sao Paulo (GRU1) Data Center January 8, 2020"),
        (
            scheduled,
            at("2020-01-08T21:00:00Z"),
            at("2020-01-09T01:00:00Z")
        )
    );
    assert_eq!(
        window("Network Maintenance in Chennai (MAA1) Data Center January 7, 2020"),
        (
            scheduled,
            at("2020-01-07T15:30:00Z"),
            at("2020-01-07T19:30:00Z")
        )
    );
    let singapore = &maintenance_titled(
        &s,
        "Network Maintenance in Singapore (SIN3) Data Center January 9, 2020",
    )[0];
    // The December updates keep 2019; the update's own "Impact" headings stay in its body.
    assert_eq!(
        singapore
            .updates
            .iter()
            .map(|u| u.posted_at)
            .collect::<Vec<_>>(),
        [at("2019-12-12T21:28:00Z"), at("2019-12-17T09:25:00Z")]
    );
    assert!(singapore.updates[0].body.contains("Impact"));
    let beijing = incident_titled(&s, "Beijing (PEK1) Data Center Unavailable");
    assert_eq!(beijing.status, Some(IncidentStatus::Resolved));
    assert_eq!(beijing.started_at, at("2020-01-02T12:49:00Z"));
    assert_eq!(beijing.resolved_at, at("2020-01-02T15:41:00Z"));
}

#[test]
fn parse_2014_feed_is_statuspage_and_its_pst_labels_mean_pdt_in_summer() {
    let body = read("corpus/statuspage/parse-history-postmortem-2014-01-09.rss");
    // No <description>Statuspage</description>, no Atom ids: known by title and markup.
    assert_eq!(
        vw_sources::detect::platform_of(&body),
        Some(Platform::Statuspage)
    );
    let s = vw_sources::parse(Platform::Statuspage, &body).unwrap();
    assert_eq!(
        s.page.name.as_deref(),
        Some("Parse Status - Incident History")
    );
    assert_eq!((s.incidents.len(), s.maintenances.len()), (17, 0));
    assert_eq!(update_count(&s), 38);
    // "Oct 28, 14:48 PST" in an item whose pubDate is "Mon, 28 Oct 2013 14:48:00 -0700".
    let subset = incident_titled(&s, "A subset of Parse apps are seeing elevated error rates");
    assert_eq!(subset.started_at, at("2013-10-28T21:43:00Z"));
    assert_eq!(subset.resolved_at, at("2013-10-28T21:48:00Z"));
    let cors = incident_titled(&s, "JavaScript CORS issue");
    assert_eq!(cors.started_at, at("2013-10-21T22:34:00Z"));
    assert_eq!(cors.resolved_at, at("2013-10-21T23:27:00Z"));
    // In winter PST is right: "Jan  1, 09:09 PST", pubDate "-0800".
    let new_year = s
        .incidents
        .iter()
        .find(|i| i.url.as_deref() == Some("http://status.parse.com/incidents/lzf7mjchpy20"))
        .unwrap();
    assert_eq!(new_year.title, "Elevated error rates");
    assert_eq!(new_year.started_at, at("2014-01-01T16:17:00Z"));
    assert_eq!(new_year.resolved_at, at("2014-01-01T17:09:00Z"));
    // A postmortem two days after the resolution.
    let pm = incident_titled(&s, "Elevated error rates and latency");
    assert_eq!(pm.status, Some(IncidentStatus::Postmortem));
    assert_eq!(pm.started_at, at("2013-12-24T16:58:00Z"));
    assert_eq!(pm.resolved_at, at("2013-12-24T19:21:00Z"));
    assert_eq!(
        statuses(&pm.updates),
        [
            IncidentStatus::Investigating,
            IncidentStatus::Resolved,
            IncidentStatus::Postmortem
        ]
        .map(Some)
    );
    assert_eq!(pm.updates[2].posted_at, at("2013-12-26T18:22:00Z"));
    assert!(
        pm.updates[2]
            .body
            .starts_with("# Summary of the December 24 Parse Service Disruption")
    );
}

#[test]
fn atlassian_own_feed_labels_pdt_and_pst_rightly_and_keeps_them() {
    let s = corpus("atlassian-metastatuspage-history-2019-11-23.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (21, 4));
    assert_eq!(update_count(&s), 61);
    // "Nov  1, 18:00 PDT", published 18:00 -07:00: both say the same, nothing to correct.
    let widget = incident_titled(
        &s,
        "Statuspage Embed Widget failed to render properly on mobile devices",
    );
    assert_eq!(widget.resolved_at, at("2019-11-02T01:00:00Z"));
    let ssl = incident_titled(&s, "SSL Provisioning Unavailable");
    assert_eq!(ssl.started_at, at("2019-11-17T18:01:00Z"));
    assert_eq!(ssl.resolved_at, at("2019-11-17T19:47:00Z"));
    let upgrading = &maintenance_titled(&s, "Upgrading load balancers")[0];
    let (scheduled, running) = (
        Some(MaintenanceStatus::Scheduled),
        Some(MaintenanceStatus::InProgress),
    );
    assert_eq!(
        statuses(&upgrading.updates),
        [
            scheduled,
            scheduled,
            running,
            running,
            running,
            running,
            Some(MaintenanceStatus::Completed)
        ]
    );
    assert_eq!(upgrading.updates[0].posted_at, at("2019-07-11T22:05:00Z"));
    let network = maintenance_titled(&s, "Network Maintenance");
    assert_eq!(network.len(), 2);
    assert!(network.iter().any(|m| {
        m.updates
            .iter()
            .any(|u| u.status == Some(MaintenanceStatus::Verifying))
    }));
    let balancers = &maintenance_titled(&s, "Load Balancer Maintenance")[0];
    assert_eq!(balancers.updates[0].posted_at, at("2019-11-08T20:27:00Z"));
}

#[test]
fn digitalocean_rss_with_a_maintenance_still_in_progress() {
    let s = corpus("digitalocean-history-2020-01-11.rss");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (20, 5));
    assert_eq!(update_count(&s), 85);
    let email = &maintenance_titled(&s, "Disruption of DigitalOcean Email Notifications")[0];
    assert_eq!(
        email.id,
        "https://status.digitalocean.com/incidents/2yyk6j58xcxh"
    );
    assert_eq!(email.status, Some(MaintenanceStatus::Completed));
    assert!(
        email
            .updates
            .iter()
            .any(|u| u.status == Some(MaintenanceStatus::Verifying)
                && u.posted_at == at("2020-01-11T10:56:00Z"))
    );
    let storage = &maintenance_titled(&s, "Block Storage Maintenance")[0];
    assert_eq!(storage.status, Some(MaintenanceStatus::InProgress));
    let sgp1 = incident_titled(&s, "Latency Observed with SGP1 Spaces");
    assert_eq!(sgp1.started_at, at("2020-01-08T04:06:00Z"));
    assert_eq!(sgp1.resolved_at, at("2020-01-08T06:00:00Z"));
    // December updates in an entry of December 2019, read in a feed of January 2020.
    let ams2 = incident_titled(&s, "Network Connectivity Issues in AMS2 Region");
    assert_eq!(ams2.started_at, at("2019-12-26T21:32:00Z"));
}

#[test]
fn github_feed_with_an_incident_still_investigating() {
    let s = corpus("githubstatus-history-ongoing-investigating-2023-01-12.atom");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (25, 0));
    assert_eq!(update_count(&s), 84);
    let newest = &s.incidents[0];
    assert_eq!(newest.title, "Incident with Copilot");
    assert_eq!(newest.status, Some(IncidentStatus::Investigating));
    assert_eq!(newest.resolved_at, None);
    assert_eq!(newest.started_at, at("2023-01-12T03:59:00Z"));
    // Across new year: "Dec 31, 00:07 UTC" in an entry published 2022-12-31.
    let codespaces: Vec<_> = s
        .incidents
        .iter()
        .filter(|i| i.title == "Incident with Codespaces")
        .map(|i| i.started_at)
        .collect();
    assert!(codespaces.contains(&at("2022-12-31T00:07:00Z")));
    assert!(codespaces.contains(&at("2023-01-01T16:33:00Z")));
}

#[test]
fn moonpay_feed_with_emoji_and_escaped_titles() {
    let s = corpus("moonpay-history-2025-11-28.rss");
    assert_eq!((s.incidents.len(), s.maintenances.len()), (22, 3));
    assert_eq!(update_count(&s), 69);
    let notes = incident_titled(&s, "Notification & deep-link issues");
    assert_eq!(notes.started_at, at("2025-11-04T19:29:00Z"));
    assert_eq!(notes.resolved_at, at("2025-11-05T12:12:00Z"));
    let freeze = incident_titled(&s, "App freezes while buying tokens with a memo/tag");
    let last = freeze.updates.last().unwrap();
    assert_eq!(last.body, "The issue is now fixed \u{1f383}");
    assert_eq!(last.status, Some(IncidentStatus::Resolved));
    // A bracket in a Statuspage title is part of it.
    let btc = incident_titled(&s, "[MoonPay App] Issues with Bitcoin balances");
    assert_eq!(btc.updates.len(), 2);
    let ach = &maintenance_titled(&s, "MoonPay Balances US and ACH Maintenance")[0];
    assert_eq!(ach.status, Some(MaintenanceStatus::Completed));
}

#[test]
fn a_test_page_whose_updates_are_out_of_time_order() {
    let s = corpus("ruzismart-test-page-history-2020-01-04.rss");
    assert_eq!(s.incidents.len(), 2);
    assert_eq!(update_count(&s), 9);
    let example = incident_titled(&s, "This is an example incident");
    // Listed Resolved 03:42, Monitoring 03:32, Identified 03:38, Investigating 04:08: the
    // listing says where it ended, the times when each was posted.
    assert_eq!(example.status, Some(IncidentStatus::Resolved));
    assert_eq!(example.started_at, at("2019-08-14T03:32:00Z"));
    assert_eq!(example.resolved_at, at("2019-08-14T03:42:00Z"));
    let times: Vec<_> = example.updates.iter().map(|u| u.posted_at).collect();
    assert_eq!(
        times,
        [
            at("2019-08-14T03:32:00Z"),
            at("2019-08-14T03:38:00Z"),
            at("2019-08-14T03:42:00Z"),
            at("2019-08-14T04:08:00Z")
        ]
    );
    let description = incident_titled(&s, "Description");
    assert_eq!(description.updates.len(), 5);
    assert_eq!(description.started_at, at("2019-09-05T18:57:00Z"));
}

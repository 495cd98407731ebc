//! Statuspage's `history.atom` and `history.rss`.

use vw_domain::{IncidentStatus, Maintenance, MaintenanceStatus, Platform};

use crate::support::{at, incident_titled, maintenance, statuses, statuspage, update_count};

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

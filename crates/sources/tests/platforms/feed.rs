//! Any Atom or RSS feed, read by the generic feed reader.

use vw_domain::{IncidentStatus, Platform};
use vw_sources::feed;

use crate::support::{at, incident, read, statuspage};

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

/// AWS's all.rss (second corpus): one item per update, every title opening with AWS's words
/// for the state, one `[RESOLVED]`.
#[test]
fn aws_rss_reads_its_status_phrases_and_invents_no_resolution_time() {
    let body = read("corpus/aws/aws-status-all-rss-50-items-2026-08-18.rss");
    assert_eq!(vw_sources::detect::platform_of(&body), Some(Platform::Rss));
    let s = vw_sources::parse(Platform::Rss, &body).unwrap();
    assert_eq!(
        s.page.name.as_deref(),
        Some("Amazon Web Services Service Status")
    );
    assert_eq!(s.incidents.len(), 50);
    let resolved = incident(
        &s,
        "https://status.aws.amazon.com/#directconnect-eu-central-1_1787025679",
    );
    assert_eq!(
        resolved.title,
        "Service is operating normally: [RESOLVED] Increased Packet loss"
    );
    assert_eq!(resolved.status, Some(IncidentStatus::Resolved));
    // pubDate "Mon, 17 Aug 2026 21:01:19 PDT": when the item was published, not when the
    // trouble ended, which the item does not say.
    assert_eq!(resolved.started_at, at("2026-08-18T04:01:19Z"));
    assert_eq!(resolved.resolved_at, None);
    assert!(
        resolved.updates[0]
            .body
            .starts_with("Starting August 14 7:33 PM PDT, we experienced increased packet loss")
    );
    // "Service impact: …" says how bad, not at which stage.
    let impact = incident(
        &s,
        "https://status.aws.amazon.com/#directconnect-eu-central-1_1787017812",
    );
    assert_eq!(impact.title, "Service impact: Increased Packet loss");
    assert_eq!(impact.status, None);
    let closed = s.incidents.iter().filter(|i| i.status.is_some()).count();
    assert_eq!(closed, 1);
    // "Tue, 03 Mar 2026 08:40:00 PST"
    let march = incident(
        &s,
        "https://status.aws.amazon.com/#multipleservices-me-south-1_1772556000",
    );
    assert_eq!(march.started_at, at("2026-03-03T16:40:00Z"));
    assert!(s.incidents.iter().all(|i| i.resolved_at.is_none()));
}

/// xAI's status RSS (second corpus): `Status: RESOLVED`, an explicit `Resolved: <date>`, and
/// its updates as dated blocks.
#[test]
fn xai_rss_reads_status_resolution_time_and_updates() {
    let body = read("corpus/rss/xai-status-feed-resolved-2026-07-07.xml");
    let s = vw_sources::parse(Platform::Rss, &body).unwrap();
    assert_eq!(s.page.name.as_deref(), Some("xAI System Status"));
    assert_eq!(s.incidents.len(), 3);
    let west = incident(&s, "INC548339c6");
    assert_eq!(
        west.title,
        "[API (us-west-2.api.x.ai)] Imagine Video 1.5 is experiencing lower success rate and higher latency"
    );
    assert_eq!(
        west.url.as_deref(),
        Some("https://status.x.ai/api-us-west-2/INC548339c6")
    );
    assert_eq!(west.status, Some(IncidentStatus::Resolved));
    assert_eq!(west.started_at, at("2026-07-07T15:40:26Z"));
    assert_eq!(west.resolved_at, at("2026-07-07T16:37:02Z"));
    assert_eq!(west.updates.len(), 2);
    assert_eq!(west.updates[0].status, Some(IncidentStatus::Investigating));
    assert_eq!(
        west.updates[0].body,
        "We are currently investigating the issue."
    );
    assert_eq!(west.updates[1].posted_at, at("2026-07-07T16:37:02Z"));
    assert_eq!(
        west.updates[1].body,
        "The incident has been resolved and the success rate is returning to normal."
    );
    let east = incident(&s, "INC3d7f8a82");
    assert_eq!(east.started_at, at("2026-07-07T15:35:34Z"));
    assert_eq!(east.resolved_at, at("2026-07-07T16:35:50Z"));
    assert_eq!(
        incident(&s, "INC5068f51b").resolved_at,
        at("2026-07-07T16:38:07Z")
    );
}

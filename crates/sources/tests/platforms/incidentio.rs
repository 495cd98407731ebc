//! incident.io: the Statuspage-compatible summary and the feeds.

use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};
use vw_sources::incidentio;

use crate::support::{at, incident, parsed};

#[test]
fn cohere_incidentio_summary() {
    let s = parsed(
        incidentio::parse,
        "incidentio/cohere-api-v2-summary-major-2026-07-23.json",
    );
    assert_eq!(s.platform, Platform::Incidentio);
    assert_eq!(s.page.name.as_deref(), Some("Cohere Status Page"));
    // incident.io's own page ids are not Statuspage's: not read as one.
    assert_eq!(s.page.id, None);
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

//! Atom and RSS feeds, read with feed-rs. Each entry is an incident, or a maintenance when
//! its labels are maintenance ones. The content is read in the first markup that fits:
//! Statuspage's timeline, incident.io's current state, a timeline of dated blocks (xAI), else
//! status words used as labels.
//!
//! Feeds carry no impact: it is always `None`.

mod dated_markup;
mod entry;
mod fields;
mod incidentio_markup;
mod keywords;
mod label;
mod own_offsets;
mod stamp;
mod statuspage_markup;
mod steps;
mod window;
mod zone_labels;

pub(crate) use fields::{entry_content, entry_id, entry_link, entry_title, plain};

use feed_rs::model::{Feed, FeedType};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use vw_domain::{Component, IncidentStatus, Page, Platform, Snapshot};

use crate::{ParseError, text};

/// The markup a platform writes its entries in; `Any` tries each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    Statuspage,
    Incidentio,
    Any,
}

/// Parses any Atom or RSS feed; the platform is the feed's kind.
pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let feed = read(kind_of(body), body)?;
    let platform = match feed.feed_type {
        FeedType::Atom => Platform::Atom,
        _ => Platform::Rss,
    };
    Ok(snapshot(&feed, body, platform, Markup::Any))
}

/// Parses a feed that `platform` serves, reading its entries in `markup` first.
pub(crate) fn parse_as(
    body: &[u8],
    platform: Platform,
    markup: Markup,
) -> Result<Snapshot, ParseError> {
    let feed = read(platform, body)?;
    Ok(snapshot(&feed, body, platform, markup))
}

/// Reads the XML into feed-rs' model: as given (feed-rs' sanitising is off, we make text of
/// the HTML ourselves), with no ids made up for entries that have none.
pub(crate) fn read(platform: Platform, body: &[u8]) -> Result<Feed, ParseError> {
    if !text::is_markup(body) {
        return Err(ParseError::NotThisPlatform {
            platform,
            reason: "the body is not XML".into(),
        });
    }
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .id_generator(|_, _, _| String::new())
        .build();
    parser.parse(body).map_err(|e| match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => ParseError::NotThisPlatform {
            platform,
            reason: "the XML is not an Atom or RSS feed".into(),
        },
        ParseFeedError::XmlReader(e) => ParseError::Malformed {
            platform,
            location: "XML".into(),
            message: e.to_string(),
        },
        other => ParseError::Malformed {
            platform,
            location: "feed".into(),
            message: other.to_string(),
        },
    })
}

/// The status an Azure-like feed states with a label, for feeds read outside this module.
pub(crate) fn labelled_status(text: &str) -> Option<IncidentStatus> {
    match keywords::label_in(text)? {
        label::Label::Incident(status) => Some(status),
        _ => None,
    }
}

/// The snapshot of `feed`, parsed from `body`, whose raw text gives each entry's own offset.
fn snapshot(feed: &Feed, body: &[u8], platform: Platform, markup: Markup) -> Snapshot {
    let mut snapshot = Snapshot::empty(platform);
    snapshot.page = Page {
        name: feed.title.as_ref().map(plain).filter(|t| !t.is_empty()),
        url: feed
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .map(|l| l.href.clone()),
        id: None,
    };
    // feed-rs read the body, so it is text; only UTF-16 would fail this (and then the entries'
    // offsets are simply not known).
    let offsets = std::str::from_utf8(body)
        .ok()
        .and_then(|xml| own_offsets::scan(xml, feed.entries.len()))
        .unwrap_or_default();
    let reads = feed
        .entries
        .iter()
        .enumerate()
        .map(|(n, e)| entry::read(e, markup, offsets.get(n).copied().flatten()));
    for read in reads {
        match read.item {
            steps::Item::Incident(i) => snapshot.incidents.push(i),
            steps::Item::Maintenance(m) => snapshot.maintenances.push(m),
        }
        // incident.io lists components by name with their state now; the first entry that
        // names one (the newest) says it.
        for (name, status) in read.components {
            if !snapshot.components.iter().any(|c| c.id == name) {
                snapshot.components.push(Component {
                    id: name.clone(),
                    name,
                    group: None,
                    status,
                });
            }
        }
    }
    snapshot.canonicalize();
    snapshot
}

/// Which kind a feed that failed to parse claimed to be, to name it in the error.
fn kind_of(body: &[u8]) -> Platform {
    let head = &body[..body.len().min(4096)];
    let is_rss = head
        .windows(4)
        .any(|w| w == b"<rss" || w == b"<rdf" || w == b"<RDF");
    if is_rss {
        Platform::Rss
    } else {
        Platform::Atom
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use vw_domain::{IncidentStatus, MaintenanceStatus};

    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn a_plain_rss_feed_gets_status_from_labels_and_ids_from_links() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Acme status</title>
            <link>https://status.acme.test/</link>
            <item><title>[Resolved] API errors</title><link>https://status.acme.test/i/1</link>
              <description>&lt;p&gt;All good now.&lt;/p&gt;</description>
              <pubDate>Tue, 07 Jul 2026 10:00:00 +0000</pubDate></item>
            <item><title>Database upgrade</title><description>Completed: the upgrade is done</description>
              <pubDate>Mon, 06 Jul 2026 08:00:00 GMT</pubDate></item>
            <item><title>We are looking into slow logins</title>
              <pubDate>Sun, 05 Jul 2026 08:00:00 GMT</pubDate></item>
            </channel></rss>"#;
        let s = parse(rss).map_err(|e| e.to_string());
        let Ok(s) = s else { panic!("{s:?}") };
        assert_eq!(s.platform, Platform::Rss);
        assert_eq!(s.page.name.as_deref(), Some("Acme status"));
        let api = &s.incidents[0];
        assert_eq!(api.id, "https://status.acme.test/i/1");
        assert_eq!(api.status, Some(IncidentStatus::Resolved));
        assert_eq!(api.started_at, at("2026-07-07T10:00:00Z"));
        // The item says it is resolved, not when: its pubDate is when it was published.
        assert_eq!(api.resolved_at, None);
        assert_eq!(api.updates[0].body, "All good now.");
        assert_eq!(s.maintenances[0].status, Some(MaintenanceStatus::Completed));
        let vague = &s.incidents[1];
        assert_eq!(
            vague.id,
            "We are looking into slow logins 2026-07-05T08:00:00Z"
        );
        assert_eq!((vague.status, vague.updates.len()), (None, 0));
    }

    #[test]
    fn a_statuspage_entry_across_new_year_gets_both_years() {
        let atom = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>T</title>
            <entry><id>tag:x,2005:Incident/1</id><title>Outage</title>
            <published>2027-01-01T00:15:00Z</published><updated>2027-01-01T00:15:30Z</updated>
            <content type="html">&lt;p&gt;&lt;small&gt;Jan &lt;var data-var='date'&gt; 1&lt;/var&gt;, &lt;var data-var='time'&gt;00:15&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Fixed.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Dec &lt;var data-var='date'&gt;31&lt;/var&gt;, &lt;var data-var='time'&gt;23:50&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Update&lt;/strong&gt; - Looking.&lt;/p&gt;</content>
            </entry></feed>"#;
        let s = parse_as(atom, Platform::Statuspage, Markup::Statuspage).map_err(|e| e.to_string());
        let Ok(s) = s else { panic!("{s:?}") };
        let i = &s.incidents[0];
        assert_eq!(i.started_at, at("2026-12-31T23:50:00Z"));
        assert_eq!(i.resolved_at, at("2027-01-01T00:15:00Z"));
        // An "Update" with nothing before it has no status.
        assert_eq!(i.updates[0].status, None);
        assert_eq!(i.updates[0].id, "2026-12-31T23:50:00Z");
    }

    #[test]
    fn json_and_html_are_not_feeds() {
        assert!(matches!(
            parse(b"{\"version\":\"https://jsonfeed.org/version/1\"}"),
            Err(ParseError::NotThisPlatform { .. })
        ));
        assert!(matches!(
            parse(b"<html><body>hi</body></html>"),
            Err(ParseError::NotThisPlatform { .. })
        ));
        assert!(matches!(
            parse(b"<feed><entry>"),
            Err(ParseError::Malformed { .. })
        ));
    }
}

//! The Azure status RSS feed. It lists the issues active now and nothing else: an empty
//! channel means all is well, and an issue that leaves the feed is over.

use chrono::SecondsFormat;
use vw_domain::{Component, Incident, Page, Platform, Snapshot, Update};

use crate::ParseError;
use crate::feed;
use crate::text::html_to_text;

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let rss = feed::read(Platform::Azure, body)?;
    let mut snapshot = Snapshot::empty(Platform::Azure);
    snapshot.page = Page {
        name: rss
            .title
            .as_ref()
            .map(feed::plain)
            .filter(|t| !t.is_empty()),
        url: rss.links.first().map(|l| l.href.clone()),
        id: None,
    };
    for item in &rss.entries {
        let title = feed::entry_title(item);
        let body = feed::entry_content(item)
            .map(|(raw, html)| {
                if html {
                    html_to_text(&raw)
                } else {
                    raw.trim().to_owned()
                }
            })
            .unwrap_or_default();
        // Categories mix services and regions ("App Service", "West US") with nothing to tell
        // them apart: all are kept as given, the category string being the id.
        let mut components: Vec<String> = Vec::new();
        for category in &item.categories {
            let name = category.term.trim();
            if !name.is_empty() && !components.iter().any(|c| c == name) {
                components.push(name.to_owned());
            }
        }
        for name in &components {
            if !snapshot.components.iter().any(|c| &c.id == name) {
                snapshot.components.push(Component {
                    id: name.clone(),
                    name: name.clone(),
                    group: None,
                    status: None,
                });
            }
        }
        // Azure states no status; a label in the text would, prose does not.
        let status = feed::labelled_status(&title).or_else(|| feed::labelled_status(&body));
        let posted_at = item.published.or(item.updated);
        let update = Update {
            // The item's one update changes its text in place; its time, which stays, is its id.
            id: posted_at.map_or_else(
                || String::from("current"),
                |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
            ),
            status,
            body,
            posted_at,
        };
        snapshot.incidents.push(Incident {
            id: feed::entry_id(item),
            title,
            impact: None,
            status,
            started_at: posted_at,
            resolved_at: None,
            url: feed::entry_link(item),
            components,
            updates: vec![update],
        });
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

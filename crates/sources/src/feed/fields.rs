//! The parts of a feed entry every reader of feeds takes: its id, title, link and content.

use chrono::SecondsFormat;
use feed_rs::model::{Entry, Text};

use crate::text::html_to_text;

/// The entry's id; RSS items may have none, then the link, then title and time stand in.
pub(crate) fn entry_id(entry: &Entry) -> String {
    if !entry.id.trim().is_empty() {
        return entry.id.trim().to_owned();
    }
    if let Some(link) = entry_link(entry) {
        return link;
    }
    let published = entry
        .published
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default();
    format!("{} {published}", entry_title(entry))
        .trim()
        .to_owned()
}

pub(crate) fn entry_title(entry: &Entry) -> String {
    entry.title.as_ref().map(plain).unwrap_or_default()
}

/// The entry's own page: its `alternate` link (or one without `rel`), else the first.
pub(crate) fn entry_link(entry: &Entry) -> Option<String> {
    entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| l.href.trim().to_owned())
        .filter(|href| !href.is_empty())
}

/// The content (Atom `content`, RSS `content:encoded`) or else the summary (RSS
/// `description`), XML-decoded, and whether it is HTML.
pub(crate) fn entry_content(entry: &Entry) -> Option<(String, bool)> {
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.clone()?;
        Some((body, c.content_type.subty().as_str().contains("html")))
    });
    content.or_else(|| {
        entry
            .summary
            .as_ref()
            .map(|s| (s.content.clone(), is_html(s)))
    })
}

/// A text element as plain text.
pub(crate) fn plain(text: &Text) -> String {
    if is_html(text) {
        html_to_text(&text.content)
    } else {
        text.content
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn is_html(text: &Text) -> bool {
    text.content_type.subty().as_str().contains("html")
}

//! One feed entry into an incident or a maintenance, whichever markup its content is in.

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use feed_rs::model::{Entry, Text};
use vw_domain::{ComponentStatus, Incident, Maintenance, Update};

use super::label::Label;
use super::stamp::Stamp;
use super::{Markup, incidentio_markup, keywords, statuspage_markup};
use crate::text::html_to_text;

pub(crate) enum Item {
    Incident(Incident),
    Maintenance(Maintenance),
}

/// What an entry says: the incident or maintenance, and the components it names with their
/// states (only incident.io's markup names any).
pub(crate) struct Read {
    pub item: Item,
    pub components: Vec<(String, Option<ComponentStatus>)>,
}

/// What every entry has, whatever its content.
struct Head {
    id: String,
    title: String,
    url: Option<String>,
    published: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
}

/// One update before its status is worked out: `label` is `None` for a word we do not know.
struct Step {
    label: Option<Label>,
    posted_at: Option<DateTime<Utc>>,
    /// What the update's id is made from when it has no time.
    stamp: String,
    body: String,
}

pub(crate) fn read(entry: &Entry, markup: Markup) -> Read {
    let head = Head {
        id: entry_id(entry),
        title: entry_title(entry),
        url: entry_link(entry),
        published: entry.published,
        updated: entry.updated,
    };
    let content = entry_content(entry);
    let raw = content.as_ref().map_or("", |(raw, _)| raw.as_str());
    if matches!(markup, Markup::Statuspage | Markup::Any) {
        let blocks = statuspage_markup::blocks(raw);
        if !blocks.is_empty() {
            return Read {
                item: from_statuspage(head, blocks),
                components: Vec::new(),
            };
        }
    }
    let incidentio = matches!(markup, Markup::Incidentio | Markup::Any)
        .then(|| incidentio_markup::read(raw))
        .flatten();
    if let Some(current) = incidentio {
        let item = from_current(head, current.label, current.body);
        return Read {
            item,
            components: current.components,
        };
    }
    let text = content.map(|(raw, html)| {
        if html {
            html_to_text(&raw)
        } else {
            raw.trim().to_owned()
        }
    });
    let text = text.unwrap_or_default();
    let label = keywords::label_in(&head.title).or_else(|| keywords::label_in(&text));
    Read {
        item: from_current(head, label, text),
        components: Vec::new(),
    }
}

/// Statuspage's timeline. The incident starts at its oldest update: the entry's `published`
/// is the time of its newest update, not its start (to the minute, in all 276 entries of the
/// twelve Statuspage feed fixtures).
fn from_statuspage(head: Head, blocks: Vec<statuspage_markup::Block>) -> Item {
    // An update cannot be later than the entry's last change, which gives the stamps their
    // year.
    let not_after = head.updated.max(head.published);
    let steps: Vec<Step> = blocks
        .into_iter()
        .rev()
        .map(|b| Step {
            label: Label::parse(&b.label),
            posted_at: Stamp::parse(&b.stamp).and_then(|s| s.resolve(not_after)),
            stamp: b.stamp,
            body: b.body,
        })
        .collect();
    let started = steps.iter().filter_map(|s| s.posted_at).min();
    build(head, steps, started)
}

/// A single update that describes the current state: incident.io's markup, or plain text.
/// It was posted when the entry last changed.
fn from_current(head: Head, label: Option<Label>, body: String) -> Item {
    let posted_at = head.updated.or(head.published);
    let steps = if body.is_empty() && label.is_none() {
        Vec::new()
    } else {
        vec![Step {
            label,
            posted_at,
            stamp: String::from("current"),
            body,
        }]
    };
    let started = head.published.or(posted_at);
    build(head, steps, started)
}

/// `steps` oldest first. An entry is a maintenance when any of its labels is a maintenance
/// one (Scheduled, In progress, Verifying, Completed): feeds mix both and say no more.
fn build(head: Head, steps: Vec<Step>, started: Option<DateTime<Utc>>) -> Item {
    let ids = update_ids(&steps);
    if steps
        .iter()
        .any(|s| s.label.is_some_and(Label::is_maintenance))
    {
        let updates = timeline(&steps, ids, |label| match label {
            Label::Maintenance(status) => Some(status),
            _ => None,
        });
        // Feeds do not carry the window; the bodies say it in prose, which is not read.
        return Item::Maintenance(Maintenance {
            id: head.id,
            title: head.title,
            status: updates.last().and_then(|u| u.status),
            scheduled_for: None,
            scheduled_until: None,
            url: head.url,
            components: Vec::new(),
            updates,
        });
    }
    let updates = timeline(&steps, ids, |label| match label {
        Label::Incident(status) => Some(status),
        _ => None,
    });
    let status = updates.last().and_then(|u| u.status);
    let resolved_at = status.filter(|s| s.is_closed()).and_then(|_| {
        steps
            .iter()
            .rev()
            .find(|s| s.label == Some(Label::Incident(vw_domain::IncidentStatus::Resolved)))
            .and_then(|s| s.posted_at)
    });
    Item::Incident(Incident {
        id: head.id,
        title: head.title,
        // Feeds do not carry an impact.
        impact: None,
        status,
        started_at: started,
        resolved_at,
        url: head.url,
        components: Vec::new(),
        updates,
    })
}

/// Statuses oldest first: "Update" keeps the status before it (none when it comes first).
fn timeline<S: Copy>(
    steps: &[Step],
    ids: Vec<String>,
    status_of: impl Fn(Label) -> Option<S>,
) -> Vec<Update<S>> {
    let mut current = None;
    steps
        .iter()
        .zip(ids)
        .map(|(step, id)| {
            current = match step.label {
                Some(Label::Update) => current,
                Some(label) => status_of(label),
                None => None,
            };
            Update {
                id,
                status: current,
                body: step.body.clone(),
                posted_at: step.posted_at,
            }
        })
        .collect()
}

/// Update ids from the update's time (the stamp as written when it has none), the same on
/// every read. Updates with the same time are numbered from the oldest, which new updates
/// (added on top) never renumber.
fn update_ids(steps: &[Step]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    steps
        .iter()
        .map(|step| {
            let base = step.posted_at.map_or_else(
                || step.stamp.clone(),
                |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                n += 1;
                id = format!("{base}#{n}");
            }
            used.insert(id.clone());
            id
        })
        .collect()
}

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

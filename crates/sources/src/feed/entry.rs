//! One feed entry into an incident or a maintenance, whichever markup its content is in.

use chrono::{DateTime, FixedOffset, Utc};
use feed_rs::model::Entry;
use vw_domain::ComponentStatus;

use super::fields::{entry_content, entry_id, entry_link, entry_title};
use super::label::Label;
use super::stamp::Stamp;
use super::steps::{Head, Item, Step, Times, build, resolved_step};
use super::zone_labels::Correction;
use super::{Markup, dated_markup, incidentio_markup, keywords, statuspage_markup, window};
use crate::text::html_to_text;

/// What an entry says: the incident or maintenance, and the components it names with their
/// states (only incident.io's markup names any).
pub(crate) struct Read {
    pub item: Item,
    pub components: Vec<(String, Option<ComponentStatus>)>,
}

/// Reads `entry`; `own_offset` is the UTC offset its own date was written with, when known.
pub(crate) fn read(entry: &Entry, markup: Markup, own_offset: Option<FixedOffset>) -> Read {
    let head = Head {
        id: entry_id(entry),
        title: entry_title(entry),
        url: entry_link(entry),
        published: entry.published,
        updated: entry.updated,
    };
    let content = entry_content(entry);
    let raw = content.as_ref().map_or("", |(raw, _)| raw.as_str());
    let only_current = |item| Read {
        item,
        components: Vec::new(),
    };
    if matches!(markup, Markup::Statuspage | Markup::Any) {
        let blocks = statuspage_markup::blocks(raw);
        if !blocks.is_empty() {
            let preamble = statuspage_markup::preamble(raw);
            return only_current(from_statuspage(head, blocks, &preamble, own_offset));
        }
    }
    let incidentio = matches!(markup, Markup::Incidentio | Markup::Any)
        .then(|| incidentio_markup::read(raw))
        .flatten();
    if let Some(current) = incidentio {
        let item = from_current(head, current.label, current.body, None);
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
    if markup == Markup::Any
        && let Some(blocks) = dated_markup::read(&text)
    {
        return only_current(from_dated(head, blocks));
    }
    let label = keywords::label_in(&head.title).or_else(|| keywords::label_in(&text));
    let resolved = keywords::resolved_line(&text);
    only_current(from_current(head, label, text, resolved))
}

/// Statuspage's timeline. The incident starts at its oldest update: the entry's `published`
/// is the time of its newest update, not its start (to the minute, in all 276 entries of the
/// twelve Statuspage feed fixtures). An upcoming maintenance has its window in a banner above
/// the updates.
fn from_statuspage(
    head: Head,
    blocks: Vec<statuspage_markup::Block>,
    preamble: &str,
    own_offset: Option<FixedOffset>,
) -> Item {
    let stamps: Vec<Option<Stamp>> = blocks.iter().map(|b| Stamp::parse(&b.stamp)).collect();
    let correction = Correction::find(stamps.iter().flatten(), head.published, own_offset);
    let fix = |stamp: Stamp| Correction::apply(correction.as_ref(), stamp);
    // An update cannot be later than the entry's last change, which gives the stamps their
    // year.
    let not_after = head.updated.max(head.published);
    let steps: Vec<Step> = blocks
        .into_iter()
        .zip(stamps)
        .rev()
        .map(|(b, stamp)| Step {
            label: Label::parse(&b.label),
            posted_at: stamp.map(fix).and_then(|s| s.resolve(not_after)),
            stamp: b.stamp,
            body: b.body,
        })
        .collect();
    // The window's year is the one nearest the entry's own date (see `window`).
    let (scheduled_for, scheduled_until) = match (
        window::banner(preamble).and_then(window::stamps),
        head.published.or(head.updated),
    ) {
        (Some(stamps), Some(reference)) => window::resolve(stamps, reference, fix),
        _ => (None, None),
    };
    let times = Times {
        started: steps.iter().filter_map(|s| s.posted_at).min(),
        resolved: resolved_step(&steps),
        scheduled_for,
        scheduled_until,
    };
    build(head, steps, times)
}

/// A timeline of dated blocks (xAI): the updates' own times, oldest first.
fn from_dated(head: Head, blocks: Vec<dated_markup::Dated>) -> Item {
    let steps: Vec<Step> = blocks
        .into_iter()
        .map(|b| Step {
            label: b.label,
            posted_at: Some(b.posted_at),
            stamp: String::new(),
            body: b.body,
        })
        .collect();
    let times = Times {
        started: steps.iter().filter_map(|s| s.posted_at).min(),
        resolved: resolved_step(&steps),
        ..Times::default()
    };
    build(head, steps, times)
}

/// A single update that describes the current state: incident.io's markup, or plain text.
/// It was posted when the entry last changed.
///
/// The entry's `published` is when it began. When it was resolved is known only from an
/// explicit `Resolved: <date>` line, or from the entry's `updated` when that is a later change
/// than its publication (the change that said "resolved"). It is never the publication itself:
/// RSS items have no `updated` of their own (feed-rs copies `pubDate` there), and an item
/// published already resolved says nothing of when the trouble ended.
fn from_current(
    head: Head,
    label: Option<Label>,
    body: String,
    resolved_line: Option<DateTime<Utc>>,
) -> Item {
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
    let changed_later = head
        .updated
        .filter(|u| head.published.is_some_and(|p| *u > p));
    let times = Times {
        started: head.published,
        resolved: resolved_line.or(changed_later),
        ..Times::default()
    };
    build(head, steps, times)
}

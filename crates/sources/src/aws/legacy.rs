//! The legacy AWS dashboard's `data.json`: `{current: [...], archive: [...]}`, one entry per
//! event of one service in one region.
//!
//! An event has no id; `<service>-<date>` (its service key and start in epoch seconds) is one
//! that stays put. Its timeline is HTML, one `<div>` per update, each opening with a page-local
//! time: `<div><span class="yellowfg">12:12 PM PDT</span>&nbsp;text</div>`. The time has a
//! date only when the day changed (`Sep 29, 12:30 AM PDT`), so the day is carried over from the
//! event's start and from the last dated label.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde::Deserialize;
use vw_domain::{Component, Incident, IncidentStatus, Platform, Snapshot, Update};

use super::{component_status, epoch_seconds, impact, unique_ids};
use crate::lenient::Lenient;
use crate::{ParseError, text};

#[derive(Deserialize)]
pub(super) struct Document {
    #[serde(default)]
    current: Lenient<Event>,
    #[serde(default)]
    archive: Lenient<Event>,
}

#[derive(Deserialize)]
struct Event {
    service: String,
    service_name: String,
    summary: String,
    #[serde(default, deserialize_with = "epoch_seconds")]
    date: Option<DateTime<Utc>>,
    status: Option<String>,
    #[serde(default)]
    description: String,
}

pub(super) fn parse(doc: Document) -> Result<Snapshot, ParseError> {
    let mut snapshot = Snapshot::empty(Platform::Aws);
    let current = doc.current.require_read(Platform::Aws, "current")?;
    let archive = doc.archive.require_read(Platform::Aws, "archive")?;
    let events = current
        .into_iter()
        .map(|e| (e, true))
        .chain(archive.into_iter().map(|e| (e, false)));
    let mut components: HashMap<String, usize> = HashMap::new();
    for (event, current) in events {
        // Only an event still under way says how its service is doing now.
        let status = if current {
            event.status.as_deref().and_then(component_status)
        } else {
            None
        };
        match components.get(&event.service) {
            Some(&i) => {
                let known = &mut snapshot.components[i];
                known.status = known.status.max(status);
            }
            None => {
                components.insert(event.service.clone(), snapshot.components.len());
                snapshot.components.push(Component {
                    id: event.service.clone(),
                    name: event.service_name.clone(),
                    group: None,
                    status,
                });
            }
        }
        snapshot.incidents.push(incident(event));
    }
    Ok(snapshot)
}

fn incident(event: Event) -> Incident {
    let started_at = event.date;
    let (title, resolved) = match event.summary.strip_prefix("[RESOLVED]") {
        Some(rest) => (rest.trim().to_owned(), true),
        None => (event.summary.trim().to_owned(), false),
    };
    let updates = timeline(&event.description, started_at);
    // The last update of a resolved event is the one that announced the resolution.
    let resolved_at = if resolved {
        updates.iter().filter_map(|u| u.posted_at).max()
    } else {
        None
    };
    Incident {
        id: match started_at {
            Some(date) => format!("{}-{}", event.service, date.timestamp()),
            None => event.service.clone(),
        },
        title,
        impact: event.status.as_deref().and_then(impact),
        status: resolved.then_some(IncidentStatus::Resolved),
        started_at,
        resolved_at,
        url: None,
        components: vec![event.service],
        updates,
    }
}

/// The updates in a timeline, oldest first as AWS wrote them. A description without `<div>`s
/// is one undated update.
fn timeline(html: &str, start: Option<DateTime<Utc>>) -> Vec<Update<IncidentStatus>> {
    let mut entries: Vec<(Option<DateTime<Utc>>, String)> = Vec::new();
    if !html.contains("<div>") {
        let body = text::html_to_text(html);
        if !body.is_empty() {
            entries.push((None, body));
        }
    }
    let mut day: Option<NaiveDate> = None;
    for chunk in html.split("<div>").skip(1) {
        let chunk = chunk.split("</div>").next().unwrap_or(chunk);
        let (label, rest) = split_label(chunk);
        let posted_at = label
            .and_then(parse_label)
            .and_then(|label| label.resolve(&mut day, start));
        entries.push((posted_at, text::html_to_text(rest)));
    }
    let ids = unique_ids(entries.iter().enumerate().map(|(i, (at, _))| match at {
        Some(at) => at.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => format!("#{}", i + 1),
    }));
    entries
        .into_iter()
        .zip(ids)
        .map(|((posted_at, body), id)| Update {
            id,
            status: None,
            body,
            posted_at,
        })
        .collect()
}

/// Splits `<span class="yellowfg">12:12 PM PDT</span>&nbsp;text` into the span's text and the
/// rest.
fn split_label(chunk: &str) -> (Option<&str>, &str) {
    let Some(open) = chunk.trim_start().strip_prefix("<span") else {
        return (None, chunk);
    };
    let Some(inner) = open.find('>').map(|i| &open[i + 1..]) else {
        return (None, chunk);
    };
    match inner.find("</span>") {
        Some(end) => (Some(&inner[..end]), &inner[end + "</span>".len()..]),
        None => (None, chunk),
    }
}

/// A timeline label: `[Mon D, ]H:MM AM|PM ZONE`.
struct Label {
    date: Option<(u32, u32)>,
    hour: u32,
    minute: u32,
    offset: Option<FixedOffset>,
}

fn parse_label(label: &str) -> Option<Label> {
    let label = label.trim();
    let (date, time) = match label.split_once(',') {
        Some((date, time)) => {
            let (month, day) = date.trim().split_once(' ')?;
            let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
            (Some((month, day.trim().parse().ok()?)), time.trim())
        }
        None => (None, label),
    };
    let mut words = time.split_whitespace();
    let (hour, minute) = words.next()?.split_once(':')?;
    let (hour, minute): (u32, u32) = (hour.parse().ok()?, minute.parse().ok()?);
    let hour = match words.next()? {
        "AM" if (1..=12).contains(&hour) => hour % 12,
        "PM" if (1..=12).contains(&hour) => hour % 12 + 12,
        _ => return None,
    };
    let offset = words.next().and_then(zone_offset);
    (minute < 60).then_some(Label {
        date,
        hour,
        minute,
        offset,
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The dashboard wrote Pacific time; the other zones are there in case an event says UTC.
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let hours = match zone {
        "PST" => -8,
        "PDT" => -7,
        "UTC" | "GMT" => 0,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

impl Label {
    /// The instant this label names. `day` is the day the previous label was on (None before
    /// the first, which starts on the day the event began, seen from the label's zone); a
    /// dated label moves it, in the same year unless the month went back (December → January).
    fn resolve(
        self,
        day: &mut Option<NaiveDate>,
        start: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        if day.is_none() {
            // Shifted by hand: `with_timezone` panics when the local time falls outside
            // chrono's range, which a hostile `date` at its very end makes happen.
            let shift = chrono::TimeDelta::seconds(offset.local_minus_utc().into());
            *day = start
                .and_then(|s| s.checked_add_signed(shift))
                .map(|s| s.date_naive());
        }
        if let Some((month, dom)) = self.date {
            let current = (*day)?;
            let year = if month < current.month() {
                current.year() + 1
            } else {
                current.year()
            };
            *day = Some(NaiveDate::from_ymd_opt(year, month, dom)?);
        }
        let local = (*day)?.and_hms_opt(self.hour, self.minute, 0)?;
        offset
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn a_timeline_crossing_new_year_moves_to_the_next_year() {
        // 2021-12-31 23:30 PST.
        let start = at("2022-01-01T07:30:00Z");
        let html = concat!(
            "<div><span class=\"yellowfg\">11:30 PM PST</span>&nbsp;Investigating.</div>",
            "<div><span class=\"yellowfg\">Jan 1, 12:15 AM PST</span>&nbsp;Resolved.</div>",
        );
        let updates = timeline(html, start);
        let times: Vec<_> = updates.iter().map(|u| u.posted_at).collect();
        assert_eq!(
            times,
            [at("2022-01-01T07:30:00Z"), at("2022-01-01T08:15:00Z")]
        );
        assert_eq!(updates[1].body, "Resolved.");
    }

    #[test]
    fn a_label_in_an_unknown_zone_has_no_time() {
        let updates = timeline(
            "<div><span class=\"yellowfg\">9:00 AM JST</span>&nbsp;x</div>",
            at("2022-01-01T00:00:00Z"),
        );
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].posted_at, None);
        assert_eq!(updates[0].id, "#1");
    }
}

//! The maintenance calendar (`/calendar`): a month grid of days in the user's time zone with
//! every watched maintenance on each day it spans, and a list (`/calendar/list`) of what is
//! coming and what just happened. Both are whole pages without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use vw_domain::{CalendarStatus, Month, TimeZoneName};
use vw_store::calendar::Entry;

use crate::auth::Member;
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar/month.html")]
pub struct MonthPage {
    layout: Layout,
    zone: ZonePicker,
    label: String,
    previous_href: String,
    next_href: String,
    today_href: String,
    weeks: Vec<Vec<DayCell>>,
    /// No watched maintenance in the whole grid.
    empty: bool,
    feed_href: &'static str,
}

struct DayCell {
    /// `2026-12-03`.
    date: String,
    number: u32,
    in_month: bool,
    today: bool,
    entries: Vec<Chip>,
}

/// A maintenance on one day of the grid.
struct Chip {
    line: Line,
    /// It began on an earlier day: the cell says so instead of repeating the start time.
    continued: bool,
}

/// One maintenance as either view shows it.
#[derive(Clone)]
struct Line {
    href: String,
    provider: String,
    title: String,
    /// The calendar's word, for the colour; and its label.
    status: &'static str,
    status_label: &'static str,
    /// The window in the user's zone ("Thu 3 Dec 22:00 – Fri 4 Dec 02:00").
    window: String,
    /// The start's time alone, for a day cell ("22:00").
    starts: String,
    components: Vec<String>,
}

/// The zone the page is in, and the form that changes it.
struct ZonePicker {
    name: &'static str,
    /// Not chosen yet: the page is in UTC until the browser or the user says.
    unset: bool,
    names: Vec<&'static str>,
    /// Where the form comes back to.
    back: String,
}

impl ZonePicker {
    fn new(member: &Member, back: String) -> (Self, TimeZoneName) {
        let stored = member.signed_in.session.record.time_zone.as_deref();
        let zone = vw_app::calendar::zone_of(stored);
        let picker = ZonePicker {
            name: zone.name(),
            unset: stored.is_none(),
            names: TimeZoneName::all().collect(),
            back,
        };
        (picker, zone)
    }
}

pub async fn month(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<MonthQuery>,
) -> Result<MonthPage, WebError> {
    let now = Utc::now();
    let path = match &query.month {
        Some(month) => format!("/calendar?month={}", urlencode(month)),
        None => "/calendar".to_owned(),
    };
    let (zone_picker, zone) = ZonePicker::new(&member, path);
    let today = Month::of(zone.date_of(now));
    // An unreadable month is this one.
    let month = query
        .month
        .as_deref()
        .and_then(Month::parse)
        .unwrap_or(today);
    let view = vw_app::calendar::month(&state.db, member.workspace, zone, month, now).await?;
    let vw_app::calendar::MonthView { weeks, entries } = view;
    let lines: Vec<Line> = entries.iter().map(|e| Line::new(e, zone)).collect();
    let weeks: Vec<Vec<DayCell>> = weeks
        .into_iter()
        .map(|week| {
            week.into_iter()
                .map(|(day, on)| DayCell {
                    date: day.date.format("%Y-%m-%d").to_string(),
                    number: day.date.day(),
                    in_month: day.in_month,
                    today: day.today,
                    entries: on
                        .into_iter()
                        .filter_map(|i| {
                            let entry = entries.get(i)?;
                            Some(Chip {
                                line: lines.get(i)?.clone(),
                                continued: zone.date_of(entry.starts_at) < day.date,
                            })
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    Ok(MonthPage {
        layout: member.layout(),
        zone: zone_picker,
        label: month.label(),
        previous_href: format!("/calendar?month={}", month.previous().key()),
        next_href: format!("/calendar?month={}", month.next().key()),
        today_href: format!("/calendar?month={}", today.key()),
        empty: lines.is_empty(),
        weeks,
        feed_href: super::calendar_settings::PATH,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar/list.html")]
pub struct ListPage {
    layout: Layout,
    zone: ZonePicker,
    upcoming: Vec<Line>,
    recent: Vec<Line>,
    feed_href: &'static str,
}

pub async fn list(State(state): State<AppState>, member: Member) -> Result<ListPage, WebError> {
    let (zone_picker, zone) = ZonePicker::new(&member, "/calendar/list".to_owned());
    let view = vw_app::calendar::list(&state.db, member.workspace, Utc::now()).await?;
    Ok(ListPage {
        layout: member.layout(),
        zone: zone_picker,
        upcoming: view.upcoming.iter().map(|e| Line::new(e, zone)).collect(),
        recent: view.recent.iter().map(|e| Line::new(e, zone)).collect(),
        feed_href: super::calendar_settings::PATH,
    })
}

impl Line {
    fn new(entry: &Entry, zone: TimeZoneName) -> Self {
        let status = CalendarStatus::of(entry.status, entry.cancelled);
        Line {
            href: format!(
                "/providers/{}/maintenances/{}",
                entry.provider_slug, entry.id
            ),
            provider: entry.provider_name.clone(),
            title: entry.title.clone(),
            status: status.as_str(),
            status_label: status.label(),
            window: window(entry.starts_at, entry.ends_at, zone),
            starts: local(entry.starts_at, zone, "%H:%M"),
            components: entry.components.clone(),
        }
    }
}

fn local(at: DateTime<Utc>, zone: TimeZoneName, format: &str) -> String {
    at.with_timezone(&zone.tz()).format(format).to_string()
}

/// "Thu 3 Dec 2026 22:00 – 23:30", or with the end on another day, its date too.
fn window(start: DateTime<Utc>, end: Option<DateTime<Utc>>, zone: TimeZoneName) -> String {
    let from = local(start, zone, "%a %-d %b %Y %H:%M");
    match end {
        Some(end) if zone.date_of(end) == zone.date_of(start) => {
            format!("{from} – {}", local(end, zone, "%H:%M"))
        }
        Some(end) => format!("{from} – {}", local(end, zone, "%a %-d %b %Y %H:%M")),
        None => format!("{from} (end not given)"),
    }
}

/// A query value written back into a link.
fn urlencode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_in_the_zone_with_the_end_date_only_when_it_differs() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap_or_default();
        let paris = TimeZoneName::parse("Europe/Paris").unwrap_or_default();
        assert_eq!(
            window(
                at("2026-12-03T21:00:00Z"),
                Some(at("2026-12-03T22:30:00Z")),
                paris
            ),
            "Thu 3 Dec 2026 22:00 – 23:30"
        );
        assert_eq!(
            window(
                at("2026-12-03T22:00:00Z"),
                Some(at("2026-12-04T01:00:00Z")),
                paris
            ),
            "Thu 3 Dec 2026 23:00 – Fri 4 Dec 2026 02:00"
        );
        assert_eq!(
            window(at("2026-12-03T22:00:00Z"), None, TimeZoneName::utc()),
            "Thu 3 Dec 2026 22:00 (end not given)"
        );
    }
}

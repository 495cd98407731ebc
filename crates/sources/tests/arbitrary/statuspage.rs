//! Statuspage feeds whose entries hold arbitrary Statuspage-like markup: read without panic,
//! with unique update ids and no update after the entry's last change.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use vw_domain::Update;
use vw_sources::{azure, feed, incidentio, statuspage};

use crate::support::config;

/// One Statuspage feed update, with each part sometimes nonsense, and whether its stamp has
/// a year.
fn statuspage_update() -> impl Strategy<Value = (String, bool)> {
    let month = prop::sample::select(vec!["Jan", "Feb", "Dec", "Foo", "", "September"]);
    let day = prop_oneof![1u32..32, Just(0), Just(99)];
    let time = prop_oneof![
        (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
        Just("99:99".to_owned()),
        Just("12:00 PM".to_owned()),
        Just("".to_owned()),
    ];
    let zone = prop::sample::select(vec![
        "UTC", "PST", "PDT", "IST", "+0530", "-14", "+99", "", "ZZZ",
    ]);
    let label = prop::sample::select(vec![
        "Investigating",
        "Identified",
        "Monitoring",
        "Update",
        "Resolved",
        "Postmortem",
        "Scheduled",
        "In progress",
        "Verifying",
        "Completed",
        "Other",
        "",
    ]);
    let body = "[ -~]{0,40}";
    let year = prop::option::of(1900i32..2100);
    (month, day, year, time, zone, label, body).prop_map(
        |(month, day, year, time, zone, label, body)| {
            let written = year.map(|y| format!(" {y},")).unwrap_or_default();
            let update = format!(
                "<p><small>{month} <var data-var='date'>{day}</var>,{written} <var data-var='time'>{time}</var> {zone}</small><br><strong>{label}</strong> - {body}</p>"
            );
            (update, year.is_some())
        },
    )
}

fn ids_and_times<S>(updates: &[Update<S>]) -> (Vec<&str>, Vec<Option<DateTime<Utc>>>) {
    updates.iter().map(|u| (u.id.as_str(), u.posted_at)).unzip()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An Atom feed whose one entry has `content`, published and updated at the given times.
pub fn atom(content: &str, published: &str, updated: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>f</id><title>T</title>\
         <entry><id>e</id><title>t</title><published>{published}</published><updated>{updated}</updated>\
         <content type=\"html\">{}</content></entry></feed>",
        xml_escape(content)
    )
    .into_bytes()
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        (1i32..10_000, 1u32..13, 1u32..29, 0u32..24)
            .prop_map(|(y, mo, d, h)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:00:00Z")),
        Just("not a date".to_owned()),
        Just("+262143-12-31T23:59:59Z".to_owned()),
        Just("2026-01-01T00:30:00-14:00".to_owned()),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn statuspage_like_entries_never_panic(
        updates in prop::collection::vec(statuspage_update(), 0..8),
        tail in "[ -~]{0,30}",
        published in timestamp(),
        updated in timestamp(),
    ) {
        let content = updates.iter().map(|(u, _)| u.as_str()).collect::<String>() + &tail;
        let body = atom(&content, &published, &updated);
        // Without a year in the stamps, no update is put after the entry's last change (give
        // or take the two days' slack the year is chosen with).
        let bound = [&published, &updated]
            .iter()
            .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .max()
            .filter(|_| !updates.iter().any(|(_, has_year)| *has_year))
            .and_then(|t| t.checked_add_signed(TimeDelta::days(2)));
        for parse in [statuspage::parse, feed::parse, incidentio::parse, azure::parse] {
            let parsed = parse(&body);
            prop_assert!(parsed.is_ok(), "{parsed:?}");
            let snapshot = parsed.unwrap();
            let timelines = snapshot.incidents.iter().map(|i| ids_and_times(&i.updates))
                .chain(snapshot.maintenances.iter().map(|m| ids_and_times(&m.updates)));
            for (ids, times) in timelines {
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), ids.len(), "update ids repeat: {:?}", ids);
                if let Some(bound) = bound {
                    prop_assert!(times.iter().flatten().all(|t| *t <= bound), "{times:?} after {bound}");
                }
            }
        }
    }

    /// Maintenance banners with any window, written on one day or across two, in any zone:
    /// a window read ends no earlier than it starts, in a year next to the entry's.
    #[test]
    fn scheduled_windows_end_no_earlier_than_they_start(
        (month, day) in (prop::sample::select(vec!["Jan", "Feb", "Jun", "Dec"]), 1u32..29),
        (h1, m1, h2, m2) in (0u32..24, 0u32..60, 0u32..24, 0u32..60),
        second_day in prop::option::of(prop::sample::select(vec!["Jan 1", "Dec 31", "Jun 2"])),
        zone in prop::sample::select(vec!["UTC", "PST", "PDT", "IST", "+0530", ""]),
        published in (2000i32..2100, 1u32..13, 1u32..29),
    ) {
        let end = match second_day {
            Some(date) => format!("{date}, {h2:02}:{m2:02} {zone}"),
            None => format!("{h2:02}:{m2:02} {zone}"),
        };
        let start = match second_day {
            Some(_) => format!("{month} {day}, {h1:02}:{m1:02} {zone}"),
            None => format!("{month} {day}, {h1:02}:{m1:02}"),
        };
        let content = format!(
            "<p><strong>THIS IS A SCHEDULED EVENT {start} - {end}</strong></p>\
             <p><small>{month} {day}, 00:00 UTC</small><br><strong>Scheduled</strong> - Work.</p>"
        );
        let (y, mo, d) = published;
        let at = format!("{y:04}-{mo:02}-{d:02}T00:00:00Z");
        let snapshot = statuspage::parse(&atom(&content, &at, &at));
        prop_assert!(snapshot.is_ok(), "{snapshot:?}");
        let snapshot = snapshot.unwrap();
        prop_assert_eq!(snapshot.maintenances.len(), 1);
        let m = &snapshot.maintenances[0];
        if let (Some(from), Some(until)) = (m.scheduled_for, m.scheduled_until) {
            prop_assert!(until >= from, "{from} .. {until}");
        }
        if let Some(from) = m.scheduled_for {
            let published = DateTime::parse_from_rfc3339(&at).unwrap().with_timezone(&Utc);
            prop_assert!((from - published).num_days().abs() <= 366 + 2, "{from} for {published}");
        }
    }
}

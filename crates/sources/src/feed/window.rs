//! The window of an upcoming maintenance, which Statuspage writes into the entry as a banner
//! above its updates, as plain text once the markup is gone:
//!
//! ```text
//! THIS IS A SCHEDULED EVENT Nov 4, 03:00 - 04:00 UTC
//! THIS IS A SCHEDULED EVENT Jan 8, 21:00 UTC  -  Jan 9, 01:00 UTC
//! ```
//!
//! The zone comes once at the end, or with each side when the window spans two days.

use chrono::{DateTime, Utc};

use super::stamp::Stamp;

const BANNER: &str = "THIS IS A SCHEDULED EVENT";

/// The banner's text after its first words, when `text` has one.
pub(crate) fn banner(text: &str) -> Option<&str> {
    let at = text.find(BANNER)?;
    let rest = &text[at + BANNER.len()..];
    Some(rest.lines().next().unwrap_or(rest).trim())
}

/// The window's two stamps as written: the end takes the start's day when it has none, and
/// the start takes the end's zone when only the end has one.
pub(crate) fn stamps(window: &str) -> Option<(Stamp, Option<Stamp>)> {
    let (start, end) = match window
        .split_once(" - ")
        .or_else(|| window.split_once(" \u{2013} "))
    {
        Some((start, end)) => (start.trim(), Some(end.trim())),
        None => (window.trim(), None),
    };
    let Some(end) = end else {
        return Some((Stamp::parse(start)?, None));
    };
    let end_dated = Stamp::parse(end);
    // `Jan 9, 14:00` has no zone of its own: parse it with the end's.
    let start = match Stamp::parse(start)? {
        s if s.zone().is_empty() => {
            let zone = end_dated
                .as_ref()
                .map(|e| e.zone().to_owned())
                .or_else(|| end.split_whitespace().last().map(str::to_owned))
                .unwrap_or_default();
            Stamp::parse(&format!("{start} {zone}"))?
        }
        s => s,
    };
    let end = end_dated.or_else(|| Stamp::parse_clock_on(end, &start));
    Some((start, end))
}

/// The window in UTC. Its year is the one that puts the start nearest `reference` (the
/// entry's own date: its publication, or the window's start, which Statuspage writes there);
/// its end is the first such time not before the start, so that `22:00 - 02:00` ends the next
/// day and a window from Dec 31 ends in the new year. `fix` corrects a stamp's offset (see
/// `entry`).
pub(crate) fn resolve(
    (start, end): (Stamp, Option<Stamp>),
    reference: DateTime<Utc>,
    fix: impl Fn(Stamp) -> Stamp,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let start = fix(start).resolve_near(reference);
    let end = match (start, end.map(fix)) {
        (Some(start), Some(end)) => end.resolve_near(start).map(|mut t| {
            // A clock-only end before the start is on the next day.
            while t < start {
                match t.checked_add_signed(chrono::Duration::days(1)) {
                    Some(next) => t = next,
                    None => break,
                }
            }
            t
        }),
        _ => None,
    };
    (start, end.filter(|e| start.is_some_and(|s| *e >= s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn window(text: &str, reference: &str) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let text = banner(text).unwrap_or_default();
        stamps(text).map_or((None, None), |s| resolve(s, utc(reference), |s| s))
    }

    #[test]
    fn reads_one_day_and_two_day_windows() {
        assert_eq!(
            window(
                "THIS IS A SCHEDULED EVENT Nov 4, 03:00 - 04:00 UTC",
                "2022-10-27T17:00:38Z"
            ),
            (
                Some(utc("2022-11-04T03:00:00Z")),
                Some(utc("2022-11-04T04:00:00Z"))
            )
        );
        assert_eq!(
            window(
                "THIS IS A SCHEDULED EVENT Jan 8, 21:00 UTC  -  Jan 9, 01:00 UTC",
                "2020-01-08T21:00:00Z"
            ),
            (
                Some(utc("2020-01-08T21:00:00Z")),
                Some(utc("2020-01-09T01:00:00Z"))
            )
        );
    }

    #[test]
    fn a_january_window_announced_in_december_is_in_the_next_year() {
        assert_eq!(
            window(
                "THIS IS A SCHEDULED EVENT Jan 9, 22:00 - 02:00 PST",
                "2019-12-12T21:28:00Z"
            ),
            (
                Some(utc("2020-01-10T06:00:00Z")),
                Some(utc("2020-01-10T10:00:00Z"))
            )
        );
        assert_eq!(
            window(
                "THIS IS A SCHEDULED EVENT Dec 31, 23:00 UTC - Jan 1, 01:00 UTC",
                "2026-12-20T00:00:00Z"
            ),
            (
                Some(utc("2026-12-31T23:00:00Z")),
                Some(utc("2027-01-01T01:00:00Z"))
            )
        );
    }

    #[test]
    fn no_banner_or_no_time_is_no_window() {
        assert_eq!(banner("Scheduled - maintenance on Jan 9"), None);
        assert_eq!(
            window("THIS IS A SCHEDULED EVENT soon", "2020-01-01T00:00:00Z"),
            (None, None)
        );
        // A zone we cannot name gives no time rather than a guess.
        assert_eq!(
            window(
                "THIS IS A SCHEDULED EVENT Jan 9, 14:00 - 18:00 IST",
                "2020-01-01T00:00:00Z"
            ),
            (None, None)
        );
    }
}

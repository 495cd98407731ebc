//! The time stamps of Statuspage feed updates: `Jun 18, 18:09 UTC`, `Nov  4, 04:09 PST`. They
//! have no year and are in the page's zone, named by an abbreviation.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

/// A stamp as written: the year only when the stamp has one, the offset only when the zone is
/// one we can name without guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    month: u32,
    day: u32,
    year: Option<i32>,
    hour: u32,
    minute: u32,
    offset: Option<FixedOffset>,
    /// The zone as written (`PST`), to tell stamps that share a label.
    zone: String,
}

/// How far past the entry's last change an update may seem to be and still belong to that
/// year: room for clocks that disagree, far too little to confuse two years.
const SLACK: Duration = Duration::days(2);

impl Stamp {
    /// Reads `Mon D, HH:MM ZONE`, also with a year (`Jun 18, 2020, 18:09 UTC`), seconds or
    /// AM/PM. `None` when it is not a stamp.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut tokens = tokens(text);
        let month = month_number(tokens.next()?)?;
        let day = tokens
            .next()?
            .parse()
            .ok()
            .filter(|d| (1..=31).contains(d))?;
        let year = match tokens.peek() {
            Some(t) if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) => {
                let year = t.parse().ok();
                tokens.next();
                year
            }
            _ => None,
        };
        let (hour, minute, zone) = clock(tokens)?;
        Some(Stamp {
            month,
            day,
            year,
            hour,
            minute,
            offset: zone_offset(&zone),
            zone,
        })
    }

    /// Reads `HH:MM ZONE`, a time on the day of `day` (the end of a window written
    /// `Jan 9, 14:00 - 18:00 UTC`). A missing zone is `day`'s.
    pub fn parse_clock_on(text: &str, day: &Stamp) -> Option<Stamp> {
        let (hour, minute, zone) = clock(tokens(text))?;
        let mut stamp = Stamp {
            hour,
            minute,
            offset: zone_offset(&zone),
            zone,
            ..day.clone()
        };
        if stamp.zone.is_empty() {
            stamp.zone.clone_from(&day.zone);
            stamp.offset = day.offset;
        }
        Some(stamp)
    }

    /// The zone as written, upper-cased; empty when there is none.
    pub fn zone(&self) -> &str {
        &self.zone
    }

    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The same wall-clock time at another offset.
    pub fn at_offset(self, offset: FixedOffset) -> Stamp {
        Stamp {
            offset: Some(offset),
            ..self
        }
    }

    /// Whether the stamp's wall-clock reading is `time`'s, to the minute (the year aside).
    pub fn reads_as(&self, time: DateTime<FixedOffset>) -> bool {
        (self.month, self.day, self.hour, self.minute)
            == (time.month(), time.day(), time.hour(), time.minute())
    }

    /// The instant the stamp names in the year that puts it nearest `reference`: the entry's
    /// own date, for a maintenance window, which lies on either side of it (announced before,
    /// or the window's own start), so that a January window announced in December lands in
    /// the next year. `None` when the zone is unknown or no nearby year has the date.
    pub fn resolve_near(&self, reference: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        if let Some(year) = self.year {
            return self.at(year, offset);
        }
        let distance = |t: &DateTime<Utc>| (*t - reference).num_seconds().unsigned_abs();
        (reference.year() - 1..=reference.year() + 1)
            .filter_map(|year| self.at(year, offset))
            .min_by_key(distance)
    }

    /// The instant the stamp names, taking the year from the latest moment the update can
    /// have been posted (the entry's last change): the latest year that does not put the
    /// update after it, so that a December update in an entry changed in January lands in
    /// the year before. `None` when the zone is unknown or no year fits.
    pub fn resolve(&self, not_after: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        if let Some(year) = self.year {
            return self.at(year, offset);
        }
        let not_after = not_after?;
        let limit = not_after.checked_add_signed(SLACK).unwrap_or(not_after);
        (limit.year() - 4..=limit.year())
            .rev()
            .filter_map(|year| self.at(year, offset))
            .find(|t| *t <= limit)
    }

    fn at(&self, year: i32, offset: FixedOffset) -> Option<DateTime<Utc>> {
        let local = NaiveDate::from_ymd_opt(year, self.month, self.day)?.and_hms_opt(
            self.hour,
            self.minute,
            0,
        )?;
        offset
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }
}

fn tokens(text: &str) -> std::iter::Peekable<impl Iterator<Item = &str>> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .peekable()
}

/// `HH:MM[:SS] [AM|PM] [ZONE]`: the hour, the minute and the zone as written (upper case).
fn clock<'a>(
    mut tokens: std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> Option<(u32, u32, String)> {
    let mut clock = tokens.next()?.split(':');
    let mut hour: u32 = clock.next()?.parse().ok()?;
    let minute: u32 = clock.next()?.parse().ok()?;
    match tokens.peek().map(|t| t.to_ascii_uppercase()) {
        Some(half) if half == "AM" || half == "PM" => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if half == "PM" { 12 } else { 0 };
            tokens.next();
        }
        _ => {}
    }
    if hour > 23 || minute > 59 {
        return None;
    }
    let zone: Vec<&str> = tokens.collect();
    Some((hour, minute, zone.concat().to_ascii_uppercase()))
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let word = word.to_ascii_lowercase();
    let prefix = word.get(..3)?;
    let index = MONTHS.iter().position(|m| *m == prefix)?;
    u32::try_from(index).ok().map(|i| i + 1)
}

/// The offset of a zone as Statuspage prints it: an abbreviation from the tz database, or a
/// numeric offset (`+08`, `-0330`, `UTC+5:30`) for zones that have none. Abbreviations that
/// name several offsets (IST: India, Ireland or Israel; CST: US Central or China) are left
/// out: better no time than a wrong one.
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let zone = zone.to_ascii_uppercase();
    if zone.is_empty() {
        return None;
    }
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    let named = match zone.as_str() {
        "UTC" | "GMT" | "UT" | "Z" | "WET" => hours(0),
        "BST" | "CET" | "WEST" => hours(1),
        "CEST" | "EET" | "SAST" => hours(2),
        "EEST" | "MSK" => hours(3),
        "HKT" | "AWST" => hours(8),
        "JST" | "KST" => hours(9),
        "AEST" => hours(10),
        "AEDT" => hours(11),
        "NZST" => hours(12),
        "NZDT" => hours(13),
        "ACST" => FixedOffset::east_opt(9 * 3600 + 1800),
        "ACDT" => FixedOffset::east_opt(10 * 3600 + 1800),
        "NST" => FixedOffset::west_opt(3 * 3600 + 1800),
        "NDT" => FixedOffset::west_opt(2 * 3600 + 1800),
        "ADT" => hours(-3),
        "AST" | "EDT" => hours(-4),
        "EST" | "CDT" => hours(-5),
        "MDT" => hours(-6),
        "MST" | "PDT" => hours(-7),
        "PST" | "AKDT" => hours(-8),
        "AKST" => hours(-9),
        "HST" => hours(-10),
        _ => None,
    };
    named.or_else(|| {
        let numeric = zone
            .strip_prefix("UTC")
            .or_else(|| zone.strip_prefix("GMT"))
            .unwrap_or(&zone);
        numeric_offset(numeric)
    })
}

/// `+8`, `+08`, `-0330`, `+05:30`.
fn numeric_offset(text: &str) -> Option<FixedOffset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        _ => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn takes_the_year_from_the_last_change_across_new_year() {
        let stamp = Stamp::parse("Dec 31, 23:10 UTC");
        let resolved = stamp.and_then(|s| s.resolve(utc("2027-01-01T00:20:00Z")));
        assert_eq!(resolved, utc("2026-12-31T23:10:00Z"));
        let stamp = Stamp::parse("Jan  1, 00:15 UTC");
        let resolved = stamp.and_then(|s| s.resolve(utc("2027-01-01T00:20:00Z")));
        assert_eq!(resolved, utc("2027-01-01T00:15:00Z"));
    }

    #[test]
    fn converts_page_local_zones_to_utc() {
        let pst =
            Stamp::parse("Nov  4, 04:09 PST").and_then(|s| s.resolve(utc("2020-11-10T00:00:00Z")));
        assert_eq!(pst, utc("2020-11-04T12:09:00Z"));
        let pdt =
            Stamp::parse("Oct 24, 10:59 PDT").and_then(|s| s.resolve(utc("2020-10-24T18:00:00Z")));
        assert_eq!(pdt, utc("2020-10-24T17:59:00Z"));
        let numeric = Stamp::parse("Mar 3, 2021, 9:05 PM +0530").and_then(|s| s.resolve(None));
        assert_eq!(numeric, utc("2021-03-03T15:35:00Z"));
    }

    #[test]
    fn an_ambiguous_or_unknown_zone_gives_no_time() {
        let ist = Stamp::parse("Jun 18, 18:09 IST");
        assert!(ist.is_some());
        assert_eq!(
            ist.and_then(|s| s.resolve(utc("2026-06-20T00:00:00Z"))),
            None
        );
        assert_eq!(Stamp::parse("Foo 18, 18:09 UTC"), None);
        assert_eq!(Stamp::parse("Jun 18, 25:09 UTC"), None);
    }
}

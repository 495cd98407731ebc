//! Calendar maths for the maintenance calendar: time zones by their IANA name, months, the
//! days of a month grid as they fall in a zone, which of those days a maintenance window
//! covers, and the status a calendar entry shows. Pure: "today" and "now" are arguments.

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{InvalidInput, MaintenanceStatus};

/// An IANA time zone ("Europe/Paris"), as a user picks it or a browser names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneName(Tz);

impl TimeZoneName {
    /// Only a name of the IANA database compiled in (exact spelling, as browsers report it).
    pub fn parse(name: &str) -> Result<Self, InvalidInput> {
        let name = name.trim();
        name.parse::<Tz>()
            .map(TimeZoneName)
            .map_err(|_| InvalidInput::new(format!("{:?} is not a time zone we know.", cut(name))))
    }

    pub fn utc() -> Self {
        TimeZoneName(Tz::UTC)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// Every name a user may pick, sorted.
    pub fn all() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The calendar date `at` falls on in this zone.
    pub fn date_of(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// When `date` begins in this zone: its midnight, or on a day whose midnight a clock
    /// change skips, the first moment that exists.
    pub fn start_of(self, date: NaiveDate) -> DateTime<Utc> {
        for hour in 0..24 {
            let Some(local) = date.and_hms_opt(hour, 0, 0) else {
                break;
            };
            match self.0.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => {
                    return at.with_timezone(&Utc);
                }
                LocalResult::None => continue,
            }
        }
        // No zone skips a whole day's hours on the hour; read the date as UTC then.
        date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self::utc()
    }
}

/// A name shown back in an error is a user's input: keep it short.
fn cut(name: &str) -> String {
    name.chars().take(64).collect()
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    /// 1 to 12.
    month: u32,
}

impl Month {
    /// `YYYY-MM`, the way the calendar's links write it.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        Month::of(
            self.first_day()
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or_default(),
        )
    }

    pub fn previous(self) -> Self {
        Month::of(
            self.first_day()
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or_default(),
        )
    }

    /// "2026-12".
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "December 2026".
    pub fn label(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }
}

/// One day of a month grid, with when it begins and ends in the grid's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The day belongs to the month shown (the grid's first and last weeks reach into the
    /// neighbouring months).
    pub in_month: bool,
    pub today: bool,
}

impl Day {
    /// A window from `start` to `end` (not given: a moment) takes some of this day. A window
    /// ending exactly at midnight does not reach into the next day.
    pub fn covers(&self, start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> bool {
        let end = end.unwrap_or(start).max(start);
        start < self.end && (end > self.start || start >= self.start)
    }
}

/// The weeks (Monday first) that show `month` in `zone`, each day with its bounds in that
/// zone; `today` is marked.
pub fn month_grid(month: Month, zone: TimeZoneName, today: NaiveDate) -> Vec<Vec<Day>> {
    let first = month.first_day();
    let back = u64::from(first.weekday().num_days_from_monday());
    let mut date = first.checked_sub_days(Days::new(back)).unwrap_or(first);
    let mut weeks = Vec::with_capacity(6);
    loop {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let next = date.succ_opt().unwrap_or(date);
            week.push(Day {
                date,
                start: zone.start_of(date),
                end: zone.start_of(next),
                in_month: Month::of(date) == month,
                today: date == today,
            });
            date = next;
        }
        weeks.push(week);
        if Month::of(date) != month {
            break;
        }
    }
    weeks
}

/// Where a maintenance stands, as the calendar colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarStatus {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
    Cancelled,
}

impl CalendarStatus {
    /// A cancelled maintenance is cancelled whatever its last status; one whose status the
    /// vendor does not give is scheduled.
    pub fn of(status: Option<MaintenanceStatus>, cancelled: bool) -> Self {
        match status {
            _ if cancelled => CalendarStatus::Cancelled,
            Some(MaintenanceStatus::InProgress) => CalendarStatus::InProgress,
            Some(MaintenanceStatus::Verifying) => CalendarStatus::Verifying,
            Some(MaintenanceStatus::Completed) => CalendarStatus::Completed,
            Some(MaintenanceStatus::Scheduled) | None => CalendarStatus::Scheduled,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CalendarStatus::Scheduled => "scheduled",
            CalendarStatus::InProgress => "in_progress",
            CalendarStatus::Verifying => "verifying",
            CalendarStatus::Completed => "completed",
            CalendarStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CalendarStatus::Scheduled => "Scheduled",
            CalendarStatus::InProgress => "In progress",
            CalendarStatus::Verifying => "Verifying",
            CalendarStatus::Completed => "Completed",
            CalendarStatus::Cancelled => "Cancelled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn zones_are_iana_names_only() {
        assert_eq!(
            TimeZoneName::parse("Europe/Paris").map(TimeZoneName::name),
            Ok("Europe/Paris")
        );
        assert!(TimeZoneName::parse("Mars/Olympus").is_err());
        assert!(TimeZoneName::parse("europe/paris").is_err());
        assert!(TimeZoneName::parse("").is_err());
        assert!(TimeZoneName::all().any(|n| n == "America/Sao_Paulo"));
    }

    #[test]
    fn months_parse_and_step_across_years() {
        let december = Month::parse("2026-12");
        assert_eq!(december.map(Month::key).as_deref(), Some("2026-12"));
        assert_eq!(december.map(|m| m.next().key()).as_deref(), Some("2027-01"));
        assert_eq!(
            Month::parse("2026-01")
                .map(|m| m.previous().key())
                .as_deref(),
            Some("2025-12")
        );
        assert_eq!(december.map(Month::label).as_deref(), Some("December 2026"));
        for bad in ["2026-13", "2026-1", "26-01", "abcd-ef", "", "2026-00"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_grid_is_whole_weeks_from_monday_covering_the_month() {
        let month = Month::parse("2026-12").unwrap_or(Month::of(date(2026, 12, 1)));
        let grid = month_grid(month, TimeZoneName::utc(), date(2026, 12, 3));
        assert_eq!(grid[0][0].date, date(2026, 11, 30));
        assert!(!grid[0][0].in_month);
        assert_eq!(grid.len(), 5);
        assert_eq!(grid[4][6].date, date(2027, 1, 3));
        assert!(grid[0][3].today);
        assert_eq!(grid.iter().flatten().filter(|d| d.today).count(), 1);
    }

    #[test]
    fn a_day_is_bounded_by_midnights_in_the_zone() {
        let paris = TimeZoneName::parse("Europe/Paris").unwrap_or_default();
        assert_eq!(
            paris.start_of(date(2026, 12, 3)),
            at("2026-12-02T23:00:00Z")
        );
        // Summer time begins: the day has 23 hours.
        let spring = date(2026, 3, 29);
        let hours = (paris.start_of(spring.succ_opt().unwrap_or(spring)) - paris.start_of(spring))
            .num_hours();
        assert_eq!(hours, 23);
        // Where midnight itself is skipped (Santiago, September 2026), the day begins at 1:00.
        let santiago = TimeZoneName::parse("America/Santiago").unwrap_or_default();
        assert_eq!(
            santiago.start_of(date(2026, 9, 6)),
            at("2026-09-06T04:00:00Z")
        );
    }

    #[test]
    fn a_window_covers_the_days_it_reaches_but_not_past_a_midnight_end() {
        let utc = TimeZoneName::utc();
        let month = Month::of(date(2026, 12, 1));
        let grid = month_grid(month, utc, date(2026, 12, 1));
        let days: Vec<&Day> = grid.iter().flatten().collect();
        let covered = |start: &str, end: Option<&str>| -> Vec<u32> {
            days.iter()
                .filter(|d| d.in_month && d.covers(at(start), end.map(at)))
                .map(|d| d.date.day())
                .collect()
        };
        assert_eq!(
            covered("2026-12-03T22:00:00Z", Some("2026-12-05T02:00:00Z")),
            [3, 4, 5]
        );
        assert_eq!(
            covered("2026-12-03T22:00:00Z", Some("2026-12-04T00:00:00Z")),
            [3]
        );
        assert_eq!(covered("2026-12-04T00:00:00Z", None), [4]);
        // The same window seen from Tokyo starts a day later.
        let tokyo = TimeZoneName::parse("Asia/Tokyo").unwrap_or_default();
        let grid = month_grid(month, tokyo, date(2026, 12, 1));
        let shown: Vec<u32> = grid
            .iter()
            .flatten()
            .filter(|d| d.covers(at("2026-12-03T22:00:00Z"), Some(at("2026-12-03T23:00:00Z"))))
            .map(|d| d.date.day())
            .collect();
        assert_eq!(shown, [4]);
    }

    #[test]
    fn cancelled_trumps_the_last_status() {
        assert_eq!(
            CalendarStatus::of(Some(MaintenanceStatus::Scheduled), true),
            CalendarStatus::Cancelled
        );
        assert_eq!(CalendarStatus::of(None, false), CalendarStatus::Scheduled);
        assert_eq!(
            CalendarStatus::of(Some(MaintenanceStatus::InProgress), false).as_str(),
            "in_progress"
        );
    }
}
